// A manager's PIN for what a cashier's role does not allow alone (voids, discounts,
// refunds), asked only when the restaurant requires it and the API answers
// `approval_required`; the request is then sent again with the approver and their PIN.

import { api, ApiError } from "../api/client";
import { h, mount } from "./dom";
import { t } from "./i18n";
import { dialog, field, formError, input, select } from "./ui";

type Headers = Record<string, string>;

/** Sends `send()`; when a manager's PIN is needed, asks for it and sends again with it.
 * Resolves the answer, or null when the PIN dialog was dismissed. Other errors reject. */
export async function withApproval<T>(send: (headers?: Headers) => Promise<T>): Promise<T | null> {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== "approval_required") throw error;
  }
  const approvers = (await api.get("/api/v1/auth/pin-users").catch(() => []))
    .filter((u) => u.role === "admin" || u.role === "manager");
  return new Promise<T | null>((resolve, reject) => {
    const who = select("approver", approvers.map((u): [string, string] => [u.id, u.name]), approvers[0]?.id);
    const pin = input("pin", { type: "password", inputmode: "numeric", autocomplete: "off", maxlength: 6, required: true, autofocus: true });
    const error = formError();
    const form = h("form", { class: "form", id: "approval-form" });
    mount(form,
      h("p", { class: "muted" }, t("approval_needed")),
      approvers.length ? field(t("approval_who"), who) : h("p", { class: "form-error" }, t("approval_nobody")),
      field(t("approval_pin"), pin),
      error,
      h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit", disabled: approvers.length === 0 }, t("approval_go"))));
    const d = dialog(t("approval_title"), form);
    let settled = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
      if (button) button.disabled = true;
      error.textContent = "";
      try {
        const answer = await send({ "X-Approval-User": who.value, "X-Approval-Pin": pin.value.trim() });
        settled = true;
        d.close();
        resolve(answer);
      } catch (e) {
        if (e instanceof ApiError && (e.code === "approval_refused" || e.status === 429)) {
          error.textContent = e.message;
          pin.value = "";
          pin.focus();
        } else {
          settled = true;
          d.close();
          reject(e);
        }
      } finally {
        if (button) button.disabled = false;
      }
    });
    void d.closed.then(() => {
      if (!settled) resolve(null);
    });
  });
}
