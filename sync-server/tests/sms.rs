//! SMS by Twilio, against the faithful local fake of the Messages API in
//! `common::twilio` (HTTP Basic auth, form-encoded `To`, `From`/`MessagingServiceSid`,
//! `Body`, `StatusCallback`; `201` with the Message resource, or Twilio's error object)
//! behind the real client: the owner links the account write-only; an SMS leaves once
//! however often it is queued or the worker runs, and is retried while Twilio is down;
//! the status callback is refused with 401 and nothing stored unless
//! `X-Twilio-Signature` verifies, a replayed callback records one status, and statuses
//! only move forward; a diner's BAJA/STOP (by SMS, or Twilio's 21610) suppresses every
//! later SMS until ALTA.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::twilio::*;
use serde_json::json;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::sync::atomic::Ordering;

#[sqlx::test(migrations = false)]
async fn the_owner_links_twilio_write_only(_: PgPoolOptions, owner: PgConnectOptions) {
    let (_, url) = start_fake().await;
    let app = app_with(owner, url).await;
    let tenant = app.signup("sms-link").await;

    let before = app.get("/api/v1/sms/twilio", &tenant.token).await;
    assert_eq!(before.status, StatusCode::OK);
    assert_eq!(before.body["linked"], false);

    let bad = app
        .put(
            "/api/v1/sms/twilio",
            json!({ "account_sid": "AC12", "auth_token": "short" }),
            &tenant.token,
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
    assert!(bad.body["error"]["fields"]["account_sid"].is_string());
    assert!(bad.body["error"]["fields"]["auth_token"].is_string());
    assert!(bad.body["error"]["fields"]["from_number"].is_string());

    let linked = link(&app, &tenant).await;
    assert_eq!(linked.status, StatusCode::OK, "{:?}", linked.body);
    assert_eq!(linked.body["linked"], true);
    assert_eq!(linked.body["sender"], FROM);
    assert_eq!(
        linked.body["inbound_url"],
        format!(
            "https://cloud.test/api/v1/webhooks/twilio/{}/inbound",
            tenant.id
        )
    );
    let read = app.get("/api/v1/sms/twilio", &tenant.token).await;
    assert!(!read.body.to_string().contains(AUTH_TOKEN));
    // At rest the token is sealed: its bytes appear nowhere in the row.
    let mut conn = app.owner_conn().await;
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT auth_token FROM twilio_accounts")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(
        !sealed
            .windows(AUTH_TOKEN.len())
            .any(|w| w == AUTH_TOKEN.as_bytes())
    );

    // A viewer sees whether it is linked, and may not link or unlink.
    let (_, viewer) = app
        .account(&tenant.token, "vista@sms-link.cl", "viewer")
        .await;
    assert_eq!(
        app.get("/api/v1/sms/twilio", &viewer).await.status,
        StatusCode::OK
    );
    let refused = app
        .put(
            "/api/v1/sms/twilio",
            json!({ "account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN, "from_number": FROM }),
            &viewer,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.delete("/api/v1/sms/twilio", &viewer).await.status,
        StatusCode::FORBIDDEN
    );

    // Another tenant sees nothing of it.
    let other = app.signup("sms-otro").await;
    let theirs = app.get("/api/v1/sms/twilio", &other.token).await;
    assert_eq!(theirs.body["linked"], false);

    assert_eq!(
        app.delete("/api/v1/sms/twilio", &tenant.token).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete("/api/v1/sms/twilio", &tenant.token).await.status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = false)]
async fn an_sms_leaves_once_and_its_statuses_are_recorded_once(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let (twilio, url) = start_fake().await;
    let app = app_with(owner, url).await;
    let tenant = app.signup("sms-envio").await;
    assert_eq!(link(&app, &tenant).await.status, StatusCode::OK);

    assert!(
        queue(
            &app,
            &tenant,
            DINER,
            "booking:1:confirmation",
            "Reserva confirmada"
        )
        .await
    );
    assert!(
        !queue(
            &app,
            &tenant,
            DINER,
            "booking:1:confirmation",
            "Reserva confirmada"
        )
        .await
    );
    // The number is sealed in the outbox.
    let mut conn = app.owner_conn().await;
    let phone: Vec<u8> = sqlx::query_scalar("SELECT phone FROM sms_outbox")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(!phone.windows(8).any(|w| w == b"98765432"));

    // Twilio down: retried later, nothing sent.
    twilio.down.store(true, Ordering::SeqCst);
    let now = chrono::Utc::now();
    let round = app.state.sms.run_once(now).await.unwrap();
    assert_eq!((round.sent, round.retried), (0, 1));
    twilio.down.store(false, Ordering::SeqCst);
    let later = now + chrono::Duration::hours(1);
    let round = app.state.sms.run_once(later).await.unwrap();
    assert_eq!(round.sent, 1);
    let round = app
        .state
        .sms
        .run_once(later + chrono::Duration::hours(3))
        .await
        .unwrap();
    assert_eq!(round.sent, 0);
    let sent = twilio.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["To"], DINER);
    assert_eq!(sent[0]["From"], FROM);
    assert_eq!(sent[0]["Body"], "Reserva confirmada");
    let status_path = format!("/api/v1/webhooks/twilio/{}/status", tenant.id);
    assert_eq!(
        sent[0]["StatusCallback"],
        format!("https://cloud.test{status_path}")
    );
    let sid = format!("SM{:032x}", 1);
    assert_eq!(provider_status(&app, &sid).await.as_deref(), Some("queued"));

    // A forged callback (wrong token, none, or another tenant's URL): 401, nothing stored.
    let forged = webhook(
        &app,
        &status_path,
        &status_params(&sid, "failed"),
        Some("not-the-token"),
    )
    .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    assert_eq!(forged.code(), "bad_signature");
    let unsigned = webhook(&app, &status_path, &status_params(&sid, "failed"), None).await;
    assert_eq!(unsigned.status, StatusCode::UNAUTHORIZED);
    let stranger = format!("/api/v1/webhooks/twilio/{}/status", uuid::Uuid::now_v7());
    let unknown = webhook(
        &app,
        &stranger,
        &status_params(&sid, "failed"),
        Some(AUTH_TOKEN),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        scalar_i64(&app, "SELECT count(*) FROM sms_status_events").await,
        0
    );
    assert_eq!(provider_status(&app, &sid).await.as_deref(), Some("queued"));
    // A signature over other parameters than those posted does not pass either.
    let mut tampered = status_params(&sid, "delivered");
    let signature = twilio_signature(
        AUTH_TOKEN,
        &format!("https://cloud.test{status_path}"),
        &tampered,
    );
    tampered[4] = ("MessageStatus", "failed");
    let request = Request::post(&status_path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", signature)
        .body(Body::from(serde_urlencoded::to_string(&tampered).unwrap()))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        scalar_i64(&app, "SELECT count(*) FROM sms_status_events").await,
        0
    );

    // Signed: recorded; replayed: still one status.
    for _ in 0..3 {
        let delivered = webhook(
            &app,
            &status_path,
            &status_params(&sid, "delivered"),
            Some(AUTH_TOKEN),
        )
        .await;
        assert_eq!(
            delivered.status,
            StatusCode::NO_CONTENT,
            "{:?}",
            delivered.body
        );
    }
    assert_eq!(
        scalar_i64(&app, "SELECT count(*) FROM sms_status_events").await,
        1
    );
    assert_eq!(
        provider_status(&app, &sid).await.as_deref(),
        Some("delivered")
    );
    // A late `sent` is logged but does not move the message back.
    let late = webhook(
        &app,
        &status_path,
        &status_params(&sid, "sent"),
        Some(AUTH_TOKEN),
    )
    .await;
    assert_eq!(late.status, StatusCode::NO_CONTENT);
    assert_eq!(
        scalar_i64(&app, "SELECT count(*) FROM sms_status_events").await,
        2
    );
    assert_eq!(
        provider_status(&app, &sid).await.as_deref(),
        Some("delivered")
    );
    // Signed but not a status callback: 400.
    let odd = webhook(
        &app,
        &status_path,
        &[("AccountSid", ACCOUNT_SID)],
        Some(AUTH_TOKEN),
    )
    .await;
    assert_eq!(odd.status, StatusCode::BAD_REQUEST);
    assert_eq!(odd.code(), "malformed_webhook");
}

#[sqlx::test(migrations = false)]
async fn baja_by_sms_is_honoured_until_alta(_: PgPoolOptions, owner: PgConnectOptions) {
    let (twilio, url) = start_fake().await;
    let app = app_with(owner, url).await;
    let tenant = app.signup("sms-baja").await;
    assert_eq!(link(&app, &tenant).await.status, StatusCode::OK);
    let inbound = format!("/api/v1/webhooks/twilio/{}/inbound", tenant.id);
    let diner_says = |body: &'static str| {
        vec![
            ("AccountSid", ACCOUNT_SID),
            ("Body", body),
            ("From", DINER),
            ("MessageSid", "SM00000000000000000000000000000099"),
            ("NumMedia", "0"),
            ("To", FROM),
        ]
    };

    // A forged BAJA opts nobody out.
    let forged = webhook(&app, &inbound, &diner_says("BAJA"), Some("wrong")).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        scalar_i64(&app, "SELECT count(*) FROM diner_opt_outs").await,
        0
    );

    let baja = webhook(&app, &inbound, &diner_says("Baja"), Some(AUTH_TOKEN)).await;
    assert_eq!(baja.status, StatusCode::OK, "{:?}", baja.body);
    assert_eq!(
        baja.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/xml; charset=utf-8"
    );
    assert!(
        baja.body
            .as_str()
            .unwrap()
            .contains("<Message>Listo: no te enviaremos")
    );
    // Stored as a keyed hash only: the number is nowhere in the row.
    let mut conn = app.owner_conn().await;
    let (kind, hash, source): (String, Vec<u8>, String) =
        sqlx::query_as("SELECT kind, hash, source FROM diner_opt_outs")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!((kind.as_str(), source.as_str()), ("phone", "sms"));
    assert!(!hash.windows(8).any(|w| w == b"98765432"));

    // Written as the counter or the widget writes it: the same number.
    assert!(
        queue(
            &app,
            &tenant,
            "+56 9 8765 4321",
            "booking:2:reminder:24",
            "Recordatorio"
        )
        .await
    );
    let round = app.state.sms.run_once(chrono::Utc::now()).await.unwrap();
    assert_eq!((round.sent, round.suppressed), (0, 1));
    assert!(twilio.sent().is_empty());

    // STOP again (Twilio's own word: Twilio confirms it, we answer an empty TwiML).
    let stop = webhook(&app, &inbound, &diner_says("STOP"), Some(AUTH_TOKEN)).await;
    assert_eq!(stop.status, StatusCode::OK);
    assert!(!stop.body.as_str().unwrap().contains("<Message>"));
    assert_eq!(
        scalar_i64(&app, "SELECT count(*) FROM diner_opt_outs").await,
        1
    );

    let alta = webhook(&app, &inbound, &diner_says("ALTA"), Some(AUTH_TOKEN)).await;
    assert!(alta.body.as_str().unwrap().contains("volverás a recibir"));
    assert!(queue(&app, &tenant, DINER, "booking:2:reminder:2", "Te esperamos").await);
    let round = app.state.sms.run_once(chrono::Utc::now()).await.unwrap();
    assert_eq!(round.sent, 1);
    assert_eq!(twilio.sent().len(), 1);

    // STOP sent to the number itself: Twilio refuses with 21610, which opts out here too.
    twilio.unsubscribed.lock().unwrap().insert(DINER.to_owned());
    assert!(queue(&app, &tenant, DINER, "order:3:ready", "Pedido listo").await);
    let round = app.state.sms.run_once(chrono::Utc::now()).await.unwrap();
    assert_eq!(round.failed, 1);
    assert_eq!(
        scalar_i64(&app, "SELECT count(*) FROM diner_opt_outs").await,
        1
    );
    assert!(queue(&app, &tenant, DINER, "order:4:ready", "Pedido listo").await);
    let round = app.state.sms.run_once(chrono::Utc::now()).await.unwrap();
    assert_eq!(round.suppressed, 1);
    assert_eq!(twilio.sent().len(), 1);
}
