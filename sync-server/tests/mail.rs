//! The mail outbox through both transports, against an SMTP sink and a SendGrid fake:
//! each mail once, retries with back-off, never a second copy after a crash, and the
//! signed Event Webhook (a bad signature stores nothing; a replay records once).

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, Utc};
use common::mail::{FAKE_API_KEY, FakeSendGrid, SmtpSink, unquote};
use common::{Reply, TestApp};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

async fn smtp_app(owner: PgConnectOptions, sink: &SmtpSink) -> TestApp {
    let url = sink.url();
    TestApp::with_settings(owner, move |s| {
        s.mail_transport = "smtp".into();
        s.smtp_url = url;
    })
    .await
}

async fn sendgrid_app(owner: PgConnectOptions, fake: &FakeSendGrid) -> TestApp {
    let (url, key) = (fake.url(), fake.public_key());
    TestApp::with_settings(owner, move |s| {
        s.mail_transport = "sendgrid".into();
        s.sendgrid_api_url = url;
        s.sendgrid_api_key = FAKE_API_KEY.into();
        s.sendgrid_webhook_public_key = key;
    })
    .await
}

/// Postgres keeps microseconds, chrono nanoseconds: equal within a millisecond.
fn assert_close(actual: Duration, secs: i64) {
    let ms = actual.num_milliseconds();
    assert!((ms - secs * 1000).abs() <= 1, "{ms} ms, expected {secs} s");
}

#[derive(Debug, sqlx::FromRow)]
struct Row {
    id: Uuid,
    purpose: String,
    to_address: String,
    status: String,
    attempts: i32,
    next_attempt_at: chrono::DateTime<Utc>,
    transport: Option<String>,
    provider_id: Option<String>,
    params: Value,
}

async fn rows(app: &TestApp) -> Vec<Row> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(app.owner.clone())
        .await
        .unwrap();
    sqlx::query_as(
        "SELECT id, purpose, to_address, status, attempts, next_attempt_at, transport,
                provider_id, params
         FROM mail_outbox ORDER BY created_at",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
}

async fn exec(app: &TestApp, sql: &'static str, id: Uuid) {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(app.owner.clone())
        .await
        .unwrap();
    sqlx::query(sql).bind(id).execute(&pool).await.unwrap();
}

async fn forgot(app: &TestApp, email: &str, lang: &str) -> Reply {
    let request = Request::post("/api/v1/auth/password/forgot")
        .header(header::HOST, "cloud.test")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT_LANGUAGE, lang)
        .body(Body::from(json!({ "email": email }).to_string()))
        .unwrap();
    app.send(request).await
}

async fn webhook(app: &TestApp, body: &str, timestamp: &str, signature: &str) -> Reply {
    let request = Request::post("/api/v1/webhooks/sendgrid/events")
        .header(header::HOST, "cloud.test")
        .header(header::CONTENT_TYPE, "application/json")
        .header("X-Twilio-Email-Event-Webhook-Signature", signature)
        .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp)
        .body(Body::from(body.to_owned()))
        .unwrap();
    app.send(request).await
}

