//! Backup, restore and recovery of a location with 100,000 orders (issue 20, "Show"),
//! each beside a baseline measured in the same run on the same disk and loopback:
//!
//! - (a) counter A's backup (`VACUUM INTO` + `integrity_check` + encryption + fsync), its
//!   size, and its upload to the cloud (8 MiB parts, the recovery copy of the key);
//!   baselines: a plain copy of the database file, and a parts-only download of the same
//!   bytes from the cloud;
//! - (b) the restore of that backup file (`dysa-appliance restore FILE`: decrypt,
//!   `integrity_check`, swap) into a stopped data directory; baseline: the file copy;
//! - (c) the recovery of the location on a fresh counter B (`POST /setup/recover`: enrol,
//!   download, decrypt, check, migrate, copy the rows, first push + pull); baselines: the
//!   parts-only download, and the raw SQLite inserts of the same orders.
//!
//! A real cloud (fresh Postgres database) and two real appliances, all served on loopback
//! in this process. The orders are seeded fast as raw rows straight into A's database, in
//! transactions of 1,000 orders, with their outbox rows (`store::orders::insert_new_orders`,
//! the same rows the API writes); A's own sync loop then pushes them to the cloud in its
//! batches of 500 mutations, as a counter catching up does, so the cloud holds the
//! location's 100,000 orders before the backup is taken.
//!
//! Run: `nice cargo bench -p dysa-cloud --bench recovery` (DATABASE_URL as for the tests;
//! `-- --orders N` for fewer orders).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::send;

#[allow(dead_code)]
#[path = "../../crates/appliance/benches/support/orders.rs"]
mod orders;

use dysa_appliance::backup;
use dysa_domain::ids::ItemId;
use serde_json::{Value, json};
use std::str::FromStr;
use std::time::{Duration, Instant};

const PASSWORD: &str = "pastel de choclo 2026";

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn orders_wanted() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--orders")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

async fn pending(client: &reqwest::Client, base: &str, token: &str) -> (i64, Value) {
    let status = send(
        client
            .get(format!("{base}/api/v1/sync/status"))
            .bearer_auth(token),
    )
    .await;
    (status["pending"].as_i64().unwrap_or(-1), status)
}

