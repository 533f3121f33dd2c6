//! Test harness: a fresh appliance on a temporary SQLite database, driven in-process
//! through the real router.

#![allow(dead_code, clippy::unwrap_used)]

pub mod menu;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use dysa_appliance::settings::Settings;
use dysa_appliance::state::AppState;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

pub mod printer;

pub const ADMIN_EMAIL: &str = "admin@donde-pepe.cl";
pub const ADMIN_PASSWORD: &str = "pastel de choclo 2026";

/// One fresh appliance.
pub struct TestApp {
    pub state: AppState,
    pub router: axum::Router,
    _dir: tempfile::TempDir,
}

/// A response, decoded.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }
}

/// How a request authenticates.
#[derive(Clone, Debug)]
pub enum Auth<'a> {
    None,
    Bearer(&'a str),
    /// Cookie with an optional Origin header.
    Cookie(&'a str, Option<&'a str>),
}

impl TestApp {
    pub async fn new() -> TestApp {
        Self::with_settings(|_| {}).await
    }

    pub async fn with_settings(change: impl FnOnce(&mut Settings)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = Settings {
            data_dir: dir.path().to_path_buf(),
            // Nothing listens here, so the Ollama check answers quickly and honestly.
            ollama_url: "http://127.0.0.1:9".to_owned(),
            ..Settings::default()
        };
        change(&mut settings);
        let state = dysa_appliance::open(settings).await.unwrap();
        let router = dysa_appliance::router(state.clone());
        TestApp {
            state,
            router,
            _dir: dir,
        }
    }

    /// Sends a request with a JSON body (or none for `Value::Null`).
    pub async fn call(&self, method: Method, path: &str, body: Value, auth: Auth<'_>) -> Reply {
        self.send(Self::request(method, path, body, auth)).await
    }

    /// Like [`TestApp::call`], from a client at `peer` (e.g. a tablet on the LAN,
    /// `192.168.1.20:50000`): the request carries that connection address.
    pub async fn call_from(
        &self,
        peer: &str,
        method: Method,
        path: &str,
        body: Value,
        auth: Auth<'_>,
    ) -> Reply {
        let mut request = Self::request(method, path, body, auth);
        let peer: std::net::SocketAddr = peer.parse().unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        self.send(request).await
    }

    /// The request [`TestApp::call`] sends.
    pub fn request(method: Method, path: &str, body: Value, auth: Auth<'_>) -> Request<Body> {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "127.0.0.1:7001");
        match auth {
            Auth::None => {}
            Auth::Bearer(token) => {
                builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            Auth::Cookie(token, origin) => {
                builder = builder.header(header::COOKIE, format!("dysa_access={token}"));
                if let Some(origin) = origin {
                    builder = builder.header(header::ORIGIN, origin);
                }
            }
        }
        if body.is_null() {
            builder.body(Body::empty()).unwrap()
        } else {
            builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap()
        }
    }

    /// Sends a prepared request.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        // A live event stream never ends; its status and headers are what a test checks.
        if headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v == "text/event-stream")
        {
            return Reply {
                status,
                headers,
                body: Value::Null,
            };
        }
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    /// A GET whose body is a file (a PDF), kept as bytes: status, content type, body.
    pub async fn get_file(&self, path: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
        let request = Self::request(Method::GET, path, Value::Null, Auth::Bearer(token));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let kind = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, kind, bytes.to_vec())
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Value::Null, Auth::Bearer(token))
            .await
    }

    pub async fn post(&self, path: &str, body: Value, token: &str) -> Reply {
        self.call(Method::POST, path, body, Auth::Bearer(token))
            .await
    }

    pub async fn patch(&self, path: &str, body: Value, token: &str) -> Reply {
        self.call(Method::PATCH, path, body, Auth::Bearer(token))
            .await
    }

    pub async fn put(&self, path: &str, body: Value, token: &str) -> Reply {
        self.call(Method::PUT, path, body, Auth::Bearer(token))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.call(Method::DELETE, path, Value::Null, Auth::Bearer(token))
            .await
    }

    /// Runs the first-run setup and returns the admin's access token.
    pub async fn setup(&self) -> String {
        let reply = self
            .call(
                Method::POST,
                "/api/v1/setup",
                json!({
                    "restaurant_name": "Donde Pepe",
                    "name": "Ana Admin",
                    "email": ADMIN_EMAIL,
                    "password": ADMIN_PASSWORD,
                }),
                Auth::None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        reply.body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.call(
            Method::POST,
            "/api/v1/auth/login",
            json!({ "email": email, "password": password }),
            Auth::None,
        )
        .await
    }

    /// A category and one item priced `price`, through the menu API; returns the item's id.
    pub async fn menu_item(&self, token: &str, price: i64) -> String {
        let category = self
            .post(
                "/api/v1/menu/categories",
                json!({ "name": "Sándwiches" }),
                token,
            )
            .await;
        assert_eq!(category.status, StatusCode::CREATED, "{:?}", category.body);
        let item = self
            .post(
                "/api/v1/menu/items",
                json!({ "category_id": category.body["id"], "name": "Completo italiano", "price": price }),
                token,
            )
            .await;
        assert_eq!(item.status, StatusCode::CREATED, "{:?}", item.body);
        item.body["id"].as_str().unwrap().to_owned()
    }

    /// Creates a user with `role` (as admin) and returns (id, access token).
    pub async fn user_with_role(&self, admin_token: &str, role: &str) -> (String, String) {
        let email = format!("{role}-{}@donde-pepe.cl", uuid::Uuid::now_v7().simple());
        let reply = self
            .post(
                "/api/v1/users",
                json!({ "name": format!("Persona {role}"), "email": email, "password": "sopaipillas pasadas", "role": role }),
                admin_token,
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let id = reply.body["id"].as_str().unwrap().to_owned();
        let login = self.login(&email, "sopaipillas pasadas").await;
        assert_eq!(login.status, StatusCode::OK, "{:?}", login.body);
        (id, login.body["access_token"].as_str().unwrap().to_owned())
    }
}

/// How long a test waits for something a background task does (a sync round, an event).
/// Generous on purpose: CI runs the suite on a loaded 2-core machine, and a wait that
/// ends early only costs time when the test is about to fail anyway.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);

/// Waits (up to [`PATIENCE`]) until `events` hears an event `wanted` accepts, and returns
/// it; panics naming `what` and the kinds heard otherwise. Subscribe before triggering
/// the change: events are published just after a change commits, so the change can show
/// over HTTP a moment before its event, and a `try_recv` right after seeing it races the
/// publisher.
pub async fn heard(
    events: &mut tokio::sync::broadcast::Receiver<dysa_appliance::events::Event>,
    what: &str,
    mut wanted: impl FnMut(&dysa_appliance::events::Event) -> bool,
) -> dysa_appliance::events::Event {
    use tokio::sync::broadcast::error::RecvError;
    let mut others = Vec::new();
    let found = tokio::time::timeout(PATIENCE, async {
        loop {
            match events.recv().await {
                Ok(event) if wanted(&event) => return event,
                Ok(event) => others.push(format!("{:?} {}", event.kind, event.data)),
                // Missed events could have been the one: say so rather than wait on.
                Err(RecvError::Lagged(n)) => panic!("{what}: {n} events were dropped unheard"),
                Err(RecvError::Closed) => panic!("{what}: the event bus closed"),
            }
        }
    })
    .await;
    match found {
        Ok(event) => event,
        Err(_) => panic!("{what}: not heard within {PATIENCE:?}; heard only {others:?}"),
    }
}
