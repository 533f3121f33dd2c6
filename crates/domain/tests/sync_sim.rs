//! Deterministic simulation of sync under faults.
//!
//! One cloud and three appliances (two at the same location) take thousands of random
//! operations while the network drops, duplicates, delays and reorders messages, devices
//! crash between a local commit and its push acknowledgement, the cloud's answers are lost
//! after it committed, and device clocks are minutes apart. The cloud here keeps its rows in
//! memory but decides exactly as the Postgres store does: replay answers by mutation id,
//! `sync::merge`, `double_booking`, a version per changed row. The devices follow the
//! appliance's rules (docs/SYNC.md): push the outbox oldest first, take the cloud's row unless
//! a local change to it is still pending or a newer version is held.
//!
//! After the network heals, every replica must equal the cloud, and no acknowledged write
//! may be lost, doubled, moved illegally or double-book a table.
//!
//! Staff accounts travel sealed with their location's key (`staff_seal`), and a thief
//! holding only a device token of location A pushes accounts with hashes in clear (refused),
//! admins with forged seals, and old seals replayed as new (stored by the cloud, which cannot
//! tell). No account a counter signs in may ever come from the thief, a replayed seal never
//! wins over a newer one, and the accounts the thief never touched end the same, newest
//! version, on both counters of the location.
//!
//! The two counters of a location number their orders in ranges of their own
//! (`numbering`): no two orders of a location may ever share a number.
//!
//! Tables run tabs across both counters of a location (issue 16): a table opened on one
//! counter takes rounds, is split into bills and paid bill by bill on either, and merged
//! into another table's tab. After healing every tab's bills add up to its live lines,
//! no live line is on two bills, and no payment counts twice; and two counters merging
//! the same tab apart into different tables leave each of its lines live once
//! (`floor::doubled_copies`), but for copies on tabs closed before the counters met.
//!
//! `SYNC_SIM_SEEDS=n` runs n seeds (200 by default); `SYNC_SIM_SEED=s` runs one. A failing
//! seed is printed; add it to `REGRESSION_SEEDS`.

