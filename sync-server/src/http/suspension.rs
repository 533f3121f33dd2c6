//! The suspension gate: what a suspended tenant may still do, in one place.
//!
//! The operator suspends a tenant with a reason (`platform::set_active`). From then on its
//! cloud features pause: sign-in, sessions, refreshes and device tokens on the cloud's own
//! routes answer 403 `tenant_suspended`, with the operator's reason in
//! `error.details.reason` and in the message, so the owners see why. The counter never
//! stops selling: it works offline by design, and its device sync (`SyncDevice`) keeps
//! being accepted, so nothing it sells while suspended is lost or waits for reactivation.
//! The extractors call this module with one line each; nothing else decides it.

use super::error::{ApiError, tenant_suspended};
use crate::store::{Db, StoreError, tenants};
use dysa_domain::ids::TenantId;

/// The refusal a suspended tenant's accounts get, with the operator's reason when one
/// was given.
pub fn refusal(reason: Option<&str>) -> ApiError {
    let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) else {
        return tenant_suspended();
    };
    ApiError::forbidden(
        "tenant_suspended",
        format!("La cuenta del restaurante está suspendida: {reason}. Escribe a soporte."),
        format!("The restaurant's account is suspended: {reason}. Contact support."),
    )
    .with_details(serde_json::json!({ "reason": reason }))
}

/// Lets an account of a tenant with `status` through, or refuses it with the reason of
/// the suspension (read only then: an active tenant costs no query).
pub async fn check_account(db: &Db, tenant: TenantId, status: &str) -> Result<(), ApiError> {
    if status == "active" {
        return Ok(());
    }
    let mut tx = db.tenant_tx(tenant).await?;
    let reason = tenants::suspension_reason(&mut tx).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Err(refusal(reason.as_deref()))
}

/// Device sync of a tenant (`tenant_active` false: suspended) is always accepted: the
/// counter never stops selling, and what it sold must reach the cloud for when the
/// tenant is reactivated. Kept as a gate so the rule has one home.
pub fn check_sync(tenant: TenantId, tenant_active: bool) -> Result<(), ApiError> {
    if !tenant_active {
        tracing::debug!(tenant_id = %tenant, "a suspended tenant's device syncs");
    }
    Ok(())
}
