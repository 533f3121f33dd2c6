//! Sync on the cloud (docs/SYNC.md): merging pushed mutations into `sync_rows`, handing
//! out per-tenant versions, projecting merged rows into the typed tables, and paging
//! changes out to devices.
//!
//! A push is one transaction per batch and a fixed number of statements per batch, not
//! per mutation: the tenant's version row is locked first (this serialises the tenant's
//! sync writes, so versions commit in order and two batches never create the same new
//! row twice); then one query fetches every stored answer for the batch's mutation ids,
//! one fetches (and locks) every row the batch touches, one the live reservations of the
//! tables it books; the merges run in memory with `dysa_domain::sync::merge`; then one
//! statement writes the rows and projects them into every typed table (see
//! `projection`), and a last one records the answers, sets the new version and announces
//! it.

mod check;
mod cloud;
pub mod projection;
mod pull;

pub use cloud::{CloudChange, apply_cloud_change, payload_of};
pub use pull::{Page, PageChange, pull, purged_through};

use check::{check_hlc, check_id, check_storable, storable_mutation_id};
use dysa_domain::ids::{DeviceId, LocationId};

use super::{StoreResult, Tx};
use crate::clock::{CLOCK_SKEW, TenantClock};
use dysa_domain::hlc::Hlc;
use dysa_domain::sync::merge::{DOUBLE_BOOKING, TableHold, double_booking};
use dysa_domain::sync::{
    ChangeRecord, Entity, Mutation, MutationResult, Outcome, Rejection, Row, StoredRow, merge,
};

use crate::pii::{TenantKeys, Vault, sealed_fields};
use sqlx::types::Json;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// The Postgres channel on which committed versions are announced, as
/// `<tenant_id>:<version>`.
pub const NOTIFY_CHANNEL: &str = "dysa_sync";

/// The reason code of a mutation for a row that belongs to another location.
pub const WRONG_LOCATION: &str = "wrong_location";

/// Longest setting key accepted (the appliance's keys are short identifiers).
const MAX_SETTING_KEY: usize = 200;

/// Where a batch of mutations comes from.
#[derive(Clone, Copy, Debug)]
pub struct Origin {
    /// The pushing device; `None` for changes made on the cloud (owners' edits).
    pub device_id: Option<DeviceId>,
    /// The location the batch's location-scoped rows belong to (the device's).
    pub location_id: LocationId,
}

/// What a push did.
#[derive(Debug)]
pub struct Pushed {
    /// One answer per mutation, in the order sent.
    pub results: Vec<MutationResult>,
    /// The tenant's version after the batch, when the batch changed any row.
    pub version: Option<i64>,
    /// The newest HLC among the mutations merged, for the cloud's clock to follow.
    pub newest_hlc: Option<Hlc>,
}

/// A row's key in `sync_rows`: its entity and storage id (see [`storage_id`]).
type Key = (Entity, String);

/// The cloud's copy of one row while a batch works on it.
#[derive(Debug)]
struct Slot {
    location_id: Option<LocationId>,
    stored: StoredRow,
    version: i64,
}

/// The answer to one mutation, before its `current` row is attached.
#[derive(Clone, Debug)]
struct Answer {
    outcome: Outcome,
    reason: Option<String>,
    detail: Option<String>,
    key: Key,
}

impl Answer {
    fn rejected(key: Key, code: &str, detail: String) -> Answer {
        Answer {
            outcome: Outcome::Rejected,
            reason: Some(code.to_owned()),
            // Details may quote what the device sent; Postgres text cannot hold NUL.
            detail: Some(detail.replace('\0', "")),
            key,
        }
    }

    fn refused(key: Key, rejection: &Rejection) -> Answer {
        Answer::rejected(key, rejection.code(), rejection.to_string())
    }
}

/// The id a row is stored under. Setting keys are unique only within a location, so a
/// setting is stored as `<location_id>/<key>`; every other entity id is a UUID made where
/// the row was born and is stored as sent.
pub fn storage_id(entity: Entity, location_id: LocationId, wire_id: &str) -> String {
    if entity == Entity::Setting {
        format!("{location_id}/{wire_id}")
    } else {
        wire_id.to_owned()
    }
}

/// The id a stored row carries on the wire (the inverse of [`storage_id`]).
pub fn wire_id(entity: Entity, storage_id: &str) -> &str {
    if entity == Entity::Setting {
        storage_id
            .split_once('/')
            .map_or(storage_id, |(_, key)| key)
    } else {
        storage_id
    }
}

