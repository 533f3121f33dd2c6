//! A WhatsApp Cloud API stand-in for the tests: the Graph API's `messages` endpoint as
//! the Cloud API reference documents it
//! (<https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages>): bearer
//! token, the documented request and answer shapes, Meta's error object
//! (<https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes>); and
//! Meta's webhook notifications, signed with `X-Hub-Signature-256` as Meta signs them (the
//! HMAC written here again, not borrowed from the code under test).

#![allow(dead_code, clippy::unwrap_used)]

use super::{Reply, Tenant, TestApp};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use sqlx::postgres::PgConnectOptions;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const ACCESS_TOKEN: &str = "EAAGtestaccesstoken1234";
pub const APP_SECRET: &str = "0123456789abcdef0123456789abcdef";
pub const VERIFY_TOKEN: &str = "verificame-2026";
pub const PHONE_NUMBER_ID: &str = "106540352242922";
pub const DINER: &str = "56987654321";

/// What the fake Graph API received: (phone number id, body). While `down`, it answers
/// as Meta does when the service is unavailable (503, code 131016) and counts the tries.
#[derive(Clone, Default)]
pub struct Graph {
    pub sent: Arc<Mutex<Vec<(String, Value)>>>,
    pub down: Arc<AtomicBool>,
    pub refused: Arc<AtomicUsize>,
}

impl Graph {
    pub fn sent(&self) -> Vec<(String, Value)> {
        self.sent.lock().unwrap().clone()
    }
}

fn graph_error(status: StatusCode, code: i64, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error": {
            "message": message, "type": "OAuthException", "code": code,
            "fbtrace_id": "AbCdEfGhIjK",
        }})),
    )
        .into_response()
}

/// `POST /{version}/{phone_number_id}/messages` as the Cloud API reference documents it.
async fn messages(
    State(graph): State<Graph>,
    Path((version, phone_number_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if version != "v21.0" {
        return graph_error(StatusCode::BAD_REQUEST, 2500, "Unknown path components");
    }
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(ACCESS_TOKEN) {
        return graph_error(StatusCode::UNAUTHORIZED, 190, "Invalid OAuth access token.");
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return graph_error(StatusCode::BAD_REQUEST, 100, "Invalid parameter");
    };
    let to = body["to"].as_str().unwrap_or("");
    let shape_ok = body["messaging_product"] == "whatsapp"
        && !to.is_empty()
        && match body["type"].as_str() {
            Some("text") => body["text"]["body"].as_str().is_some_and(|b| !b.is_empty()),
            Some("template") => {
                body["template"]["name"].is_string()
                    && body["template"]["language"]["code"].is_string()
            }
            _ => false,
        };
    if !shape_ok {
        return graph_error(StatusCode::BAD_REQUEST, 100, "Invalid parameter");
    }
    // A template's body parameter may hold no new-line or tab and no run of more than
    // four spaces: Meta refuses the message (error 132018, "There was an issue with the
    // parameters in your template", details "Param text cannot have new-line/tab
    // characters or more than 4 consecutive spaces").
    let bad_parameter = body["template"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["parameters"].as_array().into_iter().flatten())
        .filter_map(|p| p["text"].as_str())
        .any(|t| t.contains(['\n', '\t']) || t.contains("     "));
    if bad_parameter {
        return graph_error(
            StatusCode::BAD_REQUEST,
            132_018,
            "(#132018) There was an issue with the parameters in your template.",
        );
    }
    if graph.down.load(Ordering::SeqCst) {
        graph.refused.fetch_add(1, Ordering::SeqCst);
        return graph_error(
            StatusCode::SERVICE_UNAVAILABLE,
            131_016,
            "Service temporarily unavailable",
        );
    }
    let id = {
        let mut sent = graph.sent.lock().unwrap();
        sent.push((phone_number_id, body.clone()));
        format!("wamid.OUT{}", sent.len())
    };
    axum::Json(json!({
        "messaging_product": "whatsapp",
        "contacts": [{ "input": to, "wa_id": to }],
        "messages": [{ "id": id }],
    }))
    .into_response()
}

pub async fn fake_graph() -> (Graph, String) {
    let graph = Graph::default();
    let router = axum::Router::new()
        .route(
            "/{version}/{phone_number_id}/messages",
            axum::routing::post(messages),
        )
        .with_state(graph.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v21.0", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (graph, url)
}

pub async fn app_with_graph(owner: PgConnectOptions, graph_url: &str, relay_ms: u64) -> TestApp {
    let url = graph_url.to_owned();
    TestApp::with_settings(owner, move |s| {
        s.whatsapp_graph_url = url;
        s.chat_relay_timeout_ms = relay_ms;
    })
    .await
}

/// Links the tenant's location; answers the webhook's path.
pub async fn link(app: &TestApp, tenant: &Tenant) -> String {
    let reply = app
        .put(
            &format!("/api/v1/locations/{}/whatsapp", tenant.location_id),
            json!({
                "phone_number_id": PHONE_NUMBER_ID, "waba_id": "102290129340398",
                "access_token": ACCESS_TOKEN, "app_secret": APP_SECRET,
                "verify_token": VERIFY_TOKEN,
            }),
            &tenant.token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let url = reply.body["link"]["webhook_url"].as_str().unwrap();
    url[url.find("/api/v1/").unwrap()..].to_owned()
}

pub fn notification(wamid: &str, text: &str) -> Value {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "102290129340398", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "56912345678", "phone_number_id": PHONE_NUMBER_ID },
            "contacts": [{ "profile": { "name": "Camila" }, "wa_id": DINER }],
            "messages": [{ "from": DINER, "id": wamid, "timestamp": "1700000000",
                           "type": "text", "text": { "body": text } }],
        }}]}],
    })
}

pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

pub async fn post_webhook(
    app: &TestApp,
    path: &str,
    body: &Value,
    signature: Option<&str>,
) -> Reply {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, "cloud.test")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(signature) = signature {
        request = request.header("X-Hub-Signature-256", signature);
    }
    app.send(request.body(Body::from(body.to_string())).unwrap())
        .await
}

pub async fn signed(app: &TestApp, path: &str, body: &Value) -> Reply {
    let sig = signature(APP_SECRET, body.to_string().as_bytes());
    post_webhook(app, path, body, Some(&sig)).await
}

/// Waits until the fake received `n` messages.
pub async fn wait_sent(graph: &Graph, n: usize) -> Vec<(String, Value)> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let sent = graph.sent();
        if sent.len() >= n {
            return sent;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} of {n} messages reached the Graph API: {sent:?}",
            sent.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
