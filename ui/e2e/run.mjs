// End-to-end: the real appliance binary on a temp data dir and a free port, driven by
// headless Chromium (Debian's, through playwright-core). Screenshots go to test-artifacts/.
//   DYSA_BIN=path/to/dysa-appliance CHROMIUM=/usr/bin/chromium node e2e/run.mjs
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const artifacts = resolve(here, "../test-artifacts");
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target");
const bin = process.env.DYSA_BIN ?? join(targetDir, "debug", "dysa-appliance");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(bin)) throw new Error(`appliance binary not found at ${bin} (cargo build -p dysa-appliance, or set DYSA_BIN)`);
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

const dataDir = mkdtempSync(join(tmpdir(), "dysa-e2e-"));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(bin, ["--data-dir", dataDir, "--listen", `127.0.0.1:${port}`], {
  stdio: ["ignore", "ignore", "pipe"],
  env: { ...process.env, DYSA_LOG_FORMAT: "pretty", RUST_LOG: "warn" },
});
let serverLog = "";
server.stderr.on("data", (d) => (serverLog += d));

let browser;
let failed = false;
const step = (name) => console.log(`  · ${name}`);
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      /* not yet */
    }
    if (i > 100) throw new Error("the appliance did not start:\n" + serverLog);
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 850 }, locale: "es-CL", timezoneId: "America/Santiago" });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  const shot = (p, name) => p.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

  step("first-run setup");
  await page.goto(base + "/");
  await page.fill("input[name=restaurant_name]", "Donde Pepe");
  await page.fill("input[name=name]", "Ana Admin");
  await page.fill("input[name=email]", "ana@example.cl");
  await page.fill("input[name=password]", "x");
  await page.click("button[type=submit]");
  await page.waitForSelector(".field[data-field=password] .field-error:not(:empty)");
  await shot(page, "01-setup-field-error");
  await page.fill("input[name=password]", "clave-segura-2024");
  await page.click("button[type=submit]");
  await page.waitForSelector("nav.nav");

  step("log out and log in");
  await page.click("#logout");
  await page.waitForSelector("input[name=email]");
  await shot(page, "02-login");
  await page.fill("input[name=email]", "ana@example.cl");
  await page.fill("input[name=password]", "clave-segura-2024");
  await page.click("button[type=submit]");
  await page.waitForSelector("#kpi-sales");

  step("menu: a modifier group, a category and two items");
  await page.click("nav a[href='/menu']");
  await page.click("text=+ Nuevo grupo de modificadores");
  await page.fill("dialog input[name=name]", "Tamaño");
  await page.fill("dialog input[name=min_choices]", "1");
  await page.fill("dialog input[name=max_choices]", "1");
  await page.fill("dialog textarea[name=options]", "Normal; 0\nGrande; 1500");
  await page.click("dialog button[type=submit]");
  await page.waitForSelector("dialog", { state: "detached" });
  await page.click("text=+ Nueva categoría");
  await page.fill("dialog input[name=name]", "Sándwiches");
  await page.click("dialog button[type=submit]");
  await page.waitForSelector("dialog", { state: "detached" });
  for (const [name, price, withGroup] of [["Barros Luco", "7990", true], ["Churrasco", "6.990", false]]) {
    await page.click("text=+ Nuevo producto");
    await page.fill("dialog input[name=name]", name);
    await page.fill("dialog input[name=price]", price);
    if (withGroup) await page.check("dialog input[name=group]");
    await page.click("dialog button[type=submit]");
    await page.waitForSelector("dialog", { state: "detached" });
    await page.waitForSelector(`[data-soldout="${name}"]`);
  }
  await shot(page, "03-menu");

  step("board and dashboard open in other tabs");
  const board = await context.newPage();
  await board.goto(base + "/orders");
  await board.waitForSelector(".column");
  const dash = await context.newPage();
  await dash.goto(base + "/");
  await dash.waitForSelector("#kpi-sales");
  const salesBefore = await dash.textContent("#kpi-sales .value");

  step("counter order with a split payment (cash + debit)");
  await page.click("nav a[href='/orders/new']");
  await page.click(".item-tile:has-text('Barros Luco')");
  await page.click("dialog label.option:has-text('Grande')");
  await page.click("dialog button[type=submit]");
  await page.waitForSelector("dialog", { state: "detached" });
  await page.click(".item-tile:has-text('Churrasco')");
  await page.waitForFunction(() => document.querySelector("#cart-total")?.textContent === "$16.480");
  await shot(page, "04-new-order");
  await page.click("button:has-text('Cobrar $16.480')");
  await page.waitForSelector("dialog input[name=amount]");
  await page.fill("dialog input[name=amount]", "10000");
  await page.fill("dialog input[name=received]", "20000");
  await page.waitForSelector("dialog output.change:has-text('$10.000')");
  await shot(page, "05-payment-cash");
  await page.click("dialog button[type=submit]");
  await page.waitForSelector("dialog .due strong:has-text('$6.480')");
  await page.click("dialog button.seg:has-text('Débito')");
  await page.click("dialog button[type=submit]");
  await page.waitForSelector("dialog:has-text('Pedido pagado')");
  await page.click("dialog button:has-text('Pedido #1')");
  await page.waitForSelector(".badge.p-paid");
  await shot(page, "06-order-detail");

  step("live: the board and the dashboard update without reload");
  await board.waitForSelector(".order-card[data-number='1']");
  await shot(board, "07-orders-board");
  await dash.waitForFunction((before) => document.querySelector("#kpi-sales .value")?.textContent !== before, salesBefore);
  const sales = await dash.textContent("#kpi-sales .value");
  if (sales !== "$16.480") throw new Error(`dashboard sales ${sales}`);
  await dash.waitForSelector(".chart");
  await shot(dash, "08-dashboard");

  step("mark an item sold out");
  await page.click("nav a[href='/menu']");
  await page.click("[data-soldout='Churrasco']");
  await page.waitForSelector("[data-soldout='Churrasco'][aria-pressed='true']");

  step("book a reservation");
  await page.click("nav a[href='/reservations']");
  await page.click("text=+ Nueva mesa");
  await page.fill("dialog input[name=name]", "Mesa 1");
  await page.click("dialog button[type=submit]");
  await page.waitForSelector("dialog", { state: "detached" });
  await page.click("#new-reservation");
  const tomorrow = await page.evaluate(() => {
    const d = new Date(new Intl.DateTimeFormat("en-CA", { timeZone: "America/Santiago" }).format(new Date()) + "T12:00:00Z");
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  });
  await page.fill("dialog input[name=date]", tomorrow);
  await page.dispatchEvent("dialog input[name=date]", "change");
  await page.click("dialog .slot:has-text('20:00')");
  await page.fill("dialog input[name=name]", "Familia Soto");
  await page.fill("dialog input[name=phone]", "+56 9 8765 4321");
  await page.click("dialog button[type=submit]");
  await page.waitForSelector("dialog", { state: "detached" });
  await page.waitForSelector(".tl-block:has-text('Familia Soto')");
  await shot(page, "09-reservations");

  step("a chat with the assistant (no model on this machine: the fallback answers)");
  await page.click("nav a[href='/conversations']");
  await page.click("main button.primary:has-text('Nueva conversación')");
  await page.fill("main input[name=text]", "hola, quiero 2 churrascos");
  await page.click("main form.inline button[type=submit]");
  await page.waitForSelector("main .bubble.assistant");
  await page.waitForSelector("main .bubble.diner:has-text('2 churrascos')");
  await shot(page, "11-conversations");

  step("other pages render");
  for (const [path, name, sel] of [
    ["/customers", "10-customers", "main h1"],
    ["/analytics", "12-analytics", "main .kpi"],
    ["/settings", "13-settings", "main input[name=hours_monday]"],
    ["/users", "14-users", "main table"],
  ]) {
    await page.click(`nav a[href='${path}']`);
    await page.waitForSelector(sel);
    await shot(page, name);
  }

  step("switch to English");
  await page.selectOption("header select", "en");
  await page.waitForSelector("nav a:has-text('Orders')");
  await page.click("nav a[href='/']");
  await page.waitForSelector("text=Today's sales");
  await page.evaluate(() => (document.documentElement.dataset.theme = "light"));
  await shot(page, "15-dashboard-en-light");

  step("log out");
  await page.click("#logout");
  await page.waitForSelector("h1:has-text('Sign in')");

  step("time to interactive on the login page");
  const fresh = await browser.newContext({ viewport: { width: 1366, height: 850 } });
  const loginPage = await fresh.newPage();
  const runs = [];
  for (let i = 0; i < 5; i++) {
    await loginPage.goto(base + "/login", { waitUntil: "commit" });
    await loginPage.waitForSelector("input[name=email]");
    runs.push(await loginPage.evaluate(() => performance.now()));
  }
  runs.sort((a, b) => a - b);
  const tti = { median_ms: Math.round(runs[2]), runs_ms: runs.map(Math.round) };
  writeFileSync(join(artifacts, "tti.json"), JSON.stringify(tti, null, 2));
  console.log(`  login page interactive in ${tti.median_ms} ms (median of 5)`);

  const unexpected = consoleErrors.filter((e) => !/401|404|Failed to load resource/.test(e));
  if (unexpected.length) throw new Error("console errors:\n" + unexpected.join("\n"));
  console.log("e2e: all steps passed; screenshots in ui/test-artifacts/");
} catch (error) {
  failed = true;
  console.error("e2e FAILED:", error);
  console.error(serverLog.split("\n").slice(-20).join("\n"));
} finally {
  await browser?.close().catch(() => {});
  server.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
