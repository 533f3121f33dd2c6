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
        /// Its photo: the sha256 of the resized JPEG both servers keep (served at
        /// `/media/{photo}.jpg`); none when absent.
        #[serde(default)]
        #[schema(value_type = Option<String>, pattern = "^[0-9a-f]{64}$")]
        pub photo: Option<PhotoHash>,
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
            photo: None,
            created_at: String::new(),
            updated_at: Hlc::ZERO,
            deleted_at: None,
        }
    }
}

/// The content address of a menu photo: the lowercase hex sha256 of its resized JPEG.
///
/// A photo is named by its bytes so every copy (the counter's, the cloud's, a second
/// counter's) is the same file under the same name, cacheable forever, and a pushed name
/// can be checked against the bytes it names. Anything but 64 lowercase hex digits is
/// refused when read, so a malformed name never reaches a path or a URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhotoHash(String);

impl PhotoHash {
    /// The name of these bytes.
    pub fn of(bytes: &[u8]) -> PhotoHash {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(bytes);
        PhotoHash(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PhotoHash {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        let hex = value.len() == 64
            && value
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if hex {
            Ok(PhotoHash(value))
        } else {
            Err("photo must be 64 lowercase hex digits (a sha256)".to_owned())
        }
    }
}

impl std::str::FromStr for PhotoHash {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PhotoHash::try_from(s.to_owned())
    }
}

impl From<PhotoHash> for String {
    fn from(value: PhotoHash) -> String {
        value.0
    }
}

impl std::fmt::Display for PhotoHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
