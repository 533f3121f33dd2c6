import { describe, expect, it } from "vitest";
import { match } from "../src/lib/router";

const routes = [
  { pattern: "/", value: "home" },
  { pattern: "/orders", value: "orders" },
  { pattern: "/orders/new", value: "new" },
  { pattern: "/orders/:id", value: "order" },
];

describe("router", () => {
  it("matches static routes first in order", () => {
    expect(match(routes, "/")?.value).toBe("home");
    expect(match(routes, "/orders/new")?.value).toBe("new");
    expect(match(routes, "/orders?x=1")?.value).toBe("orders");
  });
  it("extracts and decodes parameters", () => {
    expect(match(routes, "/orders/0190%20a")).toEqual({ value: "order", params: { id: "0190 a" } });
  });
  it("returns null for unknown paths", () => {
    expect(match(routes, "/nope")).toBeNull();
    expect(match(routes, "/orders/1/2")).toBeNull();
  });
});
