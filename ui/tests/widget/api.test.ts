import { describe, expect, it } from "vitest";
import { ApiError, PublicApi } from "../../widget/api";

/** A fake of the cloud's public API: records requests, answers from a table. */
function fakeCloud(answers: Record<string, { status: number; body: unknown }>) {
  const seen: { url: string; method: string; headers: Record<string, string>; body: unknown }[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    seen.push({ url, method: init?.method ?? "GET", headers: (init?.headers ?? {}) as Record<string, string>, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const path = new URL(url).pathname;
    const a = answers[path];
    if (!a) throw new TypeError("network down");
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
  return { seen, fetcher };
}

describe("PublicApi", () => {
  it("calls the restaurant's public paths with its location and language", async () => {
    const cloud = fakeCloud({ "/api/v1/public/donde-pepe/menu": { status: 200, body: { currency: "CLP", categories: [], version: 3 } } });
    const api = new PublicApi("https://cloud.example", "donde-pepe", "0190-loc", cloud.fetcher);
    const menu = await api.call<{ version: number }>("menu", "en");
    expect(menu.version).toBe(3);
    expect(cloud.seen[0]?.url).toBe("https://cloud.example/api/v1/public/donde-pepe/menu?location=0190-loc");
    expect(cloud.seen[0]?.headers["Accept-Language"]).toBe("en");
  });
  it("posts JSON with the Idempotency-Key", async () => {
    const cloud = fakeCloud({ "/api/v1/public/x1/orders": { status: 201, body: { id: "o1" } } });
    const api = new PublicApi("https://c", "x1", null, cloud.fetcher);
    await api.call("orders", "es", { body: { lines: [] }, key: "k-1" });
    expect(cloud.seen[0]).toMatchObject({ method: "POST", body: { lines: [] }, headers: { "Idempotency-Key": "k-1", "Content-Type": "application/json" } });
    expect(cloud.seen[0]?.url).toBe("https://c/api/v1/public/x1/orders");
  });
  it("turns error bodies into ApiError with code, message and fields", async () => {
    const cloud = fakeCloud({
      "/api/v1/public/x1/orders": { status: 422, body: { error: { code: "validation_failed", message: "Revisa los campos", fields: { "lines[0].item_id": "agotado" } } } },
    });
    const err = await new PublicApi("https://c", "x1", null, cloud.fetcher).call("orders", "es", { body: {}, key: "k" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: "validation_failed", message: "Revisa los campos", fields: { "lines[0].item_id": "agotado" } });
  });
  it("reports a lost connection as `network`", async () => {
    const err = await new PublicApi("https://c", "x1", null, fakeCloud({}).fetcher).call("widget", "es").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, code: "network" });
  });
  it("escapes the slug and query values", () => {
    const api = new PublicApi("https://c", "a/b", null, fakeCloud({}).fetcher);
    expect(api.url("orders/1/events", { token: "t&x=1" })).toBe("https://c/api/v1/public/a%2Fb/orders/1/events?token=t%26x%3D1");
  });
});
