import { describe, expect, it } from "vitest";
import type { S } from "../src/api/client";
import type { Permission } from "../src/lib/session";
import { editRights, lineDiscounts, percentOf, refundable } from "../src/pages/order-edit";

const roles: Record<string, Permission[]> = {
  manager: ["orders:read", "orders:create", "orders:update", "payments:write"],
  waiter: ["orders:read", "orders:create"],
  viewer: ["orders:read"],
};
const as = (role: string) => (p: Permission) => roles[role]!.includes(p);

const pay = (id: string, amount: number, tip = 0, refund_of: string | null = null): S["Payment"] =>
  ({ id, amount, tip, refund_of, method: "cash", order_id: "o", created_at: "2026-12-06T12:00:00Z" }) as S["Payment"];

describe("order detail editing", () => {
  it("offers each change only with its route's permission, and only on an open order", () => {
    expect(editRights("confirmed", as("manager"))).toEqual({ add: true, void: true, adjust: true, refund: true });
    expect(editRights("confirmed", as("waiter"))).toEqual({ add: true, void: false, adjust: false, refund: false });
    expect(editRights("preparing", as("viewer"))).toEqual({ add: false, void: false, adjust: false, refund: false });
    // A completed order is closed to edits but its payments can still be refunded.
    expect(editRights("completed", as("manager"))).toEqual({ add: false, void: false, adjust: false, refund: true });
    expect(editRights("cancelled", as("manager"))).toEqual({ add: false, void: false, adjust: false, refund: false });
  });
  it("takes a percentage of the food total to the peso", () => {
    expect(percentOf(19980, 10)).toBe(1998);
    expect(percentOf(19985, 10)).toBe(1999);
    expect(percentOf(7990, 15)).toBe(1199);
    expect(percentOf(0, 20)).toBe(0);
  });
  it("refunds what is left of a payment, never a refund itself", () => {
    const first = pay("a", 10000, 1000);
    const partial = pay("r1", -4000, 0, "a");
    expect(refundable(first, [first])).toBe(11000);
    expect(refundable(first, [first, partial])).toBe(7000);
    expect(refundable(first, [first, partial, pay("r2", -6000, -1000, "a")])).toBe(0);
    expect(refundable(partial, [first, partial])).toBe(0);
    // Another payment's refunds do not count against this one.
    expect(refundable(pay("b", 5000), [first, partial])).toBe(5000);
  });
  it("shows a cashier void, discount and refund when a manager's PIN may approve them", () => {
    const withPin = (p: Permission) => [...roles.waiter!, "orders:update", "payments:write"].includes(p);
    expect(editRights("confirmed", withPin)).toEqual({ add: true, void: true, adjust: true, refund: true });
  });
  it("sums the live lines' own discounts (the bill's part is the rest of the order's)", () => {
    const line = (amount: number | null, voided = false) =>
      ({ id: "l", voided, line_total: 10000, discount: amount === null ? null : { amount, reason: "x" } }) as unknown as S["OrderLine"];
    const order = { discount: 4000, lines: [line(1500), line(null), line(2000, true), line(500)] } as unknown as S["Order"];
    expect(lineDiscounts(order)).toBe(2000);
  });
});
