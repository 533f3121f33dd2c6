// The owner links the restaurant's Mercado Pago account (GET/PUT/DELETE
// /api/v1/payments/mercado-pago). The credentials are write-only: the cloud answers only
// whether an account is linked, when, and the notification URL to paste in Mercado Pago.

import { ApiError, cloud, type CS } from "../../api/cloud-client";
import { dateTime } from "../../lib/format";
import { h, mount } from "../../lib/dom";
import { lang } from "../../lib/i18n";
import { confirmAction, field, formError, input, onSubmit, toast } from "../../lib/ui";
import { d } from "../i18n";
import { can } from "../session";

type LinkStatus = CS["LinkStatus"];

/** The card of the widget page that links, shows and unlinks the account. */
export function mercadoPagoCard(): HTMLElement {
  const card = h("section", { class: "card", "data-mercado-pago": "" });
  const draw = (status: LinkStatus | null) => mount(card, ...content(status, draw));
  draw(null);
  cloud.get("/api/v1/payments/mercado-pago").then(draw, () => mount(card, h("h2", null, d("mp_title")), h("p", { class: "muted" }, d("mp_unconfigured"))));
  return card;
}

function content(status: LinkStatus | null, redraw: (s: LinkStatus) => void): HTMLElement[] {
  const head = [h("h2", null, d("mp_title")), h("p", { class: "muted" }, d("mp_lead"))];
  if (!status) return head;
  const state = status.linked && status.linked_at ? d("mp_linked", { when: dateTime(status.linked_at, lang()) }) : d("mp_not_linked");
  const url = h("input", { readonly: true, value: status.notification_url, spellcheck: "false", "aria-label": d("mp_notification_url") });
  const parts: HTMLElement[] = [...head, h("p", { role: "status", "data-linked": String(status.linked) }, state), field(d("mp_notification_url"), url)];
  if (!can("settings:write")) return parts;
  const form = h(
    "form",
    { class: "form", novalidate: true, autocomplete: "off" },
    formError(),
    field(d("mp_access_token"), input("access_token", { type: "password", required: true, autocomplete: "off", spellcheck: "false" })),
    field(d("mp_webhook_secret"), input("webhook_secret", { type: "password", required: true, autocomplete: "off", spellcheck: "false" }), d("mp_secret_hint")),
    h(
      "div",
      { class: "actions" },
      h("button", { class: "btn primary", type: "submit" }, status.linked ? d("mp_relink") : d("mp_link")),
      status.linked
        ? h("button", {
            class: "btn danger",
            type: "button",
            onclick: async () => {
              if (!(await confirmAction(d("mp_unlink"), d("payment_options_hint"), d("mp_unlink")))) return;
              await cloud.del("/api/v1/payments/mercado-pago");
              toast(() => d("mp_removed"));
              redraw({ ...status, linked: false, linked_at: null });
            },
          }, d("mp_unlink"))
        : null,
    ),
  );
  onSubmit(form, async (v) => {
    try {
      const saved = await cloud.put("/api/v1/payments/mercado-pago", { body: { access_token: v.access_token ?? "", webhook_secret: v.webhook_secret ?? "" } });
      toast(() => d("mp_saved"));
      redraw(saved);
    } catch (error) {
      if (error instanceof ApiError && error.status === 503) toast(d("mp_unconfigured"), "error");
      throw error;
    }
  });
  return [...parts, form];
}
