//! The lockout of one sign-in attempt: its scopes (the account's email and the client),
//! reserved under row locks before the password is checked, then settled as a failure or
//! a success. Rules: `dysa_domain::lockout` (the appliance applies the same ones).

use crate::settings::Settings;
use crate::store::accounts::{lock_counter, save_counter};
use crate::store::{Db, StoreResult};
use dysa_domain::lockout::{Counter, Locked, Policy};

/// The scopes of one attempt. Locked in this order (account, then client) by every
/// attempt, so two attempts never wait on each other in a cycle.
#[derive(Clone, Debug)]
pub struct Attempt {
    account: String,
    client: String,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The account scope's policy (see [`Policy::account`]).
pub fn account_policy(settings: &Settings) -> Policy {
    Policy::account(
        settings.login_max_failures,
        settings.login_window_secs,
        settings.login_lock_max_secs,
    )
}

/// The client scope's policy (see [`Policy::client`]).
pub fn client_policy(settings: &Settings) -> Policy {
    Policy::client(settings.login_max_failures, settings.login_window_secs)
}

impl Attempt {
    /// A password attempt on `email` from `client`.
    pub fn new(email: &str, client: &str) -> Self {
        Self {
            account: format!("account:{email}"),
            client: format!("client:{client}"),
        }
    }

    async fn with_counters<T>(
        &self,
        db: &Db,
        change: impl FnOnce(&mut Counter, &mut Counter) -> Result<(), T>,
    ) -> StoreResult<Result<(), T>> {
        let mut tx = db.public_tx().await?;
        let mut account = lock_counter(&mut tx, &self.account).await?;
        let mut client = lock_counter(&mut tx, &self.client).await?;
        let outcome = change(&mut account, &mut client);
        if outcome.is_ok() {
            save_counter(&mut tx, &self.account, &account).await?;
            save_counter(&mut tx, &self.client, &client).await?;
            tx.commit().await?;
        }
        Ok(outcome)
    }

    /// Reserves the attempt in both scopes, or says how long the first locked one must
    /// wait. Nothing is reserved when either refuses.
    pub async fn reserve(&self, db: &Db, settings: &Settings) -> StoreResult<Result<(), Locked>> {
        let now = now_ms();
        self.with_counters(db, |account, client| {
            account.reserve(now, &account_policy(settings))?;
            client.reserve(now, &client_policy(settings))
        })
        .await
    }

    /// The password was wrong: the reservation stays as a failure, and a scope at its
    /// limit locks.
    pub async fn failed(&self, db: &Db, settings: &Settings) -> StoreResult<()> {
        let now = now_ms();
        self.with_counters(db, |account, client| {
            account.fail(now, &account_policy(settings));
            client.fail(now, &client_policy(settings));
            Ok::<(), ()>(())
        })
        .await
        .map(|_| ())
    }

    /// The password was right: the account's own counter is cleared; the client only
    /// gets its reservation back (failures against other accounts stay counted).
    pub async fn succeeded(&self, db: &Db) -> StoreResult<()> {
        self.with_counters(db, |account, client| {
            account.succeed();
            client.release();
            Ok::<(), ()>(())
        })
        .await
        .map(|_| ())
    }

    /// The password was never checked (the hasher was busy): both reservations are
    /// given back.
    pub async fn unchecked(&self, db: &Db) -> StoreResult<()> {
        self.with_counters(db, |account, client| {
            account.release();
            client.release();
            Ok::<(), ()>(())
        })
        .await
        .map(|_| ())
    }
}
