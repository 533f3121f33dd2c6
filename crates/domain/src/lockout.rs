//! The sign-in lockout rule, shared by the appliance and the cloud (each stores the
//! [`Counter`] of a scope in its own table and runs these rules inside one transaction).
//!
//! An attempt is *reserved* before the password or PIN is checked ([`Counter::reserve`]):
//! the counter is raised first, so parallel guesses cannot all read "4 failures" and all
//! be checked. A success clears only the counter of the account that succeeded
//! ([`Counter::succeed`]); for any other scope (the client address) it only gives back its
//! own reservation ([`Counter::release`]), so signing in to an account of one's own never
//! wipes the failures counted against someone else's. Once `max_failures` attempts fail
//! the scope is locked; with [`Policy::exponential`] each further lock lasts twice the
//! previous one (up to [`Policy::lock_cap_ms`]).

use serde::{Deserialize, Serialize};

/// The limits of one kind of scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Attempts (failed or still being checked) that lock the scope.
    pub max_failures: u32,
    /// Failures older than this (with no lock in force) are forgotten, in ms.
    pub window_ms: i64,
    /// The first lock's length, in ms.
    pub lock_base_ms: i64,
    /// The longest lock, in ms.
    pub lock_cap_ms: i64,
    /// Whether each further lock doubles (accounts) or all last `lock_base_ms` (clients).
    pub exponential: bool,
}

/// How long the history of locks is remembered for the exponential back-off: a day
/// without failures starts the account over at the base lock.
pub const LOCK_MEMORY_MS: i64 = 24 * 60 * 60 * 1000;

fn secs_to_ms(secs: u64) -> i64 {
    i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX / 2)
}

impl Policy {
    /// An account's (or a PIN's) policy from the servers' settings: `max_failures` within
    /// `window_secs`, a first lock of one window, each further lock doubling up to
    /// `lock_max_secs`.
    pub fn account(max_failures: u32, window_secs: u64, lock_max_secs: u64) -> Policy {
        Policy {
            max_failures: max_failures.max(1),
            window_ms: secs_to_ms(window_secs),
            lock_base_ms: secs_to_ms(window_secs),
            lock_cap_ms: secs_to_ms(lock_max_secs.max(window_secs)),
            exponential: true,
        }
    }

    /// A client address's policy: locks of one window, no back-off (a counter PC or an
    /// office is shared by many people, whose typos should not lock it for a day).
    pub fn client(max_failures: u32, window_secs: u64) -> Policy {
        Policy {
            exponential: false,
            ..Policy::account(max_failures, window_secs, window_secs)
        }
    }

    /// The length of the lock after `previous_locks` earlier ones.
    pub fn lock_ms(&self, previous_locks: u32) -> i64 {
        if !self.exponential {
            return self.lock_base_ms.min(self.lock_cap_ms);
        }
        let factor = 1i64.checked_shl(previous_locks.min(32)).unwrap_or(i64::MAX);
        self.lock_base_ms
            .saturating_mul(factor)
            .min(self.lock_cap_ms)
            .max(self.lock_base_ms.min(self.lock_cap_ms))
    }
}

/// The state of one scope (an account, a PIN, a client address).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    /// Attempts reserved and not given back: failures plus checks still running.
    pub attempts: u32,
    /// Locks so far (within [`LOCK_MEMORY_MS`] of the last attempt).
    pub locks: u32,
    /// Locked until this time (ms since the epoch), if a lock is in force.
    pub locked_until_ms: Option<i64>,
    /// When the last attempt was reserved (ms since the epoch).
    pub last_attempt_ms: i64,
}

/// Why an attempt may not be checked now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locked {
    /// Milliseconds until the scope can be tried again (at least 1000).
    pub retry_after_ms: i64,
}

impl Locked {
    /// The wait in whole seconds, rounded up (for `Retry-After`).
    pub fn retry_after_secs(&self) -> u64 {
        u64::try_from((self.retry_after_ms + 999) / 1000)
            .unwrap_or(1)
            .max(1)
    }
}

impl Counter {
    /// Whether a lock is in force at `now_ms`.
    pub fn locked_at(&self, now_ms: i64) -> Option<Locked> {
        self.locked_until_ms
            .filter(|until| *until > now_ms)
            .map(|until| Locked {
                retry_after_ms: (until - now_ms).max(1000),
            })
    }

    /// Reserves one attempt at `now_ms`, or says how long to wait. Forgets what has
    /// expired first: a lock that ended (its attempts start over, its count of locks
    /// stays), failures older than the window, locks older than a day.
    pub fn reserve(&mut self, now_ms: i64, policy: &Policy) -> Result<(), Locked> {
        if let Some(locked) = self.locked_at(now_ms) {
            return Err(locked);
        }
        if self.locked_until_ms.take().is_some() {
            self.attempts = 0;
        }
        let idle = now_ms.saturating_sub(self.last_attempt_ms);
        if idle > policy.window_ms {
            self.attempts = 0;
        }
        if idle > LOCK_MEMORY_MS {
            self.locks = 0;
        }
        if self.attempts >= policy.max_failures {
            // The earlier attempts are still being checked; if they fail, this is the lock.
            return Err(Locked {
                retry_after_ms: policy.lock_ms(self.locks).max(1000),
            });
        }
        self.attempts += 1;
        self.last_attempt_ms = now_ms;
        Ok(())
    }

