//! The kitchen and printing tests' menu and table order.

#![allow(dead_code, clippy::unwrap_used)]

use crate::common::TestApp;
use crate::common::menu::{MenuSeed, SeedItem};
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
    let menu = MenuSeed::category(app, "Carta").await;
    let (group, options) = menu
        .group("Término", &[("A punto", 0), ("Jugoso", 0)])
        .await;
    Menu {
        noquis: menu
            .item(SeedItem::new("Ñoquis con salsa de champiñones", 8990))
            .await,
        lomo: menu
            .item(SeedItem {
                groups: &[&group],
                ..SeedItem::new("Lomo a lo pobre", 12990)
            })
            .await,
        pisco: menu
            .item(SeedItem {
                station: "bar",
                ..SeedItem::new("Pisco sour", 4990)
            })
            .await,
        leche: menu.item(SeedItem::new("Leche asada", 3490)).await,
        a_punto: options[0].clone(),
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
