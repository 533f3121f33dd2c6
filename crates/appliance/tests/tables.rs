//! Dining-room tables: CRUD, unique names, the outbox, and the live status computed from
//! orders and reservations.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{Value, json};

async fn table(app: &TestApp, token: &str, name: &str) -> String {
    let reply = app
        .post("/api/v1/tables", json!({ "name": name, "seats": 4 }), token)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

/// An instant `minutes` from now, as the database stores instants.
fn at(minutes: i64) -> String {
    (jiff::Timestamp::now() + jiff::SignedDuration::from_mins(minutes))
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

async fn insert_order(app: &TestApp, table_id: &str, status: &str) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let number: i64 = sqlx::query_scalar("SELECT coalesce(max(number), 0) + 1 FROM orders")
        .fetch_one(&app.state.db.write)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO orders (id, number, business_date, channel, status, table_id, subtotal, total,
           net, tax, tax_rate_bp, amount_due, created_at, updated_at)
         VALUES (?, ?, '2026-11-27', 'dine_in', ?, ?, 9990, 9990, 8395, 1595, 1900, 9990, ?, ?)",
    )
    .bind(&id)
    .bind(number)
    .bind(status)
    .bind(table_id)
    .bind(at(0))
    .bind(app.state.db.tick().to_string())
    .execute(&app.state.db.write)
    .await
    .unwrap();
    id
}

async fn insert_reservation(
    app: &TestApp,
    table_id: &str,
    status: &str,
    starts_in_minutes: i64,
    name: &str,
) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO reservations (id, name, party_size, starts_at, ends_at, duration_minutes,
           table_id, status, created_at, updated_at)
         VALUES (?, ?, 3, ?, ?, 90, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(name)
    .bind(at(starts_in_minutes))
    .bind(at(starts_in_minutes + 90))
    .bind(table_id)
    .bind(status)
    .bind(at(0))
    .bind(app.state.db.tick().to_string())
    .execute(&app.state.db.write)
    .await
    .unwrap();
    id
}

async fn status(app: &TestApp, token: &str, id: &str) -> Value {
    let reply = app.get(&format!("/api/v1/tables/{id}"), token).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

#[tokio::test]
async fn tables_crud_with_unique_names_and_tombstones() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let created = app
        .post(
            "/api/v1/tables",
            json!({ "name": " Mesa 1 ", "seats": 4, "area": "Terraza" }),
            &admin,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["name"], "Mesa 1");
    assert_eq!(created.body["seats"], 4);
    assert_eq!(created.body["area"], "Terraza");
    assert_eq!(created.body["active"], true);
    assert_eq!(created.body["status"], "free");
    assert_eq!(created.body["current_order_id"], Value::Null);
    assert_eq!(created.body["next_reservation"], Value::Null);
    let second = table(&app, &admin, "Mesa 2").await;

    let taken = app
        .post(
            "/api/v1/tables",
            json!({ "name": "mesa 1", "seats": 2 }),
            &admin,
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.code(), "table_name_taken");
    assert_eq!(taken.body["error"]["details"]["existing_id"], id.as_str());
    let rename_clash = app
        .patch(
            &format!("/api/v1/tables/{second}"),
            json!({ "name": "Mesa 1" }),
            &admin,
        )
        .await;
    assert_eq!(rename_clash.status, StatusCode::CONFLICT);
    assert_eq!(
        rename_clash.body["error"]["details"]["existing_id"],
        id.as_str()
    );

    for (body, field) in [
        (json!({ "name": "X", "seats": 0 }), "seats"),
        (json!({ "name": "X", "seats": 101 }), "seats"),
        (json!({ "name": "X", "seats": -3 }), "seats"),
        (json!({ "name": "", "seats": 2 }), "name"),
        (json!({ "name": "x".repeat(41), "seats": 2 }), "name"),
        (json!({ "name": "X" }), "seats"),
        (json!({ "name": "X", "seats": "four" }), "seats"),
    ] {
        let reply = app.post("/api/v1/tables", body.clone(), &admin).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            reply.body["error"]["fields"][field].is_string(),
            "{body}: {:?}",
            reply.body
        );
    }
    let hundred = app
        .post(
            "/api/v1/tables",
            json!({ "name": "Salón grande", "seats": 100 }),
            &admin,
        )
        .await;
    assert_eq!(hundred.status, StatusCode::CREATED);

    let changed = app
        .patch(
            &format!("/api/v1/tables/{id}"),
            json!({ "seats": 6, "area": null }),
            &admin,
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    assert_eq!(changed.body["seats"], 6);
    assert_eq!(changed.body["area"], Value::Null);
    assert_eq!(changed.body["name"], "Mesa 1");
    assert_eq!(changed.body["status"], "free");

    let list = app.get("/api/v1/tables", &admin).await;
    let names: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Mesa 1", "Mesa 2", "Salón grande"]);

    let gone = app.delete(&format!("/api/v1/tables/{id}"), &admin).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    for reply in [
        app.get(&format!("/api/v1/tables/{id}"), &admin).await,
        app.patch(
            &format!("/api/v1/tables/{id}"),
            json!({ "seats": 2 }),
            &admin,
        )
        .await,
        app.delete(&format!("/api/v1/tables/{id}"), &admin).await,
        app.get(&format!("/api/v1/tables/{}", uuid::Uuid::now_v7()), &admin)
            .await,
        app.get("/api/v1/tables/mesa-1", &admin).await,
    ] {
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{:?}", reply.body);
        assert_eq!(reply.code(), "not_found");
    }
    // The name of a deleted table can be used again.
    table(&app, &admin, "Mesa 1").await;
}

