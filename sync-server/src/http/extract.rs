//! Extractors: JSON, path and query parameters that answer our JSON errors, the client's
//! address, and the callers: tenant accounts (access token) and devices (device token),
//! each bound to its tenant, and the platform's super_admin (access token, no tenant).

use super::error::ApiError;
use crate::auth::tokens::Claims;
use crate::limits::{TrustedProxies, client_key};
use crate::roles::AccountRole;
use crate::state::AppState;
use crate::store::devices::DeviceAuth;
use crate::store::{accounts, devices, platform};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use dysa_domain::ids::{AccountId, DeviceId, LocationId, TenantId};
use dysa_domain::rbac::Permission;
pub use dysa_web::auth::{
    Principal, RequiredPermission, bearer, is_safe_method, perm, request_cookie,
};
use dysa_web::auth::{
    origin_is_own_host, request_origin, role_forbids, session_revoked, token_invalid,
    unauthenticated,
};
pub use dysa_web::extract::{Json, Path, Query, decode_json};
use std::net::SocketAddr;
use uuid::Uuid;

/// Name of the access-token cookie.
pub const ACCESS_COOKIE: &str = "dysa_cloud_access";
/// Name of the refresh-token cookie.
pub const REFRESH_COOKIE: &str = "dysa_cloud_refresh";

/// The client's key, for rate limits, budgets and lockouts: the peer address, or behind
/// trusted proxies the right-most `X-Forwarded-For` entry that is not one of them
/// (`crate::limits`); IPv6 by its /64. Requests without connection info (in-process
/// tests) count as one local client.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

/// The client key of a request (see [`ClientIp`]).
pub fn client_ip(
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
    proxies: &TrustedProxies,
) -> String {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    client_key(proxies.client(peer, headers))
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(
            &parts.headers,
            &parts.extensions,
            state.limits.proxies(),
        )))
    }
}

/// Whether a cookie-carried write comes from a page of ours: its `Origin` (or
/// `Referer`) is the public URL, an allowed CORS origin, or the request's own host.
fn origin_is_trusted(headers: &HeaderMap, state: &AppState) -> bool {
    let Some(origin) = request_origin(headers) else {
        return false;
    };
    let settings = &state.settings;
    settings
        .public_url
        .trim_end_matches('/')
        .eq_ignore_ascii_case(&origin)
        || settings
            .cors_origins
            .iter()
            .any(|o| o.trim_end_matches('/').eq_ignore_ascii_case(&origin))
        || origin_is_own_host(&origin, headers)
}

/// The verified claims of the request's access token: the `Authorization: Bearer`
/// header, else the access cookie (whose writes must come from a page of ours). A device
/// token is refused with 403: it is a credential, but not an account's.
async fn access_claims(parts: &Parts, state: &AppState) -> Result<Claims, ApiError> {
    let (token, via_cookie) = match bearer(&parts.headers) {
        Some(token) if token.starts_with(DEVICE_TOKEN_PREFIX) => {
            return Err(ApiError::forbidden(
                "forbidden",
                "Un equipo no puede usar esta ruta; es para cuentas del panel",
                "A device cannot use this route; it is for dashboard accounts",
            ));
        }
        Some(token) => (token, false),
        None => (
            request_cookie(&parts.headers, ACCESS_COOKIE).ok_or_else(unauthenticated)?,
            true,
        ),
    };
    if via_cookie && !is_safe_method(&parts.method) && !origin_is_trusted(&parts.headers, state) {
        return Err(ApiError::forbidden(
            "cross_origin",
            "Solicitud rechazada: no proviene del panel",
            "Request refused: it does not come from the dashboard",
        ));
    }
    state
        .signer
        .verify(token, &state.db)
        .await
        .map_err(|_| token_invalid())
}

