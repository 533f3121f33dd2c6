//! Group commit: many writes, one transaction, one fsync.
//!
//! With `synchronous=FULL` every commit waits for the disk (0.3–4 ms here), which caps a
//! counter PC at a few hundred durable orders per second if each order commits alone.
//! The writer (one thread) takes whatever write jobs are waiting, runs each inside its own
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

/// Handle to the writer; cheap to clone.
#[derive(Clone, Debug)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
    /// The writer thread's runtime, for the tasks that feed it (see [`Writer::spawn`]).
    runtime: Option<tokio::runtime::Handle>,
}

impl Writer {
    /// Starts the writer over the single-connection write pool, on a thread of its own.
    ///
    /// Why a thread: a group commit takes several statements, each a round trip to
    /// SQLite's worker thread, and every write waits for the whole commit. On the
    /// request runtime each round trip queued behind the HTTP work of every open request,
    /// which stretched the commit cycle on a busy two-core machine; a thread that only
    /// writes is woken as soon as SQLite answers. It stops when the last handle drops.
    pub fn start(pool: SqlitePool) -> Writer {
        let (jobs, receiver) = mpsc::channel::<Job>(4096);
        let (ready, handle) = std::sync::mpsc::sync_channel(1);
        let started = std::thread::Builder::new()
            .name("dysa-writer".into())
            .spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => {
                        let _ = ready.send(Some(runtime.handle().clone()));
                        runtime.block_on(run(pool, receiver));
                    }
                    Err(error) => {
                        tracing::error!(%error, "cannot start the writer's runtime");
                        let _ = ready.send(None);
                    }
                }
            });
        // Waits only for the thread to build its runtime (start-up, microseconds). Without
        // one, every write answers "the writer has stopped" rather than hang.
        let runtime = match started {
            Ok(_) => handle.recv().ok().flatten(),
            Err(error) => {
                tracing::error!(%error, "cannot start the writer thread");
                None
            }
        };
        Writer { jobs, runtime }
    }

    /// Runs `task` on the writer's thread: for a loop that gathers work for the writer
    /// (the order queue), so that handing it a batch and hearing back does not wait
    /// for the request runtime either.
    pub fn spawn<F>(&self, task: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        match &self.runtime {
            Some(runtime) => drop(runtime.spawn(task)),
            None => drop(tokio::spawn(task)),
        }
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
    mut batch: Vec<Job>,
    completions: &mut Vec<Completion>,
) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    if batch.len() == 1
        && let Some(job) = batch.pop()
    {
        // One job alone (an order batch usually is) needs no savepoint: if it fails, the
        // whole transaction rolls back, which is the same thing, two round trips cheaper.
        let (keep, completion) = job(&mut tx).await;
        completions.push(completion);
        if keep {
            tx.commit().await?;
        } else {
            tx.rollback().await?;
        }
        return Ok(());
    }
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
