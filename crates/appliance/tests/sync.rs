//! Sync against a fake cloud: a small axum app in the test that speaks docs/SYNC.md
//! (enrolment, push, pull, live) and merges with `dysa_domain::sync::merge` over an
//! in-memory map, as the real cloud does over Postgres.

#![allow(clippy::unwrap_used)]

mod common;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use common::{Auth, TestApp, heard};
use dysa_domain::hlc::Hlc;
use dysa_domain::sync::{
    ChangeRecord, Entity, Mutation, MutationResult, Op, Outcome, PullResponse, PushRequest,
    PushResponse, StoredRow, merge,
};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_stream::StreamExt;

const TENANT: &str = "0197a000-0000-7000-8000-000000000001";
const LOCATION: &str = "0197a000-0000-7000-8000-000000000002";
const REVOKED_MESSAGE: &str = "El equipo fue revocado desde el panel del dueño";

/// What the fake cloud holds.
#[derive(Default)]
struct Cloud {
    /// Enrolment codes not used yet.
    codes: HashSet<String>,
    /// Device token → revoked.
    tokens: HashMap<String, bool>,
    /// Merged rows with the version of their last change.
    rows: HashMap<(Entity, String), (StoredRow, i64)>,
    /// The tenant's version counter.
    version: i64,
    /// First answer of every mutation, for replays.
    answers: HashMap<String, MutationResult>,
    /// How often each mutation was merged (a replay must not merge again).
    merges: HashMap<String, u32>,
    /// Push, pull and live answer 503.
    down: bool,
    /// Pushes to commit and then answer 503, as if the answer were lost.
    lose_answers: u32,
    /// Push requests that reached the merge.
    pushes: u32,
    /// Replayed mutations answered from `answers`.
    replays: u32,
    /// The cloud's own HLC counter (owners' edits).
    clock: u32,
    /// The newest version of a tombstone purged by retention (docs/SYNC.md, "Retention").
    purged_through: i64,
    /// Pulls answered 410 `snapshot_required`.
    gone: u32,
    /// Snapshot pages served.
    snapshots: u32,
    /// The query of every pull, in order (the counter's queues ride on it).
    pull_queries: Vec<HashMap<String, String>>,
    /// Pushes answer 422 (a row the cloud keeps refusing) while the rest works.
    refuse_pushes: bool,
    /// Backup uploads by id: their parts and whether they were completed.
    backups: HashMap<String, (std::collections::BTreeMap<usize, Vec<u8>>, bool)>,
    /// The recovery copy of the backup key, as sent.
    backup_key: Option<String>,
}

impl Cloud {
    fn record(&self, key: &(Entity, String)) -> Option<ChangeRecord> {
        self.rows.get(key).map(|(stored, version)| ChangeRecord {
            version: *version,
            entity: key.0,
            entity_id: key.1.clone(),
            location_id: key.0.is_location_scoped().then(|| LOCATION.to_owned()),
            deleted: stored.is_deleted(),
            row: stored.row.clone(),
            hlc: stored.newest_hlc(),
        })
    }
}

struct Shared {
    cloud: Mutex<Cloud>,
    live: tokio::sync::watch::Sender<i64>,
}

/// The fake cloud, listening on a loopback port.
struct Fake {
    shared: Arc<Shared>,
    url: String,
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

fn unavailable() -> Response {
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "Servicio no disponible",
    )
}

/// Checks the device token: the 401 `device_revoked` answer for a revoked or unknown one.
fn refusal(cloud: &Cloud, headers: &HeaderMap) -> Option<Response> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    match cloud.tokens.get(token) {
        Some(false) => None,
        _ => Some(error(
            StatusCode::UNAUTHORIZED,
            "device_revoked",
            REVOKED_MESSAGE,
        )),
    }
}

async fn enroll(
    State(shared): State<Arc<Shared>>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let mut cloud = shared.cloud.lock().unwrap();
    let code = body["enrollment_code"].as_str().unwrap_or("");
    assert!(body["device_name"].as_str().is_some_and(|n| !n.is_empty()));
    if !cloud.codes.remove(code) {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(json!({ "error": {
                "code": "validation_failed",
                "message": "Hay datos que faltan o no son válidos",
                "fields": { "enrollment_code": "no existe, ya se usó o expiró" },
            }})),
        )
            .into_response();
    }
    let token = format!("dyd_{}", uuid::Uuid::now_v7().simple());
    cloud.tokens.insert(token.clone(), false);
    (
        StatusCode::CREATED,
        axum::Json(json!({
            "device_id": uuid::Uuid::now_v7(),
            "device_token": token,
            "tenant_id": TENANT,
            "location_id": LOCATION,
        })),
    )
        .into_response()
}

async fn push(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    axum::Json(request): axum::Json<PushRequest>,
) -> Response {
    let mut guard = shared.cloud.lock().unwrap();
    let cloud = &mut *guard;
    if let Some(refused) = refusal(cloud, &headers) {
        return refused;
    }
    if cloud.down {
        return unavailable();
    }
    if cloud.refuse_pushes {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "Hay datos que faltan o no son válidos",
        );
    }
    assert!(request.mutations.len() <= 500);
    assert!(dysa_domain::sync::schema_supported(request.schema_version));
    cloud.pushes += 1;
    let mut results = Vec::new();
    for mutation in request.mutations {
        if let Some(first) = cloud.answers.get(&mutation.mutation_id) {
            cloud.replays += 1;
            results.push(first.clone());
            continue;
        }
        *cloud
            .merges
            .entry(mutation.mutation_id.clone())
            .or_default() += 1;
        let key = (mutation.entity, mutation.entity_id.clone());
        let current = cloud.rows.get(&key).map(|(row, _)| row);
        let (outcome, reason, detail) = match merge(current, &mutation) {
            Ok(merged) => {
                if merged.changed {
                    cloud.version += 1;
                    let version = cloud.version;
                    cloud.rows.insert(key.clone(), (merged.stored, version));
                }
                (Outcome::Applied, None, None)
            }
            Err(rejection) => (
                Outcome::Rejected,
                Some(rejection.code().to_owned()),
                Some(rejection.to_string()),
            ),
        };
        let result = MutationResult {
            mutation_id: mutation.mutation_id.clone(),
            outcome,
            reason,
            detail,
            current: cloud.record(&key),
        };
        cloud.answers.insert(mutation.mutation_id, result.clone());
        results.push(result);
    }
    let _ = shared.live.send(cloud.version);
    if cloud.lose_answers > 0 {
        // Committed, but the answer never reaches the device.
        cloud.lose_answers -= 1;
        return unavailable();
    }
    axum::Json(PushResponse { results }).into_response()
}

async fn pull(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut cloud = shared.cloud.lock().unwrap();
    if let Some(refused) = refusal(&cloud, &headers) {
        return refused;
    }
    if cloud.down {
        return unavailable();
    }
    cloud.pull_queries.push(query.clone());
    let cursor: i64 = query["cursor"].parse().unwrap();
    if cursor < cloud.purged_through {
        cloud.gone += 1;
        return (
            StatusCode::GONE,
            axum::Json(json!({ "error": {
                "code": "snapshot_required",
                "message": "El equipo estuvo desconectado más tiempo del que la nube guarda los borrados",
                "details": { "purged_through": cloud.purged_through },
            }})),
        )
            .into_response();
    }
    page(&cloud, cursor, &query, true)
}

