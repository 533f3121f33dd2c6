//! Printed tickets over ESC/POS: kitchen tickets when a course is fired, pre-bills and
//! payment receipts on request, reprints marked COPIA.
//!
//! Every ticket is laid out ([`layout`]), encoded in the printer's code page and stored in
//! the print queue in the same transaction as what caused it; the spooler then sends it.
//! A printer that does not answer leaves the ticket queued, shown to staff with the error,
//! and retried with backoff (the printer's later tickets wait behind it, so a kitchen
//! never gets tickets out of order); once a printer took a ticket it is never sent again.

pub mod layout;

use crate::events::{EventBus, EventKind};
use crate::store::printing::{self as store, DueJob, JobKind, NewJob, PrinterRole};
use crate::store::{Db, StoreError, instant_text};
use layout::Document;
use sqlx::SqliteConnection;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::sync::Notify;

/// How long the spooler waits for a printer to accept a connection and the bytes.
const SEND_TIMEOUT: Duration = Duration::from_secs(3);

/// The longest wait between two attempts at a printer that does not answer.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The print queue's handle: queue a ticket, wake the spooler. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Printing {
    db: Db,
    events: EventBus,
    wake: Arc<Notify>,
}

/// A ticket to queue for the printer of `role`.
#[derive(Clone, Debug)]
pub struct Ticket<'a> {
    /// Which printer.
    pub role: PrinterRole,
    /// What it is.
    pub kind: JobKind,
    /// The kitchen ticket or order it prints.
    pub reference: String,
    /// Its line in the staff's queue.
    pub title: String,
    /// A reprint (the document already says COPIA).
    pub copy: bool,
    /// What it says.
    pub document: &'a Document,
}

impl Printing {
    /// Starts the spooler and returns the handle.
    pub fn start(db: Db, events: EventBus) -> Printing {
        let printing = Printing {
            db,
            events,
            wake: Arc::new(Notify::new()),
        };
        let spooler = printing.clone();
        tokio::spawn(async move { spooler.run().await });
        printing
    }

    /// Queues a ticket for the printer of its role, inside the caller's transaction.
    /// None when no printer has that role (the kitchen screen alone is used).
    pub async fn queue(
        &self,
        conn: &mut SqliteConnection,
        ticket: Ticket<'_>,
    ) -> Result<Option<uuid::Uuid>, StoreError> {
        let Some(printer) = store::printer_for(&mut *conn, ticket.role).await? else {
            return Ok(None);
        };
        let body = ticket
            .document
            .encode(printer.paper, printer.code_page)
            .map_err(|e| StoreError::corrupt("print_jobs", e))?;
        let id = uuid::Uuid::now_v7();
        store::insert_job(
            conn,
            &NewJob {
                id,
                printer_id: printer.id,
                kind: ticket.kind,
                reference: ticket.reference,
                title: ticket.title,
                copy: ticket.copy,
                body,
            },
            &instant_text(jiff::Timestamp::now()),
        )
        .await?;
        Ok(Some(id))
    }

