//! The owners link a location's WhatsApp Business number (`/locations/{id}/whatsapp`):
//! Meta's ids, the access token, the app secret and the verify token they chose, and the
//! approved template for messages outside the 24-hour window. Secrets are taken, kept
//! for the cloud's own use and never sent back: the answer shows the access token's last
//! four characters and the webhook URL to paste into Meta's dashboard.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Json, Path, perm};
use crate::state::AppState;
use crate::store::StoreError;
use crate::store::tenants;
use crate::store::whatsapp::{self as store, Link, NewLink};
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use dysa_domain::ids::LocationId;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The template used outside the window when the owner names none.
pub const DEFAULT_TEMPLATE: &str = "dysa_aviso";

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read_link, save_link, remove_link))
}

/// What the owner enters to link a number (all from Meta's WhatsApp Manager and app
/// dashboard, except the verify token, which they make up and enter in both).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatsAppLinkRequest {
    /// The phone number id (digits).
    pub phone_number_id: String,
    /// The WhatsApp Business Account id (digits).
    pub waba_id: String,
    /// A (system user) access token with `whatsapp_business_messaging`.
    pub access_token: String,
    /// The Meta app's secret: checks the webhook's signatures.
    pub app_secret: String,
    /// The verify token entered in Meta's webhook settings (8 to 200 characters).
    pub verify_token: String,
    /// An approved template with one body parameter, sent outside the 24-hour window
    /// (lower case, digits and `_`); `dysa_aviso` when absent.
    #[serde(default)]
    pub template_name: Option<String>,
}

/// A linked number as owners see it (no secret).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WhatsAppLinkView {
    /// The phone number id.
    pub phone_number_id: String,
    /// The WhatsApp Business Account id.
    pub waba_id: String,
    /// The template for outside the window.
    pub template_name: String,
    /// The access token's last four characters, to tell tokens apart.
    pub access_token_hint: String,
    /// The callback URL to enter in Meta's webhook settings.
    pub webhook_url: String,
    /// When it was linked.
    pub linked_at: DateTime<Utc>,
}

/// A location's WhatsApp.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WhatsAppStatus {
    /// The linked number, or null.
    pub link: Option<WhatsAppLinkView>,
}

fn view(state: &AppState, link: &Link) -> WhatsAppLinkView {
    let chars: Vec<char> = link.access_token.chars().collect();
    let hint: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    WhatsAppLinkView {
        phone_number_id: link.phone_number_id.clone(),
        waba_id: link.waba_id.clone(),
        template_name: link.template_name.clone(),
        access_token_hint: hint,
        webhook_url: format!(
            "{}/api/v1/public/whatsapp/{}/webhook",
            state.settings.public_url.trim_end_matches('/'),
            link.id
        ),
        linked_at: link.created_at,
    }
}

fn location_not_found() -> ApiError {
    ApiError::not_found("El local", "The location")
}

fn digits(fields: &mut FieldErrors, name: &str, value: &str) {
    if value.is_empty() || value.len() > 32 || !value.bytes().all(|b| b.is_ascii_digit()) {
        fields.add(
            name,
            FieldIssue::Other {
                es: "debe ser un número de hasta 32 dígitos".into(),
                en: "must be a number of up to 32 digits".into(),
            },
        );
    }
}

fn secret(fields: &mut FieldErrors, name: &str, value: &str, min: usize, max: usize) {
    let count = value.chars().count();
    if count < min || count > max || value.chars().any(char::is_whitespace) {
        fields.add(
            name,
            FieldIssue::Other {
                es: format!("debe tener entre {min} y {max} caracteres, sin espacios"),
                en: format!("must be {min} to {max} characters, without spaces"),
            },
        );
    }
}

/// The location's linked number, without its secrets.
#[utoipa::path(get, path = "/locations/{id}/whatsapp", tag = "locations",
    security(("bearer" = ["settings:read"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = WhatsAppStatus), (status = 404, body = ErrorBody)))]
async fn read_link(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsRead>,
    Path(id): Path<LocationId>,
) -> Result<axum::Json<WhatsAppStatus>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    tenants::find_location(&mut tx, id)
        .await?
        .ok_or_else(location_not_found)?;
    let link = store::link_of_location(&mut tx, id).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(axum::Json(WhatsAppStatus {
        link: link.as_ref().map(|l| view(&state, l)),
    }))
}

/// Links (or relinks) the location's number; the secrets are never shown again.
#[utoipa::path(put, path = "/locations/{id}/whatsapp", tag = "locations",
    security(("bearer" = ["settings:write"])),
    params(("id" = Uuid, Path)),
    request_body = WhatsAppLinkRequest,
    responses(
        (status = 200, body = WhatsAppStatus),
        (status = 403, body = ErrorBody, description = "`plan_limit_reached`: the plan does not include WhatsApp"),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn save_link(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Path(id): Path<LocationId>,
    Json(body): Json<WhatsAppLinkRequest>,
) -> Result<axum::Json<WhatsAppStatus>, ApiError> {
    let template = body
        .template_name
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(DEFAULT_TEMPLATE);
    let mut fields = FieldErrors::new();
    digits(&mut fields, "phone_number_id", body.phone_number_id.trim());
    digits(&mut fields, "waba_id", body.waba_id.trim());
    secret(
        &mut fields,
        "access_token",
        body.access_token.trim(),
        1,
        1000,
    );
    secret(&mut fields, "app_secret", body.app_secret.trim(), 1, 200);
    secret(
        &mut fields,
        "verify_token",
        body.verify_token.trim(),
        8,
        200,
    );
    if template.len() > 512
        || !template
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        fields.add(
            "template_name",
            FieldIssue::Other {
                es: "solo minúsculas, dígitos y _".into(),
                en: "lower case letters, digits and _ only".into(),
            },
        );
    }
    fields.into_result()?;
    let mut tx = caller.tx(&state.db).await?;
    tenants::find_location(&mut tx, id)
        .await?
        .ok_or_else(location_not_found)?;
    // WhatsApp is sold from Pro up (`/planes`): Básico cannot link a number.
    let plan = tenants::current(&mut tx)
        .await?
        .map_or_else(|| "basic".to_owned(), |t| t.plan);
    if !crate::billing::limits(&plan).whatsapp {
        return Err(crate::billing::whatsapp_not_in_plan(&plan));
    }
    let link = store::save_link(
        &mut tx,
        id,
        &NewLink {
            phone_number_id: body.phone_number_id.trim(),
            waba_id: body.waba_id.trim(),
            access_token: body.access_token.trim(),
            app_secret: body.app_secret.trim(),
            verify_token: body.verify_token.trim(),
            template_name: template,
        },
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(axum::Json(WhatsAppStatus {
        link: Some(view(&state, &link)),
    }))
}

/// Unlinks the location's number and deletes its secrets (Meta's webhook is refused
/// from then on).
#[utoipa::path(delete, path = "/locations/{id}/whatsapp", tag = "locations",
    security(("bearer" = ["settings:write"])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn remove_link(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Path(id): Path<LocationId>,
) -> Result<StatusCode, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    tenants::find_location(&mut tx, id)
        .await?
        .ok_or_else(location_not_found)?;
    store::delete_link(&mut tx, id).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(StatusCode::NO_CONTENT)
}
