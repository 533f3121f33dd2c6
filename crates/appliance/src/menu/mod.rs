//! Menu operations: what the menu editor may change and how, on top of `store::menu`.
//!
//! Handlers call these; every write runs in one transaction that also writes the outbox
//! rows, and a request that changes nothing writes nothing. The menu tree diners and the
//! assistant read is assembled here, and the CSV import/export lives in [`csv_io`].

pub mod csv_io;
mod tree;

pub use tree::{ItemView, MenuTree, TreeCategory, TreeItem, TreeModifierGroup, build_tree, tree};

use crate::audit::Actor;
use crate::store::menu::{
    self as store, CategoryRecord, ItemRecord, ModifierGroupRecord, ModifierOption,
};
use crate::store::{Db, StoreError, WriteTx, audit, now_text};
use dysa_domain::audit::AuditAction;
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{CategoryId, ItemId, ModifierGroupId, ModifierOptionId};
use dysa_domain::menu::{Station, validate_groups};
use dysa_domain::money::Clp;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::HashSet;

/// The highest price an item may have (ten million pesos): more is a typo.
pub const MAX_PRICE: i64 = 10_000_000;
/// The largest price change one modifier option may make, either way.
pub const MAX_PRICE_DELTA: i64 = 10_000_000;
/// Longest item name.
pub const ITEM_NAME_MAX: usize = 120;
/// Longest category or modifier name.
pub const NAME_MAX: usize = 80;
/// Longest description.
pub const DESCRIPTION_MAX: usize = 1000;
/// Longest tag or allergen.
pub const TAG_MAX: usize = 40;
/// Most tags (or allergens) per item.
pub const TAGS_MAX: usize = 20;

/// Which kind of menu record was not found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MenuThing {
    /// A category.
    Category,
    /// An item.
    Item,
    /// A modifier group.
    ModifierGroup,
}

impl MenuThing {
    /// Its name in Spanish and English, with article, for messages.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            MenuThing::Category => ("La categoría", "The category"),
            MenuThing::Item => ("El producto", "The item"),
            MenuThing::ModifierGroup => ("El grupo de modificadores", "The modifier group"),
        }
    }
}

/// Why a menu operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum MenuError {
    /// The input is invalid, field by field.
    #[error("invalid menu input")]
    Invalid(FieldErrors),
    /// No such live record.
    #[error("{0:?} not found")]
    NotFound(MenuThing),
    /// Another live category has that name.
    #[error("category name in use")]
    CategoryNameTaken {
        /// The existing category.
        existing: CategoryId,
    },
    /// Another live item of the category has that name.
    #[error("item name in use in its category")]
    ItemNameTaken {
        /// The existing item.
        existing: ItemId,
    },
    /// The category still has live items.
    #[error("category has items")]
    CategoryInUse {
        /// Its live items.
        items: Vec<ItemId>,
    },
    /// Live items still use the modifier group.
    #[error("modifier group in use")]
    GroupInUse {
        /// The items using it.
        items: Vec<ItemId>,
    },
    /// The menu holds something the CSV format cannot write.
    #[error("item {item} cannot be exported: {reason}")]
    NotExportable {
        /// The item's name.
        item: String,
        /// Why (English).
        reason: String,
    },
    /// The body is not a CSV we can read (not text, no header).
    #[error("unreadable CSV: {0}")]
    UnreadableCsv(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for MenuError {
    fn from(error: sqlx::Error) -> Self {
        MenuError::Store(StoreError::Sqlx(error))
    }
}

impl From<FieldErrors> for MenuError {
    fn from(fields: FieldErrors) -> Self {
        MenuError::Invalid(fields)
    }
}

/// Deserializes a field that may be absent (outer None: keep), null (Some(None): clear)
/// or a value (Some(Some(v))). Use with `#[serde(default, deserialize_with = "nullable")]`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

fn other(es: &str, en: &str) -> FieldIssue {
    FieldIssue::Other {
        es: es.to_owned(),
        en: en.to_owned(),
    }
}

/// Trims a name.
fn clean(text: &str) -> String {
    text.trim().to_owned()
}

/// Trims an optional text; blank means absent.
fn clean_optional(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Lower-cased, trimmed: how names are compared for uniqueness.
fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Trims tags, drops blanks and repeats, keeping the first spelling.
fn clean_tags(tags: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    tags.into_iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty() && seen.insert(t.to_lowercase()))
        .collect()
}

// ---------------------------------------------------------------- validation

fn check_tags(errors: &mut FieldErrors, field: &str, tags: &[String]) {
    if tags.len() > TAGS_MAX {
        errors.add(
            field,
            FieldIssue::OutOfRange {
                min: 0,
                max: TAGS_MAX as i64,
            },
        );
    }
    for (i, tag) in tags.iter().enumerate() {
        let at = format!("{field}[{i}]");
        errors.text(&at, tag, TAG_MAX);
        errors.check(
            !tag.contains([';', ',', '|']),
            &at,
            other("no puede contener ; , |", "may not contain ; , |"),
        );
    }
}

fn check_price(errors: &mut FieldErrors, field: &str, price: Clp) {
    errors.check(
        (0..=MAX_PRICE).contains(&price.pesos()),
        field,
        FieldIssue::OutOfRange {
            min: 0,
            max: MAX_PRICE,
        },
    );
}

/// Checks a category as it would be saved.
pub fn validate_category(record: &CategoryRecord) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.text("name", &record.name, NAME_MAX);
    errors.optional_text("name_en", record.name_en.as_deref(), NAME_MAX);
    errors
}

