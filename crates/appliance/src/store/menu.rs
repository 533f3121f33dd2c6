//! The menu: categories, modifier groups (their options inline as JSON) and items.
//!
//! All three are synced: every write here stamps `updated_at` with the HLC the caller
//! passes and writes its outbox row in the caller's transaction. Deletes are tombstones
//! (`deleted_at`); reads of "live" rows leave tombstones out.
//!
//! Orders price from an in-memory copy ([`super::cache::PricingCache`]): whoever commits a
//! write made here calls `db.menu_cache.invalidate()` after the commit.

use super::{StoreError, StoreResult, rows};
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{CategoryId, ItemId, ModifierGroupId, ModifierOptionId};
use dysa_domain::menu::{
    LineError, ModifierGroupRule, ModifierOptionRule, PricedLine, Station, price_line,
};
use dysa_domain::money::Clp;
use serde::Deserialize;
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

pub use dysa_domain::sync::rows::{
    Category as CategoryRecord, Item as ItemRecord, ModifierGroup as ModifierGroupRecord,
    ModifierOption,
};

fn corrupt(table: &'static str) -> impl Fn(String) -> StoreError {
    move |detail| StoreError::Corrupt { table, detail }
}

fn parse_id<T: std::str::FromStr<Err = uuid::Error>>(
    table: &'static str,
    text: &str,
) -> StoreResult<T> {
    text.parse()
        .map_err(|e: uuid::Error| corrupt(table)(e.to_string()))
}

fn parse_json<T: serde::de::DeserializeOwned>(table: &'static str, text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| corrupt(table)(e.to_string()))
}

fn category_select() -> String {
    rows::json_columns::<CategoryRecord>("c")
}

fn group_select() -> String {
    rows::json_columns::<ModifierGroupRecord>("g")
}

fn item_select() -> String {
    rows::json_columns::<ItemRecord>("i")
}

// ---------------------------------------------------------------- categories

/// A live category by id.
pub async fn find_category<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    id: CategoryId,
) -> StoreResult<Option<CategoryRecord>> {
    let cols = category_select();
    let row: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM menu_categories c WHERE id = ? AND deleted_at IS NULL"
    )))
    .bind(id.to_string())
    .fetch_optional(executor)
    .await?;
    row.as_deref().map(rows::decode).transpose()
}

/// Every live category, in menu order.
pub async fn list_categories<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
) -> StoreResult<Vec<CategoryRecord>> {
    let cols = category_select();
    let found: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM menu_categories c WHERE deleted_at IS NULL
         ORDER BY position, name COLLATE NOCASE, id"
    )))
    .fetch_all(executor)
    .await?;
    found.iter().map(|t| rows::decode(t)).collect()
}

/// The position after the last live category.
pub async fn next_category_position(conn: &mut SqliteConnection) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT coalesce(max(position) + 1, 0) FROM menu_categories WHERE deleted_at IS NULL",
    )
    .fetch_one(conn)
    .await?)
}

/// Writes a whole category (insert or replace) and its outbox row (`Op::Delete` when it
/// carries a tombstone). The caller stamped `record.updated_at`.
pub async fn save_category(
    conn: &mut SqliteConnection,
    record: &CategoryRecord,
) -> StoreResult<()> {
    let before = find_category(&mut *conn, record.id).await?;
    rows::save(conn, before.as_ref(), record).await
}

// ---------------------------------------------------------------- modifier groups

/// A live modifier group by id.
pub async fn find_group<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    id: ModifierGroupId,
) -> StoreResult<Option<ModifierGroupRecord>> {
    let cols = group_select();
    let row: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM menu_modifier_groups g WHERE id = ? AND deleted_at IS NULL"
    )))
    .bind(id.to_string())
    .fetch_optional(executor)
    .await?;
    row.as_deref().map(rows::decode).transpose()
}