    /// The reserved attempt failed: once the attempts reach the limit, locks the scope.
    pub fn fail(&mut self, now_ms: i64, policy: &Policy) {
        if self.attempts >= policy.max_failures && self.locked_at(now_ms).is_none() {
            self.locked_until_ms = Some(now_ms.saturating_add(policy.lock_ms(self.locks)));
            self.locks = self.locks.saturating_add(1);
        }
    }

    /// The reserved attempt succeeded, for the account's own scope: everything is
    /// forgotten.
    pub fn succeed(&mut self) {
        *self = Counter::default();
    }

    /// The reserved attempt succeeded, for a shared scope (the client): only this
    /// attempt's reservation is given back; failures against other accounts stay.
    pub fn release(&mut self) {
        self.attempts = self.attempts.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MIN: i64 = 60_000;

    fn account() -> Policy {
        Policy {
            max_failures: 5,
            window_ms: 15 * MIN,
            lock_base_ms: 15 * MIN,
            lock_cap_ms: 24 * 60 * MIN,
            exponential: true,
        }
    }

    #[test]
    fn the_sixth_attempt_is_refused_while_five_are_in_flight() {
        let mut c = Counter::default();
        for _ in 0..5 {
            c.reserve(0, &account()).expect("free");
        }
        assert!(c.reserve(0, &account()).is_err());
    }

    #[test]
    fn five_failures_lock_and_each_further_lock_doubles() {
        let p = account();
        let mut c = Counter::default();
        let mut now = 0;
        for expected in [15 * MIN, 30 * MIN, 60 * MIN] {
            for _ in 0..5 {
                c.reserve(now, &p).expect("free");
                c.fail(now, &p);
            }
            let locked = c.reserve(now, &p).expect_err("locked");
            assert_eq!(locked.retry_after_ms, expected);
            assert!(c.reserve(now + expected - 1, &p).is_err());
            now += expected;
        }
        c.reserve(now, &p).expect("the lock ended");
    }

    #[test]
    fn a_success_clears_the_account_but_release_keeps_others_failures() {
        let p = account();
        let mut client = Counter::default();
        for _ in 0..4 {
            client.reserve(0, &p).expect("free");
            client.fail(0, &p);
        }
        client.reserve(0, &p).expect("free");
        client.release();
        assert_eq!(client.attempts, 4);
        client.reserve(0, &p).expect("one left");
        client.fail(0, &p);
        assert!(client.reserve(0, &p).is_err());
        let mut own = client;
        own.succeed();
        assert_eq!(own, Counter::default());
    }

    #[test]
    fn old_failures_and_old_locks_are_forgotten() {
        let p = account();
        let mut c = Counter::default();
        for _ in 0..4 {
            c.reserve(0, &p).expect("free");
            c.fail(0, &p);
        }
        c.reserve(16 * MIN, &p).expect("free");
        assert_eq!(c.attempts, 1);
        c.locks = 3;
        c.reserve(16 * MIN + LOCK_MEMORY_MS + 1, &p).expect("free");
        assert_eq!(c.locks, 0);
    }

    #[test]
    fn the_back_off_is_capped_and_flat_without_exponential() {
        let p = account();
        assert_eq!(p.lock_ms(40), p.lock_cap_ms);
        let flat = Policy {
            exponential: false,
            ..p
        };
        assert_eq!(flat.lock_ms(7), 15 * MIN);
    }

    proptest! {
        /// Whatever the interleaving of reservations, failures and successes, no more than
        /// `max_failures` attempts are ever outstanding at once, and a locked scope admits
        /// nothing until the lock ends.
        #[test]
        fn never_more_than_the_limit_outstanding(ops in proptest::collection::vec((0u8..4, 0i64..120_000), 1..200)) {
            let p = Policy { max_failures: 5, window_ms: 900_000, lock_base_ms: 900_000, lock_cap_ms: 86_400_000, exponential: true };
            let mut c = Counter::default();
            let mut now = 0i64;
            let mut in_flight = 0u32;
            for (op, dt) in ops {
                now += dt;
                match op {
                    0 | 1 => {
                        let was_locked = c.locked_at(now).is_some();
                        if c.reserve(now, &p).is_ok() {
                            prop_assert!(!was_locked);
                            in_flight += 1;
                        }
                    }
                    2 if in_flight > 0 => { in_flight -= 1; c.fail(now, &p); }
                    3 if in_flight > 0 => { in_flight -= 1; c.release(); }
                    _ => {}
                }
                prop_assert!(c.attempts <= p.max_failures);
            }
        }
    }
}
