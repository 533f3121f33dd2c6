//! The locations of a business (issue 19, Build 3): an owner adds, edits, closes and
//! reopens them within the plan's limit, and copies a menu from one to another. Closing
//! is soft: the data stays, the widget answers "cerrado", and the counters learn it by
//! sync (the `location.closed` setting), so nothing half-works while an owner decides.

use crate::site::pages::PLANS;
use crate::state::AppState;
use crate::store::sync::{self, CloudChange};
use crate::store::tenants::{self, LocationRecord};
use crate::store::{StoreError, Tx, is_unique_violation};
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{CategoryId, ItemId, LocationId, ModifierGroupId, ModifierOptionId};
use dysa_domain::settings::keys::LOCATION_CLOSED;
use dysa_domain::sync::rows::{self, SyncedRow};
use dysa_domain::sync::{Entity, Outcome, Row};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use uuid::Uuid;

/// Longest location name.
pub const NAME_MAX: usize = 80;
/// Longest address.
pub const ADDRESS_MAX: usize = 200;
/// Longest slug (the column's check).
pub const SLUG_MAX: usize = 40;

/// Why a location operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum LocationError {
    /// The input is invalid.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// No such location (or not one the caller may see).
    #[error("location not found")]
    NotFound,
    /// Another location of the business has the slug.
    #[error("slug taken")]
    SlugTaken,
    /// The plan allows no more open locations.
    #[error("plan {plan_id} allows {limit} open locations")]
    PlanLimit {
        /// The plan's name as the site shows it, es / en.
        plan: (&'static str, &'static str),
        /// The plan's id.
        plan_id: String,
        /// How many open locations it allows.
        limit: i64,
    },
    /// A copy from a location to itself.
    #[error("same location")]
    SameLocation,
    /// The merge refused a copied row (it cannot unless the code above is wrong).
    #[error("the merge refused a copied row: {0}")]
    Refused(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for LocationError {
    fn from(error: sqlx::Error) -> Self {
        if is_unique_violation(&error, "locations_tenant_slug") {
            LocationError::SlugTaken
        } else {
            LocationError::Store(error.into())
        }
    }
}

/// How many open locations `plan` allows (`None`: no limit), as `/planes` sells them:
/// Básico one, Pro up to three, Cadena unlimited. An unknown plan gets the smallest.
pub fn location_limit(plan: &str) -> Option<i64> {
    match plan {
        "enterprise" => None,
        "pro" => Some(3),
        _ => Some(1),
    }
}

/// The plan's name as the site shows it.
fn plan_name(plan: &str) -> (&'static str, &'static str) {
    PLANS
        .iter()
        .find(|p| p.id == plan)
        .map_or(("Básico", "Basic"), |p| p.name)
}

/// A slug made from a name: lower-case ASCII, accents dropped, anything else a single
/// hyphen ("Café Ñuñoa" → "cafe-nunoa"); "local" when nothing is left.
pub fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().to_lowercase().chars() {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= SLUG_MAX - 3 {
            break;
        }
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "local".to_owned()
    } else {
        slug.to_owned()
    }
}

/// Whether a slug is acceptable: 1–40 of `a-z 0-9 -`, starting and ending alphanumeric.
pub fn is_valid_slug(slug: &str) -> bool {
    let bytes = slug.as_bytes();
    (1..=SLUG_MAX).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
}

/// A location to add.
#[derive(Debug)]
pub struct NewLocation {
    /// Name ("Providencia").
    pub name: String,
    /// Street address.
    pub address: Option<String>,
    /// Its slug; `None` makes one from the name, numbered until free.
    pub slug: Option<String>,
}

/// What to change of a location; `None` keeps it.
#[derive(Debug, Default)]
pub struct LocationChanges {
    /// New name.
    pub name: Option<String>,
    /// New address (`Some("")` clears it).
    pub address: Option<String>,
    /// New slug.
    pub slug: Option<String>,
}

fn check_slug(errors: &mut FieldErrors, slug: &str) {
    if !is_valid_slug(slug) {
        errors.add(
            "slug",
            FieldIssue::Other {
                es: "usa de 1 a 40 letras minúsculas, números o guiones, sin guion al inicio ni al final".into(),
                en: "use 1 to 40 lower-case letters, digits or hyphens, not starting or ending with a hyphen".into(),
            },
        );
    }
}

