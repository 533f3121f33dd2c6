//! The menu's synced rows: categories, modifier groups (options inline) and items. The
//! appliance's menu store reads and writes exactly these (`store::menu::ItemRecord` is
//! [`Item`]).

use crate::hlc::Hlc;
use crate::ids::{CategoryId, ItemId, ModifierGroupId, ModifierOptionId};
use crate::menu::{ModifierGroupRule, ModifierOptionRule, Station};
use crate::money::Clp;
use serde::{Deserialize, Serialize};

synced_row! {
    /// A menu category ("Entradas", "Platos", "Bebidas").
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    #[schema(as = CategoryRecord)]
    pub struct Category in Category {
        /// The category's id.
        pub id: CategoryId,
        /// Spanish name.
        pub name: String,
        /// English name, if translated.
        pub name_en: Option<String>,
        /// Sort order in the menu (ascending).
        pub position: i64,
        /// Inactive categories (and their items) are hidden from the menu diners see.
        pub active: bool => Bool,
        /// When it was created (RFC 3339).
        pub created_at: String,
        /// HLC of the last change.
        #[schema(value_type = String)]
        pub updated_at: Hlc,
        /// HLC of the tombstone; absent on live rows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(value_type = Option<String>)]
        pub deleted_at: Option<Hlc>,
    }
}

/// One option of a modifier group, as stored in the group's `options` JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModifierOption {
    /// The option's id; stable across edits of its group.
    pub id: ModifierOptionId,
    /// Spanish name, printed on the kitchen ticket.
    pub name: String,
    /// English name, if translated.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Added to the item's price (negative for "sin palta").
    pub price_delta: Clp,
    /// False when sold out.
    #[serde(default = "yes")]
    pub available: bool,
}

fn yes() -> bool {
    true
}

synced_row! {
    /// A modifier group ("Término", "Extra") with its options.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    #[schema(as = ModifierGroupRecord)]
    pub struct ModifierGroup in ModifierGroup {
        /// The group's id.
        pub id: ModifierGroupId,
        /// Spanish name.
        pub name: String,
        /// English name, if translated.
        pub name_en: Option<String>,
        /// At least this many options must be chosen (1+ makes the group required).
        pub min_choices: u8,
        /// At most this many options may be chosen.
        pub max_choices: u8,
        /// The options, in menu order.
        pub options: Vec<ModifierOption> => Json,
        /// When it was created (RFC 3339).
        pub created_at: String,
        /// HLC of the last change.
        #[schema(value_type = String)]
        pub updated_at: Hlc,
        /// HLC of the tombstone; absent on live rows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(value_type = Option<String>)]
        pub deleted_at: Option<Hlc>,
    }
}

impl ModifierGroup {
    /// The group as the pricing rules see it.
    pub fn rule(&self) -> ModifierGroupRule {
        ModifierGroupRule {
            id: self.id,
            name: self.name.clone(),
            min_choices: self.min_choices,
            max_choices: self.max_choices,
            options: self
                .options
                .iter()
                .map(|o| ModifierOptionRule {
                    id: o.id,
                    name: o.name.clone(),
                    price_delta: o.price_delta,
                    available: o.available,
                })
                .collect(),
        }
    }
}

synced_row! {
    /// A menu item.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    #[schema(as = ItemRecord)]
    pub struct Item in Item {
        /// The item's id.
        pub id: ItemId,
        /// Its category.
        pub category_id: CategoryId,
        /// Spanish name.
        pub name: String,
        /// English name, if translated.
        pub name_en: Option<String>,
        /// Spanish description.
        pub description: Option<String>,
        /// English description.
        pub description_en: Option<String>,
        /// Price in pesos, IVA included.
        pub price: Clp,
        /// Where it is prepared.
        pub station: Station,
        /// Free tags (`vegan`, `gluten_free`).
        pub tags: Vec<String> => Json,
        /// Allergens (`milk`, `gluten`).
        pub allergens: Vec<String> => Json,
        /// Ordered ids of its modifier groups.
        pub modifier_group_ids: Vec<ModifierGroupId> => Json,
        /// False when sold out: still shown, but it cannot be ordered.
        pub available: bool => Bool,
        /// Sort order inside its category (ascending).
        pub position: i64,
        /// How long it takes to prepare, for the kitchen screen; unknown when absent.
        #[serde(default)]
        pub prep_minutes: Option<PrepMinutes>,
        /// When it was created (RFC 3339).
        pub created_at: String,
        /// HLC of the last change.
        #[schema(value_type = String)]
        pub updated_at: Hlc,
        /// HLC of the tombstone; absent on live rows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(value_type = Option<String>)]
        pub deleted_at: Option<Hlc>,
    }
}

bounded_number! {
    /// Minutes an item takes to prepare: 1 to 600 (ten hours covers any slow roast).
    pub struct PrepMinutes(1..=600) else "prep_minutes must be 1 to {} minutes";
}

/// An empty item (fresh id, no name, price 0, available, in the kitchen), for building a
/// new one field by field: code that creates items names the fields it knows and takes
/// the rest from here, so a new optional field of [`Item`] needs no change there.
impl Default for Item {
    fn default() -> Self {
        Item {
            id: ItemId::new(),
            category_id: CategoryId::new(),
            name: String::new(),
            name_en: None,
            description: None,
            description_en: None,
            price: Clp(0),
            station: Station::Kitchen,
            tags: Vec::new(),
            allergens: Vec::new(),
            modifier_group_ids: Vec::new(),
            available: true,
            position: 0,
            prep_minutes: None,
            created_at: String::new(),
            updated_at: Hlc::ZERO,
            deleted_at: None,
        }
    }
}
