//! Budgets of the public and device surfaces (docs/SECURITY.md, "Budgets on the public and
//! device surfaces"): who the client is (the right-most untrusted hop of
//! `X-Forwarded-For`, IPv6 by /64), the per-client limiters kept in bounded memory, the
//! per-location budgets of widget orders, bookings and chat turns, and the caps on a
//! device's concurrent pushes and live streams.
//!
//! Everything here is per instance (memory, no database): with several instances behind
//! a balancer each budget is multiplied by their number, which still bounds it.

use axum::http::HeaderMap;
use dysa_domain::ids::{DeviceId, LocationId};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How often the instance forgets clients whose budgets are whole again.
pub const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// Most `X-Forwarded-For` entries read from the right: a longer chain of trusted
/// proxies is a misconfiguration, and a client must not make us walk a megabyte.
const MAX_HOPS: usize = 32;

/// A block of addresses, `addr/prefix` (a bare address is a block of one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

/// A CIDR that does not parse.
#[derive(Debug, thiserror::Error)]
#[error("not an address or CIDR block: {0:?}")]
pub struct BadCidr(pub String);

impl FromStr for Cidr {
    type Err = BadCidr;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadCidr(text.to_owned());
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text.trim(), None),
        };
        let addr = IpAddr::from_str(addr).map_err(|_| bad())?.to_canonical();
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
            None => max,
        };
        Ok(Cidr { addr, prefix })
    }
}

fn masked(ip: IpAddr, prefix: u8) -> u128 {
    let (bits, width) = match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32u32),
        IpAddr::V6(v6) => (u128::from(v6), 128u32),
    };
    let keep = u32::from(prefix).min(width);
    if keep == 0 { 0 } else { bits >> (width - keep) }
}

impl Cidr {
    /// Whether `ip` lies in the block.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        ip.is_ipv4() == self.addr.is_ipv4()
            && masked(ip, self.prefix) == masked(self.addr, self.prefix)
    }
}

/// The proxies whose `X-Forwarded-For` entries are believed (setting `trusted_proxies`).
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    /// Of blocks already parsed.
    pub fn new(blocks: Vec<Cidr>) -> Self {
        TrustedProxies(blocks)
    }

    /// Parses the setting's list.
    pub fn parse(list: &[String]) -> Result<Self, BadCidr> {
        list.iter()
            .map(|entry| entry.parse())
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|block| block.contains(ip))
    }

    /// The client's address: the peer when it is not a trusted proxy; else, walking
    /// `X-Forwarded-For` from the right (each trusted proxy appends the address it got
    /// the request from), the first entry that is not a trusted proxy. Everything left
    /// of it was written by the client and is ignored. `None` without a peer (requests
    /// served in-process).
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let mut hop = peer?.to_canonical();
        if !self.trusts(hop) {
            return Some(hop);
        }
        let entries: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for entry in entries.iter().rev().take(MAX_HOPS) {
            // A trusted proxy always appends a valid address; garbage right of the first
            // untrusted hop means the chain is broken there, and the last proxy we
            // trust is as far as we can see.
            let Some(ip) = parse_hop(entry) else {
                return Some(hop);
            };
            hop = ip;
            if !self.trusts(ip) {
                return Some(ip);
            }
        }
        Some(hop)
    }
}

