//! The LAN boundary (docs/SECURITY.md, "The LAN: setup, the PIN pad, health and
//! exports"): what someone on the restaurant's Wi-Fi can learn or claim.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{ADMIN_EMAIL, ADMIN_PASSWORD, Auth, Reply, TestApp};
use serde_json::{Value, json};
use sha2::Digest as _;

/// A tablet on the restaurant's Wi-Fi.
const TABLET: &str = "192.168.1.20:50123";
/// A browser on the counter itself.
const COUNTER: &str = "127.0.0.1:50124";

fn setup_form(code: Option<&str>) -> Value {
    json!({
        "restaurant_name": "Donde Pepe",
        "name": "Ana Admin",
        "email": ADMIN_EMAIL,
        "password": ADMIN_PASSWORD,
        "code": code,
    })
}

/// `POST /api/v1/setup` from `peer`, with the setup code if given.
async fn set_up(app: &TestApp, peer: &str, code: Option<&str>) -> Reply {
    app.call_from(
        peer,
        Method::POST,
        "/api/v1/setup",
        setup_form(code),
        Auth::None,
    )
    .await
}

#[tokio::test]
async fn health_says_generic_words_not_error_text() {
    let app = TestApp::new().await;
    let reply = app
        .call(Method::GET, "/health", Value::Null, Auth::None)
        .await;
    // Nothing listens on the test's Ollama address: down, without the address or the
    // HTTP client's error.
    assert_eq!(reply.body["checks"]["ollama"]["status"], "down");
    assert_eq!(reply.body["checks"]["ollama"]["detail"], "unreachable");
    assert!(
        !reply.body.to_string().contains("127.0.0.1:9"),
        "{}",
        reply.body
    );

    // A database that fails answers 503 with a generic word; the error goes to the log.
    app.state.db.close().await;
    let down = app
        .call(Method::GET, "/health", Value::Null, Auth::None)
        .await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(down.body["checks"]["database"]["status"], "down");
    assert_eq!(down.body["checks"]["database"]["detail"], "unavailable");
    assert_eq!(down.body["checks"]["cloud"]["detail"], "unavailable");
    let text = down.body.to_string().to_lowercase();
    for leak in ["pool", "sqlite", "closed", "dysa.db"] {
        assert!(!text.contains(leak), "{leak} leaked: {text}");
    }
}

async fn import_csv(app: &TestApp, csv: &str, token: &str) -> Reply {
    let request = Request::post("/api/v1/menu/import")
        .header(header::HOST, "127.0.0.1:7001")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(csv.to_owned()))
        .unwrap();
    app.send(request).await
}

#[tokio::test]
async fn a_formula_in_the_menu_exports_as_text_and_imports_back_unchanged() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let category = app
        .post(
            "/api/v1/menu/categories",
            json!({ "name": "@Bebidas" }),
            &admin,
        )
        .await;
    assert_eq!(category.status, StatusCode::CREATED, "{:?}", category.body);
    let name = r#"=HYPERLINK("http://x","y")"#;
    for (name, description) in [
        (name, "-2+3+cmd|' /C calc'!A0"),
        ("'Nduja", "+56 9 1234 5678"),
    ] {
        let item = app
            .post(
                "/api/v1/menu/items",
                json!({ "category_id": category.body["id"], "name": name,
                        "description": description, "price": 3990 }),
                &admin,
            )
            .await;
        assert_eq!(item.status, StatusCode::CREATED, "{:?}", item.body);
    }
    let export = app.get("/api/v1/menu/export.csv", &admin).await;
    assert_eq!(export.status, StatusCode::OK);
    let csv = export.body.as_str().unwrap().to_owned();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let hyperlink = rows.iter().find(|r| r[2].contains("HYPERLINK")).unwrap();
    assert_eq!(
        &hyperlink[2], r#"'=HYPERLINK("http://x","y")"#,
        "opens as text"
    );
    assert_eq!(&hyperlink[0], "'@Bebidas");
    assert_eq!(&hyperlink[4], "'-2+3+cmd|' /C calc'!A0");
    assert_eq!(&hyperlink[6], "3990", "prices stay numbers");
    let nduja = rows.iter().find(|r| r[2].contains("Nduja")).unwrap();
    assert_eq!(&nduja[2], "'Nduja", "a plain apostrophe is left alone");
    assert_eq!(&nduja[4], "'+56 9 1234 5678");
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(dysa_domain::spreadsheet::FORMULA_STARTS),
                "{cell:?} would run as a formula"
            );
        }
    }

    // Importing the export changes nothing: the quotes come off again.
    let again = import_csv(&app, &csv, &admin).await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    assert_eq!(again.body["items_unchanged"], 2, "{:?}", again.body);
    assert_eq!(again.body["items_created"], 0);
    assert_eq!(again.body["categories_created"], 0);
    let items = app.get("/api/v1/menu/items", &admin).await;
    let names: Vec<&str> = items
        .body
        .as_array()
        .or_else(|| items.body["items"].as_array())
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&name), "{names:?}");
    assert!(names.contains(&"'Nduja"), "{names:?}");
}

