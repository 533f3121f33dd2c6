//! The cloud's sync API over HTTP (docs/SYNC.md, "Cloud endpoints"): enrolment, push,
//! pull and the live channel.

use dysa_domain::assistant::relay::{ChatRelay, ChatReply, StaffChatMessages};
use dysa_domain::join::{JoinRequest, LocationKeyState, NewJoinRequest};
use dysa_domain::sync::{LiveNotice, PullResponse, PushRequest, PushResponse, SCHEMA_VERSION};
use dysa_domain::validate::Lang;
use dysa_web::error::ErrorBody;
use reqwest::{Response, StatusCode, header};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// Longest wait for one push or pull (a page of 500 rows is well under a megabyte).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a call to the cloud failed.
#[derive(Debug, thiserror::Error)]
pub enum CloudError {
    /// No answer (DNS, connection, timeout) or a server-side failure (5xx, 429): try
    /// again later.
    #[error("cloud unreachable: {0}")]
    Unreachable(String),
    /// The cloud no longer accepts this device's token (revoked, or unknown): retrying
    /// cannot help until staff reconnect.
    #[error("device token refused ({code}): {message}")]
    Revoked {
        /// The cloud's code (`device_revoked`).
        code: String,
        /// The cloud's explanation.
        message: String,
    },
    /// The cloud refused the request itself (bad enrolment code, schema too old,
    /// tenant suspended).
    #[error("cloud refused ({status} {code}): {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The cloud's code.
        code: String,
        /// The cloud's explanation.
        message: String,
        /// Field problems, for invalid input.
        fields: BTreeMap<String, String>,
    },
    /// The answer was not what the protocol says (wrong server, broken proxy).
    #[error("unexpected answer from the cloud: {0}")]
    BadResponse(String),
    /// This device's cursor is older than the cloud keeps deletes (410
    /// `snapshot_required`): reload from a snapshot, remove what it lacks, then pull from
    /// `purged_through` (docs/SYNC.md, "Retention").
    #[error("the cloud purged deletes through version {purged_through}; a snapshot is needed")]
    SnapshotRequired {
        /// The newest version of a purged tombstone.
        purged_through: i64,
    },
}

/// What the appliance sends to enrol.
#[derive(Clone, Debug, Serialize)]
pub struct EnrollRequest<'a> {
    /// The one-time code from the owners' dashboard.
    pub enrollment_code: &'a str,
    /// A name for this device in the dashboard.
    pub device_name: &'a str,
}

/// The cloud's answer to an enrolment: who the device now is, and its token.
#[derive(Clone, Debug, Deserialize)]
pub struct Enrolled {
    /// The cloud's id for this device.
    pub device_id: uuid::Uuid,
    /// Bearer token of every later call (shown once).
    pub device_token: String,
    /// The tenant.
    pub tenant_id: uuid::Uuid,
    /// The location the device serves.
    pub location_id: uuid::Uuid,
}

/// Enrols this appliance with `enrollment_code`; the cloud answers in `lang`.
pub async fn enroll(
    http: &reqwest::Client,
    cloud_url: &str,
    request: &EnrollRequest<'_>,
    lang: Lang,
) -> Result<Enrolled, CloudError> {
    let response = http
        .post(format!("{cloud_url}/api/v1/devices/enroll"))
        .header(header::ACCEPT_LANGUAGE, lang_header(lang))
        .timeout(REQUEST_TIMEOUT)
        .json(request)
        .send()
        .await
        .map_err(unreachable)?;
    decode(response).await
}

fn lang_header(lang: Lang) -> &'static str {
    match lang {
        Lang::Es => "es-CL, es;q=0.9",
        Lang::En => "en",
    }
}

fn unreachable(error: reqwest::Error) -> CloudError {
    // reqwest's Display hides the cause ("error sending request"); the chain says why.
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    CloudError::Unreachable(text)
}

/// The error a refused answer describes (`what` when its body says nothing usable).
async fn failure(response: Response, what: &str) -> CloudError {
    decode::<serde_json::Value>(response)
        .await
        .err()
        .unwrap_or_else(|| CloudError::BadResponse(what.to_owned()))
}

