//! Restaurant settings as JSON values by key. Settings are synced.

use super::{StoreResult, outbox};
use dysa_domain::hlc::Hlc;
use dysa_domain::sync::{Entity, Op};
use serde::Serialize;
use sqlx::SqliteConnection;
use sqlx::SqlitePool;

#[derive(Serialize)]
struct SettingPayload<'a> {
    key: &'a str,
    value: &'a serde_json::Value,
}

/// Writes one setting and its outbox row.
pub async fn put(
    conn: &mut SqliteConnection,
    key: &str,
    value: &serde_json::Value,
    hlc: Hlc,
) -> StoreResult<()> {
    write(conn, key, value, &hlc.to_string(), None).await?;
    outbox::record(
        conn,
        Entity::Setting,
        key,
        Op::Upsert,
        &SettingPayload { key, value },
        hlc,
    )
    .await?;
    Ok(())
}

/// The one write of the settings table (`dysa_domain::sync::rows::Setting`), for this
/// counter's changes (`put`) and for a setting pulled from the cloud (`sync/apply.rs`),
/// which may carry a tombstone. No outbox row.
pub async fn write(
    conn: &mut SqliteConnection,
    key: &str,
    value: &serde_json::Value,
    updated_at: &str,
    deleted_at: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at, deleted_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
           deleted_at = excluded.deleted_at",
    )
    .bind(key)
    .bind(serde_json::to_string(value)?)
    .bind(updated_at)
    .bind(deleted_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Reads one setting, if set.
pub async fn get(pool: &SqlitePool, key: &str) -> StoreResult<Option<serde_json::Value>> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ? AND deleted_at IS NULL")
            .bind(key)
            .fetch_optional(pool)
            .await?;
    Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
}
