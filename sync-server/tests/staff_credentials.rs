//! Staff credentials stay in the restaurant (docs/SECURITY.md): what a device token can do
//! with staff rows on the real cloud router. It can neither make the cloud store a hash in
//! clear nor read one back; sealed credentials are kept as an opaque bounded value; a
//! database from before the seals forgets every hash it held.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::{Tenant, TestApp};
use dysa_domain::hlc::Hlc;
use dysa_domain::rbac::Role;
use dysa_domain::staff_seal::{self, StaffSecret};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

const PASSWORD_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
const PIN_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$cGlucGlucGlu$cGluaGFzaHBpbmhhc2g";

fn stamp(ms: u64) -> String {
    let now = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap();
    Hlc {
        wall_ms: now - 3_600_000 + ms,
        counter: 0,
        node: 0xabc,
    }
    .to_string()
}

/// A device token of the tenant's first location.
async fn device_token(app: &TestApp, tenant: &Tenant, name: &str) -> String {
    let code = app
        .post(
            &format!("/api/v1/locations/{}/enrollment-codes", tenant.location_id),
            Value::Null,
            Some(&tenant.token),
        )
        .await;
    assert_eq!(code.status, StatusCode::CREATED, "{:?}", code.body);
    let enrolled = app
        .enroll(code.body["enrollment_code"].as_str().unwrap(), name)
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:?}", enrolled.body);
    enrolled.body["device_token"].as_str().unwrap().to_owned()
}

fn user_mutation(user: &str, op: &str, payload: Value, hlc: &str) -> Value {
    json!({
        "mutation_id": Uuid::now_v7().to_string(),
        "entity": "user", "entity_id": user, "op": op, "payload": payload, "hlc": hlc,
    })
}

