//! Customers: CRUD, phone and RUT rules, duplicates, search, history and the outbox.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::{Reply, TestApp};
use serde_json::{Value, json};

/// Percent-encodes a query-string value.
fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn create(app: &TestApp, token: &str, body: Value) -> String {
    let reply = app.post("/api/v1/customers", body, token).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

/// Outbox rows of one entity id: (op, payload).
async fn outbox(app: &TestApp, entity: &str, id: &str) -> Vec<(String, Value)> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT op, payload FROM outbox WHERE entity = ? AND entity_id = ? ORDER BY seq",
    )
    .bind(entity)
    .bind(id)
    .fetch_all(&app.state.db.read)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(op, payload)| (op, serde_json::from_str(&payload).unwrap()))
        .collect()
}

#[tokio::test]
async fn crud_normalises_phone_email_and_rut_and_writes_the_outbox() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let created = app
        .post(
            "/api/v1/customers",
            json!({
                "name": "  Ana Muñoz ",
                "phone": "9 8765 4321",
                "email": " Ana.Munoz@Correo.CL ",
                "rut": "12345678-5",
                "notes": "Alergia al maní",
                "marketing_consent": true,
            }),
            &admin,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["name"], "Ana Muñoz");
    assert_eq!(created.body["phone"], "+56987654321");
    assert_eq!(created.body["email"], "ana.munoz@correo.cl");
    assert_eq!(created.body["rut"], "12.345.678-5");
    assert_eq!(created.body["marketing_consent"], true);

    let other = app
        .post(
            "/api/v1/customers",
            json!({ "name": "Pedro", "phone": "+56 9 1234 5678" }),
            &admin,
        )
        .await;
    assert_eq!(other.body["phone"], "+56912345678");
    let landline = app
        .post(
            "/api/v1/customers",
            json!({ "name": "Oficina", "phone": "(+56) 2-2345-6789", "email": "" }),
            &admin,
        )
        .await;
    assert_eq!(landline.body["phone"], "+56223456789");
    assert_eq!(landline.body["email"], Value::Null, "blank means none");

    let one = app.get(&format!("/api/v1/customers/{id}"), &admin).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["phone"], "+56987654321");
    assert_eq!(one.body["visit_count"], 0);
    assert_eq!(one.body["order_count"], 0);
    assert_eq!(one.body["total_spent"], 0);
    assert_eq!(one.body["last_visit_at"], Value::Null);

    let updated = app.patch(&format!("/api/v1/customers/{id}"),
        json!({ "name": "Ana María Muñoz", "notes": null, "phone": "+56 9 8765 4321", "marketing_consent": false }),
        &admin,
    )
    .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["name"], "Ana María Muñoz");
    assert_eq!(updated.body["notes"], Value::Null);
    assert_eq!(updated.body["email"], "ana.munoz@correo.cl", "absent stays");
    assert_eq!(updated.body["marketing_consent"], false);

    let removed = app.delete(&format!("/api/v1/customers/{id}"), &admin).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/api/v1/customers/{id}"), &admin)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&format!("/api/v1/customers/{id}"), &admin)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let list = app.get("/api/v1/customers", &admin).await;
    assert_eq!(list.body["total"], 2);
    // The row stays as a tombstone.
    let deleted_at: Option<String> =
        sqlx::query_scalar("SELECT deleted_at FROM customers WHERE id = ?")
            .bind(&id)
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert!(deleted_at.is_some());
    // The phone and email are free again.
    let again = app
        .post(
            "/api/v1/customers",
            json!({ "name": "Ana de nuevo", "phone": "987654321", "email": "ana.munoz@correo.cl" }),
            &admin,
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);

    let rows = outbox(&app, "customer", &id).await;
    let ops: Vec<&str> = rows.iter().map(|(op, _)| op.as_str()).collect();
    assert_eq!(ops, ["upsert", "upsert", "delete"]);
    assert_eq!(rows[0].1["phone"], "+56987654321");
    assert_eq!(rows[1].1["name"], "Ana María Muñoz");
    // An edit carries only what changed (the cloud merges field by field, so a full
    // copy would overwrite newer edits of other fields made elsewhere).
    let mut edited: Vec<&str> = rows[1]
        .1
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    edited.sort_unstable();
    assert!(
        !edited.contains(&"phone") && edited.contains(&"id") && edited.contains(&"updated_at"),
        "{edited:?}"
    );
    assert!(rows[2].1["deleted_at"].is_string());
    assert!(
        rows[2].1.get("phone").is_none(),
        "a delete carries the tombstone, not the row"
    );
    // updated_at of the row and the outbox hlc are the same stamp.
    let (updated_at, hlc): (String, String) = sqlx::query_as(
        "SELECT c.updated_at, o.hlc FROM customers c JOIN outbox o ON o.entity_id = c.id
         WHERE c.id = ? ORDER BY o.seq DESC LIMIT 1",
    )
    .bind(&id)
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(updated_at, hlc);
}

