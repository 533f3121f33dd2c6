// Who is signed in and what they may do (the `permissions` of login and /auth/me).

import type { S } from "../api/client";

export type Permission = S["Permission"];

let user: S["UserView"] | null = null;
let permissions = new Set<Permission>();

type Session = { user: S["UserView"]; permissions: Permission[] };
let onSignedInHandler: ((session: Session) => void) | null = null;

/** The shell says what opening the app means; pages that sign someone in (setup, login,
 * PIN) call [`signedIn`] without importing the shell. */
export function onSignedIn(handler: (session: Session) => void): void {
  onSignedInHandler = handler;
}

/** After login, setup or PIN: hands the session to the shell. */
export function signedIn(session: Session): void {
  onSignedInHandler?.(session);
}

let withApproval = new Set<Permission>();

export function setSession(next: { user: S["UserView"]; permissions: Permission[]; with_approval?: Permission[] } | null): void {
  user = next?.user ?? null;
  permissions = new Set(next?.permissions ?? []);
  withApproval = new Set(next?.with_approval ?? []);
}

/** What a manager's PIN lets this user do on top (`/auth/me`'s `with_approval`: voids,
 * discounts and refunds when the restaurant asks for the PIN). */
export function setWithApproval(perms: Permission[]): void {
  withApproval = new Set(perms);
}

export function currentUser(): S["UserView"] | null {
  return user;
}

/** Whether the signed-in user may do `perm` (pages and buttons are hidden otherwise). */
export function can(perm: Permission): boolean {
  return permissions.has(perm);
}

/** Whether the user may do `perm` alone or with a manager's PIN (the button shows; the PIN
 * is asked when the API says it is needed). */
export function canWithApproval(perm: Permission): boolean {
  return permissions.has(perm) || withApproval.has(perm);
}
