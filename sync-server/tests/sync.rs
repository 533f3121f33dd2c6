//! Sync against the real Postgres: push (merge, projection, replay, rejections, append-only
//! payments, double bookings), pull and snapshot (cursor pages, location scope, tenant
//! isolation, tombstones), owners' edits reaching devices, the live stream, and the
//! refusals (revoked device, schema version, malformed bodies).
//!
//! Payloads are shaped exactly as the appliance serialises its records
//! (`crates/appliance/src/store/*.rs`): those field names are the wire's.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::live::next_event;
use common::sync::{NODE, device, hlc, id, mutation, push, push_ok, upsert};
use common::{Reply, Tenant, TestApp};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tower::ServiceExt;
use uuid::Uuid;

/// `OrderRow` as the appliance writes it on creation.
fn order(id: &str, status: &str, stamp: &str) -> Value {
    json!({
        "id": id, "number": 7, "business_date": "2026-11-27", "local_hour": 13,
        "channel": "counter", "created_by": null, "created_at": "2026-11-27T16:00:00.000Z",
        "status": status, "customer_id": null, "table_id": null, "note": "sin cebolla",
        "subtotal": 17980, "discount": 0, "total": 17980, "net": 15109, "tax": 2871,
        "tax_rate_bp": 1900, "tip": 0, "amount_due": 17980, "cancel_reason": null,
        "updated_at": stamp,
    })
}

/// `LineRow`: the line nested under `line`.
fn line(id: &str, order: &str, position: i64, stamp: &str) -> Value {
    json!({
        "line": {
            "id": id, "item_id": Uuid::now_v7(), "name": "Cazuela", "quantity": 1,
            "unit_price": 8990, "line_total": 8990, "modifiers": [], "note": null,
            "station": "kitchen", "voided": false, "void_reason": null,
        },
        "order_id": order, "position": position, "created_by": null, "voided_at": null,
        "voided_by": null, "created_at": "2026-11-27T16:00:00.000Z", "updated_at": stamp,
    })
}

/// `TransitionRow`: the change nested under `transition`.
fn transition(id: &str, order: &str, from: Option<&str>, to: &str, stamp: &str) -> Value {
    json!({
        "id": id, "order_id": order,
        "transition": {"from": from, "to": to, "reason": null, "by_user": null,
                       "at": "2026-11-27T16:00:00.000Z"},
        "updated_at": stamp,
    })
}

/// `Payment`.
fn payment(id: &str, order: &str, amount: i64) -> Value {
    json!({
        "id": id, "order_id": order, "method": "cash", "amount": amount, "tip": 0,
        "received": 20000, "change": 2020, "refund_of": null, "reference": null,
        "created_by": null, "created_at": "2026-11-27T16:05:00.000Z",
    })
}

/// `ReservationRecord`.
fn reservation(id: &str, table: &str, starts: &str, ends: &str, stamp: &str) -> Value {
    json!({
        "id": id, "customer_id": null, "name": "Rosa", "phone": "+56911111111",
        "party_size": 4, "starts_at": starts, "ends_at": ends, "duration_minutes": 120,
        "table_id": table, "status": "confirmed", "channel": "counter", "notes": null,
        "cancel_reason": null, "created_by": null, "created_at": "2026-11-27T12:00:00.000Z",
        "updated_at": stamp,
    })
}

/// `CategoryRecord`.
fn category(id: &str, stamp: &str) -> Value {
    json!({
        "id": id, "name": "Platos", "name_en": null, "position": 0, "active": true,
        "created_at": "2026-11-27T12:00:00.000Z", "updated_at": stamp,
    })
}

/// `ItemRecord`.
fn item(id: &str, category: &str, name: &str, price: i64, stamp: &str) -> Value {
    json!({
        "id": id, "category_id": category, "name": name, "name_en": null,
        "description": null, "description_en": null, "price": price, "station": "kitchen",
        "tags": [], "allergens": [], "modifier_group_ids": [], "available": true,
        "position": 0, "created_at": "2026-11-27T12:00:00.000Z", "updated_at": stamp,
    })
}

/// `CustomerRecord`.
fn customer(id: &str, name: &str, stamp: &str) -> Value {
    json!({
        "id": id, "name": name, "phone": "+56922222222", "email": null, "rut": null,
        "notes": null, "marketing_consent": false, "created_at": "2026-11-27T12:00:00.000Z",
        "updated_at": stamp, "deleted_at": null,
    })
}

/// A second restaurant of the tenant.
async fn second_location(app: &TestApp, tenant: &Tenant) -> String {
    let location = id();
    let mut conn = app.owner_conn().await;
    sqlx::query(
        "INSERT INTO locations (id, tenant_id, name, slug) VALUES ($1::uuid, $2::uuid, 'Sucursal', 'sucursal')",
    )
    .bind(&location)
    .bind(&tenant.id)
    .execute(&mut conn)
    .await
    .unwrap();
    location
}

async fn pull(app: &TestApp, token: &str, route: &str, cursor: i64, limit: i64) -> Reply {
    app.get(
        &format!("/api/v1/sync/{route}?cursor={cursor}&limit={limit}&schema_version=1"),
        token,
    )
    .await
}

/// Every change after `cursor`, page by page: (changes, final cursor, pages).
async fn pull_all(app: &TestApp, token: &str, route: &str, limit: i64) -> (Vec<Value>, i64, usize) {
    let mut cursor = 0;
    let mut changes = Vec::new();
    let mut pages = 0;
    loop {
        let page = pull(app, token, route, cursor, limit).await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        pages += 1;
        let got = page.body["changes"].as_array().unwrap();
        assert!(got.len() as i64 <= limit);
        let next = page.body["cursor"].as_i64().unwrap();
        assert!(next >= cursor, "the cursor never goes back");
        for change in got {
            let version = change["version"].as_i64().unwrap();
            assert!(version > cursor && version <= next, "{change}");
        }
        changes.extend(got.iter().cloned());
        cursor = next;
        if !page.body["has_more"].as_bool().unwrap() {
            return (changes, cursor, pages);
        }
    }
}

fn outcomes(results: &[Value]) -> Vec<&str> {
    results
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect()
}

