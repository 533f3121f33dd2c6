//! Menu photos in the cloud: a counter's bytes under their hash (checked, kept once per
//! tenant), the widget's public, cached copies scoped by slug, a second counter fetching
//! what it lacks, owners' uploads from the dashboard, and tenant isolation on every
//! media route.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../../crates/photo/src/fixtures.rs"]
mod photo_fixtures;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use common::sync::{device, first_device, hlc, id, push_applied, upsert};
use common::{Reply, TestApp};
use http_body_util::BodyExt;
use photo_fixtures::{jpeg_dimensions as dimensions, png};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tower::ServiceExt;

/// A request with a raw body, answered with its raw bytes.
async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "cloud.test");
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if !body.is_empty() {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    let response = app
        .router
        .clone()
        .oneshot(builder.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, bytes.to_vec())
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or(Value::Null)
}

async fn put_media(app: &TestApp, token: &str, hash: &str, jpeg: Vec<u8>) -> (StatusCode, Value) {
    let path = format!("/api/v1/sync/media/{hash}");
    let (status, _, body) = raw(app, Method::PUT, &path, Some(token), "image/jpeg", jpeg).await;
    (status, json_of(&body))
}

/// The category and one item "Cazuela" pushed by a counter, naming `photo`: the item's id.
async fn push_item(app: &TestApp, token: &str, photo: Option<&str>) -> String {
    let (cat, item) = (id(), id());
    let stamp = hlc(1);
    push_applied(
        app,
        token,
        vec![
            upsert(
                "category",
                &cat,
                json!({"id": cat, "name": "Platos", "name_en": null, "position": 0,
                       "active": true, "created_at": "2026-12-07T12:00:00.000Z",
                       "updated_at": stamp}),
                &stamp,
            ),
            upsert(
                "item",
                &item,
                json!({"id": item, "category_id": cat, "name": "Cazuela", "name_en": null,
                       "description": null, "description_en": null, "price": 8990,
                       "station": "kitchen", "tags": ["vegan"], "allergens": [],
                       "modifier_group_ids": [], "available": true, "position": 0,
                       "photo": photo, "created_at": "2026-12-07T12:00:00.000Z",
                       "updated_at": stamp}),
                &stamp,
            ),
        ],
    )
    .await;
    item
}

