// "Recuperar este local" on the panel (issue 20), with the real binaries: dysa-cloud on a
// fresh Postgres database and dysa-appliance processes, the panel driven in headless
// Chromium.
//
//   1. Counter A is set up, linked, takes orders and a conversation; a backup is taken and
//      A's own upload step sends it to the cloud. A dies (killed, its data never used again).
//   2. For each language (es, then en) a fresh counter and a new enrolment code from the
//      owner: the setup screen offers "Recuperar este local"; the form takes the cloud's
//      address and the code; the report names what came from the backup, what went up,
//      what came from the cloud and what may be lost, in that language. A's admin then
//      signs in on the recovered counter and sees A's orders.
//   Screenshots at 1366×768 and 390×844 of the setup screen, the form and the report.
//
//   CLOUD_BIN=... DYSA_BIN=... CHROMIUM=/usr/bin/chromium [SHOTS=dir] node e2e/recover.mjs
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { eventually, freePort, http, startProcess, waitHealthy } from "./harness.mjs";
import { badWords, pageText } from "./texts.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const shots = resolve(process.env.SHOTS ?? resolve(here, "../test-artifacts"));
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target");
const cloudBin = process.env.CLOUD_BIN ?? join(targetDir, "debug", "dysa-cloud");
const applianceBin = process.env.DYSA_BIN ?? join(targetDir, "debug", "dysa-appliance");
const chromiumBin = process.env.CHROMIUM ?? "/usr/bin/chromium";
const PASSWORD = "pastel de choclo 2026";
const ADMIN = "ana@picada.cl";
const SIZES = [
  [1366, 768],
  [390, 844],
];

const step = (name) => console.log(`  · ${name}`);
function assert(cond, message) {
  if (!cond) throw new Error("assertion failed: " + message);
}