use dysa_domain::bills::{BillLine, BillNo, BillPayment, SplitRequest, plan_split, settle};
use dysa_domain::floor::{CopiedLine, Destination, TabLine, TabMove, doubled_copies, plan_move};
use dysa_domain::hlc::{Hlc, HlcClock};
use dysa_domain::ids::OrderLineId;
use dysa_domain::ids::TableId;
use dysa_domain::kitchen::Seat;
use dysa_domain::money::Clp;
use dysa_domain::numbering::{self, CounterSlot};
use dysa_domain::order::{CancelOutcome, CancelRequest, OrderStatus, check_transition};
use dysa_domain::payment::{PaymentMethod, PaymentRow};
use dysa_domain::rbac::Role;
use dysa_domain::reservation::{
    Booking, CloudBooking, CloudBookingRequest, QuotaSlot, TableCapacity, choose_table,
    decide_cloud_booking, is_cloud_channel, quota_holds,
};
use dysa_domain::settings::keys::COUNTER_SLOT_PREFIX;
use dysa_domain::staff_seal::{self, StaffSecret};
use dysa_domain::sync::merge::{TableHold, double_booking};
use dysa_domain::sync::{
    ChangeRecord, Entity, Mutation, MutationResult, Op, Outcome, PullResponse, Row, StoredRow,
    merge,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Seeds that once failed; they run on every test run.
const REGRESSION_SEEDS: &[u64] = &[];

type Key = (Entity, String);

const LOCATIONS: [&str; 2] = ["loc-a", "loc-b"];
const ITEMS: usize = 4;
const TABLES: usize = 3;
/// Hourly booking slots, each booking two hours long.
const SLOTS: u64 = 8;
const SLOT_BASE_MS: u64 = 1_795_100_000_000;
const BOOKING_MS: u64 = 2 * 3_600_000;
/// Staff accounts per location; the thief goes after the first `THIEF_TARGETS` of location A.
const STAFF: usize = 4;
const THIEF_TARGETS: usize = 2;

/// The location key only the appliances of `location` hold.
fn location_key(location: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    for (k, b) in key.iter_mut().zip(location.bytes().cycle()) {
        *k = b;
    }
    key
}

// ------------------------------------------------------------------------------------------
// The cloud

#[derive(Default)]
struct CloudRow {
    stored: StoredRow,
    version: i64,
    location: Option<String>,
}

#[derive(Default)]
struct Cloud {
    rows: BTreeMap<Key, CloudRow>,
    /// Version → row, the index pulls walk (as the store's `(tenant_id, version)` index).
    by_version: BTreeMap<i64, Key>,
    version: i64,
    answers: HashMap<String, (Outcome, Option<String>)>,
    /// Mutations that changed or were merged into the cloud's state on first arrival.
    merged: BTreeSet<String>,
    /// Every status each order took in the cloud, in order.
    order_history: HashMap<String, Vec<OrderStatus>>,
    clock: Option<HlcClock>,
}

impl Cloud {
    fn current(&self, key: &Key) -> Option<ChangeRecord> {
        self.rows.get(key).map(|r| change_record(key, r))
    }

    fn push(&mut self, location: &str, mutations: &[Mutation]) -> Vec<MutationResult> {
        mutations
            .iter()
            .map(|m| {
                let key = (m.entity, m.entity_id.clone());
                let (outcome, reason) = match self.answers.get(&m.mutation_id) {
                    Some(answer) => answer.clone(),
                    None => {
                        let answer = self.apply(location, m);
                        if answer.0 != Outcome::Rejected {
                            self.merged.insert(m.mutation_id.clone());
                        }
                        self.answers.insert(m.mutation_id.clone(), answer.clone());
                        answer
                    }
                };
                MutationResult {
                    mutation_id: m.mutation_id.clone(),
                    outcome,
                    reason,
                    detail: None,
                    current: self.current(&key),
                }
            })
            .collect()
    }

    fn apply(&mut self, location: &str, m: &Mutation) -> (Outcome, Option<String>) {
        let key = (m.entity, m.entity_id.clone());
        if m.entity == Entity::User
            && let Err(rejection) = staff_seal::check_user_mutation(m)
        {
            return (Outcome::Rejected, Some(rejection.code().to_owned()));
        }
        let existing = self.rows.get(&key);
        let merged = match merge(existing.map(|r| &r.stored), m) {
            Ok(merged) => merged,
            Err(rejection) => return (Outcome::Rejected, Some(rejection.code().to_owned())),
        };
        let mut stored = merged.stored;
        let mut changed = merged.changed;
        let mut outcome = (Outcome::Applied, None);
        if m.entity == Entity::Reservation {
            let holds: Vec<TableHold> = self
                .rows
                .iter()
                .filter(|((e, id), r)| {
                    *e == Entity::Reservation
                        && *id != m.entity_id
                        && r.location.as_deref() == Some(location)
                        && !r.stored.is_deleted()
                })
                .filter_map(|(_, r)| TableHold::of(&r.stored.row))
                .collect();
            if double_booking(&mut stored, &m.hlc, &holds) {
                changed = true;
                outcome = (Outcome::Adjusted, Some("double_booking".to_owned()));
            }
        }
        if m.entity == Entity::Order
            && let Some(status) = stored.row.get("status").and_then(Value::as_str)
        {
            let status: OrderStatus = status.parse().expect("status");
            let history = self.order_history.entry(m.entity_id.clone()).or_default();
            if history.last() != Some(&status) {
                history.push(status);
            }
        }
        if changed {
            self.version += 1;
            if let Some(old) = self.rows.get(&key) {
                self.by_version.remove(&old.version);
            }
            self.by_version.insert(self.version, key.clone());
            let location = m.entity.is_location_scoped().then(|| location.to_owned());
            self.rows.insert(
                key,
                CloudRow {
                    stored,
                    version: self.version,
                    location,
                },
            );
        }
        outcome
    }

    fn pull(&self, location: &str, cursor: i64, limit: usize) -> PullResponse {
        let mut visible: Vec<(&Key, &CloudRow)> = self
            .by_version
            .range(cursor + 1..)
            .map(|(_, key)| (key, &self.rows[key]))
            .filter(|(_, r)| r.location.as_deref().is_none_or(|l| l == location))
            .take(limit + 1)
            .collect();
        let has_more = visible.len() > limit;
        visible.truncate(limit);
        let changes: Vec<ChangeRecord> = visible.iter().map(|(k, r)| change_record(k, r)).collect();
        let next = changes.last().map_or(cursor, |c| c.version);
        PullResponse {
            changes,
            cursor: next,
            has_more,
        }
    }

    /// An owner's edit on the dashboard: a cloud-made mutation through the same merge.
    fn owner_edit(&mut self, now_ms: u64, location: &str, entity: Entity, id: &str, payload: Row) {
        let clock = self
            .clock
            .get_or_insert_with(|| HlcClock::new(0xc10d, Hlc::ZERO));
        let hlc = clock.tick(now_ms).to_string();
        let m = Mutation {
            mutation_id: format!("cloud-{hlc}"),
            entity,
            entity_id: id.to_owned(),
            op: Op::Upsert,
            payload,
            hlc,
        };
        let answer = self.apply(location, &m);
        self.answers.insert(m.mutation_id, answer);
    }

    fn live_row(&self, entity: Entity, id: &str) -> Option<&Row> {
        self.rows
            .get(&(entity, id.to_owned()))
            .filter(|r| !r.stored.is_deleted())
            .map(|r| &r.stored.row)
    }
}

fn change_record(key: &Key, r: &CloudRow) -> ChangeRecord {
    ChangeRecord {
        version: r.version,
        entity: key.0,
        entity_id: key.1.clone(),
        location_id: r.location.clone(),
        deleted: r.stored.is_deleted(),
        row: r.stored.row.clone(),
        hlc: r.stored.newest_hlc(),
    }
}

// ------------------------------------------------------------------------------------------
// An appliance

#[derive(Clone, Debug, PartialEq)]
enum Sent {
    Pending,
    Acknowledged,
    Rejected,
}

struct OutboxRow {
    mutation: Mutation,
    state: Sent,
}

#[derive(Clone, Debug, PartialEq)]
struct LocalRow {
    row: Row,
    deleted: bool,
}

struct Device {
    name: String,
    location: String,
    skew_ms: i64,
    clock: HlcClock,
    rows: BTreeMap<Key, LocalRow>,
    versions: HashMap<Key, i64>,
    outbox: Vec<OutboxRow>,
    /// Outbox position by mutation id, pending changes per row, and the first position
    /// that may still be pending: the indexes the appliance's SQLite gives it for free.
    position: HashMap<String, usize>,
    pending: HashMap<Key, u32>,
    /// Newest version of a row skipped because a local change to it was pending.
    skipped: HashMap<Key, i64>,
    /// Rows whose skipped version never arrived: pulled again before the cursor moves on.
    owed: HashMap<Key, i64>,
    first_pending: usize,
    cursor: i64,
    next_id: u64,
    /// The accounts this counter signs in, taken only from seals it opened (or made).
    staff: BTreeMap<String, StaffSecret>,
    /// The newest seal this counter made, per account.
    made: BTreeMap<String, Hlc>,
    /// The first counter of its location: it claims its range of order numbers at once;
    /// the others join through the cloud, so they claim once they hold another's claim.
    founder: bool,
    /// The range it numbers orders in (`numbering`), once claimed.
    slot: Option<CounterSlot>,
    /// Orders it has numbered.
    numbered: i64,
    /// Copies of merged lines it voided by the rule for doubled merges.
    doubled_voids: usize,
}

impl Device {
    fn new(name: &str, location: &str, node: u64, skew_ms: i64) -> Device {
        Device {
            name: name.to_owned(),
            location: location.to_owned(),
            skew_ms,
            clock: HlcClock::new(node, Hlc::ZERO),
            rows: BTreeMap::new(),
            versions: HashMap::new(),
            outbox: Vec::new(),
            position: HashMap::new(),
            pending: HashMap::new(),
            skipped: HashMap::new(),
            owed: HashMap::new(),
            first_pending: 0,
            cursor: 0,
            next_id: 0,
            staff: BTreeMap::new(),
            made: BTreeMap::new(),
            founder: false,
            slot: None,
            numbered: 0,
            doubled_voids: 0,
        }
    }

    /// Claims or keeps this counter's range of order numbers from the claims and orders
    /// it holds, as the appliance's `store::numbering::settle` does when it opens and
    /// after a pull brought settings.
    fn settle_slot(&mut self, now_ms: u64) {
        let others: Vec<(String, CounterSlot)> = self
            .ids_of(Entity::Setting)
            .into_iter()
            .filter_map(|key| {
                let device = key.strip_prefix(COUNTER_SLOT_PREFIX)?;
                let value = self.live(Entity::Setting, &key)?.get("value")?.as_u64()?;
                let slot = CounterSlot::new(u8::try_from(value).ok()?).ok()?;
                (device != self.name).then(|| (device.to_owned(), slot))
            })
            .collect();
        if self.slot.is_none() && !self.founder && others.is_empty() {
            return;
        }
        let seen: Vec<CounterSlot> = self
            .ids_of(Entity::Order)
            .iter()
            .filter_map(|id| self.live(Entity::Order, id)?.get("number")?.as_i64())
            .filter_map(numbering::slot_of)
            .collect();
        let settled = numbering::settle(&self.name, self.slot, &others, &seen);
        if let Some(slot) = settled
            && settled != self.slot
        {
            self.slot = Some(slot);
            let key = format!("{COUNTER_SLOT_PREFIX}{}", self.name);
            let payload = obj(json!({"key": key, "value": slot.index()}));
            self.write(now_ms, Entity::Setting, &key, Op::Upsert, payload);
        }
    }

    /// The next order number in this counter's range (`None` before it has one).
    fn next_number(&mut self) -> Option<i64> {
        let slot = self.slot?;
        self.numbered += 1;
        Some(numbering::number(slot, self.numbered).expect("number"))
    }

    fn wall(&self, now_ms: u64) -> u64 {
        now_ms.saturating_add_signed(self.skew_ms)
    }

    fn new_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}-{}-{}", self.name, self.next_id)
    }

    /// A local write: the row and its outbox entry commit together.
    fn write(&mut self, now_ms: u64, entity: Entity, id: &str, op: Op, payload: Row) {
        let hlc = self.clock.tick(self.wall(now_ms));
        self.write_at(hlc, entity, id, op, payload);
    }

    /// A staff write at the counter: the account sealed with the location key as of the
    /// write's HLC; the row carries the seal and a display mirror of the role.
    fn write_staff(
        &mut self,
        now_ms: u64,
        user: &str,
        role: Role,
        pin: u32,
        nonce: [u8; 24],
    ) -> StaffSecret {
        let sealed_at = self.clock.tick(self.wall(now_ms));
        let secret = StaffSecret {
            name: user.to_owned(),
            email: format!("{user}@dysa.cl"),
            role,
            active: true,
            password_hash: format!("pw-{pin}"),
            pin_hash: Some(format!("pin-{pin}")),
            sealed_at,
        };
        let key = location_key(&self.location);
        let credentials = staff_seal::seal_with_nonce(&key, &nonce, &self.location, user, &secret);
        let payload = obj(json!({"id": user, "role": role, "credentials": credentials}));
        self.write_at(sealed_at, Entity::User, user, Op::Upsert, payload);
        self.staff.insert(user.to_owned(), secret.clone());
        self.made.insert(user.to_owned(), sealed_at);
        secret
    }

    /// Takes a pulled account as the appliance does (`sync::staff_rows`): only from a seal
    /// that opens with this location's key and is newer than the one held.
    fn take_staff(&mut self, change: &ChangeRecord) {
        let Some(sealed) = change.row.get("credentials").and_then(Value::as_str) else {
            return;
        };
        let key = location_key(&self.location);
        let Ok(secret) = staff_seal::open(&key, &self.location, &change.entity_id, sealed) else {
            return; // parked as staff_seal_invalid
        };
        let newer = self
            .staff
            .get(&change.entity_id)
            .is_none_or(|held| held.sealed_at < secret.sealed_at);
        if newer {
            self.staff.insert(change.entity_id.clone(), secret);
        }
    }

    fn write_at(&mut self, hlc: Hlc, entity: Entity, id: &str, op: Op, payload: Row) {
        let hlc = hlc.to_string();
        let key = (entity, id.to_owned());
        let local = self.rows.entry(key).or_insert_with(|| LocalRow {
            row: Row::new(),
            deleted: false,
        });
        for (k, v) in &payload {
            local.row.insert(k.clone(), v.clone());
        }
        if op == Op::Delete {
            local.deleted = true;
        }
        let mutation_id = self.new_id("m");
        self.position.insert(mutation_id.clone(), self.outbox.len());
        *self.pending.entry((entity, id.to_owned())).or_default() += 1;
        self.outbox.push(OutboxRow {
            mutation: Mutation {
                mutation_id,
                entity,
                entity_id: id.to_owned(),
                op,
                payload,
                hlc,
            },
            state: Sent::Pending,
        });
    }

    fn has_pending(&self, key: &Key) -> bool {
        self.pending.get(key).is_some_and(|n| *n > 0)
    }

    fn apply_change(&mut self, now_ms: u64, change: &ChangeRecord) {
        let key = (change.entity, change.entity_id.clone());
        if self.has_pending(&key) {
            // Remember it: the push answer that clears the pending change may be older
            // than this (answers and pages cross in flight here, unlike the appliance's
            // loop, which pulls only after its push was answered).
            let skipped = self.skipped.entry(key).or_default();
            *skipped = (*skipped).max(change.version);
            return;
        }
        if self
            .versions
            .get(&key)
            .is_some_and(|v| *v >= change.version)
        {
            return;
        }
        if let Ok(hlc) = change.hlc.parse::<Hlc>() {
            // A clock a day ahead is refused by the real clock; minutes are followed.
            let _ = self.clock.observe(hlc, self.wall(now_ms));
        }
        self.versions.insert(key.clone(), change.version);
        if change.entity == Entity::User {
            self.take_staff(change);
        }
        self.rows.insert(
            key,
            LocalRow {
                row: change.row.clone(),
                deleted: change.deleted,
            },
        );
    }

    fn batch(&self, max: usize) -> Vec<Mutation> {
        self.outbox[self.first_pending..]
            .iter()
            .filter(|o| o.state == Sent::Pending)
            .take(max)
            .map(|o| o.mutation.clone())
            .collect()
    }

    fn take_results(&mut self, now_ms: u64, results: &[MutationResult]) {
        for result in results {
            let Some(&at) = self.position.get(&result.mutation_id) else {
                continue;
            };
            let entry = &mut self.outbox[at];
            if entry.state != Sent::Pending {
                continue;
            }
            entry.state = match result.outcome {
                Outcome::Rejected => Sent::Rejected,
                Outcome::Applied | Outcome::Adjusted => Sent::Acknowledged,
            };
            let key = (entry.mutation.entity, entry.mutation.entity_id.clone());
            if let Some(n) = self.pending.get_mut(&key) {
                *n -= 1;
            }
        }
        while self
            .outbox
            .get(self.first_pending)
            .is_some_and(|o| o.state != Sent::Pending)
        {
            self.first_pending += 1;
        }
        for result in results {
            if let Some(current) = &result.current {
                self.apply_change(now_ms, current);
            }
        }
        // A change skipped while a local one was pending, newer than what the answers
        // brought: pull again from just before it.
        let settled: Vec<(Key, i64)> = self
            .skipped
            .iter()
            .filter(|(key, _)| !self.has_pending(key))
            .map(|(key, v)| (key.clone(), *v))
            .collect();
        for (key, version) in settled {
            self.skipped.remove(&key);
            if self.versions.get(&key).is_none_or(|held| *held < version) {
                self.owed.insert(key, version);
            }
        }
        self.settle_owed();
    }

    /// Drops the rows owed that arrived; keeps the cursor before the oldest still owed.
    fn settle_owed(&mut self) {
        let versions = &self.versions;
        self.owed
            .retain(|key, v| versions.get(key).is_none_or(|held| held < v));
        if let Some(oldest) = self.owed.values().min() {
            self.cursor = self.cursor.min(oldest - 1);
        }
    }

    fn take_pull(&mut self, now_ms: u64, page: &PullResponse) {
        for change in &page.changes {
            self.apply_change(now_ms, change);
        }
        self.cursor = self.cursor.max(page.cursor);
        self.settle_owed();
        self.settle_slot(now_ms);
        self.settle_doubled_merges(now_ms);
    }

    fn live(&self, entity: Entity, id: &str) -> Option<&Row> {
        self.rows
            .get(&(entity, id.to_owned()))
            .filter(|r| !r.deleted)
            .map(|r| &r.row)
    }

    fn ids_of(&self, entity: Entity) -> Vec<String> {
        self.rows
            .iter()
            .filter(|((e, _), r)| *e == entity && !r.deleted)
            .map(|((_, id), _)| id.clone())
            .collect()
    }
}

