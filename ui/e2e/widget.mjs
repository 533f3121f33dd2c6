// End-to-end for the diners' widget, in headless Chromium (Debian's, through playwright-core).
// A plain restaurant website with hostile CSS is served from ANOTHER origin (a tiny Node
// server) and embeds <script src=CLOUD/widget.js data-restaurant=SLUG async>.
//
// Part A, "contract": CLOUD is a faithful fake of the public API contract
// (/work/contract-public-api.md shapes) that also serves ui/dist-widget/widget.js. It drives
// every panel: isolation both ways, keyboard, menu with a sold-out item, chat order in
// Spanish with the draft and confirm, Idempotency-Key reuse on a retried submission, live
// status (SSE) through waiting → accepted → ready, booking, XSS as text, phone layout.
//
// Part B, "real": CLOUD is the built dysa-cloud on a fresh Postgres database with a
// dysa-appliance enrolled to it. It runs each step whose server routes exist and names
// the ones that do not (which fails the run only with WIDGET_E2E_REQUIRE_ALL=1: the
// server routes are built on other branches and land separately).
//
//   CARGO_TARGET_DIR=... CHROMIUM=/usr/bin/chromium node e2e/widget.mjs [contract|real]
// Screenshots go to ui/e2e/artifacts/.
import { spawn, execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer as createHttpServer } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { pngPhoto } from "./harness.mjs";
import { chromium } from "playwright-core";
import { MP_ACCESS_TOKEN, MP_WEBHOOK_SECRET, startFakeMercadoPago } from "./fake-mercado-pago.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const artifacts = resolve(here, "artifacts");
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const parts = process.argv[2] ? [process.argv[2]] : ["contract", "real"];
const widgetJs = readFileSync(resolve(here, "../dist-widget/widget.js"));
mkdirSync(artifacts, { recursive: true });

const freePort = () =>
  new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on("error", fail);
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const step = (name) => console.log(`  · ${name}`);
function assert(cond, message) {
  if (!cond) throw new Error("assertion failed: " + message);
}
async function eventually(what, check, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last;
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ": " + last : ""}`);
    await sleep(250);
  }
}

// ---- the restaurant's own website, on another origin, with hostile CSS ------------------
const HOSTILE_CSS = `
* { font-size: 40px !important; color: lime !important; background: magenta !important; letter-spacing: 9px !important; box-sizing: content-box !important; line-height: 3 !important; text-transform: uppercase !important; }
div, section, button, input, p { display: none !important; visibility: hidden !important; }
body > * { position: absolute !important; left: -9999px !important; opacity: 0 !important; }
button { all: unset !important; }
h1.site { font-size: 30px !important; color: rgb(10, 20, 30) !important; font-family: serif !important; display: block !important; position: static !important; left: 0 !important; opacity: 1 !important; }
`;
function startSite(cloudBase, slug, lang = "es", attrs = "") {
  const html = `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sitio del restaurante</title><style>${HOSTILE_CSS}</style></head>
<body><h1 class="site">Bienvenidos a nuestro sitio</h1><p class="site">Texto del sitio.</p>
<script src="${cloudBase}/widget.js" data-restaurant="${slug}" ${attrs} async></script></body></html>`;
  const server = createHttpServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ server, base: `http://localhost:${server.address().port}` })));
}

