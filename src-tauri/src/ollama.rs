//! The local Ollama: use one already running, else start the bundled one (the installer
//! ships it next to the app as a sidecar) and stop it on quit, else run without it (the
//! assistant falls back to its deterministic parser and the panel shows Ollama down).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// How the assistant reaches a model server.
#[derive(Debug)]
pub enum OllamaSource {
    /// An Ollama was already answering at the configured address (installed by the
    /// restaurant or another app): it is theirs, left running on quit.
    External,
    /// The bundled Ollama, started by us; stopped with [`Sidecar::stop`].
    Sidecar(Sidecar),
    /// No Ollama: the assistant uses its deterministic fallback.
    Unavailable {
        /// Why, for the log.
        reason: String,
    },
}

/// The bundled `ollama serve` we started.
#[derive(Debug)]
pub struct Sidecar {
    child: Child,
}

impl Sidecar {
    /// The process id (for tests and the log).
    pub fn id(&self) -> Option<u32> {
        self.child.id()
    }

    /// Asks Ollama to stop (SIGTERM: it unloads models and exits), waits up to `grace`,
    /// then kills it.
    pub async fn stop(mut self, grace: Duration) {
        #[cfg(unix)]
        if let Some(pid) = self.child.id() {
            // std has no SIGTERM and this workspace forbids `unsafe`: `kill` does it.
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(pid.to_string())
                .status()
                .await;
        }
        match tokio::time::timeout(grace, self.child.wait()).await {
            Ok(_) => tracing::info!("bundled Ollama stopped"),
            Err(_) => {
                tracing::warn!("bundled Ollama did not stop in time; killing it");
                let _ = self.child.kill().await;
            }
        }
    }
}

/// Where the bundled binary is: next to the app's executable, where the bundler puts
/// `externalBin` entries (without the target triple).
pub fn sidecar_path() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let name = if cfg!(windows) {
        "ollama.exe"
    } else {
        "ollama"
    };
    let path = exe.parent()?.join(name);
    path.is_file().then_some(path)
}

/// Whether an Ollama answers at `base_url` (its `/api/version`).
pub async fn answers(http: &reqwest::Client, base_url: &str) -> bool {
    let url = format!("{}/api/version", base_url.trim_end_matches('/'));
    matches!(
        http.get(url).timeout(Duration::from_secs(2)).send().await,
        Ok(response) if response.status().is_success()
    )
}

/// The `host:port` a sidecar must listen on for `base_url` to reach it (Ollama's
/// `OLLAMA_HOST`), or `None` when the URL does not name a local address we could serve.
pub fn listen_address(base_url: &str) -> Option<SocketAddr> {
    let url = reqwest::Url::parse(base_url).ok()?;
    let port = url.port_or_known_default()?;
    let host = match url.host()? {
        url::Host::Ipv4(ip) => std::net::IpAddr::V4(ip),
        url::Host::Ipv6(ip) => std::net::IpAddr::V6(ip),
        url::Host::Domain(name) if name.eq_ignore_ascii_case("localhost") => {
            std::net::IpAddr::from([127, 0, 0, 1])
        }
        url::Host::Domain(_) => return None,
    };
    host.is_loopback().then_some(SocketAddr::new(host, port))
}

/// Decides and, when needed, starts the model server: an Ollama answering at `base_url`
/// wins; else `sidecar` (if given) is started as `ollama serve` listening there with its
/// models in `models_dir`, and waited for up to `ready_within`; else none.
pub async fn ensure(
    http: &reqwest::Client,
    base_url: &str,
    sidecar: Option<&Path>,
    models_dir: &Path,
    ready_within: Duration,
) -> OllamaSource {
    if answers(http, base_url).await {
        tracing::info!(url = base_url, "using the Ollama already running");
        return OllamaSource::External;
    }
    let Some(binary) = sidecar else {
        return OllamaSource::Unavailable {
            reason: "no Ollama answers and none is bundled".to_owned(),
        };
    };
    let Some(listen) = listen_address(base_url) else {
        return OllamaSource::Unavailable {
            reason: format!("{base_url} is not a local address the bundled Ollama can serve"),
        };
    };
    if let Err(error) = std::fs::create_dir_all(models_dir) {
        return OllamaSource::Unavailable {
            reason: format!("models folder {}: {error}", models_dir.display()),
        };
    }
    let spawned = Command::new(binary)
        .arg("serve")
        .env("OLLAMA_HOST", listen.to_string())
        .env("OLLAMA_MODELS", models_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Should we die without stopping it, it must not outlive us.
        .kill_on_drop(true)
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) => {
            return OllamaSource::Unavailable {
                reason: format!("cannot start {}: {error}", binary.display()),
            };
        }
    };
    let deadline = tokio::time::Instant::now() + ready_within;
    loop {
        if answers(http, base_url).await {
            tracing::info!(%listen, pid = child.id(), "bundled Ollama started");
            return OllamaSource::Sidecar(Sidecar { child });
        }
        if let Ok(Some(status)) = child.try_wait() {
            return OllamaSource::Unavailable {
                reason: format!("bundled Ollama exited at start ({status})"),
            };
        }
        if tokio::time::Instant::now() >= deadline {
            let sidecar = Sidecar { child };
            sidecar.stop(Duration::from_secs(2)).await;
            return OllamaSource::Unavailable {
                reason: format!("bundled Ollama did not answer within {ready_within:?}"),
            };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_sidecar_listens_where_the_settings_point() {
        assert_eq!(
            listen_address("http://127.0.0.1:11434"),
            Some("127.0.0.1:11434".parse().unwrap())
        );
        assert_eq!(
            listen_address("http://localhost:9999/"),
            Some("127.0.0.1:9999".parse().unwrap())
        );
        assert_eq!(
            listen_address("http://[::1]:80"),
            Some("[::1]:80".parse().unwrap())
        );
        assert_eq!(listen_address("http://ollama.lan:11434"), None);
        assert_eq!(listen_address("http://192.168.1.20:11434"), None);
        assert_eq!(listen_address("not a url"), None);
    }
}
