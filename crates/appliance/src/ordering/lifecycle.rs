//! An order after its creation: status changes (with the owner's cancel requests), lines
//! appended and voided, discount, tip, note, customer and table.

use super::idempotent::Keyed;
use super::{
    LinePlacement, MAX_LINES, NewLine, OrderDesk, OrderError, check_lines, check_links, check_note,
    money_field, price_lines, publish, totals_error,
};
use crate::audit::Actor;
use crate::events::EventKind;
use crate::kitchen::{Firing, announce_fired, fire_in};
use crate::store::audit;
use crate::store::instant_text;
use crate::store::kitchen as kitchen_store;
use crate::store::menu::items_for_pricing;
use crate::store::orders::{self, LineRow, Order, OrderState, Transition, TransitionRow};
use dysa_domain::audit::AuditAction;
use dysa_domain::ids::{CustomerId, ItemId, OrderId, OrderLineId, TableId, UserId};
use dysa_domain::kitchen::AutoFire;
use dysa_domain::money::{Clp, TaxRate};
use dysa_domain::order::{
    CancelOutcome, CancelRequest, DiscountedLine, LineDiscount, LineDiscountRule, OrderStatus,
    TotalsError, TotalsLine, check_transition, discounted_order_totals,
};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::Deserialize;
use serde_json::json;
use sqlx::SqliteConnection;

/// Runs `change` on the loaded order inside the writer and stores the resulting state;
/// publishes `order.updated` after the commit and returns the order as stored.
async fn modify<F>(desk: &OrderDesk, id: OrderId, change: F) -> Result<Order, OrderError>
where
    F: for<'c> FnOnce(
            &'c mut SqliteConnection,
            Order,
            dysa_domain::hlc::Hlc,
        ) -> futures::future::BoxFuture<'c, Result<OrderState, OrderError>>
        + Send
        + 'static,
{
    let (order, ()) = modify_with(desk, id, move |conn, order, hlc| {
        Box::pin(async move { Ok((change(conn, order, hlc).await?, ())) })
    })
    .await?;
    Ok(order)
}

/// [`modify`] for a change that also yields something of its own (the kitchen tickets an
/// accepted order fired), handed back with the order after the commit.
async fn modify_with<F, T>(
    desk: &OrderDesk,
    id: OrderId,
    change: F,
) -> Result<(Order, T), OrderError>
where
    F: for<'c> FnOnce(
            &'c mut SqliteConnection,
            Order,
            dysa_domain::hlc::Hlc,
        )
            -> futures::future::BoxFuture<'c, Result<(OrderState, T), OrderError>>
        + Send
        + 'static,
    T: Send + 'static,
{
    let db = desk.db.clone();
    let (order, extra) = desk
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let order = orders::load(conn, id).await?.ok_or(OrderError::NotFound)?;
                let hlc = db.tick();
                let (next, extra) = change(conn, order, hlc).await?;
                orders::update_state(conn, id, &next, hlc).await?;
                let order = orders::load(conn, id).await?.ok_or(OrderError::NotFound)?;
                Ok::<_, OrderError>((order, extra))
            })
        })
        .await?;
    publish(desk, EventKind::OrderUpdated, &order);
    Ok((order, extra))
}

/// [`modify`] for a change that needs no reads of its own: `change` maps the loaded
/// order to its next state.
pub(super) async fn modify_state<F>(
    desk: &OrderDesk,
    id: OrderId,
    change: F,
) -> Result<Order, OrderError>
where
    F: FnOnce(&Order) -> Result<OrderState, OrderError> + Send + 'static,
{
    modify(desk, id, move |_conn, order, _hlc| {
        Box::pin(async move { change(&order) })
    })
    .await
}

fn ensure_open(order: &Order) -> Result<(), OrderError> {
    if order.status.is_terminal() {
        Err(OrderError::Closed(order.status))
    } else {
        Ok(())
    }
}

