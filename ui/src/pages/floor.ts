// The Salón (floor): each area's tables on a grid, live with their state (libre, ocupada
// with covers, waiter, minutes and amount, pidió la cuenta, reservada pronto, por limpiar).
// A waiter's tool at 390 px as much as a manager's at 1366: tap a table to open it, take a
// round by category with seat and course, "Marchar", ask for the bill, move or merge the
// tab, split it and charge each bill. Managers place tables by drag and drop.

import { api, ApiError, type S } from "../api/client";
import { disconnect, subscribe } from "../api/events";
import { h, mount } from "../lib/dom";
import { clp, time } from "../lib/format";
import { lang, t, tk } from "../lib/i18n";
import { can, currentUser, signedIn } from "../lib/session";
import { dialog, empty, failure, field, loading, pageHeader, select, showErrors, toast, formError } from "../lib/ui";
import { pinPicker } from "./auth";
import { chooseModifiers } from "./new-order";
import { takePayment } from "./payment";

type Table = S["TableWithStatus"];
type Order = S["Order"];
type Item = S["TreeItem"];
type Course = S["Course"];

export const COURSES: Course[] = ["drinks", "starters", "mains", "desserts"];

/** Where a line of a tab is in the kitchen: in no ticket yet, fired at a time, or bumped. */
export type LineMark = { state: "waiting" } | { state: "fired"; at: string } | { state: "ready" };

/** Each line's mark from the order's kitchen tickets (a line is in one ticket at most): a
 * bumped line or ticket is ready, any other ticket line is fired at its ticket's time. */
export function lineMarks(tickets: S["KitchenTicket"][]): Map<string, LineMark> {
  const marks = new Map<string, LineMark>();
  for (const ticket of tickets) {
    for (const line of ticket.lines) {
      marks.set(line.line_id, ticket.bumped_at || line.bumped_at ? { state: "ready" } : { state: "fired", at: ticket.fired_at });
    }
  }
  return marks;
}

/** A line's mark as a chip: "En espera", "Marchado 20:41", "Listo". */
function markChip(mark: LineMark): HTMLElement {
  const [kind, words] = mark.state === "ready"
    ? ["ok", t("fl_line_ready")]
    : mark.state === "fired"
      ? ["warn", t("fl_line_fired", { time: time(mark.at, lang()) })]
      : ["muted", t("fl_line_waiting")];
  return h("span", { class: `chip ${kind} line-mark`, dataset: { mark: mark.state } }, words);
}

/** Where each table sits: placed ones at their cell, the rest in a list; the plan's size. */
export function floorLayout(tables: Table[]): { placed: Table[]; unplaced: Table[]; cols: number; rows: number } {
  const placed = tables.filter((x) => x.grid_x != null && x.grid_y != null);
  const unplaced = tables.filter((x) => x.grid_x == null || x.grid_y == null);
  const cols = Math.max(6, ...placed.map((x) => (x.grid_x ?? 0) + 2));
  const rows = Math.max(3, ...placed.map((x) => (x.grid_y ?? 0) + 2));
  return { placed, unplaced, cols: Math.min(cols, 50), rows: Math.min(rows, 50) };
}

/** A round being taken, line by line, before it is sent. */
export interface DraftLine {
  item: Item;
  options: S["ModifierOption"][];
  quantity: number;
  note: string;
  seat: number | null;
  course: Course;
}

/** The body of `POST /orders/{id}/lines` for a draft round. */
export function roundBody(lines: DraftLine[]): S["AppendLines"] {
  return {
    lines: lines.map((l) => ({
      item_id: l.item.id,
      quantity: l.quantity,
      modifiers: l.options.map((o) => o.id),
      note: l.note || null,
      seat: l.seat,
      course: l.course,
    })),
  };
}

const nameOf = (x: { name: string; name_en?: string | null }) => (lang() === "en" && x.name_en ? x.name_en : x.name);

/** A fresh `Idempotency-Key`: one per request the waiter means, reused by its retries. */
function newKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
}

/**
 * Sends a write with its `Idempotency-Key`, retrying twice on a network failure (a Wi-Fi
 * hiccup) with the same key, so the server does it once.
 */
