// The audit log's vocabulary on the client: the recorded actions (their codes never shown:
// each has a label in both dictionaries, `aa_<code>`), and the filters as a query. Shared
// by the panel's Auditoría and the owners' dashboard.

/** Every recorded action, in the server's order (`dysa_domain::audit::AuditAction::ALL`). */
export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_in_failed",
  "user.created",
  "user.updated",
  "menu.item_created",
  "menu.item_updated",
  "menu.item_deleted",
  "order.line_voided",
  "order.cancelled",
  "order.discount",
  "payment.refunded",
  "settings.updated",
  "cloud.linked",
  "cloud.unlinked",
  "join.approved",
  "data.exported",
  "backup.restored",
  "auth.recovery_code_issued",
  "auth.recovered",
] as const;

/** A recorded action's code. */
export type AuditActionCode = (typeof AUDIT_ACTIONS)[number];

/** The dictionary key of an action's label: `order.line_voided` → `aa_order_line_voided`. */
export function auditActionKey(code: string): string {
  return `aa_${code.replace(/\./g, "_")}`;
}

/** What the filter form holds (empty text: no filter). */
export interface AuditFilters {
  from: string;
  to: string;
  actor: string;
  action: string;
  offset: number;
}

/** The filters as the API's query: only those set; `limit` 0 leaves paging out (CSV). */
export function auditQuery(f: AuditFilters, limit: number): Record<string, string | number> {
  const q: Record<string, string | number> = {};
  if (f.from) q.from = f.from;
  if (f.to) q.to = f.to;
  if (f.actor) q.actor = f.actor;
  if (f.action) q.action = f.action;
  if (limit > 0) {
    q.limit = limit;
    if (f.offset > 0) q.offset = f.offset;
  }
  return q;
}
