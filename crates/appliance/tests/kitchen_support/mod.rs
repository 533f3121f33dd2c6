//! The kitchen and printing tests' menu and table order.

#![allow(dead_code, clippy::unwrap_used)]

use crate::common::TestApp;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// A small menu with a bar item and a modifier group, written straight to the tables.
pub struct Menu {
    pub noquis: String,
    pub lomo: String,
    pub pisco: String,
    pub leche: String,
    pub a_punto: String,
}

pub async fn seed_menu(app: &TestApp) -> Menu {
    let db = &app.state.db.write;
    let now = "2026-01-01T00:00:00.000Z";
    let hlc = "000000000000001-000000-0000000000000001";
    let category = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO menu_categories (id, name, position, created_at, updated_at) VALUES (?, 'Carta', 0, ?, ?)")
        .bind(&category)
        .bind(now)
        .bind(hlc)
        .execute(db)
        .await
        .unwrap();
    let (group, a_punto, jugoso) = (
        uuid::Uuid::now_v7().to_string(),
        uuid::Uuid::now_v7().to_string(),
        uuid::Uuid::now_v7().to_string(),
    );
    let options = json!([
        { "id": a_punto, "name": "A punto", "price_delta": 0, "available": true },
        { "id": jugoso, "name": "Jugoso", "price_delta": 0, "available": true },
    ]);
    sqlx::query("INSERT INTO menu_modifier_groups (id, name, min_choices, max_choices, options, created_at, updated_at) VALUES (?, 'Término', 1, 1, ?, ?, ?)")
        .bind(&group)
        .bind(options.to_string())
        .bind(now)
        .bind(hlc)
        .execute(db)
        .await
        .unwrap();
    let item = |name: &'static str, price: i64, station: &'static str, groups: Value| {
        let category = category.clone();
        async move {
            let id = uuid::Uuid::now_v7().to_string();
            sqlx::query(
                "INSERT INTO menu_items (id, category_id, name, price, station, available, modifier_group_ids, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)",
            )
            .bind(&id)
            .bind(&category)
            .bind(name)
            .bind(price)
            .bind(station)
            .bind(groups.to_string())
            .bind(now)
            .bind(hlc)
            .execute(db)
            .await
            .unwrap();
            id
        }
    };
    Menu {
        noquis: item(
            "Ñoquis con salsa de champiñones",
            8990,
            "kitchen",
            json!([]),
        )
        .await,
        lomo: item("Lomo a lo pobre", 12990, "kitchen", json!([group])).await,
        pisco: item("Pisco sour", 4990, "bar", json!([])).await,
        leche: item("Leche asada", 3490, "kitchen", json!([])).await,
        a_punto,
    }
}

pub async fn table(app: &TestApp, token: &str, name: &str) -> String {
    let reply = app
        .post("/api/v1/tables", json!({ "name": name, "seats": 4 }), token)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

/// Table 4: two pisco sours for seats 1 and 2 (drinks), ñoquis with a note for seat 2 and
/// a lomo a punto for seat 1 (mains), a leche asada (desserts); the order has a note.
/// `admin` sets up the table, `token` takes the order.
pub async fn table_order(app: &TestApp, admin: &str, token: &str, menu: &Menu) -> Value {
    let table = table(app, admin, "4").await;
    let reply = app
        .post(
            "/api/v1/orders",
            json!({
                "channel": "dine_in",
                "table_id": table,
                "note": "Cumpleaños en la mesa",
                "lines": [
                    { "item_id": menu.pisco, "quantity": 2, "course": "drinks" },
                    { "item_id": menu.noquis, "quantity": 2, "course": "mains", "seat": 2,
                      "note": "sin queso rallado, por favor" },
                    { "item_id": menu.lomo, "quantity": 1, "course": "mains", "seat": 1,
                      "modifiers": [menu.a_punto] },
                    { "item_id": menu.leche, "quantity": 1, "course": "desserts" },
                ],
            }),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body
}
