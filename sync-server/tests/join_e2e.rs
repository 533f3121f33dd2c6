//! End to end, in one process over real TCP: the cloud on a fresh Postgres database and
//! three appliances on temp dirs (docs/SYNC.md, "Joining a location").
//!
//! - counter 1 is set up and linked: it makes and claims the location key;
//! - counter 3 was set up on its own with the same admin email (the release-binary bug:
//!   linked anyway, every order of the other counter stayed parked): its link is refused
//!   with `location_has_counter`, and it keeps its data;
//! - counter 2 joins fresh: it shows a verification code, the admin at counter 1 sees the
//!   same code and approves, counter 2 receives the key and the location's staff, and
//!   counter 1's admin signs in there; orders then flow both ways with nothing parked;
//! - counter 2 is revoked: its token, replayed, gets 401 on every sync route.

#![allow(clippy::unwrap_used)]

#[path = "common/processes.rs"]
mod processes;

use processes::eventually_some;

use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

const PASSWORD: &str = "pastel de choclo 2026";
const ADMIN: &str = "ana@local.cl";

struct Http {
    client: reqwest::Client,
}

impl Http {
    async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.client.request(method, url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, body)
    }

    async fn get(&self, url: &str, token: Option<&str>) -> (u16, Value) {
        self.send(reqwest::Method::GET, url, token, None).await
    }

    async fn post(&self, url: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        let body = (!body.is_null()).then_some(body);
        self.send(reqwest::Method::POST, url, token, body).await
    }
}

/// An appliance serving on a loopback port; its data dir lives as long as it does.
struct Counter {
    url: String,
    dir: tempfile::TempDir,
}

async fn counter() -> Counter {
    let dir = tempfile::tempdir().unwrap();
    let settings = dysa_appliance::settings::Settings {
        data_dir: dir.path().to_path_buf(),
        ollama_url: "http://127.0.0.1:9".into(),
        ..dysa_appliance::settings::Settings::default()
    };
    let state = dysa_appliance::open(settings).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dysa_appliance::serve(
        listener,
        state,
        std::future::pending(),
    ));
    Counter { url, dir }
}

