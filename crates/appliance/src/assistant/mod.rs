//! The assistant: a chat that takes orders and bookings in Spanish and English.
//!
//! The model understands; the code decides. Each turn the menu and the restaurant's
//! settings are read from the database; the model (when it answers in time) gives a
//! structured [`understand::Reading`], otherwise the deterministic
//! [`understand::parse`] does. Every dish is grounded against the live menu, priced by
//! the domain rules, kept in the conversation's draft and only turned into an order
//! (channel `chat`, through [`crate::ordering::create`]) or a booking (through
//! [`crate::reservations::create`]) after the diner confirms. Relayed conversations
//! (widget, WhatsApp) hand the confirmed order, and on WhatsApp the confirmed booking, to
//! the cloud instead ([`answer_relay`]).

mod booking;
pub mod ollama;
mod prompts;
pub use dysa_domain::assistant::{text, understand};

use crate::events::EventBus;
use crate::events::EventKind;
use crate::ordering::{self, NewLine, NewOrder, OrderError};
use crate::reservations::{self, NewReservation, ReservationError};
use crate::restaurant::RestaurantSettings;
use crate::restaurant::SettingsCache;
use crate::settings::Settings;
use crate::store::conversations::{
    self as store, Conversation, ConversationChannel, ConversationStatus, MessageRole,
};
use crate::store::writer::Writer;
use crate::store::{Db, StoreError};
use booking::{book, hand_over_booking, plan_booking};
use dysa_domain::assistant::draft::{self, Priced, Step, pick};
use dysa_domain::assistant::guard;
use dysa_domain::assistant::relay::{ChatBooking, ChatDraft, ChatRelay, ChatReply, RelayChannel};
use dysa_domain::ids::{ConversationId, ItemId, OrderId, ReservationId};
use dysa_domain::money::Clp;
use dysa_domain::order::{Channel, TotalsLine, order_totals};
use dysa_domain::validate::{FieldErrors, Lang};
use ollama::{LlmError, OllamaLink};
use ollama_rs::generation::chat::ChatMessage;
pub use prompts::{fallback_reading, reply_prompt, understanding_prompt};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use tokio::sync::mpsc;
use understand::{IndexedGroup, Intent, MenuIndex, Reading};

/// What the assistant works with: the database and its writer, live events, the outbound
/// HTTP client (Ollama), the settings, the restaurant's settings and the order desk. Not
/// the whole application state, so the state and the sync loop can hold it without a
/// cycle. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Assistant {
    /// The database.
    pub db: Db,
    /// Group-committed writes (bookings).
    pub writer: Writer,
    /// Live events for open panels.
    pub events: EventBus,
    /// Outbound HTTP (Ollama).
    pub http: reqwest::Client,
    /// The loaded configuration (Ollama's address and model).
    pub settings: std::sync::Arc<Settings>,
    /// Restaurant settings kept in memory between changes.
    pub restaurant: std::sync::Arc<SettingsCache>,
    /// Where chat orders are created, like the counter's.
    pub orders: ordering::OrderDesk,
    /// One model turn at a time, with a bounded line (Ollama serves one on a counter PC).
    pub gate: std::sync::Arc<ModelGate>,
}

/// The line for the model: one turn holds it at a time, at most `max_waiting` more wait
/// (each no longer than its own deadline), and a turn over the bound is told at once to
/// answer without the model, so a long generation never starves the widget's relayed
/// chats or the panel's.
#[derive(Debug)]
pub struct ModelGate {
    slot: tokio::sync::Semaphore,
    in_line: std::sync::atomic::AtomicUsize,
    max_waiting: usize,
}

/// A turn's hold on the model; leaving the line when dropped.
#[derive(Debug)]
pub struct ModelTurn<'a> {
    gate: &'a ModelGate,
    _permit: tokio::sync::SemaphorePermit<'a>,
}

