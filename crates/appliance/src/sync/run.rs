//! The sync loop: push the outbox, pull the cloud's changes, then wait for a local write,
//! a live notice or the 30-second timer; back off with jitter while the cloud is out of
//! reach; stop for good when the cloud revokes the device.

use super::SyncContext;
use super::apply::{self, Applied};
use super::client::{CloudClient, CloudError, SseParser};
use crate::events::EventKind;
use crate::store::conversations;
use crate::store::media;
use crate::store::outbox::{self, OutboxRow};
use crate::store::{StoreError, now_text, sync as sync_store};
use dysa_domain::assistant::relay::{ChatRelay, MAX_STAFF_MESSAGES, StaffChatMessages};
use dysa_domain::sync::rows::PhotoHash;
use dysa_domain::sync::{
    ChangeRecord, Entity, Mutation, Op, Outcome, PushRequest, PushResponse, SCHEMA_VERSION,
};
use futures::StreamExt;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// How often the upload step looks for a backup not sent yet when none was announced
/// (a backup taken before this loop started, or one whose upload failed).
pub const UPLOAD_INTERVAL: Duration = Duration::from_secs(600);
/// Mutations per push (the cloud's limit).
pub const PUSH_BATCH: i64 = 500;
/// Changes per pull page.
pub const PULL_LIMIT: u32 = 500;
/// The longest quiet wait between two rounds.
pub const POLL_INTERVAL: Duration = Duration::from_secs(30);
/// A live channel silent this long is dead (the cloud sends a keep-alive every 15 s).
const LIVE_SILENCE: Duration = Duration::from_secs(45);
/// Local writes arriving together (a group commit, a menu import) go in one push.
const LOCAL_DEBOUNCE: Duration = Duration::from_millis(50);
/// Past this many changed orders in one page, panels get one board-wide event instead of
/// one per order (a first sync can bring thousands).
const MAX_ORDER_EVENTS: usize = 100;

/// The running loop; dropping it stops the loop and its live channel.
#[derive(Debug)]
pub struct Running {
    task: JoinHandle<()>,
}

impl Running {
    /// Whether the loop ended by itself (the device was revoked).
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Aborts a task when dropped, so the live channel ends with the loop however it ends.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the loop talking to the cloud through `client`.
pub fn spawn(state: SyncContext, client: CloudClient) -> Running {
    Running {
        task: tokio::spawn(run(state, client)),
    }
}

/// Exponential backoff with jitter, 1 s doubling to 60 s: a restaurant full of counters
/// coming back online together does not hit the cloud in step.
#[derive(Debug, Default)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    /// The wait before the next try; each call counts one more failure.
    pub fn next_delay(&mut self) -> Duration {
        let ceiling_ms = 1_000u64
            .saturating_mul(1 << self.failures.min(6))
            .min(60_000);
        self.failures = self.failures.saturating_add(1);
        // Half fixed, half random ("equal jitter"): never hammering, never stalling.
        let half = ceiling_ms / 2;
        Duration::from_millis(half + rand::random_range(0..=half))
    }

