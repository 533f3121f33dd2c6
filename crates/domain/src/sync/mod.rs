//! Sync between appliances and the cloud: the wire types both speak and the merge rules
//! the cloud applies (see docs/SYNC.md for the protocol as a whole).

pub mod merge;
pub mod rows;
pub mod wire;

pub use merge::{MergeOutcome, Rejection, StoredRow, merge};
pub use wire::*;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A synced kind of row. The string form is what the outbox and the wire carry.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// A staff account.
    User,
    /// One restaurant setting (key → JSON value).
    Setting,
    /// A menu category.
    Category,
    /// A menu item.
    Item,
    /// A modifier group with its options.
    ModifierGroup,
    /// A known diner.
    Customer,
    /// A dining-room table.
    Table,
    /// An order header.
    Order,
    /// One order line (appended, voided, never edited).
    OrderLine,
    /// One recorded order status change.
    OrderTransition,
    /// A payment or refund (append-only ledger).
    Payment,
    /// A table reservation.
    Reservation,
    /// A cash drawer session (written by the counter that owns the drawer).
    DrawerSession,
    /// A cash movement of a drawer session (append-only ledger).
    DrawerMovement,
    /// A blind count of a drawer session (append-only: a second count is a new row).
    DrawerCount,
    /// One audit-log event (insert-only: never edited, never deleted).
    AuditEvent,
    /// A closed business day with its Z report (insert-only: a closed day never changes).
    DayClose,
    /// A conversation of the assistant (last writer wins per field).
    Conversation,
    /// One message of a conversation (append-only).
    ConversationMessage,
}

impl Entity {
    /// Every entity, in a stable order.
    pub const ALL: [Entity; 19] = [
        Entity::User,
        Entity::Setting,
        Entity::Category,
        Entity::Item,
        Entity::ModifierGroup,
        Entity::Customer,
        Entity::Table,
        Entity::Order,
        Entity::OrderLine,
        Entity::OrderTransition,
        Entity::Payment,
        Entity::Reservation,
        Entity::DrawerSession,
        Entity::DrawerMovement,
        Entity::DrawerCount,
        Entity::AuditEvent,
        Entity::DayClose,
        Entity::Conversation,
        Entity::ConversationMessage,
    ];

    /// Whether rows of this entity belong to one location (its restaurant) rather than
    /// the whole tenant. Customers are shared by every location of a business.
    pub fn is_location_scoped(self) -> bool {
        !matches!(self, Entity::Customer)
    }

    /// The wire name, e.g. `order_line`.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::User => "user",
            Entity::Setting => "setting",
            Entity::Category => "category",
            Entity::Item => "item",
            Entity::ModifierGroup => "modifier_group",
            Entity::Customer => "customer",
            Entity::Table => "table",
            Entity::Order => "order",
            Entity::OrderLine => "order_line",
            Entity::OrderTransition => "order_transition",
            Entity::Payment => "payment",
            Entity::Reservation => "reservation",
            Entity::DrawerSession => "drawer_session",
            Entity::DrawerMovement => "drawer_movement",
            Entity::DrawerCount => "drawer_count",
            Entity::AuditEvent => "audit_event",
            Entity::DayClose => "day_close",
            Entity::Conversation => "conversation",
            Entity::ConversationMessage => "conversation_message",
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not a known entity.
#[derive(Debug, thiserror::Error)]
#[error("unknown entity {0:?}")]
pub struct UnknownEntity(pub String);

impl FromStr for Entity {
    type Err = UnknownEntity;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Entity::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| UnknownEntity(s.to_owned()))
    }
}

/// What a mutation does to its row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Create or replace the row's fields given in the payload.
    Upsert,
    /// Tombstone the row.
    Delete,
}

impl Op {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Upsert => "upsert",
            Op::Delete => "delete",
        }
    }
}

impl FromStr for Op {
    type Err = UnknownEntity;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "upsert" => Ok(Op::Upsert),
            "delete" => Ok(Op::Delete),
            other => Err(UnknownEntity(other.to_owned())),
        }
    }
}

/// The version of the sync protocol this build speaks; the cloud accepts it and the one before.
pub const SCHEMA_VERSION: u32 = 1;

/// Whether a peer speaking `version` can sync with this build (current or previous).
pub fn schema_supported(version: u32) -> bool {
    version == SCHEMA_VERSION || version + 1 == SCHEMA_VERSION
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_names_round_trip() {
        for e in Entity::ALL {
            assert_eq!(e.as_str().parse::<Entity>().expect("parse"), e);
            assert_eq!(serde_json::to_string(&e).expect("json"), format!("\"{e}\""));
        }
    }
}
