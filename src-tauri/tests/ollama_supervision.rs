//! The Ollama supervision against a fake `ollama` executable (a shell script that records
//! how it was started) and a fake Ollama HTTP API (the documented `/api/version` and
//! `/api/tags`), started where the script was told to listen.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use dysa_desktop::ollama::{OllamaSource, ensure};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Serves a minimal Ollama API on `listener` until the test ends.
fn fake_ollama_api(listener: tokio::net::TcpListener) {
    let app = axum::Router::new()
        .route(
            "/api/version",
            axum::routing::get(|| async { axum::Json(serde_json::json!({"version": "0.13.0"})) }),
        )
        .route(
            "/api/tags",
            axum::routing::get(|| async { axum::Json(serde_json::json!({"models": []})) }),
        );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
}

/// A free loopback port (bound, then released for the fake to take).
fn free_address() -> SocketAddr {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap()
}

/// Writes a fake `ollama` that records `pid|args|OLLAMA_HOST|OLLAMA_MODELS` into
/// `record`, then stays alive like a server would.
fn fake_ollama_binary(dir: &Path, record: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("ollama");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\necho \"$$|$*|$OLLAMA_HOST|$OLLAMA_MODELS\" > '{}.tmp'\nmv '{0}.tmp' '{0}'\nexec sleep 60\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn process_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

#[tokio::test]
async fn an_ollama_already_running_is_used_and_nothing_is_started() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    fake_ollama_api(listener);
    let record = dir.path().join("started");
    let binary = fake_ollama_binary(dir.path(), &record);
    let source = ensure(
        &reqwest::Client::new(),
        &url,
        Some(&binary),
        &dir.path().join("models"),
        Duration::from_secs(5),
    )
    .await;
    assert!(matches!(source, OllamaSource::External), "{source:?}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!record.exists(), "the bundled Ollama must not start");
}

#[tokio::test]
async fn the_bundled_ollama_starts_where_configured_and_stops_on_quit() {
    let dir = tempfile::tempdir().unwrap();
    let address = free_address();
    let url = format!("http://{address}");
    let record = dir.path().join("started");
    let binary = fake_ollama_binary(dir.path(), &record);
    let models = dir.path().join("models");
    // Plays the server the script stands for: once it has started, answer at the
    // address it was given.
    let watcher = {
        let record = record.clone();
        tokio::spawn(async move {
            loop {
                if let Ok(line) = std::fs::read_to_string(&record) {
                    let host = line.trim().split('|').nth(2).unwrap().to_owned();
                    let listener = tokio::net::TcpListener::bind(&host).await.unwrap();
                    fake_ollama_api(listener);
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let source = ensure(
        &reqwest::Client::new(),
        &url,
        Some(&binary),
        &models,
        // Returns as soon as the fake answers: a long bound costs nothing when it works
        // and leaves a loaded CI machine time to start the script.
        Duration::from_secs(30),
    )
    .await;
    let OllamaSource::Sidecar(sidecar) = source else {
        panic!("expected the sidecar, got {source:?}");
    };
    watcher.await.unwrap();
    let line = std::fs::read_to_string(&record).unwrap();
    let fields: Vec<&str> = line.trim().split('|').collect();
    assert_eq!(fields[1], "serve");
    assert_eq!(fields[2], address.to_string());
    assert_eq!(fields[3], models.display().to_string());
    assert!(models.is_dir(), "the models folder is created");
    let pid: u32 = fields[0].parse().unwrap();
    assert_eq!(sidecar.id(), Some(pid));
    assert!(process_alive(pid));
    sidecar.stop(Duration::from_secs(5)).await;
    assert!(!process_alive(pid), "the bundled Ollama is stopped on quit");
}

#[tokio::test]
async fn a_bundled_ollama_that_never_answers_is_stopped_and_the_assistant_falls_back() {
    let dir = tempfile::tempdir().unwrap();
    let address = free_address();
    let record = dir.path().join("started");
    let binary = fake_ollama_binary(dir.path(), &record);
    let source = ensure(
        &reqwest::Client::new(),
        &format!("http://{address}"),
        Some(&binary),
        &dir.path().join("models"),
        // Long enough for the script to write its record before it is stopped (with
        // 800 ms a loaded machine could stop it first, and the record to read was missing).
        Duration::from_secs(5),
    )
    .await;
    assert!(
        matches!(source, OllamaSource::Unavailable { .. }),
        "{source:?}"
    );
    let line = std::fs::read_to_string(&record).unwrap();
    let pid: u32 = line.split('|').next().unwrap().parse().unwrap();
    assert!(
        !process_alive(pid),
        "a sidecar that never came up is not left behind"
    );
}

#[tokio::test]
async fn without_ollama_or_sidecar_the_assistant_falls_back() {
    let dir = tempfile::tempdir().unwrap();
    let source = ensure(
        &reqwest::Client::new(),
        &format!("http://{}", free_address()),
        None,
        &dir.path().join("models"),
        Duration::from_secs(1),
    )
    .await;
    assert!(
        matches!(source, OllamaSource::Unavailable { .. }),
        "{source:?}"
    );
}
