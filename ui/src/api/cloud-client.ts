// The dashboard's typed client of the cloud API: paths, bodies and answers come from
// cloud-schema.ts (generated from the cloud's OpenAPI document). Same origin as the
// dashboard, httpOnly cookies; one refresh on an expired access token, shared by every
// request waiting on it (a refresh token presented twice closes the session).

import type { components, paths } from "./cloud-schema";
import { ApiError, buildUrl, toApiError } from "./client";
import type { BodyOf, PathParams, QueryParams, Success } from "./client";
import { acceptLanguage } from "../lib/i18n";

export { ApiError };
export type CS = components["schemas"];
type Method = "get" | "post" | "put" | "patch" | "delete";
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
export type CloudPathsFor<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P;
}[keyof paths];


export interface CloudOptions<O> {
  path?: PathParams<O>;
  query?: QueryParams<O>;
  body?: BodyOf<O>;
  /** A raw body (a photo upload), sent with its content type instead of JSON. */
  raw?: { body: BodyInit; type: string };
  signal?: AbortSignal;
}

// Routes whose 401 means "wrong credentials", never "renew the session".
const NO_REFRESH = /^\/api\/v1\/auth\/(login|refresh|logout)\b/;
const REFRESHABLE = new Set(["token_invalid", "unauthenticated"]);

export class CloudClient {
  private refreshing: Promise<boolean> | null = null;
  /** Called when the session cannot be renewed (show the login). */
  onSessionLost: () => void = () => {};

  constructor(private readonly fetcher: typeof fetch = (...a) => fetch(...a)) {}

  /** Renews the session once; concurrent callers share the same attempt. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.fetcher("/api/v1/auth/refresh", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept-Language": acceptLanguage() },
    })
      .then((r) => r.ok)
      .catch(() => false)
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /** Sends a JSON request (or none), renewing the session once on an expired token. */
  async send(method: string, url: string, body?: unknown, signal?: AbortSignal, raw?: { body: BodyInit; type: string }): Promise<unknown> {
    const go = () => {
      const headers: Record<string, string> = { "Accept-Language": acceptLanguage(), Accept: "application/json" };
      if (raw) headers["Content-Type"] = raw.type;
      else if (body !== undefined) headers["Content-Type"] = "application/json";
      return this.fetcher(url, {
        method,
        headers,
        body: raw ? raw.body : body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        signal,
      });
    };
    let response: Response;
    try {
      response = await go();
    } catch (e) {
      if ((e as Error)?.name === "AbortError") throw e;
      throw toApiError(0, null);
    }
    if (response.status === 401 && !NO_REFRESH.test(url)) {
      const error = toApiError(401, await response.clone().json().catch(() => null));
      if (REFRESHABLE.has(error.code) && (await this.refresh())) response = await go();
      if (response.status === 401) this.onSessionLost();
    }
    if (!response.ok) throw toApiError(response.status, await response.json().catch(() => null));
    if (response.status === 204) return undefined;
    return (response.headers.get("content-type") ?? "").includes("json") ? response.json() : response.text();
  }

  async request<P extends keyof paths, M extends Method>(method: M, path: P, options: CloudOptions<Op<P, M>> = {}): Promise<Success<Op<P, M>>> {
    const url = buildUrl(path as string, options.path as Record<string, unknown>, options.query as Record<string, unknown>);
    return (await this.send(method.toUpperCase(), url, options.body, options.signal, options.raw)) as Success<Op<P, M>>;
  }

  get<P extends CloudPathsFor<"get">>(path: P, options?: CloudOptions<Op<P, "get">>) {
    return this.request("get", path, options);
  }
  post<P extends CloudPathsFor<"post">>(path: P, options?: CloudOptions<Op<P, "post">>) {
    return this.request("post", path, options);
  }
  put<P extends CloudPathsFor<"put">>(path: P, options?: CloudOptions<Op<P, "put">>) {
    return this.request("put", path, options);
  }
  patch<P extends CloudPathsFor<"patch">>(path: P, options?: CloudOptions<Op<P, "patch">>) {
    return this.request("patch", path, options);
  }
  del<P extends CloudPathsFor<"delete">>(path: P, options?: CloudOptions<Op<P, "delete">>) {
    return this.request("delete", path, options);
  }
}

/** The dashboard's client. */
export const cloud = new CloudClient();
