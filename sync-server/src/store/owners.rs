//! What owners read across their locations from synced data (the typed projections of
//! `sync_rows`). Owners' edits go through `store::sync` like a device's.
//! Every function runs inside a tenant transaction: row-level security keeps it to the
//! tenant even where a query names no tenant. Customer data sealed at rest (see
//! [`crate::pii`]) is opened here, so handlers read plaintext.

use super::{StoreResult, Tx};
use crate::pii::{TenantKeys, Vault};
use chrono::{DateTime, NaiveDate, Utc};
use dysa_domain::ids::LocationId;
use dysa_domain::sync::Entity;
use serde::Serialize;
use uuid::Uuid;

/// Sales of one location over a period.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct LocationSales {
    /// The location.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Its name.
    pub name: String,
    /// Totals (IVA included) of orders not cancelled, in CLP.
    pub sales: i64,
    /// Sales without IVA.
    pub net: i64,
    /// IVA.
    pub tax: i64,
    /// Tips.
    pub tips: i64,
    /// Orders not cancelled.
    pub orders: i64,
    /// Cancelled orders.
    pub cancelled_orders: i64,
}

/// Per-location sales for business dates `from..=to`.
pub async fn sales_by_location(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
    location: Option<LocationId>,
) -> StoreResult<Vec<LocationSales>> {
    Ok(sqlx::query_as(
        "SELECT l.id AS location_id, l.name,
                coalesce(sum(o.total) FILTER (WHERE o.status <> 'cancelled'), 0)::bigint AS sales,
                coalesce(sum(o.net) FILTER (WHERE o.status <> 'cancelled'), 0)::bigint AS net,
                coalesce(sum(o.tax) FILTER (WHERE o.status <> 'cancelled'), 0)::bigint AS tax,
                coalesce(sum(o.tip) FILTER (WHERE o.status <> 'cancelled'), 0)::bigint AS tips,
                count(o.id) FILTER (WHERE o.status <> 'cancelled') AS orders,
                count(o.id) FILTER (WHERE o.status = 'cancelled') AS cancelled_orders
         FROM locations l
         LEFT JOIN orders o ON o.tenant_id = l.tenant_id AND o.location_id = l.id
              AND o.business_date BETWEEN $1 AND $2 AND o.deleted_at IS NULL
         WHERE ($3::uuid IS NULL OR l.id = $3)
         GROUP BY l.id, l.name
         ORDER BY l.name, l.id",
    )
    .bind(from)
    .bind(to)
    .bind(location)
    .fetch_all(&mut **tx)
    .await?)
}

/// One of a location's best sellers in a date range.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TopItem {
    /// The location.
    pub location_id: LocationId,
    /// The item's name as the lines carry it.
    pub name: String,
    /// Units sold.
    pub quantity: i64,
    /// What they sold for, CLP with IVA.
    pub sales: i64,
}

/// Each location's `per_location` best sellers (by units, then sales) for business dates
/// `from..=to`: lines not voided, of orders not cancelled.
pub async fn top_items_by_location(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
    per_location: i64,
) -> StoreResult<Vec<TopItem>> {
    Ok(sqlx::query_as(
        "SELECT location_id, name, quantity, sales FROM (
             SELECT o.location_id, ol.name, sum(ol.quantity)::bigint AS quantity,
                    sum(ol.line_total)::bigint AS sales,
                    row_number() OVER (PARTITION BY o.location_id
                                       ORDER BY sum(ol.quantity) DESC, sum(ol.line_total) DESC, ol.name) AS rank
             FROM orders o
             JOIN order_lines ol ON ol.tenant_id = o.tenant_id AND ol.order_id = o.id
             WHERE o.business_date BETWEEN $1 AND $2 AND o.status <> 'cancelled'
               AND o.deleted_at IS NULL AND ol.voided_at IS NULL AND ol.deleted_at IS NULL
             GROUP BY o.location_id, ol.name
         ) ranked
         WHERE rank <= $3
         ORDER BY location_id, rank",
    )
    .bind(from)
    .bind(to)
    .bind(per_location)
    .fetch_all(&mut **tx)
    .await?)
}

