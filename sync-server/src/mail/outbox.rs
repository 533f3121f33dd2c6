//! The durable outbox: a mail is a row written in the same transaction as what it tells
//! about (a reset token, a sign-up), so it is neither lost when the provider is down nor
//! sent for something that was rolled back. A worker hands due rows to the [`Mailer`],
//! retrying refusals that may pass later with exponential back-off, and never hands a
//! row over twice: a row is marked `sending` (committed) before it leaves, and one found
//! still `sending` after its lease becomes `uncertain` instead of going out again.

use super::templates::{self, MailKind};
use super::{Mailer, Outgoing, SendError};
use crate::store::mail::{self as store, Claimed, NewMail, Outcome};
use crate::store::{Db, StoreResult, Tx};
use chrono::{DateTime, Utc};
use dysa_domain::validate::Lang;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Tries before a mail that keeps failing is given up (about 2 hours of back-off).
pub const MAX_ATTEMPTS: i32 = 8;
/// The first retry waits this long; each next one twice as long.
pub const FIRST_BACKOFF_SECS: i64 = 30;
/// No retry waits longer than this.
pub const MAX_BACKOFF_SECS: i64 = 60 * 60;
/// How long a worker may hold a claimed row before it counts as dead.
pub const LEASE_SECS: i64 = 5 * 60;
/// Rows claimed per round.
const BATCH: i64 = 20;

/// The wait before try `attempts + 1` after `attempts` failed tries.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(0);
    let secs = FIRST_BACKOFF_SECS.saturating_mul(1_i64 << exponent);
    chrono::Duration::seconds(secs.min(MAX_BACKOFF_SECS))
}

/// Queues and sends mails; cheap to clone.
#[derive(Clone, Debug)]
pub struct Outbox {
    db: Db,
    mailer: Arc<Mailer>,
    wake: Arc<Notify>,
}

/// What one round of the worker did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Handed over and taken.
    pub sent: usize,
    /// Failed this time, to be tried again.
    pub retried: usize,
    /// Given up, suppressed or left uncertain.
    pub ended: usize,
    /// Stale `sending` rows turned `uncertain`.
    pub abandoned: u64,
}

impl Outbox {
    /// An outbox over `db` sending through `mailer`.
    pub fn new(db: Db, mailer: Mailer) -> Outbox {
        Outbox {
            db,
            mailer: Arc::new(mailer),
            wake: Arc::new(Notify::new()),
        }
    }

    /// The transport.
    pub fn mailer(&self) -> &Mailer {
        &self.mailer
    }

    /// Queues `kind` for `to` inside the caller's transaction (call [`Outbox::wake`]
    /// after the commit). Answers false when `dedupe_key` was queued before.
    pub async fn enqueue(
        tx: &mut Tx,
        dedupe_key: &str,
        to: &str,
        lang: Lang,
        kind: &MailKind,
    ) -> StoreResult<bool> {
        let params = serde_json::to_value(kind).unwrap_or_default();
        let lang = match lang {
            Lang::Es => "es",
            Lang::En => "en",
        };
        let queued = store::enqueue(
            tx,
            &NewMail {
                dedupe_key,
                purpose: kind.purpose(),
                to,
                lang,
                params,
            },
        )
        .await?;
        Ok(queued.is_some())
    }

    /// Tells the worker there is something to send.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs rounds for as long as the process lives: on [`Outbox::wake`] and every
    /// `every` (retries fall due with time). A zero `every` starts nothing (tests drive
    /// [`Outbox::run_once`] themselves).
    pub fn spawn(&self, every: Duration) {
        let outbox = self.clone();
        crate::worker::spawn_rounds("mail", Arc::clone(&self.wake), every, move |now| {
            let outbox = outbox.clone();
            async move { outbox.run_once(now).await }
        });
    }

