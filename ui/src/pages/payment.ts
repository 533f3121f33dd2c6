// Taking payment at the counter: the cash the diner hands over is typed first (or a bill
// tapped), the change is shown at once and again once the order is paid.

import { api, ApiError, type S } from "../api/client";
import { chosenDrawer } from "../lib/drawer";
import { h, mount } from "../lib/dom";
import { change, clp, parseClp } from "../lib/format";
import { t, tk } from "../lib/i18n";
import { dialog, field, formError, input, showErrors, toast } from "../lib/ui";
import { orderLabel } from "../lib/order-number";

type Order = S["Order"];
const METHODS: S["PaymentMethod"][] = ["cash", "debit", "credit", "transfer", "mercado_pago"];
/** Chilean banknotes, smallest first. */
const BILLS = [1000, 2000, 5000, 10000, 20000];

/** The suggested tip (10% of the food total, to the peso): offered, never added by itself. */
export function suggestedTip(total: number): number {
  return total > 0 ? Math.round(total / 10) : 0;
}

/** What a payment run ended with: the order as it stands and the change handed back. */
export interface PaymentResult {
  order: Order;
  change: number;
}

/**
 * The amounts a diner is likely to hand over for `due`: the exact amount, then each bill
 * rounded up (and two $20.000 bills more than that for large totals), at most five, in order.
 */
export function quickBills(due: number): number[] {
  if (due <= 0) return [];
  const out = new Set<number>([due]);
  for (const bill of BILLS) out.add(Math.ceil(due / bill) * bill);
  const twenties = Math.ceil(due / 20000) * 20000;
  out.add(twenties + 10000);
  out.add(twenties + 20000);
  return [...out].sort((a, b) => a - b).slice(0, 5);
}

/**
 * Reads the two fields of the cash form. Cashiers type the bill they were handed; when
 * that lands in "Monto" (more than is due, nothing in "Recibido") it is the amount
 * received and the whole balance is charged, never the answer "the payment exceeds the
 * balance".
 */
export function cashAmounts(amountText: string, receivedText: string, due: number): { amount: number; received: number | null } {
  const amount = parseClp(amountText) ?? due;
  const received = parseClp(receivedText);
  if (received === null && amount > due) return { amount: due, received: amount };
  return { amount, received: received !== null && received > 0 ? received : null };
}

/** A split tab's bill being charged: its number and what it still owes. */
export interface BillDue {
  number: number;
  balance: number;
}

/** Cash is charged to the nearest $10 (Ley 20.956): 1–5 pesos down, 6–9 up. */
export function cashRound(amount: number): number {
  return amount <= 0 ? 0 : Math.floor((amount + 4) / 10) * 10;
}

/**
 * Takes one or more payments until the order (or, for a split tab, one of its bills) is
 * paid (split: pay a part, then the rest).
 */
