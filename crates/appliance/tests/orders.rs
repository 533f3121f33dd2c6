//! Orders and payments through the real router: pricing by the server, idempotency,
//! the status machine, lines, split bills, cash rounding, refunds, reports, live events.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Request, StatusCode};
use common::TestApp;
use common::menu::{MenuSeed, SeedItem};
use serde_json::{Value, json};

/// A small menu written straight to the tables (the menu API has its own tests).
struct Menu {
    pastel: String,
    pebre: String,
    bebida: String,
    agotado: String,
    grande: String,
    chica: String,
}

async fn seed_menu(app: &TestApp) -> Menu {
    let menu = MenuSeed::category(app, "Platos").await;
    let (group, options) = menu
        .group("Tamaño", &[("Chica", 0), ("Grande", 1500)])
        .await;
    Menu {
        pastel: menu.item(SeedItem::new("Pastel de choclo", 10990)).await,
        pebre: menu.item(SeedItem::new("Pebre con sopaipas", 2995)).await,
        bebida: menu
            .item(SeedItem {
                groups: &[&group],
                ..SeedItem::new("Bebida", 1990)
            })
            .await,
        agotado: menu
            .item(SeedItem {
                available: false,
                ..SeedItem::new("Machas a la parmesana", 9990)
            })
            .await,
        grande: options[1].clone(),
        chica: options[0].clone(),
    }
}

async fn order(app: &TestApp, token: &str, body: Value) -> common::Reply {
    app.post("/api/v1/orders", body, token).await
}

