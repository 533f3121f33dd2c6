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

async fn open(app: &TestApp, table: &str, covers: u16, token: &str) -> String {
    let opened = app
        .post(&open_path(table), json!({ "covers": covers }), token)
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
    opened.body["id"].as_str().unwrap().to_owned()
}

async fn round(app: &TestApp, tab: &str, lines: Value, token: &str) -> Value {
    let added = app
        .post(
            &format!("/api/v1/orders/{tab}/lines"),
            json!({ "lines": lines }),
            token,
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{:?}", added.body);
    added.body
}

fn move_path(tab: &str) -> String {
    format!("/api/v1/orders/{tab}/move")
}

#[tokio::test]
async fn a_tab_moves_to_a_free_table_and_merges_into_an_occupied_one_keeping_its_kitchen_state() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (waiter_id, waiter) = app.user_with_role(&admin, "waiter").await;
    let menu = seed_menu(&app).await;
    let four = table(&app, &admin, "4").await;
    let five = table(&app, &admin, "5").await;
    let six = table(&app, &admin, "6").await;

    // Table 4 (2 covers): two pisco sours fired and bumped by the bar, a lomo for seat 1
    // with its modifier and a note, waiting for the mains.
    let tab = open(&app, &four, 2, &waiter).await;
    let lines = round(
        &app,
        &tab,
        json!([
            { "item_id": menu.pisco, "quantity": 2, "course": "drinks", "seat": 2 },
            { "item_id": menu.lomo, "quantity": 1, "course": "mains", "seat": 1,
              "modifiers": [menu.a_punto], "note": "bien cocido" },
        ]),
        &waiter,
    )
    .await;
    let fired = app
        .post(
            &format!("/api/v1/orders/{tab}/fire"),
            json!({ "course": "drinks" }),
            &waiter,
        )
        .await;
    assert_eq!(fired.status, StatusCode::CREATED, "{:?}", fired.body);
    let ticket = fired.body["tickets"][0]["id"].as_str().unwrap().to_owned();
    let bumped = app
        .post(
            &format!("/api/v1/kitchen/tickets/{ticket}/bump"),
            json!({}),
            &waiter,
        )
        .await;
    assert!(bumped.status.is_success(), "{:?}", bumped.body);

    // They move to table 5 (free): the same tab, now at 5; table 4 waits to be cleaned.
    let moved = app
        .post(&move_path(&tab), json!({ "table_id": five }), &waiter)
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    assert_eq!(moved.body["id"], tab.as_str());
    assert_eq!(moved.body["table_id"], five.as_str());
    assert_eq!(moved.body["lines"], lines["lines"]);
    let left = app.get(&format!("/api/v1/tables/{four}"), &waiter).await;
    assert_eq!(left.body["state"], "to_clean");
    let now_at = app.get(&format!("/api/v1/tables/{five}"), &waiter).await;
    assert_eq!(now_at.body["state"], "occupied");
    assert_eq!(now_at.body["tab"]["order_id"], tab.as_str());

    // Table 6 (3 covers) has its own round; a move onto it without merge is refused and
    // writes nothing.
    let other = open(&app, &six, 3, &admin).await;
    round(
        &app,
        &other,
        json!([{ "item_id": menu.noquis, "quantity": 1, "course": "mains" }]),
        &admin,
    )
    .await;
    let outbox_before = dysa_appliance::store::outbox::pending(&app.state.db.read, 10_000)
        .await
        .unwrap()
        .len();
    let refused = app
        .post(&move_path(&tab), json!({ "table_id": six }), &waiter)
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.code(), "table_occupied");
    assert_eq!(refused.body["error"]["details"]["order_id"], other.as_str());
    let outbox_after = dysa_appliance::store::outbox::pending(&app.state.db.read, 10_000)
        .await
        .unwrap()
        .len();
    assert_eq!(outbox_before, outbox_after, "a refused move writes nothing");

    // Merged: table 6's tab carries both tabs' lines, covers 2 + 3, the total of both.
    let merged = app
        .post(
            &move_path(&tab),
            json!({ "table_id": six, "merge": true }),
            &waiter,
        )
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
    assert_eq!(merged.body["id"], other.as_str());
    assert_eq!(merged.body["covers"], 5);
    assert_eq!(merged.body["total"], 2 * 4990 + 12990 + 8990);
    let carried: Vec<&Value> = merged.body["lines"].as_array().unwrap()[1..]
        .iter()
        .collect();
    assert_eq!(carried.len(), 2);
    for (copy, original) in carried.iter().zip(lines["lines"].as_array().unwrap()) {
        assert_ne!(copy["id"], original["id"], "a carried line is a new line");
        for field in [
            "item_id",
            "name",
            "quantity",
            "unit_price",
            "line_total",
            "modifiers",
            "note",
            "station",
            "course",
            "seat",
        ] {
            assert_eq!(
                copy[field], original[field],
                "{field} travels with the line"
            );
        }
        assert_eq!(copy["voided"], false);
    }
    // The moved tab: every line voided with where it went, then cancelled; table 5
    // waits to be cleaned, table 6 shows one tab.
    let closed = app.get(&format!("/api/v1/orders/{tab}"), &waiter).await;
    assert_eq!(closed.body["status"], "cancelled");
    assert_eq!(closed.body["total"], 0);
    assert_eq!(closed.body["cancel_reason"], "unida a la mesa 6");
    for line in closed.body["lines"].as_array().unwrap() {
        assert_eq!(line["voided"], true);
        assert_eq!(line["void_reason"], "trasladada a la mesa 6");
    }
    let five_now = app.get(&format!("/api/v1/tables/{five}"), &waiter).await;
    assert_eq!(five_now.body["state"], "to_clean");
    let six_now = app.get(&format!("/api/v1/tables/{six}"), &waiter).await;
    assert_eq!(six_now.body["tab"]["order_id"], other.as_str());
    assert_eq!(six_now.body["tab"]["covers"], 5);

    // Who: the void and the add are both recorded with the waiter, and travel to the cloud.
    let rows = dysa_appliance::store::outbox::pending(&app.state.db.read, 10_000)
        .await
        .unwrap();
    let line_rows: Vec<Value> = rows
        .iter()
        .filter(|r| r.entity == "order_line")
        .map(|r| serde_json::from_str(&r.payload).unwrap())
        .collect();
    for original in lines["lines"].as_array().unwrap() {
        assert!(line_rows.iter().any(|r| r["line"]["id"] == original["id"]
            && r["voided_by"] == waiter_id.as_str()
            && r["line"]["voided"] == true));
    }
    for copy in &carried {
        assert!(line_rows.iter().any(|r| r["line"]["id"] == copy["id"]
            && r["created_by"] == waiter_id.as_str()
            && r["order_id"] == other.as_str()));
    }

    // The drinks were fired at table 4: "Marchar" drinks at table 6 has nothing to send,
    // and the bumped ticket stays bumped (it is not back on the bar's screen).
    let again = app
        .post(
            &format!("/api/v1/orders/{other}/fire"),
            json!({ "course": "drinks" }),
            &waiter,
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        again.body
    );
    assert_eq!(again.code(), "nothing_to_fire");
    let bar = app
        .get("/api/v1/kitchen/tickets?station=bar", &waiter)
        .await;
    assert_eq!(bar.body["items"], json!([]));
    // The mains were not fired: both tabs' mains go now, on one ticket for table 6, the
    // carried lomo with its note and modifier.
    let mains = app
        .post(
            &format!("/api/v1/orders/{other}/fire"),
            json!({ "course": "mains" }),
            &waiter,
        )
        .await;
    assert_eq!(mains.status, StatusCode::CREATED, "{:?}", mains.body);
    let ticket = &mains.body["tickets"][0];
    assert_eq!(ticket["table_name"], "6");
    let names: Vec<&str> = ticket["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Ñoquis con salsa de champiñones", "Lomo a lo pobre"]
    );
    assert_eq!(ticket["lines"][1]["note"], "bien cocido");
    assert_eq!(ticket["lines"][1]["modifiers"], json!(["Término: A punto"]));
    assert_eq!(ticket["lines"][1]["seat"], 1);
}

