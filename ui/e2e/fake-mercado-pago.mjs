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
import { createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:http";

export const MP_ACCESS_TOKEN = "APP_USR-e2e-0000000000000000-seller";
export const MP_WEBHOOK_SECRET = "e2e-webhook-secret-0123456789";

/** Starts the fake; resolves `{ base, preferences, payments, refunds, notifications, close }`. */
export function startFakeMercadoPago() {
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

  let base = "";
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () => {
      base = `http://127.0.0.1:${server.address().port}`;
      ok({ base, preferences, payments, refunds, notifications, close: () => server.close() });
    }),
  );
}
