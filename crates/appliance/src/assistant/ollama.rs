//! The link to the local Ollama server.
//!
//! Listing models, pulling and the structured (JSON-schema) understanding call go
//! through the `ollama-rs` client. Streaming replies are read by this module over the raw
//! byte stream, line by line ([`NdjsonLines`]): ollama-rs 0.3 decodes each network chunk
//! as UTF-8 on its own and silently drops a chunk that splits an accented letter, which
//! Spanish text hits all the time.

use super::understand::{Intent, Reading};
use crate::settings::Settings;
use futures::{Stream, StreamExt};
use ollama_rs::Ollama;
use ollama_rs::generation::chat::ChatMessage;
use ollama_rs::generation::chat::request::ChatMessageRequest;
use ollama_rs::generation::parameters::{FormatType, KeepAlive, TimeUnit};
use ollama_rs::models::ModelOptions;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::pin::Pin;
use std::time::Duration;

/// Why the model could not be used for this turn (the fallback answers instead).
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// Ollama does not answer at its URL.
    #[error("ollama unreachable: {0}")]
    Unreachable(String),
    /// It answered slower than the configured timeout.
    #[error("ollama timed out")]
    Timeout,
    /// The model is not installed.
    #[error("model {0} is not installed")]
    ModelMissing(String),
    /// The model's answer is not the JSON asked for.
    #[error("malformed model output: {0}")]
    Malformed(String),
    /// Ollama reported an error.
    #[error("ollama error: {0}")]
    Server(String),
    /// The base URL in the settings is not a URL.
    #[error("invalid ollama url: {0}")]
    BadUrl(String),
}

/// The configured link: base URL, model, timeout and keep-alive.
#[derive(Clone, Debug)]
pub struct OllamaLink {
    base: String,
    model: String,
    timeout: Duration,
    keep_alive_minutes: u64,
    http: reqwest::Client,
}

/// One installed model.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModelInfo {
    /// Name with tag, e.g. `llama3.2:3b`.
    pub name: String,
    /// Size on disk in bytes.
    pub size: u64,
    /// When it was last changed.
    pub modified_at: String,
}

/// Whether Ollama answers and has the configured model.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LinkStatus {
    /// Ollama answered `/api/tags`.
    pub up: bool,
    /// The configured model.
    pub model: String,
    /// The configured model is installed.
    pub model_present: bool,
    /// Why it is down.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The same model name with the implicit `:latest` tag made explicit.
fn canonical(name: &str) -> String {
    if name.contains(':') {
        name.to_owned()
    } else {
        format!("{name}:latest")
    }
}

impl OllamaLink {
    /// The link the settings describe, on the shared HTTP client.
    pub fn new(settings: &Settings, http: reqwest::Client) -> OllamaLink {
        OllamaLink {
            base: settings.ollama_url.trim_end_matches('/').to_owned(),
            model: settings.ollama_model.clone(),
            timeout: Duration::from_millis(settings.ollama_timeout_ms.max(1)),
            keep_alive_minutes: settings.ollama_keep_alive_minutes,
            http,
        }
    }

