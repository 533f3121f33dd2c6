//! The Graph API's `messages` endpoint of the WhatsApp Cloud API: how the cloud writes to
//! a diner from a restaurant's linked number.
//!
//! Followed: "Send messages" of the Cloud API reference,
//! <https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages>:
//! `POST {graph}/{version}/{phone-number-id}/messages` with the number's access token as a
//! bearer, a JSON body `{messaging_product: "whatsapp", to, type: "text", text: {body}}`
//! or `type: "template"` with `template: {name, language: {code}, components: [{type:
//! "body", parameters: [{type: "text", text}]}]}`; answered `{messaging_product, contacts:
//! [{input, wa_id}], messages: [{id}]}`, or an error object `{error: {message, type,
//! code, error_subcode?, fbtrace_id}}` (Graph API "Handling errors",
//! <https://developers.facebook.com/docs/graph-api/guides/error-handling>). Free-form
//! messages may only be sent within 24 hours of the diner's last message ("customer
//! service window", <https://developers.facebook.com/docs/whatsapp/pricing#customer-service-windows>);
//! outside it only an approved template is delivered (error 131047 otherwise).

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

/// How long after the diner's last message a free-form reply may be sent.
pub const SERVICE_WINDOW_HOURS: i64 = 24;
/// Longest text body the Cloud API takes.
pub const MAX_TEXT_CHARS: usize = 4096;
/// Longest template parameter sent (Meta caps body parameters; longer text is cut).
pub const MAX_TEMPLATE_PARAMETER_CHARS: usize = 1000;
/// Meta's error code for a free-form message outside the window.
pub const OUTSIDE_WINDOW: i64 = 131_047;

/// What goes to the diner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outgoing {
    /// A free-form text, inside the window.
    Text(String),
    /// The link's approved template with the text as its one body parameter, outside it.
    Template {
        /// The template's name.
        name: String,
        /// Its language code (`es`, `en`).
        language: String,
        /// The body parameter.
        text: String,
    },
}

impl Outgoing {
    /// `text` as it may be sent now: free-form while the diner wrote within the last 24
    /// hours, else through the template (`last_inbound` `None`: the diner never wrote).
    pub fn for_window(
        text: &str,
        last_inbound: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        template: &str,
        language: &str,
    ) -> Outgoing {
        let open = last_inbound.is_some_and(|at| {
            now.signed_duration_since(at) < Duration::hours(SERVICE_WINDOW_HOURS)
        });
        if open {
            Outgoing::Text(text.chars().take(MAX_TEXT_CHARS).collect())
        } else {
            Outgoing::Template {
                name: template.to_owned(),
                language: language.to_owned(),
                text: one_line(text)
                    .chars()
                    .take(MAX_TEMPLATE_PARAMETER_CHARS)
                    .collect(),
            }
        }
    }

    /// `text` or `template`, as stored.
    pub fn kind(&self) -> &'static str {
        match self {
            Outgoing::Text(_) => "text",
            Outgoing::Template { .. } => "template",
        }
    }

    /// The words the diner reads.
    pub fn body(&self) -> &str {
        match self {
            Outgoing::Text(text) | Outgoing::Template { text, .. } => text,
        }
    }

    /// The request body for recipient `to`.
    pub fn request(&self, to: &str) -> Value {
        match self {
            Outgoing::Text(body) => json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to,
                "type": "text",
                "text": { "preview_url": false, "body": body },
            }),
            Outgoing::Template {
                name,
                language,
                text,
            } => json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to,
                "type": "template",
                "template": {
                    "name": name,
                    "language": { "code": language },
                    "components": [{
                        "type": "body",
                        "parameters": [{ "type": "text", "text": text }],
                    }],
                },
            }),
        }
    }
}

/// `text` as a template's body parameter may hold it: Meta refuses a parameter with a
/// new-line or tab character or more than four consecutive spaces (error 132018, "There
/// was an issue with the parameters in your template"; error codes,
/// <https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes>). Lines
/// are joined, with " · " after a line that ends without punctuation (a list's rows), and
/// every run of blanks becomes one space. A multi-line owner's summary sent outside the
/// window reads as one paragraph instead of being refused.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(last) = out.chars().last() {
            out.push_str(if matches!(last, '.' | ':' | ',' | ';' | '!' | '?') {
                " "
            } else {
                " · "
            });
        }
        out.push_str(&line.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out
}

/// Why a send failed.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// Meta answered with an error object (bad token, outside the window, bad number).
    #[error("the Graph API refused the message ({status}, code {code}): {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// Meta's error code.
        code: i64,
        /// Meta's message.
        message: String,
    },
    /// No answer, or not the documented one.
    #[error("the Graph API did not answer as documented: {0}")]
    Unreachable(String),
}

