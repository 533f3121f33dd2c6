//! A counter's sole admin gets back in through the owner's cloud account (issue 18,
//! Build 2; docs/SECURITY.md, "Admin recovery through the owner"). The owner asks for a
//! code for one of their counters in the dashboard; it is shown once, lives
//! [`CODE_LIFETIME_MINUTES`] minutes and works once. The counter, authenticated by its
//! device token, redeems it before it sets the admin's new password: the code must have
//! been issued for that very device, at its location, be unused and unexpired. Redeeming
//! is lockout-counted per device (a stolen device token cannot guess codes at length),
//! and the issue, each redemption and each refusal are written to the owners' audit log.

use crate::auth::lockout::Attempt;
use crate::auth::tokens;
use crate::http::extract::AuthDevice;
use crate::settings::Settings;
use crate::store::counter_recovery::{self as store, CloudAuditEvent};
use crate::store::{Db, StoreError, Tx, devices};
use chrono::{DateTime, Duration, Utc};
use dysa_domain::ids::{AccountId, DeviceId};
use serde_json::json;

/// How long an owner's recovery code works.
pub const CODE_LIFETIME_MINUTES: i64 = 10;

/// Why issuing or redeeming a code failed.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    /// No such device (or not one the caller may see), or it was revoked.
    #[error("device not found")]
    DeviceNotFound,
    /// The code is unknown, for another counter, used or expired (one answer for all).
    #[error("recovery code not valid")]
    CodeNotValid,
    /// Too many wrong codes from this device; retry after the given seconds.
    #[error("locked for {0} s")]
    Locked(u64),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A code just issued, to show once.
#[derive(Debug)]
pub struct Issued {
    /// The code, `XXXX-XXXX-XXXX`.
    pub code: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// Issues a code for `device` (seen through the owner's own transaction `tx`, so another
/// tenant's or location's device is not found) on behalf of `account`. Audited.
pub async fn issue(
    mut tx: Tx,
    device: DeviceId,
    account: (AccountId, &str),
) -> Result<Issued, RecoveryError> {
    let record = devices::find(&mut tx, device)
        .await?
        .filter(|d| d.revoked_at.is_none())
        .ok_or(RecoveryError::DeviceNotFound)?;
    let code = tokens::new_enrollment_code();
    let expires_at = Utc::now() + Duration::minutes(CODE_LIFETIME_MINUTES);
    store::insert(
        &mut tx,
        record.id,
        record.location_id,
        &tokens::hash_enrollment_code(&code),
        account.0,
        expires_at,
    )
    .await?;
    store::audit(
        &mut tx,
        &CloudAuditEvent {
            location: record.location_id,
            actor: Some(account),
            action: "recovery.owner_code_issued",
            device: record.id,
            after: json!({ "device_name": record.name, "expires_at": expires_at }),
        },
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(Issued { code, expires_at })
}

/// The lockout of one device's redemptions: its own scope, whatever codes it types.
fn attempt_of(device: &AuthDevice) -> Attempt {
    Attempt::new(
        &format!("counter-recovery:{}", device.id),
        &format!("device:{}", device.id),
    )
}

/// Redeems `code` for the calling `device`: Ok only when it was issued for this device
/// at its location and is unused and unexpired; it is then used up. Every attempt is
/// audited; wrong ones count towards the device's lockout.
pub async fn redeem(
    db: &Db,
    settings: &Settings,
    device: &AuthDevice,
    code: &str,
) -> Result<(), RecoveryError> {
    let attempt = attempt_of(device);
    attempt
        .reserve(db, settings)
        .await?
        .map_err(|locked| RecoveryError::Locked(locked.retry_after_secs()))?;
    let mut tx = db.tenant_tx(device.tenant_id).await?;
    let redeemed = store::redeem(
        &mut tx,
        device.id,
        device.location_id,
        &tokens::hash_enrollment_code(code),
    )
    .await?;
    store::audit(
        &mut tx,
        &CloudAuditEvent {
            location: device.location_id,
            actor: None,
            action: if redeemed.is_some() {
                "recovery.owner_code_redeemed"
            } else {
                "recovery.owner_code_refused"
            },
            device: device.id,
            after: json!({ "code_id": redeemed }),
        },
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    if redeemed.is_some() {
        attempt.succeeded(db).await?;
        Ok(())
    } else {
        attempt.failed(db, settings).await?;
        Err(RecoveryError::CodeNotValid)
    }
}
