//! The diners' widget API against the real Postgres: presence, widget settings, the
//! public endpoints (`/api/v1/public/{slug}/…`) with their exact-origin CORS, menus from
//! the synced projection, idempotent orders that reach the counter by pull, and their
//! status for the diner.
//!
//! Synced payloads are shaped exactly as the appliance serialises its records (see
//! `tests/sync.rs`).

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::live::next_event;
use common::sync::{device, hlc, id, push_applied as push_ok, upsert};
use common::{Tenant, TestApp};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::time::Duration;
use tower::ServiceExt;
use uuid::Uuid;

/// Opens the device's live stream; answers its body (the stream is open while it lives).
async fn open_live(app: &TestApp, token: &str) -> Body {
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
    let mut body = response.into_body();
    // The first event (the current version) proves the stream is open.
    tokio::time::timeout(Duration::from_secs(10), body.frame())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    body
}

/// `presence::location_online` in a tenant transaction of the service role.
async fn online(app: &TestApp, tenant: &Tenant, location: &str) -> bool {
    let mut tx = app
        .state
        .db
        .tenant_tx(tenant.id.parse().unwrap())
        .await
        .unwrap();
    dysa_cloud::presence::location_online(&mut tx, location.parse().unwrap())
        .await
        .unwrap()
}

/// How long a test waits for what a background task does (a closed stream's presence
/// cleared, a cache dropped): generous, as CI runs on a loaded 2-core machine.
const PATIENCE: Duration = Duration::from_secs(30);

/// Waits (up to [`PATIENCE`]) until `online` answers `want`.
async fn wait_online(app: &TestApp, tenant: &Tenant, location: &str, want: bool) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while tokio::time::Instant::now() < deadline {
        if online(app, tenant, location).await == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("location_online never became {want} within {PATIENCE:?}");
}

#[sqlx::test(migrations = false)]
async fn a_location_is_online_while_a_device_holds_its_live_stream(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("presente").await;
    let other = app.signup("ajeno").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    assert!(!online(&app, &tenant, &tenant.location_id).await);

    let stream = open_live(&app, &token).await;
    assert!(online(&app, &tenant, &tenant.location_id).await);
    // Another tenant's transaction does not see it (and its location is offline).
    assert!(!online(&app, &other, &tenant.location_id).await);
    assert!(!online(&app, &other, &other.location_id).await);

    // A second stream of the same device; closing one leaves the other.
    let second = open_live(&app, &token).await;
    drop(stream);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(online(&app, &tenant, &tenant.location_id).await);
    drop(second);
    wait_online(&app, &tenant, &tenant.location_id, false).await;
}

#[sqlx::test(migrations = false)]
async fn a_stream_of_a_crashed_instance_goes_stale(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("caido").await;
    let (device_id, _) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    // A row nobody refreshes or clears, as a dead instance leaves it.
    let mut conn = app.owner_conn().await;
    let insert = "INSERT INTO live_presence (tenant_id, stream_id, location_id, device_id, seen_at)
                  VALUES ($1::uuid, $2, $3::uuid, $4::uuid, now() - make_interval(secs => $5))";
    sqlx::query(insert)
        .bind(&tenant.id)
        .bind(Uuid::now_v7())
        .bind(&tenant.location_id)
        .bind(&device_id)
        .bind(10.0_f64)
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(online(&app, &tenant, &tenant.location_id).await, "fresh");
    sqlx::query("UPDATE live_presence SET seen_at = now() - interval '46 seconds'")
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(!online(&app, &tenant, &tenant.location_id).await, "stale");
}

// ------------------------------------------------------------------ menus and settings

/// A menu pushed by the counter: ids of (category, cazuela, sold-out item, option "Grande").
struct Menu {
    cazuela: String,
    sold_out: String,
    grande: String,
    group: String,
}

async fn push_menu(app: &TestApp, token: &str, name: &str) -> Menu {
    let menu = common::sync::push_menu(
        app,
        token,
        &[("Chica", "Small", 0), ("Grande", "Large", 2000)],
        &[
            json!({"name": name, "description": "<img src=x onerror=alert(1)> con zapallo",
                   "tags": ["gluten_free"], "allergens": ["celery"], "prep_minutes": 25}),
            json!({"name": "Pastel de choclo", "name_en": "Corn pie", "price": 7990,
                   "modifier_group_ids": [], "available": false}),
        ],
    )
    .await;
    Menu {
        cazuela: menu.items[0].clone(),
        sold_out: menu.items[1].clone(),
        grande: menu.options[1].clone(),
        group: menu.group.unwrap(),
    }
}

/// A GET of a public path with optional extra headers.
async fn public_get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> common::Reply {
    let mut builder = Request::get(path).header(header::HOST, "cloud.test");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    app.send(builder.body(Body::empty()).unwrap()).await
}

