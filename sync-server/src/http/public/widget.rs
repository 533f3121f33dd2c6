//! The diners' widget API, `/public/{slug}/…`: no session, rate-limited per client (its
//! own budget, see `http::api`), answered to browsers of the tenant's allowed origins only
//! ([`cors`]). A slug is resolved through [`PublicRestaurant`]; every handler then works
//! in a transaction of that tenant, as every other request does.

use super::restaurant::{LocationParam, LocationQuery, PUBLIC_PREFIX, PublicRestaurant};
use crate::http::error::{ApiError, ErrorBody};
use crate::limits::RetryAfter;
use crate::presence;
use crate::state::AppState;
use crate::widget::{self, PublicMenu};
use crate::widget_settings::{Appearance, OfflinePolicy, PaymentOptions};
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dysa_domain::ids::LocationId;
use serde::Serialize;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The widget's own routes (its configuration and menu).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(widget_config))
        .routes(routes!(menu))
        .routes(routes!(media))
}

/// The restaurant's names.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WidgetRestaurant {
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
}

/// The location served.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WidgetLocation {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: LocationId,
    /// Name.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Address, phone and hours, when the owner set them.
    #[serde(flatten)]
    pub contact: widget::LocationContact,
}

/// Online orders, as the widget must offer them right now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WidgetOrdering {
    /// False when the owner turned them off or the counter paused them.
    pub online_orders: bool,
    /// What happens to an order while the restaurant is offline.
    pub offline_policy: OfflinePolicy,
    /// The owner's usual preparation time, minutes (for dishes without their own).
    pub prep_minutes: i32,
    /// How the diner may pay: `at_pickup`, `online` or `both` (online only while the
    /// restaurant has a Mercado Pago account linked).
    pub payment: PaymentOptions,
}

/// Online bookings.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WidgetBookings {
    /// Whether the widget offers bookings.
    pub enabled: bool,
    /// The largest party it offers.
    pub max_party_size: i32,
}

/// What the widget needs to start.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WidgetConfig {
    /// The restaurant.
    pub restaurant: WidgetRestaurant,
    /// The location served.
    pub location: WidgetLocation,
    /// How the widget looks.
    pub appearance: Appearance,
    /// Online orders.
    pub ordering: WidgetOrdering,
    /// Online bookings.
    pub bookings: WidgetBookings,
    /// True while a device of the location holds its live connection.
    pub restaurant_online: bool,
    /// How the restaurant can tell a diner about their order.
    pub messages: WidgetMessages,
}

/// The channels a diner may choose to hear about their order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WidgetMessages {
    /// `whatsapp` (the location has a linked number), `sms` (the restaurant linked
    /// Twilio), `email` (the cloud can send mail); the widget adds "none".
    pub channels: Vec<crate::diner_messages::NotifyChannel>,
}

/// How the widget looks and what it offers, for one restaurant.
#[utoipa::path(get, path = "/public/{slug}/widget", tag = "widget", security(()),
    params(("slug" = String, Path), LocationQuery),
    responses(
        (status = 200, body = WidgetConfig),
        (status = 403, body = ErrorBody, description = "`tenant_suspended`, `location_closed`, or `widget_not_in_plan`"),
        (status = 404, body = ErrorBody, description = "`restaurant_not_found`"),
        (status = 429, body = ErrorBody),
    ))]
