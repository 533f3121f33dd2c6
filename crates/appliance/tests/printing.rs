//! ESC/POS printing through the real router and a fake network printer: a TCP server that
//! decodes what it receives (commands and PC858 text) so a ticket can be compared with the
//! expected paper byte for byte; an unreachable printer keeps the ticket queued until it
//! returns, and then prints it once.

#![allow(clippy::unwrap_used)]

mod common;
mod kitchen_support;

use axum::http::StatusCode;
use common::printer::{FakePrinter, PAPER_LOW, PAPER_OUT};
use common::{PATIENCE, TestApp};
use kitchen_support::{seed_menu, table_order};
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// PC850/PC858 bytes of the letters a Spanish ticket uses (IBM's code page tables), kept
/// here independently of the encoder under test.
fn pc858(byte: u8) -> char {
    match byte {
        0xA0 => 'á',
        0x82 => 'é',
        0xA1 => 'í',
        0xA2 => 'ó',
        0xA3 => 'ú',
        0xB5 => 'Á',
        0x90 => 'É',
        0xD6 => 'Í',
        0xE0 => 'Ó',
        0xE9 => 'Ú',
        0xA4 => 'ñ',
        0xA5 => 'Ñ',
        0x81 => 'ü',
        0x9A => 'Ü',
        0xA8 => '¿',
        0xAD => '¡',
        0xF8 => '°',
        0xFA => '·',
        b if b.is_ascii() && !b.is_ascii_control() => b as char,
        other => panic!("byte {other:#04x} is not a letter of the ticket"),
    }
}

/// What a printer does with the bytes: the text it prints, a big-type line marked `[2x] `,
/// and the code page it was told to use. Unknown commands fail the test.
fn decode(bytes: &[u8]) -> (String, u8) {
    let mut text = String::new();
    let mut code_page = 0;
    let mut big = false;
    let mut at_line_start = true;
    let mut i = 0;
    let mut cut = false;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            0x1B => {
                let command = bytes[i + 1];
                match command {
                    b'@' => i += 2,
                    b't' => {
                        code_page = bytes[i + 2];
                        i += 3;
                    }
                    b'a' | b'E' => i += 3,
                    b'd' => {
                        for _ in 0..bytes[i + 2] {
                            text.push('\n');
                        }
                        at_line_start = true;
                        i += 3;
                    }
                    other => panic!("unknown ESC {other:#04x}"),
                }
            }
            0x1D => match bytes[i + 1] {
                b'!' => {
                    big = bytes[i + 2] != 0;
                    i += 3;
                }
                b'V' => {
                    cut = true;
                    i += 4;
                }
                other => panic!("unknown GS {other:#04x}"),
            },
            b'\n' => {
                text.push('\n');
                at_line_start = true;
                i += 1;
            }
            _ => {
                if at_line_start && big {
                    text.push_str("[2x] ");
                }
                at_line_start = false;
                text.push(pc858(b));
                i += 1;
            }
        }
    }
    assert!(cut, "the ticket must end with a cut");
    (text, code_page)
}

