//! Request extractors: JSON bodies and paths with our error body, the client address,
//! and the authenticated staff member with the permission a route requires.

use super::error::ApiError;
use super::security::is_safe_method;
use crate::state::AppState;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use bytes::Bytes;
use dysa_domain::ids::{SessionFamilyId, UserId};
use dysa_domain::rbac::{Permission, Role};
pub use dysa_web::extract::{Json, Path, Query, decode_json};
use std::marker::PhantomData;
use std::net::SocketAddr;

/// Name of the access-token cookie.
pub const ACCESS_COOKIE: &str = "dysa_access";
/// Name of the refresh-token cookie.
pub const REFRESH_COOKIE: &str = "dysa_refresh";

/// The client's address (for per-client login limits). Requests without connection
/// info (in-process tests) count as one local client.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string())
                .unwrap_or_else(|| "local".to_owned()),
        ))
    }
}

/// Whether the request comes from this very machine: the connection's peer is a loopback
/// address (IPv4-mapped IPv6 included). The desktop window and a browser on the counter
/// are; a tablet or a phone on the Wi-Fi is not. Requests without connection info
/// (in-process tests) count as local, like [`ClientIp`]'s "local".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FromLoopback(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for FromLoopback {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(FromLoopback(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .is_none_or(|ConnectInfo(addr)| addr.ip().to_canonical().is_loopback()),
        ))
    }
}

/// A signed-in staff member, checked on every request against the open sessions (kept in
/// memory and invalidated by every revocation or user change), so logout, deactivation
/// and role changes take effect at once.
#[derive(Clone, Debug)]
pub struct AuthUser {
    /// The user.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Current role.
    pub role: Role,
    /// The login session this request belongs to.
    pub session: SessionFamilyId,
}

impl AuthUser {
    /// Refuses with 403 unless the user's role holds `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.role.allows(permission) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "forbidden",
                format!(
                    "Tu rol ({}) no permite esta acción ({permission})",
                    self.role
                ),
                format!(
                    "Your role ({}) does not allow this ({permission})",
                    self.role
                ),
            )
            .with_details(serde_json::json!({ "required_permission": permission })))
        }
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The value of a named cookie in the request.
pub fn request_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    cookie(headers, name)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

fn unauthenticated() -> ApiError {
    ApiError::unauthenticated(
        "unauthenticated",
        "Inicia sesión para continuar",
        "Sign in to continue",
    )
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<AuthUser>() {
            return Ok(user.clone());
        }
        let (token, via_cookie) = match bearer(&parts.headers) {
            Some(token) => (token, false),
            None => (
                cookie(&parts.headers, ACCESS_COOKIE).ok_or_else(unauthenticated)?,
                true,
            ),
        };
        // A browser sends cookies on cross-site requests too; a write riding on a cookie
        // must come from a page of our own origin (CSRF).
        if via_cookie
            && !is_safe_method(&parts.method)
            && !super::security::origin_is_trusted(&parts.headers, state)
        {
            return Err(super::security::cross_origin_refusal());
        }
        let claims = state.signer.check(token).map_err(|_| {
            ApiError::unauthenticated(
                "token_invalid",
                "La sesión expiró; vuelve a iniciar sesión",
                "The session expired; sign in again",
            )
        })?;
        let user = state
            .db
            .session_cache
            .user(&state.db.read, claims.sid, claims.sub)
            .await?
            .ok_or_else(|| {
                ApiError::unauthenticated(
                    "session_revoked",
                    "La sesión fue cerrada; vuelve a iniciar sesión",
                    "The session was closed; sign in again",
                )
            })?;
        let user = AuthUser {
            id: claims.sub,
            name: user.name,
            role: user.role,
            session: claims.sid,
        };
        tracing::Span::current().record("user_id", tracing::field::display(user.id));
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// A permission a route requires, as a type, so the requirement sits in the handler's
/// signature where a reviewer sees it.
pub trait RequiredPermission {
    /// The permission.
    const PERMISSION: Permission;
}

/// A signed-in user whose role holds `P`; anyone else gets 401 or 403.
#[derive(Debug)]
pub struct Authorized<P>(pub AuthUser, pub PhantomData<P>);

impl<P: RequiredPermission + Send + Sync> FromRequestParts<AppState> for Authorized<P> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        user.require(P::PERMISSION)?;
        Ok(Authorized(user, PhantomData))
    }
}

/// The signed-in user acting from this request's client, for the audit log. Put it after
/// the route's `Authorized<…>` (the user is then already checked and cached).
impl FromRequestParts<AppState> for crate::audit::Actor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        let Ok(ClientIp(client)) = ClientIp::from_request_parts(parts, state).await;
        Ok(crate::audit::Actor::staff(
            user.id,
            &user.name,
            state.db.device_id(),
            &client,
        ))
    }
}

/// Marker types for [`Authorized`], one per permission.
pub mod perm {
    use super::RequiredPermission;
    use dysa_domain::rbac::Permission;

    macro_rules! markers {
        ($($name:ident),* $(,)?) => {$(
            #[doc = concat!("Requires `Permission::", stringify!($name), "`.")]
            #[derive(Debug)]
            pub struct $name;
            impl RequiredPermission for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*};
    }

    markers!(
        OrdersRead,
        OrdersCreate,
        OrdersUpdate,
        PaymentsWrite,
        MenuRead,
        MenuWrite,
        CustomersRead,
        CustomersWrite,
        ReservationsRead,
        ReservationsCreate,
        ReservationsUpdate,
        TablesRead,
        TablesWrite,
        ReportsRead,
        SettingsRead,
        SettingsWrite,
        UsersRead,
        UsersManage,
        ConversationsRead,
        ConversationsWrite,
        DrawerRead,
        DrawerOperate,
        DrawerAudit,
        AuditRead,
    );
}

/// A CSV body (`Content-Type: text/csv`): 415 with any other content type, 413 over the
/// body limit. The bytes are handed over undecoded (spreadsheets may write Latin-1).
#[derive(Debug)]
pub struct CsvBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_csv = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("text/csv"));
        if !is_csv {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Se esperaba un CSV (Content-Type: text/csv)",
                "Expected a CSV (Content-Type: text/csv)",
            ));
        }
        Bytes::from_request(req, state)
            .await
            .map(CsvBody)
            .map_err(|rejection| match rejection {
                BytesRejection::FailedToBufferBody(e)
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
                {
                    super::error::for_status(StatusCode::PAYLOAD_TOO_LARGE)
                }
                other => ApiError::bad_request(
                    "unreadable_body",
                    "No se pudo leer el cuerpo de la solicitud",
                    format!("Could not read the request body: {}", other.body_text()),
                ),
            })
    }
}
