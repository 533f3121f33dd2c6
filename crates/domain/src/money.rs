//! Chilean pesos and IVA.
//!
//! Money is whole pesos in an `i64` (the peso has no cents in practice). Menu prices are
//! IVA-included, so IVA is *derived* from a total once, with one documented rounding rule,
//! and `net + tax == total` always holds: the bug where a $33.00 receipt became a $32.99
//! invoice cannot happen here.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// The rule `split_tax` applies, shown next to totals in API responses so an accountant
/// can reproduce every number.
pub const ROUNDING_RULE: &str = "iva_from_total_half_up";

/// Why a money computation was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum MoneyError {
    /// The result left the supported range (±`Clp::MAX`).
    #[error("amount out of range")]
    Overflow,
}

/// An amount of Chilean pesos (negative for refunds and discounts).
///
/// On the wire it is a bare integer. Amounts are limited to ±`Clp::MAX`, the largest integer
/// a JavaScript number holds exactly, so the TypeScript panel never shows a rounded amount.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(try_from = "i64", into = "i64")]
#[schema(value_type = i64)]
pub struct Clp(pub i64);

impl Clp {
    /// Nothing.
    pub const ZERO: Clp = Clp(0);
    /// The largest supported amount (JavaScript's `Number.MAX_SAFE_INTEGER`).
    pub const MAX: Clp = Clp(9_007_199_254_740_991);

    /// The amount, checked against the supported range.
    pub fn new(pesos: i64) -> Result<Clp, MoneyError> {
        if pesos.unsigned_abs() > Self::MAX.0.unsigned_abs() {
            Err(MoneyError::Overflow)
        } else {
            Ok(Clp(pesos))
        }
    }

    /// The number of pesos.
    pub fn pesos(self) -> i64 {
        self.0
    }

    /// `self + other`, refused outside the supported range.
    pub fn checked_add(self, other: Clp) -> Result<Clp, MoneyError> {
        Clp::new(self.0.checked_add(other.0).ok_or(MoneyError::Overflow)?)
    }

    /// `self - other`, refused outside the supported range.
    pub fn checked_sub(self, other: Clp) -> Result<Clp, MoneyError> {
        Clp::new(self.0.checked_sub(other.0).ok_or(MoneyError::Overflow)?)
    }

    /// `self × quantity` (a line total), refused outside the supported range.
    pub fn checked_mul(self, quantity: u32) -> Result<Clp, MoneyError> {
        Clp::new(
            self.0
                .checked_mul(i64::from(quantity))
                .ok_or(MoneyError::Overflow)?,
        )
    }

    /// The sum of many amounts, refused as soon as it leaves the supported range.
    pub fn checked_sum(amounts: impl IntoIterator<Item = Clp>) -> Result<Clp, MoneyError> {
        amounts.into_iter().try_fold(Clp::ZERO, Clp::checked_add)
    }

    /// The mean of `total` over `count` (the average ticket), rounded to the nearest peso
    /// with halves away from zero, so the counter and the cloud show the same figure for
    /// the same orders; zero when there is nothing to average.
    pub fn average(total: Clp, count: i64) -> Clp {
        if count <= 0 {
            return Clp::ZERO;
        }
        let (total, count) = (i128::from(total.0), i128::from(count));
        let rounded = (2 * total + total.signum() * count) / (2 * count);
        Clp(i64::try_from(rounded).unwrap_or(0))
    }

    /// True below zero (refunds).
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
}

impl TryFrom<i64> for Clp {
    type Error = MoneyError;
    fn try_from(pesos: i64) -> Result<Self, Self::Error> {
        Clp::new(pesos)
    }
}

impl From<Clp> for i64 {
    fn from(value: Clp) -> Self {
        value.0
    }
}

/// es-CL format: `$12.990`, `-$1.000`, `$0` (thousands separated by '.', no decimals).
impl fmt::Display for Clp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.unsigned_abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 2);
        if self.0 < 0 {
            grouped.push('-');
        }
        grouped.push('$');
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(digit);
        }
        f.pad(&grouped)
    }
}

/// Why a tax rate was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("tax rate must be between 0 and 10000 basis points, got {0}")]
pub struct TaxRateError(pub u32);

/// A tax rate in basis points (1900 = 19 %). Whole basis points keep the arithmetic in
/// integers; IVA is `TaxRate::IVA`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "u32", into = "u32")]
#[schema(value_type = u32)]
pub struct TaxRate(u32);

impl TaxRate {
    /// Chile's IVA, 19 %.
    pub const IVA: TaxRate = TaxRate(1900);

    /// A rate from basis points; at most 100 % (a misplaced digit would otherwise be accepted).
    pub fn from_basis_points(bp: u32) -> Result<TaxRate, TaxRateError> {
        if bp <= 10_000 {
            Ok(TaxRate(bp))
        } else {
            Err(TaxRateError(bp))
        }
    }

