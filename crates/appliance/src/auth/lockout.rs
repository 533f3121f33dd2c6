//! The lockout of one sign-in attempt: its scopes (the account or PIN, and the client),
//! reserved in one write transaction before the secret is checked, then settled as a
//! failure or a success. Rules: `dysa_domain::lockout`.

use crate::settings::Settings;
use crate::store::{Db, StoreResult, lockouts};
use dysa_domain::lockout::{Counter, Locked, Policy};

/// The scopes of one attempt: `account` (an email, or a user's PIN) and `client`.
#[derive(Clone, Debug)]
pub struct Attempt {
    account: String,
    client: String,
}

/// The lockout scope of a password sign-in for `email`.
pub fn email_scope(email: &str) -> String {
    format!("account:{email}")
}

/// The lockout scope of a PIN sign-in for `user`.
pub fn pin_scope(user: impl std::fmt::Display) -> String {
    format!("pin:{user}")
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
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
    /// An attempt on `account` (see [`email_scope`], [`pin_scope`]) from `client`.
    pub fn new(account: String, client: &str) -> Self {
        Self {
            account,
            client: format!("client:{client}"),
        }
    }

    /// Reserves the attempt in both scopes, or says how long the first locked one must
    /// wait. Nothing is reserved when either refuses.
    pub async fn reserve(&self, db: &Db, settings: &Settings) -> StoreResult<Result<(), Locked>> {
        let now = now_ms();
        let mut tx = db.begin().await?;
        let mut account = lockouts::load(&mut tx, &self.account).await?;
        let mut client = lockouts::load(&mut tx, &self.client).await?;
        let reserved = account
            .reserve(now, &account_policy(settings))
            .and_then(|()| client.reserve(now, &client_policy(settings)));
        if reserved.is_ok() {
            lockouts::save(&mut tx, &self.account, &account).await?;
            lockouts::save(&mut tx, &self.client, &client).await?;
            tx.commit().await?;
        }
        Ok(reserved)
    }

    async fn settle(
        &self,
        db: &Db,
        change: impl FnOnce(&mut Counter, &mut Counter),
    ) -> StoreResult<()> {
        let mut tx = db.begin().await?;
        let mut account = lockouts::load(&mut tx, &self.account).await?;
        let mut client = lockouts::load(&mut tx, &self.client).await?;
        change(&mut account, &mut client);
        lockouts::save(&mut tx, &self.account, &account).await?;
        lockouts::save(&mut tx, &self.client, &client).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The secret was wrong: the reservation stays as a failure, and a scope at its limit
    /// locks.
    pub async fn failed(&self, db: &Db, settings: &Settings) -> StoreResult<()> {
        let now = now_ms();
        self.settle(db, |account, client| {
            account.fail(now, &account_policy(settings));
            client.fail(now, &client_policy(settings));
        })
        .await
    }

    /// The secret was right: the account's own counter is cleared; the client only gets
    /// its reservation back (failures against other accounts stay counted).
    pub async fn succeeded(&self, db: &Db) -> StoreResult<()> {
        self.settle(db, |account, client| {
            account.succeed();
            client.release();
        })
        .await
    }

    /// The secret was never checked (the hasher was busy): both reservations are given
    /// back.
    pub async fn unchecked(&self, db: &Db) -> StoreResult<()> {
        self.settle(db, |account, client| {
            account.release();
            client.release();
        })
        .await
    }
}
