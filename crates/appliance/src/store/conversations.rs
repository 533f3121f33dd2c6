//! Conversations with diners and their messages. Local to the appliance (not synced).

use super::{StoreError, StoreResult, now_text};
use dysa_domain::assistant::relay::StaffChatMessage;
use dysa_domain::ids::{ConversationId, CustomerId, UserId};
use dysa_domain::validate::Lang;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

/// Where a conversation happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConversationChannel {
    /// The admin panel (staff testing, phone orders typed in).
    Panel,
    /// The website widget, relayed by the cloud.
    Widget,
    /// WhatsApp, relayed by the cloud.
    Whatsapp,
}

impl ConversationChannel {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationChannel::Panel => "panel",
            ConversationChannel::Widget => "widget",
            ConversationChannel::Whatsapp => "whatsapp",
        }
    }
}

/// Who is answering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConversationStatus {
    /// The assistant answers.
    Open,
    /// Staff took over; the assistant stays quiet.
    Handoff,
    /// Finished.
    Closed,
}

impl ConversationStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationStatus::Open => "open",
            ConversationStatus::Handoff => "handoff",
            ConversationStatus::Closed => "closed",
        }
    }
}

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MessageRole {
    /// The diner.
    Diner,
    /// The assistant.
    Assistant,
    /// A staff member.
    Staff,
}

impl MessageRole {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageRole::Diner => "diner",
            MessageRole::Assistant => "assistant",
            MessageRole::Staff => "staff",
        }
    }
}

/// A conversation.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Conversation {
    /// Its id.
    pub id: ConversationId,
    /// Where it happens.
    pub channel: ConversationChannel,
    /// Who answers.
    pub status: ConversationStatus,
    /// The diner's language, detected from their messages.
    pub language: Lang,
    /// The draft order or booking (internal shape; see the message answers).
    #[schema(value_type = Object)]
    pub draft: serde_json::Value,
    /// The known diner.
    pub customer_id: Option<CustomerId>,
    /// When it started.
    pub created_at: String,
    /// Last activity.
    pub updated_at: String,
}

/// A message of a conversation.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Message {
    /// Its id (UUIDv7: sorts by time).
    pub id: uuid::Uuid,
    /// Who wrote it.
    pub role: MessageRole,
    /// The text.
    pub text: String,
    /// For a diner's message, how it was read; for a reply, what it did.
    #[schema(value_type = Option<Object>)]
    pub intent: Option<serde_json::Value>,
    /// When.
    pub created_at: String,
}

#[derive(sqlx::FromRow)]
struct ConversationRow {
    id: String,
    channel: String,
    status: String,
    language: String,
    draft: String,
    customer_id: Option<String>,
    created_at: String,
    updated_at: String,
}

const T: &str = "conversations";

fn parse<V: for<'de> Deserialize<'de>>(text: &str) -> StoreResult<V> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|e| StoreError::corrupt(T, e))
}

impl TryFrom<ConversationRow> for Conversation {
    type Error = StoreError;
    fn try_from(row: ConversationRow) -> StoreResult<Self> {
        Ok(Conversation {
            id: row.id.parse().map_err(|e| StoreError::corrupt(T, e))?,
            channel: parse(&row.channel)?,
            status: parse(&row.status)?,
            language: parse(&row.language)?,
            draft: serde_json::from_str(&row.draft).map_err(|e| StoreError::corrupt(T, e))?,
            customer_id: row
                .customer_id
                .map(|c| c.parse().map_err(|e| StoreError::corrupt(T, e)))
                .transpose()?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

const COLUMNS: &str = "id, channel, status, language, draft, customer_id, created_at, updated_at";

/// Starts a conversation.
pub async fn create(
    pool: &SqlitePool,
    channel: ConversationChannel,
    language: Lang,
    customer_id: Option<CustomerId>,
    by: Option<UserId>,
) -> StoreResult<Conversation> {
    let id = ConversationId::new();
    let now = now_text();
    let language = if language == Lang::En { "en" } else { "es" };
    sqlx::query(
        "INSERT INTO conversations (id, channel, language, customer_id, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(channel.as_str())
    .bind(language)
    .bind(customer_id.map(|c| c.to_string()))
    .bind(by.map(|u| u.to_string()))
    .bind(&now)
    .bind(&now)
    .execute(pool)
    .await?;
    find(pool, id)
        .await?
        .ok_or_else(|| StoreError::corrupt(T, "conversation vanished after insert"))
}

/// The relayed conversation (widget or WhatsApp) with the cloud's id, started if new (a
/// relayed chat keeps the same id on both sides).
pub async fn open_relayed(
    pool: &SqlitePool,
    id: ConversationId,
    channel: ConversationChannel,
    language: Lang,
) -> StoreResult<Conversation> {
    let now = now_text();
    let language = if language == Lang::En { "en" } else { "es" };
    sqlx::query(
        "INSERT INTO conversations (id, channel, language, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(channel.as_str())
    .bind(language)
    .bind(&now)
    .bind(&now)
    .execute(pool)
    .await?;
    find(pool, id)
        .await?
        .ok_or_else(|| StoreError::corrupt(T, "conversation vanished after insert"))
}

/// One conversation.
pub async fn find(pool: &SqlitePool, id: ConversationId) -> StoreResult<Option<Conversation>> {
    let row: Option<ConversationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM conversations WHERE id = ?"
    )))
    .bind(id.to_string())
    .fetch_optional(pool)
    .await?;
    row.map(Conversation::try_from).transpose()
}

/// Conversations, most recent activity first, optionally of one status and channel.
pub async fn list(
    pool: &SqlitePool,
    status: Option<ConversationStatus>,
    channel: Option<ConversationChannel>,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<Conversation>, i64)> {
    let status = status.map(ConversationStatus::as_str);
    let channel = channel.map(ConversationChannel::as_str);
    let rows: Vec<ConversationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM conversations
         WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR channel = ?2)
         ORDER BY updated_at DESC, id DESC LIMIT ?3 OFFSET ?4"
    )))
    .bind(status)
    .bind(channel)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM conversations
         WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR channel = ?2)",
    )
    .bind(status)
    .bind(channel)
    .fetch_one(pool)
    .await?;
    Ok((
        rows.into_iter()
            .map(Conversation::try_from)
            .collect::<StoreResult<_>>()?,
        total,
    ))
}

