//! Migrations that rebuild a table: a database filled before the rebuild keeps every row,
//! every index and every foreign key after it.

#![allow(clippy::unwrap_used)]

use dysa_appliance::store::MIGRATOR;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Row, SqliteConnection};

const NOW: &str = "2026-11-30T22:00:00.000Z";
const HLC: &str = "000000000000001-000000-0000000000000001";

/// The schema's objects other than the rebuilt tables (`rebuilt`, as a JSON array of
/// names), and the indexes of those, as `(type, name, sql)`: the rebuild must leave them
/// exactly as they were.
async fn schema_outside_the_rebuilt_tables(
    conn: &mut SqliteConnection,
    rebuilt: &str,
) -> Vec<(String, String, String)> {
    sqlx::query(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_schema
         WHERE NOT (type = 'table' AND name IN (SELECT value FROM json_each(?)))
           AND name NOT LIKE '_sqlx%'
         ORDER BY type, name",
    )
    .bind(rebuilt)
    .fetch_all(conn)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2)))
    .collect()
}

/// One column as `pragma_table_info` gives it: name, declared type, not-null, default.
type Column = (String, String, i64, Option<String>);

/// The columns of `table` in order, with their type, NOT NULL and default.
async fn columns(conn: &mut SqliteConnection, table: &str) -> Vec<Column> {
    sqlx::query("SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info(?) ORDER BY cid")
        .bind(table)
        .fetch_all(conn)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect()
}

/// Every row of `table`, each as one JSON array of its columns in order.
async fn rows(conn: &mut SqliteConnection, table: &str) -> Vec<String> {
    let select = match table {
        "menu_items" => {
            "SELECT json_array(id, category_id, name, name_en, description, description_en,
                    price, station, tags, allergens, modifier_group_ids, available, position,
                    created_at, updated_at, deleted_at, prep_minutes)
             FROM menu_items ORDER BY rowid"
        }
        "printers" => {
            "SELECT json_array(id, name, station, connection, address, paper_mm, code_page,
                    last_ok_at, last_error, last_error_at, created_at, deleted_at, paper)
             FROM printers ORDER BY rowid"
        }
        // With the rowid: a day close remembers the highest one it saw (0016).
        "orders" => {
            "SELECT json_array(rowid, id, number, business_date, local_hour, channel, status,
                    customer_id, table_id, note, subtotal, discount, total, net, tax,
                    tax_rate_bp, tip, amount_due, cancel_reason, created_by, created_at,
                    updated_at, deleted_at, cancel_request, covers, waiter_id,
                    bill_requested_at)
             FROM orders ORDER BY rowid"
        }
        other => panic!("no row query for {other}"),
    };
    sqlx::query_scalar(select).fetch_all(conn).await.unwrap()
}

/// What a rebuild of `tables` must keep exactly: every other object of the schema (and
/// the indexes of the rebuilt tables), and the rebuilt tables' columns and rows.
#[derive(Debug, PartialEq)]
struct Kept {
    schema: Vec<(String, String, String)>,
    columns: Vec<Vec<Column>>,
    rows: Vec<Vec<String>>,
}

async fn kept(conn: &mut SqliteConnection, tables: &[&str]) -> Kept {
    let names = tables
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut kept = Kept {
        schema: schema_outside_the_rebuilt_tables(conn, &format!("[{names}]")).await,
        columns: Vec::new(),
        rows: Vec::new(),
    };
    for table in tables {
        kept.columns.push(columns(conn, table).await);
        kept.rows.push(rows(conn, table).await);
    }
    kept
}

/// A database in `dir` migrated up to `version`, foreign keys on.
async fn database_at(dir: &tempfile::TempDir, version: i64) -> SqliteConnection {
    let mut conn = SqliteConnectOptions::new()
        .filename(dir.path().join("dysa.db"))
        .create_if_missing(true)
        .foreign_keys(true)
        .connect()
        .await
        .unwrap();
    MIGRATOR.run_to(version, &mut conn).await.unwrap();
    conn
}

/// Migrates up to `version` (the rebuild of `tables`, and no later migration: later ones
/// add their own columns and tables) and checks it kept `before` exactly, that every
/// foreign key holds and that they are enforced again on this connection.
async fn rebuild_keeps(conn: &mut SqliteConnection, version: i64, tables: &[&str], before: &Kept) {
    MIGRATOR.run_to(version, &mut *conn).await.unwrap();
    assert_eq!(&kept(conn, tables).await, before);
    let violations: Vec<(String,)> =
        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    assert!(violations.is_empty(), "{violations:?}");
    let enforced: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(enforced, 1);
}

