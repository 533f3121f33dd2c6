// Staff accounts: an admin creates them, changes roles, deactivates, sets PINs and passwords.

import { api, type S } from "../api/client";
import { h, mount } from "../lib/dom";
import { lang, t } from "../lib/i18n";
import { can } from "../lib/session";
import { confirmAction, dialog, empty, field, formError, input, load, onSubmit, pageHeader, select, toast } from "../lib/ui";
import { recoveryCodeCard } from "./auth";
import { dateTime } from "../lib/format";

const ROLES: S["Role"][] = ["admin", "manager", "waiter", "viewer"];

export function renderUsers(root: HTMLElement): void {
  const manage = can("users:manage");
  const list = h("div");
  const refresh = () => load(list, () => api.get("/api/v1/users"), (users) => {
    mount(list, users.length === 0 ? empty() : h("table", { class: "table card" },
      h("thead", null, h("tr", null, h("th", null, t("name")), h("th", null, t("email")), h("th", null, t("role")), h("th", null, t("has_pin")), h("th", null, t("active")), h("th", null, t("locked_until")), manage ? h("th", null, "") : null)),
      h("tbody", null, users.map((u) => h("tr", { class: u.active ? "" : "muted" },
        h("td", null, u.name), h("td", null, u.email), h("td", null, t(`role_${u.role}`)), h("td", null, u.has_pin ? "✓" : "—"), h("td", null, u.active ? t("yes") : t("no")),
        h("td", null, u.locked_until ? dateTime(u.locked_until, lang()) : "—"),
        manage ? h("td", { class: "actions" },
          u.locked_until ? h("button", { class: "btn primary", onclick: () => unlock(u) }, t("unlock")) : null,
          h("button", { class: "btn", onclick: () => userForm(u) }, t("edit")),
          h("button", { class: "btn", onclick: () => secretForm(u, "pin") }, t("set_pin")),
          h("button", { class: "btn", onclick: () => secretForm(u, "password") }, t("reset_password"))) : null)))));
  });
  // Five wrong PINs or passwords lock the account; an admin lifts it here.
  const unlock = async (u: S["UserView"]) => {
    await api.post("/api/v1/users/{id}/unlock", { path: { id: u.id } });
    toast(() => t("unlocked"));
    void refresh();
  };
  const userForm = (u: S["UserView"] | null) => {
    const form = h("form", { class: "form" },
      field(t("name"), input("name", { value: u?.name ?? "", required: true })),
      field(t("email"), input("email", { type: "email", value: u?.email ?? "", required: true })),
      field(t("role"), select("role", ROLES.map((r) => [r, t(`role_${r}`)]), u?.role ?? "waiter")),
      u ? h("label", { class: "check" }, h("input", { type: "checkbox", name: "active", checked: u.active }), t("active"))
        : [field(t("password"), input("password", { type: "password", autocomplete: "new-password" }), t("password_hint")), field(t("pin"), input("pin", { inputmode: "numeric" }))],
      formError(),
      h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))));
    onSubmit(form, async (v) => {
      const role = v.role as S["Role"];
      if (u) await api.patch("/api/v1/users/{id}", { path: { id: u.id }, body: { name: v.name, email: v.email, role, active: v.active === "on" } });
      else await api.post("/api/v1/users", { body: { name: v.name ?? "", email: v.email ?? "", role, password: v.password ?? "", pin: v.pin || null } });
      d.close();
      void refresh();
    });
    const d = dialog(u ? u.name : t("new_user"), form);
  };
  const secretForm = (u: S["UserView"], kind: "pin" | "password") => {
    const form = h("form", { class: "form" },
      field(kind === "pin" ? t("pin") : t("new_password"), input(kind, { type: "password", inputmode: kind === "pin" ? "numeric" : null, autocomplete: "new-password" })),
      formError(), h("div", { class: "actions" }, h("button", { class: "btn primary", type: "submit" }, t("save"))));
    onSubmit(form, async (v) => {
      if (kind === "pin") await api.post("/api/v1/users/{id}/pin", { path: { id: u.id }, body: { pin: v.pin || null } });
      else await api.post("/api/v1/users/{id}/password", { path: { id: u.id }, body: { password: v.password ?? "" } });
      d.close();
      toast(() => t("saved"));
      void refresh();
    });
    const d = dialog(`${u.name} — ${kind === "pin" ? t("set_pin") : t("reset_password")}`, form);
  };
  // The admin recovery code: whether one is in force, and a new one shown once.
  const recovery = h("section", { class: "card", id: "recovery" });
  const showRecovery = () => load(recovery, () => api.get("/api/v1/auth/recovery-code"), (status) => {
    mount(recovery,
      h("h2", null, t("recovery_status")),
      h("p", null, status.issued_at ? t("recovery_status_since", { date: dateTime(status.issued_at, lang()) }) : t("recovery_status_none")),
      h("button", { class: "btn", id: "recovery-new", onclick: async () => {
        if (!(await confirmAction(t("recovery_new"), t("recovery_new_confirm"), t("recovery_new")))) return;
        const made = await api.post("/api/v1/auth/recovery-code");
        const d = dialog(t("recovery_code_title"), recoveryCodeCard(made.recovery_code, t("done"), () => d.close()));
        void d.closed.then(showRecovery);
      } }, t("recovery_new")));
  });
  mount(root, pageHeader(t("nav_users"), manage ? h("button", { class: "btn primary", onclick: () => userForm(null) }, `+ ${t("new_user")}`) : null), list, manage ? recovery : null);
  void refresh();
  if (manage) void showRecovery();
}
