//! Setup, login, refresh rotation and reuse detection, logout, lockout, PIN switch.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{ADMIN_EMAIL, ADMIN_PASSWORD, Auth, TestApp};
use serde_json::{Value, json};

#[tokio::test]
async fn setup_creates_the_first_admin_once() {
    let app = TestApp::new().await;
    let status = app
        .call(Method::GET, "/api/v1/setup", Value::Null, Auth::None)
        .await;
    assert_eq!(
        status.body,
        json!({ "needed": true, "restaurant_name": null, "code_required": false })
    );

    let token = app.setup().await;
    let me = app.get("/api/v1/auth/me", &token).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["user"]["role"], "admin");
    assert_eq!(me.body["user"]["email"], ADMIN_EMAIL);

    let status = app
        .call(Method::GET, "/api/v1/setup", Value::Null, Auth::None)
        .await;
    assert_eq!(
        status.body,
        json!({ "needed": false, "restaurant_name": "Donde Pepe", "code_required": false })
    );

    let again = app
        .call(
            Method::POST,
            "/api/v1/setup",
            json!({ "restaurant_name": "Otro", "name": "Intruso", "email": "x@y.cl", "password": "una clave larga 123" }),
            Auth::None,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "already_set_up");
}

#[tokio::test]
async fn setup_validates_every_field() {
    let app = TestApp::new().await;
    let reply = app
        .call(
            Method::POST,
            "/api/v1/setup",
            json!({ "restaurant_name": " ", "name": "", "email": "no-es-correo", "password": "corta", "pin": "12" }),
            Auth::None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.code(), "validation_failed");
    let fields = reply.body["error"]["fields"].as_object().unwrap();
    for field in ["restaurant_name", "name", "email", "password", "pin"] {
        assert!(fields.contains_key(field), "missing {field} in {fields:?}");
    }
    // Nothing was written: setup is still needed.
    let status = app
        .call(Method::GET, "/api/v1/setup", Value::Null, Auth::None)
        .await;
    assert_eq!(status.body["needed"], true);
}

#[tokio::test]
async fn concurrent_setups_have_exactly_one_winner() {
    let app = TestApp::new().await;
    let mut tasks = Vec::new();
    for i in 0..6 {
        let router = app.router.clone();
        tasks.push(tokio::spawn(async move {
            TestApp::send_with(
                router,
                json!({
                    "restaurant_name": format!("R{i}"), "name": format!("Admin {i}"),
                    "email": format!("a{i}@x.cl"), "password": "una clave bien larga"
                }),
            )
            .await
        }));
    }
    let mut created = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(
        dysa_appliance::store::users::count(&app.state.db.read)
            .await
            .unwrap(),
        1
    );
}

impl TestApp {
    async fn send_with(router: axum::Router, body: Value) -> StatusCode {
        use tower::ServiceExt;
        let request = axum::http::Request::post("/api/v1/setup")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap();
        router.oneshot(request).await.unwrap().status()
    }
}

#[tokio::test]
async fn login_returns_tokens_permissions_and_strict_httponly_cookies() {
    let app = TestApp::new().await;
    app.setup().await;
    let reply = app.login("  ADMIN@donde-pepe.cl ", ADMIN_PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["user"]["role"], "admin");
    assert!(
        reply.body["permissions"]
            .as_array()
            .unwrap()
            .contains(&json!("users:manage"))
    );
    assert_eq!(reply.body["expires_in"], 900);
    let cookies = reply.set_cookies();
    let access = cookies
        .iter()
        .find(|c| c.starts_with("dysa_access="))
        .unwrap();
    assert!(
        access.contains("HttpOnly")
            && access.contains("SameSite=Strict")
            && access.contains("Max-Age=900")
    );
    let refresh = cookies
        .iter()
        .find(|c| c.starts_with("dysa_refresh="))
        .unwrap();
    assert!(refresh.contains("HttpOnly") && refresh.contains("Path=/api/v1/auth"));

    let wrong = app.login(ADMIN_EMAIL, "no es la clave").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.code(), "invalid_credentials");
    let message = wrong.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("contraseña") && !message.contains("PIN"),
        "a wrong password is answered about the password: {message}"
    );
    let unknown = app.login("nadie@x.cl", "no es la clave").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        unknown.code(),
        "invalid_credentials",
        "unknown accounts look like wrong passwords"
    );
}

