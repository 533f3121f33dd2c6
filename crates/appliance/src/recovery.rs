//! The sole admin's way back on this counter (issue 18, Build 2; docs/SECURITY.md,
//! "Admin recovery code"). A recovery code is shown once — at first-run setup, when an
//! admin makes a new one, and after it was used — and only its hash is kept. Whoever holds
//! it may set a new password for an active admin of this counter by email: the attempt is
//! reserved in the sign-in lockout before the code is checked (one counter for the whole
//! counter, plus the client's), a wrong email and a wrong code answer the same, and every
//! use and every refusal is audited. Using the code replaces it, so it works once.
//!
//! A linked counter has a second way back: a code the owner makes for this counter in the
//! cloud's dashboard (Dispositivos, "Recuperar acceso al local"), ten minutes and single
//! use. [`recover_with_owner`] checks the admin's email here, then has the cloud redeem the
//! code for this device (device token) before any password changes; same lockout, same
//! single answer, audited here and in the cloud (docs/SECURITY.md, "Admin recovery through
//! the owner").

use crate::accounts::{AccountError, check_reserved, refused, reserve};
use crate::audit::Actor;
use crate::auth::lockout::Attempt;
use crate::auth::password::{self, Hasher};
use crate::settings::Settings;
use crate::store::{Db, StoreError, audit as audit_store, recovery, sessions, users};
use crate::sync::client::CloudClient;
use crate::sync::{SyncContext, join, location_key};
use dysa_domain::audit::AuditAction;
use dysa_domain::rbac::Role;
use dysa_domain::validate::{FieldErrors, normalize_email};

/// Letters and digits that cannot be mistaken for one another (no I, L, O, 0, 1), as the
/// setup code uses.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Characters in a code: 31²⁰ ≈ 2⁹⁹ codes, written in groups of four.
const LENGTH: usize = 20;
/// The lockout scope of recovery attempts: one for the counter, whatever email is typed,
/// so guesses spread over many emails still hit one limit.
const SCOPE: &str = "recovery:admin";

/// A fresh code, `ABCD-EFGH-JKMN-PQRS-TUVW`.
pub fn new_code() -> String {
    let mut code = String::with_capacity(LENGTH + LENGTH / 4);
    for i in 0..LENGTH {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]));
    }
    code
}

