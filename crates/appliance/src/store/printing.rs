//! Printers and the print queue. A ticket is stored here, already in ESC/POS bytes, before
//! any printer is reached, and stays queued until one took it: a printer that is off or
//! unplugged delays a ticket, never loses it.

use super::{StoreError, StoreResult};
use crate::printing::layout::{CodePage, Paper};
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqliteExecutor, SqlitePool};

/// What a printer prints for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PrinterRole {
    /// Kitchen tickets of the kitchen station.
    Kitchen,
    /// Kitchen tickets of the bar.
    Bar,
    /// Kitchen tickets of the dessert station.
    Dessert,
    /// Pre-bills and payment receipts.
    Counter,
}

impl PrinterRole {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PrinterRole::Kitchen => "kitchen",
            PrinterRole::Bar => "bar",
            PrinterRole::Dessert => "dessert",
            PrinterRole::Counter => "counter",
        }
    }

    /// The printer of a kitchen station.
    pub fn of_station(station: dysa_domain::menu::Station) -> PrinterRole {
        match station {
            dysa_domain::menu::Station::Kitchen => PrinterRole::Kitchen,
            dysa_domain::menu::Station::Bar => PrinterRole::Bar,
            dysa_domain::menu::Station::Dessert => PrinterRole::Dessert,
        }
    }

    fn parse(text: &str) -> StoreResult<PrinterRole> {
        match text {
            "kitchen" => Ok(PrinterRole::Kitchen),
            "bar" => Ok(PrinterRole::Bar),
            "dessert" => Ok(PrinterRole::Dessert),
            "counter" => Ok(PrinterRole::Counter),
            other => Err(StoreError::corrupt("printers", other)),
        }
    }
}

/// How the appliance reaches a printer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Connection {
    /// A network printer: `host:port` (port 9100 by default).
    Tcp,
    /// A USB or serial printer seen as a device file (`/dev/usb/lp0`).
    Device,
}

impl Connection {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Connection::Tcp => "tcp",
            Connection::Device => "device",
        }
    }
}

/// The state a printer was last seen in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PrinterState {
    /// Nothing sent yet.
    Unknown,
    /// The last ticket went through.
    Online,
    /// The last ticket went through, and the printer says its roll is near its end.
    PaperLow,
    /// The printer answered that it has no paper: tickets wait until a roll is put in.
    PaperOut,
    /// The last attempt failed (off, unplugged, wrong address).
    Unreachable,
}

/// What a printer said of its paper roll (ESC/POS `DLE EOT 4`), stored as its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaperRoll {
    /// Paper present, not near the end.
    Ok,
    /// Near the end: it still prints.
    Low,
    /// No paper: nothing would come out.
    Out,
}

impl PaperRoll {
    fn as_str(self) -> &'static str {
        match self {
            PaperRoll::Ok => "ok",
            PaperRoll::Low => "low",
            PaperRoll::Out => "out",
        }
    }
}

/// A configured printer with its last known state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PrinterRecord {
    /// Its id.
    pub id: uuid::Uuid,
    /// A name staff recognise ("Cocina caliente").
    pub name: String,
    /// What it prints for (one printer per role).
    pub role: PrinterRole,
    /// How it is reached.
    pub connection: Connection,
    /// `host:port` or a device path.
    pub address: String,
    /// Paper width.
    pub paper: Paper,
    /// Its character table.
    pub code_page: CodePage,
    /// Its last known state.
    pub state: PrinterState,
    /// Why the last attempt failed, while unreachable or out of paper: `paper_out`,
    /// `timed_out`, `refused`, `unreachable`, `no_device`, `no_permission` or `failed`.
    pub last_error: Option<String>,
    /// Tickets waiting for it.
    pub queued: i64,
}

