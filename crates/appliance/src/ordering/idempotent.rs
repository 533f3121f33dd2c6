//! The `Idempotency-Key` of the floor's writes (opening a table, adding a round): a
//! waiter's phone retries a request after a Wi-Fi hiccup with the same key, and the
//! second request answers what the first did instead of opening or adding again. Keys
//! share the `idempotency_keys` table with new orders, each write under its own scope.

use super::{OrderError, parse_id};
use crate::store::orders;
use dysa_domain::ids::OrderId;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

/// A request's key and the fingerprint of what it asked (its target and body).
#[derive(Clone, Debug)]
pub struct Keyed {
    key: String,
    scope: &'static str,
    hash: String,
}

impl Keyed {
    /// The key of a request to `scope` on `target` with `body`; none without a key.
    pub fn of(
        key: Option<String>,
        scope: &'static str,
        target: &str,
        body: &impl Serialize,
    ) -> Result<Option<Keyed>, OrderError> {
        let Some(key) = key else {
            return Ok(None);
        };
        if key.is_empty() || key.len() > 255 {
            let mut errors = FieldErrors::new();
            errors.add("Idempotency-Key", FieldIssue::TooLong { max: 255 });
            return Err(OrderError::Invalid(errors));
        }
        let mut digest = Sha256::new();
        digest.update(scope.as_bytes());
        digest.update([0]);
        digest.update(target.as_bytes());
        digest.update([0]);
        digest.update(serde_json::to_vec(body).map_err(crate::store::StoreError::from)?);
        let hash = digest
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Some(Keyed { key, scope, hash }))
    }

    /// The order an earlier request with this key wrote, if there was one; the same key
    /// with another request answers 422 `idempotency_key_reused`.
    pub async fn replayed(
        &self,
        conn: &mut SqliteConnection,
    ) -> Result<Option<OrderId>, OrderError> {
        match orders::idempotency_key(&mut *conn, &self.key, self.scope).await? {
            Some((hash, id)) if hash == self.hash => Ok(Some(parse_id(&id)?)),
            Some(_) => Err(OrderError::IdempotencyMismatch),
            None => {
                // The key was used for another kind of request.
                let used: Option<i64> =
                    sqlx::query_scalar("SELECT 1 FROM idempotency_keys WHERE key = ?")
                        .bind(&self.key)
                        .fetch_optional(&mut *conn)
                        .await?;
                if used.is_some() {
                    Err(OrderError::IdempotencyMismatch)
                } else {
                    Ok(None)
                }
            }
        }
    }

    /// Records that this key wrote `id` (in the write's own transaction).
    pub async fn remember(
        &self,
        conn: &mut SqliteConnection,
        id: OrderId,
    ) -> Result<(), OrderError> {
        sqlx::query(
            "INSERT INTO idempotency_keys (key, scope, request_hash, resource_id, created_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&self.key)
        .bind(self.scope)
        .bind(&self.hash)
        .bind(id.to_string())
        .bind(crate::store::now_text())
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}
