//! Customer data at rest (docs/SECURITY.md, "Customer data at rest"): what a counter and
//! the widget write is stored sealed in every table a dump of the database shows, while the
//! dashboard, the pull and lookups by phone still see it; a ciphertext moved to another
//! tenant's row opens nowhere; rows from before the migration are sealed by the start-up
//! pass; a tenant's data can be exported and erased.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::sync::{first_device, hlc, id, push_applied, upsert};
use common::{Tenant, TestApp, count};
use dysa_cloud::pii::TenantKeys;
use dysa_cloud::store::whatsapp as wa;
use dysa_domain::ids::{LocationId, TenantId};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::sync::Arc;

const PHONE: &str = "+56987654321";
const PHONE_DIGITS: &str = "87654321";
const EMAIL: &str = "ana.perez@example.cl";
const NOTES: &str = "alérgica al maní";
const ORDER_NOTE: &str = "Pedido web · Retiro · Ana Pérez · +56 9 8765 4321";

fn customer(id: &str, stamp: &str) -> Value {
    json!({
        "id": id, "name": "Ana Pérez", "phone": PHONE, "email": EMAIL, "rut": null,
        "notes": NOTES, "marketing_consent": false, "created_at": "2026-11-27T12:00:00.000Z",
        "updated_at": stamp, "deleted_at": null,
    })
}

fn reservation(id: &str, stamp: &str) -> Value {
    json!({
        "id": id, "customer_id": null, "name": "Ana Pérez", "phone": PHONE,
        "party_size": 4, "starts_at": "2026-12-24T23:00:00Z", "ends_at": "2026-12-25T01:00:00Z",
        "duration_minutes": 120, "table_id": null, "status": "booked", "channel": "counter",
        "notes": NOTES, "cancel_reason": null, "created_by": null,
        "created_at": "2026-11-27T12:00:00.000Z", "updated_at": stamp,
    })
}

fn order(id: &str, stamp: &str) -> Value {
    json!({
        "id": id, "number": 7, "business_date": "2026-11-27", "local_hour": 13,
        "channel": "counter", "created_by": null, "created_at": "2026-11-27T16:00:00.000Z",
        "status": "pending", "customer_id": null, "table_id": null, "note": ORDER_NOTE,
        "subtotal": 17980, "discount": 0, "total": 17980, "net": 15109, "tax": 2871,
        "tax_rate_bp": 1900, "tip": 0, "amount_due": 17980, "cancel_reason": null,
        "updated_at": stamp,
    })
}

struct Seeded {
    device: String,
    customer: String,
    reservation: String,
    order: String,
}

/// A counter of `tenant` pushes a customer, a reservation and an order carrying
/// [`PHONE`], [`EMAIL`] and [`NOTES`].
async fn seed(app: &TestApp, tenant: &Tenant) -> Seeded {
    let device = first_device(app, tenant).await;
    let (c, r, o) = (id(), id(), id());
    push_applied(
        app,
        &device,
        vec![
            upsert("customer", &c, customer(&c, &hlc(1)), &hlc(1)),
            upsert("reservation", &r, reservation(&r, &hlc(2)), &hlc(2)),
            upsert("order", &o, order(&o, &hlc(3)), &hlc(3)),
        ],
    )
    .await;
    Seeded {
        device,
        customer: c,
        reservation: r,
        order: o,
    }
}

/// Every row of the tables that hold customer data, as a dump shows them.
async fn dump(app: &TestApp) -> String {
    let mut conn = app.owner_conn().await;
    let mut text = String::new();
    for table in [
        "sync_rows",
        "customers",
        "reservations",
        "orders",
        "sync_mutations",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT t::text FROM {table} t"
        )))
        .fetch_all(&mut conn)
        .await
        .unwrap();
        text.push_str(&rows.join("\n"));
    }
    text
}

fn assert_no_plaintext(dump: &str) {
    for secret in [PHONE_DIGITS, EMAIL, "maní", "Pedido web"] {
        assert!(!dump.contains(secret), "{secret} is stored in clear");
    }
}