/// A printer's settings, as written.
#[derive(Clone, Debug)]
pub struct PrinterFields {
    /// Name.
    pub name: String,
    /// Role.
    pub role: PrinterRole,
    /// Connection.
    pub connection: Connection,
    /// Address.
    pub address: String,
    /// Paper.
    pub paper: Paper,
    /// Code page.
    pub code_page: CodePage,
}

#[derive(sqlx::FromRow)]
struct PrinterRow {
    id: String,
    name: String,
    station: String,
    connection: String,
    address: String,
    paper_mm: i64,
    code_page: String,
    last_ok_at: Option<String>,
    last_error: Option<String>,
    last_error_at: Option<String>,
    paper: Option<String>,
    queued: i64,
}

impl TryFrom<PrinterRow> for PrinterRecord {
    type Error = StoreError;
    fn try_from(r: PrinterRow) -> StoreResult<PrinterRecord> {
        let paper = r.paper.as_deref();
        let state = match (&r.last_ok_at, &r.last_error_at) {
            (None, None) => PrinterState::Unknown,
            (Some(ok), Some(err)) if ok >= err => PrinterState::Online,
            (Some(_), None) => PrinterState::Online,
            _ if paper == Some("out") => PrinterState::PaperOut,
            _ => PrinterState::Unreachable,
        };
        let state = if state == PrinterState::Online && paper == Some("low") {
            PrinterState::PaperLow
        } else {
            state
        };
        Ok(PrinterRecord {
            id: r
                .id
                .parse()
                .map_err(|e| StoreError::corrupt("printers", e))?,
            name: r.name,
            role: PrinterRole::parse(&r.station)?,
            connection: match r.connection.as_str() {
                "tcp" => Connection::Tcp,
                "device" => Connection::Device,
                other => return Err(StoreError::corrupt("printers", other)),
            },
            address: r.address,
            paper: Paper::from_mm(r.paper_mm)
                .ok_or_else(|| StoreError::corrupt("printers", r.paper_mm))?,
            code_page: CodePage::parse(&r.code_page)
                .ok_or_else(|| StoreError::corrupt("printers", &r.code_page))?,
            last_error: if matches!(state, PrinterState::Unreachable | PrinterState::PaperOut) {
                r.last_error
            } else {
                None
            },
            state,
            queued: r.queued,
        })
    }
}

const PRINTER_SELECT: &str = "SELECT p.id, p.name, p.station, p.connection, p.address, p.paper_mm,
        p.code_page, p.last_ok_at, p.last_error, p.last_error_at, p.paper,
        (SELECT count(*) FROM print_jobs j WHERE j.printer_id = p.id AND j.status = 'queued') AS queued
     FROM printers p WHERE p.deleted_at IS NULL";

/// Every configured printer.
pub async fn printers<'e, E: SqliteExecutor<'e>>(db: E) -> StoreResult<Vec<PrinterRecord>> {
    let rows: Vec<PrinterRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PRINTER_SELECT} ORDER BY p.station, p.name"
    )))
    .fetch_all(db)
    .await?;
    rows.into_iter().map(PrinterRecord::try_from).collect()
}

/// One printer.
pub async fn printer<'e, E: SqliteExecutor<'e>>(
    db: E,
    id: uuid::Uuid,
) -> StoreResult<Option<PrinterRecord>> {
    let row: Option<PrinterRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PRINTER_SELECT} AND p.id = ?"
    )))
    .bind(id.to_string())
    .fetch_optional(db)
    .await?;
    row.map(PrinterRecord::try_from).transpose()
}

/// The printer of a role, if one is configured.
pub async fn printer_for<'e, E: SqliteExecutor<'e>>(
    db: E,
    role: PrinterRole,
) -> StoreResult<Option<PrinterRecord>> {
    let row: Option<PrinterRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PRINTER_SELECT} AND p.station = ?"
    )))
    .bind(role.as_str())
    .fetch_optional(db)
    .await?;
    row.map(PrinterRecord::try_from).transpose()
}

