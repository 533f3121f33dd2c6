// Changing an order after it was taken, from its detail: items added (with modifiers), a
// line voided with its reason, a discount on the bill, a tip, a payment refunded. Each
// control shows only to whom the route allows it (the API still refuses the others).

import { api, type S } from "../api/client";
import { chosenDrawer } from "../lib/drawer";
import { h, mount } from "../lib/dom";
import { clp, parseClp } from "../lib/format";
import { t, tk } from "../lib/i18n";
import type { Permission } from "../lib/session";
import { withApproval } from "../lib/approval";
import { confirmReason, dialog, empty, field, formError, input, showErrors, toast } from "../lib/ui";
import { suggestedTip } from "./payment";
import { orderLabel } from "../lib/order-number";

type Order = S["Order"];
type Payment = S["Payment"];

/** What staff may change on this order: the routes' permissions, and only while the order
 * is open (the API answers 409 on a completed or cancelled one); refunds stay possible
 * after the order is completed. */
export interface EditRights {
  add: boolean;
  void: boolean;
  adjust: boolean;
  refund: boolean;
}

export function editRights(status: S["OrderStatus"], can: (p: Permission) => boolean): EditRights {
  const open = status !== "completed" && status !== "cancelled";
  return {
    add: open && can("orders:create"),
    void: open && can("orders:update"),
    adjust: open && can("orders:update"),
    refund: status !== "cancelled" && can("payments:write"),
  };
}

/** A percentage of the food total, to the peso (the discount's quick buttons). */
export function percentOf(subtotal: number, percent: number): number {
  return Math.round((subtotal * percent) / 100);
}

/** What is left to refund of a payment: its amount and tip, less the refunds already made
 * of it (refund rows are negative and point back to it). Refunds themselves refund nothing. */
export function refundable(payment: Payment, ledger: Payment[]): number {
  if (payment.refund_of || payment.amount < 0) return 0;
  const already = ledger.filter((p) => p.refund_of === payment.id).reduce((sum, p) => sum - (p.amount + p.tip), 0);
  return Math.max(0, payment.amount + payment.tip - already);
}

/** A money form of one field, with quick amounts to tap. Resolves the amount, or null
 * when dismissed; `save` sends it (its API errors land next to the field). */
function amountDialog(
  title: string,
  label: string,
  name: string,
  start: number,
  quick: [string, number][],
  save: (amount: number) => Promise<void>,
): void {
  const amount = input(name, { inputmode: "numeric", autocomplete: "off", value: start ? String(start) : "", autofocus: true });
  const form = h("form", { class: "form", id: `edit-${name}` });
  mount(form,
    field(label, amount),
    quick.length ? h("div", { class: "row wrap quick" }, quick.map(([text, value]) =>
      h("button", { class: "btn", type: "button", onclick: () => (amount.value = String(value)) }, text))) : null,
    formError(),
    h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))));
  const d = dialog(title, form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = amount.value.trim() === "" ? 0 : parseClp(amount.value);
    if (value === null || value < 0) {
      showErrors(form, null);
      const slot = form.querySelector(`[data-field="${name}"] .field-error`);
      if (slot) slot.textContent = t("amount_invalid");
      amount.setAttribute("aria-invalid", "true");
      amount.focus();
      return;
    }
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true;
    try {
      await save(value);
      d.close();
    } catch (error) {
      showErrors(form, error);
    } finally {
      if (button) button.disabled = false;
    }
  });
}

/** What the live lines' own discounts take off (the order's `discount` is the bill's
 * plus these). */
export function lineDiscounts(order: Order): number {
  return order.lines.filter((l) => !l.voided).reduce((sum, l) => sum + (l.discount?.amount ?? 0), 0);
}

/** A discount on the bill (the API takes it off what the lines leave, IVA included). */
export function editDiscount(order: Order, done: (order: Order) => void): void {
  const onLines = lineDiscounts(order);
  const base = order.subtotal - onLines;
  const bill = order.discount - onLines;
  const quick: [string, number][] = [10, 15, 20].map((p) => [`${p}% · ${clp(percentOf(base, p))}`, percentOf(base, p)]);
  if (bill) quick.push([t("discount_remove"), 0]);
  amountDialog(t("discount_title", { n: orderLabel(order.number) }), onLines ? `${t("discount_amount")} · ${t("bill_discount_of", { amount: clp(base) })}` : t("discount_amount"), "discount", bill, quick, async (discount) => {
    const next = await withApproval((headers) => api.patch("/api/v1/orders/{id}", { path: { id: order.id }, body: { discount }, headers }));
    if (!next) return;
    done(next);
    toast(() => (discount ? t("discount_done", { amount: clp(discount) }) : t("discount_removed")));
  });
}

