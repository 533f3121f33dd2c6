//! The menus of the tenant's locations, and owners' item edits (merged like a device's
//! mutation, see `menu_edits`; sync carries them to the restaurants).

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Json, Path, Query, perm};
use crate::menu_edits::{self, ItemFields};
use crate::state::AppState;
use crate::store::owners::{self, CategoryRow, ItemRow, ModifierGroupRow};
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::ids::LocationId;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use dysa_web::photos::{self, PhotoBody};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(menu))
        .routes(routes!(create_item))
        .routes(routes!(create_category))
        .routes(routes!(item, update_item))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_photo, remove_photo))
                .layer(photos::body_limit()),
        )
        .routes(routes!(media))
}

/// Scope of the menu.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct MenuQuery {
    /// Only this location.
    #[param(value_type = Option<String>, format = Uuid)]
    pub location_id: Option<LocationId>,
}

/// The whole menu: categories, items and modifier groups.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Menu {
    /// Categories.
    pub categories: Vec<CategoryRow>,
    /// Items.
    pub items: Vec<ItemRow>,
    /// Modifier groups.
    pub modifier_groups: Vec<ModifierGroupRow>,
}

/// The menu of every location (or one).
#[utoipa::path(get, path = "/menu", tag = "menu", security(("bearer" = ["menu:read"])),
    params(MenuQuery),
    responses((status = 200, body = Menu)))]
async fn menu(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::MenuRead>,
    Query(q): Query<MenuQuery>,
) -> Result<axum::Json<Menu>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    Ok(axum::Json(Menu {
        categories: owners::categories(&mut tx, q.location_id).await?,
        items: owners::items(&mut tx, q.location_id).await?,
        modifier_groups: owners::modifier_groups(&mut tx, q.location_id).await?,
    }))
}

fn item_not_found() -> ApiError {
    ApiError::not_found("El producto", "The item")
}

/// One item.
#[utoipa::path(get, path = "/menu/items/{id}", tag = "menu", security(("bearer" = ["menu:read"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ItemRow), (status = 404, body = ErrorBody)))]
async fn item(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::MenuRead>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<ItemRow>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    owners::item(&mut tx, id)
        .await?
        .map(axum::Json)
        .ok_or_else(item_not_found)
}

/// A new item.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewItem {
    /// Its category (which decides the location).
    pub category_id: Uuid,
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Price with IVA, CLP.
    pub price: i64,
    /// Available (default true).
    #[serde(default)]
    pub available: Option<bool>,
}

/// Changes to an item; absent fields stay.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ItemChanges {
    /// Category (same location).
    #[serde(default)]
    pub category_id: Option<Uuid>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Price.
    #[serde(default)]
    pub price: Option<i64>,
    /// Available.
    #[serde(default)]
    pub available: Option<bool>,
    /// Its modifier groups, in the order the counter asks them (each one of the item's
    /// location); `[]` takes them all off.
    #[serde(default)]
    pub modifier_group_ids: Option<Vec<Uuid>>,
}

/// Most modifier groups on one item.
const MAX_GROUPS: usize = 20;

/// The groups asked for, when every one is a live group of `location` and none repeats;
/// else a field error on `modifier_group_ids`.
async fn checked_groups(
    tx: &mut crate::store::Tx,
    location: LocationId,
    ids: Vec<Uuid>,
) -> Result<Vec<Uuid>, ApiError> {
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    let known = owners::known_modifier_groups(tx, location, &unique).await?;
    if ids.len() > MAX_GROUPS || unique.len() != ids.len() || known.len() != unique.len() {
        let mut errors = FieldErrors::new();
        errors.add(
            "modifier_group_ids",
            FieldIssue::Other {
                es: format!("deben ser grupos de este local, sin repetir, hasta {MAX_GROUPS}"),
                en: format!("must be this location's groups, no repeats, at most {MAX_GROUPS}"),
            },
        );
        return Err(errors.into());
    }
    Ok(ids)
}

/// A new category of a location's menu.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewCategory {
    /// The location whose menu gets it.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Name ("Postres").
    pub name: String,
    /// English name, shown to diners who read English.
    #[serde(default)]
    pub name_en: Option<String>,
}