// ------------------------------------------------------------------------------------------
// The network

enum Message {
    Push {
        device: usize,
        batch: Vec<Mutation>,
    },
    PushAnswer {
        device: usize,
        results: Vec<MutationResult>,
    },
    Pull {
        device: usize,
        cursor: i64,
    },
    PullAnswer {
        device: usize,
        page: PullResponse,
    },
}

struct World {
    rng: StdRng,
    now_ms: u64,
    cloud: Cloud,
    devices: Vec<Device>,
    in_flight: Vec<Message>,
    partitioned: Vec<bool>,
    /// Every mutation id a device committed locally (each must get an answer).
    committed: BTreeSet<String>,
    orders_made: BTreeSet<String>,
    payments_made: BTreeSet<String>,
    /// The location's `bookings.online_quota_per_slot`.
    quota: u32,
    /// Bookings made on the cloud, and cancel requests the owner made.
    cloud_bookings: BTreeSet<String>,
    cancel_requests: BTreeSet<String>,
    /// Every account a counter sealed, by location and user.
    sealed: BTreeMap<(String, String), Vec<StaffSecret>>,
    /// Accounts whose row the thief pushed to.
    thief_touched: BTreeSet<String>,
    stats: Stats,
}

#[derive(Default, Debug)]
struct Stats {
    ops: usize,
    dropped: usize,
    duplicated: usize,
    crashes: usize,
    lost_answers: usize,
    rejected: usize,
    cloud_confirmed: usize,
    cloud_pending: usize,
    cancel_requests: usize,
    thief_pushes: usize,
    thief_refused: usize,
    tabs_opened: usize,
    splits: usize,
    bills_paid: usize,
    merges: usize,
    doubled_voids: usize,
}

fn obj(value: Value) -> Row {
    value.as_object().cloned().unwrap_or_default()
}

fn iso(ms: u64) -> String {
    jiff::Timestamp::from_millisecond(ms as i64)
        .expect("timestamp")
        .to_string()
}

/// The table ids of the simulation as the domain's typed ids (same order as their names).
fn table_uuid(name: &str) -> TableId {
    let (loc, t) = name
        .strip_prefix("table-")
        .and_then(|rest| rest.rsplit_once('-'))
        .expect("table name");
    let loc = LOCATIONS.iter().position(|l| *l == loc).expect("location") as u128;
    let t: u128 = t.parse().expect("table number");
    TableId(uuid::Uuid::from_u128((loc << 16) + t + 1))
}

fn table_name(loc: &str, id: TableId) -> String {
    (0..TABLES)
        .map(|t| format!("table-{loc}-{t}"))
        .find(|name| table_uuid(name) == id)
        .expect("known table")
}

fn slot_of(hour: u64) -> (u64, u64) {
    let start = SLOT_BASE_MS + hour * 3_600_000;
    (start, start + BOOKING_MS)
}

fn ts(ms: u64) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(ms as i64).expect("timestamp")
}

/// A location's tables and its bookings holding a table (born there, born on the cloud),
/// as seen in `rows`.
fn seating<'a>(
    loc: &str,
    rows: impl Iterator<Item = (&'a Key, &'a Row)>,
) -> (Vec<TableCapacity>, Vec<Booking>, Vec<Booking>) {
    let tables = (0..TABLES)
        .map(|t| TableCapacity {
            id: table_uuid(&format!("table-{loc}-{t}")),
            seats: 4,
            active: true,
        })
        .collect();
    let mut here = Vec::new();
    let mut cloud = Vec::new();
    for ((entity, _), row) in rows {
        if *entity != Entity::Reservation {
            continue;
        }
        let Some(hold) = TableHold::of(row) else {
            continue;
        };
        let booking = Booking {
            table_id: table_uuid(&hold.table_id),
            starts_at: hold.starts_at,
            ends_at: hold.ends_at,
        };
        if row
            .get("channel")
            .and_then(Value::as_str)
            .is_some_and(is_cloud_channel)
        {
            cloud.push(booking);
        } else {
            here.push(booking);
        }
    }
    (tables, here, cloud)
}

fn quota_slots() -> Vec<QuotaSlot> {
    (0..SLOTS)
        .map(|h| {
            let (s, e) = slot_of(h);
            QuotaSlot {
                starts_at: ts(s),
                ends_at: ts(e),
            }
        })
        .collect()
}

fn pending_request(row: &Row) -> Option<CancelRequest> {
    row.get("cancel_request")
        .filter(|v| !v.is_null())
        .and_then(|v| serde_json::from_value::<CancelRequest>(v.clone()).ok())
        .filter(CancelRequest::is_pending)
}

fn undecided_booking(row: &Row) -> bool {
    row.get("status").and_then(Value::as_str) == Some("booked")
        && row.get("table_id").is_none_or(Value::is_null)
        && row
            .get("channel")
            .and_then(Value::as_str)
            .is_some_and(is_cloud_channel)
}

impl World {
    fn new(seed: u64) -> World {
        let mut rng = StdRng::seed_from_u64(seed);
        let skew = |rng: &mut StdRng| rng.random_range(-5 * 60_000..=5 * 60_000);
        let devices = vec![
            Device::new("a1", LOCATIONS[0], 1, skew(&mut rng)),
            Device::new("a2", LOCATIONS[0], 2, skew(&mut rng)),
            Device::new("b1", LOCATIONS[1], 3, skew(&mut rng)),
        ];
        let mut world = World {
            rng,
            now_ms: 1_795_000_000_000,
            cloud: Cloud::default(),
            devices,
            in_flight: Vec::new(),
            partitioned: vec![false; 3],
            committed: BTreeSet::new(),
            orders_made: BTreeSet::new(),
            payments_made: BTreeSet::new(),
            quota: 0,
            cloud_bookings: BTreeSet::new(),
            cancel_requests: BTreeSet::new(),
            sealed: BTreeMap::new(),
            thief_touched: BTreeSet::new(),
            stats: Stats::default(),
        };
        world.quota = world.rng.random_range(0..=2);
        // The first counter of each location claims its range of order numbers at setup.
        for d in [0, 2] {
            world.devices[d].founder = true;
            world.devices[d].settle_slot(world.now_ms);
        }
        // Each location's menu and tables are made on the cloud dashboard before the
        // devices connect, as a new restaurant's owner does.
        for loc in LOCATIONS {
            for i in 0..ITEMS {
                let id = format!("item-{loc}-{i}");
                let payload = obj(
                    json!({"id": id, "name": format!("Plato {i}"), "price": 5990, "available": true}),
                );
                world
                    .cloud
                    .owner_edit(world.now_ms, loc, Entity::Item, &id, payload);
            }
            for t in 0..TABLES {
                let id = format!("table-{loc}-{t}");
                let payload = obj(json!({"id": id, "name": format!("Mesa {t}"), "seats": 4}));
                world
                    .cloud
                    .owner_edit(world.now_ms, loc, Entity::Table, &id, payload);
            }
        }
        world
    }

