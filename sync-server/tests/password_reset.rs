//! Owners who forget: the emailed reset link (once, 30 minutes, sessions closed, no
//! enumeration), the password change in the dashboard, and email verification.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

const NEW_PASSWORD: &str = "charquicán de invierno 7";

async fn owner_pool(app: &TestApp) -> sqlx::PgPool {
    PgPoolOptions::new()
        .max_connections(1)
        .connect_with(app.owner.clone())
        .await
        .unwrap()
}

/// The token of the newest queued mail of `purpose` to `to` (read from the outbox, as
/// the mail's link carries it).
async fn mailed_token(app: &TestApp, to: &str, purpose: &str) -> Option<String> {
    let params: Option<Value> = sqlx::query_scalar(
        "SELECT params FROM mail_outbox WHERE to_address = $1 AND purpose = $2
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(to)
    .bind(purpose)
    .fetch_optional(&owner_pool(app).await)
    .await
    .unwrap();
    let link = params?["link"].as_str()?.to_owned();
    Some(link.split("token=").nth(1)?.to_owned())
}

async fn outbox_count(app: &TestApp, purpose: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM mail_outbox WHERE purpose = $1")
        .bind(purpose)
        .fetch_one(&owner_pool(app).await)
        .await
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn the_reset_link_works_once_and_closes_every_session(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("fuente").await;
    let second = app.login(&tenant.email, PASSWORD).await;
    let second_token = second.body["access_token"].as_str().unwrap().to_owned();

    let asked = app
        .post(
            "/api/v1/auth/password/forgot",
            json!({ "email": "  Owner@Fuente.cl " }),
            None,
        )
        .await;
    assert_eq!(asked.status, StatusCode::ACCEPTED);
    let token = mailed_token(&app, &tenant.email, "password_reset")
        .await
        .unwrap();
    assert!(token.starts_with("dyp_"));
    // The link in the mail points at the dashboard's reset page.
    let link: Value =
        sqlx::query_scalar("SELECT params FROM mail_outbox WHERE purpose = 'password_reset'")
            .fetch_one(&owner_pool(&app).await)
            .await
            .unwrap();
    assert_eq!(
        link["link"],
        json!(format!(
            "http://127.0.0.1:8005/dashboard/reset?token={token}"
        ))
    );

    // A weak password is refused without using the link.
    let weak = app
        .post(
            "/api/v1/auth/password/reset",
            json!({ "token": token, "password": "123" }),
            None,
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body["error"]["fields"]["password"].is_string());

    let reset = app
        .post(
            "/api/v1/auth/password/reset",
            json!({ "token": token, "password": NEW_PASSWORD }),
            None,
        )
        .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{:?}", reset.body);

    // Every session of the account is closed: access tokens and refresh tokens alike.
    for access in [&tenant.token, &second_token] {
        assert_eq!(
            app.get("/api/v1/auth/me", access).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let refreshed = app
        .post(
            "/api/v1/auth/refresh",
            json!({ "refresh_token": tenant.refresh_token }),
            None,
        )
        .await;
    assert_eq!(refreshed.status, StatusCode::UNAUTHORIZED);

    // The old password is gone, the new one signs in, and the mailbox is proven.
    assert_eq!(
        app.login(&tenant.email, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let signed_in = app.login(&tenant.email, NEW_PASSWORD).await;
    assert_eq!(signed_in.status, StatusCode::OK);
    let me = app
        .get(
            "/api/v1/auth/me",
            signed_in.body["access_token"].as_str().unwrap(),
        )
        .await;
    assert_eq!(me.body["email_verified"], json!(true));

    // The link works once.
    let again = app
        .post(
            "/api/v1/auth/password/reset",
            json!({ "token": token, "password": "otra clave más 2026" }),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body["error"]["fields"]["token"].is_string(),
        "{:?}",
        again.body
    );
    assert_eq!(
        app.login(&tenant.email, NEW_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrations = false)]
async fn the_reset_link_expires_after_thirty_minutes(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("vencido").await;
    app.post(
        "/api/v1/auth/password/forgot",
        json!({ "email": tenant.email }),
        None,
    )
    .await;
    let token = mailed_token(&app, &tenant.email, "password_reset")
        .await
        .unwrap();
    let lifetime: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM expires_at - created_at)::float8 FROM account_tokens
         WHERE purpose = 'password_reset'",
    )
    .fetch_one(&owner_pool(&app).await)
    .await
    .unwrap();
    assert!((lifetime - 1800.0).abs() < 2.0, "{lifetime}");
    // Thirty-one minutes later.
    sqlx::query(
        "UPDATE account_tokens SET created_at = created_at - interval '31 minutes',
                expires_at = expires_at - interval '31 minutes'",
    )
    .execute(&owner_pool(&app).await)
    .await
    .unwrap();
    let late = app
        .post(
            "/api/v1/auth/password/reset",
            json!({ "token": token, "password": NEW_PASSWORD }),
            None,
        )
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body["error"]["fields"]["token"].is_string());
    assert_eq!(
        app.login(&tenant.email, PASSWORD).await.status,
        StatusCode::OK
    );
    // A made-up token is the same answer.
    let made_up = app
        .post(
            "/api/v1/auth/password/reset",
            json!({ "token": "dyp_nope", "password": NEW_PASSWORD }),
            None,
        )
        .await;
    assert_eq!(
        (made_up.status, made_up.body.clone()),
        (late.status, late.body)
    );
}

#[sqlx::test(migrations = false)]
async fn an_unknown_email_is_answered_like_a_known_one(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("secreto").await;
    let known = app
        .post(
            "/api/v1/auth/password/forgot",
            json!({ "email": tenant.email }),
            None,
        )
        .await;
    let unknown = app
        .post(
            "/api/v1/auth/password/forgot",
            json!({ "email": "nadie@secreto.cl" }),
            None,
        )
        .await;
    let malformed = app
        .post(
            "/api/v1/auth/password/forgot",
            json!({ "email": "no es un correo" }),
            None,
        )
        .await;
    for reply in [&unknown, &malformed] {
        assert_eq!(reply.status, known.status);
        assert_eq!(reply.body, known.body);
    }
    assert_eq!(known.status, StatusCode::ACCEPTED);
    assert_eq!(outbox_count(&app, "password_reset").await, 1);
    // A second ask within the minute mails nothing more (the answer is the same).
    let soon = app
        .post(
            "/api/v1/auth/password/forgot",
            json!({ "email": tenant.email }),
            None,
        )
        .await;
    assert_eq!((soon.status, soon.body), (known.status, known.body));
    assert_eq!(outbox_count(&app, "password_reset").await, 1);
}

#[sqlx::test(migrations = false)]
async fn asking_for_resets_is_rate_limited_per_client(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::with_settings(owner, |s| {
        s.auth_rate_burst = 3;
        s.auth_rate_period_ms = 60_000;
    })
    .await;
    let mut statuses = Vec::new();
    for n in 0..5 {
        let reply = app
            .post(
                "/api/v1/auth/password/forgot",
                json!({ "email": format!("x{n}@y.cl") }),
                None,
            )
            .await;
        statuses.push(reply.status);
    }
    assert_eq!(&statuses[..3], &[StatusCode::ACCEPTED; 3]);
    assert_eq!(statuses[4], StatusCode::TOO_MANY_REQUESTS);
}

#[sqlx::test(migrations = false)]
async fn changing_the_password_needs_the_current_one_and_signs_out_the_others(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("cambio").await;
    let other = app.login(&tenant.email, PASSWORD).await;
    let other_token = other.body["access_token"].as_str().unwrap().to_owned();

    let wrong = app
        .post(
            "/api/v1/auth/password/change",
            json!({ "current_password": "no es esta", "new_password": NEW_PASSWORD }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body["error"]["fields"]["current_password"].is_string(),
        "{:?}",
        wrong.body
    );
    assert_eq!(
        app.get("/api/v1/auth/me", &other_token).await.status,
        StatusCode::OK
    );

    let weak = app
        .post(
            "/api/v1/auth/password/change",
            json!({ "current_password": PASSWORD, "new_password": "corta" }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body["error"]["fields"]["new_password"].is_string());

    let unsigned = app
        .post(
            "/api/v1/auth/password/change",
            json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD }),
            None,
        )
        .await;
    assert_eq!(unsigned.status, StatusCode::UNAUTHORIZED);

    let changed = app
        .post(
            "/api/v1/auth/password/change",
            json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{:?}", changed.body);
    assert_eq!(
        app.get("/api/v1/auth/me", &tenant.token).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/auth/me", &other_token).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(&tenant.email, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(&tenant.email, NEW_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrations = false)]
async fn guessing_the_current_password_hits_the_lockout(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("adivina").await;
    let mut last = StatusCode::OK;
    for n in 0..6 {
        let reply = app
            .post(
                "/api/v1/auth/password/change",
                json!({ "current_password": format!("intento {n}"), "new_password": NEW_PASSWORD }),
                Some(&tenant.token),
            )
            .await;
        last = reply.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[sqlx::test(migrations = false)]
async fn sign_up_mails_a_verification_link_that_verifies_the_email(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("verifica").await;
    let me = app.get("/api/v1/auth/me", &tenant.token).await;
    assert_eq!(me.body["email_verified"], json!(false));
    let token = mailed_token(&app, &tenant.email, "verify_email")
        .await
        .unwrap();
    assert!(token.starts_with("dyv_"));

    // Asking again within the minute queues nothing new.
    let resent = app
        .post(
            "/api/v1/auth/email/resend",
            Value::Null,
            Some(&tenant.token),
        )
        .await;
    assert_eq!(resent.status, StatusCode::ACCEPTED);
    assert_eq!(resent.body["queued"], json!(false));

    let bad = app
        .post(
            "/api/v1/auth/email/verify",
            json!({ "token": "dyv_nope" }),
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let verified = app
        .post("/api/v1/auth/email/verify", json!({ "token": token }), None)
        .await;
    assert_eq!(
        verified.status,
        StatusCode::NO_CONTENT,
        "{:?}",
        verified.body
    );
    // Following the link twice is fine.
    let twice = app
        .post("/api/v1/auth/email/verify", json!({ "token": token }), None)
        .await;
    assert_eq!(twice.status, StatusCode::NO_CONTENT);
    let me = app.get("/api/v1/auth/me", &tenant.token).await;
    assert_eq!(me.body["email_verified"], json!(true));
    // Verified: nothing more to send.
    let resent = app
        .post(
            "/api/v1/auth/email/resend",
            Value::Null,
            Some(&tenant.token),
        )
        .await;
    assert_eq!(resent.body["queued"], json!(false));
    // A reset link is not a verification link, nor the other way round.
    let crossed = app
        .post(
            "/api/v1/auth/password/reset",
            json!({ "token": token, "password": NEW_PASSWORD }),
            None,
        )
        .await;
    assert_eq!(crossed.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrations = false)]
async fn a_platform_account_is_told_409_and_the_spec_says_so(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let platform = app.platform_admin("operadora@dysa.cl").await;
    let refused = app
        .post(
            "/api/v1/auth/password/change",
            json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD }),
            Some(&platform),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.code(), "platform_account");
    // The generated client types this answer only when the spec lists it.
    let spec = app
        .call(
            axum::http::Method::GET,
            "/api/openapi.json",
            Value::Null,
            None,
        )
        .await;
    let responses = &spec.body["paths"]["/api/v1/auth/password/change"]["post"]["responses"];
    assert!(responses["409"].is_object(), "{responses:?}");
    // And the platform account's password still works: nothing was changed.
    assert_eq!(
        app.login("operadora@dysa.cl", PASSWORD).await.status,
        StatusCode::OK
    );
}
