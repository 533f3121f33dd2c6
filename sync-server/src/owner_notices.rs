//! What the cloud tells owners by itself (issue 18, Build 5): the weekly summary (sales,
//! orders, best sellers and no-shows per location) every Monday at 08:00 in Santiago, and
//! an alert when no counter of a location has been seen for over an hour while it is
//! open. Each goes on the channel the owner chose (`owner_notice_prefs`, the
//! "Notificaciones" page): email, WhatsApp or off.
//!
//! And an alert when a counter's fiscal documents or print jobs have waited over
//! [`STUCK_AFTER_MINUTES`] while the location is open, from what the counter reports of
//! its queues with every pull (docs/SYNC.md, "The counter's queues").
//!
//! Never twice: each mail is queued in the durable outbox under a key naming the owner
//! and the week (`weekly_summary:{account}:{monday}`) or the outage
//! (`owner_alert:{account}:offline:{location}:{last seen}`); the outbox's unique key makes
//! a second queueing — a second round, a second cloud instance — a no-op, in the same
//! transaction that read the figures.

use crate::mail::outbox::Outbox;
use crate::mail::templates::{AlertKind, LocationWeek, MailKind, render};
use crate::store::owner_notices::{self as store, Recipient};
use crate::store::{Db, StoreResult, Tx, owners};
use crate::whatsapp::outbox::Message;
use chrono::{DateTime, NaiveDate, Utc};
use dysa_domain::ids::TenantId;
use dysa_domain::validate::Lang;
use jiff::ToSpan;
use jiff::tz::TimeZone;

/// The time zone the summary's Monday 08:00 is read in.
pub const SUMMARY_ZONE: &str = "America/Santiago";
/// The summary's local hour on Mondays.
pub const SUMMARY_HOUR: i8 = 8;
/// How long after Monday 08:00 a summary not yet queued still goes out (a cloud that was
/// down at 08:00 catches up; after that the week is skipped rather than sent days late).
pub const SUMMARY_CATCH_UP_HOURS: i64 = 24;
/// How long no counter of an open location may be seen before its owners are told.
pub const OFFLINE_AFTER_MINUTES: i64 = 60;
/// How long a counter's oldest fiscal document or print job may wait, while the location
/// is open, before its owners are told.
pub const STUCK_AFTER_MINUTES: i64 = 15;
/// At most one stuck-queue alert per counter and queue in this many hours, whatever the
/// counter reports (a stolen device token cannot make the owners' phones ring each round).
pub const STUCK_ALERT_EVERY_HOURS: i64 = 6;
/// Best sellers per location in the summary.
pub const TOP_ITEMS: i64 = 3;
/// How often the periodic round runs.
pub const ROUND_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

fn to_jiff(at: DateTime<Utc>) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(at.timestamp_millis()).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

fn to_chrono(at: jiff::Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(at.as_millisecond()).unwrap_or_default()
}

fn naive(date: jiff::civil::Date) -> NaiveDate {
    NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        u32::from(date.month().unsigned_abs()),
        u32::from(date.day().unsigned_abs()),
    )
    .unwrap_or_default()
}

/// The Monday (a Santiago date) whose summary is due at `now`: `now` is at or after that
/// Monday's 08:00 in Santiago and less than [`SUMMARY_CATCH_UP_HOURS`] after it. The
/// summary covers the seven business dates before that Monday.
pub fn summary_due(now: DateTime<Utc>) -> Option<NaiveDate> {
    let tz = zone(SUMMARY_ZONE);
    let now = to_jiff(now);
    let today = now.to_zoned(tz.clone()).date();
    let back = i64::from(today.weekday().to_monday_zero_offset());
    let monday = today.checked_sub(back.days()).ok()?;
    let send_at = monday
        .at(SUMMARY_HOUR, 0, 0, 0)
        .to_zoned(tz)
        .ok()?
        .timestamp();
    let late = now.duration_since(send_at);
    (late >= jiff::SignedDuration::ZERO
        && late < jiff::SignedDuration::from_hours(SUMMARY_CATCH_UP_HOURS))
    .then(|| naive(monday))
}

fn lang_of(recipient: &Recipient) -> Lang {
    if recipient.lang == "en" {
        Lang::En
    } else {
        Lang::Es
    }
}

/// What a round queued, per outbox (wake each that got something).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Queued {
    /// Mails.
    pub mail: usize,
    /// WhatsApp messages.
    pub whatsapp: usize,
}

