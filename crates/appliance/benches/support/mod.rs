//! Shared load generator for the benches: N tasks run an operation until a deadline and
//! record each latency.

#![allow(dead_code)]

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