#[tokio::test]
async fn the_server_prices_every_line_and_splits_iva_once() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let reply = order(
        &app,
        &admin,
        json!({
            "channel": "counter",
            "lines": [
                { "item_id": menu.pastel, "quantity": 2, "unit_price": 1, "note": "sin aceitunas" },
                { "item_id": menu.bebida, "quantity": 1, "modifiers": [menu.grande] },
            ],
            "total": 5,
        }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let o = &reply.body;
    assert_eq!(o["number"], 1);
    assert_eq!(o["status"], "pending");
    assert_eq!(
        o["lines"][0]["unit_price"], 10990,
        "the client's price is ignored"
    );
    assert_eq!(o["lines"][1]["unit_price"], 1990 + 1500);
    assert_eq!(o["lines"][1]["modifiers"][0]["name"], "Grande");
    assert_eq!(o["lines"][0]["note"], "sin aceitunas");
    let total = 2 * 10990 + 3490;
    assert_eq!(o["subtotal"], total);
    assert_eq!(o["total"], total, "the client's total is ignored");
    // net = round_half_up(25470 / 1.19) = 21403; tax = total - net.
    assert_eq!(o["net"], 21403);
    assert_eq!(o["tax"], total - 21403);
    assert_eq!(o["tax_rate_bp"], 1900);
    assert_eq!(o["rounding_rule"], "iva_from_total_half_up");
    assert_eq!(o["payment"]["state"], "unpaid");
    assert_eq!(o["transitions"][0]["to"], "pending");

    let second = order(
        &app,
        &admin,
        json!({ "channel": "takeaway", "lines": [{ "item_id": menu.pebre, "quantity": 1 }] }),
    )
    .await;
    assert_eq!(second.body["number"], 2);
    let fetched = app
        .get(
            &format!("/api/v1/orders/{}", o["id"].as_str().unwrap()),
            &admin,
        )
        .await;
    assert_eq!(fetched.status, StatusCode::OK);
    assert_eq!(fetched.body["lines"], o["lines"]);
    assert_eq!(fetched.body["total"], o["total"]);
}

#[tokio::test]
async fn bad_lines_are_refused_field_by_field_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let cases = [
        (
            json!({ "channel": "counter", "lines": [{ "item_id": menu.pastel, "quantity": -1 }] }),
            "lines[0].quantity",
        ),
        (
            json!({ "channel": "counter", "lines": [{ "item_id": menu.pastel, "quantity": 0 }] }),
            "lines[0].quantity",
        ),
        (
            json!({ "channel": "counter", "lines": [{ "item_id": uuid::Uuid::now_v7(), "quantity": 1 }] }),
            "lines[0].item_id",
        ),
        (
            json!({ "channel": "counter", "lines": [{ "item_id": menu.agotado, "quantity": 1 }] }),
            "lines[0].item_id",
        ),
        (
            json!({ "channel": "counter", "lines": [{ "item_id": menu.bebida, "quantity": 1 }] }),
            "lines[0].modifiers",
        ),
        (
            json!({ "channel": "counter", "lines": [{ "item_id": menu.bebida, "quantity": 1, "modifiers": [menu.grande, menu.chica] }] }),
            "lines[0].modifiers",
        ),
        (json!({ "channel": "counter", "lines": [] }), "lines"),
        (
            json!({ "channel": "mesa", "lines": [{ "item_id": menu.pastel, "quantity": 1 }] }),
            "channel",
        ),
        (
            json!({ "channel": "counter", "lines": [{ "item_id": menu.pastel, "quantity": 1 }], "discount": 20000 }),
            "discount",
        ),
        (
            json!({ "channel": "counter", "lines": [{ "item_id": menu.pastel, "quantity": 1 }], "tip": -5 }),
            "tip",
        ),
        (
            json!({ "channel": "counter", "lines": [{ "item_id": menu.pastel, "quantity": 1 }], "table_id": uuid::Uuid::now_v7() }),
            "table_id",
        ),
        (
            json!({ "channel": "counter", "lines": [{ "item_id": menu.pastel, "quantity": 1 }], "customer_id": uuid::Uuid::now_v7() }),
            "customer_id",
        ),
    ];
    for (body, field) in cases {
        let reply = order(&app, &admin, body.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            reply.body
        );
        assert!(
            reply.body["error"]["fields"][field].is_string(),
            "{field} missing in {:?}",
            reply.body
        );
    }
    let sold_out = order(
        &app,
        &admin,
        json!({ "channel": "counter", "lines": [{ "item_id": menu.agotado, "quantity": 1 }] }),
    )
    .await;
    assert_eq!(
        sold_out.body["error"]["fields"]["lines[0].item_id"],
        "Machas a la parmesana está agotado"
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(count, 0);
    let lines: i64 = sqlx::query_scalar("SELECT count(*) FROM order_lines")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(lines, 0);
    let outbox: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE entity LIKE 'order%'")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(outbox, 0);
}

#[tokio::test]
async fn idempotency_key_makes_retries_safe() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let body = json!({ "channel": "widget", "lines": [{ "item_id": menu.pastel, "quantity": 1 }] });
    let send = |body: Value, key: &'static str| {
        let request = Request::post("/api/v1/orders")
            .header("authorization", format!("Bearer {admin}"))
            .header("content-type", "application/json")
            .header("idempotency-key", key)
            .body(axum::body::Body::from(body.to_string()))
            .unwrap();
        app.send(request)
    };
    let first = send(body.clone(), "caja-1-abc").await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = send(body.clone(), "caja-1-abc").await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.headers["idempotency-replayed"], "true");
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.body["number"], first.body["number"]);
    let other = send(
        json!({ "channel": "widget", "lines": [{ "item_id": menu.pastel, "quantity": 2 }] }),
        "caja-1-abc",
    )
    .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.code(), "idempotency_key_reused");
    // Parallel retries of one key still make one order.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        tasks.push(send(body.clone(), "caja-1-xyz"));
    }
    let replies = futures::future::join_all(tasks).await;
    let ids: std::collections::HashSet<String> = replies
        .iter()
        .map(|r| r.body["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 1);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(count, 2);
}

#[tokio::test]
async fn a_client_made_id_is_kept_and_cannot_be_reused() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let id = uuid::Uuid::now_v7().to_string();
    let body = json!({ "id": id, "channel": "chat", "lines": [{ "item_id": menu.pastel, "quantity": 1 }] });
    let first = order(&app, &admin, body.clone()).await;
    assert_eq!(first.body["id"], id.as_str());
    let second = order(&app, &admin, body).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert_eq!(second.code(), "order_exists");
}

