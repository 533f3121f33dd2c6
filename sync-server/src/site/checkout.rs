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
    /// Free days the subscription would get (what is left of the sign-up's trial).
    trial_days: i64,
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
    trial_days: i64,
) -> Response {
    let (csrf, is_new) = tokens::csrf_for(&state.settings, headers);
    let page = CheckoutPage {
        meta: meta(state, lang),
        plan,
        signed_in,
        form_error,
        csrf: csrf.clone(),
        trial_days,
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

/// The tenant's plan and the free days a subscription made now would get.
async fn current_plan(state: &AppState, tenant: dysa_domain::ids::TenantId) -> (String, i64) {
    let Ok(mut tx) = state.db.tenant_tx(tenant).await else {
        return ("pro".to_owned(), TRIAL_DAYS);
    };
    let plan = crate::store::tenants::current(&mut tx)
        .await
        .ok()
        .flatten()
        .map_or_else(|| "pro".to_owned(), |t| t.plan);
    let days = match crate::store::billing::subscription(&mut tx).await {
        Ok(Some(row)) => billing::free_days_left(row.trial_ends_at, chrono::Utc::now()),
        _ => TRIAL_DAYS,
    };
    let _ = tx.commit().await;
    (plan, days)
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
            let (current, days) = current_plan(&state, account.tenant_id).await;
            let plan = asked.unwrap_or(current);
            page(
                &state,
                lang,
                &headers,
                StatusCode::OK,
                plan,
                true,
                None,
                days,
            )
        }
        Err(_) => page(
            &state,
            lang,
            &headers,
            StatusCode::OK,
            asked.unwrap_or_else(|| "pro".to_owned()),
            false,
            None,
            TRIAL_DAYS,
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
            TRIAL_DAYS,
        )
    };
    // Without the page's token (a post from another site riding the session cookie, or
    // a stale form): 403 and nothing is done; the page comes back with a fresh token.
    if !tokens::csrf_matches(&state.settings, &headers, &fields.csrf) {
        return again(
            StatusCode::FORBIDDEN,
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
        // Only to Mercado Pago's authorisation page (what the page's `form-action`
        // allows); anything else the API answered is not followed.
        Ok(url) if form_target_allowed(&state.settings.mercado_pago_api_url, &url) => {
            Redirect::to(&url).into_response()
        }
        Ok(url) => {
            tracing::warn!(%url, "the preapproval's init_point is not a Mercado Pago page");
            Redirect::to(&billing::back_url(&state)).into_response()
        }
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

/// Where Mercado Pago's subscription checkout lives, exactly as its documentation shows
/// it: the `init_point` that `POST /preapproval` answers
/// (<https://www.mercadopago.cl/developers/es/reference/subscriptions/_preapproval/post>)
/// is the checkout on the country site of the account that collects —
/// `https://www.mercadopago.cl/subscriptions/checkout?preapproval_id=…` for the platform's
/// Chilean account (MLC, CLP). The documentation shows no `init_point` on the bare
/// `www.mercadopago.com` for it, so that host is not allowed (issue 19).
pub const CHECKOUT_ORIGINS: [&str; 1] = ["https://www.mercadopago.cl"];

/// Mercado Pago's production API (`mercado_pago_api_url`'s default): it serves no page.
const PRODUCTION_API: &str = "https://api.mercadopago.com";

fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    (!host.is_empty() && (scheme == "https" || scheme == "http"))
        .then(|| format!("{scheme}://{host}"))
}

/// The origins the checkout form may lead to: its own page ('self' in the policy),
/// Mercado Pago's checkout ([`CHECKOUT_ORIGINS`]) and, only when the cloud talks to an
/// API other than Mercado Pago's production one (a local fake, which serves the
/// authorisation page itself), that API's origin.
pub fn form_targets(api_url: &str) -> Vec<String> {
    let mut targets: Vec<String> = CHECKOUT_ORIGINS.iter().map(|o| (*o).to_owned()).collect();
    if let Some(api) = origin_of(api_url.trim_end_matches('/'))
        && api != PRODUCTION_API
    {
        targets.push(api);
    }
    targets
}

/// Whether the form's answer may redirect to `url`: one of [`form_targets`], exactly.
pub fn form_target_allowed(api_url: &str, url: &str) -> bool {
    origin_of(url).is_some_and(|origin| form_targets(api_url).contains(&origin))
}

/// The site's Content-Security-Policy with `form-action` widened from `'self'` to
/// [`form_targets`]: the form posts here and is answered with a 303 to Mercado Pago's
/// authorisation page, and browsers check a form's redirects against `form-action` too.
pub fn checkout_csp_for(api_url: &str) -> String {
    super::SITE_CSP.replace(
        "form-action 'self'",
        &format!("form-action 'self' {}", form_targets(api_url).join(" ")),
    )
}

fn checkout_csp(state: &AppState) -> String {
    checkout_csp_for(&state.settings.mercado_pago_api_url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_action_allows_only_mercado_pagos_checkout() {
        let production = checkout_csp_for("https://api.mercadopago.com");
        assert!(
            production.contains("form-action 'self' https://www.mercadopago.cl;")
                || production.ends_with("form-action 'self' https://www.mercadopago.cl"),
            "{production}"
        );
        assert!(!production.contains("api.mercadopago.com"));
        assert!(!production.contains('*'));
        let fake = checkout_csp_for("http://127.0.0.1:4010/");
        assert!(
            fake.contains("form-action 'self' https://www.mercadopago.cl http://127.0.0.1:4010"),
            "{fake}"
        );
        let api = "https://api.mercadopago.com";
        assert!(form_target_allowed(
            api,
            "https://www.mercadopago.cl/subscriptions/checkout?preapproval_id=2c93"
        ));
        for elsewhere in [
            "https://www.mercadopago.cl.evil.example/x",
            "https://evil.example/?https://www.mercadopago.cl",
            "https://api.mercadopago.com/preapproval",
            "javascript:alert(1)",
            "//www.mercadopago.cl/x",
            "https://www.mercadopago.com/subscriptions/checkout?preapproval_id=2c93",
            "http://www.mercadopago.cl/subscriptions/checkout?preapproval_id=2c93",
        ] {
            assert!(!form_target_allowed(api, elsewhere), "{elsewhere}");
        }
    }
}