/// The stored form of a row's field HLCs: only the fields written before its newest HLC
/// (see the migration). Most rows are written once, so this is usually empty, which
/// halves what a push writes.
fn compact_field_hlc<'a>(stored: &'a StoredRow, newest: &str) -> BTreeMap<&'a str, &'a str> {
    stored
        .field_hlc
        .iter()
        .filter(|(_, hlc)| hlc.as_str() != newest)
        .map(|(field, hlc)| (field.as_str(), hlc.as_str()))
        .collect()
}

/// The merged row from its stored columns (the inverse of [`compact_field_hlc`]).
fn expand(
    row: Row,
    older: BTreeMap<String, String>,
    newest: &str,
    deleted_hlc: Option<String>,
) -> StoredRow {
    let field_hlc = row
        .keys()
        .map(|field| {
            let hlc = older
                .get(field)
                .cloned()
                .unwrap_or_else(|| newest.to_owned());
            (field.clone(), hlc)
        })
        .collect();
    StoredRow {
        row,
        field_hlc,
        deleted_hlc,
    }
}

/// The live reservations holding tables, by reservation id, as the batch changes them.
#[derive(Debug, Default)]
struct Holds(HashMap<String, TableHold>);

impl Holds {
    fn others(&self, reservation: &str) -> Vec<TableHold> {
        self.0
            .iter()
            .filter(|(id, _)| id.as_str() != reservation)
            .map(|(_, hold)| hold.clone())
            .collect()
    }

    fn set(&mut self, reservation: &str, stored: &StoredRow) {
        match TableHold::of(&stored.row).filter(|_| !stored.is_deleted()) {
            Some(hold) => {
                self.0.insert(reservation.to_owned(), hold);
            }
            None => {
                self.0.remove(reservation);
            }
        }
    }
}

/// Merges a batch of mutations (oldest first) from `origin`, writes the changed rows,
/// their projections and the answers, and announces the new version on
/// [`NOTIFY_CHANNEL`] (Postgres delivers it when the transaction commits, and not at all
/// if it rolls back). `now_ms` is the cloud's wall clock, for the HLC drift check;
/// `clock` is the tenant's, which follows each stamp at most its skew ahead. A stamp
/// further ahead (but within a day) is replaced by the clock's own: the change is applied
/// and answered `adjusted`, reason [`CLOCK_SKEW`]. `None`: the stamps are the cloud's
/// own, already taken from the tenant's clock.
///
/// A replayed mutation id gets its first answer again (with the row as it is now) and
/// changes nothing. Rejections are answers: the caller commits the batch either way.
pub async fn push(
    tx: &mut Tx,
    vault: &Vault,
    origin: Origin,
    mutations: &[Mutation],
    now_ms: u64,
    clock: Option<&TenantClock>,
) -> StoreResult<Pushed> {
    if mutations.is_empty() {
        if let Some(device) = origin.device_id {
            super::devices::touch(tx, device).await?;
        }
        return Ok(Pushed {
            results: Vec::new(),
            version: None,
            newest_hlc: None,
        });
    }
    let base = lock_version(tx).await?;
    let replayed = stored_answers(tx, mutations).await?;

    let mut keys: Vec<Key> = Vec::with_capacity(mutations.len());
    let mut seen_keys = HashSet::with_capacity(mutations.len());
    for m in mutations {
        let key = match replayed.get(m.mutation_id.as_str()) {
            Some(answer) => answer.key.clone(),
            // Ids that cannot name a row are refused without a lookup.
            None if check_id(m).is_err() => continue,
            None => (
                m.entity,
                storage_id(m.entity, origin.location_id, &m.entity_id),
            ),
        };
        if seen_keys.insert(key.clone()) {
            keys.push(key);
        }
    }
    // Customer data is sealed at rest: the batch merges and answers plaintext, and seals
    // again what it writes (crate::pii).
    let tenant_keys = if keys.iter().any(|(e, _)| !sealed_fields(*e).is_empty()) {
        Some(vault.keys(tx).await?)
    } else {
        None
    };
    let mut slots = fetch_rows(tx, &keys).await?;
    if let Some(tenant_keys) = &tenant_keys {
        for ((entity, id), slot) in &mut slots {
            tenant_keys.open_row(*entity, id, &mut slot.stored.row);
        }
    }
    let holds = fetch_holds(tx, origin.location_id, mutations, &slots).await?;
    let mut batch = Batch {
        origin,
        now_ms,
        clock,
        slots,
        holds,
        dirty: Vec::new(),
        dirty_set: HashSet::new(),
        newest: None,
    };

    let mut answers: Vec<Answer> = Vec::with_capacity(mutations.len());
    let mut fresh: Vec<usize> = Vec::new();
    let mut answered: HashMap<&str, usize> = HashMap::with_capacity(mutations.len());
    for m in mutations {
        if let Some(&first) = answered.get(m.mutation_id.as_str()) {
            // The same mutation twice in one batch: one merge, the same answer twice.
            answers.push(answers[first].clone());
            continue;
        }
        let answer = match replayed.get(m.mutation_id.as_str()) {
            Some(stored) => stored.clone(),
            None => {
                fresh.push(answers.len());
                batch.apply(m)
            }
        };
        answered.insert(m.mutation_id.as_str(), answers.len());
        answers.push(answer);
    }

    let Batch {
        mut slots,
        dirty,
        newest,
        ..
    } = batch;
    let version = if dirty.is_empty() {
        None
    } else {
        for (n, key) in dirty.iter().enumerate() {
            if let Some(slot) = slots.get_mut(key) {
                slot.version = base + 1 + n as i64;
            }
        }
        let version = base + dirty.len() as i64;
        write_and_project(tx, tenant_keys.as_deref(), &dirty, &slots).await?;
        Some(version)
    };
    finish(tx, origin, mutations, &answers, &fresh, &slots, version).await?;

    let results = mutations
        .iter()
        .zip(answers)
        .map(|(m, answer)| MutationResult {
            mutation_id: m.mutation_id.clone(),
            outcome: answer.outcome,
            reason: answer.reason,
            detail: answer.detail,
            current: slots
                .get(&answer.key)
                .map(|slot| change_record(&answer.key, slot)),
        })
        .collect();
    Ok(Pushed {
        results,
        version,
        newest_hlc: newest,
    })
}

