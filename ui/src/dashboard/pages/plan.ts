// Plan: the restaurant's plan and billing (GET /api/v1/billing) — standing (trial,
// active, grace, read-only, cancelled), the trial's end or the next charge, the past
// charges, what the plan allows — and the owner's actions: subscribe (to Mercado Pago's
// authorisation page), change plan, cancel. The banner of grace and read-only shown on
// every page is `billingBanner`.

import { cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { clp, dateTime } from "../../lib/format";
import { lang } from "../../lib/i18n";
import { confirmAction, empty, field, formError, load, onSubmit, pageHeader, select, toast } from "../../lib/ui";
import { d, type DKey } from "../i18n";
import { can } from "../session";

type Billing = CS["BillingView"];

const PLANS: [string, DKey, number][] = [
  ["basic", "plan_basic", 12990],
  ["pro", "plan_pro", 29990],
  ["enterprise", "plan_enterprise", 59990],
];

/** The plan's name in the page's language. */
export function planName(id: string): string {
  const found = PLANS.find(([plan]) => plan === id);
  return found ? d(found[1]) : id;
}

const STANDING: Record<Billing["standing"], DKey> = {
  unsubscribed: "standing_unsubscribed",
  pending: "standing_pending",
  trial: "standing_trial",
  active: "standing_active",
  grace: "standing_grace",
  cancelled: "standing_cancelled",
  read_only: "standing_read_only",
};

export function renderPlan(root: HTMLElement): void {
  const body = h("div");
  mount(root, pageHeader(d("nav_plan")), h("p", { class: "muted" }, d("plan_lead")), body);
  const refresh = () => load(body, () => cloud.get("/api/v1/billing"), (billing) => mount(body, ...content(billing, refresh)));
  void refresh();
}

function content(billing: Billing, refresh: () => void): HTMLElement[] {
  const when = (iso: string | null | undefined) => (iso ? dateTime(iso, lang()) : "—");
  const facts = h(
    "dl",
    { class: "facts" },
    h("dt", null, d("plan_current")),
    h("dd", { "data-plan": billing.plan }, `${planName(billing.plan)} · ${clp(billing.monthly)} ${d("per_month")}`),
    h("dt", null, d("plan_standing")),
    h("dd", { "data-standing": billing.standing }, d(STANDING[billing.standing])),
    billing.trial_ends_at ? h("dt", null, d("plan_trial_ends")) : null,
    billing.trial_ends_at ? h("dd", { "data-trial-ends": "" }, when(billing.trial_ends_at)) : null,
    billing.next_payment_at && billing.checkout_started && billing.standing !== "cancelled" ? h("dt", null, d("plan_next_charge")) : null,
    billing.next_payment_at && billing.checkout_started && billing.standing !== "cancelled" ? h("dd", null, when(billing.next_payment_at)) : null,
    // Once read-only the deadline is past: said as such, not as one still to meet.
    billing.grace_ends_at ? h("dt", null, d(billing.standing === "read_only" ? "plan_grace_ended" : "plan_grace_ends")) : null,
    billing.grace_ends_at ? h("dd", null, when(billing.grace_ends_at)) : null,
  );
  const limits = billing.limits;
  const allows = h(
    "ul",
    { class: "ticks" },
    h("li", null, limits.locations == null ? d("limit_locations_any") : d("limit_locations", { n: String(limits.locations) })),
    h("li", null, limits.counters_per_location == null ? d("limit_counters_any") : d("limit_counters", { n: String(limits.counters_per_location) })),
    h("li", null, limits.widget ? d("limit_widget_yes") : d("limit_widget_no")),
    h("li", null, limits.whatsapp ? d("limit_whatsapp_yes") : d("limit_whatsapp_no")),
  );
  const parts: HTMLElement[] = [
    h("section", { class: "card" }, h("h2", null, d("plan_summary")), facts, h("h3", null, d("plan_allows")), allows),
  ];
  if (can("settings:write")) parts.push(actions(billing, refresh));
  parts.push(invoices(billing.invoices));
  return parts;
}

function actions(billing: Billing, refresh: () => void): HTMLElement {
  const card = h("section", { class: "card" });
  // The trial starts at sign-up with nothing at Mercado Pago yet: subscribing keeps the
  // plan going after it.
  const needsCheckout = !billing.checkout_started || ["unsubscribed", "pending", "read_only", "cancelled"].includes(billing.standing);
  const form = h(
    "form",
    { class: "form", novalidate: true },
    formError(),
    !billing.checkout_started && billing.standing === "trial" ? h("p", { class: "muted", "data-trial-hint": "" }, d("plan_trial_hint")) : null,
    field(d("plan_choose"), select("plan", PLANS.map(([id, key, price]) => [id, `${d(key)} · ${clp(price)} ${d("per_month")}`]), billing.plan)),
    h("button", { class: "btn primary", type: "submit", "data-plan-submit": "" }, needsCheckout ? d("plan_subscribe") : d("plan_change")),
  );
  onSubmit(form, async (v) => {
    const plan = v.plan ?? billing.plan;
    if (needsCheckout) {
      const checkout = await cloud.post("/api/v1/billing/subscription", { body: { plan } });
      location.assign(checkout.checkout_url);
      return;
    }
    await cloud.put("/api/v1/billing/plan", { body: { plan } });
    toast(() => d("plan_changed"));
    refresh();
  });
  const cancel =
    billing.checkout_started && (billing.standing === "trial" || billing.standing === "active" || billing.standing === "grace")
      ? h("button", {
          class: "btn danger",
          type: "button",
          "data-plan-cancel": "",
          onclick: async () => {
            if (!(await confirmAction(d("plan_cancel"), d("plan_cancel_text"), d("plan_cancel")))) return;
            await cloud.post("/api/v1/billing/cancel");
            toast(() => d("plan_cancelled"));
            refresh();
          },
        }, d("plan_cancel"))
      : null;
  mount(card, h("h2", null, d("plan_manage")), form, cancel ? h("div", { class: "actions" }, cancel) : "");
  return card;
}

function invoices(list: Billing["invoices"]): HTMLElement {
  const card = h("section", { class: "card" }, h("h2", null, d("plan_invoices")));
  if (list.length === 0) {
    card.append(empty(d("plan_no_invoices")));
    return card;
  }
  const status = (s: string) => (s === "paid" ? d("invoice_paid") : s === "failed" ? d("invoice_failed") : d("invoice_pending"));
  card.append(
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "table" },
        h("thead", null, h("tr", null, h("th", { scope: "col" }, d("invoice_date")), h("th", { scope: "col" }, d("invoice_amount")), h("th", { scope: "col" }, d("status")))),
        h(
          "tbody",
          null,
          list.map((invoice) =>
            h("tr", { dataset: { invoice: invoice.id } }, h("td", null, dateTime(invoice.charged_at, lang())), h("td", { class: "num" }, clp(invoice.amount)), h("td", null, status(invoice.status))),
          ),
        ),
      ),
    ),
  );
  return card;
}

/** The banner every page shows while a charge is owed (grace) or the account is read-only. */
export function billingBanner(): HTMLElement {
  const banner = h("div", { id: "billing-banner" });
  if (!can("settings:read")) return banner;
  cloud.get("/api/v1/billing").then(
    (billing) => {
      if (billing.standing !== "grace" && billing.standing !== "read_only") return;
      const text =
        billing.standing === "grace"
          ? d("banner_grace", { when: billing.grace_ends_at ? dateTime(billing.grace_ends_at, lang()) : "—" })
          : d("banner_read_only");
      mount(banner, h("div", { class: "notice verify-banner", role: "status", "data-billing": billing.standing }, h("span", null, text, " "), h("a", { href: "/dashboard/plan" }, d("banner_fix"))));
    },
    () => undefined,
  );
  return banner;
}
