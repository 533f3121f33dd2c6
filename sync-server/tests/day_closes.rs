//! The owner reads each location's closed days (the Z reports the counters pushed): the
//! list per location with its headline figures, the whole Z of one day, for owners,
//! managers and viewers alike; a closed day pushed again with other figures changes
//! nothing the owner sees; bad ids and unknown ones answer our JSON errors.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::sync::{day_close, device, hlc, push_applied, push_ok, upsert};
use serde_json::json;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

#[sqlx::test(migrations = false)]
async fn the_owner_reads_each_closed_day_of_a_location(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("cierres").await;
    let location = tenant.location_id.clone();
    let (device_id, token) = device(&app, &tenant.token, &location, "Caja 1").await;
    let (older, older_row) = day_close("2026-12-05", &device_id);
    let (newer, newer_row) = day_close("2026-12-06", &device_id);
    push_applied(
        &app,
        &token,
        vec![
            upsert("day_close", &older, older_row, &hlc(1)),
            upsert("day_close", &newer, newer_row.clone(), &hlc(2)),
        ],
    )
    .await;

    let list = app
        .get(
            &format!("/api/v1/locations/{location}/day-closes"),
            &tenant.token,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
    let days = list.body.as_array().unwrap();
    assert_eq!(days.len(), 2);
    // Newest business day first, with the Z's own figures.
    assert_eq!(days[0]["id"], newer.as_str());
    assert_eq!(days[0]["business_date"], "2026-12-06");
    assert_eq!(days[0]["device_name"], "Caja 1");
    assert_eq!(days[0]["closed_by_name"], "Ana Núñez");
    assert_eq!(days[0]["sales"], 12_990 + 25_980);
    assert_eq!(days[0]["orders"], 2);
    assert_eq!(days[0]["covers"], 3);
    assert_eq!(days[0]["average_ticket"], (12_990 + 25_980) / 2);
    assert_eq!(days[0]["tips"], 2_598);
    assert_eq!(days[0]["collected"], 12_990 + 25_980 + 2_598 - 2_000);
    assert_eq!(days[0]["cash_difference"], -500);
    assert_eq!(days[0]["has_late_corrections"], false);
    assert_eq!(days[1]["id"], older.as_str());
    let limited = app
        .get(
            &format!("/api/v1/locations/{location}/day-closes?limit=1"),
            &tenant.token,
        )
        .await;
    assert_eq!(limited.body.as_array().unwrap().len(), 1);

    // The detail is the Z as the counter froze it, every section included.
    let detail = app
        .get(&format!("/api/v1/day-closes/{newer}"), &tenant.token)
        .await;
    assert_eq!(detail.status, StatusCode::OK, "{:?}", detail.body);
    assert_eq!(detail.body["location_id"], location.as_str());
    assert_eq!(
        detail.body["location_name"],
        tenant_location_name(&app, &tenant).await
    );
    assert_eq!(detail.body["report"], newer_row["report"]);
    let report = &detail.body["report"];
    assert_eq!(report["kind"], "z");
    assert_eq!(report["voids"][0]["by"], "Ana Núñez");
    assert_eq!(report["voids"][0]["reason"], "Se equivocó de mesa");
    assert_eq!(report["tips_by_waiter"][0]["waiter"], "Juan Pérez");
    assert_eq!(report["drawers"][0]["counted"], 60_490);
    assert_eq!(report["refunds"], 2_000);

    // A second push of the same close claiming other figures changes nothing.
    let mut forged = newer_row.clone();
    forged["report"]["sales"] = json!(1);
    forged["closed_by_name"] = json!("Nadie");
    push_ok(
        &app,
        &token,
        vec![upsert("day_close", &newer, forged, &hlc(3))],
    )
    .await;
    let again = app
        .get(&format!("/api/v1/day-closes/{newer}"), &tenant.token)
        .await;
    assert_eq!(again.body["report"]["sales"], 12_990 + 25_980);
    assert_eq!(again.body["closed_by_name"], "Ana Núñez");

    // Managers and viewers read reports too; nobody without a session does.
    for role in ["manager", "viewer"] {
        let (_, other) = app
            .account(&tenant.token, &format!("{role}@cierres.cl"), role)
            .await;
        let reply = app
            .get(&format!("/api/v1/locations/{location}/day-closes"), &other)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{role}: {:?}", reply.body);
        assert_eq!(reply.body.as_array().unwrap().len(), 2);
    }
    let anonymous = app
        .call(
            axum::http::Method::GET,
            &format!("/api/v1/day-closes/{newer}"),
            serde_json::Value::Null,
            None,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

async fn tenant_location_name(app: &TestApp, tenant: &common::Tenant) -> String {
    let reply = app
        .get(
            &format!("/api/v1/locations/{}", tenant.location_id),
            &tenant.token,
        )
        .await;
    reply.body["name"].as_str().unwrap().to_owned()
}

#[sqlx::test(migrations = false)]
async fn unknown_and_malformed_ids_answer_json_errors(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("cierres-malos").await;
    let location = &tenant.location_id;
    let empty = app
        .get(
            &format!("/api/v1/locations/{location}/day-closes"),
            &tenant.token,
        )
        .await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.body, json!([]));
    let unknown = uuid::Uuid::now_v7();
    for path in [
        format!("/api/v1/locations/{unknown}/day-closes"),
        format!("/api/v1/day-closes/{unknown}"),
    ] {
        let reply = app.get(&path, &tenant.token).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{path}: {:?}",
            reply.body
        );
        assert_eq!(reply.code(), "not_found");
    }
    for path in [
        "/api/v1/locations/no-es-un-id/day-closes".to_owned(),
        "/api/v1/day-closes/no-es-un-id".to_owned(),
        format!("/api/v1/locations/{location}/day-closes?limit=muchos"),
    ] {
        let reply = app.get(&path, &tenant.token).await;
        assert!(reply.status.is_client_error(), "{path}: {:?}", reply.status);
        assert!(!reply.code().is_empty(), "{path}: {:?}", reply.body);
    }
}