/// A batch's working copy of the rows it touches.
struct Batch<'c> {
    origin: Origin,
    now_ms: u64,
    /// The tenant's clock: follows the batch's stamps, or stamps a skewed change itself
    /// (`None` for the cloud's own changes).
    clock: Option<&'c TenantClock>,
    slots: HashMap<Key, Slot>,
    holds: Holds,
    /// Changed rows, in the order they first changed (the order versions are given in).
    dirty: Vec<Key>,
    dirty_set: HashSet<Key>,
    newest: Option<Hlc>,
}

impl Batch<'_> {
    /// Merges one new mutation into the working copy.
    fn apply(&mut self, m: &Mutation) -> Answer {
        let origin = self.origin;
        let key: Key = (
            m.entity,
            storage_id(m.entity, origin.location_id, &m.entity_id),
        );
        if let Err(rejection) = check_id(m).and_then(|()| check_storable(m)) {
            return Answer::refused(key, &rejection);
        }
        let hlc = match check_hlc(&m.hlc, self.now_ms) {
            Ok(hlc) => hlc,
            Err(rejection) => return Answer::refused(key, &rejection),
        };
        // A device clock ahead by more than the skew is not followed: the change takes
        // the tenant clock's own stamp (and the answer says so).
        let restamped;
        let (m, hlc, skewed) = match self.clock {
            Some(clock) if !clock.follow(hlc, self.now_ms) => {
                let own = clock.tick_at(self.now_ms);
                restamped = Mutation {
                    hlc: own.to_string(),
                    ..m.clone()
                };
                let ahead_min = hlc.wall_ms.saturating_sub(self.now_ms).div_ceil(60_000);
                (&restamped, own, Some(ahead_min))
            }
            _ => (m, hlc, None),
        };
        let location_id = m.entity.is_location_scoped().then_some(origin.location_id);
        let current = self.slots.get(&key);
        if let Some(slot) = current
            && slot.location_id != location_id
        {
            // Ids are born unique, so this is a bug or a forged push: a restaurant never
            // writes another restaurant's rows.
            return Answer::rejected(
                key,
                WRONG_LOCATION,
                "la fila pertenece a otro local".to_owned(),
            );
        }
        let mut merged = match merge(current.map(|s| &s.stored), m) {
            Ok(merged) => merged,
            Err(rejection) => return Answer::refused(key, &rejection),
        };
        let version = current.map_or(0, |s| s.version);
        let mut outcome = Outcome::Applied;
        let mut reason = None;
        let mut detail = None;
        if let Some(ahead_min) = skewed {
            outcome = Outcome::Adjusted;
            reason = Some(CLOCK_SKEW.to_owned());
            detail = Some(format!(
                "el reloj del equipo va {ahead_min} min adelantado; se guardó con la hora de la nube / \
                 the device clock is {ahead_min} min ahead; saved with the cloud's time"
            ));
        }
        if m.entity == Entity::Reservation {
            let others = self.holds.others(&m.entity_id);
            if !merged.stored.is_deleted() && double_booking(&mut merged.stored, &m.hlc, &others) {
                merged.changed = true;
                outcome = Outcome::Adjusted;
                reason = Some(DOUBLE_BOOKING.to_owned());
                detail = merged
                    .stored
                    .row
                    .get("cancel_reason")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned);
            }
            self.holds.set(&m.entity_id, &merged.stored);
        }
        if self.newest.is_none_or(|n| hlc > n) {
            self.newest = Some(hlc);
        }
        if merged.changed {
            if self.dirty_set.insert(key.clone()) {
                self.dirty.push(key.clone());
            }
            self.slots.insert(
                key.clone(),
                Slot {
                    location_id,
                    stored: merged.stored,
                    version,
                },
            );
        }
        Answer {
            outcome,
            reason,
            detail,
            key,
        }
    }
}

