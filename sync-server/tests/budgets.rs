//! Budgets of the public and device surfaces (docs/SECURITY.md, "Budgets on the public and
//! device surfaces"), each attack of issue 14 replayed against the real router: spoofed
//! `X-Forwarded-For`, random-slug preflights, order and booking floods, oversized and
//! parallel pushes, and what the cloud keeps past its retention.

#![allow(clippy::unwrap_used)]

mod common;

use common::sync::push;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use common::{Reply, Tenant, TestApp};
use dysa_cloud::limits::DeviceSlot;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::net::SocketAddr;
use std::time::Duration;
use tower::ServiceExt;
use uuid::Uuid;

/// A GET of `path` as if it came from `peer` over TCP, with `forwarded` as
/// `X-Forwarded-For`.
async fn get_from(app: &TestApp, path: &str, peer: &str, forwarded: Option<&str>) -> Reply {
    let mut builder = Request::get(path).header(header::HOST, "cloud.test");
    if let Some(chain) = forwarded {
        builder = builder.header("x-forwarded-for", chain);
    }
    let mut request = builder.body(Body::empty()).unwrap();
    let peer: std::net::IpAddr = peer.parse().unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::new(peer, 40_000)));
    app.send(request).await
}

/// A cloud whose widget API allows `burst` requests per client per minute, behind the
/// proxies `10.0.0.0/8` and `2001:db8:ffff::/48`.
async fn limited(owner: PgConnectOptions, burst: u32) -> TestApp {
    TestApp::with_settings(owner, |s| {
        s.widget_rate_burst = burst;
        s.widget_rate_period_ms = 600_000;
        s.trusted_proxies = vec!["10.0.0.0/8".to_owned(), "2001:db8:ffff::/48".to_owned()];
    })
    .await
}

#[test]
fn a_bad_trusted_proxy_is_refused_at_start() {
    for bad in ["10.0.0.0/33", "proxy.internal", ""] {
        let settings = dysa_cloud::settings::Settings {
            trusted_proxies: vec![bad.to_owned()],
            ..dysa_cloud::settings::Settings::default()
        };
        assert!(settings.check().is_err(), "{bad:?}");
    }
    let good = dysa_cloud::settings::Settings {
        trusted_proxies: vec!["10.0.0.0/8".to_owned(), "2001:db8::1".to_owned()],
        ..dysa_cloud::settings::Settings::default()
    };
    assert!(good.check().is_ok());
}

/// An unknown (implausible) slug: answered 404 without a database lookup, but counted by
/// the widget's limiter like any other request.
const NOWHERE: &str = "/api/v1/public/x/widget";

