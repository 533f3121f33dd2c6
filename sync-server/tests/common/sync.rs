//! Sync fixtures the cloud's tests share: HLC stamps, mutations, enrolled devices and
//! pushes, as a counter would send them.

#![allow(dead_code, clippy::unwrap_used)]

use super::{Reply, Tenant, TestApp};
use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

/// The HLC node of the test's counter.
pub const NODE: u64 = 0xabc;

/// A canonical HLC `ms` milliseconds after an instant an hour ago (fixed per process, so
/// `hlc(1)` is the same stamp every time), from [`NODE`].
pub fn hlc(ms: u64) -> String {
    hlc_of(ms, NODE)
}

/// [`hlc`] from another node.
pub fn hlc_of(ms: u64, node: u64) -> String {
    static BASE: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let base = BASE
        .get_or_init(|| u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap() - 3_600_000);
    format!("{:015}-{:06}-{:016x}", base + ms, 0, node)
}

/// A fresh id (UUIDv7), as text.
pub fn id() -> String {
    Uuid::now_v7().to_string()
}

/// One mutation of a push.
pub fn mutation(entity: &str, entity_id: &str, op: &str, payload: Value, hlc: &str) -> Value {
    json!({
        "mutation_id": id(),
        "entity": entity,
        "entity_id": entity_id,
        "op": op,
        "payload": payload,
        "hlc": hlc,
    })
}

/// An upsert mutation.
pub fn upsert(entity: &str, entity_id: &str, payload: Value, hlc: &str) -> Value {
    mutation(entity, entity_id, "upsert", payload, hlc)
}

/// A device enrolled at `location` with a fresh code from the owner: (device id, token).
pub async fn device(
    app: &TestApp,
    owner_token: &str,
    location: &str,
    name: &str,
) -> (String, String) {
    let code = app
        .post(
            &format!("/api/v1/locations/{location}/enrollment-codes"),
            Value::Null,
            Some(owner_token),
        )
        .await;
    assert_eq!(code.status, StatusCode::CREATED, "{:?}", code.body);
    let enrolled = app
        .enroll(code.body["enrollment_code"].as_str().unwrap(), name)
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:?}", enrolled.body);
    (
        enrolled.body["device_id"].as_str().unwrap().to_owned(),
        enrolled.body["device_token"].as_str().unwrap().to_owned(),
    )
}

/// [`device`]'s token alone.
pub async fn device_token(app: &TestApp, owner_token: &str, location: &str, name: &str) -> String {
    device(app, owner_token, location, name).await.1
}

/// The device "Caja" enrolled with the code the tenant got at sign-up: its token.
pub async fn first_device(app: &TestApp, tenant: &Tenant) -> String {
    let enrolled = app.enroll(&tenant.enrollment_code, "Caja").await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:?}", enrolled.body);
    enrolled.body["device_token"].as_str().unwrap().to_owned()
}

/// A push of `mutations`, as it was answered.
pub async fn push(app: &TestApp, token: &str, mutations: Vec<Value>) -> Reply {
    app.post(
        "/api/v1/sync/push",
        json!({ "schema_version": 1, "mutations": mutations }),
        Some(token),
    )
    .await
}

/// Pushes and expects 200; answers the results.
pub async fn push_ok(app: &TestApp, token: &str, mutations: Vec<Value>) -> Vec<Value> {
    let reply = push(app, token, mutations).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["results"].as_array().unwrap().clone()
}

/// Pushes and expects every mutation applied; answers the results.
pub async fn push_applied(app: &TestApp, token: &str, mutations: Vec<Value>) -> Vec<Value> {
    let results = push_ok(app, token, mutations).await;
    for result in &results {
        assert_eq!(result["outcome"], "applied", "{result}");
    }
    results
}