    /// The rate in basis points.
    pub fn basis_points(self) -> u32 {
        self.0
    }
}

impl Default for TaxRate {
    fn default() -> Self {
        TaxRate::IVA
    }
}

impl TryFrom<u32> for TaxRate {
    type Error = TaxRateError;
    fn try_from(bp: u32) -> Result<Self, Self::Error> {
        TaxRate::from_basis_points(bp)
    }
}

impl From<TaxRate> for u32 {
    fn from(value: TaxRate) -> Self {
        value.0
    }
}

/// An IVA-included total split into its net amount and its tax.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TaxBreakdown {
    /// What the diner pays, IVA included.
    pub total: Clp,
    /// The total without IVA.
    pub net: Clp,
    /// The IVA inside the total; always `total - net`.
    pub tax: Clp,
}

/// Splits an IVA-included total: `net = total × 10000 / (10000 + rate)` rounded half-up to
/// the peso (half away from zero for negative totals, so a refund mirrors its sale), and
/// `tax = total - net`, so the two always add up to the total.
pub fn split_tax(total: Clp, rate: TaxRate) -> TaxBreakdown {
    let numerator = i128::from(total.0.unsigned_abs()) * 10_000;
    let denominator = 10_000 + i128::from(rate.0);
    // Half-up on a non-negative quotient: floor((2n + d) / 2d).
    let magnitude = (2 * numerator + denominator) / (2 * denominator);
    // |net| <= |total|, so it fits in an i64.
    let magnitude = i64::try_from(magnitude).unwrap_or(i64::MAX);
    let net = if total.0 < 0 { -magnitude } else { magnitude };
    TaxBreakdown {
        total,
        net: Clp(net),
        tax: Clp(total.0 - net),
    }
}

