//! The menu: categories, items, modifier groups, ordering, the whole-menu tree the widget
//! and the assistant read, and CSV import/export.

use super::error::{ApiError, ErrorBody};
use super::extract::{Authorized, CsvBody, Json, Path, Query, perm};
use crate::audit::Actor;
use crate::events::EventKind;
use crate::menu::csv_io::{self, ImportReport};
use crate::menu::{
    self, CategoryChanges, ItemChanges, ItemView, MenuTree, ModifierGroupChanges, NewCategory,
    NewItem, NewModifierGroup, Reorder, ReorderOutcome,
};
use crate::state::AppState;
use crate::store::menu::{self as store, CategoryRecord, ItemFilter, ModifierGroupRecord};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use dysa_domain::ids::{CategoryId, ItemId, ModifierGroupId};
use dysa_web::photos::{self, PhotoBody};
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_menu))
        .routes(routes!(list_categories, create_category))
        .routes(routes!(get_category, update_category, delete_category))
        .routes(routes!(list_items, create_item))
        .routes(routes!(get_item, update_item, delete_item))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_photo, remove_photo))
                .layer(photos::body_limit()),
        )
        .routes(routes!(list_groups, create_group))
        .routes(routes!(get_group, update_group, delete_group))
        .routes(routes!(reorder))
        .routes(routes!(export_csv))
        .routes(routes!(import_csv))
}

fn menu_changed(state: &AppState, entity: &str, id: impl ToString, op: &str) {
    state.events.publish(
        EventKind::MenuUpdated,
        id.to_string(),
        json!({ "entity": entity, "op": op }),
    );
}

/// The active menu as one tree: active categories with their live items (sold-out ones
/// included, `available: false`) and each item's modifier groups. What the widget and the
/// assistant read.
#[utoipa::path(get, path = "/menu", tag = "menu", security(("bearer" = ["menu:read"])),
    responses((status = 200, body = MenuTree), (status = 403, body = ErrorBody)))]
async fn get_menu(
    State(state): State<AppState>,
    _: Authorized<perm::MenuRead>,
) -> Result<axum::Json<MenuTree>, ApiError> {
    Ok(axum::Json(menu::tree(&state.db.read).await?))
}

// ---------------------------------------------------------------- categories

/// Every category (inactive ones too), in menu order.
#[utoipa::path(get, path = "/menu/categories", tag = "menu", security(("bearer" = ["menu:read"])),
    responses((status = 200, body = Vec<CategoryRecord>), (status = 403, body = ErrorBody)))]
async fn list_categories(
    State(state): State<AppState>,
    _: Authorized<perm::MenuRead>,
) -> Result<axum::Json<Vec<CategoryRecord>>, ApiError> {
    Ok(axum::Json(store::list_categories(&state.db.read).await?))
}

/// Creates a category.
#[utoipa::path(post, path = "/menu/categories", tag = "menu", security(("bearer" = ["menu:write"])),
    request_body = NewCategory,
    responses(
        (status = 201, body = CategoryRecord),
        (status = 409, description = "Name in use", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn create_category(
    State(state): State<AppState>,
    _: Authorized<perm::MenuWrite>,
    Json(body): Json<NewCategory>,
) -> Result<(StatusCode, axum::Json<CategoryRecord>), ApiError> {
    let record = menu::create_category(&state.db, body).await?;
    menu_changed(&state, "category", record.id, "upsert");
    Ok((StatusCode::CREATED, axum::Json(record)))
}

/// One category.
#[utoipa::path(get, path = "/menu/categories/{id}", tag = "menu", security(("bearer" = ["menu:read"])),
    params(("id" = CategoryId, Path, description = "Category id")),
    responses((status = 200, body = CategoryRecord), (status = 404, body = ErrorBody)))]
async fn get_category(
    State(state): State<AppState>,
    _: Authorized<perm::MenuRead>,
    Path(id): Path<CategoryId>,
) -> Result<axum::Json<CategoryRecord>, ApiError> {
    let record = store::find_category(&state.db.read, id)
        .await?
        .ok_or_else(|| ApiError::not_found("La categoría", "The category"))?;
    Ok(axum::Json(record))
}

/// Changes a category's name, position or visibility.
#[utoipa::path(patch, path = "/menu/categories/{id}", tag = "menu", security(("bearer" = ["menu:write"])),
    params(("id" = CategoryId, Path, description = "Category id")),
    request_body = CategoryChanges,
    responses(
        (status = 200, body = CategoryRecord),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Name in use", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn update_category(
    State(state): State<AppState>,
    _: Authorized<perm::MenuWrite>,
    Path(id): Path<CategoryId>,
    Json(body): Json<CategoryChanges>,
) -> Result<axum::Json<CategoryRecord>, ApiError> {
    let record = menu::update_category(&state.db, id, body).await?;
    menu_changed(&state, "category", record.id, "upsert");
    Ok(axum::Json(record))
}

