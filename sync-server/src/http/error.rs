//! The API's error type, shared with the cloud (`dysa_web::error`), and how this
//! server's own errors map onto it.

pub use dysa_web::error::*;

use dysa_domain::validate::FieldErrors;

impl From<crate::store::StoreError> for ApiError {
    fn from(error: crate::store::StoreError) -> Self {
        ApiError::internal(&error)
    }
}

impl From<crate::accounts::AccountError> for ApiError {
    fn from(error: crate::accounts::AccountError) -> Self {
        use crate::accounts::{AccountError as E, RefreshRefusal as R};
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::SlugTaken => ApiError::conflict(
                "slug_taken",
                "Ese nombre de dirección ya está en uso",
                "That slug is already taken",
            ),
            E::EmailTaken => ApiError::conflict(
                "email_taken",
                "Ya existe una cuenta con ese correo",
                "An account with that email already exists",
            ),
            E::BadCredentials => ApiError::unauthenticated(
                "invalid_credentials",
                "Correo o contraseña incorrectos",
                "Wrong email or password",
            ),
            E::Suspended(reason) => super::suspension::refusal(reason.as_deref()),
            E::NotFound => ApiError::not_found("La cuenta", "The account"),
            E::OwnerAccount => ApiError::conflict(
                "owner_account",
                "La cuenta de dueño conserva su rol y sigue activa",
                "The owner's account keeps its role and stays active",
            ),
            E::Locked(secs) => ApiError::too_many_requests(secs),
            E::TokenInvalid => ApiError::bad_request(
                "link_invalid",
                "El enlace no existe, ya se usó o venció",
                "The link is unknown, already used or expired",
            ),
            E::WrongPassword => {
                let mut fields = FieldErrors::new();
                fields.add(
                    "current_password",
                    dysa_domain::validate::FieldIssue::Other {
                        es: "no es tu contraseña actual".into(),
                        en: "is not your current password".into(),
                    },
                );
                ApiError::validation(fields)
            }
            E::RefreshRefused(reason) => {
                let (code, es, en) = match reason {
                    R::Unknown | R::Expired => (
                        "refresh_token_invalid",
                        "La sesión expiró; vuelve a iniciar sesión",
                        "The session expired; sign in again",
                    ),
                    R::Revoked => (
                        "session_revoked",
                        "La sesión fue cerrada; vuelve a iniciar sesión",
                        "The session was closed; sign in again",
                    ),
                    R::Reused => (
                        "refresh_token_reused",
                        "Este token ya se usó; por seguridad se cerró la sesión",
                        "This token was already used; the session was closed for safety",
                    ),
                };
                ApiError::unauthenticated(code, es, en)
            }
            E::Store(e) => ApiError::internal(&e),
            E::Hash(e) => e.into(),
            E::Token(e) => ApiError::internal(&e),
        }
    }
}

impl From<crate::devices::EnrollError> for ApiError {
    fn from(error: crate::devices::EnrollError) -> Self {
        use crate::devices::EnrollError as E;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::CodeNotValid => {
                let mut fields = FieldErrors::new();
                fields.add(
                    "enrollment_code",
                    dysa_domain::validate::FieldIssue::Other {
                        es: "no existe, ya se usó o expiró".into(),
                        en: "is unknown, already used or expired".into(),
                    },
                );
                ApiError::validation(fields)
            }
            E::Suspended => tenant_suspended(),
            E::ReadOnly => crate::billing::read_only_error(),
            E::PlanLimit(plan, limit) => crate::billing::counter_limit_error(&plan, limit),
            E::Store(e) => ApiError::internal(&e),
        }
    }
}

/// 403 for anything of a suspended tenant: sign-in, sessions, refresh, device tokens and
/// enrolment.
pub fn tenant_suspended() -> ApiError {
    ApiError::forbidden(
        "tenant_suspended",
        "La cuenta del restaurante está suspendida; escribe a soporte",
        "The restaurant's account is suspended; contact support",
    )
}

