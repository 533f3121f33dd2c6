//! Orders: where they come from, their state machine and their totals.
//!
//! Transitions only move forward, so two devices replaying the same history end in the
//! same state, and totals are computed in one place with one IVA rule.

use crate::money::{Clp, MoneyError, ROUNDING_RULE, TaxRate, split_tax};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// Where an order was taken, for reports and for how the restaurant must answer it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// At the counter (point of sale).
    Counter,
    /// At a table, by a waiter.
    DineIn,
    /// To take away.
    Takeaway,
    /// Delivered.
    Delivery,
    /// From the widget on the restaurant's website.
    Widget,
    /// Through the chat assistant.
    Chat,
    /// By phone.
    Phone,
    /// Through a WhatsApp conversation with the assistant (WhatsApp Business, relayed by
    /// the cloud): apart from `chat` so the counter and the reports tell them apart.
    Whatsapp,
}

impl Channel {
    /// Every channel, in a stable order.
    pub const ALL: [Channel; 8] = [
        Channel::Counter,
        Channel::DineIn,
        Channel::Takeaway,
        Channel::Delivery,
        Channel::Widget,
        Channel::Chat,
        Channel::Phone,
        Channel::Whatsapp,
    ];

    /// The wire name, e.g. `dine_in`.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Counter => "counter",
            Channel::DineIn => "dine_in",
            Channel::Takeaway => "takeaway",
            Channel::Delivery => "delivery",
            Channel::Widget => "widget",
            Channel::Chat => "chat",
            Channel::Phone => "phone",
            Channel::Whatsapp => "whatsapp",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A wire name that is not one of the expected values.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("unknown value: {0}")]
pub struct UnknownValue(pub String);

impl FromStr for Channel {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// Where an order is in its life. A widget or chat order arrives as `pending` and the
/// restaurant accepts it (`confirmed`) or rejects it (`cancelled` with a reason).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Received, not yet accepted.
    Pending,
    /// Accepted by the restaurant.
    Confirmed,
    /// Being prepared.
    Preparing,
    /// Ready to serve or to pick up.
    Ready,
    /// Delivered to the diner; terminal.
    Completed,
    /// Cancelled or rejected, with a reason; terminal.
    Cancelled,
}

impl OrderStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Pending,
        OrderStatus::Confirmed,
        OrderStatus::Preparing,
        OrderStatus::Ready,
        OrderStatus::Completed,
        OrderStatus::Cancelled,
    ];

    /// The wire name, e.g. `preparing`.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Preparing => "preparing",
            OrderStatus::Ready => "ready",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// True when nothing can follow (completed, cancelled).
    pub fn is_terminal(self) -> bool {
        matches!(self, OrderStatus::Completed | OrderStatus::Cancelled)
    }

    /// Position on the forward path; `None` for cancelled, which is off the path.
    fn rank(self) -> Option<u8> {
        match self {
            OrderStatus::Pending => Some(0),
            OrderStatus::Confirmed => Some(1),
            OrderStatus::Preparing => Some(2),
            OrderStatus::Ready => Some(3),
            OrderStatus::Completed => Some(4),
            OrderStatus::Cancelled => None,
        }
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrderStatus {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrderStatus::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// Why an order status change was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum TransitionError {
    /// The order is already in that state (a retried request may treat this as done).
    #[error("the order is already {0}")]
    SameState(OrderStatus),
    /// The order is completed or cancelled: nothing can change it.
    #[error("the order is {0} and cannot change")]
    Terminal(OrderStatus),
    /// Statuses only move forward.
    #[error("an order cannot go back from {from} to {to}")]
    Backwards {
        /// The current status.
        from: OrderStatus,
        /// The refused status.
        to: OrderStatus,
    },
    /// Cancelling needs a reason (shown to the diner and in reports).
    #[error("a reason is required to cancel an order")]
    ReasonRequired,
}

/// Checks one status change: forward along pending → confirmed → preparing → ready →
/// completed (skipping ahead is allowed, e.g. a paid takeaway straight to completed), or
/// to cancelled with a non-blank reason from any non-terminal status.
pub fn check_transition(
    from: OrderStatus,
    to: OrderStatus,
    reason: Option<&str>,
) -> Result<(), TransitionError> {
    if from == to {
        return Err(TransitionError::SameState(from));
    }
    if from.is_terminal() {
        return Err(TransitionError::Terminal(from));
    }
    match (from.rank(), to.rank()) {
        (_, None) if reason.is_none_or(|r| r.trim().is_empty()) => {
            Err(TransitionError::ReasonRequired)
        }
        (Some(f), Some(t)) if t < f => Err(TransitionError::Backwards { from, to }),
        _ => Ok(()),
    }
}

/// The order field that carries an owner's request to cancel (synced, last writer wins).
pub const CANCEL_REQUEST_FIELD: &str = "cancel_request";

/// The note of a request refused because the counter had already delivered the order.
pub const ALREADY_DELIVERED: &str = "ya entregado";

/// How a cancel request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CancelOutcome {
    /// The restaurant cancelled the order (through the state machine, with the reason).
    Accepted,
    /// The restaurant kept the order.
    Refused,
}

