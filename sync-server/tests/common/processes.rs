//! The real-binary harness shared by the end-to-end tests (`sync_e2e`, `recover_e2e`,
//! `whatsapp_e2e`): a fresh Postgres database per test, `dysa-cloud` and `dysa-appliance`
//! spawned as processes (killed when dropped), waiting for `/health`, plain JSON calls, and
//! a TCP proxy whose link the test cuts and restores. Included with
//! `#[path = "common/processes.rs"] mod processes;` so a test takes only this part.
//!
//! The appliance binary is found next to `dysa-cloud` in the target directory; `cargo test
//! --workspace` (what `./scripts/test` runs) builds both.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use sqlx::{Connection, Executor};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// A loopback port free right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A TCP proxy whose link can be cut (open connections dropped, new ones refused at once)
/// and restored, like a restaurant's internet going down.
pub struct Proxy {
    pub port: u16,
    up: Arc<AtomicBool>,
    connections: Arc<tokio::sync::Mutex<JoinSet<()>>>,
}

impl Proxy {
    /// A proxy to `127.0.0.1:upstream`, link up.
    pub async fn start(upstream: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let connections = Arc::new(tokio::sync::Mutex::new(JoinSet::new()));
        let (flag, set) = (up.clone(), connections.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                if !flag.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                set.lock().await.spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(("127.0.0.1", upstream)).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Proxy {
            port,
            up,
            connections,
        }
    }

    /// The link goes down.
    pub async fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.connections.lock().await.abort_all();
    }

    /// The link comes back.
    pub fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// A child process killed when dropped, pass or fail.
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A binary of this workspace, next to `dysa-cloud` in the target directory.
pub fn binary(name: &str) -> PathBuf {
    let cloud = PathBuf::from(env!("CARGO_BIN_EXE_dysa-cloud"));
    let path = cloud.with_file_name(name);
    assert!(
        path.exists(),
        "{} is missing: build it first (`cargo build -p dysa-appliance`; `cargo test --workspace` does)",
        path.display()
    );
    path
}

/// Waits (60 s at most) until `base` answers `/health`; fails if the process exits.
pub async fn wait_for_health(client: &reqwest::Client, base: &str, child: &mut Process) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = client.get(format!("{base}/health")).send().await
            && r.status().is_success()
        {
            return;
        }
        assert!(child.0.try_wait().unwrap().is_none(), "{base} exited early");
        assert!(Instant::now() < deadline, "{base} not healthy within 60 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One JSON call: its status and JSON body (`Null` when none).
pub async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut request = client.request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if !body.is_null() {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// The Postgres server's admin URL (`DATABASE_URL`, as for `#[sqlx::test]`).
pub fn admin_url() -> String {
    std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A new empty database named `<prefix>_<uuid>`; its URL.
pub async fn fresh_database(prefix: &str) -> String {
    let admin = admin_url();
    let name = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    // A database name cannot be a bind parameter; this one is made here from a UUID.
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .unwrap();
    let (base, _) = admin.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

/// Drops the test's database (`WITH (FORCE)` closes the stopped cloud's leftovers).
pub async fn drop_database(url: &str) {
    let (_, name) = url.rsplit_once('/').unwrap();
    let mut conn = sqlx::PgConnection::connect(&admin_url()).await.unwrap();
    conn.execute(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .await
    .unwrap();
}

/// Polls `check` until it answers `Some`, for at most 60 s.
pub async fn eventually_some<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Polls `check` until it answers `true`, for at most 60 s.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    eventually_some(what, || {
        let answer = check();
        async move { answer.await.then_some(()) }
    })
    .await;
}

/// `dysa-cloud` on `database_url`, listening on `port` (add `.env(...)`, then spawn).
pub fn cloud_command(database_url: &str, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dysa-cloud"));
    command
        .env("DATABASE_URL", database_url)
        .env("DYSA_CLOUD_DATABASE_URL", database_url)
        .env("DYSA_CLOUD_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// `dysa-cloud` on `database_url`, healthy: the process, its base URL and port.
pub async fn start_cloud(client: &reqwest::Client, database_url: &str) -> (Process, String, u16) {
    let port = free_port();
    let mut process = Process(cloud_command(database_url, port).spawn().unwrap());
    let base = format!("http://127.0.0.1:{port}");
    wait_for_health(client, &base, &mut process).await;
    (process, base, port)
}

/// `dysa-appliance` on the data directory `dir`, listening on `port`, its assistant on
/// the deterministic parser (no Ollama) and no keyring (the device token lives in the
/// data directory, so a restarted counter finds it there).
pub fn appliance_command(dir: &Path, port: u16) -> Command {
    let mut command = Command::new(binary("dysa-appliance"));
    command
        .arg("--data-dir")
        .arg(dir)
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .env("DYSA_OLLAMA_URL", "http://127.0.0.1:9")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// One counter PC's appliance process on `dir` (no setup), healthy; its base URL.
pub async fn start_appliance(client: &reqwest::Client, dir: &Path) -> (Process, String) {
    let port = free_port();
    let mut process = Process(appliance_command(dir, port).spawn().unwrap());
    let base = format!("http://127.0.0.1:{port}");
    wait_for_health(client, &base, &mut process).await;
    (process, base)
}
