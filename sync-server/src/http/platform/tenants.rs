//! The platform operator's routes (super_admin only): every tenant with its numbers, the
//! demo requests, and suspending or reactivating a tenant. They declare the security
//! scope `platform:admin`; tenant accounts and devices get 403.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Path, PlatformAdmin, Query};
use crate::platform::{self as ops, Page};
use crate::state::AppState;
use crate::store::platform::{LeadRecord, TenantSummary};
use axum::extract::State;
use chrono::{DateTime, Utc};
use dysa_domain::ids::TenantId;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(tenants))
        .routes(routes!(leads))
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

/// A demo request from the website.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Lead {
    /// Id.
    pub id: Uuid,
    /// Who asked.
    pub name: String,
    /// Their restaurant.
    pub restaurant: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: Option<String>,
    /// What they wrote.
    pub message: Option<String>,
    /// When it arrived.
    pub created_at: DateTime<Utc>,
}

impl From<LeadRecord> for Lead {
    fn from(r: LeadRecord) -> Self {
        Lead {
            id: r.id,
            name: r.name,
            restaurant: r.restaurant,
            email: r.email,
            phone: r.phone,
            message: r.message,
            created_at: r.created_at,
        }
    }
}

/// A page of demo requests.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LeadPage {
    /// Demo requests, newest first.
    pub leads: Vec<Lead>,
    /// The `offset` of the next page; none on the last.
    pub next_offset: Option<i64>,
}

/// Demo requests from the website, newest first.
#[utoipa::path(get, path = "/platform/leads", tag = "platform",
    security(("bearer" = ["platform:admin"])),
    params(PageQuery),
    responses(
        (status = 200, body = LeadPage),
        (status = 403, description = "Not a super_admin", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn leads(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<LeadPage>, ApiError> {
    let page = Page::new(q.limit, q.offset)?;
    let (rows, next_offset) = ops::leads(&state.db, admin.session_ref(), page).await?;
    Ok(axum::Json(LeadPage {
        leads: rows.into_iter().map(Lead::from).collect(),
        next_offset,
    }))
}

/// Suspends a tenant: from the next request on, its sign-ins, sessions, refreshes,
/// device tokens and enrolment codes get 403 `tenant_suspended`. Nothing is deleted or
/// revoked; reactivating gives it all back. Idempotent.
#[utoipa::path(post, path = "/platform/tenants/{id}/suspend", tag = "platform",
    security(("bearer" = ["platform:admin"])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = PlatformTenant),
        (status = 403, description = "Not a super_admin", body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
async fn suspend(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(id): Path<TenantId>,
) -> Result<axum::Json<PlatformTenant>, ApiError> {
    let tenant = ops::set_active(&state.db, admin.session_ref(), id, false).await?;
    Ok(axum::Json(tenant.into()))
}

/// Reactivates a suspended tenant: its sessions and devices work again at once.
/// Idempotent.
#[utoipa::path(post, path = "/platform/tenants/{id}/reactivate", tag = "platform",
    security(("bearer" = ["platform:admin"])),
    params(("id" = Uuid, Path)),
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
    let tenant = ops::set_active(&state.db, admin.session_ref(), id, true).await?;
    Ok(axum::Json(tenant.into()))
}
