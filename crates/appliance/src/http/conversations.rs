//! Conversations with diners (the assistant's chats) and the assistant's model.

use super::error::ApiError;
use super::extract::{Authorized, Json, Path, Query, perm};
use crate::assistant::ollama::{ModelInfo, OllamaLink, PullProgress};
use crate::assistant::{self, TurnEvent, TurnReply};
use crate::state::AppState;
use crate::store::conversations::{
    self as store, Conversation, ConversationChannel, ConversationStatus, Message, MessageRole,
};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use dysa_domain::ids::{ConversationId, CustomerId};
use dysa_domain::validate::{FieldErrors, FieldIssue, Lang};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_conversations, create_conversation))
        .routes(routes!(get_conversation))
        .routes(routes!(post_message))
        .routes(routes!(handoff))
        .routes(routes!(release))
        .routes(routes!(list_models))
        .routes(routes!(pull_model))
}

/// A new conversation.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConversation {
    /// Where it happens.
    pub channel: ConversationChannel,
    /// The diner, if known.
    #[serde(default)]
    pub customer_id: Option<CustomerId>,
    /// The diner's language, if known (else detected from their messages).
    #[serde(default)]
    pub language: Option<Lang>,
}

/// The id of a new conversation.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Created {
    /// Its id.
    pub id: ConversationId,
}

/// Starts a conversation.
#[utoipa::path(post, path = "/conversations", tag = "conversations", security(("bearer" = ["conversations:write"])),
    request_body = NewConversation,
    responses((status = 201, body = Created), (status = 422, body = super::error::ErrorBody)))]
async fn create_conversation(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::ConversationsWrite>,
    Json(body): Json<NewConversation>,
) -> Result<(StatusCode, axum::Json<Created>), ApiError> {
    if let Some(customer) = body.customer_id
        && crate::store::customers::find(&state.db.read, customer)
            .await?
            .is_none()
    {
        let mut errors = FieldErrors::new();
        errors.add(
            "customer_id",
            FieldIssue::Other {
                es: "el cliente no existe".into(),
                en: "no such customer".into(),
            },
        );
        return Err(ApiError::validation(errors));
    }
    let conversation = store::create(
        &state.db,
        body.channel,
        body.language.unwrap_or_default(),
        body.customer_id,
        Some(user.id),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Created {
            id: conversation.id,
        }),
    ))
}

/// Filters of the conversation list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConversationQuery {
    /// One status.
    pub status: Option<ConversationStatus>,
    /// One channel.
    pub channel: Option<ConversationChannel>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
}

/// A page of conversations.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConversationPage {
    /// Most recent activity first.
    pub items: Vec<Conversation>,
    /// How many match.
    pub total: i64,
}

/// Conversations, most recent first, filtered by status and channel.
#[utoipa::path(get, path = "/conversations", tag = "conversations", security(("bearer" = ["conversations:read"])),
    params(ConversationQuery),
    responses((status = 200, body = ConversationPage), (status = 422, body = super::error::ErrorBody)))]
async fn list_conversations(
    State(state): State<AppState>,
    _: Authorized<perm::ConversationsRead>,
    Query(query): Query<ConversationQuery>,
) -> Result<axum::Json<ConversationPage>, ApiError> {
    let (limit, offset) = super::customers::paging(query.limit, query.offset)?;
    let (items, total) =
        store::list(&state.db.read, query.status, query.channel, limit, offset).await?;
    Ok(axum::Json(ConversationPage { items, total }))
}

/// A conversation with its messages.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConversationDetail {
    /// The conversation.
    #[serde(flatten)]
    pub conversation: Conversation,
    /// Its messages, oldest first (the last 500).
    pub messages: Vec<Message>,
}

/// One conversation with its messages.
#[utoipa::path(get, path = "/conversations/{id}", tag = "conversations", security(("bearer" = ["conversations:read"])),
    params(("id" = ConversationId, Path)),
    responses((status = 200, body = ConversationDetail), (status = 404, body = super::error::ErrorBody)))]
async fn get_conversation(
    State(state): State<AppState>,
    _: Authorized<perm::ConversationsRead>,
    Path(id): Path<ConversationId>,
) -> Result<axum::Json<ConversationDetail>, ApiError> {
    let conversation = store::find(&state.db.read, id)
        .await?
        .ok_or_else(not_found)?;
    let messages = store::messages(&state.db.read, id, 500).await?;
    Ok(axum::Json(ConversationDetail {
        conversation,
        messages,
    }))
}

