//! A Twilio stand-in for the tests, following the documented Messages API
//! (<https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource>):
//! `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with HTTP Basic auth (Account SID
//! and Auth Token), a form-encoded body with `To`, `From` or `MessagingServiceSid`, `Body`
//! (and `StatusCallback`); `201` with the Message resource (`sid` `SM…`, `status`
//! `queued`), or Twilio's error object `{code, message, more_info, status}` — 20003 for
//! bad credentials, 21602/21603/21604 for a missing parameter, 21610 for a number that
//! replied STOP, 503 while "down". And Twilio's webhooks as it signs them
//! (<https://www.twilio.com/docs/usage/webhooks/webhooks-security>), the HMAC-SHA1 written
//! here again, not borrowed from the code under test.

#![allow(dead_code, clippy::unwrap_used)]

use super::{Reply, Tenant, TestApp};
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use sqlx::postgres::PgConnectOptions;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const AUTH_TOKEN: &str = "f00dcafe0123456789abcdef01234567";
pub const FROM: &str = "+15005550006";
pub const DINER: &str = "+56987654321";

/// The fake's books: messages created (their form), numbers that replied STOP to the
/// Twilio number, and whether Twilio is "down" (503).
#[derive(Clone, Default)]
pub struct Twilio {
    pub sent: Arc<Mutex<Vec<HashMap<String, String>>>>,
    pub unsubscribed: Arc<Mutex<HashSet<String>>>,
    pub down: Arc<AtomicBool>,
}

impl Twilio {
    pub fn sent(&self) -> Vec<HashMap<String, String>> {
        self.sent.lock().unwrap().clone()
    }
}

fn twilio_error(status: StatusCode, code: i64, message: &str) -> Response {
    (
        status,
        Json(json!({
            "code": code, "message": message,
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
            "status": status.as_u16(),
        })),
    )
        .into_response()
}

/// `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` as Twilio documents it.
async fn create_message(
    State(twilio): State<Twilio>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!("{ACCOUNT_SID}:{AUTH_TOKEN}"))
    );
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if account != ACCOUNT_SID || auth != Some(expected.as_str()) {
        return twilio_error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let Ok(form) = serde_urlencoded::from_bytes::<HashMap<String, String>>(&body) else {
        return twilio_error(StatusCode::BAD_REQUEST, 21602, "Message body is required.");
    };
    if !is_form {
        return twilio_error(StatusCode::BAD_REQUEST, 21602, "Message body is required.");
    }
    if twilio.down.load(Ordering::SeqCst) {
        return twilio_error(
            StatusCode::SERVICE_UNAVAILABLE,
            20500,
            "Internal Server Error",
        );
    }
    let Some(to) = form.get("To") else {
        return twilio_error(
            StatusCode::BAD_REQUEST,
            21604,
            "A 'To' phone number is required.",
        );
    };
    if !form.contains_key("From") && !form.contains_key("MessagingServiceSid") {
        return twilio_error(
            StatusCode::BAD_REQUEST,
            21603,
            "A 'From' phone number is required.",
        );
    }
    if form.get("Body").is_none_or(String::is_empty) {
        return twilio_error(StatusCode::BAD_REQUEST, 21602, "Message body is required.");
    }
    if twilio.unsubscribed.lock().unwrap().contains(to) {
        return twilio_error(
            StatusCode::BAD_REQUEST,
            21610,
            "Attempt to send to unsubscribed recipient",
        );
    }
    let mut sent = twilio.sent.lock().unwrap();
    sent.push(form.clone());
    let sid = format!("SM{:032x}", sent.len());
    (
        StatusCode::CREATED,
        Json(json!({
            "account_sid": ACCOUNT_SID, "api_version": "2010-04-01",
            "body": form["Body"], "date_created": "Mon, 07 Dec 2026 15:00:00 +0000",
            "direction": "outbound-api", "error_code": null, "error_message": null,
            "from": form.get("From"), "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_segments": "1", "price": null, "sid": sid, "status": "queued",
            "to": to, "uri": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json"),
        })),
    )
        .into_response()
}

pub async fn start_fake() -> (Twilio, String) {
    let twilio = Twilio::default();
    let app = axum::Router::new()
        .route(
            "/2010-04-01/Accounts/{account}/Messages.json",
            axum::routing::post(create_message),
        )
        .with_state(twilio.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (twilio, format!("http://{addr}"))
}

pub async fn app_with(owner: PgConnectOptions, url: String) -> TestApp {
    TestApp::with_settings(owner, move |settings| {
        settings.twilio_api_url = url;
        settings.credentials_key = STANDARD.encode([9u8; 32]);
        settings.public_url = "https://cloud.test".into();
    })
    .await
}

pub async fn link(app: &TestApp, tenant: &Tenant) -> Reply {
    app.put(
        "/api/v1/sms/twilio",
        json!({ "account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN, "from_number": FROM }),
        &tenant.token,
    )
    .await
}

/// Queues an SMS to `phone` the way the cloud's senders do; whether it was new.
pub async fn queue(app: &TestApp, tenant: &Tenant, phone: &str, key: &str, body: &str) -> bool {
    let id = dysa_domain::ids::TenantId(tenant.id.parse().unwrap());
    let mut tx = app.state.db.tenant_tx(id).await.unwrap();
    let queued = dysa_cloud::twilio::queue(&app.state, &mut tx, phone, key, "es", body)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    queued
}

/// Twilio's signature of a POST of `params` to `url` (its documented algorithm: the URL,
/// then each parameter's name and value sorted by name, HMAC-SHA1 under the Auth Token,
/// Base64).
pub fn twilio_signature(token: &str, url: &str, params: &[(&str, &str)]) -> String {
    let mut sorted = params.to_vec();
    sorted.sort();
    let mut text = url.to_owned();
    for (name, value) in sorted {
        text.push_str(name);
        text.push_str(value);
    }
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, token.as_bytes());
    STANDARD.encode(ring::hmac::sign(&key, text.as_bytes()).as_ref())
}

/// Twilio posting `params` to `path`, signed with `token` (`None`: no header).
pub async fn webhook(
    app: &TestApp,
    path: &str,
    params: &[(&str, &str)],
    token: Option<&str>,
) -> Reply {
    let url = format!("https://cloud.test{path}");
    let body = serde_urlencoded::to_string(params).unwrap();
    let mut request = Request::post(path)
        .header(header::HOST, "cloud.test")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(token) = token {
        request = request.header("X-Twilio-Signature", twilio_signature(token, &url, params));
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

pub fn status_params<'a>(sid: &'a str, status: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("AccountSid", ACCOUNT_SID),
        ("ApiVersion", "2010-04-01"),
        ("From", FROM),
        ("MessageSid", sid),
        ("MessageStatus", status),
        ("SmsSid", sid),
        ("SmsStatus", status),
        ("To", DINER),
    ]
}

pub async fn scalar_i64(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.owner_conn().await;
    sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

pub async fn provider_status(app: &TestApp, sid: &str) -> Option<String> {
    let mut conn = app.owner_conn().await;
    sqlx::query_scalar("SELECT provider_status FROM sms_outbox WHERE message_sid = $1")
        .bind(sid)
        .fetch_one(&mut conn)
        .await
        .unwrap()
}
