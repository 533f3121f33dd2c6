//! The menu: categories, items, modifier groups, the tree, reordering, CSV import and
//! export, the outbox rows every change writes, and the pricing lookup for orders.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Auth, Reply, TestApp};
use dysa_appliance::store::menu::items_for_pricing;
use dysa_domain::ids::{ItemId, ModifierOptionId};
use dysa_domain::money::Clp;
use serde_json::{Value, json};

const DEMO_MENU: &str = include_str!("data/demo-menu.csv");

async fn import_csv(app: &TestApp, csv: &str, token: &str) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/menu/import")
        .header(header::HOST, "127.0.0.1:7001")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .body(Body::from(csv.to_owned()))
        .unwrap();
    app.send(request).await
}

async fn export_csv(app: &TestApp, token: &str) -> String {
    let reply = app.get("/api/v1/menu/export.csv", token).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert!(
        reply.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    reply.body.as_str().unwrap().to_owned()
}

async fn category(app: &TestApp, token: &str, name: &str) -> String {
    let reply = app
        .post("/api/v1/menu/categories", json!({ "name": name }), token)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

async fn item(app: &TestApp, token: &str, body: Value) -> Value {
    let reply = app.post("/api/v1/menu/items", body, token).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body
}

/// The menu's pending outbox rows (the audit log's own rows, `tests/audit.rs`, left out).
async fn outbox(app: &TestApp) -> Vec<dysa_appliance::store::outbox::OutboxRow> {
    dysa_appliance::store::outbox::pending(&app.state.db.read, 10_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.entity != "audit_event")
        .collect()
}

fn field<'a>(reply: &'a Reply, name: &str) -> &'a Value {
    &reply.body["error"]["fields"][name]
}

#[tokio::test]
async fn categories_crud_with_conflicts_and_tombstones() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let created = app
        .post(
            "/api/v1/menu/categories",
            json!({ "name": " Entradas ", "name_en": "Starters" }),
            &admin,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["name"], "Entradas");
    assert_eq!(created.body["active"], true);
    assert_eq!(created.body["position"], 0);
    assert!(created.body.get("deleted_at").is_none());
    let second = category(&app, &admin, "Platos").await;

    let list = app.get("/api/v1/menu/categories", &admin).await;
    let names: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Entradas", "Platos"]);

    let taken = app
        .post(
            "/api/v1/menu/categories",
            json!({ "name": "ENTRADAS" }),
            &admin,
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.code(), "category_name_taken");
    assert_eq!(taken.body["error"]["details"]["existing_id"], id.as_str());

    let changed = app
        .patch(
            &format!("/api/v1/menu/categories/{id}"),
            json!({ "name_en": null, "active": false }),
            &admin,
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    assert_eq!(changed.body["name"], "Entradas", "absent fields stay");
    assert_eq!(changed.body["name_en"], Value::Null, "null clears");
    assert_eq!(changed.body["active"], false);

    let blank = app
        .patch(
            &format!("/api/v1/menu/categories/{id}"),
            json!({ "name": "  " }),
            &admin,
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field(&blank, "name").is_string());

    // A category with items cannot go; an empty one is tombstoned.
    let lomo = item(
        &app,
        &admin,
        json!({ "category_id": second, "name": "Lomo a lo pobre", "price": 13990 }),
    )
    .await;
    let refused = app
        .delete(&format!("/api/v1/menu/categories/{second}"), &admin)
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.code(), "category_in_use");
    assert_eq!(refused.body["error"]["details"]["item_ids"][0], lomo["id"]);
    let gone = app
        .delete(&format!("/api/v1/menu/categories/{id}"), &admin)
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let after = app
        .get(&format!("/api/v1/menu/categories/{id}"), &admin)
        .await;
    assert_eq!(after.status, StatusCode::NOT_FOUND);
    let deleted_at: Option<String> =
        sqlx::query_scalar("SELECT deleted_at FROM menu_categories WHERE id = ?")
            .bind(&id)
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert!(deleted_at.is_some(), "tombstoned, not removed");
    // The name is free again once the old one is tombstoned.
    category(&app, &admin, "Entradas").await;
}