#[tokio::test]
async fn every_table_change_writes_its_outbox_row() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let id = table(&app, &admin, "Mesa 7").await;
    app.patch(
        &format!("/api/v1/tables/{id}"),
        json!({ "seats": 2 }),
        &admin,
    )
    .await;
    app.patch(
        &format!("/api/v1/tables/{id}"),
        json!({ "seats": 2 }),
        &admin,
    )
    .await;
    app.delete(&format!("/api/v1/tables/{id}"), &admin).await;
    let rows = dysa_appliance::store::outbox::pending(&app.state.db.read, 1000)
        .await
        .unwrap();
    let mine: Vec<_> = rows
        .iter()
        .filter(|r| r.entity == "table" && r.entity_id == id)
        .collect();
    let ops: Vec<&str> = mine.iter().map(|r| r.op.as_str()).collect();
    assert_eq!(
        ops,
        ["upsert", "upsert", "delete"],
        "the no-op edit wrote nothing"
    );
    let payload: Value = serde_json::from_str(&mine[1].payload).unwrap();
    assert_eq!(payload["seats"], 2);
    assert!(
        payload.get("name").is_none(),
        "only changed fields travel: {payload}"
    );
    let updated_at: String =
        sqlx::query_scalar("SELECT updated_at FROM dining_tables WHERE id = ?")
            .bind(&id)
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(updated_at, mine[2].hlc);
}

