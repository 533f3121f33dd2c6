//! Backups that restore: write, back up, break the live file, restore, nothing lost; a
//! backup under 64 writers is consistent; retention; encryption; the API routes.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use dysa_appliance::backup::{self, crypt};
use serde_json::{Value, json};
use sqlx::Connection;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

async fn app_in(dir: &Path) -> TestApp {
    let dir = dir.to_path_buf();
    TestApp::with_settings(move |s| s.data_dir = dir).await
}

async fn menu_item(app: &TestApp) -> String {
    let db = &app.state.db.write;
    let (now, hlc) = (
        "2026-01-01T00:00:00.000Z",
        "000000000000001-000000-0000000000000001",
    );
    let category = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO menu_categories (id, name, position, created_at, updated_at) VALUES (?, 'Platos', 0, ?, ?)")
        .bind(&category).bind(now).bind(hlc).execute(db).await.unwrap();
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO menu_items (id, category_id, name, price, available, modifier_group_ids, created_at, updated_at) VALUES (?, ?, 'Pastel de choclo', 10990, 1, '[]', ?, ?)")
        .bind(&id).bind(&category).bind(now).bind(hlc).execute(db).await.unwrap();
    id
}

async fn place(app: &TestApp, token: &str, item: &str) -> String {
    let reply = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "counter", "lines": [{ "item_id": item, "quantity": 1 }] }),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

async fn back_up(app: &TestApp) -> PathBuf {
    let report = app.state.backups.run_now(&app.state.events).await;
    assert_eq!(report.error, None);
    assert!(report.verified);
    app.state.backups.dir().join(report.file)
}

async fn order_ids(db_file: &Path) -> Vec<String> {
    let mut conn = sqlx::SqliteConnection::connect_with(
        &sqlx::sqlite::SqliteConnectOptions::new().filename(db_file),
    )
    .await
    .unwrap();
    let ids: Vec<(String,)> = sqlx::query_as("SELECT id FROM orders")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    ids.into_iter().map(|(id,)| id).collect()
}

/// Decrypts a backup of the appliance in `data_dir` to a plain database file.
fn decrypt_to(data_dir: &Path, file: &Path, out: &Path) {
    let device = crypt::read_device_id(&mut std::fs::File::open(file).unwrap()).unwrap();
    let key = backup::load_key(data_dir, device, None).unwrap();
    let mut output = std::fs::File::create(out).unwrap();
    crypt::decrypt(&key, &mut std::fs::File::open(file).unwrap(), &mut output).unwrap();
}

