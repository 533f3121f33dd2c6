// Widget settings: colours (with a live preview), logo, greetings in both languages,
// position and language, online ordering and what to do while the restaurant is offline,
// online bookings, the websites allowed to show it, and the <script> line to paste.
// Shapes as in the cloud's widget-settings contract (GET/PUT /api/v1/widget-settings).

import { ApiError, cloud, type CS } from "../../api/cloud-client";
import { h, mount, s } from "../../lib/dom";
import { t } from "../../lib/i18n";
import { failure, field, formError, input, load, pageHeader, select, showErrors, toast } from "../../lib/ui";
import { d, type DKey } from "../i18n";
import { checkOrigins, embedSnippet, isHexColor, textOn } from "../logic";
import { can } from "../session";
import { mercadoPagoCard } from "./payments";

/** The owners' view of the widget's settings (`GET/PUT /api/v1/widget-settings`). */
export type WidgetSettings = CS["WidgetSettings"];

export function renderWidget(root: HTMLElement): void {
  const body = h("div");
  mount(root, pageHeader(d("nav_widget")), h("p", { class: "muted" }, d("widget_lead")), body);
  void load(
    body,
    () => Promise.all([cloud.get("/api/v1/tenant"), cloud.get("/api/v1/widget-settings").catch(unavailable)]),
    ([tenant, settings]) => {
      // With no allowed site the pasted snippet shows nothing anywhere (the browser blocks
      // it): say so beside the snippet, until a site is saved.
      const noSites = h("p", { class: "callout warn", role: "status", "data-origins-empty": "" }, d("origins_empty"));
      noSites.hidden = !settings || settings.allowed_origins.length > 0;
      const snippet = snippetBox(embedSnippet(location.origin, tenant.slug), noSites);
      if (!settings) return mount(body, h("p", { class: "state empty" }, d("widget_unavailable")), snippet);
      mount(body, settingsForm(settings, (saved) => (noSites.hidden = saved.allowed_origins.length > 0)), mercadoPagoCard(), snippet);
    },
  );
}

// A cloud older than the widget-settings routes still gives the snippet.
function unavailable(error: unknown): null {
  if (error instanceof ApiError && error.status === 404) return null;
  throw error;
}

function colorField(name: string, label: string, value: string, editable: boolean): HTMLElement {
  const text = input(name, { value, maxlength: 7, pattern: "#[0-9a-fA-F]{6}", disabled: !editable, spellcheck: "false" });
  const picker = h("input", { type: "color", value: isHexColor(value) ? value : "#000000", "aria-label": label, tabindex: "-1", disabled: !editable, class: "swatch" });
  picker.addEventListener("input", () => {
    text.value = picker.value;
    text.dispatchEvent(new Event("input", { bubbles: true }));
  });
  text.addEventListener("input", () => {
    if (isHexColor(text.value)) picker.value = text.value.toLowerCase();
  });
  const wrapper = field(label, text);
  const line = h("div", { class: "row color-line" });
  text.replaceWith(line);
  line.append(text, picker);
  return wrapper;
}

function check(name: string, label: string, checked: boolean, editable: boolean): HTMLElement {
  return h("div", { class: "field", dataset: { field: name } }, h("label", { class: "check" }, h("input", { type: "checkbox", name, checked, disabled: !editable }), label), h("small", { class: "field-error", "aria-live": "polite" }));
}