#[tokio::test]
async fn a_fired_line_not_yet_bumped_moves_with_its_ticket() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let four = table(&app, &admin, "4").await;
    let six = table(&app, &admin, "6").await;
    let tab = open(&app, &four, 2, &admin).await;
    round(
        &app,
        &tab,
        json!([{ "item_id": menu.pisco, "quantity": 1, "course": "drinks" }]),
        &admin,
    )
    .await;
    let fired = app
        .post(
            &format!("/api/v1/orders/{tab}/fire"),
            json!({ "course": "drinks" }),
            &admin,
        )
        .await;
    assert_eq!(fired.status, StatusCode::CREATED);
    let other = open(&app, &six, 1, &admin).await;
    let merged = app
        .post(
            &move_path(&tab),
            json!({ "table_id": six, "merge": true }),
            &admin,
        )
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
    // Still on the bar's screen, once, live, under table 6 and its copy of the line.
    let bar = app.get("/api/v1/kitchen/tickets?station=bar", &admin).await;
    let items = bar.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["order_id"], other.as_str());
    assert_eq!(items[0]["table_name"], "6");
    assert_eq!(items[0]["lines"].as_array().unwrap().len(), 1);
    assert_eq!(
        items[0]["lines"][0]["line_id"],
        merged.body["lines"][0]["id"]
    );
    assert_eq!(items[0]["lines"][0]["voided"], false);
}

