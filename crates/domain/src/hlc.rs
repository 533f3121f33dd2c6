//! Hybrid logical clock.
//!
//! Last-writer-wins merges need an order between writes made on different machines whose
//! wall clocks disagree by minutes. An HLC timestamp stays close to wall time but never
//! goes backwards on one node and is always later than anything the node has seen, so
//! "later" means "causally after" whenever it can, and ties break by node.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A point in hybrid-logical time. Its string form sorts like the value itself, so it can
/// be compared in SQL as TEXT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch (physical part).
    pub wall_ms: u64,
    /// Logical counter for events within the same millisecond.
    pub counter: u32,
    /// The node (device) that made the timestamp; breaks ties deterministically.
    pub node: u64,
}

/// How far ahead of our own clock a remote timestamp may be before we refuse to follow it.
/// Skews of minutes are normal on restaurant PCs; a day ahead is a broken clock and would
/// drag every later write into the future.
pub const MAX_FORWARD_DRIFT_MS: u64 = 24 * 60 * 60 * 1000;

/// Why an HLC string or a remote timestamp was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HlcError {
    /// The text is not `wall-counter-node`.
    #[error("malformed HLC timestamp: {0}")]
    Malformed(String),
    /// A remote clock is further ahead than [`MAX_FORWARD_DRIFT_MS`].
    #[error("remote clock is {ahead_ms} ms ahead of ours")]
    TooFarAhead {
        /// Milliseconds the remote timestamp is ahead of local wall time.
        ahead_ms: u64,
    },
}

/// The largest counter the six-digit string form holds.
const MAX_COUNTER: u32 = 999_999;

impl Hlc {
    /// The smallest timestamp; anything real is later.
    pub const ZERO: Hlc = Hlc {
        wall_ms: 0,
        counter: 0,
        node: 0,
    };
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:015}-{:06}-{:016x}",
            self.wall_ms, self.counter, self.node
        )
    }
}

impl FromStr for Hlc {
    type Err = HlcError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || HlcError::Malformed(s.chars().take(64).collect());
        let mut parts = s.split('-');
        let (Some(wall), Some(counter), Some(node), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        Ok(Hlc {
            wall_ms: wall.parse().map_err(|_| bad())?,
            counter: counter.parse().map_err(|_| bad())?,
            node: u64::from_str_radix(node, 16).map_err(|_| bad())?,
        })
    }
}

impl Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The clock of one node. Physical time is passed in, so the rules are testable and the
/// caller decides where time comes from.
#[derive(Clone, Debug)]
pub struct HlcClock {
    node: u64,
    last: Hlc,
}

impl HlcClock {
    /// A clock for `node`, resuming after `last` (the newest timestamp this node stored),
    /// so a restart with a clock set backwards still moves forward.
    pub fn new(node: u64, last: Hlc) -> Self {
        Self { node, last }
    }

    /// The node this clock stamps.
    pub fn node(&self) -> u64 {
        self.node
    }

    /// A timestamp for a local event, later than every timestamp this clock has issued or seen.
    pub fn tick(&mut self, physical_ms: u64) -> Hlc {
        let next = if physical_ms > self.last.wall_ms {
            Hlc {
                wall_ms: physical_ms,
                counter: 0,
                node: self.node,
            }
        } else {
            self.bump(self.last.wall_ms, self.last.counter)
        };
        self.last = next;
        next
    }

    /// Merges a timestamp received from another node, so the next local event sorts after it.
    pub fn observe(&mut self, remote: Hlc, physical_ms: u64) -> Result<Hlc, HlcError> {
        if remote.wall_ms > physical_ms.saturating_add(MAX_FORWARD_DRIFT_MS) {
            return Err(HlcError::TooFarAhead {
                ahead_ms: remote.wall_ms - physical_ms,
            });
        }
        let wall = physical_ms.max(self.last.wall_ms).max(remote.wall_ms);
        let next = if wall == self.last.wall_ms && wall == remote.wall_ms {
            self.bump(wall, self.last.counter.max(remote.counter))
        } else if wall == self.last.wall_ms {
            self.bump(wall, self.last.counter)
        } else if wall == remote.wall_ms {
            self.bump(wall, remote.counter)
        } else {
            Hlc {
                wall_ms: wall,
                counter: 0,
                node: self.node,
            }
        };
        self.last = next;
        Ok(next)
    }

