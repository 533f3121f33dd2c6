//! WhatsApp Business (Cloud API) on the cloud, against a faithful local fake of the Graph
//! API's `messages` endpoint (bearer token, documented request and answer shapes, Meta's
//! error object) behind the real client: the owner links a number; Meta's handshake and
//! signed notifications; a diner's message relayed to the counter's live stream or
//! answered by the cloud when the counter is offline; a redelivery answered once;
//! statuses recorded; staff's words from the counter sent as text inside the 24-hour
//! window and as the template outside it; a draft confirmed in the conversation placed
//! as an order at the counter once, and the counter's status changes sent back once each
//! (retried while the Graph API is down).

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::live::{live_stream, next_chat};
use common::sync::{first_device, hlc, id, push_ok, upsert};
use common::whatsapp::{
    ACCESS_TOKEN, APP_SECRET, DINER, Graph, PHONE_NUMBER_ID, VERIFY_TOKEN, app_with_graph,
    fake_graph, link, notification, post_webhook, signature, signed, wait_sent,
};
use common::{TestApp, count};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::sync::atomic::Ordering;
use std::time::Duration;

#[sqlx::test(migrations = false)]
async fn the_owner_links_a_number_and_meta_verifies_it(_: PgPoolOptions, owner: PgConnectOptions) {
    let (_, graph_url) = fake_graph().await;
    let app = app_with_graph(owner, &graph_url, 500).await;
    let tenant = app.signup("linkea").await;
    let route = format!("/api/v1/locations/{}/whatsapp", tenant.location_id);
    let none = app.get(&route, &tenant.token).await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.body["link"].is_null());
    // Bad input: 422 with every field named, nothing linked.
    let bad = app
        .put(
            &route,
            json!({ "phone_number_id": "12ab", "waba_id": "", "access_token": "with space",
                    "app_secret": "", "verify_token": "short", "template_name": "Bad-Name" }),
            &tenant.token,
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
    for field in [
        "phone_number_id",
        "waba_id",
        "access_token",
        "app_secret",
        "verify_token",
        "template_name",
    ] {
        assert!(
            bad.body["error"]["fields"][field].is_string(),
            "{field}: {:?}",
            bad.body
        );
    }
    let path = link(&app, &tenant).await;
    // The secrets never come back.
    let shown = app.get(&route, &tenant.token).await;
    let text = shown.body.to_string();
    assert!(
        !text.contains(ACCESS_TOKEN) && !text.contains(APP_SECRET) && !text.contains(VERIFY_TOKEN),
        "{text}"
    );
    assert_eq!(shown.body["link"]["access_token_hint"], "1234");
    assert_eq!(shown.body["link"]["template_name"], "dysa_aviso");

    // Meta's handshake: the challenge only for the right token and mode.
    let ok = app
        .call(
            Method::GET,
            &format!(
                "{path}?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444"
            ),
            Value::Null,
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    assert_eq!(ok.body, json!(1158201444));
    for query in [
        "hub.mode=subscribe&hub.verify_token=wrong-token&hub.challenge=1",
        &format!("hub.mode=unsubscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1"),
        &format!("hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}"),
    ] {
        let refused = app
            .call(Method::GET, &format!("{path}?{query}"), Value::Null, None)
            .await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{query}");
    }
    let unknown = format!("/api/v1/public/whatsapp/{}/webhook", uuid::Uuid::now_v7());
    let refused = app
        .call(
            Method::GET,
            &format!(
                "{unknown}?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1"
            ),
            Value::Null,
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);

    // Another tenant's owner cannot read or unlink it.
    let other = app.signup("ajeno").await;
    let foreign = app.get(&route, &other.token).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    // Unlinked: the webhook is refused from then on.
    let gone = app.delete(&route, &tenant.token).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let after = app
        .call(
            Method::GET,
            &format!("{path}?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1"),
            Value::Null,
            None,
        )
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = false)]
async fn a_bad_signature_is_refused_and_stores_nothing(_: PgPoolOptions, owner: PgConnectOptions) {
    let (graph, graph_url) = fake_graph().await;
    let app = app_with_graph(owner, &graph_url, 500).await;
    let tenant = app.signup("firma").await;
    let path = link(&app, &tenant).await;
    let body = notification("wamid.BAD1", "hola");
    let raw = body.to_string();
    for sig in [
        None,
        Some("sha256=00".to_owned()),
        Some(signature("another-secret", raw.as_bytes())),
        // Right secret, other body (a tampered payload).
        Some(signature(
            APP_SECRET,
            notification("wamid.BAD1", "chao").to_string().as_bytes(),
        )),
    ] {
        let reply = post_webhook(&app, &path, &body, sig.as_deref()).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{sig:?}");
    }
    assert_eq!(
        count(&app, "SELECT count(*) FROM whatsapp_messages").await,
        0
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM whatsapp_contacts").await,
        0
    );
    assert_eq!(count(&app, "SELECT count(*) FROM chat_relays").await, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(graph.sent().is_empty());
}

#[sqlx::test(migrations = false)]
async fn an_offline_counter_leaves_the_cloud_to_answer_once_per_message(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (graph, graph_url) = fake_graph().await;
    let app = app_with_graph(owner, &graph_url, 500).await;
    let tenant = app.signup("sin-caja").await;
    let path = link(&app, &tenant).await;
    let body = notification("wamid.IN1", "hola, ¿a qué hora abren?");
    // Meta redelivers: the same message three times, one answer.
    for _ in 0..3 {
        let reply = signed(&app, &path, &body).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    let sent = wait_sent(&graph, 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(graph.sent().len(), 1, "{:?}", graph.sent());
    let (number, message) = &sent[0];
    assert_eq!(number, PHONE_NUMBER_ID);
    assert_eq!(message["to"], DINER);
    assert_eq!(message["type"], "text", "inside the window: free text");
    assert!(!message["text"]["body"].as_str().unwrap().is_empty());
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM whatsapp_messages WHERE direction = 'in'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM whatsapp_messages WHERE direction = 'out'"
        )
        .await,
        1
    );

    // Meta reports what happened to the reply: recorded, never going back.
    for status in ["delivered", "read", "delivered"] {
        let update = json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": { "phone_number_id": PHONE_NUMBER_ID },
                "statuses": [{ "id": "wamid.OUT1", "status": status, "timestamp": "1700000005",
                               "recipient_id": DINER }],
            }}]}],
        });
        assert_eq!(signed(&app, &path, &update).await.status, StatusCode::OK);
    }
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM whatsapp_messages WHERE wamid = 'wamid.OUT1' AND status = 'read'"
        )
        .await,
        1
    );
}

