//! Taking a pulled staff account (docs/SECURITY.md, "Staff credentials stay in the
//! restaurant").
//!
//! A user row from the cloud is trusted only through its `credentials`: the
//! [`StaffSecret`] another counter of this location sealed with the location key. Its name,
//! email, role, active flag and hashes come from the opened seal; the row's display mirrors
//! are for the owners' dashboard and are ignored here, since anyone holding a device token
//! can write them. A row that does not open (forged with a device token, sealed with
//! another location's key, or from before seals) is not applied: the caller parks it with
//! the reason [`SEAL_INVALID`] for staff to see. A seal no newer than the one held (an old
//! blob replayed, or this counter's own echo) changes nothing.

use crate::store::{now_text, users};
use crate::sync::location_key::LocationKey;
use dysa_domain::staff_seal::{self, CREDENTIALS_FIELD, StaffSecret};
use dysa_domain::sync::ChangeRecord;
use sqlx::SqliteConnection;

pub use dysa_domain::staff_seal::SEAL_INVALID;

/// Why a pulled staff row was not taken.
#[derive(Debug, thiserror::Error)]
pub enum StaffRowError {
    /// The seal is missing or does not open with this location's key: park it
    /// ([`SEAL_INVALID`]) and change nothing.
    #[error("staff_seal_invalid: {0}")]
    SealInvalid(&'static str),
    /// The database refused or failed (a clashing email is a constraint, like any row).
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// What became of a staff row whose seal opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffApplied {
    /// The account was written from the seal.
    Written,
    /// The seal is not newer than the one held: nothing changed.
    Stale,
}

/// Opens the row's seal with `key`. The seal is bound to the row's id: a blob moved onto
/// another account does not open.
pub fn open_row(
    change: &ChangeRecord,
    key: Option<&LocationKey>,
) -> Result<StaffSecret, StaffRowError> {
    let key = key.ok_or(StaffRowError::SealInvalid(
        "this counter holds no location key yet",
    ))?;
    let sealed = change
        .row
        .get(CREDENTIALS_FIELD)
        .and_then(|v| v.as_str())
        .ok_or(StaffRowError::SealInvalid("the account carries no seal"))?;
    staff_seal::open(key.as_bytes(), &key.seal_label(), &change.entity_id, sealed)
        .map_err(|_| StaffRowError::SealInvalid("the seal does not open with this location's key"))
}

/// Writes the account from its opened seal when the seal is newer than the one held.
/// `updated_at` is the row's HLC. A deactivation or a new password closes the account's
/// sessions here, as the same change made at this counter would.
pub async fn apply_user(
    conn: &mut SqliteConnection,
    change: &ChangeRecord,
    key: Option<&LocationKey>,
    updated_at: &str,
) -> Result<StaffApplied, StaffRowError> {
    let secret = open_row(change, key)?;
    let held: Option<(Option<String>, String, bool)> = sqlx::query_as(
        "SELECT credentials_sealed_at, password_hash, active FROM users WHERE id = ?",
    )
    .bind(&change.entity_id)
    .fetch_optional(&mut *conn)
    .await?;
    let sealed_at = secret.sealed_at.to_string();
    if let Some((Some(held_at), _, _)) = &held
        && held_at.as_str() >= sealed_at.as_str()
    {
        return Ok(StaffApplied::Stale);
    }
    let created_at = change
        .row
        .get("created_at")
        .and_then(|v| v.as_str())
        .map_or_else(now_text, str::to_owned);
    let fingerprint = key.map(LocationKey::fingerprint);
    users::write_account(
        conn,
        &change.entity_id,
        &secret,
        &created_at,
        updated_at,
        fingerprint.as_deref(),
    )
    .await?;
    if let Some((_, password_hash, active)) = held {
        let reason = if active && !secret.active {
            Some("user_deactivated")
        } else if password_hash != secret.password_hash {
            Some("password_changed")
        } else {
            None
        };
        if let Some(reason) = reason {
            sqlx::query(
                "UPDATE sessions SET revoked_at = ?, revoked_reason = ?
                 WHERE user_id = ? AND revoked_at IS NULL",
            )
            .bind(now_text())
            .bind(reason)
            .bind(&change.entity_id)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(StaffApplied::Written)
}
