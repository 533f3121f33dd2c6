// Sales and orders per location over a period: two daily charts (with their tables) and
// the totals per location.

import { cloud } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { clp, shortDay } from "../../lib/format";
import { lang } from "../../lib/i18n";
import { load, pageHeader } from "../../lib/ui";
import { chartWithTable } from "../chart";
import { d } from "../i18n";
import { dailySeries } from "../logic";
import { currentFilters, filterForm, tenantLocations } from "./filters";


export function renderSales(root: HTMLElement): void {
  const filters = currentFilters();
  const body = h("div");
  mount(root, pageHeader(d("nav_sales")), body);
  const location_id = filters.location || undefined;
  void load(
    body,
    () =>
      Promise.all([
        tenantLocations(),
        cloud.get("/api/v1/analytics/daily", { query: { from: filters.from, to: filters.to, location_id } }),
        cloud.get("/api/v1/analytics/summary", { query: { from: filters.from, to: filters.to, location_id } }),
      ]),
    ([locations, daily, summary]) => {
      const series = dailySeries(daily.from, daily.to, daily.days, filters.location || undefined);
      mount(
        body,
        filterForm(filters, locations),
        h(
          "div",
          { class: "stat-row" },
          stat(d("sales"), clp(summary.sales), "sales"),
          stat(d("orders"), String(summary.orders), "orders"),
          stat(d("average_ticket"), clp(summary.average_ticket), "ticket"),
          stat(d("cancelled"), String(summary.cancelled_orders), "cancelled"),
        ),
        h(
          "div",
          { class: "grid2" },
          chartWithTable(d("sales_per_day"), series.map((p) => ({ label: shortDay(p.date, lang()), value: p.sales })), clp, false, d("chart_no_data")),
          chartWithTable(d("orders_per_day"), series.map((p) => ({ label: shortDay(p.date, lang()), value: p.orders })), (n) => String(Math.round(n)), true, d("chart_no_data")),
        ),
        h("h2", null, d("per_location")),
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "table" },
            h(
              "thead",
              null,
              h(
                "tr",
                null,
                h("th", { scope: "col" }, d("location")),
                h("th", { scope: "col", class: "num" }, d("sales")),
                h("th", { scope: "col", class: "num" }, d("orders")),
                h("th", { scope: "col", class: "num" }, d("average_ticket")),
                h("th", { scope: "col", class: "num" }, d("cancelled")),
              ),
            ),
            h(
              "tbody",
              null,
              summary.locations.map((l) =>
                h(
                  "tr",
                  null,
                  h("th", { scope: "row" }, l.name),
                  h("td", { class: "num" }, clp(l.sales)),
                  h("td", { class: "num" }, String(l.orders)),
                  h("td", { class: "num" }, clp(l.average_ticket)),
                  h("td", { class: "num" }, String(l.cancelled_orders)),
                ),
              ),
            ),
          ),
        ),
      );
    },
  );
}

function stat(label: string, value: string, name: string): HTMLElement {
  return h("div", { class: "card stat", dataset: { stat: name } }, h("span", { class: "muted small" }, label), h("strong", null, value));
}
