//! The live channel's plumbing: a background task listens on Postgres for committed sync
//! versions (`pg_notify('dysa_sync', '<tenant>:<version>')`, sent by every instance) and
//! fans them out to this instance's open streams through a broadcast channel.
//!
//! Notices are hints, never data: a stream that misses one (a lagging receiver, a dropped
//! listener connection) still converges, because each notice carries the newest version
//! and devices also pull on a timer.

use crate::store::chat::{self, ChatNotice};
use crate::store::sync::NOTIFY_CHANNEL;
use dysa_domain::ids::TenantId;
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// How many notices a slow stream may fall behind before it skips to the newest.
const BUFFER: usize = 1024;

/// A tenant's version moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The tenant.
    pub tenant_id: TenantId,
    /// Its newest version.
    pub version: i64,
}

/// Parses a notification payload `<tenant>:<version>`.
pub fn parse_notice(payload: &str) -> Option<Notice> {
    let (tenant, version) = payload.split_once(':')?;
    Some(Notice {
        tenant_id: tenant.parse().ok()?,
        version: version.parse().ok()?,
    })
}

/// The instance's live hub; cheap to clone.
#[derive(Clone, Debug)]
pub struct Live {
    notices: broadcast::Sender<Notice>,
    chat: broadcast::Sender<ChatNotice>,
    closing: Arc<watch::Sender<bool>>,
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

impl Live {
    /// A hub with no listener yet.
    pub fn new() -> Self {
        let (notices, _) = broadcast::channel(BUFFER);
        let (chat, _) = broadcast::channel(BUFFER);
        let (closing, _) = watch::channel(false);
        Self {
            notices,
            chat,
            closing: Arc::new(closing),
        }
    }

    /// Receives every notice from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Notice> {
        self.notices.subscribe()
    }

    /// Receives every chat notice (relays for devices, answers for waiting chats) from
    /// now on.
    pub fn subscribe_chat(&self) -> broadcast::Receiver<ChatNotice> {
        self.chat.subscribe()
    }

    /// Resolves once [`Live::close`] was called: open streams end, so a graceful shutdown
    /// does not wait for them.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + use<> {
        let mut closing = self.closing.subscribe();
        async move {
            // An error means the hub is gone, which is a close too.
            let _ = closing.wait_for(|closed| *closed).await;
        }
    }

    /// Ends every open stream (at shutdown).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Publishes a notice to this instance's streams.
    pub fn publish(&self, notice: Notice) {
        // No receivers is fine: nobody is listening right now.
        let _ = self.notices.send(notice);
    }

    /// Starts the task that listens on Postgres (a connection of `pool`, kept for it
    /// alone) and publishes what it hears. It reconnects after errors and stops when the
    /// pool is closed or the hub is closed.
    pub fn spawn_listener(&self, pool: PgPool) {
        let live = self.clone();
        tokio::spawn(async move {
            let closed = live.closed();
            tokio::select! {
                () = listen(&live, pool) => {}
                () = closed => {}
            }
        });
    }
}

async fn listen(live: &Live, pool: PgPool) {
    let mut backoff = Duration::from_millis(100);
    loop {
        if pool.is_closed() {
            return;
        }
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(listener) => listener,
            Err(sqlx::Error::PoolClosed) => return,
            Err(error) => {
                tracing::warn!(%error, "live channel: cannot connect; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(10));
                continue;
            }
        };
        if let Err(error) = listener
            .listen_all([NOTIFY_CHANNEL, chat::NOTIFY_CHANNEL])
            .await
        {
            tracing::warn!(%error, "live channel: LISTEN failed; retrying");
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(10));
            continue;
        }
        backoff = Duration::from_millis(100);
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) if notification.channel() == chat::NOTIFY_CHANNEL => {
                    match ChatNotice::parse(notification.payload()) {
                        // No receivers is fine: nobody waits or streams here.
                        Some(notice) => drop(live.chat.send(notice)),
                        None => tracing::warn!(
                            payload = notification.payload(),
                            "live channel: bad chat payload"
                        ),
                    }
                }
                Ok(Some(notification)) => match parse_notice(notification.payload()) {
                    Some(notice) => live.publish(notice),
                    None => tracing::warn!(
                        payload = notification.payload(),
                        "live channel: bad payload"
                    ),
                },
                // The connection dropped and was re-established; notices sent meanwhile
                // are lost, which devices survive (they also pull on a timer).
                Ok(None) => tracing::info!("live channel: reconnected"),
                Err(sqlx::Error::PoolClosed) => return,
                Err(error) => {
                    tracing::warn!(%error, "live channel: listener failed; reconnecting");
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_parse() {
        let tenant = TenantId::new();
        assert_eq!(
            parse_notice(&format!("{tenant}:42")),
            Some(Notice {
                tenant_id: tenant,
                version: 42
            })
        );
        assert_eq!(parse_notice("nope"), None);
        assert_eq!(parse_notice(&format!("{tenant}:x")), None);
    }
}