    /// Back to the shortest wait after a success.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

/// Why a round failed.
#[derive(Debug, thiserror::Error)]
enum RoundError {
    #[error(transparent)]
    Cloud(#[from] CloudError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

async fn run(state: SyncContext, client: CloudClient) {
    let remote = Arc::new(Notify::new());
    let _live = AbortOnDrop(tokio::spawn(live_channel(
        state.clone(),
        client.clone(),
        remote.clone(),
    )));
    // The backup upload runs beside the rounds, on its own timer and back-off: a counter
    // whose push keeps failing (a row the cloud refuses, a flapping link) still sends
    // its backups, which is what a replacement counter recovers from.
    let _uploads = AbortOnDrop(tokio::spawn(upload_backups(state.clone(), client.clone())));
    let local = state.db.outbox_written();
    let asked = state.sync.wake.clone();
    let mut backoff = Backoff::default();
    loop {
        let started = now_text();
        let outcome = round(&state, &client).await;
        let error = match outcome {
            Ok(()) => None,
            Err(RoundError::Cloud(CloudError::Revoked { code, message })) => {
                tracing::warn!(%code, %message, "the cloud revoked this device; sync stops");
                let reason = message.clone();
                let stored = state
                    .writer
                    .write(move |conn| {
                        Box::pin(async move { sync_store::mark_revoked(conn, &reason).await })
                    })
                    .await;
                if let Err(error) = stored {
                    tracing::error!(%error, "could not record the revocation");
                }
                super::publish_status(&state).await;
                return;
            }
            Err(error) => Some(error.to_string()),
        };
        if let Some(error) = &error {
            tracing::warn!(%error, "sync round failed");
        }
        let record = error.clone();
        let recorded = state
            .writer
            .write(move |conn| {
                Box::pin(async move {
                    sync_store::record_attempt(conn, &started, record.as_deref()).await
                })
            })
            .await;
        if let Err(error) = recorded {
            tracing::error!(%error, "could not record the sync attempt");
        }
        super::publish_status(&state).await;
        if error.is_some() {
            // While the cloud is out of reach only time brings it back: local writes
            // keep queueing in the outbox meanwhile.
            tokio::select! {
                () = tokio::time::sleep(backoff.next_delay()) => {}
                () = asked.notified() => {}
            }
            continue;
        }
        backoff.reset();
        tokio::select! {
            () = local.notified() => tokio::time::sleep(LOCAL_DEBOUNCE).await,
            () = remote.notified() => {}
            () = asked.notified() => {}
            () = tokio::time::sleep(POLL_INTERVAL) => {}
        }
    }
}

/// One round: everything pending goes up (staff's chat messages too), everything new
/// comes down.
/// One round now, outside the loop: a counter recovering a location pushes what its
/// backup held and pulls what the cloud has before it reports (`backup::recover`).
pub(crate) async fn round_once(state: &SyncContext, client: &CloudClient) -> Result<(), String> {
    round(state, client)
        .await
        .map_err(|error| error.to_string())
}

async fn round(state: &SyncContext, client: &CloudClient) -> Result<(), RoundError> {
    // Photos before the push: an item's `photo` never reaches the cloud ahead of its bytes.
    push_photos(state, client).await?;
    push_all(state, client).await?;
    deliver_staff_messages(state, client).await?;
    pull_all(state, client).await?;
    fetch_photos(state, client).await?;
    Ok(())
}

/// Sends each new verified backup to the cloud, independently of the rounds: at start,
/// whenever a backup is taken, and every [`UPLOAD_INTERVAL`]; after a failure, again
/// with its own back-off. Stops when the cloud revokes the device.
async fn upload_backups(state: SyncContext, client: CloudClient) {
    let mut backoff = Backoff::default();
    loop {
        match crate::backup::cloud::upload_newest(&state.backups, &client).await {
            Ok(_) => {
                backoff.reset();
                tokio::select! {
                    () = state.backups.taken().notified() => {}
                    () = tokio::time::sleep(UPLOAD_INTERVAL) => {}
                }
            }
            Err(crate::backup::cloud::UploadError::Cloud(CloudError::Revoked { .. })) => return,
            Err(error) => {
                tracing::warn!(%error, "backup not uploaded to the cloud; tried again soon");
                tokio::time::sleep(backoff.next_delay()).await;
            }
        }
    }
}

/// Photos sent per round before the push goes on (the rest go next round, still ahead of
/// any item naming them: an item's photo is kept before its outbox row is written).
const PHOTO_BATCH: i64 = 20;

/// Sends the cloud the photos it does not hold yet. A photo the cloud refuses for itself
/// (it would refuse it forever) is logged and marked, so it cannot block the sync.
async fn push_photos(state: &SyncContext, client: &CloudClient) -> Result<(), RoundError> {
    loop {
        let pending = media::unpushed(&state.db.write, PHOTO_BATCH).await?;
        if pending.is_empty() {
            return Ok(());
        }
        for (hash, jpeg) in pending {
            match client.put_media(&hash, jpeg).await {
                Ok(()) => {}
                Err(CloudError::Refused { status, code, .. }) => {
                    tracing::warn!(status, %code, %hash, "the cloud refused a photo");
                }
                Err(other) => return Err(other.into()),
            }
            let mut conn = state.db.write.acquire().await.map_err(StoreError::from)?;
            media::mark_pushed(&mut conn, &hash).await?;
        }
    }
}

/// Fetches the photos that pulled items name and this counter lacks (set at another
/// counter or in the owners' dashboard), checking each against its name. One the cloud
/// does not hold yet is tried again next round.
async fn fetch_photos(state: &SyncContext, client: &CloudClient) -> Result<(), RoundError> {
    let mut fetched = 0;
    for hash in media::missing(&state.db.read).await? {
        let Ok(name) = hash.parse::<PhotoHash>() else {
            continue;
        };
        let Some(jpeg) = client.get_media(&hash).await? else {
            tracing::info!(%hash, "the cloud does not hold this photo yet");
            continue;
        };
        match dysa_web::photos::verified(name, jpeg.into()).await {
            Ok((photo, thumb)) => {
                let mut conn = state.db.write.acquire().await.map_err(StoreError::from)?;
                media::keep(&mut conn, &photo, &thumb, true).await?;
                fetched += 1;
            }
            Err(error) => {
                tracing::warn!(%hash, code = error.code(), "a photo from the cloud was not usable");
            }
        }
    }
    if fetched > 0 {
        state.events.publish(
            EventKind::MenuUpdated,
            "photos".to_owned(),
            serde_json::json!({ "entity": "photo", "op": "upsert" }),
        );
    }
    Ok(())
}

/// Hands staff's replies in taken-over widget and WhatsApp chats to the cloud, a batch at
/// a time, until none waits. A message is marked only after the cloud took it, so one
/// lost on the way goes again next round (the cloud keeps it once by id).
async fn deliver_staff_messages(
    state: &SyncContext,
    client: &CloudClient,
) -> Result<(), RoundError> {
    let batch_size = i64::try_from(MAX_STAFF_MESSAGES).unwrap_or(50);
    loop {
        let messages = conversations::pending_for_cloud(&state.db.write, batch_size).await?;
        if messages.is_empty() {
            return Ok(());
        }
        let ids: Vec<uuid::Uuid> = messages.iter().map(|m| m.id).collect();
        match client.chat_messages(&StaffChatMessages { messages }).await {
            Ok(()) => {}
            // A batch the cloud refuses for itself would be refused forever: dropped
            // (and logged) so it cannot hold up every later round's sync.
            Err(CloudError::Refused { status, code, .. }) => {
                tracing::warn!(status, %code, "the cloud refused staff chat messages; dropped");
            }
            Err(other) => return Err(other.into()),
        }
        conversations::delivered_to_cloud(&state.db.write, &ids).await?;
    }
}

async fn push_all(state: &SyncContext, client: &CloudClient) -> Result<(), RoundError> {
    loop {
        // Read on the write connection: a row whose insert woke us is visible there as
        // soon as its transaction has ended (see `Db::outbox_written`).
        let rows = outbox::pending(&state.db.write, PUSH_BATCH).await?;
        if rows.is_empty() {
            return Ok(());
        }
        let full_batch = rows.len() as i64 == PUSH_BATCH;
        let (mutations, unpushable) = mutations_of(rows);
        let sent: HashMap<String, String> = mutations
            .iter()
            .map(|m| (m.mutation_id.clone(), m.hlc.clone()))
            .collect();
        let response = if mutations.is_empty() {
            PushResponse {
                results: Vec::new(),
            }
        } else {
            client
                .push(&PushRequest {
                    schema_version: SCHEMA_VERSION,
                    mutations,
                })
                .await?
        };
        let db = state.db.clone();
        let (answered, applied) = state
            .writer
            .write(move |conn| {
                Box::pin(async move {
                    let answered = record_results(conn, &sent, &response, &unpushable).await?;
                    // Every answer's row is taken (it may hold other devices' fields), but
                    // only rows that are more than the echo of our own change are news
                    // for the panels.
                    let mut news = Applied::for_location(db.location_key.current());
                    let mut echoes = Applied::for_location(db.location_key.current());
                    for result in &response.results {
                        let Some(current) = &result.current else {
                            continue;
                        };
                        let echo = result.outcome == Outcome::Applied
                            && sent.get(&result.mutation_id) == Some(&current.hlc);
                        let into = if echo { &mut echoes } else { &mut news };
                        apply::apply_one(conn, current, into).await?;
                    }
                    news.newest_hlc = news.newest_hlc.max(echoes.newest_hlc);
                    raise_clock(conn, &db, &news).await?;
                    Ok::<_, StoreError>((answered, news))
                })
            })
            .await?;
        announce(state, &applied).await;
        if answered == 0 {
            // Nothing in the answer matched what was sent: stop rather than resend the
            // same batch in a tight loop.
            return Err(CloudError::BadResponse(
                "the push answer names none of the mutations sent".into(),
            )
            .into());
        }
        if !full_batch {
            return Ok(());
        }
    }
}

/// Turns outbox rows into mutations; rows that cannot be (an entity or payload this build
/// does not know, which only a corrupt row could hold) are returned apart with the reason.
fn mutations_of(rows: Vec<OutboxRow>) -> (Vec<Mutation>, Vec<(String, String)>) {
    let mut mutations = Vec::with_capacity(rows.len());
    let mut unpushable = Vec::new();
    for row in rows {
        let entity = row.entity.parse::<Entity>();
        let op = row.op.parse::<Op>();
        let payload = serde_json::from_str::<serde_json::Value>(&row.payload);
        match (entity, op, payload) {
            (Ok(entity), Ok(op), Ok(serde_json::Value::Object(payload))) => {
                mutations.push(Mutation {
                    mutation_id: row.mutation_id,
                    entity,
                    entity_id: row.entity_id,
                    op,
                    payload,
                    hlc: row.hlc,
                });
            }
            _ => unpushable.push((
                row.mutation_id,
                format!(
                    "{} {} no se puede enviar / cannot be sent",
                    row.entity, row.op
                ),
            )),
        }
    }
    (mutations, unpushable)
}

/// Marks each answered outbox row; returns how many were answered.
async fn record_results(
    conn: &mut sqlx::SqliteConnection,
    sent: &HashMap<String, String>,
    response: &PushResponse,
    unpushable: &[(String, String)],
) -> Result<usize, StoreError> {
    for (mutation_id, detail) in unpushable {
        sync_store::mark_rejected(conn, mutation_id, "unpushable", Some(detail)).await?;
    }
    let mut answered = unpushable.len();
    for result in &response.results {
        if !sent.contains_key(&result.mutation_id) {
            continue;
        }
        answered += 1;
        match result.outcome {
            Outcome::Applied => sync_store::mark_pushed(conn, &result.mutation_id).await?,
            Outcome::Adjusted => {
                // The merged row (`current`) carries what the rule changed (e.g. a
                // double-booked reservation, now cancelled with its reason).
                tracing::info!(mutation = %result.mutation_id, reason = ?result.reason,
                    "the cloud adjusted a change");
                sync_store::mark_pushed(conn, &result.mutation_id).await?;
            }
            Outcome::Rejected => {
                let reason = result.reason.as_deref().unwrap_or("rejected");
                sync_store::mark_rejected(
                    conn,
                    &result.mutation_id,
                    reason,
                    result.detail.as_deref(),
                )
                .await?;
            }
        }
    }
    Ok(answered)
}

async fn pull_all(state: &SyncContext, client: &CloudClient) -> Result<(), RoundError> {
    let cursor = sync_store::state(&state.db.read).await?.cursor;
    match pull_from(state, client, cursor).await {
        Err(RoundError::Cloud(CloudError::SnapshotRequired { purged_through })) => {
            tracing::warn!(
                cursor,
                purged_through,
                "offline longer than the cloud keeps deletes: reloading from its snapshot"
            );
            reload_from_snapshot(state, client, purged_through).await?;
            pull_from(state, client, purged_through).await
        }
        other => other,
    }
}

/// This counter's queues as the cloud hears of them with a pull; `None` (nothing told)
/// when they cannot be read.
async fn queue_report(db: &crate::store::Db) -> Option<super::client::QueueReport> {
    let rfc3339 = |at: Option<String>| {
        at.and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .map(|t| t.to_string())
    };
    let fiscal = crate::store::fiscal::waiting(&db.read).await;
    let print = crate::store::printing::waiting(&db.read).await;
    match (fiscal, print) {
        (Ok((fiscal_pending, fiscal_oldest)), Ok((print_pending, print_oldest))) => {
            Some(super::client::QueueReport {
                fiscal_pending,
                fiscal_oldest_at: rfc3339(fiscal_oldest),
                print_pending,
                print_oldest_at: rfc3339(print_oldest),
            })
        }
        (Err(error), _) | (_, Err(error)) => {
            tracing::warn!(%error, "sync: could not read the queues to report");
            None
        }
    }
}

/// Pulls pages from `cursor` until the cloud has no more.
async fn pull_from(
    state: &SyncContext,
    client: &CloudClient,
    mut cursor: i64,
) -> Result<(), RoundError> {
    let queues = queue_report(&state.db).await;
    loop {
        let page = client.pull(cursor, PULL_LIMIT, queues.as_ref()).await?;
        let next = page.cursor;
        let has_more = page.has_more;
        let applied = apply_pulled(state, page.changes, Some(next)).await?;
        announce(state, &applied).await;
        if !has_more {
            return Ok(());
        }
        if next <= cursor {
            return Err(CloudError::BadResponse(format!(
                "the pull cursor did not move past {cursor}"
            ))
            .into());
        }
        cursor = next;
    }
}

/// Applies one page of cloud rows in one writer transaction, with the cursor when given:
/// the page and its cursor land together or not at all.
async fn apply_pulled(
    state: &SyncContext,
    changes: Vec<ChangeRecord>,
    cursor: Option<i64>,
) -> Result<Applied, RoundError> {
    let db = state.db.clone();
    Ok(state
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let mut applied = Applied::for_location(db.location_key.current());
                apply::apply_page(conn, &changes, &mut applied).await?;
                let seated = crate::reservations::decide_cloud_bookings(conn, &db).await?;
                applied.reservations_created.extend(seated);
                if let Some(cursor) = cursor {
                    sync_store::set_cursor(conn, cursor).await?;
                }
                raise_clock(conn, &db, &applied).await?;
                Ok::<_, StoreError>(applied)
            })
        })
        .await?)
}