/// Whether another live printer already has this role.
pub async fn role_taken(
    conn: &mut SqliteConnection,
    role: PrinterRole,
    except: Option<uuid::Uuid>,
) -> StoreResult<bool> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT id FROM printers WHERE station = ? AND deleted_at IS NULL AND id IS NOT ?",
    )
    .bind(role.as_str())
    .bind(except.map(|id| id.to_string()))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Adds a printer.
pub async fn insert_printer(
    conn: &mut SqliteConnection,
    id: uuid::Uuid,
    fields: &PrinterFields,
    now: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO printers (id, name, station, connection, address, paper_mm, code_page, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(&fields.name)
    .bind(fields.role.as_str())
    .bind(fields.connection.as_str())
    .bind(&fields.address)
    .bind(fields.paper.mm())
    .bind(fields.code_page.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Changes a printer's settings; false when there is no such printer.
pub async fn update_printer(
    conn: &mut SqliteConnection,
    id: uuid::Uuid,
    fields: &PrinterFields,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE printers SET name = ?, station = ?, connection = ?, address = ?, paper_mm = ?,
            code_page = ?, last_ok_at = NULL, last_error = NULL, last_error_at = NULL,
            paper = NULL
         WHERE id = ? AND deleted_at IS NULL",
    )
    .bind(&fields.name)
    .bind(fields.role.as_str())
    .bind(fields.connection.as_str())
    .bind(&fields.address)
    .bind(fields.paper.mm())
    .bind(fields.code_page.as_str())
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(done > 0)
}

/// Removes a printer; its waiting tickets are cancelled (staff saw them in the queue).
pub async fn delete_printer(
    conn: &mut SqliteConnection,
    id: uuid::Uuid,
    now: &str,
) -> StoreResult<bool> {
    let done =
        sqlx::query("UPDATE printers SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")
            .bind(now)
            .bind(id.to_string())
            .execute(&mut *conn)
            .await?
            .rows_affected();
    sqlx::query(
        "UPDATE print_jobs SET status = 'cancelled' WHERE printer_id = ? AND status = 'queued'",
    )
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(done > 0)
}

/// What kind of paper a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// A kitchen ticket.
    Kitchen,
    /// A pre-bill.
    Prebill,
    /// A payment receipt.
    Receipt,
    /// An X or Z report of the day.
    Report,
}

impl JobKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Kitchen => "kitchen",
            JobKind::Prebill => "prebill",
            JobKind::Receipt => "receipt",
            JobKind::Report => "report",
        }
    }

    fn parse(text: &str) -> StoreResult<JobKind> {
        match text {
            "kitchen" => Ok(JobKind::Kitchen),
            "prebill" => Ok(JobKind::Prebill),
            "receipt" => Ok(JobKind::Receipt),
            "report" => Ok(JobKind::Report),
            other => Err(StoreError::corrupt("print_jobs", other)),
        }
    }
}

/// Where a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting for its printer (shown to staff with the last error).
    Queued,
    /// Taken by the printer.
    Printed,
    /// Its printer was removed.
    Cancelled,
}

/// A print job as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PrintJob {
    /// Its id.
    pub id: uuid::Uuid,
    /// Its printer.
    pub printer_id: uuid::Uuid,
    /// The printer's name.
    pub printer_name: String,
    /// What it is.
    pub kind: JobKind,
    /// The kitchen ticket or order it prints.
    pub reference: String,
    /// What staff read in the queue ("Mesa 4 · Fondos").
    pub title: String,
    /// A reprint, marked COPIA on paper.
    pub copy: bool,
    /// Where it is.
    pub status: JobStatus,
    /// Attempts so far.
    pub attempts: i64,
    /// Why the last attempt failed (the codes of [`PrinterRecord::last_error`]).
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: String,
    /// When the printer took it.
    pub printed_at: Option<String>,
}