#[tokio::test]
async fn moving_refuses_bad_input_paid_tabs_closed_orders_and_roles_that_may_not() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let four = table(&app, &admin, "4").await;
    let five = table(&app, &admin, "5").await;
    let tab = open(&app, &four, 2, &admin).await;
    for body in [
        json!({}),
        json!({ "table_id": "cinco" }),
        json!({ "table_id": five, "merge": "sí" }),
        json!({ "table_id": five, "mesa": 5 }),
    ] {
        let bad = app.post(&move_path(&tab), body.clone(), &admin).await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            bad.body
        );
    }
    let same = app
        .post(&move_path(&tab), json!({ "table_id": four }), &admin)
        .await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(same.body["error"]["fields"]["table_id"].is_string());
    let nobody = app
        .post(
            &move_path(&tab),
            json!({ "table_id": five, "merge": true }),
            &admin,
        )
        .await;
    assert_eq!(nobody.status, StatusCode::CONFLICT);
    assert_eq!(nobody.code(), "nothing_to_merge");
    let nowhere = app
        .post(
            &move_path(&tab),
            json!({ "table_id": uuid::Uuid::now_v7() }),
            &admin,
        )
        .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    let no_tab = app
        .post(
            &move_path(&uuid::Uuid::now_v7().to_string()),
            json!({ "table_id": five }),
            &admin,
        )
        .await;
    assert_eq!(no_tab.status, StatusCode::NOT_FOUND);

    // A counter order is not a table's tab.
    let counter = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "counter", "lines": [{ "item_id": menu.pisco, "quantity": 1 }] }),
            &admin,
        )
        .await;
    let counter = counter.body["id"].as_str().unwrap();
    let not_tab = app
        .post(&move_path(counter), json!({ "table_id": five }), &admin)
        .await;
    assert_eq!(not_tab.status, StatusCode::CONFLICT);
    assert_eq!(not_tab.code(), "not_a_tab");

    // A tab with a payment changes table but does not merge.
    round(
        &app,
        &tab,
        json!([{ "item_id": menu.pisco, "quantity": 1 }]),
        &admin,
    )
    .await;
    let paid = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": tab, "method": "debit", "amount": 1000 }),
            &admin,
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
    let other = open(&app, &five, 2, &admin).await;
    let refused = app
        .post(
            &move_path(&tab),
            json!({ "table_id": five, "merge": true }),
            &admin,
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.code(), "tab_has_payments");

    // Who may: waiters and managers move tabs; a viewer does not.
    let (_, viewer) = app.user_with_role(&admin, "viewer").await;
    let six = table(&app, &admin, "6").await;
    let refused = app
        .post(&move_path(&other), json!({ "table_id": six }), &viewer)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut at = six.clone();
    for role in ["waiter", "manager", "admin"] {
        let (_, token) = app.user_with_role(&admin, role).await;
        let next = table(&app, &admin, &format!("m-{role}")).await;
        let moved = app
            .post(&move_path(&other), json!({ "table_id": next }), &token)
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{role}: {:?}", moved.body);
        at = next;
    }
    assert_eq!(
        app.get(&format!("/api/v1/orders/{other}"), &admin)
            .await
            .body["table_id"],
        at.as_str()
    );

    // A closed tab moves nowhere.
    app.post(
        &format!("/api/v1/orders/{other}/status"),
        json!({ "status": "cancelled", "reason": "se fueron" }),
        &admin,
    )
    .await;
    let closed = app
        .post(&move_path(&other), json!({ "table_id": six }), &admin)
        .await;
    assert_eq!(closed.status, StatusCode::CONFLICT);
    assert_eq!(closed.code(), "order_closed");
}

