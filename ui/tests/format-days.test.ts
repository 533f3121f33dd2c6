import { describe, expect, it } from "vitest";
import { shortDay } from "../src/lib/format";
import { choiceRule } from "../src/pages/menu";
import { setLang } from "../src/lib/i18n";

describe("days and rules in words", () => {
  it("labels a chart's day as Chile reads it, never month-day", () => {
    expect(shortDay("2026-12-06", "es")).toBe("6 dic");
    expect(shortDay("2026-09-18", "es")).toBe("18 sept");
    expect(shortDay("2026-12-06", "en")).toBe("6 Dec");
    expect(shortDay("nonsense", "es")).toBe("nonsense");
  });

  it("says a modifier group's rule in words", () => {
    setLang("es");
    expect(choiceRule(1, 1)).toBe("Obligatorio, elige 1");
    expect(choiceRule(0, 2)).toBe("Opcional, hasta 2");
    expect(choiceRule(1, 3)).toBe("Elige entre 1 y 3");
    setLang("en");
    expect(choiceRule(1, 1)).toBe("Required, pick 1");
    setLang("es");
  });
});