/** A discount on one line: a percentage to tap or an amount, with a reason; the server
 * works the pesos out (half a peso up) and never lets it pass the line. */
export function discountLine(order: Order, line: S["OrderLine"], done: (order: Order) => void): void {
  const name = `${line.quantity}× ${line.name}`;
  let percent: number | null = line.discount?.percent ?? null;
  const amount = input("amount", { inputmode: "numeric", autocomplete: "off", value: line.discount ? String(line.discount.amount) : "", autofocus: true });
  const reason = input("reason", { required: true, value: line.discount?.reason ?? "" });
  amount.addEventListener("input", () => (percent = null));
  const quick = [10, 15, 20, 50, 100].map((p) =>
    h("button", { class: "btn", type: "button", "data-percent": String(p), onclick: () => {
      percent = p;
      amount.value = String(percentOf(line.line_total, p));
    } }, `${p}%`));
  const form = h("form", { class: "form", id: "line-discount" });
  mount(form,
    field(t("line_discount_amount"), amount),
    h("div", { class: "row wrap quick" }, quick),
    field(t("line_discount_reason"), reason),
    formError(),
    h("div", { class: "actions" },
      line.discount ? h("button", { class: "btn ghost", type: "button", id: "line-discount-remove", onclick: () => void send({ amount: 0, reason: line.discount?.reason ?? t("discount_removed") }) }, t("discount_remove")) : null,
      h("button", { class: "btn primary", type: "submit" }, t("save"))));
  const d = dialog(t("line_discount_title", { name }), form);
  const send = async (body: S["LineDiscountInput"]) => {
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true;
    try {
      const next = await withApproval((headers) => api.post("/api/v1/orders/{id}/lines/{line_id}/discount", { path: { id: order.id, line_id: line.id }, body, headers }));
      if (!next) return;
      d.close();
      done(next);
      const off = next.lines.find((l) => l.id === line.id)?.discount?.amount ?? 0;
      toast(() => (off ? t("line_discount_done", { amount: clp(off), name: line.name }) : t("discount_removed")));
    } catch (error) {
      showErrors(form, error);
    } finally {
      if (button) button.disabled = false;
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = parseClp(amount.value);
    if (percent === null && (value === null || value <= 0 || value > line.line_total)) {
      showErrors(form, null);
      const slot = form.querySelector('[data-field="amount"] .field-error');
      if (slot) slot.textContent = t("line_discount_too_much", { amount: clp(line.line_total) });
      amount.setAttribute("aria-invalid", "true");
      amount.focus();
      return;
    }
    void send(percent !== null ? { percent, reason: reason.value.trim() } : { amount: value ?? 0, reason: reason.value.trim() });
  });
}

/** A tip on the bill (outside IVA), with the suggested 10% to tap. */
export function editTip(order: Order, done: (order: Order) => void): void {
  const suggested = suggestedTip(order.total);
  const quick: [string, number][] = suggested ? [[`10% · ${clp(suggested)}`, suggested]] : [];
  if (order.tip) quick.push([t("tip_remove"), 0]);
  amountDialog(t("tip_title", { n: orderLabel(order.number) }), t("tip"), "tip", order.tip, quick, async (tip) => {
    done(await api.patch("/api/v1/orders/{id}", { path: { id: order.id }, body: { tip } }));
    toast(() => t("saved"));
  });
}

/** Voids a line after asking why (the reason goes on the history and the kitchen screen). */
export async function voidLine(order: Order, line: S["OrderLine"], done: (order: Order) => void): Promise<void> {
  const reason = await confirmReason(t("void_line_title", { name: `${line.quantity}× ${line.name}` }), t("void_reason"));
  if (!reason) return;
  try {
    const next = await withApproval((headers) => api.post("/api/v1/orders/{id}/lines/{line_id}/void", { path: { id: order.id, line_id: line.id }, body: { reason }, headers }));
    if (!next) return;
    done(next);
    toast(() => t("void_done"));
  } catch (error) {
    toast((error as Error).message, "error");
  }
}

