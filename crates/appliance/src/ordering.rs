//! Order and payment operations: create (idempotent, priced by the server), move through
//! the status machine, append and void lines, adjust discount and tip, take payments and
//! refunds. Every write runs on the group-commit writer, so it is acknowledged only once
//! it is on disk, and a failure rolls back all of its rows.

use crate::events::EventKind;
use crate::state::AppState;
use crate::store::menu::{PricingItem, items_for_pricing};
use crate::store::orders::{
    self, LineRow, Order, OrderLine, OrderRow, OrderState, Payment, Transition, TransitionRow,
};
use crate::store::{StoreError, instant_text};
use dysa_domain::ids::{
    CustomerId, ItemId, ModifierOptionId, OrderId, OrderLineId, PaymentId, TableId, UserId,
};
use dysa_domain::menu::{LineError, price_line};
use dysa_domain::money::{Clp, TaxRate};
use dysa_domain::order::{
    CancelOutcome, CancelRequest, Channel, OrderStatus, TotalsError, TotalsLine, TransitionError,
    check_transition, order_totals,
};
use dysa_domain::payment::{PaymentError, PaymentMethod, validate_payment, validate_refund};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// Most lines one order may carry (more is a mistake, not a meal).
pub const MAX_LINES: usize = 200;

/// Why an order operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    /// Invalid input, field by field.
    #[error("invalid order")]
    Invalid(FieldErrors),
    /// No such order (or payment).
    #[error("not found")]
    NotFound,
    /// The same `Idempotency-Key` came with a different body.
    #[error("idempotency key reused with another body")]
    IdempotencyMismatch,
    /// An order with the client's id already exists.
    #[error("order {0} exists")]
    AlreadyExists(OrderId),
    /// The status change is not allowed.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// The order is completed or cancelled; it can no longer change.
    #[error("order is {0}")]
    Closed(OrderStatus),
    /// The order has no unanswered cancel request.
    #[error("no pending cancel request")]
    NoCancelRequest,
    /// The line was already voided.
    #[error("line already voided")]
    LineAlreadyVoided,
    /// The change would make the discount larger than the subtotal.
    #[error("discount exceeds subtotal")]
    DiscountExceedsSubtotal,
    /// The payment is not acceptable.
    #[error(transparent)]
    Payment(#[from] PaymentError),
    /// Only payments (not refunds) can be refunded.
    #[error("a refund cannot be refunded")]
    RefundOfRefund,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for OrderError {
    fn from(error: sqlx::Error) -> Self {
        OrderError::Store(StoreError::Sqlx(error))
    }
}

/// One requested line. Unknown fields (a client's `unit_price`, say) are ignored: the
/// server prices every line itself.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewLine {
    /// The menu item.
    pub item_id: ItemId,
    /// How many (1–999).
    pub quantity: u32,
    /// Chosen modifier options.
    #[serde(default)]
    pub modifiers: Vec<ModifierOptionId>,
    /// Note for the kitchen.
    #[serde(default)]
    pub note: Option<String>,
}

/// A new order. Prices are never taken from the client: the server prices every line, and
/// fields it does not know (`total`, `unit_price`) are ignored.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewOrder {
    /// Id made by the client where the order was born (optional; UUIDv7).
    #[serde(default)]
    pub id: Option<OrderId>,
    /// Where it comes from.
    pub channel: Channel,
    /// What was ordered.
    pub lines: Vec<NewLine>,
    /// The diner, if known.
    #[serde(default)]
    pub customer_id: Option<CustomerId>,
    /// The table, for dine-in.
    #[serde(default)]
    pub table_id: Option<TableId>,
    /// Discount in pesos (IVA included), at most the subtotal.
    #[serde(default)]
    pub discount: Option<Clp>,
    /// Voluntary tip in pesos.
    #[serde(default)]
    pub tip: Option<Clp>,
    /// Note for the whole order.
    #[serde(default)]
    pub note: Option<String>,
}

/// The result of a create: the order, and whether it was a replay of an earlier request.
#[derive(Debug)]
pub struct Created {
    /// The order.
    pub order: Order,
    /// True when the `Idempotency-Key` had already created it.
    pub replayed: bool,
}

