//! Menu rules: modifier groups, server-side line pricing and the CSV modifier column.
//!
//! The server prices every line itself, modifiers included, from the menu it holds; a
//! client's prices are never trusted (carts and confirmations must not disagree).

use crate::ids::{ModifierGroupId, ModifierOptionId};
use crate::money::{Clp, MoneyError};
use crate::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// The largest quantity of one line: more is a typo (or an attack), not an order.
pub const MAX_QUANTITY: u32 = 999;

/// Where an item is prepared, so its ticket goes to the right screen or printer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Station {
    /// The kitchen.
    Kitchen,
    /// The bar (drinks).
    Bar,
    /// Desserts ("postres"): plated apart from the mains in many kitchens, with their own
    /// screen or printer.
    Dessert,
}

impl Station {
    /// The wire name, as in the CSV `station` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Station::Kitchen => "kitchen",
            Station::Bar => "bar",
            Station::Dessert => "dessert",
        }
    }
}

impl fmt::Display for Station {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A station name that is not `kitchen`, `bar` or `dessert`.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("unknown station: {0}")]
pub struct UnknownStation(pub String);

impl FromStr for Station {
    type Err = UnknownStation;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "kitchen" => Ok(Station::Kitchen),
            "bar" => Ok(Station::Bar),
            "dessert" => Ok(Station::Dessert),
            other => Err(UnknownStation(other.to_owned())),
        }
    }
}

/// One option of a modifier group, as the menu holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModifierOptionRule {
    /// The option.
    pub id: ModifierOptionId,
    /// Its name, printed on the kitchen ticket.
    pub name: String,
    /// Added to the item's price (may be negative, e.g. "sin palta").
    pub price_delta: Clp,
    /// False when sold out: it can no longer be chosen.
    pub available: bool,
}

/// A modifier group of an item and how many of its options a diner must/may choose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModifierGroupRule {
    /// The group.
    pub id: ModifierGroupId,
    /// Its name ("Término", "Extra").
    pub name: String,
    /// At least this many options must be chosen (1 or more makes the group required).
    pub min_choices: u8,
    /// At most this many options may be chosen.
    pub max_choices: u8,
    /// The options, in menu order.
    pub options: Vec<ModifierOptionRule>,
}

/// One chosen modifier of a priced line, as the ticket and receipt show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PricedModifier {
    /// The group the option belongs to.
    pub group_id: ModifierGroupId,
    /// The group's name, for "Término: A punto" on the ticket.
    pub group_name: String,
    /// The chosen option.
    pub option_id: ModifierOptionId,
    /// The option's name.
    pub name: String,
    /// What it added to the unit price.
    pub price_delta: Clp,
}

/// A line priced by the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PricedLine {
    /// Base price plus every chosen option's delta (IVA included).
    pub unit_price: Clp,
    /// How many.
    pub quantity: u32,
    /// `unit_price × quantity`.
    pub line_total: Clp,
    /// The chosen options in menu order (group order, then option order), whatever order
    /// the client sent them in, so tickets read the same way every time.
    pub modifiers: Vec<PricedModifier>,
}

/// Why a line could not be priced.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LineError {
    /// Quantity outside 1..=`MAX_QUANTITY`.
    #[error("quantity must be between 1 and {MAX_QUANTITY}, got {0}")]
    QuantityOutOfRange(u32),
    /// The option is not one of this item's options.
    #[error("option {0} does not belong to this item")]
    UnknownOption(ModifierOptionId),
    /// The option is sold out.
    #[error("option {name} is not available")]
    OptionUnavailable {
        /// The option.
        option: ModifierOptionId,
        /// Its name, for the message.
        name: String,
    },
    /// The same option was sent twice (ask for quantity instead).
    #[error("option {0} chosen more than once")]
    DuplicateOption(ModifierOptionId),
    /// A group has fewer choices than its minimum (a required group left out).
    #[error("choose at least {min} in {name}")]
    TooFewChoices {
        /// The group.
        group: ModifierGroupId,
        /// Its name, for the message.
        name: String,
        /// Its minimum.
        min: u8,
        /// How many were chosen.
        chosen: usize,
    },
    /// A group has more choices than its maximum.
    #[error("choose at most {max} in {name}")]
    TooManyChoices {
        /// The group.
        group: ModifierGroupId,
        /// Its name, for the message.
        name: String,
        /// Its maximum.
        max: u8,
        /// How many were chosen.
        chosen: usize,
    },
    /// Negative deltas took the unit price below zero.
    #[error("unit price would be negative ({0})")]
    NegativeUnitPrice(Clp),
    /// The amounts left the supported range.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// Prices one order line from the item's base price and modifier groups, checking every