#[sqlx::test(migrations = false)]
async fn push_applies_projects_and_a_replay_changes_nothing(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("empuje").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (o, l1, l2, t, p) = (id(), id(), id(), id(), id());
    let batch = vec![
        upsert("order", &o, order(&o, "pending", &hlc(1)), &hlc(1)),
        upsert("order_line", &l1, line(&l1, &o, 1, &hlc(1)), &hlc(1)),
        upsert("order_line", &l2, line(&l2, &o, 2, &hlc(1)), &hlc(1)),
        upsert(
            "order_transition",
            &t,
            transition(&t, &o, None, "pending", &hlc(1)),
            &hlc(1),
        ),
        upsert("payment", &p, payment(&p, &o, 17980), &hlc(2)),
    ];
    let first = push_ok(&app, &token, batch.clone()).await;
    assert_eq!(outcomes(&first), ["applied"; 5]);
    let current = &first[0]["current"];
    assert_eq!(current["entity"], "order");
    assert_eq!(current["entity_id"], o.as_str());
    assert_eq!(current["location_id"], tenant.location_id.as_str());
    assert_eq!(current["row"]["status"], "pending");
    assert_eq!(current["deleted"], false);
    assert_eq!(current["hlc"], hlc(1).as_str());
    let versions: Vec<i64> = first
        .iter()
        .map(|r| r["current"]["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [1, 2, 3, 4, 5]);

    let check = |body: &Value| {
        let orders = body.as_array().unwrap();
        assert_eq!(orders.len(), 1, "{body}");
        assert_eq!(orders[0]["id"], o.as_str());
        assert_eq!(orders[0]["total"], 17980);
        assert_eq!(orders[0]["note"], "sin cebolla");
        assert_eq!(orders[0]["location_id"], tenant.location_id.as_str());
    };
    check(&app.get("/api/v1/orders", &tenant.token).await.body);
    let detail = app.get(&format!("/api/v1/orders/{o}"), &tenant.token).await;
    assert_eq!(detail.status, StatusCode::OK, "{:?}", detail.body);
    assert_eq!(detail.body["lines"].as_array().unwrap().len(), 2);
    assert_eq!(detail.body["lines"][0]["name"], "Cazuela");
    assert_eq!(detail.body["transitions"][0]["to_status"], "pending");
    assert_eq!(detail.body["payments"][0]["amount"], 17980);
    assert_eq!(detail.body["payments"][0]["kind"], "payment");

    // The same batch again (a retry after a lost answer): the first answers, no change.
    let again = push_ok(&app, &token, batch).await;
    assert_eq!(outcomes(&again), ["applied"; 5]);
    for (a, b) in first.iter().zip(&again) {
        assert_eq!(a, b, "a replay answers exactly the first answer");
    }
    check(&app.get("/api/v1/orders", &tenant.token).await.body);
    let detail = app.get(&format!("/api/v1/orders/{o}"), &tenant.token).await;
    assert_eq!(detail.body["lines"].as_array().unwrap().len(), 2);
    assert_eq!(detail.body["payments"].as_array().unwrap().len(), 1);
    let mut conn = app.owner_conn().await;
    let (rows, version, answers): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM sync_rows), (SELECT version FROM sync_versions),
                (SELECT count(*) FROM sync_mutations)",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!((rows, version, answers), (5, 5, 5));
}

#[sqlx::test(migrations = false)]
async fn a_replayed_batch_gets_its_stored_results_with_the_row_as_it_is_now(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("repeticion").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let o = id();
    let create = upsert("order", &o, order(&o, "ready", &hlc(1)), &hlc(1));
    let backwards = upsert("order", &o, json!({"status": "pending"}), &hlc(5));
    let first = push_ok(&app, &token, vec![create.clone(), backwards.clone()]).await;
    assert_eq!(outcomes(&first), ["applied", "rejected"]);
    // The order moves on after the first push...
    let done = upsert("order", &o, json!({"status": "completed"}), &hlc(9));
    push_ok(&app, &token, vec![done]).await;
    // ...so the replay answers the stored outcomes, and the row as the cloud holds it now.
    let again = push_ok(&app, &token, vec![create, backwards]).await;
    assert_eq!(outcomes(&again), ["applied", "rejected"]);
    assert_eq!(again[1]["reason"], first[1]["reason"]);
    assert_eq!(again[1]["detail"], first[1]["detail"]);
    assert_eq!(again[0]["current"]["row"]["status"], "completed");
    assert_eq!(again[0]["current"]["version"], 2);
}

#[sqlx::test(migrations = false)]
async fn an_illegal_transition_is_rejected_and_the_rest_of_the_batch_applies(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("transiciones").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (o, c) = (id(), id());
    push_ok(
        &app,
        &token,
        vec![upsert("order", &o, order(&o, "pending", &hlc(1)), &hlc(1))],
    )
    .await;
    let results = push_ok(
        &app,
        &token,
        vec![
            upsert(
                "order",
                &o,
                json!({"status": "ready", "updated_at": hlc(2)}),
                &hlc(2),
            ),
            // Backwards, even with a newer clock.
            upsert(
                "order",
                &o,
                json!({"status": "preparing", "updated_at": hlc(3)}),
                &hlc(3),
            ),
            upsert("customer", &c, customer(&c, "Rosa", &hlc(3)), &hlc(3)),
            // Cancelling needs a reason.
            upsert("order", &o, json!({"status": "cancelled"}), &hlc(4)),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&results),
        ["applied", "rejected", "applied", "rejected"]
    );
    assert_eq!(results[1]["reason"], "illegal_transition");
    assert!(results[1]["detail"].as_str().unwrap().len() > 5);
    assert_eq!(results[1]["current"]["row"]["status"], "ready");
    assert_eq!(results[3]["reason"], "illegal_transition");
    let orders = app.get("/api/v1/orders", &tenant.token).await;
    assert_eq!(orders.body[0]["status"], "ready");
    let customers = app.get("/api/v1/customers", &tenant.token).await;
    assert_eq!(customers.body[0]["name"], "Rosa");
    // Customers are tenant-wide rows.
    assert!(results[2]["current"]["location_id"].is_null());
}

#[sqlx::test(migrations = false)]
async fn payments_are_append_only(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("pagos").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (o, p, r) = (id(), id(), id());
    push_ok(
        &app,
        &token,
        vec![
            upsert("order", &o, order(&o, "completed", &hlc(1)), &hlc(1)),
            upsert("payment", &p, payment(&p, &o, 17980), &hlc(2)),
        ],
    )
    .await;
    let mut refund = payment(&r, &o, -5000);
    refund["refund_of"] = json!(p);
    let results = push_ok(
        &app,
        &token,
        vec![
            upsert("payment", &p, payment(&p, &o, 1), &hlc(3)),
            mutation("payment", &p, "delete", json!({}), &hlc(4)),
            upsert("payment", &r, refund, &hlc(5)),
        ],
    )
    .await;
    assert_eq!(outcomes(&results), ["rejected", "rejected", "applied"]);
    assert_eq!(results[0]["reason"], "append_only");
    assert_eq!(results[1]["reason"], "append_only");
    assert_eq!(results[0]["current"]["row"]["amount"], 17980);
    let detail = app.get(&format!("/api/v1/orders/{o}"), &tenant.token).await;
    let payments = detail.body["payments"].as_array().unwrap();
    assert_eq!(payments.len(), 2, "{payments:?}");
    let amounts: Vec<(i64, &str)> = payments
        .iter()
        .map(|p| (p["amount"].as_i64().unwrap(), p["kind"].as_str().unwrap()))
        .collect();
    assert!(amounts.contains(&(17980, "payment")), "{amounts:?}");
    assert!(amounts.contains(&(-5000, "refund")), "{amounts:?}");
}

#[sqlx::test(migrations = false)]
async fn a_double_booking_is_adjusted_for_the_later_arrival(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("reservas").await;
    let loc = tenant.location_id.clone();
    let (_, first_counter) = device(&app, &tenant.token, &loc, "Caja 1").await;
    let (_, second_counter) = device(&app, &tenant.token, &loc, "Caja 2").await;
    let (table, a, b, c) = (id(), id(), id(), id());
    let booked = push_ok(
        &app,
        &first_counter,
        vec![upsert(
            "reservation",
            &a,
            reservation(
                &a,
                &table,
                "2026-12-01T20:00:00Z",
                "2026-12-01T22:00:00Z",
                &hlc(1),
            ),
            &hlc(1),
        )],
    )
    .await;
    assert_eq!(outcomes(&booked), ["applied"]);
    // The other counter booked the same table for an overlapping time while offline; a
    // back-to-back booking in the same batch is fine.
    let results = push_ok(
        &app,
        &second_counter,
        vec![
            upsert(
                "reservation",
                &b,
                reservation(
                    &b,
                    &table,
                    "2026-12-01T21:00:00Z",
                    "2026-12-01T23:00:00Z",
                    &hlc(2),
                ),
                &hlc(2),
            ),
            upsert(
                "reservation",
                &c,
                reservation(
                    &c,
                    &table,
                    "2026-12-01T22:00:00Z",
                    "2026-12-01T23:30:00Z",
                    &hlc(2),
                ),
                &hlc(2),
            ),
        ],
    )
    .await;
    assert_eq!(outcomes(&results), ["adjusted", "applied"]);
    assert_eq!(results[0]["reason"], "double_booking");
    assert!(results[0]["detail"].as_str().unwrap().contains("Mesa"));
    assert_eq!(results[0]["current"]["row"]["status"], "cancelled");
    let listed = app.get("/api/v1/reservations", &tenant.token).await;
    let status_of = |rid: &str| {
        listed
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == rid)
            .map(|r| r["status"].as_str().unwrap().to_owned())
    };
    assert_eq!(status_of(&a).as_deref(), Some("confirmed"));
    assert_eq!(status_of(&b).as_deref(), Some("cancelled"));
    assert_eq!(status_of(&c).as_deref(), Some("confirmed"));
}

