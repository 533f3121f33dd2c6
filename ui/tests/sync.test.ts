import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, api, type S } from "../src/api/client";
import { setLang } from "../src/lib/i18n";

// The live stream is the browser's EventSource: capture the handler the module registers.
let handler: ((type: string, data: unknown) => void) | null = null;
vi.mock("../src/api/events", () => ({
  subscribe: (fn: (type: string, data: unknown) => void) => {
    handler = fn;
    return () => {
      handler = null;
    };
  },
}));

const sync = await import("../src/lib/sync");

const status = (over: Partial<S["SyncStatus"]> = {}): S["SyncStatus"] => ({
  link: "online",
  cloud_url: "https://nube.dysa.cl",
  token_storage: "file",
  device_id: "d1",
  connected_at: "2026-01-15T12:00:00.000Z",
  revoked_reason: null,
  last_success_at: "2026-01-15T23:30:00.000Z",
  last_error: null,
  pending: 0,
  rejected: 0,
  parked: 0,
  location_closed: false,
  ...over,
});

afterEach(() => {
  setLang("es");
  sync.unwatchSync();
  vi.restoreAllMocks();
});

describe("the link state shown", () => {
  it("prefers the sync status, else reads /health's cloud check", () => {
    expect(sync.cloudState(status({ link: "revoked" }), { status: "up", link: "online" })).toBe("revoked");
    expect(sync.cloudState(null, { status: "down", link: "offline", pending: 3 })).toBe("offline");
    expect(sync.cloudState(null, { status: "not_configured" })).toBe("not_configured");
    expect(sync.cloudState(null, { status: "up" })).toBe("online");
    expect(sync.cloudState(null, { status: "down" })).toBe("offline");
    expect(sync.cloudState(null, undefined)).toBe("unknown");
  });
  it("counts the changes waiting from either source", () => {
    expect(sync.pendingCount(status({ pending: 4 }), { status: "up", pending: 9 })).toBe(4);
    expect(sync.pendingCount(null, { status: "down", pending: 9 })).toBe(9);
    expect(sync.pendingCount(null, null)).toBe(0);
  });
  it("notices when /health disagrees with the status held (a missed event)", () => {
    expect(sync.healthDisagrees(status(), { status: "up", link: "online", pending: 0 })).toBe(false);
    expect(sync.healthDisagrees(status(), { status: "down", link: "offline", pending: 0 })).toBe(true);
    expect(sync.healthDisagrees(status({ pending: 2 }), { status: "up", link: "online", pending: 5 })).toBe(true);
    expect(sync.healthDisagrees(null, { status: "down", link: "offline" })).toBe(false);
    expect(sync.healthDisagrees(status(), { status: "up" })).toBe(false);
  });
  it("shows the changes waiting only when there is a cloud to wait for", () => {
    expect(sync.showPending("offline", 3)).toBe(true);
    expect(sync.showPending("online", 1)).toBe(true);
    expect(sync.showPending("revoked", 2)).toBe(true);
    expect(sync.showPending("online", 0)).toBe(false);
    expect(sync.showPending("not_configured", 40)).toBe(false);
    expect(sync.showPending("unknown", 40)).toBe(false);
  });
  it("gives each state its chip", () => {
    expect(sync.cloudChip("online")).toEqual({ tone: "ok", key: "status_cloud_up" });
    expect(sync.cloudChip("offline")).toEqual({ tone: "bad", key: "status_cloud_down" });
    expect(sync.cloudChip("revoked")).toEqual({ tone: "bad", key: "status_cloud_revoked" });
    expect(sync.cloudChip("not_configured")).toEqual({ tone: "muted", key: "status_cloud_none" });
    expect(sync.cloudChip("unknown")).toEqual({ tone: "muted", key: "status_cloud_none" });
  });
});

describe("words", () => {
  it("counts in Spanish and English", () => {
    expect(sync.pendingText(1)).toBe("1 cambio en espera");
    expect(sync.pendingText(12)).toBe("12 cambios en espera");
    expect(sync.rejectedText(1)).toBe("1 rechazado");
    expect(sync.rejectedText(3)).toBe("3 rechazados");
    setLang("en");
    expect(sync.pendingText(1)).toBe("1 change waiting");
    expect(sync.rejectedText(2)).toBe("2 rejected");
  });
  it("names link states, token storage, entities and reasons", () => {
    expect(sync.linkText("online")).toBe("En línea");
    expect(sync.linkText("offline")).toBe("Sin conexión");
    expect(sync.linkText("revoked")).toBe("Revocado");
    expect(sync.tokenStorageText("keyring")).toBe("Llavero del sistema");
    expect(sync.tokenStorageText("file")).toBe("Archivo protegido");
    expect(sync.tokenStorageText(null)).toBe("—");
    expect(sync.entityText("order")).toBe("Pedido");
    expect(sync.entityText("payment")).toBe("Pago");
    expect(sync.entityText("reservation")).toBe("Reserva");
    expect(sync.entityText("item")).toBe("Plato");
    expect(sync.entityText("order_line")).toBe("Línea de pedido");
    expect(sync.entityText("gift_card")).toBe("gift_card");
    expect(sync.reasonText("illegal_transition")).toBe("Cambio de estado no permitido");
    expect(sync.reasonText("something_new")).toBe("something_new");
    setLang("en");
    expect(sync.entityText("order")).toBe("Order");
    expect(sync.reasonText("append_only")).toBe("Payments and status changes cannot be edited");
  });
  it("shows instants in Santiago on the 24-hour clock, or never", () => {
    expect(sync.whenText("2026-01-15T23:30:00.000Z")).toBe("15-01-2026, 20:30");
    expect(sync.whenText(null)).toBe("Nunca");
    setLang("en");
    expect(sync.whenText(undefined)).toBe("Never");
  });
});

