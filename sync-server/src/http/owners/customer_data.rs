//! The owner's requests about the diners' data (`/customer-data`): export it, erase one
//! diner, erase it all (see [`crate::customer_data`]). Owner only (`settings:write`):
//! managers, viewers and devices are refused with 403.

use crate::customer_data::{self, DataError, DinerErased, ExportKind, TenantExport};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Json, Path, perm};
use crate::state::AppState;
use crate::store::StoreError;
use crate::store::customers::TenantErased;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_json))
        .routes(routes!(export_csv))
        .routes(routes!(erase_diner))
        .routes(routes!(erasure_phrase, erase_all))
}

impl From<DataError> for ApiError {
    fn from(error: DataError) -> Self {
        let invalid = |field: &str, es: &str, en: &str| {
            let mut fields = FieldErrors::new();
            fields.add(
                field,
                FieldIssue::Other {
                    es: es.into(),
                    en: en.into(),
                },
            );
            ApiError::validation(fields)
        };
        match error {
            DataError::Store(e) => e.into(),
            DataError::NoPhone => invalid(
                "phone",
                "no es un teléfono (p. ej. 9 8765 4321 o +56 9 8765 4321)",
                "is not a phone number (e.g. 9 8765 4321 or +56 9 8765 4321)",
            ),
            DataError::NotConfirmed => invalid(
                "confirmation",
                "no coincide con la dirección del restaurante",
                "does not match the restaurant's address name",
            ),
            error @ DataError::Csv(_) => ApiError::internal(&error),
        }
    }
}

/// Everything the cloud holds about the restaurant's diners: customers, reservations,
/// orders and conversations.
#[utoipa::path(get, path = "/customer-data/export", tag = "customer-data", security(("bearer" = ["settings:write"])),
    responses((status = 200, body = TenantExport), (status = 403, body = ErrorBody)))]
async fn export_json(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
) -> Result<impl IntoResponse, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let export = customer_data::export(&state, &mut tx).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"datos-clientes.json\"",
        )],
        axum::Json(export),
    ))
}

/// One kind of the export as a CSV file (`customers`, `reservations`, `orders`,
/// `conversations`).
#[utoipa::path(get, path = "/customer-data/export/{kind}", tag = "customer-data", security(("bearer" = ["settings:write"])),
    params(("kind" = inline(ExportKind), Path, description = "customers, reservations, orders or conversations")),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "an unknown kind")))]
async fn export_csv(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Path(kind): Path<ExportKind>,
) -> Result<impl IntoResponse, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let export = customer_data::export(&state, &mut tx).await?;
    tx.commit().await.map_err(StoreError::from)?;
    let text = customer_data::csv_of(&export, kind)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", kind.file_name()),
            ),
        ],
        text,
    ))
}

/// One diner to erase.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DinerErasure {
    /// Their phone, as they give it (`9 8765 4321`, `+56 9 8765 4321`).
    pub phone: String,
}

/// Erases one diner on their request: their customer rows emptied and deleted, the name,
/// phone and notes of their reservations, the notes of their orders (the orders stay for
/// the books) and their WhatsApp conversation. Counters receive it with their next pull.
#[utoipa::path(post, path = "/customer-data/erase-diner", tag = "customer-data", security(("bearer" = ["settings:write"])),
    request_body = DinerErasure,
    responses((status = 200, body = DinerErased), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn erase_diner(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Json(body): Json<DinerErasure>,
) -> Result<axum::Json<DinerErased>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let erased = customer_data::erase_diner(&state, &mut tx, &body.phone).await?;
    tx.commit().await.map_err(StoreError::from)?;
    tracing::info!(tenant = %caller.tenant_id(), ?erased, "a diner's data was erased on request");
    Ok(axum::Json(erased))
}

/// What the owner types to confirm erasing everything.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErasurePhrase {
    /// The restaurant's address name (its slug).
    pub confirmation: String,
}

/// The phrase that confirms erasing all the customer data (the restaurant's slug), for
/// the dashboard to show beside the box it must be typed into.
#[utoipa::path(get, path = "/customer-data/erasure", tag = "customer-data", security(("bearer" = ["settings:write"])),
    responses((status = 200, body = ErasurePhrase), (status = 403, body = ErrorBody)))]
async fn erasure_phrase(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
) -> Result<axum::Json<ErasurePhrase>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let confirmation = customer_data::confirmation_phrase(&mut tx).await?;
    Ok(axum::Json(ErasurePhrase { confirmation }))
}

/// Erases all the restaurant's customer data, when `confirmation` is the restaurant's
/// address name: its data key is destroyed (what it sealed opens nowhere, backups
/// included), customers, reservations and conversations are deleted, order notes removed,
/// and every counter reloads from a snapshot at its next pull.
#[utoipa::path(post, path = "/customer-data/erasure", tag = "customer-data", security(("bearer" = ["settings:write"])),
    request_body = ErasurePhrase,
    responses((status = 200, body = TenantErased), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn erase_all(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Json(body): Json<ErasurePhrase>,
) -> Result<axum::Json<TenantErased>, ApiError> {
    let tenant = caller.tenant_id();
    let mut tx = state.db.tenant_tx(tenant).await?;
    let erased = customer_data::erase_tenant(&mut tx, &body.confirmation).await?;
    tx.commit().await.map_err(StoreError::from)?;
    // After the commit: a request racing it cannot cache the destroyed key again.
    state.vault.forget(tenant.0);
    tracing::warn!(%tenant, ?erased, "all customer data of the tenant was erased on request");
    Ok(axum::Json(erased))
}
