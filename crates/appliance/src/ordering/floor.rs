//! A table's tab: opening a table with its covers and waiter, and the diners asking for
//! the bill. The tab is an order of channel `dine_in` on the table, open across rounds
//! (lines are added with [`super::append_lines`]); the floor's rules are in
//! [`dysa_domain::floor`].

use super::{OrderDesk, OrderError, load, publish};
use crate::events::EventKind;
use crate::store::orders::{self, Order, OrderRow, OrderState, Transition, TransitionRow};
use crate::store::{instant_text, tables as table_store, users};
use dysa_domain::floor::Covers;
use dysa_domain::ids::{TableId, UserId};
use dysa_domain::money::Clp;
use dysa_domain::order::{Channel, OrderStatus, order_totals};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::Deserialize;

/// Opening a table: how many sit down and who serves them.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenTable {
    /// How many people sit down (1–99).
    pub covers: Covers,
    /// The waiter serving them; the person opening the table when absent.
    #[serde(default)]
    pub waiter_id: Option<UserId>,
}

/// Opens a tab on a free table: an empty `dine_in` order with the covers and the waiter,
/// numbered like any order. The table is checked and the order written in one writer
/// transaction, so two waiters opening the same table at once get one tab and one
/// `table_occupied`.
pub async fn open_tab(
    desk: &OrderDesk,
    by: Option<UserId>,
    table_id: TableId,
    input: OpenTable,
) -> Result<Order, OrderError> {
    let settings = desk.restaurant.get(&desk.db.read).await?;
    let rate = settings.tax_rate();
    let now = jiff::Timestamp::now();
    let local = now.to_zoned(settings.tz());
    let db = desk.db.clone();
    let order = desk
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let table = table_store::find(&mut *conn, table_id)
                    .await?
                    .filter(|t| t.active)
                    .ok_or(OrderError::TableNotFound)?;
                let holding = table_store::table_use(conn, table.id, now).await?;
                if let Some(open) = holding.open_order {
                    return Err(OrderError::TableOccupied(open));
                }
                let waiter = input.waiter_id.or(by);
                if let Some(waiter) = waiter
                    && !users::find(&mut *conn, waiter)
                        .await?
                        .is_some_and(|u| u.active)
                {
                    let mut errors = FieldErrors::new();
                    errors.add(
                        "waiter_id",
                        FieldIssue::Other {
                            es: "no es un usuario activo".into(),
                            en: "is not an active user".into(),
                        },
                    );
                    return Err(OrderError::Invalid(errors));
                }
                let totals =
                    order_totals(&[], Clp::ZERO, Clp::ZERO, rate).map_err(super::totals_error)?;
                let business_date = local.date().to_string();
                let number = orders::reserve_numbers(conn, &business_date, 1)
                    .await?
                    .remove(0);
                let id = dysa_domain::ids::OrderId::new();
                let created_at = instant_text(now);
                let hlc = db.tick();
                let rows = orders::NewOrderRows {
                    row: OrderRow {
                        id,
                        number,
                        business_date,
                        local_hour: i64::from(local.hour()),
                        channel: Channel::DineIn,
                        created_by: by,
                        created_at: created_at.clone(),
                        state: OrderState {
                            status: OrderStatus::Pending,
                            customer_id: None,
                            table_id: Some(table.id),
                            note: None,
                            subtotal: totals.subtotal,
                            discount: totals.discount,
                            total: totals.total,
                            net: totals.net,
                            tax: totals.tax,
                            tax_rate_bp: totals.tax_rate.basis_points(),
                            tip: totals.tip,
                            amount_due: totals.amount_due,
                            cancel_reason: None,
                            covers: Some(input.covers),
                            waiter_id: waiter,
                            bill_requested_at: None,
                        },
                        updated_at: hlc,
                    },
                    lines: Vec::new(),
                    transition: TransitionRow {
                        id: uuid::Uuid::now_v7(),
                        order_id: id,
                        transition: Transition {
                            from: None,
                            to: OrderStatus::Pending,
                            reason: None,
                            by_user: by,
                            at: created_at,
                        },
                        updated_at: hlc,
                    },
                    idempotency: None,
                };
                orders::insert_new_orders(conn, std::slice::from_ref(&rows)).await?;
                // A table opened is a table cleaned: the party sits at it.
                table_store::set_needs_cleaning(conn, table.id, false, db.tick()).await?;
                orders::load(conn, id).await?.ok_or(OrderError::NotFound)
            })
        })
        .await?;
    publish(desk, EventKind::OrderCreated, &order);
    Ok(order)
}

/// The diners asked for the bill ("pidió la cuenta"): the floor plan shows it until the
/// tab is paid. Asking again keeps the first time (the table has waited since then).
pub async fn request_bill(
    desk: &OrderDesk,
    id: dysa_domain::ids::OrderId,
) -> Result<Order, OrderError> {
    let current = load(desk, id).await?;
    if current.status.is_terminal() {
        return Err(OrderError::Closed(current.status));
    }
    if current.bill_requested_at.is_some() {
        return Ok(current);
    }
    super::lifecycle::modify_state(desk, id, |order| {
        if order.status.is_terminal() {
            return Err(OrderError::Closed(order.status));
        }
        let mut next = OrderState::of(order);
        if next.bill_requested_at.is_none() {
            next.bill_requested_at = Some(instant_text(jiff::Timestamp::now()));
        }
        Ok(next)
    })
    .await
}
