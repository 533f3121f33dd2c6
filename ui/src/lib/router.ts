// A tiny history router: patterns like `/orders/:id`, links with `data-link`.

export type Params = Record<string, string>;

export interface Route<T> {
  pattern: string;
  value: T;
}

/** Matches `path` against the patterns in order; the first one wins. */
export function match<T>(routes: Route<T>[], path: string): { value: T; params: Params } | null {
  const parts = split(path);
  for (const route of routes) {
    const pattern = split(route.pattern);
    if (pattern.length !== parts.length) continue;
    const params: Params = {};
    let ok = true;
    for (let i = 0; i < pattern.length; i++) {
      const p = pattern[i] as string;
      const v = parts[i] as string;
      if (p.startsWith(":")) params[p.slice(1)] = decodeURIComponent(v);
      else if (p !== v) {
        ok = false;
        break;
      }
    }
    if (ok) return { value: route.value, params };
  }
  return null;
}

function split(path: string): string[] {
  return path.split("?")[0]!.split("/").filter(Boolean);
}

let onChange: (() => void) | null = null;

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, "", path);
  else if (location.pathname + location.search !== path) history.pushState(null, "", path);
  onChange?.();
}

/** Starts listening to back/forward and to clicks on internal links. */
export function start(render: () => void): void {
  onChange = render;
  addEventListener("popstate", render);
  document.addEventListener("click", (event) => {
    const a = (event.target as Element | null)?.closest?.("a[href]");
    if (!(a instanceof HTMLAnchorElement) || a.target || a.hasAttribute("download")) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    const url = new URL(a.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}
