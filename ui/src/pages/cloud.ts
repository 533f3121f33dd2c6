// The cloud link: the "Nube" section of Settings (connect with an enrolment code, the
// link's state, disconnect) and the list of local changes the cloud refused.

import { ApiError, api, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { lang, t } from "../lib/i18n";
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
    status.link !== "revoked" && can("users:manage") ? joinRequestsBlock() : null,
    can("settings:read") ? parkedBlock() : null,
  ].filter((x): x is HTMLElement => x !== null);
}

// ---- counters asking to join, parked cloud changes -----------------------------------------

/** Loads `fetch` into `list` as a list of `item`s (or `none`); answers the reload. */
function listInto<T>(list: HTMLElement, fetch: () => Promise<T[]>, item: (row: T, reload: () => void) => HTMLElement, none: string): () => void {
  const reload = (): void =>
    void load(list, fetch, (rows) => mount(list, rows.length ? h("ul", { class: "plain-list" }, rows.map((row) => item(row, reload))) : empty(none)));
  reload();
  return reload;
}

/** The location's counters asking to join: the code is computed on this counter from the
 *  key the cloud relayed, to compare with the new counter's screen. */
function joinRequestsBlock(): HTMLElement {
  const list = h("div", { id: "join-requests" }, loading());
  const reload = listInto(
    list,
    () => api.get("/api/v1/sync/join-requests"),
    (r, again) =>
      h(
        "li",
        { class: "join-request", dataset: { id: r.id } },
        h("strong", null, r.device_name),
        " ",
        h("span", { class: "mono join-list-code" }, r.verification_code),
        " ",
        h("small", { class: "muted" }, whenText(r.created_at)),
        h(
          "div",
          { class: "actions start" },
          h("button", { class: "btn primary", type: "button", onclick: () => void decide(r, true, again) }, t("join_approve")),
          h("button", { class: "btn danger", type: "button", onclick: () => void decide(r, false, again) }, t("join_refuse")),
        ),
      ),
    t("join_requests_none"),
  );
  return h(
    "div",
    { class: "join-requests" },
    h("h3", null, t("join_requests_title")),
    h("p", { class: "hint" }, t("join_requests_hint")),
    list,
    h("div", { class: "actions start" }, h("button", { class: "btn ghost", type: "button", onclick: reload }, t("refresh"))),
  );
}

async function decide(r: S["JoinRequestView"], approve: boolean, reload: () => void): Promise<void> {
  if (approve) {
    const sure = await confirmAction(t("join_approve_title"), t("join_approve_text", { code: r.verification_code }), t("join_approve"));
    if (!sure) return;
  }
  try {
    if (approve) await api.post("/api/v1/sync/join-requests/{id}/approve", { path: { id: r.id } });
    else await api.post("/api/v1/sync/join-requests/{id}/refuse", { path: { id: r.id } });
    toast(() => (approve ? t("join_approved_toast") : t("join_refused_toast")));
  } catch (error) {
    toast(error instanceof ApiError ? error.message : t("error_generic"), "error");
  }
  reload();
}

/** Cloud rows this counter could not apply yet, with why, since when and the tries; admins
 *  retry or discard each. */
function parkedBlock(): HTMLElement {
  const list = h("div", { id: "parked-list" }, loading());
  const admin = can("settings:write");
  const es = lang() === "es";
  listInto(
    list,
    () => api.get("/api/v1/sync/parked"),
    (p, again) =>
      h(
        "li",
        { class: "parked", dataset: { id: p.id, reason: p.reason } },
        h("strong", null, entityText(p.entity)),
        " — ",
        es ? p.message_es : p.message_en,
        h("br"),
        h("small", { class: "muted" }, `${t("parked_since")}: ${whenText(p.since)} · ${t("parked_attempts")}: ${p.attempts}`),
        admin
          ? h(
              "div",
              { class: "actions start" },
              h("button", { class: "btn", type: "button", onclick: () => void retryParked(p.id, again) }, t("parked_retry")),
              h("button", { class: "btn danger", type: "button", onclick: () => void discardParked(p.id, again) }, t("parked_discard")),
            )
          : null,
      ),
    t("parked_none"),
  );
  return h("div", { class: "parked-block" }, h("h3", null, t("parked_title")), list);
}

async function retryParked(id: string, reload: () => void): Promise<void> {
  try {
    const outcome = await api.post("/api/v1/sync/parked/{id}/retry", { path: { id } });
    toast(() => (outcome.applied ? t("parked_applied_toast") : t("parked_still_toast")), outcome.applied ? "ok" : "error");
  } catch (error) {
    toast(error instanceof ApiError ? error.message : t("error_generic"), "error");
  }
  reload();
}

async function discardParked(id: string, reload: () => void): Promise<void> {
  const sure = await confirmAction(t("parked_discard_title"), t("parked_discard_text"), t("parked_discard"));
  if (!sure) return;
  try {
    await api.post("/api/v1/sync/parked/{id}/discard", { path: { id } });
  } catch (error) {
    toast(error instanceof ApiError ? error.message : t("error_generic"), "error");
  }
  reload();
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
      toast(() => t("cloud_connected_toast"));
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
    toast(() => t("cloud_disconnected_toast"));
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
        h("tr", null, h("th", { scope: "col" }, t("rejected_when")), h("th", { scope: "col" }, t("rejected_what")), h("th", { scope: "col" }, t("rejected_reason")), h("th", { scope: "col" }, t("rejected_detail")), can("settings:write") ? h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("rejected_dismiss"))) : null),
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
            can("settings:write")
              ? h("td", null, h("button", { class: "btn ghost", type: "button", onclick: () => void dismiss(r.mutation_id) }, t("rejected_dismiss")))
              : null,
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

async function dismiss(mutationId: string): Promise<void> {
  try {
    await api.post("/api/v1/sync/rejected/{mutation_id}/dismiss", { path: { mutation_id: mutationId } });
    await refreshSyncStatus();
  } catch (error) {
    toast(error instanceof ApiError ? error.message : t("error_generic"), "error");
  }
}
