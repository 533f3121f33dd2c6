//! Paging changes out to devices: the rows a device's location sees after its cursor,
//! passed through as stored (docs/SYNC.md, "Cloud endpoints").

use super::wire_id;
use crate::store::{StoreResult, Tx};
use dysa_domain::ids::LocationId;
use dysa_domain::sync::Entity;
use serde::Serialize;
use serde_json::value::RawValue;
use sqlx::types::Json;

#[derive(sqlx::FromRow)]
struct PageRow {
    head: i64,
    entity: Option<String>,
    entity_id: Option<String>,
    location_id: Option<LocationId>,
    row: Option<Json<Box<RawValue>>>,
    deleted: Option<bool>,
    hlc: Option<String>,
    version: Option<i64>,
}

/// One change of a page: serialises exactly as [`ChangeRecord`], but the row is passed
/// through as the stored JSON text, never parsed into a map and written out again (pulls
/// move many rows).
#[derive(Debug, Serialize)]
pub struct PageChange {
    /// The per-tenant version of this change.
    pub version: i64,
    /// What kind of row.
    pub entity: Entity,
    /// The row's id.
    pub entity_id: String,
    /// The location the row belongs to; `None` for tenant-wide rows.
    pub location_id: Option<String>,
    /// True when the row is a tombstone.
    pub deleted: bool,
    /// Every synced field of the row, merged (JSON object).
    pub row: Box<RawValue>,
    /// The newest HLC among the row's fields.
    pub hlc: String,
}

/// A page of changes: serialises exactly as [`dysa_domain::sync::PullResponse`].
#[derive(Debug, Serialize)]
pub struct Page {
    /// The changes, by version.
    pub changes: Vec<PageChange>,
    /// Where the next pull starts.
    pub cursor: i64,
    /// More changes wait after `cursor`.
    pub has_more: bool,
}

/// The changes after `cursor` a device of `location_id` sees (its location's rows and
/// tenant-wide rows), oldest first, at most `limit`; tombstones only when
/// `include_tombstones` (a snapshot leaves them out: a new device has nothing to delete).
///
/// The cursor answered is the last version of the page while more wait; on the last page
/// it is the tenant's version as of this read. That is safe because the tenant's writes
/// commit in version order, so the read sees every version up to it: the rows in between
/// belong to other locations (or are left-out tombstones), and the device need not scan
/// them again.
pub async fn pull(
    tx: &mut Tx,
    vault: &crate::pii::Vault,
    location_id: LocationId,
    cursor: i64,
    limit: i64,
    include_tombstones: bool,
) -> StoreResult<Page> {
    // One statement, so the head and the page come from the same snapshot.
    let rows: Vec<PageRow> = sqlx::query_as(
        "SELECT h.head, c.entity, c.entity_id, c.location_id, c.row, c.deleted, c.hlc, c.version
         FROM (SELECT coalesce((SELECT version FROM sync_versions
                                WHERE tenant_id = app_tenant()), 0) AS head) h
         LEFT JOIN LATERAL (
             SELECT entity, entity_id, location_id, row, deleted_hlc IS NOT NULL AS deleted, hlc,
                    version
             FROM sync_rows
             WHERE tenant_id = app_tenant() AND version > $1
               AND (location_id = $2 OR location_id IS NULL)
               AND ($3 OR deleted_hlc IS NULL)
             ORDER BY version
             LIMIT $4
         ) c ON true",
    )
    .bind(cursor)
    .bind(location_id)
    .bind(include_tombstones)
    .bind(limit + 1)
    .fetch_all(&mut **tx)
    .await?;
    let head = rows.first().map_or(0, |r| r.head);
    let mut changes: Vec<PageChange> = rows
        .into_iter()
        .filter_map(|r| {
            let entity: Entity = r.entity?.parse().ok()?;
            let storage = r.entity_id?;
            Some(PageChange {
                version: r.version?,
                entity,
                entity_id: wire_id(entity, &storage).to_owned(),
                location_id: r.location_id.map(|l| l.to_string()),
                deleted: r.deleted.unwrap_or(false),
                row: r.row?.0,
                hlc: r.hlc.unwrap_or_default(),
            })
        })
        .collect();
    let has_more = changes.len() as i64 > limit;
    changes.truncate(usize::try_from(limit).unwrap_or(0));
    open_sealed(tx, vault, &mut changes).await?;
    let cursor = if has_more {
        changes.last().map_or(cursor, |c| c.version)
    } else {
        head.max(changes.last().map_or(0, |c| c.version))
    };
    Ok(Page {
        changes,
        cursor,
        has_more,
    })
}

/// Opens the customer data sealed at rest in a page's rows: counters receive plaintext
/// (over TLS, docs/SECURITY.md). Only rows of entities with sealed fields are parsed; the
/// rest pass through as stored.
async fn open_sealed(
    tx: &mut Tx,
    vault: &crate::pii::Vault,
    changes: &mut [PageChange],
) -> StoreResult<()> {
    let mut keys = None;
    for change in changes {
        if crate::pii::sealed_fields(change.entity).is_empty()
            || !change.row.get().contains(crate::pii::SEALED_PREFIX)
        {
            continue;
        }
        if keys.is_none() {
            keys = Some(vault.keys(tx).await?);
        }
        let Some(keys) = &keys else { continue };
        let Ok(mut row) = serde_json::from_str::<dysa_domain::sync::Row>(change.row.get()) else {
            continue;
        };
        keys.open_row(change.entity, &change.entity_id, &mut row);
        if let Ok(raw) = serde_json::value::to_raw_value(&row) {
            change.row = raw;
        }
    }
    Ok(())
}

/// The newest version of a tombstone the retention sweep purged for the caller's tenant
/// (0 when none was): a pull from a cursor below it could miss a delete, so the device must
/// reload from a snapshot (docs/SYNC.md, "Retention").
pub async fn purged_through(tx: &mut Tx) -> StoreResult<i64> {
    let horizon: Option<i64> = sqlx::query_scalar(
        "SELECT purged_through FROM sync_purge_horizons WHERE tenant_id = app_tenant()",
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(horizon.unwrap_or(0))
}
