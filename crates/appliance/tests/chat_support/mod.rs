//! What the assistant's test files share: the menus, importing one, and streamed turns
//! read event by event with the time the first token arrived.

#![allow(dead_code, clippy::unwrap_used)]

use super::common::TestApp;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tower::ServiceExt;

pub const DEMO_MENU: &str = include_str!("../data/demo-menu.csv");
const EXTRA_MENU: &str = include_str!("../data/assistant-menu-extra.csv");
pub const EVAL: &str = include_str!("../data/assistant-eval.jsonl");

/// The demo menu plus the extra rows of the held-out set, as one CSV.
pub fn eval_menu_csv() -> String {
    let extra: Vec<&str> = EXTRA_MENU.lines().skip(1).collect();
    format!("{}\n{}\n", DEMO_MENU.trim_end(), extra.join("\n"))
}

/// Imports a menu CSV as the owner.
pub async fn import_menu(app: &TestApp, token: &str, csv: &str) {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/menu/import")
        .header(header::HOST, "127.0.0.1:7001")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .body(Body::from(csv.to_owned()))
        .unwrap();
    let imported = app.send(request).await;
    assert_eq!(imported.status, StatusCode::OK, "{:?}", imported.body);
}

/// A diner's message sent with `Accept: text/event-stream`.
pub fn streaming_request(id: &str, text: &str, token: &str) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/conversations/{id}/messages"))
        .header(header::HOST, "127.0.0.1:7001")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "text/event-stream")
        .body(Body::from(json!({ "text": text }).to_string()))
        .unwrap()
}

/// A streamed turn as read: when the first token came, how long it all took, the events.
pub struct Streamed {
    pub first_token: Option<Duration>,
    pub took: Duration,
    pub events: Vec<(String, Value)>,
}

impl Streamed {
    /// The `done` event's data.
    pub fn done(&self) -> &Value {
        let (name, data) = self.events.last().expect("events");
        assert_eq!(name, "done");
        data
    }
}

/// Splits an SSE body into (event name, JSON data).
pub fn parse_sse(text: &str) -> Vec<(String, Value)> {
    let mut events = Vec::new();
    for block in text.split("\n\n") {
        let mut name = String::new();
        let mut data = String::new();
        for l in block.lines() {
            if let Some(n) = l
                .strip_prefix("event: ")
                .or_else(|| l.strip_prefix("event:"))
            {
                name = n.trim().to_owned();
            }
            if let Some(d) = l.strip_prefix("data: ").or_else(|| l.strip_prefix("data:")) {
                data.push_str(d);
            }
        }
        if !name.is_empty() {
            events.push((name, serde_json::from_str(&data).unwrap_or(Value::Null)));
        }
    }
    events
}

/// Sends a streamed turn and reads it frame by frame, noting when the first token came.
pub async fn stream_turn(app: &TestApp, id: &str, text: &str, token: &str) -> Streamed {
    let started = Instant::now();
    let response = app
        .router
        .clone()
        .oneshot(streaming_request(id, text, token))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    let mut seen = String::new();
    let mut first_token = None;
    let read = tokio::time::timeout(Duration::from_secs(40), async {
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame.unwrap().into_data() {
                seen.push_str(&String::from_utf8_lossy(&data));
                if first_token.is_none() && seen.contains("event: token") {
                    first_token = Some(started.elapsed());
                }
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the stream ended");
    Streamed {
        first_token,
        took: started.elapsed(),
        events: parse_sse(&seen),
    }
}
