// Reservations: the day's timeline by table, booking with free slots, check-in,
// no-show, cancel; and the dining room's tables (bookings need them).

import { api, type S } from "../api/client";
import { subscribe } from "../api/events";
import { h, mount } from "../lib/dom";
import { addDays, localDate } from "../lib/format";
import { t, tk } from "../lib/i18n";
import { can } from "../lib/session";
import { confirmReason, dialog, empty, failure, field, formError, input, loading, onSubmit, pageHeader, showErrors, toast } from "../lib/ui";

type Reservation = S["ReservationView"];
const START = 10 * 60;
const END = 24 * 60;

/** Minutes since midnight of `HH:MM`. */
export function minutes(clock: string): number {
  const [hh, mm] = clock.split(":").map(Number);
  return (hh ?? 0) * 60 + (mm ?? 0);
}

export function renderReservations(root: HTMLElement): () => void {
  let date = localDate();
  const dateInput = input("date", { type: "date", value: date, "aria-label": t("date"), onchange: () => { date = dateInput.value || localDate(); void refresh(); } });
  const body = h("div", null, loading());
  mount(root,
    pageHeader(t("nav_reservations"),
      h("button", { class: "btn icon", "aria-label": "←", onclick: () => { date = addDays(date, -1); dateInput.value = date; void refresh(); } }, "←"),
      dateInput,
      h("button", { class: "btn icon", "aria-label": "→", onclick: () => { date = addDays(date, 1); dateInput.value = date; void refresh(); } }, "→"),
      can("tables:write") ? h("button", { class: "btn", onclick: () => tableForm() }, `+ ${t("new_table")}`) : null,
      can("reservations:create") ? h("button", { class: "btn primary", id: "new-reservation", onclick: () => bookingForm(null) }, `+ ${t("new_reservation")}`) : null),
    body);
  let tables: S["TableWithStatus"][] = [];

  const refresh = async () => {
    try {
      const [tableList, list] = await Promise.all([api.get("/api/v1/tables"), api.get("/api/v1/reservations", { query: { date } })]);
      tables = tableList.filter((x) => x.active).sort((a, b) => a.position - b.position);
      draw(list);
    } catch (error) {
      mount(body, failure(error, () => void refresh()));
    }
  };

  const draw = (list: Reservation[]) => {
    if (tables.length === 0) {
      mount(body, empty(t("no_tables")),
        can("tables:write") ? h("p", { class: "center" }, h("button", { class: "btn primary", type: "button", onclick: () => tableForm() }, `+ ${t("new_table")}`)) : null);
      return;
    }
    const span = END - START;
    const hourMarks = Array.from({ length: (END - START) / 60 }, (_, i) => START / 60 + i);
    mount(body,
      h("div", { class: "timeline-grid card", role: "table", "aria-label": t("reservations") },
        h("div", { class: "tl-row tl-head", role: "row" }, h("div", { class: "tl-label" }, t("tables")),
          h("div", { class: "tl-track" }, hourMarks.map((hr) => h("span", { class: "tl-hour", style: `left:${((hr * 60 - START) / span) * 100}%` }, `${String(hr).padStart(2, "0")}:00`)))),
        tables.map((table) =>
          h("div", { class: "tl-row", role: "row" },
            h("div", { class: "tl-label" }, h("strong", null, table.name), h("small", { class: "muted" }, ` ${table.seats} p.`)),
            h("div", { class: "tl-track" }, list.filter((r) => r.table_id === table.id).map((r) => {
              const from = Math.max(START, minutes(r.local_time));
              const left = ((from - START) / span) * 100;
              const width = (Math.min(r.duration_minutes, END - from) / span) * 100;
              return h("button", { class: `tl-block rs-${r.status}`, style: `left:${left}%;width:${width}%`, title: `${r.local_time} ${r.name}`, onclick: () => details(r) },
                `${r.local_time} ${r.name} (${r.party_size})`);
            }))))),
      list.length === 0 ? empty(t("no_reservations")) : null);
  };

  const setStatus = async (r: Reservation, status: S["ReservationStatus"], d: { close: () => void }) => {
    let reason: string | null = null;
    if (status === "cancelled") {
      reason = await confirmReason(t("rs_cancelled"), t("cancel_reason"));
      if (!reason) return;
    }
    try {
      await api.post("/api/v1/reservations/{id}/status", { path: { id: r.id }, body: { status, reason } });
      d.close();
      await refresh();
    } catch (error) {
      toast((error as Error).message, "error");
    }
  };

  const details = (r: Reservation) => {
    const open = r.status === "booked" || r.status === "confirmed";
    const table = tables.find((x) => x.id === r.table_id);
    const body = h("div", { class: "form" },
      h("p", null, h("strong", null, `${r.local_time} · ${r.party_size} p. · ${table?.name ?? ""}`)),
      h("p", null, `${r.name} · ${r.phone ?? ""}`),
      r.notes ? h("p", { class: "muted" }, r.notes) : null,
      h("p", null, h("span", { class: `badge rs-${r.status}` }, tk(`rs_${r.status}`))),
      can("reservations:update") ? h("div", { class: "actions" },
        open ? h("button", { class: "btn primary", onclick: () => void setStatus(r, "seated", d) }, t("check_in")) : null,
        r.status === "seated" ? h("button", { class: "btn", onclick: () => void setStatus(r, "completed", d) }, tk("rs_completed")) : null,
        open ? h("button", { class: "btn", onclick: () => void setStatus(r, "no_show", d) }, t("no_show")) : null,
        open ? h("button", { class: "btn", onclick: () => { d.close(); bookingForm(r); } }, t("edit")) : null,
        open ? h("button", { class: "btn danger", onclick: () => void setStatus(r, "cancelled", d) }, tk("rs_cancelled")) : null) : null);
    const d = dialog(r.name, body);
  };

  const bookingForm = (existing: Reservation | null) => {
    let startsAt = existing?.starts_at ?? "";
    const dateField = input("date", { type: "date", value: existing?.local_date ?? date });
    const party = input("party_size", { type: "number", min: 1, value: String(existing?.party_size ?? 2) });
    const slotsEl = h("div", { class: "slots", id: "booking-slots", role: "group", "aria-label": t("slots") });
    const slotError = h("small", { class: "field-error", "aria-live": "polite" });
    const form = h("form", { class: "form", id: "booking-form" },
      h("div", { class: "row" }, field(t("date"), dateField), field(t("party_size"), party)),
      h("div", { class: "field", dataset: { field: "starts_at" } }, h("label", null, t("slots")), slotsEl, slotError),
      field(t("name"), input("name", { value: existing?.name ?? "", required: true })),
      field(t("phone"), input("phone", { type: "tel", value: existing?.phone ?? "", placeholder: "+56 9 1234 5678", required: true })),
      field(t("notes"), input("notes", { value: existing?.notes ?? "" })),
      formError(),
      h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))));
    // The slots shown stay on screen while new ones load, so a click on a time right after
    // changing "Personas" (whose change fires on that very click) is never lost: the time
    // is kept if it is still free for the new party, and said plainly if it is not.
    let shownFor = "";
    let asked = 0;
    const loadSlots = async () => {
      const key = `${dateField.value}|${Number(party.value) || 1}`;
      if (key === shownFor) return;
      shownFor = key;
      const mine = ++asked;
      const size = Number(party.value) || 1;
      if (tables.length === 0) {
        mount(slotsEl, h("div", { class: "no-tables", id: "booking-no-tables" }, h("p", null, t("no_tables_booking")),
          can("tables:write") ? h("button", { class: "btn", type: "button", onclick: () => { d.close(); tableForm(); } }, `+ ${t("new_table")}`) : h("p", { class: "muted small" }, t("no_tables_ask"))));
        return;
      }
      const biggest = Math.max(...tables.map((x) => x.seats));
      if (size > biggest) {
        mount(slotsEl, h("p", { class: "muted", id: "booking-too-big" }, t("no_table_for_party", { n: size, max: biggest })));
        return;
      }
      slotsEl.setAttribute("aria-busy", "true");
      if (!slotsEl.querySelector(".slot")) mount(slotsEl, loading());
      try {
        const availability = await api.get("/api/v1/reservations/availability", { query: { date: dateField.value, party_size: size } });
        if (mine !== asked) return;
        const free = availability.slots.filter((s) => s.tables_free > 0);
        if (startsAt && !free.some((s) => s.starts_at === startsAt)) {
          startsAt = "";
          slotError.textContent = t("slot_taken_for_party");
        }
        mount(slotsEl, free.length === 0 ? h("p", { class: "muted" }, availability.slots.length === 0 ? t("closed_that_day") : t("no_slots")) : free.map((s) =>
          h("button", { type: "button", class: s.starts_at === startsAt ? "btn slot on" : "btn slot", "aria-pressed": String(s.starts_at === startsAt), dataset: { at: s.starts_at }, onclick: (e: Event) => pick(s.starts_at, e.currentTarget as HTMLElement) }, s.local_time)));
      } catch (error) {
        if (mine === asked) mount(slotsEl, failure(error));
      } finally {
        if (mine === asked) slotsEl.removeAttribute("aria-busy");
      }
    };
    const pick = (at: string, button: HTMLElement) => {
      startsAt = at;
      slotError.textContent = "";
      slotsEl.removeAttribute("aria-invalid");
      slotsEl.querySelectorAll(".slot").forEach((b) => { b.classList.remove("on"); b.setAttribute("aria-pressed", "false"); });
      button.classList.add("on");
      button.setAttribute("aria-pressed", "true");
    };
    let typing: ReturnType<typeof setTimeout> | undefined;
    const soon = () => { clearTimeout(typing); typing = setTimeout(() => void loadSlots(), 250); };
    dateField.addEventListener("change", () => void loadSlots());
    party.addEventListener("input", soon);
    party.addEventListener("change", () => { clearTimeout(typing); void loadSlots(); });
    form.addEventListener("submit", (e) => {
      // No time chosen: say so at the times, without asking the server.
      if (startsAt) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      showErrors(form, null);
      slotError.textContent = t("slot_required");
      slotsEl.setAttribute("aria-invalid", "true");
      (slotsEl.querySelector<HTMLElement>(".slot") ?? slotsEl.querySelector<HTMLElement>("button"))?.focus();
    });
    onSubmit(form, async (v) => {
      const body = { name: v.name ?? "", phone: v.phone ?? "", notes: v.notes || null, party_size: Number(v.party_size), starts_at: startsAt };
      if (existing) await api.patch("/api/v1/reservations/{id}", { path: { id: existing.id }, body });
      else await api.post("/api/v1/reservations", { body });
      date = dateField.value;
      dateInput.value = date;
      d.close();
      toast(() => t("saved"));
      await refresh();
    });
    const d = dialog(existing ? existing.name : t("new_reservation"), form);
    void loadSlots();
  };

  const tableForm = () => {
    const form = h("form", { class: "form" },
      field(t("name"), input("name", { required: true })),
      field(t("seats"), input("seats", { type: "number", min: 1, value: "4" })),
      field(t("area"), input("area")),
      formError(),
      h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))));
    onSubmit(form, async (v) => {
      await api.post("/api/v1/tables", { body: { name: v.name ?? "", seats: Number(v.seats), area: v.area || null } });
      d.close();
      await refresh();
    });
    const d = dialog(t("new_table"), form);
  };

  void refresh();
  return subscribe((type) => {
    if ((type.startsWith("reservation.") || type.startsWith("table.")) && !document.querySelector("dialog[open]")) void refresh();
  });
}
