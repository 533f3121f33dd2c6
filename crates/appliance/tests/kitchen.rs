//! Courses and firing, the kitchen screens, bump and recall, 86 from the screen, and the
//! preparation times, through the real router.

#![allow(clippy::unwrap_used)]

mod common;
mod kitchen_support;

use axum::http::StatusCode;
use common::TestApp;
use dysa_appliance::events::EventKind;
use kitchen_support::{seed_menu, table_order};
use serde_json::{Value, json};

fn fire_path(order: &Value) -> String {
    format!("/api/v1/orders/{}/fire", order["id"].as_str().unwrap())
}

#[tokio::test]
async fn lines_carry_their_course_and_seat() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let order = table_order(&app, &admin, &admin, &menu).await;
    let lines = order["lines"].as_array().unwrap();
    assert_eq!(lines[0]["course"], "drinks");
    assert_eq!(lines[0]["seat"], Value::Null);
    assert_eq!(lines[1]["course"], "mains");
    assert_eq!(lines[1]["seat"], 2);
    assert_eq!(lines[1]["station"], "kitchen");
    assert_eq!(lines[0]["station"], "bar");
    // Read back from the database, not just echoed.
    let again = app
        .get(
            &format!("/api/v1/orders/{}", order["id"].as_str().unwrap()),
            &admin,
        )
        .await;
    assert_eq!(again.body["lines"], order["lines"]);

    // Bad course and seat are field errors, and nothing is written.
    let bad = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "dine_in", "lines": [
                { "item_id": menu.pisco, "quantity": 1, "course": "sopa" },
            ]}),
            &admin,
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
    let bad = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "dine_in", "lines": [
                { "item_id": menu.pisco, "quantity": 1, "seat": 0 },
            ]}),
            &admin,
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn marchar_fires_one_course_once_per_station_and_esperar_holds_the_rest() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let menu = seed_menu(&app).await;
    let order = table_order(&app, &admin, &waiter, &menu).await;
    let mut events = app.state.events.subscribe();

    // Nothing is on the screens before a course is fired.
    let screen = app.get("/api/v1/kitchen/tickets", &waiter).await;
    assert_eq!(screen.status, StatusCode::OK);
    assert_eq!(screen.body["items"], json!([]));

    // Drinks: one ticket, to the bar, with both pisco sours.
    let fired = app
        .post(&fire_path(&order), json!({ "course": "drinks" }), &waiter)
        .await;
    assert_eq!(fired.status, StatusCode::CREATED, "{:?}", fired.body);
    let tickets = fired.body["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0]["station"], "bar");
    assert_eq!(tickets[0]["course"], "drinks");
    assert_eq!(tickets[0]["table_name"], "4");
    assert_eq!(tickets[0]["lines"][0]["name"], "Pisco sour");
    assert_eq!(tickets[0]["lines"][0]["quantity"], 2);
    let event = events.recv().await.unwrap();
    assert_eq!(event.kind, EventKind::KitchenUpdated);
    assert_eq!(event.data["station"], "bar");
    assert_eq!(event.data["action"], "fired");

    // The bar screen shows it; the kitchen's does not (mains are held: "Esperar").
    let bar = app
        .get("/api/v1/kitchen/tickets?station=bar", &waiter)
        .await;
    assert_eq!(bar.body["items"].as_array().unwrap().len(), 1);
    let kitchen = app
        .get("/api/v1/kitchen/tickets?station=kitchen", &waiter)
        .await;
    assert_eq!(kitchen.body["items"], json!([]));

    // A second Marchar of drinks has nothing left: 422, and no second ticket.
    let again = app
        .post(&fire_path(&order), json!({ "course": "drinks" }), &waiter)
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.code(), "nothing_to_fire");
    // So is a course nobody ordered, and the lines without a course (none here).
    let starters = app
        .post(&fire_path(&order), json!({ "course": "starters" }), &waiter)
        .await;
    assert_eq!(starters.status, StatusCode::UNPROCESSABLE_ENTITY);
    let no_course = app.post(&fire_path(&order), json!({}), &waiter).await;
    assert_eq!(no_course.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Mains: the kitchen gets both plates, with seats, modifier and note.
    let mains = app
        .post(&fire_path(&order), json!({ "course": "mains" }), &waiter)
        .await;
    assert_eq!(mains.status, StatusCode::CREATED, "{:?}", mains.body);
    let ticket = &mains.body["tickets"][0];
    assert_eq!(mains.body["tickets"].as_array().unwrap().len(), 1);
    assert_eq!(ticket["station"], "kitchen");
    let lines = ticket["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["name"], "Ñoquis con salsa de champiñones");
    assert_eq!(lines[0]["seat"], 2);
    assert_eq!(lines[0]["note"], "sin queso rallado, por favor");
    assert_eq!(lines[1]["modifiers"], json!(["Término: A punto"]));
    assert_eq!(ticket["order_note"], "Cumpleaños en la mesa");
    assert_eq!(ticket["waiter_name"], "Persona waiter");

    // Desserts still wait; three tickets exist in all (one per fire and station).
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM kitchen_ticket_lines")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(count, 3);
}

#[tokio::test]
async fn firing_refuses_bad_input_unknown_and_closed_orders() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let order = table_order(&app, &admin, &admin, &menu).await;

    let bad = app
        .post(&fire_path(&order), json!({ "course": "sopa" }), &admin)
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
    let unknown_field = app
        .post(
            &fire_path(&order),
            json!({ "course": "mains", "now": true }),
            &admin,
        )
        .await;
    assert_eq!(unknown_field.status, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = app
        .post(
            &format!("/api/v1/orders/{}/fire", uuid::Uuid::now_v7()),
            json!({ "course": "mains" }),
            &admin,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.code(), "not_found");
    let bad_station = app
        .get("/api/v1/kitchen/tickets?station=parrilla", &admin)
        .await;
    assert_eq!(bad_station.status, StatusCode::UNPROCESSABLE_ENTITY);

    let id = order["id"].as_str().unwrap();
    let cancel = app
        .post(
            &format!("/api/v1/orders/{id}/status"),
            json!({ "status": "cancelled", "reason": "se fueron" }),
            &admin,
        )
        .await;
    assert_eq!(cancel.status, StatusCode::OK, "{:?}", cancel.body);
    let closed = app
        .post(&fire_path(&order), json!({ "course": "mains" }), &admin)
        .await;
    assert_eq!(closed.status, StatusCode::CONFLICT);
    assert_eq!(closed.code(), "order_closed");
    let tickets: i64 = sqlx::query_scalar("SELECT count(*) FROM kitchen_tickets")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(tickets, 0);
}

#[tokio::test]
async fn a_voided_line_is_never_fired_and_a_line_voided_after_shows_on_the_ticket() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let order = table_order(&app, &admin, &admin, &menu).await;
    let id = order["id"].as_str().unwrap();
    let lines = order["lines"].as_array().unwrap();
    let leche = lines[3]["id"].as_str().unwrap();
    let noquis = lines[1]["id"].as_str().unwrap();
    let void = |line: String| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let reply = app
                .post(
                    &format!("/api/v1/orders/{id}/lines/{line}/void"),
                    json!({ "reason": "se arrepintió" }),
                    &admin,
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        }
    };
    void(leche.to_owned()).await;
    let desserts = app
        .post(&fire_path(&order), json!({ "course": "desserts" }), &admin)
        .await;
    assert_eq!(desserts.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mains = app
        .post(&fire_path(&order), json!({ "course": "mains" }), &admin)
        .await;
    assert_eq!(mains.status, StatusCode::CREATED);
    void(noquis.to_owned()).await;
    let screen = app
        .get("/api/v1/kitchen/tickets?station=kitchen", &admin)
        .await;
    let line = &screen.body["items"][0]["lines"][0];
    assert_eq!(line["line_id"], noquis);
    assert_eq!(line["voided"], true);
}

