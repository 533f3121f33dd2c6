// First-run setup, login by email/password and quick switch by PIN.

import { api, ApiError, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { lang, setLang, t, tk } from "../lib/i18n";
import { entityText } from "../lib/sync";
import { field, formError, input, onSubmit, empty, loading, toast } from "../lib/ui";
import { signedIn } from "../lib/session";
import { isOwnerCode } from "../lib/recovery";

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
 * from a tablet instead) and offers joining an existing restaurant; from any other
 * device it asks for that code (joining is done on the counter itself). */
export function renderSetup(root: HTMLElement, codeRequired: boolean): () => void {
  const codeNote = h("p", { class: "hint", id: "setup-code" });
  let stop = () => {};
  const showJoin = () => {
    stop();
    stop = renderJoin(root, () => renderSetup(root, codeRequired));
  };
  const showRecover = () => {
    stop();
    renderRecover(root, () => renderSetup(root, codeRequired));
  };
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
    codeRequired ? h("span") : h("p", { class: "hint" }, t("join_offer_hint")),
    codeRequired ? h("span") : h("button", { class: "btn block", type: "button", id: "join-start", onclick: showJoin }, t("join_offer")),
    codeRequired ? h("span") : h("p", { class: "hint" }, t("recover_offer_hint")),
    codeRequired ? h("span") : h("button", { class: "btn block", type: "button", id: "recover-start", onclick: showRecover }, t("recover_offer")),
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
    // The admin's way back if the password is forgotten: shown this once.
    if (session.recovery_code) mount(root, frame(t("recovery_code_title"), recoveryCodeCard(session.recovery_code, t("recovery_continue"), () => signedIn(session))));
    else signedIn(session);
  });
  mount(root, frame(t("setup_title"), form));
  form.querySelector("input")?.focus();
  // A join already under way (the counter restarted while waiting) goes straight back to it.
  void api
    .get("/api/v1/setup/join")
    .then((progress) => {
      if (progress.status === "pending" || progress.status === "approved" || progress.status === "joined") showJoin();
    })
    .catch(() => undefined);
  return () => stop();
}

/** "Join this counter to an existing restaurant": address and code, then the waiting
 *  screen with the verification code until an admin at another counter approves. */
