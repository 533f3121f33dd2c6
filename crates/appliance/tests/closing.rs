//! Closing the day through the real router: the X report of the open day, closing it into
//! its Z (once; never a day still to come), the Z read back and as CSV, a refund after
//! the close counted in the next day as a late correction while the Z stays as it was,
//! the Z printed on a fake counter printer, a shift's tip-out, and who may do what.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::printer::FakePrinter;
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// The business day it is now in Santiago with the default 04:00 cut-off.
fn today() -> jiff::civil::Date {
    let tz = jiff::tz::TimeZone::get("America/Santiago").unwrap();
    let now = jiff::Timestamp::now().to_zoned(tz);
    if now.hour() < 4 {
        now.date().yesterday().unwrap()
    } else {
        now.date()
    }
}

async fn order(app: &TestApp, token: &str, item: &str) -> Value {
    order_with_tip(app, token, item, 0).await
}

async fn order_with_tip(app: &TestApp, token: &str, item: &str, tip: i64) -> Value {
    let reply = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "counter", "tip": tip, "lines": [{ "item_id": item, "quantity": 1 }] }),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body
}

async fn pay(app: &TestApp, token: &str, body: Value) -> Value {
    let reply = app.post("/api/v1/payments", body, token).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body
}

fn method<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["by_method"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["method"] == name)
        .unwrap()
}

/// A day at the counter: a cash sale, a card sale with a tip, a voided line.
struct Day {
    app: TestApp,
    admin: String,
    card_payment: String,
    session: String,
    item: String,
}

async fn a_day() -> Day {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 12990).await;
    let opened = app
        .post(
            "/api/v1/drawer-sessions",
            json!({ "opening_float": 50000 }),
            &admin,
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
    let first = order(&app, &admin, &item).await;
    pay(
        &app,
        &admin,
        json!({ "order_id": first["id"], "method": "cash", "amount": 12990, "received": 20000 }),
    )
    .await;
    let second = order_with_tip(&app, &admin, &item, 1300).await;
    let card = pay(
        &app,
        &admin,
        json!({ "order_id": second["id"], "method": "credit", "amount": 12990, "tip": 1300 }),
    )
    .await;
    let third = order(&app, &admin, &item).await;
    let voided = app
        .post(
            &format!(
                "/api/v1/orders/{}/lines/{}/void",
                third["id"].as_str().unwrap(),
                third["lines"][0]["id"].as_str().unwrap()
            ),
            json!({ "reason": "=1+1 mal digitado" }),
            &admin,
        )
        .await;
    assert_eq!(voided.status, StatusCode::OK, "{:?}", voided.body);
    Day {
        app,
        admin,
        card_payment: card["payment"]["id"].as_str().unwrap().to_owned(),
        session: opened.body["id"].as_str().unwrap().to_owned(),
        item,
    }
}

#[tokio::test]
async fn the_x_report_adds_up_the_open_day() {
    let Day { app, admin, .. } = a_day().await;
    let x = app.get("/api/v1/reports/x", &admin).await;
    assert_eq!(x.status, StatusCode::OK, "{:?}", x.body);
    let r = &x.body;
    assert_eq!(r["kind"], "x");
    assert_eq!(r["business_date"], today().to_string());
    assert_eq!(r["cutoff_hour"], 4);
    assert_eq!(r["orders"], 3);
    assert_eq!(r["sales"], 25980);
    // 25.980 / 1,19 = 21.831,93 → 21.832
    assert_eq!(
        (r["net"].as_i64(), r["tax"].as_i64()),
        (Some(21832), Some(4148))
    );
    assert_eq!(r["collected"], 27280);
    assert_eq!(method(r, "cash")["total"], 12990);
    assert_eq!(method(r, "credit")["total"], 14290);
    assert_eq!(r["tips"]["card"], 1300);
    assert_eq!(r["tips"]["cash"], 0);
    assert_eq!(r["tips_by_waiter"][0]["tips"]["total"], 1300);
    assert_eq!(r["void_count"], 1);
    assert_eq!(r["voids"][0]["reason"], "=1+1 mal digitado");
    assert!(r["voids"][0]["by"].is_string(), "{r:?}");
    assert_eq!(
        (r["first_number"].as_i64(), r["last_number"].as_i64()),
        (Some(1), Some(3))
    );
    // The open drawer: float plus the cash sale.
    assert_eq!(r["drawers"][0]["expected"], 62990);
    assert_eq!(r["drawers"][0]["counted"], Value::Null);
    assert_eq!(r["average_ticket"], 8660);
}

