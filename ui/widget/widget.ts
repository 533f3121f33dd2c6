// The diners' widget: one script tag on a restaurant's website adds a chat bubble in a
// shadow root. Chat with the restaurant's assistant, browse the menu and order, book a
// table, and follow the order live. Everything shown from the server or typed by a diner
// goes through `h()` as text.
import { ApiError, PublicApi } from "./api";
import type { Availability, ChatReply, Draft, Fulfilment, Lang, Menu, MenuItem, NewOrder, NotifyChannel, OrderCreated, OrderStatusBody, PaymentChoice, Reservation, StaffMessages, WidgetConfig } from "./api";
import { fill, h, safeColor, safeImageUrl } from "./dom";
import type { Child } from "./dom";
import { clock, clp, draftLines, hoursToday, telLink, today } from "./format";
import { choiceRule, chooseLang, fmt, label, texts } from "./i18n";
import type { Texts } from "./i18n";
import { Submissions } from "./idempotency";
import type { KeyStore } from "./idempotency";
import { addToCart, cartTotal, contactIn, isFinal, nextView, orderStage, readyAt, removeFromCart, unmetGroups } from "./state";
import type { CartLine, View, ViewEvent } from "./state";
import { CSS } from "./styles";
import { orderLabel } from "../src/lib/order-number";

/** sessionStorage when the page allows it, else a map that lasts as long as the page. */
function sessionStore(): KeyStore {
  try {
    const s = window.sessionStorage;
    s.setItem("dysa.probe", "1");
    s.removeItem("dysa.probe");
    return s;
  } catch {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
  }
}

/** localStorage when the page allows it, so a diner's chat outlives the visit; else the
 * session's store. */
function lastingStore(): KeyStore {
  try {
    const s = window.localStorage;
    s.setItem("dysa.probe", "1");
    s.removeItem("dysa.probe");
    return s;
  } catch {
    return sessionStore();
  }
}

/** The chat as the diner saw it, kept on the diner's own device between visits. */
interface ChatHistory {
  /** When the last line was said (ms): a chat older than `HISTORY_DAYS` starts afresh. */
  at: number;
  /** Who said each line (0 the diner, 1 the assistant, 2 a person at the restaurant). */
  lines: [0 | 1 | 2, string][];
}
const HISTORY_DAYS = 30;
const HISTORY_LINES = 60;

/** The order being followed, remembered for the session. */
interface OpenOrder {
  id: string;
  token: string;
  waiting: boolean;
  total: number;
  lines: string[];
  last?: OrderStatusBody;
  /** The day's number the diner gives at the counter. */
  number?: number | null;
  /** Minutes until ready once accepted. */
  estimate?: number | null;
  /** When the restaurant accepted it (the estimate counts from there). */
  acceptedAt?: string;
}

const BUBBLE_ICON = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z";