#[tokio::test]
async fn status_moves_forward_only_and_each_move_is_recorded() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let created = order(
        &app,
        &admin,
        json!({ "channel": "dine_in", "lines": [{ "item_id": menu.pastel, "quantity": 1 }] }),
    )
    .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/orders/{id}/status");
    for status in ["confirmed", "preparing", "ready"] {
        let reply = app.post(&path, json!({ "status": status }), &admin).await;
        assert_eq!(reply.status, StatusCode::OK, "{status}: {:?}", reply.body);
        assert_eq!(reply.body["status"], status);
    }
    let back = app
        .post(&path, json!({ "status": "preparing" }), &admin)
        .await;
    assert_eq!(back.status, StatusCode::CONFLICT);
    assert_eq!(back.code(), "illegal_transition");
    let same = app.post(&path, json!({ "status": "ready" }), &admin).await;
    assert_eq!(same.status, StatusCode::CONFLICT);
    let no_reason = app
        .post(&path, json!({ "status": "cancelled" }), &admin)
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body["error"]["fields"]["reason"].is_string());
    let done = app
        .post(&path, json!({ "status": "completed" }), &admin)
        .await;
    assert_eq!(done.body["status"], "completed");
    let after = app
        .post(
            &path,
            json!({ "status": "cancelled", "reason": "tarde" }),
            &admin,
        )
        .await;
    assert_eq!(after.status, StatusCode::CONFLICT);
    let history = &done.body["transitions"];
    assert_eq!(history.as_array().unwrap().len(), 5);
    let me = app.get("/api/v1/auth/me", &admin).await;
    assert_eq!(history[4]["from"], "ready");
    assert_eq!(history[4]["by_user"], me.body["user"]["id"]);

    let other = order(
        &app,
        &admin,
        json!({ "channel": "phone", "lines": [{ "item_id": menu.pastel, "quantity": 1 }] }),
    )
    .await;
    let cancel = app
        .post(
            &format!(
                "/api/v1/orders/{}/status",
                other.body["id"].as_str().unwrap()
            ),
            json!({ "status": "cancelled", "reason": "cliente no llegó" }),
            &admin,
        )
        .await;
    assert_eq!(cancel.body["status"], "cancelled");
    assert_eq!(cancel.body["cancel_reason"], "cliente no llegó");
    let unknown = app
        .post(
            &format!("/api/v1/orders/{}/status", uuid::Uuid::now_v7()),
            json!({ "status": "confirmed" }),
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn lines_are_appended_and_voided_never_edited() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let created = order(
        &app,
        &admin,
        json!({ "channel": "dine_in", "lines": [{ "item_id": menu.pastel, "quantity": 1 }] }),
    )
    .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let appended = app
        .post(
            &format!("/api/v1/orders/{id}/lines"),
            json!({ "lines": [{ "item_id": menu.pebre, "quantity": 2 }] }),
            &admin,
        )
        .await;
    assert_eq!(appended.status, StatusCode::OK, "{:?}", appended.body);
    assert_eq!(appended.body["lines"].as_array().unwrap().len(), 2);
    assert_eq!(appended.body["total"], 10990 + 2 * 2995);
    let line = appended.body["lines"][1]["id"].as_str().unwrap().to_owned();
    let void_path = format!("/api/v1/orders/{id}/lines/{line}/void");
    let voided = app
        .post(
            &void_path,
            json!({ "reason": "se equivocó el garzón" }),
            &admin,
        )
        .await;
    assert_eq!(voided.status, StatusCode::OK);
    assert_eq!(voided.body["lines"][1]["voided"], true);
    assert_eq!(
        voided.body["lines"].as_array().unwrap().len(),
        2,
        "voided lines stay on record"
    );
    assert_eq!(voided.body["total"], 10990);
    let twice = app
        .post(&void_path, json!({ "reason": "otra vez" }), &admin)
        .await;
    assert_eq!(twice.code(), "line_already_voided");
    let discount = app
        .patch(
            &format!("/api/v1/orders/{id}"),
            json!({ "discount": 990, "tip": 1000 }),
            &admin,
        )
        .await;
    assert_eq!(discount.body["total"], 10000);
    assert_eq!(discount.body["amount_due"], 11000);
    let too_much = app
        .patch(
            &format!("/api/v1/orders/{id}"),
            json!({ "discount": 99999 }),
            &admin,
        )
        .await;
    assert_eq!(too_much.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.post(
        &format!("/api/v1/orders/{id}/status"),
        json!({ "status": "completed" }),
        &admin,
    )
    .await;
    let closed = app
        .post(
            &format!("/api/v1/orders/{id}/lines"),
            json!({ "lines": [{ "item_id": menu.pebre, "quantity": 1 }] }),
            &admin,
        )
        .await;
    assert_eq!(closed.status, StatusCode::CONFLICT);
    assert_eq!(closed.code(), "order_closed");
}

#[tokio::test]
async fn split_bill_cash_rounding_change_and_refunds() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    // 10990 + 2995 = 13985 due: cash rounds a remainder ending in 5 down.
    let created = order(
        &app,
        &admin,
        json!({ "channel": "counter", "lines": [{ "item_id": menu.pastel, "quantity": 1 }, { "item_id": menu.pebre, "quantity": 1 }] }),
    )
    .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["cash_balance"], 13980);
    let card = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": id, "method": "debit", "amount": 8000 }),
            &admin,
        )
        .await;
    assert_eq!(card.status, StatusCode::CREATED, "{:?}", card.body);
    assert_eq!(card.body["order"]["payment"]["state"], "partially_paid");
    assert_eq!(card.body["order"]["payment"]["balance"], 5985);
    assert_eq!(card.body["order"]["cash_balance"], 5980);
    let over_card = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": id, "method": "credit", "amount": 9000 }),
            &admin,
        )
        .await;
    assert_eq!(over_card.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(over_card.code(), "overpayment");
    let short = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": id, "method": "cash", "amount": 5980, "received": 5000 }),
            &admin,
        )
        .await;
    assert_eq!(short.code(), "insufficient_cash");
    // Cash needs an open drawer session on this counter.
    let closed_drawer = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": id, "method": "cash", "amount": 5980, "received": 10000 }),
            &admin,
        )
        .await;
    assert_eq!(closed_drawer.status, StatusCode::CONFLICT);
    assert_eq!(closed_drawer.code(), "no_open_drawer");
    let opened = app
        .post(
            "/api/v1/drawer-sessions",
            json!({ "opening_float": 0 }),
            &admin,
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
    let cash = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": id, "method": "cash", "amount": 5980, "received": 10000 }),
            &admin,
        )
        .await;
    assert_eq!(cash.status, StatusCode::CREATED, "{:?}", cash.body);
    assert_eq!(cash.body["payment"]["change"], 4020);
    assert_eq!(cash.body["order"]["payment"]["state"], "paid");
    assert_eq!(cash.body["order"]["payment"]["rounding"], -5);
    let nothing = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": id, "method": "cash", "amount": 10 }),
            &admin,
        )
        .await;
    assert_eq!(nothing.code(), "nothing_due");

    let card_id = card.body["payment"]["id"].as_str().unwrap();
    let too_big = app
        .post(
            &format!("/api/v1/payments/{card_id}/refund"),
            json!({ "amount": 9000 }),
            &admin,
        )
        .await;
    assert_eq!(too_big.code(), "refund_too_large");
    let partial = app
        .post(
            &format!("/api/v1/payments/{card_id}/refund"),
            json!({ "amount": 3000, "reason": "plato frío" }),
            &admin,
        )
        .await;
    assert_eq!(partial.status, StatusCode::CREATED);
    assert_eq!(partial.body["payment"]["amount"], -3000);
    assert_eq!(partial.body["order"]["payment"]["state"], "partially_paid");
    let rest = app
        .post(
            &format!("/api/v1/payments/{card_id}/refund"),
            json!({}),
            &admin,
        )
        .await;
    assert_eq!(rest.body["payment"]["amount"], -5000);
    let refund_id = rest.body["payment"]["id"].as_str().unwrap();
    let of_refund = app
        .post(
            &format!("/api/v1/payments/{refund_id}/refund"),
            json!({}),
            &admin,
        )
        .await;
    assert_eq!(of_refund.code(), "refund_of_refund");
    let cash_id = cash.body["payment"]["id"].as_str().unwrap();
    let all_back = app
        .post(
            &format!("/api/v1/payments/{cash_id}/refund"),
            json!({}),
            &admin,
        )
        .await;
    assert_eq!(all_back.body["order"]["payment"]["state"], "refunded");
    let ledger = app
        .get(&format!("/api/v1/orders/{id}/payments"), &admin)
        .await;
    assert_eq!(
        ledger.body.as_array().unwrap().len(),
        5,
        "refunds are new rows, nothing is edited"
    );

    let cancelled = order(
        &app,
        &admin,
        json!({ "channel": "counter", "lines": [{ "item_id": menu.pebre, "quantity": 1 }] }),
    )
    .await;
    let cid = cancelled.body["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/orders/{cid}/status"),
        json!({ "status": "cancelled", "reason": "prueba" }),
        &admin,
    )
    .await;
    let pay_cancelled = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": cid, "method": "cash", "amount": 2990 }),
            &admin,
        )
        .await;
    assert_eq!(pay_cancelled.code(), "order_closed");
}

