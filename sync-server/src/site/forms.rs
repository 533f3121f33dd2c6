//! The site's forms: the demo request and the contact message (both leads), the
//! self-service sign-up (tenant, owner and enrolment code), and the welcome page that
//! shows the code once.
//!
//! The forms post here without JavaScript. A post with errors is answered 422 with the
//! form again, every field as typed (except the password) and each error beside its
//! field; nothing is stored then. They carry a signed double-submit CSRF token and a
//! honeypot field that people never see.

use super::tokens::{self, WelcomeTicket};
use super::{Caching, LangPath, Meta, PageLang, html};
use crate::accounts::{self, AccountError, SignupInput};
use crate::http::extract::ClientIp;
use crate::http::public::website::{
    ContactMessage, DemoRequest, contact_errors, demo_request_errors, store_contact_message,
    store_demo_request,
};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use dysa_domain::validate::{FieldErrors, FieldIssue, Lang};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};

/// Field name → message in the page's language.
pub type Errors = BTreeMap<String, String>;

fn localize(fields: &FieldErrors, lang: Lang) -> Errors {
    fields
        .0
        .iter()
        .map(|(field, issue)| (field.clone(), capitalize(&issue.message(lang))))
        .collect()
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The form-level message when the CSRF check fails (an old tab, cookies blocked).
fn expired_form(lang: Lang) -> String {
    lang.pick(
        "El formulario expiró. Revisa los datos y envíalo de nuevo (necesitamos cookies activadas).",
        "The form expired. Check the details and send it again (cookies must be enabled).",
    )
    .to_owned()
}

/// Adds the CSRF cookie to `response` when the token is new.
fn with_csrf(state: &AppState, mut response: Response, token: &str, is_new: bool) -> Response {
    if is_new && let Ok(value) = HeaderValue::from_str(&tokens::csrf_cookie(&state.settings, token))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

// ---- contact message ---------------------------------------------------------------------

/// The contact form's fields, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ContactFields {
    /// Who writes.
    pub name: String,
    /// Email.
    pub email: String,
    /// Their restaurant (optional).
    pub restaurant: String,
    /// Phone (optional).
    pub phone: String,
    /// The message.
    pub message: String,
    /// The CSRF token.
    pub csrf: String,
    /// Honeypot: hidden from people, filled by bots.
    pub website: String,
}

/// The contact page: how to reach the team, and a form that becomes a lead.
#[derive(Template)]
#[template(path = "site/contacto.html")]
pub struct ContactPage {
    meta: Meta,
    fields: ContactFields,
    errors: Errors,
    form_error: Option<String>,
    sent: bool,
    csrf: String,
}

fn contact_meta(state: &AppState, lang: Lang) -> Meta {
    Meta::new(
        state,
        lang,
        "/contacto",
        lang.pick("Contacto — ChatBotDysa", "Contact — ChatBotDysa"),
        lang.pick(
            "Escríbenos con el formulario o por correo, o pide una demostración: te respondemos en horario hábil de Santiago.",
            "Write to us with the form or by email, or ask for a demo: we answer during Santiago business hours.",
        ),
    )
}

// ---- demo request ------------------------------------------------------------------------

/// The demo form's fields, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct DemoFields {
    /// Who asks.
    pub name: String,
    /// Their restaurant.
    pub restaurant: String,
    /// Email.
    pub email: String,
    /// Phone (optional).
    pub phone: String,
    /// Anything else (optional).
    pub message: String,
    /// The CSRF token.
    pub csrf: String,
    /// Honeypot: hidden from people, filled by bots.
    pub website: String,
}

/// The demo page.
#[derive(Template)]
#[template(path = "site/demo.html")]
pub struct DemoPage {
    meta: Meta,
    fields: DemoFields,
    errors: Errors,
    form_error: Option<String>,
    sent: bool,
    csrf: String,
}

