//! The OpenAPI document and a browsable Swagger UI, served from files embedded in the
//! binary (no CDN).

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use std::sync::Arc;

const DOCS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ChatBotDysa — API de la nube</title>
<link rel="stylesheet" href="/api/docs/ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/ui/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>"#;

// Kept out of the page so the Content-Security-Policy needs no 'unsafe-inline' scripts.
const DOCS_INIT: &str = "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false });";

/// Routes for `/api/openapi.json` and `/api/docs`.
pub fn router<S: Clone + Send + Sync + 'static>(spec: utoipa::openapi::OpenApi) -> Router<S> {
    let json = Arc::new(spec.to_pretty_json().unwrap_or_else(|_| "{}".to_owned()));
    let assets: Router<S> = swagger_ui_dist::generate_routes(swagger_ui_dist::ApiDefinition {
        uri_prefix: "/api/docs/ui",
        api_definition: swagger_ui_dist::OpenApiSource::Uri("/api/openapi.json"),
        title: Some("ChatBotDysa"),
    })
    .with_state(());
    Router::new()
        .route(
            "/api/openapi.json",
            get(move || {
                let json = json.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        json.as_str().to_owned(),
                    )
                        .into_response()
                }
            }),
        )
        .route(
            "/api/docs",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    DOCS_PAGE,
                )
            }),
        )
        .route(
            "/api/docs/init.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], DOCS_INIT) }),
        )
        .merge(assets)
}
