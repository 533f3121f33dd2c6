//! Understanding a diner's message without a model, and grounding any mention of a dish
//! (from the model or from this parser) against the live menu.
//!
//! Everything here is pure and synchronous: the menu comes in as a [`MenuIndex`] built
//! from the database each turn, so the same code serves the chat, the evaluation set and
//! the benchmark.

use super::booking_words::{booking_name, party_size, phone, when};
use super::index::{BIG, OPTION_SYNONYMS, SMALL, is_filler};
pub use super::index::{IndexedGroup, IndexedItem, IndexedOption, MenuIndex};
use super::text::{self, fold, is_stopword, quantity_at, similar, stem, words};
use crate::ids::ModifierOptionId;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What the diner wants, in the assistant's closed vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// Add dishes to the draft order.
    OrderAdd,
    /// Take dishes off the draft order.
    OrderRemove,
    /// Confirm what was proposed (the order or the booking).
    OrderConfirm,
    /// Drop the draft.
    OrderCancel,
    /// Book a table.
    ReservationRequest,
    /// A question about dishes, prices or ingredients.
    MenuQuestion,
    /// A question about opening hours.
    HoursQuestion,
    /// Greetings, thanks and anything else.
    Smalltalk,
    /// The diner wants a person.
    Handoff,
}

impl Intent {
    /// Every intent, in the order the model's schema lists them.
    pub const ALL: [Intent; 9] = [
        Intent::OrderAdd,
        Intent::OrderRemove,
        Intent::OrderConfirm,
        Intent::OrderCancel,
        Intent::ReservationRequest,
        Intent::MenuQuestion,
        Intent::HoursQuestion,
        Intent::Smalltalk,
        Intent::Handoff,
    ];

    /// The wire name, e.g. `order_add`.
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::OrderAdd => "order_add",
            Intent::OrderRemove => "order_remove",
            Intent::OrderConfirm => "order_confirm",
            Intent::OrderCancel => "order_cancel",
            Intent::ReservationRequest => "reservation_request",
            Intent::MenuQuestion => "menu_question",
            Intent::HoursQuestion => "hours_question",
            Intent::Smalltalk => "smalltalk",
            Intent::Handoff => "handoff",
        }
    }
}

/// A dish as the diner (or the model) named it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Mention {
    /// The name as written ("churrascos italianos").
    pub name: String,
    /// How many; absent when the diner gave no number.
    #[serde(default)]
    pub quantity: Option<u32>,
    /// Options and requests as written ("grande", "sin mayo").
    #[serde(default)]
    pub modifiers: Vec<String>,
}

/// The structured reading of one message: intent and entities, not yet grounded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reading {
    /// The intent (smalltalk when unsure).
    pub intent: Option<Intent>,
    /// Dishes mentioned.
    #[serde(default)]
    pub items: Vec<Mention>,
    /// Party size for a booking.
    #[serde(default)]
    pub party_size: Option<u32>,
    /// Day of a booking as written or as `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// Time of a booking as written or as `HH:MM`.
    #[serde(default)]
    pub time: Option<String>,
    /// Name the booking is under.
    #[serde(default)]
    pub name: Option<String>,
    /// Contact phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// The diner wants it to take away ("pa' llevar").
    #[serde(default)]
    pub takeaway: bool,
}

/// A line as grounded against the menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grounded {
    /// A dish on the menu with its chosen options.
    Found(GroundedLine),
    /// Listed but sold out.
    SoldOut {
        /// The item's index in the menu index.
        item: usize,
    },
    /// Nothing on the menu by that name.
    Unknown {
        /// The name as written.
        name: String,
    },
}

/// A dish found on the menu, with its quantity and options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroundedLine {
    /// The item's index in the menu index.
    pub item: usize,
    /// How many.
    pub quantity: u32,
    /// Whether the diner gave the number.
    pub explicit_quantity: bool,
    /// Options chosen.
    pub options: Vec<ModifierOptionId>,
    /// Requests that are no option ("sin mayo"), for the kitchen.
    pub notes: Vec<String>,
}