/// Checks an item's own fields as it would be saved (its category and groups are checked
/// against the database separately).
pub fn validate_item(record: &ItemRecord) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.text("name", &record.name, ITEM_NAME_MAX);
    errors.optional_text("name_en", record.name_en.as_deref(), ITEM_NAME_MAX);
    errors.optional_text(
        "description",
        record.description.as_deref(),
        DESCRIPTION_MAX,
    );
    errors.optional_text(
        "description_en",
        record.description_en.as_deref(),
        DESCRIPTION_MAX,
    );
    check_price(&mut errors, "price", record.price);
    check_tags(&mut errors, "tags", &record.tags);
    check_tags(&mut errors, "allergens", &record.allergens);
    let mut seen = HashSet::new();
    for (i, id) in record.modifier_group_ids.iter().enumerate() {
        errors.check(
            seen.insert(*id),
            &format!("modifier_group_ids[{i}]"),
            other("está repetido", "is repeated"),
        );
    }
    errors
}

/// Checks a modifier group as it would be saved: the domain rules
/// ([`validate_groups`]) with field paths relative to the group, plus what the menu
/// editor needs (at least one option, English names, price deltas in range).
pub fn validate_group(record: &ModifierGroupRecord) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if let Err(domain) = validate_groups(&[record.rule()]) {
        for (field, issue) in domain.0 {
            let field = field
                .strip_prefix("groups[0].")
                .map(str::to_owned)
                .unwrap_or(field);
            errors.add(field, issue);
        }
    }
    errors.optional_text("name_en", record.name_en.as_deref(), NAME_MAX);
    errors.check(!record.options.is_empty(), "options", FieldIssue::Required);
    let mut ids = HashSet::new();
    for (o, option) in record.options.iter().enumerate() {
        errors.optional_text(
            &format!("options[{o}].name_en"),
            option.name_en.as_deref(),
            NAME_MAX,
        );
        errors.check(
            option.price_delta.pesos().abs() <= MAX_PRICE_DELTA,
            &format!("options[{o}].price_delta"),
            FieldIssue::OutOfRange {
                min: -MAX_PRICE_DELTA,
                max: MAX_PRICE_DELTA,
            },
        );
        errors.check(
            ids.insert(option.id),
            &format!("options[{o}].id"),
            other("está repetido", "is repeated"),
        );
    }
    errors
}

// ---------------------------------------------------------------- categories

/// A new category.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCategory {
    /// Spanish name (1–80 characters, unique among categories).
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Sort order; after the last category when absent.
    #[serde(default)]
    pub position: Option<i64>,
    /// Shown to diners (default true).
    #[serde(default)]
    pub active: Option<bool>,
}

