//! The client of Bsale's REST API, the SII-authorised provider that issues the boletas,
//! facturas and credit notes (<https://www.bsale.cl>).
//!
//! Shapes followed, field by field:
//! - documents (create, list with filters, one document, its details):
//!   <https://docs.bsale.dev/CL/documentos/> and
//!   <https://apichile.bsalelab.com/lista-de-endpoints/documentos>. `POST /v1/documents.json`
//!   takes `codeSii` instead of `documentTypeId` ("Opcionalmente puedes utilizar el
//!   parámetro codeSii…"), a `details` list whose lines without `variantId` are free text
//!   (`comment`, `netUnitValue`, `quantity`, `taxId`), the receptor as `client` (`code` is
//!   the RUT) and `references`; the answer carries `number` (the folio), `ted`,
//!   `urlTimbre`, `urlPublicView`, `urlPdf`, `informedSii`, `responseMsgSii`.
//!   `emissionDate` is a Unix time of the date alone ("no se debe aplicar zona horaria").
//! - credit notes: <https://docs.bsale.dev/CL/devoluciones> (`POST /v1/returns.json`, which
//!   always references the sale's document and its details; the answer's `credit_note`
//!   names the new document).
//! - every request carries the `access_token` header.
//!
//! Bsale takes no idempotency key. What it does offer is `GET /v1/documents.json` filtered
//! by `referencecode` and `referencenumber` (a reference's type and folio): each sale's
//! document carries a reference of our own (code 802, "nota de pedido", numbered with the
//! payment), and a retry after a time-out first asks for it, so the sale that did reach
//! Bsale is taken up instead of issued twice. A credit note is found the same way by the
//! folio it corrects, its type (`codesii=61`) and its amount.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Where Bsale's Chilean API lives.
pub const DEFAULT_URL: &str = "https://api.bsale.cl";

/// The SII's code of a boleta electrónica.
pub const CODE_BOLETA: u32 = 39;
/// The SII's code of a factura electrónica.
pub const CODE_FACTURA: u32 = 33;
/// The SII's code of a nota de crédito electrónica.
pub const CODE_CREDIT_NOTE: u32 = 61;
/// The SII's reference code we number our own reference with ("nota de pedido").
pub const CODE_ORDER_REFERENCE: u32 = 802;
/// Bsale's id of IVA in `taxId` lists (its documented example, `"[1]"`).
pub const TAX_IVA: &str = "[1]";

/// Why Bsale did not give a document.
#[derive(Debug, thiserror::Error)]
pub enum BsaleError {
    /// Not reached, timed out, or a server error: nothing is known; try again later.
    #[error("bsale unreachable: {0}")]
    Unreachable(String),
    /// The access token was refused (401/403): no document can go until it is fixed.
    #[error("bsale refused the access token")]
    Unauthorized,
    /// Bsale refused this document, with its own words (in Spanish).
    #[error("bsale refused the document: {0}")]
    Refused(String),
}

/// A client of one Bsale account; cheap to clone.
#[derive(Clone, Debug)]
pub struct Bsale {
    http: reqwest::Client,
    base: String,
    timeout: Duration,
}

/// The receptor of a factura (`client` in Bsale's request).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientRequest {
    /// The RUT, `12345678-5`.
    pub code: String,
    /// Razón social.
    pub company: String,
    /// Giro.
    pub activity: String,
    /// Street address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Comuna.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
}

/// One line of a document: free text ("glosa"), no product of Bsale's catalogue.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DetailRequest {
    /// The unit price without IVA.
    pub net_unit_value: i64,
    /// How many.
    pub quantity: i64,
    /// The taxes that apply, Bsale's ids as a JSON-ish list (`"[1]"` is IVA).
    pub tax_id: &'static str,
    /// The line's text.
    pub comment: String,
}

/// A reference printed in the document (and searchable by).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceRequest {
    /// The referenced document's number.
    pub number: String,
    /// Its date, Unix time of the date.
    pub reference_date: i64,
    /// Why it is referenced.
    pub reason: String,
    /// The SII's code of the referenced document.
    pub code_sii: u32,
}