#[sqlx::test(migrations = false)]
async fn a_connected_counter_answers_and_staff_take_over(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (graph, graph_url) = fake_graph().await;
    let app = app_with_graph(owner, &graph_url, 10_000).await;
    let tenant = app.signup("con-caja").await;
    let path = link(&app, &tenant).await;
    let device = first_device(&app, &tenant).await;
    let mut stream = live_stream(&app, &device).await;

    let reply = signed(&app, &path, &notification("wamid.IN1", "dos completos")).await;
    assert_eq!(reply.status, StatusCode::OK);
    // The counter's assistant hears it like a widget message, marked as WhatsApp.
    let relay = next_chat(&mut stream).await;
    assert_eq!(relay["channel"], "whatsapp");
    assert_eq!(relay["message"], "dos completos");
    let conversation = relay["conversation_id"].as_str().unwrap().to_owned();
    let request = relay["request_id"].as_str().unwrap().to_owned();
    let taken = app
        .post(
            &format!("/api/v1/sync/chat-replies/{request}"),
            json!({ "reply": "Anotado: 2 completos. ¿Algo más?", "draft": null, "ready_to_order": false }),
            Some(&device),
        )
        .await;
    assert_eq!(taken.status, StatusCode::NO_CONTENT, "{:?}", taken.body);
    let sent = wait_sent(&graph, 1).await;
    assert_eq!(
        sent[0].1["text"]["body"],
        "Anotado: 2 completos. ¿Algo más?"
    );

    // Staff take the conversation over at the counter: the diner's next message gets no
    // bot answer, staff's words go out as text.
    signed(
        &app,
        &path,
        &notification("wamid.IN2", "¿tienen sin gluten?"),
    )
    .await;
    let relay = next_chat(&mut stream).await;
    assert_eq!(relay["conversation_id"], conversation.as_str());
    let request = relay["request_id"].as_str().unwrap().to_owned();
    let held = app
        .post(
            &format!("/api/v1/sync/chat-replies/{request}"),
            json!({ "reply": "", "held_by_staff": true }),
            Some(&device),
        )
        .await;
    assert_eq!(held.status, StatusCode::NO_CONTENT, "{:?}", held.body);
    let staff = json!({ "messages": [{ "id": uuid::Uuid::now_v7(), "conversation_id": conversation,
                                       "text": "Hola, soy Ana: sí, pan sin gluten." }] });
    let reply = app
        .post("/api/v1/sync/chat-messages", staff.clone(), Some(&device))
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.body);
    let sent = wait_sent(&graph, 2).await;
    assert_eq!(sent[1].1["type"], "text");
    assert_eq!(
        sent[1].1["text"]["body"],
        "Hola, soy Ana: sí, pan sin gluten."
    );
    // A resend of the same batch is not sent twice.
    app.post("/api/v1/sync/chat-messages", staff, Some(&device))
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(graph.sent().len(), 2, "{:?}", graph.sent());

    // A day later the window has closed: staff's words go out through the template.
    let mut conn = app.owner_conn().await;
    sqlx::query("UPDATE whatsapp_contacts SET last_inbound_at = now() - interval '25 hours'")
        .execute(&mut conn)
        .await
        .unwrap();
    let late = json!({ "messages": [{ "id": uuid::Uuid::now_v7(), "conversation_id": conversation,
                                      "text": "Su pedido de ayer quedó pagado." }] });
    app.post("/api/v1/sync/chat-messages", late, Some(&device))
        .await;
    let sent = wait_sent(&graph, 3).await;
    assert_eq!(sent[2].1["type"], "template", "{:?}", sent[2].1);
    assert_eq!(sent[2].1["template"]["name"], "dysa_aviso");
    assert_eq!(
        sent[2].1["template"]["components"][0]["parameters"][0]["text"],
        "Su pedido de ayer quedó pagado."
    );
}