/// The rows a counter can delete (tombstones): the only ones that can vanish from the
/// cloud while this device is away.
const DELETABLE: [Entity; 5] = [
    Entity::Category,
    Entity::ModifierGroup,
    Entity::Item,
    Entity::Customer,
    Entity::Table,
];

/// The cloud purged deletes this device never pulled (docs/SYNC.md, "Retention"): takes
/// every live row of the snapshot (applied like a pull, so newer local edits still win
/// field by field), marks deleted the deletable rows the snapshot no longer holds (unless
/// a local change to them has not reached the cloud), then leaves the cursor at
/// `purged_through`, from where the tombstones the cloud still keeps are pulled again. A
/// reload cut short leaves the old cursor, so the next round starts it over.
async fn reload_from_snapshot(
    state: &SyncContext,
    client: &CloudClient,
    purged_through: i64,
) -> Result<(), RoundError> {
    let mut held: HashMap<Entity, HashSet<String>> = HashMap::new();
    let mut cursor = 0;
    loop {
        let page = client.snapshot(cursor, PULL_LIMIT).await?;
        for change in &page.changes {
            if DELETABLE.contains(&change.entity) {
                held.entry(change.entity)
                    .or_default()
                    .insert(change.entity_id.clone());
            }
        }
        let next = page.cursor;
        let has_more = page.has_more;
        let applied = apply_pulled(state, page.changes, None).await?;
        announce(state, &applied).await;
        if !has_more {
            break;
        }
        if next <= cursor {
            return Err(CloudError::BadResponse(format!(
                "the snapshot cursor did not move past {cursor}"
            ))
            .into());
        }
        cursor = next;
    }
    let db = state.db.clone();
    let applied = state
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let mut applied = Applied::for_location(None);
                let hlc = db.tick().to_string();
                let none = HashSet::new();
                let held_of = |entity: Entity| held.get(&entity).unwrap_or(&none);
                use crate::store::rows::tombstone_vanished as vanished;
                use dysa_domain::sync::rows::{Category, Customer, Item, ModifierGroup, Table};
                let menu = [
                    vanished::<Category>(conn, held_of(Entity::Category), &hlc).await?,
                    vanished::<ModifierGroup>(conn, held_of(Entity::ModifierGroup), &hlc).await?,
                    vanished::<Item>(conn, held_of(Entity::Item), &hlc).await?,
                ];
                applied.menu = menu.iter().any(|ids| !ids.is_empty());
                let customers = vanished::<Customer>(conn, held_of(Entity::Customer), &hlc).await?;
                applied.customers.extend(
                    customers
                        .iter()
                        .filter_map(|id| id.parse::<dysa_domain::ids::CustomerId>().ok()),
                );
                let tables = vanished::<Table>(conn, held_of(Entity::Table), &hlc).await?;
                applied.tables.extend(
                    tables
                        .iter()
                        .filter_map(|id| id.parse::<dysa_domain::ids::TableId>().ok()),
                );
                let removed =
                    menu.iter().map(Vec::len).sum::<usize>() + customers.len() + tables.len();
                applied.rows = removed;
                sync_store::set_cursor(conn, purged_through).await?;
                Ok::<_, StoreError>(applied)
            })
        })
        .await?;
    tracing::info!(
        removed = applied.rows,
        purged_through,
        "reloaded from the cloud's snapshot"
    );
    announce(state, &applied).await;
    Ok(())
}

