//! Opening hours, booking slots and the restaurant's local day.
//!
//! Hours are wall-clock times in the restaurant's time zone; every instant is computed
//! through jiff with the zone's real rules, so slots stay right across Chile's DST changes
//! (which happen at 24:00 local, exactly where late dinner service runs).

use crate::validate::{FieldErrors, FieldIssue};
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

const MINUTES_PER_DAY: u16 = 24 * 60;

/// A text that is not an `HH:MM` 24-hour time.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("\"{0}\" is not a 24-hour HH:MM time")]
pub struct InvalidClockTime(pub String);

/// A time of day on the wall clock, written `HH:MM` (24-hour, as es-CL reads it).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "19:30")]
pub struct ClockTime(u16);

impl ClockTime {
    /// A time from hour (0–23) and minute (0–59).
    pub fn new(hour: u8, minute: u8) -> Result<ClockTime, InvalidClockTime> {
        if hour < 24 && minute < 60 {
            Ok(ClockTime(u16::from(hour) * 60 + u16::from(minute)))
        } else {
            Err(InvalidClockTime(format!("{hour}:{minute}")))
        }
    }

    /// The hour, 0–23.
    pub fn hour(self) -> u8 {
        // minutes < 1440, so the hour is < 24.
        u8::try_from(self.0 / 60).unwrap_or(0)
    }

    /// The minute, 0–59.
    pub fn minute(self) -> u8 {
        u8::try_from(self.0 % 60).unwrap_or(0)
    }

    /// Minutes since midnight.
    pub fn minutes_since_midnight(self) -> u16 {
        self.0
    }
}

impl FromStr for ClockTime {
    type Err = InvalidClockTime;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || InvalidClockTime(s.to_owned());
        let (hour, minute) = s.split_once(':').ok_or_else(bad)?;
        let digits = |t: &str, lens: &[usize]| {
            lens.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
        };
        if !digits(hour, &[1, 2]) || !digits(minute, &[2]) {
            return Err(bad());
        }
        let hour = hour.parse().map_err(|_| bad())?;
        let minute = minute.parse().map_err(|_| bad())?;
        ClockTime::new(hour, minute).map_err(|_| bad())
    }
}

impl TryFrom<String> for ClockTime {
    type Error = InvalidClockTime;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<ClockTime> for String {
    fn from(value: ClockTime) -> Self {
        value.to_string()
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())
    }
}

/// One opening interval of a day. A `close` at or before `open` means the interval runs
/// past midnight into the next day (`19:00`–`01:00`; `00:00` closes at midnight).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Interval {
    /// Opening time.
    pub open: ClockTime,
    /// Closing time; no booking may end after it.
    pub close: ClockTime,
}

impl Interval {
    /// True when the interval ends on the next day.
    pub fn crosses_midnight(self) -> bool {
        self.close <= self.open
    }

    /// Its length on the wall clock, in minutes (0 for the invalid `open == close`).
    pub fn wall_minutes(self) -> u16 {
        (self.close.0 + MINUTES_PER_DAY - self.open.0) % MINUTES_PER_DAY
    }
}

/// A restaurant's weekly opening hours: for each weekday, its intervals in local time.
/// A missing or empty day is closed. Serialized as
/// `{"monday":[{"open":"12:00","close":"16:00"},{"open":"19:00","close":"23:30"}], ...}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningHours {
    /// Lunes.
    #[serde(default)]
    pub monday: Vec<Interval>,
    /// Martes.
    #[serde(default)]
    pub tuesday: Vec<Interval>,
    /// Miércoles.
    #[serde(default)]
    pub wednesday: Vec<Interval>,
    /// Jueves.
    #[serde(default)]
    pub thursday: Vec<Interval>,
    /// Viernes.
    #[serde(default)]
    pub friday: Vec<Interval>,
    /// Sábado.
    #[serde(default)]
    pub saturday: Vec<Interval>,
    /// Domingo.
    #[serde(default)]
    pub sunday: Vec<Interval>,
}

impl OpeningHours {
    /// The intervals that open on `weekday`.
    pub fn day(&self, weekday: Weekday) -> &[Interval] {
        match weekday {
            Weekday::Monday => &self.monday,
            Weekday::Tuesday => &self.tuesday,
            Weekday::Wednesday => &self.wednesday,
            Weekday::Thursday => &self.thursday,
            Weekday::Friday => &self.friday,
            Weekday::Saturday => &self.saturday,
            Weekday::Sunday => &self.sunday,
        }
    }

