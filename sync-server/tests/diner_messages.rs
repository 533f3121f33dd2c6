//! What a widget diner hears, by the channel they chose (issue 18, Build 5), against the
//! Twilio fake (`common::twilio`) and the SMTP sink (`common::mail`) behind the real
//! clients: a widget order by SMS or by email gets its confirmation and each status
//! (aceptado, listo, rechazado with the reason) once, even when the counter's status
//! push is replayed; no consent, nothing; BAJA by SMS and the email's one-click opt-out
//! link are honoured; a booking's email carries a working cancel link and the opt-out
//! link, with the `List-Unsubscribe` header of RFC 8058. A widget order by WhatsApp is
//! heard the same way against the Graph API fake (`common::whatsapp`): the template
//! outside the 24-hour window, text inside it.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Utc;
use common::mail::{SmtpSink, unquote};
use common::sync::{device, hlc, id, push_ok, upsert};
use common::twilio::*;
use common::whatsapp as wa;
use common::{Reply, Tenant, TestApp, count};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

const EMAIL: &str = "rosa@example.cl";

async fn app_with_both(
    owner: PgConnectOptions,
    twilio_url: String,
    sink: &SmtpSink,
    graph_url: Option<String>,
) -> TestApp {
    let smtp = sink.url();
    TestApp::with_settings(owner, move |s| {
        if let Some(url) = graph_url {
            s.whatsapp_graph_url = url;
            s.chat_relay_timeout_ms = 200;
        }
        s.twilio_api_url = twilio_url;
        s.credentials_key =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, [9u8; 32]);
        s.public_url = "https://cloud.test".into();
        s.mail_transport = "smtp".into();
        s.smtp_url = smtp;
    })
    .await
}

struct Setup {
    app: TestApp,
    twilio: Twilio,
    sink: SmtpSink,
    tenant: Tenant,
    counter: String,
    item: String,
}

async fn setup(owner: PgConnectOptions, slug: &str) -> Setup {
    setup_with(owner, slug, None).await
}

/// [`setup`], with WhatsApp's Graph API at `graph_url` when given (the caller links the
/// number).
async fn setup_with(owner: PgConnectOptions, slug: &str, graph_url: Option<String>) -> Setup {
    let (twilio, url) = start_fake().await;
    let sink = SmtpSink::start().await;
    let app = app_with_both(owner, url, &sink, graph_url).await;
    let tenant = app.signup(slug).await;
    // The owner's own mail of the sign-up (verify the address) goes first: out of the way.
    app.state.mail.run_once(Utc::now()).await.unwrap();
    sink.received.lock().unwrap().clear();
    assert_eq!(link(&app, &tenant).await.status, StatusCode::OK);
    let (_, counter) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (category, item, table, stamp) = (id(), id(), id(), hlc(1));
    push_ok(
        &app,
        &counter,
        vec![
            upsert(
                "category",
                &category,
                json!({"id": category, "name": "Sándwiches", "name_en": "Sandwiches",
                       "position": 0, "active": true,
                       "created_at": "2026-11-27T12:00:00.000Z", "updated_at": stamp}),
                &stamp,
            ),
            upsert(
                "item",
                &item,
                json!({"id": item, "category_id": category, "name": "Completo italiano",
                       "name_en": "Italian hot dog", "description": null,
                       "description_en": null, "price": 3500, "station": "kitchen",
                       "tags": [], "allergens": [], "modifier_group_ids": [],
                       "available": true, "position": 0,
                       "created_at": "2026-11-27T12:00:00.000Z", "updated_at": stamp}),
                &stamp,
            ),
            upsert(
                "table",
                &table,
                json!({"id": table, "name": "Mesa 1", "seats": 4, "area": "Salón",
                       "position": 0, "active": true,
                       "created_at": "2026-11-27T12:00:00.000Z", "updated_at": stamp}),
                &stamp,
            ),
        ],
    )
    .await;
    // Orders on, waiting while offline (the test's counter holds no live stream).
    let mut settings = app.get("/api/v1/widget-settings", &tenant.token).await.body;
    settings["ordering"] =
        json!({"online_orders": true, "offline_policy": "wait", "payment": "at_pickup"});
    let reply = app
        .put("/api/v1/widget-settings", settings, &tenant.token)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    Setup {
        app,
        twilio,
        sink,
        tenant,
        counter,
        item,
    }
}

