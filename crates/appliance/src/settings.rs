//! Configuration: built-in defaults, then a TOML file, then `DYSA_*` environment
//! variables, then command-line flags (each layer overrides the one before).

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Everything the appliance reads at start.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address the HTTP server listens on. Loopback by default: tablets on the LAN need
    /// `0.0.0.0:7001` and the machine's LAN name in `allowed_hosts`.
    pub listen: SocketAddr,
    /// Where the database, backups and secrets live.
    pub data_dir: PathBuf,
    /// Extra `Host` names accepted besides IP literals and `localhost` (DNS-rebinding guard).
    pub allowed_hosts: Vec<String>,
    /// Extra origins (scheme://host:port) allowed to make cookie-authenticated writes.
    pub allowed_origins: Vec<String>,
    /// `json` (default, one JSON object per line) or `pretty` for a terminal.
    pub log_format: LogFormat,
    /// Base URL of the local Ollama server.
    pub ollama_url: String,
    /// Model the assistant uses.
    pub ollama_model: String,
    /// Longest wait for one model call (and between streamed pieces), in milliseconds;
    /// slower answers fall back to the deterministic parser.
    pub ollama_timeout_ms: u64,
    /// How long Ollama keeps the model loaded after a call, in minutes (a cold reload on
    /// a CPU costs tens of seconds; the default covers a service day).
    pub ollama_keep_alive_minutes: u64,
    /// Longest a diner's turn may take with the model, understanding and reply together,
    /// in milliseconds (well under `request_timeout_secs`): past it the turn answers with
    /// the deterministic path, so the diner always gets a stored reply.
    pub assistant_turn_deadline_ms: u64,
    /// The same deadline for a widget chat relayed by the cloud, in milliseconds: the
    /// cloud waits `chat_relay_timeout_ms` (12 s) for the reply before answering itself,
    /// so a relayed turn must end well before that.
    pub assistant_relay_deadline_ms: u64,
    /// How many turns may wait for the model while one has it (Ollama serves one at a
    /// time on a counter PC); a turn over the bound is answered at once without the model.
    pub assistant_queue_max: usize,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Time after which a request is abandoned with 408, in seconds.
    pub request_timeout_secs: u64,
    /// How many failed logins within the window lock an account or a client.
    pub login_max_failures: u32,
    /// The lockout window, in seconds; also the first lock's length.
    pub login_window_secs: u64,
    /// Whether the PIN pad's list of staff (`/auth/pin-users`) answers from the LAN only
    /// to a browser that signed in here once (the counter itself always gets it). Off, any
    /// device on the network gets the names and roles.
    pub pin_users_known_devices_only: bool,
    /// The longest lock of an account (each further lock doubles), in seconds.
    pub login_lock_max_secs: u64,
    /// Password/PIN hashes allowed to run at once (each takes ~19 MiB); 0 sizes it from
    /// the memory available at start (one per 64 MiB, 2 to 16).
    pub hash_permits: usize,
    /// Longest wait for a hashing permit before answering 503 with `Retry-After`, in ms.
    pub hash_wait_ms: u64,
    /// Every `/auth/*` route: burst allowed per client address.
    pub auth_rate_burst: u32,
    /// Every `/auth/*` route: one more request allowed per this many ms, per client.
    pub auth_rate_period_ms: u64,
    /// Hours between scheduled backups of the database (0 turns them off; a backup is
    /// still taken before every migration and on demand).
    pub backup_interval_hours: u64,
    /// Days a backup is kept in `<data_dir>/backups/` (the newest is always kept).
    pub backup_retention_days: u64,
    /// Bearer token that lets a non-loopback client read `/metrics` (`DYSA_METRICS_TOKEN`).
    /// Empty: only this machine reads them.
    pub metrics_token: String,
    /// Bsale's API, where boletas are issued when the restaurant turns them on
    /// (`fiscal_documents_enabled`); the tests point it at a fake.
    pub bsale_api_url: String,
    /// Longest wait for one answer of the fiscal provider, ms; a time-out leaves the
    /// document queued and looked up before the next try.
    pub fiscal_timeout_ms: u64,
    /// Seconds between tries of a fiscal queue the provider could not take.
    pub fiscal_retry_secs: u64,
}

