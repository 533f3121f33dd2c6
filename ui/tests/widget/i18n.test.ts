import { describe, expect, it } from "vitest";
import { choiceRule, chooseLang, fmt, label, texts } from "../../widget/i18n";

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

describe("menu words", () => {
  it("reads a modifier group's rule in words, never 1–1", () => {
    expect(choiceRule(texts("es"), 1, 1)).toBe("Obligatorio, elige 1");
    expect(choiceRule(texts("es"), 0, 2)).toBe("Opcional, hasta 2");
    expect(choiceRule(texts("es"), 1, 3)).toBe("Obligatorio, elige de 1 a 3");
    expect(choiceRule(texts("en"), 1, 1)).toBe("Required, choose 1");
  });
  it("names known tags and allergens in each language and keeps the owner's own words", () => {
    expect(label("es", "gluten_free")).toBe("Sin gluten");
    expect(label("en", "vegan")).toBe("Vegan");
    expect(label("es", "MILK")).toBe("leche");
    expect(label("es", "sin_azucar")).toBe("sin azucar");
  });
  it("fills placeholders as text", () => {
    expect(fmt("Pedido N° {n}", { n: 12 })).toBe("Pedido N° 12");
    expect(fmt("{x} y {y}", { x: "<b>" })).toBe("<b> y {y}");
  });
});