    fn local_op(&mut self, d: usize) {
        let now = self.now_ms;
        let roll = self.rng.random_range(0..100);
        let loc = self.devices[d].location.clone();
        match roll {
            0..=14 => {
                let i = self.rng.random_range(0..ITEMS);
                let id = format!("item-{loc}-{i}");
                let payload = if self.rng.random_bool(0.5) {
                    obj(json!({"price": self.rng.random_range(1..=30) * 1000 - 10}))
                } else {
                    obj(json!({"available": self.rng.random_bool(0.5)}))
                };
                self.devices[d].write(now, Entity::Item, &id, Op::Upsert, payload);
            }
            15..=39 => {
                let device = &mut self.devices[d];
                // A counter that has not joined yet takes no orders.
                let Some(number) = device.next_number() else {
                    return;
                };
                let order = device.new_id("order");
                let line = device.new_id("line");
                let transition = device.new_id("tr");
                let item = format!("item-{loc}-{}", self.rng.random_range(0..ITEMS));
                let payload = obj(
                    json!({"id": order, "number": number, "status": "pending", "total": 5990, "channel": "counter"}),
                );
                device.write(now, Entity::Order, &order, Op::Upsert, payload);
                let payload = obj(
                    json!({"id": line, "order_id": order, "item_id": item, "quantity": 1, "voided_at": null}),
                );
                device.write(now, Entity::OrderLine, &line, Op::Upsert, payload);
                let payload =
                    obj(json!({"id": transition, "order_id": order, "to_status": "pending"}));
                device.write(
                    now,
                    Entity::OrderTransition,
                    &transition,
                    Op::Upsert,
                    payload,
                );
                self.orders_made.insert(order);
            }
            40..=64 => {
                // Move an order the way staff can from this screen: forward, or cancel.
                let ids = self.devices[d].ids_of(Entity::Order);
                if ids.is_empty() {
                    return;
                }
                let id = ids[self.rng.random_range(0..ids.len())].clone();
                let device = &self.devices[d];
                let Some(from) = device
                    .live(Entity::Order, &id)
                    .and_then(|r| r.get("status"))
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse::<OrderStatus>().ok())
                else {
                    return;
                };
                let to = OrderStatus::ALL[self.rng.random_range(0..OrderStatus::ALL.len())];
                if check_transition(from, to, Some("el cliente se fue")).is_err() {
                    return;
                }
                let request = device
                    .live(Entity::Order, &id)
                    .and_then(pending_request)
                    .and_then(|r| r.settled_by(to, iso(now)));
                let device = &mut self.devices[d];
                let transition = device.new_id("tr");
                let mut payload = if to == OrderStatus::Cancelled {
                    obj(json!({"status": to.as_str(), "cancel_reason": "el cliente se fue"}))
                } else {
                    obj(json!({"status": to.as_str()}))
                };
                // The appliance ends an owner's pending request with the order.
                if let Some(settled) = request {
                    payload.insert("cancel_request".into(), json!(settled));
                }
                device.write(now, Entity::Order, &id, Op::Upsert, payload);
                let payload = obj(
                    json!({"id": transition, "order_id": id, "from_status": from.as_str(), "to_status": to.as_str()}),
                );
                device.write(
                    now,
                    Entity::OrderTransition,
                    &transition,
                    Op::Upsert,
                    payload,
                );
            }
            65..=74 => {
                let ids = self.devices[d].ids_of(Entity::Order);
                if ids.is_empty() {
                    return;
                }
                let order = ids[self.rng.random_range(0..ids.len())].clone();
                let amount = self.rng.random_range(1..=20) * 1000;
                let device = &mut self.devices[d];
                let payment = device.new_id("pay");
                let payload = obj(
                    json!({"id": payment, "order_id": order, "amount": amount, "method": "cash"}),
                );
                device.write(now, Entity::Payment, &payment, Op::Upsert, payload);
                self.payments_made.insert(payment);
            }
            75..=89 => {
                // A booking on a table that this device sees free; while its link is
                // down, the tables the cloud may be confirming online count as taken.
                let table = format!("table-{loc}-{}", self.rng.random_range(0..TABLES));
                let hour = self.rng.random_range(0..SLOTS);
                let (start, end) = slot_of(hour);
                let device = &self.devices[d];
                let (tables, here, cloud) = seating(
                    &loc,
                    device
                        .rows
                        .iter()
                        .filter(|(_, r)| !r.deleted)
                        .map(|(k, r)| (k, &r.row)),
                );
                let mut existing: Vec<Booking> = here.iter().chain(&cloud).copied().collect();
                if self.partitioned[d] {
                    existing.extend(quota_holds(
                        &tables,
                        &here,
                        &cloud,
                        &quota_slots(),
                        self.quota,
                        ts(start),
                        ts(end),
                    ));
                }
                let preferred = table_uuid(&table);
                if choose_table(&tables, &existing, 2, ts(start), ts(end), Some(preferred)).is_err()
                {
                    return;
                }
                let device = &mut self.devices[d];
                let id = device.new_id("res");
                let payload = obj(json!({"id": id, "table_id": table, "status": "confirmed",
                    "starts_at": iso(start), "ends_at": iso(end), "party_size": 2,
                    "channel": "counter"}));
                device.write(now, Entity::Reservation, &id, Op::Upsert, payload);
            }
            90..=94 => {
                let ids = self.devices[d].ids_of(Entity::Reservation);
                if ids.is_empty() {
                    return;
                }
                let id = ids[self.rng.random_range(0..ids.len())].clone();
                let payload =
                    obj(json!({"status": "cancelled", "cancel_reason": "llamó para cancelar"}));
                self.devices[d].write(now, Entity::Reservation, &id, Op::Upsert, payload);
            }
            _ => {
                let id = format!("cust-{}", self.rng.random_range(0..5));
                let payload = obj(
                    json!({"id": id, "notes": format!("nota {}", self.rng.random_range(0..100))}),
                );
                self.devices[d].write(now, Entity::Customer, &id, Op::Upsert, payload);
            }
        }
        self.stats.ops += 1;
    }

    fn owner_op(&mut self) {
        match self.rng.random_range(0..10) {
            0..=3 => return self.cloud_booking(),
            4..=5 => return self.cloud_cancel_request(),
            _ => {}
        }
        let loc = LOCATIONS[self.rng.random_range(0..LOCATIONS.len())];
        let id = format!("item-{loc}-{}", self.rng.random_range(0..ITEMS));
        let payload = if self.rng.random_bool(0.5) {
            obj(json!({"price": self.rng.random_range(1..=30) * 1000 - 10}))
        } else {
            obj(json!({"available": self.rng.random_bool(0.5)}))
        };
        self.cloud
            .owner_edit(self.now_ms, loc, Entity::Item, &id, payload);
        self.stats.ops += 1;
    }

    /// Whether a device of `loc` is connected (the cloud's presence check).
    fn location_online(&self, loc: &str) -> bool {
        self.devices
            .iter()
            .zip(&self.partitioned)
            .any(|(d, cut)| d.location == loc && !cut)
    }

    /// A diner books on the widget: the cloud decides with the domain's rule on its own
    /// rows, and writes the booking as a cloud-made change through the same merge.
    fn cloud_booking(&mut self) {
        let loc = LOCATIONS[self.rng.random_range(0..LOCATIONS.len())];
        let hour = self.rng.random_range(0..SLOTS);
        let (start, end) = slot_of(hour);
        let (tables, here, cloud) = seating(
            loc,
            self.cloud
                .rows
                .iter()
                .filter(|(_, r)| r.location.as_deref() == Some(loc) && !r.stored.is_deleted())
                .map(|(k, r)| (k, &r.stored.row)),
        );
        let decision = decide_cloud_booking(CloudBookingRequest {
            location_online: self.location_online(loc),
            online_quota_per_slot: self.quota,
            tables: &tables,
            location_bookings: &here,
            cloud_bookings: &cloud,
            party_size: 2,
            starts_at: ts(start),
            ends_at: ts(end),
        });
        let (status, table) = match decision {
            CloudBooking::Confirm(table) => {
                self.stats.cloud_confirmed += 1;
                ("confirmed", Value::from(table_name(loc, table)))
            }
            CloudBooking::Pending => {
                self.stats.cloud_pending += 1;
                ("booked", Value::Null)
            }
        };
        let id = format!("web-res-{}", self.cloud_bookings.len());
        let payload = obj(json!({"id": id, "table_id": table, "status": status,
            "starts_at": iso(start), "ends_at": iso(end), "party_size": 2, "channel": "online"}));
        self.cloud
            .owner_edit(self.now_ms, loc, Entity::Reservation, &id, payload);
        self.cloud_bookings.insert(id);
        self.stats.ops += 1;
    }

    /// An owner asks, on the cloud, to cancel an order that is not over in the cloud's
    /// copy. The request must not move the order's status.
    fn cloud_cancel_request(&mut self) {
        let open: Vec<(String, String)> = self
            .cloud
            .rows
            .iter()
            .filter(|((e, _), r)| *e == Entity::Order && !r.stored.is_deleted())
            .filter(|(_, r)| {
                r.stored
                    .row
                    .get("status")
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse::<OrderStatus>().ok())
                    .is_some_and(|s| !s.is_terminal())
            })
            .map(|((_, id), r)| (id.clone(), r.location.clone().unwrap_or_default()))
            .collect();
        if open.is_empty() {
            return;
        }
        let (id, loc) = open[self.rng.random_range(0..open.len())].clone();
        let before = self
            .cloud
            .live_row(Entity::Order, &id)
            .and_then(|r| r.get("status"))
            .cloned();
        let request = CancelRequest {
            id: format!("cr-{}", self.cancel_requests.len()),
            reason: "el cliente llamó para cancelar".into(),
            requested_by: "dueña".into(),
            requested_at: iso(self.now_ms),
            outcome: None,
            resolved_by: None,
            resolved_at: None,
            note: None,
        };
        self.cancel_requests.insert(request.id.clone());
        let payload = obj(json!({"cancel_request": request}));
        self.cloud
            .owner_edit(self.now_ms, &loc, Entity::Order, &id, payload);
        let after = self
            .cloud
            .live_row(Entity::Order, &id)
            .and_then(|r| r.get("status"))
            .cloned();
        assert_eq!(before, after, "a cancel request moved order {id} by itself");
        self.stats.cancel_requests += 1;
        self.stats.ops += 1;
    }

    /// What staff do about what the cloud sent: seat or decline the bookings made online
    /// while the restaurant was connected (automatic on the appliance, on pull), and
    /// accept or refuse the owner's cancel requests (by hand, at some point).
    fn staff_answers(&mut self, d: usize, all_requests: bool) {
        let now = self.now_ms;
        let loc = self.devices[d].location.clone();
        let undecided: Vec<(String, Row)> = self.devices[d]
            .rows
            .iter()
            .filter(|((e, _), r)| {
                *e == Entity::Reservation && !r.deleted && undecided_booking(&r.row)
            })
            .map(|((_, id), r)| (id.clone(), r.row.clone()))
            .collect();
        for (id, row) in undecided {
            let (tables, here, cloud) = seating(
                &loc,
                self.devices[d]
                    .rows
                    .iter()
                    .filter(|(_, r)| !r.deleted)
                    .map(|(k, r)| (k, &r.row)),
            );
            let existing: Vec<Booking> = here.iter().chain(&cloud).copied().collect();
            let starts_at: jiff::Timestamp = row["starts_at"]
                .as_str()
                .expect("start")
                .parse()
                .expect("ts");
            let ends_at: jiff::Timestamp =
                row["ends_at"].as_str().expect("end").parse().expect("ts");
            let payload = match choose_table(&tables, &existing, 2, starts_at, ends_at, None) {
                Ok(table) => {
                    obj(json!({"table_id": table_name(&loc, table), "status": "confirmed"}))
                }
                Err(_) => obj(
                    json!({"status": "cancelled", "cancel_reason": "Sin mesa disponible a esa hora"}),
                ),
            };
            self.devices[d].write(now, Entity::Reservation, &id, Op::Upsert, payload);
        }
        let requests: Vec<(String, CancelRequest, OrderStatus)> = self.devices[d]
            .rows
            .iter()
            .filter(|((e, _), r)| *e == Entity::Order && !r.deleted)
            .filter_map(|((_, id), r)| {
                let status = r.row.get("status")?.as_str()?.parse().ok()?;
                Some((id.clone(), pending_request(&r.row)?, status))
            })
            .collect();
        for (id, mut request, status) in requests {
            if !all_requests && self.rng.random_bool(0.7) {
                continue;
            }
            let device = &mut self.devices[d];
            if !status.is_terminal() && self.rng.random_bool(0.5) {
                // Accept: the normal cancel, through the state machine, with the reason.
                request.resolve(
                    CancelOutcome::Accepted,
                    Some(device.name.clone()),
                    iso(now),
                    None,
                );
                let payload = obj(
                    json!({"status": "cancelled", "cancel_reason": request.reason,
                    "cancel_request": request}),
                );
                device.write(now, Entity::Order, &id, Op::Upsert, payload);
                let transition = device.new_id("tr");
                let payload = obj(json!({"id": transition, "order_id": id,
                    "from_status": status.as_str(), "to_status": "cancelled"}));
                device.write(
                    now,
                    Entity::OrderTransition,
                    &transition,
                    Op::Upsert,
                    payload,
                );
            } else {
                request.resolve(
                    CancelOutcome::Refused,
                    Some(device.name.clone()),
                    iso(now),
                    None,
                );
                let payload = obj(json!({"cancel_request": request}));
                device.write(now, Entity::Order, &id, Op::Upsert, payload);
            }
        }
    }

    fn send(&mut self, message: Message, faults: bool) {
        let device = match &message {
            Message::Push { device, .. }
            | Message::PushAnswer { device, .. }
            | Message::Pull { device, .. }
            | Message::PullAnswer { device, .. } => *device,
        };
        if faults && self.partitioned[device] {
            self.stats.dropped += 1;
            return;
        }
        if faults && self.rng.random_bool(0.05) {
            self.stats.dropped += 1;
            return;
        }
        if faults && self.rng.random_bool(0.05) {
            self.stats.duplicated += 1;
            let copy = match &message {
                Message::Push { device, batch } => Message::Push {
                    device: *device,
                    batch: batch.clone(),
                },
                Message::PushAnswer { device, results } => Message::PushAnswer {
                    device: *device,
                    results: results.clone(),
                },
                Message::Pull { device, cursor } => Message::Pull {
                    device: *device,
                    cursor: *cursor,
                },
                Message::PullAnswer { device, page } => Message::PullAnswer {
                    device: *device,
                    page: page.clone(),
                },
            };
            self.in_flight.push(copy);
        }
        self.in_flight.push(message);
    }

    /// Delivers one in-flight message, chosen at random (so messages reorder).
    fn deliver_one(&mut self, faults: bool) {
        if self.in_flight.is_empty() {
            return;
        }
        // Reordering is always on: the protocol must not care in what order answers land.
        let at = self.rng.random_range(0..self.in_flight.len());
        let message = self.in_flight.swap_remove(at);
        let now = self.now_ms;
        match message {
            Message::Push { device, batch } => {
                let location = self.devices[device].location.clone();
                let results = self.cloud.push(&location, &batch);
                // The cloud committed; its answer may still be lost on the way back.
                if faults && self.rng.random_bool(0.05) {
                    self.stats.lost_answers += 1;
                    return;
                }
                self.send(Message::PushAnswer { device, results }, faults);
            }
            Message::PushAnswer { device, results } => {
                // The device may crash after its local commit and before taking the answer.
                if faults && self.rng.random_bool(0.03) {
                    self.stats.crashes += 1;
                    return;
                }
                self.devices[device].take_results(now, &results);
                self.staff_answers(device, false);
            }
            Message::Pull { device, cursor } => {
                let location = self.devices[device].location.clone();
                let limit = self.rng.random_range(1..=50);
                let page = self.cloud.pull(&location, cursor, limit);
                self.send(Message::PullAnswer { device, page }, faults);
            }
            Message::PullAnswer { device, page } => {
                self.devices[device].take_pull(now, &page);
                self.staff_answers(device, false);
            }
        }
    }

    /// An admin at counter `d` creates or changes a staff account (role, PIN).
    fn staff_op(&mut self, d: usize) {
        let loc = self.devices[d].location.clone();
        let user = format!("user-{loc}-{}", self.rng.random_range(0..STAFF));
        let role =
            [Role::Admin, Role::Manager, Role::Waiter, Role::Viewer][self.rng.random_range(0..4)];
        let pin = self.rng.random_range(1000..10_000);
        let nonce: [u8; 24] = self.rng.random();
        let secret = self.devices[d].write_staff(self.now_ms, &user, role, pin, nonce);
        self.sealed.entry((loc, user)).or_default().push(secret);
        self.stats.ops += 1;
    }

    /// A thief with a device token of location A (and nothing else) pushes straight to the
    /// cloud: an admin with hashes of its choosing (refused), an admin sealed with a key of
    /// its own, or an old seal it pulled earlier replayed as new, with a role mirror that lies.
    fn thief_op(&mut self) {
        let loc = LOCATIONS[0];
        let target = format!("user-{loc}-{}", self.rng.random_range(0..THIEF_TARGETS));
        let hlc = Hlc {
            wall_ms: self.now_ms + self.rng.random_range(0..=5 * 60_000),
            counter: 0,
            node: 0xbad,
        };
        let payload = match self.rng.random_range(0..3) {
            0 => obj(
                json!({"id": target, "role": "admin", "password_hash": "pw-thief", "pin_hash": "pin-thief"}),
            ),
            1 => {
                let forged = StaffSecret {
                    name: "Jefe".into(),
                    email: "jefe@ladron.cl".into(),
                    role: Role::Admin,
                    active: true,
                    password_hash: "pw-thief".into(),
                    pin_hash: Some("pin-thief".into()),
                    sealed_at: hlc,
                };
                let nonce: [u8; 24] = self.rng.random();
                let credentials =
                    staff_seal::seal_with_nonce(&[0xee; 32], &nonce, loc, &target, &forged);
                obj(json!({"id": target, "role": "admin", "credentials": credentials}))
            }
            _ => {
                // A seal the thief pulled earlier: usually the target's own, sometimes
                // another account's moved onto it.
                let users: Vec<String> = self
                    .sealed
                    .keys()
                    .filter(|(l, _)| l == loc)
                    .map(|(_, u)| u.clone())
                    .collect();
                if users.is_empty() {
                    return;
                }
                let source = if self.rng.random_bool(0.8) {
                    target.clone()
                } else {
                    users[self.rng.random_range(0..users.len())].clone()
                };
                let Some(blob) = self.stolen_seal(&source) else {
                    return;
                };
                obj(json!({"credentials": blob, "role": "admin"}))
            }
        };
        self.thief_touched.insert(target.clone());
        let m = Mutation {
            mutation_id: format!("thief-{}-{}", hlc, self.stats.thief_pushes),
            entity: Entity::User,
            entity_id: target,
            op: Op::Upsert,
            payload,
            hlc: hlc.to_string(),
        };
        let results = self.cloud.push(loc, &[m]);
        self.stats.thief_pushes += 1;
        if results[0].outcome == Outcome::Rejected {
            assert_eq!(
                results[0].reason.as_deref(),
                Some(staff_seal::UNAUTHORISED_FIELD)
            );
            self.stats.thief_refused += 1;
        }
    }

    /// A seal of `user` the thief could have pulled: one of the older versions sealed for it.
    fn stolen_seal(&mut self, user: &str) -> Option<String> {
        let loc = LOCATIONS[0];
        let versions = self.sealed.get(&(loc.to_owned(), user.to_owned()))?;
        let secret = versions[self.rng.random_range(0..versions.len())].clone();
        let nonce: [u8; 24] = self.rng.random();
        // Re-sealed here only because the simulation does not keep every blob it served;
        // it is the very seal a counter made (same key, user, content and sealed_at).
        Some(staff_seal::seal_with_nonce(
            &location_key(loc),
            &nonce,
            loc,
            user,
            &secret,
        ))
    }

    fn sync_tick(&mut self, d: usize, faults: bool) {
        let max = self.rng.random_range(1..=20);
        let batch = self.devices[d].batch(max);
        if !batch.is_empty() {
            self.send(Message::Push { device: d, batch }, faults);
        }
        let cursor = self.devices[d].cursor;
        self.send(Message::Pull { device: d, cursor }, faults);
    }

    fn run(&mut self, steps: usize) {
        for _ in 0..steps {
            self.now_ms += self.rng.random_range(1..2_000);
            if self.rng.random_bool(0.02) {
                let d = self.rng.random_range(0..self.devices.len());
                self.partitioned[d] = !self.partitioned[d];
            }
            match self.rng.random_range(0..100) {
                0..=33 => {
                    let d = self.rng.random_range(0..self.devices.len());
                    self.local_op(d);
                }
                34..=41 => {
                    let d = self.rng.random_range(0..self.devices.len());
                    self.tab_op(d);
                }
                42..=43 => {
                    let d = self.rng.random_range(0..self.devices.len());
                    self.staff_op(d);
                }
                44 => self.thief_op(),
                45..=49 => self.owner_op(),
                50..=69 => {
                    let d = self.rng.random_range(0..self.devices.len());
                    self.sync_tick(d, true);
                }
                _ => self.deliver_one(true),
            }
        }
        self.committed = self
            .devices
            .iter()
            .flat_map(|d| d.outbox.iter().map(|o| o.mutation.mutation_id.clone()))
            .collect();
    }

    /// Heals the network and syncs until nothing moves.
    fn heal(&mut self) {
        self.partitioned.fill(false);
        for _ in 0..10_000 {
            while !self.in_flight.is_empty() {
                self.deliver_one(false);
            }
            for d in 0..self.devices.len() {
                self.staff_answers(d, true);
            }
            let busy = self.devices.iter().any(|d| !d.batch(1).is_empty());
            for d in 0..self.devices.len() {
                self.sync_tick(d, false);
                while !self.in_flight.is_empty() {
                    self.deliver_one(false);
                }
            }
            let behind = self
                .devices
                .iter()
                .any(|d| !self.cloud.pull(&d.location, d.cursor, 1).changes.is_empty());
            if !busy && !behind {
                return;
            }
        }
        panic!("sync did not settle");
    }

    fn check(&self) {
        // Every committed mutation got an answer; no outbox row is left pending.
        for id in &self.committed {
            assert!(self.cloud.answers.contains_key(id), "mutation {id} lost");
        }
        for d in &self.devices {
            assert!(
                d.batch(1).is_empty(),
                "{} still has pending changes",
                d.name
            );
            // A change the cloud took is never shown to staff as refused.
            for o in &d.outbox {
                assert!(
                    o.state != Sent::Rejected
                        || !self.cloud.merged.contains(&o.mutation.mutation_id),
                    "{} shows {} as rejected although the cloud merged it",
                    d.name,
                    o.mutation.mutation_id
                );
            }
        }
        // Every replica equals the cloud, row for row, in its scope.
        for d in &self.devices {
            let expected: BTreeMap<&Key, LocalRow> = self
                .cloud
                .rows
                .iter()
                .filter(|(_, r)| r.location.as_deref().is_none_or(|l| l == d.location))
                .map(|(k, r)| {
                    (
                        k,
                        LocalRow {
                            row: r.stored.row.clone(),
                            deleted: r.stored.is_deleted(),
                        },
                    )
                })
                .collect();
            let actual: BTreeMap<&Key, LocalRow> =
                d.rows.iter().map(|(k, r)| (k, r.clone())).collect();
            if expected != actual {
                for (k, v) in &expected {
                    if actual.get(k) != Some(v) {
                        panic!(
                            "{} differs from the cloud at {k:?}: {:?} vs {v:?}",
                            d.name,
                            actual.get(k)
                        );
                    }
                }
                panic!("{} has rows the cloud lacks", d.name);
            }
        }
        // No two orders of a location share a number, though its two counters numbered
        // them apart, offline for long stretches.
        for loc in LOCATIONS {
            let mut numbers: BTreeMap<i64, &str> = BTreeMap::new();
            for ((entity, id), row) in &self.cloud.rows {
                if *entity != Entity::Order || row.location.as_deref() != Some(loc) {
                    continue;
                }
                let Some(n) = row.stored.row.get("number").and_then(Value::as_i64) else {
                    continue;
                };
                if let Some(other) = numbers.insert(n, id) {
                    panic!("orders {other} and {id} of {loc} both have number {n}");
                }
            }
        }
        let a_slots: BTreeSet<Option<CounterSlot>> =
            self.devices[..2].iter().map(|d| d.slot).collect();
        assert!(
            a_slots.len() == 2 && !a_slots.contains(&None),
            "the counters of {} hold slots {a_slots:?}",
            LOCATIONS[0]
        );
        // No order or payment lost or doubled.
        let cloud_orders: BTreeSet<String> = self
            .cloud
            .rows
            .keys()
            .filter(|(e, _)| *e == Entity::Order)
            .map(|(_, id)| id.clone())
            .collect();
        assert_eq!(cloud_orders, self.orders_made, "orders lost or invented");
        let cloud_payments: BTreeSet<String> = self
            .cloud
            .rows
            .keys()
            .filter(|(e, _)| *e == Entity::Payment)
            .map(|(_, id)| id.clone())
            .collect();
        assert_eq!(
            cloud_payments, self.payments_made,
            "payments lost or invented"
        );
        // Every status history is a chain of legal moves.
        for (id, history) in &self.cloud.order_history {
            for pair in history.windows(2) {
                assert!(
                    check_transition(pair[0], pair[1], Some("reason")).is_ok(),
                    "order {id} moved illegally: {history:?}"
                );
            }
        }
        // No table held twice.
        let holds: Vec<(String, TableHold)> = self
            .cloud
            .rows
            .iter()
            .filter(|((e, _), r)| *e == Entity::Reservation && !r.stored.is_deleted())
            .filter_map(|((_, id), r)| TableHold::of(&r.stored.row).map(|h| (id.clone(), h)))
            .collect();
        for (i, (a_id, a)) in holds.iter().enumerate() {
            for (b_id, b) in &holds[i + 1..] {
                assert!(
                    !a.clashes_with(b),
                    "table double-booked by {a_id} and {b_id}"
                );
            }
        }
        // Every cancel request ended accepted or refused; accepted ones cancelled the order.
        for ((e, id), r) in &self.cloud.rows {
            if *e != Entity::Order {
                continue;
            }
            let Some(value) = r.stored.row.get("cancel_request").filter(|v| !v.is_null()) else {
                continue;
            };
            let request: CancelRequest = serde_json::from_value(value.clone()).expect("request");
            assert!(self.cancel_requests.contains(&request.id));
            match request.outcome {
                None => panic!("cancel request on order {id} never answered"),
                Some(CancelOutcome::Accepted) => assert_eq!(
                    r.stored.row.get("status").and_then(Value::as_str),
                    Some("cancelled"),
                    "order {id} accepted a cancel request but is not cancelled"
                ),
                Some(CancelOutcome::Refused) => {}
            }
        }
        // Every booking made online ended seated or declined, none left waiting.
        for id in &self.cloud_bookings {
            let row = self
                .cloud
                .live_row(Entity::Reservation, id)
                .expect("cloud booking kept");
            assert!(!undecided_booking(row), "booking {id} never decided");
        }
        // The owner's last price is what every counter of that location sees.
        for d in &self.devices {
            for i in 0..ITEMS {
                let id = format!("item-{}-{i}", d.location);
                assert_eq!(
                    d.live(Entity::Item, &id),
                    self.cloud.live_row(Entity::Item, &id)
                );
            }
        }
        // Staff: no account a counter signs in came from the thief (each is one a counter of
        // its location sealed), a replayed older seal never replaced a newer one, and the
        // accounts the thief never touched are the newest sealed version on every counter.
        for d in &self.devices {
            for (user, held) in &d.staff {
                let made = self.sealed.get(&(d.location.clone(), user.clone()));
                assert!(
                    made.is_some_and(|v| v.contains(held)),
                    "{} signs {user} in as {held:?}, which no counter sealed",
                    d.name
                );
            }
            for (user, newest_made) in &d.made {
                let held = d.staff.get(user).map(|s| s.sealed_at);
                assert!(
                    held >= Some(*newest_made),
                    "{} lost its own newer seal of {user} to an older one",
                    d.name
                );
            }
            for ((loc, user), versions) in &self.sealed {
                if *loc != d.location || self.thief_touched.contains(user) {
                    continue;
                }
                let newest = versions.iter().max_by_key(|s| s.sealed_at);
                assert_eq!(
                    d.staff.get(user),
                    newest,
                    "{} does not hold the newest {user}",
                    d.name
                );
            }
        }
    }

    /// Tabs after healing: each tab's bills add up to its live lines, every live line is
    /// on exactly one bill, every payment counts once; each merged line is live once, but
    /// for copies on tabs that closed before the counters met (staff refund those).
    fn check_tabs(&self) {
        let rows_of = |entity: Entity| {
            self.cloud
                .rows
                .iter()
                .filter(move |((e, _), r)| *e == entity && !r.stored.is_deleted())
                .map(|((_, id), r)| (id.as_str(), &r.stored.row))
        };
        for (tab, row) in rows_of(Entity::Order) {
            if row.get("channel").and_then(Value::as_str) != Some("dine_in") {
                continue;
            }
            let lines: Vec<BillLine> = rows_of(Entity::OrderLine)
                .filter(|(_, l)| l.get("order_id").and_then(Value::as_str) == Some(tab))
                .filter_map(|(id, l)| bill_line(id, l))
                .collect();
            let payments: Vec<BillPayment> = rows_of(Entity::Payment)
                .filter(|(_, p)| p.get("order_id").and_then(Value::as_str) == Some(tab))
                .map(|(_, p)| bill_payment(p))
                .collect();
            let bills = settle(&lines, Clp::ZERO, Clp::ZERO, &payments);
            let live: i64 = lines.iter().filter(|l| !l.voided).map(|l| l.amount.0).sum();
            let billed: i64 = bills.iter().map(|b| b.subtotal.0).sum();
            assert_eq!(
                billed, live,
                "tab {tab}: the bills do not add up to the tab"
            );
            for line in &lines {
                let on = bills.iter().filter(|b| b.lines.contains(&line.id)).count();
                assert_eq!(
                    on,
                    usize::from(!line.voided),
                    "tab {tab}: line {} on {on} bills",
                    line.id.0
                );
            }
            let paid: i64 = payments.iter().map(|p| p.row.amount.0 + p.row.tip.0).sum();
            let on_bills: i64 = bills.iter().map(|b| b.payment.paid.0).sum();
            assert_eq!(
                on_bills, paid,
                "tab {tab}: a payment counted twice or not at all"
            );
        }
        let copies: Vec<(CopiedLine, &str)> = rows_of(Entity::OrderLine)
            .filter_map(|(id, l)| {
                copied_line(id, l).map(|c| (c, l["order_id"].as_str().unwrap_or("")))
            })
            .collect();
        let mut first: BTreeMap<OrderLineId, OrderLineId> = BTreeMap::new();
        for (c, _) in &copies {
            let kept = first.entry(c.moved_from).or_insert(c.id);
            *kept = (*kept).min(c.id);
        }
        for (c, tab) in &copies {
            if c.voided || first[&c.moved_from] == c.id {
                continue;
            }
            let status = self
                .cloud
                .live_row(Entity::Order, tab)
                .and_then(|o| o.get("status"))
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<OrderStatus>().ok());
            assert!(
                status.is_some_and(OrderStatus::is_terminal),
                "line {} merged twice is live on open tab {tab} beside its first copy",
                c.moved_from.0
            );
        }
    }

    fn replica_hash(&self, d: &Device) -> String {
        serde_json::to_string(
            &d.rows
                .iter()
                .map(|(k, r)| (format!("{k:?}"), &r.row, r.deleted))
                .collect::<Vec<_>>(),
        )
        .expect("json")
    }
}