async fn widget_config(
    State(state): State<AppState>,
    PublicRestaurant(restaurant): PublicRestaurant,
) -> Result<axum::Json<WidgetConfig>, ApiError> {
    let mut tx = state.db.tenant_tx(restaurant.tenant_id).await?;
    let online = presence::location_online(&mut tx, restaurant.location_id).await?;
    let paused = widget::online_paused(&mut tx, restaurant.location_id).await?;
    let contact = widget::location_contact(&mut tx, restaurant.location_id).await?;
    let chargeable = crate::mercado_pago::can_charge(&state, &mut tx).await?;
    let channels = crate::diner_messages::channels(&state, &mut tx, restaurant.location_id).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    let settings = &restaurant.settings;
    Ok(axum::Json(WidgetConfig {
        restaurant: WidgetRestaurant {
            slug: restaurant.slug.clone(),
            name: restaurant.name.clone(),
        },
        location: WidgetLocation {
            id: restaurant.location_id,
            name: restaurant.location_name.clone(),
            time_zone: restaurant.time_zone.clone(),
            contact,
        },
        appearance: settings.appearance.clone(),
        ordering: WidgetOrdering {
            online_orders: settings.ordering.online_orders && !paused,
            offline_policy: settings.ordering.offline_policy,
            prep_minutes: settings.ordering.prep_minutes,
            payment: match settings.ordering.payment {
                _ if !chargeable => PaymentOptions::AtPickup,
                chosen => chosen,
            },
        },
        bookings: WidgetBookings {
            enabled: settings.bookings.enabled,
            max_party_size: settings.bookings.max_party_size,
        },
        restaurant_online: online,
        messages: WidgetMessages { channels },
    }))
}

fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().trim_start_matches("W/"))
        .any(|v| v == etag || v == "*")
}

/// The menu of one restaurant: active categories with their items (sold-out ones marked
/// `available: false`) and modifier groups. Served from memory while the tenant's sync
/// version stays; `If-None-Match` with the `ETag` answers 304.
#[utoipa::path(get, path = "/public/{slug}/menu", tag = "widget", security(()),
    params(("slug" = String, Path), LocationQuery),
    responses(
        (status = 200, body = PublicMenu, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the `If-None-Match` ETag"),
        (status = 403, body = ErrorBody, description = "`tenant_suspended`, `location_closed`, or `widget_not_in_plan`"),
        (status = 404, body = ErrorBody, description = "`restaurant_not_found`"),
        (status = 429, body = ErrorBody),
    ))]
async fn menu(
    State(state): State<AppState>,
    PublicRestaurant(restaurant): PublicRestaurant,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (tenant, location) = (restaurant.tenant_id, restaurant.location_id);
    let cached = match state.widget.menu(tenant, location) {
        Some(menu) => menu,
        None => {
            let mut tx = state.db.tenant_tx(tenant).await?;
            let menu = widget::read_menu(&mut tx, location).await?;
            tx.commit().await.map_err(crate::store::StoreError::from)?;
            let cached = Arc::new(widget::cache_menu(&menu).map_err(|e| ApiError::internal(&e))?);
            state.widget.keep_menu(tenant, location, cached.clone());
            cached
        }
    };
    let etag = HeaderValue::from_str(&cached.etag).map_err(|e| ApiError::internal(&e))?;
    let cache_control = HeaderValue::from_static("no-cache");
    if etag_matches(&headers, &cached.etag) {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache_control)],
        )
            .into_response());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache_control),
        ],
        Body::from(cached.body.clone()),
    )
        .into_response())
}

