// The widget's screens and the order's progress as pure functions, so the rules can be
// tested without a browser.
import type { OrderStatus } from "./api";

/** The panels of the widget. `cart` and `checkout` belong to ordering from the menu. */
export type Panel = "chat" | "menu" | "cart" | "checkout" | "book" | "status";

/** Whether the widget is open and which panel it shows. */
export interface View {
  open: boolean;
  panel: Panel;
}

/** What the diner (or an answer) did. */
export type ViewEvent =
  | { type: "toggle" }
  | { type: "close" }
  | { type: "tab"; panel: "chat" | "menu" | "book" | "status" }
  | { type: "cart" }
  | { type: "checkout" }
  | { type: "back" }
  | { type: "ordered" };

/** Facts the transitions depend on. */
export interface ViewFacts {
  cartItems: number;
  hasOrder: boolean;
  bookings: boolean;
}

/** The next view; an event that does not apply leaves the view as it is. */
export function nextView(v: View, e: ViewEvent, f: ViewFacts): View {
  switch (e.type) {
    case "toggle":
      return { ...v, open: !v.open };
    case "close":
      return { ...v, open: false };
    case "tab":
      if (e.panel === "status" && !f.hasOrder) return v;
      if (e.panel === "book" && !f.bookings) return v;
      return { open: true, panel: e.panel };
    case "cart":
      return { open: true, panel: "cart" };
    case "checkout":
      return v.panel === "cart" && f.cartItems > 0 ? { ...v, panel: "checkout" } : v;
    case "back":
      if (v.panel === "checkout") return { ...v, panel: "cart" };
      if (v.panel === "cart") return { ...v, panel: "menu" };
      return v;
    case "ordered":
      return { open: true, panel: "status" };
  }
}

/** What the diner is told about an order. */
export type Stage = "submitted" | "waiting" | "accepted" | "rejected" | "ready" | "done";

/** The stage of an order: a pending order the restaurant cannot see yet is `waiting`. */
export function orderStage(status: OrderStatus, waitingForRestaurant: boolean): Stage {
  switch (status) {
    case "pending":
      return waitingForRestaurant ? "waiting" : "submitted";
    case "confirmed":
    case "preparing":
      return "accepted";
    case "ready":
      return "ready";
    case "completed":
      return "done";
    case "cancelled":
      return "rejected";
  }
}

/** Stages after which the status no longer changes (the live stream can close). */
export function isFinal(stage: Stage): boolean {
  return stage === "done" || stage === "rejected";
}

/** One line of the cart. */
export interface CartLine {
  itemId: string;
  name: string;
  price: number;
  quantity: number;
}

/** Adds one of an item (a sold-out item is refused: the cart stays as it was). */
export function addToCart(cart: readonly CartLine[], item: { id: string; name: string; price: number; available: boolean }): CartLine[] {
  if (!item.available) return [...cart];
  const found = cart.find((l) => l.itemId === item.id);
  if (found) return cart.map((l) => (l === found ? { ...l, quantity: l.quantity + 1 } : l));
  return [...cart, { itemId: item.id, name: item.name, price: item.price, quantity: 1 }];
}

/** Removes one of an item; the line goes when its quantity reaches zero. */
export function removeFromCart(cart: readonly CartLine[], itemId: string): CartLine[] {
  return cart.flatMap((l) => (l.itemId !== itemId ? [l] : l.quantity > 1 ? [{ ...l, quantity: l.quantity - 1 }] : []));
}

/** The cart's total in pesos (what the diner sees before the cloud prices it). */
export function cartTotal(cart: readonly CartLine[]): number {
  return cart.reduce((sum, l) => sum + l.price * l.quantity, 0);
}