/// A one-item menu pushed by the counter; the item's id.
async fn push_completo(app: &TestApp, device: &str) -> String {
    let (category, item) = (id(), id());
    let stamp = hlc(1);
    push_ok(
        app,
        device,
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
        ],
    )
    .await;
    item
}

/// The counter's assistant answers the relay: two completos, confirmed.
fn confirmed_draft(item: &str) -> Value {
    json!({
        "reply": "¡Perfecto! 2 × Completo italiano. Envío tu pedido al restaurante ahora.",
        "draft": { "lines": [{ "item_id": item, "name": "Completo italiano", "quantity": 2,
                               "unit_price": 3500, "line_total": 7000, "options": [] }],
                   "total": 7000 },
        "ready_to_order": true,
    })
}

/// The counter moves order `order` to `status` (order row and its transition).
async fn move_order(app: &TestApp, device: &str, order: &str, from: &str, status: &str, ms: u64) {
    let (stamp, transition) = (hlc(ms), id());
    push_ok(
        app,
        device,
        vec![
            upsert(
                "order",
                order,
                json!({"status": status, "updated_at": stamp}),
                &stamp,
            ),
            upsert(
                "order_transition",
                &transition,
                json!({"id": transition, "order_id": order,
                       "transition": {"from": from, "to": status, "reason": null,
                                      "by_user": null, "at": "2026-11-27T16:00:00.000Z"},
                       "updated_at": stamp}),
                &stamp,
            ),
        ],
    )
    .await;
}

/// A diner confirms a draft with the counter's assistant; answers (app, graph, device,
/// webhook path, the order's id) once the confirmation reached the Graph API.
async fn whatsapp_order(
    owner: PgConnectOptions,
    slug: &str,
) -> (TestApp, Graph, String, String, String) {
    let (graph, graph_url) = fake_graph().await;
    let app = app_with_graph(owner, &graph_url, 10_000).await;
    let tenant = app.signup(slug).await;
    let path = link(&app, &tenant).await;
    let device = first_device(&app, &tenant).await;
    let item = push_completo(&app, &device).await;
    let mut stream = live_stream(&app, &device).await;

    let body = notification("wamid.ORDER1", "sí, confirmo los dos completos");
    assert_eq!(signed(&app, &path, &body).await.status, StatusCode::OK);
    let relay = next_chat(&mut stream).await;
    assert_eq!(relay["channel"], "whatsapp");
    let request = relay["request_id"].as_str().unwrap().to_owned();
    let taken = app
        .post(
            &format!("/api/v1/sync/chat-replies/{request}"),
            confirmed_draft(&item),
            Some(&device),
        )
        .await;
    assert_eq!(taken.status, StatusCode::NO_CONTENT, "{:?}", taken.body);
    let sent = wait_sent(&graph, 1).await;
    let text = sent[0].1["text"]["body"].as_str().unwrap().to_owned();
    assert!(
        text.starts_with("¡Perfecto! 2 × Completo italiano."),
        "{text}"
    );
    assert!(
        text.contains("Pedido N° 1 recibido · Total $7.000, pagas al retirar."),
        "{text}"
    );

    // A real order at the counter: priced by the cloud, the diner's number as its phone.
    let orders = app.get("/api/v1/orders", &tenant.token).await;
    let list = orders
        .body
        .as_array()
        .cloned()
        .unwrap_or_else(|| orders.body["orders"].as_array().unwrap().clone());
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["status"], "pending");
    assert_eq!(list[0]["total"], 7000);
    assert_eq!(list[0]["channel"], "whatsapp");
    let note = list[0]["note"].as_str().unwrap();
    assert!(
        note.starts_with("Pedido por WhatsApp · Retiro en local · Camila · +56987654321"),
        "{note}"
    );
    let order = list[0]["id"].as_str().unwrap().to_owned();
    (app, graph, device, path, order)
}

