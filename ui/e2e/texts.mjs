// The Spanish text check: what a page shows in Spanish must hold no raw value of the API
// (`pending`, `dine_in`, `up`…), no dictionary key or other snake_case word, no ISO date
// and no common English UI word. Used by run.mjs on every page of the panel.

/** Wire values of the API's enums that must reach staff as words (lowercase, whole words). */
export const RAW_VALUES = [
  "pending", "confirmed", "preparing", "ready", "completed", "cancelled",
  "counter", "takeaway", "dine_in", "delivery", "widget", "chat", "phone",
  "unpaid", "partially_paid", "paid", "refunded",
  "cash", "debit", "credit", "transfer", "mercado_pago",
  "booked", "seated", "no_show", "free", "occupied", "reserved",
  "up", "down", "unreachable", "not_configured", "online", "offline", "revoked",
  "admin", "manager", "waiter", "viewer",
  "drinks", "starters", "mains", "desserts", "kitchen",
  "true", "false", "null", "undefined", "NaN",
];

/**
 * Common English UI words. Words Spanish spells the same ("Total", "No", "Error", "Local",
 * "Chat", "Bar", "Web", "Email" in some screens) are left out: they would fail good pages.
 */
export const ENGLISH_WORDS = [
  "Save", "Cancel", "Delete", "Edit", "Add", "Remove", "Close", "Open", "Back", "Next", "Previous",
  "Search", "Submit", "Confirm", "Loading", "Retry", "Settings", "Orders", "Order", "Menu",
  "Customers", "Customer", "Reservations", "Reservation", "Kitchen", "Tables", "Table", "Users",
  "Sales", "Today", "Yesterday", "Name", "Password", "Phone", "Notes", "Note", "Price", "Quantity",
  "Paid", "Unpaid", "Pending", "Ready", "Refund", "Discount", "Tip", "Change", "Received", "Print",
  "None", "Online", "Offline", "Sign in", "Log out", "Logout", "Login", "Switch user", "Language",
  "Theme", "Status", "Date", "Time", "Amount", "Payment", "Payments", "Cash", "Card", "Yes",
  "Guests", "Items", "Item", "Category", "Categories", "Sold out", "Available", "New", "Done",
  "Drawer", "Audit", "Analytics", "Conversations", "Dashboard", "Cloud", "Devices", "Updated",
  "Created", "Failed", "Success", "Saved", "Welcome", "Show", "Hide", "More", "Void", "Refunded",
  "Guest", "Delivered", "Takeaway", "Dine in", "Counter", "Unknown", "Never", "Empty", "Nothing",
];

/** Shown on purpose in a Spanish page: the other language's name in the language picker. */
const ALLOWED = ["English"];

const words = (list) => new RegExp(`(?<![\\p{L}\\p{N}_@./-])(${list.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})(?![\\p{L}\\p{N}_@-])`, "gu");
const RAW = words(RAW_VALUES);
const ENGLISH = new RegExp(words(ENGLISH_WORDS).source, "giu");
const SNAKE = /(?<![\p{L}\p{N}_@./:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\p{L}\p{N}_@.-])/gu;
const ISO_DATE = /(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])/g;

/** Every offending word in `text`, with what it is and a little of what surrounds it. */
export function badWords(text) {
  let clean = text;
  for (const ok of ALLOWED) clean = clean.replaceAll(ok, " ");
  const found = [];
  const scan = (re, why) => {
    for (const m of clean.matchAll(re)) {
      const from = Math.max(0, m.index - 30);
      found.push({ word: m[0], why, context: clean.slice(from, m.index + m[0].length + 30).replace(/\s+/g, " ").trim() });
    }
  };
  scan(RAW, "raw value");
  scan(SNAKE, "snake_case word");
  scan(ENGLISH, "English word");
  scan(ISO_DATE, "ISO date");
  const seen = new Set();
  return found.filter((f) => {
    const key = `${f.word}|${f.context}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What a page says: its visible text, plus the placeholders, titles and labels read by
 * screen readers (an English aria-label is heard by a Spanish-speaking cashier too). */
export function pageText(page) {
  return page.evaluate(() => {
    const parts = [document.body.innerText];
    for (const el of document.querySelectorAll("[placeholder],[title],[aria-label]")) {
      if (el.closest("[hidden]")) continue;
      for (const attr of ["placeholder", "title", "aria-label"]) {
        const v = el.getAttribute(attr);
        if (v) parts.push(v);
      }
    }
    return parts.join("\n");
  });
}

/** The check checks itself: it must catch each kind, and pass a plain Spanish screen. */
export function selfTest() {
  const must = ["Pedido pending", "Canal: dine_in", "Ollama up", "nav_main", "Guardar · Save", "el 2026-12-07", "Loading…"];
  for (const text of must) if (badWords(text).length === 0) throw new Error(`the text check missed: ${text}`);
  const fine = "Ventas de hoy $12.990 · Pedido #2 · Mostrador · Efectivo · sáb 6 dic · 06-12-2026, 20:00 · Total · No · Error de red · English · ana@example.cl · Chat";
  const wrong = badWords(fine);
  if (wrong.length) throw new Error(`the text check refuses Spanish: ${JSON.stringify(wrong)}`);
}