#[tokio::test]
async fn the_sixth_failure_within_the_window_is_refused_with_retry_after() {
    let app = TestApp::new().await;
    app.setup().await;
    for attempt in 1..=5 {
        let reply = app.login(ADMIN_EMAIL, "equivocada 123").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let sixth = app.login(ADMIN_EMAIL, "equivocada 123").await;
    assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sixth.code(), "too_many_attempts");
    let retry: u64 = sixth.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "retry-after {retry}");
    // Locked means locked: the right password waits too.
    let right = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn failures_are_also_limited_per_client_across_accounts() {
    let app = TestApp::new().await;
    app.setup().await;
    for i in 0..5 {
        let reply = app.login(&format!("nadie{i}@x.cl"), "equivocada 123").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let sixth = app.login("otro@x.cl", "equivocada 123").await;
    assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn lockout_window_expires() {
    // The five failures must fall within one window: 3 s leaves a loaded machine room
    // (with 1 s, one slow password check started the count over and nothing locked).
    let app = TestApp::with_settings(|s| s.login_window_secs = 3).await;
    app.setup().await;
    for _ in 0..5 {
        app.login(ADMIN_EMAIL, "equivocada 123").await;
    }
    assert_eq!(
        app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    assert_eq!(
        app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_whole_family() {
    let app = TestApp::new().await;
    app.setup().await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let first_refresh = login.body["refresh_token"].as_str().unwrap().to_owned();
    let first_access = login.body["access_token"].as_str().unwrap().to_owned();

    let rotated = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            json!({ "refresh_token": first_refresh }),
            Auth::None,
        )
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{:?}", rotated.body);
    let second_refresh = rotated.body["refresh_token"].as_str().unwrap().to_owned();
    let second_access = rotated.body["access_token"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first_refresh);
    assert_eq!(
        app.get("/api/v1/auth/me", &second_access).await.status,
        StatusCode::OK
    );

    // Someone replays the first (already used) refresh token: the family dies.
    let replay = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            json!({ "refresh_token": first_refresh }),
            Auth::None,
        )
        .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(replay.code(), "refresh_token_reused");

    let after = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            json!({ "refresh_token": second_refresh }),
            Auth::None,
        )
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.code(), "session_revoked");
    for token in [&first_access, &second_access] {
        let me = app.get("/api/v1/auth/me", token).await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED);
        assert_eq!(me.code(), "session_revoked");
    }
    // Other sessions of the same user are untouched.
    assert_eq!(
        app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn refresh_by_cookie_and_unknown_tokens() {
    let app = TestApp::new().await;
    app.setup().await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let refresh = login.body["refresh_token"].as_str().unwrap();
    let request = axum::http::Request::post("/api/v1/auth/refresh")
        .header("cookie", format!("dysa_refresh={refresh}"))
        .header("origin", "http://127.0.0.1:7001")
        .header("host", "127.0.0.1:7001")
        .body(axum::body::Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);

    let unknown = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            json!({ "refresh_token": "inventado" }),
            Auth::None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.code(), "refresh_token_invalid");
    let missing = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            Value::Null,
            Auth::None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.code(), "refresh_token_missing");
}

#[tokio::test]
async fn logout_closes_the_session_at_once() {
    let app = TestApp::new().await;
    app.setup().await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let access = login.body["access_token"].as_str().unwrap();
    let refresh = login.body["refresh_token"].as_str().unwrap();
    let out = app
        .call(
            Method::POST,
            "/api/v1/auth/logout",
            Value::Null,
            Auth::Bearer(access),
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.set_cookies().iter().all(|c| c.contains("Max-Age=0")));
    assert_eq!(
        app.get("/api/v1/auth/me", access).await.status,
        StatusCode::UNAUTHORIZED
    );
    let reuse = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            json!({ "refresh_token": refresh }),
            Auth::None,
        )
        .await;
    assert_eq!(reuse.status, StatusCode::UNAUTHORIZED);
    // Logging out with nothing is harmless.
    let again = app
        .call(Method::POST, "/api/v1/auth/logout", Value::Null, Auth::None)
        .await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn tampered_or_missing_tokens_are_refused() {
    let app = TestApp::new().await;
    let token = app.setup().await;
    let mut tampered = token.clone();
    tampered.pop();
    tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
    assert_eq!(
        app.get("/api/v1/auth/me", &tampered).await.code(),
        "token_invalid"
    );
    let none = app
        .call(Method::GET, "/api/v1/auth/me", Value::Null, Auth::None)
        .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.code(), "unauthenticated");
}