/// Deletes a category; refused (409) while it has items.
#[utoipa::path(delete, path = "/menu/categories/{id}", tag = "menu", security(("bearer" = ["menu:write"])),
    params(("id" = CategoryId, Path, description = "Category id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The category has items", body = ErrorBody),
    ))]
async fn delete_category(
    State(state): State<AppState>,
    _: Authorized<perm::MenuWrite>,
    Path(id): Path<CategoryId>,
) -> Result<StatusCode, ApiError> {
    menu::delete_category(&state.db, id).await?;
    menu_changed(&state, "category", id, "delete");
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------- items

/// Filters of the item list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ItemQuery {
    /// Only this category's items.
    pub category_id: Option<CategoryId>,
    /// Only available (true) or sold-out (false) items.
    pub available: Option<bool>,
    /// Text in the Spanish or English name.
    pub q: Option<String>,
}

/// Items (not deleted), in menu order, optionally filtered.
#[utoipa::path(get, path = "/menu/items", tag = "menu", security(("bearer" = ["menu:read"])),
    params(ItemQuery),
    responses(
        (status = 200, body = Vec<ItemView>),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn list_items(
    State(state): State<AppState>,
    _: Authorized<perm::MenuRead>,
    Query(query): Query<ItemQuery>,
) -> Result<axum::Json<Vec<ItemView>>, ApiError> {
    let filter = ItemFilter {
        category_id: query.category_id,
        available: query.available,
        q: query.q.filter(|q| !q.trim().is_empty()),
    };
    let items = store::list_items(&state.db.read, &filter).await?;
    Ok(axum::Json(items.into_iter().map(ItemView::from).collect()))
}

/// Creates an item.
#[utoipa::path(post, path = "/menu/items", tag = "menu", security(("bearer" = ["menu:write"])),
    request_body = NewItem,
    responses(
        (status = 201, body = ItemView),
        (status = 409, description = "Name in use in the category", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn create_item(
    State(state): State<AppState>,
    _: Authorized<perm::MenuWrite>,
    actor: Actor,
    Json(body): Json<NewItem>,
) -> Result<(StatusCode, axum::Json<ItemView>), ApiError> {
    let record = menu::create_item(&state.db, &actor, body).await?;
    menu_changed(&state, "item", record.id, "upsert");
    Ok((StatusCode::CREATED, axum::Json(ItemView::from(record))))
}

/// One item.
#[utoipa::path(get, path = "/menu/items/{id}", tag = "menu", security(("bearer" = ["menu:read"])),
    params(("id" = ItemId, Path, description = "Item id")),
    responses((status = 200, body = ItemView), (status = 404, body = ErrorBody)))]
async fn get_item(
    State(state): State<AppState>,
    _: Authorized<perm::MenuRead>,
    Path(id): Path<ItemId>,
) -> Result<axum::Json<ItemView>, ApiError> {
    let record = store::find_item(&state.db.read, id)
        .await?
        .ok_or_else(|| ApiError::not_found("El producto", "The item"))?;
    Ok(axum::Json(ItemView::from(record)))
}

/// Changes an item; `{"available": false}` marks it sold out.
#[utoipa::path(patch, path = "/menu/items/{id}", tag = "menu", security(("bearer" = ["menu:write"])),
    params(("id" = ItemId, Path, description = "Item id")),
    request_body = ItemChanges,
    responses(
        (status = 200, body = ItemView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Name in use in the category", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn update_item(
    State(state): State<AppState>,
    _: Authorized<perm::MenuWrite>,
    actor: Actor,
    Path(id): Path<ItemId>,
    Json(body): Json<ItemChanges>,
) -> Result<axum::Json<ItemView>, ApiError> {
    let record = menu::update_item(&state.db, &actor, id, body).await?;
    state.events.publish(
        EventKind::MenuUpdated,
        record.id.to_string(),
        json!({ "entity": "item", "op": "upsert", "available": record.available, "price": record.price }),
    );
    Ok(axum::Json(ItemView::from(record)))
}

/// Deletes an item (past orders keep their lines).
#[utoipa::path(delete, path = "/menu/items/{id}", tag = "menu", security(("bearer" = ["menu:write"])),
    params(("id" = ItemId, Path, description = "Item id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody)))]
async fn delete_item(
    State(state): State<AppState>,
    _: Authorized<perm::MenuWrite>,
    actor: Actor,
    Path(id): Path<ItemId>,
) -> Result<StatusCode, ApiError> {
    menu::delete_item(&state.db, &actor, id).await?;
    menu_changed(&state, "item", id, "delete");
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------- photos

/// Gives an item a photo: the body is the image itself (JPEG, PNG or WebP, up to 8 MB).
/// It is turned upright, shrunk to 800 px (and a 200 px thumbnail), re-encoded as JPEG
/// without its metadata, and kept by its sha256, which becomes the item's `photo`
/// (served at `/media/{photo}.jpg`, synced to the cloud and the other counters).
#[utoipa::path(post, path = "/menu/items/{id}/photo", tag = "menu", security(("bearer" = ["menu:write"])),
    params(("id" = ItemId, Path, description = "Item id")),
    request_body(content = Vec<u8>, description = "The photo", content_type = "image/jpeg"),
    responses(
        (status = 200, body = ItemView),
        (status = 404, body = ErrorBody),
        (status = 413, description = "Over 8 MB", body = ErrorBody),
        (status = 415, description = "Not declared as JPEG, PNG or WebP", body = ErrorBody),
        (status = 422, description = "Not a readable image, or too many pixels", body = ErrorBody),
    ))]
async fn upload_photo(
    State(state): State<AppState>,
    _: Authorized<perm::MenuWrite>,
    actor: Actor,
    Path(id): Path<ItemId>,
    PhotoBody(upload): PhotoBody,
) -> Result<axum::Json<ItemView>, ApiError> {
    let (photo, thumb) = photos::process(upload).await?;
    let record = menu::set_photo(&state.db, &actor, id, Some((&photo, &thumb))).await?;
    menu_changed(&state, "item", record.id, "upsert");
    Ok(axum::Json(ItemView::from(record)))
}

/// Takes an item's photo away (the item stays).
#[utoipa::path(delete, path = "/menu/items/{id}/photo", tag = "menu", security(("bearer" = ["menu:write"])),
    params(("id" = ItemId, Path, description = "Item id")),
    responses((status = 200, body = ItemView), (status = 404, body = ErrorBody)))]
async fn remove_photo(
    State(state): State<AppState>,
    _: Authorized<perm::MenuWrite>,
    actor: Actor,
    Path(id): Path<ItemId>,
) -> Result<axum::Json<ItemView>, ApiError> {
    let record = menu::set_photo(&state.db, &actor, id, None).await?;
    menu_changed(&state, "item", record.id, "upsert");
    Ok(axum::Json(ItemView::from(record)))
}

/// A menu photo (`{hash}.jpg`) or its thumbnail (`{hash}-thumb.jpg`). Public like the
/// menu itself (an `<img>` sends no token; the name is a 256-bit hash of the bytes), and
/// cached by browsers for a year: the name changes whenever the photo does.
#[utoipa::path(get, path = "/media/{file}", tag = "menu", security(()),
    params(("file" = String, Path, description = "`{hash}.jpg` or `{hash}-thumb.jpg`")),
    responses(
        (status = 200, description = "The JPEG", content_type = "image/jpeg", body = Vec<u8>),
        (status = 304, description = "The client's copy is current"),
        (status = 404, body = ErrorBody),
    ))]