async function main() {
  for (const b of [cloudBin, applianceBin]) if (!existsSync(b)) throw new Error(`${b} missing (cargo build -p dysa-cloud -p dysa-appliance)`);
  if (!existsSync(chromiumBin)) throw new Error(`Chromium missing at ${chromiumBin} (set CHROMIUM)`);
  mkdirSync(shots, { recursive: true });
  console.log("Recuperar este local on the panel (real binaries, headless Chromium)");
  const dbName = `dysa_recover_e2e_${randomUUID().replaceAll("-", "")}`;
  const psql = (sql) => execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql], { stdio: "pipe" });
  psql(`CREATE DATABASE ${dbName}`);
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;
  const dirs = [];
  const procs = [];
  let browser = null;
  try {
    const cloudPort = await freePort();
    const cloudBase = `http://127.0.0.1:${cloudPort}`;
    const cloud = startProcess("cloud", cloudBin, [], { DATABASE_URL: databaseUrl, DYSA_CLOUD_DATABASE_URL: databaseUrl, DYSA_CLOUD_LISTEN: `127.0.0.1:${cloudPort}` });
    procs.push(cloud);
    await waitHealthy(cloudBase, cloud);
    const signup = await http("POST", `${cloudBase}/api/v1/signup`, { body: { restaurant_name: "La Picada de Don Tito", slug: "picada-tito", owner_name: "Tito", email: "tito@picada.cl", password: PASSWORD } });
    assert(signup.status === 201, `signup ${JSON.stringify(signup.body)}`);
    const location = signup.body.location_id;
    const owner = (await http("POST", `${cloudBase}/api/v1/auth/login`, { body: { email: "tito@picada.cl", password: PASSWORD } })).body.access_token;

    const counter = async (name) => {
      const dir = mkdtempSync(join(tmpdir(), `dysa-recover-e2e-${name}-`));
      dirs.push(dir);
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const proc = startProcess(name, applianceBin, ["--data-dir", dir, "--listen", `127.0.0.1:${port}`], { DYSA_OLLAMA_URL: "http://127.0.0.1:9" });
      procs.push(proc);
      await waitHealthy(base, proc);
      return { dir, base, proc };
    };

    step("counter A: set up, linked, orders and a conversation, a backup its upload step sends");
    const a = await counter("A");
    const setup = await http("POST", `${a.base}/api/v1/setup`, { body: { restaurant_name: "La Picada de Don Tito", name: "Ana", email: ADMIN, password: PASSWORD } });
    assert(setup.status === 201, `setup ${JSON.stringify(setup.body)}`);
    const staff = setup.body.access_token;
    const connect = await http("POST", `${a.base}/api/v1/cloud/connect`, { token: staff, body: { cloud_url: cloudBase, enrollment_code: signup.body.enrollment_code } });
    assert(connect.status === 200, `connect ${JSON.stringify(connect.body)}`);
    const category = await http("POST", `${a.base}/api/v1/menu/categories`, { token: staff, body: { name: "Platos" } });
    const item = await http("POST", `${a.base}/api/v1/menu/items`, { token: staff, body: { category_id: category.body.id, name: "Pastel de choclo", price: 8990 } });
    assert(item.status === 201, `item ${JSON.stringify(item.body)}`);
    for (let i = 0; i < 3; i++) {
      const order = await http("POST", `${a.base}/api/v1/orders`, { token: staff, body: { channel: "counter", lines: [{ item_id: item.body.id, quantity: 1 }] } });
      assert(order.status === 201, `order ${JSON.stringify(order.body)}`);
    }
    const conversation = await http("POST", `${a.base}/api/v1/conversations`, { token: staff, body: { channel: "panel" } });
    assert(conversation.status === 201, `conversation ${JSON.stringify(conversation.body)}`);
    await eventually("A synced", async () => {
      const s = (await http("GET", `${a.base}/api/v1/sync/status`, { token: staff })).body;
      return s.link === "online" && s.pending === 0;
    }, 60000);
    const backup = await http("POST", `${a.base}/api/v1/backups`, { token: staff });
    assert(backup.status === 200 && !backup.body.last.error, `backup ${JSON.stringify(backup.body)}`);
    await eventually("A's backup uploaded by its own upload step", () => existsSync(join(a.dir, "backups", "uploaded")), 60000);
    a.proc.child.kill("SIGKILL");

    browser = await chromium.launch({ executablePath: chromiumBin, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
    for (const lang of ["es", "en"]) {
      step(`${lang}: a fresh counter recovers the location from the panel`);
      const code = await http("POST", `${cloudBase}/api/v1/locations/${location}/enrollment-codes`, { token: owner });
      assert(code.status < 300, `code ${JSON.stringify(code.body)}`);
      const b = await counter(`B-${lang}`);
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: lang === "es" ? "es-CL" : "en-US", timezoneId: "America/Santiago" });
      context.setDefaultTimeout(20000);
      await context.addInitScript((l) => localStorage.setItem("dysa.lang", l), lang);
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      const shoot = async (name) => {
        // The Spanish screens hold no raw value, key, ISO date or English word (texts.mjs).
        if (lang === "es") {
          const bad = badWords(await pageText(page));
          assert(bad.length === 0, `${name}: ${JSON.stringify(bad)}`);
        }
        for (const [width, height] of SIZES) {
          await page.setViewportSize({ width, height });
          await page.screenshot({ path: join(shots, `recover-${lang}-${name}-${width}x${height}.png`), fullPage: true });
        }
        await page.setViewportSize({ width: 1366, height: 768 });
      };
      await page.goto(b.base);
      await page.waitForSelector("#recover-start");
      await shoot("1-setup");
      await page.click("#recover-start");
      await page.waitForSelector("#recover-form");
      await page.fill("#recover-form input[name=cloud_url]", cloudBase);
      await page.fill("#recover-form input[name=enrollment_code]", code.body.enrollment_code);
      await page.fill("#recover-form input[name=device_name]", lang === "es" ? "Caja de reemplazo" : "Replacement counter");
      await shoot("2-form");
      await page.click("#recover-form button[type=submit]");
      await page.waitForSelector("#recover-report", { timeout: 90000 });
      const report = await page.locator("#recover-report").innerText();
      const orders = await page.locator("#recover-report li[data-key=orders] strong").first().innerText();
      assert(orders === "3", `three orders from the backup: ${report}`);
      assert(await page.locator("#recover-report li[data-key=conversations]").count() >= 1, `the conversation named: ${report}`);
      assert(!/\d{4}-\d{2}-\d{2}T/.test(report), `an ISO timestamp on the report: ${report}`);
      assert((await page.locator("#recover-report li").first().getAttribute("data-key")) === "orders", `orders first: ${report}`);
      // A synced everything before its backup: nothing was left to send, and this
      // counter's own first writes (its order-number slot) are not reported as the
      // backup's or the cloud's.
      assert(report.includes(lang === "es" ? "El respaldo no tenía cambios sin enviar." : "The backup held no unsent changes."), `nothing unsent: ${report}`);
      if (lang === "es") assert(report.includes("La nube no tenía nada más reciente que el respaldo."), `nothing newer in the cloud: ${report}`);
      assert(report.includes(lang === "es" ? "no se puede saber" : "cannot be known"), `what may be lost, in ${lang}: ${report}`);
      await shoot("3-report");
      step(`${lang}: A's admin signs in on the recovered counter and finds A's orders`);
      const login = await http("POST", `${b.base}/api/v1/auth/login`, { body: { email: ADMIN, password: PASSWORD } });
      assert(login.status === 200, `login ${JSON.stringify(login.body)}`);
      const list = await http("GET", `${b.base}/api/v1/orders?limit=50`, { token: login.body.access_token });
      assert(list.body.items.length === 3, `orders on the recovered counter ${JSON.stringify(list.body)}`);
      assert(errors.length === 0, `page errors: ${errors.join("\n")}`);
      await context.close();
      b.proc.child.kill("SIGKILL");
    }
    console.log(`ok (screenshots in ${shots})`);
  } finally {
    if (browser) await browser.close();
    for (const p of procs) p.child.kill("SIGKILL");
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    try {
      psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    } catch {
      /* the database goes with the test server */
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