/// An order as the owners' API shows it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OrderRow {
    /// Id.
    pub id: Uuid,
    /// The location that took it.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Number of the day at its location.
    pub number: i32,
    /// Local business date.
    pub business_date: NaiveDate,
    /// `counter`, `dine_in`, `takeaway`, `delivery`, `widget`, …
    pub channel: String,
    /// Status.
    pub status: String,
    /// Customer, if known.
    pub customer_id: Option<Uuid>,
    /// Table, if dine-in.
    pub table_id: Option<Uuid>,
    /// Note.
    pub note: Option<String>,
    /// Sum of lines.
    pub subtotal: i64,
    /// Discount.
    pub discount: i64,
    /// Total with IVA.
    pub total: i64,
    /// Net of IVA.
    pub net: i64,
    /// IVA.
    pub tax: i64,
    /// Tip.
    pub tip: i64,
    /// Still to pay.
    pub amount_due: i64,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// The owner's latest request to cancel it, with the restaurant's answer once given.
    #[schema(value_type = Option<dysa_domain::order::CancelRequest>)]
    pub cancel_request: Option<sqlx::types::Json<dysa_domain::order::CancelRequest>>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

const ORDER_COLUMNS: &str =
    "id, location_id, number, business_date, channel, status, customer_id, table_id, note,
    subtotal, discount, total, net, tax, tip, amount_due, cancel_reason, cancel_request, created_at,
    updated_at";

/// Filters of the order list.
#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    /// One location.
    pub location: Option<LocationId>,
    /// One status.
    pub status: Option<String>,
    /// Business dates from.
    pub from: Option<NaiveDate>,
    /// Business dates to.
    pub to: Option<NaiveDate>,
    /// One customer.
    pub customer: Option<Uuid>,
    /// Most rows.
    pub limit: i64,
}

/// Orders, newest first.
pub async fn orders(
    tx: &mut Tx,
    vault: &Vault,
    filter: &OrderFilter,
) -> StoreResult<Vec<OrderRow>> {
    let rows: Vec<OrderRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORDER_COLUMNS} FROM orders
         WHERE deleted_at IS NULL AND ($1::uuid IS NULL OR location_id = $1)
           AND ($2::text IS NULL OR status = $2)
           AND ($3::date IS NULL OR business_date >= $3) AND ($4::date IS NULL OR business_date <= $4)
           AND ($5::uuid IS NULL OR customer_id = $5)
         ORDER BY created_at DESC, id DESC LIMIT $6"
    )))
    .bind(filter.location)
    .bind(&filter.status)
    .bind(filter.from)
    .bind(filter.to)
    .bind(filter.customer)
    .bind(filter.limit)
    .fetch_all(&mut **tx)
    .await?;
    open_orders(tx, vault, rows).await
}

/// Opens the sealed note of each order (a widget order's note holds the diner's contact).
async fn open_orders(
    tx: &mut Tx,
    vault: &Vault,
    mut rows: Vec<OrderRow>,
) -> StoreResult<Vec<OrderRow>> {
    if rows.iter().any(|r| is_sealed_text(r.note.as_deref())) {
        let keys = vault.keys(tx).await?;
        for row in &mut rows {
            let id = row.id.to_string();
            row.note = keys.open_column(Entity::Order, "note", &id, row.note.take());
        }
    }
    Ok(rows)
}

fn is_sealed_text(text: Option<&str>) -> bool {
    text.is_some_and(|t| t.starts_with(crate::pii::SEALED_PREFIX))
}

/// One order.
pub async fn order(tx: &mut Tx, vault: &Vault, id: Uuid) -> StoreResult<Option<OrderRow>> {
    let row: Option<OrderRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1 AND deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(open_orders(tx, vault, row.into_iter().collect())
        .await?
        .pop())
}

