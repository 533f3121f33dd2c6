// The cloud's public, per-restaurant API as the widget uses it (docs: the contract
// "public API for the widget"). Hand-written types only, so the widget stays tiny; the
// small fetch wrapper at the end is all the runtime there is.

/** The two languages the widget speaks. */
export type Lang = "es" | "en";

/** A text the owner wrote in both languages. */
export interface Localized {
  es: string;
  en: string;
}

/** `GET widget`: how the restaurant wants its widget to look and behave. */
export interface WidgetConfig {
  restaurant: { slug: string; name: string };
  location: {
    id: string;
    name: string;
    time_zone: string;
    /** Set by the owner at the counter; absent until then. */
    address?: string | null;
    phone?: string | null;
    /** Weekly hours, local time: `{ monday: [{ open: "12:00", close: "23:00" }], … }`. */
    opening_hours?: Record<string, { open: string; close: string }[]> | null;
  };
  appearance: {
    primary_color: string;
    accent_color: string;
    logo_url: string | null;
    greeting: Localized;
    position: "right" | "left";
    language: "auto" | Lang;
  };
  ordering: { online_orders: boolean; offline_policy: "wait" | "refuse"; prep_minutes?: number; payment?: PaymentOptions };
  bookings: { enabled: boolean; max_party_size: number };
  restaurant_online: boolean;
  /** How the restaurant can tell the diner about an order (absent on an older cloud). */
  messages?: { channels: NotifyChannel[] };
}

/** How the diner wants to hear about the order. */
export type NotifyChannel = "whatsapp" | "sms" | "email" | "none";

/** An option of a modifier group ("A punto"), priced as a delta. */
export interface MenuOption {
  id: string;
  name: Localized;
  price_delta: number;
  available: boolean;
}

/** A modifier group ("Término": choose 1); `min_choices` ≥ 1 means the diner must choose. */
export interface MenuGroup {
  id: string;
  name: Localized;
  min_choices: number;
  max_choices: number;
  options: MenuOption[];
}

/** One dish of the synced menu; `available: false` means sold out. */
export interface MenuItem {
  id: string;
  name: Localized;
  description: Localized | null;
  price: number;
  available: boolean;
  modifier_groups?: MenuGroup[];
  /** The owner's tags (`vegan`, `gluten_free`…). */
  tags?: string[];
  /** Allergens it contains (`milk`, `gluten`…). */
  allergens?: string[];
  prep_minutes?: number | null;
  /** Its photo (`media/{hash}.jpg`, `-thumb.jpg` at 200 px), when it has one. */
  photo?: { hash: string; width: number; height: number } | null;
}

/** A menu section. */
export interface MenuCategory {
  id: string;
  name: Localized;
  items: MenuItem[];
}

/** `GET menu`. */
export interface Menu {
  currency: "CLP";
  categories: MenuCategory[];
  version: number;
}

/** One line the diner asks for. */
export interface OrderLineInput {
  item_id: string;
  quantity: number;
  options?: string[];
  note?: string;
}

/** How the diner gets the food. */
export type Fulfilment = "pickup" | "delivery" | "dine_in";

/** How the owner lets diners pay (online only while Mercado Pago is linked). */
export type PaymentOptions = "at_pickup" | "online" | "both";

/** How the diner pays this order. */
export type PaymentChoice = "at_pickup" | "online";

/** `POST orders` body. */
export interface NewOrder {
  customer: { name: string; phone: string; email?: string };
  fulfilment: Fulfilment;
  address?: string;
  lines: OrderLineInput[];
  note?: string;
  language?: Lang;
  payment?: PaymentChoice;
  /** Where Mercado Pago sends the diner back (a page of an allowed origin). */
  return_url?: string;
  /** The channel chosen for the order's messages. */
  notify_by?: NotifyChannel;
  /** The consent box (Ley 19.628): nothing is sent without `true`. */
  messages_consent?: boolean;
}

/** A priced line as the cloud computed it. */
export interface PricedLine {
  item_id: string;
  name: string;
  quantity: number;
  unit_price: number;
  line_total: number;
}

/** The order states of `dysa_domain::order::OrderStatus`. */
export type OrderStatus = "pending" | "confirmed" | "preparing" | "ready" | "completed" | "cancelled";

/** `POST orders` → 201. */
export interface OrderCreated {
  id: string;
  status: OrderStatus;
  total: number;
  lines: PricedLine[];
  waiting_for_restaurant: boolean;
  status_token: string;
  /** The day's order number ("pedido 12"). */
  number?: number | null;
  /** Minutes until ready once accepted. */
  estimated_minutes?: number | null;
  /** Mercado Pago's checkout page, for an order paid online. */
  checkout_url?: string;
}

