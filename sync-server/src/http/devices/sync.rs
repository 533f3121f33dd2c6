//! The sync API for devices (docs/SYNC.md): push a batch of local changes, pull the
//! changes after a cursor (or a snapshot without tombstones), and a live stream that says
//! when the tenant's version moves.

use crate::http::error::{ApiError, ErrorBody, for_status};
use crate::http::extract::{Json, Path, Query, SyncDevice, decode_json};
use crate::limits::{DeviceSlot, SlotGuard};
use crate::presence;
use crate::state::AppState;
use crate::store::devices;
use crate::store::sync::{self as store, Origin};
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use dysa_domain::assistant::relay::{ChatRelay, ChatReply, MAX_DRAFT_LINES, MAX_REPLY_CHARS};
use dysa_domain::sync::rows::PhotoHash;
use dysa_domain::sync::{
    LiveNotice, PullResponse, PushRequest, PushResponse, SCHEMA_VERSION, schema_supported,
};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use dysa_web::photos::{self, PhotoBody};
use futures::{Stream, StreamExt};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Most mutations in one push.
pub const MAX_BATCH: usize = 500;
/// Most changes in one pull page.
pub const MAX_PAGE: i64 = 1000;
/// Changes in a pull page when the device does not say.
pub const DEFAULT_PAGE: i64 = 500;
/// Comment keep-alives on the live stream, so proxies keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(push))
        .routes(routes!(pull))
        .routes(routes!(snapshot))
        .routes(routes!(live))
        .routes(routes!(chat_reply))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(put_media, get_media))
                .layer(photos::body_limit()),
        )
}

fn schema_unsupported(version: u32) -> ApiError {
    ApiError::new(
        StatusCode::UPGRADE_REQUIRED,
        "schema_version_unsupported",
        format!("La versión de sincronización {version} ya no se admite; actualice el equipo"),
        format!("Sync schema version {version} is not supported; update the device"),
    )
    .with_details(serde_json::json!({
        "supported": [SCHEMA_VERSION.saturating_sub(1), SCHEMA_VERSION],
    }))
}

/// A pull from before the purge horizon: deletes older than it are gone from the cloud,
/// so the device reloads from `/sync/snapshot`, removes what the snapshot lacks, and then
/// pulls from `purged_through` (docs/SYNC.md, "Retention").
fn snapshot_required(purged_through: i64) -> ApiError {
    ApiError::new(
        StatusCode::GONE,
        "snapshot_required",
        "El equipo estuvo desconectado más tiempo del que la nube guarda los borrados; \
         se recargará desde una copia completa",
        "This device was offline longer than the cloud keeps deletes; it reloads from a \
         full snapshot",
    )
    .with_details(serde_json::json!({ "purged_through": purged_through }))
}

fn check_schema(version: u32) -> Result<(), ApiError> {
    if schema_supported(version) {
        Ok(())
    } else {
        Err(schema_unsupported(version))
    }
}

/// Decodes JSON with plain serde (fast: a batch is hundreds of rows); only when that
/// fails, decodes it again with `decode_json`, which tracks the path of every value to
/// name the bad field in its error.
fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).or_else(|_| decode_json(bytes))
}

/// Decodes and checks a push body's bytes, exactly as `POST /sync/push` does: the
/// schema version first (426 for a protocol we do not speak), then the mutations (422
/// for malformed JSON or more than [`MAX_BATCH`]). Public so the fuzz target
/// (`tests/push_fuzz.rs`) drives this very code.
pub fn decode_push(bytes: &[u8]) -> Result<PushRequest, ApiError> {
    let envelope: Envelope = decode(bytes)?;
    check_schema(envelope.schema_version)?;
    let body: PushRequest = decode(bytes)?;
    if body.mutations.len() > MAX_BATCH {
        let mut fields = FieldErrors::new();
        fields.add(
            "mutations",
            FieldIssue::Other {
                es: format!("admite como máximo {MAX_BATCH} cambios por envío"),
                en: format!("at most {MAX_BATCH} mutations per push"),
            },
        );
        return Err(fields.into());
    }
    Ok(body)
}

/// A push body: the schema version is checked before the mutations are read, so a device
/// speaking a newer or retired protocol hears 426, not a complaint about a field.
#[derive(Debug)]
pub struct PushBody(pub PushRequest);

#[derive(Deserialize)]
struct Envelope {
    schema_version: u32,
}

impl FromRequest<AppState> for PushBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
        }
        // A batch of rows is larger than other requests: its own limit.
        let limit = state.settings.sync_max_body_bytes;
        let bytes = axum::body::to_bytes(req.into_body(), limit)
            .await
            .map_err(|_| for_status(StatusCode::PAYLOAD_TOO_LARGE))?;
        decode_push(&bytes).map(PushBody)
    }
}

