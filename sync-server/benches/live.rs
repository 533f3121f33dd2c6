//! Live latency: from an owner's price edit on the cloud to the counter's `/api/v1/events`.
//!
//! A real cloud (on a fresh Postgres database) and a real appliance, both served on loopback
//! in this process and connected through the appliance's own `POST /api/v1/cloud/connect`.
//! Each of 1,000 rounds PATCHes an item's price on the cloud and waits for the appliance's
//! `menu.updated` event (the change travelled: cloud commit → NOTIFY → SSE to the device →
//! pull → SQLite apply → event). Baseline in the same run: the PATCH round trip alone.
//!
//! Run: `cargo bench -p dysa-cloud --bench live` (DATABASE_URL as for the tests).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::send;

use futures::StreamExt;
use serde_json::json;
use std::time::{Duration, Instant};

const ROUNDS: usize = 1_000;
const PASSWORD: &str = "pastel de choclo 2026";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    // The cloud.
    let bench_cloud = support::serve_cloud().await;
    let cloud = bench_cloud.base.clone();
    let client = reqwest::Client::new();
    let (signup, owner) = support::owner_signs_up(&client, &cloud, "bench-live", PASSWORD).await;

    // The appliance.
    let dir = tempfile::tempdir().unwrap();
    let (_appliance_state, counter) = support::serve_appliance(dir.path()).await;
    let (staff, category) = support::set_up_and_link(
        &client,
        &counter,
        &cloud,
        &signup["enrollment_code"],
        PASSWORD,
    )
    .await;
    let item = send(
        client
            .post(format!("{counter}/api/v1/menu/items"))
            .bearer_auth(&staff)
            .json(&json!({"category_id": category, "name": "Completo", "price": 2990})),
    )
    .await;
    let item_id = item["id"].as_str().unwrap().to_owned();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = client
            .get(format!("{cloud}/api/v1/menu/items/{item_id}"))
            .bearer_auth(&owner)
            .send()
            .await
            .unwrap();
        if r.status().is_success() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the item never reached the cloud"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The counter's event stream; lines are read as they arrive.
    let events = client
        .get(format!("{counter}/api/v1/events"))
        .bearer_auth(&staff)
        .send()
        .await
        .unwrap();
    let (tx, mut menu_events) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    tokio::spawn(async move {
        let mut stream = events.bytes_stream();
        let mut buffer = String::new();
        while let Some(Ok(chunk)) = stream.next().await {
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find('\n') {
                let line: String = buffer.drain(..=end).collect();
                if line.trim_end() == "event: menu.updated" && tx.send(Instant::now()).is_err() {
                    return;
                }
            }
        }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    while menu_events.try_recv().is_ok() {}

    let mut live = Vec::with_capacity(ROUNDS);
    let mut patch_only = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        let started = Instant::now();
        send(
            client
                .patch(format!("{cloud}/api/v1/menu/items/{item_id}"))
                .bearer_auth(&owner)
                .json(&json!({"price": 3000 + round as i64 * 10})),
        )
        .await;
        patch_only.push(started.elapsed());
        let arrived = tokio::time::timeout(Duration::from_secs(10), menu_events.recv())
            .await
            .expect("no menu.updated within 10 s")
            .expect("event stream ended");
        live.push(arrived.duration_since(started));
        // Let a second event from the same change (if any) drain before the next round.
        tokio::time::sleep(Duration::from_millis(5)).await;
        while menu_events.try_recv().is_ok() {}
    }
    let final_price = send(
        client
            .get(format!("{counter}/api/v1/menu/items/{item_id}"))
            .bearer_auth(&staff),
    )
    .await;
    assert_eq!(
        final_price["price"].as_i64(),
        Some(3000 + (ROUNDS as i64 - 1) * 10),
        "the counter holds the owner's last price"
    );
    live.sort();
    patch_only.sort();
    println!("| measurement | rounds | p50 | p99 | max |");
    println!("|---|---|---|---|---|");
    println!(
        "| baseline: owner's PATCH round trip on the cloud | {ROUNDS} | {} | {} | {} |",
        ms(percentile(&patch_only, 0.5)),
        ms(percentile(&patch_only, 0.99)),
        ms(*patch_only.last().unwrap())
    );
    println!(
        "| cloud edit → counter's /events (menu.updated) | {ROUNDS} | {} | {} | {} |",
        ms(percentile(&live, 0.5)),
        ms(percentile(&live, 0.99)),
        ms(*live.last().unwrap())
    );
    bench_cloud.drop_database().await;
}
