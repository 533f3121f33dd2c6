import { describe, expect, it } from "vitest";
import { cancelRequestNote } from "../src/pages/orders";

const asked = {
  id: "r1", reason: "El cliente llamó", requested_by: "Dueña", requested_at: "2026-11-27T20:00:00Z",
  outcome: null, resolved_by: null, resolved_at: null, note: null,
};

describe("owner's cancel request on the order board", () => {
  it("shows nothing without a request", () => {
    expect(cancelRequestNote(null, "es")).toBeNull();
    expect(cancelRequestNote(undefined, "es")).toBeNull();
  });
  it("asks staff to answer a pending request, saying who and why", () => {
    expect(cancelRequestNote(asked, "es")).toEqual({ pending: true, text: "Dueña pide cancelar: “El cliente llamó”" });
    expect(cancelRequestNote(asked, "en")?.text).toBe("Dueña asks to cancel: “El cliente llamó”");
  });
  it("tells how an answered request ended", () => {
    const refused = { ...asked, outcome: "refused" as const, resolved_by: null, note: "ya entregado" };
    expect(cancelRequestNote(refused, "es")).toEqual({ pending: false, text: "Solicitud de cancelación rechazada — ya entregado" });
    const accepted = { ...asked, outcome: "accepted" as const, resolved_by: "Ana" };
    expect(cancelRequestNote(accepted, "en")?.text).toBe("Cancel request accepted (Ana)");
  });
});

import { webOrderDetails } from "../src/pages/orders";

describe("web order details on the board's cards", () => {
  it("splits who and how from the address and the diner's note", () => {
    expect(webOrderDetails("Pedido web · Retiro en local · Ana · +56 9 1234 5678\nNota: sin cebolla")).toEqual({
      who: "Retiro en local · Ana · +56 9 1234 5678",
      rest: ["Nota: sin cebolla"],
    });
  });
  it("shows a counter's note as it is, and nothing without a note", () => {
    expect(webOrderDetails("sin cebolla")).toEqual({ who: null, rest: ["sin cebolla"] });
    expect(webOrderDetails(null)).toBeNull();
  });
});
