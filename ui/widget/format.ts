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

/** The draft as plain text lines (never markup): one per dish, then the total. */
export function draftLines(draft: Draft, totalLabel: string): string[] {
  const lines = draft.lines.map((l) => `${l.quantity} × ${l.name} — ${clp(l.line_total)}`);
  lines.push(`${totalLabel}: ${clp(draft.total)}`);
  return lines;
}
