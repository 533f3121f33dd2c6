//! The ROI calculator: what ChatBotDysa is worth to a restaurant each month. The formula
//! is [`estimate`]; the page is a GET form computed here (works without JavaScript), and
//! the script only re-asks this same page as the visitor types.

use super::{Caching, Meta, PageLang, clp, html};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dysa_domain::validate::Lang;
use std::collections::{BTreeMap, HashMap};

/// Days a restaurant opens in a month (six days a week).
pub const OPEN_DAYS_PER_MONTH: i64 = 26;
/// Share of orders, in percent, lost today when nobody can answer the phone or the chat at
/// rush hour, and taken instead by the assistant and the website widget.
pub const RECOVERED_ORDERS_PERCENT: i64 = 2;
/// Share of a recovered sale, in percent, that is margin (food cost around 35 %).
pub const CONTRIBUTION_MARGIN_PERCENT: i64 = 65;
/// The monthly price of the plan the estimate assumes (Pro, IVA included).
pub const PLAN_COST: i64 = 29_990;

/// What the restaurant tells the calculator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoiInput {
    /// Orders on an ordinary day.
    pub orders_per_day: u32,
    /// Average ticket, CLP.
    pub average_ticket: u32,
    /// Staff time saved per order, in tenths of a minute (taking it by phone, writing it,
    /// keying it into the till).
    pub tenths_of_minute_saved: u32,
    /// What an hour of staff costs, CLP.
    pub hourly_wage: u32,
}

/// The monthly estimate, in CLP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoiEstimate {
    /// Staff minutes saved in a month.
    pub minutes_saved: i64,
    /// What those minutes cost.
    pub labour_savings: i64,
    /// Orders recovered in a month.
    pub recovered_orders: i64,
    /// The margin of the recovered orders.
    pub recovered_margin: i64,
    /// The plan's price.
    pub plan_cost: i64,
    /// Savings plus recovered margin minus the plan.
    pub monthly_gain: i64,
}

/// The monthly gain for `input`: staff time saved at its hourly cost, plus the margin of
/// the orders that are no longer lost, minus the plan. Integer pesos, rounded down at
/// each step, so it never promises a peso more than the arithmetic gives.
pub fn estimate(input: RoiInput) -> RoiEstimate {
    let orders_per_month = i64::from(input.orders_per_day) * OPEN_DAYS_PER_MONTH;
    let tenths = orders_per_month * i64::from(input.tenths_of_minute_saved);
    let minutes_saved = tenths / 10;
    let labour_savings = tenths * i64::from(input.hourly_wage) / 600;
    let recovered_orders = orders_per_month * RECOVERED_ORDERS_PERCENT / 100;
    let recovered_margin = orders_per_month
        * i64::from(input.average_ticket)
        * RECOVERED_ORDERS_PERCENT
        * CONTRIBUTION_MARGIN_PERCENT
        / 10_000;
    RoiEstimate {
        minutes_saved,
        labour_savings,
        recovered_orders,
        recovered_margin,
        plan_cost: PLAN_COST,
        monthly_gain: labour_savings + recovered_margin - PLAN_COST,
    }
}

/// Bounds of each field (the widest a real restaurant needs; they keep the arithmetic
/// far from overflow).
const ORDERS: (u32, u32) = (1, 5_000);
const TICKET: (u32, u32) = (500, 1_000_000);
const TENTHS: (u32, u32) = (0, 600);
const WAGE: (u32, u32) = (500, 100_000);

/// The form's fields as typed, so they can be shown again.
#[derive(Clone, Debug, Default)]
pub struct RoiFields {
    /// `pedidos`.
    pub orders: String,
    /// `ticket`.
    pub ticket: String,
    /// `minutos`.
    pub minutes: String,
    /// `sueldo`.
    pub wage: String,
}

impl RoiFields {
    fn defaults() -> Self {
        Self {
            orders: "80".into(),
            ticket: "12000".into(),
            minutes: "1,5".into(),
            wage: "4500".into(),
        }
    }
}

