//! WhatsApp's rows (see [`crate::whatsapp`]): each location's linked number and its
//! secrets, the diners who wrote (with their relayed conversation and the start of their
//! 24-hour window) and every message in and out by Meta's id.

use super::{Db, StoreResult, Tx};
use chrono::{DateTime, Utc};
use dysa_domain::ids::{LocationId, TenantId};
use uuid::Uuid;

/// A location's linked number, secrets included (never sent by any route).
#[derive(Clone, sqlx::FromRow)]
pub struct Link {
    /// The link (named by the webhook's URL).
    pub id: Uuid,
    /// The location it serves.
    pub location_id: LocationId,
    /// Meta's phone number id.
    pub phone_number_id: String,
    /// The WhatsApp Business Account id.
    pub waba_id: String,
    /// The bearer token of the Graph API.
    pub access_token: String,
    /// The Meta app's secret (keys the webhook's signatures).
    pub app_secret: String,
    /// The token Meta's handshake must present.
    pub verify_token: String,
    /// The approved template sent outside the 24-hour window.
    pub template_name: String,
    /// When it was linked.
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets never reach a log line.
        f.debug_struct("Link")
            .field("id", &self.id)
            .field("location_id", &self.location_id)
            .field("phone_number_id", &self.phone_number_id)
            .finish_non_exhaustive()
    }
}

/// What the owner writes to link a number.
#[derive(Clone)]
pub struct NewLink<'a> {
    /// Meta's phone number id.
    pub phone_number_id: &'a str,
    /// The WhatsApp Business Account id.
    pub waba_id: &'a str,
    /// The Graph API token.
    pub access_token: &'a str,
    /// The app secret.
    pub app_secret: &'a str,
    /// The webhook's verify token.
    pub verify_token: &'a str,
    /// The template for outside the window.
    pub template_name: &'a str,
}

const LINK_COLUMNS: &str = "id, location_id, phone_number_id, waba_id, access_token, app_secret,
     verify_token, template_name, created_at";

/// The tenant of link `id` (of an active tenant), through the narrow lookup of
/// migration 0028: the webhook knows nothing else.
pub async fn link_tenant(db: &Db, id: Uuid) -> StoreResult<Option<TenantId>> {
    let mut tx = db.public_tx().await?;
    let tenant: Option<TenantId> = sqlx::query_scalar("SELECT whatsapp_link_tenant($1)")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(tenant)
}

/// Link `id`.
pub async fn link(tx: &mut Tx, id: Uuid) -> StoreResult<Option<Link>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {LINK_COLUMNS} FROM whatsapp_links WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The link of `location`.
pub async fn link_of_location(tx: &mut Tx, location: LocationId) -> StoreResult<Option<Link>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {LINK_COLUMNS} FROM whatsapp_links WHERE location_id = $1"
    )))
    .bind(location)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Links (or relinks, keeping the webhook URL) `location`'s number.
pub async fn save_link(tx: &mut Tx, location: LocationId, new: &NewLink<'_>) -> StoreResult<Link> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO whatsapp_links (tenant_id, id, location_id, phone_number_id, waba_id,
                                     access_token, app_secret, verify_token, template_name)
         VALUES (app_tenant(), $1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (tenant_id, location_id) DO UPDATE
           SET phone_number_id = EXCLUDED.phone_number_id, waba_id = EXCLUDED.waba_id,
               access_token = EXCLUDED.access_token, app_secret = EXCLUDED.app_secret,
               verify_token = EXCLUDED.verify_token, template_name = EXCLUDED.template_name
         RETURNING {LINK_COLUMNS}"
    )))
    .bind(Uuid::now_v7())
    .bind(location)
    .bind(new.phone_number_id)
    .bind(new.waba_id)
    .bind(new.access_token)
    .bind(new.app_secret)
    .bind(new.verify_token)
    .bind(new.template_name)
    .fetch_one(&mut **tx)
    .await?)
}

/// Unlinks `location`'s number (its secrets are deleted); whether one was linked.
pub async fn delete_link(tx: &mut Tx, location: LocationId) -> StoreResult<bool> {
    Ok(
        sqlx::query("DELETE FROM whatsapp_links WHERE location_id = $1")
            .bind(location)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            > 0,
    )
}