#[tokio::test]
async fn bump_lines_and_tickets_recall_the_last_and_time_the_kitchen() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let menu = seed_menu(&app).await;
    let order = table_order(&app, &admin, &admin, &menu).await;
    let mains = app
        .post(&fire_path(&order), json!({ "course": "mains" }), &admin)
        .await;
    let ticket = mains.body["tickets"][0].clone();
    let ticket_id = ticket["id"].as_str().unwrap();
    let first = ticket["lines"][0]["line_id"].as_str().unwrap();
    let second = ticket["lines"][1]["line_id"].as_str().unwrap();
    let line_path = |line: &str| format!("/api/v1/kitchen/tickets/{ticket_id}/lines/{line}/bump");

    // One plate ready: the ticket stays, that line is marked.
    let bumped = app.post(&line_path(first), Value::Null, &waiter).await;
    assert_eq!(bumped.status, StatusCode::OK, "{:?}", bumped.body);
    assert!(bumped.body["lines"][0]["bumped_at"].is_string());
    assert_eq!(bumped.body["bumped_at"], Value::Null);
    let twice = app.post(&line_path(first), Value::Null, &waiter).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let stranger = app
        .post(
            &line_path(&uuid::Uuid::now_v7().to_string()),
            Value::Null,
            &waiter,
        )
        .await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);

    // The last plate bumps the ticket off the screen.
    let done = app.post(&line_path(second), Value::Null, &waiter).await;
    assert!(done.body["bumped_at"].is_string(), "{:?}", done.body);
    let screen = app
        .get("/api/v1/kitchen/tickets?station=kitchen", &waiter)
        .await;
    assert_eq!(screen.body["items"], json!([]));
    let again = app
        .post(
            &format!("/api/v1/kitchen/tickets/{ticket_id}/bump"),
            Value::Null,
            &waiter,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "already_bumped");

    // Recall brings it back with the line bumped with it; the first line stays done.
    let recalled = app
        .post(
            "/api/v1/kitchen/recall",
            json!({ "station": "kitchen" }),
            &waiter,
        )
        .await;
    assert_eq!(recalled.status, StatusCode::OK, "{:?}", recalled.body);
    assert_eq!(recalled.body["id"], ticket_id);
    assert_eq!(recalled.body["bumped_at"], Value::Null);
    assert!(recalled.body["lines"][0]["bumped_at"].is_string());
    assert_eq!(recalled.body["lines"][1]["bumped_at"], Value::Null);
    let screen = app
        .get("/api/v1/kitchen/tickets?station=kitchen", &waiter)
        .await;
    assert_eq!(screen.body["items"].as_array().unwrap().len(), 1);

    // The whole ticket bumped at once.
    let whole = app
        .post(
            &format!("/api/v1/kitchen/tickets/{ticket_id}/bump"),
            Value::Null,
            &waiter,
        )
        .await;
    assert_eq!(whole.status, StatusCode::OK);
    let nothing = app
        .post(
            "/api/v1/kitchen/recall",
            json!({ "station": "bar" }),
            &waiter,
        )
        .await;
    assert_eq!(nothing.status, StatusCode::NOT_FOUND);
    let bad = app
        .post(
            "/api/v1/kitchen/recall",
            json!({ "station": "parrilla" }),
            &waiter,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = app
        .post(
            &format!("/api/v1/kitchen/tickets/{}/bump", uuid::Uuid::now_v7()),
            Value::Null,
            &waiter,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // Preparation times: both kitchen lines, a known average once the times are set.
    sqlx::query("UPDATE kitchen_tickets SET fired_at = '2026-03-02T15:00:00.000Z'")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    sqlx::query("UPDATE kitchen_ticket_lines SET bumped_at = CASE WHEN line_id = ? THEN '2026-03-02T15:10:00.000Z' ELSE '2026-03-02T15:20:00.000Z' END")
        .bind(first)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let prep = app
        .get(
            "/api/v1/kitchen/prep-times?from=2026-03-02&to=2026-03-02",
            &admin,
        )
        .await;
    assert_eq!(prep.status, StatusCode::OK, "{:?}", prep.body);
    assert_eq!(
        prep.body["stations"],
        json!([{ "station": "kitchen", "lines": 2, "average_seconds": 900 }])
    );
    let refused = app.get("/api/v1/kitchen/prep-times", &waiter).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let bad = app
        .get("/api/v1/kitchen/prep-times?from=ayer", &admin)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn eighty_six_from_the_screen_is_the_menu_availability_everyone_sees() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let menu = seed_menu(&app).await;
    let mut events = app.state.events.subscribe();
    let path = format!("/api/v1/menu/items/{}", menu.lomo);
    // A waiter on the kitchen screen cannot; a manager (the chef) can.
    let refused = app
        .patch(&path, json!({ "available": false }), &waiter)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let sold_out = app
        .patch(&path, json!({ "available": false }), &manager)
        .await;
    assert_eq!(sold_out.status, StatusCode::OK, "{:?}", sold_out.body);
    let event = events.recv().await.unwrap();
    assert_eq!(event.kind, EventKind::MenuUpdated);
    // The counter cannot sell it any more.
    let order = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "dine_in", "lines": [
                { "item_id": menu.lomo, "quantity": 1, "modifiers": [menu.a_punto] },
            ]}),
            &waiter,
        )
        .await;
    assert_eq!(
        order.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        order.body
    );
}

