// Auditoría (admins and managers): who did what, when and from where, one readable line
// per event ("Ana anuló la línea 2 del pedido #45 — motivo: …"), filtered by days in the
// restaurant's time zone, person and action, paged, and exported as CSV (the export is
// itself recorded). Read-only: nothing here changes an event.

import { api, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { dateTime } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import { can } from "../lib/session";
import { empty, failure, field, input, loading, pageHeader, select } from "../lib/ui";
import { AUDIT_ACTIONS, auditActionKey, auditQuery, type AuditFilters } from "../lib/audit";

const PAGE = 50;

export function renderAudit(root: HTMLElement): void {
  const filters: AuditFilters = { from: "", to: "", actor: "", action: "", offset: 0 };
  const from = input("from", { type: "date", "aria-label": t("audit_from") });
  const to = input("to", { type: "date", "aria-label": t("audit_to") });
  const actor = select("actor", [["", t("audit_anyone")]]);
  const action = select("action", [["", t("audit_any_action")], ...AUDIT_ACTIONS.map((a): [string, string] => [a, tk(auditActionKey(a))])]);
  const exportLink = h("a", { class: "btn", id: "audit-export", download: "auditoria.csv", href: "/api/v1/audit.csv" }, t("export_csv")) as HTMLAnchorElement;
  const list = h("div", { id: "audit-list" }, loading());
  const form = h("form", { class: "audit-filters card", onsubmit: (e: Event) => { e.preventDefault(); apply(); } },
    field(t("audit_from"), from), field(t("audit_to"), to), field(t("audit_actor"), actor), field(t("audit_action"), action),
    h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("audit_filter"))));
  mount(root, pageHeader(t("nav_audit"), exportLink), h("p", { class: "hint" }, t("audit_intro")), form, list);

  // The people to filter by (a manager may read the staff list, not change it).
  if (can("users:read")) {
    void api.get("/api/v1/users").then((users) => {
      for (const u of users) actor.append(h("option", { value: u.id }, u.name));
    }).catch(() => { /* the filter still works without names */ });
  }

  const apply = () => {
    filters.from = from.value;
    filters.to = to.value;
    filters.actor = actor.value;
    filters.action = action.value;
    filters.offset = 0;
    void fetch();
  };
  const fetch = async () => {
    const query = auditQuery(filters, PAGE);
    exportLink.href = `/api/v1/audit.csv?${new URLSearchParams(Object.entries(auditQuery({ ...filters, offset: 0 }, 0)).map(([k, v]) => [k, String(v)])).toString()}`;
    mount(list, loading());
    try {
      const page = await api.get("/api/v1/audit", { query });
      show(page);
    } catch (error) {
      mount(list, failure(error, () => void fetch()));
    }
  };
  const show = (page: S["AuditPage"]) => {
    if (page.items.length === 0) return mount(list, empty(t("audit_empty")));
    const last = Math.min(page.offset + page.items.length, page.total);
    mount(list,
      h("ol", { class: "audit-list card" }, page.items.map((entry) => line(entry))),
      h("div", { class: "pager actions" },
        h("span", { class: "muted" }, t("audit_range", { from: page.offset + 1, to: last, total: page.total })),
        h("button", { class: "btn", type: "button", disabled: page.offset === 0, onclick: () => { filters.offset = Math.max(0, page.offset - PAGE); void fetch(); } }, t("audit_newer")),
        h("button", { class: "btn", type: "button", disabled: last >= page.total, onclick: () => { filters.offset = page.offset + PAGE; void fetch(); } }, t("audit_older"))));
  };
  void fetch();
}

function line(entry: S["AuditEntry"]): HTMLElement {
  const e = entry.event;
  const text = lang() === "es" ? entry.text_es : entry.text_en;
  return h("li", { class: "audit-line" },
    h("time", { datetime: e.at, class: "muted" }, dateTime(e.at, lang())),
    h("span", { class: "chip" }, tk(auditActionKey(e.action))),
    h("span", { class: "audit-text" }, text),
    h("small", { class: "muted" }, e.client && e.client !== "local" ? t("audit_from_client", { client: e.client }) : t("audit_at_counter")));
}