async fn keyed_post(
    app: &TestApp,
    path: &str,
    body: &Value,
    token: &str,
    key: &str,
) -> common::Reply {
    let request = axum::http::Request::post(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

#[tokio::test]
async fn a_retried_open_or_round_with_its_key_never_doubles() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let menu = seed_menu(&app).await;
    let four = table(&app, &admin, "4").await;
    let five = table(&app, &admin, "5").await;

    // The phone opens table 4, the answer is lost, it sends again with the same key: the
    // same tab, said to be a replay.
    let open = json!({ "covers": 3 });
    let first = keyed_post(&app, &open_path(&four), &open, &waiter, "mesa-4-a").await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    let again = keyed_post(&app, &open_path(&four), &open, &waiter, "mesa-4-a").await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);
    assert_eq!(again.headers["idempotency-replayed"], "true");
    assert_eq!(again.body["id"], first.body["id"]);
    assert!(first.headers.get("idempotency-replayed").is_none());
    // The same key for another request is refused; another table with it too.
    let other = keyed_post(
        &app,
        &open_path(&four),
        &json!({ "covers": 2 }),
        &waiter,
        "mesa-4-a",
    )
    .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.code(), "idempotency_key_reused");
    let elsewhere = keyed_post(&app, &open_path(&five), &open, &waiter, "mesa-4-a").await;
    assert_eq!(elsewhere.code(), "idempotency_key_reused");
    // Without a key a second open is still table_occupied.
    let plain = app.post(&open_path(&four), open.clone(), &waiter).await;
    assert_eq!(plain.code(), "table_occupied");

    // A round sent twice with its key is added once; a new key adds a new round.
    let tab = first.body["id"].as_str().unwrap();
    let lines_path = format!("/api/v1/orders/{tab}/lines");
    let round = json!({ "lines": [{ "item_id": menu.pisco, "quantity": 2, "course": "drinks" }] });
    let sent = keyed_post(&app, &lines_path, &round, &waiter, "ronda-1").await;
    assert_eq!(sent.status, StatusCode::OK, "{:?}", sent.body);
    assert_eq!(sent.body["lines"].as_array().unwrap().len(), 1);
    let mut retries = Vec::new();
    for _ in 0..4 {
        retries.push(keyed_post(&app, &lines_path, &round, &waiter, "ronda-1"));
    }
    for retry in futures::future::join_all(retries).await {
        assert_eq!(retry.status, StatusCode::OK, "{:?}", retry.body);
        assert_eq!(retry.headers["idempotency-replayed"], "true");
        assert_eq!(retry.body["lines"].as_array().unwrap().len(), 1);
    }
    let next = keyed_post(&app, &lines_path, &round, &waiter, "ronda-2").await;
    assert_eq!(next.body["lines"].as_array().unwrap().len(), 2);
    assert_eq!(next.body["total"], 4 * 4990);
    let reused = keyed_post(
        &app,
        &lines_path,
        &json!({ "lines": [{ "item_id": menu.pisco, "quantity": 1 }] }),
        &waiter,
        "ronda-2",
    )
    .await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reused.code(), "idempotency_key_reused");
}