fn demo_meta(state: &AppState, lang: Lang) -> Meta {
    Meta::new(
        state,
        lang,
        "/demo",
        lang.pick(
            "Pide una demostración — ChatBotDysa",
            "Ask for a demo — ChatBotDysa",
        ),
        lang.pick(
            "Te mostramos ChatBotDysa con el menú de tu restaurante en 30 minutos, por videollamada o en tu local.",
            "We show you ChatBotDysa with your restaurant's menu in 30 minutes, by video call or at your restaurant.",
        ),
    )
}

/// What every lead form's fields and page have alike: the page made of a [`FormState`],
/// the CSRF token and the honeypot (`website`).
macro_rules! lead_form_parts {
    ($fields:ident, $page:ident) => {
        type Page = $page;

        fn page(form: FormState<Self>) -> $page {
            $page {
                meta: form.meta,
                fields: form.fields,
                errors: form.errors,
                form_error: form.form_error,
                sent: form.sent,
                csrf: form.csrf,
            }
        }

        fn honeypot(&self) -> &str {
            &self.website
        }

        fn csrf(&self) -> &str {
            &self.csrf
        }

        fn cleared(self) -> Self {
            $fields {
                csrf: String::new(),
                website: String::new(),
                ..self
            }
        }
    };
}

impl LeadForm for ContactFields {
    const PATH: &'static str = "/contacto";
    const STORE_FAILED_LOG: &'static str = "storing a contact message from the site failed";
    const STORE_FAILED: (&'static str, &'static str) = (
        "No pudimos guardar tu mensaje. Intenta de nuevo en unos minutos o escríbenos por correo.",
        "We could not save your message. Please try again in a few minutes or write to us by email.",
    );

    fn meta(state: &AppState, lang: Lang) -> Meta {
        contact_meta(state, lang)
    }

    lead_form_parts!(ContactFields, ContactPage);

    fn lead(&self) -> Lead {
        let optional = |text: &str| Some(text.to_owned()).filter(|t| !t.trim().is_empty());
        Lead::Contact(ContactMessage {
            name: self.name.clone(),
            email: self.email.clone(),
            restaurant: optional(&self.restaurant),
            phone: optional(&self.phone),
            message: self.message.clone(),
        })
    }
}

impl LeadForm for DemoFields {
    const PATH: &'static str = "/demo";
    const STORE_FAILED_LOG: &'static str = "storing a demo request from the site failed";
    const STORE_FAILED: (&'static str, &'static str) = (
        "No pudimos guardar tu solicitud. Intenta de nuevo en unos minutos.",
        "We could not save your request. Please try again in a few minutes.",
    );

    fn meta(state: &AppState, lang: Lang) -> Meta {
        demo_meta(state, lang)
    }

    lead_form_parts!(DemoFields, DemoPage);

    fn lead(&self) -> Lead {
        Lead::Demo(DemoRequest {
            name: self.name.clone(),
            restaurant: self.restaurant.clone(),
            email: self.email.clone(),
            phone: Some(self.phone.clone()).filter(|p| !p.trim().is_empty()),
            message: Some(self.message.clone()).filter(|m| !m.trim().is_empty()),
        })
    }
}

// ---- the lead forms' pages and posts ---------------------------------------------------------

/// What a lead form's page shows.
pub struct FormState<F> {
    meta: Meta,
    fields: F,
    errors: Errors,
    form_error: Option<String>,
    sent: bool,
    csrf: String,
}

