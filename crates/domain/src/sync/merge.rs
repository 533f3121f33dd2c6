//! How the cloud merges a pushed mutation into its copy of a row.
//!
//! The cloud is the single place where mutations from different devices meet, so it is
//! where conflicts are decided; devices take the cloud's result. The rules, by entity
//! (docs/ARCHITECTURE.md, "Ownership and conflicts"):
//!
//! - menu, settings, customers, users, tables, order lines, reservations: last writer
//!   wins **per field**, by HLC, so two people editing different fields both win;
//! - orders: the status follows the order state machine (forward only, cancelled with a
//!   reason, nothing after a terminal status) whatever the clocks say; other fields are
//!   last writer wins;
//! - order transitions and payments: append-only; a second write of the same id with
//!   different content is refused;
//! - a voided order line stays voided.
//!
//! Reservations also need the table to be free, which depends on other rows; that check
//! is [`double_booking`], run by the store after merging.

use super::{Entity, Mutation, Op, Row};
use crate::order::{CANCEL_REQUEST_FIELD, CancelRequest, OrderStatus, check_transition};
use crate::reservation::ReservationStatus;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The cloud's copy of one row: its fields, the HLC at which each field was last written,
/// and its tombstone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRow {
    /// Current field values.
    pub row: Row,
    /// Field name → HLC text of the write that set it.
    pub field_hlc: BTreeMap<String, String>,
    /// HLC of the delete when the row is a tombstone.
    pub deleted_hlc: Option<String>,
}

impl StoredRow {
    /// The newest HLC of any field or of the tombstone.
    pub fn newest_hlc(&self) -> String {
        self.field_hlc
            .values()
            .chain(self.deleted_hlc.iter())
            .max()
            .cloned()
            .unwrap_or_default()
    }

    /// True when the row is a tombstone.
    pub fn is_deleted(&self) -> bool {
        self.deleted_hlc.is_some()
    }
}

/// Why a mutation was refused. `code` goes on the wire; the text is for staff.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// An order status change the state machine forbids (e.g. ready → preparing).
    #[error("cambio de estado no permitido: {0}")]
    IllegalTransition(String),
    /// A payment or status record was written twice with different content.
    #[error("los pagos y cambios de estado no se modifican; registre uno nuevo")]
    AppendOnly,
    /// The payload is not a usable row (wrong id, wrong field types).
    #[error("cambio mal formado: {0}")]
    Malformed(String),
    /// A staff change the cloud cannot check: a password or PIN hash in clear, a field
    /// outside the user row's known list, a delete (see `crate::staff_seal`).
    #[error("cambio no autorizado: {0}")]
    UnauthorisedField(String),
}

impl Rejection {
    /// The machine-readable code sent to the device.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::IllegalTransition(_) => "illegal_transition",
            Rejection::AppendOnly => "append_only",
            Rejection::Malformed(_) => "malformed",
            Rejection::UnauthorisedField(_) => crate::staff_seal::UNAUTHORISED_FIELD,
        }
    }
}

/// The merged row and whether the mutation changed anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeOutcome {
    /// The row after the merge.
    pub stored: StoredRow,
    /// False when the mutation was older than everything it touched (nothing to publish).
    pub changed: bool,
}

/// Merges `mutation` into `current` (the cloud's copy, `None` if the row is new) under the
/// rules of its entity.
pub fn merge(current: Option<&StoredRow>, mutation: &Mutation) -> Result<MergeOutcome, Rejection> {
    if let Some(Value::String(id)) = mutation.payload.get("id")
        && mutation.entity != Entity::Setting
        && id != &mutation.entity_id
    {
        return Err(Rejection::Malformed(format!(
            "payload id {id} is not the entity id {}",
            mutation.entity_id
        )));
    }
    match mutation.entity {
        Entity::Payment
        | Entity::OrderTransition
        | Entity::DrawerMovement
        | Entity::DrawerCount
        | Entity::ConversationMessage => append_only(current, mutation),
        Entity::AuditEvent | Entity::DayClose => insert_only(current, mutation),
        Entity::Order => merge_order(current, mutation),
        _ => Ok(last_writer_wins(current, mutation, &mutation.payload)),
    }
}

