// "Cierre": the X report of the day that is running, closing it into its Z (with a
// confirmation), the closed days with their Z (print, COPIA reprint, CSV) and the tip-out
// of a shift per waiter. A page of its own next to Caja: the cashier counts the drawer
// there, then a manager comes here to read and close the day. Staff without
// `drawer:audit` read the report but neither print nor close, and never see what an
// uncounted drawer should hold (the server withholds it).

import { api, buildUrl, toApiError, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { calendarDate, clp, dateTime, time, weekdayDay } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import { can } from "../lib/session";
import { fig, reportView, waiterTable } from "../lib/z-report";
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
      h("button", { class: "btn", type: "button", id: "closing-x-csv", onclick: () => void download("csv", `informe-x-${report.business_date}.csv`) }, t("closing_csv")),
      h("button", { class: "btn", type: "button", id: "closing-x-pdf", onclick: () => void download("pdf", `informe-x-${report.business_date}.pdf`) }, t("closing_pdf")),
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
      h("button", { class: "btn", type: "button", id: "closing-z-csv", onclick: () => void download("csv", `cierre-z-${date}.csv`, date) }, t("closing_csv")),
      h("button", { class: "btn", type: "button", id: "closing-z-pdf", onclick: () => void download("pdf", `cierre-z-${date}.pdf`, date) }, t("closing_pdf")),
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

/** Fetches the report as CSV or PDF through the API client (so an expired session is
 * renewed, as for every other call) and hands it to the browser as a file. `date`: a
 * closed day's Z; none: the running day's X. */
async function download(format: "csv" | "pdf", name: string, date?: string): Promise<void> {
  try {
    const kind = date ? "z" : "x";
    const response = await api.raw("GET", buildUrl(`/api/v1/reports/${kind}.${format}`, undefined, { date }));
    if (!response.ok) throw toApiError(response.status, await response.json().catch(() => null));
    const url = URL.createObjectURL(await response.blob());
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