/// A form whose post becomes a lead (`/contacto`, `/demo`): they differ only in their
/// fields, page, path and words; [`lead_page`] and [`lead_submit`] serve both.
pub trait LeadForm: Clone + Default + DeserializeOwned + Send + 'static {
    /// Its page.
    type Page: Template + Send;
    /// Its path (the Spanish one; the English one is derived).
    const PATH: &'static str;
    /// What is logged when storing the lead fails.
    const STORE_FAILED_LOG: &'static str;
    /// The form-level message when storing fails (Spanish, English).
    const STORE_FAILED: (&'static str, &'static str);
    /// The page's meta.
    fn meta(state: &AppState, lang: Lang) -> Meta;
    /// The page.
    fn page(form: FormState<Self>) -> Self::Page;
    /// The honeypot field, as posted.
    fn honeypot(&self) -> &str;
    /// The CSRF token, as posted.
    fn csrf(&self) -> &str;
    /// The fields without the CSRF token and the honeypot (the form shown again).
    fn cleared(self) -> Self;
    /// The lead the fields make.
    fn lead(&self) -> Lead;
}

/// What a lead form stores.
pub enum Lead {
    /// A contact message (source `contact`).
    Contact(ContactMessage),
    /// A demo request.
    Demo(DemoRequest),
}

impl Lead {
    fn errors(&self) -> FieldErrors {
        match self {
            Lead::Contact(message) => contact_errors(message),
            Lead::Demo(request) => demo_request_errors(request),
        }
    }

    async fn store(&self, state: &AppState, client: &str) -> crate::store::StoreResult<()> {
        match self {
            Lead::Contact(message) => store_contact_message(&state.db, client, message).await,
            Lead::Demo(request) => store_demo_request(&state.db, client, request).await,
        }
        .map(|_| ())
    }
}

/// `GET /contacto`, `GET /demo` (and `?enviado=1` after a successful post).
pub async fn lead_page<F: LeadForm>(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let (csrf, is_new) = tokens::csrf_for(&state.settings, &headers);
    let sent = query.contains_key("enviado");
    let mut meta = F::meta(&state, lang);
    meta.noindex = sent;
    let page = F::page(FormState {
        meta,
        fields: F::default(),
        errors: Errors::new(),
        form_error: None,
        sent,
        csrf: csrf.clone(),
    });
    with_csrf(
        &state,
        html(StatusCode::OK, Caching::NoStore, &page),
        &csrf,
        is_new,
    )
}

/// `POST /contacto`, `POST /demo`: stores the lead and redirects (303) to the thank-you
/// state, or answers 422 with the form and its errors by field.
pub async fn lead_submit<F: LeadForm>(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    Form(fields): Form<F>,
) -> Response {
    let thanks = format!("{}?enviado=1", lang.path(F::PATH));
    if !fields.honeypot().is_empty() {
        // A bot: it sees the same success as a person and nothing is stored.
        return Redirect::to(&thanks).into_response();
    }
    let lead = fields.lead();
    let csrf_ok = tokens::csrf_matches(&state.settings, &headers, fields.csrf());
    let errors = lead.errors();
    let form_error = if !csrf_ok {
        Some(expired_form(lang))
    } else if errors.is_empty() {
        match lead.store(&state, &client).await {
            Ok(()) => return Redirect::to(&thanks).into_response(),
            Err(error) => {
                tracing::error!(%error, "{}", F::STORE_FAILED_LOG);
                Some(lang.pick(F::STORE_FAILED.0, F::STORE_FAILED.1).to_owned())
            }
        }
    } else {
        None
    };
    let (csrf, is_new) = tokens::csrf_for(&state.settings, &headers);
    let page = F::page(FormState {
        meta: F::meta(&state, lang),
        errors: localize(&errors, lang),
        fields: fields.cleared(),
        form_error,
        sent: false,
        csrf: csrf.clone(),
    });
    // Reaching here with a valid token and no field errors means storing failed.
    let status = if csrf_ok && errors.is_empty() {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    with_csrf(&state, html(status, Caching::NoStore, &page), &csrf, is_new)
}

// ---- sign-up -----------------------------------------------------------------------------

/// The sign-up form's fields, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignupFields {
    /// The business's name.
    pub restaurant_name: String,
    /// Its URL name.
    pub slug: String,
    /// The owner's name.
    pub owner_name: String,
    /// The owner's email.
    pub email: String,
    /// The owner's password (never shown again).
    pub password: String,
    /// `basic`, `pro` or `enterprise`.
    pub plan: String,
    /// `on` when the terms were accepted.
    pub terms: String,
    /// The CSRF token.
    pub csrf: String,
    /// Honeypot: hidden from people, filled by bots.
    pub website: String,
}

