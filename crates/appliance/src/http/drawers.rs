//! Cash drawers and their sessions: open with a float, pay in and out, count blind,
//! a second count, close; cash payments land in the open session (`ordering::pay`).

use super::error::{ApiError, ErrorBody};
use super::extract::{AuthUser, Authorized, Json, Path, Query, perm};
use crate::drawers::{
    self, CountInput, DrawerWithSession, NewDrawer, NewMovement, OpenDrawer, SessionView,
};
use crate::state::AppState;
use crate::store::drawers::Drawer;
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::ids::{DrawerId, DrawerSessionId};
use dysa_domain::rbac::Permission;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_drawers, add_drawer))
        .routes(routes!(list_sessions, open_session))
        .routes(routes!(current_session))
        .routes(routes!(get_session))
        .routes(routes!(add_movement))
        .routes(routes!(count_session))
        .routes(routes!(require_recount))
        .routes(routes!(close_session))
}

/// Whether this person may see what a drawer should hold before it is counted.
fn can_audit(user: &AuthUser) -> bool {
    user.role.allows(Permission::DrawerAudit)
}

/// Which drawer.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DrawerQuery {
    /// A drawer of this counter (its default drawer when absent).
    pub drawer_id: Option<DrawerId>,
}

/// Which sessions.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionQuery {
    /// Only this drawer's sessions.
    pub drawer_id: Option<DrawerId>,
    /// At most this many (1–200, default 50), newest first.
    pub limit: Option<i64>,
}

/// This counter's drawers (its first one is made on first use), each with its session
/// that is not closed yet.
#[utoipa::path(get, path = "/drawers", tag = "drawers", security(("bearer" = ["drawer:read"])),
    responses((status = 200, body = Vec<DrawerWithSession>), (status = 403, body = ErrorBody)))]
async fn list_drawers(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::DrawerRead>,
) -> Result<axum::Json<Vec<DrawerWithSession>>, ApiError> {
    Ok(axum::Json(
        drawers::list_drawers(&state.db, can_audit(&user)).await?,
    ))
}

/// Adds a drawer to this counter (a second cash box at the bar).
#[utoipa::path(post, path = "/drawers", tag = "drawers", security(("bearer" = ["drawer:audit"])),
    request_body = NewDrawer,
    responses(
        (status = 201, body = Drawer),
        (status = 409, description = "Name in use", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn add_drawer(
    State(state): State<AppState>,
    _: Authorized<perm::DrawerAudit>,
    Json(body): Json<NewDrawer>,
) -> Result<(StatusCode, axum::Json<Drawer>), ApiError> {
    Ok((
        StatusCode::CREATED,
        axum::Json(drawers::add_drawer(&state.db, body).await?),
    ))
}

/// Sessions of the location's drawers (other counters' too), newest first.
#[utoipa::path(get, path = "/drawer-sessions", tag = "drawers", security(("bearer" = ["drawer:read"])),
    params(SessionQuery),
    responses((status = 200, body = Vec<SessionView>), (status = 403, body = ErrorBody)))]
async fn list_sessions(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::DrawerRead>,
    Query(query): Query<SessionQuery>,
) -> Result<axum::Json<Vec<SessionView>>, ApiError> {
    Ok(axum::Json(
        drawers::list_sessions(&state.db, query.drawer_id, query.limit, can_audit(&user)).await?,
    ))
}

/// Opens a drawer session with its counted float.
#[utoipa::path(post, path = "/drawer-sessions", tag = "drawers", security(("bearer" = ["drawer:operate"])),
    request_body = OpenDrawer,
    responses(
        (status = 201, body = SessionView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The drawer already has an open session (details.session_id)", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn open_session(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::DrawerOperate>,
    Json(body): Json<OpenDrawer>,
) -> Result<(StatusCode, axum::Json<SessionView>), ApiError> {
    let audit = can_audit(&user);
    Ok((
        StatusCode::CREATED,
        axum::Json(drawers::open(&state.db, user.id, body, audit).await?),
    ))
}

/// The drawer's session that is not closed yet, or null. Before the count, the expected
/// amount is withheld from roles without `drawer:audit` (a blind count).
#[utoipa::path(get, path = "/drawer-sessions/current", tag = "drawers", security(("bearer" = ["drawer:read"])),
    params(DrawerQuery),
    responses((status = 200, body = Option<SessionView>), (status = 404, body = ErrorBody)))]
