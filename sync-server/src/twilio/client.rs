//! Twilio Programmable Messaging: how the cloud sends an SMS from a restaurant's Twilio
//! account.
//!
//! Followed: "Message resource — Create a Message resource",
//! <https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource>:
//! `POST {api}/2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic auth with the
//! Account SID as user and the Auth Token as password
//! (<https://www.twilio.com/docs/usage/requests-to-twilio#authenticate-with-http>), a
//! form-encoded body with `To`, `From` or `MessagingServiceSid`, `Body` and
//! `StatusCallback`; answered `201 Created` with the Message resource as JSON (`sid`
//! `SM…`, `status` `queued` or `accepted`), or an error `{code, message, more_info,
//! status}` (<https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions>).
//! Error codes: <https://www.twilio.com/docs/api/errors> (20429 too many requests, 21610
//! the recipient replied STOP).

use serde::Deserialize;

/// Longest body Twilio takes (1,600 characters, "Body" of the Message resource).
pub const MAX_BODY_CHARS: usize = 1600;
/// Twilio's error for a recipient who unsubscribed by replying STOP.
pub const UNSUBSCRIBED_RECIPIENT: i64 = 21_610;

/// The account a message is sent from (opened credentials; never logged).
#[derive(Clone)]
pub struct Account {
    /// `AC…`.
    pub account_sid: String,
    /// The Auth Token.
    pub auth_token: String,
    /// The sending number (E.164), when no messaging service is set.
    pub from_number: Option<String>,
    /// `MG…`: Twilio picks the sender from the service's pool.
    pub messaging_service_sid: Option<String>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("account_sid", &self.account_sid)
            .finish_non_exhaustive()
    }
}

/// Why a send failed.
#[derive(Debug, thiserror::Error)]
pub enum TwilioError {
    /// Twilio answered with its error object.
    #[error("Twilio refused the message ({status}, code {code}): {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// Twilio's error code.
        code: i64,
        /// Twilio's message.
        message: String,
    },
    /// No answer, or not the documented one.
    #[error("Twilio did not answer as documented: {0}")]
    Unreachable(String),
}

impl TwilioError {
    /// Whether trying again later may pass: no answer, 5xx, or 429 (20429).
    pub fn may_pass_later(&self) -> bool {
        match self {
            TwilioError::Unreachable(_) => true,
            TwilioError::Refused { status, code, .. } => {
                *status >= 500 || *status == 429 || *code == 20_429
            }
        }
    }
}

#[derive(Deserialize)]
struct Created {
    sid: String,
    #[serde(default)]
    status: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: i64,
    #[serde(default)]
    message: String,
}

/// What Twilio answered for a created message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queued {
    /// The Message SID (`SM…`).
    pub sid: String,
    /// Its first status (`queued`, `accepted`).
    pub status: String,
}

/// The Messages API client (base URL `https://api.twilio.com`; tests point it at their
/// fake).
#[derive(Clone, Debug)]
pub struct TwilioClient {
    http: reqwest::Client,
    base: String,
}

impl TwilioClient {
    /// A client of `base`.
    pub fn new(base: &str) -> TwilioClient {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .unwrap_or_default();
        TwilioClient {
            http,
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    /// The form a message to `to` is created with.
    pub fn form(
        account: &Account,
        to: &str,
        body: &str,
        status_callback: &str,
    ) -> Vec<(&'static str, String)> {
        let mut form = vec![("To", to.to_owned())];
        match (&account.messaging_service_sid, &account.from_number) {
            (Some(service), _) => form.push(("MessagingServiceSid", service.clone())),
            (None, Some(from)) => form.push(("From", from.clone())),
            (None, None) => {}
        }
        form.push(("Body", body.chars().take(MAX_BODY_CHARS).collect()));
        form.push(("StatusCallback", status_callback.to_owned()));
        form
    }

    /// Creates (sends) a message; answers its SID and first status.
    pub async fn send(
        &self,
        account: &Account,
        to: &str,
        body: &str,
        status_callback: &str,
    ) -> Result<Queued, TwilioError> {
        let unreachable = |e: reqwest::Error| TwilioError::Unreachable(e.without_url().to_string());
        let response = self
            .http
            .post(format!(
                "{}/2010-04-01/Accounts/{}/Messages.json",
                self.base, account.account_sid
            ))
            .basic_auth(&account.account_sid, Some(&account.auth_token))
            .form(&Self::form(account, to, body, status_callback))
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(unreachable)?;
        if status.is_success() {
            let created: Created = serde_json::from_slice(&bytes)
                .map_err(|e| TwilioError::Unreachable(format!("{status}: {e}")))?;
            if !created.sid.starts_with("SM") && !created.sid.starts_with("MM") {
                return Err(TwilioError::Unreachable("no message SID".into()));
            }
            return Ok(Queued {
                sid: created.sid,
                status: created.status,
            });
        }
        match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(error) => Err(TwilioError::Refused {
                status: status.as_u16(),
                code: error.code,
                message: error.message,
            }),
            Err(_) => Err(TwilioError::Unreachable(format!(
                "{status} without an error object"
            ))),
        }
    }
}

/// Where a status falls in a message's life, so a status callback only moves it forward
/// (Twilio's callbacks may arrive out of order: "Outbound Message Status in Status
/// Callbacks", <https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks>).
/// `None`: not a status of an outbound message.
pub fn status_rank(status: &str) -> Option<u8> {
    Some(match status {
        "accepted" | "scheduled" => 0,
        "queued" => 1,
        "sending" => 2,
        "sent" => 3,
        "delivered" | "undelivered" | "failed" | "canceled" => 4,
        "read" => 5,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(service: bool) -> Account {
        Account {
            account_sid: format!("AC{}", "0".repeat(32)),
            auth_token: "secret".into(),
            from_number: Some("+15005550006".into()),
            messaging_service_sid: service.then(|| format!("MG{}", "1".repeat(32))),
        }
    }

    #[test]
    fn the_form_names_the_documented_parameters() {
        let form = TwilioClient::form(&account(false), "+56987654321", "Hola", "https://x/cb");
        let names: Vec<&str> = form.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["To", "From", "Body", "StatusCallback"]);
        let form = TwilioClient::form(&account(true), "+56987654321", "Hola", "https://x/cb");
        assert_eq!(form[1].0, "MessagingServiceSid");
        let long = "a".repeat(2000);
        let form = TwilioClient::form(&account(false), "+56987654321", &long, "https://x/cb");
        assert_eq!(form[2].1.chars().count(), MAX_BODY_CHARS);
    }

    #[test]
    fn statuses_only_move_forward() {
        let order = ["queued", "sending", "sent", "delivered", "read"];
        for pair in order.windows(2) {
            assert!(status_rank(pair[0]) < status_rank(pair[1]), "{pair:?}");
        }
        assert_eq!(status_rank("delivered"), status_rank("failed"));
        assert_eq!(status_rank("received"), None);
        assert!(
            TwilioError::Refused {
                status: 429,
                code: 20_429,
                message: String::new()
            }
            .may_pass_later()
        );
        assert!(
            !TwilioError::Refused {
                status: 400,
                code: UNSUBSCRIBED_RECIPIENT,
                message: String::new()
            }
            .may_pass_later()
        );
    }
}
