// Orders of every location over a period, newest first, with their status. A row opens
// the order: its lines with modifiers, payments and status history, and (while it is
// open) a request to the location to cancel it.

import { cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { clp, dateTime } from "../../lib/format";
import { lang, tk } from "../../lib/i18n";
import { confirmReason, dialog, empty, failure, load, pageHeader, toast } from "../../lib/ui";
import { d, dk } from "../i18n";
import { canRequestCancel, modifiersText } from "../logic";
import { can } from "../session";
import { currentFilters, filterForm, tenantLocations } from "./filters";
import { orderLabel } from "../../lib/order-number";

export function renderOrders(root: HTMLElement): void {
  const filters = currentFilters(7);
  const body = h("div");
  mount(root, pageHeader(d("nav_orders")), body);
  void load(
    body,
    () =>
      Promise.all([
        tenantLocations(),
        cloud.get("/api/v1/orders", { query: { from: filters.from, to: filters.to, location_id: filters.location || undefined, limit: 200 } }),
      ]),
    ([locations, orders]) => {
      const names = new Map(locations.map((l) => [l.id, l.name]));
      mount(
        body,
        filterForm(filters, locations),
        orders.length === 0
          ? empty(d("no_orders"))
          : h(
              "div",
              { class: "table-wrap" },
              h(
                "table",
                { class: "table orders-table" },
                h(
                  "thead",
                  null,
                  h(
                    "tr",
                    null,
                    h("th", { scope: "col" }, d("number")),
                    h("th", { scope: "col" }, d("date")),
                    h("th", { scope: "col" }, d("location")),
                    h("th", { scope: "col" }, d("channel")),
                    h("th", { scope: "col" }, d("status")),
                    h("th", { scope: "col", class: "num" }, d("total")),
                  ),
                ),
                h(
                  "tbody",
                  null,
                  orders.map((o) =>
                    h(
                      "tr",
                      { class: o.status === "cancelled" ? "voided clickable" : "clickable", dataset: { order: o.id }, onclick: () => void openOrder(o.id, names) },
                      h("td", null, h("button", { class: "btn ghost link", type: "button", "aria-label": d("open_order", { n: orderLabel(o.number) }), onclick: (e: Event) => (e.stopPropagation(), void openOrder(o.id, names)) }, `#${orderLabel(o.number)}`)),
                      h("td", null, dateTime(o.created_at, lang())),
                      h("td", null, names.get(o.location_id) ?? "—"),
                      h("td", null, tk(`ch_${o.channel}`)),
                      h("td", null, h("span", { class: `chip st-${o.status}` }, dk(`st_${o.status}`))),
                      h("td", { class: "num" }, clp(o.total)),
                    ),
                  ),
                ),
              ),
            ),
      );
    },
  );
}

/** The order's detail in a dialog; reopened after a cancel request so its state shows. */
async function openOrder(id: string, names: Map<string, string>): Promise<void> {
  let order: CS["OrderDetail"];
  try {
    order = await cloud.get("/api/v1/orders/{id}", { path: { id } });
  } catch (error) {
    toast(failure(error).textContent ?? "", "error");
    return;
  }
  const fact = (label: string, value: string | Node) => [h("dt", null, label), h("dd", null, value)];
  const request = order.cancel_request;
  const requestNote = request
    ? h(
        "p",
        { class: request.outcome === "accepted" ? "chip ok" : request.outcome === "refused" ? "chip bad" : "chip", "data-cancel-state": request.outcome ?? "pending" },
        request.outcome === "accepted" ? d("cancel_accepted") : request.outcome === "refused" ? d("cancel_refused", { note: request.note ?? "" }).trim() : d("cancel_pending", { who: request.requested_by }),
      )
    : null;
  const lines = h(
    "ul",
    { class: "order-lines" },
    order.lines.map((l) => {
      const mods = modifiersText(l.modifiers, clp);
      return h(
        "li",
        { class: l.voided_at ? "voided" : "" },
        h("span", { class: "grow" }, h("strong", null, `${l.quantity} × ${l.name}`), mods ? h("small", { class: "muted" }, mods) : null, l.note ? h("small", { class: "muted" }, `${d("note")}: ${l.note}`) : null, l.voided_at ? h("small", { class: "chip bad" }, d("line_voided")) : null),
        h("span", { class: "num" }, clp(l.line_total)),
      );
    }),
  );
  const totals = h(
    "dl",
    { class: "facts" },
    ...fact(tk("subtotal"), clp(order.subtotal)),
    ...(order.discount ? fact(tk("discount"), `−${clp(order.discount)}`) : []),
    ...(order.tip ? fact(tk("tip"), clp(order.tip)) : []),
    ...fact(d("total"), h("strong", null, clp(order.total))),
  );
  const payments = order.payments.length
    ? h(
        "ul",
        { class: "order-lines" },
        order.payments.map((p) =>
          h("li", null, h("span", { class: "grow" }, `${p.kind === "refund" ? d("refund") + " · " : ""}${tk(`pay_${p.method}`, p.method)}`, h("small", { class: "muted" }, dateTime(p.created_at, lang()))), h("span", { class: "num" }, `${p.kind === "refund" ? "−" : ""}${clp(p.amount)}${p.tip ? ` (+${clp(p.tip)})` : ""}`)),
        ),
      )
    : h("p", { class: "muted" }, d("no_payments"));
  const history = h(
    "ol",
    { class: "order-history" },
    order.transitions.map((tr) => h("li", null, h("span", { class: `chip st-${tr.to_status}` }, dk(`st_${tr.to_status}`)), " ", h("small", { class: "muted" }, dateTime(tr.at, lang())), tr.reason ? h("small", null, ` · ${tr.reason}`) : null)),
  );
  const cancelButton =
    can("orders:update") && canRequestCancel(order)
      ? h("button", { class: "btn danger", type: "button", "data-cancel-request": "", onclick: () => void askCancel() }, d("request_cancel"))
      : null;
  const body = h(
    "div",
    { class: "form order-detail", dataset: { orderDetail: order.id } },
    h(
      "dl",
      { class: "facts" },
      ...fact(d("status"), h("span", { class: `chip st-${order.status}` }, dk(`st_${order.status}`))),
      ...fact(d("channel"), tk(`ch_${order.channel}`)),
      ...fact(d("date"), dateTime(order.created_at, lang())),
      ...fact(d("location"), names.get(order.location_id) ?? "—"),
    ),
    order.note ? h("p", { class: "order-note" }, `${d("note")}: ${order.note}`) : null,
    order.cancel_reason ? h("p", { class: "chip bad" }, `${d("cancel_reason")}: ${order.cancel_reason}`) : null,
    requestNote,
    h("h3", null, d("order_lines")),
    lines,
    totals,
    h("h3", null, d("payments")),
    payments,
    h("h3", null, d("history")),
    history,
    cancelButton ? h("div", { class: "actions" }, cancelButton) : null,
  );
  const dlg = dialog(d("order_title", { n: orderLabel(order.number) }), body, true);

  async function askCancel(): Promise<void> {
    const reason = await confirmReason(d("request_cancel"), d("cancel_reason"));
    if (!reason) return;
    try {
      await cloud.post("/api/v1/orders/{id}/cancel-request", { path: { id: order.id }, body: { reason } });
      toast(() => d("cancel_sent"));
      dlg.close();
      await dlg.closed;
      void openOrder(order.id, names);
    } catch (error) {
      toast(failure(error).textContent ?? "", "error");
    }
  }
}