/// Merges a batch of the device's changes (oldest first) and answers each one.
#[utoipa::path(post, path = "/sync/push", tag = "sync", security(("bearer" = ["device"])),
    request_body = PushRequest,
    responses(
        (status = 200, body = PushResponse, description = "One result per mutation, in order; rejections are results"),
        (status = 400, body = ErrorBody, description = "Not JSON"),
        (status = 401, body = ErrorBody, description = "Unknown device token, or `device_revoked`"),
        (status = 403, body = ErrorBody, description = "`tenant_suspended`"),
        (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "Malformed batch, or more than 500 mutations"),
        (status = 426, body = ErrorBody, description = "`schema_version_unsupported`"),
        (status = 429, body = ErrorBody, description = "`too_many_pushes`: the device already has `device_max_pushes` pushes in flight"),
    ))]
async fn push(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    request: Request,
) -> Result<axum::Json<PushResponse>, ApiError> {
    // Taken before the body is read: a device uploading many batches at once holds
    // many bodies in memory, which is the point of the cap.
    let _slot = device_slot(&state, &device, DeviceSlot::Push)?;
    let PushBody(body) = PushBody::from_request(request, &state).await?;
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let origin = Origin {
        device_id: Some(device.id),
        location_id: device.location_id,
    };
    // The tenant's own clock follows the push's stamps (within the allowed skew) as
    // the batch merges; no other tenant's clock is touched.
    let clock = state.tenant_clock(&mut tx).await?;
    let pushed = store::push(
        &mut tx,
        &state.vault,
        origin,
        &body.mutations,
        state.now_ms(),
        Some(&clock),
    )
    .await?;
    // A widget diner who chose SMS or email hears about the order's new status: the
    // projection's trigger wrote the step, queued here in the same transaction.
    let diner_messages = crate::diner_messages::flush(&state, &mut tx, device.tenant_id).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    if diner_messages > 0 {
        state.sms.wake();
        state.mail.wake();
    }
    // A rejected or cancelled order may have been paid online: refund it (in the
    // background; an order paid while the counter was offline is refunded when its
    // rejection arrives here).
    let orders_moved = body
        .mutations
        .iter()
        .any(|m| m.entity == dysa_domain::sync::Entity::Order);
    if orders_moved {
        crate::mercado_pago::refund_rejected_later(&state, device.tenant_id);
    }
    if orders_moved
        || body
            .mutations
            .iter()
            .any(|m| m.entity == dysa_domain::sync::Entity::Reservation)
    {
        // And a WhatsApp diner hears about their order's or booking's new status (queued
        // by the projection's triggers in the push's transaction); beside the request.
        let (state, tenant) = (state.clone(), device.tenant_id);
        tokio::spawn(async move {
            if let Err(error) = state.whatsapp.run_tenant(tenant, chrono::Utc::now()).await {
                tracing::warn!(%error, "WhatsApp status messages not sent now; the worker retries");
            }
        });
    }
    Ok(axum::Json(PushResponse {
        results: pushed.results,
    }))
}

/// One of the device's `slot`s, or 429 (`too_many_pushes`, `too_many_streams`) when it
/// already holds as many as the settings allow.
fn device_slot(
    state: &AppState,
    device: &crate::http::extract::AuthDevice,
    slot: DeviceSlot,
) -> Result<SlotGuard, ApiError> {
    state
        .limits
        .device_slot(device.id, slot)
        .ok_or_else(|| match slot {
            DeviceSlot::Push => ApiError::over_budget(
                "too_many_pushes",
                1,
                "Este equipo ya tiene envíos en curso; espere a que terminen",
                "This device already has pushes in flight; wait for them to finish",
            ),
            DeviceSlot::Live => ApiError::over_budget(
                "too_many_streams",
                5,
                "Este equipo ya tiene abiertos todos los canales en vivo permitidos",
                "This device already holds every live stream it may open",
            ),
        })
}

/// Where a page of changes starts.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// The version the device holds (the `cursor` of its last page); 0 or absent for all.
    pub cursor: Option<i64>,
    /// At most this many changes (default 500, at most 1000).
    pub limit: Option<i64>,
    /// The sync protocol version the device speaks.
    pub schema_version: u32,
    /// The counter's fiscal documents not yet issued (its heartbeat, with every pull;
    /// counters that do not send it are never alerted for a stuck queue).
    pub fiscal_pending: Option<i32>,
    /// Since when the oldest of them waits (RFC 3339).
    pub fiscal_oldest_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The counter's print jobs not yet printed.
    pub print_pending: Option<i32>,
    /// Since when the oldest of them waits (RFC 3339).
    pub print_oldest_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// How far ahead of the cloud's clock a reported `*_oldest_at` may be (clock drift).
