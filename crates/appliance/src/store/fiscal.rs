//! The queue of tax documents (boletas, facturas, credit notes) waiting for, issued by or
//! refused by the fiscal provider. Rows are queued in the payment's own transaction, so a
//! payment never exists without its document and the document never without its payment.

use super::StoreResult;
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};

/// Which document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FiscalKind {
    /// Boleta electrónica (SII 39), to a diner.
    Boleta,
    /// Factura electrónica (SII 33), to a business that gave its RUT.
    Factura,
    /// Nota de crédito electrónica (SII 61), for a refund.
    CreditNote,
}

impl FiscalKind {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            FiscalKind::Boleta => "boleta",
            FiscalKind::Factura => "factura",
            FiscalKind::CreditNote => "credit_note",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "factura" => FiscalKind::Factura,
            "credit_note" => FiscalKind::CreditNote,
            _ => FiscalKind::Boleta,
        }
    }
}

/// Where a document stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FiscalStatus {
    /// Not issued yet: the link is down, or it is next in the queue.
    Pending,
    /// Issued: it has a folio.
    Issued,
    /// The provider refused it (its words are in `error_es`).
    Rejected,
}

impl FiscalStatus {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            FiscalStatus::Pending => "pending",
            FiscalStatus::Issued => "issued",
            FiscalStatus::Rejected => "rejected",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "issued" => FiscalStatus::Issued,
            "rejected" => FiscalStatus::Rejected,
            _ => FiscalStatus::Pending,
        }
    }
}

/// The receptor of a factura.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Receptor {
    /// RUT, `12345678-5`.
    pub rut: String,
    /// Razón social.
    pub name: String,
    /// Giro.
    pub activity: String,
    /// Street address.
    pub address: Option<String>,
    /// Comuna.
    pub municipality: Option<String>,
}

/// One tax document and where it stands.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FiscalDocument {
    /// Our id.
    pub id: uuid::Uuid,
    /// Place in the queue: documents go out in this order.
    pub seq: i64,
    /// The order it belongs to.
    pub order_id: String,
    /// The order's label (`N° 12`, `B-3`).
    pub order_label: String,
    /// The payment (or refund) it documents.
    pub payment_id: String,
    /// Boleta, factura or credit note.
    pub kind: FiscalKind,
    /// The document a credit note corrects.
    pub corrects: Option<uuid::Uuid>,
    /// Pending, issued or rejected.
    pub status: FiscalStatus,
    /// IVA included.
    pub total: i64,
    /// Without IVA.
    pub net: i64,
    /// Our reference, sent with it.
    pub reference: String,
    /// A factura's receptor.
    pub receptor: Option<Receptor>,
    /// A credit note's reason.
    pub reason: Option<String>,
    /// The provider's id.
    pub provider_id: Option<i64>,
    /// The folio.
    pub folio: Option<i64>,
    /// The timbre electrónico (printed as PDF417).
    pub ted: Option<String>,
    /// The timbre's image.
    pub url_timbre: Option<String>,
    /// The document online (printed as a QR when there is no timbre).
    pub url_public_view: Option<String>,
    /// The PDF.
    pub url_pdf: Option<String>,
    /// 0 accepted by the SII, 1 sent, 2 rejected.
    pub informed_sii: Option<i64>,
    /// What the SII said.
    pub sii_message: Option<String>,
    /// Tries so far.
    pub attempts: i64,
    /// The last refusal or failure, in Spanish.
    pub error_es: Option<String>,
    /// The same in English.
    pub error_en: Option<String>,
    /// When it was queued.
    pub created_at: String,
    /// When it was issued.
    pub issued_at: Option<String>,
}

/// A document to queue.
#[derive(Clone, Debug)]
pub struct NewFiscalDocument {
    /// Our id.
    pub id: uuid::Uuid,
    /// The order.
    pub order_id: String,
    /// Its label.
    pub order_label: String,
    /// The payment or refund.
    pub payment_id: String,
    /// Which document.
    pub kind: FiscalKind,
    /// What a credit note corrects.
    pub corrects: Option<uuid::Uuid>,
    /// IVA included.
    pub total: i64,
    /// Without IVA.
    pub net: i64,
    /// Our reference.
    pub reference: String,
    /// A factura's receptor.
    pub receptor: Option<Receptor>,
    /// A credit note's reason.
    pub reason: Option<String>,
    /// Now.
    pub created_at: String,
}

