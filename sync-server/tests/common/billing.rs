//! A stand-in for Mercado Pago's subscriptions API for the tests, following the documented
//! API (the pages `dysa_cloud::mercado_pago::preapproval` cites): `POST /preapproval`
//! (checked like the real one: reason, payer_email, back_url, `auto_recurring` with a
//! positive amount, `months`/`days`, an optional `free_trial`), `GET` and `PUT
//! /preapproval/{id}` (a cancelled preapproval cannot change again), `GET
//! /authorized_payments/{id}`; every call checked for the platform's `Authorization:
//! Bearer` token. The test plays the payer (`authorize`) and Mercado Pago's charging
//! engine (`charge`), and builds the signed notifications (`notification`), signed here
//! again rather than with the code under test.

#![allow(dead_code, clippy::unwrap_used)]

use super::mercado_pago::signature;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

/// The platform's access token the fake accepts.
pub const PLATFORM_TOKEN: &str = "APP_USR-platform-0000000000000000-billing";
/// The platform application's webhook secret.
pub const PLATFORM_SECRET: &str = "platform-webhook-secret-0123456789";

/// What the fake holds.
#[derive(Default)]
pub struct Books {
    /// Preapprovals by id.
    pub preapprovals: HashMap<String, Value>,
    /// Authorized payments by id.
    pub charges: HashMap<i64, Value>,
    /// `PUT /preapproval/{id}` bodies, in order.
    pub updates: Vec<(String, Value)>,
    /// Calls refused for a bad token.
    pub unauthorised: usize,
    next_id: i64,
}

#[derive(Clone)]
struct Shared {
    books: Arc<Mutex<Books>>,
    base: String,
}

/// The running fake.
pub struct FakeBilling {
    pub addr: SocketAddr,
    pub books: Arc<Mutex<Books>>,
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"message": message, "error": code, "status": status.as_u16(), "cause": []})),
    )
        .into_response()
}

fn authorised(shared: &Shared, headers: &HeaderMap) -> bool {
    let ok = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {PLATFORM_TOKEN}"));
    if !ok {
        shared.books.lock().unwrap().unauthorised += 1;
    }
    ok
}

fn unauthorised() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "invalid access token",
    )
}

async fn create(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorised(&shared, &headers) {
        return unauthorised();
    }
    let recurring = &body["auto_recurring"];
    let trial_ok = recurring.get("free_trial").is_none_or(|t| {
        t["frequency"].as_i64().is_some_and(|f| f > 0)
            && matches!(t["frequency_type"].as_str(), Some("days" | "months"))
    });
    let valid = body["reason"].as_str().is_some_and(|r| !r.is_empty())
        && body["payer_email"]
            .as_str()
            .is_some_and(|e| e.contains('@'))
        && body["back_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("http"))
        && recurring["frequency"].as_i64().is_some_and(|f| f > 0)
        && matches!(
            recurring["frequency_type"].as_str(),
            Some("days" | "months")
        )
        && recurring["transaction_amount"]
            .as_f64()
            .is_some_and(|a| a > 0.0)
        && recurring["currency_id"] == "CLP"
        && trial_ok
        && body["status"] == "pending";
    if !valid {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_parameters",
            "invalid preapproval",
        );
    }
    let trial_days = recurring["free_trial"]["frequency"].as_i64().unwrap_or(0);
    let mut books = shared.books.lock().unwrap();
    books.next_id += 1;
    let id = format!("2c938084{:024x}", books.next_id);
    let next = chrono::Utc::now() + chrono::Duration::days(trial_days);
    let answer = json!({
        "id": id,
        "payer_email": body["payer_email"],
        "external_reference": body["external_reference"],
        "reason": body["reason"],
        "back_url": body["back_url"],
        "status": "pending",
        "init_point": format!("{}/subscriptions/checkout?preapproval_id={id}", shared.base),
        "date_created": chrono::Utc::now().to_rfc3339(),
        "next_payment_date": next.to_rfc3339(),
        "auto_recurring": body["auto_recurring"],
    });
    books.preapprovals.insert(id, answer.clone());
    (StatusCode::CREATED, Json(answer)).into_response()
}

async fn read(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if !authorised(&shared, &headers) {
        return unauthorised();
    }
    match shared.books.lock().unwrap().preapprovals.get(&id) {
        Some(found) => Json(found.clone()).into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found", "preapproval not found"),
    }
}

