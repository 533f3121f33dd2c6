//! Device enrolment: a one-time code becomes a device token bound to a tenant and a
//! location. The token is shown once and stored hashed.

use crate::auth::tokens;
use crate::store::{Db, StoreError, devices, tenants};
use dysa_domain::ids::{DeviceId, LocationId, TenantId};
use dysa_domain::validate::{FieldErrors, FieldIssue};

/// Why an enrolment was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum EnrollError {
    /// The input is invalid.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The code is unknown, used or expired.
    #[error("enrolment code not valid")]
    CodeNotValid,
    /// The code's tenant is suspended.
    #[error("tenant suspended")]
    Suspended,
    /// The tenant is read-only (its plan unpaid past the grace period): the code stays
    /// unused, valid for after the payment.
    #[error("billing read-only")]
    ReadOnly,
    /// The location has as many counters as the plan allows: (plan, limit).
    #[error("plan {0} allows {1} counters per location")]
    PlanLimit(String, i64),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for EnrollError {
    fn from(error: sqlx::Error) -> Self {
        EnrollError::Store(StoreError::Sqlx(error))
    }
}

/// A device just enrolled, with its token (shown once).
#[derive(Debug)]
pub struct Enrolled {
    /// The device.
    pub device_id: DeviceId,
    /// Its bearer token.
    pub device_token: String,
    /// Its tenant.
    pub tenant_id: TenantId,
    /// Its location.
    pub location_id: LocationId,
}

/// Checks a device name.
pub fn check_name(errors: &mut FieldErrors, field: &str, name: &str) {
    errors.text(field, name, 80);
}

/// Enrols a device with a one-time code. A suspended tenant's codes are refused (and
/// stay unused), and so are a read-only tenant's when `billing_gates` (the cloud bills):
/// a code made before the tenant turned read-only is not a way round the pause, and
/// stays valid for after the payment.
pub async fn enroll(
    db: &Db,
    code: &str,
    device_name: &str,
    billing_gates: bool,
) -> Result<Enrolled, EnrollError> {
    let mut errors = FieldErrors::new();
    if code.trim().is_empty() {
        errors.add("enrollment_code", FieldIssue::Required);
    }
    check_name(&mut errors, "device_name", device_name);
    errors.into_result().map_err(EnrollError::Invalid)?;
    let hash = tokens::hash_enrollment_code(code);
    let tenant_id = devices::tenant_of_code(db, &hash)
        .await?
        .ok_or(EnrollError::CodeNotValid)?;
    let mut tx = db.tenant_tx(tenant_id).await?;
    if tenants::current(&mut tx)
        .await?
        .is_none_or(|t| t.status != "active")
    {
        return Err(EnrollError::Suspended);
    }
    if billing_gates {
        let row = crate::store::billing::subscription(&mut tx).await?;
        let facts = row.as_ref().map(crate::billing::Facts::from);
        if crate::billing::standing(facts.as_ref(), chrono::Utc::now())
            == crate::billing::Standing::ReadOnly
        {
            return Err(EnrollError::ReadOnly);
        }
    }
    let (code_id, location_id) = devices::claim_code(&mut tx, &hash)
        .await?
        .ok_or(EnrollError::CodeNotValid)?;
    if let Some((plan, limit)) = crate::billing::check_counter_limit(&mut tx, location_id).await? {
        return Err(EnrollError::PlanLimit(plan, limit));
    }
    let device_token = tokens::new_secret("dyd_");
    let device_id = devices::insert(
        &mut tx,
        tenant_id,
        location_id,
        device_name.trim(),
        &tokens::hash_secret(&device_token),
        code_id,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(%tenant_id, %device_id, "device enrolled");
    Ok(Enrolled {
        device_id,
        device_token,
        tenant_id,
        location_id,
    })
}