#[tokio::test]
async fn a_broken_database_is_restored_with_every_acknowledged_order() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path()).await;
    let admin = app.setup().await;
    let item = menu_item(&app).await;
    let mut acknowledged = Vec::new();
    for _ in 0..20 {
        acknowledged.push(place(&app, &admin, &item).await);
    }
    let file = back_up(&app).await;
    // A restore is refused while the appliance holds the data directory.
    let refused = backup::restore(dir.path(), &file).await;
    assert!(
        matches!(refused, Err(backup::BackupError::Running(_))),
        "{refused:?}"
    );
    dysa_appliance::close(&app.state).await;
    drop(app);

    // Break the live file: overwrite everything after the first page.
    let live = dir.path().join("dysa.db");
    let mut bytes = std::fs::read(&live).unwrap();
    for byte in bytes.iter_mut().skip(4096) {
        *byte = 0xA5;
    }
    std::fs::write(&live, &bytes).unwrap();
    assert!(backup::integrity_check(&live).await.is_err());

    let report = backup::restore(dir.path(), &file).await.unwrap();
    let aside = report.set_aside.unwrap();
    assert!(aside.exists(), "the broken database is kept aside");
    assert!(!dir.path().join("dysa.db-wal").exists());
    backup::integrity_check(&live).await.unwrap();

    let app = app_in(dir.path()).await;
    let login = app.login(common::ADMIN_EMAIL, common::ADMIN_PASSWORD).await;
    let token = login.body["access_token"].as_str().unwrap().to_owned();
    for id in &acknowledged {
        let reply = app.get(&format!("/api/v1/orders/{id}"), &token).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "order {id} lost: {:?}",
            reply.body
        );
    }
    // The restored appliance takes orders again.
    place(&app, &token, &item).await;
    dysa_appliance::close(&app.state).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_64_writers_holds_every_order_acknowledged_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = std::sync::Arc::new(app_in(dir.path()).await);
    let admin = app.setup().await;
    let item = menu_item(&app).await;
    let acked: std::sync::Arc<std::sync::Mutex<Vec<(String, std::time::Instant)>>> =
        std::sync::Arc::default();
    let writers: Vec<_> = (0..64)
        .map(|_| {
            let (app, admin, item, acked) =
                (app.clone(), admin.clone(), item.clone(), acked.clone());
            tokio::spawn(async move {
                for _ in 0..15 {
                    let id = place(&app, &admin, &item).await;
                    acked.lock().unwrap().push((id, std::time::Instant::now()));
                }
            })
        })
        .collect();
    // Let the writers get going, then back up in the middle of them.
    while acked.lock().unwrap().len() < 200 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let started = std::time::Instant::now();
    let file = back_up(&app).await;
    for writer in writers {
        writer.await.unwrap();
    }
    let plain = dir.path().join("check.db");
    decrypt_to(dir.path(), &file, &plain);
    backup::integrity_check(&plain).await.unwrap();
    let in_backup: std::collections::HashSet<String> =
        order_ids(&plain).await.into_iter().collect();
    let before: Vec<String> = acked
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, at)| *at < started)
        .map(|(id, _)| id.clone())
        .collect();
    assert!(before.len() >= 200);
    for id in &before {
        assert!(
            in_backup.contains(id),
            "order {id} acknowledged before the backup is missing"
        );
    }
    assert!(in_backup.len() <= 64 * 15);
    dysa_appliance::close(&app.state).await;
}

#[test]
fn retention_deletes_only_backups_older_than_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let now = SystemTime::now();
    let day = Duration::from_secs(86_400);
    let make = |name: &str, age_days: u64| {
        let path = dir.path().join(name);
        std::fs::write(&path, b"x").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(now - day * age_days as u32).unwrap();
        path
    };
    let fresh = make("dysa-fresh.dysabak", 1);
    let edge = make("dysa-edge.dysabak", 29);
    let old = make("dysa-old.dysabak", 31);
    let older = make("dysa-older.dysabak", 90);
    let unrelated = make("notes.txt", 400);
    let deleted = backup::prune(dir.path(), day * 30, now);
    assert_eq!(deleted.len(), 2, "{deleted:?}");
    assert!(fresh.exists() && edge.exists() && unrelated.exists());
    assert!(!old.exists() && !older.exists());

    // Left off for months: the newest backup is kept even when past the window.
    let lonely = tempfile::tempdir().unwrap();
    let only = lonely.path().join("dysa-only.dysabak");
    std::fs::write(&only, b"x").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&only)
        .unwrap()
        .set_modified(now - day * 100)
        .unwrap();
    assert!(backup::prune(lonely.path(), day * 30, now).is_empty());
    assert!(only.exists());
}