async fn push(app: &TestApp, token: &str, mutations: Vec<Value>) -> Vec<Value> {
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

/// Every page of `route` ("pull" or "snapshot") as one JSON text.
async fn everything_served(app: &TestApp, token: &str, route: &str) -> String {
    let mut cursor = 0;
    let mut text = String::new();
    loop {
        let page = app
            .get(
                &format!("/api/v1/sync/{route}?cursor={cursor}&limit=1000&schema_version=1"),
                token,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        text.push_str(&page.body.to_string());
        cursor = page.body["cursor"].as_i64().unwrap();
        if !page.body["has_more"].as_bool().unwrap() {
            return text;
        }
    }
}

fn sealed(user: &str, role: Role, at: &str) -> String {
    staff_seal::seal(
        &[42; 32],
        "location-fingerprint",
        user,
        &StaffSecret {
            name: "Ana".into(),
            email: "ana@donde-pepe.cl".into(),
            role,
            active: true,
            password_hash: PASSWORD_HASH.into(),
            pin_hash: Some(PIN_HASH.into()),
            sealed_at: at.parse().unwrap(),
        },
    )
}

#[sqlx::test(migrations = false)]
async fn a_device_token_can_neither_store_nor_read_a_staff_hash(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("sellado").await;
    let counter = device_token(&app, &tenant, "Caja").await;
    let thief = device_token(&app, &tenant, "Robado").await;
    let (ana, forged) = (Uuid::now_v7().to_string(), Uuid::now_v7().to_string());

    // The legitimate counter: mirrors plus the sealed credentials.
    let at = stamp(1);
    let results = push(
        &app,
        &counter,
        vec![user_mutation(
            &ana,
            "upsert",
            json!({"id": ana, "name": "Ana", "email": "ana@donde-pepe.cl", "role": "waiter",
                   "active": true, "created_at": "2026-12-01T12:00:00.000Z", "updated_at": at,
                   "credentials": sealed(&ana, Role::Waiter, &at)}),
            &at,
        )],
    )
    .await;
    assert_eq!(results[0]["outcome"], "applied", "{results:?}");

    // The thief: an admin with hashes of its choosing, a re-key of Ana, a delete, a field
    // nobody knows, and credentials too big to be a seal.
    let later = stamp(2);
    let attacks = vec![
        user_mutation(
            &forged,
            "upsert",
            json!({"id": forged, "name": "Jefe", "email": "jefe@x.cl", "role": "admin",
                   "active": true, "password_hash": PASSWORD_HASH, "pin_hash": PIN_HASH}),
            &later,
        ),
        user_mutation(&ana, "upsert", json!({"pin_hash": PIN_HASH}), &later),
        user_mutation(
            &ana,
            "upsert",
            json!({"password_hash": PASSWORD_HASH}),
            &later,
        ),
        user_mutation(&ana, "delete", json!({}), &later),
        user_mutation(&ana, "upsert", json!({"is_owner": true}), &later),
    ];
    let results = push(&app, &thief, attacks).await;
    for result in &results {
        assert_eq!(result["outcome"], "rejected", "{result}");
        assert_eq!(result["reason"], "unauthorised_field", "{result}");
    }
    let huge = format!("v1.{}", "A".repeat(staff_seal::MAX_CREDENTIALS_LEN));
    let results = push(
        &app,
        &thief,
        vec![user_mutation(
            &ana,
            "upsert",
            json!({"credentials": huge}),
            &later,
        )],
    )
    .await;
    assert_eq!(results[0]["reason"], "malformed", "{results:?}");

    // Nothing any device can read holds a hash, while the seal travels as it was pushed.
    for token in [&counter, &thief] {
        for route in ["pull", "snapshot"] {
            let served = everything_served(&app, token, route).await;
            assert!(!served.contains("password_hash"), "{route}: {served}");
            assert!(!served.contains("pin_hash"), "{route}: {served}");
            assert!(!served.contains("$argon2"), "{route}: {served}");
            assert!(
                served.contains("\"credentials\":\"v1."),
                "{route}: {served}"
            );
        }
    }
    // The owners' dashboard still sees the account by its mirrors.
    let mut conn = app.owner_conn().await;
    let (name, role): (String, String) =
        sqlx::query_as("SELECT name, role FROM staff_users WHERE id = $1::uuid")
            .bind(&ana)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!((name.as_str(), role.as_str()), ("Ana", "waiter"));
    let forged_rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sync_rows WHERE entity_id = $1")
            .bind(&forged)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(forged_rows, 0, "a refused account is not kept");
}

#[sqlx::test(migrations = false)]
async fn the_cloud_forgets_every_hash_it_held_before_the_seals(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("olvido").await;
    let counter = device_token(&app, &tenant, "Caja").await;
    let ana = Uuid::now_v7().to_string();
    let at = stamp(1);
    push(
        &app,
        &counter,
        vec![user_mutation(
            &ana,
            "upsert",
            json!({"id": ana, "name": "Ana", "email": "ana@donde-pepe.cl", "role": "admin",
                   "active": true, "updated_at": at}),
            &at,
        )],
    )
    .await;
    // What an older cloud stored: the hashes in the merged row and in its field stamps.
    let mut conn = app.owner_conn().await;
    sqlx::query(
        "UPDATE sync_rows SET row = row || jsonb_build_object('password_hash', $2::text, 'pin_hash', $3::text),
                field_hlc = jsonb_build_object('password_hash', $4::text, 'pin_hash', $4::text)
         WHERE entity = 'user' AND entity_id = $1",
    )
    .bind(&ana)
    .bind(PASSWORD_HASH)
    .bind(PIN_HASH)
    .bind(stamp(0))
    .execute(&mut conn)
    .await
    .unwrap();
    assert!(
        everything_served(&app, &counter, "snapshot")
            .await
            .contains("pin_hash")
    );

    sqlx::raw_sql(include_str!(
        "../../migrations/cloud/0007_forget_staff_hashes.sql"
    ))
    .execute(&mut conn)
    .await
    .unwrap();

    let (row, field_hlc): (Value, Value) = sqlx::query_as(
        "SELECT row, field_hlc FROM sync_rows WHERE entity = 'user' AND entity_id = $1",
    )
    .bind(&ana)
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert!(
        row.get("password_hash").is_none() && row.get("pin_hash").is_none(),
        "{row}"
    );
    assert_eq!(field_hlc, json!({}));
    assert_eq!(row["name"], "Ana", "the rest of the account stays");
    let served = everything_served(&app, &counter, "snapshot").await;
    assert!(
        !served.contains("password_hash") && !served.contains("pin_hash"),
        "{served}"
    );
}