/// A counter order fires its course-less lines when placed, one ticket per station, with
/// its print job; the lines with a course still wait for their "Marchar".
#[tokio::test]
async fn a_counter_order_fires_itself_when_placed_with_its_print_job() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, cashier) = app.user_with_role(&admin, "waiter").await;
    let menu = seed_menu(&app).await;
    // A kitchen printer nobody answers: the job waits in the queue, never lost.
    let printer = app
        .post(
            "/api/v1/printers",
            json!({ "name": "Cocina", "role": "kitchen", "connection": "tcp",
                    "address": "127.0.0.1:9", "paper": "80" }),
            &admin,
        )
        .await;
    assert_eq!(printer.status, StatusCode::CREATED, "{:?}", printer.body);
    let mut events = app.state.events.subscribe();
    let placed = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "counter", "lines": [
                { "item_id": menu.pisco, "quantity": 1 },
                { "item_id": menu.noquis, "quantity": 1, "note": "para llevar" },
                { "item_id": menu.leche, "quantity": 1, "course": "desserts" },
            ]}),
            &cashier,
        )
        .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    assert_eq!(placed.body["status"], "pending");

    let screen = app.get("/api/v1/kitchen/tickets", &cashier).await;
    let tickets = screen.body["items"].as_array().unwrap();
    assert_eq!(tickets.len(), 2, "{tickets:?}");
    let bar = tickets.iter().find(|t| t["station"] == "bar").unwrap();
    let kitchen = tickets.iter().find(|t| t["station"] == "kitchen").unwrap();
    assert_eq!(bar["course"], Value::Null);
    assert_eq!(bar["lines"][0]["name"], "Pisco sour");
    assert_eq!(kitchen["lines"].as_array().unwrap().len(), 1);
    assert_eq!(kitchen["lines"][0]["note"], "para llevar");
    assert_eq!(kitchen["order_number"], placed.body["number"]);

    // Both screens heard of it.
    let mut stations = Vec::new();
    for _ in 0..2 {
        let event = events.recv().await.unwrap();
        if event.kind == EventKind::KitchenUpdated {
            assert_eq!(event.data["action"], "fired");
            stations.push(event.data["station"].as_str().unwrap().to_owned());
        }
    }
    stations.sort();
    assert_eq!(stations, ["bar", "kitchen"]);

    // The kitchen's ticket is in the print queue (the bar has no printer).
    let jobs: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM print_jobs WHERE kind = 'kitchen' AND reference = ?",
    )
    .bind(kitchen["id"].as_str().unwrap())
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(jobs, 1);
    let all_jobs: i64 = sqlx::query_scalar("SELECT count(*) FROM print_jobs")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(all_jobs, 1);

    // Nothing course-less is left to fire, and accepting the order sends nothing twice;
    // the dessert still waits for its Marchar.
    let again = app
        .post(&fire_path(&placed.body), json!({}), &cashier)
        .await;
    assert_eq!(again.code(), "nothing_to_fire");
    let status = format!(
        "/api/v1/orders/{}/status",
        placed.body["id"].as_str().unwrap()
    );
    let accepted = app
        .post(&status, json!({ "status": "confirmed" }), &admin)
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
    let lines: i64 = sqlx::query_scalar("SELECT count(*) FROM kitchen_ticket_lines")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(lines, 2);
    let desserts = app
        .post(
            &fire_path(&placed.body),
            json!({ "course": "desserts" }),
            &cashier,
        )
        .await;
    assert_eq!(desserts.status, StatusCode::CREATED, "{:?}", desserts.body);
}

