// The kitchen display (KDS) at /cocina and /cocina/{station}: the tickets of fired courses,
// live over /events, in big type for a screen on the wall; elapsed time coloured at
// thresholds each screen sets for itself; bump a plate or a ticket, recall the last one,
// and "86" (agotar) an item, which the counter, the widget and the assistant see at once.

import { api, type S } from "../api/client";
import { subscribe } from "../api/events";
import { h, mount } from "../lib/dom";
import { t, tk } from "../lib/i18n";
import type { Params } from "../lib/router";
import { can } from "../lib/session";
import { failure, loading, toast } from "../lib/ui";
import { printError } from "./printers";
import { orderLabel } from "../lib/order-number";

type Ticket = S["KitchenTicket"];
type Station = S["Station"];

const STATIONS: Station[] = ["kitchen", "bar", "dessert"];

/** Colour thresholds, in minutes since the course was fired. */
export interface Thresholds {
  warning: number;
  late: number;
}

const THRESHOLDS_KEY = "dysa.kds.thresholds";

/** This screen's thresholds (each kitchen screen sets its own; default 10 and 20). */
export function loadThresholds(): Thresholds {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(THRESHOLDS_KEY) ?? "null") as Partial<Thresholds> | null;
    if (saved && Number.isFinite(saved.warning) && Number.isFinite(saved.late)) {
      return { warning: Number(saved.warning), late: Number(saved.late) };
    }
  } catch {
    /* defaults */
  }
  return { warning: 10, late: 20 };
}

/** How late a ticket is: red wins over yellow when the thresholds cross. */
export function urgency(elapsedSeconds: number, limits: Thresholds): "ok" | "warn" | "late" {
  const minutes = Math.floor(Math.max(0, elapsedSeconds) / 60);
  if (minutes >= limits.late) return "late";
  if (minutes >= limits.warning) return "warn";
  return "ok";
}

