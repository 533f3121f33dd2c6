//! The dashboard accounts of a tenant: its owner lists them, creates managers and
//! viewers, renames, changes roles, deactivates and reactivates them (`users:manage`,
//! which only owners hold).

use super::auth::AccountView;
use crate::accounts::{self as ops, AccountChanges, NewAccount};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Json, Path, perm};
use crate::state::AppState;
use crate::store::accounts as store;
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::ids::{AccountId, LocationId};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(detail, update))
}

/// A new account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccountRequest {
    /// Display name.
    pub name: String,
    /// Login email (unique across the cloud).
    pub email: String,
    /// Initial password (10+ characters, not a common one).
    pub password: String,
    /// `manager` or `viewer`.
    #[schema(example = "manager")]
    pub role: String,
}

/// What to change; absent fields stay as they are.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAccountRequest {
    /// New display name.
    pub name: Option<String>,
    /// New role: `manager` or `viewer`.
    #[schema(example = "viewer")]
    pub role: Option<String>,
    /// `false` deactivates (its sessions close at once), `true` reactivates.
    pub active: Option<bool>,
    /// Limits the account to these locations (a manager of Providencia sees only
    /// Providencia); empty: every location. Applies from its next request. Not for owners.
    #[schema(value_type = Option<Vec<String>>)]
    pub location_ids: Option<Vec<LocationId>>,
}

/// The tenant's dashboard accounts, owners first.
#[utoipa::path(get, path = "/accounts", tag = "accounts", security(("bearer" = ["users:manage"])),
    responses((status = 200, body = Vec<AccountView>), (status = 403, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::UsersManage>,
) -> Result<axum::Json<Vec<AccountView>>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let rows = store::list(&mut tx).await?;
    Ok(axum::Json(
        rows.iter().map(AccountView::of).collect::<Result<_, _>>()?,
    ))
}

/// Creates a manager or viewer account.
#[utoipa::path(post, path = "/accounts", tag = "accounts", security(("bearer" = ["users:manage"])),
    request_body = CreateAccountRequest,
    responses(
        (status = 201, body = AccountView),
        (status = 409, description = "Email in use", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::UsersManage>,
    Json(body): Json<CreateAccountRequest>,
) -> Result<(StatusCode, axum::Json<AccountView>), ApiError> {
    let record = ops::create_account(
        &state.db,
        caller.tenant_id(),
        NewAccount {
            name: body.name,
            email: body.email,
            password: body.password,
            role: body.role,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(AccountView::of(&record)?)))
}

/// One account.
#[utoipa::path(get, path = "/accounts/{id}", tag = "accounts", security(("bearer" = ["users:manage"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = AccountView), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::UsersManage>,
    Path(id): Path<AccountId>,
) -> Result<axum::Json<AccountView>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let record = store::find(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("La cuenta", "The account"))?;
    Ok(axum::Json(AccountView::of(&record)?))
}

/// Changes name, role, active state or locations. Deactivating closes the account's
/// sessions at once; owners keep their role, stay active and see every location (409
/// `owner_account`).
#[utoipa::path(patch, path = "/accounts/{id}", tag = "accounts", security(("bearer" = ["users:manage"])),
    params(("id" = Uuid, Path)),
    request_body = UpdateAccountRequest,
    responses(
        (status = 200, body = AccountView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "An owner's role or active state", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn update(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::UsersManage>,
    Path(id): Path<AccountId>,
    Json(body): Json<UpdateAccountRequest>,
) -> Result<axum::Json<AccountView>, ApiError> {
    let record = ops::update_account(
        &state.db,
        caller.tenant_id(),
        id,
        AccountChanges {
            name: body.name,
            role: body.role,
            active: body.active,
            location_ids: body.location_ids,
        },
    )
    .await?;
    Ok(axum::Json(AccountView::of(&record)?))
}
