//! Cash drawers through the real router: a session from its counted float to the blind
//! count and the close, cash payments and refunds landing in it (and refused without
//! it), pay-ins and pay-outs, a second count, several drawers, bad input and who may see
//! what the drawer should hold.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{Value, json};

/// A menu of one item at $12.990 and the item's id.
async fn one_item(app: &TestApp, token: &str) -> String {
    app.menu_item(token, 12990).await
}

async fn order(app: &TestApp, token: &str, item: &str, quantity: u32) -> String {
    let reply = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "counter", "lines": [{ "item_id": item, "quantity": quantity }] }),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

fn path(session: &Value, tail: &str) -> String {
    format!(
        "/api/v1/drawer-sessions/{}/{tail}",
        session["id"].as_str().unwrap()
    )
}

#[tokio::test]
async fn a_shift_from_float_to_blind_count_second_count_and_close() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (waiter_id, waiter) = app.user_with_role(&admin, "waiter").await;
    let item = one_item(&app, &admin).await;
    let first = order(&app, &admin, &item, 1).await;

    // No cash without an open session: 409 in Spanish, and nothing written.
    let refused = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": first, "method": "cash", "amount": 12990, "received": 20000 }),
            &admin,
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.code(), "no_open_drawer");
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("abre la caja"),
        "{:?}",
        refused.body
    );
    let ledger = app
        .get(&format!("/api/v1/orders/{first}/payments"), &admin)
        .await;
    assert_eq!(
        ledger.body.as_array().map(Vec::len),
        Some(0),
        "{:?}",
        ledger.body
    );
    // A card needs no drawer.
    let second = order(&app, &admin, &item, 1).await;
    let card = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": second, "method": "debit", "amount": 12990 }),
            &admin,
        )
        .await;
    assert_eq!(card.status, StatusCode::CREATED, "{:?}", card.body);

    // The waiter opens the counter's drawer with a counted float: blind from the start.
    let opened = app
        .post(
            "/api/v1/drawer-sessions",
            json!({ "opening_float": 50000 }),
            &waiter,
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
    let session = opened.body.clone();
    assert_eq!(session["status"], "open");
    assert_eq!(session["drawer_name"], "Caja principal");
    assert_eq!(session["expected_hidden"], true);
    assert_eq!(session["expected"], Value::Null);
    let twice = app
        .post(
            "/api/v1/drawer-sessions",
            json!({ "opening_float": 0 }),
            &waiter,
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.code(), "drawer_already_open");

    // A cash sale: $20.000 handed over, $7.010 change; the drawer keeps $12.990.
    let cash = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": first, "method": "cash", "amount": 12990, "received": 20000 }),
            &admin,
        )
        .await;
    assert_eq!(cash.status, StatusCode::CREATED, "{:?}", cash.body);
    assert_eq!(cash.body["payment"]["change"], 7010);

    // The manager sees what the drawer should hold; the waiter does not, nor the sales.
    let audit = app.get("/api/v1/drawer-sessions/current", &admin).await;
    assert_eq!(audit.status, StatusCode::OK, "{:?}", audit.body);
    assert_eq!(audit.body["expected"], 62990);
    assert_eq!(audit.body["totals"]["sales"], 12990);
    assert_eq!(audit.body["movements"][0]["kind"], "sale");
    let blind = app.get("/api/v1/drawer-sessions/current", &waiter).await;
    assert_eq!(blind.status, StatusCode::OK, "{:?}", blind.body);
    assert_eq!(blind.body["expected_hidden"], true);
    assert_eq!(blind.body["expected"], Value::Null);
    assert_eq!(blind.body["totals"], Value::Null);
    assert_eq!(blind.body["movements"], json!([]));
    let listed = app.get("/api/v1/drawer-sessions", &waiter).await;
    assert_eq!(listed.body[0]["expected"], Value::Null, "{:?}", listed.body);
    let drawers = app.get("/api/v1/drawers", &waiter).await;
    assert_eq!(drawers.body[0]["session"]["expected"], Value::Null);

    // A pay-out with its reason; bad pay-ins and pay-outs change nothing.
    let gas = app
        .post(
            &path(&session, "movements"),
            json!({ "kind": "pay_out", "amount": 3000, "reason": "Compra de gas" }),
            &waiter,
        )
        .await;
    assert_eq!(gas.status, StatusCode::CREATED, "{:?}", gas.body);
    assert_eq!(gas.body["movements"][0]["reason"], "Compra de gas");
    let too_much = app
        .post(
            &path(&session, "movements"),
            json!({ "kind": "pay_out", "amount": 1000000, "reason": "Proveedor" }),
            &waiter,
        )
        .await;
    assert_eq!(too_much.status, StatusCode::CONFLICT);
    assert_eq!(too_much.code(), "not_enough_cash");
    for bad in [
        json!({ "kind": "pay_in", "amount": 1000, "reason": "  " }),
        json!({ "kind": "pay_in", "amount": -5, "reason": "Sencillo" }),
        json!({ "kind": "pay_in", "amount": 0, "reason": "Sencillo" }),
    ] {
        let reply = app
            .post(&path(&session, "movements"), bad.clone(), &waiter)
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let sale_by_hand = app
        .post(
            &path(&session, "movements"),
            json!({ "kind": "sale", "amount": 1000, "reason": "x" }),
            &waiter,
        )
        .await;
    assert_eq!(sale_by_hand.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Closing needs a count; a count with a negative quantity is refused field by field.
    let early = app.post(&path(&session, "close"), json!({}), &waiter).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.code(), "drawer_not_counted");
    let negative = app
        .post(
            &path(&session, "count"),
            json!({ "counts": { "bills_20000": 2, "coins_10": -1 } }),
            &waiter,
        )
        .await;
    assert_eq!(negative.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        negative.body["error"]["fields"]["counts.coins_10"].is_string(),
        "{:?}",
        negative.body
    );

    // The blind count: $59.490 counted, $59.990 expected: $500 missing, shown now.
    let counted = app
        .post(
            &path(&session, "count"),
            json!({ "counts": {
                "bills_20000": 2, "bills_10000": 1, "bills_5000": 1, "bills_2000": 2,
                "coins_100": 4, "coins_50": 1, "coins_10": 4
            } }),
            &waiter,
        )
        .await;
    assert_eq!(counted.status, StatusCode::CREATED, "{:?}", counted.body);
    assert_eq!(counted.body["status"], "counted");
    assert_eq!(counted.body["expected_hidden"], false);
    assert_eq!(counted.body["counted_total"], 59490);
    assert_eq!(counted.body["expected"], 59990);
    assert_eq!(counted.body["difference"], -500);
    assert_eq!(counted.body["counts"][0]["counted_by"], waiter_id.as_str());
    assert!(counted.body["counts"][0]["counted_at"].is_string());

    // Counted: the drawer takes no more cash until a new session.
    let third = order(&app, &admin, &item, 1).await;
    let late = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": third, "method": "cash", "amount": 12990 }),
            &admin,
        )
        .await;
    assert_eq!(late.code(), "no_open_drawer");

    // Only a manager asks for a second count; then the waiter counts blind again.
    let not_yours = app
        .post(&path(&session, "recount"), json!({}), &waiter)
        .await;
    assert_eq!(not_yours.status, StatusCode::FORBIDDEN);
    let recount = app
        .post(&path(&session, "recount"), json!({}), &admin)
        .await;
    assert_eq!(recount.status, StatusCode::OK, "{:?}", recount.body);
    assert_eq!(recount.body["status"], "recount");
    let blind_again = app.get("/api/v1/drawer-sessions/current", &waiter).await;
    assert_eq!(blind_again.body["expected"], Value::Null);
    assert_eq!(blind_again.body["counted_total"], Value::Null);
    assert_eq!(blind_again.body["difference"], Value::Null);
    let again = app
        .post(
            &path(&session, "count"),
            json!({ "counts": { "bills_20000": 2, "bills_10000": 1, "bills_5000": 1, "bills_2000": 2, "coins_500": 1, "coins_100": 4, "coins_50": 1, "coins_10": 4 } }),
            &waiter,
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);
    assert_eq!(again.body["difference"], 0);
    assert_eq!(again.body["counts"].as_array().unwrap().len(), 2);

    // Close: who and when; closing again is a conflict.
    let closed = app.post(&path(&session, "close"), json!({}), &waiter).await;
    assert_eq!(closed.status, StatusCode::OK, "{:?}", closed.body);
    assert_eq!(closed.body["status"], "closed");
    assert_eq!(closed.body["closed_by"], waiter_id.as_str());
    assert_eq!(closed.body["difference"], 0);
    let reclose = app.post(&path(&session, "close"), json!({}), &waiter).await;
    assert_eq!(reclose.status, StatusCode::CONFLICT);
    assert_eq!(reclose.code(), "drawer_session_closed");
    let recount_closed = app
        .post(&path(&session, "count"), json!({ "counts": {} }), &waiter)
        .await;
    assert_eq!(recount_closed.status, StatusCode::CONFLICT);
    let none = app.get("/api/v1/drawer-sessions/current", &waiter).await;
    assert_eq!(none.body, Value::Null);
    // A closed session is plain to everyone.
    let history = app.get("/api/v1/drawer-sessions", &waiter).await;
    assert_eq!(history.body[0]["expected"], 59990, "{:?}", history.body);
    assert_eq!(history.body[0]["totals"]["pay_outs"], 3000);

    // Every step went to the outbox for the cloud.
    let pending = dysa_appliance::store::outbox::pending(&app.state.db.read, 10_000)
        .await
        .unwrap();
    for entity in ["drawer_session", "drawer_movement", "drawer_count"] {
        assert!(
            pending.iter().any(|row| row.entity == entity),
            "no {entity} in the outbox"
        );
    }
}

