#![allow(clippy::unwrap_used)]

use super::*;
use serde_json::json;

fn row(value: Value) -> Row {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn a_partial_edit_of_known_fields_passes() {
    let edit = row(
        json!({"id": uuid::Uuid::now_v7(), "price": 12_490, "available": false,
                          "updated_at": "000000000000001-000000-0000000000000001"}),
    );
    assert_eq!(check_patch(Entity::Item, &edit), Ok(()));
    assert_eq!(check_patch(Entity::Item, &Row::new()), Ok(()));
}

#[test]
fn an_unknown_field_is_named() {
    let edit = row(json!({"price": 100, "is_admin": true}));
    let err = check_patch(Entity::Item, &edit).unwrap_err();
    assert_eq!(err.field, "is_admin");
}

#[test]
fn a_field_of_the_wrong_type_is_named() {
    let err = check_patch(Entity::Item, &row(json!({"price": "gratis"}))).unwrap_err();
    assert_eq!(err.field, "price");
    let err = check_patch(Entity::Order, &row(json!({"status": "teleported"}))).unwrap_err();
    assert_eq!(err.field, "status");
}

#[test]
fn sizes_are_bounded() {
    let long = "x".repeat(LIMITS.max_string_bytes + 1);
    let err = check_patch(Entity::Customer, &row(json!({"notes": long}))).unwrap_err();
    assert_eq!(err.field, "notes");
    let many: Vec<String> = (0..=LIMITS.max_array).map(|n| n.to_string()).collect();
    let err = check_patch(Entity::Item, &row(json!({"tags": many}))).unwrap_err();
    assert_eq!(err.field, "tags");
    let mut deep = json!(1);
    for _ in 0..LIMITS.max_depth + 1 {
        deep = json!([deep]);
    }
    let err = check_patch(Entity::Setting, &row(json!({"value": deep}))).unwrap_err();
    assert_eq!(err.field, "value");
    let fine = "y".repeat(LIMITS.max_string_bytes);
    assert_eq!(
        check_patch(Entity::Customer, &row(json!({"notes": fine}))),
        Ok(())
    );
}

#[test]
fn settings_take_any_bounded_value() {
    let hours = json!({"key": "restaurant.opening_hours",
        "value": {"monday": [{"open": "12:00", "close": "16:00"}]}});
    assert_eq!(check_patch(Entity::Setting, &row(hours)), Ok(()));
}

/// The declared field list is the serialised one: no serde rename can make them differ.
#[test]
fn field_lists_are_the_serialised_names() {
    let item = Item {
        name: "Pastel".into(),
        created_at: "2026-01-01T00:00:00Z".into(),
        deleted_at: "000000000000002-000000-0000000000000001".parse().ok(),
        ..Item::default()
    };
    // Sorted: with serde_json's `preserve_order` (another crate of the workspace may turn
    // it on) a map keeps the serialisation order.
    let mut keys: Vec<String> = row(serde_json::to_value(&item).unwrap())
        .keys()
        .cloned()
        .collect();
    keys.sort();
    let mut declared: Vec<String> = Item::field_names().iter().map(|s| s.to_string()).collect();
    declared.sort();
    assert_eq!(keys, declared);
    for entity in Entity::ALL {
        let names: std::collections::BTreeSet<_> =
            fields_of(entity).iter().map(|f| f.name).collect();
        assert_eq!(
            names.len(),
            fields_of(entity).len(),
            "{entity}: no duplicates"
        );
    }
}

#[test]
fn prep_minutes_are_one_to_six_hundred() {
    for ok in [1, 45, 600] {
        assert_eq!(
            check_patch(Entity::Item, &row(json!({"prep_minutes": ok}))),
            Ok(())
        );
    }
    assert_eq!(
        check_patch(Entity::Item, &row(json!({"prep_minutes": null}))),
        Ok(())
    );
    for bad in [json!(0), json!(601), json!(-3), json!(2.5), json!("10")] {
        let err = check_patch(Entity::Item, &row(json!({"prep_minutes": bad}))).unwrap_err();
        assert_eq!(err.field, "prep_minutes");
    }
}

#[test]
fn a_table_cell_is_zero_to_forty_nine() {
    for field in ["grid_x", "grid_y"] {
        for ok in [json!(0), json!(49), json!(null)] {
            assert_eq!(
                check_patch(Entity::Table, &row(json!({ field: ok }))),
                Ok(())
            );
        }
        for bad in [json!(50), json!(-1), json!(1.5), json!("3")] {
            let err = check_patch(Entity::Table, &row(json!({ field: bad }))).unwrap_err();
            assert_eq!(err.field, field);
        }
    }
}

#[test]
fn stamps_are_accepted_on_every_entity() {
    let stamp = "000000000000001-000000-0000000000000001";
    for entity in Entity::ALL {
        let edit = row(json!({"updated_at": stamp, "deleted_at": null}));
        assert_eq!(check_patch(entity, &edit), Ok(()), "{entity}");
        let bad = row(json!({"updated_at": 5}));
        assert_eq!(check_patch(entity, &bad).unwrap_err().field, "updated_at");
    }
}

#[test]
fn a_photo_is_named_by_a_sha256_in_lowercase_hex() {
    let good = crate::sync::rows::PhotoHash::of(b"jpeg bytes");
    assert_eq!(good.as_str().len(), 64);
    assert_eq!(
        check_patch(Entity::Item, &row(json!({"photo": good.as_str()}))),
        Ok(())
    );
    assert_eq!(
        check_patch(Entity::Item, &row(json!({"photo": null}))),
        Ok(())
    );
    let upper = good.as_str().to_uppercase();
    let traversal = format!("../{}", &good.as_str()[3..]);
    for bad in [
        json!(upper),
        json!(traversal),
        json!(&good.as_str()[1..]),
        json!(format!("{}0", good.as_str())),
        json!(5),
    ] {
        let err = check_patch(Entity::Item, &row(json!({"photo": bad}))).unwrap_err();
        assert_eq!(err.field, "photo");
    }
}

#[test]
fn conversation_rows_are_checked_like_any_other() {
    let conversation = row(json!({"id": uuid::Uuid::now_v7(), "status": "handoff",
                                  "last_activity_at": "2026-12-07T12:00:00Z"}));
    assert_eq!(check_patch(Entity::Conversation, &conversation), Ok(()));
    let err = check_patch(Entity::Conversation, &row(json!({"channel": "fax"}))).unwrap_err();
    assert_eq!(err.field, "channel");
    let message = row(
        json!({"id": uuid::Uuid::now_v7(), "conversation_id": uuid::Uuid::now_v7(),
                             "role": "diner", "text": "¿Tienen mesa para 4?",
                             "intent": {"intent": "booking"}, "created_at": "2026-12-07T12:00:00Z"}),
    );
    assert_eq!(check_patch(Entity::ConversationMessage, &message), Ok(()));
    let err = check_patch(
        Entity::ConversationMessage,
        &row(json!({"wa_id": "56911112222"})),
    )
    .unwrap_err();
    assert_eq!(err.field, "wa_id");
}