async fn current_session(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::DrawerRead>,
    Query(query): Query<DrawerQuery>,
) -> Result<axum::Json<Option<SessionView>>, ApiError> {
    Ok(axum::Json(
        drawers::current(&state.db, query.drawer_id, can_audit(&user)).await?,
    ))
}

/// One session (of any drawer of the location).
#[utoipa::path(get, path = "/drawer-sessions/{id}", tag = "drawers", security(("bearer" = ["drawer:read"])),
    params(("id" = DrawerSessionId, Path)),
    responses((status = 200, body = SessionView), (status = 404, body = ErrorBody)))]
async fn get_session(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::DrawerRead>,
    Path(id): Path<DrawerSessionId>,
) -> Result<axum::Json<SessionView>, ApiError> {
    Ok(axum::Json(
        drawers::get(&state.db, id, can_audit(&user)).await?,
    ))
}

/// Records a pay-in or pay-out, with its reason.
#[utoipa::path(post, path = "/drawer-sessions/{id}/movements", tag = "drawers", security(("bearer" = ["drawer:operate"])),
    params(("id" = DrawerSessionId, Path)),
    request_body = NewMovement,
    responses(
        (status = 201, body = SessionView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not open, or not enough cash for a pay-out", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn add_movement(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::DrawerOperate>,
    Path(id): Path<DrawerSessionId>,
    Json(body): Json<NewMovement>,
) -> Result<(StatusCode, axum::Json<SessionView>), ApiError> {
    let audit = can_audit(&user);
    Ok((
        StatusCode::CREATED,
        axum::Json(drawers::add_movement(&state.db, user.id, id, body, audit).await?),
    ))
}

/// Records a blind count by denomination; the answer shows the expected amount and the
/// difference.
#[utoipa::path(post, path = "/drawer-sessions/{id}/count", tag = "drawers", security(("bearer" = ["drawer:operate"])),
    params(("id" = DrawerSessionId, Path)),
    request_body = CountInput,
    responses(
        (status = 201, body = SessionView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Already counted or closed", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn count_session(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::DrawerOperate>,
    Path(id): Path<DrawerSessionId>,
    Json(body): Json<CountInput>,
) -> Result<(StatusCode, axum::Json<SessionView>), ApiError> {
    let audit = can_audit(&user);
    Ok((
        StatusCode::CREATED,
        axum::Json(drawers::count(&state.db, user.id, id, body, audit).await?),
    ))
}

/// A manager asks for a second blind count of a counted session.
#[utoipa::path(post, path = "/drawer-sessions/{id}/recount", tag = "drawers", security(("bearer" = ["drawer:audit"])),
    params(("id" = DrawerSessionId, Path)),
    responses(
        (status = 200, body = SessionView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not counted, or closed", body = ErrorBody),
    ))]
async fn require_recount(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::DrawerAudit>,
    Path(id): Path<DrawerSessionId>,
) -> Result<axum::Json<SessionView>, ApiError> {
    Ok(axum::Json(
        drawers::require_recount(&state.db, user.id, id).await?,
    ))
}

/// Closes a counted session.
#[utoipa::path(post, path = "/drawer-sessions/{id}/close", tag = "drawers", security(("bearer" = ["drawer:operate"])),
    params(("id" = DrawerSessionId, Path)),
    responses(
        (status = 200, body = SessionView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not counted yet, or already closed", body = ErrorBody),
    ))]
async fn close_session(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::DrawerOperate>,
    Path(id): Path<DrawerSessionId>,
) -> Result<axum::Json<SessionView>, ApiError> {
    let audit = can_audit(&user);
    Ok(axum::Json(
        drawers::close(&state.db, user.id, id, audit).await?,
    ))
}
