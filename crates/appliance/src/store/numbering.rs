//! This counter's range of order numbers (`dysa_domain::numbering`): its claim on a slot,
//! kept as the synced setting `counter_slot.<device id>`, settled against the other
//! counters' claims when the database opens and after every pull that applied rows.
//! `orders::reserve_numbers` numbers inside the claimed slot.

use super::{Db, StoreError, StoreResult, settings};
use dysa_domain::numbering::{self, BLOCK, CounterSlot};
use dysa_domain::settings::keys::COUNTER_SLOT_PREFIX;
use sqlx::SqliteConnection;

/// The slot this counter numbers in now (A until it has claimed one).
pub async fn current(conn: &mut SqliteConnection) -> StoreResult<CounterSlot> {
    let value: Option<String> = sqlx::query_scalar(
        "SELECT s.value FROM settings s JOIN device d ON d.singleton = 1
         WHERE s.key = ?1 || d.device_id AND s.deleted_at IS NULL",
    )
    .bind(COUNTER_SLOT_PREFIX)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(value
        .as_deref()
        .and_then(parse_slot)
        .unwrap_or(CounterSlot::A))
}

fn parse_slot(text: &str) -> Option<CounterSlot> {
    let index: u8 = serde_json::from_str(text).ok()?;
    CounterSlot::new(index).ok()
}

/// Claims (or keeps) this counter's slot: its standing claim unless a device with a
/// smaller id claims the same one, else the lowest slot no other counter claims and no
/// order held here uses. A counter that numbered orders before slots existed keeps A
/// unless another counter holds it. Writes the claim (synced) only when it changes.
pub async fn settle(db: &Db) -> StoreResult<CounterSlot> {
    let me = db.device_id().to_string();
    let mut tx = db.begin().await?;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, value FROM settings WHERE substr(key, 1, length(?1)) = ?1 AND deleted_at IS NULL",
    )
    .bind(COUNTER_SLOT_PREFIX)
    .fetch_all(&mut *tx)
    .await?;
    let mut stored = None;
    let mut others = Vec::new();
    for (key, value) in rows {
        let (Some(device), Some(slot)) =
            (key.strip_prefix(COUNTER_SLOT_PREFIX), parse_slot(&value))
        else {
            continue;
        };
        if device == me {
            stored = Some(slot);
        } else {
            others.push((device.to_owned(), slot));
        }
    }
    let numbered_before: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM order_counters)")
        .fetch_one(&mut *tx)
        .await?;
    let mine = stored.or(numbered_before.then_some(CounterSlot::A));
    if mine.is_none() {
        // A counter not set up yet (about to join a location, perhaps) claims nothing: it
        // would claim blind. It claims once it has staff, at its next pull or start.
        let set_up: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users)")
            .fetch_one(&mut *tx)
            .await?;
        if !set_up {
            return Ok(CounterSlot::A);
        }
    }
    let mut slot = numbering::settle(&me, mine, &others, &[]);
    if slot != mine {
        // Moving (or picking a first slot): never onto a range that orders held here use.
        let ranges: Vec<i64> =
            sqlx::query_scalar("SELECT DISTINCT number / ?1 FROM orders WHERE number > 0")
                .bind(BLOCK)
                .fetch_all(&mut *tx)
                .await?;
        let seen: Vec<CounterSlot> = ranges
            .into_iter()
            .filter_map(|range| numbering::slot_of(range * BLOCK + 1))
            .collect();
        slot = numbering::settle(&me, mine, &others, &seen);
    }
    let Some(slot) = slot.or(mine) else {
        tracing::warn!("every counter slot A–Z is claimed; numbering in A");
        return Ok(CounterSlot::A);
    };
    if stored != Some(slot) {
        if stored.is_some() {
            tracing::warn!(from = ?stored, to = ?slot, "another counter holds this counter's slot: moving");
        }
        let key = format!("{COUNTER_SLOT_PREFIX}{me}");
        settings::put(&mut tx, &key, &serde_json::json!(slot.index()), db.tick()).await?;
        tx.commit().await.map_err(StoreError::from)?;
    }
    Ok(slot)
}
