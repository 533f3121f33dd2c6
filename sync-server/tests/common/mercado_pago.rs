//! A Mercado Pago stand-in for the tests, following the documented API (the same pages
//! `dysa_cloud::mercado_pago::client` cites): `POST /checkout/preferences`,
//! `GET /v1/payments/{id}`, `POST /v1/payments/{id}/refunds` (with `X-Idempotency-Key`:
//! a repeated key answers the first refund and refunds nothing more), every call checked
//! for the seller's `Authorization: Bearer` token; and the notifications Mercado Pago
//! sends, signed as documented (`x-signature: ts=…,v1=HMAC-SHA256(secret,
//! "id:{data.id};request-id:{x-request-id};ts:{ts};")`). The signing is written here
//! again, not borrowed from the code under test.

#![allow(dead_code, clippy::unwrap_used)]

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

/// The seller's access token the fake accepts.
pub const ACCESS_TOKEN: &str = "APP_USR-1234567890123456-test-token";
/// The application's webhook secret.
pub const WEBHOOK_SECRET: &str = "mp-webhook-secret-0123456789";

/// What the fake holds.
#[derive(Default)]
pub struct Books {
    /// Preferences created, by id: (idempotency key, body).
    pub preferences: Vec<(String, Value)>,
    /// Payments by id.
    pub payments: HashMap<i64, Value>,
    /// Refunds made: (idempotency key, payment id, answer).
    pub refunds: Vec<(String, i64, Value)>,
    /// `GET /v1/payments/{id}` calls.
    pub payment_reads: usize,
    /// Calls refused for a bad token.
    pub unauthorised: usize,
    /// Refund calls still to answer with a 500 (Mercado Pago having a bad moment).
    pub refunds_failing: usize,
    /// Refund calls answered with a 500.
    pub refunds_failed: usize,
    next_id: i64,
}

#[derive(Clone)]
struct Shared {
    books: Arc<Mutex<Books>>,
    base: String,
    token: String,
}

/// The running fake.
pub struct FakeMercadoPago {
    pub addr: SocketAddr,
    pub books: Arc<Mutex<Books>>,
}

fn authorised(shared: &Shared, headers: &HeaderMap) -> bool {
    let ok = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {}", shared.token));
    if !ok {
        shared.books.lock().unwrap().unauthorised += 1;
    }
    ok
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"message": message, "error": code, "status": status.as_u16(), "cause": []})),
    )
        .into_response()
}

async fn create_preference(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorised(&shared, &headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "invalid access token",
        );
    }
    let items = body["items"].as_array().cloned().unwrap_or_default();
    let valid = !items.is_empty()
        && items.iter().all(|i| {
            i["title"].is_string()
                && i["quantity"].as_i64().is_some_and(|q| q > 0)
                && i["unit_price"].as_f64().is_some_and(|p| p > 0.0)
                && i["currency_id"] == "CLP"
        });
    if !valid {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_items",
            "unit_price invalid.",
        );
    }
    let key = headers
        .get("x-idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mut books = shared.books.lock().unwrap();
    books.next_id += 1;
    let id = format!("123456789-pref-{}", books.next_id);
    books.preferences.push((key, body.clone()));
    let answer = json!({
        "id": id,
        "collector_id": 987654321,
        "external_reference": body["external_reference"],
        "items": body["items"],
        "init_point": format!("{}/checkout/v1/redirect?pref_id={id}", shared.base),
        "sandbox_init_point": format!("{}/sandbox/checkout/v1/redirect?pref_id={id}", shared.base),
    });
    (StatusCode::CREATED, Json(answer)).into_response()
}

async fn get_payment(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if !authorised(&shared, &headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "invalid access token",
        );
    }
    let mut books = shared.books.lock().unwrap();
    books.payment_reads += 1;
    match id
        .parse::<i64>()
        .ok()
        .and_then(|id| books.payments.get(&id))
    {
        Some(payment) => Json(payment.clone()).into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found", "Payment not found"),
    }
}