/// Changes to a category; absent fields stay, `null` clears an optional one.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryChanges {
    /// New Spanish name.
    #[serde(default)]
    pub name: Option<String>,
    /// New English name, or null to clear it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub name_en: Option<Option<String>>,
    /// New sort order.
    #[serde(default)]
    pub position: Option<i64>,
    /// Show (true) or hide (false) the category and its items.
    #[serde(default)]
    pub active: Option<bool>,
}

async fn check_category_name(tx: &mut WriteTx, record: &CategoryRecord) -> Result<(), MenuError> {
    let key = name_key(&record.name);
    let taken = store::list_categories(&mut **tx)
        .await?
        .into_iter()
        .find(|c| c.id != record.id && name_key(&c.name) == key);
    match taken {
        Some(existing) => Err(MenuError::CategoryNameTaken {
            existing: existing.id,
        }),
        None => Ok(()),
    }
}

/// Creates a category.
pub async fn create_category(db: &Db, input: NewCategory) -> Result<CategoryRecord, MenuError> {
    let mut record = CategoryRecord {
        id: CategoryId::new(),
        name: clean(&input.name),
        name_en: clean_optional(input.name_en),
        position: input.position.unwrap_or(0),
        active: input.active.unwrap_or(true),
        created_at: now_text(),
        updated_at: Hlc::ZERO,
        deleted_at: None,
    };
    validate_category(&record).into_result()?;
    let mut tx = db.begin().await?;
    check_category_name(&mut tx, &record).await?;
    if input.position.is_none() {
        record.position = store::next_category_position(&mut tx).await?;
    }
    record.updated_at = db.tick();
    store::save_category(&mut tx, &record).await?;
    tx.commit().await?;
    // Orders price from the cached menu; the next one must see this change.
    db.menu_cache.invalidate();
    Ok(record)
}

/// Changes a category. Answers the category as it now is (unchanged when the request
/// changed nothing, in which case nothing is written).
pub async fn update_category(
    db: &Db,
    id: CategoryId,
    changes: CategoryChanges,
) -> Result<CategoryRecord, MenuError> {
    let mut tx = db.begin().await?;
    let before = store::find_category(&mut *tx, id)
        .await?
        .ok_or(MenuError::NotFound(MenuThing::Category))?;
    let mut record = before.clone();
    if let Some(name) = changes.name {
        record.name = clean(&name);
    }
    if let Some(name_en) = changes.name_en {
        record.name_en = clean_optional(name_en);
    }
    if let Some(position) = changes.position {
        record.position = position;
    }
    if let Some(active) = changes.active {
        record.active = active;
    }
    validate_category(&record).into_result()?;
    if record == before {
        return Ok(before);
    }
    check_category_name(&mut tx, &record).await?;
    record.updated_at = db.tick();
    store::save_category(&mut tx, &record).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}

/// Tombstones a category; refused while live items belong to it.
pub async fn delete_category(db: &Db, id: CategoryId) -> Result<CategoryRecord, MenuError> {
    let mut tx = db.begin().await?;
    let mut record = store::find_category(&mut *tx, id)
        .await?
        .ok_or(MenuError::NotFound(MenuThing::Category))?;
    let items = store::live_items_in_category(&mut *tx, id).await?;
    if !items.is_empty() {
        return Err(MenuError::CategoryInUse { items });
    }
    let hlc = db.tick();
    record.updated_at = hlc;
    record.deleted_at = Some(hlc);
    store::save_category(&mut tx, &record).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}

// ---------------------------------------------------------------- items

/// A new menu item.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    /// Its category (must exist).
    pub category_id: CategoryId,
    /// Spanish name (1–120 characters, unique in its category).
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Spanish description.
    #[serde(default)]
    pub description: Option<String>,
    /// English description.
    #[serde(default)]
    pub description_en: Option<String>,
    /// Price in pesos, IVA included (0–10.000.000).
    pub price: Clp,
    /// Where it is prepared (default kitchen).
    #[serde(default)]
    pub station: Option<Station>,
    /// Tags (`vegan`, `gluten_free`).
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Allergens (`milk`, `gluten`).
    #[serde(default)]
    pub allergens: Option<Vec<String>>,
    /// Its modifier groups, in order (each must exist).
    #[serde(default)]
    pub modifier_group_ids: Option<Vec<ModifierGroupId>>,
    /// Orderable (default true); false means sold out.
    #[serde(default)]
    pub available: Option<bool>,
    /// Sort order in its category; after the last item when absent.
    #[serde(default)]
    pub position: Option<i64>,
}