#[tokio::test]
async fn pin_quick_switch() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (waiter_id, _) = app.user_with_role(&admin, "waiter").await;
    assert_eq!(
        app.post(
            &format!("/api/v1/users/{waiter_id}/pin"),
            json!({ "pin": "4821" }),
            &admin
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    let listed = app
        .call(
            Method::GET,
            "/api/v1/auth/pin-users",
            Value::Null,
            Auth::None,
        )
        .await;
    let listed = listed.body.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], waiter_id.as_str());
    assert!(
        listed[0].get("email").is_none(),
        "the switch screen shows names only"
    );

    let ok = app
        .call(
            Method::POST,
            "/api/v1/auth/pin",
            json!({ "user_id": waiter_id, "pin": "4821" }),
            Auth::None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    assert_eq!(ok.body["user"]["role"], "waiter");
    assert!(
        !ok.body["permissions"]
            .as_array()
            .unwrap()
            .contains(&json!("users:manage"))
    );

    let wrong = app
        .call(
            Method::POST,
            "/api/v1/auth/pin",
            json!({ "user_id": waiter_id, "pin": "1111" }),
            Auth::None,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.code(), "invalid_credentials");
    assert_eq!(wrong.body["error"]["message"], "PIN incorrecto");
    for _ in 0..4 {
        app.call(
            Method::POST,
            "/api/v1/auth/pin",
            json!({ "user_id": waiter_id, "pin": "0000" }),
            Auth::None,
        )
        .await;
    }
    let locked = app
        .call(
            Method::POST,
            "/api/v1/auth/pin",
            json!({ "user_id": waiter_id, "pin": "4821" }),
            Auth::None,
        )
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn users_change_their_own_password() {
    let app = TestApp::new().await;
    app.setup().await;
    let first = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let other = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let token = first.body["access_token"].as_str().unwrap();
    let wrong = app
        .post(
            "/api/v1/auth/password",
            json!({ "current_password": "no", "new_password": "humitas con tomate" }),
            token,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body["error"]["fields"]["current_password"].is_string());
    let ok = app
        .post(
            "/api/v1/auth/password",
            json!({ "current_password": ADMIN_PASSWORD, "new_password": "humitas con tomate" }),
            token,
        )
        .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    // This session lives on; the other one was closed.
    assert_eq!(
        app.get("/api/v1/auth/me", token).await.status,
        StatusCode::OK
    );
    let other_token = other.body["access_token"].as_str().unwrap();
    assert_eq!(
        app.get("/api/v1/auth/me", other_token).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(ADMIN_EMAIL, "humitas con tomate").await.status,
        StatusCode::OK
    );
}

/// The Salón's PIN switch hands a phone over without signing out first: a wrong PIN keeps
/// the person signed in; the right one signs the next one in and closes the previous
/// session (its access and refresh tokens stop working).
#[tokio::test]
async fn a_pin_switch_while_signed_in_closes_the_previous_session_only_when_the_pin_is_right() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (waiter_id, _) = app.user_with_role(&admin, "waiter").await;
    let set = app
        .post(
            &format!("/api/v1/users/{waiter_id}/pin"),
            json!({ "pin": "4821" }),
            &admin,
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT);
    let before = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let access = before.body["access_token"].as_str().unwrap();
    let refresh = before.body["refresh_token"].as_str().unwrap();

    let wrong = app
        .call(
            Method::POST,
            "/api/v1/auth/pin",
            json!({ "user_id": waiter_id, "pin": "1111" }),
            Auth::Bearer(access),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/api/v1/auth/me", access).await.status,
        StatusCode::OK
    );

    let switched = app
        .call(
            Method::POST,
            "/api/v1/auth/pin",
            json!({ "user_id": waiter_id, "pin": "4821" }),
            Auth::Bearer(access),
        )
        .await;
    assert_eq!(switched.status, StatusCode::OK, "{:?}", switched.body);
    let next = switched.body["access_token"].as_str().unwrap();
    let me = app.get("/api/v1/auth/me", next).await;
    assert_eq!(me.body["user"]["id"], waiter_id.as_str());
    assert_eq!(
        app.get("/api/v1/auth/me", access).await.status,
        StatusCode::UNAUTHORIZED,
        "the previous access token is closed"
    );
    let renewed = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            json!({ "refresh_token": refresh }),
            Auth::None,
        )
        .await;
    assert_eq!(
        renewed.status,
        StatusCode::UNAUTHORIZED,
        "{:?}",
        renewed.body
    );
}
