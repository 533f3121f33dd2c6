//! The widget's chat (`POST /api/v1/public/{slug}/chat`): relayed to the restaurant's
//! appliance over the live channel when it is connected, answered here with the
//! deterministic parser on the synced menu when it is not (or does not answer in time).
//!
//! Relays and answers cross instances through Postgres: the relay is a `chat_relays` row
//! plus a `dysa_chat` notice naming it; any instance's device stream sends it to the
//! location's devices; the device posts its answer to any instance, which stores it and
//! notifies; the waiting instance reads it. The cloud's own answers keep the
//! conversation's draft in `chat_conversations` (bounded: see [`MAX_TURNS`] and
//! [`CONVERSATION_TTL_HOURS`]).

use crate::state::AppState;
pub use crate::store::chat::{
    CONVERSATION_TTL_HOURS, ChatLocation, ChatNotice, MAX_TURNS, NOTIFY_CHANNEL, ReplyError,
    find_location, insert_relay, open_relay, record_reply,
};
use crate::store::{self, StoreResult, Tx, owners};
use dysa_domain::assistant::draft::{self, Bookings, Draft, DraftLine, Mode, Shop, Step};
use dysa_domain::assistant::relay::{
    ChatBooking, ChatDraft, ChatRelay, ChatReply, MAX_DRAFT_LINES, MAX_REPLY_CHARS, RelayChannel,
};
use dysa_domain::assistant::text;
use dysa_domain::assistant::understand::{self, IndexedGroup, Intent, MenuIndex};
use dysa_domain::ids::{ItemId, LocationId, ModifierOptionId, TenantId};
use dysa_domain::money::Clp;
use dysa_domain::validate::Lang;
use serde::Deserialize;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

/// An option as the synced modifier group stores it.
#[derive(Deserialize)]
struct SyncedOption {
    id: Uuid,
    name: String,
    #[serde(default)]
    price_delta: i64,
    #[serde(default = "yes")]
    available: bool,
}

fn yes() -> bool {
    true
}

/// The location's synced menu prepared for matching: active categories' live items, in
/// menu order.
pub async fn menu_index(tx: &mut Tx, location: LocationId) -> StoreResult<MenuIndex> {
    let categories = owners::categories(tx, Some(location)).await?;
    let groups = owners::modifier_groups(tx, Some(location)).await?;
    let items = owners::items(tx, Some(location)).await?;
    let mut indexed = Vec::new();
    for category in categories.iter().filter(|c| c.active) {
        for item in items.iter().filter(|i| i.category_id == category.id) {
            let group_ids: Vec<Uuid> =
                serde_json::from_value(item.modifier_group_ids.clone()).unwrap_or_default();
            let item_groups = group_ids
                .iter()
                .filter_map(|id| groups.iter().find(|g| g.id == *id))
                .map(|g| IndexedGroup {
                    name: g.name.clone(),
                    min_choices: u8::try_from(g.min_choices.max(0)).unwrap_or(u8::MAX),
                    max_choices: u8::try_from(g.max_choices.max(0)).unwrap_or(u8::MAX),
                    options: serde_json::from_value::<Vec<SyncedOption>>(g.options.clone())
                        .unwrap_or_default()
                        .into_iter()
                        .map(|o| {
                            MenuIndex::option(
                                ModifierOptionId::from(o.id),
                                o.name,
                                Clp(o.price_delta),
                                o.available,
                            )
                        })
                        .collect(),
                })
                .collect();
            indexed.push(MenuIndex::item(
                ItemId::from(item.id),
                item.name.clone(),
                item.name_en.clone(),
                category.name.clone(),
                category.name_en.clone(),
                item.description.clone(),
                Clp(item.price),
                item.available,
                Vec::new(),
                item_groups,
            ));
        }
    }
    Ok(MenuIndex::new(indexed))
}

/// A diner's message, checked.
#[derive(Clone, Debug)]
pub struct Message {
    /// The widget's conversation, if it has one.
    pub conversation_id: Option<Uuid>,
    /// The text, trimmed, 1..=1000 characters.
    pub text: String,
    /// The language the widget asked for.
    pub language: Option<Lang>,
    /// Where the diner writes from.
    pub channel: RelayChannel,
}

