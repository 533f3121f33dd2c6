//! The widget's chat: `POST /api/v1/public/{slug}/chat`, no session, rate-limited per
//! client (see `http::api`). Relayed to the restaurant's appliance when it is connected;
//! answered by the cloud's deterministic parser on the synced menu otherwise (see
//! [`crate::chat`]). Replies are plain text in JSON: nothing a diner types is ever
//! interpreted as HTML here.

use crate::chat::{self, AnsweredBy, Message};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Json, Path, Query};
use crate::limits::Budget;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::assistant::relay::{ChatDraft, RelayChannel};
use dysa_domain::ids::LocationId;
use dysa_domain::validate::{FieldErrors, Lang};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(chat_message))
}

/// A diner's message.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChatRequest {
    /// The conversation, as a previous answer named it; absent for a new one.
    #[serde(default)]
    pub conversation_id: Option<Uuid>,
    /// What the diner wrote: 1 to 1000 characters.
    pub message: String,
    /// The widget's language (`es` or `en`); the message's own words win when clear.
    #[serde(default)]
    pub language: Option<Lang>,
}

/// Which location of the restaurant.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LocationQuery {
    /// A location of the restaurant; its first location when absent.
    #[param(value_type = Option<String>, format = Uuid)]
    pub location: Option<LocationId>,
}

/// Who answered.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChatAnsweredBy {
    /// The restaurant's appliance (its local model).
    Restaurant,
    /// The cloud's deterministic parser on the synced menu.
    Cloud,
    /// Staff took the conversation over at the counter: `reply` is empty and staff's
    /// words arrive through `GET chat/{conversation_id}/messages`.
    Staff,
}

/// The answer.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChatResponse {
    /// The conversation to send with the next message (new when the old one expired).
    pub conversation_id: Uuid,
    /// The reply, plain text.
    pub reply: String,
    /// Who answered.
    pub answered_by: ChatAnsweredBy,
    /// The draft order, priced from the menu, or null when empty.
    pub draft: Option<ChatDraft>,
    /// The diner confirmed the draft: the widget submits its lines through
    /// `POST orders` (the chat never creates orders itself).
    pub ready_to_order: bool,
}

/// The answer for an unknown or suspended restaurant (shared with staff's messages).
pub(super) fn restaurant_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "restaurant_not_found",
        "No encontramos ese restaurante",
        "Restaurant not found",
    )
}

/// Sends a diner's message to the restaurant's assistant and answers its reply.
#[utoipa::path(post, path = "/public/{slug}/chat", tag = "widget", security(()),
    params(("slug" = String, Path, description = "The restaurant's slug"), LocationQuery),
    request_body = ChatRequest,
    responses(
        (status = 200, body = ChatResponse),
        (status = 403, body = ErrorBody, description = "`widget_not_in_plan`"),
        (status = 404, body = ErrorBody, description = "`restaurant_not_found`"),
        (status = 409, body = ErrorBody, description = "`chat_paused` (the restaurant's plan is unpaid: read-only)"),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "Per-client limit, or `chat_budget_spent` (the location's hourly budget, with `Retry-After`)"),
    ))]
async fn chat_message(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<LocationQuery>,
    Json(body): Json<ChatRequest>,
) -> Result<axum::Json<ChatResponse>, ApiError> {
    let mut fields = FieldErrors::new();
    fields.text("message", &body.message, MAX_MESSAGE_CHARS);
    fields.into_result()?;
    if slug.len() > 64 {
        return Err(restaurant_not_found());
    }
    // Through the widget's slug cache (bounded, shared with the rest of the widget API),
    // not a lookup per message.
    let restaurant = state
        .widget
        .restaurant(
            &state.db,
            &slug,
            query.location.map(crate::widget::LocationRef::Id),
        )
        .await?
        .filter(|r| !r.suspended)
        .ok_or_else(restaurant_not_found)?;
    if !restaurant.widget_in_plan {
        return Err(crate::billing::widget_not_in_plan());
    }
    // Read at each message, never cached: a payment lifts the pause at once.
    crate::billing::chat_open(&state, restaurant.tenant_id).await?;
    super::restaurant::spend(
        &state,
        restaurant.location_id,
        Budget::ChatTurns,
        restaurant.settings.budgets.chat_turns_per_hour,
    )?;
    let location = chat::ChatLocation {
        tenant_id: restaurant.tenant_id,
        id: restaurant.location_id,
        time_zone: restaurant.time_zone.clone(),
    };
    let answer = chat::answer(
        &state,
        location.tenant_id,
        &location,
        Message {
            conversation_id: body.conversation_id,
            text: body.message.trim().to_owned(),
            language: body.language,
            channel: RelayChannel::Widget,
        },
    )
    .await?;
    Ok(axum::Json(ChatResponse {
        conversation_id: answer.conversation_id,
        reply: answer.reply,
        answered_by: match answer.answered_by {
            AnsweredBy::Restaurant => ChatAnsweredBy::Restaurant,
            AnsweredBy::Cloud => ChatAnsweredBy::Cloud,
            AnsweredBy::Staff => ChatAnsweredBy::Staff,
        },
        draft: answer.draft,
        ready_to_order: answer.ready_to_order,
    }))
}
