// "Caja": open this counter's drawer with a counted float, record pay-ins and pay-outs,
// count it blind by denomination, see the difference, close the session. A manager sees
// what the drawer should hold all along and may ask for a second count.

import { api, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { chooseDrawer, chosenDrawer, countTotal, differenceText, DENOMINATIONS, readCounts, type CountField } from "../lib/drawer";
import { clp, dateTime, parseClp, time } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import { can } from "../lib/session";
import { empty, field, formError, input, load, onSubmit, pageHeader, select, toast } from "../lib/ui";

type Session = S["SessionView"];
type DrawerEntry = S["DrawerWithSession"];

export function renderDrawer(root: HTMLElement): void {
  const body = h("div", { class: "drawer-page" });
  const history = h("div");
  const refresh = () => {
    void load(body, () => api.get("/api/v1/drawers"), (drawers) => draw(drawers));
    void load(history, () => api.get("/api/v1/drawer-sessions", { query: { limit: 10 } }), (sessions) => drawHistory(sessions));
  };

  const draw = (drawers: DrawerEntry[]) => {
    const chosen = drawers.find((d) => d.drawer.id === chosenDrawer()) ?? drawers[0];
    if (!chosen) return mount(body, empty());
    const picker = drawers.length > 1
      ? field(t("drawer_pick"), select("drawer", drawers.map((d) => [d.drawer.id, d.drawer.name]), chosen.drawer.id, {
          onchange: (e: Event) => {
            chooseDrawer((e.target as HTMLSelectElement).value);
            refresh();
          },
        }))
      : null;
    const session = chosen.session ?? null;
    mount(body, picker, h("h2", null, chosen.drawer.name), session ? sessionCard(session) : openForm(chosen.drawer.id));
  };

  const openForm = (drawerId: string) => {
    const form = h("form", { class: "form card", id: "drawer-open" },
      h("p", null, t("drawer_closed_state")),
      field(t("drawer_float"), input("opening_float", { inputmode: "numeric", value: "0", class: "big-input" }), t("drawer_float_hint")),
      formError(),
      h("div", { class: "actions" }, h("button", { class: "btn primary big", type: "submit" }, t("drawer_open"))));
    onSubmit(form, async (v) => {
      await api.post("/api/v1/drawer-sessions", { body: { drawer_id: drawerId, opening_float: parseClp(v.opening_float ?? "") ?? -1 } });
      toast(() => t("drawer_opened"));
      refresh();
    });
    return form;
  };

  const sessionCard = (s: Session) => {
    const summary = h("dl", { class: "drawer-summary card" },
      h("dt", null, t("drawer_float")), h("dd", null, clp(s.opening_float)),
      h("dt", null, t("drawer_expected")), h("dd", { id: "drawer-expected" }, s.expected === null || s.expected === undefined ? t("drawer_expected_hidden") : clp(s.expected)),
      s.counted_total !== null && s.counted_total !== undefined ? [h("dt", null, t("drawer_counted")), h("dd", { id: "drawer-counted" }, clp(s.counted_total))] : null,
      s.difference !== null && s.difference !== undefined
        ? [h("dt", null, t("drawer_difference")), h("dd", { id: "drawer-difference", class: s.difference === 0 ? "ok" : "warn" }, differenceText(s.difference))]
        : null);
    const totals = s.totals ? h("p", { class: "muted" }, t("drawer_totals", {
      sales: clp(s.totals.sales), refunds: clp(s.totals.refunds), pay_ins: clp(s.totals.pay_ins), pay_outs: clp(s.totals.pay_outs),
    })) : null;
    const movements = h("section", { class: "card" }, h("h3", null, t("drawer_movements")),
      s.movements.length === 0 ? empty(t("drawer_no_movements")) : h("ul", { class: "drawer-movements" }, s.movements.map((m) =>
        h("li", null, h("span", null, time(m.created_at, lang())), h("span", null, tk(`drawer_kind_${m.kind}`)),
          h("span", null, m.reason ?? ""), h("strong", null, clp(m.kind === "sale" || m.kind === "pay_in" ? m.amount : -m.amount))))));
    const status = h("p", { class: "status" }, t("drawer_open_since", { time: time(s.opened_at, lang()), float: clp(s.opening_float) }), " · ", tk(`drawer_status_${s.status}`));
    const parts: (HTMLElement | null)[] = [status, summary, totals];
    if (s.status === "open") parts.push(moveForm(s), countForm(s));
    if (s.status === "recount") parts.push(h("p", { class: "notice" }, t("drawer_recount_state")), countForm(s));
    if (s.status === "counted") {
      parts.push(h("div", { class: "actions" },
        can("drawer:audit") ? h("button", { class: "btn", id: "drawer-recount", onclick: () => void act(api.post("/api/v1/drawer-sessions/{id}/recount", { path: { id: s.id } })) }, t("drawer_recount")) : null,
        h("button", { class: "btn primary big", id: "drawer-close", onclick: () => void act(api.post("/api/v1/drawer-sessions/{id}/close", { path: { id: s.id } }), () => t("drawer_closed_done")) }, t("drawer_close"))));
    }
    parts.push(movements);
    return h("div", { class: "drawer-session" }, parts);
  };

  const act = async (request: Promise<unknown>, done?: () => string) => {
    try {
      await request;
      if (done) toast(done);
    } catch (error) {
      toast(error instanceof Error ? error.message : t("error_generic"), "error");
    }
    refresh();
  };

  const moveForm = (s: Session) => {
    const form = h("form", { class: "form card", id: "drawer-move" },
      h("h3", null, t("drawer_move")),
      field(t("drawer_kind"), select("kind", [["pay_out", t("drawer_kind_pay_out")], ["pay_in", t("drawer_kind_pay_in")]], "pay_out")),
      field(t("amount"), input("amount", { inputmode: "numeric" })),
      field(t("drawer_reason"), input("reason", { maxlength: 200 }), t("drawer_reason_hint")),
      formError(),
      h("div", { class: "actions" }, h("button", { class: "btn", type: "submit" }, t("drawer_move_save"))));
    onSubmit(form, async (v) => {
      await api.post("/api/v1/drawer-sessions/{id}/movements", {
        path: { id: s.id },
        body: { kind: v.kind === "pay_in" ? "pay_in" : "pay_out", amount: parseClp(v.amount ?? "") ?? 0, reason: v.reason ?? "" },
      });
      toast(() => t("drawer_move_done"));
      refresh();
    });
    return form;
  };

  const countForm = (s: Session) => {
    const total = h("output", { class: "change", id: "drawer-count-total" }, t("drawer_count_total", { amount: clp(0) }));
    const inputs = DENOMINATIONS.map((d) => input(`counts.${d.field}`, { inputmode: "numeric", placeholder: "0", "aria-label": denominationLabel(d.value, d.bill), dataset: { denomination: d.field } }));
    const typed = () => {
      const text: Partial<Record<CountField, string>> = {};
      DENOMINATIONS.forEach((d, i) => (text[d.field] = inputs[i]?.value ?? ""));
      return readCounts(text);
    };
    const update = () => {
      const counts = typed();
      const ok = DENOMINATIONS.every((d) => Number.isFinite(counts[d.field]));
      total.textContent = t("drawer_count_total", { amount: ok ? clp(countTotal(counts)) : "—" });
    };
    inputs.forEach((el) => el.addEventListener("input", update));
    const form = h("form", { class: "form card", id: "drawer-count" },
      h("h3", null, t("drawer_count")),
      h("p", { class: "muted" }, t("drawer_count_hint")),
      h("div", { class: "denominations" }, DENOMINATIONS.map((d, i) => field(denominationLabel(d.value, d.bill), inputs[i] as HTMLInputElement))),
      total,
      formError(),
      h("div", { class: "actions" }, h("button", { class: "btn primary big", type: "submit" }, t("drawer_count_save"))));
    onSubmit(form, async () => {
      await api.post("/api/v1/drawer-sessions/{id}/count", { path: { id: s.id }, body: { counts: typed() } });
      refresh();
    });
    return form;
  };

  const drawHistory = (sessions: Session[]) => {
    mount(history, h("h2", null, t("drawer_history")), sessions.length === 0 ? empty() : h("div", { class: "table-scroll" }, h("table", { class: "table card" },
      h("thead", null, h("tr", null, h("th", null, t("drawer_title")), h("th", null, t("drawer_opened_at")), h("th", null, t("drawer_status")),
        h("th", null, t("drawer_float")), h("th", null, t("drawer_expected")), h("th", null, t("drawer_counted")), h("th", null, t("drawer_difference")))),
      h("tbody", null, sessions.map((s) => h("tr", null,
        h("td", null, s.drawer_name), h("td", null, dateTime(s.opened_at, lang())), h("td", null, tk(`drawer_status_${s.status}`)),
        h("td", null, clp(s.opening_float)), h("td", null, s.expected === null || s.expected === undefined ? "—" : clp(s.expected)),
        h("td", null, s.counted_total === null || s.counted_total === undefined ? "—" : clp(s.counted_total)),
        h("td", null, s.difference === null || s.difference === undefined ? "—" : differenceText(s.difference))))))));
  };

  mount(root, pageHeader(t("drawer_title")), body, history);
  refresh();
}

function denominationLabel(value: number, bill: boolean): string {
  return bill ? t("drawer_bill", { value: clp(value) }) : t("drawer_coin", { value: clp(value) });
}