#[sqlx::test(migrations = false)]
async fn a_counters_photo_reaches_the_widget_and_a_second_counter(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("fotos").await;
    let caja = first_device(&app, &tenant).await;
    let photo = dysa_photo::process(&png(1200, 900)).unwrap();
    let hash = photo.hash.to_string();

    // Bytes first (as the sync loop sends them), twice: the second is a no-op.
    assert_eq!(
        put_media(&app, &caja, &hash, photo.jpeg.clone()).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        put_media(&app, &caja, &hash, photo.jpeg.clone()).await.0,
        StatusCode::NO_CONTENT
    );
    push_item(&app, &caja, Some(&hash)).await;

    // The widget's menu names it with its size; the public copy is cached for a year.
    let menu = app.get("/api/v1/public/fotos/menu", "").await;
    let item = &menu.body["categories"][0]["items"][0];
    assert_eq!(
        item["photo"],
        json!({"hash": hash, "width": 800, "height": 600})
    );
    assert_eq!(item["tags"], json!(["vegan"]));
    let public = format!("/api/v1/public/fotos/media/{hash}.jpg");
    let (status, headers, jpeg) = raw(&app, Method::GET, &public, None, "", Vec::new()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(
        headers["cross-origin-resource-policy"], "cross-origin",
        "loadable on the restaurant's own site"
    );
    assert_eq!(jpeg, photo.jpeg);
    let thumb = format!("/api/v1/public/fotos/media/{hash}-thumb.jpg");
    let (status, _, small) = raw(&app, Method::GET, &thumb, None, "", Vec::new()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(dimensions(&small), (200, 150));

    // A second counter of the location pulls the item and fetches the bytes it lacks.
    let (_, barra) = device(&app, &tenant.token, &tenant.location_id, "Barra").await;
    let pulled = app
        .get("/api/v1/sync/pull?cursor=0&schema_version=1", &barra)
        .await;
    let items: Vec<&Value> = pulled.body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["entity"] == "item")
        .collect();
    assert_eq!(items[0]["row"]["photo"], hash.as_str(), "{:?}", pulled.body);
    let path = format!("/api/v1/sync/media/{hash}");
    let (status, _, fetched) = raw(&app, Method::GET, &path, Some(&barra), "", Vec::new()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched, photo.jpeg);
}

#[sqlx::test(migrations = false)]
async fn a_counter_can_only_send_the_photos_it_names(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("cheques").await;
    let caja = first_device(&app, &tenant).await;
    let photo = dysa_photo::process(&png(300, 300)).unwrap();
    let other = dysa_photo::process(&png(310, 300)).unwrap();

    let (status, body) = put_media(&app, &caja, other.hash.as_str(), photo.jpeg.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "hash_mismatch");

    // A PNG under its own hash: not a JPEG this system makes.
    let upload = png(40, 40);
    let png_hash = dysa_domain::sync::rows::PhotoHash::of(&upload);
    let (status, body) = put_media(&app, &caja, png_hash.as_str(), upload).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "not_an_image");

    let (status, _) = put_media(&app, &caja, "../../etc/passwd", photo.jpeg.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let mut big = photo.jpeg.clone();
    big.resize(8 * 1024 * 1024 + 1, 0);
    let (status, _) = put_media(&app, &caja, photo.hash.as_str(), big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    let path = format!("/api/v1/sync/media/{}", photo.hash);
    let (status, _, _) = raw(
        &app,
        Method::PUT,
        &path,
        None,
        "image/jpeg",
        photo.jpeg.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "devices only");
    let (status, _, _) = raw(&app, Method::GET, &path, Some(&caja), "", Vec::new()).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "nothing kept from the refused sends"
    );
}

#[sqlx::test(migrations = false)]
async fn another_tenant_sees_none_of_the_photos(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let a = app.signup("tenant-a").await;
    let b = app.signup("tenant-b").await;
    let caja_a = first_device(&app, &a).await;
    let caja_b = first_device(&app, &b).await;
    let photo = dysa_photo::process(&png(500, 400)).unwrap();
    let hash = photo.hash.to_string();
    assert_eq!(
        put_media(&app, &caja_a, &hash, photo.jpeg.clone()).await.0,
        StatusCode::NO_CONTENT
    );
    push_item(&app, &caja_a, Some(&hash)).await;

    let path = format!("/api/v1/sync/media/{hash}");
    let (status, _, _) = raw(&app, Method::GET, &path, Some(&caja_b), "", Vec::new()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for file in [format!("{hash}.jpg"), format!("{hash}-thumb.jpg")] {
        let public = format!("/api/v1/public/tenant-b/media/{file}");
        let (status, _, body) = raw(&app, Method::GET, &public, None, "", Vec::new()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{file}");
        assert!(json_of(&body)["error"]["code"].is_string());
        let own = format!("/api/v1/public/tenant-a/media/{file}");
        let (status, _, _) = raw(&app, Method::GET, &own, None, "", Vec::new()).await;
        assert_eq!(status, StatusCode::OK, "{file}");
    }
    // B's item cannot borrow A's photo into its widget: the menu shows none.
    push_item(&app, &caja_b, Some(&hash)).await;
    let menu = app.get("/api/v1/public/tenant-b/menu", "").await;
    assert!(
        menu.body["categories"][0]["items"][0]["photo"].is_null(),
        "{:?}",
        menu.body
    );
    // Nor can B's owner set it on A's item.
    let items = app.get("/api/v1/menu", &a.token).await;
    let a_item = items.body["items"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/menu/items/{a_item}/photo");
    let (status, _, _) = raw(&app, Method::DELETE, &path, Some(&b.token), "", Vec::new()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn owner_upload(
    app: &TestApp,
    token: &str,
    item: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/menu/items/{item}/photo"))
        .header(header::HOST, "cloud.test")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

#[sqlx::test(migrations = false)]
async fn an_owners_upload_is_resized_and_reaches_the_counters(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("duena").await;
    let caja = first_device(&app, &tenant).await;
    let item = push_item(&app, &caja, None).await;
    let (_, viewer) = app.account(&tenant.token, "vista@duena.cl", "viewer").await;
    let (_, manager) = app
        .account(&tenant.token, "gerente@duena.cl", "manager")
        .await;

    let refused = owner_upload(&app, &viewer, &item, "image/png", png(64, 64)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let bad = owner_upload(&app, &tenant.token, &item, "image/png", b"GIF89a".to_vec()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["code"], "not_an_image");
    let wrong = owner_upload(&app, &tenant.token, &item, "application/pdf", png(8, 8)).await;
    assert_eq!(wrong.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let uploaded = owner_upload(&app, &manager, &item, "image/png", png(2000, 1000)).await;
    assert_eq!(uploaded.status, StatusCode::OK, "{:?}", uploaded.body);
    let hash = uploaded.body["photo"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/sync/media/{hash}");
    let (status, _, jpeg) = raw(&app, Method::GET, &path, Some(&caja), "", Vec::new()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        dimensions(&jpeg),
        (800, 400),
        "the same 800 px the counter makes"
    );

    // The counter's pull carries the field alone (nothing else of the item rewritten).
    let pulled = app
        .get("/api/v1/sync/pull?cursor=0&schema_version=1", &caja)
        .await;
    let row = pulled.body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|c| c["entity"] == "item")
        .unwrap()["row"]
        .clone();
    assert_eq!(row["photo"], hash.as_str());
    assert_eq!(row["price"], 8990);

    let removed = app
        .delete(&format!("/api/v1/menu/items/{item}/photo"), &tenant.token)
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{:?}", removed.body);
    assert!(removed.body["photo"].is_null());
    let menu = app.get("/api/v1/public/duena/menu", "").await;
    assert!(menu.body["categories"][0]["items"][0]["photo"].is_null());
}
