//! The audit log through the real router: every audited action writes exactly one row
//! (with its outbox row, in the same transaction), the rows read back filtered and as
//! CSV (the export itself recorded), only admins and managers read them, nothing edits
//! or deletes them, and no route of the appliance's OpenAPI document writes under audit.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{ADMIN_EMAIL, ADMIN_PASSWORD, Auth, TestApp};
use dysa_domain::audit::AuditAction;
use serde_json::{Value, json};

/// Rows of `action` in the log, and outbox rows carrying them (they must match).
async fn count(app: &TestApp, action: AuditAction) -> i64 {
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = ?")
        .bind(action.as_str())
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let outbox: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE entity = 'audit_event'
           AND json_extract(payload, '$.action') = ?",
    )
    .bind(action.as_str())
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(rows, outbox, "{action}: every row has its outbox row");
    rows
}

/// Runs `act` and checks it recorded exactly one `action` row (and nothing of the other
/// audited kinds but `also`); answers what `act` answered.
async fn exactly_one<F, T>(app: &TestApp, action: AuditAction, act: F) -> T
where
    F: std::future::Future<Output = T>,
{
    let mut before = Vec::new();
    for a in AuditAction::ALL {
        before.push(count(app, a).await);
    }
    let out = act.await;
    for (a, was) in AuditAction::ALL.into_iter().zip(before) {
        let now = count(app, a).await;
        let expected = if a == action { was + 1 } else { was };
        assert_eq!(now, expected, "{a} after {action}");
    }
    out
}

async fn latest(app: &TestApp, admin: &str, action: AuditAction) -> Value {
    let page = app
        .get(
            &format!("/api/v1/audit?action={}&limit=1", action.as_str()),
            admin,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
    page.body["items"][0].clone()
}

/// A category and an item, through the menu API (the item's creation is audited).
async fn item(app: &TestApp, admin: &str) -> String {
    let category = app
        .post(
            "/api/v1/menu/categories",
            json!({ "name": "Sándwiches" }),
            admin,
        )
        .await;
    assert_eq!(category.status, StatusCode::CREATED, "{:?}", category.body);
    let created = exactly_one(app, AuditAction::ItemCreated, async {
        app.post(
            "/api/v1/menu/items",
            json!({ "category_id": category.body["id"], "name": "Completo", "price": 2990 }),
            admin,
        )
        .await
    })
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    created.body["id"].as_str().unwrap().to_owned()
}

async fn order(app: &TestApp, token: &str, item: &str, lines: usize) -> Value {
    let lines: Vec<Value> = (0..lines)
        .map(|_| json!({ "item_id": item, "quantity": 1 }))
        .collect();
    let reply = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "counter", "lines": lines }),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body
}