/// Feeds the newest applied HLC to the clock and keeps the clock's floor with the data.
async fn raise_clock(
    conn: &mut sqlx::SqliteConnection,
    db: &crate::store::Db,
    applied: &Applied,
) -> Result<(), StoreError> {
    if let Some(newest) = applied.newest_hlc {
        let now = db.observe(newest);
        sync_store::raise_clock_floor(conn, &now.to_string()).await?;
    }
    Ok(())
}

/// After a commit: drop caches and tell open panels what changed, with the same events
/// their own edits make, so a widget order shows on the board like a counter one.
async fn announce(state: &SyncContext, applied: &Applied) {
    if applied.is_empty() {
        return;
    }
    let source = serde_json::json!({ "source": "sync" });
    // Another counter's claim (or this location's first rows, for a counter that just
    // joined) may have arrived: two counters never number in one range.
    if let Err(error) = crate::store::numbering::settle(&state.db).await {
        tracing::warn!(%error, "could not settle this counter's order-number range");
    }
    if applied.settings {
        state.restaurant.invalidate();
        state
            .events
            .publish(EventKind::SettingsUpdated, "", source.clone());
    }
    if applied.users {
        // A role change or deactivation from another counter takes effect at once.
        state.db.session_cache.invalidate();
    }
    if applied.menu {
        // Orders price from the in-memory menu: a price or sold-out from the cloud must
        // reach the very next order.
        state.db.menu_cache.invalidate();
        state
            .events
            .publish(EventKind::MenuUpdated, "", source.clone());
    }
    if !applied.orders_updated.is_empty() || !applied.orders_created.is_empty() {
        // Two counters may have merged the same tab into different tables while apart.
        if let Err(error) = crate::ordering::settle_doubled_merges(&state.orders).await {
            tracing::warn!(%error, "could not settle doubled merges");
        }
    }
    let orders = applied.orders_created.len() + applied.orders_updated.len();
    if orders > MAX_ORDER_EVENTS {
        state.events.publish(
            EventKind::OrderUpdated,
            "",
            serde_json::json!({ "source": "sync", "count": orders }),
        );
    } else {
        for id in &applied.orders_created {
            if let Ok(order) = crate::ordering::load(&state.orders, *id).await {
                crate::ordering::publish(&state.orders, EventKind::OrderCreated, &order);
            }
        }
        for id in applied.orders_updated.difference(&applied.orders_created) {
            if let Ok(order) = crate::ordering::load(&state.orders, *id).await {
                crate::ordering::publish(&state.orders, EventKind::OrderUpdated, &order);
            }
        }
    }
    let reservations = applied
        .reservations_created
        .iter()
        .map(|id| (EventKind::ReservationCreated, id))
        .chain(
            applied
                .reservations_updated
                .iter()
                .map(|id| (EventKind::ReservationUpdated, id)),
        );
    for (kind, id) in reservations {
        let data = match crate::store::reservations::find(&state.db.read, *id).await {
            Ok(Some(r)) => serde_json::json!({
                "table_id": r.table_id,
                "status": r.status,
                "starts_at": r.starts_at,
                "party_size": r.party_size,
                "source": "sync",
            }),
            _ => serde_json::json!({ "source": "sync", "deleted": true }),
        };
        state.events.publish(kind, id.to_string(), data);
    }
    for id in &applied.tables {
        state
            .events
            .publish(EventKind::TableUpdated, id.to_string(), source.clone());
    }
    for id in &applied.customers {
        state
            .events
            .publish(EventKind::CustomerUpdated, id.to_string(), source.clone());
    }
}

