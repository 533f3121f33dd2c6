//! The group commit of new orders: whatever orders wait go to the writer as one job.

use super::{OrderError, check_links, exists, parse_id};
use crate::events::EventBus;
use crate::kitchen::{Firing, announce_fired, fire_in};
use crate::printing::Printing;
use crate::store::kitchen::KitchenTicket;
use crate::store::orders::{self, LineRow, Order, OrderRow, OrderState, Transition, TransitionRow};
use crate::store::{Db, StoreError};
use dysa_domain::ids::{OrderId, UserId};
use dysa_domain::order::{Channel, OrderStatus};
use dysa_domain::validate::FieldErrors;
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// The result of queueing an order.
#[derive(Debug)]
pub enum CreateOutcome {
    /// Written now.
    Fresh(Box<Order>),
    /// Made earlier by the same `Idempotency-Key` and body.
    Replay(OrderId),
}
/// An order validated and priced, waiting for its group commit.
#[derive(Debug)]
pub struct PendingOrder {
    pub(super) id: OrderId,
    pub(super) client_made_id: bool,
    pub(super) channel: Channel,
    pub(super) by: Option<UserId>,
    pub(super) business_date: String,
    pub(super) local_hour: i64,
    pub(super) created_at: String,
    pub(super) state: OrderState,
    pub(super) lines: Vec<LineRow>,
    pub(super) idempotency: Option<(String, String)>,
    /// Set (with the restaurant's time zone, for the printed ticket) when its course-less
    /// lines fire to the kitchen in the same transaction
    /// ([`dysa_domain::kitchen::AutoFire::OnPlacement`]).
    pub(super) fire_with: Option<jiff::tz::TimeZone>,
}

type Reply = tokio::sync::oneshot::Sender<Result<CreateOutcome, OrderError>>;

/// Batches new orders: whatever orders are waiting go to the writer as one job, which
/// checks each, takes their daily numbers with one statement per day and inserts all
/// their rows with one statement per table. Durable orders then cost a few statements
/// per group commit instead of several per order.
#[derive(Clone, Debug)]
pub struct OrderQueue {
    sender: tokio::sync::mpsc::Sender<(PendingOrder, Reply)>,
}

/// The most orders one batch carries.
const MAX_ORDER_BATCH: usize = 256;

impl OrderQueue {
    /// Starts the batching task over the writer.
    pub fn start(
        writer: crate::store::writer::Writer,
        db: Db,
        printing: Printing,
        events: EventBus,
    ) -> OrderQueue {
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<(PendingOrder, Reply)>(4096);
        // On the writer's thread: the batch cycle (gather, write, answer) then never waits
        // for a turn on the request runtime.
        writer.clone().spawn(async move {
            while let Some(first) = receiver.recv().await {
                let mut batch = vec![first];
                while batch.len() < MAX_ORDER_BATCH {
                    match receiver.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let (orders, replies): (Vec<PendingOrder>, Vec<Reply>) = batch.into_iter().unzip();
                let db = db.clone();
                let spooler = printing.clone();
                let result = writer
                    .write(move |conn| Box::pin(write_batch(conn, db, spooler, orders)))
                    .await;
                match result {
                    Ok(slots) => {
                        // A retry within the batch only needs the id of the order it repeats.
                        let fresh: Vec<Option<OrderId>> = slots
                            .iter()
                            .map(|slot| match slot {
                                Slot::Fresh(order, _) => Some(order.id),
                                _ => None,
                            })
                            .collect();
                        for (slot, reply) in slots.into_iter().zip(replies) {
                            let outcome = match slot {
                                Slot::Fresh(order, tickets) => {
                                    announce_fired(&printing, &events, &tickets);
                                    Ok(CreateOutcome::Fresh(order))
                                }
                                Slot::Replay(id) => Ok(CreateOutcome::Replay(id)),
                                Slot::SameAs(index) => match fresh[index] {
                                    Some(id) => Ok(CreateOutcome::Replay(id)),
                                    None => Err(OrderError::IdempotencyMismatch),
                                },
                                Slot::Failed(error) => Err(error),
                            };
                            let _ = reply.send(outcome);
                        }
                    }
                    Err(error) => {
                        let detail = error.to_string();
                        tracing::error!(%detail, orders = replies.len(), "order batch failed");
                        for reply in replies {
                            let _ = reply.send(Err(OrderError::Store(StoreError::CommitFailed(
                                detail.clone(),
                            ))));
                        }
                    }
                }
            }
        });
        OrderQueue { sender }
    }

    /// Queues an order and waits until it is durable (or refused).
    pub async fn submit(&self, order: PendingOrder) -> Result<CreateOutcome, OrderError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.sender.send((order, reply)).await.map_err(|_| {
            OrderError::Store(StoreError::CommitFailed(
                "the order queue has stopped".into(),
            ))
        })?;
        answer.await.unwrap_or_else(|_| {
            Err(OrderError::Store(StoreError::CommitFailed(
                "the order queue dropped the order".into(),
            )))
        })
    }
}

/// What became of one order of a batch.
enum Slot {
    /// Written, with the kitchen tickets it fired by itself.
    Fresh(Box<Order>, Vec<KitchenTicket>),
    Replay(OrderId),
    /// A retry of an order earlier in the same batch (same key and body).
    SameAs(usize),
    Failed(OrderError),
}

