// Spanish first, English second: which language to speak, and the widget's texts.
import type { Lang } from "./api";

/** Where a language can come from, strongest first (see `chooseLang`). */
export interface LangSources {
  /** The diner's own switch, remembered for the session. */
  chosen?: string | null;
  /** The script tag's `data-lang`. */
  attribute?: string | null;
  /** The owner's setting (`auto` defers to the page). */
  owner?: string | null;
  /** The page's `<html lang>`. */
  page?: string | null;
  /** `navigator.languages`. */
  browser?: readonly string[];
}

function asLang(tag: string | null | undefined): Lang | null {
  const base = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return base === "es" || base === "en" ? base : null;
}

/** The diner's switch, then `data-lang`, the owner's fixed choice, the page, the browser; else Spanish. */
export function chooseLang(s: LangSources): Lang {
  for (const tag of [s.chosen, s.attribute, s.owner === "auto" ? null : s.owner, s.page]) {
    const lang = asLang(tag);
    if (lang) return lang;
  }
  for (const tag of s.browser ?? []) {
    const lang = asLang(tag);
    if (lang) return lang;
  }
  return "es";
}

const es = {
  open: "Abrir chat del restaurante",
  close: "Cerrar",
  chat: "Chat",
  menu: "Menú",
  book: "Reservar",
  order: "Pedido",
  send: "Enviar",
  message: "Escribe tu mensaje",
  confirm: "Confirmar pedido",
  soldOut: "Agotado",
  add: "Agregar",
  cart: "Tu pedido",
  emptyCart: "Aún no agregas nada.",
  checkout: "Continuar",
  name: "Nombre",
  phone: "Teléfono",
  email: "Correo (opcional)",
  notifyBy: "¿Cómo te avisamos?",
  via_whatsapp: "WhatsApp",
  via_sms: "SMS",
  via_email: "Correo",
  via_none: "No me avisen",
  consentOrder: "Acepto que el restaurante me envíe mensajes sobre este pedido por el medio elegido. Puedo darme de baja cuando quiera (Ley 19.628).",
  consentBooking: "Acepto recibir mensajes sobre esta reserva (confirmación y recordatorios). Puedo darme de baja cuando quiera (Ley 19.628).",
  emailNeeded: "Escribe tu correo para avisarte por correo.",
  fulfilment: "Entrega",
  pickup: "Retiro en local",
  delivery: "Despacho",
  dine_in: "Comer en el local",
  address: "Dirección",
  submit: "Enviar pedido",
  pay: "Pago",
  payNow: "Pagar ahora con Mercado Pago",
  payAtPickup: "Pagar al retirar",
  payNowOnly: "Pagas ahora con Mercado Pago.",
  toPay: "Ir a pagar",
  payAwaiting: "Pago pendiente en Mercado Pago.",
  paid: "Pagado en línea.",
  refunded: "Te devolvimos el pago.",
  date: "Fecha",
  party: "Personas",
  search: "Ver horarios",
  noSlots: "No hay horarios disponibles ese día.",
  reserve: "Reservar",
  booked: "Reserva confirmada",
  bookedPending: "Reserva pendiente de confirmación del restaurante",
  submitted: "Pedido enviado",
  waiting: "Esperando al restaurante",
  accepted: "Pedido aceptado",
  rejected: "Pedido rechazado",
  ready: "¡Tu pedido está listo!",
  done: "Pedido entregado",
  offline: "El restaurante está sin conexión; tu pedido esperará a que vuelva.",
  ordersOff: "El restaurante no recibe pedidos en línea ahora.",
  network: "Sin conexión. Reintenta.",
  retry: "Reintentar",
  error: "Algo falló. Reintenta.",
  switchLang: "English",
  thinking: "Escribiendo…",
  staffHere: "Te atiende una persona del restaurante; su respuesta aparecerá aquí.",
  newChat: "Empezar una conversación nueva",
  staff: "Restaurante",
  you: "Tú",
  total: "Total",
  remove: "Quitar",
  back: "Volver",
  unavailable: "El restaurante no está disponible.",
  notInPlan: "Este restaurante no recibe pedidos ni reservas en línea. Puedes llamarlo o visitarlo directamente.",
  added: "✓ Agregado",
  addPrice: "Agregar · {p}",
  cancel: "Cancelar",
  required: "Obligatorio, elige {n}",
  requiredRange: "Obligatorio, elige de {min} a {max}",
  optional: "Opcional, hasta {n}",
  chooseFirst: "Elige una opción en «{g}».",
  tooMany: "Elige hasta {n} en «{g}».",
  viewCart: "Ver pedido",
  orderNo: "Pedido N° {n}",
  estimate: "Estará listo en unos {m} minutos desde que el restaurante lo acepte.",
  readyBy: "Estará listo cerca de las {t}.",
  contains: "Contiene: {list}",
  addressNeeded: "Escribe la dirección de despacho.",
  map: "Ver en el mapa",
  today: "Hoy: {h}",
  closedToday: "Hoy: cerrado",
};

/** The widget's texts, keyed alike in both languages. */
export type Texts = typeof es;

