//! Closing the day: the X report (mid-shift, nothing closed) and the Z report (the
//! business day, closed for good).
//!
//! A restaurant that closes after midnight still sells "Saturday" at 01:30 on Sunday, so a
//! business day runs from a configurable cut-off hour (04:00 by default) to the same hour
//! the next day, in the restaurant's time zone ([`business_day`], [`day_window`]).
//!
//! The report is a pure function of the rows the appliance selected for the day
//! ([`ReportInput`]): sales come from orders (what was sold), collections from the payment
//! ledger (what was paid, refunds negative), so the report's money totals are the ledger's
//! by construction, which the property tests below check for any sequence of sales,
//! refunds and voids. Rows that arrived after an earlier day was closed are counted in the
//! day that takes them, flagged `late`, and listed apart.

use crate::drawer::SessionStatus;
use crate::money::{Clp, MoneyError, TaxRate, split_tax};
use crate::order::Channel;
use crate::payment::PaymentMethod;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The cut-off hour used when the restaurant has not set one: 04:00, after the last
/// late-night table and before any breakfast.
pub const DEFAULT_CUTOFF_HOUR: u8 = 4;

/// The most entries a report lists of voids, waiters or late corrections (a synced row's
/// arrays are bounded, `sync::rows::LIMITS`); the counts and sums always cover them all.
pub const MAX_LISTED: usize = 200;

/// The latest cut-off hour accepted: a business day must start in the small hours or the
/// morning, never in the afternoon, or "today" would mean yesterday for most of the day.
pub const MAX_CUTOFF_HOUR: u8 = 11;

/// Why a business day could not be placed in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum ClosingError {
    /// The cut-off hour is outside `0..=MAX_CUTOFF_HOUR`.
    #[error("the cut-off hour must be between 0 and {MAX_CUTOFF_HOUR}, got {0}")]
    CutoffHour(u8),
    /// The date is at the edge of the supported calendar.
    #[error("the date is out of range")]
    OutOfRange,
    /// A sum left the supported money range.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// The business day an instant belongs to: its local date, or the day before when the
/// local time is before the cut-off hour.
pub fn business_day(
    instant: Timestamp,
    tz: &TimeZone,
    cutoff_hour: u8,
) -> Result<Date, ClosingError> {
    check_cutoff(cutoff_hour)?;
    let local = instant.to_zoned(tz.clone());
    let date = local.date();
    if local.hour() < i8::try_from(cutoff_hour).unwrap_or(0) {
        date.yesterday().map_err(|_| ClosingError::OutOfRange)
    } else {
        Ok(date)
    }
}

/// The instants `[start, end)` of a business day: from the cut-off hour of `date` to the
/// cut-off hour of the next date, local time (a cut-off inside a DST gap moves forward,
/// as calendars do), so consecutive days tile time with no gap and no overlap.
pub fn day_window(
    date: Date,
    tz: &TimeZone,
    cutoff_hour: u8,
) -> Result<(Timestamp, Timestamp), ClosingError> {
    check_cutoff(cutoff_hour)?;
    let hour = i8::try_from(cutoff_hour).map_err(|_| ClosingError::CutoffHour(cutoff_hour))?;
    let at = |d: Date| {
        tz.to_ambiguous_zoned(d.to_datetime(Time::constant(hour, 0, 0, 0)))
            .compatible()
            .map(|z| z.timestamp())
            .map_err(|_| ClosingError::OutOfRange)
    };
    let next = date
        .checked_add(1.day())
        .map_err(|_| ClosingError::OutOfRange)?;
    Ok((at(date)?, at(next)?))
}

fn check_cutoff(cutoff_hour: u8) -> Result<(), ClosingError> {
    if cutoff_hour <= MAX_CUTOFF_HOUR {
        Ok(())
    } else {
        Err(ClosingError::CutoffHour(cutoff_hour))
    }
}

