//! The menu as a spreadsheet: export to CSV and import from CSV.
//!
//! Columns (as in the demo menu): `category, category_en, name, name_en, description,
//! description_en, price, station, tags, allergens, modifiers`, plus an optional
//! `available`. Tags and allergens are `;`-separated; modifiers use
//! [`dysa_domain::menu::parse_modifier_spec`]'s format.
//!
//! Import upserts: categories are matched by name and created when missing, items by
//! (category, name), and each item's modifier groups by content (name and options), so
//! exporting and importing again changes nothing. The whole file is checked first and
//! written in one transaction: one bad row refuses the file and nothing is written.
//!
//! Text cells are exported through [`quote_cell`] (a cell that a spreadsheet would run
//! as a formula gets a leading `'`) and imported through [`unquote_cell`], which takes
//! exactly that quote away: export → import stays a no-op. Prices are integers we write
//! ourselves (never negative: the menu refuses it), so they stay numbers.

use super::{MenuError, check_tags, clean_optional, clean_tags, name_key, other};
use crate::store::menu::{
    self as store, CategoryRecord, ItemRecord, ModifierGroupRecord, ModifierOption,
};
use crate::store::{Db, now_text};
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{CategoryId, ItemId, ModifierGroupId, ModifierOptionId};
use dysa_domain::menu::{
    ModifierGroupSpec, ModifierOptionSpec, ModifierSpecError, Station, format_modifier_spec,
    parse_modifier_spec, validate_groups,
};
use dysa_domain::money::Clp;
use dysa_domain::spreadsheet::{quote_cell, unquote_cell};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The columns of the menu CSV, in order.
pub const COLUMNS: [&str; 11] = [
    "category",
    "category_en",
    "name",
    "name_en",
    "description",
    "description_en",
    "price",
    "station",
    "tags",
    "allergens",
    "modifiers",
];

/// The optional column the export appends.
pub const AVAILABLE_COLUMN: &str = "available";

/// Columns a file must have.
const REQUIRED: [&str; 3] = ["category", "name", "price"];

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// Categories created (missing ones, matched by name).
    pub categories_created: usize,
    /// Items created.
    pub items_created: usize,
    /// Existing items whose fields changed.
    pub items_updated: usize,
    /// Existing items the file left as they were.
    pub items_unchanged: usize,
    /// Modifier groups created (groups equal in name and options are reused).
    pub modifier_groups_created: usize,
}

// ---------------------------------------------------------------- export

