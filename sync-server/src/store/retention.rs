//! The retention sweep's one statement (`purge_expired`, see [`crate::retention`] for
//! what it forgets and why).

use super::{Db, StoreResult};

/// What one sweep deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Purged {
    /// Stored answers to pushed mutations (`sync_mutations`).
    pub push_answers: i64,
    /// Widget requests' kept answers (`public_requests`: orders, bookings).
    pub public_requests: i64,
    /// Widget orders' status tokens.
    pub status_tokens: i64,
    /// Tombstones of synced rows (`sync_rows` deleted that long ago).
    pub tombstones: i64,
}

/// Deletes, in every tenant, what was created more than `days` days ago.
pub async fn purge(db: &Db, days: u32) -> StoreResult<Purged> {
    let mut tx = db.public_tx().await?;
    let purged: Purged = sqlx::query_as(
        "SELECT push_answers, public_requests, status_tokens, tombstones
         FROM purge_expired(now() - make_interval(days => $1))",
    )
    .bind(i32::try_from(days).unwrap_or(i32::MAX))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(purged)
}

/// Forgets, in every tenant, the synced conversations silent for more than `days` days
/// with their messages (`purge_conversations`, cloud migration 0046): the retention the
/// privacy page states. Answers how many conversations went.
pub async fn purge_conversations(db: &Db, days: u32) -> StoreResult<i64> {
    let mut tx = db.public_tx().await?;
    let gone: i64 =
        sqlx::query_scalar("SELECT purge_conversations(now() - make_interval(days => $1))")
            .bind(i32::try_from(days).unwrap_or(i32::MAX))
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(gone)
}
