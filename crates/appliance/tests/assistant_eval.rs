//! The deterministic parser and grounding measured on `data/assistant-eval.jsonl`:
//! realistic Spanish and English diner messages against the demo menu (plus a few
//! sandwiches and a Coca-Cola for Chilean fast-food usage), each with its expected
//! intent and items. Prints intent and item/quantity accuracy; fails under 90% item-level
//! accuracy. `cargo test -p dysa-appliance --test assistant_eval -- --nocapture`

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;
use dysa_appliance::assistant::{self, understand};
use serde_json::Value;

const DEMO_MENU: &str = include_str!("data/demo-menu.csv");
const EXTRA_MENU: &str = include_str!("data/assistant-menu-extra.csv");
const EVAL: &str = include_str!("data/assistant-eval.jsonl");

/// The demo menu plus the extra rows, as one CSV.
pub fn eval_menu_csv() -> String {
    let extra: Vec<&str> = EXTRA_MENU.lines().skip(1).collect();
    format!("{}\n{}\n", DEMO_MENU.trim_end(), extra.join("\n"))
}

#[tokio::test]
async fn the_fallback_parser_reaches_ninety_percent_item_accuracy() {
    let app = TestApp::new().await;
    let token = app.setup().await;
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/menu/import")
        .header(header::HOST, "127.0.0.1:7001")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .body(Body::from(eval_menu_csv()))
        .unwrap();
    let imported = app.send(request).await;
    assert_eq!(imported.status, StatusCode::OK, "{:?}", imported.body);
    let index = assistant::load_index(&app.state.db).await.unwrap();
    assert_eq!(index.items.len(), 24);

    let (mut messages, mut intents_right) = (0usize, 0usize);
    let (mut item_slots, mut items_right, mut names_right) = (0usize, 0usize, 0usize);
    let (mut spanish, mut english) = (0usize, 0usize);
    let mut misses = Vec::new();
    for line in EVAL.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        let text = case["text"].as_str().unwrap();
        match assistant::text::detect_language(text) {
            Some(dysa_domain::validate::Lang::En) => english += 1,
            _ => spanish += 1,
        }
        let reading = understand::parse(&index, text, false);
        messages += 1;
        let intent = reading.intent.map(|i| i.as_str()).unwrap_or("none");
        if intent == case["intent"].as_str().unwrap() {
            intents_right += 1;
        } else {
            misses.push(format!("intent {intent} ≠ {}: {text}", case["intent"]));
        }
        let expected: Vec<(String, u32)> = case["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["name"].as_str().unwrap().to_owned(),
                    u32::try_from(i["quantity"].as_u64().unwrap()).unwrap(),
                )
            })
            .collect();
        let mut predicted: Vec<(String, u32)> = reading
            .items
            .iter()
            .map(|m| (m.name.clone(), m.quantity.unwrap_or(1)))
            .collect();
        item_slots += expected.len().max(predicted.len());
        let mut names: Vec<String> = predicted.iter().map(|p| p.0.clone()).collect();
        for item in &expected {
            if let Some(at) = names.iter().position(|n| *n == item.0) {
                names.remove(at);
                names_right += 1;
            }
            match predicted.iter().position(|p| *p == *item) {
                Some(at) => {
                    predicted.remove(at);
                    items_right += 1;
                }
                None => misses.push(format!("item {item:?} not in {:?}: {text}", reading.items)),
            }
        }
        for extra in predicted
            .iter()
            .filter(|p| !expected.iter().any(|e| e.0 == p.0))
        {
            misses.push(format!("extra item {extra:?}: {text}"));
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!("assistant eval: {messages} messages ({spanish} es / {english} en detected)");
    println!(
        "intent accuracy: {intents_right}/{messages} = {:.1}%",
        pct(intents_right, messages)
    );
    println!(
        "item+quantity accuracy: {items_right}/{item_slots} = {:.1}%  (item name only: {names_right}/{item_slots} = {:.1}%)",
        pct(items_right, item_slots),
        pct(names_right, item_slots)
    );
    for miss in &misses {
        println!("  miss: {miss}");
    }
    assert!(messages >= 150);
    assert!(
        pct(items_right, item_slots) >= 90.0,
        "item-level accuracy under 90%"
    );
}
