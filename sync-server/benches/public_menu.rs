//! The widget's menu over loopback: `GET /api/v1/public/{slug}/menu` with a warm cache on
//! one instance (the whole cloud router: request id, tracing, security headers, CORS,
//! rate limit, slug resolution), beside a bare axum handler answering the same bytes, in
//! the same run and with the same load generator. Makes its own database
//! (`dysa_bench_<uuid>`) on `DATABASE_URL`'s server and drops it at the end.
//!
//! The load comes from `wrk` when it is installed (`apt-get install wrk`; run outside this
//! process, so the server keeps its cores), else from in-process reqwest clients.
//!
//! `cargo bench -p dysa-cloud --bench public_menu`
//! (`BENCH_SECS`, default 10; `BENCH_CONNECTIONS`, default 64.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dysa_cloud::settings::Settings;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Executor};
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const CATEGORIES: usize = 8;
const ITEMS_PER_CATEGORY: usize = 12;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn call(router: &axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn post(path: &str, body: &Value, token: Option<&str>) -> Request<Body> {
    let mut builder = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    builder.body(Body::from(body.to_string())).unwrap()
}

fn hlc() -> String {
    let ms = chrono::Utc::now().timestamp_millis() - 60_000;
    format!("{ms:015}-{:06}-{:016x}", 0, 0xbe_u64)
}

/// A menu of 8 categories × 12 items, pushed by an enrolled device.
fn menu_mutations() -> Vec<Value> {
    let stamp = hlc();
    let mut mutations = Vec::new();
    let upsert = |entity: &str, id: &str, payload: Value| {
        json!({"mutation_id": uuid::Uuid::now_v7().to_string(), "entity": entity,
               "entity_id": id, "op": "upsert", "payload": payload, "hlc": stamp})
    };
    for c in 0..CATEGORIES {
        let cat = uuid::Uuid::now_v7().to_string();
        mutations.push(upsert(
            "category",
            &cat,
            json!({"id": cat, "name": format!("Categoría {c}"), "name_en": format!("Category {c}"),
                   "position": c, "active": true, "created_at": "2026-11-27T12:00:00.000Z",
                   "updated_at": stamp}),
        ));
        for i in 0..ITEMS_PER_CATEGORY {
            let item = uuid::Uuid::now_v7().to_string();
            mutations.push(upsert(
                "item",
                &item,
                json!({"id": item, "category_id": cat, "name": format!("Plato {c}-{i}"),
                       "name_en": null, "description": "Con pebre y pan amasado, receta de la casa",
                       "description_en": null, "price": 5990 + 500 * i, "station": "kitchen",
                       "tags": [], "allergens": [], "modifier_group_ids": [],
                       "available": i % 7 != 0, "position": i,
                       "created_at": "2026-11-27T12:00:00.000Z", "updated_at": stamp}),
            ));
        }
    }
    mutations
}

/// Requests per second `connections` keep-alive clients reach on `url` in `secs`, with
/// `wrk` when installed; answers (requests/s, which tool).
async fn load(url: &str, connections: u64, secs: u64) -> (f64, &'static str) {
    let wrk = std::process::Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{secs}s"),
            "--latency",
            url,
        ])
        .output();
    if let Ok(output) = wrk
        && output.status.success()
    {
        let text = String::from_utf8_lossy(&output.stdout);
        println!("{text}");
        let rate = text
            .lines()
            .find_map(|l| l.strip_prefix("Requests/sec:"))
            .and_then(|r| r.trim().parse().ok())
            .unwrap_or(0.0);
        return (rate, "wrk");
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections as usize)
        .build()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let workers = (0..connections).map(|_| {
        let client = client.clone();
        let url = url.to_owned();
        tokio::spawn(async move {
            let mut done = 0u64;
            while Instant::now() < deadline {
                let response = client.get(&url).send().await.unwrap();
                assert_eq!(response.status(), reqwest::StatusCode::OK);
                response.bytes().await.unwrap();
                done += 1;
            }
            done
        })
    });
    let mut total = 0;
    for worker in futures::future::join_all(workers).await {
        total += worker.unwrap();
    }
    (total as f64 / started.elapsed().as_secs_f64(), "reqwest")
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_owned())
}