    /// Checks the hours as an owner saves them: no empty interval (`open == close`) and no
    /// two intervals overlapping, across midnight and from Sunday into Monday included.
    /// Field paths look like `friday[1]`.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        const WEEK: u32 = 7 * MINUTES_PER_DAY as u32;
        const DAYS: [(&str, Weekday); 7] = [
            ("monday", Weekday::Monday),
            ("tuesday", Weekday::Tuesday),
            ("wednesday", Weekday::Wednesday),
            ("thursday", Weekday::Thursday),
            ("friday", Weekday::Friday),
            ("saturday", Weekday::Saturday),
            ("sunday", Weekday::Sunday),
        ];
        let mut errors = FieldErrors::new();
        // Every interval as [start, end) minutes from Monday 00:00.
        let mut spans: Vec<(u32, u32, String)> = Vec::new();
        for (d, (name, weekday)) in (0u32..).zip(DAYS) {
            for (i, interval) in self.day(weekday).iter().enumerate() {
                let field = format!("{name}[{i}]");
                if interval.open == interval.close {
                    errors.add(
                        format!("{field}.close"),
                        FieldIssue::Other {
                            es: "debe ser distinta de la apertura".into(),
                            en: "must differ from the opening time".into(),
                        },
                    );
                    continue;
                }
                let start = d * u32::from(MINUTES_PER_DAY) + u32::from(interval.open.0);
                spans.push((start, start + u32::from(interval.wall_minutes()), field));
            }
        }
        for (i, (a_start, a_end, field)) in spans.iter().enumerate() {
            let overlaps = spans.iter().enumerate().any(|(j, (b_start, b_end, _))| {
                // On a circular week: compare with the other span shifted a week either way.
                i != j
                    && [0, WEEK, 2 * WEEK].iter().any(|shift| {
                        a_start + WEEK < b_end + shift && b_start + shift < a_end + WEEK
                    })
            });
            if overlaps {
                errors.add(
                    field.clone(),
                    FieldIssue::Other {
                        es: "se superpone con otro horario".into(),
                        en: "overlaps another interval".into(),
                    },
                );
            }
        }
        errors.into_result()
    }
}

/// The restaurant's calendar day at `ts` (daily order numbers restart with it).
pub fn local_day(ts: Timestamp, tz: &TimeZone) -> Date {
    ts.to_zoned(tz.clone()).date()
}

/// Resolves a wall-clock time of `date` to an instant. A time skipped by a DST change
/// moves forward past the gap and a repeated one takes its first occurrence (jiff's
/// "compatible" rule, as calendars do); `None` only at the ends of jiff's range.
fn instant(tz: &TimeZone, date: Date, time: ClockTime) -> Option<Timestamp> {
    let hour = i8::try_from(time.hour()).ok()?;
    let minute = i8::try_from(time.minute()).ok()?;
    tz.to_ambiguous_timestamp(date.at(hour, minute, 0, 0))
        .compatible()
        .ok()
}

/// The intervals opening on `date`, as `[open, close)` instants.
fn occurrences(hours: &OpeningHours, tz: &TimeZone, date: Date) -> Vec<(Timestamp, Timestamp)> {
    hours
        .day(date.weekday())
        .iter()
        .filter(|interval| interval.open != interval.close)
        .filter_map(|interval| {
            let close_date = if interval.crosses_midnight() {
                date.tomorrow().ok()?
            } else {
                date
            };
            let open = instant(tz, date, interval.open)?;
            let close = instant(tz, close_date, interval.close)?;
            // A DST gap can push an opening time past its close: no service then.
            (open < close).then_some((open, close))
        })
        .collect()
}

/// True when a booking starting at `at` and lasting `duration_minutes` starts inside an
/// opening interval and ends by that interval's close. Durations are real elapsed time.
pub fn is_open(hours: &OpeningHours, tz: &TimeZone, at: Timestamp, duration_minutes: u32) -> bool {
    let Ok(end) = at.checked_add(SignedDuration::from_mins(i64::from(duration_minutes))) else {
        return false;
    };
    let today = local_day(at, tz);
    // An interval that opened yesterday may run past midnight into today.
    [today.yesterday().ok(), Some(today)]
        .into_iter()
        .flatten()
        .flat_map(|date| occurrences(hours, tz, date))
        .any(|(open, close)| open <= at && at < close && end <= close)
}