/// A menu photo of the restaurant (`{hash}.jpg`) or its thumbnail (`{hash}-thumb.jpg`),
/// as the widget's menu names them. Cached by browsers and proxies for a year (the name
/// is the content's hash); 404 for a photo the restaurant does not hold, whoever else may.
#[utoipa::path(get, path = "/public/{slug}/media/{file}", tag = "widget", security(()),
    params(("slug" = String, Path), ("file" = String, Path, description = "`{hash}.jpg` or `{hash}-thumb.jpg`")),
    responses(
        (status = 200, description = "The JPEG", content_type = "image/jpeg", body = Vec<u8>),
        (status = 304, description = "The client's copy is current"),
        (status = 403, body = ErrorBody, description = "`tenant_suspended`"),
        (status = 404, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
async fn media(
    State(state): State<AppState>,
    PublicRestaurant(restaurant): PublicRestaurant,
    crate::http::extract::Path(slug_and_file): crate::http::extract::Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (_, file) = slug_and_file;
    let (hash, variant) =
        dysa_web::photos::media_name(&file).ok_or_else(dysa_web::photos::not_found)?;
    let thumb = variant == dysa_web::photos::Variant::Thumb;
    let mut tx = state.db.tenant_tx(restaurant.tenant_id).await?;
    let bytes = crate::store::media::bytes(&mut tx, &hash, thumb).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    let bytes = bytes.ok_or_else(dysa_web::photos::not_found)?;
    Ok(dysa_web::photos::serve(
        &headers,
        &hash,
        variant,
        bytes,
        dysa_web::photos::Caching::Public,
    ))
}

/// The origin (`scheme://host[:port]`) of the cloud's own public URL, allowed on every
/// tenant's public API (the hosted page `/r/{slug}` calls it).
pub fn own_origin(public_url: &str) -> Option<String> {
    let (scheme, rest) = public_url.split_once("://")?;
    let authority = rest.split('/').next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

const ALLOWED_METHODS: &str = "GET, POST, OPTIONS";
const ALLOWED_HEADERS: &str =
    "content-type, idempotency-key, accept-language, if-none-match, x-status-token";

/// Exact-origin CORS for the public widget API, per tenant. A browser request whose
/// `Origin` is one of the tenant's `allowed_origins` (or the cloud's own origin) gets
/// `Access-Control-Allow-Origin: <that origin>`; any other gets no CORS header at all, so
/// the browser keeps the answer from the page. Preflights are answered here, likewise.
/// Sits outside the service-wide CORS layer (whose headers it replaces on these paths).
///
/// Preflights run outside the widget's rate limit, so they are counted by a limiter of
/// their own before their slug is looked up (429 when spent). Other requests are answered
/// first (the handler resolves the slug under the widget's limit) and then read the
/// restaurant from the cache only: CORS itself never adds a database lookup.
pub async fn cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(rest) = request.uri().path().strip_prefix(PUBLIC_PREFIX) else {
        return next.run(request).await;
    };
    let slug = rest.split('/').next().unwrap_or("").to_owned();
    let origin = request.headers().get(header::ORIGIN).cloned();
    let origin_text = origin
        .as_ref()
        .and_then(|o| o.to_str().ok())
        .map(str::to_owned);
    let own = origin_text.is_some()
        && own_origin(&state.settings.public_url).as_deref() == origin_text.as_deref();
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let (allowed, mut response) = if preflight {
        // Counted only when it would look its slug up (a foreign origin).
        if origin_text.is_some() && !own {
            let client = crate::http::extract::client_ip(
                request.headers(),
                request.extensions(),
                state.limits.proxies(),
            );
            if let Err(RetryAfter(wait)) = state.limits.preflight(&client) {
                return ApiError::too_many_requests(wait).into_response();
            }
        }
        let allowed = match &origin_text {
            Some(text) => own || origin_allowed(&state, &slug, text).await,
            None => false,
        };
        let mut response = StatusCode::NO_CONTENT.into_response();
        if allowed {
            let headers = response.headers_mut();
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static(ALLOWED_METHODS),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static(ALLOWED_HEADERS),
            );
            headers.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        }
        (allowed, response)
    } else {
        // The location as the handler resolved it (see `PublicRestaurant`).
        let location = match Query::<LocationParam>::try_from_uri(request.uri()) {
            Ok(Query(LocationParam {
                location: Some(text),
            })) => crate::widget::LocationRef::parse(&text),
            _ => None,
        };
        let mut response = next.run(request).await;
        let headers = response.headers_mut();
        for name in [
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
        ] {
            headers.remove(name);
        }
        let allowed = match &origin_text {
            Some(text) => {
                own || state
                    .widget
                    .cached(&slug, location)
                    .flatten()
                    .is_some_and(|r| r.settings.allows_origin(text))
            }
            None => false,
        };
        if allowed {
            headers.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("etag, retry-after"),
            );
        }
        (allowed, response)
    };
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("origin"));
    if let (true, Some(origin)) = (allowed, origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    response
}

async fn origin_allowed(state: &AppState, slug: &str, origin: &str) -> bool {
    match state.widget.restaurant(&state.db, slug, None).await {
        Ok(Some(restaurant)) => restaurant.settings.allows_origin(origin),
        Ok(None) => false,
        Err(error) => {
            tracing::warn!(%error, "public CORS: cannot read the allowed origins");
            false
        }
    }
}