fn check_note(errors: &mut FieldErrors, field: &str, note: Option<&str>) {
    errors.optional_text(field, note, 500);
}

fn check_lines(errors: &mut FieldErrors, prefix: &str, lines: &[NewLine]) {
    if lines.is_empty() {
        errors.add(prefix, FieldIssue::Required);
    }
    if lines.len() > MAX_LINES {
        errors.add(
            prefix,
            FieldIssue::OutOfRange {
                min: 1,
                max: MAX_LINES as i64,
            },
        );
    }
    for (i, line) in lines.iter().enumerate() {
        if !(1..=dysa_domain::menu::MAX_QUANTITY).contains(&line.quantity) {
            errors.add(
                format!("{prefix}[{i}].quantity"),
                FieldIssue::OutOfRange {
                    min: 1,
                    max: i64::from(dysa_domain::menu::MAX_QUANTITY),
                },
            );
        }
        // The field name is only needed when there is a note to check.
        if let Some(note) = line.note.as_deref() {
            check_note(errors, &format!("{prefix}[{i}].note"), Some(note));
        }
    }
}

fn money_field(errors: &mut FieldErrors, field: &str, value: Option<Clp>) {
    if let Some(value) = value
        && (value.is_negative() || value > Clp(100_000_000))
    {
        errors.add(
            field,
            FieldIssue::OutOfRange {
                min: 0,
                max: 100_000_000,
            },
        );
    }
}

fn line_issue(error: &LineError) -> FieldIssue {
    let (es, en) = match error {
        LineError::QuantityOutOfRange(_) => {
            ("cantidad fuera de rango".to_owned(), error.to_string())
        }
        LineError::UnknownOption(_) => (
            "una opción no corresponde a este producto".to_owned(),
            error.to_string(),
        ),
        LineError::OptionUnavailable { name, .. } => {
            (format!("la opción {name} está agotada"), error.to_string())
        }
        LineError::DuplicateOption(_) => (
            "una opción se eligió dos veces".to_owned(),
            error.to_string(),
        ),
        LineError::TooFewChoices { name, min, .. } => {
            (format!("elige al menos {min} en {name}"), error.to_string())
        }
        LineError::TooManyChoices { name, max, .. } => (
            format!("elige como máximo {max} en {name}"),
            error.to_string(),
        ),
        other => (
            "no se pudo calcular el precio".to_owned(),
            other.to_string(),
        ),
    };
    FieldIssue::Other { es, en }
}

/// Where new lines go: their order, first position, author and HLC stamp.
struct LinePlacement {
    order_id: OrderId,
    first_position: i64,
    by: Option<UserId>,
    hlc: dysa_domain::hlc::Hlc,
    /// When the lines were taken (stored instant text).
    created_at: String,
}

/// Prices requested lines against the live menu. Unknown, deleted or sold-out items and
/// bad modifier choices become field errors under `lines[i]`.
fn price_lines<'m>(
    errors: &mut FieldErrors,
    lines: &[NewLine],
    item: impl Fn(&ItemId) -> Option<&'m PricingItem>,
    at: LinePlacement,
) -> Vec<LineRow> {
    let LinePlacement {
        order_id,
        first_position,
        by,
        hlc,
        created_at,
    } = at;
    let mut rows = Vec::with_capacity(lines.len());
    for (i, requested) in lines.iter().enumerate() {
        // Field names are only made for an error (most orders have none).
        let field = || format!("lines[{i}]");
        let Some(item) = item(&requested.item_id).filter(|item| item.live) else {
            errors.add(
                format!("{}.item_id", field()),
                FieldIssue::Other {
                    es: "el producto no existe".into(),
                    en: "no such menu item".into(),
                },
            );
            continue;
        };
        if !item.available {
            errors.add(
                format!("{}.item_id", field()),
                FieldIssue::Other {
                    es: format!("{} está agotado", item.name),
                    en: format!("{} is sold out", item.name),
                },
            );
            continue;
        }
        match price_line(
            item.price,
            &item.groups,
            &requested.modifiers,
            requested.quantity,
        ) {
            Ok(priced) => rows.push(LineRow {
                line: OrderLine {
                    id: OrderLineId::new(),
                    item_id: item.id,
                    name: item.name.clone(),
                    quantity: priced.quantity,
                    unit_price: priced.unit_price,
                    line_total: priced.line_total,
                    modifiers: priced.modifiers,
                    note: requested
                        .note
                        .as_ref()
                        .map(|n| n.trim().to_owned())
                        .filter(|n| !n.is_empty()),
                    station: item.station,
                    voided: false,
                    void_reason: None,
                },
                order_id,
                position: first_position + i as i64,
                created_by: by,
                voided_at: None,
                voided_by: None,
                created_at: created_at.clone(),
                updated_at: hlc,
            }),
            Err(error) => errors.add(format!("{}.modifiers", field()), line_issue(&error)),
        }
    }
    rows
}

