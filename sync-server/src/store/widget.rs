//! The reads of the public widget (see [`crate::widget`]): a restaurant by slug, the
//! synced menu of a location, its contact settings, and the tenant's widget settings.
//! The row types read the synced projection leniently, so a row from a newer appliance
//! never takes the menu down.

use super::{StoreResult, Tx};
use dysa_domain::ids::{AccountId, LocationId, TenantId};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::types::Json;
use uuid::Uuid;

/// A restaurant and location as `public_restaurant` (migration 0005) finds them.
#[derive(sqlx::FromRow)]
pub struct PublicRow {
    /// The tenant.
    pub tenant_id: TenantId,
    /// Its business name.
    pub name: String,
    /// `active` or `suspended`.
    pub status: String,
    /// The location.
    pub location_id: LocationId,
    /// Its name.
    pub location_name: String,
    /// Its IANA time zone.
    pub time_zone: String,
    /// Its slug.
    pub location_slug: String,
    /// True while closed by the owner (migration 0035).
    pub closed: bool,
}

/// `slug` (and the location by id or slug, when given) through the narrow
/// `public_restaurant` lookup, in a transaction without tenant.
pub async fn public_restaurant(
    tx: &mut Tx,
    slug: &str,
    location: Option<LocationId>,
    location_slug: Option<&str>,
) -> StoreResult<Option<PublicRow>> {
    Ok(sqlx::query_as(
        "SELECT tenant_id, name, status, location_id, location_name, time_zone, location_slug, closed
         FROM public_restaurant($1, $2, $3)",
    )
    .bind(slug)
    .bind(location)
    .bind(location_slug)
    .fetch_optional(&mut **tx)
    .await?)
}

/// A modifier option as the appliance syncs it.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct SyncedOption {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Price delta.
    pub price_delta: i64,
    /// Sold out when false.
    #[serde(default = "yes")]
    pub available: bool,
}

fn yes() -> bool {
    true
}

/// A category of the synced projection.
#[derive(Debug, sqlx::FromRow)]
pub struct CategoryRow {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
}

/// An item of the synced projection, with what pricing needs.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MenuItemRow {
    /// Id.
    pub id: Uuid,
    /// Category.
    pub category_id: Uuid,
    /// Name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// English description.
    pub description_en: Option<String>,
    /// Price.
    pub price: i64,
    /// Kitchen station.
    pub station: String,
    /// Sold out when false.
    pub available: bool,
    /// Modifier groups, ids (as synced: read leniently, see [`MenuItemRow::group_ids`]).
    pub modifier_group_ids: Json<serde_json::Value>,
    /// Tags, as synced (read leniently, see [`strings`]).
    pub tags: Json<serde_json::Value>,
    /// Allergens, as synced.
    pub allergens: Json<serde_json::Value>,
    /// Minutes to prepare, when set.
    pub prep_minutes: Option<i32>,
    /// Its photo's hash, when it has one whose bytes the cloud holds.
    pub photo: Option<String>,
    /// The photo's width in pixels.
    pub photo_width: Option<i32>,
    /// The photo's height in pixels.
    pub photo_height: Option<i32>,
}

