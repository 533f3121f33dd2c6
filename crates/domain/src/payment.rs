//! Payments: the append-only ledger of one order and what it adds up to.
//!
//! Payments are never edited: a refund is a new, negative row. Whether an order is paid is
//! always recomputed from its rows, so two devices holding the same rows agree.

use crate::money::{Clp, MoneyError, cash_round};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// How a diner paid. Only cash is rounded (Ley 20.956); the others pay the exact amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Notes and coins.
    Cash,
    /// Debit card.
    Debit,
    /// Credit card.
    Credit,
    /// Bank transfer.
    Transfer,
    /// Mercado Pago (QR or link).
    MercadoPago,
}

impl PaymentMethod {
    /// Every method, in a stable order.
    pub const ALL: [PaymentMethod; 5] = [
        PaymentMethod::Cash,
        PaymentMethod::Debit,
        PaymentMethod::Credit,
        PaymentMethod::Transfer,
        PaymentMethod::MercadoPago,
    ];

    /// The wire name, e.g. `mercado_pago`.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Debit => "debit",
            PaymentMethod::Credit => "credit",
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::MercadoPago => "mercado_pago",
        }
    }
}

impl fmt::Display for PaymentMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PaymentMethod {
    type Err = crate::order::UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PaymentMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| crate::order::UnknownValue(s.to_owned()))
    }
}

/// One row of an order's payment ledger. `amount + tip` is what the row contributes to the
/// order's `amount_due` (which already includes the order's tip); the two are kept apart
/// because tips are not revenue and are reported per method (card terminals report them
/// separately). A refund is a row with a negative amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PaymentRow {
    /// How it was paid.
    pub method: PaymentMethod,
    /// Paid toward the sale; negative for a refund.
    pub amount: Clp,
    /// The tip part of this payment.
    pub tip: Clp,
}

impl PaymentRow {
    /// What this row settles of `amount_due`.
    pub fn contribution(&self) -> i128 {
        i128::from(self.amount.0) + i128::from(self.tip.0)
    }
}

/// Why a payment or refund was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum PaymentError {
    /// Amounts must be positive (refunds go through `validate_refund`), tips not negative.
    #[error("the amount must be positive and the tip not negative")]
    InvalidAmount,
    /// The order has nothing left to pay.
    #[error("nothing is due on this order")]
    NothingDue,
    /// More than the balance, with a method that cannot give change.
    #[error("{attempted} exceeds the balance {balance}")]
    Overpayment {
        /// The most that can be paid now.
        balance: Clp,
        /// What was attempted.
        attempted: Clp,
    },
    /// The cash handed over does not cover the charge.
    #[error("received {received} does not cover {charged}")]
    InsufficientCash {
        /// What had to be paid.
        charged: Clp,
        /// What was handed over.
        received: Clp,
    },
    /// A refund larger than what was paid.
    #[error("cannot refund {attempted}: only {paid} was paid")]
    RefundTooLarge {
        /// What is refundable.
        paid: Clp,
        /// What was attempted.
        attempted: Clp,
    },
    /// The amounts left the supported range.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// What to charge and what change to give when the whole balance is paid in cash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CashTender {
    /// The balance rounded under Ley 20.956; record this as the payment's amount.
    pub charged: Clp,
    /// `received - charged`.
    pub change: Clp,
}

/// Settles `amount_due` in cash: charges the cash-rounded amount and computes the change.
pub fn cash_tender(amount_due: Clp, received: Clp) -> Result<CashTender, PaymentError> {
    if amount_due <= Clp::ZERO {
        return Err(PaymentError::NothingDue);
    }
    let charged = cash_round(amount_due);
    if received < charged {
        return Err(PaymentError::InsufficientCash { charged, received });
    }
    Ok(CashTender {
        charged,
        change: received.checked_sub(charged)?,
    })
}

/// Where an order stands with its payments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaidState {
    /// Nothing paid yet.
    Unpaid,
    /// Some paid, a balance remains.
    PartiallyPaid,
    /// Nothing remains to pay (also an order with nothing due).
    Paid,
    /// Everything paid was given back.
    Refunded,
}