impl From<crate::locations::LocationError> for ApiError {
    fn from(error: crate::locations::LocationError) -> Self {
        use crate::locations::LocationError as E;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::NotFound => ApiError::not_found("El local", "The location"),
            E::SlugTaken => ApiError::conflict(
                "slug_taken",
                "Otro local ya usa esa dirección",
                "Another location already uses that slug",
            ),
            E::PlanLimit {
                plan,
                plan_id,
                limit,
            } => ApiError::forbidden(
                "plan_limit_reached",
                format!(
                    "El plan {} permite {limit} {} abierto{}; cierra uno o cambia de plan",
                    plan.0,
                    if limit == 1 { "local" } else { "locales" },
                    if limit == 1 { "" } else { "s" },
                ),
                format!(
                    "The {} plan allows {limit} open location{}; close one or change plans",
                    plan.1,
                    if limit == 1 { "" } else { "s" },
                ),
            )
            .with_details(serde_json::json!({ "plan": plan_id, "limit": limit })),
            E::SameLocation => {
                let mut fields = FieldErrors::new();
                fields.add(
                    "to",
                    dysa_domain::validate::FieldIssue::Other {
                        es: "debe ser otro local".into(),
                        en: "must be another location".into(),
                    },
                );
                ApiError::validation(fields)
            }
            E::Refused(detail) => ApiError::internal(&E::Refused(detail)),
            E::Store(error) => error.into(),
        }
    }
}

impl From<crate::platform::PlatformError> for ApiError {
    fn from(error: crate::platform::PlatformError) -> Self {
        use crate::platform::PlatformError as E;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::EmailTaken => ApiError::conflict(
                "email_taken",
                "Ya existe una cuenta con ese correo",
                "An account with that email already exists",
            ),
            E::NotFound => ApiError::not_found("El restaurante", "The tenant"),
            E::LeadNotFound => ApiError::not_found("El contacto", "The lead"),
            E::Store(e) => ApiError::internal(&e),
            E::Hash(e) => e.into(),
        }
    }
}

impl From<crate::menu_edits::EditError> for ApiError {
    fn from(error: crate::menu_edits::EditError) -> Self {
        ApiError::internal(&error)
    }
}

impl From<crate::mercado_pago::PaymentError> for ApiError {
    fn from(error: crate::mercado_pago::PaymentError) -> Self {
        use crate::mercado_pago::PaymentError as E;
        use crate::mercado_pago::client::ProviderError as P;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::NotConfigured => ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "payments_not_configured",
                "Los pagos en línea no están configurados en este servidor",
                "Online payment is not configured on this server",
            ),
            E::NotLinked => ApiError::conflict(
                "online_payment_unavailable",
                "Este restaurante no recibe pagos en línea ahora; elige pagar al retirar",
                "This restaurant does not take online payment now; choose to pay at pickup",
            ),
            E::BadSignature => ApiError::unauthenticated(
                "bad_signature",
                "La firma de la notificación no es válida",
                "The notification's signature is not valid",
            ),
            E::Provider(provider) => {
                // The provider's words stay in the log: they may name the account.
                tracing::warn!(error = %provider, "mercado pago call failed");
                let (es, en) = match provider {
                    P::Refused(_) => (
                        "Mercado Pago rechazó la solicitud; revisa la cuenta vinculada",
                        "Mercado Pago refused the request; check the linked account",
                    ),
                    P::Unavailable(_) | P::Unreadable(_) => (
                        "Mercado Pago no responde ahora; intenta de nuevo en unos minutos",
                        "Mercado Pago is not answering now; try again in a few minutes",
                    ),
                };
                ApiError::new(
                    axum::http::StatusCode::BAD_GATEWAY,
                    "payment_provider_unavailable",
                    es,
                    en,
                )
            }
            E::Store(e) => ApiError::internal(&e),
            refused @ E::Refused(_) => ApiError::internal(&refused),
        }
    }
}