async fn pulled_row(app: &TestApp, device: &str, entity: &str, id: &str) -> Value {
    let page = app
        .get(
            "/api/v1/sync/pull?cursor=0&limit=500&schema_version=1",
            device,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
    page.body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["entity"] == entity && c["entity_id"] == id)
        .map(|c| c["row"].clone())
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn the_database_holds_no_plaintext_and_every_reader_still_sees_it(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("sellado").await;
    let s = seed(&app, &tenant).await;

    let raw = dump(&app).await;
    assert_no_plaintext(&raw);
    assert!(raw.contains("pii1."), "the fields are sealed, not dropped");
    assert!(raw.contains("Ana Pérez"), "names stay readable");

    // The dashboard reads plaintext.
    let found = app
        .get(&format!("/api/v1/customers/{}", s.customer), &tenant.token)
        .await;
    assert_eq!(found.status, StatusCode::OK, "{:?}", found.body);
    assert_eq!(found.body["phone"], PHONE);
    assert_eq!(found.body["email"], EMAIL);
    assert_eq!(found.body["notes"], NOTES);
    let booking = app
        .get(
            &format!("/api/v1/reservations/{}", s.reservation),
            &tenant.token,
        )
        .await;
    assert_eq!(booking.body["phone"], PHONE);
    assert_eq!(booking.body["notes"], NOTES);
    let sold = app
        .get(&format!("/api/v1/orders/{}", s.order), &tenant.token)
        .await;
    assert_eq!(sold.status, StatusCode::OK, "{:?}", sold.body);
    assert!(
        sold.body.to_string().contains(ORDER_NOTE),
        "{:?}",
        sold.body
    );

    // Lookups by phone (any spelling) and by email go through the keyed hashes.
    for q in [
        "9%208765%204321",
        "%2B56%209%208765%204321",
        "ANA.PEREZ%40example.cl",
        "P%C3%A9r",
    ] {
        let list = app
            .get(&format!("/api/v1/customers?q={q}"), &tenant.token)
            .await;
        assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
        assert_eq!(
            list.body.as_array().unwrap().len(),
            1,
            "q={q}: {:?}",
            list.body
        );
    }
    let none = app.get("/api/v1/customers?q=987654", &tenant.token).await;
    assert_eq!(
        none.body.as_array().unwrap().len(),
        0,
        "no substring of a sealed phone"
    );

    // Counters pull plaintext.
    let row = pulled_row(&app, &s.device, "customer", &s.customer).await;
    assert_eq!(row["phone"], PHONE);
    assert_eq!(row["notes"], NOTES);
    let row = pulled_row(&app, &s.device, "order", &s.order).await;
    assert_eq!(row["note"], ORDER_NOTE);

    // A counter's later partial edit merges with the sealed row and stays sealed.
    push_applied(
        &app,
        &s.device,
        vec![upsert(
            "customer",
            &s.customer,
            json!({"id": s.customer, "notes": "sin gluten", "updated_at": hlc(9)}),
            &hlc(9),
        )],
    )
    .await;
    let found = app
        .get(&format!("/api/v1/customers/{}", s.customer), &tenant.token)
        .await;
    assert_eq!(found.body["phone"], PHONE);
    assert_eq!(found.body["notes"], "sin gluten");
    let raw = dump(&app).await;
    assert!(!raw.contains("sin gluten"));
    assert_no_plaintext(&raw);
}

#[sqlx::test(migrations = false)]
async fn a_ciphertext_copied_to_another_tenants_row_opens_nowhere(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let a = app.signup("uno").await;
    let b = app.signup("dos").await;
    let sa = seed(&app, &a).await;
    let device_b = first_device(&app, &b).await;
    let cb = id();
    let mut other = customer(&cb, &hlc(1));
    other["phone"] = json!("+56911112222");
    push_applied(
        &app,
        &device_b,
        vec![upsert("customer", &cb, other, &hlc(1))],
    )
    .await;

    // Whoever can write the database moves A's sealed phone onto B's customer, in the
    // merged row and in the typed row.
    let mut conn = app.owner_conn().await;
    sqlx::query(
        "UPDATE sync_rows SET row = jsonb_set(row, '{phone}',
             (SELECT row -> 'phone' FROM sync_rows WHERE entity = 'customer' AND entity_id = $1))
         WHERE entity = 'customer' AND entity_id = $2",
    )
    .bind(&sa.customer)
    .bind(&cb)
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE customers SET phone = (SELECT phone FROM customers WHERE id = $1::uuid)
         WHERE id = $2::uuid",
    )
    .bind(&sa.customer)
    .bind(&cb)
    .execute(&mut conn)
    .await
    .unwrap();

    // B sees no phone (never A's), and nothing fails.
    let found = app.get(&format!("/api/v1/customers/{cb}"), &b.token).await;
    assert_eq!(found.status, StatusCode::OK, "{:?}", found.body);
    assert_eq!(found.body["phone"], Value::Null);
    assert_eq!(found.body["name"], "Ana Pérez");
    let list = app.get("/api/v1/customers", &b.token).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.to_string().contains(PHONE_DIGITS));
    let row = pulled_row(&app, &device_b, "customer", &cb).await;
    assert_eq!(row["phone"], Value::Null);
    // A's own row still opens.
    let own = app
        .get(&format!("/api/v1/customers/{}", sa.customer), &a.token)
        .await;
    assert_eq!(own.body["phone"], PHONE);
}

