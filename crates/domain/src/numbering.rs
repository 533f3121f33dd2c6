//! Order numbers that never collide between the counters of one location, online or
//! offline.
//!
//! Each counter (appliance) of a location holds a **counter slot**, A to Z, and numbers its
//! day's orders inside its own range: slot A (the first counter, and every restaurant with
//! one) gives 1, 2, 3…; slot B gives 10001, 10002…, shown as `B-1`, `B-2`. Two counters
//! that never speak still never hand out the same number, because their ranges are apart;
//! the number stays the one integer every replica and the cloud already carry
//! (`orders.number`), and every screen and ticket shows it through [`label`].
//!
//! A counter's 10,000th order of a day does not spill into the next counter's range: it
//! moves to a range further up that only its slot uses ([`number`] is a bijection between
//! `(slot, n)` and the numbers, proved below).
//!
//! Slots are claimed with a synced setting per device (`counter_slot.<device id>`,
//! [`crate::settings::keys::COUNTER_SLOT_PREFIX`]):
//! [`settle`] keeps a counter's claim unless a device with a smaller id claims the same
//! slot, and otherwise picks the lowest slot nobody claims and no known order uses. A
//! counter that joins a location pulls the claims before it takes orders, so it picks a
//! free slot; two counters joining in the same instant pick apart again at their next
//! pull (the smaller id keeps the slot), which the property tests check.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Numbers per range: a slot's `n`-th order of the day, for `n` below this, is
/// `slot × BLOCK + n`.
pub const BLOCK: i64 = 10_000;

/// How many counters a location may number apart: the letters A to Z.
pub const SLOTS: u8 = 26;

/// Why an order number cannot be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum NumberingError {
    /// Not a slot (A–Z are 0–25).
    #[error("counter slot {0} is out of range")]
    Slot(u8),
    /// Daily numbers start at 1.
    #[error("daily number {0} is not positive")]
    Daily(i64),
    /// Beyond what an `i64` holds.
    #[error("order number out of range")]
    Overflow,
}

/// One counter's range of order numbers: A (0) to Z (25).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct CounterSlot(u8);

impl CounterSlot {
    /// Slot A: the first counter of a location, whose numbers carry no prefix.
    pub const A: CounterSlot = CounterSlot(0);

    /// A slot from its index (0 = A).
    pub fn new(index: u8) -> Result<CounterSlot, NumberingError> {
        if index < SLOTS {
            Ok(CounterSlot(index))
        } else {
            Err(NumberingError::Slot(index))
        }
    }

    /// Its index (0 = A).
    pub fn index(self) -> u8 {
        self.0
    }

    /// Its letter, `A`–`Z`.
    pub fn letter(self) -> char {
        char::from(b'A' + self.0)
    }

    /// Every slot, A first.
    pub fn all() -> impl Iterator<Item = CounterSlot> {
        (0..SLOTS).map(CounterSlot)
    }
}

impl TryFrom<u8> for CounterSlot {
    type Error = NumberingError;
    fn try_from(index: u8) -> Result<Self, Self::Error> {
        CounterSlot::new(index)
    }
}

impl From<CounterSlot> for u8 {
    fn from(slot: CounterSlot) -> u8 {
        slot.0
    }
}

/// The order number of `slot`'s `daily`-th order (from 1): `slot × BLOCK + daily` while
/// `daily < BLOCK`; past that, ranges `(k × SLOTS + slot) × BLOCK + r` that only this
/// slot uses, so the numbers of two slots never meet however busy a day is.
pub fn number(slot: CounterSlot, daily: i64) -> Result<i64, NumberingError> {
    if daily < 1 {
        return Err(NumberingError::Daily(daily));
    }
    let per_range = BLOCK - 1;
    let round = (daily - 1) / per_range;
    let rest = (daily - 1) % per_range + 1;
    round
        .checked_mul(i64::from(SLOTS))
        .and_then(|r| r.checked_add(i64::from(slot.0)))
        .and_then(|range| range.checked_mul(BLOCK))
        .and_then(|base| base.checked_add(rest))
        .ok_or(NumberingError::Overflow)
}

/// The slot and daily count of an order number ([`number`]'s inverse); `None` for
/// numbers no counter makes (0, negatives, multiples of `BLOCK`).
pub fn decode(number: i64) -> Option<(CounterSlot, i64)> {
    if number < 1 || number % BLOCK == 0 {
        return None;
    }
    let range = number / BLOCK;
    let rest = number % BLOCK;
    let slot = u8::try_from(range % i64::from(SLOTS)).ok()?;
    let round = range / i64::from(SLOTS);
    let daily = round.checked_mul(BLOCK - 1)?.checked_add(rest)?;
    Some((CounterSlot(slot), daily))
}

/// The slot an order number was made in.
pub fn slot_of(number: i64) -> Option<CounterSlot> {
    decode(number).map(|(slot, _)| slot)
}

/// An order number as staff and diners read it, the same on tickets, the kitchen
/// screen, the panel and the widget: `12` for counter A, `B-12` for counter B. A number
/// no counter makes shows as it is.
pub fn label(number: i64) -> String {
    match decode(number) {
        Some((slot, daily)) if slot == CounterSlot::A => daily.to_string(),
        Some((slot, daily)) => format!("{}-{daily}", slot.letter()),
        None => number.to_string(),
    }
}