// ------------------------------------------------------------------------------------------
// Tabs (issue 16)

/// Why a merged line is voided on the tab it left, and why the rule voids a later copy.
const MOVED_REASON: &str = "trasladada";
const DOUBLED_REASON: &str = "ya trasladada a otra mesa";

/// A tab's line row as the bills see it (`None` for the plain orders' lines).
fn bill_line(id: &str, row: &Row) -> Option<BillLine> {
    let line = row.get("line")?;
    Some(BillLine {
        id: id.parse().ok()?,
        amount: Clp(line.get("line_total")?.as_i64()?),
        voided: row.get("voided_at").is_some_and(|v| !v.is_null()),
        seat: line
            .get("seat")
            .and_then(Value::as_u64)
            .and_then(|s| Seat::try_from(u16::try_from(s).ok()?).ok()),
        bill: line
            .get("bill")
            .and_then(Value::as_u64)
            .and_then(|b| BillNo::try_from(u16::try_from(b).ok()?).ok())
            .unwrap_or(BillNo::FIRST),
    })
}

fn bill_payment(row: &Row) -> BillPayment {
    BillPayment {
        bill: row
            .get("bill")
            .and_then(Value::as_u64)
            .and_then(|b| BillNo::try_from(u16::try_from(b).ok()?).ok())
            .unwrap_or(BillNo::FIRST),
        row: PaymentRow {
            method: PaymentMethod::Cash,
            amount: Clp(row.get("amount").and_then(Value::as_i64).unwrap_or(0)),
            tip: Clp(row.get("tip").and_then(Value::as_i64).unwrap_or(0)),
        },
    }
}

