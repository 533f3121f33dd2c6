// Who is signed in and what they may do (the `permissions` of login and /auth/me).

import type { S } from "../api/client";

export type Permission = S["Permission"];

let user: S["UserView"] | null = null;
let permissions = new Set<Permission>();

export function setSession(next: { user: S["UserView"]; permissions: Permission[] } | null): void {
  user = next?.user ?? null;
  permissions = new Set(next?.permissions ?? []);
}

export function currentUser(): S["UserView"] | null {
  return user;
}

/** Whether the signed-in user may do `perm` (pages and buttons are hidden otherwise). */
export function can(perm: Permission): boolean {
  return permissions.has(perm);
}
