import { describe, expect, it } from "vitest";
import { countTotal, DENOMINATIONS, differenceText, readCounts } from "../src/lib/drawer";
import { setLang } from "../src/lib/i18n";

describe("the blind count", () => {
  it("lists the Chilean notes and coins, largest first", () => {
    expect(DENOMINATIONS.map((d) => d.value)).toEqual([20000, 10000, 5000, 2000, 1000, 500, 100, 50, 10]);
  });

  it("adds up a count by denomination; blanks are zero", () => {
    const counts = readCounts({ bills_20000: "2", bills_1000: "3", coins_500: "1", coins_10: "4", coins_50: " " });
    expect(counts.coins_50).toBe(0);
    expect(countTotal(counts)).toBe(43540);
    expect(countTotal({})).toBe(0);
  });

  it("keeps what cannot be read visible to the server (it refuses it field by field)", () => {
    expect(readCounts({ coins_10: "-1" }).coins_10).toBe(-1);
    expect(Number.isNaN(readCounts({ coins_10: "diez" }).coins_10)).toBe(true);
  });

  it("says the difference in words, Spanish first", () => {
    setLang("es");
    expect(differenceText(0)).toBe("Cuadra");
    expect(differenceText(-500)).toBe("Faltan $500");
    expect(differenceText(1000)).toBe("Sobran $1.000");
    setLang("en");
    expect(differenceText(-500)).toBe("$500 short");
    setLang("es");
  });
});
