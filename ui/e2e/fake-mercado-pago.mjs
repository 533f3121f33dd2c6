// A local stand-in for Mercado Pago for the e2e runs, following its documented API (the
// pages cited in sync-server/src/mercado_pago/client.rs and signature.rs):
//   POST /checkout/preferences          → 201 { id, init_point }
//   GET  /v1/payments/{id}              → the payment
//   POST /v1/payments/{id}/refunds      → 201 { id, payment_id, amount, status } (X-Idempotency-Key: once per key)
// Every call must carry `Authorization: Bearer <the seller's token>`. The checkout page
// (`init_point`) plays the diner paying: it records an approved payment, posts the signed
// notification to the preference's `notification_url` (x-signature: ts, v1 = HMAC-SHA256 of
// `id:{data.id};request-id:{x-request-id};ts:{ts};` with the webhook secret) and sends the
// browser back to `back_urls.success`, as Checkout Pro does with `auto_return: approved`.
//
// Subscriptions (the platform billing restaurants their plan; sync-server/src/mercado_pago/preapproval.rs
// cites the pages), with the platform's own token:
//   POST /preapproval                   → 201 { id, status: "pending", init_point, next_payment_date, … }
//   GET  /preapproval/{id}, PUT /preapproval/{id} (amount, reason, status: cancelled)
//   GET  /authorized_payments/{id}      → the charge, with its payment
// The authorisation page (`init_point`) plays the owner authorising: the preapproval turns
// `authorized`, a signed `subscription_preapproval` notification goes to the cloud's billing
// webhook (`billingWebhook`, as set in Mercado Pago's panel) and the browser returns to `back_url`.
import { createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:http";

export const MP_ACCESS_TOKEN = "APP_USR-e2e-0000000000000000-seller";
export const MP_WEBHOOK_SECRET = "e2e-webhook-secret-0123456789";
export const MP_PLATFORM_TOKEN = "APP_USR-e2e-platform-0000000000000000";
export const MP_PLATFORM_SECRET = "e2e-platform-webhook-secret-0123456789";

/** Starts the fake; resolves `{ base, preferences, payments, refunds, notifications, preapprovals, charges, setBillingWebhook, charge, close }`. */
export function startFakeMercadoPago() {
  const preapprovals = new Map();
  const charges = new Map();
  let billingWebhook = "";
  const preferences = new Map();
  const payments = new Map();
  const refunds = [];
  const notifications = [];
  let next = 1000;
  const json = (res, status, body) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const readBody = (req) =>
    new Promise((ok) => {
      let data = "";
      req.on("data", (c) => (data += c));
      req.on("end", () => ok(data ? JSON.parse(data) : {}));
    });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://fake");
    if (req.method === "GET" && url.pathname === "/checkout/v1/redirect") return pay(url.searchParams.get("pref_id"), res);
    if (req.method === "GET" && url.pathname === "/subscriptions/checkout") return authorize(url.searchParams.get("preapproval_id"), res);
    if (url.pathname.startsWith("/preapproval") || url.pathname.startsWith("/authorized_payments")) return subscriptions(req, url, res);
    if (req.headers.authorization !== `Bearer ${MP_ACCESS_TOKEN}`) return json(res, 401, { message: "invalid access token", error: "unauthorized", status: 401 });
    if (req.method === "POST" && url.pathname === "/checkout/preferences") {
      const body = await readBody(req);
      const id = `123456789-pref-${++next}`;
      preferences.set(id, body);
      return json(res, 201, { id, init_point: `${base}/checkout/v1/redirect?pref_id=${id}`, external_reference: body.external_reference, items: body.items });
    }
    const payment = url.pathname.match(/^\/v1\/payments\/(\d+)$/);
    if (req.method === "GET" && payment) {
      const found = payments.get(Number(payment[1]));
      return found ? json(res, 200, found) : json(res, 404, { message: "Payment not found", error: "not_found", status: 404 });
    }
    const refund = url.pathname.match(/^\/v1\/payments\/(\d+)\/refunds$/);
    if (req.method === "POST" && refund) {
      const key = req.headers["x-idempotency-key"];
      if (!key) return json(res, 400, { message: "X-Idempotency-Key required", error: "bad_request", status: 400 });
      const again = refunds.find((r) => r.key === key);
      if (again) return json(res, 201, again.answer);
      const paid = payments.get(Number(refund[1]));
      if (!paid || paid.status !== "approved") return json(res, 400, { message: "Payment not approved", error: "invalid_status", status: 400 });
      paid.status = "refunded";
      const answer = { id: ++next, payment_id: paid.id, amount: paid.transaction_amount, status: "approved" };
      refunds.push({ key, answer });
      return json(res, 201, answer);
    }
    json(res, 404, { message: "not found", error: "not_found", status: 404 });
  });

  // The diner pays on the checkout page.
  async function pay(prefId, res) {
    const pref = preferences.get(prefId);
    if (!pref) return json(res, 404, { message: "preference not found" });
    const id = 50000000 + ++next;
    const amount = pref.items.reduce((sum, i) => sum + i.unit_price * i.quantity, 0);
    payments.set(id, { id, status: "approved", status_detail: "accredited", external_reference: pref.external_reference, transaction_amount: amount, currency_id: "CLP" });
    const requestId = randomUUID();
    const ts = Math.floor(Date.now() / 1000);
    const v1 = createHmac("sha256", MP_WEBHOOK_SECRET).update(`id:${id};request-id:${requestId};ts:${ts};`).digest("hex");
    const target = new URL(pref.notification_url);
    target.searchParams.set("data.id", String(id));
    target.searchParams.set("type", "payment");
    const answer = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json", "x-signature": `ts=${ts},v1=${v1}`, "x-request-id": requestId },
      body: JSON.stringify({ action: "payment.created", api_version: "v1", type: "payment", live_mode: true, data: { id: String(id) } }),
    });
    notifications.push({ payment: id, status: answer.status });
    res.writeHead(302, { location: pref.back_urls.success });
    res.end();
  }

  async function subscriptions(req, url, res) {
    if (req.headers.authorization !== `Bearer ${MP_PLATFORM_TOKEN}`) return json(res, 401, { message: "invalid access token", error: "unauthorized", status: 401 });
    if (req.method === "POST" && url.pathname === "/preapproval") {
      const body = await readBody(req);
      const rec = body.auto_recurring ?? {};
      if (!body.reason || !String(body.payer_email ?? "").includes("@") || !body.back_url || !(rec.transaction_amount > 0) || rec.currency_id !== "CLP" || body.status !== "pending")
        return json(res, 400, { message: "invalid preapproval", error: "invalid_parameters", status: 400 });
      const id = `2c938084${(++next).toString(16).padStart(24, "0")}`;
      const trialDays = rec.free_trial?.frequency ?? 0;
      const found = { id, status: "pending", reason: body.reason, payer_email: body.payer_email, external_reference: body.external_reference, back_url: body.back_url, auto_recurring: rec, init_point: `${base}/subscriptions/checkout?preapproval_id=${id}`, next_payment_date: new Date(Date.now() + trialDays * 86400000).toISOString() };
      preapprovals.set(id, found);
      return json(res, 201, found);
    }
    const one = url.pathname.match(/^\/preapproval\/([a-z0-9]+)$/);
    if (one && preapprovals.has(one[1])) {
      const found = preapprovals.get(one[1]);
      if (req.method === "GET") return json(res, 200, found);
      if (req.method === "PUT") {
        const body = await readBody(req);
        if (found.status === "cancelled") return json(res, 400, { message: "cannot modify a cancelled preapproval", error: "invalid_status", status: 400 });
        if (body.status) found.status = body.status;
        if (body.reason) found.reason = body.reason;
        if (body.auto_recurring?.transaction_amount) found.auto_recurring.transaction_amount = body.auto_recurring.transaction_amount;
        return json(res, 200, found);
      }
    }
    const charge = url.pathname.match(/^\/authorized_payments\/(\d+)$/);
    if (req.method === "GET" && charge && charges.has(Number(charge[1]))) return json(res, 200, charges.get(Number(charge[1])));
    json(res, 404, { message: "not found", error: "not_found", status: 404 });
  }

  async function notifyBilling(kind, dataId) {
    const requestId = randomUUID();
    const ts = Math.floor(Date.now() / 1000);
    const v1 = createHmac("sha256", MP_PLATFORM_SECRET).update(`id:${dataId};request-id:${requestId};ts:${ts};`).digest("hex");
    const target = new URL(billingWebhook);
    target.searchParams.set("data.id", String(dataId));
    target.searchParams.set("type", kind);
    const answer = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json", "x-signature": `ts=${ts},v1=${v1}`, "x-request-id": requestId },
      body: JSON.stringify({ type: kind, action: "updated", api_version: "v1", live_mode: true, data: { id: String(dataId) } }),
    });
    notifications.push({ [kind]: dataId, status: answer.status });
    return answer.status;
  }

  // The owner authorises the subscription on Mercado Pago's page.
  async function authorize(id, res) {
    const found = preapprovals.get(id);
    if (!found) return json(res, 404, { message: "preapproval not found" });
    found.status = "authorized";
    if (billingWebhook) await notifyBilling("subscription_preapproval", id);
    res.writeHead(302, { location: found.back_url });
    res.end();
  }

  /** Mercado Pago's engine charges a subscription (approved or rejected) and notifies it. */
  async function chargeSubscription(preapprovalId, approved) {
    const found = preapprovals.get(preapprovalId);
    const id = 6000000000 + ++next;
    charges.set(id, { id, type: "scheduled", preapproval_id: preapprovalId, status: approved ? "processed" : "recycling", transaction_amount: found.auto_recurring.transaction_amount, currency_id: "CLP", debit_date: new Date().toISOString(), payment: { id: 90000000 + next, status: approved ? "approved" : "rejected" } });
    return notifyBilling("subscription_authorized_payment", id);
  }

  let base = "";
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () => {
      base = `http://127.0.0.1:${server.address().port}`;
      ok({ base, preferences, payments, refunds, notifications, preapprovals, charges, charge: chargeSubscription, setBillingWebhook: (url) => (billingWebhook = url), close: () => server.close() });
    }),
  );
}
