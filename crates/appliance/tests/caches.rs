//! The in-memory copies the order path reads (the menu's pricing data, the users of open
//! sessions) never outlive a change: the very next request after a menu edit, a logout or
//! a user change sees it.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{ADMIN_EMAIL, ADMIN_PASSWORD, Auth, Reply, TestApp};
use serde_json::{Value, json};

async fn order(app: &TestApp, token: &str, item: &str, modifiers: Value) -> Reply {
    app.post(
        "/api/v1/orders",
        json!({ "channel": "counter",
                "lines": [{ "item_id": item, "quantity": 1, "modifiers": modifiers }] }),
        token,
    )
    .await
}

/// A category with one item at `price`, made through the menu API; returns the item id.
async fn menu_item(app: &TestApp, token: &str, price: i64, groups: Value) -> String {
    let category = app
        .post(
            "/api/v1/menu/categories",
            json!({ "name": format!("Cat {}", uuid::Uuid::now_v7().simple()) }),
            token,
        )
        .await;
    assert_eq!(category.status, StatusCode::CREATED, "{:?}", category.body);
    let item = app
        .post(
            "/api/v1/menu/items",
            json!({ "category_id": category.body["id"], "name": "Pastel de choclo",
                    "price": price, "modifier_group_ids": groups }),
            token,
        )
        .await;
    assert_eq!(item.status, StatusCode::CREATED, "{:?}", item.body);
    item.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_price_change_is_charged_on_the_very_next_order() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = menu_item(&app, &admin, 10990, json!([])).await;
    // Warm the cache with the old price.
    for _ in 0..3 {
        let first = order(&app, &admin, &item, json!([])).await;
        assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
        assert_eq!(first.body["total"], 10990);
    }
    let changed = app
        .patch(
            &format!("/api/v1/menu/items/{item}"),
            json!({ "price": 12490 }),
            &admin,
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    let next = order(&app, &admin, &item, json!([])).await;
    assert_eq!(next.status, StatusCode::CREATED, "{:?}", next.body);
    assert_eq!(next.body["total"], 12490);
    assert_eq!(next.body["lines"][0]["unit_price"], 12490);
}

#[tokio::test]
async fn sold_out_deleted_and_back_in_stock_are_seen_at_once() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = menu_item(&app, &admin, 2995, json!([])).await;
    let path = format!("/api/v1/menu/items/{item}");
    assert_eq!(
        order(&app, &admin, &item, json!([])).await.status,
        StatusCode::CREATED
    );

    let sold_out = app
        .patch(&path, json!({ "available": false }), &admin)
        .await;
    assert_eq!(sold_out.status, StatusCode::OK, "{:?}", sold_out.body);
    let refused = order(&app, &admin, &item, json!([])).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body["error"]["fields"]["lines[0].item_id"]
            .as_str()
            .unwrap()
            .contains("agotado"),
        "{:?}",
        refused.body
    );

    let back = app.patch(&path, json!({ "available": true }), &admin).await;
    assert_eq!(back.status, StatusCode::OK);
    assert_eq!(
        order(&app, &admin, &item, json!([])).await.status,
        StatusCode::CREATED
    );

    let deleted = app.delete(&path, &admin).await;
    assert!(deleted.status.is_success(), "{:?}", deleted.body);
    let gone = order(&app, &admin, &item, json!([])).await;
    assert_eq!(gone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(gone.body["error"]["fields"]["lines[0].item_id"].is_string());
}

#[tokio::test]
async fn modifier_option_changes_are_seen_at_once() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let group = app
        .post(
            "/api/v1/menu/modifier-groups",
            json!({ "name": "Tamaño", "min_choices": 1, "max_choices": 1,
                    "options": [{ "name": "Chica", "price_delta": 0 },
                                { "name": "Grande", "price_delta": 1500 }] }),
            &admin,
        )
        .await;
    assert_eq!(group.status, StatusCode::CREATED, "{:?}", group.body);
    let group_id = group.body["id"].as_str().unwrap().to_owned();
    let chica = group.body["options"][0]["id"].clone();
    let grande = group.body["options"][1]["id"].clone();
    let item = menu_item(&app, &admin, 1990, json!([group_id])).await;
    let before = order(&app, &admin, &item, json!([grande])).await;
    assert_eq!(before.status, StatusCode::CREATED, "{:?}", before.body);
    assert_eq!(before.body["total"], 3490);

    // "Grande" costs more and then runs out.
    let dearer = app
        .patch(
            &format!("/api/v1/menu/modifier-groups/{group_id}"),
            json!({ "options": [{ "id": chica, "name": "Chica", "price_delta": 0 },
                            { "id": grande, "name": "Grande", "price_delta": 2000 }] }),
            &admin,
        )
        .await;
    assert_eq!(dearer.status, StatusCode::OK, "{:?}", dearer.body);
    let after = order(&app, &admin, &item, json!([grande])).await;
    assert_eq!(after.body["total"], 3990, "{:?}", after.body);

    let out = app.patch(&format!("/api/v1/menu/modifier-groups/{group_id}"),
        json!({ "options": [{ "id": chica, "name": "Chica", "price_delta": 0 },
                            { "id": grande, "name": "Grande", "price_delta": 2000, "available": false }] }),
        &admin,
    )
    .await;
    assert_eq!(out.status, StatusCode::OK, "{:?}", out.body);
    let refused = order(&app, &admin, &item, json!([grande])).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
}