/// Field-wise last-writer-wins: a field takes the mutation's value when the mutation's HLC
/// is newer than the HLC that wrote the field. Equal HLCs are the same write replayed.
fn last_writer_wins(
    current: Option<&StoredRow>,
    mutation: &Mutation,
    fields: &Row,
) -> MergeOutcome {
    let mut stored = current.cloned().unwrap_or_default();
    let mut changed = current.is_none();
    for (name, value) in fields {
        let newer = stored
            .field_hlc
            .get(name)
            .is_none_or(|written| mutation.hlc.as_str() > written.as_str());
        if !newer {
            continue;
        }
        if mutation.entity == Entity::OrderLine
            && name == "voided_at"
            && value.is_null()
            && stored.row.get(name).is_some_and(|v| !v.is_null())
        {
            // A void is final: an older edit that did not know of it cannot undo it.
            continue;
        }
        if stored.row.get(name) != Some(value) {
            changed = true;
        }
        stored.row.insert(name.clone(), value.clone());
        stored.field_hlc.insert(name.clone(), mutation.hlc.clone());
    }
    if mutation.op == Op::Delete {
        let newer = stored
            .deleted_hlc
            .as_ref()
            .is_none_or(|d| mutation.hlc.as_str() < d.as_str());
        // The earliest delete is kept so a replay or a second delete changes nothing.
        if stored.deleted_hlc.is_none() || newer {
            changed |= stored.deleted_hlc.is_none();
            stored.deleted_hlc = Some(mutation.hlc.clone());
        }
    }
    MergeOutcome { stored, changed }
}

/// Payments and status records are facts: written once, never edited.
fn append_only(
    current: Option<&StoredRow>,
    mutation: &Mutation,
) -> Result<MergeOutcome, Rejection> {
    if mutation.op == Op::Delete {
        return Err(Rejection::AppendOnly);
    }
    match current {
        None => Ok(last_writer_wins(None, mutation, &mutation.payload)),
        Some(stored) => {
            let same = mutation
                .payload
                .iter()
                .all(|(k, v)| k == "updated_at" || stored.row.get(k) == Some(v));
            if same {
                Ok(MergeOutcome {
                    stored: stored.clone(),
                    changed: false,
                })
            } else {
                Err(Rejection::AppendOnly)
            }
        }
    }
}

/// Audit events and closed days: the first copy of an id is the record. A second push of the same id —
/// a replay, or anything claiming to correct it — changes nothing and is not refused
/// (refusing would leave a replaying device retrying forever); a delete is refused.
fn insert_only(
    current: Option<&StoredRow>,
    mutation: &Mutation,
) -> Result<MergeOutcome, Rejection> {
    if mutation.op == Op::Delete {
        return Err(Rejection::AppendOnly);
    }
    match current {
        None => Ok(last_writer_wins(None, mutation, &mutation.payload)),
        Some(stored) => Ok(MergeOutcome {
            stored: stored.clone(),
            changed: false,
        }),
    }
}

/// Orders: the status moves only along the state machine, whatever the HLCs say (the
/// restaurant's kitchen does not go backwards because a clock did); the other fields are
/// last writer wins. The owner's cancel request (`cancel_request`) is last writer wins
/// too, with two rules of its own (see [`merge_cancel_request`]).
fn merge_order(
    current: Option<&StoredRow>,
    mutation: &Mutation,
) -> Result<MergeOutcome, Rejection> {
    let fields = merge_cancel_request(current, &mutation.payload)?;
    let mut outcome = merge_order_fields(current, mutation, &fields)?;
    settle_cancel_request(&mut outcome, &mutation.hlc);
    Ok(outcome)
}

