import { describe, expect, it, vi } from "vitest";
import { CloudClient } from "../src/api/cloud-client";
import { age, axisMax, canRequestCancel, filterItems, fold, checkOrigin, checkOrigins, dailySeries, embedSnippet, isHexColor, leadStages, locationPage, linkState, linkTone, modifiersText, niceMax, shortDate, textOn, ticks, yFor } from "../src/dashboard/logic";
import { d } from "../src/dashboard/i18n";

describe("chart scaling", () => {
  it("tops the axis at a round figure at or above the largest value", () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(-5)).toBe(1);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(10)).toBe(10);
    expect(niceMax(11)).toBe(20);
    expect(niceMax(21)).toBe(25);
    expect(niceMax(26)).toBe(50);
    expect(niceMax(123_456)).toBe(200_000);
    expect(niceMax(0.3)).toBeCloseTo(0.5);
  });
  it("never tops below the value and never more than 2.5 times above it", () => {
    for (let v = 1; v < 5_000_000; v = Math.ceil(v * 1.37)) {
      const top = niceMax(v);
      expect(top).toBeGreaterThanOrEqual(v);
      expect(top).toBeLessThanOrEqual(v * 2.5);
    }
  });
  it("gives whole-number gridlines for counts", () => {
    expect(axisMax(1, true)).toBe(4);
    expect(axisMax(5, true)).toBe(8);
    expect(axisMax(10, true)).toBe(12);
    expect(axisMax(7, false)).toBe(10);
    for (let v = 0; v < 500; v += 7) {
      const top = axisMax(v, true);
      expect(top).toBeGreaterThanOrEqual(v);
      expect(ticks(top).every(Number.isInteger)).toBe(true);
    }
  });
  it("spaces gridlines evenly from zero to the top", () => {
    expect(ticks(200, 4)).toEqual([0, 50, 100, 150, 200]);
  });
  it("maps values to SVG y (downwards), clamped to the plot", () => {
    expect(yFor(0, 100, 200)).toBe(200);
    expect(yFor(100, 100, 200)).toBe(0);
    expect(yFor(25, 100, 200)).toBe(150);
    expect(yFor(-3, 100, 200)).toBe(200);
    expect(yFor(900, 100, 200)).toBe(0);
    expect(yFor(5, 0, 200)).toBe(200);
  });
  it("fills every day of the period and sums the chosen locations", () => {
    const rows = [
      { date: "2026-11-25", location_id: "a", sales: 1000, orders: 1 },
      { date: "2026-11-25", location_id: "b", sales: 500, orders: 2 },
      { date: "2026-11-27", location_id: "a", sales: 300, orders: 1 },
    ];
    expect(dailySeries("2026-11-24", "2026-11-27", rows)).toEqual([
      { date: "2026-11-24", sales: 0, orders: 0 },
      { date: "2026-11-25", sales: 1500, orders: 3 },
      { date: "2026-11-26", sales: 0, orders: 0 },
      { date: "2026-11-27", sales: 300, orders: 1 },
    ]);
    expect(dailySeries("2026-11-25", "2026-11-25", rows, "b")).toEqual([{ date: "2026-11-25", sales: 500, orders: 2 }]);
    // Across a month end.
    expect(dailySeries("2026-11-30", "2026-12-01", []).map((p) => p.date)).toEqual(["2026-11-30", "2026-12-01"]);
  });
});

describe("a location's link", () => {
  it("tells no device, never synced, online and offline apart", () => {
    expect(linkState({ online: false, active_devices: 0 })).toBe("no_devices");
    expect(linkState({ online: false, active_devices: 1, last_sync_at: null, last_seen_at: null })).toBe("never");
    expect(linkState({ online: true, active_devices: 2, last_sync_at: "2026-11-27T12:00:00Z" })).toBe("online");
    expect(linkState({ online: false, active_devices: 1, last_sync_at: "2026-11-27T12:00:00Z" })).toBe("offline");
    expect(linkTone("online")).toBe("ok");
    expect(linkTone("offline")).toBe("bad");
    expect(linkTone("no_devices")).toBe("muted");
  });
  it("says how long ago in the largest whole unit", () => {
    const now = new Date("2026-11-27T12:00:00Z");
    expect(age("2026-11-27T11:59:30Z", now)).toEqual(["now", 0]);
    expect(age("2026-11-27T11:55:00Z", now)).toEqual(["min", 5]);
    expect(age("2026-11-27T09:00:00Z", now)).toEqual(["h", 3]);
    expect(age("2026-11-25T12:00:00Z", now)).toEqual(["d", 2]);
    // A clock slightly ahead never gives a negative age.
    expect(age("2026-11-27T12:00:10Z", now)).toEqual(["now", 0]);
  });
});

