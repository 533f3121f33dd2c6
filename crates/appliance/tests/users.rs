//! Staff administration and the outbox rows it writes.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{ADMIN_EMAIL, Auth, TestApp};
use serde_json::{Value, json};

#[tokio::test]
async fn admin_creates_lists_updates_and_deactivates_users() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let created = app
        .post(
            "/api/v1/users",
            json!({ "name": "Mario Mesero", "email": "Mario@Donde-Pepe.cl", "password": "completo italiano", "role": "waiter", "pin": "2468" }),
            &admin,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["email"], "mario@donde-pepe.cl");
    assert_eq!(created.body["has_pin"], true);
    assert!(created.body.get("password_hash").is_none());

    let list = app.get("/api/v1/users", &admin).await;
    assert_eq!(list.body.as_array().unwrap().len(), 2);
    let one = app.get(&format!("/api/v1/users/{id}"), &admin).await;
    assert_eq!(one.body["name"], "Mario Mesero");

    let updated = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            json!({ "role": "manager", "name": "Mario Jefe" }),
            Auth::Bearer(&admin),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(updated.body["role"], "manager");

    let login = app.login("mario@donde-pepe.cl", "completo italiano").await;
    let mario = login.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/api/v1/auth/me", &mario).await.status,
        StatusCode::OK
    );

    let removed = app
        .call(
            Method::DELETE,
            &format!("/api/v1/users/{id}"),
            Value::Null,
            Auth::Bearer(&admin),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    assert_eq!(removed.body["active"], false);
    // Deactivation is immediate: open sessions close and login is refused.
    assert_eq!(
        app.get("/api/v1/auth/me", &mario).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("mario@donde-pepe.cl", "completo italiano")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    let back = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            json!({ "active": true }),
            Auth::Bearer(&admin),
        )
        .await;
    assert_eq!(back.body["active"], true);
    assert_eq!(
        app.login("mario@donde-pepe.cl", "completo italiano")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn duplicate_email_is_a_conflict_naming_the_existing_user() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let me = app.get("/api/v1/auth/me", &admin).await;
    let reply = app
        .post(
            "/api/v1/users",
            json!({ "name": "Otra Ana", "email": ADMIN_EMAIL.to_uppercase(), "password": "completo italiano", "role": "viewer" }),
            &admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.code(), "email_taken");
    assert_eq!(
        reply.body["error"]["details"]["existing_id"],
        me.body["user"]["id"]
    );
}

#[tokio::test]
async fn the_last_admin_cannot_be_demoted_or_deactivated() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let me = app.get("/api/v1/auth/me", &admin).await;
    let id = me.body["user"]["id"].as_str().unwrap();
    let demote = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            json!({ "role": "waiter" }),
            Auth::Bearer(&admin),
        )
        .await;
    assert_eq!(demote.status, StatusCode::CONFLICT);
    assert_eq!(demote.code(), "last_admin");
    let remove = app
        .call(
            Method::DELETE,
            &format!("/api/v1/users/{id}"),
            Value::Null,
            Auth::Bearer(&admin),
        )
        .await;
    assert_eq!(remove.code(), "last_admin");
    // With a second admin it works.
    app.user_with_role(&admin, "admin").await;
    let demote = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            json!({ "role": "manager" }),
            Auth::Bearer(&admin),
        )
        .await;
    assert_eq!(demote.status, StatusCode::OK);
}

#[tokio::test]
async fn admin_resets_passwords_and_pins() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (id, token) = app.user_with_role(&admin, "viewer").await;
    let weak = app
        .post(
            &format!("/api/v1/users/{id}/password"),
            json!({ "password": "123" }),
            &admin,
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body["error"]["fields"]["password"].is_string());
    let reset = app
        .post(
            &format!("/api/v1/users/{id}/password"),
            json!({ "password": "porotos granados" }),
            &admin,
        )
        .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/auth/me", &token).await.status,
        StatusCode::UNAUTHORIZED,
        "reset closes sessions"
    );
    let bad_pin = app
        .post(
            &format!("/api/v1/users/{id}/pin"),
            json!({ "pin": "12ab" }),
            &admin,
        )
        .await;
    assert_eq!(bad_pin.status, StatusCode::UNPROCESSABLE_ENTITY);
    let cleared = app
        .post(
            &format!("/api/v1/users/{id}/pin"),
            json!({ "pin": null }),
            &admin,
        )
        .await;
    assert_eq!(cleared.status, StatusCode::NO_CONTENT);
    let unknown = app
        .post(
            &format!("/api/v1/users/{}/pin", uuid::Uuid::now_v7()),
            json!({ "pin": "1234" }),
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_user_change_writes_its_outbox_row_with_rising_hlc() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (id, _) = app.user_with_role(&admin, "waiter").await;
    app.call(
        Method::PATCH,
        &format!("/api/v1/users/{id}"),
        json!({ "name": "Renombrado" }),
        Auth::Bearer(&admin),
    )
    .await;
    let rows = dysa_appliance::store::outbox::pending(&app.state.db.read, 100)
        .await
        .unwrap();
    let user_rows: Vec<_> = rows
        .iter()
        .filter(|r| r.entity == "user" && r.entity_id == id)
        .collect();
    assert_eq!(user_rows.len(), 2, "create + rename");
    let last: Value = serde_json::from_str(&user_rows[1].payload).unwrap();
    assert_eq!(last["name"], "Renombrado");
    assert!(
        rows.iter()
            .any(|r| r.entity == "setting" && r.entity_id == "restaurant.name")
    );
    let hlcs: Vec<&str> = rows.iter().map(|r| r.hlc.as_str()).collect();
    assert!(
        hlcs.windows(2).all(|w| w[0] < w[1]),
        "HLC rises in commit order: {hlcs:?}"
    );
    let stored: String = sqlx::query_scalar("SELECT updated_at FROM users WHERE id = ?")
        .bind(&id)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(stored, user_rows[1].hlc);
}

#[tokio::test]
async fn a_failed_change_writes_neither_row_nor_outbox() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let before = dysa_appliance::store::outbox::pending_count(&app.state.db.read)
        .await
        .unwrap();
    let me = app.get("/api/v1/auth/me", &admin).await;
    let id = me.body["user"]["id"].as_str().unwrap();
    let refused = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            json!({ "active": false }),
            Auth::Bearer(&admin),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(
        dysa_appliance::store::outbox::pending_count(&app.state.db.read)
            .await
            .unwrap(),
        before
    );
}