fn merge_order_fields(
    current: Option<&StoredRow>,
    mutation: &Mutation,
    fields: &Row,
) -> Result<MergeOutcome, Rejection> {
    let wanted = status_of(fields)?;
    let Some(stored) = current else {
        // Checked on a new row too: a row stored with a status that is not one would
        // refuse every later change of it, even the replay of its own creation (found
        // by `tests/merge_fuzz.rs`).
        return Ok(last_writer_wins(None, mutation, fields));
    };
    let now = status_of(&stored.row)?;
    if let (Some(from), Some(to)) = (now, wanted)
        && from != to
    {
        let reason = fields
            .get("cancel_reason")
            .and_then(Value::as_str)
            .or_else(|| stored.row.get("cancel_reason").and_then(Value::as_str));
        check_transition(from, to, reason)
            .map_err(|e| Rejection::IllegalTransition(e.to_string()))?;
        // A legal move wins even against a newer clock: take it with the mutation's own
        // HLC, or the stored one when that is newer, so later LWW merges stay ordered.
        let mut outcome = last_writer_wins(Some(stored), mutation, fields);
        if let Some(written) = stored.field_hlc.get("status")
            && written.as_str() >= mutation.hlc.as_str()
        {
            outcome
                .stored
                .row
                .insert("status".into(), Value::from(to.as_str()));
            outcome
                .stored
                .field_hlc
                .insert("status".into(), written.clone());
            outcome.changed = true;
        }
        return Ok(outcome);
    }
    Ok(last_writer_wins(Some(stored), mutation, fields))
}

fn cancel_request_of(value: Option<&Value>) -> Result<Option<CancelRequest>, Rejection> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v.clone())
            .map(Some)
            .map_err(|e| Rejection::Malformed(format!("{CANCEL_REQUEST_FIELD}: {e}"))),
    }
}

/// Checks a pushed cancel request and drops a stale answer: a resolution names the
/// request it answers, and one naming another request than the cloud holds (the owner
/// asked again while the counter answered the first) changes nothing, so a newer request
/// is never marked answered by a reply to an older one.
fn merge_cancel_request<'a>(
    current: Option<&StoredRow>,
    payload: &'a Row,
) -> Result<std::borrow::Cow<'a, Row>, Rejection> {
    let Some(incoming) = cancel_request_of(payload.get(CANCEL_REQUEST_FIELD))? else {
        return Ok(std::borrow::Cow::Borrowed(payload));
    };
    let held = current
        .and_then(|s| s.row.get(CANCEL_REQUEST_FIELD))
        .and_then(|v| serde_json::from_value::<CancelRequest>(v.clone()).ok());
    match held {
        Some(held) if incoming.outcome.is_some() && held.id != incoming.id => {
            let mut kept = payload.clone();
            kept.remove(CANCEL_REQUEST_FIELD);
            Ok(std::borrow::Cow::Owned(kept))
        }
        _ => Ok(std::borrow::Cow::Borrowed(payload)),
    }
}

/// An order that ended (completed or cancelled) cannot still be asked to cancel: a
/// pending request on it is answered by the rules (completed: refused, "ya entregado";
/// cancelled: accepted), stamped like the change that ended it. The cloud does it while
/// merging, so it holds whichever arrives first, the request or the end of the order.
fn settle_cancel_request(outcome: &mut MergeOutcome, hlc: &str) {
    let stored = &mut outcome.stored;
    let Ok(Some(status)) = status_of(&stored.row) else {
        return;
    };
    let Ok(Some(request)) = cancel_request_of(stored.row.get(CANCEL_REQUEST_FIELD)) else {
        return;
    };
    let stamp = stored
        .field_hlc
        .values()
        .max()
        .filter(|h| h.as_str() > hlc)
        .cloned()
        .unwrap_or_else(|| hlc.to_owned());
    let at = stamp
        .parse::<crate::hlc::Hlc>()
        .ok()
        .and_then(|h| Timestamp::from_millisecond(h.wall_ms as i64).ok())
        .map(|t| t.to_string())
        .unwrap_or_default();
    let Some(settled) = request.settled_by(status, at) else {
        return;
    };
    if let Ok(value) = serde_json::to_value(settled) {
        stored.row.insert(CANCEL_REQUEST_FIELD.into(), value);
        stored.field_hlc.insert(CANCEL_REQUEST_FIELD.into(), stamp);
        outcome.changed = true;
    }
}

