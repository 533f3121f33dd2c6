// La consola del operador (super_admin only, /dashboard/operador): every restaurant with
// its plan, status, locations, counters online and last sync, suspended or reactivated
// with a reason; and the website's leads (from /demo and /contacto) as a pipeline
// (nuevo, contactado, demo, ganado, perdido) with notes and a follow-up date.

import { ApiError, cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { dateTime } from "../../lib/format";
import { lang, t } from "../../lib/i18n";
import { dialog, empty, failure, field, formError, input, load, onSubmit, pageHeader, select, toast } from "../../lib/ui";
import { d, type DKey } from "../i18n";
import { leadStages, shortDate } from "../logic";
import { ago } from "./overview";

type Tenant = CS["PlatformTenant"];
type Lead = CS["Lead"];
type Stage = CS["LeadStage"];

export function renderOperator(root: HTMLElement): void {
  const tenants = h("section", { class: "card", id: "operator-tenants" });
  const leads = h("section", { class: "card", id: "operator-leads" });
  mount(root, pageHeader(d("nav_operator")), h("p", { class: "muted" }, d("operator_lead")), tenants, leads);
  const refreshTenants = () =>
    load(tenants, () => cloud.get("/api/v1/platform/tenants", { query: { limit: 200 } }), (page) =>
      mount(tenants, h("h2", null, d("operator_tenants")), tenantTable(page.tenants, refreshTenants)),
    );
  let stage: Stage | "" = "";
  const refreshLeads = () =>
    load(leads, () => cloud.get("/api/v1/platform/leads", { query: { limit: 200, stage: stage || undefined } }), (page) => {
      const filter = select("stage", [["", d("lead_all")], ...leadStages.map((s): [string, string] => [s, d(`lead_${s}` as DKey)])], stage, {
        "aria-label": d("lead_stage"),
        onchange: (e: Event) => {
          stage = (e.target as HTMLSelectElement).value as Stage | "";
          void refreshLeads();
        },
      });
      mount(
        leads,
        h("header", { class: "row wrap" }, h("h2", { class: "grow" }, d("operator_leads")), filter),
        page.leads.length === 0 ? empty(d("no_leads")) : h("div", { class: "lead-list" }, page.leads.map((lead) => leadCard(lead, refreshLeads))),
      );
    });
  void refreshTenants();
  void refreshLeads();
}

/** A plan's name as the website sells it (`enterprise` is "Cadena"/"Chain"). */
function planLabel(plan: string): string {
  return plan === "basic" || plan === "pro" || plan === "enterprise" ? d(`plan_${plan}`) : plan;
}

function tenantTable(tenants: Tenant[], refresh: () => void): HTMLElement {
  if (tenants.length === 0) return empty(d("no_tenants"));
  const th = (key: DKey) => h("th", { scope: "col" }, d(key));
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "table" },
      h("thead", null, h("tr", null, th("restaurant"), th("plan"), th("status"), th("nav_locations"), th("counters_online"), th("last_sync"), h("th", { scope: "col" }))),
      h(
        "tbody",
        null,
        tenants.map((tenant) => {
          const suspended = tenant.status === "suspended";
          return h(
            "tr",
            { dataset: { tenant: tenant.id, slug: tenant.slug } },
            h("th", { scope: "row" }, tenant.name, h("br"), h("span", { class: "muted small" }, tenant.slug)),
            h("td", null, planLabel(tenant.plan)),
            h(
              "td",
              null,
              h("span", { class: suspended ? "badge bad" : "badge p-paid" }, suspended ? d("tenant_suspended") : d("tenant_active")),
              suspended && tenant.suspension_reason ? h("p", { class: "muted small suspension-reason" }, tenant.suspension_reason) : null,
              suspended && tenant.suspended_at ? h("p", { class: "muted small" }, d("since", { at: dateTime(tenant.suspended_at, lang()) })) : null,
            ),
            h("td", null, String(tenant.locations)),
            h("td", null, `${tenant.counters_online} / ${tenant.devices}`),
            h("td", null, ago(tenant.last_sync_at)),
            h(
              "td",
              null,
              suspended
                ? h("button", { class: "btn", type: "button", "data-reactivate": "", onclick: () => void reactivate(tenant, refresh) }, d("reactivate"))
                : h("button", { class: "btn danger", type: "button", "data-suspend": "", onclick: () => suspend(tenant, refresh) }, d("suspend")),
            ),
          );
        }),
      ),
    ),
  );
}

/** The suspend dialog: the reason is required, and the restaurant's owners will read it. */
function suspend(tenant: Tenant, refresh: () => void): void {
  const form = h(
    "form",
    { class: "form", novalidate: true },
    h("p", null, d("suspend_text")),
    formError(),
    field(d("suspend_reason"), h("textarea", { name: "reason", rows: 3, maxlength: 500, required: true }), d("suspend_reason_hint")),
    h("div", { class: "actions" }, h("button", { class: "btn danger", type: "submit" }, d("suspend"))),
  );
  const dlg = dialog(d("suspend_title", { name: tenant.name }), form);
  onSubmit(form, async (v) => {
    await cloud.post("/api/v1/platform/tenants/{id}/suspend", { path: { id: tenant.id }, body: { reason: v.reason ?? "" } });
    toast(() => d("tenant_suspended_toast"));
    dlg.close();
    refresh();
  });
}

async function reactivate(tenant: Tenant, refresh: () => void): Promise<void> {
  try {
    await cloud.post("/api/v1/platform/tenants/{id}/reactivate", { path: { id: tenant.id } });
    toast(() => d("tenant_reactivated_toast"));
    refresh();
  } catch (error) {
    toast(error instanceof ApiError ? error.message : (failure(error).textContent ?? ""), "error");
  }
}

function leadCard(lead: Lead, refresh: () => void): HTMLElement {
  const form = h(
    "form",
    { class: "form lead-form", novalidate: true },
    formError(),
    field(d("lead_stage"), select("stage", leadStages.map((s): [string, string] => [s, d(`lead_${s}` as DKey)]), lead.stage)),
    field(d("lead_follow_up"), input("follow_up_on", { type: "date", value: lead.follow_up_on ?? "" })),
    field(d("lead_notes"), h("textarea", { name: "notes", rows: 2, maxlength: 4000 }, lead.notes)),
    h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))),
  );
  onSubmit(form, async (v) => {
    await cloud.put("/api/v1/platform/leads/{id}", {
      path: { id: lead.id },
      body: { stage: (v.stage ?? "new") as Stage, notes: v.notes ?? "", follow_up_on: v.follow_up_on || null },
    });
    toast(() => t("saved"));
    refresh();
  });
  return h(
    "article",
    { class: "lead card", dataset: { lead: lead.id, stage: lead.stage } },
    h(
      "header",
      { class: "row wrap" },
      h("h3", { class: "grow" }, lead.name, lead.restaurant ? ` — ${lead.restaurant}` : ""),
      h("span", { class: "badge" }, lead.source === "contact" ? d("lead_from_contact") : d("lead_from_demo")),
    ),
    h(
      "p",
      { class: "muted small" },
      h("a", { href: `mailto:${lead.email}` }, lead.email),
      lead.phone ? ` · ${lead.phone}` : "",
      ` · ${dateTime(lead.created_at, lang())}`,
      lead.follow_up_on ? ` · ${d("lead_follow_up")}: ${shortDate(lead.follow_up_on)}` : "",
    ),
    lead.message ? h("blockquote", { class: "lead-message" }, lead.message) : null,
    form,
  );
}
