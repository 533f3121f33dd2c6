//! `/checkout/payment`: the signed-in owner subscribes to a plan through Mercado Pago
//! (14 days free, then monthly), server-rendered in Spanish and English like the rest of
//! the site. The form posts here (CSRF double-submit, as the sign-up); the server creates
//! the preapproval (`crate::billing::subscribe`) and redirects (303) to Mercado Pago's
//! authorisation page, which sends the owner back to the dashboard's Plan page.

use super::tokens;
use super::{Caching, Meta, PageLang, html};
use crate::billing::{self, BillingError, TRIAL_DAYS};
use crate::http::error::ApiError;
use crate::http::extract::AuthAccount;
use crate::site::pages::{PLANS, Plan};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use dysa_domain::rbac::Permission;
use dysa_domain::validate::Lang;
use serde::Deserialize;
use std::collections::HashMap;

/// The checkout page.
#[derive(Template)]
#[template(path = "site/checkout.html")]
pub struct CheckoutPage {
    meta: Meta,
    /// The plan preselected.
    plan: String,
    /// False when nobody is signed in (the page then asks to sign in).
    signed_in: bool,
    /// A form-level message.
    form_error: Option<String>,
    csrf: String,
}

impl CheckoutPage {
    fn plans(&self) -> &'static [Plan] {
        PLANS
    }

    fn tr(&self, pair: &(&'static str, &'static str)) -> &'static str {
        if self.meta.en { pair.1 } else { pair.0 }
    }

    fn price(&self, plan: &Plan) -> String {
        super::money(self.meta.en, plan.monthly)
    }

    fn trial_days(&self) -> i64 {
        TRIAL_DAYS
    }
}

/// The form's fields.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CheckoutFields {
    /// `basic`, `pro` or `enterprise`.
    pub plan: String,
    /// The CSRF token.
    pub csrf: String,
}

fn meta(state: &AppState, lang: Lang) -> Meta {
    let mut meta = Meta::new(
        state,
        lang,
        "/checkout/payment",
        lang.pick(
            "Activa tu plan — ChatBotDysa",
            "Activate your plan — ChatBotDysa",
        ),
        lang.pick(
            "14 días gratis; luego pagas tu plan mes a mes con Mercado Pago. Cámbialo o cancélalo desde el panel.",
            "14 days free; then you pay your plan monthly with Mercado Pago. Change or cancel it from the dashboard.",
        ),
    );
    meta.noindex = true;
    meta
}

