//! Prometheus metrics for both servers: one process-wide recorder, the per-route request
//! middleware, the names and helpers the domain code records through, and the protected
//! `/metrics` endpoint.
//!
//! Metric names live here (not in each server) so the alert rules in `installers/` hold
//! for the appliance and the cloud alike. The recorder is global because the `metrics`
//! macros are: every server in one process (tests run several) shares it, so readers
//! compare values before and after rather than expect absolute numbers.

use crate::error::ApiError;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// Requests answered, by `method`, `route` (the template, never the concrete path) and `status`.
pub const HTTP_REQUESTS: &str = "dysa_http_requests_total";
/// Time to answer a request (until the response head), by `method` and `route`.
pub const HTTP_DURATION: &str = "dysa_http_request_duration_seconds";
/// Orders placed, by `channel` (`counter`, `table`, `web`, …).
pub const ORDERS_PLACED: &str = "dysa_orders_placed_total";
/// Time to validate and store a new order, by `channel`.
pub const ORDER_DURATION: &str = "dysa_order_place_duration_seconds";
/// Changes waiting in the appliance's outbox, by `device`.
pub const OUTBOX_DEPTH: &str = "dysa_sync_outbox_depth";
/// Seconds since a device last completed a sync, by `device`.
pub const SYNC_LAG: &str = "dysa_sync_lag_seconds";
/// Versions a device has not pulled yet, by `device` (the cloud's view).
pub const SYNC_VERSIONS_BEHIND: &str = "dysa_sync_versions_behind";
/// Live streams (server-sent events, the cloud's live channel) open now, by `stream`.
pub const LIVE_STREAMS: &str = "dysa_live_streams_open";
/// Assistant turns answered, by `source` (`model` or `fallback`).
pub const MODEL_TURNS: &str = "dysa_model_turns_total";
/// Time the model took to read a diner's message (fallbacks included).
pub const MODEL_TURN_DURATION: &str = "dysa_model_turn_duration_seconds";
/// When the last backup succeeded (seconds since the epoch).
pub const BACKUP_LAST_SUCCESS: &str = "dysa_backup_last_success_timestamp_seconds";
/// Backups that failed.
pub const BACKUP_FAILURES: &str = "dysa_backup_failures_total";
/// Database connections, by `pool` and `state` (`idle`, `in_use`).
pub const DB_POOL_CONNECTIONS: &str = "dysa_db_pool_connections";
/// Connections a pool may open at most, by `pool` (in use at the maximum = requests wait).
pub const DB_POOL_MAX: &str = "dysa_db_pool_max_connections";

/// Latency buckets (seconds): fine below the 500 ms alert line, coarse above it.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// How often histograms are folded, so samples never pile up between scrapes (or when
/// nobody scrapes at all).
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed on first use. When another recorder was installed
/// first (a host embedding the server), a detached one answers, so `/metrics` still works
/// but shows only what that host forwards.
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new();
        let builder = match builder
            .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), LATENCY_BUCKETS)
        {
            Ok(builder) => builder,
            Err(error) => {
                tracing::warn!(%error, "metrics: latency buckets refused; summaries instead");
                PrometheusBuilder::new()
            }
        };
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if let Err(error) = metrics::set_global_recorder(recorder) {
            tracing::warn!(%error, "metrics: a recorder was already installed");
        }
        describe();
        let upkeep = handle.clone();
        // A thread, not a task: the handle may be made before (or outside) a runtime.
        let spawned = std::thread::Builder::new()
            .name("metrics-upkeep".to_owned())
            .spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    upkeep.run_upkeep();
                }
            });
        if let Err(error) = spawned {
            tracing::warn!(%error, "metrics: no upkeep thread; folded at each scrape");
        }
        handle
    })
}

fn describe() {
    metrics::describe_counter!(
        HTTP_REQUESTS,
        "Requests answered, by route template and status"
    );
    metrics::describe_histogram!(
        HTTP_DURATION,
        metrics::Unit::Seconds,
        "Time to answer a request"
    );
    metrics::describe_counter!(ORDERS_PLACED, "Orders placed, by channel");
    metrics::describe_histogram!(
        ORDER_DURATION,
        metrics::Unit::Seconds,
        "Time to validate and store a new order"
    );
    metrics::describe_gauge!(OUTBOX_DEPTH, "Changes waiting to be pushed to the cloud");
    metrics::describe_gauge!(
        SYNC_LAG,
        metrics::Unit::Seconds,
        "Seconds since the device last synced"
    );
    metrics::describe_gauge!(
        SYNC_VERSIONS_BEHIND,
        "Versions the device has not pulled yet"
    );
    metrics::describe_gauge!(LIVE_STREAMS, "Live streams open");
    metrics::describe_counter!(
        MODEL_TURNS,
        "Assistant turns, by source (model or fallback)"
    );
    metrics::describe_histogram!(
        MODEL_TURN_DURATION,
        metrics::Unit::Seconds,
        "Time to read a diner's message"
    );
    metrics::describe_gauge!(
        BACKUP_LAST_SUCCESS,
        metrics::Unit::Seconds,
        "When the last backup succeeded (Unix time)"
    );
    metrics::describe_counter!(BACKUP_FAILURES, "Backups that failed");
    metrics::describe_gauge!(DB_POOL_CONNECTIONS, "Database connections by state");
    metrics::describe_gauge!(DB_POOL_MAX, "Database connections a pool may open");
}