fn copied_line(id: &str, row: &Row) -> Option<CopiedLine> {
    let moved_from = row.get("line")?.get("moved_from")?.as_str()?;
    Some(CopiedLine {
        id: id.parse().ok()?,
        moved_from: moved_from.parse().ok()?,
        voided: row.get("voided_at").is_some_and(|v| !v.is_null()),
    })
}

fn line_json(id: &OrderLineId) -> String {
    id.0.to_string()
}

impl Device {
    /// A line id made as the appliance makes them (UUIDv7: time first), so the first copy
    /// of a line merged twice is the one made earliest here too.
    fn new_line_id(&mut self, now_ms: u64) -> OrderLineId {
        self.next_id += 1;
        let node = u128::from(
            self.name
                .bytes()
                .fold(0u8, |a, b| a.wrapping_mul(31).wrapping_add(b)),
        );
        OrderLineId(uuid::Uuid::from_u128(
            (u128::from(self.wall(now_ms)) << 64) | (node << 32) | u128::from(self.next_id as u32),
        ))
    }

    fn status_of(&self, order: &str) -> Option<OrderStatus> {
        self.live(Entity::Order, order)?
            .get("status")?
            .as_str()?
            .parse()
            .ok()
    }

    /// The open tabs this counter holds, with their tables.
    fn open_tabs(&self) -> Vec<(String, String)> {
        self.ids_of(Entity::Order)
            .into_iter()
            .filter_map(|id| {
                let row = self.live(Entity::Order, &id)?;
                if row.get("channel")?.as_str()? != "dine_in" || self.status_of(&id)?.is_terminal()
                {
                    return None;
                }
                let table = row.get("table_id")?.as_str()?.to_owned();
                Some((id, table))
            })
            .collect()
    }

