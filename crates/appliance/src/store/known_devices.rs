//! Browsers that signed in here once ("known devices"), by the SHA-256 of their cookie.

use super::StoreResult;
use sqlx::SqlitePool;

/// Records (or refreshes) a known device, and forgets those not seen since
/// `forget_before` (stored instant text).
pub async fn remember(
    pool: &SqlitePool,
    token_hash: &str,
    now: &str,
    forget_before: &str,
) -> StoreResult<()> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO known_devices (token_hash, created_at, last_seen_at) VALUES (?, ?, ?)
         ON CONFLICT (token_hash) DO UPDATE SET last_seen_at = excluded.last_seen_at",
    )
    .bind(token_hash)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM known_devices WHERE last_seen_at < ?")
        .bind(forget_before)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a device with this cookie hash signed in here and was seen since `since`.
pub async fn is_known(pool: &SqlitePool, token_hash: &str, since: &str) -> StoreResult<bool> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT 1 FROM known_devices WHERE token_hash = ? AND last_seen_at >= ?",
    )
    .bind(token_hash)
    .bind(since)
    .fetch_optional(pool)
    .await?
    .is_some())
}