async fn refund(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if !authorised(&shared, &headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "invalid access token",
        );
    }
    let Some(key) = headers
        .get("x-idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "X-Idempotency-Key required",
        );
    };
    let mut books = shared.books.lock().unwrap();
    if books.refunds_failing > 0 {
        books.refunds_failing -= 1;
        books.refunds_failed += 1;
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "internal_error",
        );
    }
    if let Some((_, _, answer)) = books.refunds.iter().find(|(k, _, _)| *k == key) {
        return (StatusCode::CREATED, Json(answer.clone())).into_response();
    }
    let Ok(payment_id) = id.parse::<i64>() else {
        return error(StatusCode::NOT_FOUND, "not_found", "Payment not found");
    };
    let Some(payment) = books.payments.get_mut(&payment_id) else {
        return error(StatusCode::NOT_FOUND, "not_found", "Payment not found");
    };
    if payment["status"] != "approved" {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_status",
            "Payment not approved or already refunded",
        );
    }
    payment["status"] = json!("refunded");
    let amount = payment["transaction_amount"].clone();
    books.next_id += 1;
    let answer = json!({
        "id": 9_000_000 + books.next_id,
        "payment_id": payment_id,
        "amount": amount,
        "status": "approved",
        "source": {"type": "collector"},
    });
    books.refunds.push((key, payment_id, answer.clone()));
    (StatusCode::CREATED, Json(answer)).into_response()
}

impl FakeMercadoPago {
    pub async fn start() -> FakeMercadoPago {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let books = Arc::new(Mutex::new(Books {
            next_id: 1_000,
            ..Books::default()
        }));
        let shared = Shared {
            books: books.clone(),
            base: format!("http://{addr}"),
            token: ACCESS_TOKEN.to_owned(),
        };
        let app = axum::Router::new()
            .route(
                "/checkout/preferences",
                axum::routing::post(create_preference),
            )
            .route("/v1/payments/{id}", axum::routing::get(get_payment))
            .route("/v1/payments/{id}/refunds", axum::routing::post(refund))
            .with_state(shared);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeMercadoPago { addr, books }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The diner pays on the checkout page: a payment of `amount` CLP with `status`, for
    /// `external_reference`. Answers its id.
    pub fn pay(&self, external_reference: &str, amount: i64, status: &str) -> i64 {
        let mut books = self.books.lock().unwrap();
        books.next_id += 1;
        let id = 50_000_000 + books.next_id;
        books.payments.insert(
            id,
            json!({
                "id": id,
                "status": status,
                "status_detail": if status == "approved" { "accredited" } else { "pending_contingency" },
                "external_reference": external_reference,
                "transaction_amount": amount,
                "currency_id": "CLP",
                "payment_method_id": "visa",
                "date_approved": "2026-12-07T12:00:00.000-03:00",
            }),
        );
        id
    }

    pub fn preferences(&self) -> Vec<(String, Value)> {
        self.books.lock().unwrap().preferences.clone()
    }

    pub fn refunds(&self) -> Vec<(String, i64, Value)> {
        self.books.lock().unwrap().refunds.clone()
    }

    /// Makes the next `count` refund calls fail with a 500.
    pub fn fail_refunds(&self, count: usize) {
        self.books.lock().unwrap().refunds_failing = count;
    }

    pub fn refunds_failed(&self) -> usize {
        self.books.lock().unwrap().refunds_failed
    }

    pub fn payment_reads(&self) -> usize {
        self.books.lock().unwrap().payment_reads
    }
}

/// The `x-signature` Mercado Pago sends for a notification of `data_id`.
pub fn signature(secret: &str, data_id: &str, request_id: &str, ts: i64) -> String {
    let manifest = format!("id:{data_id};request-id:{request_id};ts:{ts};");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(manifest.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("ts={ts},v1={hex}")
}

/// A notification as Mercado Pago posts it for payment `payment_id` to `tenant`'s
/// notification URL, signed with `secret`: (path with query, headers, body).
pub fn notification(
    tenant: &str,
    payment_id: i64,
    secret: &str,
) -> (String, Vec<(String, String)>, Value) {
    let request_id = uuid::Uuid::new_v4().to_string();
    let ts = chrono::Utc::now().timestamp();
    let data_id = payment_id.to_string();
    let path = format!("/api/v1/webhooks/mercado-pago/{tenant}?data.id={data_id}&type=payment");
    let headers = vec![
        (
            "x-signature".to_owned(),
            signature(secret, &data_id, &request_id, ts),
        ),
        ("x-request-id".to_owned(), request_id),
    ];
    let body = json!({
        "id": 12345,
        "live_mode": true,
        "type": "payment",
        "date_created": "2026-12-07T12:00:00.000-03:00",
        "user_id": 987654321,
        "api_version": "v1",
        "action": "payment.created",
        "data": {"id": data_id},
    });
    (path, headers, body)
}
