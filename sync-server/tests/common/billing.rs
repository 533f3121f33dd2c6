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
use super::{Reply, Tenant, TestApp};
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use sqlx::postgres::PgConnectOptions;
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

/// A cloud that bills through a fresh fake of Mercado Pago's subscriptions API (its
/// platform token and webhook secret, `https://cloud.test` as its public address).
pub async fn billing_app(owner: PgConnectOptions) -> (FakeBilling, TestApp) {
    let fake = FakeBilling::start().await;
    let url = fake.url();
    let app = TestApp::with_settings(owner, move |settings| {
        settings.mercado_pago_api_url = url;
        settings.billing_access_token = PLATFORM_TOKEN.into();
        settings.billing_webhook_secret = PLATFORM_SECRET.into();
        settings.public_url = "https://cloud.test".into();
    })
    .await;
    (fake, app)
}

/// Posts a notification built by [`notification`] to the cloud.
pub async fn notify(
    app: &TestApp,
    (path, headers, body): (String, Vec<(String, String)>, Value),
) -> Reply {
    let mut request = Request::post(path)
        .header(header::HOST, "cloud.test")
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(name, value);
    }
    app.send(request.body(Body::from(body.to_string())).unwrap())
        .await
}

/// Mercado Pago charges preapproval `pid` (approved or rejected) and notifies the cloud,
/// signed: the cloud's reply.
pub async fn charged(app: &TestApp, fake: &FakeBilling, pid: &str, approved: bool) -> Reply {
    let charge = fake.charge(pid, approved);
    notify(
        app,
        notification(
            "subscription_authorized_payment",
            &charge.to_string(),
            PLATFORM_SECRET,
        ),
    )
    .await
}

/// The owner's view of the tenant's plan (`GET /billing`).
pub async fn billing(app: &TestApp, tenant: &Tenant) -> Value {
    let reply = app.get("/api/v1/billing", &tenant.token).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

/// The owner starts the checkout of `plan` (`POST /billing/subscription`).
pub async fn start_checkout(app: &TestApp, tenant: &Tenant, plan: &str) -> Reply {
    app.post(
        "/api/v1/billing/subscription",
        json!({ "plan": plan }),
        Some(&tenant.token),
    )
    .await
}

/// The owner moves to `plan` from the Plan page (`PUT /billing/plan`).
pub async fn change_plan(app: &TestApp, tenant: &Tenant, plan: &str) -> Reply {
    app.put(
        "/api/v1/billing/plan",
        json!({ "plan": plan }),
        &tenant.token,
    )
    .await
}

/// Subscribes `tenant` to `plan` and has the payer authorise it (notified as Mercado Pago
/// does): the preapproval's id.
pub async fn subscribed(app: &TestApp, fake: &FakeBilling, tenant: &Tenant, plan: &str) -> String {
    let reply = start_checkout(app, tenant, plan).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let preapproval = fake.preapproval_of(&tenant.id);
    let pid = preapproval["id"].as_str().unwrap().to_owned();
    assert_eq!(
        reply.body["checkout_url"], preapproval["init_point"],
        "the owner is sent to Mercado Pago's authorisation page"
    );
    fake.authorize(&pid);
    let noted = notify(
        app,
        notification("subscription_preapproval", &pid, PLATFORM_SECRET),
    )
    .await;
    assert_eq!(noted.status, StatusCode::OK, "{:?}", noted.body);
    pid
}

/// One value read with the owner's connection by `sql`, whose `$1` is the tenant's id.
pub async fn tenant_scalar<T>(app: &TestApp, tenant: &Tenant, sql: &'static str) -> T
where
    T: Send + Unpin + for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    let mut conn = app.owner_conn().await;
    sqlx::query_scalar(sql)
        .bind(tenant.id.parse::<uuid::Uuid>().unwrap())
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

/// Runs `sql` with the owner's connection, `$1` the tenant's id.
pub async fn tenant_exec(app: &TestApp, tenant: &Tenant, sql: &'static str) {
    let mut conn = app.owner_conn().await;
    sqlx::query(sql)
        .bind(tenant.id.parse::<uuid::Uuid>().unwrap())
        .execute(&mut conn)
        .await
        .unwrap();
}

/// The `/checkout/payment` page's form token and its cookie (`name=value`).
pub fn page_csrf(page: &Reply) -> (String, String) {
    let html = page.body.as_str().unwrap();
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let cookie = page
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("dysa_site_csrf="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    (csrf, cookie)
}
