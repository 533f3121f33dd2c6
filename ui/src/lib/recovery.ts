// Which recovery code the admin typed on "¿Olvidaste tu contraseña?": the counter's own
// printed code (20 characters) or the one the owner made in the cloud's dashboard for a
// linked counter (12). Case, spaces and dashes do not count, as on the servers.

/** Characters of an owner's code from the cloud (`XXXX-XXXX-XXXX`). */
export const OWNER_CODE_LENGTH = 12;

/** The code as the servers compare it: letters and digits only, upper case. */
export function normalizeCode(code: string): string {
  return code.replace(/[^0-9a-z]/gi, "").toUpperCase();
}

/** Whether `code` is an owner's code (sent to `/auth/recover/owner`). */
export function isOwnerCode(code: string): boolean {
  return normalizeCode(code).length === OWNER_CODE_LENGTH;
}
