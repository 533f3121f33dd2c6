//! The platform operator's routes (super_admin only): every tenant with its numbers, and
//! suspending (with a reason) or reactivating a tenant. They declare the security
//! scope `platform:admin`; tenant accounts and devices get 403.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Json, Path, PlatformAdmin, Query};
use crate::platform::{self as ops, Page};
use crate::state::AppState;
use crate::store::platform::TenantSummary;
use axum::extract::State;
use chrono::{DateTime, Utc};
use dysa_domain::ids::TenantId;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(tenants))
        .routes(routes!(suspend))
        .routes(routes!(reactivate))
}

/// A page of a list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// Rows per page: 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// Rows to skip (default 0); use the answer's `next_offset`.
    pub offset: Option<i64>,
}

/// A tenant as the platform sees it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlatformTenant {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: TenantId,
    /// URL name.
    pub slug: String,
    /// Business name.
    pub name: String,
    /// `basic`, `pro` or `enterprise`.
    pub plan: String,
    /// `active` or `suspended`.
    pub status: String,
    /// Sign-up time.
    pub created_at: DateTime<Utc>,
    /// Its locations.
    pub locations: i64,
    /// Its enrolled, unrevoked devices.
    pub devices: i64,
    /// The last request of any of its devices (none before the first).
    pub last_device_seen_at: Option<DateTime<Utc>>,
    /// Its devices seen in the last five minutes: counters online now.
    pub counters_online: i64,
    /// The last completed sync of any of its devices.
    pub last_sync_at: Option<DateTime<Utc>>,
    /// Why it was last suspended (its owners are told so while it is).
    pub suspension_reason: Option<String>,
    /// When it was last suspended.
    pub suspended_at: Option<DateTime<Utc>>,
}

impl From<TenantSummary> for PlatformTenant {
    fn from(r: TenantSummary) -> Self {
        PlatformTenant {
            id: r.id,
            slug: r.slug,
            name: r.name,
            plan: r.plan,
            status: r.status,
            created_at: r.created_at,
            locations: r.locations,
            devices: r.devices,
            last_device_seen_at: r.last_device_seen_at,
            counters_online: r.counters_online,
            last_sync_at: r.last_sync_at,
            suspension_reason: r.suspension_reason,
            suspended_at: r.suspended_at,
        }
    }
}

/// A page of tenants.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TenantPage {
    /// Tenants, newest first.
    pub tenants: Vec<PlatformTenant>,
    /// The `offset` of the next page; none on the last.
    pub next_offset: Option<i64>,
}

/// Every tenant, newest first, with its plan, status, numbers of locations and devices,
/// and when a device of it was last seen.
#[utoipa::path(get, path = "/platform/tenants", tag = "platform",
    security(("bearer" = ["platform:admin"])),
    params(PageQuery),
    responses(
        (status = 200, body = TenantPage),
        (status = 403, description = "Not a super_admin", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn tenants(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<TenantPage>, ApiError> {
    let page = Page::new(q.limit, q.offset)?;
    let (rows, next_offset) = ops::tenants(&state.db, admin.session_ref(), page).await?;
    Ok(axum::Json(TenantPage {
        tenants: rows.into_iter().map(PlatformTenant::from).collect(),
        next_offset,
    }))
}

/// Why a tenant is suspended.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SuspendRequest {
    /// Shown to its owners when the cloud refuses them (1 to 500 characters).
    #[serde(default)]
    pub reason: String,
}

/// Suspends a tenant with a reason: from the next request on, its cloud features pause
/// (sign-ins, sessions, refreshes, device tokens and enrolment codes get 403
/// `tenant_suspended`, with the reason in `error.details.reason`); its devices keep
/// syncing, so the counter never stops selling. Nothing is deleted or revoked;
/// reactivating gives it all back. Idempotent (a second call updates the reason).
#[utoipa::path(post, path = "/platform/tenants/{id}/suspend", tag = "platform",
    security(("bearer" = ["platform:admin"])),
    params(("id" = String, Path, format = Uuid)),
    request_body = SuspendRequest,
    responses(
        (status = 200, body = PlatformTenant),
        (status = 403, description = "Not a super_admin", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "No reason", body = ErrorBody),
    ))]
async fn suspend(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(id): Path<TenantId>,
    Json(body): Json<SuspendRequest>,
) -> Result<axum::Json<PlatformTenant>, ApiError> {
    let tenant = ops::set_active(
        &state.db,
        admin.session_ref(),
        id,
        false,
        Some(&body.reason),
    )
    .await?;
    // The widget's cached view carries the status: at once on this instance.
    state.widget.forget_tenant(id);
    Ok(axum::Json(tenant.into()))
}

/// Reactivates a suspended tenant: its sessions and devices work again at once.
/// Idempotent.
#[utoipa::path(post, path = "/platform/tenants/{id}/reactivate", tag = "platform",
    security(("bearer" = ["platform:admin"])),
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = PlatformTenant),
        (status = 403, description = "Not a super_admin", body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
async fn reactivate(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(id): Path<TenantId>,
) -> Result<axum::Json<PlatformTenant>, ApiError> {
    let tenant = ops::set_active(&state.db, admin.session_ref(), id, true, None).await?;
    state.widget.forget_tenant(id);
    Ok(axum::Json(tenant.into()))
}
