// The admin panel: boot (setup → login → app), the shell and the routes.

import "./styles.css";
import "./counter.css";
import { moreMenu } from "./lib/nav";
import { api, type S } from "./api/client";
import { connect, disconnect } from "./api/events";
import { h, mount } from "./lib/dom";
import { lang, onLangChange, setLang, t, type Key, type Lang } from "./lib/i18n";
import { match, navigate, start, type Params } from "./lib/router";
import { can, currentUser, onSignedIn, setSession, setWithApproval, type Permission } from "./lib/session";
import { initialTheme, setTheme, theme } from "./lib/theme";
import { lastHealth, setLastHealth } from "./lib/health";
import { empty, toast } from "./lib/ui";
import { renderLogin, renderSetup } from "./pages/auth";
import { renderDashboard } from "./pages/dashboard";
import { renderOrders, renderOrder } from "./pages/orders";
import { renderNewOrder } from "./pages/new-order";
import { renderMenu } from "./pages/menu";
import { renderReservations } from "./pages/reservations";
import { renderCustomers } from "./pages/customers";
import { renderConversations } from "./pages/conversations";
import { renderAnalytics } from "./pages/analytics";
import { renderKitchen } from "./pages/kitchen";
import { renderFloor } from "./pages/floor";
import { renderSettings } from "./pages/settings";
import { renderUsers } from "./pages/users";
import { renderDrawer } from "./pages/drawer";
import { renderClosing } from "./pages/closing";
import { renderAudit } from "./pages/audit";
import { renderRejected } from "./pages/cloud";
import { cloudChip, cloudState, healthDisagrees, onSyncStatus, pendingCount, pendingText, refreshSyncStatus, rejectedText, showPending, syncStatus, unwatchSync, watchSync } from "./lib/sync";

export type Cleanup = (() => void) | void;
type Page = (root: HTMLElement, params: Params) => Cleanup;
interface RouteDef {
  nav?: Key;
  /** Pages used now and then (setup, reports, people): under "Más", so the service's
   * pages fit one row at 1366 px instead of scrolling out of sight. */
  more?: true;
  perm?: Permission;
  page: Page;
}

const routes = [
  { pattern: "/", value: { nav: "nav_dashboard", perm: "reports:read", page: renderDashboard } },
  { pattern: "/orders", value: { nav: "nav_orders", perm: "orders:read", page: renderOrders } },
  { pattern: "/orders/new", value: { nav: "nav_new_order", perm: "orders:create", page: renderNewOrder } },
  { pattern: "/orders/:id", value: { perm: "orders:read", page: renderOrder } },
  { pattern: "/drawer", value: { nav: "nav_drawer", perm: "drawer:read", page: renderDrawer } },
  { pattern: "/closing", value: { nav: "nav_closing", perm: "reports:read", page: renderClosing } },
  { pattern: "/menu", value: { nav: "nav_menu", more: true, perm: "menu:read", page: renderMenu } },
  { pattern: "/reservations", value: { nav: "nav_reservations", perm: "reservations:read", page: renderReservations } },
  { pattern: "/customers", value: { nav: "nav_customers", more: true, perm: "customers:read", page: renderCustomers } },
  { pattern: "/customers/:id", value: { perm: "customers:read", page: renderCustomers } },
  { pattern: "/conversations", value: { nav: "nav_conversations", perm: "conversations:read", page: renderConversations } },
  { pattern: "/salon", value: { nav: "nav_floor", perm: "tables:read", page: renderFloor } },
  { pattern: "/cocina", value: { nav: "nav_kitchen", perm: "orders:read", page: renderKitchen } },
  { pattern: "/cocina/:station", value: { perm: "orders:read", page: renderKitchen } },
  { pattern: "/analytics", value: { nav: "nav_analytics", more: true, perm: "reports:read", page: renderAnalytics } },
  { pattern: "/settings", value: { nav: "nav_settings", more: true, page: renderSettings } },
  { pattern: "/users", value: { nav: "nav_users", more: true, perm: "users:read", page: renderUsers } },
  { pattern: "/audit", value: { nav: "nav_audit", more: true, perm: "audit:read", page: renderAudit } },
  { pattern: "/sync/rejected", value: { page: renderRejected } },
] satisfies { pattern: string; value: RouteDef }[];

const app = document.getElementById("app")!;
let cleanup: Cleanup;
let mode: "boot" | "setup" | "login" | "app" = "boot";
let healthOk = true;
/** Whether this browser must type the setup code (it is not on the counter itself). */
let setupCodeRequired = false;

// ---- theme ----------------------------------------------------------------------
setTheme(initialTheme());
setLang(lang());

