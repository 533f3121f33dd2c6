//! The location key's claim and the join requests (docs/SYNC.md, "Joining a location"):
//! device-token routes. The cloud relays a new counter's public key to the location's
//! other counters and the sealed location key back; it never holds the key itself.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Json, Path, SyncDevice};
use crate::state::AppState;
use crate::store::join::{self as store, Claim};
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::join::{
    JoinApproval, JoinRequest, JoinStatus, LocationKeyClaim, LocationKeyState, MAX_DEVICE_NAME,
    NewJoinRequest, check_sealed_key, parse_public_key,
};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(key_state, claim_key))
        .routes(routes!(list_requests, create_request))
        .routes(routes!(request_detail))
        .routes(routes!(approve))
        .routes(routes!(refuse))
}

fn fingerprint_issue(fingerprint: &str) -> Option<FieldIssue> {
    let ok = (8..=128).contains(&fingerprint.len())
        && fingerprint
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_:+/=".contains(&b));
    (!ok).then(|| FieldIssue::Other {
        es: "no es una huella de llave válida".into(),
        en: "is not a valid key fingerprint".into(),
    })
}

/// The fingerprint of the location's key, once a counter claimed one: a counter without
/// the key reads it to know whether it must join instead of making a key of its own.
#[utoipa::path(get, path = "/sync/location-key", tag = "sync",
    security(("bearer" = ["device"])),
    responses(
        (status = 200, body = LocationKeyState),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ))]
async fn key_state(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
) -> Result<axum::Json<LocationKeyState>, ApiError> {
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let fingerprint = store::key_fingerprint(&mut tx, device.location_id).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(axum::Json(LocationKeyState { fingerprint }))
}

/// Claims the location key by its fingerprint. The first claim of a location wins; the
/// same fingerprint again is 200; another one is 409 `location_key_exists` (that counter
/// made a rival key and must join the location instead).
#[utoipa::path(post, path = "/sync/location-key", tag = "sync",
    security(("bearer" = ["device"])),
    request_body = LocationKeyClaim,
    responses(
        (status = 200, body = LocationKeyState, description = "This is the location's key"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The location has another key"),
        (status = 422, body = ErrorBody),
    ))]
async fn claim_key(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Json(claim): Json<LocationKeyClaim>,
) -> Result<axum::Json<LocationKeyState>, ApiError> {
    let mut fields = FieldErrors::new();
    if let Some(issue) = fingerprint_issue(&claim.fingerprint) {
        fields.add("fingerprint", issue);
    }
    fields.into_result()?;
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let claimed =
        store::claim_key(&mut tx, device.location_id, device.id, &claim.fingerprint).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    match claimed {
        Claim::Held => Ok(axum::Json(LocationKeyState {
            fingerprint: Some(claim.fingerprint),
        })),
        Claim::Rival(_) => Err(ApiError::conflict(
            "location_key_exists",
            "Este local ya tiene otra caja con su llave; una esta caja al local existente en vez de conectarla",
            "This restaurant already has another counter holding its key; join this counter to it instead of connecting it",
        )),
    }
}

/// The location's join requests waiting for an answer (not the caller's own), for an admin
/// at one of its counters to approve or refuse.
#[utoipa::path(get, path = "/sync/join-requests", tag = "sync",
    security(("bearer" = ["device"])),
    responses(
        (status = 200, body = Vec<JoinRequest>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ))]
async fn list_requests(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
) -> Result<axum::Json<Vec<JoinRequest>>, ApiError> {
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let requests = store::pending_for(&mut tx, device.location_id, device.id).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(axum::Json(requests))
}

/// A new counter asks to join its location: its public key is relayed to the location's
/// other counters. Replaces the caller's earlier pending request.
#[utoipa::path(post, path = "/sync/join-requests", tag = "sync",
    security(("bearer" = ["device"])),
    request_body = NewJoinRequest,
    responses(
        (status = 201, body = JoinRequest),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn create_request(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Json(input): Json<NewJoinRequest>,
) -> Result<(StatusCode, axum::Json<JoinRequest>), ApiError> {
    let mut fields = FieldErrors::new();
    fields.text("device_name", &input.device_name, MAX_DEVICE_NAME);
    if parse_public_key(&input.public_key).is_err() {
        fields.add(
            "public_key",
            FieldIssue::Other {
                es: "no es una llave pública X25519 en base64".into(),
                en: "is not a base64 X25519 public key".into(),
            },
        );
    }
    fields.into_result()?;
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let request = store::create_request(
        &mut tx,
        device.location_id,
        device.id,
        input.device_name.trim(),
        input.public_key.trim(),
    )
    .await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok((StatusCode::CREATED, axum::Json(request)))
}

fn request_not_found() -> ApiError {
    ApiError::not_found("La solicitud para unir la caja", "The join request")
}

/// One request of the caller's location; the joining counter polls its own here and finds
/// the sealed key once approved (only it ever receives the sealed key).
#[utoipa::path(get, path = "/sync/join-requests/{id}", tag = "sync",
    security(("bearer" = ["device"])),
    params(("id" = Uuid, Path, description = "The request's id")),
    responses(
        (status = 200, body = JoinRequest),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
async fn request_detail(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<JoinRequest>, ApiError> {
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let found = store::find(&mut tx, device.location_id, device.id, id).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    found.map(axum::Json).ok_or_else(request_not_found)
}

/// Decides a pending request of the caller's location made by another device.
async fn decide(
    state: &AppState,
    device: &crate::http::extract::AuthDevice,
    id: Uuid,
    sealed_key: Option<&str>,
) -> Result<StatusCode, ApiError> {
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let request = store::find(&mut tx, device.location_id, device.id, id)
        .await?
        .filter(|r| r.device_id != device.id.0)
        .ok_or_else(request_not_found)?;
    if request.status != JoinStatus::Pending {
        return Err(ApiError::conflict(
            "join_request_closed",
            "La solicitud ya fue respondida o venció",
            "The request was already answered or has expired",
        ));
    }
    store::decide(&mut tx, id, device.id, sealed_key).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Approves a request: the body is the location key sealed to the request's public key by
/// the approving counter. The cloud checks its shape only; it cannot open it.
#[utoipa::path(post, path = "/sync/join-requests/{id}/approve", tag = "sync",
    security(("bearer" = ["device"])),
    params(("id" = Uuid, Path, description = "The request's id")),
    request_body = JoinApproval,
    responses(
        (status = 204, description = "Approved: the joining counter can fetch the sealed key"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "Already answered or expired"),
        (status = 422, body = ErrorBody),
    ))]
async fn approve(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Path(id): Path<Uuid>,
    Json(approval): Json<JoinApproval>,
) -> Result<StatusCode, ApiError> {
    let mut fields = FieldErrors::new();
    if check_sealed_key(&approval.sealed_key).is_err() {
        fields.add(
            "sealed_key",
            FieldIssue::Other {
                es: "no es una llave sellada válida".into(),
                en: "is not a valid sealed key".into(),
            },
        );
    }
    fields.into_result()?;
    decide(&state, &device, id, Some(approval.sealed_key.trim())).await
}

/// Refuses a request.
#[utoipa::path(post, path = "/sync/join-requests/{id}/refuse", tag = "sync",
    security(("bearer" = ["device"])),
    params(("id" = Uuid, Path, description = "The request's id")),
    responses(
        (status = 204, description = "Refused"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "Already answered or expired"),
    ))]
async fn refuse(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    decide(&state, &device, id, None).await
}