impl Drop for ModelTurn<'_> {
    fn drop(&mut self) {
        self.gate
            .in_line
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl ModelGate {
    /// A free gate letting `max_waiting` turns wait behind the one using the model.
    pub fn new(max_waiting: usize) -> ModelGate {
        ModelGate {
            slot: tokio::sync::Semaphore::new(1),
            in_line: std::sync::atomic::AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// Waits for the model until `deadline`; `None` when the line is full or the wait
    /// would pass the deadline.
    pub async fn enter(&self, deadline: tokio::time::Instant) -> Option<ModelTurn<'_>> {
        use std::sync::atomic::Ordering;
        let ahead = self.in_line.fetch_add(1, Ordering::SeqCst);
        if ahead > self.max_waiting {
            self.in_line.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        match tokio::time::timeout_at(deadline, self.slot.acquire()).await {
            Ok(Ok(permit)) => Some(ModelTurn {
                gate: self,
                _permit: permit,
            }),
            _ => {
                self.in_line.fetch_sub(1, Ordering::SeqCst);
                None
            }
        }
    }
}

/// Longest message accepted, in characters.
pub const MAX_TEXT: usize = 2000;

/// Why a turn could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum AssistantError {
    /// No such conversation.
    #[error("conversation not found")]
    NotFound,
    /// The conversation is closed.
    #[error("conversation closed")]
    Closed,
    /// The input is invalid.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AssistantError {
    fn from(error: sqlx::Error) -> Self {
        AssistantError::Store(StoreError::Sqlx(error))
    }
}

/// What streams to the client during a turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TurnEvent {
    /// A piece of the reply.
    Token(String),
    /// Forget the pieces sent so far: the model failed mid-answer and the reply that
    /// follows replaces them.
    Reset,
}

/// Who understood the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The language model.
    Model,
    /// The deterministic parser (no model, model missing, slow or wrong).
    Fallback,
    /// Nobody: staff wrote, or staff has the conversation.
    None,
}

/// The reply text.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReplyText {
    /// What the assistant says.
    pub text: String,
}

/// A line of the draft as the diner sees it.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DraftLineView {
    /// The menu item.
    pub item_id: ItemId,
    /// Its name.
    pub name: String,
    /// How many.
    pub quantity: u32,
    /// Chosen options and kitchen requests ("Catedral", "sin mayo").
    pub modifiers: Vec<String>,
    /// Unit price from the menu, options included.
    pub unit_price: Clp,
    /// `unit_price × quantity`.
    pub line_total: Clp,
}

/// The draft order as the diner sees it, priced by the server.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DraftView {
    /// The lines.
    pub lines: Vec<DraftLineView>,
    /// What the order will cost (IVA included), from the domain rules.
    pub total: Clp,
}

/// The answer to a message.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TurnReply {
    /// The reply, or null when the assistant stays quiet (staff has the chat).
    pub reply: Option<ReplyText>,
    /// How the message was read.
    pub intent: Option<Intent>,
    /// The draft order after this turn, or null when empty.
    pub draft: Option<DraftView>,
    /// The order created by this turn.
    pub order_id: Option<OrderId>,
    /// The booking created by this turn.
    pub reservation_id: Option<ReservationId>,
    /// Who understood the message.
    pub source: Source,
    /// The conversation's language.
    pub language: Lang,
}

pub use dysa_domain::assistant::draft::{
    Awaiting, BookingDraft, Bookings, Draft, DraftLine, Mode, resolve_date, resolve_time,
};

/// Reads the live menu as the assistant matches it: active categories, live items.
pub async fn load_index(db: &Db) -> Result<MenuIndex, StoreError> {
    let snapshot = crate::store::menu::snapshot(&db.read).await?;
    Ok(index_from_tree(&crate::menu::build_tree(&snapshot)))
}

/// The index of a menu tree (what `GET /menu` shows).
pub fn index_from_tree(tree: &crate::menu::MenuTree) -> MenuIndex {
    let mut items = Vec::new();
    for category in &tree.categories {
        for item in &category.items {
            items.push(MenuIndex::item(
                item.id,
                item.name.clone(),
                item.name_en.clone(),
                category.name.clone(),
                category.name_en.clone(),
                item.description.clone(),
                item.price,
                item.available,
                item.tags.clone(),
                item.modifier_groups
                    .iter()
                    .map(|g| IndexedGroup {
                        name: g.name.clone(),
                        min_choices: g.min_choices,
                        max_choices: g.max_choices,
                        options: g
                            .options
                            .iter()
                            .map(|o| {
                                MenuIndex::option(o.id, o.name.clone(), o.price_delta, o.available)
                            })
                            .collect(),
                    })
                    .collect(),
            ));
        }
    }
    MenuIndex::new(items)
}

/// Checks a message's text.
pub fn check_text(text: &str) -> Result<String, AssistantError> {
    let mut errors = FieldErrors::new();
    errors.text("text", text, MAX_TEXT);
    errors.into_result().map_err(AssistantError::Invalid)?;
    Ok(text.trim().to_owned())
}

