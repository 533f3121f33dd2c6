// Money and times as diners in Chile read them.
import type { Draft } from "./api";

/** Integer pesos (IVA included) as `$12.990`; the same in both languages. */
export function clp(pesos: number): string {
  const n = Math.round(Math.abs(pesos));
  const digits = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return (pesos < 0 ? "-$" : "$") + digits;
}

/** A slot's start in the restaurant's time zone, e.g. `20:30`. */
export function clock(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("es-CL", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone }).format(new Date(iso));
}

/** Today's date in the restaurant's time zone as `YYYY-MM-DD`. */
export function today(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(now);
}

/** Today's opening hours in the restaurant's time zone ("12:00–16:00, 19:00–23:30"),
 *  "" when closed today, null when the owner set no hours. */
export function hoursToday(hours: Record<string, { open: string; close: string }[]> | null | undefined, timeZone: string, now: Date = new Date()): string | null {
  if (!hours) return null;
  const day = new Intl.DateTimeFormat("en-US", { weekday: "long", timeZone }).format(now).toLowerCase();
  return (hours[day] ?? []).map((i) => `${i.open}–${i.close}`).join(", ");
}

/** A `tel:` address from a phone as written ("+56 9 8765 4321" → "tel:+56987654321"). */
export function telLink(phone: string): string {
  return "tel:" + phone.replace(/[^\d+]/g, "");
}

/** The draft as plain text lines (never markup): one per dish, then the total. */
export function draftLines(draft: Draft, totalLabel: string): string[] {
  const lines = draft.lines.map((l) => `${l.quantity} × ${l.name} — ${clp(l.line_total)}`);
  lines.push(`${totalLabel}: ${clp(draft.total)}`);
  return lines;
}
