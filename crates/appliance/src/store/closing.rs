//! The rows a day's report is made of, and the closed days (`day_closes`).
//!
//! Reads take a `&mut SqliteConnection` so that closing a day computes its Z inside the
//! write transaction that stores it: no payment can land between the figures and the
//! marks (see migration 0016) that say which rows the Z holds.

use super::{StoreError, StoreResult, outbox};
use dysa_domain::closing::{DrawerLine, PaymentInput, SaleInput, VoidEntry};
use dysa_domain::drawer::SessionStatus;
use dysa_domain::hlc::Hlc;
use dysa_domain::money::Clp;
use dysa_domain::sync::rows::DayClose;
use dysa_domain::sync::{Entity, Op};
use sqlx::SqliteConnection;

/// A stored instant range `[start, end)` (`store::instant_text`).
#[derive(Clone, Debug)]
pub struct Window {
    /// First instant in.
    pub start: String,
    /// First instant out.
    pub end: String,
}

/// A sale with the rowid that says when it arrived here.
#[derive(Clone, Debug)]
pub struct MarkedSale {
    /// Insertion order on this counter.
    pub rowid: i64,
    /// When it was taken (stored instant).
    pub created_at: String,
    /// The sale.
    pub sale: SaleInput,
}

/// A ledger row with the rowid that says when it arrived here.
#[derive(Clone, Debug)]
pub struct MarkedPayment {
    /// Insertion order on this counter.
    pub rowid: i64,
    /// When it was recorded (stored instant).
    pub created_at: String,
    /// The row.
    pub payment: PaymentInput,
}

#[derive(sqlx::FromRow)]
struct SaleRow {
    rowid: i64,
    created_at: String,
    number: i64,
    channel: String,
    status: String,
    discount: i64,
    total: i64,
    covers: i64,
}

impl SaleRow {
    fn decode(self) -> StoreResult<MarkedSale> {
        Ok(MarkedSale {
            rowid: self.rowid,
            created_at: self.created_at,
            sale: SaleInput {
                number: self.number,
                channel: self
                    .channel
                    .parse()
                    .map_err(|_| StoreError::corrupt("orders", &self.channel))?,
                cancelled: self.status == "cancelled",
                discount: Clp(self.discount),
                total: Clp(self.total),
                late: false,
                covers: self.covers,
            },
        })
    }
}

#[derive(sqlx::FromRow)]
struct PaymentRow {
    rowid: i64,
    created_at: String,
    number: i64,
    method: String,
    amount: i64,
    tip: i64,
    waiter: Option<String>,
}

impl PaymentRow {
    fn decode(self) -> StoreResult<MarkedPayment> {
        Ok(MarkedPayment {
            rowid: self.rowid,
            created_at: self.created_at,
            payment: PaymentInput {
                order_number: self.number,
                method: self
                    .method
                    .parse()
                    .map_err(|_| StoreError::corrupt("payments", &self.method))?,
                amount: Clp(self.amount),
                tip: Clp(self.tip),
                waiter: self.waiter,
                late: false,
            },
        })
    }
}

const SALES: &str = "SELECT o.rowid AS rowid, o.created_at, o.number, o.channel, o.status, o.discount, o.total,
            coalesce(o.covers, 0) AS covers
     FROM orders o WHERE o.created_at >= ? AND o.created_at < ? AND o.rowid > ? AND o.deleted_at IS NULL
     ORDER BY o.created_at, o.id";

const PAYMENTS: &str =
    "SELECT p.rowid AS rowid, p.created_at, o.number, p.method, p.amount, p.tip, u.name AS waiter
     FROM payments p JOIN orders o ON o.id = p.order_id LEFT JOIN users u ON u.id = o.created_by
     WHERE p.created_at >= ? AND p.created_at < ? AND p.rowid > ?
     ORDER BY p.created_at, p.id";

