//! What owners ask of a restaurant from the cloud, on the real Postgres: cancel requests
//! (a synced field of the order that never moves its status; the counter's answer comes
//! back) and table bookings under the online quota (pending while the restaurant is
//! online, confirmed by the cloud within the quota while it is offline).

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::sync::{first_device as device, id, push_ok, upsert};
use common::{Tenant, TestApp};
use dysa_domain::ids::{LocationId, TenantId};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

const NODE: u64 = 0xdef;

fn hlc(ms: u64) -> String {
    common::sync::hlc_of(ms, NODE)
}

/// `OrderRow` as the appliance writes it on creation.
fn order(id: &str, status: &str, stamp: &str) -> Value {
    json!({
        "id": id, "number": 3, "business_date": "2026-11-27", "local_hour": 13,
        "channel": "counter", "created_by": null, "created_at": "2026-11-27T16:00:00.000Z",
        "status": status, "customer_id": null, "table_id": null, "note": null,
        "subtotal": 8990, "discount": 0, "total": 8990, "net": 7555, "tax": 1435,
        "tax_rate_bp": 1900, "tip": 0, "amount_due": 8990, "cancel_reason": null,
        "updated_at": stamp,
    })
}

/// `TableRecord`.
fn table(id: &str, name: &str, seats: u32, stamp: &str) -> Value {
    json!({
        "id": id, "name": name, "seats": seats, "area": null, "position": 0, "active": true,
        "created_at": "2026-11-27T12:00:00.000Z", "updated_at": stamp, "deleted_at": null,
    })
}

/// The rows of `entity` a device pulls from the start.
async fn pulled(app: &TestApp, token: &str, entity: &str) -> Vec<Value> {
    let page = app
        .get(
            "/api/v1/sync/pull?cursor=0&limit=1000&schema_version=1",
            token,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
    page.body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["entity"] == entity)
        .cloned()
        .collect()
}

async fn ask_cancel(app: &TestApp, token: &str, order: &str, reason: &str) -> common::Reply {
    app.post(
        &format!("/api/v1/orders/{order}/cancel-request"),
        json!({ "reason": reason }),
        Some(token),
    )
    .await
}

#[sqlx::test(migrations = false)]
async fn a_cancel_request_asks_and_the_counter_answers(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("pedido-cancel").await;
    let counter = device(&app, &tenant).await;
    let (kept, delivered, done) = (id(), id(), id());
    push_ok(
        &app,
        &counter,
        vec![
            upsert("order", &kept, order(&kept, "preparing", &hlc(1)), &hlc(1)),
            upsert(
                "order",
                &delivered,
                order(&delivered, "ready", &hlc(1)),
                &hlc(1),
            ),
            upsert("order", &done, order(&done, "completed", &hlc(1)), &hlc(1)),
        ],
    )
    .await;

    // Refusals: empty reason, unknown order, an order already over, a viewer.
    let empty = ask_cancel(&app, &tenant.token, &kept, "   ").await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        empty.body
    );
    assert!(empty.body["error"]["fields"]["reason"].is_string());
    let unknown = ask_cancel(&app, &tenant.token, &id(), "no vino").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let over = ask_cancel(&app, &tenant.token, &done, "no vino").await;
    assert_eq!(over.status, StatusCode::CONFLICT);
    assert_eq!(over.code(), "order_finished");
    let (_, viewer) = app
        .account(&tenant.token, "mira@pedido-cancel.cl", "viewer")
        .await;
    let forbidden = ask_cancel(&app, &viewer, &kept, "no vino").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    // The request is written; the status does not move.
    let asked = ask_cancel(&app, &tenant.token, &kept, "El cliente llamó").await;
    assert_eq!(asked.status, StatusCode::ACCEPTED, "{:?}", asked.body);
    assert_eq!(asked.body["status"], "preparing");
    let request = asked.body["cancel_request"].clone();
    assert_eq!(request["reason"], "El cliente llamó");
    assert_eq!(request["requested_by"], "Dueña");
    assert!(request["outcome"].is_null());

    // It reaches the counter like any change.
    let orders = pulled(&app, &counter, "order").await;
    let at_counter = orders
        .iter()
        .find(|c| c["entity_id"] == kept.as_str())
        .unwrap();
    assert_eq!(at_counter["row"]["cancel_request"], request);
    assert_eq!(at_counter["row"]["status"], "preparing");

    // Staff refuse it; the owner sees the answer and who gave it.
    let mut refused = request.clone();
    refused["outcome"] = json!("refused");
    refused["resolved_by"] = json!("Ana");
    refused["resolved_at"] = json!("2026-11-27T16:10:00.000Z");
    push_ok(
        &app,
        &counter,
        vec![upsert(
            "order",
            &kept,
            json!({"id": kept, "cancel_request": refused, "updated_at": hlc(4_000_000)}),
            &hlc(4_000_000),
        )],
    )
    .await;
    let detail = app
        .get(&format!("/api/v1/orders/{kept}"), &tenant.token)
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    assert_eq!(detail.body["status"], "preparing");
    assert_eq!(detail.body["cancel_request"]["outcome"], "refused");
    assert_eq!(detail.body["cancel_request"]["resolved_by"], "Ana");

    // The counter delivered the other order before it heard of the request: the request
    // ends refused, "ya entregado", without anyone answering it.
    let asked = ask_cancel(&app, &tenant.token, &delivered, "Demora").await;
    assert_eq!(asked.status, StatusCode::ACCEPTED);
    push_ok(
        &app,
        &counter,
        vec![upsert(
            "order",
            &delivered,
            json!({"id": delivered, "status": "completed", "updated_at": hlc(2)}),
            &hlc(2),
        )],
    )
    .await;
    let detail = app
        .get(&format!("/api/v1/orders/{delivered}"), &tenant.token)
        .await;
    assert_eq!(detail.body["status"], "completed");
    assert_eq!(detail.body["cancel_request"]["outcome"], "refused");
    assert_eq!(detail.body["cancel_request"]["note"], "ya entregado");
}

