//! End to end with the real binaries: `dysa-cloud` on a fresh Postgres database and two
//! `dysa-appliance` processes (two counter PCs of one restaurant) on temp dirs, each
//! talking to the cloud through a TCP proxy the test cuts and restores. Orders are taken on
//! both counters while the link is down; after it returns both converge and the owners' API
//! shows every order exactly once.
//!
//! The appliance binary is found next to `dysa-cloud` in the target directory; `cargo test
//! --workspace` (what `./scripts/test` runs) builds both.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

#[path = "common/processes.rs"]
mod processes;

use processes::{
    Process, Proxy, call, drop_database, eventually, fresh_database, start_appliance, start_cloud,
};
use serde_json::{Value, json};

const PASSWORD: &str = "pastel de choclo 2026";

/// One counter PC: the appliance process and its admin's token.
struct Counter {
    base: String,
    token: String,
    _process: Process,
    _dir: tempfile::TempDir,
}

impl Counter {
    /// Starts a counter holding `location_key`: the two counters of one location share it
    /// (staff accounts travel sealed with it). Placed where the appliance keeps it when the
    /// machine has no keyring; the second counter's approval flow brings it in production.
    async fn start(client: &reqwest::Client, name: &str, location_key: &[u8; 32]) -> Counter {
        let dir = tempfile::tempdir().unwrap();
        let key_file = dysa_appliance::sync::location_key::key_file(dir.path());
        std::fs::create_dir_all(key_file.parent().unwrap()).unwrap();
        std::fs::write(&key_file, location_key).unwrap();
        let (process, base) = start_appliance(client, dir.path()).await;
        let (status, body) = call(
            client,
            reqwest::Method::POST,
            format!("{base}/api/v1/setup"),
            None,
            json!({
                "restaurant_name": "La Picada de Don Tito",
                "name": format!("Admin {name}"),
                "email": format!("admin-{name}@picada.cl"),
                "password": PASSWORD,
            }),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        Counter {
            base,
            token: body["access_token"].as_str().unwrap().to_owned(),
            _process: process,
            _dir: dir,
        }
    }

    async fn call(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> (u16, Value) {
        call(
            client,
            method,
            format!("{}{path}", self.base),
            Some(&self.token),
            body,
        )
        .await
    }

    async fn order(&self, client: &reqwest::Client, item_id: &str) -> String {
        let (status, body) = self
            .call(
                client,
                reqwest::Method::POST,
                "/api/v1/orders",
                json!({"channel": "counter", "lines": [{"item_id": item_id, "quantity": 2}]}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["order"]["id"]
            .as_str()
            .or_else(|| body["id"].as_str())
            .unwrap()
            .to_owned()
    }

    async fn sync_status(&self, client: &reqwest::Client) -> Value {
        self.call(
            client,
            reqwest::Method::GET,
            "/api/v1/sync/status",
            Value::Null,
        )
        .await
        .1
    }

    async fn order_ids(&self, client: &reqwest::Client) -> Vec<String> {
        let (status, body) = self
            .call(
                client,
                reqwest::Method::GET,
                "/api/v1/orders?limit=200",
                Value::Null,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let list = &body["items"];
        list.as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_owned())
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_counters_take_orders_through_an_outage_and_the_cloud_sees_each_once() {
    let client = reqwest::Client::new();

    // The cloud on its own database.
    let database_url = fresh_database("dysa_e2e").await;
    let (cloud, cloud_base, cloud_port) = start_cloud(&client, &database_url).await;

    // The owner signs up and makes a second enrolment code for the second counter.
    let (status, signup) = call(
        &client,
        reqwest::Method::POST,
        format!("{cloud_base}/api/v1/signup"),
        None,
        json!({"restaurant_name": "La Picada de Don Tito", "slug": "picada-tito",
               "owner_name": "Tito", "email": "tito@picada.cl", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, 201, "{signup}");
    let location = signup["location_id"].as_str().unwrap().to_owned();
    let (status, login) = call(
        &client,
        reqwest::Method::POST,
        format!("{cloud_base}/api/v1/auth/login"),
        None,
        json!({"email": "tito@picada.cl", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, 200, "{login}");
    let owner = login["access_token"].as_str().unwrap().to_owned();
    let (status, second_code) = call(
        &client,
        reqwest::Method::POST,
        format!("{cloud_base}/api/v1/locations/{location}/enrollment-codes"),
        Some(&owner),
        Value::Null,
    )
    .await;
    assert!(status == 200 || status == 201, "{second_code}");

    // Two counters, each behind its own cuttable link.
    let proxy_one = Proxy::start(cloud_port).await;
    let proxy_two = Proxy::start(cloud_port).await;
    let location_key: [u8; 32] = rand::random();
    let one = Counter::start(&client, "uno", &location_key).await;
    let two = Counter::start(&client, "dos", &location_key).await;
    for (counter, proxy, code) in [
        (
            &one,
            &proxy_one,
            signup["enrollment_code"].as_str().unwrap(),
        ),
        (
            &two,
            &proxy_two,
            second_code["enrollment_code"].as_str().unwrap(),
        ),
    ] {
        let (status, body) = counter
            .call(
                &client,
                reqwest::Method::POST,
                "/api/v1/cloud/connect",
                json!({"cloud_url": format!("http://127.0.0.1:{}", proxy.port), "enrollment_code": code}),
            )
            .await;
        assert!(status == 200 || status == 201, "connect: {body}");
    }

    // The menu is made on counter one and reaches counter two through the cloud.
    let (status, category) = one
        .call(
            &client,
            reqwest::Method::POST,
            "/api/v1/menu/categories",
            json!({"name": "Platos"}),
        )
        .await;
    assert_eq!(status, 201, "{category}");
    let (status, item) = one
        .call(
            &client,
            reqwest::Method::POST,
            "/api/v1/menu/items",
            json!({"category_id": category["id"], "name": "Pastel de choclo", "price": 8990}),
        )
        .await;
    assert_eq!(status, 201, "{item}");
    let item_id = item["id"].as_str().unwrap().to_owned();
    eventually("the item to reach counter two", || async {
        let (status, _) = two
            .call(
                &client,
                reqwest::Method::GET,
                &format!("/api/v1/menu/items/{item_id}"),
                Value::Null,
            )
            .await;
        status == 200
    })
    .await;

    // Online: an order on each counter.
    let mut taken = vec![
        one.order(&client, &item_id).await,
        two.order(&client, &item_id).await,
    ];

    // The internet goes down; both counters keep taking orders.
    proxy_one.cut().await;
    proxy_two.cut().await;
    for _ in 0..10 {
        taken.push(one.order(&client, &item_id).await);
        taken.push(two.order(&client, &item_id).await);
    }
    eventually("both counters to notice the outage", || async {
        one.sync_status(&client).await["link"] == "offline"
            && two.sync_status(&client).await["link"] == "offline"
    })
    .await;
    assert!(one.sync_status(&client).await["pending"].as_i64().unwrap() > 0);

    // The link returns: everything drains and converges.
    proxy_one.restore();
    proxy_two.restore();
    eventually("both outboxes to drain", || async {
        let (a, b) = (
            one.sync_status(&client).await,
            two.sync_status(&client).await,
        );
        a["pending"] == 0 && b["pending"] == 0 && a["link"] == "online" && b["link"] == "online"
    })
    .await;
    taken.sort();
    eventually("both counters to show every order", || async {
        let (mut a, mut b) = (one.order_ids(&client).await, two.order_ids(&client).await);
        a.sort();
        b.sort();
        a == taken && b == taken
    })
    .await;
    let (status, orders) = call(
        &client,
        reqwest::Method::GET,
        format!("{cloud_base}/api/v1/orders?limit=500"),
        Some(&owner),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{orders}");
    let mut in_cloud: Vec<String> = orders
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    in_cloud.sort();
    assert_eq!(in_cloud, taken, "the cloud shows every order exactly once");
    drop(cloud);
    drop_database(&database_url).await;
}
