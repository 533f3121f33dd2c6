// The photo part of an item's editor, the same in the panel and the owners' dashboard:
// a preview, "Elegir foto" (uploaded as soon as it is chosen, shown at once from the file)
// and "Quitar foto". Each side passes its own routes and where its server serves photos.

import { h } from "./dom";
import { t } from "./i18n";
import { toast } from "./ui";

/** What the field needs from its server. */
export interface PhotoRoutes {
  /** The photo's URL (`thumb`: the 200 px copy). */
  url: (hash: string, thumb?: boolean) => string;
  /** Uploads the file; answers the item's new photo hash. */
  upload: (file: File) => Promise<string | null | undefined>;
  /** Removes the photo. */
  remove: () => Promise<unknown>;
  /** Called after each saved change (the list redraws once the dialog closes). */
  changed: () => void;
}

/** The field for an item named `name` whose photo is `photo` (or none). */
export function photoField(name: string, photo: string | null | undefined, routes: PhotoRoutes): HTMLElement {
  let current = photo ?? null;
  const id = `photo-${Math.random().toString(36).slice(2)}`;
  const preview = h("img", { class: "photo-preview", alt: t("photo_of", { name }), width: 160, height: 120, hidden: !current, src: current ? routes.url(current, true) : null });
  const status = h("small", { class: "muted", "aria-live": "polite" }, t("photo_hint"));
  const show = (hash: string | null) => {
    current = hash;
    preview.hidden = !current;
    if (current) preview.src = routes.url(current, true);
    remove.hidden = !current;
    chooser.textContent = current ? t("photo_replace") : t("photo_choose");
  };
  const remove = h("button", { class: "btn ghost", type: "button", hidden: !current, "data-photo-remove": "", onclick: async () => {
    try {
      await routes.remove();
      show(null);
      routes.changed();
      toast(() => t("photo_removed"));
    } catch (error) {
      toast((error as Error).message, "error");
    }
  } }, t("photo_remove"));
  const file = h("input", { type: "file", accept: "image/jpeg,image/png,image/webp", class: "visually-hidden", id, onchange: async () => {
    const picked = file.files?.[0];
    if (!picked) return;
    const local = URL.createObjectURL(picked);
    preview.src = local;
    preview.hidden = false;
    status.textContent = t("photo_uploading");
    try {
      show((await routes.upload(picked)) ?? null);
      routes.changed();
      toast(() => t("photo_saved"));
    } catch (error) {
      show(current);
      toast((error as Error).message, "error");
    } finally {
      status.textContent = t("photo_hint");
      URL.revokeObjectURL(local);
      file.value = "";
    }
  } });
  const chooser = h("label", { class: "btn", for: id, tabindex: "0", onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter" || e.key === " ") file.click(); } }, current ? t("photo_replace") : t("photo_choose"));
  return h("fieldset", { class: "group photo-field" }, h("legend", null, t("photo")), preview, h("div", { class: "row" }, chooser, file, remove), status);
}

/** An item's thumbnail for lists (lazy, sized so rows do not jump), or an empty slot. */
export function thumb(photo: string | null | undefined, url: (hash: string, thumb?: boolean) => string): HTMLElement {
  return photo
    ? h("img", { class: "thumb", src: url(photo, true), alt: "", width: 40, height: 40, loading: "lazy" })
    : h("span", { class: "thumb empty", "aria-hidden": "true" });
}

/** Where the counter serves a menu photo (`thumb`: the 200 px copy). */
export function mediaUrl(hash: string, thumb = false): string {
  return `/media/${hash}${thumb ? "-thumb" : ""}.jpg`;
}
