//! Failed login attempts, kept on disk so a restart does not reset a lockout.

use super::StoreResult;
use sqlx::SqlitePool;

/// Failures of `scope` at or after `since_ms`, with the oldest one's time.
pub async fn recent(
    pool: &SqlitePool,
    scope: &str,
    since_ms: i64,
) -> StoreResult<(i64, Option<i64>)> {
    Ok(sqlx::query_as(
        "SELECT count(*), min(at_ms) FROM auth_failures WHERE scope = ? AND at_ms >= ?",
    )
    .bind(scope)
    .bind(since_ms)
    .fetch_one(pool)
    .await?)
}

/// Records one failure for each scope, and forgets failures older than `forget_before_ms`.
pub async fn record(
    pool: &SqlitePool,
    scopes: &[&str],
    at_ms: i64,
    forget_before_ms: i64,
) -> StoreResult<()> {
    let mut tx = pool.begin().await?;
    for scope in scopes {
        sqlx::query("INSERT INTO auth_failures (scope, at_ms) VALUES (?, ?)")
            .bind(scope)
            .bind(at_ms)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM auth_failures WHERE at_ms < ?")
        .bind(forget_before_ms)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets an account's failures after a successful login.
pub async fn clear(pool: &SqlitePool, scope: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM auth_failures WHERE scope = ?")
        .bind(scope)
        .execute(pool)
        .await?;
    Ok(())
}