impl CancelOutcome {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CancelOutcome::Accepted => "accepted",
            CancelOutcome::Refused => "refused",
        }
    }
}

/// An owner's request, made on the cloud, to cancel an order the location runs. It is a
/// request, not a command: it never moves the order's status by itself; staff at the
/// counter accept it (the normal cancel transition) or refuse it, and the outcome syncs
/// back. It travels as the order field [`CANCEL_REQUEST_FIELD`], written whole each time
/// (a new request, or its resolution), so last-writer-wins keeps one consistent value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CancelRequest {
    /// Names this request, so a resolution answers the request it saw and no newer one.
    pub id: String,
    /// Why the owner wants it cancelled (becomes the cancel reason when accepted).
    pub reason: String,
    /// Who asked (the owner's name or email).
    pub requested_by: String,
    /// When they asked (RFC 3339).
    pub requested_at: String,
    /// `None` while the restaurant has not answered.
    #[serde(default)]
    pub outcome: Option<CancelOutcome>,
    /// Who answered (staff name), or `None` when the rules answered on their own.
    #[serde(default)]
    pub resolved_by: Option<String>,
    /// When it was answered (RFC 3339).
    #[serde(default)]
    pub resolved_at: Option<String>,
    /// Why it ended so, when the rules decided (e.g. [`ALREADY_DELIVERED`]).
    #[serde(default)]
    pub note: Option<String>,
}

impl CancelRequest {
    /// True while the restaurant has not answered.
    pub fn is_pending(&self) -> bool {
        self.outcome.is_none()
    }

    /// Records the answer.
    pub fn resolve(
        &mut self,
        outcome: CancelOutcome,
        by: Option<String>,
        at: String,
        note: Option<String>,
    ) {
        self.outcome = Some(outcome);
        self.resolved_by = by;
        self.resolved_at = Some(at);
        self.note = note;
    }

    /// What a pending request becomes once its order ended without staff answering it:
    /// an order completed was delivered (refused, [`ALREADY_DELIVERED`]); an order
    /// cancelled got what the owner asked (accepted). `None` when nothing follows.
    pub fn settled_by(&self, status: OrderStatus, at: String) -> Option<CancelRequest> {
        if !self.is_pending() {
            return None;
        }
        let mut settled = self.clone();
        match status {
            OrderStatus::Completed => settled.resolve(
                CancelOutcome::Refused,
                None,
                at,
                Some(ALREADY_DELIVERED.to_owned()),
            ),
            OrderStatus::Cancelled => settled.resolve(CancelOutcome::Accepted, None, at, None),
            _ => return None,
        }
        Some(settled)
    }
}

/// What totals need of one order line (already priced by `menu::price_line`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TotalsLine {
    /// Unit price, IVA included.
    pub unit_price: Clp,
    /// How many.
    pub quantity: u32,
    /// Voided lines stay on the order for the record but are not charged.
    pub voided: bool,
}