async function keyed<T>(send: (headers: Record<string, string>) => Promise<T>): Promise<T> {
  const headers = { "Idempotency-Key": newKey() };
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await send(headers);
    } catch (error) {
      // Only a lost answer (status 0: the network) is retried; any answer is final.
      if (!(error instanceof ApiError) || error.status !== 0) throw error;
      last = error;
      await new Promise((r) => setTimeout(r, 400 * (attempt + 1)));
    }
  }
  throw last;
}

export function renderFloor(root: HTMLElement): () => void {
  let tables: Table[] = [];
  let area = "";
  let arranging = false;
  const board = h("div", { class: "floor-board" }, loading());
  const areas = h("div", { class: "tabs", role: "tablist", "aria-label": t("fl_area") });
  const arrange = can("tables:write")
    ? h("button", { class: "btn", id: "floor-arrange", onclick: () => { arranging = !arranging; arrange!.textContent = arranging ? t("fl_arrange_done") : t("fl_arrange"); draw(); } }, t("fl_arrange"))
    : null;
  // A phone or the counter handed over mid-service: the next waiter's PIN, without going
  // through the sign-in page (the previous session closes once the PIN is right).
  const handOver = h("button", { class: "btn", id: "floor-switch", onclick: () => void switchWaiter() }, t("fl_switch"));
  mount(root, h("div", { class: "floor" }, pageHeader(t("nav_floor"), handOver, arrange), areas, board));

  const refresh = async () => {
    try {
      tables = (await api.get("/api/v1/tables")).filter((x) => x.active);
      draw();
    } catch (error) {
      mount(board, failure(error, () => void refresh()));
    }
  };

  const place = async (id: string, x: number, y: number) => {
    try {
      await api.patch("/api/v1/tables/{id}", { path: { id }, body: { grid_x: x, grid_y: y } });
      await refresh();
    } catch (error) {
      toast(error instanceof Error ? error.message : t("error_generic"), "error");
    }
  };

  const card = (table: Table): HTMLElement => {
    const tab = table.tab;
    const style = table.grid_x != null && table.grid_y != null ? `grid-column:${table.grid_x + 1};grid-row:${table.grid_y + 1}` : "";
    return h("button", {
      class: `floor-table st-${table.state}`, style, draggable: arranging ? "true" : undefined,
      dataset: { table: table.id, name: table.name, state: table.state },
      "aria-label": `${t("fl_table", { name: table.name })}, ${tk(`fl_${table.state}`)}`,
      ondragstart: (e: DragEvent) => e.dataTransfer?.setData("text/plain", table.id),
      onclick: () => { if (!arranging) void openTable(table, refresh); },
    },
      h("strong", { class: "floor-name" }, table.name),
      h("span", { class: "floor-state" }, tk(`fl_${table.state}`)),
      tab
        ? h("span", { class: "floor-tab" },
            tab.covers ? t("fl_covers_n", { n: tab.covers }) : null,
            tab.waiter_name ? h("span", null, tab.waiter_name) : null,
            h("span", null, t("fl_minutes", { n: tab.minutes_seated })),
            h("strong", null, clp(tab.amount)))
        : table.next_reservation && table.state === "reserved_soon"
          ? h("span", { class: "floor-tab" }, `${table.next_reservation.name} · ${t("fl_covers_n", { n: table.next_reservation.party_size })}`)
          : null);
  };

  const draw = () => {
    const names = [...new Set(tables.map((x) => x.area ?? ""))].sort();
    if (area && !names.includes(area)) area = "";
    mount(areas, names.length > 1
      ? [h("button", { class: area === "" ? "tab on" : "tab", role: "tab", onclick: () => { area = ""; draw(); } }, t("fl_all_areas")),
         ...names.map((n) => h("button", { class: area === n ? "tab on" : "tab", role: "tab", onclick: () => { area = n; draw(); } }, n || t("fl_no_area")))]
      : null);
    const shown = tables.filter((x) => area === "" || (x.area ?? "") === area);
    if (shown.length === 0) {
      mount(board, empty(t("fl_no_tables")));
      return;
    }
    const layout = floorLayout(shown);
    const grid = h("div", { class: `floor-grid${arranging ? " arranging" : ""}`, style: `--cols:${layout.cols};--rows:${layout.rows}` });
    if (arranging) {
      for (let y = 0; y < layout.rows; y++) {
        for (let x = 0; x < layout.cols; x++) {
          grid.append(h("div", {
            class: "floor-cell", style: `grid-column:${x + 1};grid-row:${y + 1}`, dataset: { x: String(x), y: String(y) },
            ondragover: (e: DragEvent) => e.preventDefault(),
            ondrop: (e: DragEvent) => {
              e.preventDefault();
              const id = e.dataTransfer?.getData("text/plain");
              if (id) void place(id, x, y);
            },
          }));
        }
      }
    }
    grid.append(...layout.placed.map(card));
    mount(board, grid, layout.unplaced.length
      ? h("section", { class: "floor-unplaced" }, arranging ? h("h2", null, t("fl_unplaced")) : null, h("div", { class: "floor-list" }, layout.unplaced.map(card)))
      : null);
  };

  const unsubscribe = subscribe((type) => {
    if (type === "table.updated" || type === "order.updated" || type === "order.created" || type === "resync") void refresh();
  });
  const tick = setInterval(() => void refresh(), 60_000);
  void refresh();
  return () => {
    unsubscribe();
    clearInterval(tick);
  };
}