/// Stores a message and says whether the assistant should answer it.
pub async fn receive(
    state: &Assistant,
    id: ConversationId,
    text: &str,
    role: MessageRole,
) -> Result<(Conversation, bool), AssistantError> {
    let text = check_text(text)?;
    let conversation = store::find(&state.db.read, id)
        .await?
        .ok_or(AssistantError::NotFound)?;
    if conversation.status == ConversationStatus::Closed {
        return Err(AssistantError::Closed);
    }
    let answers = role == MessageRole::Diner && conversation.status == ConversationStatus::Open;
    if !answers {
        store::add_message(&state.db, id, role, &text, None).await?;
    }
    Ok((conversation, answers))
}

/// The answer when the assistant stays quiet.
pub fn quiet(conversation: &Conversation) -> TurnReply {
    TurnReply {
        reply: None,
        intent: None,
        draft: None,
        order_id: None,
        reservation_id: None,
        source: Source::None,
        language: conversation.language,
    }
}

async fn send(sink: Option<&mpsc::Sender<TurnEvent>>, event: TurnEvent) {
    if let Some(sink) = sink {
        // A client that went away does not stop the turn: the reply is still stored.
        let _ = sink.send(event).await;
    }
}

async fn send_text(sink: Option<&mpsc::Sender<TurnEvent>>, text: &str) {
    if sink.is_none() {
        return;
    }
    let mut piece = String::new();
    for c in text.chars() {
        piece.push(c);
        if c == ' ' {
            send(sink, TurnEvent::Token(std::mem::take(&mut piece))).await;
        }
    }
    if !piece.is_empty() {
        send(sink, TurnEvent::Token(piece)).await;
    }
}

/// Answers a diner's message: understands it (model or fallback), acts on it, streams
/// the reply to `sink` if given, and stores the message, the reply and the draft.
pub async fn answer(
    state: &Assistant,
    conversation: Conversation,
    text: &str,
    sink: Option<mpsc::Sender<TurnEvent>>,
) -> Result<TurnReply, AssistantError> {
    Ok(
        take_turn(state, conversation, text, sink, Mode::PlaceOrders)
            .await?
            .reply,
    )
}

/// A turn taken for a diner of the widget.
#[derive(Clone, Debug)]
pub struct WidgetTurn {
    /// The reply as the counter's chat shows it.
    pub reply: TurnReply,
    /// The draft as the widget submits it (the confirmed one when `ready_to_order`).
    pub draft: Option<ChatDraft>,
    /// The diner confirmed the draft: the widget submits it (the assistant does not
    /// create the order) and the conversation starts a new draft.
    pub ready_to_order: bool,
    /// A WhatsApp diner confirmed this booking: the cloud makes it (nothing was written
    /// here).
    pub booking: Option<ChatBooking>,
}

/// Answers a widget or WhatsApp diner's message relayed by the cloud: like [`answer`],
/// but a "yes" hands the draft to the cloud instead of creating the order, and bookings
/// go as `bookings` says (the widget's form; on WhatsApp, gathered here and handed over).
pub async fn answer_widget(
    state: &Assistant,
    conversation: Conversation,
    text: &str,
    bookings: Bookings,
) -> Result<WidgetTurn, AssistantError> {
    take_turn(
        state,
        conversation,
        text,
        None,
        Mode::HandOver {
            staff: true,
            bookings,
        },
    )
    .await
}

