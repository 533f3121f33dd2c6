//! Parked cloud rows and refused pushes are visible and resolvable (docs/SYNC.md, "Parked
//! and refused changes"): listed with a reason code and both messages, since when and how
//! many tries; retried and discarded by admins only (the discard is logged); refused pushes
//! dismissed. Also the joining routes before setup.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp};
use dysa_domain::sync::{ChangeRecord, Entity};
use serde_json::{Value, json};

/// Parks an order line whose order never arrived (a copy of a real line pointing at an
/// unknown order); answers the line's id.
async fn park_orphan_line(app: &TestApp, admin: &str) -> String {
    let category = app
        .post(
            "/api/v1/menu/categories",
            json!({ "name": "Platos" }),
            admin,
        )
        .await;
    let item = app
        .post(
            "/api/v1/menu/items",
            json!({ "category_id": category.body["id"], "name": "Cazuela", "price": 8990 }),
            admin,
        )
        .await;
    let order = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "counter", "lines": [{ "item_id": item.body["id"], "quantity": 1 }] }),
            admin,
        )
        .await;
    assert_eq!(order.status, StatusCode::CREATED, "{:?}", order.body);
    let payload: String = sqlx::query_scalar(
        "SELECT payload FROM outbox WHERE entity = 'order_line' ORDER BY seq LIMIT 1",
    )
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    let mut row: serde_json::Map<String, Value> = serde_json::from_str(&payload).unwrap();
    let id = uuid::Uuid::now_v7().to_string();
    row.insert("id".into(), json!(id));
    row["line"]["id"] = json!(id);
    row.insert("order_id".into(), json!(uuid::Uuid::now_v7().to_string()));
    let hlc = row["updated_at"].as_str().unwrap().parse().unwrap();
    let change = ChangeRecord {
        version: 7,
        entity: Entity::OrderLine,
        entity_id: id.clone(),
        location_id: None,
        deleted: false,
        row,
        hlc,
    };
    app.state
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let mut applied = dysa_appliance::sync::apply::Applied::default();
                dysa_appliance::sync::apply::apply_page(conn, &[change], &mut applied).await?;
                Ok::<_, dysa_appliance::store::StoreError>(())
            })
        })
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn parked_changes_are_listed_retried_and_discarded_by_admins() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let line = park_orphan_line(&app, &admin).await;

    let status = app.get("/api/v1/sync/status", &admin).await;
    assert_eq!(status.body["parked"], 1);
    let listed = app.get("/api/v1/sync/parked", &manager).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    let parked = listed.body.as_array().unwrap();
    assert_eq!(parked.len(), 1);
    let id = format!("order_line:{line}");
    assert_eq!(parked[0]["id"], id.as_str());
    assert_eq!(parked[0]["reason"], "waiting_for_related_row");
    assert!(parked[0]["message_es"].as_str().unwrap().contains("Espera"));
    assert!(parked[0]["message_en"].as_str().unwrap().contains("Waits"));
    assert!(parked[0]["since"].is_string());
    let attempts = parked[0]["attempts"].as_i64().unwrap();
    assert_eq!(
        app.get("/api/v1/sync/parked", &waiter).await.status,
        StatusCode::FORBIDDEN
    );

    // A retry that still cannot apply keeps it, one attempt more, since unchanged.
    let retried = app
        .post(
            &format!("/api/v1/sync/parked/{id}/retry"),
            Value::Null,
            &admin,
        )
        .await;
    assert_eq!(retried.status, StatusCode::OK, "{:?}", retried.body);
    assert_eq!(retried.body["applied"], false);
    assert_eq!(retried.body["parked"]["attempts"], attempts + 1);
    assert_eq!(retried.body["parked"]["since"], parked[0]["since"]);

    // Only admins resolve; unknown ids are 404 JSON.
    for token in [&manager, &waiter] {
        for action in ["retry", "discard"] {
            let reply = app
                .post(
                    &format!("/api/v1/sync/parked/{id}/{action}"),
                    Value::Null,
                    token,
                )
                .await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{action}");
        }
    }
    for bad in ["nothing", "order_line:", "order_line:no-such-row"] {
        let reply = app
            .post(
                &format!("/api/v1/sync/parked/{bad}/discard"),
                Value::Null,
                &admin,
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{bad}");
        assert_eq!(reply.code(), "not_found");
    }

    let discarded = app
        .post(
            &format!("/api/v1/sync/parked/{id}/discard"),
            Value::Null,
            &admin,
        )
        .await;
    assert_eq!(discarded.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/sync/parked", &admin).await.body, json!([]));
    assert_eq!(
        app.get("/api/v1/sync/status", &admin).await.body["parked"],
        0
    );
    let logged: (String, String) = sqlx::query_as(
        "SELECT entity_id, discarded_by FROM sync_discarded WHERE entity = 'order_line'",
    )
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(logged.0, line);
    assert!(!logged.1.is_empty());
}

#[tokio::test]
async fn refused_pushes_are_dismissed_by_admins() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let mutation: String =
        sqlx::query_scalar("SELECT mutation_id FROM outbox ORDER BY seq LIMIT 1")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    let marked = mutation.clone();
    app.state
        .writer
        .write(move |conn| {
            Box::pin(async move {
                dysa_appliance::store::sync::mark_rejected(
                    conn,
                    &marked,
                    "illegal_transition",
                    Some("no"),
                )
                .await
            })
        })
        .await
        .unwrap();
    assert_eq!(
        app.get("/api/v1/sync/status", &admin).await.body["rejected"],
        1
    );
    let path = format!("/api/v1/sync/rejected/{mutation}/dismiss");
    assert_eq!(
        app.post(&path, Value::Null, &manager).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&path, Value::Null, &admin).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/api/v1/sync/rejected", &admin).await.body,
        json!([])
    );
    assert_eq!(
        app.get("/api/v1/sync/status", &admin).await.body["rejected"],
        0
    );
    let again = app.post(&path, Value::Null, &admin).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn joining_is_for_fresh_counters_only_and_checks_its_input() {
    let app = TestApp::new().await;
    // Before setup: nothing asked yet.
    let progress = app
        .call(Method::GET, "/api/v1/setup/join", Value::Null, Auth::None)
        .await;
    assert_eq!(progress.status, StatusCode::OK);
    assert_eq!(progress.body["status"], "none");
    // Bad input: 422 with the fields named, nothing enrolled.
    let bad = app
        .call(
            Method::POST,
            "/api/v1/setup/join",
            json!({ "cloud_url": "http://nube.example.cl", "enrollment_code": "" }),
            Auth::None,
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
    assert!(bad.body["error"]["fields"]["cloud_url"].is_string());
    assert!(bad.body["error"]["fields"]["enrollment_code"].is_string());
    let garbage = app
        .call(
            Method::POST,
            "/api/v1/setup/join",
            json!([1, 2]),
            Auth::None,
        )
        .await;
    assert!(garbage.status.is_client_error());
    // After setup the counter has its own staff: joining is refused.
    let admin = app.setup().await;
    let refused = app
        .call(
            Method::POST,
            "/api/v1/setup/join",
            json!({ "cloud_url": "http://127.0.0.1:9", "enrollment_code": "ABC" }),
            Auth::None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.code(), "already_set_up");
    // Not linked: the approval list says so (409), not a 500.
    let requests = app.get("/api/v1/sync/join-requests", &admin).await;
    assert_eq!(requests.status, StatusCode::CONFLICT);
    assert_eq!(requests.code(), "cloud_not_connected");
}
