//! Request extractors: JSON bodies and paths with our error body, the client address,
//! and the authenticated staff member with the permission a route requires.

use super::error::ApiError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use bytes::Bytes;
use dysa_domain::ids::{SessionFamilyId, UserId};
use dysa_domain::rbac::{Permission, Role};
pub use dysa_web::auth::{
    Principal, RequiredPermission, bearer, is_safe_method, perm, request_cookie,
};
use dysa_web::auth::{role_forbids, session_revoked, token_invalid, unauthenticated};
pub use dysa_web::extract::{Json, Path, Query, check_paging, decode_json};
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
            Err(role_forbids(self.role, permission))
        }
    }
}

impl Principal for AuthUser {
    fn require(&self, permission: Permission) -> Result<(), ApiError> {
        AuthUser::require(self, permission)
    }
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
                request_cookie(&parts.headers, ACCESS_COOKIE).ok_or_else(unauthenticated)?,
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
        let claims = state.signer.check(token).map_err(|_| token_invalid())?;
        let user = state
            .db
            .session_cache
            .user(&state.db.read, claims.sid, claims.sub)
            .await?
            .ok_or_else(session_revoked)?;
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

dysa_web::authorized_extractor!(
    /// A signed-in user whose role holds `P`; anyone else gets 401 or 403.
    AuthUser,
    AppState
);

/// The header naming the manager or admin who approves a cashier's void, discount or
/// refund (their user id).
pub const APPROVER_HEADER: &str = "x-approval-user";
/// The header carrying that approver's PIN.
pub const APPROVAL_PIN_HEADER: &str = "x-approval-pin";

/// A signed-in user allowed to do what needs `P`: by their role, or — when the restaurant
/// asks for a manager's PIN (`manager_pin_for_voids`) — as staff who may take orders,
/// approved by a manager or admin holding `P` named in `X-Approval-User` with their PIN in
/// `X-Approval-Pin` (checked with the PIN lockout, nothing of the request done when
/// refused). Yields the actor for the audit log, naming the approver when there was one.
/// With the setting off it answers exactly like `Authorized<P>`.
pub struct Approved<P>(pub crate::audit::Actor, pub std::marker::PhantomData<P>);

impl<P: RequiredPermission + Send + Sync> FromRequestParts<AppState> for Approved<P> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        let actor = crate::audit::Actor::from_request_parts(parts, state).await?;
        let needed = P::PERMISSION;
        if user.role.allows(needed) {
            return Ok(Approved(actor, std::marker::PhantomData));
        }
        let restaurant = state.restaurant.get(&state.db.read).await?;
        if !restaurant.manager_pin_for_voids || !user.role.allows(Permission::OrdersCreate) {
            return Err(role_forbids(user.role, needed));
        }
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let (Some(approver), Some(pin)) = (header(APPROVER_HEADER), header(APPROVAL_PIN_HEADER))
        else {
            return Err(ApiError::forbidden(
                "approval_required",
                "Esta acción necesita el PIN de un encargado",
                "This needs a manager's PIN",
            )
            .with_details(serde_json::json!({ "required_permission": needed })));
        };
        let refused = || {
            ApiError::forbidden(
                "approval_refused",
                "PIN de encargado incorrecto",
                "Wrong manager PIN",
            )
        };
        let approver: UserId = approver.parse().map_err(|_| refused())?;
        let client = actor.client.clone().unwrap_or_default();
        let approved = crate::accounts::approve(
            &state.db,
            &state.settings,
            &state.hasher,
            approver,
            pin,
            needed,
            &client,
        )
        .await
        .map_err(|error| match error {
            crate::accounts::AccountError::BadPin => refused(),
            other => other.into(),
        })?;
        Ok(Approved(
            actor.approved_by(approved.id, &approved.name),
            std::marker::PhantomData,
        ))
    }
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
        dysa_web::extract::read_body(req, state).await.map(CsvBody)
    }
}
