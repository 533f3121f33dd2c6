// Pieces shared by the order pages: status labels, payment taking, the printed ticket.

import { api, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { clp, dateTime, parseClp, change } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import { dialog, field, formError, input, showErrors, toast } from "../lib/ui";

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

/** Takes one or more payments until the order is paid (split: pay a part, then the rest). */
export function takePayment(order: Order): Promise<Order> {
  return new Promise((resolve) => {
    let current = order;
    let method: S["PaymentMethod"] = "cash";
    const body = h("div", { class: "pay" });
    const d = dialog(`${t("take_payment")} — ${t("order_n", { n: order.number })}`, body, true);
    const draw = () => {
      const due = method === "cash" ? current.cash_balance : current.payment.balance;
      const amount = input("amount", { inputmode: "numeric", value: String(due), class: "big-input", "aria-label": t("amount") });
      const received = input("received", { inputmode: "numeric", value: "", class: "big-input", placeholder: clp(due) });
      const changeOut = h("output", { class: "change" }, "");
      const update = () => {
        const a = parseClp(amount.value) ?? 0;
        const r = parseClp(received.value);
        changeOut.textContent = r !== null && r > 0 ? `${t("change")}: ${clp(change(r, a))}` : "";
      };
      amount.addEventListener("input", update);
      received.addEventListener("input", update);
      const quick = method === "cash"
        ? h("div", { class: "quick" }, [due, 5000, 10000, 20000].filter((v, i, a) => v >= due && a.indexOf(v) === i).map((v) =>
            h("button", { class: "btn", type: "button", onclick: () => { received.value = String(v); update(); } }, clp(v))))
        : null;
      const form = h(
        "form",
        { class: "form" },
        h("div", { class: "due" }, h("span", null, t("balance")), h("strong", null, clp(current.payment.balance))),
        h("div", { class: "segmented", role: "radiogroup", "aria-label": t("take_payment") }, METHODS.map((m) =>
          h("button", { type: "button", class: m === method ? "btn seg on" : "btn seg", role: "radio", "aria-checked": String(m === method), onclick: () => { method = m; draw(); } }, tk(`pay_${m}`)))),
        field(t("amount"), amount, t("split_hint")),
        method === "cash" ? field(t("received"), received) : null,
        quick,
        changeOut,
        formError(),
        h("div", { class: "actions" }, h("button", { class: "btn primary big", type: "submit" }, t("take_payment"))),
      );
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const a = parseClp(amount.value);
        const r = parseClp(received.value);
        try {
          const receipt = await api.post("/api/v1/payments", {
            body: { order_id: current.id, method, amount: a ?? 0, received: method === "cash" && r ? r : null },
          });
          current = receipt.order;
          if (receipt.payment.change) toast(`${t("change")}: ${clp(receipt.payment.change)}`);
          else toast(t("pay_done"));
          if (current.payment.balance <= 0) {
            toast(t("fully_paid"));
            d.close();
          } else draw();
        } catch (error) {
          showErrors(form, error);
        }
      });
      mount(body, form);
      amount.select();
    };
    draw();
    void d.closed.then(() => resolve(current));
  });
}

/** Prints a ticket (print CSS shows only `#print-area`). */
export function printTicket(order: Order, restaurant = ""): void {
  let area = document.getElementById("print-area");
  if (!area) {
    area = h("div", { id: "print-area" });
    document.body.append(area);
  }
  mount(
    area,
    h(
      "div",
      { class: "ticket" },
      h("h2", null, restaurant || "ChatBotDysa"),
      h("p", null, `${t("order_n", { n: order.number })} · ${dateTime(order.created_at, lang())}`),
      h("p", null, `${t("channel")}: ${tk(`ch_${order.channel}`)}`),
      h("table", null, order.lines.filter((l) => !l.voided).map((l) =>
        h("tr", null,
          h("td", null, `${l.quantity}× ${l.name}`, l.modifiers.map((m) => h("div", { class: "mod" }, `+ ${m.name}`)), l.note ? h("div", { class: "mod" }, l.note) : null),
          h("td", { class: "num" }, clp(l.line_total))))),
      totals(order),
      order.note ? h("p", null, order.note) : null,
    ),
  );
  window.print();
}
