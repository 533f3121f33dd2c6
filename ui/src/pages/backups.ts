// Backups: the "Respaldos" section of Settings (admins): the last backup, its state and a
// "back up now" button. A failed backup (the `backup.failed` event) is also announced
// wherever the admin is in the panel.

import { api, type S } from "../api/client";
import { subscribe } from "../api/events";
import { h, mount } from "../lib/dom";
import { t } from "../lib/i18n";
import { can } from "../lib/session";
import { whenText } from "../lib/sync";
import { failure, loading, toast } from "../lib/ui";

subscribe((type, data) => {
  if (type !== "backup.failed" || !can("settings:write")) return;
  const error = (data as { error?: string } | null)?.error ?? "";
  toast(() => t("backup_failed_toast", { error }), "error");
});

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}

function facts(status: S["BackupsStatus"]): HTMLElement {
  const last = status.last ?? null;
  const state = !last
    ? h("span", { class: "chip muted" }, h("span", { class: "dot" }), t("backup_none"))
    : last.error
      ? h("span", { class: "chip bad", role: "alert" }, h("span", { class: "dot" }), t("backup_state_failed"))
      : h("span", { class: "chip ok" }, h("span", { class: "dot" }), t(last.verified ? "backup_state_verified" : "backup_state_unverified"));
  return h("dl", { class: "facts", id: "backup-facts" },
    h("dt", null, t("backup_last")), h("dd", null, whenText(last?.at)),
    h("dt", null, t("backup_state")), h("dd", null, state),
    last?.error ? [h("dt", null, t("backup_error")), h("dd", null, last.error)] : null,
    last && !last.error ? [h("dt", null, t("backup_size")), h("dd", null, sizeText(last.size_bytes))] : null,
    h("dt", null, t("backup_schedule")),
    h("dd", null, status.interval_hours > 0
      ? t("backup_schedule_text", { hours: status.interval_hours, days: status.retention_days, count: status.count })
      : t("backup_schedule_off", { days: status.retention_days, count: status.count })));
}

/** The Settings section; `cleanup` stops following the backup events. */
export function backupsSection(): { el: HTMLElement; cleanup: () => void } {
  const body = h("div", null, loading());
  const button = h("button", { class: "btn", type: "button", id: "backup-now" }, t("backup_now")) as HTMLButtonElement;
  const el = h("section", { class: "card", id: "respaldos", "aria-labelledby": "backup-title" },
    h("h2", { id: "backup-title" }, t("backups")),
    h("p", { class: "hint" }, t("backup_intro")),
    body,
    h("div", { class: "actions" }, button));
  const show = (status: S["BackupsStatus"]) => mount(body, facts(status));
  const fetch = () => api.get("/api/v1/backups").then(show).catch((error) => mount(body, failure(error, fetch)));
  button.onclick = async () => {
    button.disabled = true;
    button.textContent = t("backup_running");
    try {
      const status = await api.post("/api/v1/backups");
      show(status);
      if (!status.last?.error) toast(() => t("backup_done"));
    } catch (error) {
      mount(body, failure(error, fetch));
    } finally {
      button.disabled = false;
      button.textContent = t("backup_now");
    }
  };
  fetch();
  const off = subscribe((type) => {
    if (type === "backup.taken" || type === "backup.failed") fetch();
  });
  return { el, cleanup: off };
}
