//! Sync benchmark against the real Postgres on loopback: one device pushes 100,000
//! mutations in batches of 500 through the full router (auth, RLS transaction, merge,
//! projections, answers), beside a baseline of raw multi-row INSERTs of the same rows into
//! `sync_rows` in the same run; then a fresh device pulls all 100,000 changes.
//! Makes its own database (`dysa_bench_<uuid>`) on `DATABASE_URL`'s server and drops it.
//!
//! `cargo bench -p dysa-cloud --bench sync` (`SYNC_BENCH_MUTATIONS` changes the count;
//! `SYNC_BENCH_KEEP_DB=1` keeps the database for a look at the plans)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dysa_cloud::settings::Settings;
use dysa_domain::sync::{PullResponse, PushResponse};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor};
use std::str::FromStr;
use std::time::{Duration, Instant};
use tower::ServiceExt;
use uuid::Uuid;

const BATCH: usize = 500;
const PAGE: usize = 1000;
const PASSWORD: &str = "pastel de choclo 2026";

async fn call(router: &axum::Router, request: Request<Body>) -> (StatusCode, bytes::Bytes) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, bytes)
}

fn post(path: &str, body: &Value, token: Option<&str>) -> Request<Body> {
    let mut builder = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    builder.body(Body::from(body.to_string())).unwrap()
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or(Value::Null)
}

fn hlc(wall_ms: u64, counter: u32) -> String {
    format!("{wall_ms:015}-{counter:06}-{:016x}", 0x5eed_u64)
}

/// The mutations of one order as the appliance's outbox holds them: header, two lines,
/// the first transition and a payment (field names of the appliance's records).
fn order_mutations(n: usize, stamp: &str) -> [Value; 5] {
    let order = Uuid::now_v7().to_string();
    let at = "2026-11-27T16:00:00.000Z";
    let line = |position: i64| {
        let id = Uuid::now_v7().to_string();
        json!({
            "mutation_id": Uuid::now_v7(), "entity": "order_line", "entity_id": id,
            "op": "upsert", "hlc": stamp,
            "payload": {
                "line": {"id": id, "item_id": Uuid::now_v7(), "name": "Cazuela de vacuno",
                         "quantity": 1, "unit_price": 8990, "line_total": 8990,
                         "modifiers": [], "note": null, "station": "kitchen",
                         "voided": false, "void_reason": null},
                "order_id": order, "position": position, "created_by": null,
                "voided_at": null, "voided_by": null, "created_at": at, "updated_at": stamp,
            },
        })
    };
    let transition = Uuid::now_v7().to_string();
    let payment = Uuid::now_v7().to_string();
    [
        json!({
            "mutation_id": Uuid::now_v7(), "entity": "order", "entity_id": order,
            "op": "upsert", "hlc": stamp,
            "payload": {
                "id": order, "number": n % 500 + 1, "business_date": "2026-11-27",
                "local_hour": 13, "channel": "counter", "created_by": null, "created_at": at,
                "status": "completed", "customer_id": null, "table_id": null, "note": null,
                "subtotal": 17980, "discount": 0, "total": 17980, "net": 15109, "tax": 2871,
                "tax_rate_bp": 1900, "tip": 0, "amount_due": 17980, "cancel_reason": null,
                "updated_at": stamp,
            },
        }),
        line(1),
        line(2),
        json!({
            "mutation_id": Uuid::now_v7(), "entity": "order_transition",
            "entity_id": transition, "op": "upsert", "hlc": stamp,
            "payload": {
                "id": transition, "order_id": order,
                "transition": {"from": null, "to": "pending", "reason": null,
                               "by_user": null, "at": at},
                "updated_at": stamp,
            },
        }),
        json!({
            "mutation_id": Uuid::now_v7(), "entity": "payment", "entity_id": payment,
            "op": "upsert", "hlc": stamp,
            "payload": {
                "id": payment, "order_id": order, "method": "cash", "amount": 17980,
                "tip": 0, "received": 20000, "change": 2020, "refund_of": null,
                "reference": null, "created_by": null, "created_at": at,
            },
        }),
    ]
}

/// CPU time this process has used (user + system), from /proc (Linux); zero elsewhere.
fn cpu_time() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // Fields after the command name (which may hold spaces) start at ") ".
            let rest = stat.rsplit_once(") ")?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let user: u64 = fields.get(11)?.parse().ok()?;
            let system: u64 = fields.get(12)?.parse().ok()?;
            Some(user + system)
        })
        .unwrap_or(0);
    // USER_HZ is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