    /// [`HlcClock::observe`] with a tighter bound: a remote stamp more than `max_ahead_ms`
    /// ahead of `physical_ms` is not followed (the caller stamps the change itself). The
    /// cloud follows a tenant's devices only this far, so one fast clock cannot drag the
    /// stamps of everything else that tenant writes.
    pub fn observe_within(
        &mut self,
        remote: Hlc,
        physical_ms: u64,
        max_ahead_ms: u64,
    ) -> Result<Hlc, HlcError> {
        if remote.wall_ms > physical_ms.saturating_add(max_ahead_ms) {
            return Err(HlcError::TooFarAhead {
                ahead_ms: remote.wall_ms - physical_ms,
            });
        }
        self.observe(remote, physical_ms)
    }

    /// The newest stamp this clock issued or followed.
    pub fn last(&self) -> Hlc {
        self.last
    }

    fn bump(&self, wall_ms: u64, counter: u32) -> Hlc {
        // A counter overflow inside one millisecond borrows the next millisecond rather
        // than wrapping, which would break monotonicity.
        // The string form keeps six counter digits, so the limit is where sorting stays right.
        match counter.checked_add(1).filter(|c| *c <= MAX_COUNTER) {
            Some(counter) => Hlc {
                wall_ms,
                counter,
                node: self.node,
            },
            None => Hlc {
                wall_ms: wall_ms + 1,
                counter: 0,
                node: self.node,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn string_form_round_trips_and_sorts() {
        let a = Hlc {
            wall_ms: 9,
            counter: 2,
            node: 0xabc,
        };
        let b = Hlc {
            wall_ms: 10,
            counter: 0,
            node: 1,
        };
        assert_eq!(a.to_string().parse::<Hlc>(), Ok(a));
        assert!(a.to_string() < b.to_string());
        assert!("12-x-3".parse::<Hlc>().is_err());
        assert!("1-2".parse::<Hlc>().is_err());
    }

    #[test]
    fn observe_within_follows_only_inside_the_bound() {
        let mut clock = HlcClock::new(1, Hlc::ZERO);
        let near = Hlc {
            wall_ms: 1_000 + 300_000,
            counter: 0,
            node: 2,
        };
        let far = Hlc {
            wall_ms: 1_000 + 300_001,
            counter: 0,
            node: 2,
        };
        assert!(clock.observe_within(far, 1_000, 300_000).is_err());
        assert_eq!(clock.last(), Hlc::ZERO);
        let next = clock.observe_within(near, 1_000, 300_000).expect("near");
        assert!(next > near);
        assert_eq!(clock.last(), next);
    }

    #[test]
    fn refuses_a_remote_clock_a_day_ahead() {
        let mut clock = HlcClock::new(1, Hlc::ZERO);
        let remote = Hlc {
            wall_ms: 1_000 + MAX_FORWARD_DRIFT_MS + 1,
            counter: 0,
            node: 2,
        };
        assert!(matches!(
            clock.observe(remote, 1_000),
            Err(HlcError::TooFarAhead { .. })
        ));
    }

    #[derive(Clone, Debug)]
    enum Event {
        Tick(u64),
        Observe(u64, u32, u64),
    }

    fn event() -> impl Strategy<Value = Event> {
        prop_oneof![
            (0u64..5_000).prop_map(Event::Tick),
            (0u64..5_000, 0u32..4, 0u64..5_000).prop_map(|(w, c, p)| Event::Observe(w, c, p)),
        ]
    }

    proptest! {
        #[test]
        fn never_goes_backwards_and_follows_what_it_saw(events in prop::collection::vec(event(), 1..200)) {
            let mut clock = HlcClock::new(7, Hlc::ZERO);
            let mut previous = Hlc::ZERO;
            for event in events {
                let stamp = match event {
                    Event::Tick(physical) => {
                        let stamp = clock.tick(physical);
                        prop_assert!(stamp.wall_ms >= physical);
                        stamp
                    }
                    Event::Observe(wall, counter, physical) => {
                        let remote = Hlc { wall_ms: wall, counter, node: 9 };
                        let stamp = clock.observe(remote, physical).expect("within drift");
                        prop_assert!(stamp > remote);
                        stamp
                    }
                };
                prop_assert!(stamp > previous, "{stamp} not after {previous}");
                prop_assert_eq!(stamp.node, 7);
                prop_assert!(stamp.to_string() > previous.to_string());
                previous = stamp;
            }
        }
    }
}
