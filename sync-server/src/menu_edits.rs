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
    /// Its modifier groups ("Término", "Tamaño"), checked to be the location's; `None`
    /// leaves them as they are (never rewritten from a read that might be stale).
    pub modifier_group_ids: Option<Vec<Uuid>>,
}

impl ItemFields {
    fn into_row(self) -> Row {
        let mut row = Row::new();
        row.insert("category_id".into(), json!(self.category_id));
        row.insert("name".into(), json!(self.name));
        row.insert("description".into(), json!(self.description));
        row.insert("price".into(), json!(self.price));
        row.insert("available".into(), json!(self.available));
        if let Some(groups) = self.modifier_group_ids {
            row.insert("modifier_group_ids".into(), json!(groups));
        }
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
    apply_entity(tx, Entity::Item, location_id, id, payload, hlc).await
}

async fn apply_entity(
    tx: &mut Tx,
    entity: Entity,
    location_id: Uuid,
    id: Uuid,
    payload: Row,
    hlc: dysa_domain::hlc::Hlc,
) -> Result<(), EditError> {
    let change = CloudChange {
        entity,
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
    payload
        .entry("modifier_group_ids")
        .or_insert_with(|| json!([]));
    let defaults = json!({
        "id": id,
        "name_en": null,
        "description_en": null,
        "station": "kitchen",
        "tags": [],
        "allergens": [],
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
                "position": current.position,
            });
            if let Value::Object(known) = known {
                whole.extend(known);
            }
            whole
                .entry("modifier_group_ids")
                .or_insert_with(|| current.modifier_group_ids.clone());
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

/// Creates category `id` ("Postres") at `location_id`, last in the menu and shown: a whole
/// category record, which devices build as their own.
pub async fn create_category(
    state: &AppState,
    tx: &mut Tx,
    location_id: Uuid,
    id: Uuid,
    position: i64,
    name: &str,
    name_en: Option<&str>,
) -> Result<(), EditError> {
    let hlc = state.tenant_clock(tx).await?.tick();
    let mut payload = Row::new();
    payload.insert("id".into(), json!(id));
    payload.insert("name".into(), json!(name));
    payload.insert("name_en".into(), json!(name_en));
    payload.insert("position".into(), json!(position));
    payload.insert("active".into(), json!(true));
    payload.insert("created_at".into(), json!(now_text()));
    payload.insert("updated_at".into(), json!(hlc.to_string()));
    apply_entity(tx, Entity::Category, location_id, id, payload, hlc).await
}