/// The money of one order, computed by `order_totals`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderTotals {
    /// Sum of non-voided lines, IVA included.
    pub subtotal: Clp,
    /// Taken off the subtotal (IVA included): the bill discount plus every line's.
    pub discount: Clp,
    /// The part of `discount` given on single lines.
    #[serde(default)]
    pub line_discounts: Clp,
    /// `subtotal - discount`: the taxable sale, IVA included.
    pub total: Clp,
    /// `total` without IVA.
    pub net: Clp,
    /// The IVA inside `total`; `net + tax == total`.
    pub tax: Clp,
    /// The rate applied.
    pub tax_rate: TaxRate,
    /// Voluntary tip: outside the sale and outside IVA.
    pub tip: Clp,
    /// What the diner pays: `total + tip` (before any cash rounding).
    pub amount_due: Clp,
    /// How `net` and `tax` were rounded (`money::ROUNDING_RULE`).
    pub rounding_rule: String,
}

/// Why totals could not be computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum TotalsError {
    /// A line with a negative unit price (lines are priced by the server and never are).
    #[error("line {0} has a negative unit price")]
    NegativeUnitPrice(usize),
    /// The discount is negative or larger than the subtotal.
    #[error("discount {discount} must be between $0 and the subtotal {subtotal}")]
    DiscountOutOfRange {
        /// The refused discount.
        discount: Clp,
        /// The subtotal it was applied to.
        subtotal: Clp,
    },
    /// A line's own discount is negative or larger than the line.
    #[error("line {0} has a discount outside $0 and the line")]
    LineDiscountOutOfRange(usize),
    /// A negative tip.
    #[error("the tip cannot be negative")]
    NegativeTip,
    /// The amounts left the supported range.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// Computes an order's totals when no line carries a discount (the cloud's widget orders
/// and new counter orders); see [`discounted_order_totals`].
pub fn order_totals(
    lines: &[TotalsLine],
    discount: Clp,
    tip: Clp,
    tax_rate: TaxRate,
) -> Result<OrderTotals, TotalsError> {
    let lines: Vec<DiscountedLine> = lines
        .iter()
        .map(|&line| DiscountedLine {
            line,
            discount: Clp::ZERO,
        })
        .collect();
    discounted_order_totals(&lines, discount, tip, tax_rate)
}

/// A line as totals see it once a discount may sit on it (kept apart from [`TotalsLine`]
/// so callers that never discount a line build their lines as before).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiscountedLine {
    /// The line.
    pub line: TotalsLine,
    /// Pesos taken off this line (IVA included); zero when none.
    pub discount: Clp,
}

/// Computes an order's totals. Prices are IVA-included, so IVA is split from the final
/// total once (never summed per line, which drifts by a peso per line); the voluntary tip
/// is added after tax because in Chile it is not part of the taxable sale.
///
/// `bill_discount` is the discount on the whole bill; each line may carry its own. The
/// returned `discount` is both together (what reports count as discounts), `subtotal` stays
/// the lines before any discount, so `total = subtotal - discount` always holds. A line
/// discount never exceeds its line and the bill discount never exceeds what the lines
/// leave, so no line and no total goes negative.
pub fn discounted_order_totals(
    lines: &[DiscountedLine],
    bill_discount: Clp,
    tip: Clp,
    tax_rate: TaxRate,
) -> Result<OrderTotals, TotalsError> {
    let mut subtotal = Clp::ZERO;
    let mut line_discounts = Clp::ZERO;
    for (index, DiscountedLine { line, discount }) in lines.iter().enumerate() {
        if line.unit_price.is_negative() {
            return Err(TotalsError::NegativeUnitPrice(index));
        }
        if line.voided {
            continue;
        }
        let gross = line.unit_price.checked_mul(line.quantity)?;
        if discount.is_negative() || *discount > gross {
            return Err(TotalsError::LineDiscountOutOfRange(index));
        }
        subtotal = subtotal.checked_add(gross)?;
        line_discounts = line_discounts.checked_add(*discount)?;
    }
    let room = subtotal.checked_sub(line_discounts)?;
    if bill_discount.is_negative() || bill_discount > room {
        return Err(TotalsError::DiscountOutOfRange {
            discount: bill_discount,
            subtotal: room,
        });
    }
    if tip.is_negative() {
        return Err(TotalsError::NegativeTip);
    }
    let discount = line_discounts.checked_add(bill_discount)?;
    let total = subtotal.checked_sub(discount)?;
    let split = split_tax(total, tax_rate);
    Ok(OrderTotals {
        subtotal,
        discount,
        line_discounts,
        total,
        net: split.net,
        tax: split.tax,
        tax_rate,
        tip,
        amount_due: total.checked_add(tip)?,
        rounding_rule: ROUNDING_RULE.to_owned(),
    })
}