/// The order's totals again for `lines`, a bill discount and a tip. A bill discount the
/// order already had that no longer fits (a line voided under it) is
/// `DiscountExceedsSubtotal`, so staff adjust the discount first.
pub(super) fn recompute(
    order: &Order,
    lines: &[DiscountedLine],
    bill: Clp,
    tip: Clp,
) -> Result<OrderState, OrderError> {
    let rate = TaxRate::from_basis_points(order.tax_rate_bp).unwrap_or_default();
    let totals = discounted_order_totals(lines, bill, tip, rate).map_err(|error| match error {
        TotalsError::DiscountOutOfRange { .. } if bill == order.bill_discount() => {
            OrderError::DiscountExceedsSubtotal
        }
        other => totals_error(other),
    })?;
    let mut next = OrderState::of(order);
    next.subtotal = totals.subtotal;
    next.discount = totals.discount;
    next.total = totals.total;
    next.net = totals.net;
    next.tax = totals.tax;
    next.tip = totals.tip;
    next.amount_due = totals.amount_due;
    Ok(next)
}

/// An order's lines as the totals see them, each with its own discount.
pub(super) fn current_lines(order: &Order) -> Vec<DiscountedLine> {
    order
        .lines
        .iter()
        .map(|l| DiscountedLine {
            line: TotalsLine {
                unit_price: l.unit_price,
                quantity: l.quantity,
                voided: l.voided,
            },
            discount: l.discount.as_ref().map_or(Clp::ZERO, |d| d.amount),
        })
        .collect()
}

/// Moves an order along its status machine (forward only; `cancelled` needs a reason).
pub async fn change_status(
    desk: &OrderDesk,
    actor: &Actor,
    id: OrderId,
    to: OrderStatus,
    reason: Option<String>,
) -> Result<Order, OrderError> {
    let by = actor.user_id;
    let actor = actor.clone();
    let reason = reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if let Some(reason) = &reason {
        let mut errors = FieldErrors::new();
        errors.optional_text("reason", Some(reason), 500);
        errors.into_result().map_err(OrderError::Invalid)?;
    }
    let settings = desk.restaurant.get(&desk.db.read).await?;
    let auto_fire = settings.kitchen_auto_fire.then(|| settings.tz());
    let printing = desk.printing.clone();
    let (order, fired) = modify_with(desk, id, move |conn, order, hlc| {
        Box::pin(async move {
            check_transition(order.status, to, reason.as_deref())?;
            // Accepting an order sends its course-less lines to the kitchen, in this
            // transaction: accepted and on the screens together, or neither.
            let fired = match &auto_fire {
                Some(tz) if AutoFire::on_transition(order.channel, order.status, to) => {
                    let already = kitchen_store::fired_lines(conn, order.id).await?;
                    let firing = Firing {
                        order_id: order.id,
                        lines: &order.lines,
                        already_fired: &already,
                        course: None,
                        by,
                    };
                    fire_in(conn, &printing, tz, firing).await?
                }
                _ => Vec::new(),
            };
            let mut next = OrderState::of(&order);
            next.status = to;
            if to == OrderStatus::Cancelled {
                next.cancel_reason = reason.clone();
            }
            // A table's tab ends: the table waits to be cleaned ("por limpiar").
            if to.is_terminal()
                && order.channel == dysa_domain::order::Channel::DineIn
                && let Some(table) = order.table_id
            {
                crate::store::tables::set_needs_cleaning(conn, table, true, hlc).await?;
            }
            // An owner's pending request ends with the order, as the cloud's merge ends
            // it: cancelling accepts it (in staff's name), completing refuses it.
            if let Some(request) = &order.cancel_request {
                let at = instant_text(jiff::Timestamp::now());
                if let Some(mut settled) = request.settled_by(to, at) {
                    if to == OrderStatus::Cancelled {
                        settled.resolved_by = staff_name(conn, by).await?;
                    }
                    orders::set_cancel_request(conn, order.id, &settled, hlc).await?;
                }
            }
            if to == OrderStatus::Cancelled {
                let event = actor.event(
                    AuditAction::OrderCancelled,
                    "order",
                    Some(order.id.to_string()),
                    Some(json!({ "status": order.status, "total": order.total })),
                    Some(json!({
                        "status": to,
                        "order_number": order.number,
                        "reason": reason,
                    })),
                );
                audit::record(conn, &event, hlc).await?;
            }
            let transition = Transition {
                from: Some(order.status),
                to,
                reason,
                by_user: by,
                at: instant_text(jiff::Timestamp::now()),
            };
            orders::insert_transition(
                conn,
                &TransitionRow {
                    id: uuid::Uuid::now_v7(),
                    order_id: order.id,
                    transition,
                    updated_at: hlc,
                },
            )
            .await?;
            Ok((next, fired))
        })
    })
    .await?;
    announce_fired(&desk.printing, &desk.events, &fired);
    Ok(order)
}