#[tokio::test]
async fn every_audited_action_writes_exactly_one_row() {
    let app = TestApp::new().await;
    let admin = app.setup().await;

    // Sign-ins, and a refused one.
    let signed = exactly_one(
        &app,
        AuditAction::SignIn,
        app.login(ADMIN_EMAIL, ADMIN_PASSWORD),
    )
    .await;
    assert_eq!(signed.status, StatusCode::OK);
    let refused = exactly_one(
        &app,
        AuditAction::SignInFailed,
        app.login(ADMIN_EMAIL, "no es la clave"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let failed = latest(&app, &admin, AuditAction::SignInFailed).await;
    assert_eq!(failed["event"]["after"]["login"], ADMIN_EMAIL);
    assert!(failed["event"]["actor_id"].is_null());

    // Users and roles.
    let email = "luis@donde-pepe.cl";
    let created = exactly_one(&app, AuditAction::UserCreated, async {
        app.post(
            "/api/v1/users",
            json!({ "name": "Luis", "email": email, "password": "sopaipillas pasadas", "role": "waiter" }),
            &admin,
        )
        .await
    })
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let luis = created.body["id"].as_str().unwrap().to_owned();
    let promoted = exactly_one(&app, AuditAction::UserUpdated, async {
        app.patch(
            &format!("/api/v1/users/{luis}"),
            json!({ "role": "manager" }),
            &admin,
        )
        .await
    })
    .await;
    assert_eq!(promoted.status, StatusCode::OK, "{:?}", promoted.body);
    let line = latest(&app, &admin, AuditAction::UserUpdated).await;
    assert_eq!(
        line["text_es"],
        "Ana Admin modificó la cuenta de Luis — rol: Garzón → Encargado"
    );
    assert_eq!(line["event"]["actor_name"], "Ana Admin");
    assert_eq!(
        line["event"]["device_id"],
        app.state.db.device_id().to_string()
    );
    assert_eq!(line["event"]["client"], "local");
    // Deactivating is a change of the account too.
    exactly_one(&app, AuditAction::UserUpdated, async {
        app.delete(&format!("/api/v1/users/{luis}"), &admin).await
    })
    .await;

    // Menu and prices.
    let completo = item(&app, &admin).await;
    let repriced = exactly_one(&app, AuditAction::ItemUpdated, async {
        app.patch(
            &format!("/api/v1/menu/items/{completo}"),
            json!({ "price": 3490 }),
            &admin,
        )
        .await
    })
    .await;
    assert_eq!(repriced.status, StatusCode::OK, "{:?}", repriced.body);
    let line = latest(&app, &admin, AuditAction::ItemUpdated).await;
    assert_eq!(
        line["text_es"],
        "Ana Admin modificó «Completo» — precio: $2.990 → $3.490"
    );
    // An edit that changes nothing records nothing.
    let before = count(&app, AuditAction::ItemUpdated).await;
    app.patch(
        &format!("/api/v1/menu/items/{completo}"),
        json!({ "price": 3490 }),
        &admin,
    )
    .await;
    assert_eq!(count(&app, AuditAction::ItemUpdated).await, before);

    // Voids, discounts, refunds, cancellations.
    let first = order(&app, &admin, &completo, 2).await;
    let id = first["id"].as_str().unwrap().to_owned();
    let line_id = first["lines"][1]["id"].as_str().unwrap().to_owned();
    let voided = exactly_one(&app, AuditAction::LineVoided, async {
        app.post(
            &format!("/api/v1/orders/{id}/lines/{line_id}/void"),
            json!({ "reason": "cliente se arrepintió" }),
            &admin,
        )
        .await
    })
    .await;
    assert_eq!(voided.status, StatusCode::OK, "{:?}", voided.body);
    let line = latest(&app, &admin, AuditAction::LineVoided).await;
    assert_eq!(
        line["text_es"],
        format!(
            "Ana Admin anuló la línea 2 (Completo) del pedido #{} — motivo: cliente se arrepintió",
            first["number"]
        )
    );
    assert_eq!(line["event"]["subject_type"], "order");
    assert_eq!(line["event"]["subject_id"], id);
    let discounted = exactly_one(&app, AuditAction::Discount, async {
        app.patch(
            &format!("/api/v1/orders/{id}"),
            json!({ "discount": 490 }),
            &admin,
        )
        .await
    })
    .await;
    assert_eq!(discounted.status, StatusCode::OK, "{:?}", discounted.body);
    // A note alone is no discount.
    let before = count(&app, AuditAction::Discount).await;
    app.patch(
        &format!("/api/v1/orders/{id}"),
        json!({ "note": "sin mayo" }),
        &admin,
    )
    .await;
    assert_eq!(count(&app, AuditAction::Discount).await, before);
    let paid = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": id, "method": "debit", "amount": 3000 }),
            &admin,
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
    let payment = paid.body["payment"]["id"].as_str().unwrap().to_owned();
    let refunded = exactly_one(&app, AuditAction::Refund, async {
        app.post(
            &format!("/api/v1/payments/{payment}/refund"),
            json!({ "amount": 1000, "reason": "cobro doble" }),
            &admin,
        )
        .await
    })
    .await;
    assert_eq!(refunded.status, StatusCode::CREATED, "{:?}", refunded.body);
    let second = order(&app, &admin, &completo, 1).await;
    let second_id = second["id"].as_str().unwrap();
    let cancelled = exactly_one(&app, AuditAction::OrderCancelled, async {
        app.post(
            &format!("/api/v1/orders/{second_id}/status"),
            json!({ "status": "cancelled", "reason": "sin stock" }),
            &admin,
        )
        .await
    })
    .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{:?}", cancelled.body);
    // Moving an order forward is no cancellation.
    let third = order(&app, &admin, &completo, 1).await;
    let before = count(&app, AuditAction::OrderCancelled).await;
    app.post(
        &format!("/api/v1/orders/{}/status", third["id"].as_str().unwrap()),
        json!({ "status": "ready" }),
        &admin,
    )
    .await;
    assert_eq!(count(&app, AuditAction::OrderCancelled).await, before);

    // Settings, with only what changed before and after.
    let changed = exactly_one(&app, AuditAction::SettingsChanged, async {
        app.patch(
            "/api/v1/settings",
            json!({ "address": "Av. Providencia 1234, Santiago" }),
            &admin,
        )
        .await
    })
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    let line = latest(&app, &admin, AuditAction::SettingsChanged).await;
    assert_eq!(
        line["event"]["after"],
        json!({ "address": "Av. Providencia 1234, Santiago" })
    );

    // Deleting the item.
    let deleted = exactly_one(&app, AuditAction::ItemDeleted, async {
        app.delete(&format!("/api/v1/menu/items/{completo}"), &admin)
            .await
    })
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);

    // The export, itself recorded.
    let csv = exactly_one(&app, AuditAction::Exported, async {
        app.get("/api/v1/audit.csv", &admin).await
    })
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.body.as_str().unwrap();
    assert!(text.starts_with("fecha,usuario,acción,detalle"), "{text}");
    assert!(text.contains("Línea anulada"), "{text}");
    assert!(text.contains("motivo: cliente se arrepintió"), "{text}");
    assert!(!text.contains("order.line_voided"), "no raw codes: {text}");
}

#[tokio::test]
async fn a_restored_backup_is_recorded_once_in_the_restored_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dysa.db");
    let db = dysa_appliance::store::Db::open(&path).await.unwrap();
    let report = dysa_appliance::backup::RestoreReport {
        from: dir.path().join("dysa-20261206T180000Z.dysabak"),
        database: path.clone(),
        set_aside: None,
        size_bytes: 4096,
        device_id: db.device_id(),
    };
    dysa_appliance::audit::record_restore(&db, &report)
        .await
        .unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT action, after FROM audit_events")
        .fetch_all(&db.read)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "backup.restored");
    assert!(rows[0].1.contains("dysa-20261206T180000Z.dysabak"));
}

