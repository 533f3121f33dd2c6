//! Menu items: creating, editing and deleting them, with the checks that tie an item to
//! a live category and live modifier groups, and the audit record of each change.

use super::*;

/// A new menu item.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    /// Its category (must exist).
    pub category_id: CategoryId,
    /// Spanish name (1–120 characters, unique in its category).
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Spanish description.
    #[serde(default)]
    pub description: Option<String>,
    /// English description.
    #[serde(default)]
    pub description_en: Option<String>,
    /// Price in pesos, IVA included (0–10.000.000).
    pub price: Clp,
    /// Where it is prepared (default kitchen).
    #[serde(default)]
    pub station: Option<Station>,
    /// Tags (`vegan`, `gluten_free`).
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Allergens (`milk`, `gluten`).
    #[serde(default)]
    pub allergens: Option<Vec<String>>,
    /// Its modifier groups, in order (each must exist).
    #[serde(default)]
    pub modifier_group_ids: Option<Vec<ModifierGroupId>>,
    /// Orderable (default true); false means sold out.
    #[serde(default)]
    pub available: Option<bool>,
    /// Sort order in its category; after the last item when absent.
    #[serde(default)]
    pub position: Option<i64>,
}

/// Changes to an item; absent fields stay, `null` clears an optional text.
/// `{"available": false}` marks it sold out.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemChanges {
    /// Move it to another category (at its end unless `position` is given).
    #[serde(default)]
    pub category_id: Option<CategoryId>,
    /// New Spanish name.
    #[serde(default)]
    pub name: Option<String>,
    /// New English name, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub name_en: Option<Option<String>>,
    /// New description, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// New English description, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description_en: Option<Option<String>>,
    /// New price in pesos.
    #[serde(default)]
    pub price: Option<Clp>,
    /// New station.
    #[serde(default)]
    pub station: Option<Station>,
    /// New tags (replace the old ones).
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// New allergens (replace the old ones).
    #[serde(default)]
    pub allergens: Option<Vec<String>>,
    /// New modifier groups, in order (replace the old ones).
    #[serde(default)]
    pub modifier_group_ids: Option<Vec<ModifierGroupId>>,
    /// Available (true) or sold out (false).
    #[serde(default)]
    pub available: Option<bool>,
    /// New sort order in its category.
    #[serde(default)]
    pub position: Option<i64>,
}

/// Checks what an item refers to: a live category, live modifier groups, and a name not
/// used by another live item of the category.
async fn check_item_refs(
    tx: &mut WriteTx,
    record: &ItemRecord,
    check_category: bool,
    check_groups: bool,
) -> Result<(), MenuError> {
    let mut errors = FieldErrors::new();
    if check_category
        && store::find_category(&mut **tx, record.category_id)
            .await?
            .is_none()
    {
        errors.add(
            "category_id",
            other("la categoría no existe", "the category does not exist"),
        );
    }
    if check_groups && !record.modifier_group_ids.is_empty() {
        let live: HashSet<ModifierGroupId> =
            store::live_group_ids(&mut **tx, &record.modifier_group_ids)
                .await?
                .into_iter()
                .collect();
        for (i, id) in record.modifier_group_ids.iter().enumerate() {
            errors.check(
                live.contains(id),
                &format!("modifier_group_ids[{i}]"),
                other(
                    "el grupo de modificadores no existe",
                    "the modifier group does not exist",
                ),
            );
        }
    }
    errors.into_result()?;
    let key = name_key(&record.name);
    let filter = store::ItemFilter {
        category_id: Some(record.category_id),
        ..store::ItemFilter::default()
    };
    let taken = store::list_items(&mut **tx, &filter)
        .await?
        .into_iter()
        .find(|i| i.id != record.id && name_key(&i.name) == key);
    match taken {
        Some(existing) => Err(MenuError::ItemNameTaken {
            existing: existing.id,
        }),
        None => Ok(()),
    }
}

/// Creates an item.
pub async fn create_item(db: &Db, actor: &Actor, input: NewItem) -> Result<ItemRecord, MenuError> {
    let mut record = ItemRecord {
        id: ItemId::new(),
        category_id: input.category_id,
        name: clean(&input.name),
        name_en: clean_optional(input.name_en),
        description: clean_optional(input.description),
        description_en: clean_optional(input.description_en),
        price: input.price,
        station: input.station.unwrap_or(Station::Kitchen),
        tags: clean_tags(input.tags.unwrap_or_default()),
        allergens: clean_tags(input.allergens.unwrap_or_default()),
        modifier_group_ids: input.modifier_group_ids.unwrap_or_default(),
        available: input.available.unwrap_or(true),
        position: input.position.unwrap_or(0),
        created_at: now_text(),
        updated_at: Hlc::ZERO,
        ..ItemRecord::default()
    };
    validate_item(&record).into_result()?;
    let mut tx = db.begin().await?;
    check_item_refs(&mut tx, &record, true, true).await?;
    if input.position.is_none() {
        record.position = store::next_item_position(&mut tx, record.category_id).await?;
    }
    record.updated_at = db.tick();
    store::save_item(&mut tx, &record).await?;
    let (_, after) = item_diff(None, &record)?;
    let event = actor.event(
        AuditAction::ItemCreated,
        "item",
        Some(record.id.to_string()),
        None,
        Some(after),
    );
    audit::record(&mut tx, &event, db.tick()).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}