/// A signed-in account of a tenant, checked against its session and its tenant's status
/// on every request: logout, deactivation, role changes and suspension apply at once.
/// A platform (super_admin) session is refused with 403: it works on no tenant's data.
#[derive(Clone, Debug)]
pub struct AuthAccount {
    /// The account.
    pub id: AccountId,
    /// Its tenant.
    pub tenant_id: TenantId,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: AccountRole,
    /// The login session.
    pub session: Uuid,
    /// The locations it is limited to (`None`: every location).
    pub locations: Option<Vec<LocationId>>,
}

impl AuthAccount {
    /// A transaction of the account's tenant that sees only its locations.
    pub async fn tx(&self, db: &crate::store::Db) -> crate::store::StoreResult<crate::store::Tx> {
        db.scoped_tx(self.tenant_id, self.locations.as_deref())
            .await
    }
}

impl FromRequestParts<AppState> for AuthAccount {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(account) = parts.extensions.get::<AuthAccount>() {
            return Ok(account.clone());
        }
        let claims = access_claims(parts, state).await?;
        let Some(tenant_id) = claims.tid else {
            return Err(ApiError::forbidden(
                "forbidden",
                "La cuenta de plataforma no opera con los datos de un restaurante",
                "The platform account does not work on a restaurant's data",
            ));
        };
        let mut tx = state.db.tenant_tx(tenant_id).await?;
        let found = accounts::session_account(&mut tx, claims.sid, claims.sub).await?;
        tx.commit().await.map_err(crate::store::StoreError::from)?;
        let found = found.ok_or_else(session_revoked)?;
        super::suspension::check_account(&state.db, tenant_id, &found.tenant_status).await?;
        crate::billing::gate(state, tenant_id, &parts.method, parts.uri.path()).await?;
        let record = found.account;
        // Owners see every location whatever rows an earlier role left behind.
        let locations = (!record.location_ids.is_empty() && record.role != "owner")
            .then(|| record.location_ids.clone());
        let role = AccountRole::parse(&record.role)
            .filter(|r| *r != AccountRole::SuperAdmin)
            .ok_or_else(|| {
                ApiError::forbidden(
                    "forbidden",
                    "Rol no admitido aquí",
                    "Role not accepted here",
                )
            })?;
        let account = AuthAccount {
            id: record.id,
            tenant_id,
            name: record.name,
            role,
            session: claims.sid,
            locations,
        };
        tracing::Span::current().record("tenant_id", tracing::field::display(account.tenant_id));
        tracing::Span::current().record("user_id", tracing::field::display(account.id));
        parts.extensions.insert(account.clone());
        Ok(account)
    }
}

/// A signed-in super_admin (the platform operator), checked against its session on every
/// request. Tenant accounts and devices are refused with 403.
#[derive(Clone, Debug)]
pub struct PlatformAdmin {
    /// The account.
    pub id: AccountId,
    /// Display name.
    pub name: String,
    /// The login session.
    pub session: Uuid,
}

impl PlatformAdmin {
    /// `(session, account)`: what the platform's database functions ask for.
    pub fn session_ref(&self) -> (Uuid, AccountId) {
        (self.session, self.id)
    }
}

impl FromRequestParts<AppState> for PlatformAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(admin) = parts.extensions.get::<PlatformAdmin>() {
            return Ok(admin.clone());
        }
        let claims = access_claims(parts, state).await?;
        if claims.tid.is_some() {
            return Err(ApiError::forbidden(
                "forbidden",
                "Solo la administración de la plataforma puede usar esta ruta",
                "Only the platform's administrators may use this route",
            )
            .with_details(serde_json::json!({ "required_permission": PLATFORM_SCOPE })));
        }
        let mut tx = state.db.public_tx().await?;
        let record = platform::session_account(&mut tx, claims.sid, claims.sub).await?;
        tx.commit().await.map_err(crate::store::StoreError::from)?;
        let record = record.ok_or_else(session_revoked)?;
        let admin = PlatformAdmin {
            id: record.id,
            name: record.name,
            session: claims.sid,
        };
        tracing::Span::current().record("user_id", tracing::field::display(admin.id));
        parts.extensions.insert(admin.clone());
        Ok(admin)
    }
}

