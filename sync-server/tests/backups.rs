//! The counters' backups in the cloud (issue 20; docs/SECURITY.md, "Backups in the
//! cloud"): uploaded in parts and checked at completion, read back byte for byte by a
//! device of the same location only, the backup key's recovery copy sealed and handed to
//! the location's devices only, and a retention of 30 days that keeps the newest.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;
use common::sync::device;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tower::ServiceExt;

/// Sends raw bytes (or none) and answers status and body bytes.
async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Vec<u8>,
) -> (StatusCode, Vec<u8>) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "cloud.test")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(Body::from(body))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    (
        status,
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Uploads `file` as backup `id` in parts of `part` bytes, taken at `taken_at`; answers the
/// completion's reply.
async fn upload(
    app: &TestApp,
    token: &str,
    id: &str,
    taken_at: &str,
    file: &[u8],
    part: usize,
) -> common::Reply {
    let begun = app
        .post(
            "/api/v1/sync/backups",
            json!({"id": id, "taken_at": taken_at}),
            Some(token),
        )
        .await;
    assert_eq!(begun.status, StatusCode::NO_CONTENT, "{:?}", begun.body);
    let parts: Vec<&[u8]> = file.chunks(part).collect();
    for (n, bytes) in parts.iter().enumerate() {
        let (status, body) = raw(
            app,
            Method::PUT,
            &format!("/api/v1/sync/backups/{id}/parts/{n}"),
            token,
            bytes.to_vec(),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::NO_CONTENT,
            "{}",
            String::from_utf8_lossy(&body)
        );
    }
    app.post(
        &format!("/api/v1/sync/backups/{id}/complete"),
        json!({"parts": parts.len(), "size_bytes": file.len(), "sha256": hex(file)}),
        Some(token),
    )
    .await
}

fn file(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

#[sqlx::test(migrations = false)]
async fn a_backup_goes_up_in_parts_and_comes_back_equal_to_its_location_only(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("respaldo-nube").await;
    let (device_a, token_a) = device(&app, &tenant.token, &tenant.location_id, "Caja 1").await;
    let (_, token_b) = device(&app, &tenant.token, &tenant.location_id, "Caja nueva").await;
    let body = file(7, 300_000);
    let id = uuid::Uuid::now_v7().to_string();

    // A wrong hash is refused and the backup stays unfinished (not the newest).
    let begun = app
        .post(
            "/api/v1/sync/backups",
            json!({"id": id, "taken_at": "2026-12-07T12:00:00Z"}),
            Some(&token_a),
        )
        .await;
    assert_eq!(begun.status, StatusCode::NO_CONTENT);
    for (n, bytes) in body.chunks(100_000).enumerate() {
        let path = format!("/api/v1/sync/backups/{id}/parts/{n}");
        assert_eq!(
            raw(&app, Method::PUT, &path, &token_a, bytes.to_vec())
                .await
                .0,
            StatusCode::NO_CONTENT
        );
    }
    let wrong = app
        .post(
            &format!("/api/v1/sync/backups/{id}/complete"),
            json!({"parts": 3, "size_bytes": body.len(), "sha256": hex(b"otra cosa")}),
            Some(&token_a),
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        wrong.body
    );
    assert_eq!(
        wrong.body["error"]["code"], "validation_failed",
        "{:?}",
        wrong.body
    );
    let gap = app
        .post(
            &format!("/api/v1/sync/backups/{id}/complete"),
            json!({"parts": 4, "size_bytes": body.len(), "sha256": hex(&body)}),
            Some(&token_a),
        )
        .await;
    assert_eq!(gap.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get("/api/v1/sync/backups/latest", &token_b)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Completed right, the location's other counter reads it back byte for byte.
    let done = app
        .post(
            &format!("/api/v1/sync/backups/{id}/complete"),
            json!({"parts": 3, "size_bytes": body.len(), "sha256": hex(&body)}),
            Some(&token_a),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    let latest = app.get("/api/v1/sync/backups/latest", &token_b).await;
    assert_eq!(latest.status, StatusCode::OK, "{:?}", latest.body);
    assert_eq!(latest.body["id"], id);
    assert_eq!(latest.body["device_id"], device_a);
    assert_eq!(latest.body["size_bytes"], body.len());
    let mut back = Vec::new();
    for n in 0..latest.body["parts"].as_i64().unwrap() {
        let (status, bytes) = raw(
            &app,
            Method::GET,
            &format!("/api/v1/sync/backups/{id}/parts/{n}"),
            &token_b,
            Vec::new(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        back.extend(bytes);
    }
    assert_eq!(back, body);
    // A complete backup takes no more parts.
    let late = raw(
        &app,
        Method::PUT,
        &format!("/api/v1/sync/backups/{id}/parts/0"),
        &token_a,
        vec![1],
    )
    .await;
    assert_eq!(late.0, StatusCode::NOT_FOUND);

    // The key's recovery copy: sealed at rest, opened for the location's devices.
    let key = vec![42u8; 32];
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&key);
    let kept = app
        .put("/api/v1/sync/backup-key", json!({"key": b64}), &token_a)
        .await;
    assert_eq!(kept.status, StatusCode::NO_CONTENT, "{:?}", kept.body);
    let mut conn = app.owner_conn().await;
    let stored: String = sqlx::query_scalar("SELECT sealed_key FROM backup_keys")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_ne!(stored, b64, "the key is not kept in clear");
    let opened = app
        .get(&format!("/api/v1/sync/backup-key/{device_a}"), &token_b)
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{:?}", opened.body);
    assert_eq!(opened.body["key"], b64);

    // Another location of the tenant and another tenant see none of it.
    let sucursal = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO locations (id, tenant_id, name, slug) VALUES ($1::uuid, $2::uuid, 'Sucursal', 'sucursal')")
        .bind(&sucursal)
        .bind(&tenant.id)
        .execute(&mut conn)
        .await
        .unwrap();
    let (_, token_other_location) = device(&app, &tenant.token, &sucursal, "Caja sucursal").await;
    let stranger = app.signup("otro-local").await;
    let (_, token_other_tenant) =
        device(&app, &stranger.token, &stranger.location_id, "Caja").await;
    for token in [&token_other_location, &token_other_tenant] {
        assert_eq!(
            app.get("/api/v1/sync/backups/latest", token).await.status,
            StatusCode::NOT_FOUND
        );
        let part = raw(
            &app,
            Method::GET,
            &format!("/api/v1/sync/backups/{id}/parts/0"),
            token,
            Vec::new(),
        )
        .await;
        assert_eq!(part.0, StatusCode::NOT_FOUND);
        let key = app
            .get(&format!("/api/v1/sync/backup-key/{device_a}"), token)
            .await;
        assert_eq!(key.status, StatusCode::NOT_FOUND, "{:?}", key.body);
        // Nor can they write into it.
        let put = raw(
            &app,
            Method::PUT,
            &format!("/api/v1/sync/backups/{id}/parts/5"),
            token,
            vec![1],
        )
        .await;
        assert_eq!(put.0, StatusCode::NOT_FOUND);
    }
    // Without a device token: 401.
    let anonymous = app
        .call(
            Method::GET,
            "/api/v1/sync/backups/latest",
            Value::Null,
            None,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = false)]
async fn parts_are_size_limited_and_old_backups_go_but_the_newest_stays(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("respaldo-viejo").await;
    let (_, token) = device(&app, &tenant.token, &tenant.location_id, "Caja 1").await;
    let id = uuid::Uuid::now_v7().to_string();
    let started = chrono::Utc::now().to_rfc3339();
    let begun = app
        .post(
            "/api/v1/sync/backups",
            json!({"id": id, "taken_at": started}),
            Some(&token),
        )
        .await;
    assert_eq!(begun.status, StatusCode::NO_CONTENT);
    let too_big = vec![0u8; 8 * 1024 * 1024 + 1];
    let (status, _) = raw(
        &app,
        Method::PUT,
        &format!("/api/v1/sync/backups/{id}/parts/0"),
        &token,
        too_big,
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) = raw(
        &app,
        Method::PUT,
        &format!("/api/v1/sync/backups/{id}/parts/256"),
        &token,
        vec![1],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Two old backups (40 and 35 days) and a new one: the old ones go at its completion.
    let old_a = uuid::Uuid::now_v7().to_string();
    let old_b = uuid::Uuid::now_v7().to_string();
    let forty = (chrono::Utc::now() - chrono::Duration::days(40)).to_rfc3339();
    let thirty_five = (chrono::Utc::now() - chrono::Duration::days(35)).to_rfc3339();
    assert_eq!(
        upload(&app, &token, &old_a, &forty, &file(1, 1000), 400)
            .await
            .status,
        StatusCode::OK
    );
    let kept = upload(&app, &token, &old_b, &thirty_five, &file(2, 1000), 400).await;
    assert_eq!(kept.status, StatusCode::OK);
    // Alone past the window, the newest stays.
    assert_eq!(kept.body["id"], old_b, "{:?}", kept.body);
    let mut conn = app.owner_conn().await;
    let held: Vec<String> =
        sqlx::query_scalar("SELECT id::text FROM device_backups ORDER BY taken_at")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    // The 40-day one went; the unfinished one (started now) stays for a day.
    assert_eq!(held, vec![old_b.clone(), id.clone()]);
    let fresh = uuid::Uuid::now_v7().to_string();
    let now = chrono::Utc::now().to_rfc3339();
    let done = upload(&app, &token, &fresh, &now, &file(3, 1000), 1000).await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(done.body["id"], fresh);
    let complete: Vec<String> = sqlx::query_scalar(
        "SELECT id::text FROM device_backups WHERE completed_at IS NOT NULL ORDER BY taken_at",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(complete, vec![fresh]);
    let unfinished: i64 =
        sqlx::query_scalar("SELECT count(*) FROM device_backups WHERE completed_at IS NULL")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(unfinished, 1);
    let parts: i64 = sqlx::query_scalar("SELECT count(*) FROM device_backup_parts")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    // The old backups' parts went with them; the unfinished one took none.
    assert_eq!(parts, 1);
}

/// docs/SECURITY.md, "Replacing a dead counter": the backup key (and with it the backup and
/// the location key it carries) goes only to a counter enrolled within the last hour, with
/// an owner's fresh code. A token of a counter that has been running, stolen, gets 403,
/// the dead counter's own included.
#[sqlx::test(migrations = false)]
async fn a_stolen_device_token_alone_cannot_take_a_backup_key(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("respaldo-robado").await;
    let (device_a, token_a) = device(&app, &tenant.token, &tenant.location_id, "Caja 1").await;
    let (_, token_b) = device(&app, &tenant.token, &tenant.location_id, "Caja 2").await;
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
    let kept = app
        .put("/api/v1/sync/backup-key", json!({"key": b64}), &token_a)
        .await;
    assert_eq!(kept.status, StatusCode::NO_CONTENT, "{:?}", kept.body);
    // Both counters have been running for a day.
    let mut conn = app.owner_conn().await;
    sqlx::query("UPDATE devices SET created_at = now() - interval '1 day'")
        .execute(&mut conn)
        .await
        .unwrap();
    for token in [&token_a, &token_b] {
        let stolen = app
            .get(&format!("/api/v1/sync/backup-key/{device_a}"), token)
            .await;
        assert_eq!(stolen.status, StatusCode::FORBIDDEN, "{:?}", stolen.body);
        assert_eq!(stolen.body["error"]["code"], "recovery_window_closed");
        assert!(stolen.body["error"].get("key").is_none());
    }
    // The replacement the owner enrols now gets it.
    let (_, token_new) = device(&app, &tenant.token, &tenant.location_id, "Caja nueva").await;
    let opened = app
        .get(&format!("/api/v1/sync/backup-key/{device_a}"), &token_new)
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{:?}", opened.body);
    assert_eq!(opened.body["key"], b64);
    // An hour later its window is closed too.
    sqlx::query("UPDATE devices SET created_at = now() - interval '61 minutes'")
        .execute(&mut conn)
        .await
        .unwrap();
    let late = app
        .get(&format!("/api/v1/sync/backup-key/{device_a}"), &token_new)
        .await;
    assert_eq!(late.status, StatusCode::FORBIDDEN, "{:?}", late.body);
}