#[sqlx::test(migrations = false)]
async fn pull_pages_by_cursor_over_the_location_and_tenant_wide_rows(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("paginas").await;
    let other_location = second_location(&app, &tenant).await;
    let (_, here) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (_, reader) = device(&app, &tenant.token, &tenant.location_id, "Tablet").await;
    let (_, there) = device(&app, &tenant.token, &other_location, "Sucursal").await;
    let cat = id();
    let mut mine = vec![upsert("category", &cat, category(&cat, &hlc(1)), &hlc(1))];
    for n in 0..4 {
        let i = id();
        mine.push(upsert(
            "item",
            &i,
            item(&i, &cat, &format!("Plato {n}"), 1000, &hlc(1)),
            &hlc(1),
        ));
    }
    let shared = id();
    mine.push(upsert(
        "customer",
        &shared,
        customer(&shared, "Rosa", &hlc(1)),
        &hlc(1),
    ));
    mine.push(upsert(
        "setting",
        "restaurant_name",
        json!({"key": "restaurant_name", "value": "Casa"}),
        &hlc(1),
    ));
    push_ok(&app, &here, mine).await;
    let their_cat = id();
    let their_customer = id();
    push_ok(
        &app,
        &there,
        vec![
            upsert(
                "category",
                &their_cat,
                category(&their_cat, &hlc(2)),
                &hlc(2),
            ),
            upsert(
                "customer",
                &their_customer,
                customer(&their_customer, "Pedro", &hlc(2)),
                &hlc(2),
            ),
            // The same setting key at another restaurant is another row.
            upsert(
                "setting",
                "restaurant_name",
                json!({"key": "restaurant_name", "value": "Sucursal"}),
                &hlc(2),
            ),
        ],
    )
    .await;

    let (changes, cursor, pages) = pull_all(&app, &reader, "pull", 2).await;
    assert_eq!(cursor, 10, "the last page ends at the tenant's version");
    assert!(pages >= 4, "pages of 2: {pages}");
    let ids: Vec<&str> = changes
        .iter()
        .map(|c| c["entity_id"].as_str().unwrap())
        .collect();
    assert_eq!(changes.len(), 8, "{ids:?}");
    assert!(ids.contains(&shared.as_str()));
    assert!(
        ids.contains(&their_customer.as_str()),
        "customers are tenant-wide"
    );
    assert!(
        !ids.contains(&their_cat.as_str()),
        "another location's rows stay there"
    );
    let setting = changes.iter().find(|c| c["entity"] == "setting").unwrap();
    assert_eq!(setting["entity_id"], "restaurant_name");
    assert_eq!(setting["row"]["value"], "Casa");
    let versions: Vec<i64> = changes
        .iter()
        .map(|c| c["version"].as_i64().unwrap())
        .collect();
    let mut sorted = versions.clone();
    sorted.sort_unstable();
    assert_eq!(versions, sorted);

    // From the final cursor: nothing new. A change later comes alone.
    let page = pull(&app, &reader, "pull", cursor, 100).await;
    assert_eq!(page.body["changes"].as_array().unwrap().len(), 0);
    assert_eq!(page.body["cursor"], cursor);
    let newer = id();
    push_ok(
        &app,
        &here,
        vec![upsert(
            "item",
            &newer,
            item(&newer, &cat, "Nuevo", 500, &hlc(3)),
            &hlc(3),
        )],
    )
    .await;
    let page = pull(&app, &reader, "pull", cursor, 100).await;
    assert_eq!(page.body["changes"].as_array().unwrap().len(), 1);
    assert_eq!(page.body["changes"][0]["entity_id"], newer.as_str());
    assert_eq!(page.body["has_more"], false);

    // The location's settings are separate projections too.
    let mut conn = app.owner_conn().await;
    let values: Vec<Value> =
        sqlx::query_scalar("SELECT value FROM location_settings ORDER BY value::text")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(values, [json!("Casa"), json!("Sucursal")]);

    // The owners' device list shows how far each device has pulled.
    let list = app.get("/api/v1/devices", &tenant.token).await;
    let tablet = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Tablet")
        .unwrap()
        .clone();
    assert_eq!(tablet["last_pulled_version"], 11);
    assert_eq!(tablet["sync_lag_versions"], 0);
    assert!(tablet["last_sync_at"].is_string());
    let caja = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Caja")
        .unwrap()
        .clone();
    assert!(caja["last_push_at"].is_string());
    assert!(caja["sync_lag_versions"].is_null(), "never pulled");
}

