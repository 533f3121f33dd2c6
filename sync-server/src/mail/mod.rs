//! Email: one [`Mailer`] boundary over the transports an operator may configure (SMTP
//! through `lettre`, SendGrid's v3 HTTP API), the durable outbox that every mail goes
//! through ([`outbox`]), the words of each mail ([`templates`]) and SendGrid's signed
//! event webhook ([`sendgrid::verify_events`]).
//!
//! Nothing configured is a normal state: mails wait in the outbox (and the dashboard says
//! email is not configured) instead of being dropped.

pub mod outbox;
pub mod sendgrid;
pub mod templates;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use uuid::Uuid;

/// One mail handed to a transport.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// The outbox row: SMTP's `Message-ID` and SendGrid's `custom_args.outbox_id`, so a
    /// provider's events and a receiving server can tie a copy to its row.
    pub id: Uuid,
    /// The recipient.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text part.
    pub text: String,
    /// HTML part.
    pub html: String,
    /// The one-click opt-out address: sent as `List-Unsubscribe` with
    /// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
    pub list_unsubscribe: Option<String>,
}

/// Why a transport did not take a mail; decides what the outbox does next.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Not accepted, and trying again later may work (connection refused, 4xx SMTP
    /// reply, HTTP 429 or 5xx): retried with back-off.
    #[error("temporary: {0}")]
    Transient(String),
    /// Refused for good (bad address, bad key, 4xx HTTP): not retried.
    #[error("permanent: {0}")]
    Permanent(String),
    /// The request went out and no answer came back: the mail may have been taken.
    /// Never retried, so it is never sent twice (docs/SECURITY.md, "Email").
    #[error("unknown outcome: {0}")]
    Uncertain(String),
}

/// What a transport said when it took a mail.
#[derive(Clone, Debug, Default)]
pub struct Accepted {
    /// The provider's id for it (SendGrid's `X-Message-Id`), if it gave one.
    pub provider_id: Option<String>,
}

/// The configured mail transport; built once from the settings.
pub enum Mailer {
    /// No transport configured: mails stay in the outbox.
    Unconfigured,
    /// An SMTP relay.
    Smtp {
        /// The connection pool to the relay.
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// The sender.
        from: Mailbox,
    },
    /// SendGrid's v3 Mail Send API.
    SendGrid(sendgrid::SendGrid),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why the mail settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    /// `mail_transport` is not `""`, `smtp` or `sendgrid`.
    #[error("mail_transport must be empty, \"smtp\" or \"sendgrid\", got {0:?}")]
    Transport(String),
    /// `mail_from` is not an address.
    #[error("mail_from is not a mailbox (\"Name <address>\"): {0}")]
    From(String),
    /// `smtp_url` cannot be used.
    #[error("smtp_url: {0}")]
    SmtpUrl(String),
    /// SendGrid needs an API key.
    #[error("sendgrid_api_key is empty")]
    SendGridKey,
    /// The webhook's public key is not base64 DER of a P-256 key.
    #[error("sendgrid_webhook_public_key: {0}")]
    WebhookKey(String),
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Http(String),
}

/// The mail part of the settings, borrowed (`Settings::mail`): mail reads these and
/// nothing else of the configuration.
#[derive(Clone, Copy, Debug)]
pub struct MailSettings<'a> {
    /// `""`/`none`, `smtp` or `sendgrid`.
    pub mail_transport: &'a str,
    /// The sender, `Name <address>`.
    pub mail_from: &'a str,
    /// The SMTP relay's URL.
    pub smtp_url: &'a str,
    /// SendGrid's API base URL.
    pub sendgrid_api_url: &'a str,
    /// SendGrid's API key.
    pub sendgrid_api_key: &'a str,
    /// SendGrid's event webhook public key (empty: the webhook is off).
    pub sendgrid_webhook_public_key: &'a str,
}

