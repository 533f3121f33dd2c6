// The diners' data on request (owner only, /api/v1/customer-data): download everything
// the cloud holds about them (JSON, or a CSV per kind), erase one diner by phone, erase it
// all after typing the restaurant's address name. The cloud stores phones, emails and
// notes sealed; these are the owner's ways to honour a diner's or the law's request.

import { cloud } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { confirmAction, field, formError, input, load, onSubmit, pageHeader, toast } from "../../lib/ui";
import { lang } from "../../lib/i18n";
import { d } from "../i18n";

type Counted = "cd_w_record" | "cd_w_customer" | "cd_w_reservation" | "cd_w_order" | "cd_w_message";

/** "2 mensajes y 1 reserva": what an erasure removed, in words, leaving out what it did not
 * touch; the `none` sentence when it touched nothing. */
function erasedWords(done: [number, Counted][], template: "cd_erased_diner" | "cd_erased_all", none: "cd_erased_none" | "cd_erased_all_none"): string {
  const parts = done.filter(([n]) => n > 0).map(([n, key]) => {
    const [one, many] = d(key).split("|");
    return `${n} ${n === 1 ? one : many}`;
  });
  if (parts.length === 0) return d(none);
  return d(template, { list: new Intl.ListFormat(lang(), { type: "conjunction" }).format(parts) });
}

type Kind = "customers" | "reservations" | "orders" | "conversations";
const KINDS: [Kind, "cd_customers" | "cd_reservations" | "cd_orders" | "cd_conversations"][] = [
  ["customers", "cd_customers"],
  ["reservations", "cd_reservations"],
  ["orders", "cd_orders"],
  ["conversations", "cd_conversations"],
];

/** Saves `text` as a file the browser downloads. */
function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function renderCustomerData(root: HTMLElement): void {
  mount(root, pageHeader(d("nav_customer_data")), h("p", { class: "muted" }, d("cd_lead")), exportCard(), dinerCard(), tenantCard());
}

function exportCard(): HTMLElement {
  const json = h("button", {
    class: "btn primary",
    type: "button",
    "data-export": "json",
    onclick: async () => {
      const all = await cloud.get("/api/v1/customer-data/export");
      download("datos-clientes.json", "application/json", JSON.stringify(all, null, 2));
    },
  }, d("cd_export_json"));
  const csv = KINDS.map(([kind, label]) =>
    h("button", {
      class: "btn",
      type: "button",
      "data-export": kind,
      onclick: async () => {
        const text = await cloud.get("/api/v1/customer-data/export/{kind}", { path: { kind } });
        download(`${kind}.csv`, "text/csv", String(text));
      },
    }, d("cd_export_csv", { what: d(label) })),
  );
  return h("section", { class: "card" }, h("h2", null, d("cd_export_title")), h("p", { class: "muted" }, d("cd_export_lead")), h("div", { class: "actions start" }, json, ...csv));
}

function dinerCard(): HTMLElement {
  const form = h(
    "form",
    { class: "form", novalidate: true, autocomplete: "off", "data-erase-diner": "" },
    formError(),
    field(d("cd_phone"), input("phone", { type: "tel", required: true, inputmode: "tel", autocomplete: "off", placeholder: "+56 9 8765 4321" }), d("cd_phone_hint")),
    h("div", { class: "actions" }, h("button", { class: "btn danger", type: "submit" }, d("cd_erase_diner"))),
  );
  onSubmit(form, async (v) => {
    const phone = (v.phone ?? "").trim();
    if (!(await confirmAction(d("cd_erase_diner_title", { phone }), d("cd_erase_diner_text"), d("cd_erase_diner")))) return;
    const done = await cloud.post("/api/v1/customer-data/erase-diner", { body: { phone } });
    form.reset();
    toast(() => erasedWords([[done.customers, "cd_w_record"], [done.reservations, "cd_w_reservation"], [done.orders, "cd_w_order"], [done.messages, "cd_w_message"]], "cd_erased_diner", "cd_erased_none"));
  });
  return h("section", { class: "card" }, h("h2", null, d("cd_diner_title")), h("p", { class: "muted" }, d("cd_diner_lead")), form);
}

function tenantCard(): HTMLElement {
  const card = h("section", { class: "card", "data-erase-all": "" });
  void load(card, () => cloud.get("/api/v1/customer-data/erasure"), (phrase) => {
    const form = h(
      "form",
      { class: "form", novalidate: true, autocomplete: "off" },
      formError(),
      field(d("cd_type_phrase", { phrase: phrase.confirmation }), input("confirmation", { required: true, autocomplete: "off", spellcheck: "false", autocapitalize: "off" })),
      h("div", { class: "actions" }, h("button", { class: "btn danger", type: "submit" }, d("cd_erase_all"))),
    );
    onSubmit(form, async (v) => {
      if (!(await confirmAction(d("cd_erase_all_title"), d("cd_erase_all_text"), d("cd_erase_all")))) return;
      const done = await cloud.post("/api/v1/customer-data/erasure", { body: { confirmation: v.confirmation ?? "" } });
      form.reset();
      toast(() => erasedWords([[done.customers, "cd_w_customer"], [done.reservations, "cd_w_reservation"], [done.messages, "cd_w_message"]], "cd_erased_all", "cd_erased_all_none"));
    });
    mount(card, h("h2", null, d("cd_all_title")), h("p", { class: "muted" }, d("cd_all_lead")), form);
  });
  return card;
}
