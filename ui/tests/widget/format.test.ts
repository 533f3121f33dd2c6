import { describe, expect, it } from "vitest";
import { clock, clp, draftLines, hoursToday, telLink, today } from "../../widget/format";

describe("clp", () => {
  it("groups thousands with dots, no decimals", () => {
    expect(clp(0)).toBe("$0");
    expect(clp(990)).toBe("$990");
    expect(clp(1000)).toBe("$1.000");
    expect(clp(12990)).toBe("$12.990");
    expect(clp(1234567)).toBe("$1.234.567");
    expect(clp(-5000)).toBe("-$5.000");
  });
  it("round-trips: removing the dots gives the number back", () => {
    for (let n = 0; n < 5_000_000; n += 7919) expect(Number(clp(n).slice(1).replaceAll(".", ""))).toBe(n);
  });
});

describe("times in the restaurant's zone", () => {
  it("shows a slot in Santiago's local time", () => {
    expect(clock("2026-11-28T23:30:00Z", "America/Santiago")).toBe("20:30");
  });
  it("gives today's date where the restaurant is, not UTC's", () => {
    expect(today("America/Santiago", new Date("2026-11-29T01:00:00Z"))).toBe("2026-11-28");
  });
});

describe("draftLines", () => {
  it("renders the draft as plain text, markup kept as typed", () => {
    const lines = draftLines(
      {
        lines: [
          { item_id: "a", name: "Completo italiano", quantity: 2, unit_price: 3990, line_total: 7980, options: [] },
          { item_id: "b", name: "<img src=x onerror=alert(1)>", quantity: 1, unit_price: 1500, line_total: 1500, options: [] },
        ],
        total: 9480,
      },
      "Total",
    );
    expect(lines).toEqual(["2 × Completo italiano — $7.980", "1 × <img src=x onerror=alert(1)> — $1.500", "Total: $9.480"]);
  });
});

describe("the restaurant's details", () => {
  const hours = { saturday: [{ open: "12:00", close: "16:00" }, { open: "19:00", close: "23:30" }], sunday: [] };
  it("reads today's hours in the restaurant's time zone", () => {
    // 02:00 UTC on Sunday the 6th is still Saturday the 5th in Santiago.
    expect(hoursToday(hours, "America/Santiago", new Date("2026-12-06T02:00:00Z"))).toBe("12:00–16:00, 19:00–23:30");
    expect(hoursToday(hours, "America/Santiago", new Date("2026-12-06T15:00:00Z"))).toBe("");
    expect(hoursToday(null, "America/Santiago")).toBeNull();
  });
  it("dials the phone as digits", () => {
    expect(telLink("+56 9 8765-4321")).toBe("tel:+56987654321");
  });
});