#[tokio::test]
async fn a_backup_is_unreadable_without_its_key_and_a_tampered_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path()).await;
    let admin = app.setup().await;
    let item = menu_item(&app).await;
    place(&app, &admin, &item).await;
    let file = back_up(&app).await;
    dysa_appliance::close(&app.state).await;
    drop(app);
    let sealed = std::fs::read(&file).unwrap();
    // Nothing of the database shows in the file.
    for needle in [&b"SQLite format 3"[..], b"Pastel de choclo", b"Donde Pepe"] {
        assert!(!sealed.windows(needle.len()).any(|w| w == needle));
    }
    // Another key does not open it.
    let wrong = tempfile::tempdir().unwrap();
    let restored = backup::restore(wrong.path(), &file).await;
    assert!(
        matches!(
            restored,
            Err(backup::BackupError::Crypt(crypt::CryptError::Tampered))
        ),
        "{restored:?}"
    );
    assert!(!wrong.path().join("dysa.db").exists());

    // One flipped byte: refused, and the live database is left as it was.
    let before = std::fs::read(dir.path().join("dysa.db")).unwrap();
    let mut tampered = sealed.clone();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 0x01;
    let bad = dir.path().join("tampered.dysabak");
    std::fs::write(&bad, &tampered).unwrap();
    let refused = backup::restore(dir.path(), &bad).await;
    assert!(
        matches!(
            refused,
            Err(backup::BackupError::Crypt(crypt::CryptError::Tampered))
        ),
        "{refused:?}"
    );
    assert_eq!(std::fs::read(dir.path().join("dysa.db")).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restore"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Not a backup at all.
    let junk = dir.path().join("junk.dysabak");
    std::fs::write(&junk, b"hello").unwrap();
    assert!(matches!(
        backup::restore(dir.path(), &junk).await,
        Err(backup::BackupError::Crypt(crypt::CryptError::NotABackup))
    ));
}

#[tokio::test]
async fn the_backup_routes_are_for_admins_and_report_the_last_backup() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let empty = app.get("/api/v1/backups", &admin).await;
    assert_eq!(empty.status, StatusCode::OK, "{:?}", empty.body);
    assert_eq!(empty.body["last"], Value::Null);
    assert_eq!(empty.body["interval_hours"], 6);
    assert_eq!(empty.body["retention_days"], 30);
    for role in ["manager", "waiter", "viewer"] {
        let (_, token) = app.user_with_role(&admin, role).await;
        assert_eq!(
            app.get("/api/v1/backups", &token).await.status,
            StatusCode::FORBIDDEN
        );
        let post = app.post("/api/v1/backups", Value::Null, &token).await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
        assert!(post.body["error"]["code"].is_string(), "{:?}", post.body);
    }
    assert_eq!(
        app.get("/api/v1/backups", "not-a-token").await.status,
        StatusCode::UNAUTHORIZED
    );
    let mut events = app.state.events.subscribe();
    let taken = app.post("/api/v1/backups", Value::Null, &admin).await;
    assert_eq!(taken.status, StatusCode::OK, "{:?}", taken.body);
    let last = &taken.body["last"];
    assert_eq!(last["verified"], true);
    assert_eq!(last["error"], Value::Null);
    assert!(last["size_bytes"].as_u64().unwrap() > 0);
    assert_eq!(taken.body["count"], 1);
    assert_eq!(
        events.recv().await.unwrap().kind,
        dysa_appliance::events::EventKind::BackupTaken
    );
    let status = app.get("/api/v1/backups", &admin).await;
    assert_eq!(status.body["last"]["file"], last["file"]);

    // A backup that cannot be written is reported and published, never a 500.
    let backups_dir = app.state.backups.dir();
    std::fs::remove_dir_all(&backups_dir).unwrap();
    std::fs::write(&backups_dir, b"a file where the folder should be").unwrap();
    let failed = app
        .post("/api/v1/backups", json!({ "unexpected": true }), &admin)
        .await;
    assert_eq!(failed.status, StatusCode::OK, "{:?}", failed.body);
    assert_eq!(failed.body["last"]["verified"], false);
    assert!(failed.body["last"]["error"].is_string());
    assert_eq!(
        events.recv().await.unwrap().kind,
        dysa_appliance::events::EventKind::BackupFailed
    );
}

