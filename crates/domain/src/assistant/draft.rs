//! The draft order of a chat and every reply that carries facts: what the diner asked,
//! grounded against the menu, applied to the draft, priced from the menu and worded in
//! Spanish or English by the code (never by a model).
//!
//! [`decide`] is pure: what needs a database or a clock beyond `now` (placing the order,
//! checking tables for a booking) comes back as a [`Step`] for the caller to carry out.

pub use super::pricing::{
    Priced, alternatives, asks_total, next_step, not_on_menu, price_draft, summary,
};
use super::relay::{ChatDraft, ChatDraftLine};
use super::text;
use super::understand::{self, Grounded, Intent, MenuIndex, Reading};
use crate::hours::{self, OpeningHours};
use crate::ids::{ItemId, ModifierOptionId, OrderId};
use crate::money::Clp;
use crate::validate::Lang;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// The stored draft of a conversation.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Draft {
    /// Lines of the order being put together.
    #[serde(default)]
    pub lines: Vec<DraftLine>,
    /// To take away.
    #[serde(default)]
    pub takeaway: bool,
    /// What the last reply asked the diner to confirm.
    #[serde(default)]
    pub awaiting: Option<Awaiting>,
    /// The booking being put together.
    #[serde(default)]
    pub booking: Option<BookingDraft>,
    /// The id the order will get, chosen (and stored) while the draft is proposed, so a
    /// "yes" repeated after a crash replays the same order instead of making a second one.
    #[serde(default)]
    pub order_id: Option<OrderId>,
    /// The name the diner gave in the chat ("soy Ana"), kept for the order and any booking
    /// so it is never asked again.
    #[serde(default)]
    pub contact_name: Option<String>,
    /// The phone the diner gave in the chat.
    #[serde(default)]
    pub contact_phone: Option<String>,
}

impl Draft {
    /// "Ana, +56 9 1234 5678": who the diner said they are, for the order's note.
    pub fn contact(&self) -> Option<String> {
        let parts: Vec<&str> = [self.contact_name.as_deref(), self.contact_phone.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// What is waiting for a "yes".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Awaiting {
    /// The order in the draft.
    Order,
    /// The booking in the draft.
    Booking,
}

/// A stored draft line (priced again from the menu every turn).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftLine {
    /// The item.
    pub item_id: ItemId,
    /// How many.
    pub quantity: u32,
    /// Chosen options.
    #[serde(default)]
    pub options: Vec<ModifierOptionId>,
    /// Requests for the kitchen.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A booking being put together.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingDraft {
    /// Party size.
    pub party_size: Option<u32>,
    /// Local day, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Local time, `HH:MM`.
    pub time: Option<String>,
    /// Name it is under.
    pub name: Option<String>,
    /// Contact phone.
    pub phone: Option<String>,
}

/// What the replies need to know about the restaurant.
#[derive(Clone, Debug)]
pub struct Shop<'a> {
    /// Orders by chat are taken.
    pub orders_enabled: bool,
    /// Opening hours, when known.
    pub hours: Option<&'a OpeningHours>,
    /// The restaurant's time zone.
    pub tz: TimeZone,
}

impl Shop<'_> {
    /// Whether the restaurant is open at `now` (`None` when its hours are not known).
    pub fn is_open(&self, now: Timestamp) -> Option<bool> {
        self.hours.map(|h| hours::is_open(h, &self.tz, now, 0))
    }

    /// "hoy atendemos 12:00–16:00 y 19:00–23:00", or that it is closed today.
    pub fn opening_today(&self, now: Timestamp, lang: Lang) -> String {
        let Some(opening) = self.hours else {
            return String::new();
        };
        let local = now.to_zoned(self.tz.clone());
        let intervals = opening.day(local.weekday());
        if intervals.is_empty() {
            return pick(lang, "hoy no abrimos", "we are closed today");
        }
        let text: Vec<String> = intervals
            .iter()
            .map(|i| {
                format!(
                    "{:02}:{:02}–{:02}:{:02}",
                    i.open.hour(),
                    i.open.minute(),
                    i.close.hour(),
                    i.close.minute()
                )
            })
            .collect();
        pick(
            lang,
            format!("hoy atendemos {}", text.join(" y ")),
            format!("today we are open {}", text.join(" and ")),
        )
    }
}

