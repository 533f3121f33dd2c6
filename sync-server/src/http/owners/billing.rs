//! The owner's plan and billing (`/billing`): what the dashboard's Plan page shows (plan,
//! standing, trial end, next charge, past charges, the plan's limits) and what it does
//! (subscribe, change plan, cancel). These routes stay open while the tenant is
//! read-only: they are how it pays again (see `crate::billing::gate`).

use crate::billing::{self, BillingView};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Json, perm};
use crate::state::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_billing))
        .routes(routes!(subscribe))
        .routes(routes!(change_plan))
        .routes(routes!(cancel))
}

/// A plan to subscribe or move to.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PlanRequest {
    /// `basic`, `pro` or `enterprise`.
    pub plan: String,
}

/// Where to send the owner to authorise the subscription.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Checkout {
    /// Mercado Pago's authorisation page.
    pub checkout_url: String,
}

/// The tenant's plan, its standing (trial, active, grace, read-only, …), the trial's
/// end, the next charge, the last charges and what the plan allows.
#[utoipa::path(get, path = "/billing", tag = "billing", security(("bearer" = ["settings:read"])),
    responses((status = 200, body = BillingView)))]
async fn read_billing(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsRead>,
) -> Result<axum::Json<BillingView>, ApiError> {
    Ok(axum::Json(billing::view(&state, caller.tenant_id()).await?))
}

/// Subscribes to a plan through Mercado Pago (14 days free the first time); answers the
/// page where the owner authorises it.
#[utoipa::path(post, path = "/billing/subscription", tag = "billing", security(("bearer" = ["settings:write"])),
    request_body = PlanRequest,
    responses(
        (status = 200, body = Checkout),
        (status = 409, body = ErrorBody, description = "`already_subscribed`"),
        (status = 422, body = ErrorBody),
        (status = 502, body = ErrorBody, description = "`payment_provider_unavailable`"),
        (status = 503, body = ErrorBody, description = "`billing_not_configured`"),
    ))]
async fn subscribe(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Json(body): Json<PlanRequest>,
) -> Result<axum::Json<Checkout>, ApiError> {
    let tenant = caller.tenant_id();
    let email = owner_email(&state, tenant).await?;
    let checkout_url = billing::subscribe(&state, tenant, &body.plan, &email).await?;
    Ok(axum::Json(Checkout { checkout_url }))
}

/// The email Mercado Pago bills: the owner's.
pub async fn owner_email(
    state: &AppState,
    tenant: dysa_domain::ids::TenantId,
) -> Result<String, ApiError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let email = crate::store::billing::owner_email(&mut tx).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    email.ok_or_else(|| ApiError::not_found("La cuenta de dueño", "The owner's account"))
}

/// Moves to another plan: refused (`plan_limit_reached`) when it allows fewer locations
/// or counters than are in use; the monthly charge changes from the next one.
#[utoipa::path(put, path = "/billing/plan", tag = "billing", security(("bearer" = ["settings:write"])),
    request_body = PlanRequest,
    responses(
        (status = 200, body = BillingView),
        (status = 403, body = ErrorBody, description = "`plan_limit_reached`"),
        (status = 409, body = ErrorBody, description = "`no_subscription`"),
        (status = 422, body = ErrorBody),
        (status = 502, body = ErrorBody, description = "`payment_provider_unavailable`"),
    ))]
async fn change_plan(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Json(body): Json<PlanRequest>,
) -> Result<axum::Json<BillingView>, ApiError> {
    let tenant = caller.tenant_id();
    let view = billing::change_plan(&state, tenant, &body.plan).await?;
    Ok(axum::Json(view))
}

/// Cancels the subscription: no more charges; the dashboard works until the period
/// already paid (or the trial) ends, then turns read-only. The counter keeps selling.
#[utoipa::path(post, path = "/billing/cancel", tag = "billing", security(("bearer" = ["settings:write"])),
    responses(
        (status = 200, body = BillingView),
        (status = 409, body = ErrorBody, description = "`no_subscription`"),
        (status = 502, body = ErrorBody, description = "`payment_provider_unavailable`"),
    ))]
async fn cancel(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
) -> Result<axum::Json<BillingView>, ApiError> {
    Ok(axum::Json(
        billing::cancel(&state, caller.tenant_id()).await?,
    ))
}
