import { describe, expect, it } from "vitest";
import { chooseLang, texts } from "../../widget/i18n";

describe("chooseLang", () => {
  it("defaults to Spanish", () => {
    expect(chooseLang({})).toBe("es");
    expect(chooseLang({ browser: ["fr-FR", "de"] })).toBe("es");
  });
  it("takes the first known language, strongest source first", () => {
    expect(chooseLang({ browser: ["fr", "en-US", "es"] })).toBe("en");
    expect(chooseLang({ page: "en-GB", browser: ["es-CL"] })).toBe("en");
    expect(chooseLang({ owner: "es", page: "en", browser: ["en"] })).toBe("es");
    expect(chooseLang({ attribute: "en", owner: "es", page: "es" })).toBe("en");
    expect(chooseLang({ chosen: "es", attribute: "en" })).toBe("es");
  });
  it("lets the owner's `auto` defer to the page", () => {
    expect(chooseLang({ owner: "auto", page: "en" })).toBe("en");
  });
  it("skips unknown or empty tags instead of failing", () => {
    expect(chooseLang({ attribute: "pt-BR", page: "", browser: ["EN_us"] })).toBe("en");
  });
});

describe("texts", () => {
  it("has every Spanish text in English too, none empty", () => {
    const es = texts("es");
    const en = texts("en");
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
    for (const v of [...Object.values(es), ...Object.values(en)]) expect(v.length).toBeGreaterThan(0);
    expect(es.bookedPending).toMatch(/pendiente de confirmación del restaurante/);
    expect(es.waiting.toLowerCase()).toBe("esperando al restaurante");
  });
});