/// choice against the menu's rules.
pub fn price_line(
    base_price: Clp,
    groups: &[ModifierGroupRule],
    chosen: &[ModifierOptionId],
    quantity: u32,
) -> Result<PricedLine, LineError> {
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(LineError::QuantityOutOfRange(quantity));
    }
    let mut seen = HashSet::with_capacity(chosen.len());
    for &id in chosen {
        if !seen.insert(id) {
            return Err(LineError::DuplicateOption(id));
        }
        let option = groups
            .iter()
            .flat_map(|g| &g.options)
            .find(|o| o.id == id)
            .ok_or(LineError::UnknownOption(id))?;
        if !option.available {
            return Err(LineError::OptionUnavailable {
                option: id,
                name: option.name.clone(),
            });
        }
    }

    let mut unit_price = base_price;
    let mut modifiers = Vec::with_capacity(chosen.len());
    for group in groups {
        let picked: Vec<&ModifierOptionRule> = group
            .options
            .iter()
            .filter(|o| seen.contains(&o.id))
            .collect();
        if picked.len() < usize::from(group.min_choices) {
            return Err(LineError::TooFewChoices {
                group: group.id,
                name: group.name.clone(),
                min: group.min_choices,
                chosen: picked.len(),
            });
        }
        if picked.len() > usize::from(group.max_choices) {
            return Err(LineError::TooManyChoices {
                group: group.id,
                name: group.name.clone(),
                max: group.max_choices,
                chosen: picked.len(),
            });
        }
        for option in picked {
            unit_price = unit_price.checked_add(option.price_delta)?;
            modifiers.push(PricedModifier {
                group_id: group.id,
                group_name: group.name.clone(),
                option_id: option.id,
                name: option.name.clone(),
                price_delta: option.price_delta,
            });
        }
    }
    if unit_price.is_negative() {
        return Err(LineError::NegativeUnitPrice(unit_price));
    }
    let line_total = unit_price.checked_mul(quantity)?;
    Ok(PricedLine {
        unit_price,
        quantity,
        line_total,
        modifiers,
    })
}

/// Checks modifier groups as the menu editor saves them, so `price_line` can always be
/// satisfied and the CSV export can always write them. Field paths look like
/// `groups[1].options[0].name`.
pub fn validate_groups(groups: &[ModifierGroupRule]) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    let reserved = |name: &str, chars: &[char]| name.contains(chars);
    let other = |es: &str, en: &str| FieldIssue::Other {
        es: es.to_owned(),
        en: en.to_owned(),
    };
    for (g, group) in groups.iter().enumerate() {
        let at = format!("groups[{g}]");
        errors.text(&format!("{at}.name"), &group.name, 80);
        errors.check(
            !reserved(&group.name, &[':', ';', '|']),
            &format!("{at}.name"),
            other("no puede contener : ; |", "may not contain : ; |"),
        );
        errors.check(
            group.min_choices <= group.max_choices,
            &format!("{at}.min_choices"),
            other("no puede superar el máximo", "may not exceed the maximum"),
        );
        errors.check(
            group.max_choices >= 1,
            &format!("{at}.max_choices"),
            FieldIssue::OutOfRange {
                min: 1,
                max: i64::from(u8::MAX),
            },
        );
        errors.check(
            usize::from(group.min_choices) <= group.options.len(),
            &format!("{at}.min_choices"),
            other(
                "exige más opciones de las que hay",
                "requires more options than there are",
            ),
        );
        let mut names = HashSet::new();
        for (o, option) in group.options.iter().enumerate() {
            let field = format!("{at}.options[{o}].name");
            errors.text(&field, &option.name, 80);
            errors.check(
                !reserved(&option.name, &[';', '|']),
                &field,
                other("no puede contener ; |", "may not contain ; |"),
            );
            errors.check(
                names.insert(option.name.trim().to_lowercase()),
                &field,
                other("está repetida en el grupo", "is repeated in the group"),
            );
        }
    }
    errors.into_result()
}

