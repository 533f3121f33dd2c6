// Reports over a date range: sales by day, by hour, by channel, top items; CSV export.

import { api, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { barChart, hours } from "../lib/chart";
import { addDays, clp, localDate, shortDay } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import { empty, failure, input, loading, pageHeader } from "../lib/ui";

/** The summary as CSV (sections of key,orders,sales), for spreadsheets. */
export function summaryCsv(s: S["Summary"]): string {
  const rows: string[] = ["section,key,orders,sales"];
  const add = (section: string, buckets: S["Bucket"][]) => buckets.forEach((b) => rows.push(`${section},${b.key},${b.orders},${b.sales}`));
  rows.push(`total,${s.from}..${s.to},${s.orders},${s.sales}`);
  add("day", s.by_day);
  add("hour", s.by_hour);
  add("channel", s.by_channel);
  add("payment", s.payments_by_method);
  s.top_items.forEach((i) => rows.push(`item,"${i.name.replaceAll('"', '""')}",${i.quantity},${i.sales}`));
  return rows.join("\n") + "\n";
}

export function renderAnalytics(root: HTMLElement): void {
  const to = input("to", { type: "date", value: localDate() });
  const from = input("from", { type: "date", value: addDays(localDate(), -6) });
  const body = h("div", null, loading());
  let last: S["Summary"] | null = null;
  const exportCsv = () => {
    if (!last) return;
    const url = URL.createObjectURL(new Blob([summaryCsv(last)], { type: "text/csv" }));
    const a = h("a", { href: url, download: `ventas-${last.from}-${last.to}.csv` });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  mount(root, pageHeader(t("nav_analytics"),
    h("label", null, t("from"), " ", from), h("label", null, t("to"), " ", to),
    h("button", { class: "btn primary", onclick: () => void refresh() }, t("apply")),
    h("button", { class: "btn", onclick: exportCsv }, t("export_csv"))), body);
  const refresh = async () => {
    mount(body, loading());
    try {
      const [s, prep] = await Promise.all([
        api.get("/api/v1/analytics/summary", { query: { from: from.value, to: to.value } }),
        api.get("/api/v1/kitchen/prep-times", { query: { from: from.value, to: to.value } }),
      ]);
      last = s;
      const list = (buckets: S["Bucket"][], prefix: string) => buckets.length === 0 ? empty() : h("ul", { class: "list" }, buckets.map((b) =>
        h("li", { class: "row" }, h("span", { class: "grow" }, tk(`${prefix}${b.key}`)), h("span", null, `${b.orders}`), h("span", { class: "num" }, clp(b.sales)))));
      mount(body,
        h("div", { class: "kpis" },
          h("div", { class: "kpi card" }, h("span", { class: "label" }, t("sales")), h("strong", { class: "value" }, clp(s.sales))),
          h("div", { class: "kpi card" }, h("span", { class: "label" }, t("orders_count")), h("strong", { class: "value" }, String(s.orders))),
          h("div", { class: "kpi card" }, h("span", { class: "label" }, t("avg_ticket")), h("strong", { class: "value" }, clp(s.average_ticket))),
          h("div", { class: "kpi card" }, h("span", { class: "label" }, t("iva")), h("strong", { class: "value" }, clp(s.tax))),
          h("div", { class: "kpi card" }, h("span", { class: "label" }, t("tips")), h("strong", { class: "value" }, clp(s.tips))),
          h("div", { class: "kpi card" }, h("span", { class: "label" }, t("cancelled_orders")), h("strong", { class: "value" }, String(s.cancelled_orders)))),
        h("div", { class: "grid2" },
          h("section", { class: "card" }, h("h2", null, t("sales_by_day")), barChart(s.by_day.map((b) => ({ label: shortDay(b.key, lang()), value: b.sales })), t("sales_by_day"), clp)),
          h("section", { class: "card" }, h("h2", null, t("sales_by_hour")), barChart(hours(s.by_hour), t("sales_by_hour"), clp))),
        h("div", { class: "grid2" },
          h("section", { class: "card" }, h("h2", null, t("by_channel")), list(s.by_channel, "ch_")),
          h("section", { class: "card" }, h("h2", null, t("by_method")), list(s.payments_by_method, "pay_"))),
        h("section", { class: "card", id: "prep-times" }, h("h2", null, t("prep_times")), prep.stations.length === 0 ? empty() : h("ul", { class: "list" }, prep.stations.map((p) =>
          h("li", { class: "row" }, h("span", { class: "grow" }, tk(`st_${p.station}`)),
            h("span", null, t("prep_avg", { m: (p.average_seconds / 60).toLocaleString(lang() === "es" ? "es-CL" : "en", { maximumFractionDigits: 1 }), n: p.lines })))))),
        h("section", { class: "card" }, h("h2", null, t("top_items")), s.top_items.length === 0 ? empty(t("no_sales")) : h("ol", { class: "top" }, s.top_items.map((i) =>
          h("li", null, h("span", null, `${i.quantity}× ${i.name}`), h("span", { class: "num" }, clp(i.sales)))))));
    } catch (error) {
      mount(body, failure(error, () => void refresh()));
    }
  };
  void refresh();
}
