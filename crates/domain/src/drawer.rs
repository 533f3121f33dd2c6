//! Cash drawers: one session per drawer from the counted float to the blind count.
//!
//! A drawer (each counter PC has one; more can be configured) is opened with a counted
//! float. Every peso that enters or leaves it while open is a movement: cash sales (the
//! amount charged; the change given is the difference between what was handed over and
//! what was charged, so it never reaches the drawer), cash refunds, pay-ins and pay-outs.
//! The cashier then counts the drawer by denomination *before* seeing what it should hold
//! (a blind count); the difference is recorded, a manager may require a second count, and
//! the session is closed. The expected amount is always the float plus the signed
//! movements: [`DrawerState`] is the one place that rule lives, property-tested below.

use crate::money::{Clp, MoneyError};
use crate::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// The Chilean notes and coins in circulation, largest first ($20.000 … $10).
pub const DENOMINATIONS: [i64; 9] = [20_000, 10_000, 5_000, 2_000, 1_000, 500, 100, 50, 10];

/// The most of one denomination a count may hold (a drawer never holds 100.000 coins).
pub const MAX_PIECES: i64 = 100_000;

/// The largest float or pay-in/out accepted ($100.000.000, like every amount typed in).
pub const MAX_AMOUNT: Clp = Clp(100_000_000);

/// A count of a drawer, by denomination: how many notes or coins of each. Quantities are
/// signed so that a negative one reaches validation (a field error) instead of failing
/// to decode.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(deny_unknown_fields)]
pub struct CashCount {
    /// $20.000 notes.
    #[serde(default)]
    pub bills_20000: i64,
    /// $10.000 notes.
    #[serde(default)]
    pub bills_10000: i64,
    /// $5.000 notes.
    #[serde(default)]
    pub bills_5000: i64,
    /// $2.000 notes.
    #[serde(default)]
    pub bills_2000: i64,
    /// $1.000 notes.
    #[serde(default)]
    pub bills_1000: i64,
    /// $500 coins.
    #[serde(default)]
    pub coins_500: i64,
    /// $100 coins.
    #[serde(default)]
    pub coins_100: i64,
    /// $50 coins.
    #[serde(default)]
    pub coins_50: i64,
    /// $10 coins.
    #[serde(default)]
    pub coins_10: i64,
}

impl CashCount {
    /// `(field name, denomination, quantity)` for each denomination, largest first.
    pub fn pieces(&self) -> [(&'static str, i64, i64); 9] {
        [
            ("bills_20000", 20_000, self.bills_20000),
            ("bills_10000", 10_000, self.bills_10000),
            ("bills_5000", 5_000, self.bills_5000),
            ("bills_2000", 2_000, self.bills_2000),
            ("bills_1000", 1_000, self.bills_1000),
            ("coins_500", 500, self.coins_500),
            ("coins_100", 100, self.coins_100),
            ("coins_50", 50, self.coins_50),
            ("coins_10", 10, self.coins_10),
        ]
    }

    /// Field errors (under `prefix.<field>`) for negative or absurd quantities.
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        for (name, _, quantity) in self.pieces() {
            if !(0..=MAX_PIECES).contains(&quantity) {
                errors.add(
                    format!("{prefix}.{name}"),
                    FieldIssue::OutOfRange {
                        min: 0,
                        max: MAX_PIECES,
                    },
                );
            }
        }
    }

    /// What the count adds up to. Fails only for quantities [`CashCount::check`] refuses.
    pub fn total(&self) -> Result<Clp, DrawerError> {
        let mut total = Clp::ZERO;
        for (_, value, quantity) in self.pieces() {
            if !(0..=MAX_PIECES).contains(&quantity) {
                return Err(DrawerError::InvalidAmount);
            }
            total = total.checked_add(Clp(value * quantity))?;
        }
        Ok(total)
    }
}

/// What moved cash in or out of an open drawer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// A cash payment: what was charged (tip included), the change already given back.
    Sale,
    /// A cash refund handed to a diner.
    Refund,
    /// Cash put in (more change, a float top-up).
    PayIn,
    /// Cash taken out with a reason (compra de gas, propina entregada…).
    PayOut,
}

