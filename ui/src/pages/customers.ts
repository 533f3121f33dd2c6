// Customers: search, create, edit, and one customer's history.

import { api, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { clp, dateTime } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import type { Params } from "../lib/router";
import { can } from "../lib/session";
import { dialog, empty, failure, field, formError, input, load, loading, onSubmit, pageHeader } from "../lib/ui";
import { orderLabel } from "../lib/order-number";

export function renderCustomers(root: HTMLElement, params: Params): void {
  if (params.id) return renderCustomer(root, params.id);
  const q = input("q", { type: "search", placeholder: t("search"), "aria-label": t("search") });
  const list = h("div", null, loading());
  mount(root, pageHeader(t("nav_customers"), q, can("customers:write") ? h("button", { class: "btn primary", onclick: () => customerForm(null, () => void search()) }, `+ ${t("new_customer")}`) : null), list);
  const search = async () => {
    try {
      const page = await api.get("/api/v1/customers", { query: { q: q.value, limit: 50 } });
      mount(list, page.items.length === 0 ? empty(t("no_customers")) : h("table", { class: "table card" },
        h("thead", null, h("tr", null, h("th", null, t("name")), h("th", null, t("phone")), h("th", null, t("email")))),
        h("tbody", null, page.items.map((c) => h("tr", null,
          h("td", null, h("a", { href: `/customers/${c.id}` }, c.name)), h("td", null, c.phone ?? ""), h("td", null, c.email ?? ""))))));
    } catch (error) {
      mount(list, failure(error, () => void search()));
    }
  };
  let timer: ReturnType<typeof setTimeout>;
  q.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => void search(), 250); });
  void search();
}

function renderCustomer(root: HTMLElement, id: string): void {
  void load(root, () => Promise.all([api.get("/api/v1/customers/{id}", { path: { id } }), api.get("/api/v1/customers/{id}/orders", { path: { id }, query: { limit: 50 } })]), ([c, orders]) => {
    mount(root,
      pageHeader(c.name, h("a", { class: "btn ghost", href: "/customers" }, `← ${t("back")}`),
        can("customers:write") ? h("button", { class: "btn", onclick: () => customerForm(c, () => renderCustomer(root, id)) }, t("edit")) : null),
      h("div", { class: "kpis" },
        h("div", { class: "kpi card" }, h("span", { class: "label" }, t("visits")), h("strong", { class: "value" }, String(c.visit_count))),
        h("div", { class: "kpi card" }, h("span", { class: "label" }, t("orders_count")), h("strong", { class: "value" }, String(c.order_count))),
        h("div", { class: "kpi card" }, h("span", { class: "label" }, t("orders_total")), h("strong", { class: "value" }, clp(c.total_spent)))),
      h("section", { class: "card" },
        h("p", null, [c.phone, c.email, c.rut].filter(Boolean).join(" · ")),
        c.notes ? h("p", { class: "muted" }, c.notes) : null,
        c.last_visit_at ? h("p", null, `${t("last_visit")}: ${dateTime(c.last_visit_at, lang())}`) : null),
      h("section", { class: "card" }, h("h2", null, t("history")),
        orders.items.length === 0 ? empty() : h("table", { class: "table" }, h("tbody", null, orders.items.map((o) =>
          h("tr", null, h("td", null, h("a", { href: `/orders/${o.id}` }, `#${orderLabel(o.number)}`)), h("td", null, dateTime(o.created_at, lang())), h("td", null, tk(`st_${o.status}`)), h("td", { class: "num" }, clp(o.total))))))));
  });
}

function customerForm(c: S["CustomerView"] | null, done: () => void): void {
  const form = h("form", { class: "form" },
    field(t("name"), input("name", { value: c?.name ?? "", required: true })),
    field(t("phone"), input("phone", { type: "tel", value: c?.phone ?? "" })),
    field(t("email"), input("email", { type: "email", value: c?.email ?? "" })),
    field(t("rut"), input("rut", { value: c?.rut ?? "", placeholder: "12.345.678-5" })),
    field(t("notes"), h("textarea", { name: "notes", rows: 2 }, c?.notes ?? "")),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "marketing_consent", checked: c?.marketing_consent ?? false }), t("marketing")),
    formError(),
    h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))));
  onSubmit(form, async (v) => {
    const body = { name: v.name ?? "", phone: v.phone || null, email: v.email || null, rut: v.rut || null, notes: v.notes || null, marketing_consent: v.marketing_consent === "on" };
    if (c) await api.patch("/api/v1/customers/{id}", { path: { id: c.id }, body });
    else await api.post("/api/v1/customers", { body });
    d.close();
    done();
  });
  const d = dialog(c ? c.name : t("new_customer"), form);
}