/// The strings of a synced JSON list; anything else is skipped (a row from a newer
/// appliance must not take the menu down).
pub fn strings(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .map(|values| {
            values
                .iter()
                .filter_map(|v| v.as_str())
                .filter(|s| !s.trim().is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A modifier group of the synced projection.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MenuGroupRow {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Fewest choices.
    pub min_choices: i32,
    /// Most choices.
    pub max_choices: i32,
    /// Options (as synced: read leniently, see [`MenuGroupRow::synced_options`]).
    pub options: Json<serde_json::Value>,
}

impl MenuItemRow {
    /// The item's modifier group ids; anything that is not one is skipped (a row from a
    /// newer appliance must not take the menu down).
    pub fn group_ids(&self) -> Vec<Uuid> {
        self.modifier_group_ids
            .0
            .as_array()
            .map(|ids| {
                ids.iter()
                    .filter_map(|v| v.as_str().and_then(|s| s.parse().ok()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl MenuGroupRow {
    /// The group's options; malformed ones are skipped.
    pub fn synced_options(&self) -> Vec<SyncedOption> {
        self.options
            .0
            .as_array()
            .map(|options| {
                options
                    .iter()
                    .filter_map(|o| serde_json::from_value(o.clone()).ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The live items of `location` in active categories, in menu order.
pub async fn items(tx: &mut Tx, location: LocationId) -> StoreResult<Vec<MenuItemRow>> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.category_id, i.name, i.name_en, i.description, i.description_en,
                i.price, i.station, i.available, i.modifier_group_ids,
                i.tags, i.allergens, i.prep_minutes,
                m.hash AS photo, m.width AS photo_width, m.height AS photo_height
         FROM menu_items i
         JOIN menu_categories c ON c.tenant_id = i.tenant_id AND c.id = i.category_id
              AND c.deleted_at IS NULL AND c.active
         LEFT JOIN media m ON m.tenant_id = i.tenant_id AND m.hash = i.photo
         WHERE i.location_id = $1 AND i.deleted_at IS NULL
         ORDER BY i.position, i.name, i.id",
    )
    .bind(location)
    .fetch_all(&mut **tx)
    .await?)
}

/// The live modifier groups of `location`.
pub async fn modifier_groups(tx: &mut Tx, location: LocationId) -> StoreResult<Vec<MenuGroupRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, name_en, min_choices, max_choices, options FROM menu_modifier_groups
         WHERE location_id = $1 AND deleted_at IS NULL",
    )
    .bind(location)
    .fetch_all(&mut **tx)
    .await?)
}

/// The live, active categories of `location`, in menu order.
pub async fn categories(tx: &mut Tx, location: LocationId) -> StoreResult<Vec<CategoryRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, name_en FROM menu_categories
         WHERE location_id = $1 AND deleted_at IS NULL AND active
         ORDER BY position, name, id",
    )
    .bind(location)
    .fetch_all(&mut **tx)
    .await?)
}

/// The location's live contact settings (address, phone, opening hours) as key and value.
pub async fn contact_settings(
    tx: &mut Tx,
    location: LocationId,
) -> StoreResult<Vec<(String, serde_json::Value)>> {
    Ok(sqlx::query_as(
        "SELECT key, value FROM location_settings
         WHERE location_id = $1 AND deleted_at IS NULL
           AND key IN ('restaurant.address', 'restaurant.phone', 'restaurant.opening_hours')",
    )
    .bind(location)
    .fetch_all(&mut **tx)
    .await?)
}

/// The value of the location's live synced setting `key`, if set.
pub async fn setting(
    tx: &mut Tx,
    location: LocationId,
    key: &str,
) -> StoreResult<Option<serde_json::Value>> {
    let value: Option<Json<serde_json::Value>> = sqlx::query_scalar(
        "SELECT value FROM location_settings
         WHERE location_id = $1 AND key = $2 AND deleted_at IS NULL",
    )
    .bind(location)
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(value.map(|v| v.0))
}

/// The tenant's stored widget settings, if it saved any. In a tenant transaction.
pub async fn widget_settings<T: DeserializeOwned + Send + Unpin + 'static>(
    tx: &mut Tx,
) -> StoreResult<Option<T>> {
    let stored: Option<Json<T>> =
        sqlx::query_scalar("SELECT settings FROM widget_settings WHERE tenant_id = app_tenant()")
            .fetch_optional(&mut **tx)
            .await?;
    Ok(stored.map(|s| s.0))
}

/// Stores the tenant's widget settings (already validated), by `account`.
pub async fn save_widget_settings<T: Serialize + Sync>(
    tx: &mut Tx,
    settings: &T,
    account: Option<AccountId>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO widget_settings (tenant_id, settings, updated_at, updated_by)
         VALUES (app_tenant(), $1, now(), $2)
         ON CONFLICT (tenant_id) DO UPDATE SET settings = EXCLUDED.settings,
             updated_at = now(), updated_by = EXCLUDED.updated_by",
    )
    .bind(Json(settings))
    .bind(account)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