/// A printer for `role` at `address`.
async fn add_printer(app: &TestApp, admin: &str, role: &str, address: &str, paper: &str) -> Value {
    let reply = app
        .post(
            "/api/v1/printers",
            json!({ "name": format!("Impresora {role}"), "role": role, "connection": "tcp",
                    "address": address, "paper": paper }),
            admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body
}

fn santiago_time(instant: &str) -> String {
    let tz = jiff::tz::TimeZone::get("America/Santiago").unwrap();
    instant
        .parse::<jiff::Timestamp>()
        .unwrap()
        .to_zoned(tz)
        .strftime("%H:%M")
        .to_string()
}

/// The mains ticket of table 4 as a 58 mm printer (32 columns, 16 in big type) prints it.
fn expected_58(number: i64, time: &str) -> String {
    format!(
        "[2x] COCINA
[2x] Mesa 4
Pedido {number} · Fondos
Garzón: Ana Admin
Marchar: {time}
--------------------------------
[2x] 2 x Ñoquis con
[2x] salsa de
[2x] champiñones
   Asiento 2
   Nota: sin queso rallado, por
   favor
[2x] 1 x Lomo a lo
[2x] pobre
   Término: A punto
   Asiento 1
--------------------------------
Nota del pedido: Cumpleaños en
la mesa



"
    )
}

/// The same ticket on 80 mm paper (48 columns, 24 in big type).
fn expected_80(number: i64, time: &str) -> String {
    format!(
        "[2x] COCINA
[2x] Mesa 4
Pedido {number} · Fondos
Garzón: Ana Admin
Marchar: {time}
------------------------------------------------
[2x] 2 x Ñoquis con salsa de
[2x] champiñones
   Asiento 2
   Nota: sin queso rallado, por favor
[2x] 1 x Lomo a lo pobre
   Término: A punto
   Asiento 1
------------------------------------------------
Nota del pedido: Cumpleaños en la mesa



"
    )
}

#[tokio::test]
async fn a_kitchen_ticket_prints_with_accents_and_enye_on_58_and_80_mm() {
    for (paper, expected) in [
        ("58", expected_58 as fn(i64, &str) -> String),
        ("80", expected_80),
    ] {
        let app = TestApp::new().await;
        let admin = app.setup().await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let printer = FakePrinter::default();
        printer.serve(listener);
        add_printer(&app, &admin, "kitchen", &address, paper).await;
        let menu = seed_menu(&app).await;
        let order = table_order(&app, &admin, &admin, &menu).await;
        let fired = app
            .post(
                &format!("/api/v1/orders/{}/fire", order["id"].as_str().unwrap()),
                json!({ "course": "mains" }),
                &admin,
            )
            .await;
        assert_eq!(fired.status, StatusCode::CREATED, "{:?}", fired.body);
        let ticket = &fired.body["tickets"][0];
        let tickets = printer.wait_for(1).await;
        let (text, code_page) = decode(&tickets[0]);
        assert_eq!(code_page, 19, "PC858 is selected with ESC t 19");
        let want = expected(
            order["number"].as_i64().unwrap(),
            &santiago_time(ticket["fired_at"].as_str().unwrap()),
        );
        assert_eq!(text, want, "{paper} mm");
        // Byte for byte: the letters are the code page's single bytes, never UTF-8.
        assert!(
            tickets[0].windows(2).all(|w| w != [0xC3, 0xB1]),
            "no UTF-8 ñ"
        );
        assert!(tickets[0].contains(&0xA5), "Ñ in PC858");
        // Big type is double width and height.
        assert!(tickets[0].windows(3).any(|w| w == [0x1D, b'!', 0x11]));

        // The queue says it printed; the printer is online.
        let queue = app.get("/api/v1/print-jobs", &admin).await;
        assert_eq!(queue.body["items"][0]["status"], "printed");
        assert_eq!(queue.body["items"][0]["kind"], "kitchen");
        let printers = app.get("/api/v1/printers", &admin).await;
        assert_eq!(printers.body[0]["state"], "online");

        // A reprint is the same ticket marked COPIA.
        let reprint = app
            .post(
                &format!(
                    "/api/v1/kitchen/tickets/{}/reprint",
                    ticket["id"].as_str().unwrap()
                ),
                Value::Null,
                &admin,
            )
            .await;
        assert_eq!(reprint.status, StatusCode::ACCEPTED, "{:?}", reprint.body);
        let tickets = printer.wait_for(2).await;
        let (copy, _) = decode(&tickets[1]);
        assert_eq!(copy, format!("[2x] *** COPIA ***\n{want}"));
    }
}

#[tokio::test]
async fn an_unreachable_printer_keeps_the_ticket_and_prints_it_once_when_back() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    // A port nothing listens on (taken, then released).
    let address = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().to_string()
    };
    add_printer(&app, &admin, "bar", &address, "80").await;
    let menu = seed_menu(&app).await;
    let order = table_order(&app, &admin, &admin, &menu).await;
    let fired = app
        .post(
            &format!("/api/v1/orders/{}/fire", order["id"].as_str().unwrap()),
            json!({ "course": "drinks" }),
            &admin,
        )
        .await;
    assert_eq!(fired.status, StatusCode::CREATED);

    // The attempt fails: the ticket waits, shown with the error; the printer is unreachable.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let job = loop {
        let queue = app.get("/api/v1/print-jobs", &admin).await;
        let job = queue.body["items"][0].clone();
        if job["attempts"].as_i64().unwrap_or(0) >= 1 {
            break job;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no attempt: {job:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(job["status"], "queued");
    assert_eq!(job["last_error"], "refused", "{job:?}");
    assert_eq!(job["title"], "Mesa 4 · Bebidas");
    let printers = app.get("/api/v1/printers", &admin).await;
    assert_eq!(printers.body[0]["state"], "unreachable");
    assert_eq!(printers.body[0]["queued"], 1);

    // The printer comes back on the same address: the ticket prints by itself, once.
    let listener = TcpListener::bind(&address).await.unwrap();
    let printer = FakePrinter::default();
    printer.serve(listener);
    let tickets = printer.wait_for(1).await;
    let (text, _) = decode(&tickets[0]);
    assert!(text.starts_with("[2x] BARRA\n[2x] Mesa 4\n"), "{text}");
    assert!(text.contains("[2x] 2 x Pisco sour\n"), "{text}");
    // Later rounds (and a retry press) never send it again.
    let retry = app
        .post(
            &format!("/api/v1/print-jobs/{}/retry", job["id"].as_str().unwrap()),
            Value::Null,
            &admin,
        )
        .await;
    assert_eq!(retry.status, StatusCode::CONFLICT, "{:?}", retry.body);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(printer.tickets().len(), 1);
    let queue = app.get("/api/v1/print-jobs", &admin).await;
    assert_eq!(queue.body["items"][0]["status"], "printed");
    let printers = app.get("/api/v1/printers", &admin).await;
    assert_eq!(printers.body[0]["state"], "online");
    assert_eq!(printers.body[0]["queued"], 0);
}

#[tokio::test]
async fn the_pre_bill_shows_the_tip_apart_and_a_second_print_is_a_copy() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let menu = seed_menu(&app).await;
    let order = table_order(&app, &admin, &admin, &menu).await;
    let path = format!("/api/v1/orders/{}/print", order["id"].as_str().unwrap());

    // No counter printer yet: said, not swallowed.
    let none = app
        .post(&path, json!({ "paper": "prebill" }), &waiter)
        .await;
    assert_eq!(none.status, StatusCode::CONFLICT);
    assert_eq!(none.code(), "no_printer");

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let printer = FakePrinter::default();
    printer.serve(listener);
    add_printer(&app, &admin, "counter", &address, "58").await;
    let first = app
        .post(&path, json!({ "paper": "prebill" }), &waiter)
        .await;
    assert_eq!(first.status, StatusCode::ACCEPTED, "{:?}", first.body);
    assert_eq!(first.body["copy"], false);
    let (text, _) = decode(&printer.wait_for(1).await[0]);
    // 2 × 4.990 + 2 × 8.990 + 12.990 + 3.490 = 44.440; tip 4.444, apart.
    assert!(
        text.contains("TOTAL                    $44.440\n"),
        "{text}"
    );
    assert!(
        text.contains("Propina sugerida 10%      $4.444\n"),
        "{text}"
    );
    assert!(
        text.contains("Total con propina        $48.884\n"),
        "{text}"
    );
    assert!(text.contains("La propina es voluntaria."), "{text}");
    assert!(!text.contains("COPIA"));
    let second = app
        .post(&path, json!({ "paper": "prebill" }), &waiter)
        .await;
    assert_eq!(second.body["copy"], true);
    let (copy, _) = decode(&printer.wait_for(2).await[1]);
    assert!(copy.starts_with("[2x] *** COPIA ***\n"), "{copy}");

    // A receipt after a cash payment shows what was paid and the change (cash goes
    // into an open drawer session).
    let opened = app
        .post(
            "/api/v1/drawer-sessions",
            json!({ "opening_float": 20000 }),
            &admin,
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
    let pay = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": order["id"], "method": "cash", "amount": 44440, "received": 50000 }),
            &admin,
        )
        .await;
    assert_eq!(pay.status, StatusCode::CREATED, "{:?}", pay.body);
    let receipt = app
        .post(&path, json!({ "paper": "receipt" }), &waiter)
        .await;
    assert_eq!(receipt.status, StatusCode::ACCEPTED);
    let (text, _) = decode(&printer.wait_for(3).await[2]);
    assert!(
        text.contains("Efectivo                 $44.440\n"),
        "{text}"
    );
    assert!(
        text.contains("Vuelto                    $5.560\n"),
        "{text}"
    );

    // Bad input.
    let bad = app.post(&path, json!({ "paper": "boleta" }), &waiter).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = app
        .post(
            &format!("/api/v1/orders/{}/print", uuid::Uuid::now_v7()),
            json!({ "paper": "prebill" }),
            &waiter,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn printers_are_validated_one_per_role_and_only_admins_configure_them() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let body = |address: &str, connection: &str| {
        json!({ "name": "Cocina", "role": "kitchen", "connection": connection,
                "address": address, "paper": "80" })
    };
    for (address, connection) in [
        ("http://10.0.0.5", "tcp"),
        ("10.0.0.5:70000", "tcp"),
        ("/etc/passwd", "device"),
        ("/dev/../etc/passwd", "device"),
    ] {
        let reply = app
            .post("/api/v1/printers", body(address, connection), &admin)
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{address}");
        assert!(
            reply.body["error"]["fields"]["address"].is_string(),
            "{:?}",
            reply.body
        );
    }
    let bad_paper = app
        .post(
            "/api/v1/printers",
            json!({ "name": "Cocina", "role": "kitchen", "connection": "tcp",
                    "address": "10.0.0.5", "paper": "110" }),
            &admin,
        )
        .await;
    assert_eq!(bad_paper.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused = app
        .post("/api/v1/printers", body("10.0.0.5", "tcp"), &manager)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let created = app
        .post("/api/v1/printers", body("10.0.0.5", "tcp"), &admin)
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body["state"], "unknown");
    assert_eq!(created.body["code_page"], "pc858");
    let twice = app
        .post("/api/v1/printers", body("10.0.0.6", "tcp"), &admin)
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.code(), "printer_role_taken");

    // Staff see the printers and the queue; only admins change them.
    let seen = app.get("/api/v1/printers", &waiter).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.body.as_array().unwrap().len(), 1);
    let id = created.body["id"].as_str().unwrap();
    let moved = app
        .put(
            &format!("/api/v1/printers/{id}"),
            json!({ "name": "Cocina", "role": "kitchen", "connection": "device",
                    "address": "/dev/usb/lp0", "paper": "58", "code_page": "wpc1252" }),
            &admin,
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    assert_eq!(moved.body["paper"], "58");
    let gone = app.delete(&format!("/api/v1/printers/{id}"), &admin).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let again = app.delete(&format!("/api/v1/printers/{id}"), &admin).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let retry = app
        .post(
            &format!("/api/v1/print-jobs/{}/retry", uuid::Uuid::now_v7()),
            Value::Null,
            &waiter,
        )
        .await;
    assert_eq!(retry.status, StatusCode::NOT_FOUND);
}