/// Turns an answer into `T`, or into the error its status and body describe.
async fn decode<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, CloudError> {
    let status = response.status();
    let bytes = response.bytes().await.map_err(unreachable)?;
    if status.is_success() {
        return serde_json::from_slice(&bytes)
            .map_err(|e| CloudError::BadResponse(format!("{status}: {e}")));
    }
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        return Err(CloudError::Unreachable(format!(
            "the cloud answered {status}"
        )));
    }
    let Ok(body) = serde_json::from_slice::<ErrorBody>(&bytes) else {
        return Err(CloudError::BadResponse(format!(
            "{status} without an error body"
        )));
    };
    let error = body.error;
    if status == StatusCode::GONE && error.code == "snapshot_required" {
        let purged_through = error
            .details
            .as_ref()
            .and_then(|d| d.get("purged_through"))
            .and_then(serde_json::Value::as_i64)
            .ok_or_else(|| {
                CloudError::BadResponse("snapshot_required without purged_through".into())
            })?;
        return Err(CloudError::SnapshotRequired { purged_through });
    }
    if status == StatusCode::UNAUTHORIZED {
        return Err(CloudError::Revoked {
            code: error.code,
            message: error.message,
        });
    }
    Err(CloudError::Refused {
        status: status.as_u16(),
        code: error.code,
        message: error.message,
        fields: error.fields.unwrap_or_default(),
    })
}

/// How long one part of a backup (8 MiB) may take each way on a restaurant's link.
const BACKUP_PART_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// A backup the cloud holds for this location (`GET /sync/backups/latest`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct CloudBackup {
    /// Its id.
    pub id: uuid::Uuid,
    /// The counter that took it (whose backup key opens it).
    pub device_id: uuid::Uuid,
    /// When it was taken.
    pub taken_at: String,
    /// How many parts it has.
    pub parts: usize,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// sha256 of the file, lowercase hex.
    pub sha256: Option<String>,
}

/// The sync API of one enrolled device.
#[derive(Clone)]
pub struct CloudClient {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl std::fmt::Debug for CloudClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token.
        f.debug_struct("CloudClient")
            .field("base", &self.base)
            .finish()
    }
}

/// How this counter's own queues stand, told to the cloud with every pull (docs/SYNC.md,
/// "The counter's queues"): fiscal documents not yet issued and print jobs not yet
/// printed, each with when the oldest was queued (RFC 3339). The cloud alerts the owner
/// when one waits too long during opening hours.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueReport {
    /// Fiscal documents waiting.
    pub fiscal_pending: i64,
    /// When the oldest was queued.
    pub fiscal_oldest_at: Option<String>,
    /// Print jobs waiting for a printer that exists.
    pub print_pending: i64,
    /// When the oldest was queued.
    pub print_oldest_at: Option<String>,
}

impl CloudClient {
    /// A client for the cloud at `base` (no trailing slash) with the device's token.
    pub fn new(http: reqwest::Client, base: String, token: String) -> Self {
        Self { http, base, token }
    }

    /// The cloud's address.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Sends a batch of local changes; the cloud answers each.
    pub async fn push(&self, request: &PushRequest) -> Result<PushResponse, CloudError> {
        let response = self
            .http
            .post(format!("{}/api/v1/sync/push", self.base))
            .bearer_auth(&self.token)
            .timeout(REQUEST_TIMEOUT)
            .json(request)
            .send()
            .await
            .map_err(unreachable)?;
        decode(response).await
    }

    /// One page of changes after `cursor` (tombstones included), telling the cloud how
    /// this counter's queues stand (`queues`; `None` when they could not be read).
    pub async fn pull(
        &self,
        cursor: i64,
        limit: u32,
        queues: Option<&QueueReport>,
    ) -> Result<PullResponse, CloudError> {
        self.page("pull", cursor, limit, queues).await
    }

    /// One page of the snapshot after `cursor`: the live rows only, for a reload when the
    /// cloud no longer holds the deletes this device missed.
    pub async fn snapshot(&self, cursor: i64, limit: u32) -> Result<PullResponse, CloudError> {
        self.page("snapshot", cursor, limit, None).await
    }

    async fn page(
        &self,
        kind: &str,
        cursor: i64,
        limit: u32,
        queues: Option<&QueueReport>,
    ) -> Result<PullResponse, CloudError> {
        let mut query = vec![
            ("cursor", cursor.to_string()),
            ("limit", limit.to_string()),
            ("schema_version", SCHEMA_VERSION.to_string()),
        ];
        if let Some(queues) = queues {
            query.push(("fiscal_pending", queues.fiscal_pending.to_string()));
            query.push(("print_pending", queues.print_pending.to_string()));
            if let Some(at) = &queues.fiscal_oldest_at {
                query.push(("fiscal_oldest_at", at.clone()));
            }
            if let Some(at) = &queues.print_oldest_at {
                query.push(("print_oldest_at", at.clone()));
            }
        }
        let response = self
            .http
            .get(format!("{}/api/v1/sync/{kind}", self.base))
            .bearer_auth(&self.token)
            .query(&query)
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await
            .map_err(unreachable)?;
        decode(response).await
    }