/// The sign-up page.
#[derive(Template)]
#[template(path = "site/registro.html")]
pub struct SignupPage {
    meta: Meta,
    fields: SignupFields,
    errors: Errors,
    form_error: Option<String>,
    csrf: String,
}

impl SignupPage {
    fn plans(&self) -> &'static [super::pages::Plan] {
        super::pages::PLANS
    }

    fn plan_label(&self, plan: &super::pages::Plan) -> String {
        let name = if self.meta.en {
            plan.name.1
        } else {
            plan.name.0
        };
        let per_month = if self.meta.en { "/month" } else { "/mes" };
        format!(
            "{name} — {}{per_month}",
            super::money(self.meta.en, plan.monthly)
        )
    }
}

fn signup_meta(state: &AppState, lang: Lang) -> Meta {
    Meta::new(
        state,
        lang,
        "/registro",
        lang.pick(
            "Crea tu cuenta — ChatBotDysa",
            "Create your account — ChatBotDysa",
        ),
        lang.pick(
            "Registra tu restaurante en dos minutos: tu cuenta de dueño y el código para instalar la app en el computador del mesón.",
            "Sign your restaurant up in two minutes: your owner's account and the code to install the app on the counter PC.",
        ),
    )
}

/// `GET /registro` (`?plan=pro` preselects a plan).
pub async fn signup_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let (csrf, is_new) = tokens::csrf_for(&state.settings, &headers);
    let plan = query
        .get("plan")
        .filter(|p| accounts::PLANS.contains(&p.as_str()))
        .cloned()
        .unwrap_or_else(|| "pro".to_owned());
    let page = SignupPage {
        meta: signup_meta(&state, lang),
        fields: SignupFields {
            plan,
            ..SignupFields::default()
        },
        errors: Errors::new(),
        form_error: None,
        csrf: csrf.clone(),
    };
    with_csrf(
        &state,
        html(StatusCode::OK, Caching::NoStore, &page),
        &csrf,
        is_new,
    )
}

