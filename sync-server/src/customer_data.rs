//! A tenant's customer data on request (docs/SECURITY.md, "Customer data at rest"): the
//! export of everything the cloud holds about its diners (JSON, or one CSV per kind), the
//! erasure of one diner found by phone, and the erasure of all of it.
//!
//! One diner's erasure goes through the sync merge like an owner's edit, so every counter
//! receives it with its next pull: their customer rows are emptied and deleted, their
//! reservations keep the time and party size without name, phone or notes, and their
//! orders stay for the books without the note that named them. Erasing the tenant
//! destroys its data key (every sealed field in the database and its backups becomes
//! unreadable: crypto-shredding), deletes the rows, and sends every counter to reload
//! from a snapshot that no longer holds them.

use crate::state::AppState;
use crate::store::customers::{self, ConversationMessage, DinerRows, Located, TenantErased};
use crate::store::owners::{self, CustomerRow, OrderFilter, OrderRow, ReservationRow};
use crate::store::sync::{self, CloudChange};
use crate::store::{StoreError, Tx};
use dysa_domain::ids::LocationId;
use dysa_domain::sync::{Entity, Op, Row};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The name a diner's erased customer and reservation rows keep (their name is erased
/// with the rest; the row must still have one).
pub const ERASED_NAME: &str = "—";

/// Everything the cloud holds about a tenant's diners.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TenantExport {
    /// When the export was made.
    pub exported_at: chrono::DateTime<chrono::Utc>,
    /// Customers.
    pub customers: Vec<CustomerRow>,
    /// Reservations.
    pub reservations: Vec<ReservationRow>,
    /// Orders (with their notes, which name widget diners).
    pub orders: Vec<OrderRow>,
    /// Conversation messages (widget and WhatsApp).
    pub conversations: Vec<ConversationMessage>,
}

/// One kind of row of the CSV export.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// Customers.
    Customers,
    /// Reservations.
    Reservations,
    /// Orders.
    Orders,
    /// Conversation messages.
    Conversations,
}

impl ExportKind {
    /// The file name of its CSV (Spanish: the owner's spreadsheet).
    pub fn file_name(self) -> &'static str {
        match self {
            ExportKind::Customers => "clientes.csv",
            ExportKind::Reservations => "reservas.csv",
            ExportKind::Orders => "pedidos.csv",
            ExportKind::Conversations => "conversaciones.csv",
        }
    }
}

/// Why an export or erasure could not be done.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The phone has no digits to look for.
    #[error("the phone holds no number")]
    NoPhone,
    /// The confirmation does not match.
    #[error("the confirmation does not match")]
    NotConfirmed,
    /// The CSV could not be written.
    #[error("csv: {0}")]
    Csv(String),
}

/// The whole export, read in one transaction.
pub async fn export(state: &AppState, tx: &mut Tx) -> Result<TenantExport, DataError> {
    let vault = &state.vault;
    let keys = vault.keys(tx).await?;
    Ok(TenantExport {
        exported_at: chrono::Utc::now(),
        customers: owners::customers(tx, vault, None, i64::MAX).await?,
        reservations: owners::reservations(tx, vault, None, None, None, i64::MAX).await?,
        orders: owners::orders(
            tx,
            vault,
            &OrderFilter {
                limit: i64::MAX,
                ..OrderFilter::default()
            },
        )
        .await?,
        conversations: customers::conversations(tx, &keys).await?,
    })
}

/// Rows as CSV text: a header of the field names, then one line per row (nested values as
/// JSON).
fn to_csv<T: Serialize>(rows: &[T]) -> Result<String, DataError> {
    let csv_error = |e: &dyn std::fmt::Display| DataError::Csv(e.to_string());
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header_written = false;
    for row in rows {
        let Ok(Value::Object(map)) = serde_json::to_value(row) else {
            continue;
        };
        if !header_written {
            writer.write_record(map.keys()).map_err(|e| csv_error(&e))?;
            header_written = true;
        }
        writer
            .write_record(map.values().map(|v| match v {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }))
            .map_err(|e| csv_error(&e))?;
    }
    let bytes = writer.into_inner().map_err(|e| csv_error(&e))?;
    String::from_utf8(bytes).map_err(|e| csv_error(&e))
}

/// One kind of the export as CSV.
pub fn csv_of(export: &TenantExport, kind: ExportKind) -> Result<String, DataError> {
    match kind {
        ExportKind::Customers => to_csv(&export.customers),
        ExportKind::Reservations => to_csv(&export.reservations),
        ExportKind::Orders => to_csv(&export.orders),
        ExportKind::Conversations => to_csv(&export.conversations),
    }
}