/// Middleware (a `route_layer`, so the route template is known): counts each request and
/// times it under its route template, so `/orders/{id}` is one series, not one per order.
pub async fn track(route: MatchedPath, request: Request, next: Next) -> Response {
    handle();
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = route.as_str().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(HTTP_DURATION, "method" => method.clone(), "route" => route.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!(HTTP_REQUESTS, "method" => method, "route" => route, "status" => status)
        .increment(1);
    response
}

/// An order was placed through `channel`, taking `elapsed` to validate and store.
pub fn order_placed(channel: &'static str, elapsed: Duration) {
    handle();
    metrics::counter!(ORDERS_PLACED, "channel" => channel).increment(1);
    metrics::histogram!(ORDER_DURATION, "channel" => channel).record(elapsed.as_secs_f64());
}

/// The model read a diner's message in `elapsed`; `fallback` when the rule-based reading
/// answered instead (model down, slow or unusable).
pub fn model_turn(elapsed: Duration, fallback: bool) {
    handle();
    let source = if fallback { "fallback" } else { "model" };
    metrics::counter!(MODEL_TURNS, "source" => source).increment(1);
    metrics::histogram!(MODEL_TURN_DURATION).record(elapsed.as_secs_f64());
}

/// A backup finished: its time on success, a failure otherwise.
pub fn backup_finished(ok: bool) {
    handle();
    if ok {
        backup_taken_at(std::time::SystemTime::now());
    } else {
        metrics::counter!(BACKUP_FAILURES).increment(1);
    }
}

/// The newest backup on disk was taken at `at` (read at scrape time, so a restarted
/// appliance reports it before its next backup).
pub fn backup_taken_at(at: std::time::SystemTime) {
    handle();
    let at = at.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    metrics::gauge!(BACKUP_LAST_SUCCESS).set(at.as_secs_f64());
}

/// The outbox of `device` holds `depth` changes.
pub fn outbox_depth(device: String, depth: u64) {
    handle();
    // Precision loss only past 2^53 changes.
    #[allow(clippy::cast_precision_loss)]
    metrics::gauge!(OUTBOX_DEPTH, "device" => device).set(depth as f64);
}

/// `device` last synced `secs` seconds ago and, when known, has `versions` versions of
/// its tenant left to pull.
pub fn sync_lag(device: String, secs: f64, versions: Option<i64>) {
    handle();
    if let Some(versions) = versions {
        // Precision loss only past 2^53 versions.
        #[allow(clippy::cast_precision_loss)]
        metrics::gauge!(SYNC_VERSIONS_BEHIND, "device" => device.clone()).set(versions as f64);
    }
    metrics::gauge!(SYNC_LAG, "device" => device).set(secs);
}

/// A pool named `pool` has `size` connections open, `idle` of them idle, `max` at most.
pub fn db_pool(pool: &'static str, size: u32, idle: usize, max: u32) {
    handle();
    let idle = u32::try_from(idle).unwrap_or(u32::MAX).min(size);
    metrics::gauge!(DB_POOL_CONNECTIONS, "pool" => pool, "state" => "idle").set(idle);
    metrics::gauge!(DB_POOL_CONNECTIONS, "pool" => pool, "state" => "in_use").set(size - idle);
    metrics::gauge!(DB_POOL_MAX, "pool" => pool).set(max);
}

/// Counts a live stream as open while it lives (dropping it counts it closed), so a
/// stream that ends any way — client gone, server closing — is never left counted.
#[derive(Debug)]
pub struct LiveStream(&'static str);

impl LiveStream {
    /// A stream of kind `stream` opened.
    pub fn open(stream: &'static str) -> Self {
        handle();
        metrics::gauge!(LIVE_STREAMS, "stream" => stream).increment(1.0);
        Self(stream)
    }
}

impl Drop for LiveStream {
    fn drop(&mut self) {
        metrics::gauge!(LIVE_STREAMS, "stream" => self.0).decrement(1.0);
    }
}

/// Reads what is only known at scrape time (outbox depth, devices' lag, pool state).
pub type Refresh = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// Who may read `/metrics` and what to refresh before answering.
#[derive(Clone)]
pub struct Endpoint {
    token: Option<Arc<str>>,
    refresh: Option<Refresh>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("token", &self.token.as_ref().map(|_| "…"))
            .finish_non_exhaustive()
    }
}

impl Endpoint {
    /// An endpoint for loopback readers, and for anyone presenting `token` (ignored when
    /// empty: then only loopback reads).
    pub fn new(token: &str) -> Self {
        Self {
            token: (!token.is_empty()).then(|| Arc::from(token)),
            refresh: None,
        }
    }

    /// Runs `refresh` before each answer.
    #[must_use]
    pub fn refreshing(mut self, refresh: Refresh) -> Self {
        self.refresh = Some(refresh);
        self
    }

    /// `GET /metrics`, for either server's router.
    pub fn router<S: Clone + Send + Sync + 'static>(self) -> axum::Router<S> {
        axum::Router::new()
            .route("/metrics", get(scrape))
            .with_state(self)
    }

    /// Whether this request may read the metrics: a matching bearer token (compared in
    /// constant time), or a loopback peer that no proxy forwarded.
    pub fn admit(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Result<(), ApiError> {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if let (Some(expected), Some(presented)) = (&self.token, presented)
            && bool::from(expected.as_bytes().ct_eq(presented.as_bytes()))
        {
            return Ok(());
        }
        if peer.is_some_and(|ip| ip.is_loopback()) && !forwarded(headers) {
            return Ok(());
        }
        Err(match self.token {
            Some(_) => ApiError::unauthenticated(
                "metrics_unauthorized",
                "Las métricas piden el token de métricas",
                "Metrics require the metrics token",
            ),
            // Without a token there is nothing to present: the route does not exist here.
            None => ApiError::not_found("La ruta", "The route"),
        })
    }
}

/// Whether a proxy relayed the request: then a loopback peer is the proxy, not a local
/// reader, and the request is from wherever the proxy heard it.
fn forwarded(headers: &HeaderMap) -> bool {
    ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|name| headers.contains_key(*name))
}

