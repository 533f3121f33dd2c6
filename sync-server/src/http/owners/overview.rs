//! The owners' dashboard at a glance: `GET /tenant` (whose dashboard this is: name and
//! slug, for the header and the widget's embed snippet), `GET /locations/status` (each
//! location online or not, last sync, changes its counters have not pulled, today's
//! sales) and `GET /analytics/daily` (sales per business day and location, for charts).

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Query, perm};
use crate::presence;
use crate::state::AppState;
use crate::store::overview::{self, LocationStatusRecord};
use crate::store::tenants;
use axum::extract::State;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use dysa_domain::ids::{LocationId, TenantId};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(tenant))
        .routes(routes!(location_status))
        .routes(routes!(daily))
}

/// The signed-in account's business.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TenantView {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: TenantId,
    /// Business name.
    pub name: String,
    /// URL name: `/r/{slug}`, the widget's `data-restaurant`, the public API's `{slug}`.
    pub slug: String,
    /// `basic`, `pro` or `enterprise`.
    pub plan: String,
}

/// The caller's tenant.
#[utoipa::path(get, path = "/tenant", tag = "locations",
    security(("bearer" = ["settings:read"])),
    responses((status = 200, body = TenantView), (status = 404, body = ErrorBody)))]
async fn tenant(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsRead>,
) -> Result<axum::Json<TenantView>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let record = tenants::current(&mut tx)
        .await?
        .ok_or_else(|| ApiError::not_found("El restaurante", "The restaurant"))?;
    Ok(axum::Json(TenantView {
        id: record.id,
        name: record.name,
        slug: record.slug,
        plan: record.plan,
    }))
}

/// A location as the dashboard's overview shows it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LocationStatus {
    /// The location.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Its name.
    pub name: String,
    /// Its IANA time zone.
    pub time_zone: String,
    /// A counter of the location holds its live channel to the cloud right now
    /// (`crate::presence`): what the widget tells diners, and what orders wait for.
    pub online: bool,
    /// Devices enrolled and not revoked.
    pub active_devices: i64,
    /// The newest completed sync of its devices.
    pub last_sync_at: Option<DateTime<Utc>>,
    /// The newest contact of its devices with the cloud.
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Changes made in the cloud (owners' edits, other counters) that its furthest-behind
    /// counter has not pulled yet; null when it has no counter.
    pub changes_waiting: Option<i64>,
    /// Today's business date in the location's time zone.
    pub today: NaiveDate,
    /// Today's sales (IVA included, orders not cancelled), CLP.
    pub today_sales: i64,
    /// Today's orders not cancelled.
    pub today_orders: i64,
}

impl LocationStatus {
    fn of(r: LocationStatusRecord, online: bool) -> LocationStatus {
        LocationStatus {
            online,
            location_id: r.location_id,
            name: r.name,
            time_zone: r.time_zone,
            active_devices: r.active_devices,
            last_sync_at: r.last_sync_at,
            last_seen_at: r.last_seen_at,
            changes_waiting: r.changes_waiting,
            today: r.today,
            today_sales: r.today_sales,
            today_orders: r.today_orders,
        }
    }
}

/// Every location at a glance.
#[utoipa::path(get, path = "/locations/status", tag = "locations",
    security(("bearer" = ["reports:read"])),
    responses((status = 200, body = Vec<LocationStatus>)))]
async fn location_status(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::ReportsRead>,
) -> Result<axum::Json<Vec<LocationStatus>>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let rows = overview::location_status(&mut tx).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let online = presence::location_online(&mut tx, row.location_id).await?;
        out.push(LocationStatus::of(row, online));
    }
    Ok(axum::Json(out))
}

/// The period and scope of the daily series.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DailyQuery {
    /// First business date (`YYYY-MM-DD`); default 13 days before `to` (two weeks).
    pub from: Option<String>,
    /// Last business date; default today (UTC).
    pub to: Option<String>,
    /// Only this location.
    #[param(value_type = Option<String>, format = Uuid)]
    pub location_id: Option<LocationId>,
}