fn not_found() -> ApiError {
    ApiError::not_found("La conversación", "The conversation")
}

/// A message.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    /// The text (1–2,000 characters).
    pub text: String,
    /// Who writes: the diner (default; the assistant answers) or staff (stored, no
    /// answer).
    #[serde(default)]
    pub role: Option<MessageRole>,
}

/// A diner's or staff member's turn. With `Accept: text/event-stream` the reply streams:
/// `token` events (`{"text"}`) as it is written, `reset` if the model failed mid-answer
/// (drop the tokens shown; the fallback reply follows), then `done` with the same body
/// as the JSON answer. Otherwise the answer comes once complete. While staff has the
/// conversation (handoff) the assistant stays quiet: `reply` is null.
#[utoipa::path(post, path = "/conversations/{id}/messages", tag = "conversations", security(("bearer" = ["conversations:write"])),
    params(("id" = ConversationId, Path)),
    request_body = NewMessage,
    responses(
        (status = 200, description = "The answer (JSON), or with `Accept: text/event-stream` a stream of `token`, `reset` and `done` events", body = TurnReply),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn post_message(
    State(state): State<AppState>,
    _: Authorized<perm::ConversationsWrite>,
    Path(id): Path<ConversationId>,
    headers: HeaderMap,
    Json(body): Json<NewMessage>,
) -> Result<Response, ApiError> {
    let role = body.role.unwrap_or(MessageRole::Diner);
    if role == MessageRole::Assistant {
        let mut errors = FieldErrors::new();
        errors.add(
            "role",
            FieldIssue::Other {
                es: "debe ser diner o staff".into(),
                en: "must be diner or staff".into(),
            },
        );
        return Err(ApiError::validation(errors));
    }
    let (conversation, answers) =
        assistant::receive(&state.assistant, id, &body.text, role).await?;
    if role == MessageRole::Staff && conversation.channel != ConversationChannel::Panel {
        // The diner is on the cloud's side: a round now carries the reply there.
        state.sync.sync_now();
    }
    let wants_stream = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"));
    if !answers {
        let reply = assistant::quiet(&conversation);
        return Ok(if wants_stream {
            let done = SseEvent::default()
                .event("done")
                .data(serde_json::to_string(&reply).unwrap_or_default());
            Sse::new(futures::stream::once(
                async move { Ok::<_, Infallible>(done) },
            ))
            .into_response()
        } else {
            axum::Json(reply).into_response()
        });
    }
    if !wants_stream {
        let reply = assistant::answer(&state.assistant, conversation, &body.text, None).await?;
        return Ok(axum::Json(reply).into_response());
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<TurnEvent>(64);
    let (done_tx, done_rx) = tokio::sync::oneshot::channel();
    let text = body.text;
    // The turn runs on its own task: a client that disconnects does not lose the reply.
    tokio::spawn(async move {
        let result = assistant::answer(&state.assistant, conversation, &text, Some(tx)).await;
        let _ = done_tx.send(result);
    });
    let tokens = tokio_stream::wrappers::ReceiverStream::new(rx).map(|event| {
        Ok::<_, Infallible>(match event {
            TurnEvent::Token(text) => SseEvent::default()
                .event("token")
                .data(serde_json::json!({ "text": text }).to_string()),
            TurnEvent::Reset => SseEvent::default().event("reset").data("{}"),
        })
    });
    let done = futures::stream::once(async move {
        Ok::<_, Infallible>(match done_rx.await {
            Ok(Ok(reply)) => SseEvent::default()
                .event("done")
                .data(serde_json::to_string(&reply).unwrap_or_default()),
            Ok(Err(error)) => {
                let error = ApiError::from(error);
                SseEvent::default().event("error").data(
                    serde_json::to_string(&error.body(super::error::request_lang()))
                        .unwrap_or_default(),
                )
            }
            Err(_) => SseEvent::default()
                .event("error")
                .data(r#"{"error":{"code":"internal","message":"turn aborted"}}"#),
        })
    });
    Ok(Sse::new(tokens.chain(done))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}

/// Staff takes the conversation over: the assistant stays quiet until released.
#[utoipa::path(post, path = "/conversations/{id}/handoff", tag = "conversations", security(("bearer" = ["conversations:write"])),
    params(("id" = ConversationId, Path)),
    responses((status = 200, body = Conversation), (status = 404, body = super::error::ErrorBody)))]
async fn handoff(
    State(state): State<AppState>,
    _: Authorized<perm::ConversationsWrite>,
    Path(id): Path<ConversationId>,
) -> Result<axum::Json<Conversation>, ApiError> {
    set_status(&state, id, ConversationStatus::Handoff).await
}

/// Hands the conversation back to the assistant.
#[utoipa::path(post, path = "/conversations/{id}/release", tag = "conversations", security(("bearer" = ["conversations:write"])),
    params(("id" = ConversationId, Path)),
    responses((status = 200, body = Conversation), (status = 404, body = super::error::ErrorBody)))]
