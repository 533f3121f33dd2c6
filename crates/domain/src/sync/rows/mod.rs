//! The wire shape of every synced entity, written once.
//!
//! Each type here is what an appliance's outbox sends for that entity, what the cloud
//! merges field by field into `sync_rows`, what its projections read and what a second
//! appliance applies. The appliance's stores write and read these types (the menu's
//! records *are* these types), `sync/apply.rs` decodes pulled rows into them, the cloud
//! builds its own writes from them and checks every pushed payload against them
//! ([`check_patch`]): known fields only, each of its declared type, sizes bounded.
//!
//! A type is declared with `synced_row!`, which also lists its fields ([`SyncedRow::FIELDS`])
//! with how the appliance stores each one ([`Storage`]); that list is what lets a new field
//! travel end to end by adding it here and one migration per database (docs/DEVELOPING.md,
//! "add a synced field").

use super::{Entity, Row};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How the appliance's SQLite keeps a field (the cloud reads its types from its tables).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// Text, integer or NULL, as the JSON value is.
    Plain,
    /// A `0`/`1` integer.
    Bool,
    /// JSON text (arrays and objects).
    Json,
}

/// One field of a synced row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// The wire name, which is also the column name on both databases.
    pub name: &'static str,
    /// How the appliance stores it.
    pub storage: Storage,
}

/// A synced entity's row type: its entity, its fields and a per-field type check.
pub trait SyncedRow: Serialize + for<'de> Deserialize<'de> {
    /// The entity whose rows these are.
    const ENTITY: Entity;
    /// Every field, in declaration order.
    const FIELDS: &'static [Field];
    /// `None` for a field the type does not have; otherwise whether `value` reads as it.
    fn check_field(name: &str, value: &Value) -> Option<Result<(), String>>;

    /// The field names, in declaration order.
    fn field_names() -> Vec<&'static str> {
        Self::FIELDS.iter().map(|f| f.name).collect()
    }
}

macro_rules! storage_of {
    () => {
        $crate::sync::rows::Storage::Plain
    };
    ($kind:ident) => {
        $crate::sync::rows::Storage::$kind
    };
}

/// Declares a synced row: the struct as written, plus its [`SyncedRow`] impl. A field may
/// end in `=> Bool` or `=> Json` to say how the appliance stores it.
macro_rules! synced_row {
    (
        $(#[$meta:meta])*
        pub struct $name:ident in $entity:ident {
            $(
                $(#[$fmeta:meta])*
                pub $field:ident : $ty:ty $(=> $kind:ident)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $crate::sync::rows::SyncedRow for $name {
            const ENTITY: $crate::sync::Entity = $crate::sync::Entity::$entity;
            const FIELDS: &'static [$crate::sync::rows::Field] = &[
                $( $crate::sync::rows::Field {
                    name: stringify!($field),
                    storage: storage_of!($($kind)?),
                } ),*
            ];
            fn check_field(
                name: &str,
                value: &serde_json::Value,
            ) -> Option<Result<(), String>> {
                match name {
                    $( stringify!($field) => Some(
                        <$ty as serde::Deserialize>::deserialize(value)
                            .map(drop)
                            .map_err(|e| e.to_string()),
                    ), )*
                    _ => None,
                }
            }
        }
    };
}

pub mod audit;
pub mod chat;
pub mod closing;
pub mod drawers;
pub mod menu;
pub mod orders;
pub mod people;

pub use audit::AuditEvent;
pub use chat::{Conversation, ConversationMessage};
pub use closing::DayClose;
pub use drawers::{DrawerCount, DrawerMovement, DrawerSession};
pub use menu::{Category, Item, ModifierGroup, ModifierOption, PhotoHash, PrepMinutes};
pub use orders::{Order, OrderLine, OrderLineRow, OrderTransition, Payment, Transition};
pub use people::{Customer, Reservation, Table, User};

synced_row! {
    /// One restaurant setting: the key (also the entity id) and its JSON value.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Setting in Setting {
        /// The setting's key (`restaurant.name`).
        pub key: String,
        /// Any JSON value (its meaning is the setting's).
        pub value: Value,
    }
}

/// How big a pushed row may be: every string, array and nesting level of every field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest string, in bytes (notes and descriptions are far shorter).
    pub max_string_bytes: usize,
    /// Longest array (a group's options, a line's modifiers, an item's tags).
    pub max_array: usize,
    /// Deepest nesting of arrays and objects inside one field.
    pub max_depth: usize,
    /// Most keys in one nested object (settings' values are free-form).
    pub max_object_keys: usize,
}

/// The bounds every pushed row is held to.
pub const LIMITS: Limits = Limits {
    max_string_bytes: 4_096,
    max_array: 200,
    max_depth: 6,
    max_object_keys: 64,
};

/// Why a pushed row is not a row of its entity. `field` names the culprit.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {detail}")]
pub struct Malformed {
    /// The field at fault.
    pub field: String,
    /// What is wrong with it (English, for logs and the answer's detail).
    pub detail: String,
}

/// Checks a pushed payload against its entity's type. A payload is a patch: any subset of
/// the fields is fine (edits carry only what changed, `outbox::record_changes`), but every
/// field present must be one the type has, read as the type declares, and within
/// [`LIMITS`].
pub fn check_patch(entity: Entity, payload: &Row) -> Result<(), Malformed> {
    match entity {
        Entity::User => check::<User>(payload),
        Entity::Setting => check::<Setting>(payload),
        Entity::Category => check::<Category>(payload),
        Entity::Item => check::<Item>(payload),
        Entity::ModifierGroup => check::<ModifierGroup>(payload),
        Entity::Customer => check::<Customer>(payload),
        Entity::Table => check::<Table>(payload),
        Entity::Order => check::<Order>(payload),
        Entity::OrderLine => check::<OrderLineRow>(payload),
        Entity::OrderTransition => check::<OrderTransition>(payload),
        Entity::Payment => check::<Payment>(payload),
        Entity::Reservation => check::<Reservation>(payload),
        Entity::DrawerSession => check::<DrawerSession>(payload),
        Entity::DrawerMovement => check::<DrawerMovement>(payload),
        Entity::DrawerCount => check::<DrawerCount>(payload),
        Entity::AuditEvent => check::<AuditEvent>(payload),
        Entity::DayClose => check::<DayClose>(payload),
        Entity::Conversation => check::<Conversation>(payload),
        Entity::ConversationMessage => check::<ConversationMessage>(payload),
    }
}

/// The field names of `entity`'s type (for the cloud's projection check and the docs).
pub fn fields_of(entity: Entity) -> &'static [Field] {
    match entity {
        Entity::User => User::FIELDS,
        Entity::Setting => Setting::FIELDS,
        Entity::Category => Category::FIELDS,
        Entity::Item => Item::FIELDS,
        Entity::ModifierGroup => ModifierGroup::FIELDS,
        Entity::Customer => Customer::FIELDS,
        Entity::Table => Table::FIELDS,
        Entity::Order => Order::FIELDS,
        Entity::OrderLine => OrderLineRow::FIELDS,
        Entity::OrderTransition => OrderTransition::FIELDS,
        Entity::Payment => Payment::FIELDS,
        Entity::Reservation => Reservation::FIELDS,
        Entity::DrawerSession => DrawerSession::FIELDS,
        Entity::DrawerMovement => DrawerMovement::FIELDS,
        Entity::DrawerCount => DrawerCount::FIELDS,
        Entity::AuditEvent => AuditEvent::FIELDS,
        Entity::DayClose => DayClose::FIELDS,
        Entity::Conversation => Conversation::FIELDS,
        Entity::ConversationMessage => ConversationMessage::FIELDS,
    }
}

