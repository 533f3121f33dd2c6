// Every location at a glance: link to the cloud (online, last sync, changes waiting) and
// today's sales and orders. Refreshes every 30 s while open.

import { cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { clp, dateTime } from "../../lib/format";
import { lang } from "../../lib/i18n";
import { empty, load, pageHeader } from "../../lib/ui";
import { d, type DKey } from "../i18n";
import { age, linkState, linkTone } from "../logic";

/** "hace 5 min" for an instant, "nunca" for none. */
export function ago(iso: string | null | undefined): string {
  if (!iso) return d("never");
  const [unit, n] = age(iso);
  return d(`age_${unit}` as DKey, { n });
}

export function locationCard(s: CS["LocationStatus"]): HTMLElement {
  const state = linkState(s);
  const waiting = s.changes_waiting;
  return h(
    "article",
    { class: "card location-card", dataset: { location: s.location_id, link: state } },
    h(
      "header",
      { class: "row" },
      h("h2", { class: "grow" }, s.name),
      h("span", { class: `chip ${linkTone(state)}` }, h("span", { class: "dot" }), d(`link_${state}` as DKey)),
    ),
    h(
      "dl",
      { class: "facts" },
      h("div", null, h("dt", null, d("today_sales")), h("dd", { class: "big-figure", dataset: { figure: "sales" } }, clp(s.today_sales))),
      h("div", null, h("dt", null, d("today_orders")), h("dd", { class: "big-figure", dataset: { figure: "orders" } }, String(s.today_orders))),
      h("div", null, h("dt", null, d("last_sync")), h("dd", { title: s.last_sync_at ? dateTime(s.last_sync_at, lang()) : null }, ago(s.last_sync_at))),
      h(
        "div",
        null,
        h("dt", null, d("changes_waiting")),
        h("dd", { dataset: { figure: "waiting" } }, waiting === null || waiting === undefined ? "—" : waiting === 0 ? d("changes_none") : String(waiting)),
      ),
      h("div", null, h("dt", null, d("devices_count")), h("dd", null, String(s.active_devices))),
    ),
    h("div", { class: "actions" }, h("a", { class: "btn", href: `/dashboard/sales?location=${encodeURIComponent(s.location_id)}` }, d("nav_sales"))),
  );
}

export function renderOverview(root: HTMLElement): () => void {
  const list = h("div", { class: "location-cards" });
  mount(root, pageHeader(d("nav_overview")), list);
  const refresh = () =>
    load(list, () => cloud.get("/api/v1/locations/status"), (rows) => {
      mount(list, rows.length ? rows.map(locationCard) : empty(d("no_locations")));
    });
  void refresh();
  const timer = setInterval(() => {
    // Quietly: only replace the cards once the new figures are in.
    cloud
      .get("/api/v1/locations/status")
      .then((rows) => mount(list, rows.length ? rows.map(locationCard) : empty(d("no_locations"))))
      .catch(() => undefined);
  }, 30000);
  return () => clearInterval(timer);
}
