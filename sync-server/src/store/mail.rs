//! The mail outbox and what the provider told us about addresses (platform tables, no
//! tenant: see `migrations/cloud/0018_mail_and_account_tokens.sql`).

use super::{StoreResult, Tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A new outbox row.
#[derive(Clone, Debug)]
pub struct NewMail<'a> {
    /// Unique per purpose: the same key queues nothing twice.
    pub dedupe_key: &'a str,
    /// What the mail is for (`password_reset`, …).
    pub purpose: &'a str,
    /// Recipient.
    pub to: &'a str,
    /// `es` or `en`.
    pub lang: &'a str,
    /// The template's parameters.
    pub params: serde_json::Value,
}

/// Queues a mail in the caller's transaction; answers its id, or none when a mail with
/// this key was already queued.
pub async fn enqueue(tx: &mut Tx, mail: &NewMail<'_>) -> StoreResult<Option<Uuid>> {
    Ok(sqlx::query_scalar(
        "INSERT INTO mail_outbox (id, dedupe_key, purpose, to_address, lang, params)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )
    .bind(Uuid::now_v7())
    .bind(mail.dedupe_key)
    .bind(mail.purpose)
    .bind(mail.to)
    .bind(mail.lang)
    .bind(&mail.params)
    .fetch_optional(&mut **tx)
    .await?)
}

/// A row a worker has claimed.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Claimed {
    /// Id.
    pub id: Uuid,
    /// Recipient.
    pub to_address: String,
    /// `es` or `en`.
    pub lang: String,
    /// The template's parameters.
    pub params: serde_json::Value,
    /// Tries so far, this one included.
    pub attempts: i32,
    /// Whether the address bounced, was dropped or complained.
    pub suppressed: bool,
}

/// Rows whose worker died between handing them to a transport and marking them: they
/// become `uncertain` and are never handed over again. Answers how many.
pub async fn abandon_stale(tx: &mut Tx, now: DateTime<Utc>) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE mail_outbox SET status = 'uncertain', claimed_until = NULL,
                last_error = 'worker stopped while sending'
         WHERE status = 'sending' AND claimed_until < $1",
    )
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Claims up to `limit` due rows for `lease` (`FOR UPDATE SKIP LOCKED`: parallel
/// workers never claim one row twice), counting the attempt.
pub async fn claim(
    tx: &mut Tx,
    now: DateTime<Utc>,
    lease: chrono::Duration,
    limit: i64,
) -> StoreResult<Vec<Claimed>> {
    Ok(sqlx::query_as(
        "UPDATE mail_outbox m SET status = 'sending', claimed_until = $2,
                attempts = m.attempts + 1
         FROM (SELECT id FROM mail_outbox
               WHERE status = 'pending' AND next_attempt_at <= $1
               ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
         WHERE m.id = due.id
         RETURNING m.id, m.to_address, m.lang, m.params, m.attempts,
                   EXISTS (SELECT 1 FROM mail_address_events e
                           WHERE e.address = m.to_address) AS suppressed",
    )
    .bind(now)
    .bind(now + lease)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?)
}

/// How a claimed row ended this time.
#[derive(Clone, Debug)]
pub enum Outcome<'a> {
    /// Taken by `transport`.
    Sent {
        /// `smtp` or `sendgrid`.
        transport: &'a str,
        /// The provider's id.
        provider_id: Option<&'a str>,
    },
    /// Try again at the given time.
    Retry {
        /// When.
        at: DateTime<Utc>,
        /// Why this try failed.
        error: &'a str,
    },
    /// A final state without sending: `failed`, `suppressed` or `uncertain`.
    Final {
        /// The status.
        status: &'a str,
        /// Why.
        error: &'a str,
    },
}

/// Records how a claimed row ended. Settled rows lose their parameters (a reset link
/// is not kept once mailed), and a diner's mail its recipient (a diner's address is kept
/// only while something is still to be sent to it: docs/SECURITY.md). Only a row still
/// `sending` is changed.
pub async fn settle(tx: &mut Tx, id: Uuid, outcome: &Outcome<'_>) -> StoreResult<()> {
    let query = match outcome {
        Outcome::Sent {
            transport,
            provider_id,
        } => sqlx::query(
            "UPDATE mail_outbox SET status = 'sent', sent_at = now(), claimed_until = NULL,
                    transport = $2, provider_id = $3, last_error = NULL, params = '{}'::jsonb,
                    to_address = CASE WHEN purpose = 'diner_notice' THEN '' ELSE to_address END
             WHERE id = $1 AND status = 'sending'",
        )
        .bind(id)
        .bind(*transport)
        .bind(*provider_id),
        Outcome::Retry { at, error } => sqlx::query(
            "UPDATE mail_outbox SET status = 'pending', next_attempt_at = $2,
                    claimed_until = NULL, last_error = $3
             WHERE id = $1 AND status = 'sending'",
        )
        .bind(id)
        .bind(*at)
        .bind(*error),
        Outcome::Final { status, error } => sqlx::query(
            "UPDATE mail_outbox SET status = $2, claimed_until = NULL, last_error = $3,
                    params = '{}'::jsonb,
                    to_address = CASE WHEN purpose = 'diner_notice' THEN '' ELSE to_address END
             WHERE id = $1 AND status = 'sending'",
        )
        .bind(id)
        .bind(*status)
        .bind(*error),
    };
    query.execute(&mut **tx).await?;
    Ok(())
}

/// Records an address event; false when the event id was already recorded.
pub async fn record_address_event(
    tx: &mut Tx,
    address: &str,
    event: &str,
    reason: Option<&str>,
    event_id: &str,
    outbox_id: Option<Uuid>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO mail_address_events (address, event, reason, event_id, outbox_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(address)
    .bind(event)
    .bind(reason)
    .bind(event_id)
    .bind(outbox_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The provider confirmed it took the mail of a row left `uncertain` (or still
/// `sending`): it is `sent`.
pub async fn confirm_taken(tx: &mut Tx, id: Uuid) -> StoreResult<()> {
    sqlx::query(
        "UPDATE mail_outbox SET status = 'sent', sent_at = coalesce(sent_at, now()),
                claimed_until = NULL, params = '{}'::jsonb
         WHERE id = $1 AND status IN ('sending', 'uncertain')",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether the provider reported `address` as bouncing, dropped or complaining.
pub async fn is_suppressed(tx: &mut Tx, address: &str) -> StoreResult<bool> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM mail_address_events WHERE address = $1)")
            .bind(address)
            .fetch_one(&mut **tx)
            .await?,
    )
}
