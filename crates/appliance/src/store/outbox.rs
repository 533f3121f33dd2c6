//! The outbox: one row per change to a synced table, written in the change's transaction.

use super::{StoreResult, now_text};
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::MutationId;
use dysa_domain::sync::{Entity, Op};
use serde::Serialize;
use sqlx::SqliteConnection;

/// Records a change. Call it inside the same transaction as the change itself, so a
/// change is never committed without its outbox row, nor the row without the change.
pub async fn record<T: Serialize>(
    conn: &mut SqliteConnection,
    entity: Entity,
    entity_id: &str,
    op: Op,
    payload: &T,
    hlc: Hlc,
) -> StoreResult<MutationId> {
    let mutation_id = MutationId::new();
    let payload = serde_json::to_string(payload)?;
    sqlx::query(
        "INSERT INTO outbox (mutation_id, entity, entity_id, op, payload, hlc, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(mutation_id.to_string())
    .bind(entity.as_str())
    .bind(entity_id)
    .bind(op.as_str())
    .bind(payload)
    .bind(hlc.to_string())
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    Ok(mutation_id)
}

/// Records an edit as only the fields that changed since `before` (plus the id and the
/// HLC stamp); a new row (`before` is `None`) is recorded whole. The cloud merges field by
/// field, last writer wins: a payload carrying every field would let an edit of the name
/// here overwrite a newer price set on the dashboard with this device's stale copy.
pub async fn record_changes<T: Serialize>(
    conn: &mut SqliteConnection,
    entity: Entity,
    entity_id: &str,
    op: Op,
    before: Option<&T>,
    after: &T,
    hlc: Hlc,
) -> StoreResult<MutationId> {
    let after = serde_json::to_value(after)?;
    let payload = match (before, after) {
        (Some(before), serde_json::Value::Object(mut fields)) => {
            let before = serde_json::to_value(before)?;
            fields.retain(|name, value| {
                matches!(name.as_str(), "id" | "key" | "updated_at")
                    || before.get(name) != Some(value)
            });
            serde_json::Value::Object(fields)
        }
        (_, whole) => whole,
    };
    record(conn, entity, entity_id, op, &payload, hlc).await
}

/// One stored outbox row, as the sync client and tests read it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutboxRow {
    /// Commit order on this device.
    pub seq: i64,
    /// Idempotency key of the mutation.
    pub mutation_id: String,
    /// Entity wire name.
    pub entity: String,
    /// Id of the changed row.
    pub entity_id: String,
    /// `upsert` or `delete`.
    pub op: String,
    /// The row's synced fields as JSON.
    pub payload: String,
    /// HLC timestamp of the change.
    pub hlc: String,
}

/// Outbox rows not yet confirmed by the cloud, oldest first.
pub async fn pending(pool: &sqlx::SqlitePool, limit: i64) -> StoreResult<Vec<OutboxRow>> {
    Ok(sqlx::query_as(
        "SELECT seq, mutation_id, entity, entity_id, op, payload, hlc FROM outbox
         WHERE pushed_at IS NULL AND rejected_reason IS NULL ORDER BY seq LIMIT ?",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// How many changes wait for the cloud.
pub async fn pending_count(pool: &sqlx::SqlitePool) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE pushed_at IS NULL AND rejected_reason IS NULL",
    )
    .fetch_one(pool)
    .await?)
}

/// One change for [`record_many`].
#[derive(Debug)]
pub struct Change<'a> {
    /// The entity.
    pub entity: Entity,
    /// The changed row's id.
    pub entity_id: String,
    /// What happened.
    pub op: Op,
    /// The row's synced fields as JSON text.
    pub payload: String,
    /// HLC of the change.
    pub hlc: &'a Hlc,
}

impl<'a> Change<'a> {
    /// An upsert of `payload` for `entity`/`entity_id` at `hlc`.
    pub fn upsert<T: Serialize>(
        entity: Entity,
        entity_id: impl ToString,
        payload: &T,
        hlc: &'a Hlc,
    ) -> StoreResult<Self> {
        Ok(Change {
            entity,
            entity_id: entity_id.to_string(),
            op: Op::Upsert,
            payload: serde_json::to_string(payload)?,
            hlc,
        })
    }
}

/// Records several changes with one statement (same rules as [`record`]: call it in the
/// changes' own transaction). One statement instead of one per row matters on the
/// order path, where the writer's per-statement cost bounds throughput.
pub async fn record_many(conn: &mut SqliteConnection, changes: &[Change<'_>]) -> StoreResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let now = now_text();
    let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "INSERT INTO outbox (mutation_id, entity, entity_id, op, payload, hlc, created_at) ",
    );
    insert.push_values(changes, |mut row, change| {
        row.push_bind(MutationId::new().to_string())
            .push_bind(change.entity.as_str())
            .push_bind(change.entity_id.clone())
            .push_bind(change.op.as_str())
            .push_bind(change.payload.clone())
            .push_bind(change.hlc.to_string())
            .push_bind(now.clone());
    });
    insert.build().execute(&mut *conn).await?;
    Ok(())
}
