import { describe, expect, it } from "vitest";
import { acceptLanguage, lang, setLang, t, tk } from "../src/lib/i18n";

describe("i18n", () => {
  it("starts in Spanish and switches to English", () => {
    expect(lang()).toBe("es");
    expect(t("nav_orders")).toBe("Pedidos");
    expect(acceptLanguage()).toMatch(/^es-CL/);
    setLang("en");
    expect(t("nav_orders")).toBe("Orders");
    expect(acceptLanguage()).toBe("en");
    setLang("es");
  });
  it("fills variables and looks up dynamic keys", () => {
    expect(t("order_n", { n: 42 })).toBe("Pedido #42");
    expect(tk("st_preparing")).toBe("En preparación");
    expect(tk("st_unknown")).toBe("unknown");
  });
});