/// Mid-shift (X) or end of day (Z).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// A reading of the open day; closes nothing, may be taken any number of times.
    X,
    /// The closed day's figures, stored once and never changed.
    Z,
}

/// One order of the day as the report needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleInput {
    /// The order's daily number.
    pub number: i64,
    /// Where it was taken.
    pub channel: Channel,
    /// Cancelled orders count apart and sell nothing.
    pub cancelled: bool,
    /// The discount granted on it.
    pub discount: Clp,
    /// What it sold, IVA included, after the discount and without the tip.
    pub total: Clp,
    /// It arrived after the day it is dated in was closed.
    pub late: bool,
    /// Diners it served (`orders.covers`; 0 when the order records none, as a counter
    /// sale usually does).
    pub covers: i64,
}

/// One payment-ledger row of the day (refunds are negative rows).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentInput {
    /// The order's daily number.
    pub order_number: i64,
    /// How it was paid.
    pub method: PaymentMethod,
    /// Toward the sale; negative for a refund.
    pub amount: Clp,
    /// The tip part.
    pub tip: Clp,
    /// The waiter the tip belongs to (the order's), by name.
    pub waiter: Option<String>,
    /// It arrived after the day it is dated in was closed.
    pub late: bool,
}

/// A voided line or a cancelled order, with who and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VoidEntry {
    /// The order's daily number.
    pub order_number: i64,
    /// What was voided (the item's name, or `None` for the whole order).
    pub item: Option<String>,
    /// How many units.
    pub quantity: i64,
    /// What it was worth.
    pub amount: Clp,
    /// Who voided it.
    pub by: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}

/// One drawer session of the day: what it should hold and what was counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DrawerLine {
    /// The session.
    pub session_id: String,
    /// The drawer's name.
    pub drawer_name: String,
    /// Where the session stands.
    pub status: SessionStatus,
    /// The float it was opened with.
    pub opening_float: Clp,
    /// Float plus the signed cash movements; withheld (`None`) from those who may not see
    /// it before the drawer is counted (a blind count).
    pub expected: Option<Clp>,
    /// The standing count, once counted.
    pub counted: Option<Clp>,
    /// Counted minus expected, once counted.
    pub difference: Option<Clp>,
}

/// Everything the appliance selected for one report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportInput {
    /// X or Z.
    pub kind: ReportKind,
    /// The business day (`YYYY-MM-DD`).
    pub business_date: String,
    /// The cut-off hour the day was cut at.
    pub cutoff_hour: u8,
    /// When the report was produced (RFC 3339).
    pub generated_at: String,
    /// The rate IVA is taken out at.
    pub tax_rate: TaxRate,
    /// Orders taken in the day.
    pub sales: Vec<SaleInput>,
    /// Ledger rows recorded in the day.
    pub payments: Vec<PaymentInput>,
    /// Lines voided and orders cancelled in the day.
    pub voids: Vec<VoidEntry>,
    /// Drawer sessions opened in the day.
    pub drawers: Vec<DrawerLine>,
}

/// Orders and sales of one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChannelLine {
    /// The channel.
    pub channel: Channel,
    /// Orders not cancelled.
    pub orders: i64,
    /// What they sold.
    pub sales: Clp,
}

/// What one payment method collected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MethodLine {
    /// The method.
    pub method: PaymentMethod,
    /// Payments (not refunds) recorded.
    pub payments: i64,
    /// Paid toward sales (tips apart).
    pub paid: Clp,
    /// Given back (positive).
    pub refunded: Clp,
    /// Tips.
    pub tips: Clp,
    /// `paid − refunded + tips`: what the method should hold at the end of the day.
    pub total: Clp,
}

/// Tips kept apart by how they were paid: the card ones arrive with the terminal's
/// settlement, the cash ones are already in the drawer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TipSplit {
    /// Debit and credit cards.
    pub card: Clp,
    /// Notes and coins.
    pub cash: Clp,
    /// Transfers and Mercado Pago.
    pub other: Clp,
    /// All of them.
    pub total: Clp,
}

