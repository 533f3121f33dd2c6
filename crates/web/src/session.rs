//! Session cookies and refresh-token presentation, alike in both servers: an httpOnly,
//! `SameSite=Strict` access cookie for the whole site and a refresh cookie scoped to
//! `/api/v1/auth`; a refresh token comes in the JSON body or, lacking a body, its cookie.

use crate::error::ApiError;
use crate::extract::decode_json;
use axum::http::{HeaderMap, HeaderValue, header};
use bytes::Bytes;
use serde::Deserialize;

/// The path the refresh cookie is sent to (the `/auth/*` routes only).
pub const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

/// Why a refresh token was refused (each server maps it to its own answer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefreshRefusal {
    /// Never issued (or already purged).
    Unknown,
    /// Past its lifetime.
    Expired,
    /// Its session was closed.
    Revoked,
    /// It was already exchanged: a stolen copy is in play, so the whole session is closed.
    Reused,
}

/// A server's session cookies: their names, and whether they carry `Secure` (only when
/// the server is reached over HTTPS; the appliance's panel is plain HTTP on the LAN).
#[derive(Clone, Copy, Debug)]
pub struct SessionCookies {
    /// Name of the access-token cookie.
    pub access: &'static str,
    /// Name of the refresh-token cookie.
    pub refresh: &'static str,
    /// Whether to mark them `Secure`.
    pub secure: bool,
}

impl SessionCookies {
    fn cookie(&self, name: &str, value: &str, path: &str, max_age: i64) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        let text = format!(
            "{name}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
        );
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// Sets both cookies for a new or refreshed session, and `Cache-Control: no-store`
    /// (the answer carries tokens).
    pub fn set(
        &self,
        headers: &mut HeaderMap,
        (access_token, access_ttl_secs): (&str, i64),
        (refresh_token, refresh_ttl_secs): (&str, i64),
    ) {
        headers.append(
            header::SET_COOKIE,
            self.cookie(self.access, access_token, "/", access_ttl_secs),
        );
        headers.append(
            header::SET_COOKIE,
            self.cookie(
                self.refresh,
                refresh_token,
                REFRESH_COOKIE_PATH,
                refresh_ttl_secs,
            ),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }

    /// Expires both cookies (logout, a dead session).
    pub fn clear(&self, headers: &mut HeaderMap) {
        headers.append(header::SET_COOKIE, self.cookie(self.access, "", "/", 0));
        headers.append(
            header::SET_COOKIE,
            self.cookie(self.refresh, "", REFRESH_COOKIE_PATH, 0),
        );
    }

    /// The refresh token a request presents: the JSON body's, or without a body the
    /// refresh cookie's. `Ok(None)` when there is neither.
    pub fn presented_refresh_token(
        &self,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> Result<Option<String>, ApiError> {
        if !body.is_empty() {
            let request: RefreshRequest = decode_json(body)?;
            return Ok(Some(request.refresh_token));
        }
        Ok(crate::auth::request_cookie(headers, self.refresh).map(str::to_owned))
    }

    /// The refresh token a request presents, or 401 `refresh_token_missing`.
    pub fn required_refresh_token(
        &self,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> Result<String, ApiError> {
        self.presented_refresh_token(headers, body)?.ok_or_else(|| {
            ApiError::unauthenticated(
                "refresh_token_missing",
                "Falta el token de sesión",
                "No refresh token presented",
            )
        })
    }
}

/// A refresh token, when not sent as the cookie.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RefreshRequest {
    /// The refresh token from the last sign-in or refresh.
    pub refresh_token: String,
}
