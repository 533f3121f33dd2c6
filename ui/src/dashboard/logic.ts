// The dashboard's pure rules, kept apart from the DOM so vitest checks them: chart
// scales, how a location's link is judged, the website-origin list, the embed snippet.

import { addDays } from "../lib/format";

// ---- chart scaling -------------------------------------------------------------------

/** The smallest "round" number (1, 2, 2.5, 5 × 10^n) at or above `value`: the top of a
 * chart's axis, so its gridlines land on figures people read at a glance. */
export function niceMax(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

/** The top of an axis with `count` gridline steps: round, and for whole counts (orders)
 * a multiple of `count` so every gridline is a whole number. */
export function axisMax(value: number, integer: boolean, count = 4): number {
  const top = niceMax(value);
  return integer ? Math.max(count, Math.ceil(top / count) * count) : top;
}

/** `count + 1` evenly spaced gridline values from 0 to `max`. */
export function ticks(max: number, count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, i) => (max * i) / count);
}

/** Where a value sits on a vertical axis of `height` pixels topped at `max` (SVG y grows
 * downwards); values outside 0..max are clamped so a bar never leaves the chart. */
export function yFor(value: number, max: number, height: number): number {
  if (max <= 0) return height;
  const clamped = Math.min(Math.max(value, 0), max);
  return height - (clamped / max) * height;
}

/** One point per day from `from` to `to` (inclusive), summing the given locations' rows
 * of each day and filling days without orders with zeros. */
export function dailySeries(
  from: string,
  to: string,
  rows: { date: string; location_id: string; sales: number; orders: number }[],
  location?: string,
): { date: string; sales: number; orders: number }[] {
  const byDate = new Map<string, { sales: number; orders: number }>();
  for (const row of rows) {
    if (location && row.location_id !== location) continue;
    const day = byDate.get(row.date) ?? { sales: 0, orders: 0 };
    day.sales += row.sales;
    day.orders += row.orders;
    byDate.set(row.date, day);
  }
  const out: { date: string; sales: number; orders: number }[] = [];
  for (let date = from; date <= to && out.length <= 366; date = addDays(date, 1)) {
    out.push({ date, ...(byDate.get(date) ?? { sales: 0, orders: 0 }) });
  }
  return out;
}

// ---- a location's link ---------------------------------------------------------------

export type LinkState = "online" | "offline" | "never" | "no_devices";

/** How a location's card reads: no counter enrolled, enrolled but never synced, online
 * (the cloud says so) or out of reach. */
export function linkState(status: { online: boolean; active_devices: number; last_sync_at?: string | null; last_seen_at?: string | null }): LinkState {
  if (status.active_devices === 0) return "no_devices";
  if (status.online) return "online";
  if (!status.last_sync_at && !status.last_seen_at) return "never";
  return "offline";
}

/** The colour of a link state's chip. */
export function linkTone(state: LinkState): "ok" | "bad" | "muted" {
  return state === "online" ? "ok" : state === "offline" ? "bad" : "muted";
}

/** "hace 5 min" style age of an instant, as [unit, amount] for the dictionaries. */
export function age(iso: string, now: Date = new Date()): ["now" | "min" | "h" | "d", number] {
  const seconds = Math.max(0, (now.getTime() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return ["now", 0];
  if (seconds < 3600) return ["min", Math.floor(seconds / 60)];
  if (seconds < 86400) return ["h", Math.floor(seconds / 3600)];
  return ["d", Math.floor(seconds / 86400)];
}

// ---- the widget's allowed origins ----------------------------------------------------

export type OriginProblem = "empty" | "scheme" | "path" | "host" | "insecure" | "duplicate";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Checks one website origin as the browser sends it in `Origin`: `https://host[:port]`,
 * no path, query or fragment; plain http only for a local test host. Answers the
 * normalised origin (lower-case, no trailing slash) or what is wrong with it. */
export function checkOrigin(text: string): { origin: string } | { problem: OriginProblem } {
  const trimmed = text.trim().replace(/\/+$/, "");
  if (!trimmed) return { problem: "empty" };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed);
  if (!scheme) return { problem: "scheme" };
  const protocol = scheme[1]!.toLowerCase();
  if (protocol !== "https" && protocol !== "http") return { problem: "scheme" };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { problem: "host" };
  }
  const rest = trimmed.slice(scheme[0].length);
  if (/[/?#]/.test(rest) || url.username || url.password || rest.includes("@")) return { problem: "path" };
  if (!url.hostname || /\s/.test(rest)) return { problem: "host" };
  if (!LOCAL_HOSTS.has(url.hostname) && !url.hostname.includes(".")) return { problem: "host" };
  if (protocol === "http" && !LOCAL_HOSTS.has(url.hostname)) return { problem: "insecure" };
  return { origin: `${protocol}://${url.host.toLowerCase()}` };
}

/** Checks a whole list: the normalised origins, and the problem of each bad line by its
 * index (a repeated origin is a problem too). Blank lines are dropped. */
export function checkOrigins(lines: string[]): { origins: string[]; problems: Map<number, OriginProblem> } {
  const origins: string[] = [];
  const problems = new Map<number, OriginProblem>();
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const checked = checkOrigin(line);
    if ("problem" in checked) problems.set(index, checked.problem);
    else if (origins.includes(checked.origin)) problems.set(index, "duplicate");
    else origins.push(checked.origin);
  });
  return { origins, problems };
}