/// A line of an order.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OrderLineRow {
    /// Id.
    pub id: Uuid,
    /// Position in the order.
    pub position: i32,
    /// Menu item.
    pub item_id: Uuid,
    /// Name at the time of ordering.
    pub name: String,
    /// Quantity.
    pub quantity: i32,
    /// Unit price with modifiers.
    pub unit_price: i64,
    /// Line total.
    pub line_total: i64,
    /// Chosen modifiers.
    #[schema(value_type = Object)]
    pub modifiers: serde_json::Value,
    /// Note.
    pub note: Option<String>,
    /// When it was voided.
    pub voided_at: Option<DateTime<Utc>>,
}

/// The lines of an order.
pub async fn order_lines(tx: &mut Tx, order: Uuid) -> StoreResult<Vec<OrderLineRow>> {
    Ok(sqlx::query_as(
        "SELECT id, position, item_id, name, quantity, unit_price, line_total, modifiers, note, voided_at
         FROM order_lines WHERE order_id = $1 AND deleted_at IS NULL ORDER BY position, id",
    )
    .bind(order)
    .fetch_all(&mut **tx)
    .await?)
}

/// A status change of an order.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct TransitionRow {
    /// From.
    pub from_status: Option<String>,
    /// To.
    pub to_status: String,
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// The status history of an order.
pub async fn order_transitions(tx: &mut Tx, order: Uuid) -> StoreResult<Vec<TransitionRow>> {
    Ok(sqlx::query_as(
        "SELECT from_status, to_status, reason, at FROM order_transitions WHERE order_id = $1 ORDER BY at, id",
    )
    .bind(order)
    .fetch_all(&mut **tx)
    .await?)
}

/// A payment or refund.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PaymentRow {
    /// Id.
    pub id: Uuid,
    /// `payment` or `refund`.
    pub kind: String,
    /// `cash`, `card`, `transfer`, …
    pub method: String,
    /// Amount.
    pub amount: i64,
    /// Tip.
    pub tip: i64,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The payments of an order.
pub async fn order_payments(tx: &mut Tx, order: Uuid) -> StoreResult<Vec<PaymentRow>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, method, amount, tip, created_at FROM payments WHERE order_id = $1 ORDER BY created_at, id",
    )
    .bind(order)
    .fetch_all(&mut **tx)
    .await?)
}

/// A reservation.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ReservationRow {
    /// Id.
    pub id: Uuid,
    /// Location.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Customer, if known.
    pub customer_id: Option<Uuid>,
    /// Name on the booking.
    pub customer_name: String,
    /// Phone.
    pub phone: Option<String>,
    /// Covers.
    pub party_size: i32,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Table.
    pub table_id: Option<Uuid>,
    /// Status.
    pub status: String,
    /// Where it came from.
    pub source: String,
    /// Notes.
    pub notes: Option<String>,
}

const RESERVATION_COLUMNS: &str = "id, location_id, customer_id, customer_name, phone, party_size, starts_at, ends_at, table_id, status, source, notes";

/// Reservations in time order.
pub async fn reservations(
    tx: &mut Tx,
    vault: &Vault,
    location: Option<LocationId>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    limit: i64,
) -> StoreResult<Vec<ReservationRow>> {
    let rows: Vec<ReservationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {RESERVATION_COLUMNS} FROM reservations
         WHERE deleted_at IS NULL AND ($1::uuid IS NULL OR location_id = $1)
           AND ($2::timestamptz IS NULL OR starts_at >= $2) AND ($3::timestamptz IS NULL OR starts_at < $3)
         ORDER BY starts_at, id LIMIT $4"
    )))
    .bind(location)
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    open_reservations(tx, vault, rows).await
}

/// Opens the sealed phone and notes of each reservation.
async fn open_reservations(
    tx: &mut Tx,
    vault: &Vault,
    mut rows: Vec<ReservationRow>,
) -> StoreResult<Vec<ReservationRow>> {
    if rows
        .iter()
        .any(|r| is_sealed_text(r.phone.as_deref()) || is_sealed_text(r.notes.as_deref()))
    {
        let keys = vault.keys(tx).await?;
        for row in &mut rows {
            let id = row.id.to_string();
            row.phone = keys.open_column(Entity::Reservation, "phone", &id, row.phone.take());
            row.notes = keys.open_column(Entity::Reservation, "notes", &id, row.notes.take());
        }
    }
    Ok(rows)
}

