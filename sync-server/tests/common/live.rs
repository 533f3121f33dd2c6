//! A device's live stream (`/api/v1/sync/live`) read as a counter reads it: the chat relay
//! tests of the widget and of WhatsApp wait on its `event: chat` frames.

use super::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use std::time::Duration;
use tower::ServiceExt;

/// Opens a device's live stream.
pub async fn live_stream(app: &TestApp, token: &str) -> Body {
    let response = app
        .router
        .clone()
        .oneshot(
            Request::get("/api/v1/sync/live")
                .header(header::HOST, "cloud.test")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.into_body()
}

/// The data of the next `event: {name}` of a server-sent event stream (a device's live
/// stream, a diner's order status), skipping other events; waits up to 10 s per frame.
pub async fn next_event(body: &mut Body, name: &str) -> Value {
    let wanted = format!("event: {name}");
    let mut text = String::new();
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), body.frame())
            .await
            .unwrap_or_else(|_| panic!("an `{wanted}` within 10 s"))
            .expect("the stream stays open")
            .unwrap();
        if let Some(data) = frame.data_ref() {
            text.push_str(std::str::from_utf8(data).unwrap());
        }
        while let Some(end) = text.find("\n\n") {
            let event: String = text.drain(..end + 2).collect();
            if event.lines().any(|l| l == wanted)
                && let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: "))
            {
                return serde_json::from_str(data).unwrap();
            }
        }
    }
}

/// The next `event: chat` of a live stream.
pub async fn next_chat(body: &mut Body) -> Value {
    next_event(body, "chat").await
}
