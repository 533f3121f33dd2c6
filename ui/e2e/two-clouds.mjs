// Two dysa-cloud instances on one Postgres database behind a load balancer, with the real
// binaries (issue 20, "Cloud at scale"). No browser: what is checked is the servers'
// contract with each other.
//
//   1. An owner signs in on instance A; the token works on instance B (signing keys live in
//      Postgres, no shared secret in the environment).
//   2. A counter (dysa-appliance) is linked through a small TCP load balancer that sends its
//      connections to B. Widget orders placed on A reach that counter, whose live stream is
//      on B (Postgres LISTEN/NOTIFY carries the news between instances). The arrival time of
//      each is printed (p50/max): figures for docs/BENCHMARKS.md, not a timed assertion.
//   3. B is killed (SIGKILL) with the counter's stream open on it. The balancer's next
//      connections go to A; orders placed on A just before, during and after the kill all
//      reach the counter exactly once.
//
//   CLOUD_BIN=... DYSA_BIN=... node e2e/two-clouds.mjs
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { eventually, freePort, http, sleep, startProcess, waitHealthy } from "./harness.mjs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target");
const cloudBin = process.env.CLOUD_BIN ?? join(targetDir, "debug", "dysa-cloud");
const applianceBin = process.env.DYSA_BIN ?? join(targetDir, "debug", "dysa-appliance");
const PASSWORD = "pastel de choclo 2026";
const ORDERS_MEASURED = 20;

const step = (name) => console.log(`  · ${name}`);
function assert(cond, message) {
  if (!cond) throw new Error("assertion failed: " + message);
}

