import { describe, expect, it } from "vitest";
import { orderLabel } from "../src/lib/order-number";

// The same cases as `dysa_domain::numbering`'s tests: the panel and the tickets agree.
describe("orderLabel", () => {
  it("reads counter A as always and gives counter B its letter", () => {
    expect(orderLabel(7)).toBe("7");
    expect(orderLabel(9_999)).toBe("9999");
    expect(orderLabel(10_007)).toBe("B-7");
    expect(orderLabel(25 * 10_000 + 3)).toBe("Z-3");
    // Counter A's 10,000th order of a day, past every counter's first range.
    expect(orderLabel(260_001)).toBe("10000");
    expect(orderLabel(270_002)).toBe("B-10001");
  });

  it("shows numbers no counter makes as they are", () => {
    expect(orderLabel(0)).toBe("0");
    expect(orderLabel(10_000)).toBe("10000");
    expect(orderLabel(null)).toBe("");
  });

  it("never gives two numbers the same label", () => {
    const seen = new Map<string, number>();
    for (const n of [...Array(30_000).keys()].map((i) => i + 1).concat([260_001, 270_001, 519_999, 520_001])) {
      if (n % 10_000 === 0) continue;
      const label = orderLabel(n);
      expect(seen.get(label), `${n} and ${seen.get(label)} both read ${label}`).toBeUndefined();
      seen.set(label, n);
    }
  });
});
