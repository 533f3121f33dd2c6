//! The chat's rows and notices (see [`crate::chat`]): relays to a location's devices and
//! their answers in `chat_relays`, the cloud's own conversations in `chat_conversations`,
//! staff's replies in taken-over chats in `chat_staff_messages`, and the `dysa_chat`
//! notices (ids only) that carry relays and answers across instances.
//!
//! What a diner and staff wrote, the restaurant's answers and the drafts are stored
//! sealed with the tenant's key (cloud migration 0050, [`crate::pii::relay`]): the
//! functions here take and answer clear values.

use super::{Db, StoreError, StoreResult, Tx};
use crate::pii::TenantKeys;
use chrono::{DateTime, Utc};
use dysa_domain::assistant::draft::Draft;
use dysa_domain::assistant::relay::{ChatRelay, ChatReply, RelayChannel, StaffChatMessage};
use dysa_domain::ids::{LocationId, TenantId};
use dysa_domain::validate::Lang;
use uuid::Uuid;

/// The Postgres channel of chat notices.
pub const NOTIFY_CHANNEL: &str = "dysa_chat";
/// Most messages the cloud answers in one conversation; past it a new one starts.
pub const MAX_TURNS: i32 = 200;
/// A conversation the cloud has not heard from in this long starts over.
pub const CONVERSATION_TTL_HOURS: i32 = 24;
/// A relay older than this is no longer sent to devices nor answerable.
const RELAY_TTL_SECS: i32 = 60;

/// A chat notice: ids only, the text stays in rows under RLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChatNotice {
    /// A diner's message waits for the location's devices.
    Relay {
        /// The tenant.
        tenant_id: TenantId,
        /// The location whose devices answer.
        location_id: LocationId,
        /// The relay.
        request_id: Uuid,
    },
    /// A device answered a relay.
    Reply {
        /// The tenant.
        tenant_id: TenantId,
        /// The relay answered.
        request_id: Uuid,
    },
}

impl ChatNotice {
    /// The notification payload (`relay:<tenant>:<location>:<request>`,
    /// `reply:<tenant>:<request>`).
    pub fn payload(&self) -> String {
        match self {
            ChatNotice::Relay {
                tenant_id,
                location_id,
                request_id,
            } => format!("relay:{tenant_id}:{location_id}:{request_id}"),
            ChatNotice::Reply {
                tenant_id,
                request_id,
            } => format!("reply:{tenant_id}:{request_id}"),
        }
    }

    /// Parses a notification payload.
    pub fn parse(payload: &str) -> Option<ChatNotice> {
        let mut parts = payload.split(':');
        let kind = parts.next()?;
        let ids: Vec<Uuid> = parts.map(|p| p.parse().ok()).collect::<Option<_>>()?;
        match (kind, ids.as_slice()) {
            ("relay", [tenant_id, location_id, request_id]) => Some(ChatNotice::Relay {
                tenant_id: TenantId(*tenant_id),
                location_id: LocationId(*location_id),
                request_id: *request_id,
            }),
            ("reply", [tenant_id, request_id]) => Some(ChatNotice::Reply {
                tenant_id: TenantId(*tenant_id),
                request_id: *request_id,
            }),
            _ => None,
        }
    }
}

