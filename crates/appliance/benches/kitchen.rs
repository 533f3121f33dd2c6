//! A fired course to the kitchen screen: the time from sending `POST /orders/{id}/fire`
//! to the `kitchen.updated` event arriving on the `/api/v1/events` stream the kitchen page
//! listens to, over real HTTP on loopback, 1,000 times (one course of a fresh order each
//! time). Beside it, in the same run, the fire request's own response time: the event's
//! extra cost is the difference.
//!
//! Then auto-fire on against a manual "Marchar", from the order's side: a counter order
//! placed with the setting `kitchen_auto_fire` on reaches the screen by itself (fired in
//! the placing transaction); with it off the counter places the order and then fires it.
//! Each is timed from sending the order to the `kitchen.updated` event, in alternating
//! blocks of the same run; the baseline is the placing request's own response time.
//!
//! `cargo bench -p dysa-appliance --bench kitchen` (env `BENCH_FIRES`, default 1000).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::json;
use std::time::{Duration, Instant};
use support::Stats;
use support::orders::seed_items;
use tokio::sync::mpsc::UnboundedReceiver;

#[tokio::main]
async fn main() {
    let fires: usize = std::env::var("BENCH_FIRES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::Builder::new()
        .prefix("dysa-bench-")
        .tempdir_in(std::env::temp_dir())
        .unwrap();
    let support::Running {
        state,
        base,
        client,
        token,
    } = support::start(dir.path().join("api")).await;
    let items = seed_items(&state.db).await;

    // The orders, each with one main course waiting ("Esperar").
    let mut orders = Vec::with_capacity(fires);
    for _ in 0..fires {
        let reply: serde_json::Value = client
            .post(format!("{base}/api/v1/orders"))
            .bearer_auth(&token)
            .json(&json!({
                "channel": "dine_in",
                "lines": [{ "item_id": items[0], "quantity": 1, "course": "mains", "seat": 1 }],
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        orders.push(reply["id"].as_str().unwrap().to_owned());
    }

    let mut hear = kitchen_events(&client, &base, &token).await;

    let mut to_screen = Vec::with_capacity(fires);
    let mut response = Vec::with_capacity(fires);
    let start = Instant::now();
    for id in &orders {
        let sent = Instant::now();
        let fire = client.post(format!("{base}/api/v1/orders/{id}/fire"));
        let reply = send(fire, &token, json!({ "course": "mains" })).await;
        assert_eq!(reply.status().as_u16(), 201);
        response.push(sent.elapsed());
        to_screen.push(next_event(&mut hear).await.duration_since(sent));
    }
    print_table(
        "measure",
        "fires",
        start.elapsed(),
        [
            ("fire → `kitchen.updated` on /events", to_screen),
            ("baseline: the fire request's response", response),
        ],
    );

    let item = items[0].to_string();
    auto_fire_against_marchar(&client, &base, &token, &item, fires, &mut hear).await;
}

/// The kitchen page's live stream, read as the browser reads it: the instant each
/// `kitchen.updated` event's chunk arrived.
async fn kitchen_events(
    client: &reqwest::Client,
    base: &str,
    token: &str,
) -> UnboundedReceiver<Instant> {
    let mut stream = client
        .get(format!("{base}/api/v1/events"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert!(stream.status().is_success());
    let (heard, hear) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    tokio::spawn(async move {
        let mut pending = String::new();
        while let Ok(Some(chunk)) = stream.chunk().await {
            let at = Instant::now();
            pending.push_str(&String::from_utf8_lossy(&chunk));
            // One SSE event ends with a blank line.
            while let Some(end) = pending.find("\n\n") {
                let event: String = pending.drain(..end + 2).collect();
                if event.contains("event: kitchen.updated") {
                    let _ = heard.send(at);
                }
            }
        }
    });
    // Let the stream's first frame (`ready`) pass.
    tokio::time::sleep(Duration::from_millis(200)).await;
    hear
}

/// Sends a JSON request as the admin.
async fn send(
    request: reqwest::RequestBuilder,
    token: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    request.bearer_auth(token).json(&body).send().await.unwrap()
}

async fn next_event(hear: &mut UnboundedReceiver<Instant>) -> Instant {
    tokio::time::timeout(Duration::from_secs(5), hear.recv())
        .await
        .expect("the event arrives")
        .unwrap()
}

/// Order → screen with auto-fire on, and with it off plus a "Marchar" right after the
/// order is placed, `fires` orders each, in alternating blocks of 50 so both see the same
/// machine.
async fn auto_fire_against_marchar(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    item: &str,
    fires: usize,
    hear: &mut UnboundedReceiver<Instant>,
) {
    const BLOCK: usize = 50;
    let set_auto_fire = |on: bool| async move {
        let reply = send(
            client.patch(format!("{base}/api/v1/settings")),
            token,
            json!({ "kitchen_auto_fire": on }),
        )
        .await;
        assert!(reply.status().is_success(), "{}", reply.status());
    };
    // A counter order whose one line has no course: what auto-fire sends by itself.
    let place = || async move {
        let sent = Instant::now();
        let order = json!({ "channel": "counter", "lines": [{ "item_id": item, "quantity": 1 }] });
        let reply = send(client.post(format!("{base}/api/v1/orders")), token, order).await;
        assert_eq!(reply.status().as_u16(), 201);
        let body: serde_json::Value = reply.json().await.unwrap();
        (
            sent,
            sent.elapsed(),
            body["id"].as_str().unwrap().to_owned(),
        )
    };
    let (mut auto, mut manual, mut placing) = (Vec::new(), Vec::new(), Vec::new());
    let start = Instant::now();
    while auto.len() < fires || manual.len() < fires {
        set_auto_fire(true).await;
        for _ in 0..BLOCK.min(fires - auto.len()) {
            let (sent, answered, _) = place().await;
            placing.push(answered);
            auto.push(next_event(hear).await.duration_since(sent));
        }
        set_auto_fire(false).await;
        for _ in 0..BLOCK.min(fires - manual.len()) {
            let (sent, answered, id) = place().await;
            placing.push(answered);
            let fire = client.post(format!("{base}/api/v1/orders/{id}/fire"));
            let fired = send(fire, token, json!({ "course": null })).await;
            assert_eq!(fired.status().as_u16(), 201);
            manual.push(next_event(hear).await.duration_since(sent));
        }
    }
    // Nothing else fired: no event left over (a double fire would show here).
    assert!(hear.try_recv().is_err(), "one event per order");
    println!();
    print_table(
        "order → `kitchen.updated` on /events",
        "orders",
        start.elapsed(),
        [
            ("auto-fire on: the order alone", auto),
            ("auto-fire off: the order, then Marchar", manual),
            ("baseline: the order request's response", placing),
        ],
    );
}

/// One Markdown table of p50/p99/max per measure, as BENCHMARKS.md records them.
fn print_table<const N: usize>(
    what: &str,
    count: &str,
    elapsed: Duration,
    rows: [(&str, Vec<Duration>); N],
) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("| {what} | {count} | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|");
    for (name, latencies) in rows {
        let s = Stats {
            requests: latencies.len(),
            elapsed,
            latencies,
        };
        println!(
            "| {name} | {} | {:.2} | {:.2} | {:.2} |",
            s.requests,
            ms(s.percentile(0.50)),
            ms(s.percentile(0.99)),
            ms(s.percentile(1.0)),
        );
    }
}
