//! Report queries. Orders carry their local business day and hour (stamped in the
//! restaurant's time zone when taken), so grouping by day or hour is plain SQL and right
//! across DST changes.

use super::{StoreResult, instant_text};
use dysa_domain::money::Clp;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

/// A sales report.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Summary {
    /// First local day.
    pub from: String,
    /// Last local day.
    pub to: String,
    /// Time zone of the days and hours.
    pub time_zone: String,
    /// Sales: totals (IVA included) of orders not cancelled.
    pub sales: Clp,
    /// Net of IVA.
    pub net: Clp,
    /// IVA.
    pub tax: Clp,
    /// Tips (outside sales).
    pub tips: Clp,
    /// Orders not cancelled.
    pub orders: i64,
    /// Cancelled orders.
    pub cancelled_orders: i64,
    /// `sales / orders`, rounded to the peso.
    pub average_ticket: Clp,
    /// 24 buckets, local hours 0–23.
    pub by_hour: Vec<Bucket>,
    /// One bucket per local day with orders.
    pub by_day: Vec<Bucket>,
    /// One bucket per channel with orders.
    pub by_channel: Vec<Bucket>,
    /// Best sellers by quantity (top 10).
    pub top_items: Vec<TopItem>,
    /// Money taken by payment method (refunds subtracted).
    pub payments_by_method: Vec<Bucket>,
    /// Reservations in the period.
    pub reservations: ReservationStats,
}

/// Sales and orders of one hour, day, channel or method.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Bucket {
    /// The hour (`"13"`), day (`"2026-11-27"`), channel or method.
    pub key: String,
    /// Sales in the bucket.
    pub sales: Clp,
    /// Orders in the bucket.
    pub orders: i64,
}

/// One best seller.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TopItem {
    /// The menu item.
    pub item_id: String,
    /// Its name on the latest order.
    pub name: String,
    /// Units sold.
    pub quantity: i64,
    /// Sales of those units (before order discounts).
    pub sales: Clp,
}

/// Reservation figures.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReservationStats {
    /// Reservations not cancelled.
    pub total: i64,
    /// Guests of those reservations.
    pub covers: i64,
    /// Marked no-show.
    pub no_show: i64,
    /// Cancelled.
    pub cancelled: i64,
    /// `no_show / total` (0 when there are none).
    pub no_show_rate: f64,
}

/// Builds the report for local days `from..=to` in `tz`.
pub async fn summary(
    pool: &SqlitePool,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
    tz: &jiff::tz::TimeZone,
) -> StoreResult<Summary> {
    let (from_text, to_text) = (from.to_string(), to.to_string());
    let (sales, net, tax, tips, orders): (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT coalesce(sum(total), 0), coalesce(sum(net), 0), coalesce(sum(tax), 0), coalesce(sum(tip), 0), count(*)
         FROM orders WHERE business_date BETWEEN ? AND ? AND status <> 'cancelled' AND deleted_at IS NULL",
    )
    .bind(&from_text)
    .bind(&to_text)
    .fetch_one(pool)
    .await?;
    let cancelled_orders: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM orders WHERE business_date BETWEEN ? AND ? AND status = 'cancelled' AND deleted_at IS NULL",
    )
    .bind(&from_text)
    .bind(&to_text)
    .fetch_one(pool)
    .await?;
    let buckets = |sql: &'static str| {
        let (f, t) = (from_text.clone(), to_text.clone());
        async move {
            let rows: Vec<(String, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(f)
                .bind(t)
                .fetch_all(pool)
                .await?;
            StoreResult::Ok(
                rows.into_iter()
                    .map(|(key, sales, orders)| Bucket {
                        key,
                        sales: Clp(sales),
                        orders,
                    })
                    .collect::<Vec<_>>(),
            )
        }
    };
    let hours = buckets(
        "SELECT CAST(local_hour AS TEXT), sum(total), count(*) FROM orders
         WHERE business_date BETWEEN ? AND ? AND status <> 'cancelled' AND deleted_at IS NULL GROUP BY local_hour",
    )
    .await?;
    let by_hour = (0..24)
        .map(|hour| {
            let key = hour.to_string();
            let found = hours.iter().find(|b| b.key == key);
            Bucket {
                key,
                sales: found.map_or(Clp::ZERO, |b| b.sales),
                orders: found.map_or(0, |b| b.orders),
            }
        })
        .collect();
    let by_day = buckets(
        "SELECT business_date, sum(total), count(*) FROM orders
         WHERE business_date BETWEEN ? AND ? AND status <> 'cancelled' AND deleted_at IS NULL
         GROUP BY business_date ORDER BY business_date",
    )
    .await?;
    let by_channel = buckets(
        "SELECT channel, sum(total), count(*) FROM orders
         WHERE business_date BETWEEN ? AND ? AND status <> 'cancelled' AND deleted_at IS NULL
         GROUP BY channel ORDER BY sum(total) DESC",
    )
    .await?;
    let payments_by_method = buckets(
        "SELECT p.method, sum(p.amount + p.tip), count(DISTINCT p.order_id) FROM payments p JOIN orders o ON o.id = p.order_id
         WHERE o.business_date BETWEEN ? AND ? AND o.deleted_at IS NULL
         GROUP BY p.method ORDER BY sum(p.amount + p.tip) DESC",
    )
    .await?;
    let top: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT l.item_id, max(l.name), sum(l.quantity), sum(l.line_total) FROM order_lines l JOIN orders o ON o.id = l.order_id
         WHERE o.business_date BETWEEN ? AND ? AND o.status <> 'cancelled' AND o.deleted_at IS NULL AND l.voided_at IS NULL
         GROUP BY l.item_id ORDER BY sum(l.quantity) DESC, sum(l.line_total) DESC LIMIT 10",
    )
    .bind(&from_text)
    .bind(&to_text)
    .fetch_all(pool)
    .await?;
    // Reservations store instants; the local days become an instant range here.
    let start = from
        .to_zoned(tz.clone())
        .map(|z| instant_text(z.timestamp()))
        .unwrap_or_default();
    let end = to
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(tz.clone()).ok())
        .map(|z| instant_text(z.timestamp()))
        .unwrap_or_default();
    let (total, covers, no_show, cancelled): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT coalesce(sum(status <> 'cancelled'), 0), coalesce(sum(CASE WHEN status <> 'cancelled' THEN party_size END), 0),
                coalesce(sum(status = 'no_show'), 0), coalesce(sum(status = 'cancelled'), 0)
         FROM reservations WHERE starts_at >= ? AND starts_at < ? AND deleted_at IS NULL",
    )
    .bind(&start)
    .bind(&end)
    .fetch_one(pool)
    .await?;
    Ok(Summary {
        from: from_text,
        to: to_text,
        time_zone: tz.iana_name().unwrap_or("UTC").to_owned(),
        sales: Clp(sales),
        net: Clp(net),
        tax: Clp(tax),
        tips: Clp(tips),
        orders,
        cancelled_orders,
        average_ticket: Clp::average(Clp(sales), orders),
        by_hour,
        by_day,
        by_channel,
        top_items: top
            .into_iter()
            .map(|(item_id, name, quantity, sales)| TopItem {
                item_id,
                name,
                quantity,
                sales: Clp(sales),
            })
            .collect(),
        payments_by_method,
        reservations: ReservationStats {
            total,
            covers,
            no_show,
            cancelled,
            no_show_rate: if total > 0 {
                no_show as f64 / total as f64
            } else {
                0.0
            },
        },
    })
}