pub async fn media(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    let (hash, variant) = photos::media_name(&file).ok_or_else(photos::not_found)?;
    let thumb = variant == photos::Variant::Thumb;
    let bytes = crate::store::media::bytes(&state.db.read, &hash, thumb)
        .await?
        .ok_or_else(photos::not_found)?;
    Ok(photos::serve(
        &headers,
        &hash,
        variant,
        bytes,
        photos::Caching::Public,
    ))
}

// ---------------------------------------------------------------- modifier groups

/// Every modifier group, by name.
#[utoipa::path(get, path = "/menu/modifier-groups", tag = "menu", security(("bearer" = ["menu:read"])),
    responses((status = 200, body = Vec<ModifierGroupRecord>), (status = 403, body = ErrorBody)))]
async fn list_groups(
    State(state): State<AppState>,
    _: Authorized<perm::MenuRead>,
) -> Result<axum::Json<Vec<ModifierGroupRecord>>, ApiError> {
    Ok(axum::Json(store::list_groups(&state.db.read).await?))
}

/// Creates a modifier group with its options.
#[utoipa::path(post, path = "/menu/modifier-groups", tag = "menu", security(("bearer" = ["menu:write"])),
    request_body = NewModifierGroup,
    responses((status = 201, body = ModifierGroupRecord), (status = 422, body = ErrorBody)))]
async fn create_group(
    State(state): State<AppState>,
    _: Authorized<perm::MenuWrite>,
    Json(body): Json<NewModifierGroup>,
) -> Result<(StatusCode, axum::Json<ModifierGroupRecord>), ApiError> {
    let record = menu::create_group(&state.db, body).await?;
    menu_changed(&state, "modifier_group", record.id, "upsert");
    Ok((StatusCode::CREATED, axum::Json(record)))
}