fn check<T: SyncedRow>(payload: &Row) -> Result<(), Malformed> {
    for (name, value) in payload {
        let malformed = |detail: String| Malformed {
            field: name.clone(),
            detail,
        };
        bounded(value, 0).map_err(malformed)?;
        match stamp_field(name, value).or_else(|| T::check_field(name, value)) {
            None => return Err(malformed(format!("unknown field of {}", T::ENTITY))),
            Some(Err(detail)) => return Err(malformed(detail)),
            Some(Ok(())) => {}
        }
    }
    Ok(())
}

/// The stamps every row may carry, whether its type lists them or not: text or null. The
/// cloud stamps rows with the mutation's HLC and the appliance with the pulled row's, so
/// what a payload says here is informative only (pushes have carried RFC 3339 times).
fn stamp_field(name: &str, value: &Value) -> Option<Result<(), String>> {
    matches!(name, "updated_at" | "deleted_at").then(|| match value {
        Value::String(_) | Value::Null => Ok(()),
        other => Err(format!("a stamp must be text, not {other}")),
    })
}

/// Walks a value against [`LIMITS`] before anything decodes it.
fn bounded(value: &Value, depth: usize) -> Result<(), String> {
    match value {
        Value::String(s) if s.len() > LIMITS.max_string_bytes => Err(format!(
            "text of {} bytes (at most {})",
            s.len(),
            LIMITS.max_string_bytes
        )),
        Value::Array(_) | Value::Object(_) if depth >= LIMITS.max_depth => {
            Err(format!("nested deeper than {} levels", LIMITS.max_depth))
        }
        Value::Array(items) if items.len() > LIMITS.max_array => Err(format!(
            "{} elements (at most {})",
            items.len(),
            LIMITS.max_array
        )),
        Value::Array(items) => items.iter().try_for_each(|v| bounded(v, depth + 1)),
        Value::Object(fields) if fields.len() > LIMITS.max_object_keys => Err(format!(
            "{} keys (at most {})",
            fields.len(),
            LIMITS.max_object_keys
        )),
        Value::Object(fields) => fields.iter().try_for_each(|(k, v)| {
            if k.len() > LIMITS.max_string_bytes {
                return Err("key too long".to_owned());
            }
            bounded(v, depth + 1)
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