/// Every live modifier group, by name.
pub async fn list_groups<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
) -> StoreResult<Vec<ModifierGroupRecord>> {
    let cols = group_select();
    let found: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM menu_modifier_groups g WHERE deleted_at IS NULL
         ORDER BY name COLLATE NOCASE, id"
    )))
    .fetch_all(executor)
    .await?;
    found.iter().map(|t| rows::decode(t)).collect()
}

/// Which of `ids` are live modifier groups.
pub async fn live_group_ids<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    ids: &[ModifierGroupId],
) -> StoreResult<Vec<ModifierGroupId>> {
    let ids_json = serde_json::to_string(ids)?;
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM menu_modifier_groups
         WHERE deleted_at IS NULL AND id IN (SELECT value FROM json_each(?))",
    )
    .bind(ids_json)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|id| parse_id("menu_modifier_groups", id))
        .collect()
}

/// Writes a whole modifier group and its outbox row (see [`save_category`]).
pub async fn save_group(
    conn: &mut SqliteConnection,
    record: &ModifierGroupRecord,
) -> StoreResult<()> {
    let before = find_group(&mut *conn, record.id).await?;
    rows::save(conn, before.as_ref(), record).await
}

/// Live items that use the modifier group, by name.
pub async fn items_using_group<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    id: ModifierGroupId,
) -> StoreResult<Vec<ItemId>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT i.id FROM menu_items i
         WHERE i.deleted_at IS NULL
           AND EXISTS (SELECT 1 FROM json_each(i.modifier_group_ids) g WHERE g.value = ?)
         ORDER BY i.name COLLATE NOCASE, i.id",
    )
    .bind(id.to_string())
    .fetch_all(executor)
    .await?;
    rows.iter().map(|id| parse_id("menu_items", id)).collect()
}

// ---------------------------------------------------------------- items

/// A live item by id.
pub async fn find_item<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    id: ItemId,
) -> StoreResult<Option<ItemRecord>> {
    let cols = item_select();
    let row: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM menu_items i WHERE i.id = ? AND i.deleted_at IS NULL"
    )))
    .bind(id.to_string())
    .fetch_optional(executor)
    .await?;
    row.as_deref().map(rows::decode).transpose()
}

/// Which live items to list; absent fields do not filter.
#[derive(Clone, Debug, Default)]
pub struct ItemFilter {
    /// Only this category's items.
    pub category_id: Option<CategoryId>,
    /// Only available (true) or sold-out (false) items.
    pub available: Option<bool>,
    /// Only items whose Spanish or English name contains this text (case-insensitive).
    pub q: Option<String>,
}

/// Live items matching `filter`, in menu order (category position, then item position).
pub async fn list_items<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    filter: &ItemFilter,
) -> StoreResult<Vec<ItemRecord>> {
    let pattern = filter.q.as_deref().map(|q| {
        let escaped = q
            .trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    });
    let cols = item_select();
    let found: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM menu_items i JOIN menu_categories c ON c.id = i.category_id
         WHERE i.deleted_at IS NULL
           AND (?1 IS NULL OR i.category_id = ?1)
           AND (?2 IS NULL OR i.available = ?2)
           AND (?3 IS NULL OR i.name LIKE ?3 ESCAPE '\\' OR i.name_en LIKE ?3 ESCAPE '\\')
         ORDER BY c.position, c.name COLLATE NOCASE, c.id, i.position, i.name COLLATE NOCASE, i.id"
    )))
    .bind(filter.category_id.map(|id| id.to_string()))
    .bind(filter.available)
    .bind(pattern)
    .fetch_all(executor)
    .await?;
    found.iter().map(|t| rows::decode(t)).collect()
}

/// Live items of a category (to refuse deleting a category in use).
pub async fn live_items_in_category<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    id: CategoryId,
) -> StoreResult<Vec<ItemId>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM menu_items WHERE category_id = ? AND deleted_at IS NULL ORDER BY position, id",
    )
    .bind(id.to_string())
    .fetch_all(executor)
    .await?;
    rows.iter().map(|id| parse_id("menu_items", id)).collect()
}