/// Listens to the cloud's live channel and wakes the loop when the tenant's version
/// moves; reconnects with backoff whenever the channel drops or goes silent.
async fn live_channel(state: SyncContext, client: CloudClient, wake: Arc<Notify>) {
    let mut backoff = Backoff::default();
    let mut seen: Option<i64> = None;
    loop {
        match client.live().await {
            Ok(response) => {
                let mut parser = SseParser::default();
                let mut stream = response.bytes_stream();
                while let Ok(Some(Ok(chunk))) =
                    tokio::time::timeout(LIVE_SILENCE, stream.next()).await
                {
                    for event in parser.feed(&chunk) {
                        if let Some(relay) = event.chat_relay() {
                            // Answered beside the stream: a slow model must not hold up
                            // the notices (nor other diners' chats).
                            tokio::spawn(answer_chat(state.clone(), client.clone(), relay));
                            continue;
                        }
                        let Some(version) = event.version() else {
                            continue;
                        };
                        // Only a channel that carried news counts as healthy.
                        backoff.reset();
                        if seen.is_none_or(|s| version > s) {
                            seen = Some(version);
                            wake.notify_one();
                        }
                    }
                }
            }
            Err(CloudError::Revoked { .. }) => {
                // The loop's next request finds out and stops everything.
                wake.notify_one();
            }
            Err(error) => tracing::debug!(%error, "live channel unavailable"),
        }
        tokio::time::sleep(backoff.next_delay()).await;
    }
}

