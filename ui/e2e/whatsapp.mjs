// Staff take over a conversation on the panel's Conversations page and their reply reaches
// the diner (issue 18), with the real binaries: dysa-cloud on a fresh Postgres database,
// its Graph API pointed at a fake of the WhatsApp Cloud API's `messages` endpoint made
// here, and a dysa-appliance linked to it, its panel driven in headless Chromium.
//
//   1. A diner writes on WhatsApp (a webhook notification signed with the app secret, as
//      Meta posts it); the counter's assistant answers through the cloud to the fake.
//   2. On the panel, staff open that WhatsApp conversation, take it over and write: the
//      words reach the fake Graph API as a text to the diner's number, once. The diner's
//      next message gets no assistant answer while staff hold the chat.
//   3. A widget chat taken over the same way: staff's reply on the panel reaches the
//      diner's widget (`GET /public/{slug}/chat/{conversation}/messages`).
//
//   CLOUD_BIN=... DYSA_BIN=... CHROMIUM=/usr/bin/chromium node e2e/whatsapp.mjs
import { execFileSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { eventually, freePort, http, sleep, startProcess, waitHealthy } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const artifacts = resolve(here, "../test-artifacts");
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target");
const cloudBin = process.env.CLOUD_BIN ?? join(targetDir, "debug", "dysa-cloud");
const applianceBin = process.env.DYSA_BIN ?? join(targetDir, "debug", "dysa-appliance");
const chromiumBin = process.env.CHROMIUM ?? "/usr/bin/chromium";
const PASSWORD = "pastel de choclo 2026";
const ACCESS_TOKEN = "EAAGtestaccesstoken1234";
const APP_SECRET = "0123456789abcdef0123456789abcdef";
const PHONE_NUMBER_ID = "106540352242922";
const DINER = "56987654321";
const STAFF_WORDS = "Hola, soy Ana: sí, tenemos pan sin gluten.";
const WIDGET_WORDS = "Hola, soy Ana desde el local: el pedido sale en 10 minutos.";

const step = (name) => console.log(`  · ${name}`);
function assert(cond, message) {
  if (!cond) throw new Error("assertion failed: " + message);
}

// The Cloud API's "send message" as its reference documents it
// (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages):
// `POST /{version}/{phone-number-id}/messages` with the number's token as a bearer, a JSON
// body `{messaging_product: "whatsapp", to, type: "text", text: {body}}` (or a template);
// answered `{messaging_product, contacts: [{input, wa_id}], messages: [{id}]}`, or Meta's
// error object.
function fakeGraph() {
  const sent = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const reply = (status, body) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const error = (status, code, message) => reply(status, { error: { message, type: "OAuthException", code, fbtrace_id: "AbCdEf" } });
      const match = /^\/v21\.0\/(\d+)\/messages$/.exec(req.url ?? "");
      if (req.method !== "POST" || !match) return error(400, 2500, "Unknown path components");
      if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) return error(401, 190, "Invalid OAuth access token.");
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        return error(400, 100, "Invalid parameter");
      }
      const ok = body.messaging_product === "whatsapp" && body.to && ((body.type === "text" && body.text?.body) || (body.type === "template" && body.template?.name));
      if (!ok) return error(400, 100, "Invalid parameter");
      sent.push({ number: match[1], body });
      reply(200, { messaging_product: "whatsapp", contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.OUT${sent.length}` }] });
    });
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ server, url: `http://127.0.0.1:${server.address().port}/v21.0`, sent })));
}

// A diner's message as Meta posts it to the webhook, signed `X-Hub-Signature-256`
// (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications).
async function dinerWrites(webhook, wamid, text) {
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "102290129340398", changes: [{ field: "messages", value: {
      messaging_product: "whatsapp",
      metadata: { display_phone_number: "56912345678", phone_number_id: PHONE_NUMBER_ID },
      contacts: [{ profile: { name: "Camila" }, wa_id: DINER }],
      messages: [{ from: DINER, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } }],
    } }] }],
  });
  const signature = "sha256=" + createHmac("sha256", APP_SECRET).update(body).digest("hex");
  const res = await fetch(webhook, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature }, body });
  assert(res.status === 200, `webhook ${wamid}: ${res.status} ${await res.text()}`);
}

