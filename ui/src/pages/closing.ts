// "Cierre": the X report of the day that is running, closing it into its Z (with a
// confirmation), the closed days with their Z (print, COPIA reprint, CSV) and the tip-out
// of a shift per waiter. A page of its own next to Caja: the cashier counts the drawer
// there, then a manager comes here to read and close the day. Staff without
// `drawer:audit` read the report but neither print nor close, and never see what an
// uncounted drawer should hold (the server withholds it).

import { api, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { differenceText } from "../lib/drawer";
import { calendarDate, clp, dateTime, time, weekdayDay } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import { can } from "../lib/session";
import { orderLabel } from "../lib/order-number";
import { showFiscalDocuments } from "./fiscal";
import { confirmAction, empty, field, load, pageHeader, select, toast } from "../lib/ui";

type Report = S["DayReport"];
type Close = S["DayCloseRecord"];
type Tab = "day" | "days" | "tips" | "fiscal";

export function renderClosing(root: HTMLElement): void {
  const audit = can("drawer:audit");
  let tab: Tab = "day";
  const tabs = h("div", { class: "tabs", role: "tablist" });
  const body = h("div", { class: "closing-page" });

  const markTab = (next: Tab) => {
    tab = next;
    const shown: Tab[] = can("payments:write") ? ["day", "days", "tips", "fiscal"] : ["day", "days", "tips"];
    mount(tabs, shown.map((k) =>
      h("button", { class: k === tab ? "tab on" : "tab", type: "button", role: "tab", "aria-selected": String(k === tab), id: `closing-tab-${k}`, onclick: () => show(k) }, t(`closing_tab_${k}`))));
  };
  const show = (next: Tab) => {
    markTab(next);
    if (tab === "day") showX();
    else if (tab === "days") showDays();
    else if (tab === "tips") showTips();
    else showFiscalDocuments(body);
  };

  // ---- the running day (X) ----------------------------------------------------------
  const showX = () => void load(body, () => api.get("/api/v1/reports/x"), (report) => {
    const actions = h("div", { class: "actions" },
      h("button", { class: "btn", type: "button", id: "closing-x-csv", onclick: () => void download(`informe-x-${report.business_date}.csv`) }, t("closing_csv")),
      audit ? h("button", { class: "btn", type: "button", id: "closing-x-print", onclick: () => void print(api.post("/api/v1/reports/x/print")) }, t("closing_print_x")) : null,
      audit ? h("button", { class: "btn primary big", type: "button", id: "closing-close", onclick: () => void closeDay(report) }, t("closing_close_day")) : null);
    mount(body,
      h("p", { class: "status" }, t("closing_x_intro", { day: weekdayDay(report.business_date, lang()), date: calendarDate(report.business_date), hour: hourText(report.cutoff_hour) })),
      actions,
      reportView(report));
  });

  const closeDay = async (report: Report) => {
    const day = `${weekdayDay(report.business_date, lang())} ${calendarDate(report.business_date)}`;
    const uncounted = report.drawers.filter((d) => d.counted === null || d.counted === undefined).length;
    const text = [t("closing_confirm_text", { day }), uncounted > 0 ? t("closing_confirm_uncounted", { n: uncounted }) : ""].filter(Boolean).join(" ");
    if (!(await confirmAction(t("closing_close_day"), text, t("closing_close_confirm")))) return;
    try {
      const close = await api.post("/api/v1/business-days/{date}/close", { path: { date: report.business_date } });
      toast(() => t("closing_closed_done", { day: weekdayDay(close.business_date, lang()) }));
      // The Z just closed, under the closed days' tab (not the list, which would replace it).
      markTab("days");
      showZ(close);
    } catch (error) {
      toast(error instanceof Error ? error.message : t("error_generic"), "error");
    }
  };

  // ---- closed days (Z) -----------------------------------------------------------------
  const showDays = () => void load(body, () => Promise.all([api.get("/api/v1/business-days"), api.get("/api/v1/reports/x")]), ([days, x]) => {
    const open = h("tr", { dataset: { day: x.business_date } },
      h("td", null, dayCell(x.business_date)), h("td", null, h("span", { class: "badge" }, t("closing_state_open"))),
      h("td", null, "—"), h("td", { class: "num" }, String(x.orders)), h("td", { class: "num" }, clp(x.sales)),
      h("td", null, h("button", { class: "btn", type: "button", onclick: () => show("day") }, t("closing_view_x"))));
    const rows = days.map((d) => h("tr", { dataset: { day: d.business_date } },
      h("td", null, dayCell(d.business_date)), h("td", null, h("span", { class: "badge p-paid" }, t("closing_state_closed"))),
      h("td", null, `${d.closed_by_name ?? "—"} · ${dateTime(d.closed_at, lang())}`),
      h("td", { class: "num" }, String(d.report.orders)), h("td", { class: "num" }, clp(d.report.sales)),
      h("td", null, h("button", { class: "btn", type: "button", dataset: { viewZ: d.business_date }, onclick: () => showZ(d) }, t("closing_view_z")))));
    mount(body, h("div", { class: "table-scroll" }, h("table", { class: "table card", id: "closing-days" },
      h("thead", null, h("tr", null, h("th", null, t("closing_day")), h("th", null, t("closing_state")), h("th", null, t("closing_closed_by")),
        h("th", { class: "num" }, t("closing_orders")), h("th", { class: "num" }, t("closing_sales")), h("th", null, ""))),
      h("tbody", null, open, rows))),
    days.length === 0 ? empty(t("closing_no_days")) : null);
  });

  const showZ = (close: Close) => {
    const date = close.business_date;
    const actions = h("div", { class: "actions" },
      h("button", { class: "btn", type: "button", onclick: () => show("days") }, t("back")),
      h("button", { class: "btn", type: "button", id: "closing-z-csv", onclick: () => void download(`cierre-z-${date}.csv`, date) }, t("closing_csv")),
      audit ? h("button", { class: "btn primary", type: "button", id: "closing-z-print", onclick: () => void print(api.post("/api/v1/business-days/{date}/print", { path: { date } })) }, t("closing_print_z")) : null);
    mount(body,
      h("p", { class: "status" }, t("closing_z_intro", { day: weekdayDay(date, lang()), date: calendarDate(date), by: close.closed_by_name ?? "—", at: dateTime(close.closed_at, lang()) })),
      h("p", { class: "muted" }, t("closing_reprint_hint")),
      actions,
      reportView(close.report));
  };

  // ---- tips per waiter (a shift) -------------------------------------------------------
  const showTips = () => void load(body, () => api.get("/api/v1/drawer-sessions", { query: { limit: 30 } }), (sessions) => {
    if (sessions.length === 0) return mount(body, empty(t("closing_tips_no_shifts")));
    const out = h("div");
    const pick = (id: string) => void load(out, () => api.get("/api/v1/reports/tips", { query: { session_id: id } }), (tips) => mount(out, tipOutView(tips)));
    const picker = select("session", sessions.map((s) => [s.id, `${s.drawer_name} · ${dateTime(s.opened_at, lang())} · ${tk(`drawer_status_${s.status}`)}`]), sessions[0]?.id, {
      id: "closing-tips-session",
      onchange: (e: Event) => pick((e.target as HTMLSelectElement).value),
    });
    mount(body, h("div", { class: "form card" }, field(t("closing_tips_shift"), picker)), out);
    if (sessions[0]) pick(sessions[0].id);
  });

  const print = async (request: Promise<unknown>) => {
    try {
      await request;
      toast(() => t("closing_printed"));
    } catch (error) {
      toast(error instanceof Error ? error.message : t("error_generic"), "error");
    }
  };

  mount(root, pageHeader(t("closing_title")), tabs, body);
  show("day");
}

/** Fetches a CSV through the API client (so an expired session is renewed, as for every
 * other call) and hands it to the browser as a file. */
async function download(name: string, date?: string): Promise<void> {
  try {
    const text = date
      ? await api.get("/api/v1/reports/z.csv", { query: { date } })
      : await api.get("/api/v1/reports/x.csv");
    const url = URL.createObjectURL(new Blob([String(text)], { type: "text/csv;charset=utf-8" }));
    const a = h("a", { href: url, download: name, class: "visually-hidden" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    toast(error instanceof Error ? error.message : t("error_generic"), "error");
  }
}

function hourText(hour: number): string {
  return `${String(hour).padStart(2, "0")}:00`;
}

function dayCell(date: string): HTMLElement {
  return h("span", { class: "nowrap" }, h("strong", null, weekdayDay(date, lang())), " ", h("span", { class: "muted" }, calendarDate(date)));
}

/** A figure the e2e reads back: `data-fig` names it. */
function fig(name: string, label: string, value: string): HTMLElement[] {
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

function waiterTable(rows: S["WaiterTips"][]): HTMLElement {
  return table("closing-waiters", [t("closing_waiter"), [t("closing_tips_card"), "num"], [t("closing_tips_cash"), "num"], [t("closing_tips_other"), "num"], [t("total"), "num"]],
    rows.map((w) => h("tr", null, h("td", null, w.waiter ?? t("closing_no_waiter")), h("td", { class: "num" }, clp(w.tips.card)),
      h("td", { class: "num" }, clp(w.tips.cash)), h("td", { class: "num" }, clp(w.tips.other)), h("td", { class: "num" }, h("strong", null, clp(w.tips.total))))),
    t("closing_no_tips"));
}

function tipOutView(tips: S["TipOut"]): HTMLElement {
  return h("section", { class: "card", id: "closing-tip-out" },
    h("h3", null, t("closing_tips_title", { drawer: tips.drawer_name })),
    h("p", { class: "muted" }, `${dateTime(tips.from, lang())} – ${dateTime(tips.to, lang())}`),
    h("dl", { class: "drawer-summary" },
      fig("shift-tips-card", t("closing_tips_card"), clp(tips.tips.card)),
      fig("shift-tips-cash", t("closing_tips_cash"), clp(tips.tips.cash)),
      fig("shift-tips-other", t("closing_tips_other"), clp(tips.tips.other)),
      fig("shift-tips", t("total"), clp(tips.tips.total))),
    waiterTable(tips.waiters));
}