impl std::ops::AddAssign for Queued {
    fn add_assign(&mut self, other: Queued) {
        self.mail += other.mail;
        self.whatsapp += other.whatsapp;
    }
}

/// Queues `kind` for `recipient` on `channel` under `key` in the caller's transaction.
/// WhatsApp goes from the tenant's linked number (the mail's text part as the message;
/// outside the 24-hour window the outbox sends the link's template carrying it); with no
/// number given or none linked, nothing is queued.
async fn deliver(
    tx: &mut Tx,
    vault: &crate::pii::Vault,
    recipient: &Recipient,
    channel: &str,
    key: &str,
    kind: &MailKind,
) -> StoreResult<Queued> {
    let lang = lang_of(recipient);
    match channel {
        "email" => {
            let queued = Outbox::enqueue(tx, key, &recipient.email, lang, kind).await?;
            Ok(Queued {
                mail: usize::from(queued),
                whatsapp: 0,
            })
        }
        "whatsapp" => {
            let Some(to) = recipient.whatsapp_to.as_deref() else {
                return Ok(Queued::default());
            };
            let Some(location) = store::whatsapp_location(tx).await? else {
                return Ok(Queued::default());
            };
            let text = match render(kind, lang) {
                Ok(rendered) => rendered.text,
                Err(error) => {
                    tracing::warn!(%error, "owner notice not rendered");
                    return Ok(Queued::default());
                }
            };
            let wa_id: String = to.chars().filter(char::is_ascii_digit).collect();
            let keys = vault.keys(tx).await?;
            let queued = crate::whatsapp::outbox::enqueue(
                tx,
                &keys,
                location,
                &wa_id,
                key,
                &recipient.lang,
                &Message::Text { text },
            )
            .await?;
            Ok(Queued {
                mail: 0,
                whatsapp: usize::from(queued),
            })
        }
        _ => Ok(Queued::default()),
    }
}

fn dashboard(public_url: &str) -> String {
    format!("{}/dashboard", public_url.trim_end_matches('/'))
}