/// Orders from the website, the chat and takeaway fire when the restaurant accepts them,
/// not before; a table's tab never fires by itself.
#[tokio::test]
async fn online_orders_fire_when_accepted_and_tables_wait_for_their_waiter() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM kitchen_ticket_lines")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap()
    };
    let status = |order: &Value| format!("/api/v1/orders/{}/status", order["id"].as_str().unwrap());
    let mut expected = 0;
    for (channel, to) in [
        ("widget", "confirmed"),
        ("chat", "preparing"),
        ("takeaway", "confirmed"),
    ] {
        let placed = app
            .post(
                "/api/v1/orders",
                json!({ "channel": channel, "lines": [
                    { "item_id": menu.noquis, "quantity": 2 },
                ]}),
                &admin,
            )
            .await;
        assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
        assert_eq!(count().await, expected, "{channel} fired before acceptance");
        let accepted = app
            .post(&status(&placed.body), json!({ "status": to }), &admin)
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
        expected += 1;
        assert_eq!(count().await, expected, "{channel} not fired on acceptance");
        // Going on to ready sends nothing again.
        let ready = app
            .post(&status(&placed.body), json!({ "status": "ready" }), &admin)
            .await;
        assert_eq!(ready.status, StatusCode::OK, "{:?}", ready.body);
        assert_eq!(count().await, expected);
    }

    // A rejected online order never reaches the kitchen.
    let refused = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "widget", "lines": [{ "item_id": menu.noquis, "quantity": 1 }] }),
            &admin,
        )
        .await;
    let cancelled = app
        .post(
            &status(&refused.body),
            json!({ "status": "cancelled", "reason": "sin stock" }),
            &admin,
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{:?}", cancelled.body);
    assert_eq!(count().await, expected);

    // A table's course-less lines wait for Marchar, even once accepted.
    let table = kitchen_support::table(&app, &admin, "7").await;
    let tab = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "dine_in", "table_id": table, "lines": [
                { "item_id": menu.pisco, "quantity": 2 },
            ]}),
            &admin,
        )
        .await;
    assert_eq!(tab.status, StatusCode::CREATED, "{:?}", tab.body);
    let accepted = app
        .post(&status(&tab.body), json!({ "status": "confirmed" }), &admin)
        .await;
    assert_eq!(accepted.status, StatusCode::OK);
    assert_eq!(count().await, expected);
    let fired = app.post(&fire_path(&tab.body), json!({}), &admin).await;
    assert_eq!(fired.status, StatusCode::CREATED, "{:?}", fired.body);
}