// A TCP load balancer with a preferred backend: each new connection goes to the first
// backend that accepts it, as a proxy with a failed health check would. It keeps count of
// the open connections per backend, so the test can see where the counter's stream is.
function balancer(backends) {
  const open = new Map(backends.map((b) => [b.name, new Set()]));
  const server = createServer((client) => {
    client.pause();
    const tryBackend = (index) => {
      if (index >= backends.length) return client.destroy();
      const backend = backends[index];
      const upstream = connect(backend.port, "127.0.0.1");
      let connected = false;
      upstream.once("connect", () => {
        connected = true;
        open.get(backend.name).add(upstream);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on("error", () => {
        if (!connected) return tryBackend(index + 1);
        client.destroy();
      });
      upstream.on("close", () => {
        if (!connected) return; // refused: the next backend takes the client
        open.get(backend.name).delete(upstream);
        client.destroy();
      });
      client.on("error", () => upstream.destroy());
      client.on("close", () => upstream.destroy());
    };
    tryBackend(0);
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () => ok({ server, port: server.address().port, openOn: (name) => open.get(name).size })),
  );
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  for (const b of [cloudBin, applianceBin]) if (!existsSync(b)) throw new Error(`${b} missing (cargo build -p dysa-cloud -p dysa-appliance)`);
  console.log("two cloud instances on one database behind a balancer (real binaries)");
  const dbName = `dysa_two_clouds_${randomUUID().replaceAll("-", "")}`;
  const psql = (sql) => execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql], { stdio: "pipe" });
  psql(`CREATE DATABASE ${dbName}`);
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;
  const dataDir = mkdtempSync(join(tmpdir(), "dysa-two-clouds-"));
  const procs = [];
  let lb = null;
  try {
    const ports = { a: await freePort(), b: await freePort(), app: await freePort() };
    const base = { a: `http://127.0.0.1:${ports.a}`, b: `http://127.0.0.1:${ports.b}`, app: `http://127.0.0.1:${ports.app}` };
    // No DYSA_CLOUD_JWT_SECRET: each instance would make its own; the keys in Postgres are
    // what both must share.
    const cloudEnv = (port) => ({ DATABASE_URL: databaseUrl, DYSA_CLOUD_DATABASE_URL: databaseUrl, DYSA_CLOUD_LISTEN: `127.0.0.1:${port}`, DYSA_CLOUD_JWT_SECRET: "" });
    const cloudA = startProcess("cloud A", cloudBin, [], cloudEnv(ports.a));
    procs.push(cloudA);
    await waitHealthy(base.a, cloudA);
    const cloudB = startProcess("cloud B", cloudBin, [], cloudEnv(ports.b));
    procs.push(cloudB);
    await waitHealthy(base.b, cloudB);
    lb = await balancer([
      { name: "B", port: ports.b },
      { name: "A", port: ports.a },
    ]);
    const lbBase = `http://127.0.0.1:${lb.port}`;

    step("an owner signs up and signs in on A; the session works on B");
    const slug = "dos-instancias";
    const signup = await http("POST", `${base.a}/api/v1/signup`, { body: { restaurant_name: "Dos Instancias", slug, owner_name: "Pepa", email: "pepa@dos.cl", password: PASSWORD, plan: "pro" } });
    assert(signup.status === 201, `signup ${JSON.stringify(signup.body)}`);
    const login = await http("POST", `${base.a}/api/v1/auth/login`, { body: { email: "pepa@dos.cl", password: PASSWORD, plan: "pro" } });
    assert(login.status === 200, `login on A ${JSON.stringify(login.body)}`);
    const owner = login.body.access_token;
    const onB = await http("GET", `${base.b}/api/v1/orders`, { token: owner });
    assert(onB.status === 200, `the owner's token on B answered ${onB.status} ${JSON.stringify(onB.body)}`);
    const settings = await http("GET", `${base.b}/api/v1/widget-settings`, { token: owner });
    assert(settings.status === 200, `widget settings on B ${settings.status}`);
    const put = await http("PUT", `${base.b}/api/v1/widget-settings`, { token: owner, body: { ...settings.body, ordering: { ...settings.body.ordering, online_orders: true, offline_policy: "wait" } } });
    assert(put.status === 200, `PUT widget settings on B ${put.status} ${JSON.stringify(put.body)}`);

    step("a counter linked through the balancer, its connections on B");
    const app = startProcess("appliance", applianceBin, ["--data-dir", dataDir, "--listen", `127.0.0.1:${ports.app}`], { DYSA_OLLAMA_URL: "http://127.0.0.1:9" });
    procs.push(app);
    await waitHealthy(base.app, app);
    const setup = await http("POST", `${base.app}/api/v1/setup`, { body: { restaurant_name: "Dos Instancias", name: "Admin", email: "admin@dos.cl", password: PASSWORD } });
    assert(setup.status === 201, `setup ${JSON.stringify(setup.body)}`);
    const staff = setup.body.access_token;
    const link = await http("POST", `${base.app}/api/v1/cloud/connect`, { token: staff, body: { cloud_url: lbBase, enrollment_code: signup.body.enrollment_code } });
    assert(link.status < 300, `connect ${JSON.stringify(link.body)}`);
    const cat = await http("POST", `${base.app}/api/v1/menu/categories`, { token: staff, body: { name: "Sopaipillas" } });
    const item = await http("POST", `${base.app}/api/v1/menu/items`, { token: staff, body: { category_id: cat.body.id, name: "Sopaipilla pasada", price: 1990 } });
    assert(item.status === 201, `item ${JSON.stringify(item.body)}`);
    const pub = (p) => `${base.a}/api/v1/public/${slug}/${p}`;
    await eventually("the counter's menu to be served by A", async () => JSON.stringify((await http("GET", pub("menu"))).body).includes("Sopaipilla pasada"), 60000);
    await eventually("the counter to show online on A", async () => (await http("GET", pub("widget"))).body.restaurant_online === true, 60000);
    assert(lb.openOn("B") > 0 && lb.openOn("A") === 0, `the counter's connections are on B (B ${lb.openOn("B")}, A ${lb.openOn("A")})`);

    const posts = [];
    const order = async (n) => {
      const sent = performance.now();
      const placed = await http("POST", pub("orders"), {
        headers: { "idempotency-key": randomUUID() },
        body: { customer: { name: `Comensal ${n}`, phone: `+56 9 1234 ${String(1000 + n).padStart(4, "0")}` }, fulfilment: "pickup", lines: [{ item_id: item.body.id, quantity: 1 + (n % 3) }] },
      });
      assert(placed.status === 201, `widget order ${n} on A: ${placed.status} ${JSON.stringify(placed.body)}`);
      posts.push(performance.now() - sent);
      return { id: placed.body.id, at: sent };
    };
    const onCounter = async (id) => (await http("GET", `${base.app}/api/v1/orders/${id}`, { token: staff })).status === 200;

    step(`${ORDERS_MEASURED} widget orders placed on A reach the counter whose stream is on B`);
    const arrivals = [];
    const placed = [];
    for (let n = 0; n < ORDERS_MEASURED; n++) {
      const o = await order(n);
      placed.push(o.id);
      await eventually(`order ${n} on the counter`, () => onCounter(o.id), 30000, 10);
      arrivals.push(performance.now() - o.at);
    }
    arrivals.sort((x, y) => x - y);
    const baseline = [...posts].sort((x, y) => x - y);
    console.log(`    baseline, the widget POST round trip on A: p50 ${percentile(baseline, 50).toFixed(0)} ms, max ${baseline.at(-1).toFixed(0)} ms`);
    console.log(`    placed on A → on the counter: p50 ${percentile(arrivals, 50).toFixed(0)} ms, p90 ${percentile(arrivals, 90).toFixed(0)} ms, max ${arrivals.at(-1).toFixed(0)} ms (n=${arrivals.length}, polled every 10 ms)`);
    assert(lb.openOn("A") === 0, "nothing of the counter moved to A while B was up");

    step("B is killed with the stream open; orders before, during and after reach the counter once");
    const burst = [];
    for (let n = 0; n < 3; n++) burst.push((await order(100 + n)).id);
    cloudB.child.kill("SIGKILL");
    const killedAt = performance.now();
    const during = await Promise.all([0, 1, 2].map((n) => order(200 + n)));
    burst.push(...during.map((o) => o.id));
    await eventually("the counter to reconnect through the balancer to A", async () => lb.openOn("A") > 0, 60000);
    for (let n = 0; n < 3; n++) burst.push((await order(300 + n)).id);
    for (const id of burst) await eventually(`order ${id} on the counter after the failover`, () => onCounter(id), 60000, 50);
    placed.push(...burst);
    console.log(`    all 9 orders of the failover on the counter ${((performance.now() - killedAt) / 1000).toFixed(1)} s after B was killed`);

    step("every order once on the counter, none lost, none doubled");
    const board = await http("GET", `${base.app}/api/v1/orders?limit=200`, { token: staff });
    assert(board.status === 200, `orders on the counter ${board.status}`);
    const ids = (board.body.items ?? []).map((o) => o.id);
    const counts = new Map();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const id of placed) assert(counts.get(id) === 1, `order ${id} is on the counter once (seen ${counts.get(id) ?? 0})`);
    assert(ids.length === placed.length, `the counter holds exactly the ${placed.length} orders placed (holds ${ids.length})`);
    const cloudSide = await http("GET", `${base.a}/api/v1/orders?limit=200`, { token: owner });
    assert(cloudSide.status === 200, `the owner's orders on A ${cloudSide.status}`);
    console.log(`    ${placed.length} orders placed on A, ${ids.length} on the counter, each once`);
    console.log("two-clouds e2e: ok");
  } finally {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGTERM");
    await sleep(300);
    if (lb) lb.server.close();
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
