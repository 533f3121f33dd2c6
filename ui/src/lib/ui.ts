// Shared pieces: toasts, dialogs, forms with field errors, loading and empty states.

import { h, mount } from "./dom";
import { onLangChange, t } from "./i18n";
import { ApiError } from "../api/client";

/** What a toast says: a fixed text (an API error, already in the language it was asked
 * in), or a function worded again when the language changes, so a toast shown in Spanish
 * reads in English after the switch. */
export type Words = string | (() => string);

const reword = new WeakMap<Element, () => string>();

export function toast(message: Words, kind: "ok" | "error" = "ok"): void {
  let region = document.getElementById("toasts");
  if (!region) {
    region = h("div", { id: "toasts", role: "status", "aria-live": "polite" });
    document.body.append(region);
    const shown = region;
    onLangChange(() => shown.querySelectorAll(".toast").forEach((el) => {
      const words = reword.get(el);
      if (words) el.textContent = words();
    }));
  }
  const el = h("div", { class: `toast toast-${kind}` }, typeof message === "function" ? message() : message);
  if (typeof message === "function") reword.set(el, message);
  region.append(el);
  setTimeout(() => el.remove(), kind === "error" ? 6000 : 3000);
}

export function loading(): HTMLElement {
  return h("div", { class: "state loading", "aria-busy": "true" }, h("span", { class: "spinner" }), t("loading"));
}

export function empty(text: string = t("empty")): HTMLElement {
  return h("div", { class: "state empty" }, text);
}

export function failure(error: unknown, retry?: () => void): HTMLElement {
  const message = error instanceof ApiError ? error.message : t("error_generic");
  return h(
    "div",
    { class: "state failure", role: "alert" },
    h("p", null, message),
    retry ? h("button", { class: "btn", onclick: retry }, t("retry")) : null,
  );
}

/** Loads data into `el`, showing the loading state and, on failure, the error with a retry. */
export async function load<T>(el: HTMLElement, fetcher: () => Promise<T>, render: (data: T) => void): Promise<void> {
  mount(el, loading());
  try {
    const data = await fetcher();
    render(data);
  } catch (error) {
    mount(el, failure(error, () => void load(el, fetcher, render)));
  }
}

/** A labelled form field; its error slot is filled by `showErrors`. */
export function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  const name = input.getAttribute("name") ?? "";
  const id = input.id || `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  input.id = id;
  return h(
    "div",
    { class: "field", dataset: { field: name } },
    h("label", { for: id }, label),
    input,
    hint ? h("small", { class: "hint" }, hint) : null,
    h("small", { class: "field-error", "aria-live": "polite" }),
  );
}

export function input(name: string, attrs: Record<string, unknown> = {}): HTMLInputElement {
  return h("input", { name, type: "text", ...attrs });
}

export function select(name: string, options: [string, string][], value?: string, attrs: Record<string, unknown> = {}): HTMLSelectElement {
  return h(
    "select",
    { name, ...attrs },
    options.map(([v, label]) => h("option", { value: v, selected: v === value }, label)),
  );
}

/** Clears the form's errors, then shows an API error next to its fields (and the message above). */
export function showErrors(form: HTMLElement, error: unknown): void {
  form.querySelectorAll(".field-error").forEach((el) => (el.textContent = ""));
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  const summary = form.querySelector(".form-error");
  const apiError = error instanceof ApiError ? error : null;
  if (summary) summary.textContent = error ? (apiError?.message ?? t("error_generic")) : "";
  if (!apiError) return;
  let first: HTMLElement | null = null;
  for (const [name, message] of Object.entries(apiError.fields)) {
    const wrapper = fieldFor(form, name);
    if (!wrapper) continue;
    const slot = wrapper.querySelector(".field-error");
    if (slot) slot.textContent = message;
    const control = wrapper.querySelector("input,select,textarea");
    control?.setAttribute("aria-invalid", "true");
    first ??= control as HTMLElement | null;
  }
  first?.focus();
}

// `opening_hours.monday` → the closest field wrapper named by a prefix.
function fieldFor(form: HTMLElement, name: string): Element | null {
  let key = name;
  for (;;) {
    const el = form.querySelector(`[data-field="${CSS.escape(key)}"]`);
    if (el) return el;
    const cut = Math.max(key.lastIndexOf("."), key.lastIndexOf("["));
    if (cut <= 0) return null;
    key = key.slice(0, cut);
  }
}

export function formError(): HTMLElement {
  return h("p", { class: "form-error", role: "alert" });
}

/** Form values as strings. */
export function values(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((v, k) => (out[k] = String(v)));
  return out;
}

/** Submits with the button busy; API errors land next to their fields. */
export function onSubmit(form: HTMLFormElement, action: (v: Record<string, string>) => Promise<void>): void {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true;
    try {
      await action(values(form));
      showErrors(form, null);
    } catch (error) {
      showErrors(form, error);
    } finally {
      if (button) button.disabled = false;
    }
  });
}

/** A modal dialog; resolves when closed. */
export function dialog(title: string, body: HTMLElement, wide = false): { el: HTMLDialogElement; close: () => void; closed: Promise<void> } {
  const el = h(
    "dialog",
    { class: wide ? "dialog wide" : "dialog", "aria-label": title },
    h("header", null, h("h2", null, title), h("button", { class: "btn ghost icon", "aria-label": t("close"), onclick: () => el.close() }, "✕")),
    body,
  );
  document.body.append(el);
  const closed = new Promise<void>((resolve) => el.addEventListener("close", () => {
    el.remove();
    resolve();
  }));
  el.showModal();
  return { el, close: () => el.close(), closed };
}

export function confirmReason(title: string, label: string): Promise<string | null> {
  return new Promise((resolve) => {
    const reason = input("reason", { required: true });
    const form = h("form", { class: "form" }, field(label, reason), h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))));
    const d = dialog(title, form);
    let value: string | null = null;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      value = reason.value.trim();
      d.close();
    });
    void d.closed.then(() => resolve(value));
  });
}

/** Asks before something hard to undo; resolves true only when confirmed. Cancel has the
 * focus, so Enter alone never confirms; Escape cancels. */
export function confirmAction(title: string, text: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    let confirmed = false;
    const textId = `confirm-${Math.random().toString(36).slice(2, 7)}`;
    const body = h(
      "div",
      { class: "form" },
      h("p", { id: textId }, text),
      h(
        "div",
        { class: "actions" },
        h("button", { class: "btn", type: "button", autofocus: true, onclick: () => d.close() }, t("cancel")),
        h("button", { class: "btn danger", type: "button", "data-confirm": "", onclick: () => {
          confirmed = true;
          d.close();
        } }, confirmLabel),
      ),
    );
    const d = dialog(title, body);
    d.el.setAttribute("role", "alertdialog");
    d.el.setAttribute("aria-describedby", textId);
    void d.closed.then(() => resolve(confirmed));
  });
}

export function pageHeader(title: string, ...actions: (HTMLElement | null | false)[]): HTMLElement {
  return h("div", { class: "page-header" }, h("h1", null, title), h("div", { class: "actions" }, ...actions));
}