async fn address_events(app: &TestApp) -> i64 {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(app.owner.clone())
        .await
        .unwrap();
    sqlx::query_scalar("SELECT count(*) FROM mail_address_events")
        .fetch_one(&pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn smtp_sends_each_queued_mail_once_in_the_requested_language(
    _pool: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let sink = SmtpSink::start().await;
    let app = smtp_app(owner, &sink).await;
    let tenant = app.signup("fogon").await;
    let reply = forgot(&app, &tenant.email, "en-US,en;q=0.9").await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{:?}", reply.body);
    let round = app.state.mail.run_once(Utc::now()).await.unwrap();
    assert_eq!(round.sent, 2, "{round:?}");
    let again = app.state.mail.run_once(Utc::now()).await.unwrap();
    assert_eq!(again.sent, 0);
    let messages = sink.messages();
    assert_eq!(messages.len(), 2);
    assert!(messages.iter().all(|m| m.to == vec![tenant.email.clone()]));
    let verify = unquote(&messages[0].data);
    assert!(verify.contains("Confirma tu correo"), "{verify}");
    assert!(verify.contains("/dashboard/verify?token=dyv_"), "{verify}");
    let reset = unquote(&messages[1].data);
    assert!(reset.contains("Reset your ChatBotDysa password"), "{reset}");
    assert!(reset.contains("/dashboard/reset?token=dyp_"), "{reset}");
    assert!(reset.contains("text/plain") && reset.contains("text/html"));
    let stored = rows(&app).await;
    assert!(stored.iter().all(|r| r.status == "sent" && r.attempts == 1));
    assert!(
        stored
            .iter()
            .all(|r| r.transport.as_deref() == Some("smtp"))
    );
    // A sent row keeps no live link.
    assert!(stored.iter().all(|r| r.params == json!({})));
    assert!(reset.contains(&format!("Message-ID: <{}@chatbotdysa.cl>", stored[1].id)));
}

#[sqlx::test(migrations = false)]
async fn a_refusing_relay_is_retried_with_backoff(_pool: PgPoolOptions, owner: PgConnectOptions) {
    let sink = SmtpSink::start().await;
    sink.refuse_next
        .store(2, std::sync::atomic::Ordering::SeqCst);
    let app = smtp_app(owner, &sink).await;
    app.signup("ruca").await;
    let now = Utc::now();
    let first = app.state.mail.run_once(now).await.unwrap();
    assert_eq!((first.sent, first.retried), (0, 1));
    let row = &rows(&app).await[0];
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert_close(row.next_attempt_at - now, 30);
    // Not due yet: nothing happens.
    let early = app
        .state
        .mail
        .run_once(now + Duration::seconds(10))
        .await
        .unwrap();
    assert_eq!((early.sent, early.retried), (0, 0));
    let second = app
        .state
        .mail
        .run_once(now + Duration::seconds(31))
        .await
        .unwrap();
    assert_eq!(second.retried, 1);
    let row = &rows(&app).await[0];
    assert_close(row.next_attempt_at - (now + Duration::seconds(31)), 60);
    let third = app
        .state
        .mail
        .run_once(now + Duration::seconds(95))
        .await
        .unwrap();
    assert_eq!(third.sent, 1);
    assert_eq!(sink.messages().len(), 1);
    assert_eq!(rows(&app).await[0].attempts, 3);
}

#[sqlx::test(migrations = false)]
async fn without_a_transport_mails_wait_and_the_dashboard_is_told(
    _pool: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("sin-correo").await;
    let round = app.state.mail.run_once(Utc::now()).await.unwrap();
    assert_eq!(round, Default::default());
    let stored = rows(&app).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].status.as_str(), stored[0].purpose.as_str()),
        ("pending", "verify_email")
    );
    let me = app.get("/api/v1/auth/me", &tenant.token).await;
    assert_eq!(me.body["mail_configured"], json!(false));
    assert_eq!(me.body["email_verified"], json!(false));
    let reply = forgot(&app, &tenant.email, "es-CL").await;
    assert_eq!(reply.body, json!({ "mail_configured": false }));
}

#[sqlx::test(migrations = false)]
async fn sendgrid_gets_the_documented_body_with_the_outbox_id(
    _pool: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let fake = FakeSendGrid::start().await;
    let app = sendgrid_app(owner, &fake).await;
    let tenant = app.signup("picada").await;
    let round = app.state.mail.run_once(Utc::now()).await.unwrap();
    assert_eq!(round.sent, 1);
    let bodies = fake.bodies();
    assert_eq!(bodies.len(), 1);
    let body = &bodies[0];
    let row = &rows(&app).await[0];
    assert_eq!(
        body["personalizations"][0]["to"][0]["email"],
        json!(tenant.email)
    );
    assert_eq!(
        body["personalizations"][0]["custom_args"]["outbox_id"],
        json!(row.id.to_string())
    );
    assert_eq!(
        body["from"],
        json!({ "email": "no-reply@chatbotdysa.cl", "name": "ChatBotDysa" })
    );
    assert_eq!(body["content"][0]["type"], json!("text/plain"));
    assert_eq!(body["content"][1]["type"], json!("text/html"));
    assert!(
        body["content"][1]["value"]
            .as_str()
            .unwrap()
            .contains("/dashboard/verify?token=dyv_")
    );
    assert_eq!(row.status, "sent");
    assert_eq!(row.transport.as_deref(), Some("sendgrid"));
    assert_eq!(row.provider_id.as_deref(), Some("fake-msg-1"));
}

#[sqlx::test(migrations = false)]
async fn sendgrid_outages_are_retried_and_refusals_are_not(
    _pool: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let fake = FakeSendGrid::start().await;
    fake.state
        .unavailable_next
        .store(1, std::sync::atomic::Ordering::SeqCst);
    let app = sendgrid_app(owner.clone(), &fake).await;
    app.signup("cocineria").await;
    let now = Utc::now();
    assert_eq!(app.state.mail.run_once(now).await.unwrap().retried, 1);
    assert_eq!(
        app.state
            .mail
            .run_once(now + Duration::seconds(31))
            .await
            .unwrap()
            .sent,
        1
    );
    assert_eq!(fake.bodies().len(), 1);

    // A wrong API key is refused for good: failed, never tried again.
    let wrong = TestApp::with_settings(owner, {
        let url = fake.url();
        move |s| {
            s.mail_transport = "sendgrid".into();
            s.sendgrid_api_url = url;
            s.sendgrid_api_key = "SG.wrong".into();
        }
    })
    .await;
    wrong.signup("otra").await;
    let round = wrong.state.mail.run_once(Utc::now()).await.unwrap();
    assert_eq!((round.sent, round.retried, round.ended), (0, 0, 1));
    let row = rows(&wrong)
        .await
        .into_iter()
        .find(|r| r.to_address == "owner@otra.cl")
        .unwrap();
    assert_eq!(row.status, "failed");
    let later = wrong
        .state
        .mail
        .run_once(Utc::now() + Duration::hours(3))
        .await
        .unwrap();
    assert_eq!(later, Default::default());
}