fn line_ids(order: &Value) -> Vec<String> {
    order["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_tab_splits_by_seat_or_chosen_lines_and_each_bill_is_paid_on_its_own() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (waiter_id, waiter) = app.user_with_role(&admin, "waiter").await;
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let menu = seed_menu(&app).await;
    let four = table(&app, &admin, "4").await;
    let tab = open(&app, &four, 3, &waiter).await;
    // Seat 1: pisco + lomo; seat 2: pisco + ñoquis; shared: leche asada.
    let order = round(
        &app,
        &tab,
        json!([
            { "item_id": menu.pisco, "quantity": 1, "seat": 1, "course": "drinks" },
            { "item_id": menu.pisco, "quantity": 1, "seat": 2, "course": "drinks" },
            { "item_id": menu.lomo, "quantity": 1, "seat": 1, "modifiers": [menu.a_punto] },
            { "item_id": menu.noquis, "quantity": 1, "seat": 2 },
            { "item_id": menu.leche, "quantity": 1 },
        ]),
        &waiter,
    )
    .await;
    let ids = line_ids(&order);
    let total = 4990 * 2 + 12990 + 8990 + 3490;
    assert_eq!(order["total"], total);

    // Unsplit: one bill with everything.
    let bills = app
        .get(&format!("/api/v1/orders/{tab}/bills"), &waiter)
        .await;
    assert_eq!(bills.status, StatusCode::OK, "{:?}", bills.body);
    assert_eq!(bills.body["bills"].as_array().unwrap().len(), 1);
    assert_eq!(bills.body["bills"][0]["amount_due"], total);

    // By seat: the shared dessert is bill 1, seat 1 bill 2, seat 2 bill 3.
    let split_path = format!("/api/v1/orders/{tab}/split");
    let split = app
        .post(&split_path, json!({ "by_seat": true }), &waiter)
        .await;
    assert_eq!(split.status, StatusCode::OK, "{:?}", split.body);
    let bills = split.body["bills"].as_array().unwrap();
    let summary: Vec<(i64, i64, usize)> = bills
        .iter()
        .map(|b| {
            (
                b["number"].as_i64().unwrap(),
                b["amount_due"].as_i64().unwrap(),
                b["lines"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [(1, 3490, 1), (2, 4990 + 12990, 2), (3, 4990 + 8990, 2)]
    );
    assert_eq!(summary.iter().map(|s| s.1).sum::<i64>(), total);

    // Seat 1 pays by card: its bill only, with its lines on the payment.
    let card = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": tab, "method": "credit", "amount": 4990 + 12990, "bill": 2 }),
            &admin,
        )
        .await;
    assert_eq!(card.status, StatusCode::CREATED, "{:?}", card.body);
    assert_eq!(card.body["payment"]["bill"], 2);
    assert_eq!(card.body["payment"]["bill_lines"], json!([ids[0], ids[2]]));
    assert_eq!(card.body["order"]["payment"]["state"], "partially_paid");
    // More than a bill owes, by card, is refused.
    let over = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": tab, "method": "debit", "amount": 4990 + 8990 + 1, "bill": 3 }),
            &admin,
        )
        .await;
    assert_eq!(
        over.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        over.body
    );
    assert_eq!(over.code(), "overpayment");
    let paid_twice = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": tab, "method": "debit", "amount": 1000, "bill": 2 }),
            &admin,
        )
        .await;
    assert_eq!(paid_twice.code(), "nothing_due");
    let no_bill = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": tab, "method": "debit", "amount": 1000, "bill": 9 }),
            &admin,
        )
        .await;
    assert_eq!(no_bill.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_bill.body["error"]["fields"]["bill"].is_string());

    // A paid line never moves again, by seat or by hand; nothing is written.
    let again = app
        .post(&split_path, json!({ "by_seat": true }), &waiter)
        .await;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "by seat again changes nothing: {:?}",
        again.body
    );
    let paid_line = app
        .post(&split_path, json!({ "bills": [[ids[2]]] }), &waiter)
        .await;
    assert_eq!(
        paid_line.status,
        StatusCode::CONFLICT,
        "{:?}",
        paid_line.body
    );
    assert_eq!(paid_line.code(), "line_paid");
    assert_eq!(
        paid_line.body["error"]["details"]["line_id"],
        ids[2].as_str()
    );

    // Cobro parcial: seat 2's ñoquis alone into a new bill, paid in cash with change.
    let opened = app
        .post(
            "/api/v1/drawer-sessions",
            json!({ "opening_float": 20000 }),
            &admin,
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
    let chosen = app
        .post(&split_path, json!({ "bills": [[ids[3]]] }), &waiter)
        .await;
    assert_eq!(chosen.status, StatusCode::OK, "{:?}", chosen.body);
    let new_bill = chosen.body["bills"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["lines"] == json!([ids[3]]))
        .unwrap()
        .clone();
    assert_eq!(new_bill["number"], 4);
    let cash = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": tab, "method": "cash", "amount": 8990, "received": 10000, "bill": 4 }),
            &admin,
        )
        .await;
    assert_eq!(cash.status, StatusCode::CREATED, "{:?}", cash.body);
    assert_eq!(cash.body["payment"]["change"], 1010);

    // The rest (dessert, seat 2's pisco) in one payment each; the tab is paid and the
    // bills still add up to it.
    for (bill, amount) in [(1, 3490), (3, 4990)] {
        let paid = app
            .post(
                "/api/v1/payments",
                json!({ "order_id": tab, "method": "debit", "amount": amount, "bill": bill }),
                &admin,
            )
            .await;
        assert_eq!(
            paid.status,
            StatusCode::CREATED,
            "bill {bill}: {:?}",
            paid.body
        );
    }
    let bills = app
        .get(&format!("/api/v1/orders/{tab}/bills"), &waiter)
        .await;
    let bills = bills.body["bills"].as_array().unwrap();
    assert_eq!(bills.len(), 4);
    assert!(
        bills.iter().all(|b| b["payment"]["state"] == "paid"),
        "{bills:?}"
    );
    assert_eq!(
        bills
            .iter()
            .map(|b| b["amount_due"].as_i64().unwrap())
            .sum::<i64>(),
        total
    );
    let order = app.get(&format!("/api/v1/orders/{tab}"), &waiter).await;
    assert_eq!(order.body["payment"]["state"], "paid");

    // The payments carry their bills to the cloud.
    let rows = dysa_appliance::store::outbox::pending(&app.state.db.read, 10_000)
        .await
        .unwrap();
    let bills_synced: Vec<Value> = rows
        .iter()
        .filter(|r| r.entity == "payment")
        .map(|r| serde_json::from_str::<Value>(&r.payload).unwrap()["bill"].clone())
        .collect();
    assert_eq!(bills_synced, [json!(2), json!(4), json!(1), json!(3)]);
    let _ = (waiter_id, manager);
}