    /// Prints an order's pre-bill or payment receipt on the counter's printer. A second
    /// print of the same paper for the same order is marked COPIA.
    pub async fn print_order(
        &self,
        order_id: dysa_domain::ids::OrderId,
        kind: OrderPaper,
    ) -> Result<PrintedOrder, PrintError> {
        let mut tx = self.db.write.begin().await.map_err(StoreError::from)?;
        let order = crate::store::orders::load(&mut tx, order_id)
            .await?
            .ok_or(PrintError::NotFound)?;
        let table: Option<String> = match order.table_id {
            Some(table) => sqlx::query_scalar("SELECT name FROM dining_tables WHERE id = ?")
                .bind(table.to_string())
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::from)?,
            None => None,
        };
        let waiter: Option<String> = match order.waiter_id {
            Some(user) => sqlx::query_scalar("SELECT name FROM users WHERE id = ?")
                .bind(user.to_string())
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::from)?,
            None => None,
        };
        let served = layout::Served {
            table: table.as_deref(),
            waiter: waiter.as_deref(),
        };
        let job_kind = match kind {
            OrderPaper::Prebill => JobKind::Prebill,
            OrderPaper::Receipt => JobKind::Receipt,
        };
        let copy = store::printed_before(&mut tx, job_kind, &order_id.to_string()).await?;
        let document = match kind {
            OrderPaper::Prebill => layout::prebill(&order, served, copy),
            OrderPaper::Receipt => {
                let payments = crate::store::orders::payments_of(&mut *tx, order_id).await?;
                layout::receipt(&order, &payments, served, copy)
            }
        };
        let title = match (kind, &table) {
            (OrderPaper::Prebill, Some(t)) => format!("Pre-cuenta · Mesa {t}"),
            (OrderPaper::Prebill, None) => format!("Pre-cuenta · Pedido {}", order.number),
            (OrderPaper::Receipt, _) => format!("Comprobante · Pedido {}", order.number),
        };
        let job = self
            .queue(
                &mut tx,
                Ticket {
                    role: PrinterRole::Counter,
                    kind: job_kind,
                    reference: order_id.to_string(),
                    title,
                    copy,
                    document: &document,
                },
            )
            .await?
            .ok_or(PrintError::NoPrinter)?;
        tx.commit().await.map_err(StoreError::from)?;
        self.wake();
        Ok(PrintedOrder { job_id: job, copy })
    }

    /// Tells the spooler there is work (after the commit that queued it).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    async fn run(self) {
        loop {
            if let Err(error) = self.round().await {
                tracing::warn!(%error, "print spooler round failed");
            }
            let wait = match store::next_due(&self.db.read).await {
                Ok(Some(next)) => next
                    .parse::<jiff::Timestamp>()
                    .ok()
                    .and_then(|at| {
                        Duration::try_from(at.duration_since(jiff::Timestamp::now())).ok()
                    })
                    .unwrap_or(Duration::ZERO)
                    .min(MAX_BACKOFF),
                _ => MAX_BACKOFF,
            };
            if wait.is_zero() {
                // Due now (another round): yield, do not spin on a failing database.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Sends every due job once, in order per printer; a printer that fails is not tried
    /// again this round, so its later tickets stay behind the one that failed.
    async fn round(&self) -> Result<(), StoreError> {
        let now = instant_text(jiff::Timestamp::now());
        let due = store::due_jobs(&self.db.read, &now).await?;
        let mut failed: Vec<uuid::Uuid> = Vec::new();
        for job in due {
            if failed.contains(&job.printer_id) {
                continue;
            }
            let outcome = send(&job).await;
            let now = instant_text(jiff::Timestamp::now());
            let mut tx = self.db.write.begin().await?;
            match &outcome {
                Ok(()) => store::mark_printed(&mut tx, &job, &now).await?,
                Err(error) => {
                    failed.push(job.printer_id);
                    let next = jiff::Timestamp::now() + backoff(job.attempts + 1);
                    store::mark_failed(&mut tx, &job, error, &now, &instant_text(next)).await?;
                }
            }
            tx.commit().await?;
            if let Err(error) = &outcome {
                tracing::warn!(job = %job.id, %error, "printer did not take a ticket; it stays queued");
            }
            self.events.publish(
                EventKind::PrintUpdated,
                job.id.to_string(),
                serde_json::json!({ "printer_id": job.printer_id, "printed": outcome.is_ok() }),
            );
        }
        Ok(())
    }
}

/// Which paper of an order to print at the counter.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OrderPaper {
    /// The pre-bill a table asks for, with the suggested tip apart.
    Prebill,
    /// The receipt of what was paid.
    Receipt,
}

/// A queued order paper.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PrintedOrder {
    /// The print job (see the print queue).
    pub job_id: uuid::Uuid,
    /// Whether it is a reprint, marked COPIA.
    pub copy: bool,
}

/// Why a paper could not be queued.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// No such order, printer or job.
    #[error("not found")]
    NotFound,
    /// No printer has the role this paper needs.
    #[error("no printer configured")]
    NoPrinter,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The wait after `attempts` failed attempts: 1, 2, 4, 8, 16, then 30 seconds.
pub fn backoff(attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 6) - 1).unwrap_or(0);
    Duration::from_secs(1u64 << exponent).min(MAX_BACKOFF)
}

/// Hands the bytes to the printer. Success means the printer accepted all of them.
async fn send(job: &DueJob) -> Result<(), String> {
    let work = async {
        match job.connection {
            store::Connection::Tcp => {
                let address = if job.address.contains(':') {
                    job.address.clone()
                } else {
                    format!("{}:9100", job.address)
                };
                let mut stream = tokio::net::TcpStream::connect(&address).await?;
                stream.write_all(&job.body).await?;
                stream.flush().await?;
                stream.shutdown().await
            }
            store::Connection::Device => {
                let mut file = tokio::fs::OpenOptions::new()
                    .append(true)
                    .open(&job.address)
                    .await?;
                file.write_all(&job.body).await?;
                file.flush().await
            }
        }
    };
    match tokio::time::timeout(SEND_TIMEOUT, work).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err("la impresora no respondió a tiempo".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stops_at_thirty_seconds() {
        assert_eq!(backoff(1), Duration::from_secs(1));
        assert_eq!(backoff(2), Duration::from_secs(2));
        assert_eq!(backoff(5), Duration::from_secs(16));
        assert_eq!(backoff(6), Duration::from_secs(30));
        assert_eq!(backoff(60), Duration::from_secs(30));
    }
}
