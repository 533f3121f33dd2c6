//! Printed tickets over ESC/POS: kitchen tickets when a course is fired, pre-bills and
//! payment receipts on request, reprints marked COPIA.
//!
//! Every ticket is laid out ([`layout`]), encoded in the printer's code page and stored in
//! the print queue in the same transaction as what caused it; the spooler then sends it.
//! A printer that does not answer leaves the ticket queued, shown to staff with the error,
//! and retried with backoff (the printer's later tickets wait behind it, so a kitchen
//! never gets tickets out of order); once a printer took a ticket it is never sent again.

pub mod layout;
pub mod pdf;
mod pdf_metrics;

use crate::events::{EventBus, EventKind};
use crate::store::printing::{self as store, DueJob, JobKind, NewJob, PaperRoll, PrinterRole};
use crate::store::{Db, StoreError, instant_text};
use layout::Document;
use sqlx::SqliteConnection;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Notify;

/// How long the spooler waits for a printer to accept a connection and the bytes.
const SEND_TIMEOUT: Duration = Duration::from_secs(3);

/// How long a network printer has to answer what its paper roll is like before the ticket
/// is sent anyway: printers that do not report their sensors stay silent.
const STATUS_TIMEOUT: Duration = Duration::from_millis(400);

/// ESC/POS `DLE EOT 4`, "transmit roll paper sensor status" (Epson ESC/POS command
/// reference, DLE EOT): a real-time command, answered at once even mid-job.
const ROLL_STATUS_QUERY: [u8; 3] = [0x10, 0x04, 0x04];

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
                let fiscal = crate::store::fiscal::of_order(&mut tx, &order_id.to_string()).await?;
                layout::receipt(&order, &payments, &fiscal, served, copy)
            }
        };
        let title = match (kind, &table) {
            (OrderPaper::Prebill, Some(t)) => format!("Pre-cuenta · Mesa {t}"),
            (OrderPaper::Prebill, None) => format!(
                "Pre-cuenta · Pedido {}",
                dysa_domain::numbering::label(order.number)
            ),
            (OrderPaper::Receipt, _) => format!(
                "Comprobante · Pedido {}",
                dysa_domain::numbering::label(order.number)
            ),
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
                Ok(paper) => store::mark_printed(&mut tx, &job, *paper, &now).await?,
                Err(failure) => {
                    failed.push(job.printer_id);
                    let next = jiff::Timestamp::now() + backoff(job.attempts + 1);
                    let paper = matches!(failure, SendFailure::PaperOut).then_some(PaperRoll::Out);
                    store::mark_failed(
                        &mut tx,
                        &job,
                        paper,
                        failure.code(),
                        &now,
                        &instant_text(next),
                    )
                    .await?;
                }
            }
            tx.commit().await?;
            if let Err(failure) = &outcome {
                tracing::warn!(job = %job.id, error = %failure, "printer did not take a ticket; it stays queued");
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

/// Why a printer did not take a ticket. What is stored (and shown to staff, in their
/// language, by the panel) is the code of [`SendFailure::code`], never an OS message.
#[derive(Debug, thiserror::Error)]
enum SendFailure {
    /// The printer said it has no paper.
    #[error("the printer has no paper")]
    PaperOut,
    /// It did not take the bytes in time.
    #[error("the printer did not answer in time")]
    TimedOut,
    /// Connection or device error.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl SendFailure {
    /// The stable code staff's screens translate: `paper_out`, `timed_out`, `refused` (off,
    /// or a wrong port), `unreachable` (not on the network), `no_device` (no such device
    /// file), `no_permission` (the device file is not ours to write), `failed` (anything
    /// else; the log has the detail).
    fn code(&self) -> &'static str {
        use std::io::ErrorKind;
        match self {
            SendFailure::PaperOut => "paper_out",
            SendFailure::TimedOut => "timed_out",
            SendFailure::Io(error) => match error.kind() {
                ErrorKind::ConnectionRefused | ErrorKind::ConnectionReset => "refused",
                ErrorKind::HostUnreachable
                | ErrorKind::NetworkUnreachable
                | ErrorKind::AddrNotAvailable => "unreachable",
                ErrorKind::TimedOut => "timed_out",
                ErrorKind::NotFound => "no_device",
                ErrorKind::PermissionDenied => "no_permission",
                _ => "failed",
            },
        }
    }
}

/// Reads a `DLE EOT 4` answer: bits 1 and 4 are fixed on and bits 0 and 7 off in a valid
/// one; bits 5–6 are the roll-end sensor, bits 2–3 the near-end sensor. Anything else is
/// not a status byte (the printer does not speak this part of ESC/POS).
pub fn roll_status(byte: u8) -> Option<PaperRoll> {
    if byte & 0b1001_0011 != 0b0001_0010 {
        return None;
    }
    Some(if byte & 0x60 != 0 {
        PaperRoll::Out
    } else if byte & 0x0C != 0 {
        PaperRoll::Low
    } else {
        PaperRoll::Ok
    })
}

/// Asks a network printer about its paper roll; `None` when it does not answer in time.
async fn ask_paper(stream: &mut tokio::net::TcpStream) -> std::io::Result<Option<PaperRoll>> {
    stream.write_all(&ROLL_STATUS_QUERY).await?;
    let mut answer = [0u8; 1];
    match tokio::time::timeout(STATUS_TIMEOUT, stream.read(&mut answer)).await {
        Ok(Ok(1)) => Ok(roll_status(answer[0])),
        Ok(Ok(_)) | Err(_) => Ok(None),
        Ok(Err(error)) => Err(error),
    }
}

/// Hands the bytes to the printer. Success means the printer accepted all of them, with
/// what it said of its paper before (`None`: a device file, or a printer that did not say).
async fn send(job: &DueJob) -> Result<Option<PaperRoll>, SendFailure> {
    let work = async {
        match job.connection {
            store::Connection::Tcp => {
                let address = if job.address.contains(':') {
                    job.address.clone()
                } else {
                    format!("{}:9100", job.address)
                };
                let mut stream = tokio::net::TcpStream::connect(&address).await?;
                let paper = ask_paper(&mut stream).await?;
                if paper == Some(PaperRoll::Out) {
                    return Err(SendFailure::PaperOut);
                }
                stream.write_all(&job.body).await?;
                stream.flush().await?;
                stream.shutdown().await?;
                Ok(paper)
            }
            store::Connection::Device => {
                let mut file = tokio::fs::OpenOptions::new()
                    .append(true)
                    .open(&job.address)
                    .await?;
                file.write_all(&job.body).await?;
                file.flush().await?;
                Ok(None)
            }
        }
    };
    match tokio::time::timeout(SEND_TIMEOUT, work).await {
        Ok(outcome) => outcome,
        Err(_) => Err(SendFailure::TimedOut),
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

    #[test]
    fn the_roll_status_byte_is_read_as_the_esc_pos_reference_lays_it_out() {
        assert_eq!(roll_status(0x12), Some(PaperRoll::Ok));
        assert_eq!(roll_status(0x12 | 0x0C), Some(PaperRoll::Low));
        assert_eq!(roll_status(0x12 | 0x60), Some(PaperRoll::Out));
        assert_eq!(roll_status(0x12 | 0x60 | 0x0C), Some(PaperRoll::Out));
        // Not a status byte: fixed bits wrong (a printer echoing, or another protocol).
        assert_eq!(roll_status(0x00), None);
        assert_eq!(roll_status(0x10), None);
        assert_eq!(roll_status(0x93), None);
    }
}
