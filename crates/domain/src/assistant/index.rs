//! The live menu as the matcher sees it ([`MenuIndex`]): items, their modifier groups and
//! options, with the key words that name each one and the synonyms and sizes diners use.
//! Built from the database each turn; [`super::understand`] reads messages against it.

use super::text::{self, is_stopword, quantity_at, similar, stem, words};
use crate::ids::{ItemId, ModifierOptionId};
use crate::money::Clp;
use std::collections::HashMap;

/// One option of a modifier group, as the matcher sees it.
#[derive(Clone, Debug)]
pub struct IndexedOption {
    /// The option.
    pub id: ModifierOptionId,
    /// Spanish name.
    pub name: String,
    /// Price change.
    pub price_delta: Clp,
    /// False when sold out.
    pub available: bool,
    pub(super) keys: Vec<String>,
}

/// A modifier group of an indexed item.
#[derive(Clone, Debug)]
pub struct IndexedGroup {
    /// Spanish name ("Tamaño").
    pub name: String,
    /// At least this many options.
    pub min_choices: u8,
    /// At most this many options.
    pub max_choices: u8,
    /// Its options.
    pub options: Vec<IndexedOption>,
}

/// One orderable (or sold-out) dish of the live menu.
#[derive(Clone, Debug)]
pub struct IndexedItem {
    /// The item.
    pub id: ItemId,
    /// Spanish name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Category, Spanish.
    pub category: String,
    /// Category, English.
    pub category_en: Option<String>,
    /// Description, Spanish.
    pub description: Option<String>,
    /// Price, IVA included.
    pub price: Clp,
    /// False when sold out.
    pub available: bool,
    /// Tags (`vegan`, …).
    pub tags: Vec<String>,
    /// Modifier groups in order.
    pub groups: Vec<IndexedGroup>,
    pub(super) keys: Vec<Vec<String>>,
}

impl IndexedItem {
    /// The name in a language.
    pub fn display_name(&self, lang: crate::validate::Lang) -> &str {
        match lang {
            crate::validate::Lang::En => self.name_en.as_deref().unwrap_or(&self.name),
            crate::validate::Lang::Es => &self.name,
        }
    }
}

/// The live menu prepared for matching names: folded, singular, typo-tolerant.
#[derive(Clone, Debug, Default)]
pub struct MenuIndex {
    /// Items listed to diners, in menu order.
    pub items: Vec<IndexedItem>,
    /// How many items use each key word (a word used by one item names it alone).
    pub(super) owners: HashMap<String, usize>,
}

/// Words that never name a dish by themselves.
pub(super) fn is_filler(word: &str) -> bool {
    is_stopword(word)
        || matches!(
            word,
            "para" | "con" | "sin" | "copa" | "glass" | "plato" | "porcion" | "orden"
        )
        || quantity_at(&[word.to_owned()], 0).is_some()
}

/// Diners' words for what the menu calls otherwise.
const ALIASES: &[(&str, &str)] = &[
    ("sopaipilla", "sopaipa"),
    ("sopaipill", "sopaipa"),
    ("chela", "cerveza"),
    ("vinito", "vino"),
    ("tinto", "vino"),
    ("pisquito", "pisco"),
    ("aguita", "agua"),
    ("coca", "coca"),
];

fn key_words(name: &str) -> Vec<String> {
    words(name)
        .iter()
        .filter(|w| !is_filler(w))
        .map(|w| stem(w))
        .collect()
}

/// Option words in English and Chilean shorthand, rewritten to the Spanish the menu uses.
pub(super) const OPTION_SYNONYMS: &[(&str, &str)] = &[
    ("sparkling", "con gas"),
    ("still", "sin gas"),
    ("rare", "jugoso"),
    ("jugosito", "jugoso"),
    ("medium", "a punto"),
    ("well", "bien cocido"),
    ("rice", "arroz"),
    ("fries", "papas fritas"),
    ("chips", "papas fritas"),
    ("salad", "ensalada chilena"),
    ("cheese", "queso"),
    ("sausage", "longaniza"),
    ("without", "sin"),
    ("no", "sin"),
];

pub(super) const BIG: &[&str] = &["grand", "grande", "large", "big", "xl", "extra", "catedral"];
pub(super) const SMALL: &[&str] = &[
    "chico", "chica", "pequeno", "pequena", "small", "normal", "regular",
];

impl MenuIndex {
    /// Builds the index from the items listed to diners.
    pub fn new(items: Vec<IndexedItem>) -> MenuIndex {
        let mut index = MenuIndex {
            items,
            owners: HashMap::new(),
        };
        for item in &mut index.items {
            let mut keys = vec![key_words(&item.name)];
            if let Some(en) = &item.name_en {
                keys.push(key_words(en));
            }
            keys.retain(|k| !k.is_empty());
            keys.dedup();
            item.keys = keys;
            for group in &mut item.groups {
                for option in &mut group.options {
                    option.keys = words(&option.name)
                        .iter()
                        .filter(|w| !is_stopword(w))
                        .map(|w| stem(w))
                        .collect();
                }
            }
        }
        for item in &index.items {
            let mut seen: Vec<&String> = item.keys.iter().flatten().collect();
            seen.sort();
            seen.dedup();
            for word in seen {
                *index.owners.entry(word.clone()).or_default() += 1;
            }
        }
        index
    }