#[sqlx::test(migrations = false)]
async fn a_whatsapp_order_lands_at_the_counter_and_the_diner_hears_each_status_once(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (app, graph, device, path, order) = whatsapp_order(owner, "wa-pedido").await;

    // Meta redelivers the confirming message: no second order, no second answer.
    for _ in 0..2 {
        let body = notification("wamid.ORDER1", "sí, confirmo los dos completos");
        assert_eq!(signed(&app, &path, &body).await.status, StatusCode::OK);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(count(&app, "SELECT count(*) FROM orders").await, 1);
    assert_eq!(graph.sent().len(), 1, "{:?}", graph.sent());

    // The counter accepts it: the diner is told once, in Spanish, inside the window.
    move_order(&app, &device, &order, "pending", "confirmed", 100).await;
    let sent = wait_sent(&graph, 2).await;
    assert_eq!(sent[1].1["to"], DINER);
    assert_eq!(sent[1].1["type"], "text");
    assert_eq!(
        sent[1].1["text"]["body"],
        "¡El restaurante aceptó tu pedido N° 1! Ya lo estamos preparando; te avisamos por aquí cuando esté listo."
    );
    // Sync replays the status, and the counter moves on to preparing (still "aceptado"):
    // nothing new to say.
    move_order(&app, &device, &order, "pending", "confirmed", 100).await;
    move_order(&app, &device, &order, "confirmed", "preparing", 200).await;
    let round = app
        .state
        .whatsapp
        .run_once(chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(round.sent, 0, "{round:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(graph.sent().len(), 2, "{:?}", graph.sent());

    // Ready: one more message.
    move_order(&app, &device, &order, "preparing", "ready", 300).await;
    let sent = wait_sent(&graph, 3).await;
    assert_eq!(
        sent[2].1["text"]["body"],
        "¡Tu pedido N° 1 está listo! Te esperamos para retirarlo."
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(graph.sent().len(), 3);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM whatsapp_outbox WHERE status = 'sent'"
        )
        .await,
        3,
        "the reply with the order's confirmation, accepted and ready"
    );
}

/// A stamp of the test's counter `ms` milliseconds after the newest stamp the cloud
/// holds for order `order` (its own, when it placed the order).
async fn stamp_after(app: &TestApp, order: &str, ms: u64) -> String {
    let mut conn = app.owner_conn().await;
    let stored: String = sqlx::query_scalar("SELECT hlc FROM orders WHERE id = $1::uuid")
        .bind(order)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let wall: u64 = stored[..15].parse().unwrap();
    format!("{:015}-{:06}-{:016x}", wall + ms, 0, common::sync::NODE)
}

#[sqlx::test(migrations = false)]
async fn a_status_message_waits_out_a_graph_outage_and_is_sent_once(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (app, graph, device, _, order) = whatsapp_order(owner, "wa-caida").await;
    graph.down.store(true, Ordering::SeqCst);
    // The counter rejects it while Meta is down: the message stays queued. Its clock is
    // a second past the cloud's own stamp on the order (read back, not guessed: setup
    // may take any time), so its reason wins the field.
    let (stamp, transition) = (stamp_after(&app, &order, 1_000).await, id());
    push_ok(
        &app,
        &device,
        vec![
            upsert(
                "order",
                &order,
                json!({"status": "cancelled", "cancel_reason": "Se nos acabó el pan",
                       "updated_at": stamp}),
                &stamp,
            ),
            upsert(
                "order_transition",
                &transition,
                json!({"id": transition, "order_id": order,
                       "transition": {"from": "pending", "to": "cancelled",
                                      "reason": "Se nos acabó el pan", "by_user": null,
                                      "at": "2026-11-27T16:00:00.000Z"},
                       "updated_at": stamp}),
                &stamp,
            ),
        ],
    )
    .await;
    let now = chrono::Utc::now();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while graph.refused.load(Ordering::SeqCst) == 0 {
        assert!(tokio::time::Instant::now() < deadline, "never tried");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let row = "SELECT count(*) FROM whatsapp_outbox WHERE status = 'pending' AND attempts = 1
               AND next_attempt_at > now() AND last_error LIKE '%131016%'";
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while count(&app, row).await != 1 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "not scheduled again"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Not due yet: a round now sends nothing and tries nothing.
    let round = app.state.whatsapp.run_once(now).await.unwrap();
    assert_eq!(round, Default::default());
    // Still down at the first retry: tried again, later.
    let later = now + chrono::Duration::seconds(35);
    let round = app.state.whatsapp.run_once(later).await.unwrap();
    assert_eq!((round.sent, round.retried), (0, 1), "{round:?}");
    // Back: sent at the next retry, once.
    graph.down.store(false, Ordering::SeqCst);
    let round = app
        .state
        .whatsapp
        .run_once(later + chrono::Duration::seconds(61))
        .await
        .unwrap();
    assert_eq!(round.sent, 1, "{round:?}");
    let round = app
        .state
        .whatsapp
        .run_once(later + chrono::Duration::hours(3))
        .await
        .unwrap();
    assert_eq!(round, Default::default());
    let sent = graph.sent();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(
        sent[1].1["text"]["body"],
        "Lo sentimos: el restaurante no pudo aceptar tu pedido N° 1. Motivo: Se nos acabó el pan"
    );
    assert_eq!(graph.refused.load(Ordering::SeqCst), 2);
}

#[sqlx::test(migrations = false)]
async fn with_the_counter_offline_the_cloud_takes_the_whatsapp_order_for_it(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (graph, graph_url) = fake_graph().await;
    let app = app_with_graph(owner, &graph_url, 500).await;
    let tenant = app.signup("wa-sin-caja").await;
    let path = link(&app, &tenant).await;
    let device = first_device(&app, &tenant).await;
    push_completo(&app, &device).await;
    // The owner lets orders wait for the counter while it is offline.
    let mut settings = app.get("/api/v1/widget-settings", &tenant.token).await.body;
    settings["ordering"]["offline_policy"] = json!("wait");
    let saved = app
        .put("/api/v1/widget-settings", settings, &tenant.token)
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);

    let first = notification("wamid.OFF1", "hola, quiero 2 completos italianos");
    assert_eq!(signed(&app, &path, &first).await.status, StatusCode::OK);
    let sent = wait_sent(&graph, 1).await;
    let asked = sent[0].1["text"]["body"].as_str().unwrap().to_owned();
    assert!(asked.contains("Completo italiano"), "{asked}");
    assert_eq!(count(&app, "SELECT count(*) FROM orders").await, 0);

    let yes = notification("wamid.OFF2", "sí");
    assert_eq!(signed(&app, &path, &yes).await.status, StatusCode::OK);
    let sent = wait_sent(&graph, 2).await;
    let placed = sent[1].1["text"]["body"].as_str().unwrap().to_owned();
    assert!(
        placed.contains("Pedido N° 1 recibido · Total $7.000"),
        "{placed}"
    );
    assert!(placed.contains("sin conexión"), "{placed}");
    assert_eq!(count(&app, "SELECT count(*) FROM orders").await, 1);
    assert_eq!(
        count(
            &app,
            // The number is sealed (migration 0050): found by its keyed hash.
            "SELECT count(*) FROM whatsapp_orders WHERE wa_hash IS NOT NULL AND wa_id LIKE 'pii1.%'"
        )
        .await,
        1
    );
    // Redelivered, the "sí" places nothing more.
    assert_eq!(signed(&app, &path, &yes).await.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(count(&app, "SELECT count(*) FROM orders").await, 1);
    assert_eq!(graph.sent().len(), 2);
}

#[sqlx::test(migrations = false)]
async fn baja_on_whatsapp_stops_the_status_messages_until_alta(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (app, graph, device, path, order) = whatsapp_order(owner, "wa-baja").await;

    // BAJA (Ley 19.628): confirmed to the diner, not relayed to the assistant; a
    // redelivery changes nothing.
    for _ in 0..2 {
        let body = notification("wamid.BAJA1", "BAJA");
        assert_eq!(signed(&app, &path, &body).await.status, StatusCode::OK);
    }
    let sent = wait_sent(&graph, 2).await;
    assert!(
        sent[1].1["text"]["body"]
            .as_str()
            .unwrap()
            .starts_with("Listo: no te enviaremos más mensajes."),
        "{:?}",
        sent[1]
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM diner_opt_outs WHERE source = 'whatsapp'"
        )
        .await,
        1
    );

    // The counter accepts the order: no message leaves.
    move_order(&app, &device, &order, "pending", "confirmed", 100).await;
    app.state
        .whatsapp
        .run_once(chrono::Utc::now())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(graph.sent().len(), 2, "{:?}", graph.sent());
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM whatsapp_outbox WHERE status = 'failed' AND last_error LIKE '%opted out%'"
        )
        .await,
        1
    );

    // ALTA: the diner hears about the order again.
    let body = notification("wamid.ALTA1", "alta");
    assert_eq!(signed(&app, &path, &body).await.status, StatusCode::OK);
    wait_sent(&graph, 3).await;
    move_order(&app, &device, &order, "confirmed", "ready", 200).await;
    let sent = wait_sent(&graph, 4).await;
    assert_eq!(
        sent[3].1["text"]["body"],
        "¡Tu pedido N° 1 está listo! Te esperamos para retirarlo."
    );
}