/// `/sync/snapshot`: the live rows only.
async fn snapshot(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut cloud = shared.cloud.lock().unwrap();
    if let Some(refused) = refusal(&cloud, &headers) {
        return refused;
    }
    if cloud.down {
        return unavailable();
    }
    cloud.snapshots += 1;
    let cursor: i64 = query["cursor"].parse().unwrap();
    page(&cloud, cursor, &query, false)
}

fn page(cloud: &Cloud, cursor: i64, query: &HashMap<String, String>, tombstones: bool) -> Response {
    let limit: usize = query["limit"].parse().unwrap();
    let mut newer: Vec<ChangeRecord> = cloud
        .rows
        .iter()
        .filter(|(_, (_, version))| *version > cursor)
        .filter_map(|(key, _)| cloud.record(key))
        .filter(|change| tombstones || !change.deleted)
        .collect();
    newer.sort_by_key(|c| c.version);
    let has_more = newer.len() > limit;
    newer.truncate(limit);
    let next = newer.last().map_or(cursor, |c| c.version);
    axum::Json(PullResponse {
        changes: newer,
        cursor: next,
        has_more,
    })
    .into_response()
}

async fn live(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    {
        let cloud = shared.cloud.lock().unwrap();
        if let Some(refused) = refusal(&cloud, &headers) {
            return refused;
        }
        if cloud.down {
            return unavailable();
        }
    }
    let versions = tokio_stream::wrappers::WatchStream::new(shared.live.subscribe()).map(|v| {
        Ok::<_, std::convert::Infallible>(
            SseEvent::default()
                .event("version")
                .data(json!({ "version": v }).to_string()),
        )
    });
    Sse::new(versions)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// Runs `f` on the cloud for a request with a good device token; the refusal otherwise.
fn as_device(
    shared: &Shared,
    headers: &HeaderMap,
    f: impl FnOnce(&mut Cloud) -> Response,
) -> Response {
    let mut cloud = shared.cloud.lock().unwrap();
    match refusal(&cloud, headers) {
        Some(refused) => refused,
        None => f(&mut cloud),
    }
}

async fn put_backup_key(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    as_device(&shared, &headers, |cloud| {
        cloud.backup_key = body["key"].as_str().map(str::to_owned);
        StatusCode::NO_CONTENT.into_response()
    })
}

async fn begin_backup(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    as_device(&shared, &headers, |cloud| {
        let id = body["id"].as_str().unwrap().to_owned();
        cloud.backups.insert(id, Default::default());
        StatusCode::NO_CONTENT.into_response()
    })
}

async fn backup_part(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    axum::extract::Path((id, n)): axum::extract::Path<(String, usize)>,
    bytes: axum::body::Bytes,
) -> Response {
    as_device(&shared, &headers, |cloud| {
        match cloud.backups.get_mut(&id) {
            Some((parts, _)) => {
                parts.insert(n, bytes.to_vec());
                StatusCode::NO_CONTENT.into_response()
            }
            None => error(StatusCode::NOT_FOUND, "not_found", "No existe"),
        }
    })
}

async fn complete_backup(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    as_device(&shared, &headers, |cloud| {
        let Some((parts, done)) = cloud.backups.get_mut(&id) else {
            return error(StatusCode::NOT_FOUND, "not_found", "No existe");
        };
        let size: usize = parts.values().map(Vec::len).sum();
        assert_eq!(body["parts"].as_u64().unwrap() as usize, parts.len());
        assert_eq!(body["size_bytes"].as_u64().unwrap() as usize, size);
        *done = true;
        axum::Json(json!({
            "id": id, "device_id": uuid::Uuid::now_v7(), "taken_at": "2026-12-07T12:00:00Z",
            "parts": parts.len(), "size_bytes": size, "sha256": body["sha256"],
        }))
        .into_response()
    })
}

impl Fake {
    async fn start() -> Fake {
        let (versions, _) = tokio::sync::watch::channel(0);
        let shared = Arc::new(Shared {
            cloud: Mutex::new(Cloud::default()),
            live: versions,
        });
        let app = axum::Router::new()
            .route("/api/v1/devices/enroll", post(enroll))
            .route("/api/v1/sync/push", post(push))
            .route("/api/v1/sync/pull", get(pull))
            .route("/api/v1/sync/snapshot", get(snapshot))
            .route("/api/v1/sync/live", get(live))
            .route(
                "/api/v1/sync/backup-key",
                axum::routing::put(put_backup_key),
            )
            .route("/api/v1/sync/backups", post(begin_backup))
            .route(
                "/api/v1/sync/backups/{id}/parts/{n}",
                axum::routing::put(backup_part),
            )
            .route("/api/v1/sync/backups/{id}/complete", post(complete_backup))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Fake { shared, url }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Cloud) -> T) -> T {
        f(&mut self.shared.cloud.lock().unwrap())
    }

    /// A fresh one-time enrolment code.
    fn code(&self) -> String {
        let code = format!("ABCD-{}", &uuid::Uuid::now_v7().simple().to_string()[24..]);
        self.with(|c| c.codes.insert(code.clone()));
        code
    }

    fn set_down(&self, down: bool) {
        self.with(|c| c.down = down);
    }

    /// An owner's edit on the cloud dashboard: merged like a push, stamped with the
    /// cloud's clock (`age_ms` in the past), announced on the live channel.
    fn owner_edit(&self, entity: Entity, id: &str, fields: Value, age_ms: u64) {
        let version = self.with(|cloud| {
            cloud.clock += 1;
            let now = u64::try_from(jiff::Timestamp::now().as_millisecond()).unwrap();
            let hlc = Hlc {
                wall_ms: now - age_ms,
                counter: cloud.clock,
                node: 0xc10d,
            };
            let mutation = Mutation {
                mutation_id: uuid::Uuid::now_v7().to_string(),
                entity,
                entity_id: id.to_owned(),
                op: Op::Upsert,
                payload: fields.as_object().unwrap().clone(),
                hlc: hlc.to_string(),
            };
            let key = (entity, id.to_owned());
            let merged = merge(cloud.rows.get(&key).map(|(r, _)| r), &mutation).unwrap();
            cloud.version += 1;
            let version = cloud.version;
            cloud.rows.insert(key, (merged.stored, version));
            version
        });
        let _ = self.shared.live.send(version);
    }

    /// An owner deletes a row on the cloud dashboard (a tombstone at the cloud's clock).
    fn owner_delete(&self, entity: Entity, id: &str) {
        let version = self.with(|cloud| {
            cloud.clock += 1;
            let now = u64::try_from(jiff::Timestamp::now().as_millisecond()).unwrap();
            let mutation = Mutation {
                mutation_id: uuid::Uuid::now_v7().to_string(),
                entity,
                entity_id: id.to_owned(),
                op: Op::Delete,
                payload: serde_json::Map::new(),
                hlc: Hlc {
                    wall_ms: now,
                    counter: cloud.clock,
                    node: 0xc10d,
                }
                .to_string(),
            };
            let key = (entity, id.to_owned());
            let merged = merge(cloud.rows.get(&key).map(|(r, _)| r), &mutation).unwrap();
            cloud.version += 1;
            let version = cloud.version;
            cloud.rows.insert(key, (merged.stored, version));
            version
        });
        let _ = self.shared.live.send(version);
    }

    /// The retention sweep: tombstones are forgotten and the horizon moves past them.
    fn purge_tombstones(&self) {
        self.with(|cloud| {
            let gone: Vec<((Entity, String), i64)> = cloud
                .rows
                .iter()
                .filter(|(_, (row, _))| row.is_deleted())
                .map(|(key, (_, version))| (key.clone(), *version))
                .collect();
            for (key, version) in gone {
                cloud.rows.remove(&key);
                cloud.purged_through = cloud.purged_through.max(version);
            }
        });
    }

    fn row(&self, entity: Entity, id: &str) -> Option<ChangeRecord> {
        self.with(|c| c.record(&(entity, id.to_owned())))
    }

    fn count(&self, entity: Entity) -> usize {
        self.with(|c| c.rows.keys().filter(|(e, _)| *e == entity).count())
    }
}