function start(script: HTMLScriptElement): void {
  const slug = script.dataset.restaurant;
  if (!slug) return console.warn("dysa widget: falta data-restaurant");
  const origin = new URL(script.src || location.href).origin;
  const api = new PublicApi(origin, slug, script.dataset.location ?? null);
  const store = sessionStore();
  const ns = `dysa.${slug}.`;
  const orders = new Submissions(store, `${slug}.order`);
  const bookings = new Submissions(store, `${slug}.booking`);
  const mode = script.dataset.open; // "true": open at start; "page": the whole page (hosted /r/SLUG)
  const fullPage = mode === "page";

  const host = h("div", { "data-dysa-widget": slug });
  // Inline !important wins over any host rule, so the page cannot hide or move the host.
  host.style.cssText = "all:initial!important;display:block!important;position:static!important;visibility:visible!important;opacity:1!important";
  const shadow = host.attachShadow({ mode: "open" });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS); // not subject to the host page's style-src CSP
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    shadow.append(h("style", {}, CSS));
  }
  document.body.append(host);

  let cfg: WidgetConfig;
  let menu: Menu | null = null;
  let lang: Lang = "es";
  let t: Texts = texts(lang);
  let view: View = { open: fullPage || mode === "true", panel: "chat" };
  let cart: CartLine[] = [];
  let draft: Draft | null = null;
  let orderSource: "cart" | "draft" = "cart";
  let order: OpenOrder | null = readJson<OpenOrder>("order");
  // The conversation and what was said in it last across visits (the conversation id is
  // the diner's token for it); the greeting is not part of it.
  const chats = lastingStore();
  let history: ChatHistory = { at: 0, lines: [] };
  try {
    history = JSON.parse(chats.getItem(ns + "history") ?? "null") ?? history;
  } catch {
    /* unreadable: start afresh */
  }
  let conversation = chats.getItem(ns + "conv");
  if (Date.now() - history.at > HISTORY_DAYS * 86_400_000) forgetChat();
  let tracking: { stop(): void } | null = null;
  let fulfilment: Fulfilment = "pickup";
  let paying: PaymentChoice = "at_pickup";
  let notifyBy: NotifyChannel = "none";
  // The dish whose options are being chosen (required groups are asked before adding).
  let choosing: string | null = null;
  let chosen = new Map<string, string[]>();
  // The dish just added: its button says so for a moment.
  let justAdded: string | null = null;
  let addedTimer = 0;
  let bookingState: { date: string; party: number; slots: Availability["slots"] | null; chosen: string | null; result: Reservation | null } = {
    date: "",
    party: 2,
    slots: null,
    chosen: null,
    result: null,
  };

  function readJson<T>(key: string): T | null {
    try {
      return JSON.parse(store.getItem(ns + key) ?? "null") as T | null;
    } catch {
      return null;
    }
  }
  const saveOrder = () => (order ? store.setItem(ns + "order", JSON.stringify(order)) : store.removeItem(ns + "order"));

  const root = h("div", { class: "root" });
  const bubble = h("button", { class: "bubble", type: "button", "aria-controls": "dysa-panel", "aria-expanded": "false", onclick: () => go({ type: "toggle" }) });
  const title = h("h2", { id: "dysa-title" });
  const body = h("div", { class: "body", role: "tabpanel", id: "dysa-body" });
  const nav = h("nav", { role: "tablist" });
  const header = h("header");
  const panel = h("section", { class: "panel", id: "dysa-panel", role: "dialog", "aria-labelledby": "dysa-title", hidden: true }, header, nav, body);
  const live = h("p", { class: "sr", "aria-live": "assertive" });
  const log = h("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions" });
  const draftBox = h("div");
  const chatInput = h("input", { name: "message", autocomplete: "off", maxlength: "1000" });
  // The root joins the shadow tree only once the restaurant's settings arrived: an
  // unknown restaurant or a site not on its allowed list shows nothing at all.
  root.append(bubble, panel, live);
  root.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && view.open && !fullPage) {
      e.stopPropagation();
      go({ type: "close" });
    }
  });

  // What the order form would submit: the cart, or the chat's draft being confirmed.
  const toOrder = () => (orderSource === "draft" ? (draft?.lines.length ?? 0) : cart.reduce((n, l) => n + l.quantity, 0));
  const facts = () => ({ cartItems: toOrder(), hasOrder: order !== null, bookings: cfg.bookings.enabled });
  function go(e: ViewEvent): void {
    const was = view;
    view = nextView(view, e, facts());
    if (fullPage) view.open = true;
    render();
    if (view.open && (!was.open || was.panel !== view.panel)) focusFirst();
    if (!view.open && was.open) bubble.focus();
  }
  function focusFirst(): void {
    const target = body.querySelector<HTMLElement>("input,select,button:not([disabled])") ?? nav.querySelector<HTMLElement>("[aria-selected=true]");
    target?.focus({ preventScroll: true });
  }
  const announce = (text: string) => {
    live.textContent = "";
    setTimeout(() => (live.textContent = text), 50);
  };
  const problem = (e: unknown) => (e instanceof ApiError && e.message ? e.message : e instanceof ApiError && e.code === "network" ? t.network : t.error);

  function renderChrome(): void {
    root.className = `root ${cfg.appearance.position === "left" ? "left" : ""} ${fullPage ? "page" : ""}`;
    root.style.setProperty("--p", safeColor(cfg.appearance.primary_color, "#c0392b"));
    root.style.setProperty("--a", safeColor(cfg.appearance.accent_color, "#f39c12"));
    root.lang = lang;
    bubble.hidden = fullPage;
    bubble.setAttribute("aria-label", t.open);
    bubble.setAttribute("aria-expanded", String(view.open));
    if (!bubble.firstChild) {
      const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("viewBox", "0 0 24 24");
      svg.setAttribute("aria-hidden", "true");
      const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
      path.setAttribute("d", BUBBLE_ICON);
      svg.append(path);
      bubble.append(svg);
    }
    panel.hidden = !view.open;
    panel.setAttribute("aria-modal", String(fullPage));
    title.textContent = cfg.restaurant.name;
    const logo = safeImageUrl(cfg.appearance.logo_url);
    fill(header, 
      logo ? h("img", { src: logo, alt: "" }) : null,
      title,
      h("button", { type: "button", lang: lang === "es" ? "en" : "es", onclick: () => setLang(lang === "es" ? "en" : "es") }, t.switchLang),
      fullPage ? null : h("button", { type: "button", "aria-label": t.close, onclick: () => go({ type: "close" }) }, "✕"),
    );
    const tab = (p: "chat" | "menu" | "book" | "status", label: string) => {
      const on = view.panel === p || (p === "menu" && (view.panel === "cart" || view.panel === "checkout"));
      return h("button", { type: "button", role: "tab", "aria-selected": String(on), "aria-controls": "dysa-body", onclick: () => go({ type: "tab", panel: p }) }, label);
    };
    fill(nav, tab("chat", t.chat), tab("menu", t.menu), cfg.bookings.enabled ? tab("book", t.book) : null, order ? tab("status", t.order) : null);
  }

  let shown: string | null = null;
  function render(): void {
    renderChrome();
    if (!view.open) return;
    // Redrawing the same panel keeps its scroll: adding the tenth dish must not jump the
    // list back to the top.
    const keep = shown === view.panel ? body.scrollTop : 0;
    shown = view.panel;
    fill(body, ...panelContent());
    body.scrollTop = keep;
  }
  function panelContent(): Child[] {
    switch (view.panel) {
      case "chat":
        return chatPanel();
      case "menu":
        return menuPanel();
      case "cart":
        return cartPanel();
      case "checkout":
        return checkoutPanel();
      case "book":
        return bookPanel();
      case "status":
        return statusPanel();
    }
  }

  function setLang(next: Lang): void {
    lang = next;
    t = texts(lang);
    store.setItem(ns + "lang", lang);
    render();
    announce(lang === "es" ? "Español" : "English");
  }

  // ---- chat -------------------------------------------------------------------------
  function forgetChat(): void {
    history = { at: 0, lines: [] };
    conversation = null;
    for (const key of ["conv", "staffAfter", "history"]) chats.removeItem(ns + key);
  }
  function remember(who: 0 | 1 | 2, text: string): void {
    history = { at: Date.now(), lines: [...history.lines, [who, text] as [0 | 1 | 2, string]].slice(-HISTORY_LINES) };
    chats.setItem(ns + "history", JSON.stringify(history));
  }
  function line(who: 0 | 1 | 2, text: string): HTMLElement {
    const tag = who === 0 ? t.you : who === 2 ? t.staff : null;
    return h("p", { class: who === 0 ? "msg me" : who === 2 ? "msg staff" : "msg" }, tag ? h("span", { class: "sr" }, tag + ": ") : null, text);
  }
  function say(text: string, mine: boolean, kept = true): void {
    if (kept) remember(mine ? 0 : 1, text);
    log.append(line(mine ? 0 : 1, text));
    log.lastElementChild?.scrollIntoView({ block: "end" });
  }
  function renderDraft(): void {
    if (!draft || draft.lines.length === 0) return fill(draftBox, );
    fill(draftBox, 
      h("ul", { class: "draft", "aria-label": t.cart }, ...draftLines(draft, t.total).map((line) => h("li", {}, line))),
      h("button", { class: "btn", type: "button", onclick: () => void confirmDraft() }, t.confirm),
    );
  }
  async function sendChat(message: string): Promise<ChatReply | null> {
    say(message, true);
    // A name or phone said in the chat fills the order and booking forms (not asked again).
    const said = contactIn(message);
    if (said.name || said.phone) {
      const saved = readJson<{ name: string; phone: string }>("customer");
      store.setItem(ns + "customer", JSON.stringify({ name: said.name ?? saved?.name ?? "", phone: said.phone ?? saved?.phone ?? "" }));
    }
    const thinking = h("p", { class: "note" }, t.thinking);
    log.append(thinking);
    try {
      const reply = await api.call<ChatReply>("chat", lang, {
        body: { message, language: lang, ...(conversation ? { conversation_id: conversation } : {}) },
      });
      if (reply.conversation_id !== conversation) chats.removeItem(ns + "staffAfter");
      conversation = reply.conversation_id;
      chats.setItem(ns + "conv", conversation);
      thinking.remove();
      if (reply.answered_by === "staff") {
        // Taken over at the counter: staff answers in their own time (see pollStaff).
        if (!staffNoted) log.append(h("p", { class: "note", role: "status" }, t.staffHere));
        staffNoted = true;
      } else {
        staffNoted = false;
        say(reply.reply, false);
      }
      // A confirmation may come back without the draft: the one confirmed is the last shown.
      if (reply.draft || !reply.ready_to_order) draft = reply.draft;
      renderDraft();
      return reply;
    } catch (e) {
      thinking.remove();
      log.append(h("p", { class: "err", role: "status" }, problem(e)));
      return null;
    }
  }
  // Staff's replies in a chat taken over at the counter come when staff writes them, not
  // as the answer to a message: fetched every few seconds while the chat is on screen.
  let staffNoted = false;
  function pollStaff(): void {
    window.setTimeout(pollStaff, 4000);
    if (!conversation || !view.open || view.panel !== "chat" || document.hidden) return;
    const after = chats.getItem(ns + "staffAfter");
    api
      .call<StaffMessages>(`chat/${encodeURIComponent(conversation)}/messages`, lang, { query: after ? { after } : {} })
      .then((page) => {
        for (const m of page.messages) {
          remember(2, m.text);
          log.append(line(2, m.text));
          chats.setItem(ns + "staffAfter", m.id);
        }
        if (page.messages.length) {
          log.lastElementChild?.scrollIntoView({ block: "end" });
          announce(t.staff);
        }
      }, () => undefined);
  }
  async function confirmDraft(): Promise<void> {
    // The button is the diner's explicit confirmation: the assistant hears it, and the
    // draft (as it now stands) goes to the order form either way.
    await sendChat(lang === "es" ? "Confirmo el pedido" : "I confirm the order");
    if (draft?.lines.length) toCheckout("draft");
  }
  function toCheckout(source: "cart" | "draft"): void {
    orderSource = source;
    view = { open: true, panel: "cart" };
    go({ type: "checkout" });
  }
  // The hosted page (/r/SLUG) is the restaurant's only page: say where it is, how to call
  // and whether it is open today, as the owner set them.
  function infoCard(): Child {
    const l = cfg.location;
    const hours = hoursToday(l.opening_hours, l.time_zone);
    if (!fullPage || (!l.address && !l.phone && hours === null)) return null;
    return h(
      "div",
      { class: "info" },
      l.address ? h("p", {}, l.address, " · ", h("a", { href: `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(l.address)}`, target: "_blank", rel: "noopener" }, t.map)) : null,
      l.phone ? h("p", {}, h("a", { href: telLink(l.phone) }, l.phone)) : null,
      hours === null ? null : h("p", {}, hours ? fmt(t.today, { h: hours }) : t.closedToday),
    );
  }
  function chatPanel(): Child[] {
    if (!log.firstChild) {
      say(cfg.appearance.greeting[lang] || cfg.appearance.greeting.es, false, false);
      for (const [who, text] of history.lines) log.append(line(who, text));
      log.lastElementChild?.scrollIntoView({ block: "end" });
    }
    // On a shared phone or computer, the diner can leave no chat behind.
    const fresh = history.lines.length
      ? h("button", {
          class: "link",
          type: "button",
          "data-new-chat": "",
          onclick: () => {
            forgetChat();
            draft = null;
            log.replaceChildren();
            render();
          },
        }, t.newChat)
      : null;
    chatInput.placeholder = t.message;
    chatInput.setAttribute("aria-label", t.message);
    renderDraft();
    const form = h(
      "form",
      {
        class: "row",
        onsubmit: (e) => {
          e.preventDefault();
          const text = chatInput.value.trim();
          if (!text) return;
          chatInput.value = "";
          void sendChat(text).then((reply) => {
            if (reply?.ready_to_order && draft?.lines.length) toCheckout("draft");
          });
        },
      },
      chatInput,
      h("button", { class: "btn", type: "submit" }, t.send),
    );
    return [infoCard(), log, draftBox, form, fresh];
  }

  // ---- menu, cart, checkout ----------------------------------------------------------
  const orderingNote = (): Node | null =>
    !cfg.ordering.online_orders || (!cfg.restaurant_online && cfg.ordering.offline_policy === "refuse")
      ? h("p", { class: "note", role: "status" }, t.ordersOff)
      : !cfg.restaurant_online
        ? h("p", { class: "note" }, t.offline)
        : null;
  const canOrder = () => cfg.ordering.online_orders && (cfg.restaurant_online || cfg.ordering.offline_policy === "wait");

  function menuPanel(): Child[] {
    if (!menu) {
      void api.call<Menu>("menu", lang).then(
        (m) => {
          menu = m;
          if (view.panel === "menu") render();
        },
        (e: unknown) => fill(body, h("p", { class: "err", role: "status" }, problem(e))),
      );
      return [h("p", { class: "note" }, "…")];
    }
    const count = cart.reduce((n, l) => n + l.quantity, 0);
    const sections = menu.categories.map((c) =>
      h("section", {}, h("h3", {}, c.name[lang] || c.name.es), ...c.items.map(menuItem)),
    );
    return [
      orderingNote(),
      ...sections,
      count > 0
        ? h(
            "div",
            { class: justAdded ? "cartbar pulse" : "cartbar" },
            h("span", {}, `${t.cart} (${count}) · ${clp(cartTotal(cart))}`),
            h("button", { class: "btn", type: "button", onclick: () => ((orderSource = "cart"), go({ type: "cart" })) }, t.viewCart),
          )
        : null,
    ];
  }

  const local = (x: { es: string; en: string }) => x[lang] || x.es;
  function add(item: MenuItem, name: string, options: { id: string; name: string; price_delta: number }[]): void {
    cart = addToCart(cart, { id: item.id, name, price: item.price, available: item.available, options });
    choosing = null;
    justAdded = item.id;
    clearTimeout(addedTimer);
    addedTimer = window.setTimeout(() => {
      justAdded = null;
      if (view.panel === "menu") render();
    }, 1500);
    announce(`${name} +1 · ${t.cart}: ${clp(cartTotal(cart))}`);
    render();
    body.querySelector<HTMLElement>(`[data-item="${item.id}"] button`)?.focus({ preventScroll: true });
  }

  function menuItem(item: MenuItem): HTMLElement {
    const name = local(item.name);
    const desc = item.description ? local(item.description) : null;
    const groups = (item.modifier_groups ?? []).filter((g) => g.options.length > 0);
    const tags = (item.tags ?? []).map((tag) => h("span", { class: "chip" }, label(lang, tag)));
    const allergens = item.allergens?.length ? h("p", {}, fmt(t.contains, { list: item.allergens.map((a) => label(lang, a)).join(", ") })) : null;
    const done = justAdded === item.id;
    const action = !item.available
      ? h("span", { class: "tag" }, t.soldOut)
      : canOrder()
        ? h(
            "button",
            {
              class: done ? "btn" : "btn ghost",
              type: "button",
              "aria-label": `${t.add}: ${name}`,
              "aria-expanded": groups.length ? String(choosing === item.id) : undefined,
              onclick: () => {
                if (!groups.length) return add(item, name, []);
                choosing = choosing === item.id ? null : item.id;
                chosen = new Map();
                render();
                body.querySelector<HTMLElement>(`[data-item="${item.id}"] fieldset input:not([disabled])`)?.focus();
              },
            },
            done ? t.added : t.add,
          )
        : null;
    return h(
      "div",
      { class: item.available ? "item" : "item out", "data-item": item.id },
      h("div", { class: "line" }, item.photo ? h("img", { class: "ph", src: api.thumb(item.photo.hash), alt: "", width: "64", height: "64", loading: "lazy", decoding: "async" }) : null, h("div", { class: "grow" }, h("strong", {}, name), " ", clp(item.price), desc ? h("p", {}, desc) : null, tags.length ? h("div", { class: "chips" }, ...tags) : null, allergens), action),
      choosing === item.id ? chooser(item, name, groups) : null,
    );
  }

  // The options of a dish, asked before it goes in the cart: a required group ("Término")
  // must be answered, so the cloud never refuses the order for it at the end.
  function chooser(item: MenuItem, name: string, groups: NonNullable<MenuItem["modifier_groups"]>): HTMLElement {
    const error = h("p", { class: "err", role: "status" });
    const priceOf = () =>
      item.price + groups.flatMap((g) => g.options.filter((o) => chosen.get(g.id)?.includes(o.id))).reduce((sum, o) => sum + o.price_delta, 0);
    const submit = h("button", { class: "btn", type: "submit" }, fmt(t.addPrice, { p: clp(priceOf()) }));
    const sets = groups.map((g) => {
      const single = g.max_choices <= 1;
      return h(
        "fieldset",
        {},
        h("legend", {}, local(g.name), " ", h("small", {}, choiceRule(t, g.min_choices, g.max_choices))),
        ...g.options.map((o) =>
          h(
            "label",
            { class: "opt" },
            h("input", {
              type: single ? "radio" : "checkbox",
              name: `g-${g.id}`,
              value: o.id,
              disabled: !o.available,
              checked: chosen.get(g.id)?.includes(o.id) ?? false,
              onchange: (e) => {
                const box = e.target as HTMLInputElement;
                const now = single ? [] : (chosen.get(g.id) ?? []).filter((id) => id !== o.id);
                if (box.checked) now.push(o.id);
                chosen.set(g.id, now);
                submit.textContent = fmt(t.addPrice, { p: clp(priceOf()) });
                error.textContent = "";
              },
            }),
            local(o.name),
            o.price_delta ? ` +${clp(o.price_delta)}` : "",
            o.available ? "" : ` · ${t.soldOut}`,
          ),
        ),
      );
    });
    return h(
      "form",
      {
        class: "choose",
        onsubmit: (e) => {
          e.preventDefault();
          const unmet = unmetGroups(groups, chosen);
          const bad = groups.find((g) => g.id === unmet[0]);
          if (bad) {
            const n = chosen.get(bad.id)?.length ?? 0;
            error.textContent = n > bad.max_choices ? fmt(t.tooMany, { n: bad.max_choices, g: local(bad.name) }) : fmt(t.chooseFirst, { g: local(bad.name) });
            return;
          }
          const options = groups.flatMap((g) => g.options.filter((o) => chosen.get(g.id)?.includes(o.id)).map((o) => ({ id: o.id, name: local(o.name), price_delta: o.price_delta })));
          add(item, name, options);
        },
      },
      ...sets,
      error,
      h("div", { class: "row" }, h("button", { class: "btn ghost", type: "button", onclick: () => ((choosing = null), render()) }, t.cancel), submit),
    );
  }

  const cartLine = (l: CartLine) => `${l.quantity} × ${l.name}${l.optionNames.length ? ` (${l.optionNames.join(", ")})` : ""} — ${clp(l.price * l.quantity)}`;
  function cartPanel(): Child[] {
    const lines = cart.map((l) =>
      h(
        "div",
        { class: "item" },
        h("span", {}, cartLine(l)),
        h(
          "button",
          {
            class: "btn ghost",
            type: "button",
            "aria-label": `${t.remove}: ${l.name}`,
            onclick: () => {
              cart = removeFromCart(cart, l.key);
              render();
            },
          },
          "−",
        ),
      ),
    );
    return [
      h("h3", {}, t.cart),
      ...(lines.length ? lines : [h("p", { class: "note" }, t.emptyCart)]),
      h("p", { class: "stage" }, `${t.total}: ${clp(cartTotal(cart))}`),
      h("div", { class: "row" }, h("button", { class: "btn ghost", type: "button", onclick: () => go({ type: "back" }) }, t.back), cart.length ? h("button", { class: "btn", type: "button", onclick: () => toCheckout("cart") }, t.checkout) : null),
    ];
  }

  function field(label: string, input: HTMLInputElement | HTMLSelectElement): HTMLLabelElement {
    return h("label", {}, label, input);
  }
  // The consent box (Ley 19.628): unchecked until the diner ticks it; nothing is sent without it.
  function consentBox(text: string): [HTMLLabelElement, HTMLInputElement] {
    const box = h("input", { type: "checkbox", name: "messages_consent" });
    return [h("label", { class: "opt consent" }, box, text), box];
  }
  function emailInput(): HTMLInputElement {
    const email = h("input", { name: "email", type: "email", autocomplete: "email", maxlength: "254" });
    email.value = readJson<{ email?: string }>("customer")?.email ?? "";
    return email;
  }
  function checkoutPanel(): Child[] {
    const saved = readJson<{ name: string; phone: string }>("customer");
    const name = h("input", { name: "name", required: true, autocomplete: "name", maxlength: "120" });
    const phone = h("input", { name: "phone", required: true, type: "tel", autocomplete: "tel", maxlength: "30" });
    name.value = saved?.name ?? "";
    phone.value = saved?.phone ?? "";
    const address = h("input", { name: "address", autocomplete: "street-address", maxlength: "200" });
    const kind = h("select", { name: "fulfilment", onchange: () => ((fulfilment = kind.value as Fulfilment), (addressField.hidden = fulfilment !== "delivery")) });
    for (const f of ["pickup", "delivery", "dine_in"] as const) kind.append(h("option", { value: f, selected: f === fulfilment }, t[f]));
    const addressField = field(t.address, address);
    addressField.hidden = fulfilment !== "delivery";
    const offered = cfg.ordering.payment ?? "at_pickup";
    paying = offered === "online" ? "online" : offered === "both" ? paying : "at_pickup";
    const pay = h("select", { name: "payment", onchange: () => (paying = pay.value as PaymentChoice) });
    for (const [v, l] of [["online", t.payNow], ["at_pickup", t.payAtPickup]] as const) pay.append(h("option", { value: v, selected: v === paying }, l));
    const payField = offered === "both" ? field(t.pay, pay) : offered === "online" ? h("p", { class: "note" }, t.payNowOnly) : null;
    // How the diner hears about the order: the channels the restaurant can use now, or none.
    const email = emailInput();
    const channels = cfg.messages?.channels ?? [];
    if (notifyBy !== "none" && !channels.includes(notifyBy)) notifyBy = "none";
    const via = h("select", { name: "notify_by", onchange: () => ((notifyBy = via.value as NotifyChannel), (consentField.hidden = notifyBy === "none")) });
    for (const c of [...channels, "none"] as const) via.append(h("option", { value: c, selected: c === notifyBy }, t[`via_${c}`]));
    const [consentField, consent] = consentBox(t.consentOrder);
    consentField.hidden = notifyBy === "none";
    const error = h("p", { class: "err", role: "status" });
    const summary =
      orderSource === "draft" && draft
        ? draftLines(draft, t.total)
        : [...cart.map(cartLine), `${t.total}: ${clp(cartTotal(cart))}`];
    const submit = h("button", { class: "btn", type: "submit" }, t.submit);
    const form = h(
      "form",
      {
        onsubmit: (e) => {
          e.preventDefault();
          const customer: NewOrder["customer"] = { name: name.value.trim(), phone: phone.value.trim() };
          if (email.value.trim()) customer.email = email.value.trim();
          if (fulfilment === "delivery" && !address.value.trim()) {
            error.textContent = t.addressNeeded;
            address.focus();
            return;
          }
          if (notifyBy === "email" && !customer.email) {
            error.textContent = t.emailNeeded;
            email.focus();
            return;
          }
          store.setItem(ns + "customer", JSON.stringify(customer));
          const lines =
            orderSource === "draft" && draft
              ? draft.lines.map((l) => ({ item_id: l.item_id, quantity: l.quantity, ...(l.options.length ? { options: l.options } : {}) }))
              : cart.map((l) => ({ item_id: l.itemId, quantity: l.quantity, ...(l.options.length ? { options: l.options } : {}) }));
          const request: NewOrder = { customer, fulfilment, lines, language: lang, ...(fulfilment === "delivery" ? { address: address.value.trim() } : {}) };
          if (channels.length) {
            request.notify_by = notifyBy;
            request.messages_consent = notifyBy !== "none" && consent.checked;
          }
          if (paying === "online") {
            request.payment = "online";
            // Back to this page after paying (its origin is one the widget may call from).
            if (location.origin !== origin) request.return_url = location.href.split("#")[0];
          }
          submit.disabled = true;
          error.textContent = "";
          void placeOrder(request).then(
            () => undefined,
            (err: unknown) => {
              submit.disabled = false;
              error.textContent = problem(err);
              if (err instanceof ApiError && err.code === "network") submit.textContent = t.retry;
            },
          );
        },
      },
      h("ul", { class: "draft" }, ...summary.map((s) => h("li", {}, s))),
      orderingNote(),
      field(t.name, name),
      field(t.phone, phone),
      field(t.email, email),
      field(t.fulfilment, kind),
      addressField,
      payField,
      channels.length ? field(t.notifyBy, via) : null,
      channels.length ? consentField : null,
      error,
      h("div", { class: "row" }, h("button", { class: "btn ghost", type: "button", onclick: () => go({ type: orderSource === "draft" ? "tab" : "back", panel: "chat" } as ViewEvent) }, t.back), submit),
    );
    return [form];
  }

  async function placeOrder(body: NewOrder): Promise<void> {
    const key = orders.keyFor(body);
    let created: OrderCreated;
    try {
      created = await api.call<OrderCreated>("orders", lang, { body, key });
    } catch (e) {
      // A definite refusal ends this submission; a lost answer keeps the key for the retry.
      if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429) orders.settled();
      throw e;
    }
    orders.settled();
    if (orderSource === "cart") cart = [];
    else draft = null;
    order = {
      id: created.id,
      token: created.status_token,
      waiting: created.waiting_for_restaurant,
      total: created.total,
      lines: created.lines.map((l) => `${l.quantity} × ${l.name} — ${clp(l.line_total)}`),
      number: created.number,
      estimate: created.estimated_minutes,
    };
    saveOrder();
    if (created.checkout_url && /^https?:\/\//.test(created.checkout_url)) {
      // The order is saved for this tab: on the way back the widget follows it again.
      location.assign(created.checkout_url);
      return;
    }
    track();
    go({ type: "ordered" });
  }

  // ---- order status ------------------------------------------------------------------
  function onStatus(s: OrderStatusBody): void {
    if (!order || s.id !== order.id) return;
    const before = order.last ? orderStage(order.last.status, order.waiting) : null;
    if (s.waiting_for_restaurant !== undefined) order.waiting = s.waiting_for_restaurant;
    else if (s.status !== "pending") order.waiting = false;
    order.last = s;
    if (s.number) order.number = s.number;
    if (!order.acceptedAt && (s.status === "confirmed" || s.status === "preparing")) order.acceptedAt = s.updated_at;
    saveOrder();
    const stage = orderStage(s.status, order.waiting);
    if (stage !== before) announce(t[stage]);
    if (view.panel === "status") render();
    else renderChrome();
    if (isFinal(stage)) tracking?.stop();
  }
  function track(): void {
    tracking?.stop();
    if (!order) return;
    const { id, token } = order;
    let stopped = false;
    let timer = 0;
    const abort = new AbortController();
    const poll = () => {
      if (stopped) return;
      api.call<OrderStatusBody>(`orders/${encodeURIComponent(id)}`, lang, { token }).then(onStatus, () => undefined);
      timer = window.setTimeout(poll, 5000);
    };
    const listen = (): void => {
      void api
        .events(
          `orders/${encodeURIComponent(id)}/events`,
          token,
          (event, data) => {
            try {
              if (event === "status") onStatus(JSON.parse(data) as OrderStatusBody);
            } catch {
              /* a malformed event is skipped */
            }
          },
          abort.signal,
        )
        // The server ends a stream after its maximum time: listen again. The stream is
        // gone (proxy, server without it): fall back to polling.
        .then(
          () => {
            if (!stopped) timer = window.setTimeout(listen, 1000);
          },
          () => {
            if (!stopped) poll();
          },
        );
    };
    listen();
    tracking = {
      stop() {
        stopped = true;
        abort.abort();
        clearTimeout(timer);
      },
    };
  }
  function statusPanel(): Child[] {
    if (!order) return [];
    const s = order.last;
    const stage = orderStage(s?.status ?? "pending", order.waiting);
    const ready = readyAt(order.acceptedAt, order.estimate);
    const eta =
      stage === "accepted" && ready
        ? fmt(t.readyBy, { t: clock(ready.toISOString(), cfg.location.time_zone) })
        : (stage === "submitted" || stage === "waiting") && order.estimate
          ? fmt(t.estimate, { m: order.estimate })
          : null;
    return [
      order.number ? h("p", { class: "num" }, fmt(t.orderNo, { n: orderLabel(order.number) })) : null,
      h("p", { class: "stage", role: "status" }, t[stage]),
      eta ? h("p", { class: "note" }, eta) : null,
      order.waiting && stage === "waiting" ? h("p", { class: "note" }, t.offline) : null,
      s?.reason ? h("p", { class: "note" }, s.reason) : null,
      s?.payment ? h("p", { class: "note" }, t[s.payment === "awaiting" ? "payAwaiting" : s.payment]) : null,
      h("ul", { class: "draft" }, ...order.lines.map((l) => h("li", {}, l)), h("li", {}, `${t.total}: ${clp(order.total)}`)),
    ];
  }

  // ---- booking -----------------------------------------------------------------------
  function bookPanel(): Child[] {
    const b = bookingState;
    if (b.result) {
      const when = `${b.result.starts_at.slice(0, 10)} ${clock(b.result.starts_at, cfg.location.time_zone)}`;
      return [
        h("p", { class: "stage", role: "status" }, b.result.status === "confirmed" ? t.booked : t.bookedPending),
        h("p", {}, `${when} · ${b.result.party_size} ${t.party.toLowerCase()}${b.result.table ? " · " + b.result.table : ""}`),
      ];
    }
    const min = today(cfg.location.time_zone);
    const date = h("input", { type: "date", name: "date", required: true, min });
    date.value = b.date || min;
    const party = h("select", { name: "party_size" });
    for (let n = 1; n <= Math.max(1, cfg.bookings.max_party_size); n++) party.append(h("option", { value: String(n), selected: n === b.party }, String(n)));
    const error = h("p", { class: "err", role: "status" });
    const find = h(
      "form",
      {
        onsubmit: (e) => {
          e.preventDefault();
          b.date = date.value;
          b.party = Number(party.value);
          b.chosen = null;
          api.call<Availability>("availability", lang, { query: { date: b.date, party_size: String(b.party) } }).then(
            (a) => {
              b.slots = a.slots;
              render();
              body.querySelector<HTMLElement>(".slots button:not([disabled])")?.focus();
            },
            (err: unknown) => (error.textContent = problem(err)),
          );
        },
      },
      h("div", { class: "row" }, field(t.date, date), field(t.party, party)),
      h("button", { class: "btn", type: "submit" }, t.search),
    );
    const out: Child[] = [find, error];
    if (b.slots) {
      const slots = b.slots.map((s) =>
        h(
          "button",
          {
            class: s.starts_at === b.chosen ? "btn" : "btn ghost",
            type: "button",
            disabled: !s.available,
            "aria-pressed": String(s.starts_at === b.chosen),
            onclick: () => {
              b.chosen = s.starts_at;
              render();
              body.querySelector<HTMLInputElement>("input[name=name]")?.focus();
            },
          },
          clock(s.starts_at, cfg.location.time_zone),
        ),
      );
      out.push(slots.length && b.slots.some((s) => s.available) ? h("div", { class: "slots" }, ...slots) : h("p", { class: "note" }, t.noSlots));
    }
    if (b.chosen) {
      const saved = readJson<{ name: string; phone: string }>("customer");
      const name = h("input", { name: "name", required: true, autocomplete: "name", maxlength: "120" });
      const phone = h("input", { name: "phone", required: true, type: "tel", autocomplete: "tel", maxlength: "30" });
      name.value = saved?.name ?? "";
      phone.value = saved?.phone ?? "";
      const email = emailInput();
      const [consentField, consent] = consentBox(t.consentBooking);
      const submit = h("button", { class: "btn", type: "submit" }, t.reserve);
      const chosen = b.chosen;
      out.push(
        h(
          "form",
          {
            onsubmit: (e) => {
              e.preventDefault();
              const req: { name: string; phone: string; email?: string; party_size: number; starts_at: string; messages_consent: boolean; language: Lang } = {
                name: name.value.trim(),
                phone: phone.value.trim(),
                party_size: b.party,
                starts_at: chosen,
                messages_consent: consent.checked,
                language: lang,
              };
              if (email.value.trim()) req.email = email.value.trim();
              store.setItem(ns + "customer", JSON.stringify({ name: req.name, phone: req.phone, email: req.email }));
              const key = bookings.keyFor(req);
              submit.disabled = true;
              api.call<Reservation>("reservations", lang, { body: req, key }).then(
                (r) => {
                  bookings.settled();
                  b.result = r;
                  render();
                  announce(r.status === "confirmed" ? t.booked : t.bookedPending);
                },
                (err: unknown) => {
                  if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) bookings.settled();
                  submit.disabled = false;
                  error.textContent = problem(err);
                },
              );
            },
          },
          field(t.name, name),
          field(t.phone, phone),
          field(t.email, email),
          consentField,
          submit,
        ),
      );
    }
    return out;
  }

  // ---- phones: keep the panel inside the visible viewport (iOS keyboard) --------------
  const vv = window.visualViewport;
  if (vv) {
    const fit = () => {
      const small = window.matchMedia("(max-width: 480px)").matches;
      panel.style.height = small || fullPage ? `${vv.height}px` : "";
      panel.style.top = small || fullPage ? `${vv.offsetTop}px` : "";
    };
    vv.addEventListener("resize", fit);
    vv.addEventListener("scroll", fit);
    fit();
  }

  api.call<WidgetConfig>("widget", "es").then(
    (c) => {
      cfg = c;
      lang = chooseLang({
        chosen: store.getItem(ns + "lang"),
        attribute: script.dataset.lang,
        owner: c.appearance.language,
        page: document.documentElement.lang,
        browser: navigator.languages,
      });
      t = texts(lang);
      shadow.append(root);
      render();
      pollStaff();
      if (order) {
        track();
        // Back from Mercado Pago (`?pedido=ID`): open on the order's status.
        const back = new URLSearchParams(location.search).get("pedido") === order.id;
        if (back) view.open = true;
        if (fullPage || mode === "true" || back) view.panel = "status";
      }
      if (view.open) {
        render();
        focusFirst();
      }
    },
    (e: unknown) => {
      // A page whose origin is not on the owner's "Sitios web permitidos" list gets no
      // CORS header, which the browser reports as a network failure: say so to whoever
      // pasted the snippet, instead of showing nothing with no reason.
      const foreign = location.origin !== origin;
      if (e instanceof ApiError && e.code === "network" && foreign)
        console.warn(
          `dysa widget: el restaurante «${slug}» no permite este sitio (${location.origin}). Agrégalo en el panel del dueño → Widget → «Sitios web permitidos». / ` +
            `This site (${location.origin}) is not on the restaurant's allowed web sites: add it in the owner's dashboard → Widget.`,
        );
      else if (e instanceof ApiError && e.code === "widget_not_in_plan")
        // The restaurant's plan (Básico) has no widget: the hosted page says so to diners;
        // a snippet on the restaurant's own site stays out of the way and tells its owner.
        console.warn(
          `dysa widget: el plan del restaurante «${slug}» no incluye el widget; cámbialo a Pro o Cadena en el panel → Plan. / ` +
            "The restaurant's plan does not include the widget; move to Pro or Chain in the dashboard → Plan.",
        );
      else console.warn("dysa widget:", e instanceof ApiError ? e.code : e);
      if (fullPage) {
        const said = texts(chooseLang({ attribute: script.dataset.lang, page: document.documentElement.lang, browser: navigator.languages }));
        const text = e instanceof ApiError && e.code === "widget_not_in_plan" ? said.notInPlan : said.unavailable;
        shadow.append(h("p", { class: "root err", role: "alert" }, text));
      }
    },
  );
}

const me = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>("script[data-restaurant][src*='widget']");
if (me) {
  if (document.body) start(me);
  else document.addEventListener("DOMContentLoaded", () => start(me));
}