#[derive(Deserialize)]
struct Sent {
    #[serde(default)]
    messages: Vec<SentId>,
}

#[derive(Deserialize)]
struct SentId {
    id: String,
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorObject,
}

#[derive(Deserialize)]
struct ErrorObject {
    #[serde(default)]
    message: String,
    #[serde(default)]
    code: i64,
}

/// The Graph API client (base URL with the version, e.g.
/// `https://graph.facebook.com/v21.0`; the tests point it at their fake).
#[derive(Clone, Debug)]
pub struct Graph {
    http: reqwest::Client,
    base: String,
}

impl Graph {
    /// A client of `base`.
    pub fn new(base: &str) -> Graph {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .unwrap_or_default();
        Graph {
            http,
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    /// Sends `message` to `to` from `phone_number_id`; answers Meta's message id.
    pub async fn send(
        &self,
        phone_number_id: &str,
        access_token: &str,
        to: &str,
        message: &Outgoing,
    ) -> Result<String, GraphError> {
        let response = self
            .http
            .post(format!("{}/{phone_number_id}/messages", self.base))
            .bearer_auth(access_token)
            .json(&message.request(to))
            .send()
            .await
            .map_err(|e| GraphError::Unreachable(e.without_url().to_string()))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| GraphError::Unreachable(e.without_url().to_string()))?;
        if status.is_success() {
            let sent: Sent = serde_json::from_slice(&bytes)
                .map_err(|e| GraphError::Unreachable(format!("{status}: {e}")))?;
            return sent
                .messages
                .into_iter()
                .next()
                .map(|m| m.id)
                .ok_or_else(|| GraphError::Unreachable("no message id".into()));
        }
        match serde_json::from_slice::<ErrorEnvelope>(&bytes) {
            Ok(envelope) => Err(GraphError::Refused {
                status: status.as_u16(),
                code: envelope.error.code,
                message: envelope.error.message,
            }),
            Err(_) => Err(GraphError::Unreachable(format!(
                "{status} without an error object"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_inside_the_window_a_template_outside_it() {
        let now = Utc::now();
        let recent = Some(now - Duration::hours(23));
        let old = Some(now - Duration::hours(25));
        assert_eq!(
            Outgoing::for_window("¡Listo!", recent, now, "dysa_aviso", "es"),
            Outgoing::Text("¡Listo!".into())
        );
        for last in [old, None] {
            assert_eq!(
                Outgoing::for_window("¡Listo!", last, now, "dysa_aviso", "es"),
                Outgoing::Template {
                    name: "dysa_aviso".into(),
                    language: "es".into(),
                    text: "¡Listo!".into()
                }
            );
        }
        // Exactly 24 hours later the window has closed.
        let edge = Some(now - Duration::hours(24));
        assert_eq!(
            Outgoing::for_window("x", edge, now, "t", "es").kind(),
            "template"
        );
    }

    #[test]
    fn a_template_parameter_holds_no_new_line_tab_or_long_run_of_spaces() {
        let text = "Hola Tito:\n\nCentro\n  ventas $12.990 \t· 3 pedidos\nLo más vendido: Completo.\nVer     más";
        let sent = Outgoing::for_window(text, None, Utc::now(), "dysa_aviso", "es");
        assert_eq!(
            sent.body(),
            "Hola Tito: Centro · ventas $12.990 · 3 pedidos · Lo más vendido: Completo. Ver más"
        );
        // Free text inside the window keeps its lines.
        let recent = Some(Utc::now() - Duration::hours(1));
        assert_eq!(
            Outgoing::for_window(text, recent, Utc::now(), "dysa_aviso", "es").body(),
            text
        );
    }

    #[test]
    fn requests_have_the_documented_shape() {
        let text = Outgoing::Text("hola".into()).request("56987654321");
        assert_eq!(text["messaging_product"], "whatsapp");
        assert_eq!(text["type"], "text");
        assert_eq!(text["text"]["body"], "hola");
        let template =
            Outgoing::for_window("pedido aceptado", None, Utc::now(), "dysa_aviso", "es")
                .request("56987654321");
        assert_eq!(template["type"], "template");
        assert_eq!(template["template"]["name"], "dysa_aviso");
        assert_eq!(template["template"]["language"]["code"], "es");
        assert_eq!(
            template["template"]["components"][0]["parameters"][0]["text"],
            "pedido aceptado"
        );
    }
}
