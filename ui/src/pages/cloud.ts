// The cloud link: the "Nube" section of Settings (connect with an enrolment code, the
// link's state, disconnect) and the list of local changes the cloud refused.

import { ApiError, api, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { t } from "../lib/i18n";
import { can } from "../lib/session";
import {
  cloudChip,
  connectError,
  entityText,
  linkText,
  liveMark,
  onSyncStatus,
  reasonText,
  refreshSyncStatus,
  setFetchedStatus,
  syncStatus,
  tokenStorageText,
  whenText,
  type SyncStatus,
} from "../lib/sync";
import { confirmAction, empty, failure, field, formError, input, load, loading, onSubmit, pageHeader, toast } from "../lib/ui";

/** The Settings section; `cleanup` stops following the live status. */
export function cloudSection(): { el: HTMLElement; cleanup: () => void } {
  const body = h("div", { class: "cloud-body" }, loading());
  const el = h(
    "section",
    { class: "card cloud", id: "nube", "aria-labelledby": "cloud-title" },
    h("h2", { id: "cloud-title" }, t("cloud")),
    h("p", { class: "hint" }, t("cloud_intro")),
    body,
  );
  // The whole view is rebuilt only when the link state changes (a form being typed in
  // survives the live updates); otherwise just the facts are.
  let shown: string | null = null;
  let facts: HTMLElement | null = null;
  const show = (status: SyncStatus | null) => {
    if (!status) return;
    if (shown === status.link && facts) {
      mount(facts, factRows(status));
      return;
    }
    shown = status.link;
    facts = status.link === "not_configured" ? null : h("dl", { class: "facts" }, factRows(status));
    mount(body, view(status, facts));
  };
  const off = onSyncStatus(show);
  const first = syncStatus();
  if (first) show(first);
  const fetch = () => {
    if (!shown) mount(body, loading());
    refreshSyncStatus().catch((error) => {
      if (!shown) mount(body, failure(error, fetch));
    });
  };
  fetch();
  return { el, cleanup: off };
}

function view(status: SyncStatus, facts: HTMLElement | null): HTMLElement[] {
  const admin = can("settings:write");
  if (status.link === "not_configured") {
    const parts: (HTMLElement | null)[] = [
      h("p", { id: "cloud-not-connected" }, t("cloud_not_connected")),
      // Changes the cloud refused before a disconnect are still worth seeing.
      status.rejected > 0 ? h("div", { class: "actions start" }, h("a", { class: "btn", href: "/sync/rejected" }, t("cloud_see_rejected"))) : null,
      admin ? connectForm() : h("p", { class: "hint" }, t("cloud_admin_only")),
    ];
    return parts.filter((x): x is HTMLElement => x !== null);
  }
  return [
    status.link === "revoked" ? h("p", { class: "notice bad", role: "alert" }, t("cloud_revoked_help")) : null,
    facts,
    h(
      "div",
      { class: "actions" },
      h("a", { class: "btn", href: "/sync/rejected" }, t("cloud_see_rejected")),
      admin ? h("button", { class: "btn danger", type: "button", id: "cloud-disconnect", onclick: () => void disconnect() }, t("cloud_disconnect")) : null,
    ),
    status.link === "revoked" && admin ? connectForm(status.cloud_url ?? "") : null,
    admin ? null : h("p", { class: "hint" }, t("cloud_admin_only")),
  ].filter((x): x is HTMLElement => x !== null);
}

function fact(label: string, ...value: (Node | string | null)[]): HTMLElement {
  return h("div", null, h("dt", null, label), h("dd", null, ...value));
}

function factRows(s: SyncStatus): HTMLElement[] {
  const chip = cloudChip(s.link);
  const detail =
    s.link === "revoked" && s.revoked_reason
      ? t("cloud_revoked_reason", { reason: s.revoked_reason })
      : s.link === "offline" && s.last_error
        ? t("cloud_last_error", { error: s.last_error })
        : null;
  return [
    fact(t("cloud_address"), h("span", { class: "mono", id: "cloud-url" }, s.cloud_url ?? "—")),
    fact(
      t("cloud_state"),
      h("span", { class: `chip ${chip.tone}`, id: "cloud-link", "data-link": s.link }, h("span", { class: "dot" }), linkText(s.link)),
      detail ? h("small", { class: "muted fact-note" }, detail) : null,
    ),
    fact(t("cloud_last_sync"), h("span", { id: "cloud-last-sync" }, whenText(s.last_success_at))),
    fact(t("cloud_pending"), h("span", { class: "num", id: "cloud-pending" }, String(s.pending))),
    fact(t("cloud_rejected"), h("span", { class: s.rejected > 0 ? "num warn-text" : "num", id: "cloud-rejected" }, String(s.rejected))),
    s.parked > 0 ? fact(t("cloud_parked"), h("span", { class: "num" }, String(s.parked))) : null,
    fact(t("cloud_token"), h("span", { id: "cloud-token" }, tokenStorageText(s.token_storage))),
    fact(t("cloud_connected_at"), whenText(s.connected_at)),
  ].filter((x): x is HTMLElement => x !== null);
}

function connectForm(cloudUrl = ""): HTMLFormElement {
  const submit = h("button", { class: "btn primary", type: "submit" }, t("cloud_connect"));
  const form = h(
    "form",
    { class: "form", id: "cloud-connect", novalidate: true },
    field(
      t("cloud_url"),
      input("cloud_url", { value: cloudUrl, inputmode: "url", autocomplete: "url", autocapitalize: "off", spellcheck: "false", placeholder: "https://", required: true }),
      t("cloud_url_hint"),
    ),
    field(
      t("enrollment_code"),
      input("enrollment_code", { autocomplete: "off", autocapitalize: "off", spellcheck: "false", required: true }),
      t("enrollment_code_hint"),
    ),
    formError(),
    h("div", { class: "actions" }, submit),
  );
  onSubmit(form, async (v) => {
    submit.textContent = t("cloud_connecting");
    form.setAttribute("aria-busy", "true");
    try {
      const mark = liveMark();
      const status = await api.post("/api/v1/cloud/connect", {
        body: { cloud_url: v.cloud_url ?? "", enrollment_code: v.enrollment_code ?? "" },
      });
      toast(t("cloud_connected_toast"));
      setFetchedStatus(status, mark);
    } catch (error) {
      if (error instanceof ApiError && error.code === "cloud_already_connected") {
        // Another panel connected it meanwhile: say so, and show the link as it is.
        toast(error.message, "error");
        void refreshSyncStatus().catch(() => undefined);
      }
      throw connectError(error);
    } finally {
      submit.textContent = t("cloud_connect");
      form.removeAttribute("aria-busy");
    }
  });
  return form;
}

async function disconnect(): Promise<void> {
  const sure = await confirmAction(t("cloud_disconnect_title"), t("cloud_disconnect_text"), t("cloud_disconnect"));
  if (!sure) return;
  try {
    await api.del("/api/v1/cloud/connect");
    toast(t("cloud_disconnected_toast"));
    await refreshSyncStatus();
  } catch (error) {
    toast(error instanceof ApiError ? error.message : t("error_generic"), "error");
  }
}

// ---- the refused changes -----------------------------------------------------------------

/** `/sync/rejected`: what the cloud refused, newest first; reloads when the count moves. */
export function renderRejected(root: HTMLElement): () => void {
  const body = h("div", { id: "rejected-list" });
  mount(
    root,
    pageHeader(t("rejected_title"), h("a", { class: "btn", href: "/settings" }, t("back_settings"))),
    h("p", { class: "hint" }, t("rejected_intro")),
    body,
  );
  const reload = () =>
    void load(body, () => api.get("/api/v1/sync/rejected"), (rows) => mount(body, rows.length ? rejectedTable(rows) : empty(t("rejected_none"))));
  reload();
  let seen = syncStatus()?.rejected;
  return onSyncStatus((status) => {
    if (status && status.rejected !== seen) {
      seen = status.rejected;
      reload();
    }
  });
}

function rejectedTable(rows: S["RejectedChange"][]): HTMLElement {
  return h(
    "div",
    { class: "table-wrap card" },
    h(
      "table",
      { class: "table rejected" },
      h("caption", { class: "visually-hidden" }, t("rejected_title")),
      h(
        "thead",
        null,
        h("tr", null, h("th", { scope: "col" }, t("rejected_when")), h("th", { scope: "col" }, t("rejected_what")), h("th", { scope: "col" }, t("rejected_reason")), h("th", { scope: "col" }, t("rejected_detail"))),
      ),
      h(
        "tbody",
        null,
        rows.map((r) =>
          // Server text (reason codes, the cloud's detail) only ever goes in as text nodes.
          h(
            "tr",
            { dataset: { seq: String(r.seq) } },
            h("td", { class: "nowrap" }, whenText(r.rejected_at ?? r.created_at)),
            h(
              "td",
              { title: r.entity_id },
              h("span", { class: "entity" }, entityText(r.entity) + (r.op === "delete" ? ` (${t("rejected_delete")})` : "")),
              openLink(r),
            ),
            h("td", null, reasonText(r.reason)),
            h("td", { class: "rej-detail" }, r.detail ?? "—"),
          ),
        ),
      ),
    ),
  );
}

function openLink(r: S["RejectedChange"]): HTMLElement | null {
  if (r.op === "delete") return null;
  if (r.entity === "order" && can("orders:read")) {
    return h("a", { class: "btn link", href: `/orders/${encodeURIComponent(r.entity_id)}` }, t("rejected_open_order"));
  }
  if (r.entity === "customer" && can("customers:read")) {
    return h("a", { class: "btn link", href: `/customers/${encodeURIComponent(r.entity_id)}` }, t("rejected_open_customer"));
  }
  return null;
}