#[tokio::test]
async fn only_admins_and_managers_read_the_log() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let (_, viewer) = app.user_with_role(&admin, "viewer").await;
    for path in ["/api/v1/audit", "/api/v1/audit.csv"] {
        assert_eq!(app.get(path, &admin).await.status, StatusCode::OK, "{path}");
        assert_eq!(
            app.get(path, &manager).await.status,
            StatusCode::OK,
            "{path}"
        );
        for token in [&waiter, &viewer] {
            let refused = app.get(path, token).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
            assert_eq!(refused.code(), "forbidden");
        }
        let anonymous = app.call(Method::GET, path, Value::Null, Auth::None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn the_list_filters_by_day_actor_action_and_subject_and_pages() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let (manager_id, manager) = app.user_with_role(&admin, "manager").await;
    app.login(ADMIN_EMAIL, "mala").await;
    let mine = app
        .get(&format!("/api/v1/audit?actor={manager_id}"), &admin)
        .await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.body["total"], 1, "{:?}", mine.body);
    assert_eq!(mine.body["items"][0]["event"]["action"], "auth.sign_in");
    let created = app
        .get(
            &format!("/api/v1/audit?subject_type=user&subject_id={manager_id}"),
            &manager,
        )
        .await;
    assert_eq!(
        created.body["total"], 2,
        "created and signed in: {:?}",
        created.body
    );
    // Today and yesterday in America/Santiago.
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("America/Santiago").unwrap())
        .date();
    let yesterday = today.yesterday().unwrap();
    let all = app
        .get(&format!("/api/v1/audit?from={today}&to={today}"), &admin)
        .await;
    assert_eq!(all.body["total"], 3, "{:?}", all.body);
    let none = app
        .get(
            &format!("/api/v1/audit?from={yesterday}&to={yesterday}"),
            &admin,
        )
        .await;
    assert_eq!(none.body["total"], 0);
    let page = app.get("/api/v1/audit?limit=1&offset=1", &admin).await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(page.body["total"], 3);
    // Bad filters are named, never a 500.
    let bad = app
        .get(
            "/api/v1/audit?from=ayer&limit=0&action=order.teleported",
            &admin,
        )
        .await;
    assert!(bad.status.is_client_error(), "{:?}", bad.body);
    let bad = app.get("/api/v1/audit?from=ayer&limit=0", &admin).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body["error"]["fields"].get("from").is_some(),
        "{:?}",
        bad.body
    );
    assert!(
        bad.body["error"]["fields"].get("limit").is_some(),
        "{:?}",
        bad.body
    );
}

#[tokio::test]
async fn recorded_rows_cannot_be_changed_or_removed() {
    let app = TestApp::new().await;
    app.setup().await;
    app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let update = sqlx::query("UPDATE audit_events SET actor_name = 'Nadie'")
        .execute(&app.state.db.write)
        .await;
    assert!(update.is_err(), "an UPDATE must be refused");
    let delete = sqlx::query("DELETE FROM audit_events")
        .execute(&app.state.db.write)
        .await;
    assert!(delete.is_err(), "a DELETE must be refused");
}

/// No route under audit writes: the OpenAPI document lists GET only.
#[test]
fn no_route_of_the_appliance_writes_the_audit_log() {
    let spec: Value = serde_json::from_str(&dysa_appliance::http::openapi_json()).unwrap();
    let paths = spec["paths"].as_object().unwrap();
    let audit: Vec<&String> = paths.keys().filter(|p| p.contains("audit")).collect();
    assert_eq!(audit.len(), 2, "{audit:?}");
    for path in audit {
        for method in ["put", "patch", "delete", "post"] {
            assert!(paths[path].get(method).is_none(), "{method} {path}");
        }
    }
}