/// A counter's stamp `ms` milliseconds after the test's `base` (a reservation's fields
/// are last-writer-wins: the counter's change must come after the cloud's booking).
fn counter_stamp(base: u64, ms: u64) -> String {
    format!("{:015}-{:06}-{:016x}", base + ms, 0, common::sync::NODE)
}

/// Now, in milliseconds.
fn now_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap()
}

/// The counter moves reservation `booking` (a partial upsert of its row, as its push
/// does), stamped `stamp`.
async fn move_booking(app: &TestApp, device: &str, booking: &str, fields: Value, stamp: &str) {
    let mut row = fields;
    row["updated_at"] = json!(stamp);
    let results = push_ok(
        app,
        device,
        vec![upsert("reservation", booking, row, stamp)],
    )
    .await;
    assert!(
        matches!(
            results[0]["outcome"].as_str(),
            Some("applied" | "duplicate")
        ),
        "{results:?}"
    );
}

/// What a WhatsApp booking test starts from: a linked number, the counter connected to
/// its live stream (so a booking waits for it as pending), and tomorrow in Santiago.
struct Booking {
    app: TestApp,
    graph: Graph,
    path: String,
    device: String,
    stream: Body,
    tomorrow: jiff::civil::Date,
}

async fn booking_setup(owner: PgConnectOptions, slug: &str) -> Booking {
    let (graph, graph_url) = fake_graph().await;
    let app = app_with_graph(owner, &graph_url, 10_000).await;
    let tenant = app.signup(slug).await;
    let path = link(&app, &tenant).await;
    let device = first_device(&app, &tenant).await;
    let stream = live_stream(&app, &device).await;
    let tomorrow = jiff::Zoned::now()
        .in_tz("America/Santiago")
        .unwrap()
        .date()
        .tomorrow()
        .unwrap();
    Booking {
        app,
        graph,
        path,
        device,
        stream,
        tomorrow,
    }
}

