//! Split bills ("cuenta separada") and paying chosen lines ("cobro parcial") on a table's
//! tab; the rules are in [`dysa_domain::bills`]. Which line is on which bill is the line's
//! synced `bill`; each payment records the bill it paid and that bill's lines, and those
//! sync too, so every counter of the location shows the same bills.

use super::{OrderDesk, OrderError, publish};
use crate::events::EventKind;
use crate::store::bills as bill_store;
use crate::store::orders::{self, Order, Payment};
use dysa_domain::bills::{Bill, BillLine, BillNo, BillPayment, SplitRequest, plan_split, settle};
use dysa_domain::ids::{OrderId, OrderLineId};
use dysa_domain::payment::PaymentRow;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

/// A tab's bills: one (bill 1) until it is split.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TabBills {
    /// The tab.
    pub order_id: OrderId,
    /// Its bills by number, each with its lines, its share of the discount and tip, what
    /// it owes and its own payments. They add up to the tab.
    pub bills: Vec<Bill>,
}

/// How to split a tab: by seat, or chosen lines into new bills (exactly one of the two).
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitTab {
    /// One bill per seat; the lines without a seat make bill 1.
    #[serde(default)]
    pub by_seat: bool,
    /// Each group of line ids becomes a new bill; the other lines stay where they are.
    /// Paying chosen lines ("cobro parcial") is one group, then paying its bill.
    #[serde(default)]
    pub bills: Vec<Vec<OrderLineId>>,
}

/// The bills of a loaded order, from its lines, their bills and its payments.
pub(super) async fn bills_of(
    conn: &mut SqliteConnection,
    order: &Order,
) -> Result<Vec<Bill>, OrderError> {
    let (lines, payments) = inputs(conn, order).await?;
    Ok(settle(&lines, order.discount, order.tip, &payments))
}

async fn inputs(
    conn: &mut SqliteConnection,
    order: &Order,
) -> Result<(Vec<BillLine>, Vec<BillPayment>), OrderError> {
    let lines = order
        .lines
        .iter()
        .map(|l| BillLine {
            id: l.id,
            amount: l.line_total,
            voided: l.voided,
            seat: l.seat,
            bill: l.bill.unwrap_or(BillNo::FIRST),
        })
        .collect();
    let payments = orders::payments_of(&mut *conn, order.id)
        .await?
        .iter()
        .map(bill_payment)
        .collect();
    Ok((lines, payments))
}

fn bill_payment(p: &Payment) -> BillPayment {
    BillPayment {
        bill: p.bill.unwrap_or(BillNo::FIRST),
        row: PaymentRow {
            method: p.method,
            amount: p.amount,
            tip: p.tip,
        },
    }
}

/// A tab's bills as they stand.
pub async fn tab_bills(desk: &OrderDesk, id: OrderId) -> Result<TabBills, OrderError> {
    let mut conn = desk.db.read.acquire().await?;
    let order = orders::load(&mut conn, id)
        .await?
        .ok_or(OrderError::NotFound)?;
    Ok(TabBills {
        order_id: id,
        bills: bills_of(&mut conn, &order).await?,
    })
}

/// Splits an open tab by seat or by chosen lines. A line on a bill that has payments
/// never moves (409 `line_paid`); the rest of the rules are [`plan_split`]'s.
pub async fn split(desk: &OrderDesk, id: OrderId, input: SplitTab) -> Result<TabBills, OrderError> {
    let request = match (input.by_seat, input.bills.is_empty()) {
        (true, true) => SplitRequest::BySeat,
        (false, false) => SplitRequest::Lines(input.bills),
        (true, false) => return Err(OrderError::SplitBothWays),
        (false, true) => {
            return Err(OrderError::Split(dysa_domain::bills::SplitError::EmptyBill));
        }
    };
    let db = desk.db.clone();
    let (order, bills) = desk
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let order = orders::load(conn, id).await?.ok_or(OrderError::NotFound)?;
                if order.status.is_terminal() {
                    return Err(OrderError::Closed(order.status));
                }
                let (lines, payments) = inputs(conn, &order).await?;
                let changes = plan_split(&lines, &payments, &request)?;
                bill_store::assign(conn, &order, &changes, db.tick()).await?;
                let order = orders::load(conn, id).await?.ok_or(OrderError::NotFound)?;
                let bills = bills_of(conn, &order).await?;
                Ok::<_, OrderError>((order, bills))
            })
        })
        .await?;
    publish(desk, EventKind::OrderUpdated, &order);
    Ok(TabBills {
        order_id: id,
        bills,
    })
}
