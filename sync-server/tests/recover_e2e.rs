//! The dead-counter drill, end to end with the real binaries (issue 20; docs/SYNC.md,
//! "Replacing a dead counter"): `dysa-cloud` on a fresh Postgres database; counter A
//! (`dysa-appliance` on a temp dir) is set up, linked through a cuttable proxy, takes
//! orders and a conversation online and more while its internet is down, takes a backup
//! that holds those unsent changes and that backup reaches the cloud (sent by the test
//! with A's own token and key, as A's upload step does: A's link is down, and a link that
//! carried the upload would carry the unsent orders too, so the test sends it itself; that
//! the upload step sends backups while pushes fail is `crates/appliance/tests/sync.rs`,
//! `a_counter_whose_push_keeps_failing_still_uploads_its_backup`); A is killed and its
//! data directory deleted. A fresh counter B, given a new enrolment code by the owner,
//! "recovers this location"; a fault injected right after the rows are copied fails the
//! first try, and asking again on the same install goes on from the copy: every order A acknowledged is there once, the conversation
//! too, the admin signs in with the old password, the report names what came from the
//! backup, what went to the cloud and what may be lost, and the cloud shows each order
//! once.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

#[path = "common/processes.rs"]
mod processes;

use processes::{
    Proxy, call, drop_database, eventually, fresh_database, start_appliance, start_cloud,
};
use serde_json::{Value, json};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Executor};

const PASSWORD: &str = "pastel de choclo 2026";