/// The result of `paid_state`. Always `amount_due + rounding == paid + balance`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PaidSummary {
    /// Where the order stands.
    pub state: PaidState,
    /// Net of every row (`amount + tip`, refunds subtracted).
    pub paid: Clp,
    /// The cash-rounding adjustment granted (negative when the diner paid up to 5 pesos
    /// less, positive when up to 5 more); zero unless a remainder was rounded away.
    pub rounding: Clp,
    /// Still to pay; negative when overpaid (the restaurant owes the diner).
    pub balance: Clp,
}

/// Adds up an order's payment ledger. Once something was paid, a remainder within cash
/// rounding of zero (−5..=5 pesos) counts as settled: paying $12.990 in cash for $12.994
/// due is paid, as is $13.000 for $12.996.
pub fn paid_state(amount_due: Clp, payments: &[PaymentRow]) -> PaidSummary {
    let paid: i128 = payments.iter().map(PaymentRow::contribution).sum();
    let raw_balance = i128::from(amount_due.0) - paid;
    let refunded_any = payments.iter().any(|p| p.contribution() < 0);
    // Ledger rows are validated one by one, so these sums stay far inside an i64.
    let clamp = |v: i128| Clp(i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX }));

    if refunded_any && paid <= 0 {
        return PaidSummary {
            state: PaidState::Refunded,
            paid: clamp(paid),
            rounding: Clp::ZERO,
            balance: clamp(raw_balance),
        };
    }
    // A remainder of 1–5 pesos is $0 in cash (Ley 20.956): counting it as settled keeps an
    // order from being stuck on a balance nobody can pay in coins.
    let rounding = if paid > 0 && raw_balance != 0 && raw_balance.abs() <= 5 {
        -raw_balance
    } else {
        0
    };
    let balance = raw_balance + rounding;
    let state = if balance <= 0 {
        PaidState::Paid
    } else if paid > 0 {
        PaidState::PartiallyPaid
    } else {
        PaidState::Unpaid
    };
    PaidSummary {
        state,
        paid: clamp(paid),
        rounding: clamp(rounding),
        balance: clamp(balance),
    }
}

/// A payment accepted by `validate_payment`: the row to append and the change to give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AcceptedPayment {
    /// The ledger row to record.
    pub row: PaymentRow,
    /// Change to hand back (cash only; zero otherwise).
    pub change: Clp,
}

/// Checks one payment against the order's current `balance` (from `paid_state`).
/// `amount + tip` may not exceed the balance; cash may reach the cash-rounded balance
/// (e.g. $13.000 for $12.996), and `received` (cash handed over, defaults to the amount) may
/// exceed it: the difference is change. `received` is ignored for other methods.
pub fn validate_payment(
    balance: Clp,
    method: PaymentMethod,
    amount: Clp,
    tip: Clp,
    received: Option<Clp>,
) -> Result<AcceptedPayment, PaymentError> {
    if amount.is_negative() || tip.is_negative() {
        return Err(PaymentError::InvalidAmount);
    }
    let contribution = amount.checked_add(tip)?;
    if contribution == Clp::ZERO {
        return Err(PaymentError::InvalidAmount);
    }
    if balance <= Clp::ZERO {
        return Err(PaymentError::NothingDue);
    }
    let limit = match method {
        PaymentMethod::Cash => balance.max(cash_round(balance)),
        _ => balance,
    };
    if contribution > limit {
        return Err(PaymentError::Overpayment {
            balance: limit,
            attempted: contribution,
        });
    }
    let change = match (method, received) {
        (PaymentMethod::Cash, Some(received)) if received < contribution => {
            return Err(PaymentError::InsufficientCash {
                charged: contribution,
                received,
            });
        }
        (PaymentMethod::Cash, Some(received)) => received.checked_sub(contribution)?,
        _ => Clp::ZERO,
    };
    Ok(AcceptedPayment {
        row: PaymentRow {
            method,
            amount,
            tip,
        },
        change,
    })
}