/// The signed session of the request's access token, without checking that the session
/// is still open or its tenant active: enough to close it (logout).
#[derive(Clone, Debug)]
pub struct SessionClaims(pub Claims);

impl FromRequestParts<AppState> for SessionClaims {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        access_claims(parts, state).await.map(SessionClaims)
    }
}

/// The security scope the platform routes declare in the OpenAPI spec.
pub const PLATFORM_SCOPE: &str = "platform:admin";

/// Any signed-in dashboard account: a tenant's, or the platform's.
#[derive(Clone, Debug)]
pub enum AnyAccount {
    /// An account of a tenant.
    Tenant(AuthAccount),
    /// A super_admin.
    Platform(PlatformAdmin),
}

impl FromRequestParts<AppState> for AnyAccount {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let claims = access_claims(parts, state).await?;
        if claims.tid.is_some() {
            AuthAccount::from_request_parts(parts, state)
                .await
                .map(AnyAccount::Tenant)
        } else {
            PlatformAdmin::from_request_parts(parts, state)
                .await
                .map(AnyAccount::Platform)
        }
    }
}

/// An enrolled, unrevoked device of an active tenant, authenticated by its bearer token.
/// A revoked token (401) or a suspended tenant (403) is refused at once: the check reads
/// the database on every request.
#[derive(Clone, Debug)]
pub struct AuthDevice {
    /// The device.
    pub id: DeviceId,
    /// Its tenant.
    pub tenant_id: TenantId,
    /// Its location.
    pub location_id: LocationId,
}

/// Prefix of device tokens.
pub const DEVICE_TOKEN_PREFIX: &str = "dyd_";

fn device_refused() -> ApiError {
    ApiError::unauthenticated(
        "device_token_invalid",
        "El equipo no está inscrito o fue revocado",
        "The device is not enrolled or was revoked",
    )
}

/// The hash of the request's device token and a transaction in the tenant it belongs to;
/// 401 `device_token_invalid` for a missing or unknown token.
async fn device_token_tx(
    parts: &Parts,
    state: &AppState,
) -> Result<(String, crate::store::Tx), ApiError> {
    let token = bearer(&parts.headers)
        .filter(|t| t.starts_with(DEVICE_TOKEN_PREFIX))
        .ok_or_else(device_refused)?;
    let hash = crate::auth::tokens::hash_secret(token);
    let tenant = devices::tenant_of_token(&state.db, &hash)
        .await?
        .ok_or_else(device_refused)?;
    let tx = state.db.tenant_tx(tenant).await?;
    Ok((hash, tx))
}

impl FromRequestParts<AppState> for AuthDevice {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(device) = parts.extensions.get::<AuthDevice>() {
            return Ok(device.clone());
        }
        let (hash, mut tx) = device_token_tx(parts, state).await?;
        let found = devices::authenticate(&mut tx, &hash).await?;
        tx.commit().await.map_err(crate::store::StoreError::from)?;
        let record = match found {
            DeviceAuth::Live(record) => record,
            DeviceAuth::Suspended => return Err(super::error::tenant_suspended()),
            DeviceAuth::Refused => return Err(device_refused()),
        };
        let device = AuthDevice {
            id: record.id,
            tenant_id: record.tenant_id,
            location_id: record.location_id,
        };
        tracing::Span::current().record("tenant_id", tracing::field::display(device.tenant_id));
        parts.extensions.insert(device.clone());
        Ok(device)
    }
}

/// A device calling the sync API. Like [`AuthDevice`], the token is checked against the
/// database on every request, but a token of a revoked device answers 401
/// `device_revoked` (not `device_token_invalid`), so the appliance's sync loop can stop and
/// tell staff why; a device of a suspended tenant keeps syncing (`http::suspension`). The
/// check only reads: the sync handlers stamp `last_seen_at` in their own transaction,
/// which saves a commit (a WAL flush) per push or pull.
#[derive(Clone, Debug)]
pub struct SyncDevice(pub AuthDevice);

