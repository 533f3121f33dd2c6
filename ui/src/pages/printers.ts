// Printers: the "Impresoras" section of Settings (admins change them; whoever reads orders
// sees their state). One ESC/POS printer per station (kitchen, bar, desserts) and the counter's (pre-bills,
// receipts, reports); each shows whether it takes tickets, is short of paper, has none, or
// does not answer, and how many tickets wait for it. Tickets never get lost while a printer
// is off: they wait in the kitchen page's print queue.

import { api, type S } from "../api/client";
import { subscribe } from "../api/events";
import { h, mount } from "../lib/dom";
import { t, tk, type Key } from "../lib/i18n";
import { can } from "../lib/session";
import { confirmAction, dialog, empty, failure, field, formError, input, loading, onSubmit, select, toast } from "../lib/ui";

const ROLES: S["PrinterRole"][] = ["kitchen", "bar", "dessert", "counter"];
const CODE_PAGES: [S["CodePage"], string][] = [["pc858", "PC858"], ["pc850", "PC850"], ["wpc1252", "WPC1252"]];

const STATE_CHIP: Record<S["PrinterState"], string> = {
  unknown: "muted",
  online: "ok",
  paper_low: "warn",
  paper_out: "bad",
  unreachable: "bad",
};

/** Why a printer did not take a ticket, in words (the server stores a code). */
export function printError(code: string): string {
  return tk(`print_error_${code}`, t("print_error_failed"));
}

/** The chip of a printer's state, in words. */
export function printerState(p: S["PrinterRecord"]): HTMLElement {
  return h("span", { class: `chip ${STATE_CHIP[p.state]}`, dataset: { state: p.state } }, h("span", { class: "dot" }), t(`printer_state_${p.state}` as Key));
}

function printerForm(p: S["PrinterRecord"] | null, done: () => void): void {
  const form = h("form", { class: "form" },
    field(t("name"), input("name", { value: p?.name ?? "", required: true, maxlength: 60, placeholder: t("printer_name_hint") })),
    field(t("printer_role"), select("role", ROLES.map((r) => [r, t(`printer_role_${r}` as Key)]), p?.role ?? "kitchen")),
    field(t("printer_connection"), select("connection", [["tcp", t("printer_connection_tcp")], ["device", t("printer_connection_device")]], p?.connection ?? "tcp")),
    field(t("printer_address"), input("address", { value: p?.address ?? "", required: true, placeholder: "192.168.1.50:9100" }), t("printer_address_hint")),
    field(t("printer_paper"), select("paper", [["80", "80 mm"], ["58", "58 mm"]], p?.paper ?? "80")),
    field(t("printer_code_page"), select("code_page", CODE_PAGES, p?.code_page ?? "pc858"), t("printer_code_page_hint")),
    formError(),
    h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))));
  onSubmit(form, async (v) => {
    const body = {
      name: v.name ?? "",
      role: v.role as S["PrinterRole"],
      connection: v.connection as S["Connection"],
      address: v.address ?? "",
      paper: v.paper as S["Paper"],
      code_page: v.code_page as S["CodePage"],
    };
    if (p) await api.put("/api/v1/printers/{id}", { path: { id: p.id }, body });
    else await api.post("/api/v1/printers", { body });
    d.close();
    toast(() => t("saved"));
    done();
  });
  const d = dialog(p ? p.name : t("printer_new"), form);
}

/** The Settings section; `cleanup` stops following the print events. */
export function printersSection(): { el: HTMLElement; cleanup: () => void } {
  const manage = can("settings:write");
  const body = h("div", null, loading());
  const el = h("section", { class: "card", id: "impresoras", "aria-labelledby": "printers-title" },
    h("h2", { id: "printers-title" }, t("printers")),
    h("p", { class: "hint" }, t("printers_intro")),
    body,
    manage ? h("div", { class: "actions" }, h("button", { class: "btn", type: "button", id: "printer-add", onclick: () => printerForm(null, fetch) }, `+ ${t("printer_new")}`)) : null);
  const remove = async (p: S["PrinterRecord"]) => {
    if (!(await confirmAction(t("printer_remove"), t("printer_remove_text", { name: p.name, count: p.queued }), t("printer_remove")))) return;
    await api.del("/api/v1/printers/{id}", { path: { id: p.id } });
    toast(() => t("saved"));
    fetch();
  };
  const show = (printers: S["PrinterRecord"][]) =>
    mount(body, printers.length === 0 ? empty(t("printers_none")) : h("ul", { class: "list", id: "printer-list" },
      printers.map((p) => h("li", { class: "row wrap", dataset: { role: p.role } },
        h("span", { class: "grow printer-info" },
          h("strong", null, p.name), " · ", t(`printer_role_${p.role}` as Key),
          h("br"),
          h("small", { class: "muted" }, `${p.connection === "tcp" ? t("printer_connection_tcp") : t("printer_connection_device")} · ${p.address} · ${p.paper} mm`),
          p.last_error ? [h("br"), h("small", { class: "field-error", role: "status" }, printError(p.last_error))] : null),
        printerState(p),
        p.queued > 0 ? h("span", { class: "chip warn" }, t("printer_queued", { count: p.queued })) : null,
        manage ? h("span", { class: "actions" },
          h("button", { class: "btn", type: "button", onclick: () => printerForm(p, fetch) }, t("edit")),
          h("button", { class: "btn ghost", type: "button", onclick: () => void remove(p) }, t("printer_remove"))) : null))));
  const fetch = () => {
    api.get("/api/v1/printers").then(show).catch((error) => mount(body, failure(error, fetch)));
  };
  fetch();
  const off = subscribe((type) => {
    if (type === "print.updated") fetch();
  });
  return { el, cleanup: off };
}
