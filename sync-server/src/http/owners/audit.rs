//! The audit log of the owner's locations, read-only (the appliances record it; it
//! arrives by sync). No route writes, edits or deletes an event: `tests/audit.rs` walks
//! the OpenAPI document to keep it so.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Caller, Query, perm};
use crate::state::AppState;
use crate::store::audit::{self as store, AuditFilter, AuditRow};
use axum::extract::State;
use dysa_domain::audit::{AuditAction, Lang, describe};
use dysa_domain::ids::LocationId;
use dysa_domain::sync::rows::AuditEvent;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// Filters of the audit log.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this location.
    #[param(value_type = Option<String>, format = Uuid)]
    pub location_id: Option<LocationId>,
    /// From this day (`YYYY-MM-DD`, America/Santiago), inclusive.
    pub from: Option<String>,
    /// Until this day (`YYYY-MM-DD`, America/Santiago), inclusive.
    pub to: Option<String>,
    /// Only this staff member's actions.
    pub actor: Option<Uuid>,
    /// Only this action (`order.line_voided`).
    pub action: Option<AuditAction>,
    /// Only actions on this kind of subject.
    pub subject_type: Option<String>,
    /// Only actions on this subject.
    pub subject_id: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
}

/// One event with its readable line in both languages.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// The recorded event.
    pub event: AuditRow,
    /// The line in Spanish.
    pub text_es: String,
    /// The line in English.
    pub text_en: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(row: AuditRow) -> Self {
        let event = row
            .action
            .parse::<AuditAction>()
            .ok()
            .map(|action| AuditEvent {
                id: row.id,
                at: row.at.to_rfc3339(),
                actor_id: row.actor_id.map(Into::into),
                actor_name: row.actor_name.clone(),
                device_id: row.device_id.clone(),
                client: row.client.clone(),
                action,
                subject_type: row.subject_type.clone(),
                subject_id: row.subject_id.clone(),
                before: row.before.clone(),
                after: row.after.clone(),
            });
        // An action this build does not know (a newer appliance) still shows who and when.
        let text = |lang| match (&event, cloud_line(&row, lang)) {
            (Some(event), _) => describe(event, lang),
            (None, Some(line)) => line,
            (None, None) => row.actor_name.clone().unwrap_or_default(),
        };
        AuditEntry {
            text_es: text(Lang::Es),
            text_en: text(Lang::En),
            event: row,
        }
    }
}

/// The line of an event the cloud records itself (`device_id = "cloud"`: an owner's
/// recovery code for a counter, `crate::counter_recovery`).
fn cloud_line(row: &AuditRow, lang: Lang) -> Option<String> {
    if row.device_id != "cloud" {
        return None;
    }
    let who = row.actor_name.clone().unwrap_or_default();
    let counter = row
        .after
        .as_ref()
        .and_then(|a| a.get("device_name"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Some(match (row.action.as_str(), lang) {
        ("recovery.owner_code_issued", Lang::Es) => {
            format!("{who} creó un código para recuperar el acceso a la caja {counter}")
        }
        ("recovery.owner_code_issued", Lang::En) => {
            format!("{who} made a code to recover access to the counter {counter}")
        }
        ("recovery.owner_code_redeemed", Lang::Es) => {
            "La caja usó el código de recuperación del dueño".to_owned()
        }
        ("recovery.owner_code_redeemed", Lang::En) => {
            "The counter used the owner's recovery code".to_owned()
        }
        ("recovery.owner_code_refused", Lang::Es) => {
            "La caja intentó un código de recuperación no válido".to_owned()
        }
        ("recovery.owner_code_refused", Lang::En) => {
            "The counter tried an invalid recovery code".to_owned()
        }
        _ => return None,
    })
}

/// A page of the audit log.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    /// The events, newest first.
    pub items: Vec<AuditEntry>,
    /// How many match the filters.
    pub total: i64,
    /// Page size used.
    pub limit: i64,
    /// Rows skipped.
    pub offset: i64,
}

/// The start of local day `text` (`YYYY-MM-DD`) in America/Santiago, or of the next day.
fn day_start(text: &str, next: bool) -> Option<chrono::DateTime<chrono::Utc>> {
    let tz = jiff::tz::TimeZone::get("America/Santiago").unwrap_or(jiff::tz::TimeZone::UTC);
    let date: jiff::civil::Date = text.parse().ok()?;
    let date = if next { date.tomorrow().ok()? } else { date };
    let start = date.to_zoned(tz).ok()?.timestamp();
    chrono::DateTime::from_timestamp_millis(start.as_millisecond())
}

/// The audit log of the tenant's locations, newest first (owners and managers).
#[utoipa::path(get, path = "/audit", tag = "audit", security(("bearer" = ["audit:read"])),
    params(AuditQuery),
    responses(
        (status = 200, body = AuditPage),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::AuditRead>,
    Query(q): Query<AuditQuery>,
) -> Result<axum::Json<AuditPage>, ApiError> {
    // Devices hold every read permission; who did what at the till is for people.
    if let Caller::Device(_) = caller {
        return Err(ApiError::forbidden(
            "forbidden",
            "Solo una cuenta del panel puede leer la auditoría",
            "Only a dashboard account can read the audit log",
        ));
    }
    let mut errors = FieldErrors::new();
    let mut bound = |field: &str, text: Option<&str>, next: bool| {
        let text = text?;
        let parsed = day_start(text, next);
        if parsed.is_none() {
            errors.add(
                field,
                FieldIssue::Other {
                    es: "fecha no válida (YYYY-MM-DD)".into(),
                    en: "invalid date (YYYY-MM-DD)".into(),
                },
            );
        }
        parsed
    };
    let from = bound("from", q.from.as_deref(), false);
    let to = bound("to", q.to.as_deref(), true);
    let limit = q.limit.unwrap_or(50);
    let offset = q.offset.unwrap_or(0);
    errors.check(
        (1..=200).contains(&limit),
        "limit",
        FieldIssue::OutOfRange { min: 1, max: 200 },
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
        ("subject_type", &q.subject_type),
        ("subject_id", &q.subject_id),
    ] {
        if let Some(text) = text {
            errors.text(field, text, 100);
        }
    }
    errors.into_result()?;
    let filter = AuditFilter {
        location: q.location_id,
        from,
        to,
        actor: q.actor,
        action: q.action.map(|a| a.as_str().to_owned()),
        subject_type: q.subject_type,
        subject_id: q.subject_id,
        limit,
        offset,
    };
    let mut tx = caller.tx(&state.db).await?;
    let (rows, total) = store::list(&mut tx, &filter).await?;
    Ok(axum::Json(AuditPage {
        items: rows.into_iter().map(AuditEntry::from).collect(),
        total,
        limit,
        offset,
    }))
}