/** `GET orders/{id}` and each SSE `status` event. */
export interface OrderStatusBody {
  id: string;
  status: OrderStatus;
  total: number;
  updated_at: string;
  reason: string | null;
  waiting_for_restaurant?: boolean;
  /** The day's order number as the counter has it now. */
  number?: number | null;
  /** An order paid online: awaiting, paid or refunded. */
  payment?: "awaiting" | "paid" | "refunded" | null;
}

/** A line of the chat's draft order. */
export interface DraftLine extends PricedLine {
  options: string[];
}

/** The order the assistant has understood so far. */
export interface Draft {
  lines: DraftLine[];
  total: number;
}

/** `POST chat` body. */
export interface ChatRequest {
  conversation_id?: string;
  message: string;
  language?: Lang;
}

/** `POST chat` → 200. */
export interface ChatReply {
  conversation_id: string;
  reply: string;
  /** `staff`: taken over at the counter; `reply` is empty and staff's words arrive
   *  through `GET chat/{conversation_id}/messages`. */
  answered_by: "restaurant" | "cloud" | "staff";
  draft: Draft | null;
  ready_to_order: boolean;
}

/** `GET chat/{conversation_id}/messages` → 200: staff's replies, oldest first. */
export interface StaffMessages {
  messages: { id: string; text: string; sent_at: string }[];
}

/** `GET availability`. */
export interface Availability {
  date: string;
  party_size: number;
  slots: { starts_at: string; available: boolean }[];
}

/** `POST reservations` body. */
export interface NewReservation {
  name: string;
  phone: string;
  email?: string;
  party_size: number;
  starts_at: string;
  note?: string;
}

/** `POST reservations` → 201; `pending` waits for the restaurant to confirm. */
export interface Reservation {
  id: string;
  status: "confirmed" | "pending";
  starts_at: string;
  party_size: number;
  table: string | null;
}

/** Every error answer of the cloud. */
export interface ApiErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

/** A failed call: the server's code and message (shown as text), or `network`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Calls `/api/v1/public/{slug}/…` on the cloud that served the script. */
export class PublicApi {
  readonly base: string;
  constructor(
    origin: string,
    slug: string,
    private readonly location: string | null,
    private readonly fetcher: typeof fetch = (...a) => fetch(...a),
  ) {
    this.base = `${origin}/api/v1/public/${encodeURIComponent(slug)}/`;
  }

  /** A menu photo's 200 px copy: named by its hash, so the browser caches it for good. */
  thumb(hash: string): string {
    return new URL(`media/${hash}-thumb.jpg`, this.base).toString();
  }

  /** The full URL of `path` with the location (when given) and `query` added. */
  url(path: string, query: Record<string, string> = {}): string {
    const u = new URL(path, this.base);
    if (this.location) u.searchParams.set("location", this.location);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u.toString();
  }

  async call<T>(
    path: string,
    lang: Lang,
    init: { body?: unknown; key?: string; query?: Record<string, string>; token?: string } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { "Accept-Language": lang };
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    if (init.key) headers["Idempotency-Key"] = init.key;
    // An order's status token goes in a header, never the URL (logs, history, Referer).
    if (init.token) headers["X-Status-Token"] = init.token;
    let res: Response;
    try {
      res = await this.fetcher(this.url(path, init.query), {
        method: init.body === undefined ? "GET" : "POST",
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch {
      throw new ApiError(0, "network", "");
    }
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const e = (json as ApiErrorBody | null)?.error;
      throw new ApiError(res.status, e?.code ?? "http_" + res.status, e?.message ?? "", e?.fields ?? {});
    }
    return json as T;
  }

  /** Reads the Server-Sent Events of `path` with the status token in a header (which
   *  EventSource cannot send), calling `on` with each event's name and data. Resolves when
   *  the server ends the stream; rejects when it cannot be opened or read. */
  async events(path: string, token: string, on: (event: string, data: string) => void, signal: AbortSignal): Promise<void> {
    const res = await this.fetcher(this.url(path), { headers: { Accept: "text/event-stream", "X-Status-Token": token }, signal });
    if (!res.ok || !res.body) throw new ApiError(res.status, "http_" + res.status, "");
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        let event = "message";
        const data: string[] = [];
        for (const line of buffer.slice(0, end).split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        buffer = buffer.slice(end + 2);
        if (data.length) on(event, data.join("\n"));
      }
    }
  }
}