/// Queues the summary of the week before `monday` for each of `tenant`'s owners on the
/// channel they chose (none for `off`); answers what was queued now (nothing for those
/// queued before).
pub async fn queue_weekly_summary(
    db: &Db,
    vault: &crate::pii::Vault,
    tenant: TenantId,
    monday: NaiveDate,
    public_url: &str,
) -> StoreResult<Queued> {
    let mut tx = db.tenant_tx(tenant).await?;
    let recipients: Vec<Recipient> = store::owners(&mut tx)
        .await?
        .into_iter()
        .filter(|r| r.weekly_summary != "off")
        .collect();
    if recipients.is_empty() {
        return Ok(Queued::default());
    }
    let from = monday - chrono::Duration::days(7);
    let to = monday - chrono::Duration::days(1);
    let tz = zone(SUMMARY_ZONE);
    let local_start = |date: NaiveDate| -> DateTime<Utc> {
        jiff::civil::Date::new(
            i16::try_from(chrono::Datelike::year(&date)).unwrap_or(2000),
            i8::try_from(chrono::Datelike::month(&date)).unwrap_or(1),
            i8::try_from(chrono::Datelike::day(&date)).unwrap_or(1),
        )
        .ok()
        .and_then(|d| d.to_zoned(tz.clone()).ok())
        .map(|z| to_chrono(z.timestamp()))
        .unwrap_or_default()
    };
    let sales = owners::sales_by_location(&mut tx, from, to, None).await?;
    let top = owners::top_items_by_location(&mut tx, from, to, TOP_ITEMS).await?;
    let no_shows = store::no_shows(&mut tx, local_start(from), local_start(monday)).await?;
    let locations: Vec<LocationWeek> = sales
        .iter()
        .map(|s| LocationWeek {
            name: s.name.clone(),
            sales: s.sales,
            orders: s.orders,
            no_shows: no_shows
                .iter()
                .find(|(id, _)| *id == s.location_id)
                .map_or(0, |(_, n)| *n),
            top_items: top
                .iter()
                .filter(|t| t.location_id == s.location_id)
                .map(|t| (t.name.clone(), t.quantity))
                .collect(),
        })
        .collect();
    let mut queued = Queued::default();
    for recipient in &recipients {
        let kind = MailKind::WeeklySummary {
            name: recipient.name.clone(),
            from: from.to_string(),
            to: to.to_string(),
            locations: locations.clone(),
            link: dashboard(public_url),
        };
        let key = format!("weekly_summary:{}:{monday}", recipient.id);
        queued += deliver(
            &mut tx,
            vault,
            recipient,
            &recipient.weekly_summary,
            &key,
            &kind,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(queued)
}

/// Queues an alert for each of `tenant`'s owners (on their channel) about each open
/// location none of whose counters has been seen for over [`OFFLINE_AFTER_MINUTES`]
/// while it is open now (by its synced opening hours, in its time zone; a location with
/// no hours set is not alerted). One alert per outage: the key names the moment the
/// counter was last seen. Answers how many were queued now.
pub async fn queue_offline_alerts(
    db: &Db,
    vault: &crate::pii::Vault,
    tenant: TenantId,
    now: DateTime<Utc>,
    public_url: &str,
) -> StoreResult<Queued> {
    let mut tx = db.tenant_tx(tenant).await?;
    let quiet = store::quiet_locations(
        &mut tx,
        now - chrono::Duration::minutes(OFFLINE_AFTER_MINUTES),
    )
    .await?;
    if quiet.is_empty() {
        return Ok(Queued::default());
    }
    let recipients: Vec<Recipient> = store::owners(&mut tx)
        .await?
        .into_iter()
        .filter(|r| r.alerts != "off")
        .collect();
    let mut queued = Queued::default();
    for location in &quiet {
        let contact = crate::widget::location_contact(&mut tx, location.id).await?;
        let Some(hours) = contact.opening_hours else {
            continue;
        };
        if !dysa_domain::hours::is_open(&hours, &zone(&location.time_zone), to_jiff(now), 0) {
            continue;
        }
        let minutes = (now - location.last_seen).num_minutes();
        for recipient in &recipients {
            let kind = MailKind::Alert {
                name: recipient.name.clone(),
                location: location.name.clone(),
                alert: AlertKind::CounterOffline { minutes },
                link: dashboard(public_url),
            };
            let key = format!(
                "owner_alert:{}:offline:{}:{}",
                recipient.id,
                location.id,
                location.last_seen.timestamp_millis()
            );
            queued += deliver(&mut tx, vault, recipient, &recipient.alerts, &key, &kind).await?;
        }
    }
    tx.commit().await?;
    Ok(queued)
}

/// Queues an alert for each of `tenant`'s owners (on their `stuck_alerts` channel) about
/// each counter queue (fiscal documents, print jobs) whose oldest entry has waited over
/// [`STUCK_AFTER_MINUTES`], as the counter reported it within the last
/// [`OFFLINE_AFTER_MINUTES`] (a counter silent longer is the offline alert's), while the
/// location is open (a location with no hours set is not alerted). One alert per
/// incident, and at most one per counter and queue every [`STUCK_ALERT_EVERY_HOURS`]
/// however the counter's reports change ([`store::claim_stuck_alert`]); the key names the
/// counter, the queue and the moment its oldest entry was queued, a second guard against
/// a second queueing. Answers how many were queued now.
pub async fn queue_stuck_alerts(
    db: &Db,
    vault: &crate::pii::Vault,
    tenant: TenantId,
    now: DateTime<Utc>,
    public_url: &str,
) -> StoreResult<Queued> {
    let mut tx = db.tenant_tx(tenant).await?;
    let stuck = store::stuck_queues(
        &mut tx,
        now - chrono::Duration::minutes(STUCK_AFTER_MINUTES),
        now - chrono::Duration::minutes(OFFLINE_AFTER_MINUTES),
    )
    .await?;
    if stuck.is_empty() {
        return Ok(Queued::default());
    }
    let recipients: Vec<Recipient> = store::owners(&mut tx)
        .await?
        .into_iter()
        .filter(|r| r.stuck_alerts != "off")
        .collect();
    let mut queued = Queued::default();
    for queue in &stuck {
        let contact = crate::widget::location_contact(&mut tx, queue.location_id).await?;
        let Some(hours) = contact.opening_hours else {
            continue;
        };
        if !dysa_domain::hours::is_open(&hours, &zone(&queue.time_zone), to_jiff(now), 0) {
            continue;
        }
        if !store::claim_stuck_alert(
            &mut tx,
            queue.device_id,
            &queue.queue,
            queue.oldest_at,
            now,
            chrono::Duration::hours(STUCK_ALERT_EVERY_HOURS),
        )
        .await?
        {
            continue;
        }
        let minutes = (now - queue.oldest_at).num_minutes();
        let (counter, pending) = (queue.device_name.clone(), i64::from(queue.pending));
        let alert = if queue.queue == "fiscal" {
            AlertKind::FiscalStuck {
                counter,
                pending,
                minutes,
            }
        } else {
            AlertKind::PrintStuck {
                counter,
                pending,
                minutes,
            }
        };
        for recipient in &recipients {
            let kind = MailKind::Alert {
                name: recipient.name.clone(),
                location: queue.location_name.clone(),
                alert: alert.clone(),
                link: dashboard(public_url),
            };
            let key = format!(
                "owner_alert:{}:{}_stuck:{}:{}",
                recipient.id,
                queue.queue,
                queue.device_id,
                queue.oldest_at.timestamp_millis()
            );
            queued += deliver(
                &mut tx,
                vault,
                recipient,
                &recipient.stuck_alerts,
                &key,
                &kind,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(queued)
}

/// One round over every active tenant at `now`: the weekly summary when it is due, the
/// offline alerts and the stuck queue alerts. A tenant's failure is logged and the others go on. Answers what
/// was queued (wake each outbox that got something).
pub async fn run_once(
    db: &Db,
    vault: &crate::pii::Vault,
    public_url: &str,
    now: DateTime<Utc>,
) -> StoreResult<Queued> {
    let due = summary_due(now);
    let mut queued = Queued::default();
    for tenant in store::active_tenants(db).await? {
        if let Some(monday) = due {
            match queue_weekly_summary(db, vault, tenant, monday, public_url).await {
                Ok(n) => queued += n,
                Err(error) => tracing::warn!(%error, %tenant, "weekly summary not queued"),
            }
        }
        match queue_offline_alerts(db, vault, tenant, now, public_url).await {
            Ok(n) => queued += n,
            Err(error) => tracing::warn!(%error, %tenant, "offline alerts not queued"),
        }
        match queue_stuck_alerts(db, vault, tenant, now, public_url).await {
            Ok(n) => queued += n,
            Err(error) => tracing::warn!(%error, %tenant, "stuck queue alerts not queued"),
        }
    }
    Ok(queued)
}

/// Runs [`run_once`] every `every` (none when zero: tests run rounds themselves).
pub fn spawn(state: &crate::state::AppState, every: std::time::Duration) {
    if every.is_zero() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_once(
                &state.db,
                &state.vault,
                &state.settings.public_url,
                Utc::now(),
            )
            .await
            {
                Ok(queued) => {
                    if queued.mail > 0 {
                        state.mail.wake();
                    }
                    if queued.whatsapp > 0 {
                        state.whatsapp.wake();
                    }
                }
                Err(error) => tracing::warn!(%error, "owner notices round failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("utc")
    }

    #[test]
    fn the_summary_is_due_from_monday_0800_in_santiago_for_a_day() {
        // December: Santiago is UTC−3 (summer time). Monday 7 Dec 2026, 08:00 = 11:00 UTC.
        let monday = NaiveDate::from_ymd_opt(2026, 12, 7);
        assert_eq!(summary_due(utc(2026, 12, 7, 10, 59)), None);
        assert_eq!(summary_due(utc(2026, 12, 7, 11, 0)), monday);
        assert_eq!(summary_due(utc(2026, 12, 8, 10, 59)), monday);
        assert_eq!(summary_due(utc(2026, 12, 8, 11, 0)), None);
        // Sunday night in Santiago, Monday already in UTC: not yet.
        assert_eq!(summary_due(utc(2026, 12, 7, 2, 0)), None);
    }

    #[test]
    fn the_summary_follows_santiagos_clock_across_dst() {
        // Winter: Santiago is UTC−4. Monday 8 Jun 2026, 08:00 = 12:00 UTC.
        assert_eq!(summary_due(utc(2026, 6, 8, 11, 59)), None);
        assert_eq!(
            summary_due(utc(2026, 6, 8, 12, 0)),
            NaiveDate::from_ymd_opt(2026, 6, 8)
        );
        // The Monday right after clocks went forward (Sunday 6 Sep 2026): UTC−3 again.
        assert_eq!(summary_due(utc(2026, 9, 7, 10, 59)), None);
        assert_eq!(
            summary_due(utc(2026, 9, 7, 11, 0)),
            NaiveDate::from_ymd_opt(2026, 9, 7)
        );
    }
}
