//! Owner sign-in lockouts that cannot be raced, a success that does not reset anyone
//! else's counter, hashing bounded by memory, and the `/auth/*` rate limit
//! (docs/SECURITY.md, "Sign-in"). The race runs twice: in-process (the hasher's counter
//! says how many guesses were checked) and against the real binary on its own
//! multi-thread runtime (the answers say it: 401 = checked, 429 = refused unchecked).

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use common::{PASSWORD, Reply, TestApp};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn login_request(email: &str, password: &str, ip: Option<[u8; 4]>) -> Request<Body> {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({ "email": email, "password": password }).to_string(),
        ))
        .unwrap();
    if let Some(ip) = ip {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((ip, 40_000))));
    }
    request
}

async fn login_from(app: &TestApp, email: &str, password: &str, ip: [u8; 4]) -> Reply {
    app.send(login_request(email, password, Some(ip))).await
}

#[sqlx::test(migrations = false)]
async fn sixty_four_parallel_logins_check_at_most_five(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("sabor-sur").await;
    let before = app.state.hasher.verifications();
    let logins: Vec<_> = (0..64)
        .map(|i| {
            let router = app.router.clone();
            let request = login_request(&tenant.email, &format!("equivocada {i}"), None);
            tokio::spawn(async move {
                use tower::ServiceExt;
                router.oneshot(request).await.unwrap().status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for login in logins {
        statuses.push(login.await.unwrap());
    }
    let checked = app.state.hasher.verifications() - before;
    assert!(checked <= 5, "{checked} guesses were checked");
    let unauthorized = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(u64::try_from(unauthorized).unwrap(), checked);
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS)
    );
}

/// A child process killed when the test ends, pass or fail.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[sqlx::test(migrations = false)]
async fn sixty_four_parallel_logins_against_the_binary_check_at_most_five(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner.clone()).await;
    let tenant = app.signup("sabor-sur").await;
    let url = format!(
        "postgres://{}@{}:{}/{}",
        owner.get_username(),
        owner.get_host(),
        owner.get_port(),
        owner.get_database().unwrap()
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _cloud = Process(
        Command::new(env!("CARGO_BIN_EXE_dysa-cloud"))
            .env("DATABASE_URL", &url)
            .env("DYSA_CLOUD_DATABASE_URL", &url)
            .env("DYSA_CLOUD_LISTEN", format!("127.0.0.1:{port}"))
            .env("DYSA_CLOUD_AUTH_RATE_BURST", "100000")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !client
        .get(format!("{base}/health"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(Instant::now() < deadline, "cloud not healthy within 60 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let logins: Vec<_> = (0..64)
        .map(|i| {
            let request = client
                .post(format!("{base}/api/v1/auth/login"))
                .json(&json!({ "email": tenant.email, "password": format!("equivocada {i}") }));
            tokio::spawn(async move { request.send().await.unwrap() })
        })
        .collect();
    let mut checked = 0;
    for login in logins {
        let response = login.await.unwrap();
        match response.status().as_u16() {
            401 => checked += 1,
            429 => assert!(response.headers().contains_key("retry-after")),
            other => panic!("unexpected {other}"),
        }
    }
    assert!(checked <= 5, "{checked} guesses were checked");
    assert!(checked >= 1);
}

#[sqlx::test(migrations = false)]
async fn a_success_on_account_b_does_not_reset_account_a_or_the_client(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let victim = app.signup("victima").await;
    let attacker = app.signup("atacante").await;
    let ip = [203, 0, 113, 9];
    for _ in 0..4 {
        let reply = login_from(&app, &victim.email, "equivocada 123", ip).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    // The attacker signs in to their own tenant from the same address...
    let own = login_from(&app, &attacker.email, PASSWORD, ip).await;
    assert_eq!(own.status, StatusCode::OK, "{:?}", own.body);
    // ...and the four failures still count against that address.
    let fifth = login_from(&app, "nadie@x.cl", "equivocada 123", ip).await;
    assert_eq!(fifth.status, StatusCode::UNAUTHORIZED);
    let refused = login_from(&app, &attacker.email, PASSWORD, ip).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    // The victim's own counter kept its four: one more failure from anywhere locks it.
    let other = login_from(&app, &victim.email, "equivocada 123", [198, 51, 100, 1]).await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED);
    let right = login_from(&app, &victim.email, PASSWORD, [198, 51, 100, 2]).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
}

#[sqlx::test(migrations = false)]
async fn an_unknown_account_costs_one_verification_like_a_known_one(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("sabor-sur").await;
    let start = app.state.hasher.verifications();
    let known = app.login(&tenant.email, "equivocada 123").await;
    assert_eq!(known.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.state.hasher.verifications() - start, 1);
    let unknown = app.login("nadie@sabor-sur.cl", "equivocada 123").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.code(), known.code());
    assert_eq!(app.state.hasher.verifications() - start, 2);
}

#[sqlx::test(migrations = false)]
async fn every_auth_route_is_rate_limited_per_client(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::with_settings(owner, |s| {
        s.auth_rate_burst = 3;
        s.auth_rate_period_ms = 60_000;
    })
    .await;
    for path in ["/api/v1/auth/me", "/api/v1/auth/me", "/api/v1/auth/me"] {
        let reply = app.call(Method::GET, path, Value::Null, None).await;
        assert_ne!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    }
    for (method, path) in [
        (Method::POST, "/api/v1/auth/login"),
        (Method::POST, "/api/v1/auth/refresh"),
        (Method::POST, "/api/v1/auth/logout"),
        (Method::GET, "/api/v1/auth/me"),
    ] {
        let reply = app.call(method, path, json!({}), None).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{path}");
        assert!(reply.headers.contains_key(header::RETRY_AFTER), "{path}");
    }
    // Other routes keep their own budget.
    let health = app.call(Method::GET, "/health", Value::Null, None).await;
    assert_ne!(health.status, StatusCode::TOO_MANY_REQUESTS);
}

#[sqlx::test(migrations = false)]
async fn a_busy_hasher_answers_503_and_does_not_count_the_attempt(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::with_settings(owner, |s| {
        s.hash_permits = 1;
        s.hash_wait_ms = 1;
    })
    .await;
    let tenant = app.signup("sabor-sur").await;
    let before = app.state.hasher.verifications();
    let logins: Vec<_> = (0..4)
        .map(|i| {
            let router = app.router.clone();
            let request = login_request(&tenant.email, "equivocada 123", Some([10, 0, 0, i]));
            tokio::spawn(async move {
                use tower::ServiceExt;
                router.oneshot(request).await.unwrap()
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
    assert_eq!(app.state.hasher.verifications() - before, 4 - busy);
    // Busy attempts were given back: the account holds only the checked failures, and
    // exactly five failures in all lock it.
    let checked = usize::try_from(4 - busy).unwrap();
    for _ in checked..5 {
        let reply = login_from(&app, &tenant.email, "equivocada 123", [10, 0, 1, 1]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let locked = login_from(&app, &tenant.email, PASSWORD, [10, 0, 1, 2]).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
}
