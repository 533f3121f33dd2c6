// Today at a glance, live from /events.

import { api, type S } from "../api/client";
import { subscribe } from "../api/events";
import { h, mount } from "../lib/dom";
import { barChart, hours } from "../lib/chart";
import { clp, localDate, time } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import { can } from "../lib/session";
import { empty, failure, loading, pageHeader } from "../lib/ui";
import { BOARD } from "./order-parts";

export function renderDashboard(root: HTMLElement): () => void {
  const body = h("div", { class: "dashboard" }, loading());
  mount(root, pageHeader(t("nav_dashboard"), h("span", { class: "chip ok live" }, h("span", { class: "dot" }), t("live"))), body);
  const refresh = async () => {
    const today = localDate();
    try {
      const [summary, orders, reservations] = await Promise.all([
        api.get("/api/v1/analytics/summary", { query: { from: today, to: today } }),
        can("orders:read") ? api.get("/api/v1/orders", { query: { from: today, to: today, limit: 200 } }) : Promise.resolve(null),
        can("reservations:read") ? api.get("/api/v1/reservations", { query: { date: today } }) : Promise.resolve([]),
      ]);
      draw(summary, orders?.items ?? [], reservations);
    } catch (error) {
      mount(body, failure(error, () => void refresh()));
    }
  };
  const draw = (summary: S["Summary"], orders: S["Order"][], reservations: S["ReservationView"][]) => {
    const now = Date.now();
    const upcoming = reservations
      .filter((r) => (r.status === "booked" || r.status === "confirmed") && Date.parse(r.ends_at) > now)
      .sort((a, b) => a.starts_at.localeCompare(b.starts_at))
      .slice(0, 6);
    const counts = [...BOARD, "completed", "cancelled"].map((status) => ({ status, n: orders.filter((o) => o.status === status).length }));
    mount(body,
      h("div", { class: "kpis" },
        kpi(t("today_sales"), clp(summary.sales), "kpi-sales"),
        kpi(t("orders_count"), String(summary.orders), "kpi-orders"),
        kpi(t("avg_ticket"), clp(summary.average_ticket), "kpi-avg")),
      h("div", { class: "grid2" },
        h("section", { class: "card" }, h("h2", null, t("orders_by_status")),
          h("div", { class: "status-counts" }, counts.map((c) =>
            h("a", { href: "/orders", class: `status-count s-${c.status}` }, h("strong", null, String(c.n)), h("span", null, tk(`st_${c.status}`)))))),
        h("section", { class: "card" }, h("h2", null, t("upcoming_reservations")),
          upcoming.length === 0 ? empty(t("no_reservations")) : h("ul", { class: "list" }, upcoming.map((r) =>
            h("li", null, h("strong", null, time(r.starts_at, lang())), ` ${r.name} · ${r.party_size} p.`))))),
      h("div", { class: "grid2" },
        h("section", { class: "card" }, h("h2", null, t("sales_by_hour")),
          summary.sales === 0 ? empty(t("no_sales")) : barChart(hours(summary.by_hour), t("sales_by_hour"), clp)),
        h("section", { class: "card" }, h("h2", null, t("top_items")),
          summary.top_items.length === 0 ? empty(t("no_sales")) : h("ol", { class: "top" }, summary.top_items.slice(0, 8).map((i) =>
            h("li", null, h("span", null, `${i.quantity}× ${i.name}`), h("span", { class: "num" }, clp(i.sales))))))),
    );
  };
  void refresh();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const off = subscribe((type) => {
    if (!type.startsWith("order.") && !type.startsWith("reservation.") && type !== "resync") return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 300);
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
  };
}

function kpi(label: string, value: string, id: string): HTMLElement {
  return h("div", { class: "kpi card", id }, h("span", { class: "label" }, label), h("strong", { class: "value" }, value));
}
