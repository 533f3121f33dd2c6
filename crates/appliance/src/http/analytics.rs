//! Sales analytics, computed in SQL over the restaurant's local business days.

use super::error::ApiError;
use super::extract::{Authorized, Query, perm};
use crate::state::AppState;
use crate::store::analytics::{self, Summary};
use axum::extract::State;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(summary))
}

/// The period of a report, in local days of the restaurant (both inclusive).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First day, `YYYY-MM-DD` (default: today).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: `from`).
    pub to: Option<String>,
}

/// Sales, orders, average ticket, sales by hour, day and channel, top items, payments by
/// method, and reservations with the no-show rate, for local days `from`..=`to`.
#[utoipa::path(get, path = "/analytics/summary", tag = "analytics", security(("bearer" = ["reports:read"])),
    params(Period),
    responses((status = 200, body = Summary), (status = 422, body = super::error::ErrorBody)))]
async fn summary(
    State(state): State<AppState>,
    _: Authorized<perm::ReportsRead>,
    Query(period): Query<Period>,
) -> Result<axum::Json<Summary>, ApiError> {
    let settings = state.restaurant.get(&state.db.read).await?;
    let tz = settings.tz();
    let today = jiff::Timestamp::now().to_zoned(tz.clone()).date();
    let mut errors = FieldErrors::new();
    let day = |errors: &mut FieldErrors,
               field: &str,
               text: Option<&str>,
               default: jiff::civil::Date| match text {
        None => Some(default),
        Some(text) => {
            let parsed = text.parse::<jiff::civil::Date>().ok();
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
        }
    };
    let from = day(&mut errors, "from", period.from.as_deref(), today);
    let to = from.and_then(|from| day(&mut errors, "to", period.to.as_deref(), from));
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            errors.add(
                "to",
                FieldIssue::Other {
                    es: "debe ser igual o posterior a from".into(),
                    en: "must not be before from".into(),
                },
            );
        } else if (to - from).get_days() > 366 {
            errors.add(
                "to",
                FieldIssue::Other {
                    es: "el período admite hasta 366 días".into(),
                    en: "the period may span at most 366 days".into(),
                },
            );
        }
    }
    errors.into_result()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ApiError::validation(FieldErrors::new()));
    };
    Ok(axum::Json(
        analytics::summary(&state.db.read, from, to, &tz).await?,
    ))
}
