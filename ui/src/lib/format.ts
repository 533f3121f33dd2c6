// Money, dates and times as Chile reads them: `$12.990`, 24-hour clock, America/Santiago.

export const TIME_ZONE = "America/Santiago";

/** CLP with dots for thousands and no decimals: 12990 → `$12.990`, -500 → `-$500`. */
export function clp(amount: number): string {
  const sign = amount < 0 ? "-" : "";
  const digits = Math.round(Math.abs(amount)).toString();
  return `${sign}$${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".")}`;
}

/** Parses what a cashier types as pesos: `12.990`, `$12990`, `12 990` → 12990. */
export function parseClp(text: string): number | null {
  const digits = text.replace(/[$.\s]/g, "").replace(/,\d{0,2}$/, "");
  if (!/^-?\d+$/.test(digits)) return null;
  return Number(digits);
}

/** The IVA inside a price that includes it: net and tax (rate in basis points). */
export function ivaBreakdown(total: number, rateBp = 1900): { net: number; tax: number } {
  const net = Math.round((total * 10000) / (10000 + rateBp));
  return { net, tax: total - net };
}

/** Change to give for cash. */
export function change(received: number, due: number): number {
  return Math.max(0, received - due);
}

const locale = (lang: string) => (lang === "en" ? "en-GB" : "es-CL");

export function time(iso: string, lang = "es"): string {
  return new Intl.DateTimeFormat(locale(lang), {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: TIME_ZONE,
  }).format(new Date(iso));
}

export function dateTime(iso: string, lang = "es"): string {
  return new Intl.DateTimeFormat(locale(lang), {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: TIME_ZONE,
  }).format(new Date(iso));
}

/** The calendar date (YYYY-MM-DD) in Santiago of an instant (default: now). */
export function localDate(at: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    timeZone: TIME_ZONE,
  }).format(at);
  return parts;
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const MONTHS_SHORT = {
  es: ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"],
  en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
};

/** A calendar day (`YYYY-MM-DD`) as a chart's axis reads it: `6 dic` / `6 Dec` (never the
 * ambiguous `12-06`). */
export function shortDay(date: string, lang = "es"): string {
  const [, month, day] = date.split("-").map(Number);
  const names = lang === "en" ? MONTHS_SHORT.en : MONTHS_SHORT.es;
  if (!month || !day || month < 1 || month > 12) return date;
  return `${day} ${names[month - 1]}`;
}

const WEEKDAYS_SHORT = {
  es: ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"],
  en: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
};

/** A business day (`YYYY-MM-DD`) as staff name it: `sáb 6 dic` / `Sat 6 Dec`. */
export function weekdayDay(date: string, lang = "es"): string {
  const [year, month, day] = date.split("-").map(Number);
  if (!year || !month || !day) return date;
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const names = lang === "en" ? WEEKDAYS_SHORT.en : WEEKDAYS_SHORT.es;
  return `${names[weekday]} ${shortDay(date, lang)}`;
}

/** A calendar day (`YYYY-MM-DD`) written the Chilean way: `06-12-2026`. */
export function calendarDate(date: string): string {
  const [year, month, day] = date.split("-");
  return year && month && day ? `${day}-${month}-${year}` : date;
}
