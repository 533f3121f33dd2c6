// The one way the widget makes elements: text goes in as text nodes, never as markup,
// so nothing a diner or the server sends can become HTML.

/** What an element may contain: nodes, text, or nothing (skipped). */
export type Child = Node | string | number | null | undefined | false;

/** Attributes (strings; `true` for a bare attribute, `false`/`undefined` to omit) and `on…` listeners. */
export type Attrs = Record<string, string | boolean | undefined | ((e: Event) => void)>;

/** Makes `<tag>` with `attrs` and `children` (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else if (typeof v === "string") el.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === "number" ? String(c) : c);
  return el;
}

/** A logo address the widget will load: http(s) only (no `javascript:` or other schemes). */
export function safeImageUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url, location.href);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

/** A `#RRGGBB` colour, or `fallback` for anything else. */
export function safeColor(value: string | null | undefined, fallback: string): string {
  return value && /^#[0-9a-fA-F]{6}$/.test(value) ? value : fallback;
}

/** Replaces `el`'s content with `children` (same rules as `h`). */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === "number" ? String(c) : c);
}