fn totals_error(error: TotalsError) -> OrderError {
    let mut errors = FieldErrors::new();
    match error {
        TotalsError::DiscountOutOfRange { subtotal, .. } => errors.add(
            "discount",
            FieldIssue::Other {
                es: format!("debe estar entre $0 y el subtotal ({subtotal})"),
                en: format!("must be between $0 and the subtotal ({subtotal})"),
            },
        ),
        TotalsError::NegativeTip => errors.add(
            "tip",
            FieldIssue::OutOfRange {
                min: 0,
                max: 100_000_000,
            },
        ),
        other => errors.add(
            "lines",
            FieldIssue::Other {
                es: "el total está fuera de rango".into(),
                en: other.to_string(),
            },
        ),
    }
    OrderError::Invalid(errors)
}

/// The SHA-256 of the request as parsed, so the same order sent twice with different
/// whitespace still counts as the same body.
fn request_hash(input: &NewOrder) -> Result<String, StoreError> {
    let canonical = serde_json::to_vec(input)?;
    Ok(Sha256::digest(&canonical)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

async fn exists(
    conn: &mut SqliteConnection,
    table: &'static str,
    id: &str,
) -> Result<bool, StoreError> {
    let sql = match table {
        "customers" => "SELECT 1 FROM customers WHERE id = ? AND deleted_at IS NULL",
        "dining_tables" => {
            "SELECT 1 FROM dining_tables WHERE id = ? AND deleted_at IS NULL AND active = 1"
        }
        _ => "SELECT 1 FROM orders WHERE id = ?",
    };
    Ok(sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .is_some())
}

async fn check_links(
    conn: &mut SqliteConnection,
    errors: &mut FieldErrors,
    customer: Option<CustomerId>,
    table: Option<TableId>,
) -> Result<(), StoreError> {
    if let Some(customer) = customer
        && !exists(conn, "customers", &customer.to_string()).await?
    {
        errors.add(
            "customer_id",
            FieldIssue::Other {
                es: "el cliente no existe".into(),
                en: "no such customer".into(),
            },
        );
    }
    if let Some(table) = table
        && !exists(conn, "dining_tables", &table.to_string()).await?
    {
        errors.add(
            "table_id",
            FieldIssue::Other {
                es: "la mesa no existe".into(),
                en: "no such table".into(),
            },
        );
    }
    Ok(())
}

/// The result of queueing an order.
#[derive(Debug)]
pub enum CreateOutcome {
    /// Written now.
    Fresh(Box<Order>),
    /// Made earlier by the same `Idempotency-Key` and body.
    Replay(OrderId),
}

/// Creates an order: validates, prices every line from the menu, computes totals and the
/// daily number, and stores header, lines, first transition and outbox rows in one
/// transaction. With an `Idempotency-Key`, the same key and body return the same order.
pub async fn create(
    state: &AppState,
    by: Option<UserId>,
    input: NewOrder,
    idempotency_key: Option<String>,
) -> Result<Created, OrderError> {
    let mut errors = FieldErrors::new();
    check_lines(&mut errors, "lines", &input.lines);
    check_note(&mut errors, "note", input.note.as_deref());
    money_field(&mut errors, "discount", input.discount);
    money_field(&mut errors, "tip", input.tip);
    if let Some(key) = &idempotency_key
        && (key.is_empty() || key.len() > 255)
    {
        errors.add("Idempotency-Key", FieldIssue::TooLong { max: 255 });
    }
    errors.into_result().map_err(OrderError::Invalid)?;
    // Only a keyed request needs its body fingerprint.
    let idempotency = match idempotency_key {
        Some(key) => Some((key, request_hash(&input)?)),
        None => None,
    };
    if let Some((key, hash)) = &idempotency
        && let Some((stored_hash, id)) =
            orders::idempotency_key(&state.db.read, key, "orders").await?
    {
        return replay(state, hash, &stored_hash, &id).await;
    }
    let settings = state.restaurant.get(&state.db.read).await?;
    let tz = settings.tz();
    // Pricing reads the menu from memory (reloaded after every menu change), in parallel
    // with other requests; only the writes queue on the single writer.
    let id = input.id.unwrap_or_default();
    let ids: Vec<ItemId> = input.lines.iter().map(|l| l.item_id).collect();
    let items = state.db.menu_cache.items(&state.db.read, &ids).await?;
    let mut errors = FieldErrors::new();
    // One instant for the order and its lines (formatting it is not free).
    let now = jiff::Timestamp::now();
    let created_at = instant_text(now);
    let placement = LinePlacement {
        order_id: id,
        first_position: 0,
        by,
        hlc: dysa_domain::hlc::Hlc::ZERO,
        created_at: created_at.clone(),
    };
    let lines = price_lines(&mut errors, &input.lines, |id| items.get(id), placement);
    errors.into_result().map_err(OrderError::Invalid)?;
    let totals_lines: Vec<TotalsLine> = lines
        .iter()
        .map(|l| TotalsLine {
            unit_price: l.line.unit_price,
            quantity: l.line.quantity,
            voided: false,
        })
        .collect();
    let totals = order_totals(
        &totals_lines,
        input.discount.unwrap_or(Clp::ZERO),
        input.tip.unwrap_or(Clp::ZERO),
        settings.tax_rate(),
    )
    .map_err(totals_error)?;
    let local = now.to_zoned(tz);
    let totals_state = OrderState {
        status: OrderStatus::Pending,
        customer_id: input.customer_id,
        table_id: input.table_id,
        note: input
            .note
            .as_ref()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty()),
        subtotal: totals.subtotal,
        discount: totals.discount,
        total: totals.total,
        net: totals.net,
        tax: totals.tax,
        tax_rate_bp: totals.tax_rate.basis_points(),
        tip: totals.tip,
        amount_due: totals.amount_due,
        cancel_reason: None,
    };
    let pending = PendingOrder {
        id,
        client_made_id: input.id.is_some(),
        channel: input.channel,
        by,
        business_date: local.date().to_string(),
        local_hour: i64::from(local.hour()),
        created_at,
        state: totals_state,
        lines,
        idempotency,
    };
    match state.order_queue.submit(pending).await? {
        CreateOutcome::Fresh(order) => {
            publish(state, EventKind::OrderCreated, &order);
            Ok(Created {
                order: *order,
                replayed: false,
            })
        }
        CreateOutcome::Replay(id) => Ok(Created {
            order: load(state, id).await?,
            replayed: true,
        }),
    }
}

/// An order validated and priced, waiting for its group commit.
#[derive(Debug)]
pub struct PendingOrder {
    id: OrderId,
    client_made_id: bool,
    channel: Channel,
    by: Option<UserId>,
    business_date: String,
    local_hour: i64,
    created_at: String,
    state: OrderState,
    lines: Vec<LineRow>,
    idempotency: Option<(String, String)>,
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
    pub fn start(writer: crate::store::writer::Writer, db: crate::store::Db) -> OrderQueue {
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
                let result = writer
                    .write(move |conn| Box::pin(write_batch(conn, db, orders)))
                    .await;
                match result {
                    Ok(slots) => {
                        // A retry within the batch only needs the id of the order it repeats.
                        let fresh: Vec<Option<OrderId>> = slots
                            .iter()
                            .map(|slot| match slot {
                                Slot::Fresh(order) => Some(order.id),
                                _ => None,
                            })
                            .collect();
                        for (slot, reply) in slots.into_iter().zip(replies) {
                            let outcome = match slot {
                                Slot::Fresh(order) => Ok(CreateOutcome::Fresh(order)),
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
    Fresh(Box<Order>),
    Replay(OrderId),
    /// A retry of an order earlier in the same batch (same key and body).
    SameAs(usize),
    Failed(OrderError),
}

async fn write_batch(
    conn: &mut SqliteConnection,
    db: crate::store::Db,
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
        let first = orders::reserve_numbers(conn, day, of_day.len() as i64).await?;
        for (offset, index) in of_day.into_iter().enumerate() {
            numbers.insert(index, first + offset as i64);
        }
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
            *slot = Some(Slot::Fresh(Box::new(order_view(rows))));
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

async fn replay(
    state: &AppState,
    hash: &str,
    stored_hash: &str,
    id: &str,
) -> Result<Created, OrderError> {
    if stored_hash != hash {
        return Err(OrderError::IdempotencyMismatch);
    }
    Ok(Created {
        order: load(state, parse_id(id)?).await?,
        replayed: true,
    })
}

fn parse_id(id: &str) -> Result<OrderId, StoreError> {
    id.parse().map_err(|e: uuid::Error| StoreError::Corrupt {
        table: "idempotency_keys",
        detail: e.to_string(),
    })
}

/// Loads one order.
pub async fn load(state: &AppState, id: OrderId) -> Result<Order, OrderError> {
    let mut conn = state.db.read.acquire().await?;
    orders::load(&mut conn, id)
        .await?
        .ok_or(OrderError::NotFound)
}

/// Tells open panels about an order (after its commit), with the summary the board shows.
pub fn publish(state: &AppState, kind: EventKind, order: &Order) {
    // With no panel listening the event would be dropped; skip building it.
    if !state.events.has_subscribers() {
        return;
    }
    state.events.publish(
        kind,
        order.id.to_string(),
        serde_json::json!({
            "number": order.number,
            "status": order.status,
            "channel": order.channel,
            "total": order.total,
            "table_id": order.table_id,
            "paid": order.payment.state,
        }),
    );
}

/// Runs `change` on the loaded order inside the writer and stores the resulting state;
/// publishes `order.updated` after the commit and returns the order as stored.
async fn modify<F>(state: &AppState, id: OrderId, change: F) -> Result<Order, OrderError>
where
    F: for<'c> FnOnce(
            &'c mut SqliteConnection,
            Order,
            dysa_domain::hlc::Hlc,
        ) -> futures::future::BoxFuture<'c, Result<OrderState, OrderError>>
        + Send
        + 'static,
{
    let db = state.db.clone();
    let order = state
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let order = orders::load(conn, id).await?.ok_or(OrderError::NotFound)?;
                let hlc = db.tick();
                let next = change(conn, order, hlc).await?;
                orders::update_state(conn, id, &next, hlc).await?;
                orders::load(conn, id).await?.ok_or(OrderError::NotFound)
            })
        })
        .await?;
    publish(state, EventKind::OrderUpdated, &order);
    Ok(order)
}

fn ensure_open(order: &Order) -> Result<(), OrderError> {
    if order.status.is_terminal() {
        Err(OrderError::Closed(order.status))
    } else {
        Ok(())
    }
}

fn recompute(
    order: &Order,
    lines: &[TotalsLine],
    discount: Clp,
    tip: Clp,
) -> Result<OrderState, OrderError> {
    let rate = TaxRate::from_basis_points(order.tax_rate_bp).unwrap_or_default();
    let totals = order_totals(lines, discount, tip, rate).map_err(|error| match error {
        TotalsError::DiscountOutOfRange { .. } if discount == order.discount => {
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

fn current_lines(order: &Order) -> Vec<TotalsLine> {
    order
        .lines
        .iter()
        .map(|l| TotalsLine {
            unit_price: l.unit_price,
            quantity: l.quantity,
            voided: l.voided,
        })
        .collect()
}

/// Moves an order along its status machine (forward only; `cancelled` needs a reason).
pub async fn change_status(
    state: &AppState,
    by: Option<UserId>,
    id: OrderId,
    to: OrderStatus,
    reason: Option<String>,
) -> Result<Order, OrderError> {
    let reason = reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if let Some(reason) = &reason {
        let mut errors = FieldErrors::new();
        errors.optional_text("reason", Some(reason), 500);
        errors.into_result().map_err(OrderError::Invalid)?;
    }
    modify(state, id, move |conn, order, hlc| {
        Box::pin(async move {
            check_transition(order.status, to, reason.as_deref())?;
            let mut next = OrderState::of(&order);
            next.status = to;
            if to == OrderStatus::Cancelled {
                next.cancel_reason = reason.clone();
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
            Ok(next)
        })
    })
    .await
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
    state: &AppState,
    by: Option<UserId>,
    id: OrderId,
) -> Result<Order, OrderError> {
    let db = state.db.clone();
    let order = state
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
    publish(state, EventKind::OrderUpdated, &order);
    Ok(order)
}

/// Appends lines to an open order (the kitchen gets only the new ones).
pub async fn append_lines(
    state: &AppState,
    by: Option<UserId>,
    id: OrderId,
    lines: Vec<NewLine>,
) -> Result<Order, OrderError> {
    let mut errors = FieldErrors::new();
    check_lines(&mut errors, "lines", &lines);
    errors.into_result().map_err(OrderError::Invalid)?;
    modify(state, id, move |conn, order, hlc| {
        Box::pin(async move {
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
            all.extend(rows.iter().map(|r| TotalsLine {
                unit_price: r.line.unit_price,
                quantity: r.line.quantity,
                voided: false,
            }));
            let next = recompute(&order, &all, order.discount, order.tip)?;
            for row in &rows {
                orders::save_line(conn, row).await?;
            }
            Ok(next)
        })
    })
    .await
}

/// Voids one line of an open order, keeping it on record.
pub async fn void_line(
    state: &AppState,
    by: Option<UserId>,
    id: OrderId,
    line_id: OrderLineId,
    reason: String,
) -> Result<Order, OrderError> {
    let mut errors = FieldErrors::new();
    errors.text("reason", &reason, 500);
    errors.into_result().map_err(OrderError::Invalid)?;
    modify(state, id, move |conn, order, hlc| {
        Box::pin(async move {
            ensure_open(&order)?;
            let Some(position) = order.lines.iter().position(|l| l.id == line_id) else {
                return Err(OrderError::NotFound);
            };
            let line = &order.lines[position];
            if line.voided {
                return Err(OrderError::LineAlreadyVoided);
            }
            let mut all = current_lines(&order);
            all[position].voided = true;
            let next = recompute(&order, &all, order.discount, order.tip)?;
            let mut voided = line.clone();
            voided.voided = true;
            voided.void_reason = Some(reason.trim().to_owned());
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
    /// New discount (at most the subtotal).
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
pub async fn update(state: &AppState, id: OrderId, patch: OrderPatch) -> Result<Order, OrderError> {
    let mut errors = FieldErrors::new();
    money_field(&mut errors, "discount", patch.discount);
    money_field(&mut errors, "tip", patch.tip);
    check_note(&mut errors, "note", patch.note.as_deref());
    errors.into_result().map_err(OrderError::Invalid)?;
    modify(state, id, move |conn, order, _hlc| {
        Box::pin(async move {
            ensure_open(&order)?;
            let mut errors = FieldErrors::new();
            check_links(conn, &mut errors, patch.customer_id, patch.table_id).await?;
            errors.into_result().map_err(OrderError::Invalid)?;
            let discount = patch.discount.unwrap_or(order.discount);
            let tip = patch.tip.unwrap_or(order.tip);
            let mut next =
                recompute(&order, &current_lines(&order), discount, tip).map_err(|error| {
                    match error {
                        OrderError::DiscountExceedsSubtotal => {
                            totals_error(TotalsError::DiscountOutOfRange {
                                discount,
                                subtotal: order.subtotal,
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
            Ok(next)
        })
    })
    .await
}

/// A payment toward an order.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPayment {
    /// The order it pays.
    pub order_id: OrderId,
    /// How.
    pub method: PaymentMethod,
    /// Amount toward the order (IVA included), without the tip.
    pub amount: Clp,
    /// Tip paid with it.
    #[serde(default)]
    pub tip: Option<Clp>,
    /// Cash handed over (for the change).
    #[serde(default)]
    pub received: Option<Clp>,
    /// Voucher or transfer reference.
    #[serde(default)]
    pub reference: Option<String>,
}

/// A recorded payment and where the order stands after it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaymentReceipt {
    /// The ledger row.
    pub payment: Payment,
    /// The order after the payment.
    pub order: Order,
}

/// Takes a payment: checked against the balance (cash rounded to $10, change computed);
/// several payments may settle one order.
pub async fn pay(
    state: &AppState,
    by: Option<UserId>,
    input: NewPayment,
) -> Result<PaymentReceipt, OrderError> {
    let mut errors = FieldErrors::new();
    errors.optional_text("reference", input.reference.as_deref(), 120);
    money_field(&mut errors, "received", input.received);
    errors.into_result().map_err(OrderError::Invalid)?;
    let db = state.db.clone();
    let receipt = state
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let order = orders::load(conn, input.order_id)
                    .await?
                    .ok_or(OrderError::NotFound)?;
                if order.status == OrderStatus::Cancelled {
                    return Err(OrderError::Closed(order.status));
                }
                let tip = input.tip.unwrap_or(Clp::ZERO);
                let accepted = validate_payment(
                    order.payment.balance,
                    input.method,
                    input.amount,
                    tip,
                    input.received,
                )?;
                let payment = Payment {
                    id: PaymentId::new(),
                    order_id: order.id,
                    method: input.method,
                    amount: accepted.row.amount,
                    tip: accepted.row.tip,
                    received: (input.method == PaymentMethod::Cash).then(|| {
                        input
                            .received
                            .unwrap_or(Clp(accepted.row.amount.0 + accepted.row.tip.0))
                    }),
                    change: (input.method == PaymentMethod::Cash).then_some(accepted.change),
                    refund_of: None,
                    reference: input
                        .reference
                        .map(|r| r.trim().to_owned())
                        .filter(|r| !r.is_empty()),
                    created_by: by,
                    created_at: instant_text(jiff::Timestamp::now()),
                };
                orders::insert_payment(conn, &payment, db.tick()).await?;
                let order = orders::load(conn, order.id)
                    .await?
                    .ok_or(OrderError::NotFound)?;
                Ok(PaymentReceipt { payment, order })
            })
        })
        .await?;
    publish(state, EventKind::OrderUpdated, &receipt.order);
    Ok(receipt)
}

/// A refund request.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    /// How much to give back (defaults to everything left of that payment).
    pub amount: Option<Clp>,
    /// Why.
    pub reason: Option<String>,
}

/// Refunds (part of) a payment as a new negative ledger row.
pub async fn refund(
    state: &AppState,
    by: Option<UserId>,
    payment_id: PaymentId,
    request: RefundRequest,
) -> Result<PaymentReceipt, OrderError> {
    let mut errors = FieldErrors::new();
    errors.optional_text("reason", request.reason.as_deref(), 500);
    errors.into_result().map_err(OrderError::Invalid)?;
    let db = state.db.clone();
    let receipt = state
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let original = orders::payment(&mut *conn, payment_id)
                    .await?
                    .ok_or(OrderError::NotFound)?;
                if original.refund_of.is_some() || original.amount.is_negative() {
                    return Err(OrderError::RefundOfRefund);
                }
                let ledger = orders::payments_of(&mut *conn, original.order_id).await?;
                let already: i64 = ledger
                    .iter()
                    .filter(|p| p.refund_of == Some(payment_id))
                    .map(|p| -(p.amount.0 + p.tip.0))
                    .sum();
                let refundable = Clp(original.amount.0 + original.tip.0 - already);
                let amount = request.amount.unwrap_or(refundable);
                let row = validate_refund(refundable, original.method, amount)?;
                let payment = Payment {
                    id: PaymentId::new(),
                    order_id: original.order_id,
                    method: original.method,
                    amount: row.amount,
                    tip: Clp::ZERO,
                    received: None,
                    change: None,
                    refund_of: Some(payment_id),
                    reference: request
                        .reason
                        .map(|r| r.trim().to_owned())
                        .filter(|r| !r.is_empty()),
                    created_by: by,
                    created_at: instant_text(jiff::Timestamp::now()),
                };
                orders::insert_payment(conn, &payment, db.tick()).await?;
                let order = orders::load(conn, original.order_id)
                    .await?
                    .ok_or(OrderError::NotFound)?;
                Ok(PaymentReceipt { payment, order })
            })
        })
        .await?;
    publish(state, EventKind::OrderUpdated, &receipt.order);
    Ok(receipt)
}
