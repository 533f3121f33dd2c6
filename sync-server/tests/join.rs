//! A new counter joins a location by approval (docs/SYNC.md, "Joining a location"): the
//! location key's claim, the join requests and their isolation, on the real router and
//! Postgres. The cloud relays a sealed key it cannot open.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Tenant, TestApp};
use dysa_domain::join::{JoinKeyPair, seal_location_key};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

/// Enrols a device of `tenant`'s location with a fresh code; answers `(id, token)`.
async fn device(app: &TestApp, tenant: &Tenant, name: &str) -> (String, String) {
    common::sync::device(app, &tenant.token, &tenant.location_id, name).await
}

const FINGERPRINT: &str = "k1-0123456789abcdef";

#[sqlx::test(migrations = false)]
async fn the_first_claim_of_a_location_key_wins(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("llave").await;
    let (_, first) = device(&app, &tenant, "Caja 1").await;
    let (_, second) = device(&app, &tenant, "Caja 2").await;

    let none = app.get("/api/v1/sync/location-key", &second).await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.body["fingerprint"], Value::Null);

    // Racing claims with different fingerprints: exactly one wins.
    let claims = (0..6).map(|i| {
        let app = &app;
        let token = if i % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        async move {
            app.post(
                "/api/v1/sync/location-key",
                json!({ "fingerprint": format!("k1-rival-{i}-aaaaaaaa") }),
                Some(&token),
            )
            .await
        }
    });
    let replies = futures::future::join_all(claims).await;
    let won: Vec<&common::Reply> = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .collect();
    assert_eq!(won.len(), 1, "{replies:?}");
    assert!(
        replies
            .iter()
            .filter(|r| r.status != StatusCode::OK)
            .all(|r| r.status == StatusCode::CONFLICT && r.code() == "location_key_exists")
    );
    let held = won[0].body["fingerprint"].as_str().unwrap().to_owned();

    // The same fingerprint again is fine, from any device of the location.
    let again = app
        .post(
            "/api/v1/sync/location-key",
            json!({ "fingerprint": held }),
            Some(&second),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    let state = app.get("/api/v1/sync/location-key", &first).await;
    assert_eq!(state.body["fingerprint"], held.as_str());

    // Bad input is a 422 with the field named; no token is a 401.
    for bad in [
        json!({ "fingerprint": "short" }),
        json!({ "fingerprint": "a b c d e f g h" }),
    ] {
        let reply = app
            .post("/api/v1/sync/location-key", bad, Some(&first))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body["error"]["fields"]["fingerprint"].is_string());
    }
    let missing = app
        .post("/api/v1/sync/location-key", json!({}), Some(&first))
        .await;
    assert!(missing.status.is_client_error(), "{missing:?}");
    let anonymous = app
        .post(
            "/api/v1/sync/location-key",
            json!({ "fingerprint": FINGERPRINT }),
            None,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = false)]