// ---- part A: a faithful fake of the public API contract ---------------------------------
function fakeCloud(slug) {
  const items = [
    { id: "item-completo", name: { es: "Completo italiano", en: "Italian hot dog" }, description: { es: "Palta, tomate y mayo", en: "Avocado, tomato, mayo" }, price: 3990, available: true, modifier_groups: [] },
    { id: "item-churrasco", name: { es: "Churrasco", en: "Steak sandwich" }, description: null, price: 6990, available: false, modifier_groups: [] },
    { id: "item-bebida", name: { es: "Bebida", en: "Soda" }, description: null, price: 1500, available: true, modifier_groups: [] },
    {
      id: "item-lomo", name: { es: "Lomo a lo pobre", en: "Steak and eggs" }, description: null, price: 8990, available: true,
      tags: ["gluten_free"], allergens: ["egg"], prep_minutes: 25,
      modifier_groups: [
        { id: "g-termino", name: { es: "Término", en: "Doneness" }, min_choices: 1, max_choices: 1, options: [
          { id: "o-jugoso", name: { es: "Jugoso", en: "Rare" }, price_delta: 0, available: true },
          { id: "o-punto", name: { es: "A punto", en: "Medium" }, price_delta: 0, available: true },
          { id: "o-cocido", name: { es: "Bien cocido", en: "Well done" }, price_delta: 0, available: false },
        ] },
        { id: "g-extras", name: { es: "Agregados", en: "Extras" }, min_choices: 0, max_choices: 2, options: [
          { id: "o-palta", name: { es: "Palta", en: "Avocado" }, price_delta: 900, available: true },
        ] },
      ],
    },
  ];
  // A long list, so the cart bar has to stay in view while the diner scrolls.
  const drinks = Array.from({ length: 12 }, (_, n) => ({ id: `item-jugo-${n}`, name: { es: `Jugo natural ${n + 1}`, en: `Fresh juice ${n + 1}` }, description: null, price: 2500, available: true, modifier_groups: [] }));
  items.push(...drinks);
  const options = new Map(items.flatMap((i) => i.modifier_groups.flatMap((g) => g.options.map((o) => [o.id, o]))));
  const byId = new Map(items.map((i) => [i.id, i]));
  const state = { online: false, orders: new Map(), keys: new Map(), streams: new Map(), posts: [], failNextOrderAnswer: false, bookings: [] };
  const config = {
    restaurant: { slug, name: "Donde Pepe <b>&</b>" },
    location: {
      id: "loc-1", name: "Centro", time_zone: "America/Santiago", address: "Av. Italia 1234, Ñuñoa", phone: "+56 9 8765 4321",
      opening_hours: Object.fromEntries(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map((d) => [d, [{ open: "12:00", close: "23:00" }]])),
    },
    appearance: { primary_color: "#1b5e20", accent_color: "#ff6f00", logo_url: null, greeting: { es: "¡Hola! ¿Qué se te antoja?", en: "Hi! What would you like?" }, position: "right", language: "auto" },
    ordering: { online_orders: true, offline_policy: "wait" },
    bookings: { enabled: true, max_party_size: 8 },
    restaurant_online: false,
    messages: { channels: ["whatsapp", "sms", "email"] },
  };
  const price = (lines) => {
    const priced = lines.map((l) => {
      const it = byId.get(l.item_id);
      const unit = it.price + (l.options ?? []).reduce((sum, id) => sum + options.get(id).price_delta, 0);
      return { item_id: l.item_id, name: it.name.es, quantity: l.quantity, unit_price: unit, line_total: unit * l.quantity };
    });
    return { lines: priced, total: priced.reduce((s, l) => s + l.line_total, 0) };
  };
  const statusBody = (o) => ({ id: o.id, status: o.status, total: o.total, updated_at: new Date().toISOString(), reason: null, number: o.number });
  const setStatus = (id, status) => {
    const o = state.orders.get(id);
    o.status = status;
    for (const res of state.streams.get(id) ?? []) res.write(`event: status\ndata: ${JSON.stringify(statusBody(o))}\n\n`);
  };
  let allowedOrigin = null;
  const server = createHttpServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const url = new URL(req.url, "http://fake");
      const origin = req.headers.origin;
      const cors = origin && origin === allowedOrigin ? { "access-control-allow-origin": origin, vary: "origin" } : {};
      const send = (status, body, extra = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...cors, ...extra });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === "/widget.js") {
        res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "access-control-allow-origin": "*" });
        return res.end(widgetJs);
      }
      const prefix = `/api/v1/public/${slug}/`;
      if (!url.pathname.startsWith(prefix)) return send(404, { error: { code: "restaurant_not_found", message: "No existe" } });
      if (req.method === "OPTIONS") {
        res.writeHead(204, { ...cors, "access-control-allow-methods": "GET, POST", "access-control-allow-headers": "content-type, idempotency-key, accept-language, x-status-token" });
        return res.end();
      }
      const path = url.pathname.slice(prefix.length);
      const body = raw ? JSON.parse(raw) : null;
      if (path === "widget") return send(200, { ...config, restaurant_online: state.online });
      if (path === "menu")
        return send(200, { currency: "CLP", categories: [{ id: "cat-1", name: { es: "Completos", en: "Hot dogs" }, items: items.filter((i) => !drinks.includes(i)) }, { id: "cat-2", name: { es: "Jugos", en: "Juices" }, items: drinks }], version: 1 });
      if (path === "chat") {
        const conversation_id = body.conversation_id ?? randomUUID();
        const m = /(\d+)\s+completos?\s+italianos?/i.exec(body.message);
        if (m) {
          const draft = price([{ item_id: "item-completo", quantity: Number(m[1]) }]);
          return send(200, { conversation_id, reply: `Anoto ${m[1]} completos italianos. ¿Confirmas?`, answered_by: "cloud", draft: { ...draft, lines: draft.lines.map((l) => ({ ...l, options: [] })) }, ready_to_order: false });
        }
        if (/confirmo/i.test(body.message)) return send(200, { conversation_id, reply: "¡Listo! Completa tus datos.", answered_by: "cloud", draft: null, ready_to_order: true });
        // Echoes the diner's words back, markup and all: the widget must show them as text.
        return send(200, { conversation_id, reply: `No entendí «${body.message}» <img src=x onerror=alert(2)>`, answered_by: "cloud", draft: null, ready_to_order: false });
      }
      if (path === "orders" && req.method === "POST") {
        const key = req.headers["idempotency-key"];
        state.posts.push({ key, body });
        if (!key) return send(400, { error: { code: "idempotency_key_required", message: "Falta Idempotency-Key" } });
        const seen = state.keys.get(key);
        if (seen && seen.raw !== raw) return send(409, { error: { code: "idempotency_conflict", message: "Otra solicitud usó esa clave" } });
        let answer = seen?.answer;
        if (!answer) {
          for (const l of body.lines) {
            const it = byId.get(l.item_id);
            if (!it || !it.available) return send(422, { error: { code: "validation_failed", message: "Ese producto no está disponible", fields: { lines: "agotado" } } });
            // As the cloud: a required group left unanswered refuses the order.
            for (const g of it.modifier_groups) {
              const n = (l.options ?? []).filter((id) => g.options.some((o) => o.id === id)).length;
              if (n < g.min_choices || n > g.max_choices) return send(422, { error: { code: "validation_failed", message: `Falta elegir ${g.name.es}`, fields: { "lines[0].options": "falta" } } });
            }
          }
          const id = randomUUID();
          const priced = price(body.lines);
          const prep = body.lines.map((l) => byId.get(l.item_id).prep_minutes).filter(Boolean);
          const number = state.orders.size + 7;
          answer = { id, status: "pending", ...priced, waiting_for_restaurant: !state.online, status_token: randomUUID(), number, estimated_minutes: prep.length ? Math.max(...prep) : 20 };
          state.orders.set(id, { ...answer, body });
          state.keys.set(key, { raw, answer });
        }
        if (state.failNextOrderAnswer) {
          // The order is made but the answer is lost on the way (a proxy gives up on it).
          state.failNextOrderAnswer = false;
          res.writeHead(504, { "content-type": "text/html", ...cors });
          return res.end("<h1>Gateway Timeout</h1>");
        }
        return send(201, answer);
      }
      const om = /^orders\/([^/]+)(\/events)?$/.exec(path);
      if (om) {
        const o = state.orders.get(om[1]);
        // The token travels in a header only (never in the URL).
        if (url.searchParams.has("token")) return send(400, { error: { code: "status_token_in_url", message: "El token va en la cabecera" } });
        if (!o || req.headers["x-status-token"] !== o.status_token) return send(404, { error: { code: "not_found", message: "No existe" } });
        if (!om[2]) return send(200, statusBody(o));
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...cors });
        res.write(`event: status\ndata: ${JSON.stringify(statusBody(o))}\n\n`);
        const list = state.streams.get(o.id) ?? [];
        list.push(res);
        state.streams.set(o.id, list);
        return;
      }
      if (path === "availability") {
        const date = url.searchParams.get("date");
        const slots = ["19:00", "19:30", "20:00", "20:30"].map((hm, i) => ({ starts_at: `${date}T${hm}:00-03:00`, available: i !== 1 }));
        return send(200, { date, party_size: Number(url.searchParams.get("party_size")), slots });
      }
      if (path === "reservations" && req.method === "POST") {
        state.bookings.push({ key: req.headers["idempotency-key"], body });
        return send(201, { id: randomUUID(), status: state.online ? "confirmed" : "pending", starts_at: body.starts_at, party_size: body.party_size, table: null });
      }
      send(404, { error: { code: "not_found", message: "No existe" } });
    });
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () =>
      ok({ server, base: `http://127.0.0.1:${server.address().port}`, state, setStatus, allow: (o) => (allowedOrigin = o) }),
    ),
  );
}

// ---- browser helpers -------------------------------------------------------------------
async function launch() {
  return chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}