/// The booking start times of the service day that opens on `date` (late intervals run
/// past midnight): each interval's slots start at its opening time, step by
/// `slot_minutes` of real time, and the last one still ends (`+ duration_minutes`) by the
/// close. On the night clocks go back the repeated hour gets its slots too; on the night
/// they go forward the skipped hour has none. Sorted, without duplicates.
pub fn slots(
    hours: &OpeningHours,
    tz: &TimeZone,
    date: Date,
    slot_minutes: u32,
    duration_minutes: u32,
) -> Vec<Timestamp> {
    if slot_minutes == 0 {
        return Vec::new();
    }
    let step = SignedDuration::from_mins(i64::from(slot_minutes));
    let duration = SignedDuration::from_mins(i64::from(duration_minutes));
    let mut out = Vec::new();
    for (open, close) in occurrences(hours, tz, date) {
        let mut start = open;
        while start < close {
            match start.checked_add(duration) {
                Ok(end) if end <= close => out.push(start),
                _ => break,
            }
            let Ok(next) = start.checked_add(step) else {
                break;
            };
            start = next;
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn santiago() -> TimeZone {
        TimeZone::get("America/Santiago").expect("tzdb bundled")
    }

    fn iv(open: &str, close: &str) -> Interval {
        Interval {
            open: open.parse().expect("open"),
            close: close.parse().expect("close"),
        }
    }

    /// Local `HH:MM` and UTC offset of each slot, for readable assertions.
    fn local(ts: &[Timestamp], tz: &TimeZone) -> Vec<String> {
        ts.iter()
            .map(|t| t.to_zoned(tz.clone()).strftime("%H:%M%:z").to_string())
            .collect()
    }

    #[test]
    fn clock_times_parse_strictly() {
        assert_eq!(
            "19:30".parse::<ClockTime>().expect("ok").to_string(),
            "19:30"
        );
        assert_eq!(
            "9:05".parse::<ClockTime>().expect("ok").to_string(),
            "09:05"
        );
        for bad in [
            "24:00", "12:60", "12", "12:5", "7pm", "-1:00", "12:00:00", " 12:00", "",
        ] {
            assert!(bad.parse::<ClockTime>().is_err(), "{bad}");
        }
    }

    #[test]
    fn serde_form() {
        let json = r#"{"monday":[{"open":"12:00","close":"16:00"},{"open":"19:00","close":"23:30"}],"saturday":[{"open":"19:00","close":"01:00"}]}"#;
        let hours: OpeningHours = serde_json::from_str(json).expect("parse");
        assert_eq!(hours.monday[1], iv("19:00", "23:30"));
        assert!(hours.tuesday.is_empty());
        assert!(hours.saturday[0].crosses_midnight());
        let back = serde_json::to_value(&hours).expect("ser");
        assert_eq!(back["saturday"][0]["close"], "01:00");
        assert!(serde_json::from_str::<OpeningHours>(r#"{"munday":[]}"#).is_err());
        assert!(
            serde_json::from_str::<OpeningHours>(
                r#"{"monday":[{"open":"25:00","close":"26:00"}]}"#
            )
            .is_err()
        );
        assert!(hours.validate().is_ok());
    }

    #[test]
    fn validation_finds_empty_and_overlapping_intervals() {
        let hours = OpeningHours {
            monday: vec![iv("12:00", "12:00")],
            tuesday: vec![iv("12:00", "16:00"), iv("15:00", "18:00")],
            sunday: vec![iv("20:00", "01:00")],
            ..Default::default()
        };
        let errors = hours.validate().expect_err("invalid");
        assert_eq!(errors.0.len(), 3, "{errors:?}");
        assert!(errors.0.contains_key("monday[0].close"));
        assert!(errors.0.contains_key("tuesday[0]") && errors.0.contains_key("tuesday[1]"));
        let wraps = OpeningHours {
            monday: vec![iv("00:30", "02:00")],
            sunday: vec![iv("20:00", "01:00")],
            ..Default::default()
        };
        let errors = wraps.validate().expect_err("wraps into monday");
        assert!(errors.0.contains_key("sunday[0]") && errors.0.contains_key("monday[0]"));
        let touching = OpeningHours {
            monday: vec![iv("12:00", "16:00"), iv("16:00", "00:00")],
            tuesday: vec![iv("00:00", "02:00")],
            ..Default::default()
        };
        assert!(touching.validate().is_ok());
    }

    #[test]
    fn slots_start_at_opening_time_not_midnight() {
        let tz = santiago();
        // 2026-03-10 is a Tuesday, far from any DST change.
        let hours = OpeningHours {
            tuesday: vec![iv("12:15", "15:00"), iv("19:00", "21:00")],
            ..Default::default()
        };
        let got = local(&slots(&hours, &tz, date(2026, 3, 10), 45, 90), &tz);
        assert_eq!(got, ["12:15-03:00", "13:00-03:00", "19:00-03:00"]);
        assert!(
            slots(&hours, &tz, date(2026, 3, 11), 45, 90).is_empty(),
            "closed on wednesday"
        );
        assert!(slots(&hours, &tz, date(2026, 3, 10), 0, 90).is_empty());
    }

    #[test]
    fn late_service_runs_past_midnight() {
        let tz = santiago();
        let hours = OpeningHours {
            tuesday: vec![iv("22:00", "01:00")],
            ..Default::default()
        };
        let got = local(&slots(&hours, &tz, date(2026, 3, 10), 60, 60), &tz);
        assert_eq!(got, ["22:00-03:00", "23:00-03:00", "00:00-03:00"]);
        // The early-morning part belongs to tuesday's service, not wednesday's.
        assert!(slots(&hours, &tz, date(2026, 3, 11), 60, 60).is_empty());
        let at = |h, m| {
            date(2026, 3, 11)
                .at(h, m, 0, 0)
                .to_zoned(tz.clone())
                .expect("zoned")
                .timestamp()
        };
        assert!(is_open(&hours, &tz, at(0, 0), 60));
        assert!(!is_open(&hours, &tz, at(0, 30), 60), "ends after close");
        assert!(!is_open(&hours, &tz, at(1, 0), 0), "closed at closing time");
    }

    #[test]
    fn dst_ends_at_midnight_in_april_2026() {
        let tz = santiago();
        // Saturday 2026-04-04 at 24:00 (-03) clocks go back to 23:00 (-04).
        let hours = OpeningHours {
            saturday: vec![iv("19:00", "01:00")],
            ..Default::default()
        };
        let got = local(&slots(&hours, &tz, date(2026, 4, 4), 60, 60), &tz);
        assert_eq!(
            got,
            [
                "19:00-03:00",
                "20:00-03:00",
                "21:00-03:00",
                "22:00-03:00",
                "23:00-03:00",
                "23:00-04:00",
                "00:00-04:00"
            ],
            "seven real hours of service, the repeated hour included"
        );
        // A week later the same hours give six.
        assert_eq!(slots(&hours, &tz, date(2026, 4, 11), 60, 60).len(), 6);
        let day = local_day("2026-04-05T03:30:00Z".parse().expect("ts"), &tz);
        assert_eq!(day, date(2026, 4, 4), "23:30 -04 is still saturday");
    }

    #[test]
    fn dst_starts_at_midnight_in_september_2026() {
        let tz = santiago();
        // Saturday 2026-09-05 at 24:00 (-04) clocks jump to 01:00 (-03): 00:00–00:59 never exists.
        let hours = OpeningHours {
            saturday: vec![iv("19:00", "01:00")],
            sunday: vec![iv("00:30", "03:00")],
            ..Default::default()
        };
        let got = local(&slots(&hours, &tz, date(2026, 9, 5), 60, 60), &tz);
        assert_eq!(
            got,
            [
                "19:00-04:00",
                "20:00-04:00",
                "21:00-04:00",
                "22:00-04:00",
                "23:00-04:00"
            ]
        );
        // An opening time inside the gap moves past it rather than panicking.
        let got = local(&slots(&hours, &tz, date(2026, 9, 6), 30, 60), &tz);
        assert_eq!(got, ["01:30-03:00", "02:00-03:00"]);
        let late: Timestamp = "2026-09-06T03:30:00Z".parse().expect("ts"); // 23:30 -04
        assert!(is_open(&hours, &tz, late, 30));
        assert!(!is_open(&hours, &tz, late, 31));
        assert_eq!(local_day(late, &tz), date(2026, 9, 5));
    }

    fn hours_strategy() -> impl Strategy<Value = OpeningHours> {
        let interval = (0u16..1440, 1u16..1440).prop_map(|(open, len)| Interval {
            open: ClockTime(open),
            close: ClockTime((open + len) % 1440),
        });
        prop::collection::vec(prop::collection::vec(interval, 0..3), 7).prop_map(|mut days| {
            let mut take = || days.pop().unwrap_or_default();
            OpeningHours {
                sunday: take(),
                saturday: take(),
                friday: take(),
                thursday: take(),
                wednesday: take(),
                tuesday: take(),
                monday: take(),
            }
        })
    }

    proptest! {
        #[test]
        fn every_slot_is_open_for_its_duration(
            hours in hours_strategy(),
            day in 0i64..365,
            slot in 5u32..120,
            duration in 15u32..240,
        ) {
            let tz = santiago();
            let date = date(2026, 1, 1).checked_add(jiff::Span::new().days(day)).expect("2026");
            let found = slots(&hours, &tz, date, slot, duration);
            prop_assert!(found.windows(2).all(|w| w[0] < w[1]));
            for ts in found {
                prop_assert!(is_open(&hours, &tz, ts, duration), "{} not open", ts);
            }
        }

        #[test]
        fn clock_times_round_trip(minutes in 0u16..1440) {
            let time = ClockTime(minutes);
            prop_assert_eq!(time.to_string().parse::<ClockTime>(), Ok(time));
        }
    }
}