fn rate(count: usize, elapsed: Duration) -> f64 {
    count as f64 / elapsed.as_secs_f64()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let total: usize = std::env::var("SYNC_BENCH_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let total = total.div_ceil(5) * 5;
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let admin_options = PgConnectOptions::from_str(&url).expect("DATABASE_URL");
    let mut admin = admin_options
        .connect()
        .await
        .expect("connect to DATABASE_URL");
    let database = format!("dysa_bench_{}", Uuid::now_v7().simple());
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
        .await
        .unwrap();
    let owner = admin_options.clone().database(&database);
    let settings = Settings {
        max_connections: 8,
        public_rate_burst: 1_000_000,
        log_format: dysa_cloud::settings::LogFormat::Json,
        ..Settings::default()
    };
    let state = dysa_cloud::open_with(owner.clone(), settings)
        .await
        .unwrap();
    let router = dysa_cloud::router(state.clone());

    // One tenant, two devices at its location: the pusher and a fresh reader.
    let signup = json!({
        "restaurant_name": "Bench", "slug": "bench-sync", "owner_name": "Dueña",
        "email": "owner@bench.cl", "password": PASSWORD,
    });
    let (status, body) = call(&router, post("/api/v1/signup", &signup, None)).await;
    assert_eq!(status, StatusCode::CREATED);
    let signed = json_of(&body);
    let location = signed["location_id"].as_str().unwrap().to_owned();
    let tenant = signed["tenant_id"].as_str().unwrap().to_owned();
    let enroll = |code: &str, name: &str| {
        post(
            "/api/v1/devices/enroll",
            &json!({"enrollment_code": code, "device_name": name}),
            None,
        )
    };
    let (_, body) = call(
        &router,
        enroll(signed["enrollment_code"].as_str().unwrap(), "Caja"),
    )
    .await;
    let pusher = json_of(&body)["device_token"].as_str().unwrap().to_owned();
    let (_, body) = call(
        &router,
        post(
            "/api/v1/auth/login",
            &json!({"email": "owner@bench.cl", "password": PASSWORD}),
            None,
        ),
    )
    .await;
    let owner_token = json_of(&body)["access_token"].as_str().unwrap().to_owned();
    let (_, body) = call(
        &router,
        post(
            &format!("/api/v1/locations/{location}/enrollment-codes"),
            &Value::Null,
            Some(&owner_token),
        ),
    )
    .await;
    let code = json_of(&body)["enrollment_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, body) = call(&router, enroll(&code, "Tablet nueva")).await;
    let reader = json_of(&body)["device_token"].as_str().unwrap().to_owned();

    // The mutations, made before the clock starts.
    let start_ms = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap() - 600_000;
    let mut mutations = Vec::with_capacity(total);
    for n in 0..total / 5 {
        let stamp = hlc(start_ms + (n / 1000) as u64, (n % 1000) as u32);
        mutations.extend(order_mutations(n, &stamp));
    }
    let bodies: Vec<bytes::Bytes> = mutations
        .chunks(BATCH)
        .map(|chunk| {
            json!({"schema_version": 1, "mutations": chunk})
                .to_string()
                .into()
        })
        .collect();

    // Baseline: the same rows straight into sync_rows as the owner (no HTTP, no JSON
    // decoding, no auth, no merge, no projection, no answers): one multi-row INSERT and one
    // commit per batch of 500.
    let mut conn = owner.connect().await.unwrap();
    let baseline_tenant = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO tenants (id, slug, name, plan) VALUES ($1, 'bench-baseline', 'B', 'basic')",
    )
    .bind(baseline_tenant)
    .execute(&mut conn)
    .await
    .unwrap();
    let baseline_started = Instant::now();
    for (b, chunk) in mutations.chunks(BATCH).enumerate() {
        let entities: Vec<&str> = chunk
            .iter()
            .map(|m| m["entity"].as_str().unwrap())
            .collect();
        let ids: Vec<&str> = chunk
            .iter()
            .map(|m| m["entity_id"].as_str().unwrap())
            .collect();
        let rows: Vec<&Value> = chunk.iter().map(|m| &m["payload"]).collect();
        // What the push stores for a row written once: no field older than the row.
        let field_hlcs: Vec<Value> = chunk.iter().map(|_| json!({})).collect();
        let hlcs: Vec<&str> = chunk.iter().map(|m| m["hlc"].as_str().unwrap()).collect();
        let versions: Vec<i64> = (0..chunk.len())
            .map(|i| (b * BATCH + i + 1) as i64)
            .collect();
        let mut tx = conn.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO sync_rows (tenant_id, entity, entity_id, location_id, row, field_hlc,
                                    deleted_hlc, hlc, version)
             SELECT $1, e, i, NULL, r, f, NULL, h, v
             FROM UNNEST($2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::text[], $7::bigint[])
                  AS t(e, i, r, f, h, v)",
        )
        .bind(baseline_tenant)
        .bind(&entities)
        .bind(&ids)
        .bind(&rows)
        .bind(&field_hlcs)
        .bind(&hlcs)
        .bind(&versions)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let baseline = baseline_started.elapsed();

    // 1. Push through the API, one batch after another (a device's outbox is in order).
    // The answers are decoded and checked after the clock stops: a device decodes them on
    // its own CPU, not on the two cores the server and Postgres share here.
    let mut latencies = Vec::with_capacity(bodies.len());
    let mut answers = Vec::with_capacity(bodies.len());
    let push_cpu = cpu_time();
    let push_started = Instant::now();
    for body in &bodies {
        let request = Request::post("/api/v1/sync/push")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {pusher}"))
            .body(Body::from(body.clone()))
            .unwrap();
        let t = Instant::now();
        let (status, bytes) = call(&router, request).await;
        latencies.push(t.elapsed());
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        answers.push(bytes);
    }
    let pushed = push_started.elapsed();
    let push_cpu = cpu_time() - push_cpu;
    for bytes in &answers {
        let answer: PushResponse = serde_json::from_slice(bytes).unwrap();
        assert_eq!(answer.results.len(), BATCH);
        assert!(
            answer
                .results
                .iter()
                .all(|r| r.outcome == dysa_domain::sync::Outcome::Applied)
        );
    }
    drop(answers);
    latencies.sort();

    // 2. A fresh device pulls everything, a page of 1,000 at a time.
    let pull_cpu = cpu_time();
    let pull_started = Instant::now();
    let mut cursor = 0;
    let mut pulled = 0;
    let mut pages = 0;
    loop {
        let request = Request::get(format!(
            "/api/v1/sync/pull?cursor={cursor}&limit={PAGE}&schema_version=1"
        ))
        .header(header::AUTHORIZATION, format!("Bearer {reader}"))
        .body(Body::empty())
        .unwrap();
        let (status, bytes) = call(&router, request).await;
        assert_eq!(status, StatusCode::OK);
        let page: PullResponse = serde_json::from_slice(&bytes).unwrap();
        pulled += page.changes.len();
        pages += 1;
        cursor = page.cursor;
        if !page.has_more {
            break;
        }
    }
    let pull_time = pull_started.elapsed();
    let pull_cpu = cpu_time() - pull_cpu;
    assert_eq!(pulled, total);

    // The projections hold every order once.
    let projected: i64 =
        sqlx::query_scalar("SELECT count(*) FROM orders WHERE tenant_id = $1::uuid")
            .bind(&tenant)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(projected as usize, total / 5);

    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let version: String = sqlx::query_scalar("SHOW server_version")
        .fetch_one(&mut conn)
        .await
        .unwrap();

    println!("## Sync (dysa-cloud)\n");
    println!(
        "Machine: {cpu}, {cores} cores (shared), PostgreSQL {version} on the same machine \
         (loopback); in-process requests through the full router; release build \
         (`cargo bench`). {total} mutations = {} orders × (header, 2 lines, transition, \
         payment).\n",
        total / 5
    );
    println!("| measurement | count | rate | per batch/page |");
    println!("|---|---|---|---|");
    println!(
        "| baseline: raw multi-row INSERT into `sync_rows`, {BATCH} rows per statement and commit | {total} rows | {:.0} rows/s | {} |",
        rate(total, baseline),
        ms(baseline / bodies.len() as u32),
    );
    println!(
        "| `POST /sync/push`, batches of {BATCH}, one device | {total} mutations | **{:.0} mutations/s** | p50 {}, p99 {} |",
        rate(total, pushed),
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
    );
    println!(
        "| `GET /sync/pull`, fresh device, pages of {PAGE} | {pulled} changes | **{:.0} changes/s** | {} ({pages} pages) |",
        rate(pulled, pull_time),
        ms(pull_time / pages as u32),
    );
    println!(
        "\npush = {:.2}× the baseline's time (the push also authenticates, merges, projects \
         into the typed tables and records answers). CPU of this process (server and \
         client, the rest is Postgres and waiting): push {:.1} s of {:.1} s, pull {:.1} s \
         of {:.1} s.",
        pushed.as_secs_f64() / baseline.as_secs_f64(),
        push_cpu.as_secs_f64(),
        pushed.as_secs_f64(),
        pull_cpu.as_secs_f64(),
        pull_time.as_secs_f64(),
    );

    drop(conn);
    state.db.close().await;
    if std::env::var_os("SYNC_BENCH_KEEP_DB").is_some() {
        println!("\nkept database {database}");
        return;
    }
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {database} WITH (FORCE)"
        )))
        .await
        .unwrap();
}
