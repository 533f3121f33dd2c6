//! The customers' and diners' data the cloud keeps for a tenant, beyond the typed reads of
//! [`super::owners`]: the keyed lookup hashes beside the sealed columns (see
//! [`crate::pii`]), finding one diner's rows, the conversations for an export, and erasing
//! a tenant's customer data.

use super::{StoreResult, Tx};
use crate::pii::TenantKeys;
use chrono::{DateTime, Utc};
use dysa_domain::ids::LocationId;
use serde::Serialize;
use uuid::Uuid;

/// Sets the lookup hashes of typed customer and reservation rows (`entities[n]` is
/// `customer` or `reservation`; a reservation has no email hash).
pub async fn set_lookup_hashes(
    tx: &mut Tx,
    entities: &[&str],
    ids: &[Uuid],
    phones: &[Option<Vec<u8>>],
    emails: &[Option<Vec<u8>>],
) -> StoreResult<()> {
    sqlx::query(
        "WITH h AS (
             SELECT * FROM UNNEST($1::text[], $2::uuid[], $3::bytea[], $4::bytea[])
                 AS h(entity, id, phone, email)
         ), c AS (
             UPDATE customers c SET phone_hash = h.phone, email_hash = h.email
             FROM h WHERE h.entity = 'customer' AND c.tenant_id = app_tenant() AND c.id = h.id
         )
         UPDATE reservations r SET phone_hash = h.phone
         FROM h WHERE h.entity = 'reservation' AND r.tenant_id = app_tenant() AND r.id = h.id",
    )
    .bind(entities)
    .bind(ids)
    .bind(phones)
    .bind(emails)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A row one diner's erasure changes: its id and, for location-scoped rows, its location.
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub struct Located {
    /// The row.
    pub id: Uuid,
    /// Its location (`None` for customers, which are tenant-wide).
    pub location_id: Option<LocationId>,
}

/// What holds one diner's data, found by the keyed hashes of their phone (and email),
/// and by the widget's key of the phone for orders placed through the widget (kept as long
/// as the widget's request records, 30 days).
#[derive(Clone, Debug, Default)]
pub struct DinerRows {
    /// Customers with that phone or email.
    pub customers: Vec<Located>,
    /// Reservations with that phone.
    pub reservations: Vec<Located>,
    /// Orders of those customers, and widget orders placed with that phone.
    pub orders: Vec<Located>,
}

/// Finds one diner's rows (see [`DinerRows`]).
pub async fn diner_rows(
    tx: &mut Tx,
    phone_hash: &[u8],
    email_hash: Option<&[u8]>,
    widget_phone_key: &str,
) -> StoreResult<DinerRows> {
    let customers: Vec<Located> = sqlx::query_as(
        "SELECT id, NULL::uuid AS location_id FROM customers
         WHERE deleted_at IS NULL AND (phone_hash = $1 OR email_hash = $2)",
    )
    .bind(phone_hash)
    .bind(email_hash)
    .fetch_all(&mut **tx)
    .await?;
    let reservations: Vec<Located> =
        sqlx::query_as("SELECT id, location_id FROM reservations WHERE phone_hash = $1")
            .bind(phone_hash)
            .fetch_all(&mut **tx)
            .await?;
    let ids: Vec<Uuid> = customers.iter().map(|c| c.id).collect();
    let orders: Vec<Located> = sqlx::query_as(
        "SELECT id, location_id FROM orders
         WHERE customer_id = ANY($1)
            OR id IN (SELECT resource_id FROM public_requests
                      WHERE scope = 'orders' AND phone_key = $2)",
    )
    .bind(&ids)
    .bind(widget_phone_key)
    .fetch_all(&mut **tx)
    .await?;
    Ok(DinerRows {
        customers,
        reservations,
        orders,
    })
}

/// The keyed hashes of the emails of `customers` (to erase what was sent to them).
pub async fn email_hashes(tx: &mut Tx, customers: &[Uuid]) -> StoreResult<Vec<Vec<u8>>> {
    Ok(sqlx::query_scalar(
        "SELECT email_hash FROM customers WHERE id = ANY($1) AND email_hash IS NOT NULL",
    )
    .bind(customers)
    .fetch_all(&mut **tx)
    .await?)
}

/// Deletes everything the WhatsApp tables hold of the diner whose number's keyed hash is
/// `wa_hash` (their contact, messages, the links of their orders and bookings, and what
/// the outbox holds for them) and the widget's pending-order keys of the phone. Answers
/// the messages deleted.
pub async fn erase_diner_conversations(
    tx: &mut Tx,
    wa_hash: &[u8],
    widget_phone_key: &str,
) -> StoreResult<u64> {
    let messages = sqlx::query("DELETE FROM whatsapp_messages WHERE wa_hash = $1")
        .bind(wa_hash)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    for table in [
        "whatsapp_contacts",
        "whatsapp_orders",
        "whatsapp_bookings",
        "whatsapp_outbox",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE wa_hash = $1"
        )))
        .bind(wa_hash)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("UPDATE public_requests SET phone_key = NULL WHERE phone_key = $1")
        .bind(widget_phone_key)
        .execute(&mut **tx)
        .await?;
    Ok(messages)
}

/// One message of a conversation, for the tenant's export.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ConversationMessage {
    /// `widget` or `whatsapp`.
    pub channel: String,
    /// The location it reached.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// The conversation (the widget's conversation id, or the diner's WhatsApp number).
    pub conversation: String,
    /// `diner`, `staff` or `restaurant` (a WhatsApp reply).
    pub author: String,
    /// What was written.
    pub text: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A stored message, sealed: the table and row its text is sealed to.
#[derive(sqlx::FromRow)]
struct SealedMessage {
    #[sqlx(flatten)]
    message: ConversationMessage,
    source: String,
    row_id: String,
}