/// A job to queue.
#[derive(Clone, Debug)]
pub struct NewJob {
    /// Its id.
    pub id: uuid::Uuid,
    /// Its printer.
    pub printer_id: uuid::Uuid,
    /// What it is.
    pub kind: JobKind,
    /// The ticket or order it prints.
    pub reference: String,
    /// Its line in the queue.
    pub title: String,
    /// A reprint.
    pub copy: bool,
    /// The ESC/POS bytes.
    pub body: Vec<u8>,
}

/// Queues a job, due now.
pub async fn insert_job(conn: &mut SqliteConnection, job: &NewJob, now: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO print_jobs (id, printer_id, kind, reference, title, copy, body, status,
            next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
    )
    .bind(job.id.to_string())
    .bind(job.printer_id.to_string())
    .bind(job.kind.as_str())
    .bind(&job.reference)
    .bind(&job.title)
    .bind(i64::from(job.copy))
    .bind(&job.body)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: String,
    printer_id: String,
    printer_name: String,
    kind: String,
    reference: String,
    title: String,
    copy: i64,
    status: String,
    attempts: i64,
    last_error: Option<String>,
    created_at: String,
    printed_at: Option<String>,
}

impl TryFrom<JobRow> for PrintJob {
    type Error = StoreError;
    fn try_from(r: JobRow) -> StoreResult<PrintJob> {
        Ok(PrintJob {
            id: r
                .id
                .parse()
                .map_err(|e| StoreError::corrupt("print_jobs", e))?,
            printer_id: r
                .printer_id
                .parse()
                .map_err(|e| StoreError::corrupt("print_jobs", e))?,
            printer_name: r.printer_name,
            kind: JobKind::parse(&r.kind)?,
            reference: r.reference,
            title: r.title,
            copy: r.copy != 0,
            status: match r.status.as_str() {
                "queued" => JobStatus::Queued,
                "printed" => JobStatus::Printed,
                "cancelled" => JobStatus::Cancelled,
                other => return Err(StoreError::corrupt("print_jobs", other)),
            },
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: r.created_at,
            printed_at: r.printed_at,
        })
    }
}

/// Jobs still waiting, then the last printed ones: what the staff's print queue shows.
pub async fn jobs<'e, E: SqliteExecutor<'e>>(db: E, limit: i64) -> StoreResult<Vec<PrintJob>> {
    let rows: Vec<JobRow> = sqlx::query_as(
        "SELECT j.id, j.printer_id, p.name AS printer_name, j.kind, j.reference, j.title, j.copy,
                j.status, j.attempts, j.last_error, j.created_at, j.printed_at
         FROM print_jobs j JOIN printers p ON p.id = j.printer_id
         ORDER BY j.status = 'queued' DESC, j.created_at DESC, j.id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(PrintJob::try_from).collect()
}

/// A job due to be sent: its bytes and where.
#[derive(Clone, Debug)]
pub struct DueJob {
    /// Its id.
    pub id: uuid::Uuid,
    /// Its printer.
    pub printer_id: uuid::Uuid,
    /// How to reach the printer.
    pub connection: Connection,
    /// Where.
    pub address: String,
    /// The bytes.
    pub body: Vec<u8>,
    /// Attempts so far.
    pub attempts: i64,
}

/// How many jobs wait for a printer that still exists, and when the oldest was queued
/// (`created_at` as stored): what the counter reports to the cloud with its pull.
pub async fn waiting(pool: &SqlitePool) -> StoreResult<(i64, Option<String>)> {
    Ok(sqlx::query_as(
        "SELECT count(*), min(j.created_at)
         FROM print_jobs j JOIN printers p ON p.id = j.printer_id
         WHERE j.status = 'queued' AND p.deleted_at IS NULL",
    )
    .fetch_one(pool)
    .await?)
}

/// Queued jobs whose next attempt is due, oldest first.
pub async fn due_jobs<'e, E: SqliteExecutor<'e>>(db: E, now: &str) -> StoreResult<Vec<DueJob>> {
    let rows: Vec<(String, String, String, String, Vec<u8>, i64)> = sqlx::query_as(
        "SELECT j.id, j.printer_id, p.connection, p.address, j.body, j.attempts
         FROM print_jobs j JOIN printers p ON p.id = j.printer_id
         WHERE j.status = 'queued' AND j.next_attempt_at <= ? AND p.deleted_at IS NULL
         ORDER BY j.created_at, j.id LIMIT 50",
    )
    .bind(now)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(id, printer_id, connection, address, body, attempts)| {
            Ok(DueJob {
                id: id
                    .parse()
                    .map_err(|e| StoreError::corrupt("print_jobs", e))?,
                printer_id: printer_id
                    .parse()
                    .map_err(|e| StoreError::corrupt("print_jobs", e))?,
                connection: if connection == "device" {
                    Connection::Device
                } else {
                    Connection::Tcp
                },
                address,
                body,
                attempts,
            })
        })
        .collect()
}

