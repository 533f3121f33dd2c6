// Sucursales: the business's locations. The owner adds one (within the plan), renames it,
// changes its address or its path, closes and reopens it, makes a link code for its
// counter, copies a menu into it from another location, and takes its widget snippet and
// page link. A second route compares the locations side by side for a period.

import { ApiError, cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { addDays, clp, dateTime, localDate } from "../../lib/format";
import { lang, t } from "../../lib/i18n";
import { navigate } from "../../lib/router";
import { confirmAction, dialog, failure, field, formError, input, load, onSubmit, pageHeader, select, toast } from "../../lib/ui";
import { d } from "../i18n";
import { embedSnippet, locationPage } from "../logic";
import { can } from "../session";
import { copyText, newCode } from "./devices";
import { forgetLocations } from "./filters";

type Location = CS["LocationView"];

export function renderLocations(root: HTMLElement): void {
  const body = h("div");
  const refresh = () =>
    load(body, () => Promise.all([cloud.get("/api/v1/locations"), cloud.get("/api/v1/tenant")]), ([locations, tenant]) => {
      mount(body, h("div", { class: "location-list" }, locations.map((l) => card(l, locations, tenant.slug, refresh))));
    });
  const changed = () => {
    forgetLocations();
    void refresh();
  };
  mount(
    root,
    pageHeader(
      d("nav_locations"),
      h("a", { class: "btn", href: "/dashboard/locations/compare", "data-compare": "" }, d("compare_locations")),
      can("settings:write") ? h("button", { class: "btn primary", type: "button", "data-add-location": "", onclick: () => edit(null, changed) }, d("add_location")) : null,
    ),
    h("p", { class: "muted" }, d("locations_lead")),
    body,
  );
  void refresh();
}

function card(location: Location, all: Location[], tenantSlug: string, refresh: () => void): HTMLElement {
  const write = can("settings:write");
  const snippet = embedSnippet(window.location.origin, tenantSlug, location.slug);
  const page = locationPage(window.location.origin, tenantSlug, location.slug);
  const others = all.filter((l) => l.id !== location.id);
  return h(
    "section",
    { class: `card location-card${location.closed ? " closed" : ""}`, dataset: { location: location.id, slug: location.slug } },
    h(
      "header",
      { class: "row wrap" },
      h("h2", { class: "grow" }, location.name, " ", h("span", { class: location.closed ? "badge bad" : "badge p-paid" }, location.closed ? d("location_closed") : d("location_open"))),
    ),
    h(
      "dl",
      { class: "facts" },
      h("dt", null, d("address")),
      h("dd", null, location.address ?? h("span", { class: "muted" }, d("no_address"))),
      h("dt", null, d("location_slug")),
      h("dd", null, h("code", null, location.slug)),
      h("dt", null, d("nav_devices")),
      h("dd", null, String(location.active_devices)),
      location.closed && location.closed_at ? [h("dt", null, d("closed_since")), h("dd", null, dateTime(location.closed_at, lang()))] : null,
    ),
    h(
      "div",
      { class: "actions wrap" },
      write ? h("button", { class: "btn", type: "button", "data-edit": "", onclick: () => edit(location, refresh) }, d("edit_location")) : null,
      write && !location.closed ? h("button", { class: "btn", type: "button", "data-new-code": "", onclick: () => void newCode(location) }, d("new_code")) : null,
      can("menu:write") && others.length > 0 && !location.closed
        ? h("button", { class: "btn", type: "button", "data-copy-menu": "", onclick: () => copyMenu(location, others) }, d("copy_menu"))
        : null,
      write
        ? location.closed
          ? h("button", { class: "btn", type: "button", "data-reopen": "", onclick: () => void setClosed(location, false, refresh) }, d("reopen_location"))
          : h("button", { class: "btn danger", type: "button", "data-close": "", onclick: () => void setClosed(location, true, refresh) }, d("close_location"))
        : null,
    ),
    h(
      "details",
      { class: "location-widget" },
      h("summary", null, d("location_widget")),
      h("p", { class: "muted small" }, d("location_widget_hint")),
      copyRow(d("location_page"), page, "page"),
      copyRow(d("snippet"), snippet, "snippet"),
    ),
  );
}

function copyRow(label: string, text: string, name: string): HTMLElement {
  const id = `copy-${name}-${Math.random().toString(36).slice(2, 8)}`;
  return h(
    "div",
    { class: "copy-row", dataset: { copy: name } },
    h("label", { for: id }, label),
    h("input", { id, class: "snippet", readonly: true, value: text, onfocus: (e: Event) => (e.target as HTMLInputElement).select() }),
    h("button", { class: "btn", type: "button", onclick: () => void copyText(text) }, d("copy")),
  );
}

/** The add (`location` null) or edit dialog. */
function edit(location: Location | null, refresh: () => void): void {
  const form = h(
    "form",
    { class: "form", novalidate: true },
    formError(),
    field(d("name"), input("name", { required: true, maxlength: 80, autocomplete: "off", value: location?.name ?? "" })),
    field(d("address"), input("address", { maxlength: 200, autocomplete: "street-address", value: location?.address ?? "" })),
    field(d("location_slug"), input("slug", { maxlength: 40, autocomplete: "off", pattern: "[a-z0-9]([a-z0-9-]*[a-z0-9])?", value: location?.slug ?? "" }), location ? d("slug_change_hint") : d("slug_hint")),
    h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, location ? t("save") : d("add_location"))),
  );
  const dlg = dialog(location ? `${d("edit_location")} — ${location.name}` : d("add_location"), form);
  onSubmit(form, async (v) => {
    const slug = (v.slug ?? "").trim();
    if (location) {
      await cloud.patch("/api/v1/locations/{id}", {
        path: { id: location.id },
        body: { name: v.name ?? "", address: v.address ?? "", slug: slug && slug !== location.slug ? slug : undefined },
      });
      toast(() => t("saved"));
    } else {
      await cloud.post("/api/v1/locations", { body: { name: v.name ?? "", address: v.address || undefined, slug: slug || undefined } });
      toast(() => d("location_added"));
    }
    dlg.close();
    refresh();
  });
}