#[sqlx::test(migrations = false)]
async fn a_worker_that_died_mid_send_never_sends_the_mail_again(
    _pool: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let fake = FakeSendGrid::start().await;
    let app = sendgrid_app(owner, &fake).await;
    app.signup("cazuela").await;
    let id = rows(&app).await[0].id;
    // What a crash after the hand-over leaves: the row claimed, its lease run out.
    exec(
        &app,
        "UPDATE mail_outbox SET status = 'sending', attempts = 1,
                claimed_until = now() - interval '1 minute' WHERE id = $1",
        id,
    )
    .await;
    let round = app.state.mail.run_once(Utc::now()).await.unwrap();
    assert_eq!((round.abandoned, round.sent), (1, 0));
    assert!(fake.bodies().is_empty());
    assert_eq!(rows(&app).await[0].status, "uncertain");
    assert_eq!(app.state.mail.run_once(Utc::now()).await.unwrap().sent, 0);
    // SendGrid's own `processed` event for that row settles it as sent.
    let body = json!([{
        "email": "owner@cazuela.cl", "event": "processed", "sg_event_id": "ev-processed",
        "timestamp": 1_700_000_000, "outbox_id": id.to_string(),
    }])
    .to_string();
    let (timestamp, signature) = fake.sign(&body);
    assert_eq!(
        webhook(&app, &body, &timestamp, &signature).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(rows(&app).await[0].status, "sent");
    assert!(fake.bodies().is_empty());
}

#[sqlx::test(migrations = false)]
async fn the_event_webhook_needs_its_signature_and_records_each_event_once(
    _pool: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let fake = FakeSendGrid::start().await;
    let app = sendgrid_app(owner, &fake).await;
    let tenant = app.signup("mote").await;
    let body = json!([
        { "email": tenant.email.to_uppercase(), "event": "bounce", "type": "bounce",
          "reason": "550 5.1.1 no such user", "sg_event_id": "ev-1", "timestamp": 1_700_000_000 },
        { "email": "someone@else.cl", "event": "bounce", "type": "blocked",
          "sg_event_id": "ev-2", "timestamp": 1_700_000_000 },
        { "email": "x@y.cl", "event": "open", "sg_event_id": "ev-3", "timestamp": 1_700_000_000 },
    ])
    .to_string();
    let (timestamp, signature) = fake.sign(&body);

    // Signed by another key, tampered, re-timed or unsigned: 401, nothing stored.
    let stranger = FakeSendGrid::start().await;
    let (t2, foreign) = stranger.sign(&body);
    let forged = webhook(&app, &body, &t2, &foreign).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    assert_eq!(forged.code(), "bad_signature");
    let tampered = body.replace("no such user", "no such user!");
    assert_eq!(
        webhook(&app, &tampered, &timestamp, &signature)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let retimed = format!("{}", timestamp.parse::<i64>().unwrap() + 1);
    assert_eq!(
        webhook(&app, &body, &retimed, &signature).await.status,
        StatusCode::UNAUTHORIZED
    );
    let unsigned = app
        .post(
            "/api/v1/webhooks/sendgrid/events",
            serde_json::from_str(&body).unwrap(),
            None,
        )
        .await;
    assert_eq!(unsigned.status, StatusCode::UNAUTHORIZED);
    assert_eq!(address_events(&app).await, 0);

    // Signed: the hard bounce is recorded (a blocked one and an open are not)…
    assert_eq!(
        webhook(&app, &body, &timestamp, &signature).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(address_events(&app).await, 1);
    // …and a replay of the same post records nothing more.
    assert_eq!(
        webhook(&app, &body, &timestamp, &signature).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(address_events(&app).await, 1);

    // The bounced address gets no more mail.
    let queued = forgot(&app, &tenant.email, "es").await;
    assert_eq!(queued.status, StatusCode::ACCEPTED);
    let round = app.state.mail.run_once(Utc::now()).await.unwrap();
    assert_eq!((round.sent, round.ended), (0, 2));
    assert!(rows(&app).await.iter().all(|r| r.status == "suppressed"));
    assert!(fake.bodies().is_empty());

    // Signed but not an array of events: 400.
    let (t3, s3) = fake.sign("{\"not\":\"events\"}");
    let malformed = webhook(&app, "{\"not\":\"events\"}", &t3, &s3).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrations = false)]
async fn without_a_webhook_key_every_post_is_refused(
    _pool: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let fake = FakeSendGrid::start().await;
    let app = TestApp::new(owner).await;
    let body = json!([{ "email": "a@b.cl", "event": "bounce", "sg_event_id": "e" }]).to_string();
    let (timestamp, signature) = fake.sign(&body);
    assert_eq!(
        webhook(&app, &body, &timestamp, &signature).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(address_events(&app).await, 0);
}