/// What the provider gave.
#[derive(Clone, Debug, Default)]
pub struct Issued {
    /// Its id.
    pub provider_id: i64,
    /// The folio.
    pub folio: i64,
    /// The timbre.
    pub ted: Option<String>,
    /// The timbre's image.
    pub url_timbre: Option<String>,
    /// Online.
    pub url_public_view: Option<String>,
    /// PDF.
    pub url_pdf: Option<String>,
    /// SII state.
    pub informed_sii: Option<i64>,
    /// SII message.
    pub sii_message: Option<String>,
}

const COLUMNS: &str =
    "seq, id, order_id, order_label, payment_id, kind, corrects, status, total, net,
    reference, receptor_rut, receptor_name, receptor_activity, receptor_address,
    receptor_municipality, reason, provider_id, folio, ted, url_timbre, url_public_view,
    url_pdf, informed_sii, sii_message, attempts, error_es, error_en, created_at, issued_at";

fn decode(row: &sqlx::sqlite::SqliteRow) -> Result<FiscalDocument, sqlx::Error> {
    use sqlx::Row;
    let uuid = |text: String| uuid::Uuid::parse_str(&text).unwrap_or_default();
    let rut: Option<String> = row.try_get("receptor_rut")?;
    let receptor = match rut {
        Some(rut) => Some(Receptor {
            rut,
            name: row
                .try_get::<Option<String>, _>("receptor_name")?
                .unwrap_or_default(),
            activity: row
                .try_get::<Option<String>, _>("receptor_activity")?
                .unwrap_or_default(),
            address: row.try_get("receptor_address")?,
            municipality: row.try_get("receptor_municipality")?,
        }),
        None => None,
    };
    Ok(FiscalDocument {
        seq: row.try_get("seq")?,
        id: uuid(row.try_get("id")?),
        order_id: row.try_get("order_id")?,
        order_label: row.try_get("order_label")?,
        payment_id: row.try_get("payment_id")?,
        kind: FiscalKind::parse(row.try_get("kind")?),
        corrects: row.try_get::<Option<String>, _>("corrects")?.map(uuid),
        status: FiscalStatus::parse(row.try_get("status")?),
        total: row.try_get("total")?,
        net: row.try_get("net")?,
        reference: row.try_get("reference")?,
        receptor,
        reason: row.try_get("reason")?,
        provider_id: row.try_get("provider_id")?,
        folio: row.try_get("folio")?,
        ted: row.try_get("ted")?,
        url_timbre: row.try_get("url_timbre")?,
        url_public_view: row.try_get("url_public_view")?,
        url_pdf: row.try_get("url_pdf")?,
        informed_sii: row.try_get("informed_sii")?,
        sii_message: row.try_get("sii_message")?,
        attempts: row.try_get("attempts")?,
        error_es: row.try_get("error_es")?,
        error_en: row.try_get("error_en")?,
        created_at: row.try_get("created_at")?,
        issued_at: row.try_get("issued_at")?,
    })
}

/// Queues a document, in the caller's transaction.
pub async fn enqueue(conn: &mut SqliteConnection, doc: &NewFiscalDocument) -> StoreResult<()> {
    let receptor = doc.receptor.as_ref();
    sqlx::query(
        "INSERT INTO fiscal_documents (id, order_id, order_label, payment_id, kind, corrects,
             status, total, net, reference, receptor_rut, receptor_name, receptor_activity,
             receptor_address, receptor_municipality, reason, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(doc.id.to_string())
    .bind(&doc.order_id)
    .bind(&doc.order_label)
    .bind(&doc.payment_id)
    .bind(doc.kind.as_str())
    .bind(doc.corrects.map(|c| c.to_string()))
    .bind(doc.total)
    .bind(doc.net)
    .bind(&doc.reference)
    .bind(receptor.map(|r| r.rut.clone()))
    .bind(receptor.map(|r| r.name.clone()))
    .bind(receptor.map(|r| r.activity.clone()))
    .bind(receptor.and_then(|r| r.address.clone()))
    .bind(receptor.and_then(|r| r.municipality.clone()))
    .bind(&doc.reason)
    .bind(&doc.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The sale's document of a payment (not a credit note), in the caller's transaction.
pub async fn of_payment(
    conn: &mut SqliteConnection,
    payment_id: &str,
) -> StoreResult<Option<FiscalDocument>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM fiscal_documents WHERE payment_id = ? AND kind != 'credit_note'"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(payment_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.as_ref().map(decode).transpose()?)
}

/// One document.
pub async fn get(pool: &SqlitePool, id: uuid::Uuid) -> StoreResult<Option<FiscalDocument>> {
    let sql = format!("SELECT {COLUMNS} FROM fiscal_documents WHERE id = ?");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(pool)
        .await?;
    Ok(row.as_ref().map(decode).transpose()?)
}

/// The next document to send: the oldest pending one.
pub async fn next_pending(pool: &SqlitePool) -> StoreResult<Option<FiscalDocument>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM fiscal_documents WHERE status = 'pending' ORDER BY seq LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_optional(pool)
        .await?;
    Ok(row.as_ref().map(decode).transpose()?)
}

/// Documents, newest first: all, or those with `status`, or those of one order.
pub async fn list(
    pool: &SqlitePool,
    status: Option<FiscalStatus>,
    order_id: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<FiscalDocument>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM fiscal_documents
         WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR order_id = ?2)
         ORDER BY seq DESC LIMIT ?3"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(status.map(FiscalStatus::as_str))
        .bind(order_id)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(decode).collect::<Result<_, _>>()?)
}

