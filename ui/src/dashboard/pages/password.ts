// The ways back into an account: "forgot my password" (a mailed link), the page that link
// opens (a new password), the email-confirmation link, and changing the password while
// signed in. The first three work without a session.

import { ApiError, cloud } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { field, formError, input, onSubmit, toast } from "../../lib/ui";
import { d } from "../i18n";

const BASE = "/dashboard";

function card(...children: HTMLElement[]): HTMLElement {
  return h("main", { class: "login-page" }, h("div", { class: "card login-card" }, ...children));
}

function backLink(): HTMLElement {
  return h("p", { class: "small" }, h("a", { href: `${BASE}/login` }, d("back_to_login")));
}

/** The token of a mailed link (`?token=…`), if any. */
export function linkToken(search: string): string | null {
  const token = new URLSearchParams(search).get("token");
  return token && token.trim() ? token.trim() : null;
}

/** `/dashboard/forgot`: asks for a reset link; the answer never says whether the email has an account. */
export function renderForgot(root: HTMLElement): void {
  const email = input("email", { type: "email", autocomplete: "username", required: true, autofocus: true });
  const result = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { class: "form", "aria-labelledby": "forgot-title", novalidate: true },
    formError(),
    field(d("email"), email),
    h("button", { class: "btn primary block", type: "submit" }, d("forgot_send")),
  );
  onSubmit(form, async (v) => {
    const answer = await cloud.post("/api/v1/auth/password/forgot", { body: { email: v.email ?? "" } });
    mount(
      result,
      answer.mail_configured
        ? h("p", { class: "notice", id: "forgot-sent" }, d("forgot_sent"))
        : h("p", { class: "notice bad", id: "forgot-sent" }, d("mail_not_configured")),
    );
    form.hidden = true;
  });
  mount(root, card(h("h1", { id: "forgot-title" }, d("forgot_title")), h("p", { class: "muted" }, d("forgot_lead")), form, result, backLink()));
  email.focus();
}

function passwordPair(): { fields: HTMLElement[]; check: () => void } {
  const password = input("password", { type: "password", autocomplete: "new-password", required: true, minlength: 10 });
  const again = input("password_again", { type: "password", autocomplete: "new-password", required: true });
  const fields = [field(d("new_password"), password, d("password_hint")), field(d("confirm_password"), again)];
  // Thrown as a field error, so `onSubmit` shows it beside the field like the API's.
  const check = () => {
    if (password.value !== again.value) throw new ApiError(422, "validation_failed", d("passwords_differ"), { password_again: d("passwords_differ") });
  };
  return { fields, check };
}

/** `/dashboard/reset?token=…`: the page a reset mail opens. */
export function renderReset(root: HTMLElement, search: string): void {
  const token = linkToken(search);
  const title = h("h1", { id: "reset-title" }, d("reset_title"));
  if (!token) {
    mount(root, card(title, h("p", { class: "notice bad" }, d("reset_missing")), h("p", null, h("a", { href: `${BASE}/forgot`, class: "btn" }, d("ask_new_link"))), backLink()));
    return;
  }
  // Keep the secret out of the address bar and the history once it has been read.
  history.replaceState(null, "", `${BASE}/reset`);
  const { fields, check } = passwordPair();
  // The token's own error (unknown, used, expired) shows here, with the way out.
  const tokenError = h("div", { class: "field", dataset: { field: "token" } }, h("small", { class: "field-error", "aria-live": "polite" }));
  const form = h(
    "form",
    { class: "form", "aria-labelledby": "reset-title", novalidate: true },
    formError(),
    tokenError,
    ...fields,
    h("button", { class: "btn primary block", type: "submit" }, d("reset_save")),
  );
  const after = h("div", { "aria-live": "polite" });
  onSubmit(form, async (v) => {
    check();
    try {
      await cloud.post("/api/v1/auth/password/reset", { body: { token, password: v.password ?? "" } });
    } catch (error) {
      if (error instanceof ApiError && error.fields.token) {
        mount(after, h("p", null, h("a", { href: `${BASE}/forgot`, class: "btn" }, d("ask_new_link"))));
      }
      throw error;
    }
    form.hidden = true;
    mount(after, h("p", { class: "notice", id: "reset-done" }, d("reset_done")), h("p", null, h("a", { href: `${BASE}/login`, class: "btn primary" }, d("login"))));
  });
  mount(root, card(title, h("p", { class: "muted" }, d("reset_lead")), form, after, backLink()));
  form.querySelector<HTMLInputElement>("input")?.focus();
}

/** `/dashboard/verify?token=…`: confirms the email (signed in or not). */
export function renderVerify(root: HTMLElement, search: string, signedIn: boolean, verified?: () => void): void {
  const token = linkToken(search);
  const status = h("p", { class: "notice", "aria-live": "polite", id: "verify-status" }, d("verify_working"));
  const next = signedIn ? h("a", { href: BASE, class: "btn primary" }, d("go_dashboard")) : h("a", { href: `${BASE}/login`, class: "btn primary" }, d("login"));
  const parts = [h("h1", null, d("verify_title")), status, h("p", null, next)];
  // Signed in, the page sits inside the shell's <main>.
  mount(root, signedIn ? h("section", { class: "card login-card" }, ...parts) : card(...parts));
  if (token) history.replaceState(null, "", `${BASE}/verify`);
  const fail = () => {
    status.className = "notice bad";
    status.textContent = d("link_bad");
  };
  if (!token) return fail();
  cloud
    .post("/api/v1/auth/email/verify", { body: { token } })
    .then(() => {
      status.textContent = d("verify_done");
      verified?.();
    })
    .catch(fail);
}

/** `/dashboard/password`: the signed-in account changes its password. */
export function renderChangePassword(root: HTMLElement): void {
  const current = input("current_password", { type: "password", autocomplete: "current-password", required: true });
  const { fields, check } = passwordPair();
  const form = h(
    "form",
    { class: "form narrow", "aria-labelledby": "change-title", novalidate: true },
    formError(),
    field(d("current_password"), current),
    ...fields,
    h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, d("change_password"))),
  );
  onSubmit(form, async (v) => {
    check();
    await cloud.post("/api/v1/auth/password/change", { body: { current_password: v.current_password ?? "", new_password: v.password ?? "" } });
    form.reset();
    toast(() => d("change_done"));
  });
  // The API names the new password `new_password`; the form calls it `password`.
  form.querySelector('[data-field="password"]')?.setAttribute("data-field", "new_password");
  mount(root, h("section", { class: "page" }, h("h1", { id: "change-title" }, d("change_password")), h("p", { class: "muted" }, d("change_lead")), form));
  current.focus();
}

/** The banner shown until the account's email is confirmed. */
export function verifyBanner(mailConfigured: boolean): HTMLElement {
  const text = h("span", null, d("verify_banner"), " ");
  const banner = h("div", { class: "notice verify-banner", role: "status", id: "verify-banner" }, text);
  if (!mailConfigured) {
    banner.append(h("span", { class: "muted" }, d("mail_not_configured")));
    return banner;
  }
  const button = h("button", { class: "btn ghost", type: "button" }, d("verify_resend"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const answer = await cloud.post("/api/v1/auth/email/resend");
      toast(answer.queued ? d("verify_resent") : d("verify_recent"));
    } catch {
      toast(() => d("link_bad"), "error");
    } finally {
      button.disabled = false;
    }
  });
  banner.append(button);
  return banner;
}
