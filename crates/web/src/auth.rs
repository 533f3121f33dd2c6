//! The pieces of authentication both servers share: where a request carries its token
//! (bearer header or cookie), the cross-site check for cookie-carried writes, the
//! refusals every server answers alike, and permissions as types in handler signatures.
//! Who the caller is (a staff member, an account, a device) stays with each server.

use crate::error::ApiError;
use axum::http::{HeaderMap, Method, header};
use dysa_domain::rbac::Permission;
use std::fmt::Display;

/// Whether a method only reads (no CSRF check, no `Origin` needed).
pub fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The value of a named cookie in the request.
pub fn request_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The bearer token of the request (`Authorization: Bearer <token>`, any case).
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// The origin a request says it comes from: its `Origin`, or lacking it the scheme and
/// authority of its `Referer`. A request with neither names none (and is not trusted).
pub fn request_origin(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            let referer = headers.get(header::REFERER)?.to_str().ok()?;
            let (scheme, rest) = referer.split_once("://")?;
            let authority = rest.split('/').next()?;
            Some(format!("{scheme}://{authority}"))
        })
}

/// Whether `origin` is the server the request was sent to (its authority equals the
/// request's `Host`): a page of our own.
pub fn origin_is_own_host(origin: &str, headers: &HeaderMap) -> bool {
    let Some((_, authority)) = origin.split_once("://") else {
        return false;
    };
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|host| host.eq_ignore_ascii_case(authority))
}

/// 401 `unauthenticated`: no token at all.
pub fn unauthenticated() -> ApiError {
    ApiError::unauthenticated(
        "unauthenticated",
        "Inicia sesión para continuar",
        "Sign in to continue",
    )
}

/// 401 `token_invalid`: an access token that is forged or past its lifetime.
pub fn token_invalid() -> ApiError {
    ApiError::unauthenticated(
        "token_invalid",
        "La sesión expiró; vuelve a iniciar sesión",
        "The session expired; sign in again",
    )
}

/// 401 `session_revoked`: a valid token of a session that was closed.
pub fn session_revoked() -> ApiError {
    ApiError::unauthenticated(
        "session_revoked",
        "La sesión fue cerrada; vuelve a iniciar sesión",
        "The session was closed; sign in again",
    )
}

/// 403 `forbidden`: `who` (a role, or `device`) does not hold `permission`; the details
/// name the permission so a client can say what is missing.
pub fn role_forbids(who: impl Display, permission: Permission) -> ApiError {
    ApiError::forbidden(
        "forbidden",
        format!("Tu rol ({who}) no permite esta acción ({permission})"),
        format!("Your role ({who}) does not allow this ({permission})"),
    )
    .with_details(serde_json::json!({ "required_permission": permission }))
}

/// A permission a route requires, as a type, so the requirement sits in the handler's
/// signature where a reviewer sees it.
pub trait RequiredPermission {
    /// The permission.
    const PERMISSION: Permission;
}

/// A signed-in caller whose permissions can be checked (each server's own user type).
pub trait Principal {
    /// Refuses with 403 unless the caller holds `permission`.
    fn require(&self, permission: Permission) -> Result<(), ApiError>;
}

/// Marker types for a server's `Authorized` extractor, one per permission.
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

/// Declares `Authorized<P>` in the calling module: an extractor for a `$principal` (itself
/// an extractor answering [`ApiError`]) that holds the permission `P` (one of [`perm`]),
/// anyone else getting 401 or 403. A macro rather than a generic type so handlers keep
/// writing `Authorized(user, _): Authorized<perm::OrdersRead>` in each server.
#[macro_export]
macro_rules! authorized_extractor {
    ($(#[$meta:meta])* $principal:ty, $state:ty) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct Authorized<P>(pub $principal, pub ::std::marker::PhantomData<P>);

        impl<P: $crate::auth::RequiredPermission + Send + Sync>
            $crate::__axum::extract::FromRequestParts<$state> for Authorized<P>
        {
            type Rejection = $crate::error::ApiError;

            async fn from_request_parts(
                parts: &mut $crate::__axum::http::request::Parts,
                state: &$state,
            ) -> Result<Self, Self::Rejection> {
                let principal = <$principal as $crate::__axum::extract::FromRequestParts<
                    $state,
                >>::from_request_parts(parts, state)
                .await?;
                $crate::auth::Principal::require(&principal, P::PERMISSION)?;
                Ok(Authorized(principal, ::std::marker::PhantomData))
            }
        }
    };
}