/// How many documents stand at each status: (pending, rejected).
pub async fn counts(pool: &SqlitePool) -> StoreResult<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT COALESCE(SUM(status = 'pending'), 0), COALESCE(SUM(status = 'rejected'), 0)
         FROM fiscal_documents",
    )
    .fetch_one(pool)
    .await?)
}

/// How many documents wait to be issued, and when the oldest was queued (`created_at`
/// as stored): what the counter reports to the cloud with its pull.
pub async fn waiting(pool: &SqlitePool) -> StoreResult<(i64, Option<String>)> {
    Ok(sqlx::query_as(
        "SELECT count(*), min(created_at) FROM fiscal_documents WHERE status = 'pending'",
    )
    .fetch_one(pool)
    .await?)
}

/// Provider ids already taken by our credit notes (a found note must be a new one).
pub async fn known_provider_ids(pool: &SqlitePool) -> StoreResult<Vec<i64>> {
    Ok(
        sqlx::query_scalar(
            "SELECT provider_id FROM fiscal_documents WHERE provider_id IS NOT NULL",
        )
        .fetch_all(pool)
        .await?,
    )
}

/// Counts a try before the request goes out: a crash or time-out after it leaves the
/// count raised, so the next try looks the document up before posting again.
pub async fn count_attempt(conn: &mut SqliteConnection, id: uuid::Uuid) -> StoreResult<()> {
    sqlx::query("UPDATE fiscal_documents SET attempts = attempts + 1 WHERE id = ?")
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Records the provider's document.
pub async fn mark_issued(
    conn: &mut SqliteConnection,
    id: uuid::Uuid,
    issued: &Issued,
    at: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE fiscal_documents SET status = 'issued', provider_id = ?, folio = ?, ted = ?,
             url_timbre = ?, url_public_view = ?, url_pdf = ?, informed_sii = ?,
             sii_message = ?, error_es = NULL, error_en = NULL, issued_at = ?
         WHERE id = ?",
    )
    .bind(issued.provider_id)
    .bind(issued.folio)
    .bind(&issued.ted)
    .bind(&issued.url_timbre)
    .bind(&issued.url_public_view)
    .bind(&issued.url_pdf)
    .bind(issued.informed_sii)
    .bind(&issued.sii_message)
    .bind(at)
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Records why a document did not go: `rejected` true when the provider refused it
/// (it leaves the queue), false when it stays pending for the next try.
pub async fn mark_failed(
    conn: &mut SqliteConnection,
    id: uuid::Uuid,
    rejected: bool,
    es: &str,
    en: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE fiscal_documents SET status = CASE WHEN ? THEN 'rejected' ELSE status END,
             error_es = ?, error_en = ?
         WHERE id = ?",
    )
    .bind(rejected)
    .bind(es)
    .bind(en)
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts a rejected document back in the queue; false when it was not rejected.
pub async fn requeue(conn: &mut SqliteConnection, id: uuid::Uuid) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE fiscal_documents SET status = 'pending' WHERE id = ? AND status = 'rejected'",
    )
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The documents of one order, oldest first (for its receipt).
pub async fn of_order(
    conn: &mut SqliteConnection,
    order_id: &str,
) -> StoreResult<Vec<FiscalDocument>> {
    let sql = format!("SELECT {COLUMNS} FROM fiscal_documents WHERE order_id = ? ORDER BY seq");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(order_id)
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().map(decode).collect::<Result<_, _>>()?)
}