export function takePayment(order: Order, bill?: BillDue): Promise<PaymentResult> {
  return new Promise((resolve) => {
    let current = order;
    let billLeft = bill?.balance ?? 0;
    let method: S["PaymentMethod"] = "cash";
    let changeGiven = 0;
    const body = h("div", { class: "pay" });
    const title = bill ? `${t("take_payment")} — ${t("fl_bill_n", { n: bill.number })}` : `${t("take_payment")} — ${t("order_n", { n: orderLabel(order.number) })}`;
    const d = dialog(title, body, true);
    // A factura's receptor, asked only where the restaurant issues tax documents; kept
    // across redraws so a method change does not lose what was typed.
    let fiscalOn = false;
    const invoice = h("details", { class: "invoice", id: "pay-invoice" }, h("summary", null, t("fiscal_invoice")),
      field(t("fiscal_rut"), input("invoice_to.rut", { placeholder: "76.123.456-7", autocomplete: "off" })),
      field(t("fiscal_company"), input("invoice_to.name", { autocomplete: "off" })),
      field(t("fiscal_activity"), input("invoice_to.activity", { autocomplete: "off" })),
      field(t("fiscal_address"), input("invoice_to.address", { autocomplete: "off" })),
      field(t("fiscal_municipality"), input("invoice_to.municipality", { autocomplete: "off" })));
    const invoiceTo = () => {
      if (!fiscalOn || !invoice.open) return null;
      const value = (name: string) => invoice.querySelector<HTMLInputElement>(`input[name="invoice_to.${name}"]`)?.value.trim() ?? "";
      return { rut: value("rut"), name: value("name"), activity: value("activity"), address: value("address") || null, municipality: value("municipality") || null };
    };
    api.get("/api/v1/fiscal").then((o) => {
      fiscalOn = o.enabled;
      if (fiscalOn) draw();
    }).catch(() => undefined);
    const draw = () => {
      const cash = method === "cash";
      const balance = bill ? billLeft : current.payment.balance;
      const due = cash ? (bill ? cashRound(billLeft) : current.cash_balance) : balance;
      const amount = input("amount", { inputmode: "numeric", value: String(due), class: cash ? "" : "big-input", "aria-label": t("amount") });
      const received = input("received", { inputmode: "numeric", value: "", class: "big-input", placeholder: clp(due), autocomplete: "off" });
      const changeOut = h("output", { class: "change", id: "pay-change" }, "");
      const form = h("form", { class: "form" });
      const update = () => {
        const { amount: a, received: r } = cashAmounts(amount.value, received.value, due);
        changeOut.textContent = cash && r !== null ? `${t("change")}: ${clp(change(r, a))}` : "";
      };
      amount.addEventListener("input", update);
      received.addEventListener("input", update);
      const pay = async (submitter: HTMLElement | null) => {
        const { amount: a, received: r } = cash ? cashAmounts(amount.value, received.value, due) : { amount: parseClp(amount.value) ?? 0, received: null };
        form.querySelectorAll("button").forEach((b) => (b.disabled = true));
        try {
          const receipt = await api.post("/api/v1/payments", {
            body: { order_id: current.id, method, amount: a, received: cash ? r : null, drawer_id: cash ? chosenDrawer() : null, bill: bill?.number ?? null, invoice_to: invoiceTo() },
          });
          current = receipt.order;
          changeGiven += receipt.payment.change ?? 0;
          billLeft -= receipt.payment.amount + receipt.payment.tip;
          // Within cash rounding of zero a bill is settled, as the order is.
          if (bill ? billLeft <= 5 : current.payment.balance <= 0) {
            d.close();
            return;
          }
          const change = receipt.payment.change;
          toast(() => (change ? `${t("change")}: ${clp(change)}` : t("pay_done")));
          draw();
        } catch (error) {
          form.querySelectorAll("button").forEach((b) => (b.disabled = false));
          showErrors(form, error);
          if (error instanceof ApiError && error.code === "no_open_drawer") offerDrawer(() => void pay(submitter));
          else submitter?.focus();
        }
      };
      // Cash needs an open drawer on this counter: open it here with its float, then charge.
      const offerDrawer = (retry: () => void) => {
        if (form.querySelector("#pay-open-drawer")) return;
        const float = input("opening_float", { inputmode: "numeric", value: "0", "aria-label": t("drawer_float") });
        const offer = h("div", { class: "notice", id: "pay-open-drawer" },
          h("p", null, t("drawer_needed")),
          field(t("drawer_float"), float, t("drawer_float_hint")),
          h("button", { class: "btn primary", type: "button", id: "pay-open-drawer-go", onclick: async () => {
            try {
              await api.post("/api/v1/drawer-sessions", { body: { drawer_id: chosenDrawer(), opening_float: parseClp(float.value) ?? -1 } });
              offer.remove();
              toast(() => t("drawer_opened"));
              retry();
            } catch (error) {
              showErrors(offer, error);
            }
          } }, t("drawer_open_and_pay")),
          formError());
        form.querySelector(".actions")?.before(offer);
        float.select();
      };
      const quick = cash
        ? h("div", { class: "quick", role: "group", "aria-label": t("pay_bills") }, quickBills(due).map((v) =>
            h("button", { class: "btn bill", type: "button", dataset: { bill: String(v) }, onclick: (e: Event) => {
              received.value = String(v);
              update();
              void pay(e.currentTarget as HTMLElement);
            } }, v === due ? `${t("pay_exact")} ${clp(v)}` : clp(v))))
        : null;
      // The 10% tip is offered while nothing is paid yet; the diner may decline, so it is
      // never added without a tap, and a tap takes it back.
      const setTip = async (tip: number) => {
        try {
          current = await api.patch("/api/v1/orders/{id}", { path: { id: current.id }, body: { tip } });
          draw();
        } catch (error) {
          showErrors(form, error);
        }
      };
      const suggested = suggestedTip(current.total);
      const tipRow = bill || current.payment.state !== "unpaid" || suggested === 0
        ? null
        : current.tip > 0
          ? h("div", { class: "tip-row" }, h("span", null, `${t("tip")}: ${clp(current.tip)}`),
              h("button", { class: "btn", type: "button", id: "tip-remove", onclick: () => void setTip(0) }, t("tip_remove")))
          : h("div", { class: "tip-row" },
              h("button", { class: "btn", type: "button", id: "tip-suggested", onclick: () => void setTip(suggested) }, t("tip_suggested", { amount: clp(suggested) })));
      mount(form,
        h("div", { class: "due" }, h("span", null, t("balance")), h("strong", null, clp(balance))),
        tipRow,
        h("div", { class: "segmented", role: "radiogroup", "aria-label": t("take_payment") }, METHODS.map((m) =>
          h("button", { type: "button", class: m === method ? "btn seg on" : "btn seg", role: "radio", "aria-checked": String(m === method), onclick: () => { method = m; draw(); } }, tk(`pay_${m}`)))),
        cash ? field(t("received"), received, t("pay_received_hint")) : null,
        quick,
        changeOut,
        field(t("amount"), amount, t("pay_amount_hint")),
        fiscalOn ? invoice : null,
        formError(),
        h("div", { class: "actions" }, h("button", { class: "btn primary big", type: "submit" }, t("take_payment"))));
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        void pay((e as SubmitEvent).submitter ?? null);
      });
      mount(body, form);
      if (cash) received.focus();
      else amount.select();
    };
    draw();
    void d.closed.then(() => resolve({ order: current, change: changeGiven }));
  });
}

/** The "order paid" dialog: the total, what was paid and, large, the change to give back. */
export function paidSummary(order: Order, changeGiven: number): HTMLElement {
  return h("div", { class: "paid-summary" },
    h("div", { class: "row" }, h("span", null, t("total")), h("strong", null, clp(order.total))),
    order.payment.rounding ? h("div", { class: "row" }, h("span", null, t("rounding")), h("span", null, clp(order.payment.rounding))) : null,
    h("div", { class: "row" }, h("span", null, t("received")), h("span", { id: "paid-received" }, clp(order.payment.paid + changeGiven))),
    h("div", { class: "row change-row" }, h("span", null, t("change_to_give")),
      h("strong", { class: "change", id: "paid-change" }, changeGiven ? clp(changeGiven) : t("no_change"))));
}
