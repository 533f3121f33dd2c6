//! The widget script and the hosted page as browsers fetch them: cacheable, embeddable
//! from any site, gzipped, and a real (HTML) 404 for a restaurant that does not exist.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestApp;
use http_body_util::BodyExt;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tower::ServiceExt;

async fn raw(
    app: &TestApp,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, bytes)
}

fn get(path: &str) -> axum::http::request::Builder {
    Request::get(path).header(header::HOST, "cloud.test")
}

#[sqlx::test(migrations = false)]
async fn the_script_is_cacheable_and_embeddable_from_any_site(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let on_disk = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ui/dist-widget/widget.js"
    ))
    .unwrap();

    let (status, headers, body) = raw(&app, get("/widget.js").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, on_disk);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=300");
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert_eq!(headers["cross-origin-resource-policy"], "cross-origin");
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");

    let (status, headers, body) = raw(
        &app,
        get("/widget.js")
            .header(header::IF_NONE_MATCH, &etag)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert_eq!(headers[header::ETAG], etag.as_str());

    let (status, headers, body) = raw(
        &app,
        get("/widget.js")
            .header(header::IF_NONE_MATCH, "\"stale\"")
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert!(
        body.len() < on_disk.len() / 2,
        "gzip: {} of {}",
        body.len(),
        on_disk.len()
    );
}

#[sqlx::test(migrations = false)]
async fn an_unknown_restaurant_gets_an_html_404_in_the_visitors_language(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    for (path, accept, lang, title) in [
        (
            "/r/no-existe",
            "es-CL,es;q=0.9",
            "es",
            "Restaurante no encontrado",
        ),
        (
            "/r/no-existe",
            "en-US,en;q=0.9",
            "en",
            "Restaurant not found",
        ),
        (
            "/r/no-existe?lang=en",
            "es-CL",
            "en",
            "Restaurant not found",
        ),
        ("/r/NOT..a..slug", "es", "es", "Restaurante no encontrado"),
    ] {
        let (status, headers, body) = raw(
            &app,
            get(path)
                .header(header::ACCEPT_LANGUAGE, accept)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let html = String::from_utf8(body).unwrap();
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
        assert!(html.contains(title), "{html}");
        assert!(
            headers[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .contains("script-src 'self'")
        );
    }
}

#[sqlx::test(migrations = false)]
async fn a_restaurant_gets_its_hosted_page_with_the_widget_open(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("donde-pepe").await;
    for (accept, lang) in [("es-CL", "es"), ("en-GB,en;q=0.9", "en")] {
        let (status, headers, body) = raw(
            &app,
            get(&format!("/r/{}", tenant.slug))
                .header(header::ACCEPT_LANGUAGE, accept)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let html = String::from_utf8(body).unwrap();
        assert_eq!(status, StatusCode::OK, "{html}");
        assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
        assert!(html.contains("<title>Restaurante donde-pepe — "), "{html}");
        assert!(
            html.contains("<script src=\"/widget.js\" data-restaurant=\"donde-pepe\""),
            "{html}"
        );
        assert!(html.contains("data-open=\"page\""), "{html}");
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"),
            "{csp}"
        );
    }
}
