//! Tax documents: the queue of boletas, facturas and credit notes, and the provider's
//! access token (kept on this counter, never answered).

use super::error::{ApiError, ErrorBody};
use super::extract::{Authorized, Json, Path, Query, perm};
use crate::fiscal::FiscalOverview;
use crate::state::AppState;
use crate::store::fiscal::{self as store, FiscalDocument, FiscalStatus};
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(list_documents))
        .routes(routes!(retry_document))
        .routes(routes!(set_token, forget_token))
}

/// Which documents.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    /// Only those with this status.
    pub status: Option<FiscalStatus>,
    /// Only those of this order.
    pub order_id: Option<uuid::Uuid>,
    /// At most this many (1–200, default 50), newest first.
    pub limit: Option<i64>,
}

/// The provider's access token.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    /// Bsale's `access_token` of the restaurant's account.
    pub access_token: String,
}

/// Whether documents are issued, whether a token is kept, and how many wait or were
/// refused.
#[utoipa::path(get, path = "/fiscal", tag = "fiscal", security(("bearer" = ["payments:write"])),
    responses((status = 200, body = FiscalOverview), (status = 403, body = ErrorBody)))]
async fn overview(
    State(state): State<AppState>,
    _: Authorized<perm::PaymentsWrite>,
) -> Result<axum::Json<FiscalOverview>, ApiError> {
    Ok(axum::Json(state.fiscal.overview().await?))
}

/// The documents of this counter, newest first, with the provider's folio or its words
/// of refusal.
#[utoipa::path(get, path = "/fiscal/documents", tag = "fiscal", security(("bearer" = ["payments:write"])),
    params(DocumentQuery),
    responses((status = 200, body = Vec<FiscalDocument>), (status = 403, body = ErrorBody)))]
async fn list_documents(
    State(state): State<AppState>,
    _: Authorized<perm::PaymentsWrite>,
    Query(query): Query<DocumentQuery>,
) -> Result<axum::Json<Vec<FiscalDocument>>, ApiError> {
    let order = query.order_id.map(|o| o.to_string());
    Ok(axum::Json(
        store::list(
            &state.db.read,
            query.status,
            order.as_deref(),
            query.limit.unwrap_or(50).clamp(1, 200),
        )
        .await?,
    ))
}

/// Queues a refused document again, once its cause is fixed (a receptor's data, the
/// provider's folios).
#[utoipa::path(post, path = "/fiscal/documents/{id}/retry", tag = "fiscal", security(("bearer" = ["payments:write"])),
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = FiscalDocument),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`not_rejected`", body = ErrorBody),
    ))]
async fn retry_document(
    State(state): State<AppState>,
    _: Authorized<perm::PaymentsWrite>,
    Path(id): Path<uuid::Uuid>,
) -> Result<axum::Json<FiscalDocument>, ApiError> {
    Ok(axum::Json(state.fiscal.retry(id).await?))
}

/// Keeps the provider's access token on this counter (the OS keyring, else a file only
/// the appliance's user reads). It is never answered back.
#[utoipa::path(put, path = "/fiscal/token", tag = "fiscal", security(("bearer" = ["settings:write"])),
    request_body = TokenInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_token(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsWrite>,
    Json(body): Json<TokenInput>,
) -> Result<StatusCode, ApiError> {
    state.fiscal.set_token(body.access_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Forgets the provider's access token.
#[utoipa::path(delete, path = "/fiscal/token", tag = "fiscal", security(("bearer" = ["settings:write"])),
    responses((status = 204), (status = 403, body = ErrorBody)))]
async fn forget_token(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsWrite>,
) -> Result<StatusCode, ApiError> {
    state.fiscal.forget_token().await?;
    Ok(StatusCode::NO_CONTENT)
}