async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "es-CL", timezoneId: "America/Santiago", ...options });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const problems = { dialogs: [], errors: [] };
  page.on("dialog", (d) => {
    problems.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("pageerror", (e) => problems.errors.push(String(e)));
  return { context, page, problems };
}
const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`) });
// Playwright's CSS engine pierces open shadow roots; the widget's host is the only one.
const w = (page, selector, options) => page.locator(`[data-dysa-widget] ${selector}`, options);

/** The checks both parts share: the widget shows on the hostile site, and neither breaks the other. */
async function checkIsolation(page) {
  step("isolation: the host page's CSS cannot break the widget, nor the widget the page");
  const bubble = w(page, "button.bubble");
  await bubble.waitFor({ state: "visible" });
  const box = await bubble.boundingBox();
  assert(box && Math.round(box.width) === 60 && Math.round(box.height) === 60, `bubble 60×60, got ${JSON.stringify(box)}`);
  const vp = page.viewportSize();
  assert(box.x + box.width <= vp.width && box.y + box.height <= vp.height && box.x > vp.width / 2, "bubble bottom-right, inside the viewport");
  const bubbleStyle = await bubble.evaluate((el) => {
    const s = getComputedStyle(el);
    return { bg: s.backgroundColor, font: getComputedStyle(el.getRootNode().querySelector(".root")).fontSize, spacing: s.letterSpacing };
  });
  assert(bubbleStyle.font === "15px", `widget font 15px, got ${bubbleStyle.font}`);
  assert(bubbleStyle.spacing === "normal", `no letter-spacing from the host, got ${bubbleStyle.spacing}`);
  const h1 = await page.locator("h1.site").evaluate((el) => {
    const s = getComputedStyle(el);
    return { size: s.fontSize, color: s.color, family: s.fontFamily };
  });
  assert(h1.size === "30px" && h1.color === "rgb(10, 20, 30)" && h1.family === "serif", `host h1 untouched, got ${JSON.stringify(h1)}`);
  const leaked = await page.evaluate(() => [...document.querySelectorAll("style,link[rel=stylesheet]")].length);
  assert(leaked === 1, `the widget adds no style to the host document (found ${leaked})`);
}

// ---- part A ----------------------------------------------------------------------------
async function contractPart(browser) {
  console.log("widget e2e, part A: against a fake of the public API contract");
  const slug = "donde-pepe";
  const cloud = await fakeCloud(slug);
  const site = await startSite(cloud.base, slug);
  cloud.allow(site.base);
  try {
    const { page, problems } = await newPage(browser);
    await page.goto(site.base);
    await checkIsolation(page);
    await shot(page, "a-01-closed-on-hostile-site");

    step("keyboard: open, focus in the chat, Escape closes and returns focus");
    await w(page, "button.bubble").focus();
    await page.keyboard.press("Enter");
    await w(page, "section.panel").waitFor({ state: "visible" });
    assert((await w(page, "h2").textContent()) === "Donde Pepe <b>&</b>", "restaurant name shown as text");
    await eventually("focus in the message box", () => w(page, "input[name=message]").evaluate((el) => el.getRootNode().activeElement === el));
    assert((await w(page, ".log").getAttribute("aria-live")) === "polite", "messages announced");
    await w(page, ".log .msg", { hasText: "Qué se te antoja" }).first().waitFor();
    await page.keyboard.press("Escape");
    await w(page, "section.panel").waitFor({ state: "hidden" });
    assert(await w(page, "button.bubble").evaluate((el) => el.getRootNode().activeElement === el), "focus back on the bubble");
    await w(page, "button.bubble").click();

    step("menu: categories, sold-out marked and not orderable, prices in CLP");
    await w(page, "nav button", { hasText: "Menú" }).click();
    await w(page, "h3", { hasText: "Completos" }).waitFor();
    const sold = w(page, ".item.out");
    assert((await sold.count()) === 1 && (await sold.textContent()).includes("Agotado"), "one sold-out item marked");
    assert((await sold.locator("button").count()) === 0, "no add button on the sold-out item");
    assert((await w(page, ".item", { hasText: "Completo italiano" }).textContent()).includes("$3.990"), "price as $3.990");
    await shot(page, "a-02-menu");

    step("chat: an order in Spanish, the draft with prices, confirm");
    await w(page, "nav button", { hasText: "Chat" }).click();
    // The diner says who they are in the chat: the order form does not ask again.
    await w(page, "input[name=message]").fill("Hola, soy Ana Comensal y mi fono es +56 9 1234 5678");
    await w(page, "input[name=message]").press("Enter");
    await w(page, ".msg", { hasText: "No entendí" }).waitFor();
    await w(page, "input[name=message]").fill("quiero 2 completos italianos");
    await w(page, "input[name=message]").press("Enter");
    await w(page, ".draft li", { hasText: "2 × Completo italiano — $7.980" }).waitFor();
    await w(page, ".draft li", { hasText: "Total: $7.980" }).waitFor();
    await shot(page, "a-03-chat-draft");
    await w(page, "button", { hasText: "Confirmar pedido" }).click();
    await w(page, "input[name=name]").waitFor();
    assert((await w(page, "input[name=name]").inputValue()) === "Ana Comensal", "the name said in the chat is on the form");
    assert((await w(page, "input[name=phone]").inputValue()) === "+56 9 1234 5678", "the phone said in the chat is on the form");
    await shot(page, "a-03b-checkout-prefilled");

    step("a lost answer is retried with the same Idempotency-Key: one order");
    cloud.state.failNextOrderAnswer = true;
    await w(page, "form button[type=submit]").click();
    await w(page, "form .err", { hasText: /conexión|falló/ }).waitFor();
    await w(page, "form button[type=submit]").click();
    await w(page, ".stage", { hasText: "Esperando al restaurante" }).waitFor();
    const posts = cloud.state.posts;
    assert(posts.length === 2 && posts[0].key === posts[1].key, `two posts with one key: ${JSON.stringify(posts.map((p) => p.key))}`);
    assert(cloud.state.orders.size === 1, "one order made");
    assert(JSON.stringify(posts[0].body.lines) === JSON.stringify([{ item_id: "item-completo", quantity: 2 }]), "the draft's lines were submitted");
    await shot(page, "a-04-waiting");

    step("status live: waiting → accepted → ready");
    const [orderId] = cloud.state.orders.keys();
    await sleep(300);
    cloud.setStatus(orderId, "confirmed");
    await w(page, ".stage", { hasText: "Pedido aceptado" }).waitFor();
    cloud.setStatus(orderId, "ready");
    await w(page, ".stage", { hasText: "listo" }).waitFor();
    await shot(page, "a-05-ready");

    step("the open order survives a reload; the conversation survives the visit (a new tab) until the diner starts afresh");
    await page.reload();
    await w(page, "button.bubble").click();
    await w(page, "nav button", { hasText: "Pedido" }).click();
    await w(page, ".stage", { hasText: "listo" }).waitFor();
    {
      // A later visit: a new tab has a fresh sessionStorage but the same localStorage.
      const later = await page.context().newPage();
      await later.goto(page.url());
      await w(later, "button.bubble").click();
      await w(later, ".msg.me", { hasText: "Ana Comensal" }).waitFor();
      assert((await w(later, ".msg").count()) >= 3, "the greeting and the earlier chat are shown");
      await shot(later, "a-05b-chat-next-visit");
      await w(later, "[data-new-chat]").click();
      assert((await w(later, ".msg.me").count()) === 0, "a new conversation shows none of the old one");
      await later.reload();
      await w(later, "button.bubble").click();
      await w(later, ".msg").first().waitFor();
      assert((await w(later, ".msg.me").count()) === 0, "and nothing comes back after a reload");
      await later.close();
    }

    step("menu → cart → order form → submit; a second order gets a new key");
    cloud.state.online = true;
    await page.reload();
    await w(page, "button.bubble").click();
    await w(page, "nav button", { hasText: "Menú" }).click();
    await w(page, "button[aria-label='Agregar: Bebida']").click();
    await w(page, "button[aria-label='Agregar: Bebida']", { hasText: "Agregado" }).waitFor();
    await w(page, "button[aria-label='Agregar: Bebida']").click();
    await w(page, ".cartbar", { hasText: "Tu pedido (2) · $3.000" }).waitFor();

    step("tags and allergens as words; a required group (Término) is asked before adding");
    const lomo = w(page, "[data-item=item-lomo]");
    assert((await lomo.textContent()).includes("Sin gluten") && (await lomo.textContent()).includes("Contiene: huevo"), "tag and allergen in Spanish words");
    await lomo.locator("button[aria-label='Agregar: Lomo a lo pobre']").click();
    await lomo.locator("legend", { hasText: "Obligatorio, elige 1" }).waitFor();
    assert(await lomo.locator("input[value=o-cocido]").isDisabled(), "a sold-out option cannot be chosen");
    await lomo.locator("button[type=submit]", { hasText: "Agregar · $8.990" }).click();
    await lomo.locator(".err", { hasText: "Elige una opción en «Término»." }).waitFor();
    assert((await w(page, ".cartbar").textContent()).includes("(2)"), "nothing added without the required choice");
    await lomo.locator("label", { hasText: "A punto" }).click();
    await lomo.locator("label", { hasText: "Palta" }).click();
    await lomo.locator("button[type=submit]", { hasText: "Agregar · $9.890" }).click();
    await lomo.locator("button", { hasText: "✓ Agregado" }).waitFor();
    await w(page, ".cartbar", { hasText: "Tu pedido (3) · $12.890" }).waitFor();
    await shot(page, "a-05b-added-with-options");

    step("the cart bar stays at the bottom while the long menu scrolls");
    const deskPanel = await w(page, "section.panel").boundingBox();
    const barTop = await w(page, ".cartbar").boundingBox();
    await w(page, ".body").evaluate((el) => (el.scrollTop = 0));
    const barAtTop = await w(page, ".cartbar").boundingBox();
    assert(Math.abs(barAtTop.y + barAtTop.height - (deskPanel.y + deskPanel.height)) < 3, `cart bar at the panel's bottom, got ${JSON.stringify({ barAtTop, deskPanel })}`);
    assert(barTop && barAtTop.y === barTop.y, "the bar does not move with the list");
    assert((await w(page, ".body").evaluate((el) => el.scrollHeight > el.clientHeight + 200)), "the menu is long enough to scroll");
    await shot(page, "a-05c-sticky-cart");

    await w(page, ".cartbar button", { hasText: "Ver pedido" }).click();
    await w(page, ".item", { hasText: "1 × Lomo a lo pobre (A punto, Palta) — $9.890" }).waitFor();
    await w(page, "button", { hasText: "Continuar" }).click();
    assert((await w(page, "input[name=name]").inputValue()) === "Ana Comensal", "the diner's name remembered");

    step("the address is asked only for delivery");
    assert(!(await w(page, "input[name=address]").isVisible()), "no address field for pickup");
    await w(page, "select[name=fulfilment]").selectOption("delivery");
    assert(await w(page, "input[name=address]").isVisible(), "address field for delivery");
    await w(page, "form button[type=submit]").click();
    await w(page, "form .err", { hasText: "Escribe la dirección de despacho." }).waitFor();
    await w(page, "select[name=fulfilment]").selectOption("pickup");
    assert(!(await w(page, "input[name=address]").isVisible()), "hidden again for pickup");

    step("how to hear about the order: the restaurant's channels or none; the consent box unchecked until ticked; both submitted");
    {
      const via = w(page, "select[name=notify_by]");
      assert((await via.inputValue()) === "none", "no channel chosen by default");
      const offered = await via.locator("option").allTextContents();
      assert(JSON.stringify(offered) === JSON.stringify(["WhatsApp", "SMS", "Correo", "No me avisen"]), `channels offered: ${offered}`);
      assert(!(await w(page, "input[name=messages_consent]").isVisible()), "no consent box while nothing would be sent");
      await via.selectOption("email");
      const consent = w(page, "input[name=messages_consent]");
      assert((await consent.isVisible()) && !(await consent.isChecked()), "the consent box shows, unchecked");
      await w(page, "label.consent", { hasText: "Ley 19.628" }).waitFor();
      await consent.check();
      await w(page, "form button[type=submit]").click();
      await w(page, "form .err", { hasText: "Escribe tu correo para avisarte por correo." }).waitFor();
      await w(page, "input[name=email]").fill("ana@example.cl");
      await via.selectOption("sms");
    }
    await w(page, "form button[type=submit]").click();

    step("after ordering: the order number and a time estimate");
    await w(page, ".stage", { hasText: "Pedido enviado" }).waitFor();
    assert(cloud.state.posts.at(-1).key !== posts[0].key, "new key for a new order");
    {
      const body = cloud.state.posts.at(-1).body;
      assert(body.notify_by === "sms" && body.messages_consent === true && body.customer.email === "ana@example.cl", `the channel, consent and email were sent: ${JSON.stringify(body)}`);
    }
    const sent = cloud.state.posts.at(-1).body.lines;
    assert(JSON.stringify(sent.find((l) => l.item_id === "item-lomo")) === JSON.stringify({ item_id: "item-lomo", quantity: 1, options: ["o-punto", "o-palta"] }), `the options were sent: ${JSON.stringify(sent)}`);
    await w(page, ".num", { hasText: "Pedido N° 8" }).waitFor();
    await w(page, ".note", { hasText: "Estará listo en unos 25 minutos desde que el restaurante lo acepte." }).waitFor();
    const second = [...cloud.state.orders.keys()].at(-1);
    cloud.setStatus(second, "confirmed");
    await w(page, ".note", { hasText: /Estará listo cerca de las \d\d:\d\d\./ }).waitFor();
    await shot(page, "a-05d-number-and-estimate");

    step("tap count: a menu order of a drink and a dish with a required option, from the closed widget to sent");
    {
      await w(page, "button.bubble").click(); // closes the widget: the count starts here
      let taps = 0;
      const tap = async (locator) => {
        taps++;
        await locator.click();
      };
      await tap(w(page, "button.bubble"));
      await tap(w(page, "nav button", { hasText: "Menú" }));
      await tap(w(page, "button[aria-label='Agregar: Bebida']"));
      const dish = w(page, "[data-item=item-lomo]");
      await tap(dish.locator("button[aria-label='Agregar: Lomo a lo pobre']"));
      await tap(dish.locator("label", { hasText: "A punto" }));
      await tap(dish.locator("button[type=submit]", { hasText: "Agregar · $8.990" }));
      await w(page, ".cartbar", { hasText: "Tu pedido (2)" }).waitFor();
      await tap(w(page, ".cartbar button", { hasText: "Ver pedido" }));
      await tap(w(page, "button", { hasText: "Continuar" }));
      // Name and phone are remembered: nothing to type.
      assert((await w(page, "input[name=name]").inputValue()) === "Ana Comensal", "name remembered");
      await tap(w(page, "form button[type=submit]"));
      await w(page, ".stage", { hasText: "Pedido enviado" }).waitFor();
      console.log(`    widget order from the menu: ${taps} taps, no typing`);
      assert(taps <= 9, `the widget's menu order takes ${taps} taps (at most 9)`);
    }

    step("booking: date, party size → availability → slot → confirmed");
    await w(page, "nav button", { hasText: "Reservar" }).click();
    await w(page, "select[name=party_size]").selectOption("4");
    await w(page, "button", { hasText: "Ver horarios" }).click();
    await w(page, ".slots button").first().waitFor();
    assert(await w(page, ".slots button").nth(1).isDisabled(), "a full slot cannot be picked");
    await w(page, ".slots button", { hasText: "20:00" }).click();
    {
      const consent = w(page, "input[name=messages_consent]");
      assert((await consent.isVisible()) && !(await consent.isChecked()), "the booking's consent box shows, unchecked");
      await w(page, "label.consent", { hasText: "confirmación y recordatorios" }).waitFor();
      await consent.check();
    }
    await w(page, "button", { hasText: /^Reservar$/ }).last().click();
    await w(page, ".stage", { hasText: "Reserva confirmada" }).waitFor();
    const booking = cloud.state.bookings.at(-1);
    assert(booking.body.party_size === 4 && booking.body.starts_at.endsWith("T20:00:00-03:00") && booking.key, `booking sent ${JSON.stringify(booking)}`);
    assert(booking.body.messages_consent === true && booking.body.language === "es", `the booking's consent sent: ${JSON.stringify(booking.body)}`);
    await shot(page, "a-06-booked");

    step("XSS: markup in a chat message (and in the reply) shows as text, no dialog");
    await w(page, "nav button", { hasText: "Chat" }).click();
    await w(page, "input[name=message]").fill("<img src=x onerror=alert(1)>");
    await w(page, "input[name=message]").press("Enter");
    await w(page, ".msg.me", { hasText: "<img src=x onerror=alert(1)>" }).waitFor();
    await w(page, ".msg", { hasText: "onerror=alert(2)" }).waitFor();
    await sleep(500);
    assert((await w(page, ".log img").count()) === 0, "no <img> made from text");
    assert(problems.dialogs.length === 0, `no dialog fired: ${problems.dialogs}`);
    await shot(page, "a-07-xss-as-text");

    step("language: switch to English and back");
    await w(page, "header button", { hasText: "English" }).click();
    await w(page, "nav button", { hasText: "Menu" }).waitFor();
    await w(page, "header button", { hasText: "Español" }).click();
    await w(page, "nav button", { hasText: "Menú" }).waitFor();
    assert(problems.errors.length === 0, `no page errors: ${problems.errors}`);

    step("language from <html lang=en>");
    const siteEn = await startSite(cloud.base, slug, "en");
    cloud.allow(siteEn.base);
    const en = await newPage(browser);
    await en.page.goto(siteEn.base);
    await w(en.page, "button.bubble").click();
    await w(en.page, "nav button", { hasText: "Book" }).waitFor();
    await en.context.close();
    siteEn.server.close();

    step("phone: full-screen panel, 16px inputs (no zoom on focus)");
    const phone = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    cloud.allow(site.base);
    await phone.page.goto(site.base);
    await w(phone.page, "button.bubble").click();
    const panelBox = await w(phone.page, "section.panel").boundingBox();
    assert(panelBox.x === 0 && panelBox.y === 0 && panelBox.width === 390 && Math.abs(panelBox.height - 844) < 2, `full screen, got ${JSON.stringify(panelBox)}`);
    const size = await w(phone.page, "input[name=message]").evaluate((el) => getComputedStyle(el).fontSize);
    assert(size === "16px", `input font 16px, got ${size}`);
    await shot(phone.page, "a-08-phone");
    await w(phone.page, "nav button", { hasText: "Menú" }).click();
    await w(phone.page, "[data-item=item-lomo] button").click();
    await w(phone.page, "[data-item=item-lomo] legend").first().waitFor();
    await shot(phone.page, "a-09-phone-menu-es");
    await w(phone.page, "header button", { hasText: "English" }).click();
    await w(phone.page, "[data-item=item-lomo]", { hasText: "Contains: egg" }).waitFor();
    await shot(phone.page, "a-10-phone-menu-en");
    await phone.context.close();

    step("the order form's channel choice and consent box, 1366×768 and 390×844, Spanish and English");
    for (const [width, height] of [[1366, 768], [390, 844]]) {
      for (const language of ["es", "en"]) {
        const v = await newPage(browser, { viewport: { width, height }, ...(width < 500 ? { isMobile: true, hasTouch: true } : {}) });
        await v.page.goto(site.base);
        await w(v.page, "button.bubble").click();
        if (language === "en") await w(v.page, "header button", { hasText: "English" }).click();
        const es = language === "es";
        await w(v.page, "nav button", { hasText: es ? "Menú" : "Menu" }).click();
        await w(v.page, `button[aria-label='${es ? "Agregar: Bebida" : "Add: Soda"}']`).click();
        await w(v.page, ".cartbar button", { hasText: es ? "Ver pedido" : "View order" }).click();
        await w(v.page, "button", { hasText: es ? "Continuar" : "Continue" }).click();
        await w(v.page, "select[name=notify_by]").selectOption("whatsapp");
        await w(v.page, "label.consent", { hasText: es ? "Ley 19.628" : "Law 19.628" }).waitFor();
        await w(v.page, "select[name=notify_by]").evaluate((el) => el.scrollIntoView({ block: "center" }));
        const text = await w(v.page, "form").first().textContent();
        assert(es ? !/notify|consent|whatsapp_|none/i.test(text) : text.includes("How should we tell you?"), `no raw value in the ${language} form: ${text}`);
        await shot(v.page, `a-10b-notify-${width}-${language}`);
        await v.context.close();
      }
    }

    step("hosted-page mode: the restaurant's address with a map link, phone and today's hours");
    const hosted = await startSite(cloud.base, slug, "es", 'data-open="page"');
    cloud.allow(hosted.base);
    const page2 = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page2.page.goto(hosted.base);
    const info = w(page2.page, ".info");
    await info.waitFor();
    const infoText = await info.textContent();
    assert(infoText.includes("Av. Italia 1234, Ñuñoa") && infoText.includes("Hoy: 12:00–23:00") && infoText.includes("+56 9 8765 4321"), `info card: ${infoText}`);
    const map = await info.locator("a", { hasText: "Ver en el mapa" }).getAttribute("href");
    assert(map === "https://www.google.com/maps/search/?api=1&query=Av.%20Italia%201234%2C%20%C3%91u%C3%B1oa", `map link ${map}`);
    assert((await info.locator("a[href='tel:+56987654321']").count()) === 1, "phone dials");
    await shot(page2.page, "a-11-hosted-page-info");
    await page2.context.close();
    hosted.server.close();

    step("exact-origin CORS: a site not on the list gets no widget, and the console says why");
    cloud.allow("http://elsewhere.example");
    const other = await newPage(browser);
    const warnings = [];
    other.page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    await other.page.goto(site.base);
    await sleep(1500);
    assert((await w(other.page, "button.bubble").count()) === 0 || !(await w(other.page, "button.bubble").isVisible()), "no bubble without CORS");
    await eventually("a console warning naming the allowed sites", () => warnings.some((t) => t.includes("Sitios web permitidos") && t.includes(site.base)));
    await other.context.close();
  } finally {
    for (const list of cloud.state.streams.values()) for (const res of list) res.end();
    cloud.server.close();
    site.server.close();
  }
}