impl TipSplit {
    fn add(&mut self, method: PaymentMethod, tip: Clp) -> Result<(), MoneyError> {
        let slot = match method {
            PaymentMethod::Cash => &mut self.cash,
            PaymentMethod::Debit | PaymentMethod::Credit => &mut self.card,
            PaymentMethod::Transfer | PaymentMethod::MercadoPago => &mut self.other,
        };
        *slot = slot.checked_add(tip)?;
        self.total = self.total.checked_add(tip)?;
        Ok(())
    }
}

/// The tips one waiter earned: the tip-out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WaiterTips {
    /// The waiter's name (`None`: orders nobody signed, such as the widget's).
    pub waiter: Option<String>,
    /// Their tips by how they were paid.
    pub tips: TipSplit,
}

/// A row counted in this day although it is dated in an earlier, closed one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LateCorrection {
    /// The order's daily number.
    pub order_number: i64,
    /// `order` for a late sale, `payment` or `refund` for a late ledger row.
    pub kind: String,
    /// The method, for ledger rows.
    pub method: Option<PaymentMethod>,
    /// What it adds to the day (negative for a refund).
    pub amount: Clp,
}

/// The order numbers one counter handed out in the day (`crate::numbering`): with two
/// counters, `1 … 40` and `B-1 … B-12` rather than one range `1 … 10012`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NumberRange {
    /// The counter's letter (`A`, `B`, …).
    pub counter: String,
    /// Its lowest order number of the day.
    pub first: i64,
    /// Its highest.
    pub last: i64,
    /// How many orders it numbered (cancelled ones included).
    pub orders: i64,
}

/// The X or Z report of one business day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DayReport {
    /// X or Z.
    pub kind: ReportKind,
    /// The business day (`YYYY-MM-DD`).
    pub business_date: String,
    /// The hour the day starts and ends at, local time.
    pub cutoff_hour: u8,
    /// When it was produced (RFC 3339).
    pub generated_at: String,
    /// Orders not cancelled.
    pub orders: i64,
    /// Orders cancelled.
    pub cancelled_orders: i64,
    /// Diners served: the covers of the orders not cancelled (orders that record none,
    /// such as most counter sales, add nothing).
    pub covers: i64,
    /// The lowest daily number of the day's orders.
    pub first_number: Option<i64>,
    /// The highest.
    pub last_number: Option<i64>,
    /// First and last numbers per counter, A first (Zs closed before counters had ranges
    /// have none).
    #[serde(default)]
    pub number_ranges: Vec<NumberRange>,
    /// What was sold, IVA included, after discounts, without tips.
    pub sales: Clp,
    /// The sales without IVA: `round(sales / (1 + rate))`.
    pub net: Clp,
    /// The IVA inside the sales (`sales − net`).
    pub tax: Clp,
    /// The rate, in basis points (1900 = 19 %).
    pub tax_rate_bp: u32,
    /// Discounts granted.
    pub discounts: Clp,
    /// `sales / orders`, to the peso.
    pub average_ticket: Clp,
    /// Sales by channel (every channel, zero when unused).
    pub by_channel: Vec<ChannelLine>,
    /// Collections by payment method (every method, zero when unused).
    pub by_method: Vec<MethodLine>,
    /// Everything the ledger took in: payments plus tips minus refunds.
    pub collected: Clp,
    /// Refunds given (positive).
    pub refunds: Clp,
    /// Tips by card, cash and other.
    pub tips: TipSplit,
    /// Tips per waiter, largest first.
    pub tips_by_waiter: Vec<WaiterTips>,
    /// Voided lines and cancelled orders, with who and why (the first [`MAX_LISTED`]).
    pub voids: Vec<VoidEntry>,
    /// How many voids there were, listed or not.
    pub void_count: i64,
    /// What the voids were worth.
    pub voided: Clp,
    /// Drawer sessions: expected against counted.
    pub drawers: Vec<DrawerLine>,
    /// Rows taken from earlier closed days.
    pub late_corrections: Vec<LateCorrection>,
}

