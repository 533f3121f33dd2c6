// The cash drawer as the panel needs it: the denominations of a blind count, its total,
// the difference in words, and which drawer of this counter cash goes into.

import type { S } from "../api/client";
import { clp } from "./format";
import { t } from "./i18n";

export type CashCount = S["CashCount"];
export type CountField = keyof CashCount;

/** Chilean notes and coins, largest first, with the field each is counted in. */
export const DENOMINATIONS: { field: CountField; value: number; bill: boolean }[] = [
  { field: "bills_20000", value: 20000, bill: true },
  { field: "bills_10000", value: 10000, bill: true },
  { field: "bills_5000", value: 5000, bill: true },
  { field: "bills_2000", value: 2000, bill: true },
  { field: "bills_1000", value: 1000, bill: true },
  { field: "coins_500", value: 500, bill: false },
  { field: "coins_100", value: 100, bill: false },
  { field: "coins_50", value: 50, bill: false },
  { field: "coins_10", value: 10, bill: false },
];

/** What a count adds up to (quantities as typed; blanks are zero). */
export function countTotal(counts: Partial<Record<CountField, number>>): number {
  return DENOMINATIONS.reduce((sum, d) => sum + d.value * (counts[d.field] ?? 0), 0);
}

/** Reads the quantities typed in a count form: blanks are 0, anything else as typed (the
 * server refuses negatives field by field). */
export function readCounts(text: Partial<Record<CountField, string>>): CashCount {
  const out: Partial<Record<CountField, number>> = {};
  for (const d of DENOMINATIONS) {
    const raw = (text[d.field] ?? "").trim();
    out[d.field] = raw === "" ? 0 : Number(raw.replace(/\./g, ""));
  }
  return out as CashCount;
}

/** A difference as the cashier reads it: "Cuadra", "Faltan $500", "Sobran $1.000". */
export function differenceText(difference: number): string {
  if (difference === 0) return t("drawer_exact");
  return difference < 0 ? t("drawer_missing", { amount: clp(-difference) }) : t("drawer_over", { amount: clp(difference) });
}

const KEY = "dysa.drawer";

/** The drawer this browser takes cash into (null: the counter's default drawer). */
export function chosenDrawer(): string | null {
  try {
    return globalThis.localStorage?.getItem(KEY) ?? null;
  } catch {
    return null;
  }
}

export function chooseDrawer(id: string | null): void {
  try {
    if (id) globalThis.localStorage?.setItem(KEY, id);
    else globalThis.localStorage?.removeItem(KEY);
  } catch {
    /* storage unavailable: the default drawer is used */
  }
}