/** Refunds (part of) a payment, with a reason; cash comes out of this counter's drawer. */
export function refundPayment(payment: Payment, left: number, done: () => void): void {
  const amount = input("amount", { inputmode: "numeric", autocomplete: "off", value: String(left) });
  const reason = input("reason", { required: true });
  const form = h("form", { class: "form", id: "refund-form" },
    h("p", null, t("refund_of", { method: tk(`pay_${payment.method}`), amount: clp(payment.amount + payment.tip) })),
    field(t("refund_amount"), amount, t("refund_left", { amount: clp(left) })),
    field(t("refund_reason"), reason),
    formError(),
    h("div", { class: "actions" }, h("button", { class: "btn danger", type: "submit" }, t("refund_go"))));
  const d = dialog(t("refund"), form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = parseClp(amount.value);
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true;
    try {
      const receipt = await withApproval((headers) => api.post("/api/v1/payments/{id}/refund", { path: { id: payment.id }, body: { amount: value ?? left, reason: reason.value.trim() || null, drawer_id: payment.method === "cash" ? chosenDrawer() : null }, headers }));
      if (!receipt) return;
      toast(() => t("refund_done"));
      d.close();
      done();
    } catch (error) {
      showErrors(form, error);
    } finally {
      if (button) button.disabled = false;
    }
  });
}

const nameOf = (x: { name: string; name_en?: string | null }, en: boolean) => (en && x.name_en ? x.name_en : x.name);

/** Adds items to an open order: search the menu, tap an item (its modifiers are asked
 * when it has any), and it is on the order; the dialog stays open for the next one. */
export async function addItems(
  order: Order,
  en: boolean,
  ask: (item: S["TreeItem"]) => Promise<{ options: S["ModifierOption"][]; quantity: number; note: string } | null>,
  done: (order: Order) => void,
): Promise<void> {
  let menu: S["MenuTree"];
  try {
    menu = await api.get("/api/v1/menu");
  } catch (error) {
    toast((error as Error).message, "error");
    return;
  }
  const items = menu.categories.flatMap((c) => c.items);
  const search = input("q", { type: "search", id: "add-search", placeholder: t("search_item"), "aria-label": t("search_item"), autocomplete: "off" });
  const grid = h("div", { class: "item-grid add-grid" });
  const added = h("p", { class: "muted small", role: "status" });
  const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const draw = () => {
    const q = fold(search.value.trim());
    const shown = items.filter((i) => !q || fold(nameOf(i, en)).includes(q) || fold(i.name).includes(q));
    mount(grid, shown.length === 0 ? empty(t("no_matches", { q: search.value.trim() })) : shown.map((item) =>
      h("button", { class: item.available ? "item-tile" : "item-tile out", type: "button", disabled: !item.available, onclick: () => void pick(item) },
        h("span", { class: "name" }, nameOf(item, en)),
        h("span", { class: "price" }, item.available ? item.price_display : t("sold_out")))));
  };
  let busy = false;
  const pick = async (item: S["TreeItem"]) => {
    if (busy) return;
    const chosen = item.modifier_groups.length ? await ask(item) : { options: [], quantity: 1, note: "" };
    if (!chosen) return;
    busy = true;
    try {
      const next = await api.post("/api/v1/orders/{id}/lines", { path: { id: order.id }, body: { lines: [{
        item_id: item.id, quantity: chosen.quantity, modifiers: chosen.options.map((o) => o.id), note: chosen.note || null,
      }] } });
      added.textContent = t("added_item", { name: `${chosen.quantity}× ${nameOf(item, en)}`, total: clp(next.total) });
      done(next);
    } catch (error) {
      added.textContent = (error as Error).message;
    } finally {
      busy = false;
    }
  };
  search.addEventListener("input", draw);
  search.addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    const q = fold(search.value.trim());
    const first = q ? items.find((i) => i.available && (fold(nameOf(i, en)).includes(q) || fold(i.name).includes(q))) : undefined;
    if (first) void pick(first);
  });
  draw();
  const d = dialog(t("add_items_title", { n: orderLabel(order.number) }), h("div", { class: "form", id: "add-items" }, search, grid, added,
    h("div", { class: "actions" }, h("button", { class: "btn primary", type: "button", onclick: () => d.close() }, t("done")))), true);
  search.focus();
}