#[tokio::test]
async fn splitting_refuses_bad_input_closed_tabs_and_roles_that_may_not() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let four = table(&app, &admin, "4").await;
    let tab = open(&app, &four, 2, &admin).await;
    let order = round(
        &app,
        &tab,
        json!([
            { "item_id": menu.pisco, "quantity": 1 },
            { "item_id": menu.leche, "quantity": 1 },
        ]),
        &admin,
    )
    .await;
    let ids = line_ids(&order);
    let voided = app
        .post(
            &format!("/api/v1/orders/{tab}/lines/{}/void", ids[1]),
            json!({ "reason": "se equivocó" }),
            &admin,
        )
        .await;
    assert_eq!(voided.status, StatusCode::OK);
    let split_path = format!("/api/v1/orders/{tab}/split");
    for body in [
        json!({}),
        json!({ "bills": [] }),
        json!({ "bills": [[]] }),
        json!({ "bills": [[uuid::Uuid::now_v7()]] }),
        json!({ "bills": [[ids[1]]] }),
        json!({ "bills": [[ids[0]], [ids[0]]] }),
        json!({ "bills": [[ids[0]]], "by_seat": true }),
        json!({ "bills": "todas" }),
        json!({ "by_seat": true, "por": "asiento" }),
    ] {
        let bad = app.post(&split_path, body.clone(), &admin).await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            bad.body
        );
    }
    let unknown = app
        .post(
            &format!("/api/v1/orders/{}/split", uuid::Uuid::now_v7()),
            json!({ "by_seat": true }),
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let unknown = app
        .get(
            &format!("/api/v1/orders/{}/bills", uuid::Uuid::now_v7()),
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // Who may: waiters and managers split, a viewer only looks.
    let (_, viewer) = app.user_with_role(&admin, "viewer").await;
    let refused = app
        .post(&split_path, json!({ "by_seat": true }), &viewer)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let looked = app
        .get(&format!("/api/v1/orders/{tab}/bills"), &viewer)
        .await;
    assert_eq!(looked.status, StatusCode::OK);
    for role in ["waiter", "manager", "admin"] {
        let (_, token) = app.user_with_role(&admin, role).await;
        let split = app
            .post(&split_path, json!({ "by_seat": true }), &token)
            .await;
        assert_eq!(split.status, StatusCode::OK, "{role}: {:?}", split.body);
    }
    // Paying a bill needs payments:write: a waiter may not.
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let refused = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": tab, "method": "debit", "amount": 4990, "bill": 1 }),
            &waiter,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // A closed tab splits no more.
    app.post(
        &format!("/api/v1/orders/{tab}/status"),
        json!({ "status": "cancelled", "reason": "se fueron" }),
        &admin,
    )
    .await;
    let closed = app
        .post(&split_path, json!({ "by_seat": true }), &admin)
        .await;
    assert_eq!(closed.status, StatusCode::CONFLICT);
    assert_eq!(closed.code(), "order_closed");
}

/// The waiter picker: whoever opens tables sees the staff who can serve one (active, a
/// role that takes orders), and a tab can be named only for one of them.
#[tokio::test]
async fn the_waiter_picker_lists_staff_who_serve_and_a_tab_takes_only_them() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let four = table(&app, &admin, "4").await;
    let (waiter_id, waiter) = app.user_with_role(&admin, "waiter").await;
    let (manager_id, _) = app.user_with_role(&admin, "manager").await;
    let (viewer_id, viewer) = app.user_with_role(&admin, "viewer").await;
    let (gone_id, _) = app.user_with_role(&admin, "waiter").await;
    let off = app
        .patch(
            &format!("/api/v1/users/{gone_id}"),
            json!({ "active": false }),
            &admin,
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{:?}", off.body);

    let listed = app.get("/api/v1/waiters", &waiter).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    let ids: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&waiter_id.as_str()), "{ids:?}");
    assert!(ids.contains(&manager_id.as_str()), "{ids:?}");
    assert!(
        !ids.contains(&viewer_id.as_str()),
        "a viewer serves no table"
    );
    assert!(
        !ids.contains(&gone_id.as_str()),
        "an inactive account serves no table"
    );
    assert_eq!(
        ids.len(),
        3,
        "admin, manager and the active waiter: {ids:?}"
    );
    assert!(
        listed
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w.get("email").is_none())
    );
    // Viewers do not open tables, so they get no list either.
    assert_eq!(
        app.get("/api/v1/waiters", &viewer).await.status,
        StatusCode::FORBIDDEN
    );

    for refused in [viewer_id, gone_id] {
        let bad = app
            .post(
                &open_path(&four),
                json!({ "covers": 2, "waiter_id": refused }),
                &waiter,
            )
            .await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            bad.body
        );
        assert!(bad.body["error"]["fields"]["waiter_id"].is_string());
    }
    let opened = app
        .post(
            &open_path(&four),
            json!({ "covers": 2, "waiter_id": manager_id }),
            &waiter,
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
    assert_eq!(opened.body["waiter_id"], manager_id.as_str());
    assert_eq!(opened.body["created_by"], waiter_id.as_str());
}