#[tokio::test]
async fn setup_from_the_lan_needs_the_code_the_counter_shows() {
    let app = TestApp::new().await;
    // The tablet is told it needs a code; it cannot read the code itself.
    let status = app
        .call_from(
            TABLET,
            Method::GET,
            "/api/v1/setup",
            Value::Null,
            Auth::None,
        )
        .await;
    assert_eq!(status.body["needed"], true);
    assert_eq!(status.body["code_required"], true);
    let peek = app
        .call_from(
            TABLET,
            Method::GET,
            "/api/v1/setup/code",
            Value::Null,
            Auth::None,
        )
        .await;
    assert_eq!(peek.status, StatusCode::FORBIDDEN);
    assert_eq!(peek.code(), "loopback_only");

    // Without the code, or with a wrong one: 403, nothing created.
    let bare = set_up(&app, TABLET, None).await;
    assert_eq!(bare.status, StatusCode::FORBIDDEN);
    assert_eq!(bare.code(), "setup_code_required");
    let wrong = set_up(&app, TABLET, Some("AAAA-AAAA")).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(wrong.code(), "setup_code_invalid");
    assert_eq!(
        dysa_appliance::store::users::count(&app.state.db.read)
            .await
            .unwrap(),
        0
    );

    // The counter sees the code (and needs none itself).
    let counter = app
        .call_from(
            COUNTER,
            Method::GET,
            "/api/v1/setup",
            Value::Null,
            Auth::None,
        )
        .await;
    assert_eq!(counter.body["code_required"], false);
    let shown = app
        .call_from(
            COUNTER,
            Method::GET,
            "/api/v1/setup/code",
            Value::Null,
            Auth::None,
        )
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{:?}", shown.body);
    let code = shown.body["code"].as_str().unwrap().to_owned();

    // Typed on the tablet (any case, without the dash), it sets the appliance up.
    let typed = code.replace('-', "").to_lowercase();
    let done = set_up(&app, TABLET, Some(&typed)).await;
    assert_eq!(done.status, StatusCode::CREATED, "{:?}", done.body);
    // Then the code is gone, and a second setup is a conflict whoever asks.
    let after = app
        .call_from(
            COUNTER,
            Method::GET,
            "/api/v1/setup/code",
            Value::Null,
            Auth::None,
        )
        .await;
    assert_eq!(after.status, StatusCode::CONFLICT);
    let again = set_up(&app, TABLET, Some(&code)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn guessing_the_setup_code_replaces_it() {
    let app = TestApp::new().await;
    let code = app.state.setup_code.current();
    for _ in 0..dysa_appliance::setup_code::MAX_FAILURES {
        let wrong = set_up(&app, TABLET, Some("ZZZZ-ZZZZ")).await;
        assert_eq!(wrong.code(), "setup_code_invalid");
    }
    let late = set_up(&app, TABLET, Some(&code)).await;
    assert_eq!(
        late.status,
        StatusCode::FORBIDDEN,
        "the guessed-at code is dead"
    );
    let fresh = app.state.setup_code.current();
    assert_ne!(fresh, code);
    let done = set_up(&app, TABLET, Some(&fresh)).await;
    assert_eq!(done.status, StatusCode::CREATED, "{:?}", done.body);
}

#[tokio::test]
async fn setup_on_the_counter_needs_no_code() {
    let app = TestApp::new().await;
    let done = set_up(&app, COUNTER, None).await;
    assert_eq!(done.status, StatusCode::CREATED, "{:?}", done.body);
}

/// `GET /auth/pin-users` from `peer`, with a known-device cookie if given.
async fn pin_users(app: &TestApp, peer: &str, device: Option<&str>) -> Reply {
    let mut request = TestApp::request(
        Method::GET,
        "/api/v1/auth/pin-users",
        Value::Null,
        Auth::None,
    );
    if let Some(device) = device {
        request.headers_mut().insert(
            header::COOKIE,
            format!("dysa_device={device}").parse().unwrap(),
        );
    }
    let peer: std::net::SocketAddr = peer.parse().unwrap();
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));
    app.send(request).await
}

/// The known-device cookie a sign-in set, if any.
fn device_cookie(reply: &Reply) -> Option<String> {
    reply.set_cookies().iter().find_map(|c| {
        c.strip_prefix("dysa_device=")
            .map(|rest| rest.split(';').next().unwrap().to_owned())
    })
}

async fn staff_with_pin(app: &TestApp, admin: &str) -> String {
    let (waiter_id, _) = app.user_with_role(admin, "waiter").await;
    let set = app
        .post(
            &format!("/api/v1/users/{waiter_id}/pin"),
            json!({ "pin": "4821" }),
            admin,
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT);
    waiter_id
}

