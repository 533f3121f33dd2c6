//! Sign-in, PIN quick switch, token refresh, logout and the current user.

use super::error::ApiError;
use super::extract::{ACCESS_COOKIE, AuthUser, ClientIp, FromLoopback, Json, REFRESH_COOKIE};
use super::known_device;
use crate::accounts::{self, SignedIn};
use crate::auth::tokens::{ACCESS_TTL_SECS, REFRESH_TTL_SECS};
use crate::state::AppState;
use crate::store::users::UserRecord;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use dysa_domain::ids::UserId;
use dysa_domain::rbac::{Permission, Role};
pub use dysa_web::session::RefreshRequest;
use dysa_web::session::SessionCookies;
use serde::{Deserialize, Serialize};
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Rate-limit key: the peer address (in-process requests count as one local client).
#[derive(Clone, Debug)]
struct AuthClient;

impl KeyExtractor for AuthClient {
    type Key = String;

    fn extract<T>(&self, req: &axum::http::Request<T>) -> Result<Self::Key, GovernorError> {
        Ok(req
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|axum::extract::ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|| "local".to_owned()))
    }
}

/// [`router`] and the recovery routes, with a per-client rate limit over every `/auth/*` route (`auth_rate_burst`,
/// then one more every `auth_rate_period_ms`), before any lockout or hash is reached.
pub fn limited_router(settings: &crate::settings::Settings) -> OpenApiRouter<AppState> {
    let config = GovernorConfigBuilder::default()
        .period(std::time::Duration::from_millis(
            settings.auth_rate_period_ms.max(1),
        ))
        .burst_size(settings.auth_rate_burst.max(1))
        .key_extractor(AuthClient)
        .finish();
    match config {
        Some(config) => router().merge(super::recovery::router()).layer(
            GovernorLayer::new(std::sync::Arc::new(config)).error_handler(|error| {
                let wait = match &error {
                    GovernorError::TooManyRequests { wait_time, .. } => *wait_time,
                    _ => 1,
                };
                ApiError::too_many_requests(wait).into_response()
            }),
        ),
        None => router().merge(super::recovery::router()),
    }
}

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(pin_login))
        .routes(routes!(pin_users))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

/// A staff account as clients see it (no secrets).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UserView {
    /// The account's id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Login email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// False once deactivated.
    pub active: bool,
    /// Whether a quick-switch PIN is set.
    pub has_pin: bool,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Until when sign-in (PIN or password) is locked after repeated failures (RFC 3339);
    /// absent when not locked. Only the staff list fills it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<String>,
}

impl UserView {
    /// The view with the end of its sign-in lock (ms since the epoch), if any.
    pub fn locked_until(mut self, until_ms: Option<i64>) -> Self {
        self.locked_until = until_ms
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
            .map(|t| t.to_string());
        self
    }
}

impl From<&UserRecord> for UserView {
    fn from(record: &UserRecord) -> Self {
        UserView {
            id: record.id,
            name: record.name.clone(),
            email: record.email.clone(),
            role: record.role,
            active: record.active,
            has_pin: record.pin_hash.is_some(),
            created_at: record.created_at.clone(),
            locked_until: None,
        }
    }
}

/// A signed-in session: who, what they may do, and the tokens (also set as cookies).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SessionResponse {
    /// The signed-in account.
    pub user: UserView,
    /// What the account's role allows.
    pub permissions: Vec<Permission>,
    /// Bearer token for API clients; lives 15 minutes.
    pub access_token: String,
    /// Single-use token for `POST /auth/refresh`.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Always `Bearer`.
    pub token_type: String,
    /// The admin recovery code, only in the answer to the first-run setup: shown once,
    /// never stored in clear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_code: Option<String>,
}

/// This server's session cookies. No `Secure`: the panel is served over plain HTTP on
/// the LAN and on loopback.
const COOKIES: SessionCookies = SessionCookies {
    access: ACCESS_COOKIE,
    refresh: REFRESH_COOKIE,
    secure: false,
};

