//! Local stand-ins for the mail providers, speaking their real protocols: an SMTP sink
//! (enough of RFC 5321 for lettre) and a SendGrid fake (v3 Mail Send, and signed Event
//! Webhook posts with a P-256 key of its own).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::EncodePublicKey;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message the sink received.
#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The DATA as sent (headers and body, dot-unstuffed).
    pub data: String,
}

/// A tiny SMTP server on 127.0.0.1 keeping what it receives.
#[derive(Clone)]
pub struct SmtpSink {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
    /// Answer `451` to this many next `MAIL FROM`s (a relay saying "not now").
    pub refuse_next: Arc<AtomicUsize>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = SmtpSink {
            addr: listener.local_addr().unwrap(),
            received: Arc::default(),
            refuse_next: Arc::default(),
        };
        let served = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let sink = served.clone();
                tokio::spawn(async move { sink.session(stream).await });
            }
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    async fn session(&self, stream: tokio::net::TcpStream) {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
        let mut from = String::new();
        let mut to = Vec::new();
        while let Ok(Some(line)) = lines.next_line().await {
            let upper = line.to_ascii_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
            } else if upper.starts_with("MAIL FROM:") {
                if self
                    .refuse_next
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
                {
                    b"451 4.3.0 try again later\r\n"
                } else {
                    from = line[10..].trim().to_owned();
                    to.clear();
                    b"250 OK\r\n"
                }
            } else if upper.starts_with("RCPT TO:") {
                to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
                b"250 OK\r\n"
            } else if upper == "DATA" {
                let _ = write.write_all(b"354 go ahead\r\n").await;
                let mut data = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if line == "." {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    data.push('\n');
                }
                self.received.lock().unwrap().push(Received {
                    from: from.clone(),
                    to: to.clone(),
                    data,
                });
                b"250 2.0.0 queued as sink\r\n"
            } else if upper == "QUIT" {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            } else {
                b"250 OK\r\n"
            };
            if write.write_all(reply).await.is_err() {
                return;
            }
        }
    }
}

/// Undoes quoted-printable soft breaks and `=XX` escapes (enough to read a link).
pub fn unquote(data: &str) -> String {
    let joined = data.replace("=\n", "").replace("=\r\n", "");
    let mut out = Vec::new();
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The fake's record of what it was asked to send.
#[derive(Clone, Default)]
pub struct FakeSendGridState {
    pub bodies: Arc<Mutex<Vec<Value>>>,
    /// Answer 503 to this many next sends.
    pub unavailable_next: Arc<AtomicUsize>,
}

/// A SendGrid stand-in: `POST /v3/mail/send` with its documented checks and answers,
/// and a key pair to sign Event Webhook posts.
pub struct FakeSendGrid {
    pub addr: SocketAddr,
    pub state: FakeSendGridState,
    pub key: SigningKey,
}

pub const FAKE_API_KEY: &str = "SG.test-key";

impl FakeSendGrid {
    pub async fn start() -> FakeSendGrid {
        let state = FakeSendGridState::default();
        let app = axum::Router::new()
            .route("/v3/mail/send", axum::routing::post(send))
            .with_state(state.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let mut secret = [0u8; 32];
        rand::fill(&mut secret);
        FakeSendGrid {
            addr,
            state,
            key: SigningKey::from_slice(&secret).unwrap(),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The verification key as SendGrid shows it: base64 of the DER public key.
    pub fn public_key(&self) -> String {
        let der = self.key.verifying_key().to_public_key_der().unwrap();
        STANDARD.encode(der.as_bytes())
    }

    /// Signs a webhook body as SendGrid does: ECDSA P-256/SHA-256 over timestamp + body,
    /// base64 DER. Answers (timestamp, signature).
    pub fn sign(&self, body: &str) -> (String, String) {
        let timestamp = chrono::Utc::now().timestamp().to_string();
        let mut signed = timestamp.as_bytes().to_vec();
        signed.extend_from_slice(body.as_bytes());
        let signature: Signature = self.key.sign(&signed);
        (timestamp, STANDARD.encode(signature.to_der().as_bytes()))
    }

    pub fn bodies(&self) -> Vec<Value> {
        self.state.bodies.lock().unwrap().clone()
    }
}

fn sg_error(status: StatusCode, message: &str, field: &str) -> axum::response::Response {
    (
        status,
        axum::Json(json!({ "errors": [{ "message": message, "field": field, "help": null }] })),
    )
        .into_response()
}

async fn send(
    State(state): State<FakeSendGridState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if auth != format!("Bearer {FAKE_API_KEY}") {
        return sg_error(
            StatusCode::UNAUTHORIZED,
            "The provided authorization grant is invalid, expired, or revoked",
            "",
        );
    }
    if state
        .unavailable_next
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return sg_error(StatusCode::BAD_REQUEST, "Bad Request", "");
    };
    let to = &body["personalizations"][0]["to"][0]["email"];
    if !to.as_str().is_some_and(|t| t.contains('@')) {
        return sg_error(
            StatusCode::BAD_REQUEST,
            "Does not contain a valid address.",
            "personalizations.0.to.0.email",
        );
    }
    if !body["from"]["email"]
        .as_str()
        .is_some_and(|t| t.contains('@'))
    {
        return sg_error(
            StatusCode::BAD_REQUEST,
            "The from object must be provided for every email send.",
            "from",
        );
    }
    if body["subject"].as_str().is_none_or(str::is_empty) {
        return sg_error(
            StatusCode::BAD_REQUEST,
            "The subject is required.",
            "subject",
        );
    }
    let content = body["content"].as_array().cloned().unwrap_or_default();
    let types: Vec<&str> = content.iter().filter_map(|c| c["type"].as_str()).collect();
    if types.first() != Some(&"text/plain") {
        return sg_error(
            StatusCode::BAD_REQUEST,
            "If present, text/plain content must be first, followed by any other content.",
            "content.0.type",
        );
    }
    if let Some(args) = body["personalizations"][0]["custom_args"].as_object()
        && args.values().any(|v| !v.is_string())
    {
        return sg_error(
            StatusCode::BAD_REQUEST,
            "Custom args must be strings.",
            "personalizations.0.custom_args",
        );
    }
    let mut bodies = state.bodies.lock().unwrap();
    bodies.push(body);
    let id = format!("fake-msg-{}", bodies.len());
    (StatusCode::ACCEPTED, [("x-message-id", id)]).into_response()
}