/// Records a diner's message once by its id; `false` when it was already recorded (a
/// redelivered webhook).
pub async fn record_inbound(
    tx: &mut Tx,
    location: LocationId,
    wamid: &str,
    wa_id: &str,
    kind: &str,
    body: &str,
) -> StoreResult<bool> {
    Ok(sqlx::query(
        "INSERT INTO whatsapp_messages (tenant_id, wamid, location_id, wa_id, direction, kind, body)
         VALUES (app_tenant(), $1, $2, $3, 'in', $4, $5)
         ON CONFLICT (tenant_id, wamid) DO NOTHING",
    )
    .bind(wamid)
    .bind(location)
    .bind(wa_id)
    .bind(kind)
    .bind(body)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

/// A diner of a location.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Contact {
    /// Their location.
    pub location_id: LocationId,
    /// Their WhatsApp id.
    pub wa_id: String,
    /// The conversation relayed for them.
    pub conversation_id: Uuid,
    /// When they last wrote.
    pub last_inbound_at: DateTime<Utc>,
}

/// The diner `wa_id` wrote now: their contact, made on first contact (with a new
/// conversation), their window restarted.
pub async fn touch_contact(
    tx: &mut Tx,
    location: LocationId,
    wa_id: &str,
    name: Option<&str>,
) -> StoreResult<Contact> {
    Ok(sqlx::query_as(
        "INSERT INTO whatsapp_contacts (tenant_id, location_id, wa_id, conversation_id, name,
                                        last_inbound_at)
         VALUES (app_tenant(), $1, $2, $3, $4, now())
         ON CONFLICT (tenant_id, location_id, wa_id) DO UPDATE
           SET last_inbound_at = now(), name = COALESCE(EXCLUDED.name, whatsapp_contacts.name)
         RETURNING location_id, wa_id, conversation_id, last_inbound_at",
    )
    .bind(location)
    .bind(wa_id)
    .bind(Uuid::now_v7())
    .bind(name)
    .fetch_one(&mut **tx)
    .await?)
}

/// Moves a diner to a new relayed conversation (the old one expired or grew too long).
pub async fn set_conversation(
    tx: &mut Tx,
    location: LocationId,
    wa_id: &str,
    conversation: Uuid,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE whatsapp_contacts SET conversation_id = $3 WHERE location_id = $1 AND wa_id = $2",
    )
    .bind(location)
    .bind(wa_id)
    .bind(conversation)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The diner whose relayed conversation is `conversation`, if it is a WhatsApp one.
pub async fn contact_of_conversation(
    tx: &mut Tx,
    conversation: Uuid,
) -> StoreResult<Option<Contact>> {
    Ok(sqlx::query_as(
        "SELECT location_id, wa_id, conversation_id, last_inbound_at FROM whatsapp_contacts
         WHERE conversation_id = $1",
    )
    .bind(conversation)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Records a message sent to a diner (its status arrives later by webhook).
pub async fn record_outbound(
    tx: &mut Tx,
    location: LocationId,
    wa_id: &str,
    wamid: &str,
    kind: &str,
    body: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO whatsapp_messages
           (tenant_id, wamid, location_id, wa_id, direction, kind, body, status)
         VALUES (app_tenant(), $1, $2, $3, 'out', $4, $5, 'sent')
         ON CONFLICT (tenant_id, wamid) DO NOTHING",
    )
    .bind(wamid)
    .bind(location)
    .bind(wa_id)
    .bind(kind)
    .bind(body)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records what Meta says happened to a sent message; a status never goes back (a late
/// `delivered` after `read` is ignored) except to `failed`.
pub async fn record_status(
    tx: &mut Tx,
    location: LocationId,
    wamid: &str,
    status: &str,
    error_code: Option<i32>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE whatsapp_messages SET status = $3, error_code = COALESCE($4, error_code)
         WHERE wamid = $1 AND location_id = $2 AND direction = 'out'
           AND ($3 = 'failed' OR status IS NULL
                OR array_position(ARRAY['sent', 'delivered', 'read'], $3)
                   > COALESCE(array_position(ARRAY['sent', 'delivered', 'read'], status), 0))",
    )
    .bind(wamid)
    .bind(location)
    .bind(status)
    .bind(error_code)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Marks a diner's message answered.
pub async fn mark_answered(tx: &mut Tx, wamid: &str) -> StoreResult<()> {
    sqlx::query("UPDATE whatsapp_messages SET answered_at = now() WHERE wamid = $1")
        .bind(wamid)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The IANA time zone of `location` (the cloud's own answers read opening hours in it).
pub async fn location_time_zone(tx: &mut Tx, location: LocationId) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT time_zone FROM locations WHERE id = $1")
            .bind(location)
            .fetch_optional(&mut **tx)
            .await?,
    )
}