/// One modifier group.
#[utoipa::path(get, path = "/menu/modifier-groups/{id}", tag = "menu", security(("bearer" = ["menu:read"])),
    params(("id" = ModifierGroupId, Path, description = "Modifier group id")),
    responses((status = 200, body = ModifierGroupRecord), (status = 404, body = ErrorBody)))]
async fn get_group(
    State(state): State<AppState>,
    _: Authorized<perm::MenuRead>,
    Path(id): Path<ModifierGroupId>,
) -> Result<axum::Json<ModifierGroupRecord>, ApiError> {
    let record = store::find_group(&state.db.read, id)
        .await?
        .ok_or_else(|| ApiError::not_found("El grupo de modificadores", "The modifier group"))?;
    Ok(axum::Json(record))
}

/// Changes a modifier group; `options`, when sent, is the whole new list (options sent
/// with their `id` keep it).
#[utoipa::path(patch, path = "/menu/modifier-groups/{id}", tag = "menu", security(("bearer" = ["menu:write"])),
    params(("id" = ModifierGroupId, Path, description = "Modifier group id")),
    request_body = ModifierGroupChanges,
    responses(
        (status = 200, body = ModifierGroupRecord),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn update_group(
    State(state): State<AppState>,
    _: Authorized<perm::MenuWrite>,
    Path(id): Path<ModifierGroupId>,
    Json(body): Json<ModifierGroupChanges>,
) -> Result<axum::Json<ModifierGroupRecord>, ApiError> {
    let record = menu::update_group(&state.db, id, body).await?;
    menu_changed(&state, "modifier_group", record.id, "upsert");
    Ok(axum::Json(record))
}

/// Deletes a modifier group; refused (409) while items use it.
#[utoipa::path(delete, path = "/menu/modifier-groups/{id}", tag = "menu", security(("bearer" = ["menu:write"])),
    params(("id" = ModifierGroupId, Path, description = "Modifier group id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Items use the group", body = ErrorBody),
    ))]
async fn delete_group(
    State(state): State<AppState>,
    _: Authorized<perm::MenuWrite>,
    Path(id): Path<ModifierGroupId>,
) -> Result<StatusCode, ApiError> {
    menu::delete_group(&state.db, id).await?;
    menu_changed(&state, "modifier_group", id, "delete");
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------- order, CSV

/// Sets positions from lists of ids in their new order (drag to reorder).
#[utoipa::path(post, path = "/menu/reorder", tag = "menu", security(("bearer" = ["menu:write"])),
    request_body = Reorder,
    responses((status = 200, body = ReorderOutcome), (status = 422, body = ErrorBody)))]
async fn reorder(
    State(state): State<AppState>,
    _: Authorized<perm::MenuWrite>,
    Json(body): Json<Reorder>,
) -> Result<axum::Json<ReorderOutcome>, ApiError> {
    let outcome = menu::reorder(&state.db, body).await?;
    if outcome.categories_moved + outcome.items_moved > 0 {
        state.events.publish(
            EventKind::MenuUpdated,
            "",
            json!({ "entity": "menu", "op": "reorder" }),
        );
    }
    Ok(axum::Json(outcome))
}

/// The menu as CSV (the demo menu's columns plus `available`), for a spreadsheet.
#[utoipa::path(get, path = "/menu/export.csv", tag = "menu", security(("bearer" = ["menu:read"])),
    responses(
        (status = 200, content_type = "text/csv", body = String),
        (status = 403, body = ErrorBody),
    ))]
async fn export_csv(
    State(state): State<AppState>,
    _: Authorized<perm::MenuRead>,
) -> Result<impl IntoResponse, ApiError> {
    let text = csv_io::export(&state.db.read).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"menu.csv\"",
            ),
        ],
        text,
    ))
}

/// Imports a menu CSV: creates missing categories, upserts items by (category, name) and
/// creates the modifier groups it names, all or nothing (a bad row answers 422 with
/// fields like `row 7.price`).
#[utoipa::path(post, path = "/menu/import", tag = "menu", security(("bearer" = ["menu:write"])),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = ImportReport),
        (status = 400, description = "Not a readable CSV", body = ErrorBody),
        (status = 415, description = "Not text/csv", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn import_csv(
    State(state): State<AppState>,
    _: Authorized<perm::MenuWrite>,
    CsvBody(body): CsvBody,
) -> Result<axum::Json<ImportReport>, ApiError> {
    let report = csv_io::import(&state.db, &body).await?;
    state.events.publish(
        EventKind::MenuUpdated,
        "",
        json!({ "entity": "menu", "op": "import", "report": report }),
    );
    Ok(axum::Json(report))
}
