// The last `/health` answer: the shell polls it, the settings page shows its checks.

import type { S } from "../api/client";

let last: S["Health"] | null = null;

export function setLastHealth(health: S["Health"] | null): void {
  last = health;
}

export function lastHealth(): S["Health"] | null {
  return last;
}

/** Why the assistant runs on rules alone, in words for staff, or null when the model answers. */
export function assistantWithoutModel(health: S["Health"] | null, tr: (key: "assistant_no_model" | "assistant_model_missing", vars: Record<string, string>) => string): string | null {
  const check = health?.checks.ollama;
  if (!check) return null;
  const model = check.model ?? "llama3.2:3b";
  if (check.status !== "up") return tr("assistant_no_model", { model });
  if (check.model_present === false) return tr("assistant_model_missing", { model });
  return null;
}