#[tokio::test]
async fn a_csv_import_reprices_the_next_order() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let csv = "category,name,price\nPlatos,Cazuela,8990\n";
    let import = |csv: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let request = axum::http::Request::builder()
                .method(Method::POST)
                .uri("/api/v1/menu/import")
                .header(axum::http::header::HOST, "127.0.0.1:7001")
                .header(axum::http::header::AUTHORIZATION, format!("Bearer {admin}"))
                .header(axum::http::header::CONTENT_TYPE, "text/csv")
                .body(axum::body::Body::from(csv))
                .unwrap();
            let reply = app.send(request).await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        }
    };
    import(csv).await;
    let items = app.get("/api/v1/menu/items", &admin).await;
    let item = items.body[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        order(&app, &admin, &item, json!([])).await.body["total"],
        8990
    );
    import("category,name,price\nPlatos,Cazuela,9490\n").await;
    assert_eq!(
        order(&app, &admin, &item, json!([])).await.body["total"],
        9490
    );
}

#[tokio::test]
async fn an_item_written_behind_the_cache_is_still_found() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let known = menu_item(&app, &admin, 1000, json!([])).await;
    assert_eq!(
        order(&app, &admin, &known, json!([])).await.status,
        StatusCode::CREATED
    );
    // Written straight to the table, as a restore or a forgotten writer would.
    let category: String = sqlx::query_scalar("SELECT category_id FROM menu_items WHERE id = ?")
        .bind(&known)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let hidden = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO menu_items (id, category_id, name, price, created_at, updated_at)
         VALUES (?, ?, 'Sopaipilla', 500, '', '')",
    )
    .bind(&hidden)
    .bind(&category)
    .execute(&app.state.db.write)
    .await
    .unwrap();
    let found = order(&app, &admin, &hidden, json!([])).await;
    assert_eq!(found.status, StatusCode::CREATED, "{:?}", found.body);
    assert_eq!(found.body["total"], 500);
}

#[tokio::test]
async fn logout_revokes_a_warm_session_at_once() {
    let app = TestApp::new().await;
    app.setup().await;
    let login = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let access = login.body["access_token"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        assert_eq!(
            app.get("/api/v1/auth/me", &access).await.status,
            StatusCode::OK
        );
    }
    let out = app
        .call(
            Method::POST,
            "/api/v1/auth/logout",
            Value::Null,
            Auth::Bearer(&access),
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let after = app.get("/api/v1/auth/me", &access).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.code(), "session_revoked");
}

#[tokio::test]
async fn role_changes_deactivation_and_password_resets_apply_to_the_next_request() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (id, manager) = app.user_with_role(&admin, "manager").await;
    let category =
        |name: &str| json!({ "name": format!("{name} {}", uuid::Uuid::now_v7().simple()) });
    // Warm: the manager may write the menu.
    for _ in 0..2 {
        let made = app
            .post("/api/v1/menu/categories", category("Postres"), &manager)
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    }
    let me = app.get("/api/v1/auth/me", &manager).await;
    assert_eq!(me.body["user"]["role"], "manager", "{:?}", me.body);

    let demoted = app
        .patch(
            &format!("/api/v1/users/{id}"),
            json!({ "role": "waiter", "name": "Ahora Mesero" }),
            &admin,
        )
        .await;
    assert_eq!(demoted.status, StatusCode::OK, "{:?}", demoted.body);
    let refused = app
        .post("/api/v1/menu/categories", category("Bebidas"), &manager)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    let me = app.get("/api/v1/auth/me", &manager).await;
    assert_eq!(me.body["user"]["role"], "waiter");
    assert!(me.body["permissions"].to_string().contains("orders:create"));

    // A password reset closes the user's sessions.
    let reset = app
        .post(
            &format!("/api/v1/users/{id}/password"),
            json!({ "password": "charquicán de la abuela" }),
            &admin,
        )
        .await;
    assert!(reset.status.is_success(), "{:?}", reset.body);
    assert_eq!(
        app.get("/api/v1/auth/me", &manager).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Deactivation closes a fresh, warm session too.
    let login = app
        .login(
            me.body["user"]["email"].as_str().unwrap(),
            "charquicán de la abuela",
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{:?}", login.body);
    let again = login.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/api/v1/auth/me", &again).await.status,
        StatusCode::OK
    );
    let gone = app.delete(&format!("/api/v1/users/{id}"), &admin).await;
    assert!(gone.status.is_success(), "{:?}", gone.body);
    assert_eq!(
        app.get("/api/v1/auth/me", &again).await.status,
        StatusCode::UNAUTHORIZED
    );
}
