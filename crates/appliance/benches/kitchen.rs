//! A fired course to the kitchen screen: the time from sending `POST /orders/{id}/fire`
//! to the `kitchen.updated` event arriving on the `/api/v1/events` stream the kitchen page
//! listens to, over real HTTP on loopback, 1,000 times (one course of a fresh order each
//! time). Beside it, in the same run, the fire request's own response time: the event's
//! extra cost is the difference.
//!
//! `cargo bench -p dysa-appliance --bench kitchen` (env `BENCH_FIRES`, default 1000).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::json;
use std::time::{Duration, Instant};
use support::Stats;
use support::orders::seed_items;

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

    // The kitchen page's live stream, read as the browser reads it.
    let mut stream = client
        .get(format!("{base}/api/v1/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(stream.status().is_success());
    let (heard, mut hear) = tokio::sync::mpsc::unbounded_channel::<Instant>();
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

    let mut to_screen = Vec::with_capacity(fires);
    let mut response = Vec::with_capacity(fires);
    let start = Instant::now();
    for id in &orders {
        let sent = Instant::now();
        let reply = client
            .post(format!("{base}/api/v1/orders/{id}/fire"))
            .bearer_auth(&token)
            .json(&json!({ "course": "mains" }))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status().as_u16(), 201);
        response.push(sent.elapsed());
        let at = tokio::time::timeout(Duration::from_secs(5), hear.recv())
            .await
            .expect("the event arrives")
            .unwrap();
        to_screen.push(at.duration_since(sent));
    }
    let elapsed = start.elapsed();
    let stats = |latencies: Vec<Duration>| Stats {
        requests: latencies.len(),
        elapsed,
        latencies,
    };
    let (to_screen, response) = (stats(to_screen), stats(response));
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("| measure | fires | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|");
    for (name, s) in [
        ("fire → `kitchen.updated` on /events", &to_screen),
        ("baseline: the fire request's response", &response),
    ] {
        println!(
            "| {name} | {} | {:.2} | {:.2} | {:.2} |",
            s.requests,
            ms(s.percentile(0.50)),
            ms(s.percentile(0.99)),
            ms(s.percentile(1.0)),
        );
    }
}
