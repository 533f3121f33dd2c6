// SMS with Twilio: the owner links the restaurant's Twilio account (GET/PUT/DELETE
// /api/v1/sms/twilio) so booking messages and order updates reach diners by SMS. The
// Auth Token is write-only: the cloud answers only whether an account is linked, its
// sender, when, and the incoming-message URL to set on the number (BAJA/STOP, SI/NO).

import { ApiError, cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { dateTime } from "../../lib/format";
import { lang } from "../../lib/i18n";
import { confirmAction, failure, field, formError, input, load, onSubmit, pageHeader, toast } from "../../lib/ui";
import { d } from "../i18n";
import { can } from "../session";

type Status = CS["TwilioLinkStatus"];

export function renderSms(root: HTMLElement): void {
  const body = h("div");
  mount(root, pageHeader(d("sms_title")), h("p", { class: "muted" }, d("sms_lead")), body);
  const refresh = () => load(body, () => cloud.get("/api/v1/sms/twilio"), (status) => mount(body, card(status, refresh)));
  void refresh();
}

function card(status: Status, refresh: () => void): HTMLElement {
  const row = (label: string, value: string, attrs: Record<string, unknown> = {}, wide = false) =>
    h("div", wide ? { class: "wide" } : null, h("dt", null, label), h("dd", attrs, value));
  const facts = h(
    "dl",
    { class: "facts" },
    status.linked && status.sender ? row(d("sms_sender"), status.sender) : null,
    status.linked && status.linked_at ? row(d("sms_linked_at"), dateTime(status.linked_at, lang())) : null,
    // The URL is long: the whole width of the card, not half of it (a narrow column on a phone).
    row(d("sms_inbound_url"), status.inbound_url, { class: "copyable-url", "data-inbound-url": "" }, true),
  );
  return h(
    "section",
    { class: "card", "data-twilio": "" },
    h(
      "header",
      { class: "row wrap" },
      h("h2", { class: "grow" }, "Twilio"),
      h("span", { class: status.linked ? "badge ok" : "badge", role: "status", "data-linked": String(status.linked) }, status.linked ? d("sms_linked") : d("sms_not_linked")),
    ),
    facts,
    h("p", { class: "muted" }, d("sms_inbound_hint")),
    can("settings:write") ? linkForm(status, refresh) : null,
  );
}

function linkForm(status: Status, refresh: () => void): HTMLElement {
  const form = h(
    "form",
    { class: "form", novalidate: true, autocomplete: "off", "data-twilio-form": "" },
    formError(),
    field(d("sms_account_sid"), input("account_sid", { required: true, autocomplete: "off", spellcheck: "false", placeholder: "AC…" })),
    field(d("sms_auth_token"), input("auth_token", { type: "password", required: true, autocomplete: "off", spellcheck: "false" }), d("sms_token_hint")),
    field(d("sms_from_number"), input("from_number", { type: "tel", required: true, autocomplete: "off", placeholder: "+56…" }), d("sms_from_hint")),
    h(
      "div",
      { class: "actions" },
      h("button", { class: "btn primary", type: "submit" }, status.linked ? d("sms_relink") : d("sms_link")),
      status.linked
        ? h("button", { class: "btn danger", type: "button", "data-unlink": "", onclick: () => void unlink(refresh) }, d("sms_unlink"))
        : null,
    ),
  );
  onSubmit(form, async (v) => {
    try {
      await cloud.put("/api/v1/sms/twilio", {
        body: { account_sid: (v.account_sid ?? "").trim(), auth_token: v.auth_token ?? "", from_number: (v.from_number ?? "").trim() || null },
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 503) toast(d("sms_unconfigured"), "error");
      throw error;
    }
    toast(() => d("sms_saved"));
    refresh();
  });
  return form;
}

async function unlink(refresh: () => void): Promise<void> {
  if (!(await confirmAction(d("sms_unlink_title"), d("sms_unlink_text"), d("sms_unlink")))) return;
  try {
    await cloud.del("/api/v1/sms/twilio");
    toast(() => d("sms_removed"));
    refresh();
  } catch (error) {
    toast(failure(error).textContent ?? "", "error");
  }
}
