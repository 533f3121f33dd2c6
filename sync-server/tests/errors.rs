//! The server's shape: health, docs, JSON errors for everything, CORS closed by default.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::TestApp;
use serde_json::Value;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

#[sqlx::test(migrations = false)]
async fn health_docs_and_json_errors(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let health = app.call(Method::GET, "/health", Value::Null, None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.body["checks"]["database"]["status"], "up");

    let spec = app
        .call(Method::GET, "/api/openapi.json", Value::Null, None)
        .await;
    assert_eq!(spec.status, StatusCode::OK);
    assert!(spec.body["paths"]["/api/v1/signup"].is_object());
    let docs = app
        .send(Request::get("/api/docs").body(Body::empty()).unwrap())
        .await;
    assert_eq!(docs.status, StatusCode::OK);

    let missing = app
        .call(Method::GET, "/api/v1/nada", Value::Null, None)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.code(), "not_found");
    let method = app
        .call(Method::DELETE, "/api/v1/signup", Value::Null, None)
        .await;
    assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(method.code(), "method_not_allowed");
    let text = app
        .send(
            Request::post("/api/v1/signup")
                .header("content-type", "text/plain")
                .body(Body::from("hola"))
                .unwrap(),
        )
        .await;
    assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let english = app
        .send(
            Request::get("/api/v1/nada")
                .header("accept-language", "en-US,en;q=0.9")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(english.body["error"]["message"], "No such route");
}

#[sqlx::test(migrations = false)]
async fn bodies_over_the_limit_are_413(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::with_settings(owner, |s| s.max_body_bytes = 256).await;
    let big = format!("{{\"name\":\"{}\"}}", "x".repeat(1000));
    let reply = app
        .send(
            Request::post("/api/v1/leads/demo")
                .header("content-type", "application/json")
                .body(Body::from(big))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.code(), "payload_too_large");
}

#[sqlx::test(migrations = false)]
async fn cors_is_closed_unless_configured(_: PgPoolOptions, owner: PgConnectOptions) {
    let preflight = || {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/v1/signup")
            .header("origin", "https://evil.example")
            .header("access-control-request-method", "POST")
            .body(Body::empty())
            .unwrap()
    };
    let closed = TestApp::new(owner.clone()).await;
    let reply = closed.send(preflight()).await;
    assert!(reply.headers.get("access-control-allow-origin").is_none());
    let open = TestApp::with_settings(owner, |s| {
        s.cors_origins = vec!["https://evil.example".into()]
    })
    .await;
    let reply = open.send(preflight()).await;
    assert_eq!(
        reply.headers["access-control-allow-origin"],
        "https://evil.example"
    );
}
