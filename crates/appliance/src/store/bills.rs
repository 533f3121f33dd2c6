//! Which bill of its tab each line is on while the tab is split ("cuenta separada").
//! Local to this appliance, like the kitchen tickets; what was paid for which lines
//! syncs with the payments (`payments.bill`, `payments.bill_lines`).

use super::StoreResult;
use dysa_domain::bills::BillNo;
use dysa_domain::ids::{OrderId, OrderLineId};
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// The bill of each line of an order that is not on bill 1.
pub async fn of_order(
    conn: &mut SqliteConnection,
    order_id: OrderId,
) -> StoreResult<HashMap<OrderLineId, BillNo>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT line_id, bill FROM tab_bill_lines WHERE order_id = ?")
            .bind(order_id.to_string())
            .fetch_all(&mut *conn)
            .await?;
    rows.into_iter()
        .map(|(line, bill)| {
            let line = line
                .parse()
                .map_err(|e| super::StoreError::corrupt("tab_bill_lines", e))?;
            let bill = u16::try_from(bill)
                .map_err(|e| e.to_string())
                .and_then(BillNo::try_from)
                .map_err(|e| super::StoreError::corrupt("tab_bill_lines", e))?;
            Ok((line, bill))
        })
        .collect()
}

/// Puts lines on bills (the line's primary key keeps it on one bill).
pub async fn assign(
    conn: &mut SqliteConnection,
    order_id: OrderId,
    changes: &[(OrderLineId, BillNo)],
) -> StoreResult<()> {
    for (line, bill) in changes {
        sqlx::query(
            "INSERT INTO tab_bill_lines (line_id, order_id, bill) VALUES (?, ?, ?)
             ON CONFLICT (line_id) DO UPDATE SET bill = excluded.bill",
        )
        .bind(line.to_string())
        .bind(order_id.to_string())
        .bind(i64::from(bill.get()))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