/// The code as compared: case, spaces and dashes do not matter.
pub fn normalize(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A new code and its hash (hashed before any write transaction opens: hashing is slow).
pub(crate) async fn fresh() -> Result<(String, String), AccountError> {
    let code = new_code();
    let hash = password::hash(normalize(&code)).await?;
    Ok((code, hash))
}

/// Makes a new code for this counter (an admin's request); the old one stops working.
/// Audited; the code is returned once and never stored in clear.
pub async fn regenerate(db: &Db, actor: &Actor) -> Result<String, AccountError> {
    let (code, hash) = fresh().await?;
    let mut tx = db.begin().await?;
    recovery::put(&mut tx, &hash).await?;
    let event = actor.event(AuditAction::RecoveryCodeIssued, "device", None, None, None);
    audit_store::record(&mut tx, &event, db.tick()).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(code)
}

/// Whether this counter has a code in force (never which).
pub async fn exists(db: &Db) -> Result<Option<String>, AccountError> {
    Ok(recovery::issued_at(&db.read).await?)
}

/// Sets a new password for the active admin `email` when `code` is this counter's
/// recovery code, closes that admin's sessions and returns the new code (the used one
/// stops working). Any refusal is `BadRecovery`, the same for an unknown email, a
/// non-admin, a wrong code or no code at all; locked attempts are `Locked`.
pub async fn recover(
    db: &Db,
    settings: &Settings,
    hasher: &Hasher,
    email: &str,
    code: &str,
    new_password: String,
    client: &str,
) -> Result<String, AccountError> {
    let mut errors = FieldErrors::new();
    errors.password("new_password", &new_password);
    errors.into_result().map_err(AccountError::Invalid)?;
    let email = normalize_email(email);
    let attempt = Attempt::new(SCOPE.to_owned(), client);
    reserve(db, settings, &attempt).await?;
    let stored = recovery::hash(&db.read).await?;
    let admin = users::find_by_email(&db.read, &email)
        .await?
        .filter(|u| u.active && u.role == Role::Admin);
    let ok = check_reserved(db, hasher, &attempt, normalize(code), stored).await?;
    let Some(mut admin) = admin.filter(|_| ok) else {
        refused(
            db,
            settings,
            &attempt,
            (&email, client),
            "recovery_code",
            None,
        )
        .await?;
        return Err(AccountError::BadRecovery);
    };
    attempt.succeeded(db).await?;
    let password_hash = password::hash(new_password).await?;
    let (next_code, next_hash) = fresh().await?;
    let key = location_key::current_or_load(db).await?;
    let mut tx = db.begin().await?;
    admin.password_hash = password_hash;
    admin.updated_at = db.tick();
    users::save(&mut tx, &admin, &key).await?;
    sessions::revoke_all_for_user(&mut tx, admin.id, None, "password_recovered").await?;
    recovery::put(&mut tx, &next_hash).await?;
    let event = Actor::anonymous(db.device_id(), Some(client)).event(
        AuditAction::Recovered,
        "user",
        Some(admin.id.to_string()),
        None,
        Some(serde_json::json!({ "name": admin.name, "email": admin.email })),
    );
    audit_store::record(&mut tx, &event, db.tick()).await?;
    tx.commit().await.map_err(StoreError::from)?;
    db.session_cache.invalidate();
    Ok(next_code)
}

/// Characters of an owner's code from the cloud (`XXXX-XXXX-XXXX`), told apart from this
/// counter's own [`LENGTH`]-character code by length alone.
pub const OWNER_CODE_LENGTH: usize = 12;

/// Sets a new password for the active admin `email` when the cloud this counter is linked
/// to redeems `code`, an owner's recovery code issued for this very device. The email is
/// checked first (a wrong one never uses up the owner's code); any refusal is
/// `BadRecovery`, counted in the same lockout as the printed code and audited. The
/// admin's sessions are closed. `NotLinked` when there is no cloud, `CloudUnavailable`
/// when it cannot be asked (nothing is counted against the admin then).
pub async fn recover_with_owner(
    sync: &SyncContext,
    settings: &Settings,
    email: &str,
    code: &str,
    new_password: String,
    client: &str,
) -> Result<(), AccountError> {
    let db = &sync.db;
    let mut errors = FieldErrors::new();
    errors.password("new_password", &new_password);
    errors.into_result().map_err(AccountError::Invalid)?;
    let email = normalize_email(email);
    let attempt = Attempt::new(SCOPE.to_owned(), client);
    reserve(db, settings, &attempt).await?;
    let linked = match join::linked(sync).await {
        Ok(linked) => linked,
        Err(join::JoinError::Store(e)) => {
            attempt.unchecked(db).await?;
            return Err(e.into());
        }
        Err(other) => {
            attempt.unchecked(db).await?;
            return Err(AccountError::CloudUnavailable(other.to_string()));
        }
    };
    let Some((link, token)) = linked else {
        attempt.unchecked(db).await?;
        return Err(AccountError::NotLinked);
    };
    let admin = users::find_by_email(&db.read, &email)
        .await?
        .filter(|u| u.active && u.role == Role::Admin);
    let redeemed = match &admin {
        // The code is not spent on a mistyped email: the owner need not make another.
        None => Ok(false),
        Some(_) if normalize(code).len() != OWNER_CODE_LENGTH => Ok(false),
        Some(_) => {
            CloudClient::new(sync.sync.http.clone(), link.cloud_url, token)
                .redeem_owner_recovery(code)
                .await
        }
    };
    let redeemed = match redeemed {
        Ok(redeemed) => redeemed,
        Err(error) => {
            attempt.unchecked(db).await?;
            let event = Actor::anonymous(db.device_id(), Some(client)).event(
                AuditAction::SignInFailed,
                "user",
                None,
                None,
                Some(serde_json::json!({
                    "login": email, "method": "owner_recovery_code",
                    "reason": "cloud_unavailable",
                })),
            );
            crate::audit::record_alone(db, &event).await?;
            return Err(AccountError::CloudUnavailable(error.to_string()));
        }
    };
    let Some(mut admin) = admin.filter(|_| redeemed) else {
        refused(
            db,
            settings,
            &attempt,
            (&email, client),
            "owner_recovery_code",
            None,
        )
        .await?;
        return Err(AccountError::BadRecovery);
    };
    attempt.succeeded(db).await?;
    let password_hash = password::hash(new_password).await?;
    let key = location_key::current_or_load(db).await?;
    let mut tx = db.begin().await?;
    admin.password_hash = password_hash;
    admin.updated_at = db.tick();
    users::save(&mut tx, &admin, &key).await?;
    sessions::revoke_all_for_user(&mut tx, admin.id, None, "password_recovered").await?;
    let event = Actor::anonymous(db.device_id(), Some(client)).event(
        AuditAction::Recovered,
        "user",
        Some(admin.id.to_string()),
        None,
        Some(serde_json::json!({ "name": admin.name, "email": admin.email, "via": "owner" })),
    );
    audit_store::record(&mut tx, &event, db.tick()).await?;
    tx.commit().await.map_err(StoreError::from)?;
    db.session_cache.invalidate();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_unambiguous_and_compare_loosely() {
        let code = new_code();
        assert_eq!(code.len(), 24, "{code}");
        assert_eq!(code.matches('-').count(), 4);
        let plain = normalize(&code);
        assert_eq!(plain.len(), LENGTH);
        assert!(plain.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
        assert_eq!(normalize(&code.to_lowercase().replace('-', " ")), plain);
        assert_ne!(new_code(), code, "two codes in a row differ");
    }
}
