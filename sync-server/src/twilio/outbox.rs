//! The SMS outbox (`sms_outbox`, migration 0038), like the WhatsApp one: queued in the
//! transaction of what it tells about, sent by a worker that retries failures that may
//! pass later with the mail outbox's back-off, and never sends a row twice (claimed
//! `sending` and committed before it leaves; one found still `sending` after its lease
//! becomes `uncertain`). Right before a row leaves, the diner's opt-out is looked up: an
//! opted-out number's row becomes `suppressed` and nothing is sent. Twilio's own 21610
//! ("unsubscribed recipient": they replied STOP to the number) opts the number out too.

use super::client::{TwilioClient, TwilioError, UNSUBSCRIBED_RECIPIENT};
use crate::mail::outbox::backoff;
use crate::mercado_pago::seal::CredentialsKey;
use crate::pii::Vault;
use crate::store::sms::{self as store, ClaimedSms, SmsSettled};
use crate::store::{Db, StoreResult};
use chrono::{DateTime, Utc};
use dysa_domain::ids::TenantId;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Tries before an SMS that keeps failing is given up (the mail outbox's schedule).
pub const MAX_ATTEMPTS: i32 = crate::mail::outbox::MAX_ATTEMPTS;
/// How long a sender may hold a claimed row (the client gives up after 15 s).
pub const LEASE_SECS: i64 = 2 * 60;
const BATCH: i64 = 20;

/// What one round did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SmsRound {
    /// Taken by Twilio.
    pub sent: usize,
    /// Failed this time, tried again later.
    pub retried: usize,
    /// Given up.
    pub failed: usize,
    /// Not sent: the diner opted out.
    pub suppressed: usize,
    /// Stale `sending` rows turned `uncertain`.
    pub abandoned: u64,
}

/// Sends the SMS outbox through Twilio; cheap to clone.
#[derive(Clone)]
pub struct SmsOutbox {
    db: Db,
    client: TwilioClient,
    vault: Vault,
    key: Option<CredentialsKey>,
    public_url: String,
    wake: Arc<Notify>,
}

impl std::fmt::Debug for SmsOutbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsOutbox").finish_non_exhaustive()
    }
}

impl SmsOutbox {
    /// An outbox over `db`, sending through `client` with the accounts `key` opens; the
    /// status callbacks are asked for under `public_url`.
    pub fn new(
        db: Db,
        client: TwilioClient,
        vault: Vault,
        key: Option<CredentialsKey>,
        public_url: &str,
    ) -> SmsOutbox {
        SmsOutbox {
            db,
            client,
            vault,
            key,
            public_url: public_url.to_owned(),
            wake: Arc::new(Notify::new()),
        }
    }

    /// Tells the worker there may be something to send.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs rounds for as long as the process lives, on [`SmsOutbox::wake`] and every
    /// `every`; a zero `every` starts nothing (tests call [`SmsOutbox::run_once`]).
    pub fn spawn(&self, every: Duration) {
        let outbox = self.clone();
        crate::worker::spawn_rounds("SMS", Arc::clone(&self.wake), every, move |now| {
            let outbox = outbox.clone();
            async move { outbox.run_once(now).await }
        });
    }

    /// One round over every tenant with something due as of `now`.
    pub async fn run_once(&self, now: DateTime<Utc>) -> StoreResult<SmsRound> {
        let mut round = SmsRound::default();
        for tenant in store::outbox_tenants(&self.db, now).await? {
            let mut tx = self.db.tenant_tx(tenant).await?;
            round.abandoned += store::abandon_stale(&mut tx, now).await?;
            let claimed =
                store::claim(&mut tx, now, chrono::Duration::seconds(LEASE_SECS), BATCH).await?;
            // Committed before anything leaves: a crash from here on leaves the rows
            // `sending`, which a later round turns `uncertain`, never sends again.
            tx.commit().await?;
            for row in claimed {
                self.deliver(tenant, &row, now, &mut round).await?;
            }
        }
        Ok(round)
    }

    async fn deliver(
        &self,
        tenant: TenantId,
        row: &ClaimedSms,
        now: DateTime<Utc>,
        round: &mut SmsRound,
    ) -> StoreResult<()> {
        let mut tx = self.db.tenant_tx(tenant).await?;
        let opted_out = store::opted_out(&mut tx, "phone", &row.phone_hash).await?;
        let account = super::account(self.key.as_ref(), tenant, &mut tx).await?;
        let keys = self.vault.keys(&mut tx).await?;
        let phone = keys
            .open("sms_outbox", "phone", &row.id.to_string(), &row.phone)
            .and_then(|p| String::from_utf8(p).ok());
        if opted_out {
            round.suppressed += 1;
            store::settle(&mut tx, row.id, &SmsSettled::Suppressed).await?;
            return tx.commit().await.map_err(Into::into);
        }
        let (Some(account), Some(phone)) = (account, phone) else {
            round.failed += 1;
            store::settle(
                &mut tx,
                row.id,
                &SmsSettled::Failed("Twilio is no longer linked, or the number does not open"),
            )
            .await?;
            return tx.commit().await.map_err(Into::into);
        };
        tx.commit().await?;
        let callback = super::status_callback_url(&self.public_url, tenant);
        let sent = self
            .client
            .send(&account, &phone, &row.body, &callback)
            .await;
        let mut tx = self.db.tenant_tx(tenant).await?;
        match sent {
            Ok(queued) => {
                round.sent += 1;
                store::settle(
                    &mut tx,
                    row.id,
                    &SmsSettled::Sent(&queued.sid, &queued.status),
                )
                .await?;
            }
            Err(error) => {
                let text = error.to_string();
                if let TwilioError::Refused {
                    code: UNSUBSCRIBED_RECIPIENT,
                    ..
                } = error
                {
                    // They replied STOP to the number itself: honour it everywhere.
                    store::opt_out(&mut tx, "phone", &row.phone_hash, "sms").await?;
                }
                if error.may_pass_later() && row.attempts < MAX_ATTEMPTS {
                    round.retried += 1;
                    tracing::info!(%error, attempts = row.attempts, "SMS not sent yet; retried later");
                    let at = now + backoff(row.attempts);
                    store::settle(&mut tx, row.id, &SmsSettled::Retry(at, &text)).await?;
                } else {
                    round.failed += 1;
                    tracing::warn!(%error, "SMS given up");
                    store::settle(&mut tx, row.id, &SmsSettled::Failed(&text)).await?;
                }
            }
        }
        tx.commit().await.map_err(Into::into)
    }
}