    /// Builds an item for the index (the key words are computed by [`MenuIndex::new`]).
    #[allow(clippy::too_many_arguments)]
    pub fn item(
        id: ItemId,
        name: String,
        name_en: Option<String>,
        category: String,
        category_en: Option<String>,
        description: Option<String>,
        price: Clp,
        available: bool,
        tags: Vec<String>,
        groups: Vec<IndexedGroup>,
    ) -> IndexedItem {
        IndexedItem {
            id,
            name,
            name_en,
            category,
            category_en,
            description,
            price,
            available,
            tags,
            groups,
            keys: Vec::new(),
        }
    }

    /// Builds an option for the index.
    pub fn option(
        id: ModifierOptionId,
        name: String,
        price_delta: Clp,
        available: bool,
    ) -> IndexedOption {
        IndexedOption {
            id,
            name,
            price_delta,
            available,
            keys: Vec::new(),
        }
    }

    fn distinctive(&self, word: &str) -> bool {
        self.owners.get(word).copied() == Some(1)
    }

    /// The best item named at content position `p`: (item index, words used, full name).
    fn match_at(&self, content: &[String], p: usize) -> Option<(usize, usize, bool)> {
        let mut best: Option<(usize, usize, bool, usize)> = None;
        for (index, item) in self.items.iter().enumerate() {
            for key in &item.keys {
                for start in 0..key.len() {
                    let mut used = 0;
                    let mut exact = 0;
                    let mut unique = false;
                    while p + used < content.len()
                        && start + used < key.len()
                        && similar(&content[p + used], &key[start + used])
                    {
                        if content[p + used] == key[start + used] {
                            exact += 1;
                        }
                        unique |= self.distinctive(&key[start + used]);
                        used += 1;
                    }
                    if used == 0 {
                        continue;
                    }
                    let full = start == 0 && used == key.len();
                    if !(full || unique) {
                        continue;
                    }
                    let better = match best {
                        None => true,
                        Some((_, b_used, b_full, b_exact)) => {
                            (used, full, exact) > (b_used, b_full, b_exact)
                        }
                    };
                    if better {
                        best = Some((index, used, full, exact));
                    }
                }
            }
        }
        best.map(|(index, used, full, _)| (index, used, full))
    }

    /// Finds the dishes named in a text, in order: (item index, first word, end word).
    pub fn scan(&self, words: &[String]) -> Vec<(usize, usize, usize)> {
        let mut content = Vec::new();
        let mut positions = Vec::new();
        for (i, word) in words.iter().enumerate() {
            if !is_filler(word) {
                let stemmed = stem(word);
                let stemmed = ALIASES
                    .iter()
                    .find(|(from, _)| *from == stemmed)
                    .map(|(_, to)| (*to).to_owned())
                    .unwrap_or(stemmed);
                content.push(stemmed);
                positions.push(i);
            }
        }
        let mut found = Vec::new();
        let mut p = 0;
        while p < content.len() {
            match self.match_at(&content, p) {
                Some((index, used, _)) => {
                    found.push((index, positions[p], positions[p + used - 1] + 1));
                    p += used;
                }
                None => p += 1,
            }
        }
        found
    }

    /// The item a name refers to (for the model's mentions): the first dish found in it.
    pub fn find(&self, name: &str) -> Option<&IndexedItem> {
        let words = words(name);
        self.scan(&words)
            .first()
            .and_then(|(index, _, _)| self.items.get(*index))
    }

    /// Items whose names come closest to a name that matched nothing (same first letter
    /// or a shared word), for "we don't have that; we do have …".
    /// Dishes to offer when nothing on the menu resembles what the diner asked for: the
    /// first available ones of the largest category (usually the mains).
    pub fn suggestions(&self, limit: usize) -> Vec<&IndexedItem> {
        let mut sizes: Vec<(&str, usize)> = Vec::new();
        for item in self.items.iter().filter(|i| i.available) {
            match sizes.iter_mut().find(|(c, _)| *c == item.category) {
                Some((_, n)) => *n += 1,
                None => sizes.push((&item.category, 1)),
            }
        }
        let Some(largest) = sizes.iter().max_by_key(|(_, n)| *n).map(|(c, _)| *c) else {
            return Vec::new();
        };
        self.items
            .iter()
            .filter(|i| i.available && i.category == largest)
            .take(limit)
            .collect()
    }

    pub fn similar_to(&self, name: &str, limit: usize) -> Vec<&IndexedItem> {
        let wanted = key_words(name);
        let mut scored: Vec<(usize, &IndexedItem)> = self
            .items
            .iter()
            .filter(|i| i.available)
            .map(|item| {
                let score = item
                    .keys
                    .iter()
                    .flatten()
                    .map(|k| {
                        wanted
                            .iter()
                            .map(|w| {
                                let d = text::edit_distance(w, k, 4);
                                5usize.saturating_sub(d)
                            })
                            .max()
                            .unwrap_or(0)
                    })
                    .max()
                    .unwrap_or(0);
                (score, item)
            })
            .filter(|(score, _)| *score > 1)
            .collect();
        scored.sort_by_key(|s| std::cmp::Reverse(s.0));
        scored.into_iter().take(limit).map(|(_, i)| i).collect()
    }
}