async fn order(client: &reqwest::Client, base: &str, token: &str, item_id: &str) -> String {
    let (status, body) = call(
        client,
        reqwest::Method::POST,
        format!("{base}/api/v1/orders"),
        Some(token),
        json!({"channel": "counter", "lines": [{"item_id": item_id, "quantity": 1}]}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["order"]["id"]
        .as_str()
        .or_else(|| body["id"].as_str())
        .unwrap()
        .to_owned()
}

async fn order_ids(client: &reqwest::Client, base: &str, token: &str) -> Vec<String> {
    let (status, body) = call(
        client,
        reqwest::Method::GET,
        format!("{base}/api/v1/orders?limit=200"),
        Some(token),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let mut ids: Vec<String> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn count_of(report: &Value, list: &str, key: &str) -> i64 {
    report[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .map_or(0, |r| r["count"].as_i64().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_counter_is_replaced_from_the_clouds_backup_and_nothing_is_doubled() {
    let client = reqwest::Client::new();
    let database_url = fresh_database("dysa_e2e").await;
    let (cloud, cloud_base, cloud_port) = start_cloud(&client, &database_url).await;
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

    // Counter A: set up, linked through its own internet link.
    let proxy = Proxy::start(cloud_port).await;
    let dir_a = tempfile::tempdir().unwrap();
    let (process_a, a) = start_appliance(&client, dir_a.path()).await;
    let (status, setup) = call(
        &client,
        reqwest::Method::POST,
        format!("{a}/api/v1/setup"),
        None,
        json!({"restaurant_name": "La Picada de Don Tito", "name": "Tito",
               "email": "admin@picada.cl", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, 201, "{setup}");
    let token_a = setup["access_token"].as_str().unwrap().to_owned();
    let (status, body) = call(
        &client,
        reqwest::Method::POST,
        format!("{a}/api/v1/cloud/connect"),
        Some(&token_a),
        json!({"cloud_url": format!("http://127.0.0.1:{}", proxy.port),
               "enrollment_code": signup["enrollment_code"]}),
    )
    .await;
    assert_eq!(status, 200, "connect: {body}");
    let (status, category) = call(
        &client,
        reqwest::Method::POST,
        format!("{a}/api/v1/menu/categories"),
        Some(&token_a),
        json!({"name": "Platos"}),
    )
    .await;
    assert_eq!(status, 201, "{category}");
    let (status, item) = call(
        &client,
        reqwest::Method::POST,
        format!("{a}/api/v1/menu/items"),
        Some(&token_a),
        json!({"category_id": category["id"], "name": "Pastel de choclo", "price": 8990}),
    )
    .await;
    assert_eq!(status, 201, "{item}");
    let item_id = item["id"].as_str().unwrap().to_owned();

    // Online: three orders reach the cloud.
    let mut taken = Vec::new();
    for _ in 0..3 {
        taken.push(order(&client, &a, &token_a, &item_id).await);
    }
    eventually("A's outbox to drain", || async {
        let (_, status) = call(
            &client,
            reqwest::Method::GET,
            format!("{a}/api/v1/sync/status"),
            Some(&token_a),
            Value::Null,
        )
        .await;
        status["pending"] == 0 && status["link"] == "online"
    })
    .await;

    // The internet goes down: three more orders and a conversation stay on A.
    proxy.cut().await;
    for _ in 0..3 {
        taken.push(order(&client, &a, &token_a, &item_id).await);
    }
    let (status, conversation) = call(
        &client,
        reqwest::Method::POST,
        format!("{a}/api/v1/conversations"),
        Some(&token_a),
        json!({"channel": "panel"}),
    )
    .await;
    assert_eq!(status, 201, "{conversation}");
    let conversation = conversation["id"].as_str().unwrap().to_owned();
    taken.sort();

    // A backup holds them, unsent; it reaches the cloud with A's own token and key.
    let (status, backups) = call(
        &client,
        reqwest::Method::POST,
        format!("{a}/api/v1/backups"),
        Some(&token_a),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{backups}");
    assert!(backups["last"]["error"].is_null(), "{backups}");
    let (path, modified) = dysa_appliance::backup::list(&dir_a.path().join("backups"))
        .into_iter()
        .next()
        .unwrap();
    let device_a =
        dysa_appliance::backup::crypt::read_device_id(&mut std::fs::File::open(&path).unwrap())
            .unwrap();
    let backup_key = dysa_appliance::backup::load_key(dir_a.path(), device_a, None).unwrap();
    let device_token = dysa_appliance::sync::token::TokenVault::new(dir_a.path(), device_a, None)
        .load_any()
        .unwrap()
        .unwrap();
    let uploader = dysa_appliance::sync::client::CloudClient::new(
        reqwest::Client::new(),
        cloud_base.clone(),
        device_token,
    );
    dysa_appliance::backup::cloud::upload_file(&uploader, &path, modified, &backup_key)
        .await
        .unwrap();

    // A dies: its process and its disk.
    drop(process_a);
    let dir_a_path = dir_a.path().to_path_buf();
    drop(dir_a);
    assert!(!dir_a_path.exists());

    // The owner gives a new code; a fresh counter B recovers the location.
    let (status, code) = call(
        &client,
        reqwest::Method::POST,
        format!("{cloud_base}/api/v1/locations/{location}/enrollment-codes"),
        Some(&owner),
        Value::Null,
    )
    .await;
    assert!(status == 200 || status == 201, "{code}");
    let dir_b = tempfile::tempdir().unwrap();
    let (_process_b, b) = start_appliance(&client, dir_b.path()).await;
    // A fault injected after the copy: B's first claim of its own order-number slot (the
    // step right after the rows are copied) is refused by a trigger put in B's database.
    let mut sqlite = SqliteConnectOptions::new()
        .filename(dir_b.path().join("dysa.db"))
        .connect()
        .await
        .unwrap();
    let device_b: String = sqlx::query_scalar("SELECT device_id FROM device")
        .fetch_one(&mut sqlite)
        .await
        .unwrap();
    // The device id is a UUID read just above, not input.
    sqlite
        .execute(sqlx::AssertSqlSafe(format!(
            "CREATE TRIGGER injected_fault BEFORE INSERT ON settings
             WHEN NEW.key = 'counter_slot.{device_b}'
             BEGIN SELECT RAISE(ABORT, 'injected fault after the copy'); END"
        )))
        .await
        .unwrap();
    let recover = json!({"cloud_url": cloud_base, "enrollment_code": code["enrollment_code"],
                         "device_name": "Caja de reemplazo"});
    let (status, failed) = call(
        &client,
        reqwest::Method::POST,
        format!("{b}/api/v1/setup/recover"),
        None,
        recover.clone(),
    )
    .await;
    assert!(status >= 500, "{status}: {failed}");
    assert!(failed["error"]["code"].is_string(), "{failed}");
    let copied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
        .fetch_one(&mut sqlite)
        .await
        .unwrap();
    assert_eq!(copied, 6, "the rows were copied before the fault");
    sqlite.execute("DROP TRIGGER injected_fault").await.unwrap();
    drop(sqlite);
    // Asked again on the same install: it goes on from the copy (no second copy).
    let (status, report) = call(
        &client,
        reqwest::Method::POST,
        format!("{b}/api/v1/setup/recover"),
        None,
        recover,
    )
    .await;
    assert_eq!(status, 200, "{report}");
    // The cloud names the dead counter by its cloud id.
    assert!(report["backup"]["device_id"].is_string(), "{report}");
    assert_eq!(count_of(&report, "from_backup", "orders"), 6, "{report}");
    assert_eq!(
        count_of(&report, "from_backup", "conversations"),
        1,
        "{report}"
    );
    assert_eq!(count_of(&report, "from_backup", "users"), 1, "{report}");
    assert!(count_of(&report, "sent_to_cloud", "order") >= 3, "{report}");
    assert!(
        count_of(&report, "sent_to_cloud", "conversation") >= 1,
        "{report}"
    );
    assert_eq!(report["synced"], true, "{report}");
    assert_eq!(report["still_pending"], 0, "{report}");
    assert!(
        report["lost_es"]
            .as_str()
            .unwrap()
            .contains("no se puede saber"),
        "{report}"
    );
    // The cloud's rows were already all in the backup: nothing new came down.
    assert_eq!(count_of(&report, "from_cloud", "orders"), 0, "{report}");
    // Recovery is for a fresh counter only, once.
    let (status, again) = call(
        &client,
        reqwest::Method::POST,
        format!("{b}/api/v1/setup/recover"),
        None,
        json!({"cloud_url": cloud_base, "enrollment_code": code["enrollment_code"]}),
    )
    .await;
    assert_eq!(status, 409, "{again}");

    // A's admin signs in on B with the old password; every order is there once, and the
    // conversation.
    let (status, login_b) = call(
        &client,
        reqwest::Method::POST,
        format!("{b}/api/v1/auth/login"),
        None,
        json!({"email": "admin@picada.cl", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, 200, "{login_b}");
    let token_b = login_b["access_token"].as_str().unwrap().to_owned();
    assert_eq!(order_ids(&client, &b, &token_b).await, taken);
    let (status, found) = call(
        &client,
        reqwest::Method::GET,
        format!("{b}/api/v1/conversations/{conversation}"),
        Some(&token_b),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{found}");

    // B keeps working and syncing; the cloud shows every order exactly once.
    taken.push(order(&client, &b, &token_b, &item_id).await);
    taken.sort();
    eventually("the cloud to hold every order once", || async {
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
        in_cloud == taken
    })
    .await;
    assert_eq!(order_ids(&client, &b, &token_b).await, taken);
    drop(cloud);
    drop_database(&database_url).await;
}