#[sqlx::test(migrations = false)]
async fn rows_written_before_encryption_are_sealed_by_the_start_up_pass(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("antiguo").await;
    let s = seed(&app, &tenant).await;
    // Put the rows back as a cloud before migration 0034 stored them: in clear.
    let mut conn = app.owner_conn().await;
    sqlx::query(
        "UPDATE sync_rows SET row = row || jsonb_build_object('phone', $1::text, 'email', $2::text,
                                                              'notes', $3::text)
         WHERE entity = 'customer' AND entity_id = $4",
    )
    .bind(PHONE)
    .bind(EMAIL)
    .bind(NOTES)
    .bind(&s.customer)
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE customers SET phone = $1, email = $2, notes = $3, phone_hash = NULL,
                              email_hash = NULL WHERE id = $4::uuid",
    )
    .bind(PHONE)
    .bind(EMAIL)
    .bind(NOTES)
    .bind(&s.customer)
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE sync_rows SET row = row || jsonb_build_object('note', $1::text)
         WHERE entity = 'order' AND entity_id = $2",
    )
    .bind(ORDER_NOTE)
    .bind(&s.order)
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query("UPDATE orders SET note = $1 WHERE id = $2::uuid")
        .bind(ORDER_NOTE)
        .bind(&s.order)
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(dump(&app).await.contains(EMAIL));
    // Unsealed rows still read (the pass runs while the cloud serves).
    let found = app
        .get(&format!("/api/v1/customers/{}", s.customer), &tenant.token)
        .await;
    assert_eq!(found.body["email"], EMAIL);

    let sealed = dysa_cloud::pii::backfill::run(&app.state.db, &app.state.vault)
        .await
        .unwrap();
    assert_eq!(sealed.rows, 2, "{sealed:?}");
    assert_no_plaintext(&dump(&app).await);
    let found = app
        .get(&format!("/api/v1/customers/{}", s.customer), &tenant.token)
        .await;
    assert_eq!(found.body["phone"], PHONE);
    assert_eq!(found.body["email"], EMAIL);
    let list = app
        .get("/api/v1/customers?q=98765%204321", &tenant.token)
        .await;
    assert_eq!(list.body.as_array().unwrap().len(), 1, "{:?}", list.body);
    let row = pulled_row(&app, &s.device, "order", &s.order).await;
    assert_eq!(row["note"], ORDER_NOTE);
    // A second pass finds nothing left.
    let again = dysa_cloud::pii::backfill::run(&app.state.db, &app.state.vault)
        .await
        .unwrap();
    assert_eq!(again.rows, 0);
}

#[sqlx::test(migrations = false)]
async fn the_owner_exports_the_diners_data_as_json_and_csv(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("exporta").await;
    let other = app.signup("ajeno").await;
    let s = seed(&app, &tenant).await;
    let theirs = seed(&app, &other).await;

    let export = app.get("/api/v1/customer-data/export", &tenant.token).await;
    assert_eq!(export.status, StatusCode::OK, "{:?}", export.body);
    let customers = export.body["customers"].as_array().unwrap();
    assert_eq!(
        customers.len(),
        1,
        "only the tenant's own: {:?}",
        export.body
    );
    assert_eq!(customers[0]["id"], s.customer.as_str());
    assert_eq!(customers[0]["phone"], PHONE);
    assert_eq!(customers[0]["email"], EMAIL);
    assert_eq!(export.body["reservations"][0]["notes"], NOTES);
    assert_eq!(export.body["orders"][0]["note"], ORDER_NOTE);
    assert!(export.body["conversations"].is_array());
    let text = export.body.to_string();
    for id in [&theirs.customer, &theirs.reservation, &theirs.order] {
        assert!(
            !text.contains(id.as_str()),
            "another tenant's {id} exported"
        );
    }

    let csv = app
        .get("/api/v1/customer-data/export/customers", &tenant.token)
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let csv_text = csv.body.as_str().unwrap_or_default().to_owned();
    let mut lines = csv_text.lines();
    assert!(
        lines.next().unwrap().starts_with("id,name,phone,email"),
        "{csv_text}"
    );
    let line = lines.next().unwrap();
    assert!(
        line.contains(PHONE) && line.contains(EMAIL) && line.contains(NOTES),
        "{line}"
    );
    assert_eq!(lines.next(), None);
    let unknown = app
        .get("/api/v1/customer-data/export/passwords", &tenant.token)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{unknown:?}");

    // Owner only: a manager, a viewer and a counter are refused.
    let (_, manager) = app
        .account(&tenant.token, "gerente@exporta.cl", "manager")
        .await;
    let (_, viewer) = app
        .account(&tenant.token, "mira@exporta.cl", "viewer")
        .await;
    for token in [&manager, &viewer, &s.device] {
        for path in [
            "/api/v1/customer-data/export",
            "/api/v1/customer-data/export/customers",
            "/api/v1/customer-data/erasure",
        ] {
            let refused = app.get(path, token).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}: {refused:?}");
        }
    }
}

