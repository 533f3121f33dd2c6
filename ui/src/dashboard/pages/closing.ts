// "Cierres": each location's closed business days, as the counters closed them and
// pushed their Z. The list per location gives each day's headline figures (and who
// closed it, on which counter, and whether its drawers came out short or over); a row
// opens the Z with the same sections as the panel's Cierre page, so the owner reads the
// figures the cashier printed.

import { cloud } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { differenceText } from "../../lib/drawer";
import { calendarDate, clp, dateTime, weekdayDay } from "../../lib/format";
import { lang } from "../../lib/i18n";
import { navigate, type Params } from "../../lib/router";
import { empty, field, load, pageHeader, select } from "../../lib/ui";
import { reportView } from "../../lib/z-report";
import { d } from "../i18n";
import { tenantLocations } from "./filters";

const BASE = "/dashboard/closing";

export function renderClosing(root: HTMLElement): void {
  const body = h("div");
  mount(root, pageHeader(d("nav_closing")), body);
  void load(body, () => tenantLocations(), (locations) => {
    if (locations.length === 0) return mount(body, empty(d("closing_no_locations")));
    const asked = new URLSearchParams(location.search).get("location");
    const chosen = locations.find((l) => l.id === asked) ?? locations[0]!;
    const list = h("div");
    const picker = select("location", locations.map((l) => [l.id, l.name]), chosen.id, {
      id: "closing-location",
      onchange: (e: Event) => navigate(`${BASE}?location=${encodeURIComponent((e.target as HTMLSelectElement).value)}`),
    });
    mount(body, h("p", { class: "muted" }, d("closing_lead")), locations.length > 1 ? h("div", { class: "row wrap filters" }, field(d("location"), picker)) : null, list);
    void load(list, () => cloud.get("/api/v1/locations/{id}/day-closes", { path: { id: chosen.id } }), (days) => {
      if (days.length === 0) return mount(list, empty(d("closing_none", { location: chosen.name })));
      mount(list, h("div", { class: "table-wrap" }, h("table", { class: "table", id: "day-closes" },
        h("thead", null, h("tr", null,
          h("th", { scope: "col" }, d("date")),
          h("th", { scope: "col" }, d("closing_counter")),
          h("th", { scope: "col", class: "num" }, d("orders")),
          h("th", { scope: "col", class: "num" }, d("sales")),
          h("th", { scope: "col", class: "num" }, d("closing_tips")),
          h("th", { scope: "col" }, d("closing_cash")),
          h("th", { scope: "col" }, ""))),
        h("tbody", null, days.map((c) => h("tr", { class: "clickable", dataset: { close: c.id, day: c.business_date }, onclick: (e: Event) => {
          // The row opens the Z too; its link is left to the router (one history entry).
          if (!(e.target as Element).closest("a")) navigate(`${BASE}/${c.id}`);
        } },
          h("td", null, h("span", { class: "nowrap" }, h("strong", null, weekdayDay(c.business_date, lang())), " ", h("span", { class: "muted" }, calendarDate(c.business_date))),
            c.has_late_corrections ? h("small", { class: "chip" }, d("closing_late_flag")) : null),
          h("td", null, c.device_name ?? d("closing_unknown_counter"), h("small", { class: "muted" }, ` · ${c.closed_by_name ?? "—"}`)),
          h("td", { class: "num" }, String(c.orders)),
          h("td", { class: "num", dataset: { fig: "sales" } }, clp(c.sales)),
          h("td", { class: "num" }, clp(c.tips)),
          h("td", { dataset: { fig: "difference" } }, c.cash_difference === null || c.cash_difference === undefined ? d("closing_not_counted") : differenceText(c.cash_difference)),
          h("td", null, h("a", { class: "btn", href: `${BASE}/${c.id}` }, d("closing_view_z")))))))));
    });
  });
}

export function renderDayClose(root: HTMLElement, params: Params): void {
  const id = params.id ?? "";
  const body = h("div");
  mount(root, body);
  void load(body, () => cloud.get("/api/v1/day-closes/{id}", { path: { id } }), (close) => {
    const day = `${weekdayDay(close.business_date, lang())} ${calendarDate(close.business_date)}`;
    mount(body,
      pageHeader(d("closing_z_title", { location: close.location_name }),
        h("a", { class: "btn", href: `${BASE}?location=${encodeURIComponent(close.location_id)}` }, d("closing_back"))),
      h("p", { class: "status", id: "day-close-intro" }, d("closing_z_intro", {
        day,
        counter: close.device_name ?? d("closing_unknown_counter"),
        by: close.closed_by_name ?? "—",
        at: dateTime(close.closed_at, lang()),
      })),
      reportView(close.report));
  });
}