async fn put_settings(app: &TestApp, token: &str, body: Value) -> common::Reply {
    app.call(
        axum::http::Method::PUT,
        "/api/v1/widget-settings",
        body,
        Some(token),
    )
    .await
}

#[sqlx::test(migrations = false)]
async fn owners_and_managers_set_the_widget_and_viewers_read_it(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("ajustes").await;
    let (_, manager) = app
        .account(&tenant.token, "gerente@ajustes.cl", "manager")
        .await;
    let (_, viewer) = app
        .account(&tenant.token, "vista@ajustes.cl", "viewer")
        .await;

    let defaults = app.get("/api/v1/widget-settings", &viewer).await;
    assert_eq!(defaults.status, StatusCode::OK, "{:?}", defaults.body);
    assert_eq!(defaults.body["ordering"]["online_orders"], true);
    assert_eq!(defaults.body["appearance"]["language"], "auto");
    assert!(
        defaults.body["appearance"]["greeting"]["es"]
            .as_str()
            .unwrap()
            .starts_with("¡Hola!")
    );

    let mut wanted = defaults.body.clone();
    wanted["appearance"]["primary_color"] = json!("#112233");
    wanted["appearance"]["logo_url"] = json!("https://cdn.ajustes.cl/logo.png");
    wanted["allowed_origins"] = json!(["https://ajustes.cl", "http://localhost:5173"]);
    wanted["bookings"]["online_quota_per_slot"] = json!(0);
    let saved = put_settings(&app, &manager, wanted.clone()).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    let read = app.get("/api/v1/widget-settings", &tenant.token).await;
    assert_eq!(read.body, wanted);

    let refused = put_settings(&app, &viewer, wanted.clone()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut bad = wanted.clone();
    bad["appearance"]["accent_color"] = json!("red");
    bad["appearance"]["logo_url"] = json!("http://cdn.ajustes.cl/logo.png");
    bad["appearance"]["greeting"]["en"] = json!("x".repeat(201));
    bad["allowed_origins"] = json!(["https://ajustes.cl/menu"]);
    bad["bookings"]["online_quota_per_slot"] = json!(-1);
    let invalid = put_settings(&app, &tenant.token, bad).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = invalid.body["error"]["fields"].as_object().unwrap();
    for field in [
        "appearance.accent_color",
        "appearance.logo_url",
        "appearance.greeting.en",
        "allowed_origins[0]",
        "bookings.online_quota_per_slot",
    ] {
        assert!(fields.contains_key(field), "{field}: {fields:?}");
    }
    // Nothing half-written.
    assert_eq!(
        app.get("/api/v1/widget-settings", &tenant.token).await.body,
        wanted
    );
}

#[sqlx::test(migrations = false)]
async fn the_widget_and_menu_are_public_and_each_slug_sees_its_own(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let a = app.signup("fogon-a").await;
    let b = app.signup("fogon-b").await;
    let (_, token_a) = device(&app, &a.token, &a.location_id, "Caja A").await;
    let (_, token_b) = device(&app, &b.token, &b.location_id, "Caja B").await;
    let menu_a = push_menu(&app, &token_a, "Cazuela de A").await;
    let menu_b = push_menu(&app, &token_b, "Cazuela de B").await;

    let widget = public_get(&app, "/api/v1/public/fogon-a/widget", &[]).await;
    assert_eq!(widget.status, StatusCode::OK, "{:?}", widget.body);
    assert_eq!(widget.body["restaurant"]["slug"], "fogon-a");
    assert_eq!(widget.body["location"]["id"], a.location_id.as_str());
    assert_eq!(widget.body["location"]["time_zone"], "America/Santiago");
    assert_eq!(widget.body["restaurant_online"], false);
    assert_eq!(widget.body["ordering"]["offline_policy"], "refuse");
    assert_eq!(widget.body["appearance"]["position"], "right");
    assert_eq!(
        widget.body["ordering"]["prep_minutes"], 20,
        "the owner's usual time"
    );
    // Nothing the owner did not set: no address, phone or hours invented.
    assert_eq!(widget.body["location"]["address"], Value::Null);
    assert_eq!(widget.body["location"]["opening_hours"], Value::Null);
    let (stamp, hours) = (
        hlc(50),
        json!({"monday": [{"open": "12:00", "close": "23:00"}],
        "tuesday": [], "wednesday": [], "thursday": [], "friday": [], "saturday": [], "sunday": []}),
    );
    push_ok(
        &app,
        &token_a,
        vec![
            upsert("setting", "restaurant.address", json!({"key": "restaurant.address", "value": "Av. Italia 1234", "updated_at": stamp}), &stamp),
            upsert("setting", "restaurant.phone", json!({"key": "restaurant.phone", "value": "+56 9 8765 4321", "updated_at": stamp}), &stamp),
            upsert("setting", "restaurant.opening_hours", json!({"key": "restaurant.opening_hours", "value": hours, "updated_at": stamp}), &stamp),
        ],
    )
    .await;
    let widget = public_get(&app, "/api/v1/public/fogon-a/widget", &[]).await;
    assert_eq!(
        widget.body["location"]["address"], "Av. Italia 1234",
        "{:?}",
        widget.body
    );
    assert_eq!(widget.body["location"]["phone"], "+56 9 8765 4321");
    assert_eq!(
        widget.body["location"]["opening_hours"]["monday"][0]["close"],
        "23:00"
    );
    let other = public_get(&app, "/api/v1/public/fogon-b/widget", &[]).await;
    assert_eq!(
        other.body["location"]["address"],
        Value::Null,
        "B never sees A's address"
    );

    let menu = public_get(&app, "/api/v1/public/fogon-a/menu", &[]).await;
    assert_eq!(menu.status, StatusCode::OK, "{:?}", menu.body);
    assert_eq!(menu.body["currency"], "CLP");
    let text = menu.body.to_string();
    assert!(text.contains("Cazuela de A") && !text.contains("Cazuela de B"));
    assert!(
        !text.contains(&menu_b.cazuela),
        "slug A never sees B's menu"
    );
    let items = menu.body["categories"][0]["items"].as_array().unwrap();
    assert_eq!(
        menu.body["categories"][0]["name"],
        json!({"es": "Platos", "en": "Mains"})
    );
    let cazuela = items
        .iter()
        .find(|i| i["id"] == menu_a.cazuela.as_str())
        .unwrap();
    assert_eq!(cazuela["price"], 8990);
    assert_eq!(cazuela["available"], true);
    assert_eq!(
        cazuela["name"]["en"], "Cazuela de A",
        "English falls back to Spanish"
    );
    assert_eq!(cazuela["modifier_groups"][0]["id"], menu_a.group.as_str());
    assert_eq!(cazuela["tags"], json!(["gluten_free"]));
    assert_eq!(cazuela["allergens"], json!(["celery"]));
    assert_eq!(cazuela["prep_minutes"], 25);
    assert_eq!(
        cazuela["modifier_groups"][0]["options"][1]["price_delta"],
        2000
    );
    // Markup typed into the menu is data: JSON text, verbatim.
    assert_eq!(
        cazuela["description"]["es"],
        "<img src=x onerror=alert(1)> con zapallo"
    );
    assert!(
        menu.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let sold_out = items
        .iter()
        .find(|i| i["id"] == menu_a.sold_out.as_str())
        .unwrap();
    assert_eq!(sold_out["available"], false);
    let version = menu.body["version"].as_i64().unwrap();
    assert!(version > 0);

    let unknown = public_get(&app, "/api/v1/public/no-existe/menu", &[]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.code(), "restaurant_not_found");
    let garbage = public_get(&app, "/api/v1/public/NO_VALE/widget", &[]).await;
    assert_eq!(garbage.code(), "restaurant_not_found");
    // B's location named on A's slug is not A's.
    let crossed = public_get(
        &app,
        &format!("/api/v1/public/fogon-a/menu?location={}", b.location_id),
        &[],
    )
    .await;
    assert_eq!(crossed.status, StatusCode::NOT_FOUND, "{:?}", crossed.body);
    let english = public_get(
        &app,
        "/api/v1/public/no-existe/widget",
        &[("accept-language", "en")],
    )
    .await;
    assert_eq!(
        english.body["error"]["message"],
        "We could not find that restaurant"
    );
}

#[sqlx::test(migrations = false)]
async fn the_menu_is_cached_with_an_etag_until_the_version_moves(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("etiqueta").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let menu = push_menu(&app, &token, "Cazuela").await;
    let first = public_get(&app, "/api/v1/public/etiqueta/menu", &[]).await;
    let etag = first.headers[header::ETAG].to_str().unwrap().to_owned();
    let again = public_get(
        &app,
        "/api/v1/public/etiqueta/menu",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    // The counter marks the cazuela sold out: the version moves, the cache goes.
    let stamp = hlc(50);
    push_ok(
        &app,
        &token,
        vec![upsert(
            "item",
            &menu.cazuela,
            json!({"available": false, "updated_at": stamp}),
            &stamp,
        )],
    )
    .await;
    let mut changed = None;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while tokio::time::Instant::now() < deadline {
        let reply = public_get(
            &app,
            "/api/v1/public/etiqueta/menu",
            &[("if-none-match", &etag)],
        )
        .await;
        if reply.status == StatusCode::OK {
            changed = Some(reply);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let changed = changed.expect("the menu changed after the version moved");
    assert_ne!(changed.headers[header::ETAG].to_str().unwrap(), etag);
    let items = changed.body["categories"][0]["items"].as_array().unwrap();
    let cazuela = items
        .iter()
        .find(|i| i["id"] == menu.cazuela.as_str())
        .unwrap();
    assert_eq!(cazuela["available"], false);
}

// ------------------------------------------------------------------ CORS

#[sqlx::test(migrations = false)]
async fn only_the_tenants_allowed_origins_get_cors(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::with_settings(owner, |s| {
        s.public_url = "https://dysa.cl".into();
        s.cors_origins = vec!["https://panel.dysa.cl".into()];
    })
    .await;
    let tenant = app.signup("origen").await;
    let other = app.signup("otro-origen").await;
    let mut settings = app.get("/api/v1/widget-settings", &tenant.token).await.body;
    settings["allowed_origins"] = json!(["https://origen.cl"]);
    assert_eq!(
        put_settings(&app, &tenant.token, settings).await.status,
        StatusCode::OK
    );

    let acao = |reply: &common::Reply| {
        reply
            .headers
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let allowed = public_get(
        &app,
        "/api/v1/public/origen/widget",
        &[("origin", "https://origen.cl")],
    )
    .await;
    assert_eq!(allowed.status, StatusCode::OK);
    assert_eq!(acao(&allowed).as_deref(), Some("https://origen.cl"));
    assert!(
        allowed
            .headers
            .get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS)
            .is_none()
    );

    for origin in [
        "https://evil.cl",
        "https://origen.cl.evil.cl",
        "http://origen.cl",
        "https://panel.dysa.cl",
    ] {
        let denied = public_get(&app, "/api/v1/public/origen/widget", &[("origin", origin)]).await;
        assert_eq!(acao(&denied), None, "{origin}");
    }
    // Another tenant's list is its own.
    let elsewhere = public_get(
        &app,
        "/api/v1/public/otro-origen/widget",
        &[("origin", "https://origen.cl")],
    )
    .await;
    assert_eq!(acao(&elsewhere), None);
    assert_eq!(other.slug, "otro-origen");
    // The cloud's own hosted page may call every tenant.
    let hosted = public_get(
        &app,
        "/api/v1/public/otro-origen/menu",
        &[("origin", "https://dysa.cl")],
    )
    .await;
    assert_eq!(acao(&hosted).as_deref(), Some("https://dysa.cl"));

    let preflight = |origin: &'static str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/api/v1/public/origen/orders")
            .header(header::HOST, "cloud.test")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                "content-type, idempotency-key",
            )
            .body(Body::empty())
            .unwrap()
    };
    let ok = app.send(preflight("https://origen.cl")).await;
    assert!(ok.status.is_success(), "{:?}", ok.status);
    assert_eq!(acao(&ok).as_deref(), Some("https://origen.cl"));
    let methods = ok.headers[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap();
    assert!(methods.contains("POST"));
    let headers = ok.headers[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap();
    assert!(headers.contains("idempotency-key"));
    let no = app.send(preflight("https://evil.cl")).await;
    assert_eq!(acao(&no), None);
    assert!(
        no.headers
            .get(header::ACCESS_CONTROL_ALLOW_METHODS)
            .is_none()
    );

    // The dashboard's CORS elsewhere is untouched.
    let dashboard = app
        .send(
            Request::get("/health")
                .header(header::HOST, "cloud.test")
                .header(header::ORIGIN, "https://panel.dysa.cl")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(acao(&dashboard).as_deref(), Some("https://panel.dysa.cl"));
}

#[sqlx::test(migrations = false)]
async fn the_widget_api_has_its_own_rate_limit(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::with_settings(owner, |s| {
        s.widget_rate_burst = 3;
        s.widget_rate_period_ms = 60_000;
    })
    .await;
    app.signup("limite").await;
    for _ in 0..3 {
        let reply = public_get(&app, "/api/v1/public/limite/widget", &[]).await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let limited = public_get(&app, "/api/v1/public/limite/menu", &[]).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    // Sign-up's budget is another one.
    assert_eq!(app.signup("otra-cuenta").await.slug, "otra-cuenta");
}

#[sqlx::test(migrations = false)]
async fn a_suspended_restaurant_answers_tenant_suspended(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("suspendido").await;
    let mut conn = app.owner_conn().await;
    sqlx::query("UPDATE tenants SET status = 'suspended' WHERE id = $1::uuid")
        .bind(&tenant.id)
        .execute(&mut conn)
        .await
        .unwrap();
    let reply = public_get(&app, "/api/v1/public/suspendido/widget", &[]).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "tenant_suspended");
}

// ------------------------------------------------------------------ orders

async fn place(app: &TestApp, slug: &str, key: Option<&str>, body: &Value) -> common::Reply {
    let mut builder = Request::post(format!("/api/v1/public/{slug}/orders"))
        .header(header::HOST, "cloud.test")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(key) = key {
        builder = builder.header("idempotency-key", key);
    }
    app.send(builder.body(Body::from(body.to_string())).unwrap())
        .await
}

fn order_body(menu: &Menu) -> Value {
    json!({
        "customer": {"name": "Rosa <script>alert(1)</script>", "phone": "+56 9 1234 5678"},
        "fulfilment": "pickup",
        "lines": [
            {"item_id": menu.cazuela, "quantity": 2, "options": [menu.grande], "note": "sin cilantro"},
        ],
        "note": "</textarea><b>gracias</b>",
    })
}

async fn set_policy(app: &TestApp, tenant: &Tenant, online_orders: bool, policy: &str) {
    let mut settings = app.get("/api/v1/widget-settings", &tenant.token).await.body;
    settings["ordering"] = json!({"online_orders": online_orders, "offline_policy": policy});
    assert_eq!(
        put_settings(app, &tenant.token, settings).await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrations = false)]
async fn an_order_is_priced_by_the_cloud_replayed_by_key_and_pulled_by_the_counter(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("pedidos").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let menu = push_menu(&app, &token, "Cazuela").await;
    let (_, cursor_before) = pull_cursor(&app, &token, 0).await;
    let _stream = open_live(&app, &token).await;

    let body = order_body(&menu);
    let key = Uuid::now_v7().to_string();
    let missing = place(&app, "pedidos", None, &body).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.code(), "idempotency_key_required");

    let placed = place(&app, "pedidos", Some(&key), &body).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    // (8990 + 2000) × 2, whatever the client believes.
    assert_eq!(placed.body["total"], 21980);
    assert_eq!(placed.body["status"], "pending");
    assert_eq!(placed.body["waiting_for_restaurant"], false);
    assert_eq!(placed.body["lines"][0]["unit_price"], 10990);
    assert_eq!(placed.body["lines"][0]["line_total"], 21980);
    assert_eq!(placed.body["lines"][0]["name"], "Cazuela");
    assert_eq!(placed.body["number"], 1, "the day's first order");
    assert_eq!(
        placed.body["estimated_minutes"], 25,
        "the cazuela's prep time"
    );
    let order_id = placed.body["id"].as_str().unwrap().to_owned();
    let status_token = placed.body["status_token"].as_str().unwrap().to_owned();

    // The same request again (other formatting): the same answer, no second order.
    // Keys in another order, pretty-printed: still the same request.
    let reordered = json!({
        "note": body["note"], "lines": body["lines"], "fulfilment": body["fulfilment"],
        "customer": body["customer"],
    });
    let pretty = serde_json::to_string_pretty(&reordered).unwrap();
    let replay = app
        .send(
            Request::post("/api/v1/public/pedidos/orders")
                .header(header::HOST, "cloud.test")
                .header(header::CONTENT_TYPE, "application/json")
                .header("idempotency-key", &key)
                .body(Body::from(pretty))
                .unwrap(),
        )
        .await;
    assert_eq!(replay.status, StatusCode::CREATED, "{:?}", replay.body);
    for field in ["id", "total", "lines", "status", "waiting_for_restaurant"] {
        assert_eq!(replay.body[field], placed.body[field], "{field}");
    }
    let mut other = body.clone();
    other["lines"][0]["quantity"] = json!(3);
    let conflict = place(&app, "pedidos", Some(&key), &other).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(conflict.code(), "idempotency_conflict");
    let orders = app.get("/api/v1/orders", &tenant.token).await;
    let list = orders
        .body
        .as_array()
        .unwrap_or_else(|| orders.body["orders"].as_array().unwrap());
    assert_eq!(list.len(), 1, "one order, whatever the retries: {list:?}");
    assert_eq!(list[0]["channel"], "widget");
    assert_eq!(list[0]["status"], "pending");
    // Whatever the diner typed is stored and answered as text.
    assert!(
        list[0]["note"]
            .as_str()
            .unwrap()
            .contains("Rosa <script>alert(1)</script>")
    );
    assert!(
        list[0]["note"]
            .as_str()
            .unwrap()
            .contains("</textarea><b>gracias</b>")
    );

    // The counter pulls the order, its line and its creating transition.
    let (changes, _) = pull_cursor(&app, &token, cursor_before).await;
    let order = changes
        .iter()
        .find(|c| c["entity"] == "order" && c["entity_id"] == order_id.as_str())
        .expect("the order reaches the counter");
    assert_eq!(order["row"]["channel"], "widget");
    assert_eq!(order["row"]["total"], 21980);
    assert_eq!(order["location_id"], tenant.location_id.as_str());
    let line = changes
        .iter()
        .find(|c| c["entity"] == "order_line")
        .expect("its line too");
    assert_eq!(line["row"]["line"]["modifiers"][0]["name"], "Grande");
    assert_eq!(line["row"]["line"]["note"], "sin cilantro");
    assert!(changes.iter().any(|c| c["entity"] == "order_transition"));

    // The diner follows it with the token in a header; a wrong token is a 404, and the
    // query string no longer carries it.
    let status_path = format!("/api/v1/public/pedidos/orders/{order_id}");
    let status = public_get(&app, &status_path, &[("x-status-token", &status_token)]).await;
    assert_eq!(status.status, StatusCode::OK, "{:?}", status.body);
    assert_eq!(status.body["status"], "pending");
    assert_eq!(status.body["total"], 21980);
    assert_eq!(status.body["reason"], Value::Null);
    assert_eq!(status.body["number"], 1);
    let replayed_token = replay.body["status_token"].as_str().unwrap();
    let by_replay = public_get(&app, &status_path, &[("x-status-token", replayed_token)]).await;
    assert_eq!(by_replay.status, StatusCode::OK);
    let wrong = public_get(&app, &status_path, &[("x-status-token", "dst_nope")]).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let in_query = public_get(&app, &format!("{status_path}?token={status_token}"), &[]).await;
    assert_eq!(in_query.status, StatusCode::BAD_REQUEST);
    assert_eq!(in_query.code(), "status_token_required");

    // The status stream says pending, then confirmed when the counter accepts.
    let response = app
        .router
        .clone()
        .oneshot(
            Request::get(format!("/api/v1/public/pedidos/orders/{order_id}/events"))
                .header(header::HOST, "cloud.test")
                .header("x-status-token", &status_token)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut events = response.into_body();
    assert_eq!(next_status(&mut events).await, "pending");
    let (stamp, transition) = (hlc(100), id());
    push_ok(
        &app,
        &token,
        vec![
            upsert(
                "order",
                &order_id,
                json!({"status": "confirmed", "updated_at": stamp}),
                &stamp,
            ),
            upsert(
                "order_transition",
                &transition,
                json!({"id": transition, "order_id": order_id,
                       "transition": {"from": "pending", "to": "confirmed", "reason": null,
                                      "by_user": null, "at": "2026-11-27T16:00:00.000Z"},
                       "updated_at": stamp}),
                &stamp,
            ),
        ],
    )
    .await;
    assert_eq!(next_status(&mut events).await, "confirmed");
}

/// Pulls every change after `cursor`: (changes, new cursor).
async fn pull_cursor(app: &TestApp, token: &str, cursor: i64) -> (Vec<Value>, i64) {
    let page = app
        .get(
            &format!("/api/v1/sync/pull?cursor={cursor}&limit=1000&schema_version=1"),
            token,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
    (
        page.body["changes"].as_array().unwrap().clone(),
        page.body["cursor"].as_i64().unwrap(),
    )
}

/// The status of the next `event: status` of a diner's order stream.
async fn next_status(body: &mut Body) -> String {
    let view = next_event(body, "status").await;
    view["status"].as_str().unwrap().to_owned()
}

#[sqlx::test(migrations = false)]
async fn orders_follow_the_restaurants_state(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("estado").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let menu = push_menu(&app, &token, "Cazuela").await;
    let body = order_body(&menu);
    let key = || Some(Uuid::now_v7().to_string());

    // Offline, refusing (the default).
    let refused = place(&app, "estado", key().as_deref(), &body).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.code(), "restaurant_offline");

    // Offline, waiting.
    set_policy(&app, &tenant, true, "wait").await;
    let waiting = place(&app, "estado", key().as_deref(), &body).await;
    assert_eq!(waiting.status, StatusCode::CREATED, "{:?}", waiting.body);
    assert_eq!(waiting.body["waiting_for_restaurant"], true);

    // Online orders off.
    set_policy(&app, &tenant, false, "wait").await;
    let off = place(&app, "estado", key().as_deref(), &body).await;
    assert_eq!(off.code(), "online_orders_off");
    let widget = public_get(&app, "/api/v1/public/estado/widget", &[]).await;
    assert_eq!(widget.body["ordering"]["online_orders"], false);

    // Paused at the counter (a synced setting of the location).
    set_policy(&app, &tenant, true, "wait").await;
    let stamp = hlc(200);
    push_ok(
        &app,
        &token,
        vec![upsert(
            "setting",
            "ordering.online_paused",
            json!({"key": "ordering.online_paused", "value": true, "updated_at": stamp}),
            &stamp,
        )],
    )
    .await;
    let paused = place(&app, "estado", key().as_deref(), &body).await;
    assert_eq!(paused.status, StatusCode::CONFLICT);
    assert_eq!(paused.code(), "online_orders_paused");
    assert_eq!(
        paused.body["error"]["message"],
        "El restaurante pausó los pedidos en línea por ahora."
    );
    let widget = public_get(&app, "/api/v1/public/estado/widget", &[]).await;
    assert_eq!(widget.body["ordering"]["online_orders"], false);
    let stamp = hlc(300);
    push_ok(
        &app,
        &token,
        vec![upsert(
            "setting",
            "ordering.online_paused",
            json!({"key": "ordering.online_paused", "value": false, "updated_at": stamp}),
            &stamp,
        )],
    )
    .await;

    // Online: sold-out and unknown items, and bad input, are field errors.
    let _stream = open_live(&app, &token).await;
    let widget = public_get(&app, "/api/v1/public/estado/widget", &[]).await;
    assert_eq!(widget.body["restaurant_online"], true);
    assert_eq!(widget.body["ordering"]["online_orders"], true);
    let mut sold_out = body.clone();
    sold_out["lines"] = json!([
        {"item_id": menu.cazuela, "quantity": 1, "options": [menu.grande]},
        {"item_id": menu.sold_out, "quantity": 1},
        {"item_id": Uuid::now_v7(), "quantity": 1},
        {"item_id": menu.cazuela, "quantity": 1},
        {"item_id": menu.cazuela, "quantity": 0, "options": [menu.grande]},
    ]);
    let invalid = place(&app, "estado", key().as_deref(), &sold_out).await;
    assert_eq!(
        invalid.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        invalid.body
    );
    let fields = invalid.body["error"]["fields"].as_object().unwrap();
    assert!(fields.contains_key("lines[1].item_id"), "{fields:?}");
    assert!(
        fields["lines[1].item_id"]
            .as_str()
            .unwrap()
            .contains("agotado"),
        "{fields:?}"
    );
    assert!(fields.contains_key("lines[2].item_id"), "{fields:?}");
    assert!(
        fields.contains_key("lines[3].options"),
        "required size: {fields:?}"
    );
    assert!(fields.contains_key("lines[4].quantity"), "{fields:?}");
    assert!(!fields.contains_key("lines[0].item_id"));
    let mut bad = body.clone();
    bad["customer"] = json!({"name": " ", "phone": "abc"});
    bad["fulfilment"] = json!("delivery");
    let bad = place(&app, "estado", key().as_deref(), &bad).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = bad.body["error"]["fields"].as_object().unwrap();
    for field in ["customer.name", "customer.phone", "address"] {
        assert!(fields.contains_key(field), "{field}: {fields:?}");
    }
    let malformed = place(&app, "estado", key().as_deref(), &json!({"lines": "x"})).await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);

    let ok = place(&app, "estado", key().as_deref(), &body).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{:?}", ok.body);
    assert_eq!(ok.body["waiting_for_restaurant"], false);
    // Two accepted orders in all (the waiting one and this one); refusals wrote nothing.
    let orders = app.get("/api/v1/orders", &tenant.token).await;
    let list = orders
        .body
        .as_array()
        .unwrap_or_else(|| orders.body["orders"].as_array().unwrap());
    assert_eq!(list.len(), 2, "{list:?}");
}

#[sqlx::test(migrations = false)]
async fn concurrent_retries_of_one_order_make_one_order(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("reintento").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let menu = push_menu(&app, &token, "Cazuela").await;
    set_policy(&app, &tenant, true, "wait").await;
    let body = order_body(&menu);
    let key = Uuid::now_v7().to_string();
    let attempts = (0..4).map(|_| place(&app, "reintento", Some(&key), &body));
    let replies = futures::future::join_all(attempts).await;
    let ids: std::collections::HashSet<String> = replies
        .iter()
        .map(|r| {
            assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
            r.body["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1);
    let orders = app.get("/api/v1/orders", &tenant.token).await;
    let list = orders
        .body
        .as_array()
        .unwrap_or_else(|| orders.body["orders"].as_array().unwrap());
    assert_eq!(list.len(), 1);
}

// ------------------------------------------------------------------ bookings

async fn reserve(app: &TestApp, slug: &str, key: &str, body: &Value) -> common::Reply {
    app.send(
        Request::post(format!("/api/v1/public/{slug}/reservations"))
            .header(header::HOST, "cloud.test")
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", key)
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

#[sqlx::test(migrations = false)]
async fn diners_see_free_slots_and_book_once_per_key(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("mesas").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (table, stamp) = (id(), hlc(1));
    push_ok(
        &app,
        &token,
        vec![upsert(
            "table",
            &table,
            json!({"id": table, "name": "Mesa 1", "seats": 4, "area": "Salón", "position": 0,
                   "active": true, "created_at": "2026-11-27T12:00:00.000Z", "updated_at": stamp}),
            &stamp,
        )],
    )
    .await;
    let date = (chrono::Utc::now() + chrono::Duration::days(2))
        .date_naive()
        .to_string();
    let path = format!("/api/v1/public/mesas/availability?date={date}&party_size=2");
    let availability = public_get(&app, &path, &[]).await;
    assert_eq!(
        availability.status,
        StatusCode::OK,
        "{:?}",
        availability.body
    );
    assert_eq!(availability.body["date"], date.as_str());
    assert_eq!(availability.body["party_size"], 2);
    let slots = availability.body["slots"].as_array().unwrap();
    let free = slots
        .iter()
        .find(|s| s["available"] == true)
        .expect("a free slot");
    let starts_at = free["starts_at"].as_str().unwrap().to_owned();

    let body = json!({"name": "Rosa <b>", "phone": "+56 9 8765 4321", "party_size": 2,
                      "starts_at": starts_at, "note": "cumpleaños"});
    let key = Uuid::now_v7().to_string();
    let booked = reserve(&app, "mesas", &key, &body).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{:?}", booked.body);
    // Offline and within the quota: confirmed on the table at once.
    assert_eq!(booked.body["status"], "confirmed");
    assert_eq!(booked.body["table"], "Mesa 1");
    assert_eq!(booked.body["party_size"], 2);
    let again = reserve(&app, "mesas", &key, &body).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body, booked.body);
    let mut other = body.clone();
    other["party_size"] = json!(3);
    let conflict = reserve(&app, "mesas", &key, &other).await;
    assert_eq!(conflict.code(), "idempotency_conflict");
    let listed = app.get("/api/v1/reservations", &tenant.token).await;
    assert_eq!(
        listed.body.as_array().unwrap().len(),
        1,
        "{:?}",
        listed.body
    );

    // Larger than the widget offers; bookings off.
    let too_many = public_get(
        &app,
        &format!("/api/v1/public/mesas/availability?date={date}&party_size=9"),
        &[],
    )
    .await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut settings = app.get("/api/v1/widget-settings", &tenant.token).await.body;
    settings["bookings"]["enabled"] = json!(false);
    assert_eq!(
        put_settings(&app, &tenant.token, settings).await.status,
        StatusCode::OK
    );
    let off = public_get(&app, &path, &[]).await;
    assert_eq!(off.code(), "online_bookings_off");
}

// ------------------------------------------------------------------ metrics

/// `/metrics` as this machine reads it.
async fn metrics_text(app: &TestApp) -> String {
    let mut request = Request::get("/metrics")
        .header(header::HOST, "cloud.test")
        .body(Body::empty())
        .unwrap();
    request.extensions_mut().insert(axum::extract::ConnectInfo(
        "127.0.0.1:40000".parse::<std::net::SocketAddr>().unwrap(),
    ));
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.body.as_str().unwrap().to_owned()
}

#[sqlx::test(migrations = false)]
async fn a_widget_order_moves_the_metrics(_: PgPoolOptions, owner: PgConnectOptions) {
    use dysa_web::metrics::sample;
    let app = TestApp::new(owner).await;
    let tenant = app.signup("metricas").await;
    let (device_id, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let menu = push_menu(&app, &token, "Cazuela").await;
    let _stream = open_live(&app, &token).await;

    let widget = [("channel", "widget")];
    let live = [("stream", "sync_live")];
    let route = [
        ("method", "POST"),
        ("route", "/api/v1/public/{slug}/orders"),
        ("status", "201"),
    ];
    let before = metrics_text(&app).await;
    let placed = place(
        &app,
        "metricas",
        Some(&Uuid::now_v7().to_string()),
        &order_body(&menu),
    )
    .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    let after = metrics_text(&app).await;

    // The recorder is the process's: tests running beside this one add to it too.
    let moved = |name: &str, labels: &[(&str, &str)]| {
        sample(&after, name, labels).unwrap_or(0.0) - sample(&before, name, labels).unwrap_or(0.0)
    };
    assert!(moved("dysa_orders_placed_total", &widget) >= 1.0, "{after}");
    assert!(moved("dysa_order_place_duration_seconds_count", &widget) >= 1.0);
    assert!(moved("dysa_http_requests_total", &route) >= 1.0, "{after}");
    // This device's stream is open, and its lag is known per device.
    assert!(sample(&after, "dysa_live_streams_open", &live).unwrap() >= 1.0);
    let lag = [("device", device_id.as_str())];
    assert!(
        sample(&after, "dysa_sync_lag_seconds", &lag).is_some(),
        "{after}"
    );
    assert!(sample(&after, "dysa_sync_versions_behind", &lag).is_some());
}