#[sqlx::test(migrations = false)]
async fn one_diner_is_erased_everywhere_and_the_orders_stay(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("olvida").await;
    let other = app.signup("recuerda").await;
    let s = seed(&app, &tenant).await;
    let theirs = seed(&app, &other).await;

    let bad = erase_diner(&app, &tenant, "nadie").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
    // The order names no customer: link it to the customer, as a counter does.
    push_applied(
        &app,
        &s.device,
        vec![upsert(
            "order",
            &s.order,
            json!({"id": s.order, "customer_id": s.customer, "updated_at": hlc(5)}),
            &hlc(5),
        )],
    )
    .await;

    let erased = erase_diner(&app, &tenant, "9 8765 4321").await;
    assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
    assert_eq!(erased.body["customers"], 1);
    assert_eq!(erased.body["reservations"], 1);
    assert_eq!(erased.body["orders"], 1);

    // Gone from the dashboard; the order stays, without its note.
    let customer = app
        .get(&format!("/api/v1/customers/{}", s.customer), &tenant.token)
        .await;
    assert_eq!(customer.status, StatusCode::NOT_FOUND);
    let booking = app
        .get(
            &format!("/api/v1/reservations/{}", s.reservation),
            &tenant.token,
        )
        .await;
    assert_eq!(booking.body["phone"], Value::Null);
    assert_eq!(booking.body["notes"], Value::Null);
    assert_ne!(booking.body["customer_name"], "Ana Pérez");
    let sold = app
        .get(&format!("/api/v1/orders/{}", s.order), &tenant.token)
        .await;
    assert_eq!(sold.status, StatusCode::OK);
    assert_eq!(sold.body["total"], 17980, "{:?}", sold.body);
    assert!(!sold.body.to_string().contains("Pedido web"));
    // The counter receives the erasure with its next pull.
    let row = pulled_row(&app, &s.device, "reservation", &s.reservation).await;
    assert_eq!(row["phone"], Value::Null);
    let row = pulled_row(&app, &s.device, "order", &s.order).await;
    assert_eq!(row["note"], Value::Null);

    // Not in the tenant's rows of the raw database, sealed or not; the other tenant's
    // diner with the same phone is untouched.
    let mut conn = app.owner_conn().await;
    let left: Vec<String> = sqlx::query_scalar(
        "SELECT row::text FROM sync_rows WHERE tenant_id = $1::uuid
           AND entity IN ('customer', 'reservation', 'order')",
    )
    .bind(&tenant.id)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let left = left.join("\n");
    assert!(!left.contains("pii1."), "{left}");
    assert!(!left.contains("Ana Pérez"), "{left}");
    let kept = app
        .get(
            &format!("/api/v1/customers/{}", theirs.customer),
            &other.token,
        )
        .await;
    assert_eq!(kept.body["phone"], PHONE);
}

/// The owner of `tenant` asks to erase the diner with `phone`.
async fn erase_diner(app: &TestApp, tenant: &Tenant, phone: &str) -> common::Reply {
    app.post(
        "/api/v1/customer-data/erase-diner",
        json!({ "phone": phone }),
        Some(&tenant.token),
    )
    .await
}

