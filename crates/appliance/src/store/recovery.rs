//! The stored hash of the counter's admin recovery code (`recovery_code`, one row).

use super::{StoreResult, WriteTx, now_text};
use sqlx::SqlitePool;

/// Replaces the stored code's hash: the code it was made from works from now on, the old
/// one no longer.
pub async fn put(tx: &mut WriteTx, code_hash: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO recovery_code (id, code_hash, issued_at) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET code_hash = excluded.code_hash, issued_at = excluded.issued_at",
    )
    .bind(code_hash)
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The stored hash, if a code was ever issued on this counter.
pub async fn hash(pool: &SqlitePool) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT code_hash FROM recovery_code WHERE id = 1")
            .fetch_optional(pool)
            .await?,
    )
}

/// When the code in force was issued (RFC 3339), for the admin's screen.
pub async fn issued_at(pool: &SqlitePool) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT issued_at FROM recovery_code WHERE id = 1")
            .fetch_optional(pool)
            .await?,
    )
}
