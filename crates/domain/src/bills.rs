//! Split bills ("cuenta separada") and paying chosen lines ("cobro parcial").
//!
//! A table's tab is one bill until it is split: by seat (each seat's lines a bill, the
//! lines without a seat the table's bill) or by chosen lines (each group a new bill, the
//! rest where it was). Paying chosen lines is splitting them into a new bill and paying
//! that bill. Each bill has its own payments; the order's discount and tip are shared
//! out over the bills in proportion to what each one carries, so the bills always add up
//! to the tab. A bill with money on it is settled history: its lines never move again.

use crate::ids::OrderLineId;
use crate::kitchen::Seat;
use crate::money::Clp;
use crate::payment::{PaidSummary, PaymentRow, paid_state};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};

bounded_number! {
    /// A bill's number on its tab (1 to [`BillNo::MAX`]); bill 1 is the tab's own bill, where
    /// every line starts and where payments that name no bill go.
    pub struct BillNo(1..=99) else "bills go from 1 to {}";
}

impl BillNo {
    /// The tab's own bill.
    pub const FIRST: BillNo = BillNo(1);
}

/// A line of a tab as bills see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillLine {
    /// The line.
    pub id: OrderLineId,
    /// What it adds to the tab (`line_total`).
    pub amount: Clp,
    /// Voided lines belong to no bill.
    pub voided: bool,
    /// Its seat, for a split by seat.
    pub seat: Option<Seat>,
    /// The bill it is on.
    pub bill: BillNo,
}

/// A payment-ledger row and the bill it went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BillPayment {
    /// The bill (payments that named none are bill 1's).
    pub bill: BillNo,
    /// The row.
    pub row: PaymentRow,
}

/// One bill of a tab, with what it owes and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Bill {
    /// Its number on the tab.
    pub number: BillNo,
    /// Its live lines, in the tab's order.
    pub lines: Vec<OrderLineId>,
    /// Sum of its lines.
    pub subtotal: Clp,
    /// Its share of the tab's discount.
    pub discount: Clp,
    /// Its share of the tab's tip.
    pub tip: Clp,
    /// `subtotal - discount + tip`.
    pub amount_due: Clp,
    /// Its own payments against what it owes.
    pub payment: PaidSummary,
}

/// Shares `amount` out over `weights` in proportion (largest remainder): each share is
/// its exact part rounded down, and the pesos left over go one each to the parts with the
/// largest remainders, so the shares add up to `amount` and none exceeds its weight when
/// `amount` does not exceed their sum (a bill's discount never exceeds its subtotal).
fn share(amount: i64, weights: &[i64]) -> Vec<i64> {
    let total: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if total <= 0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<(i128, i128)> = weights
        .iter()
        .map(|w| {
            let product = i128::from(amount) * i128::from(*w);
            (product / total, product % total)
        })
        .collect();
    let mut shares: Vec<i64> = exact
        .iter()
        .map(|(q, _)| i64::try_from(*q).unwrap_or_default())
        .collect();
    let mut left = amount - shares.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..weights.len()).filter(|i| weights[*i] > 0).collect();
    // Largest remainder first; ties to the later bill, as a stable rule.
    order.sort_by(|a, b| exact[*b].1.cmp(&exact[*a].1).then(b.cmp(a)));
    for i in order.into_iter().cycle() {
        if left <= 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares
}

/// The bills of a tab: every bill that has a live line or a payment, by number. The
/// tab's `discount` and `tip` are shared over the bills by their subtotals.
pub fn settle(lines: &[BillLine], discount: Clp, tip: Clp, payments: &[BillPayment]) -> Vec<Bill> {
    let mut numbers: BTreeSet<BillNo> =
        lines.iter().filter(|l| !l.voided).map(|l| l.bill).collect();
    numbers.extend(payments.iter().map(|p| p.bill));
    let numbers: Vec<BillNo> = numbers.into_iter().collect();
    let subtotals: Vec<i64> = numbers
        .iter()
        .map(|n| {
            lines
                .iter()
                .filter(|l| !l.voided && l.bill == *n)
                .map(|l| l.amount.pesos())
                .sum()
        })
        .collect();
    let discounts = share(discount.pesos(), &subtotals);
    let tips = share(tip.pesos(), &subtotals);
    numbers
        .iter()
        .zip(subtotals)
        .zip(discounts.into_iter().zip(tips))
        .map(|((number, subtotal), (discount, tip))| {
            let due = Clp(subtotal - discount + tip);
            let rows: Vec<PaymentRow> = payments
                .iter()
                .filter(|p| p.bill == *number)
                .map(|p| p.row)
                .collect();
            Bill {
                number: *number,
                lines: lines
                    .iter()
                    .filter(|l| !l.voided && l.bill == *number)
                    .map(|l| l.id)
                    .collect(),
                subtotal: Clp(subtotal),
                discount: Clp(discount),
                tip: Clp(tip),
                amount_due: due,
                payment: paid_state(due, &rows),
            }
        })
        .collect()
}

