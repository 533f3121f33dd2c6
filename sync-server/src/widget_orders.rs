//! Orders from the diners' widget. The cloud prices them itself from the synced menu
//! (`dysa_domain` money and order rules; a client's prices are never trusted) and writes
//! them as cloud-born synced rows — order, lines and the creating transition, status
//! `pending`, channel `widget` — through the same merge an owner's edit takes
//! (`store::sync::push` with the cloud's HLC: sync rows, typed projection, version bump,
//! notice), so the counter pulls them like any change and its board shows them.
//!
//! A retried request never doubles an order: the Idempotency-Key's first answer is kept
//! with the order in one transaction (`public_requests`), under a transaction-scoped
//! advisory lock on the key, so two concurrent retries wait for each other.

use crate::limits::{Budget, RetryAfter};
use crate::state::AppState;
use crate::store::sync::{self, Origin};
pub use crate::store::widget_orders::OrderStatusView;
use crate::store::{self, StoreError, StoreResult, Tx, idempotency};
use crate::widget::{self, MenuGroupRow, MenuItemRow};
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{
    ItemId, LocationId, ModifierGroupId, ModifierOptionId, OrderId, OrderLineId,
};
use dysa_domain::menu::{LineError, ModifierGroupRule, ModifierOptionRule, Station, price_line};
use dysa_domain::money::{Clp, TaxRate};
use dysa_domain::order::{Channel, OrderStatus, OrderTotals, TotalsLine, order_totals};
use dysa_domain::sync::rows::{self, SyncedRow};
use dysa_domain::sync::{Mutation, Op, Outcome};
use dysa_domain::validate::{FieldErrors, FieldIssue, is_valid_email};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use uuid::Uuid;

/// Most lines in one widget order.
pub const MAX_LINES: usize = 50;

/// The diner.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct OrderCustomer {
    /// Name.
    pub name: String,
    /// Phone.
    pub phone: String,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
}

/// How the diner gets the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Fulfilment {
    /// Picks it up.
    Pickup,
    /// Delivered to `address`.
    Delivery,
    /// Eats there.
    DineIn,
}

impl Fulfilment {
    fn label(self) -> &'static str {
        match self {
            Fulfilment::Pickup => "Retiro en local",
            Fulfilment::Delivery => "Despacho",
            Fulfilment::DineIn => "Para comer en el local",
        }
    }
}

/// How the diner pays this order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentChoice {
    /// At the counter ("pagar al retirar").
    #[default]
    AtPickup,
    /// Now, with Mercado Pago ("pagar ahora"): the answer carries `checkout_url`.
    Online,
}

/// One line as the diner asks for it.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct OrderLineRequest {
    /// The menu item.
    pub item_id: Uuid,
    /// How many (1–999).
    pub quantity: i64,
    /// Chosen modifier options.
    #[serde(default)]
    pub options: Vec<Uuid>,
    /// A note for the kitchen.
    #[serde(default)]
    pub note: Option<String>,
}

/// A widget order.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct OrderRequest {
    /// Who orders.
    pub customer: OrderCustomer,
    /// Pickup, delivery or dine-in.
    pub fulfilment: Fulfilment,
    /// Delivery address (required for delivery).
    #[serde(default)]
    pub address: Option<String>,
    /// What.
    pub lines: Vec<OrderLineRequest>,
    /// A note for the restaurant.
    #[serde(default)]
    pub note: Option<String>,
    /// The diner's language (`es` or `en`).
    #[serde(default)]
    pub language: Option<String>,
    /// How the diner pays (as the owner's `ordering.payment` allows).
    #[serde(default)]
    pub payment: PaymentChoice,
    /// Where Mercado Pago sends the diner back after paying online: a page of one of the
    /// widget's allowed origins; absent: the restaurant's hosted page (`/r/{slug}`).
    #[serde(default)]
    pub return_url: Option<String>,
    /// How the diner wants to hear about the order (one of the widget configuration's
    /// `messages.channels`, or `none`); absent: nothing is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_by: Option<crate::diner_messages::NotifyChannel>,
    /// The diner accepted messages about this order (Ley 19.628); without `true` nothing
    /// is sent, whatever `notify_by` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages_consent: Option<bool>,
}

