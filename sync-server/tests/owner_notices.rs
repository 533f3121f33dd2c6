//! What the cloud tells owners by itself (`dysa_cloud::owner_notices`): the weekly
//! summary goes out once per owner and week at Monday 08:00 in Santiago (not a minute
//! before, never twice, not even from two cloud instances at once), with each location's
//! sales in pesos, orders, best sellers and no-shows; an offline counter during opening
//! hours is alerted once per outage; and each owner's channel and language are honoured.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, TimeZone, Utc};
use common::mail::{SmtpSink, unquote};
use common::{TestApp, test_settings};
use dysa_cloud::owner_notices::{self, Queued};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

const URL: &str = "https://cloud.test";

async fn smtp_app(owner: PgConnectOptions, sink: &SmtpSink) -> TestApp {
    let url = sink.url();
    TestApp::with_settings(owner, move |s| {
        s.mail_transport = "smtp".into();
        s.smtp_url = url;
    })
    .await
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap()
}

/// An order of `total` on business date `date` at `location`, with one line of `units`
/// of `item`.
async fn sale(
    app: &TestApp,
    tenant: &common::Tenant,
    date: &str,
    total: i64,
    item: &str,
    units: i64,
) {
    let mut conn = app.owner_conn().await;
    let (t, l): (Uuid, Uuid) = (
        tenant.id.parse().unwrap(),
        tenant.location_id.parse().unwrap(),
    );
    let order = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO orders (tenant_id, location_id, id, number, business_date, channel, status,
                             subtotal, total, net, tax, amount_due, hlc, created_at)
         VALUES ($1, $2, $3, 1, $4::date, 'counter', 'completed', $5, $5, $5, 0, 0, 'h', now())",
    )
    .bind(t)
    .bind(l)
    .bind(order)
    .bind(date)
    .bind(total)
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO order_lines (tenant_id, id, order_id, position, item_id, name, quantity,
                                  unit_price, line_total, hlc)
         VALUES ($1, $2, $3, 1, $2, $4, $5, $6 / $5, $6, 'h')",
    )
    .bind(t)
    .bind(Uuid::now_v7())
    .bind(order)
    .bind(item)
    .bind(units)
    .bind(total)
    .execute(&mut conn)
    .await
    .unwrap();
}

async fn no_show(app: &TestApp, tenant: &common::Tenant, at: DateTime<Utc>) {
    let mut conn = app.owner_conn().await;
    sqlx::query(
        "INSERT INTO reservations (tenant_id, location_id, id, customer_name, party_size,
                                   starts_at, ends_at, status, hlc)
         VALUES ($1, $2, $3, 'Rosa', 4, $4, $4 + interval '2 hours', 'no_show', 'h')",
    )
    .bind(tenant.id.parse::<Uuid>().unwrap())
    .bind(tenant.location_id.parse::<Uuid>().unwrap())
    .bind(Uuid::now_v7())
    .bind(at)
    .execute(&mut conn)
    .await
    .unwrap();
}

fn mails(queued: Queued) -> usize {
    assert_eq!(queued.whatsapp, 0, "{queued:?}");
    queued.mail
}

/// The messages the sink got whose text holds `needle`.
fn received(sink: &SmtpSink, needle: &str) -> Vec<String> {
    sink.messages()
        .iter()
        .map(|m| unquote(&m.data))
        .filter(|d| d.contains(needle))
        .collect()
}

