//! Modifier groups and their options: creating, editing (an option keeps its id while its
//! name stays) and deleting them.

use super::*;

/// One option of a modifier group as the editor sends it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionInput {
    /// The option's id when editing an existing option (it keeps its id); absent for a
    /// new option.
    #[serde(default)]
    pub id: Option<ModifierOptionId>,
    /// Spanish name (unique in the group; no `;` or `|`).
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Added to the item's price (may be negative).
    pub price_delta: Clp,
    /// Can be chosen (default true).
    #[serde(default)]
    pub available: Option<bool>,
}

/// A new modifier group.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewModifierGroup {
    /// Spanish name (no `:`, `;` or `|`).
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// At least this many options must be chosen.
    pub min_choices: u8,
    /// At most this many options may be chosen (1+, not below `min_choices`).
    pub max_choices: u8,
    /// The options, in order (at least one).
    pub options: Vec<OptionInput>,
}

/// Changes to a modifier group; absent fields stay. `options`, when given, is the whole
/// new list: options sent with their id keep it, new ones get new ids, missing ones are
/// removed.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModifierGroupChanges {
    /// New Spanish name.
    #[serde(default)]
    pub name: Option<String>,
    /// New English name, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub name_en: Option<Option<String>>,
    /// New minimum.
    #[serde(default)]
    pub min_choices: Option<u8>,
    /// New maximum.
    #[serde(default)]
    pub max_choices: Option<u8>,
    /// The new list of options.
    #[serde(default)]
    pub options: Option<Vec<OptionInput>>,
}

/// Turns the editor's options into stored ones: a sent id must be one of the group's
/// current options (it keeps it), no id makes a new option.
fn build_options(
    inputs: Vec<OptionInput>,
    current: &[ModifierOption],
) -> Result<Vec<ModifierOption>, FieldErrors> {
    let known: HashSet<ModifierOptionId> = current.iter().map(|o| o.id).collect();
    let mut errors = FieldErrors::new();
    let options = inputs
        .into_iter()
        .enumerate()
        .map(|(o, input)| {
            let id = match input.id {
                Some(id) => {
                    errors.check(
                        known.contains(&id),
                        &format!("options[{o}].id"),
                        other(
                            "no es una opción de este grupo",
                            "is not an option of this group",
                        ),
                    );
                    id
                }
                None => ModifierOptionId::new(),
            };
            ModifierOption {
                id,
                name: clean(&input.name),
                name_en: clean_optional(input.name_en),
                price_delta: input.price_delta,
                available: input.available.unwrap_or(true),
            }
        })
        .collect();
    errors.into_result().map(|()| options)
}

/// Creates a modifier group.
pub async fn create_group(
    db: &Db,
    input: NewModifierGroup,
) -> Result<ModifierGroupRecord, MenuError> {
    let options = build_options(input.options, &[]);
    let mut record = ModifierGroupRecord {
        id: ModifierGroupId::new(),
        name: clean(&input.name),
        name_en: clean_optional(input.name_en),
        min_choices: input.min_choices,
        max_choices: input.max_choices,
        options: Vec::new(),
        created_at: now_text(),
        updated_at: Hlc::ZERO,
        deleted_at: None,
    };
    let mut errors = match options {
        Ok(options) => {
            record.options = options;
            FieldErrors::new()
        }
        Err(errors) => errors,
    };
    for (field, issue) in validate_group(&record).0 {
        errors.add(field, issue);
    }
    errors.into_result()?;
    let mut tx = db.begin().await?;
    record.updated_at = db.tick();
    store::save_group(&mut tx, &record).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}

/// Changes a modifier group (unchanged requests write nothing).
pub async fn update_group(
    db: &Db,
    id: ModifierGroupId,
    changes: ModifierGroupChanges,
) -> Result<ModifierGroupRecord, MenuError> {
    let mut tx = db.begin().await?;
    let before = store::find_group(&mut *tx, id)
        .await?
        .ok_or(MenuError::NotFound(MenuThing::ModifierGroup))?;
    let mut record = before.clone();
    let mut errors = FieldErrors::new();
    if let Some(name) = changes.name {
        record.name = clean(&name);
    }
    if let Some(name_en) = changes.name_en {
        record.name_en = clean_optional(name_en);
    }
    if let Some(min) = changes.min_choices {
        record.min_choices = min;
    }
    if let Some(max) = changes.max_choices {
        record.max_choices = max;
    }
    if let Some(options) = changes.options {
        match build_options(options, &before.options) {
            Ok(options) => record.options = options,
            Err(bad) => errors = bad,
        }
    }
    for (field, issue) in validate_group(&record).0 {
        errors.add(field, issue);
    }
    errors.into_result()?;
    if record == before {
        return Ok(before);
    }
    record.updated_at = db.tick();
    store::save_group(&mut tx, &record).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}

/// Tombstones a modifier group; refused while live items use it.
pub async fn delete_group(db: &Db, id: ModifierGroupId) -> Result<ModifierGroupRecord, MenuError> {
    let mut tx = db.begin().await?;
    let mut record = store::find_group(&mut *tx, id)
        .await?
        .ok_or(MenuError::NotFound(MenuThing::ModifierGroup))?;
    let items = store::items_using_group(&mut *tx, id).await?;
    if !items.is_empty() {
        return Err(MenuError::GroupInUse { items });
    }
    let hlc = db.tick();
    record.updated_at = hlc;
    record.deleted_at = Some(hlc);
    store::save_group(&mut tx, &record).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}
