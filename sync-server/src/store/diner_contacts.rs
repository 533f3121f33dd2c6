//! The rows of diners' chosen channels (see [`crate::diner_messages`]): a widget order's
//! contact and the status steps waiting to be queued (migration 0054), a booking's email
//! (migration 0055).

use super::{Db, StoreResult, Tx};
use dysa_domain::ids::{LocationId, TenantId};
use uuid::Uuid;

/// A widget order's contact to write.
#[derive(Clone, Debug)]
pub struct NewOrderContact<'a> {
    /// The order.
    pub order: Uuid,
    /// Its location.
    pub location: LocationId,
    /// `sms` or `email`.
    pub channel: &'a str,
    /// The number or address, sealed.
    pub contact: &'a [u8],
    /// Its keyed hash.
    pub contact_hash: &'a [u8],
    /// `es` or `en`.
    pub lang: &'a str,
}

/// Remembers how the diner of `new.order` hears about it; a replay keeps the first.
pub async fn save_order_contact(tx: &mut Tx, new: &NewOrderContact<'_>) -> StoreResult<bool> {
    Ok(sqlx::query(
        "INSERT INTO order_contacts (tenant_id, order_id, location_id, channel, contact,
                                     contact_hash, lang)
         VALUES (app_tenant(), $1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, order_id) DO NOTHING",
    )
    .bind(new.order)
    .bind(new.location)
    .bind(new.channel)
    .bind(new.contact)
    .bind(new.contact_hash)
    .bind(new.lang)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

/// A status step waiting to be queued, with its order's contact (still sealed).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct WaitingStep {
    /// The order.
    pub order_id: Uuid,
    /// `accepted`, `ready` or `rejected`.
    pub step: String,
    /// The day's order number.
    pub number: Option<i64>,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// `sms` or `email`.
    pub channel: String,
    /// The sealed number or address.
    pub contact: Vec<u8>,
    /// Its keyed hash.
    pub contact_hash: Vec<u8>,
    /// `es` or `en`.
    pub lang: String,
    /// The restaurant's (tenant's) name.
    pub restaurant_name: String,
}

/// The tenant's steps not yet queued, oldest first, locked so two passes do not queue
/// the same step (the second skips it).
pub async fn waiting_steps(tx: &mut Tx, limit: i64) -> StoreResult<Vec<WaitingStep>> {
    Ok(sqlx::query_as(
        "SELECT s.order_id, s.step, s.number, s.reason, c.channel, c.contact, c.contact_hash,
                c.lang, t.name AS restaurant_name
         FROM order_contact_steps s
         JOIN order_contacts c ON c.tenant_id = s.tenant_id AND c.order_id = s.order_id
         JOIN tenants t ON t.id = s.tenant_id
         WHERE s.queued_at IS NULL
         ORDER BY s.created_at, s.order_id, s.step
         LIMIT $1
         FOR UPDATE OF s SKIP LOCKED",
    )
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?)
}