describe("allowed origins", () => {
  it("accepts and normalises exact https origins", () => {
    expect(checkOrigin("https://MiRestaurante.cl/")).toEqual({ origin: "https://mirestaurante.cl" });
    expect(checkOrigin("  https://www.picada.cl:8443 ")).toEqual({ origin: "https://www.picada.cl:8443" });
    expect(checkOrigin("http://localhost:5173")).toEqual({ origin: "http://localhost:5173" });
  });
  it("refuses paths, other schemes, plain http and non-domains", () => {
    expect(checkOrigin("")).toEqual({ problem: "empty" });
    expect(checkOrigin("mirestaurante.cl")).toEqual({ problem: "scheme" });
    expect(checkOrigin("ftp://mirestaurante.cl")).toEqual({ problem: "scheme" });
    expect(checkOrigin("https://mirestaurante.cl/menu")).toEqual({ problem: "path" });
    expect(checkOrigin("https://mirestaurante.cl?x=1")).toEqual({ problem: "path" });
    expect(checkOrigin("https://user@mirestaurante.cl")).toEqual({ problem: "path" });
    expect(checkOrigin("http://mirestaurante.cl")).toEqual({ problem: "insecure" });
    expect(checkOrigin("https://intranet")).toEqual({ problem: "host" });
    expect(checkOrigin("https://mi restaurante.cl")).toEqual({ problem: "host" });
  });
  it("checks a list line by line, skipping blanks and flagging repeats", () => {
    const { origins, problems } = checkOrigins(["https://a.cl", "", "https://A.cl/", "a.cl", "https://b.cl"]);
    expect(origins).toEqual(["https://a.cl", "https://b.cl"]);
    expect([...problems]).toEqual([
      [2, "duplicate"],
      [3, "scheme"],
    ]);
  });
});

describe("colours and the snippet", () => {
  it("accepts only #RRGGBB", () => {
    expect(isHexColor("#ff7a45")).toBe(true);
    expect(isHexColor("#FFF")).toBe(false);
    expect(isHexColor("red")).toBe(false);
  });
  it("picks readable text on a colour", () => {
    expect(textOn("#ffffff")).toBe("#000000");
    expect(textOn("#000000")).toBe("#ffffff");
    expect(textOn("#c2410c")).toBe("#ffffff");
    expect(textOn("#f5c451")).toBe("#000000");
  });
  it("builds the embed line with the cloud's origin and a clean slug", () => {
    expect(embedSnippet("https://nube.dysa.cl/", "picada-tito")).toBe('<script src="https://nube.dysa.cl/widget.js" data-restaurant="picada-tito" async></script>');
    expect(embedSnippet("https://nube.dysa.cl", 'x"><b')).toBe('<script src="https://nube.dysa.cl/widget.js" data-restaurant="xb" async></script>');
    expect(embedSnippet("https://nube.dysa.cl", "picada-tito", 'provi"><')).toBe('<script src="https://nube.dysa.cl/widget.js" data-restaurant="picada-tito" data-location="provi" async></script>');
    expect(locationPage("https://nube.dysa.cl/", "picada-tito", "providencia")).toBe("https://nube.dysa.cl/r/picada-tito/providencia");
  });
});

