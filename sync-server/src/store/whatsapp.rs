//! WhatsApp's rows (see [`crate::whatsapp`]): each location's linked number and its
//! secrets, the diners who wrote (with their relayed conversation and the start of their
//! 24-hour window) and every message in and out by Meta's id.
//!
//! A diner's number (`wa_id`) and every message body are stored sealed with the tenant's
//! key, the number found by its keyed hash `wa_hash` (cloud migration 0050,
//! [`crate::pii::relay`]): the functions here take the clear values and the tenant's
//! keys, and answer clear values.

use super::{Db, StoreResult, Tx};
use crate::pii::TenantKeys;
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
    keys: &TenantKeys,
    location: LocationId,
    wamid: &str,
    wa_id: &str,
    kind: &str,
    body: &str,
) -> StoreResult<bool> {
    Ok(sqlx::query(
        "INSERT INTO whatsapp_messages
           (tenant_id, wamid, location_id, wa_id, wa_hash, direction, kind, body)
         VALUES (app_tenant(), $1, $2, $3, $4, 'in', $5, $6)
         ON CONFLICT (tenant_id, wamid) DO NOTHING",
    )
    .bind(wamid)
    .bind(location)
    .bind(keys.seal_wa_id(location, wa_id))
    .bind(keys.wa_hash(wa_id))
    .bind(kind)
    .bind(keys.seal_str(MESSAGES, "body", wamid, body))
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

/// The table of every message in and out (its bodies are sealed to their `wamid`).
pub const MESSAGES: &str = "whatsapp_messages";

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
    keys: &TenantKeys,
    location: LocationId,
    wa_id: &str,
    name: Option<&str>,
) -> StoreResult<Contact> {
    let mut contact: Contact = sqlx::query_as(
        "INSERT INTO whatsapp_contacts (tenant_id, location_id, wa_id, wa_hash, conversation_id,
                                        name, last_inbound_at)
         VALUES (app_tenant(), $1, $2, $3, $4, $5, now())
         ON CONFLICT (tenant_id, location_id, wa_hash) DO UPDATE
           SET last_inbound_at = now(), name = COALESCE(EXCLUDED.name, whatsapp_contacts.name)
         RETURNING location_id, wa_id, conversation_id, last_inbound_at",
    )
    .bind(location)
    .bind(keys.seal_wa_id(location, wa_id))
    .bind(keys.wa_hash(wa_id))
    .bind(Uuid::now_v7())
    .bind(name)
    .fetch_one(&mut **tx)
    .await?;
    wa_id.clone_into(&mut contact.wa_id);
    Ok(contact)
}

/// Moves a diner to a new relayed conversation (the old one expired or grew too long).
pub async fn set_conversation(
    tx: &mut Tx,
    keys: &TenantKeys,
    location: LocationId,
    wa_id: &str,
    conversation: Uuid,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE whatsapp_contacts SET conversation_id = $3 WHERE location_id = $1 AND wa_hash = $2",
    )
    .bind(location)
    .bind(keys.wa_hash(wa_id))
    .bind(conversation)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The diner whose relayed conversation is `conversation`, if it is a WhatsApp one.
/// (A number that does not open, its tenant's key destroyed or the row altered, is no
/// contact: nothing is sent to it.)
pub async fn contact_of_conversation(
    tx: &mut Tx,
    keys: &TenantKeys,
    conversation: Uuid,
) -> StoreResult<Option<Contact>> {
    let found: Option<Contact> = sqlx::query_as(
        "SELECT location_id, wa_id, conversation_id, last_inbound_at FROM whatsapp_contacts
         WHERE conversation_id = $1",
    )
    .bind(conversation)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.and_then(|mut contact| {
        contact.wa_id = keys.open_wa_id(contact.location_id, contact.wa_id)?;
        Some(contact)
    }))
}

/// Records a message sent to a diner (its status arrives later by webhook).
pub async fn record_outbound(
    tx: &mut Tx,
    keys: &TenantKeys,
    location: LocationId,
    wa_id: &str,
    wamid: &str,
    kind: &str,
    body: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO whatsapp_messages
           (tenant_id, wamid, location_id, wa_id, wa_hash, direction, kind, body, status)
         VALUES (app_tenant(), $1, $2, $3, $4, 'out', $5, $6, 'sent')
         ON CONFLICT (tenant_id, wamid) DO NOTHING",
    )
    .bind(wamid)
    .bind(location)
    .bind(keys.seal_wa_id(location, wa_id))
    .bind(keys.wa_hash(wa_id))
    .bind(kind)
    .bind(keys.seal_str(MESSAGES, "body", wamid, body))
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

/// Claims the paused-WhatsApp notice for the diner `wa_id` at `location`: true (and
/// noted now) when none was sent to them in the last 24 hours. A conditional update, so
/// two relays at once claim it once.
pub async fn claim_paused_notice(
    tx: &mut Tx,
    keys: &TenantKeys,
    location: LocationId,
    wa_id: &str,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE whatsapp_contacts SET paused_notice_at = now()
         WHERE location_id = $1 AND wa_hash = $2
           AND (paused_notice_at IS NULL OR paused_notice_at <= now() - interval '24 hours')",
    )
    .bind(location)
    .bind(keys.wa_hash(wa_id))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
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