const MAX_OLDEST_AHEAD_MINUTES: i64 = 5;

/// Most documents or tickets a counter may report waiting (a bound, not a rule).
const MAX_QUEUE_REPORT: i64 = 1_000_000;

impl PageQuery {
    /// The queues the counter reported with this pull, if it reports them.
    fn queues(&self) -> Option<devices::QueueReport> {
        if self.fiscal_pending.is_none() && self.print_pending.is_none() {
            return None;
        }
        let fiscal_pending = self.fiscal_pending.unwrap_or(0);
        let print_pending = self.print_pending.unwrap_or(0);
        Some(devices::QueueReport {
            fiscal_pending,
            fiscal_oldest_at: self.fiscal_oldest_at.filter(|_| fiscal_pending > 0),
            print_pending,
            print_oldest_at: self.print_oldest_at.filter(|_| print_pending > 0),
        })
    }
}

async fn page(
    state: &AppState,
    device: &crate::http::extract::AuthDevice,
    q: &PageQuery,
    include_tombstones: bool,
) -> Result<store::Page, ApiError> {
    check_schema(q.schema_version)?;
    let cursor = q.cursor.unwrap_or(0);
    let limit = q.limit.unwrap_or(DEFAULT_PAGE);
    let mut fields = FieldErrors::new();
    if cursor < 0 {
        fields.add(
            "cursor",
            FieldIssue::OutOfRange {
                min: 0,
                max: i64::MAX,
            },
        );
    }
    if !(1..=MAX_PAGE).contains(&limit) {
        fields.add(
            "limit",
            FieldIssue::OutOfRange {
                min: 1,
                max: MAX_PAGE,
            },
        );
    }
    for (field, value) in [
        ("fiscal_pending", q.fiscal_pending),
        ("print_pending", q.print_pending),
    ] {
        if value.is_some_and(|n| !(0..=MAX_QUEUE_REPORT).contains(&i64::from(n))) {
            fields.add(
                field,
                FieldIssue::OutOfRange {
                    min: 0,
                    max: MAX_QUEUE_REPORT,
                },
            );
        }
    }
    // A queue cannot have waited since a moment to come: an `oldest_at` past the next
    // few minutes (a clock that ran ahead, or a forged report) is refused.
    let latest = chrono::Utc::now() + chrono::Duration::minutes(MAX_OLDEST_AHEAD_MINUTES);
    for (field, value) in [
        ("fiscal_oldest_at", q.fiscal_oldest_at),
        ("print_oldest_at", q.print_oldest_at),
    ] {
        if value.is_some_and(|at| at > latest) {
            fields.add(
                field,
                FieldIssue::Other {
                    es: "no puede ser una fecha futura".to_owned(),
                    en: "cannot be in the future".to_owned(),
                },
            );
        }
    }
    fields.into_result()?;
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    if include_tombstones && let Some(report) = q.queues() {
        devices::record_queues(&mut tx, device.id, &report).await?;
    }
    if include_tombstones {
        let horizon = store::purged_through(&mut tx).await?;
        if cursor < horizon {
            return Err(snapshot_required(horizon));
        }
    }
    let page = store::pull(
        &mut tx,
        &state.vault,
        device.location_id,
        cursor,
        limit,
        include_tombstones,
    )
    .await?;
    devices::record_pull(&mut tx, device.id, page.cursor, !page.has_more).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(page)
}

/// The changes after `cursor` the device sees (its location's rows and tenant-wide rows,
/// tombstones included), oldest first. Pull until `has_more` is false; store `cursor`.
/// A cursor below the tenant's purge horizon answers 410 `snapshot_required` with
/// `details.purged_through`: reload from `/sync/snapshot`, then pull from there.
#[utoipa::path(get, path = "/sync/pull", tag = "sync", security(("bearer" = ["device"])),
    params(PageQuery),
    responses(
        (status = 200, body = PullResponse),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 410, body = ErrorBody, description = "`snapshot_required`"),
        (status = 422, body = ErrorBody),
        (status = 426, body = ErrorBody, description = "`schema_version_unsupported`"),
    ))]
async fn pull(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<store::Page>, ApiError> {
    Ok(axum::Json(page(&state, &device, &q, true).await?))
}

/// A new device's first load: the same pages as a pull, without tombstones. On the last
/// page `cursor` is the tenant's version, from which the device then pulls.
#[utoipa::path(get, path = "/sync/snapshot", tag = "sync", security(("bearer" = ["device"])),
    params(PageQuery),
    responses(
        (status = 200, body = PullResponse),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 426, body = ErrorBody, description = "`schema_version_unsupported`"),
    ))]