/// Writes every live item of every live category as CSV, in menu order, with the
/// `available` column appended.
pub async fn export(pool: &sqlx::SqlitePool) -> Result<String, MenuError> {
    let snapshot = store::snapshot(pool).await?;
    let groups: HashMap<ModifierGroupId, &ModifierGroupRecord> = snapshot
        .groups
        .iter()
        .filter(|g| g.deleted_at.is_none())
        .map(|g| (g.id, g))
        .collect();
    let mut by_category: HashMap<CategoryId, Vec<&ItemRecord>> = HashMap::new();
    for item in snapshot.items.iter().filter(|i| i.deleted_at.is_none()) {
        by_category.entry(item.category_id).or_default().push(item);
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let unwritable = |e: csv::Error| MenuError::UnreadableCsv(e.to_string());
    let mut header: Vec<&str> = COLUMNS.to_vec();
    header.push(AVAILABLE_COLUMN);
    writer.write_record(&header).map_err(unwritable)?;
    for category in snapshot
        .categories
        .iter()
        .filter(|c| c.deleted_at.is_none())
    {
        let mut items = by_category.remove(&category.id).unwrap_or_default();
        items.sort_by(|a, b| {
            (a.position, name_key(&a.name), a.id).cmp(&(b.position, name_key(&b.name), b.id))
        });
        for item in items {
            let specs: Vec<ModifierGroupSpec> = item
                .modifier_group_ids
                .iter()
                .filter_map(|id| groups.get(id))
                .map(|g| ModifierGroupSpec {
                    name: g.name.clone(),
                    options: g
                        .options
                        .iter()
                        .map(|o| ModifierOptionSpec {
                            name: o.name.clone(),
                            price_delta: o.price_delta,
                        })
                        .collect(),
                })
                .collect();
            let modifiers =
                format_modifier_spec(&specs).map_err(|error| MenuError::NotExportable {
                    item: item.name.clone(),
                    reason: error.to_string(),
                })?;
            let price = item.price.pesos().to_string();
            let tags = item.tags.join(";");
            let allergens = item.allergens.join(";");
            let available = if item.available { "true" } else { "false" };
            let text = |cell: &str| quote_cell(cell).into_owned();
            writer
                .write_record([
                    text(&category.name),
                    text(category.name_en.as_deref().unwrap_or("")),
                    text(&item.name),
                    text(item.name_en.as_deref().unwrap_or("")),
                    text(item.description.as_deref().unwrap_or("")),
                    text(item.description_en.as_deref().unwrap_or("")),
                    price,
                    item.station.as_str().to_owned(),
                    text(&tags),
                    text(&allergens),
                    text(&modifiers),
                    available.to_owned(),
                ])
                .map_err(unwritable)?;
        }
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| MenuError::UnreadableCsv(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| MenuError::UnreadableCsv(e.to_string()))
}

// ---------------------------------------------------------------- import: reading

/// One checked row of an import.
#[derive(Clone, Debug)]
struct Row {
    line: u64,
    category: String,
    category_en: Option<String>,
    name: String,
    name_en: Option<String>,
    description: Option<String>,
    description_en: Option<String>,
    price: Clp,
    station: Station,
    tags: Vec<String>,
    allergens: Vec<String>,
    groups: Vec<ModifierGroupSpec>,
    available: Option<bool>,
}

/// The text of the body: UTF-8 (a BOM is dropped), or Latin-1 as spreadsheets on
/// Windows still save it.
fn decode(body: &[u8]) -> String {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    match std::str::from_utf8(body) {
        Ok(text) => text.to_owned(),
        Err(_) => body.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Spreadsheets set to Spanish write `;` between cells; the header tells which.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.contains(';') && !header.contains(',') {
        b';'
    } else {
        b','
    }
}

/// A price cell: whole pesos, optionally written `$12.990`.
fn parse_price(cell: &str) -> Option<i64> {
    let text = cell.trim();
    let text = text.strip_prefix('$').unwrap_or(text).trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    // Thousands separated by dots: 1 to 3 digits, then groups of exactly 3.
    let mut groups = text.split('.');
    let first = groups.next()?;
    let grouped = !first.is_empty()
        && first.len() <= 3
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups
            .clone()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    if grouped {
        text.replace('.', "").parse().ok()
    } else {
        None
    }
}

fn parse_station(cell: &str) -> Option<Station> {
    match cell.trim().to_lowercase().as_str() {
        "" | "kitchen" | "cocina" => Some(Station::Kitchen),
        "bar" | "barra" => Some(Station::Bar),
        "dessert" | "postres" | "postre" => Some(Station::Dessert),
        _ => None,
    }
}

fn parse_available(cell: &str) -> Result<Option<bool>, ()> {
    match cell.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "true" | "1" | "yes" | "si" | "sí" | "disponible" => Ok(Some(true)),
        "false" | "0" | "no" | "agotado" => Ok(Some(false)),
        _ => Err(()),
    }
}

fn split_list(cell: &str) -> Vec<String> {
    clean_tags(cell.split(';').map(str::to_owned).collect())
}

/// A modifier-column problem in both languages.
fn spec_issue(error: &ModifierSpecError) -> FieldIssue {
    use ModifierSpecError as E;
    let (es, en) = match error {
        E::MissingColon(group) => (
            format!("el grupo \"{group}\" no tiene ':' después de su nombre"),
            format!("group \"{group}\" has no ':' after its name"),
        ),
        E::EmptyGroupName => (
            "un grupo no tiene nombre".to_owned(),
            "a group has no name".to_owned(),
        ),
        E::DuplicateGroup(group) => (
            format!("el grupo \"{group}\" aparece dos veces"),
            format!("group \"{group}\" appears twice"),
        ),
        E::EmptyOption(group) => (
            format!("el grupo \"{group}\" tiene una opción vacía"),
            format!("group \"{group}\" has an empty option"),
        ),
        E::DuplicateOption { group, option } => (
            format!("la opción \"{option}\" aparece dos veces en el grupo \"{group}\""),
            format!("option \"{option}\" appears twice in group \"{group}\""),
        ),
        E::InvalidDelta(price) => (
            format!("el precio \"{price}\" está fuera de rango"),
            format!("price \"{price}\" is out of range"),
        ),
        E::UnwritableName(name) => (
            format!("el nombre \"{name}\" no se puede escribir en esta columna"),
            format!("name \"{name}\" cannot be written in this column"),
        ),
    };
    FieldIssue::Other { es, en }
}

/// Reads and checks every row; all problems are reported at once, as `row N.column`
/// where N is the line of the file (the header is line 1).
fn read_rows(body: &[u8]) -> Result<Vec<Row>, MenuError> {
    let text = decode(body);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(&text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| MenuError::UnreadableCsv(e.to_string()))?
        .clone();
    let mut errors = FieldErrors::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, header) in headers.iter().enumerate() {
        let header = header.trim().to_lowercase();
        match COLUMNS
            .iter()
            .chain(std::iter::once(&AVAILABLE_COLUMN))
            .find(|c| **c == header)
        {
            Some(column) => {
                if index.insert(column, i).is_some() {
                    errors.add(
                        format!("header.{column}"),
                        other("la columna está repetida", "the column is repeated"),
                    );
                }
            }
            None => errors.add(
                format!("header.{header}"),
                other("columna desconocida", "unknown column"),
            ),
        }
    }
    for column in REQUIRED {
        errors.check(
            index.contains_key(column),
            &format!("header.{column}"),
            FieldIssue::Required,
        );
    }
    errors.clone().into_result()?;

    let mut rows = Vec::new();
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| MenuError::UnreadableCsv(e.to_string()))?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let at = |column: &str| format!("row {line}.{column}");
        if record.len() > headers.len() {
            errors.add(
                format!("row {line}"),
                FieldIssue::Other {
                    es: format!(
                        "tiene {} celdas y el encabezado {}",
                        record.len(),
                        headers.len()
                    ),
                    en: format!(
                        "has {} cells but the header has {}",
                        record.len(),
                        headers.len()
                    ),
                },
            );
            continue;
        }
        // Text cells lose the quote the export put before a would-be formula.
        let cell = |column: &str| {
            unquote_cell(
                index
                    .get(column)
                    .and_then(|&i| record.get(i))
                    .unwrap_or("")
                    .trim(),
            )
            .to_owned()
        };
        let category = cell("category");
        let category_en = clean_optional(Some(cell("category_en")));
        let name = cell("name");
        let name_en = clean_optional(Some(cell("name_en")));
        let description = clean_optional(Some(cell("description")));
        let description_en = clean_optional(Some(cell("description_en")));
        errors.text(&at("category"), &category, super::NAME_MAX);
        errors.optional_text(&at("category_en"), category_en.as_deref(), super::NAME_MAX);
        errors.text(&at("name"), &name, super::ITEM_NAME_MAX);
        errors.optional_text(&at("name_en"), name_en.as_deref(), super::ITEM_NAME_MAX);
        errors.optional_text(
            &at("description"),
            description.as_deref(),
            super::DESCRIPTION_MAX,
        );
        errors.optional_text(
            &at("description_en"),
            description_en.as_deref(),
            super::DESCRIPTION_MAX,
        );
        let price_cell = cell("price");
        let price = match parse_price(&price_cell) {
            Some(price) if (0..=super::MAX_PRICE).contains(&price) => Clp(price),
            Some(_) => {
                errors.add(
                    at("price"),
                    FieldIssue::OutOfRange {
                        min: 0,
                        max: super::MAX_PRICE,
                    },
                );
                Clp::ZERO
            }
            None if price_cell.is_empty() => {
                errors.add(at("price"), FieldIssue::Required);
                Clp::ZERO
            }
            None => {
                errors.add(
                    at("price"),
                    other(
                        "no es un precio en pesos (ej. 12990)",
                        "is not a price in pesos (e.g. 12990)",
                    ),
                );
                Clp::ZERO
            }
        };
        let station = parse_station(&cell("station")).unwrap_or_else(|| {
            errors.add(
                at("station"),
                other(
                    "debe ser kitchen, bar o dessert",
                    "must be kitchen, bar or dessert",
                ),
            );
            Station::Kitchen
        });
        let tags = split_list(&cell("tags"));
        check_tags(&mut errors, &at("tags"), &tags);
        let allergens = split_list(&cell("allergens"));
        check_tags(&mut errors, &at("allergens"), &allergens);
        let groups = match parse_modifier_spec(&cell("modifiers")) {
            Ok(groups) => {
                check_specs(&mut errors, &at("modifiers"), &groups);
                groups
            }
            Err(error) => {
                errors.add(at("modifiers"), spec_issue(&error));
                Vec::new()
            }
        };
        let available = parse_available(&cell(AVAILABLE_COLUMN)).unwrap_or_else(|()| {
            errors.add(
                at(AVAILABLE_COLUMN),
                other("debe ser true o false", "must be true or false"),
            );
            None
        });
        let key = (name_key(&category), name_key(&name));
        if !name.is_empty() {
            if let Some(first) = seen.get(&key) {
                errors.add(
                    at("name"),
                    FieldIssue::Other {
                        es: format!("repite el producto de la fila {first}"),
                        en: format!("repeats the item of row {first}"),
                    },
                );
            } else {
                seen.insert(key, line);
            }
        }
        rows.push(Row {
            line,
            category,
            category_en,
            name,
            name_en,
            description,
            description_en,
            price,
            station,
            tags,
            allergens,
            groups,
            available,
        });
    }
    errors.into_result()?;
    Ok(rows)
}