    fn tab_lines(&self, tab: &str) -> Vec<(String, Row)> {
        self.rows
            .iter()
            .filter(|((e, _), r)| {
                *e == Entity::OrderLine
                    && !r.deleted
                    && r.row.get("order_id").and_then(Value::as_str) == Some(tab)
                    && r.row.contains_key("line")
            })
            .map(|((_, id), r)| (id.clone(), r.row.clone()))
            .collect()
    }

    fn tab_payments(&self, tab: &str) -> Vec<BillPayment> {
        self.rows
            .iter()
            .filter(|((e, _), r)| {
                *e == Entity::Payment && r.row.get("order_id").and_then(Value::as_str) == Some(tab)
            })
            .map(|(_, r)| bill_payment(&r.row))
            .collect()
    }

    fn add_tab_line(&mut self, now_ms: u64, tab: &str, item: &str, seat: Option<u16>) {
        let id = self.new_line_id(now_ms);
        let payload = obj(
            json!({"id": line_json(&id), "order_id": tab, "item_id": item,
            "quantity": 1, "voided_at": null,
            "line": {"line_total": 5990, "seat": seat, "bill": null, "moved_from": null,
                     "void_reason": null}}),
        );
        self.write(
            now_ms,
            Entity::OrderLine,
            &line_json(&id),
            Op::Upsert,
            payload,
        );
    }

    /// Voids a line of a tab, keeping its detail: the line is written whole.
    fn void_tab_line(&mut self, now_ms: u64, id: &str, reason: &str) {
        let Some(mut line) = self
            .live(Entity::OrderLine, id)
            .and_then(|r| r.get("line"))
            .cloned()
        else {
            return;
        };
        line["void_reason"] = json!(reason);
        let payload = obj(json!({"voided_at": iso(now_ms), "line": line}));
        self.write(now_ms, Entity::OrderLine, id, Op::Upsert, payload);
    }

    /// The appliance's `ordering::settle_doubled_merges`, after each pull: every copy of a
    /// merged line but the first is voided, unless its tab has closed.
    fn settle_doubled_merges(&mut self, now_ms: u64) -> usize {
        let copies: Vec<(CopiedLine, String)> = self
            .rows
            .iter()
            .filter(|((e, _), r)| *e == Entity::OrderLine && !r.deleted)
            .filter_map(|((_, id), r)| {
                let order = r.row.get("order_id")?.as_str()?.to_owned();
                Some((copied_line(id, &r.row)?, order))
            })
            .collect();
        let lines: Vec<CopiedLine> = copies.iter().map(|(c, _)| *c).collect();
        let mut voided = 0;
        for line in doubled_copies(&lines) {
            let Some((_, tab)) = copies.iter().find(|(c, _)| c.id == line) else {
                continue;
            };
            if self.status_of(tab).is_none_or(OrderStatus::is_terminal) {
                continue;
            }
            self.void_tab_line(now_ms, &line_json(&line), DOUBLED_REASON);
            voided += 1;
        }
        self.doubled_voids += voided;
        voided
    }
}