/// One `X-Forwarded-For` entry: an address, optionally with a port (`1.2.3.4:80`,
/// `[2001:db8::1]:443`).
fn parse_hop(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim().trim_matches('"');
    IpAddr::from_str(entry)
        .ok()
        .or_else(|| std::net::SocketAddr::from_str(entry).ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

/// The key every per-client limit and lockout uses for `ip`: IPv4 as is, IPv6 by its
/// /64 (one household or server usually holds a whole /64, so per-address keys would
/// give it 2^64 budgets). `local` without an address.
pub fn client_key(ip: Option<IpAddr>) -> String {
    match ip {
        None => "local".to_owned(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            format!("{}/64", Ipv6Addr::from(prefix))
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// A per-client limiter registered for pruning: prunes what it can and says how many
/// clients it still tracks.
struct Prune(Box<dyn Fn() -> usize + Send + Sync>);

/// A per-location budget: what the owner sets per hour in the widget settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Budget {
    /// Widget orders.
    Orders,
    /// Widget bookings.
    Bookings,
    /// Diners' chat messages.
    ChatTurns,
}

/// A token bucket of one location's budget: `capacity` tokens, refilled evenly over an
/// hour.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    capacity: f64,
    at: Instant,
}

impl Bucket {
    fn refill(&mut self, now: Instant, capacity: f64) {
        let per_sec = capacity / 3600.0;
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.capacity = capacity;
        self.tokens = (self.tokens + elapsed * per_sec).min(capacity);
        self.at = now;
    }
}

/// What a device holds open at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeviceSlot {
    /// `POST /sync/push`.
    Push,
    /// `GET /sync/live`.
    Live,
}

#[derive(Debug)]
struct Inner {
    proxies: TrustedProxies,
    limiters: Mutex<Vec<Prune>>,
    preflights: DefaultKeyedRateLimiter<String>,
    budgets: Mutex<HashMap<(LocationId, Budget), Bucket>>,
    device_slots: Mutex<HashMap<(DeviceId, DeviceSlot), usize>>,
    max_pushes: usize,
    max_streams: usize,
}

impl std::fmt::Debug for Prune {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Prune")
    }
}

/// The instance's budgets; cheap to clone.
#[derive(Clone, Debug)]
pub struct Limits {
    inner: Arc<Inner>,
}

/// The numbers [`Limits`] is built from (from the settings).
#[derive(Clone, Debug)]
pub struct LimitsConfig {
    /// `trusted_proxies`, parsed.
    pub proxies: TrustedProxies,
    /// CORS preflights allowed per client in a burst.
    pub preflight_burst: u32,
    /// One more preflight per this many milliseconds.
    pub preflight_period_ms: u64,
    /// Concurrent pushes per device.
    pub max_pushes: usize,
    /// Concurrent live streams per device.
    pub max_streams: usize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            proxies: TrustedProxies::default(),
            preflight_burst: 30,
            preflight_period_ms: 1000,
            max_pushes: 2,
            max_streams: 2,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(LimitsConfig::default())
    }
}

/// Refused: try again after this many seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter(pub u64);

impl Limits {
    /// Budgets per `config`.
    pub fn new(config: LimitsConfig) -> Self {
        let period = Duration::from_millis(config.preflight_period_ms.max(1));
        let burst = NonZeroU32::new(config.preflight_burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        Limits {
            inner: Arc::new(Inner {
                proxies: config.proxies,
                limiters: Mutex::new(Vec::new()),
                preflights: DefaultKeyedRateLimiter::keyed(quota),
                budgets: Mutex::new(HashMap::new()),
                device_slots: Mutex::new(HashMap::new()),
                max_pushes: config.max_pushes.max(1),
                max_streams: config.max_streams.max(1),
            }),
        }
    }

    /// The trusted proxies, for [`TrustedProxies::client`].
    pub fn proxies(&self) -> &TrustedProxies {
        &self.inner.proxies
    }

    /// Registers a per-client limiter for [`Limits::prune`]: `prune` drops the clients
    /// whose budget is whole again and answers how many remain.
    pub fn register(&self, prune: impl Fn() -> usize + Send + Sync + 'static) {
        lock(&self.inner.limiters).push(Prune(Box::new(prune)));
    }

    /// Counts one CORS preflight of `client` (they reach the slug lookup, so they have a
    /// budget like every other public request).
    pub fn preflight(&self, client: &str) -> Result<(), RetryAfter> {
        self.inner
            .preflights
            .check_key(&client.to_owned())
            .map_err(|refused| {
                let wait = refused.wait_time_from(DefaultClock::default().now());
                RetryAfter(wait.as_secs().max(1))
            })
    }

    /// Spends one unit of `location`'s `budget`, whose owner allows `per_hour`.
    pub fn spend(
        &self,
        location: LocationId,
        budget: Budget,
        per_hour: u32,
    ) -> Result<(), RetryAfter> {
        let capacity = f64::from(per_hour.max(1));
        let now = Instant::now();
        let mut buckets = lock(&self.inner.budgets);
        let bucket = buckets.entry((location, budget)).or_insert(Bucket {
            tokens: capacity,
            capacity,
            at: now,
        });
        bucket.refill(now, capacity);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let per_sec = capacity / 3600.0;
            let wait = ((1.0 - bucket.tokens) / per_sec).ceil();
            // Bounded by an hour: the cast cannot overflow.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Err(RetryAfter((wait as u64).clamp(1, 3600)))
        }
    }