/// The earliest next attempt of a queued job, so the spooler sleeps until then.
pub async fn next_due<'e, E: SqliteExecutor<'e>>(db: E) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT min(next_attempt_at) FROM print_jobs WHERE status = 'queued'")
            .fetch_one(db)
            .await?,
    )
}

/// Records that the printer took a job (it is never sent again) and that it is online,
/// with what it said of its paper (`None`: it did not say).
pub async fn mark_printed(
    conn: &mut SqliteConnection,
    job: &DueJob,
    paper: Option<PaperRoll>,
    now: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE print_jobs SET status = 'printed', printed_at = ?, attempts = attempts + 1,
            last_error = NULL WHERE id = ? AND status = 'queued'",
    )
    .bind(now)
    .bind(job.id.to_string())
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE printers SET last_ok_at = ?, paper = ? WHERE id = ?")
        .bind(now)
        .bind(paper.map(PaperRoll::as_str))
        .bind(job.printer_id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records a failed attempt: the job stays queued until `next_attempt_at`, and the printer
/// shows as unreachable (or out of paper, when it said so) with the error.
pub async fn mark_failed(
    conn: &mut SqliteConnection,
    job: &DueJob,
    paper: Option<PaperRoll>,
    error: &str,
    now: &str,
    next_attempt_at: &str,
) -> StoreResult<()> {
    // Every ticket of that printer waits for the same next attempt, so none overtakes the
    // one that failed.
    sqlx::query(
        "UPDATE print_jobs SET attempts = attempts + (id = ?), last_error = ?, next_attempt_at = ?
         WHERE printer_id = ? AND status = 'queued'",
    )
    .bind(job.id.to_string())
    .bind(error)
    .bind(next_attempt_at)
    .bind(job.printer_id.to_string())
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE printers SET last_error = ?, last_error_at = ?, paper = coalesce(?, paper)
         WHERE id = ?",
    )
    .bind(error)
    .bind(now)
    .bind(paper.map(PaperRoll::as_str))
    .bind(job.printer_id.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Makes a queued job due now (staff pressed "Reintentar"), with the jobs of its printer
/// (they stay in order); false when it is not queued.
pub async fn retry_now(
    conn: &mut SqliteConnection,
    id: uuid::Uuid,
    now: &str,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE print_jobs SET next_attempt_at = ? WHERE status = 'queued' AND printer_id =
            (SELECT printer_id FROM print_jobs WHERE id = ? AND status = 'queued')",
    )
    .bind(now)
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(done > 0)
}

/// Whether a job exists at all.
pub async fn job_exists(conn: &mut SqliteConnection, id: uuid::Uuid) -> StoreResult<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM print_jobs WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

/// Whether this paper of this order was queued before (the next one is a COPIA).
pub async fn printed_before(
    conn: &mut SqliteConnection,
    kind: JobKind,
    reference: &str,
) -> StoreResult<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM print_jobs WHERE kind = ? AND reference = ? AND status != 'cancelled' LIMIT 1",
    )
    .bind(kind.as_str())
    .bind(reference)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}
