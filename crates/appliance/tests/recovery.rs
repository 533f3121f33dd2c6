//! The sole admin's recovery code through the real router: shown once at setup and never
//! stored in clear, it sets a new password once (then a new code replaces it), a wrong
//! code or email answers the same without saying which, repeated tries lock, only admins
//! make a new code, and each use is audited.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{ADMIN_EMAIL, ADMIN_PASSWORD, Auth, Reply, TestApp};
use serde_json::json;

const NEW_PASSWORD: &str = "empanadas de pino 2027";

/// Sets up the counter; answers the admin's token and the recovery code shown.
async fn set_up(app: &TestApp) -> (String, String) {
    let reply = app
        .call(
            Method::POST,
            "/api/v1/setup",
            json!({
                "restaurant_name": "Donde Pepe",
                "name": "Ana Admin",
                "email": ADMIN_EMAIL,
                "password": ADMIN_PASSWORD,
            }),
            Auth::None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let code = reply.body["recovery_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 24, "{code}");
    (
        reply.body["access_token"].as_str().unwrap().to_owned(),
        code,
    )
}

async fn recover(app: &TestApp, email: &str, code: &str) -> Reply {
    app.call(
        Method::POST,
        "/api/v1/auth/recover",
        json!({ "email": email, "code": code, "new_password": NEW_PASSWORD }),
        Auth::None,
    )
    .await
}

#[tokio::test]
async fn the_code_sets_a_new_password_once_and_is_never_stored_in_clear() {
    let app = TestApp::new().await;
    let (admin, code) = set_up(&app).await;
    let stored: String = sqlx::query_scalar("SELECT code_hash FROM recovery_code")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let plain = code.replace('-', "");
    assert!(
        !stored.contains(&plain) && !stored.contains(&code),
        "{stored}"
    );
    // Typed loosely (lower case, spaces): still the code.
    let loose = code.to_lowercase().replace('-', " ");
    let used = recover(&app, ADMIN_EMAIL, &loose).await;
    assert_eq!(used.status, StatusCode::OK, "{:?}", used.body);
    let next = used.body["recovery_code"].as_str().unwrap();
    assert_ne!(next, code, "a new code replaces the used one");
    // The old password and the old session are gone; the new password signs in.
    assert_eq!(
        app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let me = app.get("/api/v1/auth/me", &admin).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "sessions closed");
    assert_eq!(
        app.login(ADMIN_EMAIL, NEW_PASSWORD).await.status,
        StatusCode::OK
    );
    // The used code works no more; the new one does.
    let again = recover(&app, ADMIN_EMAIL, &code).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert_eq!(again.code(), "invalid_credentials");
    assert_eq!(
        recover(&app, ADMIN_EMAIL, next).await.status,
        StatusCode::OK
    );
    let used: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'auth.recovered'")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(used, 2);
}

#[tokio::test]
async fn a_wrong_code_and_an_unknown_email_answer_alike() {
    let app = TestApp::new().await;
    let (admin, code) = set_up(&app).await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let wrong_code = recover(&app, ADMIN_EMAIL, "AAAA-BBBB-CCCC-DDDD-EEEE").await;
    let unknown = recover(&app, "nadie@donde-pepe.cl", &code).await;
    let me = app.get("/api/v1/auth/me", &waiter).await;
    let waiter_email = me.body["user"]["email"].as_str().unwrap().to_owned();
    let not_admin = recover(&app, &waiter_email, &code).await;
    for reply in [&wrong_code, &unknown, &not_admin] {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{:?}", reply.body);
        assert_eq!(
            reply.body, wrong_code.body,
            "the same answer whatever was wrong"
        );
    }
    // Nothing changed: the admin's password still works and the code too.
    assert_eq!(
        app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await.status,
        StatusCode::OK
    );
    // A weak new password is refused before anything is checked.
    let weak = app
        .call(
            Method::POST,
            "/api/v1/auth/recover",
            json!({ "email": ADMIN_EMAIL, "code": code, "new_password": "123" }),
            Auth::None,
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        recover(&app, ADMIN_EMAIL, &code).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn repeated_wrong_codes_lock_recovery() {
    let app = TestApp::with_settings(|s| s.login_max_failures = 3).await;
    let (_, code) = set_up(&app).await;
    for _ in 0..3 {
        let wrong = recover(&app, ADMIN_EMAIL, "AAAA-BBBB-CCCC-DDDD-EEEE").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    }
    let locked = recover(&app, ADMIN_EMAIL, &code).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{:?}",
        locked.body
    );
    assert!(locked.headers.contains_key("retry-after"));
    // The guessing client is locked; the admin signs in from elsewhere with the old password.
    let elsewhere = app
        .call_from(
            "192.168.1.20:50000",
            Method::POST,
            "/api/v1/auth/login",
            json!({ "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD }),
            Auth::None,
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::OK, "{:?}", elsewhere.body);
    let failed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'auth.sign_in_failed'
           AND json_extract(after, '$.method') = 'recovery_code'",
    )
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(failed, 3);
}

#[tokio::test]
async fn an_admin_makes_a_new_code_and_the_old_one_stops_working() {
    let app = TestApp::new().await;
    let (admin, old) = set_up(&app).await;
    let status = app.get("/api/v1/auth/recovery-code", &admin).await;
    assert_eq!(status.status, StatusCode::OK);
    assert!(status.body["issued_at"].is_string());
    assert!(
        status.body.get("recovery_code").is_none(),
        "never shown again"
    );
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let refused = app
        .post("/api/v1/auth/recovery-code", json!({}), &manager)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let made = app
        .post("/api/v1/auth/recovery-code", json!({}), &admin)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let new = made.body["recovery_code"].as_str().unwrap();
    assert_eq!(
        recover(&app, ADMIN_EMAIL, &old).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(recover(&app, ADMIN_EMAIL, new).await.status, StatusCode::OK);
    let issued: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'auth.recovery_code_issued'",
    )
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(issued, 1);
}
