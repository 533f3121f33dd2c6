//! Printers per station, the print queue staff watch, and printing an order's pre-bill or
//! receipt at the counter.

use super::error::ApiError;
use super::extract::{Authorized, Json, Path, perm};
use crate::printing::layout::{CodePage, Paper};
use crate::printing::{OrderPaper, PrintedOrder};
use crate::state::AppState;
use crate::store::instant_text;
use crate::store::printing::{
    self as store, Connection, PrintJob, PrinterFields, PrinterRecord, PrinterRole,
};
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::ids::OrderId;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_printers, create_printer))
        .routes(routes!(update_printer, delete_printer))
        .routes(routes!(print_jobs))
        .routes(routes!(retry_job))
        .routes(routes!(print_order))
}

/// A printer's settings.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrinterInput {
    /// A name staff recognise (1–60 characters).
    pub name: String,
    /// What it prints for: `kitchen`, `bar` (kitchen tickets) or `counter` (pre-bills
    /// and receipts). One printer per role.
    pub role: PrinterRole,
    /// `tcp` (network, port 9100) or `device` (USB/serial device file).
    pub connection: Connection,
    /// `host` or `host:port` for `tcp`; an absolute path under `/dev/` for `device`.
    pub address: String,
    /// Paper width: `58` or `80`.
    pub paper: Paper,
    /// The printer's character table (default `pc858`).
    #[serde(default)]
    pub code_page: Option<CodePage>,
}

fn check(input: PrinterInput) -> Result<PrinterFields, ApiError> {
    let mut errors = FieldErrors::new();
    errors.text("name", &input.name, 60);
    let address = input.address.trim().to_owned();
    let valid_address = match input.connection {
        Connection::Tcp => tcp_address_ok(&address),
        // Only device files: a printer path is never a file elsewhere on disk.
        Connection::Device => {
            address.starts_with("/dev/") && !address.contains("..") && address.len() <= 120
        }
    };
    if !valid_address {
        errors.add(
            "address",
            FieldIssue::Other {
                es: "dirección no válida (host:puerto o /dev/…)".into(),
                en: "invalid address (host:port or /dev/…)".into(),
            },
        );
    }
    errors.into_result()?;
    Ok(PrinterFields {
        name: input.name.trim().to_owned(),
        role: input.role,
        connection: input.connection,
        address,
        paper: input.paper,
        code_page: input.code_page.unwrap_or(CodePage::Pc858),
    })
}

/// `host` or `host:port`: letters, digits, dots and dashes, a port 1–65535.
fn tcp_address_ok(address: &str) -> bool {
    let (host, port) = match address.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (address, None),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 100
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    host_ok && port_ok
}

fn role_taken() -> ApiError {
    ApiError::conflict(
        "printer_role_taken",
        "Ya hay una impresora para esa estación",
        "Another printer already has that role",
    )
}

/// The printers, with their state (online, unreachable) and waiting tickets.
#[utoipa::path(get, path = "/printers", tag = "printing", security(("bearer" = ["orders:read"])),
    responses((status = 200, body = Vec<PrinterRecord>)))]
async fn list_printers(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersRead>,
) -> Result<axum::Json<Vec<PrinterRecord>>, ApiError> {
    Ok(axum::Json(store::printers(&state.db.read).await?))
}

