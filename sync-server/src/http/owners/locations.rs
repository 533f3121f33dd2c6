//! The tenant's locations: list, add, edit, close and reopen them (within the plan),
//! their enrolment codes, copying a menu between them, and comparing their sales.

use super::analytics::{average, date_range};
use crate::auth::tokens::{self, ENROLLMENT_TTL_SECS};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Json, Path, Query, perm};
use crate::locations::{self as ops, CopyReport, LocationChanges, NewLocation};
use crate::state::AppState;
use crate::store::owners;
use crate::store::tenants::{self, LocationRecord};
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use dysa_domain::ids::LocationId;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(compare))
        .routes(routes!(detail, update))
        .routes(routes!(close))
        .routes(routes!(reopen))
        .routes(routes!(copy_menu))
        .routes(routes!(new_code))
}

/// A location as owners see it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LocationView {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: LocationId,
    /// Name.
    pub name: String,
    /// Its path in the widget and the hosted page (`/r/{tenant}/{slug}`).
    pub slug: String,
    /// Street address.
    pub address: Option<String>,
    /// IANA time zone.
    pub time_zone: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// True once closed (its data is kept; the widget says it is closed).
    pub closed: bool,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Devices enrolled and not revoked.
    pub active_devices: i64,
}

impl From<LocationRecord> for LocationView {
    fn from(r: LocationRecord) -> Self {
        LocationView {
            id: r.id,
            name: r.name,
            slug: r.slug,
            address: r.address,
            time_zone: r.time_zone,
            created_at: r.created_at,
            closed: r.closed_at.is_some(),
            closed_at: r.closed_at,
            active_devices: r.active_devices,
        }
    }
}

/// A location to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLocationRequest {
    /// Name ("Providencia"), up to 80 characters.
    pub name: String,
    /// Street address, up to 200 characters.
    pub address: Option<String>,
    /// Its path; absent: made from the name (`providencia`, `providencia-2`, …).
    pub slug: Option<String>,
}

/// What to change of a location; absent fields stay as they are.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLocationRequest {
    /// New name.
    pub name: Option<String>,
    /// New address; empty clears it.
    pub address: Option<String>,
    /// New path (old links to the widget stop finding it).
    pub slug: Option<String>,
}

/// Where to copy a menu from.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CopyMenuRequest {
    /// The location whose menu is copied.
    #[schema(value_type = String, format = Uuid)]
    pub from: LocationId,
}

fn not_found() -> ApiError {
    ApiError::not_found("El local", "The location")
}

/// The tenant's locations.
#[utoipa::path(get, path = "/locations", tag = "locations", security(("bearer" = ["settings:read"])),
    responses((status = 200, body = Vec<LocationView>)))]
async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsRead>,
) -> Result<axum::Json<Vec<LocationView>>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let rows = tenants::list_locations(&mut tx).await?;
    Ok(axum::Json(
        rows.into_iter().map(LocationView::from).collect(),
    ))
}

/// Adds a location (open) within the plan: 403 `plan_limit_reached` once the plan's
/// open locations are all in use (Básico 1, Pro 3, Cadena no limit).
#[utoipa::path(post, path = "/locations", tag = "locations", security(("bearer" = ["settings:write"])),
    request_body = CreateLocationRequest,
    responses(
        (status = 201, body = LocationView),
        (status = 403, description = "`plan_limit_reached`, or not the owner", body = ErrorBody),
        (status = 409, description = "`slug_taken`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Json(body): Json<CreateLocationRequest>,
) -> Result<(StatusCode, axum::Json<LocationView>), ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let record = ops::create(
        &mut tx,
        caller.tenant_id(),
        NewLocation {
            name: body.name,
            address: body.address,
            slug: body.slug,
        },
    )
    .await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    tracing::info!(location_id = %record.id, "location added");
    Ok((StatusCode::CREATED, axum::Json(record.into())))
}

/// Renames a location, or changes its address or path.
#[utoipa::path(patch, path = "/locations/{id}", tag = "locations", security(("bearer" = ["settings:write"])),
    params(("id" = Uuid, Path)),
    request_body = UpdateLocationRequest,
    responses(
        (status = 200, body = LocationView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`slug_taken`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn update(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Path(id): Path<LocationId>,
    Json(body): Json<UpdateLocationRequest>,
) -> Result<axum::Json<LocationView>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let record = ops::update(
        &mut tx,
        id,
        LocationChanges {
            name: body.name,
            address: body.address,
            slug: body.slug,
        },
    )
    .await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    state.widget.forget_tenant(caller.tenant_id());
    Ok(axum::Json(record.into()))
}

/// Closes a location: its data stays, the widget answers that it is closed and its
/// counters learn it by sync. Closing a closed one changes nothing.
#[utoipa::path(post, path = "/locations/{id}/close", tag = "locations", security(("bearer" = ["settings:write"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = LocationView), (status = 404, body = ErrorBody)))]
async fn close(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Path(id): Path<LocationId>,
) -> Result<axum::Json<LocationView>, ApiError> {
    set_closed(&state, &caller, id, true).await
}

/// Reopens a closed location, within the plan (403 `plan_limit_reached`).
#[utoipa::path(post, path = "/locations/{id}/reopen", tag = "locations", security(("bearer" = ["settings:write"])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = LocationView),
        (status = 403, description = "`plan_limit_reached`", body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
async fn reopen(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Path(id): Path<LocationId>,
) -> Result<axum::Json<LocationView>, ApiError> {
    set_closed(&state, &caller, id, false).await
}

async fn set_closed(
    state: &AppState,
    caller: &crate::http::extract::Caller,
    id: LocationId,
    closed: bool,
) -> Result<axum::Json<LocationView>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let record = ops::set_closed(state, &mut tx, id, closed).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    // The widget's cache answers from what it holds for a few seconds: not after this.
    state.widget.forget_tenant(caller.tenant_id());
    tracing::info!(location_id = %id, closed, "location closed or reopened");
    Ok(axum::Json(record.into()))
}

/// Copies another location's menu (categories, modifier groups, items and prices) here.
/// The copies reach this location's counters by sync; a repeated copy adds nothing.
#[utoipa::path(post, path = "/locations/{id}/menu-copies", tag = "locations", security(("bearer" = ["menu:write"])),
    params(("id" = Uuid, Path, description = "The location that receives the menu")),
    request_body = CopyMenuRequest,
    responses(
        (status = 200, body = CopyReport),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn copy_menu(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::MenuWrite>,
    Path(id): Path<LocationId>,
    Json(body): Json<CopyMenuRequest>,
) -> Result<axum::Json<CopyReport>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let report = ops::copy_menu(&state, &mut tx, body.from, id).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(axum::Json(report))
}

/// The dates of a comparison.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CompareQuery {
    /// First business date, `YYYY-MM-DD` (default: 30 days before `to`).
    pub from: Option<String>,
    /// Last business date, `YYYY-MM-DD` (default: today).
    pub to: Option<String>,
}