/// Checks parsed modifier groups against the menu editor's rules (name lengths, price
/// deltas), reporting the first problem on the cell.
fn check_specs(errors: &mut FieldErrors, field: &str, specs: &[ModifierGroupSpec]) {
    let rules: Vec<_> = specs
        .iter()
        .map(|spec| new_group(spec, Hlc::ZERO).rule())
        .collect();
    if let Err(bad) = validate_groups(&rules)
        && let Some((path, issue)) = bad.0.into_iter().next()
    {
        errors.add(
            field,
            FieldIssue::Other {
                es: format!("{path}: {}", issue.message(dysa_domain::validate::Lang::Es)),
                en: format!("{path}: {}", issue.message(dysa_domain::validate::Lang::En)),
            },
        );
    }
    let out_of_range = specs
        .iter()
        .flat_map(|g| &g.options)
        .any(|o| o.price_delta.pesos().abs() > super::MAX_PRICE_DELTA);
    if out_of_range {
        errors.add(
            field,
            FieldIssue::OutOfRange {
                min: -super::MAX_PRICE_DELTA,
                max: super::MAX_PRICE_DELTA,
            },
        );
    }
}

/// A new group from a CSV spec, with min/max from
/// [`ModifierGroupSpec::suggested_choices`].
fn new_group(spec: &ModifierGroupSpec, hlc: Hlc) -> ModifierGroupRecord {
    let (min_choices, max_choices) = spec.suggested_choices();
    ModifierGroupRecord {
        id: ModifierGroupId::new(),
        name: spec.name.trim().to_owned(),
        name_en: None,
        min_choices,
        max_choices,
        options: spec
            .options
            .iter()
            .map(|o| ModifierOption {
                id: ModifierOptionId::new(),
                name: o.name.trim().to_owned(),
                name_en: None,
                price_delta: o.price_delta,
                available: true,
            })
            .collect(),
        created_at: now_text(),
        updated_at: hlc,
        deleted_at: None,
    }
}

