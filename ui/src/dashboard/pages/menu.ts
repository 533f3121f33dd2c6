// The menu editor: one location's categories as tabs, a search, and each item as one row
// whose price and availability save as they change (no per-item "Guardar"). A row opens
// the item's editor (name, description, category, price, modifier groups); new items and
// categories are added from the toolbar. Every edit is stored in the cloud and reaches
// the location's counters by sync.

import { ApiError, cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { clp, parseClp } from "../../lib/format";
import { t } from "../../lib/i18n";
import { navigate } from "../../lib/router";
import { photoField, thumb } from "../../lib/photo-field";
import { dialog, empty, field, formError, input, load, pageHeader, select, showErrors, toast } from "../../lib/ui";
import { d } from "../i18n";
import { filterItems } from "../logic";
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
    const refresh = () => load(list, () => cloud.get("/api/v1/menu", { query: { location_id: chosen } }), (menu) => editor(list, chosen, menu, refresh));
    void refresh();
  });
}

/** Where the cloud serves the tenant's menu photo to a signed-in browser (`thumb`: 200 px). */
function mediaUrl(hash: string, thumb = false): string {
  return `/api/v1/media/${hash}${thumb ? "-thumb" : ""}.jpg`;
}

/** A modifier group's rule in words ("Obligatorio, elige 1"), never "1–1". */
function groupRule(min: number, max: number): string {
  if (min === 0) return d("group_optional", { n: max });
  if (min >= max) return d("group_required", { n: min });
  return d("group_range", { min, max });
}