/// A whole number of pesos or orders, allowing the dots and `$` people type.
fn parse_whole(text: &str) -> Option<u32> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '.' | '$' | ' '))
        .collect();
    cleaned.parse().ok()
}

/// Minutes with at most one decimal, with a comma or a dot: `1,5` → 15 tenths.
fn parse_tenths(text: &str) -> Option<u32> {
    let text = text.trim().replace(',', ".");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, "0"));
    if fraction.len() != 1 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    whole.checked_mul(10)?.checked_add(fraction.parse().ok()?)
}

fn check(
    errors: &mut BTreeMap<String, String>,
    lang: Lang,
    field: &str,
    value: Option<u32>,
    (min, max): (u32, u32),
    shown: (String, String),
) -> u32 {
    match value {
        Some(v) if (min..=max).contains(&v) => v,
        _ => {
            let (low, high) = shown;
            errors.insert(
                field.to_owned(),
                match lang {
                    Lang::Es => format!("Escribe un número entre {low} y {high}"),
                    Lang::En => format!("Enter a number between {low} and {high}"),
                },
            );
            0
        }
    }
}

/// Reads the fields; the estimate when all are valid, else the field errors.
pub fn read(fields: &RoiFields, lang: Lang) -> Result<RoiEstimate, BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let whole = |(a, b): (u32, u32)| (a.to_string(), b.to_string());
    let money = |(a, b): (u32, u32)| (clp(a.into()), clp(b.into()));
    let input = RoiInput {
        orders_per_day: check(
            &mut errors,
            lang,
            "pedidos",
            parse_whole(&fields.orders),
            ORDERS,
            whole(ORDERS),
        ),
        average_ticket: check(
            &mut errors,
            lang,
            "ticket",
            parse_whole(&fields.ticket),
            TICKET,
            money(TICKET),
        ),
        tenths_of_minute_saved: check(
            &mut errors,
            lang,
            "minutos",
            parse_tenths(&fields.minutes),
            TENTHS,
            ("0".into(), "60".into()),
        ),
        hourly_wage: check(
            &mut errors,
            lang,
            "sueldo",
            parse_whole(&fields.wage),
            WAGE,
            money(WAGE),
        ),
    };
    if errors.is_empty() {
        Ok(estimate(input))
    } else {
        Err(errors)
    }
}

/// The calculator page.
#[derive(Template)]
#[template(path = "site/roi.html")]
pub struct RoiPage {
    meta: Meta,
    fields: RoiFields,
    errors: BTreeMap<String, String>,
    result: Option<RoiEstimate>,
}

impl RoiPage {
    fn money(&self, amount: &i64) -> String {
        super::money(self.meta.en, *amount)
    }

    fn hours(&self, minutes: &i64) -> String {
        let tenths = minutes / 6;
        let text = format!("{},{}", tenths / 10, tenths % 10);
        if self.meta.en {
            text.replace(',', ".")
        } else {
            text
        }
    }

    fn percent_orders(&self) -> i64 {
        RECOVERED_ORDERS_PERCENT
    }

    fn percent_margin(&self) -> i64 {
        CONTRIBUTION_MARGIN_PERCENT
    }

    fn days(&self) -> i64 {
        OPEN_DAYS_PER_MONTH
    }
}