async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..400 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting until {what}");
}

async fn sync_status(app: &TestApp, token: &str) -> Value {
    let reply = app.get("/api/v1/sync/status", token).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

async fn connect(app: &TestApp, token: &str, fake: &Fake) -> Value {
    let reply = app
        .post(
            "/api/v1/cloud/connect",
            json!({ "cloud_url": fake.url, "enrollment_code": fake.code() }),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

/// Waits until the appliance is online with nothing left to push.
async fn settled(app: &TestApp, token: &str) {
    eventually("online with nothing pending", || async {
        let status = sync_status(app, token).await;
        status["link"] == "online" && status["pending"] == 0
    })
    .await;
}

async fn order(app: &TestApp, token: &str, item: &str) -> Value {
    let reply = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "counter", "lines": [{ "item_id": item, "quantity": 1 }] }),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body
}

#[tokio::test]
async fn connecting_keeps_the_token_in_a_private_file_and_never_in_settings() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let fake = Fake::start().await;
    let mut events = app.state.events.subscribe();
    let status = connect(&app, &admin, &fake).await;
    assert_eq!(status["token_storage"], "file", "no keyring in tests");
    assert_eq!(status["cloud_url"], fake.url);
    let token = fake.with(|c| c.tokens.keys().next().unwrap().clone());
    let file = app.state.settings.data_dir.join("cloud-token");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), token);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the appliance's user reads it");
    }
    settled(&app, &admin).await;
    // The loop records the round, then publishes: `settled` can see "online" first.
    heard(&mut events, "panels heard the link come up", |event| {
        event.kind == dysa_appliance::events::EventKind::Sync && event.data["link"] == "online"
    })
    .await;
    // Nowhere in the database: not in settings, not in the link, not in the outbox.
    for path in ["dysa.db", "dysa.db-wal"] {
        let bytes = std::fs::read(app.state.settings.data_dir.join(path)).unwrap_or_default();
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "the token leaked into {path}"
        );
    }
    let in_settings: i64 = sqlx::query_scalar("SELECT count(*) FROM settings WHERE value LIKE ?")
        .bind(format!("%{token}%"))
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(in_settings, 0);
    // What setup wrote (the admin, the restaurant's name) reached the cloud.
    assert_eq!(fake.count(Entity::User), 1);
    assert!(fake.row(Entity::Setting, "restaurant.name").is_some());
    let health = app
        .call(Method::GET, "/health", Value::Null, Auth::None)
        .await;
    assert_eq!(health.body["checks"]["cloud"]["status"], "up");
    assert_eq!(health.body["checks"]["cloud"]["link"], "online");
    assert_eq!(health.body["checks"]["cloud"]["pending"], 0);
}

/// The completed uploads' bytes, parts joined in order.
fn uploaded(fake: &Fake) -> Vec<Vec<u8>> {
    fake.with(|c| {
        c.backups
            .values()
            .filter(|(_, done)| *done)
            .map(|(parts, _)| parts.values().flatten().copied().collect())
            .collect()
    })
}

#[tokio::test]
async fn a_counter_whose_push_keeps_failing_still_uploads_its_backup() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let fake = Fake::start().await;
    fake.with(|c| c.refuse_pushes = true);
    connect(&app, &admin, &fake).await;
    // The push fails round after round: what setup wrote stays pending.
    eventually("a round to fail on the push", || async {
        let status = sync_status(&app, &admin).await;
        status["last_error"].is_string() && status["pending"].as_i64().unwrap() > 0
    })
    .await;
    assert_eq!(fake.with(|c| c.pushes), 0);
    let reply = app.post("/api/v1/backups", Value::Null, &admin).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert!(reply.body["last"]["error"].is_null(), "{:?}", reply.body);
    let file = app
        .state
        .settings
        .data_dir
        .join("backups")
        .join(reply.body["last"]["file"].as_str().unwrap());
    let on_disk = std::fs::read(&file).unwrap();
    eventually("the backup to reach the cloud", || async {
        uploaded(&fake).contains(&on_disk)
    })
    .await;
    assert!(
        fake.with(|c| c.backup_key.is_some()),
        "the recovery key went too"
    );
    // Still refused: the upload did not wait for the push to work.
    assert_eq!(fake.with(|c| c.pushes), 0);
    assert!(sync_status(&app, &admin).await["pending"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn an_order_taken_offline_is_pushed_once_when_the_cloud_returns() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 2_990).await;
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    settled(&app, &admin).await;

    fake.set_down(true);
    let taken = order(&app, &admin, &item).await;
    let id = taken["id"].as_str().unwrap();
    eventually("offline with the order waiting", || async {
        let status = sync_status(&app, &admin).await;
        status["link"] == "offline" && status["pending"].as_i64().unwrap() >= 3
    })
    .await;
    let status = sync_status(&app, &admin).await;
    assert!(
        status["last_error"].as_str().unwrap().contains("503"),
        "{status}"
    );
    let health = app
        .call(Method::GET, "/health", Value::Null, Auth::None)
        .await;
    assert_eq!(health.body["checks"]["cloud"]["link"], "offline");
    assert!(health.body["checks"]["cloud"]["pending"].as_i64().unwrap() >= 3);
    assert!(fake.row(Entity::Order, id).is_none());

    fake.set_down(false);
    settled(&app, &admin).await;
    let row = fake
        .row(Entity::Order, id)
        .expect("the order reached the cloud");
    assert_eq!(row.row["total"], 2_990);
    assert_eq!(row.location_id.as_deref(), Some(LOCATION));
    assert_eq!(fake.count(Entity::Order), 1);
    assert_eq!(fake.count(Entity::OrderLine), 1);
    assert!(
        fake.with(|c| c.merges.values().all(|n| *n == 1)),
        "every mutation merged exactly once"
    );
    let pending = dysa_appliance::store::outbox::pending_count(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(pending, 0, "the outbox emptied");
}

#[tokio::test]
async fn a_push_whose_answer_was_lost_is_replayed_without_duplicates() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 2_990).await;
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    settled(&app, &admin).await;

    fake.with(|c| c.lose_answers = 1);
    let pushes = fake.with(|c| c.pushes);
    let taken = order(&app, &admin, &item).await;
    eventually("the cloud committed the push", || async {
        fake.with(|c| c.lose_answers == 0 && c.pushes > pushes)
    })
    .await;
    // The appliance "crashes" before hearing back, and starts again.
    app.state.sync.stop();
    dysa_appliance::sync::resume(&app.state.sync_context())
        .await
        .unwrap();
    settled(&app, &admin).await;

    assert!(
        fake.with(|c| c.replays) >= 3,
        "header, line and transition replayed"
    );
    assert!(fake.with(|c| c.merges.values().all(|n| *n == 1)));
    assert_eq!(fake.count(Entity::Order), 1);
    assert_eq!(fake.count(Entity::OrderLine), 1);
    assert_eq!(fake.count(Entity::OrderTransition), 1);
    let orders = app.get("/api/v1/orders", &admin).await;
    assert_eq!(
        orders.body["total"], 1,
        "no duplicate on the appliance either"
    );
    assert_eq!(orders.body["items"][0]["id"], taken["id"]);
}