/// Adds a category, last in the location's menu; it reaches the counters by sync.
#[utoipa::path(post, path = "/menu/categories", tag = "menu", security(("bearer" = ["menu:write"])),
    request_body = NewCategory,
    responses((status = 201, body = CategoryRow), (status = 422, body = ErrorBody)))]
async fn create_category(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::MenuWrite>,
    Json(body): Json<NewCategory>,
) -> Result<(StatusCode, axum::Json<CategoryRow>), ApiError> {
    let name = body.name.trim().to_owned();
    let name_en = body
        .name_en
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let mut errors = FieldErrors::new();
    errors.text("name", &name, 80);
    errors.optional_text("name_en", name_en.as_deref(), 80);
    errors.into_result()?;
    let mut tx = caller.tx(&state.db).await?;
    let known = crate::store::tenants::list_locations(&mut tx)
        .await?
        .iter()
        .any(|l| l.id == body.location_id);
    if !known {
        let mut errors = FieldErrors::new();
        errors.add(
            "location_id",
            FieldIssue::Other {
                es: "no existe".into(),
                en: "does not exist".into(),
            },
        );
        return Err(errors.into());
    }
    let id = Uuid::now_v7();
    let position = owners::next_category_position(&mut tx, body.location_id).await?;
    menu_edits::create_category(
        &state,
        &mut tx,
        body.location_id,
        id,
        position,
        &name,
        name_en.as_deref(),
    )
    .await?;
    let row = owners::category(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("La categoría", "The category"))?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(row)))
}

const MAX_PRICE: i64 = 100_000_000;

fn check_item(name: &str, price: i64, description: Option<&str>) -> Result<(), ApiError> {
    let mut errors = FieldErrors::new();
    errors.text("name", name, 120);
    errors.optional_text("description", description, 1000);
    if !(0..=MAX_PRICE).contains(&price) {
        errors.add(
            "price",
            FieldIssue::OutOfRange {
                min: 0,
                max: MAX_PRICE,
            },
        );
    }
    Ok(errors.into_result()?)
}

fn unknown_category() -> ApiError {
    let mut errors = FieldErrors::new();
    errors.add(
        "category_id",
        FieldIssue::Other {
            es: "no existe".into(),
            en: "does not exist".into(),
        },
    );
    errors.into()
}

/// Adds an item to a location's menu.
#[utoipa::path(post, path = "/menu/items", tag = "menu", security(("bearer" = ["menu:write"])),
    request_body = NewItem,
    responses((status = 201, body = ItemRow), (status = 422, body = ErrorBody)))]
async fn create_item(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::MenuWrite>,
    Json(body): Json<NewItem>,
) -> Result<(StatusCode, axum::Json<ItemRow>), ApiError> {
    check_item(&body.name, body.price, body.description.as_deref())?;
    let mut tx = caller.tx(&state.db).await?;
    let category = owners::category(&mut tx, body.category_id)
        .await?
        .ok_or_else(unknown_category)?;
    let id = Uuid::now_v7();
    let position = owners::next_item_position(&mut tx, category.id).await?;
    let fields = ItemFields {
        category_id: category.id,
        name: body.name.trim().to_owned(),
        description: body.description,
        price: body.price,
        available: body.available.unwrap_or(true),
        modifier_group_ids: None,
    };
    menu_edits::create_item(&state, &mut tx, category.location_id, id, position, fields).await?;
    let row = owners::item(&mut tx, id)
        .await?
        .ok_or_else(item_not_found)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(row)))
}

/// Changes an item.
#[utoipa::path(patch, path = "/menu/items/{id}", tag = "menu", security(("bearer" = ["menu:write"])),
    params(("id" = Uuid, Path)), request_body = ItemChanges,
    responses((status = 200, body = ItemRow), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_item(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::MenuWrite>,
    Path(id): Path<Uuid>,
    Json(body): Json<ItemChanges>,
) -> Result<axum::Json<ItemRow>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let current = owners::item(&mut tx, id)
        .await?
        .ok_or_else(item_not_found)?;
    let name = body.name.unwrap_or_else(|| current.name.clone());
    let price = body.price.unwrap_or(current.price);
    let description = body.description.or_else(|| current.description.clone());
    check_item(&name, price, description.as_deref())?;
    let category_id = match body.category_id {
        Some(category) => {
            let found = owners::category(&mut tx, category).await?;
            match found {
                Some(c) if c.location_id == current.location_id => c.id,
                _ => return Err(unknown_category()),
            }
        }
        None => current.category_id,
    };
    let modifier_group_ids = match body.modifier_group_ids {
        Some(ids) => Some(checked_groups(&mut tx, current.location_id, ids).await?),
        None => None,
    };
    let fields = ItemFields {
        category_id,
        name: name.trim().to_owned(),
        description,
        price,
        available: body.available.unwrap_or(current.available),
        modifier_group_ids,
    };
    menu_edits::update_item(&state, &mut tx, &current, fields).await?;
    let row = owners::item(&mut tx, id)
        .await?
        .ok_or_else(item_not_found)?;
    tx.commit().await?;
    Ok(axum::Json(row))
}

