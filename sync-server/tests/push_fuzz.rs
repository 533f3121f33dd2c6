//! Fuzz target for the push body decoder (`http::devices::sync::decode_push`, the very code
//! `POST /sync/push` runs on the bytes it read): arbitrary bytes, JSON-shaped garbage and
//! structured arbitrary batches never panic and never answer a 5xx; a well-formed batch
//! decodes to exactly what was sent; more than 500 mutations or another protocol version
//! is refused. A fixed number of cases, so CI spends a bounded time on it.

#![allow(clippy::unwrap_used)]

use dysa_cloud::http::devices::sync::{MAX_BATCH, decode_push};
use dysa_domain::sync::{Entity, Mutation, Op, PushRequest, Row};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Cases per property: about 25 s for all of them in a debug build on CI.
const CASES: u32 = 1_000;

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "\\PC{0,16}".prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
            prop::collection::btree_map(key(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The push body's own field names, so garbage reaches past the first check.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "schema_version",
            "mutations",
            "mutation_id",
            "entity",
            "entity_id",
            "op",
            "payload",
            "hlc",
            "id",
            "status",
        ])
        .prop_map(str::to_owned),
        "\\PC{0,6}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (
        prop::sample::select(Entity::ALL.to_vec()),
        prop_oneof![Just(Op::Upsert), Just(Op::Delete)],
        prop::collection::btree_map("[a-z_]{1,10}", value(), 0..6),
        "\\PC{0,40}",
        "\\PC{0,40}",
        "\\PC{0,30}",
    )
        .prop_map(
            |(entity, op, payload, mutation_id, entity_id, hlc)| Mutation {
                mutation_id,
                entity,
                entity_id,
                op,
                payload: payload.into_iter().collect::<Row>(),
                hlc,
            },
        )
}

fn assert_client_error(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Err(error) = decode_push(bytes) {
        prop_assert!(error.status().is_client_error(), "{error}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn arbitrary_bytes_never_panic_nor_answer_5xx(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        assert_client_error(&bytes)?;
    }

    #[test]
    fn json_shaped_garbage_never_panics_nor_answers_5xx(
        body in value(),
        version in prop_oneof![Just(json!(1)), Just(json!(0)), any::<i64>().prop_map(Value::from), leaf()],
    ) {
        let mut body = body;
        if let Value::Object(map) = &mut body {
            map.insert("schema_version".into(), version);
        }
        assert_client_error(body.to_string().as_bytes())?;
    }

    #[test]
    fn structured_batches_decode_to_what_was_sent(
        mutations in prop::collection::vec(mutation(), 0..8),
        version in 0u32..4,
    ) {
        let sent = PushRequest { schema_version: version, mutations };
        let bytes = serde_json::to_vec(&sent).unwrap();
        match decode_push(&bytes) {
            Ok(decoded) => {
                prop_assert!(dysa_domain::sync::schema_supported(version));
                prop_assert_eq!(decoded, sent);
            }
            Err(error) => {
                prop_assert!(!dysa_domain::sync::schema_supported(version), "{error}");
                prop_assert_eq!(error.status().as_u16(), 426);
            }
        }
    }

    #[test]
    fn a_structured_batch_mangled_byte_by_byte_never_panics(
        mutations in prop::collection::vec(mutation(), 1..4),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let sent = PushRequest { schema_version: 1, mutations };
        let mut bytes = serde_json::to_vec(&sent).unwrap();
        for (at, byte) in edits {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        assert_client_error(&bytes)?;
    }
}

#[test]
fn more_than_a_batch_is_refused() {
    let one = json!({"mutation_id": "m", "entity": "customer", "entity_id": "c", "op": "upsert",
                     "payload": {}, "hlc": "x"});
    let full = json!({"schema_version": 1, "mutations": vec![one.clone(); MAX_BATCH]});
    assert_eq!(
        decode_push(full.to_string().as_bytes())
            .unwrap()
            .mutations
            .len(),
        MAX_BATCH
    );
    let over = json!({"schema_version": 1, "mutations": vec![one; MAX_BATCH + 1]});
    let refused = decode_push(over.to_string().as_bytes()).unwrap_err();
    assert_eq!(refused.status().as_u16(), 422);
}