async fn post_json(app: &TestApp, path: &str, key: &str, body: &Value) -> Reply {
    app.send(
        Request::post(path)
            .header(header::HOST, "cloud.test")
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", key)
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

fn order(item: &str, notify_by: &str, consent: bool, email: Option<&str>) -> Value {
    let mut customer = json!({"name": "Rosa", "phone": "+56 9 8765 4321"});
    if let Some(email) = email {
        customer["email"] = json!(email);
    }
    json!({
        "customer": customer,
        "fulfilment": "pickup",
        "lines": [{"item_id": item, "quantity": 2}],
        "language": "es",
        "notify_by": notify_by,
        "messages_consent": consent,
    })
}

/// The mutations that move `order` to `status`, as the counter pushes them (the same
/// ones may be pushed again: a replay).
fn moved(order: &str, from: &str, status: &str, ms: u64, reason: Option<&str>) -> Vec<Value> {
    // After the cloud's own stamp of the order, as a counter's clock would be (`hlc` counts
    // from an hour before the test began; a minute ahead stays within the allowed skew):
    // the reason is last-writer-wins (the status's move wins whatever its clock).
    let (stamp, transition) = (hlc(3_600_000 + 60_000 + ms), id());
    let mut row = json!({"status": status, "updated_at": stamp});
    if let Some(reason) = reason {
        row["cancel_reason"] = json!(reason);
    }
    vec![
        upsert("order", order, row, &stamp),
        upsert(
            "order_transition",
            &transition,
            json!({"id": transition, "order_id": order,
                   "transition": {"from": from, "to": status, "reason": reason,
                                  "by_user": null, "at": "2026-11-27T16:00:00.000Z"},
                   "updated_at": stamp}),
            &stamp,
        ),
    ]
}

async fn sms_round(app: &TestApp) -> usize {
    app.state.sms.run_once(Utc::now()).await.unwrap().sent
}

async fn mail_round(app: &TestApp) -> usize {
    app.state.mail.run_once(Utc::now()).await.unwrap().sent
}

/// The first `https://cloud.test/…` address in `text` that contains `part`, as a path.
fn path_in(text: &str, part: &str) -> String {
    let at = text.find(part).unwrap();
    let start = text[..at].rfind("https://cloud.test").unwrap() + "https://cloud.test".len();
    text[start..]
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>'))
        .next()
        .unwrap()
        .replace("&amp;", "&")
}

async fn page(app: &TestApp, method: &str, path: &str) -> (StatusCode, String) {
    let reply = app
        .send(
            Request::builder()
                .method(method)
                .uri(path)
                .header(header::HOST, "cloud.test")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let text = reply
        .body
        .as_str()
        .map_or_else(|| reply.body.to_string(), str::to_owned);
    (reply.status, text)
}

#[sqlx::test(migrations = false)]
async fn a_widget_order_by_sms_hears_each_status_once_even_when_the_push_is_replayed(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let s = setup(owner, "pedido-sms").await;
    let app = &s.app;
    // The widget is told which channels it may offer: SMS (Twilio) and email (a mail
    // transport), not WhatsApp (no number linked).
    let config = app
        .send(
            Request::get("/api/v1/public/pedido-sms/widget")
                .header(header::HOST, "cloud.test")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(config.body["messages"]["channels"], json!(["sms", "email"]));

    let key = Uuid::now_v7().to_string();
    let body = order(&s.item, "sms", true, None);
    let placed = post_json(app, "/api/v1/public/pedido-sms/orders", &key, &body).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    let order_id = placed.body["id"].as_str().unwrap().to_owned();
    // A retried request queues nothing new.
    let again = post_json(app, "/api/v1/public/pedido-sms/orders", &key, &body).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(sms_round(app).await, 1);
    let sent = s.twilio.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["To"], DINER, "the order's phone, as E.164");
    assert_eq!(
        sent[0]["Body"],
        "Restaurante pedido-sms: recibimos tu pedido N° 1. Te avisamos cuando el restaurante lo acepte. Responde BAJA para no recibir más mensajes."
    );
    // The number is sealed where it is kept.
    let mut conn = app.owner_conn().await;
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT contact FROM order_contacts")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(!sealed.windows(8).any(|w| w == b"87654321"));

    // The counter accepts it; its push is replayed, then it moves on to preparing (the
    // same "aceptado"): one SMS.
    let accept = moved(&order_id, "pending", "confirmed", 100, None);
    push_ok(app, &s.counter, accept.clone()).await;
    push_ok(app, &s.counter, accept).await;
    push_ok(
        app,
        &s.counter,
        moved(&order_id, "confirmed", "preparing", 200, None),
    )
    .await;
    assert_eq!(sms_round(app).await, 1);
    assert_eq!(sms_round(app).await, 0);
    let sent = s.twilio.sent();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[1]["Body"],
        "Restaurante pedido-sms: ¡El restaurante aceptó tu pedido N° 1! Ya lo estamos preparando; te avisamos por aquí cuando esté listo."
    );
    let ready = moved(&order_id, "preparing", "ready", 300, None);
    push_ok(app, &s.counter, ready.clone()).await;
    push_ok(app, &s.counter, ready).await;
    // The worker's pass finds nothing left: the push queued it.
    assert_eq!(
        dysa_cloud::diner_messages::flush_all(&app.state)
            .await
            .unwrap(),
        0
    );
    assert_eq!(sms_round(app).await, 1);
    let sent = s.twilio.sent();
    assert_eq!(sent.len(), 3);
    assert!(
        sent[2]["Body"].contains("¡Tu pedido N° 1 está listo!"),
        "{:?}",
        sent[2]
    );
    assert_eq!(
        count(app, "SELECT count(*) FROM sms_outbox").await,
        3,
        "one row per message"
    );
    // Nothing went by email.
    assert_eq!(mail_round(app).await, 0);
    assert!(s.sink.messages().is_empty());
}

#[sqlx::test(migrations = false)]
async fn a_widget_order_by_email_hears_each_status_once_and_its_opt_out_link_works(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let s = setup(owner, "pedido-mail").await;
    let app = &s.app;
    let path = "/api/v1/public/pedido-mail/orders";
    let placed = post_json(
        app,
        path,
        &Uuid::now_v7().to_string(),
        &order(&s.item, "email", true, Some("Rosa@Example.cl")),
    )
    .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    let order_id = placed.body["id"].as_str().unwrap().to_owned();
    assert_eq!(mail_round(app).await, 1);
    let messages = s.sink.messages();
    assert_eq!(messages[0].to, vec![EMAIL.to_owned()]);
    let first = unquote(&messages[0].data);
    assert!(first.contains("Recibimos tu pedido N° 1."), "{first}");
    assert!(
        first.contains("aceptaste mensajes de Restaurante pedido-mail"),
        "{first}"
    );
    assert!(first.contains("No quiero recibir más mensajes de este restaurante"));
    // RFC 8058: the one-click header pair, naming the same page as the link.
    let opt_out = path_in(&first, "/api/v1/public/opt-out/");
    assert!(
        first.contains(&format!("List-Unsubscribe: <https://cloud.test{opt_out}>")),
        "{first}"
    );
    assert!(first.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(!opt_out.contains("rosa"), "the link names no address");
    // Once sent, the outbox keeps no diner's address (docs/SECURITY.md).
    assert_eq!(
        count(
            app,
            "SELECT count(*) FROM mail_outbox WHERE to_address LIKE '%rosa%'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            app,
            "SELECT count(*) FROM mail_outbox WHERE purpose = 'diner_notice' AND status = 'sent'"
        )
        .await,
        1
    );
    // Nothing by SMS.
    assert_eq!(sms_round(app).await, 0);

    // Rejected with the reason, the push replayed: one mail, with the reason.
    let reject = moved(
        &order_id,
        "pending",
        "cancelled",
        100,
        Some("Se nos acabó el pan"),
    );
    push_ok(app, &s.counter, reject.clone()).await;
    push_ok(app, &s.counter, reject).await;
    assert_eq!(mail_round(app).await, 1);
    assert_eq!(mail_round(app).await, 0);
    let second = unquote(&s.sink.messages()[1].data);
    assert!(
        second.contains("el restaurante no pudo aceptar tu pedido N° 1."),
        "{second}"
    );
    assert!(second.contains("Motivo: Se nos acab"), "{second}");

    // Opening the link changes nothing (mail scanners open links); a forged token or
    // another tenant's path is 404; the button opts the address out, once.
    let (status, html) = page(app, "GET", &opt_out).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("No enviarme más mensajes"), "{html}");
    assert_eq!(count(app, "SELECT count(*) FROM diner_opt_outs").await, 0);
    let mut forged = opt_out.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(page(app, "POST", &forged).await.0, StatusCode::NOT_FOUND);
    let elsewhere = opt_out.replace(&s.tenant.id, &Uuid::now_v7().to_string());
    assert_eq!(page(app, "POST", &elsewhere).await.0, StatusCode::NOT_FOUND);
    let other = app.signup("otro-local").await;
    let theirs = opt_out.replace(&s.tenant.id, &other.id);
    assert_eq!(page(app, "POST", &theirs).await.0, StatusCode::NOT_FOUND);
    let (status, done) = page(app, "POST", &opt_out).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        done.contains("Listo: no te enviaremos más mensajes"),
        "{done}"
    );
    assert_eq!(page(app, "POST", &opt_out).await.0, StatusCode::OK);
    assert_eq!(
        count(
            app,
            "SELECT count(*) FROM diner_opt_outs WHERE kind = 'email' AND source = 'email_link'"
        )
        .await,
        1
    );

    // Opted out: a new order by email queues nothing, nor do its statuses.
    let mails_before = count(app, "SELECT count(*) FROM mail_outbox").await;
    let next = post_json(
        app,
        path,
        &Uuid::now_v7().to_string(),
        &order(&s.item, "email", true, Some(EMAIL)),
    )
    .await;
    assert_eq!(next.status, StatusCode::CREATED, "{:?}", next.body);
    let next_id = next.body["id"].as_str().unwrap().to_owned();
    push_ok(
        app,
        &s.counter,
        moved(&next_id, "pending", "confirmed", 400, None),
    )
    .await;
    assert_eq!(
        count(app, "SELECT count(*) FROM mail_outbox").await,
        mails_before
    );
    // (The round sends only the other owner's sign-up mail.)
    mail_round(app).await;
    assert!(
        s.sink
            .messages()
            .iter()
            .skip(2)
            .all(|m| m.to != vec![EMAIL.to_owned()])
    );
}

#[sqlx::test(migrations = false)]
async fn without_consent_or_after_baja_nothing_is_sent_and_unusable_channels_are_refused(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let s = setup(owner, "pedido-no").await;
    let app = &s.app;
    let path = "/api/v1/public/pedido-no/orders";
    // No consent: the order is taken, and nothing is kept or sent.
    let placed = post_json(
        app,
        path,
        &Uuid::now_v7().to_string(),
        &order(&s.item, "sms", false, None),
    )
    .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    let order_id = placed.body["id"].as_str().unwrap().to_owned();
    push_ok(
        app,
        &s.counter,
        moved(&order_id, "pending", "confirmed", 100, None),
    )
    .await;
    assert_eq!(sms_round(app).await, 0);
    assert_eq!(count(app, "SELECT count(*) FROM order_contacts").await, 0);
    assert_eq!(count(app, "SELECT count(*) FROM sms_outbox").await, 0);

    // A channel the restaurant cannot use, or email without an address: 422, no order.
    let whatsapp = post_json(
        app,
        path,
        &Uuid::now_v7().to_string(),
        &order(&s.item, "whatsapp", true, None),
    )
    .await;
    assert_eq!(whatsapp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(whatsapp.body["error"]["fields"]["notify_by"].is_string());
    let no_address = post_json(
        app,
        path,
        &Uuid::now_v7().to_string(),
        &order(&s.item, "email", true, None),
    )
    .await;
    assert_eq!(no_address.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_address.body["error"]["fields"]["customer.email"].is_string());
    assert_eq!(
        count(app, "SELECT count(*) FROM orders").await,
        1,
        "only the first order"
    );

    // BAJA by SMS: a later SMS order queues nothing.
    let inbound = format!("/api/v1/webhooks/twilio/{}/inbound", s.tenant.id);
    let baja = webhook(
        app,
        &inbound,
        &[
            ("AccountSid", ACCOUNT_SID),
            ("Body", "BAJA"),
            ("From", DINER),
            ("MessageSid", "SM00000000000000000000000000000099"),
            ("NumMedia", "0"),
            ("To", FROM),
        ],
        Some(AUTH_TOKEN),
    )
    .await;
    assert_eq!(baja.status, StatusCode::OK);
    let after = post_json(
        app,
        path,
        &Uuid::now_v7().to_string(),
        &order(&s.item, "sms", true, None),
    )
    .await;
    assert_eq!(after.status, StatusCode::CREATED, "{:?}", after.body);
    let after_id = after.body["id"].as_str().unwrap().to_owned();
    push_ok(
        app,
        &s.counter,
        moved(&after_id, "pending", "confirmed", 200, None),
    )
    .await;
    assert_eq!(count(app, "SELECT count(*) FROM sms_outbox").await, 0);
    assert_eq!(sms_round(app).await, 0);
    assert!(s.twilio.sent().is_empty());
}

/// What reached the fake Graph API as message `n`: (to, type, the words the diner reads).
fn graph_message(sent: &[(String, Value)], n: usize) -> (String, String, String) {
    let body = &sent[n].1;
    assert_eq!(sent[n].0, wa::PHONE_NUMBER_ID);
    assert_eq!(body["messaging_product"], "whatsapp");
    let kind = body["type"].as_str().unwrap().to_owned();
    let words = if kind == "template" {
        // Outside the 24-hour window: the link's approved template, the words as its one
        // body parameter, in the diner's language.
        assert_eq!(body["template"]["name"], "dysa_aviso", "{body}");
        assert_eq!(body["template"]["language"]["code"], "es", "{body}");
        assert_eq!(body["template"]["components"][0]["type"], "body");
        body["template"]["components"][0]["parameters"][0]["text"].clone()
    } else {
        body["text"]["body"].clone()
    };
    (
        body["to"].as_str().unwrap().to_owned(),
        kind,
        words.as_str().unwrap().to_owned(),
    )
}

/// The WhatsApp outbox's round finds nothing more to send, and the fake got `n` in all.
async fn nothing_more(app: &TestApp, graph: &wa::Graph, n: usize) {
    let round = app.state.whatsapp.run_once(Utc::now()).await.unwrap();
    assert_eq!(round.sent, 0, "{round:?}");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(graph.sent().len(), n, "{:?}", graph.sent());
}

#[sqlx::test(migrations = false)]
async fn a_widget_order_by_whatsapp_hears_each_status_once_against_the_graph_api(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (graph, graph_url) = wa::fake_graph().await;
    let s = setup_with(owner, "pedido-wa", Some(graph_url)).await;
    let app = &s.app;
    let webhook = wa::link(app, &s.tenant).await;
    let config = app
        .send(
            Request::get("/api/v1/public/pedido-wa/widget")
                .header(header::HOST, "cloud.test")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        config.body["messages"]["channels"],
        json!(["whatsapp", "sms", "email"])
    );
    let path = "/api/v1/public/pedido-wa/orders";

    // The confirmation, once however often the request is retried. The diner never wrote
    // to the restaurant on WhatsApp: outside the window, so the template.
    let (key, body) = (
        Uuid::now_v7().to_string(),
        order(&s.item, "whatsapp", true, None),
    );
    let placed = post_json(app, path, &key, &body).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    let first = placed.body["id"].as_str().unwrap().to_owned();
    let again = post_json(app, path, &key, &body).await;
    assert_eq!(again.status, StatusCode::CREATED);
    let sent = wa::wait_sent(&graph, 1).await;
    assert_eq!(
        graph_message(&sent, 0),
        (
            wa::DINER.to_owned(),
            "template".to_owned(),
            "Restaurante pedido-wa: recibimos tu pedido N° 1. Te avisamos cuando el restaurante lo acepte. Responde BAJA para no recibir más mensajes.".to_owned()
        )
    );
    nothing_more(app, &graph, 1).await;

    // Accepted, the push replayed, then preparing (the same "aceptado"): one message.
    let accept = moved(&first, "pending", "confirmed", 100, None);
    push_ok(app, &s.counter, accept.clone()).await;
    push_ok(app, &s.counter, accept).await;
    push_ok(
        app,
        &s.counter,
        moved(&first, "confirmed", "preparing", 200, None),
    )
    .await;
    let sent = wa::wait_sent(&graph, 2).await;
    assert_eq!(
        graph_message(&sent, 1),
        (
            wa::DINER.to_owned(),
            "template".to_owned(),
            "¡El restaurante aceptó tu pedido N° 1! Ya lo estamos preparando; te avisamos por aquí cuando esté listo.".to_owned()
        )
    );
    nothing_more(app, &graph, 2).await;

    // The diner writes on WhatsApp (the counter is offline: the cloud answers it). From
    // now on, inside the 24-hour window, the same words go as plain text.
    let note = wa::notification("wamid.DINER1", "¿cuánto falta?");
    assert_eq!(
        wa::signed(app, &webhook, &note).await.status,
        StatusCode::OK
    );
    let answered = wa::wait_sent(&graph, 3).await;
    assert_eq!(graph_message(&answered, 2).1, "text");
    let ready = moved(&first, "preparing", "ready", 300, None);
    push_ok(app, &s.counter, ready.clone()).await;
    push_ok(app, &s.counter, ready).await;
    let sent = wa::wait_sent(&graph, 4).await;
    assert_eq!(
        graph_message(&sent, 3),
        (
            wa::DINER.to_owned(),
            "text".to_owned(),
            "¡Tu pedido N° 1 está listo! Te esperamos para retirarlo.".to_owned()
        )
    );
    nothing_more(app, &graph, 4).await;

    // Another order, refused with the reason (the push replayed): its confirmation and
    // one refusal, as text.
    let placed = post_json(
        app,
        path,
        &Uuid::now_v7().to_string(),
        &order(&s.item, "whatsapp", true, None),
    )
    .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    let second = placed.body["id"].as_str().unwrap().to_owned();
    let sent = wa::wait_sent(&graph, 5).await;
    assert_eq!(graph_message(&sent, 4).1, "text");
    assert!(
        graph_message(&sent, 4)
            .2
            .contains("recibimos tu pedido N° 2.")
    );
    let reject = moved(
        &second,
        "pending",
        "cancelled",
        400,
        Some("Se nos acabó el pan"),
    );
    push_ok(app, &s.counter, reject.clone()).await;
    push_ok(app, &s.counter, reject).await;
    let sent = wa::wait_sent(&graph, 6).await;
    assert_eq!(
        graph_message(&sent, 5),
        (
            wa::DINER.to_owned(),
            "text".to_owned(),
            "Lo sentimos: el restaurante no pudo aceptar tu pedido N° 2. Motivo: Se nos acabó el pan".to_owned()
        )
    );
    nothing_more(app, &graph, 6).await;

    // Without consent: the order is taken, nothing is remembered or sent.
    let placed = post_json(
        app,
        path,
        &Uuid::now_v7().to_string(),
        &order(&s.item, "whatsapp", false, None),
    )
    .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    let silent = placed.body["id"].as_str().unwrap().to_owned();
    push_ok(
        app,
        &s.counter,
        moved(&silent, "pending", "confirmed", 500, None),
    )
    .await;
    nothing_more(app, &graph, 6).await;
    assert_eq!(count(app, "SELECT count(*) FROM whatsapp_orders").await, 2);
    // Nothing went by SMS or email.
    assert_eq!(sms_round(app).await, 0);
    assert!(s.twilio.sent().is_empty());
    assert_eq!(count(app, "SELECT count(*) FROM order_contacts").await, 0);
}

/// Sunday 4 April 2027 at 20:00 in Santiago (as `tests/booking_messages.rs`).
const SUNDAY: &str = "2027-04-04T20:00:00-04:00";

#[sqlx::test(migrations = false)]
async fn a_booking_email_carries_a_working_cancel_link_and_opt_out(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let s = setup(owner, "reserva-mail").await;
    let app = &s.app;
    let path = "/api/v1/public/reserva-mail/reservations";
    // No consent asked: the address stays only in the booking's notes; no mail.
    let silent = post_json(
        app,
        path,
        &Uuid::now_v7().to_string(),
        &json!({"name": "Ana", "phone": "9 1111 2222", "email": "ana@example.cl",
                "party_size": 2, "starts_at": "2027-04-05T20:00:00-04:00"}),
    )
    .await;
    assert_eq!(silent.status, StatusCode::CREATED, "{:?}", silent.body);
    assert_eq!(
        count(
            app,
            "SELECT count(*) FROM booking_consents WHERE email IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(mail_round(app).await, 0);
    assert_eq!(sms_round(app).await, 1, "Ana's confirmation, by SMS only");

    let booked = post_json(
        app,
        path,
        &Uuid::now_v7().to_string(),
        &json!({"name": "Rosa", "phone": "9 8765 4321", "email": "Rosa@Example.cl",
                "party_size": 2, "starts_at": SUNDAY, "messages_consent": true,
                "language": "es"}),
    )
    .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{:?}", booked.body);
    let reservation = booked.body["id"].as_str().unwrap().to_owned();
    let mut conn = app.owner_conn().await;
    let sealed: Vec<u8> =
        sqlx::query_scalar("SELECT email FROM booking_consents WHERE email IS NOT NULL")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(!sealed.windows(4).any(|w| w == b"rosa"), "sealed at rest");

    assert_eq!(mail_round(app).await, 1);
    let messages = s.sink.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].to, vec![EMAIL.to_owned()]);
    let mail = unquote(&messages[0].data);
    assert!(
        mail.contains(
            "Recibimos tu reserva en Local principal para 2 personas el domingo 4 de abril, 20:00."
        ) || mail.contains("para 2 personas el domingo 4 de abril, 20:00."),
        "{mail}"
    );
    assert!(mail.contains("Ver o anular mi reserva"), "{mail}");
    assert!(mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    // The same booking by SMS too (Twilio is linked).
    assert_eq!(sms_round(app).await, 1);

    // The cancel link works.
    let cancel = path_in(&mail, "/api/v1/public/bookings/");
    let (status, html) = page(app, "GET", &cancel).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Anular mi reserva"), "{html}");
    // The opt-out link too: then the reminders go by SMS only.
    let opt_out = path_in(&mail, "/api/v1/public/opt-out/");
    assert_eq!(page(app, "POST", &opt_out).await.0, StatusCode::OK);
    let day_before: chrono::DateTime<Utc> = "2027-04-03T20:00:00-03:00".parse().unwrap();
    let queued = dysa_cloud::booking_messages::run_reminders(&app.state, day_before)
        .await
        .unwrap();
    assert_eq!(queued, 1, "the SMS reminder");
    assert_eq!(mail_round(app).await, 0, "no mail after the opt-out");
    assert_eq!(sms_round(app).await, 1);

    let (status, done) = page(app, "POST", &cancel).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let (status_now,): (String,) = sqlx::query_as("SELECT status FROM reservations WHERE id = $1")
        .bind(reservation.parse::<Uuid>().unwrap())
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(status_now, "cancelled");
}
