//! What a diner hears about a booking, by SMS against the Twilio fake
//! (`common::twilio`): the confirmation with a link to a public page that cancels the
//! booking the way any cloud change reaches the counter; the 24-hour and 2-hour
//! reminders, each queued once at the booking's local time across Chile's April clock
//! change; a NO by SMS cancels; a diner who refused messages when booking, or wrote BAJA,
//! gets none.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, Utc};
use common::sync::{device, hlc, id, push_ok, upsert};
use common::twilio::*;
use common::{Reply, Tenant, TestApp};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

/// Sunday 4 April 2027 at 20:00 in Santiago: the day Chile's clocks go back (−03 → −04
/// at midnight), so Saturday 20:00 is 25 hours before.
const SUNDAY_AFTER_THE_CHANGE: &str = "2027-04-04T20:00:00-04:00";

async fn setup(owner: PgConnectOptions, slug: &str) -> (TestApp, Twilio, Tenant, String) {
    let (twilio, url) = start_fake().await;
    let app = app_with(owner, url).await;
    let tenant = app.signup(slug).await;
    assert_eq!(link(&app, &tenant).await.status, StatusCode::OK);
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (table, stamp) = (id(), hlc(1));
    push_ok(
        &app,
        &token,
        vec![upsert(
            "table",
            &table,
            json!({"id": table, "name": "Mesa 1", "seats": 4, "area": "Salón", "position": 0,
                   "active": true, "created_at": "2026-11-27T12:00:00.000Z", "updated_at": stamp}),
            &stamp,
        )],
    )
    .await;
    (app, twilio, tenant, token)
}

