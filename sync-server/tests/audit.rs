//! The audit log from a counter to the owners: an event recorded by an appliance's store
//! goes out of its outbox through the real push (schema check, insert-only merge,
//! projection), reads back on the owners' `GET /audit` with its Spanish line, and comes
//! back down to a second counter. A second push of the same id changes nothing. Only
//! owner and manager accounts read it; and neither OpenAPI document (cloud, appliance)
//! has a route that writes under audit.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use dysa_appliance::audit::Actor;
use dysa_appliance::store::{Db, audit as audit_store, outbox};
use dysa_appliance::sync::apply::{Applied, apply_page};
use dysa_domain::audit::AuditAction;
use dysa_domain::sync::ChangeRecord;
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// Pushes every pending outbox row of `db`; answers each mutation's result.
async fn push_outbox(app: &TestApp, token: &str, db: &Db) -> Vec<Value> {
    let mutations: Vec<Value> = outbox::pending(&db.read, 1_000)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            json!({
                "mutation_id": r.mutation_id, "entity": r.entity, "entity_id": r.entity_id,
                "op": r.op, "payload": serde_json::from_str::<Value>(&r.payload).unwrap(),
                "hlc": r.hlc,
            })
        })
        .collect();
    let reply = app
        .post(
            "/api/v1/sync/push",
            json!({ "schema_version": 1, "mutations": mutations }),
            Some(token),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["results"].as_array().unwrap().clone()
}

#[sqlx::test(migrations = false)]
async fn an_event_travels_counter_to_cloud_to_counter_and_is_never_rewritten(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("bitacora").await;
    let enrolled = app.enroll(&tenant.enrollment_code, "Caja 1").await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:?}", enrolled.body);
    let device = enrolled.body["device_token"].as_str().unwrap().to_owned();

    let dir = tempfile::tempdir().unwrap();
    let a = Db::open(&dir.path().join("a.db")).await.unwrap();
    let actor = Actor::staff(
        dysa_domain::ids::UserId::new(),
        "Ana",
        a.device_id(),
        "192.168.1.20",
    );
    let event = actor.event(
        AuditAction::LineVoided,
        "order",
        Some(uuid::Uuid::now_v7().to_string()),
        Some(json!({ "total": 5980 })),
        Some(json!({ "position": 1, "order_number": 45, "reason": "cliente se arrepintió" })),
    );
    dysa_appliance::audit::record_alone(&a, &event)
        .await
        .unwrap();
    for result in push_outbox(&app, &device, &a).await {
        assert_eq!(result["outcome"], "applied", "{result}");
    }

    // The owner reads it, in words.
    let page = app.get("/api/v1/audit", &tenant.token).await;
    assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
    assert_eq!(page.body["total"], 1, "{:?}", page.body);
    let entry = &page.body["items"][0];
    assert_eq!(entry["event"]["id"], event.id.to_string());
    assert_eq!(entry["event"]["location_id"], tenant.location_id);
    assert_eq!(entry["event"]["device_id"], a.device_id().to_string());
    assert_eq!(entry["event"]["client"], "192.168.1.20");
    assert_eq!(
        entry["text_es"],
        "Ana anuló la línea 2 del pedido #45 — motivo: cliente se arrepintió"
    );
    let filtered = app
        .get(
            &format!(
                "/api/v1/audit?action=order.line_voided&location_id={}",
                tenant.location_id
            ),
            &tenant.token,
        )
        .await;
    assert_eq!(filtered.body["total"], 1);
    let other = app
        .get("/api/v1/audit?action=auth.sign_in", &tenant.token)
        .await;
    assert_eq!(other.body["total"], 0);

    // A second push of the same id, claiming other content, changes nothing.
    let forged = json!({
        "mutation_id": uuid::Uuid::now_v7(), "entity": "audit_event",
        "entity_id": event.id.to_string(), "op": "upsert",
        "payload": { "id": event.id, "actor_name": "Nadie" },
        "hlc": "999999999999999-000000-0000000000000001",
    });
    let reply = app
        .post(
            "/api/v1/sync/push",
            json!({ "schema_version": 1, "mutations": [forged] }),
            Some(&device),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let again = app.get("/api/v1/audit", &tenant.token).await;
    assert_eq!(again.body["items"][0]["event"]["actor_name"], "Ana");
    let mut conn = app.owner_conn().await;
    let merged: Value = sqlx::query_scalar(
        "SELECT row FROM sync_rows WHERE entity = 'audit_event' AND entity_id = $1",
    )
    .bind(event.id.to_string())
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(merged["actor_name"], "Ana");
    // Deleting is refused.
    let delete = json!({
        "mutation_id": uuid::Uuid::now_v7(), "entity": "audit_event",
        "entity_id": event.id.to_string(), "op": "delete", "payload": {},
        "hlc": "999999999999999-000000-0000000000000002",
    });
    let reply = app
        .post(
            "/api/v1/sync/push",
            json!({ "schema_version": 1, "mutations": [delete] }),
            Some(&device),
        )
        .await;
    assert_eq!(
        reply.body["results"][0]["outcome"], "rejected",
        "{:?}",
        reply.body
    );
    assert_eq!(
        app.get("/api/v1/audit", &tenant.token).await.body["total"],
        1
    );

    // A second counter of the location pulls it as recorded.
    let b = Db::open(&dir.path().join("b.db")).await.unwrap();
    let pulled = app
        .get(
            "/api/v1/sync/pull?cursor=0&limit=1000&schema_version=1",
            &device,
        )
        .await;
    assert_eq!(pulled.status, StatusCode::OK, "{:?}", pulled.body);
    let changes: Vec<ChangeRecord> =
        serde_json::from_value(pulled.body["changes"].clone()).unwrap();
    let mut tx = b.begin().await.unwrap();
    let mut applied = Applied::default();
    apply_page(&mut tx, &changes, &mut applied).await.unwrap();
    tx.commit().await.unwrap();
    let filter = audit_store::AuditFilter {
        limit: 10,
        ..Default::default()
    };
    let (events, total) = audit_store::list(&b.read, &filter).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(events[0], event);
    let pending = outbox::pending_count(&b.read).await.unwrap();
    assert_eq!(pending, 0, "applying never writes the outbox");
}