function editor(list: HTMLElement, locationId: string, menu: CS["Menu"], refresh: () => void): void {
  const editable = can("menu:write");
  let category = "";
  let query = "";
  const rows = h("div", { class: "menu-rows" });
  const tabs = h("div", { class: "tabs menu-tabs", role: "tablist", "aria-label": d("categories") });
  const search = input("q", { type: "search", placeholder: d("search_items"), "aria-label": d("search_items"), autocomplete: "off" });
  search.addEventListener("input", () => {
    query = search.value;
    draw();
  });
  const groups = new Map(menu.modifier_groups.map((g) => [g.id, g]));

  function drawTabs(): void {
    const tab = (id: string, label: string) =>
      h("button", { type: "button", role: "tab", class: id === category ? "btn chip-tab active" : "btn ghost chip-tab", "aria-selected": String(id === category), onclick: () => ((category = id), drawTabs(), draw()) }, label);
    mount(tabs, tab("", d("all_categories")), ...menu.categories.map((c) => tab(c.id, c.name)));
  }

  function draw(): void {
    const shown = filterItems(menu.items, category, query);
    if (menu.items.length === 0) return mount(rows, empty(d("no_menu")));
    if (shown.length === 0) return mount(rows, empty(d("no_items_match")));
    const sections = (category ? menu.categories.filter((c) => c.id === category) : menu.categories)
      .map((c) => ({ c, items: shown.filter((i) => i.category_id === c.id) }))
      .filter((s) => s.items.length > 0);
    mount(rows, ...sections.map(({ c, items }) => h("section", { class: "menu-category" }, h("h2", null, c.name), h("ul", { class: "item-rows" }, items.map((item) => h("li", null, itemRow(item)))))));
  }

  function itemRow(item: CS["ItemRow"]): HTMLElement {
    const status = h("small", { class: "save-state", "aria-live": "polite" });
    const price = input("price", { value: clp(item.price), inputmode: "numeric", disabled: !editable, "aria-label": d("price_of", { name: item.name }), class: "price-input" });
    const available = h("input", { type: "checkbox", name: "available", checked: item.available, disabled: !editable, "aria-label": d("available_of", { name: item.name }) });
    const row = h("div", { class: "item-row compact", dataset: { item: item.id } });
    // Saves one field of this row right away; the row redraws from the cloud's answer.
    const save = async (changes: CS["ItemChanges"]) => {
      status.textContent = d("saving");
      status.className = "save-state";
      try {
        const saved = await cloud.patch("/api/v1/menu/items/{id}", { path: { id: item.id }, body: changes });
        Object.assign(item, saved);
        const fresh = itemRow(item);
        row.replaceWith(fresh);
        const note = fresh.querySelector<HTMLElement>(".save-state");
        if (note) note.textContent = d("saved");
      } catch (error) {
        status.textContent = error instanceof ApiError ? error.message : d("save_failed");
        status.className = "save-state bad";
      }
    };
    const commitPrice = () => {
      const pesos = parseClp(price.value);
      if (pesos === null) {
        status.textContent = d("price_invalid");
        status.className = "save-state bad";
        return;
      }
      if (pesos !== item.price) void save({ price: pesos });
    };
    price.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        commitPrice();
      }
    });
    price.addEventListener("change", commitPrice);
    available.addEventListener("change", () => void save({ available: available.checked }));
    const mods = item.modifier_group_ids.map((id) => groups.get(id)?.name).filter(Boolean).join(", ");
    mount(
      row,
      thumb(item.photo, mediaUrl),
      h(
        "button",
        { class: "btn ghost item-name", type: "button", "aria-label": d("edit_item", { name: item.name }), onclick: () => itemDialog(item) },
        h("strong", null, item.name),
        item.description ? h("small", { class: "muted" }, item.description) : null,
        mods ? h("small", { class: "muted" }, `${d("modifiers")}: ${mods}`) : null,
      ),
      price,
      h("label", { class: "check" }, available, item.available ? d("available") : h("span", { class: "chip bad" }, d("sold_out"))),
      status,
    );
    return row;
  }

  function itemDialog(item: CS["ItemRow"] | null): void {
    photoChanged = false;
    const name = input("name", { value: item?.name ?? "", required: true, maxlength: 120, disabled: !editable });
    const description = input("description", { value: item?.description ?? "", maxlength: 1000, disabled: !editable });
    const price = input("price", { value: item ? clp(item.price) : "", inputmode: "numeric", required: true, disabled: !editable });
    const categoryPick = select("category_id", menu.categories.map((c) => [c.id, c.name] as [string, string]), item?.category_id ?? (category || menu.categories[0]?.id), { disabled: !editable });
    const chosen = new Set(item ? item.modifier_group_ids : []);
    const groupBoxes = menu.modifier_groups.map((g) =>
      h(
        "label",
        { class: "check" },
        h("input", { type: "checkbox", name: "modifier_group_ids", value: g.id, checked: chosen.has(g.id), disabled: !editable || !item }),
        g.name,
        h("small", { class: "muted" }, ` · ${groupRule(g.min_choices, g.max_choices)}`),
      ),
    );
    const form = h(
      "form",
      { class: "form", novalidate: true },
      formError(),
      item && editable ? photoField(item.name, item.photo, photoRoutes(item)) : null,
      field(d("name"), name),
      field(d("description"), description),
      h("div", { class: "row wrap" }, field(d("category"), categoryPick), field(d("price"), price)),
      menu.modifier_groups.length
        ? h("fieldset", { class: "group", dataset: { field: "modifier_group_ids" } }, h("legend", null, d("modifiers")), item ? null : h("p", { class: "hint" }, d("modifiers_after_create")), ...groupBoxes, h("small", { class: "field-error", "aria-live": "polite" }))
        : null,
      editable ? h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, item ? t("save") : d("add_item"))) : null,
    );
    const dlg = dialog(item ? item.name : d("add_item"), form, true);
    // A photo is saved as soon as it is chosen; the list shows it once the dialog closes.
    void dlg.closed.then(() => {
      if (photoChanged) refresh();
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const pesos = parseClp(price.value);
      if (pesos === null) return showErrors(form, new ApiError(422, "validation", d("price_invalid"), { price: d("price_invalid") }));
      const groupIds = [...form.querySelectorAll<HTMLInputElement>("input[name=modifier_group_ids]:checked")].map((b) => b.value);
      try {
        if (item) {
          const changes: CS["ItemChanges"] = {};
          if (name.value.trim() !== item.name) changes.name = name.value.trim();
          if (description.value.trim() !== (item.description ?? "")) changes.description = description.value.trim();
          if (pesos !== item.price) changes.price = pesos;
          if (categoryPick.value !== item.category_id) changes.category_id = categoryPick.value;
          const before = item.modifier_group_ids.join();
          if (groupIds.join() !== before) changes.modifier_group_ids = groupIds;
          await cloud.patch("/api/v1/menu/items/{id}", { path: { id: item.id }, body: changes });
        } else {
          await cloud.post("/api/v1/menu/items", { body: { category_id: categoryPick.value, name: name.value.trim(), price: pesos, description: description.value.trim() || null } });
        }
        toast(() => d("item_saved"));
        dlg.close();
        refresh();
      } catch (error) {
        showErrors(form, error);
      }
    });
  }

  let photoChanged = false;
  const photoRoutes = (item: CS["ItemRow"]) => ({
    url: mediaUrl,
    upload: async (file: File) => {
      const saved = await cloud.post("/api/v1/menu/items/{id}/photo", { path: { id: item.id }, raw: { body: file, type: file.type || "image/jpeg" } });
      Object.assign(item, saved);
      return saved.photo;
    },
    remove: async () => Object.assign(item, await cloud.del("/api/v1/menu/items/{id}/photo", { path: { id: item.id } })),
    changed: () => {
      photoChanged = true;
    },
  });

  function categoryDialog(): void {
    const name = input("name", { required: true, maxlength: 80 });
    const nameEn = input("name_en", { maxlength: 80 });
    const form = h("form", { class: "form", novalidate: true }, formError(), field(d("name"), name), field(d("name_en"), nameEn), h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, d("add_category"))));
    const dlg = dialog(d("add_category"), form);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await cloud.post("/api/v1/menu/categories", { body: { location_id: locationId, name: name.value, name_en: nameEn.value || null } });
        toast(() => d("category_added"));
        dlg.close();
        refresh();
      } catch (error) {
        showErrors(form, error);
      }
    });
  }

  drawTabs();
  draw();
  mount(
    list,
    h(
      "div",
      { class: "row wrap menu-toolbar" },
      h("div", { class: "grow" }, search),
      editable && menu.categories.length ? h("button", { class: "btn primary", type: "button", "data-add-item": "", onclick: () => itemDialog(null) }, d("add_item")) : null,
      editable ? h("button", { class: "btn", type: "button", "data-add-category": "", onclick: categoryDialog }, d("add_category")) : null,
    ),
    tabs,
    rows,
  );
}
