//! Boletas, facturas and credit notes through the real router and the real Bsale client,
//! against a fake of Bsale's API served in the test (the shapes of
//! <https://docs.bsale.dev/CL/documentos/> and <https://docs.bsale.dev/CL/devoluciones>):
//! off by default, a boleta with folio and timbre, a factura for a valid RUT, a refusal
//! shown in Spanish and English, a time-out then a retry that makes one document, a batch
//! queued offline issued in order, and a refund's credit note.

#![allow(clippy::unwrap_used)]

mod common;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use common::TestApp;
use common::printer::FakePrinter;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TOKEN: &str = "bsale-test-token";

/// How the fake answers the next requests.
#[derive(Clone, Debug, PartialEq)]
enum Mode {
    Normal,
    /// The link is down: every request fails.
    Down,
    /// The next document is refused with these words.
    Refuse(String),
    /// The next document is made, then the answer comes too late.
    SlowOnce,
}

#[derive(Debug)]
struct Fake {
    mode: Mode,
    documents: Vec<Value>,
    /// Every POST body, in order.
    posts: Vec<Value>,
    /// Lookups by our reference.
    lookups: usize,
    folios: HashMap<i64, i64>,
}

type Shared = Arc<Mutex<Fake>>;

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("access_token").and_then(|v| v.to_str().ok()) == Some(TOKEN)
}

fn refusal(status: StatusCode, message: &str) -> (StatusCode, axum::Json<Value>) {
    (status, axum::Json(json!({ "error": message })))
}

/// Makes a document the way Bsale answers it, and keeps it.
fn make(fake: &mut Fake, code: i64, net: i64, references: Value, client: Option<Value>) -> Value {
    let id = 1000 + i64::try_from(fake.documents.len()).unwrap();
    let folio = fake.folios.entry(code).or_insert(0);
    *folio += 1;
    let total = (net * 119 + 50) / 100;
    let token = format!("tok{id}");
    let document = json!({
        "href": format!("https://api.bsale.cl/v1/documents/{id}.json"),
        "id": id,
        "emissionDate": 1_765_065_600,
        "number": *folio,
        "totalAmount": total,
        "netAmount": net,
        "taxAmount": total - net,
        "urlTimbre": format!("http://app2.bsale.cl/timbre/{token}.png"),
        "ted": format!("<TED version=\"1.0\"><DD><TD>{code}</TD><F>{}</F><MNT>{total}</MNT></DD></TED>", *folio),
        "urlPublicView": format!("http://app2.bsale.cl/view/2/{token}?sfd=99"),
        "urlPdf": format!("http://app2.bsale.cl/view/2/{token}.pdf?sfd=99"),
        "token": token,
        "state": 0,
        "informedSii": 1,
        "responseMsgSii": null,
        "document_type": { "href": "https://api.bsale.cl/v1/document_types/1.json", "id": "1" },
        "codeSii": code,
        "references": references,
        "client": client,
        "detailId": 5000 + id,
    });
    fake.documents.push(document.clone());
    document
}

