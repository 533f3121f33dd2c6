// The counter's new-order screen: category tabs, item grid, modifiers, quantity, notes,
// customer and table, totals with the IVA inside, then payment.

import { api, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { clp, ivaBreakdown } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import { mediaUrl } from "../lib/photo-field";
import { navigate } from "../lib/router";
import { can } from "../lib/session";
import { dialog, empty, failure, field, formError, input, loading, select, showErrors, toast } from "../lib/ui";
import { paidSummary, printTicket, takePayment } from "./order-parts";
import { orderLabel } from "../lib/order-number";

type Item = S["TreeItem"];
interface CartLine {
  item: Item;
  options: S["ModifierOption"][];
  quantity: number;
  note: string;
}

const CHANNELS: S["Channel"][] = ["counter", "takeaway", "dine_in", "delivery", "phone"];

export function unitPrice(line: Pick<CartLine, "item" | "options">): number {
  return line.item.price + line.options.reduce((sum, o) => sum + o.price_delta, 0);
}

export function renderNewOrder(root: HTMLElement): void {
  mount(root, loading());
  const tables = can("tables:read") ? api.get("/api/v1/tables").catch(() => []) : Promise.resolve([]);
  const settings = can("settings:read") ? api.get("/api/v1/settings").catch(() => null) : Promise.resolve(null);
  Promise.all([api.get("/api/v1/menu"), tables, settings])
    .then(([menu, tableList, restaurant]) => screen(root, menu, tableList, restaurant))
    .catch((error) => mount(root, failure(error, () => renderNewOrder(root))));
}

const nameOf = (x: { name: string; name_en?: string | null }) => (lang() === "en" && x.name_en ? x.name_en : x.name);

/** How a modifier group's rule reads: "Elige 1", "Opcional, hasta 2", "Elige de 1 a 3". */
export function choiceRule(min: number, max: number): string {
  if (min === max) return t("choose_exactly", { n: min });
  if (min === 0) return t("choose_up_to", { n: max });
  if (max >= 99) return t("choose_at_least", { min });
  return t("choose_range", { min, max });
}

/** Lowercase without accents, so "sandwich" finds "Sándwich". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function screen(root: HTMLElement, menu: S["MenuTree"], tables: S["TableWithStatus"][], restaurant: S["RestaurantSettings"] | null): void {
  const taxBp = restaurant?.tax_rate_bp ?? 1900;
  const cart: CartLine[] = [];
  let categoryId = menu.categories[0]?.id ?? "";
  let customer: S["CustomerView"] | null = null;
  let busy = false;
  const grid = h("div", { class: "item-grid" });
  const tabs = h("div", { class: "tabs", role: "tablist" });
  const search = input("q", { type: "search", id: "item-search", placeholder: t("search_item"), "aria-label": t("search_item"), autocomplete: "off" });
  const channel = select("channel", CHANNELS.map((c) => [c, tk(`ch_${c}`)]), "counter");
  const table = select("table_id", [["", t("no_table")], ...tables.filter((x) => x.active).map((x): [string, string] => [x.id, `${x.name} · ${tk(`tb_${x.status}`)}`])], "");
  const note = input("note", { placeholder: t("note") });
  const customerLabel = h("span", null, t("no_customer"));
  const linesEl = h("div", { class: "cart-body" });
  const totalsEl = h("div", { class: "totals" });
  const actionsEl = h("div", { class: "actions cart-actions" });
  const summary = h("span", { class: "muted small" });
  const more = h("details", { class: "cart-more" },
    h("summary", null, t("more_options"), " ", summary),
    h("div", { class: "cart-fields" },
      field(t("channel"), channel),
      tables.length ? field(t("table"), table) : null,
      h("div", { class: "field" }, h("label", null, t("customer")), h("div", { class: "row" }, customerLabel,
        can("customers:read") ? h("button", { class: "btn ghost", type: "button", onclick: () => void pickCustomer() }, t("search")) : null)),
      field(t("note"), note)));
  const cartEl = h("div", { class: "cart" }, h("h2", null, t("order")), linesEl, more, totalsEl, h("p", { class: "form-error", role: "alert" }), actionsEl);

  if (menu.categories.length === 0) {
    mount(root, h("div", { class: "page-header" }, h("h1", null, t("nav_new_order"))), empty(t("no_categories")),
      can("menu:write") ? h("a", { class: "btn primary", href: "/menu" }, t("nav_menu")) : null);
    return;
  }

  const drawSummary = () => {
    const parts = [tk(`ch_${channel.value}`)];
    if (table.value) parts.push(table.selectedOptions[0]?.textContent?.split(" · ")[0] ?? "");
    if (customer) parts.push(customer.name);
    if (note.value.trim()) parts.push(`“${note.value.trim()}”`);
    summary.textContent = `· ${parts.join(" · ")}`;
  };
  channel.addEventListener("change", drawSummary);
  table.addEventListener("change", drawSummary);
  note.addEventListener("input", drawSummary);
  const drawTabs = () => mount(tabs, menu.categories.map((c) =>
    h("button", { class: c.id === categoryId && !search.value ? "tab on" : "tab", role: "tab", "aria-selected": String(c.id === categoryId), onclick: () => { categoryId = c.id; search.value = ""; drawTabs(); drawGrid(); } }, nameOf(c))));
  /** The items shown: the open category, or every match of the search across categories. */
  const shown = (): Item[] => {
    const q = fold(search.value.trim());
    if (!q) return menu.categories.find((c) => c.id === categoryId)?.items ?? [];
    return menu.categories.flatMap((c) => c.items).filter((i) => fold(nameOf(i)).includes(q) || fold(i.name).includes(q));
  };
  const drawGrid = () => {
    const items = shown();
    const q = search.value.trim();
    mount(grid, items.length === 0 ? empty(q ? t("no_matches", { q }) : t("no_items")) : items.map((item) =>
      h("button", { class: `item-tile${item.available ? "" : " out"}${item.photo ? " has-photo" : ""}`, disabled: !item.available, onclick: () => add(item) },
        item.photo ? h("img", { class: "ph", src: mediaUrl(item.photo, true), alt: "", width: 44, height: 44, loading: "lazy" }) : null,
        h("span", { class: "name" }, nameOf(item)),
        h("span", { class: "price" }, item.available ? item.price_display : t("sold_out")))));
  };
  search.addEventListener("input", () => { drawTabs(); drawGrid(); });
  search.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      search.value = "";
      drawTabs();
      drawGrid();
      search.blur();
    }
    if (e.key !== "Enter") return;
    e.preventDefault();
    const first = search.value.trim() ? shown().find((i) => i.available) : undefined;
    if (first) {
      search.value = "";
      drawTabs();
      drawGrid();
      add(first);
    } else if (!search.value.trim() && cart.length) void place(true);
  });
  const add = (item: Item) => {
    if (item.modifier_groups.length === 0) {
      const same = cart.find((l) => l.item.id === item.id && l.options.length === 0 && !l.note);
      if (same) same.quantity++;
      else cart.push({ item, options: [], quantity: 1, note: "" });
      drawCart();
      return;
    }
    void chooseModifiers(item).then((line) => {
      if (line) {
        cart.push(line);
        drawCart();
      }
    });
  };
  const total = () => cart.reduce((sum, l) => sum + unitPrice(l) * l.quantity, 0);
  const drawCart = () => {
    const sum = total();
    const { net, tax } = ivaBreakdown(sum, taxBp);
    mount(linesEl, cart.length === 0 ? h("p", { class: "muted" }, t("cart_empty")) : h("ul", { class: "cart-lines" }, cart.map((line, i) =>
      h("li", null,
        h("div", { class: "grow" }, h("strong", null, nameOf(line.item)),
          line.options.map((o) => h("div", { class: "mod" }, `+ ${nameOf(o)}`)),
          line.note ? h("div", { class: "mod" }, `“${line.note}”`) : null),
        h("div", { class: "qty" },
          h("button", { class: "btn icon", "aria-label": "−", onclick: () => { line.quantity--; if (line.quantity <= 0) cart.splice(i, 1); drawCart(); } }, "−"),
          h("span", { "aria-label": t("quantity") }, String(line.quantity)),
          h("button", { class: "btn icon", "aria-label": "+", onclick: () => { line.quantity++; drawCart(); } }, "+")),
        h("span", { class: "num" }, clp(unitPrice(line) * line.quantity))))));
    const last = linesEl.querySelector(".cart-lines li:last-child");
    last?.scrollIntoView({ block: "nearest" });
    mount(totalsEl,
      h("div", { class: "row small muted" }, h("span", null, `${t("net")} ${clp(net)} · ${t("iva")} ${clp(tax)}`)),
      h("div", { class: "row grand" }, h("span", null, t("total")), h("span", { id: "cart-total" }, clp(sum))));
    mount(actionsEl,
      h("button", { class: "btn", disabled: cart.length === 0, onclick: () => void place(false) }, t("place_order")),
      can("payments:write") ? h("button", { class: "btn primary big", id: "charge", disabled: cart.length === 0, onclick: () => void place(true) }, `${t("take_payment")} ${clp(sum)}`) : null);
  };
  const pickCustomer = async () => {
    const chosen = await customerPicker();
    if (chosen !== undefined) {
      customer = chosen;
      customerLabel.textContent = chosen ? chosen.name : t("no_customer");
      drawSummary();
    }
  };
  const place = async (pay: boolean) => {
    if (busy || cart.length === 0 || (pay && !can("payments:write"))) return;
    busy = true;
    try {
      let order = await api.post("/api/v1/orders", {
        body: {
          channel: channel.value as S["Channel"],
          table_id: table.value || null,
          customer_id: customer?.id ?? null,
          note: note.value.trim() || null,
          lines: cart.map((l) => ({ item_id: l.item.id, quantity: l.quantity, modifiers: l.options.map((o) => o.id), note: l.note || null })),
        },
      });
      // Staff made it at the counter: it is accepted already, never "Por aceptar".
      if (can("orders:update")) {
        order = await api.post("/api/v1/orders/{id}/status", { path: { id: order.id }, body: { status: "confirmed" } }).catch(() => order);
      }
      toast(() => t("order_created", { n: orderLabel(order.number) }));
      cart.length = 0;
      note.value = "";
      drawCart();
      drawSummary();
      if (!pay) return;
      const { order: final, change } = await takePayment(order);
      if (final.payment.balance > 0) return;
      const again = h("div", { class: "actions" },
        h("button", { class: "btn", onclick: () => void printPaid(final) }, t("print")),
        h("button", { class: "btn", onclick: () => { d.close(); navigate(`/orders/${final.id}`); } }, t("order_n", { n: orderLabel(final.number) })),
        h("button", { class: "btn primary", autofocus: true, onclick: () => d.close() }, t("nav_new_order")));
      const d = dialog(t("fully_paid"), h("div", { class: "form" }, paidSummary(final, change), again));
      void d.closed.then(() => search.focus());
    } catch (error) {
      showErrors(cartEl, error);
    } finally {
      busy = false;
    }
  };
  const printPaid = async (order: S["Order"]) => {
    const payments = await api.get("/api/v1/orders/{id}/payments", { path: { id: order.id } }).catch(() => []);
    printTicket(order, restaurant?.name ?? "", payments);
  };
  // Keyboard: typing anywhere searches the menu; Enter with a cart takes the payment.
  const onKey = (e: KeyboardEvent) => {
    if (!root.isConnected) {
      document.removeEventListener("keydown", onKey);
      return;
    }
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || document.querySelector("dialog[open]")) return;
    const target = e.target as HTMLElement | null;
    if (target?.closest("input,select,textarea")) return;
    if (e.key === "Enter" && target?.closest("button,a,summary")) return;
    if (e.key === "Enter" && cart.length) {
      e.preventDefault();
      void place(true);
    } else if (e.key.length === 1 && /\S/.test(e.key)) {
      e.preventDefault();
      search.focus();
      search.value += e.key;
      drawTabs();
      drawGrid();
    }
  };
  document.addEventListener("keydown", onKey);
  mount(root, h("div", { class: "pos" },
    h("div", { class: "pos-menu" }, h("div", { class: "pos-search" }, search, h("small", { class: "muted" }, t("search_item_hint"))), tabs, grid),
    cartEl));
  drawTabs();
  drawGrid();
  drawCart();
  drawSummary();
  search.focus();
}

