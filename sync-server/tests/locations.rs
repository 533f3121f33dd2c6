//! Several locations (issue 19, Build 3): an owner adds, edits, closes and reopens them
//! within the plan, copies a menu between them (idempotently, reaching the target's
//! counter by sync), and compares them; the widget answers "cerrado" for a closed one.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::sync::device_token;
use common::{Tenant, TestApp};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

async fn set_plan(app: &TestApp, tenant: &Tenant, plan: &str) {
    let mut conn = app.owner_conn().await;
    sqlx::query("UPDATE tenants SET plan = $1 WHERE slug = $2")
        .bind(plan)
        .bind(&tenant.slug)
        .execute(&mut conn)
        .await
        .unwrap();
}

/// POST `/api/v1/locations/{id}/{action}` without a body (close, reopen, a link code).
async fn act(app: &TestApp, token: &str, id: &str, action: &str) -> common::Reply {
    app.post(
        &format!("/api/v1/locations/{id}/{action}"),
        Value::Null,
        Some(token),
    )
    .await
}

async fn add(app: &TestApp, token: &str, body: Value) -> common::Reply {
    app.post("/api/v1/locations", body, Some(token)).await
}

#[sqlx::test(migrations = false)]
async fn owners_add_and_edit_locations_with_unique_slugs(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let t = app.signup("la-picada").await;
    set_plan(&app, &t, "enterprise").await;

    let first = app.get("/api/v1/locations", &t.token).await;
    let first = &first.body.as_array().unwrap()[0];
    assert_eq!(first["slug"], "restaurante-la-picada", "{first}");
    assert_eq!(first["closed"], false);

    let providencia = add(
        &app,
        &t.token,
        json!({ "name": "  Providencia ", "address": "Av. Providencia 1234" }),
    )
    .await;
    assert_eq!(
        providencia.status,
        StatusCode::CREATED,
        "{:?}",
        providencia.body
    );
    assert_eq!(providencia.body["name"], "Providencia");
    assert_eq!(providencia.body["slug"], "providencia");
    assert_eq!(providencia.body["address"], "Av. Providencia 1234");
    // The same name again gets the next free slug.
    let again = add(&app, &t.token, json!({ "name": "Providencia" })).await;
    assert_eq!(again.body["slug"], "providencia-2", "{:?}", again.body);
    // An explicit slug in use is a conflict; a malformed one a field error.
    let taken = add(
        &app,
        &t.token,
        json!({ "name": "Ñuñoa", "slug": "providencia" }),
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{:?}", taken.body);
    assert_eq!(taken.code(), "slug_taken");
    for (body, field) in [
        (json!({ "name": "Ñuñoa", "slug": "-mal-" }), "slug"),
        (json!({ "name": "Ñuñoa", "slug": "Con Espacios" }), "slug"),
        (json!({ "name": "   " }), "name"),
        (json!({ "name": "x".repeat(81) }), "name"),
        (
            json!({ "name": "Ñuñoa", "address": "x".repeat(201) }),
            "address",
        ),
    ] {
        let bad = add(&app, &t.token, body.clone()).await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            bad.body
        );
        assert!(
            bad.body["error"]["fields"][field].is_string(),
            "{:?}",
            bad.body
        );
    }
    let unknown = add(&app, &t.token, json!({ "name": "Ñuñoa", "plan": "x" })).await;
    assert!(unknown.status.is_client_error(), "{:?}", unknown.body);

    // Rename, new slug, clear the address.
    let id = providencia.body["id"].as_str().unwrap();
    let edited = app
        .patch(
            &format!("/api/v1/locations/{id}"),
            json!({ "name": "Providencia Centro", "slug": "provi", "address": "" }),
            &t.token,
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    assert_eq!(edited.body["name"], "Providencia Centro");
    assert_eq!(edited.body["slug"], "provi");
    assert_eq!(edited.body["address"], Value::Null);
    let clash = app
        .patch(
            &format!("/api/v1/locations/{id}"),
            json!({ "slug": "providencia-2" }),
            &t.token,
        )
        .await;
    assert_eq!(clash.status, StatusCode::CONFLICT, "{:?}", clash.body);
    let missing = app
        .patch(
            &format!("/api/v1/locations/{}", id_of_nothing()),
            json!({ "name": "x" }),
            &t.token,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // Managers and viewers do not run locations.
    let (_, manager) = app.account(&t.token, "m@la-picada.cl", "manager").await;
    let refused = add(&app, &manager, json!({ "name": "Maipú" })).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    assert_eq!(
        app.get("/api/v1/locations", &t.token)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

fn id_of_nothing() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[sqlx::test(migrations = false)]
async fn the_plan_limits_open_locations_and_closing_frees_a_place(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let t = app.signup("basico").await;
    set_plan(&app, &t, "basic").await;
    let refused = add(&app, &t.token, json!({ "name": "Segundo" })).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    assert_eq!(refused.code(), "plan_limit_reached");
    assert_eq!(refused.body["error"]["details"]["limit"], 1);
    assert_eq!(refused.body["error"]["details"]["plan"], "basic");
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("Básico") && message.contains('1'),
        "{message}"
    );

    // Pro: three open; a fourth refused; closing one lets another in; reopening the
    // closed one is then refused too, until another closes.
    set_plan(&app, &t, "pro").await;
    let second = add(&app, &t.token, json!({ "name": "Segundo" })).await;
    let third = add(&app, &t.token, json!({ "name": "Tercero" })).await;
    assert_eq!(third.status, StatusCode::CREATED, "{:?}", third.body);
    let fourth = add(&app, &t.token, json!({ "name": "Cuarto" })).await;
    assert_eq!(fourth.code(), "plan_limit_reached");
    assert!(
        fourth.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Pro"),
        "{:?}",
        fourth.body
    );
    let second_id = second.body["id"].as_str().unwrap();
    let closed = act(&app, &t.token, second_id, "close").await;
    assert_eq!(closed.status, StatusCode::OK, "{:?}", closed.body);
    assert_eq!(closed.body["closed"], true);
    // Closing again changes nothing.
    let twice = act(&app, &t.token, second_id, "close").await;
    assert_eq!(twice.body["closed_at"], closed.body["closed_at"]);
    let fourth = add(&app, &t.token, json!({ "name": "Cuarto" })).await;
    assert_eq!(fourth.status, StatusCode::CREATED, "{:?}", fourth.body);
    let reopen = act(&app, &t.token, second_id, "reopen").await;
    assert_eq!(reopen.code(), "plan_limit_reached", "{:?}", reopen.body);
    let fourth_id = fourth.body["id"].as_str().unwrap();
    act(&app, &t.token, fourth_id, "close").await;
    let reopen = act(&app, &t.token, second_id, "reopen").await;
    assert_eq!(reopen.status, StatusCode::OK, "{:?}", reopen.body);
    assert_eq!(reopen.body["closed"], false);
    // Nothing was deleted: all four are listed.
    assert_eq!(
        app.get("/api/v1/locations", &t.token)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[sqlx::test(migrations = false)]
async fn a_closed_location_says_so_to_diners_and_counters_and_keeps_its_data(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let t = app.signup("cerrado").await;
    set_plan(&app, &t, "pro").await;
    let second = add(&app, &t.token, json!({ "name": "Ñuñoa" })).await;
    let second_id = second.body["id"].as_str().unwrap().to_owned();
    let counter = device_token(&app, &t.token, &second_id, "Caja Ñuñoa").await;

    // The widget finds the location by its slug as well as by id.
    let menu = format!("/api/v1/public/{}/menu?location=nunoa", t.slug);
    let open = app
        .call(axum::http::Method::GET, &menu, Value::Null, None)
        .await;
    assert_eq!(open.status, StatusCode::OK, "{:?}", open.body);
    let bad = app
        .call(
            axum::http::Method::GET,
            &format!("/api/v1/public/{}/menu?location=N%C3%91", t.slug),
            Value::Null,
            None,
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );

    let closed = act(&app, &t.token, &second_id, "close").await;
    assert_eq!(closed.status, StatusCode::OK, "{:?}", closed.body);
    for path in [
        menu.clone(),
        format!("/api/v1/public/{}/menu?location={second_id}", t.slug),
    ] {
        let reply = app
            .call(axum::http::Method::GET, &path, Value::Null, None)
            .await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{path}: {:?}",
            reply.body
        );
        assert_eq!(reply.code(), "location_closed");
        assert!(
            reply.body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("cerrado")
        );
    }
    // The first location still serves, and is what a slug alone finds.
    let first = app
        .call(
            axum::http::Method::GET,
            &format!("/api/v1/public/{}/menu", t.slug),
            Value::Null,
            None,
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    // No new counters at a closed location.
    let code = act(&app, &t.token, &second_id, "enrollment-codes").await;
    assert_eq!(code.code(), "location_closed");

    // The counter learns it by pull, and again when it reopens.
    let closed_setting = |changes: &Value| -> Option<Value> {
        changes["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["entity"] == "setting" && c["entity_id"] == "location.closed")
            .map(|c| c["row"]["value"].clone())
    };
    let pull = app
        .get(
            "/api/v1/sync/pull?cursor=0&limit=500&schema_version=1",
            &counter,
        )
        .await;
    assert_eq!(pull.status, StatusCode::OK, "{:?}", pull.body);
    assert_eq!(
        closed_setting(&pull.body),
        Some(Value::Bool(true)),
        "{:?}",
        pull.body
    );
    let cursor = pull.body["cursor"].as_i64().unwrap();
    act(&app, &t.token, &second_id, "reopen").await;
    let pull = app
        .get(
            &format!("/api/v1/sync/pull?cursor={cursor}&limit=500&schema_version=1"),
            &counter,
        )
        .await;
    assert_eq!(
        closed_setting(&pull.body),
        Some(Value::Bool(false)),
        "{:?}",
        pull.body
    );
    let open = app
        .call(axum::http::Method::GET, &menu, Value::Null, None)
        .await;
    assert_eq!(open.status, StatusCode::OK, "{:?}", open.body);
}

/// A small menu pushed by a counter at `token`'s location: (category, group, item).
async fn push_menu(app: &TestApp, token: &str) -> (String, String, String) {
    let menu = common::sync::push_menu(
        app,
        token,
        &[("Grande", "Large", 2000)],
        &[json!({"description": "Con zapallo"})],
    )
    .await;
    (menu.category, menu.group.unwrap(), menu.items[0].clone())
}

#[sqlx::test(migrations = false)]
async fn a_menu_copies_to_another_location_once_and_reaches_its_counter(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let t = app.signup("copia").await;
    set_plan(&app, &t, "pro").await;
    let source_counter = device_token(&app, &t.token, &t.location_id, "Caja 1").await;
    let (_, group, item) = push_menu(&app, &source_counter).await;
    let target = add(&app, &t.token, json!({ "name": "Las Condes" })).await;
    let target_id = target.body["id"].as_str().unwrap().to_owned();
    let target_counter = device_token(&app, &t.token, &target_id, "Caja 2").await;

    let path = format!("/api/v1/locations/{target_id}/menu-copies");
    let copied = app
        .post(&path, json!({ "from": t.location_id }), Some(&t.token))
        .await;
    assert_eq!(copied.status, StatusCode::OK, "{:?}", copied.body);
    assert_eq!(
        copied.body,
        json!({ "categories": 1, "modifier_groups": 1, "items": 1, "already_copied": 0 })
    );
    // A retry (a lost answer) adds nothing.
    let retried = app
        .post(&path, json!({ "from": t.location_id }), Some(&t.token))
        .await;
    assert_eq!(
        retried.body,
        json!({ "categories": 0, "modifier_groups": 0, "items": 0, "already_copied": 3 })
    );

    // The target's menu has its own copies, wired to each other, same price.
    let menu = app
        .get(&format!("/api/v1/menu?location_id={target_id}"), &t.token)
        .await;
    let items = menu.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{:?}", menu.body);
    let copy = &items[0];
    assert_ne!(copy["id"], item.as_str());
    assert_eq!(copy["name"], "Cazuela");
    assert_eq!(copy["price"], 8990);
    let groups = menu.body["modifier_groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert_ne!(groups[0]["id"], group.as_str());
    assert_eq!(copy["modifier_group_ids"], json!([groups[0]["id"]]));
    assert_eq!(menu.body["categories"].as_array().unwrap().len(), 1);
    // The source is untouched.
    let source = app
        .get(
            &format!("/api/v1/menu?location_id={}", t.location_id),
            &t.token,
        )
        .await;
    assert_eq!(source.body["items"][0]["id"], item.as_str());

    // The target's counter pulls exactly one copy of each.
    let pull = app
        .get(
            "/api/v1/sync/pull?cursor=0&limit=500&schema_version=1",
            &target_counter,
        )
        .await;
    let changes = pull.body["changes"].as_array().unwrap();
    for entity in ["category", "modifier_group", "item"] {
        let n = changes.iter().filter(|c| c["entity"] == entity).count();
        assert_eq!(n, 1, "{entity}: {changes:?}");
    }
    let pulled = changes.iter().find(|c| c["entity"] == "item").unwrap();
    assert_eq!(pulled["row"]["price"], 8990);

    // A copy to itself, from nowhere, or by a viewer is refused.
    let itself = app
        .post(&path, json!({ "from": target_id }), Some(&t.token))
        .await;
    assert_eq!(
        itself.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        itself.body
    );
    let nowhere = app
        .post(&path, json!({ "from": id_of_nothing() }), Some(&t.token))
        .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    let (_, viewer) = app.account(&t.token, "v@copia.cl", "viewer").await;
    let refused = app
        .post(&path, json!({ "from": t.location_id }), Some(&viewer))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrations = false)]
async fn locations_compare_side_by_side(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let t = app.signup("compara").await;
    set_plan(&app, &t, "pro").await;
    let second = add(&app, &t.token, json!({ "name": "Bellavista" })).await;
    let second_id = second.body["id"].as_str().unwrap().to_owned();
    // Two orders at the first location, one at the second (as sync projects them).
    let mut conn = app.owner_conn().await;
    for (location, total, item) in [
        (&t.location_id, 10_000_i64, "Cazuela"),
        (&t.location_id, 20_000, "Cazuela"),
        (&second_id, 5_000, "Empanada"),
    ] {
        let order = uuid::Uuid::now_v7();
        let location: uuid::Uuid = location.parse().unwrap();
        let tenant: uuid::Uuid = t.id.parse().unwrap();
        sqlx::query(
            "INSERT INTO orders (tenant_id, location_id, id, number, business_date, channel, status,
                                 subtotal, total, net, tax, amount_due, hlc, created_at)
             VALUES ($1, $2, $3, 1, current_date, 'counter', 'completed', $4, $4, $4, 0, 0, 'h', now())",
        )
        .bind(tenant)
        .bind(location)
        .bind(order)
        .bind(total)
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO order_lines (tenant_id, id, order_id, position, item_id, name, quantity,
                                      unit_price, line_total, hlc)
             VALUES ($1, $2, $3, 1, $2, $4, 2, $5 / 2, $5, 'h')",
        )
        .bind(tenant)
        .bind(uuid::Uuid::now_v7())
        .bind(order)
        .bind(item)
        .bind(total)
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let reply = app.get("/api/v1/locations/compare", &t.token).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let locations = reply.body["locations"].as_array().unwrap();
    assert_eq!(locations.len(), 2);
    let by_name = |name: &str| {
        locations
            .iter()
            .find(|l| l["name"] == name)
            .unwrap()
            .clone()
    };
    let first = by_name("Restaurante compara");
    assert_eq!(first["sales"], 30_000);
    assert_eq!(first["orders"], 2);
    assert_eq!(first["average_ticket"], 15_000);
    assert_eq!(
        first["top_items"],
        json!([{ "name": "Cazuela", "quantity": 4, "sales": 30_000 }])
    );
    let bella = by_name("Bellavista");
    assert_eq!(bella["sales"], 5_000);
    assert_eq!(bella["top_items"][0]["name"], "Empanada");
    let backwards = app
        .get(
            "/api/v1/locations/compare?from=2026-12-02&to=2026-12-01",
            &t.token,
        )
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
}