/// The address to store: trimmed, `None` when blank.
fn clean_address(address: Option<&str>) -> Option<&str> {
    address.map(str::trim).filter(|a| !a.is_empty())
}

/// Refuses with [`LocationError::PlanLimit`] when one more open location would pass the
/// plan's limit. Locks the tenant's row, so concurrent adds and reopens count in turn.
async fn check_room(tx: &mut Tx) -> Result<(), LocationError> {
    let plan = tenants::lock_plan(tx).await?.unwrap_or_default();
    if let Some(limit) = location_limit(&plan)
        && tenants::open_locations(tx).await? >= limit
    {
        return Err(LocationError::PlanLimit {
            plan: plan_name(&plan),
            plan_id: plan,
            limit,
        });
    }
    Ok(())
}

/// A free slug for `name`: its own, else numbered (`providencia-2`, …).
async fn free_slug(tx: &mut Tx, name: &str) -> Result<String, LocationError> {
    let stem = slug_of(name);
    if !tenants::slug_in_use(tx, &stem, None).await? {
        return Ok(stem);
    }
    for n in 2..1000 {
        let candidate = format!("{stem}-{n}");
        if !tenants::slug_in_use(tx, &candidate, None).await? {
            return Ok(candidate);
        }
    }
    Ok(format!(
        "{stem}-{}",
        &Uuid::now_v7().simple().to_string()[..8]
    ))
}

/// Adds an open location in the plan's limit; answers it. The caller commits.
pub async fn create(
    tx: &mut Tx,
    tenant: dysa_domain::ids::TenantId,
    input: NewLocation,
) -> Result<LocationRecord, LocationError> {
    let mut errors = FieldErrors::new();
    errors.text("name", &input.name, NAME_MAX);
    errors.optional_text("address", input.address.as_deref(), ADDRESS_MAX);
    if let Some(slug) = &input.slug {
        check_slug(&mut errors, slug);
    }
    errors.into_result().map_err(LocationError::Invalid)?;
    check_room(tx).await?;
    let name = input.name.trim();
    let slug = match input.slug {
        Some(slug) => slug,
        None => free_slug(tx, name).await?,
    };
    let id = LocationId::new();
    tenants::insert_location(
        tx,
        tenant,
        id,
        name,
        &slug,
        clean_address(input.address.as_deref()),
    )
    .await?;
    tenants::find_location(tx, id)
        .await?
        .ok_or(LocationError::NotFound)
}

/// Changes name, address or slug of a location; answers it.
pub async fn update(
    tx: &mut Tx,
    id: LocationId,
    changes: LocationChanges,
) -> Result<LocationRecord, LocationError> {
    let mut errors = FieldErrors::new();
    if let Some(name) = &changes.name {
        errors.text("name", name, NAME_MAX);
    }
    errors.optional_text("address", changes.address.as_deref(), ADDRESS_MAX);
    if let Some(slug) = &changes.slug {
        check_slug(&mut errors, slug);
    }
    errors.into_result().map_err(LocationError::Invalid)?;
    let address = changes.address.as_deref().map(|a| clean_address(Some(a)));
    let found = tenants::update_location(
        tx,
        id,
        changes.name.as_deref().map(str::trim),
        changes.slug.as_deref(),
        address,
    )
    .await?;
    if !found {
        return Err(LocationError::NotFound);
    }
    tenants::find_location(tx, id)
        .await?
        .ok_or(LocationError::NotFound)
}

/// Closes (`closed`) or reopens a location; answers it. Reopening counts against the
/// plan. Doing what is already so changes nothing. The counters of the location get the
/// `location.closed` setting by sync.
pub async fn set_closed(
    state: &AppState,
    tx: &mut Tx,
    id: LocationId,
    closed: bool,
) -> Result<LocationRecord, LocationError> {
    let current = tenants::find_location(tx, id)
        .await?
        .ok_or(LocationError::NotFound)?;
    if current.closed_at.is_some() == closed {
        return Ok(current);
    }
    if !closed {
        check_room(tx).await?;
    }
    tenants::set_closed(tx, id, closed).await?;
    tell_counters(state, tx, id, closed).await?;
    tenants::find_location(tx, id)
        .await?
        .ok_or(LocationError::NotFound)
}

