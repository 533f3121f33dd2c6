//! Synced rows of the assistant's conversations (issue 20): a conversation and its
//! messages, written by the counter where the chat happens, so a counter that dies does not
//! take the restaurant's conversations with it. Location-scoped. On the cloud their texts
//! and drafts are customer data, sealed per tenant (docs/SECURITY.md, "Customer data at
//! rest"); both sides forget them after [`CONVERSATION_RETENTION_DAYS`] of silence, as the
//! privacy page states.

use crate::hlc::Hlc;
use crate::ids::{ConversationId, CustomerId, UserId};
use crate::validate::Lang;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Days a conversation is kept after its last message, on the counter and on the cloud
/// (the privacy page, "Cuánto tiempo los guardamos"). Then it is deleted with its messages
/// by each side on its own clock: a pruning is not a synced delete.
pub const CONVERSATION_RETENTION_DAYS: u32 = 90;

/// Where a conversation happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConversationChannel {
    /// The admin panel (staff testing, phone orders typed in).
    Panel,
    /// The website widget, relayed by the cloud.
    Widget,
    /// WhatsApp, relayed by the cloud.
    Whatsapp,
}

impl ConversationChannel {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationChannel::Panel => "panel",
            ConversationChannel::Widget => "widget",
            ConversationChannel::Whatsapp => "whatsapp",
        }
    }
}

/// Who is answering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConversationStatus {
    /// The assistant answers.
    Open,
    /// Staff took over; the assistant stays quiet.
    Handoff,
    /// Finished.
    Closed,
}

impl ConversationStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationStatus::Open => "open",
            ConversationStatus::Handoff => "handoff",
            ConversationStatus::Closed => "closed",
        }
    }
}

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MessageRole {
    /// The diner.
    Diner,
    /// The assistant.
    Assistant,
    /// A staff member.
    Staff,
}

impl MessageRole {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageRole::Diner => "diner",
            MessageRole::Assistant => "assistant",
            MessageRole::Staff => "staff",
        }
    }
}

synced_row! {
    /// A conversation: its channel, who answers, the diner's language and the draft order
    /// or booking being put together. Last writer wins per field (staff at another counter
    /// may take it over while the assistant's counter writes the draft).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Conversation in Conversation {
        /// Its id (a relayed chat keeps the cloud's id).
        pub id: ConversationId,
        /// Where it happens.
        pub channel: ConversationChannel,
        /// Who answers.
        pub status: ConversationStatus,
        /// The diner's language.
        pub language: Lang,
        /// The draft order or booking (`{lines, takeaway, awaiting, booking}`): customer
        /// data, sealed on the cloud.
        pub draft: Value => Json,
        /// The known diner.
        #[serde(default)]
        pub customer_id: Option<CustomerId>,
        /// The staff member who started it from the panel.
        #[serde(default)]
        pub created_by: Option<UserId>,
        /// When it started (RFC 3339).
        pub created_at: String,
        /// Its last activity (RFC 3339): what the list sorts by and retention counts from.
        pub last_activity_at: String,
        /// HLC of the last change.
        pub updated_at: Hlc,
    }
}

synced_row! {
    /// One message of a conversation. Append-only: a message, once written, is a fact
    /// (`merge::append_only`). Its text is customer data, sealed on the cloud.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ConversationMessage in ConversationMessage {
        /// Its id (UUIDv7: sorts by time).
        pub id: uuid::Uuid,
        /// Its conversation.
        pub conversation_id: ConversationId,
        /// Who wrote it.
        pub role: MessageRole,
        /// The text.
        pub text: String,
        /// For a diner's message, how it was read; for a reply, what it did.
        #[serde(default)]
        pub intent: Option<Value> => Json,
        /// When (RFC 3339).
        pub created_at: String,
    }
}