/// One option as written in the menu CSV's `modifiers` column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModifierOptionSpec {
    /// The option's name.
    pub name: String,
    /// Its price delta.
    pub price_delta: Clp,
}

/// One modifier group as written in the menu CSV's `modifiers` column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModifierGroupSpec {
    /// The group's name.
    pub name: String,
    /// Its options, in order.
    pub options: Vec<ModifierOptionSpec>,
}

impl ModifierGroupSpec {
    /// `(min_choices, max_choices)` for an imported group, since the CSV does not carry
    /// them: a group with a free (+0) option is a choice of exactly one ("Término",
    /// "Tamaño: Normal +0 | Catedral +2500"); a group where every option costs extra is
    /// optional and cumulative ("Extra: Queso +1500 | Longaniza +2000").
    pub fn suggested_choices(&self) -> (u8, u8) {
        if self.options.iter().any(|o| o.price_delta == Clp::ZERO) {
            (1, 1)
        } else {
            (0, u8::try_from(self.options.len()).unwrap_or(u8::MAX))
        }
    }
}

/// Why a `modifiers` cell could not be read or written.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ModifierSpecError {
    /// A group without `Name:` before its options.
    #[error("group \"{0}\" has no ':' after its name")]
    MissingColon(String),
    /// `: Option +0` with no group name.
    #[error("a group has no name")]
    EmptyGroupName,
    /// The same group name twice in one cell.
    #[error("group \"{0}\" appears twice")]
    DuplicateGroup(String),
    /// An empty option (`A +0 || B +0`) or an option that is only a price.
    #[error("group \"{0}\" has an empty option")]
    EmptyOption(String),
    /// The same option twice in one group.
    #[error("option \"{option}\" appears twice in group \"{group}\"")]
    DuplicateOption {
        /// The group.
        group: String,
        /// The repeated option.
        option: String,
    },
    /// A price delta out of range.
    #[error("price \"{0}\" is out of range")]
    InvalidDelta(String),
    /// A name that is empty or holds a separator (`:` in a group name, `;` or `|` in any).
    #[error("name \"{0}\" cannot be written in the modifier column")]
    UnwritableName(String),
}

/// Parses the menu CSV's `modifiers` cell: groups separated by `;`, each
/// `Group: Option +delta | Option -delta`. A delta is the last space-separated word when
/// it is a sign followed by digits (`+0`, `+1500`, `-500`); an option without one costs
/// +0. An empty cell means no modifiers.
pub fn parse_modifier_spec(spec: &str) -> Result<Vec<ModifierGroupSpec>, ModifierSpecError> {
    let mut groups: Vec<ModifierGroupSpec> = Vec::new();
    for chunk in spec.split(';').map(str::trim).filter(|c| !c.is_empty()) {
        let (name, rest) = chunk
            .split_once(':')
            .ok_or_else(|| ModifierSpecError::MissingColon(chunk.to_owned()))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(ModifierSpecError::EmptyGroupName);
        }
        if groups.iter().any(|g| g.name == name) {
            return Err(ModifierSpecError::DuplicateGroup(name.to_owned()));
        }
        let mut options: Vec<ModifierOptionSpec> = Vec::new();
        for option in rest.split('|').map(str::trim) {
            let (option_name, price_delta) = split_delta(option)?;
            if option_name.is_empty() {
                return Err(ModifierSpecError::EmptyOption(name.to_owned()));
            }
            if options.iter().any(|o| o.name == option_name) {
                return Err(ModifierSpecError::DuplicateOption {
                    group: name.to_owned(),
                    option: option_name.to_owned(),
                });
            }
            options.push(ModifierOptionSpec {
                name: option_name.to_owned(),
                price_delta,
            });
        }
        groups.push(ModifierGroupSpec {
            name: name.to_owned(),
            options,
        });
    }
    Ok(groups)
}