/// What a "yes" to a complete draft does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The caller places the order (the counter's own chat).
    PlaceOrders,
    /// The draft is handed to the widget or the cloud, which submits it itself
    /// (`ready_to_order`); `bookings` says how this channel books a table. `staff` says
    /// whether a person can take the conversation over.
    HandOver {
        /// Staff can answer (the restaurant's appliance holds the conversation).
        staff: bool,
        /// How a table is booked in this conversation.
        bookings: Bookings,
    },
}

/// How a diner in a handed-over conversation books a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bookings {
    /// The widget's own booking form (its «Reservar» tab): the chat points there.
    Form,
    /// In the conversation itself (WhatsApp has no form): the assistant gathers the
    /// booking and, on the diner's "yes" ([`Step::Book`]), the caller hands it over for
    /// the cloud to make like a widget booking.
    InChat,
    /// Not here and now (WhatsApp answered by the cloud while the counter is offline: it
    /// cannot see the tables to plan one): the diner is told how else to book.
    Unavailable,
}

/// What a turn decided.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The reply.
    pub text: String,
    /// The diner asked for a person.
    pub handoff: bool,
    /// The reply carries facts the code decided (prices, refusals): never rephrased.
    pub firm: bool,
    /// The intent acted on (a bare "sí" while booking is a booking step).
    pub intent: Option<Intent>,
    /// The diner confirmed a complete draft in [`Mode::HandOver`].
    pub ready_to_order: bool,
}

/// The result of [`decide`]: a reply, or a reply that waits on the caller.
#[derive(Debug)]
pub enum Step {
    /// Answer with this.
    Reply(Outcome),
    /// The diner confirmed a complete draft: place it (priced lines given).
    PlaceOrder(Outcome, Vec<Priced>),
    /// The diner confirmed the booking in the draft: book it.
    Book(Outcome),
    /// The booking in the draft changed: check the tables and say what is still needed.
    PlanBooking(Outcome),
}

/// The Spanish or the English text.
pub fn pick(lang: Lang, es: impl Into<String>, en: impl Into<String>) -> String {
    match lang {
        Lang::Es => es.into(),
        Lang::En => en.into(),
    }
}