#[sqlx::test(migrations = false)]
async fn another_tenants_device_never_sees_or_touches_the_rows(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let a = app.signup("tenant-a").await;
    let b = app.signup("tenant-b").await;
    let (_, a_device) = device(&app, &a.token, &a.location_id, "Caja A").await;
    let (_, b_device) = device(&app, &b.token, &b.location_id, "Caja B").await;
    let (cat, it, cust) = (id(), id(), id());
    push_ok(
        &app,
        &a_device,
        vec![
            upsert("category", &cat, category(&cat, &hlc(1)), &hlc(1)),
            upsert(
                "item",
                &it,
                item(&it, &cat, "Cazuela", 8990, &hlc(1)),
                &hlc(1),
            ),
            upsert("customer", &cust, customer(&cust, "Rosa", &hlc(1)), &hlc(1)),
        ],
    )
    .await;
    let (changes, _, _) = pull_all(&app, &b_device, "pull", 100).await;
    assert!(changes.is_empty(), "{changes:?}");
    let (changes, _, _) = pull_all(&app, &b_device, "snapshot", 100).await;
    assert!(changes.is_empty(), "{changes:?}");
    // B writing A's ids makes B's own rows (ids are per tenant); A's stay as they were.
    let results = push_ok(
        &app,
        &b_device,
        vec![upsert("item", &it, json!({"price": 1}), &hlc(9))],
    )
    .await;
    assert_eq!(results[0]["current"]["row"].as_object().unwrap().len(), 1);
    let a_item = app.get(&format!("/api/v1/menu/items/{it}"), &a.token).await;
    assert_eq!(a_item.body["price"], 8990);
    let (changes, _, _) = pull_all(&app, &a_device, "pull", 100).await;
    assert_eq!(changes.len(), 3);
    assert!(changes.iter().all(|c| c["row"]["price"] != 1));
    // The live version of B does not move with A's pushes.
    let mut conn = app.owner_conn().await;
    let versions: Vec<(uuid::Uuid, i64)> =
        sqlx::query_as("SELECT tenant_id, version FROM sync_versions ORDER BY version")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].1, 1);
    assert_eq!(versions[1].1, 3);
}