/// A discount on one order line: a share of it or a fixed amount, with why. It travels
/// inside the synced line (`OrderLineRow.line`), so it reaches every counter and the cloud
/// with the line itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LineDiscount {
    /// The percentage asked for (1–100), or `None` for a fixed amount; kept so the ticket
    /// and the detail can say "10 %".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<u32>,
    /// Pesos taken off the line, IVA included (never more than the line).
    pub amount: Clp,
    /// Why it was given.
    pub reason: String,
}

/// How staff ask for a line discount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineDiscountRule {
    /// A share of the line, 1–100 %.
    Percent(u32),
    /// A fixed amount, at least $1 and at most the line.
    Amount(Clp),
}

/// Why a line discount was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum LineDiscountError {
    /// A percentage outside 1–100.
    #[error("a line discount is between 1 and 100 percent")]
    Percent,
    /// An amount below $1 or above the line.
    #[error("a line discount is between $1 and the line's {line}")]
    Amount {
        /// The line it was asked on.
        line: Clp,
    },
}

impl LineDiscountRule {
    /// The pesos this rule takes off a line worth `gross`: a percentage rounds half up to
    /// whole pesos (IVA-included prices have no cents) and can never pass the line.
    pub fn amount_off(self, gross: Clp) -> Result<Clp, LineDiscountError> {
        match self {
            LineDiscountRule::Percent(p) if (1..=100).contains(&p) => {
                let off = (i128::from(gross.0) * i128::from(p) * 2 + 100) / 200;
                Ok(Clp(i64::try_from(off).unwrap_or(gross.0).min(gross.0)))
            }
            LineDiscountRule::Percent(_) => Err(LineDiscountError::Percent),
            LineDiscountRule::Amount(a) if a.0 >= 1 && a <= gross => Ok(a),
            LineDiscountRule::Amount(_) => Err(LineDiscountError::Amount { line: gross }),
        }
    }

