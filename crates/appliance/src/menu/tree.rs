//! The menu tree diners, the panel and the assistant read: categories with their live
//! items and the modifier groups they use, assembled from one snapshot of the menu.

use super::MenuError;
use crate::store::menu::{
    self as store, ItemRecord, MenuSnapshot, ModifierGroupRecord, ModifierOption,
};
use dysa_domain::ids::{CategoryId, ItemId, ModifierGroupId};
use dysa_domain::menu::Station;
use dysa_domain::money::Clp;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

// ---------------------------------------------------------------- the menu tree

/// The active menu as one tree: what the widget and the assistant read.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MenuTree {
    /// Active categories in menu order, each with its live items.
    pub categories: Vec<TreeCategory>,
    /// HLC of the newest change anywhere in the menu (null for an empty menu): a client
    /// holding a tree with the same stamp holds the current menu.
    pub updated_at: Option<String>,
}

/// A category of the tree.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TreeCategory {
    /// The category.
    pub id: CategoryId,
    /// Spanish name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Sort order.
    pub position: i64,
    /// Its live items in order, sold-out ones included (`available: false`).
    pub items: Vec<TreeItem>,
}

/// An item of the tree.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TreeItem {
    /// The item.
    pub id: ItemId,
    /// Spanish name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Spanish description.
    pub description: Option<String>,
    /// English description.
    pub description_en: Option<String>,
    /// Price in pesos, IVA included.
    pub price: Clp,
    /// The price as shown in Chile: `$12.990`.
    pub price_display: String,
    /// Where it is prepared.
    pub station: Station,
    /// Tags.
    pub tags: Vec<String>,
    /// Allergens.
    pub allergens: Vec<String>,
    /// False when sold out: shown, but not orderable.
    pub available: bool,
    /// Sort order in its category.
    pub position: i64,
    /// Its photo's hash (`/media/{photo}.jpg`, `-thumb.jpg` at 200 px), when it has one.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub photo: Option<dysa_domain::sync::rows::PhotoHash>,
    /// Its live modifier groups, in the item's order.
    pub modifier_groups: Vec<TreeModifierGroup>,
}

/// A modifier group of a tree item.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TreeModifierGroup {
    /// The group.
    pub id: ModifierGroupId,
    /// Spanish name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Minimum choices.
    pub min_choices: u8,
    /// Maximum choices.
    pub max_choices: u8,
    /// Its options, in order (sold-out ones with `available: false`).
    pub options: Vec<ModifierOption>,
}

/// An item with its price as shown in Chile, as the item routes answer it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ItemView {
    /// The item.
    #[serde(flatten)]
    pub item: ItemRecord,
    /// The price as shown in Chile: `$12.990`.
    pub price_display: String,
}

impl From<ItemRecord> for ItemView {
    fn from(item: ItemRecord) -> Self {
        ItemView {
            price_display: item.price.to_string(),
            item,
        }
    }
}

/// Assembles the tree from a snapshot: active, live categories; live items; live groups.
pub fn build_tree(snapshot: &MenuSnapshot) -> MenuTree {
    let groups: HashMap<ModifierGroupId, &ModifierGroupRecord> = snapshot
        .groups
        .iter()
        .filter(|g| g.deleted_at.is_none())
        .map(|g| (g.id, g))
        .collect();
    let mut items_by_category: HashMap<CategoryId, Vec<&ItemRecord>> = HashMap::new();
    for item in snapshot.items.iter().filter(|i| i.deleted_at.is_none()) {
        items_by_category
            .entry(item.category_id)
            .or_default()
            .push(item);
    }
    let categories = snapshot
        .categories
        .iter()
        .filter(|c| c.deleted_at.is_none() && c.active)
        .map(|category| {
            let mut items = items_by_category.remove(&category.id).unwrap_or_default();
            items.sort_by(|a, b| {
                (a.position, super::name_key(&a.name), a.id).cmp(&(
                    b.position,
                    super::name_key(&b.name),
                    b.id,
                ))
            });
            TreeCategory {
                id: category.id,
                name: category.name.clone(),
                name_en: category.name_en.clone(),
                position: category.position,
                items: items
                    .into_iter()
                    .map(|item| TreeItem {
                        id: item.id,
                        name: item.name.clone(),
                        name_en: item.name_en.clone(),
                        description: item.description.clone(),
                        description_en: item.description_en.clone(),
                        price: item.price,
                        price_display: item.price.to_string(),
                        station: item.station,
                        tags: item.tags.clone(),
                        allergens: item.allergens.clone(),
                        available: item.available,
                        position: item.position,
                        photo: item.photo.clone(),
                        modifier_groups: item
                            .modifier_group_ids
                            .iter()
                            .filter_map(|id| groups.get(id))
                            .map(|g| TreeModifierGroup {
                                id: g.id,
                                name: g.name.clone(),
                                name_en: g.name_en.clone(),
                                min_choices: g.min_choices,
                                max_choices: g.max_choices,
                                options: g.options.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    MenuTree {
        categories,
        updated_at: snapshot.updated_at().map(|h| h.to_string()),
    }
}

/// Reads the active menu tree (three queries).
pub async fn tree(pool: &sqlx::SqlitePool) -> Result<MenuTree, MenuError> {
    Ok(build_tree(&store::snapshot(pool).await?))
}
