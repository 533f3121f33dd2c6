//! The assistant's own cost, without the model: server-side time per chat turn through
//! the real router (Ollama unreachable, so every turn takes the fallback path after a
//! refused connection), and the deterministic parser's time per message over the
//! evaluation set.
//!
//! `cargo bench -p dysa-appliance --bench assistant` (env `BENCH_TURNS`, default 2000).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Method, Request, header};
use dysa_appliance::assistant;
use dysa_appliance::settings::Settings;
use http_body_util::BodyExt;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const DEMO_MENU: &str = include_str!("../tests/data/demo-menu.csv");
const EXTRA_MENU: &str = include_str!("../tests/data/assistant-menu-extra.csv");
const EVAL: &str = include_str!("../tests/data/assistant-eval.jsonl");

async fn call(
    router: &axum::Router,
    method: Method,
    path: &str,
    body: Body,
    content_type: &str,
    token: Option<&str>,
) -> serde_json::Value {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "127.0.0.1:7001")
        .header(header::CONTENT_TYPE, content_type);
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let response = router
        .clone()
        .oneshot(builder.body(body).unwrap())
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    let turns: usize = std::env::var("BENCH_TURNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        data_dir: dir.path().to_path_buf(),
        ollama_url: "http://127.0.0.1:9".to_owned(),
        ..Settings::default()
    };
    let state = dysa_appliance::open(settings).await.unwrap();
    let router = dysa_appliance::router(state.clone());
    let setup = call(
        &router,
        Method::POST,
        "/api/v1/setup",
        Body::from(
            serde_json::json!({"restaurant_name": "Donde Pepe", "name": "Ana", "email": "bench@donde-pepe.cl", "password": "pastel de choclo 2026"})
                .to_string(),
        ),
        "application/json",
        None,
    )
    .await;
    let token = setup["access_token"].as_str().unwrap().to_owned();
    let extra: Vec<&str> = EXTRA_MENU.lines().skip(1).collect();
    let csv = format!("{}\n{}\n", DEMO_MENU.trim_end(), extra.join("\n"));
    call(
        &router,
        Method::POST,
        "/api/v1/menu/import",
        Body::from(csv),
        "text/csv",
        Some(&token),
    )
    .await;

    // Fallback parser per message.
    let index = assistant::load_index(&state.db).await.unwrap();
    let texts: Vec<String> = EVAL
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let mut parse_times = Vec::new();
    for _ in 0..20 {
        for text in &texts {
            let start = Instant::now();
            std::hint::black_box(assistant::understand::parse(&index, text, false));
            parse_times.push(start.elapsed());
        }
    }
    parse_times.sort();
    println!(
        "fallback parser: {} messages, p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        parse_times.len(),
        percentile(&parse_times, 0.5).as_secs_f64() * 1e6,
        percentile(&parse_times, 0.99).as_secs_f64() * 1e6,
        parse_times.last().unwrap().as_secs_f64() * 1e6,
    );

    // Whole turns through the router, one conversation at a time.
    let dialogue = [
        "quiero 2 humitas y un pisco sour catedral",
        "agrega una cazuela de vacuno",
        "quita la cazuela",
        "¿cuánto cuesta el pastel de choclo?",
        "cancela el pedido",
    ];
    let mut times = Vec::new();
    let mut conversation = String::new();
    for turn in 0..turns {
        if turn % 50 == 0 {
            let created = call(
                &router,
                Method::POST,
                "/api/v1/conversations",
                Body::from(r#"{"channel":"panel"}"#),
                "application/json",
                Some(&token),
            )
            .await;
            conversation = created["id"].as_str().unwrap().to_owned();
        }
        let text = dialogue[turn % dialogue.len()];
        let body = serde_json::json!({ "text": text }).to_string();
        let start = Instant::now();
        let reply = call(
            &router,
            Method::POST,
            &format!("/api/v1/conversations/{conversation}/messages"),
            Body::from(body),
            "application/json",
            Some(&token),
        )
        .await;
        times.push(start.elapsed());
        assert_eq!(reply["source"], "fallback");
    }
    times.sort();
    println!(
        "chat turn (HTTP, fallback, SQLite WAL+FULL): {} turns, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
    );
}
