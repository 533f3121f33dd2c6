//! Bad input answers 4xx with the JSON error body; loopback guards; security headers.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Auth, TestApp};
use serde_json::{Value, json};

fn assert_error_shape(reply: &common::Reply) {
    let error = &reply.body["error"];
    assert!(error["code"].is_string(), "no code in {:?}", reply.body);
    assert!(
        error["message"].is_string(),
        "no message in {:?}",
        reply.body
    );
    assert_eq!(reply.headers["content-type"], "application/json");
}

#[tokio::test]
async fn malformed_bodies() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let raw = |body: &'static str, content_type: &'static str| {
        Request::post("/api/v1/users")
            .header("authorization", format!("Bearer {admin}"))
            .header("content-type", content_type)
            .body(Body::from(body))
            .unwrap()
    };
    let broken = app.send(raw("{\"name\": ", "application/json")).await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert_eq!(broken.code(), "invalid_json");
    assert_error_shape(&broken);

    let trailing = app
        .send(raw(
            r#"{"name":"A","email":"a@b.cl","password":"xxxxxxxxxxxxx","role":"waiter"} x"#,
            "application/json",
        ))
        .await;
    assert_eq!(trailing.status, StatusCode::BAD_REQUEST);

    let not_json = app
        .send(raw("name=x", "application/x-www-form-urlencoded"))
        .await;
    assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_error_shape(&not_json);

    let missing = app
        .post("/api/v1/users", json!({ "name": "Sin correo" }), &admin)
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.body["error"]["fields"]["email"], "es obligatorio");

    let wrong_type = app
        .post(
            "/api/v1/users",
            json!({ "name": 5, "email": "a@b.cl", "password": "x", "role": "waiter" }),
            &admin,
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong_type.body["error"]["fields"]["name"].is_string(),
        "{:?}",
        wrong_type.body
    );

    let bad_enum = app
        .post(
            "/api/v1/users",
            json!({ "name": "X", "email": "a@b.cl", "password": "xxxxxxxxxxxxx", "role": "chef" }),
            &admin,
        )
        .await;
    assert_eq!(bad_enum.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_enum.body["error"]["fields"]["role"].is_string());
}

#[tokio::test]
async fn oversize_bodies_are_refused_with_413() {
    let app = TestApp::with_settings(|s| s.max_body_bytes = 1024).await;
    let admin = app.setup().await;
    let huge = json!({ "name": "x".repeat(5000), "email": "a@b.cl", "password": "xxxxxxxxxxxx", "role": "waiter" });
    let reply = app.post("/api/v1/users", huge, &admin).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.code(), "payload_too_large");
}

#[tokio::test]
async fn unknown_routes_methods_and_ids() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let route = app.get("/api/v1/nada", &admin).await;
    assert_eq!(route.status, StatusCode::NOT_FOUND);
    assert_error_shape(&route);
    let method = app
        .call(Method::PUT, "/health", Value::Null, Auth::None)
        .await;
    assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error_shape(&method);
    let malformed = app.get("/api/v1/users/no-es-un-uuid", &admin).await;
    assert_eq!(malformed.status, StatusCode::NOT_FOUND);
    assert_error_shape(&malformed);
    let unknown = app
        .get(&format!("/api/v1/users/{}", uuid::Uuid::now_v7()), &admin)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.body["error"]["message"], "El usuario no existe");
}

#[tokio::test]
async fn messages_follow_accept_language() {
    let app = TestApp::new().await;
    let request = Request::get("/api/v1/auth/me")
        .header("accept-language", "en-US,en;q=0.9")
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.body["error"]["message"], "Sign in to continue");
    let reply = app
        .call(Method::GET, "/api/v1/auth/me", Value::Null, Auth::None)
        .await;
    assert_eq!(
        reply.body["error"]["message"],
        "Inicia sesión para continuar"
    );
}