#[tokio::test]
async fn live_status_follows_orders_and_reservations() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;

    // An open order makes a table occupied; a completed or cancelled one does not.
    let mesa1 = table(&app, &admin, "Mesa 1").await;
    insert_order(&app, &mesa1, "completed").await;
    insert_order(&app, &mesa1, "cancelled").await;
    assert_eq!(status(&app, &waiter, &mesa1).await["status"], "free");
    let order = insert_order(&app, &mesa1, "preparing").await;
    let now = status(&app, &waiter, &mesa1).await;
    assert_eq!(now["status"], "occupied");
    assert_eq!(now["current_order_id"], order.as_str());
    sqlx::query("UPDATE orders SET status = 'completed' WHERE id = ?")
        .bind(&order)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let now = status(&app, &waiter, &mesa1).await;
    assert_eq!(now["status"], "free");
    assert_eq!(now["current_order_id"], Value::Null);

    // A seated reservation makes it occupied.
    let mesa2 = table(&app, &admin, "Mesa 2").await;
    insert_reservation(&app, &mesa2, "seated", -30, "Soto").await;
    assert_eq!(status(&app, &waiter, &mesa2).await["status"], "occupied");

    // A booking within the hour makes it reserved and is shown.
    let mesa3 = table(&app, &admin, "Mesa 3").await;
    let soon = insert_reservation(&app, &mesa3, "confirmed", 30, "Pérez").await;
    insert_reservation(&app, &mesa3, "booked", 180, "Later").await;
    let now = status(&app, &waiter, &mesa3).await;
    assert_eq!(now["status"], "reserved");
    assert_eq!(now["next_reservation"]["id"], soon.as_str());
    assert_eq!(now["next_reservation"]["name"], "Pérez");
    assert_eq!(now["next_reservation"]["party_size"], 3);
    let starts_at: String = sqlx::query_scalar("SELECT starts_at FROM reservations WHERE id = ?")
        .bind(&soon)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(now["next_reservation"]["starts_at"], starts_at.as_str());

    // A booking three hours away: free, but the next reservation is there.
    let mesa4 = table(&app, &admin, "Mesa 4").await;
    let later = insert_reservation(&app, &mesa4, "booked", 180, "González").await;
    insert_reservation(&app, &mesa4, "cancelled", 10, "Cancelada").await;
    let now = status(&app, &waiter, &mesa4).await;
    assert_eq!(now["status"], "free");
    assert_eq!(now["next_reservation"]["id"], later.as_str());

    // A late party holds the table for 15 minutes, then the table is free.
    let mesa5 = table(&app, &admin, "Mesa 5").await;
    insert_reservation(&app, &mesa5, "booked", -10, "Tarde").await;
    assert_eq!(status(&app, &waiter, &mesa5).await["status"], "reserved");
    let mesa6 = table(&app, &admin, "Mesa 6").await;
    insert_reservation(&app, &mesa6, "booked", -20, "Muy tarde").await;
    insert_reservation(&app, &mesa6, "no_show", 5, "No vino").await;
    let now = status(&app, &waiter, &mesa6).await;
    assert_eq!(now["status"], "free");
    assert_eq!(now["next_reservation"], Value::Null);

    // Occupied wins over reserved.
    insert_order(&app, &mesa3, "pending").await;
    assert_eq!(status(&app, &waiter, &mesa3).await["status"], "occupied");

    let list = app.get("/api/v1/tables", &waiter).await;
    let statuses: Vec<(&str, &str)> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("Mesa 1", "free"),
            ("Mesa 2", "occupied"),
            ("Mesa 3", "occupied"),
            ("Mesa 4", "free"),
            ("Mesa 5", "reserved"),
            ("Mesa 6", "free"),
        ]
    );

    // A table in use cannot be deleted; a free one can.
    let refused = app.delete(&format!("/api/v1/tables/{mesa3}"), &admin).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.code(), "table_in_use");
    assert!(refused.body["error"]["details"]["order_id"].is_string());
    let booked = app.delete(&format!("/api/v1/tables/{mesa4}"), &admin).await;
    assert_eq!(booked.code(), "table_in_use", "a future booking holds it");
    assert_eq!(
        booked.body["error"]["details"]["reservation_id"],
        later.as_str()
    );
    assert_eq!(
        app.delete(&format!("/api/v1/tables/{mesa1}"), &admin)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn staff_read_tables_but_only_admins_and_managers_change_them() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let id = table(&app, &admin, "Mesa 1").await;
    // A manager runs the floor: adds a table, places it, removes it.
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let added = app
        .post(
            "/api/v1/tables",
            json!({ "name": "Mesa 8", "seats": 2 }),
            &manager,
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    let eight = added.body["id"].as_str().unwrap().to_owned();
    let placed = app
        .patch(
            &format!("/api/v1/tables/{eight}"),
            json!({ "grid_x": 3, "grid_y": 1 }),
            &manager,
        )
        .await;
    assert_eq!(placed.status, StatusCode::OK, "{:?}", placed.body);
    assert_eq!(
        (placed.body["grid_x"].clone(), placed.body["grid_y"].clone()),
        (json!(3), json!(1))
    );
    assert_eq!(
        app.delete(&format!("/api/v1/tables/{eight}"), &manager)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    for role in ["waiter", "viewer"] {
        let (_, token) = app.user_with_role(&admin, role).await;
        assert_eq!(
            app.get("/api/v1/tables", &token).await.status,
            StatusCode::OK
        );
        let refused = app
            .post(
                "/api/v1/tables",
                json!({ "name": "Mesa 9", "seats": 2 }),
                &token,
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{role}");
        let refused = app
            .patch(
                &format!("/api/v1/tables/{id}"),
                json!({ "seats": 2 }),
                &token,
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{role}");
    }
}

/// A table's cell on the floor plan is kept, changed, cleared with null, refused out of
/// the grid, and travels to the cloud as an edit of only that field.
#[tokio::test]
async fn tables_keep_their_place_on_the_floor_plan() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let created = app
        .post(
            "/api/v1/tables",
            json!({ "name": "4", "seats": 4, "area": "Salón", "grid_x": 2, "grid_y": 0 }),
            &admin,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["grid_x"], 2);
    assert_eq!(created.body["grid_y"], 0);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let unplaced = table(&app, &admin, "5").await;
    let read = app.get(&format!("/api/v1/tables/{unplaced}"), &admin).await;
    assert_eq!(read.body["grid_x"], Value::Null);

    let moved = app
        .patch(
            &format!("/api/v1/tables/{id}"),
            json!({ "grid_x": 49, "grid_y": 7 }),
            &admin,
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    let read = app.get(&format!("/api/v1/tables/{id}"), &admin).await;
    assert_eq!(
        (read.body["grid_x"].clone(), read.body["grid_y"].clone()),
        (json!(49), json!(7))
    );
    let rows = dysa_appliance::store::outbox::pending(&app.state.db.read, 1000)
        .await
        .unwrap();
    let last = rows
        .iter()
        .rfind(|r| r.entity == "table" && r.entity_id == id)
        .unwrap();
    let payload: Value = serde_json::from_str(&last.payload).unwrap();
    assert_eq!(payload["grid_x"], 49);
    assert_eq!(payload["grid_y"], 7);
    assert!(payload.get("seats").is_none(), "{payload}");

    for body in [
        json!({ "grid_x": 50 }),
        json!({ "grid_y": -1 }),
        json!({ "grid_x": "dos" }),
    ] {
        let bad = app
            .patch(&format!("/api/v1/tables/{id}"), body.clone(), &admin)
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let bad = app
        .post(
            "/api/v1/tables",
            json!({ "name": "6", "seats": 2, "grid_x": 99 }),
            &admin,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let read = app.get(&format!("/api/v1/tables/{id}"), &admin).await;
    assert_eq!(read.body["grid_x"], 49, "a refused change writes nothing");

    let cleared = app
        .patch(
            &format!("/api/v1/tables/{id}"),
            json!({ "grid_x": null, "grid_y": null }),
            &admin,
        )
        .await;
    assert_eq!(cleared.status, StatusCode::OK);
    assert_eq!(cleared.body["grid_x"], Value::Null);
    assert_eq!(cleared.body["grid_y"], Value::Null);
}