impl Mailer {
    /// Checks the mail settings without building a transport: `Settings::check` runs
    /// before the async runtime exists, and lettre's connection pool needs one (building
    /// it there panicked at start).
    pub fn check(settings: &MailSettings<'_>) -> Result<(), MailConfigError> {
        if !settings.sendgrid_webhook_public_key.is_empty() {
            sendgrid::WebhookKey::parse(settings.sendgrid_webhook_public_key)?;
        }
        match settings.mail_transport {
            "" | "none" => return Ok(()),
            "smtp" => {
                AsyncSmtpTransport::<Tokio1Executor>::from_url(settings.smtp_url)
                    .map_err(|e| MailConfigError::SmtpUrl(e.to_string()))?;
            }
            "sendgrid" if settings.sendgrid_api_key.is_empty() => {
                return Err(MailConfigError::SendGridKey);
            }
            "sendgrid" => {}
            other => return Err(MailConfigError::Transport(other.to_owned())),
        }
        settings
            .mail_from
            .parse::<Mailbox>()
            .map(|_| ())
            .map_err(|e| MailConfigError::From(e.to_string()))
    }

    /// The transport the settings name (checked first by [`Mailer::check`], so a bad
    /// value fails at start, not at the first mail). Call inside the async runtime.
    pub fn from_settings(settings: &MailSettings<'_>) -> Result<Mailer, MailConfigError> {
        if !settings.sendgrid_webhook_public_key.is_empty() {
            sendgrid::WebhookKey::parse(settings.sendgrid_webhook_public_key)?;
        }
        let from = || -> Result<Mailbox, MailConfigError> {
            settings
                .mail_from
                .parse()
                .map_err(|e: lettre::address::AddressError| MailConfigError::From(e.to_string()))
        };
        match settings.mail_transport {
            "" | "none" => Ok(Mailer::Unconfigured),
            "smtp" => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(settings.smtp_url)
                    .map_err(|e| MailConfigError::SmtpUrl(e.to_string()))?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build();
                Ok(Mailer::Smtp {
                    transport,
                    from: from()?,
                })
            }
            "sendgrid" => {
                if settings.sendgrid_api_key.is_empty() {
                    return Err(MailConfigError::SendGridKey);
                }
                Ok(Mailer::SendGrid(sendgrid::SendGrid::new(
                    settings.sendgrid_api_url,
                    settings.sendgrid_api_key,
                    from()?,
                )?))
            }
            other => Err(MailConfigError::Transport(other.to_owned())),
        }
    }

    /// Whether mails can leave at all.
    pub fn is_configured(&self) -> bool {
        !matches!(self, Mailer::Unconfigured)
    }

    /// The transport's name, recorded on each sent row.
    pub fn name(&self) -> &'static str {
        match self {
            Mailer::Unconfigured => "none",
            Mailer::Smtp { .. } => "smtp",
            Mailer::SendGrid(_) => "sendgrid",
        }
    }

    /// Hands one mail to the transport.
    pub async fn send(&self, mail: &Outgoing) -> Result<Accepted, SendError> {
        match self {
            Mailer::Unconfigured => Err(SendError::Transient("no mail transport".into())),
            Mailer::Smtp { transport, from } => send_smtp(transport, from, mail).await,
            Mailer::SendGrid(client) => client.send(mail).await,
        }
    }
}

async fn send_smtp(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    mail: &Outgoing,
) -> Result<Accepted, SendError> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e: lettre::address::AddressError| SendError::Permanent(e.to_string()))?;
    let domain = from.email.domain().to_owned();
    let builder = lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&mail.subject)
        // The outbox id: a copy sent again after an ambiguous network failure carries the
        // same Message-ID (see `SendError` and docs/SECURITY.md).
        .message_id(Some(format!("<{}@{domain}>", mail.id)));
    let builder = match &mail.list_unsubscribe {
        Some(url) => builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            )),
        None => builder,
    };
    let message = builder
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .map_err(|e| SendError::Permanent(e.to_string()))?;
    match transport.send(message).await {
        Ok(response) => Ok(Accepted {
            provider_id: response.message().next().map(str::to_owned),
        }),
        Err(error) if error.is_permanent() => Err(SendError::Permanent(error.to_string())),
        // A 4xx reply: the relay said no for now, so nothing was taken. Connection and
        // TLS failures are retried too: the SMTP exchange ends with the relay's reply to
        // the message, and a failure before it means, but for a cut at that very
        // instant, that the relay did not take it.
        Err(error) => Err(SendError::Transient(error.to_string())),
    }
}
