//! WhatsApp end to end with the real binaries (issue 18): `dysa-cloud` on a fresh Postgres
//! database, its Graph API pointed at the test's fake of the Cloud API's `messages`
//! endpoint (`common::whatsapp`), and a `dysa-appliance` process on a temp dir linked to
//! it, its assistant on the deterministic parser (no Ollama).
//!
//! A diner writes on WhatsApp (a signed webhook notification, as Meta posts it): the
//! cloud relays it to the counter's assistant, which reads the order from the counter's
//! menu; the diner says "sí" and the order lands at the counter. Staff accept it and mark
//! it ready through the appliance's own API; the diner gets "aceptado" and "listo" at the
//! fake exactly once each, also after the appliance is stopped, started again on the same
//! data and has synced again. Then the counter is killed: the cloud answers the diner
//! itself.
//!
//! The appliance binary is found next to `dysa-cloud` in the target directory
//! (`cargo build -p dysa-appliance`; `cargo test --workspace` builds both).

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

mod common;

use common::whatsapp::{
    ACCESS_TOKEN, APP_SECRET, DINER, Graph, PHONE_NUMBER_ID, VERIFY_TOKEN, fake_graph,
    notification, signature,
};
#[path = "common/processes.rs"]
mod processes;

use processes::{
    Process, appliance_command, call, cloud_command, drop_database, eventually_some, free_port,
    fresh_database, wait_for_health,
};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

/// Open live streams of counters, as the cloud counts them (`presence::STALE_AFTER`).
const ONLINE: &str =
    "SELECT count(*) FROM live_presence WHERE seen_at > now() - interval '45 seconds'";
const PASSWORD: &str = "pastel de choclo 2026";
const ACCEPTED: &str = "¡El restaurante aceptó tu pedido N° 1! Ya lo estamos preparando; te avisamos por aquí cuando esté listo.";
const READY: &str = "¡Tu pedido N° 1 está listo! Te esperamos para retirarlo.";

/// The counter's appliance on `dir` and `port` (the same again after a restart).
fn start_counter(dir: &Path, port: u16) -> Process {
    Process(appliance_command(dir, port).spawn().unwrap())
}

