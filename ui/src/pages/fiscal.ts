// Boletas electrónicas: the card in Ajustes (turn them on, the Bsale branch, the access
// token kept on this counter) and the "Documentos tributarios" tab of Cierre (what is
// pending, issued or refused, with Bsale's words, and a retry for a refused one).

import { api, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { clp, dateTime } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import { can } from "../lib/session";
import { empty, field, formError, input, load, loading, onSubmit, toast, failure } from "../lib/ui";

type Doc = S["FiscalDocument"];

/** The Ajustes card; `settings` are the restaurant's. */
export function fiscalSettingsCard(settings: S["RestaurantSettings"]): HTMLElement {
  const write = can("settings:write");
  const status = h("p", { class: "status", id: "fiscal-token-status" }, loading());
  const refresh = () => api.get("/api/v1/fiscal").then((o) => mount(status,
    h("span", { class: `chip ${o.has_token ? "ok" : "muted"}` }, h("span", { class: "dot" }), t(o.has_token ? "fiscal_token_kept" : "fiscal_token_missing")),
    o.pending > 0 ? h("span", { class: "chip bad" }, t("fiscal_pending_n", { n: o.pending })) : null))
    .catch((error) => mount(status, failure(error)));
  const form = h("form", { class: "form", id: "fiscal-settings" },
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "fiscal_documents_enabled", checked: settings.fiscal_documents_enabled, disabled: !write }), t("fiscal_enabled")),
    field(t("fiscal_office"), input("fiscal_office_id", { type: "number", min: "1", value: settings.fiscal_office_id ?? "", disabled: !write }), t("fiscal_office_hint")),
    formError(),
    write ? h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))) : null);
  onSubmit(form, async (v) => {
    await api.patch("/api/v1/settings", { body: { fiscal_documents_enabled: v.fiscal_documents_enabled === "on", fiscal_office_id: v.fiscal_office_id ? Number(v.fiscal_office_id) : null } as never });
    toast(() => t("saved"));
  });
  const token = h("form", { class: "form", id: "fiscal-token" },
    field(t("fiscal_token"), input("access_token", { type: "password", autocomplete: "off" }), t("fiscal_token_hint")),
    formError(),
    h("div", { class: "actions" },
      h("button", { class: "btn primary", type: "submit" }, t("fiscal_token_save")),
      h("button", { class: "btn", type: "button", onclick: async () => {
        await api.del("/api/v1/fiscal/token");
        toast(() => t("saved"));
        void refresh();
      } }, t("fiscal_token_forget"))));
  onSubmit(token, async (v) => {
    await api.put("/api/v1/fiscal/token", { body: { access_token: v.access_token ?? "" } });
    token.reset();
    toast(() => t("saved"));
    void refresh();
  });
  void refresh();
  return h("section", { class: "card", id: "fiscal-card" }, h("h2", null, t("fiscal_title")),
    h("p", { class: "muted" }, t("fiscal_intro")), form, write ? status : null, write ? token : null);
}

/** The documents of this counter, newest first, into `body`. */
export function showFiscalDocuments(body: HTMLElement): void {
  void load(body, () => Promise.all([api.get("/api/v1/fiscal"), api.get("/api/v1/fiscal/documents", { query: { limit: 100 } })]), ([overview, docs]) => {
    const retry = async (doc: Doc) => {
      try {
        await api.post("/api/v1/fiscal/documents/{id}/retry", { path: { id: doc.id } });
        toast(() => t("fiscal_requeued"));
        showFiscalDocuments(body);
      } catch (error) {
        toast(error instanceof Error ? error.message : t("error_generic"), "error");
      }
    };
    const rows = docs.map((d) => h("tr", { dataset: { status: d.status, kind: d.kind } },
      h("td", null, dateTime(d.created_at, lang())),
      h("td", null, d.order_label),
      h("td", null, tk(`fiscal_kind_${d.kind}`)),
      h("td", { class: "num" }, clp(d.total)),
      h("td", null, h("span", { class: `badge ${d.status === "issued" ? "p-paid" : d.status === "rejected" ? "bad" : ""}` }, tk(`fiscal_status_${d.status}`))),
      h("td", { class: "num" }, d.folio === null || d.folio === undefined ? "—" : String(d.folio)),
      h("td", null, (lang() === "es" ? d.error_es : d.error_en) ?? ""),
      h("td", null, d.status === "rejected"
        ? h("button", { class: "btn", type: "button", onclick: () => void retry(d) }, t("fiscal_retry"))
        : d.url_public_view ? h("a", { href: d.url_public_view, target: "_blank", rel: "noopener" }, t("fiscal_view")) : null)));
    mount(body,
      h("p", { class: "status", id: "fiscal-summary" }, overview.enabled ? t("fiscal_summary", { pending: overview.pending, rejected: overview.rejected }) : t("fiscal_off")),
      docs.length === 0 ? empty(t("fiscal_none")) : h("div", { class: "table-scroll" }, h("table", { class: "table card", id: "fiscal-documents" },
        h("thead", null, h("tr", null, h("th", null, t("fiscal_when")), h("th", null, t("closing_order")), h("th", null, t("fiscal_kind")),
          h("th", { class: "num" }, t("total")), h("th", null, t("closing_state")), h("th", { class: "num" }, t("fiscal_folio")), h("th", null, t("fiscal_note")), h("th", null, ""))),
        h("tbody", null, rows))));
  });
}