/// How log lines are written (shared with the other server).
pub use dysa_web::telemetry::LogFormat;

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 7001)),
            data_dir: default_data_dir(),
            allowed_hosts: Vec::new(),
            allowed_origins: Vec::new(),
            log_format: LogFormat::Json,
            ollama_url: "http://127.0.0.1:11434".to_owned(),
            ollama_model: "llama3.2:3b".to_owned(),
            ollama_timeout_ms: 20_000,
            ollama_keep_alive_minutes: 720,
            assistant_turn_deadline_ms: 12_000,
            assistant_relay_deadline_ms: 8_000,
            assistant_queue_max: 4,
            max_body_bytes: 2 * 1024 * 1024,
            request_timeout_secs: 30,
            login_max_failures: 5,
            login_window_secs: 15 * 60,
            pin_users_known_devices_only: true,
            login_lock_max_secs: 24 * 60 * 60,
            hash_permits: 0,
            hash_wait_ms: 2_000,
            auth_rate_burst: 30,
            auth_rate_period_ms: 500,
            backup_interval_hours: 6,
            backup_retention_days: 30,
            metrics_token: String::new(),
            bsale_api_url: crate::fiscal::bsale::DEFAULT_URL.to_owned(),
            fiscal_timeout_ms: 15_000,
            fiscal_retry_secs: 60,
        }
    }
}

/// The OS data directory for the app (`~/.local/share/chatbotdysa` on Linux,
/// `%APPDATA%\Dysa\ChatBotDysa\data` on Windows), or `./data` when the OS has none.
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("cl", "Dysa", "ChatBotDysa")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("data"))
}

/// Values given on the command line; they win over every other layer.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Overrides {
    /// `--listen`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    /// `--data-dir`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
}

/// The settings `DYSA_*` variables may set. Listing them keeps variables meant for other
/// programs (`DYSA_CLOUD_*` for the cloud service) from tripping the unknown-key check.
const ENV_KEYS: &[&str] = &[
    "listen",
    "data_dir",
    "allowed_hosts",
    "allowed_origins",
    "log_format",
    "ollama_url",
    "ollama_model",
    "ollama_timeout_ms",
    "ollama_keep_alive_minutes",
    "assistant_turn_deadline_ms",
    "assistant_relay_deadline_ms",
    "assistant_queue_max",
    "max_body_bytes",
    "request_timeout_secs",
    "login_max_failures",
    "login_window_secs",
    "login_lock_max_secs",
    "hash_permits",
    "hash_wait_ms",
    "auth_rate_burst",
    "auth_rate_period_ms",
    "pin_users_known_devices_only",
    "backup_interval_hours",
    "backup_retention_days",
    "metrics_token",
    "bsale_api_url",
    "fiscal_timeout_ms",
    "fiscal_retry_secs",
];

/// Why the settings could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct SettingsError(#[from] Box<figment::Error>);

impl Settings {
    /// Loads the layers. The TOML file is `config_file` when given, else
    /// `config.toml` in the data directory if it exists.
    pub fn load(config_file: Option<&Path>, overrides: &Overrides) -> Result<Self, SettingsError> {
        // The data dir decides where the default config file is, so resolve it first
        // from the layers that can set it without a file.
        let early: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Env::prefixed("DYSA_").only(&["data_dir"]))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)?;
        let file = config_file
            .map(Path::to_path_buf)
            .unwrap_or_else(|| early.data_dir.join("config.toml"));
        Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("DYSA_").only(ENV_KEYS))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(|e| SettingsError(Box::new(e)))
    }

    /// The assistant's turn deadline, kept at least 3 s under the request timeout so a
    /// turn always ends (and is stored) before its request is abandoned.
    pub fn assistant_turn_deadline(&self) -> Duration {
        let request = self
            .request_timeout()
            .saturating_sub(Duration::from_secs(3))
            .max(Duration::from_secs(1));
        Duration::from_millis(self.assistant_turn_deadline_ms.max(1)).min(request)
    }

    /// The deadline of a relayed widget turn: the shorter of the two.
    pub fn assistant_relay_deadline(&self) -> Duration {
        self.assistant_turn_deadline().min(Duration::from_millis(
            self.assistant_relay_deadline_ms.max(1),
        ))
    }

    /// The request timeout as a [`Duration`].
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// The password hasher's limits (see `dysa_web::password`).
    pub fn hashing(&self) -> dysa_web::password::HashingConfig {
        dysa_web::password::HashingConfig::from_memory(
            self.hash_permits,
            Duration::from_millis(self.hash_wait_ms),
        )
    }

    /// Path of the SQLite database file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("dysa.db")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_turn_ends_before_its_request_and_a_relayed_one_before_the_cloud_gives_up() {
        let mut settings = Settings::default();
        assert_eq!(settings.assistant_turn_deadline(), Duration::from_secs(12));
        assert_eq!(settings.assistant_relay_deadline(), Duration::from_secs(8));
        settings.assistant_turn_deadline_ms = 60_000;
        assert_eq!(settings.assistant_turn_deadline(), Duration::from_secs(27));
        settings.request_timeout_secs = 2;
        assert_eq!(settings.assistant_turn_deadline(), Duration::from_secs(1));
        assert_eq!(settings.assistant_relay_deadline(), Duration::from_secs(1));
    }
}