/// Orders taken in `window` that arrived after rowid `after` (0: all of them).
pub async fn sales(
    conn: &mut SqliteConnection,
    window: &Window,
    after: i64,
) -> StoreResult<Vec<MarkedSale>> {
    let rows: Vec<SaleRow> = sqlx::query_as(SALES)
        .bind(&window.start)
        .bind(&window.end)
        .bind(after)
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(SaleRow::decode).collect()
}

/// Ledger rows recorded in `window` that arrived after rowid `after` (0: all of them).
pub async fn payments(
    conn: &mut SqliteConnection,
    window: &Window,
    after: i64,
) -> StoreResult<Vec<MarkedPayment>> {
    let rows: Vec<PaymentRow> = sqlx::query_as(PAYMENTS)
        .bind(&window.start)
        .bind(&window.end)
        .bind(after)
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(PaymentRow::decode).collect()
}

/// Lines voided and orders cancelled in `window`, with who and why, in time order.
pub async fn voids(conn: &mut SqliteConnection, window: &Window) -> StoreResult<Vec<VoidEntry>> {
    type Row = (
        i64,
        Option<String>,
        i64,
        i64,
        Option<String>,
        Option<String>,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT o.number, l.name, l.quantity, l.line_total, u.name, l.void_reason, l.voided_at
         FROM order_lines l JOIN orders o ON o.id = l.order_id LEFT JOIN users u ON u.id = l.voided_by
         WHERE l.voided_at >= ?1 AND l.voided_at < ?2
         UNION ALL
         SELECT o.number, NULL, 1, o.total, u.name, coalesce(t.reason, o.cancel_reason), t.at
         FROM order_transitions t JOIN orders o ON o.id = t.order_id LEFT JOIN users u ON u.id = t.by_user
         WHERE t.to_status = 'cancelled' AND t.at >= ?1 AND t.at < ?2
         ORDER BY 7",
    )
    .bind(&window.start)
    .bind(&window.end)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(order_number, item, quantity, amount, by, reason, at)| VoidEntry {
                order_number,
                item,
                quantity,
                amount: Clp(amount),
                by,
                reason,
                at,
            },
        )
        .collect())
}

/// Drawer sessions opened in `window` (every drawer of the location), each with the float
/// plus its signed movements and its standing count.
pub async fn drawers(conn: &mut SqliteConnection, window: &Window) -> StoreResult<Vec<DrawerLine>> {
    type Row = (String, String, String, i64, i64, Option<i64>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, s.drawer_name, s.status, s.opening_float,
                s.opening_float + coalesce((SELECT sum(CASE WHEN m.kind IN ('sale', 'pay_in') THEN m.amount ELSE -m.amount END)
                                            FROM drawer_movements m WHERE m.session_id = s.id), 0),
                s.counted_total, s.difference
         FROM drawer_sessions s WHERE s.opened_at >= ? AND s.opened_at < ?
         ORDER BY s.opened_at, s.id",
    )
    .bind(&window.start)
    .bind(&window.end)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(
            |(session_id, drawer_name, status, float, expected, counted, difference)| {
                Ok(DrawerLine {
                    session_id,
                    drawer_name,
                    status: status
                        .parse::<SessionStatus>()
                        .map_err(|_| StoreError::corrupt("drawer_sessions", &status))?,
                    opening_float: Clp(float),
                    expected: Some(Clp(expected)),
                    counted: counted.map(Clp),
                    difference: difference.map(Clp),
                })
            },
        )
        .collect()
}

/// A closed day as this counter knows it, with its local marks.
#[derive(Clone, Debug)]
pub struct StoredClose {
    /// The synced row.
    pub close: DayClose,
    /// Highest `orders` rowid the Z holds.
    pub orders_mark: i64,
    /// Highest `payments` rowid the Z holds.
    pub payments_mark: i64,
}

type CloseRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    i64,
    i64,
);

