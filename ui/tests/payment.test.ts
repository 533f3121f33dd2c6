import { describe, expect, it } from "vitest";
import { cashAmounts, quickBills, suggestedTip } from "../src/pages/payment";

describe("cash at the counter", () => {
  it("offers the exact amount and the bills a diner hands over, for every total", () => {
    expect(quickBills(16480)).toEqual([16480, 17000, 18000, 20000, 30000]);
    expect(quickBills(38000)).toEqual([38000, 40000, 50000, 60000]);
    expect(quickBills(2500)).toEqual([2500, 3000, 4000, 5000, 10000]);
    expect(quickBills(0)).toEqual([]);
    for (const due of [10, 990, 19980, 123450]) {
      const bills = quickBills(due);
      expect(bills[0]).toBe(due);
      expect(bills.every((b) => b >= due)).toBe(true);
      expect(bills.length).toBeLessThanOrEqual(5);
    }
  });
  it("reads a bill typed into the amount as the cash received, never as an overpayment", () => {
    expect(cashAmounts("50000", "", 19980)).toEqual({ amount: 19980, received: 50000 });
    expect(cashAmounts("50.000", "", 19980)).toEqual({ amount: 19980, received: 50000 });
  });
  it("keeps a split amount and the cash received apart", () => {
    expect(cashAmounts("10000", "20000", 16480)).toEqual({ amount: 10000, received: 20000 });
    expect(cashAmounts("19980", "", 19980)).toEqual({ amount: 19980, received: null });
  });
  it("suggests 10% of the food as a tip, to the peso, and nothing for nothing", () => {
    expect(suggestedTip(12990)).toBe(1299);
    expect(suggestedTip(16485)).toBe(1649);
    expect(suggestedTip(0)).toBe(0);
  });
});
