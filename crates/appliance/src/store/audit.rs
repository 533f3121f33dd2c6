//! The audit log's table: written once per sensitive action in the action's own
//! transaction, with its outbox row; read by the audit routes. Nothing here updates or
//! deletes a row (the table's triggers would refuse it anyway).

use super::{StoreResult, outbox};
use dysa_domain::audit::AuditAction;
use dysa_domain::hlc::Hlc;
use dysa_domain::sync::rows::AuditEvent;
use dysa_domain::sync::{Entity, Op};
use sqlx::{SqliteConnection, SqlitePool};

const COLUMNS: &str = "id, at, actor_id, actor_name, device_id, client, action, subject_type, \
                       subject_id, before, after";

/// Writes the event without an outbox row; `true` when it was new. An id already held
/// is left as it is: an event, once recorded, is never rewritten.
async fn insert(conn: &mut SqliteConnection, event: &AuditEvent) -> StoreResult<bool> {
    let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
    let done = sqlx::query(
        "INSERT INTO audit_events (id, at, actor_id, actor_name, device_id, client, action,
           subject_type, subject_id, before, after)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(event.id.to_string())
    .bind(&event.at)
    .bind(event.actor_id.map(|id| id.to_string()))
    .bind(&event.actor_name)
    .bind(&event.device_id)
    .bind(&event.client)
    .bind(event.action.as_str())
    .bind(&event.subject_type)
    .bind(&event.subject_id)
    .bind(json(&event.before))
    .bind(json(&event.after))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a local event and its outbox row. Call it inside the action's transaction, so
/// the action is never committed without its record, nor the record without the action.
pub async fn record(conn: &mut SqliteConnection, event: &AuditEvent, hlc: Hlc) -> StoreResult<()> {
    insert(conn, event).await?;
    outbox::record(
        conn,
        Entity::AuditEvent,
        &event.id.to_string(),
        Op::Upsert,
        event,
        hlc,
    )
    .await?;
    Ok(())
}

/// Writes an event pulled from the cloud (no outbox row: it came from there).
pub async fn apply_pulled(conn: &mut SqliteConnection, event: &AuditEvent) -> StoreResult<()> {
    insert(conn, event).await.map(drop)
}

/// Filters of the audit list; every bound is optional.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// At or after (stored instant text).
    pub from: Option<String>,
    /// Before (stored instant text).
    pub to: Option<String>,
    /// Only this actor's (user id).
    pub actor_id: Option<String>,
    /// Only this action.
    pub action: Option<AuditAction>,
    /// Only events on this kind of subject.
    pub subject_type: Option<String>,
    /// Only events on this subject.
    pub subject_id: Option<String>,
    /// Page size.
    pub limit: i64,
    /// Rows to skip.
    pub offset: i64,
}

#[derive(sqlx::FromRow)]
struct AuditDbRow {
    id: String,
    at: String,
    actor_id: Option<String>,
    actor_name: Option<String>,
    device_id: String,
    client: Option<String>,
    action: String,
    subject_type: String,
    subject_id: Option<String>,
    before: Option<String>,
    after: Option<String>,
}

impl AuditDbRow {
    fn decode(self) -> StoreResult<AuditEvent> {
        let corrupt = |what: &str| super::StoreError::corrupt("audit_events", what);
        let json = |text: Option<String>| -> StoreResult<Option<serde_json::Value>> {
            Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
        };
        Ok(AuditEvent {
            id: self
                .id
                .parse()
                .map_err(|_| corrupt("an id that is not a UUID"))?,
            at: self.at,
            actor_id: self
                .actor_id
                .map(|id| id.parse())
                .transpose()
                .map_err(|_| corrupt("an actor id that is not a UUID"))?,
            actor_name: self.actor_name,
            device_id: self.device_id,
            client: self.client,
            action: self
                .action
                .parse()
                .map_err(|_| corrupt("an unknown action"))?,
            subject_type: self.subject_type,
            subject_id: self.subject_id,
            before: json(self.before)?,
            after: json(self.after)?,
        })
    }
}

/// A page of events, newest first, with the count of all that match.
pub async fn list(pool: &SqlitePool, filter: &AuditFilter) -> StoreResult<(Vec<AuditEvent>, i64)> {
    // Each filter is a bound parameter that is NULL when unused; the SQL text is constant.
    const WHERE: &str = "(?1 IS NULL OR at >= ?1)
        AND (?2 IS NULL OR at < ?2)
        AND (?3 IS NULL OR actor_id = ?3)
        AND (?4 IS NULL OR action = ?4)
        AND (?5 IS NULL OR subject_type = ?5)
        AND (?6 IS NULL OR subject_id = ?6)";
    let action = filter.action.map(|a| a.as_str());
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM audit_events WHERE {WHERE}"
    )))
    .bind(&filter.from)
    .bind(&filter.to)
    .bind(&filter.actor_id)
    .bind(action)
    .bind(&filter.subject_type)
    .bind(&filter.subject_id)
    .fetch_one(pool)
    .await?;
    let rows: Vec<AuditDbRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM audit_events WHERE {WHERE} ORDER BY at DESC, id DESC LIMIT ?7 OFFSET ?8"
    )))
    .bind(&filter.from)
    .bind(&filter.to)
    .bind(&filter.actor_id)
    .bind(action)
    .bind(&filter.subject_type)
    .bind(&filter.subject_id)
    .bind(filter.limit)
    .bind(filter.offset)
    .fetch_all(pool)
    .await?;
    let events = rows
        .into_iter()
        .map(AuditDbRow::decode)
        .collect::<StoreResult<Vec<_>>>()?;
    Ok((events, total))
}
