//! Restaurant settings: defaults, partial updates per field, validation, outbox.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn defaults_are_chilean_and_setup_named_the_restaurant() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let reply = app.get("/api/v1/settings", &admin).await;
    assert_eq!(reply.status, StatusCode::OK);
    let s = &reply.body;
    assert_eq!(s["name"], "Donde Pepe");
    assert_eq!(s["time_zone"], "America/Santiago");
    assert_eq!(s["currency"], "CLP");
    assert_eq!(s["tax_rate_bp"], 1900);
    assert_eq!(s["suggested_tip_percent"], 10);
    assert_eq!(s["languages"], json!(["es", "en"]));
    assert_eq!(
        s["opening_hours"]["monday"][0],
        json!({ "open": "12:00", "close": "23:00" })
    );
}

#[tokio::test]
async fn partial_updates_write_only_changed_fields() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let before = dysa_appliance::store::outbox::pending_count(&app.state.db.read)
        .await
        .unwrap();
    let reply = app
        .patch("/api/v1/settings", json!({
                "rut": "76.086.428-5",
                "address": "Av. Providencia 1234, Santiago",
                "opening_hours": { "friday": [{ "open": "12:00", "close": "16:00" }, { "open": "19:00", "close": "01:00" }] },
                "name": "Donde Pepe",
            }), &admin)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["rut"], "76.086.428-5");
    assert_eq!(reply.body["opening_hours"]["friday"][1]["close"], "01:00");
    assert_eq!(
        reply.body["opening_hours"]["monday"],
        json!([]),
        "the hours object is replaced whole"
    );
    let after = dysa_appliance::store::outbox::pending_count(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(
        after - before,
        3 + 1,
        "rut, address and hours changed (plus the change's audit row); the unchanged name wrote nothing"
    );
    let again = app.get("/api/v1/settings", &admin).await;
    assert_eq!(again.body["address"], "Av. Providencia 1234, Santiago");
}

#[tokio::test]
async fn invalid_settings_are_refused_whole() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let reply = app
        .patch(
            "/api/v1/settings",
            json!({
                "time_zone": "Marte/Olympus",
                "tax_rate_bp": 90000,
                "rut": "12.345.678-9",
                "opening_hours": { "monday": [{ "open": "12:00", "close": "12:00" }] },
                "address": "nueva",
            }),
            &admin,
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        reply.body
    );
    let unknown = app
        .patch("/api/v1/settings", json!({ "colour": "red" }), &admin)
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body["error"]["fields"]["colour"].is_string());
    let fields = app
        .patch(
            "/api/v1/settings",
            json!({ "time_zone": "Marte/Olympus", "tax_rate_bp": 90000 }),
            &admin,
        )
        .await;
    assert!(
        fields.body["error"]["fields"]["time_zone"].is_string(),
        "{:?}",
        fields.body
    );
    assert!(fields.body["error"]["fields"]["tax_rate_bp"].is_string());
    let still = app.get("/api/v1/settings", &admin).await;
    assert_eq!(still.body["time_zone"], "America/Santiago");
    assert!(
        still.body["address"].is_null(),
        "nothing of a refused change is written"
    );
}

#[tokio::test]
async fn only_admins_change_settings() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let read = app.get("/api/v1/settings", &manager).await;
    assert_eq!(read.status, StatusCode::OK);
    let write = app
        .patch("/api/v1/settings", json!({ "address": "x" }), &manager)
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
}
