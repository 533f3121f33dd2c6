//! Role × route matrix of the cloud, driven by the OpenAPI spec: every `/api/v1`
//! operation declares what it needs as its security scope (a tenant permission, or
//! `platform:admin`); this test calls each one as every kind of caller (owner, manager,
//! viewer, super_admin, device token, anonymous) and fails when a route forgets its check
//! or forgets to declare it.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use dysa_cloud::roles::AccountRole;
use dysa_domain::rbac::Permission;
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// Routes anyone may call without signing in (`security(())`).
const PUBLIC: &[(&str, &str)] = &[
    ("get", "/health"),
    ("post", "/api/v1/signup"),
    ("post", "/api/v1/leads/demo"),
    ("post", "/api/v1/devices/enroll"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),
    ("post", "/api/v1/auth/password/forgot"),
    ("post", "/api/v1/auth/password/reset"),
    ("post", "/api/v1/auth/email/verify"),
    ("post", "/api/v1/webhooks/sendgrid/events"),
    ("post", "/api/v1/webhooks/mercado-pago/{tenant}"),
    // Twilio's signed callbacks (tests/sms.rs, tests/booking_messages.rs).
    ("post", "/api/v1/webhooks/twilio/{tenant}/status"),
    ("post", "/api/v1/webhooks/twilio/{tenant}/inbound"),
    // The diner's booking page, by the link in its messages (tests/booking_messages.rs).
    ("get", "/api/v1/public/bookings/{tenant}/{id}/{token}"),
    ("post", "/api/v1/public/bookings/{tenant}/{id}/{token}"),
    // A diner's one-click email opt-out, by the link in every diner email
    // (tests/diner_messages.rs).
    ("get", "/api/v1/public/opt-out/{tenant}/{token}"),
    ("post", "/api/v1/public/opt-out/{tenant}/{token}"),
    // Mercado Pago's subscription notifications, signed by the platform (tests/billing.rs).
    ("post", "/api/v1/webhooks/mercado-pago-billing"),
    // The diners' widget (tests/public_api.rs tests each one).
    ("get", "/api/v1/public/{slug}/widget"),
    ("get", "/api/v1/public/{slug}/menu"),
    ("post", "/api/v1/public/{slug}/orders"),
    ("get", "/api/v1/public/{slug}/orders/{id}"),
    ("get", "/api/v1/public/{slug}/orders/{id}/events"),
    ("post", "/api/v1/public/{slug}/chat"),
    ("get", "/api/v1/public/{slug}/availability"),
    ("post", "/api/v1/public/{slug}/reservations"),
    // Menu photos for the widget (tests/photos.rs).
    ("get", "/api/v1/public/{slug}/media/{file}"),
    // Staff's replies for the widget (tests/staff_replies.rs).
    (
        "get",
        "/api/v1/public/{slug}/chat/{conversation_id}/messages",
    ),
    // Meta's WhatsApp webhook, signed per link (tests/whatsapp.rs).
    ("get", "/api/v1/public/whatsapp/{link_id}/webhook"),
    ("post", "/api/v1/public/whatsapp/{link_id}/webhook"),
];

/// Routes for any signed-in dashboard account, tenant's or platform's (`bearer = []`).
const ANY_ACCOUNT: &[(&str, &str)] = &[
    ("get", "/api/v1/auth/me"),
    ("post", "/api/v1/auth/password/change"),
    ("post", "/api/v1/auth/email/resend"),
];

/// The scope of the platform routes.
const PLATFORM: &str = "platform:admin";

/// The scope of the routes only a device token may call (the sync API).
const DEVICE: &str = "device";

/// What an operation requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Requirement {
    /// Nothing (listed in [`PUBLIC`]).
    Public,
    /// Any signed-in account (listed in [`ANY_ACCOUNT`]); devices are refused.
    AnyAccount,
    /// A tenant permission: accounts whose role holds it; devices for read permissions.
    Tenant(Permission),
    /// The platform's super_admin.
    Platform,
    /// A device token only.
    DeviceOnly,
}

/// Who calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Account(AccountRole),
    Device,
}

impl Who {
    fn allowed(self, requirement: Requirement) -> bool {
        match (self, requirement) {
            (_, Requirement::Public) => true,
            (Who::Account(_), Requirement::AnyAccount) => true,
            (Who::Device, Requirement::AnyAccount) => false,
            (Who::Account(role), Requirement::Tenant(p)) => role.allows(p),
            // A device reads what it syncs; who did what is for people (the audit route
            // refuses device tokens on purpose).
            (Who::Device, Requirement::Tenant(p)) => p.is_read_only() && p != Permission::AuditRead,
            (Who::Account(role), Requirement::Platform) => role == AccountRole::SuperAdmin,
            (Who::Device, Requirement::Platform) => false,
            (Who::Device, Requirement::DeviceOnly) => true,
            (Who::Account(_), Requirement::DeviceOnly) => false,
        }
    }
}

struct Operation {
    method: Method,
    /// The spec's path.
    template: String,
    /// With every `{param}` filled.
    path: String,
    requirement: Requirement,
}

