//! What the cloud's benches share to drive the router in process: one request and its
//! JSON answer, and a JSON POST.

#![allow(dead_code, clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// Sends `request` through the router: its status and JSON body (`Null` when not JSON).
pub async fn call(router: &axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A POST of `body` as JSON, without a token.
pub fn post(path: &str, body: &Value) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// A real cloud on a fresh database (`dysa_bench_<uuid>`) of `DATABASE_URL`'s server,
/// served on loopback in this process (the live and recovery benches).
pub struct BenchCloud {
    /// Its base URL.
    pub base: String,
    database: String,
    admin: sqlx::postgres::PgConnectOptions,
}

/// Makes the database and serves the cloud on it with default settings.
pub async fn serve_cloud() -> BenchCloud {
    use sqlx::{ConnectOptions, Executor};
    use std::str::FromStr;
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let admin = sqlx::postgres::PgConnectOptions::from_str(&url).expect("DATABASE_URL");
    let mut conn = admin.connect().await.expect("connect");
    let database = format!("dysa_bench_{}", uuid::Uuid::now_v7().simple());
    // A database name cannot be a bind parameter; this one is made here from a UUID.
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
        .await
        .unwrap();
    let state = dysa_cloud::open_with(
        admin.clone().database(&database),
        dysa_cloud::settings::Settings::default(),
    )
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dysa_cloud::serve(listener, state, std::future::pending()));
    BenchCloud {
        base,
        database,
        admin,
    }
}

impl BenchCloud {
    /// Drops the bench's database (`WITH (FORCE)`: the cloud's pool is still open).
    pub async fn drop_database(&self) {
        use sqlx::{ConnectOptions, Executor};
        let mut conn = self.admin.connect().await.expect("connect");
        conn.execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.database
        )))
        .await
        .ok();
    }
}

/// Sends `request`, asserts a 2xx and answers its JSON body (`Null` when none).
pub async fn send(request: reqwest::RequestBuilder) -> Value {
    let response = request.send().await.expect("request");
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// An owner signs up on `cloud` as restaurant `slug` and signs in: the signup's answer
/// (location, first enrolment code) and the owner's token.
pub async fn owner_signs_up(
    client: &reqwest::Client,
    cloud: &str,
    slug: &str,
    password: &str,
) -> (Value, String) {
    let signup = send(
        client
            .post(format!("{cloud}/api/v1/signup"))
            .json(&serde_json::json!({
                "restaurant_name": "Bench", "slug": slug, "owner_name": "Dueña",
                "email": "owner@bench.cl", "password": password,
            })),
    )
    .await;
    let login = send(
        client
            .post(format!("{cloud}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": "owner@bench.cl", "password": password})),
    )
    .await;
    (signup, login["access_token"].as_str().unwrap().to_owned())
}

/// A real appliance on `dir` served on loopback in this process (no scheduled backup
/// during a bench; the default 30 s request timeout, which `/setup/recover` is exempt
/// from, as in production): its state and base URL.
pub async fn serve_appliance(dir: &std::path::Path) -> (dysa_appliance::state::AppState, String) {
    let settings = dysa_appliance::settings::Settings {
        data_dir: dir.to_path_buf(),
        ollama_url: "http://127.0.0.1:9".into(),
        backup_interval_hours: 0,
        ..dysa_appliance::settings::Settings::default()
    };
    let state = dysa_appliance::open(settings).await.expect("open");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dysa_appliance::serve(
        listener,
        state.clone(),
        std::future::pending(),
    ));
    (state, base)
}

/// Sets the appliance at `counter` up, links it to `cloud` with `code` and makes a menu
/// category: the admin's token and the category's id.
pub async fn set_up_and_link(
    client: &reqwest::Client,
    counter: &str,
    cloud: &str,
    code: &Value,
    password: &str,
) -> (String, Value) {
    let setup = send(client.post(format!("{counter}/api/v1/setup")).json(&serde_json::json!({
        "restaurant_name": "Bench", "name": "Caja", "email": "caja@bench.cl", "password": password,
    })))
    .await;
    let staff = setup["access_token"].as_str().unwrap().to_owned();
    send(
        client
            .post(format!("{counter}/api/v1/cloud/connect"))
            .bearer_auth(&staff)
            .json(&serde_json::json!({"cloud_url": cloud, "enrollment_code": code})),
    )
    .await;
    let category = send(
        client
            .post(format!("{counter}/api/v1/menu/categories"))
            .bearer_auth(&staff)
            .json(&serde_json::json!({"name": "Platos"})),
    )
    .await;
    (staff, category["id"].clone())
}