/// The diner `wa_id` of `location`, if they ever wrote (their window is read at send time,
/// so a retried message takes the template once the window has closed meanwhile).
pub async fn contact(
    tx: &mut Tx,
    keys: &TenantKeys,
    location: LocationId,
    wa_id: &str,
) -> StoreResult<Option<Contact>> {
    let found: Option<Contact> = sqlx::query_as(
        "SELECT location_id, wa_id, conversation_id, last_inbound_at FROM whatsapp_contacts
         WHERE location_id = $1 AND wa_hash = $2",
    )
    .bind(location)
    .bind(keys.wa_hash(wa_id))
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.map(|contact| Contact {
        wa_id: wa_id.to_owned(),
        ..contact
    }))
}

/// The name the diner's WhatsApp profile gave, if any (the order's customer name).
pub async fn contact_name(
    tx: &mut Tx,
    keys: &TenantKeys,
    location: LocationId,
    wa_id: &str,
) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar::<_, Option<String>>(
        "SELECT name FROM whatsapp_contacts WHERE location_id = $1 AND wa_hash = $2",
    )
    .bind(location)
    .bind(keys.wa_hash(wa_id))
    .fetch_optional(&mut **tx)
    .await?
    .flatten())
}

/// Remembers that `order` came from diner `wa_id`, in `lang`, so the counter's status
/// changes go back to them (migration 0033's trigger reads it). A replayed order keeps
/// its first row.
pub async fn remember_order(
    tx: &mut Tx,
    keys: &TenantKeys,
    order: Uuid,
    location: LocationId,
    wa_id: &str,
    lang: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO whatsapp_orders (tenant_id, order_id, location_id, wa_id, wa_hash, lang)
         VALUES (app_tenant(), $1, $2, $3, $5, $4)
         ON CONFLICT (tenant_id, order_id) DO NOTHING",
    )
    .bind(order)
    .bind(location)
    .bind(keys.seal_wa_id(location, wa_id))
    .bind(lang)
    .bind(keys.wa_hash(wa_id))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Remembers that booking `reservation` is diner `wa_id`'s, confirmed by their message
/// `wamid` (migration 0037's trigger then tells them its answer), before the booking is
/// written in the same transaction. Answers the booking's id: `reservation`, or the one
/// that message booked before (the caller books that id again, which writes nothing).
pub async fn remember_booking(
    tx: &mut Tx,
    keys: &TenantKeys,
    reservation: Uuid,
    location: LocationId,
    wa_id: &str,
    wamid: &str,
    lang: &str,
) -> StoreResult<Uuid> {
    sqlx::query(
        "INSERT INTO whatsapp_bookings
           (tenant_id, reservation_id, location_id, wa_id, wa_hash, wamid, lang)
         VALUES (app_tenant(), $1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, wamid) DO NOTHING",
    )
    .bind(reservation)
    .bind(location)
    .bind(keys.seal_wa_id(location, wa_id))
    .bind(keys.wa_hash(wa_id))
    .bind(wamid)
    .bind(lang)
    .execute(&mut **tx)
    .await?;
    let booked: Uuid = sqlx::query_scalar(
        "SELECT reservation_id FROM whatsapp_bookings WHERE tenant_id = app_tenant() AND wamid = $1",
    )
    .bind(wamid)
    .fetch_one(&mut **tx)
    .await?;
    Ok(booked)
}

/// A message to queue in the WhatsApp outbox.
#[derive(Clone, Debug)]
pub struct NewOutgoing<'a> {
    /// The location whose linked number sends it.
    pub location: LocationId,
    /// The diner.
    pub wa_id: &'a str,
    /// Unique per message: a second enqueue under the same key queues nothing.
    pub dedupe_key: &'a str,
    /// `es` or `en`.
    pub lang: &'a str,
    /// What to say (see [`crate::whatsapp::outbox::Message`]).
    pub params: serde_json::Value,
}

/// The outbox (the words of its `params`, a `text`, are sealed to the row).
const OUTBOX: &str = "whatsapp_outbox";

