// Who is signed in to the dashboard and what their role allows (from login and /auth/me).

import type { CS } from "../api/cloud-client";

export type CloudPermission = CS["Permission"];

let account: CS["AccountView"] | null = null;
let permissions = new Set<CloudPermission>();

export function setSession(next: { user: CS["AccountView"]; permissions: CloudPermission[] } | null): void {
  account = next?.user ?? null;
  permissions = new Set(next?.permissions ?? []);
}

export function signedInAccount(): CS["AccountView"] | null {
  return account;
}

/** Whether the account may do `perm` (pages and buttons are hidden otherwise; the API
 * refuses regardless). */
export function can(perm: CloudPermission): boolean {
  return permissions.has(perm);
}