impl MovementKind {
    /// Every kind, in a stable order.
    pub const ALL: [MovementKind; 4] = [
        MovementKind::Sale,
        MovementKind::Refund,
        MovementKind::PayIn,
        MovementKind::PayOut,
    ];

    /// +1 for cash in, −1 for cash out.
    pub fn sign(self) -> i64 {
        match self {
            MovementKind::Sale | MovementKind::PayIn => 1,
            MovementKind::Refund | MovementKind::PayOut => -1,
        }
    }

    /// The wire name, e.g. `pay_out`.
    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Sale => "sale",
            MovementKind::Refund => "refund",
            MovementKind::PayIn => "pay_in",
            MovementKind::PayOut => "pay_out",
        }
    }

    /// The amount with its sign (`amount` is stored positive).
    pub fn signed(self, amount: Clp) -> Clp {
        Clp(self.sign() * amount.0)
    }
}

impl fmt::Display for MovementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MovementKind {
    type Err = crate::order::UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MovementKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| crate::order::UnknownValue(s.to_owned()))
    }
}

/// Where a drawer session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Taking cash.
    Open,
    /// Counted: no more movements; the expected amount and the difference are known.
    Counted,
    /// A manager asked for a second count: blind again until it is in.
    Recount,
    /// Closed for good.
    Closed,
}

impl SessionStatus {
    /// Every status, in a stable order.
    pub const ALL: [SessionStatus; 4] = [
        SessionStatus::Open,
        SessionStatus::Counted,
        SessionStatus::Recount,
        SessionStatus::Closed,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Open => "open",
            SessionStatus::Counted => "counted",
            SessionStatus::Recount => "recount",
            SessionStatus::Closed => "closed",
        }
    }

    /// Whether a count is in and stands (the expected amount may be shown to anyone).
    pub fn is_counted(self) -> bool {
        matches!(self, SessionStatus::Counted | SessionStatus::Closed)
    }
}

impl fmt::Display for SessionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SessionStatus {
    type Err = crate::order::UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SessionStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| crate::order::UnknownValue(s.to_owned()))
    }
}

/// Why a drawer refused something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum DrawerError {
    /// Amounts must be positive (a float may be zero) and within [`MAX_AMOUNT`].
    #[error("the amount must be positive and at most $100.000.000")]
    InvalidAmount,
    /// Cash can move only while the session is open.
    #[error("the drawer is not open ({0})")]
    NotOpen(SessionStatus),
    /// More cash out than the drawer should hold.
    #[error("the drawer should hold only {available}")]
    NotEnoughCash {
        /// What the drawer should hold now.
        available: Clp,
    },
    /// Counting is for an open session or one whose recount was asked for.
    #[error("the drawer cannot be counted now ({0})")]
    CannotCount(SessionStatus),
    /// A second count is asked for after a count, before the close.
    #[error("there is no count to repeat ({0})")]
    CannotRecount(SessionStatus),
    /// Closing needs a standing count.
    #[error("the drawer must be counted before closing ({0})")]
    NotCounted(SessionStatus),
    /// The session is already closed.
    #[error("the session is already closed")]
    AlreadyClosed,
    /// The amounts left the supported range.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// What a drawer session adds up to: its status, float and the sum of its signed
/// movements, plus its latest count. The appliance rebuilds it from stored rows and asks
/// it whether each step is allowed; nothing else computes the expected amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawerState {
    /// Where the session stands.
    pub status: SessionStatus,
    /// The counted float it was opened with.
    pub float: Clp,
    /// The sum of the signed movements so far.
    pub movements: Clp,
    /// The latest count's total, if any.
    pub counted: Option<Clp>,
}

impl DrawerState {
    /// A session opened with `float` (zero or more).
    pub fn open(float: Clp) -> Result<Self, DrawerError> {
        if float.is_negative() || float > MAX_AMOUNT {
            return Err(DrawerError::InvalidAmount);
        }
        Ok(Self {
            status: SessionStatus::Open,
            float,
            movements: Clp::ZERO,
            counted: None,
        })
    }