async fn snapshot(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<store::Page>, ApiError> {
    Ok(axum::Json(page(&state, &device, &q, false).await?))
}

fn version_event(version: i64) -> Event {
    let data = serde_json::to_string(&LiveNotice { version }).unwrap_or_default();
    Event::default().event("version").data(data)
}

/// Server-Sent Events: `event: version` with `{"version": N}` at connect and whenever the
/// tenant's version moves; `event: chat` with a widget diner's message for this device's
/// location (`{request_id, conversation_id, message, language}`, answered through
/// `POST /sync/chat-replies/{request_id}`); comment keep-alives every 15 s. The stream ends after
/// `live_stream_max_secs` (the device reconnects, which checks its token again).
#[utoipa::path(get, path = "/sync/live", tag = "sync", security(("bearer" = ["device"])),
    responses(
        (status = 200, content_type = "text/event-stream", body = LiveNotice,
         description = "`event: version` / `data: {\"version\": N}` events, and `event: chat` with a `ChatRelay`"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "`too_many_streams`: the device already holds `device_max_streams` live streams"),
    ))]
async fn live(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let slot = device_slot(&state, &device, DeviceSlot::Live)?;
    // Subscribe before reading the version, so a change committed in between is heard.
    let notices = state.live.subscribe();
    let chat_notices = state.live.subscribe_chat();
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    devices::touch(&mut tx, device.id).await?;
    let stream_id = uuid::Uuid::now_v7();
    presence::mark(&mut tx, stream_id, device.id, device.location_id).await?;
    let current = store::version(&mut tx).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    // Lives as long as the stream: the location reads as online until it ends.
    let presence = presence::Presence::hold(
        state.db.clone(),
        device.tenant_id,
        stream_id,
        device.id,
        device.location_id,
    );

    let open = dysa_web::metrics::LiveStream::open("sync_live");
    let tenant = device.tenant_id;
    let changes = futures::stream::unfold(
        (notices, current),
        move |(mut notices, mut last)| async move {
            loop {
                match notices.recv().await {
                    Ok(notice) if notice.tenant_id == tenant && notice.version > last => {
                        last = notice.version;
                        return Some((last, (notices, last)));
                    }
                    // Another tenant, an old version, or notices missed by a slow stream
                    // (the next notice carries the newest version anyway).
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                }
            }
        },
    );
    let max = Duration::from_secs(state.settings.live_stream_max_secs.max(1));
    let closed = state.live.closed();
    let end = async move {
        tokio::select! {
            () = tokio::time::sleep(max) => {}
            () = closed => {}
        }
    };
    let versions = futures::stream::once(async move { current })
        .chain(changes)
        .map(move |version| {
            let _held = (&presence, &slot, &open);
            Ok(version_event(version))
        });
    let chats = chat_events(state.clone(), device.clone(), chat_notices);
    let events = futures::stream::select(versions, chats).take_until(Box::pin(end));
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

/// The chat relays of the device's location, as `event: chat`, read from their rows when
/// a notice names them (the notice carries ids only).
fn chat_events(
    state: AppState,
    device: crate::http::extract::AuthDevice,
    notices: tokio::sync::broadcast::Receiver<crate::chat::ChatNotice>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    futures::stream::unfold(notices, move |mut notices| {
        let state = state.clone();
        let device = device.clone();
        async move {
            loop {
                let request_id = match notices.recv().await {
                    Ok(crate::chat::ChatNotice::Relay {
                        tenant_id,
                        location_id,
                        request_id,
                    }) if tenant_id == device.tenant_id && location_id == device.location_id => {
                        request_id
                    }
                    // A relay missed by a slow stream is answered by the cloud instead.
                    Ok(_) | Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                };
                match open_relay(&state, &device, request_id).await {
                    Ok(Some(relay)) => {
                        let data = serde_json::to_string(&relay).unwrap_or_default();
                        return Some((Ok(Event::default().event("chat").data(data)), notices));
                    }
                    Ok(None) => {}
                    Err(error) => tracing::warn!(%error, "live channel: cannot read a chat relay"),
                }
            }
        }
    })
}

async fn open_relay(
    state: &AppState,
    device: &crate::http::extract::AuthDevice,
    request_id: uuid::Uuid,
) -> Result<Option<ChatRelay>, crate::store::StoreError> {
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let keys = state.vault.keys(&mut tx).await?;
    let relay = crate::chat::open_relay(&mut tx, &keys, device.location_id, request_id).await?;
    tx.commit().await?;
    Ok(relay)
}

/// The appliance's answer to a widget diner's message relayed on the live channel
/// (`event: chat`). Taken once, only from a device of the relay's location, and only while
/// the cloud still waits (otherwise 404: the cloud has answered the diner itself).
#[utoipa::path(post, path = "/sync/chat-replies/{request_id}", tag = "sync",
    security(("bearer" = ["device"])),
    params(("request_id" = uuid::Uuid, Path, description = "The relay's `request_id`")),
    request_body = ChatReply,
    responses(
        (status = 204, description = "Answer taken"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No open chat request by that id"),
        (status = 422, body = ErrorBody),
    ))]
