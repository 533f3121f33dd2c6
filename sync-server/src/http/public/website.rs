//! The public website's routes: demo requests and self-service sign-up. Both are
//! rate-limited per client (see `http::api`).

use crate::accounts::{self, SignupInput};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ClientIp, Json};
use crate::state::AppState;
use crate::store::leads;
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::ids::{LocationId, TenantId};
use dysa_domain::validate::{FieldErrors, normalize_email};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(demo_request))
        .routes(routes!(signup))
}

/// A demo request from the website.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DemoRequest {
    /// Who asks.
    pub name: String,
    /// Their restaurant.
    pub restaurant: String,
    /// Email.
    pub email: String,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Anything else.
    #[serde(default)]
    pub message: Option<String>,
}

/// The stored request.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DemoAccepted {
    /// Id of the lead.
    pub id: Uuid,
}

/// Asks for a demo. Rate-limited per client.
#[utoipa::path(post, path = "/leads/demo", tag = "website", security(()),
    request_body = DemoRequest,
    responses(
        (status = 201, body = DemoAccepted),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
async fn demo_request(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Json(body): Json<DemoRequest>,
) -> Result<(StatusCode, axum::Json<DemoAccepted>), ApiError> {
    demo_request_errors(&body).into_result()?;
    let id = store_demo_request(&state.db, &client, &body).await?;
    Ok((StatusCode::CREATED, axum::Json(DemoAccepted { id })))
}

/// The field rules of a demo request (shared with the website's form).
pub fn demo_request_errors(body: &DemoRequest) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.text("name", &body.name, 80);
    errors.text("restaurant", &body.restaurant, 120);
    errors.email("email", &body.email);
    errors.optional_text("phone", body.phone.as_deref(), 30);
    errors.optional_text("message", body.message.as_deref(), 2000);
    errors
}

/// Stores a demo request that passed [`demo_request_errors`], trimmed and with its email
/// normalised; answers the lead's id.
pub async fn store_demo_request(
    db: &crate::store::Db,
    client: &str,
    body: &DemoRequest,
) -> crate::store::StoreResult<Uuid> {
    let email = normalize_email(&body.email);
    leads::insert(
        db,
        &leads::NewLead {
            name: body.name.trim(),
            restaurant: body.restaurant.trim(),
            email: &email,
            phone: body.phone.as_deref().map(str::trim),
            message: body.message.as_deref(),
            client,
            source: "demo",
        },
    )
    .await
}

/// A message from the `/contacto` form: who writes and what about. The restaurant and
/// the phone are optional; the message is not (it is the point of the form).
#[derive(Clone, Debug, Default)]
pub struct ContactMessage {
    /// Who writes.
    pub name: String,
    /// Email to answer to.
    pub email: String,
    /// Their restaurant, if any.
    pub restaurant: Option<String>,
    /// Phone, if any.
    pub phone: Option<String>,
    /// What they write.
    pub message: String,
}

/// What is wrong with a contact message, by field (empty: none).
pub fn contact_errors(body: &ContactMessage) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.text("name", &body.name, 80);
    errors.email("email", &body.email);
    errors.optional_text("restaurant", body.restaurant.as_deref(), 120);
    errors.optional_text("phone", body.phone.as_deref(), 30);
    errors.text("message", &body.message, 2000);
    errors
}

/// Stores a contact message that passed [`contact_errors`] as a lead of source
/// `contact` (the operator's pipeline starts it at `new`); answers its id.
pub async fn store_contact_message(
    db: &crate::store::Db,
    client: &str,
    body: &ContactMessage,
) -> crate::store::StoreResult<Uuid> {
    let email = normalize_email(&body.email);
    leads::insert(
        db,
        &leads::NewLead {
            name: body.name.trim(),
            restaurant: body
                .restaurant
                .as_deref()
                .map(str::trim)
                .unwrap_or_default(),
            email: &email,
            phone: body.phone.as_deref().map(str::trim),
            message: Some(body.message.trim()),
            client,
            source: "contact",
        },
    )
    .await
}

fn default_plan() -> String {
    "basic".to_owned()
}

/// A new restaurant business.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SignupRequest {
    /// The business's name.
    pub restaurant_name: String,
    /// URL name: 3–40 lowercase letters, digits, hyphens.
    pub slug: String,
    /// The owner's name.
    pub owner_name: String,
    /// The owner's email (their login).
    pub email: String,
    /// The owner's password (10+ characters, not a common one).
    pub password: String,
    /// `basic` (default), `pro` or `enterprise`.
    #[serde(default = "default_plan")]
    pub plan: String,
}

/// What a sign-up created.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SignupResponse {
    /// The tenant.
    #[schema(value_type = String, format = Uuid)]
    pub tenant_id: TenantId,
    /// Its slug.
    pub slug: String,
    /// Its first location.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// One-time code to enrol the first appliance (valid 24 h, shown once).
    pub enrollment_code: String,
    /// Where the owner signs in.
    pub dashboard_url: String,
}

/// Signs a restaurant business up: tenant, first location, owner account and an
/// enrolment code, in one transaction. Rate-limited per client.
#[utoipa::path(post, path = "/signup", tag = "website", security(()),
    request_body = SignupRequest,
    responses(
        (status = 201, body = SignupResponse),
        (status = 409, description = "Slug or email taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
async fn signup(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Json(body): Json<SignupRequest>,
) -> Result<(StatusCode, axum::Json<SignupResponse>), ApiError> {
    let done = accounts::signup(
        &state.db,
        &state.mail,
        accounts::Links {
            public_url: &state.settings.public_url,
            lang: crate::http::owners::auth::request_lang(&headers),
        },
        SignupInput {
            restaurant_name: body.restaurant_name,
            slug: body.slug,
            owner_name: body.owner_name,
            email: body.email,
            password: body.password,
            plan: body.plan,
        },
    )
    .await?;
    let dashboard_url = format!(
        "{}/dashboard/{}",
        state.settings.public_url.trim_end_matches('/'),
        done.slug
    );
    Ok((
        StatusCode::CREATED,
        axum::Json(SignupResponse {
            tenant_id: done.tenant_id,
            slug: done.slug,
            location_id: done.location_id,
            enrollment_code: done.enrollment_code,
            dashboard_url,
        }),
    ))
}
