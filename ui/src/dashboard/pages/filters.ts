// The location and period pickers shared by the sales and orders pages, kept in the URL
// (`?location=…&from=…&to=…`) so a page can be bookmarked and Back works.

import { cloud, type CS } from "../../api/cloud-client";
import { h } from "../../lib/dom";
import { addDays, localDate } from "../../lib/format";
import { navigate } from "../../lib/router";
import { field, input, select } from "../../lib/ui";
import { d } from "../i18n";

export interface Filters {
  location: string;
  from: string;
  to: string;
}

/** The filters of the current URL, defaulting to the last two weeks in Santiago. */
export function currentFilters(days = 14): Filters {
  const q = new URLSearchParams(location.search);
  const to = q.get("to") || localDate();
  return { location: q.get("location") ?? "", from: q.get("from") || addDays(to, -(days - 1)), to };
}

let locations: Promise<CS["LocationView"][]> | null = null;

/** The tenant's locations (asked once per page load). */
export function tenantLocations(): Promise<CS["LocationView"][]> {
  locations ??= cloud.get("/api/v1/locations").catch((e: unknown) => {
    locations = null;
    throw e;
  });
  return locations;
}

/** Forgets the locations asked for, after one was added, renamed or closed. */
export function forgetLocations(): void {
  locations = null;
}

/** The filter form; submitting it moves to the same page with the new query. */
export function filterForm(filters: Filters, all: CS["LocationView"][]): HTMLFormElement {
  const form = h(
    "form",
    { class: "row wrap filters", role: "search" },
    field(d("location"), select("location", [["", d("all_locations")], ...all.map((l) => [l.id, l.name] as [string, string])], filters.location)),
    field(d("from"), input("from", { type: "date", value: filters.from, required: true })),
    field(d("to"), input("to", { type: "date", value: filters.to, required: true })),
    h("button", { class: "btn", type: "submit" }, d("show")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const q = new URLSearchParams();
    for (const key of ["location", "from", "to"]) {
      const v = String(data.get(key) ?? "");
      if (v) q.set(key, v);
    }
    navigate(`${location.pathname}?${q.toString()}`);
  });
  return form;
}