/// Answers a diner's message relayed by the cloud (`event: chat`) from the widget or
/// WhatsApp, in the conversation of the same id and channel. A reply `held_by_staff` (and empty) while staff
/// has taken the conversation over: the diner waits for staff, not for a bot. `None` when
/// the conversation is closed or the id names a chat of another channel: the cloud then
/// answers the diner itself.
pub async fn answer_relay(
    state: &Assistant,
    relay: &ChatRelay,
) -> Result<Option<ChatReply>, AssistantError> {
    let channel = match relay.channel {
        RelayChannel::Widget => ConversationChannel::Widget,
        RelayChannel::Whatsapp => ConversationChannel::Whatsapp,
    };
    let conversation = store::open_relayed(
        &state.db,
        ConversationId::from(relay.conversation_id),
        channel,
        relay.language.unwrap_or_default(),
    )
    .await?;
    if conversation.channel != channel {
        return Ok(None);
    }
    let (conversation, answers) =
        match receive(state, conversation.id, &relay.message, MessageRole::Diner).await {
            Ok(received) => received,
            Err(AssistantError::Closed) => return Ok(None),
            Err(other) => return Err(other),
        };
    if !answers {
        // Staff has the conversation: say so, or the cloud would answer with its parser
        // over staff's head. Their replies travel on their own (`chat-messages`).
        return Ok(
            (conversation.status == ConversationStatus::Handoff).then(|| ChatReply {
                reply: String::new(),
                draft: None,
                ready_to_order: false,
                held_by_staff: true,
                booking: None,
            }),
        );
    }
    // WhatsApp has no booking form: the booking is gathered in the conversation.
    let bookings = match relay.channel {
        RelayChannel::Widget => Bookings::Form,
        RelayChannel::Whatsapp => Bookings::InChat,
    };
    let turn = answer_widget(state, conversation, &relay.message, bookings).await?;
    let Some(reply) = turn.reply.reply else {
        return Ok(None);
    };
    Ok(Some(ChatReply {
        reply: reply.text,
        draft: turn.draft,
        ready_to_order: turn.ready_to_order,
        held_by_staff: false,
        booking: turn.booking,
    }))
}

async fn take_turn(
    state: &Assistant,
    conversation: Conversation,
    text: &str,
    sink: Option<mpsc::Sender<TurnEvent>>,
    mode: Mode,
) -> Result<WidgetTurn, AssistantError> {
    let text = check_text(text)?;
    let index = load_index(&state.db).await?;
    let settings = state.restaurant.get(&state.db.read).await?;
    let mut draft: Draft = serde_json::from_value(conversation.draft.clone()).unwrap_or_default();
    let lang = text::detect_language(&text).unwrap_or(conversation.language);
    let history = store::messages(&state.db.read, conversation.id, 8).await?;
    store::add_message(&state.db, conversation.id, MessageRole::Diner, &text, None).await?;
    let link = OllamaLink::new(&state.settings, state.http.clone());
    let now = jiff::Timestamp::now();
    let budget = match mode {
        Mode::HandOver { .. } => state.settings.assistant_relay_deadline(),
        Mode::PlaceOrders => state.settings.assistant_turn_deadline(),
    };
    let deadline = tokio::time::Instant::now() + budget;
    let awaiting = draft.awaiting.is_some();
    // The parser's reading comes first: it is the answer whenever the model is late,
    // busy or wrong, and its dishes are kept whatever the model says.
    let parsed = understand::parse(&index, &text, awaiting);
    let reading_started = std::time::Instant::now();
    let model_turn = state.gate.enter(deadline).await;
    let (reading, source) = match &model_turn {
        None => {
            tracing::info!("model busy or past the deadline; the parser answers");
            (parsed.clone(), Source::Fallback)
        }
        Some(_) => {
            let prompt = understanding_prompt(&settings, &index, &draft, now);
            let messages = conversation_messages(prompt, &history, &text);
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match link.understand(messages, left).await {
                Ok(model) => (guard::reconcile(&index, &parsed, model), Source::Model),
                Err(error) => {
                    tracing::info!(%error, "assistant falls back to the deterministic parser");
                    (parsed.clone(), Source::Fallback)
                }
            }
        }
    };
    dysa_web::metrics::model_turn(reading_started.elapsed(), source == Source::Fallback);
    let intent = reading.intent.unwrap_or(Intent::Smalltalk);
    let outcome = decide(
        state, &index, &settings, mode, &mut draft, &reading, intent, lang, &text, now,
    )
    .await?;
    let intent = outcome.intent.unwrap_or(intent);
    let mut reply = outcome.text.clone();
    let free_text = matches!(intent, Intent::Smalltalk | Intent::MenuQuestion)
        && source == Source::Model
        && model_turn.is_some()
        && outcome.order_id.is_none()
        && outcome.reservation_id.is_none()
        && !outcome.firm;
    let mut streamed = false;
    if free_text {
        let prompt = reply_prompt(&settings, &index, &draft, lang, now);
        let messages = conversation_messages(prompt, &history, &text);
        let view = draft_view(state, &index, &draft).await?;
        let mut known = guard::Known::from_menu(&index);
        if let Some(view) = &view {
            known.pesos.insert(view.total.pesos());
            for line in &view.lines {
                known.pesos.insert(line.unit_price.pesos());
                known.pesos.insert(line.line_total.pesos());
            }
        }
        known.times_from(&shop(&settings).opening_today(now, lang));
        let checker = guard::ReplyGuard::new(known, guard::MAX_REPLY_CHARS);
        match stream_model(&link, messages, deadline, checker, sink.as_ref()).await {
            Ok(text) if !text.trim().is_empty() => {
                reply = text;
                streamed = true;
            }
            Ok(_) => {}
            Err((error, sent_any)) => {
                tracing::info!(%error, "model reply not used; answering with the code's reply");
                if sent_any {
                    send(sink.as_ref(), TurnEvent::Reset).await;
                }
            }
        }
    }
    drop(model_turn);
    if !streamed {
        send_text(sink.as_ref(), &reply).await;
    }
    let view = draft_view(state, &index, &draft).await?;
    let chat_draft = draft::chat_draft(&index, &draft);
    if outcome.ready_to_order {
        // The widget submits this draft itself; the next message starts a new one.
        draft = Draft::default();
    }
    let record = serde_json::json!({
        "intent": intent,
        "source": source,
        "order_id": outcome.order_id,
        "reservation_id": outcome.reservation_id,
    });
    if !draft.lines.is_empty() && draft.order_id.is_none() {
        draft.order_id = Some(dysa_domain::ids::OrderId::new());
    }
    store::finish_turn(
        &state.db,
        conversation.id,
        &reply,
        &record,
        &serde_json::to_value(&draft).map_err(StoreError::from)?,
        lang,
        outcome.handoff,
    )
    .await?;
    let reply = TurnReply {
        reply: Some(ReplyText { text: reply }),
        intent: Some(intent),
        draft: view,
        order_id: outcome.order_id,
        reservation_id: outcome.reservation_id,
        source,
        language: lang,
    };
    Ok(WidgetTurn {
        reply,
        draft: chat_draft,
        ready_to_order: outcome.ready_to_order,
        booking: outcome.booking,
    })
}

