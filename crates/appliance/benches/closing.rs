//! The X/Z report of a busy day (10,000 orders, each paid once, a third with a tip)
//! computed by our code (`closing::x_report`: rows selected, then `build_report`) beside a
//! baseline measured in the same run on the same database: the raw SQL sums of the same
//! orders and payments (count, sales, collections per method), the least any report
//! must read. Both must agree on the figures they share.
//!
//! `cargo bench -p dysa-appliance --bench closing` (env `BENCH_ORDERS`, default 10000;
//! `BENCH_RUNS`, default 15).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use dysa_appliance::restaurant::RestaurantSettings;
use dysa_appliance::store::{Db, instant_text};
use std::time::{Duration, Instant};
use support::orders::{insert_batch, seed_items};

const METHODS: [&str; 3] = ["cash", "debit", "credit"];

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The raw sums: orders sold and their total, and per method what the ledger took.
async fn raw_sums(db: &Db, start: &str, end: &str) -> (i64, i64, Vec<(String, i64)>) {
    let (count, sales): (i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(total), 0) FROM orders
         WHERE created_at >= ? AND created_at < ? AND status <> 'cancelled' AND deleted_at IS NULL",
    )
    .bind(start)
    .bind(end)
    .fetch_one(&db.read)
    .await
    .unwrap();
    let methods: Vec<(String, i64)> = sqlx::query_as(
        "SELECT method, sum(amount + tip) FROM payments
         WHERE created_at >= ? AND created_at < ? GROUP BY method ORDER BY method",
    )
    .bind(start)
    .bind(end)
    .fetch_all(&db.read)
    .await
    .unwrap();
    (count, sales, methods)
}

#[tokio::main]
async fn main() {
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let count = env("BENCH_ORDERS", 10_000);
    let runs = env("BENCH_RUNS", 15);
    let dir = tempfile::Builder::new()
        .prefix("dysa-bench-closing-")
        .tempdir_in(std::env::temp_dir())
        .unwrap();
    let db = Db::open(&dir.path().join("data").join("dysa.db"))
        .await
        .unwrap();
    let items = seed_items(&db).await;
    let settings = RestaurantSettings::default();
    let today = dysa_appliance::closing::today(&settings).unwrap();
    let seeding = Instant::now();
    let mut written = 0;
    while written < count {
        let batch = 1000.min(count - written);
        let mut tx = db.begin().await.unwrap();
        let rows = insert_batch(&mut tx, &db, &items, &today.to_string(), batch).await;
        for (n, row) in rows.iter().enumerate() {
            let i = written + n;
            sqlx::query(
                "INSERT INTO payments (id, order_id, method, amount, tip, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(row.row.id.to_string())
            .bind(METHODS[i % METHODS.len()])
            .bind(row.row.state.total.0)
            .bind(if i % 3 == 0 { 1_000 } else { 0 })
            .bind(dysa_appliance::store::now_text())
            .bind(db.tick().to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        written += batch;
    }
    println!(
        "seeded {count} orders and payments in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    let (start, end) =
        dysa_domain::closing::day_window(today, &settings.tz(), settings.day_cutoff_hour).unwrap();
    let (start, end) = (instant_text(start), instant_text(end));
    let mut ours = Vec::new();
    let mut raw = Vec::new();
    let mut report = None;
    let mut sums = None;
    for _ in 0..runs {
        let t = Instant::now();
        report = Some(
            dysa_appliance::closing::x_report(&db, &settings, true)
                .await
                .unwrap(),
        );
        ours.push(t.elapsed());
        let t = Instant::now();
        sums = Some(raw_sums(&db, &start, &end).await);
        raw.push(t.elapsed());
    }
    let report = report.unwrap();
    let (orders_sold, sales, methods) = sums.unwrap();
    // The same figures both ways.
    assert_eq!(report.orders, orders_sold);
    assert_eq!(report.sales.0, sales);
    assert_eq!(report.orders, i64::try_from(count).unwrap());
    for (method, total) in &methods {
        let line = report
            .by_method
            .iter()
            .find(|l| l.method.to_string() == *method)
            .unwrap();
        assert_eq!(line.total.0, *total, "{method}");
    }
    let (ours, raw) = (median(ours), median(raw));
    println!("| orders | runs | Z report (our code) ms | raw SQL sums ms | ratio |");
    println!("|---|---|---|---|---|");
    println!(
        "| {count} | {runs} | {:.1} | {:.1} | {:.1}× |",
        ms(ours),
        ms(raw),
        ms(ours) / ms(raw).max(0.001)
    );
    db.close().await;
}