#[tokio::test]
async fn cash_refunds_come_out_of_the_open_drawer() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = one_item(&app, &admin).await;
    let id = order(&app, &admin, &item, 1).await;
    app.post(
        "/api/v1/drawer-sessions",
        json!({ "opening_float": 10000 }),
        &admin,
    )
    .await;
    let cash = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": id, "method": "cash", "amount": 11990, "tip": 1000 }),
            &admin,
        )
        .await;
    assert_eq!(cash.status, StatusCode::CREATED, "{:?}", cash.body);
    let payment = cash.body["payment"]["id"].as_str().unwrap().to_owned();
    let refund = app
        .post(
            &format!("/api/v1/payments/{payment}/refund"),
            json!({ "amount": 2990, "reason": "plato frío" }),
            &admin,
        )
        .await;
    assert_eq!(refund.status, StatusCode::CREATED, "{:?}", refund.body);
    let current = app.get("/api/v1/drawer-sessions/current", &admin).await;
    // 10.000 float + 12.990 (sale with its tip) − 2.990 refunded.
    assert_eq!(current.body["expected"], 20000, "{:?}", current.body);
    assert_eq!(current.body["totals"]["refunds"], 2990);
    assert_eq!(
        current.body["movements"][1]["payment_id"],
        refund.body["payment"]["id"]
    );

    // Counted: the refund needs an open drawer like a payment does.
    let session = current.body.clone();
    app.post(
        &path(&session, "count"),
        json!({ "counts": { "bills_20000": 1, "bills_1000": 1 } }),
        &admin,
    )
    .await;
    let refused = app
        .post(
            &format!("/api/v1/payments/{payment}/refund"),
            json!({ "amount": 1000 }),
            &admin,
        )
        .await;
    assert_eq!(refused.code(), "no_open_drawer");
}