#[sqlx::test(migrations = false)]
async fn the_weekly_summary_goes_once_at_monday_eight_in_santiago(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let sink = SmtpSink::start().await;
    let app = smtp_app(owner.clone(), &sink).await;
    let tenant = app.signup("donde-ana").await;
    // The week of Monday 30 Nov – Sunday 6 Dec 2026, and a sale after it.
    sale(&app, &tenant, "2026-11-30", 12_990, "Completo italiano", 3).await;
    sale(&app, &tenant, "2026-12-06", 8_000, "Completo italiano", 2).await;
    sale(&app, &tenant, "2026-12-03", 1_100_000, "Cazuela", 1).await;
    sale(&app, &tenant, "2026-12-07", 99_999, "Fuera de semana", 50).await;
    no_show(&app, &tenant, utc(2026, 12, 2, 23, 0)).await;
    no_show(&app, &tenant, utc(2026, 12, 7, 23, 0)).await; // next week's

    let db = &app.state.db;
    // 07:59 in Santiago (UTC−3 in December): not yet.
    let early = owner_notices::run_once(db, &app.state.vault, URL, utc(2026, 12, 7, 10, 59))
        .await
        .unwrap();
    assert_eq!(mails(early), 0);
    // 08:00: once; a minute later and the next morning, nothing more.
    let due = owner_notices::run_once(db, &app.state.vault, URL, utc(2026, 12, 7, 11, 0))
        .await
        .unwrap();
    assert_eq!(mails(due), 1);
    for again in [utc(2026, 12, 7, 11, 1), utc(2026, 12, 8, 10, 0)] {
        let queued = owner_notices::run_once(db, &app.state.vault, URL, again)
            .await
            .unwrap();
        assert_eq!(mails(queued), 0, "{again}");
    }
    app.state
        .mail
        .run_once(Utc::now() + Duration::minutes(1))
        .await
        .unwrap();
    let sent = received(&sink, "les fue a tus locales");
    assert_eq!(sent.len(), 1, "{sent:?}");
    let mail = &sent[0];
    assert!(mail.contains(&format!("To: {}", tenant.email)) || mail.contains(&tenant.email));
    assert!(mail.contains("lunes 30 de noviembre de 2026"), "{mail}");
    assert!(mail.contains("domingo 6 de diciembre de 2026"), "{mail}");
    // 12.990 + 8.000 + 1.100.000, three orders, one no-show; the 7 Dec sale is not in.
    assert!(
        mail.contains("ventas $1.120.990 · 3 pedidos · 1 reserva sin llegar"),
        "{mail}"
    );
    assert!(
        mail.contains("Lo más vendido: Completo italiano (5), Cazuela (1)."),
        "{mail}"
    );
    assert!(!mail.contains("Fuera de semana"), "{mail}");
    assert!(mail.contains("text/plain") && mail.contains("text/html"));

    // Two cloud instances at the next Monday's 08:00, at once: one summary.
    let second = dysa_cloud::open_with(owner, test_settings()).await.unwrap();
    let at = utc(2026, 12, 14, 11, 0);
    let (a, b) = tokio::join!(
        owner_notices::run_once(db, &app.state.vault, URL, at),
        owner_notices::run_once(&second.db, &second.vault, URL, at),
    );
    assert_eq!(mails(a.unwrap()) + mails(b.unwrap()), 1);
}

#[sqlx::test(migrations = false)]
async fn owners_choose_the_channel_and_language_of_each_message(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let sink = SmtpSink::start().await;
    let app = smtp_app(owner, &sink).await;
    let tenant = app.signup("donde-ana").await;
    let prefs = app.get("/api/v1/notifications", &tenant.token).await;
    assert_eq!(prefs.status, StatusCode::OK, "{:?}", prefs.body);
    assert_eq!(
        prefs.body,
        json!({ "weekly_summary": "email", "alerts": "email", "stuck_alerts": "email",
                "whatsapp_to": null, "lang": "es" })
    );

    // Only the owner chooses; WhatsApp needs a number with its country code.
    let (_, manager) = app
        .account(&tenant.token, "gerente@dondeana.cl", "manager")
        .await;
    let refused = app
        .put(
            "/api/v1/notifications",
            json!({ "weekly_summary": "off", "alerts": "off", "lang": "es" }),
            &manager,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    for number in [Value::Null, json!("912345678"), json!("+56 9 1234 abcd")] {
        let bad = app
            .put(
                "/api/v1/notifications",
                json!({ "weekly_summary": "whatsapp", "alerts": "email", "whatsapp_to": number, "lang": "es" }),
                &tenant.token,
            )
            .await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{number}: {:?}",
            bad.body
        );
        assert!(
            bad.body["error"]["fields"]["whatsapp_to"].is_string(),
            "{:?}",
            bad.body
        );
    }
    let wrong = app
        .put(
            "/api/v1/notifications",
            json!({ "weekly_summary": "sms", "alerts": "email", "lang": "es" }),
            &tenant.token,
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        wrong.body
    );

    // Off: no summary that week.
    let off = app
        .put(
            "/api/v1/notifications",
            json!({ "weekly_summary": "off", "alerts": "email", "lang": "en" }),
            &tenant.token,
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{:?}", off.body);
    let db = &app.state.db;
    let queued = owner_notices::run_once(db, &app.state.vault, URL, utc(2026, 12, 7, 11, 0))
        .await
        .unwrap();
    assert_eq!(mails(queued), 0);

    // WhatsApp with no number linked by the restaurant: no mail either.
    let whatsapp = app
        .put(
            "/api/v1/notifications",
            json!({ "weekly_summary": "whatsapp", "alerts": "email",
                    "whatsapp_to": "+56 9 1234 5678", "lang": "en" }),
            &tenant.token,
        )
        .await;
    assert_eq!(whatsapp.status, StatusCode::OK, "{:?}", whatsapp.body);
    assert_eq!(whatsapp.body["whatsapp_to"], "+56912345678");
    let queued = owner_notices::run_once(db, &app.state.vault, URL, utc(2026, 12, 14, 11, 0))
        .await
        .unwrap();
    assert_eq!(queued, Queued::default());

    // Email in English: the next week's summary comes in English.
    let email = app
        .put(
            "/api/v1/notifications",
            json!({ "weekly_summary": "email", "alerts": "email", "lang": "en" }),
            &tenant.token,
        )
        .await;
    assert_eq!(email.status, StatusCode::OK, "{:?}", email.body);
    let queued = owner_notices::run_once(db, &app.state.vault, URL, utc(2026, 12, 21, 11, 0))
        .await
        .unwrap();
    assert_eq!(mails(queued), 1);
    app.state
        .mail
        .run_once(Utc::now() + Duration::minutes(1))
        .await
        .unwrap();
    let sent = received(&sink, "how your locations did");
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("Monday 14 December 2026"), "{}", sent[0]);
    assert!(
        sent[0].contains("sales $0 · 0 orders · 0 no-shows"),
        "{}",
        sent[0]
    );
}