/// Gives an item a photo from the owners' dashboard: the body is the image (JPEG, PNG or
/// WebP, up to 8 MB), made into the same 800 px JPEG a counter makes (`dysa-photo`), kept
/// by hash and named in the item's synced `photo`, which the counters pull (and then
/// fetch the bytes).
#[utoipa::path(post, path = "/menu/items/{id}/photo", tag = "menu", security(("bearer" = ["menu:write"])),
    params(("id" = Uuid, Path)),
    request_body(content = Vec<u8>, description = "The photo", content_type = "image/jpeg"),
    responses(
        (status = 200, body = ItemRow),
        (status = 404, body = ErrorBody),
        (status = 413, description = "Over 8 MB", body = ErrorBody),
        (status = 415, description = "Not declared as JPEG, PNG or WebP", body = ErrorBody),
        (status = 422, description = "Not a readable image, or too many pixels", body = ErrorBody),
    ))]
async fn upload_photo(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::MenuWrite>,
    Path(id): Path<Uuid>,
    PhotoBody(upload): PhotoBody,
) -> Result<axum::Json<ItemRow>, ApiError> {
    let (photo, thumb) = photos::process(upload).await?;
    let mut tx = caller.tx(&state.db).await?;
    let current = owners::item(&mut tx, id)
        .await?
        .ok_or_else(item_not_found)?;
    crate::store::media::keep(&mut tx, &photo, &thumb).await?;
    menu_edits::set_photo(&state, &mut tx, &current, Some(photo.hash)).await?;
    let row = owners::item(&mut tx, id)
        .await?
        .ok_or_else(item_not_found)?;
    tx.commit().await?;
    Ok(axum::Json(row))
}

/// Takes an item's photo away (the counters pull the change).
#[utoipa::path(delete, path = "/menu/items/{id}/photo", tag = "menu", security(("bearer" = ["menu:write"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ItemRow), (status = 404, body = ErrorBody)))]
async fn remove_photo(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::MenuWrite>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<ItemRow>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let current = owners::item(&mut tx, id)
        .await?
        .ok_or_else(item_not_found)?;
    menu_edits::set_photo(&state, &mut tx, &current, None).await?;
    let row = owners::item(&mut tx, id)
        .await?
        .ok_or_else(item_not_found)?;
    tx.commit().await?;
    Ok(axum::Json(row))
}

/// A menu photo of the tenant (`{hash}.jpg`) or its thumbnail (`{hash}-thumb.jpg`), for
/// the dashboard's menu editor: read with the session cookie an `<img>` sends, cached by
/// that browser only.
#[utoipa::path(get, path = "/media/{file}", tag = "menu", security(("bearer" = ["menu:read"])),
    params(("file" = String, Path, description = "`{hash}.jpg` or `{hash}-thumb.jpg`")),
    responses(
        (status = 200, description = "The JPEG", content_type = "image/jpeg", body = Vec<u8>),
        (status = 304, description = "The browser's copy is current"),
        (status = 404, body = ErrorBody),
    ))]
async fn media(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::MenuRead>,
    Path(file): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    let (hash, variant) = photos::media_name(&file).ok_or_else(photos::not_found)?;
    let mut tx = caller.tx(&state.db).await?;
    let bytes =
        crate::store::media::bytes(&mut tx, &hash, variant == photos::Variant::Thumb).await?;
    tx.commit().await?;
    let bytes = bytes.ok_or_else(photos::not_found)?;
    Ok(photos::serve(
        &headers,
        &hash,
        variant,
        bytes,
        photos::Caching::Private,
    ))
}