async fn notify(tx: &mut Tx, notice: ChatNotice) -> StoreResult<()> {
    // Postgres delivers it at commit, so a reader always finds the row.
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(NOTIFY_CHANNEL)
        .bind(notice.payload())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A restaurant location the widget talks to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ChatLocation {
    /// The tenant.
    pub tenant_id: TenantId,
    /// The location.
    pub id: LocationId,
    /// Its IANA time zone.
    pub time_zone: String,
}

/// The active restaurant of `slug` and its location `wanted` (or its first one), through
/// the narrow `public_restaurant` lookup (migration 0005).
pub async fn find_location(
    db: &Db,
    slug: &str,
    wanted: Option<Uuid>,
) -> StoreResult<Option<ChatLocation>> {
    let mut tx = db.public_tx().await?;
    let found: Option<ChatLocation> = sqlx::query_as(
        "SELECT tenant_id, location_id AS id, time_zone FROM public_restaurant($1, $2)
         WHERE status = 'active'",
    )
    .bind(slug)
    .bind(wanted)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(found)
}

/// The relays' table.
pub const RELAYS: &str = "chat_relays";
/// Staff's replies' table.
pub const STAFF_MESSAGES: &str = "chat_staff_messages";
/// The cloud's conversations' table.
pub const CONVERSATIONS: &str = "chat_conversations";

/// Stores a relay for the location's devices and announces it (at commit).
pub async fn insert_relay(
    tx: &mut Tx,
    keys: &TenantKeys,
    location: LocationId,
    relay: &ChatRelay,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO chat_relays
           (tenant_id, id, location_id, conversation_id, message, language, channel)
         VALUES (app_tenant(), $1, $2, $3, $4, $5, $6)",
    )
    .bind(relay.request_id)
    .bind(location)
    .bind(relay.conversation_id)
    .bind(keys.seal_str(
        RELAYS,
        "message",
        &relay.request_id.to_string(),
        &relay.message,
    ))
    .bind(relay.language.map(lang_text))
    .bind(relay.channel.as_str())
    .execute(&mut **tx)
    .await?;
    let tenant_id: TenantId = sqlx::query_scalar("SELECT app_tenant()")
        .fetch_one(&mut **tx)
        .await?;
    notify(
        tx,
        ChatNotice::Relay {
            tenant_id,
            location_id: location,
            request_id: relay.request_id,
        },
    )
    .await
}

/// A relay still waiting for the location's answer (what a device stream sends).
pub async fn open_relay(
    tx: &mut Tx,
    keys: &TenantKeys,
    location: LocationId,
    id: Uuid,
) -> StoreResult<Option<ChatRelay>> {
    let row: Option<(Uuid, Uuid, String, Option<String>, String)> = sqlx::query_as(
        "SELECT id, conversation_id, message, language, channel FROM chat_relays
         WHERE id = $1 AND location_id = $2 AND answered_at IS NULL
           AND created_at > now() - make_interval(secs => $3)",
    )
    .bind(id)
    .bind(location)
    .bind(f64::from(RELAY_TTL_SECS))
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(
        |(request_id, conversation_id, message, language, channel)| ChatRelay {
            request_id,
            conversation_id,
            message: keys
                .open_str(RELAYS, "message", &request_id.to_string(), message)
                .unwrap_or_default(),
            language: language.as_deref().map(parse_lang),
            channel: RelayChannel::parse(&channel),
        },
    ))
}

