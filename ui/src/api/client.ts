// The typed API client: paths, bodies and answers come from schema.d.ts (generated from
// the appliance's OpenAPI document). Same origin, httpOnly cookies; one refresh on an
// expired access token, shared by every request waiting on it.

import type { components, paths } from "./schema";
import { acceptLanguage, t } from "../lib/i18n";

export type S = components["schemas"];
type Method = "get" | "post" | "put" | "patch" | "delete";
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
export type PathsFor<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P;
}[keyof paths];

/** Shapes of a generated OpenAPI operation, shared by the panel's and the dashboard's clients. */
export type JsonOf<C> = C extends { content: { "application/json": infer T } } ? T : void;
export type Success<O> = O extends { responses: infer R }
  ? [Extract<keyof R, 200 | 201 | 202>] extends [never]
    ? void
    : JsonOf<R[Extract<keyof R, 200 | 201 | 202>]>
  : never;
export type BodyOf<O> = O extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
export type PathParams<O> = O extends { parameters: { path: infer P } } ? P : never;
export type QueryParams<O> = O extends { parameters: { query?: infer Q } } ? Q : never;

export interface Options<O> {
  path?: PathParams<O>;
  query?: QueryParams<O>;
  body?: BodyOf<O>;
  /** A raw body (CSV upload), sent with its content type. */
  raw?: { body: BodyInit; type: string };
  signal?: AbortSignal;
  /** Extra request headers (a manager's approval: `X-Approval-User`, `X-Approval-Pin`; an `Idempotency-Key`). */
  headers?: Record<string, string>;
}

/** An error answer of the API (or the network), with the field errors if any. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Reads `{"error":{code,message,fields}}`; anything else becomes a generic error. */
export function toApiError(status: number, body: unknown): ApiError {
  const detail = (body as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | null)?.error;
  if (detail && typeof detail.code === "string") {
    const fields: Record<string, string> = {};
    if (detail.fields && typeof detail.fields === "object") {
      for (const [k, v] of Object.entries(detail.fields as Record<string, unknown>)) fields[k] = String(v);
    }
    return new ApiError(status, detail.code, typeof detail.message === "string" ? detail.message : t("error_generic"), fields);
  }
  return new ApiError(status, status === 0 ? "network" : "http_" + status, status === 0 ? t("error_network") : t("error_generic"));
}

/** Fills `{id}` placeholders and appends the query string. */
export function buildUrl(template: string, path?: Record<string, unknown>, query?: Record<string, unknown>): string {
  let url = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(path?.[name] ?? "")));
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === "") continue;
    search.set(k, String(v));
  }
  const qs = search.toString();
  if (qs) url += "?" + qs;
  return url;
}

// Codes after which one refresh is worth trying: an expired token, or a missing access
// cookie (the browser drops it after its 15-minute Max-Age).
const REFRESHABLE = new Set(["token_invalid", "unauthenticated"]);
// Routes whose 401 means "wrong credentials", never "renew the session".
const NO_REFRESH = /^\/api\/v1\/(auth\/(login|pin|pin-users|refresh|logout|password)|setup)\b/;

export type Fetch = typeof fetch;

export class Client {
  private refreshing: Promise<boolean> | null = null;
  /** Called when the session cannot be renewed (show the login). */
  onSessionLost: () => void = () => {};

  constructor(private readonly fetcher: Fetch = (...a) => fetch(...a)) {}

  /** Renews the session once; concurrent callers share the same attempt, so a refresh
   * token is never presented twice (a reused one closes the session). */
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = this.fetcher("/api/v1/auth/refresh", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Accept-Language": acceptLanguage() },
      })
        .then((r) => r.ok)
        .catch(() => false)
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  async raw(method: string, url: string, init: { body?: BodyInit; type?: string; signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<Response> {
    const send = () => {
      const headers: Record<string, string> = { ...init.headers, "Accept-Language": acceptLanguage(), Accept: "application/json" };
      if (init.type) headers["Content-Type"] = init.type;
      return this.fetcher(url, { method, headers, body: init.body, credentials: "same-origin", signal: init.signal });
    };
    let response: Response;
    try {
      response = await send();
    } catch (e) {
      if ((e as Error)?.name === "AbortError") throw e;
      throw toApiError(0, null);
    }
    if (response.status === 401 && !NO_REFRESH.test(url)) {
      const body = await response.clone().json().catch(() => null);
      const error = toApiError(401, body);
      if (REFRESHABLE.has(error.code) && (await this.refresh())) {
        response = await send();
      }
      if (response.status === 401) this.onSessionLost();
    }
    return response;
  }

  async request<P extends keyof paths, M extends Method>(method: M, path: P, options: Options<Op<P, M>> = {}): Promise<Success<Op<P, M>>> {
    const url = buildUrl(path as string, options.path as Record<string, unknown>, options.query as Record<string, unknown>);
    const init = options.raw
      ? { body: options.raw.body, type: options.raw.type, signal: options.signal, headers: options.headers }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body), type: "application/json", signal: options.signal, headers: options.headers }
        : { signal: options.signal, headers: options.headers };
    const response = await this.raw(method.toUpperCase(), url, init);
    if (!response.ok) throw toApiError(response.status, await response.json().catch(() => null));
    if (response.status === 204) return undefined as Success<Op<P, M>>;
    const type = response.headers.get("content-type") ?? "";
    return (type.includes("json") ? await response.json() : await response.text()) as Success<Op<P, M>>;
  }

  get<P extends PathsFor<"get">>(path: P, options?: Options<Op<P, "get">>) {
    return this.request("get", path, options);
  }
  post<P extends PathsFor<"post">>(path: P, options?: Options<Op<P, "post">>) {
    return this.request("post", path, options);
  }
  put<P extends PathsFor<"put">>(path: P, options?: Options<Op<P, "put">>) {
    return this.request("put", path, options);
  }
  patch<P extends PathsFor<"patch">>(path: P, options?: Options<Op<P, "patch">>) {
    return this.request("patch", path, options);
  }
  del<P extends PathsFor<"delete">>(path: P, options?: Options<Op<P, "delete">>) {
    return this.request("delete", path, options);
  }
}

/** The panel's client. */
export const api = new Client();