/// Changes to an item; absent fields stay, `null` clears an optional text.
/// `{"available": false}` marks it sold out.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemChanges {
    /// Move it to another category (at its end unless `position` is given).
    #[serde(default)]
    pub category_id: Option<CategoryId>,
    /// New Spanish name.
    #[serde(default)]
    pub name: Option<String>,
    /// New English name, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub name_en: Option<Option<String>>,
    /// New description, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// New English description, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description_en: Option<Option<String>>,
    /// New price in pesos.
    #[serde(default)]
    pub price: Option<Clp>,
    /// New station.
    #[serde(default)]
    pub station: Option<Station>,
    /// New tags (replace the old ones).
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// New allergens (replace the old ones).
    #[serde(default)]
    pub allergens: Option<Vec<String>>,
    /// New modifier groups, in order (replace the old ones).
    #[serde(default)]
    pub modifier_group_ids: Option<Vec<ModifierGroupId>>,
    /// Available (true) or sold out (false).
    #[serde(default)]
    pub available: Option<bool>,
    /// New sort order in its category.
    #[serde(default)]
    pub position: Option<i64>,
}

/// Checks what an item refers to: a live category, live modifier groups, and a name not
/// used by another live item of the category.
async fn check_item_refs(
    tx: &mut WriteTx,
    record: &ItemRecord,
    check_category: bool,
    check_groups: bool,
) -> Result<(), MenuError> {
    let mut errors = FieldErrors::new();
    if check_category
        && store::find_category(&mut **tx, record.category_id)
            .await?
            .is_none()
    {
        errors.add(
            "category_id",
            other("la categoría no existe", "the category does not exist"),
        );
    }
    if check_groups && !record.modifier_group_ids.is_empty() {
        let live: HashSet<ModifierGroupId> =
            store::live_group_ids(&mut **tx, &record.modifier_group_ids)
                .await?
                .into_iter()
                .collect();
        for (i, id) in record.modifier_group_ids.iter().enumerate() {
            errors.check(
                live.contains(id),
                &format!("modifier_group_ids[{i}]"),
                other(
                    "el grupo de modificadores no existe",
                    "the modifier group does not exist",
                ),
            );
        }
    }
    errors.into_result()?;
    let key = name_key(&record.name);
    let filter = store::ItemFilter {
        category_id: Some(record.category_id),
        ..store::ItemFilter::default()
    };
    let taken = store::list_items(&mut **tx, &filter)
        .await?
        .into_iter()
        .find(|i| i.id != record.id && name_key(&i.name) == key);
    match taken {
        Some(existing) => Err(MenuError::ItemNameTaken {
            existing: existing.id,
        }),
        None => Ok(()),
    }
}

/// Creates an item.
pub async fn create_item(db: &Db, actor: &Actor, input: NewItem) -> Result<ItemRecord, MenuError> {
    let mut record = ItemRecord {
        id: ItemId::new(),
        category_id: input.category_id,
        name: clean(&input.name),
        name_en: clean_optional(input.name_en),
        description: clean_optional(input.description),
        description_en: clean_optional(input.description_en),
        price: input.price,
        station: input.station.unwrap_or(Station::Kitchen),
        tags: clean_tags(input.tags.unwrap_or_default()),
        allergens: clean_tags(input.allergens.unwrap_or_default()),
        modifier_group_ids: input.modifier_group_ids.unwrap_or_default(),
        available: input.available.unwrap_or(true),
        position: input.position.unwrap_or(0),
        created_at: now_text(),
        updated_at: Hlc::ZERO,
        ..ItemRecord::default()
    };
    validate_item(&record).into_result()?;
    let mut tx = db.begin().await?;
    check_item_refs(&mut tx, &record, true, true).await?;
    if input.position.is_none() {
        record.position = store::next_item_position(&mut tx, record.category_id).await?;
    }
    record.updated_at = db.tick();
    store::save_item(&mut tx, &record).await?;
    let (_, after) = item_diff(None, &record)?;
    let event = actor.event(
        AuditAction::ItemCreated,
        "item",
        Some(record.id.to_string()),
        None,
        Some(after),
    );
    audit::record(&mut tx, &event, db.tick()).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}