/// `POST /v1/documents.json`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentRequest {
    /// 39 boleta, 33 factura.
    pub code_sii: u32,
    /// Bsale's branch, when the account has several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office_id: Option<u32>,
    /// Unix time of the date.
    pub emission_date: i64,
    /// Same as the emission (paid on the spot).
    pub expiration_date: i64,
    /// 1: send it to the SII.
    pub declare_sii: u8,
    /// The lines.
    pub details: Vec<DetailRequest>,
    /// The receptor of a factura.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<ClientRequest>,
    /// Our own reference, looked up before a retry.
    pub references: Vec<ReferenceRequest>,
}

/// One line returned by a credit note.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReturnDetailRequest {
    /// The line of the sale's document given back.
    pub document_detail_id: i64,
    /// How many.
    pub quantity: i64,
    /// The amount given back per unit, without IVA.
    pub unit_value: i64,
}

/// `POST /v1/returns.json`: a credit note against a sale's document.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReturnRequest {
    /// 61, nota de crédito.
    pub code_sii: u32,
    /// Bsale's branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office_id: Option<u32>,
    /// Bsale's id of the sale's document.
    pub reference_document_id: i64,
    /// Unix time of the date.
    pub emission_date: i64,
    /// Same as the emission.
    pub expiration_date: i64,
    /// Why (printed on the note).
    pub motive: String,
    /// 1: send it to the SII.
    pub declare_sii: u8,
    /// 1 when only part of the amount is given back.
    pub price_adjustment: u8,
    /// 0: not a correction of text.
    pub edit_texts: u8,
    /// The lines given back.
    pub details: Vec<ReturnDetailRequest>,
}

/// A document as Bsale answers it (the fields we keep).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BsaleDocument {
    /// Bsale's id.
    pub id: i64,
    /// The folio.
    pub number: i64,
    /// IVA included.
    #[serde(default)]
    pub total_amount: f64,
    /// The timbre electrónico (TED), the data of the PDF417 the SII asks on paper.
    #[serde(default)]
    pub ted: Option<String>,
    /// An image of the timbre.
    #[serde(default)]
    pub url_timbre: Option<String>,
    /// The document online, for a QR.
    #[serde(default)]
    pub url_public_view: Option<String>,
    /// The PDF.
    #[serde(default)]
    pub url_pdf: Option<String>,
    /// 0 accepted by the SII, 1 sent, 2 rejected.
    #[serde(default)]
    pub informed_sii: Option<i64>,
    /// What the SII said.
    #[serde(default)]
    pub response_msg_sii: Option<String>,
}

/// A page of a list.
#[derive(Debug, Deserialize)]
struct Page<T> {
    #[serde(default = "Vec::new")]
    items: Vec<T>,
}

/// A detail of a document (only its id is needed, to return it).
#[derive(Debug, Deserialize)]
struct Detail {
    id: i64,
}

/// A link to another resource, `{ "href", "id" }` (ids come as text).
#[derive(Debug, Deserialize)]
struct Link {
    id: serde_json::Value,
}

/// The answer to a return.
#[derive(Debug, Deserialize)]
struct ReturnAnswer {
    credit_note: Link,
}