    /// One round as of `now`: stale claims become `uncertain`, then (when a transport is
    /// configured) due rows are claimed and handed over one by one.
    pub async fn run_once(&self, now: DateTime<Utc>) -> StoreResult<Round> {
        let mut round = Round::default();
        let mut tx = self.db.public_tx().await?;
        round.abandoned = store::abandon_stale(&mut tx, now).await?;
        tx.commit().await?;
        if !self.mailer.is_configured() {
            return Ok(round);
        }
        let mut tx = self.db.public_tx().await?;
        let claimed =
            store::claim(&mut tx, now, chrono::Duration::seconds(LEASE_SECS), BATCH).await?;
        // The claim is committed before anything leaves: a crash from here on leaves
        // rows `sending`, which the next round turns `uncertain`, never sends again.
        tx.commit().await?;
        for row in claimed {
            let outcome = self.deliver(&row).await;
            let settled = match &outcome {
                Ok(accepted) => {
                    round.sent += 1;
                    Outcome::Sent {
                        transport: self.mailer.name(),
                        provider_id: accepted.provider_id.as_deref(),
                    }
                }
                Err(Failure::Suppressed) => {
                    round.ended += 1;
                    Outcome::Final {
                        status: "suppressed",
                        error: "the address bounced, was dropped or complained",
                    }
                }
                Err(Failure::Send(SendError::Transient(text))) if row.attempts < MAX_ATTEMPTS => {
                    round.retried += 1;
                    Outcome::Retry {
                        at: now + backoff(row.attempts),
                        error: text,
                    }
                }
                Err(Failure::Send(SendError::Uncertain(text))) => {
                    round.ended += 1;
                    Outcome::Final {
                        status: "uncertain",
                        error: text,
                    }
                }
                Err(Failure::Send(SendError::Transient(text) | SendError::Permanent(text))) => {
                    round.ended += 1;
                    Outcome::Final {
                        status: "failed",
                        error: text,
                    }
                }
                Err(Failure::Render(text)) => {
                    round.ended += 1;
                    Outcome::Final {
                        status: "failed",
                        error: text,
                    }
                }
            };
            let mut tx = self.db.public_tx().await?;
            store::settle(&mut tx, row.id, &settled).await?;
            tx.commit().await?;
        }
        Ok(round)
    }

    /// Records what a verified webhook post says: bounces, drops and spam reports mark
    /// the address (once per event id, so a redelivered post records nothing new), and
    /// `processed`/`delivered` of one of our rows settle it as sent. Answers how many
    /// address events were new.
    pub async fn record_events(&self, events: &[super::sendgrid::Event]) -> StoreResult<usize> {
        let mut tx = self.db.public_tx().await?;
        let mut recorded = 0;
        for event in events {
            if event.means_taken()
                && let Some(id) = event.outbox()
            {
                store::confirm_taken(&mut tx, id).await?;
            }
            let Some(kind) = event.address_event() else {
                continue;
            };
            let address = dysa_domain::validate::normalize_email(&event.email);
            if address.is_empty() {
                continue;
            }
            let event_id = event.sg_event_id.clone().unwrap_or_else(|| {
                crate::auth::tokens::hash_secret(&format!("{kind}:{address}:{:?}", event.outbox()))
            });
            if store::record_address_event(
                &mut tx,
                &address,
                kind,
                event.reason.as_deref(),
                &event_id,
                event.outbox(),
            )
            .await?
            {
                recorded += 1;
            }
        }
        tx.commit().await?;
        Ok(recorded)
    }

    async fn deliver(&self, row: &Claimed) -> Result<super::Accepted, Failure> {
        if row.suppressed {
            return Err(Failure::Suppressed);
        }
        let kind: MailKind = serde_json::from_value(row.params.clone())
            .map_err(|e| Failure::Render(format!("parameters: {e}")))?;
        let lang = if row.lang == "en" { Lang::En } else { Lang::Es };
        let rendered =
            templates::render(&kind, lang).map_err(|e| Failure::Render(e.to_string()))?;
        let mail = Outgoing {
            id: row.id,
            to: row.to_address.clone(),
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            list_unsubscribe: rendered.list_unsubscribe,
        };
        self.mailer.send(&mail).await.map_err(Failure::Send)
    }
}

enum Failure {
    Suppressed,
    Render(String),
    Send(SendError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_an_hour() {
        let secs: Vec<i64> = (1..=9).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(secs, vec![30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff(0).num_seconds(), 30);
        assert_eq!(backoff(i32::MAX).num_seconds(), 3600);
    }
}
