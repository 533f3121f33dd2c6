//! Plans and billing against the fake of Mercado Pago's subscriptions API
//! (`common::billing`): subscribing with a 14-day trial, the signed notifications
//! (forged → 401 and nothing changes; replayed → one record), a failed charge → grace →
//! read-only (owners' edits and widget ordering paused, the counter still syncing) → paid
//! again → restored, changing and cancelling the plan, the plan's counter limit, and
//! `/checkout/payment`.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::billing::{
    PLATFORM_SECRET, billing, billing_app, change_plan, charged, notification, notify, page_csrf,
    start_checkout, subscribed, tenant_exec, tenant_scalar,
};
use common::sync::{device, hlc, id, push_ok, upsert};
use common::{Reply, Tenant, TestApp};
use dysa_cloud::mail::templates::{MailKind, render};
use dysa_domain::validate::Lang;
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

async fn edit(app: &TestApp, tenant: &Tenant) -> Reply {
    let settings = app.get("/api/v1/widget-settings", &tenant.token).await.body;
    app.put("/api/v1/widget-settings", settings, &tenant.token)
        .await
}

/// A charge owed for longer than the grace period.
async fn owe_past_grace(app: &TestApp, tenant: &Tenant) {
    tenant_exec(
        app,
        tenant,
        "UPDATE subscriptions SET past_due_since = now() - interval '8 days' WHERE tenant_id = $1",
    )
    .await;
}

async fn place_order(app: &TestApp, slug: &str) -> Reply {
    app.send(
        Request::post(format!("/api/v1/public/{slug}/orders"))
            .header(header::HOST, "cloud.test")
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", Uuid::now_v7().to_string())
            .body(Body::from(
                json!({
                    "customer": {"name": "Rosa", "phone": "+56 9 1234 5678"},
                    "fulfilment": "pickup",
                    "lines": [{"item_id": Uuid::now_v7(), "quantity": 1}],
                })
                .to_string(),
            ))
            .unwrap(),
    )
    .await
}

fn category(stamp_ms: u64) -> Value {
    let cat = id();
    let stamp = hlc(stamp_ms);
    upsert(
        "category",
        &cat,
        json!({"id": cat, "name": "Platos", "name_en": null, "position": 0, "active": true,
               "created_at": "2026-12-07T12:00:00.000Z", "updated_at": stamp}),
        &stamp,
    )
}

#[sqlx::test(migrations = false)]
async fn subscribing_starts_a_fourteen_day_trial(_: PgPoolOptions, owner: PgConnectOptions) {
    let (fake, app) = billing_app(owner).await;
    let tenant = app.signup_on("plan", "basic").await;
    // The trial started at sign-up, on the plan chosen there.
    let before = billing(&app, &tenant).await;
    assert_eq!(before["standing"], "trial");
    assert_eq!(before["plan"], "basic");
    assert!(before["trial_ends_at"].is_string());

    let pid = subscribed(&app, &fake, &tenant, "pro").await;
    let sent = fake.preapproval(&pid);
    assert_eq!(sent["auto_recurring"]["transaction_amount"], 29_990.0);
    assert_eq!(sent["auto_recurring"]["currency_id"], "CLP");
    assert_eq!(sent["auto_recurring"]["frequency_type"], "months");
    assert_eq!(
        sent["auto_recurring"]["free_trial"],
        json!({"frequency": 14, "frequency_type": "days"})
    );
    assert_eq!(sent["payer_email"], tenant.email);
    assert_eq!(sent["back_url"], "https://cloud.test/dashboard/plan");

    let view = billing(&app, &tenant).await;
    assert_eq!(view["plan"], "pro");
    assert_eq!(view["monthly"], 29_990);
    assert_eq!(view["standing"], "trial");
    assert_eq!(view["read_only"], false);
    let trial_end: chrono::DateTime<chrono::Utc> =
        view["trial_ends_at"].as_str().unwrap().parse().unwrap();
    let days = (trial_end - chrono::Utc::now()).num_hours();
    assert!((13 * 24..=14 * 24).contains(&days), "{days} hours of trial");
    assert!(view["next_payment_at"].is_string());
    assert_eq!(view["limits"]["locations"], 3);
    assert_eq!(view["invoices"], json!([]));

    // Subscribing again while paid up: change the plan instead.
    let again = start_checkout(&app, &tenant, "pro").await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "already_subscribed");
    let unknown = start_checkout(&app, &tenant, "gratis").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body["error"]["fields"]["plan"].is_string());
}