#[tokio::test]
async fn daily_numbers_restart_per_local_day_and_never_repeat_under_load() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let mut conn = app.state.db.write.acquire().await.unwrap();
    for (day, expected) in [
        ("2026-03-01", 1),
        ("2026-03-01", 2),
        ("2026-03-02", 1),
        ("2026-03-01", 3),
    ] {
        let n = dysa_appliance::store::orders::reserve_numbers(&mut conn, day, 1)
            .await
            .unwrap();
        assert_eq!(n, vec![expected], "{day}");
    }
    // A batch of five takes 4..=8.
    let batch = dysa_appliance::store::orders::reserve_numbers(&mut conn, "2026-03-01", 5)
        .await
        .unwrap();
    assert_eq!(batch, vec![4, 5, 6, 7, 8]);
    let next = dysa_appliance::store::orders::reserve_numbers(&mut conn, "2026-03-01", 1)
        .await
        .unwrap();
    assert_eq!(next, vec![9]);
    drop(conn);
    let mut tasks = Vec::new();
    for _ in 0..30 {
        tasks.push(order(
            &app,
            &admin,
            json!({ "channel": "counter", "lines": [{ "item_id": menu.pebre, "quantity": 1 }] }),
        ));
    }
    let replies = futures::future::join_all(tasks).await;
    let mut numbers: Vec<i64> = replies
        .iter()
        .map(|r| r.body["number"].as_i64().unwrap())
        .collect();
    numbers.sort();
    assert_eq!(numbers, (1..=30).collect::<Vec<_>>());
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(stored, 30);
}

