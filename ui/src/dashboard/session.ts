// Who is signed in to the dashboard and what their role allows (from login and /auth/me).

import type { CS } from "../api/cloud-client";

export type CloudPermission = CS["Permission"];

let account: CS["AccountView"] | null = null;
let permissions = new Set<CloudPermission>();
let mail = { verified: true, configured: true };

export function setSession(next: CS["MeResponse"] | null): void {
  account = next?.user ?? null;
  permissions = new Set(next?.permissions ?? []);
  mail = { verified: next?.email_verified ?? true, configured: next?.mail_configured ?? true };
}

/** Whether the account's email is confirmed, and whether the cloud can send email. */
export function mailState(): { verified: boolean; configured: boolean } {
  return mail;
}

/** The email was just confirmed (the banner goes). */
export function markVerified(): void {
  mail = { ...mail, verified: true };
}

export function signedInAccount(): CS["AccountView"] | null {
  return account;
}

/** Whether the account may do `perm` (pages and buttons are hidden otherwise; the API
 * refuses regardless). */
export function can(perm: CloudPermission): boolean {
  return permissions.has(perm);
}

/** Whether the platform's operator (super_admin) is signed in: the console is theirs
 * alone, and they have no restaurant's pages. */
export function isOperator(): boolean {
  return account?.role === "super_admin";
}
