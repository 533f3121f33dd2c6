//! Configuration: built-in defaults, then a TOML file, then `DYSA_CLOUD_*` environment
//! variables (and `DATABASE_URL`), then command-line flags.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

/// The default push body limit: 500 mutations of the largest rows a counter writes (menu
/// items with every text at the appliance's maximum) measure 2,512,424 bytes, 2.4 MiB
/// (`sync-server/tests/budgets.rs`, `largest_real_batch_fits_the_push_limit`); 3 MiB
/// leaves a quarter for growth and refuses anything bigger.
pub const SYNC_MAX_BODY_BYTES: usize = 3 * 1024 * 1024;

/// Everything the cloud service reads at start.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address the HTTP server listens on.
    pub listen: SocketAddr,
    /// The owner connection: migrations run with it and it creates the service role.
    /// Also read from `DATABASE_URL`.
    pub database_url: String,
    /// The restricted role the service serves through (owns nothing, cannot bypass RLS).
    pub service_role: String,
    /// The service role's password; empty keeps the role's current password (enough
    /// where Postgres trusts local connections).
    pub service_password: String,
    /// Largest number of pooled connections of the service role.
    pub max_connections: u32,
    /// Public base URL of the dashboard, used in sign-up answers.
    pub public_url: String,
    /// Optional secret (32+ bytes) the website's form tokens are derived from, so every
    /// instance accepts every other's forms. Empty: a random key per process. Access
    /// tokens no longer use it: they are signed by the rotated keys every instance
    /// shares in the database (`signing_key_rotate_hours`).
    pub jwt_secret: String,
    /// How long each access-token signing key signs before the next takes over, in hours
    /// (at least 1). Old keys still verify until their last token has expired.
    pub signing_key_rotate_hours: u64,
    /// Origins (scheme://host:port) allowed by CORS. Empty: CORS closed.
    pub cors_origins: Vec<String>,
    /// `json` (default) or `pretty`.
    pub log_format: LogFormat,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Time after which a request is abandoned with 408, in seconds.
    pub request_timeout_secs: u64,
    /// How many failed logins within the window lock an account or a client.
    pub login_max_failures: u32,
    /// The lockout window, in seconds; also the first lock's length.
    pub login_window_secs: u64,
    /// The longest lock of an account (each further lock doubles), in seconds.
    pub login_lock_max_secs: u64,
    /// Password hashes allowed to run at once (each takes ~19 MiB); 0 sizes it from the
    /// memory available at start (one per 64 MiB, 2 to 16).
    pub hash_permits: usize,
    /// Longest wait for a hashing permit before answering 503 with `Retry-After`, in ms.
    pub hash_wait_ms: u64,
    /// Every `/auth/*` route: burst allowed per client address.
    pub auth_rate_burst: u32,
    /// Every `/auth/*` route: one more request allowed per this many ms, per client.
    pub auth_rate_period_ms: u64,
    /// How far ahead of the cloud's clock a device's stamp may be and still be followed
    /// by its tenant's clock, in seconds; a change stamped further ahead (up to a day) is
    /// applied with the cloud's own stamp and answered `adjusted`, reason `clock_skew`.
    pub sync_max_clock_skew_secs: u64,
    /// Sign-up and demo requests, and (a separate budget) device enrolment: one more
    /// allowed per this many seconds, per client.
    pub public_rate_period_secs: u64,
    /// Sign-up and demo requests, and (a separate budget) device enrolment: burst allowed
    /// per client.
    pub public_rate_burst: u32,
    /// Proxies (addresses or CIDR blocks, e.g. `10.0.0.0/8`) whose `X-Forwarded-For`
    /// entries are believed: the client is the right-most entry that is not one of them.
    /// Empty: the peer address is the client (no proxy in front).
    pub trusted_proxies: Vec<String>,
    /// CORS preflights of the widget API: burst allowed per client.
    pub preflight_rate_burst: u32,
    /// CORS preflights: one more allowed per this many milliseconds, per client.
    pub preflight_rate_period_ms: u64,
    /// Largest accepted sync push body, in bytes: a batch of 500 of the largest real rows
    /// fits (docs/SYNC.md, "Limits"), a 15 MiB field does not.
    pub sync_max_body_bytes: usize,
    /// Pushes one device may have in flight at once.
    pub device_max_pushes: usize,
    /// Live streams one device may hold open at once.
    pub device_max_streams: usize,
    /// Days the cloud keeps push answers, widget request records and status tokens.
    pub retention_days: u32,
    /// A live stream ends after this many seconds and the device reconnects, which checks
    /// its token again (a revoked device stops hearing notices within this time).
    pub live_stream_max_secs: u64,
    /// How long a widget chat waits for the restaurant's appliance to answer before the
    /// cloud answers itself, in milliseconds.
    pub chat_relay_timeout_ms: u64,
    /// The diners' widget API (`/public/{slug}/…`): burst allowed per client (its own
    /// budget; a page load asks for the widget and the menu, an order a few more).
    pub widget_rate_burst: u32,
    /// The diners' widget API: one more request allowed per this many milliseconds, per
    /// client.
    pub widget_rate_period_ms: u64,
    /// Bearer token that lets a non-loopback client read `/metrics` (`DYSA_METRICS_TOKEN`,
    /// as on the appliance). Empty: only this machine reads them, and not through a proxy.
    pub metrics_token: String,
    /// How mail leaves: empty (mails wait in the outbox and the dashboard says email is
    /// not configured), `smtp` or `sendgrid`.
    pub mail_transport: String,
    /// The sender of every mail, `Name <address>`.
    pub mail_from: String,
    /// The SMTP relay for `mail_transport = "smtp"`: `smtps://user:pass@host:465`, or
    /// `smtp://user:pass@host:587?tls=required` for STARTTLS (plain `smtp://` only for a
    /// relay on this machine).
    pub smtp_url: String,
    /// SendGrid's API key for `mail_transport = "sendgrid"` (`DYSA_CLOUD_SENDGRID_API_KEY`).
    pub sendgrid_api_key: String,
    /// SendGrid's API base URL (tests point it at their fake).
    pub sendgrid_api_url: String,
    /// The Event Webhook's verification key from SendGrid's Mail Settings (base64 DER of
    /// a P-256 public key). Empty: every webhook post is refused with 401.
    pub sendgrid_webhook_public_key: String,
    /// How often the outbox worker looks for due mails, in seconds (it also wakes when
    /// a mail is queued); 0 starts no worker.
    pub mail_poll_secs: u64,
    /// The Graph API's base URL with its version, for WhatsApp's `messages` endpoint
    /// (`DYSA_CLOUD_WHATSAPP_GRAPH_URL`; tests point it at their fake).
    pub whatsapp_graph_url: String,
    /// How often the WhatsApp outbox worker looks for due messages, in seconds (it also
    /// wakes after a push, and replies are sent as soon as they are queued); 0 starts no
    /// worker.
    pub whatsapp_poll_secs: u64,
    /// Twilio's API base URL (`DYSA_CLOUD_TWILIO_API_URL`; tests point it at their fake).
    pub twilio_api_url: String,
    /// How often the SMS outbox worker looks for due messages, in seconds (it also wakes
    /// when one is queued); 0 starts no worker.
    pub sms_poll_secs: u64,
    /// Mercado Pago's API base URL (tests point it at their fake).
    pub mercado_pago_api_url: String,
    /// The key that seals the tenants' payment credentials at rest: base64 of 32 random
    /// bytes (`DYSA_CLOUD_CREDENTIALS_KEY`; `openssl rand -base64 32`). Empty: owners
    /// cannot link a Mercado Pago account and the widget offers no online payment.
    pub credentials_key: String,
    /// The master key that seals each tenant's data key, which seals the customers' and
    /// diners' phone, email, RUT and notes at rest: base64 of 32 random bytes
    /// (`DYSA_CLOUD_DATA_KEY`), different from `credentials_key`. Empty: read from
    /// `data_key_file`; with neither, only a cloud whose `public_url` is this machine starts
    /// (with a generated development key, see [`crate::pii::DEV_KEY_FILE`]).
    pub data_key: String,
    /// A file holding `data_key` (`DYSA_CLOUD_DATA_KEY_FILE`; mode 0600, e.g. a systemd
    /// credential).
    pub data_key_file: String,
    /// The master key being rotated away from (`DYSA_CLOUD_DATA_KEY_PREVIOUS`): tenant
    /// keys it sealed are re-sealed under `data_key` when first used.
    pub data_key_previous: String,
    /// How old a Mercado Pago notification's signed timestamp may be, in seconds, before
    /// it is refused (a captured notification is not good forever); 0: no limit.
    pub mercado_pago_signature_max_age_secs: i64,
    /// The platform's own Mercado Pago access token, which subscribes restaurants to
    /// their plan (`DYSA_CLOUD_BILLING_ACCESS_TOKEN`). Empty: `/checkout/payment` answers
    /// that billing is not configured and no tenant is ever gated.
    pub billing_access_token: String,
    /// The secret signature of the platform application's webhooks
    /// (`DYSA_CLOUD_BILLING_WEBHOOK_SECRET`): subscription notifications must verify with
    /// it. Empty: every subscription notification is refused with 401.
    pub billing_webhook_secret: String,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("service_role", &self.service_role)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