#[sqlx::test(migrations = false)]
async fn an_offline_counter_in_opening_hours_is_alerted_once_per_outage(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let sink = SmtpSink::start().await;
    let app = smtp_app(owner, &sink).await;
    let tenant = app.signup("donde-ana").await;
    let db = &app.state.db;
    let tenant_id = dysa_domain::ids::TenantId(tenant.id.parse().unwrap());
    let alerts = |now: DateTime<Utc>| {
        owner_notices::queue_offline_alerts(db, &app.state.vault, tenant_id, now, URL)
    };

    // No counter enrolled: nothing to alert.
    let noon = utc(2026, 12, 7, 15, 0); // Monday 12:00 in Santiago
    assert_eq!(mails(alerts(noon).await.unwrap()), 0);

    common::sync::first_device(&app, &tenant).await;
    let mut conn = app.owner_conn().await;
    let seen = |at: DateTime<Utc>| sqlx::query("UPDATE devices SET last_seen_at = $1").bind(at);
    seen(noon - Duration::minutes(61))
        .execute(&mut conn)
        .await
        .unwrap();
    // No opening hours synced yet: the cloud cannot tell, so it says nothing.
    assert_eq!(mails(alerts(noon).await.unwrap()), 0);
    let hours = json!({
        "monday": [{"open": "12:00", "close": "16:00"}, {"open": "19:00", "close": "23:30"}],
        "tuesday": [{"open": "12:00", "close": "16:00"}],
    });
    sqlx::query(
        "INSERT INTO location_settings (tenant_id, location_id, key, value, hlc)
         VALUES ($1, $2, 'restaurant.opening_hours', $3, 'h')",
    )
    .bind(tenant.id.parse::<Uuid>().unwrap())
    .bind(tenant.location_id.parse::<Uuid>().unwrap())
    .bind(sqlx::types::Json(&hours))
    .execute(&mut conn)
    .await
    .unwrap();

    // Seen 59 minutes ago: not yet. 61: one alert, then none for the same outage.
    seen(noon - Duration::minutes(59))
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(mails(alerts(noon).await.unwrap()), 0);
    seen(noon - Duration::minutes(61))
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(mails(alerts(noon).await.unwrap()), 1);
    assert_eq!(mails(alerts(noon + Duration::minutes(5)).await.unwrap()), 0);
    assert_eq!(
        mails(alerts(noon + Duration::minutes(90)).await.unwrap()),
        0
    );
    // Closed (Monday 17:30 in Santiago, between services): an outage then says nothing.
    let closed = utc(2026, 12, 7, 20, 30);
    seen(closed - Duration::hours(2))
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(mails(alerts(closed).await.unwrap()), 0);
    // Back, then gone again during the evening service: a new outage, a new alert.
    let evening = utc(2026, 12, 7, 23, 0); // 20:00 in Santiago
    seen(evening - Duration::minutes(70))
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(mails(alerts(evening).await.unwrap()), 1);
    assert_eq!(
        mails(alerts(evening + Duration::minutes(1)).await.unwrap()),
        0
    );

    app.state
        .mail
        .run_once(Utc::now() + Duration::minutes(1))
        .await
        .unwrap();
    let sent = received(&sink, "se conecta a la nube");
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[0].contains("hace 61 minutos"), "{}", sent[0]);

    // Alerts off: the next outage is not told.
    let off = app
        .put(
            "/api/v1/notifications",
            json!({ "weekly_summary": "email", "alerts": "off", "lang": "es" }),
            &tenant.token,
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{:?}", off.body);
    let tuesday = utc(2026, 12, 8, 17, 0); // 14:00 in Santiago
    seen(tuesday - Duration::hours(3))
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(mails(alerts(tuesday).await.unwrap()), 0);
}