async fn release(
    State(state): State<AppState>,
    _: Authorized<perm::ConversationsWrite>,
    Path(id): Path<ConversationId>,
) -> Result<axum::Json<Conversation>, ApiError> {
    set_status(&state, id, ConversationStatus::Open).await
}

async fn set_status(
    state: &AppState,
    id: ConversationId,
    status: ConversationStatus,
) -> Result<axum::Json<Conversation>, ApiError> {
    if !store::set_status(&state.db, id, status).await? {
        return Err(not_found());
    }
    Ok(axum::Json(
        store::find(&state.db.read, id)
            .await?
            .ok_or_else(not_found)?,
    ))
}

/// The assistant's models.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Models {
    /// The configured model.
    pub configured: String,
    /// Whether Ollama answered.
    pub up: bool,
    /// The installed models (empty when Ollama is down).
    pub models: Vec<ModelInfo>,
}

/// The models installed in the local Ollama, and the one the assistant uses.
#[utoipa::path(get, path = "/assistant/models", tag = "conversations", security(("bearer" = ["settings:read"])),
    responses((status = 200, body = Models)))]
async fn list_models(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsRead>,
) -> axum::Json<Models> {
    let link = OllamaLink::new(&state.settings, state.http.clone());
    let listed = link.models().await;
    axum::Json(Models {
        configured: link.model().to_owned(),
        up: listed.is_ok(),
        models: listed.unwrap_or_default(),
    })
}

/// Which model to pull.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    /// The model; the configured one when absent.
    #[serde(default)]
    pub model: Option<String>,
}

/// Pulls a model into the local Ollama. Always answers `text/event-stream`: `progress`
/// events (`{status, completed, total}`, bytes summed over the layers), then `done`, or
/// an `error` event (`{"error":{code, message}}`) when Ollama is unreachable or reports
/// an error mid-way.
#[utoipa::path(post, path = "/assistant/models/pull", tag = "conversations", security(("bearer" = ["settings:write"])),
    request_body = PullRequest,
    responses((status = 200, description = "text/event-stream of progress", content_type = "text/event-stream", body = PullProgress),
        (status = 422, body = super::error::ErrorBody)))]
async fn pull_model(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsWrite>,
    Json(body): Json<PullRequest>,
) -> Result<Response, ApiError> {
    let link = OllamaLink::new(&state.settings, state.http.clone());
    let model = body.model.unwrap_or_else(|| link.model().to_owned());
    let mut errors = FieldErrors::new();
    errors.text("model", &model, 200);
    errors.into_result()?;
    let lang = super::error::request_lang();
    let error_event = move |error: &dyn std::fmt::Display| {
        let message = error.to_string();
        SseEvent::default().event("error").data(
            serde_json::json!({ "error": {
                "code": "ollama_error",
                "message": match lang {
                    Lang::Es => format!("Ollama no pudo descargar el modelo: {message}"),
                    Lang::En => format!("Ollama could not pull the model: {message}"),
                },
            }})
            .to_string(),
        )
    };
    let events: futures::stream::BoxStream<'static, Result<SseEvent, Infallible>> =
        match link.pull(model).await {
            Ok(progress) => progress
                .scan(false, move |stop, item| {
                    if *stop {
                        return futures::future::ready(None);
                    }
                    let event = match item {
                        Ok(p) => SseEvent::default()
                            .event(if p.status == "success" {
                                "done"
                            } else {
                                "progress"
                            })
                            .data(serde_json::to_string(&p).unwrap_or_default()),
                        Err(error) => {
                            *stop = true;
                            error_event(&error)
                        }
                    };
                    futures::future::ready(Some(Ok(event)))
                })
                .boxed(),
            Err(error) => {
                futures::stream::once(futures::future::ready(Ok(error_event(&error)))).boxed()
            }
        };
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}