async fn fill_before_0025(conn: &mut SqliteConnection) {
    let statements = [
        "INSERT INTO menu_categories (id, name, created_at, updated_at)
         VALUES ('cat-1', 'Carta', ?1, ?2)",
        "INSERT INTO menu_items (id, category_id, name, name_en, price, station, tags,
           allergens, position, created_at, updated_at, prep_minutes)
         VALUES ('item-lomo', 'cat-1', 'Lomo a lo pobre', 'Steak a lo pobre', 12990, 'kitchen',
           '[\"carne\"]', '[\"huevo\"]', 2, ?1, ?2, 18)",
        "INSERT INTO menu_items (id, category_id, name, price, station, available, created_at,
           updated_at, deleted_at)
         VALUES ('item-pisco', 'cat-1', 'Pisco sour', 4990, 'bar', 0, ?1, ?2, ?2)",
        "INSERT INTO orders (id, number, business_date, channel, status, subtotal, total, net,
           tax, tax_rate_bp, amount_due, created_at, updated_at)
         VALUES ('order-1', 1, '2026-11-30', 'dine_in', 'confirmed', 17980, 17980, 15109,
           2871, 1900, 17980, ?1, ?2)",
        "INSERT INTO order_lines (id, order_id, position, item_id, name, quantity, unit_price,
           line_total, station, created_at, updated_at)
         VALUES ('line-1', 'order-1', 0, 'item-lomo', 'Lomo a lo pobre', 1, 12990, 12990,
           'kitchen', ?1, ?2),
                ('line-2', 'order-1', 1, 'item-pisco', 'Pisco sour', 1, 4990, 4990, 'bar',
           ?1, ?2)",
        "INSERT INTO printers (id, name, station, connection, address, paper_mm, code_page,
           last_ok_at, created_at, paper)
         VALUES ('printer-bar', 'Barra', 'bar', 'tcp', '192.168.1.50:9100', 58, 'pc858', ?1,
           ?1, 'low'),
                ('printer-old', 'Cocina vieja', 'kitchen', 'device', '/dev/usb/lp0', 80,
           'pc850', NULL, ?1, NULL)",
        "UPDATE printers SET deleted_at = ?1 WHERE id = 'printer-old'",
        "INSERT INTO print_jobs (id, printer_id, kind, reference, title, body, status,
           next_attempt_at, created_at)
         VALUES ('job-1', 'printer-bar', 'kitchen', 'order-1', 'Mesa 4', x'1b40', 'queued',
           ?1, ?1)",
    ];
    for statement in statements {
        sqlx::query(statement)
            .bind(NOW)
            .bind(HLC)
            .execute(&mut *conn)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_dessert_station_rebuild_keeps_rows_indexes_and_foreign_keys() {
    const REBUILT: &[&str] = &["menu_items", "printers"];
    let dir = tempfile::tempdir().unwrap();
    let mut conn = database_at(&dir, 24).await;
    fill_before_0025(&mut conn).await;
    // Before: desserts are refused, as the reason for the rebuild.
    let refused = sqlx::query("UPDATE menu_items SET station = 'dessert' WHERE id = 'item-lomo'")
        .execute(&mut conn)
        .await;
    assert!(refused.is_err());
    let before = kept(&mut conn, REBUILT).await;
    assert_eq!((before.rows[0].len(), before.rows[1].len()), (2, 2));

    // Up to 0025 only (0027 adds `photo`): same rows, same columns in the same order, same
    // indexes and other tables; foreign keys hold and are enforced.
    rebuild_keeps(&mut conn, 25, REBUILT, &before).await;
    // The lines and jobs still point at the rebuilt tables: their rows cannot go.
    assert!(
        sqlx::query("DELETE FROM menu_items WHERE id = 'item-lomo'")
            .execute(&mut conn)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM printers WHERE id = 'printer-bar'")
            .execute(&mut conn)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("UPDATE menu_items SET category_id = 'nowhere' WHERE id = 'item-lomo'")
            .execute(&mut conn)
            .await
            .is_err()
    );

    // Desserts are a station now, for items and printers; the other CHECKs still bite.
    sqlx::query("UPDATE menu_items SET station = 'dessert' WHERE id = 'item-lomo'")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO printers (id, name, station, connection, address, paper_mm, code_page,
           created_at)
         VALUES ('printer-postres', 'Postres', 'dessert', 'tcp', '192.168.1.51', 80, 'pc858', ?)",
    )
    .bind(NOW)
    .execute(&mut conn)
    .await
    .unwrap();
    for refused in [
        "UPDATE menu_items SET station = 'grill' WHERE id = 'item-lomo'",
        "UPDATE menu_items SET prep_minutes = 0 WHERE id = 'item-lomo'",
        "UPDATE printers SET station = 'grill' WHERE id = 'printer-bar'",
        "UPDATE printers SET paper = 'wet' WHERE id = 'printer-bar'",
        // One live printer per station, as before.
        "UPDATE printers SET station = 'dessert' WHERE id = 'printer-bar'",
    ] {
        assert!(
            sqlx::query(refused).execute(&mut conn).await.is_err(),
            "{refused}"
        );
    }
}