    /// What the drawer should hold: the float plus the signed movements.
    pub fn expected(&self) -> Clp {
        Clp(self.float.0 + self.movements.0)
    }

    /// Counted minus expected, once counted (negative: cash is missing).
    pub fn difference(&self) -> Option<Clp> {
        self.counted.map(|c| Clp(c.0 - self.expected().0))
    }

    /// Takes one movement of `amount` (positive); returns its signed amount. Cash out may
    /// not exceed what the drawer should hold.
    pub fn record(&mut self, kind: MovementKind, amount: Clp) -> Result<Clp, DrawerError> {
        if self.status != SessionStatus::Open {
            return Err(DrawerError::NotOpen(self.status));
        }
        if amount <= Clp::ZERO || amount > MAX_AMOUNT {
            return Err(DrawerError::InvalidAmount);
        }
        let signed = kind.signed(amount);
        let after = self.expected().checked_add(signed)?;
        if after.is_negative() {
            return Err(DrawerError::NotEnoughCash {
                available: self.expected(),
            });
        }
        self.movements = self.movements.checked_add(signed)?;
        Ok(signed)
    }

    /// Records a blind count; returns the difference (counted − expected).
    pub fn count(&mut self, total: Clp) -> Result<Clp, DrawerError> {
        if !matches!(self.status, SessionStatus::Open | SessionStatus::Recount) {
            return Err(DrawerError::CannotCount(self.status));
        }
        if total.is_negative() {
            return Err(DrawerError::InvalidAmount);
        }
        self.status = SessionStatus::Counted;
        self.counted = Some(total);
        Ok(Clp(total.0 - self.expected().0))
    }

    /// A manager sends a counted session back for a second blind count.
    pub fn require_recount(&mut self) -> Result<(), DrawerError> {
        if self.status != SessionStatus::Counted {
            return Err(DrawerError::CannotRecount(self.status));
        }
        self.status = SessionStatus::Recount;
        Ok(())
    }