/// A Z report of a small day, as a counter builds it: two orders (counter and table),
/// cash and card with tips, a refund, a void with who and why, one drawer counted $500
/// short.
pub fn z_report(business_date: &str) -> dysa_domain::closing::DayReport {
    use dysa_domain::closing::{
        DrawerLine, PaymentInput, ReportInput, ReportKind, SaleInput, VoidEntry, build_report,
    };
    use dysa_domain::drawer::SessionStatus;
    use dysa_domain::money::{Clp, TaxRate};
    use dysa_domain::order::Channel;
    use dysa_domain::payment::PaymentMethod;
    let sale = |number, channel, total, covers| SaleInput {
        number,
        channel,
        cancelled: false,
        discount: Clp(if number == 1 { 1000 } else { 0 }),
        total: Clp(total),
        late: false,
        covers,
    };
    let payment = |order_number, method, amount, tip: i64| PaymentInput {
        order_number,
        method,
        amount: Clp(amount),
        tip: Clp(tip),
        waiter: Some("Juan Pérez".to_owned()),
        late: false,
    };
    build_report(ReportInput {
        kind: ReportKind::Z,
        business_date: business_date.to_owned(),
        cutoff_hour: 4,
        generated_at: format!("{business_date}T23:30:00Z"),
        tax_rate: TaxRate::IVA,
        sales: vec![
            sale(1, Channel::Counter, 12_990, 0),
            sale(2, Channel::DineIn, 25_980, 3),
        ],
        payments: vec![
            payment(1, PaymentMethod::Cash, 12_990, 0),
            payment(2, PaymentMethod::Debit, 25_980, 2_598),
            payment(1, PaymentMethod::Cash, -2_000, 0),
        ],
        voids: vec![VoidEntry {
            order_number: 2,
            item: Some("Pisco sour".to_owned()),
            quantity: 1,
            amount: Clp(4_990),
            by: Some("Ana Núñez".to_owned()),
            reason: Some("Se equivocó de mesa".to_owned()),
            at: format!("{business_date}T21:00:00Z"),
        }],
        drawers: vec![DrawerLine {
            session_id: id(),
            drawer_name: "Caja principal".to_owned(),
            status: SessionStatus::Closed,
            opening_float: Clp(50_000),
            expected: Some(Clp(60_990)),
            counted: Some(Clp(60_490)),
            difference: Some(Clp(-500)),
        }],
    })
    .unwrap()
}

/// A `day_close` row closing `business_date` on `device_id` with [`z_report`]: (id, payload).
pub fn day_close(business_date: &str, device_id: &str) -> (String, Value) {
    let close_id = id();
    let payload = json!({
        "id": close_id,
        "business_date": business_date,
        "device_id": device_id,
        "closed_by": id(),
        "closed_by_name": "Ana Núñez",
        "closed_at": format!("{business_date}T23:45:00Z"),
        "report": z_report(business_date),
    });
    (close_id, payload)
}

/// A menu a counter pushed (see [`push_menu`]).
pub struct PushedMenu {
    /// The category "Platos".
    pub category: String,
    /// The size group, when sizes were asked for.
    pub group: Option<String>,
    /// Its options, in the order asked.
    pub options: Vec<String>,
    /// The items, in the order asked.
    pub items: Vec<String>,
}

/// A counter of `token` pushes a menu (applied): the category "Platos"; a modifier group
/// "Tamaño" of one choice with `sizes` (name, English name, price delta) when there are
/// any; and one item per entry of `items`, each a $8.990 "Cazuela" of the kitchen in that
/// group, available, with the entry's fields over those.
pub async fn push_menu(
    app: &TestApp,
    token: &str,
    sizes: &[(&str, &str, i64)],
    items: &[Value],
) -> PushedMenu {
    const CREATED: &str = "2026-11-27T12:00:00.000Z";
    let stamp = hlc(1);
    let category = id();
    let group = (!sizes.is_empty()).then(id);
    let options: Vec<String> = sizes.iter().map(|_| id()).collect();
    let mut changes = vec![upsert(
        "category",
        &category,
        json!({"id": category, "name": "Platos", "name_en": "Mains", "position": 0,
               "active": true, "created_at": CREATED, "updated_at": stamp}),
        &stamp,
    )];
    if let Some(group) = &group {
        let choices: Vec<Value> = sizes
            .iter()
            .zip(&options)
            .map(|((name, name_en, delta), id)| {
                json!({"id": id, "name": name, "name_en": name_en, "price_delta": delta,
                       "available": true})
            })
            .collect();
        changes.push(upsert(
            "modifier_group",
            group,
            json!({"id": group, "name": "Tamaño", "name_en": "Size", "min_choices": 1,
                   "max_choices": 1, "options": choices, "created_at": CREATED,
                   "updated_at": stamp}),
            &stamp,
        ));
    }
    let ids: Vec<String> = items.iter().map(|_| id()).collect();
    for (position, (item, fields)) in ids.iter().zip(items).enumerate() {
        let mut row = json!({"id": item, "category_id": category, "name": "Cazuela",
               "name_en": null, "description": null, "description_en": null,
               "price": 8990, "station": "kitchen", "tags": [], "allergens": [],
               "modifier_group_ids": group.iter().collect::<Vec<_>>(), "available": true,
               "position": position, "created_at": CREATED, "updated_at": stamp});
        if let (Some(row), Some(fields)) = (row.as_object_mut(), fields.as_object()) {
            row.extend(fields.clone());
        }
        changes.push(upsert("item", item, row, &stamp));
    }
    push_applied(app, token, changes).await;
    PushedMenu {
        category,
        group,
        options,
        items: ids,
    }
}