#[tokio::test]
async fn a_price_changed_in_the_cloud_reaches_the_menu_and_the_next_order() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 2_990).await;
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    settled(&app, &admin).await;
    let mut events = app.state.events.subscribe();

    fake.owner_edit(Entity::Item, &item, json!({ "price": 3_490 }), 0);
    eventually("the new price is on the menu", || async {
        let menu = app.get("/api/v1/menu", &admin).await;
        menu.body["categories"][0]["items"][0]["price"] == 3_490
    })
    .await;
    let taken = order(&app, &admin, &item).await;
    assert_eq!(taken["total"], 3_490, "priced with the cloud's price");
    heard(&mut events, "open panels were told", |event| {
        event.kind == dysa_appliance::events::EventKind::MenuUpdated
    })
    .await;
    // The pulled row wrote no outbox row: only the order waits (or already went).
    let echoed: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE entity = 'item'")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(
        echoed, 1,
        "only the item's creation, never the applied price"
    );
}

#[tokio::test]
async fn a_change_the_cloud_refuses_is_listed_for_staff() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 2_990).await;
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    let taken = order(&app, &admin, &item).await;
    let id = taken["id"].as_str().unwrap().to_owned();
    settled(&app, &admin).await;

    // While the counter is cut off, the owner cancels the order from the dashboard and
    // the counter, not knowing, confirms it.
    fake.set_down(true);
    fake.owner_edit(
        Entity::Order,
        &id,
        json!({ "status": "cancelled", "cancel_reason": "El cliente llamó para anular" }),
        0,
    );
    let confirmed = app
        .post(
            &format!("/api/v1/orders/{id}/status"),
            json!({ "status": "confirmed" }),
            &admin,
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
    eventually("offline", || async {
        sync_status(&app, &admin).await["link"] == "offline"
    })
    .await;
    fake.set_down(false);
    settled(&app, &admin).await;

    let status = sync_status(&app, &admin).await;
    assert_eq!(status["rejected"], 1, "{status}");
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let rejected = app.get("/api/v1/sync/rejected", &waiter).await;
    assert_eq!(rejected.status, StatusCode::OK);
    let list = rejected.body.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["entity"], "order");
    assert_eq!(list[0]["entity_id"], id.as_str());
    assert_eq!(list[0]["reason"], "illegal_transition");
    assert!(
        list[0]["detail"]
            .as_str()
            .unwrap()
            .contains("cambio de estado")
    );
    // The appliance converged on the cloud's row.
    let now = app.get(&format!("/api/v1/orders/{id}"), &admin).await;
    assert_eq!(now.body["status"], "cancelled");
    assert_eq!(now.body["cancel_reason"], "El cliente llamó para anular");
}

#[tokio::test]
async fn a_pending_local_edit_is_not_overwritten_by_an_older_cloud_row() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 2_990).await;
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    settled(&app, &admin).await;

    fake.set_down(true);
    let edited = app
        .call(
            Method::PATCH,
            &format!("/api/v1/menu/items/{item}"),
            json!({ "name": "Completo XL" }),
            Auth::Bearer(&admin),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    // An owner renamed it a minute earlier on the dashboard.
    fake.owner_edit(
        Entity::Item,
        &item,
        json!({ "name": "Completo del dueño" }),
        60_000,
    );
    let stale = fake.row(Entity::Item, &item).unwrap();
    // The cloud's row arriving now (as a pull would bring it) leaves the local edit.
    let applied = app
        .state
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let mut applied = dysa_appliance::sync::apply::Applied::default();
                dysa_appliance::sync::apply::apply_page(conn, &[stale], &mut applied).await?;
                Ok::<_, dysa_appliance::store::StoreError>(applied)
            })
        })
        .await
        .unwrap();
    assert_eq!(applied.rows, 0);
    let local = app.get(&format!("/api/v1/menu/items/{item}"), &admin).await;
    assert_eq!(local.body["name"], "Completo XL");

    fake.set_down(false);
    settled(&app, &admin).await;
    let local = app.get(&format!("/api/v1/menu/items/{item}"), &admin).await;
    assert_eq!(
        local.body["name"], "Completo XL",
        "the newer local edit won"
    );
    assert_eq!(
        fake.row(Entity::Item, &item).unwrap().row["name"],
        "Completo XL"
    );
}

#[tokio::test]
async fn a_revoked_device_stops_syncing_and_says_why() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    settled(&app, &admin).await;

    fake.with(|c| c.tokens.values_mut().for_each(|revoked| *revoked = true));
    let table = app
        .post(
            "/api/v1/tables",
            json!({ "name": "Mesa 1", "seats": 4 }),
            &admin,
        )
        .await;
    assert_eq!(table.status, StatusCode::CREATED, "{:?}", table.body);
    eventually("revoked", || async {
        sync_status(&app, &admin).await["link"] == "revoked"
    })
    .await;
    let status = sync_status(&app, &admin).await;
    assert_eq!(status["revoked_reason"], REVOKED_MESSAGE);
    assert_eq!(status["pending"], 1, "the table waits for a new connection");
    eventually("the loop ended", || async { !app.state.sync.is_running() }).await;
    let pushes = fake.with(|c| c.pushes);
    app.post(
        "/api/v1/tables",
        json!({ "name": "Mesa 2", "seats": 2 }),
        &admin,
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(fake.with(|c| c.pushes), pushes, "nothing is sent any more");
    let health = app
        .call(Method::GET, "/health", Value::Null, Auth::None)
        .await;
    assert_eq!(health.body["checks"]["cloud"]["link"], "revoked");
    assert_eq!(health.body["checks"]["cloud"]["status"], "down");
    // Staff reconnect with a new code; the waiting changes go up.
    connect(&app, &admin, &fake).await;
    settled(&app, &admin).await;
    assert_eq!(fake.count(Entity::Table), 2);
}

#[tokio::test]
async fn disconnecting_forgets_the_token_and_the_link() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    let file = app.state.settings.data_dir.join("cloud-token");
    assert!(file.exists());
    let reply = app
        .call(
            Method::DELETE,
            "/api/v1/cloud/connect",
            Value::Null,
            Auth::Bearer(&admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.body);
    assert!(!file.exists(), "the token file is gone");
    assert!(!app.state.sync.is_running());
    let status = sync_status(&app, &admin).await;
    assert_eq!(status["link"], "not_configured");
    assert_eq!(status["cloud_url"], Value::Null);
    let links: i64 = sqlx::query_scalar("SELECT count(*) FROM cloud_link")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(links, 0);
    let health = app
        .call(Method::GET, "/health", Value::Null, Auth::None)
        .await;
    assert_eq!(health.body["checks"]["cloud"]["status"], "not_configured");
    // Disconnecting twice is fine.
    let again = app
        .call(
            Method::DELETE,
            "/api/v1/cloud/connect",
            Value::Null,
            Auth::Bearer(&admin),
        )
        .await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn bad_connect_input_gets_json_errors() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let fake = Fake::start().await;
    let post = |body: Value| app.post("/api/v1/cloud/connect", body, &admin);

    let missing = post(json!({})).await;
    assert_eq!(
        missing.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        missing.body
    );
    assert!(missing.body["error"]["code"].is_string());

    let bad = post(json!({ "cloud_url": "no es una url", "enrollment_code": " " })).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.code(), "validation_failed");
    assert!(bad.body["error"]["fields"]["cloud_url"].is_string());
    assert!(bad.body["error"]["fields"]["enrollment_code"].is_string());

    let clear =
        post(json!({ "cloud_url": "http://nube.ejemplo.cl", "enrollment_code": "X" })).await;
    assert_eq!(clear.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        clear.body["error"]["fields"]["cloud_url"]
            .as_str()
            .unwrap()
            .contains("https")
    );

    let unreachable =
        post(json!({ "cloud_url": "http://127.0.0.1:9", "enrollment_code": "ABCD" })).await;
    assert_eq!(
        unreachable.status,
        StatusCode::BAD_GATEWAY,
        "{:?}",
        unreachable.body
    );
    assert_eq!(unreachable.code(), "cloud_unreachable");
    assert!(
        unreachable.body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("No se pudo contactar la nube")
    );

    let wrong = post(json!({ "cloud_url": fake.url, "enrollment_code": "ZZZZ-ZZZZ" })).await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        wrong.body
    );
    assert_eq!(
        wrong.body["error"]["fields"]["enrollment_code"],
        "no existe, ya se usó o expiró"
    );
    assert_eq!(sync_status(&app, &admin).await["link"], "not_configured");

    connect(&app, &admin, &fake).await;
    let twice = post(json!({ "cloud_url": fake.url, "enrollment_code": fake.code() })).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.code(), "cloud_already_connected");
}

