//! The one error type of the HTTP API and its JSON body.
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

impl From<crate::store::StoreError> for ApiError {
    fn from(error: crate::store::StoreError) -> Self {
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

impl From<crate::accounts::AccountError> for ApiError {
    fn from(error: crate::accounts::AccountError) -> Self {
        use crate::accounts::{AccountError as E, RefreshRefusal as R};
        match error {
            E::AlreadySetUp => ApiError::conflict(
                "already_set_up",
                "Este equipo ya está configurado; inicia sesión",
                "This appliance is already set up; sign in",
            ),
            E::Invalid(fields) => ApiError::validation(fields),
            E::EmailTaken { existing } => ApiError::conflict(
                "email_taken",
                "Ya existe un usuario con ese correo",
                "A user with that email already exists",
            )
            .with_details(serde_json::json!({ "existing_id": existing })),
            E::NotFound => ApiError::not_found("El usuario", "The user"),
            E::LastAdmin => ApiError::conflict(
                "last_admin",
                "Debe quedar al menos un administrador activo",
                "At least one active admin must remain",
            ),
            E::BadCredentials => ApiError::unauthenticated(
                "invalid_credentials",
                "Correo, clave o PIN incorrectos",
                "Wrong email, password or PIN",
            ),
            E::Locked(secs) => ApiError::too_many_requests(secs),
            E::RefreshRefused(reason) => {
                let (code, es, en) = match reason {
                    R::Unknown => (
                        "refresh_token_invalid",
                        "La sesión no es válida",
                        "The session is not valid",
                    ),
                    R::Expired => (
                        "refresh_token_expired",
                        "La sesión expiró",
                        "The session expired",
                    ),
                    R::Revoked => (
                        "session_revoked",
                        "La sesión fue cerrada",
                        "The session was closed",
                    ),
                    R::Reused => (
                        "refresh_token_reused",
                        "La sesión se cerró por seguridad: el token ya se había usado",
                        "The session was closed for safety: the token had already been used",
                    ),
                };
                ApiError::unauthenticated(code, es, en)
            }
            E::WrongCurrentPassword => {
                let mut fields = FieldErrors::new();
                fields.add(
                    "current_password",
                    dysa_domain::validate::FieldIssue::Other {
                        es: "no coincide con la clave actual".into(),
                        en: "does not match the current password".into(),
                    },
                );
                ApiError::validation(fields)
            }
            E::Store(e) => ApiError::internal(&e),
            E::Hash(e) => ApiError::internal(&e),
            E::Token(e) => ApiError::internal(&e),
        }
    }
}

impl From<crate::ordering::OrderError> for ApiError {
    fn from(error: crate::ordering::OrderError) -> Self {
        use crate::ordering::OrderError as E;
        use dysa_domain::order::TransitionError as T;
        use dysa_domain::payment::PaymentError as P;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::NotFound => ApiError::not_found("El pedido", "The order"),
            E::IdempotencyMismatch => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "Esa Idempotency-Key ya se usó con otro pedido",
                "That Idempotency-Key was already used with a different request",
            ),
            E::AlreadyExists(id) => ApiError::conflict(
                "order_exists",
                "Ya existe un pedido con ese id",
                "An order with that id already exists",
            )
            .with_details(serde_json::json!({ "existing_id": id })),
            E::Transition(T::ReasonRequired) => {
                let mut fields = FieldErrors::new();
                fields.add("reason", dysa_domain::validate::FieldIssue::Required);
                ApiError::validation(fields)
            }
            E::Transition(t) => {
                let (es, en) = match t {
                    T::SameState(s) => (
                        format!("El pedido ya está en estado {s}"),
                        format!("The order is already {s}"),
                    ),
                    T::Terminal(s) => (
                        format!("El pedido ya está {s}; no puede cambiar"),
                        format!("The order is {s}; it cannot change"),
                    ),
                    T::Backwards { from, to } => (
                        format!("Un pedido no vuelve de {from} a {to}"),
                        format!("An order cannot go back from {from} to {to}"),
                    ),
                    T::ReasonRequired => (String::new(), String::new()),
                };
                ApiError::conflict("illegal_transition", es, en)
            }
            E::Closed(status) => ApiError::conflict(
                "order_closed",
                format!("El pedido está {status}; ya no se puede modificar"),
                format!("The order is {status}; it can no longer change"),
            ),
            E::LineAlreadyVoided => ApiError::conflict(
                "line_already_voided",
                "La línea ya estaba anulada",
                "The line was already voided",
            ),
            E::DiscountExceedsSubtotal => ApiError::conflict(
                "discount_exceeds_subtotal",
                "El descuento quedaría mayor que el subtotal; ajústalo primero",
                "The discount would exceed the subtotal; adjust it first",
            ),
            E::Payment(p) => {
                let (code, es, en) = match p {
                    P::InvalidAmount => (
                        "invalid_amount",
                        "El monto debe ser mayor que $0".to_owned(),
                        "The amount must be above $0".to_owned(),
                    ),
                    P::NothingDue => (
                        "nothing_due",
                        "El pedido ya está pagado".to_owned(),
                        "The order is already paid".to_owned(),
                    ),
                    P::Overpayment { balance, attempted } => (
                        "overpayment",
                        format!("El pago ({attempted}) supera el saldo ({balance})"),
                        format!("The payment ({attempted}) exceeds the balance ({balance})"),
                    ),
                    P::InsufficientCash { charged, received } => (
                        "insufficient_cash",
                        format!("El efectivo recibido ({received}) no cubre {charged}"),
                        format!("Cash received ({received}) does not cover {charged}"),
                    ),
                    P::RefundTooLarge { paid, attempted } => (
                        "refund_too_large",
                        format!("La devolución ({attempted}) supera lo pagado ({paid})"),
                        format!("The refund ({attempted}) exceeds what was paid ({paid})"),
                    ),
                    P::Money(_) => (
                        "invalid_amount",
                        "Monto fuera de rango".to_owned(),
                        "Amount out of range".to_owned(),
                    ),
                };
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, es, en)
            }
            E::RefundOfRefund => ApiError::conflict(
                "refund_of_refund",
                "Una devolución no se puede devolver",
                "A refund cannot be refunded",
            ),
            E::Store(e) => ApiError::internal(&e),
        }
    }
}