#[tokio::test]
async fn the_pin_pad_lists_staff_only_to_the_counter_and_known_devices() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let waiter = staff_with_pin(&app, &admin).await;

    // The counter always gets the list.
    let counter = pin_users(&app, COUNTER, None).await;
    assert_eq!(counter.status, StatusCode::OK);
    assert_eq!(counter.body[0]["id"], waiter.as_str());
    // A phone that just joined the Wi-Fi does not, nor with a made-up cookie.
    for cookie in [None, Some("inventado")] {
        let stranger = pin_users(&app, TABLET, cookie).await;
        assert_eq!(stranger.status, StatusCode::FORBIDDEN, "{cookie:?}");
        assert_eq!(stranger.code(), "device_not_known");
        assert!(!stranger.body.to_string().contains("Persona"));
    }

    // Once someone signed in on the tablet, the tablet is known.
    let login = app
        .call_from(
            TABLET,
            Method::POST,
            "/api/v1/auth/login",
            json!({ "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD }),
            Auth::None,
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    let device = device_cookie(&login).expect("the sign-in marks the device");
    let set = login
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("dysa_device="))
        .unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let known = pin_users(&app, TABLET, Some(&device)).await;
    assert_eq!(known.status, StatusCode::OK, "{:?}", known.body);
    assert_eq!(known.body[0]["id"], waiter.as_str());

    // Only the cookie's hash is stored (one row per browser that signed in).
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM known_devices")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    let hashed: String = sha2::Sha256::digest(device.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(stored.contains(&hashed), "{stored:?}");
    assert!(!stored.contains(&device));

    // Signing in again on a known device keeps its cookie (no new one is set).
    let pin = app
        .send({
            let mut request = TestApp::request(
                Method::POST,
                "/api/v1/auth/pin",
                json!({ "user_id": waiter, "pin": "4821" }),
                Auth::None,
            );
            request.headers_mut().insert(
                header::COOKIE,
                format!("dysa_device={device}").parse().unwrap(),
            );
            request
        })
        .await;
    assert_eq!(pin.status, StatusCode::OK, "{:?}", pin.body);
    assert_eq!(device_cookie(&pin), None);
}

#[tokio::test]
async fn with_the_setting_off_the_lan_gets_the_list_as_before() {
    let app = TestApp::with_settings(|s| s.pin_users_known_devices_only = false).await;
    let admin = app.setup().await;
    let waiter = staff_with_pin(&app, &admin).await;
    let listed = pin_users(&app, TABLET, None).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body[0]["id"], waiter.as_str());
}

#[tokio::test]
async fn pausing_online_orders_is_an_operation_with_a_permission() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let state = app.get("/api/v1/online-orders", &waiter).await;
    assert_eq!(state.status, StatusCode::OK);
    assert_eq!(state.body, json!({ "paused": false }));

    let pending = || async {
        dysa_appliance::store::outbox::pending_count(&app.state.db.read)
            .await
            .unwrap()
    };
    let before = pending().await;
    let mut events = app.state.events.subscribe();
    let paused = app
        .put("/api/v1/online-orders", json!({ "paused": true }), &manager)
        .await;
    assert_eq!(paused.status, StatusCode::OK, "{:?}", paused.body);
    assert_eq!(paused.body, json!({ "paused": true }));
    assert_eq!(pending().await, before + 1, "the switch syncs to the cloud");
    let event = events.recv().await.unwrap();
    assert_eq!(
        event.kind,
        dysa_appliance::events::EventKind::SettingsUpdated
    );
    assert!(
        dysa_appliance::ordering::online_paused(&app.state.db)
            .await
            .unwrap()
    );
    let setting = dysa_appliance::store::settings::get(
        &app.state.db.read,
        dysa_domain::settings::keys::ONLINE_PAUSED,
    )
    .await
    .unwrap();
    assert_eq!(setting, Some(json!(true)));

    // Waiters see the switch but may not flip it.
    let refused = app
        .put("/api/v1/online-orders", json!({ "paused": false }), &waiter)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Bad bodies are 4xx with our JSON error, and change nothing.
    for body in [
        json!({}),
        json!({ "paused": "no" }),
        json!({ "paused": false, "until": "22:00" }),
    ] {
        let bad = app.put("/api/v1/online-orders", body.clone(), &admin).await;
        assert!(bad.status.is_client_error(), "{body}: {}", bad.status);
        assert!(!bad.code().is_empty(), "{body}: {:?}", bad.body);
    }
    assert_eq!(
        app.get("/api/v1/online-orders", &admin).await.body,
        json!({ "paused": true })
    );
    let resumed = app
        .put("/api/v1/online-orders", json!({ "paused": false }), &admin)
        .await;
    assert_eq!(resumed.body, json!({ "paused": false }));
}
