//! Fuzz target for the cloud's merge (`dysa_domain::sync::merge`): arbitrary sequences
//! of arbitrary mutations — every entity, both ops, well-formed and garbage payloads,
//! clocks and statuses — never panic, and every merge keeps the properties replicas rely
//! on. A fixed number of cases, so CI spends a bounded time on it (a few seconds).

#![allow(clippy::unwrap_used)]

use dysa_domain::sync::merge::{StoredRow, merge};
use dysa_domain::sync::{Entity, Mutation, Op, Row};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Cases: about 15 s in CI.
const CASES: u32 = 3_000;

const ENTITY_ID: &str = "0190a1b2-0000-7000-8000-000000000001";

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,12}".prop_map(Value::from),
        // Statuses and reasons the order rules read.
        prop::sample::select(vec![
            "pending",
            "accepted",
            "preparing",
            "ready",
            "served",
            "completed",
            "cancelled",
            "rejected",
            "confirmed",
            "seated",
            "no_show",
            "",
        ])
        .prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(field_name(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Field names the rules give meaning to, and random ones.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "id",
            "status",
            "cancel_reason",
            "voided_at",
            "voided",
            "cancel_request",
            "name",
            "total",
            "order_id",
            "table_id",
            "starts_at",
            "ends_at",
            "amount",
            "transition",
            "line",
            "updated_at",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{1,8}",
    ]
}

fn payload() -> impl Strategy<Value = Row> {
    prop::collection::btree_map(field_name(), value(), 0..6).prop_map(|fields| {
        let mut row: Row = fields.into_iter().collect();
        // Most payloads carry their own id, as devices send them.
        if row.get("id").is_some_and(|v| !v.is_string()) {
            row.insert("id".into(), json!(ENTITY_ID));
        }
        row
    })
}

/// Canonical HLCs from a small range (so merges collide and replay), and garbage.
fn hlc() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0u64..20, 0u32..3, 0u64..3)
            .prop_map(|(ms, counter, node)| format!("{:015}-{counter:06}-{node:016x}", 1_700_000_000_000 + ms)),
        1 => "\\PC{0,20}",
    ]
}

fn mutation(entity: Entity) -> impl Strategy<Value = Mutation> {
    (
        prop_oneof![9 => Just(Op::Upsert), 1 => Just(Op::Delete)],
        payload(),
        hlc(),
        "[a-z0-9-]{1,12}",
    )
        .prop_map(move |(op, payload, hlc, mutation_id)| Mutation {
            mutation_id,
            entity,
            entity_id: ENTITY_ID.to_owned(),
            op,
            payload,
            hlc,
        })
}

fn history() -> impl Strategy<Value = Vec<Mutation>> {
    prop::sample::select(Entity::ALL.to_vec())
        .prop_flat_map(|entity| prop::collection::vec(mutation(entity), 1..12))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Whatever arrives, merge answers (never panics), and an accepted merge:
    /// - is idempotent: the same mutation again changes nothing (a replayed push);
    /// - never moves a field's stamp backwards (what last-writer-wins rests on);
    /// - keeps every field it held, and adds only fields the mutation named.
    #[test]
    fn merge_never_panics_and_keeps_its_properties(history in history()) {
        let mut current: Option<StoredRow> = None;
        for mutation in &history {
            let Ok(outcome) = merge(current.as_ref(), mutation) else { continue };
            let again = merge(Some(&outcome.stored), mutation);
            prop_assert_eq!(
                again.as_ref().map(|o| &o.stored),
                Ok(&outcome.stored),
                "replaying {:?} changed the row",
                mutation
            );
            prop_assert!(!again.map(|o| o.changed).unwrap_or(true), "a replay reported a change");
            if let Some(before) = &current {
                for (field, stamp) in &before.field_hlc {
                    let after = outcome.stored.field_hlc.get(field);
                    prop_assert!(after.is_some_and(|a| a >= stamp), "{field}: {stamp} → {after:?}");
                }
                for field in outcome.stored.row.keys() {
                    prop_assert!(
                        before.row.contains_key(field) || mutation.payload.contains_key(field)
                            || field == "status",
                        "{field} appeared from nowhere"
                    );
                }
            }
            current = Some(outcome.stored);
        }
    }
}