/// Every `{param}` becomes a fresh UUID: ids that do not exist, so allowed callers get
/// 404 or 422, never a side effect.
fn fill_path_params(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        out.push_str(&uuid::Uuid::now_v7().to_string());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn requirement(method: &str, path: &str, op: &Value) -> Requirement {
    let Some(list) = op.get("security").and_then(Value::as_array) else {
        panic!("{method} {path} declares no security (use security(()) for public routes)");
    };
    let listed = |table: &[(&str, &str)]| table.contains(&(method, path));
    if list.iter().all(|s| s.as_object().unwrap().is_empty()) {
        assert!(
            listed(PUBLIC),
            "{method} {path} is public in the spec but not in this test's PUBLIC list"
        );
        return Requirement::Public;
    }
    assert!(
        !listed(PUBLIC),
        "{method} {path} is in PUBLIC but needs a token"
    );
    let scopes: Vec<&str> = list
        .iter()
        .filter_map(|s| s.get("bearer"))
        .flat_map(|s| s.as_array().unwrap())
        .filter_map(Value::as_str)
        .collect();
    assert!(scopes.len() <= 1, "{method} {path}: one scope per route");
    match scopes.first() {
        None => {
            assert!(
                listed(ANY_ACCOUNT),
                "{method} {path} declares no permission; name one (or list it in ANY_ACCOUNT)"
            );
            Requirement::AnyAccount
        }
        Some(&PLATFORM) => Requirement::Platform,
        Some(&DEVICE) => Requirement::DeviceOnly,
        Some(scope) => {
            let permission = serde_json::from_value(json!(scope))
                .unwrap_or_else(|_| panic!("{method} {path}: scope {scope:?} is no permission"));
            Requirement::Tenant(permission)
        }
    }
}

fn operations(spec: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push(Operation {
                method: method.to_uppercase().parse().unwrap(),
                template: path.clone(),
                path: fill_path_params(path),
                requirement: requirement(method, path, op),
            });
        }
    }
    out
}

#[sqlx::test(migrations = false)]
async fn every_cloud_route_checks_the_scope_it_declares(_: PgPoolOptions, owner: PgConnectOptions) {
    // Billing configured (against an address nobody answers: no route here reaches it
    // before its own checks), so the plan routes answer their 4xx, not 503.
    let app = TestApp::with_settings(owner, |s| {
        s.billing_access_token = "TEST-platform-token".into();
        s.mercado_pago_api_url = "http://127.0.0.1:9".into();
    })
    .await;
    let tenant = app.signup("matriz").await;
    let (_, manager) = app
        .account(&tenant.token, "gerente@matriz.cl", "manager")
        .await;
    let (_, viewer) = app
        .account(&tenant.token, "vista@matriz.cl", "viewer")
        .await;
    let admin = app.platform_admin("ops@dysa.cl").await;
    let device = app.enroll(&tenant.enrollment_code, "Caja").await;
    let device = device.body["device_token"].as_str().unwrap().to_owned();
    let callers = [
        (Who::Account(AccountRole::Owner), tenant.token.clone()),
        (Who::Account(AccountRole::Manager), manager),
        (Who::Account(AccountRole::Viewer), viewer),
        (Who::Account(AccountRole::SuperAdmin), admin),
        (Who::Device, device),
    ];

    let spec = app
        .call(Method::GET, "/api/openapi.json", Value::Null, None)
        .await
        .body;
    let operations = operations(&spec);
    assert!(
        operations.len() >= 30,
        "expected the whole API, found {}",
        operations.len()
    );
    for (method, path) in PUBLIC.iter().chain(ANY_ACCOUNT) {
        assert!(
            operations
                .iter()
                .any(|op| op.method.as_str().eq_ignore_ascii_case(method) && op.template == *path),
            "{method} {path} is listed here but not in the spec"
        );
    }
    let platform_routes = operations
        .iter()
        .filter(|op| op.requirement == Requirement::Platform)
        .count();
    assert_eq!(
        platform_routes, 5,
        "the platform routes declare platform:admin"
    );

    let mut checked = 0;
    for op in &operations {
        if op.requirement == Requirement::Public {
            continue;
        }
        let what = format!("{} {}", op.method, op.template);
        let anonymous = app.call(op.method.clone(), &op.path, json!({}), None).await;
        assert_eq!(
            anonymous.status,
            StatusCode::UNAUTHORIZED,
            "{what} without a token: {:?}",
            anonymous.body
        );
        for (who, token) in &callers {
            if op.template == "/api/v1/sync/live" && who.allowed(op.requirement) {
                // An open event stream never ends; tests/sync.rs reads it for real.
                continue;
            }
            let reply = app
                .call(op.method.clone(), &op.path, json!({}), Some(token))
                .await;
            if who.allowed(op.requirement) {
                assert!(
                    reply.status != StatusCode::FORBIDDEN
                        && reply.status != StatusCode::UNAUTHORIZED,
                    "{who:?} should pass {what} but got {} {:?}",
                    reply.status,
                    reply.body
                );
                assert!(
                    !reply.status.is_server_error(),
                    "{who:?} {what}: {:?}",
                    reply.body
                );
            } else if op.requirement == Requirement::DeviceOnly {
                // An account's token is no device token at all.
                assert_eq!(
                    reply.status,
                    StatusCode::UNAUTHORIZED,
                    "{who:?} must be refused {what}: {:?}",
                    reply.body
                );
            } else {
                assert_eq!(
                    reply.status,
                    StatusCode::FORBIDDEN,
                    "{who:?} must be refused {what}: {:?}",
                    reply.body
                );
                assert_eq!(reply.code(), "forbidden", "{who:?} {what}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 100, "{checked}");
    // Nothing the matrix did changed the tenant (suspend/reactivate hit unknown ids).
    assert_eq!(
        app.get("/api/v1/orders", &tenant.token).await.status,
        StatusCode::OK
    );
}
