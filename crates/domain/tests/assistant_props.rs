//! The deterministic assistant runs on whatever a diner types (the cloud answers widget
//! chats with it): it must never panic, never price outside the menu, and in hand-over
//! mode never ask the caller to place an order or a booking.

#![allow(clippy::unwrap_used)]

use dysa_domain::assistant::draft::{self, Bookings, Draft, Mode, Shop, Step};
use dysa_domain::assistant::understand::{self, IndexedGroup, Intent, MenuIndex};
use dysa_domain::ids::{ItemId, ModifierOptionId};
use dysa_domain::money::Clp;
use dysa_domain::validate::Lang;
use proptest::prelude::*;

fn menu() -> MenuIndex {
    let size = IndexedGroup {
        name: "Tamaño".to_owned(),
        min_choices: 1,
        max_choices: 1,
        options: vec![
            MenuIndex::option(ModifierOptionId::new(), "Normal".into(), Clp(0), true),
            MenuIndex::option(ModifierOptionId::new(), "Catedral".into(), Clp(2500), true),
        ],
    };
    let item = |name: &str, en: &str, price: i64, available: bool, groups| {
        MenuIndex::item(
            ItemId::new(),
            name.to_owned(),
            Some(en.to_owned()),
            "Carta".to_owned(),
            Some("Menu".to_owned()),
            None,
            Clp(price),
            available,
            vec![],
            groups,
        )
    };
    MenuIndex::new(vec![
        item("Completo italiano", "Italian hot dog", 3990, true, vec![]),
        item("Bebida", "Soda", 1990, true, vec![]),
        item("Pisco sour", "Pisco sour", 4990, true, vec![size]),
        item("Humitas", "Humitas", 4990, false, vec![]),
    ])
}

fn turn(index: &MenuIndex, draft: &mut Draft, message: &str) -> (Step, Lang) {
    let reading = understand::parse(index, message, draft.awaiting.is_some());
    let shop = Shop {
        orders_enabled: true,
        hours: None,
        tz: jiff::tz::TimeZone::UTC,
    };
    let lang = dysa_domain::assistant::text::detect_language(message).unwrap_or_default();
    let step = draft::decide(
        index,
        &shop,
        Mode::HandOver {
            staff: false,
            bookings: Bookings::Form,
        },
        draft,
        &reading,
        reading.intent.unwrap_or(Intent::Smalltalk),
        lang,
        message,
        jiff::Timestamp::UNIX_EPOCH,
    );
    (step, lang)
}

/// Words diners use, mixed with arbitrary text.
fn message() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "quiero",
        "dos",
        "completos",
        "y",
        "una",
        "bebida",
        "sí",
        "confirmo",
        "quita",
        "el",
        "pisco",
        "catedral",
        "sin",
        "mayo",
        "yes",
        "two",
        "hot",
        "dogs",
        "cancel",
        "humitas",
        "A NOMBRE DE",
        "İstanbul",
        "ǅ",
        "20:30",
        "x3",
        "999",
        "1000",
    ]);
    prop_oneof![
        prop::collection::vec(words, 0..12).prop_map(|w| w.join(" ")),
        any::<String>(),
        "\\PC{0,80}",
    ]
}

proptest! {
    #[test]
    fn any_conversation_stays_priced_from_the_menu(messages in prop::collection::vec(message(), 1..8)) {
        let index = menu();
        let mut draft = Draft::default();
        for message in &messages {
            let (step, _) = turn(&index, &mut draft, message);
            let outcome = match step {
                Step::Reply(out) => out,
                other => panic!("hand-over mode asked the caller to act: {other:?}"),
            };
            prop_assert!(!outcome.text.trim().is_empty());
            if let Some(view) = draft::chat_draft(&index, &draft) {
                let mut sum = Clp::ZERO;
                for line in &view.lines {
                    let item = index.items.iter().find(|i| i.id == line.item_id).unwrap();
                    prop_assert!(item.available);
                    let deltas = item
                        .groups
                        .iter()
                        .flat_map(|g| &g.options)
                        .filter(|o| line.options.contains(&o.id))
                        .fold(Clp::ZERO, |a, o| a.checked_add(o.price_delta).unwrap());
                    prop_assert_eq!(line.unit_price, item.price.checked_add(deltas).unwrap());
                    prop_assert_eq!(line.line_total, line.unit_price.checked_mul(line.quantity).unwrap());
                    prop_assert!((1..=999).contains(&line.quantity));
                    sum = sum.checked_add(line.line_total).unwrap();
                }
                prop_assert_eq!(view.total, sum);
            }
            if outcome.ready_to_order {
                prop_assert!(draft.lines.is_empty() || draft.awaiting.is_none());
            }
        }
    }
}

#[test]
fn a_capital_dotted_i_before_a_name_marker_does_not_break_the_parser() {
    let index = menu();
    // "İ" grows when lower-cased; byte offsets of the lower-cased text would not be
    // character boundaries of the original.
    let reading = understand::parse(&index, "İİİ a nombre de Ana, +56 9 8765 4321", false);
    assert_eq!(reading.name.as_deref(), Some("Ana"));
    let reading = understand::parse(&index, "İ MY NAME IS Ann", false);
    assert_eq!(reading.name.as_deref(), Some("Ann"));
}

#[test]
fn a_yes_hands_the_draft_over_and_starts_a_new_one() {
    let index = menu();
    let mut draft = Draft::default();
    let (step, _) = turn(&index, &mut draft, "dos completos y una bebida");
    assert!(matches!(step, Step::Reply(ref out) if !out.ready_to_order));
    let view = draft::chat_draft(&index, &draft).unwrap();
    assert_eq!(view.total, Clp(3990 * 2 + 1990));
    let (step, _) = turn(&index, &mut draft, "sí");
    let Step::Reply(out) = step else {
        panic!("{step:?}")
    };
    assert!(out.ready_to_order);
    assert!(out.text.contains("$9.970"), "{}", out.text);
    // Booking in the widget goes through its form, in the diner's language.
    let (step, lang) = turn(
        &index,
        &mut Draft::default(),
        "I want to book a table for 4",
    );
    assert_eq!(lang, Lang::En);
    let Step::Reply(out) = step else {
        panic!("{step:?}")
    };
    assert!(out.text.contains("Book"), "{}", out.text);
}
