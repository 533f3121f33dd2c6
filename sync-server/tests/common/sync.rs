//! Sync fixtures the cloud's tests share: HLC stamps, mutations, enrolled devices and
//! pushes, as a counter would send them.

#![allow(dead_code, clippy::unwrap_used)]

use super::{Reply, Tenant, TestApp};
use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

/// The HLC node of the test's counter.
pub const NODE: u64 = 0xabc;

/// A canonical HLC `ms` milliseconds after an instant an hour ago (fixed per process, so
/// `hlc(1)` is the same stamp every time), from [`NODE`].
pub fn hlc(ms: u64) -> String {
    hlc_of(ms, NODE)
}

/// [`hlc`] from another node.
pub fn hlc_of(ms: u64, node: u64) -> String {
    static BASE: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let base = BASE
        .get_or_init(|| u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap() - 3_600_000);
    format!("{:015}-{:06}-{:016x}", base + ms, 0, node)
}

/// A fresh id (UUIDv7), as text.
pub fn id() -> String {
    Uuid::now_v7().to_string()
}

/// One mutation of a push.
pub fn mutation(entity: &str, entity_id: &str, op: &str, payload: Value, hlc: &str) -> Value {
    json!({
        "mutation_id": id(),
        "entity": entity,
        "entity_id": entity_id,
        "op": op,
        "payload": payload,
        "hlc": hlc,
    })
}

/// An upsert mutation.
pub fn upsert(entity: &str, entity_id: &str, payload: Value, hlc: &str) -> Value {
    mutation(entity, entity_id, "upsert", payload, hlc)
}

/// A device enrolled at `location` with a fresh code from the owner: (device id, token).
pub async fn device(
    app: &TestApp,
    owner_token: &str,
    location: &str,
    name: &str,
) -> (String, String) {
    let code = app
        .post(
            &format!("/api/v1/locations/{location}/enrollment-codes"),
            Value::Null,
            Some(owner_token),
        )
        .await;
    assert_eq!(code.status, StatusCode::CREATED, "{:?}", code.body);
    let enrolled = app
        .enroll(code.body["enrollment_code"].as_str().unwrap(), name)
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:?}", enrolled.body);
    (
        enrolled.body["device_id"].as_str().unwrap().to_owned(),
        enrolled.body["device_token"].as_str().unwrap().to_owned(),
    )
}

/// [`device`]'s token alone.
pub async fn device_token(app: &TestApp, owner_token: &str, location: &str, name: &str) -> String {
    device(app, owner_token, location, name).await.1
}

/// The device "Caja" enrolled with the code the tenant got at sign-up: its token.
pub async fn first_device(app: &TestApp, tenant: &Tenant) -> String {
    let enrolled = app.enroll(&tenant.enrollment_code, "Caja").await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:?}", enrolled.body);
    enrolled.body["device_token"].as_str().unwrap().to_owned()
}

/// A push of `mutations`, as it was answered.
pub async fn push(app: &TestApp, token: &str, mutations: Vec<Value>) -> Reply {
    app.post(
        "/api/v1/sync/push",
        json!({ "schema_version": 1, "mutations": mutations }),
        Some(token),
    )
    .await
}

/// Pushes and expects 200; answers the results.
pub async fn push_ok(app: &TestApp, token: &str, mutations: Vec<Value>) -> Vec<Value> {
    let reply = push(app, token, mutations).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["results"].as_array().unwrap().clone()
}

/// Pushes and expects every mutation applied; answers the results.
pub async fn push_applied(app: &TestApp, token: &str, mutations: Vec<Value>) -> Vec<Value> {
    let results = push_ok(app, token, mutations).await;
    for result in &results {
        assert_eq!(result["outcome"], "applied", "{result}");
    }
    results
}