fn status_of(row: &Row) -> Result<Option<OrderStatus>, Rejection> {
    match row.get("status") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => s
            .parse()
            .map(Some)
            .map_err(|_| Rejection::Malformed(format!("unknown order status {s:?}"))),
        Some(other) => Err(Rejection::Malformed(format!(
            "order status {other} is not text"
        ))),
    }
}

/// The table time a reservation row holds, when it holds one (booked, confirmed or seated).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableHold {
    /// The held table.
    pub table_id: String,
    /// Start, inclusive.
    pub starts_at: Timestamp,
    /// End, exclusive.
    pub ends_at: Timestamp,
}

impl TableHold {
    /// Reads the hold from a merged reservation row; `None` for finished, cancelled or
    /// incomplete rows.
    pub fn of(row: &Row) -> Option<TableHold> {
        let status: ReservationStatus = row.get("status")?.as_str()?.parse().ok()?;
        if !matches!(
            status,
            ReservationStatus::Booked | ReservationStatus::Confirmed | ReservationStatus::Seated
        ) {
            return None;
        }
        Some(TableHold {
            table_id: row.get("table_id")?.as_str()?.to_owned(),
            starts_at: row.get("starts_at")?.as_str()?.parse().ok()?,
            ends_at: row.get("ends_at")?.as_str()?.parse().ok()?,
        })
    }

    /// Half-open overlap on the same table.
    pub fn clashes_with(&self, other: &TableHold) -> bool {
        self.table_id == other.table_id
            && self.starts_at < other.ends_at
            && other.starts_at < self.ends_at
    }
}

/// The reason code of a reservation cancelled because its table was taken elsewhere.
pub const DOUBLE_BOOKING: &str = "double_booking";

