//! Which fields of which synced rows are customer data, and sealing and opening them inside
//! a row's JSON. A sealed field is the text `pii1.` + base64 of the sealed JSON value, so
//! the typed projections copy it as they copy any text and nothing in SQL can read it.
//! Values that are not sealed (rows written before migration 0034, until the start-up pass
//! reaches them) are read as they are.

use super::TenantKeys;
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use dysa_domain::sync::{Entity, Row};
use serde_json::Value;
use std::borrow::Cow;

/// The prefix of a sealed field's text.
pub const SEALED_PREFIX: &str = "pii1.";

/// The fields of `entity` sealed at rest. Names stay readable: the dashboard sorts and
/// searches customers by name in SQL and a name alone reaches nobody (docs/SECURITY.md).
/// A widget order's `note` carries the diner's name, phone, email and address.
pub fn sealed_fields(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Customer => &["phone", "email", "rut", "notes"],
        Entity::Reservation => &["phone", "notes"],
        Entity::Order => &["note"],
        // What the diner wrote and what the assistant made of it (names, phones, an
        // address for delivery), and the draft order or booking built from it (issue 20).
        Entity::Conversation => &["draft"],
        Entity::ConversationMessage => &["text", "intent"],
        _ => &[],
    }
}

/// The stored text of sealed bytes.
pub(super) fn sealed_text(bytes: &[u8]) -> String {
    format!("{SEALED_PREFIX}{}", STANDARD_NO_PAD.encode(bytes))
}

/// Whether a stored JSON value is sealed.
pub fn is_sealed(value: &Value) -> bool {
    value.as_str().is_some_and(|s| s.starts_with(SEALED_PREFIX))
}

impl TenantKeys {
    /// `row` (of `entity`, stored under `row_id`) with its customer-data fields sealed;
    /// borrowed when it has none to seal.
    pub fn seal_row<'a>(&self, entity: Entity, row_id: &str, row: &'a Row) -> Cow<'a, Row> {
        let fields = sealed_fields(entity);
        let needs = fields
            .iter()
            .any(|f| row.get(*f).is_some_and(|v| !v.is_null() && !is_sealed(v)));
        if !needs {
            return Cow::Borrowed(row);
        }
        let mut sealed = row.clone();
        for field in fields {
            if let Some(value) = sealed.get_mut(*field) {
                if value.is_null() || is_sealed(value) {
                    continue;
                }
                let plain = serde_json::to_vec(value).unwrap_or_default();
                let bytes = self.seal(entity.as_str(), field, row_id, &plain);
                *value = Value::String(sealed_text(&bytes));
            }
        }
        Cow::Owned(sealed)
    }

    /// Opens the sealed fields of `row` in place. A field that does not open (moved from
    /// another row or tenant, altered, or its tenant's key destroyed) becomes `null` and
    /// is logged: nothing is shown rather than something false, and the request goes on.
    pub fn open_row(&self, entity: Entity, row_id: &str, row: &mut Row) {
        for field in sealed_fields(entity) {
            let Some(value) = row.get_mut(*field) else {
                continue;
            };
            if let Some(text) = value.as_str().and_then(|s| s.strip_prefix(SEALED_PREFIX)) {
                *value = self
                    .open_text(entity.as_str(), field, row_id, text)
                    .unwrap_or_else(|| {
                        tracing::warn!(tenant = %self.tenant(), entity = %entity, row_id, field,
                        "a sealed customer-data field does not open; shown as empty");
                        Value::Null
                    });
            }
        }
    }

    /// Opens one sealed text (without its prefix) to its JSON value.
    pub(super) fn open_text(
        &self,
        table: &str,
        field: &str,
        row_id: &str,
        base64: &str,
    ) -> Option<Value> {
        let bytes = STANDARD_NO_PAD.decode(base64).ok()?;
        let plain = self.open(table, field, row_id, &bytes)?;
        serde_json::from_slice(&plain).ok()
    }

    /// Opens a sealed text column of a typed table (`customers.phone`, …), as the typed
    /// projection copied it from the row; text that is not sealed is returned as it is.
    pub fn open_column(
        &self,
        entity: Entity,
        field: &str,
        row_id: &str,
        column: Option<String>,
    ) -> Option<String> {
        let text = column?;
        let Some(base64) = text.strip_prefix(SEALED_PREFIX) else {
            return Some(text);
        };
        match self.open_text(entity.as_str(), field, row_id, base64) {
            Some(Value::String(s)) => Some(s),
            Some(Value::Null) => None,
            Some(other) => Some(other.to_string()),
            None => {
                tracing::warn!(tenant = %self.tenant(), entity = %entity, row_id, field,
                    "a sealed customer-data column does not open; shown as empty");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use uuid::Uuid;

    fn row(value: Value) -> Row {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn sealing_a_row_hides_its_contact_fields_and_opening_gives_them_back() {
        let keys = TenantKeys::from_data_key(Uuid::now_v7(), &[7; 32]);
        let plain = row(json!({
            "id": "c1", "name": "Ana Pérez", "phone": "+56987654321",
            "email": "ana@example.cl", "rut": null, "notes": "alérgica al maní"
        }));
        let sealed = keys.seal_row(Entity::Customer, "c1", &plain).into_owned();
        let text = serde_json::to_string(&sealed).unwrap_or_default();
        for secret in ["+56987654321", "ana@example.cl", "maní"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert_eq!(sealed["name"], json!("Ana Pérez"));
        assert_eq!(sealed["rut"], Value::Null);
        assert!(matches!(
            keys.seal_row(Entity::Customer, "c1", &sealed),
            Cow::Borrowed(_)
        ));
        let mut opened = sealed.clone();
        keys.open_row(Entity::Customer, "c1", &mut opened);
        assert_eq!(opened, plain);
        let mut moved = sealed;
        keys.open_row(Entity::Customer, "c2", &mut moved);
        assert_eq!(moved["phone"], Value::Null);
        assert_eq!(moved["name"], json!("Ana Pérez"));
    }

    #[test]
    fn rows_without_customer_data_are_not_copied() {
        let keys = TenantKeys::from_data_key(Uuid::now_v7(), &[7; 32]);
        let item = row(json!({"id": "i1", "name": "Completo", "note": "x"}));
        assert!(matches!(
            keys.seal_row(Entity::Item, "i1", &item),
            Cow::Borrowed(_)
        ));
    }
}
