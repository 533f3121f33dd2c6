//! Sign-in (tenant accounts and the platform's super_admin), token refresh, logout and
//! the current account. Same shapes as the appliance's:
//! `{user, permissions, access_token, refresh_token}` plus httpOnly cookies.

use crate::accounts::{self, SessionRef, SignedIn};
use crate::auth::tokens::{ACCESS_TTL_SECS, REFRESH_TTL_SECS};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{
    ACCESS_COOKIE, AnyAccount, ClientIp, Json, REFRESH_COOKIE, SessionClaims,
};
use crate::roles::AccountRole;
use crate::state::AppState;
use crate::store::accounts::AccountRecord;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use dysa_domain::ids::{AccountId, LocationId, TenantId};
use dysa_domain::rbac::Permission;
pub use dysa_web::session::RefreshRequest;
use dysa_web::session::SessionCookies;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(forgot_password))
        .routes(routes!(reset_password))
        .routes(routes!(change_password))
        .routes(routes!(verify_email))
        .routes(routes!(resend_verification))
}

/// The language a request asks for (`Accept-Language`; Spanish unless English is
/// preferred): the language of the mails it causes.
pub fn request_lang(headers: &HeaderMap) -> dysa_domain::validate::Lang {
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(dysa_domain::validate::Lang::from_accept_language)
        .unwrap_or_default()
}

fn links<'a>(state: &'a AppState, headers: &HeaderMap) -> accounts::Links<'a> {
    accounts::Links {
        public_url: &state.settings.public_url,
        lang: request_lang(headers),
    }
}

/// A dashboard account as clients see it (no secrets).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountView {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: AccountId,
    /// Display name.
    pub name: String,
    /// Login email.
    pub email: String,
    /// Role.
    pub role: AccountRole,
    /// The tenant (none for a super_admin).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub tenant_id: Option<TenantId>,
    /// False once deactivated (a deactivated account cannot sign in).
    pub active: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// The locations it is limited to; empty: every location.
    #[schema(value_type = Vec<String>)]
    pub location_ids: Vec<LocationId>,
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
            location_ids: record.location_ids.clone(),
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
    /// Whether the account's email was confirmed by its link (a tenant account; always
    /// true for a super_admin). The dashboard shows a banner until it is.
    pub email_verified: bool,
    /// Whether the cloud can send email at all (a transport is configured).
    pub mail_configured: bool,
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
    let (record, email_verified) = match account {
        AnyAccount::Tenant(account) => {
            let mut tx = state.db.tenant_tx(account.tenant_id).await?;
            let record = crate::store::accounts::find(&mut tx, account.id).await?;
            let verified = crate::store::accounts::email_verified(&mut tx, account.id).await?;
            (record, verified)
        }
        AnyAccount::Platform(admin) => {
            let mut tx = state.db.public_tx().await?;
            let (session, id) = admin.session_ref();
            let record = crate::store::platform::session_account(&mut tx, session, id).await?;
            (record, true)
        }
    };
    let record = record.ok_or_else(|| ApiError::not_found("La cuenta", "The account"))?;
    let (user, permissions) = view(&record)?;
    Ok(axum::Json(MeResponse {
        user,
        permissions,
        email_verified,
        mail_configured: state.mail.mailer().is_configured(),
    }))
}

/// The email that forgot its password.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ForgotPasswordRequest {
    /// The account's login email.
    pub email: String,
}

/// The answer to a reset request: the same for every email.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ForgotPasswordResponse {
    /// Whether the cloud can send email at all; when false the owner must ask support
    /// (said on the page, and true or false alike for every email).
    pub mail_configured: bool,
}

/// Mails a one-time link (30 minutes, single use) to set a new password, if the email
/// belongs to an active account. Always answers 202 with the same body, whether or not
/// the email has an account; rate-limited like every `/auth/*` route, and at most one
/// link a minute per account. The mail is in the request's `Accept-Language`.
#[utoipa::path(post, path = "/auth/password/forgot", tag = "auth", security(()),
    request_body = ForgotPasswordRequest,
    responses(
        (status = 202, body = ForgotPasswordResponse),
        (status = 429, body = ErrorBody),
    ))]