    /// Takes one of the device's `slot`s, held until the guard drops; `None` when the
    /// device already holds as many as allowed.
    pub fn device_slot(&self, device: DeviceId, slot: DeviceSlot) -> Option<SlotGuard> {
        let max = match slot {
            DeviceSlot::Push => self.inner.max_pushes,
            DeviceSlot::Live => self.inner.max_streams,
        };
        let mut slots = lock(&self.inner.device_slots);
        let held = slots.entry((device, slot)).or_insert(0);
        if *held >= max {
            return None;
        }
        *held += 1;
        Some(SlotGuard {
            limits: self.clone(),
            key: (device, slot),
        })
    }

    /// How many of its `slot`s the device holds now (for tests and diagnostics).
    pub fn device_slots_held(&self, device: DeviceId, slot: DeviceSlot) -> usize {
        lock(&self.inner.device_slots)
            .get(&(device, slot))
            .copied()
            .unwrap_or(0)
    }

    /// Forgets every client whose budget is whole again, every full location bucket and
    /// (already) every released device slot; answers how many entries remain in all. Run
    /// by [`Limits::spawn_pruning`], and by tests.
    pub fn prune(&self) -> usize {
        let mut remaining = 0;
        for prune in lock(&self.inner.limiters).iter() {
            remaining += (prune.0)();
        }
        let preflights = &self.inner.preflights;
        preflights.retain_recent();
        preflights.shrink_to_fit();
        remaining += preflights.len();
        let now = Instant::now();
        let mut buckets = lock(&self.inner.budgets);
        buckets.retain(|_, bucket| {
            let capacity = bucket.capacity;
            bucket.refill(now, capacity);
            bucket.tokens < capacity
        });
        buckets.shrink_to_fit();
        remaining += buckets.len();
        remaining + lock(&self.inner.device_slots).len()
    }

    /// Prunes every `every` while the instance lives.
    pub fn spawn_pruning(&self, every: Duration) {
        let weak = Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(inner) = weak.upgrade() else { return };
                let remaining = Limits { inner }.prune();
                tracing::debug!(remaining, "budgets pruned");
            }
        });
    }
}