/// One reservation.
pub async fn reservation(
    tx: &mut Tx,
    vault: &Vault,
    id: Uuid,
) -> StoreResult<Option<ReservationRow>> {
    let row: Option<ReservationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {RESERVATION_COLUMNS} FROM reservations WHERE id = $1 AND deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(open_reservations(tx, vault, row.into_iter().collect())
        .await?
        .pop())
}

/// A customer.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CustomerRow {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Phone (E.164).
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// RUT.
    pub rut: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Accepts marketing.
    pub marketing_consent: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

const CUSTOMER_COLUMNS: &str = "id, name, phone, email, rut, notes, marketing_consent, created_at";

/// Customers by name, optionally matching `q`: part of the name, or the whole phone
/// (any spelling: `9 8765 4321`, `+56987654321`) or the whole email, found through their
/// keyed hashes since the columns themselves are sealed.
pub async fn customers(
    tx: &mut Tx,
    vault: &Vault,
    q: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<CustomerRow>> {
    let keys = vault.keys(tx).await?;
    let phone = q.and_then(|q| keys.phone_hash(q));
    let email = q.and_then(|q| keys.email_hash(q));
    let rows: Vec<CustomerRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers
         WHERE deleted_at IS NULL AND ($1::text IS NULL
               OR name ILIKE '%' || $1 || '%' OR phone_hash = $3 OR email_hash = $4)
         ORDER BY name, id LIMIT $2"
    )))
    .bind(q)
    .bind(limit)
    .bind(phone)
    .bind(email)
    .fetch_all(&mut **tx)
    .await?;
    Ok(open_customers(&keys, rows))
}

/// Opens the sealed phone, email, RUT and notes of each customer.
pub(crate) fn open_customers(keys: &TenantKeys, mut rows: Vec<CustomerRow>) -> Vec<CustomerRow> {
    for row in &mut rows {
        let id = row.id.to_string();
        let open = |field: &str, value: Option<String>| {
            keys.open_column(Entity::Customer, field, &id, value)
        };
        row.phone = open("phone", row.phone.take());
        row.email = open("email", row.email.take());
        row.rut = open("rut", row.rut.take());
        row.notes = open("notes", row.notes.take());
    }
    rows
}

/// One customer.
pub async fn customer(tx: &mut Tx, vault: &Vault, id: Uuid) -> StoreResult<Option<CustomerRow>> {
    let row: Option<CustomerRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1 AND deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let keys = vault.keys(tx).await?;
    Ok(open_customers(&keys, vec![row]).pop())
}

/// A staff account of an appliance.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct StaffRow {
    /// Id.
    pub id: Uuid,
    /// Location.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Role at the restaurant.
    pub role: String,
    /// Active.
    pub active: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

const STAFF_COLUMNS: &str = "id, location_id, name, email, role, active, created_at";

/// Staff of the tenant's locations.
pub async fn staff(tx: &mut Tx, location: Option<LocationId>) -> StoreResult<Vec<StaffRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {STAFF_COLUMNS} FROM staff_users WHERE deleted_at IS NULL AND ($1::uuid IS NULL OR location_id = $1)
         ORDER BY name, id"
    )))
    .bind(location)
    .fetch_all(&mut **tx)
    .await?)
}

/// One staff account.
pub async fn staff_member(tx: &mut Tx, id: Uuid) -> StoreResult<Option<StaffRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {STAFF_COLUMNS} FROM staff_users WHERE id = $1 AND deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// A menu category.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CategoryRow {
    /// Id.
    pub id: Uuid,
    /// Location.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Order in the menu.
    pub position: i32,
    /// Shown.
    pub active: bool,
}

/// A modifier group.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ModifierGroupRow {
    /// Id.
    pub id: Uuid,
    /// Location.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Name.
    pub name: String,
    /// Fewest choices.
    pub min_choices: i32,
    /// Most choices.
    pub max_choices: i32,
    /// Options (`[{id, name, price_delta}]`).
    #[schema(value_type = Object)]
    pub options: serde_json::Value,
}

