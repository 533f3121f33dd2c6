// The nav's "Más" group, shared by the counter's panel and the owners' dashboard.

import { h } from "./dom";

/** "Más": a button that opens the secondary pages under it on wide screens, so the pages
 * used every day fit one row at 1366 px. In the narrow drawer the list is always shown
 * (CSS), so a phone reaches every page with one tap less. The panel and the owners'
 * dashboard both use it. */
export function moreMenu(links: HTMLElement[], holdsActive: boolean, label: string): HTMLElement {
  const list = h("div", { class: "more-list", id: "nav-more-list" }, links);
  const button = h("button", {
    class: `btn ghost more-toggle${holdsActive ? " active" : ""}`, id: "nav-more", type: "button",
    "aria-expanded": "false", "aria-controls": "nav-more-list", "aria-haspopup": "true",
  }, label, h("span", { "aria-hidden": "true" }, " ▾"));
  const wrap = h("div", { class: "more" }, button, list);
  const setOpen = (open: boolean) => {
    wrap.classList.toggle("open", open);
    button.setAttribute("aria-expanded", String(open));
  };
  button.addEventListener("click", (e) => {
    e.stopPropagation();
    setOpen(!wrap.classList.contains("open"));
  });
  wrap.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && wrap.classList.contains("open")) {
      e.stopPropagation();
      setOpen(false);
      button.focus();
    }
  });
  // A click anywhere else closes it; the listener goes with the header it belongs to.
  const outside = (e: MouseEvent) => {
    if (!wrap.isConnected) return document.removeEventListener("click", outside);
    if (!wrap.contains(e.target as Node)) setOpen(false);
  };
  document.addEventListener("click", outside);
  list.addEventListener("click", () => setOpen(false));
  return wrap;
}