/// One device slot, given back on drop.
#[derive(Debug)]
pub struct SlotGuard {
    limits: Limits,
    key: (DeviceId, DeviceSlot),
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let mut slots = lock(&self.limits.inner.device_slots);
        if let Some(held) = slots.get_mut(&self.key) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                slots.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use proptest::prelude::*;

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
            .expect("valid CIDRs")
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_str(value).expect("header"),
        );
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let trusted = proxies(&["10.0.0.0/8"]);
        let found = trusted.client(Some(ip("203.0.113.7")), &forwarded("1.1.1.1"));
        assert_eq!(found, Some(ip("203.0.113.7")));
    }

    #[test]
    fn the_right_most_untrusted_hop_wins_over_what_the_client_wrote() {
        let trusted = proxies(&["10.0.0.0/8", "192.168.1.1"]);
        // client-made entries, then the real client, then a second proxy.
        let headers = forwarded("6.6.6.6, 7.7.7.7, 198.51.100.4, 10.1.2.3");
        let found = trusted.client(Some(ip("192.168.1.1")), &headers);
        assert_eq!(found, Some(ip("198.51.100.4")));
    }

    #[test]
    fn garbage_and_ports_in_the_chain() {
        let trusted = proxies(&["10.0.0.1"]);
        assert_eq!(
            trusted.client(Some(ip("10.0.0.1")), &forwarded("[2001:db8::1]:443")),
            Some(ip("2001:db8::1"))
        );
        assert_eq!(
            trusted.client(Some(ip("10.0.0.1")), &forwarded("1.2.3.4, nonsense")),
            Some(ip("10.0.0.1"))
        );
        assert_eq!(
            trusted.client(Some(ip("10.0.0.1")), &HeaderMap::new()),
            Some(ip("10.0.0.1"))
        );
    }

    #[test]
    fn ipv6_is_keyed_by_its_64() {
        assert_eq!(
            client_key(Some(ip("2001:db8:1:2:aaaa::1"))),
            client_key(Some(ip("2001:db8:1:2:ffff::9")))
        );
        assert_ne!(
            client_key(Some(ip("2001:db8:1:2::1"))),
            client_key(Some(ip("2001:db8:1:3::1")))
        );
        assert_eq!(client_key(Some(ip("2001:db8:1:2::1"))), "2001:db8:1:2::/64");
        assert_eq!(client_key(Some(ip("192.0.2.1"))), "192.0.2.1");
        assert_eq!(
            client_key(Some(ip("::ffff:192.0.2.1").to_canonical())),
            "192.0.2.1"
        );
    }

    #[test]
    fn bad_cidrs_are_refused() {
        for bad in ["10.0.0.0/33", "nope", "::1/129", "10.0.0.0/"] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn budgets_refuse_with_a_wait_then_refill() {
        let limits = Limits::default();
        let location = LocationId::new();
        for _ in 0..3 {
            assert!(limits.spend(location, Budget::Orders, 3).is_ok());
        }
        let RetryAfter(wait) = limits
            .spend(location, Budget::Orders, 3)
            .expect_err("over budget");
        assert!((1..=1200).contains(&wait), "{wait}");
        // Another location, or another budget, is untouched.
        assert!(limits.spend(LocationId::new(), Budget::Orders, 3).is_ok());
        assert!(limits.spend(location, Budget::Bookings, 3).is_ok());
    }

    #[test]
    fn device_slots_are_given_back() {
        let limits = Limits::default();
        let device = DeviceId::new();
        let a = limits.device_slot(device, DeviceSlot::Push).expect("one");
        let _b = limits.device_slot(device, DeviceSlot::Push).expect("two");
        assert!(limits.device_slot(device, DeviceSlot::Push).is_none());
        assert!(limits.device_slot(device, DeviceSlot::Live).is_some());
        drop(a);
        assert!(limits.device_slot(device, DeviceSlot::Push).is_some());
    }

    proptest! {
        /// Whatever the client writes left of the trusted chain, the answer is the hop
        /// the trusted proxy saw.
        #[test]
        fn spoofed_entries_never_change_the_client(
            spoofed in proptest::collection::vec(any::<[u8; 4]>(), 0..6),
            real in any::<[u8; 4]>(),
        ) {
            prop_assume!(real[0] != 10);
            let trusted = proxies(&["10.0.0.0/8"]);
            let real = IpAddr::from(real);
            let mut chain: Vec<String> =
                spoofed.iter().map(|o| IpAddr::from(*o).to_string()).collect();
            chain.push(real.to_string());
            chain.push("10.9.8.7".to_owned());
            let found = trusted.client(Some(ip("10.0.0.2")), &forwarded(&chain.join(", ")));
            prop_assert_eq!(found, Some(real));
        }

        #[test]
        fn a_block_contains_exactly_its_prefix(a in any::<u32>(), b in any::<u32>(), prefix in 0u8..=32) {
            let block: Cidr = format!("{}/{prefix}", std::net::Ipv4Addr::from(a)).parse().expect("cidr");
            let same = prefix == 0 || (a >> (32 - u32::from(prefix))) == (b >> (32 - u32::from(prefix)));
            prop_assert_eq!(block.contains(IpAddr::from(std::net::Ipv4Addr::from(b))), same);
        }
    }
}
