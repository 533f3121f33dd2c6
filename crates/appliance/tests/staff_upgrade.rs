//! Upgrading an install made before location keys (docs/SECURITY.md, "Staff credentials
//! stay in the restaurant"): every account still signs in with its password and PIN, the
//! appliance makes its location key, and what waits in the outbox carries the accounts only
//! sealed, never a hash in clear.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp};
use dysa_appliance::auth::password;
use dysa_appliance::sync::location_key;
use dysa_domain::staff_seal;
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

const ADMIN_ID: &str = "0190a7f0-0000-7000-8000-0000000000a1";
const WAITER_ID: &str = "0190a7f0-0000-7000-8000-0000000000a2";

/// A database as the migrations before 0006 left it, with two accounts and an outbox row
/// recorded the old way (hashes in the payload).
async fn old_install(data_dir: &std::path::Path) {
    let old = data_dir.join("old-migrations");
    std::fs::create_dir_all(&old).unwrap();
    let all = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations/appliance");
    for entry in std::fs::read_dir(all).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.as_str() < "0006" {
            std::fs::copy(&path, old.join(name)).unwrap();
        }
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(data_dir.join("dysa.db"))
                .create_if_missing(true),
        )
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    let accounts = [
        (
            ADMIN_ID,
            "Ana Admin",
            "ana@donde-pepe.cl",
            "admin",
            "humitas con albahaca",
            Some("4321"),
        ),
        (
            WAITER_ID,
            "Pedro",
            "pedro@donde-pepe.cl",
            "waiter",
            "sopaipillas pasadas",
            None,
        ),
    ];
    for (id, name, email, role, secret, pin) in accounts {
        let password_hash = password::hash(secret.to_owned()).await.unwrap();
        let pin_hash = match pin {
            Some(pin) => Some(password::hash(pin.to_owned()).await.unwrap()),
            None => None,
        };
        let stamp = "001764000000000-000000-0000000000000abc";
        sqlx::query(
            "INSERT INTO users (id, name, email, role, password_hash, pin_hash, active, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, 1, '2026-11-01T12:00:00.000Z', ?)",
        )
        .bind(id)
        .bind(name)
        .bind(email)
        .bind(role)
        .bind(&password_hash)
        .bind(&pin_hash)
        .bind(stamp)
        .execute(&pool)
        .await
        .unwrap();
        let payload = json!({"id": id, "name": name, "email": email, "role": role,
            "password_hash": password_hash, "pin_hash": pin_hash, "active": true,
            "created_at": "2026-11-01T12:00:00.000Z", "updated_at": stamp});
        sqlx::query(
            "INSERT INTO outbox (mutation_id, entity, entity_id, op, payload, hlc, created_at)
             VALUES (?, 'user', ?, 'upsert', ?, ?, '2026-11-01T12:00:00.000Z')",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(id)
        .bind(payload.to_string())
        .bind(stamp)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
}

async fn status_of(app: &TestApp, path: &str, body: Value) -> StatusCode {
    let reply = app.call(Method::POST, path, body, Auth::None).await;
    reply.status
}

#[tokio::test]
async fn an_old_install_keeps_every_account_and_sends_them_only_sealed() {
    let dir = tempfile::tempdir().unwrap();
    old_install(dir.path()).await;
    let data_dir = dir.path().to_path_buf();
    let app = TestApp::with_settings(|s| s.data_dir = data_dir).await;

    // Every account signs in as before, by password and by PIN.
    let login = |email: &'static str, password: &'static str| {
        status_of(
            &app,
            "/api/v1/auth/login",
            json!({ "email": email, "password": password }),
        )
    };
    assert_eq!(
        login("ana@donde-pepe.cl", "humitas con albahaca").await,
        StatusCode::OK
    );
    assert_eq!(
        login("pedro@donde-pepe.cl", "sopaipillas pasadas").await,
        StatusCode::OK
    );
    assert_eq!(
        status_of(
            &app,
            "/api/v1/auth/pin",
            json!({ "user_id": ADMIN_ID, "pin": "4321" })
        )
        .await,
        StatusCode::OK
    );

    // The outbox carries no hash, and each account's sealed credentials open with the
    // location key made at start into exactly what the counter holds.
    let key = app.state.db.location_key.current().expect("a location key");
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT entity_id, payload FROM outbox WHERE entity = 'user' ORDER BY seq")
            .fetch_all(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(
        rows.len(),
        4,
        "the two old rows, then one re-seal per account"
    );
    for (_, payload) in &rows {
        for secret in ["password_hash", "pin_hash", "$argon2"] {
            assert!(!payload.contains(secret), "{payload}");
        }
    }
    for id in [ADMIN_ID, WAITER_ID] {
        let (_, payload) = rows.iter().rev().find(|(e, _)| e == id).unwrap();
        let payload: Value = serde_json::from_str(payload).unwrap();
        let opened = staff_seal::open(
            key.as_bytes(),
            &key.seal_label(),
            id,
            payload["credentials"].as_str().unwrap(),
        )
        .unwrap();
        let (password_hash, pin_hash): (String, Option<String>) =
            sqlx::query_as("SELECT password_hash, pin_hash FROM users WHERE id = ?")
                .bind(id)
                .fetch_one(&app.state.db.read)
                .await
                .unwrap();
        assert_eq!(opened.password_hash, password_hash);
        assert_eq!(opened.pin_hash, pin_hash);
    }
    // Sealing is done once: a later start finds nothing to re-seal.
    assert_eq!(location_key::reseal_users(&app.state.db).await.unwrap(), 0);
}