#[tokio::test]
async fn foreign_host_names_are_refused_but_ips_and_listed_names_pass() {
    let app = TestApp::with_settings(|s| s.allowed_hosts = vec!["caja.local".into()]).await;
    for (host, ok) in [
        ("evil.example:7001", false),
        ("localhost.evil.example", false),
        ("127.0.0.1:7001", true),
        ("localhost:7001", true),
        ("192.168.1.20:7001", true),
        ("[::1]:7001", true),
        ("caja.local:7001", true),
    ] {
        let request = Request::get("/health")
            .header("host", host)
            .body(Body::empty())
            .unwrap();
        let reply = app.send(request).await;
        if ok {
            assert_eq!(reply.status, StatusCode::OK, "{host}");
        } else {
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{host}");
            assert_eq!(reply.code(), "host_not_allowed");
        }
    }
}

#[tokio::test]
async fn cookie_writes_need_our_own_origin() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let body = json!({ "name": "Cookie", "email": "c@x.cl", "password": "completo italiano", "role": "viewer" });
    let foreign = app
        .call(
            Method::POST,
            "/api/v1/users",
            body.clone(),
            Auth::Cookie(&admin, Some("https://evil.example")),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert_eq!(foreign.code(), "cross_origin");
    let absent = app
        .call(
            Method::POST,
            "/api/v1/users",
            body.clone(),
            Auth::Cookie(&admin, None),
        )
        .await;
    assert_eq!(absent.status, StatusCode::FORBIDDEN);
    assert_eq!(absent.code(), "cross_origin");
    // Reads by cookie are fine from anywhere the browser allows; writes from our origin too.
    let read = app
        .call(
            Method::GET,
            "/api/v1/users",
            Value::Null,
            Auth::Cookie(&admin, None),
        )
        .await;
    assert_eq!(read.status, StatusCode::OK);
    let same = app
        .call(
            Method::POST,
            "/api/v1/users",
            body,
            Auth::Cookie(&admin, Some("http://127.0.0.1:7001")),
        )
        .await;
    assert_eq!(same.status, StatusCode::CREATED, "{:?}", same.body);
    // A foreign page cannot even log in (login CSRF).
    let login = Request::post("/api/v1/auth/login")
        .header("origin", "https://evil.example")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({ "email": common::ADMIN_EMAIL, "password": common::ADMIN_PASSWORD }).to_string(),
        ))
        .unwrap();
    assert_eq!(app.send(login).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn every_answer_carries_security_headers_and_a_request_id() {
    let app = TestApp::new().await;
    let reply = app
        .call(Method::GET, "/health", Value::Null, Auth::None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    for header in [
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
        "content-security-policy",
        "x-request-id",
    ] {
        assert!(reply.headers.contains_key(header), "missing {header}");
    }
    assert_eq!(reply.body["checks"]["database"]["status"], "up");
    assert_eq!(reply.body["checks"]["ollama"]["status"], "down");
    assert_eq!(reply.body["checks"]["cloud"]["status"], "not_configured");
    assert_eq!(reply.body["status"], "ok");
}

#[tokio::test]
async fn openapi_spec_and_docs_are_served_locally() {
    let app = TestApp::new().await;
    let spec = app
        .call(Method::GET, "/api/openapi.json", Value::Null, Auth::None)
        .await;
    assert_eq!(spec.status, StatusCode::OK);
    assert!(spec.body["openapi"].as_str().unwrap().starts_with("3."));
    assert!(spec.body["paths"]["/api/v1/auth/login"]["post"].is_object());
    let docs = app
        .call(Method::GET, "/api/docs", Value::Null, Auth::None)
        .await;
    assert_eq!(docs.status, StatusCode::OK);
    let page = docs.body.as_str().unwrap();
    assert!(page.contains("/api/docs/ui/swagger-ui-bundle.js"));
    assert!(!page.contains("http"), "no CDN links: {page}");
    let bundle = app
        .call(
            Method::GET,
            "/api/docs/ui/swagger-ui-bundle.js",
            Value::Null,
            Auth::None,
        )
        .await;
    assert_eq!(bundle.status, StatusCode::OK);
}
