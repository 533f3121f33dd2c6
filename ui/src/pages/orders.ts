// The live board of orders by status, and one order's detail with its transitions.

import { api, type S } from "../api/client";
import { subscribe } from "../api/events";
import { h, mount } from "../lib/dom";
import { clp, dateTime, localDate, time } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import type { Params } from "../lib/router";
import { can, canWithApproval } from "../lib/session";
import { confirmReason, empty, failure, load, loading, pageHeader, toast } from "../lib/ui";
import { withApproval } from "../lib/approval";
import { chooseModifiers } from "./new-order";
import { addItems, discountLine, editDiscount, editRights, editTip, refundable, refundPayment, voidLine } from "./order-edit";
import { BOARD, nextStatuses, paidBadge, printTicket, statusBadge, takePayment, totals, type Order } from "./order-parts";
import { orderLabel } from "../lib/order-number";

let soundOn = globalThis.localStorage?.getItem("dysa.sound") !== "off";
let audio: AudioContext | null = null;

/** A short two-tone chime (no audio file to fetch). */
export function chime(): void {
  if (!soundOn) return;
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    [880, 1320].forEach((freq, i) => {
      const osc = audio!.createOscillator();
      const gain = audio!.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.3, now + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.18 + 0.25);
      osc.connect(gain).connect(audio!.destination);
      osc.start(now + i * 0.18);
      osc.stop(now + i * 0.18 + 0.3);
    });
  } catch {
    /* no audio device */
  }
}

