//! A widget chat relayed by the cloud: the sync loop hears `event: chat` on the live
//! channel of a fake cloud, answers with the assistant (the real Ollama client against a
//! fake Ollama) in the widget's conversation, and posts the reply to
//! `/api/v1/sync/chat-replies/{request_id}`. The assistant drafts and asks; a "yes" hands
//! the draft to the widget and creates no order here. On WhatsApp, which has no booking
//! form, the assistant gathers a booking against the counter's tables and a "yes" hands
//! it to the cloud; nothing is booked here.

#![allow(clippy::unwrap_used)]

mod common;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use common::TestApp;
use dysa_domain::sync::{MutationResult, Outcome, PullResponse, PushRequest, PushResponse};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_stream::StreamExt;

#[derive(Default)]
struct CloudState {
    /// Live streams opened by the device.
    streams: u32,
    /// Answers posted, by request id.
    replies: HashMap<String, Value>,
}

/// A fake cloud: enrolment, a push that takes everything, an empty pull, a live stream
/// that carries the chat relays the test sends, and the chat-replies route.
#[derive(Clone)]
struct Cloud {
    state: Arc<Mutex<CloudState>>,
    relays: tokio::sync::broadcast::Sender<Value>,
    url: String,
}

async fn enroll() -> Response {
    (
        StatusCode::CREATED,
        axum::Json(json!({
            "device_id": uuid::Uuid::now_v7(),
            "device_token": "dyd_fake",
            "tenant_id": uuid::Uuid::now_v7(),
            "location_id": uuid::Uuid::now_v7(),
        })),
    )
        .into_response()
}

async fn push(axum::Json(request): axum::Json<PushRequest>) -> Response {
    let results = request
        .mutations
        .into_iter()
        .map(|m| MutationResult {
            mutation_id: m.mutation_id,
            outcome: Outcome::Applied,
            reason: None,
            detail: None,
            current: None,
        })
        .collect();
    axum::Json(PushResponse { results }).into_response()
}

async fn pull() -> Response {
    axum::Json(PullResponse {
        changes: Vec::new(),
        cursor: 0,
        has_more: false,
    })
    .into_response()
}

