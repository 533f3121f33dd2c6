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
