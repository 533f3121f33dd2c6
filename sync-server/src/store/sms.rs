//! SMS rows (see [`crate::twilio`]): the tenant's sealed Twilio account, the SMS outbox,
//! the status callbacks received, and the diners' opt-outs (keyed hashes only).

use super::{Db, StoreResult, Tx};
use chrono::{DateTime, Utc};
use dysa_domain::ids::{AccountId, TenantId};
use uuid::Uuid;

/// The tenant's Twilio account as stored (the Auth Token sealed).
#[derive(Clone, sqlx::FromRow)]
pub struct SealedTwilio {
    /// `AC…`.
    pub account_sid: String,
    /// The sealed Auth Token.
    pub auth_token: Vec<u8>,
    /// The sending number, if any.
    pub from_number: Option<String>,
    /// The messaging service, if any.
    pub messaging_service_sid: Option<String>,
    /// When it was linked.
    pub linked_at: DateTime<Utc>,
}

impl std::fmt::Debug for SealedTwilio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedTwilio")
            .field("account_sid", &self.account_sid)
            .finish_non_exhaustive()
    }
}

/// What the owner links.
#[derive(Clone, Copy, Debug)]
pub struct NewTwilio<'a> {
    /// `AC…`.
    pub account_sid: &'a str,
    /// The sealed Auth Token.
    pub auth_token: &'a [u8],
    /// The sending number.
    pub from_number: Option<&'a str>,
    /// The messaging service.
    pub messaging_service_sid: Option<&'a str>,
}

/// Links (or relinks) the tenant's Twilio account.
pub async fn save_account(
    tx: &mut Tx,
    new: NewTwilio<'_>,
    linked_by: Option<AccountId>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO twilio_accounts (tenant_id, account_sid, auth_token, from_number,
                                      messaging_service_sid, linked_by)
         VALUES (app_tenant(), $1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id) DO UPDATE
         SET account_sid = $1, auth_token = $2, from_number = $3, messaging_service_sid = $4,
             linked_by = $5, linked_at = now()",
    )
    .bind(new.account_sid)
    .bind(new.auth_token)
    .bind(new.from_number)
    .bind(new.messaging_service_sid)
    .bind(linked_by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The tenant's Twilio account, if linked.
pub async fn account(tx: &mut Tx) -> StoreResult<Option<SealedTwilio>> {
    Ok(sqlx::query_as(
        "SELECT account_sid, auth_token, from_number, messaging_service_sid, linked_at
         FROM twilio_accounts WHERE tenant_id = app_tenant()",
    )
    .fetch_optional(&mut **tx)
    .await?)
}

/// Unlinks the tenant's account; whether there was one.
pub async fn delete_account(tx: &mut Tx) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM twilio_accounts WHERE tenant_id = app_tenant()")
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// `tenant`, when it is active and has linked Twilio (migration 0038's narrow lookup):
/// all a webhook naming a tenant in its URL may learn before its signature checks.
pub async fn account_tenant(db: &Db, tenant: Uuid) -> StoreResult<Option<TenantId>> {
    let mut tx = db.public_tx().await?;
    let found: Option<TenantId> = sqlx::query_scalar("SELECT twilio_account_tenant($1)")
        .bind(tenant)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(found)
}

/// An SMS to queue.
#[derive(Clone, Debug)]
pub struct NewSms<'a> {
    /// The row's id (the sealed phone's associated data names it).
    pub id: Uuid,
    /// The diner's number, sealed under the tenant's data key.
    pub phone: &'a [u8],
    /// Its keyed hash.
    pub phone_hash: &'a [u8],
    /// Unique per message: a second enqueue under the same key queues nothing.
    pub dedupe_key: &'a str,
    /// `es` or `en`.
    pub lang: &'a str,
    /// The words.
    pub body: &'a str,
}