/// The answer for a new or refreshed session: JSON body plus httpOnly cookies.
pub fn signed_in_response(status: StatusCode, signed_in: SignedIn) -> Response {
    let body = SessionResponse {
        user: UserView::from(&signed_in.user),
        permissions: signed_in.user.role.permissions(),
        access_token: signed_in.access_token.clone(),
        refresh_token: signed_in.refresh_token.clone(),
        expires_in: ACCESS_TTL_SECS,
        token_type: "Bearer".to_owned(),
        recovery_code: signed_in.recovery_code.clone(),
    };
    let mut response = (status, axum::Json(body)).into_response();
    COOKIES.set(
        response.headers_mut(),
        (&signed_in.access_token, ACCESS_TTL_SECS),
        (&signed_in.refresh_token, REFRESH_TTL_SECS),
    );
    response
}

/// Email and password.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    /// Login email.
    pub email: String,
    /// Password.
    pub password: String,
}

/// Signs in with email and password. The sixth attempt within 15 minutes, per account or
/// per client, answers 429 with `Retry-After` (attempts are counted before the password
/// is checked; each further lock of an account lasts twice as long).
#[utoipa::path(post, path = "/auth/login", tag = "auth", security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, body = SessionResponse),
        (status = 401, description = "Wrong credentials", body = super::error::ErrorBody),
        (status = 429, description = "Locked for a while", body = super::error::ErrorBody),
        (status = 503, description = "Hashing busy; see `Retry-After`", body = super::error::ErrorBody),
    ))]
async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
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
    tracing::info!(user_id = %signed_in.user.id, "signed in");
    let mut response = signed_in_response(StatusCode::OK, signed_in);
    known_device::remember(&state, &headers, &mut response).await;
    Ok(response)
}

/// User id and PIN.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PinRequest {
    /// Who is switching in.
    pub user_id: UserId,
    /// Their 4–6 digit PIN.
    pub pin: String,
}

/// Quick switch at the counter: signs a user in by PIN, with the same lockout rules and
/// a lock per user after five wrong PINs (until an admin unlocks it or the lock ends).
/// Admins and managers get 403 `password_required` when the restaurant requires them to
/// use their password. A switch made while someone is signed in (the Salón's "Cambiar
/// mesero": a phone or the counter handed over) closes that person's session once the
/// PIN is right, so their tokens are not left behind on a shared device; a wrong PIN
/// leaves them signed in.
#[utoipa::path(post, path = "/auth/pin", tag = "auth", security(()),
    request_body = PinRequest,
    responses(
        (status = 200, body = SessionResponse),
        (status = 401, body = super::error::ErrorBody),
        (status = 403, description = "`password_required`", body = super::error::ErrorBody),
        (status = 429, description = "Locked; see `Retry-After`", body = super::error::ErrorBody),
        (status = 503, description = "Hashing busy; see `Retry-After`", body = super::error::ErrorBody),
    ))]
async fn pin_login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    previous: Result<AuthUser, ApiError>,
    headers: HeaderMap,
    Json(body): Json<PinRequest>,
) -> Result<Response, ApiError> {
    let restaurant = state.restaurant.get(&state.db.read).await?;
    let signed_in = accounts::login_with_pin(
        &state.db,
        &state.signer,
        &state.settings,
        &state.hasher,
        body.user_id,
        body.pin,
        &client,
        restaurant.password_required_for_managers,
    )
    .await?;
    let previous_refresh = dysa_web::auth::request_cookie(&headers, REFRESH_COOKIE);
    if previous.is_ok() || previous_refresh.is_some() {
        accounts::logout(
            &state.db,
            previous.ok().map(|u| u.session),
            previous_refresh,
        )
        .await?;
    }
    let mut response = signed_in_response(StatusCode::OK, signed_in);
    known_device::remember(&state, &headers, &mut response).await;
    Ok(response)
}

/// Someone who can switch in by PIN.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PinUser {
    /// The account's id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
}

/// The people who can switch in by PIN (names only), for the counter's switch screen.
/// From the LAN only a device that signed in here once gets the list (setting
/// `pin_users_known_devices_only`, on by default); the counter itself always does.
#[utoipa::path(get, path = "/auth/pin-users", tag = "auth", security(()),
    responses(
        (status = 200, body = Vec<PinUser>),
        (status = 403, description = "A LAN device that never signed in here", body = super::error::ErrorBody),
    ))]