impl From<crate::counter_recovery::RecoveryError> for ApiError {
    fn from(error: crate::counter_recovery::RecoveryError) -> Self {
        use crate::counter_recovery::RecoveryError as E;
        match error {
            E::DeviceNotFound => ApiError::not_found("El equipo", "The device"),
            E::CodeNotValid => ApiError::unauthenticated(
                "recovery_code_invalid",
                "El código de recuperación no existe, es de otro equipo, ya se usó o venció",
                "The recovery code is unknown, for another device, already used or expired",
            ),
            E::Locked(secs) => ApiError::too_many_requests(secs),
            E::Store(e) => ApiError::internal(&e),
        }
    }
}

impl From<crate::twilio::SmsError> for ApiError {
    fn from(error: crate::twilio::SmsError) -> Self {
        use crate::twilio::SmsError as E;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::NotConfigured => ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "sms_not_configured",
                "Los SMS no están configurados en este servidor",
                "SMS is not configured on this server",
            ),
            E::BadSignature => ApiError::unauthenticated(
                "bad_signature",
                "La firma de Twilio no es válida",
                "Twilio's signature is not valid",
            ),
            E::Malformed(detail) => {
                tracing::info!(%detail, "twilio webhook unreadable");
                ApiError::bad_request(
                    "malformed_webhook",
                    "Se esperaba un aviso de Twilio",
                    "Expected a Twilio webhook",
                )
            }
            E::Store(e) => ApiError::internal(&e),
        }
    }
}

impl From<crate::booking_messages::LinkError> for ApiError {
    fn from(error: crate::booking_messages::LinkError) -> Self {
        use crate::booking_messages::LinkError as E;
        match error {
            E::NotFound => ApiError::not_found("La reserva", "The booking"),
            E::Closed => ApiError::conflict(
                "booking_not_cancellable",
                "Esta reserva ya no se puede anular aquí; llama al restaurante",
                "This booking can no longer be cancelled here; please call the restaurant",
            ),
            E::Store(e) => ApiError::internal(&e),
            refused @ E::Refused(_) => ApiError::internal(&refused),
        }
    }
}

impl From<crate::diner_messages::OptOutError> for ApiError {
    fn from(error: crate::diner_messages::OptOutError) -> Self {
        use crate::diner_messages::OptOutError as E;
        match error {
            E::NotFound => ApiError::not_found("El enlace", "The link"),
            E::Store(e) => ApiError::internal(&e),
        }
    }
}

impl From<crate::billing::BillingError> for ApiError {
    fn from(error: crate::billing::BillingError) -> Self {
        use crate::billing::BillingError as E;
        match error {
            E::NotConfigured => ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "billing_not_configured",
                "El cobro de planes no está configurado en este servidor",
                "Plan billing is not configured on this server",
            ),
            E::UnknownPlan => {
                let mut fields = FieldErrors::new();
                fields.add(
                    "plan",
                    dysa_domain::validate::FieldIssue::Other {
                        es: "debe ser Básico, Pro o Cadena".into(),
                        en: "must be Basic, Pro or Chain".into(),
                    },
                );
                ApiError::validation(fields)
            }
            E::NoSubscription => ApiError::conflict(
                "no_subscription",
                "Aún no tienes un plan contratado; elige uno en Plan",
                "You have no plan subscribed yet; choose one under Plan",
            ),
            E::AlreadySubscribed => ApiError::conflict(
                "already_subscribed",
                "Ya tienes un plan al día; cámbialo o cancélalo en Plan",
                "You already have a plan paid up; change or cancel it under Plan",
            ),
            E::DoesNotFit { plan, what } => ApiError::forbidden(
                "plan_limit_reached",
                format!("No puedes cambiar a ese plan: {}", what.0),
                format!("You cannot move to that plan: {}", what.1),
            )
            .with_details(serde_json::json!({ "plan": plan })),
            E::BadSignature => crate::mercado_pago::PaymentError::BadSignature.into(),
            E::Provider(provider) => crate::mercado_pago::PaymentError::Provider(provider).into(),
            E::Store(e) => ApiError::internal(&e),
        }
    }
}