/// Applies the understood message to the draft and decides the reply.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    index: &MenuIndex,
    shop: &Shop<'_>,
    mode: Mode,
    draft: &mut Draft,
    reading: &Reading,
    intent: Intent,
    lang: Lang,
    message: &str,
    now: Timestamp,
) -> Step {
    let mut out = Outcome::default();
    draft.takeaway |= reading.takeaway;
    let introduced = reading.name.is_some() || reading.phone.is_some();
    if let Some(name) = &reading.name {
        draft.contact_name = Some(name.clone());
    }
    if let Some(phone) = &reading.phone {
        draft.contact_phone = Some(phone.clone());
    }
    // A pending required choice ("¿Término?") answered with just the option.
    let mut resolved = false;
    let words = text::words(message);
    for line in &mut draft.lines {
        let Some(item) = index.items.iter().find(|i| i.id == line.item_id) else {
            continue;
        };
        let unmet = item.groups.iter().any(|g| {
            g.options
                .iter()
                .filter(|o| line.options.contains(&o.id))
                .count()
                < usize::from(g.min_choices)
        });
        if unmet {
            let (options, _) = understand::options_in(item, &words);
            let fresh: Vec<_> = options
                .into_iter()
                .filter(|o| !line.options.contains(o))
                .collect();
            if !fresh.is_empty() {
                line.options.extend(fresh);
                resolved = true;
            }
            break;
        }
    }
    let booking_info = reading.party_size.is_some()
        || reading.date.is_some()
        || reading.time.is_some()
        || reading.name.is_some()
        || reading.phone.is_some();
    let intent = if resolved && matches!(intent, Intent::Smalltalk | Intent::OrderConfirm) {
        Intent::OrderAdd
    } else if draft.booking.is_some()
        && booking_info
        && matches!(
            intent,
            Intent::Smalltalk | Intent::OrderConfirm | Intent::MenuQuestion
        )
    {
        Intent::ReservationRequest
    } else {
        intent
    };
    out.intent = Some(intent);
    match intent {
        Intent::Handoff if matches!(mode, Mode::HandOver { staff: false, .. }) => {
            out.firm = true;
            out.text = pick(
                lang,
                "En este momento el restaurante no está conectado, así que nadie del equipo puede responder por aquí. Puedo tomar tu pedido o contarte sobre la carta.",
                "The restaurant is not connected right now, so nobody from the team can answer here. I can take your order or tell you about the menu.",
            );
        }
        Intent::Handoff => {
            out.handoff = true;
            out.firm = true;
            out.text = pick(
                lang,
                "Te comunico con alguien del equipo; en un momento te responden por aquí.",
                "I'm passing you to a member of our team; they will answer here shortly.",
            );
        }
        Intent::OrderAdd => {
            out.firm = true;
            if !shop.orders_enabled {
                out.text = pick(
                    lang,
                    "Por ahora no estamos tomando pedidos por chat. Puedes llamarnos o pedir en el local.",
                    "We are not taking chat orders right now. Please call us or order at the restaurant.",
                );
                return Step::Reply(out);
            }
            let mut notes = Vec::new();
            for grounded in understand::ground(index, &reading.items) {
                match grounded {
                    Grounded::Found(found) => {
                        let Some(item) = index.items.get(found.item) else {
                            continue;
                        };
                        let mut options = found.options.clone();
                        // A required group with one free option takes it by default (the
                        // diner sees it in the summary before confirming).
                        for group in &item.groups {
                            let picked = group.options.iter().any(|o| options.contains(&o.id));
                            let free: Vec<_> = group
                                .options
                                .iter()
                                .filter(|o| o.available && o.price_delta == Clp::ZERO)
                                .collect();
                            if !picked && group.min_choices >= 1 && free.len() == 1 {
                                options.push(free[0].id);
                            }
                        }
                        match draft.lines.iter_mut().find(|l| {
                            l.item_id == item.id && l.options == options && l.notes == found.notes
                        }) {
                            Some(line) => line.quantity = (line.quantity + found.quantity).min(999),
                            None => draft.lines.push(DraftLine {
                                item_id: item.id,
                                quantity: found.quantity,
                                options,
                                notes: found.notes.clone(),
                            }),
                        }
                    }
                    Grounded::SoldOut { item } => {
                        let name = index
                            .items
                            .get(item)
                            .map(|i| i.display_name(lang).to_owned());
                        let alts = alternatives(index, item, lang);
                        notes.push(pick(
                            lang,
                            format!(
                                "{} está agotado hoy{}.",
                                name.clone().unwrap_or_default(),
                                if alts.is_empty() {
                                    String::new()
                                } else {
                                    format!("; te puedo ofrecer {}", alts.join(" o "))
                                }
                            ),
                            format!(
                                "{} is sold out today{}.",
                                name.unwrap_or_default(),
                                if alts.is_empty() {
                                    String::new()
                                } else {
                                    format!("; I can offer {}", alts.join(" or "))
                                }
                            ),
                        ));
                    }
                    Grounded::Unknown { name } => {
                        notes.push(not_on_menu(index, &name, message, lang));
                    }
                }
            }
            if reading.items.is_empty() && !resolved {
                notes.push(pick(
                    lang,
                    "No reconocí ningún plato de la carta en tu mensaje.",
                    "I didn't recognise any dish from our menu in your message.",
                ));
            }
            let (priced, dropped) = price_draft(index, draft);
            let mut text = notes.join(" ");
            for name in dropped {
                text.push_str(&pick(
                    lang,
                    format!(" Quité {name} de tu pedido: se agotó."),
                    format!(" I removed {name} from your order: it sold out."),
                ));
            }
            if priced.is_empty() {
                draft.awaiting = None;
                if text.is_empty() {
                    text = pick(
                        lang,
                        "¿Qué te gustaría pedir?",
                        "What would you like to order?",
                    );
                } else {
                    text.push_str(&pick(
                        lang,
                        " ¿Qué te gustaría pedir?",
                        " What would you like to order?",
                    ));
                }
            } else {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&summary(&priced, lang, draft.takeaway));
                if shop.is_open(now) == Some(false) {
                    text.push_str(&pick(
                        lang,
                        format!(" Ojo: ahora estamos cerrados ({}); el pedido quedará pendiente hasta que el local lo acepte.", shop.opening_today(now, lang)),
                        format!(" Note: we are closed right now ({}); the order will wait until the restaurant accepts it.", shop.opening_today(now, lang)),
                    ));
                }
                text.push(' ');
                text.push_str(&next_step(&priced, lang));
                draft.awaiting = Some(Awaiting::Order);
            }
            out.text = text;
        }
        Intent::OrderRemove => {
            out.firm = true;
            for grounded in understand::ground(index, &reading.items) {
                if let Grounded::Found(found) = grounded
                    && let Some(item) = index.items.get(found.item)
                {
                    let mut left = found.quantity;
                    for line in draft.lines.iter_mut().filter(|l| l.item_id == item.id) {
                        if found.explicit_quantity {
                            let take = left.min(line.quantity);
                            line.quantity -= take;
                            left -= take;
                        } else {
                            line.quantity = 0;
                        }
                    }
                    draft.lines.retain(|l| l.quantity > 0);
                }
            }
            let (priced, _) = price_draft(index, draft);
            out.text = if priced.is_empty() {
                draft.awaiting = None;
                pick(
                    lang,
                    "Listo, tu pedido quedó vacío. ¿Qué te gustaría pedir?",
                    "Done, your order is empty now. What would you like?",
                )
            } else {
                draft.awaiting = Some(Awaiting::Order);
                format!(
                    "{} {}",
                    summary(&priced, lang, draft.takeaway),
                    next_step(&priced, lang)
                )
            };
        }
        Intent::OrderCancel => {
            out.firm = true;
            let had = !draft.lines.is_empty() || draft.booking.is_some();
            *draft = Draft::default();
            out.text = if had {
                pick(
                    lang,
                    "Listo, cancelé lo que teníamos. ¿Te ayudo con algo más?",
                    "Done, I cancelled it. Anything else?",
                )
            } else {
                pick(
                    lang,
                    "No había nada pendiente. ¿Te ayudo con algo?",
                    "There was nothing pending. Can I help with anything?",
                )
            };
        }
        Intent::OrderConfirm => {
            out.firm = true;
            if draft.awaiting == Some(Awaiting::Booking) {
                return Step::Book(out);
            }
            // A "yes" while a booking is still being put together answers the booking
            // (what it still needs), never places an order proposed before it.
            if draft.awaiting.is_none() && draft.booking.is_some() {
                return Step::PlanBooking(out);
            }
            let (priced, _) = price_draft(index, draft);
            if draft.awaiting.is_none() && !priced.is_empty() {
                // Nothing was proposed since the last change: show the order and ask,
                // rather than sending what the diner may not have seen.
                draft.awaiting = Some(Awaiting::Order);
                out.text = format!(
                    "{} {}",
                    summary(&priced, lang, draft.takeaway),
                    next_step(&priced, lang)
                );
                return Step::Reply(out);
            }
            if priced.is_empty() {
                draft.awaiting = None;
                out.text = pick(
                    lang,
                    "Aún no tienes nada en tu pedido. ¿Qué te gustaría?",
                    "Your order is empty so far. What would you like?",
                );
            } else if priced.iter().any(|p| p.missing.is_some()) {
                out.text = next_step(&priced, lang);
            } else {
                match mode {
                    Mode::PlaceOrders => return Step::PlaceOrder(out, priced),
                    Mode::HandOver { .. } => {
                        draft.awaiting = None;
                        out.ready_to_order = true;
                        out.text = pick(
                            lang,
                            format!(
                                "¡Perfecto! {} Envío tu pedido al restaurante ahora.",
                                summary(&priced, lang, draft.takeaway)
                            ),
                            format!(
                                "Great! {} Sending your order to the restaurant now.",
                                summary(&priced, lang, draft.takeaway)
                            ),
                        );
                    }
                }
            }
        }
        Intent::ReservationRequest
            if matches!(
                mode,
                Mode::HandOver {
                    bookings: Bookings::Form,
                    ..
                }
            ) =>
        {
            out.firm = true;
            out.text = pick(
                lang,
                "Para reservar una mesa usa la pestaña «Reservar» de este chat: ahí ves los horarios libres.",
                "To book a table, use the \"Book\" tab of this chat: it shows the free times.",
            );
        }
        Intent::ReservationRequest
            if matches!(
                mode,
                Mode::HandOver {
                    bookings: Bookings::Unavailable,
                    ..
                }
            ) =>
        {
            out.firm = true;
            draft.booking = None;
            out.text = pick(
                lang,
                "En este momento no puedo ver las mesas libres: el restaurante está sin conexión. Escríbenos de nuevo en un rato para reservar por aquí, o llama al restaurante.",
                "I can't see the free tables right now: the restaurant is offline. Write again in a while to book here, or call the restaurant.",
            );
        }
        Intent::ReservationRequest => {
            out.firm = true;
            // The booking is the subject now: a later "yes" answers it, not an order
            // proposed before (the caller asks for the booking's confirmation itself).
            draft.awaiting = None;
            let booking = draft.booking.get_or_insert_with(BookingDraft::default);
            let today = now.to_zoned(shop.tz.clone()).date();
            if let Some(n) = reading.party_size {
                booking.party_size = Some(n);
            }
            if let Some(d) = reading.date.as_deref().and_then(|d| resolve_date(d, today)) {
                booking.date = Some(d.to_string());
            }
            if let Some(t) = reading.time.as_deref().and_then(resolve_time) {
                booking.time = Some(t);
            }
            if let Some(name) = reading.name.as_ref().or(draft.contact_name.as_ref()) {
                booking.name = Some(name.clone());
            }
            if let Some(phone) = reading.phone.as_ref().or(draft.contact_phone.as_ref()) {
                booking.phone = Some(phone.clone());
            }
            return Step::PlanBooking(out);
        }
        Intent::HoursQuestion => {
            out.firm = true;
            let Some(open) = shop.is_open(now) else {
                out.text = pick(
                    lang,
                    "No tengo a mano el horario de hoy; revísalo en la página del restaurante.",
                    "I don't have today's opening hours at hand; please check the restaurant's page.",
                );
                return Step::Reply(out);
            };
            out.text = pick(
                lang,
                format!(
                    "{}{}.",
                    capitalize(&shop.opening_today(now, lang)),
                    if open {
                        "; ahora estamos abiertos"
                    } else {
                        "; ahora estamos cerrados"
                    }
                ),
                format!(
                    "{}{}.",
                    capitalize(&shop.opening_today(now, lang)),
                    if open {
                        "; we are open now"
                    } else {
                        "; we are closed right now"
                    }
                ),
            );
        }
        Intent::MenuQuestion => {
            let found: Vec<_> = understand::ground(index, &reading.items);
            let mut parts = Vec::new();
            for g in found {
                let item = match g {
                    Grounded::Found(f) => index.items.get(f.item),
                    Grounded::SoldOut { item } => index.items.get(item),
                    Grounded::Unknown { name } => {
                        parts.push(not_on_menu(index, &name, message, lang));
                        None
                    }
                };
                if let Some(item) = item {
                    out.firm = true;
                    let mut line = format!("{}: {}", item.display_name(lang), item.price);
                    if let Some(d) = &item.description {
                        let _ = write!(line, " — {d}");
                    }
                    if !item.tags.is_empty() {
                        let _ = write!(line, " [{}]", item.tags.join(", "));
                    }
                    if !item.available {
                        line.push_str(&pick(lang, " (agotado hoy)", " (sold out today)"));
                    }
                    parts.push(line + ".");
                }
            }
            if parts.is_empty() && asks_total(&words) {
                out.firm = true;
                let (priced, _) = price_draft(index, draft);
                out.text = if priced.is_empty() {
                    pick(
                        lang,
                        "Aún no tienes nada en tu pedido. ¿Qué te gustaría?",
                        "Your order is empty so far. What would you like?",
                    )
                } else {
                    draft.awaiting = Some(Awaiting::Order);
                    format!(
                        "{} {}",
                        summary(&priced, lang, draft.takeaway),
                        next_step(&priced, lang)
                    )
                };
                return Step::Reply(out);
            }
            if parts.is_empty()
                && let Some(diet) = Diet::asked(&words)
            {
                out.firm = true;
                out.text = diet_answer(index, diet, mode, lang);
                return Step::Reply(out);
            }
            if parts.is_empty() && !index.items.iter().any(|i| i.available) {
                // Never "Nuestra carta — ." (issue 18): no dish to list is said so.
                out.firm = true;
                out.text = pick(
                    lang,
                    "Ahora no tengo platos disponibles en la carta para contarte. Puedes preguntarle al equipo del local.",
                    "I have no dishes available on the menu to tell you about right now. You can ask the restaurant's team.",
                );
                return Step::Reply(out);
            }
            if parts.is_empty() {
                let mut by_category: Vec<(String, Vec<String>)> = Vec::new();
                for item in index.items.iter().filter(|i| i.available) {
                    let category = match lang {
                        Lang::En => item
                            .category_en
                            .clone()
                            .unwrap_or_else(|| item.category.clone()),
                        Lang::Es => item.category.clone(),
                    };
                    let entry = format!("{} {}", item.display_name(lang), item.price);
                    match by_category.iter_mut().find(|(c, _)| *c == category) {
                        Some((_, list)) => list.push(entry),
                        None => by_category.push((category, vec![entry])),
                    }
                }
                let menu: Vec<String> = by_category
                    .into_iter()
                    .map(|(c, items)| format!("{c}: {}", items.join(", ")))
                    .collect();
                parts.push(pick(
                    lang,
                    format!("Nuestra carta — {}.", menu.join(". ")),
                    format!("Our menu — {}.", menu.join(". ")),
                ));
            }
            out.text = parts.join(" ");
        }
        Intent::Smalltalk => {
            let w = &words;
            let money = w.iter().any(|x| {
                matches!(
                    x.as_str(),
                    "gratis"
                        | "free"
                        | "descuento"
                        | "discount"
                        | "regalo"
                        | "cero"
                        | "zero"
                        | "instrucciones"
                        | "instructions"
                        | "ignora"
                        | "ignore"
                        | "prompt"
                        | "sistema"
                        | "system"
                )
            });
            let thanks = w
                .iter()
                .any(|x| matches!(x.as_str(), "gracias" | "thanks" | "thank"));
            let (priced, _) = price_draft(index, draft);
            out.text = if money {
                out.firm = true;
                pick(
                    lang,
                    "Los precios son los de nuestra carta y no puedo cambiarlos. ¿Qué te gustaría pedir?",
                    "Prices are those on our menu and I can't change them. What would you like to order?",
                )
            } else if introduced {
                let name = reading.name.as_deref().or(draft.contact_name.as_deref());
                let phone = reading.phone.as_deref();
                let greeting = match name {
                    Some(name) => pick(
                        lang,
                        format!("¡Gracias, {name}!"),
                        format!("Thank you, {name}!"),
                    ),
                    None => pick(lang, "¡Gracias!", "Thank you!"),
                };
                let noted = match phone {
                    Some(phone) => pick(
                        lang,
                        format!(" Anoté tu teléfono {phone} para tu pedido o reserva."),
                        format!(" I noted your phone {phone} for your order or booking."),
                    ),
                    None => pick(
                        lang,
                        " Lo anoté para tu pedido o reserva.",
                        " I noted it for your order or booking.",
                    ),
                };
                let ask = if priced.is_empty() {
                    pick(
                        lang,
                        " ¿Qué te gustaría pedir?",
                        " What would you like to order?",
                    )
                } else {
                    String::new()
                };
                format!("{greeting}{noted}{ask}")
            } else if thanks {
                pick(
                    lang,
                    "¡Gracias a ti! ¿Te ayudo con algo más?",
                    "Thank you! Anything else I can help with?",
                )
            } else {
                pick(
                    lang,
                    "¡Hola! Puedo tomar tu pedido, reservarte una mesa o contarte sobre la carta. ¿Qué te gustaría?",
                    "Hi! I can take your order, book you a table or tell you about the menu. What would you like?",
                )
            };
            if !priced.is_empty() {
                out.text.push(' ');
                out.text.push_str(&summary(&priced, lang, draft.takeaway));
                out.text.push(' ');
                out.text.push_str(&next_step(&priced, lang));
            }
        }
    }
    Step::Reply(out)
}

