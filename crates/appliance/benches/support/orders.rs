//! Raw order rows for the benches that need a database full of orders without going
//! through HTTP (the orders and backup benches).

#![allow(clippy::unwrap_used)]

use dysa_appliance::store::Db;
use dysa_appliance::store::orders::{
    self, LineRow, OrderLine, OrderRow, OrderState, Transition, TransitionRow,
};
use dysa_domain::ids::{ItemId, OrderId, OrderLineId};
use dysa_domain::menu::Station;
use dysa_domain::money::Clp;
use dysa_domain::order::{Channel, OrderStatus};

/// The rows of one two-line order (header, lines, transition, outbox), as the API writes
/// them, without HTTP, JSON, auth or pricing.
pub fn raw_order(db: &Db, items: &[ItemId; 2], number: i64) -> orders::NewOrderRows {
    let id = OrderId::new();
    let hlc = db.tick();
    let now = dysa_appliance::store::now_text();
    let state = OrderState {
        status: OrderStatus::Pending,
        customer_id: None,
        table_id: None,
        note: None,
        subtotal: Clp(13985),
        discount: Clp(0),
        total: Clp(13985),
        net: Clp(11752),
        tax: Clp(2233),
        tax_rate_bp: 1900,
        tip: Clp(0),
        amount_due: Clp(13985),
        cancel_reason: None,
        covers: None,
        waiter_id: None,
        bill_requested_at: None,
    };
    let row = OrderRow {
        id,
        number,
        business_date: "2026-11-27".into(),
        local_hour: 13,
        channel: Channel::Counter,
        created_by: None,
        created_at: now.clone(),
        state,
        updated_at: hlc,
    };
    let mut lines = Vec::new();
    for (position, item) in items.iter().enumerate() {
        let line = OrderLine {
            id: OrderLineId::new(),
            item_id: *item,
            name: "Pastel de choclo".into(),
            quantity: 1,
            unit_price: Clp(10990),
            line_total: Clp(10990),
            modifiers: Vec::new(),
            note: None,
            station: Station::Kitchen,
            course: None,
            seat: None,
            voided: false,
            void_reason: None,
            discount: None,
            bill: None,
            moved_from: None,
        };
        let line_row = LineRow {
            line,
            order_id: id,
            position: position as i64,
            created_by: None,
            voided_at: None,
            voided_by: None,
            created_at: now.clone(),
            updated_at: hlc,
        };
        lines.push(line_row);
    }
    let transition = Transition {
        from: None,
        to: OrderStatus::Pending,
        reason: None,
        by_user: None,
        at: now,
    };
    let transition = TransitionRow {
        id: uuid::Uuid::now_v7(),
        order_id: id,
        transition,
        updated_at: hlc,
    };
    orders::NewOrderRows {
        row,
        lines,
        transition,
        idempotency: None,
    }
}

pub async fn seed_items(db: &Db) -> [ItemId; 2] {
    let mut ids = Vec::new();
    let category = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO menu_categories (id, name, created_at, updated_at) VALUES (?, 'Platos', '', '')")
        .bind(&category)
        .execute(&db.write)
        .await
        .unwrap();
    for (name, price) in [("Pastel de choclo", 10990), ("Pebre con sopaipas", 2995)] {
        let id = ItemId::new();
        sqlx::query("INSERT INTO menu_items (id, category_id, name, price, created_at, updated_at) VALUES (?, ?, ?, ?, '', '')")
            .bind(id.to_string())
            .bind(&category)
            .bind(name)
            .bind(price)
            .execute(&db.write)
            .await
            .unwrap();
        ids.push(id);
    }
    [ids[0], ids[1]]
}

/// Numbers `count` raw orders of `business_date` and inserts them through `conn` (one
/// batch of a bench that fills a database); returns their rows.
pub async fn insert_batch(
    conn: &mut sqlx::SqliteConnection,
    db: &Db,
    items: &[ItemId; 2],
    business_date: &str,
    count: usize,
) -> Vec<orders::NewOrderRows> {
    let numbers = orders::reserve_numbers(conn, business_date, count as i64)
        .await
        .unwrap();
    let rows: Vec<_> = numbers
        .into_iter()
        .map(|number| raw_order(db, items, number))
        .collect();
    orders::insert_new_orders(conn, &rows).await.unwrap();
    rows
}
