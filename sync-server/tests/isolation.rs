//! Tenant isolation: the route matrix (tenant A's owner and device never reach tenant B's
//! objects), the database's own guarantees checked as the service role, and the catalog
//! facts that make a table without a policy fail CI.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Tenant, TestApp};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};
use uuid::Uuid;

/// Ids of one tenant's synced rows.
#[derive(Debug)]
struct Seeded {
    category: Uuid,
    item: Uuid,
    customer: Uuid,
    order: Uuid,
    reservation: Uuid,
    staff: Uuid,
    day_close: Uuid,
}

/// Writes a little of everything sync would bring, as the owner (RLS bypassed).
async fn seed(app: &TestApp, tenant: &Tenant) -> Seeded {
    let mut conn = app.owner_conn().await;
    let t: Uuid = tenant.id.parse().unwrap();
    let l: Uuid = tenant.location_id.parse().unwrap();
    let s = Seeded {
        category: Uuid::now_v7(),
        item: Uuid::now_v7(),
        customer: Uuid::now_v7(),
        order: Uuid::now_v7(),
        reservation: Uuid::now_v7(),
        staff: Uuid::now_v7(),
        day_close: Uuid::now_v7(),
    };
    let hlc = "000000000000001-000000-0000000000000001";
    let statements: Vec<(&str, Vec<Uuid>)> = vec![
        ("INSERT INTO menu_categories (tenant_id, location_id, id, name, hlc) VALUES ($1, $2, $3, 'Platos', $4)", vec![t, l, s.category]),
        ("INSERT INTO menu_items (tenant_id, location_id, id, category_id, name, price, hlc) VALUES ($1, $2, $3, $4, 'Cazuela', 8990, $5)", vec![t, l, s.item, s.category]),
        ("INSERT INTO customers (tenant_id, id, name, phone, hlc) VALUES ($1, $2, 'Rosa', '+56911111111', $3)", vec![t, s.customer]),
        ("INSERT INTO orders (tenant_id, location_id, id, number, business_date, channel, status, customer_id, subtotal, total, net, tax, amount_due, hlc, created_at)
          VALUES ($1, $2, $3, 1, current_date, 'counter', 'completed', $4, 8990, 8990, 7555, 1435, 0, $5, now())", vec![t, l, s.order, s.customer]),
        ("INSERT INTO order_lines (tenant_id, id, order_id, position, item_id, name, quantity, unit_price, line_total, hlc)
          VALUES ($1, $2, $3, 1, $4, 'Cazuela', 1, 8990, 8990, $5)", vec![t, Uuid::now_v7(), s.order, s.item]),
        ("INSERT INTO reservations (tenant_id, location_id, id, customer_name, party_size, starts_at, ends_at, status, hlc)
          VALUES ($1, $2, $3, 'Rosa', 4, now() + interval '1 day', now() + interval '1 day 2 hours', 'confirmed', $4)", vec![t, l, s.reservation]),
        ("INSERT INTO staff_users (tenant_id, location_id, id, name, email, role, hlc) VALUES ($1, $2, $3, 'Juan', 'juan@x.cl', 'waiter', $4)", vec![t, l, s.staff]),
    ];
    for (sql, binds) in statements {
        let mut query = sqlx::query(sql);
        for b in binds {
            query = query.bind(b);
        }
        query.bind(hlc).execute(&mut conn).await.unwrap();
    }
    sqlx::query(
        "INSERT INTO day_closes (tenant_id, location_id, id, business_date, device_id, closed_at, report, hlc)
         VALUES ($1, $2, $3, current_date, 'caja', now(), $4, $5)",
    )
    .bind(t)
    .bind(l)
    .bind(s.day_close)
    .bind(sqlx::types::Json(common::sync::z_report("2026-12-06")))
    .bind(hlc)
    .execute(&mut conn)
    .await
    .unwrap();
    s
}

async fn two_tenants(app: &TestApp) -> (Tenant, String, Tenant, Seeded, String) {
    let a = app.signup("tenant-a").await;
    let b = app.signup("tenant-b").await;
    seed(app, &a).await;
    let b_data = seed(app, &b).await;
    let a_device = app.enroll(&a.enrollment_code, "Caja A").await.body["device_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let b_device_id = app.enroll(&b.enrollment_code, "Caja B").await.body["device_id"]
        .as_str()
        .unwrap()
        .to_owned();
    (a, a_device, b, b_data, b_device_id)
}

#[sqlx::test(migrations = false)]
async fn tenant_a_never_reaches_tenant_b(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let (a, a_device, b, bd, b_device) = two_tenants(&app).await;
    let b_loc = &b.location_id;
    // Every tenant-scoped route that names an object, with tenant B's ids.
    let reads = [
        format!("/api/v1/devices/{b_device}"),
        format!("/api/v1/locations/{b_loc}"),
        format!("/api/v1/orders/{}", bd.order),
        format!("/api/v1/reservations/{}", bd.reservation),
        format!("/api/v1/customers/{}", bd.customer),
        format!("/api/v1/menu/items/{}", bd.item),
        format!("/api/v1/users/{}", bd.staff),
        format!("/api/v1/analytics/summary?location_id={b_loc}"),
        format!("/api/v1/locations/{b_loc}/day-closes"),
        format!("/api/v1/day-closes/{}", bd.day_close),
    ];
    let writes = [
        (
            Method::PATCH,
            format!("/api/v1/devices/{b_device}"),
            json!({ "name": "mía" }),
        ),
        (
            Method::POST,
            format!("/api/v1/devices/{b_device}/revoke"),
            Value::Null,
        ),
        (
            Method::POST,
            format!("/api/v1/locations/{b_loc}/enrollment-codes"),
            Value::Null,
        ),
        (
            Method::PATCH,
            format!("/api/v1/menu/items/{}", bd.item),
            json!({ "price": 1 }),
        ),
    ];
    for token in [&a.token, &a_device] {
        for path in &reads {
            let reply = app.get(path, token).await;
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "GET {path}: {:?}",
                reply.body
            );
            assert_eq!(reply.code(), "not_found");
        }
        for (method, path, body) in &writes {
            let reply = app
                .call(method.clone(), path, body.clone(), Some(token))
                .await;
            let expected = if *token == a.token {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(reply.status, expected, "{method} {path}: {:?}", reply.body);
        }
        // A body naming B's category cannot create an item in B's menu.
        let create = app
            .post(
                "/api/v1/menu/items",
                json!({ "category_id": bd.category, "name": "Intruso", "price": 1 }),
                Some(token),
            )
            .await;
        assert!(
            create.status == StatusCode::UNPROCESSABLE_ENTITY
                || create.status == StatusCode::FORBIDDEN,
            "{create:?}"
        );
        // Lists hold A's rows only, even when filtered by B's location.
        let b_ids: Vec<String> = [
            bd.order,
            bd.customer,
            bd.reservation,
            bd.item,
            bd.staff,
            bd.category,
            bd.day_close,
        ]
        .iter()
        .map(Uuid::to_string)
        .chain([b_device.clone(), b_loc.clone()])
        .collect();
        for path in [
            "/api/v1/orders",
            "/api/v1/reservations",
            "/api/v1/customers",
            "/api/v1/menu",
            "/api/v1/users",
            "/api/v1/devices",
            "/api/v1/locations",
            "/api/v1/analytics/summary",
        ] {
            for query in ["", "?location_id="] {
                let full = if query.is_empty() {
                    path.to_owned()
                } else {
                    format!("{path}{query}{b_loc}")
                };
                let reply = app.get(&full, token).await;
                if reply.status == StatusCode::FORBIDDEN {
                    continue; // a caller without that read permission
                }
                assert!(
                    reply.status.is_success() || reply.status == StatusCode::NOT_FOUND,
                    "{full}: {:?}",
                    reply.body
                );
                let text = reply.body.to_string();
                for id in &b_ids {
                    assert!(!text.contains(id.as_str()), "{full} leaked {id}");
                }
            }
        }
    }
    // A's own data is visible to A.
    let orders = app.get("/api/v1/orders", &a.token).await;
    assert_eq!(orders.body.as_array().unwrap().len(), 1);
    let summary = app.get("/api/v1/analytics/summary", &a.token).await;
    assert_eq!(summary.body["sales"], 8990);
    assert_eq!(summary.body["locations"].as_array().unwrap().len(), 1);
    let closes = app
        .get(
            &format!("/api/v1/locations/{}/day-closes", a.location_id),
            &a.token,
        )
        .await;
    assert_eq!(
        closes.body.as_array().unwrap().len(),
        1,
        "{:?}",
        closes.body
    );
    // B is untouched.
    let b_item = app
        .get(&format!("/api/v1/menu/items/{}", bd.item), &b.token)
        .await;
    assert_eq!(b_item.body["price"], 8990);
    let b_dev = app
        .get(&format!("/api/v1/devices/{b_device}"), &b.token)
        .await;
    assert_eq!(b_dev.body["name"], "Caja B");
    assert!(b_dev.body["revoked_at"].is_null());
}

#[sqlx::test(migrations = false)]
async fn the_service_role_sees_only_the_current_tenant(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner.clone()).await;
    let (a, _, b, _, _) = two_tenants(&app).await;
    let mut conn = owner
        .clone()
        .username(&app.state.settings.service_role)
        .connect()
        .await
        .unwrap();
    let who: String = sqlx::query_scalar("SELECT current_user::text")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(who, "dysa_service");
    // No tenant set: nothing at all.
    for table in [
        "tenants",
        "locations",
        "accounts",
        "orders",
        "customers",
        "devices",
        "menu_items",
        "day_closes",
    ] {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                .fetch_one(&mut conn)
                .await
                .unwrap();
        assert_eq!(n, 0, "{table} without a tenant");
    }
    // Tenant A set: a query with no tenant filter answers A's rows only.
    let mut tx = conn.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(&a.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    let tenants: Vec<Uuid> = sqlx::query_scalar("SELECT tenant_id FROM orders")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(tenants, vec![a.id.parse::<Uuid>().unwrap()]);
    let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM tenants")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(slugs, vec!["tenant-a".to_owned()]);
    // Writing a row for B while A is set is refused by the policy.
    let write =
        sqlx::query("INSERT INTO customers (tenant_id, id, name, hlc) VALUES ($1, $2, 'x', 'h')")
            .bind(b.id.parse::<Uuid>().unwrap())
            .bind(Uuid::now_v7())
            .execute(&mut *tx)
            .await;
    assert!(
        write.is_err(),
        "RLS WITH CHECK must refuse another tenant's row"
    );
    tx.rollback().await.unwrap();
    // The service role can insert leads but not read them, and cannot touch migrations.
    assert!(
        sqlx::query("SELECT * FROM leads")
            .fetch_all(&mut conn)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("SELECT * FROM _sqlx_migrations")
            .fetch_all(&mut conn)
            .await
            .is_err()
    );
    // Nor turn RLS off.
    assert!(
        sqlx::query("ALTER TABLE orders DISABLE ROW LEVEL SECURITY")
            .execute(&mut conn)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("SET row_security = off")
            .execute(&mut conn)
            .await
            .is_ok()
    );
    let n: Result<i64, _> = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&mut conn)
        .await;
    assert!(
        n.is_err(),
        "with row_security off, a policy-bound query must fail, not bypass"
    );
}

#[sqlx::test(migrations = false)]
async fn catalog_every_tenant_table_has_forced_rls_and_a_policy(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let mut conn = app.owner_conn().await;
    let rows: Vec<(String, bool, bool, i64)> = sqlx::query_as(
        "SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity,
                (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
           AND (c.relname = 'tenants' OR EXISTS (SELECT 1 FROM pg_attribute a
                WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))
         ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(rows.len() >= 15, "{rows:?}");
    for (table, rls, force, policies) in &rows {
        assert!(
            *rls && *force && *policies >= 1,
            "{table}: rls={rls} force={force} policies={policies}"
        );
    }
    // Tables without tenant_id are the known, non-tenant ones.
    let others: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'tenants'
           AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
         ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    // The mail outbox and the provider's address events are the platform's (a reset is
    // asked for before any tenant is known; docs/SECURITY.md, "Email").
    assert_eq!(
        others,
        [
            "_sqlx_migrations",
            "auth_lockouts",
            "leads",
            "mail_address_events",
            "mail_outbox",
            "signing_keys"
        ]
    );

    let role = &app.state.settings.service_role;
    let (superuser, bypass, create_role, create_db): (bool, bool, bool, bool) = sqlx::query_as(
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1",
    )
    .bind(role)
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert!(!superuser && !bypass && !create_role && !create_db);
    let owned: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = $1",
    )
    .bind(role)
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(owned, 0, "the service role owns nothing");
    let memberships: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = $1",
    )
    .bind(role)
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(memberships, 0, "the service role inherits no other role");
}

/// Online payment (issue 19): tenant A's owner and device tokens, A's webhook secret and
/// A's notification URL never reach tenant B's account, orders or ledger.
#[sqlx::test(migrations = false)]
async fn tenant_a_never_reaches_tenant_bs_online_payments(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    use axum::body::Body;
    use axum::http::{Request, header};
    use base64::Engine;
    use common::mercado_pago::{ACCESS_TOKEN, FakeMercadoPago, WEBHOOK_SECRET, notification};

    let fake = FakeMercadoPago::start().await;
    let url = fake.url();
    let app = TestApp::with_settings(owner, move |s| {
        s.mercado_pago_api_url = url;
        s.credentials_key = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
    })
    .await;
    let (a, a_device, b, bd, _) = two_tenants(&app).await;
    // Only B links an account (with the fake's secret).
    let linked = app
        .put(
            "/api/v1/payments/mercado-pago",
            json!({"access_token": ACCESS_TOKEN, "webhook_secret": WEBHOOK_SECRET}),
            &b.token,
        )
        .await;
    assert_eq!(linked.status, StatusCode::OK, "{:?}", linked.body);
    // A sees its own (unlinked) state, never B's; A's device cannot link or unlink.
    let read = app.get("/api/v1/payments/mercado-pago", &a.token).await;
    assert_eq!(read.body["linked"], false);
    assert!(!read.body.to_string().contains(&b.id));
    for (method, token) in [(Method::DELETE, &a.token), (Method::DELETE, &a_device)] {
        let reply = app
            .call(
                method,
                "/api/v1/payments/mercado-pago",
                Value::Null,
                Some(token.as_str()),
            )
            .await;
        assert!(
            reply.status == StatusCode::NOT_FOUND || reply.status == StatusCode::FORBIDDEN,
            "{reply:?}"
        );
    }
    assert_eq!(
        app.get("/api/v1/payments/mercado-pago", &b.token)
            .await
            .body["linked"],
        true,
        "A's delete did not unlink B"
    );
    // A payment naming B's order, notified on A's URL (A has no secret) or signed with
    // another secret on B's URL: 401, and B's order gets no ledger row.
    let payment = fake.pay(&bd.order.to_string(), 8990, "approved");
    let send = |path: String, headers: Vec<(String, String)>, body: Value| {
        let mut request = Request::post(path)
            .header(header::HOST, "cloud.test")
            .header(header::CONTENT_TYPE, "application/json");
        for (name, value) in headers {
            request = request.header(name, value);
        }
        app.send(request.body(Body::from(body.to_string())).unwrap())
    };
    let (path, headers, body) = notification(&a.id, payment, WEBHOOK_SECRET);
    assert_eq!(
        send(path, headers, body).await.status,
        StatusCode::UNAUTHORIZED
    );
    let (path, headers, body) = notification(&b.id, payment, "tenant-a-guess-123456");
    assert_eq!(
        send(path, headers, body).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Correctly signed for B, but B's order was never to be paid online: nothing counts.
    let (path, headers, body) = notification(&b.id, payment, WEBHOOK_SECRET);
    assert_eq!(send(path, headers, body).await.status, StatusCode::OK);
    let mut conn = app.owner_conn().await;
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM payments WHERE order_id = $1")
        .bind(bd.order)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

/// Location-scoped accounts (issue 19, Build 3): a manager limited to Providencia gets
/// 404 for every id of the other location and lists without its rows, while it works on
/// Providencia as any manager does. The database enforces it (migration 0035).
#[sqlx::test(migrations = false)]
async fn a_manager_of_one_location_never_reaches_another(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let t = app.signup("cadena").await;
    let mut conn = app.owner_conn().await;
    sqlx::query("UPDATE tenants SET plan = 'enterprise' WHERE slug = 'cadena'")
        .execute(&mut conn)
        .await
        .unwrap();
    let prov = app
        .post(
            "/api/v1/locations",
            json!({ "name": "Providencia" }),
            Some(&t.token),
        )
        .await;
    assert_eq!(prov.status, StatusCode::CREATED, "{:?}", prov.body);
    let prov_id = prov.body["id"].as_str().unwrap().to_owned();
    let other = seed(&app, &t).await;
    let mine = seed(
        &app,
        &Tenant {
            location_id: prov_id.clone(),
            ..t.clone()
        },
    )
    .await;
    let other_loc = t.location_id.clone();
    let other_device = app.enroll(&t.enrollment_code, "Caja Centro").await.body["device_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let (manager_id, manager) = app.account(&t.token, "m@cadena.cl", "manager").await;
    let limited = app
        .patch(
            &format!("/api/v1/accounts/{manager_id}"),
            json!({ "location_ids": [prov_id] }),
            &t.token,
        )
        .await;
    assert_eq!(limited.status, StatusCode::OK, "{:?}", limited.body);
    assert_eq!(limited.body["location_ids"], json!([prov_id]));
    // Owners always see every location; unknown locations are refused.
    let owner_id = app.get("/api/v1/auth/me", &t.token).await.body["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let owner_limited = app
        .patch(
            &format!("/api/v1/accounts/{owner_id}"),
            json!({ "location_ids": [prov_id] }),
            &t.token,
        )
        .await;
    assert_eq!(owner_limited.code(), "owner_account");
    let unknown = app
        .patch(
            &format!("/api/v1/accounts/{manager_id}"),
            json!({ "location_ids": [Uuid::now_v7()] }),
            &t.token,
        )
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        unknown.body
    );

    // Every route naming the other location, or an id that belongs to it: 404.
    let reads = [
        format!("/api/v1/devices/{other_device}"),
        format!("/api/v1/locations/{other_loc}"),
        format!("/api/v1/orders/{}", other.order),
        format!("/api/v1/reservations/{}", other.reservation),
        format!("/api/v1/menu/items/{}", other.item),
        format!("/api/v1/users/{}", other.staff),
        format!("/api/v1/analytics/summary?location_id={other_loc}"),
    ];
    for path in &reads {
        let reply = app.get(path, &manager).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "GET {path}: {:?}",
            reply.body
        );
    }
    // (Devices are written with settings:write, which managers never hold: 403 anyway.)
    let writes = [
        (
            Method::PATCH,
            format!("/api/v1/menu/items/{}", other.item),
            json!({ "price": 1 }),
        ),
        (
            Method::POST,
            format!("/api/v1/locations/{prov_id}/menu-copies"),
            json!({ "from": other_loc }),
        ),
        (
            Method::POST,
            format!("/api/v1/locations/{other_loc}/menu-copies"),
            json!({ "from": prov_id }),
        ),
    ];
    for (method, path, body) in &writes {
        let reply = app
            .call(method.clone(), path, body.clone(), Some(&manager))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {:?}",
            reply.body
        );
    }
    let create = app
        .post(
            "/api/v1/menu/items",
            json!({ "category_id": other.category, "name": "Intruso", "price": 1 }),
            Some(&manager),
        )
        .await;
    assert!(create.status.is_client_error(), "{create:?}");
    // Lists hold Providencia's rows only, even when filtered by the other location.
    let other_ids: Vec<String> = [
        other.order,
        other.reservation,
        other.item,
        other.staff,
        other.category,
    ]
    .iter()
    .map(Uuid::to_string)
    .chain([other_device.clone(), other_loc.clone()])
    .collect();
    for path in [
        "/api/v1/orders",
        "/api/v1/reservations",
        "/api/v1/menu",
        "/api/v1/users",
        "/api/v1/devices",
        "/api/v1/locations",
        "/api/v1/locations/compare",
        "/api/v1/analytics/summary",
        "/api/v1/audit",
    ] {
        for query in ["", "?location_id="] {
            let full = if query.is_empty() {
                path.to_owned()
            } else {
                format!("{path}{query}{other_loc}")
            };
            let reply = app.get(&full, &manager).await;
            assert!(
                reply.status.is_success() || reply.status == StatusCode::NOT_FOUND,
                "{full}: {:?}",
                reply.body
            );
            let text = reply.body.to_string();
            for id in &other_ids {
                assert!(!text.contains(id.as_str()), "{full} leaked {id}");
            }
        }
    }
    // Its own location works as for any manager.
    for path in [
        format!("/api/v1/orders/{}", mine.order),
        format!("/api/v1/menu/items/{}", mine.item),
        format!("/api/v1/locations/{prov_id}"),
    ] {
        let reply = app.get(&path, &manager).await;
        assert_eq!(reply.status, StatusCode::OK, "GET {path}: {:?}", reply.body);
    }
    let locations = app.get("/api/v1/locations", &manager).await;
    assert_eq!(locations.body.as_array().unwrap().len(), 1);
    // Lifting the limit applies at the next request; the owner saw both all along.
    let lifted = app
        .patch(
            &format!("/api/v1/accounts/{manager_id}"),
            json!({ "location_ids": [] }),
            &t.token,
        )
        .await;
    assert_eq!(lifted.body["location_ids"], json!([]));
    let reply = app
        .get(&format!("/api/v1/orders/{}", other.order), &manager)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(
        app.get("/api/v1/locations", &t.token)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

/// Every table holding a location_id carries the restrictive `location_scope` policy of
/// migration 0035, so a table added later without it fails here, not in production.
#[sqlx::test(migrations = false)]
async fn catalog_every_location_table_has_the_location_scope(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let mut conn = app.owner_conn().await;
    let missing: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
           AND (c.relname = 'locations' OR EXISTS (SELECT 1 FROM pg_attribute a
                WHERE a.attrelid = c.oid AND a.attname = 'location_id' AND NOT a.attisdropped))
           AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid
                           AND p.polname = 'location_scope' AND NOT p.polpermissive)
         ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(missing, Vec::<String>::new());
    let scoped: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_policy WHERE polname = 'location_scope'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(scoped >= 20, "{scoped}");
}

/// Plans and billing (issue 19, Build 2): tenant A's owner and device reach only A's
/// billing (`/billing` has no ids: the tenant is the caller's), A's device cannot
/// subscribe, change or cancel, and a notification of B's subscription or charge never
/// touches A.
#[sqlx::test(migrations = false)]
async fn tenant_a_never_reaches_tenant_bs_billing(_: PgPoolOptions, owner: PgConnectOptions) {
    use axum::body::Body;
    use axum::http::{Request, header};
    use common::billing::{FakeBilling, PLATFORM_SECRET, PLATFORM_TOKEN, notification};

    let fake = FakeBilling::start().await;
    let url = fake.url();
    let app = TestApp::with_settings(owner, move |s| {
        s.mercado_pago_api_url = url;
        s.billing_access_token = PLATFORM_TOKEN.into();
        s.billing_webhook_secret = PLATFORM_SECRET.into();
    })
    .await;
    let (a, a_device, b, _, _) = two_tenants(&app).await;
    let reply = app
        .post(
            "/api/v1/billing/subscription",
            json!({"plan": "pro"}),
            Some(&b.token),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let pid = fake.preapproval_of(&b.id)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fake.authorize(&pid);
    let send = |(path, headers, body): (String, Vec<(String, String)>, Value)| {
        let mut request = Request::post(path)
            .header(header::HOST, "cloud.test")
            .header(header::CONTENT_TYPE, "application/json");
        for (name, value) in headers {
            request = request.header(name, value);
        }
        app.send(request.body(Body::from(body.to_string())).unwrap())
    };
    assert_eq!(
        send(notification(
            "subscription_preapproval",
            &pid,
            PLATFORM_SECRET
        ))
        .await
        .status,
        StatusCode::OK
    );
    let charge = fake.charge(&pid, false);
    assert_eq!(
        send(notification(
            "subscription_authorized_payment",
            &charge.to_string(),
            PLATFORM_SECRET
        ))
        .await
        .status,
        StatusCode::OK
    );
    // A (owner and device) sees its own billing, never B's plan, charge or preapproval.
    for token in [&a.token, &a_device] {
        let read = app.get("/api/v1/billing", token).await;
        assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);
        assert_eq!(
            read.body["standing"], "trial",
            "A's own trial, from its sign-up"
        );
        assert_eq!(read.body["invoices"], json!([]));
        assert!(!read.body.to_string().contains(&pid));
    }
    // A's device may not subscribe, change or cancel anything.
    for (method, path, body) in [
        (
            Method::POST,
            "/api/v1/billing/subscription",
            json!({"plan": "basic"}),
        ),
        (
            Method::PUT,
            "/api/v1/billing/plan",
            json!({"plan": "basic"}),
        ),
        (Method::POST, "/api/v1/billing/cancel", Value::Null),
    ] {
        let reply = app.call(method, path, body, Some(&a_device)).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{path}: {:?}",
            reply.body
        );
    }
    // A's owner cancelling cancels nothing of B's.
    let cancel = app
        .post("/api/v1/billing/cancel", Value::Null, Some(&a.token))
        .await;
    assert_eq!(cancel.code(), "no_subscription");
    assert_eq!(fake.preapproval(&pid)["status"], "authorized");
    assert_eq!(
        app.get("/api/v1/billing", &b.token).await.body["standing"],
        "grace"
    );
    let mut conn = app.owner_conn().await;
    // A has only its own sign-up trial: no preapproval, no charge.
    let a_rows: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM subscriptions WHERE tenant_id = $1 AND preapproval_id IS NOT NULL)
              + (SELECT count(*) FROM subscription_invoices WHERE tenant_id = $1)",
    )
    .bind(a.id.parse::<Uuid>().unwrap())
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(a_rows, 0);
}