/// Upper-cases the first letter.
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The draft priced from the menu as the widget submits it, or `None` when empty. Lines
/// whose item left the menu are skipped; a line still missing a required choice shows its
/// base price.
pub fn chat_draft(index: &MenuIndex, draft: &Draft) -> Option<ChatDraft> {
    let mut clone = draft.clone();
    let (priced, _) = price_draft(index, &mut clone);
    if priced.is_empty() {
        return None;
    }
    let mut total = Clp::ZERO;
    let lines = priced
        .into_iter()
        .map(|p| {
            total = total.checked_add(p.line_total).unwrap_or(total);
            ChatDraftLine {
                item_id: p.line.item_id,
                name: p.name,
                quantity: p.line.quantity,
                unit_price: p.unit_price,
                line_total: p.line_total,
                options: p.line.options,
            }
        })
        .collect();
    Some(ChatDraft { lines, total })
}

/// Resolves a date as written (`today`, `tomorrow`, `+2`, a weekday, `D`, `D/M`,
/// `YYYY-MM-DD`) to the next such local day from `today`.
pub fn resolve_date(text: &str, today: jiff::civil::Date) -> Option<jiff::civil::Date> {
    use jiff::ToSpan;
    let text = text.trim().to_lowercase();
    if let Ok(date) = text.parse::<jiff::civil::Date>() {
        return Some(date);
    }
    match text.as_str() {
        "today" | "hoy" => return Some(today),
        "tomorrow" | "manana" | "mañana" => return today.checked_add(1.day()).ok(),
        "+2" => return today.checked_add(2.days()).ok(),
        _ => {}
    }
    let weekdays = [
        ("monday", jiff::civil::Weekday::Monday),
        ("tuesday", jiff::civil::Weekday::Tuesday),
        ("wednesday", jiff::civil::Weekday::Wednesday),
        ("thursday", jiff::civil::Weekday::Thursday),
        ("friday", jiff::civil::Weekday::Friday),
        ("saturday", jiff::civil::Weekday::Saturday),
        ("sunday", jiff::civil::Weekday::Sunday),
    ];
    if let Some((_, weekday)) = weekdays.iter().find(|(n, _)| *n == text) {
        let mut day = today;
        for _ in 0..7 {
            if day.weekday() == *weekday {
                return Some(day);
            }
            day = day.tomorrow().ok()?;
        }
    }
    let (d, m) = match text.split_once('/') {
        Some((d, m)) => (d.parse::<i8>().ok()?, Some(m.parse::<i8>().ok()?)),
        None => (text.parse::<i8>().ok()?, None),
    };
    let mut candidate = jiff::civil::Date::new(today.year(), m.unwrap_or(today.month()), d).ok()?;
    if candidate < today {
        candidate = match m {
            Some(_) => candidate.checked_add(1.year()).ok()?,
            None => candidate.checked_add(1.month()).ok()?,
        };
    }
    Some(candidate)
}