/// Queues an SMS in the caller's transaction; `false` when `dedupe_key` was queued before.
pub async fn enqueue(tx: &mut Tx, new: &NewSms<'_>) -> StoreResult<bool> {
    Ok(sqlx::query(
        "INSERT INTO sms_outbox (tenant_id, id, phone, phone_hash, dedupe_key, lang, body)
         VALUES (app_tenant(), $1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, dedupe_key) DO NOTHING",
    )
    .bind(new.id)
    .bind(new.phone)
    .bind(new.phone_hash)
    .bind(new.dedupe_key)
    .bind(new.lang)
    .bind(new.body)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

/// The tenants with an SMS due (or a lease run out) as of `now`.
pub async fn outbox_tenants(db: &Db, now: DateTime<Utc>) -> StoreResult<Vec<TenantId>> {
    let mut tx = db.public_tx().await?;
    let tenants = sqlx::query_scalar("SELECT sms_outbox_tenants($1)")
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(tenants)
}

/// Rows still `sending` after their lease become `uncertain`, never sent again.
pub async fn abandon_stale(tx: &mut Tx, now: DateTime<Utc>) -> StoreResult<u64> {
    Ok(sqlx::query(
        "UPDATE sms_outbox SET status = 'uncertain', claimed_until = NULL,
                last_error = 'the sender stopped before Twilio answered'
         WHERE status = 'sending' AND claimed_until < $1",
    )
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// A claimed SMS.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ClaimedSms {
    /// The row.
    pub id: Uuid,
    /// The sealed number.
    pub phone: Vec<u8>,
    /// Its keyed hash.
    pub phone_hash: Vec<u8>,
    /// The words.
    pub body: String,
    /// Tries so far, this one included.
    pub attempts: i32,
}

/// Claims up to `limit` due rows for `lease` (commit before sending).
pub async fn claim(
    tx: &mut Tx,
    now: DateTime<Utc>,
    lease: chrono::Duration,
    limit: i64,
) -> StoreResult<Vec<ClaimedSms>> {
    Ok(sqlx::query_as(
        "UPDATE sms_outbox o
            SET status = 'sending', attempts = o.attempts + 1, claimed_until = $2
           FROM (SELECT d.tenant_id, d.id FROM sms_outbox d
                  WHERE d.status = 'pending' AND d.next_attempt_at <= $1
                  ORDER BY d.created_at, d.id
                  LIMIT $3
                  FOR UPDATE SKIP LOCKED) due
          WHERE o.tenant_id = due.tenant_id AND o.id = due.id
         RETURNING o.id, o.phone, o.phone_hash, o.body, o.attempts",
    )
    .bind(now)
    .bind(now + lease)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?)
}

/// How a claimed SMS ended this time.
#[derive(Clone, Debug)]
pub enum SmsSettled<'a> {
    /// Twilio took it: its SID and first status.
    Sent(&'a str, &'a str),
    /// May pass later: tried again at this time.
    Retry(DateTime<Utc>, &'a str),
    /// Given up.
    Failed(&'a str),
    /// The diner opted out: not sent.
    Suppressed,
}

/// Records how claimed row `id` ended.
pub async fn settle(tx: &mut Tx, id: Uuid, settled: &SmsSettled<'_>) -> StoreResult<()> {
    let (status, at, error, sid, provider) = match settled {
        SmsSettled::Sent(sid, provider) => ("sent", None, None, Some(*sid), Some(*provider)),
        SmsSettled::Retry(at, error) => ("pending", Some(*at), Some(*error), None, None),
        SmsSettled::Failed(error) => ("failed", None, Some(*error), None, None),
        SmsSettled::Suppressed => (
            "suppressed",
            None,
            Some("the diner opted out (Ley 19.628)"),
            None,
            None,
        ),
    };
    sqlx::query(
        "UPDATE sms_outbox
            SET status = $2, claimed_until = NULL,
                next_attempt_at = COALESCE($3, next_attempt_at),
                last_error = COALESCE(left($4, 1000), last_error),
                message_sid = COALESCE($5, message_sid),
                provider_status = COALESCE($6, provider_status),
                sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
          WHERE id = $1 AND status = 'sending'",
    )
    .bind(id)
    .bind(status)
    .bind(at)
    .bind(error)
    .bind(sid)
    .bind(provider)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a status callback once per (message, status); `false` when it was recorded
/// before (a replayed callback).
pub async fn record_status_event(
    tx: &mut Tx,
    message_sid: &str,
    status: &str,
    error_code: Option<i32>,
) -> StoreResult<bool> {
    Ok(sqlx::query(
        "INSERT INTO sms_status_events (tenant_id, message_sid, status, error_code)
         VALUES (app_tenant(), $1, $2, $3)
         ON CONFLICT (tenant_id, message_sid, status) DO NOTHING",
    )
    .bind(message_sid)
    .bind(status)
    .bind(error_code)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

/// The provider status of the SMS sent as `message_sid` (`Some(None)`: sent, no status
/// yet; `None`: no such SMS of this tenant).
pub async fn provider_status(
    tx: &mut Tx,
    message_sid: &str,
) -> StoreResult<Option<Option<String>>> {
    Ok(
        sqlx::query_scalar("SELECT provider_status FROM sms_outbox WHERE message_sid = $1")
            .bind(message_sid)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// Sets the provider status of the SMS sent as `message_sid` (the caller checked it moves
/// forward).
pub async fn set_provider_status(tx: &mut Tx, message_sid: &str, status: &str) -> StoreResult<()> {
    sqlx::query("UPDATE sms_outbox SET provider_status = $2 WHERE message_sid = $1")
        .bind(message_sid)
        .bind(status)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records that the holder of `hash` (a `phone` or an `email`) asked not to be written
/// to; a second request keeps the first.
pub async fn opt_out(tx: &mut Tx, kind: &str, hash: &[u8], source: &str) -> StoreResult<bool> {
    Ok(sqlx::query(
        "INSERT INTO diner_opt_outs (tenant_id, kind, hash, source)
         VALUES (app_tenant(), $1, $2, $3)
         ON CONFLICT (tenant_id, kind, hash) DO NOTHING",
    )
    .bind(kind)
    .bind(hash)
    .bind(source)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

/// The holder of `hash` asked to be written to again (START, ALTA).
pub async fn opt_in(tx: &mut Tx, kind: &str, hash: &[u8]) -> StoreResult<bool> {
    Ok(
        sqlx::query("DELETE FROM diner_opt_outs WHERE kind = $1 AND hash = $2")
            .bind(kind)
            .bind(hash)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            > 0,
    )
}

/// Whether the holder of `hash` opted out.
pub async fn opted_out(tx: &mut Tx, kind: &str, hash: &[u8]) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM diner_opt_outs WHERE kind = $1 AND hash = $2)",
    )
    .bind(kind)
    .bind(hash)
    .fetch_one(&mut **tx)
    .await?)
}