async function main() {
  for (const b of [cloudBin, applianceBin]) if (!existsSync(b)) throw new Error(`${b} missing (cargo build -p dysa-cloud; cargo build -p dysa-appliance)`);
  if (!existsSync(chromiumBin)) throw new Error(`Chromium missing at ${chromiumBin} (set CHROMIUM)`);
  mkdirSync(artifacts, { recursive: true });
  console.log("WhatsApp and widget take-over on the panel (real binaries, headless Chromium)");
  const dbName = `dysa_wa_e2e_${randomUUID().replaceAll("-", "")}`;
  const psql = (sql) => execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql], { stdio: "pipe" });
  psql(`CREATE DATABASE ${dbName}`);
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;
  const dataDir = mkdtempSync(join(tmpdir(), "dysa-wa-e2e-"));
  const procs = [];
  const graph = await fakeGraph();
  let browser = null;
  try {
    const ports = { cloud: await freePort(), app: await freePort() };
    const cloudBase = `http://127.0.0.1:${ports.cloud}`;
    const appBase = `http://127.0.0.1:${ports.app}`;
    const cloud = startProcess("cloud", cloudBin, [], {
      DATABASE_URL: databaseUrl,
      DYSA_CLOUD_DATABASE_URL: databaseUrl,
      DYSA_CLOUD_LISTEN: `127.0.0.1:${ports.cloud}`,
      DYSA_CLOUD_PUBLIC_URL: cloudBase,
      DYSA_CLOUD_WHATSAPP_GRAPH_URL: graph.url,
      DYSA_CLOUD_WHATSAPP_POLL_SECS: "1",
    });
    procs.push(cloud);
    await waitHealthy(cloudBase, cloud);

    step("the owner signs up and links the restaurant's WhatsApp number");
    const slug = "completos-ana";
    const signup = await http("POST", `${cloudBase}/api/v1/signup`, { body: { restaurant_name: "Completos Ana", slug, owner_name: "Ana", email: "ana@completos.cl", password: PASSWORD, plan: "pro" } });
    assert(signup.status === 201, `signup ${JSON.stringify(signup.body)}`);
    const login = await http("POST", `${cloudBase}/api/v1/auth/login`, { body: { email: "ana@completos.cl", password: PASSWORD, plan: "pro" } });
    const owner = login.body.access_token;
    const linked = await http("PUT", `${cloudBase}/api/v1/locations/${signup.body.location_id}/whatsapp`, {
      token: owner,
      body: { phone_number_id: PHONE_NUMBER_ID, waba_id: "102290129340398", access_token: ACCESS_TOKEN, app_secret: APP_SECRET, verify_token: "verificame-2026" },
    });
    assert(linked.status === 200, `link ${linked.status} ${JSON.stringify(linked.body)}`);
    const hook = linked.body.link.webhook_url;
    const webhook = `${cloudBase}${hook.slice(hook.indexOf("/api/v1/"))}`;

    step("a counter set up and linked to the cloud");
    const app = startProcess("appliance", applianceBin, ["--data-dir", dataDir, "--listen", `127.0.0.1:${ports.app}`], { DYSA_OLLAMA_URL: "http://127.0.0.1:9" });
    procs.push(app);
    await waitHealthy(appBase, app);
    const setup = await http("POST", `${appBase}/api/v1/setup`, { body: { restaurant_name: "Completos Ana", name: "Ana", email: "ana@local.cl", password: PASSWORD } });
    assert(setup.status === 201, `setup ${JSON.stringify(setup.body)}`);
    const staff = setup.body.access_token;
    const connect = await http("POST", `${appBase}/api/v1/cloud/connect`, { token: staff, body: { cloud_url: cloudBase, enrollment_code: signup.body.enrollment_code } });
    assert(connect.status < 300, `connect ${JSON.stringify(connect.body)}`);
    const pub = (p) => `${cloudBase}/api/v1/public/${slug}/${p}`;
    await eventually("the counter online", async () => (await http("GET", pub("widget"))).body.restaurant_online === true, 60000);

    step("a diner writes on WhatsApp; the counter's assistant answers through the fake Graph API");
    await dinerWrites(webhook, "wamid.PANEL1", "hola, ¿tienen pan sin gluten?");
    await eventually("the assistant's answer at the Graph API", async () => graph.sent.length >= 1, 30000);
    assert(graph.sent[0].body.to === DINER && graph.sent[0].body.type === "text", `answer ${JSON.stringify(graph.sent[0])}`);

    step("a diner writes on the widget");
    const widgetChat = await http("POST", pub("chat"), { body: { message: "hola, ¿cuánto se demora un completo?", language: "es" } });
    assert(widgetChat.status === 200, `widget chat ${widgetChat.status} ${JSON.stringify(widgetChat.body)}`);
    const widgetConversation = widgetChat.body.conversation_id;

    browser = await chromium.launch({ executablePath: chromiumBin, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "es-CL", timezoneId: "America/Santiago" });
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));

    step("staff sign in on the panel and take the WhatsApp conversation over");
    await page.goto(appBase);
    await page.fill("input[name=email]", "ana@local.cl");
    await page.fill("input[name=password]", PASSWORD);
    await page.click("form button[type=submit]");
    await page.waitForSelector("nav.nav");
    await page.goto(`${appBase}/conversations`);
    await page.click(".conv-list button:has-text('WhatsApp')");
    await page.waitForSelector(".conv-chat .bubble.diner:has-text('pan sin gluten')");
    await page.click(".conv-chat button:has-text('Tomar conversación')");
    await page.waitForSelector(".conv-chat button:has-text('Devolver al asistente')");
    await page.fill(".conv-chat input[name=text]", STAFF_WORDS);
    await page.click(".conv-chat form button[type=submit]");
    await page.waitForSelector(`.conv-chat .bubble:has-text('${STAFF_WORDS}')`);
    await page.screenshot({ path: join(artifacts, "wa-01-whatsapp-taken-over-1366.png"), fullPage: true });

    step("staff's words reach the diner on WhatsApp, once");
    const staffSent = () => graph.sent.filter((m) => m.body.to === DINER && m.body.text?.body === STAFF_WORDS);
    await eventually("staff's reply at the Graph API", async () => staffSent().length === 1, 30000);
    const reply = staffSent()[0];
    assert(reply.number === PHONE_NUMBER_ID && reply.body.type === "text", `staff reply ${JSON.stringify(reply)}`);
    const before = graph.sent.length;
    await dinerWrites(webhook, "wamid.PANEL2", "gracias, ¿y a qué hora cierran?");
    await page.waitForSelector(".conv-chat .bubble.diner:has-text('a qué hora cierran')", { timeout: 30000 }).catch(() => {});
    await sleep(2500);
    assert(graph.sent.length === before, `no assistant answer while staff hold the chat: ${JSON.stringify(graph.sent.slice(before))}`);
    assert(staffSent().length === 1, "staff's reply sent once");

    step("the widget's chat taken over on the panel: staff's reply reaches the diner's widget");
    await page.goto(`${appBase}/conversations`);
    await page.click(".conv-list button:has-text('Web')");
    await page.waitForSelector(".conv-chat .bubble.diner:has-text('cuánto se demora')");
    await page.click(".conv-chat button:has-text('Tomar conversación')");
    await page.waitForSelector(".conv-chat button:has-text('Devolver al asistente')");
    await page.fill(".conv-chat input[name=text]", WIDGET_WORDS);
    await page.click(".conv-chat form button[type=submit]");
    await page.waitForSelector(`.conv-chat .bubble:has-text('${WIDGET_WORDS}')`);
    const widgetMessages = async () => (await http("GET", pub(`chat/${widgetConversation}/messages`))).body.messages ?? [];
    await eventually("staff's reply in the diner's widget", async () => (await widgetMessages()).some((m) => m.text === WIDGET_WORDS), 30000);
    assert((await widgetMessages()).filter((m) => m.text === WIDGET_WORDS).length === 1, "the widget gets staff's reply once");
    assert(!graph.sent.some((m) => m.body.text?.body === WIDGET_WORDS), "a widget reply does not go to WhatsApp");

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(artifacts, "wa-02-widget-taken-over-390.png"), fullPage: true });
    assert(errors.length === 0, `page errors: ${errors.join("; ")}`);
    console.log("whatsapp e2e: ok");
  } catch (error) {
    for (const p of procs) console.error(`--- ${p.name}:\n${p.log().slice(-4000)}`);
    throw error;
  } finally {
    if (browser) await browser.close();
    for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGTERM");
    await sleep(300);
    graph.server.close();
    rmSync(dataDir, { recursive: true, force: true });
    try {
      psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    } catch {
      /* best effort */
    }
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error.message ?? error);
    process.exit(1);
  },
);
