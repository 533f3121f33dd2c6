//! Closing the day: the X report, closing a business day into its Z, the Z read back, as
//! CSV and printed at the counter, and a shift's tip-out (`crate::closing`).

use super::error::{ApiError, ErrorBody};
use super::extract::{AuthUser, Authorized, Path, Query, perm};
use crate::closing::{self, TipOut};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use dysa_domain::closing::DayReport;
use dysa_domain::ids::DrawerSessionId;
use dysa_domain::rbac::Permission;
use dysa_domain::sync::rows::DayClose;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(x_report))
        .routes(routes!(x_csv))
        .routes(routes!(x_pdf))
        .routes(routes!(print_x))
        .routes(routes!(z_report))
        .routes(routes!(z_csv))
        .routes(routes!(z_pdf))
        .routes(routes!(list_days))
        .routes(routes!(close_day))
        .routes(routes!(print_z))
        .routes(routes!(tip_out))
}

/// Whether this person may see what an uncounted drawer should hold.
fn can_audit(user: &AuthUser) -> bool {
    user.role.allows(Permission::DrawerAudit)
}

/// A closed report read by someone who counts blind: uncounted drawers' expected amounts
/// are withheld, as on the Caja screen.
fn blind(mut report: DayReport, user: &AuthUser) -> DayReport {
    if !can_audit(user) {
        for line in &mut report.drawers {
            if line.counted.is_none() {
                line.expected = None;
            }
        }
    }
    report
}

/// The Z of the closed day `date` as `user` may read it (for the CSV and the PDF).
async fn readable_z(state: &AppState, user: &AuthUser, date: &str) -> Result<DayReport, ApiError> {
    let date = closing::parse_date("date", date)?;
    let close = closing::z_report(&state.db, date).await?;
    Ok(blind(close.report, user))
}

/// Which closed day.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// The business day, `YYYY-MM-DD`.
    pub date: String,
}

/// Which shift.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShiftQuery {
    /// The drawer session the shift is.
    pub session_id: DrawerSessionId,
}

/// A queued report ticket.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PrintedReport {
    /// The print job (see the print queue).
    pub job_id: uuid::Uuid,
}

fn csv_response(text: String, name: String) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        text,
    )
}

fn pdf_response(bytes: Vec<u8>, name: String) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
}

/// The X report: the open business day so far (from today's cut-off hour; after today
/// was closed, the next day). Closes nothing.
#[utoipa::path(get, path = "/reports/x", tag = "reports", security(("bearer" = ["reports:read"])),
    responses((status = 200, body = DayReport), (status = 403, body = ErrorBody)))]
async fn x_report(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::ReportsRead>,
) -> Result<axum::Json<DayReport>, ApiError> {
    let settings = state.restaurant.get(&state.db.read).await?;
    Ok(axum::Json(
        closing::x_report(&state.db, &settings, can_audit(&user)).await?,
    ))
}

/// The X report as CSV (formula-safe cells).
#[utoipa::path(get, path = "/reports/x.csv", tag = "reports", security(("bearer" = ["reports:read"])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody)))]
async fn x_csv(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::ReportsRead>,
) -> Result<impl IntoResponse, ApiError> {
    let settings = state.restaurant.get(&state.db.read).await?;
    let report = closing::x_report(&state.db, &settings, can_audit(&user)).await?;
    let name = format!("informe-x-{}.csv", report.business_date);
    Ok(csv_response(closing::csv(&report)?, name))
}

/// The X report as an A4 PDF, with the printed report's sections.
#[utoipa::path(get, path = "/reports/x.pdf", tag = "reports", security(("bearer" = ["reports:read"])),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 403, body = ErrorBody)))]
async fn x_pdf(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::ReportsRead>,
) -> Result<impl IntoResponse, ApiError> {
    let settings = state.restaurant.get(&state.db.read).await?;
    let report = closing::x_report(&state.db, &settings, can_audit(&user)).await?;
    let name = format!("informe-x-{}.pdf", report.business_date);
    Ok(pdf_response(closing::pdf(&report, &settings.name), name))
}

/// Prints the X report on the counter's printer.
#[utoipa::path(post, path = "/reports/x/print", tag = "reports", security(("bearer" = ["drawer:audit"])),
    responses(
        (status = 202, body = PrintedReport),
        (status = 403, body = ErrorBody),
        (status = 409, description = "No counter printer", body = ErrorBody),
    ))]
async fn print_x(
    State(state): State<AppState>,
    _: Authorized<perm::DrawerAudit>,
) -> Result<(StatusCode, axum::Json<PrintedReport>), ApiError> {
    let settings = state.restaurant.get(&state.db.read).await?;
    let report = closing::x_report(&state.db, &settings, true).await?;
    let job_id =
        closing::print(&state.db, state.kitchen.printing(), &report, &settings.name).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(PrintedReport { job_id })))
}

