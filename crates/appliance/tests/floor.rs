//! The service floor through the real router: opening a table with covers and waiter,
//! rounds on its tab, the table's live state (libre, ocupada, pidió la cuenta, por
//! limpiar), and who may do what.

#![allow(clippy::unwrap_used)]

mod common;
mod kitchen_support;

use axum::http::StatusCode;
use common::TestApp;
use kitchen_support::{seed_menu, table};
use serde_json::{Value, json};

fn open_path(table: &str) -> String {
    format!("/api/v1/tables/{table}/open")
}

#[tokio::test]
async fn a_table_opens_takes_rounds_asks_for_the_bill_and_is_cleaned() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (waiter_id, waiter) = app.user_with_role(&admin, "waiter").await;
    let menu = seed_menu(&app).await;
    let four = table(&app, &admin, "4").await;
    let free = app.get(&format!("/api/v1/tables/{four}"), &waiter).await;
    assert_eq!(free.body["state"], "free");
    assert_eq!(free.body["tab"], Value::Null);

    // The waiter opens table 4 for 3: an empty dine-in tab in their name.
    let opened = app
        .post(&open_path(&four), json!({ "covers": 3 }), &waiter)
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
    let tab = opened.body["id"].as_str().unwrap().to_owned();
    assert_eq!(opened.body["channel"], "dine_in");
    assert_eq!(opened.body["table_id"], four.as_str());
    assert_eq!(opened.body["covers"], 3);
    assert_eq!(opened.body["waiter_id"], waiter_id.as_str());
    assert_eq!(opened.body["lines"], json!([]));
    assert_eq!(opened.body["total"], 0);
    assert!(opened.body["number"].as_i64().unwrap() >= 1);

    let busy = app.get(&format!("/api/v1/tables/{four}"), &waiter).await;
    assert_eq!(busy.body["state"], "occupied");
    assert_eq!(busy.body["status"], "occupied");
    assert_eq!(busy.body["tab"]["order_id"], tab.as_str());
    assert_eq!(busy.body["tab"]["covers"], 3);
    assert_eq!(busy.body["tab"]["waiter_name"], "Persona waiter");
    assert_eq!(busy.body["tab"]["minutes_seated"], 0);
    assert_eq!(busy.body["tab"]["amount"], 0);

    // Opening it again is refused, naming the tab already there; nothing is written.
    let again = app
        .post(&open_path(&four), json!({ "covers": 2 }), &admin)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{:?}", again.body);
    assert_eq!(again.code(), "table_occupied");
    assert_eq!(again.body["error"]["details"]["order_id"], tab.as_str());
    let tabs: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(tabs, 1);

    // A round: two pisco sours; the card shows what the tab adds up to.
    let round = app
        .post(
            &format!("/api/v1/orders/{tab}/lines"),
            json!({ "lines": [{ "item_id": menu.pisco, "quantity": 2, "course": "drinks", "seat": 1 }] }),
            &waiter,
        )
        .await;
    assert_eq!(round.status, StatusCode::OK, "{:?}", round.body);
    let card = app.get(&format!("/api/v1/tables/{four}"), &waiter).await;
    assert_eq!(card.body["tab"]["amount"], 9980);

    // The table asks for the bill; asking twice keeps the first time.
    let asked = app
        .post(
            &format!("/api/v1/orders/{tab}/bill-request"),
            json!({}),
            &waiter,
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{:?}", asked.body);
    let first = asked.body["bill_requested_at"].as_str().unwrap().to_owned();
    let twice = app
        .post(
            &format!("/api/v1/orders/{tab}/bill-request"),
            json!({}),
            &waiter,
        )
        .await;
    assert_eq!(twice.body["bill_requested_at"], first.as_str());
    let card = app.get(&format!("/api/v1/tables/{four}"), &waiter).await;
    assert_eq!(card.body["state"], "bill_requested");

    // The tab ends: the table waits to be cleaned, then it is free again.
    for status in ["confirmed", "completed"] {
        let moved = app
            .post(
                &format!("/api/v1/orders/{tab}/status"),
                json!({ "status": status }),
                &admin,
            )
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    }
    let dirty = app.get(&format!("/api/v1/tables/{four}"), &waiter).await;
    assert_eq!(dirty.body["state"], "to_clean");
    assert_eq!(dirty.body["needs_cleaning"], true);
    assert_eq!(dirty.body["tab"], Value::Null);
    let late = app
        .post(
            &format!("/api/v1/orders/{tab}/bill-request"),
            json!({}),
            &waiter,
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.code(), "order_closed");
    let clean = app
        .post(&format!("/api/v1/tables/{four}/clean"), json!({}), &waiter)
        .await;
    assert_eq!(clean.status, StatusCode::OK, "{:?}", clean.body);
    assert_eq!(clean.body["state"], "free");

    // Covers, waiter, bill and cleaning all travel to the cloud.
    let rows = dysa_appliance::store::outbox::pending(&app.state.db.read, 1000)
        .await
        .unwrap();
    let order_rows: Vec<Value> = rows
        .iter()
        .filter(|r| r.entity == "order" && r.entity_id == tab)
        .map(|r| serde_json::from_str(&r.payload).unwrap())
        .collect();
    assert_eq!(order_rows[0]["covers"], 3);
    assert_eq!(order_rows[0]["waiter_id"], waiter_id.as_str());
    assert!(
        order_rows
            .iter()
            .any(|r| r["bill_requested_at"] == first.as_str())
    );
    let cleaning: Vec<Value> = rows
        .iter()
        .filter(|r| r.entity == "table" && r.entity_id == four)
        .map(|r| serde_json::from_str::<Value>(&r.payload).unwrap())
        .filter_map(|p| p.get("needs_cleaning").cloned())
        .collect();
    assert_eq!(cleaning, [json!(false), json!(true), json!(false)]);

    // A new party opens it again, named for another waiter by a manager.
    let (other_id, _) = app.user_with_role(&admin, "waiter").await;
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let next = app
        .post(
            &open_path(&four),
            json!({ "covers": 2, "waiter_id": other_id }),
            &manager,
        )
        .await;
    assert_eq!(next.status, StatusCode::CREATED, "{:?}", next.body);
    assert_eq!(next.body["waiter_id"], other_id.as_str());
}

