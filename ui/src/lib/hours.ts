// Opening hours as the settings form writes them.

import type { S } from "../api/client";

/** `12:00-16:00, 19:00-23:00` ↔ intervals. */
export function parseIntervals(text: string): S["Interval"][] {
  return text.split(",").map((part) => part.trim()).filter(Boolean).map((part) => {
    const [open, close] = part.split("-").map((x) => x.trim());
    return { open: open ?? "", close: close ?? "" };
  });
}
export function formatIntervals(list: S["Interval"][] | undefined): string {
  return (list ?? []).map((i) => `${i.open}-${i.close}`).join(", ");
}