/// A priced line of the answer.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PricedOrderLine {
    /// The menu item.
    pub item_id: Uuid,
    /// Its name (Spanish, as the ticket prints it).
    pub name: String,
    /// How many.
    pub quantity: u32,
    /// Unit price with options, CLP.
    pub unit_price: i64,
    /// `unit_price × quantity`.
    pub line_total: i64,
}

/// The answer to an accepted order.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct OrderAccepted {
    /// The order.
    pub id: Uuid,
    /// Always `pending`: the restaurant accepts or rejects it.
    pub status: String,
    /// Total with IVA, CLP.
    pub total: i64,
    /// The priced lines.
    pub lines: Vec<PricedOrderLine>,
    /// True when the restaurant is offline and the order waits for it.
    pub waiting_for_restaurant: bool,
    /// Secret for `GET orders/{id}` in the `X-Status-Token` header (a replayed request
    /// gets a new one; every token given out keeps working, for `retention_days`).
    pub status_token: String,
    /// The day's order number the diner says at the counter ("pedido 12"); the counter
    /// may renumber it on a clash, so the status view carries the current one.
    #[serde(default)]
    pub number: Option<i64>,
    /// Minutes until it should be ready once accepted: the slowest dish's prep time, or
    /// the owner's usual time when no dish has one. Absent in answers kept before it
    /// existed.
    #[serde(default)]
    pub estimated_minutes: Option<i32>,
    /// For an order paid online: Mercado Pago's checkout page to send the diner to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout_url: Option<String>,
}

/// How long an order should take: the slowest of its dishes' prep times (they are cooked
/// side by side), else the owner's usual time.
pub fn estimate_minutes(prep_minutes: impl IntoIterator<Item = Option<i32>>, usual: i32) -> i32 {
    prep_minutes.into_iter().flatten().max().unwrap_or(usual)
}

/// Why an order was not taken.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    /// Bad input, or an item sold out or unknown.
    #[error("invalid order")]
    Invalid(FieldErrors),
    /// The owner turned online orders off.
    #[error("online orders are off")]
    OrdersOff,
    /// The counter paused online orders.
    #[error("online orders are paused")]
    Paused,
    /// The restaurant is offline and refuses orders meanwhile.
    #[error("the restaurant is offline")]
    Offline,
    /// The Idempotency-Key was used with another body.
    #[error("idempotency key reused with another body")]
    KeyConflict,
    /// The location's hourly budget of widget orders is spent; retry after these seconds.
    #[error("the location's order budget is spent")]
    OverBudget(u64),
    /// The phone number already has this many orders waiting for the restaurant.
    #[error("too many pending orders for this phone")]
    TooManyPending(u32),
    /// The diner chose to pay online, which this restaurant does not take now.
    #[error("online payment is not available")]
    OnlinePaymentUnavailable,
    /// The diner chose to pay at pickup, and the restaurant takes online payment only.
    #[error("this restaurant takes online payment only")]
    OnlinePaymentRequired,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The merge refused a row the cloud built (a bug, never the diner's fault).
    #[error("the merge refused the order: {0}")]
    Refused(String),
}

impl From<FieldErrors> for OrderError {
    fn from(errors: FieldErrors) -> Self {
        OrderError::Invalid(errors)
    }
}

fn other(es: &str, en: &str) -> FieldIssue {
    FieldIssue::Other {
        es: es.to_owned(),
        en: en.to_owned(),
    }
}