async fn set_up(http: &Http, counter: &Counter, restaurant: &str) -> String {
    let (status, body) = http
        .post(
            &format!("{}/api/v1/setup", counter.url),
            None,
            json!({ "restaurant_name": restaurant, "name": "Ana", "email": ADMIN, "password": PASSWORD }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

async fn enrollment_code(http: &Http, cloud: &str, owner: &str, location: &str) -> String {
    let (status, body) = http
        .post(
            &format!("{cloud}/api/v1/locations/{location}/enrollment-codes"),
            Some(owner),
            Value::Null,
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["enrollment_code"].as_str().unwrap().to_owned()
}

async fn take_order(http: &Http, counter: &Counter, token: &str, item: &str) -> String {
    let (status, body) = http
        .post(
            &format!("{}/api/v1/orders", counter.url),
            Some(token),
            json!({ "channel": "counter", "lines": [{ "item_id": item, "quantity": 1 }] }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

async fn has_order(http: &Http, counter: &Counter, token: &str, id: &str) -> bool {
    let (status, _) = http
        .get(&format!("{}/api/v1/orders/{id}", counter.url), Some(token))
        .await;
    status == 200
}

#[sqlx::test(migrations = false)]
async fn a_second_counter_joins_by_approval_and_a_rival_setup_is_refused(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let state = dysa_cloud::open_with(owner, dysa_cloud::settings::Settings::default())
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let cloud = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dysa_cloud::serve(listener, state, std::future::pending()));
    let http = Http {
        client: reqwest::Client::new(),
    };
    let (status, signup) = http
        .post(
            &format!("{cloud}/api/v1/signup"),
            None,
            json!({ "restaurant_name": "Donde Ana", "slug": "donde-ana", "owner_name": "Dueña",
                    "email": "owner@ana.cl", "password": PASSWORD }),
        )
        .await;
    assert_eq!(status, 201, "{signup}");
    let location = signup["location_id"].as_str().unwrap().to_owned();
    let (_, login) = http
        .post(
            &format!("{cloud}/api/v1/auth/login"),
            None,
            json!({ "email": "owner@ana.cl", "password": PASSWORD }),
        )
        .await;
    let owner = login["access_token"].as_str().unwrap().to_owned();

    // Counter 1: set up, a menu, linked.
    let one = counter().await;
    let admin_one = set_up(&http, &one, "Donde Ana").await;
    let (_, category) = http
        .post(
            &format!("{}/api/v1/menu/categories", one.url),
            Some(&admin_one),
            json!({ "name": "Platos" }),
        )
        .await;
    let (_, item) = http
        .post(
            &format!("{}/api/v1/menu/items", one.url),
            Some(&admin_one),
            json!({ "category_id": category["id"], "name": "Cazuela", "price": 8990 }),
        )
        .await;
    let item = item["id"].as_str().unwrap().to_owned();
    let first_order = take_order(&http, &one, &admin_one, &item).await;
    let (status, body) = http
        .post(
            &format!("{}/api/v1/cloud/connect", one.url),
            Some(&admin_one),
            json!({ "cloud_url": cloud, "enrollment_code": signup["enrollment_code"] }),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // Counter 3: its own setup, same admin email. Linking it is refused and loses nothing.
    let three = counter().await;
    let admin_three = set_up(&http, &three, "Donde Ana (otra caja)").await;
    let code = enrollment_code(&http, &cloud, &owner, &location).await;
    let (status, body) = http
        .post(
            &format!("{}/api/v1/cloud/connect", three.url),
            Some(&admin_three),
            json!({ "cloud_url": cloud, "enrollment_code": code }),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "location_has_counter");
    let (_, sync_three) = http
        .get(
            &format!("{}/api/v1/sync/status", three.url),
            Some(&admin_three),
        )
        .await;
    assert_eq!(sync_three["link"], "not_configured");
    let (status, _) = http
        .get(&format!("{}/api/v1/auth/me", three.url), Some(&admin_three))
        .await;
    assert_eq!(status, 200, "counter 3 keeps its own admin");

    // Counter 2: fresh, joins. Nothing to sign in with yet.
    let two = counter().await;
    let code = enrollment_code(&http, &cloud, &owner, &location).await;
    let (status, progress) = http
        .post(
            &format!("{}/api/v1/setup/join", two.url),
            None,
            json!({ "cloud_url": cloud, "enrollment_code": code, "device_name": "Caja 2" }),
        )
        .await;
    assert_eq!(status, 201, "{progress}");
    assert_eq!(progress["status"], "pending");
    let shown_on_two = progress["verification_code"].as_str().unwrap().to_owned();

    // The admin at counter 1 sees the same code, and approves.
    let (status, requests) = http
        .get(
            &format!("{}/api/v1/sync/join-requests", one.url),
            Some(&admin_one),
        )
        .await;
    assert_eq!(status, 200, "{requests}");
    let requests = requests.as_array().unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["device_name"], "Caja 2");
    assert_eq!(requests[0]["verification_code"], shown_on_two.as_str());
    let id = requests[0]["id"].as_str().unwrap();
    let (status, body) = http
        .post(
            &format!("{}/api/v1/sync/join-requests/{id}/approve", one.url),
            Some(&admin_one),
            Value::Null,
        )
        .await;
    assert_eq!(status, 204, "{body}");

    // Counter 2 takes the key, then the location's staff: the setup screen goes away.
    eventually_some("counter 2 to join", || async {
        let (_, progress) = http
            .get(&format!("{}/api/v1/setup/join", two.url), None)
            .await;
        (progress["status"] == "joined").then_some(())
    })
    .await;
    eventually_some("the staff to reach counter 2", || async {
        let (_, setup) = http.get(&format!("{}/api/v1/setup", two.url), None).await;
        (setup["needed"] == false).then_some(())
    })
    .await;
    // Counter 1's admin signs in at counter 2 with the same password.
    let admin_two = eventually_some("counter 1's admin to sign in at counter 2", || async {
        let (status, body) = http
            .post(
                &format!("{}/api/v1/auth/login", two.url),
                None,
                json!({ "email": ADMIN, "password": PASSWORD }),
            )
            .await;
        (status == 200).then(|| body["access_token"].as_str().unwrap().to_owned())
    })
    .await;

    // Orders flow both ways; nothing stays parked.
    eventually_some("counter 1's order at counter 2", || async {
        has_order(&http, &two, &admin_two, &first_order)
            .await
            .then_some(())
    })
    .await;
    let second_order = take_order(&http, &two, &admin_two, &item).await;
    eventually_some("counter 2's order at counter 1", || async {
        has_order(&http, &one, &admin_one, &second_order)
            .await
            .then_some(())
    })
    .await;
    for (counter, token) in [(&one, &admin_one), (&two, &admin_two)] {
        let (_, status) = http
            .get(&format!("{}/api/v1/sync/status", counter.url), Some(token))
            .await;
        assert_eq!(status["parked"], 0, "{status}");
        let (_, parked) = http
            .get(&format!("{}/api/v1/sync/parked", counter.url), Some(token))
            .await;
        assert_eq!(parked, json!([]));
    }

    // Counter 2 revoked: its token, replayed, opens nothing.
    let token_two = std::fs::read_to_string(two.dir.path().join("cloud-token"))
        .unwrap()
        .trim()
        .to_owned();
    let (_, devices) = http
        .get(&format!("{cloud}/api/v1/devices"), Some(&owner))
        .await;
    let device_two = devices
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Caja 2")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = http
        .post(
            &format!("{cloud}/api/v1/devices/{device_two}/revoke"),
            Some(&owner),
            Value::Null,
        )
        .await;
    assert_eq!(status, 200);
    let sealed = dysa_domain::join::seal_location_key(&[9; 32], &[1; 32]).unwrap();
    for (method, path, body) in [
        (
            "GET",
            "/api/v1/sync/pull?cursor=0&schema_version=1".to_owned(),
            None,
        ),
        (
            "GET",
            "/api/v1/sync/snapshot?cursor=0&schema_version=1".to_owned(),
            None,
        ),
        ("GET", "/api/v1/sync/live".to_owned(), None),
        (
            "POST",
            "/api/v1/sync/push".to_owned(),
            Some(json!({ "schema_version": 1, "mutations": [] })),
        ),
        ("GET", "/api/v1/sync/location-key".to_owned(), None),
        ("GET", "/api/v1/sync/join-requests".to_owned(), None),
        (
            "POST",
            format!("/api/v1/sync/join-requests/{id}/approve"),
            Some(json!({ "sealed_key": sealed })),
        ),
    ] {
        let (status, body) = http
            .send(
                method.parse().unwrap(),
                &format!("{cloud}{path}"),
                Some(&token_two),
                body,
            )
            .await;
        assert_eq!(status, 401, "{method} {path}: {body}");
    }
}
