//! Closed business days as the counters pushed them (`day_closes`, the projection of the
//! insert-only `day_close` rows): the owner reads each location's Zs from here. Every
//! function runs inside a tenant transaction, so row-level security keeps it to the tenant.

use super::{StoreResult, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use dysa_domain::closing::DayReport;
use dysa_domain::ids::LocationId;
use sqlx::types::Json;
use uuid::Uuid;

/// One closed day with its frozen Z report and the counter that closed it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DayCloseRecord {
    /// The close's id.
    pub id: Uuid,
    /// The location it belongs to.
    pub location_id: LocationId,
    /// Its name, for the heading.
    pub location_name: String,
    /// The business day closed.
    pub business_date: NaiveDate,
    /// The counter that closed it (its sync device id).
    pub device_id: String,
    /// That counter's name, while the cloud still knows the device.
    pub device_name: Option<String>,
    /// Who closed it, by name at the time.
    pub closed_by_name: Option<String>,
    /// When.
    pub closed_at: DateTime<Utc>,
    /// The Z report as it was when the day was closed.
    pub report: Json<DayReport>,
}

const SELECT: &str = "SELECT c.id, c.location_id, l.name AS location_name, c.business_date,
        c.device_id, d.name AS device_name, c.closed_by_name, c.closed_at, c.report
    FROM day_closes c
    JOIN locations l ON l.tenant_id = c.tenant_id AND l.id = c.location_id
    LEFT JOIN devices d ON d.tenant_id = c.tenant_id AND d.id::text = c.device_id";

/// A location's closed days, newest business day first (two counters that closed the
/// same day apart both appear, in the order they closed).
pub async fn list(
    tx: &mut Tx,
    location: LocationId,
    limit: i64,
) -> StoreResult<Vec<DayCloseRecord>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.location_id = $1
         ORDER BY c.business_date DESC, c.closed_at DESC, c.id LIMIT $2"
    )))
    .bind(location)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?)
}

/// One closed day.
pub async fn find(tx: &mut Tx, id: Uuid) -> StoreResult<Option<DayCloseRecord>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.id = $1")))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?,
    )
}