#[allow(clippy::too_many_arguments)]
fn page(
    state: &AppState,
    lang: Lang,
    headers: &HeaderMap,
    status: StatusCode,
    plan: String,
    signed_in: bool,
    form_error: Option<String>,
) -> Response {
    let (csrf, is_new) = tokens::csrf_for(&state.settings, headers);
    let page = CheckoutPage {
        meta: meta(state, lang),
        plan,
        signed_in,
        form_error,
        csrf: csrf.clone(),
    };
    let mut response = html(status, Caching::NoStore, &page);
    // The form's answer redirects to Mercado Pago's authorisation page: the site's policy
    // lets forms go only to this origin, so this page also lets them go there.
    if let Ok(value) = HeaderValue::from_str(&checkout_csp(state)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    if is_new && let Ok(value) = HeaderValue::from_str(&tokens::csrf_cookie(&state.settings, &csrf))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

async fn current_plan(state: &AppState, account: &AuthAccount) -> String {
    let Ok(mut tx) = state.db.tenant_tx(account.tenant_id).await else {
        return "pro".to_owned();
    };
    let plan = crate::store::tenants::current(&mut tx)
        .await
        .ok()
        .flatten()
        .map_or_else(|| "pro".to_owned(), |t| t.plan);
    let _ = tx.commit().await;
    plan
}

/// `GET /checkout/payment` (`?plan=pro` preselects a plan; else the plan chosen at
/// sign-up).
pub async fn checkout_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    account: Result<AuthAccount, ApiError>,
) -> Response {
    let asked = query
        .get("plan")
        .filter(|p| billing::monthly(p).is_some())
        .cloned();
    match account {
        Ok(account) => {
            let plan = match asked {
                Some(plan) => plan,
                None => current_plan(&state, &account).await,
            };
            page(&state, lang, &headers, StatusCode::OK, plan, true, None)
        }
        Err(_) => page(
            &state,
            lang,
            &headers,
            StatusCode::OK,
            asked.unwrap_or_else(|| "pro".to_owned()),
            false,
            None,
        ),
    }
}

/// `POST /checkout/payment`: subscribes the signed-in owner's restaurant and redirects
/// (303) to Mercado Pago; or answers the page again with what went wrong.
pub async fn checkout_submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    account: Result<AuthAccount, ApiError>,
    Form(fields): Form<CheckoutFields>,
) -> Response {
    let again = |status, error: String| {
        page(
            &state,
            lang,
            &headers,
            status,
            fields.plan.clone(),
            status != StatusCode::UNAUTHORIZED,
            Some(error),
        )
    };
    if !tokens::csrf_matches(&state.settings, &headers, &fields.csrf) {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.pick(
                "El formulario expiró; envíalo de nuevo (necesitamos cookies activadas).",
                "The form expired; send it again (cookies must be enabled).",
            )
            .to_owned(),
        );
    }
    // The double-submit token just matched: the post comes from our own page, whatever
    // Origin the browser sent with the form (the cookie session's origin check is for the
    // JSON API, which has no such token).
    let account = match account {
        Ok(account) => Ok(account),
        Err(_) => vouched_account(&state, &headers).await,
    };
    let Ok(account) = account else {
        return again(
            StatusCode::UNAUTHORIZED,
            lang.pick(
                "Inicia sesión en el panel para activar tu plan.",
                "Sign in to the dashboard to activate your plan.",
            )
            .to_owned(),
        );
    };
    if !account.role.allows(Permission::SettingsWrite) {
        return again(
            StatusCode::FORBIDDEN,
            lang.pick(
                "Solo la cuenta de dueño puede contratar el plan.",
                "Only the owner's account can subscribe to the plan.",
            )
            .to_owned(),
        );
    }
    let email = match crate::http::owners::billing::owner_email(&state, account.tenant_id).await {
        Ok(email) => email,
        Err(error) => return again(error.status(), error.body(lang).error.message),
    };
    match billing::subscribe(&state, account.tenant_id, &fields.plan, &email).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(BillingError::AlreadySubscribed) => {
            Redirect::to(&billing::back_url(&state)).into_response()
        }
        Err(error) => {
            let error = ApiError::from(error);
            again(error.status(), error.body(lang).error.message)
        }
    }
}

/// The session's account for a form post whose CSRF token matched: the cookie is
/// authenticated as from our own origin.
async fn vouched_account(state: &AppState, headers: &HeaderMap) -> Result<AuthAccount, ApiError> {
    use axum::extract::FromRequestParts;
    let mut request = axum::http::Request::post("/checkout/payment");
    for (name, value) in headers {
        if name != header::ORIGIN {
            request = request.header(name, value);
        }
    }
    let origin = state.settings.public_url.trim_end_matches('/').to_owned();
    let (mut parts, ()) = request
        .header(header::ORIGIN, origin)
        .body(())
        .map_err(|_| ApiError::bad_request("bad_request", "Solicitud inválida", "Bad request"))?
        .into_parts();
    AuthAccount::from_request_parts(&mut parts, state).await
}

/// The site's Content-Security-Policy with Mercado Pago's checkout origins added to
/// `form-action` (and the API's origin this cloud is configured with, which serves the
/// authorisation page in tests).
fn checkout_csp(state: &AppState) -> String {
    let api = state.settings.mercado_pago_api_url.trim_end_matches('/');
    let api_origin = api
        .split_once("://")
        .map(|(scheme, rest)| format!("{scheme}://{}", rest.split('/').next().unwrap_or("")))
        .unwrap_or_default();
    super::SITE_CSP.replace(
        "form-action 'self'",
        &format!(
            "form-action 'self' https://www.mercadopago.cl https://www.mercadopago.com {api_origin}"
        ),
    )
}