#[tokio::test]
async fn opening_a_table_refuses_bad_input_and_roles_that_may_not() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let four = table(&app, &admin, "4").await;
    for body in [
        json!({}),
        json!({ "covers": 0 }),
        json!({ "covers": 100 }),
        json!({ "covers": "tres" }),
        json!({ "covers": 2, "mesa": 4 }),
    ] {
        let bad = app.post(&open_path(&four), body.clone(), &admin).await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            bad.body
        );
    }
    let stranger = app
        .post(
            &open_path(&four),
            json!({ "covers": 2, "waiter_id": uuid::Uuid::now_v7() }),
            &admin,
        )
        .await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stranger.body["error"]["fields"]["waiter_id"].is_string());
    let unknown = app
        .post(
            &open_path(&uuid::Uuid::now_v7().to_string()),
            json!({ "covers": 2 }),
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let off = app
        .patch(
            &format!("/api/v1/tables/{four}"),
            json!({ "active": false }),
            &admin,
        )
        .await;
    assert_eq!(off.status, StatusCode::OK);
    let inactive = app
        .post(&open_path(&four), json!({ "covers": 2 }), &admin)
        .await;
    assert_eq!(inactive.status, StatusCode::NOT_FOUND);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing was opened");
    app.patch(
        &format!("/api/v1/tables/{four}"),
        json!({ "active": true }),
        &admin,
    )
    .await;

    // A viewer watches the floor but opens, asks and cleans nothing.
    let (_, viewer) = app.user_with_role(&admin, "viewer").await;
    assert_eq!(
        app.get("/api/v1/tables", &viewer).await.status,
        StatusCode::OK
    );
    let refused = app
        .post(&open_path(&four), json!({ "covers": 2 }), &viewer)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let opened = app
        .post(&open_path(&four), json!({ "covers": 2 }), &admin)
        .await;
    let tab = opened.body["id"].as_str().unwrap();
    for path in [
        format!("/api/v1/orders/{tab}/bill-request"),
        format!("/api/v1/tables/{four}/clean"),
    ] {
        let refused = app.post(&path, json!({}), &viewer).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
    }
    for (role, allowed) in [("waiter", true), ("manager", true)] {
        let (_, token) = app.user_with_role(&admin, role).await;
        let cleaned = app
            .post(&format!("/api/v1/tables/{four}/clean"), json!({}), &token)
            .await;
        assert_eq!(cleaned.status == StatusCode::OK, allowed, "{role}");
    }
    let unknown = app
        .post(
            &format!("/api/v1/orders/{}/bill-request", uuid::Uuid::now_v7()),
            json!({}),
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}