    /// Answers a widget chat the cloud relayed on the live channel. A 404 means the cloud
    /// stopped waiting (it answered the diner itself).
    pub async fn chat_reply(
        &self,
        request_id: uuid::Uuid,
        reply: &ChatReply,
    ) -> Result<(), CloudError> {
        let response = self
            .http
            .post(format!(
                "{}/api/v1/sync/chat-replies/{request_id}",
                self.base
            ))
            .bearer_auth(&self.token)
            .timeout(REQUEST_TIMEOUT)
            .json(reply)
            .send()
            .await
            .map_err(unreachable)?;
        if response.status().is_success() {
            return Ok(());
        }
        Err(failure(response, "chat reply refused").await)
    }

    /// Hands a menu photo's bytes to the cloud under their hash (docs/SYNC.md, "Photos").
    /// The cloud checks the hash and keeps the bytes once: a resend is harmless.
    pub async fn put_media(&self, hash: &str, jpeg: Vec<u8>) -> Result<(), CloudError> {
        let response = self
            .http
            .put(format!("{}/api/v1/sync/media/{hash}", self.base))
            .bearer_auth(&self.token)
            .timeout(REQUEST_TIMEOUT)
            .header(reqwest::header::CONTENT_TYPE, "image/jpeg")
            .body(jpeg)
            .send()
            .await
            .map_err(unreachable)?;
        if response.status().is_success() {
            return Ok(());
        }
        Err(failure(response, "photo refused").await)
    }

    /// A menu photo's bytes from the cloud (one another counter or the dashboard set);
    /// `None` when the cloud does not hold them (yet).
    pub async fn get_media(&self, hash: &str) -> Result<Option<Vec<u8>>, CloudError> {
        let response = self
            .http
            .get(format!("{}/api/v1/sync/media/{hash}", self.base))
            .bearer_auth(&self.token)
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await
            .map_err(unreachable)?;
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if response.status().is_success() {
            return Ok(Some(response.bytes().await.map_err(unreachable)?.to_vec()));
        }
        Err(failure(response, "photo not sent").await)
    }

    /// Hands staff's messages of relayed conversations to the cloud, which passes them to
    /// the diners (the widget, WhatsApp). Taken once per id: a resend after a lost answer
    /// is harmless.
    pub async fn chat_messages(&self, batch: &StaffChatMessages) -> Result<(), CloudError> {
        let response = self
            .http
            .post(format!("{}/api/v1/sync/chat-messages", self.base))
            .bearer_auth(&self.token)
            .timeout(REQUEST_TIMEOUT)
            .json(batch)
            .send()
            .await
            .map_err(unreachable)?;
        if response.status().is_success() {
            return Ok(());
        }
        Err(failure(response, "chat messages refused").await)
    }

    /// Redeems an owner's recovery code for this device (`POST /sync/recovery/redeem`):
    /// `true` when the cloud used it up (issued for this device, unused, unexpired),
    /// `false` when it refused the code (401 `recovery_code_invalid`). The counter sets
    /// its admin's new password only after `true` (docs/SECURITY.md, "Admin recovery
    /// through the owner").
    pub async fn redeem_owner_recovery(&self, code: &str) -> Result<bool, CloudError> {
        let response = self
            .http
            .post(format!("{}/api/v1/sync/recovery/redeem", self.base))
            .bearer_auth(&self.token)
            .timeout(REQUEST_TIMEOUT)
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await
            .map_err(unreachable)?;
        if response.status() == StatusCode::NO_CONTENT {
            return Ok(true);
        }
        match decode::<serde_json::Value>(response).await {
            Err(CloudError::Revoked { code, .. }) if code == "recovery_code_invalid" => Ok(false),
            Err(error) => Err(error),
            Ok(_) => Err(CloudError::BadResponse(
                "recovery redeemed without 204".into(),
            )),
        }
    }

