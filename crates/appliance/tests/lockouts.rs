//! Sign-in lockouts that cannot be raced, hashing that cannot exhaust memory, and the
//! PIN pad's per-user lock (docs/SECURITY.md, "Sign-in"). Real router; the races run on a
//! multi-thread runtime with every request spawned at once.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use common::{ADMIN_EMAIL, ADMIN_PASSWORD, Auth, Reply, TestApp};
use serde_json::{Value, json};
use std::net::SocketAddr;

/// A test appliance whose `/auth/*` rate limit is out of the way, so what a test sees is
/// the lockout's doing.
async fn app() -> TestApp {
    TestApp::with_settings(|s| s.auth_rate_burst = 100_000).await
}

/// Creates a staff account with a password (and a PIN) and returns its id.
async fn staff(app: &TestApp, admin: &str, email: &str, role: &str, pin: Option<&str>) -> String {
    let reply = app
        .post(
            "/api/v1/users",
            json!({ "name": format!("Persona {role}"), "email": email,
                    "password": "sopaipillas pasadas", "role": role, "pin": pin }),
            admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

fn json_request(path: &str, body: &Value, from: Option<[u8; 4]>) -> Request<Body> {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, "127.0.0.1:7001")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    if let Some(ip) = from {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((ip, 40_000))));
    }
    request
}

async fn pin(app: &TestApp, user: &str, pin: &str) -> Reply {
    app.call(
        Method::POST,
        "/api/v1/auth/pin",
        json!({ "user_id": user, "pin": pin }),
        Auth::None,
    )
    .await
}

async fn pin_from(app: &TestApp, user: &str, pin: &str, ip: [u8; 4]) -> Reply {
    app.send(json_request(
        "/api/v1/auth/pin",
        &json!({ "user_id": user, "pin": pin }),
        Some(ip),
    ))
    .await
}

