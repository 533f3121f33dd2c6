//! What the tray and the OS notifications say, decided apart from Tauri so it can be
//! tested: the tray's look from the sync status, the notice for a live event, and when a
//! lost cloud link is worth interrupting staff for.

use dysa_appliance::events::{Event, EventKind};
use dysa_appliance::sync::{LinkState, SyncStatus};
use std::time::{Duration, Instant};

/// Which tray icon to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrayIcon {
    /// Serving, cloud link up, nothing waiting (or no cloud configured).
    Serving,
    /// Serving; changes are on their way to the cloud.
    Syncing,
    /// Serving, but the cloud is out of reach (or revoked this device).
    Offline,
}

impl TrayIcon {
    /// The PNG of this state (32×32, from `icons/tray-*.png`).
    pub fn png(self) -> &'static [u8] {
        match self {
            TrayIcon::Serving => include_bytes!("../../icons/tray-serving.png"),
            TrayIcon::Syncing => include_bytes!("../../icons/tray-syncing.png"),
            TrayIcon::Offline => include_bytes!("../../icons/tray-offline.png"),
        }
    }
}

/// The tray's icon and tooltip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrayLook {
    /// The icon.
    pub icon: TrayIcon,
    /// The tooltip, Spanish first.
    pub tooltip: String,
}

/// The tray's look for the current sync status and the online-orders pause.
pub fn tray_look(status: Option<&SyncStatus>, online_paused: bool) -> TrayLook {
    let pending = status.map_or(0, |s| s.pending);
    let (icon, cloud) = match status.map(|s| s.link) {
        None | Some(LinkState::NotConfigured) => {
            (TrayIcon::Serving, "sin nube (solo local)".to_owned())
        }
        Some(LinkState::Online) if pending > 0 => (
            TrayIcon::Syncing,
            format!("nube: sincronizando {pending} cambios"),
        ),
        Some(LinkState::Online) => (TrayIcon::Serving, "nube: conectada".to_owned()),
        Some(LinkState::Offline) if pending > 0 => (
            TrayIcon::Offline,
            format!("nube: sin conexión, {pending} cambios en espera"),
        ),
        Some(LinkState::Offline) => (TrayIcon::Offline, "nube: sin conexión".to_owned()),
        Some(LinkState::Revoked) => (
            TrayIcon::Offline,
            "nube: equipo desconectado por la nube".to_owned(),
        ),
    };
    let mut tooltip = format!("ChatBotDysa: atendiendo · {cloud}");
    if online_paused {
        tooltip.push_str(" · pedidos en línea en pausa");
    }
    TrayLook { icon, tooltip }
}

/// An OS notification to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The title.
    pub title: String,
    /// The body.
    pub body: String,
}

/// The notice for a live event, if staff should be interrupted for it: new orders from
/// the widget, the chat or WhatsApp (counter orders were typed by the staff themselves) and new
/// reservations.
pub fn notice_for(event: &Event) -> Option<Notice> {
    match event.kind {
        EventKind::OrderCreated => {
            let channel = event.data.get("channel").and_then(|c| c.as_str())?;
            let source = match channel {
                "widget" => "la web",
                "chat" => "el chat",
                "whatsapp" => "WhatsApp",
                _ => return None,
            };
            let number = event
                .data
                .get("number")
                .map(|n| {
                    format!(
                        " #{}",
                        n.as_str().map_or_else(|| n.to_string(), str::to_owned)
                    )
                })
                .unwrap_or_default();
            let total = event
                .data
                .get("total")
                .and_then(serde_json::Value::as_i64)
                .map(|t| format!(" por {}", clp(t)))
                .unwrap_or_default();
            Some(Notice {
                title: "Nuevo pedido en línea".to_owned(),
                body: format!("Pedido{number} desde {source}{total}."),
            })
        }
        EventKind::ReservationCreated => {
            let party = event
                .data
                .get("party_size")
                .and_then(serde_json::Value::as_i64);
            let starts = event
                .data
                .get("starts_at")
                .and_then(|s| s.as_str())
                .and_then(local_time);
            let mut body = "Nueva reserva".to_owned();
            if let Some(party) = party {
                body.push_str(&format!(" para {party}"));
            }
            if let Some(starts) = starts {
                body.push_str(&format!(" ({starts})"));
            }
            body.push('.');
            Some(Notice {
                title: "Nueva reserva".to_owned(),
                body,
            })
        }
        _ => None,
    }
}

/// `12990` → `$12.990`: Chilean pesos, dot as thousands separator.
pub fn clp(pesos: i64) -> String {
    let digits = pesos.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    let sign = if pesos < 0 { "-" } else { "" };
    format!("{sign}${grouped}")
}

/// A timestamp as "dd-mm HH:MM" in Santiago.
fn local_time(text: &str) -> Option<String> {
    let ts: jiff::Timestamp = text.parse().ok()?;
    let zoned = ts.in_tz("America/Santiago").ok()?;
    Some(zoned.strftime("%d-%m %H:%M").to_string())
}

/// How long the cloud link must stay down before staff are told.
pub const LINK_LOST_AFTER: Duration = Duration::from_secs(60);

/// Watches the link and decides when its loss (past a minute) and its return are worth a
/// notice: a blip of a few seconds says nothing, and each loss is announced once.
#[derive(Debug, Default)]
pub struct LinkWatch {
    down_since: Option<Instant>,
    announced: bool,
}

