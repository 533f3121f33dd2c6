//! Menu photos at the counter: upload (resized, re-encoded, named by hash), the cached
//! `/media/` answers, removal, what each role may do, and every kind of bad upload.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../../photo/src/fixtures.rs"]
mod photo_fixtures;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Reply, TestApp};
use http_body_util::BodyExt;
use photo_fixtures::{jpeg_dimensions as dimensions, png};
use tower::ServiceExt;

async fn upload(
    app: &TestApp,
    item: &str,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/menu/items/{item}/photo"))
        .header(header::HOST, "127.0.0.1:7001")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

/// A `/media/` file: status, headers and the raw bytes.
async fn media(
    app: &TestApp,
    file: &str,
    if_none_match: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::builder()
        .uri(format!("/media/{file}"))
        .header(header::HOST, "127.0.0.1:7001");
    if let Some(tag) = if_none_match {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, bytes.to_vec())
}

#[tokio::test]
async fn an_uploaded_photo_is_resized_named_by_its_hash_and_served_cached() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 4990).await;

    let reply = upload(&app, &item, &admin, "image/png", png(1600, 1200)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let hash = reply.body["photo"].as_str().unwrap().to_owned();
    assert_eq!(hash.len(), 64);
    assert_eq!(
        reply.body["price_display"], "$4.990",
        "the item view as PATCH answers"
    );

    let (status, headers, jpeg) = media(&app, &format!("{hash}.jpg"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    assert_eq!(etag, format!("\"{hash}\""));
    assert_eq!(
        dimensions(&jpeg),
        (800, 600),
        "shrunk to 800 px, proportions kept"
    );
    assert_eq!(dysa_domain::sync::rows::PhotoHash::of(&jpeg).as_str(), hash);

    let (status, _, thumb) = media(&app, &format!("{hash}-thumb.jpg"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(dimensions(&thumb), (200, 150));

    let (status, headers, body) = media(&app, &format!("{hash}.jpg"), Some(&etag)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert!(headers.contains_key(header::CACHE_CONTROL));

    // The item and the tree carry it; the synced item row names it.
    let got = app.get(&format!("/api/v1/menu/items/{item}"), &admin).await;
    assert_eq!(got.body["photo"], hash.as_str());
    let tree = app.get("/api/v1/menu", &admin).await;
    assert_eq!(
        tree.body["categories"][0]["items"][0]["photo"],
        hash.as_str()
    );
    let outbox = dysa_appliance::store::outbox::pending(&app.state.db.read, 10_000)
        .await
        .unwrap();
    let last = outbox.iter().rev().find(|r| r.entity == "item").unwrap();
    let payload: serde_json::Value = serde_json::from_str(&last.payload).unwrap();
    assert_eq!(payload["photo"], hash.as_str());

    // Removed: the item forgets it (and says so to sync); the bytes stay for caches.
    let removed = app
        .delete(&format!("/api/v1/menu/items/{item}/photo"), &admin)
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{:?}", removed.body);
    assert!(removed.body["photo"].is_null());
    let outbox = dysa_appliance::store::outbox::pending(&app.state.db.read, 10_000)
        .await
        .unwrap();
    let last = outbox.iter().rev().find(|r| r.entity == "item").unwrap();
    let payload: serde_json::Value = serde_json::from_str(&last.payload).unwrap();
    assert!(payload["photo"].is_null(), "{payload}");
}

#[tokio::test]
async fn the_same_photo_twice_writes_nothing_new() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 3000).await;
    let first = upload(&app, &item, &admin, "image/png", png(300, 200)).await;
    let before = dysa_appliance::store::outbox::pending(&app.state.db.read, 10_000)
        .await
        .unwrap()
        .len();
    let second = upload(&app, &item, &admin, "image/png", png(300, 200)).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(first.body["photo"], second.body["photo"]);
    let after = dysa_appliance::store::outbox::pending(&app.state.db.read, 10_000)
        .await
        .unwrap()
        .len();
    assert_eq!(before, after, "no new sync row for an unchanged item");
}

#[tokio::test]
async fn bad_uploads_are_refused_with_the_json_error() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 3000).await;

    let not_image = upload(&app, &item, &admin, "image/jpeg", b"%PDF-1.7 menu".to_vec()).await;
    assert_eq!(not_image.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(not_image.body["error"]["code"], "not_an_image");

    let wrong_type = upload(&app, &item, &admin, "text/plain", png(10, 10)).await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(wrong_type.body["error"]["code"], "unsupported_media_type");

    let mut big = png(10, 10);
    big.resize(8 * 1024 * 1024 + 1, 0);
    let too_big = upload(&app, &item, &admin, "image/png", big).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        too_big.body["error"]["code"].is_string(),
        "{:?}",
        too_big.body
    );

    let mut truncated = png(400, 400);
    truncated.truncate(100);
    let broken = upload(&app, &item, &admin, "image/png", truncated).await;
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(broken.body["error"]["code"], "unreadable_image");

    let missing = upload(
        &app,
        &uuid::Uuid::now_v7().to_string(),
        &admin,
        "image/png",
        png(10, 10),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // Nothing half-written: the item still has no photo.
    let got = app.get(&format!("/api/v1/menu/items/{item}"), &admin).await;
    assert!(got.body["photo"].is_null());

    for name in [
        "nothing.jpg".to_owned(),
        format!("{}.jpg", "0".repeat(64)),
        format!("{}.png", "0".repeat(64)),
    ] {
        let (status, _, _) = media(&app, &name, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{name}");
    }
}

#[tokio::test]
async fn whoever_edits_the_menu_may_change_photos_and_no_one_else() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 3000).await;
    let (_, manager) = app.user_with_role(&admin, "manager").await;
    let manager_upload = upload(&app, &item, &manager, "image/png", png(64, 64)).await;
    assert_eq!(
        manager_upload.status,
        StatusCode::OK,
        "{:?}",
        manager_upload.body
    );
    for role in ["waiter", "viewer"] {
        let (_, token) = app.user_with_role(&admin, role).await;
        let refused = upload(&app, &item, &token, "image/png", png(32, 32)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{role}");
        let refused = app
            .delete(&format!("/api/v1/menu/items/{item}/photo"), &token)
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{role}");
    }
    let anonymous = upload(&app, &item, "not-a-token", "image/png", png(32, 32)).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let got = app.get(&format!("/api/v1/menu/items/{item}"), &admin).await;
    assert_eq!(got.body["photo"], manager_upload.body["photo"]);
}
