// The X or Z report on screen, section by section as the printed one: the panel's Cierre
// page and the owners' dashboard ("Cierres") show the same figures the same way. The
// appliance's and the cloud's specs both describe `DayReport` from one Rust type, so the
// panel's type serves both.

import type { S } from "../api/client";
import { h } from "./dom";
import { differenceText } from "./drawer";
import { clp, time, weekdayDay } from "./format";
import { lang, t, tk } from "./i18n";
import { orderLabel } from "./order-number";
import { empty } from "./ui";

type Report = S["DayReport"];

/** A figure the e2e reads back: `data-fig` names it. */
export function fig(name: string, label: string, value: string): HTMLElement[] {
  return [h("dt", null, label), h("dd", { dataset: { fig: name } }, value)];
}

function kpi(name: string, label: string, value: string): HTMLElement {
  return h("div", { class: "kpi card" }, h("span", { class: "label" }, label), h("strong", { class: "value", dataset: { fig: name } }, value));
}

function table(id: string, head: (string | [string, "num"])[], rows: HTMLElement[], none: string): HTMLElement {
  if (rows.length === 0) return empty(none);
  return h("div", { class: "table-scroll" }, h("table", { class: "table", id },
    h("thead", null, h("tr", null, head.map((c) => (Array.isArray(c) ? h("th", { class: "num" }, c[0]) : h("th", null, c))))),
    h("tbody", null, rows)));
}