async fn scrape(State(endpoint): State<Endpoint>, request: Request) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if let Err(refusal) = endpoint.admit(peer, request.headers()) {
        return refusal.into_response();
    }
    if let Some(refresh) = &endpoint.refresh {
        refresh().await;
    }
    let handle = handle();
    handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        handle.render(),
    )
        .into_response()
}

/// One sample of a scraped text: `name{labels} value`, for tests and tools reading
/// `/metrics` back.
pub fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (series_name, series_labels) = match series.split_once('{') {
                Some((n, rest)) => (n, rest.trim_end_matches('}')),
                None => (series, ""),
            };
            if series_name != name {
                return None;
            }
            let all = labels.iter().all(|(k, v)| {
                series_labels
                    .split(',')
                    .any(|pair| pair == format!("{k}=\"{v}\""))
            });
            if all { value.parse().ok() } else { None }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).expect("header"));
        }
        map
    }

    #[test]
    fn loopback_reads_and_others_need_the_token() {
        let local = Some(IpAddr::from([127, 0, 0, 1]));
        let lan = Some(IpAddr::from([192, 168, 1, 20]));
        let open = Endpoint::new("");
        assert!(open.admit(local, &headers(&[])).is_ok());
        assert!(open.admit(lan, &headers(&[])).is_err());
        assert!(open.admit(None, &headers(&[])).is_err());
        // A proxy on the same host relays outsiders from loopback.
        assert!(
            open.admit(local, &headers(&[("x-forwarded-for", "203.0.113.9")]))
                .is_err()
        );
        let guarded = Endpoint::new("s3cret-token");
        let good = headers(&[("authorization", "Bearer s3cret-token")]);
        let bad = headers(&[("authorization", "Bearer s3cret-tokem")]);
        assert!(guarded.admit(lan, &good).is_ok());
        assert!(guarded.admit(lan, &bad).is_err());
        assert!(guarded.admit(lan, &headers(&[])).is_err());
        // No configured token: presenting an empty one opens nothing.
        let empty = headers(&[("authorization", "Bearer ")]);
        assert!(open.admit(lan, &empty).is_err());
    }

    #[test]
    fn samples_are_read_back_by_name_and_labels() {
        let text = "# TYPE x counter\nx{a=\"1\",b=\"2\"} 3\nx{a=\"2\"} 5\ny 7.5\n";
        assert_eq!(sample(text, "x", &[("a", "1")]), Some(3.0));
        assert_eq!(sample(text, "x", &[("a", "2")]), Some(5.0));
        assert_eq!(sample(text, "y", &[]), Some(7.5));
        assert_eq!(sample(text, "x", &[("a", "3")]), None);
    }
}
