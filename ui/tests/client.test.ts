import { describe, expect, it, vi } from "vitest";
import { ApiError, Client, buildUrl, toApiError } from "../src/api/client";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("API errors", () => {
  it("maps the error body with its fields", () => {
    const e = toApiError(422, { error: { code: "validation_failed", message: "Hay datos…", fields: { email: "no es un correo válido" } } });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe("validation_failed");
    expect(e.message).toBe("Hay datos…");
    expect(e.fields.email).toBe("no es un correo válido");
  });
  it("gives a generic error for other bodies and the network", () => {
    expect(toApiError(502, "<html>").code).toBe("http_502");
    expect(toApiError(0, null).code).toBe("network");
  });
  it("builds urls with path and query parameters", () => {
    expect(buildUrl("/api/v1/orders/{id}", { id: "a b" })).toBe("/api/v1/orders/a%20b");
    expect(buildUrl("/api/v1/orders", {}, { status: "ready", limit: 5, q: "", x: undefined })).toBe("/api/v1/orders?status=ready&limit=5");
  });
});

describe("session refresh", () => {
  it("refreshes once for many concurrent 401s, then retries each", async () => {
    let refreshed = 0;
    let valid = false;
    const fetcher = vi.fn(async (url: RequestInfo | URL) => {
      const u = String(url);
      if (u === "/api/v1/auth/refresh") {
        refreshed++;
        await new Promise((r) => setTimeout(r, 10));
        valid = true;
        return json(200, {});
      }
      return valid ? json(200, { ok: u }) : json(401, { error: { code: "token_invalid", message: "expired" } });
    });
    const client = new Client(fetcher as unknown as typeof fetch);
    const results = await Promise.all([
      client.get("/api/v1/auth/me"),
      client.get("/api/v1/users"),
      client.get("/api/v1/settings"),
      client.get("/api/v1/menu"),
    ]);
    expect(refreshed).toBe(1);
    expect(results).toEqual([{ ok: "/api/v1/auth/me" }, { ok: "/api/v1/users" }, { ok: "/api/v1/settings" }, { ok: "/api/v1/menu" }]);
  });
  it("never refreshes for a failed login", async () => {
    const fetcher = vi.fn(async () => json(401, { error: { code: "unauthenticated", message: "bad" } }));
    const client = new Client(fetcher as unknown as typeof fetch);
    await expect(client.post("/api/v1/auth/login", { body: { email: "a", password: "b" } })).rejects.toMatchObject({ status: 401 });
    expect(fetcher).toHaveBeenCalledTimes(1);
  });
  it("reports a lost session when the refresh fails", async () => {
    const lost = vi.fn();
    const fetcher = vi.fn(async (url: RequestInfo | URL) =>
      String(url).endsWith("/refresh") ? json(401, { error: { code: "refresh_token_invalid", message: "x" } }) : json(401, { error: { code: "token_invalid", message: "expired" } }),
    );
    const client = new Client(fetcher as unknown as typeof fetch);
    client.onSessionLost = lost;
    await expect(client.get("/api/v1/users")).rejects.toMatchObject({ status: 401 });
    expect(lost).toHaveBeenCalledOnce();
  });
  it("does not refresh for other 401 codes", async () => {
    const fetcher = vi.fn(async () => json(401, { error: { code: "session_revoked", message: "closed" } }));
    const client = new Client(fetcher as unknown as typeof fetch);
    await expect(client.get("/api/v1/users")).rejects.toMatchObject({ code: "session_revoked" });
    expect(fetcher).toHaveBeenCalledTimes(1);
  });
  it("sends the UI language and JSON bodies", async () => {
    const fetcher = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => json(201, { id: "x" }));
    const client = new Client(fetcher as unknown as typeof fetch);
    await client.post("/api/v1/menu/categories", { body: { name: "Postres" } });
    const init = fetcher.mock.calls[0]![1]!;
    expect((init.headers as Record<string, string>)["Accept-Language"]).toMatch(/^es-CL/);
    expect(init.body).toBe(JSON.stringify({ name: "Postres" }));
    expect(init.credentials).toBe("same-origin");
  });
});
