//! Sign-up, demo requests, their validation, the slug race and rate limits.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp};
use serde_json::json;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

fn signup_body(slug: &str, email: &str) -> serde_json::Value {
    json!({
        "restaurant_name": "La Picá de Don Lucho",
        "slug": slug,
        "owner_name": "Lucho",
        "email": email,
        "password": PASSWORD,
        "plan": "pro",
    })
}

#[sqlx::test(migrations = false)]
async fn signup_creates_tenant_location_owner_and_code(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let reply = app
        .post(
            "/api/v1/signup",
            signup_body("don-lucho", "lucho@picada.cl"),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_eq!(reply.body["slug"], "don-lucho");
    let code = reply.body["enrollment_code"].as_str().unwrap();
    assert_eq!(code.len(), 14);
    assert!(
        reply.body["dashboard_url"]
            .as_str()
            .unwrap()
            .ends_with("/dashboard/don-lucho")
    );
    assert!(reply.body["tenant_id"].as_str().is_some());

    let login = app.login("LUCHO@picada.cl ", PASSWORD).await;
    assert_eq!(login.status, StatusCode::OK, "{:?}", login.body);
    assert_eq!(login.body["user"]["role"], "owner");
    let token = login.body["access_token"].as_str().unwrap();
    let locations = app.get("/api/v1/locations", token).await;
    assert_eq!(locations.body.as_array().unwrap().len(), 1);
    assert_eq!(locations.body[0]["id"], reply.body["location_id"]);
}

#[sqlx::test(migrations = false)]
async fn taken_slug_or_email_is_a_conflict(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    app.signup("el-hoyo").await;
    let again = app
        .post(
            "/api/v1/signup",
            signup_body("el-hoyo", "otro@hoyo.cl"),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "slug_taken");
    let email = app
        .post(
            "/api/v1/signup",
            signup_body("otro-hoyo", "owner@el-hoyo.cl"),
            None,
        )
        .await;
    assert_eq!(email.status, StatusCode::CONFLICT);
    assert_eq!(email.code(), "email_taken");
}

#[sqlx::test(migrations = false)]
async fn bad_input_names_the_fields(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let reply = app
        .post(
            "/api/v1/signup",
            json!({ "restaurant_name": " ", "slug": "No Vale!", "owner_name": "x", "email": "nope", "password": "1234567890", "plan": "gratis" }),
            None,
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        reply.body
    );
    let fields = reply.body["error"]["fields"].as_object().unwrap();
    for field in ["restaurant_name", "slug", "email", "password", "plan"] {
        assert!(fields.contains_key(field), "{field} missing in {fields:?}");
    }
    let missing = app
        .post("/api/v1/signup", json!({ "slug": "abc" }), None)
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let broken = app
        .send(
            axum::http::Request::post("/api/v1/signup")
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{not json"))
                .unwrap(),
        )
        .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert_eq!(broken.code(), "invalid_json");
}

#[sqlx::test(migrations = false)]
async fn parallel_signups_for_one_slug_exactly_one_wins(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let calls = (0..6).map(|i| {
        let body = signup_body("la-carreta", &format!("dueno{i}@carreta.cl"));
        let app = &app;
        async move { app.post("/api/v1/signup", body, None).await }
    });
    let replies = futures::future::join_all(calls).await;
    let won = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    let lost = replies
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT && r.code() == "slug_taken")
        .count();
    assert_eq!((won, lost), (1, 5), "{replies:?}");
    let mut conn = app.owner_conn().await;
    let tenants: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        (tenants, accounts),
        (1, 1),
        "nothing half-written by the losers"
    );
}

#[sqlx::test(migrations = false)]
async fn demo_requests_are_stored_and_validated(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let reply = app
        .post(
            "/api/v1/leads/demo",
            json!({ "name": "Marta", "restaurant": "Café Marta", "email": "marta@cafe.cl", "phone": "+56 9 1234 5678", "message": "¿Funciona sin internet?" }),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let bad = app
        .post(
            "/api/v1/leads/demo",
            json!({ "name": "", "restaurant": "x", "email": "no" }),
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut conn = app.owner_conn().await;
    let stored: String = sqlx::query_scalar("SELECT message FROM leads")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(stored, "¿Funciona sin internet?");
}

#[sqlx::test(migrations = false)]
async fn signup_and_leads_are_rate_limited_per_client(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::with_settings(owner, |s| {
        s.public_rate_burst = 2;
        s.public_rate_period_secs = 3600;
    })
    .await;
    let lead = json!({ "name": "Ana", "restaurant": "A", "email": "ana@a.cl" });
    for _ in 0..2 {
        assert_eq!(
            app.post("/api/v1/leads/demo", lead.clone(), None)
                .await
                .status,
            StatusCode::CREATED
        );
    }
    let limited = app.post("/api/v1/leads/demo", lead.clone(), None).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.code(), "too_many_attempts");
    assert!(limited.headers.get("retry-after").is_some());
    let signup = app
        .post(
            "/api/v1/signup",
            signup_body("limitado", "x@limitado.cl"),
            None,
        )
        .await;
    assert_eq!(signup.status, StatusCode::TOO_MANY_REQUESTS);
    // Other routes are not limited.
    assert_eq!(
        app.login("nadie@x.cl", "whatever long").await.status,
        StatusCode::UNAUTHORIZED
    );
}
