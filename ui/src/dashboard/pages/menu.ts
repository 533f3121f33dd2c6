// Menu editing: name, price and availability (sold out) of each item, per location. An
// edit is stored in the cloud and reaches the location's counters by sync.

import { ApiError, cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { clp, parseClp } from "../../lib/format";
import { navigate } from "../../lib/router";
import { empty, field, input, load, pageHeader, select, showErrors, toast } from "../../lib/ui";
import { d } from "../i18n";
import { can } from "../session";
import { tenantLocations } from "./filters";

export function renderMenu(root: HTMLElement): void {
  const body = h("div");
  mount(root, pageHeader(d("nav_menu")), h("p", { class: "muted" }, d("menu_lead")), body);
  void load(body, tenantLocations, (locations) => {
    const chosen = new URLSearchParams(location.search).get("location") || locations[0]?.id || "";
    const picker = select("location", locations.map((l) => [l.id, l.name] as [string, string]), chosen, {
      onchange: (e: Event) => navigate(`/dashboard/menu?location=${encodeURIComponent((e.target as HTMLSelectElement).value)}`),
    });
    const list = h("div");
    mount(body, h("div", { class: "row wrap filters" }, field(d("location"), picker)), list);
    if (!chosen) return mount(list, empty(d("no_locations")));
    void load(list, () => cloud.get("/api/v1/menu", { query: { location_id: chosen } }), (menu) => renderItems(list, menu));
  });
}

function renderItems(list: HTMLElement, menu: CS["Menu"]): void {
  if (menu.items.length === 0) return mount(list, empty(d("no_menu")));
  const editable = can("menu:write");
  mount(
    list,
    menu.categories.map((category) => {
      const items = menu.items.filter((i) => i.category_id === category.id);
      if (items.length === 0) return null;
      return h("section", { class: "menu-category" }, h("h2", null, category.name), h("ul", { class: "item-rows" }, items.map((item) => h("li", null, itemForm(item, editable)))));
    }),
  );
}

function itemForm(item: CS["ItemRow"], editable: boolean): HTMLElement {
  const name = input("name", { value: item.name, required: true, maxlength: 120, disabled: !editable });
  const price = input("price", { value: clp(item.price), inputmode: "numeric", disabled: !editable, "aria-describedby": `price-${item.id}` });
  const available = h("input", { type: "checkbox", name: "available", checked: item.available, disabled: !editable });
  const form = h(
    "form",
    { class: "item-row", dataset: { item: item.id }, "aria-label": item.name },
    h("p", { class: "form-error", role: "alert" }),
    h("div", { class: "row wrap" }, field(d("name"), name), field(d("price"), price)),
    h(
      "div",
      { class: "row wrap", dataset: { field: "available" } },
      h("label", { class: "check" }, available, d("available")),
      !item.available ? h("span", { class: "chip bad" }, d("sold_out")) : null,
      h("small", { class: "field-error", "aria-live": "polite" }),
      editable ? h("button", { class: "btn primary", type: "submit", "aria-label": d("save_item", { name: item.name }) }, d("save_item", { name: "" }).trim()) : null,
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const pesos = parseClp(price.value);
    if (pesos === null) {
      showErrors(form, new ApiError(422, "validation", d("price_invalid"), { price: d("price_invalid") }));
      return;
    }
    const changes: CS["ItemChanges"] = {};
    if (name.value.trim() !== item.name) changes.name = name.value.trim();
    if (pesos !== item.price) changes.price = pesos;
    if (available.checked !== item.available) changes.available = available.checked;
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true;
    try {
      const saved = await cloud.patch("/api/v1/menu/items/{id}", { path: { id: item.id }, body: changes });
      showErrors(form, null);
      toast(() => d("item_saved"));
      const fresh = itemForm(saved, editable);
      form.replaceWith(fresh);
      fresh.querySelector<HTMLElement>("button[type=submit]")?.focus();
    } catch (error) {
      showErrors(form, error);
    } finally {
      if (button) button.disabled = false;
    }
  });
  return form;
}