export function renderOrders(root: HTMLElement): () => void {
  const board = h("div", { class: "board" }, loading());
  const soundButton = h("button", { class: "btn ghost", "aria-pressed": String(soundOn), onclick: () => {
    soundOn = !soundOn;
    localStorage.setItem("dysa.sound", soundOn ? "on" : "off");
    soundButton.textContent = soundOn ? `${t("sound_on")}` : `${t("sound_off")}`;
    soundButton.setAttribute("aria-pressed", String(soundOn));
  } }, soundOn ? `${t("sound_on")}` : `${t("sound_off")}`);
  const online = onlineSwitch();
  mount(
    root,
    pageHeader(t("nav_orders"), h("span", { class: "chip ok live" }, h("span", { class: "dot" }), t("live")), online.el, soundButton,
      can("orders:create") ? h("a", { class: "btn primary", href: "/orders/new" }, `+ ${t("nav_new_order")}`) : null),
    board,
  );
  const fresh = new Set<string>();
  const refresh = async () => {
    try {
      const today = localDate();
      const page = await api.get("/api/v1/orders", { query: { from: today, to: today, limit: 200 } });
      draw(page.items);
    } catch (error) {
      mount(board, failure(error, () => void refresh()));
    }
  };
  const draw = (orders: Order[]) => {
    const columns = [...BOARD, "completed" as const];
    mount(board, columns.map((status) => {
      const list = orders.filter((o) => o.status === status);
      return h("section", { class: `column col-${status}`, "aria-label": tk(`st_${status}`) },
        h("h2", null, tk(`st_${status}`), h("span", { class: "count" }, String(list.length))),
        list.length === 0 ? h("p", { class: "muted small" }, t("no_orders")) : list.map((o) => card(o, fresh.has(o.id), refresh)));
    }));
  };
  void refresh();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const off = subscribe((type, data) => {
    if (type === "settings.updated" || type === "resync") online.reload();
    if (!type.startsWith("order.") && type !== "resync") return;
    if (type === "order.created") {
      const id = (data as { id?: string } | null)?.id;
      if (id) fresh.add(id);
      chime();
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 150);
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
  };
}

/** The switch that pauses online orders (widget and hosted page): shown to everyone who
 * sees the board, usable with `orders:update`. The counter keeps taking orders. */
function onlineSwitch(): { el: HTMLElement; reload: () => void } {
  const button = h("button", { class: "btn", id: "online-orders", type: "button", disabled: true, "aria-pressed": "false" }, t("online_orders_on"));
  let paused = false;
  const show = (next: boolean) => {
    paused = next;
    button.textContent = paused ? t("online_orders_paused") : t("online_orders_on");
    button.className = paused ? "btn danger" : "btn";
    button.setAttribute("aria-pressed", String(paused));
    button.dataset.paused = String(paused);
    button.title = can("orders:update") ? (paused ? t("online_orders_resume") : t("online_orders_pause")) : "";
    button.disabled = !can("orders:update");
  };
  const reload = () => {
    api.get("/api/v1/online-orders").then((s) => show(s.paused)).catch(() => undefined);
  };
  button.onclick = async () => {
    button.disabled = true;
    try {
      show((await api.put("/api/v1/online-orders", { body: { paused: !paused } })).paused);
      toast(() => (paused ? t("online_orders_paused") : t("online_orders_on")));
    } catch (error) {
      toast(error instanceof Error ? error.message : t("error_generic"), "error");
      show(paused);
    }
  };
  reload();
  return { el: button, reload };
}

/** Spanish first, English when the panel is in English (texts of this page only). */
function say(es: string, en: string): string {
  return lang() === "en" ? en : es;
}

/**
 * What the order card says about an owner's request (made on the cloud) to cancel the
 * order: `null` when there is none; `pending` when staff must still accept or refuse it.
 */
export function cancelRequestNote(
  request: Order["cancel_request"],
  language: "es" | "en" = lang() === "en" ? "en" : "es",
): { pending: boolean; text: string } | null {
  if (!request) return null;
  const es = language === "es";
  const who = request.requested_by || (es ? "el dueño" : "the owner");
  if (!request.outcome) {
    return { pending: true, text: es ? `${who} pide cancelar: “${request.reason}”` : `${who} asks to cancel: “${request.reason}”` };
  }
  const by = request.resolved_by ? ` (${request.resolved_by})` : "";
  const note = request.note ? ` — ${request.note}` : "";
  const outcome = request.outcome === "accepted" ? (es ? "aceptada" : "accepted") : (es ? "rechazada" : "refused");
  return { pending: false, text: es ? `Solicitud de cancelación ${outcome}${by}${note}` : `Cancel request ${outcome}${by}${note}` };
}

/** The owner's request on a card: who asked and why, with accept and refuse for staff. */
function cancelRequestBox(order: Order, after: (order: Order) => void | Promise<void>): HTMLElement | null {
  const note = cancelRequestNote(order.cancel_request);
  if (!note) return null;
  if (!note.pending || !can("orders:update")) {
    return h("p", { class: note.pending ? "cancel-request pending" : "cancel-request muted small", role: "status" }, note.text);
  }
  const reason = order.cancel_request?.reason ?? "";
  const act = async (call: () => Promise<Order>) => {
    try {
      await after(await call());
    } catch (error) {
      toast((error as Error).message, "error");
    }
  };
  return h("div", { class: "cancel-request pending", role: "alert" },
    h("p", null, note.text),
    h("div", { class: "row" },
      h("button", { class: "btn danger", onclick: () => void act(() =>
        api.post("/api/v1/orders/{id}/status", { path: { id: order.id }, body: { status: "cancelled", reason } })) },
      say("Aceptar y cancelar", "Accept and cancel")),
      h("button", { class: "btn", onclick: () => void act(() =>
        api.post("/api/v1/orders/{id}/cancel-request/refuse", { path: { id: order.id } })) },
      say("Rechazar", "Refuse"))));
}

/** A web order's note, as the cloud writes it ("Pedido web · Retiro en local · Ana ·
 * +569…", then "Dirección: …" and "Nota: …" lines), split for the card; other notes as is. */
export function webOrderDetails(note: string | null | undefined): { who: string | null; rest: string[] } | null {
  const text = note?.trim();
  if (!text) return null;
  const [first, ...rest] = text.split("\n");
  if (!first?.startsWith("Pedido web · ")) return { who: null, rest: [text] };
  return { who: first.slice("Pedido web · ".length), rest: rest.filter((l) => l.trim()) };
}

function webOrderBox(note: string | null | undefined): HTMLElement | null {
  const details = webOrderDetails(note);
  if (!details) return null;
  return h("div", null,
    details.who ? h("p", { class: "web-who" }, details.who) : null,
    details.rest.map((line) => h("p", { class: "card-note" }, line)));
}

function card(order: Order, isNew: boolean, refresh: () => Promise<void>): HTMLElement {
  const lines = order.lines.filter((l) => !l.voided);
  const next = nextStatuses(order.status)[0];
  const asked = cancelRequestNote(order.cancel_request)?.pending ?? false;
  return h(
    "article",
    { class: `order-card${isNew ? " new" : ""}${asked ? " asked" : ""}`, dataset: { number: String(order.number) } },
    h("a", { href: `/orders/${order.id}`, class: "order-link" },
      h("div", { class: "row" }, h("strong", null, `#${orderLabel(order.number)}`), h("span", { class: "muted" }, time(order.created_at, lang())), h("span", null, tk(`ch_${order.channel}`))),
      webOrderBox(order.note),
      h("ul", { class: "lines" }, lines.slice(0, 6).map((l) => h("li", null, `${l.quantity}× ${l.name}`,
        l.modifiers.map((m) => h("div", { class: "mod" }, `+ ${m.name}`)),
        l.note ? h("div", { class: "mod" }, `“${l.note}”`) : null)), lines.length > 6 ? h("li", { class: "muted" }, "…") : null),
      h("div", { class: "row" }, h("strong", null, clp(order.total)), paidBadge(order.payment.state))),
    cancelRequestBox(order, () => refresh()),
    next && next !== "cancelled" && can("orders:update")
      ? h("button", { class: "btn block", onclick: async () => {
          try {
            await api.post("/api/v1/orders/{id}/status", { path: { id: order.id }, body: { status: next } });
            await refresh();
          } catch (error) {
            toast((error as Error).message, "error");
          }
        } }, tk(`to_${next}`))
      : null,
  );
}

export function renderOrder(root: HTMLElement, params: Params): () => void {
  const id = params.id ?? "";
  let restaurant = "";
  let payments: S["Payment"][] = [];
  let current: Order | null = null;
  const reload = async () => {
    const [order, ledger] = await Promise.all([
      api.get("/api/v1/orders/{id}", { path: { id } }),
      api.get("/api/v1/orders/{id}/payments", { path: { id } }).catch(() => payments),
    ]);
    payments = ledger;
    show(order);
  };
  const changed = (order: Order) => {
    show(order);
    // A change of the bill may come with payments (a refund): read the ledger again.
    void api.get("/api/v1/orders/{id}/payments", { path: { id } }).then((ledger) => {
      payments = ledger;
      if (current) show(current);
    }).catch(() => undefined);
  };
  const show = (order: Order) => {
    current = order;
    // A cashier sees void, discount and refund when a manager's PIN may approve them.
    const rights = editRights(order.status, canWithApproval);
    // A cashier may cancel (not move the order on) when a manager's PIN approves it.
    const moves = can("orders:update")
      ? nextStatuses(order.status)
      : canWithApproval("orders:update") ? nextStatuses(order.status).filter((s) => s === "cancelled") : [];
    const actions = moves.map((status) =>
      h("button", { class: status === "cancelled" ? "btn danger" : "btn", onclick: () => void move(order, status) }, tk(`to_${status}`)));
    const open = order.status !== "completed" && order.status !== "cancelled";
    // "Marchar": one button per course the order has; a course already sent answers 422.
    const courses = [...new Set(order.lines.filter((l) => !l.voided).map((l) => l.course ?? null))];
    const fires = can("orders:create") && open
      ? courses.map((course) => h("button", { class: "btn", "data-fire": course ?? "none", onclick: () => void fire(order, course) },
          t("fire_course", { course: course ? tk(`course_${course}`) : t("course_none") })))
      : [];
    const edits = [
      rights.add ? h("button", { class: "btn", id: "order-add", onclick: () => void addItems(order, lang() === "en", chooseModifiers, changed) }, `+ ${t("add_items")}`) : null,
      rights.adjust ? h("button", { class: "btn", id: "order-discount", onclick: () => editDiscount(order, changed) }, t("discount")) : null,
      rights.adjust ? h("button", { class: "btn", id: "order-tip", onclick: () => editTip(order, changed) }, t("tip")) : null,
    ].filter((x): x is HTMLButtonElement => x !== null);
    mount(
      root,
      pageHeader(t("order_n", { n: orderLabel(order.number) }),
        h("a", { class: "btn ghost", href: "/orders" }, `← ${t("back")}`),
        h("button", { class: "btn", onclick: () => printTicket(order, restaurant, payments) }, `${t("print")}`),
        can("orders:create") ? h("button", { class: "btn", onclick: () => void prebill(order) }, t("print_prebill")) : null,
        can("payments:write") && order.payment.balance > 0 && order.status !== "cancelled"
          ? h("button", { class: "btn primary", onclick: async () => changed((await takePayment(order)).order) }, t("take_payment")) : null),
      h("div", { class: "detail" },
        h("section", { class: "card" },
          h("div", { class: "row wrap" }, statusBadge(order.status), paidBadge(order.payment.state), h("span", null, tk(`ch_${order.channel}`)), h("span", { class: "muted" }, dateTime(order.created_at, lang()))),
          webOrderDetails(order.note)?.who ? webOrderBox(order.note) : order.note ? h("p", null, `${t("note")}: ${order.note}`) : null,
          h("div", { class: "table-scroll" }, h("table", { class: "table order-lines" },
            h("thead", null, h("tr", null, h("th", null, t("quantity")), h("th", null, t("lines")), h("th", { class: "num" }, t("total")), rights.void ? h("th", null, h("span", { class: "visually-hidden" }, t("void_line"))) : null)),
            h("tbody", null, order.lines.map((l) => h("tr", { class: l.voided ? "voided" : "", dataset: { line: l.name } },
              h("td", null, String(l.quantity)),
              h("td", null, l.name, l.course || l.seat ? h("div", { class: "mod" }, [l.course ? tk(`course_${l.course}`) : "", l.seat ? t("kds_seat", { n: l.seat }) : ""].filter(Boolean).join(" · ")) : null, l.modifiers.map((m) => h("div", { class: "mod" }, `+ ${m.name}${m.price_delta ? ` (${clp(m.price_delta)})` : ""}`)), l.note ? h("div", { class: "mod" }, `“${l.note}”`) : null,
                l.voided && l.void_reason ? h("div", { class: "mod void-reason" }, t("voided_because", { reason: l.void_reason })) : null,
                l.discount && !l.voided ? h("div", { class: "mod line-discount" }, t("line_discount_shown", { label: l.discount.percent ? ` ${l.discount.percent}%` : "", amount: clp(-l.discount.amount), reason: l.discount.reason })) : null),
              h("td", { class: "num" }, clp(l.line_total)),
              rights.void ? h("td", { class: "num line-actions" }, l.voided ? null : [
                h("button", { class: "btn ghost", "data-discount": l.name, onclick: () => discountLine(order, l, changed) }, t("line_discount")),
                h("button", { class: "btn ghost danger-text", "data-void": l.name, onclick: () => void voidLine(order, l, changed) }, t("void_line"))]) : null))))),
          edits.length ? h("div", { class: "actions order-edits" }, edits) : null,
          totals(order),
          fires.length ? h("div", { class: "actions" }, fires) : null,
          actions.length ? h("div", { class: "actions" }, actions) : null),
        h("section", { class: "card" },
          payments.length ? h("div", { class: "order-payments" }, h("h2", null, t("payments")), paymentList(order, rights.refund)) : null,
          cancelRequestBox(order, show),
          h("h2", null, t("history")),
          h("ol", { class: "timeline" }, order.transitions.map((tr) =>
            h("li", null, h("span", { class: "muted" }, time(tr.at, lang())), " ", tk(`st_${tr.to}`), tr.reason ? ` — ${tr.reason}` : ""))))),
    );
  };
  /** The ledger: each payment with what was received and the change, refunds marked; a
   * refund button on what is left to give back. */
  const paymentList = (order: Order, mayRefund: boolean) => h("ul", { class: "list payments", id: "order-payments" }, payments.map((p) => {
    const left = refundable(p, payments);
    return h("li", { class: p.refund_of ? "refund-row" : "", dataset: { method: p.method } },
      h("div", { class: "row" },
        h("span", { class: "grow" }, p.refund_of ? `${t("refund")} · ${tk(`pay_${p.method}`)}` : tk(`pay_${p.method}`), " ", h("span", { class: "muted small" }, time(p.created_at, lang()))),
        h("strong", { class: "num" }, clp(p.amount + p.tip))),
      p.received || p.change || p.tip ? h("div", { class: "mod" }, [
        p.received ? `${t("received")} ${clp(p.received)}` : "",
        p.change ? `${t("change")} ${clp(p.change)}` : "",
        p.tip && !p.refund_of ? `${t("tip")} ${clp(p.tip)}` : "",
      ].filter(Boolean).join(" · ")) : null,
      mayRefund && left > 0 ? h("button", { class: "btn ghost danger-text", "data-refund": p.method, onclick: () => refundPayment(p, left, () => void reload().catch(() => undefined)) }, t("refund_go")) : null);
  }));
  const fire = async (order: Order, course: S["Course"] | null) => {
    try {
      await api.post("/api/v1/orders/{id}/fire", { path: { id: order.id }, body: { course } });
      toast(() => t("fired_ok", { course: course ? tk(`course_${course}`) : t("course_none") }));
    } catch (error) {
      toast((error as Error).message, "error");
    }
  };
  const prebill = async (order: Order) => {
    try {
      await api.post("/api/v1/orders/{id}/print", { path: { id: order.id }, body: { paper: "prebill" } });
      toast(() => t("print_queued"));
    } catch (error) {
      toast((error as Error).message, "error");
    }
  };
  const move = async (order: Order, status: S["OrderStatus"]) => {
    let reason: string | null = null;
    if (status === "cancelled") {
      reason = await confirmReason(t("to_cancelled"), t("cancel_reason"));
      if (!reason) return;
    }
    try {
      const next = await withApproval((headers) => api.post("/api/v1/orders/{id}/status", { path: { id: order.id }, body: { status, reason }, headers }));
      if (next) show(next);
    } catch (error) {
      toast((error as Error).message, "error");
    }
  };
  void load(root, async () => {
    payments = await api.get("/api/v1/orders/{id}/payments", { path: { id } }).catch(() => []);
    return api.get("/api/v1/orders/{id}", { path: { id } });
  }, show);
  if (can("settings:read")) void api.get("/api/v1/settings").then((s) => (restaurant = s.name ?? "")).catch(() => undefined);
  const off = subscribe((type, data) => {
    if (type === "order.updated" && (data as { id?: string } | null)?.id === id) {
      void reload().catch(() => undefined);
    }
  });
  return off;
}

export { empty };