/// The name staff know a user by, for answers the owner reads on the cloud.
async fn staff_name(
    conn: &mut SqliteConnection,
    by: Option<UserId>,
) -> Result<Option<String>, OrderError> {
    let Some(by) = by else {
        return Ok(None);
    };
    Ok(sqlx::query_scalar("SELECT name FROM users WHERE id = ?")
        .bind(by.to_string())
        .fetch_optional(&mut *conn)
        .await?)
}

/// Refuses the owner's pending request to cancel an order: the order goes on, the
/// request is marked refused in staff's name, and the answer syncs to the cloud.
/// Accepting is cancelling the order (`change_status` to `cancelled`).
pub async fn refuse_cancel_request(
    desk: &OrderDesk,
    by: Option<UserId>,
    id: OrderId,
) -> Result<Order, OrderError> {
    let db = desk.db.clone();
    let order = desk
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let order = orders::load(conn, id).await?.ok_or(OrderError::NotFound)?;
                let mut request = order
                    .cancel_request
                    .clone()
                    .filter(CancelRequest::is_pending)
                    .ok_or(OrderError::NoCancelRequest)?;
                let name = staff_name(conn, by).await?;
                let at = instant_text(jiff::Timestamp::now());
                request.resolve(CancelOutcome::Refused, name, at, None);
                let hlc = db.tick();
                orders::set_cancel_request(conn, id, &request, hlc).await?;
                orders::load(conn, id).await?.ok_or(OrderError::NotFound)
            })
        })
        .await?;
    publish(desk, EventKind::OrderUpdated, &order);
    Ok(order)
}

/// Appends lines to an open order (the kitchen gets only the new ones). With an
/// `Idempotency-Key`, a retried round is not added again: the order is answered as it is
/// (the bool is true for such a replay).
pub async fn append_lines(
    desk: &OrderDesk,
    by: Option<UserId>,
    id: OrderId,
    lines: Vec<NewLine>,
    key: Option<String>,
) -> Result<(Order, bool), OrderError> {
    let mut errors = FieldErrors::new();
    check_lines(&mut errors, "lines", &lines);
    errors.into_result().map_err(OrderError::Invalid)?;
    let keyed = Keyed::of(key, "order_lines", &id.to_string(), &lines)?;
    let (order, replayed) = modify_with(desk, id, move |conn, order, hlc| {
        Box::pin(async move {
            if let Some(keyed) = &keyed
                && keyed.replayed(conn).await?.is_some()
            {
                return Ok((OrderState::of(&order), true));
            }
            ensure_open(&order)?;
            if order.lines.len() + lines.len() > MAX_LINES {
                let mut errors = FieldErrors::new();
                errors.add(
                    "lines",
                    FieldIssue::OutOfRange {
                        min: 1,
                        max: MAX_LINES as i64,
                    },
                );
                return Err(OrderError::Invalid(errors));
            }
            let ids: Vec<ItemId> = lines.iter().map(|l| l.item_id).collect();
            let items = items_for_pricing(&mut *conn, &ids).await?;
            let mut errors = FieldErrors::new();
            let placement = LinePlacement {
                order_id: order.id,
                first_position: order.lines.len() as i64,
                by,
                hlc,
                created_at: instant_text(jiff::Timestamp::now()),
            };
            let rows = price_lines(&mut errors, &lines, |id| items.get(id), placement);
            errors.into_result().map_err(OrderError::Invalid)?;
            let mut all = current_lines(&order);
            all.extend(rows.iter().map(|r| DiscountedLine {
                line: TotalsLine {
                    unit_price: r.line.unit_price,
                    quantity: r.line.quantity,
                    voided: false,
                },
                discount: Clp::ZERO,
            }));
            let next = recompute(&order, &all, order.bill_discount(), order.tip)?;
            for row in &rows {
                orders::save_line(conn, row).await?;
            }
            if let Some(keyed) = &keyed {
                keyed.remember(conn, order.id).await?;
            }
            Ok((next, false))
        })
    })
    .await?;
    Ok((order, replayed))
}

