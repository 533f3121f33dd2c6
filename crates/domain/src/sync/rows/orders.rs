//! Synced rows of an order: its header, its lines, its status changes and its payments.
//! Lines and transitions travel with their detail nested (`line`, `transition`), as the
//! appliance has always sent them; transitions and payments are append-only.

use crate::bills::BillNo;
use crate::floor::Covers;
use crate::hlc::Hlc;
use crate::ids::{CustomerId, ItemId, OrderId, OrderLineId, PaymentId, TableId, UserId};
use crate::kitchen::{Course, Seat};
use crate::menu::{PricedModifier, Station};
use crate::money::Clp;
use crate::order::{CancelRequest, Channel, LineDiscount, OrderStatus};
use crate::payment::PaymentMethod;
use serde::{Deserialize, Serialize};

synced_row! {
    /// An order header. A row born elsewhere (a widget order made in the cloud) may lack
    /// the daily number, day and hour: the appliance gives it its own on arrival.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Order in Order {
        /// The order's id (UUIDv7, made where the order was born).
        pub id: OrderId,
        /// The daily number the counter calls it by.
        #[serde(default)]
        pub number: Option<i64>,
        /// The restaurant's business day (`YYYY-MM-DD`).
        #[serde(default)]
        pub business_date: Option<String>,
        /// The local hour it was taken (reports by hour).
        #[serde(default)]
        pub local_hour: Option<i64>,
        /// Where it was taken.
        pub channel: Channel,
        /// Who took it.
        pub created_by: Option<UserId>,
        /// When (RFC 3339).
        pub created_at: String,
        /// Where it is in its life.
        pub status: OrderStatus,
        /// The known diner, if any.
        pub customer_id: Option<CustomerId>,
        /// The table, if any.
        pub table_id: Option<TableId>,
        /// Note for the kitchen or the counter.
        pub note: Option<String>,
        /// Sum of the live lines.
        pub subtotal: Clp,
        /// Discount taken off the subtotal.
        #[serde(default)]
        pub discount: Clp,
        /// What the diner owes for the food, IVA included.
        pub total: Clp,
        /// The total without IVA.
        pub net: Clp,
        /// The IVA in the total.
        pub tax: Clp,
        /// The IVA rate, in basis points.
        pub tax_rate_bp: u32,
        /// The tip asked for.
        #[serde(default)]
        pub tip: Clp,
        /// Total plus tip.
        pub amount_due: Clp,
        /// Why it was cancelled.
        pub cancel_reason: Option<String>,
        /// An owner's pending or answered request to cancel it (written whole).
        #[serde(default)]
        pub cancel_request: Option<CancelRequest> => Json,
        /// How many people sit at the table's tab.
        #[serde(default)]
        pub covers: Option<Covers>,
        /// The waiter serving the table's tab.
        #[serde(default)]
        pub waiter_id: Option<UserId>,
        /// When the table asked for the bill ("pidió la cuenta"), RFC 3339.
        #[serde(default)]
        pub bill_requested_at: Option<String>,
        /// HLC of the last change.
        pub updated_at: Hlc,
    }
}

/// One order line: a priced snapshot of a menu item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderLine {
    /// The line's id.
    pub id: OrderLineId,
    /// The menu item.
    pub item_id: ItemId,
    /// The item's name when ordered.
    pub name: String,
    /// How many.
    pub quantity: u32,
    /// Unit price with modifiers, when ordered (the menu may change later).
    pub unit_price: Clp,
    /// `unit_price × quantity`.
    pub line_total: Clp,
    /// Chosen modifiers.
    pub modifiers: Vec<PricedModifier>,
    /// Note for the kitchen.
    pub note: Option<String>,
    /// Where it is prepared.
    pub station: Station,
    /// The course it is served in; none: fired with the other lines without a course.
    #[serde(default)]
    pub course: Option<Course>,
    /// The seat it is for, when the waiter said.
    #[serde(default)]
    pub seat: Option<Seat>,
    /// True once voided (kept for the record, not charged).
    pub voided: bool,
    /// Why it was voided.
    pub void_reason: Option<String>,
    /// A discount on this line alone, when one was given. Absent on the wire when none, so
    /// lines without one keep their old shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<LineDiscount>,
    /// The bill of its split tab the line is on ("cuenta separada"); none: bill 1, the
    /// tab's own. Part of the line so a second counter that pulls the tab shows the same
    /// bills; absent on the wire when none, so unsplit lines keep their old shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill: Option<BillNo>,
    /// The line of another tab this one is the copy of, when merging tables carried it
    /// here: two counters merging the same tab offline into different tables make two
    /// copies of it, and this is how every counter finds them (docs/SYNC.md, "Tabs").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<OrderLineId>,
}

synced_row! {
    /// An order line as it syncs: the line, plus where it sits and who voided it.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct OrderLineRow in OrderLine {
        /// The line itself (written whole; a void is final).
        pub line: OrderLine => Json,
        /// Its order.
        pub order_id: OrderId,
        /// Its place in the order.
        pub position: i64,
        /// Who added it.
        pub created_by: Option<UserId>,
        /// When it was voided.
        pub voided_at: Option<String>,
        /// Who voided it.
        pub voided_by: Option<UserId>,
        /// When it was added (RFC 3339).
        pub created_at: String,
        /// HLC of the last change.
        pub updated_at: Hlc,
    }
}

/// One recorded status change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Transition {
    /// Previous status (none for the creation).
    pub from: Option<OrderStatus>,
    /// New status.
    pub to: OrderStatus,
    /// Reason given (cancellations).
    pub reason: Option<String>,
    /// Who made the change.
    pub by_user: Option<UserId>,
    /// When.
    pub at: String,
}

synced_row! {
    /// A status change as it syncs (append-only: a transition, once recorded, is a fact).
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct OrderTransition in OrderTransition {
        /// The change's id.
        pub id: uuid::Uuid,
        /// Its order.
        pub order_id: OrderId,
        /// The change itself.
        pub transition: Transition => Json,
        /// HLC of the change.
        pub updated_at: Hlc,
    }
}

synced_row! {
    // Append-only; a refund carries `refund_of` and a negative amount.
    /// One payment-ledger row as clients see it.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    pub struct Payment in Payment {
        /// The row's id.
        pub id: PaymentId,
        /// The order it pays.
        pub order_id: OrderId,
        /// How it was paid.
        pub method: PaymentMethod,
        /// Amount toward the order (negative for refunds).
        pub amount: Clp,
        /// Tip included in this payment.
        pub tip: Clp,
        /// Cash handed over.
        pub received: Option<Clp>,
        /// Change handed back.
        pub change: Option<Clp>,
        /// The payment this refund reverses.
        pub refund_of: Option<PaymentId>,
        /// Card voucher or transfer reference.
        pub reference: Option<String>,
        /// Who took it.
        pub created_by: Option<UserId>,
        /// When.
        pub created_at: String,
        /// The bill of a split tab it paid ("cuenta separada"); none: the whole order.
        #[serde(default)]
        pub bill: Option<BillNo>,
        /// That bill's lines when it was paid ("cobro parcial" of chosen lines).
        #[serde(default)]
        pub bill_lines: Option<Vec<OrderLineId>> => Json,
    }
}
