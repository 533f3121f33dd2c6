//! Line discounts and the manager's PIN approval of voids, discounts and refunds, through
//! the real router: a line discount moves the totals and never takes a line below $0,
//! travels with the synced line and counts in the day's discounts; with "pedir PIN de
//! encargado" on, a cashier's void, discount or refund needs a manager's PIN, a wrong or
//! missing PIN writes nothing, repeated wrong PINs lock the approver, and the audit row
//! names both people.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{HeaderValue, Method, StatusCode};
use common::{Auth, Reply, TestApp};
use serde_json::{Value, json};

const MANAGER_PIN: &str = "2468";

/// A restaurant with an admin, a manager with a PIN, a waiter, and an open counter order
/// of two lines: 2 × $10.000 and 1 × $10.000.
struct Shop {
    app: TestApp,
    admin: String,
    manager_id: String,
    waiter: String,
    order: String,
    lines: Vec<String>,
}

async fn shop(app: TestApp) -> Shop {
    let admin = app.setup().await;
    let item = app.menu_item(&admin, 10_000).await;
    let (manager_id, _) = app.user_with_role(&admin, "manager").await;
    let pin = app
        .post(
            &format!("/api/v1/users/{manager_id}/pin"),
            json!({ "pin": MANAGER_PIN }),
            &admin,
        )
        .await;
    assert_eq!(pin.status, StatusCode::NO_CONTENT, "{:?}", pin.body);
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let created = app
        .post(
            "/api/v1/orders",
            json!({ "channel": "takeaway", "lines": [
                { "item_id": item, "quantity": 2 },
                { "item_id": item, "quantity": 1 },
            ] }),
            &admin,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let order = created.body["id"].as_str().unwrap().to_owned();
    let lines = created.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect();
    Shop {
        app,
        admin,
        manager_id,
        waiter,
        order,
        lines,
    }
}

impl Shop {
    async fn get_order(&self) -> Value {
        let reply = self
            .app
            .get(&format!("/api/v1/orders/{}", self.order), &self.admin)
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        reply.body
    }

    /// `method path body` as `token`, with an approval when given (approver id, PIN).
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Value,
        token: &str,
        approval: Option<(&str, &str)>,
    ) -> Reply {
        let mut request = TestApp::request(method, path, body, Auth::Bearer(token));
        if let Some((approver, pin)) = approval {
            let headers = request.headers_mut();
            headers.insert("x-approval-user", HeaderValue::from_str(approver).unwrap());
            headers.insert("x-approval-pin", HeaderValue::from_str(pin).unwrap());
        }
        self.app.send(request).await
    }

    fn discount_path(&self, line: usize) -> String {
        format!(
            "/api/v1/orders/{}/lines/{}/discount",
            self.order, self.lines[line]
        )
    }

    fn void_path(&self, line: usize) -> String {
        format!(
            "/api/v1/orders/{}/lines/{}/void",
            self.order, self.lines[line]
        )
    }

    async fn require_manager_pin(&self) {
        let on = self
            .app
            .patch(
                "/api/v1/settings",
                json!({ "manager_pin_for_voids": true }),
                &self.admin,
            )
            .await;
        assert_eq!(on.status, StatusCode::OK, "{:?}", on.body);
        assert_eq!(on.body["manager_pin_for_voids"], true);
    }

    async fn audit_rows(&self, action: &str) -> Vec<(Option<String>, Value)> {
        let rows: Vec<(Option<String>, String)> = sqlx::query_as(
            "SELECT actor_name, after FROM audit_events WHERE action = ? ORDER BY at, id",
        )
        .bind(action)
        .fetch_all(&self.app.state.db.read)
        .await
        .unwrap();
        rows.into_iter()
            .map(|(who, after)| (who, serde_json::from_str(&after).unwrap()))
            .collect()
    }
}