/// What a diner who chose `channel` for counter order `order` leaves, as the widget's
/// order transaction writes it (`diner_messages::register_order`, with consent).
async fn notified(
    app: &TestApp,
    tenant: &Tenant,
    order: &str,
    channel: &str,
    phone: &str,
    email: &str,
) {
    let (mut tx, _, location) = tenant_tx(app, tenant).await;
    let request: dysa_cloud::widget_orders::OrderRequest = serde_json::from_value(json!({
        "customer": {"name": "Ana Pérez", "phone": phone, "email": email},
        "fulfilment": "pickup", "lines": [], "language": "es",
        "notify_by": channel, "messages_consent": true,
    }))
    .unwrap();
    let queued = dysa_cloud::diner_messages::register_order(
        &app.state,
        &mut tx,
        TenantId(tenant.id.parse().unwrap()),
        location,
        order.parse().unwrap(),
        Some(7),
        &request,
    )
    .await
    .unwrap();
    assert!(queued, "{channel}: nothing queued");
    tx.commit().await.unwrap();
}

/// Erasing one diner (by phone) removes the contacts their widget orders kept for
/// messages — by SMS (their phone) and by email (their customer record's address) — the
/// steps waiting on them, and the SMS and mails still waiting to be sent to them; another
/// diner's contact and mail stay.
#[sqlx::test(migrations = false)]
async fn erasing_a_diner_removes_their_order_contacts_by_sms_and_email_and_unsent_messages(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("olvida-avisos").await;
    let s = seed(&app, &tenant).await;
    let (by_sms, theirs) = (id(), id());
    let numbered = |order_id: &str, number: i64, stamp: &str| {
        let mut row = order(order_id, stamp);
        row["number"] = json!(number);
        upsert("order", order_id, row, stamp)
    };
    push_applied(
        &app,
        &s.device,
        vec![numbered(&by_sms, 8, &hlc(4)), numbered(&theirs, 9, &hlc(5))],
    )
    .await;
    // Ana asked for email on one order (an address spelt otherwise than her customer
    // record's) and for SMS on another; Berta for email on a third.
    notified(
        &app,
        &tenant,
        &s.order,
        "email",
        "+56 9 1111 2222",
        "Ana.Perez@Example.cl",
    )
    .await;
    notified(&app, &tenant, &by_sms, "sms", "9 8765 4321", "").await;
    notified(
        &app,
        &tenant,
        &theirs,
        "email",
        "+56 9 3333 4444",
        "berta@example.cl",
    )
    .await;
    // The counter accepts Ana's first order: its step is queued as a second mail.
    push_applied(
        &app,
        &s.device,
        vec![upsert(
            "order",
            &s.order,
            json!({"status": "confirmed", "updated_at": hlc(6)}),
            &hlc(6),
        )],
    )
    .await;
    assert_eq!(count(&app, "SELECT count(*) FROM order_contacts").await, 3);
    assert_eq!(
        count(&app, "SELECT count(*) FROM order_contact_steps").await,
        1
    );
    let to_ana = format!("SELECT count(*) FROM mail_outbox WHERE to_address = '{EMAIL}'");
    assert_eq!(count(&app, &to_ana).await, 2);
    assert_eq!(count(&app, "SELECT count(*) FROM sms_outbox").await, 1);

    let erased = erase_diner(&app, &tenant, "9 8765 4321").await;
    assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
    let mut conn = app.owner_conn().await;
    let left: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT order_id FROM order_contacts")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        left,
        vec![theirs.parse::<uuid::Uuid>().unwrap()],
        "only Berta's"
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM order_contact_steps").await,
        0
    );
    assert_eq!(count(&app, &to_ana).await, 0, "her unsent mails");
    assert_eq!(
        count(&app, "SELECT count(*) FROM sms_outbox").await,
        0,
        "her unsent SMS"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM mail_outbox WHERE to_address = 'berta@example.cl'"
        )
        .await,
        1
    );
}

