//! Menu operations: what the menu editor may change and how, on top of `store::menu`.
//!
//! Handlers call these; every write runs in one transaction that also writes the outbox
//! rows, and a request that changes nothing writes nothing. The menu tree diners and the
//! assistant read is assembled here, and the CSV import/export lives in [`csv_io`].

pub mod csv_io;
mod groups;
mod items;
mod tree;

pub use groups::{
    ModifierGroupChanges, NewModifierGroup, OptionInput, create_group, delete_group, update_group,
};
pub use items::{ItemChanges, NewItem, create_item, delete_item, set_photo, update_item};

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