fn change_record(key: &Key, slot: &Slot) -> ChangeRecord {
    ChangeRecord {
        version: slot.version,
        entity: key.0,
        entity_id: wire_id(key.0, &key.1).to_owned(),
        location_id: slot.location_id.map(|l| l.to_string()),
        deleted: slot.stored.is_deleted(),
        row: slot.stored.row.clone(),
        hlc: slot.stored.newest_hlc(),
    }
}

/// Takes the tenant's sync lock (its version row) until the transaction ends, so a
/// decision read from the synced rows (a cloud booking choosing a table) is not raced by
/// a device's push or another owner's write; the write that follows locks it again.
pub async fn lock_tenant(tx: &mut Tx) -> StoreResult<()> {
    lock_version(tx).await.map(|_| ())
}

/// Locks the tenant's version row (creating it on the tenant's first sync write) and
/// answers the version. Held until commit, so the tenant's writers take turns.
async fn lock_version(tx: &mut Tx) -> StoreResult<i64> {
    const LOCK: &str =
        "SELECT version FROM sync_versions WHERE tenant_id = app_tenant() FOR UPDATE";
    if let Some(version) = sqlx::query_scalar(LOCK).fetch_optional(&mut **tx).await? {
        return Ok(version);
    }
    sqlx::query(
        "INSERT INTO sync_versions (tenant_id, version) VALUES (app_tenant(), 0)
         ON CONFLICT (tenant_id) DO NOTHING",
    )
    .execute(&mut **tx)
    .await?;
    Ok(sqlx::query_scalar(LOCK).fetch_one(&mut **tx).await?)
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    mutation_id: String,
    entity: String,
    entity_id: String,
    outcome: String,
    reason: Option<String>,
    detail: Option<String>,
}

fn outcome_text(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Applied => "applied",
        Outcome::Adjusted => "adjusted",
        Outcome::Rejected => "rejected",
    }
}

