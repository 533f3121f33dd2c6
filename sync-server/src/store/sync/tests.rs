//! Unit tests of the sync store's pure parts (pages, storage ids, compact HLCs).

use super::*;
use dysa_domain::hlc::MAX_FORWARD_DRIFT_MS;
use serde_json::value::RawValue;

#[test]
fn a_page_serialises_as_the_wire_pull_response() {
    let page = Page {
        changes: vec![PageChange {
            version: 7,
            entity: Entity::Item,
            entity_id: "i".into(),
            location_id: Some("l".into()),
            deleted: false,
            row: RawValue::from_string(r#"{"price": 5990, "name": "Cazuela"}"#.into())
                .expect("raw"),
            hlc: "h".into(),
        }],
        cursor: 7,
        has_more: true,
    };
    let text = serde_json::to_string(&page).expect("json");
    let wire: dysa_domain::sync::PullResponse = serde_json::from_str(&text).expect("wire");
    assert_eq!(wire.changes[0].row["price"], 5990);
    assert_eq!(wire.changes[0].version, 7);
    assert!(wire.has_more);
    assert_eq!(
        serde_json::to_value(&wire).expect("value"),
        serde_json::from_str::<serde_json::Value>(&text).expect("value")
    );
}

#[test]
fn settings_are_stored_per_location_and_travel_by_key() {
    let location = dysa_domain::ids::LocationId::new();
    let stored = storage_id(Entity::Setting, location, "restaurant/name");
    assert_eq!(stored, format!("{location}/restaurant/name"));
    assert_eq!(wire_id(Entity::Setting, &stored), "restaurant/name");
    let item = Uuid::now_v7().to_string();
    assert_eq!(storage_id(Entity::Item, location, &item), item);
    assert_eq!(wire_id(Entity::Item, &item), item);
}

#[test]
fn field_hlcs_are_stored_compactly_and_read_back_whole() {
    let mut stored = StoredRow::default();
    for (field, hlc) in [("name", "2"), ("price", "5"), ("note", "5")] {
        stored.row.insert(field.into(), serde_json::json!(field));
        stored.field_hlc.insert(field.into(), hlc.into());
    }
    let newest = stored.newest_hlc();
    let compact = compact_field_hlc(&stored, &newest);
    assert_eq!(compact.into_iter().collect::<Vec<_>>(), [("name", "2")]);
    let older = BTreeMap::from([("name".to_owned(), "2".to_owned())]);
    assert_eq!(expand(stored.row.clone(), older, &newest, None), stored);
    // A tombstone newer than every field: every field is listed.
    stored.deleted_hlc = Some("9".into());
    let newest = stored.newest_hlc();
    assert_eq!(compact_field_hlc(&stored, &newest).len(), 3);
}

#[test]
fn hlcs_must_be_canonical_and_not_far_ahead() {
    let now = 1_800_000_000_000;
    let good = Hlc {
        wall_ms: now,
        counter: 1,
        node: 7,
    }
    .to_string();
    assert!(check_hlc(&good, now).is_ok());
    assert!(check_hlc("1-2-3", now).is_err());
    let ahead = Hlc {
        wall_ms: now + MAX_FORWARD_DRIFT_MS + 1,
        counter: 0,
        node: 7,
    }
    .to_string();
    assert!(check_hlc(&ahead, now).is_err());
}
