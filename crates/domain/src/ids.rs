//! Typed UUIDv7 identifiers.
//!
//! Every synced row gets its id where it is born (counter, widget, cloud dashboard), so a
//! retried create can never produce a second row. UUIDv7 keeps ids roughly time-ordered,
//! which keeps SQLite and Postgres indexes compact.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident) => {
        typed_id!(@with [] $(#[$meta])* $name);
    };
    (@with [$($extra:meta),*] $(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        $(#[$extra])*
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id for a row born here and now.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(value: Uuid) -> Self {
                Self(value)
            }
        }
    };
}

typed_id!(
    /// A staff member of the restaurant.
    UserId
);
typed_id!(
    /// One sync mutation; the cloud applies each mutation id once.
    MutationId
);
typed_id!(
    /// A login session: every refresh token of one login shares it, so reuse revokes them all.
    SessionFamilyId
);
typed_id!(
    /// A menu category.
    CategoryId
);
typed_id!(
    /// A menu item.
    ItemId
);
typed_id!(
    /// A modifier group (size, extras) attached to menu items.
    ModifierGroupId
);
typed_id!(
    /// One option of a modifier group.
    ModifierOptionId
);
typed_id!(
    /// A diner known to the restaurant.
    CustomerId
);
typed_id!(
    /// A table in the dining room.
    TableId
);
typed_id!(
    /// An order from any channel.
    OrderId
);
typed_id!(
    /// One line of an order.
    OrderLineId
);
typed_id!(
    /// A payment or refund row of the payment ledger.
    PaymentId
);
typed_id!(
    /// A table reservation.
    ReservationId
);
typed_id!(
    /// A chat conversation with a diner or staff.
    ConversationId
);
typed_id!(
    /// A cash drawer (each counter PC has one; more may be configured).
    DrawerId
);
typed_id!(
    /// One session of a drawer, from its counted float to its close.
    DrawerSessionId
);
typed_id!(
    /// One cash movement of a drawer session (sale, refund, pay-in, pay-out).
    DrawerMovementId
);
typed_id!(
    /// One blind count of a drawer session.
    DrawerCountId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_and_round_trip() {
        let a = OrderId::new();
        let b = OrderId::new();
        assert!(a < b, "UUIDv7 made later must sort later");
        let parsed: OrderId = a.to_string().parse().expect("parse");
        assert_eq!(parsed, a);
        assert_eq!(a.0.get_version_num(), 7);
    }
}

/// Declares an id the cloud stores in Postgres: with the `postgres` feature it binds and
/// reads as the `uuid` it wraps (sqlx `Type`/`Encode`/`Decode`), so queries take and give
/// the typed id. The appliance does not enable the feature.
macro_rules! cloud_id {
    ($(#[$meta:meta])* $name:ident) => {
        typed_id!(
            @with [
                cfg_attr(feature = "postgres", derive(sqlx::Type)),
                cfg_attr(feature = "postgres", sqlx(transparent))
            ]
            $(#[$meta])* $name
        );
    };
}

cloud_id!(
    /// A tenant of the cloud: one restaurant business, isolated by row-level security.
    TenantId
);
cloud_id!(
    /// One of a tenant's restaurants (an appliance's location).
    LocationId
);
cloud_id!(
    /// An appliance enrolled with the cloud.
    DeviceId
);
cloud_id!(
    /// A dashboard account of a tenant (owner, manager, viewer) or of the platform.
    AccountId
);