impl From<crate::menu::MenuError> for ApiError {
    fn from(error: crate::menu::MenuError) -> Self {
        use crate::menu::MenuError as E;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::NotFound(thing) => {
                let (es, en) = thing.names();
                ApiError::not_found(es, en)
            }
            E::CategoryNameTaken { existing } => ApiError::conflict(
                "category_name_taken",
                "Ya existe una categoría con ese nombre",
                "A category with that name already exists",
            )
            .with_details(serde_json::json!({ "existing_id": existing })),
            E::ItemNameTaken { existing } => ApiError::conflict(
                "item_name_taken",
                "Ya existe un producto con ese nombre en la categoría",
                "An item with that name already exists in the category",
            )
            .with_details(serde_json::json!({ "existing_id": existing })),
            E::CategoryInUse { items } => ApiError::conflict(
                "category_in_use",
                format!(
                    "La categoría tiene {} productos; muévelos o elimínalos primero",
                    items.len()
                ),
                format!(
                    "The category has {} items; move or delete them first",
                    items.len()
                ),
            )
            .with_details(serde_json::json!({ "item_ids": items })),
            E::GroupInUse { items } => ApiError::conflict(
                "modifier_group_in_use",
                format!(
                    "{} productos usan este grupo; quítalo de ellos primero",
                    items.len()
                ),
                format!(
                    "{} items use this group; remove it from them first",
                    items.len()
                ),
            )
            .with_details(serde_json::json!({ "item_ids": items })),
            E::NotExportable { item, reason } => ApiError::conflict(
                "menu_not_exportable",
                format!("El producto «{item}» no se puede escribir en CSV ({reason})"),
                format!("The item \"{item}\" cannot be written as CSV ({reason})"),
            ),
            E::UnreadableCsv(reason) => ApiError::bad_request(
                "invalid_csv",
                format!("El archivo no es un CSV legible ({reason})"),
                format!("The file is not a readable CSV ({reason})"),
            ),
            E::Store(error) => ApiError::internal(&error),
        }
    }
}

impl From<crate::tables::TableError> for ApiError {
    fn from(error: crate::tables::TableError) -> Self {
        use crate::tables::TableError as E;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::NotFound => ApiError::not_found("La mesa", "The table"),
            E::NameTaken { existing } => ApiError::conflict(
                "table_name_taken",
                "Ya existe una mesa con ese nombre",
                "A table with that name already exists",
            )
            .with_details(serde_json::json!({ "existing_id": existing })),
            E::InUse(holding) => ApiError::conflict(
                "table_in_use",
                "La mesa tiene un pedido abierto o una reserva pendiente",
                "The table has an open order or a pending reservation",
            )
            .with_details(serde_json::json!({
                "order_id": holding.open_order,
                "reservation_id": holding.reservation,
            })),
            E::Store(error) => ApiError::internal(&error),
        }
    }
}

impl From<crate::assistant::AssistantError> for ApiError {
    fn from(error: crate::assistant::AssistantError) -> Self {
        use crate::assistant::AssistantError as E;
        match error {
            E::NotFound => ApiError::not_found("La conversación", "The conversation"),
            E::Closed => ApiError::conflict(
                "conversation_closed",
                "La conversación está cerrada",
                "The conversation is closed",
            ),
            E::Invalid(fields) => ApiError::validation(fields),
            E::Store(error) => ApiError::internal(&error),
        }
    }
}