// ---- boot --------------------------------------------------------------------------
export async function boot(): Promise<void> {
  mode = "boot";
  mount(app, h("div", { class: "splash" }, t("loading")));
  try {
    const setup = await api.get("/api/v1/setup");
    if (setup.needed) {
      mode = "setup";
      setupCodeRequired = setup.code_required;
      return render();
    }
    const me = await api.get("/api/v1/auth/me").catch(() => null);
    if (me) {
      signedIn(me);
      return;
    }
  } catch {
    mount(app, h("div", { class: "splash" }, h("p", null, t("error_network")), h("button", { class: "btn", onclick: () => void boot() }, t("retry"))));
    return;
  }
  mode = "login";
  render();
}

/** After login, setup or PIN: remember who it is and open the app. */
function signedIn(session: { user: S["UserView"]; permissions: Permission[]; with_approval?: Permission[] }): void {
  setSession(session);
  // A sign-in's answer says what the role allows; what a manager's PIN adds is in /auth/me.
  if (!session.with_approval) void api.get("/api/v1/auth/me").then((me) => setWithApproval(me.with_approval ?? [])).catch(() => undefined);
  mode = "app";
  connect();
  watchSync();
  if (location.pathname === "/login" || location.pathname === "/setup") navigate("/", true);
  render();
}

export async function logout(toPin = false): Promise<void> {
  await api.post("/api/v1/auth/logout").catch(() => undefined);
  disconnect();
  unwatchSync();
  setSession(null);
  mode = "login";
  navigate(toPin ? "/login?pin=1" : "/login", true);
}

api.onSessionLost = () => {
  if (mode !== "app") return;
  disconnect();
  unwatchSync();
  setSession(null);
  mode = "login";
  toast(() => t("session_expired"), "error");
  navigate("/login", true);
};

function render(): void {
  if (typeof cleanup === "function") cleanup();
  cleanup = undefined;
  if (mode === "setup") {
    cleanup = renderSetup(app, setupCodeRequired);
    return;
  }
  if (mode === "login") {
    cleanup = renderLogin(app, new URLSearchParams(location.search).has("pin"));
    return;
  }
  if (mode !== "app") return;
  const found = match<RouteDef>(routes, location.pathname);
  const main = h("main", { id: "main", tabindex: "-1" });
  mount(app, shell(found?.value.nav), h("div", { id: "location-banner" }, locationBanner()), main);
  if (!found) {
    mount(main, empty(t("not_found")));
  } else if (found.value.perm && !can(found.value.perm)) {
    // The dashboard needs reports: send staff without them to the first page they may use.
    const first = routes.find((r) => r.value.nav && (!r.value.perm || can(r.value.perm)));
    if (location.pathname === "/" && first && first.pattern !== "/") return navigate(first.pattern, true);
    mount(main, empty(t("forbidden")));
  } else {
    cleanup = found.value.page(main, found.params);
  }
}

// ---- shell -------------------------------------------------------------------------
/** The header. Wide screens show the nav as a row of tabs and the user's controls on the
 * right; under 900 px both fold into a drawer opened by the menu button, so the header
 * never gets wider than a phone (the page would scroll sideways and "Cerrar sesión" be cut). */
function shell(active?: Key): HTMLElement {
  const user = currentUser();
  const shown = routes.filter((r) => r.value.nav && (!r.value.perm || can(r.value.perm)));
  const link = (r: (typeof shown)[number]) =>
    h("a", { href: r.pattern, class: r.value.nav === active ? "active" : "", "aria-current": r.value.nav === active ? "page" : null }, t(r.value.nav as Key));
  const secondary = shown.filter((r) => "more" in r.value);
  const nav = h(
    "nav",
    { class: "nav", id: "nav-drawer", "aria-label": t("nav_main") },
    shown.filter((r) => !("more" in r.value)).map(link),
    secondary.length ? moreMenu(secondary.map(link), secondary.some((r) => r.value.nav === active), t("nav_more")) : null,
  );
  const langSelect = h(
    "select",
    { class: "compact", "aria-label": t("language"), onchange: (e: Event) => setLang((e.target as HTMLSelectElement).value as Lang) },
    h("option", { value: "es", selected: lang() === "es" }, "Español"),
    h("option", { value: "en", selected: lang() === "en" }, "English"),
  );
  const header = h("header", { class: "topbar folds" });
  const toggle = h("button", {
    class: "btn ghost icon menu-toggle", id: "menu-toggle", type: "button", "aria-expanded": "false", "aria-controls": "nav-drawer user-menu",
    "aria-label": t("menu_open"), title: t("menu_open"),
    onclick: () => setOpen(!header.classList.contains("open")),
  }, h("span", { "aria-hidden": "true" }, "☰"));
  const setOpen = (open: boolean) => {
    header.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
    toggle.setAttribute("aria-label", open ? t("menu_close") : t("menu_open"));
    toggle.title = open ? t("menu_close") : t("menu_open");
    toggle.firstElementChild!.textContent = open ? "✕" : "☰";
  };
  header.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && header.classList.contains("open")) {
      setOpen(false);
      toggle.focus();
    }
  });
  mount(
    header,
    h("a", { href: "/", class: "brand" }, "ChatBotDysa"),
    h("div", { class: "status", id: "status" }, statusChips()),
    toggle,
    nav,
    h(
      "div",
      { class: "user", id: "user-menu" },
      h("span", { class: "who" }, user?.name ?? ""),
      langSelect,
      h("button", { class: "btn ghost icon", "aria-label": t("theme"), title: t("theme"), onclick: () => setTheme(theme() === "dark" ? "light" : "dark") }, "◐"),
      h("button", { class: "btn ghost", onclick: () => void logout(true) }, t("switch_user")),
      h("button", { class: "btn ghost", id: "logout", onclick: () => void logout() }, t("logout")),
    ),
  );
  return header;
}