/// Grounds the model's (or the parser's) mentions: each name against the menu, each
/// modifier against the item's options.
pub fn ground(index: &MenuIndex, mentions: &[Mention]) -> Vec<Grounded> {
    mentions
        .iter()
        .map(|mention| {
            let words = words(&mention.name);
            let Some((item, _, end)) = index.scan(&words).first().copied() else {
                return Grounded::Unknown {
                    name: mention.name.trim().to_owned(),
                };
            };
            // Words after the dish's name inside the mention count as modifiers too.
            let mut region: Vec<String> = words[end..].to_vec();
            for modifier in &mention.modifiers {
                region.push("y".to_owned());
                region.extend(text::words(modifier));
            }
            line_for(
                index,
                item,
                mention.quantity.unwrap_or(1).clamp(1, 999),
                mention.quantity.is_some(),
                &region,
            )
        })
        .collect()
}

fn line_for(
    index: &MenuIndex,
    item: usize,
    quantity: u32,
    explicit: bool,
    region: &[String],
) -> Grounded {
    let Some(entry) = index.items.get(item) else {
        return Grounded::Unknown {
            name: String::new(),
        };
    };
    if !entry.available {
        return Grounded::SoldOut { item };
    }
    let (options, notes) = modifiers_in(entry, region);
    Grounded::Found(GroundedLine {
        item,
        quantity,
        explicit_quantity: explicit,
        options,
        notes,
    })
}

/// The options of `item` named in the folded words of a message, and the "sin …"
/// requests that are not options.
pub fn options_in(item: &IndexedItem, words: &[String]) -> (Vec<ModifierOptionId>, Vec<String>) {
    modifiers_in(item, words)
}

/// The options of `item` named in `region`, and the "sin …" requests that are not options.
fn modifiers_in(item: &IndexedItem, region: &[String]) -> (Vec<ModifierOptionId>, Vec<String>) {
    let mut rewritten: Vec<String> = Vec::new();
    let mut i = 0;
    while i < region.len() {
        let word = region[i].as_str();
        if word == "well" && region.get(i + 1).is_some_and(|w| w == "done") {
            rewritten.extend(["bien".to_owned(), "cocido".to_owned()]);
            i += 2;
            continue;
        }
        match OPTION_SYNONYMS.iter().find(|(from, _)| *from == word) {
            Some((_, to)) => rewritten.extend(to.split(' ').map(str::to_owned)),
            None => rewritten.push(word.to_owned()),
        }
        i += 1;
    }
    let stems: Vec<String> = rewritten.iter().map(|w| stem(w)).collect();
    let mut chosen = Vec::new();
    let mut used = vec![false; stems.len()];
    for group in &item.groups {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for option in &group.options {
            for key in &option.keys {
                *counts.entry(key.as_str()).or_default() += 1;
            }
        }
        let mut picked = 0;
        for option in &group.options {
            if picked >= usize::from(group.max_choices) {
                break;
            }
            let hits: Vec<usize> = option
                .keys
                .iter()
                .filter_map(|key| stems.iter().position(|s| similar(s, key)))
                .collect();
            let all = !option.keys.is_empty() && hits.len() == option.keys.len();
            let unique = hits.iter().any(|&h| {
                let s = stems[h].as_str();
                !matches!(s, "sin" | "con") && counts.get(s).copied() == Some(1)
            });
            let negated = hits.iter().any(|&h| h > 0 && stems[h - 1] == "sin")
                && !option.keys.iter().any(|k| k == "sin");
            if (all || unique) && !negated {
                chosen.push(option.id);
                for h in hits {
                    used[h] = true;
                }
                picked += 1;
            }
        }
        if picked == 0 {
            let size = fold(&group.name);
            let sized = size.contains("tamano") || size.contains("size");
            let wants_big = stems.iter().position(|s| BIG.contains(&s.as_str()));
            let wants_small = stems.iter().position(|s| SMALL.contains(&s.as_str()));
            let by_price = |big: bool| {
                let pool = group.options.iter().filter(|o| o.available);
                if big {
                    pool.max_by_key(|o| o.price_delta).map(|o| o.id)
                } else {
                    pool.min_by_key(|o| o.price_delta).map(|o| o.id)
                }
            };
            let pick = match (wants_big, wants_small) {
                (Some(h), _) if sized || group.options.len() == 2 => by_price(true).map(|o| (o, h)),
                (_, Some(h)) if sized => by_price(false).map(|o| (o, h)),
                _ => None,
            };
            if let Some((option, h)) = pick {
                chosen.push(option);
                used[h] = true;
            }
        }
    }
    // "sin mayo", "sin cebolla": requests for the kitchen when they are no option.
    let mut notes = Vec::new();
    for (h, word) in rewritten.iter().enumerate() {
        if word == "sin" && !used[h] {
            let what: Vec<&str> = rewritten[h + 1..]
                .iter()
                .take_while(|w| !matches!(w.as_str(), "y" | "and" | "con" | "sin" | "para"))
                .take(3)
                .map(String::as_str)
                .collect();
            if !what.is_empty() && !used.get(h + 1).copied().unwrap_or(false) {
                notes.push(format!("sin {}", what.join(" ")));
            }
        }
    }
    (chosen, notes)
}