/// One of a location's best sellers.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TopItemView {
    /// Item name.
    pub name: String,
    /// Units sold.
    pub quantity: i64,
    /// What they sold for, CLP with IVA.
    pub sales: i64,
}

/// One location's column of the comparison.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LocationFigures {
    /// The location.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Its name.
    pub name: String,
    /// Sales with IVA, CLP (orders not cancelled).
    pub sales: i64,
    /// Orders not cancelled.
    pub orders: i64,
    /// Sales over orders, CLP.
    pub average_ticket: i64,
    /// Its five best sellers by units.
    pub top_items: Vec<TopItemView>,
}

/// The locations side by side for a date range.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Comparison {
    /// First business date.
    pub from: NaiveDate,
    /// Last business date.
    pub to: NaiveDate,
    /// One entry per location the caller sees, by name.
    pub locations: Vec<LocationFigures>,
}

/// How many best sellers each location shows.
const TOP_ITEMS: i64 = 5;

/// Sales, orders, average ticket and best sellers of each location, side by side.
#[utoipa::path(get, path = "/locations/compare", tag = "locations", security(("bearer" = ["reports:read"])),
    params(CompareQuery),
    responses((status = 200, body = Comparison), (status = 422, body = ErrorBody)))]
async fn compare(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::ReportsRead>,
    Query(query): Query<CompareQuery>,
) -> Result<axum::Json<Comparison>, ApiError> {
    let (from, to) = date_range(query.from.as_deref(), query.to.as_deref())?;
    let mut tx = caller.tx(&state.db).await?;
    let sales = owners::sales_by_location(&mut tx, from, to, None).await?;
    let mut top = owners::top_items_by_location(&mut tx, from, to, TOP_ITEMS).await?;
    let locations = sales
        .into_iter()
        .map(|row| LocationFigures {
            location_id: row.location_id,
            average_ticket: average(row.sales, row.orders),
            top_items: top
                .extract_if(.., |t| t.location_id == row.location_id)
                .map(|t| TopItemView {
                    name: t.name,
                    quantity: t.quantity,
                    sales: t.sales,
                })
                .collect(),
            name: row.name,
            sales: row.sales,
            orders: row.orders,
        })
        .collect();
    Ok(axum::Json(Comparison {
        from,
        to,
        locations,
    }))
}

/// One location.
#[utoipa::path(get, path = "/locations/{id}", tag = "locations", security(("bearer" = ["settings:read"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = LocationView), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsRead>,
    Path(id): Path<LocationId>,
) -> Result<axum::Json<LocationView>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let row = tenants::find_location(&mut tx, id)
        .await?
        .ok_or_else(not_found)?;
    Ok(axum::Json(row.into()))
}

/// A new enrolment code (shown once).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EnrollmentCode {
    /// The code to type on the appliance.
    pub enrollment_code: String,
    /// The location it enrols into.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// Makes a new one-time enrolment code for a location (valid 24 hours).
#[utoipa::path(post, path = "/locations/{id}/enrollment-codes", tag = "locations",
    security(("bearer" = ["settings:write"])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 201, body = EnrollmentCode),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`location_closed`", body = ErrorBody),
    ))]
async fn new_code(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Path(id): Path<LocationId>,
) -> Result<(StatusCode, axum::Json<EnrollmentCode>), ApiError> {
    let tenant = caller.tenant_id();
    let mut tx = caller.tx(&state.db).await?;
    let location = tenants::find_location(&mut tx, id)
        .await?
        .ok_or_else(not_found)?;
    if location.closed_at.is_some() {
        return Err(ApiError::conflict(
            "location_closed",
            "El local está cerrado; reábrelo para inscribir un equipo",
            "The location is closed; reopen it to enrol a device",
        ));
    }
    let code = tokens::new_enrollment_code();
    let expires_at = tenants::insert_enrollment_code(
        &mut tx,
        tenant,
        id,
        &tokens::hash_enrollment_code(&code),
        caller.account_id(),
        ENROLLMENT_TTL_SECS,
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(EnrollmentCode {
            enrollment_code: code,
            location_id: id,
            expires_at,
        }),
    ))
}
