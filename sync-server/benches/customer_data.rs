//! Customer data at rest, what it costs (docs/BENCHMARKS.md): the owners' customer list
//! and a counter's pull of customers, for a tenant whose rows are sealed and, in the same
//! run and database, a tenant with the same rows in clear (as before migration 0034: the
//! code path is the same, the values pass through unopened) — the baseline. Also how fast
//! the start-up pass seals older rows. Makes its own database (`dysa_bench_<uuid>`) on
//! `DATABASE_URL`'s server and drops it at the end.
//!
//! `cargo bench -p dysa-cloud --bench customer_data`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dysa_cloud::settings::Settings;
use serde_json::{Value, json};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Executor};
use std::str::FromStr;
use std::time::{Duration, Instant};
mod support;
use support::{call, post};

const CUSTOMERS: i32 = 5_000;
const CALLS: usize = 200;
const PAGE: usize = 500;
const PASSWORD: &str = "pastel de choclo 2026";

fn get(path: &str, token: &str) -> Request<Body> {
    Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

struct Tenant {
    id: uuid::Uuid,
    owner_token: String,
    device_token: String,
}

async fn tenant(router: &axum::Router, slug: &str) -> Tenant {
    let (status, body) = call(
        router,
        post(
            "/api/v1/signup",
            &json!({
                "restaurant_name": slug, "slug": slug, "owner_name": "Dueña",
                "email": format!("owner@{slug}.cl"), "password": PASSWORD,
            }),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = uuid::Uuid::parse_str(body["tenant_id"].as_str().unwrap()).unwrap();
    let code = body["enrollment_code"].as_str().unwrap().to_owned();
    let (status, login) = call(
        router,
        post(
            "/api/v1/auth/login",
            &json!({"email": format!("owner@{slug}.cl"), "password": PASSWORD}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{login}");
    let (status, device) = call(
        router,
        post(
            "/api/v1/devices/enroll",
            &json!({"enrollment_code": code, "device_name": "Caja"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{device}");
    Tenant {
        id,
        owner_token: login["access_token"].as_str().unwrap().to_owned(),
        device_token: device["device_token"].as_str().unwrap().to_owned(),
    }
}

/// `CUSTOMERS` customers of `tenant` in clear, as a cloud before migration 0034 stored
/// them: merged rows (versions 1..N) and their typed projection.
async fn seed_in_clear(conn: &mut sqlx::PgConnection, tenant: uuid::Uuid) {
    sqlx::query(
        "INSERT INTO sync_rows (tenant_id, entity, entity_id, location_id, row, field_hlc, hlc, version)
         SELECT $1, 'customer', id::text, NULL,
                jsonb_build_object('id', id::text, 'name', 'Cliente ' || g,
                    'phone', '+5698' || lpad(g::text, 7, '0'), 'email', 'cliente' || g || '@example.cl',
                    'rut', NULL, 'notes', 'Prefiere la mesa junto a la ventana; alérgica al maní',
                    'marketing_consent', false, 'created_at', '2026-11-27T12:00:00.000Z',
                    'updated_at', '001764244800000-000000-0000000000000abc', 'deleted_at', NULL),
                '{}'::jsonb, '001764244800000-000000-0000000000000abc', g
         FROM (SELECT g, gen_random_uuid() AS id FROM generate_series(1, $2::int) AS g) s",
    )
    .bind(tenant)
    .bind(CUSTOMERS)
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO customers (tenant_id, id, name, phone, email, notes, hlc)
         SELECT tenant_id, entity_id::uuid, row ->> 'name', row ->> 'phone', row ->> 'email',
                row ->> 'notes', hlc
         FROM sync_rows WHERE tenant_id = $1 AND entity = 'customer'",
    )
    .bind(tenant)
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO sync_versions (tenant_id, version) VALUES ($1, $2)
         ON CONFLICT (tenant_id) DO UPDATE SET version = EXCLUDED.version",
    )
    .bind(tenant)
    .bind(i64::from(CUSTOMERS))
    .execute(&mut *conn)
    .await
    .unwrap();
}

/// p50 and p99 of `CALLS` requests `path` with `token`, alternating with the other
/// tenant's so both see the same machine load.
async fn measure(
    router: &axum::Router,
    paths: [(&str, &str); 2],
    check: impl Fn(&Value),
) -> [Vec<Duration>; 2] {
    let mut out = [Vec::with_capacity(CALLS), Vec::with_capacity(CALLS)];
    for _ in 0..CALLS {
        for (n, (path, token)) in paths.iter().enumerate() {
            let t = Instant::now();
            let (status, body) = call(router, get(path, token)).await;
            out[n].push(t.elapsed());
            assert_eq!(status, StatusCode::OK, "{body}");
            check(&body);
        }
    }
    for latencies in &mut out {
        latencies.sort();
    }
    out
}

#[tokio::main]
async fn main() {
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let admin_options = PgConnectOptions::from_str(&url).expect("DATABASE_URL");
    let mut admin = admin_options
        .connect()
        .await
        .expect("connect to DATABASE_URL");
    let database = format!("dysa_bench_{}", uuid::Uuid::now_v7().simple());
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
        .await
        .unwrap();
    let owner = admin_options.clone().database(&database);
    let settings = Settings {
        max_connections: 8,
        public_rate_burst: 1_000_000,
        data_key: "KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=".to_owned(),
        ..Settings::default()
    };
    let state = dysa_cloud::open_with(owner.clone(), settings)
        .await
        .unwrap();
    let router = dysa_cloud::router(state.clone());
    let sealed = tenant(&router, "sellado").await;
    let clear = tenant(&router, "en-claro").await;

    // The sealed tenant's rows are written in clear, then sealed by the start-up pass
    // (timed); the baseline tenant's are written in clear afterwards and stay so.
    let mut conn = owner.connect().await.unwrap();
    seed_in_clear(&mut conn, sealed.id).await;
    let started = Instant::now();
    let pass = dysa_cloud::pii::backfill::run(&state.db, &state.vault)
        .await
        .unwrap();
    let sealing = started.elapsed();
    assert_eq!(pass.rows, CUSTOMERS as usize);
    seed_in_clear(&mut conn, clear.id).await;
    sqlx::query("ANALYZE").execute(&mut conn).await.unwrap();

    let list = format!("/api/v1/customers?limit={PAGE}");
    let lists = measure(
        &router,
        [(&list, &sealed.owner_token), (&list, &clear.owner_token)],
        |body| {
            let rows = body.as_array().unwrap();
            assert_eq!(rows.len(), PAGE);
            assert!(rows[0]["phone"].as_str().unwrap().starts_with("+5698"));
        },
    )
    .await;
    let pull = format!("/api/v1/sync/pull?cursor=0&limit={PAGE}&schema_version=1");
    let pulls = measure(
        &router,
        [(&pull, &sealed.device_token), (&pull, &clear.device_token)],
        |body| {
            let changes = body["changes"].as_array().unwrap();
            assert_eq!(changes.len(), PAGE);
            assert!(
                changes[0]["row"]["email"]
                    .as_str()
                    .unwrap()
                    .ends_with("@example.cl")
            );
        },
    )
    .await;
    let search = "/api/v1/customers?q=9%208000%200042";
    let searches = measure(
        &router,
        [(search, &sealed.owner_token), (search, &clear.owner_token)],
        |_| {},
    )
    .await;

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
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("## Customer data at rest (issue 20, Build 6)\n");
    println!(
        "Machine: {cpu}, {cores} cores (shared), load average {}; {CUSTOMERS} customers per \
         tenant, {CALLS} calls each, the two tenants alternating.\n",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("| measure | sealed | baseline (in clear) |");
    println!("|---|---|---|");
    for (name, pair) in [
        (format!("`GET /customers?limit={PAGE}` (owner)"), &lists),
        (
            format!("`GET /sync/pull` page of {PAGE} customers (counter)"),
            &pulls,
        ),
        ("`GET /customers?q=<phone>` (search)".to_owned(), &searches),
    ] {
        println!(
            "| {name} | p50 {}, p99 {} | p50 {}, p99 {} |",
            ms(percentile(&pair[0], 0.5)),
            ms(percentile(&pair[0], 0.99)),
            ms(percentile(&pair[1], 0.5)),
            ms(percentile(&pair[1], 0.99)),
        );
    }
    println!(
        "| start-up pass sealing {CUSTOMERS} customers | {:.0} rows/s ({:.2} s) | — |",
        CUSTOMERS as f64 / sealing.as_secs_f64(),
        sealing.as_secs_f64()
    );

    drop(conn);
    state.db.close().await;
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {database} WITH (FORCE)"
        )))
        .await
        .unwrap();
}
