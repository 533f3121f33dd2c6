// Sign-in to the dashboard: email and password; wrong credentials show on the form.

import { cloud, type CS } from "../../api/cloud-client";
import { h, mount } from "../../lib/dom";
import { field, formError, input, onSubmit } from "../../lib/ui";
import { d } from "../i18n";

export function renderLogin(root: HTMLElement, done: (session: CS["MeResponse"]) => void): void {
  const email = input("email", { type: "email", autocomplete: "username", required: true, autofocus: true });
  const password = input("password", { type: "password", autocomplete: "current-password", required: true });
  const form = h(
    "form",
    { class: "form", "aria-labelledby": "login-title", novalidate: true },
    formError(),
    field(d("email"), email),
    field(d("password"), password),
    h("button", { class: "btn primary block", type: "submit" }, d("login")),
    h("p", { class: "small" }, h("a", { href: "/dashboard/forgot", id: "forgot-link" }, d("forgot_link"))),
  );
  onSubmit(form, async (v) => {
    await cloud.post("/api/v1/auth/login", { body: { email: v.email ?? "", password: v.password ?? "" } });
    // `/auth/me` also says whether the email is confirmed (the banner).
    done(await cloud.get("/api/v1/auth/me"));
  });
  mount(
    root,
    h(
      "main",
      { class: "login-page" },
      h("div", { class: "card login-card" }, h("h1", { id: "login-title" }, d("login_title")), h("p", { class: "muted" }, d("login_lead")), form),
    ),
  );
  email.focus();
}