/// How to split a tab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SplitRequest {
    /// One bill per seat; the lines without a seat make the table's bill (bill 1).
    BySeat,
    /// Each group of lines becomes a new bill; the other lines stay on their bills.
    Lines(Vec<Vec<OrderLineId>>),
}

/// Why a tab cannot be split so.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// No group, or an empty group.
    #[error("a bill needs at least one line")]
    EmptyBill,
    /// A line that is not on the tab.
    #[error("line {0} is not on the tab")]
    UnknownLine(OrderLineId),
    /// A voided line is on no bill.
    #[error("line {0} is voided")]
    VoidedLine(OrderLineId),
    /// A line named in two groups (or twice in one).
    #[error("line {0} is named twice")]
    LineTwice(OrderLineId),
    /// The line is on a bill that has payments: what was paid stays as it was paid.
    #[error("line {0} is on a bill that has payments")]
    LinePaid(OrderLineId),
    /// More bills than [`BillNo::MAX`].
    #[error("too many bills")]
    TooManyBills,
}

/// The bill each live line goes to after `request`, or why not. Only lines that change
/// bill are returned. A bill with money paid on it keeps its lines.
pub fn plan_split(
    lines: &[BillLine],
    payments: &[BillPayment],
    request: &SplitRequest,
) -> Result<Vec<(OrderLineId, BillNo)>, SplitError> {
    let mut paid: BTreeMap<BillNo, i128> = BTreeMap::new();
    for p in payments {
        *paid.entry(p.bill).or_default() += p.row.contribution();
    }
    let locked = |bill: BillNo| paid.get(&bill).is_some_and(|v| *v > 0);
    let bill_no = |n: usize| {
        u16::try_from(n)
            .ok()
            .and_then(|n| BillNo::try_from(n).ok())
            .ok_or(SplitError::TooManyBills)
    };
    let mut next: Vec<(OrderLineId, BillNo)> = Vec::new();
    match request {
        SplitRequest::BySeat => {
            let live: Vec<&BillLine> = lines.iter().filter(|l| !l.voided).collect();
            let seats: BTreeSet<Seat> = live.iter().filter_map(|l| l.seat).collect();
            let shared = live.iter().any(|l| l.seat.is_none());
            let first = usize::from(shared) + 1;
            let seat_bill: BTreeMap<Seat, usize> = seats
                .iter()
                .enumerate()
                .map(|(i, s)| (*s, first + i))
                .collect();
            for line in live {
                let to = match line.seat {
                    Some(seat) => bill_no(seat_bill[&seat])?,
                    None => BillNo::FIRST,
                };
                next.push((line.id, to));
            }
        }
        SplitRequest::Lines(groups) => {
            if groups.is_empty() || groups.iter().any(Vec::is_empty) {
                return Err(SplitError::EmptyBill);
            }
            let used = lines
                .iter()
                .filter(|l| !l.voided)
                .map(|l| l.bill.get())
                .chain(payments.iter().map(|p| p.bill.get()))
                .max()
                .unwrap_or(1);
            let mut seen = HashSet::new();
            for (i, group) in groups.iter().enumerate() {
                let to = bill_no(usize::from(used) + 1 + i)?;
                for id in group {
                    let line = lines
                        .iter()
                        .find(|l| l.id == *id)
                        .ok_or(SplitError::UnknownLine(*id))?;
                    if line.voided {
                        return Err(SplitError::VoidedLine(*id));
                    }
                    if !seen.insert(*id) {
                        return Err(SplitError::LineTwice(*id));
                    }
                    next.push((*id, to));
                }
            }
        }
    }
    let mut changes = Vec::new();
    for (id, to) in next {
        let Some(line) = lines.iter().find(|l| l.id == id) else {
            continue;
        };
        if line.bill != to {
            if locked(line.bill) {
                return Err(SplitError::LinePaid(id));
            }
            changes.push((id, to));
        }
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment::PaymentMethod;
    use proptest::prelude::*;

    fn line(amount: i64, seat: Option<u16>) -> BillLine {
        BillLine {
            id: OrderLineId::new(),
            amount: Clp(amount),
            voided: false,
            seat: seat.map(|s| Seat::try_from(s).expect("seat")),
            bill: BillNo::FIRST,
        }
    }

    fn paid(bill: BillNo, amount: i64) -> BillPayment {
        BillPayment {
            bill,
            row: PaymentRow {
                method: PaymentMethod::Cash,
                amount: Clp(amount),
                tip: Clp::ZERO,
            },
        }
    }

    fn apply(lines: &mut [BillLine], changes: &[(OrderLineId, BillNo)]) {
        for (id, to) in changes {
            if let Some(line) = lines.iter_mut().find(|l| l.id == *id) {
                line.bill = *to;
            }
        }
    }

    #[test]
    fn bill_numbers_are_one_to_ninety_nine() {
        assert!(serde_json::from_str::<BillNo>("0").is_err());
        assert!(serde_json::from_str::<BillNo>("100").is_err());
        assert_eq!(
            serde_json::from_str::<BillNo>("99").expect("bill").get(),
            99
        );
    }

    #[test]
    fn by_seat_gives_each_seat_a_bill_and_the_shared_lines_the_first() {
        let mut lines = vec![line(4990, Some(2)), line(12990, Some(1)), line(3000, None)];
        let changes = plan_split(&lines, &[], &SplitRequest::BySeat).expect("split");
        apply(&mut lines, &changes);
        let bills = settle(&lines, Clp::ZERO, Clp::ZERO, &[]);
        let by: Vec<(u16, i64)> = bills
            .iter()
            .map(|b| (b.number.get(), b.subtotal.pesos()))
            .collect();
        assert_eq!(by, [(1, 3000), (2, 12990), (3, 4990)]);
    }

    #[test]
    fn chosen_lines_make_a_new_bill_and_a_paid_bill_keeps_its_lines() {
        let mut lines = vec![line(4990, None), line(12990, None), line(8990, None)];
        let chosen = vec![vec![lines[1].id]];
        let changes = plan_split(&lines, &[], &SplitRequest::Lines(chosen)).expect("split");
        assert_eq!(changes, [(lines[1].id, BillNo(2))]);
        apply(&mut lines, &changes);
        let payments = [paid(BillNo(2), 12990)];
        let bills = settle(&lines, Clp::ZERO, Clp::ZERO, &payments);
        assert_eq!(bills[1].payment.state, crate::payment::PaidState::Paid);
        assert_eq!(bills[0].payment.balance, Clp(4990 + 8990));
        // Splitting the paid line again, or by seat, is refused.
        assert_eq!(
            plan_split(
                &lines,
                &payments,
                &SplitRequest::Lines(vec![vec![lines[1].id]])
            ),
            Err(SplitError::LinePaid(lines[1].id))
        );
        assert_eq!(
            plan_split(&lines, &payments, &SplitRequest::BySeat),
            Err(SplitError::LinePaid(lines[1].id))
        );
        // The unpaid lines still split.
        assert!(
            plan_split(
                &lines,
                &payments,
                &SplitRequest::Lines(vec![vec![lines[0].id]])
            )
            .is_ok()
        );
    }

    #[test]
    fn bad_groups_are_refused() {
        let mut lines = vec![line(4990, None), line(12990, None)];
        lines[1].voided = true;
        let stranger = OrderLineId::new();
        let split =
            |groups: Vec<Vec<OrderLineId>>| plan_split(&lines, &[], &SplitRequest::Lines(groups));
        assert_eq!(split(vec![]), Err(SplitError::EmptyBill));
        assert_eq!(split(vec![vec![]]), Err(SplitError::EmptyBill));
        assert_eq!(
            split(vec![vec![stranger]]),
            Err(SplitError::UnknownLine(stranger))
        );
        assert_eq!(
            split(vec![vec![lines[1].id]]),
            Err(SplitError::VoidedLine(lines[1].id))
        );
        assert_eq!(
            split(vec![vec![lines[0].id], vec![lines[0].id]]),
            Err(SplitError::LineTwice(lines[0].id))
        );
    }

    #[test]
    fn discount_and_tip_are_shared_so_the_bills_add_up() {
        assert_eq!(share(100, &[1, 1, 1]), [33, 33, 34]);
        assert_eq!(share(2, &[1, 1, 1]), [0, 1, 1]);
        assert_eq!(share(100, &[1, 0]), [100, 0]);
        assert_eq!(share(0, &[0, 0]), [0, 0]);
    }

    #[derive(Clone, Debug)]
    enum Op {
        Add(i64, Option<u16>),
        Void(usize),
        SplitSeats,
        SplitLines(Vec<Vec<usize>>),
        Pay(u16, i64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (1i64..40_000, proptest::option::of(1u16..5)).prop_map(|(a, s)| Op::Add(a, s)),
            1 => (0usize..12).prop_map(Op::Void),
            1 => Just(Op::SplitSeats),
            2 => proptest::collection::vec(proptest::collection::vec(0usize..12, 0..4), 0..3)
                .prop_map(Op::SplitLines),
            2 => (1u16..6, 1i64..30_000).prop_map(|(b, a)| Op::Pay(b, a)),
        ]
    }

    proptest! {
        /// Any sequence of rounds, voids, splits and payments settles: the bills add up to
        /// the tab (subtotal, discount, tip, amount due); each live line is on exactly one
        /// bill; every peso paid is counted on exactly one bill (nothing paid twice); and
        /// a split that would move a line off a bill with money on it is refused.
        #[test]
        fn bills_always_add_up_to_the_tab(
            ops in proptest::collection::vec(op(), 0..40),
            discount_pct in 0i64..=100,
            tip in 0i64..20_000,
        ) {
            let mut lines: Vec<BillLine> = Vec::new();
            let mut payments: Vec<BillPayment> = Vec::new();
            for op in ops {
                match op {
                    Op::Add(amount, seat) => lines.push(line(amount, seat)),
                    Op::Void(i) => {
                        if let Some(l) = lines.get_mut(i) { l.voided = true; }
                    }
                    Op::Pay(bill, amount) => payments.push(paid(BillNo(bill), amount)),
                    Op::SplitSeats | Op::SplitLines(_) => {
                        let request = match op {
                            Op::SplitLines(groups) => SplitRequest::Lines(groups.iter().map(|g| {
                                g.iter().filter_map(|i| lines.get(*i).map(|l| l.id)).collect()
                            }).collect()),
                            _ => SplitRequest::BySeat,
                        };
                        let before = lines.clone();
                        match plan_split(&lines, &payments, &request) {
                            Ok(changes) => {
                                for (id, _) in &changes {
                                    let from = before.iter().find(|l| l.id == *id).expect("line").bill;
                                    let on_it: i128 = payments.iter().filter(|p| p.bill == from)
                                        .map(|p| p.row.contribution()).sum();
                                    prop_assert!(on_it <= 0, "a line left a bill with money on it");
                                }
                                apply(&mut lines, &changes);
                            }
                            Err(SplitError::LinePaid(id)) => {
                                let from = before.iter().find(|l| l.id == id).expect("line").bill;
                                prop_assert!(payments.iter().any(|p| p.bill == from));
                            }
                            Err(_) => {}
                        }
                    }
                }
            }
            let subtotal: i64 = lines.iter().filter(|l| !l.voided).map(|l| l.amount.pesos()).sum();
            let discount = subtotal * discount_pct / 100;
            let bills = settle(&lines, Clp(discount), Clp(tip), &payments);
            let sum = |f: fn(&Bill) -> i64| bills.iter().map(f).sum::<i64>();
            prop_assert_eq!(sum(|b| b.subtotal.pesos()), subtotal);
            prop_assert_eq!(sum(|b| b.discount.pesos()), discount);
            if subtotal > 0 {
                prop_assert_eq!(sum(|b| b.tip.pesos()), tip);
                prop_assert_eq!(sum(|b| b.amount_due.pesos()), subtotal - discount + tip);
            }
            for b in &bills {
                prop_assert!(b.discount.pesos() >= 0 && b.discount <= b.subtotal);
            }
            for l in lines.iter().filter(|l| !l.voided) {
                let on = bills.iter().filter(|b| b.lines.contains(&l.id)).count();
                prop_assert_eq!(on, 1);
            }
            for l in lines.iter().filter(|l| l.voided) {
                prop_assert!(bills.iter().all(|b| !b.lines.contains(&l.id)));
            }
            let paid_total: i64 = payments.iter().map(|p| p.row.amount.pesos()).sum();
            prop_assert_eq!(sum(|b| b.payment.paid.pesos()), paid_total);
        }
    }
}