    /// The configured model.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// The configured timeout for one model call.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    fn client(&self) -> Result<Ollama, LlmError> {
        let url = reqwest::Url::parse(&self.base).map_err(|e| LlmError::BadUrl(e.to_string()))?;
        Ok(Ollama::builder()
            .url(url)
            .reqwest_client(self.http.clone())
            .build())
    }

    fn keep_alive(&self) -> KeepAlive {
        KeepAlive::Until {
            time: self.keep_alive_minutes,
            unit: TimeUnit::Minutes,
        }
    }

    /// The installed models (`/api/tags`).
    pub async fn models(&self) -> Result<Vec<ModelInfo>, LlmError> {
        let client = self.client()?;
        let listed = tokio::time::timeout(self.timeout.min(Duration::from_secs(5)), async {
            client.list_local_models().await
        })
        .await
        .map_err(|_| LlmError::Timeout)?
        .map_err(map_error)?;
        Ok(listed
            .into_iter()
            .map(|m| ModelInfo {
                name: m.name,
                size: m.size,
                modified_at: m.modified_at,
            })
            .collect())
    }

    /// Up/down and whether the model is installed, answered within `limit`.
    pub async fn status(&self, limit: Duration) -> LinkStatus {
        let listed = tokio::time::timeout(limit, self.models()).await;
        let model = self.model.clone();
        match listed {
            Ok(Ok(models)) => LinkStatus {
                up: true,
                model_present: models
                    .iter()
                    .any(|m| canonical(&m.name) == canonical(&model)),
                model,
                detail: None,
            },
            Ok(Err(error)) => LinkStatus {
                up: false,
                model_present: false,
                model,
                detail: Some(error.to_string()),
            },
            Err(_) => LinkStatus {
                up: false,
                model_present: false,
                model,
                detail: Some("timed out".to_owned()),
            },
        }
    }

    /// Asks the model for a structured reading of the diner's message (`format` is the
    /// JSON schema of [`reading_schema`]), within the timeout and `limit` (what is left of
    /// the turn), generating at most [`UNDERSTAND_NUM_PREDICT`] tokens: a model that loops
    /// inside the JSON stops there, and its cut answer is malformed.
    pub async fn understand(
        &self,
        messages: Vec<ChatMessage>,
        limit: Duration,
    ) -> Result<Reading, LlmError> {
        let client = self.client()?;
        let format: FormatType = serde_json::from_value(reading_schema())
            .map_err(|e| LlmError::Malformed(e.to_string()))?;
        let request = ChatMessageRequest::new(self.model.clone(), messages)
            .format(format)
            .keep_alive(self.keep_alive())
            .options(
                ModelOptions::default()
                    .temperature(0.0)
                    .num_predict(UNDERSTAND_NUM_PREDICT),
            );
        let limit = self.timeout.min(limit);
        let response = tokio::time::timeout(limit, client.send_chat_messages(request))
            .await
            .map_err(|_| LlmError::Timeout)?
            .map_err(map_error)?;
        parse_reading(&response.message.content)
    }

    /// Streams a free-text reply: each item is a piece of text. The first piece must
    /// arrive within the timeout, and so must each next one, and none after `deadline`
    /// (the turn's). At most [`REPLY_NUM_PREDICT`] tokens, stopping at a blank line or a
    /// turn the model starts writing for the diner. Dropping the stream closes the
    /// connection, which makes Ollama stop generating and frees its slot.
    pub async fn stream_reply(
        &self,
        messages: Vec<ChatMessage>,
        deadline: tokio::time::Instant,
    ) -> Result<Pin<Box<dyn Stream<Item = Result<String, LlmError>> + Send>>, LlmError> {
        let body = serde_json::json!({
            "model": self.model,
            "messages": messages,
            "stream": true,
            "keep_alive": format!("{}m", self.keep_alive_minutes),
            "options": {
                "temperature": 0.3,
                "num_predict": REPLY_NUM_PREDICT,
                "stop": REPLY_STOP,
            },
        });
        let piece_limit = move |timeout: Duration| {
            timeout.min(deadline.saturating_duration_since(tokio::time::Instant::now()))
        };
        let response = tokio::time::timeout(
            piece_limit(self.timeout),
            self.http
                .post(format!("{}/api/chat", self.base))
                .json(&body)
                .send(),
        )
        .await
        .map_err(|_| LlmError::Timeout)?
        .map_err(|e| LlmError::Unreachable(e.to_string()))?;
        if !response.status().is_success() {
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            return Err(if status == reqwest::StatusCode::NOT_FOUND {
                LlmError::ModelMissing(self.model.clone())
            } else {
                LlmError::Server(format!("{status}: {text}"))
            });
        }
        let timeout = self.timeout;
        let bytes = response.bytes_stream();
        let stream = futures::stream::unfold(
            (bytes, NdjsonLines::default(), Vec::<Vec<u8>>::new(), false),
            move |(mut bytes, mut lines, mut ready, mut finished)| async move {
                loop {
                    if let Some(line) = (!ready.is_empty()).then(|| ready.remove(0)) {
                        match decode_chat_line(&line) {
                            Ok(ChatPiece::Text(text)) if text.is_empty() => continue,
                            Ok(ChatPiece::Text(text)) => {
                                return Some((Ok(text), (bytes, lines, ready, finished)));
                            }
                            Ok(ChatPiece::Done) => return None,
                            Err(error) => {
                                return Some((Err(error), (bytes, lines, Vec::new(), true)));
                            }
                        }
                    }
                    if finished {
                        return None;
                    }
                    match tokio::time::timeout(piece_limit(timeout), bytes.next()).await {
                        Err(_) => {
                            finished = true;
                            return Some((Err(LlmError::Timeout), (bytes, lines, ready, finished)));
                        }
                        Ok(None) => {
                            finished = true;
                            match lines.finish() {
                                Some(rest) => ready.push(rest),
                                None => {
                                    // The stream ended without `done`: the model stopped
                                    // mid-answer.
                                    return Some((
                                        Err(LlmError::Unreachable(
                                            "stream ended before done".to_owned(),
                                        )),
                                        (bytes, lines, ready, finished),
                                    ));
                                }
                            }
                        }
                        Ok(Some(Err(error))) => {
                            finished = true;
                            return Some((
                                Err(LlmError::Unreachable(error.to_string())),
                                (bytes, lines, ready, finished),
                            ));
                        }
                        Ok(Some(Ok(chunk))) => ready.extend(lines.push(&chunk)),
                    }
                }
            },
        );
        Ok(Box::pin(stream))
    }

    /// Pulls a model, yielding progress summed over its layers.
    pub async fn pull(
        &self,
        model: String,
    ) -> Result<Pin<Box<dyn Stream<Item = Result<PullProgress, LlmError>> + Send>>, LlmError> {
        let client = self.client()?;
        let stream = client
            .pull_model_stream(model, false)
            .await
            .map_err(map_error)?;
        let progress = stream.scan(BTreeMap::<String, (u64, u64)>::new(), |layers, item| {
            let out = match item {
                Ok(status) => {
                    if let Some(digest) = &status.digest {
                        let entry = layers.entry(digest.clone()).or_default();
                        if let Some(total) = status.total {
                            entry.0 = total;
                        }
                        if let Some(completed) = status.completed {
                            entry.1 = completed;
                        }
                    }
                    let total = layers.values().map(|l| l.0).sum();
                    let completed = layers.values().map(|l| l.1).sum();
                    Ok(PullProgress {
                        status: status.message,
                        completed,
                        total,
                    })
                }
                Err(error) => Err(map_error(error)),
            };
            futures::future::ready(Some(out))
        });
        Ok(Box::pin(progress))
    }
}