async fn forgot_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(body): Json<ForgotPasswordRequest>,
) -> Result<(StatusCode, axum::Json<ForgotPasswordResponse>), ApiError> {
    accounts::request_password_reset(&state.db, &state.mail, &body.email, links(&state, &headers))
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(ForgotPasswordResponse {
            mail_configured: state.mail.mailer().is_configured(),
        }),
    ))
}

/// A reset link's token and the new password.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ResetPasswordRequest {
    /// The token from the mailed link.
    pub token: String,
    /// The new password (10+ characters, not a common one).
    pub password: String,
}

/// Sets a new password with a reset link's token. The link works once and for 30
/// minutes; using it closes every session of the account. An unknown, used or expired
/// token is 422 with a `token` field error.
#[utoipa::path(post, path = "/auth/password/reset", tag = "auth", security(()),
    request_body = ResetPasswordRequest,
    responses(
        (status = 204, description = "Password changed; sign in with it"),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
async fn reset_password(
    State(state): State<AppState>,
    Json(body): Json<ResetPasswordRequest>,
) -> Result<StatusCode, ApiError> {
    accounts::reset_password(&state.db, &body.token, body.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The current and the new password.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ChangePasswordRequest {
    /// The password in use now.
    pub current_password: String,
    /// The new one (10+ characters, not a common one).
    pub new_password: String,
}

/// Changes the signed-in account's password. A wrong current password is 422 with a
/// `current_password` field error and counts like a failed sign-in (the lockout
/// applies); every other session of the account is closed, this one stays. A platform
/// account (signed in on the dashboard) is 409 `platform_account`: its password is not
/// the dashboard's to change.
#[utoipa::path(post, path = "/auth/password/change", tag = "auth", security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; other sessions closed"),
        (status = 401, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "A platform account: `platform_account`"),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
async fn change_password(
    State(state): State<AppState>,
    account: AnyAccount,
    ClientIp(client): ClientIp,
    Json(body): Json<ChangePasswordRequest>,
) -> Result<StatusCode, ApiError> {
    let AnyAccount::Tenant(account) = account else {
        return Err(ApiError::conflict(
            "platform_account",
            "La contraseña de una cuenta de plataforma no se cambia desde el panel",
            "A platform account's password is not changed from the dashboard",
        ));
    };
    accounts::change_password(
        &state.db,
        &state.settings,
        &state.hasher,
        account.tenant_id,
        account.id,
        account.session,
        body.current_password,
        body.new_password,
        &client,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A verification link's token.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct VerifyEmailRequest {
    /// The token from the mailed link.
    pub token: String,
}

/// Confirms an account's email with the link mailed at sign-up (valid 7 days). Following
/// it again answers 204 as long as the email stays verified.
#[utoipa::path(post, path = "/auth/email/verify", tag = "auth", security(()),
    request_body = VerifyEmailRequest,
    responses(
        (status = 204, description = "Verified"),
        (status = 422, body = ErrorBody),
    ))]
async fn verify_email(
    State(state): State<AppState>,
    Json(body): Json<VerifyEmailRequest>,
) -> Result<StatusCode, ApiError> {
    accounts::verify_email(&state.db, &body.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether a verification mail was queued.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ResendVerificationResponse {
    /// False when the email is verified already or a link went out within the minute.
    pub queued: bool,
    /// Whether the cloud can send email at all.
    pub mail_configured: bool,
}

/// Mails the signed-in account a new verification link.
#[utoipa::path(post, path = "/auth/email/resend", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 202, body = ResendVerificationResponse),
        (status = 401, body = ErrorBody),
    ))]
async fn resend_verification(
    State(state): State<AppState>,
    account: AnyAccount,
    headers: HeaderMap,
) -> Result<(StatusCode, axum::Json<ResendVerificationResponse>), ApiError> {
    // A platform account has no email to verify.
    let queued = match account {
        AnyAccount::Tenant(account) => {
            accounts::resend_verification(
                &state.db,
                &state.mail,
                account.tenant_id,
                account.id,
                links(&state, &headers),
            )
            .await?
        }
        AnyAccount::Platform(_) => false,
    };
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(ResendVerificationResponse {
            queued,
            mail_configured: state.mail.mailer().is_configured(),
        }),
    ))
}