/// The system prompt, the recent messages and the diner's new one.
fn conversation_messages(
    prompt: String,
    history: &[store::Message],
    text: &str,
) -> Vec<ChatMessage> {
    let mut messages = vec![ChatMessage::system(prompt)];
    for message in history {
        messages.push(match message.role {
            MessageRole::Diner => ChatMessage::user(message.text.clone()),
            _ => ChatMessage::assistant(message.text.clone()),
        });
    }
    messages.push(ChatMessage::user(text.to_owned()));
    messages
}

/// Why a model's free-text reply was not used.
#[derive(Debug, thiserror::Error)]
enum ReplyError {
    #[error(transparent)]
    Model(#[from] LlmError),
    #[error(transparent)]
    Invented(#[from] guard::Invented),
}

/// Streams the model's reply to the sink through the guard (invented amounts and times
/// never pass; the text stops at a chat message's length) until the turn's deadline;
/// returns the reply as shown, or the failure and whether pieces were sent.
async fn stream_model(
    link: &OllamaLink,
    messages: Vec<ChatMessage>,
    deadline: tokio::time::Instant,
    mut checker: guard::ReplyGuard,
    sink: Option<&mpsc::Sender<TurnEvent>>,
) -> Result<String, (ReplyError, bool)> {
    use futures::StreamExt;
    let mut stream = link
        .stream_reply(messages, deadline)
        .await
        .map_err(|e| (e.into(), false))?;
    let mut sent_any = false;
    while let Some(piece) = stream.next().await {
        let piece = piece.map_err(|e| (e.into(), sent_any))?;
        match checker.push(&piece).map_err(|e| (e.into(), sent_any))? {
            guard::Pass::Send(text) => {
                if !text.is_empty() {
                    sent_any = true;
                    send(sink, TurnEvent::Token(text)).await;
                }
            }
            // Dropping the stream closes the connection: Ollama stops generating.
            guard::Pass::Full => break,
        }
    }
    drop(stream);
    let checked = checker.finish().map_err(|e| (e.into(), sent_any))?;
    if checked.resend {
        send(sink, TurnEvent::Reset).await;
    }
    send_text(sink, &checked.rest).await;
    Ok(checked.text)
}

/// What a turn did.
#[derive(Debug, Default)]
struct Outcome {
    text: String,
    order_id: Option<OrderId>,
    reservation_id: Option<ReservationId>,
    handoff: bool,
    /// The reply carries facts the code decided (prices, refusals): never rephrased.
    firm: bool,
    /// The intent acted on (a bare "sí" while booking is a booking step).
    intent: Option<Intent>,
    /// The diner confirmed a complete draft that the widget submits itself.
    ready_to_order: bool,
    /// A WhatsApp diner confirmed this booking: the cloud makes it.
    booking: Option<ChatBooking>,
}

impl From<draft::Outcome> for Outcome {
    fn from(decided: draft::Outcome) -> Self {
        Outcome {
            text: decided.text,
            order_id: None,
            reservation_id: None,
            handoff: decided.handoff,
            firm: decided.firm,
            intent: decided.intent,
            ready_to_order: decided.ready_to_order,
            booking: None,
        }
    }
}

/// The draft as the client sees it: every line priced with the domain rules
/// ([`crate::store::menu::PricingItem::price`]) and totalled with `order_totals`.
async fn draft_view(
    state: &Assistant,
    index: &MenuIndex,
    draft: &Draft,
) -> Result<Option<DraftView>, StoreError> {
    if draft.lines.is_empty() {
        return Ok(None);
    }
    let ids: Vec<ItemId> = draft.lines.iter().map(|l| l.item_id).collect();
    let items = crate::store::menu::items_for_pricing(&state.db.read, &ids).await?;
    let settings = crate::restaurant::load(&state.db.read).await?;
    let mut lines = Vec::new();
    let mut totals = Vec::new();
    for line in &draft.lines {
        let Some(item) = items.get(&line.item_id) else {
            continue;
        };
        let display = index.items.iter().find(|i| i.id == line.item_id);
        let mut modifiers: Vec<String> = display
            .map(|d| {
                d.groups
                    .iter()
                    .flat_map(|g| &g.options)
                    .filter(|o| line.options.contains(&o.id))
                    .map(|o| o.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        modifiers.extend(line.notes.iter().cloned());
        // A line still missing a required choice is shown at its base price.
        let (unit, total) = match item.price(&line.options, line.quantity) {
            Ok(priced) => (priced.unit_price, priced.line_total),
            Err(_) => (
                item.price,
                item.price.checked_mul(line.quantity).unwrap_or(item.price),
            ),
        };
        totals.push(TotalsLine {
            unit_price: unit,
            quantity: line.quantity,
            voided: false,
        });
        lines.push(DraftLineView {
            item_id: line.item_id,
            name: item.name.clone(),
            quantity: line.quantity,
            modifiers,
            unit_price: unit,
            line_total: total,
        });
    }
    let total = order_totals(&totals, Clp::ZERO, Clp::ZERO, settings.tax_rate())
        .map(|t| t.total)
        .unwrap_or(Clp::ZERO);
    Ok(Some(DraftView { lines, total }))
}

/// What the shared replies need to know about the restaurant.
fn shop(settings: &RestaurantSettings) -> draft::Shop<'_> {
    draft::Shop {
        orders_enabled: settings.online_orders_enabled,
        hours: Some(&settings.opening_hours),
        tz: settings.tz(),
    }
}

/// Applies the understood message to the draft and decides the reply.
#[allow(clippy::too_many_arguments)]
async fn decide(
    state: &Assistant,
    index: &MenuIndex,
    settings: &RestaurantSettings,
    mode: Mode,
    draft: &mut Draft,
    reading: &Reading,
    intent: Intent,
    lang: Lang,
    message: &str,
    now: jiff::Timestamp,
) -> Result<Outcome, AssistantError> {
    let shop = shop(settings);
    match draft::decide(
        index, &shop, mode, draft, reading, intent, lang, message, now,
    ) {
        Step::Reply(out) => Ok(out.into()),
        Step::PlaceOrder(out, priced) => place_order(state, draft, &priced, lang, out.into()).await,
        Step::Book(out) => match mode {
            Mode::HandOver { .. } => {
                hand_over_booking(state, settings, draft, lang, out.into()).await
            }
            Mode::PlaceOrders => book(state, settings, draft, lang, out.into()).await,
        },
        Step::PlanBooking(out) => {
            let mut out: Outcome = out.into();
            out.text = plan_booking(state, settings, draft, lang).await?;
            Ok(out)
        }
    }
}

/// The order's note: take-away and who the diner said they are, so the counter can call
/// out the name and phone without asking again.
fn order_note(draft: &Draft) -> Option<String> {
    let parts: Vec<String> = [
        draft.takeaway.then(|| "Para llevar".to_owned()),
        draft.contact(),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

async fn place_order(
    state: &Assistant,
    draft: &mut Draft,
    priced: &[Priced],
    lang: Lang,
    mut out: Outcome,
) -> Result<Outcome, AssistantError> {
    let lines: Vec<NewLine> = priced
        .iter()
        .map(|p| NewLine {
            item_id: p.line.item_id,
            quantity: p.line.quantity,
            modifiers: p.line.options.clone(),
            note: (!p.line.notes.is_empty()).then(|| p.line.notes.join(", ")),
            course: None,
            seat: None,
        })
        .collect();
    let order_id = *draft
        .order_id
        .get_or_insert_with(dysa_domain::ids::OrderId::new);
    let order = NewOrder {
        id: Some(order_id),
        channel: Channel::Chat,
        lines,
        customer_id: None,
        table_id: None,
        discount: None,
        tip: None,
        note: order_note(draft),
    };
    match ordering::create(&state.orders, None, order, Some(format!("chat-{order_id}"))).await {
        Ok(created) => {
            out.order_id = Some(created.order.id);
            out.text = pick(
                lang,
                format!(
                    "¡Listo! Tu pedido N° {} quedó ingresado por {}. Te avisamos cuando el local lo acepte.",
                    dysa_domain::numbering::label(created.order.number),
                    created.order.total
                ),
                format!(
                    "Done! Your order #{} is in, for {}. We'll let you know when the restaurant accepts it.",
                    dysa_domain::numbering::label(created.order.number),
                    created.order.total
                ),
            );
            *draft = Draft::default();
        }
        Err(OrderError::Invalid(_)) => {
            draft.awaiting = None;
            out.text = pick(
                lang,
                "No pude ingresar el pedido: algo de la carta cambió (un plato u opción se agotó). Revisa tu pedido, por favor.",
                "I couldn't place the order: something on the menu changed (a dish or option sold out). Please check your order.",
            );
        }
        Err(OrderError::Store(error)) => return Err(AssistantError::Store(error)),
        Err(other) => {
            tracing::warn!(error = %other, "chat order refused");
            out.text = pick(
                lang,
                "No pude ingresar el pedido; intenta de nuevo.",
                "I couldn't place the order; please try again.",
            );
        }
    }
    Ok(out)
}

/// How often the counter looks for conversations past their retention.
const RETENTION_SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(6 * 60 * 60);

/// Forgets conversations silent for longer than the privacy page states
/// (`CONVERSATION_RETENTION_DAYS`), at start and every six hours, until the database
/// closes. The cloud prunes its copy on its own (`dysa-cloud`'s retention sweep).
pub fn spawn_retention(db: Db) {
    use dysa_domain::sync::rows::chat::CONVERSATION_RETENTION_DAYS;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(RETENTION_SWEEP_EVERY);
        loop {
            tick.tick().await;
            if db.write.is_closed() {
                break;
            }
            let keep =
                jiff::SignedDuration::from_hours(24 * i64::from(CONVERSATION_RETENTION_DAYS));
            let Ok(before) = jiff::Timestamp::now().checked_sub(keep) else {
                continue;
            };
            match store::prune(&db, &crate::store::instant_text(before)).await {
                Ok(0) => {}
                Ok(gone) => tracing::info!(gone, "conversations past their retention forgotten"),
                Err(error) => tracing::warn!(%error, "conversation retention sweep failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn the_line_for_the_model_is_bounded_and_each_wait_ends_at_its_deadline() {
        let gate = ModelGate::new(1);
        let soon = || tokio::time::Instant::now() + Duration::from_millis(200);
        let first = gate.enter(soon()).await.expect("a free model");
        // One may wait: it gives up at its deadline while the first holds the model.
        let started = std::time::Instant::now();
        assert!(gate.enter(soon()).await.is_none());
        assert!(started.elapsed() >= Duration::from_millis(150));
        // With one waiting, the next is over the bound and told at once.
        let waiting = gate.enter(tokio::time::Instant::now() + Duration::from_secs(5));
        tokio::pin!(waiting);
        assert!(
            tokio::time::timeout(Duration::from_millis(50), &mut waiting)
                .await
                .is_err()
        );
        let started = std::time::Instant::now();
        assert!(gate.enter(soon()).await.is_none());
        assert!(started.elapsed() < Duration::from_millis(50));
        // When the first is done, the waiting one gets the model.
        drop(first);
        assert!(waiting.await.is_some());
    }
}