/// An owner who chose WhatsApp hears from the restaurant's linked number (the fake Graph
/// API of `common::whatsapp`). Meta delivers free text only within 24 hours of the
/// recipient's last message to the number ("customer service window",
/// <https://developers.facebook.com/docs/whatsapp/pricing#customer-service-windows>);
/// an owner who never wrote to it gets the link's approved template, the notice's text its
/// one body parameter, on one line (Meta refuses a parameter holding new-lines, tabs or
/// more than four consecutive spaces). Once the owner has written, the next notice is
/// free text, lines and all. Each goes once.
#[sqlx::test(migrations = false)]
async fn owners_on_whatsapp_get_the_template_outside_the_window_and_text_inside_it(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    use common::whatsapp::{PHONE_NUMBER_ID, app_with_graph, fake_graph, link, signed, wait_sent};
    let (graph, graph_url) = fake_graph().await;
    let app = app_with_graph(owner, &graph_url, 500).await;
    let tenant = app.signup("donde-ana").await;
    let path = link(&app, &tenant).await;
    sale(&app, &tenant, "2026-11-30", 12_990, "Completo italiano", 3).await;
    let chose = app
        .put(
            "/api/v1/notifications",
            json!({ "weekly_summary": "whatsapp", "alerts": "whatsapp",
                    "whatsapp_to": "+56 9 1234 5678", "lang": "es" }),
            &tenant.token,
        )
        .await;
    assert_eq!(chose.status, StatusCode::OK, "{:?}", chose.body);
    let db = &app.state.db;

    // Monday 08:00 in Santiago: the summary, queued once for WhatsApp (none by mail).
    let monday = utc(2026, 12, 7, 11, 0);
    let queued = owner_notices::run_once(db, &app.state.vault, URL, monday)
        .await
        .unwrap();
    assert_eq!(
        queued,
        Queued {
            mail: 0,
            whatsapp: 1
        }
    );
    let again = owner_notices::run_once(db, &app.state.vault, URL, monday + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(again, Queued::default());
    app.state.whatsapp.run_once(Utc::now()).await.unwrap();
    let sent = wait_sent(&graph, 1).await;
    let (number, summary) = &sent[0];
    assert_eq!(number, PHONE_NUMBER_ID);
    assert_eq!(summary["to"], "56912345678");
    assert_eq!(summary["type"], "template", "{summary}");
    assert_eq!(summary["template"]["name"], "dysa_aviso");
    assert_eq!(summary["template"]["language"]["code"], "es");
    let text = summary["template"]["components"][0]["parameters"][0]["text"]
        .as_str()
        .unwrap();
    assert!(text.contains("ventas $12.990 · 1 pedido"), "{text}");
    assert!(
        !text.contains(['\n', '\t']) && !text.contains("     "),
        "{text}"
    );

    // The owner writes to the restaurant's number (the cloud answers, the counter being
    // away): the window is open.
    let mut hello = common::whatsapp::notification("wamid.OWNER1", "hola");
    hello["entry"][0]["changes"][0]["value"]["messages"][0]["from"] = json!("56912345678");
    hello["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = json!("56912345678");
    assert_eq!(signed(&app, &path, &hello).await.status, StatusCode::OK);
    wait_sent(&graph, 2).await;

    // A counter quiet for over an hour while open: the alert goes as free text.
    common::sync::first_device(&app, &tenant).await;
    let noon = utc(2026, 12, 7, 15, 0); // Monday 12:00 in Santiago
    let mut conn = app.owner_conn().await;
    sqlx::query("UPDATE devices SET last_seen_at = $1")
        .bind(noon - Duration::minutes(61))
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO location_settings (tenant_id, location_id, key, value, hlc)
         VALUES ($1, $2, 'restaurant.opening_hours', $3, 'h')",
    )
    .bind(tenant.id.parse::<Uuid>().unwrap())
    .bind(tenant.location_id.parse::<Uuid>().unwrap())
    .bind(sqlx::types::Json(
        json!({"monday": [{"open": "12:00", "close": "16:00"}]}),
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    let tenant_id = dysa_domain::ids::TenantId(tenant.id.parse().unwrap());
    let queued = owner_notices::queue_offline_alerts(db, &app.state.vault, tenant_id, noon, URL)
        .await
        .unwrap();
    assert_eq!(
        queued,
        Queued {
            mail: 0,
            whatsapp: 1
        }
    );
    app.state.whatsapp.run_once(Utc::now()).await.unwrap();
    let sent = wait_sent(&graph, 3).await;
    let alert = &sent[2].1;
    assert_eq!(alert["to"], "56912345678");
    assert_eq!(alert["type"], "text", "{alert}");
    let body = alert["text"]["body"].as_str().unwrap();
    assert!(body.contains("hace 61 minutos"), "{body}");
    app.state.whatsapp.run_once(Utc::now()).await.unwrap();
    assert_eq!(graph.sent().len(), 3, "{:?}", graph.sent());
}

/// A pull carrying the counter's queues (its heartbeat); answers the status.
async fn pull_reporting(app: &TestApp, device: &str, queues: &str) -> StatusCode {
    let path = format!(
        "/api/v1/sync/pull?cursor=0&limit=10&schema_version={}{queues}",
        dysa_domain::sync::SCHEMA_VERSION
    );
    let reply = app.get(&path, device).await;
    reply.status
}

/// The tenant's location opens every day, all day.
async fn open_all_week(app: &TestApp, tenant: &common::Tenant) {
    let mut conn = app.owner_conn().await;
    let day = json!([{"open": "00:00", "close": "23:59"}]);
    sqlx::query(
        "INSERT INTO location_settings (tenant_id, location_id, key, value, hlc)
         VALUES ($1, $2, 'restaurant.opening_hours', $3, 'h')",
    )
    .bind(tenant.id.parse::<Uuid>().unwrap())
    .bind(tenant.location_id.parse::<Uuid>().unwrap())
    .bind(sqlx::types::Json(json!({
        "monday": day, "tuesday": day, "wednesday": day, "thursday": day,
        "friday": day, "saturday": day, "sunday": day,
    })))
    .execute(&mut conn)
    .await
    .unwrap();
}

/// The counter reports its queues with every pull; a fiscal document or a ticket waiting
/// over 15 minutes while the location is open is alerted once per incident, on the
/// owner's channel for it; an older counter that reports nothing is never alerted.
#[sqlx::test(migrations = false)]
async fn a_stuck_fiscal_or_print_queue_is_alerted_once_per_incident(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let sink = SmtpSink::start().await;
    let app = smtp_app(owner, &sink).await;
    let tenant = app.signup("donde-ana").await;
    let db = &app.state.db;
    let tenant_id = dysa_domain::ids::TenantId(tenant.id.parse().unwrap());
    let alerts = |now: DateTime<Utc>| {
        owner_notices::queue_stuck_alerts(db, &app.state.vault, tenant_id, now, URL)
    };
    let device = common::sync::first_device(&app, &tenant).await;
    let mut conn = app.owner_conn().await;
    open_all_week(&app, &tenant).await;

    // An older counter pulls without its queues: nothing recorded, nothing alerted.
    assert_eq!(pull_reporting(&app, &device, "").await, StatusCode::OK);
    let reported: Option<DateTime<Utc>> =
        sqlx::query_scalar("SELECT queues_reported_at FROM devices")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(reported, None);
    assert_eq!(alerts(Utc::now()).await.unwrap(), Queued::default());

    // A bad report is refused with the field named, and stores nothing.
    for bad in ["&fiscal_pending=-1", "&print_pending=2000000"] {
        let path = format!(
            "/api/v1/sync/pull?cursor=0&limit=10&schema_version={}{bad}",
            dysa_domain::sync::SCHEMA_VERSION
        );
        let reply = app.get(&path, &device).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let field = bad[1..].split('=').next().unwrap();
        assert!(
            reply.body["error"]["fields"][field].is_string(),
            "{:?}",
            reply.body
        );
    }

    // Two boletas waiting since 16 minutes ago (Bsale unreachable), the printer fine.
    let now = Utc::now();
    let since = (now - Duration::minutes(16)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let report = format!("&fiscal_pending=2&fiscal_oldest_at={since}&print_pending=0");
    assert_eq!(pull_reporting(&app, &device, &report).await, StatusCode::OK);
    assert_eq!(mails(alerts(now).await.unwrap()), 1);
    // The same incident, seen by later rounds and later pulls: told once.
    assert_eq!(pull_reporting(&app, &device, &report).await, StatusCode::OK);
    assert_eq!(mails(alerts(now + Duration::minutes(1)).await.unwrap()), 0);
    assert_eq!(mails(alerts(now + Duration::minutes(30)).await.unwrap()), 0);

    // Fourteen minutes is not stuck yet; an empty queue is not stuck.
    let recent = (now - Duration::minutes(14)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let report = format!("&fiscal_pending=0&print_pending=3&print_oldest_at={recent}");
    assert_eq!(pull_reporting(&app, &device, &report).await, StatusCode::OK);
    assert_eq!(mails(alerts(now).await.unwrap()), 0);
    // Two minutes later the tickets have waited 16: a printer alert, once.
    assert_eq!(mails(alerts(now + Duration::minutes(2)).await.unwrap()), 1);
    assert_eq!(mails(alerts(now + Duration::minutes(3)).await.unwrap()), 0);

    // A report older than an hour is the offline alert's business, not this one's.
    sqlx::query("UPDATE devices SET queues_reported_at = now() - interval '61 minutes'")
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(mails(alerts(now + Duration::minutes(20)).await.unwrap()), 0);

    app.state
        .mail
        .run_once(Utc::now() + Duration::minutes(1))
        .await
        .unwrap();
    let fiscal = received(&sink, "sin emitir");
    assert_eq!(fiscal.len(), 1, "{fiscal:?}");
    assert!(
        fiscal[0].contains(
            "tiene 2 documentos tributarios sin emitir; el más antiguo espera hace 16 minutos"
        ),
        "{}",
        fiscal[0]
    );
    let print = received(&sink, "no imprime");
    assert_eq!(print.len(), 1, "{print:?}");
    assert!(
        print[0].contains("3 comandas o boletas en cola"),
        "{}",
        print[0]
    );

    // The owner turns these alerts off (the others stay as they were): a new incident
    // says nothing.
    let off = app
        .put(
            "/api/v1/notifications",
            json!({ "weekly_summary": "email", "alerts": "email", "stuck_alerts": "off",
                    "lang": "es" }),
            &tenant.token,
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{:?}", off.body);
    assert_eq!(off.body["stuck_alerts"], "off");
    let older = (now - Duration::minutes(40)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let report = format!("&fiscal_pending=1&fiscal_oldest_at={older}&print_pending=0");
    assert_eq!(pull_reporting(&app, &device, &report).await, StatusCode::OK);
    assert_eq!(mails(alerts(now).await.unwrap()), 0);
    // A dashboard that does not know the choice leaves it as it was.
    let kept = app
        .put(
            "/api/v1/notifications",
            json!({ "weekly_summary": "email", "alerts": "email", "lang": "es" }),
            &tenant.token,
        )
        .await;
    assert_eq!(kept.status, StatusCode::OK, "{:?}", kept.body);
    assert_eq!(kept.body["stuck_alerts"], "off");
}

/// `at` as a pull's query parameter (RFC 3339, `+` escaped by using `Z`).
fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A stolen device token reporting a different oldest entry with every pull cannot
/// make the owners' alert fire each round: one alert per counter and queue in six hours
/// (then one more for a queue still stuck); an `oldest_at` in the future is refused with
/// the field named and stores nothing.
#[sqlx::test(migrations = false)]
async fn a_counter_changing_its_oldest_entry_each_round_is_alerted_once_in_six_hours(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let sink = SmtpSink::start().await;
    let app = smtp_app(owner, &sink).await;
    let tenant = app.signup("caja-robada").await;
    let db = &app.state.db;
    let tenant_id = dysa_domain::ids::TenantId(tenant.id.parse().unwrap());
    let alerts = |now: DateTime<Utc>| {
        owner_notices::queue_stuck_alerts(db, &app.state.vault, tenant_id, now, URL)
    };
    let device = common::sync::first_device(&app, &tenant).await;
    open_all_week(&app, &tenant).await;

    // Sixty rounds, a minute apart, each after a pull naming a new oldest entry for both
    // queues (16 to 134 minutes old): one fiscal alert and one printer alert in all.
    let start = Utc::now();
    let mut told = 0;
    for round in 0..60 {
        let now = start + Duration::minutes(round);
        let since = stamp(now - Duration::minutes(16 + 2 * round));
        let report = format!(
            "&fiscal_pending=1&fiscal_oldest_at={since}&print_pending=1&print_oldest_at={since}"
        );
        assert_eq!(pull_reporting(&app, &device, &report).await, StatusCode::OK);
        told += mails(alerts(now).await.unwrap());
    }
    assert_eq!(told, 2, "one per queue, not one per round");
    // Still within six hours of the first: nothing, whatever the report.
    let late = start + Duration::hours(5) + Duration::minutes(59);
    let report = format!(
        "&fiscal_pending=3&fiscal_oldest_at={}&print_pending=0",
        stamp(start - Duration::minutes(200))
    );
    assert_eq!(pull_reporting(&app, &device, &report).await, StatusCode::OK);
    // (The rounds' clock runs ahead of the database's: the report is dated with it.)
    let reported_at = |at: DateTime<Utc>| {
        let app = &app;
        async move {
            sqlx::query("UPDATE devices SET queues_reported_at = $1")
                .bind(at)
                .execute(&mut app.owner_conn().await)
                .await
                .unwrap();
        }
    };
    reported_at(late).await;
    assert_eq!(mails(alerts(late).await.unwrap()), 0);
    // Six hours on, the fiscal queue is still stuck: told again, once.
    let later = start + Duration::hours(6) + Duration::minutes(1);
    reported_at(later).await;
    assert_eq!(mails(alerts(later).await.unwrap()), 1);
    assert_eq!(
        mails(alerts(later + Duration::minutes(1)).await.unwrap()),
        0
    );

    // A queue "waiting since" a moment to come: 422, the field named, nothing stored.
    let before: Option<DateTime<Utc>> = sqlx::query_scalar("SELECT fiscal_oldest_at FROM devices")
        .fetch_one(&mut app.owner_conn().await)
        .await
        .unwrap();
    for (field, report) in [
        (
            "fiscal_oldest_at",
            format!(
                "&fiscal_pending=1&fiscal_oldest_at={}",
                stamp(Utc::now() + Duration::minutes(10))
            ),
        ),
        (
            "print_oldest_at",
            format!(
                "&print_pending=1&print_oldest_at={}",
                stamp(Utc::now() + Duration::days(365))
            ),
        ),
    ] {
        let path = format!(
            "/api/v1/sync/pull?cursor=0&limit=10&schema_version={}{report}",
            dysa_domain::sync::SCHEMA_VERSION
        );
        let reply = app.get(&path, &device).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
        assert!(
            reply.body["error"]["fields"][field].is_string(),
            "{:?}",
            reply.body
        );
    }
    let after: Option<DateTime<Utc>> = sqlx::query_scalar("SELECT fiscal_oldest_at FROM devices")
        .fetch_one(&mut app.owner_conn().await)
        .await
        .unwrap();
    assert_eq!(before, after);
    // A clock a little ahead (under five minutes) is still taken.
    let report = format!(
        "&fiscal_pending=1&fiscal_oldest_at={}",
        stamp(Utc::now() + Duration::minutes(2))
    );
    assert_eq!(pull_reporting(&app, &device, &report).await, StatusCode::OK);

    app.state
        .mail
        .run_once(Utc::now() + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(received(&sink, "sin emitir").len(), 2);
    assert_eq!(received(&sink, "no imprime").len(), 1);
}