#[tokio::test]
async fn order_writes_carry_their_outbox_rows() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let created = order(
        &app,
        &admin,
        json!({ "channel": "counter", "lines": [{ "item_id": menu.pastel, "quantity": 1 }, { "item_id": menu.pebre, "quantity": 1 }] }),
    )
    .await;
    let id = created.body["id"].as_str().unwrap();
    app.post(
        "/api/v1/payments",
        json!({ "order_id": id, "method": "debit", "amount": 1000 }),
        &admin,
    )
    .await;
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT entity, count(*) FROM outbox WHERE entity IN ('order','order_line','order_transition','payment') GROUP BY entity ORDER BY entity")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            ("order".into(), 1),
            ("order_line".into(), 2),
            ("order_transition".into(), 1),
            ("payment".into(), 1)
        ]
    );
}

#[tokio::test]
async fn list_filters_and_pages() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    for channel in ["counter", "counter", "widget"] {
        order(
            &app,
            &admin,
            json!({ "channel": channel, "lines": [{ "item_id": menu.pebre, "quantity": 1 }] }),
        )
        .await;
    }
    let all = app.get("/api/v1/orders", &admin).await;
    assert_eq!(all.body["total"], 3);
    assert_eq!(all.body["items"][0]["number"], 3, "newest first");
    let widget = app.get("/api/v1/orders?channel=widget", &admin).await;
    assert_eq!(widget.body["total"], 1);
    let page = app.get("/api/v1/orders?limit=2&offset=2", &admin).await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 1);
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("America/Santiago").unwrap())
        .date();
    let by_day = app
        .get(
            &format!("/api/v1/orders?from={today}&to={today}&status=pending,confirmed"),
            &admin,
        )
        .await;
    assert_eq!(by_day.body["total"], 3);
    let tomorrow = today.tomorrow().unwrap();
    let none = app
        .get(&format!("/api/v1/orders?from={tomorrow}"), &admin)
        .await;
    assert_eq!(none.body["total"], 0);
    for bad in ["status=perdido", "from=ayer", "limit=0", "channel=fax"] {
        let reply = app.get(&format!("/api/v1/orders?{bad}"), &admin).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
}