async fn live(State(cloud): State<Cloud>) -> Response {
    // Subscribed before counted: a test that sees the stream counted can relay at once.
    let subscription = cloud.relays.subscribe();
    cloud.state.lock().unwrap().streams += 1;
    let first = tokio_stream::once(Ok::<_, std::convert::Infallible>(
        SseEvent::default()
            .event("version")
            .data(r#"{"version":0}"#),
    ));
    let relays = tokio_stream::wrappers::BroadcastStream::new(subscription)
        .filter_map(|r| r.ok())
        .map(|relay| {
            Ok::<_, std::convert::Infallible>(
                SseEvent::default().event("chat").data(relay.to_string()),
            )
        });
    Sse::new(first.chain(relays))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

async fn chat_reply(
    State(cloud): State<Cloud>,
    Path(request): Path<String>,
    axum::Json(body): axum::Json<Value>,
) -> StatusCode {
    cloud.state.lock().unwrap().replies.insert(request, body);
    StatusCode::NO_CONTENT
}

impl Cloud {
    async fn start() -> Cloud {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (relays, _) = tokio::sync::broadcast::channel(16);
        let cloud = Cloud {
            state: Arc::default(),
            relays,
            url,
        };
        let app = axum::Router::new()
            .route("/api/v1/devices/enroll", post(enroll))
            .route("/api/v1/sync/push", post(push))
            .route("/api/v1/sync/pull", get(pull))
            .route("/api/v1/sync/live", get(live))
            .route("/api/v1/sync/chat-replies/{request}", post(chat_reply))
            .with_state(cloud.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        cloud
    }

    /// Relays a diner's message; returns its request id.
    fn relay(&self, conversation: &str, message: &str) -> String {
        let request = uuid::Uuid::now_v7().to_string();
        self.relays
            .send(json!({
                "request_id": request, "conversation_id": conversation,
                "message": message, "language": "es",
            }))
            .unwrap();
        request
    }

    /// Relays a WhatsApp diner's message; returns its request id.
    fn relay_whatsapp(&self, conversation: &str, message: &str) -> String {
        let request = uuid::Uuid::now_v7().to_string();
        self.relays
            .send(json!({
                "request_id": request, "conversation_id": conversation,
                "message": message, "channel": "whatsapp",
            }))
            .unwrap();
        request
    }

    async fn reply_to(&self, request: &str) -> Value {
        for _ in 0..400 {
            if let Some(reply) = self.state.lock().unwrap().replies.get(request) {
                return reply.clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no reply to {request}");
    }
}

/// A fake Ollama answering structured chats with the queued readings.
#[derive(Clone, Default)]
struct Ollama {
    readings: Arc<Mutex<VecDeque<Value>>>,
    asked: Arc<Mutex<u32>>,
}

async fn ollama_chat(
    State(ollama): State<Ollama>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    *ollama.asked.lock().unwrap() += 1;
    let next = ollama.readings.lock().unwrap().pop_front();
    match (body["stream"] == json!(false), next) {
        (true, Some(reading)) => axum::Json(json!({
            "model": "llama3.2:3b", "created_at": "2026-11-27T19:00:00Z",
            "message": { "role": "assistant", "content": reading.to_string() }, "done": true,
            "total_duration": 1, "load_duration": 1, "prompt_eval_count": 1,
            "prompt_eval_duration": 1, "eval_count": 1, "eval_duration": 1
        }))
        .into_response(),
        _ => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"error": "model \"llama3.2:3b\" not found"})),
        )
            .into_response(),
    }
}

async fn start_ollama() -> (Ollama, String) {
    let ollama = Ollama::default();
    let app = axum::Router::new()
        .route("/api/chat", post(ollama_chat))
        .with_state(ollama.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (ollama, url)
}

#[tokio::test]
async fn the_sync_loop_answers_a_relayed_widget_chat_without_placing_the_order() {
    let (ollama, ollama_url) = start_ollama().await;
    let app = TestApp::with_settings(|s| {
        s.ollama_url = ollama_url;
        s.ollama_timeout_ms = 5_000;
    })
    .await;
    let token = app.setup().await;
    let category = app
        .post(
            "/api/v1/menu/categories",
            json!({ "name": "Sándwiches" }),
            &token,
        )
        .await;
    assert_eq!(category.status, StatusCode::CREATED, "{:?}", category.body);
    let item = app
        .post(
            "/api/v1/menu/items",
            json!({ "category_id": category.body["id"], "name": "Completo italiano", "price": 3990 }),
            &token,
        )
        .await;
    assert_eq!(item.status, StatusCode::CREATED, "{:?}", item.body);
    let item_id = item.body["id"].as_str().unwrap().to_owned();

    let cloud = Cloud::start().await;
    let connected = app
        .post(
            "/api/v1/cloud/connect",
            json!({ "cloud_url": cloud.url, "enrollment_code": "ABCD-EFGH-JKLM" }),
            &token,
        )
        .await;
    assert_eq!(connected.status, StatusCode::OK, "{:?}", connected.body);
    for _ in 0..400 {
        if cloud.state.lock().unwrap().streams > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        cloud.state.lock().unwrap().streams > 0,
        "the live channel opened"
    );

    let conversation = uuid::Uuid::now_v7().to_string();
    ollama.readings.lock().unwrap().push_back(json!({
        "intent": "order_add",
        "items": [{ "name": "completo italiano", "quantity": 2, "modifiers": [] }],
    }));
    let request = cloud.relay(&conversation, "me das dos completos?");
    let reply = cloud.reply_to(&request).await;
    assert!(
        *ollama.asked.lock().unwrap() >= 1,
        "the local model was asked"
    );
    let text = reply["reply"].as_str().unwrap();
    assert!(text.contains("$7.980"), "{text}");
    assert_eq!(reply["ready_to_order"], false);
    assert_eq!(reply["draft"]["total"], 7980);
    assert_eq!(reply["draft"]["lines"][0]["item_id"], item_id.as_str());
    assert_eq!(reply["draft"]["lines"][0]["quantity"], 2);
    assert_eq!(reply["draft"]["lines"][0]["unit_price"], 3990);

    // "Sí": the draft goes back to the widget, which submits it; no order is made here.
    ollama
        .readings
        .lock()
        .unwrap()
        .push_back(json!({ "intent": "order_confirm", "items": [] }));
    let request = cloud.relay(&conversation, "sí, confirmo");
    let reply = cloud.reply_to(&request).await;
    assert_eq!(reply["ready_to_order"], true, "{reply}");
    assert_eq!(reply["draft"]["total"], 7980);
    let orders = app.get("/api/v1/orders", &token).await;
    assert_eq!(orders.status, StatusCode::OK, "{:?}", orders.body);
    let listed = orders.body["items"]
        .as_array()
        .or_else(|| orders.body.as_array())
        .map_or(0, Vec::len);
    assert_eq!(listed, 0, "{:?}", orders.body);

    // Staff see the widget's conversation, under the widget's id, with both turns.
    let seen = app
        .get(&format!("/api/v1/conversations/{conversation}"), &token)
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    assert_eq!(seen.body["channel"], "widget", "{:?}", seen.body);
    let texts = seen.body.to_string();
    assert!(texts.contains("me das dos completos?"), "{texts}");
}

/// An appliance with one table for four, linked to a fake cloud whose live stream is
/// open; the model is never there (the fake Ollama has nothing queued), so the
/// deterministic parser answers.
async fn linked_with_a_table() -> (TestApp, String, Cloud) {
    let (_ollama, ollama_url) = start_ollama().await;
    let app = TestApp::with_settings(|s| {
        s.ollama_url = ollama_url;
        s.ollama_timeout_ms = 5_000;
    })
    .await;
    let token = app.setup().await;
    let table = app
        .post(
            "/api/v1/tables",
            json!({ "name": "Mesa 1", "seats": 4 }),
            &token,
        )
        .await;
    assert_eq!(table.status, StatusCode::CREATED, "{:?}", table.body);
    let cloud = Cloud::start().await;
    let connected = app
        .post(
            "/api/v1/cloud/connect",
            json!({ "cloud_url": cloud.url, "enrollment_code": "ABCD-EFGH-JKLM" }),
            &token,
        )
        .await;
    assert_eq!(connected.status, StatusCode::OK, "{:?}", connected.body);
    for _ in 0..400 {
        if cloud.state.lock().unwrap().streams > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        cloud.state.lock().unwrap().streams > 0,
        "the live channel opened"
    );
    (app, token, cloud)
}

#[tokio::test]
async fn a_whatsapp_diner_books_in_the_conversation_and_the_booking_goes_to_the_cloud() {
    let (app, token, cloud) = linked_with_a_table().await;

    // The widget has its «Reservar» tab: the chat points there.
    let widget = uuid::Uuid::now_v7().to_string();
    let request = cloud.relay(
        &widget,
        "Hola, quiero reservar una mesa para 4 mañana a las 20:00",
    );
    let reply = cloud.reply_to(&request).await;
    assert!(
        reply["reply"].as_str().unwrap().contains("«Reservar»"),
        "{reply}"
    );

    // WhatsApp has none: the assistant checks the counter's tables and asks what it needs.
    let conversation = uuid::Uuid::now_v7().to_string();
    let request = cloud.relay_whatsapp(
        &conversation,
        "Hola, quiero reservar una mesa para 4 mañana a las 20:00",
    );
    let reply = cloud.reply_to(&request).await;
    let text = reply["reply"].as_str().unwrap();
    assert!(!text.contains("Reservar"), "{text}");
    assert!(text.contains("nombre"), "{text}");
    assert!(reply["booking"].is_null(), "{reply}");
    let request = cloud.relay_whatsapp(&conversation, "a nombre de Juan Pérez, +56 9 8765 4321");
    let reply = cloud.reply_to(&request).await;
    let text = reply["reply"].as_str().unwrap();
    assert!(text.contains("¿Confirmo la reserva?"), "{text}");

    // "Sí": the booking goes to the cloud, which books it like a widget booking.
    let request = cloud.relay_whatsapp(&conversation, "sí");
    let reply = cloud.reply_to(&request).await;
    let text = reply["reply"].as_str().unwrap();
    assert!(
        text.starts_with("Envío tu reserva al restaurante: mesa para 4 el "),
        "{text}"
    );
    assert!(text.ends_with(" a las 20:00."), "{text}");
    let booking = &reply["booking"];
    assert_eq!(booking["party_size"], 4, "{reply}");
    assert_eq!(booking["time"], "20:00");
    assert_eq!(booking["name"], "Juan Pérez");
    assert!(
        booking["phone"].as_str().unwrap().contains("8765"),
        "{booking}"
    );
    let date = booking["date"].as_str().unwrap();
    assert_eq!(date.len(), 10, "{date}");
    // Nothing was booked here: the cloud's booking arrives by sync, pending.
    let listed = app
        .get(&format!("/api/v1/reservations?date={date}"), &token)
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    let count = listed.body["items"]
        .as_array()
        .or_else(|| listed.body.as_array())
        .map_or(usize::MAX, Vec::len);
    assert_eq!(count, 0, "{:?}", listed.body);
    // The conversation starts over: another "sí" books nothing more.
    let request = cloud.relay_whatsapp(&conversation, "sí");
    let reply = cloud.reply_to(&request).await;
    assert!(reply["booking"].is_null(), "{reply}");
}