async function setClosed(location: Location, closed: boolean, refresh: () => void): Promise<void> {
  if (closed && !(await confirmAction(d("close_title", { name: location.name }), d("close_text"), d("close_location")))) return;
  try {
    if (closed) await cloud.post("/api/v1/locations/{id}/close", { path: { id: location.id } });
    else await cloud.post("/api/v1/locations/{id}/reopen", { path: { id: location.id } });
    toast(() => (closed ? d("location_closed_toast") : d("location_reopened_toast")));
  } catch (error) {
    toast(error instanceof ApiError ? error.message : (failure(error).textContent ?? ""), "error");
  }
  refresh();
}

function copyMenu(target: Location, others: Location[]): void {
  const form = h(
    "form",
    { class: "form", novalidate: true },
    formError(),
    h("p", null, d("copy_menu_text", { name: target.name })),
    field(d("copy_from"), select("from", others.map((l) => [l.id, l.name] as [string, string]), others[0]?.id)),
    h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, d("copy_menu"))),
  );
  const dlg = dialog(`${d("copy_menu")} — ${target.name}`, form);
  onSubmit(form, async (v) => {
    const report = await cloud.post("/api/v1/locations/{id}/menu-copies", { path: { id: target.id }, body: { from: v.from ?? "" } });
    dlg.close();
    toast(() => d("menu_copied", { items: report.items, categories: report.categories, kept: report.already_copied }));
  });
}

// ---- comparison ------------------------------------------------------------------------

export function renderCompare(root: HTMLElement): void {
  const q = new URLSearchParams(location.search);
  const to = q.get("to") || localDate();
  const from = q.get("from") || addDays(to, -29);
  const body = h("div");
  const form = h(
    "form",
    { class: "row wrap filters", role: "search" },
    field(d("from"), input("from", { type: "date", value: from, required: true })),
    field(d("to"), input("to", { type: "date", value: to, required: true })),
    h("button", { class: "btn", type: "submit" }, d("show")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(form);
    navigate(`${location.pathname}?from=${String(data.get("from") ?? "")}&to=${String(data.get("to") ?? "")}`);
  });
  mount(root, pageHeader(d("compare_locations"), h("a", { class: "btn ghost", href: "/dashboard/locations" }, d("nav_locations"))), form, body);
  void load(body, () => cloud.get("/api/v1/locations/compare", { query: { from, to } }), (comparison) => {
    mount(body, comparisonTable(comparison.locations));
  });
}

function comparisonTable(locations: CS["LocationFigures"][]): HTMLElement {
  const best = Math.max(0, ...locations.map((l) => l.sales));
  return h(
    "div",
    { class: "compare-grid", dataset: { compare: "" } },
    locations.map((l) =>
      h(
        "section",
        { class: "card compare-card", dataset: { location: l.location_id } },
        h("h2", null, l.name),
        h(
          "dl",
          { class: "facts" },
          h("dt", null, d("sales")),
          h("dd", { class: "num", dataset: { stat: "sales" } }, clp(l.sales)),
          h("dt", null, d("orders")),
          h("dd", { class: "num", dataset: { stat: "orders" } }, String(l.orders)),
          h("dt", null, d("average_ticket")),
          h("dd", { class: "num", dataset: { stat: "ticket" } }, clp(l.average_ticket)),
        ),
        h("div", { class: "bar", role: "img", "aria-label": `${d("sales")}: ${clp(l.sales)}` }, h("span", { style: `width:${best > 0 ? Math.round((l.sales / best) * 100) : 0}%` })),
        h("h3", null, d("top_items")),
        l.top_items.length === 0
          ? h("p", { class: "muted" }, d("no_sales"))
          : h("ol", { class: "top-items" }, l.top_items.map((i) => h("li", null, h("span", { class: "grow" }, i.name), h("span", { class: "muted" }, `${i.quantity} · ${clp(i.sales)}`)))),
      ),
    ),
  );
}
