//! Conversations with diners and their messages. Synced rows (issue 20): every write
//! records its outbox row in the same transaction, as `dysa_domain::sync::rows::
//! {Conversation, ConversationMessage}` (a new row whole, an edit only the fields it
//! changed), so the cloud holds them and a counter that replaces a dead one gets them back.
//! The table's `updated_at` is the HLC stamp; the list's "last activity" is
//! `last_activity_at` (appliance migration 0031).

use super::rows::{self, ColumnRow, decode, json_columns};
use super::{Db, StoreError, StoreResult, now_text, outbox};
use dysa_domain::assistant::relay::StaffChatMessage;
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{ConversationId, CustomerId, UserId};
pub use dysa_domain::sync::rows::chat::{ConversationChannel, ConversationStatus, MessageRole};
use dysa_domain::sync::rows::{Conversation as ConversationRecord, ConversationMessage};
use dysa_domain::sync::{Entity, Op};
use dysa_domain::validate::Lang;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{SqliteConnection, SqlitePool};

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

/// The API's `updated_at` ("last activity") is the row's `last_activity_at`: the column
/// `updated_at` holds the HLC stamp since migration 0031.
const COLUMNS: &str =
    "id, channel, status, language, draft, customer_id, created_at, last_activity_at AS updated_at";

impl ColumnRow for ConversationRecord {
    const TABLE: &'static str = "conversations";
}

impl ColumnRow for ConversationMessage {
    const TABLE: &'static str = "conversation_messages";
    /// A message, once written, is a fact.
    const APPEND_ONLY: bool = true;
}

/// Records the new conversation `row` whole in the outbox.
async fn record_new(conn: &mut SqliteConnection, row: &ConversationRecord) -> StoreResult<()> {
    outbox::record(
        conn,
        Entity::Conversation,
        &row.id.to_string(),
        Op::Upsert,
        row,
        row.updated_at,
    )
    .await?;
    Ok(())
}

/// Records an edit of conversation `id`: only `fields` (plus the id and the stamp).
async fn record_edit(
    conn: &mut SqliteConnection,
    id: ConversationId,
    mut fields: serde_json::Map<String, Value>,
    hlc: Hlc,
) -> StoreResult<()> {
    fields.insert("id".into(), json!(id));
    fields.insert("updated_at".into(), json!(hlc));
    outbox::record(
        conn,
        Entity::Conversation,
        &id.to_string(),
        Op::Upsert,
        &fields,
        hlc,
    )
    .await?;
    Ok(())
}

/// Records the new message `message` whole in the outbox.
async fn record_message(
    conn: &mut SqliteConnection,
    message: &ConversationMessage,
    hlc: Hlc,
) -> StoreResult<()> {
    outbox::record(
        conn,
        Entity::ConversationMessage,
        &message.id.to_string(),
        Op::Upsert,
        message,
        hlc,
    )
    .await?;
    Ok(())
}

fn lang_text(language: Lang) -> &'static str {
    if language == Lang::En { "en" } else { "es" }
}

/// Writes a new conversation and its outbox row.
async fn insert_new(db: &Db, row: &ConversationRecord) -> StoreResult<()> {
    let mut tx = db.begin().await?;
    rows::upsert(&mut tx, row).await?;
    record_new(&mut tx, row).await?;
    tx.commit().await?;
    Ok(())
}

/// Starts a conversation.
pub async fn create(
    db: &Db,
    channel: ConversationChannel,
    language: Lang,
    customer_id: Option<CustomerId>,
    by: Option<UserId>,
) -> StoreResult<Conversation> {
    let id = ConversationId::new();
    let now = now_text();
    let row = ConversationRecord {
        id,
        channel,
        status: ConversationStatus::Open,
        language,
        draft: json!({}),
        customer_id,
        created_by: by,
        created_at: now.clone(),
        last_activity_at: now,
        updated_at: db.tick(),
    };
    insert_new(db, &row).await?;
    find(&db.write, id)
        .await?
        .ok_or_else(|| StoreError::corrupt(T, "conversation vanished after insert"))
}