describe("the cloud client", () => {
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  it("renews an expired session once and repeats the call", async () => {
    const fetcher = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(json(401, { error: { code: "token_invalid", message: "x" } }))
      .mockResolvedValueOnce(json(200, {}))
      .mockResolvedValueOnce(json(200, [{ id: "1" }]));
    const client = new CloudClient(fetcher);
    await expect(client.get("/api/v1/locations")).resolves.toEqual([{ id: "1" }]);
    expect(fetcher.mock.calls.map((c) => c[0])).toEqual(["/api/v1/locations", "/api/v1/auth/refresh", "/api/v1/locations"]);
  });
  it("never refreshes on a failed login and reports field errors", async () => {
    const fetcher = vi.fn<typeof fetch>().mockResolvedValue(json(401, { error: { code: "invalid_credentials", message: "Correo o contraseña incorrectos" } }));
    const client = new CloudClient(fetcher);
    const lost = vi.fn();
    client.onSessionLost = lost;
    await expect(client.post("/api/v1/auth/login", { body: { email: "a@b.cl", password: "x" } })).rejects.toMatchObject({ status: 401, code: "invalid_credentials" });
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(lost).not.toHaveBeenCalled();
  });
});

describe("dashboard texts", () => {
  it("fills placeholders", () => {
    expect(d("age_min", { n: 4 })).toMatch(/4/);
  });
});

describe("order detail", () => {
  const clp = (n: number) => `$${n.toLocaleString("es-CL")}`;
  it("reads modifiers as the ticket does, deltas signed, junk skipped", () => {
    const mods = [
      { group_id: "g", group_name: "Término", option_id: "o", name: "A punto", price_delta: 0 },
      { group_name: "Agregados", name: "Palta", price_delta: 900 },
      { name: "Sin pan", price_delta: -500 },
      { group_name: "Roto" },
      "texto suelto",
    ];
    expect(modifiersText(mods, clp)).toBe("Término: A punto, Agregados: Palta +$900, Sin pan −$500");
    expect(modifiersText({}, clp)).toBe("");
    expect(modifiersText(null, clp)).toBe("");
  });
  it("offers the cancel request only on open orders without one waiting", () => {
    expect(canRequestCancel({ status: "pending" })).toBe(true);
    expect(canRequestCancel({ status: "preparing", cancel_request: null })).toBe(true);
    expect(canRequestCancel({ status: "preparing", cancel_request: { outcome: null } })).toBe(false);
    expect(canRequestCancel({ status: "preparing", cancel_request: { outcome: "refused" } })).toBe(true);
    expect(canRequestCancel({ status: "completed" })).toBe(false);
    expect(canRequestCancel({ status: "cancelled" })).toBe(false);
  });
});

describe("menu editor", () => {
  const items = [
    { id: "1", category_id: "platos", name: "Cazuela de vacuno", description: "Con zapallo", position: 2 },
    { id: "2", category_id: "platos", name: "Pastel de choclo", description: null, position: 1 },
    { id: "3", category_id: "sandwich", name: "Sándwich Barros Luco", description: "Carne y queso", position: 0 },
  ];
  it("folds case and accents", () => {
    expect(fold("  SÁNDWICH ")).toBe("sandwich");
  });
  it("filters by category and every typed word, in menu order", () => {
    expect(filterItems(items, "platos", "").map((i) => i.id)).toEqual(["2", "1"]);
    expect(filterItems(items, "", "sandwich queso").map((i) => i.id)).toEqual(["3"]);
    expect(filterItems(items, "", "zapallo").map((i) => i.id)).toEqual(["1"]);
    expect(filterItems(items, "sandwich", "cazuela")).toEqual([]);
  });
});

describe("the operator's console", () => {
  it("names every lead stage in both languages, in the pipeline's order", () => {
    expect([...leadStages]).toEqual(["new", "contacted", "demo", "won", "lost"]);
    expect(leadStages.map((s) => d(`lead_${s}`))).toEqual(["Nuevo", "Contactado", "Demo", "Ganado", "Perdido"]);
  });
  it("writes a follow-up date as people in Chile do", () => {
    expect(shortDate("2026-12-14")).toBe("14-12-2026");
    expect(shortDate("no es fecha")).toBe("no es fecha");
  });
});
