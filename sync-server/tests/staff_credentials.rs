//! Staff credentials stay in the restaurant (docs/SECURITY.md): what a device token can do
//! with staff rows on the real cloud router. It can neither make the cloud store a hash in
//! clear nor read one back; sealed credentials are kept as an opaque bounded value; a
//! database from before the seals forgets every hash it held.

#![allow(clippy::unwrap_used)]

mod common;

use common::sync::push_ok as push;

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
    common::sync::device_token(app, &tenant.token, &tenant.location_id, name).await
}

fn user_mutation(user: &str, op: &str, payload: Value, hlc: &str) -> Value {
    json!({
        "mutation_id": Uuid::now_v7().to_string(),
        "entity": "user", "entity_id": user, "op": op, "payload": payload, "hlc": hlc,
    })
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

// ------------------------------------------------------------------ two counters, one thief

/// The appliance's own test harness, to drive real counters against this real cloud.
#[path = "../../crates/appliance/tests/common/mod.rs"]
mod counter;

use dysa_appliance::sync::location_key::{self, LocationKey};
use std::time::Duration;

async fn eventually<F, Fut>(what: &str, counter: &counter::TestApp, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..300 {
        if check().await {
            return;
        }
        counter.state.sync.sync_now();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting until {what}");
}

/// Connects `counter` (signed in as `admin`) to the cloud at `url`.
async fn connect(
    counter: &counter::TestApp,
    admin: &str,
    cloud: &TestApp,
    tenant: &Tenant,
    url: &str,
) {
    let code = cloud
        .post(
            &format!("/api/v1/locations/{}/enrollment-codes", tenant.location_id),
            Value::Null,
            Some(&tenant.token),
        )
        .await;
    let reply = counter
        .post(
            "/api/v1/cloud/connect",
            json!({ "cloud_url": url, "enrollment_code": code.body["enrollment_code"] }),
            admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

async fn role_at(counter: &counter::TestApp, user: &str) -> Option<(String, bool)> {
    sqlx::query_as("SELECT role, active = 1 FROM users WHERE id = ?")
        .bind(user)
        .fetch_optional(&counter.state.db.read)
        .await
        .unwrap()
}

async fn pin_login(counter: &counter::TestApp, user: &str, pin: &str) -> counter::Reply {
    counter
        .call(
            axum::http::Method::POST,
            "/api/v1/auth/pin",
            json!({ "user_id": user, "pin": pin }),
            counter::Auth::None,
        )
        .await
}

#[sqlx::test(migrations = false)]
async fn only_changes_sealed_at_the_location_reach_the_other_counter(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let cloud = TestApp::new(owner).await;
    let tenant = cloud.signup("dos-cajas").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dysa_cloud::serve(
        listener,
        cloud.state.clone(),
        std::future::pending(),
    ));

    // Counter one is set up (and makes the location key); counter two has its own admin
    // and receives the location's key (the join flow's job; given directly here).
    let one = counter::TestApp::new().await;
    let admin_one = one.setup().await;
    let two = counter::TestApp::new().await;
    let setup = two
        .call(
            axum::http::Method::POST,
            "/api/v1/setup",
            json!({ "restaurant_name": "Donde Pepe", "name": "Berta", "email": "berta@donde-pepe.cl",
                    "password": "empanadas de pino 2026" }),
            counter::Auth::None,
        )
        .await;
    assert_eq!(setup.status, StatusCode::CREATED, "{:?}", setup.body);
    let admin_two = setup.body["access_token"].as_str().unwrap().to_owned();
    let key = one.state.db.location_key.current().unwrap();
    let resealed =
        location_key::install_location_key(&two.state.db, LocationKey::from_bytes(*key.as_bytes()))
            .await
            .unwrap();
    assert_eq!(
        resealed, 1,
        "counter two's admin is sealed with the location's key"
    );
    connect(&one, &admin_one, &cloud, &tenant, &url).await;
    connect(&two, &admin_two, &cloud, &tenant, &url).await;

    // A waiter made at counter one signs in at counter two.
    let created = one
        .post(
            "/api/v1/users",
            json!({ "name": "Ana", "email": "ana@donde-pepe.cl", "password": "sopaipillas pasadas",
                    "role": "waiter", "pin": "1234" }),
            &admin_one,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let ana = created.body["id"].as_str().unwrap().to_owned();
    eventually("counter two knows Ana", &two, || async {
        role_at(&two, &ana).await.is_some()
    })
    .await;
    let mut conn = cloud.owner_conn().await;
    let old_blob: String = sqlx::query_scalar(
        "SELECT row ->> 'credentials' FROM sync_rows WHERE entity = 'user' AND entity_id = $1",
    )
    .bind(&ana)
    .fetch_one(&mut conn)
    .await
    .unwrap();

    // A legitimate role change and PIN reset at counter one reach counter two.
    let patched = one
        .call(
            axum::http::Method::PATCH,
            &format!("/api/v1/users/{ana}"),
            json!({ "role": "manager" }),
            counter::Auth::Bearer(&admin_one),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
    let pin = one
        .post(
            &format!("/api/v1/users/{ana}/pin"),
            json!({ "pin": "5678" }),
            &admin_one,
        )
        .await;
    assert!(pin.status.is_success(), "{:?}", pin.body);
    eventually(
        "counter two has Ana as manager with her new PIN",
        &two,
        || async {
            let held: Option<String> =
                sqlx::query_scalar("SELECT credentials_sealed_at FROM users WHERE id = ?")
                    .bind(&ana)
                    .fetch_one(&two.state.db.read)
                    .await
                    .unwrap();
            let at_one: Option<String> =
                sqlx::query_scalar("SELECT credentials_sealed_at FROM users WHERE id = ?")
                    .bind(&ana)
                    .fetch_one(&one.state.db.read)
                    .await
                    .unwrap();
            held.is_some() && held == at_one
        },
    )
    .await;
    assert_eq!(
        role_at(&two, &ana).await,
        Some(("manager".to_owned(), true))
    );

    // The thief holds a device token of the location, not its key.
    let thief = device_token(&cloud, &tenant, "PC viejo").await;
    let ahead = Hlc {
        wall_ms: u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap() + 60_000,
        counter: 0,
        node: 0xbad,
    }
    .to_string();
    let evil = Uuid::now_v7().to_string();
    let forged = staff_seal::seal(
        &[13; 32],
        &key.seal_label(),
        &evil,
        &StaffSecret {
            name: "Jefe".into(),
            email: "jefe@ladron.cl".into(),
            role: Role::Admin,
            active: true,
            password_hash: dysa_appliance::auth::password::hash("clave del ladron".into())
                .await
                .unwrap(),
            pin_hash: None,
            sealed_at: ahead.parse().unwrap(),
        },
    );
    let results = push(
        &cloud,
        &thief,
        vec![
            user_mutation(
                &evil,
                "upsert",
                json!({"id": evil, "name": "Jefe", "email": "jefe@ladron.cl", "role": "admin",
                       "active": true, "credentials": forged}),
                &ahead,
            ),
            // Ana's old seal replayed as new, and her mirrors lying about her role.
            user_mutation(
                &ana,
                "upsert",
                json!({"credentials": old_blob, "role": "admin"}),
                &ahead,
            ),
        ],
    )
    .await;
    assert_eq!(
        results
            .iter()
            .map(|r| r["outcome"].clone())
            .collect::<Vec<_>>(),
        ["applied", "applied"],
        "the cloud cannot tell: it stores what it cannot read"
    );
    eventually("counter two parked the forged account", &two, || async {
        let reason: Option<String> = sqlx::query_scalar(
            "SELECT reason FROM sync_parked WHERE entity = 'user' AND entity_id = ?",
        )
        .bind(&evil)
        .fetch_optional(&two.state.db.read)
        .await
        .unwrap();
        reason.as_deref() == Some(staff_seal::SEAL_INVALID)
    })
    .await;
    let replay_version = results[1]["current"]["version"].as_i64().unwrap();
    eventually("counter two took the replay's version", &two, || async {
        let version: Option<i64> = sqlx::query_scalar(
            "SELECT version FROM sync_row_versions WHERE entity = 'user' AND entity_id = ?",
        )
        .bind(&ana)
        .fetch_optional(&two.state.db.read)
        .await
        .unwrap();
        version == Some(replay_version)
    })
    .await;

    // Nothing the thief sent signs anyone in at counter two.
    assert!(role_at(&two, &evil).await.is_none());
    let login = two.login("jefe@ladron.cl", "clave del ladron").await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED, "{:?}", login.body);
    assert_eq!(
        role_at(&two, &ana).await,
        Some(("manager".to_owned(), true))
    );
    assert_eq!(
        pin_login(&two, &ana, "1234").await.status,
        StatusCode::UNAUTHORIZED,
        "the replayed old PIN does not come back"
    );
    let signed_in = pin_login(&two, &ana, "5678").await;
    assert_eq!(signed_in.status, StatusCode::OK, "{:?}", signed_in.body);
    assert_eq!(signed_in.body["user"]["role"], "manager");
}