#[sqlx::test(migrations = false)]
async fn spoofed_forwarded_for_does_not_reset_a_limit(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = limited(owner, 3).await;
    // Behind the trusted proxy: the client writes whatever it likes left of the hop the
    // proxy appended; the limit follows the hop.
    for n in 0..3 {
        let chain = format!("6.6.6.{n}, 198.51.100.7");
        let reply = get_from(&app, NOWHERE, "10.0.0.2", Some(&chain)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{n}");
    }
    for n in 3..20 {
        let chain = format!("6.6.6.{n}, 198.51.100.7");
        let reply = get_from(&app, NOWHERE, "10.0.0.2", Some(&chain)).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{n}");
        assert!(reply.headers.contains_key(header::RETRY_AFTER));
    }
    // Straight from the Internet (an untrusted peer), the header is ignored altogether.
    for n in 0..3 {
        let forged = format!("203.0.113.{n}");
        let reply = get_from(&app, NOWHERE, "192.0.2.50", Some(&forged)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
    let forged = get_from(&app, NOWHERE, "192.0.2.50", Some("203.0.113.99")).await;
    assert_eq!(forged.status, StatusCode::TOO_MANY_REQUESTS);
}

#[sqlx::test(migrations = false)]
async fn a_trusted_proxy_chain_picks_the_right_hop(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = limited(owner, 2).await;
    // Two proxies deep: client → 10.1.1.1 → 10.0.0.2 → us.
    let alice = "1.2.3.4, 198.51.100.1, 10.1.1.1";
    let bob = "198.51.100.2, 10.1.1.1";
    for _ in 0..2 {
        assert_eq!(
            get_from(&app, NOWHERE, "10.0.0.2", Some(alice))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        get_from(&app, NOWHERE, "10.0.0.2", Some(alice))
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another client behind the same proxies has a budget of its own.
    assert_eq!(
        get_from(&app, NOWHERE, "10.0.0.2", Some(bob)).await.status,
        StatusCode::NOT_FOUND
    );
    // A chain of trusted proxies only: the left-most one is the client.
    assert_eq!(
        get_from(&app, NOWHERE, "10.0.0.2", Some("10.7.7.7, 10.1.1.1"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = false)]
async fn ipv6_clients_are_keyed_by_their_64(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = limited(owner, 2).await;
    for peer in ["2001:db8:1:2::1", "2001:db8:1:2:ffff::2"] {
        assert_eq!(
            get_from(&app, NOWHERE, peer, None).await.status,
            StatusCode::NOT_FOUND
        );
    }
    // Any other address of the same /64 shares the spent budget …
    let same = get_from(&app, NOWHERE, "2001:db8:1:2:abcd::9", None).await;
    assert_eq!(same.status, StatusCode::TOO_MANY_REQUESTS);
    // … also when a trusted IPv6 proxy forwards it …
    let proxied = get_from(&app, NOWHERE, "2001:db8:ffff::1", Some("2001:db8:1:2::77")).await;
    assert_eq!(proxied.status, StatusCode::TOO_MANY_REQUESTS);
    // … while the next /64 has its own.
    let next = get_from(&app, NOWHERE, "2001:db8:1:3::1", None).await;
    assert_eq!(next.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = false)]
async fn limiter_maps_are_pruned(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::with_settings(owner, |s| {
        // Long enough that no client is whole again before the first count, however
        // slow the machine: a client is forgotten two periods after its request.
        s.widget_rate_burst = 1;
        s.widget_rate_period_ms = 2_000;
    })
    .await;
    for n in 0..300u32 {
        let peer = format!("198.51.{}.{}", n / 256, n % 256);
        get_from(&app, NOWHERE, &peer, None).await;
    }
    let tracked = app.state.limits.prune();
    assert!(tracked >= 300, "{tracked} clients tracked right after");
    // Once every client's budget is whole again, nothing about them is kept.
    tokio::time::sleep(Duration::from_millis(4_500)).await;
    assert_eq!(app.state.limits.prune(), 0);
}

/// A CORS preflight of `slug` from a foreign origin, as `peer`.
async fn preflight(app: &TestApp, slug: &str, peer: &str) -> StatusCode {
    let mut request = Request::builder()
        .method(Method::OPTIONS)
        .uri(format!("/api/v1/public/{slug}/orders"))
        .header(header::HOST, "cloud.test")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .body(Body::empty())
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 40_000)));
    app.router.clone().oneshot(request).await.unwrap().status()
}

#[sqlx::test(migrations = false)]
async fn preflights_for_random_slugs_make_bounded_lookups(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::with_settings(owner, |s| {
        s.preflight_rate_burst = 20;
        s.preflight_rate_period_ms = 600_000;
    })
    .await;
    app.signup("la-picada").await;
    let reply = get_from(&app, "/api/v1/public/la-picada/widget", "192.0.2.1", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let before = app.state.widget.lookups();
    let mut refused = 0;
    for n in 0..2_000 {
        let status = preflight(&app, &format!("random-slug-{n}"), "203.0.113.9").await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    let lookups = app.state.widget.lookups() - before;
    assert!(
        lookups <= 20,
        "{lookups} database lookups for 2,000 preflights"
    );
    assert_eq!(refused, 1_980);
    // Unknown slugs from many clients (each within its budget) evict only other unknown
    // slugs: the real restaurant is still served from the cache.
    for n in 0..500u32 {
        let peer = format!("198.51.{}.{}", n / 256, n % 256);
        preflight(&app, &format!("other-slug-{n}"), &peer).await;
    }
    let before = app.state.widget.lookups();
    let reply = get_from(&app, "/api/v1/public/la-picada/widget", "192.0.2.1", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        app.state.widget.lookups(),
        before,
        "the restaurant was evicted"
    );
}

#[sqlx::test(migrations = false)]
async fn hosted_pages_for_random_slugs_make_bounded_lookups(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::with_settings(owner, |s| {
        s.widget_rate_burst = 10;
        s.widget_rate_period_ms = 600_000;
    })
    .await;
    let before = app.state.widget.lookups();
    let mut refused = 0;
    for n in 0..200 {
        let reply = get_from(&app, &format!("/r/random-page-{n}"), "203.0.113.9", None).await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert_eq!(refused, 190);
    assert!(app.state.widget.lookups() - before <= 10);
}

// ------------------------------------------------------------------ per-location budgets

/// A device enrolled at the tenant's location: its token.
async fn device(app: &TestApp, tenant: &Tenant) -> String {
    enrolled(app, tenant).await.1
}

/// A device enrolled at the tenant's location: (id, token).
async fn enrolled(app: &TestApp, tenant: &Tenant) -> (Uuid, String) {
    let code = app
        .post(
            &format!("/api/v1/locations/{}/enrollment-codes", tenant.location_id),
            Value::Null,
            Some(&tenant.token),
        )
        .await;
    assert_eq!(code.status, StatusCode::CREATED, "{:?}", code.body);
    let enrolled = app
        .enroll(code.body["enrollment_code"].as_str().unwrap(), "Caja")
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:?}", enrolled.body);
    (
        enrolled.body["device_id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
        enrolled.body["device_token"].as_str().unwrap().to_owned(),
    )
}

fn stamp() -> String {
    let ms = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap() - 60_000;
    format!("{ms:015}-{:06}-{:016x}", 0, 0xabc)
}

fn upsert(entity: &str, id: &str, payload: Value) -> Value {
    json!({
        "mutation_id": Uuid::now_v7().to_string(), "entity": entity, "entity_id": id,
        "op": "upsert", "payload": payload, "hlc": stamp(),
    })
}

/// The counter pushes a one-dish menu and a table: the dish's id.
async fn menu_and_table(app: &TestApp, token: &str) -> String {
    let (cat, item, table) = (
        Uuid::now_v7().to_string(),
        Uuid::now_v7().to_string(),
        Uuid::now_v7().to_string(),
    );
    let at = "2026-11-27T12:00:00.000Z";
    let pushed = push(
        app,
        token,
        vec![
            upsert(
                "category",
                &cat,
                json!({"id": cat, "name": "Platos", "name_en": "Mains", "position": 0,
                       "active": true, "created_at": at, "updated_at": stamp()}),
            ),
            upsert(
                "item",
                &item,
                json!({"id": item, "category_id": cat, "name": "Cazuela", "name_en": null,
                       "description": null, "description_en": null, "price": 8990,
                       "station": "kitchen", "tags": [], "allergens": [],
                       "modifier_group_ids": [], "available": true, "position": 0,
                       "created_at": at, "updated_at": stamp()}),
            ),
            upsert(
                "table",
                &table,
                json!({"id": table, "name": "Mesa 1", "seats": 4, "area": "Salón",
                       "position": 0, "active": true, "created_at": at,
                       "updated_at": stamp()}),
            ),
        ],
    )
    .await;
    assert_eq!(pushed.status, StatusCode::OK, "{:?}", pushed.body);
    item
}

/// Saves the tenant's widget settings with `change` applied (orders wait while offline).
async fn widget_settings(app: &TestApp, tenant: &Tenant, change: impl FnOnce(&mut Value)) {
    let mut settings = app.get("/api/v1/widget-settings", &tenant.token).await.body;
    settings["ordering"] = json!({"online_orders": true, "offline_policy": "wait"});
    change(&mut settings);
    let saved = app
        .call(
            Method::PUT,
            "/api/v1/widget-settings",
            settings,
            Some(&tenant.token),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
}

async fn order(app: &TestApp, slug: &str, item: &str, phone: &str) -> Reply {
    let body = json!({
        "customer": {"name": "Rosa", "phone": phone},
        "fulfilment": "pickup",
        "lines": [{"item_id": item, "quantity": 1}],
    });
    app.send(
        Request::post(format!("/api/v1/public/{slug}/orders"))
            .header(header::HOST, "cloud.test")
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", Uuid::now_v7().to_string())
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

fn retry_after(reply: &Reply) -> u64 {
    reply
        .headers
        .get(header::RETRY_AFTER)
        .expect("Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn the_order_budget_answers_429_with_retry_after(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("presupuesto").await;
    let token = device(&app, &tenant).await;
    let item = menu_and_table(&app, &token).await;
    widget_settings(&app, &tenant, |s| {
        s["budgets"]["orders_per_hour"] = json!(2);
        s["budgets"]["pending_orders_per_phone"] = json!(10);
    })
    .await;
    for n in 0..2 {
        let placed = order(&app, "presupuesto", &item, &format!("+56 9 1111 000{n}")).await;
        assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    }
    let refused = order(&app, "presupuesto", &item, "+56 9 1111 0009").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.code(), "orders_budget_spent");
    // Two an hour: the next one comes in about half an hour.
    assert!((60..=1_800).contains(&retry_after(&refused)));
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(message.contains("pedidos"), "{message}");
    // Settings out of range are refused field by field.
    let mut bad = app.get("/api/v1/widget-settings", &tenant.token).await.body;
    bad["budgets"]["orders_per_hour"] = json!(0);
    let saved = app
        .call(
            Method::PUT,
            "/api/v1/widget-settings",
            bad,
            Some(&tenant.token),
        )
        .await;
    assert_eq!(saved.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(saved.body["error"]["fields"]["budgets.orders_per_hour"].is_string());
}

#[sqlx::test(migrations = false)]
async fn pending_orders_per_phone_are_capped(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("telefonos").await;
    let token = device(&app, &tenant).await;
    let item = menu_and_table(&app, &token).await;
    widget_settings(&app, &tenant, |s| {
        s["budgets"]["pending_orders_per_phone"] = json!(2);
    })
    .await;
    for phone in ["+56 9 8765 4321", "987654321"] {
        let placed = order(&app, "telefonos", &item, phone).await;
        assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    }
    // The same number written another way is the same diner.
    let third = order(&app, "telefonos", &item, "+56 (9) 8765-4321").await;
    assert_eq!(
        third.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{:?}",
        third.body
    );
    assert_eq!(third.code(), "too_many_pending_orders");
    let other = order(&app, "telefonos", &item, "+56 9 1234 5678").await;
    assert_eq!(other.status, StatusCode::CREATED);
}

#[sqlx::test(migrations = false)]
async fn the_booking_budget_stops_filling_the_quotas_while_offline(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("reservas").await;
    let token = device(&app, &tenant).await;
    menu_and_table(&app, &token).await;
    widget_settings(&app, &tenant, |s| {
        s["budgets"]["bookings_per_hour"] = json!(2);
        s["bookings"]["online_quota_per_slot"] = json!(50);
    })
    .await;
    let date = (chrono::Utc::now() + chrono::Duration::days(2))
        .date_naive()
        .to_string();
    let slots = app
        .send(
            Request::get(format!(
                "/api/v1/public/reservas/availability?date={date}&party_size=2"
            ))
            .header(header::HOST, "cloud.test")
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(slots.status, StatusCode::OK, "{:?}", slots.body);
    let starts: Vec<String> = slots.body["slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["available"] == true)
        .map(|s| s["starts_at"].as_str().unwrap().to_owned())
        .collect();
    assert!(starts.len() >= 3);
    let mut answers = Vec::new();
    // The restaurant is offline (no live stream): every slot would confirm at once.
    for (n, starts_at) in starts.iter().take(3).enumerate() {
        let body = json!({"name": "Bot", "phone": format!("+56 9 2222 000{n}"),
                          "party_size": 2, "starts_at": starts_at});
        answers.push(
            app.send(
                Request::post("/api/v1/public/reservas/reservations")
                    .header(header::HOST, "cloud.test")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header("idempotency-key", Uuid::now_v7().to_string())
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await,
        );
    }
    assert_eq!(
        answers[0].status,
        StatusCode::CREATED,
        "{:?}",
        answers[0].body
    );
    assert_eq!(answers[1].status, StatusCode::CREATED);
    assert_eq!(answers[2].status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answers[2].code(), "bookings_budget_spent");
    assert!(retry_after(&answers[2]) >= 60);
}

#[sqlx::test(migrations = false)]
async fn the_chat_budget_answers_429(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::with_settings(owner, |s| s.chat_relay_timeout_ms = 50).await;
    let tenant = app.signup("charla").await;
    widget_settings(&app, &tenant, |s| {
        s["budgets"]["chat_turns_per_hour"] = json!(1);
    })
    .await;
    let say = || {
        app.post(
            "/api/v1/public/charla/chat",
            json!({"message": "hola", "language": "es"}),
            None,
        )
    };
    let first = say().await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    let second = say().await;
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(second.code(), "chat_budget_spent");
    assert!(retry_after(&second) >= 60);
}

// ------------------------------------------------------------------ device surface

/// The largest rows a counter really writes: menu items with every field at the
/// appliance's maximum (names 120 and descriptions 1,000 characters in both languages,
/// accented; 20 tags and 20 allergens of 40 characters; 10 modifier groups), as 500
/// mutations.
fn largest_real_batch() -> Value {
    let long = "ñandú asado con papas fritas y ensalada a la chilena, ".repeat(40);
    let description: String = long.chars().take(1_000).collect();
    let tag: String = "sin gluten y sin lactosa, apto celíacos "
        .chars()
        .take(40)
        .collect();
    let tags = vec![tag; 20];
    let groups: Vec<String> = (0..10).map(|_| Uuid::now_v7().to_string()).collect();
    let name: String = "Cazuela de vacuno con zapallo "
        .repeat(5)
        .chars()
        .take(120)
        .collect();
    let mutations: Vec<Value> = (0..500)
        .map(|n| {
            let id = Uuid::now_v7().to_string();
            upsert(
                "item",
                &id,
                json!({"id": id, "category_id": Uuid::now_v7().to_string(), "name": name,
                       "name_en": name, "description": description,
                       "description_en": description, "price": 8990 + n,
                       "station": "kitchen", "tags": tags, "allergens": tags,
                       "modifier_group_ids": groups,
                       "available": true, "position": n,
                       "created_at": "2026-11-27T12:00:00.000Z", "updated_at": stamp()}),
            )
        })
        .collect();
    json!({ "schema_version": 1, "mutations": mutations })
}

#[test]
fn largest_real_batch_fits_the_push_limit() {
    let size = largest_real_batch().to_string().len();
    let limit = dysa_cloud::settings::SYNC_MAX_BODY_BYTES;
    println!("largest real batch: {size} bytes; limit {limit}");
    assert!(size < limit, "{size} ≥ {limit}");
    // The limit leaves room for growth, not for abuse: at most half as much again.
    assert!(limit <= size * 3 / 2, "{limit} vs {size}");
}

#[sqlx::test(migrations = false)]
async fn a_15_mib_field_is_refused_with_413(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("grande").await;
    let token = device(&app, &tenant).await;
    let id = Uuid::now_v7().to_string();
    let huge = "x".repeat(15 * 1024 * 1024);
    let reply = push(
        &app,
        &token,
        vec![upsert("customer", &id, json!({"id": id, "name": huge}))],
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.code(), "payload_too_large");
    // The largest real batch goes through.
    let reply = app
        .post("/api/v1/sync/push", largest_real_batch(), Some(&token))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.code());
}

/// A push whose body never ends: it holds one of the device's push slots until dropped.
fn endless_push(app: &TestApp, token: &str) -> tokio::task::JoinHandle<StatusCode> {
    use futures::StreamExt;
    let body = futures::stream::once(async {
        Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"{\"schema_version\": 1, "))
    })
    .chain(futures::stream::pending());
    let request = Request::post("/api/v1/sync/push")
        .header(header::HOST, "cloud.test")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from_stream(body))
        .unwrap();
    let router = app.router.clone();
    tokio::spawn(async move { router.oneshot(request).await.unwrap().status() })
}

#[sqlx::test(migrations = false)]
async fn a_device_has_at_most_two_pushes_in_flight(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("paralelo").await;
    let (id, token) = enrolled(&app, &tenant).await;
    let held = [endless_push(&app, &token), endless_push(&app, &token)];
    // Wait until both hold their slot (without taking one to look).
    for _ in 0..500 {
        if app
            .state
            .limits
            .device_slots_held(id.into(), DeviceSlot::Push)
            == 2
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        app.state
            .limits
            .device_slots_held(id.into(), DeviceSlot::Push),
        2
    );
    let third = push(&app, &token, vec![]).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(third.code(), "too_many_pushes");
    assert!(third.headers.contains_key(header::RETRY_AFTER));
    for task in held {
        task.abort();
        let _ = task.await;
    }
    let after = push(&app, &token, vec![]).await;
    assert_eq!(after.status, StatusCode::OK, "{:?}", after.body);
}

async fn live(app: &TestApp, token: &str) -> axum::response::Response {
    app.router
        .clone()
        .oneshot(
            Request::get("/api/v1/sync/live")
                .header(header::HOST, "cloud.test")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn a_device_holds_at_most_two_live_streams(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("en-vivo").await;
    let token = device(&app, &tenant).await;
    let first = live(&app, &token).await;
    let second = live(&app, &token).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(second.status(), StatusCode::OK);
    let third = live(&app, &token).await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = third.into_body().collect().await.unwrap().to_bytes();
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"]["code"], "too_many_streams");
    // A closed stream gives its slot back.
    drop(first);
    assert_eq!(live(&app, &token).await.status(), StatusCode::OK);
    drop(second);
}

// ------------------------------------------------------------------ retention and health

#[sqlx::test(migrations = false)]
async fn expired_answers_requests_and_tokens_are_purged(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("olvido").await;
    let tenant_id: Uuid = tenant.id.parse().unwrap();
    let mut conn = app.owner_conn().await;
    for (age, suffix) in [(31, "old"), (29, "new")] {
        sqlx::query(
            "INSERT INTO sync_mutations (tenant_id, mutation_id, entity, entity_id, outcome, created_at)
             VALUES ($1, $2, 'customer', 'x', 'applied', now() - make_interval(days => $3))",
        )
        .bind(tenant_id)
        .bind(format!("m-{suffix}"))
        .bind(age)
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO public_requests (tenant_id, scope, key, request_hash, resource_id, response, created_at)
             VALUES ($1, 'orders', $2, 'h', $3, '{}', now() - make_interval(days => $4))",
        )
        .bind(tenant_id)
        .bind(format!("key-{suffix}"))
        .bind(Uuid::now_v7())
        .bind(age)
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO widget_order_tokens (tenant_id, token_hash, order_id, created_at)
             VALUES ($1, $2, $3, now() - make_interval(days => $4))",
        )
        .bind(tenant_id)
        .bind(format!("token-{suffix}"))
        .bind(Uuid::now_v7())
        .bind(age)
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let purged = dysa_cloud::retention::purge(&app.state.db, 30)
        .await
        .unwrap();
    assert_eq!(
        purged,
        dysa_cloud::retention::Purged {
            push_answers: 1,
            public_requests: 1,
            status_tokens: 1,
            tombstones: 0,
        }
    );
    for (table, column, kept) in [
        ("sync_mutations", "mutation_id", "m-new"),
        ("public_requests", "key", "key-new"),
        ("widget_order_tokens", "token_hash", "token-new"),
    ] {
        let sql = format!("SELECT {column} FROM {table}");
        let left: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(left, vec![kept.to_owned()], "{table}");
    }
}

#[sqlx::test(migrations = false)]
async fn health_names_no_database_detail(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    app.state.db.pool.close().await;
    let reply = app
        .send(
            Request::get("/health")
                .header(header::HOST, "cloud.test")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.body["checks"]["database"]["status"], "down");
    assert_eq!(reply.body["checks"]["database"]["detail"], "unreachable");
}