    /// Closes a counted session; returns the final difference.
    pub fn close(&mut self) -> Result<Clp, DrawerError> {
        match self.status {
            SessionStatus::Closed => Err(DrawerError::AlreadyClosed),
            SessionStatus::Counted => {
                self.status = SessionStatus::Closed;
                Ok(self.difference().unwrap_or(Clp::ZERO))
            }
            other => Err(DrawerError::NotCounted(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_add_up_by_denomination() {
        let count = CashCount {
            bills_20000: 2,
            bills_1000: 3,
            coins_500: 1,
            coins_10: 4,
            ..CashCount::default()
        };
        assert_eq!(count.total(), Ok(Clp(43_540)));
        let mut errors = FieldErrors::new();
        CashCount {
            coins_50: -1,
            ..CashCount::default()
        }
        .check("counts", &mut errors);
        assert!(errors.0.contains_key("counts.coins_50"));
        assert_eq!(
            CashCount {
                coins_50: -1,
                ..CashCount::default()
            }
            .total(),
            Err(DrawerError::InvalidAmount)
        );
        let pieces: Vec<i64> = CashCount::default().pieces().iter().map(|p| p.1).collect();
        assert_eq!(pieces, DENOMINATIONS);
    }

    #[test]
    fn a_session_from_float_to_close() {
        let mut s = DrawerState::open(Clp(50_000)).expect("open");
        assert_eq!(s.record(MovementKind::Sale, Clp(12_990)), Ok(Clp(12_990)));
        assert_eq!(s.record(MovementKind::PayOut, Clp(8_000)), Ok(Clp(-8_000)));
        assert_eq!(
            s.record(MovementKind::PayOut, Clp(1_000_000)),
            Err(DrawerError::NotEnoughCash {
                available: Clp(54_990)
            })
        );
        assert_eq!(
            s.record(MovementKind::PayIn, Clp(0)),
            Err(DrawerError::InvalidAmount)
        );
        assert_eq!(s.close(), Err(DrawerError::NotCounted(SessionStatus::Open)));
        assert_eq!(s.count(Clp(54_490)), Ok(Clp(-500)));
        assert_eq!(
            s.record(MovementKind::Sale, Clp(100)),
            Err(DrawerError::NotOpen(SessionStatus::Counted))
        );
        s.require_recount().expect("recount");
        assert_eq!(
            s.close(),
            Err(DrawerError::NotCounted(SessionStatus::Recount))
        );
        assert_eq!(s.count(Clp(54_990)), Ok(Clp(0)));
        assert_eq!(s.close(), Ok(Clp(0)));
        assert_eq!(s.close(), Err(DrawerError::AlreadyClosed));
        assert_eq!(
            s.count(Clp(1)),
            Err(DrawerError::CannotCount(SessionStatus::Closed))
        );
        assert_eq!(DrawerState::open(Clp(-1)), Err(DrawerError::InvalidAmount));
    }

    #[test]
    fn names_round_trip() {
        for k in MovementKind::ALL {
            assert_eq!(k.as_str().parse::<MovementKind>().ok(), Some(k));
            assert_eq!(serde_json::to_value(k).expect("ser"), k.as_str());
        }
        for s in SessionStatus::ALL {
            assert_eq!(s.as_str().parse::<SessionStatus>().ok(), Some(s));
            assert_eq!(serde_json::to_value(s).expect("ser"), s.as_str());
        }
    }

    /// One thing that may happen to a drawer.
    #[derive(Clone, Debug)]
    enum Step {
        Move(MovementKind, i64),
        Count(i64),
        Recount,
        Close,
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            6 => (0usize..4, -1_000i64..200_000).prop_map(|(k, a)| Step::Move(MovementKind::ALL[k], a)),
            1 => (-100i64..2_000_000).prop_map(Step::Count),
            1 => Just(Step::Recount),
            1 => Just(Step::Close),
        ]
    }

    proptest! {
        /// For any sequence of sales, refunds, pay-ins/outs, counts and closes: the expected
        /// amount is the float plus the signed accepted movements, never negative; nothing
        /// moves outside an open session; a refused step changes nothing; a closed session
        /// stays closed; the difference is the last count minus the expected amount.
        #[test]
        fn expected_is_float_plus_signed_movements(
            float in 0i64..500_000,
            steps in prop::collection::vec(step(), 0..40),
        ) {
            let mut s = DrawerState::open(Clp(float)).expect("open");
            let mut accepted: i64 = 0;
            let mut last_count = None;
            for step in steps {
                let before = s;
                let result: Result<(), DrawerError> = match step {
                    Step::Move(kind, amount) => match s.record(kind, Clp(amount)) {
                        Ok(signed) => {
                            prop_assert_eq!(signed.0, kind.sign() * amount);
                            accepted += signed.0;
                            Ok(())
                        }
                        Err(error) => Err(error),
                    },
                    Step::Count(total) => s.count(Clp(total)).map(|_| last_count = Some(total)),
                    Step::Recount => s.require_recount(),
                    Step::Close => s.close().map(drop),
                };
                if let Err(error) = result {
                    prop_assert_eq!(s, before, "a refused step changed the session");
                    if let Step::Move(..) = step {
                        let allowed = before.status != SessionStatus::Open
                            || matches!(error, DrawerError::InvalidAmount | DrawerError::NotEnoughCash { .. });
                        prop_assert!(allowed, "an open session refused a movement: {:?}", error);
                    }
                }
                if before.status == SessionStatus::Closed {
                    prop_assert_eq!(s.status, SessionStatus::Closed);
                }
                if before.status != SessionStatus::Open {
                    prop_assert_eq!(s.movements, before.movements, "cash moved outside an open session");
                }
                prop_assert_eq!(s.expected().0, float + accepted);
                prop_assert!(!s.expected().is_negative());
                prop_assert_eq!(s.counted.map(|c| c.0), last_count);
                if let Some(count) = last_count {
                    prop_assert_eq!(s.difference(), Some(Clp(count - float - accepted)));
                }
            }
        }
    }
}
