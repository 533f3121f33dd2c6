//! Sign-in lockout counters, one row per scope, kept on disk so a restart does not reset
//! a lockout. The rules are `dysa_domain::lockout`; this file only loads and stores them
//! inside the caller's write transaction (the single writer serialises every attempt).

use super::{StoreResult, WriteTx};
use dysa_domain::lockout::Counter;

/// The counter of `scope` (all zero when it has none).
pub async fn load(tx: &mut WriteTx, scope: &str) -> StoreResult<Counter> {
    let row: Option<(i64, i64, Option<i64>, i64)> = sqlx::query_as(
        "SELECT attempts, locks, locked_until_ms, last_attempt_ms
         FROM auth_lockouts WHERE scope = ?",
    )
    .bind(scope)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(
        row.map_or_else(Counter::default, |(attempts, locks, until, last)| Counter {
            attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
            locks: u32::try_from(locks).unwrap_or(u32::MAX),
            locked_until_ms: until,
            last_attempt_ms: last,
        }),
    )
}

/// Stores the counter of `scope`; an all-zero counter deletes the row.
pub async fn save(tx: &mut WriteTx, scope: &str, counter: &Counter) -> StoreResult<()> {
    if *counter == Counter::default() {
        sqlx::query("DELETE FROM auth_lockouts WHERE scope = ?")
            .bind(scope)
            .execute(&mut **tx)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO auth_lockouts (scope, attempts, locks, locked_until_ms, last_attempt_ms)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (scope) DO UPDATE SET attempts = excluded.attempts, locks = excluded.locks,
             locked_until_ms = excluded.locked_until_ms, last_attempt_ms = excluded.last_attempt_ms",
    )
    .bind(scope)
    .bind(i64::from(counter.attempts))
    .bind(i64::from(counter.locks))
    .bind(counter.locked_until_ms)
    .bind(counter.last_attempt_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every scope locked at `now_ms`, with its lock's end (for the staff list).
pub async fn locked_until(pool: &sqlx::SqlitePool, now_ms: i64) -> StoreResult<Vec<(String, i64)>> {
    Ok(
        sqlx::query_as(
            "SELECT scope, locked_until_ms FROM auth_lockouts WHERE locked_until_ms > ?",
        )
        .bind(now_ms)
        .fetch_all(pool)
        .await?,
    )
}

/// Forgets the counters of `scopes` (an admin unlocking an account).
pub async fn clear(tx: &mut WriteTx, scopes: &[String]) -> StoreResult<()> {
    for scope in scopes {
        sqlx::query("DELETE FROM auth_lockouts WHERE scope = ?")
            .bind(scope)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