/// The longest series one call answers (a year and a day, for leap years).
pub const MAX_DAYS: i64 = 366;

/// Sales per business day and location.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DailySales {
    /// First business date.
    pub from: NaiveDate,
    /// Last business date.
    pub to: NaiveDate,
    /// Days with orders, by date then location (days without any are left out).
    pub days: Vec<DaySales>,
}

/// One location's day.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DaySales {
    /// The business date.
    pub date: NaiveDate,
    /// The location.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Sales (IVA included, orders not cancelled), CLP.
    pub sales: i64,
    /// Orders not cancelled.
    pub orders: i64,
    /// Cancelled orders.
    pub cancelled_orders: i64,
}

fn parse_date(errors: &mut FieldErrors, field: &str, value: Option<&str>) -> Option<NaiveDate> {
    let value = value?;
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| {
            errors.add(
                field,
                FieldIssue::Other {
                    es: "debe ser una fecha AAAA-MM-DD".into(),
                    en: "must be a YYYY-MM-DD date".into(),
                },
            );
        })
        .ok()
}

/// Checks the period: `from` not after `to`, at most [`MAX_DAYS`] days.
fn period(query: &DailyQuery, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), FieldErrors> {
    let mut errors = FieldErrors::new();
    let to = parse_date(&mut errors, "to", query.to.as_deref());
    let from = parse_date(&mut errors, "from", query.from.as_deref());
    if !errors.is_empty() {
        return Err(errors);
    }
    let to = to.unwrap_or(today);
    let from = from.unwrap_or(to - Duration::days(13));
    if from > to {
        errors.add(
            "from",
            FieldIssue::Other {
                es: "no puede ser posterior a to".into(),
                en: "must not be after to".into(),
            },
        );
    } else if (to - from).num_days() >= MAX_DAYS {
        errors.add(
            "from",
            FieldIssue::Other {
                es: format!("el período puede tener a lo más {MAX_DAYS} días"),
                en: format!("the period may span at most {MAX_DAYS} days"),
            },
        );
    }
    errors.into_result()?;
    Ok((from, to))
}

/// Sales per business day and location (for the dashboard's charts).
#[utoipa::path(get, path = "/analytics/daily", tag = "analytics",
    security(("bearer" = ["reports:read"])),
    params(DailyQuery),
    responses((status = 200, body = DailySales), (status = 422, body = ErrorBody)))]
async fn daily(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::ReportsRead>,
    Query(query): Query<DailyQuery>,
) -> Result<axum::Json<DailySales>, ApiError> {
    let (from, to) = period(&query, Utc::now().date_naive())?;
    let mut tx = caller.tx(&state.db).await?;
    let rows = overview::daily_sales(&mut tx, from, to, query.location_id).await?;
    Ok(axum::Json(DailySales {
        from,
        to,
        days: rows
            .into_iter()
            .map(|r| DaySales {
                date: r.date,
                location_id: r.location_id,
                sales: r.sales,
                orders: r.orders,
                cancelled_orders: r.cancelled_orders,
            })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: Option<&str>, to: Option<&str>) -> DailyQuery {
        DailyQuery {
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
            location_id: None,
        }
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn the_default_period_is_two_weeks_to_today() {
        let today = day("2026-11-27");
        assert_eq!(
            period(&query(None, None), today).ok(),
            Some((day("2026-11-14"), today))
        );
    }

    #[test]
    fn a_reversed_or_too_long_period_is_a_field_error() {
        let today = day("2026-11-27");
        assert!(period(&query(Some("2026-11-28"), Some("2026-11-27")), today).is_err());
        assert!(period(&query(Some("2025-01-01"), Some("2026-11-27")), today).is_err());
        assert!(period(&query(Some("27-11-2026"), None), today).is_err());
        assert!(period(&query(Some("2025-11-27"), Some("2026-11-27")), today).is_ok());
    }
}
