//! The platform operator (super_admin): creation from the CLI, sign-in and its session,
//! the tenant and lead lists, suspension and reactivation, and what the database lets the
//! service role see of all that.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{PASSWORD, TestApp};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};
use std::io::Write;
use std::process::{Command, Stdio};
use uuid::Uuid;

const ADMIN: &str = "ops@dysa.cl";

#[sqlx::test(migrations = false)]
async fn super_admin_signs_in_and_lists_tenants_with_their_numbers(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let a = app.signup("primero").await;
    let b = app.signup("segundo").await;
    let device = app.enroll(&a.enrollment_code, "Caja").await;
    let device_token = device.body["device_token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/api/v1/menu", &device_token).await.status,
        StatusCode::OK
    );
    let admin = app.platform_admin(ADMIN).await;

    let me = app.get("/api/v1/auth/me", &admin).await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    assert_eq!(me.body["user"]["role"], "super_admin");
    assert!(me.body["user"]["tenant_id"].is_null());
    assert_eq!(me.body["permissions"], json!([]));

    let list = app.get("/api/v1/platform/tenants", &admin).await;
    assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
    let tenants = list.body["tenants"].as_array().unwrap();
    assert_eq!(tenants.len(), 2);
    // Newest first.
    assert_eq!(tenants[0]["slug"], b.slug.as_str());
    assert_eq!(tenants[1]["slug"], a.slug.as_str());
    let first = &tenants[1];
    assert_eq!(first["id"], a.id.as_str());
    assert_eq!(first["name"], "Restaurante primero");
    assert_eq!(first["plan"], "pro");
    assert_eq!(first["status"], "active");
    assert_eq!(first["locations"], 1);
    assert_eq!(first["devices"], 1);
    assert!(first["last_device_seen_at"].is_string(), "{first:?}");
    assert!(first["created_at"].is_string());
    assert_eq!(tenants[0]["devices"], 0);
    assert!(tenants[0]["last_device_seen_at"].is_null());
    assert!(list.body["next_offset"].is_null());

    let page = app.get("/api/v1/platform/tenants?limit=1", &admin).await;
    assert_eq!(page.body["tenants"].as_array().unwrap().len(), 1);
    assert_eq!(page.body["next_offset"], 1);
    let next = app
        .get("/api/v1/platform/tenants?limit=1&offset=1", &admin)
        .await;
    assert_eq!(next.body["tenants"][0]["slug"], a.slug.as_str());
    assert!(next.body["next_offset"].is_null());
    let bad = app
        .get("/api/v1/platform/tenants?limit=0&offset=-1", &admin)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = bad.body["error"]["fields"].as_object().unwrap();
    assert!(fields.contains_key("limit") && fields.contains_key("offset"));
}