impl FromRequestParts<AppState> for SyncDevice {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (hash, mut tx) = device_token_tx(parts, state).await?;
        let found = devices::by_token(&mut tx, &hash).await?;
        tx.commit().await.map_err(crate::store::StoreError::from)?;
        let found = found.ok_or_else(device_refused)?;
        if found.revoked {
            return Err(ApiError::unauthenticated(
                "device_revoked",
                "Este equipo fue desvinculado de la cuenta; vuelva a inscribirlo",
                "This device was revoked; enrol it again",
            ));
        }
        super::suspension::check_sync(found.tenant_id, found.tenant_active)?;
        let device = AuthDevice {
            id: found.id,
            tenant_id: found.tenant_id,
            location_id: found.location_id,
        };
        tracing::Span::current().record("tenant_id", tracing::field::display(device.tenant_id));
        Ok(SyncDevice(device))
    }
}

/// Who is calling a tenant route: an account, or a device of the tenant.
#[derive(Clone, Debug)]
pub enum Caller {
    /// A dashboard account.
    Account(AuthAccount),
    /// An enrolled device (read-only access to its tenant's data).
    Device(AuthDevice),
}

impl Caller {
    /// The caller's tenant: every query of the request is scoped to it.
    pub fn tenant_id(&self) -> TenantId {
        match self {
            Caller::Account(a) => a.tenant_id,
            Caller::Device(d) => d.tenant_id,
        }
    }

    /// The locations the caller may see (`None`: all of them). A device sees its
    /// tenant as before: its routes name their location themselves.
    pub fn locations(&self) -> Option<&[LocationId]> {
        match self {
            Caller::Account(a) => a.locations.as_deref(),
            Caller::Device(_) => None,
        }
    }

    /// A transaction of the caller's tenant that sees only the caller's locations: what
    /// every owners' route opens, so a limited manager's lists are filtered and another
    /// location's ids answer 404.
    pub async fn tx(&self, db: &crate::store::Db) -> crate::store::StoreResult<crate::store::Tx> {
        db.scoped_tx(self.tenant_id(), self.locations()).await
    }

    /// The account, if the caller is one.
    pub fn account_id(&self) -> Option<AccountId> {
        match self {
            Caller::Account(a) => Some(a.id),
            Caller::Device(_) => None,
        }
    }

    /// Refuses with 403 unless the caller holds `permission`. Devices hold the
    /// read permissions only.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        let (allowed, who) = match self {
            Caller::Account(a) => (a.role.allows(permission), a.role.as_str()),
            Caller::Device(_) => (permission.is_read_only(), "device"),
        };
        if allowed {
            Ok(())
        } else {
            Err(role_forbids(who, permission))
        }
    }
}

impl Principal for Caller {
    fn require(&self, permission: Permission) -> Result<(), ApiError> {
        Caller::require(self, permission)
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if bearer(&parts.headers).is_some_and(|t| t.starts_with(DEVICE_TOKEN_PREFIX)) {
            AuthDevice::from_request_parts(parts, state)
                .await
                .map(Caller::Device)
        } else {
            AuthAccount::from_request_parts(parts, state)
                .await
                .map(Caller::Account)
        }
    }
}

dysa_web::authorized_extractor!(
    /// A caller (account or device) of one tenant who holds `P`; anyone else gets 401 or 403.
    Caller,
    AppState
);

/// The `Idempotency-Key` of a public write (a UUID, or 8–64 letters, digits, `-`, `_`,
/// `.` or `:`); missing or malformed → 400 `idempotency_key_required`. The answers kept
/// by key are in `store::idempotency`.
pub fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| crate::widget_orders::valid_idempotency_key(k))
        .map(str::to_owned)
        .ok_or_else(|| {
            ApiError::bad_request(
                "idempotency_key_required",
                "Falta la cabecera Idempotency-Key (un UUID, o de 8 a 64 letras y dígitos)",
                "The Idempotency-Key header is required (a UUID, or 8 to 64 letters and digits)",
            )
        })
}