/// Builds the report of the rows selected for a day.
pub fn build_report(input: ReportInput) -> Result<DayReport, ClosingError> {
    let mut sales = Clp::ZERO;
    let mut discounts = Clp::ZERO;
    let mut orders = 0_i64;
    let mut cancelled_orders = 0_i64;
    let mut covers = 0_i64;
    let mut by_channel: Vec<ChannelLine> = Channel::ALL
        .into_iter()
        .map(|channel| ChannelLine {
            channel,
            orders: 0,
            sales: Clp::ZERO,
        })
        .collect();
    let mut late_corrections = Vec::new();
    for sale in &input.sales {
        if sale.late {
            late_corrections.push(LateCorrection {
                order_number: sale.number,
                kind: "order".to_owned(),
                method: None,
                amount: if sale.cancelled {
                    Clp::ZERO
                } else {
                    sale.total
                },
            });
        }
        if sale.cancelled {
            cancelled_orders += 1;
            continue;
        }
        orders += 1;
        covers = covers.saturating_add(sale.covers.max(0));
        sales = sales.checked_add(sale.total)?;
        discounts = discounts.checked_add(sale.discount)?;
        if let Some(line) = by_channel.iter_mut().find(|l| l.channel == sale.channel) {
            line.orders += 1;
            line.sales = line.sales.checked_add(sale.total)?;
        }
    }
    let numbers = input.sales.iter().map(|s| s.number);
    let (first_number, last_number) = (numbers.clone().min(), numbers.max());
    let number_ranges = number_ranges(&input.sales);

    let mut by_method: Vec<MethodLine> = PaymentMethod::ALL
        .into_iter()
        .map(|method| MethodLine {
            method,
            payments: 0,
            paid: Clp::ZERO,
            refunded: Clp::ZERO,
            tips: Clp::ZERO,
            total: Clp::ZERO,
        })
        .collect();
    let mut tips = TipSplit::default();
    let mut per_waiter: Vec<WaiterTips> = Vec::new();
    let mut collected = Clp::ZERO;
    let mut refunds = Clp::ZERO;
    for payment in &input.payments {
        let contribution = payment.amount.checked_add(payment.tip)?;
        collected = collected.checked_add(contribution)?;
        if payment.late {
            late_corrections.push(LateCorrection {
                order_number: payment.order_number,
                kind: if payment.amount.is_negative() {
                    "refund"
                } else {
                    "payment"
                }
                .to_owned(),
                method: Some(payment.method),
                amount: contribution,
            });
        }
        if let Some(line) = by_method.iter_mut().find(|l| l.method == payment.method) {
            if payment.amount.is_negative() {
                let given_back = Clp::ZERO.checked_sub(payment.amount)?;
                line.refunded = line.refunded.checked_add(given_back)?;
                refunds = refunds.checked_add(given_back)?;
            } else {
                line.payments += 1;
                line.paid = line.paid.checked_add(payment.amount)?;
            }
            line.tips = line.tips.checked_add(payment.tip)?;
            line.total = line.total.checked_add(contribution)?;
        }
        if payment.tip != Clp::ZERO {
            tips.add(payment.method, payment.tip)?;
            let index = match per_waiter.iter().position(|w| w.waiter == payment.waiter) {
                Some(index) => index,
                None => {
                    per_waiter.push(WaiterTips {
                        waiter: payment.waiter.clone(),
                        tips: TipSplit::default(),
                    });
                    per_waiter.len() - 1
                }
            };
            per_waiter[index].tips.add(payment.method, payment.tip)?;
        }
    }
    per_waiter.sort_by(|a, b| {
        b.tips
            .total
            .cmp(&a.tips.total)
            .then_with(|| a.waiter.cmp(&b.waiter))
    });

    let mut voided = Clp::ZERO;
    for line in &input.voids {
        voided = voided.checked_add(line.amount)?;
    }
    let void_count = i64::try_from(input.voids.len()).unwrap_or(i64::MAX);
    let mut voids = input.voids;
    voids.truncate(MAX_LISTED);
    per_waiter.truncate(MAX_LISTED);
    late_corrections.truncate(MAX_LISTED);
    let split = split_tax(sales, input.tax_rate);
    Ok(DayReport {
        kind: input.kind,
        business_date: input.business_date,
        cutoff_hour: input.cutoff_hour,
        generated_at: input.generated_at,
        orders,
        cancelled_orders,
        covers,
        first_number,
        last_number,
        number_ranges,
        sales,
        net: split.net,
        tax: split.tax,
        tax_rate_bp: input.tax_rate.basis_points(),
        discounts,
        average_ticket: Clp::average(sales, orders),
        by_channel,
        by_method,
        collected,
        refunds,
        tips,
        tips_by_waiter: per_waiter,
        voids,
        void_count,
        voided,
        drawers: input.drawers,
        late_corrections,
    })
}

