//! A tenant's dashboard accounts: the owner creates managers and viewers, edits and
//! deactivates them; nobody else may; the rules of sign-up apply.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp};
use serde_json::json;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

#[sqlx::test(migrations = false)]
async fn owners_create_managers_and_viewers_who_sign_in_with_their_role(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("equipo").await;
    let created = app
        .post(
            "/api/v1/accounts",
            json!({ "name": " Marta ", "email": "Marta@Equipo.cl", "password": PASSWORD, "role": "manager" }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["name"], "Marta");
    assert_eq!(created.body["email"], "marta@equipo.cl");
    assert_eq!(created.body["role"], "manager");
    assert_eq!(created.body["tenant_id"], tenant.id.as_str());
    assert_eq!(created.body["active"], true);
    assert!(created.body.get("password_hash").is_none());

    let login = app.login("marta@equipo.cl", PASSWORD).await;
    assert_eq!(login.status, StatusCode::OK, "{:?}", login.body);
    assert_eq!(login.body["user"]["role"], "manager");
    let permissions = login.body["permissions"].as_array().unwrap();
    assert!(permissions.contains(&json!("menu:write")));
    assert!(!permissions.contains(&json!("users:manage")));
    let manager = login.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/api/v1/orders", &manager).await.status,
        StatusCode::OK
    );

    let (_, viewer) = app
        .account(&tenant.token, "vista@equipo.cl", "viewer")
        .await;
    assert_eq!(
        app.get("/api/v1/analytics/summary", &viewer).await.status,
        StatusCode::OK
    );

    let list = app.get("/api/v1/accounts", &tenant.token).await;
    assert_eq!(list.status, StatusCode::OK);
    // Owners first, then by name.
    let rows: Vec<(&str, &str)> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["role"].as_str().unwrap(), a["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rows,
        [
            ("owner", "Dueña"),
            ("viewer", "Cuenta viewer"),
            ("manager", "Marta")
        ]
    );
    let id = created.body["id"].as_str().unwrap();
    let one = app
        .get(&format!("/api/v1/accounts/{id}"), &tenant.token)
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["email"], "marta@equipo.cl");
}