const en: Texts = {
  open: "Open the restaurant's chat",
  close: "Close",
  chat: "Chat",
  menu: "Menu",
  book: "Book",
  order: "Order",
  send: "Send",
  message: "Type your message",
  confirm: "Confirm order",
  soldOut: "Sold out",
  add: "Add",
  cart: "Your order",
  emptyCart: "Nothing added yet.",
  checkout: "Continue",
  name: "Name",
  phone: "Phone",
  email: "Email (optional)",
  notifyBy: "How should we tell you?",
  via_whatsapp: "WhatsApp",
  via_sms: "SMS",
  via_email: "Email",
  via_none: "Don't notify me",
  consentOrder: "I agree that the restaurant may send me messages about this order by the channel I chose. I can opt out at any time (Chile's Law 19.628).",
  consentBooking: "I agree to receive messages about this booking (confirmation and reminders). I can opt out at any time (Chile's Law 19.628).",
  emailNeeded: "Enter your email so we can write to you.",
  fulfilment: "Fulfilment",
  pickup: "Pick up",
  delivery: "Delivery",
  dine_in: "Eat in",
  address: "Address",
  submit: "Place order",
  pay: "Payment",
  payNow: "Pay now with Mercado Pago",
  payAtPickup: "Pay at pickup",
  payNowOnly: "You pay now with Mercado Pago.",
  toPay: "Go to payment",
  payAwaiting: "Payment pending at Mercado Pago.",
  paid: "Paid online.",
  refunded: "Your payment was refunded.",
  date: "Date",
  party: "Guests",
  search: "See times",
  noSlots: "No times available that day.",
  reserve: "Book",
  booked: "Booking confirmed",
  bookedPending: "Booking pending the restaurant's confirmation",
  submitted: "Order sent",
  waiting: "Waiting for the restaurant",
  accepted: "Order accepted",
  rejected: "Order rejected",
  ready: "Your order is ready!",
  done: "Order delivered",
  offline: "The restaurant is offline; your order will wait until it is back.",
  ordersOff: "The restaurant is not taking online orders right now.",
  network: "No connection. Try again.",
  retry: "Try again",
  error: "Something failed. Try again.",
  switchLang: "Español",
  thinking: "Typing…",
  staffHere: "A person from the restaurant is helping you; their answer will appear here.",
  newChat: "Start a new conversation",
  staff: "Restaurant",
  you: "You",
  total: "Total",
  remove: "Remove",
  back: "Back",
  unavailable: "The restaurant is not available.",
  notInPlan: "This restaurant does not take online orders or bookings. You can call or visit it directly.",
  added: "✓ Added",
  addPrice: "Add · {p}",
  cancel: "Cancel",
  required: "Required, choose {n}",
  requiredRange: "Required, choose {min} to {max}",
  optional: "Optional, up to {n}",
  chooseFirst: "Choose an option in “{g}”.",
  tooMany: "Choose up to {n} in “{g}”.",
  viewCart: "View order",
  orderNo: "Order no. {n}",
  estimate: "It will be ready about {m} minutes after the restaurant accepts it.",
  readyBy: "It will be ready around {t}.",
  contains: "Contains: {list}",
  addressNeeded: "Enter the delivery address.",
  map: "See on the map",
  today: "Today: {h}",
  closedToday: "Today: closed",
};

/** Words for the tags and allergens owners use most; anything else is shown as the owner
 *  wrote it (never a raw `gluten_free` where a word is known). */
const labels: Record<Lang, Record<string, string>> = {
  es: {
    vegan: "Vegano", vegetarian: "Vegetariano", gluten_free: "Sin gluten", spicy: "Picante", lactose_free: "Sin lactosa",
    gluten: "gluten", milk: "leche", egg: "huevo", eggs: "huevo", nuts: "frutos secos", peanuts: "maní", soy: "soya",
    fish: "pescado", shellfish: "mariscos", sesame: "sésamo", celery: "apio", mustard: "mostaza", sulphites: "sulfitos",
  },
  en: {
    vegan: "Vegan", vegetarian: "Vegetarian", gluten_free: "Gluten-free", spicy: "Spicy", lactose_free: "Lactose-free",
    gluten: "gluten", milk: "milk", egg: "egg", eggs: "egg", nuts: "tree nuts", peanuts: "peanuts", soy: "soy",
    fish: "fish", shellfish: "shellfish", sesame: "sesame", celery: "celery", mustard: "mustard", sulphites: "sulphites",
  },
};

/** A tag or allergen as words in `lang` (`gluten_free` → "Sin gluten"). */
export function label(lang: Lang, code: string): string {
  return labels[lang][code.toLowerCase()] ?? code.replace(/_/g, " ");
}

/** `template` with `{name}` replaced by `values` (as text). */
export function fmt(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/** A modifier group's rule in words ("Obligatorio, elige 1"), never "1–1". */
export function choiceRule(t: Texts, min: number, max: number): string {
  if (min === 0) return fmt(t.optional, { n: max });
  if (min >= max) return fmt(t.required, { n: min });
  return fmt(t.requiredRange, { min, max });
}

/** The texts of `lang`. */
export function texts(lang: Lang): Texts {
  return lang === "en" ? en : es;
}
