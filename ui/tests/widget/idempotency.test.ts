import { describe, expect, it } from "vitest";
import { Submissions } from "../../widget/idempotency";
import type { KeyStore } from "../../widget/idempotency";

function memory(): KeyStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}
const counter = () => {
  let n = 0;
  return () => `key-${++n}`;
};
const order = { customer: { name: "Ana", phone: "+56911111111" }, lines: [{ item_id: "x", quantity: 2 }] };

describe("Submissions", () => {
  it("reuses the key while the same body is retried", () => {
    const s = new Submissions(memory(), "order", counter());
    const first = s.keyFor(order);
    expect(s.keyFor(structuredClone(order))).toBe(first);
    expect(s.keyFor(order)).toBe(first);
  });
  it("survives a reload: a new instance over the same storage gives the same key", () => {
    const store = memory();
    const first = new Submissions(store, "order", counter()).keyFor(order);
    expect(new Submissions(store, "order", () => "other").keyFor(order)).toBe(first);
  });
  it("gives a new key for another body, and after the submission settled", () => {
    const s = new Submissions(memory(), "order", counter());
    const first = s.keyFor(order);
    const changed = s.keyFor({ ...order, lines: [{ item_id: "x", quantity: 3 }] });
    expect(changed).not.toBe(first);
    s.settled();
    expect(s.keyFor(order)).not.toBe(first);
    expect(s.keyFor(order)).not.toBe(changed);
  });
  it("keeps orders and bookings apart", () => {
    const store = memory();
    const a = new Submissions(store, "order", counter()).keyFor(order);
    const b = new Submissions(store, "booking", () => "booking-key").keyFor(order);
    expect(b).toBe("booking-key");
    expect(new Submissions(store, "order", () => "nope").keyFor(order)).toBe(a);
  });
  it("treats a damaged entry as none", () => {
    const store = memory();
    store.setItem("dysa.idem.order", "{not json");
    expect(new Submissions(store, "order", () => "fresh").keyFor(order)).toBe("fresh");
  });
  it("makes UUIDs by default", () => {
    expect(new Submissions(memory(), "order").keyFor(order)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