// ---- part B: the real binaries ---------------------------------------------------------
const PASSWORD = "pastel de choclo 2026";
async function http(method, url, { body, token, headers = {} } = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json, headers: res.headers };
}
async function waitHealthy(base, child, log) {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      /* not yet */
    }
    if (child.exitCode !== null || i > 600) throw new Error(`${base} did not start:\n${log()}`);
    await sleep(100);
  }
}
function startProcess(bin, args, env) {
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, RUST_LOG: "warn", DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent", ...env } });
  let log = "";
  child.stderr.on("data", (d) => (log = (log + d).slice(-20000)));
  return { child, log: () => log };
}

/** Closes the appliance's business day, waits for its `day_close` to reach the cloud, then
 * signs in to the dashboard as the owner and reads the Z under Cierres: the list's sales
 * and the detail's figures are the counter's. Screenshots at 1366 and 390 px, es and en. */
async function ownerReadsTheZ(browser, { appBase, cloudBase, staff, owner, locationId }) {
  const x = await http("GET", `${appBase}/api/v1/reports/x`, { token: staff });
  assert(x.status === 200, `X report ${JSON.stringify(x.body)}`);
  const closed = await http("POST", `${appBase}/api/v1/business-days/${x.body.business_date}/close`, { token: staff, body: {} });
  assert(closed.status === 201, `close ${JSON.stringify(closed.body)}`);
  const z = closed.body.report;
  assert(z.sales > 0, `the Z sold something (${z.sales})`);
  await eventually("the Z to reach the cloud", async () => {
    const list = await http("GET", `${cloudBase}/api/v1/locations/${locationId}/day-closes`, { token: owner });
    return list.status === 200 && list.body.some((c) => c.id === closed.body.id && c.sales === z.sales);
  }, 60000);
  const money = (n) => `${n < 0 ? "-" : ""}$${Math.abs(n).toLocaleString("es-CL")}`;
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "es-CL", timezoneId: "America/Santiago" });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const snap = (name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  try {
    await page.goto(`${cloudBase}/dashboard/login`);
    await page.fill("input[name=email]", "pepe@dondepepe.cl");
    await page.fill("input[name=password]", PASSWORD);
    await page.press("input[name=password]", "Enter");
    await page.locator("nav a[href='/dashboard/closing']").waitFor();
    await page.click("nav a[href='/dashboard/closing']");
    const row = page.locator(`#day-closes tr[data-close="${closed.body.id}"]`);
    await row.waitFor();
    const listed = (await row.locator("[data-fig=sales]").textContent())?.trim();
    assert(listed === money(z.sales), `the list shows ${listed}, the counter closed ${money(z.sales)}`);
    const { badWords, pageText } = await import("./texts.mjs");
    const spanish = async (label) => {
      const bad = badWords(await pageText(page));
      assert(bad.length === 0, `${label}: ${bad.map((b) => `${b.why} «${b.word}» in “${b.context}”`).join("; ")}`);
    };
    await spanish("Cierres");
    await snap("b-09a-dashboard-closes-es");
    await row.locator("a", { hasText: "Ver Z" }).click();
    await page.locator("#closing-report[data-kind=z]").waitFor();
    const fig = async (name) => (await page.locator(`#closing-report [data-fig=${name}]`).first().textContent())?.trim();
    for (const [name, value] of [["sales", money(z.sales)], ["orders", String(z.orders)], ["tax", money(z.tax)], ["collected", money(z.collected)], ["tips", money(z.tips.total)]]) {
      const shown = await fig(name);
      assert(shown === value, `the dashboard's Z shows ${name} ${shown}, the counter's ${value}`);
    }
    assert((await page.locator("#closing-methods tr[data-method=mercado_pago]").count()) === 1, "the Z lists Mercado Pago");
    await spanish("Z detail");
    await snap("b-09b-dashboard-z-es");
    await page.setViewportSize({ width: 390, height: 844 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 390, `the Z fits 390 px (scrollWidth ${wide})`);
    await snap("b-09c-dashboard-z-390-es");
    await page.goto(`${cloudBase}/dashboard/closing`);
    await row.waitFor();
    assert((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, "the list fits 390 px");
    await snap("b-09d-dashboard-closes-390-es");
    await page.click(".nav-toggle");
    await page.selectOption("header select", "en");
    await page.locator("main h1", { hasText: "Day closes" }).waitFor();
    await snap("b-09e-dashboard-closes-390-en");
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${cloudBase}/dashboard/closing/${closed.body.id}`);
    await page.locator("#closing-report h2", { hasText: "Z report" }).waitFor();
    await snap("b-09f-dashboard-z-en");
    await page.selectOption("header select", "es");
    assert(errors.length === 0, `no page errors in the dashboard: ${errors}`);
  } finally {
    await context.close();
  }
}

async function realPart(browser) {
  console.log("widget e2e, part B: real dysa-cloud (fresh Postgres) + dysa-appliance");
  const cloudBin = process.env.CLOUD_BIN ?? join(targetDir, "debug", "dysa-cloud");
  const applianceBin = process.env.DYSA_BIN ?? join(targetDir, "debug", "dysa-appliance");
  for (const b of [cloudBin, applianceBin]) if (!existsSync(b)) throw new Error(`${b} missing (cargo build -p dysa-cloud -p dysa-appliance)`);
  const missing = [];
  const dbName = `dysa_widget_e2e_${randomUUID().replaceAll("-", "")}`;
  const psql = (sql) => execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql], { stdio: "pipe" });
  psql(`CREATE DATABASE ${dbName}`);
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;
  const cloudPort = await freePort();
  const cloudBase = `http://127.0.0.1:${cloudPort}`;
  const mp = await startFakeMercadoPago();
  const cloud = startProcess(cloudBin, [], {
    DATABASE_URL: databaseUrl,
    DYSA_CLOUD_DATABASE_URL: databaseUrl,
    DYSA_CLOUD_LISTEN: `127.0.0.1:${cloudPort}`,
    DYSA_CLOUD_PUBLIC_URL: cloudBase,
    DYSA_CLOUD_MERCADO_PAGO_API_URL: mp.base,
    DYSA_CLOUD_CREDENTIALS_KEY: Buffer.alloc(32, 7).toString("base64"),
  });
  const dataDir = mkdtempSync(join(tmpdir(), "dysa-widget-e2e-"));
  const appPort = await freePort();
  const appBase = `http://127.0.0.1:${appPort}`;
  const startAppliance = () => startProcess(applianceBin, ["--data-dir", dataDir, "--listen", `127.0.0.1:${appPort}`], { DYSA_OLLAMA_URL: "http://127.0.0.1:9" });
  let appliance = null;
  let site = null;
  try {
    await waitHealthy(cloudBase, cloud.child, cloud.log);
    const slug = "donde-pepe";
    const pub = (p) => `${cloudBase}/api/v1/public/${slug}/${p}`;

    step("the script is served cacheable and embeddable");
    const js = await http("GET", `${cloudBase}/widget.js`);
    assert(js.status === 200 && js.headers.get("content-type").startsWith("text/javascript"), "GET /widget.js");
    assert(js.headers.get("cross-origin-resource-policy") === "cross-origin" && js.headers.get("etag"), "CORP cross-origin + ETag");
    const unknown = await http("GET", `${cloudBase}/r/no-existe`);
    assert(unknown.status === 404 && String(unknown.body).includes("Restaurante no encontrado"), "/r/unknown is a 404 page");

    step("tenant: sign-up, owner login; appliance set up and enrolled");
    const signup = await http("POST", `${cloudBase}/api/v1/signup`, { body: { restaurant_name: "Donde Pepe", slug, owner_name: "Pepe", email: "pepe@dondepepe.cl", password: PASSWORD, plan: "pro" } });
    assert(signup.status === 201, `signup ${JSON.stringify(signup.body)}`);
    const login = await http("POST", `${cloudBase}/api/v1/auth/login`, { body: { email: "pepe@dondepepe.cl", password: PASSWORD, plan: "pro" } });
    const owner = login.body.access_token;
    appliance = startAppliance();
    await waitHealthy(appBase, appliance.child, appliance.log);
    const setup = await http("POST", `${appBase}/api/v1/setup`, { body: { restaurant_name: "Donde Pepe", name: "Admin", email: "admin@dondepepe.cl", password: PASSWORD } });
    assert(setup.status === 201, `setup ${JSON.stringify(setup.body)}`);
    const staff = setup.body.access_token;
    const connect = await http("POST", `${appBase}/api/v1/cloud/connect`, { token: staff, body: { cloud_url: cloudBase, enrollment_code: signup.body.enrollment_code } });
    assert(connect.status === 200 || connect.status === 201, `connect ${JSON.stringify(connect.body)}`);
    const cat = await http("POST", `${appBase}/api/v1/menu/categories`, { token: staff, body: { name: "Completos" } });
    const item = await http("POST", `${appBase}/api/v1/menu/items`, { token: staff, body: { category_id: cat.body.id, name: "Completo italiano", price: 3990 } });
    assert(item.status === 201, `item ${JSON.stringify(item.body)}`);
    step("a photo uploaded at the counter: resized there, sent to the cloud before the item names it");
    const uploaded = await fetch(`${appBase}/api/v1/menu/items/${item.body.id}/photo`, { method: "POST", headers: { authorization: `Bearer ${staff}`, "content-type": "image/png" }, body: pngPhoto(1200, 900) });
    const photoBody = await uploaded.json();
    assert(uploaded.status === 200 && /^[0-9a-f]{64}$/.test(photoBody.photo ?? ""), `photo upload ${uploaded.status} ${JSON.stringify(photoBody)}`);
    const photoHash = photoBody.photo;
    const soldOut = await http("POST", `${appBase}/api/v1/menu/items`, { token: staff, body: { category_id: cat.body.id, name: "Churrasco", price: 6990 } });
    const table = await http("POST", `${appBase}/api/v1/tables`, { token: staff, body: { name: "Mesa 1", seats: 4 } });
    assert(table.status === 201, `table ${JSON.stringify(table.body)}`);
    const markSold = await http("PATCH", `${appBase}/api/v1/menu/items/${soldOut.body.id}`, { token: staff, body: { available: false } });
    if (markSold.status >= 300) console.log(`    (marking sold out on the appliance answered ${markSold.status})`);

    step("the cloud's OpenAPI document lists the routes the widget calls");
    const spec = await http("GET", `${cloudBase}/api/openapi.json`);
    const norm = (p) => p.replace(/\{[^}]+\}/g, "{}");
    const have = new Set(Object.entries(spec.body.paths ?? {}).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${norm(p)}`)));
    const wanted = ["GET widget", "GET menu", "POST chat", "POST orders", "GET orders/{}", "GET orders/{}/events", "GET availability", "POST reservations"].map((e) => {
      const [m, p] = e.split(" ");
      return `${m} /api/v1/public/{}/${p}`;
    });
    wanted.push("GET /api/v1/widget-settings", "PUT /api/v1/widget-settings");
    const absent = wanted.filter((e) => !have.has(e));
    if (absent.length) console.log("    not in the spec yet: " + absent.join(", "));

    const probe = await http("GET", pub("widget"));
    if (probe.status === 404 && probe.body?.error?.code !== "restaurant_not_found") {
      missing.push(...absent.map((e) => e + " (not served)"), "without GET widget no browser step of part B runs: menu, chat order, offline order, booking, XSS, /r/{slug}");
      return missing;
    }
    assert(probe.status === 200, `GET widget ${probe.status} ${JSON.stringify(probe.body)}`);

    site = await startSite(cloudBase, slug);
    const settings = await http("GET", `${cloudBase}/api/v1/widget-settings`, { token: owner });
    if (settings.status === 200) {
      const put = await http("PUT", `${cloudBase}/api/v1/widget-settings`, { token: owner, body: { ...settings.body, allowed_origins: [site.base], ordering: { ...settings.body.ordering, online_orders: true, offline_policy: "wait" } } });
      assert(put.status === 200 || put.status === 204, `PUT widget-settings ${put.status} ${JSON.stringify(put.body)}`);
    } else missing.push("GET/PUT /api/v1/widget-settings (branch public): the site's origin cannot be allowed");

    await eventually("the menu to reach the cloud", async () => {
      const m = await http("GET", pub("menu"));
      return m.status === 200 && JSON.stringify(m.body).includes("Completo italiano");
    }, 30000);
    await eventually("the restaurant to show online", async () => (await http("GET", pub("widget"))).body.restaurant_online === true, 60000);
    await eventually("the photo in the cloud's menu, with its size", async () => {
      const m = await http("GET", pub("menu"));
      const completo = (m.body.categories ?? []).flatMap((c) => c.items).find((i) => i.name.es === "Completo italiano");
      return completo?.photo?.hash === photoHash && completo.photo.width === 800 && completo.photo.height === 600;
    }, 30000);
    const publicThumb = await fetch(pub(`media/${photoHash}-thumb.jpg`));
    assert(publicThumb.status === 200 && publicThumb.headers.get("content-type") === "image/jpeg", `public thumb ${publicThumb.status}`);
    assert(publicThumb.headers.get("cache-control") === "public, max-age=31536000, immutable" && publicThumb.headers.get("etag") === `"${photoHash}-thumb"`, `thumb caching ${publicThumb.headers.get("cache-control")}`);
    const again = await fetch(pub(`media/${photoHash}-thumb.jpg`), { headers: { "if-none-match": `"${photoHash}-thumb"` } });
    assert(again.status === 304, `a cached thumb answers 304, got ${again.status}`);
    const foreign = await fetch(`${cloudBase}/api/v1/public/no-existe/media/${photoHash}.jpg`);
    assert(foreign.status === 404, `another slug's photo is 404, got ${foreign.status}`);

    const { page, problems } = await newPage(browser);
    await page.goto(site.base);
    await checkIsolation(page);
    await w(page, "button.bubble").click();

    step("menu browsing with the synced menu");
    await w(page, "nav button", { hasText: "Menú" }).click();
    await w(page, ".item", { hasText: "Completo italiano" }).waitFor();
    if (markSold.status < 300) await w(page, ".item.out", { hasText: "Churrasco" }).waitFor();
    const photoImg = w(page, ".item", { hasText: "Completo italiano" }).locator("img.ph");
    assert((await photoImg.getAttribute("width")) === "64" && (await photoImg.getAttribute("height")) === "64", "the photo's box is reserved (width and height)");
    assert((await photoImg.getAttribute("loading")) === "lazy", "the photo loads lazily");
    await eventually("the photo to load in the widget", async () => (await photoImg.evaluate((img) => img.complete && img.naturalWidth)) === 200, 15000);
    assert((await w(page, ".item", { hasText: "Churrasco" }).locator("img").count()) === 0, "an item without a photo shows none");
    await shot(page, "b-01-menu");

    const orderBoard = async () => (await http("GET", `${appBase}/api/v1/orders?limit=200`, { token: staff })).body.items ?? [];
    const chatProbe = await http("POST", pub("chat"), { body: { message: "hola", language: "es" } });
    if (chatProbe.status === 404 || chatProbe.status === 405) missing.push("POST /api/v1/public/{slug}/chat (branch chat): order by chat not run");
    else {
      step("chat an order in Spanish, confirm, it arrives on the appliance's board");
      await w(page, "nav button", { hasText: "Chat" }).click();
      await w(page, "input[name=message]").fill("quiero 2 completos italianos");
      await w(page, "input[name=message]").press("Enter");
      await w(page, ".draft li", { hasText: "2 × Completo italiano — $7.980" }).waitFor({ timeout: 30000 });
      await shot(page, "b-02-chat-draft");
      await w(page, "button", { hasText: "Confirmar pedido" }).click();
      await w(page, "input[name=name]").fill("Ana Comensal");
      await w(page, "input[name=phone]").fill("+56912345678");
      await w(page, "form button[type=submit]").click();
      await w(page, ".stage", { hasText: /Pedido enviado|Esperando/ }).waitFor();
      await eventually("the chat order on the appliance's board", async () => (await orderBoard()).some((o) => o.total === 7980), 30000);
      await shot(page, "b-03-chat-order-sent");
      const board = await orderBoard();
      const mine = board.find((o) => o.total === 7980);
      const accept = await http("POST", `${appBase}/api/v1/orders/${mine.id}/status`, { token: staff, body: { status: "confirmed" } });
      if (accept.status < 300) {
        await w(page, ".stage", { hasText: "Pedido aceptado" }).waitFor({ timeout: 30000 });
        await shot(page, "b-04-accepted");
      } else console.log(`    (accepting on the appliance answered ${accept.status}; live acceptance not checked)`);
    }

    step("the appliance stops: an order waits, and arrives after the restart");
    appliance.child.kill("SIGTERM");
    await new Promise((r) => appliance.child.once("exit", r));
    await eventually("the restaurant to show offline", async () => (await http("GET", pub("widget"))).body.restaurant_online === false, 90000);
    await page.reload();
    await w(page, "button.bubble").click();
    await w(page, "nav button", { hasText: "Menú" }).click();
    await w(page, "button[aria-label='Agregar: Completo italiano']").click();
    await w(page, ".cartbar", { hasText: "Tu pedido (1)" }).locator("button").click();
    await w(page, "button", { hasText: "Continuar" }).click();
    await w(page, "input[name=name]").fill("Beto Offline");
    await w(page, "input[name=phone]").fill("+56987654321");
    await w(page, "form button[type=submit]").click();
    await w(page, ".stage", { hasText: "Esperando al restaurante" }).waitFor();
    await shot(page, "b-05-waiting");
    appliance = startAppliance();
    await waitHealthy(appBase, appliance.child, appliance.log);
    await eventually("the waiting order on the board after the restart", async () => (await orderBoard()).some((o) => o.total === 3990), 60000);

    step("a diner pays online against the fake Mercado Pago; the counter sees the order paid");
    const linked = await http("PUT", `${cloudBase}/api/v1/payments/mercado-pago`, { token: owner, body: { access_token: MP_ACCESS_TOKEN, webhook_secret: MP_WEBHOOK_SECRET } });
    assert(linked.status === 200 && linked.body.linked === true && !JSON.stringify(linked.body).includes(MP_ACCESS_TOKEN), `link ${linked.status} ${JSON.stringify(linked.body)}`);
    const current = await http("GET", `${cloudBase}/api/v1/widget-settings`, { token: owner });
    const both = await http("PUT", `${cloudBase}/api/v1/widget-settings`, { token: owner, body: { ...current.body, ordering: { ...current.body.ordering, payment: "both" } } });
    assert(both.status === 200, `PUT widget-settings payment ${both.status} ${JSON.stringify(both.body)}`);
    await eventually("the widget to offer paying online", async () => (await http("GET", pub("widget"))).body.ordering.payment === "both", 30000);
    await page.reload();
    await w(page, "button.bubble").click();
    await w(page, "nav button", { hasText: "Menú" }).click();
    await w(page, "button[aria-label='Agregar: Completo italiano']").click();
    await w(page, ".cartbar", { hasText: "Tu pedido (1)" }).locator("button").click();
    await w(page, "button", { hasText: "Continuar" }).click();
    await w(page, "input[name=name]").fill("Dora Paga");
    await w(page, "input[name=phone]").fill("+56955556666");
    await w(page, "select[name=payment]").selectOption("online");
    await shot(page, "b-05b-pay-now");
    await w(page, "form button[type=submit]").click();
    // Off to the checkout page and back with ?pedido=ID (auto_return: approved).
    await page.waitForURL((u) => u.searchParams.has("pedido") && u.origin === site.base, { timeout: 30000 });
    const paidId = new URL(page.url()).searchParams.get("pedido");
    assert(mp.notifications.length === 1 && mp.notifications[0].status === 200, `notification answered ${JSON.stringify(mp.notifications)}`);
    await w(page, ".note", { hasText: "Pagado en línea." }).waitFor({ timeout: 30000 });
    await shot(page, "b-05c-paid");
    await eventually("the counter to see the order paid", async () => {
      const o = await http("GET", `${appBase}/api/v1/orders/${paidId}`, { token: staff });
      return o.status === 200 && o.body.payment?.state === "paid";
    }, 60000);
    const ledger = await http("GET", `${appBase}/api/v1/orders/${paidId}/payments`, { token: staff });
    assert(ledger.body.length === 1 && ledger.body[0].method === "mercado_pago" && ledger.body[0].amount === 3990, `ledger ${JSON.stringify(ledger.body)}`);

    const avail = await http("GET", pub(`availability?date=2030-01-15&party_size=2`));
    if (avail.status === 404 || avail.status === 405) missing.push("GET availability / POST reservations (branches sync6 + public): booking not run");
    else {
      step("a booking from real availability");
      await w(page, "nav button", { hasText: "Reservar" }).click();
      // Three days ahead, so the evening's slots are still to come whatever the hour now.
      const ahead = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Santiago" }).format(new Date(Date.now() + 3 * 86400000));
      await w(page, "input[name=date]").fill(ahead);
      await w(page, "button", { hasText: "Ver horarios" }).click();
      await w(page, ".slots button:not([disabled]), .note", {}).first().waitFor();
      if ((await w(page, ".slots button:not([disabled])").count()) > 0) {
        await w(page, ".slots button:not([disabled])").first().click();
        await w(page, "input[name=name]").fill("Carla Reserva");
        await w(page, "input[name=phone]").fill("+56911112222");
        await w(page, "button", { hasText: /^Reservar$/ }).last().click();
        await w(page, ".stage", { hasText: /Reserva confirmada|pendiente de confirmación del restaurante/ }).waitFor();
        await shot(page, "b-06-booking");
      } else throw new Error("no bookable slot from the real availability three days ahead");
    }

    if (chatProbe.status !== 404 && chatProbe.status !== 405) {
      step("XSS in a chat message shows as text, no dialog");
      await w(page, "nav button", { hasText: "Chat" }).click();
      await w(page, "input[name=message]").fill("<img src=x onerror=alert(1)>");
      await w(page, "input[name=message]").press("Enter");
      await w(page, ".msg.me", { hasText: "<img src=x onerror=alert(1)>" }).waitFor();
      await sleep(1500);
      assert((await w(page, ".log img").count()) === 0 && problems.dialogs.length === 0, "no markup, no dialog");
      await shot(page, "b-07-xss");
    }

    step("/r/{slug}: the hosted page with the restaurant's name, the widget open full-page");
    const hosted = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true });
    const resp = await hosted.page.goto(`${cloudBase}/r/${slug}`);
    assert(resp.status() === 200, `/r/${slug} → ${resp.status()}`);
    assert((await hosted.page.title()).includes("Donde Pepe"), "name in the title");
    await w(hosted.page, "section.panel").waitFor({ state: "visible" });
    await shot(hosted.page, "b-08-hosted-page");
    await hosted.context.close();
    step("the counter closes the day; the owner reads its Z in the dashboard after sync");
    await ownerReadsTheZ(browser, { appBase, cloudBase, staff, owner, locationId: signup.body.location_id });
    assert(problems.errors.length === 0, `no page errors: ${problems.errors}`);
    return missing;
  } finally {
    site?.server.close();
    appliance?.child.kill("SIGTERM");
    cloud.child.kill("SIGTERM");
    mp.close();
    await sleep(300);
    rmSync(dataDir, { recursive: true, force: true });
    try {
      psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    } catch {
      /* best effort */
    }
  }
}

let browser;
let failed = false;
process.on("unhandledRejection", (e) => console.error(e));
try {
  browser = await launch();
  if (parts.includes("contract")) await contractPart(browser);
  if (parts.includes("real")) {
    const missing = await realPart(browser);
    if (missing.length) {
      console.log("  MISSING server parts, steps not run:\n" + missing.map((m) => "    - " + m).join("\n"));
      if (process.env.WIDGET_E2E_REQUIRE_ALL === "1") failed = true;
    }
  }
  if (!failed) console.log("widget e2e: ok");
} catch (e) {
  console.error("widget e2e FAILED:", e);
  failed = true;
} finally {
  await browser?.close();
}
process.exit(failed ? 1 : 0);
