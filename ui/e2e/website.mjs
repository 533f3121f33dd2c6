// End-to-end: the public website served by the real cloud binary on a fresh Postgres
// database, driven by headless Chromium (Debian's, through playwright-core): the demo form
// (errors, then success), the sign-up (errors, then success → the welcome page shows the
// enrolment code once), the ROI calculator live and without JavaScript, and the bytes each
// page transfers. Screenshots go to test-artifacts/.
//   CLOUD_BIN=path/to/dysa-cloud CHROMIUM=/usr/bin/chromium node e2e/website.mjs
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the admin database
// the test database is created from (needs psql).
import { spawn, execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { freePort } from "./harness.mjs";
import { MP_PLATFORM_SECRET, MP_PLATFORM_TOKEN, startFakeMercadoPago } from "./fake-mercado-pago.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const artifacts = resolve(here, "../test-artifacts");
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target");
const bin = process.env.CLOUD_BIN ?? join(targetDir, "debug", "dysa-cloud");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
if (!existsSync(bin)) throw new Error(`cloud binary not found at ${bin} (cargo build -p dysa-cloud, or set CLOUD_BIN)`);
mkdirSync(artifacts, { recursive: true });

const psql = (sql, url = adminUrl) => execFileSync("psql", [url, "-tAc", sql], { encoding: "utf8" }).trim();
function check(ok, what) {
  if (!ok) throw new Error(`FAILED: ${what}`);
  console.log(`  ok: ${what}`);
}

// A database of its own, dropped at the end.
const dbName = `dysa_site_e2e_${randomUUID().replaceAll("-", "")}`;
psql(`CREATE DATABASE ${dbName}`);
const databaseUrl = adminUrl.replace(/\/[^/]*$/, `/${dbName}`);

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
// Mercado Pago's subscriptions API, faked (the plan's checkout after the sign-up).
const mp = await startFakeMercadoPago();
mp.setBillingWebhook(`${base}/api/v1/webhooks/mercado-pago-billing`);
let serverLog = "";
const server = spawn(bin, [], {
  stdio: ["ignore", "ignore", "pipe"],
  env: {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DYSA_CLOUD_DATABASE_URL: databaseUrl,
    DYSA_CLOUD_LISTEN: `127.0.0.1:${port}`,
    DYSA_CLOUD_PUBLIC_URL: base,
    DYSA_CLOUD_LOG_FORMAT: "pretty",
    DYSA_CLOUD_MERCADO_PAGO_API_URL: mp.base,
    DYSA_CLOUD_BILLING_ACCESS_TOKEN: MP_PLATFORM_TOKEN,
    DYSA_CLOUD_BILLING_WEBHOOK_SECRET: MP_PLATFORM_SECRET,
    RUST_LOG: "warn",
  },
});
server.stderr.on("data", (d) => (serverLog += d));

let browser;
let page;
let failed = false;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      /* not yet */
    }
    if (i > 300) throw new Error("the cloud did not start:\n" + serverLog);
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 850 }, locale: "es-CL", timezoneId: "America/Santiago" });
  context.setDefaultTimeout(10000);
  page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  // A form answered 422 logs "Failed to load resource" (expected); anything else counts.
  page.on("console", (m) => m.type() === "error" && !m.text().includes("status of 422") && pageErrors.push(m.text()));
  const shot = (name) => page.screenshot({ path: join(artifacts, `website-${name}.png`), fullPage: true });
  const text = async (selector) => (await page.textContent(selector))?.trim() ?? "";

  console.log("demo form");
  await page.goto(`${base}/demo`);
  await page.click("button[type=submit]");
  check((await text("#name-error")) === "Escribe tu nombre", "empty demo form: the client shows the field error");
  check(page.url() === `${base}/demo`, "empty demo form: nothing was posted");
  check((await page.getAttribute("#name", "aria-invalid")) === "true", "the field is marked invalid");
  await page.fill("#name", "Ana Rojas");
  await page.fill("#restaurant", "Sanguchería El Roto");
  // Valid for the browser (a dotless domain), refused by the server.
  await page.fill("#email", "ana@elroto");
  await page.fill("#message", "Tenemos dos locales en Ñuñoa");
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  check((await text("#email-error")) === "No es un correo válido", "the server's error is shown beside the field");
  check((await page.inputValue("#name")) === "Ana Rojas", "what was typed is kept");
  check((await page.inputValue("#message")) === "Tenemos dos locales en Ñuñoa", "the message is kept");
  check(psql("SELECT count(*) FROM leads", databaseUrl) === "0", "nothing stored while invalid");
  await shot("demo-errors");
  await page.fill("#email", "ana@elroto.cl");
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  check(page.url() === `${base}/demo?enviado=1`, "success redirects to the thank-you state");
  check((await text("#demo-sent h2")).startsWith("¡Gracias!"), "the thank-you message shows");
  check(psql("SELECT count(*) FROM leads WHERE email = 'ana@elroto.cl'", databaseUrl) === "1", "the lead is stored once");
  await shot("demo-sent");

  console.log("sign-up form");
  const taken = await fetch(`${base}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ restaurant_name: "La Picada", slug: "la-picada", owner_name: "Tito", email: "tito@picada.cl", password: "pastel de choclo 2026" }),
  });
  check(taken.status === 201, "another restaurant already holds the slug la-picada");
  await page.goto(`${base}/registro`);
  await page.click("button[type=submit]");
  check((await text("#restaurant_name-error")).length > 0, "empty sign-up: the client shows field errors");
  check((await text("#terms-error")) === "Debes aceptar los términos", "the terms checkbox is required");
  check(page.url() === `${base}/registro`, "empty sign-up: nothing was posted");
  await page.fill("#restaurant_name", "La Picada de la Esquina");
  await page.fill("#slug", "la-picada");
  await page.fill("#owner_name", "Rosa Muñoz");
  await page.fill("#email", "rosa@laesquina.cl");
  await page.fill("#password", "sopaipillas con pebre");
  await page.selectOption("#plan", "basic");
  await page.check("#terms");
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  check((await text("#slug-error")).startsWith("Esa dirección ya está en uso"), "a taken slug is shown on its field");
  check((await page.inputValue("#restaurant_name")) === "La Picada de la Esquina", "the restaurant's name is kept");
  check((await page.inputValue("#plan")) === "basic", "the chosen plan is kept");
  check((await page.inputValue("#password")) === "", "the password is not sent back");
  check(psql("SELECT count(*) FROM tenants", databaseUrl) === "1", "no tenant created while invalid");
  await shot("signup-errors");
  await page.fill("#slug", "picada-esquina");
  await page.fill("#password", "sopaipillas con pebre");
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  check(page.url() === `${base}/welcome`, "success redirects to the welcome page");
  const code = await text("#enrollment-code");
  check(/^[A-Z0-9-]{14}$/.test(code), `the welcome page shows the enrolment code (${code})`);
  check((await page.getAttribute("a.btn[href='/dashboard/']", "href")) === "/dashboard/", "it links to the dashboard");
  check(psql("SELECT plan FROM tenants WHERE slug = 'picada-esquina'", databaseUrl) === "basic", "the tenant exists with its plan");
  await shot("welcome");
  await page.reload();
  check((await page.$("#enrollment-code")) === null, "the code is shown only once");
  const enrol = await fetch(`${base}/api/v1/devices/enroll`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ enrollment_code: code, device_name: "Caja 1" }),
  });
  check(enrol.status === 201, "the code shown enrols the first counter");
  check((await page.getAttribute("a[href='/contacto']", "href")) === "/contacto", "the app's installer is asked for through the contact page, not a download that does not exist");
  check(!/descarga la app/i.test(await page.textContent("main")), "no download promised");
  console.log("after sign-up the owner is signed in");
  await Promise.all([page.waitForNavigation(), page.click("a.btn[href='/dashboard/']")]);
  await page.waitForSelector(".location-card, main h1");
  check(!page.url().endsWith("/dashboard/login"), `the dashboard opens signed in (${page.url()})`);
  await shot("signed-in-after-signup");

  console.log("the plan's checkout: 14 days free through Mercado Pago, then the dashboard shows the trial");
  await page.goto(`${base}/checkout/payment`);
  check((await page.textContent("main")).includes("14 días gratis"), "the checkout offers 14 days free");
  check((await page.isChecked("input[name=plan][value=basic]")), "the plan chosen at sign-up is preselected");
  await page.check("input[name=plan][value=pro]");
  await shot("checkout");
  await Promise.all([page.waitForURL(/\/dashboard\/plan/), page.click("#checkout-submit")]);
  const sub = [...mp.preapprovals.values()][0];
  check(sub?.auto_recurring?.free_trial?.frequency === 14 && sub.auto_recurring.transaction_amount === 29990, "Mercado Pago got a Pro subscription with 14 days free");
  await page.waitForSelector("[data-standing=trial]");
  check((await page.textContent("[data-plan]")).includes("Pro"), "the dashboard shows the Pro plan");
  check((await page.textContent("[data-trial-ends]")).trim().length > 0, "and the trial's end");
  await shot("dashboard-plan-trial");

  console.log("the copy promises what ships; English readers are told the currency");
  for (const path of ["/", "/planes"]) {
    await page.goto(`${base}${path}`);
    const body = await page.textContent("main");
    check(!/cierre de caja|cajero, cocina/.test(body), `${path} does not sell a cash-up or roles that are not there`);
  }
  await page.goto(`${base}/en/planes`);
  check((await page.textContent("main")).includes("$12.990 CLP"), "English prices say CLP");
  await shot("plans-en");

  console.log("ROI calculator");
  await page.goto(`${base}/roi`);
  const before = await text("#roi-gain");
  check(/^-?\$[\d.]+$/.test(before), `a typical restaurant's gain shows (${before})`);
  await page.fill("#pedidos", "200");
  await page.waitForFunction((old) => document.getElementById("roi-gain")?.textContent !== old, before);
  const live = await text("#roi-gain");
  check(page.url().includes("pedidos=200"), "the address follows the form");
  // The same numbers without JavaScript: a GET form computed by the server.
  const noJs = await browser.newContext({ javaScriptEnabled: false, locale: "es-CL" });
  const plain = await noJs.newPage();
  await plain.goto(`${base}/roi`);
  await plain.fill("#pedidos", "200");
  await Promise.all([plain.waitForNavigation(), plain.click("#roi-form button[type=submit]")]);
  const served = (await plain.textContent("#roi-gain")).trim();
  check(served === live, `the live result equals the server's (${live})`);
  await plain.fill("#pedidos", "0");
  await Promise.all([plain.waitForNavigation(), plain.click("#roi-form button[type=submit]")]);
  check((await plain.textContent("#pedidos-error")).includes("entre 1 y 5000"), "without JavaScript an error is shown too");
  await noJs.close();
  await page.fill("#minutos", "tres");
  await page.waitForFunction(() => document.getElementById("minutos-error")?.textContent !== "");
  check((await page.$("#roi-gain")) === null, "a bad number hides the result live");
  await shot("roi");

  console.log("page weight (transferred, gzip, before images)");
  const sitemap = await (await fetch(`${base}/sitemap.xml`)).text();
  const urls = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  check(urls.length >= 26, `the sitemap lists ${urls.length} pages`);
  const weights = [];
  for (const url of urls) {
    const fresh = await browser.newContext();
    const p = await fresh.newPage();
    const responses = [];
    p.on("response", (r) => responses.push(r));
    await p.goto(url, { waitUntil: "load" });
    let bytes = 0;
    for (const r of responses) {
      if (r.request().resourceType() === "image") continue;
      const sizes = await r.request().sizes();
      bytes += sizes.responseBodySize + sizes.responseHeadersSize;
    }
    weights.push({ path: new URL(url).pathname, bytes, requests: responses.length });
    await fresh.close();
  }
  weights.sort((a, b) => b.bytes - a.bytes);
  const home = weights.find((w) => w.path === "/");
  const homeEn = weights.find((w) => w.path === "/en/");
  console.log(`  home /: ${home.bytes} B in ${home.requests} requests; /en/: ${homeEn.bytes} B`);
  console.log(`  heaviest: ${weights[0].path} ${weights[0].bytes} B; lightest: ${weights.at(-1).path} ${weights.at(-1).bytes} B`);
  check(weights[0].bytes < 100 * 1024, "no page transfers more than 100 KB");
  check(pageErrors.length === 0, `no script errors or CSP violations (${pageErrors.join(" | ")})`);
  console.log("website e2e: all checks passed");
} catch (error) {
  failed = true;
  console.error(error);
  await page?.screenshot({ path: join(artifacts, "website-failure.png"), fullPage: true }).catch(() => {});
  if (page) console.error("at " + page.url() + "\n" + (await page.content().catch(() => "")).slice(0, 3000));
  if (serverLog) console.error("--- cloud log ---\n" + serverLog.slice(-4000));
} finally {
  await browser?.close();
  mp.close();
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  try {
    psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  } catch (error) {
    console.error("could not drop the test database:", error.message);
  }
}
process.exit(failed ? 1 : 0);