/// The tab sheet's marks: a line in no ticket waits, a fired one carries its ticket's
/// time, a bumped one is ready; any reader of orders may look, an unknown order is 404.
#[tokio::test]
async fn an_orders_kitchen_tickets_say_which_lines_wait_are_fired_or_ready() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let (_, viewer) = app.user_with_role(&admin, "viewer").await;
    let menu = seed_menu(&app).await;
    let four = table(&app, &admin, "4").await;
    let opened = app
        .post(&open_path(&four), json!({ "covers": 2 }), &waiter)
        .await;
    let tab = opened.body["id"].as_str().unwrap().to_owned();
    let tickets_path = format!("/api/v1/orders/{tab}/kitchen-tickets");
    let none = app.get(&tickets_path, &waiter).await;
    assert_eq!(none.status, StatusCode::OK, "{:?}", none.body);
    assert_eq!(none.body["items"], json!([]));

    let round = app
        .post(
            &format!("/api/v1/orders/{tab}/lines"),
            json!({ "lines": [
                { "item_id": menu.pisco, "quantity": 2, "course": "drinks" },
                { "item_id": menu.noquis, "quantity": 1, "course": "mains" },
            ] }),
            &waiter,
        )
        .await;
    assert_eq!(round.status, StatusCode::OK, "{:?}", round.body);
    let line_of = |name: &str| {
        round.body["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["name"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (pisco, noquis) = (
        line_of("Pisco sour"),
        line_of("Ñoquis con salsa de champiñones"),
    );
    let fired = app
        .post(
            &format!("/api/v1/orders/{tab}/fire"),
            json!({ "course": "drinks" }),
            &waiter,
        )
        .await;
    assert_eq!(fired.status, StatusCode::CREATED, "{:?}", fired.body);

    let seen = app.get(&tickets_path, &viewer).await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    let items = seen.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["fired_at"], fired.body["tickets"][0]["fired_at"]);
    assert!(items[0]["bumped_at"].is_null());
    let in_tickets: Vec<&str> = items
        .iter()
        .flat_map(|t| t["lines"].as_array().unwrap())
        .map(|l| l["line_id"].as_str().unwrap())
        .collect();
    assert_eq!(in_tickets, [pisco.as_str()], "the ñoquis still wait");
    assert!(!in_tickets.contains(&noquis.as_str()));

    // The bar bumps it: it stays in the order's tickets, now ready.
    let ticket = items[0]["id"].as_str().unwrap();
    let bumped = app
        .post(
            &format!("/api/v1/kitchen/tickets/{ticket}/bump"),
            Value::Null,
            &waiter,
        )
        .await;
    assert_eq!(bumped.status, StatusCode::OK, "{:?}", bumped.body);
    let after = app.get(&tickets_path, &waiter).await;
    assert!(
        after.body["items"][0]["bumped_at"].is_string(),
        "{:?}",
        after.body
    );

    let unknown = app
        .get(
            &format!("/api/v1/orders/{}/kitchen-tickets", uuid::Uuid::now_v7()),
            &waiter,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bad = app
        .get("/api/v1/orders/cuatro/kitchen-tickets", &waiter)
        .await;
    assert!(bad.status.is_client_error(), "{:?}", bad.status);
}