function renderJoin(root: HTMLElement, back: () => void): () => void {
  let timer: number | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    if (timer !== undefined) window.clearTimeout(timer);
  };
  const backButton = h("button", { class: "btn ghost block", type: "button", onclick: () => { stop(); back(); } }, t("join_back"));
  const waiting = (progress: S["JoinProgress"]) => {
    const status = progress.status;
    const message =
      status === "refused" ? t("join_refused") : status === "expired" ? t("join_expired") : status === "pending" ? t("join_waiting") : t("join_taking");
    mount(
      root,
      frame(
        t("join_title"),
        h("p", { id: "join-status", "data-status": status }, message),
        progress.verification_code
          ? h("div", { class: "join-code" }, h("small", null, t("join_code_label")), h("strong", { class: "mono", id: "join-code" }, progress.verification_code))
          : h("span"),
        h("p", { class: "hint" }, t("join_code_hint")),
        progress.detail ? h("p", { class: "notice bad" }, progress.detail) : h("span"),
        status === "refused" || status === "expired" ? h("button", { class: "btn primary block", type: "button", onclick: () => { stop(); mount(root, frame(t("join_title"), joinForm())); } }, t("join_again")) : h("span"),
        backButton,
      ),
    );
  };
  const poll = async () => {
    if (stopped) return;
    try {
      const progress = await api.get("/api/v1/setup/join");
      if (stopped) return;
      if (progress.status === "joined") {
        const setup = await api.get("/api/v1/setup");
        if (!setup.needed) {
          stop();
          toast(() => t("join_done"));
          location.assign("/login");
          return;
        }
      }
      if (progress.status !== "none") waiting(progress);
      if (progress.status === "refused" || progress.status === "expired") return;
    } catch {
      // The cloud or the link is briefly down: keep waiting.
    }
    timer = window.setTimeout(() => void poll(), 3000);
  };
  const joinForm = (): HTMLFormElement => {
    const form = h(
      "form",
      { class: "form", id: "join-form", novalidate: true },
      h("p", { class: "hint" }, t("join_intro")),
      field(t("cloud_url"), input("cloud_url", { inputmode: "url", autocomplete: "url", autocapitalize: "off", spellcheck: "false", placeholder: "https://", required: true }), t("cloud_url_hint")),
      field(t("enrollment_code"), input("enrollment_code", { autocomplete: "off", autocapitalize: "off", spellcheck: "false", required: true }), t("enrollment_code_hint")),
      field(t("join_device_name"), input("device_name", { autocomplete: "off", placeholder: "Caja 2" })),
      formError(),
      h("button", { class: "btn primary block", type: "submit" }, t("join_submit")),
      backButton,
    );
    onSubmit(form, async (v) => {
      stopped = false;
      const progress = await api.post("/api/v1/setup/join", {
        body: { cloud_url: v.cloud_url ?? "", enrollment_code: v.enrollment_code ?? "", device_name: v.device_name || null },
      });
      waiting(progress);
      timer = window.setTimeout(() => void poll(), 3000);
    });
    return form;
  };
  mount(root, frame(t("join_title"), loading()));
  void api
    .get("/api/v1/setup/join")
    .then((progress) => {
      if (progress.status === "pending" || progress.status === "approved" || progress.status === "joined") {
        waiting(progress);
        void poll();
      } else {
        mount(root, frame(t("join_title"), joinForm()));
        root.querySelector("input")?.focus();
      }
    })
    .catch(() => mount(root, frame(t("join_title"), joinForm())));
  return stop;
}

/** "Recuperar este local": a new counter replacing a dead one. Address and a fresh
 *  enrolment code; the counter restores the restaurant's newest cloud backup, syncs, and
 *  the report says what came from the backup, what went up to the cloud, what came from
 *  the cloud and what may be lost. */
function renderRecover(root: HTMLElement, back: () => void): void {
  const backButton = h("button", { class: "btn ghost block", type: "button", onclick: back }, t("join_back"));
  const form = h(
    "form",
    { class: "form", id: "recover-form", novalidate: true },
    h("p", { class: "hint" }, t("recover_intro")),
    field(t("cloud_url"), input("cloud_url", { inputmode: "url", autocomplete: "url", autocapitalize: "off", spellcheck: "false", placeholder: "https://", required: true }), t("cloud_url_hint")),
    field(t("enrollment_code"), input("enrollment_code", { autocomplete: "off", autocapitalize: "off", spellcheck: "false", required: true }), t("enrollment_code_hint")),
    field(t("join_device_name"), input("device_name", { autocomplete: "off", placeholder: "Caja 1" })),
    formError(),
    h("button", { class: "btn primary block", type: "submit" }, t("recover_submit")),
    h("p", { class: "hint", id: "recover-working", hidden: true }, t("recover_working")),
    backButton,
  );
  onSubmit(form, async (v) => {
    const working = form.querySelector<HTMLElement>("#recover-working");
    if (working) working.hidden = false;
    try {
      const report = await api.post("/api/v1/setup/recover", {
        body: { cloud_url: v.cloud_url ?? "", enrollment_code: v.enrollment_code ?? "", device_name: v.device_name || null },
      });
      mount(root, frame(t("recover_done_title"), recoveryReport(report)));
    } finally {
      if (working) working.hidden = true;
    }
  });
  mount(root, frame(t("recover_title"), form));
  root.querySelector("input")?.focus();
}