#[tokio::test]
async fn a_widget_order_from_the_cloud_shows_on_the_board() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 2_990).await;
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    settled(&app, &admin).await;
    let mut events = app.state.events.subscribe();

    // A diner orders on the widget: the cloud makes the order, with no daily number.
    let id = uuid::Uuid::now_v7().to_string();
    let line = uuid::Uuid::now_v7().to_string();
    let now = dysa_appliance::store::now_text();
    fake.owner_edit(
        Entity::Order,
        &id,
        json!({
            "id": id, "channel": "widget", "status": "pending", "created_at": now,
            "created_by": null, "customer_id": null, "table_id": null, "note": "Sin mayo",
            "subtotal": 5_980, "discount": 0, "total": 5_980, "net": 5_025, "tax": 955,
            "tax_rate_bp": 1900, "tip": 0, "amount_due": 5_980, "cancel_reason": null,
        }),
        0,
    );
    fake.owner_edit(
        Entity::OrderLine,
        &line,
        json!({
            "line": {
                "id": line, "item_id": item, "name": "Completo italiano", "quantity": 2,
                "unit_price": 2_990, "line_total": 5_980, "modifiers": [], "note": null,
                "station": "kitchen", "voided": false, "void_reason": null,
            },
            "order_id": id, "position": 0, "created_by": null, "voided_at": null,
            "voided_by": null, "created_at": now,
        }),
        0,
    );
    eventually("the order is on the board", || async {
        let board = app.get("/api/v1/orders?status=pending", &admin).await;
        board.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == id.as_str() && o["lines"].as_array().unwrap().len() == 1)
    })
    .await;
    let shown = app.get(&format!("/api/v1/orders/{id}"), &admin).await;
    assert_eq!(shown.body["channel"], "widget");
    assert_eq!(shown.body["number"], 1, "it took the day's next number");
    // Announced after the pull commits: the board can show it a moment before.
    heard(&mut events, "the board heard order.created", |event| {
        event.kind == dysa_appliance::events::EventKind::OrderCreated && event.id == id
    })
    .await;
    // The counter's next order numbers after it.
    let next = order(&app, &admin, &item).await;
    assert_eq!(next["number"], 2);
}

async fn insert_table(app: &TestApp, name: &str, seats: i64) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO dining_tables (id, name, seats, position, created_at, updated_at)
         VALUES (?, ?, ?, 0, '2026-01-01T00:00:00Z', ?)",
    )
    .bind(&id)
    .bind(name)
    .bind(seats)
    .bind(app.state.db.tick().to_string())
    .execute(&app.state.db.write)
    .await
    .unwrap();
    id
}

/// A week from now at `hour`:00 in Santiago, as an instant (inside the default hours).
fn next_week_at(hour: i8) -> jiff::Timestamp {
    let tz = jiff::tz::TimeZone::get("America/Santiago").unwrap();
    let day = jiff::Timestamp::now()
        .to_zoned(tz.clone())
        .date()
        .checked_add(jiff::Span::new().days(7))
        .unwrap();
    day.at(hour, 0, 0, 0).to_zoned(tz).unwrap().timestamp()
}

/// A booking a diner made on the widget while the restaurant was online: no table yet.
fn online_booking(id: &str, starts_at: jiff::Timestamp, party: u32) -> Value {
    let ends_at = starts_at + jiff::SignedDuration::from_mins(90);
    json!({
        "id": id, "customer_id": null, "name": "Rosa", "phone": "+56987654321",
        "party_size": party, "starts_at": starts_at.to_string(), "ends_at": ends_at.to_string(),
        "duration_minutes": 90, "table_id": null, "status": "booked", "channel": "online",
        "notes": null, "cancel_reason": null, "created_by": null,
        "created_at": dysa_appliance::store::now_text(),
    })
}

#[tokio::test]
async fn an_owners_cancel_request_is_shown_and_answered_at_the_counter() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 2_990).await;
    let taken = order(&app, &admin, &item).await;
    let id = taken["id"].as_str().unwrap().to_owned();
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    settled(&app, &admin).await;

    let asked = |request: &str, reason: &str| {
        json!({ "cancel_request": {
            "id": request, "reason": reason, "requested_by": "Dueña",
            "requested_at": "2026-11-27T20:00:00Z", "outcome": null,
            "resolved_by": null, "resolved_at": null, "note": null,
        } })
    };
    fake.owner_edit(Entity::Order, &id, asked("r1", "El cliente llamó"), 0);
    eventually("the request is on the order", || async {
        let shown = app.get(&format!("/api/v1/orders/{id}"), &admin).await;
        shown.body["cancel_request"]["id"] == "r1"
    })
    .await;
    let shown = app.get(&format!("/api/v1/orders/{id}"), &admin).await;
    assert_eq!(shown.body["status"], "pending", "a request moves nothing");
    assert!(shown.body["cancel_request"]["outcome"].is_null());

    // Refused at the counter: the owner sees it, with who refused.
    let refused = app
        .post(
            &format!("/api/v1/orders/{id}/cancel-request/refuse"),
            Value::Null,
            &admin,
        )
        .await;
    assert_eq!(refused.status, StatusCode::OK, "{:?}", refused.body);
    assert_eq!(refused.body["status"], "pending");
    assert_eq!(refused.body["cancel_request"]["outcome"], "refused");
    assert!(refused.body["cancel_request"]["resolved_by"].is_string());
    settled(&app, &admin).await;
    let row = fake.row(Entity::Order, &id).unwrap();
    assert_eq!(row.row["cancel_request"]["outcome"], "refused");
    assert_eq!(row.row["status"], "pending");
    let again = app
        .post(
            &format!("/api/v1/orders/{id}/cancel-request/refuse"),
            Value::Null,
            &admin,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "no_cancel_request");

    // Asked again and accepted: the normal cancel, with the owner's reason.
    fake.owner_edit(Entity::Order, &id, asked("r2", "Pedido duplicado"), 0);
    eventually("the second request is on the order", || async {
        let shown = app.get(&format!("/api/v1/orders/{id}"), &admin).await;
        shown.body["cancel_request"]["id"] == "r2"
    })
    .await;
    let accepted = app
        .post(
            &format!("/api/v1/orders/{id}/status"),
            json!({ "status": "cancelled", "reason": "Pedido duplicado" }),
            &admin,
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
    assert_eq!(accepted.body["cancel_request"]["outcome"], "accepted");
    settled(&app, &admin).await;
    let row = fake.row(Entity::Order, &id).unwrap();
    assert_eq!(row.row["status"], "cancelled");
    assert_eq!(row.row["cancel_reason"], "Pedido duplicado");
    assert_eq!(row.row["cancel_request"]["outcome"], "accepted");
}

