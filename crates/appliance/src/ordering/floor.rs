//! A table's tab: opening a table with its covers and waiter, and the diners asking for
//! the bill. The tab is an order of channel `dine_in` on the table, open across rounds
//! (lines are added with [`super::append_lines`]); the floor's rules are in
//! [`dysa_domain::floor`].

use super::idempotent::Keyed;
use super::lifecycle::{current_lines, recompute};
use super::{OrderDesk, OrderError, load, publish};
use crate::audit::Actor;
use crate::events::EventKind;
use crate::store::kitchen as kitchen_store;
use crate::store::orders::{self, LineRow, Order, OrderRow, OrderState, Transition, TransitionRow};
use crate::store::{instant_text, tables as table_store, users};
use dysa_domain::floor::{
    CopiedLine, Covers, Destination, MoveError, TabLine, TabMove, doubled_copies, plan_move,
};
use dysa_domain::ids::{OrderId, OrderLineId, TableId, UserId};
use dysa_domain::money::Clp;
use dysa_domain::order::{Channel, OrderStatus, order_totals};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};

/// Opening a table: how many sit down and who serves them.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
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
/// `table_occupied`. With an `Idempotency-Key`, a retried open answers the tab the first
/// one opened (the bool is true for such a replay).
pub async fn open_tab(
    desk: &OrderDesk,
    by: Option<UserId>,
    table_id: TableId,
    input: OpenTable,
    key: Option<String>,
) -> Result<(Order, bool), OrderError> {
    let keyed = Keyed::of(key, "table_open", &table_id.to_string(), &input)?;
    let settings = desk.restaurant.get(&desk.db.read).await?;
    let rate = settings.tax_rate();
    let now = jiff::Timestamp::now();
    let local = now.to_zoned(settings.tz());
    let db = desk.db.clone();
    let (order, replayed) = desk
        .writer
        .write(move |conn| {
            Box::pin(async move {
                if let Some(keyed) = &keyed
                    && let Some(id) = keyed.replayed(conn).await?
                {
                    let tab = orders::load(conn, id).await?.ok_or(OrderError::NotFound)?;
                    return Ok((tab, true));
                }
                let table = table_store::find(&mut *conn, table_id)
                    .await?
                    .filter(|t| t.active)
                    .ok_or(OrderError::TableNotFound)?;
                let holding = table_store::table_use(conn, table.id, now).await?;
                if let Some(open) = holding.open_order {
                    return Err(OrderError::TableOccupied(open));
                }
                let waiter = input.waiter_id.or(by);
                // Whoever serves the table must be able to take its orders: a viewer
                // (an accountant, an owner looking in) is never a tab's waiter.
                if let Some(waiter) = waiter
                    && !users::find(&mut *conn, waiter).await?.is_some_and(|u| {
                        u.active && u.role.allows(dysa_domain::rbac::Permission::OrdersCreate)
                    })
                {
                    let mut errors = FieldErrors::new();
                    errors.add(
                        "waiter_id",
                        FieldIssue::Other {
                            es: "no es alguien del personal que atienda mesas".into(),
                            en: "is not staff who can serve a table".into(),
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
                if let Some(keyed) = &keyed {
                    keyed.remember(conn, id).await?;
                }
                let tab = orders::load(conn, id).await?.ok_or(OrderError::NotFound)?;
                Ok::<_, OrderError>((tab, false))
            })
        })
        .await?;
    if !replayed {
        publish(desk, EventKind::OrderCreated, &order);
    }
    Ok((order, replayed))
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

/// Moving a tab to another table ("cambiar de mesa"), or merging it into the tab open
/// there ("juntar mesas").
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveTab {
    /// The table the diners go to.
    pub table_id: TableId,
    /// Merge into the tab open there; without it an occupied table answers 409
    /// `table_occupied`.
    #[serde(default)]
    pub merge: bool,
}

/// What a move did: the tab the diners are now on, and the tables whose state changed.
#[derive(Clone, Debug)]
pub struct Moved {
    /// The tab at the target table: the moved tab itself, or the tab it merged into.
    pub tab: Order,
    /// The merged tab, closed (cancelled with its lines carried), when it was a merge.
    pub closed: Option<Order>,
    /// The table left (now "por limpiar") and the table sat at.
    pub tables: [TableId; 2],
}

/// Moves a tab to another table, or merges it into the tab there (see
/// [`dysa_domain::floor::plan_move`]). In one writer transaction:
/// - a relocation changes the tab's table;
/// - a merge voids each live line of the moved tab ("trasladada a la mesa …", by whom)
///   and adds a copy to the target tab (by whom), carries its covers, discount and tip,
///   and cancels the emptied tab. A carried line keeps its kitchen state: its kitchen
///   ticket points at the copy, so "Marchar" on the target never sends it again and the
///   kitchen screen shows it under the new table, bumped or not as it was;
/// - the table left waits to be cleaned (people sat at it), the table reached is clean.
pub async fn move_tab(
    desk: &OrderDesk,
    by: Option<UserId>,
    id: OrderId,
    input: MoveTab,
) -> Result<Moved, OrderError> {
    let db = desk.db.clone();
    let moved = desk
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let source = orders::load(conn, id).await?.ok_or(OrderError::NotFound)?;
                if source.status.is_terminal() {
                    return Err(OrderError::Closed(source.status));
                }
                let from_table = match (source.channel, source.table_id) {
                    (Channel::DineIn, Some(table)) => table,
                    _ => return Err(OrderError::NotATab),
                };
                let table = table_store::find(&mut *conn, input.table_id)
                    .await?
                    .filter(|t| t.active)
                    .ok_or(OrderError::TableNotFound)?;
                let now = jiff::Timestamp::now();
                let holding = table_store::table_use(conn, table.id, now).await?;
                let target = match holding.open_order {
                    Some(open) if open != source.id => Some(
                        orders::load(conn, open)
                            .await?
                            .ok_or(OrderError::NotFound)?,
                    ),
                    _ => None,
                };
                let lines: Vec<TabLine> = source
                    .lines
                    .iter()
                    .map(|l| TabLine {
                        id: l.id,
                        amount: l.line_total,
                        voided: l.voided,
                    })
                    .collect();
                let plan = plan_move(
                    &lines,
                    source.payment.paid,
                    Destination {
                        same_table: from_table == table.id,
                        occupied: target.is_some(),
                        merge: input.merge,
                    },
                    OrderLineId::new,
                )
                .map_err(|error| match (error, &target) {
                    (MoveError::TableOccupied, Some(open)) => OrderError::TableOccupied(open.id),
                    (error, _) => OrderError::Move(error),
                })?;
                let hlc = db.tick();
                let at = instant_text(now);
                let moved = match plan {
                    TabMove::Relocate => {
                        let mut next = OrderState::of(&source);
                        next.table_id = Some(table.id);
                        orders::update_state(conn, source.id, &next, hlc).await?;
                        let tab = orders::load(conn, source.id)
                            .await?
                            .ok_or(OrderError::NotFound)?;
                        Moved {
                            tab,
                            closed: None,
                            tables: [from_table, table.id],
                        }
                    }
                    TabMove::Merge(carried) => {
                        let Some(target) = target else {
                            return Err(OrderError::Move(MoveError::NothingToMerge));
                        };
                        if target.channel != Channel::DineIn {
                            return Err(OrderError::TableOccupied(target.id));
                        }
                        let reason = format!("trasladada a la mesa {}", table.name);
                        let mut position = target.lines.len() as i64;
                        for carry in &carried {
                            let Some(line) = source.lines.iter().find(|l| l.id == carry.from)
                            else {
                                continue;
                            };
                            let mut copy = line.clone();
                            copy.id = carry.to;
                            // On the table it joins, the line starts on that tab's own bill.
                            copy.bill = None;
                            copy.moved_from = Some(line.id);
                            orders::save_line(
                                conn,
                                &LineRow {
                                    line: copy,
                                    order_id: target.id,
                                    position,
                                    created_by: by,
                                    voided_at: None,
                                    voided_by: None,
                                    created_at: at.clone(),
                                    updated_at: hlc,
                                },
                            )
                            .await?;
                            position += 1;
                            let mut voided = line.clone();
                            voided.voided = true;
                            voided.void_reason = Some(reason.clone());
                            let place = source
                                .lines
                                .iter()
                                .position(|l| l.id == line.id)
                                .unwrap_or_default();
                            orders::save_line(
                                conn,
                                &LineRow {
                                    line: voided,
                                    order_id: source.id,
                                    position: place as i64,
                                    created_by: None,
                                    voided_at: Some(at.clone()),
                                    voided_by: by,
                                    created_at: source.created_at.clone(),
                                    updated_at: hlc,
                                },
                            )
                            .await?;
                            kitchen_store::carry_line(conn, carry.from, carry.to).await?;
                        }
                        kitchen_store::carry_tickets(conn, source.id, target.id).await?;
                        // The emptied tab: every line voided, nothing to charge; it ends
                        // cancelled, saying where its diners went.
                        let mut emptied = recompute(&source, &[], Clp::ZERO, Clp::ZERO)?;
                        emptied.status = OrderStatus::Cancelled;
                        let why = format!("unida a la mesa {}", table.name);
                        emptied.cancel_reason = Some(why.clone());
                        orders::update_state(conn, source.id, &emptied, hlc).await?;
                        orders::insert_transition(
                            conn,
                            &TransitionRow {
                                id: uuid::Uuid::now_v7(),
                                order_id: source.id,
                                transition: Transition {
                                    from: Some(source.status),
                                    to: OrderStatus::Cancelled,
                                    reason: Some(why),
                                    by_user: by,
                                    at: at.clone(),
                                },
                                updated_at: hlc,
                            },
                        )
                        .await?;
                        // The tab it joined: its lines and the carried ones, its covers and
                        // the moved tab's, the two discounts and tips together.
                        let mut all = current_lines(&target);
                        all.extend(
                            current_lines(&source)
                                .into_iter()
                                .filter(|l| !l.line.voided),
                        );
                        let mut joined = recompute(
                            &target,
                            &all,
                            Clp(target.bill_discount().pesos() + source.bill_discount().pesos()),
                            Clp(target.tip.pesos() + source.tip.pesos()),
                        )?;
                        joined.covers = match (target.covers, source.covers) {
                            (Some(a), Some(b)) => Some(a.merged(b)),
                            (a, b) => a.or(b),
                        };
                        orders::update_state(conn, target.id, &joined, hlc).await?;
                        let tab = orders::load(conn, target.id)
                            .await?
                            .ok_or(OrderError::NotFound)?;
                        let closed = orders::load(conn, source.id)
                            .await?
                            .ok_or(OrderError::NotFound)?;
                        Moved {
                            tab,
                            closed: Some(closed),
                            tables: [from_table, table.id],
                        }
                    }
                };
                // People sat at the table left; the table reached has them now.
                table_store::set_needs_cleaning(conn, from_table, true, hlc).await?;
                table_store::set_needs_cleaning(conn, table.id, false, db.tick()).await?;
                Ok::<_, OrderError>(moved)
            })
        })
        .await?;
    if let Some(closed) = &moved.closed {
        publish(desk, EventKind::OrderUpdated, closed);
    }
    publish(desk, EventKind::OrderUpdated, &moved.tab);
    Ok(moved)
}