/// The first answers already given to any of the batch's mutation ids.
async fn stored_answers(
    tx: &mut Tx,
    mutations: &[Mutation],
) -> StoreResult<HashMap<String, Answer>> {
    let ids: Vec<&str> = mutations
        .iter()
        .map(|m| m.mutation_id.as_str())
        .filter(|id| storable_mutation_id(id))
        .collect();
    // One primary-key probe per id (the LATERAL with LIMIT is not flattened): with
    // `mutation_id = ANY($1)` a cached generic plan may scan every answer of the tenant
    // and filter, which grows with the tenant's history.
    let rows: Vec<AnswerRow> = sqlx::query_as(
        "SELECT m.mutation_id, m.entity, m.entity_id, m.outcome, m.reason, m.detail
         FROM UNNEST($1::text[]) AS k(id)
         CROSS JOIN LATERAL (
             SELECT mutation_id, entity, entity_id, outcome, reason, detail FROM sync_mutations
             WHERE tenant_id = app_tenant() AND mutation_id = k.id
             LIMIT 1
         ) m",
    )
    .bind(&ids)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            // Only this code writes these columns; an unknown value cannot occur.
            let entity = row.entity.parse().ok()?;
            let outcome = match row.outcome.as_str() {
                "applied" => Outcome::Applied,
                "adjusted" => Outcome::Adjusted,
                _ => Outcome::Rejected,
            };
            Some((
                row.mutation_id,
                Answer {
                    outcome,
                    reason: row.reason,
                    detail: row.detail,
                    key: (entity, row.entity_id),
                },
            ))
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct StoredRowRecord {
    entity: String,
    entity_id: String,
    location_id: Option<LocationId>,
    row: Json<Row>,
    field_hlc: Json<BTreeMap<String, String>>,
    deleted_hlc: Option<String>,
    hlc: String,
    version: i64,
}

/// The stored rows of `keys`, locked for the rest of the transaction.
async fn fetch_rows(tx: &mut Tx, keys: &[Key]) -> StoreResult<HashMap<Key, Slot>> {
    // Locks are taken in key order, the same in every batch (no lock-order deadlocks even
    // without the version row's lock).
    let mut sorted: Vec<&Key> = keys.iter().collect();
    sorted.sort_by(|a, b| (a.0.as_str(), &a.1).cmp(&(b.0.as_str(), &b.1)));
    let entities: Vec<&str> = sorted.iter().map(|(e, _)| e.as_str()).collect();
    let ids: Vec<&str> = sorted.iter().map(|(_, id)| id.as_str()).collect();
    // One primary-key probe per key, whatever plan is cached (see `stored_answers`).
    let rows: Vec<StoredRowRecord> = sqlx::query_as(
        "SELECT r.entity, r.entity_id, r.location_id, r.row, r.field_hlc, r.deleted_hlc, r.hlc,
                r.version
         FROM UNNEST($1::text[], $2::text[]) WITH ORDINALITY AS k(entity, entity_id, n)
         CROSS JOIN LATERAL (
             SELECT entity, entity_id, location_id, row, field_hlc, deleted_hlc, hlc, version
             FROM sync_rows
             WHERE tenant_id = app_tenant() AND entity = k.entity AND entity_id = k.entity_id
             LIMIT 1
             FOR UPDATE
         ) r
         ORDER BY k.n",
    )
    .bind(&entities)
    .bind(&ids)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let entity = r.entity.parse().ok()?;
            Some((
                (entity, r.entity_id),
                Slot {
                    location_id: r.location_id,
                    stored: expand(r.row.0, r.field_hlc.0, &r.hlc, r.deleted_hlc),
                    version: r.version,
                },
            ))
        })
        .collect())
}

/// The live reservations of `location` holding any table the batch's reservations name
/// (in their payload or their stored row), for the double-booking rule.
async fn fetch_holds(
    tx: &mut Tx,
    location: LocationId,
    mutations: &[Mutation],
    slots: &HashMap<Key, Slot>,
) -> StoreResult<Holds> {
    let mut tables: Vec<String> = Vec::new();
    for m in mutations.iter().filter(|m| m.entity == Entity::Reservation) {
        let stored = slots.get(&(Entity::Reservation, m.entity_id.clone()));
        let named = [
            m.payload.get("table_id"),
            stored.and_then(|s| s.stored.row.get("table_id")),
        ];
        let named = named
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .filter(|t| Uuid::parse_str(t).is_ok());
        for table in named {
            if !tables.iter().any(|t| t == table) {
                tables.push(table.to_owned());
            }
        }
    }
    let mut holds = Holds::default();
    if tables.is_empty() {
        return Ok(holds);
    }
    // Per table, through the partial index `sync_rows_table_holds`.
    let rows: Vec<(String, Json<Row>)> = sqlx::query_as(
        "SELECT r.entity_id, r.row FROM UNNEST($2::text[]) AS t(table_id)
         CROSS JOIN LATERAL (
             SELECT entity_id, row FROM sync_rows
             WHERE tenant_id = app_tenant() AND entity = 'reservation' AND location_id = $1
               AND deleted_hlc IS NULL AND row ->> 'table_id' = t.table_id
               AND row ->> 'status' IN ('booked', 'confirmed', 'seated')
             OFFSET 0
         ) r",
    )
    .bind(location)
    .bind(&tables)
    .fetch_all(&mut **tx)
    .await?;
    for (id, row) in rows {
        if let Some(hold) = TableHold::of(&row.0) {
            holds.0.insert(id, hold);
        }
    }
    Ok(holds)
}