function settingsForm(settings: WidgetSettings, onSaved: (saved: WidgetSettings) => void): HTMLElement {
  // The widget is the menu's shop window: its settings follow the menu's permissions.
  const editable = can("menu:write");
  const a = settings.appearance;
  const origins = h("textarea", { name: "allowed_origins", rows: 4, spellcheck: "false", disabled: !editable, "aria-describedby": "origins-hint" }, settings.allowed_origins.join("\n"));
  const preview = h("div", { class: "widget-preview", "aria-label": d("preview"), role: "img" });
  const form = h(
    "form",
    { class: "form widget-form", novalidate: true },
    formError(),
    h(
      "fieldset",
      { class: "group" },
      h("legend", null, d("appearance")),
      h("div", { class: "row wrap" }, colorField("appearance.primary_color", d("primary_color"), a.primary_color, editable), colorField("appearance.accent_color", d("accent_color"), a.accent_color, editable)),
      field(d("logo_url"), input("appearance.logo_url", { type: "url", value: a.logo_url ?? "", placeholder: "https://", disabled: !editable }), d("logo_hint")),
      h("div", { class: "row wrap" }, field(d("greeting_es"), input("appearance.greeting.es", { value: a.greeting.es, maxlength: 200, disabled: !editable })), field(d("greeting_en"), input("appearance.greeting.en", { value: a.greeting.en, maxlength: 200, disabled: !editable }))),
      h(
        "div",
        { class: "row wrap" },
        field(d("position"), select("appearance.position", [["right", d("position_right")], ["left", d("position_left")]], a.position, { disabled: !editable })),
        field(d("widget_language"), select("appearance.language", [["auto", d("language_auto")], ["es", "Español"], ["en", "English"]], a.language, { disabled: !editable })),
      ),
      h("div", { class: "preview-box" }, h("h3", null, d("preview")), preview),
    ),
    h(
      "fieldset",
      { class: "group" },
      h("legend", null, d("ordering")),
      check("ordering.online_orders", d("online_orders"), settings.ordering.online_orders, editable),
      field(d("offline_policy"), select("ordering.offline_policy", [["wait", d("policy_wait")], ["refuse", d("policy_refuse")]], settings.ordering.offline_policy, { disabled: !editable })),
      field(d("prep_minutes"), input("ordering.prep_minutes", { type: "number", min: 1, max: 600, value: settings.ordering.prep_minutes, disabled: !editable }), d("prep_minutes_hint")),
      field(d("payment_options"), select("ordering.payment", [["at_pickup", d("pay_at_pickup")], ["online", d("pay_online")], ["both", d("pay_both")]], settings.ordering.payment ?? "at_pickup", { disabled: !editable }), d("payment_options_hint")),
    ),
    h(
      "fieldset",
      { class: "group" },
      h("legend", null, d("bookings")),
      check("bookings.enabled", d("bookings_enabled"), settings.bookings.enabled, editable),
      h(
        "div",
        { class: "row wrap" },
        field(d("max_party_size"), input("bookings.max_party_size", { type: "number", min: 1, max: 100, value: settings.bookings.max_party_size, disabled: !editable })),
        field(d("quota"), input("bookings.online_quota_per_slot", { type: "number", min: 0, max: 1000, value: settings.bookings.online_quota_per_slot, disabled: !editable }), d("quota_hint")),
      ),
    ),
    h(
      "fieldset",
      { class: "group" },
      h("legend", null, d("budgets")),
      h("p", { class: "hint" }, d("budgets_hint")),
      h(
        "div",
        { class: "row wrap" },
        ...(
          [
            ["orders_per_hour", 10000],
            ["bookings_per_hour", 10000],
            ["chat_turns_per_hour", 10000],
            ["pending_orders_per_phone", 50],
          ] as const
        ).map(([name, max]) => field(d(name), input(`budgets.${name}`, { type: "number", min: 1, max, value: settings.budgets[name], disabled: !editable }))),
      ),
    ),
    h(
      "fieldset",
      { class: "group" },
      h("legend", null, d("origins")),
      h("div", { class: "field", dataset: { field: "allowed_origins" } }, h("label", { for: "allowed-origins" }, d("origins")), origins, h("small", { class: "hint", id: "origins-hint" }, d("origins_hint")), h("small", { class: "field-error", "aria-live": "polite" })),
    ),
    editable ? h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))) : null,
  );
  origins.id = "allowed-origins";
  const drawPreview = () => mount(preview, previewOf(readForm(form)));
  form.addEventListener("input", drawPreview);
  drawPreview();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const next = readForm(form);
    const local = localProblems(next, origins.value);
    if (local) return showErrors(form, local);
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true;
    try {
      const saved = await cloud.put("/api/v1/widget-settings", { body: next });
      showErrors(form, null);
      origins.value = saved.allowed_origins.join("\n");
      onSaved(saved);
      toast(() => d("settings_saved"));
    } catch (error) {
      showErrors(form, error);
      if (!(error instanceof ApiError)) toast(failure(error).textContent ?? "", "error");
    } finally {
      if (button) button.disabled = false;
    }
  });
  return form;
}