#[tokio::test]
async fn items_crud_filters_and_the_sold_out_toggle() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let platos = category(&app, &admin, "Platos").await;
    let bebidas = category(&app, &admin, "Bebidas").await;
    let lomo = item(
        &app,
        &admin,
        json!({
            "category_id": platos, "name": "Lomo a lo pobre", "name_en": "Steak a lo pobre",
            "description": "Con papas fritas y dos huevos", "price": 13990,
            "tags": ["  popular ", "popular", ""], "allergens": ["egg"],
        }),
    )
    .await;
    assert_eq!(lomo["price"], 13990);
    assert_eq!(lomo["price_display"], "$13.990");
    assert_eq!(lomo["station"], "kitchen");
    assert_eq!(lomo["available"], true);
    assert_eq!(lomo["tags"], json!(["popular"]), "trimmed and deduplicated");
    assert_eq!(lomo["position"], 0);
    let id = lomo["id"].as_str().unwrap().to_owned();
    let pisco = item(
        &app,
        &admin,
        json!({ "category_id": bebidas, "name": "Pisco sour", "price": 4990, "station": "bar" }),
    )
    .await;
    item(
        &app,
        &admin,
        json!({ "category_id": platos, "name": "Charquicán", "price": 8990 }),
    )
    .await;

    let one = app.get(&format!("/api/v1/menu/items/{id}"), &admin).await;
    assert_eq!(one.body["name_en"], "Steak a lo pobre");

    // One-tap sold out, then a price change; other fields stay.
    let sold_out = app
        .patch(
            &format!("/api/v1/menu/items/{id}"),
            json!({ "available": false }),
            &admin,
        )
        .await;
    assert_eq!(sold_out.status, StatusCode::OK, "{:?}", sold_out.body);
    assert_eq!(sold_out.body["available"], false);
    assert_eq!(sold_out.body["price"], 13990);
    let repriced = app
        .patch(
            &format!("/api/v1/menu/items/{id}"),
            json!({ "price": 11990, "description": null }),
            &admin,
        )
        .await;
    assert_eq!(repriced.body["price"], 11990);
    assert_eq!(repriced.body["price_display"], "$11.990");
    assert_eq!(repriced.body["available"], false);
    assert_eq!(repriced.body["description"], Value::Null);

    let names = |reply: &Reply| -> Vec<String> {
        reply
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = app.get("/api/v1/menu/items", &admin).await;
    assert_eq!(
        names(&all),
        ["Lomo a lo pobre", "Charquicán", "Pisco sour"],
        "menu order: category, then position"
    );
    let in_platos = app
        .get(&format!("/api/v1/menu/items?category_id={platos}"), &admin)
        .await;
    assert_eq!(names(&in_platos), ["Lomo a lo pobre", "Charquicán"]);
    let sold = app.get("/api/v1/menu/items?available=false", &admin).await;
    assert_eq!(names(&sold), ["Lomo a lo pobre"]);
    let search = app.get("/api/v1/menu/items?q=SOUR", &admin).await;
    assert_eq!(names(&search), ["Pisco sour"]);
    let search_en = app.get("/api/v1/menu/items?q=steak", &admin).await;
    assert_eq!(names(&search_en), ["Lomo a lo pobre"]);
    let wildcard = app.get("/api/v1/menu/items?q=%25", &admin).await;
    assert_eq!(names(&wildcard).len(), 0, "% is searched literally");
    let bad_filter = app.get("/api/v1/menu/items?available=maybe", &admin).await;
    assert_eq!(bad_filter.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Moving to another category puts it at the end there.
    let moved = app
        .patch(
            &format!("/api/v1/menu/items/{}", pisco["id"].as_str().unwrap()),
            json!({ "category_id": platos }),
            &admin,
        )
        .await;
    assert_eq!(moved.body["position"], 2);

    let duplicate = app
        .post(
            "/api/v1/menu/items",
            json!({ "category_id": platos, "name": "lomo a lo pobre", "price": 1 }),
            &admin,
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.code(), "item_name_taken");
    assert_eq!(
        duplicate.body["error"]["details"]["existing_id"],
        id.as_str()
    );

    let gone = app
        .delete(&format!("/api/v1/menu/items/{id}"), &admin)
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/api/v1/menu/items/{id}"), &admin)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        names(&app.get("/api/v1/menu/items", &admin).await),
        ["Charquicán", "Pisco sour"]
    );
}