/// Writes the changed rows and their projections. Usually one statement
/// ([`projection::write_and_project`]) under a savepoint; if the database refuses it (a row
/// that cannot be typed yet), the rows are written alone and projected piece by piece.
async fn write_and_project(
    tx: &mut Tx,
    keys: Option<&TenantKeys>,
    dirty: &[Key],
    slots: &HashMap<Key, Slot>,
) -> StoreResult<()> {
    let columns = RowColumns::of(keys, dirty, slots);
    sqlx::raw_sql("SAVEPOINT sync_write")
        .execute(&mut **tx)
        .await?;
    match columns
        .bind(projection::write_and_project())
        .execute(&mut **tx)
        .await
    {
        Ok(_) => {
            sqlx::raw_sql("RELEASE SAVEPOINT sync_write")
                .execute(&mut **tx)
                .await?;
            return write_lookup_hashes(tx, keys, dirty, slots).await;
        }
        Err(sqlx::Error::Database(error)) => {
            tracing::debug!(%error, "batch projection failed; projecting piece by piece");
        }
        Err(other) => return Err(other.into()),
    }
    sqlx::raw_sql("ROLLBACK TO SAVEPOINT sync_write; RELEASE SAVEPOINT sync_write")
        .execute(&mut **tx)
        .await?;
    columns
        .bind(projection::WRITE_ROWS)
        .execute(&mut **tx)
        .await?;
    project_piecewise(tx, dirty).await?;
    write_lookup_hashes(tx, keys, dirty, slots).await
}

/// Sets the keyed hashes of the changed customers' and reservations' phones and emails in
/// their typed rows (lookups go through them: the columns themselves are sealed).
async fn write_lookup_hashes(
    tx: &mut Tx,
    keys: Option<&TenantKeys>,
    dirty: &[Key],
    slots: &HashMap<Key, Slot>,
) -> StoreResult<()> {
    let Some(keys) = keys else { return Ok(()) };
    let mut entities = Vec::new();
    let mut ids = Vec::new();
    let mut phones = Vec::new();
    let mut emails = Vec::new();
    for key in dirty {
        if !matches!(key.0, Entity::Customer | Entity::Reservation) {
            continue;
        }
        let Some(slot) = slots.get(key) else { continue };
        let Ok(id) = key.1.parse::<Uuid>() else {
            continue;
        };
        let text = |field: &str| slot.stored.row.get(field).and_then(|v| v.as_str());
        entities.push(key.0.as_str());
        ids.push(id);
        phones.push(text("phone").and_then(|p| keys.phone_hash(p)));
        emails.push(text("email").and_then(|e| keys.email_hash(e)));
    }
    if ids.is_empty() {
        return Ok(());
    }
    crate::store::customers::set_lookup_hashes(tx, &entities, &ids, &phones, &emails).await
}

/// The `sync_rows` columns of a batch's changed rows, as arrays for UNNEST.
struct RowColumns<'a> {
    entities: Vec<&'a str>,
    ids: Vec<&'a str>,
    locations: Vec<Option<Uuid>>,
    rows: Vec<Json<Cow<'a, Row>>>,
    field_hlcs: Vec<Json<BTreeMap<&'a str, &'a str>>>,
    deleted: Vec<Option<&'a str>>,
    hlcs: Vec<String>,
    versions: Vec<i64>,
}

impl<'a> RowColumns<'a> {
    fn of(keys: Option<&TenantKeys>, dirty: &'a [Key], slots: &'a HashMap<Key, Slot>) -> Self {
        let mut c = RowColumns {
            entities: Vec::with_capacity(dirty.len()),
            ids: Vec::with_capacity(dirty.len()),
            locations: Vec::with_capacity(dirty.len()),
            rows: Vec::with_capacity(dirty.len()),
            field_hlcs: Vec::with_capacity(dirty.len()),
            deleted: Vec::with_capacity(dirty.len()),
            hlcs: Vec::with_capacity(dirty.len()),
            versions: Vec::with_capacity(dirty.len()),
        };
        for key in dirty {
            let Some(slot) = slots.get(key) else { continue };
            let newest = slot.stored.newest_hlc();
            c.entities.push(key.0.as_str());
            c.ids.push(key.1.as_str());
            c.locations.push(slot.location_id.map(|l| l.0));
            c.rows.push(Json(match keys {
                Some(keys) => keys.seal_row(key.0, &key.1, &slot.stored.row),
                None => Cow::Borrowed(&slot.stored.row),
            }));
            c.field_hlcs
                .push(Json(compact_field_hlc(&slot.stored, &newest)));
            c.deleted.push(slot.stored.deleted_hlc.as_deref());
            c.hlcs.push(newest);
            c.versions.push(slot.version);
        }
        c
    }

