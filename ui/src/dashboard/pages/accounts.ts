// Staff of the dashboard: who may sign in and with which role; the owner invites
// managers and viewers, changes their role, deactivates and reactivates them.

import { cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { confirmAction, dialog, failure, field, formError, input, load, onSubmit, pageHeader, select, toast } from "../../lib/ui";
import { t } from "../../lib/i18n";
import { d, dk } from "../i18n";
import { signedInAccount } from "../session";
import { tenantLocations } from "./filters";

const ASSIGNABLE = ["manager", "viewer"] as const;

export function renderAccounts(root: HTMLElement): void {
  const body = h("div");
  const refresh = () =>
    load(body, () => Promise.all([cloud.get("/api/v1/accounts"), tenantLocations()]), ([accounts, locations]) => mount(body, table(accounts, locations, refresh)));
  mount(
    root,
    pageHeader(d("nav_accounts"), h("button", { class: "btn primary", type: "button", "data-invite": "", onclick: () => invite(refresh) }, d("new_account"))),
    h("p", { class: "muted" }, d("accounts_lead")),
    body,
  );
  void refresh();
}

function table(accounts: CS["AccountView"][], locations: CS["LocationView"][], refresh: () => void): HTMLElement {
  const me = signedInAccount()?.id;
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "table" },
      h(
        "thead",
        null,
        h("tr", null, h("th", { scope: "col" }, d("name")), h("th", { scope: "col" }, d("email")), h("th", { scope: "col" }, d("role")), h("th", { scope: "col" }, d("account_locations")), h("th", { scope: "col" }, d("status")), h("th", { scope: "col" })),
      ),
      h(
        "tbody",
        null,
        accounts.map((account) => {
          const fixed = account.role === "owner" || account.id === me;
          const role = fixed
            ? dk(`role_${account.role}`)
            : select("role", ASSIGNABLE.map((r) => [r, dk(`role_${r}`)] as [string, string]), account.role, {
                class: "compact",
                "aria-label": `${d("role")}: ${account.name}`,
                onchange: (e: Event) => void update(account, { role: (e.target as HTMLSelectElement).value }, refresh),
              });
          return h(
            "tr",
            { dataset: { account: account.id }, class: account.active ? "" : "voided" },
            h("th", { scope: "row" }, account.name),
            h("td", null, account.email),
            h("td", null, role),
            h("td", { "data-account-locations": "" }, locationsCell(account, locations, fixed, refresh)),
            h("td", null, account.active ? d("active") : d("inactive")),
            h(
              "td",
              null,
              fixed
                ? null
                : account.active
                  ? h("button", { class: "btn danger", type: "button", onclick: () => void deactivate(account, refresh) }, d("deactivate"))
                  : h("button", { class: "btn", type: "button", onclick: () => void update(account, { active: true }, refresh) }, d("activate")),
            ),
          );
        }),
      ),
    ),
  );
}

/** Which locations an account sees ("Todos", or their names), and for a manager or
 * viewer a button to choose them (only when the business has more than one). */
function locationsCell(account: CS["AccountView"], locations: CS["LocationView"][], fixed: boolean, refresh: () => void): (HTMLElement | string)[] {
  const names = account.location_ids.map((id) => locations.find((l) => l.id === id)?.name ?? "?");
  const text = names.length === 0 ? d("every_location") : names.join(", ");
  if (fixed || account.role === "owner" || locations.length < 2) return [text];
  return [
    text,
    " ",
    h("button", { class: "btn ghost", type: "button", "data-edit-locations": "", "aria-label": d("locations_title", { name: account.name }), onclick: () => chooseLocations(account, locations, refresh) }, d("edit_location")),
  ];
}

function chooseLocations(account: CS["AccountView"], locations: CS["LocationView"][], refresh: () => void): void {
  const boxes = locations.map((l) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "location", value: l.id, checked: account.location_ids.includes(l.id) }), " ", l.name),
  );
  const form = h(
    "form",
    { class: "form", novalidate: true },
    formError(),
    h("p", { class: "muted" }, d("locations_hint")),
    h("fieldset", { class: "checks" }, h("legend", { class: "visually-hidden" }, d("account_locations")), boxes),
    h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))),
  );
  const dlg = dialog(d("locations_title", { name: account.name }), form);
  onSubmit(form, async () => {
    const chosen = [...form.querySelectorAll<HTMLInputElement>("input[name=location]:checked")].map((i) => i.value);
    await cloud.patch("/api/v1/accounts/{id}", { path: { id: account.id }, body: { location_ids: chosen } });
    dlg.close();
    toast(() => d("locations_saved"));
    refresh();
  });
}

async function update(account: CS["AccountView"], changes: CS["UpdateAccountRequest"], refresh: () => void): Promise<void> {
  try {
    await cloud.patch("/api/v1/accounts/{id}", { path: { id: account.id }, body: changes });
    toast(() => t("saved"));
  } catch (error) {
    toast(failure(error).textContent ?? "", "error");
  }
  refresh();
}

async function deactivate(account: CS["AccountView"], refresh: () => void): Promise<void> {
  if (await confirmAction(d("deactivate_title", { name: account.name }), d("deactivate_text"), d("deactivate"))) {
    await update(account, { active: false }, refresh);
  }
}

function invite(refresh: () => void): void {
  const form = h(
    "form",
    { class: "form", novalidate: true },
    formError(),
    field(d("name"), input("name", { required: true, maxlength: 120, autocomplete: "off" })),
    field(d("email"), input("email", { type: "email", required: true, autocomplete: "off" })),
    field(d("initial_password"), input("password", { type: "password", required: true, autocomplete: "new-password" }), d("initial_password_hint")),
    field(d("role"), select("role", ASSIGNABLE.map((r) => [r, dk(`role_${r}`)] as [string, string]), "manager")),
    h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("create"))),
  );
  const dlg = dialog(d("new_account"), form);
  onSubmit(form, async (v) => {
    await cloud.post("/api/v1/accounts", { body: { name: v.name ?? "", email: v.email ?? "", password: v.password ?? "", role: v.role ?? "manager" } });
    dlg.close();
    toast(() => d("account_created"));
    refresh();
  });
}