#[tokio::test]
async fn invalid_fields_answer_422_naming_them_and_write_nothing() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let bad = app
        .post(
            "/api/v1/customers",
            json!({ "name": " ", "phone": "8765 4321", "email": "ana@", "rut": "12.345.678-6" }),
            &admin,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.code(), "validation_failed");
    let fields = &bad.body["error"]["fields"];
    assert_eq!(fields["name"], "es obligatorio");
    assert!(fields["phone"].as_str().unwrap().contains("teléfono"));
    assert!(fields["email"].is_string());
    assert!(
        fields["rut"].as_str().unwrap().contains("verificador"),
        "{fields:?}"
    );
    let wrong_k = app
        .post(
            "/api/v1/customers",
            json!({ "name": "Ana", "rut": "12.345.678-K" }),
            &admin,
        )
        .await;
    assert_eq!(wrong_k.status, StatusCode::UNPROCESSABLE_ENTITY);
    let letters = app
        .post(
            "/api/v1/customers",
            json!({ "name": "Ana", "rut": "hola" }),
            &admin,
        )
        .await;
    assert!(letters.body["error"]["fields"]["rut"].is_string());
    let missing = app
        .post("/api/v1/customers", json!({ "phone": "987654321" }), &admin)
        .await;
    assert_eq!(missing.body["error"]["fields"]["name"], "es obligatorio");
    let unknown = app
        .post(
            "/api/v1/customers",
            json!({ "name": "Ana", "apellido": "Muñoz" }),
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);

    let id = create(&app, &admin, json!({ "name": "Ana" })).await;
    let bad_patch = app
        .patch(
            &format!("/api/v1/customers/{id}"),
            json!({ "rut": "11.111.111-2" }),
            &admin,
        )
        .await;
    assert_eq!(bad_patch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_patch.body["error"]["fields"]["rut"].is_string());
    let unknown_id = app
        .patch(
            &format!("/api/v1/customers/{}", uuid::Uuid::now_v7()),
            json!({ "name": "X" }),
            &admin,
        )
        .await;
    assert_eq!(unknown_id.status, StatusCode::NOT_FOUND);

    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM customers")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(count, 1);
    assert_eq!(outbox(&app, "customer", &id).await.len(), 1);
}

#[tokio::test]
async fn duplicate_phone_or_email_is_a_conflict_naming_the_existing_customer() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let ana = create(
        &app,
        &admin,
        json!({ "name": "Ana", "phone": "9 8765 4321", "email": "ana@correo.cl" }),
    )
    .await;
    let same_phone = app
        .post(
            "/api/v1/customers",
            json!({ "name": "Otra Ana", "phone": "+56 9 8765 4321" }),
            &admin,
        )
        .await;
    assert_eq!(same_phone.status, StatusCode::CONFLICT);
    assert_eq!(same_phone.code(), "customer_exists");
    assert_eq!(same_phone.body["error"]["details"]["existing_id"], ana);
    assert_eq!(same_phone.body["error"]["details"]["field"], "phone");

    let same_email = app
        .post(
            "/api/v1/customers",
            json!({ "name": "Otra Ana", "email": "ANA@Correo.cl" }),
            &admin,
        )
        .await;
    assert_eq!(same_email.status, StatusCode::CONFLICT);
    assert_eq!(same_email.body["error"]["details"]["existing_id"], ana);
    assert_eq!(same_email.body["error"]["details"]["field"], "email");

    let pedro = create(
        &app,
        &admin,
        json!({ "name": "Pedro", "phone": "912345678" }),
    )
    .await;
    let steal = app
        .patch(
            &format!("/api/v1/customers/{pedro}"),
            json!({ "phone": "56987654321" }),
            &admin,
        )
        .await;
    assert_eq!(steal.status, StatusCode::CONFLICT);
    assert_eq!(steal.code(), "customer_exists");
    assert_eq!(steal.body["error"]["details"]["existing_id"], ana);
    let steal_email = app
        .patch(
            &format!("/api/v1/customers/{pedro}"),
            json!({ "email": "ana@correo.cl" }),
            &admin,
        )
        .await;
    assert_eq!(steal_email.body["error"]["details"]["field"], "email");
    // Saving a customer with its own phone is not a conflict.
    let own = app
        .patch(
            &format!("/api/v1/customers/{ana}"),
            json!({ "phone": "9 8765 4321", "name": "Ana P." }),
            &admin,
        )
        .await;
    assert_eq!(own.status, StatusCode::OK, "{:?}", own.body);
    let spanish = app
        .post(
            "/api/v1/customers",
            json!({ "name": "X", "phone": "987654321" }),
            &admin,
        )
        .await;
    assert!(
        spanish.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("teléfono")
    );
}