    /// The percentage, when the rule is one (recorded on the line).
    pub fn percent(self) -> Option<u32> {
        match self {
            LineDiscountRule::Percent(p) => Some(p),
            LineDiscountRule::Amount(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;
    use proptest::prelude::*;

    #[test]
    fn wire_names_round_trip() {
        for status in OrderStatus::ALL {
            assert_eq!(status.as_str().parse::<OrderStatus>(), Ok(status));
            assert_eq!(serde_json::to_value(status).expect("ser"), status.as_str());
        }
        for channel in Channel::ALL {
            assert_eq!(channel.as_str().parse::<Channel>(), Ok(channel));
            assert_eq!(
                serde_json::to_value(channel).expect("ser"),
                channel.as_str()
            );
        }
        assert!("submitted".parse::<OrderStatus>().is_err());
    }

    #[test]
    fn transitions() {
        assert_eq!(check_transition(Pending, Confirmed, None), Ok(()));
        assert_eq!(
            check_transition(Pending, Completed, None),
            Ok(()),
            "paid takeaway"
        );
        assert_eq!(check_transition(Ready, Completed, None), Ok(()));
        assert_eq!(
            check_transition(Ready, Preparing, None),
            Err(TransitionError::Backwards {
                from: Ready,
                to: Preparing
            })
        );
        assert_eq!(
            check_transition(Preparing, Preparing, None),
            Err(TransitionError::SameState(Preparing))
        );
        assert_eq!(
            check_transition(Completed, Cancelled, Some("x")),
            Err(TransitionError::Terminal(Completed))
        );
        assert_eq!(
            check_transition(Cancelled, Pending, None),
            Err(TransitionError::Terminal(Cancelled))
        );
        assert_eq!(
            check_transition(Cancelled, Cancelled, Some("x")),
            Err(TransitionError::SameState(Cancelled))
        );
        assert_eq!(
            check_transition(Ready, Cancelled, None),
            Err(TransitionError::ReasonRequired)
        );
        assert_eq!(
            check_transition(Ready, Cancelled, Some("  ")),
            Err(TransitionError::ReasonRequired)
        );
        assert_eq!(
            check_transition(Ready, Cancelled, Some("sin stock")),
            Ok(())
        );
    }

    #[test]
    fn a_percentage_rounds_to_the_nearest_peso() {
        // 15 % of $12.990 is $1.948,5: half a peso rounds up.
        assert_eq!(
            LineDiscountRule::Percent(15).amount_off(Clp(12_990)),
            Ok(Clp(1_949))
        );
        assert_eq!(
            LineDiscountRule::Percent(10).amount_off(Clp(4_990)),
            Ok(Clp(499))
        );
        assert_eq!(
            LineDiscountRule::Percent(0).amount_off(Clp(4_990)),
            Err(LineDiscountError::Percent)
        );
        assert_eq!(
            LineDiscountRule::Percent(101).amount_off(Clp(4_990)),
            Err(LineDiscountError::Percent)
        );
        assert_eq!(
            LineDiscountRule::Amount(Clp(0)).amount_off(Clp(4_990)),
            Err(LineDiscountError::Amount { line: Clp(4_990) })
        );
        // A line discount and a bill discount on a known order.
        let lines = [
            DiscountedLine {
                line: TotalsLine {
                    unit_price: Clp(12_990),
                    quantity: 1,
                    voided: false,
                },
                discount: Clp(1_949),
            },
            DiscountedLine {
                line: TotalsLine {
                    unit_price: Clp(2_500),
                    quantity: 2,
                    voided: false,
                },
                discount: Clp(0),
            },
        ];
        let totals =
            discounted_order_totals(&lines, Clp(1_000), Clp(0), TaxRate::IVA).expect("totals");
        assert_eq!(totals.subtotal, Clp(17_990));
        assert_eq!(totals.line_discounts, Clp(1_949));
        assert_eq!(totals.discount, Clp(2_949));
        assert_eq!(totals.total, Clp(15_041));
        assert_eq!(totals.net.0 + totals.tax.0, 15_041);
    }

    #[test]
    fn totals_of_a_known_order() {
        let lines = [
            TotalsLine {
                unit_price: Clp(13_990),
                quantity: 2,
                voided: false,
            },
            TotalsLine {
                unit_price: Clp(4_990),
                quantity: 1,
                voided: true,
            },
            TotalsLine {
                unit_price: Clp(2_990),
                quantity: 3,
                voided: false,
            },
        ];
        let totals = order_totals(&lines, Clp(1_000), Clp(3_000), TaxRate::IVA).expect("totals");
        assert_eq!(totals.subtotal, Clp(36_950));
        assert_eq!(totals.total, Clp(35_950));
        // 35.950 / 1.19 = 30.210,08 -> 30.210
        assert_eq!((totals.net, totals.tax), (Clp(30_210), Clp(5_740)));
        assert_eq!(totals.amount_due, Clp(38_950));
        assert_eq!(totals.rounding_rule, ROUNDING_RULE);
    }

    #[test]
    fn refuses_bad_discounts_and_tips() {
        let lines = [TotalsLine {
            unit_price: Clp(1_000),
            quantity: 1,
            voided: false,
        }];
        let out_of_range = |d| {
            Err(TotalsError::DiscountOutOfRange {
                discount: Clp(d),
                subtotal: Clp(1_000),
            })
        };
        assert_eq!(
            order_totals(&lines, Clp(1_001), Clp(0), TaxRate::IVA),
            out_of_range(1_001)
        );
        assert_eq!(
            order_totals(&lines, Clp(-1), Clp(0), TaxRate::IVA),
            out_of_range(-1)
        );
        assert_eq!(
            order_totals(&lines, Clp(1_000), Clp(0), TaxRate::IVA)
                .expect("free")
                .total,
            Clp(0)
        );
        assert_eq!(
            order_totals(&lines, Clp(0), Clp(-1), TaxRate::IVA),
            Err(TotalsError::NegativeTip)
        );
        let negative = [TotalsLine {
            unit_price: Clp(-1),
            quantity: 1,
            voided: true,
        }];
        assert_eq!(
            order_totals(&negative, Clp(0), Clp(0), TaxRate::IVA),
            Err(TotalsError::NegativeUnitPrice(0))
        );
        let huge = [TotalsLine {
            unit_price: Clp::MAX,
            quantity: 2,
            voided: false,
        }];
        assert!(matches!(
            order_totals(&huge, Clp(0), Clp(0), TaxRate::IVA),
            Err(TotalsError::Money(_))
        ));
    }

    /// The reference model: the path position of each status, cancelled off the path.
    fn model_allows(from: OrderStatus, to: OrderStatus, has_reason: bool) -> bool {
        let path = [Pending, Confirmed, Preparing, Ready, Completed];
        let pos = |s| path.iter().position(|p| *p == s);
        match (from, to) {
            (Completed | Cancelled, _) => false,
            (_, Cancelled) => has_reason,
            _ => pos(to) > pos(from),
        }
    }

    proptest! {
        #[test]
        fn state_machine_matches_the_model(
            attempts in prop::collection::vec((0usize..6, prop::option::of("[ a-z]{0,3}")), 0..30)
        ) {
            let mut state = Pending;
            for (to, reason) in attempts {
                let to = OrderStatus::ALL[to];
                let has_reason = reason.as_deref().is_some_and(|r| !r.trim().is_empty());
                let accepted = check_transition(state, to, reason.as_deref()).is_ok();
                prop_assert_eq!(accepted, model_allows(state, to, has_reason));
                if state.is_terminal() {
                    prop_assert!(!accepted, "left terminal state {}", state);
                }
                if accepted {
                    state = to;
                }
            }
            // Every status reached is reachable from pending in one legal step too.
            prop_assert!(state == Pending || check_transition(Pending, state, Some("r")).is_ok());
        }

        #[test]
        fn totals_match_an_i128_reference(
            lines in prop::collection::vec((0i64..1_000_000, 0u32..=999, any::<bool>()), 0..20),
            discount_share in 0u32..=100,
            tip in 0i64..1_000_000,
            bp in 0u32..=5000,
        ) {
            let lines: Vec<TotalsLine> = lines.into_iter()
                .map(|(p, q, v)| TotalsLine { unit_price: Clp(p), quantity: q, voided: v })
                .collect();
            let subtotal: i128 = lines.iter().filter(|l| !l.voided)
                .map(|l| i128::from(l.unit_price.0) * i128::from(l.quantity)).sum();
            let discount = subtotal * i128::from(discount_share) / 100;
            let rate = TaxRate::from_basis_points(bp).expect("rate");
            let totals = order_totals(&lines, Clp(i64::try_from(discount).expect("fits")), Clp(tip), rate)
                .expect("totals");
            let total = subtotal - discount;
            // Reference net: round(total × 10000 / (10000 + bp)) half up, in i128.
            let d = 10_000 + i128::from(bp);
            let net = (2 * total * 10_000 + d) / (2 * d);
            prop_assert_eq!(i128::from(totals.subtotal.0), subtotal);
            prop_assert_eq!(i128::from(totals.total.0), total);
            prop_assert_eq!(i128::from(totals.net.0), net);
            prop_assert_eq!(totals.net.0 + totals.tax.0, totals.total.0);
            prop_assert_eq!(totals.amount_due.0, totals.total.0 + tip);
        }

        #[test]
        fn line_discounts_keep_every_line_and_total_whole(
            lines in prop::collection::vec(
                (0i64..1_000_000, 1u32..=99, any::<bool>(), 0u32..=100, any::<bool>()),
                0..12,
            ),
            bill_share in 0u32..=100,
            tip in 0i64..100_000,
        ) {
            // Each line: price, quantity, voided, a rule (percent or an amount as a share of
            // the line) and how big.
            let mut discounted = Vec::new();
            for &(price, quantity, voided, size, as_percent) in &lines {
                let gross = Clp(price * i64::from(quantity));
                let rule = if as_percent {
                    LineDiscountRule::Percent(size.max(1))
                } else {
                    LineDiscountRule::Amount(Clp((gross.0 * i64::from(size) / 100).max(1)))
                };
                let off = rule.amount_off(gross);
                let discount = match off {
                    Ok(off) => {
                        prop_assert!(off.0 >= 0 && off <= gross, "{off} off a line of {gross}");
                        off
                    }
                    // Only an amount of $1 on a $0 line can be refused.
                    Err(_) => {
                        prop_assert_eq!(gross, Clp::ZERO);
                        Clp::ZERO
                    }
                };
                discounted.push(DiscountedLine {
                    line: TotalsLine { unit_price: Clp(price), quantity, voided },
                    discount,
                });
            }
            let live = || discounted.iter().filter(|l| !l.line.voided);
            let subtotal: i64 = live().map(|l| l.line.unit_price.0 * i64::from(l.line.quantity)).sum();
            let on_lines: i64 = live().map(|l| l.discount.0).sum();
            let bill = (subtotal - on_lines) * i64::from(bill_share) / 100;
            let totals = discounted_order_totals(&discounted, Clp(bill), Clp(tip), TaxRate::IVA)
                .expect("totals");
            // totals = sum of lines − discounts, in whole IVA-included pesos.
            prop_assert_eq!(totals.subtotal.0, subtotal);
            prop_assert_eq!(totals.line_discounts.0, on_lines);
            prop_assert_eq!(totals.discount.0, on_lines + bill);
            prop_assert_eq!(totals.total.0, subtotal - on_lines - bill);
            prop_assert!(totals.total.0 >= 0);
            prop_assert_eq!(totals.net.0 + totals.tax.0, totals.total.0);
            prop_assert_eq!(totals.amount_due.0, totals.total.0 + tip);
            // A bill discount one peso past what the lines leave is refused.
            let room = subtotal - on_lines;
            prop_assert_eq!(
                discounted_order_totals(&discounted, Clp(room + 1), Clp(0), TaxRate::IVA),
                Err(TotalsError::DiscountOutOfRange { discount: Clp(room + 1), subtotal: Clp(room) })
            );
        }

        #[test]
        fn a_line_discount_never_passes_its_line(
            price in 0i64..1_000_000,
            quantity in 1u32..=99,
            extra in 1i64..1_000,
        ) {
            let line = TotalsLine { unit_price: Clp(price), quantity, voided: false };
            let gross = Clp(price * i64::from(quantity));
            let over = [DiscountedLine { line, discount: Clp(gross.0 + extra) }];
            prop_assert_eq!(
                discounted_order_totals(&over, Clp(0), Clp(0), TaxRate::IVA),
                Err(TotalsError::LineDiscountOutOfRange(0))
            );
            let negative = [DiscountedLine { line, discount: Clp(-extra) }];
            prop_assert_eq!(
                discounted_order_totals(&negative, Clp(0), Clp(0), TaxRate::IVA),
                Err(TotalsError::LineDiscountOutOfRange(0))
            );
            prop_assert_eq!(
                LineDiscountRule::Amount(Clp(gross.0 + extra)).amount_off(gross),
                Err(LineDiscountError::Amount { line: gross })
            );
            prop_assert_eq!(LineDiscountRule::Percent(100).amount_off(gross), Ok(gross));
            // Without line discounts the two entry points agree.
            prop_assert_eq!(
                order_totals(&[line], Clp(0), Clp(0), TaxRate::IVA),
                discounted_order_totals(&[DiscountedLine { line, discount: Clp(0) }], Clp(0), Clp(0), TaxRate::IVA)
            );
        }

        #[test]
        fn voided_lines_never_count(
            lines in prop::collection::vec((0i64..1_000_000, 1u32..=999), 1..10),
            voided in prop::collection::vec((0i64..1_000_000, 1u32..=999), 1..10),
        ) {
            let live: Vec<TotalsLine> = lines.iter()
                .map(|&(p, q)| TotalsLine { unit_price: Clp(p), quantity: q, voided: false }).collect();
            let mut all = live.clone();
            all.extend(voided.iter().map(|&(p, q)| TotalsLine { unit_price: Clp(p), quantity: q, voided: true }));
            let a = order_totals(&live, Clp(0), Clp(0), TaxRate::IVA).expect("live");
            let b = order_totals(&all, Clp(0), Clp(0), TaxRate::IVA).expect("all");
            prop_assert_eq!(a, b);
        }
    }
}
