//! Role × route matrix, driven by the OpenAPI spec: every `/api/v1` operation declares
//! the permission it needs as its security scope; this test calls each one as every
//! role and fails when a route forgets its check, or forgets to declare it.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp};
use dysa_domain::rbac::{Permission, Role};
use serde_json::{Value, json};

/// Routes anyone may call without signing in.
const PUBLIC: &[(&str, &str)] = &[
    ("get", "/health"),
    // Menu photos, public like the menu (tests/photos.rs).
    ("get", "/media/{file}"),
    ("get", "/api/v1/setup"),
    ("get", "/api/v1/setup/code"),
    ("post", "/api/v1/setup"),
    ("get", "/api/v1/setup/join"),
    ("post", "/api/v1/setup/join"),
    ("post", "/api/v1/setup/recover"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/pin"),
    ("post", "/api/v1/auth/recover"),
    ("post", "/api/v1/auth/recover/owner"),
    ("get", "/api/v1/auth/pin-users"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),
];

struct Operation {
    method: Method,
    path: String,
    /// None: public. Some(None): any signed-in user. Some(Some(p)): needs p.
    requirement: Option<Option<Permission>>,
}

/// Every `{param}` becomes a fresh UUID: ids that do not exist, so allowed roles get 404
/// or 422, never a side effect.
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

fn operations(spec: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let security = op.get("security").and_then(Value::as_array);
            let requirement = match security {
                None => panic!(
                    "{method} {path} declares no security (use security(()) for public routes)"
                ),
                Some(list) if list.iter().all(|s| s.as_object().unwrap().is_empty()) => None,
                Some(list) => {
                    let scopes: Vec<&str> = list
                        .iter()
                        .filter_map(|s| s.get("bearer"))
                        .flat_map(|s| s.as_array().unwrap())
                        .filter_map(Value::as_str)
                        .collect();
                    assert!(
                        scopes.len() <= 1,
                        "{method} {path}: one permission per route"
                    );
                    Some(
                        scopes
                            .first()
                            .map(|s| serde_json::from_value(json!(s)).unwrap()),
                    )
                }
            };
            let is_public = PUBLIC.contains(&(method.as_str(), path.as_str()));
            assert_eq!(
                requirement.is_none(),
                is_public,
                "{method} {path}: public list and spec disagree"
            );
            out.push(Operation {
                method: method.to_uppercase().parse().unwrap(),
                path: fill_path_params(path),
                requirement,
            });
        }
    }
    out
}

#[tokio::test]
async fn every_route_checks_the_permission_it_declares() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let mut tokens = vec![(Role::Admin, admin.clone())];
    for role in [Role::Manager, Role::Waiter, Role::Viewer] {
        let (_, token) = app.user_with_role(&admin, role.as_str()).await;
        tokens.push((role, token));
    }
    let spec = app
        .call(Method::GET, "/api/openapi.json", Value::Null, Auth::None)
        .await
        .body;
    let operations = operations(&spec);
    assert!(
        operations.len() >= 15,
        "expected the whole API, found {}",
        operations.len()
    );
    let mut checked = 0;
    for op in &operations {
        let Some(requirement) = op.requirement else {
            continue;
        };
        let anonymous = app
            .call(op.method.clone(), &op.path, json!({}), Auth::None)
            .await;
        assert_eq!(
            anonymous.status,
            StatusCode::UNAUTHORIZED,
            "{} {} without a token",
            op.method,
            op.path
        );
        for (role, token) in &tokens {
            let reply = app
                .call(op.method.clone(), &op.path, json!({}), Auth::Bearer(token))
                .await;
            let allowed = requirement.is_none_or(|p| role.allows(p));
            if allowed {
                assert!(
                    reply.status != StatusCode::FORBIDDEN
                        && reply.status != StatusCode::UNAUTHORIZED,
                    "{role} should pass {} {} but got {} {:?}",
                    op.method,
                    op.path,
                    reply.status,
                    reply.body
                );
                assert!(
                    !reply.status.is_server_error(),
                    "{} {}: {:?}",
                    op.method,
                    op.path,
                    reply.body
                );
            } else {
                assert_eq!(
                    reply.status,
                    StatusCode::FORBIDDEN,
                    "{role} must be refused {} {}: {:?}",
                    op.method,
                    op.path,
                    reply.body
                );
                assert_eq!(reply.code(), "forbidden");
            }
            checked += 1;
        }
    }
    assert!(checked > 0);
}