/// Where the live line `line_id` sits on the open `order` (a voided line is final).
fn live_line(order: &Order, line_id: OrderLineId) -> Result<usize, OrderError> {
    ensure_open(order)?;
    let position = order
        .lines
        .iter()
        .position(|l| l.id == line_id)
        .ok_or(OrderError::NotFound)?;
    if order.lines[position].voided {
        return Err(OrderError::LineAlreadyVoided);
    }
    Ok(position)
}

/// Voids one line of an open order, keeping it on record.
pub async fn void_line(
    desk: &OrderDesk,
    actor: &Actor,
    id: OrderId,
    line_id: OrderLineId,
    reason: String,
) -> Result<Order, OrderError> {
    let by = actor.user_id;
    let actor = actor.clone();
    let mut errors = FieldErrors::new();
    errors.text("reason", &reason, 500);
    errors.into_result().map_err(OrderError::Invalid)?;
    modify(desk, id, move |conn, order, hlc| {
        Box::pin(async move {
            let position = live_line(&order, line_id)?;
            let line = &order.lines[position];
            let mut all = current_lines(&order);
            all[position].line.voided = true;
            let next = recompute(&order, &all, order.bill_discount(), order.tip)?;
            let mut voided = line.clone();
            voided.voided = true;
            voided.void_reason = Some(reason.trim().to_owned());
            let event = actor.event(
                AuditAction::LineVoided,
                "order",
                Some(order.id.to_string()),
                Some(json!({ "line_id": line.id, "total": order.total })),
                Some(json!({
                    "line_id": line.id,
                    "position": position,
                    "item": line.name,
                    "quantity": line.quantity,
                    "line_total": line.line_total,
                    "order_number": order.number,
                    "reason": voided.void_reason,
                    "total": next.total,
                })),
            );
            audit::record(conn, &event, hlc).await?;
            orders::save_line(
                conn,
                &LineRow {
                    line: voided,
                    order_id: order.id,
                    position: position as i64,
                    created_by: None,
                    voided_at: Some(instant_text(jiff::Timestamp::now())),
                    voided_by: by,
                    created_at: order.created_at.clone(),
                    updated_at: hlc,
                },
            )
            .await?;
            Ok(next)
        })
    })
    .await
}

/// Changes to an open order's header.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderPatch {
    /// New discount on the whole bill (at most what the lines leave after their own
    /// discounts); the order's `discount` then holds it plus the lines' discounts.
    pub discount: Option<Clp>,
    /// New tip.
    pub tip: Option<Clp>,
    /// New note (empty clears it).
    pub note: Option<String>,
    /// Link a customer.
    pub customer_id: Option<CustomerId>,
    /// Move to a table.
    pub table_id: Option<TableId>,
}

/// Adjusts discount, tip, note, customer or table of an open order.
pub async fn update(
    desk: &OrderDesk,
    actor: &Actor,
    id: OrderId,
    patch: OrderPatch,
) -> Result<Order, OrderError> {
    let actor = actor.clone();
    let mut errors = FieldErrors::new();
    money_field(&mut errors, "discount", patch.discount);
    money_field(&mut errors, "tip", patch.tip);
    check_note(&mut errors, "note", patch.note.as_deref());
    errors.into_result().map_err(OrderError::Invalid)?;
    modify(desk, id, move |conn, order, hlc| {
        Box::pin(async move {
            ensure_open(&order)?;
            let mut errors = FieldErrors::new();
            check_links(conn, &mut errors, patch.customer_id, patch.table_id).await?;
            errors.into_result().map_err(OrderError::Invalid)?;
            let discount = patch.discount.unwrap_or_else(|| order.bill_discount());
            let tip = patch.tip.unwrap_or(order.tip);
            let mut next =
                recompute(&order, &current_lines(&order), discount, tip).map_err(|error| {
                    match error {
                        OrderError::DiscountExceedsSubtotal => {
                            // The room is what the lines leave after their own discounts.
                            let on_lines = order.discount.0 - order.bill_discount().0;
                            totals_error(TotalsError::DiscountOutOfRange {
                                discount,
                                subtotal: Clp(order.subtotal.0 - on_lines),
                            })
                        }
                        other => other,
                    }
                })?;
            if let Some(note) = patch.note {
                next.note = Some(note.trim().to_owned()).filter(|n| !n.is_empty());
            }
            if patch.customer_id.is_some() {
                next.customer_id = patch.customer_id;
            }
            if patch.table_id.is_some() {
                next.table_id = patch.table_id;
            }
            if next.discount != order.discount {
                let event = actor.event(
                    AuditAction::Discount,
                    "order",
                    Some(order.id.to_string()),
                    Some(json!({ "discount": order.discount, "total": order.total })),
                    Some(json!({
                        "discount": next.discount,
                        "total": next.total,
                        "order_number": order.number,
                    })),
                );
                audit::record(conn, &event, hlc).await?;
            }
            Ok(next)
        })
    })
    .await
}