/// The texts the fake Graph API received for the diner, in order.
fn texts(graph: &Graph) -> Vec<String> {
    graph
        .sent()
        .iter()
        .filter(|(number, body)| number == PHONE_NUMBER_ID && body["to"] == DINER)
        .map(|(_, body)| {
            body["text"]["body"]
                .as_str()
                .or_else(|| body["template"]["components"][0]["parameters"][0]["text"].as_str())
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

async fn wait_texts(graph: &Graph, n: usize) -> Vec<String> {
    eventually_some(&format!("{n} messages at the Graph API"), || async {
        let texts = texts(graph);
        (texts.len() >= n).then_some(texts)
    })
    .await
}

/// How many of `texts` are exactly `text`.
fn times(texts: &[String], text: &str) -> usize {
    texts.iter().filter(|t| *t == text).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whatsapp_order_reaches_the_real_counter_and_the_diner_hears_each_status_once() {
    let client = reqwest::Client::new();
    let (graph, graph_url) = fake_graph().await;

    // The cloud on its own database, writing to the fake Graph API.
    let database_url = fresh_database("dysa_wa_e2e").await;
    let cloud_port = free_port();
    let mut cloud = Process(
        cloud_command(&database_url, cloud_port)
            .env(
                "DYSA_CLOUD_PUBLIC_URL",
                format!("http://127.0.0.1:{cloud_port}"),
            )
            .env("DYSA_CLOUD_WHATSAPP_GRAPH_URL", &graph_url)
            .env("DYSA_CLOUD_WHATSAPP_POLL_SECS", "1")
            .env("DYSA_CLOUD_CHAT_RELAY_TIMEOUT_MS", "15000")
            .spawn()
            .unwrap(),
    );
    let cloud_base = format!("http://127.0.0.1:{cloud_port}");
    wait_for_health(&client, &cloud_base, &mut cloud).await;

    // The owner signs up and links the restaurant's WhatsApp number.
    let (status, signup) = call(
        &client,
        reqwest::Method::POST,
        format!("{cloud_base}/api/v1/signup"),
        None,
        json!({"restaurant_name": "Completos Don Tito", "slug": "completos-tito",
               "owner_name": "Tito", "email": "tito@completos.cl", "password": PASSWORD,
               "plan": "pro"}),
    )
    .await;
    assert_eq!(status, 201, "{signup}");
    let location = signup["location_id"].as_str().unwrap().to_owned();
    let (status, login) = call(
        &client,
        reqwest::Method::POST,
        format!("{cloud_base}/api/v1/auth/login"),
        None,
        json!({"email": "tito@completos.cl", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, 200, "{login}");
    let owner = login["access_token"].as_str().unwrap().to_owned();
    let (status, linked) = call(
        &client,
        reqwest::Method::PUT,
        format!("{cloud_base}/api/v1/locations/{location}/whatsapp"),
        Some(&owner),
        json!({"phone_number_id": PHONE_NUMBER_ID, "waba_id": "102290129340398",
               "access_token": ACCESS_TOKEN, "app_secret": APP_SECRET,
               "verify_token": VERIFY_TOKEN}),
    )
    .await;
    assert_eq!(status, 200, "{linked}");
    let webhook = linked["link"]["webhook_url"].as_str().unwrap().to_owned();
    let webhook = format!(
        "{cloud_base}{}",
        &webhook[webhook.find("/api/v1/").unwrap()..]
    );
    // Meta posts a diner's message, signed with the app's secret.
    let diner_writes = |wamid: &'static str, text: &'static str| {
        let client = client.clone();
        let webhook = webhook.clone();
        async move {
            let body = notification(wamid, text).to_string();
            let response = client
                .post(&webhook)
                .header("Content-Type", "application/json")
                .header(
                    "X-Hub-Signature-256",
                    signature(APP_SECRET, body.as_bytes()),
                )
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 200, "{wamid}");
        }
    };

    // The counter: set up, its menu, linked to the cloud.
    let dir = tempfile::tempdir().unwrap();
    let counter_port = free_port();
    let counter_base = format!("http://127.0.0.1:{counter_port}");
    let mut counter = start_counter(dir.path(), counter_port);
    wait_for_health(&client, &counter_base, &mut counter).await;
    let (status, setup) = call(
        &client,
        reqwest::Method::POST,
        format!("{counter_base}/api/v1/setup"),
        None,
        json!({"restaurant_name": "Completos Don Tito", "name": "Ana",
               "email": "ana@completos.cl", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, 201, "{setup}");
    let staff = setup["access_token"].as_str().unwrap().to_owned();
    let at_counter = |method: reqwest::Method, path: &str, body: Value| {
        call(
            &client,
            method,
            format!("{counter_base}{path}"),
            Some(&staff),
            body,
        )
    };
    let (status, category) = at_counter(
        reqwest::Method::POST,
        "/api/v1/menu/categories",
        json!({"name": "Sándwiches"}),
    )
    .await;
    assert_eq!(status, 201, "{category}");
    let (status, item) = at_counter(
        reqwest::Method::POST,
        "/api/v1/menu/items",
        json!({"category_id": category["id"], "name": "Completo italiano", "price": 3500}),
    )
    .await;
    assert_eq!(status, 201, "{item}");
    let (status, connected) = at_counter(
        reqwest::Method::POST,
        "/api/v1/cloud/connect",
        json!({"cloud_url": cloud_base, "enrollment_code": signup["enrollment_code"]}),
    )
    .await;
    assert_eq!(status, 200, "{connected}");
    let db = sqlx::PgPool::connect(&database_url).await.unwrap();
    let scalar = |sql: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    // The menu reached the cloud and the counter holds its live stream.
    eventually_some("the menu in the cloud and the counter online", || async {
        (scalar("SELECT count(*) FROM menu_items").await == 1 && scalar(ONLINE).await > 0)
            .then_some(())
    })
    .await;

    // The diner orders: the counter's assistant reads it from the counter's menu.
    diner_writes("wamid.E2E1", "hola, quiero 2 completos italianos").await;
    let sent = wait_texts(&graph, 1).await;
    assert!(sent[0].contains("Completo italiano"), "{sent:?}");
    assert!(sent[0].contains("$7.000"), "{sent:?}");
    // "Sí": the order is placed in the cloud and lands at the counter.
    diner_writes("wamid.E2E2", "sí").await;
    let sent = wait_texts(&graph, 2).await;
    assert!(
        sent[1].contains("Pedido N° 1 recibido · Total $7.000, pagas al retirar."),
        "{sent:?}"
    );
    let order = eventually_some("the order at the counter", || async {
        let (status, list) =
            at_counter(reqwest::Method::GET, "/api/v1/orders?limit=50", Value::Null).await;
        assert_eq!(status, 200, "{list}");
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["channel"] == "whatsapp")
            .cloned()
    })
    .await;
    assert_eq!(order["status"], "pending", "{order}");
    assert_eq!(order["total"], 7000, "{order}");
    let order_id = order["id"].as_str().unwrap().to_owned();

    // Staff accept it at the counter, then mark it ready.
    let (status, accepted) = at_counter(
        reqwest::Method::POST,
        &format!("/api/v1/orders/{order_id}/status"),
        json!({"status": "confirmed"}),
    )
    .await;
    assert_eq!(status, 200, "{accepted}");
    let sent = wait_texts(&graph, 3).await;
    assert_eq!(sent[2], ACCEPTED, "{sent:?}");
    let (status, ready) = at_counter(
        reqwest::Method::POST,
        &format!("/api/v1/orders/{order_id}/status"),
        json!({"status": "ready"}),
    )
    .await;
    assert_eq!(status, 200, "{ready}");
    let sent = wait_texts(&graph, 4).await;
    assert_eq!(sent[3], READY, "{sent:?}");

    // The counter PC restarts on the same data and syncs again: nothing is said twice.
    drop(counter);
    let mut counter = start_counter(dir.path(), counter_port);
    wait_for_health(&client, &counter_base, &mut counter).await;
    eventually_some("the restarted counter to sync", || async {
        let (status, sync) =
            at_counter(reqwest::Method::GET, "/api/v1/sync/status", Value::Null).await;
        (status == 200 && sync["link"] == "online" && sync["pending"] == 0).then_some(())
    })
    .await;
    eventually_some("the restarted counter online", || async {
        (scalar(ONLINE).await > 0).then_some(())
    })
    .await;
    // The outbox polls every second: three rounds at least.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let sent = texts(&graph);
    assert_eq!(sent.len(), 4, "{sent:?}");
    assert_eq!((times(&sent, ACCEPTED), times(&sent, READY)), (1, 1));
    let (status, seen) = at_counter(
        reqwest::Method::GET,
        &format!("/api/v1/orders/{order_id}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["status"], "ready", "{seen}");

    // The counter dies: the cloud answers the diner itself.
    drop(counter);
    eventually_some("the counter to go offline", || async {
        (scalar(ONLINE).await == 0).then_some(())
    })
    .await;
    diner_writes("wamid.E2E3", "hola, ¿a qué hora abren?").await;
    let sent = wait_texts(&graph, 5).await;
    assert!(!sent[4].is_empty(), "{sent:?}");
    assert_eq!(
        scalar("SELECT count(*) FROM whatsapp_messages WHERE direction = 'out'").await,
        5
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sent = texts(&graph);
    assert_eq!(sent.len(), 5, "{sent:?}");
    assert_eq!((times(&sent, ACCEPTED), times(&sent, READY)), (1, 1));

    db.close().await;
    drop(cloud);
    drop_database(&database_url).await;
}