/// Writes the location's `location.closed` setting as an owner's edit: the counters pull
/// it like any setting, and keep selling what is already open on them.
async fn tell_counters(
    state: &AppState,
    tx: &mut Tx,
    location: LocationId,
    closed: bool,
) -> Result<(), LocationError> {
    let stored =
        sync::stored_row(tx, &state.vault, Entity::Setting, location, LOCATION_CLOSED).await?;
    let hlc = state
        .tenant_clock(tx)
        .await?
        .stamp_after(stored.as_ref().map(|s| s.newest_hlc()).as_deref());
    let row = rows::Setting {
        key: LOCATION_CLOSED.to_owned(),
        value: Value::Bool(closed),
    };
    apply(
        tx,
        &state.vault,
        location,
        CloudChange::upsert(LOCATION_CLOSED, &row),
        hlc,
    )
    .await
}

async fn apply(
    tx: &mut Tx,
    vault: &crate::pii::Vault,
    location: LocationId,
    change: CloudChange,
    hlc: Hlc,
) -> Result<(), LocationError> {
    let result = sync::apply_cloud_change(tx, vault, location, change, hlc).await?;
    if result.outcome == Outcome::Rejected {
        return Err(LocationError::Refused(result.detail.unwrap_or_default()));
    }
    Ok(())
}

/// What a menu copy did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct CopyReport {
    /// Categories created at the target.
    pub categories: u32,
    /// Modifier groups created at the target.
    pub modifier_groups: u32,
    /// Items created at the target.
    pub items: u32,
    /// Rows already copied by an earlier copy, left as they are (a retry, or the target
    /// edited them since).
    pub already_copied: u32,
}

