//! The draft priced from the live menu and the replies that state its facts: the summary
//! with its total, what is still missing, a dish not on the menu and what to offer instead.
//! Worded by the code in Spanish or English (never by a model); [`super::draft::decide`]
//! puts them together.

use super::draft::{Draft, DraftLine, pick};
use super::understand::{self, MenuIndex};
use crate::money::Clp;
use crate::validate::Lang;
use std::fmt::Write as _;

/// A priced draft line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Priced {
    /// The stored line.
    pub line: DraftLine,
    /// The item's name.
    pub name: String,
    /// Chosen options and kitchen requests, as shown.
    pub modifiers: Vec<String>,
    /// Unit price with the chosen options.
    pub unit_price: Clp,
    /// `unit_price × quantity`.
    pub line_total: Clp,
    /// A required choice still missing: the group and its available options.
    pub missing: Option<(String, Vec<String>)>,
}

/// Prices the draft from the live menu; lines whose item went away or sold out are
/// dropped and named.
pub fn price_draft(index: &MenuIndex, draft: &mut Draft) -> (Vec<Priced>, Vec<String>) {
    let mut priced = Vec::new();
    let mut dropped = Vec::new();
    draft.lines.retain(|line| {
        let Some(item) = index.items.iter().find(|i| i.id == line.item_id) else {
            return false;
        };
        if !item.available {
            dropped.push(item.name.clone());
            return false;
        }
        true
    });
    for line in &draft.lines {
        let Some(item) = index.items.iter().find(|i| i.id == line.item_id) else {
            continue;
        };
        let mut unit = item.price;
        let mut modifiers = Vec::new();
        let mut missing = None;
        for group in &item.groups {
            let chosen: Vec<_> = group
                .options
                .iter()
                .filter(|o| line.options.contains(&o.id))
                .collect();
            for option in &chosen {
                unit = unit.checked_add(option.price_delta).unwrap_or(unit);
                modifiers.push(option.name.clone());
            }
            if chosen.len() < usize::from(group.min_choices) && missing.is_none() {
                missing = Some((
                    group.name.clone(),
                    group
                        .options
                        .iter()
                        .filter(|o| o.available)
                        .map(|o| o.name.clone())
                        .collect(),
                ));
            }
        }
        modifiers.extend(line.notes.iter().cloned());
        let total = unit.checked_mul(line.quantity).unwrap_or(unit);
        priced.push(Priced {
            line: line.clone(),
            unit_price: unit,
            name: item.name.clone(),
            modifiers,
            line_total: total,
            missing,
        });
    }
    (priced, dropped)
}

/// The draft in one sentence with its total ("Tu pedido: 2 × Completo $7.980. Total: $7.980.").
pub fn summary(priced: &[Priced], lang: Lang, takeaway: bool) -> String {
    let mut out = pick(lang, "Tu pedido: ", "Your order: ");
    let mut total = Clp::ZERO;
    for (i, p) in priced.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        let _ = write!(out, "{} × {}", p.line.quantity, p.name);
        if !p.modifiers.is_empty() {
            let _ = write!(out, " ({})", p.modifiers.join(", "));
        }
        let _ = write!(out, " {}", p.line_total);
        total = total.checked_add(p.line_total).unwrap_or(total);
    }
    let _ = write!(out, ". Total: {total}");
    if takeaway {
        out.push_str(&pick(lang, " (para llevar)", " (to take away)"));
    }
    out.push('.');
    out
}

/// Asks for a missing required choice, or for confirmation.
pub fn next_step(priced: &[Priced], lang: Lang) -> String {
    if let Some(p) = priced.iter().find(|p| p.missing.is_some())
        && let Some((group, options)) = &p.missing
    {
        return pick(
            lang,
            format!(
                "¿{} para {}? Opciones: {}.",
                group,
                p.name,
                options.join(", ")
            ),
            format!(
                "Which {} for {}? Options: {}.",
                group,
                p.name,
                options.join(", ")
            ),
        );
    }
    pick(
        lang,
        "¿Confirmo el pedido? Responde «sí» para enviarlo a cocina.",
        "Shall I place the order? Reply \"yes\" to send it to the kitchen.",
    )
}

/// The reply to a dish the menu does not have, with up to three similar dishes (and their
/// menu prices) to offer. The name is quoted only when the diner wrote it: a name a model
/// made up ("Pizza Napoli") is never put in the diner's mouth.
pub fn not_on_menu(index: &MenuIndex, name: &str, message: &str, lang: Lang) -> String {
    let mut offer = index.similar_to(name, 3);
    if offer.is_empty() {
        offer = index.suggestions(3);
    }
    let alts: Vec<String> = offer
        .iter()
        .map(|i| format!("{} ({})", i.display_name(lang), i.price))
        .collect();
    let (es_alts, en_alts) = if alts.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!(". ¿Te tinca {}?", or_list(&alts, " o ")),
            format!(". How about {}?", or_list(&alts, " or ")),
        )
    };
    if super::guard::said_by_diner(name, message) {
        pick(
            lang,
            format!("No tenemos «{name}» en la carta{}", end_sentence(&es_alts)),
            format!("\"{name}\" is not on our menu{}", end_sentence(&en_alts)),
        )
    } else {
        pick(
            lang,
            format!(
                "No encontré ese plato en la carta{}",
                end_sentence(&es_alts)
            ),
            format!(
                "I couldn't find that dish on our menu{}",
                end_sentence(&en_alts)
            ),
        )
    }
}

/// "A, B o C".
fn or_list(items: &[String], or: &str) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}{or}{last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// The offer as the end of the sentence, or a full stop when there is none.
fn end_sentence(offer: &str) -> String {
    if offer.is_empty() {
        ".".to_owned()
    } else {
        offer.to_owned()
    }
}

/// Whether a question asks what the order comes to ("¿cuánto es el total?", "how much is
/// it?") rather than about a dish.
pub fn asks_total(words: &[String]) -> bool {
    let has = |any: &[&str]| understand::has(words, any);
    let phrase = |p: &[&str]| understand::has_phrase(words, p);
    has(&["total", "totales"])
        || has(&["cuanto", "cuanta"])
            && has(&[
                "todo", "seria", "serian", "queda", "quedo", "pago", "debo", "sale",
            ])
            && !has(&["cuesta", "cuestan", "vale", "valen"])
        || phrase(&["how", "much"]) && has(&["all", "altogether", "owe", "it", "that"])
}

/// Up to two available dishes of the same category, with prices, to offer instead.
pub fn alternatives(index: &MenuIndex, item: usize, lang: Lang) -> Vec<String> {
    let Some(entry) = index.items.get(item) else {
        return Vec::new();
    };
    index
        .items
        .iter()
        .filter(|i| i.available && i.category == entry.category && i.id != entry.id)
        .take(2)
        .map(|i| format!("{} ({})", i.display_name(lang), i.price))
        .collect()
}
