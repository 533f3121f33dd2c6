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
    expect(api.url("availability", { date: "t&x=1" })).toBe("https://c/api/v1/public/a%2Fb/availability?date=t%26x%3D1");
  });
  it("sends the status token in a header, never in the URL", async () => {
    const cloud = fakeCloud({ "/api/v1/public/x1/orders/o1": { status: 200, body: { id: "o1", status: "pending" } } });
    await new PublicApi("https://c", "x1", null, cloud.fetcher).call("orders/o1", "es", { token: "dst_secret" });
    expect(cloud.seen[0]?.url).toBe("https://c/api/v1/public/x1/orders/o1");
    expect(cloud.seen[0]?.headers["X-Status-Token"]).toBe("dst_secret");
  });
  it("reads status events from a stream opened with the token in a header", async () => {
    const seen: { url: string; headers: Record<string, string> }[] = [];
    const chunks = ['event: status\ndata: {"status":"pend', 'ing"}\n\n: keep-alive\n\nevent: status\ndata: {"status":"ready"}\n\n'];
    const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push({ url: String(input), headers: (init?.headers ?? {}) as Record<string, string> });
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
          c.close();
        },
      });
      return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
    }) as typeof fetch;
    const events: string[] = [];
    await new PublicApi("https://c", "x1", null, fetcher).events("orders/o1/events", "dst_secret", (event, data) => events.push(`${event} ${data}`), new AbortController().signal);
    expect(events).toEqual(['status {"status":"pending"}', 'status {"status":"ready"}']);
    expect(seen[0]?.url).toBe("https://c/api/v1/public/x1/orders/o1/events");
    expect(seen[0]?.headers["X-Status-Token"]).toBe("dst_secret");
  });
});
