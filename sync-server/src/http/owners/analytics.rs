//! `GET /analytics/summary`: sales per location and in total, from synced orders.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Query, perm};
use crate::state::AppState;
use crate::store::owners::{self, LocationSales};
use axum::extract::State;
use chrono::NaiveDate;
use dysa_domain::ids::LocationId;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(summary))
}

/// The period and scope of a summary.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SummaryQuery {
    /// First business date (`YYYY-MM-DD`); default 30 days before `to`.
    pub from: Option<String>,
    /// Last business date; default today (UTC).
    pub to: Option<String>,
    /// Only this location.
    #[param(value_type = Option<String>, format = Uuid)]
    pub location_id: Option<LocationId>,
}

/// Sales over a period, in total and per location.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Summary {
    /// First business date.
    pub from: NaiveDate,
    /// Last business date.
    pub to: NaiveDate,
    /// Totals (IVA included) of orders not cancelled, in CLP.
    pub sales: i64,
    /// Sales without IVA.
    pub net: i64,
    /// IVA.
    pub tax: i64,
    /// Tips.
    pub tips: i64,
    /// Orders not cancelled.
    pub orders: i64,
    /// Cancelled orders.
    pub cancelled_orders: i64,
    /// Sales divided by orders.
    pub average_ticket: i64,
    /// The same per location.
    pub locations: Vec<LocationSalesView>,
}

/// One location's sales.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LocationSalesView {
    /// The location.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Its name.
    pub name: String,
    /// Sales.
    pub sales: i64,
    /// Net.
    pub net: i64,
    /// IVA.
    pub tax: i64,
    /// Tips.
    pub tips: i64,
    /// Orders.
    pub orders: i64,
    /// Cancelled orders.
    pub cancelled_orders: i64,
    /// Sales divided by orders.
    pub average_ticket: i64,
}

fn date(errors: &mut FieldErrors, field: &str, value: Option<&str>) -> Option<NaiveDate> {
    let value = value?;
    match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(
                field,
                FieldIssue::Other {
                    es: "debe ser una fecha AAAA-MM-DD".into(),
                    en: "must be a YYYY-MM-DD date".into(),
                },
            );
            None
        }
    }
}

/// The same rounding as the counter's analytics (nearest peso), so one set of orders
/// shows one average ticket everywhere.
/// The business dates `from..=to` of a report's query: `to` defaults to today, `from` to
/// 30 days before it; 422 for a date that is not `YYYY-MM-DD` or a range backwards.
pub(super) fn date_range(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let mut errors = FieldErrors::new();
    let to_date = date(&mut errors, "to", to);
    let from_date = date(&mut errors, "from", from);
    errors.into_result()?;
    let to = to_date.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let from = from_date.unwrap_or(to - chrono::Duration::days(30));
    if from > to {
        let mut errors = FieldErrors::new();
        errors.add(
            "from",
            FieldIssue::Other {
                es: "debe ser anterior a to".into(),
                en: "must not be after to".into(),
            },
        );
        return Err(errors.into());
    }
    Ok((from, to))
}

/// The average ticket of `sales` over `orders`, whole pesos.
pub(super) fn average(sales: i64, orders: i64) -> i64 {
    dysa_domain::money::Clp::average(dysa_domain::money::Clp(sales), orders).pesos()
}

/// Sales summary across the tenant's locations (or one of them).
#[utoipa::path(get, path = "/analytics/summary", tag = "analytics", security(("bearer" = ["reports:read"])),
    params(SummaryQuery),
    responses((status = 200, body = Summary), (status = 422, body = ErrorBody)))]
async fn summary(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::ReportsRead>,
    Query(query): Query<SummaryQuery>,
) -> Result<axum::Json<Summary>, ApiError> {
    let (from, to) = date_range(query.from.as_deref(), query.to.as_deref())?;
    let mut tx = caller.tx(&state.db).await?;
    let rows = owners::sales_by_location(&mut tx, from, to, query.location_id).await?;
    if let Some(location) = query.location_id
        && rows.is_empty()
    {
        tracing::debug!(%location, "summary for a location not in the tenant");
        return Err(ApiError::not_found("El local", "The location"));
    }
    let sum = |f: fn(&LocationSales) -> i64| rows.iter().map(f).sum::<i64>();
    let (sales, orders) = (sum(|r| r.sales), sum(|r| r.orders));
    Ok(axum::Json(Summary {
        from,
        to,
        sales,
        net: sum(|r| r.net),
        tax: sum(|r| r.tax),
        tips: sum(|r| r.tips),
        orders,
        cancelled_orders: sum(|r| r.cancelled_orders),
        average_ticket: average(sales, orders),
        locations: rows
            .into_iter()
            .map(|r| LocationSalesView {
                average_ticket: average(r.sales, r.orders),
                location_id: r.location_id,
                name: r.name,
                sales: r.sales,
                net: r.net,
                tax: r.tax,
                tips: r.tips,
                orders: r.orders,
                cancelled_orders: r.cancelled_orders,
            })
            .collect(),
    }))
}
