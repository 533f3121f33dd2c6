//! The one error type of both servers' HTTP APIs and its JSON body.
//!
//! Every 4xx/5xx answers `{"error":{"code","message","fields"?}}`. Codes are stable and
//! language-neutral (clients branch on them); messages are for people, in the language
//! the request asked for (Spanish unless the client prefers English). Internal errors are
//! logged with their cause and answered with a generic message.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dysa_domain::validate::{FieldErrors, Lang};
use serde::Serialize;
use std::collections::BTreeMap;

tokio::task_local! {
    /// The language of the request being answered, set by the language middleware.
    pub static REQUEST_LANG: Lang;
}

/// The language of the current request (Spanish outside a request).
pub fn request_lang() -> Lang {
    REQUEST_LANG.try_with(|lang| *lang).unwrap_or_default()
}

/// An error answer: status, stable code, bilingual message, optional field errors.
/// Boxed so `Result<T, ApiError>` stays one pointer wide on the happy path.
#[derive(Debug)]
pub struct ApiError(Box<ErrorParts>);

#[derive(Debug)]
struct ErrorParts {
    status: StatusCode,
    code: &'static str,
    es: String,
    en: String,
    fields: Option<FieldErrors>,
    retry_after_secs: Option<u64>,
    details: Option<serde_json::Value>,
}

/// The JSON body of every error answer (for the OpenAPI spec and clients).
#[derive(Debug, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `validation_failed`.
    pub code: String,
    /// Human-readable explanation in the request's language.
    pub message: String,
    /// Field path → problem, for invalid input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    /// Extra facts, e.g. the id of the existing record in a conflict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl ApiError {
    /// An error with a status, a code and a message in both languages.
    pub fn new(
        status: StatusCode,
        code: &'static str,
        es: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self(Box::new(ErrorParts {
            status,
            code,
            es: es.into(),
            en: en.into(),
            fields: None,
            retry_after_secs: None,
            details: None,
        }))
    }

    /// 400: the request itself is malformed.
    pub fn bad_request(code: &'static str, es: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, es, en)
    }

    /// 401: no valid credentials.
    pub fn unauthenticated(
        code: &'static str,
        es: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, es, en)
    }

    /// 403: authenticated but not allowed.
    pub fn forbidden(code: &'static str, es: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, es, en)
    }

    /// 404: the thing does not exist (or is not visible to the caller).
    pub fn not_found(what_es: &str, what_en: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what_es} no existe"),
            format!("{what_en} not found"),
        )
    }

    /// 409: the request conflicts with the current state.
    pub fn conflict(code: &'static str, es: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, es, en)
    }

    /// 422: the input is well-formed but invalid, field by field.
    pub fn validation(fields: FieldErrors) -> Self {
        let mut error = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "Hay datos que faltan o no son válidos",
            "Some fields are missing or invalid",
        );
        error.0.fields = Some(fields);
        error
    }

    /// 429: too many attempts; retry after the given seconds.
    pub fn too_many_requests(retry_after_secs: u64) -> Self {
        let mut error = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!(
                "Demasiados intentos. Intenta de nuevo en {} minutos",
                retry_after_secs.div_ceil(60)
            ),
            format!(
                "Too many attempts. Try again in {} minutes",
                retry_after_secs.div_ceil(60)
            ),
        );
        error.0.retry_after_secs = Some(retry_after_secs.max(1));
        error
    }

    /// 503 with `Retry-After`: every password-hashing permit stayed taken for the whole
    /// bounded wait (the attempt was not checked and is not counted).
    pub fn hashing_busy(retry_after_secs: u64) -> Self {
        let mut error = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "Hay muchos inicios de sesión a la vez; intenta de nuevo en unos segundos",
            "Too many sign-ins at once; try again in a few seconds",
        );
        error.0.retry_after_secs = Some(retry_after_secs.max(1));
        error
    }

    /// 429 with a code of its own (a spent budget, a cap on what a caller holds open)
    /// and `Retry-After`, so a client can tell which limit it hit and when to retry.
    pub fn over_budget(
        code: &'static str,
        retry_after_secs: u64,
        es: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        let mut error = Self::new(StatusCode::TOO_MANY_REQUESTS, code, es, en);
        error.0.retry_after_secs = Some(retry_after_secs.max(1));
        error
    }

    /// 500: something broke inside. The cause is logged here, never sent.
    pub fn internal(cause: &dyn std::error::Error) -> Self {
        tracing::error!(error = %cause, source = ?cause.source().map(|s| s.to_string()), "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Ocurrió un error interno; quedó registrado",
            "An internal error occurred; it has been logged",
        )
    }

    /// Adds machine-readable facts (e.g. the id of an existing record).
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.0.details = Some(details);
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.0.code
    }

    /// The body for the given language.
    pub fn body(&self, lang: Lang) -> ErrorBody {
        let parts = &self.0;
        ErrorBody {
            error: ErrorDetail {
                code: parts.code.to_owned(),
                message: lang.pick(&parts.es, &parts.en).to_owned(),
                fields: parts.fields.as_ref().map(|fields| {
                    fields
                        .0
                        .iter()
                        .map(|(field, issue)| (field.clone(), issue.message(lang)))
                        .collect()
                }),
                details: parts.details.clone(),
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.0.status.as_u16(),
            self.0.code,
            self.0.en
        )
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.body(request_lang());
        let mut response = (self.0.status, axum::Json(body)).into_response();
        if let Some(secs) = self.0.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::internal(&error)
    }
}

impl From<FieldErrors> for ApiError {
    fn from(fields: FieldErrors) -> Self {
        ApiError::validation(fields)
    }
}

/// The error for a bare status produced outside our handlers (unknown route, wrong
/// method, timeout, body limit), so those answers carry the JSON body too.
pub fn for_status(status: StatusCode) -> ApiError {
    let (code, es, en) = match status {
        StatusCode::NOT_FOUND => ("not_found", "La ruta no existe", "No such route"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "Método no permitido en esta ruta",
            "Method not allowed on this route",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "El cuerpo de la solicitud es demasiado grande",
            "The request body is too large",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            "La solicitud tardó demasiado",
            "The request took too long",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "Se esperaba JSON (Content-Type: application/json)",
            "Expected JSON (Content-Type: application/json)",
        ),
        StatusCode::UNAUTHORIZED => ("unauthenticated", "Inicia sesión", "Sign in first"),
        StatusCode::FORBIDDEN => ("forbidden", "No permitido", "Not allowed"),
        StatusCode::TOO_MANY_REQUESTS => (
            "too_many_requests",
            "Demasiadas solicitudes",
            "Too many requests",
        ),
        s if s.is_server_error() => (
            "internal",
            "Ocurrió un error interno; quedó registrado",
            "An internal error occurred; it has been logged",
        ),
        _ => ("bad_request", "Solicitud no válida", "Bad request"),
    };
    ApiError::new(status, code, es, en)
}

impl From<crate::password::HashError> for ApiError {
    fn from(error: crate::password::HashError) -> Self {
        match error {
            crate::password::HashError::Busy { retry_after_secs } => {
                ApiError::hashing_busy(retry_after_secs)
            }
            failed @ crate::password::HashError::Failed(_) => ApiError::internal(&failed),
        }
    }
}
