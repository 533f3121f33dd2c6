//! Test harness: a fresh cloud service on a fresh Postgres database (made by
//! `#[sqlx::test]`), driven in-process through the real router.

#![allow(dead_code, clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use dysa_cloud::settings::Settings;
use dysa_cloud::state::AppState;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::ConnectOptions;
use sqlx::postgres::PgConnectOptions;
use tower::ServiceExt;

pub mod billing;
pub mod live;
pub mod mail;
pub mod mercado_pago;
pub mod sync;
pub mod twilio;
pub mod whatsapp;

pub const PASSWORD: &str = "pastel de choclo 2026";

/// One fresh service.
pub struct TestApp {
    pub state: AppState,
    pub router: axum::Router,
    /// The owner connection options (superuser: bypasses RLS, for seeding and checks).
    pub owner: PgConnectOptions,
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

/// A signed-up tenant.
#[derive(Clone, Debug)]
pub struct Tenant {
    pub id: String,
    pub slug: String,
    pub location_id: String,
    pub enrollment_code: String,
    pub email: String,
    pub token: String,
    pub refresh_token: String,
}

/// The tests' master key of customer data at rest.
pub const TEST_DATA_KEY: &str = "KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=";

pub fn test_settings() -> Settings {
    Settings {
        max_connections: 4,
        public_rate_burst: 1000,
        public_rate_period_secs: 1,
        auth_rate_burst: 100_000,
        // Tests run the outbox's rounds themselves (`state.mail.run_once`).
        mail_poll_secs: 0,
        // And the WhatsApp outbox's (`state.whatsapp.run_once`).
        whatsapp_poll_secs: 0,
        // And the SMS outbox's (`state.sms.run_once`).
        sms_poll_secs: 0,
        // The master key of customer data at rest (base64 of 32 bytes of 0x2a).
        data_key: TEST_DATA_KEY.to_owned(),
        ..Settings::default()
    }
}

impl TestApp {
    pub async fn new(owner: PgConnectOptions) -> TestApp {
        Self::with_settings(owner, |_| {}).await
    }

    pub async fn with_settings(
        owner: PgConnectOptions,
        change: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let mut settings = test_settings();
        change(&mut settings);
        let state = dysa_cloud::open_with(owner.clone(), settings)
            .await
            .unwrap();
        let router = dysa_cloud::router(state.clone());
        TestApp {
            state,
            router,
            owner,
        }
    }

    /// An owner (superuser) connection to the test database.
    pub async fn owner_conn(&self) -> sqlx::PgConnection {
        self.owner.connect().await.unwrap()
    }

    /// Sends a request with a JSON body (or none for `Value::Null`).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Value,
        token: Option<&str>,
    ) -> Reply {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "cloud.test");
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = if body.is_null() {
            builder.body(Body::empty()).unwrap()
        } else {
            builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap()
        };
        self.send(request).await
    }

    /// Sends a prepared request.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
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

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Value::Null, Some(token)).await
    }

    pub async fn post(&self, path: &str, body: Value, token: Option<&str>) -> Reply {
        self.call(Method::POST, path, body, token).await
    }

    pub async fn patch(&self, path: &str, body: Value, token: &str) -> Reply {
        self.call(Method::PATCH, path, body, Some(token)).await
    }

    pub async fn put(&self, path: &str, body: Value, token: &str) -> Reply {
        self.call(Method::PUT, path, body, Some(token)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.call(Method::DELETE, path, Value::Null, Some(token))
            .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post(
            "/api/v1/auth/login",
            json!({ "email": email, "password": password }),
            None,
        )
        .await
    }

    /// Signs a tenant up and signs its owner in.
    /// Signs a tenant up on Pro (the plan with the widget and WhatsApp, which most tests
    /// use); [`TestApp::signup_on`] chooses another.
    pub async fn signup(&self, slug: &str) -> Tenant {
        self.signup_on(slug, "pro").await
    }

    /// Signs a tenant up on `plan` (its 14-day trial starts now).
    pub async fn signup_on(&self, slug: &str, plan: &str) -> Tenant {
        let email = format!("owner@{slug}.cl");
        let reply = self
            .post(
                "/api/v1/signup",
                json!({
                    "restaurant_name": format!("Restaurante {slug}"),
                    "slug": slug,
                    "owner_name": "Dueña",
                    "email": email,
                    "password": PASSWORD,
                    "plan": plan,
                }),
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let login = self.login(&email, PASSWORD).await;
        assert_eq!(login.status, StatusCode::OK, "{:?}", login.body);
        Tenant {
            id: reply.body["tenant_id"].as_str().unwrap().to_owned(),
            slug: slug.to_owned(),
            location_id: reply.body["location_id"].as_str().unwrap().to_owned(),
            enrollment_code: reply.body["enrollment_code"].as_str().unwrap().to_owned(),
            email,
            token: login.body["access_token"].as_str().unwrap().to_owned(),
            refresh_token: login.body["refresh_token"].as_str().unwrap().to_owned(),
        }
    }

    /// Enrols a device with `code`; answers the reply.
    pub async fn enroll(&self, code: &str, name: &str) -> Reply {
        self.post(
            "/api/v1/devices/enroll",
            json!({ "enrollment_code": code, "device_name": name }),
            None,
        )
        .await
    }

    /// Creates a super_admin the way the CLI does (owner connection) and signs it in;
    /// answers its access token.
    pub async fn platform_admin(&self, email: &str) -> String {
        dysa_cloud::platform::create_admin(
            &self.owner,
            dysa_cloud::platform::NewAdmin {
                email: email.to_owned(),
                name: "Operadora".to_owned(),
                password: PASSWORD.to_owned(),
            },
        )
        .await
        .unwrap();
        let login = self.login(email, PASSWORD).await;
        assert_eq!(login.status, StatusCode::OK, "{:?}", login.body);
        login.body["access_token"].as_str().unwrap().to_owned()
    }

    /// Creates an account of `role` in the owner's tenant and signs it in; answers
    /// `(account id, access token)`.
    pub async fn account(&self, owner_token: &str, email: &str, role: &str) -> (String, String) {
        let created = self
            .post(
                "/api/v1/accounts",
                json!({ "name": format!("Cuenta {role}"), "email": email, "password": PASSWORD, "role": role }),
                Some(owner_token),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        let login = self.login(email, PASSWORD).await;
        assert_eq!(login.status, StatusCode::OK, "{:?}", login.body);
        (
            created.body["id"].as_str().unwrap().to_owned(),
            login.body["access_token"].as_str().unwrap().to_owned(),
        )
    }
}

/// One number from a test's SQL (a count, a sum), read over an owner connection: the
/// tests check what the database holds, not only what the API answers.
pub async fn count(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.owner_conn().await;
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut conn)
        .await
        .unwrap()
}