/// An item's fields for the audit log: the ones that changed since `before` (all of
/// them for a new item), each side with the item's name so a reader knows which it was.
fn item_diff(before: Option<&ItemRecord>, after: &ItemRecord) -> Result<(Value, Value), MenuError> {
    let to_map = |record: &ItemRecord| -> Result<serde_json::Map<String, Value>, MenuError> {
        match serde_json::to_value(record).map_err(StoreError::from)? {
            Value::Object(mut map) => {
                map.retain(|k, _| !matches!(k.as_str(), "updated_at" | "deleted_at" | "id"));
                Ok(map)
            }
            _ => Ok(serde_json::Map::new()),
        }
    };
    let now = to_map(after)?;
    let Some(before) = before else {
        return Ok((Value::Null, Value::Object(now)));
    };
    let was = to_map(before)?;
    let mut old = serde_json::Map::new();
    let mut new = serde_json::Map::new();
    for (field, value) in &now {
        if was.get(field) != Some(value) || field == "name" {
            old.insert(field.clone(), was.get(field).cloned().unwrap_or_default());
            new.insert(field.clone(), value.clone());
        }
    }
    Ok((Value::Object(old), Value::Object(new)))
}

/// Changes an item (unchanged requests write nothing).
pub async fn update_item(
    db: &Db,
    actor: &Actor,
    id: ItemId,
    changes: ItemChanges,
) -> Result<ItemRecord, MenuError> {
    let mut tx = db.begin().await?;
    let before = store::find_item(&mut *tx, id)
        .await?
        .ok_or(MenuError::NotFound(MenuThing::Item))?;
    let mut record = before.clone();
    if let Some(category_id) = changes.category_id {
        record.category_id = category_id;
    }
    if let Some(name) = changes.name {
        record.name = clean(&name);
    }
    if let Some(name_en) = changes.name_en {
        record.name_en = clean_optional(name_en);
    }
    if let Some(description) = changes.description {
        record.description = clean_optional(description);
    }
    if let Some(description_en) = changes.description_en {
        record.description_en = clean_optional(description_en);
    }
    if let Some(price) = changes.price {
        record.price = price;
    }
    if let Some(station) = changes.station {
        record.station = station;
    }
    if let Some(tags) = changes.tags {
        record.tags = clean_tags(tags);
    }
    if let Some(allergens) = changes.allergens {
        record.allergens = clean_tags(allergens);
    }
    if let Some(groups) = changes.modifier_group_ids {
        record.modifier_group_ids = groups;
    }
    if let Some(available) = changes.available {
        record.available = available;
    }
    if let Some(position) = changes.position {
        record.position = position;
    }
    validate_item(&record).into_result()?;
    if record == before {
        return Ok(before);
    }
    let moved = record.category_id != before.category_id;
    check_item_refs(
        &mut tx,
        &record,
        moved,
        record.modifier_group_ids != before.modifier_group_ids,
    )
    .await?;
    if moved && changes.position.is_none() {
        record.position = store::next_item_position(&mut tx, record.category_id).await?;
    }
    record.updated_at = db.tick();
    store::save_item(&mut tx, &record).await?;
    let (was, now) = item_diff(Some(&before), &record)?;
    let event = actor.event(
        AuditAction::ItemUpdated,
        "item",
        Some(record.id.to_string()),
        Some(was),
        Some(now),
    );
    audit::record(&mut tx, &event, db.tick()).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}

/// Tombstones an item. Past order lines keep pointing at it.
pub async fn delete_item(db: &Db, actor: &Actor, id: ItemId) -> Result<ItemRecord, MenuError> {
    let mut tx = db.begin().await?;
    let mut record = store::find_item(&mut *tx, id)
        .await?
        .ok_or(MenuError::NotFound(MenuThing::Item))?;
    let hlc = db.tick();
    record.updated_at = hlc;
    record.deleted_at = Some(hlc);
    store::save_item(&mut tx, &record).await?;
    let event = actor.event(
        AuditAction::ItemDeleted,
        "item",
        Some(record.id.to_string()),
        Some(serde_json::json!({ "name": record.name, "price": record.price })),
        None,
    );
    audit::record(&mut tx, &event, db.tick()).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}

