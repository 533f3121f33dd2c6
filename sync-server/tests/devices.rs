//! Device enrolment (a code works once), owners' device management and revocation.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::json;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

#[sqlx::test(migrations = false)]
async fn a_code_enrols_one_device_once(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("caja-uno").await;
    // Typed loosely: lower case, spaces instead of dashes.
    let typed = tenant.enrollment_code.to_lowercase().replace('-', " ");
    let reply = app.enroll(&typed, "Caja principal").await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_eq!(reply.body["tenant_id"], tenant.id.as_str());
    assert_eq!(reply.body["location_id"], tenant.location_id.as_str());
    let token = reply.body["device_token"].as_str().unwrap();
    assert!(token.starts_with("dyd_"));

    let again = app.enroll(&tenant.enrollment_code, "Otra caja").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body["error"]["fields"]["enrollment_code"].is_string());

    // The token is stored hashed only.
    let mut conn = app.owner_conn().await;
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM devices")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_ne!(stored, token);
    assert!(!stored.contains(&token[4..]));

    // The device reads its tenant's data.
    assert_eq!(app.get("/api/v1/menu", token).await.status, StatusCode::OK);
    // ... but cannot manage devices.
    assert_eq!(
        app.post(
            &format!("/api/v1/locations/{}/enrollment-codes", tenant.location_id),
            serde_json::Value::Null,
            Some(token)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[sqlx::test(migrations = false)]
async fn parallel_enrolments_with_one_code_one_wins(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("carrera").await;
    let calls = (0..4).map(|i| {
        let app = &app;
        let code = tenant.enrollment_code.clone();
        async move { app.enroll(&code, &format!("Caja {i}")).await }
    });
    let replies = futures::future::join_all(calls).await;
    let won = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    assert_eq!(won, 1, "{replies:?}");
}

#[sqlx::test(migrations = false)]
async fn bad_and_expired_codes_are_refused(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("vencido").await;
    assert_eq!(
        app.enroll("AAAA-BBBB-CCCC", "Caja").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let missing = app.enroll("", "").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body["error"]["fields"]["device_name"].is_string());
    let mut conn = app.owner_conn().await;
    sqlx::query("UPDATE enrollment_codes SET expires_at = now() - interval '1 second'")
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        app.enroll(&tenant.enrollment_code, "Caja").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[sqlx::test(migrations = false)]
async fn owners_list_rename_and_revoke_devices(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("gestion").await;
    let enrolled = app.enroll(&tenant.enrollment_code, "Caja").await;
    let device_id = enrolled.body["device_id"].as_str().unwrap().to_owned();
    let device_token = enrolled.body["device_token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/api/v1/orders", &device_token).await.status,
        StatusCode::OK
    );

    let list = app.get("/api/v1/devices", &tenant.token).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert!(list.body[0]["last_seen_at"].is_string(), "{:?}", list.body);
    assert!(list.body[0].get("sync_lag_secs").is_some());

    let renamed = app
        .call(
            Method::PATCH,
            &format!("/api/v1/devices/{device_id}"),
            json!({ "name": "Caja terraza" }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    assert_eq!(renamed.body["name"], "Caja terraza");
    let blank = app
        .call(
            Method::PATCH,
            &format!("/api/v1/devices/{device_id}"),
            json!({ "name": "  " }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);

    let revoked = app
        .post(
            &format!("/api/v1/devices/{device_id}/revoke"),
            serde_json::Value::Null,
            Some(&tenant.token),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert!(revoked.body["revoked_at"].is_string());
    let refused = app.get("/api/v1/orders", &device_token).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.code(), "device_token_invalid");

    // A new code for the location works, once.
    let code = app
        .post(
            &format!("/api/v1/locations/{}/enrollment-codes", tenant.location_id),
            serde_json::Value::Null,
            Some(&tenant.token),
        )
        .await;
    assert_eq!(code.status, StatusCode::CREATED, "{:?}", code.body);
    let code = code.body["enrollment_code"].as_str().unwrap().to_owned();
    assert_eq!(
        app.enroll(&code, "Caja nueva").await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.enroll(&code, "Caja nueva").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let location = app
        .get(
            &format!("/api/v1/locations/{}", tenant.location_id),
            &tenant.token,
        )
        .await;
    assert_eq!(location.body["active_devices"], 1);
}

#[sqlx::test(migrations = false)]
async fn enrolment_is_rate_limited_per_client(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::with_settings(owner, |s| {
        s.public_rate_burst = 3;
        s.public_rate_period_secs = 3600;
    })
    .await;
    let tenant = app.signup("adivino").await;
    // Guessing codes: every attempt counts, right or wrong.
    for _ in 0..2 {
        assert_eq!(
            app.enroll("AAAA-BBBB-CCCC", "Caja").await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        app.enroll(&tenant.enrollment_code, "Caja").await.status,
        StatusCode::CREATED
    );
    let limited = app.enroll("AAAA-BBBB-DDDD", "Caja").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.code(), "too_many_attempts");
    assert!(limited.headers.get("retry-after").is_some());
    // Enrolment has its own budget: sign-up and demo requests are still open (one
    // sign-up of the burst of three was spent above).
    assert_eq!(
        app.post(
            "/api/v1/leads/demo",
            json!({ "name": "Ana", "restaurant": "A", "email": "ana@a.cl" }),
            None
        )
        .await
        .status,
        StatusCode::CREATED
    );
    // Owners' device routes are not limited.
    for _ in 0..5 {
        assert_eq!(
            app.get("/api/v1/devices", &tenant.token).await.status,
            StatusCode::OK
        );
    }
}
