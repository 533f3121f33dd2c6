//! Owners' menu edits on the cloud. They are mutations like a device's: stamped by the
//! cloud's HLC clock and merged by `store::sync` (last writer wins per field), so they get
//! a version and reach the restaurant's devices by pull, and a concurrent edit at the
//! counter of another field is kept. Payload fields are named as the appliance's
//! `ItemRecord`, which is what devices apply.

use crate::state::AppState;
use crate::store::owners::ItemRow;
use crate::store::sync::{self, CloudChange};
use crate::store::{StoreError, Tx};
use dysa_domain::sync::{Entity, Op, Outcome, Row};
use serde_json::{Value, json};
use uuid::Uuid;

/// Why an edit failed.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The merge refused the edit (it cannot for items unless the code above is wrong).
    #[error("the merge refused the edit: {0}")]
    Refused(String),
}

/// The owner-editable fields of an item, as they should be after the edit.
#[derive(Clone, Debug)]
pub struct ItemFields {
    /// Category (decides the location).
    pub category_id: Uuid,
    /// Name, trimmed.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Price with IVA, CLP.
    pub price: i64,
    /// False when sold out.
    pub available: bool,
}

impl ItemFields {
    fn into_row(self) -> Row {
        let mut row = Row::new();
        row.insert("category_id".into(), json!(self.category_id));
        row.insert("name".into(), json!(self.name));
        row.insert("description".into(), json!(self.description));
        row.insert("price".into(), json!(self.price));
        row.insert("available".into(), json!(self.available));
        row
    }
}

fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

async fn apply(
    tx: &mut Tx,
    location_id: Uuid,
    id: Uuid,
    payload: Row,
    hlc: dysa_domain::hlc::Hlc,
) -> Result<(), EditError> {
    let change = CloudChange {
        entity: Entity::Item,
        entity_id: id.to_string(),
        op: Op::Upsert,
        payload,
    };
    let result = sync::apply_cloud_change(tx, location_id, change, hlc).await?;
    if result.outcome == Outcome::Rejected {
        return Err(EditError::Refused(result.detail.unwrap_or_default()));
    }
    Ok(())
}

/// Creates item `id` at `location_id` in position `position` of its category: a whole
/// item record, with the appliance's defaults for what owners do not set here.
pub async fn create_item(
    state: &AppState,
    tx: &mut Tx,
    location_id: Uuid,
    id: Uuid,
    position: i64,
    fields: ItemFields,
) -> Result<(), EditError> {
    let hlc = state.tenant_clock(tx).await?.tick();
    let mut payload = fields.into_row();
    let defaults = json!({
        "id": id,
        "name_en": null,
        "description_en": null,
        "station": "kitchen",
        "tags": [],
        "allergens": [],
        "modifier_group_ids": [],
        "position": position,
        "created_at": now_text(),
        "updated_at": hlc.to_string(),
    });
    if let Value::Object(defaults) = defaults {
        payload.extend(defaults);
    }
    apply(tx, location_id, id, payload, hlc).await
}

/// Changes `current` to `fields`. Only fields whose value changes are sent (with a new
/// `updated_at`), so an edit of the price does not overwrite a name changed meanwhile at
/// the counter; nothing changes, nothing is written. An item the cloud holds no sync row
/// for (written before sync existed) is sent whole, so devices can build it.
pub async fn update_item(
    state: &AppState,
    tx: &mut Tx,
    current: &ItemRow,
    fields: ItemFields,
) -> Result<(), EditError> {
    let id = current.id.to_string();
    let stored = sync::stored_row(tx, Entity::Item, current.location_id, &id).await?;
    let wanted = fields.into_row();
    let mut payload = match &stored {
        Some(stored) => {
            let mut changed = Row::new();
            for (name, value) in wanted {
                if stored.row.get(&name) != Some(&value) {
                    changed.insert(name, value);
                }
            }
            changed
        }
        None => {
            let mut whole = wanted;
            let known = json!({
                "id": current.id,
                "name_en": current.name_en,
                "station": current.station,
                "modifier_group_ids": current.modifier_group_ids,
                "position": current.position,
            });
            if let Value::Object(known) = known {
                whole.extend(known);
            }
            whole
        }
    };
    if payload.is_empty() {
        return Ok(());
    }
    let hlc = state
        .tenant_clock(tx)
        .await?
        .stamp_after(stored.as_ref().map(|s| s.newest_hlc()).as_deref());
    payload.insert("updated_at".into(), json!(hlc.to_string()));
    apply(tx, current.location_id, current.id, payload, hlc).await
}
