//! Which bill of its tab each line is on while the tab is split ("cuenta separada"): the
//! line's synced `bill` field (appliance migration 0022), so every counter of the location
//! shows the same bills. What was paid for which lines syncs with the payments
//! (`payments.bill`, `payments.bill_lines`).

use super::orders::{LineRow, Order, save_line};
use super::{StoreError, StoreResult};
use dysa_domain::bills::BillNo;
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{OrderLineId, UserId};
use sqlx::SqliteConnection;

/// What a line row keeps beside the line itself, read back so a change of bill writes the
/// row whole as it stands (who added it and when, its place, its void).
#[derive(sqlx::FromRow)]
struct LinePlace {
    position: i64,
    created_by: Option<String>,
    created_at: String,
    voided_at: Option<String>,
    voided_by: Option<String>,
}

/// Puts lines of `order` on bills, each change a write of the line (and its outbox row)
/// stamped `hlc`. Bill 1 is written as none, the shape of a line never split.
pub async fn assign(
    conn: &mut SqliteConnection,
    order: &Order,
    changes: &[(OrderLineId, BillNo)],
    hlc: Hlc,
) -> StoreResult<()> {
    for (line_id, bill) in changes {
        let Some(line) = order.lines.iter().find(|l| l.id == *line_id) else {
            continue;
        };
        let place: LinePlace = sqlx::query_as(
            "SELECT position, created_by, created_at, voided_at, voided_by
             FROM order_lines WHERE id = ?",
        )
        .bind(line_id.to_string())
        .fetch_one(&mut *conn)
        .await?;
        let user = |text: Option<String>| -> StoreResult<Option<UserId>> {
            text.map(|t| t.parse().map_err(|e| StoreError::corrupt("order_lines", e)))
                .transpose()
        };
        let mut moved = line.clone();
        moved.bill = (*bill != BillNo::FIRST).then_some(*bill);
        save_line(
            conn,
            &LineRow {
                line: moved,
                order_id: order.id,
                position: place.position,
                created_by: user(place.created_by)?,
                voided_at: place.voided_at,
                voided_by: user(place.voided_by)?,
                created_at: place.created_at,
                updated_at: hlc,
            },
        )
        .await?;
    }
    Ok(())
}