function readForm(form: HTMLFormElement): WidgetSettings {
  const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null)?.value ?? "";
  const checked = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.checked ?? false;
  const logo = value("appearance.logo_url").trim();
  return {
    appearance: {
      primary_color: value("appearance.primary_color").trim(),
      accent_color: value("appearance.accent_color").trim(),
      logo_url: logo === "" ? null : logo,
      greeting: { es: value("appearance.greeting.es"), en: value("appearance.greeting.en") },
      position: value("appearance.position") === "left" ? "left" : "right",
      language: (["auto", "es", "en"].includes(value("appearance.language")) ? value("appearance.language") : "auto") as WidgetSettings["appearance"]["language"],
    },
    ordering: {
      online_orders: checked("ordering.online_orders"),
      offline_policy: value("ordering.offline_policy") === "refuse" ? "refuse" : "wait",
      prep_minutes: Number(value("ordering.prep_minutes")),
      payment: (["online", "both"].includes(value("ordering.payment")) ? value("ordering.payment") : "at_pickup") as WidgetSettings["ordering"]["payment"],
    },
    bookings: {
      enabled: checked("bookings.enabled"),
      max_party_size: Number(value("bookings.max_party_size")),
      online_quota_per_slot: Number(value("bookings.online_quota_per_slot")),
    },
    budgets: {
      orders_per_hour: Number(value("budgets.orders_per_hour")),
      bookings_per_hour: Number(value("budgets.bookings_per_hour")),
      chat_turns_per_hour: Number(value("budgets.chat_turns_per_hour")),
      pending_orders_per_phone: Number(value("budgets.pending_orders_per_phone")),
    },
    allowed_origins: checkOrigins(value("allowed_origins").split("\n")).origins,
  };
}

/** What the page can tell before asking the cloud: colours and the origin list. */
function localProblems(next: WidgetSettings, originsText: string): ApiError | null {
  const fields: Record<string, string> = {};
  if (!isHexColor(next.appearance.primary_color)) fields["appearance.primary_color"] = d("color_invalid");
  if (!isHexColor(next.appearance.accent_color)) fields["appearance.accent_color"] = d("color_invalid");
  const { problems } = checkOrigins(originsText.split("\n"));
  if (problems.size > 0) {
    fields.allowed_origins = [...problems].map(([index, problem]) => d("origin_line", { n: index + 1, problem: d(`origin_${problem}` as DKey) })).join(" · ");
  }
  return Object.keys(fields).length ? new ApiError(422, "validation", Object.values(fields)[0]!, fields) : null;
}

function previewOf(w: WidgetSettings): HTMLElement {
  const primary = isHexColor(w.appearance.primary_color) ? w.appearance.primary_color : "#888888";
  const accent = isHexColor(w.appearance.accent_color) ? w.appearance.accent_color : "#888888";
  const greeting = w.appearance.language === "en" ? w.appearance.greeting.en : w.appearance.greeting.es;
  return h(
    "div",
    { class: `preview-frame ${w.appearance.position}` },
    h(
      "div",
      { class: "preview-panel", style: `border-color:${primary}` },
      h(
        "div",
        { class: "preview-head", style: `background:${primary};color:${textOn(primary)}` },
        // Only what the widget would show: an https logo (the cloud refuses any other).
        w.appearance.logo_url?.startsWith("https://") ? h("img", { src: w.appearance.logo_url, alt: "", width: 28, height: 28 }) : null,
        h("span", null, greeting || "…"),
      ),
      h("div", { class: "preview-body" }, h("span", { class: "preview-chip", style: `background:${accent};color:${textOn(accent)}` }, d("preview_button"))),
    ),
    h("div", { class: "preview-bubble", style: `background:${primary};color:${textOn(primary)}` }, bubbleIcon()),
  );
}

// A speech bubble drawn in SVG (an emoji would depend on the fonts installed).
function bubbleIcon(): SVGElement {
  return s("svg", { viewBox: "0 0 24 24", width: 24, height: 24, "aria-hidden": "true" }, s("path", { d: "M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z", fill: "currentColor" }));
}

function snippetBox(code: string, warning: HTMLElement): HTMLElement {
  const area = h("textarea", { readonly: true, rows: 2, class: "snippet", id: "widget-snippet", spellcheck: "false" }, code);
  return h(
    "section",
    { class: "card snippet-box" },
    h("h2", null, d("snippet")),
    h("p", { class: "muted" }, d("snippet_hint")),
    warning,
    h("label", { class: "visually-hidden", for: "widget-snippet" }, d("snippet")),
    area,
    h(
      "div",
      { class: "actions" },
      h("button", {
        class: "btn",
        type: "button",
        onclick: async () => {
          area.select();
          try {
            await navigator.clipboard.writeText(code);
            toast(() => d("copied"));
          } catch {
            /* the text stays selected for Ctrl+C */
          }
        },
      }, d("copy")),
    ),
  );
}
