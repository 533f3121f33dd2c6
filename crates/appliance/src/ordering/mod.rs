//! Order and payment operations: create (idempotent, priced by the server), move through
//! the status machine, append and void lines, adjust discount and tip, take payments and
//! refunds. Every write runs on the group-commit writer, so it is acknowledged only once
//! it is on disk, and a failure rolls back all of its rows.
//!
//! - [`create`](mod@create): validation, pricing and the `Idempotency-Key` of a new order;
//! - [`queue`]: the group commit that batches new orders;
//! - [`lifecycle`]: status changes, lines, header changes, cancel requests;
//! - [`payments`]: payments and refunds;
//! - [`online`]: pausing and resuming online orders.
//!
//! Everything here works on an [`OrderDesk`] (the database, the writer, the live events,
//! the restaurant's settings and the order queue), never on the whole application state,
//! so the state can hold the desk without a cycle.

mod bills;
mod create;
mod floor;
mod idempotent;
mod lifecycle;
mod online;
mod payments;
mod queue;

pub use bills::{SplitTab, TabBills, split, tab_bills};
pub use create::{Created, create};
pub use floor::{
    DOUBLED_MERGE_REASON, MoveTab, Moved, OpenTable, move_tab, open_tab, request_bill,
    settle_doubled_merges,
};
pub use lifecycle::{
    LineDiscountInput, OrderPatch, append_lines, change_status, discount_line,
    refuse_cancel_request, update, void_line,
};
pub use online::{online_paused, set_online_paused};
pub use payments::{NewPayment, PaymentReceipt, RefundRequest, pay, refund};
pub use queue::{CreateOutcome, OrderQueue, PendingOrder};

use crate::events::{EventBus, EventKind};
use crate::printing::Printing;
use crate::restaurant::SettingsCache;
use crate::store::menu::PricingItem;
use crate::store::orders::{self, LineRow, Order, OrderLine};
use crate::store::writer::Writer;
use crate::store::{Db, StoreError};
use dysa_domain::ids::{
    CustomerId, ItemId, ModifierOptionId, OrderId, OrderLineId, TableId, UserId,
};
use dysa_domain::kitchen::{Course, Seat};
use dysa_domain::menu::{LineError, price_line};
use dysa_domain::money::Clp;
use dysa_domain::order::{Channel, OrderStatus, TotalsError, TransitionError};
use dysa_domain::payment::PaymentError;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use std::sync::Arc;

/// What order operations need, and nothing more: the database, the group-commit writer,
/// the live events, the restaurant's settings (time zone, tax) and the queue that batches
/// new orders. Cheap to clone.
#[derive(Clone, Debug)]
pub struct OrderDesk {
    db: Db,
    writer: Writer,
    events: EventBus,
    restaurant: Arc<SettingsCache>,
    queue: OrderQueue,
    /// The print queue, for the kitchen tickets of orders that fire by themselves.
    printing: Printing,
    /// Wakes the fiscal queue's worker after a payment or refund queued a document.
    fiscal_wake: Arc<tokio::sync::Notify>,
}

impl OrderDesk {
    /// Starts the order queue on `writer` and returns the desk.
    pub fn start(
        db: Db,
        writer: Writer,
        events: EventBus,
        restaurant: Arc<SettingsCache>,
        printing: Printing,
    ) -> Self {
        let queue = OrderQueue::start(writer.clone(), db.clone(), printing.clone(), events.clone());
        OrderDesk {
            db,
            writer,
            events,
            restaurant,
            queue,
            printing,
            fiscal_wake: Arc::default(),
        }
    }

    /// What wakes the fiscal queue's worker (`crate::fiscal`), which the state starts.
    pub fn fiscal_wake(&self) -> Arc<tokio::sync::Notify> {
        self.fiscal_wake.clone()
    }
}

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
    /// No such active table.
    #[error("table not found")]
    TableNotFound,
    /// A tab is already open on the table.
    #[error("table occupied by {0}")]
    TableOccupied(OrderId),
    /// Only a table's open tab (channel `dine_in` on a table) moves between tables.
    #[error("not a table's tab")]
    NotATab,
    /// The split is not possible (bad groups, or a line on a bill with payments).
    #[error(transparent)]
    Split(#[from] dysa_domain::bills::SplitError),
    /// A split asked both by seat and by lines.
    #[error("split by seat or by lines, not both")]
    SplitBothWays,
    /// The payment names a bill the tab does not have.
    #[error("no such bill")]
    NoSuchBill,
    /// The floor's rules refuse the move (same table, nothing to merge, paid tab).
    #[error(transparent)]
    Move(#[from] dysa_domain::floor::MoveError),
    /// Cash needs an open drawer session on the counter (or it refused the movement).
    #[error(transparent)]
    Drawer(#[from] crate::drawers::DrawerError),
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
    /// The course it is served in: it waits until that course is fired ("Marchar").
    /// Lines without one are fired together with `course: null`.
    #[serde(default)]
    pub course: Option<Course>,
    /// The seat it is for.
    #[serde(default)]
    pub seat: Option<Seat>,
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
                    course: requested.course,
                    seat: requested.seat,
                    voided: false,
                    void_reason: None,
                    discount: None,
                    bill: None,
                    moved_from: None,
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
fn parse_id(id: &str) -> Result<OrderId, StoreError> {
    id.parse().map_err(|e: uuid::Error| StoreError::Corrupt {
        table: "idempotency_keys",
        detail: e.to_string(),
    })
}
/// Loads one order.
pub async fn load(desk: &OrderDesk, id: OrderId) -> Result<Order, OrderError> {
    let mut conn = desk.db.read.acquire().await?;
    orders::load(&mut conn, id)
        .await?
        .ok_or(OrderError::NotFound)
}

/// Tells open panels about an order (after its commit), with the summary the board shows.
pub fn publish(desk: &OrderDesk, kind: EventKind, order: &Order) {
    // With no panel listening the event would be dropped; skip building it.
    if !desk.events.has_subscribers() {
        return;
    }
    desk.events.publish(
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