/// A discount asked for one line: a percentage or an amount (exactly one), with why.
/// An `amount` of 0 takes the line's discount away.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineDiscountInput {
    /// 1–100 % of the line.
    #[serde(default)]
    pub percent: Option<u32>,
    /// Pesos off the line ($1 up to the line; 0 removes the discount).
    #[serde(default)]
    pub amount: Option<Clp>,
    /// Why (kept on the line, the ticket and the audit log).
    pub reason: String,
}

/// Gives (or takes away) a discount on one live line of an open order; the order's totals
/// follow in the same write, the line syncs with its discount, and the audit log records
/// who gave it.
pub async fn discount_line(
    desk: &OrderDesk,
    actor: &Actor,
    id: OrderId,
    line_id: OrderLineId,
    input: LineDiscountInput,
) -> Result<Order, OrderError> {
    let actor = actor.clone();
    let reason = input.reason.trim().to_owned();
    let mut errors = FieldErrors::new();
    errors.text("reason", &reason, 200);
    let rule = match (input.percent, input.amount) {
        (Some(p), None) => Some(LineDiscountRule::Percent(p)),
        (None, Some(a)) if a == Clp::ZERO => None,
        (None, Some(a)) => Some(LineDiscountRule::Amount(a)),
        _ => {
            errors.add(
                "percent",
                FieldIssue::Other {
                    es: "indica un porcentaje o un monto, no ambos".into(),
                    en: "give a percentage or an amount, not both".into(),
                },
            );
            None
        }
    };
    errors.into_result().map_err(OrderError::Invalid)?;
    modify(desk, id, move |conn, order, hlc| {
        Box::pin(async move {
            let position = live_line(&order, line_id)?;
            let line = &order.lines[position];
            let discount = match rule {
                None => None,
                Some(rule) => {
                    let amount = rule.amount_off(line.line_total).map_err(|error| {
                        let mut errors = FieldErrors::new();
                        let field = if rule.percent().is_some() {
                            "percent"
                        } else {
                            "amount"
                        };
                        errors.add(
                            field,
                            FieldIssue::Other {
                                es: match error {
                                    dysa_domain::order::LineDiscountError::Percent => {
                                        "debe estar entre 1 y 100".to_owned()
                                    }
                                    dysa_domain::order::LineDiscountError::Amount { line } => {
                                        format!(
                                            "debe estar entre $1 y el valor de la línea ({line})"
                                        )
                                    }
                                },
                                en: error.to_string(),
                            },
                        );
                        OrderError::Invalid(errors)
                    })?;
                    Some(LineDiscount {
                        percent: rule.percent(),
                        amount,
                        reason: reason.clone(),
                    })
                }
            };
            let mut all = current_lines(&order);
            all[position].discount = discount.as_ref().map_or(Clp::ZERO, |d| d.amount);
            let bill = order.bill_discount();
            let next = recompute(&order, &all, bill, order.tip)?;
            let event = actor.event(
                AuditAction::Discount,
                "order",
                Some(order.id.to_string()),
                Some(json!({
                    "discount": order.discount,
                    "total": order.total,
                    "line_id": line.id,
                    "line_discount": line.discount,
                })),
                Some(json!({
                    "discount": next.discount,
                    "total": next.total,
                    "order_number": order.number,
                    "line_id": line.id,
                    "item": line.name,
                    "line_discount": discount,
                    "reason": reason,
                })),
            );
            audit::record(conn, &event, hlc).await?;
            let mut changed = line.clone();
            changed.discount = discount;
            orders::save_line(
                conn,
                &LineRow {
                    line: changed,
                    order_id: order.id,
                    position: position as i64,
                    created_by: None,
                    voided_at: None,
                    voided_by: None,
                    created_at: order.created_at.clone(),
                    updated_at: hlc,
                },
            )
            .await?;
            Ok(next)
        })
    })
    .await
}
