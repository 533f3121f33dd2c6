//! Wire types of a widget chat relayed by the cloud to a restaurant's appliance over the
//! live channel (`event: chat` on the device stream), and of the appliance's answer
//! (`POST /api/v1/sync/chat-replies/{request_id}`). The same draft shape is what the
//! public chat route answers the widget.

use crate::ids::{ItemId, ModifierOptionId};
use crate::money::Clp;
use crate::validate::Lang;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A diner's message sent to the restaurant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChatRelay {
    /// Names the answer: the appliance posts its reply under this id.
    pub request_id: Uuid,
    /// The widget's conversation (the appliance keeps the same id).
    pub conversation_id: Uuid,
    /// What the diner wrote, as plain text.
    pub message: String,
    /// The language the widget asked for, if any.
    #[serde(default)]
    pub language: Option<Lang>,
    /// Where the diner writes from (the widget unless said).
    #[serde(default)]
    pub channel: RelayChannel,
}

/// Where a relayed diner writes from: the appliance keeps each channel's conversations
/// apart (and shows the channel on the Conversations page).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RelayChannel {
    /// The website widget.
    #[default]
    Widget,
    /// WhatsApp (the restaurant's linked number, through the Cloud API).
    Whatsapp,
}

impl RelayChannel {
    /// The stored name (`widget`, `whatsapp`).
    pub fn as_str(self) -> &'static str {
        match self {
            RelayChannel::Widget => "widget",
            RelayChannel::Whatsapp => "whatsapp",
        }
    }

    /// The channel of a stored name (the widget for anything unknown).
    pub fn parse(text: &str) -> RelayChannel {
        if text == "whatsapp" {
            RelayChannel::Whatsapp
        } else {
            RelayChannel::Widget
        }
    }
}

/// A line of a chat's draft order, priced from the menu.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChatDraftLine {
    /// The menu item.
    pub item_id: ItemId,
    /// Its name.
    pub name: String,
    /// How many.
    pub quantity: u32,
    /// Unit price with the chosen options, IVA included.
    pub unit_price: Clp,
    /// `unit_price × quantity`.
    pub line_total: Clp,
    /// The chosen options, as the order route takes them.
    pub options: Vec<ModifierOptionId>,
}

/// A chat's draft order as the widget submits it (`POST orders`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChatDraft {
    /// The lines.
    pub lines: Vec<ChatDraftLine>,
    /// What the order will cost, IVA included.
    pub total: Clp,
}

/// The restaurant's answer to a relayed message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChatReply {
    /// What the assistant says, plain text.
    pub reply: String,
    /// The draft after this message, or null when empty.
    #[serde(default)]
    pub draft: Option<ChatDraft>,
    /// The diner confirmed the draft: the widget may submit it.
    #[serde(default)]
    pub ready_to_order: bool,
    /// Staff has taken this conversation over: the assistant stays quiet, `reply` is
    /// empty, and the cloud must not answer with its own parser either (staff's replies
    /// reach the diner through `POST /api/v1/sync/chat-messages`).
    #[serde(default)]
    pub held_by_staff: bool,
    /// A booking the diner just confirmed in a WhatsApp conversation, for the cloud to
    /// make like a widget booking (channel `whatsapp`); absent otherwise.
    #[serde(default)]
    pub booking: Option<ChatBooking>,
}

/// A table booking a WhatsApp diner confirmed with the restaurant's assistant (which
/// checked the tables on the counter's view first). The cloud books it like a widget
/// booking (`bookings::book`): pending until the counter seats it, and the diner hears
/// the answer by WhatsApp.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChatBooking {
    /// How many people.
    pub party_size: u32,
    /// The day, in the restaurant's time zone (`YYYY-MM-DD`).
    pub date: String,
    /// The start, wall-clock in the restaurant's time zone (`HH:MM`).
    pub time: String,
    /// The name the booking is under.
    pub name: String,
    /// The contact phone the diner gave.
    pub phone: String,
}

/// A staff member's message in a relayed conversation (taken over from the assistant in
/// the panel), sent by the appliance to the cloud so it reaches the diner. The appliance
/// keeps it until the cloud took it; the cloud stores it once by `id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StaffChatMessage {
    /// The message's id on the appliance: a resend is taken once.
    pub id: Uuid,
    /// The relayed conversation (the widget's id, the same on both sides).
    pub conversation_id: Uuid,
    /// What staff wrote, plain text, 1 to [`MAX_STAFF_MESSAGE_CHARS`] characters.
    pub text: String,
}

/// A batch of staff messages (`POST /api/v1/sync/chat-messages`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StaffChatMessages {
    /// At most [`MAX_STAFF_MESSAGES`] messages, oldest first.
    pub messages: Vec<StaffChatMessage>,
}

/// Longest staff message, in characters (the panel's message limit).
pub const MAX_STAFF_MESSAGE_CHARS: usize = 2000;
/// Most staff messages in one batch.
pub const MAX_STAFF_MESSAGES: usize = 50;

/// Longest reply the cloud passes on from a restaurant, in characters.
pub const MAX_REPLY_CHARS: usize = 4000;
/// Most lines of a draft passed on from a restaurant.
pub const MAX_DRAFT_LINES: usize = 50;
