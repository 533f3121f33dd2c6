//! The admin panel served at `/` from the embedded `ui/dist`.

mod common;

use axum::http::{Method, StatusCode, header};
use common::{Auth, TestApp};
use serde_json::Value;

fn header(reply: &common::Reply, name: header::HeaderName) -> &str {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn the_panel_is_served_at_the_root_with_the_csp() {
    let app = TestApp::new().await;
    let reply = app.call(Method::GET, "/", Value::Null, Auth::None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(header(&reply, header::CONTENT_TYPE).starts_with("text/html"));
    assert_eq!(header(&reply, header::CACHE_CONTROL), "no-cache");
    assert!(header(&reply, header::CONTENT_SECURITY_POLICY).contains("default-src 'self'"));
    let html = reply.body.as_str().unwrap_or_default();
    assert!(html.contains("<div id=\"app\">"), "{html}");
    assert!(
        !html.contains("<script>") && !html.contains("<script type=\"module\">"),
        "no inline scripts: {html}"
    );
}

#[tokio::test]
async fn panel_routes_fall_back_to_the_page_and_assets_are_cached() {
    let app = TestApp::new().await;
    let page = app
        .call(Method::GET, "/orders/0190abcd", Value::Null, Auth::None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(header(&page, header::CONTENT_TYPE).starts_with("text/html"));

    let html = page.body.as_str().unwrap_or_default().to_owned();
    let script = html
        .split("src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .filter(|src| src.starts_with("/assets/"))
        .expect("the page loads a hashed script");
    let asset = app.call(Method::GET, script, Value::Null, Auth::None).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert!(header(&asset, header::CONTENT_TYPE).starts_with("text/javascript"));
    assert!(header(&asset, header::CACHE_CONTROL).contains("immutable"));

    let missing = app
        .call(Method::GET, "/assets/nope.js", Value::Null, Auth::None)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_api_paths_still_answer_json_404() {
    let app = TestApp::new().await;
    for path in ["/api/v1/nope", "/api/nope", "/health/nope"] {
        let reply = app.call(Method::GET, path, Value::Null, Auth::None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(reply.code(), "not_found", "{path}");
    }
    let post = app
        .call(Method::POST, "/orders", Value::Null, Auth::None)
        .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    assert_eq!(post.code(), "not_found");
}
