//! What every public per-restaurant route shares: the restaurant named by the path (an
//! extractor), the location query and the per-location budgets' answers.

use crate::http::error::{ApiError, tenant_suspended};
use crate::limits::{Budget, RetryAfter};
use crate::state::AppState;
use crate::widget::{LocationRef, Restaurant};
use crate::widget_settings::BudgetSettings;
use axum::extract::{FromRequestParts, Query, RawPathParams};
use axum::http::StatusCode;
use axum::http::request::Parts;
use dysa_domain::ids::LocationId;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::Deserialize;
use std::sync::Arc;

/// 429 for a spent per-location `budget`, with `Retry-After` (docs/SECURITY.md,
/// "Budgets on the public and device surfaces"); the widget shows the message.
pub fn budget_spent(budget: Budget, retry_after_secs: u64) -> ApiError {
    let (code, es, en) = match budget {
        Budget::Orders => (
            "orders_budget_spent",
            "El restaurante recibió muchos pedidos en línea en la última hora; intenta de nuevo en unos minutos o llámalo",
            "The restaurant got many online orders in the last hour; try again in a few minutes or call it",
        ),
        Budget::Bookings => (
            "bookings_budget_spent",
            "El restaurante recibió muchas reservas en línea en la última hora; intenta de nuevo en unos minutos o llámalo",
            "The restaurant got many online bookings in the last hour; try again in a few minutes or call it",
        ),
        Budget::ChatTurns => (
            "chat_budget_spent",
            "El asistente de este restaurante recibió muchos mensajes en la última hora; intenta de nuevo en unos minutos",
            "This restaurant's assistant got many messages in the last hour; try again in a few minutes",
        ),
    };
    ApiError::over_budget(code, retry_after_secs, es, en)
}

/// Spends one unit of `location`'s `budget` (`per_hour` as the owner set it), or 429.
pub fn spend(
    state: &AppState,
    location: LocationId,
    budget: Budget,
    per_hour: i32,
) -> Result<(), ApiError> {
    state
        .limits
        .spend(location, budget, BudgetSettings::limit(per_hour))
        .map_err(|RetryAfter(wait)| budget_spent(budget, wait))
}

/// Prefix of every public widget path (outside the `/api/v1` nest).
pub const PUBLIC_PREFIX: &str = "/api/v1/public/";

/// 404 for an unknown slug.
pub fn restaurant_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "restaurant_not_found",
        "No encontramos ese restaurante",
        "We could not find that restaurant",
    )
}

/// The answer for a location its owner closed: the widget shows the message.
pub fn location_closed(name: &str) -> ApiError {
    ApiError::forbidden(
        "location_closed",
        format!("El local {name} está cerrado por ahora; no recibe pedidos ni reservas"),
        format!("The {name} location is closed for now; it takes no orders or bookings"),
    )
}

/// The restaurant named by the path's `{slug}` (and the `location` query parameter, when
/// given). Unknown → 404 `restaurant_not_found`; a suspended tenant → 403
/// `tenant_suspended` (as everywhere else in the cloud: the restaurant exists, it just
/// cannot take anything now, and the widget can say so); a plan without the widget →
/// 403 `widget_not_in_plan`, also in words for a diner.
#[derive(Clone, Debug)]
pub struct PublicRestaurant(pub Arc<Restaurant>);

/// The raw `location` query parameter (checked by whoever reads it).
#[derive(Deserialize)]
pub struct LocationParam {
    /// A location id, as text.
    pub location: Option<String>,
}

impl FromRequestParts<AppState> for PublicRestaurant {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(found) = parts.extensions.get::<PublicRestaurant>() {
            return Ok(found.clone());
        }
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| restaurant_not_found())?;
        let slug = params
            .iter()
            .find(|(name, _)| *name == "slug")
            .map(|(_, value)| value.to_owned())
            .ok_or_else(restaurant_not_found)?;
        let location = match Query::<LocationParam>::try_from_uri(&parts.uri) {
            Ok(Query(LocationParam {
                location: Some(text),
            })) if !text.is_empty() => Some(LocationRef::parse(&text).ok_or_else(|| {
                let mut fields = FieldErrors::new();
                fields.add(
                    "location",
                    FieldIssue::Other {
                        es: "no es un identificador ni la dirección de un local".into(),
                        en: "is neither a location's id nor its slug".into(),
                    },
                );
                ApiError::from(fields)
            })?),
            _ => None,
        };
        let restaurant = state
            .widget
            .restaurant(&state.db, &slug, location)
            .await?
            .ok_or_else(restaurant_not_found)?;
        if restaurant.suspended {
            return Err(tenant_suspended());
        }
        if restaurant.closed {
            return Err(location_closed(&restaurant.location_name));
        }
        if !restaurant.widget_in_plan {
            return Err(crate::billing::widget_not_in_plan());
        }
        tracing::Span::current().record("tenant_id", tracing::field::display(restaurant.tenant_id));
        let found = PublicRestaurant(restaurant);
        parts.extensions.insert(found.clone());
        Ok(found)
    }
}

/// The optional location of a public call (documentation of the query parameter).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LocationQuery {
    /// One of the tenant's locations, by id or slug; absent: its first open one.
    #[param(value_type = Option<String>)]
    pub location: Option<String>,
}
