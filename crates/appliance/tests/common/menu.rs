//! A menu written straight to the tables, for tests about orders, the kitchen and the
//! floor (the menu API has its own tests): one category, then the modifier groups and
//! items each test needs.

use super::TestApp;
use serde_json::json;

const NOW: &str = "2026-01-01T00:00:00.000Z";
const HLC: &str = "000000000000001-000000-0000000000000001";

/// One category being filled with groups and items.
pub struct MenuSeed<'a> {
    app: &'a TestApp,
    category: String,
}

/// An item to add with [`MenuSeed::item`]: in the kitchen, available, without groups
/// unless said.
pub struct SeedItem<'a> {
    pub name: &'a str,
    pub price: i64,
    pub station: &'a str,
    pub available: bool,
    pub groups: &'a [&'a str],
}

impl<'a> SeedItem<'a> {
    /// An available kitchen item without modifier groups.
    pub fn new(name: &'a str, price: i64) -> Self {
        SeedItem {
            name,
            price,
            station: "kitchen",
            available: true,
            groups: &[],
        }
    }
}

impl<'a> MenuSeed<'a> {
    /// A new category named `name`.
    pub async fn category(app: &'a TestApp, name: &str) -> MenuSeed<'a> {
        let category = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO menu_categories (id, name, position, created_at, updated_at)
             VALUES (?, ?, 0, ?, ?)",
        )
        .bind(&category)
        .bind(name)
        .bind(NOW)
        .bind(HLC)
        .execute(&app.state.db.write)
        .await
        .unwrap();
        MenuSeed { app, category }
    }

    /// A pick-one group named `name` with `options` (name, price delta), in order.
    /// Returns the group's id and its options' ids.
    pub async fn group(&self, name: &str, options: &[(&str, i64)]) -> (String, Vec<String>) {
        let group = uuid::Uuid::now_v7().to_string();
        let ids: Vec<String> = options
            .iter()
            .map(|_| uuid::Uuid::now_v7().to_string())
            .collect();
        let listed: Vec<_> = options
            .iter()
            .zip(&ids)
            .map(|((name, delta), id)| {
                json!({ "id": id, "name": name, "price_delta": delta, "available": true })
            })
            .collect();
        sqlx::query(
            "INSERT INTO menu_modifier_groups (id, name, min_choices, max_choices, options,
               created_at, updated_at)
             VALUES (?, ?, 1, 1, ?, ?, ?)",
        )
        .bind(&group)
        .bind(name)
        .bind(json!(listed).to_string())
        .bind(NOW)
        .bind(HLC)
        .execute(&self.app.state.db.write)
        .await
        .unwrap();
        (group, ids)
    }

    /// Adds `item` to the category; returns its id.
    pub async fn item(&self, item: SeedItem<'_>) -> String {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO menu_items (id, category_id, name, price, station, available,
               modifier_group_ids, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(&self.category)
        .bind(item.name)
        .bind(item.price)
        .bind(item.station)
        .bind(item.available)
        .bind(json!(item.groups).to_string())
        .bind(NOW)
        .bind(HLC)
        .execute(&self.app.state.db.write)
        .await
        .unwrap();
        id
    }
}