/// What erasing one diner changed.
#[derive(Clone, Copy, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct DinerErased {
    /// Customer rows emptied and deleted.
    pub customers: usize,
    /// Reservations whose name, phone and notes were removed.
    pub reservations: usize,
    /// Orders whose note was removed (the orders stay, for the books).
    pub orders: usize,
    /// WhatsApp messages deleted.
    pub messages: u64,
}

fn payload(value: Value) -> Row {
    value.as_object().cloned().unwrap_or_default()
}

/// Erases the diner with `phone` (any spelling) from every table of the tenant of `tx`.
pub async fn erase_diner(
    state: &AppState,
    tx: &mut Tx,
    phone: &str,
) -> Result<DinerErased, DataError> {
    let keys = state.vault.keys(tx).await?;
    let phone_hash = keys.phone_hash(phone).ok_or(DataError::NoPhone)?;
    let widget_key = crate::widget_orders::phone_key(&keys, phone);
    let DinerRows {
        customers: found,
        reservations,
        orders,
    } = customers::diner_rows(tx, &phone_hash, None, &widget_key).await?;
    // Their widget orders' contacts (SMS and email, migration 0054), their bookings'
    // emails, and what still waits to be sent to them, found before the customer rows
    // lose their email hashes.
    let mut hashes = customers::email_hashes(tx, &ids(&found)).await?;
    hashes.push(phone_hash.clone());
    let tenant = crate::store::current_tenant(tx).await?;
    let contacts = crate::store::diner_contacts::erase_diner_contacts(
        tx,
        &keys,
        tenant,
        &hashes,
        &ids(&orders),
        &ids(&reservations),
    )
    .await?;
    tracing::debug!(?contacts, "a diner's message contacts were erased");
    let clock = state.tenant_clock(tx).await?;
    let mut changes: Vec<(Option<LocationId>, CloudChange)> = Vec::new();
    let change = |entity: Entity, row: &Located, op: Op, fields: Value| {
        (
            row.location_id,
            CloudChange {
                entity,
                entity_id: row.id.to_string(),
                op,
                payload: payload(fields),
            },
        )
    };
    for c in &found {
        let emptied = json!({
            "name": ERASED_NAME, "phone": null, "email": null, "rut": null, "notes": null,
            "marketing_consent": false,
        });
        changes.push(change(Entity::Customer, c, Op::Upsert, emptied));
        changes.push(change(Entity::Customer, c, Op::Delete, json!({})));
    }
    for r in &reservations {
        let emptied = json!({"name": ERASED_NAME, "phone": null, "notes": null});
        changes.push(change(Entity::Reservation, r, Op::Upsert, emptied));
    }
    for o in &orders {
        changes.push(change(Entity::Order, o, Op::Upsert, json!({"note": null})));
    }
    // Customers are tenant-wide: any location of the tenant carries them.
    let any_location = match reservations
        .iter()
        .chain(&orders)
        .find_map(|r| r.location_id)
    {
        Some(location) => Some(location),
        None => first_location(tx).await?,
    };
    for (location, change) in changes {
        let Some(location) = location.or(any_location) else {
            continue;
        };
        let result =
            sync::apply_cloud_change(tx, &state.vault, location, change, clock.tick()).await?;
        if result.outcome == dysa_domain::sync::Outcome::Rejected {
            tracing::warn!(reason = ?result.reason, "a diner erasure change was refused");
        }
    }
    let wa_id: String = dysa_domain::customer::normalize_phone(phone)
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let messages =
        customers::erase_diner_conversations(tx, &keys.wa_hash(&wa_id), &widget_key).await?;
    Ok(DinerErased {
        customers: found.len(),
        reservations: reservations.len(),
        orders: orders.len(),
        messages,
    })
}

fn ids(rows: &[Located]) -> Vec<uuid::Uuid> {
    rows.iter().map(|r| r.id).collect()
}

async fn first_location(tx: &mut Tx) -> Result<Option<LocationId>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM locations ORDER BY created_at, id LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// The phrase an owner types to erase all the tenant's customer data: the restaurant's
/// slug, which they see in their dashboard's address and widget links.
pub async fn confirmation_phrase(tx: &mut Tx) -> Result<String, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT slug FROM tenants WHERE id = app_tenant()")
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// Erases all the tenant's customer data when `confirmation` is its
/// [`confirmation_phrase`]; destroys its data key in the same transaction.
/// The caller forgets the cached key after committing ([`crate::pii::Vault::forget`]).
pub async fn erase_tenant(tx: &mut Tx, confirmation: &str) -> Result<TenantErased, DataError> {
    if confirmation.trim() != confirmation_phrase(tx).await? {
        return Err(DataError::NotConfirmed);
    }
    let erased = customers::erase_tenant(tx).await?;
    crate::store::data_keys::destroy(tx).await?;
    Ok(erased)
}