/// The sales' numbers per counter slot, A first.
fn number_ranges(sales: &[SaleInput]) -> Vec<NumberRange> {
    let mut ranges: Vec<(crate::numbering::CounterSlot, NumberRange)> = Vec::new();
    for sale in sales {
        let Some(slot) = crate::numbering::slot_of(sale.number) else {
            continue;
        };
        match ranges.iter_mut().find(|(s, _)| *s == slot) {
            Some((_, range)) => {
                range.first = range.first.min(sale.number);
                range.last = range.last.max(sale.number);
                range.orders += 1;
            }
            None => ranges.push((
                slot,
                NumberRange {
                    counter: slot.letter().to_string(),
                    first: sale.number,
                    last: sale.number,
                    orders: 1,
                },
            )),
        }
    }
    ranges.sort_by_key(|(slot, _)| *slot);
    ranges.into_iter().map(|(_, range)| range).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment::{PaidState, PaymentRow, paid_state, validate_payment, validate_refund};
    use jiff::civil::date;
    use proptest::prelude::*;

    fn santiago() -> TimeZone {
        TimeZone::get("America/Santiago").expect("tz")
    }

    fn input(sales: Vec<SaleInput>, payments: Vec<PaymentInput>) -> ReportInput {
        ReportInput {
            kind: ReportKind::X,
            business_date: "2026-12-05".into(),
            cutoff_hour: 4,
            generated_at: "2026-12-06T03:00:00Z".into(),
            tax_rate: TaxRate::IVA,
            sales,
            payments,
            voids: Vec::new(),
            drawers: Vec::new(),
        }
    }

    fn sale(number: i64, channel: Channel, total: i64) -> SaleInput {
        SaleInput {
            number,
            channel,
            cancelled: false,
            discount: Clp::ZERO,
            total: Clp(total),
            late: false,
            covers: 0,
        }
    }

    fn pay(
        number: i64,
        method: PaymentMethod,
        amount: i64,
        tip: i64,
        waiter: &str,
    ) -> PaymentInput {
        PaymentInput {
            order_number: number,
            method,
            amount: Clp(amount),
            tip: Clp(tip),
            waiter: Some(waiter.to_owned()),
            late: false,
        }
    }

    #[test]
    fn a_night_after_midnight_belongs_to_the_evening_before() {
        let tz = santiago();
        // 01:30 on Sunday 6 December in Santiago (UTC−3 in summer) is Saturday's business.
        let late: Timestamp = "2026-12-06T04:30:00Z".parse().expect("ts");
        assert_eq!(business_day(late, &tz, 4), Ok(date(2026, 12, 5)));
        assert_eq!(business_day(late, &tz, 0), Ok(date(2026, 12, 6)));
        let (start, end) = day_window(date(2026, 12, 5), &tz, 4).expect("window");
        assert_eq!(start.to_string(), "2026-12-05T07:00:00Z");
        assert_eq!(end.to_string(), "2026-12-06T07:00:00Z");
        assert_eq!(
            business_day(late, &tz, 12),
            Err(ClosingError::CutoffHour(12))
        );
    }

    #[test]
    fn a_day_of_sales_adds_up() {
        let mut day = input(
            vec![
                sale(1, Channel::Counter, 12_990),
                SaleInput {
                    covers: 4,
                    ..sale(2, Channel::DineIn, 25_000)
                },
                // A cancelled table's diners were not served.
                SaleInput {
                    cancelled: true,
                    covers: 2,
                    ..sale(3, Channel::Widget, 8_000)
                },
            ],
            vec![
                pay(1, PaymentMethod::Cash, 12_990, 0, "Ana"),
                pay(2, PaymentMethod::Credit, 25_000, 2_500, "Ana"),
                pay(1, PaymentMethod::Cash, -2_990, 0, "Ana"),
            ],
        );
        day.voids.push(VoidEntry {
            order_number: 2,
            item: Some("Pisco sour".into()),
            quantity: 1,
            amount: Clp(4_500),
            by: Some("Ana".into()),
            reason: Some("mal digitado".into()),
            at: "2026-12-05T23:00:00Z".into(),
        });
        let report = build_report(day).expect("report");
        assert_eq!((report.orders, report.cancelled_orders), (2, 1));
        assert_eq!(report.sales, Clp(37_990));
        // 37.990 / 1,19 = 31.924,37 → 31.924
        assert_eq!((report.net, report.tax), (Clp(31_924), Clp(6_066)));
        assert_eq!(report.average_ticket, Clp(18_995));
        assert_eq!(report.covers, 4);
        assert_eq!(
            (report.first_number, report.last_number),
            (Some(1), Some(3))
        );
        assert_eq!(report.collected, Clp(37_500));
        assert_eq!(report.refunds, Clp(2_990));
        assert_eq!(report.tips.card, Clp(2_500));
        assert_eq!(report.tips.cash, Clp::ZERO);
        let cash = &report.by_method[0];
        assert_eq!(
            (cash.payments, cash.paid, cash.refunded, cash.total),
            (1, Clp(12_990), Clp(2_990), Clp(10_000))
        );
        assert_eq!(report.tips_by_waiter.len(), 1);
        assert_eq!(report.voided, Clp(4_500));
        assert!(report.late_corrections.is_empty());
    }

    #[test]
    fn two_counters_number_apart_and_the_z_says_each_ones_range() {
        let b = crate::numbering::CounterSlot::new(1).expect("slot");
        let number_b = |n| crate::numbering::number(b, n).expect("number");
        let report = build_report(input(
            vec![
                sale(1, Channel::Counter, 1_000),
                sale(number_b(1), Channel::Counter, 2_000),
                sale(2, Channel::Counter, 3_000),
                sale(number_b(2), Channel::Counter, 4_000),
                sale(number_b(3), Channel::Counter, 5_000),
            ],
            vec![],
        ))
        .expect("report");
        let ranges: Vec<(&str, i64, i64, i64)> = report
            .number_ranges
            .iter()
            .map(|r| (r.counter.as_str(), r.first, r.last, r.orders))
            .collect();
        assert_eq!(ranges, vec![("A", 1, 2, 2), ("B", 10_001, 10_003, 3)]);
        assert_eq!(crate::numbering::label(report.number_ranges[1].last), "B-3");
    }

    #[test]
    fn late_rows_are_counted_and_listed() {
        let mut late_refund = pay(7, PaymentMethod::Debit, -5_000, 0, "Ana");
        late_refund.late = true;
        let report = build_report(input(vec![], vec![late_refund])).expect("report");
        assert_eq!(report.collected, Clp(-5_000));
        assert_eq!(report.late_corrections.len(), 1);
        assert_eq!(report.late_corrections[0].kind, "refund");
    }

    /// One step of a day at the counter.
    #[derive(Clone, Debug)]
    enum Step {
        Sell {
            total: i64,
            channel: usize,
            cancel: bool,
            covers: i64,
        },
        Pay {
            order: usize,
            method: usize,
            part: u8,
            tip: i64,
            waiter: u8,
        },
        Refund {
            order: usize,
            part: u8,
        },
        Void {
            amount: i64,
        },
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (
                1i64..500_000,
                0usize..Channel::ALL.len(),
                prop::bool::weighted(0.1),
                0i64..=12
            )
                .prop_map(|(total, channel, cancel, covers)| Step::Sell {
                    total,
                    channel,
                    cancel,
                    covers
                }),
            (0usize..20, 0usize..5, 1u8..=100, 0i64..10_000, 0u8..3).prop_map(
                |(order, method, part, tip, waiter)| Step::Pay {
                    order,
                    method,
                    part,
                    tip,
                    waiter
                }
            ),
            (0usize..20, 1u8..=100).prop_map(|(order, part)| Step::Refund { order, part }),
            (1i64..50_000).prop_map(|amount| Step::Void { amount }),
        ]
    }

    /// Plays the steps through the ledger's own rules (`validate_payment`,
    /// `validate_refund`, `paid_state`), keeping only what they accept.
    fn play(steps: &[Step]) -> (ReportInput, Vec<(i64, PaymentRow)>, Vec<SaleInput>) {
        let mut sales: Vec<SaleInput> = Vec::new();
        let mut ledger: Vec<(i64, PaymentRow)> = Vec::new();
        let mut payments = Vec::new();
        let mut voids = Vec::new();
        for s in steps {
            match *s {
                Step::Sell {
                    total,
                    channel,
                    cancel,
                    covers,
                } => {
                    let number = i64::try_from(sales.len()).unwrap_or(0) + 1;
                    sales.push(SaleInput {
                        cancelled: cancel,
                        covers,
                        ..sale(number, Channel::ALL[channel], total)
                    });
                }
                Step::Pay {
                    order,
                    method,
                    part,
                    tip,
                    waiter,
                } => {
                    let Some(o) = sales.get(order).filter(|o| !o.cancelled) else {
                        continue;
                    };
                    let rows: Vec<PaymentRow> = ledger
                        .iter()
                        .filter(|(n, _)| *n == o.number)
                        .map(|(_, r)| *r)
                        .collect();
                    let state = paid_state(o.total, &rows);
                    if state.state == PaidState::Paid || state.balance <= Clp::ZERO {
                        continue;
                    }
                    let amount = Clp((state.balance.0 * i64::from(part) / 100).max(1));
                    let method = PaymentMethod::ALL[method];
                    let Ok(accepted) = validate_payment(
                        state.balance.checked_add(Clp(tip)).unwrap_or(state.balance),
                        method,
                        amount,
                        Clp(tip),
                        None,
                    ) else {
                        continue;
                    };
                    ledger.push((o.number, accepted.row));
                    payments.push(PaymentInput {
                        order_number: o.number,
                        method,
                        amount: accepted.row.amount,
                        tip: accepted.row.tip,
                        waiter: Some(format!("mesero {waiter}")),
                        late: false,
                    });
                }
                Step::Refund { order, part } => {
                    let Some(o) = sales.get(order) else { continue };
                    let rows: Vec<PaymentRow> = ledger
                        .iter()
                        .filter(|(n, _)| *n == o.number)
                        .map(|(_, r)| *r)
                        .collect();
                    let Some(first) = rows.first() else { continue };
                    let paid = paid_state(o.total, &rows).paid;
                    let amount = Clp(paid.0 * i64::from(part) / 100);
                    let Ok(row) = validate_refund(paid, first.method, amount) else {
                        continue;
                    };
                    ledger.push((o.number, row));
                    payments.push(PaymentInput {
                        order_number: o.number,
                        method: row.method,
                        amount: row.amount,
                        tip: row.tip,
                        waiter: None,
                        late: false,
                    });
                }
                Step::Void { amount } => voids.push(VoidEntry {
                    order_number: 1,
                    item: Some("Completo".into()),
                    quantity: 1,
                    amount: Clp(amount),
                    by: None,
                    reason: Some("error".into()),
                    at: "2026-12-05T20:00:00Z".into(),
                }),
            }
        }
        let mut day = input(sales.clone(), payments);
        day.voids = voids;
        (day, ledger, sales)
    }

    proptest! {
        #[test]
        fn the_z_totals_equal_the_ledgers(steps in prop::collection::vec(step(), 0..60)) {
            let (day, ledger, sales) = play(&steps);
            let report = build_report(day.clone()).expect("report");
            let ledger_total: i64 = ledger.iter().map(|(_, r)| r.amount.0 + r.tip.0).sum();
            let ledger_tips: i64 = ledger.iter().map(|(_, r)| r.tip.0).sum();
            let ledger_refunds: i64 = ledger.iter().filter(|(_, r)| r.amount.0 < 0).map(|(_, r)| -r.amount.0).sum();
            prop_assert_eq!(report.collected.0, ledger_total);
            prop_assert_eq!(report.by_method.iter().map(|m| m.total.0).sum::<i64>(), ledger_total);
            prop_assert_eq!(report.by_method.iter().map(|m| m.paid.0 - m.refunded.0 + m.tips.0).sum::<i64>(), ledger_total);
            prop_assert_eq!(report.refunds.0, ledger_refunds);
            prop_assert_eq!(report.tips.total.0, ledger_tips);
            prop_assert_eq!(report.tips.card.0 + report.tips.cash.0 + report.tips.other.0, ledger_tips);
            prop_assert_eq!(report.tips_by_waiter.iter().map(|w| w.tips.total.0).sum::<i64>(), ledger_tips);
            for method in PaymentMethod::ALL {
                let of_method: i64 = ledger.iter().filter(|(_, r)| r.method == method).map(|(_, r)| r.amount.0 + r.tip.0).sum();
                let line = report.by_method.iter().find(|m| m.method == method).expect("every method");
                prop_assert_eq!(line.total.0, of_method);
            }
            let sold: i64 = sales.iter().filter(|s| !s.cancelled).map(|s| s.total.0).sum();
            prop_assert_eq!(report.sales.0, sold);
            prop_assert_eq!(report.by_channel.iter().map(|c| c.sales.0).sum::<i64>(), sold);
            prop_assert_eq!(report.net.0 + report.tax.0, sold);
            prop_assert_eq!(report.orders + report.cancelled_orders, i64::try_from(sales.len()).unwrap_or(0));
            // Covers are the served orders' own: a cancelled order's diners never count.
            prop_assert_eq!(report.covers, sales.iter().filter(|s| !s.cancelled).map(|s| s.covers).sum::<i64>());
            prop_assert_eq!(report.voided.0, day.voids.iter().map(|v| v.amount.0).sum::<i64>());
            prop_assert_eq!(report.void_count, i64::try_from(day.voids.len()).unwrap_or(0));
            // No order was paid beyond its total plus tips, refunds included.
            prop_assert!(report.collected.0 <= sold + ledger_tips + 5 * i64::try_from(sales.len()).unwrap_or(0));
        }

        #[test]
        fn business_days_tile_time(seconds in 1_700_000_000i64..1_900_000_000, cutoff in 0u8..=MAX_CUTOFF_HOUR) {
            let tz = santiago();
            let instant = Timestamp::from_second(seconds).expect("ts");
            let day = business_day(instant, &tz, cutoff).expect("day");
            let (start, end) = day_window(day, &tz, cutoff).expect("window");
            prop_assert!(start <= instant && instant < end, "{instant} not in [{start}, {end})");
            let (next_start, _) = day_window(day.tomorrow().expect("tomorrow"), &tz, cutoff).expect("next");
            prop_assert_eq!(end, next_start);
        }
    }
}