// ---------------------------------------------------------------- import: writing

/// What identifies a group for the import: its name and its options' names and deltas.
type GroupKey = (String, Vec<(String, i64)>);

fn spec_key(spec: &ModifierGroupSpec) -> GroupKey {
    (
        spec.name.trim().to_owned(),
        spec.options
            .iter()
            .map(|o| (o.name.trim().to_owned(), o.price_delta.pesos()))
            .collect(),
    )
}

fn record_key(group: &ModifierGroupRecord) -> GroupKey {
    (
        group.name.trim().to_owned(),
        group
            .options
            .iter()
            .map(|o| (o.name.trim().to_owned(), o.price_delta.pesos()))
            .collect(),
    )
}

/// Imports a menu CSV (see the module's description). Answers what was created and
/// updated; on any bad row, the row-by-row errors and nothing written.
pub async fn import(db: &Db, body: &[u8]) -> Result<ImportReport, MenuError> {
    let rows = read_rows(body)?;
    let mut report = ImportReport::default();
    let mut tx = db.begin().await?;

    let mut categories: HashMap<String, CategoryId> = store::list_categories(&mut *tx)
        .await?
        .into_iter()
        .rev() // the first in menu order wins a name clash
        .map(|c| (name_key(&c.name), c.id))
        .collect();
    let all_groups = store::list_groups(&mut *tx).await?;
    let group_keys: HashMap<ModifierGroupId, GroupKey> =
        all_groups.iter().map(|g| (g.id, record_key(g))).collect();
    let mut groups_by_key: HashMap<GroupKey, ModifierGroupId> = all_groups
        .iter()
        .rev() // the oldest group with the same content wins
        .map(|g| (record_key(g), g.id))
        .collect();
    let mut items: HashMap<(CategoryId, String), ItemRecord> =
        store::list_items(&mut *tx, &store::ItemFilter::default())
            .await?
            .into_iter()
            .rev()
            .map(|i| ((i.category_id, name_key(&i.name)), i))
            .collect();
    let mut next_item_position: HashMap<CategoryId, i64> = HashMap::new();
    let mut next_category_position = store::next_category_position(&mut tx).await?;

    for row in rows {
        let category_id = match categories.get(&name_key(&row.category)) {
            Some(id) => *id,
            None => {
                let record = CategoryRecord {
                    id: CategoryId::new(),
                    name: row.category.clone(),
                    name_en: row.category_en.clone(),
                    position: next_category_position,
                    active: true,
                    created_at: now_text(),
                    updated_at: db.tick(),
                    deleted_at: None,
                };
                next_category_position += 1;
                store::save_category(&mut tx, &record).await?;
                categories.insert(name_key(&record.name), record.id);
                next_item_position.insert(record.id, 0);
                report.categories_created += 1;
                record.id
            }
        };
        let existing = items.get(&(category_id, name_key(&row.name))).cloned();

        let mut group_ids = Vec::with_capacity(row.groups.len());
        for spec in &row.groups {
            let key = spec_key(spec);
            // Prefer the group the item already has, then any equal group.
            let attached = existing.as_ref().and_then(|item| {
                item.modifier_group_ids
                    .iter()
                    .find(|id| group_keys.get(id) == Some(&key))
                    .copied()
            });
            let id = match attached.or_else(|| groups_by_key.get(&key).copied()) {
                Some(id) => id,
                None => {
                    let record = new_group(spec, db.tick());
                    store::save_group(&mut tx, &record).await?;
                    groups_by_key.insert(key, record.id);
                    report.modifier_groups_created += 1;
                    record.id
                }
            };
            group_ids.push(id);
        }

        match existing {
            Some(before) => {
                let mut record = before.clone();
                record.name = row.name;
                record.name_en = row.name_en;
                record.description = row.description;
                record.description_en = row.description_en;
                record.price = row.price;
                record.station = row.station;
                record.tags = row.tags;
                record.allergens = row.allergens;
                record.modifier_group_ids = group_ids;
                if let Some(available) = row.available {
                    record.available = available;
                }
                if record == before {
                    report.items_unchanged += 1;
                } else {
                    record.updated_at = db.tick();
                    store::save_item(&mut tx, &record).await?;
                    report.items_updated += 1;
                    items.insert((category_id, name_key(&record.name)), record);
                }
            }
            None => {
                let position = match next_item_position.get(&category_id) {
                    Some(position) => *position,
                    None => store::next_item_position(&mut tx, category_id).await?,
                };
                next_item_position.insert(category_id, position + 1);
                let record = ItemRecord {
                    id: ItemId::new(),
                    category_id,
                    name: row.name,
                    name_en: row.name_en,
                    description: row.description,
                    description_en: row.description_en,
                    price: row.price,
                    station: row.station,
                    tags: row.tags,
                    allergens: row.allergens,
                    modifier_group_ids: group_ids,
                    available: row.available.unwrap_or(true),
                    position,
                    created_at: now_text(),
                    updated_at: db.tick(),
                    ..ItemRecord::default()
                };
                store::save_item(&mut tx, &record).await?;
                tracing::debug!(line = row.line, item = %record.id, "imported menu item");
                items.insert((category_id, name_key(&record.name)), record);
                report.items_created += 1;
            }
        }
    }
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_in_pesos_with_or_without_dots() {
        assert_eq!(parse_price("12990"), Some(12_990));
        assert_eq!(parse_price(" $12.990 "), Some(12_990));
        assert_eq!(parse_price("1.234.567"), Some(1_234_567));
        assert_eq!(parse_price("0"), Some(0));
        assert_eq!(parse_price("12.99"), None);
        assert_eq!(parse_price("12,990"), None);
        assert_eq!(parse_price("-500"), None);
        assert_eq!(parse_price("abc"), None);
        assert_eq!(parse_price(""), None);
    }

    #[test]
    fn reads_latin1_and_semicolon_files() {
        assert_eq!(decode(b"\xEF\xBB\xBFa"), "a");
        assert_eq!(decode(b"Pur\xE9"), "Puré");
        assert_eq!(delimiter("category;name;price\n"), b';');
        assert_eq!(delimiter("category,name,price\n"), b',');
    }
}