#[sqlx::test(migrations = false)]
async fn a_failed_charge_gives_grace_then_read_only_until_paid_again(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (fake, app) = billing_app(owner).await;
    let tenant = app.signup("impago").await;
    let (_, counter) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let pid = subscribed(&app, &fake, &tenant, "pro").await;

    // The first charge after the trial is rejected: grace, with its end for the banner.
    let noted = charged(&app, &fake, &pid, false).await;
    assert_eq!(noted.status, StatusCode::OK, "{:?}", noted.body);
    let view = billing(&app, &tenant).await;
    assert_eq!(view["standing"], "grace");
    assert!(view["grace_ends_at"].is_string());
    assert_eq!(view["invoices"][0]["status"], "failed");
    assert_eq!(view["invoices"][0]["amount"], 29_990);
    assert_eq!(
        edit(&app, &tenant).await.status,
        StatusCode::OK,
        "edits work in grace"
    );

    // Seven days later: read-only.
    owe_past_grace(&app, &tenant).await;
    let view = billing(&app, &tenant).await;
    assert_eq!(view["standing"], "read_only");
    assert_eq!(view["read_only"], true);
    let refused = edit(&app, &tenant).await;
    assert_eq!(
        refused.status,
        StatusCode::PAYMENT_REQUIRED,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.code(), "billing_read_only");
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("mesón sigue vendiendo")
    );
    // Reads still work; the widget pauses ordering with words for a diner.
    assert_eq!(
        app.get("/api/v1/widget-settings", &tenant.token)
            .await
            .status,
        StatusCode::OK
    );
    let order = place_order(&app, "impago").await;
    assert_eq!(order.status, StatusCode::CONFLICT, "{:?}", order.body);
    assert_eq!(order.code(), "ordering_paused");
    // The counter never stops: its pushes are applied.
    let results = push_ok(&app, &counter, vec![category(10)]).await;
    assert_eq!(results[0]["outcome"], "applied", "{results:?}");

    // Mercado Pago's retry succeeds: restored at once.
    let noted = charged(&app, &fake, &pid, true).await;
    assert_eq!(noted.status, StatusCode::OK);
    let view = billing(&app, &tenant).await;
    assert_eq!(view["standing"], "active");
    assert_eq!(view["read_only"], false);
    assert_eq!(view["grace_ends_at"], Value::Null);
    assert_eq!(view["invoices"].as_array().unwrap().len(), 2);
    assert_eq!(view["invoices"][0]["status"], "paid");
    assert_eq!(edit(&app, &tenant).await.status, StatusCode::OK);
    assert_ne!(place_order(&app, "impago").await.code(), "ordering_paused");
}

