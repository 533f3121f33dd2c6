//! When a booking's reminders fall due (issue 18, Build 5): by default 24 and 2 hours
//! before it starts, configurable per location, each sent once.
//!
//! A reminder of whole days ("24 h before", "48 h before") is due at the booking's own
//! wall-clock time that many calendar days earlier in the location's zone: a diner
//! booked for Sunday 20:00 hears on Saturday at 20:00, also on the weekends Chile's
//! clocks change (the first Sunday of April they go back an hour, the first Sunday of
//! September forward, at midnight: America/Santiago in the tz database), when 24 hours
//! earlier would be 19:00 or 21:00. A reminder of hours is due exactly that long before
//! (an instant: "in 2 hours" means 2 hours). Which reminder to send now is
//! [`due_reminder`]; sending it once is the outbox's `dedupe_key`
//! (`booking:{id}:reminder:{hours}`), so any number of rounds sends it once.

use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, ToSpan};

/// The reminders when a location sets none: 24 and 2 hours before.
pub const DEFAULT_HOURS: [u32; 2] = [24, 2];
/// Longest reminder offset a location may set (a week).
pub const MAX_HOURS: u32 = 7 * 24;

/// When the reminder `hours` before a booking starting at `start` falls due, in `zone`.
pub fn due_at(start: Timestamp, hours: u32, zone: &TimeZone) -> Timestamp {
    let span: Span = if hours.is_multiple_of(24) {
        i64::from(hours / 24).days()
    } else {
        i64::from(hours).hours()
    };
    start
        .to_zoned(zone.clone())
        .checked_sub(span)
        .map_or(start, |z| z.timestamp())
}

/// The reminder (its hours) to send at `now` for a booking starting at `start` and made
/// at `created`, among `hours`: the one due most recently, provided the booking still
/// lies ahead and was made before it fell due (a booking made 20 hours ahead gets its
/// confirmation, not a "24 hours before" reminder); `None` when none is due. A reminder
/// superseded by a nearer one is never sent late.
pub fn due_reminder(
    start: Timestamp,
    created: Timestamp,
    hours: &[u32],
    zone: &TimeZone,
    now: Timestamp,
) -> Option<u32> {
    if now >= start {
        return None;
    }
    hours
        .iter()
        .copied()
        .filter(|h| (1..=MAX_HOURS).contains(h))
        .map(|h| (h, due_at(start, h, zone)))
        .filter(|(_, due)| *due <= now && created < *due)
        .max_by_key(|(_, due)| *due)
        .map(|(h, _)| h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn santiago() -> TimeZone {
        TimeZone::get("America/Santiago").unwrap_or(TimeZone::UTC)
    }

    fn local(text: &str) -> Timestamp {
        text.parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|dt| dt.to_zoned(santiago()).ok())
            .map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp())
    }

    fn local_text(at: Timestamp) -> String {
        at.to_zoned(santiago()).strftime("%F %H:%M %:z").to_string()
    }

    /// Runs the scheduler every minute from `from` to the booking and answers what it
    /// sent, each reminder at most once (the outbox's dedupe key), with the local time it
    /// went out.
    fn simulate(start: Timestamp, created: Timestamp, from: Timestamp) -> BTreeMap<u32, String> {
        let mut sent = BTreeMap::new();
        let mut now = from;
        while now < start {
            if let Some(h) = due_reminder(start, created, &DEFAULT_HOURS, &santiago(), now) {
                sent.entry(h).or_insert_with(|| local_text(now));
            }
            now = now.checked_add(1.minute()).unwrap_or(start);
        }
        sent
    }

    #[test]
    fn the_zone_data_knows_chiles_changes() {
        // 2026: back on Sunday 5 April (−03 → −04), forward on Sunday 6 September.
        assert_eq!(
            local_text(local("2026-04-04T20:00")),
            "2026-04-04 20:00 -03:00"
        );
        assert_eq!(
            local_text(local("2026-04-05T20:00")),
            "2026-04-05 20:00 -04:00"
        );
        assert_eq!(
            local_text(local("2026-09-05T20:00")),
            "2026-09-05 20:00 -04:00"
        );
        assert_eq!(
            local_text(local("2026-09-06T20:00")),
            "2026-09-06 20:00 -03:00"
        );
    }

    #[test]
    fn reminders_go_once_at_the_local_time_across_the_april_change() {
        // Booked Sunday 5 April 2026 at 20:00, the day the clocks went back: 25 real
        // hours after Saturday 20:00.
        let start = local("2026-04-05T20:00");
        let created = local("2026-04-01T12:00");
        let sent = simulate(start, created, local("2026-04-03T00:00"));
        assert_eq!(
            sent,
            BTreeMap::from([
                (24, "2026-04-04 20:00 -03:00".to_owned()),
                (2, "2026-04-05 18:00 -04:00".to_owned()),
            ])
        );
        assert_eq!(
            start
                .duration_since(due_at(start, 24, &santiago()))
                .as_hours(),
            25
        );
    }

    #[test]
    fn reminders_go_once_at_the_local_time_across_the_september_change() {
        // Booked Sunday 6 September 2026 at 20:00: the night before lost an hour.
        let start = local("2026-09-06T20:00");
        let created = local("2026-08-30T09:30");
        let sent = simulate(start, created, local("2026-09-04T00:00"));
        assert_eq!(
            sent,
            BTreeMap::from([
                (24, "2026-09-05 20:00 -04:00".to_owned()),
                (2, "2026-09-06 18:00 -03:00".to_owned()),
            ])
        );
        assert_eq!(
            start
                .duration_since(due_at(start, 24, &santiago()))
                .as_hours(),
            23
        );
        // A 2-hour reminder across the change itself is 2 real hours: a booking at
        // 01:30 on the Sunday (00:00–00:59 does not exist) hears at 22:30 on Saturday.
        let early = local("2026-09-06T01:30");
        assert_eq!(
            local_text(due_at(early, 2, &santiago())),
            "2026-09-05 22:30 -04:00"
        );
    }

    #[test]
    fn a_late_booking_gets_only_the_reminders_still_ahead() {
        let start = local("2026-06-10T21:00");
        // Made 20 hours ahead: no 24-hour reminder, the 2-hour one at 19:00.
        let sent = simulate(start, local("2026-06-10T01:00"), local("2026-06-10T01:00"));
        assert_eq!(
            sent,
            BTreeMap::from([(2, "2026-06-10 19:00 -04:00".to_owned())])
        );
        // Made an hour ahead: nothing (the confirmation says it all).
        let sent = simulate(start, local("2026-06-10T20:00"), local("2026-06-10T20:00"));
        assert!(sent.is_empty());
        // A worker that was down from 18:00 to 19:30 sends the 2-hour one late, once,
        // never the 24-hour one after it.
        let created = local("2026-06-01T10:00");
        assert_eq!(
            due_reminder(
                start,
                created,
                &DEFAULT_HOURS,
                &santiago(),
                local("2026-06-10T19:30")
            ),
            Some(2)
        );
        assert_eq!(
            due_reminder(start, created, &DEFAULT_HOURS, &santiago(), start),
            None
        );
    }
}