/// The Z of a closed business day, exactly as it was closed.
#[utoipa::path(get, path = "/reports/z", tag = "reports", security(("bearer" = ["reports:read"])),
    params(DayQuery),
    responses(
        (status = 200, body = DayClose),
        (status = 403, body = ErrorBody),
        (status = 404, description = "The day is not closed", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn z_report(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::ReportsRead>,
    Query(query): Query<DayQuery>,
) -> Result<axum::Json<DayClose>, ApiError> {
    let date = closing::parse_date("date", &query.date)?;
    let mut close = closing::z_report(&state.db, date).await?;
    close.report = blind(close.report, &user);
    Ok(axum::Json(close))
}

/// The Z of a closed day as CSV (formula-safe cells).
#[utoipa::path(get, path = "/reports/z.csv", tag = "reports", security(("bearer" = ["reports:read"])),
    params(DayQuery),
    responses(
        (status = 200, content_type = "text/csv", body = String),
        (status = 403, body = ErrorBody),
        (status = 404, description = "The day is not closed", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn z_csv(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::ReportsRead>,
    Query(query): Query<DayQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let report = readable_z(&state, &user, &query.date).await?;
    let name = format!("cierre-z-{}.csv", report.business_date);
    Ok(csv_response(closing::csv(&report)?, name))
}

/// The Z of a closed day as an A4 PDF, with the printed Z's sections.
#[utoipa::path(get, path = "/reports/z.pdf", tag = "reports", security(("bearer" = ["reports:read"])),
    params(DayQuery),
    responses(
        (status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 403, body = ErrorBody),
        (status = 404, description = "The day is not closed", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn z_pdf(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::ReportsRead>,
    Query(query): Query<DayQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let report = readable_z(&state, &user, &query.date).await?;
    let settings = state.restaurant.get(&state.db.read).await?;
    let name = format!("cierre-z-{}.pdf", report.business_date);
    Ok(pdf_response(closing::pdf(&report, &settings.name), name))
}

/// The closed business days of the location, newest first (up to 400).
#[utoipa::path(get, path = "/business-days", tag = "reports", security(("bearer" = ["reports:read"])),
    responses((status = 200, body = Vec<DayClose>), (status = 403, body = ErrorBody)))]
async fn list_days(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::ReportsRead>,
) -> Result<axum::Json<Vec<DayClose>>, ApiError> {
    let days = closing::list(&state.db).await?;
    Ok(axum::Json(
        days.into_iter()
            .map(|mut close| {
                close.report = blind(close.report, &user);
                close
            })
            .collect(),
    ))
}

/// Closes a business day: stores its Z, synced and never changed again. Rows dated in it
/// that arrive later count in the next open day as late corrections.
#[utoipa::path(post, path = "/business-days/{date}/close", tag = "reports", security(("bearer" = ["drawer:audit"])),
    params(("date" = String, Path, description = "The business day, YYYY-MM-DD")),
    responses(
        (status = 201, body = DayClose),
        (status = 403, body = ErrorBody),
        (status = 409, description = "Already closed (`day_closed`)", body = ErrorBody),
        (status = 422, description = "Not a date, or a day still to come", body = ErrorBody),
    ))]
async fn close_day(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::DrawerAudit>,
    Path(date): Path<String>,
) -> Result<(StatusCode, axum::Json<DayClose>), ApiError> {
    let date = closing::parse_date("date", &date)?;
    let settings = state.restaurant.get(&state.db.read).await?;
    let close = closing::close(&state.db, &settings, date, user.id, &user.name).await?;
    Ok((StatusCode::CREATED, axum::Json(close)))
}

/// Prints a closed day's Z on the counter's printer (a second print says COPIA).
#[utoipa::path(post, path = "/business-days/{date}/print", tag = "reports", security(("bearer" = ["drawer:audit"])),
    params(("date" = String, Path, description = "The business day, YYYY-MM-DD")),
    responses(
        (status = 202, body = PrintedReport),
        (status = 403, body = ErrorBody),
        (status = 404, description = "The day is not closed", body = ErrorBody),
        (status = 409, description = "No counter printer", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn print_z(
    State(state): State<AppState>,
    _: Authorized<perm::DrawerAudit>,
    Path(date): Path<String>,
) -> Result<(StatusCode, axum::Json<PrintedReport>), ApiError> {
    let date = closing::parse_date("date", &date)?;
    let settings = state.restaurant.get(&state.db.read).await?;
    let close = closing::z_report(&state.db, date).await?;
    let job_id = closing::print(
        &state.db,
        state.kitchen.printing(),
        &close.report,
        &settings.name,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, axum::Json(PrintedReport { job_id })))
}

/// The tip-out of a shift (a drawer session): tips per waiter, card and cash apart.
#[utoipa::path(get, path = "/reports/tips", tag = "reports", security(("bearer" = ["reports:read"])),
    params(ShiftQuery),
    responses(
        (status = 200, body = TipOut),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
async fn tip_out(
    State(state): State<AppState>,
    _: Authorized<perm::ReportsRead>,
    Query(query): Query<ShiftQuery>,
) -> Result<axum::Json<TipOut>, ApiError> {
    let settings = state.restaurant.get(&state.db.read).await?;
    Ok(axum::Json(
        closing::tip_out(&state.db, &settings, query.session_id).await?,
    ))
}
