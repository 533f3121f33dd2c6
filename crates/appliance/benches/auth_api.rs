//! Login and authenticated-read throughput through the real HTTP server, each beside a
//! baseline measured in the same run: the raw argon2 verification a login must do, and
//! the raw SQLite session lookup an authenticated request must do.
//!
//! `cargo bench -p dysa-appliance --bench auth_api` (env `BENCH_SECS` sets the duration
//! of each measurement, default 5).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;
use support::load;

use support::{EMAIL, PASSWORD};

#[tokio::main]
async fn main() {
    let secs: u64 = std::env::var("BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let duration = Duration::from_secs(secs);
    let dir = tempfile::tempdir().unwrap();
    let support::Running {
        state,
        base,
        client,
        token,
    } = support::start(dir.path().to_path_buf()).await;
    let session: String =
        sqlx::query_scalar("SELECT family_id FROM sessions ORDER BY created_at DESC LIMIT 1")
            .fetch_one(&state.db.read)
            .await
            .unwrap();
    let user_id: String = sqlx::query_scalar("SELECT user_id FROM sessions WHERE family_id = ?")
        .bind(&session)
        .fetch_one(&state.db.read)
        .await
        .unwrap();

    let mut lines = Vec::new();

    // Baseline for login: the argon2id verification alone, same parallelism.
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users LIMIT 1")
        .fetch_one(&state.db.read)
        .await
        .unwrap();
    let login_concurrency = 8;
    let argon = load(login_concurrency, duration, move || {
        let stored = stored.clone();
        async move {
            assert!(dysa_appliance::auth::password::verify(PASSWORD.into(), Some(stored)).await);
        }
    })
    .await;
    lines.push(argon.line("baseline: argon2id verify only", login_concurrency));

    let (c, b) = (client.clone(), base.clone());
    let logins = load(login_concurrency, duration, move || {
        let (c, b) = (c.clone(), b.clone());
        async move {
            let r = c
                .post(format!("{b}/api/v1/auth/login"))
                .json(&serde_json::json!({ "email": EMAIL, "password": PASSWORD }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
    })
    .await;
    lines.push(logins.line("POST /api/v1/auth/login", login_concurrency));

    // Baseline for authenticated reads: the session lookup every request makes.
    let read_concurrency = 64;
    let pool = state.db.read.clone();
    let raw = load(read_concurrency, duration, move || {
        let (pool, session, user_id) = (pool.clone(), session.clone(), user_id.clone());
        async move {
            let row: Option<(String, String)> = sqlx::query_as(
                "SELECT u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.family_id = ? AND s.user_id = ? AND s.revoked_at IS NULL AND u.active = 1",
            )
            .bind(&session)
            .bind(&user_id)
            .fetch_optional(&pool)
            .await
            .unwrap();
            assert!(row.is_some());
        }
    })
    .await;
    lines.push(raw.line("baseline: raw SQLite session lookup", read_concurrency));

    let (c, b) = (client.clone(), base.clone());
    let health = load(read_concurrency, duration, move || {
        let (c, b) = (c.clone(), b.clone());
        async move {
            let r = c.get(format!("{b}/api/v1/setup")).send().await.unwrap();
            assert_eq!(r.status(), 200);
        }
    })
    .await;
    lines.push(health.line(
        "baseline: GET /api/v1/setup (HTTP, no auth)",
        read_concurrency,
    ));

    let (c, b, t) = (client.clone(), base.clone(), token.clone());
    let reads = load(read_concurrency, duration, move || {
        let (c, b, t) = (c.clone(), b.clone(), t.clone());
        async move {
            let r = c
                .get(format!("{b}/api/v1/auth/me"))
                .bearer_auth(&t)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
    })
    .await;
    lines.push(reads.line("GET /api/v1/auth/me (authenticated)", read_concurrency));

    println!("| measurement | concurrency | req/s | p50 ms | p99 ms |");
    println!("|---|---|---|---|---|");
    for line in lines {
        println!("{line}");
    }
}
