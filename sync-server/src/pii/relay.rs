//! The cloud's own relay tables (issue 20, cloud migration 0050): what a diner wrote to
//! the widget or by WhatsApp, what staff and the restaurant answered, the widget's draft
//! order, and every diner's WhatsApp number (`wa_id`, a phone). They are not synced rows,
//! so [`super::sealed_fields`] does not reach them; the store seals each value as it
//! writes it and opens it as it reads it, with the same `pii1.` text and the same cipher.
//!
//! A text is sealed with its table, column and row as associated data, like a synced
//! field. A `wa_id` is the one exception: it is copied between the WhatsApp tables (a
//! diner's order remembers their number; migration 0033's trigger copies it into the
//! outbox), so it is sealed to its tenant and location, not to a row; lookups by it go
//! through [`TenantKeys::wa_hash`], never through the number.

use super::fields::SEALED_PREFIX;
use super::{TenantKeys, fields};
use dysa_domain::ids::LocationId;
use serde_json::Value;

/// The associated-data "table" of every sealed `wa_id`.
const WA_ID_TABLE: &str = "whatsapp";

impl TenantKeys {
    /// `value`, the `field` of row `row_id` of `table`, sealed to its `pii1.` text.
    pub fn seal_value(&self, table: &str, field: &str, row_id: &str, value: &Value) -> String {
        let plain = serde_json::to_vec(value).unwrap_or_default();
        fields::sealed_text(&self.seal(table, field, row_id, &plain))
    }

    /// A text column's value sealed ([`TenantKeys::seal_value`] of the string).
    pub fn seal_str(&self, table: &str, field: &str, row_id: &str, text: &str) -> String {
        self.seal_value(table, field, row_id, &Value::String(text.to_owned()))
    }

    /// A stored JSON value opened: a sealed text (a string `pii1.…`) to what was sealed,
    /// anything else as it is (written before migration 0050, until the start-up pass
    /// reaches it). One that does not open is `null`, and logged.
    pub fn open_value(&self, table: &str, field: &str, row_id: &str, value: Value) -> Value {
        match value.as_str().and_then(|s| s.strip_prefix(SEALED_PREFIX)) {
            Some(sealed) => self
                .open_text(table, field, row_id, sealed)
                .unwrap_or_else(|| {
                    tracing::warn!(tenant = %self.tenant(), table, field, row_id,
                        "a sealed relay value does not open; read as empty");
                    Value::Null
                }),
            None => value,
        }
    }

    /// A stored text column opened (see [`TenantKeys::open_value`]); `None` when it
    /// does not open.
    pub fn open_str(&self, table: &str, field: &str, row_id: &str, text: String) -> Option<String> {
        match self.open_value(table, field, row_id, Value::String(text)) {
            Value::String(s) => Some(s),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    /// A diner's WhatsApp number sealed for `location`.
    pub fn seal_wa_id(&self, location: LocationId, wa_id: &str) -> String {
        self.seal_str(WA_ID_TABLE, "wa_id", &location.to_string(), wa_id)
    }

    /// A stored `wa_id` of `location` opened; `None` when it does not open.
    pub fn open_wa_id(&self, location: LocationId, stored: String) -> Option<String> {
        self.open_str(WA_ID_TABLE, "wa_id", &location.to_string(), stored)
    }

    /// The keyed hash a `wa_id` (the number's digits, as Meta sends it) is looked up by.
    pub fn wa_hash(&self, wa_id: &str) -> Vec<u8> {
        self.lookup_hash("wa_id", wa_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use uuid::Uuid;

    #[test]
    fn relay_texts_open_only_in_their_row_and_wa_ids_in_their_location() {
        let keys = TenantKeys::from_data_key(Uuid::now_v7(), &[3; 32]);
        let sealed = keys.seal_str("chat_staff_messages", "text", "m1", "mesa 4, sin cebolla");
        assert!(sealed.starts_with(SEALED_PREFIX) && !sealed.contains("cebolla"));
        assert_eq!(
            keys.open_str("chat_staff_messages", "text", "m1", sealed.clone())
                .as_deref(),
            Some("mesa 4, sin cebolla")
        );
        assert_eq!(
            keys.open_str("chat_staff_messages", "text", "m2", sealed),
            None
        );
        assert_eq!(
            keys.open_str("chat_staff_messages", "text", "m1", "en claro".into())
                .as_deref(),
            Some("en claro"),
            "text from before the migration reads as it is"
        );
        let draft = json!({"lines": [{"item": "Completo", "quantity": 2}]});
        let stored = Value::String(keys.seal_value("chat_conversations", "draft", "c1", &draft));
        assert_eq!(
            keys.open_value("chat_conversations", "draft", "c1", stored),
            draft
        );

        let (a, b) = (LocationId::new(), LocationId::new());
        let wa = keys.seal_wa_id(a, "56987654321");
        assert!(!wa.contains("56987654321"));
        assert_eq!(
            keys.open_wa_id(a, wa.clone()).as_deref(),
            Some("56987654321")
        );
        assert_eq!(keys.open_wa_id(b, wa), None);
        let other = TenantKeys::from_data_key(Uuid::now_v7(), &[4; 32]);
        assert_eq!(keys.wa_hash("56987654321"), keys.wa_hash("56987654321"));
        assert_ne!(keys.wa_hash("56987654321"), other.wa_hash("56987654321"));
        assert_ne!(keys.wa_hash("56987654321"), keys.wa_hash("56987654322"));
    }
}
