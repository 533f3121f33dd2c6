//! The OpenAPI document and a browsable Swagger UI, served from files embedded in the
//! binary (no CDN: the appliance must work offline). Both servers mount it; only the
//! page's title differs.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use std::sync::Arc;

// Kept out of the page so the Content-Security-Policy needs no 'unsafe-inline' scripts.
const DOCS_INIT: &str = "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false });";

/// The docs page, titled `ChatBotDysa — {title}`.
fn page(title: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ChatBotDysa — {title}</title>
<link rel="stylesheet" href="/api/docs/ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/ui/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>"#
    )
}

/// Routes for `/api/openapi.json` and `/api/docs` (the page titled `ChatBotDysa — {title}`).
pub fn router<S: Clone + Send + Sync + 'static>(
    spec: utoipa::openapi::OpenApi,
    title: &str,
) -> Router<S> {
    let json = Arc::new(spec.to_pretty_json().unwrap_or_else(|_| "{}".to_owned()));
    let page = Arc::new(page(title));
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
            get(move || {
                let page = page.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                        page.as_str().to_owned(),
                    )
                        .into_response()
                }
            }),
        )
        .route(
            "/api/docs/init.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], DOCS_INIT) }),
        )
        .merge(assets)
}

/// Declares the two ways to authenticate that every secured route names: `bearer` (the
/// `Authorization` header, with `bearer_format` when given) and `cookie` (the access
/// cookie `access_cookie`).
pub fn add_security_schemes(
    openapi: &mut utoipa::openapi::OpenApi,
    access_cookie: &str,
    bearer_format: Option<&str>,
) {
    use utoipa::openapi::security::{
        ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
    };
    let components = openapi.components.get_or_insert_with(Default::default);
    let mut bearer = HttpBuilder::new().scheme(HttpAuthScheme::Bearer);
    if let Some(format) = bearer_format {
        bearer = bearer.bearer_format(format);
    }
    components.add_security_scheme("bearer", SecurityScheme::Http(bearer.build()));
    components.add_security_scheme(
        "cookie",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(access_cookie))),
    );
}
