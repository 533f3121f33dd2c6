// The cloud link as the panel sees it: the last `GET /api/v1/sync/status` (kept live by the
// `sync` event), falling back to /health's cloud check before sign-in; and the words for
// its states, entities and refusal reasons.

import { ApiError, api, type S } from "../api/client";
import { subscribe } from "../api/events";
import { dateTime } from "./format";
import { lang, t, tk, type Key } from "./i18n";

export type SyncStatus = S["SyncStatus"];
export type LinkState = S["LinkState"];
/** `unknown`: neither the sync status nor /health has answered yet. */
export type CloudView = LinkState | "unknown";

const LINK_STATES: readonly string[] = ["not_configured", "online", "offline", "revoked"] satisfies LinkState[];

/** The link state to show: the sync status when there is one, else /health's cloud check. */
export function cloudState(status: SyncStatus | null, check?: S["Check"] | null): CloudView {
  if (status) return status.link;
  if (!check) return "unknown";
  if (check.link) return check.link;
  if (check.status === "not_configured") return "not_configured";
  return check.status === "up" ? "online" : "offline";
}

/** Changes waiting to reach the cloud, from whichever source is known. */
export function pendingCount(status: SyncStatus | null, check?: S["Check"] | null): number {
  return status?.pending ?? check?.pending ?? 0;
}

/** Whether the header shows the changes waiting: only when there is a cloud to wait for
 * (without one, every change is "pending" forever and the count means nothing). */
export function showPending(state: CloudView, pending: number): boolean {
  return pending > 0 && (state === "online" || state === "offline" || state === "revoked");
}

/** Whether /health says something the sync status we hold does not (a missed event):
 * then the status is worth fetching again. */
export function healthDisagrees(status: SyncStatus | null, check?: S["Check"] | null): boolean {
  if (!status || !check?.link) return false;
  return status.link !== check.link || (typeof check.pending === "number" && check.pending !== status.pending);
}

/** The header chip for a link state: its tone and text. */
export function cloudChip(state: CloudView): { tone: "ok" | "bad" | "muted"; key: Key } {
  switch (state) {
    case "online":
      return { tone: "ok", key: "status_cloud_up" };
    case "offline":
      return { tone: "bad", key: "status_cloud_down" };
    case "revoked":
      return { tone: "bad", key: "status_cloud_revoked" };
    default:
      return { tone: "muted", key: "status_cloud_none" };
  }
}

/** "1 cambio en espera" / "3 cambios en espera". */
export function pendingText(n: number): string {
  return t(n === 1 ? "status_pending_one" : "status_pending_other", { n });
}

/** "1 rechazado" / "3 rechazados". */
export function rejectedText(n: number): string {
  return t(n === 1 ? "status_rejected_one" : "status_rejected_other", { n });
}

/** The link state in words (settings): en línea, sin conexión, revocado… */
export function linkText(state: LinkState): string {
  return tk(`link_${state}`);
}

/** Where the device token is kept, in words. */
export function tokenStorageText(storage: S["TokenStorage"] | null | undefined): string {
  return storage ? tk(`token_${storage}`) : "—";
}

/** A synced entity in words (`order` → Pedido); unknown ones as they came. */
export function entityText(entity: string): string {
  return tk(`ent_${entity}`, entity);
}

/** The cloud's reason code in words (`illegal_transition` → Cambio de estado no permitido). */
export function reasonText(reason: string): string {
  return tk(`rej_${reason}`, reason);
}

/** An instant from the sync status in Santiago time, or "Nunca". */
export function whenText(iso: string | null | undefined): string {
  return iso ? dateTime(iso, lang()) : t("never");
}

/** The error to show for a failed `POST /cloud/connect`: the API's own (field errors,
 * "could not reach the cloud at …", "already connected"), a refused code in a sentence
 * that says it was the cloud, and a plain "could not reach" for a gateway's non-JSON 5xx. */
export function connectError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.code === "enrollment_refused") {
    return new ApiError(error.status, error.code, t("cloud_err_refused", { detail: error.message }), error.fields);
  }
  if (error.status >= 502 && error.status <= 504 && !error.code.startsWith("cloud_")) {
    return new ApiError(error.status, error.code, t("cloud_err_unreachable"), error.fields);
  }
  return error;
}

/** The `data` of a `sync` live event (`{type, id, data}`), when it is a status. */
export function statusFromEvent(event: unknown): SyncStatus | null {
  const data = (event as { data?: unknown } | null)?.data as Partial<SyncStatus> | null | undefined;
  if (!data || typeof data !== "object") return null;
  if (typeof data.link !== "string" || !LINK_STATES.includes(data.link)) return null;
  if (typeof data.pending !== "number" || typeof data.rejected !== "number") return null;
  return data as SyncStatus;
}

// ---- the live status -------------------------------------------------------------------
// A status fetched by a request is as old as the moment the server read it; a `sync` event
// arriving while the request is in flight may be newer or older than it, so such an answer
// is not trusted: the status is fetched again instead.
type Listener = (status: SyncStatus | null) => void;
let current: SyncStatus | null = null;
let liveEvents = 0;
const listeners = new Set<Listener>();
let unwatch: (() => void) | null = null;

export function syncStatus(): SyncStatus | null {
  return current;
}

export function setSyncStatus(next: SyncStatus | null): void {
  current = next;
  for (const fn of listeners) fn(next);
}

export function onSyncStatus(fn: Listener): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}

/** Mark before a request that answers a status (`POST /cloud/connect`); hand it to
 * [`setFetchedStatus`] with the answer. */
export function liveMark(): number {
  return liveEvents;
}

/** Takes a status a request answered, unless a live event came in meanwhile (then fetches). */
export function setFetchedStatus(status: SyncStatus, mark: number): void {
  if (mark === liveEvents) setSyncStatus(status);
  else void refreshSyncStatus().catch(() => undefined);
}

/** Fetches the status (again while live events overtake the answer, a few times at most);
 * throws like the API. */
export async function refreshSyncStatus(): Promise<SyncStatus> {
  for (let attempt = 0; ; attempt++) {
    const mark = liveEvents;
    const status = await api.get("/api/v1/sync/status");
    if (mark === liveEvents) {
      setSyncStatus(status);
      return status;
    }
    if (attempt >= 2) return current ?? status;
  }
}

/** After sign-in: fetch the status and follow the `sync` event (a `resync` refetches). */
export function watchSync(): void {
  unwatch?.();
  unwatch = subscribe((type, data) => {
    if (type === "sync") {
      liveEvents++;
      const status = statusFromEvent(data);
      if (status) setSyncStatus(status);
      else void refreshSyncStatus().catch(() => undefined);
    } else if (type === "resync") {
      void refreshSyncStatus().catch(() => undefined);
    }
  });
  void refreshSyncStatus().catch(() => undefined);
}

/** After sign-out: forget the status (the header goes back to /health). */
export function unwatchSync(): void {
  unwatch?.();
  unwatch = null;
  setSyncStatus(null);
}