#[tokio::test]
async fn a_line_discount_moves_the_totals_and_never_takes_a_line_below_zero() {
    let shop = shop(TestApp::new().await).await;
    let (app, admin) = (&shop.app, shop.admin.as_str());
    let fifteen = app
        .post(
            &shop.discount_path(0),
            json!({ "percent": 15, "reason": "cliente frecuente" }),
            admin,
        )
        .await;
    assert_eq!(fifteen.status, StatusCode::OK, "{:?}", fifteen.body);
    let line = &fifteen.body["lines"][0];
    assert_eq!(line["discount"]["percent"], 15);
    assert_eq!(line["discount"]["amount"], 3_000);
    assert_eq!(line["discount"]["reason"], "cliente frecuente");
    assert_eq!(line["line_total"], 20_000, "the line keeps its price");
    assert_eq!(fifteen.body["subtotal"], 30_000);
    assert_eq!(fifteen.body["discount"], 3_000);
    assert_eq!(fifteen.body["total"], 27_000);
    assert_eq!(
        fifteen.body["net"].as_i64().unwrap() + fifteen.body["tax"].as_i64().unwrap(),
        27_000
    );
    // The line syncs with its discount (the line row is written whole).
    let payload: String = sqlx::query_scalar(
        "SELECT payload FROM outbox WHERE entity = 'order_line' AND entity_id = ?
         ORDER BY rowid DESC LIMIT 1",
    )
    .bind(&shop.lines[0])
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    let payload: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(payload["line"]["discount"]["amount"], 3_000);

    // More than the line, both kinds at once, or nothing at all: refused, nothing written.
    for body in [
        json!({ "amount": 20_001, "reason": "x" }),
        json!({ "percent": 101, "reason": "x" }),
        json!({ "percent": 10, "amount": 100, "reason": "x" }),
        json!({ "reason": "x" }),
        json!({ "percent": 10, "reason": " " }),
    ] {
        let refused = app.post(&shop.discount_path(0), body.clone(), admin).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            refused.body
        );
        assert!(
            refused.body["error"]["fields"].is_object(),
            "{:?}",
            refused.body
        );
    }
    assert_eq!(shop.get_order().await["total"], 27_000);

    // The bill discount comes on top, within what the lines leave.
    let bill = app
        .patch(
            &format!("/api/v1/orders/{}", shop.order),
            json!({ "discount": 1_000 }),
            admin,
        )
        .await;
    assert_eq!(bill.status, StatusCode::OK, "{:?}", bill.body);
    assert_eq!(bill.body["discount"], 4_000);
    assert_eq!(bill.body["total"], 26_000);
    let too_much = app
        .patch(
            &format!("/api/v1/orders/{}", shop.order),
            json!({ "discount": 27_001 }),
            admin,
        )
        .await;
    assert_eq!(too_much.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A whole line given away leaves it at $0, never below.
    let all = app
        .post(
            &shop.discount_path(1),
            json!({ "percent": 100, "reason": "cortesía" }),
            admin,
        )
        .await;
    assert_eq!(all.status, StatusCode::OK, "{:?}", all.body);
    assert_eq!(all.body["lines"][1]["discount"]["amount"], 10_000);
    assert_eq!(all.body["total"], 16_000);
    // Voiding the first line would leave the bill's $1.000 over what the lines leave
    // ($10.000 less its own $10.000): refused until the bill discount goes.
    let void = json!({ "reason": "se arrepintió" });
    let refused = app.post(&shop.void_path(0), void.clone(), admin).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.code(), "discount_exceeds_subtotal");
    assert_eq!(shop.get_order().await["lines"][0]["voided"], false);
    let no_bill = app
        .patch(
            &format!("/api/v1/orders/{}", shop.order),
            json!({ "discount": 0 }),
            admin,
        )
        .await;
    assert_eq!(
        no_bill.body["discount"], 13_000,
        "the lines' discounts stay"
    );
    // Voiding a discounted line takes its discount with it.
    let voided = app.post(&shop.void_path(0), void, admin).await;
    assert_eq!(voided.status, StatusCode::OK, "{:?}", voided.body);
    assert_eq!(voided.body["discount"], 10_000);
    assert_eq!(voided.body["total"], 0);
    // An amount of 0 takes a discount away.
    let removed = app
        .post(
            &shop.discount_path(1),
            json!({ "amount": 0, "reason": "era un error" }),
            admin,
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{:?}", removed.body);
    assert!(
        removed.body["lines"][1]
            .get("discount")
            .is_none_or(Value::is_null)
    );
    assert_eq!(removed.body["discount"], 0);
    assert_eq!(removed.body["total"], 10_000);
    // Each change is one audit row naming the item.
    let rows = shop.audit_rows("order.discount").await;
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert_eq!(rows[0].1["item"], "Completo italiano");
    assert_eq!(rows[0].1["reason"], "cliente frecuente");
}

