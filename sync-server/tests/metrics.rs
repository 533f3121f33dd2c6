//! `/metrics` on the cloud: Prometheus text for loopback readers, refused to the network
//! (and to anything relayed by a proxy) unless the metrics token is presented.
//! (An order moving the counters is in `public_api.rs`, beside the widget's helpers.)

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use common::TestApp;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::net::SocketAddr;

fn scrape(peer: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::get("/metrics").header(header::HOST, "cloud.test");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let mut request = builder.body(Body::empty()).unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    request
}

#[sqlx::test(migrations = false)]
async fn loopback_reads_metrics_and_the_network_needs_the_token(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let open = TestApp::new(owner.clone()).await;
    let local = open.send(scrape("127.0.0.1:40000", &[])).await;
    assert_eq!(local.status, StatusCode::OK);
    let text = local.body.as_str().unwrap();
    assert!(
        dysa_web::metrics::sample(text, "dysa_db_pool_max_connections", &[("pool", "service")])
            .is_some(),
        "{text}"
    );
    // Without a token there is no /metrics for the network, nor through a local proxy.
    for refused in [
        scrape("203.0.113.9:40000", &[]),
        scrape("127.0.0.1:40000", &[("x-forwarded-for", "203.0.113.9")]),
    ] {
        let reply = open.send(refused).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(reply.code(), "not_found");
    }

    let guarded = TestApp::with_settings(owner, |s| {
        s.metrics_token = "cloud-metrics-token-0123456789".into();
    })
    .await;
    for presented in [None, Some("Bearer cloud-metrics-token-0123456788")] {
        let headers: Vec<(&str, &str)> = presented
            .map(|v| vec![("authorization", v)])
            .unwrap_or_default();
        let reply = guarded.send(scrape("203.0.113.9:40000", &headers)).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.code(), "metrics_unauthorized");
        assert!(reply.body["error"]["message"].is_string());
    }
    let right = guarded
        .send(scrape(
            "203.0.113.9:40000",
            &[("authorization", "Bearer cloud-metrics-token-0123456789")],
        ))
        .await;
    assert_eq!(right.status, StatusCode::OK);
}
