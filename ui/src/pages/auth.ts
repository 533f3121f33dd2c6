// First-run setup, login by email/password and quick switch by PIN.

import { api, ApiError, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { lang, setLang, t } from "../lib/i18n";
import { field, formError, input, onSubmit, empty, loading } from "../lib/ui";
import { signedIn } from "../lib/session";

function frame(title: string, ...body: HTMLElement[]): HTMLElement {
  return h(
    "div",
    { class: "auth" },
    h(
      "div",
      { class: "auth-card card" },
      h("div", { class: "auth-top" }, h("span", { class: "brand" }, "ChatBotDysa"), langSwitch()),
      h("h1", null, title),
      ...body,
    ),
  );
}

function langSwitch(): HTMLElement {
  const other = lang() === "es" ? "en" : "es";
  return h("button", { class: "btn ghost", type: "button", onclick: () => setLang(other) }, other === "en" ? "English" : "Español");
}

/** The first-run wizard. On the counter itself it shows the setup code (for setting up
 * from a tablet instead); from any other device it asks for that code. */
export function renderSetup(root: HTMLElement, codeRequired: boolean): void {
  const codeNote = h("p", { class: "hint", id: "setup-code" });
  const form = h(
    "form",
    { class: "form", novalidate: true },
    codeRequired
      ? field(t("setup_code"), input("code", { required: true, autocomplete: "off", autocapitalize: "characters", spellcheck: "false" }), t("setup_code_hint"))
      : codeNote,
    field(t("setup_restaurant"), input("restaurant_name", { required: true, autocomplete: "organization" })),
    h("h2", null, t("setup_admin")),
    field(t("name"), input("name", { required: true, autocomplete: "name" })),
    field(t("email"), input("email", { type: "email", required: true, autocomplete: "username" })),
    field(t("password"), input("password", { type: "password", required: true, autocomplete: "new-password" }), t("password_hint")),
    field(t("pin"), input("pin", { inputmode: "numeric", autocomplete: "off", pattern: "[0-9]*" })),
    formError(),
    h("button", { class: "btn primary block", type: "submit" }, t("setup_submit")),
  );
  if (!codeRequired) {
    api
      .get("/api/v1/setup/code")
      .then((shown) => mount(codeNote, t("setup_code_shown"), " ", h("strong", { class: "setup-code" }, shown.code)))
      .catch(() => codeNote.remove());
  }
  onSubmit(form, async (v) => {
    const session = await api.post("/api/v1/setup", {
      body: { restaurant_name: v.restaurant_name ?? "", name: v.name ?? "", email: v.email ?? "", password: v.password ?? "", pin: v.pin || null, code: v.code || null },
    });
    signedIn(session);
  });
  mount(root, frame(t("setup_title"), form));
  form.querySelector("input")?.focus();
}

export function renderLogin(root: HTMLElement, pinFirst: boolean): void {
  const body = h("div");
  const showPassword = (notice?: string) => {
    const form = h(
      "form",
      { class: "form", novalidate: true },
      notice ? h("p", { class: "notice", id: "pin-refused", role: "status" }, notice) : null,
      field(t("email"), input("email", { type: "email", required: true, autocomplete: "username" })),
      field(t("password"), input("password", { type: "password", required: true, autocomplete: "current-password" })),
      formError(),
      h("button", { class: "btn primary block", type: "submit" }, t("login_submit")),
      h("button", { class: "btn ghost block", type: "button", onclick: () => showPin() }, t("login_pin")),
    );
    onSubmit(form, async (v) => {
      signedIn(await api.post("/api/v1/auth/login", { body: { email: v.email ?? "", password: v.password ?? "" } }));
    });
    mount(body, form);
    form.querySelector("input")?.focus();
  };
  const showPin = () => {
    mount(body, loading());
    api
      .get("/api/v1/auth/pin-users")
      .then((users) => mount(body, pinPicker(users, () => showPassword())))
      .catch((error) => {
        // A device on the LAN that never signed in here gets no list of staff: the
        // password form, saying why.
        if (error instanceof ApiError && error.code === "device_not_known") showPassword(t("pin_device_unknown"));
        else mount(body, empty(t("error_network")));
      });
  };
  mount(root, frame(pinFirst ? t("pin_title") : t("login_title"), body));
  if (pinFirst) showPin();
  else showPassword();
}

function pinPicker(users: S["PinUser"][], back: () => void): HTMLElement {
  const wrap = h("div", { class: "pin" });
  const backButton = h("button", { class: "btn ghost block", type: "button", onclick: back }, t("login_title"));
  if (users.length === 0) {
    mount(wrap, empty(t("pin_none")), backButton);
    return wrap;
  }
  const pick = (user: S["PinUser"]) => {
    const pin = input("pin", { type: "password", inputmode: "numeric", autocomplete: "off", maxlength: 6, class: "pin-input", "aria-label": "PIN" });
    const pad = h(
      "div",
      { class: "pinpad" },
      ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "✓"].map((k) =>
        h("button", {
          class: "btn key",
          type: k === "✓" ? "submit" : "button",
          "aria-label": k === "⌫" ? "Borrar" : k === "✓" ? t("pin_submit") : k,
          onclick: k === "✓" ? undefined : () => {
            pin.value = k === "⌫" ? pin.value.slice(0, -1) : (pin.value + k).slice(0, 6);
            pin.focus();
          },
        }, k),
      ),
    );
    const form = h("form", { class: "form" }, h("p", { class: "who-big" }, user.name), field("PIN", pin), formError(), pad, backButton);
    onSubmit(form, async (v) => {
      signedIn(await api.post("/api/v1/auth/pin", { body: { user_id: user.id, pin: v.pin ?? "" } }));
    });
    mount(wrap, form);
    pin.focus();
  };
  mount(
    wrap,
    h("p", null, t("pin_pick")),
    h("div", { class: "pin-users" }, users.map((u) => h("button", { class: "btn tile", type: "button", onclick: () => pick(u) }, h("strong", null, u.name), h("small", null, t(`role_${u.role}`))))),
    backButton,
  );
  return wrap;
}
