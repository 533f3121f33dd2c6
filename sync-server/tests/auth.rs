//! Owner sign-in, lockout, refresh rotation with reuse detection, logout and me.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{PASSWORD, TestApp};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

#[sqlx::test(migrations = false)]
async fn login_answers_the_appliance_shape_with_cookies(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("sabor-sur").await;
    let reply = app.login(&tenant.email, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK);
    for key in ["user", "permissions", "access_token", "refresh_token"] {
        assert!(reply.body.get(key).is_some(), "{key}");
    }
    for key in ["id", "name", "email", "role"] {
        assert!(reply.body["user"].get(key).is_some(), "user.{key}");
    }
    let cookies = reply.set_cookies();
    assert!(cookies.iter().any(|c| c.starts_with("dysa_cloud_access=")
        && c.contains("HttpOnly")
        && c.contains("SameSite=Strict")));
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("dysa_cloud_refresh=") && c.contains("Path=/api/v1/auth"))
    );

    let me = app
        .get(
            "/api/v1/auth/me",
            reply.body["access_token"].as_str().unwrap(),
        )
        .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["user"]["email"], tenant.email.as_str());
    assert_eq!(me.body["user"]["tenant_id"], tenant.id.as_str());
}

#[sqlx::test(migrations = false)]
async fn wrong_password_is_401_and_the_sixth_failure_locks(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("bloqueo").await;
    for _ in 0..5 {
        let reply = app.login(&tenant.email, "no es la clave").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.code(), "invalid_credentials");
    }
    let locked = app.login(&tenant.email, PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = locked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    let unknown = app.login("nadie@ninguno.cl", PASSWORD).await;
    assert_eq!(
        unknown.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the client is locked too"
    );
}

#[sqlx::test(migrations = false)]
async fn refresh_rotates_and_reuse_closes_the_session(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("rotacion").await;
    let first = tenant.refresh_token.clone();
    let next = app
        .post(
            "/api/v1/auth/refresh",
            json!({ "refresh_token": first }),
            None,
        )
        .await;
    assert_eq!(next.status, StatusCode::OK, "{:?}", next.body);
    let second = next.body["refresh_token"].as_str().unwrap().to_owned();
    let access = next.body["access_token"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    assert_eq!(
        app.get("/api/v1/auth/me", &access).await.status,
        StatusCode::OK
    );

    let reused = app
        .post(
            "/api/v1/auth/refresh",
            json!({ "refresh_token": first }),
            None,
        )
        .await;
    assert_eq!(reused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reused.code(), "refresh_token_reused");
    // The whole family is closed: the newer token and the access token die too.
    let after = app
        .post(
            "/api/v1/auth/refresh",
            json!({ "refresh_token": second }),
            None,
        )
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/api/v1/auth/me", &access).await.status,
        StatusCode::UNAUTHORIZED
    );

    let junk = app
        .post(
            "/api/v1/auth/refresh",
            json!({ "refresh_token": "dyr_nada" }),
            None,
        )
        .await;
    assert_eq!(junk.status, StatusCode::UNAUTHORIZED);
    let missing = app.post("/api/v1/auth/refresh", Value::Null, None).await;
    assert_eq!(missing.code(), "refresh_token_missing");
}

#[sqlx::test(migrations = false)]
async fn logout_closes_the_session_at_once(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("salida").await;
    let out = app
        .call(
            Method::POST,
            "/api/v1/auth/logout",
            Value::Null,
            Some(&tenant.token),
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.set_cookies().iter().any(|c| c.contains("Max-Age=0")));
    let me = app.get("/api/v1/auth/me", &tenant.token).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.code(), "session_revoked");
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            json!({ "refresh_token": tenant.refresh_token }),
            None,
        )
        .await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = false)]
async fn tenant_routes_need_a_valid_token(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let none = app
        .call(Method::GET, "/api/v1/orders", Value::Null, None)
        .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.code(), "unauthenticated");
    let forged = app
        .get("/api/v1/orders", "eyJhbGciOiJIUzI1NiJ9.e30.x")
        .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    let device = app.get("/api/v1/orders", "dyd_not-a-device").await;
    assert_eq!(device.status, StatusCode::UNAUTHORIZED);
    assert_eq!(device.code(), "device_token_invalid");
}