/// How log lines are written (shared with the other server).
pub use dysa_web::telemetry::LogFormat;

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8005)),
            database_url: "postgres://postgres@127.0.0.1:5432/dysa".to_owned(),
            service_role: "dysa_service".to_owned(),
            service_password: String::new(),
            max_connections: 16,
            public_url: "http://127.0.0.1:8005".to_owned(),
            jwt_secret: String::new(),
            signing_key_rotate_hours: 24,
            cors_origins: Vec::new(),
            log_format: LogFormat::Json,
            max_body_bytes: 1024 * 1024,
            request_timeout_secs: 30,
            login_max_failures: 5,
            login_window_secs: 15 * 60,
            login_lock_max_secs: 24 * 60 * 60,
            hash_permits: 0,
            hash_wait_ms: 2_000,
            auth_rate_burst: 30,
            auth_rate_period_ms: 1_000,
            sync_max_clock_skew_secs: 300,
            public_rate_period_secs: 6,
            public_rate_burst: 10,
            trusted_proxies: Vec::new(),
            preflight_rate_burst: 30,
            preflight_rate_period_ms: 1000,
            sync_max_body_bytes: SYNC_MAX_BODY_BYTES,
            device_max_pushes: 2,
            device_max_streams: 2,
            retention_days: 30,
            live_stream_max_secs: 300,
            chat_relay_timeout_ms: 12_000,
            widget_rate_burst: 60,
            widget_rate_period_ms: 500,
            metrics_token: String::new(),
            mail_transport: String::new(),
            mail_from: "ChatBotDysa <no-reply@chatbotdysa.cl>".to_owned(),
            smtp_url: String::new(),
            sendgrid_api_key: String::new(),
            sendgrid_api_url: "https://api.sendgrid.com".to_owned(),
            sendgrid_webhook_public_key: String::new(),
            mercado_pago_api_url: "https://api.mercadopago.com".to_owned(),
            credentials_key: String::new(),
            data_key: String::new(),
            data_key_file: String::new(),
            data_key_previous: String::new(),
            mercado_pago_signature_max_age_secs: 600,
            billing_access_token: String::new(),
            billing_webhook_secret: String::new(),
            mail_poll_secs: 15,
            whatsapp_graph_url: "https://graph.facebook.com/v21.0".to_owned(),
            whatsapp_poll_secs: 15,
            twilio_api_url: "https://api.twilio.com".to_owned(),
            sms_poll_secs: 15,
        }
    }
}

