//! Staff's replies for the diner's widget: `GET /public/{slug}/chat/{conversation_id}/
//! messages`, polled by the widget while its chat is open. A chat taken over at the
//! counter is answered by staff in their own time, not within the request of the
//! diner's message, so the widget fetches what staff wrote (see
//! `http::devices::chat_messages`). The conversation's id is the widget's own, unguessable
//! (a random UUIDv7): it is what reads them, like the order status's token.

use super::chat::restaurant_not_found;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Path, Query};
use crate::state::AppState;
use crate::store::StoreError;
use axum::extract::State;
use chrono::{DateTime, Utc};
use dysa_domain::ids::LocationId;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// Most messages in one answer.
const PAGE: i64 = 50;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(staff_messages))
}

/// Which messages.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StaffMessagesQuery {
    /// A location of the restaurant; its first location when absent.
    #[param(value_type = Option<String>, format = Uuid)]
    pub location: Option<LocationId>,
    /// Only the messages after this one (the last id the widget showed).
    pub after: Option<Uuid>,
}

/// A staff member's message.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StaffMessage {
    /// Its id: ask for the ones `after` it next time.
    pub id: Uuid,
    /// What staff wrote, plain text.
    pub text: String,
    /// When the cloud received it.
    pub sent_at: DateTime<Utc>,
}

/// Staff's messages, oldest first.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StaffMessages {
    /// At most 50; ask again `after` the last for more.
    pub messages: Vec<StaffMessage>,
}

/// Staff's replies in the diner's conversation after `after` (none when the
/// conversation was never taken over, or is unknown).
#[utoipa::path(get, path = "/public/{slug}/chat/{conversation_id}/messages", tag = "widget",
    security(()),
    params(
        ("slug" = String, Path, description = "The restaurant's slug"),
        ("conversation_id" = Uuid, Path, description = "The widget's conversation"),
        StaffMessagesQuery,
    ),
    responses(
        (status = 200, body = StaffMessages),
        (status = 404, body = ErrorBody, description = "`restaurant_not_found`"),
        (status = 429, body = ErrorBody),
    ))]
async fn staff_messages(
    State(state): State<AppState>,
    Path((slug, conversation_id)): Path<(String, Uuid)>,
    Query(query): Query<StaffMessagesQuery>,
) -> Result<axum::Json<StaffMessages>, ApiError> {
    if slug.len() > 64 {
        return Err(restaurant_not_found());
    }
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
    let mut tx = state.db.tenant_tx(restaurant.tenant_id).await?;
    let keys = state.vault.keys(&mut tx).await?;
    let rows = crate::store::chat::staff_messages(
        &mut tx,
        &keys,
        restaurant.location_id,
        conversation_id,
        query.after,
        PAGE,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(axum::Json(StaffMessages {
        messages: rows
            .into_iter()
            .map(|row| StaffMessage {
                id: row.id,
                text: row.text,
                sent_at: row.created_at,
            })
            .collect(),
    }))
}
