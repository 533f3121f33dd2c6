//! One hybrid logical clock per tenant.
//!
//! The cloud stamps what it writes itself (owner edits, widget orders, bookings, chat
//! rows) and follows the stamps devices push, so later cloud writes sort after them. With
//! one clock for every tenant, one tenant's device with a fast clock dragged the stamps of
//! every other tenant, and with them last-writer-wins against those tenants' counters.
//! Here each tenant has its own clock: resumed after the tenant's newest stored stamp the
//! first time this process uses it (as an appliance resumes after its newest), following
//! only that tenant's devices, and only within `sync_max_clock_skew_secs`. A stamp further
//! ahead (up to the day that [`dysa_domain::hlc::MAX_FORWARD_DRIFT_MS`] still accepts) is
//! not followed: the push applies that change with the tenant clock's own stamp and
//! answers `adjusted`, reason [`CLOCK_SKEW`].

use crate::store::{StoreResult, Tx};
use dysa_domain::hlc::{Hlc, HlcClock, MAX_FORWARD_DRIFT_MS};
use dysa_domain::ids::TenantId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// The reason code of a change applied with the cloud's stamp because the device's clock
/// was ahead by more than the allowed skew.
pub const CLOCK_SKEW: &str = "clock_skew";

/// Every tenant's clock in this process.
#[derive(Debug)]
pub struct TenantClocks {
    node: u64,
    max_skew_ms: u64,
    clocks: Mutex<HashMap<TenantId, TenantClock>>,
}

/// The clock of one tenant; cheap to clone (clones share the clock).
#[derive(Clone, Debug)]
pub struct TenantClock {
    clock: Arc<Mutex<HlcClock>>,
    max_skew_ms: u64,
}

fn wall_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0)
}

impl TenantClocks {
    /// Clocks stamping as `node`, following devices at most `max_skew_ms` ahead.
    pub fn new(node: u64, max_skew_ms: u64) -> Self {
        Self {
            node,
            max_skew_ms,
            clocks: Mutex::new(HashMap::new()),
        }
    }

    fn map(&self) -> MutexGuard<'_, HashMap<TenantId, TenantClock>> {
        self.clocks.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The clock of `tenant`, resumed after `newest` if this is its first use.
    pub fn resume(&self, tenant: TenantId, newest: Option<Hlc>) -> TenantClock {
        self.map()
            .entry(tenant)
            .or_insert_with(|| TenantClock {
                clock: Arc::new(Mutex::new(HlcClock::new(
                    self.node,
                    newest.unwrap_or(Hlc::ZERO),
                ))),
                max_skew_ms: self.max_skew_ms,
            })
            .clone()
    }

    /// The clock of the tenant of `tx` (a tenant transaction), resumed after the newest
    /// stamp stored for that tenant the first time this process uses it.
    pub async fn of(&self, tx: &mut Tx) -> StoreResult<TenantClock> {
        let tenant = crate::store::current_tenant(tx).await?;
        if let Some(clock) = self.map().get(&tenant) {
            return Ok(clock.clone());
        }
        let newest = crate::store::newest_stamp(tx).await?;
        Ok(self.resume(tenant, newest.and_then(|h| h.parse().ok())))
    }
}

impl TenantClock {
    fn lock(&self) -> MutexGuard<'_, HlcClock> {
        self.clock.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The most a followed device stamp may be ahead of the wall clock, in ms.
    pub fn max_skew_ms(&self) -> u64 {
        self.max_skew_ms
    }

    /// A fresh stamp for a change the cloud makes for this tenant at `now_ms`.
    pub fn tick_at(&self, now_ms: u64) -> Hlc {
        self.lock().tick(now_ms)
    }

    /// A fresh stamp for a change the cloud makes for this tenant now.
    pub fn tick(&self) -> Hlc {
        self.tick_at(wall_ms())
    }

    /// Follows a device's stamp when it is at most the allowed skew ahead of `now_ms`;
    /// false (nothing followed) when it is further ahead.
    pub fn follow(&self, seen: Hlc, now_ms: u64) -> bool {
        self.lock()
            .observe_within(seen, now_ms, self.max_skew_ms)
            .is_ok()
    }

    /// A fresh stamp later than `newest` (the newest stamp of the row being edited), so
    /// an owner's edit wins over what the row holds. Rows hold only this tenant's stamps,
    /// so following them moves no other tenant's clock.
    pub fn stamp_after(&self, newest: Option<&str>) -> Hlc {
        let now = wall_ms();
        let mut clock = self.lock();
        if let Some(seen) = newest.and_then(|h| h.parse::<Hlc>().ok()) {
            // A stamp more than a day ahead is refused by the clock; the edit then simply
            // takes the local time.
            let _ = clock.observe_within(seen, now, MAX_FORWARD_DRIFT_MS);
        }
        clock.tick(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOW: u64 = 1_800_000_000_000;
    const SKEW: u64 = 300_000;

    fn stamp(wall_ms: u64) -> Hlc {
        Hlc {
            wall_ms,
            counter: 0,
            node: 7,
        }
    }

    #[test]
    fn a_tenant_clock_follows_only_within_the_skew() {
        let clocks = TenantClocks::new(1, SKEW);
        let a = clocks.resume(TenantId::new(), None);
        assert!(!a.follow(stamp(NOW + SKEW + 1), NOW));
        assert!(a.tick_at(NOW).wall_ms <= NOW);
        assert!(a.follow(stamp(NOW + SKEW), NOW));
        assert!(a.tick_at(NOW) > stamp(NOW + SKEW));
    }

    #[test]
    fn a_clock_resumes_after_the_newest_stored_stamp() {
        let clocks = TenantClocks::new(1, SKEW);
        let tenant = TenantId::new();
        let clock = clocks.resume(tenant, Some(stamp(NOW + 1_000)));
        assert!(clock.tick_at(NOW) > stamp(NOW + 1_000));
        // Later uses share it; the stored stamp is read once.
        let again = clocks.resume(tenant, None);
        assert!(again.tick_at(NOW) > stamp(NOW + 1_000));
    }

    proptest! {
        /// Whatever tenant A's devices push (any stamp up to a day ahead, any order),
        /// the stamps the cloud gives tenant B are exactly the ones it would give with no
        /// tenant A at all.
        #[test]
        fn no_push_of_tenant_a_changes_a_stamp_of_tenant_b(
            steps in proptest::collection::vec((any::<bool>(), 0u64..MAX_FORWARD_DRIFT_MS, 0u64..5_000), 1..100)
        ) {
            let with_a = TenantClocks::new(1, SKEW);
            let without_a = TenantClocks::new(1, SKEW);
            let (a, b) = (TenantId::new(), TenantId::new());
            let mut now = NOW;
            for (push_from_a, ahead, elapsed) in steps {
                now += elapsed;
                if push_from_a {
                    with_a.resume(a, None).follow(stamp(now + ahead), now);
                } else {
                    let seen = stamp(now + ahead % (2 * SKEW));
                    with_a.resume(b, None).follow(seen, now);
                    without_a.resume(b, None).follow(seen, now);
                }
                let b_with = with_a.resume(b, None).tick_at(now);
                let b_without = without_a.resume(b, None).tick_at(now);
                prop_assert_eq!(b_with, b_without);
                prop_assert!(b_with.wall_ms <= now + SKEW);
            }
        }
    }
}