/// Tomorrow at `hh:mm` in Santiago, RFC 3339 (a slot of the default hours).
fn tomorrow_at(hour: i8, minute: i8) -> String {
    let tz = jiff::tz::TimeZone::get("America/Santiago").unwrap();
    let today = jiff::Timestamp::now().to_zoned(tz.clone()).date();
    let day = today.tomorrow().unwrap();
    day.at(hour, minute, 0, 0)
        .to_zoned(tz)
        .unwrap()
        .timestamp()
        .to_string()
}

async fn book(app: &TestApp, tenant: &Tenant, starts_at: &str, party: u32) -> common::Reply {
    app.post(
        "/api/v1/reservations",
        json!({
            "location_id": tenant.location_id, "name": "Rosa", "phone": "9 8765 4321",
            "party_size": party, "starts_at": starts_at, "note": "cumpleaños",
        }),
        Some(&tenant.token),
    )
    .await
}

async fn set_quota(app: &TestApp, tenant: &Tenant, quota: u32) {
    let location: LocationId = tenant.location_id.parse().unwrap();
    let mut tx = app
        .state
        .db
        .tenant_tx(tenant.id.parse().unwrap())
        .await
        .unwrap();
    dysa_cloud::bookings::set_online_quota(&app.state, &mut tx, location, quota)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Makes the location's devices look gone (last seen long ago).
async fn go_offline(app: &TestApp) {
    let mut conn = app.owner_conn().await;
    sqlx::query("UPDATE devices SET last_seen_at = now() - interval '1 hour'")
        .execute(&mut conn)
        .await
        .unwrap();
}

#[sqlx::test(migrations = false)]
async fn the_cloud_confirms_only_within_the_quota_while_the_restaurant_is_offline(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("reserva-cupo").await;
    let counter = device(&app, &tenant).await;
    let tables: Vec<String> = (0..3).map(|_| id()).collect();
    let mutations = tables
        .iter()
        .enumerate()
        .map(|(n, t)| {
            upsert(
                "table",
                t,
                table(t, &format!("Mesa {n}"), 4, &hlc(1)),
                &hlc(1),
            )
        })
        .collect();
    push_ok(&app, &counter, mutations).await;
    set_quota(&app, &tenant, 2).await;
    let slot = tomorrow_at(20, 0);

    // Online (the counter just synced): the restaurant decides.
    let pending = book(&app, &tenant, &slot, 2).await;
    assert_eq!(pending.status, StatusCode::CREATED, "{:?}", pending.body);
    assert_eq!(pending.body["status"], "pending");
    assert!(pending.body["table"].is_null());
    let rows = pulled(&app, &counter, "reservation").await;
    let row = &rows[0]["row"];
    assert_eq!(row["status"], "booked");
    assert!(row["table_id"].is_null());
    assert_eq!(row["channel"], "dashboard");

    // Offline: two confirmed on their own (the quota), the third waits.
    go_offline(&app).await;
    let first = book(&app, &tenant, &slot, 2).await;
    assert_eq!(first.body["status"], "confirmed", "{:?}", first.body);
    let second = book(&app, &tenant, &slot, 4).await;
    assert_eq!(second.body["status"], "confirmed", "{:?}", second.body);
    assert_ne!(first.body["table_id"], second.body["table_id"]);
    assert!(second.body["table"].as_str().unwrap().starts_with("Mesa"));
    let third = book(&app, &tenant, &slot, 2).await;
    assert_eq!(third.body["status"], "pending", "{:?}", third.body);
    // Another slot has its own quota.
    let later = book(&app, &tenant, &tomorrow_at(21, 30), 2).await;
    assert_eq!(later.body["status"], "confirmed", "{:?}", later.body);

    // The owners' list shows them; the confirmed ones hold their tables.
    let list = app.get("/api/v1/reservations", &tenant.token).await;
    assert_eq!(list.body.as_array().unwrap().len(), 5);

    // Not a slot, a party of zero, a bad phone: 422 with the fields.
    let odd = book(&app, &tenant, &tomorrow_at(20, 7), 2).await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(odd.body["error"]["fields"]["starts_at"].is_string());
    let nobody = book(&app, &tenant, &slot, 0).await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nobody.body["error"]["fields"]["party_size"].is_string());
    let elsewhere = app
        .post(
            "/api/v1/reservations",
            json!({"location_id": id(), "name": "Rosa", "phone": "9 8765 4321",
                   "party_size": 2, "starts_at": slot}),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = false)]
