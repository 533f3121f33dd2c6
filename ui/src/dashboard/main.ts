// The owners' dashboard: boot (session? → login), the shell and the routes under
// /dashboard/. Styles, money, dates, language and the DOM helpers are the panel's.

import "../styles.css";
import "./dashboard.css";
import { moreMenu } from "../lib/nav";
import { cloud, type CS } from "../api/cloud-client";
import { h, mount } from "../lib/dom";
import { lang, onLangChange, setLang, type Lang } from "../lib/i18n";
import { match, navigate, start, type Params } from "../lib/router";
import { empty, toast } from "../lib/ui";
import { d, type DKey } from "./i18n";
import { renderLogin } from "./pages/login";
import { renderOverview } from "./pages/overview";
import { renderSales } from "./pages/sales";
import { renderOrders } from "./pages/orders";
import { renderClosing, renderDayClose } from "./pages/closing";
import { renderAudit } from "./pages/audit";
import { renderMenu } from "./pages/menu";
import { renderDevices } from "./pages/devices";
import { renderWhatsApp } from "./pages/whatsapp";
import { renderSms } from "./pages/sms";
import { renderNotifications } from "./pages/notifications";
import { renderAccounts } from "./pages/accounts";
import { renderWidget } from "./pages/widget";
import { renderCompare, renderLocations } from "./pages/locations";
import { renderCustomerData } from "./pages/customer-data";
import { billingBanner, renderPlan } from "./pages/plan";
import { renderOperator } from "./pages/operator";
import { renderChangePassword, renderForgot, renderReset, renderVerify, verifyBanner } from "./pages/password";
import { can, isOperator, mailState, markVerified, setSession, signedInAccount, type CloudPermission } from "./session";

export const BASE = "/dashboard";
type Cleanup = (() => void) | void;
type Page = (root: HTMLElement, params: Params) => Cleanup;
interface RouteDef {
  nav?: DKey;
  perm?: CloudPermission;
  /** Only for the platform's operator (super_admin). */
  operator?: boolean;
  /** Set-up pages visited now and then: under "Más", so the daily ones fit one row. */
  more?: true;
  page: Page;
}

/** The operator's console: a separate entry of the dashboard. */
export const OPERATOR = `${BASE}/operador`;

const routes = [
  { pattern: "/dashboard", value: { nav: "nav_overview", perm: "reports:read", page: renderOverview } },
  { pattern: "/dashboard/sales", value: { nav: "nav_sales", perm: "reports:read", page: renderSales } },
  { pattern: "/dashboard/orders", value: { nav: "nav_orders", perm: "orders:read", page: renderOrders } },
  { pattern: "/dashboard/closing", value: { nav: "nav_closing", perm: "reports:read", page: renderClosing } },
  { pattern: "/dashboard/closing/:id", value: { perm: "reports:read", page: renderDayClose } },
  { pattern: "/dashboard/audit", value: { nav: "nav_audit", more: true, perm: "audit:read", page: renderAudit } },
  { pattern: "/dashboard/menu", value: { nav: "nav_menu", perm: "menu:read", page: renderMenu } },
  { pattern: "/dashboard/locations", value: { nav: "nav_locations", perm: "settings:read", page: renderLocations } },
  { pattern: "/dashboard/locations/compare", value: { perm: "reports:read", page: renderCompare } },
  { pattern: "/dashboard/devices", value: { nav: "nav_devices", perm: "settings:read", page: renderDevices } },
  { pattern: "/dashboard/accounts", value: { nav: "nav_accounts", more: true, perm: "users:manage", page: renderAccounts } },
  { pattern: "/dashboard/widget", value: { nav: "nav_widget", more: true, perm: "menu:read", page: renderWidget } },
  { pattern: "/dashboard/whatsapp", value: { nav: "nav_whatsapp", more: true, perm: "settings:read", page: renderWhatsApp } },
  { pattern: "/dashboard/sms", value: { nav: "nav_sms", more: true, perm: "settings:read", page: renderSms } },
  { pattern: "/dashboard/notifications", value: { nav: "nav_notifications", more: true, perm: "users:manage", page: renderNotifications } },
  { pattern: "/dashboard/plan", value: { nav: "nav_plan", more: true, perm: "settings:read", page: renderPlan } },
  { pattern: "/dashboard/customer-data", value: { nav: "nav_customer_data", more: true, perm: "settings:write", page: renderCustomerData } },
  { pattern: "/dashboard/operador", value: { nav: "nav_operator", operator: true, page: renderOperator } },
  { pattern: "/dashboard/password", value: { page: renderChangePassword } },
  {
    pattern: "/dashboard/verify",
    value: {
      page: (root: HTMLElement) => renderVerify(root, location.search, true, () => {
        markVerified();
        document.getElementById("verify-banner")?.remove();
      }),
    },
  },
  // The sign-up's welcome link is /dashboard/{slug}: the overview.
  { pattern: "/dashboard/:slug", value: { perm: "reports:read", page: renderOverview } },
] satisfies { pattern: string; value: RouteDef }[];

const app = document.getElementById("app")!;
let cleanup: Cleanup;
let mode: "boot" | "login" | "app" = "boot";