#[tokio::test]
async fn bad_item_input_answers_422_with_fields_and_writes_nothing() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let platos = category(&app, &admin, "Platos").await;
    let before = outbox(&app).await.len();
    let cases = [
        (
            json!({ "category_id": platos, "name": "", "price": 100 }),
            "name",
        ),
        (
            json!({ "category_id": platos, "name": "x".repeat(121), "price": 100 }),
            "name",
        ),
        (
            json!({ "category_id": platos, "name": "Ok", "price": -1 }),
            "price",
        ),
        (
            json!({ "category_id": platos, "name": "Ok", "price": 10_000_001 }),
            "price",
        ),
        (
            json!({ "category_id": platos, "name": "Ok", "price": 12.5 }),
            "price",
        ),
        (
            json!({ "category_id": platos, "name": "Ok", "price": "mil" }),
            "price",
        ),
        (json!({ "category_id": platos, "name": "Ok" }), "price"),
        (
            json!({ "category_id": platos, "name": "Ok", "price": 1, "station": "grill" }),
            "station",
        ),
        (
            json!({ "category_id": uuid::Uuid::now_v7(), "name": "Ok", "price": 1 }),
            "category_id",
        ),
        (
            json!({ "category_id": "not-a-uuid", "name": "Ok", "price": 1 }),
            "category_id",
        ),
        (
            json!({ "category_id": platos, "name": "Ok", "price": 1, "modifier_group_ids": [uuid::Uuid::now_v7()] }),
            "modifier_group_ids[0]",
        ),
        (
            json!({ "category_id": platos, "name": "Ok", "price": 1, "tags": ["a;b"] }),
            "tags[0]",
        ),
        (
            json!({ "category_id": platos, "name": "Ok", "price": 1, "colour": "red" }),
            "body",
        ),
    ];
    for (body, expected) in cases {
        let reply = app.post("/api/v1/menu/items", body.clone(), &admin).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body} → {:?}",
            reply.body
        );
        assert_eq!(reply.code(), "validation_failed");
        let fields = reply.body["error"]["fields"].as_object().unwrap();
        assert!(
            fields.contains_key(expected) || (expected == "body" && !fields.is_empty()),
            "{body}: expected field {expected}, got {fields:?}"
        );
    }
    // The largest price is accepted, and zero too (a free item).
    item(
        &app,
        &admin,
        json!({ "category_id": platos, "name": "Caro", "price": 10_000_000 }),
    )
    .await;
    item(
        &app,
        &admin,
        json!({ "category_id": platos, "name": "Gratis", "price": 0 }),
    )
    .await;
    assert_eq!(
        outbox(&app).await.len(),
        before + 2,
        "only the two good ones"
    );

    // Unknown or unparseable ids are 404 on every item route.
    for path in [
        format!("/api/v1/menu/items/{}", uuid::Uuid::now_v7()),
        "/api/v1/menu/items/nope".to_owned(),
        format!("/api/v1/menu/categories/{}", uuid::Uuid::now_v7()),
        format!("/api/v1/menu/modifier-groups/{}", uuid::Uuid::now_v7()),
    ] {
        assert_eq!(app.get(&path, &admin).await.status, StatusCode::NOT_FOUND);
        let patched = app.patch(&path, json!({ "name": "x" }), &admin).await;
        assert_eq!(patched.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(patched.code(), "not_found");
        assert_eq!(
            app.delete(&path, &admin).await.status,
            StatusCode::NOT_FOUND
        );
    }
    let wrong_type = app
        .call(
            Method::POST,
            "/api/v1/menu/items",
            Value::Null,
            Auth::Bearer(&admin),
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn modifier_groups_validate_and_keep_option_ids() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let bad = app
        .post(
            "/api/v1/menu/modifier-groups",
            json!({ "name": "Término", "min_choices": 2, "max_choices": 1,
                    "options": [{ "name": "Jugoso", "price_delta": 0 }] }),
            &admin,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field(&bad, "min_choices").is_string(), "{:?}", bad.body);

    let bad_names = app
        .post(
            "/api/v1/menu/modifier-groups",
            json!({ "name": "Extra: queso", "min_choices": 0, "max_choices": 0,
                    "options": [{ "name": "A | B", "price_delta": 0 },
                                { "name": "Doble", "price_delta": 1 },
                                { "name": "doble ", "price_delta": 2 }] }),
            &admin,
        )
        .await;
    assert_eq!(bad_names.status, StatusCode::UNPROCESSABLE_ENTITY);
    for name in ["name", "max_choices", "options[0].name", "options[2].name"] {
        assert!(
            field(&bad_names, name).is_string(),
            "{name}: {:?}",
            bad_names.body
        );
    }
    let no_options = app
        .post(
            "/api/v1/menu/modifier-groups",
            json!({ "name": "Vacío", "min_choices": 0, "max_choices": 1, "options": [] }),
            &admin,
        )
        .await;
    assert!(field(&no_options, "options").is_string());
    let wide = app
        .post(
            "/api/v1/menu/modifier-groups",
            json!({ "name": "X", "min_choices": 300, "max_choices": 1, "options": [] }),
            &admin,
        )
        .await;
    assert_eq!(wide.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field(&wide, "min_choices").is_string());

    let created = app
        .post(
            "/api/v1/menu/modifier-groups",
            json!({ "name": "Término", "name_en": "Doneness", "min_choices": 1, "max_choices": 1,
                    "options": [{ "name": "Jugoso", "price_delta": 0 },
                                { "name": "A punto", "name_en": "Medium", "price_delta": 0 }] }),
            &admin,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let gid = created.body["id"].as_str().unwrap().to_owned();
    let jugoso = created.body["options"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(created.body["options"][0]["available"], true);
    assert_eq!(created.body["options"][1]["name_en"], "Medium");

    // Edit: keep Jugoso (renamed, sold out), drop A punto, add Bien cocido.
    let edited = app
        .patch(
            &format!("/api/v1/menu/modifier-groups/{gid}"),
            json!({ "options": [
            { "id": jugoso, "name": "Jugoso (rojo)", "price_delta": 0, "available": false },
            { "name": "Bien cocido", "price_delta": 0 },
        ] }),
            &admin,
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    assert_eq!(edited.body["options"][0]["id"], jugoso.as_str());
    assert_eq!(edited.body["options"][0]["name"], "Jugoso (rojo)");
    assert_eq!(edited.body["options"][0]["available"], false);
    assert_ne!(edited.body["options"][1]["id"], Value::Null);
    assert_eq!(edited.body["name"], "Término", "absent fields stay");
    assert_eq!(edited.body["options"].as_array().unwrap().len(), 2);

    let foreign = app
        .patch(
            &format!("/api/v1/menu/modifier-groups/{gid}"),
            json!({ "options": [{ "id": uuid::Uuid::now_v7(), "name": "X", "price_delta": 0 }] }),
            &admin,
        )
        .await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field(&foreign, "options[0].id").is_string());
    let min_over = app
        .patch(
            &format!("/api/v1/menu/modifier-groups/{gid}"),
            json!({ "min_choices": 3, "max_choices": 3 }),
            &admin,
        )
        .await;
    assert!(
        field(&min_over, "min_choices").is_string(),
        "more than the options"
    );

    // In use by an item: cannot be deleted until detached.
    let platos = category(&app, &admin, "Platos").await;
    let lomo = item(
        &app,
        &admin,
        json!({ "category_id": platos, "name": "Lomo", "price": 13990, "modifier_group_ids": [gid] }),
    )
    .await;
    let refused = app
        .delete(&format!("/api/v1/menu/modifier-groups/{gid}"), &admin)
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.code(), "modifier_group_in_use");
    let dup = app
        .patch(
            &format!("/api/v1/menu/items/{}", lomo["id"].as_str().unwrap()),
            json!({ "modifier_group_ids": [gid, gid] }),
            &admin,
        )
        .await;
    assert!(field(&dup, "modifier_group_ids[1]").is_string());
    app.patch(
        &format!("/api/v1/menu/items/{}", lomo["id"].as_str().unwrap()),
        json!({ "modifier_group_ids": [] }),
        &admin,
    )
    .await;
    let gone = app
        .delete(&format!("/api/v1/menu/modifier-groups/{gid}"), &admin)
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let list = app.get("/api/v1/menu/modifier-groups", &admin).await;
    assert_eq!(list.body, json!([]));
}

#[tokio::test]
async fn the_menu_tree_has_active_categories_live_items_and_their_groups() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let empty = app.get("/api/v1/menu", &admin).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.body, json!({ "categories": [], "updated_at": null }));

    let platos = category(&app, &admin, "Platos").await;
    let hidden = category(&app, &admin, "Secreto").await;
    let group = app
        .post(
            "/api/v1/menu/modifier-groups",
            json!({ "name": "Extra", "min_choices": 0, "max_choices": 2,
                    "options": [{ "name": "Queso", "price_delta": 1500 },
                                { "name": "Longaniza", "price_delta": 2000, "available": false }] }),
            &admin,
        )
        .await
        .body;
    let chorrillana = item(
        &app,
        &admin,
        json!({ "category_id": platos, "name": "Chorrillana", "price": 15990,
                "modifier_group_ids": [group["id"]], "tags": ["para compartir"] }),
    )
    .await;
    let cazuela = item(
        &app,
        &admin,
        json!({ "category_id": platos, "name": "Cazuela", "price": 9490, "available": false }),
    )
    .await;
    let deleted = item(
        &app,
        &admin,
        json!({ "category_id": platos, "name": "Borrado", "price": 1000 }),
    )
    .await;
    app.delete(
        &format!("/api/v1/menu/items/{}", deleted["id"].as_str().unwrap()),
        &admin,
    )
    .await;
    item(
        &app,
        &admin,
        json!({ "category_id": hidden, "name": "Oculto", "price": 1000 }),
    )
    .await;
    app.patch(
        &format!("/api/v1/menu/categories/{hidden}"),
        json!({ "active": false }),
        &admin,
    )
    .await;

    let waiter = app.user_with_role(&admin, "waiter").await.1;
    let tree = app.get("/api/v1/menu", &waiter).await;
    assert_eq!(tree.status, StatusCode::OK, "{:?}", tree.body);
    let categories = tree.body["categories"].as_array().unwrap();
    assert_eq!(categories.len(), 1, "the inactive category is left out");
    assert_eq!(categories[0]["name"], "Platos");
    let items = categories[0]["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "the deleted item is left out");
    let first = &items[0];
    assert_eq!(first["id"], chorrillana["id"]);
    assert_eq!(first["price"], 15990);
    assert_eq!(first["price_display"], "$15.990");
    assert_eq!(first["available"], true);
    assert_eq!(first["tags"], json!(["para compartir"]));
    assert_eq!(first["allergens"], json!([]));
    let groups = first["modifier_groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["name"], "Extra");
    assert_eq!(groups[0]["min_choices"], 0);
    assert_eq!(groups[0]["max_choices"], 2);
    assert_eq!(groups[0]["options"][0]["price_delta"], 1500);
    assert_eq!(groups[0]["options"][1]["available"], false);
    for key in [
        "id",
        "name",
        "name_en",
        "description",
        "description_en",
        "price",
        "price_display",
        "station",
        "tags",
        "allergens",
        "available",
        "position",
        "modifier_groups",
    ] {
        assert!(first.get(key).is_some(), "item field {key}");
    }
    assert_eq!(items[1]["id"], cazuela["id"]);
    assert_eq!(items[1]["available"], false, "sold out stays, marked");
    let stamp = tree.body["updated_at"].as_str().unwrap().to_owned();

    // Any change moves the stamp; the tree follows the reorder.
    let reordered = app
        .post(
            "/api/v1/menu/reorder",
            json!({ "items": [cazuela["id"], chorrillana["id"]], "categories": [hidden, platos] }),
            &admin,
        )
        .await;
    assert_eq!(reordered.status, StatusCode::OK, "{:?}", reordered.body);
    assert_eq!(reordered.body["items_moved"], 2);
    assert_eq!(reordered.body["categories_moved"], 2);
    let again = app
        .post(
            "/api/v1/menu/reorder",
            json!({ "items": [cazuela["id"], chorrillana["id"]] }),
            &admin,
        )
        .await;
    assert_eq!(again.body["items_moved"], 0, "nothing to move");
    let tree = app.get("/api/v1/menu", &admin).await;
    assert_eq!(tree.body["categories"][0]["items"][0]["id"], cazuela["id"]);
    assert!(tree.body["updated_at"].as_str().unwrap() > stamp.as_str());

    let unknown = app
        .post(
            "/api/v1/menu/reorder",
            json!({ "items": [chorrillana["id"], uuid::Uuid::now_v7(), chorrillana["id"]] }),
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        field(&unknown, "items[2]").is_string(),
        "{:?}",
        unknown.body
    );
}

#[tokio::test]
async fn every_menu_change_writes_its_outbox_row() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let start = outbox(&app).await.len();
    let platos = category(&app, &admin, "Platos").await;
    let group = app
        .post(
            "/api/v1/menu/modifier-groups",
            json!({ "name": "Tamaño", "min_choices": 1, "max_choices": 1,
                    "options": [{ "name": "Normal", "price_delta": 0 }] }),
            &admin,
        )
        .await
        .body;
    let lomo = item(
        &app,
        &admin,
        json!({ "category_id": platos, "name": "Lomo", "price": 13990, "modifier_group_ids": [group["id"]] }),
    )
    .await;
    let item_id = lomo["id"].as_str().unwrap();
    let path = format!("/api/v1/menu/items/{item_id}");
    app.patch(&path, json!({ "available": false }), &admin)
        .await;
    // An edit that changes nothing writes nothing.
    app.patch(&path, json!({ "available": false }), &admin)
        .await;
    app.delete(&path, &admin).await;

    let rows = outbox(&app).await;
    let mine: Vec<_> = rows[start..].iter().collect();
    let summary: Vec<(&str, &str)> = mine
        .iter()
        .map(|r| (r.entity.as_str(), r.op.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("category", "upsert"),
            ("modifier_group", "upsert"),
            ("item", "upsert"),
            ("item", "upsert"),
            ("item", "delete"),
        ]
    );
    let sold_out: Value = serde_json::from_str(&mine[3].payload).unwrap();
    assert_eq!(sold_out["available"], false);
    // Only what changed travels: a sold-out switch must not resend (and so overwrite) a
    // price the owner may have changed on the dashboard meanwhile.
    assert!(sold_out.get("price").is_none(), "{sold_out}");
    assert!(sold_out["id"].is_string());
    let tombstone: Value = serde_json::from_str(&mine[4].payload).unwrap();
    assert_eq!(tombstone["deleted_at"], mine[4].hlc.as_str());
    let group_payload: Value = serde_json::from_str(&mine[1].payload).unwrap();
    assert_eq!(group_payload["options"][0]["name"], "Normal");
    let (updated_at, deleted_at): (String, Option<String>) =
        sqlx::query_as("SELECT updated_at, deleted_at FROM menu_items WHERE id = ?")
            .bind(item_id)
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(updated_at, mine[4].hlc);
    assert_eq!(deleted_at.as_deref(), Some(mine[4].hlc.as_str()));
    let hlcs: Vec<&str> = mine.iter().map(|r| r.hlc.as_str()).collect();
    assert!(hlcs.windows(2).all(|w| w[0] < w[1]), "{hlcs:?}");
}

#[tokio::test]
async fn the_demo_csv_imports_exports_and_round_trips() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let report = import_csv(&app, DEMO_MENU, &admin).await;
    assert_eq!(report.status, StatusCode::OK, "{:?}", report.body);
    assert_eq!(
        report.body,
        json!({ "categories_created": 4, "items_created": 18, "items_updated": 0,
                "items_unchanged": 0, "modifier_groups_created": 5 })
    );

    let tree = app.get("/api/v1/menu", &admin).await.body;
    let categories: Vec<(&str, &str, usize)> = tree["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap(),
                c["name_en"].as_str().unwrap(),
                c["items"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        categories,
        [
            ("Entradas", "Starters", 3),
            ("Platos", "Mains", 7),
            ("Bebidas", "Drinks", 5),
            ("Postres", "Desserts", 3)
        ]
    );
    let find = |name: &str| -> Value {
        tree["categories"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["items"].as_array().unwrap())
            .find(|i| i["name"] == name)
            .unwrap()
            .clone()
    };
    let lomo = find("Lomo a lo pobre");
    assert_eq!(lomo["price"], 13990);
    assert_eq!(lomo["allergens"], json!(["egg"]));
    assert_eq!(lomo["modifier_groups"][0]["name"], "Término");
    assert_eq!(lomo["modifier_groups"][0]["min_choices"], 1);
    assert_eq!(lomo["modifier_groups"][0]["max_choices"], 1);
    assert_eq!(
        lomo["modifier_groups"][0]["options"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let chorrillana = find("Chorrillana para dos");
    assert_eq!(chorrillana["modifier_groups"][0]["min_choices"], 0);
    assert_eq!(chorrillana["modifier_groups"][0]["max_choices"], 2);
    assert_eq!(
        chorrillana["modifier_groups"][0]["options"][1]["price_delta"],
        2000
    );
    let pebre = find("Pebre con sopaipas");
    assert_eq!(
        pebre["description_en"],
        "Tomato, onion, coriander and chili salsa"
    );
    assert_eq!(find("Pisco sour")["station"], "bar");
    assert_eq!(
        find("Porotos granados")["tags"],
        json!(["vegan", "gluten_free"])
    );
    assert_eq!(
        find("Torta de mil hojas")["allergens"],
        json!(["milk", "gluten", "nuts"])
    );

    // Export: the demo's columns plus `available`, every item, the same cells.
    let exported = export_csv(&app, &admin).await;
    let mut lines = exported.lines();
    assert_eq!(
        lines.next().unwrap(),
        "category,category_en,name,name_en,description,description_en,price,station,tags,allergens,modifiers,available"
    );
    assert_eq!(lines.count(), 18);
    assert!(exported.contains(
        "Platos,Mains,Lomo a lo pobre,Steak a lo pobre,Lomo con papas fritas cebolla y dos huevos,\"Steak, fries, onions and two eggs\",13990,kitchen,,egg,Término: Jugoso +0 | A punto +0 | Bien cocido +0,true"
    ), "{exported}");

    // Importing the export (or the demo again) changes nothing and duplicates nothing.
    let outbox_before = outbox(&app).await.len();
    for csv in [exported.as_str(), DEMO_MENU] {
        let again = import_csv(&app, csv, &admin).await;
        assert_eq!(
            again.body,
            json!({ "categories_created": 0, "items_created": 0, "items_updated": 0,
                    "items_unchanged": 18, "modifier_groups_created": 0 })
        );
    }
    assert_eq!(outbox(&app).await.len(), outbox_before, "nothing rewritten");
    assert_eq!(app.get("/api/v1/menu", &admin).await.body, tree);
    assert_eq!(export_csv(&app, &admin).await, exported);

    // A sold-out item exports as such and the flag comes back on another appliance.
    let lomo_id = lomo["id"].as_str().unwrap();
    app.patch(
        &format!("/api/v1/menu/items/{lomo_id}"),
        json!({ "available": false }),
        &admin,
    )
    .await;
    let exported = export_csv(&app, &admin).await;
    let other = TestApp::new().await;
    let other_admin = other.setup().await;
    let copied = import_csv(&other, &exported, &other_admin).await;
    assert_eq!(copied.body["items_created"], 18);
    assert_eq!(copied.body["modifier_groups_created"], 5);
    assert_eq!(export_csv(&other, &other_admin).await, exported);

    // An edited price updates just that item.
    let cheaper = DEMO_MENU.replace(",13990,", ",12990,");
    let update = import_csv(&app, &cheaper, &admin).await;
    assert_eq!(update.body["items_updated"], 1);
    assert_eq!(update.body["items_unchanged"], 17);
    let lomo_now = app
        .get(&format!("/api/v1/menu/items/{lomo_id}"), &admin)
        .await;
    assert_eq!(lomo_now.body["price"], 12990);
    assert_eq!(
        lomo_now.body["available"], false,
        "a file without the column keeps availability"
    );
}

#[tokio::test]
async fn a_broken_csv_row_writes_nothing() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let before = outbox(&app).await.len();
    // Line 7 of the file is "Lomo a lo pobre".
    let broken: Vec<String> = DEMO_MENU
        .lines()
        .enumerate()
        .map(|(i, line)| match i + 1 {
            7 => line.replace(",13990,", ",trece mil,"),
            9 => line.replace(",kitchen,", ",parrilla,"),
            10 => line.replace("Acompañamiento:", "Acompañamiento"),
            _ => line.to_owned(),
        })
        .collect();
    let reply = import_csv(&app, &broken.join("\n"), &admin).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        reply.body
    );
    let fields = reply.body["error"]["fields"].as_object().unwrap();
    assert!(fields.contains_key("row 7.price"), "{fields:?}");
    assert!(fields.contains_key("row 9.station"), "{fields:?}");
    assert!(fields.contains_key("row 10.modifiers"), "{fields:?}");
    assert_eq!(fields.len(), 3);
    let items: i64 = sqlx::query_scalar("SELECT count(*) FROM menu_items")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let categories: i64 = sqlx::query_scalar("SELECT count(*) FROM menu_categories")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!((items, categories), (0, 0));
    assert_eq!(outbox(&app).await.len(), before);

    let repeated = format!("{DEMO_MENU}Entradas,Starters,HUMITAS,,,,100,,,,\n");
    let reply = import_csv(&app, &repeated, &admin).await;
    assert!(
        reply.body["error"]["fields"]["row 20.name"].is_string(),
        "{:?}",
        reply.body
    );
    let bad_header = import_csv(&app, "categoria,name,price\nA,B,1\n", &admin).await;
    assert_eq!(bad_header.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_header.body["error"]["fields"]["header.categoria"].is_string());
    assert!(bad_header.body["error"]["fields"]["header.category"].is_string());

    let as_json = app
        .post("/api/v1/menu/import", json!({ "csv": DEMO_MENU }), &admin)
        .await;
    assert_eq!(as_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(as_json.code(), "unsupported_media_type");

    // A spreadsheet saved in Spanish: `;` between cells, prices with dots, Latin-1.
    let spanish = "category;name;price;station;available\nPlatos;Puré;$4.990;cocina;no\n";
    let latin1: Vec<u8> = spanish.chars().map(|c| c as u8).collect();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/menu/import")
        .header(header::HOST, "127.0.0.1:7001")
        .header(header::AUTHORIZATION, format!("Bearer {admin}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(latin1))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let pure = app.get("/api/v1/menu/items?q=Pur", &admin).await;
    assert_eq!(pure.body[0]["name"], "Puré");
    assert_eq!(pure.body[0]["price"], 4990);
    assert_eq!(pure.body[0]["available"], false);
}

#[tokio::test]
async fn pricing_lookup_works_on_the_pool_and_in_a_transaction() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    import_csv(&app, DEMO_MENU, &admin).await;
    let items = app.get("/api/v1/menu/items", &admin).await.body;
    let id_of = |name: &str| -> ItemId {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let lomo = id_of("Lomo a lo pobre");
    let humitas = id_of("Humitas");
    let pisco = id_of("Pisco sour");
    app.patch(
        &format!("/api/v1/menu/items/{humitas}"),
        json!({ "available": false }),
        &admin,
    )
    .await;
    app.delete(&format!("/api/v1/menu/items/{pisco}"), &admin)
        .await;
    let missing = ItemId::new();

    let found = items_for_pricing(&app.state.db.read, &[lomo, humitas, pisco, missing])
        .await
        .unwrap();
    assert_eq!(found.len(), 3, "unknown ids are absent");
    let lomo_item = &found[&lomo];
    assert_eq!(lomo_item.name, "Lomo a lo pobre");
    assert_eq!(lomo_item.price, Clp(13_990));
    assert!(lomo_item.orderable() && lomo_item.listed);
    assert_eq!(lomo_item.groups.len(), 1);
    assert_eq!(lomo_item.groups[0].name, "Término");
    let punto: ModifierOptionId = lomo_item.groups[0].options[1].id;
    let line = lomo_item.price(&[punto], 2).unwrap();
    assert_eq!(line.unit_price, Clp(13_990));
    assert_eq!(line.line_total, Clp(27_980));
    assert_eq!(line.modifiers[0].name, "A punto");
    assert!(lomo_item.price(&[], 1).is_err(), "Término is required");
    assert!(!found[&humitas].available && !found[&humitas].orderable());
    assert!(found[&humitas].live);
    assert!(!found[&pisco].live && !found[&pisco].orderable() && !found[&pisco].listed);

    let mut tx = app.state.db.begin().await.unwrap();
    let inside = items_for_pricing(&mut *tx, &[lomo]).await.unwrap();
    assert_eq!(inside[&lomo], found[&lomo]);
    tx.rollback().await.unwrap();
    assert!(
        items_for_pricing(&app.state.db.read, &[])
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn waiters_read_the_menu_but_only_managers_and_admins_change_it() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let platos = category(&app, &admin, "Platos").await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let (_, viewer) = app.user_with_role(&admin, "viewer").await;
    for token in [&waiter, &viewer] {
        assert_eq!(app.get("/api/v1/menu", token).await.status, StatusCode::OK);
        let refused = app
            .post(
                "/api/v1/menu/items",
                json!({ "category_id": platos, "name": "X", "price": 1 }),
                token,
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let import = import_csv(&app, DEMO_MENU, token).await;
        assert_eq!(import.status, StatusCode::FORBIDDEN);
    }
    let allowed = app
        .post(
            "/api/v1/menu/items",
            json!({ "category_id": platos, "name": "X", "price": 1 }),
            &manager,
        )
        .await;
    assert_eq!(allowed.status, StatusCode::CREATED);
    assert_eq!(
        app.call(Method::GET, "/api/v1/menu", Value::Null, Auth::None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

/// Desserts are a station of their own: set from the editor or a CSV (`dessert` or the
/// Spanish `postres`), read back as `dessert`; an unknown station is still refused.
#[tokio::test]
async fn the_dessert_station_is_set_from_the_editor_and_from_a_csv() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let postres = category(&app, &admin, "Postres").await;
    let leche = item(
        &app,
        &admin,
        json!({ "category_id": postres, "name": "Leche asada", "price": 3490, "station": "dessert" }),
    )
    .await;
    assert_eq!(leche["station"], "dessert");
    let id = leche["id"].as_str().unwrap();
    let moved = app
        .patch(
            &format!("/api/v1/menu/items/{id}"),
            json!({ "station": "kitchen" }),
            &admin,
        )
        .await;
    assert_eq!(moved.body["station"], "kitchen");
    let back = app
        .patch(
            &format!("/api/v1/menu/items/{id}"),
            json!({ "station": "dessert" }),
            &admin,
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{:?}", back.body);
    assert_eq!(back.body["station"], "dessert");
    let grill = app
        .patch(
            &format!("/api/v1/menu/items/{id}"),
            json!({ "station": "grill" }),
            &admin,
        )
        .await;
    assert_eq!(
        grill.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        grill.body
    );

    let csv = "category,name,price,station\n\
               Postres,Panqueque con manjar,4290,postres\n\
               Postres,Mote con huesillo,2990,dessert\n\
               Postres,Sopaipillas pasadas,2490,parrilla\n";
    let refused = import_csv(&app, csv, &admin).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert!(
        refused.body["error"]["fields"]["row 4.station"].is_string(),
        "{:?}",
        refused.body
    );
    let csv = csv.replace(",parrilla", ",cocina");
    let imported = import_csv(&app, &csv, &admin).await;
    assert_eq!(imported.status, StatusCode::OK, "{:?}", imported.body);
    let all = app.get("/api/v1/menu/items", &admin).await;
    let station = |name: &str| {
        all.body
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name)
            .unwrap()["station"]
            .clone()
    };
    assert_eq!(station("Panqueque con manjar"), "dessert");
    assert_eq!(station("Mote con huesillo"), "dessert");
    assert_eq!(station("Sopaipillas pasadas"), "kitchen");
    assert!(export_csv(&app, &admin).await.contains(",dessert,"));
}
