//! The devices' audience: what an enrolled appliance calls with its device token — push,
//! pull, snapshot, the live channel, chat answers, staff's chat messages (docs/SYNC.md) and an owner's admin recovery code — and a second
//! counter's join to a location (its key and the owners' approval).

pub mod backups;
pub mod chat_messages;
pub mod join;
pub mod recovery;
pub mod sync;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The devices' routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(sync::router())
        .merge(backups::router())
        .merge(chat_messages::router())
        .merge(join::router())
        .merge(recovery::router())
}