/// Why a device's answer was not taken.
#[derive(Debug, thiserror::Error)]
pub enum ReplyError {
    /// No open relay by that id for the device's location (unknown, another location's,
    /// already answered, or the cloud answered itself after waiting).
    #[error("no open chat request")]
    NotOpen,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Stores a device's answer to an open relay of its location and announces it.
pub async fn record_reply(
    tx: &mut Tx,
    keys: &TenantKeys,
    location: LocationId,
    request_id: Uuid,
    reply: &ChatReply,
) -> Result<(), ReplyError> {
    let value = serde_json::to_value(reply).unwrap_or_default();
    let value = serde_json::Value::String(keys.seal_value(
        RELAYS,
        "reply",
        &request_id.to_string(),
        &value,
    ));
    let tenant: Option<TenantId> = sqlx::query_scalar(
        "UPDATE chat_relays SET reply = $3, answered_at = now()
         WHERE id = $1 AND location_id = $2 AND answered_at IS NULL
           AND created_at > now() - make_interval(secs => $4)
         RETURNING tenant_id",
    )
    .bind(request_id)
    .bind(location)
    .bind(value)
    .bind(f64::from(RELAY_TTL_SECS))
    .fetch_optional(&mut **tx)
    .await
    .map_err(StoreError::from)?;
    let Some(tenant_id) = tenant else {
        return Err(ReplyError::NotOpen);
    };
    notify(
        tx,
        ChatNotice::Reply {
            tenant_id,
            request_id,
        },
    )
    .await?;
    Ok(())
}

/// Closes a relay the cloud stops waiting for: its answer if one landed meanwhile, else
/// `None` (and a late answer is refused from now on).
pub async fn close_relay(
    tx: &mut Tx,
    keys: &TenantKeys,
    request_id: Uuid,
) -> StoreResult<Option<ChatReply>> {
    let closed: Option<Uuid> = sqlx::query_scalar(
        "UPDATE chat_relays SET answered_at = now() WHERE id = $1 AND answered_at IS NULL
         RETURNING id",
    )
    .bind(request_id)
    .fetch_optional(&mut **tx)
    .await?;
    if closed.is_some() {
        return Ok(None);
    }
    let reply: Option<Option<serde_json::Value>> =
        sqlx::query_scalar("SELECT reply FROM chat_relays WHERE id = $1")
            .bind(request_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(reply.flatten().and_then(|v| {
        serde_json::from_value(keys.open_value(RELAYS, "reply", &request_id.to_string(), v)).ok()
    }))
}

/// Stores staff's messages of the device's location, once per id (a resend is taken
/// and ignored). Answers the ones that were new.
pub async fn insert_staff_messages<'a>(
    tx: &mut Tx,
    keys: &TenantKeys,
    location: LocationId,
    messages: &'a [StaffChatMessage],
) -> StoreResult<Vec<&'a StaffChatMessage>> {
    let mut added = Vec::new();
    for message in messages {
        let inserted = sqlx::query(
            "INSERT INTO chat_staff_messages (tenant_id, id, location_id, conversation_id, text)
             VALUES (app_tenant(), $1, $2, $3, $4)
             ON CONFLICT (tenant_id, id) DO NOTHING",
        )
        .bind(message.id)
        .bind(location)
        .bind(message.conversation_id)
        .bind(keys.seal_str(
            STAFF_MESSAGES,
            "text",
            &message.id.to_string(),
            &message.text,
        ))
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if inserted > 0 {
            added.push(message);
        }
    }
    Ok(added)
}

/// A staff message as the diner's widget fetches it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StaffMessageRow {
    /// Its id (UUIDv7, ordered by time): the widget asks for the ones after it.
    pub id: Uuid,
    /// What staff wrote.
    pub text: String,
    /// When the cloud took it.
    pub created_at: DateTime<Utc>,
}

/// Staff's messages in `conversation` at `location` after `after` (all when `None`),
/// oldest first, at most `limit`.
pub async fn staff_messages(
    tx: &mut Tx,
    keys: &TenantKeys,
    location: LocationId,
    conversation: Uuid,
    after: Option<Uuid>,
    limit: i64,
) -> StoreResult<Vec<StaffMessageRow>> {
    let rows: Vec<StaffMessageRow> = sqlx::query_as(
        "SELECT id, text, created_at FROM chat_staff_messages
         WHERE location_id = $1 AND conversation_id = $2 AND ($3::uuid IS NULL OR id > $3)
         ORDER BY id LIMIT $4",
    )
    .bind(location)
    .bind(conversation)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| StaffMessageRow {
            text: keys
                .open_str(STAFF_MESSAGES, "text", &row.id.to_string(), row.text)
                .unwrap_or_default(),
            ..row
        })
        .collect())
}

fn lang_text(lang: Lang) -> &'static str {
    match lang {
        Lang::Es => "es",
        Lang::En => "en",
    }
}

/// The language of a stored `es`/`en` text (Spanish unless English).
pub fn parse_lang(text: &str) -> Lang {
    if text == "en" { Lang::En } else { Lang::Es }
}