async fn pin_users(
    State(state): State<AppState>,
    FromLoopback(local): FromLoopback,
    headers: HeaderMap,
) -> Result<axum::Json<Vec<PinUser>>, ApiError> {
    if !local
        && state.settings.pin_users_known_devices_only
        && !known_device::is_known(&state, &headers).await?
    {
        return Err(ApiError::forbidden(
            "device_not_known",
            "Este dispositivo aún no ha iniciado sesión aquí: entra con tu correo y contraseña",
            "This device has not signed in here yet: sign in with your email and password",
        ));
    }
    let users = crate::store::users::list(&state.db.read).await?;
    Ok(axum::Json(
        users
            .iter()
            .filter(|u| u.active && u.pin_hash.is_some())
            .map(|u| PinUser {
                id: u.id,
                name: u.name.clone(),
                role: u.role,
            })
            .collect(),
    ))
}

/// Exchanges a refresh token (body or cookie) for a new pair. Each token works once;
/// presenting a used one closes the whole session.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", security(()),
    request_body(content = Option<RefreshRequest>, description = "Omit to use the refresh cookie"),
    responses(
        (status = 200, body = SessionResponse),
        (status = 401, body = super::error::ErrorBody),
    ))]
async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let token = COOKIES.required_refresh_token(&headers, &body)?;
    match accounts::refresh(&state.db, &state.signer, &token).await {
        Ok(signed_in) => Ok(signed_in_response(StatusCode::OK, signed_in)),
        Err(error) => {
            let mut response = ApiError::from(error).into_response();
            COOKIES.clear(response.headers_mut());
            Ok(response)
        }
    }
}

/// Closes the current session (by access token, refresh token or cookies) and clears
/// the cookies. Always answers 204.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(()),
    request_body(content = Option<RefreshRequest>, description = "Optional: a refresh token to close"),
    responses((status = 204, description = "Signed out")))]
async fn logout(
    State(state): State<AppState>,
    user: Result<AuthUser, ApiError>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let refresh = COOKIES
        .presented_refresh_token(&headers, &body)
        .ok()
        .flatten();
    accounts::logout(&state.db, user.ok().map(|u| u.session), refresh.as_deref()).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    COOKIES.clear(response.headers_mut());
    Ok(response)
}

/// Who is signed in and what they may do.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeResponse {
    /// The account.
    pub user: UserView,
    /// What the account's role allows.
    pub permissions: Vec<Permission>,
    /// What a manager's PIN lets this account do on top (voids, discounts, refunds), when
    /// the restaurant asks for it (`manager_pin_for_voids`); empty otherwise. The panel
    /// shows those buttons and asks for the PIN only then.
    #[serde(default)]
    pub with_approval: Vec<Permission>,
}

/// The signed-in user and their permissions.
#[utoipa::path(get, path = "/auth/me", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, body = MeResponse),
        (status = 401, body = super::error::ErrorBody),
    ))]
async fn me(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<axum::Json<MeResponse>, ApiError> {
    let record = crate::store::users::find(&state.db.read, user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("El usuario", "The user"))?;
    let restaurant = state.restaurant.get(&state.db.read).await?;
    let with_approval =
        if restaurant.manager_pin_for_voids && record.role.allows(Permission::OrdersCreate) {
            [Permission::OrdersUpdate, Permission::PaymentsWrite]
                .into_iter()
                .filter(|p| !record.role.allows(*p))
                .collect()
        } else {
            Vec::new()
        };
    Ok(axum::Json(MeResponse {
        user: UserView::from(&record),
        permissions: record.role.permissions(),
        with_approval,
    }))
}

/// A user's own password change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ChangePasswordRequest {
    /// The password in use now.
    pub current_password: String,
    /// The new password.
    pub new_password: String,
}

/// Changes the caller's own password; their other sessions are closed.
#[utoipa::path(post, path = "/auth/password", tag = "auth", security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 401, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn change_password(
    State(state): State<AppState>,
    user: AuthUser,
    Json(body): Json<ChangePasswordRequest>,
) -> Result<StatusCode, ApiError> {
    accounts::change_own_password(
        &state.db,
        user.id,
        user.session,
        body.current_password,
        body.new_password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