#[sqlx::test(migrations = false)]
async fn forged_notifications_change_nothing_and_replays_record_once(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (fake, app) = billing_app(owner).await;
    let tenant = app.signup("firmas").await;
    let pid = subscribed(&app, &fake, &tenant, "basic").await;
    let failed = fake.charge(&pid, false).to_string();

    // Signed with another secret, unsigned, or signed for another id: 401, nothing.
    let forged = notify(
        &app,
        notification(
            "subscription_authorized_payment",
            &failed,
            "not-the-platform-secret",
        ),
    )
    .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    assert_eq!(forged.code(), "bad_signature");
    let (path, _, body) = notification("subscription_authorized_payment", &failed, PLATFORM_SECRET);
    assert_eq!(
        notify(&app, (path, vec![], body)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let (_, headers, body) =
        notification("subscription_authorized_payment", "123", PLATFORM_SECRET);
    let swapped = format!(
        "/api/v1/webhooks/mercado-pago-billing?data.id={failed}&type=subscription_authorized_payment"
    );
    assert_eq!(
        notify(&app, (swapped, headers, body)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(tenant_scalar::<i64>(&app, &tenant, INVOICES).await, 0);
    assert_eq!(billing(&app, &tenant).await["standing"], "trial");

    // Delivered three times (the same request, and signed anew): one record.
    let once = notification("subscription_authorized_payment", &failed, PLATFORM_SECRET);
    assert_eq!(notify(&app, once.clone()).await.status, StatusCode::OK);
    assert_eq!(notify(&app, once).await.status, StatusCode::OK);
    let anew = notification("subscription_authorized_payment", &failed, PLATFORM_SECRET);
    assert_eq!(notify(&app, anew).await.status, StatusCode::OK);
    assert_eq!(tenant_scalar::<i64>(&app, &tenant, INVOICES).await, 1);
    assert_eq!(billing(&app, &tenant).await["standing"], "grace");

    // A preapproval that is not the tenant's subscription changes nothing of it.
    let other = app.signup("ajena").await;
    let _ = subscribed(&app, &fake, &other, "pro").await;
    assert_eq!(billing(&app, &tenant).await["plan"], "basic");
}

#[sqlx::test(migrations = false)]
async fn the_owner_changes_and_cancels_the_plan(_: PgPoolOptions, owner: PgConnectOptions) {
    let (fake, app) = billing_app(owner).await;
    let tenant = app.signup_on("cambio", "basic").await;
    // In the sign-up's trial, before any checkout, the plan changes with nothing sent to
    // Mercado Pago, and there is nothing to cancel there.
    let trial = change_plan(&app, &tenant, "pro").await;
    assert_eq!(trial.status, StatusCode::OK, "{:?}", trial.body);
    assert_eq!(trial.body["plan"], "pro");
    assert_eq!(trial.body["checkout_started"], false);
    assert_eq!(fake.preapprovals(), 0);
    let none = app
        .post("/api/v1/billing/cancel", Value::Null, Some(&tenant.token))
        .await;
    assert_eq!(none.code(), "no_subscription");
    let pid = subscribed(&app, &fake, &tenant, "pro").await;

    // Up to Cadena: the next charge is Cadena's, the tenant's plan too.
    let up = change_plan(&app, &tenant, "enterprise").await;
    assert_eq!(up.status, StatusCode::OK, "{:?}", up.body);
    assert_eq!(up.body["plan"], "enterprise");
    assert_eq!(up.body["limits"]["locations"], Value::Null);
    assert_eq!(
        fake.preapproval(&pid)["auto_recurring"]["transaction_amount"],
        59_990.0
    );
    // Two locations open: Básico (one) does not fit.
    let added = app
        .post(
            "/api/v1/locations",
            json!({"name": "Ñuñoa"}),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    let down = change_plan(&app, &tenant, "basic").await;
    assert_eq!(down.status, StatusCode::FORBIDDEN);
    assert_eq!(down.code(), "plan_limit_reached");
    assert_eq!(
        fake.preapproval(&pid)["auto_recurring"]["transaction_amount"],
        59_990.0
    );

    // A manager may read the plan, not change or cancel it.
    let (_, manager) = app
        .account(&tenant.token, "gerente@cambio.cl", "manager")
        .await;
    assert_eq!(
        app.get("/api/v1/billing", &manager).await.status,
        StatusCode::OK
    );
    let cancel = app
        .post("/api/v1/billing/cancel", Value::Null, Some(&manager))
        .await;
    assert_eq!(cancel.status, StatusCode::FORBIDDEN);

    // Cancelled: Mercado Pago stops charging; it works until the paid period ends.
    let cancelled = app
        .post("/api/v1/billing/cancel", Value::Null, Some(&tenant.token))
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{:?}", cancelled.body);
    assert_eq!(cancelled.body["standing"], "cancelled");
    assert_eq!(fake.preapproval(&pid)["status"], "cancelled");
    assert_eq!(edit(&app, &tenant).await.status, StatusCode::OK);
}

#[sqlx::test(migrations = false)]
async fn the_plan_limits_counters_per_location(_: PgPoolOptions, owner: PgConnectOptions) {
    let (_fake, app) = billing_app(owner).await;
    let tenant = app.signup_on("equipos", "basic").await;
    for n in 0..3 {
        device(
            &app,
            &tenant.token,
            &tenant.location_id,
            &format!("Caja {n}"),
        )
        .await;
    }
    let code = app
        .post(
            &format!("/api/v1/locations/{}/enrollment-codes", tenant.location_id),
            Value::Null,
            Some(&tenant.token),
        )
        .await;
    let code = code.body["enrollment_code"].as_str().unwrap().to_owned();
    let fourth = app.enroll(&code, "Cocina").await;
    assert_eq!(fourth.status, StatusCode::FORBIDDEN, "{:?}", fourth.body);
    assert_eq!(fourth.code(), "plan_limit_reached");
    assert_eq!(fourth.body["error"]["details"]["limit"], 3);
    assert!(
        fourth.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Básico")
    );
}

#[sqlx::test(migrations = false)]
async fn checkout_payment_page_subscribes_the_signed_in_owner(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (fake, app) = billing_app(owner).await;
    let tenant = app.signup("pagina").await;
    let page = |path: &str, token: Option<&str>| {
        let mut request = Request::get(path).header(header::HOST, "cloud.test");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        app.send(request.body(Body::empty()).unwrap())
    };
    let anonymous = page("/checkout/payment", None).await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert!(anonymous.body.as_str().unwrap().contains("inicia sesión"));
    let english = page("/en/checkout/payment?plan=pro", Some(&tenant.token)).await;
    assert!(
        english
            .body
            .as_str()
            .unwrap()
            .contains("Continue to Mercado Pago")
    );
    let form = page("/checkout/payment?plan=pro", Some(&tenant.token)).await;
    let html = form.body.as_str().unwrap().to_owned();
    assert!(html.contains("14 días gratis"), "{html}");
    assert!(html.contains("$29.990"));
    let (csrf, cookie) = page_csrf(&form);
    let posted = app
        .send(
            Request::post("/checkout/payment")
                .header(header::HOST, "cloud.test")
                .header(header::AUTHORIZATION, format!("Bearer {}", tenant.token))
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("plan=pro&csrf={csrf}")))
                .unwrap(),
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{:?}", posted.body);
    let preapproval = fake.preapproval_of(&tenant.id);
    assert_eq!(
        posted.headers[header::LOCATION].to_str().unwrap(),
        preapproval["init_point"].as_str().unwrap()
    );
    assert_eq!(billing(&app, &tenant).await["standing"], "pending");
}

async fn public(app: &TestApp, method: &str, path: &str, lang: &str, body: Option<Value>) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "cloud.test")
        .header(header::ACCEPT_LANGUAGE, lang)
        .header("idempotency-key", Uuid::now_v7().to_string());
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.send(request.body(body).unwrap()).await
}

fn whatsapp_link() -> Value {
    json!({"phone_number_id": "106540352242922", "waba_id": "102290129340398",
           "access_token": "EAAGtestaccesstoken1234", "app_secret": "app-secret-de-prueba",
           "verify_token": "verificame-por-favor"})
}

async fn stored_standing(
    app: &TestApp,
    tenant: &Tenant,
) -> (String, chrono::DateTime<chrono::Utc>) {
    let mut conn = app.owner_conn().await;
    sqlx::query_as("SELECT standing, standing_since FROM subscriptions WHERE tenant_id = $1")
        .bind(tenant.id.parse::<Uuid>().unwrap())
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

/// `$1`: the tenant.
const INVOICES: &str = "SELECT count(*) FROM subscription_invoices WHERE tenant_id = $1";

/// `$1`: the tenant.
const TRIAL_END: &str = "SELECT trial_ends_at FROM subscriptions WHERE tenant_id = $1";

/// `$1`: the tenant.
const DEVICES: &str = "SELECT count(*) FROM devices WHERE tenant_id = $1";

/// `$1`: the tenant.
const CODES: &str = "SELECT count(*) FROM enrollment_codes WHERE tenant_id = $1";

async fn sweep_at(app: &TestApp, now: chrono::DateTime<chrono::Utc>) -> dysa_cloud::billing::Swept {
    dysa_cloud::billing::sweep(&app.state, now).await.unwrap()
}

#[sqlx::test(migrations = false)]
async fn the_widget_and_whatsapp_are_sold_from_pro(_: PgPoolOptions, owner: PgConnectOptions) {
    let (_fake, app) = billing_app(owner).await;
    let tenant = app.signup_on("basico", "basic").await;

    // Básico has no widget: every part of it answers in words for a diner, es and en.
    let config = public(&app, "GET", "/api/v1/public/basico/widget", "es", None).await;
    assert_eq!(config.status, StatusCode::FORBIDDEN, "{:?}", config.body);
    assert_eq!(config.code(), "widget_not_in_plan");
    assert!(
        config.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no recibe pedidos ni reservas en línea")
    );
    let english = public(&app, "GET", "/api/v1/public/basico/menu", "en", None).await;
    assert_eq!(english.code(), "widget_not_in_plan");
    assert!(
        english.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("does not take online orders")
    );
    let order = public(
        &app,
        "POST",
        "/api/v1/public/basico/orders",
        "es",
        Some(json!({})),
    )
    .await;
    assert_eq!(order.code(), "widget_not_in_plan", "{:?}", order.body);
    let booking = public(
        &app,
        "POST",
        "/api/v1/public/basico/reservations",
        "es",
        Some(json!({})),
    )
    .await;
    assert_eq!(booking.code(), "widget_not_in_plan", "{:?}", booking.body);
    let chat = public(
        &app,
        "POST",
        "/api/v1/public/basico/chat",
        "es",
        Some(json!({"message": "hola"})),
    )
    .await;
    assert_eq!(chat.status, StatusCode::FORBIDDEN, "{:?}", chat.body);
    assert_eq!(chat.code(), "widget_not_in_plan");

    // Nor WhatsApp: linking a number is refused with the plan named, nothing stored.
    let path = format!("/api/v1/locations/{}/whatsapp", tenant.location_id);
    let refused = app.put(&path, whatsapp_link(), &tenant.token).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    assert_eq!(refused.code(), "plan_limit_reached");
    assert_eq!(refused.body["error"]["details"]["what"], "whatsapp");
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Básico no incluye WhatsApp")
    );
    assert_eq!(
        app.get(&path, &tenant.token).await.body["link"],
        Value::Null
    );

    // Moved to Pro during the trial (no checkout yet): both work at once.
    let up = change_plan(&app, &tenant, "pro").await;
    assert_eq!(up.status, StatusCode::OK, "{:?}", up.body);
    assert_eq!(up.body["standing"], "trial");
    assert_eq!(
        public(&app, "GET", "/api/v1/public/basico/widget", "es", None)
            .await
            .status,
        StatusCode::OK
    );
    let linked = app.put(&path, whatsapp_link(), &tenant.token).await;
    assert_eq!(linked.status, StatusCode::OK, "{:?}", linked.body);

    // Back to Básico while a number is linked: refused with the reason, nothing changes.
    let down = change_plan(&app, &tenant, "basic").await;
    assert_eq!(down.status, StatusCode::FORBIDDEN, "{:?}", down.body);
    assert_eq!(down.code(), "plan_limit_reached");
    assert!(
        down.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("desvincúlalo primero")
    );
    assert_eq!(billing(&app, &tenant).await["plan"], "pro");
    // Unlinked, the move goes through; the widget then answers its words again.
    assert!(app.delete(&path, &tenant.token).await.status.is_success());
    let down = change_plan(&app, &tenant, "basic").await;
    assert_eq!(down.status, StatusCode::OK, "{:?}", down.body);
    assert_eq!(
        public(&app, "GET", "/api/v1/public/basico/widget", "es", None)
            .await
            .code(),
        "widget_not_in_plan"
    );
}

#[sqlx::test(migrations = false)]
async fn the_trial_starts_at_signup_and_the_sweep_records_its_end(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (fake, app) = billing_app(owner).await;
    let before = chrono::Utc::now();
    let tenant = app.signup_on("prueba", "pro").await;
    let ends = tenant_scalar::<chrono::DateTime<chrono::Utc>>(&app, &tenant, TRIAL_END).await;
    let days = ends - before;
    assert!(
        days >= chrono::Duration::days(14)
            && days < chrono::Duration::days(14) + chrono::Duration::minutes(1),
        "{days:?}"
    );
    let view = billing(&app, &tenant).await;
    assert_eq!(view["standing"], "trial");
    assert_eq!(view["plan"], "pro");
    assert_eq!(view["read_only"], false);
    assert_eq!(stored_standing(&app, &tenant).await.0, "trial");

    // The sweep with a controlled clock: nothing changes up to the trial's last second.
    assert_eq!(sweep_at(&app, before).await.changed, 0);
    assert_eq!(
        sweep_at(&app, ends - chrono::Duration::seconds(1))
            .await
            .changed,
        0
    );
    // At its end, with no subscription authorised: read-only, recorded once even when
    // two instances sweep at the same moment.
    let (one, two) = tokio::join!(sweep_at(&app, ends), sweep_at(&app, ends));
    assert_eq!(one.changed + two.changed, 1, "{one:?} {two:?}");
    assert_eq!(one.read_only + two.read_only, 1);
    assert_eq!(
        stored_standing(&app, &tenant).await,
        ("read_only".to_owned(), ends)
    );
    assert_eq!(
        changes(&billing_mails(&app).await),
        ["read_only"],
        "the owner is told once"
    );
    assert_eq!(
        sweep_at(&app, ends + chrono::Duration::hours(1))
            .await
            .changed,
        0
    );

    // The gate agrees once the trial really is over (moved into the past).
    let mut conn = app.owner_conn().await;
    sqlx::query(
        "UPDATE subscriptions SET trial_ends_at = now() - interval '1 minute', next_payment_at = now() - interval '1 minute' WHERE tenant_id = $1",
    )
    .bind(tenant.id.parse::<Uuid>().unwrap())
    .execute(&mut conn)
    .await
    .unwrap();
    assert_eq!(billing(&app, &tenant).await["standing"], "read_only");
    assert_eq!(edit(&app, &tenant).await.code(), "billing_read_only");

    // Subscribing now: no free days left; a checkout still pending does not lift it.
    let reply = start_checkout(&app, &tenant, "pro").await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let preapproval = fake.preapproval_of(&tenant.id);
    assert_eq!(preapproval["auto_recurring"]["free_trial"], Value::Null);
    assert_eq!(billing(&app, &tenant).await["standing"], "read_only");
    assert_eq!(edit(&app, &tenant).await.code(), "billing_read_only");
    // Authorised: active at once, and the sweep records it.
    let pid = preapproval["id"].as_str().unwrap().to_owned();
    fake.authorize(&pid);
    let noted = notify(
        &app,
        notification("subscription_preapproval", &pid, PLATFORM_SECRET),
    )
    .await;
    assert_eq!(noted.status, StatusCode::OK);
    assert_eq!(billing(&app, &tenant).await["standing"], "active");
    assert_eq!(edit(&app, &tenant).await.status, StatusCode::OK);
    let now = chrono::Utc::now();
    assert_eq!(sweep_at(&app, now).await.changed, 1);
    assert_eq!(stored_standing(&app, &tenant).await.0, "active");
    assert_eq!(
        changes(&billing_mails(&app).await),
        ["read_only", "restored"]
    );
}

/// The mails the sweep queued to owners about their plan: (to, change, lang, link), in
/// the order queued.
async fn billing_mails(app: &TestApp) -> Vec<(String, String, String, String)> {
    let mut conn = app.owner_conn().await;
    sqlx::query_as(
        "SELECT to_address, params->>'change', lang, params->>'link' FROM mail_outbox
         WHERE purpose = 'billing_standing' ORDER BY created_at, id",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap()
}

fn changes(mails: &[(String, String, String, String)]) -> Vec<&str> {
    mails.iter().map(|m| m.1.as_str()).collect()
}

#[sqlx::test(migrations = false)]
async fn the_sweep_records_grace_then_read_only_then_restored_and_tells_the_owner_once_each(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (fake, app) = billing_app(owner).await;
    let tenant = app.signup("gracia").await;
    let pid = subscribed(&app, &fake, &tenant, "pro").await;
    let noted = charged(&app, &fake, &pid, false).await;
    assert_eq!(noted.status, StatusCode::OK);
    let grace_end: chrono::DateTime<chrono::Utc> = billing(&app, &tenant).await["grace_ends_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // Grace: recorded once and told once, though two instances sweep at the same moment
    // and the sweep runs again.
    let at = grace_end - chrono::Duration::days(7);
    let (one, two) = tokio::join!(sweep_at(&app, at), sweep_at(&app, at));
    assert_eq!(one.changed + two.changed, 1, "{one:?} {two:?}");
    assert_eq!(one.mails + two.mails, 1, "{one:?} {two:?}");
    assert_eq!(sweep_at(&app, at).await.mails, 0);
    assert_eq!(
        stored_standing(&app, &tenant).await,
        ("grace".to_owned(), at)
    );
    let mails = billing_mails(&app).await;
    assert_eq!(changes(&mails), ["grace"]);
    let (to, _, lang, link) = &mails[0];
    assert_eq!(to, &tenant.email);
    assert_eq!(lang, "es");
    assert_eq!(link, "https://cloud.test/dashboard/plan");
    assert_eq!(
        sweep_at(&app, grace_end - chrono::Duration::seconds(1))
            .await
            .changed,
        0
    );
    // Read-only at the grace's end: one more mail, whatever the instances do.
    let (one, two) = tokio::join!(sweep_at(&app, grace_end), sweep_at(&app, grace_end));
    assert_eq!(
        (one.changed + two.changed, one.read_only + two.read_only),
        (1, 1)
    );
    assert_eq!(one.mails + two.mails, 1);
    assert_eq!(
        stored_standing(&app, &tenant).await,
        ("read_only".to_owned(), grace_end)
    );
    assert_eq!(
        sweep_at(&app, grace_end + chrono::Duration::minutes(1))
            .await
            .mails,
        0
    );
    assert_eq!(changes(&billing_mails(&app).await), ["grace", "read_only"]);
    // Paid again: restored at once; the next sweep records it and tells the owner.
    charged(&app, &fake, &pid, true).await;
    let later = grace_end + chrono::Duration::minutes(5);
    let (one, two) = tokio::join!(sweep_at(&app, later), sweep_at(&app, later));
    assert_eq!(
        (one.changed + two.changed, one.read_only + two.read_only),
        (1, 0)
    );
    assert_eq!(stored_standing(&app, &tenant).await.0, "active");
    assert_eq!(sweep_at(&app, later).await.mails, 0);
    assert_eq!(
        changes(&billing_mails(&app).await),
        ["grace", "read_only", "restored"]
    );

    // Each renders (HTML and text) in the owner's Spanish, with the Plan page's link.
    let mut conn = app.owner_conn().await;
    let params: Vec<Value> = sqlx::query_scalar(
        "SELECT params FROM mail_outbox WHERE purpose = 'billing_standing' ORDER BY created_at, id",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let subjects: Vec<String> = params
        .into_iter()
        .map(|p| {
            let kind: MailKind = serde_json::from_value(p).unwrap();
            let mail = render(&kind, Lang::Es).unwrap();
            assert!(mail.html.contains("https://cloud.test/dashboard/plan"));
            assert!(mail.text.contains("https://cloud.test/dashboard/plan"));
            assert!(mail.text.contains("mesón") || mail.text.contains("funcionan otra vez"));
            mail.subject
        })
        .collect();
    assert_eq!(
        subjects,
        [
            "No pudimos cobrar tu plan de ChatBotDysa",
            "Tu panel de ChatBotDysa quedó en modo solo lectura",
            "Tu plan de ChatBotDysa está al día",
        ]
    );
}

#[sqlx::test(migrations = false)]
async fn read_only_refuses_enrolment_codes_online_bookings_and_chat_while_counters_sync(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (fake, app) = billing_app(owner).await;
    let tenant = app.signup("solo-lectura").await;
    let (_, counter) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let pid = subscribed(&app, &fake, &tenant, "pro").await;
    charged(&app, &fake, &pid, false).await;
    owe_past_grace(&app, &tenant).await;
    let codes_before = tenant_scalar::<i64>(&app, &tenant, CODES).await;
    let path = format!("/api/v1/locations/{}/enrollment-codes", tenant.location_id);
    let refused = app.post(&path, Value::Null, Some(&tenant.token)).await;
    assert_eq!(
        refused.status,
        StatusCode::PAYMENT_REQUIRED,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.code(), "billing_read_only");
    assert_eq!(
        tenant_scalar::<i64>(&app, &tenant, CODES).await,
        codes_before,
        "no code was made"
    );
    // The widget's bookings pause like its orders, in words for a diner.
    let booking = public(
        &app,
        "POST",
        "/api/v1/public/solo-lectura/reservations",
        "es",
        Some(json!({})),
    )
    .await;
    assert_eq!(booking.status, StatusCode::CONFLICT, "{:?}", booking.body);
    assert_eq!(booking.code(), "ordering_paused");
    // So does the chat, a cloud feature too: its words for a diner, es and en, which the
    // widget shows in the conversation like any refusal.
    let chat = |lang: &'static str| {
        public(
            &app,
            "POST",
            "/api/v1/public/solo-lectura/chat",
            lang,
            Some(json!({"message": "hola, ¿tienen mesa?"})),
        )
    };
    let paused = chat("es").await;
    assert_eq!(paused.status, StatusCode::CONFLICT, "{:?}", paused.body);
    assert_eq!(paused.code(), "chat_paused");
    assert!(
        paused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("chat en línea de este restaurante está en pausa")
    );
    let english = chat("en").await;
    assert_eq!(english.code(), "chat_paused");
    assert!(
        english.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("online chat is paused")
    );
    // The code made at sign-up, before the tenant turned read-only, is no way round the
    // pause: 402 with nothing written, and the code stays good for after the payment.
    let devices_before = tenant_scalar::<i64>(&app, &tenant, DEVICES).await;
    let early = app.enroll(&tenant.enrollment_code, "Caja 2").await;
    assert_eq!(
        early.status,
        StatusCode::PAYMENT_REQUIRED,
        "{:?}",
        early.body
    );
    assert_eq!(early.code(), "billing_read_only");
    assert_eq!(
        tenant_scalar::<i64>(&app, &tenant, DEVICES).await,
        devices_before
    );
    let unused: i64 = tenant_scalar(
        &app,
        &tenant,
        "SELECT count(*) FROM enrollment_codes WHERE tenant_id = $1 AND used_at IS NULL",
    )
    .await;
    assert!(unused >= 1, "the early code is still unused");
    // The counter keeps syncing: its push is applied and it pulls.
    let results = push_ok(&app, &counter, vec![category(20)]).await;
    assert_eq!(results[0]["outcome"], "applied", "{results:?}");
    let pulled = app
        .get("/api/v1/sync/pull?cursor=0&schema_version=1", &counter)
        .await;
    assert_eq!(pulled.status, StatusCode::OK, "{:?}", pulled.body);

    // Paid again: the early code enrols, the chat answers, codes are made again.
    charged(&app, &fake, &pid, true).await;
    let late = app.enroll(&tenant.enrollment_code, "Caja 2").await;
    assert_eq!(late.status, StatusCode::CREATED, "{:?}", late.body);
    assert_eq!(
        tenant_scalar::<i64>(&app, &tenant, DEVICES).await,
        devices_before + 1
    );
    let open = chat("es").await;
    assert_eq!(open.status, StatusCode::OK, "{:?}", open.body);
    let made = app.post(&path, Value::Null, Some(&tenant.token)).await;
    assert!(made.status.is_success(), "{:?}", made.body);
    assert_eq!(
        tenant_scalar::<i64>(&app, &tenant, CODES).await,
        codes_before + 1
    );
}

#[sqlx::test(migrations = false)]
async fn checkout_payment_refuses_a_post_without_the_pages_token(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (fake, app) = billing_app(owner).await;
    let tenant = app.signup("csrf").await;
    // The page: its policy lets forms go only here and to Mercado Pago's checkout (here,
    // the fake that serves the authorisation page).
    let page = app
        .send(
            Request::get("/checkout/payment?plan=pro")
                .header(header::HOST, "cloud.test")
                .header(
                    header::COOKIE,
                    format!("dysa_cloud_access={}", tenant.token),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    let form_action = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("form-action"))
        .unwrap()
        .to_owned();
    assert_eq!(
        form_action,
        format!(
            "form-action 'self' https://www.mercadopago.cl {}",
            fake.url()
        )
    );
    let html = page.body.as_str().unwrap().to_owned();
    assert!(html.contains("14 días gratis"), "the trial's days left");
    let (csrf, csrf_cookie) = page_csrf(&page);
    // A post riding the session cookie from another site: no token, a made-up one, or a
    // token with no cookie of its own. Each 403, and nothing is subscribed.
    let session = format!("dysa_cloud_access={}", tenant.token);
    let other = "f".repeat(csrf.len());
    for (cookies, token) in [
        (format!("{session}; {csrf_cookie}"), String::new()),
        (format!("{session}; {csrf_cookie}"), other.clone()),
        (session.clone(), csrf.clone()),
    ] {
        let posted = app
            .send(
                Request::post("/checkout/payment")
                    .header(header::HOST, "cloud.test")
                    .header(header::ORIGIN, "https://evil.example")
                    .header(header::COOKIE, cookies)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(format!("plan=enterprise&csrf={token}")))
                    .unwrap(),
            )
            .await;
        assert_eq!(posted.status, StatusCode::FORBIDDEN, "{:?}", posted.body);
        assert!(!posted.headers.contains_key(header::LOCATION));
    }
    assert_eq!(fake.preapprovals(), 0, "nothing reached Mercado Pago");
    let view = billing(&app, &tenant).await;
    assert_eq!(
        (view["plan"].as_str(), view["standing"].as_str()),
        (Some("pro"), Some("trial"))
    );

    // The page's own post with its token and the cookie session: to Mercado Pago.
    let posted = app
        .send(
            Request::post("/checkout/payment")
                .header(header::HOST, "cloud.test")
                .header(header::COOKIE, format!("{session}; {csrf_cookie}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("plan=pro&csrf={csrf}")))
                .unwrap(),
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{:?}", posted.body);
    let preapproval = fake.preapproval_of(&tenant.id);
    assert_eq!(
        posted.headers[header::LOCATION].to_str().unwrap(),
        preapproval["init_point"].as_str().unwrap()
    );
    assert_eq!(billing(&app, &tenant).await["standing"], "pending");
}

#[sqlx::test(migrations = false)]
async fn a_plan_change_reaches_this_instances_widget_cache_at_once(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (_fake, app) = billing_app(owner).await;
    let tenant = app.signup_on("al-instante", "basic").await;
    let widget = || public(&app, "GET", "/api/v1/public/al-instante/widget", "es", None);
    // Básico: no widget; the answer now comes from the cache.
    assert_eq!(widget().await.code(), "widget_not_in_plan");
    let lookups = app.state.widget.lookups();
    assert_eq!(widget().await.code(), "widget_not_in_plan");
    assert_eq!(app.state.widget.lookups(), lookups, "served from the cache");
    // Subscribing to Pro from the checkout moves the plan: the cached Básico is forgotten.
    let reply = start_checkout(&app, &tenant, "pro").await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let open = widget().await;
    assert_eq!(open.status, StatusCode::OK, "{:?}", open.body);
    assert_eq!(widget().await.status, StatusCode::OK);
    // And back to Básico from the Plan page: at once again.
    let down = change_plan(&app, &tenant, "basic").await;
    assert_eq!(down.status, StatusCode::OK, "{:?}", down.body);
    assert_eq!(widget().await.code(), "widget_not_in_plan");
}