#[sqlx::test(migrations = false)]
async fn erasing_the_tenant_shreds_its_key_and_sends_counters_to_a_snapshot(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("borra-todo").await;
    let other = app.signup("sigue").await;
    let s = seed(&app, &tenant).await;
    let theirs = seed(&app, &other).await;
    // What a thief kept from before: the sealed phone of the customer.
    let mut conn = app.owner_conn().await;
    let stolen: String = sqlx::query_scalar(
        "SELECT row ->> 'phone' FROM sync_rows WHERE entity = 'customer' AND entity_id = $1",
    )
    .bind(&s.customer)
    .fetch_one(&mut conn)
    .await
    .unwrap();

    let phrase = app
        .get("/api/v1/customer-data/erasure", &tenant.token)
        .await;
    assert_eq!(phrase.body["confirmation"], "borra-todo");
    let wrong = app
        .post(
            "/api/v1/customer-data/erasure",
            json!({"confirmation": "sigue"}),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get("/api/v1/customers", &tenant.token)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1,
        "a wrong phrase erases nothing"
    );

    let erased = app
        .post(
            "/api/v1/customer-data/erasure",
            json!({"confirmation": "borra-todo"}),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
    assert_eq!(erased.body["customers"], 1);
    assert_eq!(erased.body["reservations"], 1);
    assert_eq!(erased.body["orders"], 1);

    let keys: i64 =
        sqlx::query_scalar("SELECT count(*) FROM tenant_data_keys WHERE tenant_id = $1::uuid")
            .bind(&tenant.id)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(keys, 0, "the data key is destroyed");
    let mine: Vec<String> = sqlx::query_scalar(
        "SELECT t::text FROM sync_rows t WHERE tenant_id = $1::uuid
         UNION ALL SELECT c::text FROM customers c WHERE tenant_id = $1::uuid
         UNION ALL SELECT r::text FROM reservations r WHERE tenant_id = $1::uuid
         UNION ALL SELECT o::text FROM orders o WHERE tenant_id = $1::uuid",
    )
    .bind(&tenant.id)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mine = mine.join("\n");
    assert!(
        !mine.contains("pii1.") && !mine.contains("Ana Pérez"),
        "{mine}"
    );
    assert!(mine.contains(&s.order), "orders stay for the books");

    // The counter is told to reload from a snapshot, which no longer holds them.
    let pulled = app
        .get(
            "/api/v1/sync/pull?cursor=3&limit=500&schema_version=1",
            &s.device,
        )
        .await;
    assert_eq!(pulled.status, StatusCode::GONE, "{:?}", pulled.body);
    assert_eq!(pulled.body["error"]["code"], "snapshot_required");
    let snapshot = app
        .get(
            "/api/v1/sync/snapshot?cursor=0&limit=500&schema_version=1",
            &s.device,
        )
        .await;
    assert_eq!(snapshot.status, StatusCode::OK, "{:?}", snapshot.body);
    let text = snapshot.body.to_string();
    assert!(!text.contains(&s.customer) && !text.contains(&s.reservation));

    // The stolen ciphertext opens for nobody, even put back where it was.
    sqlx::query(
        "INSERT INTO customers (tenant_id, id, name, phone, hlc) VALUES ($1::uuid, $2::uuid, 'x', $3, $4)",
    )
    .bind(&tenant.id)
    .bind(&s.customer)
    .bind(&stolen)
    .bind(hlc(1))
    .execute(&mut conn)
    .await
    .unwrap();
    let back = app
        .get(&format!("/api/v1/customers/{}", s.customer), &tenant.token)
        .await;
    assert_eq!(back.status, StatusCode::OK, "{:?}", back.body);
    assert_eq!(back.body["phone"], Value::Null);
    // The restaurant goes on: new customers are sealed under a new key.
    let c = id();
    push_applied(
        &app,
        &s.device,
        vec![upsert("customer", &c, customer(&c, &hlc(20)), &hlc(20))],
    )
    .await;
    let fresh = app
        .get(&format!("/api/v1/customers/{c}"), &tenant.token)
        .await;
    assert_eq!(fresh.body["phone"], PHONE);
    // The other tenant keeps everything.
    let kept = app
        .get(
            &format!("/api/v1/customers/{}", theirs.customer),
            &other.token,
        )
        .await;
    assert_eq!(kept.body["phone"], PHONE);
}

/// What a diner wrote to the widget and by WhatsApp, and what staff answered.
const WIDGET_TEXT: &str = "dos completos a Los Aromos 1234";
const STAFF_TEXT: &str = "Su pedido sale en 10 minutos, Camila";
const WA_TEXT: &str = "Hola, soy Camila, mi RUT es 12.345.678-5";
const WA_ID: &str = "56987654321";

/// Every row of the cloud's relay tables, as a dump shows them.
async fn relay_dump(app: &TestApp) -> String {
    let mut conn = app.owner_conn().await;
    let mut text = String::new();
    for table in dysa_cloud::store::relays::TABLES {
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT t::text FROM {} t",
            table.name
        )))
        .fetch_all(&mut conn)
        .await
        .unwrap();
        text.push_str(&rows.join("\n"));
        text.push('\n');
    }
    text
}

fn assert_no_relay_plaintext(dump: &str) {
    for secret in ["Los Aromos", STAFF_TEXT, "12.345.678", WA_ID, PHONE_DIGITS] {
        assert!(
            !dump.contains(secret),
            "{secret} is stored in clear: {dump}"
        );
    }
}