/** "Cambiar mesero": the PIN pad in a dialog; a right PIN makes the next person the one
 * signed in, and the Salón redraws for them. */
async function switchWaiter(): Promise<void> {
  const body = h("div", { class: "form floor-switch" }, loading());
  const d = dialog(t("fl_switch"), body);
  try {
    const users = await api.get("/api/v1/auth/pin-users");
    mount(body, h("p", { class: "muted" }, t("fl_switch_hint")), pinPicker(users, {
      back: () => d.close(),
      backLabel: t("cancel"),
      skip: currentUser()?.id,
      done: (session) => {
        d.close();
        // The live stream was opened with the previous session: reopen it for the next.
        disconnect();
        signedIn(session);
        toast(() => t("fl_switched", { name: session.user.name }));
      },
    }));
  } catch (error) {
    mount(body, error instanceof ApiError && error.code === "device_not_known" ? h("p", { class: "notice" }, t("pin_device_unknown")) : failure(error, () => { d.close(); void switchWaiter(); }));
  }
}

/** A table tapped: open it (free), clean it (por limpiar) or work its tab. */
async function openTable(table: Table, changed: () => Promise<void>): Promise<void> {
  if (!table.tab) {
    const body = h("div", { class: "form floor-open" });
    let covers = Math.min(Math.max(table.seats || 2, 1), 99);
    const me = currentUser()?.id ?? "";
    let waiter = me;
    // Who serves the table: the person opening it unless they hand it to a colleague.
    // Without the list (an old server, a hiccup) the table opens for whoever opens it.
    const waiters = await api.get("/api/v1/waiters").catch(() => [] as S["Waiter"][]);
    const d = dialog(t("fl_table", { name: table.name }), body);
    const draw = () => mount(body,
      table.state === "to_clean"
        ? h("div", { class: "notice" }, h("p", null, t("fl_to_clean_hint")),
            h("button", { class: "btn", id: "floor-clean", onclick: async () => {
              try {
                await api.post("/api/v1/tables/{id}/clean", { path: { id: table.id } });
                d.close();
                await changed();
              } catch (error) {
                showErrors(body, error);
              }
            } }, t("fl_clean")))
        : null,
      h("div", { class: "row floor-covers" }, h("span", null, t("fl_covers")),
        h("button", { class: "btn icon", type: "button", "aria-label": "−", onclick: () => { covers = Math.max(1, covers - 1); draw(); } }, "−"),
        h("output", { id: "floor-covers" }, String(covers)),
        h("button", { class: "btn icon", type: "button", "aria-label": "+", onclick: () => { covers = Math.min(99, covers + 1); draw(); } }, "+")),
      waiters.length > 1
        ? field(t("fl_waiter"), select("waiter", waiters.map((w) => [w.id, w.id === me ? `${w.name} (${t("fl_you")})` : w.name]), waiter, {
            id: "floor-waiter", onchange: (e: Event) => { waiter = (e.target as HTMLSelectElement).value; },
          }))
        : null,
      formError(),
      h("div", { class: "actions" }, h("button", { class: "btn primary big", id: "floor-open", onclick: async (e: Event) => {
        (e.currentTarget as HTMLButtonElement).disabled = true;
        try {
          const tab = await keyed((headers) => api.post("/api/v1/tables/{id}/open", { path: { id: table.id }, body: { covers, waiter_id: waiter || null }, headers }));
          d.close();
          await changed();
          tabSheet(tab, table.name, changed);
        } catch (error) {
          showErrors(body, error);
          draw();
        }
      } }, t("fl_open"))));
    draw();
    return;
  }
  try {
    const tab = await api.get("/api/v1/orders/{id}", { path: { id: table.tab.order_id } });
    tabSheet(tab, table.name, changed);
  } catch (error) {
    toast(error instanceof Error ? error.message : t("error_generic"), "error");
  }
}

