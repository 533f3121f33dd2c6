import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, auditActionKey, auditQuery } from "../src/lib/audit";
import { setLang, t, type Key } from "../src/lib/i18n";

describe("audit log", () => {
  it("names every action in both languages, never by its code", () => {
    for (const lang of ["es", "en"] as const) {
      setLang(lang);
      for (const code of AUDIT_ACTIONS) {
        const label = t(auditActionKey(code) as Key);
        expect(label).not.toBe(auditActionKey(code));
        expect(label).not.toContain(".");
      }
    }
    setLang("es");
    expect(t(auditActionKey("order.line_voided") as Key)).toBe("Línea anulada");
  });
  it("sends only the filters that are set, and pages only the list", () => {
    const f = { from: "2026-12-01", to: "", actor: "", action: "order.cancelled", offset: 50 };
    expect(auditQuery(f, 50)).toEqual({ from: "2026-12-01", action: "order.cancelled", limit: 50, offset: 50 });
    expect(auditQuery(f, 0)).toEqual({ from: "2026-12-01", action: "order.cancelled" });
    expect(auditQuery({ from: "", to: "", actor: "", action: "", offset: 0 }, 20)).toEqual({ limit: 20 });
  });
});
