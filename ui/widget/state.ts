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

/** One line of the cart: an item with the options chosen for it (same item, other
 *  options, is another line). */
export interface CartLine {
  /** The item and its options, as one key (`id|opt1,opt2`). */
  key: string;
  itemId: string;
  name: string;
  /** Unit price with the options' deltas. */
  price: number;
  quantity: number;
  /** Option ids as the order's line sends them. */
  options: string[];
  /** Their names, shown in the cart ("A punto"). */
  optionNames: string[];
}

/** What `addToCart` takes: an item, and the options chosen for it (priced). */
export interface Pick {
  id: string;
  name: string;
  price: number;
  available: boolean;
  options?: { id: string; name: string; price_delta: number }[];
}

/** Adds one of an item with its options (a sold-out item is refused: the cart stays as it was). */
export function addToCart(cart: readonly CartLine[], item: Pick): CartLine[] {
  if (!item.available) return [...cart];
  const options = item.options ?? [];
  const ids = options.map((o) => o.id);
  const key = `${item.id}|${[...ids].sort().join(",")}`;
  const found = cart.find((l) => l.key === key);
  if (found) return cart.map((l) => (l === found ? { ...l, quantity: l.quantity + 1 } : l));
  const price = item.price + options.reduce((sum, o) => sum + o.price_delta, 0);
  return [...cart, { key, itemId: item.id, name: item.name, price, quantity: 1, options: ids, optionNames: options.map((o) => o.name) }];
}

/** Removes one of a line; the line goes when its quantity reaches zero. */
export function removeFromCart(cart: readonly CartLine[], key: string): CartLine[] {
  return cart.flatMap((l) => (l.key !== key ? [l] : l.quantity > 1 ? [{ ...l, quantity: l.quantity - 1 }] : []));
}

/** The cart's total in pesos (what the diner sees before the cloud prices it). */
export function cartTotal(cart: readonly CartLine[]): number {
  return cart.reduce((sum, l) => sum + l.price * l.quantity, 0);
}

/** A modifier group's rule, as the menu gives it. */
export interface ChoiceGroup {
  id: string;
  min_choices: number;
  max_choices: number;
}

/** The groups whose choices break their rule (too few for a required group such as
 *  "Término", or too many), so the widget asks before adding instead of the cloud
 *  refusing the order at the end. */
export function unmetGroups(groups: readonly ChoiceGroup[], chosen: ReadonlyMap<string, readonly string[]>): string[] {
  return groups.filter((g) => {
    const n = chosen.get(g.id)?.length ?? 0;
    return n < g.min_choices || n > Math.max(g.max_choices, g.min_choices);
  }).map((g) => g.id);
}

/** The minutes left for `estimate`, counted from when the restaurant accepted the order;
 *  null before it accepted (the diner is told the full estimate then) or when unknown. */
export function readyAt(acceptedAt: string | null | undefined, estimateMinutes: number | null | undefined): Date | null {
  if (!acceptedAt || !estimateMinutes) return null;
  const t = Date.parse(acceptedAt);
  return Number.isNaN(t) ? null : new Date(t + estimateMinutes * 60_000);
}

/** Words after "soy" that describe a diner rather than name them. */
const NOT_NAMES = /^(vegetarian[oa]s?|vegan[oa]s?|cel[ií]ac[oa]s?|al[eé]rgic[oa]s?|intolerante|de|del|la|el|un|una|nuevo|nueva|cliente)$/i;

/** The name and phone a diner gives in the chat ("Soy Ana Rojas, mi fono es +56 9 1234
 * 5678", "me llamo ana", "my name is Ann, 912345678"), so the order form does not ask for
 * them again. A capital letter is needed after "soy"/"I'm" ("soy vegetariano" is no name). */
export function contactIn(message: string): { name?: string; phone?: string } {
  const found: { name?: string; phone?: string } = {};
  for (const m of message.matchAll(/\+?\d[\d\s().-]{6,18}\d/g)) {
    // A Chilean number (9 digits, or 56 and 9), or any number written with its "+"; a
    // date like 06-12-2026 is none of these.
    const digits = m[0].replace(/\D/g, "");
    const chilean = digits.length === 9 || (digits.length === 11 && digits.startsWith("56"));
    if (chilean || (m[0].startsWith("+") && digits.length >= 8 && digits.length <= 15)) {
      found.phone = m[0].replace(/\s+/g, " ").trim();
      break;
    }
  }
  const letters = "A-Za-zÁÉÍÓÚÑÜáéíóúñü'";
  const word = `[${letters}]+`;
  const told = new RegExp(`(?:me llamo|mi nombre es|my name is)\\s+(${word}(?:\\s+${word}){0,2})`, "i").exec(message);
  const cap = `[A-ZÁÉÍÓÚÑ][${letters}]*`;
  const said = new RegExp(`(?:^|[\\s,.¡!])(?:[Ss]oy|I'm|I am)\\s+(${cap}(?:\\s+${cap}){0,2})`).exec(message);
  const raw = told?.[1] ?? said?.[1];
  if (raw) {
    const words = raw.split(/\s+/);
    const cut = words.findIndex((w) => /^(y|and|mi|my|con|with)$/i.test(w));
    const kept = (cut >= 0 ? words.slice(0, cut) : words).slice(0, 3);
    if (kept.length && !NOT_NAMES.test(kept[0]!)) {
      found.name = kept.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
    }
  }
  return found;
}