/// Whether any of `any` is one of the words.
pub(crate) fn has(words: &[String], any: &[&str]) -> bool {
    words.iter().any(|w| any.contains(&w.as_str()))
}

/// Whether the words hold `phrase` as consecutive words.
pub(crate) fn has_phrase(words: &[String], phrase: &[&str]) -> bool {
    words
        .windows(phrase.len())
        .any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

const AFFIRMATIVE: &[&str] = &[
    "si",
    "confirmo",
    "confirmar",
    "confirma",
    "confirmado",
    "dale",
    "ya",
    "ok",
    "okay",
    "okey",
    "listo",
    "perfecto",
    "correcto",
    "yes",
    "yep",
    "yeah",
    "confirm",
    "sure",
    "vale",
    "bueno",
    "claro",
    "exacto",
    "sipo",
    "ya po",
    "buena",
    "great",
    "fine",
    "go",
];

/// Reads a message without a model: intent and entities, with dishes found by the
/// menu's own names. `awaiting` tells whether a confirmation was just asked for.
pub fn parse(index: &MenuIndex, message: &str, awaiting: bool) -> Reading {
    let w = words(message);
    let found = index.scan(&w);
    let mut reading = Reading {
        takeaway: has(&w, &["llevar", "takeaway", "takeout"])
            || has_phrase(&w, &["to", "go"])
            || has_phrase(&w, &["take", "away"]),
        ..Reading::default()
    };
    // Dishes with their quantities and modifiers.
    for (k, &(item, start, end)) in found.iter().enumerate() {
        let previous_end = if k == 0 { 0 } else { found[k - 1].2 };
        let mut quantity = None;
        for s in (previous_end..start).rev().take(4) {
            if let Some((n, len)) = quantity_at(&w, s)
                && s + len <= start
                && w[s + len..start]
                    .iter()
                    .all(|x| is_stopword(x) || x == "mas" || x == "more")
            {
                // "la de" / "a" are words, not numbers, when a real number sits before.
                quantity = Some(n);
                break;
            }
        }
        let next_start = found.get(k + 1).map_or(w.len(), |f| f.1);
        if quantity.is_none()
            && let Some(next) = w.get(end)
            && next.starts_with('x')
            && let Some((n, _)) = quantity_at(&w, end)
        {
            quantity = Some(n);
        }
        let region = &w[end..next_start];
        let (options, notes) = index
            .items
            .get(item)
            .map(|i| modifiers_in(i, region))
            .unwrap_or_default();
        let entry = &index.items[item];
        let mut modifiers: Vec<String> = entry
            .groups
            .iter()
            .flat_map(|g| &g.options)
            .filter(|o| options.contains(&o.id))
            .map(|o| o.name.clone())
            .collect();
        modifiers.extend(notes);
        reading.items.push(Mention {
            name: entry.name.clone(),
            quantity,
            modifiers,
        });
    }
    reading.party_size = party_size(&w);
    reading.phone = phone(message);
    reading.name = booking_name(message);
    let (date, time) = when(&w);
    reading.date = date;
    reading.time = time;
    reading.intent = Some(classify(&w, &reading, awaiting));
    // An order that names dishes the menu lacks keeps them, so the reply can say so
    // instead of greeting again or dropping them without a word.
    if matches!(reading.intent, Some(Intent::Smalltalk | Intent::OrderAdd)) && wants_to_order(&w) {
        let unplaced = unplaced_dishes(&w, &found);
        if !unplaced.is_empty() {
            reading.items.extend(unplaced);
            reading.intent = Some(Intent::OrderAdd);
        }
    }
    if !matches!(
        reading.intent,
        Some(Intent::OrderAdd | Intent::OrderRemove | Intent::MenuQuestion)
    ) {
        reading.items.clear();
    }
    reading
}

fn classify(w: &[String], reading: &Reading, awaiting: bool) -> Intent {
    let items = !reading.items.is_empty();
    if has_phrase(w, &["hablar", "con"])
        && has(
            w,
            &[
                "persona",
                "alguien",
                "humano",
                "garzon",
                "mesero",
                "encargado",
                "humana",
            ],
        )
        || has(w, &["human", "agent", "humano", "operador", "operator"])
        || has_phrase(w, &["real", "person"])
        || has_phrase(w, &["talk", "to", "someone"])
        || has_phrase(w, &["speak", "to", "someone"])
    {
        return Intent::Handoff;
    }
    let booking_word = has(
        w,
        &[
            "reserva",
            "reservar",
            "reservacion",
            "reservation",
            "book",
            "booking",
            "reservo",
            "reserve",
        ],
    ) || has_phrase(w, &["mesa", "para"])
        || has_phrase(w, &["table", "for"])
        || (has(w, &["mesa", "table"]) && reading.party_size.is_some());
    if booking_word && !items {
        return Intent::ReservationRequest;
    }
    let cancel = has(
        w,
        &[
            "cancela", "cancelar", "cancel", "anula", "anular", "olvidalo", "olvida",
        ],
    ) || has_phrase(w, &["no", "quiero", "nada"])
        || has_phrase(w, &["forget", "it"])
        || has_phrase(w, &["never", "mind"]);
    if cancel && !items {
        return Intent::OrderCancel;
    }
    let remove = has(
        w,
        &[
            "quita", "quitar", "quitame", "saca", "sacar", "sacame", "elimina", "eliminar",
            "borra", "borrar", "remove", "menos",
        ],
    ) || has_phrase(w, &["ya", "no", "quiero"])
        || has_phrase(w, &["no", "quiero", "el"])
        || has_phrase(w, &["no", "quiero", "la"])
        || has_phrase(w, &["take", "off"])
        || has_phrase(w, &["no", "more"])
        || has_phrase(w, &["don", "t", "want"])
        || has_phrase(w, &["dont", "want"]);
    if remove && items {
        return Intent::OrderRemove;
    }
    let hours = has(
        w,
        &[
            "horario", "horarios", "abren", "cierran", "abierto", "abiertos", "cerrado", "hours",
            "open", "close", "closed", "atienden", "opening",
        ],
    ) || has_phrase(w, &["a", "que", "hora"])
        || has_phrase(w, &["what", "time"]);
    if hours && !items {
        return Intent::HoursQuestion;
    }
    let asks = has(
        w,
        &[
            "cuanto",
            "cuesta",
            "cuestan",
            "vale",
            "valen",
            "precio",
            "precios",
            "carta",
            "menu",
            "recomiendas",
            "recomienda",
            "recomendacion",
            "vegano",
            "vegana",
            "veganos",
            "veganas",
            "vegetariano",
            "vegetariana",
            "vegetarianos",
            "vegetarianas",
            "gluten",
            "celiaco",
            "celiaca",
            "celiacos",
            "celiacas",
            "alergia",
            "lleva",
            "trae",
            "ingredientes",
            "postres",
            "bebidas",
            "much",
            "price",
            "recommend",
            "vegan",
            "vegetarian",
            "contain",
            "cost",
            "costs",
            "what",
            "which",
            "whats",
            "sale",
        ],
    ) || has_phrase(w, &["que", "tienen"])
        || has_phrase(w, &["que", "hay"])
        || has_phrase(w, &["tienen", "algo"])
        || has_phrase(w, &["do", "you", "have"]);
    let orders = wants_to_order(w);
    if items && asks && !orders {
        return Intent::MenuQuestion;
    }
    if items {
        return Intent::OrderAdd;
    }
    if asks {
        return Intent::MenuQuestion;
    }
    let affirmative = w.iter().any(|x| AFFIRMATIVE.contains(&x.as_str()))
        || has_phrase(w, &["eso", "es", "todo"])
        || has_phrase(w, &["eso", "seria", "todo"])
        || has_phrase(w, &["nada", "mas"])
        || has_phrase(w, &["that", "s", "all"])
        || has_phrase(w, &["thats", "all"])
        || has_phrase(w, &["that", "is", "all"])
        || has_phrase(w, &["de", "acuerdo"])
        || has_phrase(w, &["sounds", "good"]);
    let negative = has(w, &["no", "nope", "not"]) && !has_phrase(w, &["nada", "mas"]);
    if affirmative && !negative && (awaiting || w.len() <= 6) {
        return Intent::OrderConfirm;
    }
    if booking_word {
        return Intent::ReservationRequest;
    }
    Intent::Smalltalk
}

/// Words of someone asking for dishes ("quiero", "me da", "I'll take").
fn wants_to_order(w: &[String]) -> bool {
    has(
        w,
        &[
            "quiero", "quisiera", "dame", "deme", "damos", "pideme", "pido", "agrega", "agregar",
            "agregame", "anota", "anotame", "manda", "mandame", "traeme", "want", "get", "add",
            "order", "like", "ill", "take", "tráeme", "echale", "ponme", "pone", "sumale", "suma",
            "also", "tambien", "otra", "otro", "another", "mas", "more",
        ],
    ) || has_phrase(w, &["me", "da"])
        || has_phrase(w, &["me", "das"])
        || has_phrase(w, &["me", "puede", "dar"])
        || has_phrase(w, &["para", "mi"])
}

/// Words that follow a number without naming a dish ("2 personas", "una mesa").
const NOT_DISHES: &[&str] = &[
    "mesa",
    "mesas",
    "table",
    "tables",
    "persona",
    "personas",
    "people",
    "person",
    "pax",
    "hora",
    "horas",
    "hour",
    "hours",
    "minuto",
    "minutos",
    "minutes",
    "vez",
    "veces",
    "time",
    "times",
    "dia",
    "dias",
    "day",
    "days",
    "pedido",
    "order",
    "reserva",
    "reservation",
    "cosa",
    "cosas",
    "thing",
    "things",
    "total",
    "cuenta",
    "bill",
    "check",
    "pregunta",
    "question",
    "consulta",
    "mas",
    "more",
    "poco",
    "little",
    "bit",
    "momento",
    "moment",
    "favor",
    "rato",
    "semana",
    "week",
    "mes",
    "month",
    "ano",
    "year",
    "nino",
    "ninos",
    "adulto",
    "adultos",
    "lucas",
    "luca",
    "pesos",
    "peso",
    "mil",
    "ves",
    "noche",
    "tarde",
    "manana",
    "am",
    "pm",
    "hrs",
    "hr",
    "h",
    "night",
    "evening",
    "morning",
    "afternoon",
];

/// Dishes asked for that no menu item matched ("2 completos italianos" on a menu without
/// them): a quantity followed by up to three words outside every dish found, up to a
/// conjunction or a dish.
fn unplaced_dishes(w: &[String], found: &[(usize, usize, usize)]) -> Vec<Mention> {
    let covered = |i: usize| {
        found
            .iter()
            .any(|&(_, start, end)| (start..end).contains(&i))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let Some((n, len)) = quantity_at(w, i).filter(|_| !covered(i)) else {
            i += 1;
            continue;
        };
        let mut name: Vec<&str> = Vec::new();
        let mut j = i + len;
        while j < w.len() && name.len() < 3 && !covered(j) {
            let word = w[j].as_str();
            if matches!(
                word,
                "y" | "and" | "e" | "o" | "or" | "con" | "sin" | "para" | "pa"
            ) || quantity_at(w, j).is_some()
            {
                break;
            }
            if !(name.is_empty() && is_stopword(word)) {
                name.push(word);
            }
            j += 1;
        }
        while name.last().is_some_and(|w| is_stopword(w)) {
            name.pop();
        }
        let names_a_dish = name.first().is_some_and(|first| {
            !NOT_DISHES.contains(first)
                && !is_filler(first)
                && first.chars().any(char::is_alphabetic)
                && first.chars().count() > 1
        });
        if names_a_dish {
            out.push(Mention {
                name: name.join(" "),
                quantity: Some(n),
                modifiers: Vec::new(),
            });
        }
        i = j.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ItemId;
    use crate::money::Clp;

    fn index() -> MenuIndex {
        let item = |name: &str, en: &str, price: i64, groups: Vec<IndexedGroup>| {
            MenuIndex::item(
                ItemId::new(),
                name.to_owned(),
                Some(en.to_owned()),
                "Platos".to_owned(),
                None,
                None,
                Clp(price),
                true,
                vec![],
                groups,
            )
        };
        let size = IndexedGroup {
            name: "Tamaño".to_owned(),
            min_choices: 1,
            max_choices: 1,
            options: vec![
                MenuIndex::option(ModifierOptionId::new(), "Normal".into(), Clp(0), true),
                MenuIndex::option(ModifierOptionId::new(), "Catedral".into(), Clp(2500), true),
            ],
        };
        MenuIndex::new(vec![
            item("Pastel de choclo", "Corn pie", 10990, vec![]),
            item("Humitas", "Humitas", 4990, vec![]),
            item("Pisco sour", "Pisco sour", 4990, vec![size]),
            item("Completo italiano", "Italian hot dog", 3990, vec![]),
            item("Churrasco italiano", "Churrasco italiano", 6990, vec![]),
        ])
    }

    #[test]
    fn finds_items_quantities_and_modifiers() {
        let index = index();
        let r = parse(
            &index,
            "Quiero dos pasteles de choclo y un pisco sour grande",
            false,
        );
        assert_eq!(r.intent, Some(Intent::OrderAdd));
        assert_eq!(r.items.len(), 2);
        assert_eq!(r.items[0].name, "Pastel de choclo");
        assert_eq!(r.items[0].quantity, Some(2));
        assert_eq!(r.items[1].modifiers, ["Catedral"]);
        let r = parse(&index, "una completa sin mayo pa' llevar", false);
        assert_eq!(r.items[0].name, "Completo italiano");
        assert_eq!(r.items[0].modifiers, ["sin mayo"]);
        assert!(r.takeaway);
        let r = parse(&index, "dos churrascos italianos", false);
        assert_eq!(r.items[0].name, "Churrasco italiano");
        assert_eq!(r.items[0].quantity, Some(2));
        let r = parse(&index, "a couple of corn pies please", false);
        assert_eq!(r.items[0].quantity, Some(2));
    }

    #[test]
    fn reads_bookings() {
        let index = index();
        let r = parse(
            &index,
            "Quiero reservar mesa para 4 el sábado a las 8",
            false,
        );
        assert_eq!(r.intent, Some(Intent::ReservationRequest));
        assert_eq!(r.party_size, Some(4));
        assert_eq!(r.date.as_deref(), Some("saturday"));
        assert_eq!(r.time.as_deref(), Some("20:00"));
        let r = parse(&index, "a nombre de Juan Pérez, +56 9 8765 4321", true);
        assert_eq!(r.name.as_deref(), Some("Juan Pérez"));
        assert_eq!(r.phone.as_deref(), Some("+56987654321"));
    }
}