/// A stored conversation.
#[derive(sqlx::FromRow)]
pub struct ConversationRow {
    /// The location it talks to.
    pub location_id: LocationId,
    /// `es` or `en`.
    pub language: String,
    /// The order being drafted.
    pub draft: serde_json::Value,
    /// Messages answered so far.
    pub turns: i32,
    /// Not heard from within [`CONVERSATION_TTL_HOURS`].
    pub expired: bool,
}

/// The stored conversation `id` (with whether it expired).
pub async fn conversation(
    tx: &mut Tx,
    keys: &TenantKeys,
    id: Uuid,
) -> StoreResult<Option<ConversationRow>> {
    let row: Option<ConversationRow> = sqlx::query_as(
        "SELECT location_id, language, draft, turns,
                updated_at < now() - make_interval(hours => $2) AS expired
         FROM chat_conversations WHERE id = $1",
    )
    .bind(id)
    .bind(CONVERSATION_TTL_HOURS)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|mut row| {
        row.draft = keys.open_value(CONVERSATIONS, "draft", &id.to_string(), row.draft);
        row
    }))
}

/// The draft of conversation `id` at `location`, read under a row lock (two messages of
/// one conversation at once must not lose a line of the draft).
pub async fn lock_draft(
    tx: &mut Tx,
    keys: &TenantKeys,
    id: Uuid,
    location: LocationId,
) -> StoreResult<Option<serde_json::Value>> {
    let draft: Option<serde_json::Value> = sqlx::query_scalar(
        "SELECT draft FROM chat_conversations WHERE id = $1 AND location_id = $2 FOR UPDATE",
    )
    .bind(id)
    .bind(location)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(draft.map(|d| keys.open_value(CONVERSATIONS, "draft", &id.to_string(), d)))
}

/// Stores a conversation after a message answered (its draft, language and one more
/// turn); a new one also sweeps the tenant's stale conversations and old relays.
pub async fn save(
    tx: &mut Tx,
    keys: &TenantKeys,
    id: Uuid,
    location: LocationId,
    lang: Lang,
    draft: &Draft,
    turns: i32,
) -> StoreResult<()> {
    let value = serde_json::to_value(draft).unwrap_or_else(|_| serde_json::json!({}));
    let value =
        serde_json::Value::String(keys.seal_value(CONVERSATIONS, "draft", &id.to_string(), &value));
    sqlx::query(
        "INSERT INTO chat_conversations (tenant_id, id, location_id, language, draft, turns)
         VALUES (app_tenant(), $1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, id) DO UPDATE
           SET location_id = EXCLUDED.location_id, language = EXCLUDED.language,
               draft = EXCLUDED.draft, turns = EXCLUDED.turns, updated_at = now()",
    )
    .bind(id)
    .bind(location)
    .bind(lang_text(lang))
    .bind(value)
    .bind(turns.saturating_add(1))
    .execute(&mut **tx)
    .await?;
    if turns == 0 {
        // New conversations sweep the tenant's stale ones and old relays, so neither
        // table grows without bound.
        sqlx::query(
            "DELETE FROM chat_conversations WHERE updated_at < now() - make_interval(hours => $1)",
        )
        .bind(CONVERSATION_TTL_HOURS * 7)
        .execute(&mut **tx)
        .await?;
        sqlx::query("DELETE FROM chat_relays WHERE created_at < now() - interval '1 day'")
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "DELETE FROM chat_staff_messages WHERE created_at < now() - make_interval(hours => $1)",
        )
        .bind(CONVERSATION_TTL_HOURS * 7)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_round_trip() {
        let (t, l, r) = (TenantId::new(), LocationId::new(), Uuid::now_v7());
        for notice in [
            ChatNotice::Relay {
                tenant_id: t,
                location_id: l,
                request_id: r,
            },
            ChatNotice::Reply {
                tenant_id: t,
                request_id: r,
            },
        ] {
            assert_eq!(ChatNotice::parse(&notice.payload()), Some(notice));
        }
        assert_eq!(ChatNotice::parse("relay:x"), None);
        assert_eq!(ChatNotice::parse(&format!("reply:{t}")), None);
    }
}