    /// Sends one JSON request of the join protocol (docs/SYNC.md, "Joining a location")
    /// and decodes its answer; a 204 decodes as `null`.
    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<T, CloudError> {
        let mut request = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token)
            .timeout(REQUEST_TIMEOUT);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(unreachable)?;
        if response.status() == StatusCode::NOT_FOUND {
            // Not there (another location's request), or a cloud from before these routes,
            // which may answer without an error body.
            return Err(CloudError::Refused {
                status: 404,
                code: "not_found".into(),
                message: format!("{path} not found"),
                fields: BTreeMap::new(),
            });
        }
        if response.status() == StatusCode::NO_CONTENT {
            return serde_json::from_value(serde_json::Value::Null)
                .map_err(|e| CloudError::BadResponse(e.to_string()));
        }
        decode(response).await
    }

    /// Starts the upload of backup `id` (`POST /sync/backups`).
    pub async fn begin_backup(
        &self,
        id: uuid::Uuid,
        taken_at: &jiff::Timestamp,
    ) -> Result<(), CloudError> {
        let body = serde_json::json!({ "id": id, "taken_at": taken_at.to_string() });
        self.call::<()>(reqwest::Method::POST, "/sync/backups", Some(&body))
            .await
    }

    /// Sends part `n` of backup `id` (at most 8 MiB).
    pub async fn put_backup_part(
        &self,
        id: uuid::Uuid,
        n: usize,
        bytes: Vec<u8>,
    ) -> Result<(), CloudError> {
        let response = self
            .http
            .put(format!("{}/api/v1/sync/backups/{id}/parts/{n}", self.base))
            .bearer_auth(&self.token)
            .timeout(BACKUP_PART_TIMEOUT)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .map_err(unreachable)?;
        if response.status().is_success() {
            return Ok(());
        }
        Err(failure(response, "backup part refused").await)
    }

    /// Ends the upload of backup `id`: the cloud checks the parts against `size_bytes`
    /// and `sha256`.
    pub async fn complete_backup(
        &self,
        id: uuid::Uuid,
        parts: usize,
        size_bytes: u64,
        sha256: &str,
    ) -> Result<CloudBackup, CloudError> {
        let body =
            serde_json::json!({ "parts": parts, "size_bytes": size_bytes, "sha256": sha256 });
        self.call(
            reqwest::Method::POST,
            &format!("/sync/backups/{id}/complete"),
            Some(&body),
        )
        .await
    }

    /// The location's newest backup held by the cloud; `None` when it holds none.
    pub async fn latest_backup(&self) -> Result<Option<CloudBackup>, CloudError> {
        match self
            .call(reqwest::Method::GET, "/sync/backups/latest", None)
            .await
        {
            Ok(backup) => Ok(Some(backup)),
            Err(CloudError::Refused { status: 404, .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Part `n` of a backup the cloud holds.
    pub async fn backup_part(&self, id: uuid::Uuid, n: usize) -> Result<Vec<u8>, CloudError> {
        let response = self
            .http
            .get(format!("{}/api/v1/sync/backups/{id}/parts/{n}", self.base))
            .bearer_auth(&self.token)
            .timeout(BACKUP_PART_TIMEOUT)
            .send()
            .await
            .map_err(unreachable)?;
        if !response.status().is_success() {
            return Err(failure(response, "backup part refused").await);
        }
        Ok(response.bytes().await.map_err(unreachable)?.to_vec())
    }

    /// Keeps the recovery copy of this counter's backup key on the cloud (sealed there
    /// with the tenant's data key; docs/SECURITY.md, "Backups in the cloud").
    pub async fn put_backup_key(&self, key: &[u8]) -> Result<(), CloudError> {
        use base64::Engine;
        let body = serde_json::json!({
            "key": base64::engine::general_purpose::STANDARD.encode(key),
        });
        self.call::<()>(reqwest::Method::PUT, "/sync/backup-key", Some(&body))
            .await
    }

    /// The backup key of `device` (a counter of this location that took a backup).
    pub async fn backup_key(&self, device: uuid::Uuid) -> Result<Vec<u8>, CloudError> {
        use base64::Engine;
        let answer: serde_json::Value = self
            .call(
                reqwest::Method::GET,
                &format!("/sync/backup-key/{device}"),
                None,
            )
            .await?;
        answer["key"]
            .as_str()
            .and_then(|k| base64::engine::general_purpose::STANDARD.decode(k).ok())
            .ok_or_else(|| CloudError::BadResponse("a backup key that is not base64".into()))
    }

    /// The fingerprint of the location's key, if a counter claimed one.
    pub async fn location_key(&self) -> Result<LocationKeyState, CloudError> {
        self.call(reqwest::Method::GET, "/sync/location-key", None)
            .await
    }

    /// Claims the location key by its fingerprint (409 `location_key_exists`: another
    /// key holds the location).
    pub async fn claim_location_key(&self, fingerprint: &str) -> Result<(), CloudError> {
        let body = serde_json::json!({ "fingerprint": fingerprint });
        self.call::<LocationKeyState>(reqwest::Method::POST, "/sync/location-key", Some(&body))
            .await
            .map(|_| ())
    }

    /// Asks to join the location with this counter's public key.
    pub async fn create_join_request(
        &self,
        request: &NewJoinRequest,
    ) -> Result<JoinRequest, CloudError> {
        let body =
            serde_json::to_value(request).map_err(|e| CloudError::BadResponse(e.to_string()))?;
        self.call(reqwest::Method::POST, "/sync/join-requests", Some(&body))
            .await
    }

    /// The location's join requests waiting for an answer.
    pub async fn join_requests(&self) -> Result<Vec<JoinRequest>, CloudError> {
        self.call(reqwest::Method::GET, "/sync/join-requests", None)
            .await
    }

    /// One join request (this counter's own carries the sealed key once approved).
    pub async fn join_request(&self, id: uuid::Uuid) -> Result<JoinRequest, CloudError> {
        self.call(
            reqwest::Method::GET,
            &format!("/sync/join-requests/{id}"),
            None,
        )
        .await
    }

    /// Approves a join request with the location key sealed to its public key, or
    /// refuses it (`sealed_key` none).
    pub async fn decide_join(
        &self,
        id: uuid::Uuid,
        sealed_key: Option<&str>,
    ) -> Result<(), CloudError> {
        let (path, body) = match sealed_key {
            Some(sealed) => (
                format!("/sync/join-requests/{id}/approve"),
                Some(serde_json::json!({ "sealed_key": sealed })),
            ),
            None => (format!("/sync/join-requests/{id}/refuse"), None),
        };
        self.call::<serde_json::Value>(reqwest::Method::POST, &path, body.as_ref())
            .await
            .map(|_| ())
    }

    /// Opens the live channel; read it with [`SseParser`]. Errors as for the other calls.
    pub async fn live(&self) -> Result<Response, CloudError> {
        let response = self
            .http
            .get(format!("{}/api/v1/sync/live", self.base))
            .bearer_auth(&self.token)
            .header(header::ACCEPT, "text/event-stream")
            .send()
            .await
            .map_err(unreachable)?;
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(failure(response, "live channel refused").await)
        }
    }
}

/// Splits a Server-Sent Events byte stream into events, however the network cut it
/// (an event, or a UTF-8 letter, may arrive in several chunks).
#[derive(Debug, Default)]
pub struct SseParser {
    buffer: Vec<u8>,
    event: Option<String>,
    data: Vec<String>,
}

/// One event of the stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` name (`message` when absent, as the standard says).
    pub event: String,
    /// The `data:` lines joined by newlines.
    pub data: String,
}

impl SseEvent {
    /// The version this event announces, if it is a `version` event.
    pub fn version(&self) -> Option<i64> {
        (self.event == "version")
            .then(|| serde_json::from_str::<LiveNotice>(&self.data).ok())
            .flatten()
            .map(|n| n.version)
    }
}

impl SseEvent {
    /// The widget chat this event relays, if it is a `chat` event.
    pub fn chat_relay(&self) -> Option<ChatRelay> {
        (self.event == "chat")
            .then(|| serde_json::from_str::<ChatRelay>(&self.data).ok())
            .flatten()
    }
}

impl SseParser {
    /// Feeds a chunk and returns the events it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        self.buffer.extend_from_slice(chunk);
        let mut events = Vec::new();
        while let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.buffer.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if !self.data.is_empty() || self.event.is_some() {
                    events.push(SseEvent {
                        event: self.event.take().unwrap_or_else(|| "message".to_owned()),
                        data: std::mem::take(&mut self.data).join("\n"),
                    });
                }
                continue;
            }
            if line.starts_with(':') {
                continue; // a comment: the keep-alive
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => self.event = Some(value.to_owned()),
                "data" => self.data.push(value.to_owned()),
                _ => {}
            }
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_survive_any_chunking() {
        let stream = b": keep-alive\n\nevent: version\ndata: {\"version\": 7}\n\nevent: other\r\ndata: \xc3\xb1\r\n\r\nevent: version\ndata: {\"version\":9}\n\n";
        for size in 1..stream.len() {
            let mut parser = SseParser::default();
            let events: Vec<SseEvent> = stream
                .chunks(size)
                .flat_map(|chunk| parser.feed(chunk))
                .collect();
            let versions: Vec<i64> = events.iter().filter_map(SseEvent::version).collect();
            assert_eq!(versions, vec![7, 9], "chunks of {size}");
            assert_eq!(events[1].data, "ñ");
        }
    }
}