/// `POST /registro`: creates the tenant, its owner and an enrolment code, then redirects
/// (303) to the welcome page with the code in a signed, short-lived cookie; or answers
/// 422 with the form and its errors (nothing created).
pub async fn signup_submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Form(fields): Form<SignupFields>,
) -> Response {
    let welcome = lang.path("/welcome");
    if !fields.website.is_empty() {
        // A bot: the same redirect a person gets, without an account or a ticket.
        return Redirect::to(&welcome).into_response();
    }
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    let mut errors = Errors::new();
    let form_error = if !tokens::csrf_matches(&state.settings, &headers, &fields.csrf) {
        Some(expired_form(lang))
    } else {
        let terms_accepted = fields.terms == "on";
        let outcome = accounts::signup(
            &state.db,
            &state.mail,
            accounts::Links {
                public_url: &state.settings.public_url,
                lang,
            },
            SignupInput {
                restaurant_name: fields.restaurant_name.clone(),
                slug: fields.slug.clone(),
                owner_name: fields.owner_name.clone(),
                email: fields.email.clone(),
                password: fields.password.clone(),
                // Without the terms accepted, an impossible plan makes the sign-up stop
                // at validation (nothing created) while every other field is checked.
                plan: if terms_accepted {
                    fields.plan.clone()
                } else {
                    String::new()
                },
            },
        )
        .await;
        match outcome {
            Ok(done) => {
                // Signed in at once: "Ir al panel" opens the dashboard without asking for
                // the password just chosen. A failure here costs only that convenience.
                let session = accounts::session_after_signup(&state.db, &state.signer, &done).await;
                let ticket = WelcomeTicket::new(
                    fields.restaurant_name.trim().to_owned(),
                    done.slug,
                    done.enrollment_code,
                );
                let mut response = Redirect::to(&welcome).into_response();
                if let Ok(value) = HeaderValue::from_str(&ticket.cookie(&state.settings)) {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
                match session {
                    Ok(signed_in) => crate::http::owners::auth::set_session_cookies(
                        &state,
                        response.headers_mut(),
                        &signed_in,
                    ),
                    Err(error) => tracing::warn!(%error, "sign-up: the first session failed"),
                }
                return response;
            }
            Err(AccountError::Invalid(mut fields_wrong)) => {
                if !terms_accepted {
                    // The empty plan above was ours, not the visitor's.
                    fields_wrong.0.remove("plan");
                    fields_wrong.add(
                        "terms",
                        FieldIssue::Other {
                            es: "debes aceptar los términos y la política de privacidad".into(),
                            en: "you must accept the terms and the privacy policy".into(),
                        },
                    );
                }
                errors = localize(&fields_wrong, lang);
                None
            }
            Err(AccountError::SlugTaken) => {
                errors.insert(
                    "slug".into(),
                    lang.pick(
                        "Esa dirección ya está en uso; prueba con otra",
                        "That address is already taken; try another",
                    )
                    .into(),
                );
                None
            }
            Err(AccountError::EmailTaken) => {
                errors.insert(
                    "email".into(),
                    lang.pick(
                        "Ya existe una cuenta con ese correo; inicia sesión en el panel",
                        "An account with that email already exists; sign in to the dashboard",
                    )
                    .into(),
                );
                None
            }
            Err(error) => {
                tracing::error!(%error, "a sign-up from the site failed");
                status = StatusCode::SERVICE_UNAVAILABLE;
                Some(
                    lang.pick(
                        "No pudimos crear tu cuenta. Intenta de nuevo en unos minutos.",
                        "We could not create your account. Please try again in a few minutes.",
                    )
                    .to_owned(),
                )
            }
        }
    };
    let (csrf, is_new) = tokens::csrf_for(&state.settings, &headers);
    let page = SignupPage {
        meta: signup_meta(&state, lang),
        errors,
        fields: SignupFields {
            password: String::new(),
            csrf: String::new(),
            website: String::new(),
            ..fields
        },
        form_error,
        csrf: csrf.clone(),
    };
    with_csrf(&state, html(status, Caching::NoStore, &page), &csrf, is_new)
}

// ---- welcome -----------------------------------------------------------------------------

/// The welcome page.
#[derive(Template)]
#[template(path = "site/welcome.html")]
pub struct WelcomePage {
    meta: Meta,
    ticket: Option<WelcomeTicket>,
}

/// `GET /welcome`: next steps; right after a sign-up also the enrolment code, read from
/// the signed cookie, which this answer deletes (the code is shown once).
pub async fn welcome(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
) -> Response {
    let ticket = WelcomeTicket::from_request(&state.settings, &headers);
    let mut meta = Meta::new(
        &state,
        lang,
        "/welcome",
        lang.pick(
            "Bienvenido a ChatBotDysa — próximos pasos",
            "Welcome to ChatBotDysa — next steps",
        ),
        lang.pick(
            "Descarga la app de mesón, enlázala con tu código y entra a tu panel.",
            "Download the counter app, link it with your code and open your dashboard.",
        ),
    );
    meta.noindex = true;
    let had_ticket = ticket.is_some();
    let mut response = html(
        StatusCode::OK,
        Caching::NoStore,
        &WelcomePage { meta, ticket },
    );
    if had_ticket
        && let Ok(value) = HeaderValue::from_str(&WelcomeTicket::clear_cookie(&state.settings))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