/// The id of the copy of row `source` at location `target`: the same on every retry, so
/// a copy repeated after a lost answer finds its rows instead of doubling the menu.
pub fn copy_id(target: LocationId, source: Uuid) -> Uuid {
    let digest = Sha256::new()
        .chain_update(b"dysa/menu-copy/")
        .chain_update(target.0.as_bytes())
        .chain_update(source.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// The synced row as its type, its stamps set aside (a copy gets its own; a counter of an
/// older build may have written them in another form). `None`, logged, when the row
/// cannot be read: it is left out of the copy rather than failing all of it.
fn decode<T: serde::de::DeserializeOwned>(mut row: Row) -> Option<T> {
    row.insert("updated_at".into(), Value::String(Hlc::ZERO.to_string()));
    row.remove("deleted_at");
    match serde_json::from_value(Value::Object(row)) {
        Ok(decoded) => Some(decoded),
        Err(error) => {
            tracing::warn!(%error, "a menu row could not be read for a copy; left out");
            None
        }
    }
}

/// Copies the live menu of `from` (categories, modifier groups with their options and
/// prices, items) to `to`, as cloud edits that reach `to`'s counters by pull. Each copy
/// gets a fixed id ([`copy_id`]); a row whose copy exists is left alone, so a retry adds
/// nothing and an edit made at the target since is kept. The caller commits.
pub async fn copy_menu(
    state: &AppState,
    tx: &mut Tx,
    from: LocationId,
    to: LocationId,
) -> Result<CopyReport, LocationError> {
    if from == to {
        return Err(LocationError::SameLocation);
    }
    for id in [from, to] {
        tenants::find_location(tx, id)
            .await?
            .ok_or(LocationError::NotFound)?;
    }
    let mut report = CopyReport::default();
    let mut groups: HashMap<ModifierGroupId, ModifierGroupId> = HashMap::new();
    let mut categories: HashMap<CategoryId, CategoryId> = HashMap::new();

    for (_, row) in sync::live_rows(tx, Entity::Category, from).await? {
        let Some(mut category) = decode::<rows::Category>(row) else {
            continue;
        };
        let copy = CategoryId(copy_id(to, category.id.0));
        categories.insert(category.id, copy);
        category.id = copy;
        if write_new(state, tx, to, &mut category).await? {
            report.categories += 1;
        } else {
            report.already_copied += 1;
        }
    }
    for (_, row) in sync::live_rows(tx, Entity::ModifierGroup, from).await? {
        let Some(mut group) = decode::<rows::ModifierGroup>(row) else {
            continue;
        };
        let copy = ModifierGroupId(copy_id(to, group.id.0));
        groups.insert(group.id, copy);
        group.id = copy;
        for option in &mut group.options {
            option.id = ModifierOptionId(copy_id(to, option.id.0));
        }
        if write_new(state, tx, to, &mut group).await? {
            report.modifier_groups += 1;
        } else {
            report.already_copied += 1;
        }
    }
    for (_, row) in sync::live_rows(tx, Entity::Item, from).await? {
        let Some(mut item) = decode::<rows::Item>(row) else {
            continue;
        };
        // An item of a deleted category has nowhere to go at the target.
        let Some(category) = categories.get(&item.category_id) else {
            continue;
        };
        item.id = ItemId(copy_id(to, item.id.0));
        item.category_id = *category;
        item.modifier_group_ids = item
            .modifier_group_ids
            .iter()
            .filter_map(|g| groups.get(g).copied())
            .collect();
        if write_new(state, tx, to, &mut item).await? {
            report.items += 1;
        } else {
            report.already_copied += 1;
        }
    }
    Ok(report)
}

/// The row id a copied row is written under.
trait Copied: SyncedRow {
    fn row_id(&self) -> Uuid;
    fn stamp(&mut self, hlc: Hlc, created_at: String);
}

macro_rules! copied {
    ($($t:ty),*) => {$(
        impl Copied for $t {
            fn row_id(&self) -> Uuid {
                self.id.0
            }
            fn stamp(&mut self, hlc: Hlc, created_at: String) {
                self.updated_at = hlc;
                self.created_at = created_at;
                self.deleted_at = None;
            }
        }
    )*};
}
copied!(rows::Category, rows::ModifierGroup, rows::Item);

/// Writes `row` at `to` unless its copy is already there; true when written.
async fn write_new<T: Copied>(
    state: &AppState,
    tx: &mut Tx,
    to: LocationId,
    row: &mut T,
) -> Result<bool, LocationError> {
    let id = row.row_id().to_string();
    if sync::stored_row(tx, &state.vault, T::ENTITY, to, &id)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let hlc = state.tenant_clock(tx).await?.tick();
    row.stamp(
        hlc,
        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    );
    apply(tx, &state.vault, to, CloudChange::upsert(id, &*row), hlc).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs_drop_accents_and_punctuation() {
        assert_eq!(slug_of("Café Ñuñoa"), "cafe-nunoa");
        assert_eq!(
            slug_of("  Providencia 2 — Av. Lyon "),
            "providencia-2-av-lyon"
        );
        assert_eq!(slug_of("¡¡!!"), "local");
    }

    #[test]
    fn plan_limits_are_what_the_site_sells() {
        assert_eq!(location_limit("basic"), Some(1));
        assert_eq!(location_limit("pro"), Some(3));
        assert_eq!(location_limit("enterprise"), None);
        assert_eq!(plan_name("pro"), ("Pro", "Pro"));
        assert_eq!(plan_name("enterprise"), ("Cadena", "Chain"));
    }

    proptest! {
        /// Whatever the name, the slug made from it is one the database accepts, so an
        /// add never fails on the slug it chose itself.
        #[test]
        fn every_name_makes_a_valid_slug(name in "\\PC{0,120}") {
            let slug = slug_of(&name);
            prop_assert!(is_valid_slug(&slug), "{slug:?}");
            // Room left for a "-999" suffix.
            prop_assert!(slug.len() <= SLUG_MAX - 3);
        }

        /// A copy's id depends on the target and the source only: the same on a retry,
        /// different at another location.
        #[test]
        fn copy_ids_are_stable_and_per_target(a in any::<u128>(), b in any::<u128>(), s in any::<u128>()) {
            let (a, b, s) = (LocationId(Uuid::from_u128(a)), LocationId(Uuid::from_u128(b)), Uuid::from_u128(s));
            prop_assert_eq!(copy_id(a, s), copy_id(a, s));
            prop_assert_ne!(copy_id(a, s), s);
            if a != b {
                prop_assert_ne!(copy_id(a, s), copy_id(b, s));
            }
        }
    }
}
