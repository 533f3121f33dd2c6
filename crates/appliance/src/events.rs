//! Live events for open panels and tablets (`GET /api/v1/events`).
//!
//! Writers publish after their commit; every connected client receives the event and
//! refetches what it shows. A slow client that falls behind is told to resync rather
//! than slowing the writers.

use serde::Serialize;
use tokio::sync::broadcast;

/// What changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub enum EventKind {
    /// A new order.
    #[serde(rename = "order.created")]
    OrderCreated,
    /// An order's status, lines or payments changed.
    #[serde(rename = "order.updated")]
    OrderUpdated,
    /// A new reservation.
    #[serde(rename = "reservation.created")]
    ReservationCreated,
    /// A reservation changed.
    #[serde(rename = "reservation.updated")]
    ReservationUpdated,
    /// The menu changed (items, categories, modifiers, availability).
    #[serde(rename = "menu.updated")]
    MenuUpdated,
    /// A table or its status changed.
    #[serde(rename = "table.updated")]
    TableUpdated,
    /// A customer changed.
    #[serde(rename = "customer.updated")]
    CustomerUpdated,
    /// Restaurant settings changed.
    #[serde(rename = "settings.updated")]
    SettingsUpdated,
    /// The cloud sync status changed (`data` is the `GET /sync/status` answer).
    #[serde(rename = "sync")]
    Sync,
    /// A backup was taken and verified (`data` is the `GET /backups` report).
    #[serde(rename = "backup.taken")]
    BackupTaken,
    /// A backup failed (`data` says why); the panel and the desktop tray warn.
    #[serde(rename = "backup.failed")]
    BackupFailed,
    /// A kitchen ticket was fired, bumped or recalled (`data`: station, action); the
    /// kitchen screens refetch.
    #[serde(rename = "kitchen.updated")]
    KitchenUpdated,
    /// A print job was printed or failed (`data`: printer, printed); the print queue and
    /// the printers' state refetch.
    #[serde(rename = "print.updated")]
    PrintUpdated,
}

impl EventKind {
    /// The SSE event name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::OrderCreated => "order.created",
            EventKind::OrderUpdated => "order.updated",
            EventKind::ReservationCreated => "reservation.created",
            EventKind::ReservationUpdated => "reservation.updated",
            EventKind::MenuUpdated => "menu.updated",
            EventKind::TableUpdated => "table.updated",
            EventKind::CustomerUpdated => "customer.updated",
            EventKind::SettingsUpdated => "settings.updated",
            EventKind::Sync => "sync",
            EventKind::BackupTaken => "backup.taken",
            EventKind::BackupFailed => "backup.failed",
            EventKind::KitchenUpdated => "kitchen.updated",
            EventKind::PrintUpdated => "print.updated",
        }
    }
}

/// One live event: its kind, the id of the changed thing, and a small JSON summary.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Event {
    /// What changed.
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// Id of the changed row (empty for menu-wide changes).
    pub id: String,
    /// A summary the panel can show without a refetch.
    pub data: serde_json::Value,
}

/// Fan-out of events to every connected client; cheap to clone.
#[derive(Clone, Debug)]
pub struct EventBus {
    sender: broadcast::Sender<Event>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}

impl EventBus {
    /// A bus that buffers up to 1,024 events per slow client.
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(1024);
        Self { sender }
    }

    /// Publishes an event; call it after the change is committed.
    pub fn publish(&self, kind: EventKind, id: impl Into<String>, data: serde_json::Value) {
        // No subscribers is normal (no panel open).
        let _ = self.sender.send(Event {
            kind,
            id: id.into(),
            data,
        });
    }

    /// Whether anyone is listening (an open panel or tablet), so a publisher can skip
    /// building an event nobody would receive.
    pub fn has_subscribers(&self) -> bool {
        self.sender.receiver_count() > 0
    }

    /// A new subscription.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}