#[sqlx::test(migrations = false)]
async fn bad_input_names_the_fields_and_a_taken_email_is_a_conflict(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("reglas").await;
    let other = app.signup("vecino").await;
    let bad = app
        .post(
            "/api/v1/accounts",
            json!({ "name": " ", "email": "no-es-correo", "password": "1234567890", "role": "owner" }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
    let fields = bad.body["error"]["fields"].as_object().unwrap();
    for field in ["name", "email", "password", "role"] {
        assert!(fields.contains_key(field), "{field} missing in {fields:?}");
    }
    for role in ["super_admin", "chef"] {
        let reply = app
            .post(
                "/api/v1/accounts",
                json!({ "name": "X", "email": "x@reglas.cl", "password": PASSWORD, "role": role }),
                Some(&tenant.token),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body["error"]["fields"]["role"].is_string());
    }
    let missing = app
        .post(
            "/api/v1/accounts",
            json!({ "name": "X" }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = app
        .post(
            "/api/v1/accounts",
            json!({ "name": "X", "email": "x@reglas.cl", "password": PASSWORD, "role": "viewer", "tenant_id": other.id }),
            Some(&tenant.token),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Emails are logins: unique across the cloud, whichever tenant holds one.
    for email in [tenant.email.as_str(), other.email.as_str()] {
        let taken = app
            .post(
                "/api/v1/accounts",
                json!({ "name": "X", "email": email.to_uppercase(), "password": PASSWORD, "role": "viewer" }),
                Some(&tenant.token),
            )
            .await;
        assert_eq!(taken.status, StatusCode::CONFLICT, "{:?}", taken.body);
        assert_eq!(taken.code(), "email_taken");
    }
    let mut conn = app.owner_conn().await;
    let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(accounts, 2, "nothing written by refused requests");

    let (id, _) = app
        .account(&tenant.token, "cambio@reglas.cl", "viewer")
        .await;
    let bad_patch = app
        .patch(
            &format!("/api/v1/accounts/{id}"),
            json!({ "name": "", "role": "owner" }),
            &tenant.token,
        )
        .await;
    assert_eq!(bad_patch.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = bad_patch.body["error"]["fields"].as_object().unwrap();
    assert!(fields.contains_key("name") && fields.contains_key("role"));
    let email_patch = app
        .patch(
            &format!("/api/v1/accounts/{id}"),
            json!({ "email": "nuevo@reglas.cl" }),
            &tenant.token,
        )
        .await;
    assert_eq!(email_patch.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrations = false)]
async fn deactivation_closes_sessions_and_role_changes_apply_at_once(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("turnos").await;
    let (id, manager) = app
        .account(&tenant.token, "gerente@turnos.cl", "manager")
        .await;
    let item_edit = |token: String| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/menu/items",
                json!({ "category_id": Uuid::now_v7(), "name": "Prueba", "price": 1000 }),
                Some(&token),
            )
            .await
        }
    };
    // A manager may edit the menu (here: refused for the unknown category, not the role).
    assert_ne!(
        item_edit(manager.clone()).await.status,
        StatusCode::FORBIDDEN
    );

    let demoted = app
        .patch(
            &format!("/api/v1/accounts/{id}"),
            json!({ "role": "viewer", "name": "Gerenta" }),
            &tenant.token,
        )
        .await;
    assert_eq!(demoted.status, StatusCode::OK, "{:?}", demoted.body);
    assert_eq!(demoted.body["role"], "viewer");
    assert_eq!(demoted.body["name"], "Gerenta");
    // The same access token now carries a viewer.
    assert_eq!(
        item_edit(manager.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let me = app.get("/api/v1/auth/me", &manager).await;
    assert_eq!(me.body["user"]["role"], "viewer");

    let second = app.login("gerente@turnos.cl", PASSWORD).await;
    let refresh = second.body["refresh_token"].as_str().unwrap().to_owned();
    let off = app
        .patch(
            &format!("/api/v1/accounts/{id}"),
            json!({ "active": false }),
            &tenant.token,
        )
        .await;
    assert_eq!(off.status, StatusCode::OK);
    assert_eq!(off.body["active"], false);
    // Every session of the account is closed at once.
    let refused = app.get("/api/v1/orders", &manager).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.code(), "session_revoked");
    let refreshed = app
        .post(
            "/api/v1/auth/refresh",
            json!({ "refresh_token": refresh }),
            None,
        )
        .await;
    assert_eq!(refreshed.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.login("gerente@turnos.cl", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );

    let on = app
        .patch(
            &format!("/api/v1/accounts/{id}"),
            json!({ "active": true }),
            &tenant.token,
        )
        .await;
    assert_eq!(on.body["active"], true);
    assert_eq!(
        app.login("gerente@turnos.cl", PASSWORD).await.status,
        StatusCode::OK
    );
    // The old sessions stay closed.
    assert_eq!(
        app.get("/api/v1/orders", &manager).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrations = false)]
async fn only_owners_manage_accounts_and_owners_stay_owners(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("jerarquia").await;
    let other = app.signup("ajeno").await;
    let (viewer_id, viewer) = app
        .account(&tenant.token, "vista@jerarquia.cl", "viewer")
        .await;
    let (_, manager) = app
        .account(&tenant.token, "gerente@jerarquia.cl", "manager")
        .await;
    let device = app.enroll(&tenant.enrollment_code, "Caja").await;
    let device = device.body["device_token"].as_str().unwrap().to_owned();
    for token in [&manager, &viewer, &device] {
        assert_eq!(app.get("/api/v1/accounts", token).await.code(), "forbidden");
        let create = app
            .post(
                "/api/v1/accounts",
                json!({ "name": "X", "email": "x@jerarquia.cl", "password": PASSWORD, "role": "manager" }),
                Some(token),
            )
            .await;
        assert_eq!(create.status, StatusCode::FORBIDDEN);
        let promote = app
            .patch(
                &format!("/api/v1/accounts/{viewer_id}"),
                json!({ "role": "manager" }),
                token,
            )
            .await;
        assert_eq!(promote.status, StatusCode::FORBIDDEN);
    }

    // The owner's own account: renamed yes, demoted or deactivated no.
    let owner_id = app.get("/api/v1/auth/me", &tenant.token).await.body["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/accounts/{owner_id}");
    for change in [json!({ "role": "manager" }), json!({ "active": false })] {
        let reply = app.patch(&path, change, &tenant.token).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{:?}", reply.body);
        assert_eq!(reply.code(), "owner_account");
    }
    let renamed = app
        .patch(&path, json!({ "name": "Dueña Principal" }), &tenant.token)
        .await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert_eq!(renamed.body["role"], "owner");
    assert_eq!(
        app.get("/api/v1/auth/me", &tenant.token).await.status,
        StatusCode::OK
    );

    // Another tenant's owner sees none of these accounts and changes none.
    let list = app.get("/api/v1/accounts", &other.token).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert!(!list.body.to_string().contains("jerarquia.cl"));
    for reply in [
        app.get(&format!("/api/v1/accounts/{viewer_id}"), &other.token)
            .await,
        app.patch(
            &format!("/api/v1/accounts/{viewer_id}"),
            json!({ "active": false }),
            &other.token,
        )
        .await,
    ] {
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        app.get("/api/v1/orders", &viewer).await.status,
        StatusCode::OK
    );
}