/// Why the rule for doubled merges voids a copy (Spanish first, like every void reason).
pub const DOUBLED_MERGE_REASON: &str = "ya trasladada a otra mesa";

/// Applies the rule for doubled merges ([`dysa_domain::floor::doubled_copies`]) to the
/// lines this counter holds: every copy of a merged line but the first is voided, as this
/// appliance (no staff member), so food two counters carried to two tables offline is
/// charged once. Runs after each pull; every counter voids the same copies, and a copy on
/// a tab that closed meanwhile stays (money taken is for staff to refund). Returns the
/// copies it voided.
pub async fn settle_doubled_merges(desk: &OrderDesk) -> Result<Vec<OrderLineId>, OrderError> {
    let copies = {
        let mut conn = desk.db.read.acquire().await?;
        orders::doubled_copy_candidates(&mut conn).await?
    };
    let lines: Vec<CopiedLine> = copies.iter().map(|(_, c)| *c).collect();
    let mut voided = Vec::new();
    for line in doubled_copies(&lines) {
        let Some((order, _)) = copies.iter().find(|(_, c)| c.id == line) else {
            continue;
        };
        let actor = Actor::anonymous(desk.db.device_id(), Some("sync"));
        match super::void_line(desk, &actor, *order, line, DOUBLED_MERGE_REASON.to_owned()).await {
            Ok(_) => voided.push(line),
            Err(OrderError::Closed(_) | OrderError::LineAlreadyVoided) => {
                tracing::warn!(%line, %order, "a doubled merge's copy is on a closed tab; staff refund it");
            }
            Err(error) => return Err(error),
        }
    }
    Ok(voided)
}