/// Adds a printer for a station or the counter.
#[utoipa::path(post, path = "/printers", tag = "printing", security(("bearer" = ["settings:write"])),
    request_body = PrinterInput,
    responses(
        (status = 201, body = PrinterRecord),
        (status = 409, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn create_printer(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsWrite>,
    Json(input): Json<PrinterInput>,
) -> Result<(StatusCode, axum::Json<PrinterRecord>), ApiError> {
    let fields = check(input)?;
    let id = uuid::Uuid::now_v7();
    let mut tx = state
        .db
        .write
        .begin()
        .await
        .map_err(crate::store::StoreError::from)?;
    if store::role_taken(&mut tx, fields.role, None).await? {
        return Err(role_taken());
    }
    store::insert_printer(&mut tx, id, &fields, &instant_text(jiff::Timestamp::now())).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    let record = store::printer(&state.db.read, id)
        .await?
        .ok_or_else(|| ApiError::not_found("La impresora", "The printer"))?;
    Ok((StatusCode::CREATED, axum::Json(record)))
}

/// Changes a printer's settings (its state starts over).
#[utoipa::path(put, path = "/printers/{id}", tag = "printing", security(("bearer" = ["settings:write"])),
    params(("id" = uuid::Uuid, Path)),
    request_body = PrinterInput,
    responses(
        (status = 200, body = PrinterRecord),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn update_printer(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsWrite>,
    Path(id): Path<uuid::Uuid>,
    Json(input): Json<PrinterInput>,
) -> Result<axum::Json<PrinterRecord>, ApiError> {
    let fields = check(input)?;
    let mut tx = state
        .db
        .write
        .begin()
        .await
        .map_err(crate::store::StoreError::from)?;
    if store::role_taken(&mut tx, fields.role, Some(id)).await? {
        return Err(role_taken());
    }
    if !store::update_printer(&mut tx, id, &fields).await? {
        return Err(ApiError::not_found("La impresora", "The printer"));
    }
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    let record = store::printer(&state.db.read, id)
        .await?
        .ok_or_else(|| ApiError::not_found("La impresora", "The printer"))?;
    Ok(axum::Json(record))
}

/// Removes a printer; its waiting tickets are cancelled.
#[utoipa::path(delete, path = "/printers/{id}", tag = "printing", security(("bearer" = ["settings:write"])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404, body = super::error::ErrorBody)))]
async fn delete_printer(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsWrite>,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    let mut tx = state
        .db
        .write
        .begin()
        .await
        .map_err(crate::store::StoreError::from)?;
    if !store::delete_printer(&mut tx, id, &instant_text(jiff::Timestamp::now())).await? {
        return Err(ApiError::not_found("La impresora", "The printer"));
    }
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The print queue: tickets waiting (with why), then the last printed.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PrintQueue {
    /// Jobs, waiting ones first.
    pub items: Vec<PrintJob>,
}

/// The print queue staff watch: nothing that failed to print is hidden.
#[utoipa::path(get, path = "/print-jobs", tag = "printing", security(("bearer" = ["orders:read"])),
    responses((status = 200, body = PrintQueue)))]
async fn print_jobs(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersRead>,
) -> Result<axum::Json<PrintQueue>, ApiError> {
    Ok(axum::Json(PrintQueue {
        items: store::jobs(&state.db.read, 100).await?,
    }))
}

/// Retries a waiting ticket now (the printer is back), with its printer's others.
#[utoipa::path(post, path = "/print-jobs/{id}/retry", tag = "printing", security(("bearer" = ["orders:create"])),
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 202),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, body = super::error::ErrorBody),
    ))]
async fn retry_job(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersCreate>,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    let mut tx = state
        .db
        .write
        .begin()
        .await
        .map_err(crate::store::StoreError::from)?;
    if !store::retry_now(&mut tx, id, &instant_text(jiff::Timestamp::now())).await? {
        return Err(if store::job_exists(&mut tx, id).await? {
            ApiError::conflict(
                "job_not_queued",
                "Ese ticket ya se imprimió o se canceló",
                "That ticket was already printed or cancelled",
            )
        } else {
            ApiError::not_found("El ticket", "The print job")
        });
    }
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    state.kitchen.printing().wake();
    Ok(StatusCode::ACCEPTED)
}

/// Which paper to print.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrintOrder {
    /// `prebill` (pre-cuenta, with the suggested 10 % tip apart) or `receipt`.
    pub paper: OrderPaper,
}

/// Prints an order's pre-bill or receipt on the counter's printer; a second print of the
/// same paper is marked COPIA.
#[utoipa::path(post, path = "/orders/{id}/print", tag = "printing", security(("bearer" = ["orders:create"])),
    params(("id" = OrderId, Path)),
    request_body = PrintOrder,
    responses(
        (status = 202, body = PrintedOrder),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn print_order(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersCreate>,
    Path(id): Path<OrderId>,
    Json(body): Json<PrintOrder>,
) -> Result<(StatusCode, axum::Json<PrintedOrder>), ApiError> {
    let printed = state.kitchen.printing().print_order(id, body.paper).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(printed)))
}

#[cfg(test)]
mod tests {
    use super::tcp_address_ok;

    #[test]
    fn tcp_addresses_are_hosts_with_an_optional_port() {
        assert!(tcp_address_ok("192.168.1.50"));
        assert!(tcp_address_ok("192.168.1.50:9100"));
        assert!(tcp_address_ok("cocina-epson.local:9100"));
        assert!(!tcp_address_ok("192.168.1.50:0"));
        assert!(!tcp_address_ok("192.168.1.50:99999"));
        assert!(!tcp_address_ok("http://x"));
        assert!(!tcp_address_ok(""));
    }
}