/// A menu item.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ItemRow {
    /// Id.
    pub id: Uuid,
    /// Location.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Category.
    pub category_id: Uuid,
    /// Name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Price with IVA, CLP.
    pub price: i64,
    /// Kitchen station.
    pub station: String,
    /// Sold out when false.
    pub available: bool,
    /// Order within the category.
    pub position: i32,
    /// Modifier groups.
    #[schema(value_type = Vec<String>)]
    pub modifier_group_ids: serde_json::Value,
    /// Its photo's hash (`/api/v1/media/{photo}.jpg`), when it has one.
    pub photo: Option<String>,
    /// HLC stamp of the last change.
    pub hlc: String,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

const ITEM_COLUMNS: &str = "id, location_id, category_id, name, name_en, description, price, station, available, position, modifier_group_ids, photo, hlc, updated_at";

/// The live categories.
pub async fn categories(
    tx: &mut Tx,
    location: Option<LocationId>,
) -> StoreResult<Vec<CategoryRow>> {
    Ok(sqlx::query_as(
        "SELECT id, location_id, name, name_en, position, active FROM menu_categories
         WHERE deleted_at IS NULL AND ($1::uuid IS NULL OR location_id = $1) ORDER BY location_id, position, name",
    )
    .bind(location)
    .fetch_all(&mut **tx)
    .await?)
}

/// One live category.
pub async fn category(tx: &mut Tx, id: Uuid) -> StoreResult<Option<CategoryRow>> {
    Ok(sqlx::query_as(
        "SELECT id, location_id, name, name_en, position, active FROM menu_categories
         WHERE deleted_at IS NULL AND id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The position after the last of `location`'s categories (a new one goes last).
pub async fn next_category_position(tx: &mut Tx, location: LocationId) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT coalesce(max(position) + 1, 0)::bigint FROM menu_categories
         WHERE location_id = $1 AND deleted_at IS NULL",
    )
    .bind(location)
    .fetch_one(&mut **tx)
    .await?)
}

/// Which of `ids` are live modifier groups of `location` (the others are unknown there).
pub async fn known_modifier_groups(
    tx: &mut Tx,
    location: LocationId,
    ids: &[Uuid],
) -> StoreResult<Vec<Uuid>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM menu_modifier_groups
         WHERE deleted_at IS NULL AND location_id = $1 AND id = ANY($2)",
    )
    .bind(location)
    .bind(ids)
    .fetch_all(&mut **tx)
    .await?)
}

/// The live modifier groups.
pub async fn modifier_groups(
    tx: &mut Tx,
    location: Option<LocationId>,
) -> StoreResult<Vec<ModifierGroupRow>> {
    Ok(sqlx::query_as(
        "SELECT id, location_id, name, min_choices, max_choices, options FROM menu_modifier_groups
         WHERE deleted_at IS NULL AND ($1::uuid IS NULL OR location_id = $1) ORDER BY location_id, name",
    )
    .bind(location)
    .fetch_all(&mut **tx)
    .await?)
}

/// The live items.
pub async fn items(tx: &mut Tx, location: Option<LocationId>) -> StoreResult<Vec<ItemRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ITEM_COLUMNS} FROM menu_items
         WHERE deleted_at IS NULL AND ($1::uuid IS NULL OR location_id = $1) ORDER BY location_id, position, name"
    )))
    .bind(location)
    .fetch_all(&mut **tx)
    .await?)
}

/// One live item.
pub async fn item(tx: &mut Tx, id: Uuid) -> StoreResult<Option<ItemRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ITEM_COLUMNS} FROM menu_items WHERE deleted_at IS NULL AND id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The position after the last live item of a category (a new item goes last, as on the
/// appliance).
pub async fn next_item_position(tx: &mut Tx, category: Uuid) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT coalesce(max(position) + 1, 0)::bigint FROM menu_items
         WHERE category_id = $1 AND deleted_at IS NULL",
    )
    .bind(category)
    .fetch_one(&mut **tx)
    .await?)
}