// ---------------------------------------------------------------- modifier groups

/// One option of a modifier group as the editor sends it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionInput {
    /// The option's id when editing an existing option (it keeps its id); absent for a
    /// new option.
    #[serde(default)]
    pub id: Option<ModifierOptionId>,
    /// Spanish name (unique in the group; no `;` or `|`).
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Added to the item's price (may be negative).
    pub price_delta: Clp,
    /// Can be chosen (default true).
    #[serde(default)]
    pub available: Option<bool>,
}

/// A new modifier group.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewModifierGroup {
    /// Spanish name (no `:`, `;` or `|`).
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// At least this many options must be chosen.
    pub min_choices: u8,
    /// At most this many options may be chosen (1+, not below `min_choices`).
    pub max_choices: u8,
    /// The options, in order (at least one).
    pub options: Vec<OptionInput>,
}

/// Changes to a modifier group; absent fields stay. `options`, when given, is the whole
/// new list: options sent with their id keep it, new ones get new ids, missing ones are
/// removed.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModifierGroupChanges {
    /// New Spanish name.
    #[serde(default)]
    pub name: Option<String>,
    /// New English name, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub name_en: Option<Option<String>>,
    /// New minimum.
    #[serde(default)]
    pub min_choices: Option<u8>,
    /// New maximum.
    #[serde(default)]
    pub max_choices: Option<u8>,
    /// The new list of options.
    #[serde(default)]
    pub options: Option<Vec<OptionInput>>,
}

/// Turns the editor's options into stored ones: a sent id must be one of the group's
/// current options (it keeps it), no id makes a new option.
fn build_options(
    inputs: Vec<OptionInput>,
    current: &[ModifierOption],
) -> Result<Vec<ModifierOption>, FieldErrors> {
    let known: HashSet<ModifierOptionId> = current.iter().map(|o| o.id).collect();
    let mut errors = FieldErrors::new();
    let options = inputs
        .into_iter()
        .enumerate()
        .map(|(o, input)| {
            let id = match input.id {
                Some(id) => {
                    errors.check(
                        known.contains(&id),
                        &format!("options[{o}].id"),
                        other(
                            "no es una opción de este grupo",
                            "is not an option of this group",
                        ),
                    );
                    id
                }
                None => ModifierOptionId::new(),
            };
            ModifierOption {
                id,
                name: clean(&input.name),
                name_en: clean_optional(input.name_en),
                price_delta: input.price_delta,
                available: input.available.unwrap_or(true),
            }
        })
        .collect();
    errors.into_result().map(|()| options)
}

/// Creates a modifier group.
pub async fn create_group(
    db: &Db,
    input: NewModifierGroup,
) -> Result<ModifierGroupRecord, MenuError> {
    let options = build_options(input.options, &[]);
    let mut record = ModifierGroupRecord {
        id: ModifierGroupId::new(),
        name: clean(&input.name),
        name_en: clean_optional(input.name_en),
        min_choices: input.min_choices,
        max_choices: input.max_choices,
        options: Vec::new(),
        created_at: now_text(),
        updated_at: Hlc::ZERO,
        deleted_at: None,
    };
    let mut errors = match options {
        Ok(options) => {
            record.options = options;
            FieldErrors::new()
        }
        Err(errors) => errors,
    };
    for (field, issue) in validate_group(&record).0 {
        errors.add(field, issue);
    }
    errors.into_result()?;
    let mut tx = db.begin().await?;
    record.updated_at = db.tick();
    store::save_group(&mut tx, &record).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}