/** A table's tab: its lines by course, a new round, firing, the bill, moves and splits. */
function tabSheet(first: Order, tableName: string, changed: () => Promise<void>): void {
  let order = first;
  let name = tableName;
  let menu: S["MenuTree"] | null = null;
  let categoryId = "";
  let seat: number | null = null;
  let course: Course = "drinks";
  const draft: DraftLine[] = [];
  const body = h("div", { class: "tab-sheet" });
  const d = dialog(t("fl_table", { name }), body, true);
  const fail = (error: unknown) => toast(error instanceof ApiError ? error.message : t("error_generic"), "error");
  // Each line's place in the kitchen, from the order's tickets; redrawn alone (the round
  // being typed below keeps its focus) when a fire, a bump or a recall changes it.
  let marks = new Map<string, LineMark>();
  const linesSlot = h("div", { class: "tab-lines-slot" });
  const loadMarks = async () => {
    try {
      marks = lineMarks((await api.get("/api/v1/orders/{id}/kitchen-tickets", { path: { id: order.id } })).items);
    } catch {
      // Keep the last marks: the lines themselves are still right.
    }
  };
  const drawLines = () => mount(linesSlot, linesView());
  const unsubscribe = subscribe((type) => {
    if (type === "kitchen.updated") void loadMarks().then(drawLines);
  });
  void d.closed.then(unsubscribe);

  const reload = async () => {
    order = await api.get("/api/v1/orders/{id}", { path: { id: order.id } });
    draw();
    await changed();
  };

  const fire = async (c: Course) => {
    try {
      await api.post("/api/v1/orders/{id}/fire", { path: { id: order.id }, body: { course: c } });
      toast(() => t("fl_fired", { course: tk(`course_${c}`) }));
      await loadMarks();
      drawLines();
    } catch (error) {
      if (error instanceof ApiError && error.code === "nothing_to_fire") toast(() => t("fl_nothing_to_fire", { course: tk(`course_${c}`) }), "error");
      else fail(error);
    }
  };

  const send = async (button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      order = await keyed((headers) => api.post("/api/v1/orders/{id}/lines", { path: { id: order.id }, body: roundBody(draft), headers }));
      draft.length = 0;
      toast(() => t("fl_round_sent"));
      draw();
      await changed();
    } catch (error) {
      button.disabled = false;
      fail(error);
    }
  };

  const addItem = async (item: Item) => {
    if (item.modifier_groups.length > 0) {
      const chosen = await chooseModifiers(item);
      if (!chosen) return;
      draft.push({ ...chosen, seat, course });
    } else {
      draft.push({ item, options: [], quantity: 1, note: "", seat, course });
    }
    draw();
  };

  const linesView = () => {
    const live = order.lines.filter((l) => !l.voided);
    if (live.length === 0) return h("p", { class: "muted" }, t("fl_empty_tab"));
    const groups: (Course | null)[] = [...COURSES, null];
    return groups.map((c) => {
      const lines = live.filter((l) => (l.course ?? null) === c);
      if (lines.length === 0) return null;
      return h("section", { class: "tab-course" },
        h("div", { class: "row" }, h("h3", { class: "grow" }, c ? tk(`course_${c}`) : t("course_none")),
          c ? h("button", { class: "btn", dataset: { fire: c }, onclick: () => void fire(c) }, t("fl_fire")) : null),
        h("ul", { class: "tab-lines" }, lines.map((l) => h("li", { dataset: { line: l.id } },
          h("span", { class: "grow" }, `${l.quantity}× ${l.name}`,
            l.seat ? h("small", { class: "muted" }, ` · ${t("kds_seat", { n: l.seat })}`) : null,
            l.modifiers.length ? h("small", { class: "muted" }, ` · ${l.modifiers.map((m) => m.name).join(", ")}`) : null,
            l.note ? h("small", { class: "floor-note" }, ` · ${l.note}`) : null),
          markChip(marks.get(l.id) ?? { state: "waiting" }),
          h("span", { class: "num" }, clp(l.line_total))))));
    });
  };

  const roundView = () => {
    if (!menu) return h("button", { class: "btn", id: "floor-round", onclick: async () => {
      try {
        menu = await api.get("/api/v1/menu");
        categoryId = menu.categories[0]?.id ?? "";
        draw();
      } catch (error) {
        fail(error);
      }
    } }, t("fl_round"));
    const seats = Math.max(order.covers ?? 1, 1);
    const items = menu.categories.find((c) => c.id === categoryId)?.items ?? [];
    return h("section", { class: "round" },
      h("h3", null, t("fl_round")),
      h("div", { class: "segmented", role: "radiogroup", "aria-label": t("fl_course") }, COURSES.map((c) =>
        h("button", { type: "button", class: c === course ? "btn seg on" : "btn seg", role: "radio", "aria-checked": String(c === course), dataset: { course: c }, onclick: () => { course = c; draw(); } }, tk(`course_${c}`)))),
      h("div", { class: "segmented", role: "radiogroup", "aria-label": t("fl_seat") },
        [null, ...Array.from({ length: seats }, (_, i) => i + 1)].map((s) =>
          h("button", { type: "button", class: s === seat ? "btn seg on" : "btn seg", role: "radio", "aria-checked": String(s === seat), dataset: { seat: String(s ?? "") }, onclick: () => { seat = s; draw(); } }, s === null ? t("fl_seat_shared") : t("fl_seat_n", { n: s })))),
      h("div", { class: "tabs", role: "tablist" }, menu.categories.map((c) =>
        h("button", { class: c.id === categoryId ? "tab on" : "tab", role: "tab", onclick: () => { categoryId = c.id; draw(); } }, nameOf(c)))),
      h("div", { class: "item-grid floor-items" }, items.map((item) =>
        h("button", { class: item.available ? "item-tile" : "item-tile out", disabled: !item.available, onclick: () => void addItem(item) },
          h("span", { class: "name" }, nameOf(item)), h("span", { class: "price" }, item.available ? item.price_display : t("sold_out"))))),
      draft.length
        ? h("ul", { class: "tab-lines draft" }, draft.map((l, i) => h("li", null,
            h("span", { class: "grow" }, `${l.quantity}× ${nameOf(l.item)}`, h("small", { class: "muted" }, ` · ${tk(`course_${l.course}`)}${l.seat ? ` · ${t("kds_seat", { n: l.seat })}` : ""}`)),
            h("input", { class: "compact floor-line-note", placeholder: t("note"), "aria-label": t("note"), value: l.note, oninput: (e: Event) => { l.note = (e.target as HTMLInputElement).value; } }),
            h("button", { class: "btn ghost icon", "aria-label": t("fl_remove"), onclick: () => { draft.splice(i, 1); draw(); } }, "×"))))
        : null,
      h("button", { class: "btn primary big", id: "floor-send", disabled: draft.length === 0, onclick: (e: Event) => void send(e.currentTarget as HTMLButtonElement) }, t("fl_send_round", { n: draft.length })));
  };

  const moveTab = async () => {
    const others = (await api.get("/api/v1/tables")).filter((x) => x.active && x.id !== order.table_id);
    const list = h("div", { class: "floor-list" }, others.map((x) =>
      h("button", { class: `floor-table st-${x.state}`, dataset: { table: x.id, name: x.name }, onclick: async () => {
        try {
          const merge = Boolean(x.tab);
          order = await api.post("/api/v1/orders/{id}/move", { path: { id: order.id }, body: { table_id: x.id, merge } });
          name = x.name;
          m.close();
          toast(() => t(merge ? "fl_merged" : "fl_moved", { name: x.name }));
          d.close();
          await changed();
        } catch (error) {
          showErrors(box, error);
        }
      } }, h("strong", { class: "floor-name" }, x.name), h("span", { class: "floor-state" }, x.tab ? t("fl_merge_into") : tk(`fl_${x.state}`)))));
    const box = h("div", { class: "form" }, h("p", { class: "muted" }, t("fl_move_hint")), list, formError());
    const m = dialog(t("fl_move"), box);
  };

  const billsView = async (target: HTMLElement) => {
    try {
      const answer = await api.get("/api/v1/orders/{id}/bills", { path: { id: order.id } });
      mount(target, answer.bills.length <= 1 && order.payment.state === "unpaid" ? null : h("section", { class: "bills" },
        h("h3", null, t("fl_bills")),
        answer.bills.map((b) => h("div", { class: "row bill", dataset: { bill: String(b.number) } },
          h("strong", null, t("fl_bill_n", { n: b.number })),
          h("span", { class: "grow muted small" }, order.lines.filter((l) => b.lines.includes(l.id)).map((l) => `${l.quantity}× ${l.name}`).join(", ")),
          h("span", { class: "num" }, clp(b.amount_due)),
          h("span", { class: `chip ${b.payment.state}` }, tk(`paid_${b.payment.state}`)),
          can("payments:write") && b.payment.balance > 0
            ? h("button", { class: "btn primary", onclick: async () => {
                await takePayment(order, { number: b.number, balance: b.payment.balance });
                await reload();
              } }, t("fl_charge"))
            : null))));
    } catch {
      mount(target, null);
    }
  };

  const split = () => {
    const chosen = new Set<string>();
    const box = h("div", { class: "form" },
      h("button", { class: "btn", id: "split-seat", onclick: () => void go({ by_seat: true }) }, t("fl_split_seat")),
      h("p", { class: "muted" }, t("fl_split_lines_hint")),
      order.lines.filter((l) => !l.voided).map((l) => h("label", { class: "option" },
        h("input", { type: "checkbox", value: l.id, onchange: (e: Event) => { if ((e.target as HTMLInputElement).checked) chosen.add(l.id); else chosen.delete(l.id); } }),
        h("span", null, `${l.quantity}× ${l.name}${l.seat ? ` · ${t("kds_seat", { n: l.seat })}` : ""}`))),
      formError(),
      h("button", { class: "btn primary", id: "split-lines", onclick: () => void go({ bills: [[...chosen]] }) }, t("fl_split_lines")));
    const s = dialog(t("fl_split"), box);
    const go = async (request: S["SplitTab"]) => {
      try {
        await api.post("/api/v1/orders/{id}/split", { path: { id: order.id }, body: request });
        s.close();
        toast(() => t("fl_split_done"));
        draw();
      } catch (error) {
        showErrors(box, error);
      }
    };
  };

  const act = async (call: () => Promise<unknown>, done: () => string) => {
    try {
      await call();
      toast(done);
      await reload();
    } catch (error) {
      fail(error);
    }
  };

  const draw = () => {
    const bills = h("div", { class: "bills-slot" });
    const paid = order.payment.balance <= 0 && order.total > 0;
    mount(body,
      h("div", { class: "row wrap tab-head" },
        h("span", null, t("fl_covers_n", { n: order.covers ?? 1 })),
        order.bill_requested_at ? h("span", { class: "chip warn" }, tk("fl_bill_requested")) : null,
        h("strong", { class: "grow num", id: "tab-total" }, clp(order.total)),
        h("span", { class: `chip ${order.payment.state}` }, tk(`paid_${order.payment.state}`))),
      linesSlot,
      roundView(),
      bills,
      h("div", { class: "actions wrap tab-actions" },
        h("button", { class: "btn", id: "tab-bill", onclick: () => void act(() => api.post("/api/v1/orders/{id}/bill-request", { path: { id: order.id } }), () => t("fl_bill_asked")) }, t("fl_ask_bill")),
        h("button", { class: "btn", id: "tab-move", onclick: () => void moveTab().catch(fail) }, t("fl_move")),
        h("button", { class: "btn", id: "tab-split", disabled: order.lines.every((l) => l.voided), onclick: split }, t("fl_split")),
        can("payments:write") && !paid && order.payment.balance > 0
          ? h("button", { class: "btn", id: "tab-charge", onclick: async () => { await takePayment(order); await reload(); } }, t("fl_charge_all"))
          : null,
        paid && can("orders:update")
          ? h("button", { class: "btn primary", id: "tab-close", onclick: () => void act(async () => {
              await api.post("/api/v1/orders/{id}/status", { path: { id: order.id }, body: { status: "completed" } });
              d.close();
            }, () => t("fl_closed")) }, t("fl_close_tab"))
          : null));
    drawLines();
    void billsView(bills);
  };
  draw();
  void loadMarks().then(drawLines);
}