/// Answers a widget diner's message relayed by the cloud with the assistant (the local
/// model, or its deterministic fallback) and posts the reply. When the assistant stays
/// quiet or fails, nothing is posted and the cloud answers the diner after its wait.
async fn answer_chat(state: SyncContext, client: CloudClient, relay: ChatRelay) {
    let reply = match crate::assistant::answer_relay(&state.assistant, &relay).await {
        Ok(Some(reply)) => reply,
        Ok(None) => return,
        Err(error) => {
            tracing::warn!(%error, request = %relay.request_id, "could not answer a relayed chat");
            return;
        }
    };
    if let Err(error) = client.chat_reply(relay.request_id, &reply).await {
        tracing::info!(%error, request = %relay.request_id, "the cloud did not take the chat reply");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_a_minute_with_jitter() {
        let mut backoff = Backoff::default();
        let first = backoff.next_delay();
        assert!(first >= Duration::from_millis(500) && first <= Duration::from_secs(1));
        for _ in 0..20 {
            let delay = backoff.next_delay();
            assert!(delay <= Duration::from_secs(60));
        }
        let late = backoff.next_delay();
        assert!(late >= Duration::from_secs(30), "{late:?}");
        backoff.reset();
        assert!(backoff.next_delay() <= Duration::from_secs(1));
    }
}