async fn update(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if !authorised(&shared, &headers) {
        return unauthorised();
    }
    let mut books = shared.books.lock().unwrap();
    books.updates.push((id.clone(), body.clone()));
    let Some(found) = books.preapprovals.get_mut(&id) else {
        return error(StatusCode::NOT_FOUND, "not_found", "preapproval not found");
    };
    if found["status"] == "cancelled" {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_status",
            "cannot modify a cancelled preapproval",
        );
    }
    if let Some(status) = body.get("status") {
        if !matches!(status.as_str(), Some("cancelled" | "paused" | "authorized")) {
            return error(StatusCode::BAD_REQUEST, "invalid_status", "invalid status");
        }
        found["status"] = status.clone();
    }
    if let Some(amount) = body["auto_recurring"].get("transaction_amount") {
        found["auto_recurring"]["transaction_amount"] = amount.clone();
    }
    if let Some(reason) = body.get("reason") {
        found["reason"] = reason.clone();
    }
    Json(found.clone()).into_response()
}

async fn charge(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if !authorised(&shared, &headers) {
        return unauthorised();
    }
    let books = shared.books.lock().unwrap();
    match id.parse::<i64>().ok().and_then(|id| books.charges.get(&id)) {
        Some(found) => Json(found.clone()).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            "not_found",
            "authorized payment not found",
        ),
    }
}

impl FakeBilling {
    pub async fn start() -> FakeBilling {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let books = Arc::new(Mutex::new(Books {
            next_id: 7_000,
            ..Books::default()
        }));
        let shared = Shared {
            books: books.clone(),
            base: format!("http://{addr}"),
        };
        let app = axum::Router::new()
            .route("/preapproval", axum::routing::post(create))
            .route("/preapproval/{id}", axum::routing::get(read).put(update))
            .route("/authorized_payments/{id}", axum::routing::get(charge))
            .with_state(shared);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeBilling { addr, books }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn preapproval(&self, id: &str) -> Value {
        self.books.lock().unwrap().preapprovals[id].clone()
    }

    /// The only preapproval made for `tenant`.
    pub fn preapproval_of(&self, tenant: &str) -> Value {
        let books = self.books.lock().unwrap();
        let mine: Vec<&Value> = books
            .preapprovals
            .values()
            .filter(|p| p["external_reference"] == tenant)
            .collect();
        assert_eq!(mine.len(), 1, "one preapproval for the tenant");
        mine[0].clone()
    }

    /// How many preapprovals were made.
    pub fn preapprovals(&self) -> usize {
        self.books.lock().unwrap().preapprovals.len()
    }

    /// The payer authorises the preapproval on its `init_point`.
    pub fn authorize(&self, id: &str) {
        let mut books = self.books.lock().unwrap();
        books.preapprovals.get_mut(id).unwrap()["status"] = json!("authorized");
    }

    /// Mercado Pago's engine charges the preapproval: an authorized payment whose payment
    /// is approved or rejected (then in `recycling`, retried later). Answers its id.
    pub fn charge(&self, preapproval: &str, approved: bool) -> i64 {
        let mut books = self.books.lock().unwrap();
        let amount =
            books.preapprovals[preapproval]["auto_recurring"]["transaction_amount"].clone();
        books.next_id += 1;
        let id = 6_000_000_000 + books.next_id;
        let payment_id = 90_000_000 + books.next_id;
        books.charges.insert(
            id,
            json!({
                "id": id,
                "type": "scheduled",
                "preapproval_id": preapproval,
                "status": if approved { "processed" } else { "recycling" },
                "transaction_amount": amount,
                "currency_id": "CLP",
                "reason": "ChatBotDysa",
                "debit_date": chrono::Utc::now().to_rfc3339(),
                "retry_attempt": if approved { 0 } else { 1 },
                "payment": {"id": payment_id, "status": if approved { "approved" } else { "rejected" },
                            "status_detail": if approved { "accredited" } else { "cc_rejected_insufficient_amount" }},
            }),
        );
        id
    }
}

/// A subscription notification as Mercado Pago posts it to the platform's URL for
/// `data_id` of topic `kind`, signed with `secret`: (path with query, headers, body).
pub fn notification(
    kind: &str,
    data_id: &str,
    secret: &str,
) -> (String, Vec<(String, String)>, Value) {
    let request_id = uuid::Uuid::new_v4().to_string();
    let ts = chrono::Utc::now().timestamp();
    let path = format!("/api/v1/webhooks/mercado-pago-billing?data.id={data_id}&type={kind}");
    let headers = vec![
        (
            "x-signature".to_owned(),
            signature(secret, data_id, &request_id, ts),
        ),
        ("x-request-id".to_owned(), request_id),
    ];
    let action = if kind == "subscription_preapproval" {
        "updated"
    } else {
        "created"
    };
    let body = json!({
        "id": 12345,
        "live_mode": true,
        "type": kind,
        "date_created": chrono::Utc::now().to_rfc3339(),
        "application_id": 123456789,
        "user_id": 987654321,
        "version": 1,
        "api_version": "v1",
        "action": action,
        "data": {"id": data_id},
    });
    (path, headers, body)
}