/// Every conversation message the cloud holds for the tenant, opened, oldest first.
pub async fn conversations(
    tx: &mut Tx,
    keys: &TenantKeys,
) -> StoreResult<Vec<ConversationMessage>> {
    let rows: Vec<SealedMessage> = sqlx::query_as(
        "SELECT channel, location_id, conversation_id::text AS conversation, 'diner' AS author,
                message AS text, created_at AS at, 'chat_relays' AS source, id::text AS row_id
         FROM chat_relays WHERE channel = 'widget'
         UNION ALL
         SELECT 'widget', location_id, conversation_id::text, 'staff', text, created_at,
                'chat_staff_messages', id::text
         FROM chat_staff_messages
         UNION ALL
         SELECT 'whatsapp', location_id, wa_id,
                CASE direction WHEN 'in' THEN 'diner' ELSE 'restaurant' END, body, created_at,
                'whatsapp_messages', wamid
         FROM whatsapp_messages
         ORDER BY at, row_id",
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |SealedMessage {
                 mut message,
                 source,
                 row_id,
             }| {
                let (table, field) = match source.as_str() {
                    "chat_relays" => ("chat_relays", "message"),
                    "chat_staff_messages" => ("chat_staff_messages", "text"),
                    _ => {
                        let sealed = std::mem::take(&mut message.conversation);
                        message.conversation = keys
                            .open_wa_id(message.location_id, sealed)
                            .unwrap_or_default();
                        ("whatsapp_messages", "body")
                    }
                };
                let text = std::mem::take(&mut message.text);
                message.text = keys
                    .open_str(table, field, &row_id, text)
                    .unwrap_or_default();
                message
            },
        )
        .collect())
}

/// What erasing a tenant's customer data removed.
#[derive(Clone, Copy, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct TenantErased {
    /// Customers deleted.
    pub customers: u64,
    /// Reservations deleted.
    pub reservations: u64,
    /// Orders whose note was cleared (the orders themselves stay, for the books).
    pub orders: u64,
    /// Conversation messages deleted.
    pub messages: u64,
}

/// Deletes the tenant's customer data: customers and reservations (merged rows and typed
/// rows), order notes (orders stay for the books, without them), every conversation and
/// its messages; then moves the tenant's purge horizon to its current version, so each
/// counter's next pull is told to reload from a snapshot that no longer holds them. The
/// caller destroys the data key in the same transaction.
pub async fn erase_tenant(tx: &mut Tx) -> StoreResult<TenantErased> {
    super::sync::lock_tenant(tx).await?;
    let mut erased = TenantErased::default();
    for (table, count) in [
        ("customers", &mut erased.customers),
        ("reservations", &mut erased.reservations),
    ] {
        *count = sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    sqlx::query(
        "DELETE FROM sync_rows
         WHERE entity IN ('customer', 'reservation', 'conversation', 'conversation_message')",
    )
    .execute(&mut **tx)
    .await?;
    // The counters' synced conversations (cloud migration 0046) are customer data too.
    erased.messages += sqlx::query("DELETE FROM conversation_messages")
        .execute(&mut **tx)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM conversations")
        .execute(&mut **tx)
        .await?;
    erased.orders = sqlx::query("UPDATE orders SET note = NULL WHERE note IS NOT NULL")
        .execute(&mut **tx)
        .await?
        .rows_affected();
    sqlx::query(
        "UPDATE sync_rows SET row = jsonb_set(row, '{note}', 'null'::jsonb)
         WHERE entity = 'order' AND row ? 'note'",
    )
    .execute(&mut **tx)
    .await?;
    // What the WhatsApp tables hold of diners (their numbers, sealed), besides messages:
    // the outbox's rows to diners go, the owners' own notices stay.
    sqlx::query(
        "DELETE FROM whatsapp_outbox
         WHERE dedupe_key NOT LIKE 'weekly_summary:%' AND dedupe_key NOT LIKE 'owner_alert:%'",
    )
    .execute(&mut **tx)
    .await?;
    for table in [
        "chat_relays",
        "chat_staff_messages",
        "whatsapp_messages",
        "whatsapp_contacts",
        "whatsapp_orders",
        "whatsapp_bookings",
        "chat_conversations",
    ] {
        let gone = sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
            .execute(&mut **tx)
            .await?
            .rows_affected();
        if matches!(
            table,
            "chat_relays" | "chat_staff_messages" | "whatsapp_messages"
        ) {
            erased.messages += gone;
        }
    }
    sqlx::query("UPDATE public_requests SET phone_key = NULL WHERE phone_key IS NOT NULL")
        .execute(&mut **tx)
        .await?;
    // Diners' chosen channels (migrations 0054, 0055): their contacts and emails.
    for sql in [
        "DELETE FROM order_contact_steps",
        "DELETE FROM order_contacts",
        "UPDATE booking_consents SET email = NULL, email_hash = NULL WHERE email IS NOT NULL",
    ] {
        sqlx::query(sql).execute(&mut **tx).await?;
    }
    // A version of its own, so every counter's cursor is below the horizon (a counter
    // already up to date too) and its reload ends above it.
    sqlx::query(
        "WITH bumped AS (
             INSERT INTO sync_versions (tenant_id, version) VALUES (app_tenant(), 1)
             ON CONFLICT (tenant_id) DO UPDATE SET version = sync_versions.version + 1
             RETURNING version
         )
         INSERT INTO sync_purge_horizons (tenant_id, purged_through)
         SELECT app_tenant(), version FROM bumped
         ON CONFLICT (tenant_id) DO UPDATE SET purged_through = EXCLUDED.purged_through",
    )
    .execute(&mut **tx)
    .await?;
    Ok(erased)
}
