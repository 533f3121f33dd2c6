//! The access-token signing keys every instance shares (migration 0012): written ahead
//! of use, read by every instance, deleted once no token they signed can be alive.

use super::{Db, StoreResult};
use chrono::{DateTime, Utc};

/// A signing key as stored.
#[derive(Clone, sqlx::FromRow)]
pub struct StoredKey {
    /// The id tokens name in their `kid` header.
    pub kid: String,
    /// The HMAC secret (32 random bytes).
    pub secret: Vec<u8>,
    /// When it starts signing.
    pub signs_from: DateTime<Utc>,
    /// When it stops signing (the next key takes over).
    pub signs_until: DateTime<Utc>,
    /// When the last token it signed has expired; then it is deleted.
    pub verify_until: DateTime<Utc>,
}

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredKey")
            .field("kid", &self.kid)
            .field("signs_from", &self.signs_from)
            .field("signs_until", &self.signs_until)
            .finish_non_exhaustive()
    }
}

/// Instances rotate one at a time: a transaction-scoped advisory lock on this number
/// ("dysakeys" in ASCII) makes a second rotator wait and then see the first one's key.
const ROTATION_LOCK: i64 = 0x6479_7361_6b65_7973;

/// What a rotation needs to know.
#[derive(Clone, Copy, Debug)]
pub struct Rotation {
    /// Now, as the caller's clock says (tests move it).
    pub now: DateTime<Utc>,
    /// How long each key signs.
    pub period: chrono::Duration,
    /// How long before it signs a key is written (every instance reloads well within it).
    pub ahead: chrono::Duration,
    /// How long a key verifies after it stops signing (the longest token life, and leeway).
    pub grace: chrono::Duration,
}

/// Deletes keys past `verify_until`, writes the next key when the newest one stops
/// signing within `ahead` (the first key signs at once), and answers every key left.
/// `secret` makes the new key's secret (only called when one is written).
pub async fn rotate(
    db: &Db,
    rotation: Rotation,
    kid: String,
    secret: impl FnOnce() -> Vec<u8>,
) -> StoreResult<Vec<StoredKey>> {
    let mut tx = db.public_tx().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(ROTATION_LOCK)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM signing_keys WHERE verify_until < $1")
        .bind(rotation.now)
        .execute(&mut *tx)
        .await?;
    let newest: Option<DateTime<Utc>> =
        sqlx::query_scalar("SELECT max(signs_until) FROM signing_keys")
            .fetch_one(&mut *tx)
            .await?;
    let next_from = match newest {
        None => Some(rotation.now),
        Some(until) if until <= rotation.now + rotation.ahead => Some(until.max(rotation.now)),
        Some(_) => None,
    };
    if let Some(from) = next_from {
        let until = from + rotation.period;
        sqlx::query(
            "INSERT INTO signing_keys (kid, secret, signs_from, signs_until, verify_until)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(kid)
        .bind(secret())
        .bind(from)
        .bind(until)
        .bind(until + rotation.grace)
        .execute(&mut *tx)
        .await?;
    }
    let keys = all(&mut tx).await?;
    tx.commit().await?;
    Ok(keys)
}

/// Every stored key, oldest first.
pub async fn load(db: &Db) -> StoreResult<Vec<StoredKey>> {
    let mut tx = db.public_tx().await?;
    let keys = all(&mut tx).await?;
    tx.commit().await?;
    Ok(keys)
}

async fn all(tx: &mut super::Tx) -> StoreResult<Vec<StoredKey>> {
    Ok(sqlx::query_as(
        "SELECT kid, secret, signs_from, signs_until, verify_until
         FROM signing_keys ORDER BY signs_from, kid",
    )
    .fetch_all(&mut **tx)
    .await?)
}