function recoveryReport(report: S["RecoveryReport"]): HTMLElement {
  const number = (n: number) => n.toLocaleString(lang() === "es" ? "es-CL" : "en-US");
  const rows = (list: S["RowCount"][], label: (key: string) => string) =>
    h("ul", { class: "recover-list" }, ...list.map((r) => h("li", { "data-key": r.key }, `${label(r.key)}: `, h("strong", null, number(r.count)))));
  const rk = (key: string) => tk(`rk_${key}`, key);
  const size = report.backup.size_bytes >= 1048576 ? `${(report.backup.size_bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(report.backup.size_bytes / 1024))} KB`;
  const at = new Date(report.backup.taken_at).toLocaleString(lang() === "es" ? "es-CL" : "en-US");
  return h(
    "div",
    { id: "recover-report" },
    h("p", null, t("recover_backup", { at, size })),
    h("h2", null, t("recover_from_backup")),
    rows(report.from_backup, rk),
    h("h2", null, t("recover_sent")),
    report.sent_to_cloud.length ? rows(report.sent_to_cloud, entityText) : h("p", { class: "hint" }, t("recover_sent_none")),
    report.still_pending > 0 ? h("p", { class: "notice" }, t("recover_still_pending", { n: number(report.still_pending) })) : h("span"),
    h("h2", null, t("recover_from_cloud")),
    report.from_cloud.length ? rows(report.from_cloud, rk) : h("p", { class: "hint" }, t("recover_from_cloud_none")),
    report.synced ? h("span") : h("p", { class: "notice bad" }, t("recover_sync_failed", { error: report.sync_error ?? "" })),
    h("h2", null, t("recover_lost")),
    // The server's own sentence carries the raw timestamp; the panel says it with the
    // backup's local date and time, as above.
    h("p", { id: "recover-lost" }, t("recover_lost_text", { at })),
    h("p", { class: "hint" }, t("recover_not_restored")),
    h("button", { class: "btn primary block", type: "button", onclick: () => location.assign("/login") }, t("recover_continue")),
  );
}