#[tokio::test]
async fn a_second_appliance_on_the_same_data_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path()).await;
    let settings = dysa_appliance::settings::Settings {
        data_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    let second = dysa_appliance::open(settings.clone()).await;
    assert!(matches!(
        second,
        Err(dysa_appliance::OpenError::Backup(
            backup::BackupError::Running(_)
        ))
    ));
    dysa_appliance::close(&app.state).await;
    let third = dysa_appliance::open(settings).await.unwrap();
    dysa_appliance::close(&third).await;
}

#[tokio::test]
async fn a_database_with_migrations_to_run_is_backed_up_first() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("dysa.db");
    // No database yet: nothing to keep.
    assert!(
        backup::before_migrations(dir.path(), &db_path)
            .await
            .unwrap()
            .is_none()
    );
    let app = app_in(dir.path()).await;
    app.setup().await;
    dysa_appliance::close(&app.state).await;
    drop(app);
    // Up to date: no copy.
    assert!(
        backup::before_migrations(dir.path(), &db_path)
            .await
            .unwrap()
            .is_none()
    );
    // As if the newest migration had not run yet (an upgrade is about to apply it).
    let newest = dysa_appliance::store::MIGRATOR
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap();
    let mut conn = sqlx::SqliteConnection::connect_with(
        &sqlx::sqlite::SqliteConnectOptions::new().filename(&db_path),
    )
    .await
    .unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ?")
        .bind(newest)
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let report = backup::before_migrations(dir.path(), &db_path)
        .await
        .unwrap()
        .expect("a copy before migrating");
    assert!(report.verified);
    assert!(dir.path().join("backups").join(&report.file).exists());
}

#[tokio::test]
async fn the_restore_command_refuses_a_running_appliance_then_restores_and_says_what_it_did() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path()).await;
    let admin = app.setup().await;
    let item = menu_item(&app).await;
    let id = place(&app, &admin, &item).await;
    let file = back_up(&app).await;
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_dysa-appliance"))
            .arg("--data-dir")
            .arg(dir.path())
            .arg("restore")
            .arg(&file)
            .env("DYSA_LOG_FORMAT", "pretty")
            .output()
            .unwrap()
    };
    let refused = run();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("running"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    dysa_appliance::close(&app.state).await;
    drop(app);
    let done = run();
    let out = String::from_utf8_lossy(&done.stdout);
    assert!(
        done.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(out.contains("before-restore-"), "{out}");
    assert!(order_ids(&dir.path().join("dysa.db")).await.contains(&id));
}

/// docs/SECURITY.md, "Replacing a dead counter": the backup carries the location key (so a
/// replacement can open the staff) in a table of the copy only; taking it out leaves none
/// of its bytes in the file, and a restored live database never holds it.
#[tokio::test]
async fn a_backup_carries_the_location_key_and_a_restore_leaves_it_out() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path()).await;
    app.setup().await;
    let key = app
        .state
        .db
        .location_key
        .current()
        .expect("setup made the key");
    let file = back_up(&app).await;
    dysa_appliance::close(&app.state).await;
    drop(app);
    let contains = |bytes: &[u8]| bytes.windows(32).any(|w| w == key.as_bytes().as_slice());

    let plain = dir.path().join("plain.db");
    decrypt_to(dir.path(), &file, &plain);
    let held = backup::take_location_key(&plain).await.unwrap().unwrap();
    assert_eq!(held.fingerprint(), key.fingerprint());
    assert!(backup::take_location_key(&plain).await.unwrap().is_none());
    assert!(!contains(&std::fs::read(&plain).unwrap()));

    backup::restore(dir.path(), &file).await.unwrap();
    let live = dir.path().join("dysa.db");
    assert!(!contains(&std::fs::read(&live).unwrap()));
    let mut conn = sqlx::SqliteConnection::connect_with(
        &sqlx::sqlite::SqliteConnectOptions::new().filename(&live),
    )
    .await
    .unwrap();
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    conn.close().await.unwrap();
    assert!(tables.iter().all(|(t,)| t != backup::LOCATION_KEY_TABLE));
    assert!(tables.iter().any(|(t,)| t == "orders"));
}