#[sqlx::test(migrations = false)]
async fn only_owners_and_managers_read_the_log(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("permisos-bitacora").await;
    let (_, manager) = app
        .account(&tenant.token, "gerente@permisos-bitacora.cl", "manager")
        .await;
    let (_, viewer) = app
        .account(&tenant.token, "mirada@permisos-bitacora.cl", "viewer")
        .await;
    let enrolled = app.enroll(&tenant.enrollment_code, "Caja").await;
    let device = enrolled.body["device_token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/api/v1/audit", &tenant.token).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/audit", &manager).await.status,
        StatusCode::OK
    );
    for token in [&viewer, &device] {
        let refused = app.get("/api/v1/audit", token).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    }
    let bad = app.get("/api/v1/audit?from=ayer", &tenant.token).await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
}

/// Neither server has a route that writes, edits or deletes under audit.
#[test]
fn no_route_of_either_openapi_document_writes_the_audit_log() {
    for (name, text) in [
        ("cloud", dysa_cloud::http::openapi_json()),
        ("appliance", dysa_appliance::http::openapi_json()),
    ] {
        let spec: Value = serde_json::from_str(&text).unwrap();
        let paths = spec["paths"].as_object().unwrap();
        let audit: Vec<&String> = paths.keys().filter(|p| p.contains("audit")).collect();
        assert!(!audit.is_empty(), "{name}: the audit routes are documented");
        for path in audit {
            for method in ["put", "patch", "delete", "post"] {
                assert!(paths[path].get(method).is_none(), "{name}: {method} {path}");
            }
        }
    }
}