/// Polls the printers list (by station: bar, counter, kitchen) until the printer at
/// `index` is in `state`.
async fn printer_state(app: &TestApp, admin: &str, index: usize, state: &str) -> Value {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let printers = app.get("/api/v1/printers", admin).await;
        if printers.body[index]["state"] == state {
            return printers.body[index].clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the printer never showed {state}: {:?}",
            printers.body
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_printer_out_of_paper_keeps_the_ticket_and_says_so_until_a_roll_is_put_in() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let printer = FakePrinter::default();
    printer.set_roll(Some(PAPER_OUT));
    printer.serve(listener);
    add_printer(&app, &admin, "bar", &address, "80").await;
    let menu = seed_menu(&app).await;
    let order = table_order(&app, &admin, &admin, &menu).await;
    let fire = format!("/api/v1/orders/{}/fire", order["id"].as_str().unwrap());
    let fired = app.post(&fire, json!({ "course": "drinks" }), &admin).await;
    assert_eq!(fired.status, StatusCode::CREATED);

    // The printer says it has no paper: nothing is sent, the ticket waits with the reason.
    let out = printer_state(&app, &admin, 0, "paper_out").await;
    assert_eq!(out["queued"], 1);
    assert_eq!(out["last_error"], "paper_out", "{out:?}");
    assert!(printer.status_queries() >= 1);
    assert!(printer.tickets().is_empty());
    let queue = app.get("/api/v1/print-jobs", &admin).await;
    let job = queue.body["items"][0].clone();
    assert_eq!(job["status"], "queued");
    assert_eq!(job["last_error"], "paper_out", "{job:?}");

    // A roll near its end goes in; staff press "Reintentar": it prints once, and the
    // printer shows the roll is running low.
    printer.set_roll(Some(PAPER_LOW));
    let retry = app
        .post(
            &format!("/api/v1/print-jobs/{}/retry", job["id"].as_str().unwrap()),
            Value::Null,
            &admin,
        )
        .await;
    assert_eq!(retry.status, StatusCode::ACCEPTED, "{:?}", retry.body);
    let tickets = printer.wait_for(1).await;
    let (text, _) = decode(&tickets[0]);
    assert!(text.starts_with("[2x] BARRA\n[2x] Mesa 4\n"), "{text}");
    let low = printer_state(&app, &admin, 0, "paper_low").await;
    assert_eq!(low["queued"], 0);
    assert!(low["last_error"].is_null(), "{low:?}");

    // A printer that does not report its sensors still prints (after a short wait): the
    // kitchen's, on the same device, gets the mains.
    printer.set_roll(None);
    add_printer(&app, &admin, "kitchen", &address, "80").await;
    let fired = app.post(&fire, json!({ "course": "mains" }), &admin).await;
    assert_eq!(fired.status, StatusCode::CREATED, "{:?}", fired.body);
    printer.wait_for(2).await;
    printer_state(&app, &admin, 1, "online").await;
    assert_eq!(printer.tickets().len(), 2);
}

/// A table's tab: the kitchen ticket and the pre-bill say the table, the tab's waiter
/// and how many sit there.
#[tokio::test]
async fn a_tabs_ticket_and_pre_bill_show_table_waiter_and_covers() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let bar = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bar_address = bar.local_addr().unwrap().to_string();
    let bar_printer = FakePrinter::default();
    bar_printer.serve(bar);
    add_printer(&app, &admin, "bar", &bar_address, "58").await;
    let counter = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let counter_address = counter.local_addr().unwrap().to_string();
    let counter_printer = FakePrinter::default();
    counter_printer.serve(counter);
    add_printer(&app, &admin, "counter", &counter_address, "80").await;
    let menu = seed_menu(&app).await;
    let table = kitchen_support::table(&app, &admin, "4").await;
    let opened = app
        .post(
            &format!("/api/v1/tables/{table}/open"),
            json!({ "covers": 3 }),
            &waiter,
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
    let tab = opened.body["id"].as_str().unwrap().to_owned();
    let number = opened.body["number"].as_i64().unwrap();
    let round = app
        .post(
            &format!("/api/v1/orders/{tab}/lines"),
            json!({ "lines": [{ "item_id": menu.pisco, "quantity": 2, "course": "drinks", "seat": 1 }] }),
            &waiter,
        )
        .await;
    assert_eq!(round.status, StatusCode::OK, "{:?}", round.body);
    let fired = app
        .post(
            &format!("/api/v1/orders/{tab}/fire"),
            json!({ "course": "drinks" }),
            &waiter,
        )
        .await;
    assert_eq!(fired.status, StatusCode::CREATED, "{:?}", fired.body);
    assert_eq!(fired.body["tickets"][0]["covers"], 3);
    let time = santiago_time(fired.body["tickets"][0]["fired_at"].as_str().unwrap());
    let (text, _) = decode(&bar_printer.wait_for(1).await[0]);
    assert_eq!(
        text,
        format!(
            "[2x] BARRA
[2x] Mesa 4
Pedido {number} · Bebidas
Garzón: Persona waiter
Personas: 3
Marchar: {time}
--------------------------------
[2x] 2 x Pisco sour
   Asiento 1
--------------------------------



"
        )
    );

    let printed = app
        .post(
            &format!("/api/v1/orders/{tab}/print"),
            json!({ "paper": "prebill" }),
            &waiter,
        )
        .await;
    assert_eq!(printed.status, StatusCode::ACCEPTED, "{:?}", printed.body);
    let (text, _) = decode(&counter_printer.wait_for(1).await[0]);
    assert!(
        text.contains(&format!(
            "Mesa 4 · Pedido {number}\nGarzón: Persona waiter · Personas: 3\n----"
        )),
        "{text}"
    );
    assert!(text.contains("TOTAL"), "{text}");
}

/// A dessert station item fired with the desserts course goes to the dessert station's
/// screen and printer; the kitchen's dessert of the same course stays on the kitchen's.
#[tokio::test]
async fn a_dessert_station_item_goes_to_the_dessert_screen_and_printer_not_the_kitchens() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let mut printers = Vec::new();
    for role in ["kitchen", "dessert"] {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let printer = FakePrinter::default();
        printer.serve(listener);
        add_printer(&app, &admin, role, &address, "58").await;
        printers.push(printer);
    }
    let menu = seed_menu(&app).await;
    let panqueque = common::menu::MenuSeed::category(&app, "Postres")
        .await
        .item(common::menu::SeedItem {
            station: "dessert",
            ..common::menu::SeedItem::new("Panqueque con manjar", 4290)
        })
        .await;
    let table = kitchen_support::table(&app, &admin, "7").await;
    let opened = app
        .post(
            &format!("/api/v1/tables/{table}/open"),
            json!({ "covers": 2 }),
            &admin,
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
    let tab = opened.body["id"].as_str().unwrap().to_owned();
    let round = app
        .post(
            &format!("/api/v1/orders/{tab}/lines"),
            json!({ "lines": [
                { "item_id": menu.leche, "quantity": 1, "course": "desserts" },
                { "item_id": panqueque, "quantity": 2, "course": "desserts", "note": "uno sin crema" },
            ] }),
            &admin,
        )
        .await;
    assert_eq!(round.status, StatusCode::OK, "{:?}", round.body);
    let lines = round.body["lines"].as_array().unwrap();
    let panqueque_line = lines
        .iter()
        .find(|l| l["item_id"] == panqueque.as_str())
        .unwrap();
    assert_eq!(panqueque_line["station"], "dessert");

    let fired = app
        .post(
            &format!("/api/v1/orders/{tab}/fire"),
            json!({ "course": "desserts" }),
            &admin,
        )
        .await;
    assert_eq!(fired.status, StatusCode::CREATED, "{:?}", fired.body);
    let mut stations: Vec<_> = fired.body["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["station"].as_str().unwrap().to_owned())
        .collect();
    stations.sort();
    assert_eq!(stations, ["dessert", "kitchen"]);

    // The dessert screen shows the panqueques only; the kitchen's, the leche asada only.
    let dessert_screen = app
        .get("/api/v1/kitchen/tickets?station=dessert", &admin)
        .await;
    assert_eq!(
        dessert_screen.status,
        StatusCode::OK,
        "{:?}",
        dessert_screen.body
    );
    let dessert_tickets = dessert_screen.body["items"].as_array().unwrap();
    assert_eq!(dessert_tickets.len(), 1, "{dessert_tickets:?}");
    assert_eq!(
        dessert_tickets[0]["lines"][0]["name"],
        "Panqueque con manjar"
    );
    assert_eq!(dessert_tickets[0]["lines"].as_array().unwrap().len(), 1);
    let kitchen_screen = app
        .get("/api/v1/kitchen/tickets?station=kitchen", &admin)
        .await;
    let kitchen_tickets = kitchen_screen.body["items"].as_array().unwrap();
    assert_eq!(kitchen_tickets.len(), 1, "{kitchen_tickets:?}");
    assert_eq!(kitchen_tickets[0]["lines"][0]["name"], "Leche asada");

    // Each printer gets its station's ticket, once.
    let (dessert_text, _) = decode(&printers[1].wait_for(1).await[0]);
    assert!(
        dessert_text.starts_with("[2x] POSTRES\n[2x] Mesa 7\n"),
        "{dessert_text}"
    );
    // 16 big-type columns on 58 mm: the name wraps.
    assert!(
        dessert_text.contains("[2x] 2 x Panqueque\n[2x] con manjar\n"),
        "{dessert_text}"
    );
    assert!(dessert_text.contains("uno sin crema"), "{dessert_text}");
    assert!(!dessert_text.contains("Leche asada"), "{dessert_text}");
    let (kitchen_text, _) = decode(&printers[0].wait_for(1).await[0]);
    assert!(kitchen_text.starts_with("[2x] COCINA\n"), "{kitchen_text}");
    assert!(kitchen_text.contains("Leche asada"), "{kitchen_text}");
    assert!(!kitchen_text.contains("Panqueque"), "{kitchen_text}");
    assert_eq!(printers[0].tickets().len(), 1);
    assert_eq!(printers[1].tickets().len(), 1);

    // An unknown station is a 422 with the field named, not an empty screen.
    let unknown = app
        .get("/api/v1/kitchen/tickets?station=postres", &admin)
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        unknown.body
    );
    assert!(
        unknown.body["error"]["fields"]["station"].is_string(),
        "{:?}",
        unknown.body
    );
}
