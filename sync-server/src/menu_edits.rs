//! Owners' menu edits on the cloud. They are mutations like a device's: stamped by the
//! cloud's HLC clock and merged by `store::sync` (last writer wins per field), so they get
//! a version and reach the restaurant's devices by pull, and a concurrent edit at the
//! counter of another field is kept. Payloads are serialised from the synced row types
//! (`dysa_domain::sync::rows`), which is what devices apply.

use crate::state::AppState;
use crate::store::owners::ItemRow;
use crate::store::sync::{self, CloudChange};
use crate::store::{StoreError, Tx};
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{CategoryId, ItemId, LocationId, ModifierGroupId};
use dysa_domain::menu::Station;
use dysa_domain::money::Clp;
use dysa_domain::sync::rows::{self, SyncedRow};
use dysa_domain::sync::{Entity, Op, Outcome, Row};
use serde_json::Value;
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

/// The item fields owners edit here, by wire name: an update sends those that changed.
const EDITED: [&str; 6] = [
    "category_id",
    "name",
    "description",
    "price",
    "available",
    "modifier_group_ids",
];

/// What an update of an item the cloud holds no sync row for sends besides [`EDITED`]:
/// what devices need to build it, as the projection knows it.
const KNOWN: [&str; 4] = ["id", "name_en", "station", "position"];

impl ItemFields {
    /// The whole item as it should be: these fields over `base` (`None` for a new item:
    /// the appliance's defaults).
    fn item(&self, id: Uuid, base: Option<&ItemRow>, position: i64, hlc: Hlc) -> rows::Item {
        let groups = match (&self.modifier_group_ids, base) {
            (Some(groups), _) => groups.clone(),
            (None, Some(base)) => {
                serde_json::from_value(base.modifier_group_ids.clone()).unwrap_or_default()
            }
            (None, None) => Vec::new(),
        };
        rows::Item {
            id: ItemId(id),
            category_id: CategoryId(self.category_id),
            name: self.name.clone(),
            name_en: base.and_then(|b| b.name_en.clone()),
            description: self.description.clone(),
            description_en: None,
            price: Clp(self.price),
            station: base
                .and_then(|b| b.station.parse().ok())
                .unwrap_or(Station::Kitchen),
            tags: Vec::new(),
            allergens: Vec::new(),
            modifier_group_ids: groups.into_iter().map(ModifierGroupId).collect(),
            available: self.available,
            position,
            prep_minutes: None,
            photo: base.and_then(|b| b.photo.as_deref()?.parse().ok()),
            created_at: now_text(),
            updated_at: hlc,
            deleted_at: None,
        }
    }

    /// The wire names of the fields this edit sets.
    fn edited(&self) -> impl Iterator<Item = &'static str> + '_ {
        EDITED
            .into_iter()
            .filter(|name| *name != "modifier_group_ids" || self.modifier_group_ids.is_some())
    }
}

/// The fields `names` of `row`'s payload.
fn pick<'a>(row: &impl SyncedRow, names: impl IntoIterator<Item = &'a str>) -> Row {
    let mut all = sync::payload_of(row);
    names
        .into_iter()
        .filter_map(|name| all.remove_entry(name))
        .collect()
}

fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

async fn apply(
    tx: &mut Tx,
    vault: &crate::pii::Vault,
    location_id: LocationId,
    change: CloudChange,
    hlc: Hlc,
) -> Result<(), EditError> {
    let result = sync::apply_cloud_change(tx, vault, location_id, change, hlc).await?;
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
    location_id: LocationId,
    id: Uuid,
    position: i64,
    fields: ItemFields,
) -> Result<(), EditError> {
    let hlc = state.tenant_clock(tx).await?.tick();
    let item = fields.item(id, None, position, hlc);
    apply(
        tx,
        &state.vault,
        location_id,
        CloudChange::upsert(id.to_string(), &item),
        hlc,
    )
    .await
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
    // `updated_at` is stamped in `send`, once something is known to change.
    let item = fields.item(
        current.id,
        Some(current),
        i64::from(current.position),
        Hlc::ZERO,
    );
    send(state, tx, current, &item, fields.edited()).await
}

/// Gives `current` a photo (its bytes already kept in `media`) or takes it away: only the
/// `photo` field is sent, so nothing changed meanwhile at the counter is overwritten.
pub async fn set_photo(
    state: &AppState,
    tx: &mut Tx,
    current: &ItemRow,
    photo: Option<rows::PhotoHash>,
) -> Result<(), EditError> {
    let fields = ItemFields {
        category_id: current.category_id,
        name: current.name.clone(),
        description: current.description.clone(),
        price: current.price,
        available: current.available,
        modifier_group_ids: None,
    };
    let mut item = fields.item(
        current.id,
        Some(current),
        i64::from(current.position),
        Hlc::ZERO,
    );
    item.photo = photo;
    send(state, tx, current, &item, ["photo"]).await
}

/// Sends the fields `edited` of `item` that differ from the cloud's sync row of
/// `current` (or, with no sync row, the item whole), stamped with a new `updated_at`.
async fn send(
    state: &AppState,
    tx: &mut Tx,
    current: &ItemRow,
    item: &rows::Item,
    edited: impl IntoIterator<Item = &'static str>,
) -> Result<(), EditError> {
    let id = current.id.to_string();
    let stored = sync::stored_row(tx, &state.vault, Entity::Item, current.location_id, &id).await?;
    let mut payload: Row = match &stored {
        Some(stored) => pick(item, edited)
            .into_iter()
            .filter(|(name, value)| stored.row.get(name) != Some(value))
            .collect(),
        None => pick(item, EDITED.into_iter().chain(KNOWN).chain(edited)),
    };
    if payload.is_empty() {
        return Ok(());
    }
    let hlc = state
        .tenant_clock(tx)
        .await?
        .stamp_after(stored.as_ref().map(|s| s.newest_hlc()).as_deref());
    payload.insert("updated_at".into(), Value::String(hlc.to_string()));
    let change = CloudChange {
        entity: Entity::Item,
        entity_id: id,
        op: Op::Upsert,
        payload,
    };
    apply(tx, &state.vault, current.location_id, change, hlc).await
}

/// Creates category `id` ("Postres") at `location_id`, last in the menu and shown: a whole
/// category record, which devices build as their own.
pub async fn create_category(
    state: &AppState,
    tx: &mut Tx,
    location_id: LocationId,
    id: Uuid,
    position: i64,
    name: &str,
    name_en: Option<&str>,
) -> Result<(), EditError> {
    let hlc = state.tenant_clock(tx).await?.tick();
    let category = rows::Category {
        id: CategoryId(id),
        name: name.to_owned(),
        name_en: name_en.map(str::to_owned),
        position,
        active: true,
        created_at: now_text(),
        updated_at: hlc,
        deleted_at: None,
    };
    apply(
        tx,
        &state.vault,
        location_id,
        CloudChange::upsert(id.to_string(), &category),
        hlc,
    )
    .await
}