async fn a_counter_joins_by_approval_and_the_cloud_holds_only_ciphertext(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("unir").await;
    let (_, first) = device(&app, &tenant, "Caja 1").await;
    let (new_id, joining) = device(&app, &tenant, "Caja 2").await;
    let location_key = [7u8; 32];

    let pair = JoinKeyPair::generate();
    let created = app
        .post(
            "/api/v1/sync/join-requests",
            json!({ "public_key": pair.public_key_text(), "device_name": "Caja 2" }),
            Some(&joining),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["status"], "pending");
    let id = created.body["id"].as_str().unwrap().to_owned();

    // The other counter sees it (with the key to derive the code from), not its maker.
    let listed = app.get("/api/v1/sync/join-requests", &first).await;
    assert_eq!(listed.status, StatusCode::OK);
    let listed = listed.body.as_array().unwrap().clone();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["device_id"], new_id.as_str());
    assert_eq!(listed[0]["public_key"], pair.public_key_text().as_str());
    let own = app.get("/api/v1/sync/join-requests", &joining).await;
    assert_eq!(own.body.as_array().unwrap().len(), 0);

    // The maker cannot approve its own request.
    let public =
        dysa_domain::join::parse_public_key(listed[0]["public_key"].as_str().unwrap()).unwrap();
    let sealed = seal_location_key(&public, &location_key).unwrap();
    let self_approved = app
        .post(
            &format!("/api/v1/sync/join-requests/{id}/approve"),
            json!({ "sealed_key": sealed }),
            Some(&joining),
        )
        .await;
    assert_eq!(self_approved.status, StatusCode::NOT_FOUND);
    // A body that is not a sealed key is refused.
    let garbage = app
        .post(
            &format!("/api/v1/sync/join-requests/{id}/approve"),
            json!({ "sealed_key": "AAAA" }),
            Some(&first),
        )
        .await;
    assert_eq!(garbage.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(garbage.body["error"]["fields"]["sealed_key"].is_string());

    let approved = app
        .post(
            &format!("/api/v1/sync/join-requests/{id}/approve"),
            json!({ "sealed_key": sealed }),
            Some(&first),
        )
        .await;
    assert_eq!(
        approved.status,
        StatusCode::NO_CONTENT,
        "{:?}",
        approved.body
    );
    let twice = app
        .post(
            &format!("/api/v1/sync/join-requests/{id}/refuse"),
            Value::Null,
            Some(&first),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.code(), "join_request_closed");

    // Only the joining counter receives the sealed key, and only its secret opens it.
    let seen_by_first = app
        .get(&format!("/api/v1/sync/join-requests/{id}"), &first)
        .await;
    assert_eq!(seen_by_first.body["status"], "approved");
    assert_eq!(seen_by_first.body["sealed_key"], Value::Null);
    let fetched = app
        .get(&format!("/api/v1/sync/join-requests/{id}"), &joining)
        .await;
    assert_eq!(fetched.status, StatusCode::OK);
    let fetched = fetched.body["sealed_key"].as_str().unwrap().to_owned();
    assert_eq!(pair.open_location_key(&fetched).unwrap(), location_key);

    // Everything the cloud stored about the request: nothing opens it but the new
    // counter's secret key, and the key is nowhere in clear.
    let mut conn = app.owner_conn().await;
    let stored: String = sqlx::query_scalar("SELECT row_to_json(j)::text FROM join_requests j")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let stored_sealed: String = sqlx::query_scalar("SELECT sealed_key FROM join_requests")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(
        JoinKeyPair::generate()
            .open_location_key(&stored_sealed)
            .is_err()
    );
    use base64::Engine;
    let clear = base64::engine::general_purpose::STANDARD.encode(location_key);
    assert!(!stored.contains(&clear));
    assert!(!stored.contains("0707070707070707"));
}