// ---- theme (the panel's choice, shared through localStorage) ------------------------
type Theme = "dark" | "light";
function setTheme(theme: Theme): void {
  localStorage.setItem("dysa.theme", theme);
  document.documentElement.dataset.theme = theme;
}
const stored = localStorage.getItem("dysa.theme");
setTheme(stored === "dark" || stored === "light" ? stored : matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark");
setLang(lang());

async function boot(): Promise<void> {
  mode = "boot";
  mount(app, h("div", { class: "splash" }, "…"));
  const me = await cloud.get("/api/v1/auth/me").catch(() => null);
  if (me) return signedIn(me);
  mode = "login";
  if (!PUBLIC_PAGES.has(location.pathname.replace(/\/+$/, "")) && location.pathname !== `${BASE}/login`) history.replaceState(null, "", `${BASE}/login`);
  render();
}

// Pages that open without a session: the ways back into an account.
const PUBLIC_PAGES = new Set([`${BASE}/forgot`, `${BASE}/reset`, `${BASE}/verify`]);

/** After login: remember who it is and open the overview (or the page asked for). */
export function signedIn(session: CS["MeResponse"]): void {
  setSession(session);
  mode = "app";
  const home = isOperator() ? OPERATOR : BASE;
  const path = location.pathname.replace(/\/+$/, "");
  if (path === `${BASE}/login` || path === BASE || path === "") navigate(home, true);
  else render();
}

async function logout(): Promise<void> {
  await cloud.post("/api/v1/auth/logout").catch(() => undefined);
  setSession(null);
  mode = "login";
  navigate(`${BASE}/login`, true);
}

cloud.onSessionLost = () => {
  if (mode !== "app") return;
  setSession(null);
  mode = "login";
  toast(() => d("session_expired"), "error");
  navigate(`${BASE}/login`, true);
};

function render(): void {
  if (typeof cleanup === "function") cleanup();
  cleanup = undefined;
  if (mode === "login") {
    const path = location.pathname.replace(/\/+$/, "");
    if (path === `${BASE}/forgot`) renderForgot(app);
    else if (path === `${BASE}/reset`) renderReset(app, location.search);
    else if (path === `${BASE}/verify`) renderVerify(app, location.search, false);
    else cleanup = renderLogin(app, signedIn);
    return;
  }
  if (mode !== "app") return;
  const path = location.pathname.replace(/\/+$/, "") || BASE;
  const found = match<RouteDef>(routes, path);
  const main = h("main", { id: "main", tabindex: "-1" });
  const mail = mailState();
  mount(app, skipLink(main), shell(found?.value.nav), mail.verified ? "" : verifyBanner(mail.configured), billingBanner(), main);
  if (!found) {
    mount(main, empty(d("not_found")));
  } else if ((found.value.perm && !can(found.value.perm)) || (found.value as RouteDef).operator === !isOperator()) {
    mount(main, empty(d("forbidden")));
  } else {
    cleanup = found.value.page(main, found.params);
  }
}

// The router takes every same-origin link click; this one only moves the focus.
function skipLink(main: HTMLElement): HTMLElement {
  return h("a", {
    class: "skip",
    href: "#main",
    onclick: (e: Event) => {
      e.preventDefault();
      e.stopPropagation();
      main.focus();
    },
  }, d("skip"));
}

function shell(active?: DKey): HTMLElement {
  const account = signedInAccount();
  const shown = routes.filter((r) => "nav" in r.value && (!r.value.perm || can(r.value.perm)) && !(r.value as RouteDef).operator === !isOperator());
  const link = (r: (typeof shown)[number]) => {
    const key = (r.value as RouteDef).nav!;
    return h("a", { href: r.pattern, class: key === active ? "active" : "", "aria-current": key === active ? "page" : null }, d(key));
  };
  const secondary = shown.filter((r) => (r.value as RouteDef).more);
  const nav = h(
    "nav",
    { class: "nav", "aria-label": d("title") },
    shown.filter((r) => !(r.value as RouteDef).more).map(link),
    secondary.length ? moreMenu(secondary.map(link), secondary.some((r) => (r.value as RouteDef).nav === active), d("nav_more")) : null,
  );
  const langSelect = h(
    "select",
    { class: "compact", "aria-label": d("language"), onchange: (e: Event) => setLang((e.target as HTMLSelectElement).value as Lang) },
    h("option", { value: "es", selected: lang() === "es" }, "Español"),
    h("option", { value: "en", selected: lang() === "en" }, "English"),
  );
  // On a phone the tabs and the account controls fold behind one button naming the page,
  // so the header stays one line and no tab is cut off.
  const header = h("header", { class: "topbar dash-topbar" });
  const toggle = h(
    "button",
    {
      class: "btn ghost nav-toggle",
      type: "button",
      "aria-expanded": "false",
      "aria-controls": "dash-nav",
      onclick: () => {
        const open = header.classList.toggle("open");
        toggle.setAttribute("aria-expanded", String(open));
      },
    },
    h("span", { "aria-hidden": "true" }, "☰ "),
    active ? d(active) : d("menu_button"),
  );
  nav.id = "dash-nav";
  header.append(
    h("a", { href: BASE, class: "brand" }, "ChatBotDysa ", h("span", { class: "muted small" }, d("title"))),
    toggle,
    h(
      "div",
      { class: "user" },
      langSelect,
      h("button", { class: "btn ghost icon", "aria-label": d("theme"), title: d("theme"), onclick: () => setTheme(document.documentElement.dataset.theme === "dark" ? "light" : "dark") }, "◐"),
      h("a", { class: "who", href: `${BASE}/password`, title: d("change_password") }, account?.name ?? ""),
      h("button", { class: "btn ghost", id: "logout", onclick: () => void logout() }, d("logout")),
    ),
    nav,
  );
  return header;
}

onLangChange(() => {
  if (mode !== "boot") render();
});
start(() => {
  if (mode === "app" && location.pathname === `${BASE}/login`) navigate(isOperator() ? OPERATOR : BASE, true);
  else render();
});
addEventListener("keydown", (e) => {
  if (e.key === "Escape") document.querySelector<HTMLDialogElement>("dialog[open]")?.close();
});
void boot();
