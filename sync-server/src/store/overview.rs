//! What the owners' dashboard shows at a glance: each location's link to its counters
//! (last sync, last contact, cloud changes its counters have not pulled yet) with today's
//! sales, and sales per business day for the charts. Read in a tenant transaction.

use super::{StoreResult, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use dysa_domain::ids::LocationId;

/// One location's link and today's figures, as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LocationStatusRecord {
    /// The location.
    pub location_id: LocationId,
    /// Its name.
    pub name: String,
    /// Its IANA time zone.
    pub time_zone: String,
    /// Devices enrolled and not revoked.
    pub active_devices: i64,
    /// The newest completed sync of any of its devices.
    pub last_sync_at: Option<DateTime<Utc>>,
    /// The newest authenticated request of any of its devices.
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Cloud rows (its own and tenant-wide) newer than the cursor of its furthest-behind
    /// device; `None` without an active device (nobody is waiting for them).
    pub changes_waiting: Option<i64>,
    /// Today's business date in the location's time zone.
    pub today: NaiveDate,
    /// Today's sales (IVA included, orders not cancelled), CLP.
    pub today_sales: i64,
    /// Today's orders not cancelled.
    pub today_orders: i64,
}

/// Every location of the tenant with its link state and today's sales.
pub async fn location_status(tx: &mut Tx) -> StoreResult<Vec<LocationStatusRecord>> {
    Ok(sqlx::query_as(
        "SELECT l.id AS location_id, l.name, l.time_zone,
                d.active_devices, d.last_sync_at, d.last_seen_at,
                CASE WHEN d.active_devices = 0 THEN NULL ELSE (
                    SELECT count(*) FROM sync_rows r
                    WHERE r.tenant_id = l.tenant_id AND r.version > d.oldest_cursor
                      AND (r.location_id = l.id OR r.location_id IS NULL)
                ) END AS changes_waiting,
                today.date AS today,
                coalesce(s.sales, 0)::bigint AS today_sales,
                coalesce(s.orders, 0)::bigint AS today_orders
         FROM locations l
         CROSS JOIN LATERAL (SELECT timezone(l.time_zone, now())::date AS date) today
         CROSS JOIN LATERAL (
             SELECT count(*) AS active_devices, max(dv.last_sync_at) AS last_sync_at,
                    max(dv.last_seen_at) AS last_seen_at,
                    coalesce(min(coalesce(dv.last_pulled_version, 0)), 0) AS oldest_cursor
             FROM devices dv
             WHERE dv.tenant_id = l.tenant_id AND dv.location_id = l.id AND dv.revoked_at IS NULL
         ) d
         LEFT JOIN LATERAL (
             SELECT sum(o.total) AS sales, count(o.id) AS orders
             FROM orders o
             WHERE o.tenant_id = l.tenant_id AND o.location_id = l.id
               AND o.business_date = today.date AND o.deleted_at IS NULL
               AND o.status <> 'cancelled'
         ) s ON true
         ORDER BY l.created_at, l.id",
    )
    .fetch_all(&mut **tx)
    .await?)
}

/// One location's sales on one business day.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DailySalesRecord {
    /// The business date.
    pub date: NaiveDate,
    /// The location.
    pub location_id: LocationId,
    /// Sales (IVA included, orders not cancelled), CLP.
    pub sales: i64,
    /// Orders not cancelled.
    pub orders: i64,
    /// Cancelled orders.
    pub cancelled_orders: i64,
}

/// Sales per business day and location for `from..=to`, only days with orders.
pub async fn daily_sales(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
    location: Option<LocationId>,
) -> StoreResult<Vec<DailySalesRecord>> {
    Ok(sqlx::query_as(
        "SELECT o.business_date AS date, o.location_id,
                coalesce(sum(o.total) FILTER (WHERE o.status <> 'cancelled'), 0)::bigint AS sales,
                count(o.id) FILTER (WHERE o.status <> 'cancelled') AS orders,
                count(o.id) FILTER (WHERE o.status = 'cancelled') AS cancelled_orders
         FROM orders o
         WHERE o.business_date BETWEEN $1 AND $2 AND o.deleted_at IS NULL
           AND ($3::uuid IS NULL OR o.location_id = $3)
         GROUP BY o.business_date, o.location_id
         ORDER BY o.business_date, o.location_id",
    )
    .bind(from)
    .bind(to)
    .bind(location)
    .fetch_all(&mut **tx)
    .await?)
}
