// Settings: my profile and password, the restaurant, opening hours, the cloud link (its
// own section, pages/cloud.ts), backups (admins, pages/backups.ts), integrations (from
// /health), language and theme.

import { api, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { lang, setLang, t, tk, type Key } from "../lib/i18n";
import { currentUser, can } from "../lib/session";
import { field, formError, input, loading, onSubmit, pageHeader, select, toast, failure } from "../lib/ui";
import { assistantWithoutModel, lastHealth } from "../lib/health";
import { setTheme, theme } from "../lib/theme";
import { formatIntervals, parseIntervals } from "../lib/hours";
import { cloudSection } from "./cloud";
import { backupsSection } from "./backups";
import { printersSection } from "./printers";
import { fiscalSettingsCard } from "./fiscal";

const DAYS: [keyof S["OpeningHours"], Key][] = [
  ["monday", "mon"], ["tuesday", "tue"], ["wednesday", "wed"], ["thursday", "thu"], ["friday", "fri"], ["saturday", "sat"], ["sunday", "sun"],
];

/** The hours a business day may start at (the server accepts 0–11: a day starts in the
 * small hours or the morning, `dysa_domain::closing::MAX_CUTOFF_HOUR`). */
const CUTOFF_HOURS = Array.from({ length: 12 }, (_, hour) => hour);

export function renderSettings(root: HTMLElement): () => void {
  const user = currentUser();
  const profile = h("form", { class: "form card" }, h("h2", null, t("profile")),
    h("p", null, `${user?.name ?? ""} · ${user?.email ?? ""} · ${user ? t(`role_${user.role}`) : ""}`),
    h("h3", null, t("change_password")),
    field(t("current_password"), input("current_password", { type: "password", autocomplete: "current-password" })),
    field(t("new_password"), input("new_password", { type: "password", autocomplete: "new-password" }), t("password_hint")),
    formError(), h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("change_password"))));
  onSubmit(profile, async (v) => {
    await api.post("/api/v1/auth/password", { body: { current_password: v.current_password ?? "", new_password: v.new_password ?? "" } });
    profile.reset();
    toast(() => t("saved"));
  });

  const appearance = h("section", { class: "card form" }, h("h2", null, t("appearance")),
    field(t("language"), select("lang", [["es", "Español (Chile)"], ["en", "English"]], lang(), { onchange: (e: Event) => setLang((e.target as HTMLSelectElement).value as "es" | "en") })),
    field(t("theme"), select("theme", [["dark", t("theme_dark")], ["light", t("theme_light")]], theme(), { onchange: (e: Event) => setTheme((e.target as HTMLSelectElement).value as "dark" | "light") })));

  const health = lastHealth();
  // Statuses and details are codes from /health: staff read them in words, never raw.
  const statusText = (c: S["Check"] | undefined) =>
    c?.status === "not_configured" ? t("status_cloud_none") : c?.status === "up" ? t("check_up") : c ? t("check_down") : "…";
  const check = (label: string, c: S["Check"] | undefined) => h("li", { class: "row" }, h("span", { class: "grow" }, label),
    h("span", { class: `chip ${c?.status === "up" ? "ok" : c?.status === "not_configured" ? "muted" : "bad"}` }, h("span", { class: "dot" }), statusText(c)),
    c?.detail && c.status !== "up" ? h("small", { class: "muted" }, ` ${tk(`check_detail_${c.detail}`, "")}`) : null);
  const noModel = assistantWithoutModel(health, t);
  const integrations = h("section", { class: "card" }, h("h2", null, t("integrations")),
    h("ul", { class: "list" }, check(t("database"), health?.checks.database), check(t("assistant"), health?.checks.ollama)),
    noModel ? h("p", { class: "hint", dataset: { test: "assistant-no-model" } }, noModel) : null);

  const restaurant = h("div", null, loading());
  const cloud = cloudSection();
  const backups = can("settings:write") ? backupsSection() : null;
  const printers = can("orders:read") && can("settings:read") ? printersSection() : null;
  const cleanup = () => {
    cloud.cleanup();
    backups?.cleanup();
    printers?.cleanup();
  };
  mount(root, pageHeader(t("nav_settings")), h("div", { class: "grid2" }, profile, appearance), can("settings:read") ? restaurant : null, cloud.el, printers?.el ?? null, backups?.el ?? null, integrations);
  if (!can("settings:read")) return cleanup;
  api.get("/api/v1/settings").then((s) => {
    const write = can("settings:write");
    const form = h("form", { class: "form card" }, h("h2", null, t("restaurant")),
      field(t("name"), input("name", { value: s.name ?? "", disabled: !write })),
      field(t("rut"), input("rut", { value: s.rut ?? "", disabled: !write, placeholder: "76.123.456-7" })),
      field(t("address"), input("address", { value: s.address ?? "", disabled: !write })),
      field(t("phone"), input("phone", { value: s.phone ?? "", disabled: !write })),
      field(t("email"), input("email", { value: s.email ?? "", disabled: !write })),
      h("h3", null, t("opening_hours")), h("small", { class: "hint" }, t("hours_hint")),
      DAYS.map(([day, key]) => h("div", { class: "field", dataset: { field: `opening_hours.${day}` } },
        h("label", null, t(key)), input(`hours_${day}`, { value: formatIntervals(s.opening_hours?.[day]), disabled: !write }), h("small", { class: "field-error" }))),
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "password_required_for_managers", checked: s.password_required_for_managers, disabled: !write }), t("password_required_for_managers")),
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "kitchen_auto_fire", checked: s.kitchen_auto_fire, disabled: !write }), t("kitchen_auto_fire")),
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "manager_pin_for_voids", checked: s.manager_pin_for_voids, disabled: !write }), t("manager_pin_for_voids")),
      field(t("day_cutoff_hour"), select("day_cutoff_hour", CUTOFF_HOURS.map((hour) => [String(hour), `${String(hour).padStart(2, "0")}:00`]), String(s.day_cutoff_hour), { disabled: !write }), t("day_cutoff_hint")),
      formError(),
      write ? h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))) : null);
    onSubmit(form, async (v) => {
      const opening_hours: S["OpeningHours"] = {};
      for (const [day] of DAYS) opening_hours[day] = parseIntervals(v[`hours_${day}`] ?? "");
      await api.patch("/api/v1/settings", { body: { name: v.name, rut: v.rut || null, address: v.address || null, phone: v.phone || null, email: v.email || null, opening_hours, password_required_for_managers: v.password_required_for_managers === "on", kitchen_auto_fire: v.kitchen_auto_fire === "on", manager_pin_for_voids: v.manager_pin_for_voids === "on", ...(v.day_cutoff_hour ? { day_cutoff_hour: Number(v.day_cutoff_hour) } : {}) } as never });
      toast(() => t("saved"));
    });
    mount(restaurant, form, fiscalSettingsCard(s));
  }).catch((error) => mount(restaurant, failure(error)));
  return cleanup;
}
