//! Parked cloud rows and refused pushes as staff see them (docs/SYNC.md, "Parked and
//! refused changes"): listed with a reason code and a message in both languages, retried or
//! discarded one by one (a discard is kept in `sync_discarded`), and refused pushes
//! dismissed.

use super::{StoreResult, now_text};
use serde::Serialize;
use sqlx::{SqliteConnection, SqliteExecutor};

/// A cloud change this appliance could not apply yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ParkedChange {
    /// The id the retry and discard routes take: `<entity>:<entity_id>`.
    pub id: String,
    /// What kind of row (`order`, `user`, …).
    pub entity: String,
    /// The row's id.
    pub entity_id: String,
    /// The cloud's version of the row held here.
    pub version: i64,
    /// Why it waits, as a code: `waiting_for_related_row`, `clashes_with_local_row`,
    /// `cloud_booking_undecided`, `staff_seal_invalid`, `malformed`.
    pub reason: String,
    /// The reason for staff, in Spanish.
    pub message_es: String,
    /// The reason for staff, in English.
    pub message_en: String,
    /// What the database said (for support).
    pub detail: String,
    /// When it was first parked.
    pub since: String,
    /// How many times it was tried.
    pub attempts: i64,
}

/// The code and both messages for a parked row's stored reason text.
pub fn classify(reason: &str) -> (&'static str, &'static str, &'static str) {
    if reason.contains(crate::sync::staff_rows::SEAL_INVALID) {
        (
            "staff_seal_invalid",
            "Un cambio de personal no viene sellado con la llave de este local; no se aplica",
            "A staff change is not sealed with this restaurant's key; it is not applied",
        )
    } else if reason == crate::sync::apply::UNDECIDED_BOOKING {
        (
            "cloud_booking_undecided",
            "Reserva hecha en la nube esperando que el local la acepte o rechace",
            "Booking made on the cloud waiting for the restaurant to accept or decline it",
        )
    } else if reason.contains("UNIQUE") {
        (
            "clashes_with_local_row",
            "Choca con un registro de esta caja (por ejemplo, el mismo correo en dos cuentas)",
            "Clashes with a record of this counter (for example, one email on two accounts)",
        )
    } else if reason.contains("FOREIGN KEY") || reason.contains("NOT NULL") {
        (
            "waiting_for_related_row",
            "Espera un registro relacionado que aún no llega (su pedido, producto, mesa o persona)",
            "Waits for a related record that has not arrived yet (its order, item, table or person)",
        )
    } else {
        (
            "malformed",
            "La nube envió un registro que esta caja no puede leer",
            "The cloud sent a record this counter cannot read",
        )
    }
}

type Row = (String, String, i64, String, String, i64);

fn parked_of((entity, entity_id, version, reason, since, attempts): Row) -> ParkedChange {
    let (code, es, en) = classify(&reason);
    ParkedChange {
        id: format!("{entity}:{entity_id}"),
        entity,
        entity_id,
        version,
        reason: code.to_owned(),
        message_es: es.to_owned(),
        message_en: en.to_owned(),
        detail: reason,
        since,
        attempts,
    }
}

/// Every parked change, oldest first, at most `limit`.
pub async fn list<'e, E: SqliteExecutor<'e>>(
    executor: E,
    limit: i64,
) -> StoreResult<Vec<ParkedChange>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT entity, entity_id, version, reason, coalesce(since, parked_at), attempts
         FROM sync_parked ORDER BY coalesce(since, parked_at), version LIMIT ?",
    )
    .bind(limit)
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().map(parked_of).collect())
}

/// Splits a route id `<entity>:<entity_id>`.
pub fn split_id(id: &str) -> Option<(&str, &str)> {
    id.split_once(':')
        .filter(|(entity, entity_id)| !entity.is_empty() && !entity_id.is_empty())
}

/// One parked change's stored JSON, if it is parked.
pub async fn change_of(
    conn: &mut SqliteConnection,
    entity: &str,
    entity_id: &str,
) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT change FROM sync_parked WHERE entity = ? AND entity_id = ?")
            .bind(entity)
            .bind(entity_id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// One parked change as staff see it.
pub async fn find(
    conn: &mut SqliteConnection,
    entity: &str,
    entity_id: &str,
) -> StoreResult<Option<ParkedChange>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT entity, entity_id, version, reason, coalesce(since, parked_at), attempts
         FROM sync_parked WHERE entity = ? AND entity_id = ?",
    )
    .bind(entity)
    .bind(entity_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(parked_of))
}

/// Throws a parked change away, keeping it whole in `sync_discarded` with who did it.
/// Answers whether there was one.
pub async fn discard(
    conn: &mut SqliteConnection,
    entity: &str,
    entity_id: &str,
    by_user: &str,
) -> StoreResult<bool> {
    let moved = sqlx::query(
        "INSERT INTO sync_discarded (entity, entity_id, version, change, reason, discarded_by, discarded_at)
         SELECT entity, entity_id, version, change, reason, ?, ? FROM sync_parked
         WHERE entity = ? AND entity_id = ?",
    )
    .bind(by_user)
    .bind(now_text())
    .bind(entity)
    .bind(entity_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM sync_parked WHERE entity = ? AND entity_id = ?")
        .bind(entity)
        .bind(entity_id)
        .execute(&mut *conn)
        .await?;
    Ok(moved > 0)
}

/// Takes a refused push off the list staff see. Answers whether it was listed.
pub async fn dismiss_rejected(conn: &mut SqliteConnection, mutation_id: &str) -> StoreResult<bool> {
    Ok(sqlx::query(
        "UPDATE outbox SET rejected_dismissed_at = ?
         WHERE mutation_id = ? AND rejected_reason IS NOT NULL AND rejected_dismissed_at IS NULL",
    )
    .bind(now_text())
    .bind(mutation_id)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_reason_gets_a_code_and_two_messages() {
        let cases = [
            ("staff_seal_invalid", "staff_seal_invalid"),
            (
                crate::sync::apply::UNDECIDED_BOOKING,
                "cloud_booking_undecided",
            ),
            (
                "UNIQUE constraint failed: users.email",
                "clashes_with_local_row",
            ),
            ("FOREIGN KEY constraint failed", "waiting_for_related_row"),
            ("missing field `order_id`", "malformed"),
        ];
        for (stored, code) in cases {
            let (got, es, en) = classify(stored);
            assert_eq!(got, code, "{stored}");
            assert!(!es.is_empty() && !en.is_empty() && es != en);
        }
        assert_eq!(split_id("user:abc"), Some(("user", "abc")));
        assert_eq!(
            split_id("setting:bookings:quota"),
            Some(("setting", "bookings:quota"))
        );
        assert_eq!(split_id(":abc"), None);
        assert_eq!(split_id("user:"), None);
        assert_eq!(split_id("nothing"), None);
    }
}