#[tokio::test]
async fn the_days_discounts_count_line_discounts() {
    let shop = shop(TestApp::new().await).await;
    let (app, admin) = (&shop.app, shop.admin.as_str());
    let discounted = app
        .post(
            &shop.discount_path(0),
            json!({ "amount": 2_500, "reason": "cumpleaños" }),
            admin,
        )
        .await;
    assert_eq!(discounted.status, StatusCode::OK, "{:?}", discounted.body);
    let paid = app
        .post(
            "/api/v1/payments",
            json!({ "order_id": shop.order, "method": "debit", "amount": 27_500 }),
            admin,
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
    let x = app.get("/api/v1/reports/x", admin).await;
    assert_eq!(x.status, StatusCode::OK, "{:?}", x.body);
    assert_eq!(x.body["discounts"], 2_500, "{:?}", x.body);
}

#[tokio::test]
async fn without_the_setting_a_cashier_cannot_void_even_with_a_pin() {
    let shop = shop(TestApp::new().await).await;
    let me = shop.app.get("/api/v1/auth/me", &shop.waiter).await;
    assert_eq!(me.body["with_approval"], json!([]));
    let refused = shop
        .call(
            Method::POST,
            &shop.void_path(0),
            json!({ "reason": "no lo quiso" }),
            &shop.waiter,
            Some((&shop.manager_id, MANAGER_PIN)),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "forbidden");
    assert_eq!(shop.get_order().await["lines"][0]["voided"], false);
}

#[tokio::test]
async fn with_the_setting_a_cashier_voids_discounts_and_refunds_with_a_managers_pin() {
    let shop = shop(TestApp::new().await).await;
    shop.require_manager_pin().await;
    let me = shop.app.get("/api/v1/auth/me", &shop.waiter).await;
    assert_eq!(
        me.body["with_approval"],
        json!(["orders:update", "payments:write"])
    );
    let void = json!({ "reason": "no lo quiso" });

    // No PIN: told a manager's PIN is needed, nothing written.
    let missing = shop
        .call(
            Method::POST,
            &shop.void_path(0),
            void.clone(),
            &shop.waiter,
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert_eq!(missing.code(), "approval_required");
    assert!(missing.body["error"]["message"].is_string());
    // A wrong PIN, the cashier's own id, or someone without the permission: refused alike.
    let wrong = shop
        .call(
            Method::POST,
            &shop.void_path(0),
            void.clone(),
            &shop.waiter,
            Some((&shop.manager_id, "1111")),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(wrong.code(), "approval_refused");
    let nobody = shop
        .call(
            Method::POST,
            &shop.void_path(0),
            void.clone(),
            &shop.waiter,
            Some(("not-a-user", MANAGER_PIN)),
        )
        .await;
    assert_eq!(nobody.code(), "approval_refused");
    let order = shop.get_order().await;
    assert_eq!(order["lines"][0]["voided"], false);
    assert_eq!(order["total"], 30_000);
    assert!(shop.audit_rows("order.line_voided").await.is_empty());

    // The manager's PIN: done, and the audit row names the cashier and the approver.
    let approval = Some((shop.manager_id.as_str(), MANAGER_PIN));
    let voided = shop
        .call(
            Method::POST,
            &shop.void_path(0),
            void,
            &shop.waiter,
            approval,
        )
        .await;
    assert_eq!(voided.status, StatusCode::OK, "{:?}", voided.body);
    assert_eq!(voided.body["lines"][0]["voided"], true);
    let rows = shop.audit_rows("order.line_voided").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0.as_deref(), Some("Persona waiter"));
    assert_eq!(rows[0].1["approved_by"]["name"], "Persona manager");
    assert_eq!(rows[0].1["approved_by"]["id"], shop.manager_id.as_str());
    let page = shop
        .app
        .get(
            "/api/v1/audit?action=order.line_voided&limit=1",
            &shop.admin,
        )
        .await;
    let line = page.body["items"][0].to_string();
    assert!(line.contains("aprobado por Persona manager"), "{line}");

    let discounted = shop
        .call(
            Method::POST,
            &shop.discount_path(1),
            json!({ "percent": 10, "reason": "reclamo" }),
            &shop.waiter,
            approval,
        )
        .await;
    assert_eq!(discounted.status, StatusCode::OK, "{:?}", discounted.body);
    assert_eq!(discounted.body["total"], 9_000);
    let paid = shop
        .app
        .post(
            "/api/v1/payments",
            json!({ "order_id": shop.order, "method": "debit", "amount": 9_000 }),
            &shop.admin,
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
    let payment = paid.body["payment"]["id"]
        .as_str()
        .or_else(|| paid.body["id"].as_str())
        .unwrap()
        .to_owned();
    let refund_path = format!("/api/v1/payments/{payment}/refund");
    let no_pin = shop
        .call(
            Method::POST,
            &refund_path,
            json!({ "reason": "plato frío" }),
            &shop.waiter,
            None,
        )
        .await;
    assert_eq!(no_pin.code(), "approval_required");
    let refunded = shop
        .call(
            Method::POST,
            &refund_path,
            json!({ "reason": "plato frío" }),
            &shop.waiter,
            approval,
        )
        .await;
    assert_eq!(refunded.status, StatusCode::CREATED, "{:?}", refunded.body);
    let rows = shop.audit_rows("payment.refunded").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1["approved_by"]["name"], "Persona manager");
    // A viewer cannot ask at all: viewing is not taking orders.
    let (_, viewer) = shop.app.user_with_role(&shop.admin, "viewer").await;
    let viewer_try = shop
        .call(
            Method::POST,
            &shop.void_path(1),
            json!({ "reason": "x" }),
            &viewer,
            approval,
        )
        .await;
    assert_eq!(viewer_try.code(), "forbidden");
}

#[tokio::test]
async fn repeated_wrong_pins_lock_the_approver() {
    let shop = shop(TestApp::with_settings(|s| s.login_max_failures = 3).await).await;
    shop.require_manager_pin().await;
    let void = json!({ "reason": "no lo quiso" });
    for _ in 0..3 {
        let wrong = shop
            .call(
                Method::POST,
                &shop.void_path(0),
                void.clone(),
                &shop.waiter,
                Some((&shop.manager_id, "9999")),
            )
            .await;
        assert_eq!(wrong.code(), "approval_refused", "{:?}", wrong.body);
    }
    // Locked now: even the right PIN waits, and nothing is written.
    let locked = shop
        .call(
            Method::POST,
            &shop.void_path(0),
            void,
            &shop.waiter,
            Some((&shop.manager_id, MANAGER_PIN)),
        )
        .await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{:?}",
        locked.body
    );
    assert!(locked.headers.contains_key("retry-after"));
    assert_eq!(shop.get_order().await["lines"][0]["voided"], false);
    // Each refused approval is in the log as a failed try.
    let failed = shop.audit_rows("auth.sign_in_failed").await;
    assert_eq!(
        failed
            .iter()
            .filter(|(_, after)| after["method"] == "approval")
            .count(),
        3
    );
}

#[tokio::test]
async fn with_the_setting_a_cashier_cancels_with_a_managers_pin_and_moves_nothing_else() {
    let shop = shop(TestApp::new().await).await;
    let status_path = format!("/api/v1/orders/{}/status", shop.order);
    let cancel = json!({ "status": "cancelled", "reason": "el cliente se fue" });
    let before = shop.get_order().await["status"].clone();

    // Setting off: a cashier cannot cancel, PIN or not.
    let off = shop
        .call(
            Method::POST,
            &status_path,
            cancel.clone(),
            &shop.waiter,
            Some((&shop.manager_id, MANAGER_PIN)),
        )
        .await;
    assert_eq!(off.code(), "forbidden", "{:?}", off.body);

    shop.require_manager_pin().await;
    let missing = shop
        .call(
            Method::POST,
            &status_path,
            cancel.clone(),
            &shop.waiter,
            None,
        )
        .await;
    assert_eq!(missing.code(), "approval_required", "{:?}", missing.body);
    let wrong = shop
        .call(
            Method::POST,
            &status_path,
            cancel.clone(),
            &shop.waiter,
            Some((&shop.manager_id, "1357")),
        )
        .await;
    assert_eq!(wrong.code(), "approval_refused", "{:?}", wrong.body);
    // The PIN stands in only for cancelling: moving the order on stays with the roles.
    let confirm = shop
        .call(
            Method::POST,
            &status_path,
            json!({ "status": "ready" }),
            &shop.waiter,
            Some((&shop.manager_id, MANAGER_PIN)),
        )
        .await;
    assert_eq!(confirm.code(), "forbidden", "{:?}", confirm.body);
    assert_eq!(shop.get_order().await["status"], before);
    assert!(shop.audit_rows("order.cancelled").await.is_empty());

    let cancelled = shop
        .call(
            Method::POST,
            &status_path,
            cancel,
            &shop.waiter,
            Some((&shop.manager_id, MANAGER_PIN)),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{:?}", cancelled.body);
    assert_eq!(cancelled.body["status"], "cancelled");
    let rows = shop.audit_rows("order.cancelled").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0.as_deref(), Some("Persona waiter"));
    assert_eq!(rows[0].1["approved_by"]["name"], "Persona manager");
}
