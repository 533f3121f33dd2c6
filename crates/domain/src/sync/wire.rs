//! What appliances and the cloud send each other. Both sides serialise exactly these types,
//! so a field renamed here is renamed on both ends at once.

use super::{Entity, Op};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A row's synced fields as a JSON object (field name → value).
pub type Row = Map<String, Value>;

/// One local change, as a device pushes it. The mutation id makes a retried push harmless.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Mutation {
    /// Idempotency key (UUIDv7 made when the change was committed locally).
    pub mutation_id: String,
    /// What kind of row.
    pub entity: Entity,
    /// The row's id (a setting's key for settings).
    pub entity_id: String,
    /// Upsert the given fields, or tombstone the row.
    pub op: Op,
    /// The changed fields (a partial row is fine: only these fields are merged).
    #[schema(value_type = Object)]
    pub payload: Row,
    /// HLC timestamp of the change, as text (sorts as time).
    pub hlc: String,
}

/// A batch of a device's mutations, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PushRequest {
    /// The sync protocol version the device speaks.
    pub schema_version: u32,
    /// The mutations, in the order they were committed on the device.
    pub mutations: Vec<Mutation>,
}

/// What became of one pushed mutation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Merged into the cloud's copy as sent.
    Applied,
    /// Merged, but a rule changed the result (e.g. a double-booked table); `reason` says how.
    Adjusted,
    /// Refused (e.g. an order moving backwards); the device keeps it for staff to see.
    Rejected,
}

/// The cloud's answer for one mutation. A replayed mutation gets its first answer again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MutationResult {
    /// The mutation this answers.
    pub mutation_id: String,
    /// Applied, adjusted or rejected.
    pub outcome: Outcome,
    /// Machine-readable reason for `adjusted` and `rejected` (e.g. `illegal_transition`).
    pub reason: Option<String>,
    /// Human-readable detail for staff (Spanish first, as the rest of the product).
    pub detail: Option<String>,
    /// The row as the cloud holds it now, so the device can converge without waiting for
    /// a pull (absent when the cloud has no such row).
    pub current: Option<ChangeRecord>,
}

/// The cloud's answer to a push.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PushResponse {
    /// One result per mutation, in the order sent.
    pub results: Vec<MutationResult>,
}

/// The newest state of one row, with the tenant version at which it last changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChangeRecord {
    /// The per-tenant version of this change; pulls go by it.
    pub version: i64,
    /// What kind of row.
    pub entity: Entity,
    /// The row's id.
    pub entity_id: String,
    /// The location the row belongs to; `None` for tenant-wide rows (customers).
    pub location_id: Option<String>,
    /// True when the row is a tombstone.
    pub deleted: bool,
    /// Every synced field of the row, merged.
    #[schema(value_type = Object)]
    pub row: Row,
    /// The newest HLC among the row's fields (devices feed it to their clock).
    pub hlc: String,
}

/// A page of changes after a cursor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PullResponse {
    /// The changes, by version.
    pub changes: Vec<ChangeRecord>,
    /// Where the next pull starts (the last version in this page, or the cursor sent).
    pub cursor: i64,
    /// More changes wait after `cursor`.
    pub has_more: bool,
}

/// What the live channel says: the tenant's version moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LiveNotice {
    /// The tenant's newest version.
    pub version: i64,
}