/// Queues a message in the caller's transaction; its id, or `None` when `dedupe_key` was
/// queued before.
pub async fn enqueue(
    tx: &mut Tx,
    keys: &TenantKeys,
    new: &NewOutgoing<'_>,
) -> StoreResult<Option<Uuid>> {
    let id = Uuid::now_v7();
    let mut params = new.params.clone();
    if let Some(text) = params.get_mut("text").filter(|t| t.is_string()) {
        *text = serde_json::Value::String(keys.seal_value(OUTBOX, "text", &id.to_string(), text));
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO whatsapp_outbox
           (tenant_id, id, location_id, wa_id, wa_hash, dedupe_key, lang, params)
         VALUES (app_tenant(), $1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
         RETURNING id",
    )
    .bind(id)
    .bind(new.location)
    .bind(keys.seal_wa_id(new.location, new.wa_id))
    .bind(keys.wa_hash(new.wa_id))
    .bind(new.dedupe_key)
    .bind(new.lang)
    .bind(&params)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The tenants with an outbox row due (or a lease run out) as of `now`, through the
/// narrow lookup of migration 0033.
pub async fn outbox_tenants(db: &Db, now: DateTime<Utc>) -> StoreResult<Vec<TenantId>> {
    let mut tx = db.public_tx().await?;
    let tenants = sqlx::query_scalar("SELECT whatsapp_outbox_tenants($1)")
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(tenants)
}

/// Rows of the transaction's tenant still `sending` after their lease: the worker that
/// claimed them died mid-send, so whether Meta took them is unknown. They become
/// `uncertain` and are never sent again (a diner told twice is worse than a log line).
pub async fn abandon_stale(tx: &mut Tx, now: DateTime<Utc>) -> StoreResult<u64> {
    Ok(sqlx::query(
        "UPDATE whatsapp_outbox SET status = 'uncertain', claimed_until = NULL,
                last_error = 'the sender stopped before Meta answered'
         WHERE status = 'sending' AND claimed_until < $1",
    )
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// A claimed outbox row.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Claimed {
    /// The row.
    pub id: Uuid,
    /// Whose number sends it.
    pub location_id: LocationId,
    /// The diner (empty when their sealed number does not open: the row is given up).
    pub wa_id: String,
    /// `es` or `en`.
    pub lang: String,
    /// What to say.
    pub params: serde_json::Value,
    /// Tries so far, this one included.
    pub attempts: i32,
}

/// Claims up to `limit` due rows of the transaction's tenant for `lease` (commit before
/// sending). A diner's messages leave in the order they were queued: a row waits while
/// an older one to the same diner is still pending or being sent, so a retried
/// "aceptado" is never overtaken by its "listo". (Rows queued before migration 0050
/// have no `wa_hash` until the start-up pass seals them: meanwhile they wait for one
/// another as if they were one diner's.)
pub async fn claim(
    tx: &mut Tx,
    keys: &TenantKeys,
    now: DateTime<Utc>,
    lease: chrono::Duration,
    limit: i64,
) -> StoreResult<Vec<Claimed>> {
    let claimed: Vec<Claimed> = sqlx::query_as(
        "UPDATE whatsapp_outbox o
            SET status = 'sending', attempts = o.attempts + 1, claimed_until = $2
           FROM (SELECT d.tenant_id, d.id FROM whatsapp_outbox d
                  WHERE d.status = 'pending' AND d.next_attempt_at <= $1
                    AND NOT EXISTS (
                        SELECT 1 FROM whatsapp_outbox e
                         WHERE e.tenant_id = d.tenant_id AND e.location_id = d.location_id
                           AND e.wa_hash IS NOT DISTINCT FROM d.wa_hash
                           AND e.status IN ('pending', 'sending')
                           AND (e.created_at, e.id) < (d.created_at, d.id))
                  ORDER BY d.created_at, d.id
                  LIMIT $3
                  FOR UPDATE SKIP LOCKED) due
          WHERE o.tenant_id = due.tenant_id AND o.id = due.id
         RETURNING o.id, o.location_id, o.wa_id, o.lang, o.params, o.attempts",
    )
    .bind(now)
    .bind(now + lease)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    Ok(claimed
        .into_iter()
        .map(|mut row| {
            let id = row.id.to_string();
            row.wa_id = keys
                .open_wa_id(row.location_id, std::mem::take(&mut row.wa_id))
                .unwrap_or_default();
            if let Some(text) = row.params.get_mut("text") {
                *text = keys.open_value(OUTBOX, "text", &id, text.take());
            }
            row
        })
        .collect())
}

/// How a claimed row ended this time.
#[derive(Clone, Debug)]
pub enum Settled<'a> {
    /// Meta took it, under this message id.
    Sent(&'a str),
    /// Failed in a way that may pass: tried again at this time.
    Retry(DateTime<Utc>, &'a str),
    /// Given up (`failed`).
    Failed(&'a str),
}

/// Records how claimed row `id` ended.
pub async fn settle(tx: &mut Tx, id: Uuid, settled: &Settled<'_>) -> StoreResult<()> {
    let (status, at, error, wamid) = match settled {
        Settled::Sent(wamid) => ("sent", None, None, Some(*wamid)),
        Settled::Retry(at, error) => ("pending", Some(*at), Some(*error), None),
        Settled::Failed(error) => ("failed", None, Some(*error), None),
    };
    sqlx::query(
        "UPDATE whatsapp_outbox
            SET status = $2, claimed_until = NULL,
                next_attempt_at = COALESCE($3, next_attempt_at),
                last_error = COALESCE(left($4, 1000), last_error),
                wamid = COALESCE($5, wamid),
                sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
          WHERE id = $1 AND status = 'sending'",
    )
    .bind(id)
    .bind(status)
    .bind(at)
    .bind(error)
    .bind(wamid)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
