// Order numbers as staff and diners read them, the same on the panel, the kitchen screen,
// the dashboard and the widget as on the printed tickets (`dysa_domain::numbering::label`):
// each counter of a location numbers in its own range, counter A as always (`12`), counter
// B from 10001 (`B-12`), so two counters never hand out the same number, even offline.
// No imports: the widget bundle uses it too.

/** Numbers per range (`dysa_domain::numbering::BLOCK`). */
const BLOCK = 10_000;
/** Counters A–Z (`dysa_domain::numbering::SLOTS`). */
const SLOTS = 26;

/** `12` for counter A, `B-12` for counter B; a number no counter makes shows as it is. */
export function orderLabel(n: number | null | undefined): string {
  if (n === null || n === undefined) return "";
  if (!Number.isSafeInteger(n) || n < 1 || n % BLOCK === 0) return String(n);
  const range = Math.floor(n / BLOCK);
  const slot = range % SLOTS;
  const daily = Math.floor(range / SLOTS) * (BLOCK - 1) + (n % BLOCK);
  return slot === 0 ? String(daily) : `${String.fromCharCode(65 + slot)}-${daily}`;
}