    /// `sql` (one of the statements over [`projection::WRITE_ROWS`]'s eight arrays) with
    /// the arrays bound.
    fn bind(
        &self,
        sql: &'static str,
    ) -> sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments> {
        sqlx::query(sql)
            .bind(&self.entities)
            .bind(&self.ids)
            .bind(&self.locations)
            .bind(&self.rows)
            .bind(&self.field_hlcs)
            .bind(&self.deleted)
            .bind(&self.hlcs)
            .bind(&self.versions)
    }
}

/// Projects the changed rows (already in `sync_rows`) entity by entity, and row by row
/// for an entity whose statement fails; rows that still fail are skipped and noted in
/// `sync_rows.projection_error`: the merged row is safe, and its projection is written
/// again when it next changes.
async fn project_piecewise(tx: &mut Tx, dirty: &[Key]) -> StoreResult<()> {
    let mut failures: Vec<(Entity, &str, String)> = Vec::new();
    for entity in Entity::ALL {
        let ids: Vec<&str> = dirty
            .iter()
            .filter(|key| key.0 == entity)
            .map(|key| key.1.as_str())
            .collect();
        if ids.is_empty() || project_guarded(tx, entity, &ids).await?.is_ok() {
            continue;
        }
        for id in ids {
            if let Err(error) = project_guarded(tx, entity, &[id]).await? {
                tracing::warn!(%entity, %id, %error, "row merged but not projected");
                failures.push((entity, id, error));
            }
        }
    }
    if !failures.is_empty() {
        let entities: Vec<&str> = failures.iter().map(|(e, _, _)| e.as_str()).collect();
        let ids: Vec<&str> = failures.iter().map(|(_, id, _)| *id).collect();
        let errors: Vec<&str> = failures.iter().map(|(_, _, e)| e.as_str()).collect();
        sqlx::query(
            "UPDATE sync_rows s SET projection_error = f.error
             FROM UNNEST($1::text[], $2::text[], $3::text[]) AS f(entity, entity_id, error)
             WHERE s.tenant_id = app_tenant() AND s.entity = f.entity AND s.entity_id = f.entity_id",
        )
        .bind(&entities)
        .bind(&ids)
        .bind(&errors)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Runs one projection statement under its own savepoint. The outer error is a failure
/// of the database link (the batch fails); the inner one is the database refusing these
/// rows.
async fn project_guarded(
    tx: &mut Tx,
    entity: Entity,
    ids: &[&str],
) -> StoreResult<Result<(), String>> {
    sqlx::raw_sql("SAVEPOINT sync_projection")
        .execute(&mut **tx)
        .await?;
    match sqlx::query(projection::statement(entity))
        .bind(ids)
        .execute(&mut **tx)
        .await
    {
        Ok(_) => {
            sqlx::raw_sql("RELEASE SAVEPOINT sync_projection")
                .execute(&mut **tx)
                .await?;
            Ok(Ok(()))
        }
        Err(sqlx::Error::Database(error)) => {
            sqlx::raw_sql(
                "ROLLBACK TO SAVEPOINT sync_projection; RELEASE SAVEPOINT sync_projection",
            )
            .execute(&mut **tx)
            .await?;
            Ok(Err(error.to_string()))
        }
        Err(other) => Err(other.into()),
    }
}

/// Ends a batch with one statement: records the answers to its new mutations (replays are
/// recorded already), stamps the pushing device, sets the tenant's version when it moved
/// and announces it on [`NOTIFY_CHANNEL`]. One round trip, not four: under load each round
/// trip waits for the scheduler.
async fn finish(
    tx: &mut Tx,
    origin: Origin,
    mutations: &[Mutation],
    answers: &[Answer],
    fresh: &[usize],
    slots: &HashMap<Key, Slot>,
    version: Option<i64>,
) -> StoreResult<()> {
    let mut ids = Vec::with_capacity(fresh.len());
    let mut entities = Vec::with_capacity(fresh.len());
    let mut entity_ids = Vec::with_capacity(fresh.len());
    let mut outcomes = Vec::with_capacity(fresh.len());
    let mut reasons = Vec::with_capacity(fresh.len());
    let mut details = Vec::with_capacity(fresh.len());
    let mut versions = Vec::with_capacity(fresh.len());
    for &n in fresh {
        let answer = &answers[n];
        // An answer that cannot be keyed is not kept: a replay gets the same refusal anew.
        if !storable_mutation_id(&mutations[n].mutation_id) || answer.key.1.contains('\0') {
            continue;
        }
        ids.push(mutations[n].mutation_id.as_str());
        entities.push(answer.key.0.as_str());
        entity_ids.push(answer.key.1.as_str());
        outcomes.push(outcome_text(answer.outcome));
        reasons.push(answer.reason.as_deref());
        details.push(answer.detail.as_deref());
        versions.push(
            (answer.outcome != Outcome::Rejected)
                .then(|| slots.get(&answer.key).map(|s| s.version))
                .flatten(),
        );
    }
    // Data-modifying CTEs run whether or not the main query reads them.
    sqlx::query(
        "WITH answers AS (
             INSERT INTO sync_mutations (tenant_id, mutation_id, device_id, entity, entity_id,
                                         outcome, reason, detail, version)
             SELECT app_tenant(), m.id, $2, m.entity, m.entity_id, m.outcome, m.reason,
                    m.detail, m.version
             FROM UNNEST($1::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                         $7::text[], $8::bigint[])
                  AS m(id, entity, entity_id, outcome, reason, detail, version)
             ON CONFLICT (tenant_id, mutation_id) DO NOTHING
         ), device AS (
             UPDATE devices SET last_push_at = now(), last_seen_at = now() WHERE id = $2
         ), counter AS (
             UPDATE sync_versions SET version = $9
             WHERE tenant_id = app_tenant() AND $9::bigint IS NOT NULL
             RETURNING version
         )
         SELECT pg_notify($10, app_tenant()::text || ':' || version::text) FROM counter",
    )
    .bind(&ids)
    .bind(origin.device_id)
    .bind(&entities)
    .bind(&entity_ids)
    .bind(&outcomes)
    .bind(&reasons)
    .bind(&details)
    .bind(&versions)
    .bind(version)
    .bind(NOTIFY_CHANNEL)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct MergedColumns {
    row: Json<Row>,
    field_hlc: Json<BTreeMap<String, String>>,
    deleted_hlc: Option<String>,
    hlc: String,
}

/// The cloud's copy of one row (for owners' edits, which start from it).
pub async fn stored_row(
    tx: &mut Tx,
    vault: &Vault,
    entity: Entity,
    location_id: LocationId,
    wire: &str,
) -> StoreResult<Option<StoredRow>> {
    let found: Option<MergedColumns> = sqlx::query_as(
        "SELECT row, field_hlc, deleted_hlc, hlc FROM sync_rows
         WHERE tenant_id = app_tenant() AND entity = $1 AND entity_id = $2",
    )
    .bind(entity.as_str())
    .bind(storage_id(entity, location_id, wire))
    .fetch_optional(&mut **tx)
    .await?;
    let Some(c) = found else { return Ok(None) };
    let mut row = c.row.0;
    if !sealed_fields(entity).is_empty() {
        let id = storage_id(entity, location_id, wire);
        vault.keys(tx).await?.open_row(entity, &id, &mut row);
    }
    Ok(Some(expand(row, c.field_hlc.0, &c.hlc, c.deleted_hlc)))
}

/// The cloud's copies of the live (not deleted) rows of `entity` at `location_id`, by
/// wire id: what copying a menu to another location starts from (the whole synced row,
/// so nothing the projection leaves out is lost on the way).
pub async fn live_rows(
    tx: &mut Tx,
    entity: Entity,
    location_id: LocationId,
) -> StoreResult<Vec<(String, Row)>> {
    let found: Vec<(String, Json<Row>)> = sqlx::query_as(
        "SELECT entity_id, row FROM sync_rows
         WHERE tenant_id = app_tenant() AND entity = $1 AND location_id = $2
           AND deleted_hlc IS NULL
         ORDER BY entity_id",
    )
    .bind(entity.as_str())
    .bind(location_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(found
        .into_iter()
        .map(|(stored, row)| (wire_id(entity, &stored).to_owned(), row.0))
        .collect())
}

/// The tenant's newest version (0 before its first change).
pub async fn version(tx: &mut Tx) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT coalesce((SELECT version FROM sync_versions WHERE tenant_id = app_tenant()), 0)",
    )
    .fetch_one(&mut **tx)
    .await?)
}

#[cfg(test)]
mod tests;