function chip(tone: "ok" | "bad" | "muted", text: string, title?: string): HTMLElement {
  return h("span", { class: `chip ${tone}`, title: title ?? null }, h("span", { class: "dot" }), text);
}

/** The local server, the cloud link (live from the `sync` event and /sync/status, else
 * /health), the changes waiting and, when the cloud refused some, a link to them. */
function statusChips(): HTMLElement[] {
  const status = syncStatus();
  const check = lastHealth()?.checks.cloud;
  const state = cloudState(status, check);
  const cloud = cloudChip(state);
  const pending = pendingCount(status, check);
  const rejected = status?.rejected ?? 0;
  const reason = status?.link === "revoked" ? (status.revoked_reason ?? undefined) : undefined;
  return [
    chip(healthOk ? "ok" : "bad", healthOk ? t("status_local_ok") : t("status_local_down")),
    h("span", { class: "cloud-status", "data-link": state }, chip(cloud.tone, t(cloud.key), reason)),
    showPending(state, pending) ? h("span", { class: "chip muted", id: "sync-pending" }, pendingText(pending)) : null,
    rejected > 0
      ? h("a", { class: "chip warn", id: "sync-rejected", href: "/sync/rejected", "aria-label": t("status_rejected_label", { n: rejected }) },
          h("span", { "aria-hidden": "true" }, "⚠"), rejectedText(rejected))
      : null,
  ].filter((x): x is HTMLElement => x !== null);
}

/** The banner a counter shows while the owner has closed its location in the cloud
 * dashboard (`location_closed`, learnt by sync): selling here still works. */
function locationBanner(): HTMLElement | null {
  return syncStatus()?.location_closed
    ? h("p", { class: "notice bad location-closed", role: "status" }, t("location_closed_banner"))
    : null;
}

/** Redraws the header's chips when they changed, keeping the keyboard focus on the
 * rejected-changes link if it had it (the health poll runs every 15 s). */
function refreshStatus(): void {
  const banner = document.getElementById("location-banner");
  if (banner && !banner.firstElementChild !== !syncStatus()?.location_closed) mount(banner, locationBanner());
  const el = document.getElementById("status");
  if (!el) return;
  const chips = statusChips();
  if (el.innerHTML === chips.map((c) => c.outerHTML).join("")) return;
  const focused = el.contains(document.activeElement) ? document.activeElement?.id : undefined;
  mount(el, chips);
  if (focused) document.getElementById(focused)?.focus();
}

async function pollHealth(): Promise<void> {
  try {
    const response = await fetch("/health", { headers: { Accept: "application/json" } });
    setLastHealth((await response.json()) as S["Health"]);
    healthOk = response.ok;
  } catch {
    healthOk = false;
  }
  // A missed `sync` event (the stream was down): /health says otherwise, so ask again.
  if (mode === "app" && healthDisagrees(syncStatus(), lastHealth()?.checks.cloud)) {
    void refreshSyncStatus().catch(() => undefined);
  }
  refreshStatus();
}

onSignedIn(signedIn);
onSyncStatus(refreshStatus);
onLangChange(() => {
  if (mode !== "boot") render();
});
start(() => {
  if (mode === "app" && (location.pathname === "/login" || location.pathname === "/setup")) navigate("/", true);
  else if (mode !== "app" && mode !== "boot" && location.pathname !== "/login" && mode === "login") render();
  else render();
});
addEventListener("keydown", (e) => {
  if (e.key !== "Escape") return;
  // Only the topmost dialog (the modifiers asked over "add items" close alone).
  const open = document.querySelectorAll<HTMLDialogElement>("dialog[open]");
  const top = open[open.length - 1];
  if (!top) return;
  e.preventDefault();
  top.close();
});
void pollHealth();
setInterval(() => void pollHealth(), 15000);
void boot();
