// Pieces shared by the order pages: status labels, payment taking, the printed ticket.

import type { S } from "../api/client";
import { h, mount } from "../lib/dom";
import { clp, dateTime } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import { orderLabel } from "../lib/order-number";
export { takePayment, paidSummary, quickBills, type PaymentResult } from "./payment";

export type Order = S["Order"];
export const BOARD: S["OrderStatus"][] = ["pending", "confirmed", "preparing", "ready"];
export const METHODS: S["PaymentMethod"][] = ["cash", "debit", "credit", "transfer", "mercado_pago"];

/** The forward moves offered from a status (the API decides; skipping ahead is allowed). */
export function nextStatuses(status: S["OrderStatus"]): S["OrderStatus"][] {
  const path: S["OrderStatus"][] = ["pending", "confirmed", "preparing", "ready", "completed"];
  const i = path.indexOf(status);
  if (i < 0 || status === "completed") return [];
  const next = path[i + 1];
  const out: S["OrderStatus"][] = next ? [next] : [];
  if (next !== "completed") out.push("completed");
  out.push("cancelled");
  return out;
}

export function statusBadge(status: string): HTMLElement {
  return h("span", { class: `badge s-${status}` }, tk(`st_${status}`));
}

export function paidBadge(state: S["PaidState"]): HTMLElement {
  return h("span", { class: `badge p-${state}` }, tk(`paid_${state}`));
}

export function totals(order: Order): HTMLElement {
  const row = (label: string, amount: number, cls = "") => h("div", { class: `row ${cls}` }, h("span", null, label), h("span", null, clp(amount)));
  return h(
    "div",
    { class: "totals" },
    row(t("net"), order.net),
    row(t("iva"), order.tax),
    order.discount ? row(t("discount"), -order.discount) : null,
    order.tip ? row(t("tip"), order.tip) : null,
    row(t("total"), order.total, "grand"),
    order.payment.paid ? row(t("paid"), order.payment.paid) : null,
    order.payment.rounding ? row(t("rounding"), order.payment.rounding) : null,
    order.payment.balance > 0 ? row(t("balance"), order.payment.balance, "due") : null,
  );
}

/** Prints a ticket (print CSS shows only `#print-area`): lines with their modifiers in
 * smaller type, totals, then each payment with what was received and the change. */
export function printTicket(order: Order, restaurant = "", payments: S["Payment"][] = []): void {
  let area = document.getElementById("print-area");
  if (!area) {
    area = h("div", { id: "print-area" });
    document.body.append(area);
  }
  mount(area, ticket(order, restaurant, payments));
  window.print();
}

/** The ticket's content (printed by `printTicket`). */
export function ticket(order: Order, restaurant: string, payments: S["Payment"][]): HTMLElement {
  return h(
    "div",
    { class: "ticket" },
    h("h2", null, restaurant || "ChatBotDysa"),
    h("p", null, `${t("order_n", { n: orderLabel(order.number) })} · ${dateTime(order.created_at, lang())}`),
    h("p", null, `${t("channel")}: ${tk(`ch_${order.channel}`)}`),
    h("table", null, order.lines.filter((l) => !l.voided).map((l) =>
      h("tr", null,
        h("td", null, h("span", { class: "dish" }, `${l.quantity}× ${l.name}`),
          l.modifiers.map((m) => h("div", { class: "mod" }, `+ ${m.name}`)),
          l.note ? h("div", { class: "mod" }, `“${l.note}”`) : null,
          l.discount ? h("div", { class: "mod" }, `${t("line_discount")}${l.discount.percent ? ` ${l.discount.percent}%` : ""} ${clp(-l.discount.amount)}`) : null),
        h("td", { class: "num" }, clp(l.line_total))))),
    totals(order),
    payments.length ? h("table", { class: "ticket-payments" }, payments.map((p) =>
      h("tr", null,
        h("td", null, p.refund_of ? `${t("refund")} ${tk(`pay_${p.method}`)}` : tk(`pay_${p.method}`),
          p.received ? h("div", { class: "mod" }, `${t("received")} ${clp(p.received)}`) : null,
          p.change ? h("div", { class: "mod" }, `${t("change")} ${clp(p.change)}`) : null),
        h("td", { class: "num" }, clp(p.amount + p.tip))))) : null,
    order.note ? h("p", null, order.note) : null,
  );
}
