//! What a pushed mutation must be before the merge sees it: a storable id and payload of
//! its entity's shape, a canonical row id and a canonical HLC not far ahead.

use super::MAX_SETTING_KEY;
use dysa_domain::hlc::{Hlc, MAX_FORWARD_DRIFT_MS};
use dysa_domain::sync::rows::check_patch;
use dysa_domain::sync::{Entity, Mutation, Rejection};
use uuid::Uuid;

/// Longest mutation id accepted (the appliance's are UUIDs).
const MAX_MUTATION_ID: usize = 100;

/// Whether a mutation id can be stored: 1–100 bytes, no NUL (Postgres text cannot hold
/// it). A mutation with another id is refused and, having no usable key, not recorded.
pub(super) fn storable_mutation_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_MUTATION_ID && !id.contains('\0')
}

/// Whether a JSON value holds a NUL character anywhere (jsonb refuses `\u0000`).
pub(super) fn holds_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(holds_nul),
        serde_json::Value::Object(fields) => fields
            .iter()
            .any(|(name, v)| name.contains('\0') || holds_nul(v)),
        _ => false,
    }
}

/// Checks what the merge cannot: that the mutation id and the payload can be stored, and
/// that the payload is a row (or a part of one) of its entity.
/// Without this, one bad mutation would fail its whole batch, and every retry of it.
pub(super) fn check_storable(mutation: &Mutation) -> Result<(), Rejection> {
    if !storable_mutation_id(&mutation.mutation_id) {
        return Err(Rejection::Malformed(format!(
            "mutation id must be 1 to {MAX_MUTATION_ID} bytes without NUL"
        )));
    }
    if mutation
        .payload
        .iter()
        .any(|(name, v)| name.contains('\0') || holds_nul(v))
    {
        return Err(Rejection::Malformed("text with a NUL character".to_owned()));
    }
    // Staff rows carry their secrets sealed by the location; the cloud refuses what it
    // cannot check (a hash in clear, an unknown field, a delete) as `unauthorised_field`
    // (docs/SECURITY.md), before the schema would call it malformed.
    if mutation.entity == Entity::User {
        dysa_domain::staff_seal::check_user_mutation(mutation)?;
    }
    // The entity's schema (dysa_domain::sync::rows): known fields of the declared types,
    // sizes bounded. A patch may carry any subset of the fields.
    check_patch(mutation.entity, &mutation.payload).map_err(|bad| {
        Rejection::Malformed(format!(
            "campo no válido «{}» / invalid field {bad}",
            bad.field
        ))
    })?;
    Ok(())
}

/// Checks the row id: a canonical UUID (lower-case, hyphenated, as the appliance writes
/// them), or a short non-empty key for settings. A differently spelled UUID would make a
/// second copy of the same row.
pub(super) fn check_id(mutation: &Mutation) -> Result<(), Rejection> {
    let id = mutation.entity_id.as_str();
    let ok = if mutation.entity == Entity::Setting {
        !id.is_empty() && id.len() <= MAX_SETTING_KEY && !id.contains('\0')
    } else {
        Uuid::parse_str(id).is_ok_and(|u| u.to_string() == id)
    };
    if ok {
        Ok(())
    } else {
        Err(Rejection::Malformed(format!(
            "entity id {:?} is not a valid id",
            id.chars().take(64).collect::<String>()
        )))
    }
}

/// Checks the HLC: canonical text (merges compare it as text) and not from a clock more
/// than a day ahead (it would win every later merge).
pub(super) fn check_hlc(text: &str, now_ms: u64) -> Result<Hlc, Rejection> {
    let hlc: Hlc = text
        .parse()
        .map_err(|e: dysa_domain::hlc::HlcError| Rejection::Malformed(e.to_string()))?;
    if hlc.to_string() != text {
        return Err(Rejection::Malformed(format!(
            "HLC {text:?} is not canonical"
        )));
    }
    if hlc.wall_ms > now_ms.saturating_add(MAX_FORWARD_DRIFT_MS) {
        return Err(Rejection::Malformed(format!(
            "HLC {text} is more than a day ahead of the cloud's clock"
        )));
    }
    Ok(hlc)
}