/// Cash rounding under Ley 20.956 (no 1- and 5-peso coins): a cash amount ending in 1–5
/// rounds down to the ten, one ending in 6–9 rounds up; negative amounts mirror. Only cash
/// is rounded; cards and transfers pay the exact amount.
pub fn cash_round(amount: Clp) -> Clp {
    let magnitude = amount.0.unsigned_abs();
    let last = magnitude % 10;
    let rounded = if last <= 5 {
        magnitude - last
    } else {
        // Cannot overflow a u64 for any i64 magnitude.
        magnitude + (10 - last)
    };
    // Within ±Clp::MAX this always fits; beyond it, fall back to rounding toward zero.
    let rounded = i64::try_from(rounded).unwrap_or(i64::try_from(magnitude - last).unwrap_or(0));
    Clp(if amount.0 < 0 { -rounded } else { rounded })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn displays_in_es_cl_format() {
        assert_eq!(Clp(12_990).to_string(), "$12.990");
        assert_eq!(Clp(-1_000).to_string(), "-$1.000");
        assert_eq!(Clp(0).to_string(), "$0");
        assert_eq!(Clp(999).to_string(), "$999");
        assert_eq!(Clp(1_234_567).to_string(), "$1.234.567");
        assert_eq!(Clp(i64::MIN).to_string(), "-$9.223.372.036.854.775.808");
    }

    #[test]
    fn serde_is_a_bare_integer_and_checks_the_range() {
        assert_eq!(serde_json::to_string(&Clp(12_990)).expect("ser"), "12990");
        let back: Clp = serde_json::from_str("-500").expect("de");
        assert_eq!(back, Clp(-500));
        assert!(serde_json::from_str::<Clp>("9007199254740992").is_err());
        assert!(serde_json::from_str::<Clp>("12.5").is_err());
        assert!(serde_json::from_str::<TaxRate>("10001").is_err());
        assert_eq!(
            serde_json::from_str::<TaxRate>("1900").expect("de"),
            TaxRate::IVA
        );
    }

    #[test]
    fn checked_arithmetic_refuses_overflow() {
        assert_eq!(Clp(2_990).checked_mul(3), Ok(Clp(8_970)));
        assert_eq!(Clp(1).checked_add(Clp(2)), Ok(Clp(3)));
        assert_eq!(Clp(1).checked_sub(Clp(2)), Ok(Clp(-1)));
        assert_eq!(Clp::MAX.checked_add(Clp(1)), Err(MoneyError::Overflow));
        assert_eq!(
            Clp(-Clp::MAX.0).checked_sub(Clp(1)),
            Err(MoneyError::Overflow)
        );
        assert_eq!(Clp(i64::MAX / 2).checked_mul(3), Err(MoneyError::Overflow));
        assert_eq!(Clp::checked_sum([Clp(1), Clp(2), Clp(3)]), Ok(Clp(6)));
    }

    #[test]
    fn splits_iva_from_known_totals() {
        // 12.990 / 1.19 = 10.915,966... -> 10.916
        assert_eq!(
            split_tax(Clp(12_990), TaxRate::IVA),
            TaxBreakdown {
                total: Clp(12_990),
                net: Clp(10_916),
                tax: Clp(2_074)
            }
        );
        // 119 / 1.19 = 100 exactly.
        assert_eq!(split_tax(Clp(119), TaxRate::IVA).net, Clp(100));
        // At 100 % a 1-peso total has a net of exactly half a peso: it rounds up.
        let half = TaxRate::from_basis_points(10_000).expect("rate");
        assert_eq!(split_tax(Clp(1), half).net, Clp(1));
        assert_eq!(split_tax(Clp(-1), half).net, Clp(-1));
        assert_eq!(split_tax(Clp(-12_990), TaxRate::IVA).net, Clp(-10_916));
        assert_eq!(split_tax(Clp(0), TaxRate::IVA).tax, Clp(0));
        assert!(TaxRate::from_basis_points(10_001).is_err());
    }

    #[test]
    fn cash_rounds_per_ley_20956() {
        assert_eq!(cash_round(Clp(12_995)), Clp(12_990));
        assert_eq!(cash_round(Clp(12_996)), Clp(13_000));
        assert_eq!(cash_round(Clp(12_991)), Clp(12_990));
        assert_eq!(cash_round(Clp(12_999)), Clp(13_000));
        assert_eq!(cash_round(Clp(12_990)), Clp(12_990));
        assert_eq!(cash_round(Clp(5)), Clp(0));
        assert_eq!(cash_round(Clp(-12_996)), Clp(-13_000));
        assert_eq!(cash_round(Clp(-12_995)), Clp(-12_990));
        // Far outside the supported range it must still not panic.
        assert_eq!(cash_round(Clp(i64::MAX)).0 % 10, 0);
        assert_eq!(cash_round(Clp(i64::MIN)).0 % 10, 0);
    }

    #[test]
    fn the_average_ticket_rounds_to_the_nearest_peso() {
        // 3 orders for $84.638 average $28.212,67: $28.213, at the counter and in the cloud.
        assert_eq!(Clp::average(Clp(84_638), 3), Clp(28_213));
        assert_eq!(Clp::average(Clp(5), 2), Clp(3));
        assert_eq!(Clp::average(Clp(-5), 2), Clp(-3));
        assert_eq!(Clp::average(Clp(7), 0), Clp::ZERO);
    }

    proptest! {
        #[test]
        fn the_average_is_within_half_a_peso_of_exact(total in -Clp::MAX.0..=Clp::MAX.0, count in 1i64..100_000) {
            let average = Clp::average(Clp(total), count);
            // |average × count − total| ≤ count / 2
            let gap = (i128::from(average.0) * i128::from(count) - i128::from(total)).abs();
            prop_assert!(2 * gap <= i128::from(count));
        }

        #[test]
        fn net_plus_tax_is_total(total in -Clp::MAX.0..=Clp::MAX.0, bp in 0u32..=5000) {
            let rate = TaxRate::from_basis_points(bp).expect("rate");
            let split = split_tax(Clp(total), rate);
            prop_assert_eq!(split.net.0 + split.tax.0, total);
            prop_assert_eq!(split.total, Clp(total));
        }

        #[test]
        fn tax_is_within_half_a_peso_of_exact(total in -Clp::MAX.0..=Clp::MAX.0, bp in 0u32..=5000) {
            let rate = TaxRate::from_basis_points(bp).expect("rate");
            let split = split_tax(Clp(total), rate);
            // exact tax = total × bp / (10000 + bp); compare scaled by the denominator.
            let denominator = 10_000 + i128::from(bp);
            let exact_scaled = i128::from(total) * i128::from(bp);
            let ours_scaled = i128::from(split.tax.0) * denominator;
            // |ours - exact| <= 1/2 peso.
            prop_assert!(2 * (ours_scaled - exact_scaled).abs() <= denominator);
        }

        #[test]
        fn split_of_a_refund_mirrors_the_sale(total in 0..=Clp::MAX.0, bp in 0u32..=5000) {
            let rate = TaxRate::from_basis_points(bp).expect("rate");
            let sale = split_tax(Clp(total), rate);
            let refund = split_tax(Clp(-total), rate);
            prop_assert_eq!(refund.net.0, -sale.net.0);
        }

        #[test]
        fn cash_round_is_a_near_multiple_of_ten(amount in -Clp::MAX.0..=Clp::MAX.0) {
            let rounded = cash_round(Clp(amount)).0;
            prop_assert_eq!(rounded % 10, 0);
            prop_assert!((rounded - amount).abs() <= 5);
            prop_assert_eq!(cash_round(Clp(-amount)).0, -rounded);
            prop_assert_eq!(cash_round(Clp(rounded)).0, rounded);
        }

        #[test]
        fn display_round_trips_through_digits(amount in -Clp::MAX.0..=Clp::MAX.0) {
            let text = Clp(amount).to_string();
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            let parsed: i64 = digits.parse().expect("digits");
            prop_assert_eq!(if text.starts_with('-') { -parsed } else { parsed }, amount);
        }
    }
}
