// WhatsApp: each location may link one WhatsApp Business number (Meta's Cloud API). The
// owner enters Meta's ids and secrets once; the secrets are never shown again (only the
// access token's last four characters), and the page shows the webhook URL to paste into
// Meta's app dashboard with the verify token they chose.

import { cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { dateTime } from "../../lib/format";
import { lang } from "../../lib/i18n";
import { confirmAction, failure, field, formError, input, load, onSubmit, pageHeader, toast } from "../../lib/ui";
import { d } from "../i18n";
import { can } from "../session";

export function renderWhatsApp(root: HTMLElement): void {
  const body = h("div");
  mount(root, pageHeader(d("nav_whatsapp")), h("p", { class: "muted" }, d("wa_lead")), body);
  const refresh = () =>
    load(
      body,
      async () => {
        const locations = await cloud.get("/api/v1/locations");
        const links = await Promise.all(locations.map((l) => cloud.get("/api/v1/locations/{id}/whatsapp", { path: { id: l.id } })));
        return locations.map((location, i) => ({ location, link: links[i]?.link ?? null }));
      },
      (rows) => mount(body, rows.map(({ location, link }) => locationCard(location, link, refresh))),
    );
  void refresh();
}

function locationCard(location: CS["LocationView"], link: CS["WhatsAppLinkView"] | null, refresh: () => void): HTMLElement {
  return h(
    "section",
    { class: "card", dataset: { whatsappLocation: location.id } },
    h("header", { class: "row wrap" }, h("h2", { class: "grow" }, location.name), h("span", { class: link ? "badge ok" : "badge" }, link ? d("wa_linked") : d("wa_not_linked"))),
    link ? linkedView(location, link, refresh) : can("settings:write") ? linkForm(location, refresh) : h("p", { class: "muted" }, d("wa_not_linked")),
  );
}

function linkedView(location: CS["LocationView"], link: CS["WhatsAppLinkView"], refresh: () => void): HTMLElement {
  const row = (label: string, value: string, attrs: Record<string, unknown> = {}) => h("div", null, h("dt", null, label), h("dd", attrs, value));
  return h(
    "div",
    { class: "form" },
    h(
      "dl",
      { class: "facts" },
      row(d("wa_phone_number_id"), link.phone_number_id),
      row(d("wa_waba_id"), link.waba_id),
      row(d("wa_template"), link.template_name),
      row(d("wa_token"), `…${link.access_token_hint}`),
      row(d("wa_webhook_url"), link.webhook_url, { class: "copyable-url", "data-webhook-url": "" }),
      row(d("wa_linked_at"), dateTime(link.linked_at, lang())),
    ),
    h("p", { class: "muted" }, d("wa_webhook_hint")),
    can("settings:write")
      ? h(
          "div",
          { class: "actions" },
          h("button", { class: "btn danger", type: "button", "data-unlink": "", onclick: () => void unlink(location, refresh) }, d("wa_unlink")),
        )
      : null,
  );
}

function linkForm(location: CS["LocationView"], refresh: () => void): HTMLElement {
  const form = h(
    "form",
    { class: "form", novalidate: true, "data-link-form": "" },
    formError(),
    field(d("wa_phone_number_id"), input("phone_number_id", { inputmode: "numeric", required: true, autocomplete: "off" })),
    field(d("wa_waba_id"), input("waba_id", { inputmode: "numeric", required: true, autocomplete: "off" })),
    field(d("wa_token"), input("access_token", { type: "password", required: true, autocomplete: "off" }), d("wa_secret_hint")),
    field(d("wa_app_secret"), input("app_secret", { type: "password", required: true, autocomplete: "off" }), d("wa_secret_hint")),
    field(d("wa_verify_token"), input("verify_token", { required: true, minlength: 8, autocomplete: "off" }), d("wa_verify_hint")),
    field(d("wa_template"), input("template_name", { autocomplete: "off" }), d("wa_template_hint")),
    h("button", { class: "btn primary", type: "submit" }, d("wa_link")),
  );
  onSubmit(form, async (v) => {
    await cloud.put("/api/v1/locations/{id}/whatsapp", {
      path: { id: location.id },
      body: {
        phone_number_id: v.phone_number_id ?? "",
        waba_id: v.waba_id ?? "",
        access_token: v.access_token ?? "",
        app_secret: v.app_secret ?? "",
        verify_token: v.verify_token ?? "",
        template_name: v.template_name || null,
      },
    });
    toast(() => d("wa_linked_toast"));
    refresh();
  });
  return form;
}

async function unlink(location: CS["LocationView"], refresh: () => void): Promise<void> {
  if (!(await confirmAction(d("wa_unlink_title", { name: location.name }), d("wa_unlink_text"), d("wa_unlink")))) return;
  try {
    await cloud.del("/api/v1/locations/{id}/whatsapp", { path: { id: location.id } });
    toast(() => d("wa_unlinked_toast"));
    refresh();
  } catch (error) {
    toast(failure(error).textContent ?? "", "error");
  }
}
