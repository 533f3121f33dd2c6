// Menu management: categories, items, modifier groups; sold-out in one tap; drag (or
// the arrow buttons) to reorder; CSV import and export.

import { api, type S } from "../api/client";
import { subscribe } from "../api/events";
import { h, mount } from "../lib/dom";
import { clp, parseClp } from "../lib/format";
import { t } from "../lib/i18n";
import { can } from "../lib/session";
import { mediaUrl, photoField, thumb } from "../lib/photo-field";
import { dialog, empty, failure, field, formError, input, loading, onSubmit, pageHeader, select, toast } from "../lib/ui";

type Category = S["CategoryRecord"];
type Item = S["ItemView"];
type Group = S["ModifierGroupRecord"];

/** Moves `list[from]` to `to`, returning a new array (reorder by drag or arrows). */
export function moveItem<T>(list: T[], from: number, to: number): T[] {
  const out = list.slice();
  if (from < 0 || from >= out.length || to < 0 || to >= out.length) return out;
  const [x] = out.splice(from, 1);
  out.splice(to, 0, x as T);
  return out;
}

export function renderMenu(root: HTMLElement): () => void {
  const write = can("menu:write");
  let categories: Category[] = [];
  let items: Item[] = [];
  let groups: Group[] = [];
  let selected = "";
  const body = h("div", { class: "menu-admin" }, loading());
  const fileInput = h("input", { type: "file", accept: ".csv,text/csv", class: "visually-hidden", id: "csv-file", onchange: () => void importCsv() });
  mount(root,
    pageHeader(t("nav_menu"),
      h("a", { class: "btn", href: "/api/v1/menu/export.csv", download: "menu.csv" }, t("export_csv")),
      write ? h("label", { class: "btn", for: "csv-file", tabindex: "0", onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter" || e.key === " ") fileInput.click(); } }, t("import_csv"), fileInput) : null,
      write ? h("button", { class: "btn", onclick: () => groupForm(null) }, `+ ${t("new_group")}`) : null,
      write ? h("button", { class: "btn primary", onclick: () => categoryForm(null) }, `+ ${t("new_category")}`) : null),
    body);

  const importCsv = async () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    try {
      const report = await api.post("/api/v1/menu/import", { raw: { body: await file.text(), type: "text/csv" } });
      toast(() => t("imported", { c: report.categories_created, i: report.items_created, u: report.items_updated }));
      await refresh();
    } catch (error) {
      toast(`${(error as Error).message} ${Object.entries((error as { fields?: Record<string, string> }).fields ?? {}).slice(0, 3).map(([k, v]) => `${k}: ${v}`).join("; ")}`, "error");
    } finally {
      fileInput.value = "";
    }
  };

  const refresh = async () => {
    try {
      [categories, items, groups] = await Promise.all([
        api.get("/api/v1/menu/categories"),
        api.get("/api/v1/menu/items"),
        api.get("/api/v1/menu/modifier-groups"),
      ]);
      categories.sort((a, b) => a.position - b.position);
      items.sort((a, b) => a.position - b.position);
      if (!categories.some((c) => c.id === selected)) selected = categories[0]?.id ?? "";
      draw();
    } catch (error) {
      mount(body, failure(error, () => void refresh()));
    }
  };

  const reorder = async (kind: "categories" | "items", ids: string[]) => {
    try {
      await api.post("/api/v1/menu/reorder", { body: kind === "categories" ? { categories: ids } : { items: ids } });
      await refresh();
    } catch (error) {
      toast((error as Error).message, "error");
    }
  };

  const sortable = <T extends { id: string }>(list: T[], kind: "categories" | "items", row: (x: T) => HTMLElement[]) => {
    let dragFrom = -1;
    return h("ol", { class: "sortable" }, list.map((x, i) =>
      h("li", {
        draggable: write ? "true" : null,
        dataset: { id: x.id },
        ondragstart: (e: DragEvent) => { dragFrom = i; e.dataTransfer?.setData("text/plain", x.id); },
        ondragover: (e: DragEvent) => e.preventDefault(),
        ondrop: (e: DragEvent) => { e.preventDefault(); if (dragFrom >= 0 && dragFrom !== i) void reorder(kind, moveItem(list, dragFrom, i).map((y) => y.id)); },
      },
      write ? h("span", { class: "handle", title: t("drag_hint"), "aria-hidden": "true" }, "⠿") : null,
      ...row(x),
      write ? h("span", { class: "arrows" },
        h("button", { class: "btn icon ghost", "aria-label": t("move_up"), disabled: i === 0, onclick: () => void reorder(kind, moveItem(list, i, i - 1).map((y) => y.id)) }, "↑"),
        h("button", { class: "btn icon ghost", "aria-label": t("move_down"), disabled: i === list.length - 1, onclick: () => void reorder(kind, moveItem(list, i, i + 1).map((y) => y.id)) }, "↓")) : null)));
  };

  const draw = () => {
    const inCategory = items.filter((i) => i.category_id === selected);
    const category = categories.find((c) => c.id === selected);
    mount(body,
      h("section", { class: "card" }, h("h2", null, t("categories")),
        categories.length === 0 ? empty(t("no_categories")) : sortable(categories, "categories", (c) => [
          h("button", { class: c.id === selected ? "btn link on grow" : "btn link grow", onclick: () => { selected = c.id; draw(); } },
            c.name, c.active ? null : h("small", { class: "muted" }, ` (${t("no")} ${t("active").toLowerCase()})`)),
          write ? h("button", { class: "btn icon ghost", "aria-label": `${t("edit")} ${c.name}`, onclick: () => categoryForm(c) }, "✎") : null,
        ].filter((x): x is HTMLButtonElement => x !== null))),
      h("section", { class: "card grow2" },
        h("div", { class: "page-header" }, h("h2", null, category ? category.name : t("items")),
          write && category ? h("button", { class: "btn primary", onclick: () => itemForm(null) }, `+ ${t("new_item")}`) : null),
        inCategory.length === 0 ? empty(t("no_items")) : sortable(inCategory, "items", (item) => [
          thumb(item.photo, mediaUrl),
          h("span", { class: "grow" }, h("strong", null, item.name), item.modifier_group_ids.length ? h("small", { class: "muted" }, ` · ${item.modifier_group_ids.map((id) => groups.find((g) => g.id === id)?.name).filter(Boolean).join(", ")}`) : null),
          h("span", { class: "num" }, item.price_display),
          write
            ? h("button", { class: item.available ? "btn toggle" : "btn toggle off", "aria-pressed": String(!item.available), dataset: { soldout: item.name },
                onclick: async () => {
                  try {
                    await api.patch("/api/v1/menu/items/{id}", { path: { id: item.id }, body: { available: !item.available } });
                    await refresh();
                  } catch (error) { toast((error as Error).message, "error"); }
                } }, item.available ? t("available") : t("sold_out"))
            : h("span", { class: item.available ? "badge" : "badge bad" }, item.available ? t("available") : t("sold_out")),
          write ? h("button", { class: "btn icon ghost", "aria-label": `${t("edit")} ${item.name}`, onclick: () => itemForm(item) }, "✎") : null,
        ].filter((x): x is HTMLElement => x !== null))),
      h("section", { class: "card" }, h("h2", null, t("modifier_groups")),
        groups.length === 0 ? empty() : h("ul", { class: "list" }, groups.map((g) =>
          h("li", { class: "row" }, h("span", { class: "grow" }, h("strong", null, g.name), h("small", { class: "muted" }, ` ${choiceRule(g.min_choices, g.max_choices)} · ${g.options.map((o) => o.name + (o.price_delta ? ` +${clp(o.price_delta)}` : "")).join(", ")}`)),
            write ? h("button", { class: "btn icon ghost", "aria-label": `${t("edit")} ${g.name}`, onclick: () => groupForm(g) }, "✎") : null)))),
    );
  };

  const categoryForm = (c: Category | null) => {
    const form = h("form", { class: "form" },
      field(t("name"), input("name", { value: c?.name ?? "", required: true })),
      field(`${t("name")} (English)`, input("name_en", { value: c?.name_en ?? "" })),
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "active", checked: c ? c.active : true }), t("active")),
      formError(),
      h("div", { class: "actions" },
        c ? h("button", { class: "btn danger", type: "button", onclick: async () => {
          try { await api.del("/api/v1/menu/categories/{id}", { path: { id: c.id } }); d.close(); await refresh(); } catch (error) { toast((error as Error).message, "error"); }
        } }, t("delete")) : null,
        h("button", { class: "btn primary", type: "submit" }, t("save"))));
    onSubmit(form, async (v) => {
      const body = { name: v.name ?? "", name_en: v.name_en || null, active: v.active === "on" };
      const saved = c
        ? await api.patch("/api/v1/menu/categories/{id}", { path: { id: c.id }, body })
        : await api.post("/api/v1/menu/categories", { body });
      selected = saved.id;
      d.close();
      await refresh();
    });
    const d = dialog(c ? c.name : t("new_category"), form);
  };

  const photoRoutes = (item: Item) => ({
    url: mediaUrl,
    upload: async (file: File) => (await api.post("/api/v1/menu/items/{id}/photo", { path: { id: item.id }, raw: { body: file, type: file.type || "image/jpeg" } })).photo,
    remove: () => api.del("/api/v1/menu/items/{id}/photo", { path: { id: item.id } }),
    changed: () => { changed = true; },
  });
  // A photo change is saved at once; the list is redrawn when the dialog closes.
  let changed = false;

  const itemForm = (item: Item | null) => {
    changed = false;
    const form = h("form", { class: "form" },
      item && write ? photoField(item.name, item.photo, photoRoutes(item)) : null,
      field(t("name"), input("name", { value: item?.name ?? "", required: true })),
      field(`${t("name")} (English)`, input("name_en", { value: item?.name_en ?? "" })),
      field(t("price"), input("price", { inputmode: "numeric", value: item ? String(item.price) : "", required: true })),
      field(t("category"), select("category_id", categories.map((c) => [c.id, c.name]), item?.category_id ?? selected)),
      field(t("station"), select("station", [["kitchen", t("st_kitchen")], ["bar", t("st_bar")], ["dessert", t("st_dessert")]], item?.station ?? "kitchen")),
      field(t("description"), h("textarea", { name: "description", rows: 2 }, item?.description ?? "")),
      groups.length ? h("fieldset", { class: "group", dataset: { field: "modifier_group_ids" } }, h("legend", null, t("modifier_groups")),
        groups.map((g) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "group", value: g.id, checked: item?.modifier_group_ids.includes(g.id) ?? false }), g.name)),
        h("small", { class: "field-error" })) : null,
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "available", checked: item ? item.available : true }), t("available")),
      formError(),
      h("div", { class: "actions" },
        item ? h("button", { class: "btn danger", type: "button", onclick: async () => {
          try { await api.del("/api/v1/menu/items/{id}", { path: { id: item.id } }); d.close(); await refresh(); } catch (error) { toast((error as Error).message, "error"); }
        } }, t("delete")) : null,
        h("button", { class: "btn primary", type: "submit" }, t("save"))));
    onSubmit(form, async (v) => {
      const ids = [...form.querySelectorAll<HTMLInputElement>("input[name=group]:checked")].map((x) => x.value);
      const body = {
        name: v.name ?? "",
        name_en: v.name_en || null,
        price: parseClp(v.price ?? "") ?? -1,
        category_id: v.category_id ?? selected,
        station: (v.station ?? "kitchen") as S["Station"],
        description: v.description || null,
        modifier_group_ids: ids,
        available: v.available === "on",
      };
      if (item) await api.patch("/api/v1/menu/items/{id}", { path: { id: item.id }, body });
      else await api.post("/api/v1/menu/items", { body });
      d.close();
      await refresh();
    });
    const d = dialog(item ? item.name : t("new_item"), form);
    void d.closed.then(() => { if (changed) void refresh(); });
  };

  const groupForm = (g: Group | null) => {
    const text = (g?.options ?? []).map((o) => `${o.name}; ${o.price_delta}`).join("\n");
    const form = h("form", { class: "form" },
      field(t("name"), input("name", { value: g?.name ?? "", required: true })),
      h("div", { class: "row" },
        field(t("min_choices"), input("min_choices", { type: "number", min: 0, value: String(g?.min_choices ?? 0) })),
        field(t("max_choices"), input("max_choices", { type: "number", min: 1, value: String(g?.max_choices ?? 1) }))),
      field(t("options"), h("textarea", { name: "options", rows: 4, placeholder: "Grande; 1500" }, text), t("option_line")),
      formError(),
      h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))));
    onSubmit(form, async (v) => {
      const options = (v.options ?? "").split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
        const [name, price] = line.split(";");
        const existing = g?.options.find((o) => o.name === name?.trim());
        return { id: existing?.id ?? null, name: (name ?? "").trim(), price_delta: parseClp(price?.trim() || "0") ?? 0 };
      });
      const body = { name: v.name ?? "", min_choices: Number(v.min_choices), max_choices: Number(v.max_choices), options };
      if (g) await api.patch("/api/v1/menu/modifier-groups/{id}", { path: { id: g.id }, body });
      else await api.post("/api/v1/menu/modifier-groups", { body });
      d.close();
      await refresh();
    });
    const d = dialog(g ? g.name : t("new_group"), form);
  };

  void refresh();
  return subscribe((type) => {
    if (type === "menu.updated" && !document.querySelector("dialog[open]")) void refresh();
  });
}

/** A modifier group's rule in words ("Obligatorio, elige 1", "Opcional, hasta 2"), never "1–1". */
export function choiceRule(min: number, max: number): string {
  if (min === 0) return t("choice_optional", { max });
  if (min === max) return t("choice_required", { n: min });
  return t("min_max", { min, max });
}