/** Asks for an item's modifiers, quantity and note (also used to add items to an open order). */
export function chooseModifiers(item: Item): Promise<CartLine | null> {
  return new Promise((resolve) => {
    const chosen = new Map<string, Set<string>>();
    let quantity = 1;
    let result: CartLine | null = null;
    const form = h("form", { class: "form" });
    const qty = h("span", { class: "qty-value" }, "1");
    const noteInput = input("note", { placeholder: t("note") });
    const error = formError();
    const groups = item.modifier_groups.map((g) => {
      const set = new Set<string>();
      chosen.set(g.id, set);
      const single = g.max_choices === 1;
      return h("fieldset", { class: "group", dataset: { field: g.id } },
        h("legend", null, nameOf(g), " ", h("small", { class: "muted" }, choiceRule(g.min_choices, g.max_choices))),
        h("div", { class: "options" }, g.options.filter((o) => o.available !== false).map((o) =>
          h("label", { class: "option" },
            h("input", { type: single ? "radio" : "checkbox", name: g.id, value: o.id, onchange: (e: Event) => {
              const box = e.target as HTMLInputElement;
              if (single) set.clear();
              if (box.checked) set.add(o.id);
              else set.delete(o.id);
            } }),
            h("span", null, nameOf(o)),
            o.price_delta ? h("span", { class: "muted" }, ` +${clp(o.price_delta)}`) : null))),
        h("small", { class: "field-error" }));
    });
    mount(form, groups,
      h("div", { class: "row" }, h("span", null, t("quantity")),
        h("button", { class: "btn icon", type: "button", onclick: () => { quantity = Math.max(1, quantity - 1); qty.textContent = String(quantity); } }, "−"), qty,
        h("button", { class: "btn icon", type: "button", onclick: () => { quantity++; qty.textContent = String(quantity); } }, "+")),
      field(t("note"), noteInput), error,
      h("div", { class: "actions" }, h("button", { class: "btn primary big", type: "submit" }, t("add"))));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      let ok = true;
      for (const g of item.modifier_groups) {
        const n = chosen.get(g.id)?.size ?? 0;
        const slot = form.querySelector(`[data-field="${g.id}"] .field-error`);
        const bad = n < g.min_choices || n > g.max_choices;
        if (slot) slot.textContent = bad ? choiceRule(g.min_choices, g.max_choices) : "";
        ok &&= !bad;
      }
      if (!ok) return;
      const options = item.modifier_groups.flatMap((g) => g.options.filter((o) => chosen.get(g.id)?.has(o.id)));
      result = { item, options, quantity, note: noteInput.value.trim() };
      d.close();
    });
    const d = dialog(`${nameOf(item)} — ${t("choose_modifiers")}`, form);
    void d.closed.then(() => resolve(result));
  });
}

/** Resolves the picked customer, null for "none", undefined when dismissed. */
function customerPicker(): Promise<S["CustomerView"] | null | undefined> {
  return new Promise((resolve) => {
    let result: S["CustomerView"] | null | undefined;
    const q = input("q", { type: "search", placeholder: t("search"), "aria-label": t("search") });
    const list = h("div", { class: "list" });
    const search = async () => {
      mount(list, loading());
      try {
        const page = await api.get("/api/v1/customers", { query: { q: q.value, limit: 20 } });
        mount(list, page.items.length === 0 ? empty(t("no_customers")) : page.items.map((c) =>
          h("button", { class: "btn list-item", onclick: () => { result = c; d.close(); } }, h("strong", null, c.name), h("span", { class: "muted" }, c.phone ?? ""))));
      } catch (error) {
        mount(list, failure(error));
      }
    };
    let timer: ReturnType<typeof setTimeout>;
    q.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => void search(), 250); });
    const d = dialog(t("customer"), h("div", { class: "form" }, q, list, h("button", { class: "btn ghost", onclick: () => { result = null; d.close(); } }, t("no_customer"))));
    void search();
    void d.closed.then(() => resolve(result));
  });
}