/// Checks a refund of `amount` (positive) against what was `paid` (from `paid_state`) and
/// returns the negative ledger row to append.
pub fn validate_refund(
    paid: Clp,
    method: PaymentMethod,
    amount: Clp,
) -> Result<PaymentRow, PaymentError> {
    if amount <= Clp::ZERO {
        return Err(PaymentError::InvalidAmount);
    }
    if amount > paid {
        return Err(PaymentError::RefundTooLarge {
            paid,
            attempted: amount,
        });
    }
    Ok(PaymentRow {
        method,
        amount: Clp(-amount.0),
        tip: Clp::ZERO,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentMethod::*;
    use proptest::prelude::*;

    fn row(method: PaymentMethod, amount: i64) -> PaymentRow {
        PaymentRow {
            method,
            amount: Clp(amount),
            tip: Clp(0),
        }
    }

    #[test]
    fn cash_tender_rounds_and_gives_change() {
        assert_eq!(
            cash_tender(Clp(12_994), Clp(20_000)),
            Ok(CashTender {
                charged: Clp(12_990),
                change: Clp(7_010)
            })
        );
        assert_eq!(
            cash_tender(Clp(12_996), Clp(13_000)),
            Ok(CashTender {
                charged: Clp(13_000),
                change: Clp(0)
            })
        );
        assert_eq!(
            cash_tender(Clp(12_996), Clp(12_990)),
            Err(PaymentError::InsufficientCash {
                charged: Clp(13_000),
                received: Clp(12_990)
            })
        );
        assert_eq!(cash_tender(Clp(0), Clp(100)), Err(PaymentError::NothingDue));
    }

    #[test]
    fn states_of_a_ledger() {
        let s = |due: i64, rows: &[PaymentRow]| paid_state(Clp(due), rows);
        assert_eq!(s(10_000, &[]).state, PaidState::Unpaid);
        assert_eq!(s(0, &[]).state, PaidState::Paid);
        let partial = s(10_000, &[row(Debit, 4_000)]);
        assert_eq!(
            (partial.state, partial.balance),
            (PaidState::PartiallyPaid, Clp(6_000))
        );
        // Cash rounding down and up settles the order.
        let down = s(12_994, &[row(Cash, 12_990)]);
        assert_eq!(
            (down.state, down.balance, down.rounding),
            (PaidState::Paid, Clp(0), Clp(-4))
        );
        let up = s(12_996, &[row(Cash, 13_000)]);
        assert_eq!(
            (up.state, up.balance, up.rounding),
            (PaidState::Paid, Clp(0), Clp(4))
        );
        let split = s(12_994, &[row(Credit, 10_000), row(Cash, 2_990)]);
        assert_eq!((split.state, split.balance), (PaidState::Paid, Clp(0)));
        // A remainder of 4 pesos is $0 in cash, so it is settled; 14 is not.
        assert_eq!(s(12_994, &[row(Debit, 12_990)]).state, PaidState::Paid);
        assert_eq!(s(12_994, &[row(Debit, 12_980)]).balance, Clp(14));
        assert_eq!(s(3, &[]).state, PaidState::Unpaid);
        // Overpaid: paid, and the balance says what is owed back.
        assert_eq!(s(1_000, &[row(Transfer, 1_500)]).balance, Clp(-500));
        // Refunds.
        let refunded = s(12_994, &[row(Cash, 12_990), row(Cash, -12_990)]);
        assert_eq!(
            (refunded.state, refunded.paid),
            (PaidState::Refunded, Clp(0))
        );
        assert_eq!(
            s(10_000, &[row(Debit, 10_000), row(Debit, -3_000)]).state,
            PaidState::PartiallyPaid
        );
        let with_tip = s(
            11_000,
            &[PaymentRow {
                method: Credit,
                amount: Clp(10_000),
                tip: Clp(1_000),
            }],
        );
        assert_eq!(with_tip.state, PaidState::Paid);
    }

    #[test]
    fn validates_payments_and_refunds() {
        let ok = |m, a, r| validate_payment(Clp(12_996), m, Clp(a), Clp(0), r);
        assert_eq!(ok(Debit, 12_996, None).expect("exact").change, Clp(0));
        assert_eq!(
            ok(Debit, 13_000, None),
            Err(PaymentError::Overpayment {
                balance: Clp(12_996),
                attempted: Clp(13_000)
            })
        );
        assert_eq!(
            ok(Cash, 13_000, Some(Clp(20_000))).expect("cash").change,
            Clp(7_000)
        );
        assert!(matches!(
            ok(Cash, 13_010, None),
            Err(PaymentError::Overpayment { .. })
        ));
        assert!(matches!(
            ok(Cash, 13_000, Some(Clp(10_000))),
            Err(PaymentError::InsufficientCash { .. })
        ));
        assert_eq!(ok(Debit, 0, None), Err(PaymentError::InvalidAmount));
        assert_eq!(ok(Debit, -5, None), Err(PaymentError::InvalidAmount));
        assert_eq!(
            validate_payment(Clp(0), Cash, Clp(10), Clp(0), None),
            Err(PaymentError::NothingDue)
        );
        assert_eq!(
            validate_refund(Clp(5_000), Debit, Clp(5_000)),
            Ok(row(Debit, -5_000))
        );
        assert!(matches!(
            validate_refund(Clp(5_000), Debit, Clp(5_001)),
            Err(PaymentError::RefundTooLarge { .. })
        ));
        assert_eq!(
            validate_refund(Clp(5_000), Debit, Clp(0)),
            Err(PaymentError::InvalidAmount)
        );
    }

    #[test]
    fn method_names_round_trip() {
        for method in PaymentMethod::ALL {
            assert_eq!(method.as_str().parse::<PaymentMethod>(), Ok(method));
            assert_eq!(serde_json::to_value(method).expect("ser"), method.as_str());
        }
    }

    /// Splits `due` at random cut points into parts paid by random methods, each checked by
    /// `validate_payment` against the balance `paid_state` reports; a cash part that closes
    /// the bill is charged through `cash_tender`.
    fn pay_in_parts(due: i64, cuts: &[i64], methods: &[usize], tip_share: u32) -> Vec<PaymentRow> {
        let mut points: Vec<i64> = cuts.iter().map(|c| c % due).collect();
        points.extend([0, due]);
        points.sort_unstable();
        points.dedup();
        let mut rows = Vec::new();
        for (i, pair) in points.windows(2).enumerate() {
            let method = PaymentMethod::ALL[methods[i % methods.len()]];
            let balance = paid_state(Clp(due), &rows).balance;
            if balance <= Clp::ZERO {
                break; // the last few pesos were rounded away
            }
            let closes = pair[1] == due;
            let part = if closes && method == Cash {
                cash_tender(balance, Clp(balance.0 + 20_000))
                    .expect("tender")
                    .charged
                    .0
            } else {
                pair[1] - pair[0]
            };
            if part == 0 {
                continue; // a cash balance of 1–5 pesos rounds to nothing
            }
            let tip = part * i64::from(tip_share) / 100;
            let accepted = validate_payment(balance, method, Clp(part - tip), Clp(tip), None)
                .expect("a part never exceeds the balance");
            rows.push(accepted.row);
        }
        rows
    }

    proptest! {
        #[test]
        fn split_bills_end_paid(
            due in 1i64..10_000_000,
            cuts in prop::collection::vec(0i64..10_000_000, 0..6),
            methods in prop::collection::vec(0usize..5, 1..7),
            tip_share in 0u32..=20,
        ) {
            let rows = pay_in_parts(due, &cuts, &methods, tip_share);
            let summary = paid_state(Clp(due), &rows);
            prop_assert_eq!(summary.state, PaidState::Paid);
            prop_assert_eq!(summary.balance, Clp(0));
            prop_assert!(summary.rounding.0.abs() <= 5);
        }

        #[test]
        fn refunding_everything_ends_refunded(
            due in 1i64..10_000_000,
            cuts in prop::collection::vec(0i64..10_000_000, 0..6),
            methods in prop::collection::vec(0usize..5, 1..7),
        ) {
            let mut rows = pay_in_parts(due, &cuts, &methods, 0);
            for paid_row in rows.clone() {
                let paid = paid_state(Clp(due), &rows).paid;
                rows.push(validate_refund(paid, paid_row.method, paid_row.amount).expect("refundable"));
            }
            let summary = paid_state(Clp(due), &rows);
            prop_assert_eq!(summary.state, PaidState::Refunded);
            prop_assert_eq!(summary.paid, Clp(0));
        }

        #[test]
        fn summary_always_adds_up(
            due in 0i64..10_000_000,
            rows in prop::collection::vec((0usize..5, -1_000_000i64..1_000_000, 0i64..10_000), 0..8),
        ) {
            let rows: Vec<PaymentRow> = rows.into_iter()
                .map(|(m, a, t)| PaymentRow { method: PaymentMethod::ALL[m], amount: Clp(a), tip: Clp(t) })
                .collect();
            let s = paid_state(Clp(due), &rows);
            prop_assert_eq!(due + s.rounding.0, s.paid.0 + s.balance.0);
            prop_assert_eq!(s.state == PaidState::Paid, s.balance.0 <= 0 && s.state != PaidState::Refunded);
        }
    }
}