async fn reserve(app: &TestApp, slug: &str, key: &str, body: &Value) -> Reply {
    app.send(
        Request::post(format!("/api/v1/public/{slug}/reservations"))
            .header(header::HOST, "cloud.test")
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", key)
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

fn booking(consent: Option<bool>) -> Value {
    let mut body = json!({"name": "Rosa", "phone": "9 8765 4321", "party_size": 2,
                          "starts_at": SUNDAY_AFTER_THE_CHANGE});
    if let Some(consent) = consent {
        body["messages_consent"] = json!(consent);
    }
    body
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

async fn status_of(app: &TestApp, reservation: &str) -> (String, Option<String>) {
    let mut conn = app.owner_conn().await;
    sqlx::query_as("SELECT status, cancel_reason FROM reservations WHERE id = $1")
        .bind(reservation.parse::<Uuid>().unwrap())
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

/// The path of the link in an SMS body.
fn link_path(body: &str) -> String {
    let start = body.find("https://cloud.test").unwrap() + "https://cloud.test".len();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

async fn page(app: &TestApp, method: &str, path: &str) -> (StatusCode, String) {
    let reply = app
        .send(
            Request::builder()
                .method(method)
                .uri(path)
                .header(header::HOST, "cloud.test")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let text = reply
        .body
        .as_str()
        .map_or_else(|| reply.body.to_string(), str::to_owned);
    (reply.status, text)
}

#[sqlx::test(migrations = false)]
async fn the_confirmation_carries_a_link_that_cancels_the_booking_at_the_counter(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (app, twilio, tenant, counter) = setup(owner, "reserva-link").await;
    let key = Uuid::now_v7().to_string();
    let booked = reserve(&app, "reserva-link", &key, &booking(None)).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{:?}", booked.body);
    let reservation = booked.body["id"].as_str().unwrap().to_owned();
    // A replayed request queues no second confirmation.
    assert_eq!(
        reserve(&app, "reserva-link", &key, &booking(None))
            .await
            .status,
        StatusCode::CREATED
    );
    let round = app.state.sms.run_once(Utc::now()).await.unwrap();
    assert_eq!(round.sent, 1, "{round:?}");
    let sent = twilio.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["To"], DINER, "the booking's phone, as E.164");
    let body = sent[0]["Body"].clone();
    assert!(
        body.starts_with(
            "Restaurante reserva-link: recibimos tu reserva para 2 personas el domingo 4 de abril, 20:00. Para anularla: https://cloud.test/api/v1/public/bookings/"
        ),
        "{body}"
    );
    assert!(
        body.ends_with("Responde BAJA para no recibir más mensajes."),
        "{body}"
    );

    let path = link_path(&body);
    let (status, html) = page(&app, "GET", &path).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("<html lang=\"es-CL\">"), "{html}");
    assert!(
        html.contains("domingo 4 de abril, 20:00 · 2 personas"),
        "{html}"
    );
    assert!(html.contains("Anular mi reserva"));
    let (_, english) = page(&app, "GET", &format!("{path}?lang=en")).await;
    assert!(
        english.contains("Sunday 4 April, 20:00 · 2 people"),
        "{english}"
    );
    assert!(english.contains("Cancel my booking"));
    // Another token, or another tenant's path, finds nothing.
    let mut forged = path.clone();
    forged.pop();
    forged.push(if path.ends_with('A') { 'B' } else { 'A' });
    assert_eq!(page(&app, "GET", &forged).await.0, StatusCode::NOT_FOUND);
    assert_eq!(page(&app, "POST", &forged).await.0, StatusCode::NOT_FOUND);
    let elsewhere = path.replace(&tenant.id, &Uuid::now_v7().to_string());
    assert_eq!(page(&app, "GET", &elsewhere).await.0, StatusCode::NOT_FOUND);
    assert_eq!(status_of(&app, &reservation).await.0, "confirmed");

    let (status, done) = page(&app, "POST", &path).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(done.contains("Listo: tu reserva quedó anulada."), "{done}");
    assert_eq!(
        status_of(&app, &reservation).await,
        (
            "cancelled".to_owned(),
            Some("Anulada por el cliente".to_owned())
        )
    );
    // The counter pulls it cancelled, like any change made elsewhere.
    let pulled = app
        .get(
            "/api/v1/sync/pull?cursor=0&limit=1000&schema_version=1",
            &counter,
        )
        .await;
    let row = pulled.body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|c| c["entity"] == "reservation" && c["entity_id"] == reservation.as_str())
        .cloned()
        .unwrap();
    assert_eq!(row["row"]["status"], "cancelled", "{row:?}");
    assert_eq!(row["row"]["cancel_reason"], "Anulada por el cliente");
    let (status, again) = page(&app, "GET", &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(again.contains("Esta reserva está anulada."));
    assert!(!again.contains("<form"));
}

#[sqlx::test(migrations = false)]
async fn reminders_go_once_at_the_local_time_across_the_april_change_and_no_cancels(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (app, twilio, tenant, _) = setup(owner, "reserva-aviso").await;
    let booked = reserve(
        &app,
        "reserva-aviso",
        &Uuid::now_v7().to_string(),
        &booking(Some(true)),
    )
    .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{:?}", booked.body);
    let reservation = booked.body["id"].as_str().unwrap().to_owned();
    app.state.sms.run_once(Utc::now()).await.unwrap();
    assert_eq!(twilio.sent().len(), 1, "the confirmation");

    let reminders = |now: &'static str| {
        let state = app.state.clone();
        async move {
            dysa_cloud::booking_messages::run_reminders(&state, at(now))
                .await
                .unwrap()
        }
    };
    // Saturday 3 April, still −03: 20:00 local is 23:00 UTC, 25 hours before the booking.
    assert_eq!(reminders("2027-04-03T22:59:00Z").await, 0);
    assert_eq!(reminders("2027-04-03T23:00:00Z").await, 1);
    assert_eq!(reminders("2027-04-03T23:05:00Z").await, 0, "once");
    assert_eq!(reminders("2027-04-04T12:00:00Z").await, 0);
    app.state.sms.run_once(Utc::now()).await.unwrap();
    // Sunday, now −04: 2 hours before 20:00 is 18:00 local, 22:00 UTC.
    assert_eq!(reminders("2027-04-04T21:59:00Z").await, 0);
    assert_eq!(reminders("2027-04-04T22:00:00Z").await, 1);
    assert_eq!(reminders("2027-04-04T23:30:00Z").await, 0, "once");
    app.state.sms.run_once(Utc::now()).await.unwrap();
    let sent = twilio.sent();
    assert_eq!(sent.len(), 3, "{sent:?}");
    for reminder in &sent[1..] {
        assert!(
            reminder["Body"].starts_with(
                "Restaurante reserva-aviso: te recordamos tu reserva para 2 personas el domingo 4 de abril, 20:00. ¿Vienes? Responde SI para confirmar o NO para anular."
            ),
            "{reminder:?}"
        );
    }
    assert_eq!(
        scalar_i64(&app, "SELECT count(*) FROM booking_notices").await,
        3
    );

    // NO by SMS cancels it; the diner is told in the answer.
    let inbound = format!("/api/v1/webhooks/twilio/{}/inbound", tenant.id);
    let no = webhook(
        &app,
        &inbound,
        &[
            ("AccountSid", ACCOUNT_SID),
            ("Body", "No"),
            ("From", DINER),
            ("MessageSid", "SM0000000000000000000000000000aa01"),
            ("To", FROM),
        ],
        Some(AUTH_TOKEN),
    )
    .await;
    assert_eq!(no.status, StatusCode::OK, "{:?}", no.body);
    assert!(
        no.body
            .as_str()
            .unwrap()
            .contains("<Message>Listo: anulamos tu reserva del domingo 4 de abril, 20:00."),
        "{:?}",
        no.body
    );
    assert_eq!(status_of(&app, &reservation).await.0, "cancelled");
    assert_eq!(
        scalar_i64(
            &app,
            "SELECT count(*) FROM booking_notices WHERE answer = 'no'"
        )
        .await,
        3
    );
    // A cancelled booking gets no more reminders, and a second NO answers nothing.
    assert_eq!(reminders("2027-04-04T22:30:00Z").await, 0);
}

#[sqlx::test(migrations = false)]
async fn a_diner_who_refused_messages_or_wrote_baja_gets_none(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (app, twilio, tenant, _) = setup(owner, "reserva-no").await;
    let refused = reserve(
        &app,
        "reserva-no",
        &Uuid::now_v7().to_string(),
        &booking(Some(false)),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CREATED, "{:?}", refused.body);
    assert_eq!(
        scalar_i64(
            &app,
            "SELECT count(*) FROM booking_consents WHERE NOT consented"
        )
        .await,
        1
    );
    assert_eq!(
        dysa_cloud::booking_messages::run_reminders(&app.state, at("2027-04-03T23:00:00Z"))
            .await
            .unwrap(),
        0
    );
    app.state.sms.run_once(Utc::now()).await.unwrap();
    assert!(twilio.sent().is_empty());

    let inbound = format!("/api/v1/webhooks/twilio/{}/inbound", tenant.id);
    let baja = webhook(
        &app,
        &inbound,
        &[
            ("AccountSid", ACCOUNT_SID),
            ("Body", "PARAR"),
            ("From", DINER),
            ("To", FROM),
        ],
        Some(AUTH_TOKEN),
    )
    .await;
    assert_eq!(baja.status, StatusCode::OK);
    let mut later = booking(Some(true));
    later["starts_at"] = json!("2027-04-11T20:00:00-04:00");
    let booked = reserve(&app, "reserva-no", &Uuid::now_v7().to_string(), &later).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{:?}", booked.body);
    assert_eq!(
        dysa_cloud::booking_messages::run_reminders(&app.state, at("2027-04-11T00:00:00Z"))
            .await
            .unwrap(),
        0
    );
    app.state.sms.run_once(Utc::now()).await.unwrap();
    assert!(twilio.sent().is_empty(), "{:?}", twilio.sent());
}