async fn chat_reply(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Path(request_id): Path<uuid::Uuid>,
    Json(reply): Json<ChatReply>,
) -> Result<StatusCode, ApiError> {
    let mut fields = FieldErrors::new();
    // A conversation held by staff comes back without words (the cloud stays quiet).
    if reply.held_by_staff {
        fields.optional_text("reply", Some(&reply.reply), MAX_REPLY_CHARS);
    } else {
        fields.text("reply", &reply.reply, MAX_REPLY_CHARS);
    }
    if reply
        .draft
        .as_ref()
        .is_some_and(|d| d.lines.len() > MAX_DRAFT_LINES)
    {
        fields.add(
            "draft.lines",
            FieldIssue::Other {
                es: format!("admite como máximo {MAX_DRAFT_LINES} líneas"),
                en: format!("at most {MAX_DRAFT_LINES} lines"),
            },
        );
    }
    // A WhatsApp booking is checked in full when the cloud makes it (`bookings::book`);
    // here only its size, so nothing unbounded is kept with the reply.
    if let Some(booking) = &reply.booking {
        fields.text("booking.name", &booking.name, 120);
        fields.text("booking.phone", &booking.phone, 40);
        fields.text("booking.date", &booking.date, 10);
        fields.text("booking.time", &booking.time, 5);
    }
    fields.into_result()?;
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let keys = state.vault.keys(&mut tx).await?;
    match crate::chat::record_reply(&mut tx, &keys, device.location_id, request_id, &reply).await {
        Ok(()) => {}
        Err(crate::chat::ReplyError::NotOpen) => {
            return Err(ApiError::not_found(
                "La solicitud de chat",
                "The chat request",
            ));
        }
        Err(crate::chat::ReplyError::Store(error)) => return Err(error.into()),
    }
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

fn media_hash(hash: &str) -> Result<PhotoHash, ApiError> {
    hash.parse().map_err(|_| photos::not_found())
}

/// A menu photo's bytes from a counter, under their sha256 (docs/SYNC.md, "Photos"): sent
/// before the push whose item names them. Checked (the hash, a JPEG of at most 800 px)
/// and kept once per tenant, so a resend answers 204 again without writing.
#[utoipa::path(put, path = "/sync/media/{hash}", tag = "sync",
    security(("bearer" = ["device"])),
    params(("hash" = String, Path, description = "The JPEG's sha256, lowercase hex")),
    request_body(content = Vec<u8>, description = "The JPEG", content_type = "image/jpeg"),
    responses(
        (status = 204, description = "Held"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "Not a photo name"),
        (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "Not its hash, or not a JPEG we make"),
    ))]
async fn put_media(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Path(hash): Path<String>,
    PhotoBody(jpeg): PhotoBody,
) -> Result<StatusCode, ApiError> {
    let hash = media_hash(&hash)?;
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let held = crate::store::media::held(&mut tx, &hash).await?;
    if !held {
        let (photo, thumb) = photos::verified(hash, jpeg).await?;
        crate::store::media::keep(&mut tx, &photo, &thumb).await?;
    }
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A menu photo's bytes for a counter whose pulled item names a photo it lacks; 404 when
/// the tenant does not hold it (another tenant's photo included).
#[utoipa::path(get, path = "/sync/media/{hash}", tag = "sync",
    security(("bearer" = ["device"])),
    params(("hash" = String, Path, description = "The JPEG's sha256, lowercase hex")),
    responses(
        (status = 200, description = "The JPEG", content_type = "image/jpeg", body = Vec<u8>),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
async fn get_media(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Path(hash): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let hash = media_hash(&hash)?;
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let bytes = crate::store::media::bytes(&mut tx, &hash, false).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    let bytes = bytes.ok_or_else(photos::not_found)?;
    Ok(photos::serve(
        &headers,
        &hash,
        photos::Variant::Photo,
        bytes,
        photos::Caching::Private,
    ))
}