/** `#RRGGBB`, the only colour form the widget accepts. */
export function isHexColor(text: string): boolean {
  return /^#[0-9a-fA-F]{6}$/.test(text);
}

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function textOn(hex: string): "#000000" | "#ffffff" {
  if (!isHexColor(hex)) return "#000000";
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.179 ? "#000000" : "#ffffff";
}

/** The tag owners paste into their website to show the widget. */
export function embedSnippet(cloudOrigin: string, slug: string, locationSlug?: string): string {
  const base = cloudOrigin.replace(/\/+$/, "");
  const bound = locationSlug ? ` data-location="${locationSlug.replace(/[^a-z0-9-]/gi, "")}"` : "";
  return `<script src="${base}/widget.js" data-restaurant="${slug.replace(/[^a-z0-9-]/gi, "")}"${bound} async></script>`;
}

/** The hosted page of one location (`/r/{restaurant}/{location}`), the widget open. */
export function locationPage(cloudOrigin: string, slug: string, locationSlug: string): string {
  const clean = (text: string) => text.replace(/[^a-z0-9-]/gi, "");
  return `${cloudOrigin.replace(/\/+$/, "")}/r/${clean(slug)}/${clean(locationSlug)}`;
}

// ---- order detail --------------------------------------------------------------------

/** A line's chosen modifiers as the counter's ticket reads them ("Término: A punto,
 * Agregados: Palta +$900"); `clp` formats the deltas. The synced JSON is read leniently:
 * an entry without a name is skipped rather than shown raw. */
export function modifiersText(modifiers: unknown, clp: (n: number) => string): string {
  if (!Array.isArray(modifiers)) return "";
  return modifiers
    .flatMap((m: unknown) => {
      if (!m || typeof m !== "object") return [];
      const { group_name, name, price_delta } = m as { group_name?: unknown; name?: unknown; price_delta?: unknown };
      if (typeof name !== "string" || !name) return [];
      const group = typeof group_name === "string" && group_name ? `${group_name}: ` : "";
      const delta = typeof price_delta === "number" && price_delta !== 0 ? ` ${price_delta > 0 ? "+" : "−"}${clp(Math.abs(price_delta))}` : "";
      return [`${group}${name}${delta}`];
    })
    .join(", ");
}

/** Whether an owner may still ask the location to cancel: not once the order is closed
 * (completed or cancelled), nor while an earlier request waits for the counter's answer. */
export function canRequestCancel(order: { status: string; cancel_request?: { outcome?: string | null } | null }): boolean {
  if (order.status === "completed" || order.status === "cancelled") return false;
  return !order.cancel_request || Boolean(order.cancel_request.outcome);
}

// ---- menu editor ---------------------------------------------------------------------

/** Lowercase without accents, so "sandwich" finds "Sándwich" and "CAZUELA" "cazuela". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
}

/** The items a menu editor shows: those of `category` (all when empty) whose name or
 * description holds every word typed, in menu order. */
export function filterItems<T extends { category_id: string; name: string; description?: string | null; position: number }>(
  items: readonly T[],
  category: string,
  query: string,
): T[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  return items
    .filter((i) => !category || i.category_id === category)
    .filter((i) => {
      const text = fold(`${i.name} ${i.description ?? ""}`);
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name, "es"));
}

// ---- the operator's console ----------------------------------------------------------

/** The pipeline's stages, in order (the console's select and filter). */
export const leadStages = ["new", "contacted", "demo", "won", "lost"] as const;

/** A `YYYY-MM-DD` date as people in Chile write it: `14-12-2026`. */
export function shortDate(iso: string): string {
  const [y, m, day] = iso.split("-");
  return y && m && day ? `${day}-${m}-${y}` : iso;
}
