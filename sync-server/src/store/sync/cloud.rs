//! Changes made on the cloud (owners' edits, widget bookings, settings), built from the
//! synced row types and merged exactly like a device's push.

use super::{Origin, push};
use crate::store::{StoreResult, Tx};
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::LocationId;
use dysa_domain::sync::rows::SyncedRow;
use dysa_domain::sync::{Entity, Mutation, MutationResult, Op, Row};
use uuid::Uuid;

/// A change made on the cloud (an owner's edit), merged exactly like a pushed mutation.
#[derive(Clone, Debug)]
pub struct CloudChange {
    /// What kind of row.
    pub entity: Entity,
    /// Its id.
    pub entity_id: String,
    /// Upsert or delete.
    pub op: Op,
    /// The changed fields, named as the appliance names them.
    pub payload: Row,
}

impl CloudChange {
    /// An upsert of the whole `row` (its entity's synced type, so the cloud writes the
    /// very shape devices read).
    pub fn upsert<T: SyncedRow>(entity_id: impl Into<String>, row: &T) -> Self {
        CloudChange {
            entity: T::ENTITY,
            entity_id: entity_id.into(),
            op: Op::Upsert,
            payload: payload_of(row),
        }
    }
}

/// The wire payload of `row`: its synced type serialised (a type that is not an object
/// gives an empty payload, which the merge refuses).
pub fn payload_of<T: SyncedRow>(row: &T) -> Row {
    match serde_json::to_value(row) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => Row::new(),
    }
}

/// Applies an owner's edit through [`push`], stamped with `hlc` from the cloud's clock.
/// Answers the merge's answer for the edit.
pub async fn apply_cloud_change(
    tx: &mut Tx,
    vault: &crate::pii::Vault,
    location_id: LocationId,
    change: CloudChange,
    hlc: Hlc,
) -> StoreResult<MutationResult> {
    let mutation = Mutation {
        mutation_id: Uuid::now_v7().to_string(),
        entity: change.entity,
        entity_id: change.entity_id,
        op: change.op,
        payload: change.payload,
        hlc: hlc.to_string(),
    };
    let origin = Origin {
        device_id: None,
        location_id,
    };
    let mut pushed = push(
        tx,
        vault,
        origin,
        std::slice::from_ref(&mutation),
        hlc.wall_ms,
        None,
    )
    .await?;
    Ok(pushed.results.remove(0))
}