#[sqlx::test(migrations = false)]
async fn a_whatsapp_booking_lands_at_the_counter_and_the_diner_hears_each_answer_once(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let Booking {
        app,
        graph,
        path,
        device,
        mut stream,
        tomorrow,
    } = booking_setup(owner, "wa-reserva").await;
    let date = tomorrow.to_string();
    let spoken = dysa_domain::assistant::text::spoken_date(tomorrow, Default::default());

    // The counter's assistant gathered the booking and the diner said yes: it hands the
    // booking over instead of writing it.
    let body = notification("wamid.BOOK1", "sí, confirmo la reserva");
    assert_eq!(signed(&app, &path, &body).await.status, StatusCode::OK);
    let relay = next_chat(&mut stream).await;
    assert_eq!(relay["channel"], "whatsapp");
    let request = relay["request_id"].as_str().unwrap().to_owned();
    let handed = json!({
        "reply": format!("Envío tu reserva al restaurante: mesa para 4 el {spoken} a las 20:00."),
        "draft": null, "ready_to_order": false,
        "booking": { "party_size": 4, "date": date, "time": "20:00", "name": "Camila",
                     "phone": "+56 9 8765 4321" },
    });
    let taken = app
        .post(
            &format!("/api/v1/sync/chat-replies/{request}"),
            handed,
            Some(&device),
        )
        .await;
    assert_eq!(taken.status, StatusCode::NO_CONTENT, "{:?}", taken.body);
    let sent = wait_sent(&graph, 1).await;
    let text = sent[0].1["text"]["body"].as_str().unwrap().to_owned();
    assert!(
        text.starts_with("Envío tu reserva al restaurante"),
        "{text}"
    );
    assert!(
        text.ends_with("Tu solicitud de reserva ya está en el restaurante: te avisamos por aquí apenas la confirme."),
        "{text}"
    );

    // A booking like a widget one: pending (the counter is connected), channel whatsapp.
    let mut conn = app.owner_conn().await;
    let (booking, status, source, party, table): (
        uuid::Uuid,
        String,
        String,
        i32,
        Option<uuid::Uuid>,
    ) = sqlx::query_as("SELECT id, status, source, party_size, table_id FROM reservations")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        (status.as_str(), source.as_str(), party, table),
        ("booked", "whatsapp", 4, None)
    );
    let booking = booking.to_string();

    // Meta redelivers the confirming message: no second booking, no second answer.
    assert_eq!(signed(&app, &path, &body).await.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(count(&app, "SELECT count(*) FROM reservations").await, 1);
    assert_eq!(graph.sent().len(), 1, "{:?}", graph.sent());

    // The counter seats it: the diner hears "confirmada" once, at the restaurant's time.
    let table = id();
    let base = now_ms() + 1_000;
    let seated = counter_stamp(base, 100);
    move_booking(
        &app,
        &device,
        &booking,
        json!({"status": "confirmed", "table_id": table}),
        &seated,
    )
    .await;
    let sent = wait_sent(&graph, 2).await;
    assert_eq!(sent[1].1["to"], DINER);
    assert_eq!(
        sent[1].1["text"]["body"],
        format!("¡Tu reserva está confirmada! Mesa para 4 el {spoken} a las 20:00. Te esperamos.")
    );
    // Sync replays it: nothing new to say.
    move_booking(
        &app,
        &device,
        &booking,
        json!({"status": "confirmed", "table_id": table}),
        &seated,
    )
    .await;
    app.state
        .whatsapp
        .run_once(chrono::Utc::now())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(graph.sent().len(), 2, "{:?}", graph.sent());

    // The restaurant cancels it later: "cancelada", with its reason, once.
    let cancelled = json!({"status": "cancelled", "cancel_reason": "Cierre por un evento privado"});
    let stamp = counter_stamp(base, 200);
    move_booking(&app, &device, &booking, cancelled.clone(), &stamp).await;
    move_booking(&app, &device, &booking, cancelled, &stamp).await;
    let sent = wait_sent(&graph, 3).await;
    assert_eq!(
        sent[2].1["text"]["body"],
        format!(
            "Tu reserva para 4 el {spoken} a las 20:00 fue cancelada por el restaurante. Motivo: Cierre por un evento privado."
        )
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(graph.sent().len(), 3, "{:?}", graph.sent());
}

#[sqlx::test(migrations = false)]
async fn a_whatsapp_booking_the_counter_declines_is_told_as_declined(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let Booking {
        app,
        graph,
        path,
        device,
        mut stream,
        tomorrow,
    } = booking_setup(owner, "wa-rechazo").await;
    let date = tomorrow.to_string();

    let body = notification("wamid.BOOK2", "yes please");
    assert_eq!(signed(&app, &path, &body).await.status, StatusCode::OK);
    let relay = next_chat(&mut stream).await;
    let request = relay["request_id"].as_str().unwrap().to_owned();
    // A party over the owner's online limit (8 by default) is not booked here.
    let too_many = json!({
        "reply": "Sending your booking to the restaurant.", "draft": null,
        "booking": { "party_size": 12, "date": date, "time": "20:00", "name": "Camila",
                     "phone": "+56987654321" },
    });
    app.post(
        &format!("/api/v1/sync/chat-replies/{request}"),
        too_many,
        Some(&device),
    )
    .await;
    let sent = wait_sent(&graph, 1).await;
    assert!(
        sent[0].1["text"]["body"]
            .as_str()
            .unwrap()
            .ends_with("Here we book for up to 8 people; for a larger group please call us."),
        "{:?}",
        sent[0].1
    );
    assert_eq!(count(&app, "SELECT count(*) FROM reservations").await, 0);

    let body = notification("wamid.BOOK3", "yes, for 2 then");
    assert_eq!(signed(&app, &path, &body).await.status, StatusCode::OK);
    let relay = next_chat(&mut stream).await;
    let request = relay["request_id"].as_str().unwrap().to_owned();
    let two = json!({
        "reply": "Sending your booking to the restaurant.", "draft": null,
        "booking": { "party_size": 2, "date": date, "time": "20:00", "name": "Camila",
                     "phone": "+56987654321" },
    });
    app.post(
        &format!("/api/v1/sync/chat-replies/{request}"),
        two,
        Some(&device),
    )
    .await;
    wait_sent(&graph, 2).await;
    let mut conn = app.owner_conn().await;
    let booking: uuid::Uuid = sqlx::query_scalar("SELECT id FROM reservations")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    // No table fits: the counter declines the pending booking. The diner hears it in
    // the conversation's language, once.
    let declined =
        json!({"status": "cancelled", "cancel_reason": "Sin mesa disponible a esa hora"});
    let stamp = counter_stamp(now_ms() + 1_000, 0);
    move_booking(&app, &device, &booking.to_string(), declined, &stamp).await;
    let sent = wait_sent(&graph, 3).await;
    let text = sent[2].1["text"]["body"].as_str().unwrap();
    assert!(
        text.starts_with("Sorry: the restaurant could not confirm your booking for 2 on "),
        "{text}"
    );
    assert!(
        text.ends_with(
            "at 20:00. Reason: Sin mesa disponible a esa hora. Shall we try another time?"
        ),
        "{text}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(graph.sent().len(), 3, "{:?}", graph.sent());
}

/// Waits until `n` diner messages are marked answered (relayed, or let be).
async fn wait_answered(app: &TestApp, n: i64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let answered = count(
            app,
            "SELECT count(*) FROM whatsapp_messages WHERE direction = 'in' AND answered_at IS NOT NULL",
        )
        .await;
        if answered >= n {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{answered} of {n} messages answered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn exec(app: &TestApp, sql: &'static str) {
    let mut conn = app.owner_conn().await;
    sqlx::query(sql).execute(&mut conn).await.unwrap();
}

const NOT_ANSWERING: &str = "no estamos respondiendo mensajes por WhatsApp";

#[sqlx::test(migrations = false)]
async fn a_plan_without_whatsapp_or_read_only_stops_the_relay_with_one_notice_a_day(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (graph, graph_url) = fake_graph().await;
    let app = TestApp::with_settings(owner, move |s| {
        s.whatsapp_graph_url = graph_url;
        s.chat_relay_timeout_ms = 300;
        // A cloud that bills: read-only pauses what the cloud does for the tenant.
        s.billing_access_token = "APP_USR-platform-billing".into();
    })
    .await;
    let tenant = app.signup("sin-whatsapp").await;
    let path = link(&app, &tenant).await;
    let text = |n: usize| {
        graph.sent()[n].1["text"]["body"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    // Read-only (an unpaid plan past its grace, set outside any route): every message is
    // recorded, none relayed; the diner hears one notice, not one per message.
    exec(
        &app,
        "UPDATE subscriptions SET past_due_since = now() - interval '8 days'",
    )
    .await;
    for wamid in ["wamid.RO1", "wamid.RO2"] {
        let body = notification(wamid, "hola, quiero pedir un completo");
        assert_eq!(signed(&app, &path, &body).await.status, StatusCode::OK);
    }
    wait_answered(&app, 2).await;
    wait_sent(&graph, 1).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(graph.sent().len(), 1, "{:?}", graph.sent());
    assert!(text(0).contains(NOT_ANSWERING), "{}", text(0));
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM whatsapp_messages WHERE direction = 'in'"
        )
        .await,
        2,
        "nothing lost"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM whatsapp_orders").await, 0);

    // Paid again: answered as before.
    exec(&app, "UPDATE subscriptions SET past_due_since = NULL").await;
    let body = notification("wamid.OK1", "hola, ¿a qué hora abren?");
    assert_eq!(signed(&app, &path, &body).await.status, StatusCode::OK);
    wait_sent(&graph, 2).await;
    assert!(!text(1).contains(NOT_ANSWERING), "{}", text(1));

    // The plan lowered to Básico outside the dashboard (the operator, by hand): read at
    // relay time, so the next message is not relayed. The notice was sent within the
    // day: nothing at all is sent.
    exec(&app, "UPDATE tenants SET plan = 'basic'").await;
    let body = notification("wamid.BA1", "hola, ¿tienen mesa?");
    assert_eq!(signed(&app, &path, &body).await.status, StatusCode::OK);
    wait_answered(&app, 4).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(graph.sent().len(), 2, "{:?}", graph.sent());
    // A day later, the diner writes again: one notice more.
    exec(
        &app,
        "UPDATE whatsapp_contacts SET paused_notice_at = now() - interval '25 hours'",
    )
    .await;
    let body = notification("wamid.BA2", "¿hola?");
    assert_eq!(signed(&app, &path, &body).await.status, StatusCode::OK);
    wait_sent(&graph, 3).await;
    assert!(text(2).contains(NOT_ANSWERING), "{}", text(2));

    // Back on Pro: answered again.
    exec(&app, "UPDATE tenants SET plan = 'pro'").await;
    let body = notification("wamid.PRO1", "hola, ¿a qué hora abren?");
    assert_eq!(signed(&app, &path, &body).await.status, StatusCode::OK);
    wait_sent(&graph, 4).await;
    assert!(!text(3).contains(NOT_ANSWERING), "{}", text(3));
}