describe("connect errors", () => {
  it("keeps the API's own messages and field errors", () => {
    const fields = new ApiError(422, "validation_failed", "Hay datos que corregir", { cloud_url: "no es una dirección válida (https://…)" });
    expect(sync.connectError(fields)).toBe(fields);
    const unreachable = new ApiError(502, "cloud_unreachable", "No se pudo contactar la nube en http://127.0.0.1:9…");
    expect(sync.connectError(unreachable)).toBe(unreachable);
    const plain = new Error("x");
    expect(sync.connectError(plain)).toBe(plain);
  });
  it("says a refused code came from the cloud", () => {
    const e = sync.connectError(new ApiError(409, "enrollment_refused", "el código ya se usó")) as ApiError;
    expect(e.message).toBe("La nube no aceptó el código: el código ya se usó");
    expect(e.status).toBe(409);
  });
  it("turns a gateway's bare 5xx into a plain could-not-reach", () => {
    const e = sync.connectError(new ApiError(504, "http_504", "Algo salió mal")) as ApiError;
    expect(e.message).toMatch(/^No se pudo contactar la nube/);
  });
});

describe("the live status", () => {
  it("reads the status out of a `sync` event and refuses anything else", () => {
    expect(sync.statusFromEvent({ type: "sync", id: "", data: status({ pending: 2 }) })?.pending).toBe(2);
    expect(sync.statusFromEvent({ type: "sync", id: "", data: { link: "sideways", pending: 0, rejected: 0 } })).toBeNull();
    expect(sync.statusFromEvent({ type: "sync", id: "", data: { link: "online" } })).toBeNull();
    expect(sync.statusFromEvent(null)).toBeNull();
    expect(sync.statusFromEvent({ data: "x" })).toBeNull();
  });

  beforeEach(() => sync.setSyncStatus(null));

  it("fetches on sign-in, follows `sync` events, refetches on `resync`, forgets on sign-out", async () => {
    const get = vi.spyOn(api, "get").mockResolvedValue(status({ link: "offline", pending: 5 }) as never);
    const seen: (S["SyncStatus"] | null)[] = [];
    const off = sync.onSyncStatus((s) => seen.push(s));
    sync.watchSync();
    await vi.waitFor(() => expect(sync.syncStatus()?.pending).toBe(5));
    expect(get).toHaveBeenCalledWith("/api/v1/sync/status");

    handler?.("sync", { type: "sync", id: "", data: status({ link: "online", rejected: 2 }) });
    expect(sync.syncStatus()).toMatchObject({ link: "online", rejected: 2, pending: 0 });

    handler?.("order.created", { type: "order.created", id: "x", data: {} });
    expect(get).toHaveBeenCalledTimes(1);
    handler?.("resync", { missed: 3 });
    expect(get).toHaveBeenCalledTimes(2);
    await vi.waitFor(() => expect(sync.syncStatus()?.link).toBe("offline"));

    sync.unwatchSync();
    expect(sync.syncStatus()).toBeNull();
    expect(handler).toBeNull();
    off();
    expect(seen.map((s) => s?.link ?? null)).toEqual(["offline", "online", "offline", null]);
  });

  it("never lets a fetched answer overtaken by a live event replace it", async () => {
    let answer = status({ link: "offline", last_error: null });
    let release: () => void = () => {};
    const get = vi.spyOn(api, "get").mockImplementation((() =>
      new Promise((resolve) => {
        const reply = answer;
        release = () => resolve(reply);
      })) as never);
    sync.watchSync();
    // The first fetch is in flight when the event with the newer error lands.
    handler?.("sync", { type: "sync", id: "", data: status({ link: "offline", last_error: "503" }) });
    answer = status({ link: "offline", last_error: "503" });
    release();
    await vi.waitFor(() => expect(get).toHaveBeenCalledTimes(2));
    expect(sync.syncStatus()?.last_error).toBe("503");
    release();
    await vi.waitFor(() => expect(sync.syncStatus()?.last_error).toBe("503"));

    // A request's answer (connect) marked before an event arrived is not taken either.
    const mark = sync.liveMark();
    handler?.("sync", { type: "sync", id: "", data: status({ link: "online", pending: 0 }) });
    sync.setFetchedStatus(status({ link: "offline" }), mark);
    expect(sync.syncStatus()?.link).toBe("online");
    expect(get).toHaveBeenCalledTimes(3);
    // Without an event in between it is.
    sync.setFetchedStatus(status({ link: "revoked" }), sync.liveMark());
    expect(sync.syncStatus()?.link).toBe("revoked");
  });
});