/// A transaction of `tenant`, its keys and its location.
async fn tenant_tx(
    app: &TestApp,
    tenant: &Tenant,
) -> (dysa_cloud::store::Tx, Arc<TenantKeys>, LocationId) {
    let location = LocationId(tenant.location_id.parse().unwrap());
    let mut tx = app
        .state
        .db
        .tenant_tx(TenantId(tenant.id.parse().unwrap()))
        .await
        .unwrap();
    let keys = app.state.vault.keys(&mut tx).await.unwrap();
    (tx, keys, location)
}

/// The WhatsApp outbox's rows due now, claimed (as the worker does) and opened.
async fn claim_due(tx: &mut dysa_cloud::store::Tx, keys: &TenantKeys) -> Vec<wa::Claimed> {
    let soon = chrono::Utc::now() + chrono::Duration::seconds(1);
    wa::claim(tx, keys, soon, chrono::Duration::minutes(2), 10)
        .await
        .unwrap()
}

/// Staff's messages as the diner's widget fetches them.
async fn widget_messages(app: &TestApp, tenant: &Tenant, conversation: &str) -> common::Reply {
    let path = format!(
        "/api/v1/public/{}/chat/{conversation}/messages",
        tenant.slug
    );
    let reply = app
        .call(axum::http::Method::GET, &path, Value::Null, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply
}

/// A widget chat (the cloud answers: no counter is connected), a staff reply in it, and a
/// WhatsApp diner's message, contact, answer and queued reply, as the flows write them.
async fn seed_relays(app: &TestApp, tenant: &Tenant) -> (String, String) {
    let chat = app
        .post(
            &format!("/api/v1/public/{}/chat", tenant.slug),
            json!({"message": WIDGET_TEXT, "language": "es"}),
            None,
        )
        .await;
    assert_eq!(chat.status, StatusCode::OK, "{:?}", chat.body);
    let conversation = chat.body["conversation_id"].as_str().unwrap().to_owned();
    let device = first_device(app, tenant).await;
    let staff = app
        .post(
            "/api/v1/sync/chat-messages",
            json!({"messages": [{"id": id(), "conversation_id": conversation, "text": STAFF_TEXT}]}),
            Some(&device),
        )
        .await;
    assert_eq!(staff.status, StatusCode::NO_CONTENT, "{:?}", staff.body);

    let (mut tx, keys, location) = tenant_tx(app, tenant).await;
    assert!(
        wa::record_inbound(
            &mut tx,
            &keys,
            location,
            "wamid.IN1",
            WA_ID,
            "text",
            WA_TEXT
        )
        .await
        .unwrap()
    );
    let contact = wa::touch_contact(&mut tx, &keys, location, WA_ID, Some("Camila"))
        .await
        .unwrap();
    assert_eq!(contact.wa_id, WA_ID);
    let again = wa::touch_contact(&mut tx, &keys, location, WA_ID, None)
        .await
        .unwrap();
    assert_eq!(
        again.conversation_id, contact.conversation_id,
        "found by its hash"
    );
    wa::record_outbound(
        &mut tx,
        &keys,
        location,
        WA_ID,
        "wamid.OUT1",
        "text",
        STAFF_TEXT,
    )
    .await
    .unwrap();
    let queued = wa::enqueue(
        &mut tx,
        &keys,
        &wa::NewOutgoing {
            location,
            wa_id: WA_ID,
            dedupe_key: "reply:wamid.IN1",
            lang: "es",
            params: json!({"kind": "text", "text": STAFF_TEXT}),
        },
    )
    .await
    .unwrap();
    assert!(queued.is_some());
    tx.commit().await.unwrap();
    (conversation, device)
}

#[sqlx::test(migrations = false)]
async fn the_relay_tables_hold_no_clear_text_and_every_reader_still_sees_it(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("relevos").await;
    let (conversation, _) = seed_relays(&app, &tenant).await;

    let raw = relay_dump(&app).await;
    assert_no_relay_plaintext(&raw);
    assert!(raw.contains("pii1."), "sealed, not dropped");

    // The widget reads staff's words; the draft carries on.
    let staff = widget_messages(&app, &tenant, &conversation).await;
    assert_eq!(staff.status, StatusCode::OK, "{:?}", staff.body);
    assert_eq!(staff.body["messages"][0]["text"], STAFF_TEXT);

    // The WhatsApp diner is found by their number; the outbox reads it back.
    let (mut tx, keys, location) = tenant_tx(&app, &tenant).await;
    let contact = wa::contact(&mut tx, &keys, location, WA_ID)
        .await
        .unwrap()
        .unwrap();
    let by_conversation = wa::contact_of_conversation(&mut tx, &keys, contact.conversation_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_conversation.wa_id, WA_ID);
    assert_eq!(
        wa::contact_name(&mut tx, &keys, location, WA_ID)
            .await
            .unwrap()
            .as_deref(),
        Some("Camila")
    );
    let claimed = claim_due(&mut tx, &keys).await;
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].wa_id, WA_ID);
    assert_eq!(claimed[0].params["text"], STAFF_TEXT);
    tx.rollback().await.unwrap();

    // The export opens every message, with the diner's number.
    let export = app.get("/api/v1/customer-data/export", &tenant.token).await;
    assert_eq!(export.status, StatusCode::OK, "{:?}", export.body);
    let messages = export.body["conversations"].as_array().unwrap();
    let text = |t: &str| messages.iter().find(|m| m["text"] == t).cloned();
    assert_eq!(text(STAFF_TEXT).unwrap()["author"], "staff");
    let inbound = text(WA_TEXT).unwrap();
    assert_eq!(inbound["conversation"], WA_ID);
    assert_eq!(inbound["author"], "diner");
    assert!(!export.body.to_string().contains("pii1."));

    // Erasing the diner by phone (another spelling) deletes their WhatsApp rows.
    let erased = erase_diner(&app, &tenant, "+56 9 8765 4321").await;
    assert_eq!(erased.status, StatusCode::OK, "{:?}", erased.body);
    assert_eq!(erased.body["messages"], 2);
    let mut conn = app.owner_conn().await;
    for table in ["whatsapp_messages", "whatsapp_contacts", "whatsapp_outbox"] {
        let left: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                .fetch_one(&mut conn)
                .await
                .unwrap();
        assert_eq!(left, 0, "{table}");
    }
}

