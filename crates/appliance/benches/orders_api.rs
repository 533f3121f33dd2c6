//! Durable order creation through the HTTP API with 64 concurrent clients, beside two
//! baselines measured in the same run on the same disk: the same rows inserted straight
//! into SQLite with one commit per order, and the same rows 50 orders per commit (the
//! ceiling). All three use WAL with `synchronous=FULL`.
//!
//! `cargo bench -p dysa-appliance --bench orders_api` (env `BENCH_SECS`, default 5).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use dysa_appliance::store::Db;
use dysa_appliance::store::orders;
use dysa_domain::ids::ItemId;
use serde_json::json;
use std::time::{Duration, Instant};
use support::orders::{raw_order, seed_items};
use support::{load, process_cpu};

/// Orders per second writing `per_commit` orders in each transaction, for `duration`.
async fn raw_rate(
    db: &Db,
    items: &[ItemId; 2],
    per_commit: usize,
    duration: Duration,
) -> (f64, usize) {
    let start = Instant::now();
    let mut count = 0;
    let mut conn = db.write.acquire().await.unwrap();
    while start.elapsed() < duration {
        let mut tx = sqlx::Connection::begin(&mut *conn).await.unwrap();
        let numbers = orders::reserve_numbers(&mut tx, "2026-11-27", per_commit as i64)
            .await
            .unwrap();
        let rows: Vec<_> = (0..per_commit)
            .map(|n| raw_order(db, items, numbers[n]))
            .collect();
        orders::insert_new_orders(&mut tx, &rows).await.unwrap();
        tx.commit().await.unwrap();
        count += per_commit;
    }
    (count as f64 / start.elapsed().as_secs_f64(), count)
}

#[tokio::main]
async fn main() {
    let secs: u64 = std::env::var("BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let duration = Duration::from_secs(secs);
    let dir = tempfile::Builder::new()
        .prefix("dysa-bench-")
        .tempdir_in(std::env::temp_dir())
        .unwrap();

    // CPU time per order beside each rate: on a shared machine the rates move with what
    // else runs, the CPU an order costs much less.
    let cpu_per = |before: Option<Duration>, count: usize| {
        let used = process_cpu()?.checked_sub(before?)?;
        Some(used.as_secs_f64() * 1e6 / count.max(1) as f64)
    };
    let show = |cpu: Option<f64>| cpu.map(|us| format!("{us:.0}")).unwrap_or_default();

    // Baselines on their own database file in the same directory (same disk).
    let raw_db = Db::open(&dir.path().join("raw.db")).await.unwrap();
    let raw_items = seed_items(&raw_db).await;
    let cpu = process_cpu();
    let (one_rate, one_count) = raw_rate(&raw_db, &raw_items, 1, duration).await;
    let one_cpu = cpu_per(cpu, one_count);
    let cpu = process_cpu();
    let (batch_rate, batch_count) = raw_rate(&raw_db, &raw_items, 50, duration).await;
    let batch_cpu = cpu_per(cpu, batch_count);
    raw_db.close().await;

    let support::Running {
        state,
        base,
        client,
        token,
    } = support::start(dir.path().join("api")).await;
    let items = seed_items(&state.db).await;
    let body = json!({
        "channel": "counter",
        "lines": [{ "item_id": items[0], "quantity": 1 }, { "item_id": items[1], "quantity": 1 }],
    })
    .to_string();
    let concurrency = 64;
    let cpu = process_cpu();
    let api = load(concurrency, duration, move || {
        let (client, base, token, body) =
            (client.clone(), base.clone(), token.clone(), body.clone());
        async move {
            let response = client
                .post(format!("{base}/api/v1/orders"))
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201);
        }
    })
    .await;
    let api_cpu = cpu_per(cpu, api.requests);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&state.db.read)
        .await
        .unwrap();
    assert_eq!(
        stored as usize, api.requests,
        "every acknowledged order is stored"
    );

    println!("| measurement | orders | orders/s | p50 ms | p99 ms | CPU µs/order |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| baseline: raw SQLite, 1 order per commit | {one_count} | {one_rate:.0} | | | {} |",
        show(one_cpu)
    );
    println!(
        "| baseline: raw SQLite, 50 orders per commit (ceiling) | {batch_count} | {batch_rate:.0} | | | {} |",
        show(batch_cpu)
    );
    println!(
        "| POST /api/v1/orders, 64 clients, group commit | {} | {:.0} | {:.2} | {:.2} | {} |",
        api.requests,
        api.per_sec(),
        api.percentile(0.50).as_secs_f64() * 1000.0,
        api.percentile(0.99).as_secs_f64() * 1000.0,
        show(api_cpu)
    );
    println!(
        "\nAPI vs 1-per-commit: {:.2}x; API vs batched ceiling: {:.0}%",
        api.per_sec() / one_rate,
        100.0 * api.per_sec() / batch_rate
    );
}
