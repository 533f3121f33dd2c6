// Live updates from `GET /api/v1/events` (Server-Sent Events, cookie-authenticated).

import { api } from "./client";

type Handler = (type: string, data: unknown) => void;
const handlers = new Set<Handler>();
let source: EventSource | null = null;
let retry: ReturnType<typeof setTimeout> | null = null;
export const KINDS = [
  "order.created",
  "order.updated",
  "reservation.created",
  "reservation.updated",
  "menu.updated",
  "table.updated",
  "customer.updated",
  "settings.updated",
  "sync",
  "backup.taken",
  "backup.failed",
  "kitchen.updated",
  "print.updated",
  "resync",
] as const;

export function subscribe(fn: Handler): () => void {
  handlers.add(fn);
  return () => handlers.delete(fn);
}

export function connect(): void {
  if (source) return;
  const es = new EventSource("/api/v1/events", { withCredentials: true });
  source = es;
  for (const kind of KINDS) {
    es.addEventListener(kind, (event) => {
      let data: unknown = null;
      try {
        data = JSON.parse((event as MessageEvent<string>).data);
      } catch {
        /* keep null */
      }
      for (const fn of handlers) fn(kind, data);
    });
  }
  es.onerror = () => {
    // A closed stream (401 after the access token expired, or a restart): renew the
    // session and reconnect after a pause.
    if (es.readyState !== EventSource.CLOSED) return;
    disconnect();
    retry = setTimeout(() => {
      void api.refresh().finally(connect);
    }, 3000);
  };
}

export function disconnect(): void {
  source?.close();
  source = null;
  if (retry) clearTimeout(retry);
  retry = null;
}
