//! Backup and restore of a database holding 100,000 orders (two lines each, with their
//! transitions and outbox rows), beside a baseline measured in the same run on the same
//! disk: a plain file copy of the same (checkpointed) database file.
//!
//! `cargo bench -p dysa-appliance --bench backup` (env `BENCH_ORDERS`, default 100000).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use dysa_appliance::backup;
use dysa_appliance::store::Db;
use std::time::Instant;
use support::orders::{insert_batch, seed_items};

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::var("BENCH_ORDERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::Builder::new()
        .prefix("dysa-bench-backup-")
        .tempdir_in(std::env::temp_dir())
        .unwrap();
    let data = dir.path().join("data");
    let db_path = data.join("dysa.db");
    let db = Db::open(&db_path).await.unwrap();
    let items = seed_items(&db).await;
    let seeding = Instant::now();
    let mut written = 0;
    while written < count {
        let batch = 1000.min(count - written);
        let mut tx = db.begin().await.unwrap();
        insert_batch(&mut tx, &db, &items, "2026-11-27", batch).await;
        tx.commit().await.unwrap();
        written += batch;
    }
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&db.write)
        .await
        .unwrap();
    println!(
        "seeded {count} orders in {:.1} s; database file {:.1} MiB",
        seeding.elapsed().as_secs_f64(),
        mib(std::fs::metadata(&db_path).unwrap().len())
    );

    // Baseline: a plain copy of the file (what the manual advice did, appliance stopped).
    let copy = dir.path().join("copy.db");
    let start = Instant::now();
    let copied = std::fs::copy(&db_path, &copy).unwrap();
    let copy_time = start.elapsed();

    // The backup, online (the database stays open): VACUUM INTO, integrity_check,
    // encryption, fsync and rename.
    let key = backup::load_key(&data, db.device_id(), None).unwrap();
    let start = Instant::now();
    let report = backup::create(&db_path, &data.join("backups"), db.device_id(), key)
        .await
        .unwrap();
    let backup_time = start.elapsed();
    db.close().await;

    // Restore (appliance stopped): decrypt, integrity_check, set aside, rename.
    let file = data.join("backups").join(&report.file);
    let start = Instant::now();
    let restored = backup::restore(&data, &file).await.unwrap();
    let restore_time = start.elapsed();
    let start = Instant::now();
    std::fs::copy(&copy, dir.path().join("copy-back.db")).unwrap();
    let copy_back_time = start.elapsed();

    println!("| step | time | size |");
    println!("|---|---|---|");
    println!(
        "| baseline: file copy of the database | {:.2} s | {:.1} MiB |",
        copy_time.as_secs_f64(),
        mib(copied)
    );
    println!(
        "| backup (VACUUM INTO + integrity_check + encrypt + fsync) | {:.2} s | {:.1} MiB |",
        backup_time.as_secs_f64(),
        mib(report.size_bytes)
    );
    println!(
        "| baseline: file copy back | {:.2} s | |",
        copy_back_time.as_secs_f64()
    );
    println!(
        "| restore (decrypt + integrity_check + swap) | {:.2} s | {:.1} MiB |",
        restore_time.as_secs_f64(),
        mib(restored.size_bytes)
    );
}