/// Who answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnsweredBy {
    /// The restaurant's appliance.
    Restaurant,
    /// The cloud's deterministic parser.
    Cloud,
    /// Nobody yet: staff took the conversation over at the counter and answers in their
    /// own time (the reply is empty; staff's words arrive as staff messages).
    Staff,
}

/// The answer to the widget.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The conversation (new when the widget had none, or its old one expired).
    pub conversation_id: Uuid,
    /// The reply, plain text.
    pub reply: String,
    /// Who answered.
    pub answered_by: AnsweredBy,
    /// The draft after this message.
    pub draft: Option<ChatDraft>,
    /// The diner confirmed the draft.
    pub ready_to_order: bool,
    /// A booking the diner confirmed with the restaurant's assistant (WhatsApp only),
    /// for the caller to make.
    pub booking: Option<ChatBooking>,
}

/// Answers a diner's message for `location` of `tenant`: the restaurant if it is connected
/// and answers within the configured wait, else the cloud.
pub async fn answer(
    state: &AppState,
    tenant: TenantId,
    location: &ChatLocation,
    message: Message,
) -> StoreResult<Answer> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let keys = state.vault.keys(&mut tx).await?;
    let row = match message.conversation_id {
        Some(id) => store::chat::conversation(&mut tx, &keys, id).await?,
        None => None,
    };
    // A conversation of another location, expired or too long starts over under a new
    // id, so no state grows without bound.
    let usable = row
        .as_ref()
        .is_some_and(|r| r.location_id == location.id && !r.expired && r.turns < MAX_TURNS);
    let conversation_id = match (message.conversation_id, usable, &row) {
        (Some(id), true, _) => id,
        (Some(id), false, None) => id,
        _ => Uuid::now_v7(),
    };
    let (mut stored, turns) = match row.filter(|_| usable) {
        Some(r) => (
            (
                serde_json::from_value::<Draft>(r.draft).unwrap_or_default(),
                Some(store::chat::parse_lang(&r.language)),
            ),
            r.turns,
        ),
        None => ((Draft::default(), None), 0),
    };
    let lang = text::detect_language(&message.text)
        .or(message.language)
        .or(stored.1)
        .unwrap_or_default();
    let online = crate::presence::location_online(&mut tx, location.id).await?;
    let mut replies = state.live.subscribe_chat();
    let request_id = Uuid::now_v7();
    if online {
        insert_relay(
            &mut tx,
            &keys,
            location.id,
            &ChatRelay {
                request_id,
                conversation_id,
                message: message.text.clone(),
                language: message.language,
                channel: message.channel,
            },
        )
        .await?;
    }
    tx.commit().await?;

    if online {
        let wait = Duration::from_millis(state.settings.chat_relay_timeout_ms);
        // Whether the notice is heard or the wait runs out, the row decides (a notice
        // missed by a lagging receiver only costs the wait).
        let _ = tokio::time::timeout(wait, async {
            loop {
                match replies.recv().await {
                    Ok(ChatNotice::Reply {
                        tenant_id,
                        request_id: answered,
                    }) if tenant_id == tenant && answered == request_id => return,
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => std::future::pending::<()>().await,
                }
            }
        })
        .await;
        let mut tx = state.db.tenant_tx(tenant).await?;
        let reply = store::chat::close_relay(&mut tx, &keys, request_id).await?;
        if let Some(reply) = reply.and_then(sane) {
            if reply.held_by_staff {
                // The draft stays as it was: staff drives the order now.
                store::chat::save(
                    &mut tx,
                    &keys,
                    conversation_id,
                    location.id,
                    lang,
                    &stored.0,
                    turns,
                )
                .await?;
                tx.commit().await?;
                return Ok(Answer {
                    conversation_id,
                    reply: String::new(),
                    answered_by: AnsweredBy::Staff,
                    draft: None,
                    ready_to_order: false,
                    booking: None,
                });
            }
            // Keep the restaurant's draft, so a later message the cloud answers itself
            // continues the same order.
            let draft = reply
                .draft
                .as_ref()
                .map(|d| Draft {
                    lines: d
                        .lines
                        .iter()
                        .map(|l| DraftLine {
                            item_id: l.item_id,
                            quantity: l.quantity,
                            options: l.options.clone(),
                            notes: Vec::new(),
                        })
                        .collect(),
                    ..Draft::default()
                })
                .unwrap_or_default();
            store::chat::save(
                &mut tx,
                &keys,
                conversation_id,
                location.id,
                lang,
                &draft,
                turns,
            )
            .await?;
            tx.commit().await?;
            return Ok(Answer {
                conversation_id,
                reply: reply.reply,
                answered_by: AnsweredBy::Restaurant,
                draft: reply.draft,
                ready_to_order: reply.ready_to_order,
                // Only a WhatsApp diner books in the conversation; a widget has its form.
                booking: reply
                    .booking
                    .filter(|_| message.channel == RelayChannel::Whatsapp),
            });
        }
        tx.commit().await?;
        tracing::info!(%request_id, "the restaurant did not answer the chat in time; the cloud answers");
    }

    let mut tx = state.db.tenant_tx(tenant).await?;
    // Reread under a row lock: two messages of one conversation at once must not lose a
    // line of the draft.
    let locked = store::chat::lock_draft(&mut tx, &keys, conversation_id, location.id).await?;
    if let Some(value) = locked.filter(|_| turns > 0) {
        stored.0 = serde_json::from_value(value).unwrap_or_default();
    }
    let mut draft = stored.0;
    let index = menu_index(&mut tx, location.id).await?;
    let tz = jiff::tz::TimeZone::get(&location.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    // WhatsApp has no booking form, and the cloud cannot see the tables to plan one.
    let bookings = match message.channel {
        RelayChannel::Widget => Bookings::Form,
        RelayChannel::Whatsapp => Bookings::Unavailable,
    };
    let (reply, chat_draft, ready) = decide(&index, tz, &mut draft, &message.text, lang, bookings);
    store::chat::save(
        &mut tx,
        &keys,
        conversation_id,
        location.id,
        lang,
        &draft,
        turns,
    )
    .await?;
    tx.commit().await?;
    Ok(Answer {
        conversation_id,
        reply,
        answered_by: AnsweredBy::Cloud,
        draft: chat_draft,
        ready_to_order: ready,
        booking: None,
    })
}

