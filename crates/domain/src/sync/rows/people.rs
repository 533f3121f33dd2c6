//! Synced rows about people and places: staff accounts, known diners, dining tables and
//! table reservations.

use crate::customer::Rut;
use crate::floor::GridCell;
use crate::hlc::Hlc;
use crate::ids::{CustomerId, ReservationId, TableId, UserId};
use crate::rbac::Role;
use crate::reservation::ReservationStatus;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

synced_row! {
    /// A staff account as it travels: display mirrors for the owners' dashboard (counters
    /// ignore them) and `credentials`, the sealed [`crate::staff_seal::StaffSecret`] — the
    /// only thing counters trust. No password or PIN hash ever travels (docs/SECURITY.md).
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct User in User {
        /// The account's id.
        pub id: UserId,
        /// Display mirror of the name.
        pub name: String,
        /// Display mirror of the login email, normalised to lower case.
        pub email: String,
        /// Display mirror of the role.
        pub role: Role,
        /// Display mirror of the active flag.
        pub active: bool => Bool,
        /// When the account was created (RFC 3339).
        pub created_at: String,
        /// HLC of the last change.
        pub updated_at: Hlc,
        /// The sealed secret (`v1.…`); every write seals anew, an edit may omit it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub credentials: Option<String>,
    }
}

synced_row! {
    /// A known diner, shared by every location of the business.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Customer in Customer {
        /// The customer's id.
        pub id: CustomerId,
        /// Name as the restaurant knows them.
        pub name: String,
        /// Phone in E.164 (`+56987654321`).
        pub phone: Option<String>,
        /// Email, lower case.
        pub email: Option<String>,
        /// Chilean tax id, for invoices.
        pub rut: Option<Rut>,
        /// Staff notes (allergies, favourite table).
        pub notes: Option<String>,
        /// Whether they agreed to receive promotions.
        #[serde(default)]
        pub marketing_consent: bool => Bool,
        /// When the customer was created (RFC 3339).
        pub created_at: String,
        /// HLC of the last change.
        pub updated_at: Hlc,
        /// HLC of the tombstone, if deleted.
        #[serde(default)]
        pub deleted_at: Option<Hlc>,
    }
}

synced_row! {
    /// A table of the dining room.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    #[schema(as = TableRecord)]
    pub struct Table in Table {
        /// The table's id.
        pub id: TableId,
        /// Its name ("Mesa 4", "Barra 1"), unique among live tables.
        pub name: String,
        /// How many people it seats.
        pub seats: u8,
        /// Area ("Terraza", "Salón"), if any.
        pub area: Option<String>,
        /// Sort order in the floor list (ascending).
        pub position: i64,
        /// Inactive tables are kept but not offered for seating or booking.
        pub active: bool => Bool,
        /// Its column on the area's floor plan; not placed yet when absent.
        #[serde(default)]
        pub grid_x: Option<GridCell>,
        /// Its row on the area's floor plan; not placed yet when absent.
        #[serde(default)]
        pub grid_y: Option<GridCell>,
        /// A tab closed on it and staff have not marked it clean yet ("por limpiar").
        #[serde(default)]
        pub needs_cleaning: bool => Bool,
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

synced_row! {
    /// A table reservation. `table_id` is `None` for a booking made on the cloud that no
    /// restaurant has seated yet (the appliance's own records always hold a table).
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Reservation in Reservation {
        /// The reservation's id.
        pub id: ReservationId,
        /// The known diner it belongs to, if any.
        pub customer_id: Option<CustomerId>,
        /// Name the booking is under.
        pub name: String,
        /// Contact phone, E.164.
        pub phone: Option<String>,
        /// How many people.
        pub party_size: u32,
        /// Start (UTC instant).
        pub starts_at: Timestamp,
        /// End, exclusive (UTC instant).
        pub ends_at: Timestamp,
        /// Length in minutes.
        pub duration_minutes: u32,
        /// The table held, if any yet.
        pub table_id: Option<TableId>,
        /// Where it is in its life.
        pub status: ReservationStatus,
        /// Where it was made (`counter`, `widget`, `chat`, `phone`, `online`, `dashboard`).
        pub channel: String,
        /// Notes (high chair, birthday).
        pub notes: Option<String>,
        /// Why it was cancelled.
        pub cancel_reason: Option<String>,
        /// The staff member who made it.
        pub created_by: Option<UserId>,
        /// When it was made (RFC 3339).
        pub created_at: String,
        /// HLC of the last change.
        pub updated_at: Hlc,
    }
}