/// Changes a modifier group (unchanged requests write nothing).
pub async fn update_group(
    db: &Db,
    id: ModifierGroupId,
    changes: ModifierGroupChanges,
) -> Result<ModifierGroupRecord, MenuError> {
    let mut tx = db.begin().await?;
    let before = store::find_group(&mut *tx, id)
        .await?
        .ok_or(MenuError::NotFound(MenuThing::ModifierGroup))?;
    let mut record = before.clone();
    let mut errors = FieldErrors::new();
    if let Some(name) = changes.name {
        record.name = clean(&name);
    }
    if let Some(name_en) = changes.name_en {
        record.name_en = clean_optional(name_en);
    }
    if let Some(min) = changes.min_choices {
        record.min_choices = min;
    }
    if let Some(max) = changes.max_choices {
        record.max_choices = max;
    }
    if let Some(options) = changes.options {
        match build_options(options, &before.options) {
            Ok(options) => record.options = options,
            Err(bad) => errors = bad,
        }
    }
    for (field, issue) in validate_group(&record).0 {
        errors.add(field, issue);
    }
    errors.into_result()?;
    if record == before {
        return Ok(before);
    }
    record.updated_at = db.tick();
    store::save_group(&mut tx, &record).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}

/// Tombstones a modifier group; refused while live items use it.
pub async fn delete_group(db: &Db, id: ModifierGroupId) -> Result<ModifierGroupRecord, MenuError> {
    let mut tx = db.begin().await?;
    let mut record = store::find_group(&mut *tx, id)
        .await?
        .ok_or(MenuError::NotFound(MenuThing::ModifierGroup))?;
    let items = store::items_using_group(&mut *tx, id).await?;
    if !items.is_empty() {
        return Err(MenuError::GroupInUse { items });
    }
    let hlc = db.tick();
    record.updated_at = hlc;
    record.deleted_at = Some(hlc);
    store::save_group(&mut tx, &record).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}

// ---------------------------------------------------------------- reorder

/// New orders for items and/or categories: each list gives ids in their new order.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reorder {
    /// Item ids in order: the first gets position 0, the next 1, …
    #[serde(default)]
    pub items: Option<Vec<ItemId>>,
    /// Category ids in order.
    #[serde(default)]
    pub categories: Option<Vec<CategoryId>>,
}

/// How many rows a reorder moved.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReorderOutcome {
    /// Categories whose position changed.
    pub categories_moved: usize,
    /// Items whose position changed.
    pub items_moved: usize,
}

fn repeated<T: Eq + std::hash::Hash + Copy>(errors: &mut FieldErrors, field: &str, ids: &[T]) {
    let mut seen = HashSet::new();
    for (i, id) in ids.iter().enumerate() {
        errors.check(
            seen.insert(*id),
            &format!("{field}[{i}]"),
            other("está repetido", "is repeated"),
        );
    }
}

/// Sets positions from the given orders, in one transaction; only rows whose position
/// changes are written. Unknown or repeated ids refuse the whole request.
pub async fn reorder(db: &Db, input: Reorder) -> Result<ReorderOutcome, MenuError> {
    let items = input.items.unwrap_or_default();
    let categories = input.categories.unwrap_or_default();
    let mut errors = FieldErrors::new();
    repeated(&mut errors, "items", &items);
    repeated(&mut errors, "categories", &categories);
    errors.clone().into_result()?;
    let mut tx = db.begin().await?;
    let mut item_records = Vec::with_capacity(items.len());
    for (i, id) in items.iter().enumerate() {
        match store::find_item(&mut *tx, *id).await? {
            Some(record) => item_records.push(record),
            None => errors.add(
                format!("items[{i}]"),
                other("el producto no existe", "the item does not exist"),
            ),
        }
    }
    let mut category_records = Vec::with_capacity(categories.len());
    for (i, id) in categories.iter().enumerate() {
        match store::find_category(&mut *tx, *id).await? {
            Some(record) => category_records.push(record),
            None => errors.add(
                format!("categories[{i}]"),
                other("la categoría no existe", "the category does not exist"),
            ),
        }
    }
    errors.into_result()?;
    let mut outcome = ReorderOutcome::default();
    for (position, mut record) in (0_i64..).zip(category_records) {
        if record.position != position {
            record.position = position;
            record.updated_at = db.tick();
            store::save_category(&mut tx, &record).await?;
            outcome.categories_moved += 1;
        }
    }
    for (position, mut record) in (0_i64..).zip(item_records) {
        if record.position != position {
            record.position = position;
            record.updated_at = db.tick();
            store::save_item(&mut tx, &record).await?;
            outcome.items_moved += 1;
        }
    }
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(outcome)
}