/// The messages of a conversation, oldest first (the last `limit`).
pub async fn messages(
    pool: &SqlitePool,
    id: ConversationId,
    limit: i64,
) -> StoreResult<Vec<Message>> {
    let rows: Vec<(String, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT id, role, text, intent, created_at FROM (
            SELECT id, role, text, intent, created_at FROM conversation_messages
            WHERE conversation_id = ? ORDER BY id DESC LIMIT ?)
         ORDER BY id",
    )
    .bind(id.to_string())
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(id, role, text, intent, created_at)| {
            Ok(Message {
                id: id.parse().map_err(|e| StoreError::corrupt(T, e))?,
                role: parse(&role)?,
                text,
                intent: intent
                    .map(|i| serde_json::from_str(&i).map_err(|e| StoreError::corrupt(T, e)))
                    .transpose()?,
                created_at,
            })
        })
        .collect()
}

/// Appends a message and touches the conversation.
pub async fn add_message(
    pool: &SqlitePool,
    id: ConversationId,
    role: MessageRole,
    text: &str,
    intent: Option<&serde_json::Value>,
) -> StoreResult<Message> {
    let message_id = uuid::Uuid::now_v7();
    let now = now_text();
    let intent_text = intent.map(serde_json::to_string).transpose()?;
    let mut tx = pool.begin().await?;
    // Staff's words in a conversation the cloud relays wait for the sync loop to carry
    // them to the diner (migration 0024); everything else stays on the counter.
    sqlx::query(
        "INSERT INTO conversation_messages
           (id, conversation_id, role, text, intent, created_at, cloud_pending)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6,
                 ?3 = 'staff' AND (SELECT channel FROM conversations WHERE id = ?2)
                                  IN ('widget', 'whatsapp'))",
    )
    .bind(message_id.to_string())
    .bind(id.to_string())
    .bind(role.as_str())
    .bind(text)
    .bind(&intent_text)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE conversations SET updated_at = ? WHERE id = ?")
        .bind(&now)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Message {
        id: message_id,
        role,
        text: text.to_owned(),
        intent: intent.cloned(),
        created_at: now,
    })
}

/// Staff messages of relayed conversations the cloud has not taken yet, oldest first.
pub async fn pending_for_cloud(
    pool: &SqlitePool,
    limit: i64,
) -> StoreResult<Vec<StaffChatMessage>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, conversation_id, text FROM conversation_messages
         WHERE cloud_pending = 1 ORDER BY id LIMIT ?",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(id, conversation_id, text)| {
            let parse = |value: &str| {
                uuid::Uuid::parse_str(value)
                    .map_err(|_| StoreError::corrupt("conversation_messages", "bad uuid"))
            };
            Ok(StaffChatMessage {
                id: parse(&id)?,
                conversation_id: parse(&conversation_id)?,
                text,
            })
        })
        .collect()
}

/// Marks staff messages as taken by the cloud (never sent again).
pub async fn delivered_to_cloud(pool: &SqlitePool, ids: &[uuid::Uuid]) -> StoreResult<()> {
    let mut tx = pool.begin().await?;
    for id in ids {
        sqlx::query("UPDATE conversation_messages SET cloud_pending = 0 WHERE id = ?")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Ends a turn in one transaction (one disk sync instead of three): stores the
/// assistant's reply, the draft and language, and hands the chat to staff when asked.
pub async fn finish_turn(
    pool: &SqlitePool,
    id: ConversationId,
    reply: &str,
    intent: &serde_json::Value,
    draft: &serde_json::Value,
    language: Lang,
    handoff: bool,
) -> StoreResult<()> {
    let now = now_text();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO conversation_messages (id, conversation_id, role, text, intent, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(id.to_string())
    .bind(MessageRole::Assistant.as_str())
    .bind(reply)
    .bind(serde_json::to_string(intent)?)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE conversations SET draft = ?, language = ?, updated_at = ?,
            status = CASE WHEN ? THEN 'handoff' ELSE status END
         WHERE id = ?",
    )
    .bind(serde_json::to_string(draft)?)
    .bind(if language == Lang::En { "en" } else { "es" })
    .bind(&now)
    .bind(handoff)
    .bind(id.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes who answers; returns false when the conversation does not exist.
pub async fn set_status(
    pool: &SqlitePool,
    id: ConversationId,
    status: ConversationStatus,
) -> StoreResult<bool> {
    let done = sqlx::query("UPDATE conversations SET status = ?, updated_at = ? WHERE id = ?")
        .bind(status.as_str())
        .bind(now_text())
        .bind(id.to_string())
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
