//! The real binary: starts on an empty data dir, serves /health, stops cleanly on SIGTERM.

#![allow(clippy::unwrap_used)]
#![cfg(unix)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn starts_on_an_empty_data_dir_and_exits_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nuevo");
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dysa-appliance"))
        .arg("--data-dir")
        .arg(&data)
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .env("DYSA_OLLAMA_URL", "http://127.0.0.1:9")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/health");
    let deadline = Instant::now() + Duration::from_secs(30);
    let health = loop {
        if let Ok(response) = client.get(&url).send().await {
            break response;
        }
        assert!(Instant::now() < deadline, "no /health within 30 s");
        assert!(child.try_wait().unwrap().is_none(), "exited early");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(health.status(), 200);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["checks"]["database"]["status"], "up");
    assert!(data.join("dysa.db").exists(), "the database was created");

    // SIGTERM: in-flight requests finish, the database closes, exit code 0.
    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "did not stop within 15 s of SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "exit {status:?}\n{stderr}");
    assert!(stderr.contains("appliance stopped cleanly"), "{stderr}");
    // A clean close checkpoints the WAL into the main file.
    let wal = data.join("dysa.db-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0,
        "WAL left behind"
    );
}

#[test]
fn setup_subcommand_creates_the_first_admin() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dysa-appliance"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "setup",
            "--restaurant-name",
            "Donde Pepe",
            "--name",
            "Ana",
            "--email",
            "ana@x.cl",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"pastel de jaiba 2026\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("ana@x.cl"));
    let again = Command::new(env!("CARGO_BIN_EXE_dysa-appliance"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "setup",
            "--restaurant-name",
            "X",
            "--name",
            "B",
            "--email",
            "b@x.cl",
        ])
        .env("DYSA_SETUP_PASSWORD", "otra clave larga")
        .output()
        .unwrap();
    assert!(!again.status.success(), "a second setup must fail");
}