#[sqlx::test(migrations = false)]
async fn join_requests_stay_in_their_location_and_die_with_the_token(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let a = app.signup("tenant-a").await;
    let b = app.signup("tenant-b").await;
    let (_, a_first) = device(&app, &a, "Caja A1").await;
    let (a_new_id, a_new) = device(&app, &a, "Caja A2").await;
    let (_, b_device) = device(&app, &b, "Caja B").await;
    let (other_place_id, other_place) = device(&app, &a, "Caja sucursal").await;
    // Move one of tenant A's devices to a second location of A.
    let mut conn = app.owner_conn().await;
    let second_location = Uuid::now_v7();
    let tenant_a: Uuid = a.id.parse().unwrap();
    sqlx::query(
        "INSERT INTO locations (id, tenant_id, name, slug) VALUES ($1, $2, 'Sucursal', 'sucursal')",
    )
    .bind(second_location)
    .bind(tenant_a)
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query("UPDATE devices SET location_id = $1 WHERE id = $2")
        .bind(second_location)
        .bind(other_place_id.parse::<Uuid>().unwrap())
        .execute(&mut conn)
        .await
        .unwrap();

    let pair = JoinKeyPair::generate();
    let created = app
        .post(
            "/api/v1/sync/join-requests",
            json!({ "public_key": pair.public_key_text(), "device_name": "Caja A2" }),
            Some(&a_new),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let sealed = seal_location_key(&pair.public_key(), &[1u8; 32]).unwrap();

    // Another tenant's device and another location's device: nothing listed, 404 on it.
    for outsider in [&b_device, &other_place] {
        let listed = app.get("/api/v1/sync/join-requests", outsider).await;
        assert_eq!(listed.status, StatusCode::OK);
        assert_eq!(listed.body.as_array().unwrap().len(), 0);
        assert_eq!(
            app.get(&format!("/api/v1/sync/join-requests/{id}"), outsider)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        for action in ["approve", "refuse"] {
            let reply = app
                .post(
                    &format!("/api/v1/sync/join-requests/{id}/{action}"),
                    json!({ "sealed_key": sealed }),
                    Some(outsider),
                )
                .await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{action}: {reply:?}");
        }
    }
    // Their location keys are their own too.
    let claimed = app
        .post(
            "/api/v1/sync/location-key",
            json!({ "fingerprint": FINGERPRINT }),
            Some(&a_first),
        )
        .await;
    assert_eq!(claimed.status, StatusCode::OK);
    for outsider in [&b_device, &other_place] {
        let state = app.get("/api/v1/sync/location-key", outsider).await;
        assert_eq!(state.body["fingerprint"], Value::Null);
    }

    // Bad input: 422 JSON, never a 500.
    for bad in [
        json!({ "public_key": "nope", "device_name": "Caja" }),
        json!({ "public_key": pair.public_key_text(), "device_name": "" }),
        json!({ "public_key": pair.public_key_text(), "device_name": "x".repeat(81) }),
    ] {
        let reply = app
            .post("/api/v1/sync/join-requests", bad, Some(&a_new))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{reply:?}");
        assert!(reply.body["error"]["fields"].is_object());
    }
    let not_uuid = app
        .get("/api/v1/sync/join-requests/not-a-uuid", &a_first)
        .await;
    assert!(not_uuid.status.is_client_error());

    // A request past its 24 hours cannot be approved and is no longer listed.
    sqlx::query("UPDATE join_requests SET expires_at = now() - interval '1 second'")
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        app.get("/api/v1/sync/join-requests", &a_first)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let late = app
        .post(
            &format!("/api/v1/sync/join-requests/{id}/approve"),
            json!({ "sealed_key": sealed }),
            Some(&a_first),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let mine = app
        .get(&format!("/api/v1/sync/join-requests/{id}"), &a_new)
        .await;
    assert_eq!(mine.body["status"], "expired");

    // A revoked device's token does none of it.
    let revoked = app
        .post(
            &format!("/api/v1/devices/{a_new_id}/revoke"),
            Value::Null,
            Some(&a.token),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK);
    let calls: Vec<(Method, String, Value)> = vec![
        (Method::GET, "/api/v1/sync/location-key".into(), Value::Null),
        (
            Method::POST,
            "/api/v1/sync/location-key".into(),
            json!({ "fingerprint": FINGERPRINT }),
        ),
        (
            Method::GET,
            "/api/v1/sync/join-requests".into(),
            Value::Null,
        ),
        (
            Method::POST,
            "/api/v1/sync/join-requests".into(),
            json!({ "public_key": pair.public_key_text(), "device_name": "Caja" }),
        ),
        (
            Method::GET,
            format!("/api/v1/sync/join-requests/{id}"),
            Value::Null,
        ),
        (
            Method::POST,
            format!("/api/v1/sync/join-requests/{id}/approve"),
            json!({ "sealed_key": sealed }),
        ),
        (
            Method::POST,
            format!("/api/v1/sync/join-requests/{id}/refuse"),
            Value::Null,
        ),
    ];
    for (method, path, body) in calls {
        let reply = app.call(method.clone(), &path, body, Some(&a_new)).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
}
