//! Closed business days per location: the Z reports the counters pushed, read by the
//! owner in the dashboard ("Cierres"). Figures are the counter's, frozen when the day
//! closed; the cloud only lists and shows them.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Path, Query, perm};
use crate::state::AppState;
use crate::store::day_closes::{self, DayCloseRecord};
use crate::store::tenants;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use dysa_domain::closing::DayReport;
use dysa_domain::ids::LocationId;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
}

/// How many closed days a list holds.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DayClosesQuery {
    /// At most this many, newest first (default 60, at most 400).
    pub limit: Option<i64>,
}

/// One closed day in a location's list: who closed it and its headline figures.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DayCloseSummary {
    /// The close's id.
    pub id: Uuid,
    /// The business day.
    pub business_date: NaiveDate,
    /// The counter that closed it (its sync device id).
    pub device_id: String,
    /// That counter's name, while the cloud knows it.
    pub device_name: Option<String>,
    /// Who closed it.
    pub closed_by_name: Option<String>,
    /// When.
    pub closed_at: DateTime<Utc>,
    /// Sales, IVA included, without tips (CLP).
    pub sales: i64,
    /// Orders not cancelled.
    pub orders: i64,
    /// Diners served.
    pub covers: i64,
    /// Sales divided by orders.
    pub average_ticket: i64,
    /// Tips, all methods.
    pub tips: i64,
    /// Everything the ledger took in.
    pub collected: i64,
    /// Counted minus expected over the day's counted drawers (`None`: none counted).
    pub cash_difference: Option<i64>,
    /// The Z counts rows from earlier closed days (late corrections).
    pub has_late_corrections: bool,
}

impl From<DayCloseRecord> for DayCloseSummary {
    fn from(r: DayCloseRecord) -> Self {
        let report = &r.report.0;
        let differences: Vec<i64> = report
            .drawers
            .iter()
            .filter_map(|d| d.difference.map(|c| c.pesos()))
            .collect();
        DayCloseSummary {
            sales: report.sales.pesos(),
            orders: report.orders,
            covers: report.covers,
            average_ticket: report.average_ticket.pesos(),
            tips: report.tips.total.pesos(),
            collected: report.collected.pesos(),
            cash_difference: (!differences.is_empty()).then(|| differences.iter().sum()),
            has_late_corrections: !report.late_corrections.is_empty(),
            id: r.id,
            business_date: r.business_date,
            device_id: r.device_id,
            device_name: r.device_name,
            closed_by_name: r.closed_by_name,
            closed_at: r.closed_at,
        }
    }
}

/// One closed day with its whole Z report, as the counter printed it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DayCloseView {
    /// The close's id.
    pub id: Uuid,
    /// The location.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Its name.
    pub location_name: String,
    /// The business day.
    pub business_date: NaiveDate,
    /// The counter that closed it (its sync device id).
    pub device_id: String,
    /// That counter's name, while the cloud knows it.
    pub device_name: Option<String>,
    /// Who closed it.
    pub closed_by_name: Option<String>,
    /// When.
    pub closed_at: DateTime<Utc>,
    /// The Z report, frozen.
    pub report: DayReport,
}

impl From<DayCloseRecord> for DayCloseView {
    fn from(r: DayCloseRecord) -> Self {
        DayCloseView {
            id: r.id,
            location_id: r.location_id,
            location_name: r.location_name,
            business_date: r.business_date,
            device_id: r.device_id,
            device_name: r.device_name,
            closed_by_name: r.closed_by_name,
            closed_at: r.closed_at,
            report: r.report.0,
        }
    }
}

/// A location's closed days, newest first.
#[utoipa::path(get, path = "/locations/{id}/day-closes", tag = "closing",
    security(("bearer" = ["reports:read"])),
    params(("id" = Uuid, Path), DayClosesQuery),
    responses((status = 200, body = Vec<DayCloseSummary>), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::ReportsRead>,
    Path(id): Path<LocationId>,
    Query(q): Query<DayClosesQuery>,
) -> Result<axum::Json<Vec<DayCloseSummary>>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    tenants::find_location(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("El local", "The location"))?;
    let limit = q.limit.unwrap_or(60).clamp(1, 400);
    let rows = day_closes::list(&mut tx, id, limit).await?;
    Ok(axum::Json(
        rows.into_iter().map(DayCloseSummary::from).collect(),
    ))
}

/// One closed day and its Z report.
#[utoipa::path(get, path = "/day-closes/{id}", tag = "closing",
    security(("bearer" = ["reports:read"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = DayCloseView), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::ReportsRead>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<DayCloseView>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    day_closes::find(&mut tx, id)
        .await?
        .map(|r| axum::Json(r.into()))
        .ok_or_else(|| ApiError::not_found("El cierre", "The day close"))
}