export function renderLogin(root: HTMLElement, pinFirst: boolean): void {
  const body = h("div");
  // The card's title follows what it asks for (sign in, or recover the password).
  const title = (text: string) => {
    const heading = root.querySelector(".auth-card h1");
    if (heading) heading.textContent = text;
  };
  const showPassword = (notice?: string) => {
    title(t("login_title"));
    const form = h(
      "form",
      { class: "form", novalidate: true },
      notice ? h("p", { class: "notice", id: "pin-refused", role: "status" }, notice) : null,
      field(t("email"), input("email", { type: "email", required: true, autocomplete: "username" })),
      field(t("password"), input("password", { type: "password", required: true, autocomplete: "current-password" })),
      formError(),
      h("button", { class: "btn primary block", type: "submit" }, t("login_submit")),
      h("button", { class: "btn ghost block", type: "button", onclick: () => showPin() }, t("login_pin")),
      h("button", { class: "btn ghost block", type: "button", id: "forgot", onclick: () => showRecover() }, t("recovery_forgot")),
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
      .then((users) => mount(body, pinPicker(users, { back: () => showPassword() })))
      .catch((error) => {
        // A device on the LAN that never signed in here gets no list of staff: the
        // password form, saying why.
        if (error instanceof ApiError && error.code === "device_not_known") showPassword(t("pin_device_unknown"));
        else mount(body, empty(t("error_network")));
      });
  };
  /** "¿Olvidaste tu contraseña?": an admin's email, the counter's recovery code and a new
   * password; the answer is the next code, shown once. */
  const showRecover = () => {
    title(t("recovery_forgot"));
    const form = h(
      "form",
      { class: "form", id: "recover-form", novalidate: true },
      h("p", { class: "hint" }, t("recovery_intro")),
      field(t("email"), input("email", { type: "email", required: true, autocomplete: "username" })),
      field(t("recovery_code"), input("code", { required: true, autocomplete: "off", autocapitalize: "characters", spellcheck: "false", placeholder: "ABCD-EFGH-JKMN-PQRS-TUVW" }), t("recovery_code_hint")),
      field(t("new_password"), input("new_password", { type: "password", required: true, autocomplete: "new-password" }), t("password_hint")),
      formError(),
      h("button", { class: "btn primary block", type: "submit" }, t("recovery_submit")),
      h("button", { class: "btn ghost block", type: "button", onclick: () => showPassword() }, t("login_title")),
    );
    onSubmit(form, async (v) => {
      const request = { body: { email: v.email ?? "", code: v.code ?? "", new_password: v.new_password ?? "" } };
      // The owner's code from the cloud (linked counters): the counter has the cloud
      // redeem it; no new printed code comes back.
      if (isOwnerCode(request.body.code)) {
        await api.post("/api/v1/auth/recover/owner", request);
        mount(body, h("p", { class: "notice good", role: "status" }, t("recovery_done")), h("button", { class: "btn primary block", type: "button", onclick: () => showPassword() }, t("login_title")));
        return;
      }
      const next = await api.post("/api/v1/auth/recover", request);
      mount(body, h("p", { class: "notice good", role: "status" }, t("recovery_done")), recoveryCodeCard(next.recovery_code, t("login_title"), () => showPassword()));
    });
    mount(body, form);
    form.querySelector("input")?.focus();
  };
  mount(root, frame(pinFirst ? t("pin_title") : t("login_title"), body));
  if (pinFirst) showPin();
  else showPassword();
}

/** A recovery code shown once: the code in big type, a copy button, and a box to tick
 * before going on (the code is never shown again). */
export function recoveryCodeCard(code: string, next: string, done: () => void): HTMLElement {
  const saved = h("input", { type: "checkbox", name: "saved", id: "recovery-saved" });
  const go = h("button", { class: "btn primary block", type: "button", id: "recovery-continue", disabled: true, onclick: done }, next);
  saved.addEventListener("change", () => (go.disabled = !saved.checked));
  const copied = h("span", { class: "muted small", role: "status" });
  return h(
    "div",
    { class: "form recovery-card" },
    h("p", null, t("recovery_code_intro")),
    h("strong", { class: "mono recovery-code", id: "recovery-code" }, code),
    h("div", { class: "row wrap" },
      h("button", { class: "btn", type: "button", onclick: () => void navigator.clipboard?.writeText(code).then(() => (copied.textContent = t("copied"))).catch(() => undefined) }, t("copy")),
      copied),
    h("label", { class: "check" }, saved, t("recovery_saved")),
    go,
  );
}

/** What a PIN pad does around the picking: where "back" goes (and its words), and what a
 * right PIN's session is handed to (the shell's sign-in unless said). */
export interface PinPickerOptions {
  back: () => void;
  backLabel?: string;
  done?: (session: S["SessionResponse"]) => void;
  /** Left out of the tiles (the person already signed in, on a switch). */
  skip?: string;
}

/** The PIN switch: the people's tiles, then the chosen one's PIN pad. Used by the login
 * page and by the Salón's "Cambiar mesero" (a phone handed over mid-service). */
export function pinPicker(users: S["PinUser"][], options: PinPickerOptions): HTMLElement {
  const { back, backLabel = t("login_title"), done = signedIn, skip } = options;
  users = users.filter((u) => u.id !== skip);
  const wrap = h("div", { class: "pin" });
  const backButton = h("button", { class: "btn ghost block", type: "button", onclick: back }, backLabel);
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
      done(await api.post("/api/v1/auth/pin", { body: { user_id: user.id, pin: v.pin ?? "" } }));
    });
    mount(wrap, form);
    pin.focus();
  };
  mount(
    wrap,
    h("p", null, t("pin_pick")),
    h("div", { class: "pin-users" }, users.map((u) => h("button", { class: "btn tile", type: "button", dataset: { user: u.id }, onclick: () => pick(u) }, h("strong", null, u.name), h("small", null, t(`role_${u.role}`))))),
    backButton,
  );
  return wrap;
}