/// Progress of a pull, summed over every layer seen so far.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PullProgress {
    /// Ollama's status line (`pulling manifest`, `downloading`, `success`).
    pub status: String,
    /// Bytes downloaded.
    pub completed: u64,
    /// Bytes to download (known so far).
    pub total: u64,
}

fn map_error(error: ollama_rs::error::OllamaError) -> LlmError {
    use ollama_rs::error::OllamaError as E;
    match error {
        E::ReqwestError(e) if e.is_timeout() => LlmError::Timeout,
        E::ReqwestError(e) => LlmError::Unreachable(e.to_string()),
        E::JsonError(e) => LlmError::Malformed(e.to_string()),
        E::InternalError(e) => {
            if e.message.contains("not found") {
                LlmError::ModelMissing(e.message)
            } else {
                LlmError::Server(e.message)
            }
        }
        E::Other(text) => {
            if text.contains("not found") {
                LlmError::ModelMissing(text)
            } else {
                LlmError::Server(text)
            }
        }
        other => LlmError::Server(other.to_string()),
    }
}

/// Splits a byte stream into lines, decoding nothing until a line is complete, so a
/// multi-byte letter split across chunks arrives whole.
#[derive(Debug, Default)]
pub struct NdjsonLines {
    buffer: Vec<u8>,
}

impl NdjsonLines {
    /// Adds a chunk; returns the lines it completed (without the newline, empty lines
    /// skipped).
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Vec<u8>> {
        self.buffer.extend_from_slice(chunk);
        let mut out = Vec::new();
        while let Some(at) = self.buffer.iter().position(|&b| b == b'\n') {
            let mut line: Vec<u8> = self.buffer.drain(..=at).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if !line.iter().all(u8::is_ascii_whitespace) {
                out.push(line);
            }
        }
        out
    }

    /// What is left after the stream ended (a last line without a newline).
    pub fn finish(&mut self) -> Option<Vec<u8>> {
        let rest = std::mem::take(&mut self.buffer);
        (!rest.iter().all(u8::is_ascii_whitespace)).then_some(rest)
    }
}

/// One decoded line of a streamed chat.
#[derive(Debug, PartialEq, Eq)]
pub enum ChatPiece {
    /// More text.
    Text(String),
    /// The final line.
    Done,
}