/// Resolves a double booking found after merging a reservation: two counters (or a counter
/// and the cloud) booked the same table for overlapping times while apart. The booking that
/// reached the cloud first keeps the table; this one is cancelled with a reason staff see,
/// so nothing is lost and no table is held twice. Returns true when it changed `stored`.
pub fn double_booking(stored: &mut StoredRow, hlc: &str, others: &[TableHold]) -> bool {
    let Some(hold) = TableHold::of(&stored.row) else {
        return false;
    };
    if !others.iter().any(|o| o.clashes_with(&hold)) {
        return false;
    }
    let stamp = stored
        .field_hlc
        .values()
        .max()
        .filter(|h| h.as_str() > hlc)
        .cloned()
        .unwrap_or_else(|| hlc.to_owned());
    stored.row.insert("status".into(), Value::from("cancelled"));
    stored.row.insert(
        "cancel_reason".into(),
        Value::from("Mesa ya reservada desde otro equipo mientras estaban sin conexión"),
    );
    stored.field_hlc.insert("status".into(), stamp.clone());
    stored.field_hlc.insert("cancel_reason".into(), stamp);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn mutation(entity: Entity, id: &str, hlc: &str, payload: Value) -> Mutation {
        Mutation {
            mutation_id: format!("m-{hlc}"),
            entity,
            entity_id: id.into(),
            op: Op::Upsert,
            payload: payload.as_object().cloned().unwrap_or_default(),
            hlc: hlc.into(),
        }
    }

    fn apply_all(muts: &[Mutation]) -> Option<StoredRow> {
        let mut row: Option<StoredRow> = None;
        for m in muts {
            if let Ok(out) = merge(row.as_ref(), m) {
                row = Some(out.stored);
            }
        }
        row
    }

    #[test]
    fn different_fields_both_win() {
        let a = mutation(Entity::Item, "i", "1", json!({"id": "i", "price": 5990}));
        let b = mutation(Entity::Item, "i", "2", json!({"available": false}));
        let c = mutation(
            Entity::Item,
            "i",
            "0",
            json!({"price": 4990, "name": "old"}),
        );
        let row = apply_all(&[a, b, c]).expect("row");
        assert_eq!(row.row["price"], json!(5990));
        assert_eq!(row.row["available"], json!(false));
        assert_eq!(
            row.row["name"],
            json!("old"),
            "a field nobody newer wrote is taken"
        );
    }

    #[test]
    fn orders_never_move_backwards_even_with_newer_clocks() {
        let create = mutation(
            Entity::Order,
            "o",
            "1",
            json!({"id": "o", "status": "pending"}),
        );
        let ready = mutation(Entity::Order, "o", "3", json!({"status": "ready"}));
        let back = mutation(Entity::Order, "o", "9", json!({"status": "preparing"}));
        let first = merge(None, &create).expect("create").stored;
        let second = merge(Some(&first), &ready).expect("forward").stored;
        let refused = merge(Some(&second), &back);
        assert!(matches!(refused, Err(Rejection::IllegalTransition(_))));
    }

    #[test]
    fn an_older_legal_move_still_lands() {
        let create = mutation(
            Entity::Order,
            "o",
            "1",
            json!({"id": "o", "status": "pending"}),
        );
        let confirm = mutation(Entity::Order, "o", "5", json!({"status": "confirmed"}));
        let ready_from_skewed_clock = mutation(Entity::Order, "o", "3", json!({"status": "ready"}));
        let row = apply_all(&[create, confirm, ready_from_skewed_clock]).expect("row");
        assert_eq!(row.row["status"], json!("ready"));
        assert_eq!(row.field_hlc["status"], "5");
    }

    #[test]
    fn cancelling_needs_a_reason_and_is_final() {
        let create = mutation(
            Entity::Order,
            "o",
            "1",
            json!({"id": "o", "status": "pending"}),
        );
        let bare = mutation(Entity::Order, "o", "2", json!({"status": "cancelled"}));
        let row = merge(None, &create).expect("create").stored;
        assert!(merge(Some(&row), &bare).is_err());
        let cancel = mutation(
            Entity::Order,
            "o",
            "2",
            json!({"status": "cancelled", "cancel_reason": "sin stock"}),
        );
        let row = merge(Some(&row), &cancel).expect("cancel").stored;
        let after = mutation(Entity::Order, "o", "3", json!({"status": "completed"}));
        assert!(merge(Some(&row), &after).is_err());
    }

    #[test]
    fn payments_are_append_only() {
        let pay = mutation(
            Entity::Payment,
            "p",
            "1",
            json!({"id": "p", "amount": 1000}),
        );
        let row = merge(None, &pay).expect("first").stored;
        let replay = merge(Some(&row), &pay).expect("replay");
        assert!(!replay.changed);
        let edit = mutation(Entity::Payment, "p", "2", json!({"id": "p", "amount": 1}));
        assert_eq!(merge(Some(&row), &edit), Err(Rejection::AppendOnly));
        let mut delete = pay.clone();
        delete.op = Op::Delete;
        assert_eq!(merge(Some(&row), &delete), Err(Rejection::AppendOnly));
    }

    #[test]
    fn audit_events_are_insert_only() {
        let first = mutation(
            Entity::AuditEvent,
            "a",
            "1",
            json!({"id": "a", "action": "order.line_voided", "actor_name": "Ana"}),
        );
        let row = merge(None, &first).expect("first").stored;
        let newer_edit = mutation(
            Entity::AuditEvent,
            "a",
            "9",
            json!({"id": "a", "actor_name": "Nadie"}),
        );
        let second = merge(Some(&row), &newer_edit).expect("a second push is a no-op");
        assert!(!second.changed);
        assert_eq!(second.stored, row);
        let mut delete = first.clone();
        delete.op = Op::Delete;
        assert_eq!(merge(Some(&row), &delete), Err(Rejection::AppendOnly));
        assert_eq!(merge(None, &delete), Err(Rejection::AppendOnly));
    }

    #[test]
    fn a_void_is_final() {
        let line = mutation(
            Entity::OrderLine,
            "l",
            "1",
            json!({"id": "l", "voided_at": null}),
        );
        let void = mutation(
            Entity::OrderLine,
            "l",
            "2",
            json!({"voided_at": "2026-01-01T00:00:00Z"}),
        );
        let unvoid = mutation(Entity::OrderLine, "l", "3", json!({"voided_at": null}));
        let row = apply_all(&[line, void, unvoid]).expect("row");
        assert_eq!(row.row["voided_at"], json!("2026-01-01T00:00:00Z"));
    }

    #[test]
    fn a_payload_for_another_id_is_malformed() {
        let m = mutation(Entity::Item, "i", "1", json!({"id": "other"}));
        assert!(matches!(merge(None, &m), Err(Rejection::Malformed(_))));
    }

    #[test]
    fn double_bookings_cancel_the_later_arrival() {
        let booking = |id: &str, start: &str, end: &str| {
            let m = mutation(
                Entity::Reservation,
                id,
                "5",
                json!({"id": id, "table_id": "t1", "status": "confirmed",
                       "starts_at": start, "ends_at": end}),
            );
            merge(None, &m).expect("merge").stored
        };
        let first = booking("a", "2026-11-27T20:00:00Z", "2026-11-27T22:00:00Z");
        let mut clash = booking("b", "2026-11-27T21:00:00Z", "2026-11-27T23:00:00Z");
        let mut after = booking("c", "2026-11-27T22:00:00Z", "2026-11-27T23:00:00Z");
        let holds = [TableHold::of(&first.row).expect("hold")];
        assert!(double_booking(&mut clash, "5", &holds));
        assert_eq!(clash.row["status"], json!("cancelled"));
        assert!(TableHold::of(&clash.row).is_none());
        assert!(
            !double_booking(&mut after, "5", &holds),
            "half-open: back to back is fine"
        );
    }

    fn field_write() -> impl Strategy<Value = (u8, u8, i64)> {
        (0u8..4, 0u8..200, 0i64..1000)
    }

    fn request(id: &str, outcome: Option<&str>) -> Value {
        json!({"id": id, "reason": "cliente llamó", "requested_by": "dueña",
               "requested_at": "2026-11-28T00:00:00Z", "outcome": outcome})
    }

    fn pending_order(status: &str) -> StoredRow {
        merge(
            None,
            &mutation(
                Entity::Order,
                "o",
                "100",
                json!({"id": "o", "status": status}),
            ),
        )
        .expect("create")
        .stored
    }

    #[test]
    fn a_cancel_request_never_moves_the_status() {
        let row = pending_order("preparing");
        let asked = mutation(
            Entity::Order,
            "o",
            "200",
            json!({"cancel_request": request("r1", None)}),
        );
        let out = merge(Some(&row), &asked).expect("merge");
        assert_eq!(out.stored.row["status"], "preparing");
        assert_eq!(out.stored.row["cancel_request"]["outcome"], Value::Null);
        // A malformed request is refused, not stored.
        let bad = mutation(Entity::Order, "o", "201", json!({"cancel_request": 5}));
        assert!(matches!(
            merge(Some(&row), &bad),
            Err(Rejection::Malformed(_))
        ));
    }

    #[test]
    fn an_answer_to_an_older_request_leaves_a_newer_one_pending() {
        let row = pending_order("confirmed");
        let first = mutation(
            Entity::Order,
            "o",
            "200",
            json!({"cancel_request": request("r1", None)}),
        );
        let row = merge(Some(&row), &first).expect("r1").stored;
        let second = mutation(
            Entity::Order,
            "o",
            "300",
            json!({"cancel_request": request("r2", None)}),
        );
        let row = merge(Some(&row), &second).expect("r2").stored;
        let refused = mutation(
            Entity::Order,
            "o",
            "400",
            json!({"cancel_request": request("r1", Some("refused"))}),
        );
        let out = merge(Some(&row), &refused).expect("merge");
        assert_eq!(out.stored.row["cancel_request"]["id"], "r2");
        assert_eq!(out.stored.row["cancel_request"]["outcome"], Value::Null);
        let answered = mutation(
            Entity::Order,
            "o",
            "500",
            json!({"cancel_request": request("r2", Some("refused"))}),
        );
        let out = merge(Some(&out.stored), &answered).expect("merge");
        assert_eq!(out.stored.row["cancel_request"]["outcome"], "refused");
    }

    #[test]
    fn a_request_on_an_ended_order_is_answered_by_the_rules() {
        // The request arrives after the counter completed the order.
        let done = pending_order("completed");
        let asked = mutation(
            Entity::Order,
            "o",
            "200",
            json!({"cancel_request": request("r1", None)}),
        );
        let out = merge(Some(&done), &asked).expect("merge");
        assert_eq!(out.stored.row["status"], "completed");
        assert_eq!(out.stored.row["cancel_request"]["outcome"], "refused");
        assert_eq!(out.stored.row["cancel_request"]["note"], "ya entregado");
        // The counter completes (clock behind) an order the owner asked to cancel.
        let row = pending_order("ready");
        let row = merge(Some(&row), &asked).expect("ask").stored;
        let completed = mutation(Entity::Order, "o", "150", json!({"status": "completed"}));
        let out = merge(Some(&row), &completed).expect("complete");
        assert_eq!(out.stored.row["cancel_request"]["outcome"], "refused");
        assert!(out.stored.field_hlc["cancel_request"].as_str() >= "200");
        // Cancelled for another reason: the owner got what was asked.
        let cancelled = mutation(
            Entity::Order,
            "o",
            "250",
            json!({"status": "cancelled", "cancel_reason": "sin stock"}),
        );
        let out = merge(Some(&row), &cancelled).expect("cancel");
        assert_eq!(out.stored.row["cancel_request"]["outcome"], "accepted");
    }

    proptest! {
        /// Last-writer-wins per field is order-insensitive and idempotent: any arrival
        /// order, with replays, gives the same row. This is what lets replicas converge.
        #[test]
        fn lww_converges_in_any_order(
            writes in prop::collection::vec(field_write(), 1..30),
            seed in any::<u64>(),
        ) {
            let muts: Vec<Mutation> = writes
                .iter()
                .enumerate()
                .map(|(n, (field, clock, value))| {
                    mutation(
                        Entity::Item,
                        "i",
                        &format!("{clock:03}-{n:03}"),
                        json!({ format!("f{field}"): value }),
                    )
                })
                .collect();
            let mut shuffled = muts.clone();
            let mut state = seed;
            for i in (1..shuffled.len()).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let j = (state >> 33) as usize % (i + 1);
                shuffled.swap(i, j);
            }
            shuffled.extend(muts.iter().take(3).cloned());
            let a = apply_all(&muts).map(|r| r.row);
            let b = apply_all(&shuffled).map(|r| r.row);
            prop_assert_eq!(a, b);
        }

        /// Whatever order status mutations arrive in, the stored history only ever makes
        /// legal moves.
        #[test]
        fn order_status_only_moves_legally(
            steps in prop::collection::vec((0usize..6, 0u8..100), 1..20),
        ) {
            let mut row = merge(
                None,
                &mutation(Entity::Order, "o", "000", json!({"id": "o", "status": "pending"})),
            ).expect("create").stored;
            for (n, (status, clock)) in steps.into_iter().enumerate() {
                let to = OrderStatus::ALL[status];
                let m = mutation(
                    Entity::Order,
                    "o",
                    &format!("{clock:03}-{n:03}"),
                    json!({"status": to.as_str(), "cancel_reason": "x"}),
                );
                let before = status_of(&row.row).expect("status").expect("some");
                if let Ok(out) = merge(Some(&row), &m) {
                    let after = status_of(&out.stored.row).expect("status").expect("some");
                    prop_assert!(before == after || check_transition(before, after, Some("x")).is_ok());
                    row = out.stored;
                }
            }
        }
    }
}
