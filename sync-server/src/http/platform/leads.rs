//! The leads pipeline (super_admin only): the demo requests and contact messages of the
//! website, each moved along nuevo → contactado → demo → ganado | perdido with notes and
//! a follow-up date. Leads older than 12 months are purged (`platform::spawn_lead_purge`).

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Json, Path, PlatformAdmin, Query};
use crate::platform::{self as ops, LeadChange, LeadStage, Page};
use crate::state::AppState;
use crate::store::platform::LeadRecord;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(leads))
        .routes(routes!(update_lead))
}

/// A page of leads, optionally of one stage.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LeadQuery {
    /// Only leads at this stage.
    pub stage: Option<LeadStage>,
    /// Rows per page: 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// Rows to skip (default 0); use the answer's `next_offset`.
    pub offset: Option<i64>,
}

/// A lead from the website, where it is in the pipeline.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Lead {
    /// Id.
    pub id: Uuid,
    /// Who wrote.
    pub name: String,
    /// Their restaurant (may be empty for a contact message).
    pub restaurant: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: Option<String>,
    /// What they wrote.
    pub message: Option<String>,
    /// When it arrived.
    pub created_at: DateTime<Utc>,
    /// `demo` (the /demo form or API) or `contact` (the /contacto form).
    pub source: String,
    /// Its stage.
    pub stage: LeadStage,
    /// The operator's notes.
    pub notes: String,
    /// When to follow it up.
    pub follow_up_on: Option<NaiveDate>,
    /// Its last change.
    pub updated_at: DateTime<Utc>,
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
            source: r.source,
            // The table's CHECK holds the same five values.
            stage: LeadStage::parse(&r.stage).unwrap_or(LeadStage::New),
            notes: r.notes,
            follow_up_on: r.follow_up_on,
            updated_at: r.updated_at,
        }
    }
}

/// A page of leads.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LeadPage {
    /// Leads, newest first.
    pub leads: Vec<Lead>,
    /// The `offset` of the next page; none on the last.
    pub next_offset: Option<i64>,
}

/// Leads from the website (demo requests and contact messages), newest first.
#[utoipa::path(get, path = "/platform/leads", tag = "platform",
    security(("bearer" = ["platform:admin"])),
    params(LeadQuery),
    responses(
        (status = 200, body = LeadPage),
        (status = 403, description = "Not a super_admin", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn leads(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Query(q): Query<LeadQuery>,
) -> Result<axum::Json<LeadPage>, ApiError> {
    let page = Page::new(q.limit, q.offset)?;
    let (rows, next_offset) = ops::leads(&state.db, admin.session_ref(), q.stage, page).await?;
    Ok(axum::Json(LeadPage {
        leads: rows.into_iter().map(Lead::from).collect(),
        next_offset,
    }))
}

/// Where the operator puts a lead.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LeadUpdateRequest {
    /// Its stage.
    pub stage: LeadStage,
    /// Notes, replacing the old ones (up to 4,000 characters).
    #[serde(default)]
    pub notes: String,
    /// When to follow it up (`YYYY-MM-DD`); null clears it.
    #[serde(default)]
    pub follow_up_on: Option<NaiveDate>,
}

/// Moves a lead along the pipeline: its stage, notes and follow-up date.
#[utoipa::path(put, path = "/platform/leads/{id}", tag = "platform",
    security(("bearer" = ["platform:admin"])),
    params(("id" = String, Path, format = Uuid)),
    request_body = LeadUpdateRequest,
    responses(
        (status = 200, body = Lead),
        (status = 403, description = "Not a super_admin", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn update_lead(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(id): Path<Uuid>,
    Json(body): Json<LeadUpdateRequest>,
) -> Result<axum::Json<Lead>, ApiError> {
    let change = LeadChange {
        stage: body.stage,
        notes: body.notes,
        follow_up_on: body.follow_up_on,
    };
    let lead = ops::update_lead(&state.db, admin.session_ref(), id, change).await?;
    Ok(axum::Json(lead.into()))
}
