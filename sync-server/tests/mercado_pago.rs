//! Diners pay widget orders online with Mercado Pago, against the fake of its API
//! (`common::mercado_pago`): linking the account, the checkout preference, the signed
//! notification (forged → 401 and nothing changes; replayed → one payment), the ledger
//! row the counter pulls, and the refund when the restaurant rejects the order (once).

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use common::mercado_pago::{ACCESS_TOKEN, FakeMercadoPago, WEBHOOK_SECRET, notification};
use common::sync::{device, id, push_ok, upsert};
use common::{Reply, Tenant, TestApp};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::time::Duration;
use uuid::Uuid;

async fn app_with(owner: PgConnectOptions, fake: &FakeMercadoPago) -> TestApp {
    let url = fake.url();
    TestApp::with_settings(owner, move |settings| {
        settings.mercado_pago_api_url = url;
        settings.credentials_key = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        settings.public_url = "https://cloud.test".into();
    })
    .await
}

/// A one-dish menu pushed by the counter: the item's id (price $8.990).
async fn push_menu(app: &TestApp, token: &str) -> String {
    let menu = common::sync::push_menu(app, token, &[], &[json!({})]).await;
    menu.items[0].clone()
}

/// Orders on, waiting while offline (the test's counter holds no live stream), and the
/// payment options `payment`.
async fn set_ordering(app: &TestApp, tenant: &Tenant, payment: &str) {
    let mut settings = app.get("/api/v1/widget-settings", &tenant.token).await.body;
    settings["ordering"] =
        json!({"online_orders": true, "offline_policy": "wait", "payment": payment});
    let reply = app
        .put("/api/v1/widget-settings", settings, &tenant.token)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

async fn link(app: &TestApp, tenant: &Tenant) -> Reply {
    app.put(
        "/api/v1/payments/mercado-pago",
        json!({"access_token": ACCESS_TOKEN, "webhook_secret": WEBHOOK_SECRET}),
        &tenant.token,
    )
    .await
}

async fn place(app: &TestApp, slug: &str, key: &str, body: &Value) -> Reply {
    app.send(
        Request::post(format!("/api/v1/public/{slug}/orders"))
            .header(header::HOST, "cloud.test")
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", key)
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

fn order_body(item: &str, payment: &str) -> Value {
    json!({
        "customer": {"name": "Rosa", "phone": "+56 9 1234 5678"},
        "fulfilment": "pickup",
        "lines": [{"item_id": item, "quantity": 2}],
        "payment": payment,
    })
}

async fn notify(app: &TestApp, path: &str, headers: &[(String, String)], body: &Value) -> Reply {
    let mut request = Request::post(path)
        .header(header::HOST, "cloud.test")
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(name.as_str(), value.as_str());
    }
    app.send(request.body(Body::from(body.to_string())).unwrap())
        .await
}

async fn status(app: &TestApp, slug: &str, order: &str, token: &str) -> Value {
    let reply = app
        .send(
            Request::get(format!("/api/v1/public/{slug}/orders/{order}"))
                .header(header::HOST, "cloud.test")
                .header("x-status-token", token)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

/// The ledger rows of `order` the counter pulls.
async fn pulled_payments(app: &TestApp, token: &str, order: &str) -> Vec<Value> {
    let page = app
        .get(
            "/api/v1/sync/pull?cursor=0&limit=1000&schema_version=1",
            token,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
    page.body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["entity"] == "payment" && c["row"]["order_id"] == order)
        .map(|c| c["row"].clone())
        .collect()
}

async fn payments_in_db(app: &TestApp, order: &str) -> i64 {
    let mut conn = app.owner_conn().await;
    sqlx::query_scalar("SELECT count(*) FROM payments WHERE order_id = $1")
        .bind(order.parse::<Uuid>().unwrap())
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

/// A tenant with a counter, a menu, online payment linked and offered: (tenant, device
/// token, item id).
async fn ready(app: &TestApp, slug: &str) -> (Tenant, String, String) {
    let tenant = app.signup(slug).await;
    let (_, token) = device(app, &tenant.token, &tenant.location_id, "Caja").await;
    let item = push_menu(app, &token).await;
    set_ordering(app, &tenant, "both").await;
    let linked = link(app, &tenant).await;
    assert_eq!(linked.status, StatusCode::OK, "{:?}", linked.body);
    (tenant, token, item)
}

/// Places an order paid online: (order id, status token, checkout url).
async fn place_online(app: &TestApp, slug: &str, item: &str) -> (String, String, String) {
    let placed = place(
        app,
        slug,
        &Uuid::now_v7().to_string(),
        &order_body(item, "online"),
    )
    .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    (
        placed.body["id"].as_str().unwrap().to_owned(),
        placed.body["status_token"].as_str().unwrap().to_owned(),
        placed.body["checkout_url"].as_str().unwrap().to_owned(),
    )
}

#[sqlx::test(migrations = false)]
async fn a_paid_widget_order_reaches_the_counter_paid(_: PgPoolOptions, owner: PgConnectOptions) {
    let fake = FakeMercadoPago::start().await;
    let app = app_with(owner, &fake).await;
    let tenant = app.signup("pago").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let item = push_menu(&app, &token).await;
    set_ordering(&app, &tenant, "both").await;

    // Not linked: the widget offers paying at pickup only, and refuses paying online.
    let widget = app.get("/api/v1/public/pago/widget", &tenant.token).await;
    assert_eq!(widget.body["ordering"]["payment"], "at_pickup");
    let refused = place(
        &app,
        "pago",
        &Uuid::now_v7().to_string(),
        &order_body(&item, "online"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.code(), "online_payment_unavailable");

    // The owner links the account; the credentials are never answered, and not stored
    // in clear.
    let bad = app
        .put(
            "/api/v1/payments/mercado-pago",
            json!({"access_token": "x", "webhook_secret": "con espacio"}),
            &tenant.token,
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
    let linked = link(&app, &tenant).await;
    assert_eq!(linked.status, StatusCode::OK, "{:?}", linked.body);
    assert_eq!(linked.body["linked"], true);
    assert_eq!(
        linked.body["notification_url"],
        format!(
            "https://cloud.test/api/v1/webhooks/mercado-pago/{}",
            tenant.id
        )
    );
    let read = app
        .get("/api/v1/payments/mercado-pago", &tenant.token)
        .await;
    assert_eq!(read.body["linked"], true);
    for reply in [&linked, &read] {
        let text = reply.body.to_string();
        assert!(
            !text.contains(ACCESS_TOKEN) && !text.contains(WEBHOOK_SECRET),
            "{text}"
        );
    }
    let mut conn = app.owner_conn().await;
    let (sealed_token, sealed_secret): (Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT access_token, webhook_secret FROM mercado_pago_accounts")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    let contains =
        |hay: &[u8], needle: &str| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(!contains(&sealed_token, ACCESS_TOKEN));
    assert!(!contains(&sealed_secret, WEBHOOK_SECRET));
    let widget = app.get("/api/v1/public/pago/widget", &tenant.token).await;
    assert_eq!(widget.body["ordering"]["payment"], "both");

    // Pagar ahora: the order is taken (pending, unpaid) and its preference made once.
    let key = Uuid::now_v7().to_string();
    let body = order_body(&item, "online");
    let placed = place(&app, "pago", &key, &body).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    assert_eq!(placed.body["total"], 17980);
    let order = placed.body["id"].as_str().unwrap().to_owned();
    let status_token = placed.body["status_token"].as_str().unwrap().to_owned();
    let checkout = placed.body["checkout_url"].as_str().unwrap().to_owned();
    assert!(checkout.starts_with(&fake.url()), "{checkout}");
    let replay = place(&app, "pago", &key, &body).await;
    assert_eq!(replay.body["checkout_url"], checkout.as_str());
    let preferences = fake.preferences();
    assert_eq!(preferences.len(), 1, "one preference, whatever the retries");
    let (preference_key, preference) = &preferences[0];
    assert_eq!(preference_key, &format!("preference-{order}"));
    assert_eq!(preference["external_reference"], order.as_str());
    assert_eq!(
        preference["items"],
        json!([{"id": item, "title": "Cazuela", "quantity": 2, "currency_id": "CLP", "unit_price": 8990}])
    );
    assert_eq!(
        preference["notification_url"],
        format!(
            "https://cloud.test/api/v1/webhooks/mercado-pago/{}",
            tenant.id
        )
    );
    let success = preference["back_urls"]["success"].as_str().unwrap();
    assert!(
        success.starts_with("https://cloud.test/r/pago?location=")
            && success.ends_with(&format!("&pedido={order}")),
        "{success}"
    );
    assert_eq!(preference["auto_return"], "approved");
    assert_eq!(
        status(&app, "pago", &order, &status_token).await["payment"],
        "awaiting"
    );
    assert!(pulled_payments(&app, &token, &order).await.is_empty());

    // A return page elsewhere than the widget's allowed origins is refused.
    let mut elsewhere = order_body(&item, "online");
    elsewhere["return_url"] = json!("https://evil.example/phish");
    let refused = place(&app, "pago", &Uuid::now_v7().to_string(), &elsewhere).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert!(refused.body["error"]["fields"]["return_url"].is_string());

    // The diner pays; Mercado Pago notifies; the cloud reads the payment back and the
    // counter pulls one ledger row, method mercado_pago, for the whole total.
    let payment = fake.pay(&order, 17980, "approved");
    let (path, headers, body) = notification(&tenant.id, payment, WEBHOOK_SECRET);
    let noted = notify(&app, &path, &headers, &body).await;
    assert_eq!(noted.status, StatusCode::OK, "{:?}", noted.body);
    let rows = pulled_payments(&app, &token, &order).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["method"], "mercado_pago");
    assert_eq!(rows[0]["amount"], 17980);
    assert_eq!(rows[0]["tip"], 0);
    assert_eq!(rows[0]["refund_of"], Value::Null);
    assert!(
        rows[0]["reference"]
            .as_str()
            .unwrap()
            .contains(&payment.to_string())
    );
    assert_eq!(
        status(&app, "pago", &order, &status_token).await["payment"],
        "paid"
    );

    // Replayed (Mercado Pago retries, or someone captured it): still one payment.
    assert_eq!(
        notify(&app, &path, &headers, &body).await.status,
        StatusCode::OK
    );
    let (path2, headers2, body2) = notification(&tenant.id, payment, WEBHOOK_SECRET);
    assert_eq!(
        notify(&app, &path2, &headers2, &body2).await.status,
        StatusCode::OK
    );
    assert_eq!(pulled_payments(&app, &token, &order).await.len(), 1);
    assert_eq!(payments_in_db(&app, &order).await, 1);

    // Paying at pickup still works under "both", and gets no checkout.
    let at_pickup = place(
        &app,
        "pago",
        &Uuid::now_v7().to_string(),
        &order_body(&item, "at_pickup"),
    )
    .await;
    assert_eq!(
        at_pickup.status,
        StatusCode::CREATED,
        "{:?}",
        at_pickup.body
    );
    assert!(at_pickup.body.get("checkout_url").is_none());
    // Online only: paying at pickup is refused.
    set_ordering(&app, &tenant, "online").await;
    let refused = place(
        &app,
        "pago",
        &Uuid::now_v7().to_string(),
        &order_body(&item, "at_pickup"),
    )
    .await;
    assert_eq!(refused.code(), "online_payment_required");

    // Unlinked: online payment stops at once.
    let removed = app
        .delete("/api/v1/payments/mercado-pago", &tenant.token)
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let refused = place(
        &app,
        "pago",
        &Uuid::now_v7().to_string(),
        &order_body(&item, "online"),
    )
    .await;
    assert_eq!(refused.code(), "online_payment_unavailable");
}

#[sqlx::test(migrations = false)]
async fn forged_notifications_change_nothing(_: PgPoolOptions, owner: PgConnectOptions) {
    let fake = FakeMercadoPago::start().await;
    let app = app_with(owner, &fake).await;
    let (tenant, token, item) = ready(&app, "falso").await;
    let (order, status_token, _) = place_online(&app, "falso", &item).await;
    let payment = fake.pay(&order, 17980, "approved");

    let (path, headers, body) = notification(&tenant.id, payment, "another-secret-123456");
    let forged = notify(&app, &path, &headers, &body).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED, "{:?}", forged.body);
    assert_eq!(forged.code(), "bad_signature");
    let unsigned = notify(&app, &path, &[], &body).await;
    assert_eq!(unsigned.status, StatusCode::UNAUTHORIZED);
    // A real signature moved onto another payment id.
    let (_, good_headers, _) = notification(&tenant.id, payment, WEBHOOK_SECRET);
    let other = format!(
        "/api/v1/webhooks/mercado-pago/{}?data.id={}&type=payment",
        tenant.id,
        payment + 1
    );
    assert_eq!(
        notify(&app, &other, &good_headers, &body).await.status,
        StatusCode::UNAUTHORIZED
    );
    // An old signature (replayed after the allowed age).
    let old_ts = chrono::Utc::now().timestamp() - 3600;
    let request_id = "req-old".to_owned();
    let old = vec![
        (
            "x-signature".to_owned(),
            common::mercado_pago::signature(
                WEBHOOK_SECRET,
                &payment.to_string(),
                &request_id,
                old_ts,
            ),
        ),
        ("x-request-id".to_owned(), request_id),
    ];
    let (path, _, _) = notification(&tenant.id, payment, WEBHOOK_SECRET);
    assert_eq!(
        notify(&app, &path, &old, &body).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Not a tenant id at all.
    let garbage = notify(
        &app,
        "/api/v1/webhooks/mercado-pago/nope?data.id=1&type=payment",
        &good_headers,
        &body,
    )
    .await;
    assert_eq!(garbage.status, StatusCode::UNAUTHORIZED);

    // Nothing changed, and the API was not even asked.
    assert_eq!(fake.payment_reads(), 0);
    assert!(pulled_payments(&app, &token, &order).await.is_empty());
    assert_eq!(payments_in_db(&app, &order).await, 0);
    assert_eq!(
        status(&app, "falso", &order, &status_token).await["payment"],
        "awaiting"
    );

    // Signed, but the payment does not pay this order exactly: nothing counts.
    let (short_order, _, _) = place_online(&app, "falso", &item).await;
    let short = fake.pay(&short_order, 100, "approved");
    let (path, headers, body) = notification(&tenant.id, short, WEBHOOK_SECRET);
    assert_eq!(
        notify(&app, &path, &headers, &body).await.status,
        StatusCode::OK
    );
    let pending = fake.pay(&order, 17980, "pending");
    let (path, headers, body) = notification(&tenant.id, pending, WEBHOOK_SECRET);
    assert_eq!(
        notify(&app, &path, &headers, &body).await.status,
        StatusCode::OK
    );
    assert_eq!(payments_in_db(&app, &short_order).await, 0);
    assert_eq!(payments_in_db(&app, &order).await, 0);
}

async fn eventually_refunds(fake: &FakeMercadoPago, count: usize) {
    for _ in 0..100 {
        if fake.refunds().len() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("expected {count} refunds, got {:?}", fake.refunds());
}

/// An HLC of the test's counter `ms` after now (later than the cloud's stamps on the
/// widget order, so the rejection's other fields win too).
fn hlc_now(ms: u64) -> String {
    let now = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap();
    format!("{:015}-{:06}-{:016x}", now + ms, 0, common::sync::NODE)
}

/// The counter rejects `order` (status cancelled, with its transition), `ms` from now.
async fn reject(app: &TestApp, token: &str, order: &str, ms: u64) {
    let (stamp, transition) = (hlc_now(ms), id());
    push_ok(
        app,
        token,
        vec![
            upsert(
                "order",
                order,
                json!({"status": "cancelled", "cancel_reason": "Sin stock", "updated_at": stamp}),
                &stamp,
            ),
            upsert(
                "order_transition",
                &transition,
                json!({"id": transition, "order_id": order,
                       "transition": {"from": "pending", "to": "cancelled", "reason": "Sin stock",
                                      "by_user": null, "at": "2026-12-07T16:00:00.000Z"},
                       "updated_at": stamp}),
                &stamp,
            ),
        ],
    )
    .await;
}

#[sqlx::test(migrations = false)]
async fn a_rejected_order_paid_online_is_refunded_once(_: PgPoolOptions, owner: PgConnectOptions) {
    let fake = FakeMercadoPago::start().await;
    let app = app_with(owner, &fake).await;
    let (tenant, token, item) = ready(&app, "devuelve").await;
    // Placed and paid while the restaurant is offline (the policy is to wait).
    let (order, status_token, _) = place_online(&app, "devuelve", &item).await;
    let payment = fake.pay(&order, 17980, "approved");
    let (path, headers, body) = notification(&tenant.id, payment, WEBHOOK_SECRET);
    assert_eq!(
        notify(&app, &path, &headers, &body).await.status,
        StatusCode::OK
    );

    // The counter comes back and rejects it: refunded through the API, with a key.
    reject(&app, &token, &order, 500).await;
    eventually_refunds(&fake, 1).await;
    let refunds = fake.refunds();
    assert_eq!(refunds[0].0, format!("refund-{order}"));
    assert_eq!(refunds[0].1, payment);
    let tenant_id = dysa_domain::ids::TenantId(tenant.id.parse().unwrap());
    // The refund's ledger row follows the refund (same transaction as its mark).
    let mut rows = Vec::new();
    for _ in 0..100 {
        rows = pulled_payments(&app, &token, &order).await;
        if rows.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(rows.len(), 2, "{rows:?}");
    let paid = rows.iter().find(|r| r["amount"] == 17980).unwrap();
    let refund = rows.iter().find(|r| r["amount"] == -17980).unwrap();
    assert_eq!(refund["method"], "mercado_pago");
    assert_eq!(refund["refund_of"], paid["id"]);
    assert_eq!(
        status(&app, "devuelve", &order, &status_token).await["payment"],
        "refunded"
    );

    // Rejected again, another push, a direct run, a replayed notification: no second
    // refund.
    reject(&app, &token, &order, 600).await;
    assert_eq!(
        dysa_cloud::mercado_pago::refund_rejected(&app.state, tenant_id).await,
        0
    );
    assert_eq!(
        notify(&app, &path, &headers, &body).await.status,
        StatusCode::OK
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.refunds().len(), 1);
    assert_eq!(payments_in_db(&app, &order).await, 2);

    // Paid after the counter already rejected it (the notification came late): refunded
    // as soon as the payment is recorded.
    let (late, _, _) = place_online(&app, "devuelve", &item).await;
    reject(&app, &token, &late, 700).await;
    let late_payment = fake.pay(&late, 17980, "approved");
    let (path, headers, body) = notification(&tenant.id, late_payment, WEBHOOK_SECRET);
    assert_eq!(
        notify(&app, &path, &headers, &body).await.status,
        StatusCode::OK
    );
    eventually_refunds(&fake, 2).await;
    assert_eq!(fake.refunds()[1].1, late_payment);
}

/// The refund row's attempts and whether it is refunded, read as the owner.
async fn refund_state(app: &TestApp, order: &str) -> (i32, bool) {
    let mut conn = app.owner_conn().await;
    sqlx::query_as(
        "SELECT refund_attempts, refunded_at IS NOT NULL FROM online_payments WHERE order_id = $1",
    )
    .bind(order.parse::<Uuid>().unwrap())
    .fetch_one(&mut conn)
    .await
    .unwrap()
}

/// Lets the order's refund back-off run out now, as if its time had come.
async fn back_off_over(app: &TestApp, order: &str) {
    let mut conn = app.owner_conn().await;
    sqlx::query("UPDATE online_payments SET refund_retry_at = now() - interval '1 second' WHERE order_id = $1")
        .bind(order.parse::<Uuid>().unwrap())
        .execute(&mut conn)
        .await
        .unwrap();
}

#[sqlx::test(migrations = false)]
async fn a_refund_mercado_pago_refuses_is_retried_by_the_sweep_after_its_back_off(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let fake = FakeMercadoPago::start().await;
    let app = app_with(owner, &fake).await;
    let (tenant, token, item) = ready(&app, "reintenta").await;
    let (order, status_token, _) = place_online(&app, "reintenta", &item).await;
    let payment = fake.pay(&order, 17980, "approved");
    let (path, headers, body) = notification(&tenant.id, payment, WEBHOOK_SECRET);
    assert_eq!(
        notify(&app, &path, &headers, &body).await.status,
        StatusCode::OK
    );

    // Rejected while Mercado Pago answers 500: the try after the push fails and is
    // recorded, nothing is refunded, and the ledger has no refund row.
    fake.fail_refunds(2);
    reject(&app, &token, &order, 500).await;
    for _ in 0..100 {
        if refund_state(&app, &order).await.0 == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(refund_state(&app, &order).await, (1, false));
    assert_eq!(fake.refunds_failed(), 1);
    assert_eq!(payments_in_db(&app, &order).await, 1);

    // Inside the back-off neither the sweep nor another push calls the API again.
    assert_eq!(dysa_cloud::mercado_pago::sweep_refunds(&app.state).await, 0);
    reject(&app, &token, &order, 600).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.refunds_failed(), 1);

    // Its time comes, the API fails once more: a second attempt, a longer wait.
    back_off_over(&app, &order).await;
    assert_eq!(dysa_cloud::mercado_pago::sweep_refunds(&app.state).await, 0);
    assert_eq!(refund_state(&app, &order).await, (2, false));
    assert_eq!(fake.refunds_failed(), 2);

    // Its time comes again and the API answers: refunded once, with the order's key.
    back_off_over(&app, &order).await;
    assert_eq!(dysa_cloud::mercado_pago::sweep_refunds(&app.state).await, 1);
    assert_eq!(refund_state(&app, &order).await, (2, true));
    let refunds = fake.refunds();
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].0, format!("refund-{order}"));
    assert_eq!(payments_in_db(&app, &order).await, 2);
    assert_eq!(
        status(&app, "reintenta", &order, &status_token).await["payment"],
        "refunded"
    );

    // Nothing is due any more: the sweep finds no tenant and refunds nothing twice.
    back_off_over(&app, &order).await;
    assert_eq!(dysa_cloud::mercado_pago::sweep_refunds(&app.state).await, 0);
    assert_eq!(fake.refunds().len(), 1);
}

#[sqlx::test(migrations = false)]
async fn only_the_owner_links_the_account(_: PgPoolOptions, owner: PgConnectOptions) {
    let fake = FakeMercadoPago::start().await;
    let app = app_with(owner, &fake).await;
    let tenant = app.signup("roles").await;
    let (_, manager) = app
        .account(&tenant.token, "gerente@roles.cl", "manager")
        .await;
    let (_, viewer) = app.account(&tenant.token, "mira@roles.cl", "viewer").await;
    let (_, device_token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    for token in [&manager, &viewer, &device_token] {
        let reply = app
            .put(
                "/api/v1/payments/mercado-pago",
                json!({"access_token": ACCESS_TOKEN, "webhook_secret": WEBHOOK_SECRET}),
                token,
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{:?}", reply.body);
        let removed = app.delete("/api/v1/payments/mercado-pago", token).await;
        assert_eq!(removed.status, StatusCode::FORBIDDEN);
    }
    let read = app
        .get("/api/v1/payments/mercado-pago", &tenant.token)
        .await;
    assert_eq!(read.body["linked"], false);
}

#[sqlx::test(migrations = false)]
async fn without_a_credentials_key_nothing_links(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("sinllave").await;
    let reply = link(&app, &tenant).await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{:?}",
        reply.body
    );
    assert_eq!(reply.code(), "payments_not_configured");
}