/// `HH:MM` from `HH:MM` or `H`.
pub fn resolve_time(text: &str) -> Option<String> {
    let text = text.trim();
    let (h, m) = text.split_once(':').unwrap_or((text, "0"));
    let (h, m) = (
        h.parse::<u8>().ok()?,
        m.get(..2).unwrap_or(m).parse::<u8>().ok()?,
    );
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// A dietary need a diner asks about ("¿tienen algo sin gluten?", "vegan options?").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Diet {
    GlutenFree,
    Vegan,
    Vegetarian,
}

impl Diet {
    /// The need the folded `words` ask about, the strictest first.
    fn asked(words: &[String]) -> Option<Diet> {
        let any = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
        if any(&[
            "gluten",
            "celiaco",
            "celiaca",
            "celiacos",
            "celiacas",
            "celiac",
            "glutenfree",
        ]) {
            Some(Diet::GlutenFree)
        } else if any(&["vegano", "vegana", "veganos", "veganas", "vegan", "vegans"]) {
            Some(Diet::Vegan)
        } else if any(&[
            "vegetariano",
            "vegetariana",
            "vegetarianos",
            "vegetarianas",
            "vegetarian",
            "vegetarians",
            "veggie",
        ]) {
            Some(Diet::Vegetarian)
        } else {
            None
        }
    }