#[sqlx::test(migrations = false)]
async fn relay_rows_written_before_sealing_are_sealed_by_the_start_up_pass(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("relevo-antiguo").await;
    let (conversation, _) = seed_relays(&app, &tenant).await;
    // Put the rows back as a cloud before migration 0050 stored them: in clear, no hash.
    let mut conn = app.owner_conn().await;
    for sql in [
        "UPDATE chat_staff_messages SET text = 'Su pedido sale en 10 minutos, Camila'",
        "UPDATE chat_conversations SET draft = '{\"lines\": [], \"address\": \"Los Aromos 1234\"}'",
        "UPDATE whatsapp_messages SET wa_id = '56987654321', wa_hash = NULL,
             body = CASE direction WHEN 'in' THEN 'Hola, soy Camila, mi RUT es 12.345.678-5'
                                   ELSE 'Su pedido sale en 10 minutos, Camila' END",
        "UPDATE whatsapp_contacts SET wa_id = '56987654321', wa_hash = NULL",
        "UPDATE whatsapp_outbox SET wa_id = '56987654321', wa_hash = NULL,
             params = '{\"kind\": \"text\", \"text\": \"Su pedido sale en 10 minutos, Camila\"}'",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    assert!(relay_dump(&app).await.contains(WA_ID));
    // Clear rows still read while the pass has not run.
    let staff = widget_messages(&app, &tenant, &conversation).await;
    assert_eq!(staff.body["messages"][0]["text"], STAFF_TEXT);

    let sealed = dysa_cloud::pii::backfill::run(&app.state.db, &app.state.vault)
        .await
        .unwrap();
    assert_eq!(sealed.relay_rows, 6, "{sealed:?}");
    assert_no_relay_plaintext(&relay_dump(&app).await);

    let staff = widget_messages(&app, &tenant, &conversation).await;
    assert_eq!(staff.body["messages"][0]["text"], STAFF_TEXT);
    let (mut tx, keys, location) = tenant_tx(&app, &tenant).await;
    assert!(
        wa::contact(&mut tx, &keys, location, WA_ID)
            .await
            .unwrap()
            .is_some(),
        "found by the hash the pass gave it"
    );
    let claimed = claim_due(&mut tx, &keys).await;
    assert_eq!(claimed[0].wa_id, WA_ID);
    assert_eq!(claimed[0].params["text"], STAFF_TEXT);
    tx.rollback().await.unwrap();
    let export = app.get("/api/v1/customer-data/export", &tenant.token).await;
    assert!(
        export.body.to_string().contains(WA_TEXT),
        "{:?}",
        export.body
    );
    // A second pass finds nothing left.
    let again = dysa_cloud::pii::backfill::run(&app.state.db, &app.state.vault)
        .await
        .unwrap();
    assert_eq!(again.relay_rows, 0);
}
