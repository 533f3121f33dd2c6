// Auditoría of every location (owners and managers): the counters' audit log as it
// synced, one readable line per event, by location and period (Santiago days), newest
// first. Read-only, like the log itself.

import { cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { dateTime } from "../../lib/format";
import { lang, tk } from "../../lib/i18n";
import { empty, load, pageHeader } from "../../lib/ui";
import { auditActionKey } from "../../lib/audit";
import { d } from "../i18n";
import { currentFilters, filterForm, tenantLocations } from "./filters";

export function renderAudit(root: HTMLElement): void {
  const filters = currentFilters(7);
  const body = h("div");
  mount(root, pageHeader(d("nav_audit")), body);
  void load(
    body,
    () =>
      Promise.all([
        tenantLocations(),
        cloud.get("/api/v1/audit", { query: { from: filters.from, to: filters.to, location_id: filters.location || undefined, limit: 200 } }),
      ]),
    ([locations, page]) => {
      const names = new Map(locations.map((l) => [l.id, l.name]));
      mount(
        body,
        filterForm(filters, locations),
        page.items.length === 0
          ? empty(d("audit_empty"))
          : h("ol", { class: "audit-list card" }, page.items.map((entry) => line(entry, names))),
        page.total > page.items.length ? h("p", { class: "muted" }, d("audit_more", { n: page.items.length, total: page.total })) : null,
      );
    },
  );
}

function line(entry: CS["AuditEntry"], names: Map<string, string>): HTMLElement {
  const e = entry.event;
  return h(
    "li",
    { class: "audit-line" },
    h("time", { datetime: e.at, class: "muted" }, dateTime(e.at, lang())),
    h("span", { class: "chip" }, tk(auditActionKey(e.action), d("audit_other"))),
    h("span", { class: "audit-text" }, lang() === "es" ? entry.text_es : entry.text_en),
    h("small", { class: "muted" }, names.get(e.location_id) ?? "—"),
  );
}