#[sqlx::test(migrations = false)]
async fn a_snapshot_leaves_tombstones_out(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("instantanea").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (_, fresh) = device(&app, &tenant.token, &tenant.location_id, "Nueva").await;
    let (cat, kept, gone) = (id(), id(), id());
    push_ok(
        &app,
        &token,
        vec![
            upsert("category", &cat, category(&cat, &hlc(1)), &hlc(1)),
            upsert(
                "item",
                &kept,
                item(&kept, &cat, "Queda", 1000, &hlc(1)),
                &hlc(1),
            ),
            upsert(
                "item",
                &gone,
                item(&gone, &cat, "Se va", 1000, &hlc(1)),
                &hlc(1),
            ),
        ],
    )
    .await;
    let deleted = push_ok(
        &app,
        &token,
        vec![mutation(
            "item",
            &gone,
            "delete",
            json!({"deleted_at": hlc(2)}),
            &hlc(2),
        )],
    )
    .await;
    assert_eq!(deleted[0]["current"]["deleted"], true);
    let (snapshot, cursor, _) = pull_all(&app, &fresh, "snapshot", 1).await;
    let ids: Vec<&str> = snapshot
        .iter()
        .map(|c| c["entity_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [cat.as_str(), kept.as_str()]);
    assert_eq!(cursor, 4, "a snapshot ends at the tenant's version");
    let (all, _, _) = pull_all(&app, &fresh, "pull", 10).await;
    let tombstone = all
        .iter()
        .find(|c| c["entity_id"] == gone.as_str())
        .unwrap();
    assert_eq!(tombstone["deleted"], true);
    // Owners no longer see the deleted item.
    let menu = app.get("/api/v1/menu", &tenant.token).await;
    assert_eq!(menu.body["items"].as_array().unwrap().len(), 1);
}

#[sqlx::test(migrations = false)]
async fn old_tombstones_are_purged_and_a_device_behind_them_is_told_to_reload(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("olvidados").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (_, away) = device(&app, &tenant.token, &tenant.location_id, "Lejana").await;
    let (cat, kept, old, recent) = (id(), id(), id(), id());
    push_ok(
        &app,
        &token,
        vec![
            upsert("category", &cat, category(&cat, &hlc(1)), &hlc(1)),
            upsert(
                "item",
                &kept,
                item(&kept, &cat, "Queda", 1000, &hlc(1)),
                &hlc(1),
            ),
            upsert(
                "item",
                &old,
                item(&old, &cat, "Viejo", 1000, &hlc(1)),
                &hlc(1),
            ),
            upsert(
                "item",
                &recent,
                item(&recent, &cat, "Reciente", 1000, &hlc(1)),
                &hlc(1),
            ),
        ],
    )
    .await;
    let delete = |entity_id: &str, ms| {
        mutation(
            "item",
            entity_id,
            "delete",
            json!({ "deleted_at": hlc(ms) }),
            &hlc(ms),
        )
    };
    let first = push_ok(&app, &token, vec![delete(&old, 2)]).await;
    let old_version = first[0]["current"]["version"].as_i64().unwrap();
    push_ok(&app, &token, vec![delete(&recent, 3)]).await;
    // The first delete happened 31 days ago by the cloud's clock; the second is fresh.
    let mut conn = app.owner_conn().await;
    sqlx::query(
        "UPDATE sync_rows SET tombstoned_at = now() - interval '31 days' WHERE entity_id = $1",
    )
    .bind(&old)
    .execute(&mut conn)
    .await
    .unwrap();

    let purged = dysa_cloud::retention::purge(&app.state.db, 30)
        .await
        .unwrap();
    assert_eq!(purged.tombstones, 1, "only the old tombstone: {purged:?}");
    let left: Vec<String> = sqlx::query_scalar(
        "SELECT entity_id FROM sync_rows WHERE deleted_hlc IS NOT NULL ORDER BY entity_id",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(left, vec![recent.clone()], "the fresh tombstone is kept");

    // A device whose cursor is before the purged delete cannot learn of it by pulling.
    let behind = pull(&app, &away, "pull", 0, 100).await;
    assert_eq!(behind.status, StatusCode::GONE, "{:?}", behind.body);
    assert_eq!(behind.body["error"]["code"], "snapshot_required");
    assert_eq!(
        behind.body["error"]["details"]["purged_through"],
        old_version
    );
    let below = pull(&app, &away, "pull", old_version - 1, 100).await;
    assert_eq!(below.status, StatusCode::GONE);
    // The snapshot is still served, without either deleted item.
    let (snapshot, _, _) = pull_all(&app, &away, "snapshot", 100).await;
    let ids: Vec<&str> = snapshot
        .iter()
        .map(|c| c["entity_id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&kept.as_str())
            && !ids.contains(&old.as_str())
            && !ids.contains(&recent.as_str())
    );
    // From the horizon on, pulls work and still carry the fresh delete.
    let after = pull(&app, &away, "pull", old_version, 100).await;
    assert_eq!(after.status, StatusCode::OK, "{:?}", after.body);
    let tombstones: Vec<&str> = after.body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["deleted"] == true)
        .map(|c| c["entity_id"].as_str().unwrap())
        .collect();
    assert_eq!(tombstones, [recent.as_str()]);
    // A second sweep finds nothing more and never moves the horizon back.
    let again = dysa_cloud::retention::purge(&app.state.db, 30)
        .await
        .unwrap();
    assert_eq!(again.tombstones, 0);
    assert_eq!(
        pull(&app, &away, "pull", 0, 100).await.body["error"]["details"]["purged_through"],
        old_version
    );
}

#[sqlx::test(migrations = false)]
async fn an_owners_price_edit_reaches_the_devices_by_pull(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("precios").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (cat, it) = (id(), id());
    push_ok(
        &app,
        &token,
        vec![
            upsert("category", &cat, category(&cat, &hlc(1)), &hlc(1)),
            upsert(
                "item",
                &it,
                item(&it, &cat, "Cazuela", 8990, &hlc(1)),
                &hlc(1),
            ),
        ],
    )
    .await;
    let (_, cursor, _) = pull_all(&app, &token, "pull", 100).await;

    let edited = app
        .call(
            Method::PATCH,
            &format!("/api/v1/menu/items/{it}"),
            json!({ "price": 9490 }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    assert_eq!(edited.body["price"], 9490);
    assert_eq!(edited.body["name"], "Cazuela");
    // A NUL cannot be stored as text: a field error, never a 500.
    let nul = app
        .call(
            Method::PATCH,
            &format!("/api/v1/menu/items/{it}"),
            json!({ "description": "con\u{0}pebre" }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(
        nul.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        nul.body
    );
    assert!(
        nul.body["error"]["fields"]["description"].is_string(),
        "{:?}",
        nul.body
    );
    assert_eq!(edited.body["id"], it.as_str());
    let page = pull(&app, &token, "pull", cursor, 100).await;
    let changes = page.body["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    let change = &changes[0];
    assert_eq!(change["entity"], "item");
    assert_eq!(change["row"]["price"], 9490);
    assert_eq!(change["row"]["name"], "Cazuela", "the merged row is whole");
    let stamp = change["hlc"].as_str().unwrap();
    assert_eq!(change["row"]["updated_at"], stamp);
    assert!(stamp > hlc(1).as_str(), "the cloud's stamp is newer");
    let node = stamp.rsplit('-').next().unwrap();
    let cloud = format!("{:016x}", dysa_cloud::state::CLOUD_NODE_ID);
    assert_eq!(node[..12], cloud[..12], "stamped by the cloud's node");

    // A no-op edit writes nothing; a new item travels whole.
    let same = app
        .call(
            Method::PATCH,
            &format!("/api/v1/menu/items/{it}"),
            json!({ "price": 9490 }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(same.status, StatusCode::OK);
    let created = app
        .post(
            "/api/v1/menu/items",
            json!({ "category_id": cat, "name": "Pastel de choclo", "price": 7990 }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["position"], 1);
    let next = page.body["cursor"].as_i64().unwrap();
    let page = pull(&app, &token, "pull", next, 100).await;
    let changes = page.body["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    let row = &changes[0]["row"];
    assert_eq!(row["name"], "Pastel de choclo");
    assert_eq!(row["category_id"], cat.as_str());
    assert_eq!(row["station"], "kitchen");
    assert_eq!(row["available"], true);
    assert!(row["created_at"].is_string() && row["tags"].is_array());
}

#[sqlx::test(migrations = false)]
async fn an_owner_adds_a_category_and_sets_an_items_modifier_groups(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("carta").await;
    let other = app.signup("ajena").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (_, theirs) = device(&app, &other.token, &other.location_id, "Caja").await;
    let (cat, it, group, foreign) = (id(), id(), id(), id());
    let group_row = |group: &str, name: &str| {
        json!({"id": group, "name": name, "name_en": null, "min_choices": 1, "max_choices": 1,
               "options": [{"id": id(), "name": "A punto", "name_en": null, "price_delta": 0, "available": true}],
               "created_at": "2026-11-27T12:00:00.000Z", "updated_at": hlc(1)})
    };
    push_ok(
        &app,
        &token,
        vec![
            upsert("category", &cat, category(&cat, &hlc(1)), &hlc(1)),
            upsert(
                "modifier_group",
                &group,
                group_row(&group, "Término"),
                &hlc(1),
            ),
            upsert("item", &it, item(&it, &cat, "Lomo", 9990, &hlc(1)), &hlc(1)),
        ],
    )
    .await;
    push_ok(
        &app,
        &theirs,
        vec![upsert(
            "modifier_group",
            &foreign,
            group_row(&foreign, "Ajeno"),
            &hlc(1),
        )],
    )
    .await;
    let (_, cursor, _) = pull_all(&app, &token, "pull", 100).await;

    // A new category goes last in that location's menu and reaches the counter whole.
    let created = app
        .post(
            "/api/v1/menu/categories",
            json!({ "location_id": tenant.location_id, "name": "  Postres ", "name_en": "Desserts" }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["name"], "Postres");
    assert_eq!(created.body["position"], 1);
    let blank = app
        .post(
            "/api/v1/menu/categories",
            json!({ "location_id": tenant.location_id, "name": " " }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        blank.body["error"]["fields"]["name"].is_string(),
        "{:?}",
        blank.body
    );
    let elsewhere = app
        .post(
            "/api/v1/menu/categories",
            json!({ "location_id": other.location_id, "name": "Intrusa" }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another tenant's location"
    );
    assert!(elsewhere.body["error"]["fields"]["location_id"].is_string());

    // Groups: only the location's own, no repeats; a price edit leaves them alone.
    let path = format!("/api/v1/menu/items/{it}");
    for bad in [json!([foreign]), json!([group, group]), json!([id()])] {
        let refused = app
            .call(
                Method::PATCH,
                &path,
                json!({ "modifier_group_ids": bad }),
                Some(&tenant.token),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {:?}",
            refused.body
        );
        assert!(refused.body["error"]["fields"]["modifier_group_ids"].is_string());
    }
    let set = app
        .call(
            Method::PATCH,
            &path,
            json!({ "modifier_group_ids": [group] }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
    assert_eq!(set.body["modifier_group_ids"], json!([group]));
    let priced = app
        .call(
            Method::PATCH,
            &path,
            json!({ "price": 10990 }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(
        priced.body["modifier_group_ids"],
        json!([group]),
        "kept by a price edit"
    );

    let page = pull(&app, &token, "pull", cursor, 100).await;
    let changes = page.body["changes"].as_array().unwrap();
    let new_category = changes
        .iter()
        .find(|c| c["entity"] == "category")
        .expect("the category reaches the counter");
    assert_eq!(new_category["row"]["name"], "Postres");
    assert_eq!(new_category["row"]["name_en"], "Desserts");
    assert_eq!(new_category["row"]["active"], true);
    let item_row = &changes
        .iter()
        .rfind(|c| c["entity"] == "item")
        .expect("the item's edits reach the counter")["row"];
    assert_eq!(item_row["modifier_group_ids"], json!([group]));
    assert_eq!(item_row["price"], 10990);
    // The other tenant's counter hears none of it.
    let (their_changes, _, _) = pull_all(&app, &theirs, "pull", 100).await;
    assert!(
        their_changes
            .iter()
            .all(|c| c["entity"] == "modifier_group"),
        "{their_changes:?}"
    );
}

/// The version of the next `event: version` of a device's live stream.
async fn next_version(body: &mut Body) -> i64 {
    next_event(body, "version").await["version"]
        .as_i64()
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn the_live_stream_announces_another_devices_push(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("en-vivo").await;
    let other = app.signup("otro").await;
    let (_, listener) = device(&app, &tenant.token, &tenant.location_id, "Cocina").await;
    let (_, pusher) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (_, stranger) = device(&app, &other.token, &other.location_id, "Ajena").await;
    let c = id();
    push_ok(
        &app,
        &pusher,
        vec![upsert(
            "customer",
            &c,
            customer(&c, "Rosa", &hlc(1)),
            &hlc(1),
        )],
    )
    .await;

    let response = app
        .router
        .clone()
        .oneshot(
            Request::get("/api/v1/sync/live")
                .header(header::HOST, "cloud.test")
                .header(header::AUTHORIZATION, format!("Bearer {listener}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut body = response.into_body();
    assert_eq!(
        next_version(&mut body).await,
        1,
        "the current version at connect"
    );

    // Another tenant's push says nothing here; this tenant's next push does.
    let s = id();
    push_ok(
        &app,
        &stranger,
        vec![upsert("customer", &s, customer(&s, "X", &hlc(1)), &hlc(1))],
    )
    .await;
    let (d, e) = (id(), id());
    push_ok(
        &app,
        &pusher,
        vec![
            upsert("customer", &d, customer(&d, "Pedro", &hlc(2)), &hlc(2)),
            upsert("customer", &e, customer(&e, "Juan", &hlc(2)), &hlc(2)),
        ],
    )
    .await;
    assert_eq!(next_version(&mut body).await, 3);
}

#[sqlx::test(migrations = false)]
async fn a_revoked_device_is_refused_with_device_revoked(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("revocado").await;
    let (device_id, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    assert_eq!(
        pull(&app, &token, "pull", 0, 10).await.status,
        StatusCode::OK
    );
    let revoked = app
        .post(
            &format!("/api/v1/devices/{device_id}/revoke"),
            Value::Null,
            Some(&tenant.token),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK);
    let c = id();
    let refused = push(
        &app,
        &token,
        vec![upsert("customer", &c, customer(&c, "R", &hlc(1)), &hlc(1))],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.code(), "device_revoked");
    let refused = pull(&app, &token, "pull", 0, 10).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.code(), "device_revoked");
    let unknown = pull(&app, "dyd_nope", "pull", 0, 10).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.code(), "device_token_invalid");
    // Owner tokens are not device tokens.
    let owner_call = pull(&app, &tenant.token, "pull", 0, 10).await;
    assert_eq!(owner_call.status, StatusCode::UNAUTHORIZED);
    let mut conn = app.owner_conn().await;
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM sync_rows")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

#[sqlx::test(migrations = false)]
async fn an_unsupported_schema_version_is_426(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("esquema").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    // Mutations of a future protocol the cloud cannot even read: still 426, not 422.
    let future = app
        .post(
            "/api/v1/sync/push",
            json!({ "schema_version": 99, "mutations": [{"entity": "hologram"}] }),
            Some(&token),
        )
        .await;
    assert_eq!(
        future.status,
        StatusCode::UPGRADE_REQUIRED,
        "{:?}",
        future.body
    );
    assert_eq!(future.code(), "schema_version_unsupported");
    assert_eq!(future.body["error"]["details"]["supported"], json!([0, 1]));
    let pulled = app
        .get("/api/v1/sync/pull?cursor=0&schema_version=7", &token)
        .await;
    assert_eq!(pulled.status, StatusCode::UPGRADE_REQUIRED);
    assert_eq!(pulled.code(), "schema_version_unsupported");
    let previous = app
        .post(
            "/api/v1/sync/push",
            json!({ "schema_version": 0, "mutations": [] }),
            Some(&token),
        )
        .await;
    assert_eq!(
        previous.status,
        StatusCode::OK,
        "the previous version is accepted"
    );
}

#[sqlx::test(migrations = false)]
async fn malformed_requests_get_json_errors(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("malformado").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let send = |body: &'static str, content_type: &'static str| {
        Request::post("/api/v1/sync/push")
            .header(header::HOST, "cloud.test")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    };
    let broken = app
        .send(send("{\"schema_version\": 1, ", "application/json"))
        .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert_eq!(broken.code(), "invalid_json");
    let text = app.send(send("hola", "text/plain")).await;
    assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(text.code(), "unsupported_media_type");
    let missing = app
        .send(send("{\"schema_version\": 1}", "application/json"))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.body["error"]["fields"]["mutations"].is_string(),
        "{:?}",
        missing.body
    );
    let bad_entity = app
        .send(send(
            r#"{"schema_version": 1, "mutations": [{"mutation_id": "m", "entity": "hologram",
                "entity_id": "x", "op": "upsert", "payload": {}, "hlc": "h"}]}"#,
            "application/json",
        ))
        .await;
    assert_eq!(bad_entity.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_entity.code(), "validation_failed");
    let too_many: Vec<Value> = (0..501)
        .map(|_| {
            let c = id();
            upsert("customer", &c, customer(&c, "R", &hlc(1)), &hlc(1))
        })
        .collect();
    let big = push(&app, &token, too_many).await;
    assert_eq!(big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(big.body["error"]["fields"]["mutations"].is_string());
    for query in [
        "cursor=0&limit=5000&schema_version=1",
        "cursor=0&limit=0&schema_version=1",
        "cursor=-1&schema_version=1",
        "cursor=abc&schema_version=1",
        "cursor=0",
    ] {
        let reply = app.get(&format!("/api/v1/sync/pull?{query}"), &token).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {:?}",
            reply.body
        );
    }
    // Bad rows inside a good batch are answers, not errors.
    let c = id();
    let results = push_ok(
        &app,
        &token,
        vec![
            upsert("customer", "NOT-A-UUID", json!({"name": "x"}), &hlc(1)),
            upsert("customer", &c, json!({"id": id(), "name": "x"}), &hlc(1)),
            upsert("customer", &c, json!({"name": "x"}), "yesterday"),
            upsert(
                "customer",
                &c,
                json!({"name": "x"}),
                &format!("{:015}-000000-{:016x}", u64::MAX / 2_000_000, NODE),
            ),
            // Text Postgres cannot store (jsonb refuses NUL), in a value or in the ids.
            upsert("customer", &c, json!({"name": "nul \u{0} here"}), &hlc(1)),
            upsert("setting", "key\u{0}", json!({"value": 1}), &hlc(1)),
            {
                let mut m = upsert("customer", &c, json!({"name": "x"}), &hlc(1));
                m["mutation_id"] = json!("id\u{0}");
                m
            },
            upsert("customer", &c, customer(&c, "Rosa", &hlc(1)), &hlc(1)),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&results),
        [
            "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected",
            "applied"
        ]
    );
    assert!(
        results[..7].iter().all(|r| r["reason"] == "malformed"),
        "{results:?}"
    );
    assert!(
        results[6]["detail"]
            .as_str()
            .unwrap()
            .contains("mutation id")
    );
    let customers = app.get("/api/v1/customers", &tenant.token).await;
    assert_eq!(customers.body[0]["name"], "Rosa");
}

#[sqlx::test(migrations = false)]
async fn rows_that_cannot_be_projected_yet_are_kept_and_projected_later(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("proyeccion").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (o, l) = (id(), id());
    // An edit and a line arrive before the order's creation (another device's outbox held
    // it): both merge; the line projects (no foreign key), the partial order cannot.
    let early = push_ok(
        &app,
        &token,
        vec![
            upsert(
                "order",
                &o,
                json!({"id": o, "note": "mesa 4", "updated_at": hlc(5)}),
                &hlc(5),
            ),
            upsert("order_line", &l, line(&l, &o, 1, &hlc(5)), &hlc(5)),
        ],
    )
    .await;
    assert_eq!(outcomes(&early), ["applied", "applied"]);
    let mut conn = app.owner_conn().await;
    let error: Option<String> =
        sqlx::query_scalar("SELECT projection_error FROM sync_rows WHERE entity = 'order'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(error.is_some());
    assert_eq!(
        app.get("/api/v1/orders", &tenant.token).await.body,
        json!([])
    );
    // The creation arrives (older clock): the merged row is whole and projects.
    push_ok(
        &app,
        &token,
        vec![upsert("order", &o, order(&o, "pending", &hlc(1)), &hlc(1))],
    )
    .await;
    let orders = app.get("/api/v1/orders", &tenant.token).await;
    assert_eq!(orders.body[0]["status"], "pending");
    assert_eq!(orders.body[0]["note"], "mesa 4", "the newer edit stays");
    let detail = app.get(&format!("/api/v1/orders/{o}"), &tenant.token).await;
    assert_eq!(detail.body["lines"].as_array().unwrap().len(), 1);
    let error: Option<String> =
        sqlx::query_scalar("SELECT projection_error FROM sync_rows WHERE entity = 'order'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(error.is_none());
}

#[sqlx::test(migrations = false)]
async fn a_device_cannot_write_another_locations_rows(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("locales").await;
    let other_location = second_location(&app, &tenant).await;
    let (_, here) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let (_, there) = device(&app, &tenant.token, &other_location, "Sucursal").await;
    let cat = id();
    push_ok(
        &app,
        &here,
        vec![upsert("category", &cat, category(&cat, &hlc(1)), &hlc(1))],
    )
    .await;
    let results = push_ok(
        &app,
        &there,
        vec![upsert("category", &cat, json!({"name": "Mía"}), &hlc(2))],
    )
    .await;
    assert_eq!(outcomes(&results), ["rejected"]);
    assert_eq!(results[0]["reason"], "wrong_location");
    let menu = app.get("/api/v1/menu", &tenant.token).await;
    assert_eq!(menu.body["categories"][0]["name"], "Platos");
}

#[sqlx::test(migrations = false)]
async fn the_sync_routes_are_in_the_spec_as_device_routes(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let spec = app
        .call(Method::GET, "/api/openapi.json", Value::Null, None)
        .await;
    for (path, method) in [
        ("/api/v1/sync/push", "post"),
        ("/api/v1/sync/pull", "get"),
        ("/api/v1/sync/snapshot", "get"),
        ("/api/v1/sync/live", "get"),
        ("/api/v1/sync/chat-replies/{request_id}", "post"),
    ] {
        let operation = &spec.body["paths"][path][method];
        assert_eq!(
            operation["security"],
            json!([{"bearer": ["device"]}]),
            "{path}: {operation}"
        );
    }
    let schemas = &spec.body["components"]["schemas"];
    for schema in [
        "PushRequest",
        "PushResponse",
        "PullResponse",
        "Mutation",
        "ChangeRecord",
    ] {
        assert!(schemas[schema].is_object(), "{schema} missing");
    }
}

#[sqlx::test(migrations = false)]
async fn parallel_pushes_of_one_tenant_get_distinct_versions_in_order(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("paralelo").await;
    let mut tokens = Vec::new();
    for n in 0..3 {
        let (_, token) = device(
            &app,
            &tenant.token,
            &tenant.location_id,
            &format!("Caja {n}"),
        )
        .await;
        tokens.push(token);
    }
    // Three counters push at once, and one shared customer is edited by all of them.
    let shared = id();
    let calls = tokens.iter().enumerate().map(|(n, token)| {
        let app = &app;
        let shared = shared.clone();
        async move {
            let mut batch: Vec<Value> = (0..40)
                .map(|_| {
                    let c = id();
                    upsert("customer", &c, customer(&c, "R", &hlc(1)), &hlc(1))
                })
                .collect();
            let stamp = hlc(10 + n as u64);
            batch.push(upsert(
                "customer",
                &shared,
                json!({"name": format!("Caja {n}"), "updated_at": stamp}),
                &stamp,
            ));
            push_ok(app, token, batch).await
        }
    });
    let replies = futures::future::join_all(calls).await;
    assert!(replies.iter().all(|r| r.len() == 41));
    let (changes, cursor, _) = pull_all(&app, &tokens[0], "pull", 1000).await;
    let mut versions: Vec<i64> = changes
        .iter()
        .map(|c| c["version"].as_i64().unwrap())
        .collect();
    let count = versions.len();
    versions.dedup();
    assert_eq!(versions.len(), count, "one version per change");
    assert_eq!(count, 121, "120 new customers and the shared one");
    // The shared row moved once per push that brought a newer clock (arrival order).
    assert!((121..=123).contains(&cursor), "{cursor}");
    let merged = changes
        .iter()
        .find(|c| c["entity_id"] == shared.as_str())
        .unwrap();
    assert_eq!(
        merged["row"]["name"], "Caja 2",
        "the newest clock wins, whatever the order"
    );
}

/// The counter never stops selling: while the operator has the tenant suspended (its
/// cloud features paused), its devices' pushes and pulls are still accepted, so nothing
/// sold meanwhile is lost (`http::suspension`).
#[sqlx::test(migrations = false)]
async fn a_suspended_tenants_devices_keep_syncing(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("suspendido").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let mut conn = app.owner_conn().await;
    sqlx::query("UPDATE tenants SET status = 'suspended', suspension_reason = 'Impago'")
        .execute(&mut conn)
        .await
        .unwrap();
    // The owner's session is refused (a cloud feature)...
    let owner_reply = app.get("/api/v1/orders", &tenant.token).await;
    assert_eq!(owner_reply.status, StatusCode::FORBIDDEN);
    assert_eq!(owner_reply.code(), "tenant_suspended");
    // ...the device's sync is not.
    let c = id();
    let pushed = push(
        &app,
        &token,
        vec![upsert("customer", &c, customer(&c, "R", &hlc(1)), &hlc(1))],
    )
    .await;
    assert_eq!(pushed.status, StatusCode::OK, "{:?}", pushed.body);
    assert_eq!(
        pushed.body["results"][0]["outcome"], "applied",
        "{:?}",
        pushed.body
    );
    let pulled = pull(&app, &token, "snapshot", 0, 10).await;
    assert_eq!(pulled.status, StatusCode::OK, "{:?}", pulled.body);
}

/// A canonical HLC at `ahead_ms` past the wall clock now.
fn ahead(ahead_ms: u64) -> String {
    let now = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap();
    format!("{:015}-{:06}-{:016x}", now + ahead_ms, 0, NODE)
}

fn wall_of(stamp: &str) -> u64 {
    stamp.split('-').next().unwrap().parse().unwrap()
}

fn now_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap()
}

const SKEW_MS: u64 = 300_000;

#[sqlx::test(migrations = false)]
async fn a_push_23_hours_ahead_from_tenant_a_leaves_tenant_b_within_the_skew(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let a = app.signup("tenant-a").await;
    let b = app.signup("tenant-b").await;
    let (_, a_device) = device(&app, &a.token, &a.location_id, "Caja A").await;
    let (_, b_device) = device(&app, &b.token, &b.location_id, "Caja B").await;
    let (cat, it) = (id(), id());
    push_ok(
        &app,
        &b_device,
        vec![
            upsert("category", &cat, category(&cat, &hlc(1)), &hlc(1)),
            upsert(
                "item",
                &it,
                item(&it, &cat, "Cazuela", 8990, &hlc(1)),
                &hlc(1),
            ),
        ],
    )
    .await;
    let (_, cursor, _) = pull_all(&app, &b_device, "pull", 100).await;

    // Tenant A's counter has its clock 23 hours ahead.
    let far = ahead(23 * 3_600_000);
    let a_cat = id();
    let results = push_ok(
        &app,
        &a_device,
        vec![upsert("category", &a_cat, category(&a_cat, &far), &far)],
    )
    .await;
    assert_eq!(results[0]["outcome"], "adjusted", "{results:?}");
    assert_eq!(results[0]["reason"], "clock_skew");
    let kept = results[0]["current"]["hlc"].as_str().unwrap();
    assert!(
        wall_of(kept) <= now_ms() + SKEW_MS,
        "A's row took the cloud's stamp {kept}"
    );

    // Tenant B's owner edits: B's stamp stays within the skew of the wall clock.
    let edited = app
        .call(
            Method::PATCH,
            &format!("/api/v1/menu/items/{it}"),
            json!({ "price": 9490 }),
            Some(&b.token),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    let page = pull(&app, &b_device, "pull", cursor, 100).await;
    let stamp = page.body["changes"][0]["hlc"].as_str().unwrap().to_owned();
    assert!(
        wall_of(&stamp) <= now_ms() + SKEW_MS,
        "tenant B's stamp {stamp} followed tenant A's clock"
    );
}

#[sqlx::test(migrations = false)]
async fn a_push_ten_minutes_ahead_is_adjusted_with_clock_skew_and_two_minutes_is_followed(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let a = app.signup("tenant-a").await;
    let (_, a_device) = device(&app, &a.token, &a.location_id, "Caja A").await;
    let (cat, it) = (id(), id());
    let ten = ahead(10 * 60_000);
    let results = push_ok(
        &app,
        &a_device,
        vec![
            upsert("category", &cat, category(&cat, &hlc(1)), &hlc(1)),
            upsert("item", &it, item(&it, &cat, "Cazuela", 8990, &ten), &ten),
        ],
    )
    .await;
    assert_eq!(results[0]["outcome"], "applied");
    assert_eq!(results[1]["outcome"], "adjusted", "{results:?}");
    assert_eq!(results[1]["reason"], "clock_skew");
    assert!(
        results[1]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("min")),
        "{results:?}"
    );
    assert_eq!(results[1]["current"]["row"]["price"], 8990, "applied");
    assert!(results[1]["current"]["hlc"].as_str().unwrap() < ten.as_str());

    // Within the skew the tenant's clock follows: the owner's next edit sorts after it.
    let two = ahead(2 * 60_000);
    let results = push_ok(
        &app,
        &a_device,
        vec![upsert(
            "item",
            &it,
            json!({ "id": it, "price": 9990, "updated_at": two }),
            &two,
        )],
    )
    .await;
    assert_eq!(results[0]["outcome"], "applied", "{results:?}");
    let (_, cursor, _) = pull_all(&app, &a_device, "pull", 100).await;
    let edited = app
        .call(
            Method::POST,
            "/api/v1/menu/items",
            json!({ "category_id": cat, "name": "Pastel de choclo", "price": 7990 }),
            Some(&a.token),
        )
        .await;
    assert_eq!(edited.status, StatusCode::CREATED, "{:?}", edited.body);
    let page = pull(&app, &a_device, "pull", cursor, 100).await;
    let stamp = page.body["changes"][0]["hlc"].as_str().unwrap().to_owned();
    assert!(stamp.as_str() > two.as_str(), "{stamp} after {two}");
}