async fn login_from(app: &TestApp, email: &str, password: &str, ip: [u8; 4]) -> Reply {
    app.send(json_request(
        "/api/v1/auth/login",
        &json!({ "email": email, "password": password }),
        Some(ip),
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_parallel_pin_guesses_check_at_most_five() {
    let app = app().await;
    let admin = app.setup().await;
    let waiter = staff(&app, &admin, "mesero@donde-pepe.cl", "waiter", Some("4821")).await;
    let before = app.state.hasher.verifications();
    let guesses: Vec<_> = (0..200)
        .map(|i| {
            let router = app.router.clone();
            let body = json!({ "user_id": waiter, "pin": format!("{:04}", 1000 + i) });
            tokio::spawn(async move {
                use tower::ServiceExt;
                router
                    .oneshot(json_request("/api/v1/auth/pin", &body, None))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut unauthorized = 0;
    let mut locked = 0;
    for guess in guesses {
        let response = guess.await.unwrap();
        match response.status() {
            StatusCode::UNAUTHORIZED => unauthorized += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                let retry: u64 = response.headers()[header::RETRY_AFTER]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(retry >= 1);
                locked += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    let checked = app.state.hasher.verifications() - before;
    assert!(checked <= 5, "{checked} guesses were checked");
    assert_eq!(unauthorized, checked, "every checked guess answered 401");
    assert_eq!(locked, 200 - unauthorized);
    // The right PIN now waits too: the lock is per user.
    assert_eq!(
        pin(&app, &waiter, "4821").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_success_on_account_b_does_not_reset_account_a_or_the_client() {
    let app = app().await;
    let admin = app.setup().await;
    staff(&app, &admin, "b@donde-pepe.cl", "waiter", None).await;
    let client = [10, 0, 0, 7];
    for _ in 0..4 {
        let reply = login_from(&app, ADMIN_EMAIL, "equivocada 123", client).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    // The attacker's own account signs in from the same client...
    let own = login_from(&app, "b@donde-pepe.cl", "sopaipillas pasadas", client).await;
    assert_eq!(own.status, StatusCode::OK, "{:?}", own.body);
    // ...and the four failures still count: one more from that client locks it.
    let fifth = login_from(&app, "nadie@x.cl", "equivocada 123", client).await;
    assert_eq!(fifth.status, StatusCode::UNAUTHORIZED);
    let after = login_from(&app, "b@donde-pepe.cl", "sopaipillas pasadas", client).await;
    assert_eq!(after.status, StatusCode::TOO_MANY_REQUESTS);
    // Account A kept its four failures too: one more, from anywhere, locks it.
    let other = login_from(&app, ADMIN_EMAIL, "equivocada 123", [10, 0, 0, 8]).await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED);
    let right = login_from(&app, ADMIN_EMAIL, ADMIN_PASSWORD, [10, 0, 0, 9]).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn an_unknown_account_costs_one_verification_like_a_known_one() {
    let app = app().await;
    let admin = app.setup().await;
    let waiter = staff(&app, &admin, "m@donde-pepe.cl", "waiter", Some("4821")).await;
    let count = || app.state.hasher.verifications();
    let start = count();
    assert_eq!(
        app.login(ADMIN_EMAIL, "equivocada 123").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(count() - start, 1);
    let reply = app.login("nadie@donde-pepe.cl", "equivocada 123").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        count() - start,
        2,
        "the unknown email was checked against a decoy"
    );
    assert_eq!(
        pin(&app, &waiter, "0000").await.status,
        StatusCode::UNAUTHORIZED
    );
    let unknown = uuid::Uuid::now_v7().to_string();
    let reply = pin(&app, &unknown, "0000").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.code(), "invalid_credentials", "{:?}", reply.body);
    assert_eq!(count() - start, 4);
}

#[tokio::test]
async fn five_wrong_pins_lock_the_user_until_an_admin_unlocks() {
    let app = app().await;
    let admin = app.setup().await;
    let waiter = staff(&app, &admin, "w@donde-pepe.cl", "waiter", Some("4821")).await;
    for _ in 0..5 {
        let reply = pin_from(&app, &waiter, "0000", [10, 0, 0, 1]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    // Locked for that user from any counter, the right PIN included.
    let locked = pin_from(&app, &waiter, "4821", [10, 0, 0, 2]).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = locked.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((800..=900).contains(&retry), "15 minutes, got {retry}");
    let list = app.get("/api/v1/users", &admin).await;
    let row = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == waiter.as_str())
        .unwrap()
        .clone();
    assert!(row["locked_until"].is_string(), "{row}");
    // Unlocking needs users:manage.
    let (_, waiter_token) = app.user_with_role(&admin, "waiter").await;
    let path = format!("/api/v1/users/{waiter}/unlock");
    assert_eq!(
        app.post(&path, Value::Null, &waiter_token).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&path, Value::Null, &admin).await.status,
        StatusCode::NO_CONTENT
    );
    let unlocked = pin_from(&app, &waiter, "4821", [10, 0, 0, 2]).await;
    assert_eq!(unlocked.status, StatusCode::OK);
    let list = app.get("/api/v1/users", &admin).await;
    assert!(
        list.body
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u.get("locked_until").is_none())
    );
}

#[tokio::test]
async fn a_lock_that_ended_comes_back_twice_as_long() {
    // A 3 s window: the five failures of a round must fall within it, and the "still
    // locked" check lands 3.3 s into a 6 s lock, so a loaded machine has seconds of room
    // on both sides (a 1 s window left it a few hundred milliseconds).
    const WINDOW: u64 = 3;
    let window = std::time::Duration::from_secs(WINDOW);
    let app = TestApp::with_settings(|s| {
        s.auth_rate_burst = 100_000;
        s.login_window_secs = WINDOW;
    })
    .await;
    let admin = app.setup().await;
    let waiter = staff(&app, &admin, "x@donde-pepe.cl", "waiter", Some("4821")).await;
    for _ in 0..5 {
        pin(&app, &waiter, "0000").await;
    }
    assert_eq!(
        pin(&app, &waiter, "4821").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    tokio::time::sleep(window * 11 / 10).await;
    for _ in 0..5 {
        pin(&app, &waiter, "0000").await;
    }
    // Past the first lock's length: a lock that did not double would be over.
    tokio::time::sleep(window * 11 / 10).await;
    assert_eq!(
        pin(&app, &waiter, "4821").await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the second lock lasts two windows"
    );
    tokio::time::sleep(window).await;
    assert_eq!(pin(&app, &waiter, "4821").await.status, StatusCode::OK);
}

#[tokio::test]
async fn admins_and_managers_may_be_required_to_use_their_password() {
    let app = app().await;
    let admin = app.setup().await;
    let manager = staff(&app, &admin, "g@donde-pepe.cl", "manager", Some("1357")).await;
    let waiter = staff(&app, &admin, "w@donde-pepe.cl", "waiter", Some("2468")).await;
    assert_eq!(pin(&app, &manager, "1357").await.status, StatusCode::OK);
    let reply = app
        .call(
            Method::PATCH,
            "/api/v1/settings",
            json!({ "password_required_for_managers": true }),
            Auth::Bearer(&admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let before = app.state.hasher.verifications();
    let refused = pin(&app, &manager, "1357").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "password_required");
    assert_eq!(
        app.state.hasher.verifications(),
        before,
        "nothing was checked"
    );
    assert_eq!(pin(&app, &waiter, "2468").await.status, StatusCode::OK);
    assert_eq!(
        app.login("g@donde-pepe.cl", "sopaipillas pasadas")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn every_auth_route_is_rate_limited_per_client() {
    let app = TestApp::with_settings(|s| {
        s.auth_rate_burst = 3;
        s.auth_rate_period_ms = 60_000;
    })
    .await;
    let paths = [
        (Method::GET, "/api/v1/auth/me"),
        (Method::GET, "/api/v1/auth/pin-users"),
        (Method::POST, "/api/v1/auth/refresh"),
    ];
    for (method, path) in &paths {
        let reply = app
            .call(method.clone(), path, Value::Null, Auth::None)
            .await;
        assert_ne!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{path}");
    }
    for (method, path) in [
        (Method::POST, "/api/v1/auth/login"),
        (Method::POST, "/api/v1/auth/pin"),
        (Method::POST, "/api/v1/auth/logout"),
    ] {
        let reply = app.call(method, path, json!({}), Auth::None).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{path}");
        assert!(reply.headers.contains_key(header::RETRY_AFTER), "{path}");
    }
    // Other routes keep their own budget.
    let health = app
        .call(Method::GET, "/health", Value::Null, Auth::None)
        .await;
    assert_ne!(health.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_busy_hasher_answers_503_and_does_not_count_the_attempt() {
    let app = TestApp::with_settings(|s| {
        s.auth_rate_burst = 100_000;
        s.hash_permits = 1;
        s.hash_wait_ms = 1;
    })
    .await;
    app.setup().await;
    let logins: Vec<_> = (0..8)
        .map(|i| {
            let router = app.router.clone();
            let body = json!({ "email": format!("n{i}@x.cl"), "password": "equivocada 123" });
            let ip = [10, 1, 0, u8::try_from(i).unwrap()];
            tokio::spawn(async move {
                use tower::ServiceExt;
                router
                    .oneshot(json_request("/api/v1/auth/login", &body, Some(ip)))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut busy = 0;
    for login in logins {
        let response = login.await.unwrap();
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            assert!(response.headers().contains_key(header::RETRY_AFTER));
            busy += 1;
        } else {
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        }
    }
    assert!(busy >= 1, "one permit, eight parallel checks");
    assert_eq!(app.state.hasher.verifications(), 8 - busy);
}