/// The position after the last live item of a category.
pub async fn next_item_position(
    conn: &mut SqliteConnection,
    category: CategoryId,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT coalesce(max(position) + 1, 0) FROM menu_items WHERE category_id = ? AND deleted_at IS NULL",
    )
    .bind(category.to_string())
    .fetch_one(conn)
    .await?)
}

/// Writes a whole item and its outbox row (see [`save_category`]).
pub async fn save_item(conn: &mut SqliteConnection, record: &ItemRecord) -> StoreResult<()> {
    let before = find_item(&mut *conn, record.id).await?;
    rows::save(conn, before.as_ref(), record).await
}

// ---------------------------------------------------------------- the whole menu

/// Every category, modifier group and item, tombstones included, read in three queries:
/// the raw material of the menu tree and the CSV export.
#[derive(Clone, Debug, Default)]
pub struct MenuSnapshot {
    /// Categories in menu order.
    pub categories: Vec<CategoryRecord>,
    /// Modifier groups.
    pub groups: Vec<ModifierGroupRecord>,
    /// Items in category, then position order.
    pub items: Vec<ItemRecord>,
}

impl MenuSnapshot {
    /// The newest change anywhere in the menu (tombstones count: a deletion changes the
    /// menu), or None for a menu never written.
    pub fn updated_at(&self) -> Option<Hlc> {
        let categories = self.categories.iter().map(|c| c.updated_at);
        let groups = self.groups.iter().map(|g| g.updated_at);
        let items = self.items.iter().map(|i| i.updated_at);
        categories.chain(groups).chain(items).max()
    }
}

/// Reads the whole menu (three queries on the read pool).
pub async fn snapshot(pool: &SqlitePool) -> StoreResult<MenuSnapshot> {
    let (cc, gc, ic) = (category_select(), group_select(), item_select());
    let categories: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cc} FROM menu_categories c ORDER BY position, name COLLATE NOCASE, id"
    )))
    .fetch_all(pool)
    .await?;
    let groups: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {gc} FROM menu_modifier_groups g ORDER BY name COLLATE NOCASE, id"
    )))
    .fetch_all(pool)
    .await?;
    let items: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {ic} FROM menu_items i ORDER BY i.category_id, i.position, i.name COLLATE NOCASE, i.id"
    )))
    .fetch_all(pool)
    .await?;
    Ok(MenuSnapshot {
        categories: categories
            .iter()
            .map(|t| rows::decode(t))
            .collect::<StoreResult<_>>()?,
        groups: groups
            .iter()
            .map(|t| rows::decode(t))
            .collect::<StoreResult<_>>()?,
        items: items
            .iter()
            .map(|t| rows::decode(t))
            .collect::<StoreResult<_>>()?,
    })
}

// ---------------------------------------------------------------- pricing

/// What the order code needs to price a line of one item, read from the menu as it is
/// now. Look items up with [`items_for_pricing`] and price with [`PricingItem::price`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricingItem {
    /// The item.
    pub id: ItemId,
    /// Its Spanish name, for the order line and the kitchen ticket.
    pub name: String,
    /// Base price, IVA included.
    pub price: Clp,
    /// Where its ticket goes.
    pub station: Station,
    /// False when sold out: the order code must refuse new lines for it.
    pub available: bool,
    /// False when the item was deleted (tombstoned): refuse new lines too.
    pub live: bool,
    /// Whether diners see it (`GET /menu`): live, in a live and active category. The
    /// widget and the chat should refuse items that are not listed; the counter may sell
    /// them.
    pub listed: bool,
    /// Its live modifier groups in the item's order, unavailable options included (the
    /// pricing rules refuse them by name).
    pub groups: Vec<ModifierGroupRule>,
}

impl PricingItem {
    /// Whether a new line may be taken for it (live and not sold out).
    pub fn orderable(&self) -> bool {
        self.live && self.available
    }

