//! `GET /events`: Server-Sent Events so every open panel and tablet updates itself.

use super::extract::{Authorized, perm};
use crate::state::AppState;
use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures::Stream;
use std::convert::Infallible;
use std::time::Duration;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events))
}

/// Live events: `order.created`, `order.updated`, `reservation.created`,
/// `reservation.updated`, `menu.updated`, `table.updated`, `customer.updated`,
/// `settings.updated`, and `sync` (the cloud sync status changed; its `data` is the
/// `GET /sync/status` answer); each `data` is `{type, id, data}`. A `ready` event opens the
/// stream; `resync` means events were missed (refetch everything). Authenticate with the
/// session cookie (EventSource cannot send headers) or a Bearer token.
#[utoipa::path(get, path = "/events", tag = "events", security(("bearer" = ["orders:read"])),
    responses((status = 200, description = "text/event-stream of events", content_type = "text/event-stream", body = crate::events::Event)))]
async fn events(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersRead>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let ready = tokio_stream::once(Ok(SseEvent::default().event("ready").data("{}")));
    // Counted open for as long as the stream (and so this closure) lives.
    let open = dysa_web::metrics::LiveStream::open("events");
    let live = BroadcastStream::new(state.events.subscribe()).map(move |item| {
        let _open = &open;
        Ok(match item {
            Ok(event) => SseEvent::default()
                .event(event.kind.as_str())
                .id(event.id.clone())
                .data(serde_json::to_string(&event).unwrap_or_else(|_| "{}".to_owned())),
            Err(BroadcastStreamRecvError::Lagged(missed)) => SseEvent::default()
                .event("resync")
                .data(format!("{{\"missed\":{missed}}}")),
        })
    });
    Sse::new(ready.chain(live)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
