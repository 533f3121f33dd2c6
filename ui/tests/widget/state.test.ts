import { describe, expect, it } from "vitest";
import { addToCart, cartTotal, contactIn, isFinal, nextView, orderStage, readyAt, removeFromCart, unmetGroups } from "../../widget/state";
import type { View, ViewEvent, ViewFacts } from "../../widget/state";

const facts: ViewFacts = { cartItems: 0, hasOrder: false, bookings: true };

describe("nextView", () => {
  const closed: View = { open: false, panel: "chat" };
  it("toggles and closes, keeping the panel", () => {
    const open = nextView(closed, { type: "toggle" }, facts);
    expect(open).toEqual({ open: true, panel: "chat" });
    expect(nextView({ open: true, panel: "menu" }, { type: "close" }, facts)).toEqual({ open: false, panel: "menu" });
  });
  it("goes to checkout only from a cart with items", () => {
    const cart: View = { open: true, panel: "cart" };
    expect(nextView(cart, { type: "checkout" }, facts)).toBe(cart);
    expect(nextView(cart, { type: "checkout" }, { ...facts, cartItems: 2 })).toEqual({ open: true, panel: "checkout" });
    expect(nextView({ open: true, panel: "menu" }, { type: "checkout" }, { ...facts, cartItems: 2 }).panel).toBe("menu");
  });
  it("goes back checkout → cart → menu", () => {
    const a = nextView({ open: true, panel: "checkout" }, { type: "back" }, facts);
    expect(a.panel).toBe("cart");
    expect(nextView(a, { type: "back" }, facts).panel).toBe("menu");
  });
  it("shows the status tab only with an order, booking only when enabled", () => {
    const v: View = { open: true, panel: "chat" };
    expect(nextView(v, { type: "tab", panel: "status" }, facts)).toBe(v);
    expect(nextView(v, { type: "tab", panel: "status" }, { ...facts, hasOrder: true }).panel).toBe("status");
    expect(nextView(v, { type: "tab", panel: "book" }, { ...facts, bookings: false })).toBe(v);
  });
  it("opens on the status panel once an order is placed", () => {
    expect(nextView(closed, { type: "ordered" }, facts)).toEqual({ open: true, panel: "status" });
  });
  it("never reaches checkout with an empty cart, whatever the events", () => {
    const events: ViewEvent[] = [{ type: "toggle" }, { type: "cart" }, { type: "checkout" }, { type: "back" }, { type: "tab", panel: "menu" }, { type: "close" }];
    let v: View = closed;
    for (let i = 0; i < 500; i++) {
      v = nextView(v, events[(i * 7 + (i >> 2)) % events.length]!, facts);
      expect(v.panel).not.toBe("checkout");
    }
  });
});

describe("orderStage", () => {
  it("maps the order's states to what the diner is told", () => {
    expect(orderStage("pending", false)).toBe("submitted");
    expect(orderStage("pending", true)).toBe("waiting");
    expect(orderStage("confirmed", true)).toBe("accepted");
    expect(orderStage("preparing", false)).toBe("accepted");
    expect(orderStage("ready", false)).toBe("ready");
    expect(orderStage("completed", false)).toBe("done");
    expect(orderStage("cancelled", false)).toBe("rejected");
  });
  it("stops following only at the end", () => {
    expect(isFinal("rejected")).toBe(true);
    expect(isFinal("done")).toBe(true);
    expect(isFinal("ready")).toBe(false);
    expect(isFinal("waiting")).toBe(false);
  });
});

describe("cart", () => {
  const completo = { id: "c", name: "Completo", price: 3990, available: true };
  const agotado = { id: "s", name: "Sopaipilla", price: 500, available: false };
  it("adds, counts and totals", () => {
    let cart = addToCart([], completo);
    cart = addToCart(cart, completo);
    expect(cart).toEqual([{ key: "c|", itemId: "c", name: "Completo", price: 3990, quantity: 2, options: [], optionNames: [] }]);
    expect(cartTotal(cart)).toBe(7980);
  });
  it("refuses sold-out items", () => {
    expect(addToCart([], agotado)).toEqual([]);
  });
  it("removes one at a time, then the line", () => {
    let cart = addToCart(addToCart([], completo), completo);
    cart = removeFromCart(cart, "c|");
    expect(cart[0]?.quantity).toBe(1);
    expect(removeFromCart(cart, "c|")).toEqual([]);
  });
  it("keeps the same dish with other options on its own line, priced with their deltas", () => {
    const churrasco = { id: "ch", name: "Churrasco", price: 6990, available: true };
    const aPunto = { id: "p", name: "A punto", price_delta: 0 };
    const palta = { id: "pa", name: "Palta", price_delta: 800 };
    let cart = addToCart([], { ...churrasco, options: [aPunto, palta] });
    cart = addToCart(cart, { ...churrasco, options: [palta, aPunto] });
    cart = addToCart(cart, { ...churrasco, options: [aPunto] });
    expect(cart.map((l) => [l.quantity, l.price, l.optionNames.join("+")])).toEqual([
      [2, 7790, "A punto+Palta"],
      [1, 6990, "A punto"],
    ]);
    expect(cartTotal(cart)).toBe(2 * 7790 + 6990);
    expect(removeFromCart(cart, cart[1]!.key).map((l) => l.quantity)).toEqual([2]);
  });
});

describe("required modifier groups", () => {
  const termino = { id: "t", min_choices: 1, max_choices: 1 };
  const extras = { id: "x", min_choices: 0, max_choices: 2 };
  it("asks for a required group until one option is chosen", () => {
    expect(unmetGroups([termino, extras], new Map())).toEqual(["t"]);
    expect(unmetGroups([termino, extras], new Map([["t", ["p"]]]))).toEqual([]);
  });
  it("refuses more options than a group allows", () => {
    expect(unmetGroups([termino, extras], new Map([["t", ["p"]], ["x", ["a", "b", "c"]]]))).toEqual(["x"]);
  });
});

describe("time estimate", () => {
  it("counts from the acceptance", () => {
    expect(readyAt("2026-12-06T23:00:00Z", 25)?.toISOString()).toBe("2026-12-06T23:25:00.000Z");
  });
  it("is unknown without an acceptance or an estimate", () => {
    expect(readyAt(null, 25)).toBeNull();
    expect(readyAt("2026-12-06T23:00:00Z", null)).toBeNull();
    expect(readyAt("no es fecha", 10)).toBeNull();
  });
});

describe("contactIn", () => {
  it("keeps the name and phone a diner gives in the chat", () => {
    expect(contactIn("Soy Ana Rojas, mi fono es +56 9 1234 5678")).toEqual({ name: "Ana Rojas", phone: "+56 9 1234 5678" });
    expect(contactIn("hola, me llamo ana y mi número es 912345678")).toEqual({ name: "Ana", phone: "912345678" });
    expect(contactIn("My name is ann smith, call me at +44 20 7946 0958")).toEqual({ name: "Ann Smith", phone: "+44 20 7946 0958" });
    expect(contactIn("I'm Ann")).toEqual({ name: "Ann" });
  });
  it("takes no description for a name and no date or price for a phone", () => {
    expect(contactIn("soy vegetariano")).toEqual({});
    expect(contactIn("Soy Vegetariano, ¿qué me recomiendan?")).toEqual({});
    expect(contactIn("una mesa para 4 el 06-12-2026 a las 20:00")).toEqual({});
    expect(contactIn("quiero 2 completos de $12.990")).toEqual({});
  });
});