#[tokio::test]
async fn a_booking_made_online_is_seated_or_declined_by_the_counter() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let table = insert_table(&app, "Mesa 1", 4).await;
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    settled(&app, &admin).await;

    let starts_at = next_week_at(20);
    let first = uuid::Uuid::now_v7().to_string();
    fake.owner_edit(
        Entity::Reservation,
        &first,
        online_booking(&first, starts_at, 2),
        0,
    );
    eventually("the counter seated it and told the cloud", || async {
        fake.row(Entity::Reservation, &first)
            .is_some_and(|r| r.row["status"] == "confirmed")
    })
    .await;
    let row = fake.row(Entity::Reservation, &first).unwrap();
    assert_eq!(row.row["table_id"], table.as_str());
    let shown = app
        .get(&format!("/api/v1/reservations/{first}"), &admin)
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{:?}", shown.body);
    assert_eq!(shown.body["status"], "confirmed");

    // The only table is taken then: the next one is declined, with a reason.
    let second = uuid::Uuid::now_v7().to_string();
    fake.owner_edit(
        Entity::Reservation,
        &second,
        online_booking(&second, starts_at, 2),
        0,
    );
    eventually("the counter declined it", || async {
        fake.row(Entity::Reservation, &second)
            .is_some_and(|r| r.row["status"] == "cancelled")
    })
    .await;
    let row = fake.row(Entity::Reservation, &second).unwrap();
    assert_eq!(row.row["cancel_reason"], "Sin mesa disponible a esa hora");
    assert!(row.row["table_id"].is_null());
    settled(&app, &admin).await;
    let parked = sync_status(&app, &admin).await["parked"].clone();
    assert_eq!(parked, 0, "nothing left waiting");
}

#[tokio::test]
async fn while_cut_off_the_counter_keeps_the_online_quota_free() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    for n in 1..=3 {
        insert_table(&app, &format!("Mesa {n}"), 4).await;
    }
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ('bookings.online_quota_per_slot', '2', ?)",
    )
    .bind(app.state.db.tick().to_string())
    .execute(&app.state.db.write)
    .await
    .unwrap();
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    settled(&app, &admin).await;
    let book = |hour: i8| {
        json!({ "name": "Pedro", "phone": "9 1234 5678", "party_size": 2,
                "starts_at": next_week_at(hour).to_string() })
    };

    fake.set_down(true);
    // A local write wakes the loop, whose push then fails.
    let first = app.post("/api/v1/reservations", book(20), &admin).await;
    eventually("the link is down", || async {
        sync_status(&app, &admin).await["link"] == "offline"
    })
    .await;
    // Three tables, two held for the cloud's quota: with the one booked above (made
    // while the link may still have looked up), nothing is left at 20:00.
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    let refused = app.post("/api/v1/reservations", book(20), &admin).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    // Back online, the quota is the restaurant's again.
    fake.set_down(false);
    settled(&app, &admin).await;
    let taken = app.post("/api/v1/reservations", book(20), &admin).await;
    assert_eq!(taken.status, StatusCode::CREATED, "{:?}", taken.body);
}

#[tokio::test]
async fn a_restored_appliance_resyncs_without_doubling_anything() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_path_buf();
    let app = TestApp::with_settings({
        let d = data_dir.clone();
        move |s| s.data_dir = d
    })
    .await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 2_990).await;
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    let first = order(&app, &admin, &item).await;
    settled(&app, &admin).await;

    // The backup is taken while an order waits in the outbox (the cloud is down) …
    fake.set_down(true);
    let waiting = order(&app, &admin, &item).await;
    let backup = app.state.backups.run_now(&app.state.events).await;
    assert_eq!(backup.error, None);
    // … which is pushed afterwards, followed by one more order the backup never saw.
    fake.set_down(false);
    settled(&app, &admin).await;
    let after = order(&app, &admin, &item).await;
    settled(&app, &admin).await;
    assert_eq!(fake.count(Entity::Order), 3);
    dysa_appliance::close(&app.state).await;
    drop(app);

    let file = data_dir.join("backups").join(&backup.file);
    dysa_appliance::backup::restore(&data_dir, &file)
        .await
        .unwrap();
    let app = TestApp::with_settings({
        let d = data_dir.clone();
        move |s| s.data_dir = d
    })
    .await;
    let admin = app
        .login(common::ADMIN_EMAIL, common::ADMIN_PASSWORD)
        .await
        .body["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // The restored outbox re-sends the waiting order's mutations: answered as replays.
    settled(&app, &admin).await;
    assert!(
        fake.with(|c| c.replays) >= 3,
        "the waiting order was replayed"
    );
    assert!(
        fake.with(|c| c.merges.values().all(|n| *n == 1)),
        "no mutation merged twice"
    );
    assert_eq!(fake.count(Entity::Order), 3, "nothing doubled in the cloud");
    let orders = app.get("/api/v1/orders", &admin).await;
    let ids: Vec<&str> = orders.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no order twice on the appliance");
    for taken in [&first, &waiting] {
        assert!(ids.contains(&taken["id"].as_str().unwrap()));
    }
    // The order taken after the backup, lost with the local copy, comes back from the
    // cloud with the full pull from the backup's cursor.
    let after_id = after["id"].as_str().unwrap().to_owned();
    eventually(
        "the order taken after the backup is pulled back",
        || async {
            app.get(&format!("/api/v1/orders/{after_id}"), &admin)
                .await
                .status
                == StatusCode::OK
        },
    )
    .await;
    let total = app.get("/api/v1/orders", &admin).await.body["total"].clone();
    assert_eq!(total, 3, "three orders, none twice");
    dysa_appliance::close(&app.state).await;
}