/// The slot a device numbers in, given its own standing claim (`mine`), the other
/// devices' claims of the location (`others`: device id and slot) and the slots of the
/// orders it holds (`seen`). A claim stands unless a device with a smaller id claims the
/// same slot; otherwise the lowest slot that no other device claims and no order uses.
/// `None` when all 26 are taken.
pub fn settle(
    me: &str,
    mine: Option<CounterSlot>,
    others: &[(String, CounterSlot)],
    seen: &[CounterSlot],
) -> Option<CounterSlot> {
    if let Some(slot) = mine
        && !others
            .iter()
            .any(|(device, claimed)| *claimed == slot && device.as_str() < me)
    {
        return Some(slot);
    }
    CounterSlot::all().find(|slot| {
        Some(*slot) != mine && !others.iter().any(|(_, c)| c == slot) && !seen.contains(slot)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn counter_a_reads_as_always_and_b_carries_its_letter() {
        let b = CounterSlot::new(1).expect("slot");
        assert_eq!(number(CounterSlot::A, 7), Ok(7));
        assert_eq!(label(7), "7");
        assert_eq!(number(b, 7), Ok(10_007));
        assert_eq!(label(10_007), "B-7");
        // The 10,000th order of counter A skips past every slot's first range.
        assert_eq!(number(CounterSlot::A, 9_999), Ok(9_999));
        assert_eq!(number(CounterSlot::A, 10_000), Ok(260_001));
        assert_eq!(label(260_001), "10000");
        assert_eq!(number(b, 0), Err(NumberingError::Daily(0)));
        assert_eq!(CounterSlot::new(26), Err(NumberingError::Slot(26)));
        assert_eq!(decode(10_000), None);
        assert_eq!(label(0), "0");
    }

    #[test]
    fn a_joining_counter_takes_the_next_free_slot() {
        let a = ("0190-a".to_owned(), CounterSlot::A);
        // The first counter keeps A; the one joining sees it and takes B.
        assert_eq!(
            settle("0190-a", Some(CounterSlot::A), &[], &[]),
            Some(CounterSlot::A)
        );
        assert_eq!(
            settle("0191-b", None, std::slice::from_ref(&a), &[CounterSlot::A]),
            CounterSlot::new(1).ok()
        );
        // A counter that claimed A before it heard of the first one moves off it.
        assert_eq!(
            settle("0191-b", Some(CounterSlot::A), &[a], &[]),
            CounterSlot::new(1).ok()
        );
    }

    fn slot() -> impl Strategy<Value = CounterSlot> {
        (0..SLOTS).prop_map(|i| CounterSlot::new(i).expect("slot"))
    }

    proptest! {
        /// Different counters, or different orders of one counter, never share a number,
        /// and the label tells them apart just the same.
        #[test]
        fn numbers_and_labels_never_collide(
            a in slot(), b in slot(), n in 1i64..5_000_000, m in 1i64..5_000_000,
        ) {
            let x = number(a, n).expect("number");
            let y = number(b, m).expect("number");
            prop_assert_eq!(decode(x), Some((a, n)));
            prop_assert_eq!(x == y, a == b && n == m);
            prop_assert_eq!(label(x) == label(y), a == b && n == m);
            prop_assert!(x > 0);
        }

        /// Counters that claimed slots without hearing of each other (offline, or joining
        /// at once) end on distinct slots once they exchange claims, within one round per
        /// counter; a counter alone or first keeps its slot throughout.
        #[test]
        fn concurrent_claims_settle_apart(starts in prop::collection::vec(prop::option::of(slot()), 1..8)) {
            let ids: Vec<String> = (0..starts.len()).map(|i| format!("device-{i:02}")).collect();
            let mut claims: BTreeMap<String, Option<CounterSlot>> =
                ids.iter().cloned().zip(starts.iter().copied()).collect();
            // First, each alone: it claims without seeing anyone.
            for id in &ids {
                let mine = claims[id];
                claims.insert(id.clone(), settle(id, mine, &[], &[]));
            }
            let smallest = claims[&ids[0]];
            for _ in 0..ids.len() {
                let seen: Vec<(String, CounterSlot)> = claims
                    .iter()
                    .filter_map(|(d, s)| s.map(|s| (d.clone(), s)))
                    .collect();
                let next: BTreeMap<String, Option<CounterSlot>> = claims
                    .iter()
                    .map(|(id, mine)| {
                        let others: Vec<_> = seen.iter().filter(|(d, _)| d != id).cloned().collect();
                        (id.clone(), settle(id, *mine, &others, &[]))
                    })
                    .collect();
                claims = next;
            }
            let held: Vec<CounterSlot> = claims.values().map(|s| s.expect("a slot for ≤ 26 counters")).collect();
            let distinct: BTreeSet<CounterSlot> = held.iter().copied().collect();
            prop_assert_eq!(distinct.len(), held.len(), "claims {:?}", claims);
            prop_assert_eq!(claims[&ids[0]], smallest);
        }
    }
}