/// `GET /roi`: the form with its result; without a query it shows a typical restaurant.
pub async fn page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let fields = if query.is_empty() {
        RoiFields::defaults()
    } else {
        let get = |k: &str| query.get(k).cloned().unwrap_or_default();
        RoiFields {
            orders: get("pedidos"),
            ticket: get("ticket"),
            minutes: get("minutos"),
            wage: get("sueldo"),
        }
    };
    let (result, errors) = match read(&fields, lang) {
        Ok(estimate) => (Some(estimate), BTreeMap::new()),
        Err(errors) => (None, errors),
    };
    let mut meta = Meta::new(
        &state,
        lang,
        "/roi",
        lang.pick(
            "Calculadora de retorno — ChatBotDysa",
            "Return calculator — ChatBotDysa",
        ),
        lang.pick(
            "Calcula cuánto gana tu restaurante al mes con ChatBotDysa: tiempo del personal y pedidos que hoy se pierden.",
            "Work out what ChatBotDysa is worth to your restaurant each month: staff time and orders lost today.",
        ),
    );
    meta.noindex = !query.is_empty();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    html(
        status,
        Caching::Public,
        &RoiPage {
            meta,
            fields,
            errors,
            result,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input(orders: u32, ticket: u32, tenths: u32, wage: u32) -> RoiInput {
        RoiInput {
            orders_per_day: orders,
            average_ticket: ticket,
            tenths_of_minute_saved: tenths,
            hourly_wage: wage,
        }
    }

    #[test]
    fn a_typical_restaurant() {
        // 80 orders × 26 days = 2,080 orders; 1.5 min each = 3,120 min = 52 h × $4.500.
        let e = estimate(input(80, 12_000, 15, 4_500));
        assert_eq!(e.minutes_saved, 3_120);
        assert_eq!(e.labour_savings, 234_000);
        // 2 % of 2,080 = 41.6 → 41 orders; margin 2,080 × 12,000 × 2 % × 65 % = 324,480.
        assert_eq!(e.recovered_orders, 41);
        assert_eq!(e.recovered_margin, 324_480);
        assert_eq!(e.monthly_gain, 234_000 + 324_480 - PLAN_COST);
    }

    #[test]
    fn typed_numbers_are_read_the_chilean_way() {
        assert_eq!(parse_whole("$12.990"), Some(12_990));
        assert_eq!(parse_whole(" 80 "), Some(80));
        assert_eq!(parse_whole("abc"), None);
        assert_eq!(parse_tenths("1,5"), Some(15));
        assert_eq!(parse_tenths("2"), Some(20));
        assert_eq!(parse_tenths("0.5"), Some(5));
        assert_eq!(parse_tenths("1,25"), None);
        assert_eq!(parse_tenths("-1"), None);
    }

    #[test]
    fn out_of_range_fields_are_errors_in_the_page_language() {
        let fields = RoiFields {
            orders: "0".into(),
            ticket: "12000".into(),
            minutes: "61".into(),
            wage: "x".into(),
        };
        let errors = read(&fields, Lang::En).expect_err("refused");
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["minutos", "pedidos", "sueldo"]
        );
        assert!(errors["pedidos"].starts_with("Enter a number"));
        let errors = read(&fields, Lang::Es).expect_err("refused");
        assert!(errors["sueldo"].contains("$500"));
    }

    fn any_input() -> impl Strategy<Value = RoiInput> {
        (
            ORDERS.0..=ORDERS.1,
            TICKET.0..=TICKET.1,
            TENTHS.0..=TENTHS.1,
            WAGE.0..=WAGE.1,
        )
            .prop_map(|(o, t, m, w)| input(o, t, m, w))
    }

    proptest! {
        #[test]
        fn more_orders_never_gain_less(base in any_input(), extra in 0u32..=1_000) {
            let more = RoiInput {
                orders_per_day: (base.orders_per_day + extra).min(ORDERS.1),
                ..base
            };
            prop_assert!(estimate(more).monthly_gain >= estimate(base).monthly_gain);
            prop_assert!(estimate(more).minutes_saved >= estimate(base).minutes_saved);
        }

        #[test]
        fn more_minutes_saved_never_gain_less(base in any_input(), extra in 0u32..=100) {
            let more = RoiInput {
                tenths_of_minute_saved: (base.tenths_of_minute_saved + extra).min(TENTHS.1),
                ..base
            };
            prop_assert!(estimate(more).monthly_gain >= estimate(base).monthly_gain);
            prop_assert!(estimate(more).labour_savings >= estimate(base).labour_savings);
        }

        #[test]
        fn a_higher_ticket_never_gains_less(base in any_input(), extra in 0u32..=100_000) {
            let more = RoiInput {
                average_ticket: (base.average_ticket + extra).min(TICKET.1),
                ..base
            };
            prop_assert!(estimate(more).monthly_gain >= estimate(base).monthly_gain);
        }
    }
}