async fn availability_and_retries(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("reserva-dispo").await;
    let counter = device(&app, &tenant).await;
    let only = id();
    push_ok(
        &app,
        &counter,
        vec![upsert(
            "table",
            &only,
            table(&only, "Mesa 1", 2, &hlc(1)),
            &hlc(1),
        )],
    )
    .await;
    go_offline(&app).await;
    let tenant_id: TenantId = tenant.id.parse().unwrap();
    let location: LocationId = tenant.location_id.parse().unwrap();
    let date: chrono::NaiveDate = tomorrow_at(20, 0)[..10].parse().unwrap();
    let slot = tomorrow_at(20, 0);
    let mut tx = app.state.db.tenant_tx(tenant_id).await.unwrap();
    let slots = dysa_cloud::bookings::availability(&mut tx, location, date, 2)
        .await
        .unwrap();
    assert!(!slots.is_empty());
    assert!(slots.iter().all(|s| s.available));
    // No table seats six.
    let big = dysa_cloud::bookings::availability(&mut tx, location, date, 6)
        .await
        .unwrap();
    assert!(big.iter().all(|s| !s.available));

    // The same id booked twice answers once.
    let booking = dysa_cloud::bookings::NewBooking {
        id: Uuid::now_v7(),
        name: "Rosa".into(),
        phone: "+56987654321".into(),
        email: Some("rosa@example.cl".into()),
        party_size: 2,
        starts_at: slot.clone(),
        note: None,
        channel: dysa_cloud::bookings::BookingChannel::Online,
    };
    let first = dysa_cloud::bookings::book(&app.state, &mut tx, location, booking.clone(), false)
        .await
        .unwrap();
    let again = dysa_cloud::bookings::book(&app.state, &mut tx, location, booking, false)
        .await
        .unwrap();
    assert_eq!(first, again);
    assert_eq!(first.status, dysa_cloud::bookings::BookingStatus::Confirmed);
    tx.commit().await.unwrap();

    // The slot's only table is now taken there.
    let mut tx = app.state.db.tenant_tx(tenant_id).await.unwrap();
    let slots = dysa_cloud::bookings::availability(&mut tx, location, date, 2)
        .await
        .unwrap();
    let taken = slots
        .iter()
        .find(|s| {
            s.starts_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                == slot
        })
        .unwrap();
    assert!(!taken.available);
}