#[tokio::test]
async fn who_may_read_close_and_print() {
    let Day { app, admin, .. } = a_day().await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let (_, viewer) = app.user_with_role(&admin, "viewer").await;
    let date = today().to_string();
    for path in [
        "/api/v1/reports/x",
        "/api/v1/reports/x.csv",
        "/api/v1/reports/x.pdf",
        "/api/v1/business-days",
    ] {
        let reply = app.get(path, &waiter).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    let closing = format!("/api/v1/business-days/{date}/close");
    for token in [&waiter, &viewer] {
        let reply = app.post(&closing, json!({}), token).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{:?}", reply.body);
    }
    // A viewer reads the figures but, like a cashier, not what an uncounted drawer holds.
    let seen = app.get("/api/v1/reports/x", &viewer).await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    assert_eq!(seen.body["sales"], 25980);
    assert_eq!(seen.body["drawers"][0]["expected"], Value::Null);
    // Nothing was closed by the refusals.
    let days = app.get("/api/v1/business-days", &admin).await;
    assert_eq!(days.body, json!([]));
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let closed = app.post(&closing, json!({}), &manager).await;
    assert_eq!(closed.status, StatusCode::CREATED, "{:?}", closed.body);
    let z = app
        .get(&format!("/api/v1/reports/z?date={date}"), &waiter)
        .await;
    assert_eq!(z.status, StatusCode::FORBIDDEN);
    let z = app
        .get(&format!("/api/v1/reports/z?date={date}"), &viewer)
        .await;
    assert_eq!(z.status, StatusCode::OK);
    assert_eq!(z.body["report"]["drawers"][0]["expected"], Value::Null);
}

#[tokio::test]
async fn closing_a_day_freezes_its_z_and_late_rows_go_to_the_next_day() {
    let Day {
        app,
        admin,
        card_payment,
        item,
        ..
    } = a_day().await;
    let date = today();
    let closing = format!("/api/v1/business-days/{date}/close");

    // Bad input: not a date, a day still to come.
    let bad = app
        .post("/api/v1/business-days/ayer/close", json!({}), &admin)
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
    assert!(
        bad.body["error"]["fields"]["date"].is_string(),
        "{:?}",
        bad.body
    );
    let future = date.tomorrow().unwrap().tomorrow().unwrap();
    let ahead = app
        .post(
            &format!("/api/v1/business-days/{future}/close"),
            json!({}),
            &admin,
        )
        .await;
    assert_eq!(
        ahead.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        ahead.body
    );
    let not_closed = app
        .get(&format!("/api/v1/reports/z?date={date}"), &admin)
        .await;
    assert_eq!(not_closed.status, StatusCode::NOT_FOUND);
    assert_eq!(not_closed.code(), "day_not_closed");
    let bad_query = app.get("/api/v1/reports/z?date=2026-13-01", &admin).await;
    assert_eq!(bad_query.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The close: the Z says what the X said, with who closed it.
    let closed = app.post(&closing, json!({}), &admin).await;
    assert_eq!(closed.status, StatusCode::CREATED, "{:?}", closed.body);
    let z = closed.body["report"].clone();
    assert_eq!(z["kind"], "z");
    assert_eq!(z["sales"], 25980);
    assert_eq!(z["collected"], 27280);
    assert_eq!(closed.body["business_date"], date.to_string());
    assert!(closed.body["closed_by_name"].is_string());

    // Once only: 409 with the close that stands.
    let again = app.post(&closing, json!({}), &admin).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{:?}", again.body);
    assert_eq!(again.code(), "day_closed");

    // A refund after the close: dated in the closed day's hours, it lands in the next
    // day, marked, and the Z does not move.
    let refund = app
        .post(
            &format!("/api/v1/payments/{card_payment}/refund"),
            json!({ "amount": 2990, "reason": "Plato frío" }),
            &admin,
        )
        .await;
    assert_eq!(refund.status, StatusCode::CREATED, "{:?}", refund.body);
    let stored = app
        .get(&format!("/api/v1/reports/z?date={date}"), &admin)
        .await;
    assert_eq!(stored.status, StatusCode::OK, "{:?}", stored.body);
    assert_eq!(stored.body["report"], z);
    let x = app.get("/api/v1/reports/x", &admin).await;
    assert_eq!(x.status, StatusCode::OK, "{:?}", x.body);
    assert_eq!(
        x.body["business_date"],
        date.tomorrow().unwrap().to_string()
    );
    assert_eq!(x.body["collected"], -2990);
    assert_eq!(x.body["refunds"], 2990);
    assert_eq!(x.body["orders"], 0);
    assert_eq!(x.body["late_corrections"][0]["kind"], "refund");
    assert_eq!(x.body["late_corrections"][0]["amount"], -2990);
    assert_eq!(x.body["late_corrections"][0]["order_number"], 2);

    let days = app.get("/api/v1/business-days", &admin).await;
    assert_eq!(days.body.as_array().map(Vec::len), Some(1));

    // The CSV: Spanish, formula-safe, the figures as numbers.
    let csv = app
        .get(&format!("/api/v1/reports/z.csv?date={date}"), &admin)
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.body.as_str().unwrap();
    assert!(text.starts_with("sección,concepto,valor\n"), "{text}");
    assert!(
        text.contains("Ventas,Ventas (IVA incluido),25980\n"),
        "{text}"
    );
    assert!(text.contains("Caja,Propinas con tarjeta,1300\n"), "{text}");

    // The PDF: a reader finds the Z's title, its figures and the accented Spanish.
    let (status, kind, pdf) = app
        .get_file(&format!("/api/v1/reports/z.pdf?date={date}"), &admin)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/pdf");
    let text = pdf_text(&pdf);
    for expected in [
        "CIERRE Z",
        &format!("Día comercial {date}"),
        "Ventas",
        "$25.980",
        "Recaudado",
        "$27.280",
        "Propinas tarjeta",
        "Página 1 de 1",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    let parsed = lopdf::Document::load_mem(&pdf).unwrap();
    let info = parsed.trailer.get_deref(b"Info", &parsed).unwrap();
    let title = info.as_dict().unwrap().get(b"Title").unwrap();
    assert_eq!(
        lopdf::decode_text_string(title).unwrap(),
        format!("Cierre Z · {date}")
    );
    let (status, _, body) = app
        .get_file("/api/v1/reports/z.pdf?date=2026-13-01", &admin)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&body).contains("\"fields\""));
    let tomorrow = date.tomorrow().unwrap();
    let (status, _, _) = app
        .get_file(&format!("/api/v1/reports/z.pdf?date={tomorrow}"), &admin)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A sale after the close, by a waiter whose name is a formula: a late order of the
    // closed day, in the next day's X, and the name stays text in the CSV.
    let email = "formula@donde-pepe.cl";
    let user = app
        .post(
            "/api/v1/users",
            json!({ "name": "=1+2 Pedro", "email": email,
                    "password": "sopaipillas pasadas", "role": "manager" }),
            &admin,
        )
        .await;
    assert_eq!(user.status, StatusCode::CREATED, "{:?}", user.body);
    let login = app.login(email, "sopaipillas pasadas").await;
    let evil = login.body["access_token"].as_str().unwrap().to_owned();
    let late = order_with_tip(&app, &evil, &item, 500).await;
    pay(
        &app,
        &evil,
        json!({ "order_id": late["id"], "method": "debit", "amount": 12990, "tip": 500 }),
    )
    .await;
    let x = app.get("/api/v1/reports/x", &admin).await;
    assert_eq!(x.body["orders"], 1, "{:?}", x.body);
    assert_eq!(x.body["tips"]["card"], 500);
    assert!(
        x.body["late_corrections"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["kind"] == "order" && l["amount"] == 12990),
        "{:?}",
        x.body
    );
    let csv = app.get("/api/v1/reports/x.csv", &admin).await;
    let text = csv.body.as_str().unwrap();
    assert!(
        text.contains("Propinas por garzón,'=1+2 Pedro,500\n"),
        "the name must be quoted as text: {text}"
    );
    assert!(!text.contains(",=1+2"), "{text}");
    // The closed day still says what it said.
    let stored = app
        .get(&format!("/api/v1/reports/z?date={date}"), &admin)
        .await;
    assert_eq!(stored.body["report"], z);
}

#[tokio::test]
async fn the_z_prints_on_the_counter_printer_and_a_reprint_says_copia() {
    let Day { app, admin, .. } = a_day().await;
    let date = today();
    let print = format!("/api/v1/business-days/{date}/print");
    let early = app.post(&print, json!({}), &admin).await;
    assert_eq!(early.status, StatusCode::NOT_FOUND, "{:?}", early.body);
    let closed = app
        .post(
            &format!("/api/v1/business-days/{date}/close"),
            json!({}),
            &admin,
        )
        .await;
    assert_eq!(closed.status, StatusCode::CREATED);
    let no_printer = app.post(&print, json!({}), &admin).await;
    assert_eq!(no_printer.status, StatusCode::CONFLICT);
    assert_eq!(no_printer.code(), "no_printer");

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let printer = FakePrinter::default();
    printer.serve(listener);
    let added = app
        .post(
            "/api/v1/printers",
            json!({ "name": "Caja", "role": "counter", "connection": "tcp",
                    "address": address, "paper": "80" }),
            &admin,
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    let queued = app.post(&print, json!({}), &admin).await;
    assert_eq!(queued.status, StatusCode::ACCEPTED, "{:?}", queued.body);
    let tickets = printer.wait_for_text(1).await;
    let ticket = &tickets[0];
    assert!(ticket.contains("CIERRE Z"), "{ticket}");
    assert!(ticket.contains(&date.to_string()), "{ticket}");
    assert!(ticket.contains("$25.980"), "{ticket}");
    assert!(ticket.contains("$1.300"), "{ticket}");
    assert!(!ticket.contains("COPIA"), "{ticket}");
    let again = app.post(&print, json!({}), &admin).await;
    assert_eq!(again.status, StatusCode::ACCEPTED);
    let tickets = printer.wait_for_text(2).await;
    assert!(tickets[1].contains("COPIA"), "{}", tickets[1]);
    // The X prints too, and is never a copy.
    let x = app.post("/api/v1/reports/x/print", json!({}), &admin).await;
    assert_eq!(x.status, StatusCode::ACCEPTED, "{:?}", x.body);
    let tickets = printer.wait_for_text(3).await;
    assert!(tickets[2].contains("INFORME X"), "{}", tickets[2]);
}

#[tokio::test]
async fn a_shifts_tip_out_per_waiter() {
    let Day {
        app,
        admin,
        session,
        ..
    } = a_day().await;
    let tips = app
        .get(
            &format!("/api/v1/reports/tips?session_id={session}"),
            &admin,
        )
        .await;
    assert_eq!(tips.status, StatusCode::OK, "{:?}", tips.body);
    assert_eq!(tips.body["tips"]["card"], 1300);
    assert_eq!(tips.body["tips"]["total"], 1300);
    assert_eq!(tips.body["waiters"].as_array().map(Vec::len), Some(1));
    assert_eq!(tips.body["waiters"][0]["tips"]["card"], 1300);
    let unknown = app
        .get(
            "/api/v1/reports/tips?session_id=0190a0a0-0000-7000-8000-000000000000",
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let refused = app
        .get(
            &format!("/api/v1/reports/tips?session_id={session}"),
            &waiter,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn open_table(app: &TestApp, admin: &str, name: &str, covers: i64) -> Value {
    let table = app
        .post("/api/v1/tables", json!({ "name": name, "seats": 6 }), admin)
        .await;
    assert_eq!(table.status, StatusCode::CREATED, "{:?}", table.body);
    let tab = app
        .post(
            &format!("/api/v1/tables/{}/open", table.body["id"].as_str().unwrap()),
            json!({ "covers": covers }),
            admin,
        )
        .await;
    assert_eq!(tab.status, StatusCode::CREATED, "{:?}", tab.body);
    tab.body
}

#[tokio::test]
async fn covers_are_the_served_orders_own() {
    let Day { app, admin, .. } = a_day().await;
    // The counter sales of the day record no covers: nobody sat down.
    let x = app.get("/api/v1/reports/x", &admin).await;
    assert_eq!(x.body["covers"], 0);
    open_table(&app, &admin, "4", 3).await;
    open_table(&app, &admin, "5", 5).await;
    let left = open_table(&app, &admin, "6", 2).await;
    let cancelled = app
        .post(
            &format!("/api/v1/orders/{}/status", left["id"].as_str().unwrap()),
            json!({ "status": "cancelled", "reason": "se fueron" }),
            &admin,
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{:?}", cancelled.body);
    // The two tables served, not the one that left; no reservation was needed for it.
    let x = app.get("/api/v1/reports/x", &admin).await;
    assert_eq!(x.body["covers"], 8, "{:?}", x.body);
    assert_eq!(x.body["cancelled_orders"], 1);
}

/// The text a PDF reader extracts from every page of `pdf`.
fn pdf_text(pdf: &[u8]) -> String {
    let document = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document.extract_text(&pages).unwrap()
}