    /// Prices one line of this item with the chosen options (see
    /// [`dysa_domain::menu::price_line`]). Does not check [`PricingItem::orderable`].
    pub fn price(
        &self,
        chosen: &[ModifierOptionId],
        quantity: u32,
    ) -> Result<PricedLine, LineError> {
        price_line(self.price, &self.groups, chosen, quantity)
    }
}

#[derive(sqlx::FromRow)]
struct PricingRow {
    id: String,
    name: String,
    price: i64,
    station: String,
    available: bool,
    live: bool,
    listed: bool,
    groups: String,
}

#[derive(Deserialize)]
struct PricingGroup {
    position: i64,
    id: ModifierGroupId,
    name: String,
    min_choices: u8,
    max_choices: u8,
    options: Vec<ModifierOption>,
}

/// The pricing columns of an item, its live groups as JSON, and whether it is live and
/// listed; the callers add their own `WHERE`.
const PRICING_SELECT: &str = "SELECT i.id, i.name, i.price, i.station, i.available,
        i.deleted_at IS NULL AS live,
        (i.deleted_at IS NULL AND c.deleted_at IS NULL AND c.active = 1) AS listed,
        (SELECT json_group_array(json_object(
                  'position', j.key, 'id', g.id, 'name', g.name,
                  'min_choices', g.min_choices, 'max_choices', g.max_choices,
                  'options', json(g.options)))
           FROM json_each(i.modifier_group_ids) j
           JOIN menu_modifier_groups g ON g.id = j.value AND g.deleted_at IS NULL) AS groups
 FROM menu_items i JOIN menu_categories c ON c.id = i.category_id";

/// Looks up the items an order refers to, with everything needed to price their lines,
/// in one query. Tombstoned and sold-out items are returned too (with `live` /
/// `available` false) so the caller can say why it refuses them; ids that never existed
/// are simply absent from the map.
///
/// Works on the read pool (`&SqlitePool`, for a quote) and inside a write transaction
/// (`&mut *tx`, so the price is read in the same transaction that stores the line).
pub async fn items_for_pricing<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    ids: &[ItemId],
) -> StoreResult<HashMap<ItemId, PricingItem>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<PricingRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PRICING_SELECT} WHERE i.id IN (SELECT value FROM json_each(?))"
    )))
    .bind(serde_json::to_string(ids)?)
    .fetch_all(executor)
    .await?;
    rows.into_iter().map(pricing_item).collect()
}

/// Every item of the menu, tombstoned and sold-out ones included, ready to price: what
/// [`crate::store::cache::PricingCache`] keeps in memory between menu changes.
pub async fn all_for_pricing<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
) -> StoreResult<HashMap<ItemId, PricingItem>> {
    let rows: Vec<PricingRow> = sqlx::query_as(PRICING_SELECT).fetch_all(executor).await?;
    rows.into_iter().map(pricing_item).collect()
}

fn pricing_item(row: PricingRow) -> StoreResult<(ItemId, PricingItem)> {
    const T: &str = "menu_items";
    let id: ItemId = parse_id(T, &row.id)?;
    let mut groups: Vec<PricingGroup> = parse_json(T, &row.groups)?;
    groups.sort_by_key(|g| g.position);
    let item = PricingItem {
        id,
        name: row.name,
        price: Clp::new(row.price).map_err(|e| corrupt(T)(e.to_string()))?,
        station: row
            .station
            .parse()
            .map_err(|e: dysa_domain::menu::UnknownStation| corrupt(T)(e.to_string()))?,
        available: row.available,
        live: row.live,
        listed: row.listed,
        groups: groups
            .into_iter()
            .map(|g| ModifierGroupRule {
                id: g.id,
                name: g.name,
                min_choices: g.min_choices,
                max_choices: g.max_choices,
                options: g
                    .options
                    .into_iter()
                    .map(|o| ModifierOptionRule {
                        id: o.id,
                        name: o.name,
                        price_delta: o.price_delta,
                        available: o.available,
                    })
                    .collect(),
            })
            .collect(),
    };
    Ok((id, item))
}
