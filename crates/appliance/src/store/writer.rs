//! Group commit: many writes, one transaction, one fsync.
//!
//! With `synchronous=FULL` every commit waits for the disk (0.3–4 ms here), which caps a
//! counter PC at a few hundred durable orders per second if each order commits alone.
//! The writer task takes whatever write jobs are waiting, runs each inside its own
//! savepoint of one transaction (a failing job rolls back alone), commits once, and only
//! then answers every job: nothing is acknowledged before it is on disk.

use super::StoreError;
use futures::future::BoxFuture;
use sqlx::{Connection, SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

/// The most jobs one commit carries; bounds the latency of the first job in a batch.
const MAX_BATCH: usize = 128;

type Completion = Box<dyn FnOnce(Option<&StoreError>) + Send>;
type Job =
    Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, (bool, Completion)> + Send>;

/// Handle to the writer task; cheap to clone.
#[derive(Clone, Debug)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer task over the single-connection write pool.
    pub fn start(pool: SqlitePool) -> Writer {
        let (jobs, receiver) = mpsc::channel::<Job>(4096);
        tokio::spawn(run(pool, receiver));
        Writer { jobs }
    }

    /// Runs `work` inside a group-committed transaction and returns its result once the
    /// transaction is durable. An `Err` from `work` rolls back only `work`'s changes.
    pub async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (sender, receiver) = oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |conn| {
            Box::pin(async move {
                let result = work(conn).await;
                let keep = result.is_ok();
                let completion: Completion = Box::new(move |commit_error| {
                    let outcome = match commit_error {
                        None => result,
                        Some(error) => Err(E::from(StoreError::CommitFailed(error.to_string()))),
                    };
                    let _ = sender.send(outcome);
                });
                (keep, completion)
            })
        });
        if self.jobs.send(job).await.is_err() {
            return Err(E::from(StoreError::CommitFailed(
                "the writer has stopped".into(),
            )));
        }
        receiver.await.unwrap_or_else(|_| {
            Err(E::from(StoreError::CommitFailed(
                "the writer dropped the job".into(),
            )))
        })
    }
}

async fn run(pool: SqlitePool, mut receiver: mpsc::Receiver<Job>) {
    while let Some(first) = receiver.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut completions = Vec::with_capacity(batch.len());
        let outcome = run_batch(&pool, batch, &mut completions).await;
        if let Err(error) = &outcome {
            tracing::error!(%error, jobs = completions.len(), "group commit failed");
        }
        for completion in completions {
            completion(outcome.as_ref().err());
        }
    }
}

async fn run_batch(
    pool: &SqlitePool,
    batch: Vec<Job>,
    completions: &mut Vec<Completion>,
) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    for job in batch {
        sqlx::query("SAVEPOINT job").execute(&mut *tx).await?;
        let (keep, completion) = job(&mut tx).await;
        completions.push(completion);
        if !keep {
            sqlx::query("ROLLBACK TO job").execute(&mut *tx).await?;
        }
        sqlx::query("RELEASE job").execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}