/// An item's fields for the audit log: the ones that changed since `before` (all of
/// them for a new item), each side with the item's name so a reader knows which it was.
fn item_diff(before: Option<&ItemRecord>, after: &ItemRecord) -> Result<(Value, Value), MenuError> {
    let to_map = |record: &ItemRecord| -> Result<serde_json::Map<String, Value>, MenuError> {
        match serde_json::to_value(record).map_err(StoreError::from)? {
            Value::Object(mut map) => {
                map.retain(|k, _| !matches!(k.as_str(), "updated_at" | "deleted_at" | "id"));
                Ok(map)
            }
            _ => Ok(serde_json::Map::new()),
        }
    };
    let now = to_map(after)?;
    let Some(before) = before else {
        return Ok((Value::Null, Value::Object(now)));
    };
    let was = to_map(before)?;
    let mut old = serde_json::Map::new();
    let mut new = serde_json::Map::new();
    for (field, value) in &now {
        if was.get(field) != Some(value) || field == "name" {
            old.insert(field.clone(), was.get(field).cloned().unwrap_or_default());
            new.insert(field.clone(), value.clone());
        }
    }
    Ok((Value::Object(old), Value::Object(new)))
}

/// Changes an item (unchanged requests write nothing).
pub async fn update_item(
    db: &Db,
    actor: &Actor,
    id: ItemId,
    changes: ItemChanges,
) -> Result<ItemRecord, MenuError> {
    let mut tx = db.begin().await?;
    let before = store::find_item(&mut *tx, id)
        .await?
        .ok_or(MenuError::NotFound(MenuThing::Item))?;
    let mut record = before.clone();
    if let Some(category_id) = changes.category_id {
        record.category_id = category_id;
    }
    if let Some(name) = changes.name {
        record.name = clean(&name);
    }
    if let Some(name_en) = changes.name_en {
        record.name_en = clean_optional(name_en);
    }
    if let Some(description) = changes.description {
        record.description = clean_optional(description);
    }
    if let Some(description_en) = changes.description_en {
        record.description_en = clean_optional(description_en);
    }
    if let Some(price) = changes.price {
        record.price = price;
    }
    if let Some(station) = changes.station {
        record.station = station;
    }
    if let Some(tags) = changes.tags {
        record.tags = clean_tags(tags);
    }
    if let Some(allergens) = changes.allergens {
        record.allergens = clean_tags(allergens);
    }
    if let Some(groups) = changes.modifier_group_ids {
        record.modifier_group_ids = groups;
    }
    if let Some(available) = changes.available {
        record.available = available;
    }
    if let Some(position) = changes.position {
        record.position = position;
    }
    validate_item(&record).into_result()?;
    if record == before {
        return Ok(before);
    }
    let moved = record.category_id != before.category_id;
    check_item_refs(
        &mut tx,
        &record,
        moved,
        record.modifier_group_ids != before.modifier_group_ids,
    )
    .await?;
    if moved && changes.position.is_none() {
        record.position = store::next_item_position(&mut tx, record.category_id).await?;
    }
    commit_edit(db, tx, actor, &before, record).await
}

/// Writes an edited item (its row and outbox entry), the audit record of what changed,
/// and commits: the end of every edit of an existing item.
async fn commit_edit(
    db: &Db,
    mut tx: WriteTx,
    actor: &Actor,
    before: &ItemRecord,
    mut record: ItemRecord,
) -> Result<ItemRecord, MenuError> {
    record.updated_at = db.tick();
    store::save_item(&mut tx, &record).await?;
    let (was, now) = item_diff(Some(before), &record)?;
    let event = actor.event(
        AuditAction::ItemUpdated,
        "item",
        Some(record.id.to_string()),
        Some(was),
        Some(now),
    );
    audit::record(&mut tx, &event, db.tick()).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}

/// Gives an item a photo (already processed: `dysa_photo::process`, with its thumbnail)
/// or takes it away (`None`). The bytes are kept by hash in the same transaction as the
/// item's new `photo` field, so no synced item ever names a photo this counter lacks.
/// The old photo's bytes stay: past menus, caches and other items may still name them.
pub async fn set_photo(
    db: &Db,
    actor: &Actor,
    id: ItemId,
    photo: Option<(&dysa_photo::Photo, &[u8])>,
) -> Result<ItemRecord, MenuError> {
    let mut tx = db.begin().await?;
    let before = store::find_item(&mut *tx, id)
        .await?
        .ok_or(MenuError::NotFound(MenuThing::Item))?;
    let mut record = before.clone();
    record.photo = match photo {
        Some((photo, thumb)) => {
            crate::store::media::keep(&mut tx, photo, thumb, false).await?;
            Some(photo.hash.clone())
        }
        None => None,
    };
    if record == before {
        tx.commit().await?;
        return Ok(before);
    }
    commit_edit(db, tx, actor, &before, record).await
}

/// Tombstones an item. Past order lines keep pointing at it.
pub async fn delete_item(db: &Db, actor: &Actor, id: ItemId) -> Result<ItemRecord, MenuError> {
    let mut tx = db.begin().await?;
    let mut record = store::find_item(&mut *tx, id)
        .await?
        .ok_or(MenuError::NotFound(MenuThing::Item))?;
    let hlc = db.tick();
    record.updated_at = hlc;
    record.deleted_at = Some(hlc);
    store::save_item(&mut tx, &record).await?;
    let event = actor.event(
        AuditAction::ItemDeleted,
        "item",
        Some(record.id.to_string()),
        Some(serde_json::json!({ "name": record.name, "price": record.price })),
        None,
    );
    audit::record(&mut tx, &event, db.tick()).await?;
    tx.commit().await?;
    db.menu_cache.invalidate();
    Ok(record)
}