#[tokio::test]
async fn search_by_name_ignores_accents_and_case_and_by_phone_in_any_format() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let jose = create(
        &app,
        &admin,
        json!({ "name": "José Peña", "phone": "9 8765 4321" }),
    )
    .await;
    let josefina = create(
        &app,
        &admin,
        json!({ "name": "Josefina Soto", "phone": "9 1111 2222", "email": "jsoto@correo.cl" }),
    )
    .await;
    let maria = create(&app, &admin, json!({ "name": "MARÍA PÉREZ" })).await;
    create(&app, &admin, json!({ "name": "Ñuño Ibáñez" })).await;
    create(&app, &admin, json!({ "name": "50% Descuento_x" })).await;

    let ids = |reply: &Reply| -> Vec<String> {
        reply.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let search = |q: &str| format!("/api/v1/customers?q={}", enc(q));

    let found = app.get(&search("jose"), &admin).await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(ids(&found), [jose.as_str(), josefina.as_str()], "by name");
    assert_eq!(found.body["total"], 2);
    assert_eq!(
        ids(&app.get(&search("JOSÉ peña"), &admin).await),
        [jose.as_str()]
    );
    assert_eq!(
        ids(&app.get(&search("pena jose"), &admin).await),
        [jose.as_str()]
    );
    assert_eq!(
        ids(&app.get(&search("maria perez"), &admin).await),
        [maria.as_str()]
    );
    assert_eq!(
        ids(&app.get(&search("Pérez"), &admin).await),
        [maria.as_str()]
    );
    assert_eq!(app.get(&search("nuno"), &admin).await.body["total"], 1);
    assert_eq!(app.get(&search("ibáñez"), &admin).await.body["total"], 1);
    assert_eq!(app.get(&search("50%"), &admin).await.body["total"], 1);
    assert_eq!(
        app.get(&search("%"), &admin).await.body["total"],
        1,
        "% is literal"
    );
    assert_eq!(app.get(&search("_"), &admin).await.body["total"], 1);
    assert_eq!(app.get(&search("nadie"), &admin).await.body["total"], 0);

    for phone in [
        "+56 9 8765 4321",
        "9 8765 4321",
        "56987654321",
        "(+56) 9-8765-4321",
    ] {
        assert_eq!(
            ids(&app.get(&search(phone), &admin).await),
            [jose.as_str()],
            "{phone}"
        );
    }
    assert_eq!(
        ids(&app.get(&search("4321"), &admin).await),
        [jose.as_str()],
        "last digits"
    );
    assert_eq!(
        ids(&app.get(&search("1111 2222"), &admin).await),
        [josefina.as_str()]
    );
    assert_eq!(
        ids(&app.get(&search("jsoto@"), &admin).await),
        [josefina.as_str()]
    );

    let all = app.get("/api/v1/customers", &admin).await;
    assert_eq!(all.body["total"], 5);
    assert_eq!(all.body["limit"], 50);
    let page = app.get("/api/v1/customers?limit=2&offset=2", &admin).await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(page.body["total"], 5);
    assert_eq!(page.body["offset"], 2);
    for bad in ["limit=0", "limit=500", "offset=-1", "limit=abc"] {
        let reply = app.get(&format!("/api/v1/customers?{bad}"), &admin).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
}

/// Inserts an order row directly (the orders API is another engineer's).
#[allow(clippy::too_many_arguments)]
async fn insert_order(
    app: &TestApp,
    customer: &str,
    number: i64,
    business_date: &str,
    status: &str,
    total: i64,
    created_at: &str,
) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO orders (id, number, business_date, channel, status, customer_id, subtotal,
           total, net, tax, tax_rate_bp, amount_due, created_at, updated_at)
         VALUES (?, ?, ?, 'counter', ?, ?, ?, ?, ?, ?, 1900, ?, ?, ?)",
    )
    .bind(&id)
    .bind(number)
    .bind(business_date)
    .bind(status)
    .bind(customer)
    .bind(total)
    .bind(total)
    .bind(total * 100 / 119)
    .bind(total - total * 100 / 119)
    .bind(total)
    .bind(created_at)
    .bind(app.state.db.tick().to_string())
    .execute(&app.state.db.write)
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn history_counts_visits_orders_and_spending() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let id = create(
        &app,
        &admin,
        json!({ "name": "Cliente Frecuente", "phone": "9 5555 1234" }),
    )
    .await;
    let stranger = create(&app, &admin, json!({ "name": "Otro" })).await;
    // Two completed orders on 1 Nov (one visit), one on 2 Nov, one cancelled on 3 Nov,
    // one still pending on 4 Nov.
    let o1 = insert_order(
        &app,
        &id,
        1,
        "2026-11-01",
        "completed",
        12_990,
        "2026-11-01T16:00:00Z",
    )
    .await;
    let o2 = insert_order(
        &app,
        &id,
        2,
        "2026-11-01",
        "completed",
        5_000,
        "2026-11-01T20:30:00Z",
    )
    .await;
    let o3 = insert_order(
        &app,
        &id,
        1,
        "2026-11-02",
        "completed",
        30_000,
        "2026-11-02T23:10:00Z",
    )
    .await;
    let o4 = insert_order(
        &app,
        &id,
        3,
        "2026-11-03",
        "cancelled",
        8_000,
        "2026-11-03T17:00:00Z",
    )
    .await;
    let o5 = insert_order(
        &app,
        &id,
        1,
        "2026-11-04",
        "pending",
        9_990,
        "2026-11-04T15:00:00Z",
    )
    .await;
    insert_order(
        &app,
        &stranger,
        2,
        "2026-11-04",
        "completed",
        99_000,
        "2026-11-04T15:30:00Z",
    )
    .await;
    // Reservations: completed on 2 Nov (same day as an order: same visit), seated on
    // 5 Nov (a visit without an order), cancelled and no-show (no visits).
    let table = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO dining_tables (id, name, seats, created_at, updated_at) VALUES (?, 'M1', 4, ?, ?)",
    )
    .bind(&table)
    .bind("2026-01-01T00:00:00Z")
    .bind(app.state.db.tick().to_string())
    .execute(&app.state.db.write)
    .await
    .unwrap();
    for (starts, status) in [
        ("2026-11-02T22:00:00Z", "completed"),
        ("2026-11-05T23:30:00Z", "seated"),
        ("2026-11-06T23:00:00Z", "cancelled"),
        ("2026-11-07T23:00:00Z", "no_show"),
    ] {
        sqlx::query(
            "INSERT INTO reservations (id, customer_id, name, party_size, starts_at, ends_at,
               duration_minutes, table_id, status, created_at, updated_at)
             VALUES (?, ?, 'Cliente', 2, ?, ?, 90, ?, ?, ?, ?)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&id)
        .bind(starts)
        .bind(starts)
        .bind(&table)
        .bind(status)
        .bind(starts)
        .bind(app.state.db.tick().to_string())
        .execute(&app.state.db.write)
        .await
        .unwrap();
    }

    let detail = app.get(&format!("/api/v1/customers/{id}"), &admin).await;
    assert_eq!(detail.status, StatusCode::OK, "{:?}", detail.body);
    assert_eq!(detail.body["name"], "Cliente Frecuente");
    // 1 Nov, 2 Nov (order + reservation), and 5 Nov local (23:30Z is 20:30 in Santiago).
    assert_eq!(detail.body["visit_count"], 3);
    assert_eq!(detail.body["order_count"], 3);
    assert_eq!(detail.body["total_spent"], 12_990 + 5_000 + 30_000);
    assert_eq!(detail.body["last_visit_at"], "2026-11-05T23:30:00Z");

    let orders = app
        .get(&format!("/api/v1/customers/{id}/orders"), &admin)
        .await;
    assert_eq!(orders.status, StatusCode::OK);
    assert_eq!(orders.body["total"], 5);
    let listed: Vec<&str> = orders.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [&o5, &o4, &o3, &o2, &o1], "newest first");
    let first = &orders.body["items"][0];
    assert_eq!(first["number"], 1);
    assert_eq!(first["status"], "pending");
    assert_eq!(first["total"], 9_990);
    assert_eq!(first["created_at"], "2026-11-04T15:00:00Z");
    let page = app
        .get(
            &format!("/api/v1/customers/{id}/orders?limit=2&offset=3"),
            &admin,
        )
        .await;
    let listed: Vec<&str> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [&o2, &o1]);
    let unknown = app
        .get(
            &format!("/api/v1/customers/{}/orders", uuid::Uuid::now_v7()),
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn roles_see_and_change_customers_as_their_permissions_say() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let (_, viewer) = app.user_with_role(&admin, "viewer").await;
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    assert_eq!(
        app.get("/api/v1/customers", &waiter).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/customers", &viewer).await.status,
        StatusCode::OK
    );
    let refused = app
        .post("/api/v1/customers", json!({ "name": "X" }), &viewer)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    create(&app, &manager, json!({ "name": "Por el jefe" })).await;
}