/// A restaurant without a kitchen screen turns auto-fire off: orders stay off the
/// screens and the printers until someone fires them.
#[tokio::test]
async fn auto_fire_off_leaves_every_order_to_marchar() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let menu = seed_menu(&app).await;
    let defaults = app.get("/api/v1/settings", &admin).await;
    assert_eq!(defaults.body["kitchen_auto_fire"], true);
    // Only those who may change settings switch it.
    let refused = app
        .patch(
            "/api/v1/settings",
            json!({ "kitchen_auto_fire": false }),
            &waiter,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let off = app
        .patch(
            "/api/v1/settings",
            json!({ "kitchen_auto_fire": false }),
            &admin,
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{:?}", off.body);
    assert_eq!(off.body["kitchen_auto_fire"], false);
    let bad = app
        .patch(
            "/api/v1/settings",
            json!({ "kitchen_auto_fire": "sí" }),
            &admin,
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );

    for channel in ["counter", "widget"] {
        let placed = app
            .post(
                "/api/v1/orders",
                json!({ "channel": channel, "lines": [{ "item_id": menu.noquis, "quantity": 1 }] }),
                &admin,
            )
            .await;
        assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
        let accepted = app
            .post(
                &format!(
                    "/api/v1/orders/{}/status",
                    placed.body["id"].as_str().unwrap()
                ),
                json!({ "status": "confirmed" }),
                &admin,
            )
            .await;
        assert_eq!(accepted.status, StatusCode::OK);
        let screen = app.get("/api/v1/kitchen/tickets", &admin).await;
        assert_eq!(screen.body["items"], json!([]), "{channel}");
        // Marchar still works by hand.
        let fired = app.post(&fire_path(&placed.body), json!({}), &admin).await;
        assert_eq!(fired.status, StatusCode::CREATED, "{:?}", fired.body);
        let cleared = app
            .post(
                &format!(
                    "/api/v1/kitchen/tickets/{}/bump",
                    fired.body["tickets"][0]["id"].as_str().unwrap()
                ),
                json!({}),
                &admin,
            )
            .await;
        assert_eq!(cleared.status, StatusCode::OK, "{:?}", cleared.body);
    }
}
