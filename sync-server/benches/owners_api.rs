//! Owners' API benchmark against the real Postgres: sign-up throughput, then the sales
//! summary with 50 tenants × 10,000 orders (p50/p99). Makes its own database
//! (`dysa_bench_<uuid>`) on `DATABASE_URL`'s server and drops it at the end.
//!
//! `cargo bench -p dysa-cloud --bench owners_api`

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

const TENANTS: usize = 50;
const ORDERS_PER_TENANT: i64 = 10_000;
const SUMMARY_CALLS: usize = 500;
const PASSWORD: &str = "pastel de choclo 2026";

fn signup_body(i: usize, run: &str) -> Value {
    json!({
        "restaurant_name": format!("Restaurante {i}"),
        "slug": format!("r{i}-{run}"),
        "owner_name": "Dueña",
        "email": format!("owner{i}-{run}@bench.cl"),
        "password": PASSWORD,
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
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
        log_format: dysa_cloud::settings::LogFormat::Json,
        ..Settings::default()
    };
    let state = dysa_cloud::open_with(owner.clone(), settings)
        .await
        .unwrap();
    let router = dysa_cloud::router(state.clone());
    let run = uuid::Uuid::now_v7().simple().to_string()[..8].to_owned();

    // 1. Sign-up throughput, 8 at a time (argon2id hashing dominates).
    let started = Instant::now();
    let mut tenants = Vec::new();
    for chunk in (0..TENANTS).collect::<Vec<_>>().chunks(8) {
        let calls = chunk.iter().map(|i| {
            let router = &router;
            let body = signup_body(*i, &run);
            async move {
                let t = Instant::now();
                let (status, body) = call(router, post("/api/v1/signup", &body)).await;
                assert_eq!(status, StatusCode::CREATED, "{body}");
                (t.elapsed(), body)
            }
        });
        tenants.extend(futures::future::join_all(calls).await);
    }
    let signup_total = started.elapsed();
    let mut signup_latencies: Vec<Duration> = tenants.iter().map(|(d, _)| *d).collect();
    signup_latencies.sort();

    // 2. 10,000 orders per tenant, spread over 90 business days (as sync would write them).
    let mut conn = owner.connect().await.unwrap();
    let seeding = Instant::now();
    for (_, body) in &tenants {
        let tenant = uuid::Uuid::parse_str(body["tenant_id"].as_str().unwrap()).unwrap();
        let location = uuid::Uuid::parse_str(body["location_id"].as_str().unwrap()).unwrap();
        sqlx::query(
            "INSERT INTO orders (tenant_id, location_id, id, number, business_date, channel, status,
                                 subtotal, total, net, tax, tip, amount_due, hlc, created_at)
             SELECT $1, $2, gen_random_uuid(), g % 500 + 1, current_date - (g % 90),
                    'counter', CASE WHEN g % 20 = 0 THEN 'cancelled' ELSE 'completed' END,
                    5000 + g % 20000, 5000 + g % 20000, (5000 + g % 20000) * 100 / 119,
                    (5000 + g % 20000) - (5000 + g % 20000) * 100 / 119, g % 1000, 0,
                    'hlc', now() - make_interval(days => g % 90)
             FROM generate_series(1, $3::int) AS g",
        )
        .bind(tenant)
        .bind(location)
        .bind(ORDERS_PER_TENANT)
        .execute(&mut conn)
        .await
        .unwrap();
    }
    sqlx::query("ANALYZE orders")
        .execute(&mut conn)
        .await
        .unwrap();
    let seeded = seeding.elapsed();

    // Owner tokens.
    let mut tokens = Vec::new();
    for i in 0..TENANTS {
        let (status, body) = call(
            &router,
            post(
                "/api/v1/auth/login",
                &json!({ "email": format!("owner{i}-{run}@bench.cl"), "password": PASSWORD }),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        tokens.push(body["access_token"].as_str().unwrap().to_owned());
    }

    // 3. The sales summary: 30 days and the whole 90, one request at a time.
    let to = chrono::Utc::now().date_naive();
    let mut rows = Vec::new();
    for days in [30, 90] {
        let from = to - chrono::Duration::days(days - 1);
        let mut latencies = Vec::with_capacity(SUMMARY_CALLS);
        for n in 0..SUMMARY_CALLS {
            let token = &tokens[n % TENANTS];
            let request = Request::get(format!("/api/v1/analytics/summary?from={from}&to={to}"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap();
            let t = Instant::now();
            let (status, body) = call(&router, request).await;
            latencies.push(t.elapsed());
            assert_eq!(status, StatusCode::OK, "{body}");
            if days == 90 {
                assert_eq!(
                    body["orders"].as_i64().unwrap() + body["cancelled_orders"].as_i64().unwrap(),
                    ORDERS_PER_TENANT
                );
            }
        }
        latencies.sort();
        rows.push((days, latencies));
    }

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

    println!("## Cloud service (dysa-cloud)\n");
    println!(
        "Machine: {cpu}, {cores} cores (shared), PostgreSQL {version} on the same machine; \
         in-process requests through the full router (auth, RLS transaction, JSON); \
         release build (`cargo bench`).\n"
    );
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| sign-up, {TENANTS} tenants, 8 concurrent | {:.1} sign-ups/s (p50 {}, max {}) |",
        TENANTS as f64 / signup_total.as_secs_f64(),
        ms(percentile(&signup_latencies, 0.5)),
        ms(percentile(&signup_latencies, 1.0)),
    );
    println!(
        "| seeding {} orders ({TENANTS} × {ORDERS_PER_TENANT}) | {:.1} s |",
        TENANTS as i64 * ORDERS_PER_TENANT,
        seeded.as_secs_f64()
    );
    for (days, latencies) in &rows {
        println!(
            "| `GET /analytics/summary`, {days} days, {SUMMARY_CALLS} calls over {TENANTS} tenants | p50 {}, p99 {} |",
            ms(percentile(latencies, 0.5)),
            ms(percentile(latencies, 0.99)),
        );
    }

    drop(conn);
    state.db.close().await;
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {database} WITH (FORCE)"
        )))
        .await
        .unwrap();
}