impl Bsale {
    /// A client of the API at `base` (no trailing slash), giving up on a request after
    /// `timeout`.
    pub fn new(http: reqwest::Client, base: &str, timeout: Duration) -> Self {
        Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            timeout,
        }
    }

    /// A request to `path` of the API carrying the account's token (Bsale reads it from
    /// the `access_token` header) and this client's time-out.
    fn call(&self, method: reqwest::Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header("access_token", token)
            .timeout(self.timeout)
    }

    /// Issues a boleta or factura.
    pub async fn create_document(
        &self,
        token: &str,
        request: &DocumentRequest,
    ) -> Result<BsaleDocument, BsaleError> {
        let reply = self
            .call(reqwest::Method::POST, "/v1/documents.json", token)
            .json(request)
            .send()
            .await;
        decode(reply).await
    }

    /// The sale's document carrying our reference `number`, if Bsale has one.
    pub async fn find_by_reference(
        &self,
        token: &str,
        number: &str,
    ) -> Result<Option<BsaleDocument>, BsaleError> {
        let code = CODE_ORDER_REFERENCE.to_string();
        self.first(
            token,
            &[
                ("referencecode", code.as_str()),
                ("referencenumber", number),
                ("state", "0"),
            ],
        )
        .await
    }

    /// The credit notes of the document with `folio` for `total`, newest last.
    pub async fn find_credit_notes(
        &self,
        token: &str,
        folio: i64,
        total: i64,
    ) -> Result<Vec<BsaleDocument>, BsaleError> {
        let code = CODE_CREDIT_NOTE.to_string();
        let folio = folio.to_string();
        let total = total.to_string();
        self.list(
            token,
            &[
                ("codesii", code.as_str()),
                ("referencenumber", folio.as_str()),
                ("totalamount", total.as_str()),
                ("state", "0"),
            ],
        )
        .await
    }

    async fn first(
        &self,
        token: &str,
        query: &[(&str, &str)],
    ) -> Result<Option<BsaleDocument>, BsaleError> {
        Ok(self.list(token, query).await?.into_iter().next())
    }

    async fn list(
        &self,
        token: &str,
        query: &[(&str, &str)],
    ) -> Result<Vec<BsaleDocument>, BsaleError> {
        let reply = self
            .call(reqwest::Method::GET, "/v1/documents.json", token)
            .query(query)
            .send()
            .await;
        let page: Page<BsaleDocument> = decode(reply).await?;
        Ok(page.items)
    }

    /// One document by Bsale's id.
    pub async fn document(&self, token: &str, id: i64) -> Result<BsaleDocument, BsaleError> {
        let path = format!("/v1/documents/{id}.json");
        let reply = self.call(reqwest::Method::GET, &path, token).send().await;
        decode(reply).await
    }

    /// The id of the first line of a document (ours have one: the consumption).
    pub async fn first_detail(&self, token: &str, document: i64) -> Result<i64, BsaleError> {
        let path = format!("/v1/documents/{document}/details.json");
        let reply = self.call(reqwest::Method::GET, &path, token).send().await;
        let page: Page<Detail> = decode(reply).await?;
        page.items
            .first()
            .map(|d| d.id)
            .ok_or_else(|| BsaleError::Refused("el documento original no tiene detalle".into()))
    }

    /// Issues a credit note and answers the note's document.
    pub async fn create_return(
        &self,
        token: &str,
        request: &ReturnRequest,
    ) -> Result<BsaleDocument, BsaleError> {
        let reply = self
            .call(reqwest::Method::POST, "/v1/returns.json", token)
            .json(request)
            .send()
            .await;
        let answer: ReturnAnswer = decode(reply).await?;
        let id = match &answer.credit_note.id {
            serde_json::Value::Number(n) => n.as_i64(),
            serde_json::Value::String(s) => s.parse().ok(),
            _ => None,
        }
        .ok_or_else(|| BsaleError::Unreachable("answer without the credit note's id".into()))?;
        self.document(token, id).await
    }
}

/// Reads an answer: 2xx decoded, 401/403 the token, other 4xx Bsale's refusal in its own
/// words (`{"error": "…"}`, else the body), the rest unreachable.
async fn decode<T: serde::de::DeserializeOwned>(
    reply: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, BsaleError> {
    let reply = reply.map_err(|e| BsaleError::Unreachable(e.to_string()))?;
    let status = reply.status();
    let body = reply
        .bytes()
        .await
        .map_err(|e| BsaleError::Unreachable(e.to_string()))?;
    if status.is_success() {
        return serde_json::from_slice(&body)
            .map_err(|e| BsaleError::Unreachable(format!("unreadable answer: {e}")));
    }
    if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
        return Err(BsaleError::Unauthorized);
    }
    if status.is_client_error() && status != reqwest::StatusCode::TOO_MANY_REQUESTS {
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
            .unwrap_or_else(|| String::from_utf8_lossy(&body).chars().take(300).collect());
        return Err(BsaleError::Refused(message));
    }
    Err(BsaleError::Unreachable(format!("HTTP {status}")))
}