#[tokio::main]
async fn main() {
    let secs = env_number("BENCH_SECS", 10);
    let connections = env_number("BENCH_CONNECTIONS", 64);
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let admin_options = PgConnectOptions::from_str(&url).expect("DATABASE_URL");
    let mut admin = admin_options.connect().await.expect("connect");
    let database = format!("dysa_bench_{}", uuid::Uuid::now_v7().simple());
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
        .await
        .unwrap();
    let owner = admin_options.clone().database(&database);
    let settings = Settings {
        max_connections: 8,
        public_rate_burst: 1_000_000,
        // The bench is one client: lift its budget so the limiter counts but never refuses.
        widget_rate_burst: u32::MAX,
        widget_rate_period_ms: 1,
        log_format: dysa_cloud::settings::LogFormat::Json,
        ..Settings::default()
    };
    let state = dysa_cloud::open_with(owner.clone(), settings)
        .await
        .unwrap();
    let router = dysa_cloud::router(state.clone());

    let (status, signed) = call(
        &router,
        post(
            "/api/v1/signup",
            &json!({"restaurant_name": "Bench", "slug": "bench-menu", "owner_name": "Dueña",
                    "email": "owner@bench-menu.cl", "password": "pastel de choclo 2026"}),
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{signed}");
    let (status, enrolled) = call(
        &router,
        post(
            "/api/v1/devices/enroll",
            &json!({"enrollment_code": signed["enrollment_code"], "device_name": "Caja"}),
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{enrolled}");
    let token = enrolled["device_token"].as_str().unwrap();
    let (status, pushed) = call(
        &router,
        post(
            "/api/v1/sync/push",
            &json!({"schema_version": 1, "mutations": menu_mutations()}),
            Some(token),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{pushed}");

    // Serve the cloud and, beside it, a bare axum handler with the menu's very bytes.
    let cloud = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let cloud_addr = cloud.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(dysa_cloud::serve(cloud, state.clone(), async {
        let _ = stopped.await;
    }));
    let menu_url = format!("http://{cloud_addr}/api/v1/public/bench-menu/menu");
    let warm = reqwest::get(&menu_url).await.unwrap();
    assert_eq!(warm.status(), reqwest::StatusCode::OK);
    let bytes = warm.bytes().await.unwrap();
    let bare = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bare_addr: SocketAddr = bare.local_addr().unwrap();
    let body = bytes.clone();
    let bare_app = axum::Router::new().route(
        "/menu",
        axum::routing::get(move || {
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], body) }
        }),
    );
    tokio::spawn(async move { axum::serve(bare, bare_app).await.unwrap() });

    println!(
        "menu: {} categories × {} items, {} bytes; {connections} connections, {secs} s each",
        CATEGORIES,
        ITEMS_PER_CATEGORY,
        bytes.len()
    );
    println!("load average before: {}", load_average());
    let (bare_rate, tool) = load(&format!("http://{bare_addr}/menu"), connections, secs).await;
    println!("bare axum handler, same bytes ({tool}): {bare_rate:.0} req/s");
    let (cloud_rate, tool) = load(&menu_url, connections, secs).await;
    println!("GET /api/v1/public/{{slug}}/menu, warm cache ({tool}): {cloud_rate:.0} req/s");
    println!(
        "ratio: {:.0} % of the bare handler; load average after: {}",
        100.0 * cloud_rate / bare_rate.max(1.0),
        load_average()
    );

    let _ = stop.send(());
    let _ = server.await;
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {database} WITH (FORCE)"
        )))
        .await
        .unwrap();
}
