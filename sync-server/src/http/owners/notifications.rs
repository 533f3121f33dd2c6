//! The owner's "Notificaciones": which channel each message the cloud sends them by
//! itself takes — the weekly summary, the offline alerts and the stuck queue alerts
//! (`crate::owner_notices`) — email,
//! WhatsApp (to the number given, from the tenant's linked number) or off.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Caller, Json, perm};
use crate::state::AppState;
use crate::store::owner_notices::{self as store, Prefs};
use axum::extract::State;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_prefs, put_prefs))
}

/// Where one kind of message goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeChannel {
    /// To the account's login email.
    Email,
    /// To `whatsapp_to`, from the tenant's linked WhatsApp number.
    Whatsapp,
    /// Not sent.
    Off,
}

impl NoticeChannel {
    fn as_str(self) -> &'static str {
        match self {
            NoticeChannel::Email => "email",
            NoticeChannel::Whatsapp => "whatsapp",
            NoticeChannel::Off => "off",
        }
    }

    fn parse(text: &str) -> NoticeChannel {
        match text {
            "whatsapp" => NoticeChannel::Whatsapp,
            "off" => NoticeChannel::Off,
            _ => NoticeChannel::Email,
        }
    }
}

/// The language the messages are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum NoticeLang {
    /// Spanish (Chile).
    #[serde(rename = "es")]
    Es,
    /// English.
    #[serde(rename = "en")]
    En,
}

/// The owner's choices.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticePrefs {
    /// The weekly summary, Mondays 08:00 (Santiago).
    pub weekly_summary: NoticeChannel,
    /// Alerts: a counter offline for over an hour while the location is open.
    pub alerts: NoticeChannel,
    /// Alerts: a counter's fiscal documents or print jobs waiting over 15 minutes while
    /// the location is open. Always answered; absent in a write, it is left as it was.
    #[serde(default)]
    pub stuck_alerts: Option<NoticeChannel>,
    /// The WhatsApp number (`+56912345678`), needed when a channel is WhatsApp.
    #[serde(default)]
    pub whatsapp_to: Option<String>,
    /// The language of the messages.
    pub lang: NoticeLang,
}

fn caller_account(caller: &Caller) -> Result<dysa_domain::ids::AccountId, ApiError> {
    caller.account_id().ok_or_else(|| {
        ApiError::forbidden(
            "forbidden",
            "Solo una cuenta elige sus avisos",
            "Only an account chooses its notices",
        )
    })
}

fn view(prefs: Prefs) -> NoticePrefs {
    NoticePrefs {
        weekly_summary: NoticeChannel::parse(&prefs.weekly_summary),
        alerts: NoticeChannel::parse(&prefs.alerts),
        stuck_alerts: Some(NoticeChannel::parse(&prefs.stuck_alerts)),
        whatsapp_to: prefs.whatsapp_to,
        lang: if prefs.lang == "en" {
            NoticeLang::En
        } else {
            NoticeLang::Es
        },
    }
}

/// The signed-in owner's choices (email for both, in Spanish, until they choose).
#[utoipa::path(get, path = "/notifications", tag = "notifications",
    security(("bearer" = ["users:manage"])),
    responses((status = 200, body = NoticePrefs), (status = 403, body = ErrorBody)))]
async fn get_prefs(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::UsersManage>,
) -> Result<axum::Json<NoticePrefs>, ApiError> {
    let account = caller_account(&caller)?;
    let mut tx = caller.tx(&state.db).await?;
    let prefs = store::prefs(&mut tx, account).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(axum::Json(view(prefs)))
}

/// Saves the signed-in owner's choices. A WhatsApp channel needs a number in E.164
/// (`+` and 8 to 15 digits).
#[utoipa::path(put, path = "/notifications", tag = "notifications",
    security(("bearer" = ["users:manage"])),
    request_body = NoticePrefs,
    responses((status = 200, body = NoticePrefs), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn put_prefs(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::UsersManage>,
    Json(body): Json<NoticePrefs>,
) -> Result<axum::Json<NoticePrefs>, ApiError> {
    let account = caller_account(&caller)?;
    let number = body
        .whatsapp_to
        .as_deref()
        .map(|n| {
            n.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect::<String>()
        })
        .filter(|n| !n.is_empty());
    let mut tx = caller.tx(&state.db).await?;
    let before = store::prefs(&mut tx, account).await?;
    let stuck_alerts = body
        .stuck_alerts
        .unwrap_or_else(|| NoticeChannel::parse(&before.stuck_alerts));
    let mut errors = FieldErrors::new();
    let wants_whatsapp =
        [body.weekly_summary, body.alerts, stuck_alerts].contains(&NoticeChannel::Whatsapp);
    match &number {
        None if wants_whatsapp => errors.add("whatsapp_to", FieldIssue::Required),
        Some(n)
            if !(n.starts_with('+')
                && (9..=16).contains(&n.len())
                && n[1..].chars().all(|c| c.is_ascii_digit())) =>
        {
            errors.add(
                "whatsapp_to",
                FieldIssue::Other {
                    es: "debe ser un número con código de país, como +56912345678".into(),
                    en: "must be a number with its country code, like +56912345678".into(),
                },
            );
        }
        _ => {}
    }
    errors.into_result()?;
    let prefs = Prefs {
        weekly_summary: body.weekly_summary.as_str().to_owned(),
        alerts: body.alerts.as_str().to_owned(),
        stuck_alerts: stuck_alerts.as_str().to_owned(),
        whatsapp_to: number,
        lang: match body.lang {
            NoticeLang::Es => "es",
            NoticeLang::En => "en",
        }
        .to_owned(),
    };
    store::put_prefs(&mut tx, account, &prefs).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(axum::Json(view(prefs)))
}
