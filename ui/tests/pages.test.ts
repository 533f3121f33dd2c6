import { describe, expect, it } from "vitest";
import { nextStatuses } from "../src/pages/order-parts";
import { moveItem } from "../src/pages/menu";
import { minutes } from "../src/pages/reservations";
import { formatIntervals, parseIntervals } from "../src/lib/hours";
import { summaryCsv } from "../src/pages/analytics";

describe("page logic", () => {
  it("offers forward order transitions and cancel", () => {
    expect(nextStatuses("pending")).toEqual(["confirmed", "completed", "cancelled"]);
    expect(nextStatuses("ready")).toEqual(["completed", "cancelled"]);
    expect(nextStatuses("completed")).toEqual([]);
    expect(nextStatuses("cancelled")).toEqual([]);
  });
  it("reorders lists", () => {
    expect(moveItem(["a", "b", "c"], 0, 2)).toEqual(["b", "c", "a"]);
    expect(moveItem(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(moveItem(["a"], 0, 5)).toEqual(["a"]);
  });
  it("reads clock times and opening hours", () => {
    expect(minutes("19:30")).toBe(1170);
    const hours = parseIntervals("12:00-16:00, 19:00 - 23:00");
    expect(hours).toEqual([{ open: "12:00", close: "16:00" }, { open: "19:00", close: "23:00" }]);
    expect(formatIntervals(hours)).toBe("12:00-16:00, 19:00-23:00");
    expect(parseIntervals("")).toEqual([]);
  });
  it("exports the summary as CSV", () => {
    const csv = summaryCsv({
      from: "2026-01-01", to: "2026-01-02", orders: 2, sales: 20000, by_day: [{ key: "2026-01-01", orders: 2, sales: 20000 }], by_hour: [], by_channel: [], payments_by_method: [],
      top_items: [{ item_id: "x", name: 'Pan "amasado"', quantity: 3, sales: 3000 }], average_ticket: 10000, cancelled_orders: 0, net: 0, tax: 0, tips: 0, time_zone: "America/Santiago",
      reservations: { cancelled: 0, covers: 0, no_show: 0, no_show_rate: 0, total: 0 },
    });
    expect(csv).toContain("total,2026-01-01..2026-01-02,2,20000");
    expect(csv).toContain('item,"Pan ""amasado""",3,3000');
  });
});
