// Orders of every location over a period, newest first, with their status.

import { cloud } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { clp, dateTime } from "../../lib/format";
import { lang, tk } from "../../lib/i18n";
import { empty, load, pageHeader } from "../../lib/ui";
import { d, dk } from "../i18n";
import { currentFilters, filterForm, tenantLocations } from "./filters";

export function renderOrders(root: HTMLElement): void {
  const filters = currentFilters(7);
  const body = h("div");
  mount(root, pageHeader(d("nav_orders")), body);
  void load(
    body,
    () =>
      Promise.all([
        tenantLocations(),
        cloud.get("/api/v1/orders", { query: { from: filters.from, to: filters.to, location_id: filters.location || undefined, limit: 200 } }),
      ]),
    ([locations, orders]) => {
      const names = new Map(locations.map((l) => [l.id, l.name]));
      mount(
        body,
        filterForm(filters, locations),
        orders.length === 0
          ? empty(d("no_orders"))
          : h(
              "div",
              { class: "table-wrap" },
              h(
                "table",
                { class: "table orders-table" },
                h(
                  "thead",
                  null,
                  h(
                    "tr",
                    null,
                    h("th", { scope: "col" }, d("number")),
                    h("th", { scope: "col" }, d("date")),
                    h("th", { scope: "col" }, d("location")),
                    h("th", { scope: "col" }, d("channel")),
                    h("th", { scope: "col" }, d("status")),
                    h("th", { scope: "col", class: "num" }, d("total")),
                  ),
                ),
                h(
                  "tbody",
                  null,
                  orders.map((o) =>
                    h(
                      "tr",
                      { class: o.status === "cancelled" ? "voided" : "" },
                      h("td", null, `#${o.number}`),
                      h("td", null, dateTime(o.created_at, lang())),
                      h("td", null, names.get(o.location_id) ?? "—"),
                      h("td", null, tk(`ch_${o.channel}`)),
                      h("td", null, h("span", { class: `chip st-${o.status}` }, dk(`st_${o.status}`))),
                      h("td", { class: "num" }, clp(o.total)),
                    ),
                  ),
                ),
              ),
            ),
      );
    },
  );
}
