// Devices: the counters linked to each location, a one-time link code per location
// (shown once), a recovery code for a counter's sole admin, and revocation behind a
// confirmation.

import { cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { dateTime } from "../../lib/format";
import { lang } from "../../lib/i18n";
import { confirmAction, dialog, empty, failure, load, pageHeader, toast } from "../../lib/ui";
import { d } from "../i18n";
import { can } from "../session";
import { ago } from "./overview";

export function renderDevices(root: HTMLElement): void {
  const body = h("div");
  mount(root, pageHeader(d("nav_devices")), h("p", { class: "muted" }, d("devices_lead")), body);
  const refresh = () =>
    load(body, () => Promise.all([cloud.get("/api/v1/locations"), cloud.get("/api/v1/devices")]), ([locations, devices]) => {
      mount(
        body,
        locations.map((location) =>
          h(
            "section",
            { class: "card device-location", dataset: { location: location.id } },
            h(
              "header",
              { class: "row wrap" },
              h("h2", { class: "grow" }, location.name),
              can("settings:write") ? h("button", { class: "btn primary", type: "button", "data-new-code": "", onclick: () => void newCode(location) }, d("new_code")) : null,
            ),
            deviceTable(devices.filter((dv) => dv.location_id === location.id), refresh),
          ),
        ),
      );
    });
  void refresh();
}

function deviceTable(devices: CS["DeviceView"][], refresh: () => void): HTMLElement {
  if (devices.length === 0) return empty(d("no_devices"));
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "table" },
      h(
        "thead",
        null,
        h("tr", null, h("th", { scope: "col" }, d("device")), h("th", { scope: "col" }, d("last_seen")), h("th", { scope: "col" }, d("last_sync")), h("th", { scope: "col" }, d("status")), h("th", { scope: "col" })),
      ),
      h(
        "tbody",
        null,
        devices.map((device) =>
          h(
            "tr",
            { dataset: { device: device.id }, class: device.revoked_at ? "voided" : "" },
            h("th", { scope: "row" }, device.name),
            h("td", null, ago(device.last_seen_at)),
            h("td", null, ago(device.last_sync_at)),
            h("td", null, device.revoked_at ? `${d("revoked")} ${dateTime(device.revoked_at, lang())}` : d("device_active")),
            h(
              "td",
              null,
              h(
                "div",
                { class: "row wrap" },
                !device.revoked_at && can("users:manage")
                  ? h("button", { class: "btn", type: "button", "data-recover": "", onclick: () => void recoveryCode(device) }, d("recover_access"))
                  : null,
                !device.revoked_at && can("settings:write")
                  ? h("button", { class: "btn danger", type: "button", "data-revoke": "", onclick: () => void revoke(device, refresh) }, d("revoke"))
                  : null,
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

/** Makes a one-time link code for `location` and shows it once, with a copy button. */
export async function newCode(location: CS["LocationView"]): Promise<void> {
  try {
    const code = await cloud.post("/api/v1/locations/{id}/enrollment-codes", { path: { id: location.id } });
    const body = h(
      "div",
      { class: "form" },
      h("p", null, d("code_once")),
      h("output", { class: "enrollment-code", "aria-live": "polite" }, code.enrollment_code),
      h("p", { class: "muted" }, d("code_expires", { at: dateTime(code.expires_at, lang()) })),
      h(
        "div",
        { class: "actions" },
        h("button", { class: "btn", type: "button", "data-copy-code": "", onclick: () => void copyText(code.enrollment_code) }, d("copy_code")),
        h("button", { class: "btn primary", type: "button", autofocus: true, onclick: () => dlg.close() }, "OK"),
      ),
    );
    const dlg = dialog(`${d("code_title")} — ${location.name}`, body);
  } catch (error) {
    toast(failure(error).textContent ?? "", "error");
  }
}

/** "Recuperar acceso al local": a code for this counter's sole admin who forgot the
 * password (ten minutes, single use, this counter only), shown once. */
async function recoveryCode(device: CS["DeviceView"]): Promise<void> {
  if (!(await confirmAction(d("recover_title", { name: device.name }), d("recover_text"), d("recover_make")))) return;
  try {
    const code = await cloud.post("/api/v1/devices/{id}/recovery-code", { path: { id: device.id } });
    const body = h(
      "div",
      { class: "form" },
      h("p", null, d("recover_once")),
      h("output", { class: "enrollment-code", "aria-live": "polite", "data-recovery-code": "" }, code.code),
      h("p", { class: "muted" }, d("code_expires", { at: dateTime(code.expires_at, lang()) })),
      h(
        "div",
        { class: "actions" },
        h("button", { class: "btn", type: "button", onclick: () => void copyText(code.code) }, d("copy_code")),
        h("button", { class: "btn primary", type: "button", autofocus: true, onclick: () => dlg.close() }, "OK"),
      ),
    );
    const dlg = dialog(`${d("recover_access")} — ${device.name}`, body);
  } catch (error) {
    toast(failure(error).textContent ?? "", "error");
  }
}

async function revoke(device: CS["DeviceView"], refresh: () => void): Promise<void> {
  if (!(await confirmAction(d("revoke_title", { name: device.name }), d("revoke_text"), d("revoke")))) return;
  try {
    await cloud.post("/api/v1/devices/{id}/revoke", { path: { id: device.id } });
    toast(() => d("device_revoked"));
    refresh();
  } catch (error) {
    toast(failure(error).textContent ?? "", "error");
  }
}

/** Puts `text` on the clipboard and says so; where the browser refuses (no permission,
 * plain http), the code stays on screen with `user-select: all` for Ctrl+C. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    toast(() => d("copied"));
  } catch {
    toast(() => d("copy_failed"), "error");
  }
}