impl World {
    /// A waiter's action on a table's tab at counter `d`: open a table, add a round, split
    /// the tab, pay one of its bills, or merge it into another table's tab.
    fn tab_op(&mut self, d: usize) {
        let now = self.now_ms;
        let loc = self.devices[d].location.clone();
        let tabs = self.devices[d].open_tabs();
        let item = format!("item-{loc}-{}", self.rng.random_range(0..ITEMS));
        let pick = |rng: &mut StdRng, tabs: &[(String, String)]| {
            (!tabs.is_empty()).then(|| tabs[rng.random_range(0..tabs.len())].clone())
        };
        match self.rng.random_range(0..100) {
            0..=24 => {
                let table = format!("table-{loc}-{}", self.rng.random_range(0..TABLES));
                if tabs.iter().any(|(_, t)| *t == table) {
                    return;
                }
                let seats = self.rng.random_range(1..=3u16);
                let device = &mut self.devices[d];
                let Some(number) = device.next_number() else {
                    return;
                };
                let tab = device.new_id("tab");
                let payload = obj(json!({"id": tab, "number": number, "status": "pending",
                    "total": 0, "channel": "dine_in", "table_id": table}));
                device.write(now, Entity::Order, &tab, Op::Upsert, payload);
                let transition = device.new_id("tr");
                let payload =
                    obj(json!({"id": transition, "order_id": tab, "to_status": "pending"}));
                device.write(
                    now,
                    Entity::OrderTransition,
                    &transition,
                    Op::Upsert,
                    payload,
                );
                for seat in 1..=seats {
                    device.add_tab_line(now, &tab, &item, Some(seat));
                }
                device.add_tab_line(now, &tab, &item, None);
                self.orders_made.insert(tab);
                self.stats.tabs_opened += 1;
            }
            25..=44 => {
                let Some((tab, _)) = pick(&mut self.rng, &tabs) else {
                    return;
                };
                let seat = self.rng.random_range(0..=3u16);
                self.devices[d].add_tab_line(now, &tab, &item, (seat > 0).then_some(seat));
            }
            45..=64 => {
                let Some((tab, _)) = pick(&mut self.rng, &tabs) else {
                    return;
                };
                let device = &self.devices[d];
                let rows = device.tab_lines(&tab);
                let lines: Vec<BillLine> =
                    rows.iter().filter_map(|(id, r)| bill_line(id, r)).collect();
                let payments = device.tab_payments(&tab);
                let live: Vec<OrderLineId> =
                    lines.iter().filter(|l| !l.voided).map(|l| l.id).collect();
                if live.is_empty() {
                    return;
                }
                let request = if self.rng.random_bool(0.4) {
                    SplitRequest::BySeat
                } else {
                    let chosen: Vec<OrderLineId> = live
                        .iter()
                        .copied()
                        .filter(|_| self.rng.random_bool(0.5))
                        .collect();
                    if chosen.is_empty() {
                        return;
                    }
                    SplitRequest::Lines(vec![chosen])
                };
                let Ok(changes) = plan_split(&lines, &payments, &request) else {
                    return;
                };
                let device = &mut self.devices[d];
                for (id, bill) in changes {
                    let key = line_json(&id);
                    let Some(mut line) = device
                        .live(Entity::OrderLine, &key)
                        .and_then(|r| r.get("line"))
                        .cloned()
                    else {
                        continue;
                    };
                    line["bill"] = if bill == BillNo::FIRST {
                        Value::Null
                    } else {
                        json!(bill.get())
                    };
                    device.write(
                        now,
                        Entity::OrderLine,
                        &key,
                        Op::Upsert,
                        obj(json!({"line": line})),
                    );
                }
                self.stats.splits += 1;
            }
            65..=84 => {
                let Some((tab, _)) = pick(&mut self.rng, &tabs) else {
                    return;
                };
                let device = &self.devices[d];
                let lines: Vec<BillLine> = device
                    .tab_lines(&tab)
                    .iter()
                    .filter_map(|(id, r)| bill_line(id, r))
                    .collect();
                let bills = settle(&lines, Clp::ZERO, Clp::ZERO, &device.tab_payments(&tab));
                let owing: Vec<_> = bills.iter().filter(|b| b.payment.balance.0 > 0).collect();
                if owing.is_empty() {
                    return;
                }
                let bill = owing[self.rng.random_range(0..owing.len())];
                let lines: Vec<String> = bill.lines.iter().map(line_json).collect();
                let payload = (bill.number.get(), bill.payment.balance.0, lines);
                let device = &mut self.devices[d];
                let payment = device.new_id("pay");
                let row = obj(json!({"id": payment, "order_id": tab, "method": "cash",
                    "amount": payload.1, "tip": 0, "bill": payload.0, "bill_lines": payload.2}));
                device.write(now, Entity::Payment, &payment, Op::Upsert, row);
                self.payments_made.insert(payment);
                self.stats.bills_paid += 1;
            }
            _ => {
                // Merge a tab into another table's tab, as `ordering::move_tab` does.
                let Some((from, from_table)) = pick(&mut self.rng, &tabs) else {
                    return;
                };
                let others: Vec<(String, String)> = tabs
                    .iter()
                    .filter(|(_, t)| *t != from_table)
                    .cloned()
                    .collect();
                let Some((into, _)) = pick(&mut self.rng, &others) else {
                    return;
                };
                let device = &mut self.devices[d];
                let rows = device.tab_lines(&from);
                let lines: Vec<TabLine> = rows
                    .iter()
                    .filter_map(|(id, r)| bill_line(id, r))
                    .map(|l| TabLine {
                        id: l.id,
                        amount: l.amount,
                        voided: l.voided,
                    })
                    .collect();
                let paid: i64 = device
                    .tab_payments(&from)
                    .iter()
                    .map(|p| p.row.amount.0 + p.row.tip.0)
                    .sum();
                let fresh: Vec<OrderLineId> =
                    (0..lines.len()).map(|_| device.new_line_id(now)).collect();
                let mut fresh = fresh.into_iter();
                let to = Destination {
                    same_table: false,
                    occupied: true,
                    merge: true,
                };
                let Ok(TabMove::Merge(carried)) = plan_move(&lines, Clp(paid), to, || {
                    fresh.next().expect("an id per line")
                }) else {
                    return;
                };
                let Some(status) = device.status_of(&from) else {
                    return;
                };
                if check_transition(status, OrderStatus::Cancelled, Some("unida")).is_err() {
                    return;
                }
                for carry in carried {
                    let Some((_, row)) = rows.iter().find(|(id, _)| *id == line_json(&carry.from))
                    else {
                        continue;
                    };
                    let mut copy = row.clone();
                    copy.insert("id".into(), json!(line_json(&carry.to)));
                    copy.insert("order_id".into(), json!(into));
                    if let Some(line) = copy.get_mut("line") {
                        line["bill"] = Value::Null;
                        line["moved_from"] = json!(line_json(&carry.from));
                    }
                    device.write(
                        now,
                        Entity::OrderLine,
                        &line_json(&carry.to),
                        Op::Upsert,
                        copy,
                    );
                    device.void_tab_line(now, &line_json(&carry.from), MOVED_REASON);
                }
                let payload = obj(json!({"status": "cancelled", "cancel_reason": "unida"}));
                device.write(now, Entity::Order, &from, Op::Upsert, payload);
                let transition = device.new_id("tr");
                let payload = obj(json!({"id": transition, "order_id": from,
                    "from_status": status.as_str(), "to_status": "cancelled"}));
                device.write(
                    now,
                    Entity::OrderTransition,
                    &transition,
                    Op::Upsert,
                    payload,
                );
                self.stats.merges += 1;
            }
        }
        self.stats.ops += 1;
    }
}

fn run_seed(seed: u64, steps: usize) -> Stats {
    run_world(seed, steps).0
}

/// Runs one seed and returns its stats and a digest of the cloud's final rows.
fn run_world(seed: u64, steps: usize) -> (Stats, String) {
    let mut world = World::new(seed);
    world.run(steps);
    world.heal();
    world.check();
    world.check_tabs();
    let same_location: Vec<String> = world.devices[..2]
        .iter()
        .map(|d| world.replica_hash(d))
        .collect();
    assert_eq!(
        same_location[0], same_location[1],
        "the two counters of one location differ"
    );
    for d in &mut world.devices {
        d.outbox.retain(|o| o.state == Sent::Rejected);
    }
    world.stats.rejected = world.devices.iter().map(|d| d.outbox.len()).sum();
    world.stats.doubled_voids = world.devices.iter().map(|d| d.doubled_voids).sum();
    let digest = world.replica_hash(&world.devices[2]) + &same_location[0];
    (world.stats, digest)
}

fn seeds() -> Vec<u64> {
    if let Ok(one) = std::env::var("SYNC_SIM_SEED") {
        return vec![one.parse().expect("SYNC_SIM_SEED is a number")];
    }
    let count: u64 = std::env::var("SYNC_SIM_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let mut seeds: Vec<u64> = REGRESSION_SEEDS.to_vec();
    seeds.extend(0..count);
    seeds
}

#[test]
fn replicas_converge_under_faults() {
    let mut totals = Stats::default();
    for seed in seeds() {
        let outcome = std::panic::catch_unwind(|| run_seed(seed, 3_000));
        match outcome {
            Ok(stats) => {
                totals.ops += stats.ops;
                totals.dropped += stats.dropped;
                totals.duplicated += stats.duplicated;
                totals.crashes += stats.crashes;
                totals.lost_answers += stats.lost_answers;
                totals.rejected += stats.rejected;
                totals.cloud_confirmed += stats.cloud_confirmed;
                totals.cloud_pending += stats.cloud_pending;
                totals.cancel_requests += stats.cancel_requests;
                totals.thief_pushes += stats.thief_pushes;
                totals.thief_refused += stats.thief_refused;
                totals.tabs_opened += stats.tabs_opened;
                totals.splits += stats.splits;
                totals.bills_paid += stats.bills_paid;
                totals.merges += stats.merges;
                totals.doubled_voids += stats.doubled_voids;
            }
            Err(_) => {
                panic!("sync simulation failed for seed {seed}; rerun with SYNC_SIM_SEED={seed}")
            }
        }
    }
    // The faults must actually have happened, or the test proves nothing.
    assert!(
        totals.dropped > 0
            && totals.duplicated > 0
            && totals.crashes > 0
            && totals.lost_answers > 0
    );
    assert!(
        totals.cloud_confirmed > 0 && totals.cloud_pending > 0 && totals.cancel_requests > 0,
        "the cloud never booked on its own, never held a booking, or no cancel was asked"
    );
    assert!(
        totals.thief_refused > 0 && totals.thief_pushes > totals.thief_refused,
        "the thief never pushed, or never got past the cloud's field check"
    );
    assert!(
        totals.rejected > 0,
        "no conflict was ever rejected: the workload is too tame"
    );
    assert!(
        totals.tabs_opened > 0
            && totals.splits > 0
            && totals.bills_paid > 0
            && totals.merges > 0
            && totals.doubled_voids > 0,
        "tabs were never split, paid, merged, or merged twice apart"
    );
    println!("{totals:?}");
}

#[test]
fn the_same_seed_replays_the_same_run() {
    let (a, a_rows) = run_world(7, 1_000);
    let (b, b_rows) = run_world(7, 1_000);
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    assert_eq!(a_rows, b_rows);
    let (_, other_rows) = run_world(8, 1_000);
    assert_ne!(
        a_rows, other_rows,
        "different seeds should make different runs"
    );
}
