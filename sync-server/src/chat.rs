//! The widget's chat (`POST /api/v1/public/{slug}/chat`): relayed to the restaurant's
//! appliance over the live channel when it is connected, answered here with the
//! deterministic parser on the synced menu when it is not (or does not answer in time).
//!
//! Relays and answers cross instances through Postgres: the relay is a `chat_relays` row
//! plus a `dysa_chat` notice naming it; any instance's device stream sends it to the
//! location's devices; the device posts its answer to any instance, which stores it and
//! notifies; the waiting instance reads it. The cloud's own answers keep the
//! conversation's draft in `chat_conversations` (bounded: see [`MAX_TURNS`] and
//! [`CONVERSATION_TTL_HOURS`]).

use crate::state::AppState;
use crate::store::{Db, StoreError, StoreResult, Tx, owners};
use dysa_domain::assistant::draft::{self, Draft, DraftLine, Mode, Shop, Step};
use dysa_domain::assistant::relay::{
    ChatDraft, ChatRelay, ChatReply, MAX_DRAFT_LINES, MAX_REPLY_CHARS,
};
use dysa_domain::assistant::text;
use dysa_domain::assistant::understand::{self, IndexedGroup, Intent, MenuIndex};
use dysa_domain::ids::{ItemId, ModifierOptionId};
use dysa_domain::money::Clp;
use dysa_domain::validate::Lang;
use serde::Deserialize;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
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
        tenant_id: Uuid,
        /// The location whose devices answer.
        location_id: Uuid,
        /// The relay.
        request_id: Uuid,
    },
    /// A device answered a relay.
    Reply {
        /// The tenant.
        tenant_id: Uuid,
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
                tenant_id: *tenant_id,
                location_id: *location_id,
                request_id: *request_id,
            }),
            ("reply", [tenant_id, request_id]) => Some(ChatNotice::Reply {
                tenant_id: *tenant_id,
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
    pub tenant_id: Uuid,
    /// The location.
    pub id: Uuid,
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

/// Stores a relay for the location's devices and announces it (at commit).
pub async fn insert_relay(tx: &mut Tx, location: Uuid, relay: &ChatRelay) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO chat_relays (tenant_id, id, location_id, conversation_id, message, language)
         VALUES (app_tenant(), $1, $2, $3, $4, $5)",
    )
    .bind(relay.request_id)
    .bind(location)
    .bind(relay.conversation_id)
    .bind(&relay.message)
    .bind(relay.language.map(lang_text))
    .execute(&mut **tx)
    .await?;
    let tenant_id: Uuid = sqlx::query_scalar("SELECT app_tenant()")
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
pub async fn open_relay(tx: &mut Tx, location: Uuid, id: Uuid) -> StoreResult<Option<ChatRelay>> {
    let row: Option<(Uuid, Uuid, String, Option<String>)> = sqlx::query_as(
        "SELECT id, conversation_id, message, language FROM chat_relays
         WHERE id = $1 AND location_id = $2 AND answered_at IS NULL
           AND created_at > now() - make_interval(secs => $3)",
    )
    .bind(id)
    .bind(location)
    .bind(f64::from(RELAY_TTL_SECS))
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(
        |(request_id, conversation_id, message, language)| ChatRelay {
            request_id,
            conversation_id,
            message,
            language: language.as_deref().map(parse_lang),
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
    location: Uuid,
    request_id: Uuid,
    reply: &ChatReply,
) -> Result<(), ReplyError> {
    let value = serde_json::to_value(reply).unwrap_or_default();
    let tenant: Option<Uuid> = sqlx::query_scalar(
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
async fn close_relay(tx: &mut Tx, request_id: Uuid) -> StoreResult<Option<ChatReply>> {
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
    Ok(reply.flatten().and_then(|v| serde_json::from_value(v).ok()))
}

fn lang_text(lang: Lang) -> &'static str {
    match lang {
        Lang::Es => "es",
        Lang::En => "en",
    }
}

fn parse_lang(text: &str) -> Lang {
    if text == "en" { Lang::En } else { Lang::Es }
}

/// An option as the synced modifier group stores it.
#[derive(Deserialize)]
struct SyncedOption {
    id: Uuid,
    name: String,
    #[serde(default)]
    price_delta: i64,
    #[serde(default = "yes")]
    available: bool,
}

fn yes() -> bool {
    true
}

/// The location's synced menu prepared for matching: active categories' live items, in
/// menu order.
pub async fn menu_index(tx: &mut Tx, location: Uuid) -> StoreResult<MenuIndex> {
    let categories = owners::categories(tx, Some(location)).await?;
    let groups = owners::modifier_groups(tx, Some(location)).await?;
    let items = owners::items(tx, Some(location)).await?;
    let mut indexed = Vec::new();
    for category in categories.iter().filter(|c| c.active) {
        for item in items.iter().filter(|i| i.category_id == category.id) {
            let group_ids: Vec<Uuid> =
                serde_json::from_value(item.modifier_group_ids.clone()).unwrap_or_default();
            let item_groups = group_ids
                .iter()
                .filter_map(|id| groups.iter().find(|g| g.id == *id))
                .map(|g| IndexedGroup {
                    name: g.name.clone(),
                    min_choices: u8::try_from(g.min_choices.max(0)).unwrap_or(u8::MAX),
                    max_choices: u8::try_from(g.max_choices.max(0)).unwrap_or(u8::MAX),
                    options: serde_json::from_value::<Vec<SyncedOption>>(g.options.clone())
                        .unwrap_or_default()
                        .into_iter()
                        .map(|o| {
                            MenuIndex::option(
                                ModifierOptionId::from(o.id),
                                o.name,
                                Clp(o.price_delta),
                                o.available,
                            )
                        })
                        .collect(),
                })
                .collect();
            indexed.push(MenuIndex::item(
                ItemId::from(item.id),
                item.name.clone(),
                item.name_en.clone(),
                category.name.clone(),
                category.name_en.clone(),
                item.description.clone(),
                Clp(item.price),
                item.available,
                Vec::new(),
                item_groups,
            ));
        }
    }
    Ok(MenuIndex::new(indexed))
}

/// A diner's message, checked.
#[derive(Clone, Debug)]
pub struct Message {
    /// The widget's conversation, if it has one.
    pub conversation_id: Option<Uuid>,
    /// The text, trimmed, 1..=1000 characters.
    pub text: String,
    /// The language the widget asked for.
    pub language: Option<Lang>,
}

/// Who answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnsweredBy {
    /// The restaurant's appliance.
    Restaurant,
    /// The cloud's deterministic parser.
    Cloud,
}

/// The answer to the widget.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The conversation (new when the widget had none, or its old one expired).
    pub conversation_id: Uuid,
    /// The reply, plain text.
    pub reply: String,
    /// Who answered.
    pub answered_by: AnsweredBy,
    /// The draft after this message.
    pub draft: Option<ChatDraft>,
    /// The diner confirmed the draft.
    pub ready_to_order: bool,
}

/// A stored conversation.
#[derive(sqlx::FromRow)]
struct ConversationRow {
    location_id: Uuid,
    language: String,
    draft: serde_json::Value,
    turns: i32,
    expired: bool,
}

/// Answers a diner's message for `location` of `tenant`: the restaurant if it is connected
/// and answers within the configured wait, else the cloud.
pub async fn answer(
    state: &AppState,
    tenant: Uuid,
    location: &ChatLocation,
    message: Message,
) -> StoreResult<Answer> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let row: Option<ConversationRow> = match message.conversation_id {
        Some(id) => {
            sqlx::query_as(
                "SELECT location_id, language, draft, turns,
                    updated_at < now() - make_interval(hours => $2) AS expired
             FROM chat_conversations WHERE id = $1",
            )
            .bind(id)
            .bind(CONVERSATION_TTL_HOURS)
            .fetch_optional(&mut *tx)
            .await?
        }
        None => None,
    };
    // A conversation of another location, expired or too long starts over under a new
    // id, so no state grows without bound.
    let usable = row
        .as_ref()
        .is_some_and(|r| r.location_id == location.id && !r.expired && r.turns < MAX_TURNS);
    let conversation_id = match (message.conversation_id, usable, &row) {
        (Some(id), true, _) => id,
        (Some(id), false, None) => id,
        _ => Uuid::now_v7(),
    };
    let (mut stored, turns) = match row.filter(|_| usable) {
        Some(r) => (
            (
                serde_json::from_value::<Draft>(r.draft).unwrap_or_default(),
                Some(parse_lang(&r.language)),
            ),
            r.turns,
        ),
        None => ((Draft::default(), None), 0),
    };
    let lang = text::detect_language(&message.text)
        .or(message.language)
        .or(stored.1)
        .unwrap_or_default();
    let online = crate::presence::location_online(&mut tx, location.id).await?;
    let mut replies = state.live.subscribe_chat();
    let request_id = Uuid::now_v7();
    if online {
        insert_relay(
            &mut tx,
            location.id,
            &ChatRelay {
                request_id,
                conversation_id,
                message: message.text.clone(),
                language: message.language,
            },
        )
        .await?;
    }
    tx.commit().await?;

    if online {
        let wait = Duration::from_millis(state.settings.chat_relay_timeout_ms);
        // Whether the notice is heard or the wait runs out, the row decides (a notice
        // missed by a lagging receiver only costs the wait).
        let _ = tokio::time::timeout(wait, async {
            loop {
                match replies.recv().await {
                    Ok(ChatNotice::Reply {
                        tenant_id,
                        request_id: answered,
                    }) if tenant_id == tenant && answered == request_id => return,
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => std::future::pending::<()>().await,
                }
            }
        })
        .await;
        let mut tx = state.db.tenant_tx(tenant).await?;
        let reply = close_relay(&mut tx, request_id).await?;
        if let Some(reply) = reply.and_then(sane) {
            // Keep the restaurant's draft, so a later message the cloud answers itself
            // continues the same order.
            let draft = reply
                .draft
                .as_ref()
                .map(|d| Draft {
                    lines: d
                        .lines
                        .iter()
                        .map(|l| DraftLine {
                            item_id: l.item_id,
                            quantity: l.quantity,
                            options: l.options.clone(),
                            notes: Vec::new(),
                        })
                        .collect(),
                    ..Draft::default()
                })
                .unwrap_or_default();
            save(&mut tx, conversation_id, location.id, lang, &draft, turns).await?;
            tx.commit().await?;
            return Ok(Answer {
                conversation_id,
                reply: reply.reply,
                answered_by: AnsweredBy::Restaurant,
                draft: reply.draft,
                ready_to_order: reply.ready_to_order,
            });
        }
        tx.commit().await?;
        tracing::info!(%request_id, "the restaurant did not answer the chat in time; the cloud answers");
    }

    let mut tx = state.db.tenant_tx(tenant).await?;
    // Reread under a row lock: two messages of one conversation at once must not lose a
    // line of the draft.
    let locked: Option<serde_json::Value> = sqlx::query_scalar(
        "SELECT draft FROM chat_conversations WHERE id = $1 AND location_id = $2 FOR UPDATE",
    )
    .bind(conversation_id)
    .bind(location.id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(value) = locked.filter(|_| turns > 0) {
        stored.0 = serde_json::from_value(value).unwrap_or_default();
    }
    let mut draft = stored.0;
    let index = menu_index(&mut tx, location.id).await?;
    let tz = jiff::tz::TimeZone::get(&location.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let (reply, chat_draft, ready) = decide(&index, tz, &mut draft, &message.text, lang);
    save(&mut tx, conversation_id, location.id, lang, &draft, turns).await?;
    tx.commit().await?;
    Ok(Answer {
        conversation_id,
        reply,
        answered_by: AnsweredBy::Cloud,
        draft: chat_draft,
        ready_to_order: ready,
    })
}

/// The cloud's own answer: the deterministic parser and the shared rules, in the mode
/// where a "yes" hands the draft to the widget.
pub fn decide(
    index: &MenuIndex,
    tz: jiff::tz::TimeZone,
    draft: &mut Draft,
    message: &str,
    lang: Lang,
) -> (String, Option<ChatDraft>, bool) {
    let reading = understand::parse(index, message, draft.awaiting.is_some());
    let intent = reading.intent.unwrap_or(Intent::Smalltalk);
    let shop = Shop {
        orders_enabled: true,
        hours: None,
        tz,
    };
    let step = draft::decide(
        index,
        &shop,
        Mode::HandOver { staff: false },
        draft,
        &reading,
        intent,
        lang,
        message,
        jiff::Timestamp::now(),
    );
    // In hand-over mode nothing waits on a database: every step is a reply.
    let outcome = match step {
        Step::Reply(out) | Step::PlaceOrder(out, _) | Step::Book(out) | Step::PlanBooking(out) => {
            out
        }
    };
    let chat_draft = draft::chat_draft(index, draft);
    if outcome.ready_to_order {
        *draft = Draft::default();
    }
    (outcome.text, chat_draft, outcome.ready_to_order)
}

/// A restaurant's answer within bounds, else `None` (the cloud answers instead).
fn sane(reply: ChatReply) -> Option<ChatReply> {
    let fits = !reply.reply.trim().is_empty()
        && reply.reply.chars().count() <= MAX_REPLY_CHARS
        && reply
            .draft
            .as_ref()
            .is_none_or(|d| d.lines.len() <= MAX_DRAFT_LINES);
    fits.then_some(reply)
}

async fn save(
    tx: &mut Tx,
    id: Uuid,
    location: Uuid,
    lang: Lang,
    draft: &Draft,
    turns: i32,
) -> StoreResult<()> {
    let value = serde_json::to_value(draft).unwrap_or_else(|_| serde_json::json!({}));
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
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_round_trip() {
        let (t, l, r) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
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
