//! Extractors both servers use: JSON bodies, path and query parameters that answer the
//! JSON error body (never axum's plain-text rejections).

use crate::error::{ApiError, for_status};
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use bytes::Bytes;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::de::DeserializeOwned;

/// A JSON body. Unlike axum's, every failure answers our JSON error: 415 without a JSON
/// content type, 413 over the body limit, 400 for broken JSON, 422 naming the field for
/// a missing field or a wrong type.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime.eq_ignore_ascii_case("application/json") || mime.ends_with("+json")
            });
        if !is_json {
            return Err(for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
        }
        let bytes = read_body(req, state).await?;
        decode_json(&bytes).map(Json)
    }
}

/// The whole body of `req`: 413 over the body limit, 400 `unreadable_body` when it
/// cannot be read. For extractors of other body types (CSV) to answer like [`Json`].
pub async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state)
        .await
        .map_err(|rejection| match rejection {
            BytesRejection::FailedToBufferBody(e)
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                for_status(StatusCode::PAYLOAD_TOO_LARGE)
            }
            other => ApiError::bad_request(
                "unreadable_body",
                "No se pudo leer el cuerpo de la solicitud",
                format!("Could not read the request body: {}", other.body_text()),
            ),
        })
}

/// Decodes a JSON document with field-level errors.
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer);
    if value.is_ok()
        && let Err(trailing) = deserializer.end()
    {
        let text = strip_position(&trailing.to_string());
        return Err(ApiError::bad_request(
            "invalid_json",
            format!("El cuerpo no es JSON válido ({text})"),
            format!("The body is not valid JSON ({text})"),
        ));
    }
    value.map_err(|error| {
        let inner = error.inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let message = inner.to_string();
                // serde reports a missing field at its parent's path; name the field itself.
                let path = error.path().to_string();
                let field = match message
                    .strip_prefix("missing field `")
                    .and_then(|m| m.split('`').next())
                {
                    Some(missing) if path == "." => missing.to_owned(),
                    Some(missing) => format!("{path}.{missing}"),
                    None => path,
                };
                let mut fields = FieldErrors::new();
                let en = strip_position(&message);
                let issue = if message.starts_with("missing field") {
                    FieldIssue::Required
                } else {
                    FieldIssue::Other {
                        es: format!("valor no válido ({en})"),
                        en: en.clone(),
                    }
                };
                fields.add(
                    if field.is_empty() || field == "." {
                        "body".to_owned()
                    } else {
                        field
                    },
                    issue,
                );
                ApiError::validation(fields)
            }
            _ => ApiError::bad_request(
                "invalid_json",
                format!(
                    "El cuerpo no es JSON válido ({})",
                    strip_position(&inner.to_string())
                ),
                format!(
                    "The body is not valid JSON ({})",
                    strip_position(&inner.to_string())
                ),
            ),
        }
    })
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// Path parameters; an id that does not parse cannot exist, so it answers 404.
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|rejection: PathRejection| {
                tracing::debug!(%rejection, "unparseable path parameter");
                ApiError::not_found("El recurso", "The resource")
            })
    }
}

/// Query parameters; bad ones answer 422 naming the parameter.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Query(value))
            .map_err(|rejection: QueryRejection| {
                let mut fields = FieldErrors::new();
                let text = rejection.body_text();
                let text = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text)
                    .to_owned();
                fields.add(
                    "query",
                    FieldIssue::Other {
                        es: format!("parámetro no válido ({text})"),
                        en: text,
                    },
                );
                ApiError::validation(fields)
            })
    }
}

/// A list route's `limit` (1–200, default 50) and `offset` (≥ 0, default 0), each bad
/// one added to `errors` under its own name, so a route can report them together with
/// its other parameters.
pub fn check_paging(
    errors: &mut FieldErrors,
    limit: Option<i64>,
    offset: Option<i64>,
) -> (i64, i64) {
    let limit = limit.unwrap_or(50);
    let offset = offset.unwrap_or(0);
    errors.check(
        (1..=200).contains(&limit),
        "limit",
        FieldIssue::OutOfRange { min: 1, max: 200 },
    );
    errors.check(
        offset >= 0,
        "offset",
        FieldIssue::OutOfRange {
            min: 0,
            max: i64::MAX,
        },
    );
    (limit, offset)
}