    /// Whether the restaurant marked `item` so (its tags, or its description saying it).
    fn marks(self, item: &understand::IndexedItem) -> bool {
        fn folded(t: &str) -> String {
            text::fold(t).replace(['_', '-'], " ")
        }
        let mut said: Vec<String> = item.tags.iter().map(|t| folded(t)).collect();
        if let Some(d) = &item.description {
            said.push(folded(d));
        }
        said.iter().any(|t| match self {
            Diet::GlutenFree => {
                t.contains("sin gluten")
                    || t.contains("gluten free")
                    || t.contains("glutenfree")
                    || t.contains("celiac")
                    || t.contains("apto celiaco")
            }
            Diet::Vegan => t.contains("vegan"),
            Diet::Vegetarian => t.contains("vegetarian") || t.contains("vegan"),
        })
    }

    fn words(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Diet::GlutenFree, Lang::Es) => "sin gluten",
            (Diet::GlutenFree, Lang::En) => "gluten-free",
            (Diet::Vegan, Lang::Es) => "veganos",
            (Diet::Vegan, Lang::En) => "vegan",
            (Diet::Vegetarian, Lang::Es) => "vegetarianos",
            (Diet::Vegetarian, Lang::En) => "vegetarian",
        }
    }
}

/// The answer to a dietary question: the dishes the restaurant marked so, or, when it
/// marked none, that the menu does not say (never a guess, never an empty list), with
/// who can answer and the menu's sections.
fn diet_answer(index: &MenuIndex, diet: Diet, mode: Mode, lang: Lang) -> String {
    let marked: Vec<String> = index
        .items
        .iter()
        .filter(|i| i.available && diet.marks(i))
        .map(|i| format!("{} ({})", i.display_name(lang), i.price))
        .collect();
    let kind = diet.words(lang);
    if !marked.is_empty() {
        return pick(
            lang,
            format!(
                "Platos marcados como {kind} en nuestra carta: {}. Si tienes una alergia, confírmalo con el equipo al pedir.",
                marked.join(", ")
            ),
            format!(
                "Dishes marked {kind} on our menu: {}. If you have an allergy, please confirm it with the team when you order.",
                marked.join(", ")
            ),
        );
    }
    let ask = match mode {
        Mode::HandOver { staff: true, .. } => pick(
            lang,
            " Si quieres, escribe «hablar con una persona» y alguien del equipo te responde por aquí.",
            " If you like, write \"talk to someone\" and someone from the team will answer here.",
        ),
        _ => pick(
            lang,
            " Puedes preguntarle al equipo del local antes de pedir.",
            " You can ask the restaurant's team before you order.",
        ),
    };
    let mut sections: Vec<String> = Vec::new();
    for item in index.items.iter().filter(|i| i.available) {
        let section = match lang {
            Lang::En => item.category_en.as_deref().unwrap_or(&item.category),
            Lang::Es => &item.category,
        };
        if !sections.iter().any(|s| s == section) {
            sections.push(section.to_owned());
        }
    }
    let offer = if sections.is_empty() {
        String::new()
    } else {
        pick(
            lang,
            format!(" Nuestra carta tiene: {}.", sections.join(", ")),
            format!(" Our menu has: {}.", sections.join(", ")),
        )
    };
    pick(
        lang,
        format!(
            "No tengo ese dato: nuestra carta no marca platos {kind}, y prefiero no adivinar.{ask}{offer}"
        ),
        format!(
            "I don't know that: our menu marks no dishes as {kind}, and I'd rather not guess.{ask}{offer}"
        ),
    )
}