#[tokio::test]
async fn analytics_summary_counts_sales_by_hour_channel_and_item() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let a = order(
        &app,
        &admin,
        json!({ "channel": "counter", "lines": [{ "item_id": menu.pastel, "quantity": 2 }] }),
    )
    .await;
    order(&app, &admin, json!({ "channel": "widget", "lines": [{ "item_id": menu.pebre, "quantity": 1 }], "tip": 500 })).await;
    let c = order(
        &app,
        &admin,
        json!({ "channel": "widget", "lines": [{ "item_id": menu.pebre, "quantity": 5 }] }),
    )
    .await;
    app.post(
        &format!("/api/v1/orders/{}/status", c.body["id"].as_str().unwrap()),
        json!({ "status": "cancelled", "reason": "x" }),
        &admin,
    )
    .await;
    app.post(
        "/api/v1/drawer-sessions",
        json!({ "opening_float": 10000 }),
        &admin,
    )
    .await;
    let paid = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": a.body["id"], "method": "cash", "amount": 21980 }),
            &admin,
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
    let summary = app.get("/api/v1/analytics/summary", &admin).await;
    assert_eq!(summary.status, StatusCode::OK, "{:?}", summary.body);
    let s = &summary.body;
    assert_eq!(s["sales"], 21980 + 2995);
    assert_eq!(s["orders"], 2);
    assert_eq!(s["cancelled_orders"], 1);
    assert_eq!(s["tips"], 500);
    assert_eq!(s["average_ticket"], (21980 + 2995 + 1) / 2);
    assert_eq!(
        s["net"].as_i64().unwrap() + s["tax"].as_i64().unwrap(),
        21980 + 2995
    );
    let hour = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("America/Santiago").unwrap())
        .hour();
    assert_eq!(s["by_hour"].as_array().unwrap().len(), 24);
    assert_eq!(
        s["by_hour"][hour as usize]["orders"], 2,
        "orders counted at the local hour"
    );
    assert_eq!(s["by_channel"][0]["key"], "counter");
    assert_eq!(s["top_items"][0]["name"], "Pastel de choclo");
    assert_eq!(s["top_items"][0]["quantity"], 2);
    assert_eq!(s["payments_by_method"][0]["key"], "cash");
    assert_eq!(s["time_zone"], "America/Santiago");
    let tomorrow = app
        .get(
            "/api/v1/analytics/summary?from=2000-01-01&to=2000-01-02",
            &admin,
        )
        .await;
    assert_eq!(tomorrow.body["orders"], 0);
    let bad = app
        .get(
            "/api/v1/analytics/summary?from=2026-02-10&to=2026-02-01",
            &admin,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn live_events_reach_an_open_stream() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let request = Request::get("/api/v1/events")
        .header("authorization", format!("Bearer {admin}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.into_body();
    let first = body.frame().await.unwrap().unwrap().into_data().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: ready"));
    let created = order(
        &app,
        &admin,
        json!({ "channel": "widget", "lines": [{ "item_id": menu.pastel, "quantity": 1 }] }),
    )
    .await;
    let frame = tokio::time::timeout(common::PATIENCE, body.frame())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(frame.data_ref().unwrap()).into_owned();
    assert!(text.contains("event: order.created"), "{text}");
    assert!(
        text.contains(created.body["id"].as_str().unwrap()),
        "{text}"
    );
    assert!(text.contains("\"channel\":\"widget\""), "{text}");
}

/// Two counters of a location never hand out the same number: the first claims range A
/// when it is set up; told of a counter with a smaller id that holds A (a claim pulled
/// from the cloud), it moves to B and numbers `B-n` from then on.
#[tokio::test]
async fn a_counter_numbers_in_its_own_range_and_moves_off_a_taken_one() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let menu = seed_menu(&app).await;
    let me = app.state.db.device_id().to_string();
    let claim = |device: &str| format!("counter_slot.{device}");
    let mine: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(claim(&me))
        .fetch_optional(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(mine.as_deref(), Some("0"), "set up claims A");
    let body =
        json!({ "channel": "counter", "lines": [{ "item_id": menu.pastel, "quantity": 1 }] });
    let first = order(&app, &admin, body.clone()).await;
    assert_eq!(first.body["number"], 1);

    // Another counter, set up earlier (smaller id), holds A: its claim arrives by sync.
    let elder = "00000000-0000-7000-8000-000000000000";
    sqlx::query("INSERT INTO settings (key, value, updated_at) VALUES (?, '0', ?)")
        .bind(claim(elder))
        .bind(dysa_domain::hlc::Hlc::ZERO.to_string())
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let slot = dysa_appliance::store::numbering::settle(&app.state.db)
        .await
        .unwrap();
    assert_eq!(slot.letter(), 'B');
    let second = order(&app, &admin, body).await;
    let number = second.body["number"].as_i64().unwrap();
    assert_eq!(number, 10_002);
    assert_eq!(dysa_domain::numbering::label(number), "B-2");
    // The move is a synced claim the other counters see.
    let outbox: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE entity = 'setting' AND entity_id = ?",
    )
    .bind(claim(&me))
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(outbox, 2, "the claim of A, then of B");
    // Settling again changes nothing.
    let again = dysa_appliance::store::numbering::settle(&app.state.db)
        .await
        .unwrap();
    assert_eq!(again, slot);
}