impl LinkWatch {
    /// Feeds the link's state at `now`; returns the notice to show, if any. Call it on
    /// every status change and on a timer (the minute can pass with no change).
    pub fn observe(&mut self, link: LinkState, now: Instant) -> Option<Notice> {
        match link {
            LinkState::Offline => {
                let since = *self.down_since.get_or_insert(now);
                if !self.announced && now.duration_since(since) >= LINK_LOST_AFTER {
                    self.announced = true;
                    return Some(Notice {
                        title: "Sin conexión con la nube".to_owned(),
                        body: "Hace más de un minuto que no hay conexión. El local sigue atendiendo; los cambios se enviarán al volver."
                            .to_owned(),
                    });
                }
                None
            }
            LinkState::Online => {
                self.down_since = None;
                if std::mem::take(&mut self.announced) {
                    return Some(Notice {
                        title: "Conexión con la nube restablecida".to_owned(),
                        body: "Los cambios en espera se están enviando.".to_owned(),
                    });
                }
                None
            }
            LinkState::NotConfigured | LinkState::Revoked => {
                self.down_since = None;
                self.announced = false;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn status(link: LinkState, pending: i64) -> SyncStatus {
        SyncStatus {
            link,
            cloud_url: Some("https://nube.example".into()),
            token_storage: None,
            device_id: None,
            connected_at: None,
            revoked_reason: None,
            last_success_at: None,
            last_error: None,
            pending,
            rejected: 0,
            parked: 0,
            location_closed: false,
        }
    }

    #[test]
    fn the_tray_shows_the_link_and_the_waiting_changes() {
        assert_eq!(tray_look(None, false).icon, TrayIcon::Serving);
        let online = tray_look(Some(&status(LinkState::Online, 0)), false);
        assert_eq!(online.icon, TrayIcon::Serving);
        assert!(online.tooltip.contains("conectada"), "{}", online.tooltip);
        let syncing = tray_look(Some(&status(LinkState::Online, 3)), false);
        assert_eq!(syncing.icon, TrayIcon::Syncing);
        assert!(syncing.tooltip.contains("3 cambios"), "{}", syncing.tooltip);
        let offline = tray_look(Some(&status(LinkState::Offline, 7)), true);
        assert_eq!(offline.icon, TrayIcon::Offline);
        assert!(offline.tooltip.contains("7 cambios en espera"));
        assert!(offline.tooltip.contains("en pausa"));
        let revoked = tray_look(Some(&status(LinkState::Revoked, 0)), false);
        assert_eq!(revoked.icon, TrayIcon::Offline);
        assert!(!revoked.tooltip.contains("pausa"));
    }

    fn event(kind: EventKind, data: serde_json::Value) -> Event {
        Event {
            kind,
            id: "x".into(),
            data,
        }
    }

    #[test]
    fn online_orders_and_reservations_notify_counter_orders_do_not() {
        let widget = notice_for(&event(
            EventKind::OrderCreated,
            json!({"number": 42, "channel": "widget", "total": 12990}),
        ))
        .unwrap();
        assert_eq!(widget.body, "Pedido #42 desde la web por $12.990.");
        let chat = notice_for(&event(
            EventKind::OrderCreated,
            json!({"number": 7, "channel": "chat", "total": 1500}),
        ))
        .unwrap();
        assert!(chat.body.contains("el chat"));
        assert_eq!(
            notice_for(&event(
                EventKind::OrderCreated,
                json!({"number": 8, "channel": "counter", "total": 1500}),
            )),
            None
        );
        assert_eq!(
            notice_for(&event(
                EventKind::OrderUpdated,
                json!({"channel": "widget"})
            )),
            None
        );
        let reservation = notice_for(&event(
            EventKind::ReservationCreated,
            json!({"party_size": 4, "starts_at": "2026-11-28T23:30:00Z"}),
        ))
        .unwrap();
        // 23:30 UTC is 20:30 in Santiago in November (UTC-3).
        assert_eq!(reservation.body, "Nueva reserva para 4 (28-11 20:30).");
    }

    #[test]
    fn pesos_are_grouped_by_thousands() {
        assert_eq!(clp(0), "$0");
        assert_eq!(clp(990), "$990");
        assert_eq!(clp(1000), "$1.000");
        assert_eq!(clp(12990), "$12.990");
        assert_eq!(clp(1234567), "$1.234.567");
        assert_eq!(clp(-5000), "-$5.000");
    }

    #[test]
    fn a_lost_link_is_announced_once_after_a_minute_and_its_return_too() {
        let start = Instant::now();
        let mut watch = LinkWatch::default();
        assert_eq!(watch.observe(LinkState::Online, start), None);
        assert_eq!(watch.observe(LinkState::Offline, start), None);
        assert_eq!(
            watch.observe(LinkState::Offline, start + Duration::from_secs(59)),
            None
        );
        let lost = watch
            .observe(LinkState::Offline, start + Duration::from_secs(61))
            .unwrap();
        assert!(lost.title.contains("Sin conexión"));
        assert_eq!(
            watch.observe(LinkState::Offline, start + Duration::from_secs(200)),
            None,
            "announced once"
        );
        let back = watch
            .observe(LinkState::Online, start + Duration::from_secs(201))
            .unwrap();
        assert!(back.title.contains("restablecida"));
        assert_eq!(
            watch.observe(LinkState::Online, start + Duration::from_secs(202)),
            None
        );
    }

    #[test]
    fn a_short_blip_says_nothing() {
        let start = Instant::now();
        let mut watch = LinkWatch::default();
        assert_eq!(watch.observe(LinkState::Offline, start), None);
        assert_eq!(
            watch.observe(LinkState::Online, start + Duration::from_secs(20)),
            None
        );
        // A new outage counts its minute from its own start.
        assert_eq!(
            watch.observe(LinkState::Offline, start + Duration::from_secs(70)),
            None
        );
        assert!(
            watch
                .observe(LinkState::Offline, start + Duration::from_secs(131))
                .is_some()
        );
    }
}
