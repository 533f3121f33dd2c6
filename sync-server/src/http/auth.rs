//! Sign-in (tenant accounts and the platform's super_admin), token refresh, logout and
//! the current account. Same shapes as the appliance's:
//! `{user, permissions, access_token, refresh_token}` plus httpOnly cookies.

use super::error::{ApiError, ErrorBody};
use super::extract::{ACCESS_COOKIE, AnyAccount, ClientIp, Json, REFRESH_COOKIE, SessionClaims};
use crate::accounts::{self, SessionRef, SignedIn};
use crate::auth::tokens::{ACCESS_TTL_SECS, REFRESH_TTL_SECS};
use crate::roles::AccountRole;
use crate::state::AppState;
use crate::store::accounts::AccountRecord;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use dysa_domain::rbac::Permission;
pub use dysa_web::session::RefreshRequest;
use dysa_web::session::SessionCookies;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(me))
}

/// A dashboard account as clients see it (no secrets).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountView {
    /// Id.
    pub id: Uuid,
    /// Display name.
    pub name: String,
    /// Login email.
    pub email: String,
    /// Role.
    pub role: AccountRole,
    /// The tenant (none for a super_admin).
    pub tenant_id: Option<Uuid>,
    /// False once deactivated (a deactivated account cannot sign in).
    pub active: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

impl AccountView {
    /// The view of a stored account; 403 for a role this build does not know.
    pub fn of(record: &AccountRecord) -> Result<AccountView, ApiError> {
        view(record).map(|(view, _)| view)
    }
}

fn view(record: &AccountRecord) -> Result<(AccountView, Vec<Permission>), ApiError> {
    let role = AccountRole::parse(&record.role).ok_or_else(|| {
        ApiError::forbidden(
            "forbidden",
            "Rol no admitido aquí",
            "Role not accepted here",
        )
    })?;
    Ok((
        AccountView {
            id: record.id,
            name: record.name.clone(),
            email: record.email.clone(),
            role,
            tenant_id: record.tenant_id,
            active: record.active,
            created_at: record.created_at,
        },
        role.permissions(),
    ))
}

/// A signed-in session: who, what they may do, and the tokens (also set as cookies).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SessionResponse {
    /// The signed-in account.
    pub user: AccountView,
    /// What the account's role allows in its tenant (empty for a super_admin).
    pub permissions: Vec<Permission>,
    /// Bearer token; lives 15 minutes.
    pub access_token: String,
    /// Single-use token for `POST /auth/refresh`.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Always `Bearer`.
    pub token_type: String,
}

/// Sets the dashboard's session cookies for `signed_in` on a response (the website's
/// sign-up hands the new owner over signed in).
pub fn set_session_cookies(
    state: &AppState,
    headers: &mut axum::http::HeaderMap,
    signed_in: &SignedIn,
) {
    cookies(state).set(
        headers,
        (&signed_in.access_token, ACCESS_TTL_SECS),
        (&signed_in.refresh_token, REFRESH_TTL_SECS),
    );
}

/// This server's session cookies, `Secure` when the public URL is HTTPS.
fn cookies(state: &AppState) -> SessionCookies {
    SessionCookies {
        access: ACCESS_COOKIE,
        refresh: REFRESH_COOKIE,
        secure: state.settings.public_url.starts_with("https://"),
    }
}

fn signed_in_response(state: &AppState, signed_in: SignedIn) -> Result<Response, ApiError> {
    let (user, permissions) = view(&signed_in.account)?;
    let body = SessionResponse {
        user,
        permissions,
        access_token: signed_in.access_token.clone(),
        refresh_token: signed_in.refresh_token.clone(),
        expires_in: ACCESS_TTL_SECS,
        token_type: "Bearer".to_owned(),
    };
    let mut response = (StatusCode::OK, axum::Json(body)).into_response();
    cookies(state).set(
        response.headers_mut(),
        (&signed_in.access_token, ACCESS_TTL_SECS),
        (&signed_in.refresh_token, REFRESH_TTL_SECS),
    );
    Ok(response)
}

/// Email and password.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    /// Login email.
    pub email: String,
    /// Password.
    pub password: String,
}