#[sqlx::test(migrations = false)]
async fn super_admin_reads_demo_requests_newest_first_by_page(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    for i in 0..5 {
        let reply = app
            .post(
                "/api/v1/leads/demo",
                json!({ "name": format!("Persona {i}"), "restaurant": format!("Local {i}"), "email": format!("p{i}@local.cl"), "message": "Hola" }),
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let admin = app.platform_admin(ADMIN).await;
    let first = app.get("/api/v1/platform/leads?limit=2", &admin).await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    let names: Vec<&str> = first.body["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Persona 4", "Persona 3"]);
    assert_eq!(first.body["leads"][0]["email"], "p4@local.cl");
    assert_eq!(first.body["leads"][0]["message"], "Hola");
    assert_eq!(first.body["next_offset"], 2);
    let last = app
        .get("/api/v1/platform/leads?limit=2&offset=4", &admin)
        .await;
    assert_eq!(last.body["leads"].as_array().unwrap().len(), 1);
    assert_eq!(last.body["leads"][0]["name"], "Persona 0");
    assert!(last.body["next_offset"].is_null());
    let all = app.get("/api/v1/platform/leads", &admin).await;
    assert_eq!(all.body["leads"].as_array().unwrap().len(), 5);
}

#[sqlx::test(migrations = false)]
async fn the_operator_moves_leads_along_the_pipeline(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let reply = app
        .post(
            "/api/v1/leads/demo",
            json!({ "name": "Ana", "restaurant": "El Roto", "email": "ana@roto.cl" }),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let id = reply.body["id"].as_str().unwrap().to_owned();
    let admin = app.platform_admin(ADMIN).await;
    let list = app.get("/api/v1/platform/leads", &admin).await;
    let lead = &list.body["leads"][0];
    assert_eq!(lead["stage"], "new");
    assert_eq!(lead["source"], "demo");
    assert_eq!(lead["notes"], "");
    assert!(lead["follow_up_on"].is_null());

    let path = format!("/api/v1/platform/leads/{id}");
    let moved = app
        .put(
            &path,
            json!({ "stage": "contacted", "notes": " Llamar el lunes ", "follow_up_on": "2026-12-14" }),
            &admin,
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    assert_eq!(moved.body["stage"], "contacted");
    assert_eq!(moved.body["notes"], "Llamar el lunes");
    assert_eq!(moved.body["follow_up_on"], "2026-12-14");
    assert_eq!(moved.body["email"], "ana@roto.cl");

    // A stage filter.
    let contacted = app
        .get("/api/v1/platform/leads?stage=contacted", &admin)
        .await;
    assert_eq!(contacted.body["leads"].as_array().unwrap().len(), 1);
    let new = app.get("/api/v1/platform/leads?stage=new", &admin).await;
    assert_eq!(new.body["leads"].as_array().unwrap().len(), 0);
    let unknown = app.get("/api/v1/platform/leads?stage=maybe", &admin).await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        unknown.body
    );

    // Bad input: an unknown stage, a date that is not one, notes too long.
    for body in [
        json!({ "stage": "ganado" }),
        json!({ "stage": "won", "follow_up_on": "14-12-2026" }),
        json!({ "stage": "won", "notes": "x".repeat(4001) }),
    ] {
        let refused = app.put(&path, body.clone(), &admin).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            refused.body
        );
    }
    // Won, the follow-up cleared.
    let won = app
        .put(
            &path,
            json!({ "stage": "won", "notes": "Firmó Pro", "follow_up_on": null }),
            &admin,
        )
        .await;
    assert_eq!(won.body["stage"], "won");
    assert!(won.body["follow_up_on"].is_null());
    // An unknown lead is 404.
    let missing = app
        .put(
            &format!("/api/v1/platform/leads/{}", Uuid::now_v7()),
            json!({ "stage": "lost" }),
            &admin,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.code(), "not_found");

    // The service role still cannot change a lead without an open platform session.
    let mut tx = app.state.db.public_tx().await.unwrap();
    let changed: Option<Uuid> = sqlx::query_scalar(
        "SELECT id FROM platform_update_lead($1, $2, $3::uuid, 'lost', '', NULL)",
    )
    .bind(Uuid::now_v7())
    .bind(Uuid::now_v7())
    .bind(&id)
    .fetch_optional(&mut *tx)
    .await
    .unwrap();
    assert!(changed.is_none());
    let updated: Result<u64, _> = sqlx::query("UPDATE leads SET stage = 'lost'")
        .execute(&mut *tx)
        .await
        .map(|d| d.rows_affected());
    assert!(matches!(updated, Err(_) | Ok(0)), "{updated:?}");
}

#[sqlx::test(migrations = false)]
async fn leads_are_purged_after_twelve_months(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    for name in ["Antigua", "Casi", "Nueva"] {
        let reply = app
            .post(
                "/api/v1/leads/demo",
                json!({ "name": name, "restaurant": "Local", "email": "a@local.cl" }),
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let mut conn = app.owner_conn().await;
    // 12 months and a day ago; 12 months less a day ago.
    sqlx::query(
        "UPDATE leads SET created_at = now() - interval '12 months 1 day' WHERE name = 'Antigua'",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query("UPDATE leads SET created_at = now() - interval '12 months' + interval '1 day' WHERE name = 'Casi'")
        .execute(&mut conn)
        .await
        .unwrap();
    let purged = dysa_cloud::platform::purge_leads(&app.state.db, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(purged, 1);
    let left: Vec<String> = sqlx::query_scalar("SELECT name FROM leads ORDER BY name")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(left, ["Casi", "Nueva"]);
    // Again: nothing more.
    assert_eq!(
        dysa_cloud::platform::purge_leads(&app.state.db, chrono::Utc::now())
            .await
            .unwrap(),
        0
    );
    // A year on, the rest goes too.
    let later = chrono::Utc::now() + chrono::Duration::days(366);
    assert_eq!(
        dysa_cloud::platform::purge_leads(&app.state.db, later)
            .await
            .unwrap(),
        2
    );
}

#[sqlx::test(migrations = false)]
async fn the_console_sees_counters_online_and_the_last_sync(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let a = app.signup("en-linea").await;
    let device = app.enroll(&a.enrollment_code, "Caja").await;
    let device_token = device.body["device_token"].as_str().unwrap().to_owned();
    let admin = app.platform_admin(ADMIN).await;
    let before = app.get("/api/v1/platform/tenants", &admin).await;
    assert_eq!(
        before.body["tenants"][0]["counters_online"], 0,
        "{:?}",
        before.body
    );
    assert!(before.body["tenants"][0]["last_sync_at"].is_null());
    assert!(before.body["tenants"][0]["suspension_reason"].is_null());
    // A pull to the end is a completed sync, and the device is seen.
    let pulled = app
        .get(
            "/api/v1/sync/pull?cursor=0&limit=100&schema_version=1",
            &device_token,
        )
        .await;
    assert_eq!(pulled.status, StatusCode::OK, "{:?}", pulled.body);
    let after = app.get("/api/v1/platform/tenants", &admin).await;
    assert_eq!(
        after.body["tenants"][0]["counters_online"], 1,
        "{:?}",
        after.body
    );
    assert!(
        after.body["tenants"][0]["last_sync_at"].is_string(),
        "{:?}",
        after.body
    );
}

#[sqlx::test(migrations = false)]
async fn suspension_refuses_sign_in_sessions_refresh_devices_and_enrolment_at_once(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let a = app.signup("moroso").await;
    let b = app.signup("al-dia").await;
    let device = app.enroll(&a.enrollment_code, "Caja").await;
    let device_token = device.body["device_token"].as_str().unwrap().to_owned();
    let code = app
        .post(
            &format!("/api/v1/locations/{}/enrollment-codes", a.location_id),
            Value::Null,
            Some(&a.token),
        )
        .await;
    let code = code.body["enrollment_code"].as_str().unwrap().to_owned();
    let second = app.login(&a.email, PASSWORD).await.body["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = app.platform_admin(ADMIN).await;

    // A suspension needs a reason (its owners are told it); without one nothing changes.
    for body in [Value::Null, json!({}), json!({ "reason": "   " })] {
        let refused = app
            .post(
                &format!("/api/v1/platform/tenants/{}/suspend", a.id),
                body,
                Some(&admin),
            )
            .await;
        // No body at all is 415 (not JSON); an empty or blank reason is 422 by field.
        assert!(refused.status.is_client_error(), "{:?}", refused.body);
        if refused.status == StatusCode::UNPROCESSABLE_ENTITY {
            assert!(
                refused.body["error"]["fields"]["reason"].is_string(),
                "{:?}",
                refused.body
            );
        }
    }
    assert_eq!(
        app.get("/api/v1/orders", &a.token).await.status,
        StatusCode::OK
    );
    let suspended = app
        .post(
            &format!("/api/v1/platform/tenants/{}/suspend", a.id),
            json!({ "reason": "Mensualidad impaga" }),
            Some(&admin),
        )
        .await;
    assert_eq!(suspended.status, StatusCode::OK, "{:?}", suspended.body);
    assert_eq!(suspended.body["status"], "suspended");
    assert_eq!(suspended.body["slug"], "moroso");
    assert_eq!(suspended.body["devices"], 1);
    assert_eq!(suspended.body["suspension_reason"], "Mensualidad impaga");
    assert!(suspended.body["suspended_at"].is_string());
    // Idempotent; a second call updates the reason.
    let again = app
        .post(
            &format!("/api/v1/platform/tenants/{}/suspend", a.id),
            json!({ "reason": "Mensualidad de noviembre impaga" }),
            Some(&admin),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["suspended_at"], suspended.body["suspended_at"]);

    let expect_suspended = |reply: &common::Reply, what: &str| {
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{what}: {:?}",
            reply.body
        );
        assert_eq!(reply.code(), "tenant_suspended", "{what}");
    };
    // The session opened before the suspension, the device token, a refresh, a new
    // sign-in and an unused enrolment code: all refused at once.
    expect_suspended(&app.get("/api/v1/orders", &a.token).await, "session");
    expect_suspended(&app.get("/api/v1/auth/me", &a.token).await, "me");
    expect_suspended(&app.get("/api/v1/menu", &device_token).await, "device");
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            json!({ "refresh_token": a.refresh_token }),
            None,
        )
        .await;
    expect_suspended(&refresh, "refresh");
    let login = app.login(&a.email, PASSWORD).await;
    expect_suspended(&login, "login");
    // The owners see why, in the details and in the message.
    assert_eq!(
        login.body["error"]["details"]["reason"],
        "Mensualidad de noviembre impaga"
    );
    assert!(
        login.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Mensualidad de noviembre impaga")
    );
    let session = app.get("/api/v1/auth/me", &a.token).await;
    assert_eq!(
        session.body["error"]["details"]["reason"],
        "Mensualidad de noviembre impaga"
    );
    expect_suspended(&app.enroll(&code, "Otra caja").await, "enrolment");
    // Signing out still works, and sticks.
    let out = app
        .call(
            Method::POST,
            "/api/v1/auth/logout",
            Value::Null,
            Some(&second),
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    // A wrong password still says only that.
    let wrong = app.login(&a.email, "no es la clave").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    // The other tenant carries on.
    assert_eq!(
        app.get("/api/v1/orders", &b.token).await.status,
        StatusCode::OK
    );
    let list = app.get("/api/v1/platform/tenants", &admin).await;
    let statuses: Vec<(&str, &str)> = list.body["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["slug"].as_str().unwrap(), t["status"].as_str().unwrap()))
        .collect();
    assert_eq!(statuses, [("al-dia", "active"), ("moroso", "suspended")]);

    // Reactivated: the same session, device, refresh token and code work again.
    let back = app
        .post(
            &format!("/api/v1/platform/tenants/{}/reactivate", a.id),
            Value::Null,
            Some(&admin),
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{:?}", back.body);
    assert_eq!(back.body["status"], "active");
    assert_eq!(
        app.get("/api/v1/orders", &a.token).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/menu", &device_token).await.status,
        StatusCode::OK
    );
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            json!({ "refresh_token": a.refresh_token }),
            None,
        )
        .await;
    assert_eq!(refresh.status, StatusCode::OK, "{:?}", refresh.body);
    assert_eq!(app.login(&a.email, PASSWORD).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/orders", &second).await.code(),
        "session_revoked"
    );
    assert_eq!(
        app.enroll(&code, "Otra caja").await.status,
        StatusCode::CREATED
    );

    // Unknown tenants are 404.
    let missing = app
        .post(
            &format!("/api/v1/platform/tenants/{}/suspend", Uuid::now_v7()),
            json!({ "reason": "Prueba" }),
            Some(&admin),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.code(), "not_found");
}

#[sqlx::test(migrations = false)]
async fn platform_and_tenant_callers_stay_on_their_own_side(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("lado-propio").await;
    let device = app.enroll(&tenant.enrollment_code, "Caja").await;
    let device_token = device.body["device_token"].as_str().unwrap().to_owned();
    let admin = app.platform_admin(ADMIN).await;
    let platform_routes = [
        (Method::GET, "/api/v1/platform/tenants".to_owned()),
        (Method::GET, "/api/v1/platform/leads".to_owned()),
        (
            Method::PUT,
            format!("/api/v1/platform/leads/{}", Uuid::now_v7()),
        ),
        (
            Method::POST,
            format!("/api/v1/platform/tenants/{}/suspend", tenant.id),
        ),
        (
            Method::POST,
            format!("/api/v1/platform/tenants/{}/reactivate", tenant.id),
        ),
    ];
    for (method, path) in &platform_routes {
        for token in [&tenant.token, &device_token] {
            let reply = app
                .call(method.clone(), path, Value::Null, Some(token))
                .await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
            assert_eq!(reply.code(), "forbidden");
        }
        let anonymous = app.call(method.clone(), path, Value::Null, None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }
    // The tenant was not suspended by any of those.
    assert_eq!(
        app.get("/api/v1/orders", &tenant.token).await.status,
        StatusCode::OK
    );
    for path in [
        "/api/v1/orders",
        "/api/v1/menu",
        "/api/v1/locations",
        "/api/v1/accounts",
        "/api/v1/analytics/summary",
    ] {
        let reply = app.get(path, &admin).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{path}: {:?}",
            reply.body
        );
        assert_eq!(reply.code(), "forbidden");
    }
}

#[sqlx::test(migrations = false)]
async fn platform_sessions_rotate_refresh_tokens_and_log_out(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    app.platform_admin(ADMIN).await;
    let login = app.login(ADMIN, PASSWORD).await;
    assert_eq!(login.body["user"]["role"], "super_admin");
    let first = login.body["refresh_token"].as_str().unwrap().to_owned();
    let next = app
        .post(
            "/api/v1/auth/refresh",
            json!({ "refresh_token": first }),
            None,
        )
        .await;
    assert_eq!(next.status, StatusCode::OK, "{:?}", next.body);
    assert_eq!(next.body["user"]["role"], "super_admin");
    let access = next.body["access_token"].as_str().unwrap().to_owned();
    let second = next.body["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/api/v1/platform/tenants", &access).await.status,
        StatusCode::OK
    );
    // Reuse of the first token closes the session: the newer tokens die with it.
    let reused = app
        .post(
            "/api/v1/auth/refresh",
            json!({ "refresh_token": first }),
            None,
        )
        .await;
    assert_eq!(reused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reused.code(), "refresh_token_reused");
    let after = app.get("/api/v1/platform/tenants", &access).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.code(), "session_revoked");
    let dead = app
        .post(
            "/api/v1/auth/refresh",
            json!({ "refresh_token": second }),
            None,
        )
        .await;
    assert_eq!(dead.status, StatusCode::UNAUTHORIZED);

    // Logout by access token.
    let login = app.login(ADMIN, PASSWORD).await;
    let access = login.body["access_token"].as_str().unwrap().to_owned();
    let refresh = login.body["refresh_token"].as_str().unwrap().to_owned();
    let out = app
        .call(
            Method::POST,
            "/api/v1/auth/logout",
            Value::Null,
            Some(&access),
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/auth/me", &access).await.status,
        StatusCode::UNAUTHORIZED
    );
    let refused = app
        .post(
            "/api/v1/auth/refresh",
            json!({ "refresh_token": refresh }),
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.code(), "session_revoked");

    // Logout by refresh token alone.
    let login = app.login(ADMIN, PASSWORD).await;
    let access = login.body["access_token"].as_str().unwrap().to_owned();
    let refresh = login.body["refresh_token"].as_str().unwrap().to_owned();
    let out = app
        .post(
            "/api/v1/auth/logout",
            json!({ "refresh_token": refresh }),
            None,
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/platform/leads", &access).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Wrong passwords count towards the lockout like anyone's.
    for _ in 0..5 {
        assert_eq!(
            app.login(ADMIN, "no es la clave").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        app.login(ADMIN, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[sqlx::test(migrations = false)]
async fn a_deactivated_super_admin_is_refused_at_once(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let admin = app.platform_admin(ADMIN).await;
    let mut conn = app.owner_conn().await;
    sqlx::query("UPDATE accounts SET active = false WHERE email = $1")
        .bind(ADMIN)
        .execute(&mut conn)
        .await
        .unwrap();
    let reply = app.get("/api/v1/platform/tenants", &admin).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.login(ADMIN, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrations = false)]
async fn the_service_role_sees_no_platform_rows_and_cannot_make_them(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner.clone()).await;
    let tenant = app.signup("mirada").await;
    app.platform_admin(ADMIN).await;
    app.post(
        "/api/v1/leads/demo",
        json!({ "name": "Ana", "restaurant": "A", "email": "ana@a.cl" }),
        None,
    )
    .await;
    let mut conn = owner
        .clone()
        .username(&app.state.settings.service_role)
        .connect()
        .await
        .unwrap();
    // With a tenant set, the super_admin, its session and tokens stay invisible.
    let mut tx = conn.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(&tenant.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    for (table, expected) in [("accounts", 1), ("sessions", 1), ("refresh_tokens", 1)] {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                .fetch_one(&mut *tx)
                .await
                .unwrap();
        assert_eq!(n, expected, "{table}: only the tenant's owner rows");
    }
    // Nor can it write a row without a tenant (a super_admin or its session).
    let forged = sqlx::query(
        "INSERT INTO accounts (id, tenant_id, name, email, role, password_hash)
         VALUES ($1, NULL, 'x', 'x@x.cl', 'super_admin', 'h')",
    )
    .bind(Uuid::now_v7())
    .execute(&mut *tx)
    .await;
    assert!(forged.is_err(), "RLS must refuse a super_admin row");
    tx.rollback().await.unwrap();
    // The cross-tenant functions answer nothing without an open super_admin session.
    let (owner_account, owner_session): (Uuid, Uuid) = {
        let mut admin = app.owner_conn().await;
        sqlx::query_as("SELECT account_id, family_id FROM sessions WHERE tenant_id IS NOT NULL")
            .fetch_one(&mut admin)
            .await
            .unwrap()
    };
    for (family, account) in [
        (Uuid::now_v7(), Uuid::now_v7()),
        (owner_session, owner_account),
    ] {
        let tenants: i64 =
            sqlx::query_scalar("SELECT count(*) FROM platform_tenants($1, $2, NULL, 100, 0)")
                .bind(family)
                .bind(account)
                .fetch_one(&mut conn)
                .await
                .unwrap();
        let leads: i64 =
            sqlx::query_scalar("SELECT count(*) FROM platform_leads($1, $2, NULL, 100, 0)")
                .bind(family)
                .bind(account)
                .fetch_one(&mut conn)
                .await
                .unwrap();
        assert_eq!((tenants, leads), (0, 0));
    }
    // Leads stay unreadable directly.
    assert!(
        sqlx::query("SELECT * FROM leads")
            .fetch_all(&mut conn)
            .await
            .is_err()
    );
    // A tenant's refresh token is not a platform one.
    let outcome: String =
        sqlx::query_scalar("SELECT outcome FROM platform_refresh($1, 'x', now())")
            .bind(dysa_cloud::auth::tokens::hash_secret(&tenant.refresh_token))
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(outcome, "unknown");
}

/// The owner connection as a URL, for the binary.
fn database_url(owner: &PgConnectOptions) -> String {
    format!(
        "postgres://{}@{}:{}/{}",
        owner.get_username(),
        owner.get_host(),
        owner.get_port(),
        owner.get_database().unwrap()
    )
}

fn cli(owner: &PgConnectOptions, email: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dysa-cloud"));
    command
        .args([
            "create-platform-admin",
            "--email",
            email,
            "--name",
            "Operadora",
        ])
        .env("DATABASE_URL", database_url(owner))
        .env_remove("DYSA_CLOUD_ADMIN_PASSWORD")
        // Command-line variables are not settings (a missing config file is fine).
        .env("DYSA_CLOUD_CONFIG", "/nonexistent/dysa-cloud.toml")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[sqlx::test(migrations = false)]
async fn the_cli_creates_platform_admins(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner.clone()).await;
    // Password from the environment.
    let done = cli(&owner, "Ops@Dysa.cl")
        .env("DYSA_CLOUD_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(done.status.success(), "{done:?}");
    assert!(String::from_utf8_lossy(&done.stdout).contains("ops@dysa.cl"));
    let login = app.login(ADMIN, PASSWORD).await;
    assert_eq!(login.status, StatusCode::OK, "{:?}", login.body);
    assert_eq!(login.body["user"]["role"], "super_admin");

    // Password from standard input.
    let mut child = cli(&owner, "otra@dysa.cl")
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"humitas con tomate 2026\n")
        .unwrap();
    let done = child.wait_with_output().unwrap();
    assert!(done.status.success(), "{done:?}");
    assert_eq!(
        app.login("otra@dysa.cl", "humitas con tomate 2026")
            .await
            .status,
        StatusCode::OK
    );

    // A taken email (even a tenant owner's) and a weak password fail, saying why.
    let tenant = app.signup("ya-existe").await;
    let taken = cli(&owner, &tenant.email)
        .env("DYSA_CLOUD_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(!taken.status.success());
    assert!(String::from_utf8_lossy(&taken.stderr).contains("already exists"));
    let weak = cli(&owner, "debil@dysa.cl")
        .env("DYSA_CLOUD_ADMIN_PASSWORD", "123")
        .output()
        .unwrap();
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password"));
    let mut conn = app.owner_conn().await;
    let admins: i64 =
        sqlx::query_scalar("SELECT count(*) FROM accounts WHERE role = 'super_admin'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(admins, 2);
}
