// The last `/health` answer: the shell polls it, the settings page shows its checks.

import type { S } from "../api/client";

let last: S["Health"] | null = null;

export function setLastHealth(health: S["Health"] | null): void {
  last = health;
}

export function lastHealth(): S["Health"] | null {
  return last;
}
