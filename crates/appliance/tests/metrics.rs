//! `/metrics`: scraped and parsed as Prometheus text, moving when an order is placed,
//! and closed to the network unless the metrics token is presented.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp};
use dysa_web::metrics::sample;
use serde_json::{Value, json};

const LOCAL: &str = "127.0.0.1:50000";
const LAN: &str = "192.168.1.20:50000";

/// The scraped text, read from this machine.
async fn scrape(app: &TestApp) -> String {
    let reply = app
        .call_from(LOCAL, Method::GET, "/metrics", Value::Null, Auth::None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert!(
        reply.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4"),
    );
    reply.body.as_str().unwrap().to_owned()
}

fn value(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    sample(text, name, labels).unwrap_or(0.0)
}

#[tokio::test]
async fn a_placed_order_moves_the_counters_and_the_text_parses() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let category = app
        .post(
            "/api/v1/menu/categories",
            json!({ "name": "Platos" }),
            &admin,
        )
        .await;
    let item = app
        .post(
            "/api/v1/menu/items",
            json!({ "category_id": category.body["id"], "name": "Pastel de choclo", "price": 10990 }),
            &admin,
        )
        .await;
    assert_eq!(item.status, StatusCode::CREATED, "{:?}", item.body);

    let before = scrape(&app).await;
    // Every sample line is `name{labels} number`; every family is typed.
    for line in before.lines().filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let kind = rest.split(' ').nth(1).unwrap();
            assert!(
                ["counter", "gauge", "histogram", "summary"].contains(&kind),
                "{line}"
            );
        } else if !line.starts_with('#') {
            let (_, number) = line.rsplit_once(' ').unwrap();
            assert!(number.parse::<f64>().is_ok() || number == "+Inf", "{line}");
        }
    }
    let orders = [("channel", "counter")];
    let created = [
        ("method", "POST"),
        ("route", "/api/v1/orders"),
        ("status", "201"),
    ];
    let placed = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "counter", "lines": [{ "item_id": item.body["id"], "quantity": 1 }] }),
            &admin,
        )
        .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    let after = scrape(&app).await;

    // Other tests in this binary share the process's recorder: compare, never expect.
    assert!(
        value(&after, "dysa_orders_placed_total", &orders)
            >= value(&before, "dysa_orders_placed_total", &orders) + 1.0,
        "{after}"
    );
    assert!(
        value(&after, "dysa_order_place_duration_seconds_count", &orders)
            > value(&before, "dysa_order_place_duration_seconds_count", &orders)
    );
    assert!(
        value(&after, "dysa_http_requests_total", &created)
            > value(&before, "dysa_http_requests_total", &created)
    );
    // Latency is a histogram per route template, with the 500 ms alert line as a bucket.
    assert!(
        sample(
            &after,
            "dysa_http_request_duration_seconds_bucket",
            &[("route", "/api/v1/orders"), ("le", "0.5")]
        )
        .is_some(),
        "{after}"
    );
    // The order waits in the outbox (this appliance is not linked to a cloud).
    let device = app.state.db.device_id().to_string();
    assert!(value(&after, "dysa_sync_outbox_depth", &[("device", &device)]) >= 1.0);
    assert!(
        sample(
            &after,
            "dysa_db_pool_connections",
            &[("pool", "write"), ("state", "idle")]
        )
        .is_some()
    );
}

#[tokio::test]
async fn from_the_network_metrics_need_the_token() {
    // No token configured: the route does not exist off this machine.
    let open = TestApp::new().await;
    let refused = open
        .call_from(LAN, Method::GET, "/metrics", Value::Null, Auth::None)
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(refused.code(), "not_found");
    assert!(refused.body["error"]["message"].is_string());
    // A relayed request is not local, whatever the peer.
    let mut relayed = TestApp::request(Method::GET, "/metrics", Value::Null, Auth::None);
    relayed
        .headers_mut()
        .insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
    relayed.extensions_mut().insert(axum::extract::ConnectInfo(
        LOCAL.parse::<std::net::SocketAddr>().unwrap(),
    ));
    assert_eq!(open.send(relayed).await.status, StatusCode::NOT_FOUND);

    let guarded = TestApp::with_settings(|s| s.metrics_token = "m3trics-t0ken-long".into()).await;
    let missing = guarded
        .call_from(LAN, Method::GET, "/metrics", Value::Null, Auth::None)
        .await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.code(), "metrics_unauthorized");
    let wrong = guarded
        .call_from(
            LAN,
            Method::GET,
            "/metrics",
            Value::Null,
            Auth::Bearer("m3trics-t0ken-lonG"),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.code(), "metrics_unauthorized");
    let right = guarded
        .call_from(
            LAN,
            Method::GET,
            "/metrics",
            Value::Null,
            Auth::Bearer("m3trics-t0ken-long"),
        )
        .await;
    assert_eq!(right.status, StatusCode::OK);
    assert!(right.body.as_str().unwrap().contains("# TYPE"));
}