/// Splits `"Papas fritas +1000"` into its name and delta.
fn split_delta(option: &str) -> Result<(&str, Clp), ModifierSpecError> {
    let (name, last) = match option.rsplit_once(char::is_whitespace) {
        Some((name, last)) => (name.trim_end(), last),
        None => ("", option),
    };
    let signed = last.strip_prefix('+').or_else(|| last.strip_prefix('-'));
    match signed {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            let delta = last
                .parse::<i64>()
                .ok()
                .and_then(|p| Clp::new(p).ok())
                .ok_or_else(|| ModifierSpecError::InvalidDelta(last.to_owned()))?;
            Ok((name, delta))
        }
        // No price: the whole text is the name.
        _ => Ok((option, Clp::ZERO)),
    }
}

/// Writes groups back in the format `parse_modifier_spec` reads
/// (`Término: Jugoso +0 | A punto +0; Extra: Queso +1500`), for the menu CSV export.
pub fn format_modifier_spec(groups: &[ModifierGroupSpec]) -> Result<String, ModifierSpecError> {
    // Names are written trimmed (the parser trims them anyway).
    let writable = |name: &str, reserved: &[char]| {
        let name = name.trim();
        if name.is_empty() || name.contains(reserved) {
            Err(ModifierSpecError::UnwritableName(name.to_owned()))
        } else {
            Ok(())
        }
    };
    let mut out = String::new();
    for (g, group) in groups.iter().enumerate() {
        writable(&group.name, &[':', ';', '|'])?;
        if group.options.is_empty() {
            return Err(ModifierSpecError::EmptyOption(group.name.clone()));
        }
        if groups[..g]
            .iter()
            .any(|other| other.name.trim() == group.name.trim())
        {
            return Err(ModifierSpecError::DuplicateGroup(group.name.clone()));
        }
        if g > 0 {
            out.push_str("; ");
        }
        out.push_str(group.name.trim());
        out.push(':');
        for (o, option) in group.options.iter().enumerate() {
            writable(&option.name, &[';', '|'])?;
            if group.options[..o]
                .iter()
                .any(|other| other.name.trim() == option.name.trim())
            {
                return Err(ModifierSpecError::DuplicateOption {
                    group: group.name.clone(),
                    option: option.name.clone(),
                });
            }
            let sign = if option.price_delta.is_negative() {
                '-'
            } else {
                '+'
            };
            let separator = if o > 0 { " | " } else { " " };
            out.push_str(&format!(
                "{separator}{} {sign}{}",
                option.name.trim(),
                option.price_delta.pesos().unsigned_abs()
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn option(name: &str, delta: i64, available: bool) -> ModifierOptionRule {
        ModifierOptionRule {
            id: ModifierOptionId::new(),
            name: name.to_owned(),
            price_delta: Clp(delta),
            available,
        }
    }

    fn group(name: &str, min: u8, max: u8, options: Vec<ModifierOptionRule>) -> ModifierGroupRule {
        ModifierGroupRule {
            id: ModifierGroupId::new(),
            name: name.to_owned(),
            min_choices: min,
            max_choices: max,
            options,
        }
    }

    /// Lomo a lo pobre: a required "Término" and an optional, cumulative "Extra".
    fn lomo() -> Vec<ModifierGroupRule> {
        vec![
            group(
                "Término",
                1,
                1,
                vec![
                    option("Jugoso", 0, true),
                    option("A punto", 0, true),
                    option("Bien cocido", 0, false),
                ],
            ),
            group(
                "Extra",
                0,
                2,
                vec![option("Queso", 1500, true), option("Longaniza", 2000, true)],
            ),
        ]
    }

    #[test]
    fn prices_a_line_with_modifiers_in_menu_order() {
        let groups = lomo();
        let queso = groups[1].options[0].id;
        let punto = groups[0].options[1].id;
        let line = price_line(Clp(13_990), &groups, &[queso, punto], 2).expect("priced");
        assert_eq!(line.unit_price, Clp(15_490));
        assert_eq!(line.line_total, Clp(30_980));
        let names: Vec<&str> = line.modifiers.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["A punto", "Queso"]);
        assert_eq!(line.modifiers[0].group_name, "Término");
    }

    #[test]
    fn refuses_bad_choices() {
        let groups = lomo();
        let jugoso = groups[0].options[0].id;
        let punto = groups[0].options[1].id;
        let bien = groups[0].options[2].id;
        let price =
            |chosen: &[ModifierOptionId], qty| price_line(Clp(13_990), &groups, chosen, qty);
        assert_eq!(price(&[jugoso], 0), Err(LineError::QuantityOutOfRange(0)));
        assert_eq!(
            price(&[jugoso], 1000),
            Err(LineError::QuantityOutOfRange(1000))
        );
        assert!(price(&[jugoso], 999).is_ok());
        assert!(matches!(
            price(&[], 1),
            Err(LineError::TooFewChoices {
                min: 1,
                chosen: 0,
                ..
            })
        ));
        assert!(matches!(
            price(&[jugoso, punto], 1),
            Err(LineError::TooManyChoices {
                max: 1,
                chosen: 2,
                ..
            })
        ));
        assert_eq!(
            price(&[jugoso, jugoso], 1),
            Err(LineError::DuplicateOption(jugoso))
        );
        assert!(matches!(
            price(&[bien], 1),
            Err(LineError::OptionUnavailable { .. })
        ));
        let stranger = ModifierOptionId::new();
        assert_eq!(
            price(&[jugoso, stranger], 1),
            Err(LineError::UnknownOption(stranger))
        );
    }

    #[test]
    fn unit_price_never_goes_below_zero() {
        let groups = vec![group("Sin", 0, 1, vec![option("Sin palta", -1500, true)])];
        let sin = groups[0].options[0].id;
        assert_eq!(
            price_line(Clp(1000), &groups, &[sin], 1),
            Err(LineError::NegativeUnitPrice(Clp(-500)))
        );
        assert_eq!(
            price_line(Clp(1500), &groups, &[sin], 1)
                .expect("zero")
                .unit_price,
            Clp(0)
        );
        assert!(matches!(
            price_line(Clp::MAX, &groups, &[], 2),
            Err(LineError::Money(_))
        ));
    }

    #[test]
    fn validates_groups_for_the_editor() {
        assert!(validate_groups(&lomo()).is_ok());
        let bad = vec![
            group("A|B", 2, 1, vec![option("x", 0, true)]),
            group("C", 0, 0, vec![option("y", 0, true), option("Y ", 0, true)]),
        ];
        let errors = validate_groups(&bad).expect_err("invalid");
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "groups[0].min_choices",
                "groups[0].name",
                "groups[1].max_choices",
                "groups[1].options[1].name"
            ]
        );
    }

    #[test]
    fn stations_parse_and_serialize() {
        assert_eq!("bar".parse::<Station>(), Ok(Station::Bar));
        assert!("grill".parse::<Station>().is_err());
        assert_eq!(
            serde_json::to_string(&Station::Kitchen).expect("ser"),
            "\"kitchen\""
        );
    }

    /// Every non-empty `modifiers` cell of shared/data/demo-menu.csv, verbatim.
    const DEMO_CELLS: [&str; 5] = [
        "Término: Jugoso +0 | A punto +0 | Bien cocido +0",
        "Extra: Queso +1500 | Longaniza +2000",
        "Acompañamiento: Ensalada chilena +0 | Arroz +0 | Papas fritas +1000",
        "Tamaño: Normal +0 | Catedral +2500",
        "Tipo: Sin gas +0 | Con gas +0",
    ];

    #[test]
    fn parses_every_demo_menu_cell() {
        for cell in DEMO_CELLS {
            let groups = parse_modifier_spec(cell).expect(cell);
            assert_eq!(groups.len(), 1);
            assert_eq!(
                format_modifier_spec(&groups).expect("format"),
                cell,
                "round trip"
            );
        }
        let sides = &parse_modifier_spec(DEMO_CELLS[2]).expect("sides")[0];
        assert_eq!(sides.name, "Acompañamiento");
        assert_eq!(
            sides.options[0],
            ModifierOptionSpec {
                name: "Ensalada chilena".into(),
                price_delta: Clp(0)
            }
        );
        assert_eq!(sides.options[2].price_delta, Clp(1000));
        assert_eq!(sides.suggested_choices(), (1, 1));
        assert_eq!(
            parse_modifier_spec(DEMO_CELLS[1]).expect("extra")[0].suggested_choices(),
            (0, 2)
        );
        assert_eq!(parse_modifier_spec("").expect("empty"), vec![]);
    }

    #[test]
    fn parses_several_groups_and_rejects_junk() {
        let groups = parse_modifier_spec(
            " Tamaño: Normal +0 | Catedral +2500 ; Extra: Sin hielo -100|Pica Pica ;",
        )
        .expect("two groups");
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[1].options[0].price_delta, Clp(-100));
        assert_eq!(
            groups[1].options[1],
            ModifierOptionSpec {
                name: "Pica Pica".into(),
                price_delta: Clp(0)
            }
        );
        assert!(matches!(
            parse_modifier_spec("Normal +0"),
            Err(ModifierSpecError::MissingColon(_))
        ));
        assert_eq!(
            parse_modifier_spec(": A +0"),
            Err(ModifierSpecError::EmptyGroupName)
        );
        assert!(matches!(
            parse_modifier_spec("A: x +0 || y +0"),
            Err(ModifierSpecError::EmptyOption(_))
        ));
        assert!(matches!(
            parse_modifier_spec("A: +500"),
            Err(ModifierSpecError::EmptyOption(_))
        ));
        assert!(matches!(
            parse_modifier_spec("A: x +0; A: y +0"),
            Err(ModifierSpecError::DuplicateGroup(_))
        ));
        assert!(matches!(
            parse_modifier_spec("A: x +0 | x +1"),
            Err(ModifierSpecError::DuplicateOption { .. })
        ));
        assert!(matches!(
            parse_modifier_spec("A: x +99999999999999999999"),
            Err(ModifierSpecError::InvalidDelta(_))
        ));
        assert!(matches!(
            format_modifier_spec(&[ModifierGroupSpec {
                name: "A;B".into(),
                options: vec![]
            }]),
            Err(ModifierSpecError::UnwritableName(_))
        ));
    }

    fn spec_strategy() -> impl Strategy<Value = Vec<ModifierGroupSpec>> {
        let group_name = "[A-Za-zÁÉÍÓÚÑáéíóúñ0-9][A-Za-zÁÉÍÓÚÑáéíóúñ0-9 +-]{0,12}";
        let option_name = "[A-Za-zÁÉÍÓÚÑáéíóúñ0-9][A-Za-zÁÉÍÓÚÑáéíóúñ0-9 +:-]{0,12}";
        let option =
            (option_name, -5_000i64..=50_000).prop_map(|(name, delta)| ModifierOptionSpec {
                name: name.trim().to_owned(),
                price_delta: Clp(delta),
            });
        let group =
            (group_name, prop::collection::vec(option, 1..5)).prop_map(|(name, mut options)| {
                let mut seen = HashSet::new();
                options.retain(|o| seen.insert(o.name.clone()));
                ModifierGroupSpec {
                    name: name.trim().to_owned(),
                    options,
                }
            });
        prop::collection::vec(group, 0..4).prop_map(|mut groups| {
            let mut seen = HashSet::new();
            groups.retain(|g| seen.insert(g.name.clone()));
            groups
        })
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(groups in spec_strategy()) {
            let text = format_modifier_spec(&groups).expect("writable");
            prop_assert_eq!(parse_modifier_spec(&text).expect("parsable"), groups);
        }

        #[test]
        fn priced_line_is_base_plus_deltas_times_quantity(
            base in 0i64..100_000,
            deltas in prop::collection::vec(0i64..10_000, 1..6),
            pick in prop::collection::vec(any::<bool>(), 6),
            quantity in 1u32..=MAX_QUANTITY,
        ) {
            let options: Vec<ModifierOptionRule> = deltas.iter().map(|&d| option("o", d, true)).collect();
            let max = u8::try_from(options.len()).expect("small");
            let groups = vec![group("g", 0, max, options)];
            let chosen: Vec<ModifierOptionId> = groups[0].options.iter().zip(&pick)
                .filter(|(_, p)| **p).map(|(o, _)| o.id).collect();
            let expected_unit = base + groups[0].options.iter().zip(&pick)
                .filter(|(_, p)| **p).map(|(o, _)| o.price_delta.0).sum::<i64>();
            let line = price_line(Clp(base), &groups, &chosen, quantity).expect("priced");
            prop_assert_eq!(line.unit_price, Clp(expected_unit));
            prop_assert_eq!(line.line_total, Clp(expected_unit * i64::from(quantity)));
            prop_assert_eq!(line.modifiers.len(), chosen.len());
        }
    }
}
