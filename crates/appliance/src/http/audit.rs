//! The audit log, read-only: a filtered, paged list and its CSV export (the export is
//! itself recorded). No route here or anywhere writes, edits or deletes an event; the
//! OpenAPI walk in `tests/audit.rs` keeps it so.

use super::error::ApiError;
use super::extract::{Authorized, ClientIp, Query, perm};
use super::orders::parse_bound;
use crate::audit::Actor;
use crate::state::AppState;
use crate::store::audit::{self as store, AuditFilter};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use dysa_domain::audit::{AuditAction, Lang, describe};
use dysa_domain::ids::UserId;
use dysa_domain::spreadsheet::quote_cell;
use dysa_domain::sync::rows::AuditEvent;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_audit))
        .routes(routes!(export_audit))
}

/// Filters of the audit log.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// From this local day (`YYYY-MM-DD`, America/Santiago) or instant (RFC 3339), inclusive.
    pub from: Option<String>,
    /// Until this local day (inclusive) or instant (exclusive).
    pub to: Option<String>,
    /// Only this staff member's actions.
    pub actor: Option<UserId>,
    /// Only this action (`order.line_voided`).
    pub action: Option<AuditAction>,
    /// Only actions on this kind of subject (`order`, `item`, `user`, `setting`, …).
    pub subject_type: Option<String>,
    /// Only actions on this subject (its id).
    pub subject_id: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
}

/// One event with its readable line in both languages.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// The recorded event.
    pub event: AuditEvent,
    /// The line in Spanish ("Ana anuló la línea 2 del pedido #45 — motivo: …").
    pub text_es: String,
    /// The line in English.
    pub text_en: String,
}

impl From<AuditEvent> for AuditEntry {
    fn from(event: AuditEvent) -> Self {
        AuditEntry {
            text_es: describe(&event, Lang::Es),
            text_en: describe(&event, Lang::En),
            event,
        }
    }
}

/// A page of the audit log.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditPage {
    /// The events, newest first.
    pub items: Vec<AuditEntry>,
    /// How many events match the filters.
    pub total: i64,
    /// Page size used.
    pub limit: i64,
    /// Rows skipped.
    pub offset: i64,
}

/// Checks the query and turns it into the store's filter (`max_limit` bounds the page).
fn filter(
    query: &AuditQuery,
    tz: &jiff::tz::TimeZone,
    max_limit: i64,
) -> Result<AuditFilter, ApiError> {
    let mut errors = FieldErrors::new();
    let mut bound = |field: &str, text: Option<&str>, end: bool| {
        let text = text?;
        let parsed = parse_bound(text, tz, end);
        if parsed.is_none() {
            errors.add(
                field,
                FieldIssue::Other {
                    es: "fecha no válida (YYYY-MM-DD o RFC 3339)".into(),
                    en: "invalid date (YYYY-MM-DD or RFC 3339)".into(),
                },
            );
        }
        parsed
    };
    let from = bound("from", query.from.as_deref(), false);
    let to = bound("to", query.to.as_deref(), true);
    let limit = query.limit.unwrap_or(50.min(max_limit));
    let offset = query.offset.unwrap_or(0);
    errors.check(
        (1..=max_limit).contains(&limit),
        "limit",
        FieldIssue::OutOfRange {
            min: 1,
            max: max_limit,
        },
    );
    errors.check(
        offset >= 0,
        "offset",
        FieldIssue::OutOfRange {
            min: 0,
            max: i64::MAX,
        },
    );
    for (field, text) in [
        ("subject_type", &query.subject_type),
        ("subject_id", &query.subject_id),
    ] {
        if let Some(text) = text {
            errors.text(field, text, 100);
        }
    }
    errors.into_result()?;
    Ok(AuditFilter {
        from,
        to,
        actor_id: query.actor.map(|a| a.to_string()),
        action: query.action,
        subject_type: query.subject_type.clone(),
        subject_id: query.subject_id.clone(),
        limit,
        offset,
    })
}

/// The audit log, filtered and paged, newest first (admins and managers).
#[utoipa::path(get, path = "/audit", tag = "audit", security(("bearer" = ["audit:read"])),
    params(AuditQuery),
    responses(
        (status = 200, body = AuditPage),
        (status = 401, body = super::error::ErrorBody),
        (status = 403, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn list_audit(
    State(state): State<AppState>,
    _: Authorized<perm::AuditRead>,
    Query(query): Query<AuditQuery>,
) -> Result<axum::Json<AuditPage>, ApiError> {
    let settings = state.restaurant.get(&state.db.read).await?;
    let filter = filter(&query, &settings.tz(), 200)?;
    let (events, total) = store::list(&state.db.read, &filter).await?;
    Ok(axum::Json(AuditPage {
        items: events.into_iter().map(AuditEntry::from).collect(),
        total,
        limit: filter.limit,
        offset: filter.offset,
    }))
}

/// Most rows one export holds (a year of a busy restaurant's sensitive actions).
const EXPORT_MAX: i64 = 100_000;

/// The audit log as CSV (same filters; at most 100,000 rows), local times in the
/// restaurant's time zone. The export itself is recorded in the log.
#[utoipa::path(get, path = "/audit.csv", tag = "audit", security(("bearer" = ["audit:read"])),
    params(AuditQuery),
    responses(
        (status = 200, content_type = "text/csv", body = String),
        (status = 401, body = super::error::ErrorBody),
        (status = 403, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn export_audit(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::AuditRead>,
    ClientIp(client): ClientIp,
    Query(mut query): Query<AuditQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let settings = state.restaurant.get(&state.db.read).await?;
    let tz = settings.tz();
    query.limit = Some(query.limit.unwrap_or(EXPORT_MAX));
    let filter = filter(&query, &tz, EXPORT_MAX)?;
    let (events, _) = store::list(&state.db.read, &filter).await?;
    let text = to_csv(&events, &tz).map_err(|error| {
        tracing::error!(%error, "audit CSV not written");
        ApiError::from(crate::store::StoreError::corrupt("audit_events", error))
    })?;
    let actor = Actor::staff(user.id, &user.name, state.db.device_id(), &client);
    let event = actor.event(
        AuditAction::Exported,
        "audit",
        None,
        None,
        Some(serde_json::json!({
            "rows": events.len(),
            "from": query.from,
            "to": query.to,
            "action": query.action,
        })),
    );
    crate::audit::record_alone(&state.db, &event).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"auditoria.csv\"",
            ),
        ],
        text,
    ))
}

/// The Spanish CSV of `events`: one row each, cells a spreadsheet will not run.
fn to_csv(events: &[AuditEvent], tz: &jiff::tz::TimeZone) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "fecha", "usuario", "acción", "detalle", "tipo", "id", "equipo", "cliente", "antes",
        "después",
    ])?;
    for event in events {
        let local = event
            .at
            .parse::<jiff::Timestamp>()
            .map(|ts| {
                ts.to_zoned(tz.clone())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_else(|_| event.at.clone());
        let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
        let cells = [
            Some(local),
            event.actor_name.clone(),
            Some(event.action.label(Lang::Es).to_owned()),
            Some(describe(event, Lang::Es)),
            Some(event.subject_type.clone()),
            event.subject_id.clone(),
            Some(event.device_id.clone()),
            event.client.clone(),
            json(&event.before),
            json(&event.after),
        ];
        writer.write_record(
            cells
                .iter()
                .map(|c| quote_cell(c.as_deref().unwrap_or("")).into_owned()),
        )?;
    }
    String::from_utf8(writer.into_inner().map_err(|e| e.into_error())?)
        .map_err(|e| csv::Error::from(std::io::Error::other(e)))
}