/// Orders of every shape 0028 must carry over: later columns set (0005's cancel request,
/// 0015's covers, waiter and bill), a tombstone, and a rowid gap left by a deleted order.
async fn fill_before_0028(conn: &mut SqliteConnection) {
    fill_before_0025(conn).await;
    let statements = [
        "INSERT INTO orders (id, number, business_date, local_hour, channel, status, note,
           subtotal, total, net, tax, tax_rate_bp, tip, amount_due, created_at, updated_at,
           cancel_request, covers, waiter_id, bill_requested_at)
         VALUES ('order-2', 2, '2026-11-30', 21, 'chat', 'pending', 'Para llevar', 4990,
           4990, 4193, 797, 1900, 500, 5490, ?1, ?2,
           '{\"reason\":\"se equivocó\",\"requested_at\":\"2026-11-30T22:05:00Z\"}', 2,
           'waiter-1', ?1)",
        "INSERT INTO orders (id, number, business_date, channel, status, subtotal, total, net,
           tax, tax_rate_bp, amount_due, created_at, updated_at)
         VALUES ('order-gone', 3, '2026-11-30', 'counter', 'cancelled', 0, 0, 0, 0, 1900, 0,
           ?1, ?2)",
        "INSERT INTO orders (id, number, business_date, channel, status, subtotal, total, net,
           tax, tax_rate_bp, amount_due, cancel_reason, created_at, updated_at, deleted_at)
         VALUES ('order-4', 4, '2026-11-30', 'widget', 'cancelled', 4990, 4990, 4193, 797,
           1900, 4990, 'Sin stock', ?1, ?2, ?2)",
        "DELETE FROM orders WHERE id = 'order-gone'",
    ];
    for statement in statements {
        sqlx::query(statement)
            .bind(NOW)
            .bind(HLC)
            .execute(&mut *conn)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_whatsapp_channel_rebuild_keeps_rows_rowids_indexes_and_foreign_keys() {
    const REBUILT: &[&str] = &["orders"];
    let dir = tempfile::tempdir().unwrap();
    let mut conn = database_at(&dir, 27).await;
    fill_before_0028(&mut conn).await;
    // Before: WhatsApp is refused as a channel, the reason for the rebuild.
    let refused = sqlx::query("UPDATE orders SET channel = 'whatsapp' WHERE id = 'order-2'")
        .execute(&mut conn)
        .await;
    assert!(refused.is_err());
    let before = kept(&mut conn, REBUILT).await;
    let orders = &before.rows[0];
    assert_eq!(orders.len(), 3);
    assert!(
        orders[2].starts_with("[4,"),
        "a gap before the last: {orders:?}"
    );

    // Same rows under the same rowids, same columns in the same order, same indexes and
    // every other object as it was; foreign keys hold and are enforced.
    rebuild_keeps(&mut conn, 28, REBUILT, &before).await;
    // The lines still point at the rebuilt table: their order cannot go, and a line
    // cannot point at an order that is not there.
    assert!(
        sqlx::query("DELETE FROM orders WHERE id = 'order-1'")
            .execute(&mut conn)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("UPDATE order_lines SET order_id = 'nowhere' WHERE id = 'line-1'")
            .execute(&mut conn)
            .await
            .is_err()
    );

    // WhatsApp is a channel now; the other CHECKs still bite.
    sqlx::query("UPDATE orders SET channel = 'whatsapp' WHERE id = 'order-2'")
        .execute(&mut conn)
        .await
        .unwrap();
    for refused in [
        "UPDATE orders SET channel = 'telegram' WHERE id = 'order-2'",
        "UPDATE orders SET status = 'lost' WHERE id = 'order-2'",
        "UPDATE orders SET covers = 0 WHERE id = 'order-2'",
        "UPDATE orders SET cancel_request = 'not json' WHERE id = 'order-2'",
        "UPDATE orders SET customer_id = 'nobody' WHERE id = 'order-2'",
        // One order per number and day, as before.
        "UPDATE orders SET number = 1 WHERE id = 'order-2'",
    ] {
        assert!(
            sqlx::query(refused).execute(&mut conn).await.is_err(),
            "{refused}"
        );
    }
}