/// The relayed conversation (widget or WhatsApp) with the cloud's id, started if new (a
/// relayed chat keeps the same id on both sides).
pub async fn open_relayed(
    db: &Db,
    id: ConversationId,
    channel: ConversationChannel,
    language: Lang,
) -> StoreResult<Conversation> {
    if let Some(held) = find(&db.write, id).await? {
        return Ok(held);
    }
    let now = now_text();
    let row = ConversationRecord {
        id,
        channel,
        status: ConversationStatus::Open,
        language,
        draft: json!({}),
        customer_id: None,
        created_by: None,
        created_at: now.clone(),
        last_activity_at: now,
        updated_at: db.tick(),
    };
    insert_new(db, &row).await?;
    find(&db.write, id)
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
         ORDER BY last_activity_at DESC, id DESC LIMIT ?3 OFFSET ?4"
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
    db: &Db,
    id: ConversationId,
    role: MessageRole,
    text: &str,
    intent: Option<&serde_json::Value>,
) -> StoreResult<Message> {
    let message_id = uuid::Uuid::now_v7();
    let now = now_text();
    let intent_text = intent.map(serde_json::to_string).transpose()?;
    let hlc = db.tick();
    let mut tx = db.begin().await?;
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
    touch(&mut tx, id, &now, hlc, serde_json::Map::new()).await?;
    let record = ConversationMessage {
        id: message_id,
        conversation_id: id,
        role,
        text: text.to_owned(),
        intent: intent.cloned(),
        created_at: now.clone(),
    };
    record_message(&mut tx, &record, hlc).await?;
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

/// Marks activity on conversation `id` at `now` (stamped `hlc`) with the other `fields`
/// it changed, and records the edit. No conversation, nothing written.
async fn touch(
    conn: &mut SqliteConnection,
    id: ConversationId,
    now: &str,
    hlc: Hlc,
    mut fields: serde_json::Map<String, Value>,
) -> StoreResult<()> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM conversations WHERE id = ?)")
            .bind(id.to_string())
            .fetch_one(&mut *conn)
            .await?;
    if !exists {
        return Ok(());
    }
    fields.insert("last_activity_at".into(), json!(now));
    fields.insert("updated_at".into(), json!(hlc));
    rows::patch::<ConversationRecord>(conn, &id.to_string(), &fields).await?;
    fields.remove("updated_at");
    record_edit(conn, id, fields, hlc).await
}

/// Ends a turn in one transaction (one disk sync instead of three): stores the
/// assistant's reply, the draft and language, and hands the chat to staff when asked.
pub async fn finish_turn(
    db: &Db,
    id: ConversationId,
    reply: &str,
    intent: &serde_json::Value,
    draft: &serde_json::Value,
    language: Lang,
    handoff: bool,
) -> StoreResult<()> {
    let now = now_text();
    let hlc = db.tick();
    let message = ConversationMessage {
        id: uuid::Uuid::now_v7(),
        conversation_id: id,
        role: MessageRole::Assistant,
        text: reply.to_owned(),
        intent: Some(intent.clone()),
        created_at: now.clone(),
    };
    let mut tx = db.begin().await?;
    rows::upsert(&mut tx, &message).await?;
    let mut fields = serde_json::Map::new();
    fields.insert("draft".into(), draft.clone());
    fields.insert("language".into(), json!(lang_text(language)));
    if handoff {
        fields.insert("status".into(), json!(ConversationStatus::Handoff));
    }
    touch(&mut tx, id, &now, hlc, fields).await?;
    record_message(&mut tx, &message, hlc).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes who answers; returns false when the conversation does not exist.
pub async fn set_status(
    db: &Db,
    id: ConversationId,
    status: ConversationStatus,
) -> StoreResult<bool> {
    let hlc = db.tick();
    let mut tx = db.begin().await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM conversations WHERE id = ?)")
            .bind(id.to_string())
            .fetch_one(&mut *tx)
            .await?;
    if !exists {
        return Ok(false);
    }
    let mut fields = serde_json::Map::new();
    fields.insert("status".into(), json!(status));
    touch(&mut tx, id, &now_text(), hlc, fields).await?;
    tx.commit().await?;
    Ok(true)
}

/// The synced row of conversation `id`, as the outbox sends it and a pull applies it.
pub async fn record(
    pool: &SqlitePool,
    id: ConversationId,
) -> StoreResult<Option<ConversationRecord>> {
    let sql = format!(
        "SELECT {} FROM conversations c WHERE c.id = ?",
        json_columns::<ConversationRecord>("c")
    );
    let text: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(pool)
        .await?;
    text.map(|t| decode(&t)).transpose()
}

/// The synced rows of the messages of conversation `id`, oldest first.
pub async fn message_records(
    pool: &SqlitePool,
    id: ConversationId,
) -> StoreResult<Vec<ConversationMessage>> {
    let sql = format!(
        "SELECT {} FROM conversation_messages m WHERE m.conversation_id = ? ORDER BY m.id",
        json_columns::<ConversationMessage>("m")
    );
    let texts: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_all(pool)
        .await?;
    texts.iter().map(|t| decode(t)).collect()
}

/// Forgets conversations silent since before `before` (RFC 3339, as stored) with their
/// messages: the retention the privacy page states
/// (`dysa_domain::sync::rows::chat::CONVERSATION_RETENTION_DAYS`). No outbox row: the cloud
/// prunes its copy on its own clock. Returns how many conversations went.
pub async fn prune(db: &Db, before: &str) -> StoreResult<u64> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "DELETE FROM conversation_messages WHERE conversation_id IN
           (SELECT id FROM conversations WHERE last_activity_at < ?)",
    )
    .bind(before)
    .execute(&mut *tx)
    .await?;
    let gone = sqlx::query("DELETE FROM conversations WHERE last_activity_at < ?")
        .bind(before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(gone)
}