async fn post_document(
    State(fake): State<Shared>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> (StatusCode, axum::Json<Value>) {
    if !authorized(&headers) {
        return refusal(StatusCode::UNAUTHORIZED, "access_token inválido");
    }
    let (document, slow) = {
        let mut fake = fake.lock().unwrap();
        match fake.mode.clone() {
            Mode::Down => return refusal(StatusCode::SERVICE_UNAVAILABLE, "mantención"),
            Mode::Refuse(message) => {
                fake.mode = Mode::Normal;
                fake.posts.push(body);
                return refusal(StatusCode::BAD_REQUEST, &message);
            }
            _ => {}
        }
        fake.posts.push(body.clone());
        let code = body["codeSii"].as_i64().unwrap_or(0);
        if code != 39 && code != 33 {
            return refusal(StatusCode::BAD_REQUEST, "tipo de documento no existe");
        }
        let detail = &body["details"][0];
        let net =
            detail["netUnitValue"].as_i64().unwrap_or(0) * detail["quantity"].as_i64().unwrap_or(0);
        if net <= 0 {
            return refusal(StatusCode::BAD_REQUEST, "el documento no tiene detalle");
        }
        if code == 33 && body["client"]["code"].as_str().is_none() {
            return refusal(
                StatusCode::BAD_REQUEST,
                "la factura requiere el RUT del cliente",
            );
        }
        let client = body.get("client").cloned();
        let document = make(&mut fake, code, net, body["references"].clone(), client);
        let slow = fake.mode == Mode::SlowOnce;
        if slow {
            fake.mode = Mode::Normal;
        }
        (document, slow)
    };
    if slow {
        // Made, but the answer arrives after the client gave up.
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    (StatusCode::CREATED, axum::Json(document))
}

async fn list_documents(
    State(fake): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> (StatusCode, axum::Json<Value>) {
    if !authorized(&headers) {
        return refusal(StatusCode::UNAUTHORIZED, "access_token inválido");
    }
    let mut fake = fake.lock().unwrap();
    if fake.mode == Mode::Down {
        return refusal(StatusCode::SERVICE_UNAVAILABLE, "mantención");
    }
    if query.contains_key("referencecode") {
        fake.lookups += 1;
    }
    let wanted = |document: &&Value| {
        let refs = document["references"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let has_ref = |code: Option<&String>, number: Option<&String>| {
            refs.iter().any(|r| {
                code.is_none_or(|c| c.parse::<i64>().ok() == r["codeSii"].as_i64())
                    && number.is_none_or(|n| r["number"].as_str() == Some(n.as_str()))
            })
        };
        (query
            .get("codesii")
            .is_none_or(|c| c.parse::<i64>().ok() == document["codeSii"].as_i64()))
            && (query
                .get("totalamount")
                .is_none_or(|t| t.parse::<i64>().ok() == document["totalAmount"].as_i64()))
            && ((!query.contains_key("referencecode") && !query.contains_key("referencenumber"))
                || has_ref(query.get("referencecode"), query.get("referencenumber")))
    };
    let items: Vec<Value> = fake.documents.iter().filter(wanted).cloned().collect();
    (
        StatusCode::OK,
        axum::Json(json!({
            "href": "https://api.bsale.cl/v1/documents.json",
            "count": items.len(), "limit": 25, "offset": 0, "items": items,
        })),
    )
}

async fn one_document(
    State(fake): State<Shared>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> (StatusCode, axum::Json<Value>) {
    if !authorized(&headers) {
        return refusal(StatusCode::UNAUTHORIZED, "access_token inválido");
    }
    let id: i64 = file.trim_end_matches(".json").parse().unwrap_or(0);
    let fake = fake.lock().unwrap();
    match fake.documents.iter().find(|d| d["id"] == id) {
        Some(d) => (StatusCode::OK, axum::Json(d.clone())),
        None => refusal(StatusCode::NOT_FOUND, "documento no encontrado"),
    }
}

async fn details(
    State(fake): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> (StatusCode, axum::Json<Value>) {
    if !authorized(&headers) {
        return refusal(StatusCode::UNAUTHORIZED, "access_token inválido");
    }
    let fake = fake.lock().unwrap();
    match fake.documents.iter().find(|d| d["id"] == id) {
        Some(d) => (
            StatusCode::OK,
            axum::Json(json!({
                "count": 1, "limit": 25, "offset": 0,
                "items": [{ "id": d["detailId"], "lineNumber": 0, "quantity": 1.0,
                            "netUnitValue": d["netAmount"], "totalAmount": d["totalAmount"] }],
            })),
        ),
        None => refusal(StatusCode::NOT_FOUND, "documento no encontrado"),
    }
}

async fn post_return(
    State(fake): State<Shared>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> (StatusCode, axum::Json<Value>) {
    if !authorized(&headers) {
        return refusal(StatusCode::UNAUTHORIZED, "access_token inválido");
    }
    let mut fake = fake.lock().unwrap();
    if fake.mode == Mode::Down {
        return refusal(StatusCode::SERVICE_UNAVAILABLE, "mantención");
    }
    fake.posts.push(body.clone());
    let reference = body["referenceDocumentId"].as_i64().unwrap_or(0);
    let Some(original) = fake
        .documents
        .iter()
        .find(|d| d["id"] == reference)
        .cloned()
    else {
        return refusal(StatusCode::BAD_REQUEST, "documento de referencia no existe");
    };
    let detail = &body["details"][0];
    if detail["documentDetailId"] != original["detailId"] {
        return refusal(StatusCode::BAD_REQUEST, "detalle no pertenece al documento");
    }
    let net = detail["unitValue"].as_i64().unwrap_or(0) * detail["quantity"].as_i64().unwrap_or(0);
    let references =
        json!([{ "number": original["number"].to_string(), "codeSii": original["codeSii"] }]);
    let note = make(&mut fake, 61, net, references, None);
    (
        StatusCode::CREATED,
        axum::Json(json!({
            "href": "https://api.bsale.cl/v1/returns/1.json",
            "id": 1, "code": "137615600351", "returnDate": 1_765_065_600,
            "motive": body["motive"], "type": 1, "priceAdjustment": body["priceAdjustment"],
            "editTexts": 0, "amount": note["totalAmount"],
            "reference_document": { "href": "", "id": reference.to_string() },
            "credit_note": { "href": "", "id": note["id"].to_string() },
        })),
    )
}

/// Serves the fake and answers its address and state.
async fn fake_bsale() -> (String, Shared) {
    let shared: Shared = Arc::new(Mutex::new(Fake {
        mode: Mode::Normal,
        documents: Vec::new(),
        posts: Vec::new(),
        lookups: 0,
        folios: HashMap::new(),
    }));
    let router = axum::Router::new()
        .route(
            "/v1/documents.json",
            post(post_document).get(list_documents),
        )
        .route("/v1/documents/{file}", get(one_document))
        .route("/v1/documents/{id}/details.json", get(details))
        .route("/v1/returns.json", post(post_return))
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{address}"), shared)
}

/// An appliance pointed at the fake, set up, with documents on and the token kept.
async fn fiscal_app(url: &str) -> (TestApp, String) {
    let url = url.to_owned();
    let app = TestApp::with_settings(move |s| {
        s.bsale_api_url = url;
        s.fiscal_timeout_ms = 400;
        s.fiscal_retry_secs = 1;
    })
    .await;
    let admin = app.setup().await;
    let on = app
        .patch(
            "/api/v1/settings",
            json!({ "fiscal_documents_enabled": true }),
            &admin,
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{:?}", on.body);
    let kept = app
        .put(
            "/api/v1/fiscal/token",
            json!({ "access_token": TOKEN }),
            &admin,
        )
        .await;
    assert_eq!(kept.status, StatusCode::NO_CONTENT, "{:?}", kept.body);
    (app, admin)
}

async fn order(app: &TestApp, token: &str, item: &str) -> String {
    let reply = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "counter", "lines": [{ "item_id": item, "quantity": 1 }] }),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

async fn pay(app: &TestApp, token: &str, order: &str, extra: Value) -> crate::common::Reply {
    let mut body = json!({ "order_id": order, "method": "debit", "amount": 12990 });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    app.post("/api/v1/payments", body, token).await
}

/// The documents once `done` holds of them (fails after 10 s).
async fn documents_when(app: &TestApp, token: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    for _ in 0..200 {
        let reply = app.get("/api/v1/fiscal/documents", token).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let mut docs = reply.body.as_array().cloned().unwrap();
        docs.reverse(); // oldest first
        if done(&docs) {
            return docs;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let reply = app.get("/api/v1/fiscal/documents", token).await;
    panic!("documents never got there: {:#?}", reply.body);
}

fn all_issued(n: usize) -> impl Fn(&[Value]) -> bool {
    move |docs| docs.len() == n && docs.iter().all(|d| d["status"] == "issued")
}

#[tokio::test]
async fn off_by_default_then_a_paid_bill_issues_a_boleta_with_folio_and_timbre() {
    let (url, fake) = fake_bsale().await;
    let app = TestApp::with_settings({
        let url = url.clone();
        move |s| s.bsale_api_url = url
    })
    .await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 12990).await;

    // Off by default: a payment issues nothing, and a factura is refused outright.
    let overview = app.get("/api/v1/fiscal", &admin).await;
    assert_eq!(overview.body["enabled"], false);
    assert_eq!(overview.body["has_token"], false);
    let first = order(&app, &admin, &item).await;
    assert_eq!(
        pay(&app, &admin, &first, json!({})).await.status,
        StatusCode::CREATED
    );
    let second = order(&app, &admin, &item).await;
    let factura = pay(
        &app,
        &admin,
        &second,
        json!({ "invoice_to": { "rut": "76.018.303-2", "name": "Ocea Chile S.A.", "activity": "Acuicultura" } }),
    )
    .await;
    assert_eq!(factura.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        factura.body["error"]["fields"]["invoice_to"].is_string(),
        "{:?}",
        factura.body
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        app.get("/api/v1/fiscal/documents", &admin)
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(fake.lock().unwrap().posts.is_empty());

    // On, with the token kept (and never answered back).
    app.patch(
        "/api/v1/settings",
        json!({ "fiscal_documents_enabled": true }),
        &admin,
    )
    .await;
    let kept = app
        .put(
            "/api/v1/fiscal/token",
            json!({ "access_token": TOKEN }),
            &admin,
        )
        .await;
    assert_eq!(kept.status, StatusCode::NO_CONTENT);
    let overview = app.get("/api/v1/fiscal", &admin).await;
    assert_eq!(overview.body["has_token"], true);
    assert!(!overview.body.to_string().contains(TOKEN));

    let paid = pay(&app, &admin, &second, json!({})).await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
    let docs = documents_when(&app, &admin, all_issued(1)).await;
    let boleta = &docs[0];
    assert_eq!(boleta["kind"], "boleta");
    assert_eq!(boleta["folio"], 1);
    assert_eq!(boleta["total"], 12990);
    assert_eq!(boleta["payment_id"], paid.body["payment"]["id"]);
    assert!(boleta["ted"].as_str().unwrap().starts_with("<TED"));
    assert!(
        boleta["url_public_view"]
            .as_str()
            .unwrap()
            .contains("bsale")
    );
    assert!(!docs.iter().any(|d| d.to_string().contains(TOKEN)));

    // What Bsale was sent: a boleta (39) of the net, IVA by Bsale's id,
    // and our reference to find it by.
    {
        let fake = fake.lock().unwrap();
        assert_eq!(fake.posts.len(), 1);
        let sent = &fake.posts[0];
        assert_eq!(sent["codeSii"], 39);
        assert_eq!(sent["declareSii"], 1);
        assert_eq!(sent["details"][0]["netUnitValue"], 10916);
        assert_eq!(sent["details"][0]["taxId"], "[1]");
        assert_eq!(sent["references"][0]["codeSii"], 802);
        assert_eq!(sent["references"][0]["number"], boleta["reference"]);
        assert!(sent.get("client").is_none());
    }

    // The receipt carries the folio and the timbre as a PDF417 (GS ( k, symbol 0x30).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let printer = FakePrinter::default();
    printer.serve(listener);
    let added = app
        .post(
            "/api/v1/printers",
            json!({ "name": "Caja", "role": "counter", "connection": "tcp", "address": address, "paper": "80" }),
            &admin,
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    let printed = app
        .post(
            &format!("/api/v1/orders/{second}/print"),
            json!({ "paper": "receipt" }),
            &admin,
        )
        .await;
    assert_eq!(printed.status, StatusCode::ACCEPTED, "{:?}", printed.body);
    let ticket = printer.wait_for(1).await.remove(0);
    let has = |needle: &[u8]| ticket.windows(needle.len()).any(|w| w == needle);
    assert!(
        has(b"BOLETA ELECTR"),
        "{}",
        String::from_utf8_lossy(&ticket)
    );
    assert!(has(b"Timbre Electr"));
    assert!(!has(b"no es boleta"));
    let ted = boleta["ted"].as_str().unwrap().as_bytes();
    assert!(has(ted), "the TED is in the PDF417's data");
    assert!(
        has(&[0x1D, 0x28, 0x6B]) && has(&[0x30, 0x50, 0x30]),
        "a PDF417 is printed"
    );
}

#[tokio::test]
async fn a_customer_with_a_valid_rut_gets_a_factura_and_a_wrong_check_digit_is_refused() {
    let (url, fake) = fake_bsale().await;
    let (app, admin) = fiscal_app(&url).await;
    let item = app.menu_item(&admin, 12990).await;
    let id = order(&app, &admin, &item).await;

    let wrong = pay(
        &app,
        &admin,
        &id,
        json!({ "invoice_to": { "rut": "76.018.303-3", "name": "Ocea Chile S.A.", "activity": "" } }),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &wrong.body["error"]["fields"];
    assert!(
        fields["invoice_to.rut"]
            .as_str()
            .unwrap()
            .contains("verificador"),
        "{fields}"
    );
    assert!(fields["invoice_to.activity"].is_string(), "{fields}");
    // Nothing half-written: the order is still unpaid, and no document is queued.
    let order_now = app.get(&format!("/api/v1/orders/{id}"), &admin).await;
    assert_eq!(
        order_now.body["payment"]["balance"], 12990,
        "{:?}",
        order_now.body
    );
    assert!(
        app.get("/api/v1/fiscal/documents", &admin)
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );

    let paid = pay(
        &app,
        &admin,
        &id,
        json!({ "invoice_to": { "rut": "76.018.303-2", "name": " Ocea Chile S.A. ",
                "activity": "Servicios relacionados con la acuicultura", "municipality": "Puerto Montt" } }),
    )
    .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
    let docs = documents_when(&app, &admin, all_issued(1)).await;
    assert_eq!(docs[0]["kind"], "factura");
    assert_eq!(docs[0]["receptor"]["rut"], "76018303-2");
    let fake = fake.lock().unwrap();
    assert_eq!(fake.posts[0]["codeSii"], 33);
    assert_eq!(fake.posts[0]["client"]["code"], "76018303-2");
    assert_eq!(fake.posts[0]["client"]["company"], "Ocea Chile S.A.");
    assert_eq!(fake.posts[0]["client"]["municipality"], "Puerto Montt");
}

#[tokio::test]
async fn a_refusal_shows_the_providers_words_in_spanish_and_english_and_the_queue_goes_on() {
    let (url, fake) = fake_bsale().await;
    let (app, admin) = fiscal_app(&url).await;
    let item = app.menu_item(&admin, 12990).await;
    fake.lock().unwrap().mode =
        Mode::Refuse("No quedan folios disponibles para Boleta Electrónica".into());
    let first = order(&app, &admin, &item).await;
    assert_eq!(
        pay(&app, &admin, &first, json!({})).await.status,
        StatusCode::CREATED
    );
    let docs = documents_when(&app, &admin, |d| {
        d.len() == 1 && d[0]["status"] == "rejected"
    })
    .await;
    assert_eq!(
        docs[0]["error_es"],
        "Bsale rechazó el documento: No quedan folios disponibles para Boleta Electrónica"
    );
    assert!(
        docs[0]["error_en"]
            .as_str()
            .unwrap()
            .starts_with("Bsale refused the document:")
    );
    assert!(docs[0]["folio"].is_null());
    let overview = app.get("/api/v1/fiscal", &admin).await;
    assert_eq!(overview.body["rejected"], 1);

    // The next sale is not held up by the refused one.
    let second = order(&app, &admin, &item).await;
    assert_eq!(
        pay(&app, &admin, &second, json!({})).await.status,
        StatusCode::CREATED
    );
    documents_when(&app, &admin, |d| d.len() == 2 && d[1]["status"] == "issued").await;

    // Once the cause is fixed, the refused one is queued again and issued.
    let id = docs[0]["id"].as_str().unwrap();
    let again = app
        .post(
            &format!("/api/v1/fiscal/documents/{id}/retry"),
            Value::Null,
            &admin,
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    let issued = documents_when(&app, &admin, all_issued(2)).await;
    assert_eq!(issued[0]["folio"], 2);
    assert!(issued[0]["error_es"].is_null());
    // Retrying an issued document is a conflict.
    let twice = app
        .post(
            &format!("/api/v1/fiscal/documents/{id}/retry"),
            Value::Null,
            &admin,
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.code(), "not_rejected");
}

#[tokio::test]
async fn a_time_out_then_a_retry_never_makes_two_documents() {
    let (url, fake) = fake_bsale().await;
    let (app, admin) = fiscal_app(&url).await;
    let item = app.menu_item(&admin, 12990).await;
    fake.lock().unwrap().mode = Mode::SlowOnce;
    let id = order(&app, &admin, &item).await;
    assert_eq!(
        pay(&app, &admin, &id, json!({})).await.status,
        StatusCode::CREATED
    );

    // The first try timed out (the document was made at Bsale all the same).
    let waiting = documents_when(&app, &admin, |d| {
        d.len() == 1 && d[0]["attempts"] == 1 && d[0]["error_es"].is_string()
    })
    .await;
    assert_eq!(waiting[0]["status"], "pending");
    assert_eq!(
        waiting[0]["error_es"],
        "Sin conexión con Bsale; se reintentará"
    );

    // The retry finds it by our reference instead of posting again.
    let docs = documents_when(&app, &admin, all_issued(1)).await;
    assert_eq!(docs[0]["folio"], 1);
    let fake = fake.lock().unwrap();
    assert_eq!(fake.documents.len(), 1, "{:#?}", fake.documents);
    assert_eq!(fake.posts.len(), 1);
    assert!(fake.lookups >= 1);
}

#[tokio::test]
async fn a_batch_queued_while_offline_is_issued_in_order_when_the_link_returns() {
    let (url, fake) = fake_bsale().await;
    let (app, admin) = fiscal_app(&url).await;
    let item = app.menu_item(&admin, 12990).await;
    fake.lock().unwrap().mode = Mode::Down;
    let mut payments = Vec::new();
    for _ in 0..3 {
        let id = order(&app, &admin, &item).await;
        let paid = pay(&app, &admin, &id, json!({})).await;
        assert_eq!(paid.status, StatusCode::CREATED);
        payments.push(paid.body["payment"]["id"].clone());
    }
    // Staff see what is pending, and why.
    let pending = documents_when(&app, &admin, |d| {
        d.len() == 3 && d[0]["error_es"].is_string()
    })
    .await;
    assert!(pending.iter().all(|d| d["status"] == "pending"));
    assert_eq!(app.get("/api/v1/fiscal", &admin).await.body["pending"], 3);
    let waiting = app
        .get("/api/v1/fiscal/documents?status=pending", &admin)
        .await;
    assert_eq!(waiting.body.as_array().unwrap().len(), 3);

    fake.lock().unwrap().mode = Mode::Normal;
    let docs = documents_when(&app, &admin, all_issued(3)).await;
    let folios: Vec<i64> = docs.iter().map(|d| d["folio"].as_i64().unwrap()).collect();
    assert_eq!(folios, vec![1, 2, 3], "queued order is folio order");
    let documented: Vec<Value> = docs.iter().map(|d| d["payment_id"].clone()).collect();
    assert_eq!(documented, payments);
    assert_eq!(app.get("/api/v1/fiscal", &admin).await.body["pending"], 0);
}

#[tokio::test]
async fn a_refund_issues_the_credit_note_of_the_boleta() {
    let (url, fake) = fake_bsale().await;
    let (app, admin) = fiscal_app(&url).await;
    let item = app.menu_item(&admin, 12990).await;
    let id = order(&app, &admin, &item).await;
    let paid = pay(&app, &admin, &id, json!({})).await;
    let payment = paid.body["payment"]["id"].as_str().unwrap().to_owned();
    let boleta = documents_when(&app, &admin, all_issued(1)).await.remove(0);

    let refund = app
        .post(
            &format!("/api/v1/payments/{payment}/refund"),
            json!({ "amount": 5990, "reason": "Plato frío" }),
            &admin,
        )
        .await;
    assert_eq!(refund.status, StatusCode::CREATED, "{:?}", refund.body);
    let docs = documents_when(&app, &admin, all_issued(2)).await;
    let note = &docs[1];
    assert_eq!(note["kind"], "credit_note");
    assert_eq!(note["corrects"], boleta["id"]);
    assert_eq!(note["total"], 5990);
    assert_eq!(note["payment_id"], refund.body["payment"]["id"]);
    assert_eq!(
        note["folio"], 1,
        "the first credit note has its own folio series"
    );

    let fake = fake.lock().unwrap();
    let sent = fake.posts.last().unwrap();
    assert_eq!(sent["codeSii"], 61);
    assert_eq!(sent["referenceDocumentId"], boleta["provider_id"]);
    assert_eq!(sent["motive"], "Plato frío");
    assert_eq!(
        sent["priceAdjustment"], 1,
        "a partial refund adjusts the price"
    );
    assert_eq!(sent["details"][0]["unitValue"], 5034);
    let made = fake.documents.last().unwrap();
    assert_eq!(made["codeSii"], 61);
    assert_eq!(made["totalAmount"], 5990);
}
