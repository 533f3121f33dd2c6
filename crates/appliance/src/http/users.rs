//! Staff administration: admins create, edit, deactivate users and reset passwords and PINs.

use super::auth::UserView;
use super::error::ApiError;
use super::extract::{Authorized, Json, Path, perm};
use crate::accounts::{self, NewUser, UserChanges};
use crate::audit::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::ids::UserId;
use dysa_domain::rbac::Role;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user, deactivate_user))
        .routes(routes!(reset_password))
        .routes(routes!(set_pin))
        .routes(routes!(unlock_user))
}

/// A new staff account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    /// Display name.
    pub name: String,
    /// Login email.
    pub email: String,
    /// Initial password (10+ characters).
    pub password: String,
    /// Role.
    pub role: Role,
    /// Optional 4–6 digit PIN.
    #[serde(default)]
    pub pin: Option<String>,
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    /// New name.
    pub name: Option<String>,
    /// New email.
    pub email: Option<String>,
    /// New role.
    pub role: Option<Role>,
    /// Reactivate (true) or deactivate (false).
    pub active: Option<bool>,
}

/// A new password set by an admin.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPasswordRequest {
    /// The new password (10+ characters).
    pub password: String,
}

/// A PIN to set, or null to remove it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPinRequest {
    /// 4–6 digits, or null.
    pub pin: Option<String>,
}

/// Every staff account.
#[utoipa::path(get, path = "/users", tag = "users", security(("bearer" = ["users:read"])),
    responses((status = 200, body = Vec<UserView>), (status = 403, body = super::error::ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    _: Authorized<perm::UsersRead>,
) -> Result<axum::Json<Vec<UserView>>, ApiError> {
    let users = crate::store::users::list(&state.db.read).await?;
    let locked = accounts::locked_users(&state.db).await?;
    Ok(axum::Json(
        users
            .iter()
            .map(|u| UserView::from(u).locked_until(locked.get(&u.id).copied()))
            .collect(),
    ))
}

/// Creates a staff account.
#[utoipa::path(post, path = "/users", tag = "users", security(("bearer" = ["users:manage"])),
    request_body = CreateUserRequest,
    responses(
        (status = 201, body = UserView),
        (status = 409, description = "Email in use", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn create_user(
    State(state): State<AppState>,
    _: Authorized<perm::UsersManage>,
    actor: Actor,
    Json(body): Json<CreateUserRequest>,
) -> Result<(StatusCode, axum::Json<UserView>), ApiError> {
    let record = accounts::create_user(
        &state.db,
        &actor,
        NewUser {
            name: body.name,
            email: body.email,
            password: body.password,
            role: body.role,
            pin: body.pin,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(UserView::from(&record))))
}

/// One staff account.
#[utoipa::path(get, path = "/users/{id}", tag = "users", security(("bearer" = ["users:read"])),
    params(("id" = UserId, Path, description = "User id")),
    responses((status = 200, body = UserView), (status = 404, body = super::error::ErrorBody)))]
async fn get_user(
    State(state): State<AppState>,
    _: Authorized<perm::UsersRead>,
    Path(id): Path<UserId>,
) -> Result<axum::Json<UserView>, ApiError> {
    let record = crate::store::users::find(&state.db.read, id)
        .await?
        .ok_or_else(|| ApiError::not_found("El usuario", "The user"))?;
    Ok(axum::Json(UserView::from(&record)))
}

/// Changes name, email, role or active state.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", security(("bearer" = ["users:manage"])),
    params(("id" = UserId, Path, description = "User id")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, body = UserView),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, description = "Email in use, or the last admin", body = super::error::ErrorBody),
    ))]
async fn update_user(
    State(state): State<AppState>,
    _: Authorized<perm::UsersManage>,
    actor: Actor,
    Path(id): Path<UserId>,
    Json(body): Json<UpdateUserRequest>,
) -> Result<axum::Json<UserView>, ApiError> {
    let record = accounts::update_user(
        &state.db,
        &actor,
        id,
        UserChanges {
            name: body.name,
            email: body.email,
            role: body.role,
            active: body.active,
        },
    )
    .await?;
    Ok(axum::Json(UserView::from(&record)))
}

/// Deactivates an account (its history stays; its sessions close).
#[utoipa::path(delete, path = "/users/{id}", tag = "users", security(("bearer" = ["users:manage"])),
    params(("id" = UserId, Path, description = "User id")),
    responses(
        (status = 200, body = UserView),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, description = "The last admin", body = super::error::ErrorBody),
    ))]
async fn deactivate_user(
    State(state): State<AppState>,
    _: Authorized<perm::UsersManage>,
    actor: Actor,
    Path(id): Path<UserId>,
) -> Result<axum::Json<UserView>, ApiError> {
    let changes = UserChanges {
        active: Some(false),
        ..UserChanges::default()
    };
    let record = accounts::update_user(&state.db, &actor, id, changes).await?;
    Ok(axum::Json(UserView::from(&record)))
}

/// Sets a new password for a user; their sessions close.
#[utoipa::path(post, path = "/users/{id}/password", tag = "users", security(("bearer" = ["users:manage"])),
    params(("id" = UserId, Path, description = "User id")),
    request_body = ResetPasswordRequest,
    responses(
        (status = 204, description = "Reset"),
        (status = 404, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn reset_password(
    State(state): State<AppState>,
    _: Authorized<perm::UsersManage>,
    Path(id): Path<UserId>,
    Json(body): Json<ResetPasswordRequest>,
) -> Result<StatusCode, ApiError> {
    accounts::set_password(&state.db, id, body.password, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets or removes a user's quick-switch PIN.
#[utoipa::path(post, path = "/users/{id}/pin", tag = "users", security(("bearer" = ["users:manage"])),
    params(("id" = UserId, Path, description = "User id")),
    request_body = SetPinRequest,
    responses(
        (status = 204, description = "Set"),
        (status = 404, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn set_pin(
    State(state): State<AppState>,
    _: Authorized<perm::UsersManage>,
    Path(id): Path<UserId>,
    Json(body): Json<SetPinRequest>,
) -> Result<StatusCode, ApiError> {
    accounts::set_pin(&state.db, id, body.pin).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lifts a user's sign-in lock (after five wrong PINs or passwords): the PIN's and the
/// password's counters start over. Without it the lock ends by itself (15 minutes, longer
/// for each further lock).
#[utoipa::path(post, path = "/users/{id}/unlock", tag = "users", security(("bearer" = ["users:manage"])),
    params(("id" = UserId, Path, description = "User id")),
    responses(
        (status = 204, description = "Unlocked"),
        (status = 403, body = super::error::ErrorBody),
        (status = 404, body = super::error::ErrorBody),
    ))]
async fn unlock_user(
    State(state): State<AppState>,
    Authorized(admin, _): Authorized<perm::UsersManage>,
    Path(id): Path<UserId>,
) -> Result<StatusCode, ApiError> {
    accounts::unlock_user(&state.db, id).await?;
    tracing::info!(user_id = %id, by = %admin.id, "sign-in lock lifted");
    Ok(StatusCode::NO_CONTENT)
}