fn decode_close(row: CloseRow) -> StoreResult<StoredClose> {
    let corrupt = |what: &str| StoreError::corrupt("day_closes", what);
    let (id, business_date, device_id, closed_by, closed_by_name, closed_at, report, om, pm) = row;
    Ok(StoredClose {
        close: DayClose {
            id: id.parse().map_err(|_| corrupt("id"))?,
            business_date,
            device_id,
            closed_by: closed_by
                .map(|u| u.parse().map_err(|_| corrupt("closed_by")))
                .transpose()?,
            closed_by_name,
            closed_at,
            report: serde_json::from_str(&report).map_err(|_| corrupt("report"))?,
        },
        orders_mark: om,
        payments_mark: pm,
    })
}

const CLOSE_COLUMNS: &str = "id, business_date, device_id, closed_by, closed_by_name, closed_at, \
                             report, orders_mark, payments_mark";

/// The closed day of `date`, if it is closed.
pub async fn closed_day(
    conn: &mut SqliteConnection,
    date: &str,
) -> StoreResult<Option<StoredClose>> {
    let row: Option<CloseRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CLOSE_COLUMNS} FROM day_closes WHERE business_date = ?"
    )))
    .bind(date)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(decode_close).transpose()
}

/// Closed days from `from` on (inclusive), oldest first.
pub async fn closed_since(
    conn: &mut SqliteConnection,
    from: &str,
) -> StoreResult<Vec<StoredClose>> {
    let rows: Vec<CloseRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CLOSE_COLUMNS} FROM day_closes WHERE business_date >= ? ORDER BY business_date"
    )))
    .bind(from)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(decode_close).collect()
}

/// The newest closed days, newest first (at most `limit`).
pub async fn recent(conn: &mut SqliteConnection, limit: i64) -> StoreResult<Vec<DayClose>> {
    let rows: Vec<CloseRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CLOSE_COLUMNS} FROM day_closes ORDER BY business_date DESC LIMIT ?"
    )))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| decode_close(row).map(|c| c.close))
        .collect()
}

/// The highest rowids of `orders` and `payments` now.
async fn marks(conn: &mut SqliteConnection) -> StoreResult<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT (SELECT coalesce(max(rowid), 0) FROM orders), (SELECT coalesce(max(rowid), 0) FROM payments)",
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Writes a close; `false` when the day was already closed here (by this counter or
/// another one's row): the first close of a day stands.
async fn insert(conn: &mut SqliteConnection, close: &DayClose) -> StoreResult<bool> {
    let (orders_mark, payments_mark) = marks(conn).await?;
    let done = sqlx::query(
        "INSERT INTO day_closes (id, business_date, device_id, closed_by, closed_by_name, closed_at,
            report, orders_mark, payments_mark)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING",
    )
    .bind(close.id.to_string())
    .bind(&close.business_date)
    .bind(&close.device_id)
    .bind(close.closed_by.map(|u| u.to_string()))
    .bind(&close.closed_by_name)
    .bind(&close.closed_at)
    .bind(serde_json::to_string(&close.report)?)
    .bind(orders_mark)
    .bind(payments_mark)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records this counter's close of a day and its outbox row; `false` (and nothing
/// written) when the day is already closed.
pub async fn record(conn: &mut SqliteConnection, close: &DayClose, hlc: Hlc) -> StoreResult<bool> {
    if !insert(conn, close).await? {
        return Ok(false);
    }
    outbox::record(
        conn,
        Entity::DayClose,
        &close.id.to_string(),
        Op::Upsert,
        close,
        hlc,
    )
    .await?;
    Ok(true)
}

/// Writes a close pulled from the cloud (no outbox row: it came from there). Rows this
/// counter holds now count as in it; any that arrive later are late corrections.
pub async fn apply_pulled(conn: &mut SqliteConnection, close: &DayClose) -> StoreResult<()> {
    insert(conn, close).await.map(drop)
}
