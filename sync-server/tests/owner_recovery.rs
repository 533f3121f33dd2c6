//! A linked counter's sole admin gets back in through the owner's cloud account, end to
//! end on a real cloud and a real appliance served on loopback in this process (as
//! `staff_replies.rs`): the owner makes a code for the counter in the dashboard's API, the
//! admin types it with their email and a new password on the counter, the counter has
//! the cloud redeem it with its device token, and only then sets the password. The
//! promise of docs/SECURITY.md, "Admin recovery through the owner", is tried here: a
//! device token alone resets no one and guessing locks; a code for counter A does not
//! work on counter B; a used or expired code is refused; a wrong email does not spend
//! the code; only the owner makes codes; every step is in both audit logs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::sync::device;
use common::{PASSWORD, TestApp};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

const ADMIN: &str = "ana@dondeana.cl";
const NEW_PASSWORD: &str = "sopaipillas pasadas 2027";

async fn send(request: reqwest::RequestBuilder) -> Value {
    let response = request.send().await.expect("request");
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// A real appliance on a temp dir, linked to the cloud at `cloud`; answers its URL and a
/// staff token.
async fn linked_counter(cloud: &str, code: &str) -> (String, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let settings = dysa_appliance::settings::Settings {
        data_dir: dir.path().to_path_buf(),
        ollama_url: "http://127.0.0.1:9".into(),
        // This test makes more wrong attempts from one client than the counter's limit
        // allows (its lockout is tried in the appliance's `tests/recovery.rs`).
        login_max_failures: 50,
        ..dysa_appliance::settings::Settings::default()
    };
    let state = dysa_appliance::open(settings).await.expect("open");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let counter = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dysa_appliance::serve(
        listener,
        state,
        std::future::pending(),
    ));
    let client = reqwest::Client::new();
    let setup = send(client.post(format!("{counter}/api/v1/setup")).json(&json!({
        "restaurant_name": "Donde Ana", "name": "Ana", "email": ADMIN, "password": PASSWORD,
    })))
    .await;
    let staff = setup["access_token"].as_str().unwrap().to_owned();
    send(
        client
            .post(format!("{counter}/api/v1/cloud/connect"))
            .bearer_auth(&staff)
            .json(&json!({"cloud_url": cloud, "enrollment_code": code})),
    )
    .await;
    (counter, staff, dir)
}

