//! The one loop every outbox worker runs (mail, WhatsApp, SMS): a round on its wake-up
//! and every `every` (retries fall due with time), a log line for a round that did
//! something or failed. What a round does, and the SQL of each outbox table, stays with
//! each outbox.

use crate::store::StoreResult;
use chrono::{DateTime, Utc};
use std::fmt::Debug;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Runs `round` (as of now) for as long as the process lives: at once, then whenever
/// `wake` is notified and every `every`. A zero `every` starts nothing (tests run rounds
/// themselves). `label` names the outbox in the log.
pub fn spawn_rounds<R, F, Fut>(label: &'static str, wake: Arc<Notify>, every: Duration, round: F)
where
    R: Debug + Default + PartialEq + Send,
    F: Fn(DateTime<Utc>) -> Fut + Send + 'static,
    Fut: Future<Output = StoreResult<R>> + Send,
{
    if every.is_zero() {
        return;
    }
    tokio::spawn(async move {
        loop {
            match round(Utc::now()).await {
                Ok(done) if done != R::default() => {
                    tracing::info!(round = ?done, "{label} outbox round");
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(%error, "{label} outbox round failed; retried later");
                }
            }
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(every) => {}
            }
        }
    });
}