#[tokio::main]
async fn main() {
    let count = orders_wanted();
    // The cloud.
    let bench_cloud = support::serve_cloud().await;
    let cloud = bench_cloud.base.clone();
    let client = reqwest::Client::new();
    let (signup, owner) =
        support::owner_signs_up(&client, &cloud, "bench-recovery", PASSWORD).await;
    let location = signup["location_id"].as_str().unwrap().to_owned();

    // Counter A: set up, linked, two menu items made through the API (so they sync).
    let work = tempfile::Builder::new()
        .prefix("dysa-bench-recovery-")
        .tempdir_in(std::env::temp_dir())
        .unwrap();
    let dir_a = work.path().join("a");
    let (state_a, a) = support::serve_appliance(&dir_a).await;
    let (staff, category) =
        support::set_up_and_link(&client, &a, &cloud, &signup["enrollment_code"], PASSWORD).await;
    let mut items = Vec::new();
    for (name, price) in [("Pastel de choclo", 10990), ("Pebre con sopaipas", 2995)] {
        let item = send(
            client
                .post(format!("{a}/api/v1/menu/items"))
                .bearer_auth(&staff)
                .json(&json!({"category_id": category, "name": name, "price": price})),
        )
        .await;
        items.push(ItemId::from_str(item["id"].as_str().unwrap()).unwrap());
    }
    let items = [items[0], items[1]];

    // Seed: raw rows in transactions of 1,000 orders (also the "raw inserts" baseline).
    let db = &state_a.db;
    let seeding = Instant::now();
    let mut written = 0;
    while written < count {
        let batch = 1000.min(count - written);
        let mut tx = db.begin().await.unwrap();
        orders::insert_batch(&mut tx, db, &items, "2026-11-27", batch).await;
        tx.commit().await.unwrap();
        written += batch;
    }
    let raw_inserts = seeding.elapsed();
    state_a.sync.sync_now();
    // A's sync loop pushes them (it woke on the outbox writes).
    let pushing = Instant::now();
    let deadline = Instant::now() + Duration::from_secs(3600);
    loop {
        let (left, status) = pending(&client, &a, &staff).await;
        if left == 0 && status["rejected"].as_i64().unwrap_or(0) == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "A never caught up: {status}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let push_time = pushing.elapsed();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&db.write)
        .await
        .unwrap();
    let db_path = state_a.settings.database_path();
    let db_size = std::fs::metadata(&db_path).unwrap().len();
    println!(
        "seeded {count} orders: raw inserts {}, pushed to the cloud by A's sync in {}; database {:.1} MiB",
        secs(raw_inserts),
        secs(push_time),
        mib(db_size)
    );

    // Baseline: a plain copy of the database file.
    let start = Instant::now();
    std::fs::copy(&db_path, work.path().join("copy.db")).unwrap();
    let copy_time = start.elapsed();

    // (a) The backup, online (A keeps running), into a directory of the bench's own so
    // A's upload step does not send it by itself.
    let device_a = db.device_id();
    let key = backup::load_key(&dir_a, device_a, None).unwrap();
    let bench_backups = work.path().join("backups");
    let start = Instant::now();
    let report = backup::create(&db_path, &bench_backups, device_a, key.clone())
        .await
        .unwrap();
    let backup_time = start.elapsed();
    let file = bench_backups.join(&report.file);

    // (a) The upload, with A's own device token, as A's upload step does.
    let token = dysa_appliance::sync::token::TokenVault::new(&dir_a, device_a, None)
        .load_any()
        .unwrap()
        .unwrap();
    let uploader = dysa_appliance::sync::client::CloudClient::new(
        reqwest::Client::new(),
        cloud.clone(),
        token,
    );
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
    let start = Instant::now();
    let held = backup::cloud::upload_file(&uploader, &file, modified, &key)
        .await
        .unwrap();
    let upload_time = start.elapsed();

    // Baseline: the same bytes downloaded, parts only (no decryption, no database).
    let start = Instant::now();
    backup::cloud::download(&uploader, &held, &work.path().join("download.tmp"))
        .await
        .unwrap();
    let download_time = start.elapsed();

    // (b) The restore of the backup file into a stopped data directory holding A's key.
    let stopped = work.path().join("stopped");
    std::fs::create_dir_all(stopped.join("secrets")).unwrap();
    std::fs::copy(backup::key_file(&dir_a), backup::key_file(&stopped)).unwrap();
    let start = Instant::now();
    let restored = backup::restore(&stopped, &file).await.unwrap();
    let restore_time = start.elapsed();

    // (c) A dies; a fresh counter B recovers the location from the cloud.
    let code = send(
        client
            .post(format!(
                "{cloud}/api/v1/locations/{location}/enrollment-codes"
            ))
            .bearer_auth(&owner),
    )
    .await;
    let dir_b = work.path().join("b");
    let (_state_b, b) = support::serve_appliance(&dir_b).await;
    let start = Instant::now();
    let recovered = send(
        client
            .post(format!("{b}/api/v1/setup/recover"))
            .timeout(Duration::from_secs(3600))
            .json(
                &json!({"cloud_url": cloud, "enrollment_code": code["enrollment_code"],
                           "device_name": "Caja de reemplazo"}),
            ),
    )
    .await;
    let recovery_time = start.elapsed();
    let orders_back = recovered["from_backup"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "orders")
        .map_or(0, |r| r["count"].as_i64().unwrap());
    assert_eq!(orders_back, count as i64, "{recovered}");
    assert_eq!(recovered["synced"], true, "{recovered}");

    println!();
    println!("| step | time | size |");
    println!("|---|---|---|");
    println!(
        "| baseline: raw SQLite inserts of the {count} orders (A, transactions of 1,000) | {} | |",
        secs(raw_inserts)
    );
    println!(
        "| baseline: plain file copy of the database | {} | {:.1} MiB |",
        secs(copy_time),
        mib(db_size)
    );
    println!(
        "| (a) backup: VACUUM INTO + integrity_check + encrypt + fsync | **{}** | {:.1} MiB |",
        secs(backup_time),
        mib(report.size_bytes)
    );
    println!(
        "| (a) upload to the cloud ({} parts of 8 MiB + key) | **{}** | {:.1} MiB |",
        held.parts,
        secs(upload_time),
        mib(held.size_bytes)
    );
    println!(
        "| baseline: parts-only download of the same bytes | {} | |",
        secs(download_time)
    );
    println!(
        "| (b) restore FILE: decrypt + integrity_check + swap | **{}** | {:.1} MiB |",
        secs(restore_time),
        mib(restored.size_bytes)
    );
    println!(
        "| (c) POST /setup/recover: enrol, download, open, migrate, copy, first push + pull | **{}** | {orders_back} orders |",
        secs(recovery_time)
    );
    println!(
        "| (c) as the appliance timed it (`duration_ms`) | {:.2} s | |",
        recovered["duration_ms"].as_f64().unwrap_or(0.0) / 1000.0
    );

    bench_cloud.drop_database().await;
}
