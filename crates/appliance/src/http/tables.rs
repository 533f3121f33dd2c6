//! Dining-room tables with their live status (free, occupied, reserved).

use super::error::{ApiError, ErrorBody};
use super::extract::{Authorized, Json, Path, perm};
use crate::events::EventKind;
use crate::ordering::{self, OpenTable};
use crate::state::AppState;
use crate::store::orders::Order;
use crate::store::tables::TableWithStatus;
use crate::tables::{self, NewTable, TableChanges};
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::ids::{TableId, UserId};
use dysa_domain::rbac::{Permission, Role};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tables, create_table))
        .routes(routes!(get_table, update_table, delete_table))
        .routes(routes!(open_table))
        .routes(routes!(list_waiters))
        .routes(routes!(clean_table))
}

/// Tells open panels a table's state changed (the floor plan redraws it).
pub(super) fn table_changed(state: &AppState, table: &TableWithStatus) {
    state.events.publish(
        EventKind::TableUpdated,
        table.table.id.to_string(),
        json!({ "name": table.table.name, "status": table.status, "state": table.state }),
    );
}

/// Every table with its live status, in floor order.
#[utoipa::path(get, path = "/tables", tag = "tables", security(("bearer" = ["tables:read"])),
    responses((status = 200, body = Vec<TableWithStatus>), (status = 403, body = ErrorBody)))]
async fn list_tables(
    State(state): State<AppState>,
    _: Authorized<perm::TablesRead>,
) -> Result<axum::Json<Vec<TableWithStatus>>, ApiError> {
    Ok(axum::Json(tables::list(&state.db.read).await?))
}

/// Someone who can serve a table, for the Salón's waiter picker.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Waiter {
    /// The account's id (the tab's `waiter_id`).
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
}

/// The staff who can serve a table: active people whose role takes orders, by name. Open
/// to whoever opens tables (a waiter hands a table to a colleague), unlike the staff
/// list, which is the admins' and managers'.
#[utoipa::path(get, path = "/waiters", tag = "tables", security(("bearer" = ["orders:create"])),
    responses((status = 200, body = Vec<Waiter>), (status = 403, body = ErrorBody)))]
async fn list_waiters(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersCreate>,
) -> Result<axum::Json<Vec<Waiter>>, ApiError> {
    let users = crate::store::users::list(&state.db.read).await?;
    Ok(axum::Json(
        users
            .into_iter()
            .filter(|u| u.active && u.role.allows(Permission::OrdersCreate))
            .map(|u| Waiter {
                id: u.id,
                name: u.name,
                role: u.role,
            })
            .collect(),
    ))
}

/// Creates a table.
#[utoipa::path(post, path = "/tables", tag = "tables", security(("bearer" = ["tables:write"])),
    request_body = NewTable,
    responses(
        (status = 201, body = TableWithStatus),
        (status = 409, description = "Name in use (details.existing_id)", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn create_table(
    State(state): State<AppState>,
    _: Authorized<perm::TablesWrite>,
    Json(body): Json<NewTable>,
) -> Result<(StatusCode, axum::Json<TableWithStatus>), ApiError> {
    let record = tables::create(&state.db, body).await?;
    let table = tables::with_status(&state.db.read, record.id).await?;
    table_changed(&state, &table);
    Ok((StatusCode::CREATED, axum::Json(table)))
}

/// One table with its live status.
#[utoipa::path(get, path = "/tables/{id}", tag = "tables", security(("bearer" = ["tables:read"])),
    params(("id" = TableId, Path, description = "Table id")),
    responses((status = 200, body = TableWithStatus), (status = 404, body = ErrorBody)))]
async fn get_table(
    State(state): State<AppState>,
    _: Authorized<perm::TablesRead>,
    Path(id): Path<TableId>,
) -> Result<axum::Json<TableWithStatus>, ApiError> {
    Ok(axum::Json(tables::with_status(&state.db.read, id).await?))
}

/// Changes a table's name, seats, area, position or active state.
#[utoipa::path(patch, path = "/tables/{id}", tag = "tables", security(("bearer" = ["tables:write"])),
    params(("id" = TableId, Path, description = "Table id")),
    request_body = TableChanges,
    responses(
        (status = 200, body = TableWithStatus),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Name in use (details.existing_id)", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn update_table(
    State(state): State<AppState>,
    _: Authorized<perm::TablesWrite>,
    Path(id): Path<TableId>,
    Json(body): Json<TableChanges>,
) -> Result<axum::Json<TableWithStatus>, ApiError> {
    let record = tables::update(&state.db, id, body).await?;
    let table = tables::with_status(&state.db.read, record.id).await?;
    table_changed(&state, &table);
    Ok(axum::Json(table))
}

/// Opens a tab on a free table with its covers and waiter (the caller when none is
/// named): an empty `dine_in` order that rounds are added to (`POST /orders/{id}/lines`).
/// A table with an open tab answers 409 `table_occupied` with `details.order_id`. An
/// `Idempotency-Key` makes a retried open after a Wi-Fi hiccup answer the tab it opened
/// (201, header `Idempotency-Replayed: true`); the same key with another body 422.
#[utoipa::path(post, path = "/tables/{id}/open", tag = "tables", security(("bearer" = ["orders:create"])),
    params(("id" = TableId, Path, description = "Table id"), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = OpenTable,
    responses(
        (status = 201, body = Order),
        (status = 404, body = ErrorBody),
        (status = 409, description = "A tab is open there (details.order_id)", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn open_table(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::OrdersCreate>,
    Path(id): Path<TableId>,
    headers: axum::http::HeaderMap,
    Json(body): Json<OpenTable>,
) -> Result<axum::response::Response, ApiError> {
    let key = super::orders::idempotency_key(&headers)?;
    let (order, replayed) = ordering::open_tab(&state.orders, Some(user.id), id, body, key).await?;
    if !replayed && let Ok(table) = tables::with_status(&state.db.read, id).await {
        table_changed(&state, &table);
    }
    Ok(super::orders::keyed_reply(
        StatusCode::CREATED,
        order,
        replayed,
    ))
}

/// Marks a table clean after its tab closed ("por limpiar" → libre).
#[utoipa::path(post, path = "/tables/{id}/clean", tag = "tables", security(("bearer" = ["orders:create"])),
    params(("id" = TableId, Path, description = "Table id")),
    responses((status = 200, body = TableWithStatus), (status = 404, body = ErrorBody)))]
async fn clean_table(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersCreate>,
    Path(id): Path<TableId>,
) -> Result<axum::Json<TableWithStatus>, ApiError> {
    let table = tables::mark_clean(&state.db, id).await?;
    table_changed(&state, &table);
    Ok(axum::Json(table))
}

/// Deletes a table; refused (409) while an open order or a pending reservation holds it.
#[utoipa::path(delete, path = "/tables/{id}", tag = "tables", security(("bearer" = ["tables:write"])),
    params(("id" = TableId, Path, description = "Table id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, body = ErrorBody),
        (status = 409, description = "In use", body = ErrorBody),
    ))]
async fn delete_table(
    State(state): State<AppState>,
    _: Authorized<perm::TablesWrite>,
    Path(id): Path<TableId>,
) -> Result<StatusCode, ApiError> {
    let record = tables::delete(&state.db, id).await?;
    state.events.publish(
        EventKind::TableUpdated,
        id.to_string(),
        json!({ "name": record.name, "deleted": true }),
    );
    Ok(StatusCode::NO_CONTENT)
}