#[derive(Deserialize)]
struct StreamLine {
    #[serde(default)]
    message: Option<StreamMessage>,
    #[serde(default)]
    done: bool,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
struct StreamMessage {
    #[serde(default)]
    content: String,
}

/// Decodes one NDJSON line of `/api/chat`: text, the end, or an in-stream error.
pub fn decode_chat_line(line: &[u8]) -> Result<ChatPiece, LlmError> {
    let parsed: StreamLine =
        serde_json::from_slice(line).map_err(|e| LlmError::Malformed(e.to_string()))?;
    if let Some(error) = parsed.error {
        return Err(LlmError::Server(error));
    }
    if parsed.done {
        // The last line may still carry text.
        return Ok(match parsed.message {
            Some(m) if !m.content.is_empty() => ChatPiece::Text(m.content),
            _ => ChatPiece::Done,
        });
    }
    Ok(ChatPiece::Text(
        parsed.message.map(|m| m.content).unwrap_or_default(),
    ))
}

/// Most tokens of the structured reading: a few dishes with options fit in well under
/// this; a model repeating itself inside an array is cut here.
pub const UNDERSTAND_NUM_PREDICT: i32 = 256;

/// Most tokens of a free-text reply (a chat message is about 150 tokens).
pub const REPLY_NUM_PREDICT: i32 = 200;

/// Where a free-text reply stops: a blank line, or the model writing the diner's turn.
pub const REPLY_STOP: [&str; 4] = ["\n\n", "\nCliente:", "\nUser:", "<|"];

/// Most dishes one message may name, and options per dish, in the schema.
pub const MAX_ITEMS: u32 = 12;
/// Most options or requests per dish in the schema.
pub const MAX_MODIFIERS: u32 = 6;

/// The JSON schema the model must answer with (no `$ref`: Ollama does not follow them).
/// Arrays and strings are bounded so grammar-constrained decoding cannot loop inside them.
pub fn reading_schema() -> serde_json::Value {
    let intents: Vec<&str> = Intent::ALL.iter().map(|i| i.as_str()).collect();
    serde_json::json!({
        "type": "object",
        "properties": {
            "intent": { "type": "string", "enum": intents },
            "items": {
                "type": "array",
                "maxItems": MAX_ITEMS,
                "items": {
                    "type": "object",
                    "properties": {
                        "name": { "type": "string", "maxLength": 60 },
                        "quantity": { "type": "integer", "minimum": 1, "maximum": 999 },
                        "modifiers": {
                            "type": "array",
                            "maxItems": MAX_MODIFIERS,
                            "items": { "type": "string", "maxLength": 40 }
                        }
                    },
                    "required": ["name", "quantity", "modifiers"]
                }
            },
            "party_size": { "type": ["integer", "null"] },
            "date": { "type": ["string", "null"], "description": "YYYY-MM-DD" },
            "time": { "type": ["string", "null"], "description": "HH:MM, 24 h" },
            "name": { "type": ["string", "null"] },
            "phone": { "type": ["string", "null"] },
            "takeaway": { "type": "boolean" }
        },
        "required": ["intent", "items"]
    })
}

/// Reads the model's JSON answer strictly: a known intent is required, quantities must
/// be 1–999; anything else is malformed and the fallback parser answers.
pub fn parse_reading(content: &str) -> Result<Reading, LlmError> {
    let reading: Reading =
        serde_json::from_str(content.trim()).map_err(|e| LlmError::Malformed(e.to_string()))?;
    if reading.items.len() > MAX_ITEMS as usize
        || reading
            .items
            .iter()
            .any(|m| m.modifiers.len() > MAX_MODIFIERS as usize)
    {
        return Err(LlmError::Malformed("too many items or options".to_owned()));
    }
    if reading.intent.is_none() {
        return Err(LlmError::Malformed("no intent".to_owned()));
    }
    if reading
        .items
        .iter()
        .any(|m| m.quantity.is_some_and(|q| !(1..=999).contains(&q)) || m.name.trim().is_empty())
    {
        return Err(LlmError::Malformed("bad item".to_owned()));
    }
    Ok(reading)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_survive_a_letter_split_across_chunks() {
        let text = "{\"message\":{\"content\":\"Charquicán y porotos\"},\"done\":false}\n";
        let bytes = text.as_bytes();
        let split = text.find('á').expect("has á") + 1; // inside the two bytes of á
        let mut lines = NdjsonLines::default();
        assert!(lines.push(&bytes[..split]).is_empty());
        let out = lines.push(&bytes[split..]);
        assert_eq!(out.len(), 1);
        assert_eq!(
            decode_chat_line(&out[0]).expect("decodes"),
            ChatPiece::Text("Charquicán y porotos".to_owned())
        );
    }

    #[test]
    fn in_stream_errors_are_errors() {
        assert!(matches!(
            decode_chat_line(br#"{"error":"model crashed"}"#),
            Err(LlmError::Server(_))
        ));
    }

    #[test]
    fn readings_are_checked() {
        assert!(parse_reading("not json").is_err());
        assert!(parse_reading(r#"{"intent":"order_add","items":[]}"#).is_ok());
        assert!(parse_reading(r#"{"intent":"dance","items":[]}"#).is_err());
        assert!(
            parse_reading(r#"{"intent":"order_add","items":[{"name":"x","quantity":0}]}"#).is_err()
        );
        let many = serde_json::json!({ "intent": "order_add",
            "items": vec![serde_json::json!({ "name": "humitas", "quantity": 1 }); 13] });
        assert!(parse_reading(&many.to_string()).is_err());
        let looping = serde_json::json!({ "intent": "order_add",
            "items": [{ "name": "humitas", "quantity": 1, "modifiers": vec!["no"; 7] }] });
        assert!(parse_reading(&looping.to_string()).is_err());
    }
}