/** The X or Z figures, as the printed report has them. */
export function reportView(r: Report): HTMLElement {
  // Each counter numbers in its own range (A: 1, 2…; B: B-1, B-2…): one span per counter.
  const ranges = r.number_ranges ?? [];
  const numbers = ranges.length === 0
    ? "—"
    : ranges.map((x) => t("closing_numbers_range", { first: orderLabel(x.first), last: orderLabel(x.last) })).join(" · ");
  const kpis = h("div", { class: "kpis" },
    kpi("sales", t("closing_sales"), clp(r.sales)),
    kpi("orders", t("closing_orders"), String(r.orders)),
    kpi("average", t("avg_ticket"), clp(r.average_ticket)),
    kpi("covers", t("closing_covers"), String(r.covers)));
  const summary = h("section", { class: "card" }, h("h3", null, t("closing_summary")), h("dl", { class: "drawer-summary closing-figures" },
    fig("net", t("closing_net"), clp(r.net)),
    fig("tax", t("closing_tax", { rate: (r.tax_rate_bp / 100).toLocaleString(lang() === "en" ? "en-GB" : "es-CL") }), clp(r.tax)),
    fig("discounts", t("closing_discounts"), clp(r.discounts)),
    fig("refunds", t("closing_refunds"), clp(r.refunds)),
    fig("tips", t("closing_tips"), clp(r.tips.total)),
    fig("collected", t("closing_collected"), clp(r.collected)),
    fig("cancelled", t("closing_cancelled"), String(r.cancelled_orders)),
    fig("numbers", t("closing_numbers"), numbers)));

  const methods = table("closing-methods", [t("closing_method"), [t("closing_payments"), "num"], [t("paid"), "num"], [t("closing_refunded"), "num"], [t("closing_tips"), "num"], [t("total"), "num"]],
    r.by_method.filter((m) => m.payments > 0 || m.total !== 0 || m.refunded !== 0).map((m) => h("tr", { dataset: { method: m.method } },
      h("td", null, tk(`pay_${m.method}`)), h("td", { class: "num" }, String(m.payments)), h("td", { class: "num" }, clp(m.paid)),
      h("td", { class: "num" }, clp(m.refunded)), h("td", { class: "num" }, clp(m.tips)), h("td", { class: "num" }, h("strong", null, clp(m.total))))),
    t("closing_no_payments"));
  const channels = table("closing-channels", [t("channel"), [t("closing_orders"), "num"], [t("closing_sales"), "num"]],
    r.by_channel.filter((c) => c.orders > 0).map((c) => h("tr", { dataset: { channel: c.channel } },
      h("td", null, tk(`ch_${c.channel}`)), h("td", { class: "num" }, String(c.orders)), h("td", { class: "num" }, clp(c.sales)))),
    t("closing_no_sales"));
  const tips = h("section", { class: "card" }, h("h3", null, t("closing_tips")),
    h("dl", { class: "drawer-summary" },
      fig("tips-card", t("closing_tips_card"), clp(r.tips.card)),
      fig("tips-cash", t("closing_tips_cash"), clp(r.tips.cash)),
      fig("tips-other", t("closing_tips_other"), clp(r.tips.other))),
    waiterTable(r.tips_by_waiter));
  const voids = h("section", { class: "card" }, h("h3", null, t("closing_voids", { n: r.void_count, amount: clp(r.voided) })),
    table("closing-voids", [t("closing_order"), t("closing_item"), [t("closing_qty"), "num"], [t("amount"), "num"], t("closing_by"), t("closing_reason"), t("closing_when")],
      r.voids.map((v) => h("tr", null,
        h("td", null, t("order_no", { n: orderLabel(v.order_number) })), h("td", null, v.item ?? t("closing_whole_order")), h("td", { class: "num" }, String(v.quantity)),
        h("td", { class: "num" }, clp(v.amount)), h("td", null, v.by ?? "—"), h("td", null, v.reason ?? "—"), h("td", null, time(v.at, lang())))),
      t("closing_no_voids")));
  const drawers = h("section", { class: "card" }, h("h3", null, t("closing_drawers")),
    table("closing-drawers", [t("drawer_title"), t("drawer_status"), [t("drawer_float"), "num"], [t("drawer_expected"), "num"], [t("drawer_counted"), "num"], [t("drawer_difference"), "num"]],
      r.drawers.map((d) => h("tr", { dataset: { session: d.session_id } },
        h("td", null, d.drawer_name), h("td", null, tk(`drawer_status_${d.status}`)), h("td", { class: "num" }, clp(d.opening_float)),
        h("td", { class: "num" }, d.expected === null || d.expected === undefined ? t("closing_expected_hidden") : clp(d.expected)),
        h("td", { class: "num" }, d.counted === null || d.counted === undefined ? "—" : clp(d.counted)),
        h("td", { class: "num", dataset: { fig: "difference" } }, d.difference === null || d.difference === undefined ? "—" : differenceText(d.difference)))),
      t("closing_no_drawers")));
  const late = r.late_corrections.length === 0 ? null : h("section", { class: "card" }, h("h3", null, t("closing_late")),
    h("p", { class: "muted" }, t("closing_late_hint")),
    table("closing-late", [t("closing_order"), t("closing_kind"), t("closing_method"), [t("amount"), "num"]],
      r.late_corrections.map((c) => h("tr", null, h("td", null, t("order_no", { n: orderLabel(c.order_number) })), h("td", null, tk(`closing_late_${c.kind}`)),
        h("td", null, c.method ? tk(`pay_${c.method}`) : "—"), h("td", { class: "num" }, clp(c.amount)))), ""));
  return h("div", { class: "closing-report", id: "closing-report", dataset: { kind: r.kind, day: r.business_date } },
    h("h2", null, t(r.kind === "z" ? "closing_report_z" : "closing_report_x"), " · ", weekdayDay(r.business_date, lang())),
    kpis,
    h("div", { class: "grid2" }, summary, h("section", { class: "card" }, h("h3", null, t("closing_by_method")), methods, h("h3", null, t("by_channel")), channels)),
    drawers,
    tips,
    voids,
    late);
}

export function waiterTable(rows: S["WaiterTips"][]): HTMLElement {
  return table("closing-waiters", [t("closing_waiter"), [t("closing_tips_card"), "num"], [t("closing_tips_cash"), "num"], [t("closing_tips_other"), "num"], [t("total"), "num"]],
    rows.map((w) => h("tr", null, h("td", null, w.waiter ?? t("closing_no_waiter")), h("td", { class: "num" }, clp(w.tips.card)),
      h("td", { class: "num" }, clp(w.tips.cash)), h("td", { class: "num" }, clp(w.tips.other)), h("td", { class: "num" }, h("strong", null, clp(w.tips.total))))),
    t("closing_no_tips"));
}