/// Marks a step queued (or settled without a message: opted out).
pub async fn step_queued(tx: &mut Tx, order: Uuid, step: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE order_contact_steps SET queued_at = now()
         WHERE order_id = $1 AND step = $2 AND queued_at IS NULL",
    )
    .bind(order)
    .bind(step)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The tenants with a step not yet queued (migration 0054's lookup).
pub async fn step_tenants(db: &Db) -> StoreResult<Vec<TenantId>> {
    let mut tx = db.public_tx().await?;
    let tenants = sqlx::query_scalar("SELECT order_contact_step_tenants()")
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(tenants)
}

/// The tenant's (restaurant's) name.
pub async fn restaurant_name(tx: &mut Tx) -> StoreResult<String> {
    Ok(
        sqlx::query_scalar("SELECT name FROM tenants WHERE id = app_tenant()")
            .fetch_optional(&mut **tx)
            .await?
            .unwrap_or_default(),
    )
}

/// Keeps the sealed email (and its keyed hash) with booking `reservation`'s consent.
pub async fn save_booking_email(
    tx: &mut Tx,
    reservation: Uuid,
    email: &[u8],
    email_hash: &[u8],
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE booking_consents SET email = $2, email_hash = $3
         WHERE reservation_id = $1 AND email IS NULL",
    )
    .bind(reservation)
    .bind(email)
    .bind(email_hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Booking `reservation`'s sealed email and its hash, when the diner consented and gave
/// one.
pub async fn booking_email(
    tx: &mut Tx,
    reservation: Uuid,
) -> StoreResult<Option<(Vec<u8>, Vec<u8>)>> {
    Ok(sqlx::query_as(
        "SELECT email, email_hash FROM booking_consents
         WHERE reservation_id = $1 AND consented AND email IS NOT NULL",
    )
    .bind(reservation)
    .fetch_optional(&mut **tx)
    .await?)
}

/// What erasing one diner's contacts removed (see [`erase_diner_contacts`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ContactsErased {
    /// Widget orders' contacts (SMS and email) deleted, with their steps.
    pub contacts: u64,
    /// Messages to them still waiting to be sent (SMS and mail) deleted.
    pub unsent: u64,
}

/// Deletes every widget order contact of one diner — those whose keyed hash is one of
/// `hashes` (their phone's and their emails') and those of `orders` (their orders) —
/// with the steps waiting on them; clears the email kept with the consent of their
/// `reservations` (or under one of `hashes`); and deletes what still waits to be sent
/// to them: SMS to a phone of `hashes` or of a deleted contact, and this tenant's diner
/// mails to any address those rows held.
pub async fn erase_diner_contacts(
    tx: &mut Tx,
    keys: &crate::pii::TenantKeys,
    tenant: TenantId,
    hashes: &[Vec<u8>],
    orders: &[Uuid],
    reservations: &[Uuid],
) -> StoreResult<ContactsErased> {
    let contacts: Vec<(Uuid, String, Vec<u8>, Vec<u8>)> = sqlx::query_as(
        "SELECT order_id, channel, contact, contact_hash FROM order_contacts
         WHERE contact_hash = ANY($1) OR order_id = ANY($2)",
    )
    .bind(hashes)
    .bind(orders)
    .fetch_all(&mut **tx)
    .await?;
    let bookings: Vec<(Uuid, Vec<u8>, Vec<u8>)> = sqlx::query_as(
        "SELECT reservation_id, email, email_hash FROM booking_consents
         WHERE email IS NOT NULL AND (email_hash = ANY($1) OR reservation_id = ANY($2))",
    )
    .bind(hashes)
    .bind(reservations)
    .fetch_all(&mut **tx)
    .await?;
    let mut addresses = Vec::new();
    let mut phones: Vec<Vec<u8>> = hashes.to_vec();
    for (order, channel, sealed, hash) in &contacts {
        if channel == "email" {
            addresses.extend(keys.open("order_contacts", "contact", &order.to_string(), sealed));
        } else {
            phones.push(hash.clone());
        }
    }
    for (reservation, sealed, _) in &bookings {
        addresses.extend(keys.open(
            "booking_consents",
            "email",
            &reservation.to_string(),
            sealed,
        ));
    }
    let addresses: Vec<String> = addresses
        .into_iter()
        .filter_map(|a| String::from_utf8(a).ok())
        .collect();
    let ids: Vec<Uuid> = contacts.iter().map(|c| c.0).collect();
    sqlx::query("DELETE FROM order_contact_steps WHERE order_id = ANY($1)")
        .bind(&ids)
        .execute(&mut **tx)
        .await?;
    let gone = sqlx::query("DELETE FROM order_contacts WHERE order_id = ANY($1)")
        .bind(&ids)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    let booked: Vec<Uuid> = bookings.iter().map(|b| b.0).collect();
    sqlx::query(
        "UPDATE booking_consents SET email = NULL, email_hash = NULL
         WHERE reservation_id = ANY($1)",
    )
    .bind(&booked)
    .execute(&mut **tx)
    .await?;
    let sms =
        sqlx::query("DELETE FROM sms_outbox WHERE status = 'pending' AND phone_hash = ANY($1)")
            .bind(&phones)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    // The mail outbox is the platform's: only this tenant's diner mails (their key names
    // the tenant, see `crate::diner_messages::queue_email`).
    let mail = sqlx::query(
        "DELETE FROM mail_outbox
         WHERE status = 'pending' AND purpose = 'diner_notice' AND to_address = ANY($1)
           AND left(dedupe_key, length($2)) = $2",
    )
    .bind(&addresses)
    .bind(format!("diner:{}:", tenant.0))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(ContactsErased {
        contacts: gone,
        unsent: sms + mail,
    })
}
