import { describe, expect, it } from "vitest";
import { addDays, change, clp, ivaBreakdown, localDate, parseClp, time } from "../src/lib/format";

describe("money", () => {
  it("formats CLP with dots and no decimals", () => {
    expect(clp(12990)).toBe("$12.990");
    expect(clp(0)).toBe("$0");
    expect(clp(999)).toBe("$999");
    expect(clp(1234567)).toBe("$1.234.567");
    expect(clp(-1500)).toBe("-$1.500");
    expect(clp(9007199254740991)).toBe("$9.007.199.254.740.991");
  });
  it("parses what a cashier types", () => {
    expect(parseClp("12.990")).toBe(12990);
    expect(parseClp("$12990")).toBe(12990);
    expect(parseClp(" 5 000 ")).toBe(5000);
    expect(parseClp("abc")).toBeNull();
    expect(parseClp("")).toBeNull();
  });
  it("splits the IVA inside a price", () => {
    expect(ivaBreakdown(11900)).toEqual({ net: 10000, tax: 1900 });
    const { net, tax } = ivaBreakdown(16480);
    expect(net + tax).toBe(16480);
    expect(net).toBe(13849);
  });
  it("gives change, never negative", () => {
    expect(change(20000, 16480)).toBe(3520);
    expect(change(1000, 16480)).toBe(0);
  });
});

describe("time in Santiago", () => {
  it("uses the 24-hour clock and America/Santiago", () => {
    expect(time("2026-01-15T23:30:00Z")).toBe("20:30");
    expect(time("2026-07-15T23:30:00Z")).toBe("19:30");
  });
  it("knows the local date", () => {
    expect(localDate(new Date("2026-01-15T02:00:00Z"))).toBe("2026-01-14");
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
  });
});