#[tokio::test]
async fn several_drawers_never_mix_and_bad_input_is_refused() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let (_, viewer) = app.user_with_role(&admin, "viewer").await;
    let item = one_item(&app, &admin).await;

    let bar = app
        .post("/api/v1/drawers", json!({ "name": "Barra" }), &admin)
        .await;
    assert_eq!(bar.status, StatusCode::CREATED, "{:?}", bar.body);
    let bar_id = bar.body["id"].as_str().unwrap().to_owned();
    let same = app
        .post("/api/v1/drawers", json!({ "name": " barra " }), &admin)
        .await;
    assert_eq!(same.code(), "drawer_name_taken");
    let by_waiter = app
        .post("/api/v1/drawers", json!({ "name": "Terraza" }), &waiter)
        .await;
    assert_eq!(by_waiter.status, StatusCode::FORBIDDEN);
    let listed = app.get("/api/v1/drawers", &viewer).await;
    let names: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["drawer"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Caja principal", "Barra"]);
    let viewer_opens = app
        .post(
            "/api/v1/drawer-sessions",
            json!({ "opening_float": 0 }),
            &viewer,
        )
        .await;
    assert_eq!(viewer_opens.status, StatusCode::FORBIDDEN);

    for (bad, status) in [
        (
            json!({ "opening_float": -1 }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({ "opening_float": "mucho" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (json!({}), StatusCode::UNPROCESSABLE_ENTITY),
        (
            json!({ "opening_float": 0, "drawer_id": uuid::Uuid::now_v7() }),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let reply = app
            .post("/api/v1/drawer-sessions", bad.clone(), &admin)
            .await;
        assert_eq!(reply.status, status, "{bad}: {:?}", reply.body);
    }

    let main = app
        .post(
            "/api/v1/drawer-sessions",
            json!({ "opening_float": 20000 }),
            &admin,
        )
        .await;
    let barra = app
        .post(
            "/api/v1/drawer-sessions",
            json!({ "opening_float": 5000, "drawer_id": bar_id }),
            &admin,
        )
        .await;
    assert_eq!(barra.status, StatusCode::CREATED, "{:?}", barra.body);
    let id = order(&app, &admin, &item, 2).await;
    let paid = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": id, "method": "cash", "amount": 25980, "drawer_id": bar_id }),
            &admin,
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
    let at_bar = app
        .get(
            &format!("/api/v1/drawer-sessions/current?drawer_id={bar_id}"),
            &admin,
        )
        .await;
    assert_eq!(at_bar.body["expected"], 30980);
    let at_main = app.get("/api/v1/drawer-sessions/current", &admin).await;
    assert_eq!(at_main.body["expected"], 20000);
    assert_eq!(at_main.body["id"], main.body["id"]);

    let unknown = app
        .get(
            &format!("/api/v1/drawer-sessions/{}", uuid::Uuid::now_v7()),
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let huge = app
        .post(
            &path(&main.body, "count"),
            json!({ "counts": { "coins_10": 100001 } }),
            &admin,
        )
        .await;
    assert_eq!(huge.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown_field = app
        .post(
            &path(&main.body, "count"),
            json!({ "counts": { "coins_5": 1 } }),
            &admin,
        )
        .await;
    assert_eq!(unknown_field.status, StatusCode::UNPROCESSABLE_ENTITY);
}