/// The owner's code for `device` (201).
async fn owner_code(app: &TestApp, token: &str, device: &str) -> String {
    let reply = app
        .post(
            &format!("/api/v1/devices/{device}/recovery-code"),
            Value::Null,
            Some(token),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let code = reply.body["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 14, "{code}");
    code
}

/// The counter's "¿Olvidaste tu contraseña?" with an owner's code: (status, body).
async fn recover(counter: &str, email: &str, code: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(format!("{counter}/api/v1/auth/recover/owner"))
        .json(&json!({ "email": email, "code": code, "new_password": NEW_PASSWORD }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn counter_login(counter: &str, password: &str) -> StatusCode {
    reqwest::Client::new()
        .post(format!("{counter}/api/v1/auth/login"))
        .json(&json!({ "email": ADMIN, "password": password }))
        .send()
        .await
        .unwrap()
        .status()
}

#[sqlx::test(migrations = false)]
async fn the_owner_recovers_a_sole_admin_and_nothing_else_does(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("donde-ana").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let cloud = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dysa_cloud::serve(
        listener,
        app.state.clone(),
        std::future::pending(),
    ));
    let (counter, _staff, _dir) = linked_counter(&cloud, &tenant.enrollment_code).await;
    let devices = app.get("/api/v1/devices", &tenant.token).await;
    let counter_a = devices.body.as_array().unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Counter B: another device of the same location, with a token the test holds.
    let (counter_b, token_b) = device(&app, &tenant.token, &tenant.location_id, "Caja B").await;

    // Only the owner makes codes: a manager is refused, an unknown device is 404.
    let (_, manager) = app
        .account(&tenant.token, "gerente@dondeana.cl", "manager")
        .await;
    let refused = app
        .post(
            &format!("/api/v1/devices/{counter_a}/recovery-code"),
            Value::Null,
            Some(&manager),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    let unknown = app
        .post(
            &format!("/api/v1/devices/{}/recovery-code", uuid::Uuid::now_v7()),
            Value::Null,
            Some(&tenant.token),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{:?}", unknown.body);

    let code = owner_code(&app, &tenant.token, &counter_a).await;

    // A code for counter A does not work on counter B (its own device token).
    let on_b = app
        .post(
            "/api/v1/sync/recovery/redeem",
            json!({ "code": code }),
            Some(&token_b),
        )
        .await;
    assert_eq!(on_b.status, StatusCode::UNAUTHORIZED, "{:?}", on_b.body);
    assert_eq!(on_b.code(), "recovery_code_invalid");

    // A wrong email answers like a wrong code and does not spend the owner's code.
    let (status, body) = recover(&counter, "nadie@dondeana.cl", &code).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"]["code"], "invalid_credentials");
    let (status, body) = recover(&counter, ADMIN, "AAAA-BBBB-CCCC").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"]["code"], "invalid_credentials");
    assert_eq!(
        counter_login(&counter, NEW_PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );

    // The right email and code: the password is set, the old one stops working.
    let (status, body) = recover(&counter, ADMIN, &code.to_lowercase()).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(counter_login(&counter, NEW_PASSWORD).await, StatusCode::OK);
    assert_eq!(
        counter_login(&counter, PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );

    // Used: refused the second time.
    let (status, body) = recover(&counter, ADMIN, &code).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    // Expired: a code past its ten minutes is refused.
    let late = owner_code(&app, &tenant.token, &counter_a).await;
    let mut conn = app.owner_conn().await;
    sqlx::query(
        "UPDATE counter_recovery_codes SET expires_at = now() - interval '1 second'
         WHERE used_at IS NULL",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let (status, body) = recover(&counter, ADMIN, &late).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    // A new code replaces the one before it.
    let first = owner_code(&app, &tenant.token, &counter_b).await;
    let second = owner_code(&app, &tenant.token, &counter_b).await;
    let redeem = |code: String| {
        let token = token_b.clone();
        let app = &app;
        async move {
            app.post(
                "/api/v1/sync/recovery/redeem",
                json!({ "code": code }),
                Some(&token),
            )
            .await
        }
    };
    assert_eq!(redeem(first).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(redeem(second).await.status, StatusCode::NO_CONTENT);

    // A stolen device token alone resets no one: guessing codes locks the device out.
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(redeem("ZZZZ-ZZZZ-ZZZZ".to_owned()).await.status);
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert!(!statuses.contains(&StatusCode::NO_CONTENT), "{statuses:?}");

    // The cloud's audit log has the issue, the redemption and the refusals.
    let audit = app.get("/api/v1/audit?limit=200", &tenant.token).await;
    assert_eq!(audit.status, StatusCode::OK, "{:?}", audit.body);
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["action"].as_str().unwrap())
        .collect();
    for action in [
        "recovery.owner_code_issued",
        "recovery.owner_code_redeemed",
        "recovery.owner_code_refused",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    let issued = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"]["action"] == "recovery.owner_code_issued")
        .unwrap();
    assert!(
        issued["text_es"]
            .as_str()
            .unwrap()
            .contains("recuperar el acceso"),
        "{issued}"
    );

    // The counter's audit log has the recovery and each refused attempt.
    let signed_in = send(
        reqwest::Client::new()
            .post(format!("{counter}/api/v1/auth/login"))
            .json(&json!({ "email": ADMIN, "password": NEW_PASSWORD })),
    )
    .await;
    let staff = signed_in["access_token"].as_str().unwrap();
    let log = send(
        reqwest::Client::new()
            .get(format!("{counter}/api/v1/audit?limit=200"))
            .bearer_auth(staff),
    )
    .await;
    let events: Vec<&Value> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["event"])
        .collect();
    assert!(
        events
            .iter()
            .any(|e| e["action"] == "auth.recovered" && e["after"]["via"] == "owner"),
        "{log}"
    );
    let refusals = events
        .iter()
        .filter(|e| e["after"]["method"] == "owner_recovery_code")
        .count();
    assert_eq!(refusals, 4, "{log}");
}
