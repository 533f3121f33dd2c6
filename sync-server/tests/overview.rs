//! The owners' dashboard at a glance: each location's link (online, last sync, cloud
//! changes its counters have not pulled) with today's sales, sales per business day, the
//! tenant's own name and slug, and the dashboard's pages served under `/dashboard/`.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::NaiveDate;
use common::TestApp;
use common::sync::{hlc, push_applied as push};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tower::ServiceExt;
use uuid::Uuid;

fn upsert(entity: &str, id: &str, payload: Value, ms: u64) -> Value {
    json!({ "mutation_id": Uuid::now_v7().to_string(), "entity": entity, "entity_id": id,
            "op": "upsert", "payload": payload, "hlc": hlc(ms) })
}

/// `OrderRow` as the appliance writes it.
fn order(id: &str, date: NaiveDate, status: &str, total: i64) -> Value {
    json!({
        "id": id, "number": 7, "business_date": date.to_string(), "local_hour": 13,
        "channel": "counter", "created_by": null, "created_at": "2026-11-27T16:00:00.000Z",
        "status": status, "customer_id": null, "table_id": null, "note": null,
        "subtotal": total, "discount": 0, "total": total, "net": total * 100 / 119,
        "tax": total - total * 100 / 119, "tax_rate_bp": 1900, "tip": 0, "amount_due": 0,
        "cancel_reason": null, "updated_at": "2026-11-27T16:00:00.000Z",
    })
}

fn category(id: &str) -> Value {
    json!({ "id": id, "name": "Platos", "name_en": null, "position": 0, "active": true,
            "created_at": "2026-11-27T12:00:00.000Z", "updated_at": "2026-11-27T12:00:00.000Z" })
}

fn item(id: &str, category: &str) -> Value {
    json!({
        "id": id, "category_id": category, "name": "Cazuela", "name_en": null,
        "description": null, "description_en": null, "price": 8990, "station": "kitchen",
        "tags": [], "allergens": [], "modifier_group_ids": [], "available": true,
        "position": 0, "created_at": "2026-11-27T12:00:00.000Z",
        "updated_at": "2026-11-27T12:00:00.000Z",
    })
}

