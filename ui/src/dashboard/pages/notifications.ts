// Notificaciones: where the messages the cloud sends the owner by itself go — the weekly
// summary (Mondays 08:00, Santiago) and the alerts (a counter offline for over an hour
// while the location is open; a counter's electronic receipts or tickets stuck for over
// 15 minutes) — each by email, by WhatsApp or not at all, in Spanish or English.

import { cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { field, formError, input, load, onSubmit, pageHeader, select, toast } from "../../lib/ui";
import { t } from "../../lib/i18n";
import { d } from "../i18n";

type Prefs = CS["NoticePrefs"];
type Channel = Prefs["weekly_summary"];

/** The channel choices, in the page's words. */
function channels(): [Channel, string][] {
  return [
    ["email", d("notice_email")],
    ["whatsapp", d("notice_whatsapp")],
    ["off", d("notice_off")],
  ];
}

export function renderNotifications(root: HTMLElement): void {
  const body = h("div");
  mount(root, pageHeader(d("nav_notifications")), h("p", { class: "muted" }, d("notice_lead")), body);
  void load(body, () => cloud.get("/api/v1/notifications"), (prefs) => mount(body, form(prefs)));
}

function form(prefs: Prefs): HTMLElement {
  const el = h(
    "form",
    { class: "form card", id: "notifications-form", novalidate: true },
    formError(),
    field(d("notice_weekly"), select("weekly_summary", channels(), prefs.weekly_summary), d("notice_weekly_hint")),
    field(d("notice_alerts"), select("alerts", channels(), prefs.alerts), d("notice_alerts_hint")),
    field(d("notice_stuck"), select("stuck_alerts", channels(), prefs.stuck_alerts ?? "email"), d("notice_stuck_hint")),
    field(d("notice_whatsapp_to"), input("whatsapp_to", { type: "tel", autocomplete: "tel", placeholder: "+56912345678", value: prefs.whatsapp_to ?? "" }), d("notice_whatsapp_hint")),
    field(
      d("notice_lang"),
      select(
        "lang",
        [
          ["es", d("notice_lang_es")],
          ["en", d("notice_lang_en")],
        ],
        prefs.lang,
      ),
    ),
    h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))),
  );
  onSubmit(el, async (v) => {
    const saved = await cloud.put("/api/v1/notifications", {
      body: {
        weekly_summary: (v.weekly_summary ?? "email") as Channel,
        alerts: (v.alerts ?? "email") as Channel,
        stuck_alerts: (v.stuck_alerts ?? "email") as Channel,
        whatsapp_to: v.whatsapp_to?.trim() ? v.whatsapp_to.trim() : null,
        lang: v.lang === "en" ? "en" : "es",
      },
    });
    mount(el.parentElement ?? el, form(saved));
    toast(() => d("notice_saved"));
  });
  return el;
}