/// Signs in with email and password (a tenant's account or a super_admin). The sixth
/// attempt within 15 minutes, per account or per client, answers 429 with `Retry-After`
/// (attempts are counted before the password is checked; each further lock of an account
/// lasts twice as long).
/// A suspended tenant's accounts get 403 `tenant_suspended`.
#[utoipa::path(post, path = "/auth/login", tag = "auth", security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, body = SessionResponse),
        (status = 401, description = "Wrong credentials", body = ErrorBody),
        (status = 403, description = "The tenant is suspended", body = ErrorBody),
        (status = 429, description = "Locked for a while", body = ErrorBody),
        (status = 503, description = "Hashing busy; see `Retry-After`", body = ErrorBody),
    ))]
async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Json(body): Json<LoginRequest>,
) -> Result<Response, ApiError> {
    let signed_in = accounts::login(
        &state.db,
        &state.signer,
        &state.settings,
        &state.hasher,
        &body.email,
        body.password,
        &client,
    )
    .await?;
    tracing::info!(account_id = %signed_in.account.id, tenant_id = ?signed_in.account.tenant_id, role = %signed_in.account.role, "signed in");
    signed_in_response(&state, signed_in)
}

/// Exchanges a refresh token (body or cookie) for a new pair. Each token works once;
/// presenting a used one closes the whole session. A suspended tenant's sessions get 403
/// `tenant_suspended` until it is reactivated.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", security(()),
    request_body(content = Option<RefreshRequest>, description = "Omit to use the refresh cookie"),
    responses(
        (status = 200, body = SessionResponse),
        (status = 401, body = ErrorBody),
        (status = 403, description = "The tenant is suspended", body = ErrorBody),
    ))]
async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let token = cookies(&state).required_refresh_token(&headers, &body)?;
    match accounts::refresh(&state.db, &state.signer, &token).await {
        Ok(signed_in) => signed_in_response(&state, signed_in),
        Err(error) => {
            let error = ApiError::from(error);
            let dead = error.status() == StatusCode::UNAUTHORIZED;
            let mut response = error.into_response();
            // A suspended tenant's session outlives the suspension: keep its cookies.
            if dead {
                cookies(&state).clear(response.headers_mut());
            }
            Ok(response)
        }
    }
}

/// Closes the current session (by access token, refresh token or cookies) and clears the
/// cookies. Always answers 204.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(()),
    request_body(content = Option<RefreshRequest>, description = "Optional: a refresh token to close"),
    responses((status = 204, description = "Signed out")))]
async fn logout(
    State(state): State<AppState>,
    claims: Result<SessionClaims, ApiError>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let refresh = cookies(&state)
        .presented_refresh_token(&headers, &body)
        .ok()
        .flatten();
    // Any validly signed access token closes its session, even one a suspension refuses.
    let session = claims.ok().map(|SessionClaims(c)| match c.tid {
        Some(tenant) => SessionRef::Tenant {
            tenant,
            family: c.sid,
        },
        None => SessionRef::Platform {
            account: c.sub,
            family: c.sid,
        },
    });
    accounts::logout(&state.db, session, refresh.as_deref()).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    cookies(&state).clear(response.headers_mut());
    Ok(response)
}

/// Who is signed in and what they may do.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeResponse {
    /// The account.
    pub user: AccountView,
    /// What the account's role allows.
    pub permissions: Vec<Permission>,
}

/// The signed-in account (a tenant's or a super_admin) and its permissions.
#[utoipa::path(get, path = "/auth/me", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, body = MeResponse),
        (status = 401, body = ErrorBody),
        (status = 403, description = "A device token, or a suspended tenant", body = ErrorBody),
    ))]
async fn me(
    State(state): State<AppState>,
    account: AnyAccount,
) -> Result<axum::Json<MeResponse>, ApiError> {
    let record = match account {
        AnyAccount::Tenant(account) => {
            let mut tx = state.db.tenant_tx(account.tenant_id).await?;
            crate::store::accounts::find(&mut tx, account.id).await?
        }
        AnyAccount::Platform(admin) => {
            let mut tx = state.db.public_tx().await?;
            let (session, id) = admin.session_ref();
            crate::store::platform::session_account(&mut tx, session, id).await?
        }
    }
    .ok_or_else(|| ApiError::not_found("La cuenta", "The account"))?;
    let (user, permissions) = view(&record)?;
    Ok(axum::Json(MeResponse { user, permissions }))
}