/// The cloud's own answer: the deterministic parser and the shared rules, in the mode
/// where a "yes" hands the draft to the widget, and a booking goes as `bookings` says.
pub fn decide(
    index: &MenuIndex,
    tz: jiff::tz::TimeZone,
    draft: &mut Draft,
    message: &str,
    lang: Lang,
    bookings: Bookings,
) -> (String, Option<ChatDraft>, bool) {
    let reading = understand::parse(index, message, draft.awaiting.is_some());
    let intent = reading.intent.unwrap_or(Intent::Smalltalk);
    let shop = Shop {
        orders_enabled: true,
        hours: None,
        tz,
    };
    let step = draft::decide(
        index,
        &shop,
        Mode::HandOver {
            staff: false,
            bookings,
        },
        draft,
        &reading,
        intent,
        lang,
        message,
        jiff::Timestamp::now(),
    );
    // In hand-over mode nothing waits on a database: every step is a reply.
    let outcome = match step {
        Step::Reply(out) | Step::PlaceOrder(out, _) | Step::Book(out) | Step::PlanBooking(out) => {
            out
        }
    };
    let chat_draft = draft::chat_draft(index, draft);
    if outcome.ready_to_order {
        *draft = Draft::default();
    }
    (outcome.text, chat_draft, outcome.ready_to_order)
}

/// A restaurant's answer within bounds, else `None` (the cloud answers instead). Only a
/// conversation held by staff may come back without words.
fn sane(reply: ChatReply) -> Option<ChatReply> {
    let fits = (reply.held_by_staff || !reply.reply.trim().is_empty())
        && reply.reply.chars().count() <= MAX_REPLY_CHARS
        && reply
            .draft
            .as_ref()
            .is_none_or(|d| d.lines.len() <= MAX_DRAFT_LINES);
    fits.then_some(reply)
}
