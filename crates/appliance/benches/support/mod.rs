//! Shared load generator for the benches: N tasks run an operation until a deadline and
//! record each latency.

#![allow(dead_code)]

pub mod orders;

use std::sync::Arc;
use std::time::{Duration, Instant};

/// Results of one measurement.
pub struct Stats {
    pub requests: usize,
    pub elapsed: Duration,
    pub latencies: Vec<Duration>,
}

impl Stats {
    pub fn per_sec(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
    pub fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted[index]
    }
    pub fn line(&self, name: &str, concurrency: usize) -> String {
        format!(
            "| {name} | {concurrency} | {:.0} | {:.2} | {:.2} |",
            self.per_sec(),
            self.percentile(0.50).as_secs_f64() * 1000.0,
            self.percentile(0.99).as_secs_f64() * 1000.0
        )
    }
}

/// Runs `op` from `concurrency` tasks for `duration`, recording each latency.
pub async fn load<F, Fut>(concurrency: usize, duration: Duration, op: F) -> Stats
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let op = Arc::new(op);
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                op().await;
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    Stats {
        requests: latencies.len(),
        elapsed: start.elapsed(),
        latencies,
    }
}

/// CPU time this process has used so far, all threads (Linux: `/proc/self/stat`, in
/// 1/100 s ticks; `None` elsewhere). On a shared machine the wall-clock rate depends on
/// what else runs; CPU per operation does much less, so benches print both.
pub fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    // utime and stime are fields 14 and 15 of the line; field 3 (state) is index 0 here.
    Some(Duration::from_millis((ticks(11)? + ticks(12)?) * 10))
}

/// Login of the admin every bench creates.
pub const EMAIL: &str = "bench@donde-pepe.cl";
/// Password of that admin.
pub const PASSWORD: &str = "pastel de choclo 2026";

/// A real appliance served on a free loopback port, set up with one admin.
pub struct Running {
    /// The app's state (database handles for baselines and checks).
    pub state: dysa_appliance::state::AppState,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A client with a pool large enough for the bench's concurrency.
    pub client: reqwest::Client,
    /// The admin's access token.
    pub token: String,
}

/// Opens an appliance on `data_dir`, sets it up, serves it, and signs the admin in.
pub async fn start(data_dir: std::path::PathBuf) -> Running {
    let settings = dysa_appliance::settings::Settings {
        data_dir,
        ollama_url: "http://127.0.0.1:9".into(),
        // Benches log in thousands of times from one client on purpose.
        login_max_failures: 1_000_000,
        ..dysa_appliance::settings::Settings::default()
    };
    let state = dysa_appliance::open(settings).await.expect("open");
    dysa_appliance::accounts::setup(
        &state.db,
        &state.signer,
        dysa_appliance::accounts::SetupInput {
            restaurant_name: "Bench".into(),
            name: "Bench".into(),
            email: EMAIL.into(),
            password: PASSWORD.into(),
            pin: None,
        },
    )
    .await
    .expect("setup");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server_state = state.clone();
    tokio::spawn(async move {
        dysa_appliance::serve(listener, server_state, std::future::pending())
            .await
            .expect("serve");
    });
    let base = format!("http://{addr}");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(128)
        .build()
        .expect("client");
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "email": EMAIL, "password": PASSWORD }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login body");
    let token = login["access_token"].as_str().expect("token").to_owned();
    Running {
        state,
        base,
        client,
        token,
    }
}