/** "7:05" (minutes:seconds), "1:02:03" past an hour. */
export function elapsedText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, "0");
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(s % 60)}` : `${minutes}:${pad(s % 60)}`;
}

export function renderKitchen(root: HTMLElement, params: Params): () => void {
  const station = STATIONS.includes(params.station as Station) ? (params.station as Station) : null;
  let limits = loadThresholds();
  let tickets: Ticket[] = [];
  /** Server clock minus this tablet's clock, so a tablet set wrong still times right. */
  let skew = 0;
  const board = h("div", { class: "kds-board", "aria-live": "polite" }, loading());
  const printWarning = h("div", { class: "kds-print" });

  const tabs = h("nav", { class: "kds-tabs", "aria-label": t("station") },
    h("a", { href: "/cocina", class: station === null ? "active" : "" }, t("kds_all")),
    STATIONS.map((s) => h("a", { href: `/cocina/${s}`, class: station === s ? "active" : "" }, tk(`st_${s}`))));
  const limitInput = (key: keyof Thresholds, label: string) =>
    h("label", null, label, " ", h("input", {
      type: "number", min: "1", max: "240", value: String(limits[key]), class: "compact",
      onchange: (e: Event) => {
        const value = Number((e.target as HTMLInputElement).value);
        if (!Number.isFinite(value) || value < 1) return;
        limits = { ...limits, [key]: value };
        globalThis.localStorage?.setItem(THRESHOLDS_KEY, JSON.stringify(limits));
        draw();
      },
    }));
  const recall = station
    ? h("button", { class: "btn", onclick: () => void act(() => api.post("/api/v1/kitchen/recall", { body: { station } })) }, t("kds_recall"))
    : null;
  mount(root, h("div", { class: "kds" },
    h("div", { class: "kds-head" }, tabs, limitInput("warning", t("kds_warning_min")), limitInput("late", t("kds_late_min")), recall),
    printWarning, board));

  const act = async (call: () => Promise<unknown>, done?: () => string) => {
    try {
      await call();
      if (done) toast(done);
      await refresh();
    } catch (error) {
      toast(error instanceof Error ? error.message : t("error_generic"), "error");
    }
  };

  const card = (ticket: Ticket): HTMLElement => {
    const elapsed = (Date.now() + skew - Date.parse(ticket.fired_at)) / 1000;
    const place = ticket.table_name ? t("kds_table", { name: ticket.table_name }) : t("kds_order", { n: orderLabel(ticket.order_number) });
    const course = ticket.course ? tk(`course_${ticket.course}`) : t("course_none");
    return h("article", { class: `kds-ticket ${urgency(elapsed, limits)}`, "data-ticket": ticket.id },
      h("header", null,
        h("strong", { class: "kds-place" }, place),
        h("span", { class: "kds-timer", "data-fired": ticket.fired_at }, elapsedText(elapsed))),
      h("div", { class: "kds-meta" }, `${t("kds_order", { n: orderLabel(ticket.order_number) })} · ${course}`,
        station === null ? ` · ${tk(`st_${ticket.station}`)}` : "",
        ticket.waiter_name ? ` · ${t("kds_waiter", { name: ticket.waiter_name })}` : "",
        ticket.covers ? ` · ${t("fl_covers_n", { n: ticket.covers })}` : ""),
      h("ul", { class: "kds-lines" }, ticket.lines.map((line) =>
        h("li", { class: `${line.bumped_at ? "done" : ""} ${line.voided ? "voided" : ""}` },
          h("button", {
            class: "kds-line", disabled: Boolean(line.bumped_at) || line.voided,
            onclick: () => void act(() => api.post("/api/v1/kitchen/tickets/{id}/lines/{line_id}/bump", { path: { id: ticket.id, line_id: line.line_id } })),
          },
            h("span", { class: "kds-qty" }, `${line.quantity}×`), " ", line.name,
            line.voided ? h("span", { class: "kds-voided" }, ` ${t("kds_voided")}`) : null),
          line.modifiers.map((m) => h("div", { class: "kds-detail" }, m)),
          line.seat ? h("div", { class: "kds-detail" }, t("kds_seat", { n: line.seat })) : null,
          line.note ? h("div", { class: "kds-note" }, line.note) : null,
          can("menu:write") && !line.voided
            ? h("button", {
                class: "btn ghost compact",
                onclick: () => void act(() => api.patch("/api/v1/menu/items/{id}", { path: { id: line.item_id }, body: { available: false } }), () => t("kds_86_done", { name: line.name })),
              }, t("kds_86"))
            : null))),
      ticket.order_note ? h("p", { class: "kds-note" }, ticket.order_note) : null,
      h("footer", null,
        h("button", { class: "btn ghost", onclick: () => void act(() => api.post("/api/v1/kitchen/tickets/{id}/reprint", { path: { id: ticket.id } }), () => t("print_queued")) }, t("kds_reprint")),
        h("button", { class: "btn primary kds-bump", onclick: () => void act(() => api.post("/api/v1/kitchen/tickets/{id}/bump", { path: { id: ticket.id } })) }, t("kds_ready"))));
  };

  const draw = () => {
    mount(board, tickets.length === 0 ? h("p", { class: "kds-empty" }, t("kds_empty")) : tickets.map(card));
  };

  const refreshPrints = async () => {
    try {
      const queue = await api.get("/api/v1/print-jobs");
      const waiting = queue.items.filter((j) => j.status === "queued");
      mount(printWarning, waiting.length === 0 ? null : h("p", { class: "chip warn", role: "status", title: waiting[0]?.last_error ? printError(waiting[0].last_error) : "" }, t("kds_print_waiting", { n: waiting.length })));
    } catch {
      /* the screen works without the print queue */
    }
  };

  const refresh = async () => {
    try {
      const answer = await api.get("/api/v1/kitchen/tickets", { query: station ? { station } : {} });
      skew = Date.parse(answer.server_time) - Date.now();
      tickets = answer.items;
      draw();
    } catch (error) {
      mount(board, failure(error, () => void refresh()));
    }
  };

  // Only the timers change every second; the tickets come from the events.
  const tick = setInterval(() => {
    for (const el of board.querySelectorAll<HTMLElement>(".kds-timer")) {
      const elapsed = (Date.now() + skew - Date.parse(el.dataset.fired ?? "")) / 1000;
      el.textContent = elapsedText(elapsed);
      const article = el.closest("article");
      if (article) article.className = `kds-ticket ${urgency(elapsed, limits)}`;
    }
  }, 1000);
  const unsubscribe = subscribe((type) => {
    if (type === "kitchen.updated" || type === "order.updated" || type === "resync") void refresh();
    if (type === "print.updated" || type === "kitchen.updated") void refreshPrints();
  });
  void refresh();
  void refreshPrints();
  return () => {
    clearInterval(tick);
    unsubscribe();
  };
}