/// Pulls every change so the device's cursor is at the end.
async fn pull_all(app: &TestApp, token: &str) {
    let mut cursor = 0;
    loop {
        let page = app
            .get(
                &format!("/api/v1/sync/pull?cursor={cursor}&limit=500&schema_version=1"),
                token,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        cursor = page.body["cursor"].as_i64().unwrap();
        if !page.body["has_more"].as_bool().unwrap() {
            return;
        }
    }
}

/// Today's business date at a Santiago location, as the database computes it.
async fn santiago_today(app: &TestApp) -> NaiveDate {
    let mut conn = app.owner_conn().await;
    sqlx::query_scalar("SELECT timezone('America/Santiago', now())::date")
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

fn status_of<'a>(reply: &'a Value, location: &str) -> &'a Value {
    reply
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["location_id"] == location)
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn a_location_card_follows_its_counter(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("estado").await;
    let loc = tenant.location_id.as_str();

    // No counter yet: offline, nothing waiting for anybody, no sales.
    let reply = app.get("/api/v1/locations/status", &tenant.token).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let card = status_of(&reply.body, loc);
    assert_eq!(card["active_devices"], 0);
    assert_eq!(card["online"], false);
    assert_eq!(card["changes_waiting"], Value::Null);
    assert_eq!(card["today_sales"], 0);
    assert_eq!(card["last_sync_at"], Value::Null);

    // A counter enrols and pushes its menu and today's orders (one cancelled).
    let enrolled = app.enroll(&tenant.enrollment_code, "Caja").await;
    let device = enrolled.body["device_token"].as_str().unwrap().to_owned();
    let today = santiago_today(&app).await;
    let (cat, dish) = (Uuid::now_v7().to_string(), Uuid::now_v7().to_string());
    let (paid, cancelled, yesterday) = (
        Uuid::now_v7().to_string(),
        Uuid::now_v7().to_string(),
        Uuid::now_v7().to_string(),
    );
    push(
        &app,
        &device,
        vec![
            upsert("category", &cat, category(&cat), 1),
            upsert("item", &dish, item(&dish, &cat), 2),
            upsert("order", &paid, order(&paid, today, "completed", 17980), 3),
            upsert(
                "order",
                &cancelled,
                order(&cancelled, today, "cancelled", 5000),
                4,
            ),
            upsert(
                "order",
                &yesterday,
                order(&yesterday, today.pred_opt().unwrap(), "completed", 9990),
                5,
            ),
        ],
    )
    .await;
    let reply = app.get("/api/v1/locations/status", &tenant.token).await;
    let card = status_of(&reply.body, loc);
    // Pushing is not being online: only an open live channel is.
    assert_eq!(card["online"], false, "{card}");
    assert_eq!(card["active_devices"], 1);
    assert_eq!(card["today"], today.to_string());
    assert_eq!(
        card["today_sales"], 17980,
        "cancelled and yesterday's left out"
    );
    assert_eq!(card["today_orders"], 1);
    // It has pulled nothing yet: its own five rows are still ahead of its cursor.
    assert_eq!(card["changes_waiting"], 5);
    assert_eq!(card["last_sync_at"], Value::Null);

    // After a full pull it is up to date; an owner's edit makes one change waiting.
    pull_all(&app, &device).await;
    let card = status_of(
        &app.get("/api/v1/locations/status", &tenant.token)
            .await
            .body,
        loc,
    )
    .clone();
    assert_eq!(card["changes_waiting"], 0, "{card}");
    assert!(card["last_sync_at"].is_string());
    let edit = app
        .patch(
            &format!("/api/v1/menu/items/{dish}"),
            json!({ "price": 9990 }),
            &tenant.token,
        )
        .await;
    assert_eq!(edit.status, StatusCode::OK, "{:?}", edit.body);
    let card = status_of(
        &app.get("/api/v1/locations/status", &tenant.token)
            .await
            .body,
        loc,
    )
    .clone();
    assert_eq!(card["changes_waiting"], 1, "{card}");

    // Online while the counter holds its live channel; offline once its presence goes
    // stale (a crashed instance), its last sync still shown.
    let live = app
        .router
        .clone()
        .oneshot(
            Request::get("/api/v1/sync/live")
                .header(header::HOST, "cloud.test")
                .header(header::AUTHORIZATION, format!("Bearer {device}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(live.status(), StatusCode::OK);
    let card = status_of(
        &app.get("/api/v1/locations/status", &tenant.token)
            .await
            .body,
        loc,
    )
    .clone();
    assert_eq!(card["online"], true, "{card}");
    let mut conn = app.owner_conn().await;
    sqlx::query("UPDATE live_presence SET seen_at = now() - interval '5 minutes'")
        .execute(&mut conn)
        .await
        .unwrap();
    let card = status_of(
        &app.get("/api/v1/locations/status", &tenant.token)
            .await
            .body,
        loc,
    )
    .clone();
    assert_eq!(
        card["online"], false,
        "a stream not refreshed for minutes: {card}"
    );
    assert!(card["last_sync_at"].is_string());
    drop(live);

    // Another tenant sees only its own location.
    let other = app.signup("otro-local").await;
    let theirs = app.get("/api/v1/locations/status", &other.token).await.body;
    assert_eq!(theirs.as_array().unwrap().len(), 1);
    assert_eq!(theirs[0]["location_id"], other.location_id.as_str());
    assert_eq!(theirs[0]["today_sales"], 0);
}

#[sqlx::test(migrations = false)]
async fn daily_sales_per_location_for_the_charts(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("diario").await;
    let enrolled = app.enroll(&tenant.enrollment_code, "Caja").await;
    let device = enrolled.body["device_token"].as_str().unwrap().to_owned();
    let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let ids: Vec<String> = (0..4).map(|_| Uuid::now_v7().to_string()).collect();
    push(
        &app,
        &device,
        vec![
            upsert(
                "order",
                &ids[0],
                order(&ids[0], day("2026-11-20"), "completed", 10000),
                1,
            ),
            upsert(
                "order",
                &ids[1],
                order(&ids[1], day("2026-11-20"), "completed", 2500),
                2,
            ),
            upsert(
                "order",
                &ids[2],
                order(&ids[2], day("2026-11-20"), "cancelled", 999),
                3,
            ),
            upsert(
                "order",
                &ids[3],
                order(&ids[3], day("2026-11-22"), "completed", 4000),
                4,
            ),
        ],
    )
    .await;

    let reply = app
        .get(
            "/api/v1/analytics/daily?from=2026-11-19&to=2026-11-22",
            &tenant.token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["from"], "2026-11-19");
    assert_eq!(reply.body["to"], "2026-11-22");
    assert_eq!(
        reply.body["days"],
        json!([
            { "date": "2026-11-20", "location_id": tenant.location_id, "sales": 12500,
              "orders": 2, "cancelled_orders": 1 },
            { "date": "2026-11-22", "location_id": tenant.location_id, "sales": 4000,
              "orders": 1, "cancelled_orders": 0 },
        ])
    );

    // One location only; another location's id gives no days.
    let only = app
        .get(
            &format!(
                "/api/v1/analytics/daily?from=2026-11-21&to=2026-11-22&location_id={}",
                tenant.location_id
            ),
            &tenant.token,
        )
        .await;
    assert_eq!(only.body["days"].as_array().unwrap().len(), 1);
    let none = app
        .get(
            &format!(
                "/api/v1/analytics/daily?from=2026-11-19&to=2026-11-22&location_id={}",
                Uuid::now_v7()
            ),
            &tenant.token,
        )
        .await;
    assert_eq!(none.body["days"], json!([]));

    // Bad periods are field errors, never a 500.
    for (query, field) in [
        ("from=2026-11-23&to=2026-11-22", "from"),
        ("from=2020-01-01&to=2026-11-22", "from"),
        ("to=22-11-2026", "to"),
    ] {
        let bad = app
            .get(&format!("/api/v1/analytics/daily?{query}"), &tenant.token)
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(
            bad.body["error"]["fields"][field].is_string(),
            "{query}: {:?}",
            bad.body
        );
    }
}

#[sqlx::test(migrations = false)]
async fn the_tenant_route_names_the_business_and_its_slug(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("picada-tito").await;
    let reply = app.get("/api/v1/tenant", &tenant.token).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["slug"], "picada-tito");
    assert_eq!(reply.body["id"], tenant.id.as_str());
    assert!(reply.body["name"].is_string());
}

async fn raw_get(app: &TestApp, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let reply = app
        .send(
            Request::builder()
                .method(Method::GET)
                .uri(path)
                .header(header::HOST, "cloud.test")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let text = match reply.body {
        Value::String(s) => s,
        other => other.to_string(),
    };
    (reply.status, reply.headers, text)
}

#[sqlx::test(migrations = false)]
async fn the_dashboard_is_served_with_its_client_routes(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;

    let (status, headers, html) = raw_get(&app, "/dashboard/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<div id=\"app\">"), "{html}");
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );

    // A client route (and the sign-up's /dashboard/{slug}) answers the same page.
    for route in [
        "/dashboard/menu",
        "/dashboard/picada-tito",
        "/dashboard/login",
    ] {
        let (status, _, page) = raw_get(&app, route).await;
        assert_eq!(status, StatusCode::OK, "{route}");
        assert_eq!(page, html, "{route}");
    }

    // Its hashed script is cached for good and is JavaScript.
    let script = html
        .split("src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(script.starts_with("/dashboard/assets/"), "{script}");
    let (status, headers, _) = raw_get(&app, &script).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("javascript")
    );

    // A missing file is the JSON 404, not the page; /dashboard redirects to /dashboard/.
    let (status, headers, body) = raw_get(&app, "/dashboard/assets/nope-123.js").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("json"),
        "{body}"
    );
    let (status, headers, _) = raw_get(&app, "/dashboard").await;
    assert!(status.is_redirection());
    assert_eq!(headers[header::LOCATION], "/dashboard/");
    // The API still answers JSON beside it.
    let (status, _, _) = raw_get(&app, "/api/v1/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