/// Whether an Idempotency-Key is acceptable: 8–64 characters of letters, digits, `-`,
/// `_`, `.` or `:` (a UUID is).
pub fn valid_idempotency_key(key: &str) -> bool {
    (8..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// The hash a request body is compared by: SHA-256 of its canonical JSON (keys sorted,
/// no spacing), so the same order sent with other formatting is the same request.
pub fn request_hash(body: &Value) -> String {
    let mut text = String::new();
    canonical(body, &mut text);
    hex(&Sha256::digest(text.as_bytes()))
}

/// Writes `value` as JSON with every object's keys sorted (serde_json keeps insertion
/// order in this build, so its own output depends on how the client ordered keys).
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (n, key) in keys.into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(inner) = map.get(key) {
                    canonical(inner, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random status token and its stored hash.
pub fn new_status_token() -> (String, String) {
    let bytes: [u8; 32] = rand::random();
    let token = format!("dst_{}", hex(&bytes));
    let hash = crate::auth::tokens::hash_secret(&token);
    (token, hash)
}

/// Checks the request's own fields (not the menu).
pub fn check_request(order: &OrderRequest) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    errors.text("customer.name", &order.customer.name, 80);
    errors.text("customer.phone", &order.customer.phone, 30);
    let phone_ok = order
        .customer
        .phone
        .trim()
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'))
        && order
            .customer
            .phone
            .chars()
            .filter(char::is_ascii_digit)
            .count()
            >= 8;
    if !order.customer.phone.trim().is_empty() {
        errors.check(
            phone_ok,
            "customer.phone",
            other("no es un teléfono válido", "is not a valid phone number"),
        );
    }
    if let Some(email) = order
        .customer
        .email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
    {
        errors.check(
            is_valid_email(email),
            "customer.email",
            FieldIssue::InvalidEmail,
        );
    }
    match order.fulfilment {
        Fulfilment::Delivery => errors.text("address", order.address.as_deref().unwrap_or(""), 300),
        _ => errors.optional_text("address", order.address.as_deref(), 300),
    }
    errors.optional_text("note", order.note.as_deref(), 500);
    if order.lines.is_empty() {
        errors.add("lines", FieldIssue::Required);
    } else if order.lines.len() > MAX_LINES {
        errors.add(
            "lines",
            other(
                &format!("admite como máximo {MAX_LINES} líneas"),
                &format!("at most {MAX_LINES} lines"),
            ),
        );
    }
    if let Some(language) = order.language.as_deref() {
        errors.check(
            matches!(language, "es" | "en"),
            "language",
            other("debe ser es o en", "must be es or en"),
        );
    }
    for (n, line) in order.lines.iter().enumerate() {
        errors.optional_text(&format!("lines[{n}].note"), line.note.as_deref(), 200);
    }
    errors.into_result()
}

/// A line priced from the menu, with what its synced row needs.
struct PricedLine {
    item: MenuItemRow,
    priced: dysa_domain::menu::PricedLine,
    note: Option<String>,
}

fn group_rules(item: &MenuItemRow, groups: &HashMap<Uuid, MenuGroupRow>) -> Vec<ModifierGroupRule> {
    item.group_ids()
        .iter()
        .filter_map(|id| groups.get(id))
        .map(|g| ModifierGroupRule {
            id: ModifierGroupId(g.id),
            name: g.name.clone(),
            min_choices: u8::try_from(g.min_choices.clamp(0, 255)).unwrap_or(0),
            max_choices: u8::try_from(g.max_choices.clamp(0, 255)).unwrap_or(u8::MAX),
            options: g
                .synced_options()
                .into_iter()
                .map(|o| ModifierOptionRule {
                    id: ModifierOptionId(o.id),
                    name: o.name,
                    price_delta: Clp(o.price_delta),
                    available: o.available,
                })
                .collect(),
        })
        .collect()
}

fn line_issue(error: &LineError) -> (&'static str, FieldIssue) {
    match error {
        LineError::QuantityOutOfRange(_) => (
            "quantity",
            FieldIssue::OutOfRange {
                min: 1,
                max: i64::from(dysa_domain::menu::MAX_QUANTITY),
            },
        ),
        LineError::OptionUnavailable { name, .. } => (
            "options",
            other(
                &format!("«{name}» está agotado"),
                &format!("“{name}” is sold out"),
            ),
        ),
        LineError::UnknownOption(_) => (
            "options",
            other(
                "una opción no es de este producto",
                "an option is not this item's",
            ),
        ),
        LineError::DuplicateOption(_) => (
            "options",
            other("una opción está repetida", "an option is repeated"),
        ),
        LineError::TooFewChoices { name, min, .. } => (
            "options",
            other(
                &format!("elige al menos {min} en {name}"),
                &format!("choose at least {min} in {name}"),
            ),
        ),
        LineError::TooManyChoices { name, max, .. } => (
            "options",
            other(
                &format!("elige como máximo {max} en {name}"),
                &format!("choose at most {max} in {name}"),
            ),
        ),
        LineError::NegativeUnitPrice(_) | LineError::Money(_) => (
            "quantity",
            other("el monto no es válido", "the amount is not valid"),
        ),
    }
}

/// Prices every line from `location`'s synced menu: an unknown or sold-out item, a bad
/// option or quantity is a field error of its line (`lines[2].item_id`).
async fn price(
    tx: &mut Tx,
    location: LocationId,
    order: &OrderRequest,
) -> Result<(Vec<PricedLine>, OrderTotals), OrderError> {
    let items: HashMap<Uuid, MenuItemRow> = store::widget::items(tx, location)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let groups: HashMap<Uuid, MenuGroupRow> = store::widget::modifier_groups(tx, location)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let mut errors = FieldErrors::new();
    let mut lines = Vec::with_capacity(order.lines.len());
    for (n, line) in order.lines.iter().enumerate() {
        let Some(item) = items.get(&line.item_id) else {
            errors.add(
                format!("lines[{n}].item_id"),
                other("no está en la carta", "is not on the menu"),
            );
            continue;
        };
        if !item.available {
            errors.add(
                format!("lines[{n}].item_id"),
                other(
                    &format!("«{}» está agotado", item.name),
                    &format!("“{}” is sold out", item.name),
                ),
            );
            continue;
        }
        let quantity = u32::try_from(line.quantity).unwrap_or(0);
        let chosen: Vec<ModifierOptionId> =
            line.options.iter().copied().map(ModifierOptionId).collect();
        match price_line(
            Clp(item.price),
            &group_rules(item, &groups),
            &chosen,
            quantity,
        ) {
            Ok(priced) => lines.push(PricedLine {
                item: item.clone(),
                priced,
                note: line.note.clone().filter(|n| !n.trim().is_empty()),
            }),
            Err(error) => {
                let (field, issue) = line_issue(&error);
                errors.add(format!("lines[{n}].{field}"), issue);
            }
        }
    }
    errors.into_result()?;
    let totals_lines: Vec<TotalsLine> = lines
        .iter()
        .map(|l| TotalsLine {
            unit_price: l.priced.unit_price,
            quantity: l.priced.quantity,
            voided: false,
        })
        .collect();
    let totals = order_totals(&totals_lines, Clp::ZERO, Clp::ZERO, TaxRate::IVA).map_err(|_| {
        let mut errors = FieldErrors::new();
        errors.add(
            "lines",
            other("el total no es válido", "the total is not valid"),
        );
        OrderError::Invalid(errors)
    })?;
    Ok((lines, totals))
}

/// The restaurant's business date and hour of `now` in `time_zone`.
fn local_day(time_zone: &str, now: jiff::Timestamp) -> (String, i64) {
    let tz = jiff::tz::TimeZone::get(time_zone)
        .or_else(|_| jiff::tz::TimeZone::get("America/Santiago"))
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let local = now.to_zoned(tz);
    (local.date().to_string(), i64::from(local.hour()))
}

/// What the counter reads in the order's note: who ordered, how they get it, and what
/// they wrote (verbatim: it is text, never markup).
fn counter_note(order: &OrderRequest, source: Source) -> String {
    let c = &order.customer;
    let mut note = format!(
        "{} · {} · {} · {}",
        source.label(),
        order.fulfilment.label(),
        c.name.trim(),
        c.phone.trim()
    );
    if let Some(email) = c.email.as_deref().filter(|e| !e.trim().is_empty()) {
        note.push_str(&format!(" · {}", email.trim()));
    }
    if let Some(address) = order.address.as_deref().filter(|a| !a.trim().is_empty()) {
        note.push_str(&format!("\nDirección: {}", address.trim()));
    }
    if let Some(text) = order.note.as_deref().filter(|n| !n.trim().is_empty()) {
        note.push_str(&format!("\nNota: {text}"));
    }
    if order.payment == PaymentChoice::Online {
        // The ledger row arrives when Mercado Pago confirms; until then it is unpaid.
        note.push_str("\nPago en línea con Mercado Pago");
    }
    note
}

/// A cloud-made upsert of `row` (its entity's synced type, so it has the appliance's shape).
pub(crate) fn mutation<T: SyncedRow>(id: Uuid, row: &T, hlc: Hlc) -> Mutation {
    Mutation {
        mutation_id: Uuid::now_v7().to_string(),
        entity: T::ENTITY,
        entity_id: id.to_string(),
        op: Op::Upsert,
        payload: sync::payload_of(row),
        hlc: hlc.to_string(),
    }
}

/// Where a diner's order comes from: what the counter reads in its channel and note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The widget's cart (`POST /public/{slug}/orders`).
    Widget,
    /// A draft confirmed in a WhatsApp conversation with the assistant: channel
    /// `whatsapp` (the appliance's orders take it since its migration 0028).
    Whatsapp,
}

impl Source {
    fn channel(self) -> Channel {
        match self {
            Source::Widget => Channel::Widget,
            Source::Whatsapp => Channel::Whatsapp,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Source::Widget => "Pedido web",
            Source::Whatsapp => "Pedido por WhatsApp",
        }
    }
}

/// What the public request said about the restaurant's state.
#[derive(Clone, Copy, Debug)]
pub struct Circumstances {
    /// The owner's switch.
    pub online_orders: bool,
    /// The owner's policy while offline.
    pub refuse_when_offline: bool,
    /// The location's budget of widget orders per hour.
    pub orders_per_hour: u32,
    /// Orders one phone number may have waiting for the restaurant.
    pub pending_per_phone: u32,
    /// The owner's usual preparation time, minutes (see [`estimate_minutes`]).
    pub usual_prep_minutes: i32,
    /// How the owner lets diners pay.
    pub payment: crate::widget_settings::PaymentOptions,
}

impl Circumstances {
    /// The owner's order settings and budgets, as every diner's order is held to them.
    pub fn of(settings: &crate::widget_settings::WidgetSettings) -> Circumstances {
        use crate::widget_settings::{BudgetSettings, OfflinePolicy};
        Circumstances {
            online_orders: settings.ordering.online_orders,
            refuse_when_offline: settings.ordering.offline_policy == OfflinePolicy::Refuse,
            orders_per_hour: BudgetSettings::limit(settings.budgets.orders_per_hour),
            pending_per_phone: BudgetSettings::limit(settings.budgets.pending_orders_per_phone),
            usual_prep_minutes: settings.ordering.prep_minutes,
            payment: settings.ordering.payment,
        }
    }
}

/// The key of a diner's phone number in `public_requests.phone_key`: the tenant's keyed
/// hash of its normalised form (hex), so `+56 9 8765 4321` and `98765 4321` are one diner,
/// the number itself is not stored twice, and a copy of the database cannot test guesses
/// (a plain hash of a Chilean mobile is reversed by trying its 10⁸ numbers).
pub fn phone_key(keys: &crate::pii::TenantKeys, phone: &str) -> String {
    keys.phone_hash(phone)
        .unwrap_or_default()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A request's Idempotency-Key and the hash of its body.
#[derive(Clone, Copy, Debug)]
pub struct Idempotency<'a> {
    /// The key.
    pub key: &'a str,
    /// [`request_hash`] of the body.
    pub hash: &'a str,
}

/// Takes a diner's order from `source` for `location` of the transaction's tenant, or
/// answers the first answer given to `key`. Commits nothing itself: the caller commits
/// `tx`.
#[allow(clippy::too_many_arguments)]
pub async fn place(
    state: &AppState,
    tx: &mut Tx,
    location: LocationId,
    time_zone: &str,
    circumstances: Circumstances,
    idempotency: Idempotency<'_>,
    order: &OrderRequest,
    source: Source,
) -> Result<OrderAccepted, OrderError> {
    let Idempotency { key, hash } = idempotency;
    idempotency::lock(tx, idempotency::ORDERS, key).await?;
    if let Some(answer) = replay(tx, key, hash).await? {
        return Ok(answer);
    }
    check_request(order)?;
    if source == Source::Widget {
        crate::diner_messages::check_choice(state, tx, location, order).await?;
    }
    if !circumstances.online_orders {
        return Err(OrderError::OrdersOff);
    }
    if widget::online_paused(tx, location).await? {
        return Err(OrderError::Paused);
    }
    let online = crate::presence::location_online(tx, location).await?;
    if !online && circumstances.refuse_when_offline {
        return Err(OrderError::Offline);
    }
    match order.payment {
        PaymentChoice::Online => {
            let chargeable =
                crate::mercado_pago::can_charge(state, tx)
                    .await
                    .map_err(|e| match e {
                        crate::mercado_pago::PaymentError::Store(e) => OrderError::Store(e),
                        _ => OrderError::OnlinePaymentUnavailable,
                    })?;
            if !circumstances.payment.offers_online() || !chargeable {
                return Err(OrderError::OnlinePaymentUnavailable);
            }
        }
        PaymentChoice::AtPickup => {
            // Online-only, but no account to charge: taking the order beats refusing it.
            if !circumstances.payment.offers_at_pickup()
                && crate::mercado_pago::can_charge(state, tx)
                    .await
                    .unwrap_or(false)
            {
                return Err(OrderError::OnlinePaymentRequired);
            }
        }
    }
    let phone = phone_key(&*state.vault.keys(tx).await?, &order.customer.phone);
    let pending = store::widget_orders::pending_of_phone(tx, &phone).await?;
    if pending >= i64::from(circumstances.pending_per_phone) {
        return Err(OrderError::TooManyPending(circumstances.pending_per_phone));
    }
    let (lines, totals) = price(tx, location, order).await?;
    // Spent last, once the order is certain to be taken: a refused or replayed request
    // costs the location nothing.
    state
        .limits
        .spend(location, Budget::Orders, circumstances.orders_per_hour)
        .map_err(|RetryAfter(wait)| OrderError::OverBudget(wait))?;

    let order_id = Uuid::now_v7();
    let now = jiff::Timestamp::now();
    let created_at = now.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    let (business_date, local_hour) = local_day(time_zone, now);
    let number = store::widget_orders::next_number(tx, location, &business_date).await?;
    let order_key = OrderId(order_id);
    let mut mutations = Vec::with_capacity(lines.len() + 2);
    let clock = state.tenant_clock(tx).await?;
    let stamp = clock.tick();
    let header = rows::Order {
        id: order_key,
        number: Some(number),
        business_date: Some(business_date),
        local_hour: Some(local_hour),
        channel: source.channel(),
        created_by: None,
        created_at: created_at.clone(),
        status: OrderStatus::Pending,
        customer_id: None,
        table_id: None,
        note: Some(counter_note(order, source)),
        subtotal: totals.subtotal,
        discount: totals.discount,
        total: totals.total,
        net: totals.net,
        tax: totals.tax,
        tax_rate_bp: totals.tax_rate.basis_points(),
        tip: totals.tip,
        amount_due: totals.amount_due,
        cancel_reason: None,
        cancel_request: None,
        covers: None,
        waiter_id: None,
        bill_requested_at: None,
        updated_at: stamp,
    };
    mutations.push(mutation(order_id, &header, stamp));
    let mut answer_lines = Vec::with_capacity(lines.len());
    for (position, line) in lines.iter().enumerate() {
        let line_id = Uuid::now_v7();
        let stamp = clock.tick();
        let row = rows::OrderLineRow {
            line: rows::OrderLine {
                id: OrderLineId(line_id),
                item_id: ItemId(line.item.id),
                name: line.item.name.clone(),
                quantity: line.priced.quantity,
                unit_price: line.priced.unit_price,
                line_total: line.priced.line_total,
                modifiers: line.priced.modifiers.clone(),
                note: line.note.clone(),
                station: line.item.station.parse().unwrap_or(Station::Kitchen),
                course: None,
                seat: None,
                voided: false,
                void_reason: None,
                discount: None,
                bill: None,
                moved_from: None,
            },
            order_id: order_key,
            position: i64::try_from(position).unwrap_or(i64::MAX),
            created_by: None,
            voided_at: None,
            voided_by: None,
            created_at: created_at.clone(),
            updated_at: stamp,
        };
        mutations.push(mutation(line_id, &row, stamp));
        answer_lines.push(PricedOrderLine {
            item_id: line.item.id,
            name: line.item.name.clone(),
            quantity: line.priced.quantity,
            unit_price: line.priced.unit_price.0,
            line_total: line.priced.line_total.0,
        });
    }
    let transition_id = Uuid::now_v7();
    let stamp = clock.tick();
    let transition = rows::OrderTransition {
        id: transition_id,
        order_id: order_key,
        transition: rows::Transition {
            from: None,
            to: OrderStatus::Pending,
            reason: None,
            by_user: None,
            at: created_at,
        },
        updated_at: stamp,
    };
    mutations.push(mutation(transition_id, &transition, stamp));
    let origin = Origin {
        device_id: None,
        location_id: location,
    };
    let pushed = sync::push(
        tx,
        &state.vault,
        origin,
        &mutations,
        state.now_ms(),
        Some(&clock),
    )
    .await?;
    if let Some(refused) = pushed
        .results
        .iter()
        .find(|r| r.outcome == Outcome::Rejected)
    {
        return Err(OrderError::Refused(
            refused.detail.clone().unwrap_or_default(),
        ));
    }

    if order.payment == PaymentChoice::Online {
        store::mercado_pago::start(tx, order_id, location, totals.total.0).await?;
    }

    let (token, token_hash) = new_status_token();
    let mut answer = OrderAccepted {
        id: order_id,
        status: "pending".to_owned(),
        total: totals.total.0,
        lines: answer_lines,
        waiting_for_restaurant: !online,
        status_token: String::new(),
        number: Some(number),
        estimated_minutes: Some(estimate_minutes(
            lines.iter().map(|l| l.item.prep_minutes),
            circumstances.usual_prep_minutes,
        )),
        checkout_url: None,
    };
    // The kept answer holds no token: tokens are only ever stored hashed.
    store::widget_orders::keep_answer(
        tx,
        idempotency::ORDERS,
        key,
        hash,
        order_id,
        &token_hash,
        &answer,
        &phone,
    )
    .await?;
    answer.status_token = token;
    if source == Source::Widget {
        let tenant = dysa_domain::ids::TenantId(state.vault.keys(tx).await?.tenant());
        crate::diner_messages::register_order(
            state,
            tx,
            tenant,
            location,
            order_id,
            Some(number),
            order,
        )
        .await?;
    }
    Ok(answer)
}

/// The first answer to `key`, with a fresh status token; a conflict when `hash` differs.
async fn replay(tx: &mut Tx, key: &str, hash: &str) -> Result<Option<OrderAccepted>, OrderError> {
    let kept = idempotency::kept::<OrderAccepted>(tx, idempotency::ORDERS, key).await?;
    let Some(kept) = kept else {
        return Ok(None);
    };
    if kept.request_hash != hash {
        return Err(OrderError::KeyConflict);
    }
    let (token, token_hash) = new_status_token();
    store::widget_orders::add_token(tx, &token_hash, kept.resource_id).await?;
    let mut answer = kept.response;
    answer.status_token = token;
    Ok(Some(answer))
}

/// The status of order `id`, when `token` is one of its status tokens.
pub async fn status(tx: &mut Tx, id: Uuid, token: &str) -> StoreResult<Option<OrderStatusView>> {
    let hash = crate::auth::tokens::hash_secret(token);
    store::widget_orders::status(tx, id, &hash).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_and_hashes() {
        assert!(valid_idempotency_key(&Uuid::now_v7().to_string()));
        assert!(!valid_idempotency_key("short"));
        assert!(!valid_idempotency_key(&"k".repeat(65)));
        assert!(!valid_idempotency_key("con espacio 123"));
        let a: Value = serde_json::from_str(r#"{"b":1,"a":[1,2]}"#).unwrap_or_default();
        let b: Value = serde_json::from_str(r#"{ "a": [1, 2], "b": 1 }"#).unwrap_or_default();
        assert_eq!(
            request_hash(&a),
            request_hash(&b),
            "formatting does not matter"
        );
        let c: Value = serde_json::from_str(r#"{"a":[2,1],"b":1}"#).unwrap_or_default();
        assert_ne!(request_hash(&a), request_hash(&c), "array order does");
        let nested: Value = serde_json::from_str(r#"{"x":{"q":1,"p":"<b>"}}"#).unwrap_or_default();
        let reordered: Value =
            serde_json::from_str(r#"{"x":{"p":"<b>","q":1}}"#).unwrap_or_default();
        assert_eq!(request_hash(&nested), request_hash(&reordered));
    }

    #[test]
    fn the_estimate_is_the_slowest_dish_or_the_usual_time() {
        assert_eq!(estimate_minutes([Some(12), None, Some(25)], 20), 25);
        assert_eq!(estimate_minutes([None, None], 20), 20);
        assert_eq!(estimate_minutes(std::iter::empty(), 15), 15);
        // A quick dish does not shorten the usual time of the others: only known times count.
        assert_eq!(estimate_minutes([Some(5)], 20), 5);
    }

    #[test]
    fn the_business_day_is_the_restaurants() {
        let instant: jiff::Timestamp = "2026-11-28T02:30:00Z".parse().unwrap_or_default();
        // 23:30 of the 27th in Santiago (UTC−3 in summer).
        assert_eq!(
            local_day("America/Santiago", instant),
            ("2026-11-27".to_owned(), 23)
        );
        assert_eq!(local_day("UTC", instant), ("2026-11-28".to_owned(), 2));
    }
}