#[tokio::test]
async fn a_counter_offline_longer_than_deletes_are_kept_reloads_and_loses_nothing() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let kept = app.menu_item(&admin, 2_990).await;
    let menu = app.get("/api/v1/menu", &admin).await;
    let category = menu.body["categories"][0]["id"].clone();
    let add_item = |name: &'static str, price: i64| {
        let app = &app;
        let admin = &admin;
        let category = category.clone();
        async move {
            let reply = app
                .post(
                    "/api/v1/menu/items",
                    json!({ "category_id": category, "name": name, "price": price }),
                    admin,
                )
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
            reply.body["id"].as_str().unwrap().to_owned()
        }
    };
    let dropped = add_item("Churrasco", 5_990).await;
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    settled(&app, &admin).await;
    assert!(fake.row(Entity::Item, &dropped).is_some());

    // The counter is cut off for longer than the cloud keeps deletes: meanwhile the owner
    // deletes a dish and reprices another, the counter adds one, and the sweep forgets the
    // delete.
    fake.set_down(true);
    let added = add_item("Barros luco", 6_490).await;
    eventually("offline with the new dish waiting", || async {
        let status = sync_status(&app, &admin).await;
        status["link"] == "offline" && status["pending"].as_i64().unwrap() >= 1
    })
    .await;
    fake.owner_delete(Entity::Item, &dropped);
    fake.owner_edit(Entity::Item, &kept, json!({ "price": 3_190 }), 0);
    fake.purge_tombstones();
    assert!(
        fake.row(Entity::Item, &dropped).is_none(),
        "the tombstone is gone"
    );
    let horizon = fake.with(|c| c.purged_through);
    assert!(horizon > 0);

    fake.set_down(false);
    let items = |menu: &Value| -> HashMap<String, i64> {
        menu["categories"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["items"].as_array().unwrap().iter())
            .map(|i| {
                (
                    i["id"].as_str().unwrap().to_owned(),
                    i["price"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    eventually("the counter reloaded and the delete reached it", || async {
        let menu = app.get("/api/v1/menu", &admin).await;
        !items(&menu.body).contains_key(&dropped)
    })
    .await;
    settled(&app, &admin).await;
    let menu = items(&app.get("/api/v1/menu", &admin).await.body);
    assert_eq!(
        menu.get(&kept),
        Some(&3_190),
        "the owner's new price arrived"
    );
    assert_eq!(
        menu.get(&added),
        Some(&6_490),
        "the dish added offline is kept"
    );
    assert_eq!(menu.len(), 2, "{menu:?}");
    assert!(
        fake.row(Entity::Item, &added).is_some(),
        "the dish added offline reached the cloud"
    );
    let (gone, snapshots) = fake.with(|c| (c.gone, c.snapshots));
    assert!(
        gone >= 1 && snapshots >= 1,
        "gone {gone}, snapshots {snapshots}"
    );
    let cursor = dysa_appliance::store::sync::state(&app.state.db.read)
        .await
        .unwrap()
        .cursor;
    assert!(
        cursor >= horizon,
        "the cursor {cursor} moved past the horizon {horizon}"
    );
    assert!(
        fake.with(|c| c.merges.values().all(|n| *n == 1)),
        "nothing was pushed twice"
    );
}

/// A dining table made through the API (so it syncs).
async fn dining_table(app: &TestApp, token: &str, name: &str) -> String {
    let reply = app
        .post("/api/v1/tables", json!({ "name": name, "seats": 4 }), token)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

/// Opens a table for two and takes a round: seat 1, seat 2 (two of them), and one shared.
async fn tab_with_a_round(app: &TestApp, token: &str, table: &str, item: &str) -> String {
    let opened = app
        .post(
            &format!("/api/v1/tables/{table}/open"),
            json!({ "covers": 2 }),
            token,
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
    let tab = opened.body["id"].as_str().unwrap().to_owned();
    let round = app
        .post(
            &format!("/api/v1/orders/{tab}/lines"),
            json!({ "lines": [
                { "item_id": item, "quantity": 1, "seat": 1 },
                { "item_id": item, "quantity": 2, "seat": 2 },
                { "item_id": item, "quantity": 1 },
            ] }),
            token,
        )
        .await;
    assert_eq!(round.status, StatusCode::OK, "{:?}", round.body);
    tab
}

/// The file of a test appliance's database.
async fn database_file(app: &TestApp) -> String {
    let (path,): (String,) =
        sqlx::query_as("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    path
}

/// Copies the staff accounts of `from` that `into` lacks.
async fn copy_staff(from: &TestApp, into: &TestApp) {
    let path = database_file(from).await;
    let mut conn = into.state.db.write.acquire().await.unwrap();
    sqlx::query("ATTACH DATABASE ? AS other")
        .bind(&path)
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO users SELECT * FROM other.users WHERE id NOT IN (SELECT id FROM main.users)",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query("DETACH DATABASE other")
        .execute(&mut *conn)
        .await
        .unwrap();
}

/// A second counter of the location, each counter holding the other's staff accounts (a
/// counter that joined has them from the location's sealed staff sync, which this fake
/// does not model), so the lines either took are not parked for a missing author.
async fn second_counter(first: &TestApp, fake: &Fake) -> (TestApp, String) {
    let second = TestApp::new().await;
    let admin = second.setup().await;
    sqlx::query("UPDATE users SET email = 'segunda.' || email")
        .execute(&second.state.db.write)
        .await
        .unwrap();
    copy_staff(first, &second).await;
    copy_staff(&second, first).await;
    connect(&second, &admin, fake).await;
    settled(&second, &admin).await;
    (second, admin)
}

#[tokio::test]
async fn a_split_tab_shows_the_same_bills_on_the_second_counter_and_back() {
    let a = TestApp::new().await;
    let admin_a = a.setup().await;
    let item = a.menu_item(&admin_a, 5_000).await;
    let table = dining_table(&a, &admin_a, "4").await;
    let fake = Fake::start().await;
    connect(&a, &admin_a, &fake).await;
    let tab = tab_with_a_round(&a, &admin_a, &table, &item).await;
    let split = a
        .post(
            &format!("/api/v1/orders/{tab}/split"),
            json!({ "by_seat": true }),
            &admin_a,
        )
        .await;
    assert_eq!(split.status, StatusCode::OK, "{:?}", split.body);
    settled(&a, &admin_a).await;

    // The plan is on the lines the cloud holds: seat 1 on bill 2, seat 2 on bill 3, the
    // shared line on bill 1 (no `bill`).
    let bills_of = |body: &Value| -> Vec<(i64, Vec<String>)> {
        body["bills"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                let mut lines: Vec<String> = b["lines"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| {
                        l.as_str()
                            .map_or_else(|| l["id"].to_string(), str::to_owned)
                    })
                    .collect();
                lines.sort();
                (b["number"].as_i64().unwrap(), lines)
            })
            .collect()
    };
    let plan = bills_of(&split.body);
    assert_eq!(plan.len(), 3, "{:?}", split.body);
    for (number, lines) in &plan {
        for line in lines {
            let line = line.trim_matches('"');
            let row = fake
                .row(Entity::OrderLine, line)
                .expect("the line is in the cloud");
            let expected = if *number == 1 {
                Value::Null
            } else {
                json!(number)
            };
            assert_eq!(
                row.row["line"].get("bill").cloned().unwrap_or(Value::Null),
                expected,
                "line {line}"
            );
        }
    }

    // The second counter pulls the tab and shows the same bills, money included.
    let (b, admin_b) = second_counter(&a, &fake).await;
    let on_a = a
        .get(&format!("/api/v1/orders/{tab}/bills"), &admin_a)
        .await;
    eventually("the second counter shows the same bills", || async {
        let on_b = b
            .get(&format!("/api/v1/orders/{tab}/bills"), &admin_b)
            .await;
        on_b.status == StatusCode::OK && on_b.body == on_a.body
    })
    .await;

    // A change of plan there comes back: the shared line joins seat 1's bill on B.
    let shared = plan
        .iter()
        .find(|(n, _)| *n == 1)
        .map(|(_, lines)| lines[0].trim_matches('"').to_owned())
        .unwrap();
    let seat_one = plan.iter().find(|(n, _)| *n == 2).unwrap().1.clone();
    let mut regroup: Vec<String> = seat_one
        .iter()
        .map(|l| l.trim_matches('"').to_owned())
        .collect();
    regroup.push(shared);
    let resplit = b
        .post(
            &format!("/api/v1/orders/{tab}/split"),
            json!({ "bills": [regroup] }),
            &admin_b,
        )
        .await;
    assert_eq!(resplit.status, StatusCode::OK, "{:?}", resplit.body);
    settled(&b, &admin_b).await;
    eventually("the first counter shows the second one's plan", || async {
        let on_a = a
            .get(&format!("/api/v1/orders/{tab}/bills"), &admin_a)
            .await;
        on_a.status == StatusCode::OK && bills_of(&on_a.body) == bills_of(&resplit.body)
    })
    .await;
}

#[tokio::test]
async fn two_counters_merging_one_tab_apart_charge_its_lines_once() {
    let a = TestApp::new().await;
    let admin_a = a.setup().await;
    let item = a.menu_item(&admin_a, 5_000).await;
    let four = dining_table(&a, &admin_a, "4").await;
    let five = dining_table(&a, &admin_a, "5").await;
    let six = dining_table(&a, &admin_a, "6").await;
    let fake = Fake::start().await;
    connect(&a, &admin_a, &fake).await;
    let merged = tab_with_a_round(&a, &admin_a, &four, &item).await;
    let on_five = tab_with_a_round(&a, &admin_a, &five, &item).await;
    let on_six = tab_with_a_round(&a, &admin_a, &six, &item).await;
    settled(&a, &admin_a).await;
    let (b, admin_b) = second_counter(&a, &fake).await;
    eventually("the second counter holds the three tabs", || async {
        let tab = b.get(&format!("/api/v1/orders/{on_six}"), &admin_b).await;
        tab.status == StatusCode::OK && tab.body["lines"].as_array().unwrap().len() == 3
    })
    .await;

    // Apart, each counter merges table 4 into another table.
    fake.set_down(true);
    let into_five = a
        .post(
            &format!("/api/v1/orders/{merged}/move"),
            json!({ "table_id": five, "merge": true }),
            &admin_a,
        )
        .await;
    assert_eq!(into_five.status, StatusCode::OK, "{:?}", into_five.body);
    let into_six = b
        .post(
            &format!("/api/v1/orders/{merged}/move"),
            json!({ "table_id": six, "merge": true }),
            &admin_b,
        )
        .await;
    assert_eq!(into_six.status, StatusCode::OK, "{:?}", into_six.body);
    fake.set_down(false);

    // Together again: table 5 got table 4's lines first (counter A merged first), so they
    // stand there and their copies on table 6 are voided, on both counters.
    let one_tab = 3 * 5_000 + 5_000;
    let voided_copies = |body: &Value| -> usize {
        body["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| {
                l["voided"] == json!(true) && l["void_reason"] == json!("ya trasladada a otra mesa")
            })
            .count()
    };
    for (counter, token) in [(&a, &admin_a), (&b, &admin_b)] {
        eventually("both counters charge the merged lines once", || async {
            let five = counter
                .get(&format!("/api/v1/orders/{on_five}"), token)
                .await;
            let six = counter
                .get(&format!("/api/v1/orders/{on_six}"), token)
                .await;
            let six_lines = six.body["lines"].as_array().map_or(0, Vec::len);
            five.body["total"] == json!(2 * one_tab)
                && voided_copies(&five.body) == 0
                && six_lines == 6
                && voided_copies(&six.body) == 3
                && six.body["total"] == json!(one_tab)
        })
        .await;
    }
    // Each copy names the line it copies, and the cloud comes to hold the same outcome (the
    // voids of the copies are pushed by the next sync round, not with the pull that made them).
    let six = a.get(&format!("/api/v1/orders/{on_six}"), &admin_a).await;
    let copies: Vec<String> = six.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|line| line["voided"] == json!(true))
        .map(|line| {
            assert!(line["moved_from"].is_string(), "{line}");
            line["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(copies.len(), 3);
    eventually("the cloud holds the copies voided", || async {
        copies.iter().all(|id| {
            fake.row(Entity::OrderLine, id)
                .is_some_and(|row| row.row["voided_at"].is_string())
        })
    })
    .await;
}

/// The owner closes the counter's location in the cloud dashboard: the counter learns it
/// by sync (the `location.closed` setting), its sync status says so for the panel's
/// banner, and selling goes on; reopening clears it.
#[tokio::test]
async fn a_location_closed_in_the_cloud_shows_on_the_counter_which_keeps_selling() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 2_990).await;
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    settled(&app, &admin).await;
    assert_eq!(sync_status(&app, &admin).await["location_closed"], false);

    fake.owner_edit(
        Entity::Setting,
        "location.closed",
        json!({ "key": "location.closed", "value": true }),
        0,
    );
    eventually("the counter knows its location is closed", || async {
        sync_status(&app, &admin).await["location_closed"] == true
    })
    .await;
    // The counter keeps selling.
    order(&app, &admin, &item).await;

    fake.owner_edit(
        Entity::Setting,
        "location.closed",
        json!({ "key": "location.closed", "value": false }),
        0,
    );
    eventually("the counter knows it reopened", || async {
        sync_status(&app, &admin).await["location_closed"] == false
    })
    .await;
}

/// The counter tells the cloud how its own queues stand with every pull (docs/SYNC.md,
/// "The counter's queues"): how many print jobs and fiscal documents wait and since when
/// the oldest does, so the cloud can alert the owner when one is stuck.
#[tokio::test]
async fn every_pull_reports_the_counters_print_and_fiscal_queues() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let fake = Fake::start().await;
    connect(&app, &admin, &fake).await;
    settled(&app, &admin).await;
    let last_pull = || fake.with(|c| c.pull_queries.last().cloned().unwrap());
    let empty = last_pull();
    assert_eq!(empty.get("fiscal_pending").map(String::as_str), Some("0"));
    assert_eq!(empty.get("print_pending").map(String::as_str), Some("0"));
    assert!(!empty.contains_key("fiscal_oldest_at") && !empty.contains_key("print_oldest_at"));

    // A ticket waits for a printer that does not answer (a closed port on this machine),
    // another for a printer since deleted (it never prints: not counted).
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap().to_string();
    drop(closed);
    let queued_at = "2026-12-07T15:00:00.000Z";
    let mut tx = app.state.db.begin().await.unwrap();
    for (id, deleted) in [("printer-caja", None), ("printer-vieja", Some(queued_at))] {
        sqlx::query(
            "INSERT INTO printers (id, name, station, connection, address, paper_mm, code_page,
                                   created_at, deleted_at)
             VALUES (?, ?, 'kitchen', 'tcp', ?, 80, 'pc858', ?, ?)",
        )
        .bind(id)
        .bind(id)
        .bind(&address)
        .bind(queued_at)
        .bind(deleted)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO print_jobs (id, printer_id, kind, reference, title, body, status,
                                     next_attempt_at, created_at)
             VALUES (?, ?, 'kitchen', 'order-1', 'Mesa 4', x'1b40', 'queued',
                     '2099-01-01T00:00:00.000Z', ?)",
        )
        .bind(format!("job-{id}"))
        .bind(id)
        .bind(queued_at)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();

    // The next round (a menu change wakes it) tells the cloud.
    let pulls = fake.with(|c| c.pull_queries.len());
    app.menu_item(&admin, 1_990).await;
    settled(&app, &admin).await;
    eventually("a pull after the jobs were queued", || async {
        fake.with(|c| c.pull_queries.len()) > pulls
    })
    .await;
    let report = last_pull();
    assert_eq!(report.get("print_pending").map(String::as_str), Some("1"));
    assert_eq!(
        report.get("print_oldest_at").map(String::as_str),
        Some("2026-12-07T15:00:00Z")
    );
    assert_eq!(report.get("fiscal_pending").map(String::as_str), Some("0"));
}