/// Values given on the command line; they win over every other layer.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Overrides {
    /// `--listen`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
}

/// Why the settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A layer could not be read or has a bad value.
    #[error("invalid configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    /// The service role name is not a plain identifier.
    #[error("service_role must be lowercase letters, digits and _ (at most 63), got {0:?}")]
    RoleName(String),
    /// An entry of `trusted_proxies` is not an address or CIDR block.
    #[error("trusted_proxies: {0}")]
    TrustedProxy(#[from] crate::limits::BadCidr),
    /// The mail settings cannot be used.
    #[error("mail: {0}")]
    Mail(#[from] crate::mail::MailConfigError),
    /// `credentials_key` is set but is not 32 bytes of base64.
    #[error("{0}")]
    CredentialsKey(#[from] crate::mercado_pago::seal::BadKey),
    /// `data_key` or `data_key_previous` is set but is not 32 bytes of base64.
    #[error("{0}")]
    DataKey(#[from] crate::pii::KeyError),
}

impl Settings {
    /// Loads the layers. The TOML file is `config_file` when given, else `dysa-cloud.toml`
    /// in the working directory if it exists.
    pub fn load(config_file: Option<&Path>, overrides: &Overrides) -> Result<Self, SettingsError> {
        let file = config_file.unwrap_or(Path::new("dysa-cloud.toml"));
        let settings: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(file))
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database_url".into()),
            )
            .merge(
                Env::raw()
                    .only(&["DYSA_METRICS_TOKEN"])
                    .map(|_| "metrics_token".into()),
            )
            // Variables of the command line, not settings: the config file's path and the
            // password `create-platform-admin` reads.
            .merge(Env::prefixed("DYSA_CLOUD_").ignore(&["config", "admin_password"]))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)?;
        settings.check()?;
        Ok(settings)
    }

    /// Checks values no type can express.
    pub fn check(&self) -> Result<(), SettingsError> {
        let role = &self.service_role;
        let ok = !role.is_empty()
            && role.len() <= 63
            && role.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && role
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            return Err(SettingsError::RoleName(role.clone()));
        }
        crate::limits::TrustedProxies::parse(&self.trusted_proxies)?;
        crate::mail::Mailer::check(&self.mail())?;
        if !self.credentials_key.is_empty() {
            crate::mercado_pago::seal::CredentialsKey::parse(&self.credentials_key)?;
        }
        for key in [&self.data_key, &self.data_key_previous] {
            if !key.is_empty() {
                crate::pii::MasterKey::parse(key)?;
            }
        }
        Ok(())
    }

    /// The mail part of these settings.
    pub fn mail(&self) -> crate::mail::MailSettings<'_> {
        crate::mail::MailSettings {
            mail_transport: &self.mail_transport,
            mail_from: &self.mail_from,
            smtp_url: &self.smtp_url,
            sendgrid_api_url: &self.sendgrid_api_url,
            sendgrid_api_key: &self.sendgrid_api_key,
            sendgrid_webhook_public_key: &self.sendgrid_webhook_public_key,
        }
    }

    /// The budgets' configuration (see [`crate::limits`]). Call after [`Settings::check`]:
    /// an unparsable proxy entry is skipped here.
    pub fn limits(&self) -> crate::limits::LimitsConfig {
        let proxies = self
            .trusted_proxies
            .iter()
            .filter_map(|entry| entry.parse().ok())
            .collect();
        crate::limits::LimitsConfig {
            proxies: crate::limits::TrustedProxies::new(proxies),
            preflight_burst: self.preflight_rate_burst,
            preflight_period_ms: self.preflight_rate_period_ms,
            max_pushes: self.device_max_pushes,
            max_streams: self.device_max_streams,
        }
    }

    /// The password hasher's limits (see `dysa_web::password`).
    pub fn hashing(&self) -> dysa_web::password::HashingConfig {
        dysa_web::password::HashingConfig::from_memory(
            self.hash_permits,
            Duration::from_millis(self.hash_wait_ms),
        )
    }

    /// The request timeout as a [`Duration`].
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// How long each signing key signs (`signing_key_rotate_hours`, at least an hour).
    pub fn signing_key_period(&self) -> chrono::Duration {
        let hours = i64::try_from(self.signing_key_rotate_hours.max(1)).unwrap_or(i64::MAX / 3600);
        chrono::Duration::hours(hours.min(24 * 365))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_settings_are_checked_outside_any_runtime() {
        // `main` loads the settings before it starts tokio: checking an SMTP setting must
        // not build lettre's pool (which needs a runtime and panicked there).
        let smtp = Settings {
            mail_transport: "smtp".into(),
            smtp_url: "smtps://user:pass@smtp.example.com:465".into(),
            ..Settings::default()
        };
        assert!(smtp.check().is_ok());
        let typo = Settings {
            mail_transport: "smpt".into(),
            ..Settings::default()
        };
        assert!(matches!(typo.check(), Err(SettingsError::Mail(_))));
        let keyless = Settings {
            mail_transport: "sendgrid".into(),
            ..Settings::default()
        };
        assert!(matches!(keyless.check(), Err(SettingsError::Mail(_))));
        let bad_key = Settings {
            sendgrid_webhook_public_key: "not a key".into(),
            ..Settings::default()
        };
        assert!(matches!(bad_key.check(), Err(SettingsError::Mail(_))));
    }
}