async fn write_batch(
    conn: &mut SqliteConnection,
    db: Db,
    printing: Printing,
    mut orders: Vec<PendingOrder>,
) -> Result<Vec<Slot>, OrderError> {
    let mut slots: Vec<Option<Slot>> = Vec::with_capacity(orders.len());
    let mut keys: HashMap<String, (String, usize)> = HashMap::new();
    let mut ids: std::collections::HashSet<OrderId> = std::collections::HashSet::new();
    let mut accepted: Vec<usize> = Vec::new();
    for (index, order) in orders.iter().enumerate() {
        if let Some((key, hash)) = &order.idempotency {
            if let Some((earlier_hash, earlier)) = keys.get(key) {
                slots.push(Some(if earlier_hash == hash {
                    Slot::SameAs(*earlier)
                } else {
                    Slot::Failed(OrderError::IdempotencyMismatch)
                }));
                continue;
            }
            if let Some((stored_hash, id)) =
                orders::idempotency_key(&mut *conn, key, "orders").await?
            {
                slots.push(Some(if &stored_hash == hash {
                    Slot::Replay(parse_id(&id)?)
                } else {
                    Slot::Failed(OrderError::IdempotencyMismatch)
                }));
                continue;
            }
        }
        if order.client_made_id
            && (ids.contains(&order.id) || exists(conn, "orders", &order.id.to_string()).await?)
        {
            slots.push(Some(Slot::Failed(OrderError::AlreadyExists(order.id))));
            continue;
        }
        let mut errors = FieldErrors::new();
        check_links(
            conn,
            &mut errors,
            order.state.customer_id,
            order.state.table_id,
        )
        .await?;
        if !errors.is_empty() {
            slots.push(Some(Slot::Failed(OrderError::Invalid(errors))));
            continue;
        }
        if let Some((key, hash)) = &order.idempotency {
            keys.insert(key.clone(), (hash.clone(), index));
        }
        ids.insert(order.id);
        accepted.push(index);
        slots.push(None);
    }
    // Daily numbers: one statement per business day in the batch, in arrival order.
    let mut numbers: HashMap<usize, i64> = HashMap::new();
    let mut days: Vec<&str> = accepted
        .iter()
        .map(|i| orders[*i].business_date.as_str())
        .collect();
    days.sort_unstable();
    days.dedup();
    for day in days {
        let of_day: Vec<usize> = accepted
            .iter()
            .copied()
            .filter(|i| orders[*i].business_date == day)
            .collect();
        let taken = orders::reserve_numbers(conn, day, of_day.len() as i64).await?;
        numbers.extend(of_day.into_iter().zip(taken));
    }
    // The rows move out of the pending orders: this runs inside the commit cycle that
    // every waiting order shares, so it copies nothing it can take.
    let mut rows = Vec::with_capacity(accepted.len());
    for index in &accepted {
        let order = &mut orders[*index];
        let hlc = db.tick();
        let mut lines = std::mem::take(&mut order.lines);
        for line in &mut lines {
            line.updated_at = hlc;
        }
        let transition = Transition {
            from: None,
            to: OrderStatus::Pending,
            reason: None,
            by_user: order.by,
            at: order.created_at.clone(),
        };
        rows.push(orders::NewOrderRows {
            row: OrderRow {
                id: order.id,
                number: numbers.get(index).copied().unwrap_or_default(),
                business_date: std::mem::take(&mut order.business_date),
                local_hour: order.local_hour,
                channel: order.channel,
                created_by: order.by,
                created_at: std::mem::take(&mut order.created_at),
                state: order.state.clone(),
                updated_at: hlc,
            },
            lines,
            transition: TransitionRow {
                id: uuid::Uuid::now_v7(),
                order_id: order.id,
                transition,
                updated_at: hlc,
            },
            idempotency: order.idempotency.take(),
        });
    }
    orders::insert_new_orders(conn, &rows).await?;
    let mut written = rows.into_iter();
    for (index, slot) in slots.iter_mut().enumerate() {
        if slot.is_none() {
            let Some(rows) = written.next() else { break };
            debug_assert_eq!(rows.row.id, orders[index].id);
            let order = order_view(rows);
            let tickets = match &orders[index].fire_with {
                Some(tz) => {
                    // A new order has no line on a ticket yet.
                    let firing = Firing {
                        order_id: order.id,
                        lines: &order.lines,
                        already_fired: &[],
                        course: None,
                        by: order.created_by,
                    };
                    fire_in(conn, &printing, tz, firing).await?
                }
                None => Vec::new(),
            };
            *slot = Some(Slot::Fresh(Box::new(order), tickets));
        }
    }
    Ok(slots
        .into_iter()
        .map(|slot| slot.unwrap_or(Slot::Failed(OrderError::NotFound)))
        .collect())
}

/// The order as clients see it, built from the rows just written.
fn order_view(rows: orders::NewOrderRows) -> Order {
    let state = rows.row.state;
    let summary = dysa_domain::payment::paid_state(state.amount_due, &[]);
    Order {
        id: rows.row.id,
        number: rows.row.number,
        business_date: rows.row.business_date,
        channel: rows.row.channel,
        status: state.status,
        customer_id: state.customer_id,
        table_id: state.table_id,
        covers: state.covers,
        waiter_id: state.waiter_id,
        bill_requested_at: state.bill_requested_at,
        note: state.note,
        lines: rows.lines.into_iter().map(|l| l.line).collect(),
        subtotal: state.subtotal,
        discount: state.discount,
        total: state.total,
        net: state.net,
        tax: state.tax,
        tax_rate_bp: state.tax_rate_bp,
        tip: state.tip,
        amount_due: state.amount_due,
        rounding_rule: dysa_domain::money::ROUNDING_RULE.to_owned(),
        payment: summary,
        cash_balance: orders::cash_balance(summary.balance),
        cancel_reason: None,
        cancel_request: None,
        transitions: vec![rows.transition.transition],
        created_by: rows.row.created_by,
        created_at: rows.row.created_at,
        updated_at: rows.row.updated_at.to_string(),
    }
}
