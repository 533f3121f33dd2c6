//! Kitchen rules: the courses a table's lines are grouped in, the seat a line is for, which
//! lines a "Marchar" fires, and how late a ticket on the kitchen screen is.
//!
//! A table orders everything at once but eats it in courses; the kitchen must start each
//! course only when the waiter says so ("Marchar"), and a line must reach the kitchen
//! exactly once (kitchens elsewhere cooked food twice when a ticket was resent).

use crate::ids::OrderLineId;
use crate::order::{Channel, OrderStatus};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The course a line is served in. Every line waits until it is fired ("Marchar"): the
/// lines of a course together, or the lines without a course (a counter sale) together.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Course {
    /// Bebidas.
    Drinks,
    /// Entradas.
    Starters,
    /// Fondos (platos de fondo).
    Mains,
    /// Postres.
    Desserts,
}

impl Course {
    /// Every course, in serving order.
    pub const ALL: [Course; 4] = [
        Course::Drinks,
        Course::Starters,
        Course::Mains,
        Course::Desserts,
    ];

    /// The wire name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Course::Drinks => "drinks",
            Course::Starters => "starters",
            Course::Mains => "mains",
            Course::Desserts => "desserts",
        }
    }

    /// The word a Chilean kitchen uses, for tickets and screens.
    pub fn label_es(self) -> &'static str {
        match self {
            Course::Drinks => "Bebidas",
            Course::Starters => "Entradas",
            Course::Mains => "Fondos",
            Course::Desserts => "Postres",
        }
    }
}

impl fmt::Display for Course {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A course name that is not one of [`Course::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown course: {0}")]
pub struct UnknownCourse(pub String);

impl FromStr for Course {
    type Err = UnknownCourse;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Course::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCourse(s.to_owned()))
    }
}

bounded_number! {
    /// The seat a line is for (1 to [`Seat::MAX`]), so the runner knows who gets which plate
    /// and a split by seat is possible.
    pub struct Seat(1..=99) else "seat must be 1 to {}";
}

/// What firing needs to know of one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FireCandidate {
    /// The line.
    pub id: OrderLineId,
    /// Its course (none: served with the order).
    pub course: Option<Course>,
    /// Voided lines never reach the kitchen.
    pub voided: bool,
    /// Already sent to the kitchen once.
    pub fired: bool,
}

/// The lines a "Marchar" of `course` sends: live lines of that course not sent before, in
/// order. Empty means there is nothing to fire (the caller answers 422), so firing twice
/// never sends a line twice.
pub fn lines_to_fire(lines: &[FireCandidate], course: Option<Course>) -> Vec<OrderLineId> {
    lines
        .iter()
        .filter(|l| l.course == course && !l.voided && !l.fired)
        .map(|l| l.id)
        .collect()
}

/// When an order's lines without a course go to the kitchen by themselves ("auto-fire"),
/// for restaurants whose kitchen works from the screen or the printer: nobody at a counter
/// presses "Marchar" for a sandwich, and an order nobody fires is food nobody cooks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutoFire {
    /// When the order is placed: staff took it at the counter and it is wanted now.
    OnPlacement,
    /// When the restaurant accepts it (pending → confirmed or preparing): orders from the
    /// website, the chat, the phone, takeaway and delivery wait for a yes first.
    OnAcceptance,
    /// Never: a table's tab is fired course by course by its waiter.
    Never,
}

impl AutoFire {
    /// The moment for an order of `channel`.
    pub fn of(channel: Channel) -> AutoFire {
        match channel {
            Channel::Counter => AutoFire::OnPlacement,
            Channel::DineIn => AutoFire::Never,
            Channel::Takeaway
            | Channel::Delivery
            | Channel::Widget
            | Channel::Chat
            | Channel::Whatsapp
            | Channel::Phone => AutoFire::OnAcceptance,
        }
    }

    /// Whether the status change `from` → `to` of an order of `channel` fires its
    /// course-less lines. A counter order fired when placed has nothing left then, and an
    /// order jumped straight to ready or completed was cooked without the screen.
    pub fn on_transition(channel: Channel, from: OrderStatus, to: OrderStatus) -> bool {
        AutoFire::of(channel) != AutoFire::Never
            && from == OrderStatus::Pending
            && matches!(to, OrderStatus::Confirmed | OrderStatus::Preparing)
    }
}

/// How late a kitchen ticket is, for the colour of its timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Within the expected time (green).
    OnTime,
    /// Past the warning threshold (yellow).
    Warning,
    /// Past the late threshold (red).
    Late,
}

/// Colour thresholds of a kitchen screen, in minutes since the course was fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Thresholds {
    /// From this many minutes the ticket is yellow.
    pub warning_minutes: u32,
    /// From this many minutes the ticket is red.
    pub late_minutes: u32,
}

impl Default for Thresholds {
    /// 10 and 20 minutes: what most kitchen screens ship with.
    fn default() -> Self {
        Thresholds {
            warning_minutes: 10,
            late_minutes: 20,
        }
    }
}

impl Thresholds {
    /// The urgency of a ticket fired `elapsed_seconds` ago. A late threshold below the
    /// warning one wins (red is never hidden behind yellow).
    pub fn urgency(self, elapsed_seconds: i64) -> Urgency {
        let minutes = elapsed_seconds.max(0) / 60;
        if minutes >= i64::from(self.late_minutes) {
            Urgency::Late
        } else if minutes >= i64::from(self.warning_minutes) {
            Urgency::Warning
        } else {
            Urgency::OnTime
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn courses_round_trip_their_wire_names() {
        for course in Course::ALL {
            assert_eq!(course.as_str().parse::<Course>(), Ok(course));
            assert_eq!(
                serde_json::to_value(course).expect("course"),
                serde_json::json!(course.as_str())
            );
        }
        assert!("sopa".parse::<Course>().is_err());
    }

    #[test]
    fn seats_refuse_zero_and_too_many() {
        assert!(serde_json::from_str::<Seat>("0").is_err());
        assert!(serde_json::from_str::<Seat>("100").is_err());
        assert_eq!(serde_json::from_str::<Seat>("4").expect("seat").get(), 4);
    }

    #[test]
    fn urgency_follows_the_thresholds() {
        let t = Thresholds::default();
        assert_eq!(t.urgency(0), Urgency::OnTime);
        assert_eq!(t.urgency(9 * 60 + 59), Urgency::OnTime);
        assert_eq!(t.urgency(10 * 60), Urgency::Warning);
        assert_eq!(t.urgency(20 * 60), Urgency::Late);
        assert_eq!(t.urgency(-5), Urgency::OnTime);
        let odd = Thresholds {
            warning_minutes: 30,
            late_minutes: 5,
        };
        assert_eq!(odd.urgency(6 * 60), Urgency::Late);
    }

    #[test]
    fn counter_fires_when_placed_tables_never_and_the_rest_when_accepted() {
        assert_eq!(AutoFire::of(Channel::Counter), AutoFire::OnPlacement);
        assert_eq!(AutoFire::of(Channel::DineIn), AutoFire::Never);
        // Only acceptance fires: pending → confirmed or preparing, for every channel but
        // a table's.
        for channel in Channel::ALL {
            let firing = OrderStatus::ALL
                .iter()
                .flat_map(|from| OrderStatus::ALL.iter().map(move |to| (*from, *to)))
                .filter(|(from, to)| AutoFire::on_transition(channel, *from, *to))
                .count();
            assert_eq!(firing, if channel == Channel::DineIn { 0 } else { 2 });
        }
        assert!(AutoFire::on_transition(
            Channel::Counter,
            OrderStatus::Pending,
            OrderStatus::Preparing
        ));
        assert!(!AutoFire::on_transition(
            Channel::Takeaway,
            OrderStatus::Pending,
            OrderStatus::Completed
        ));
        assert!(AutoFire::on_transition(
            Channel::Widget,
            OrderStatus::Pending,
            OrderStatus::Confirmed
        ));
        assert!(!AutoFire::on_transition(
            Channel::Widget,
            OrderStatus::Confirmed,
            OrderStatus::Preparing
        ));
        assert!(!AutoFire::on_transition(
            Channel::Chat,
            OrderStatus::Pending,
            OrderStatus::Cancelled
        ));
    }

    fn candidate() -> impl Strategy<Value = FireCandidate> {
        (
            proptest::option::of(proptest::sample::select(Course::ALL.to_vec())),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(course, voided, fired)| FireCandidate {
                id: OrderLineId::new(),
                course,
                voided,
                fired,
            })
    }

    proptest! {
        /// Firing any sequence of courses sends every live line at most once, only when
        /// its own course is fired, and every live line of a fired course is sent.
        #[test]
        fn firing_sends_each_live_line_exactly_once(
            mut lines in proptest::collection::vec(candidate(), 0..30),
            fires in proptest::collection::vec(
                proptest::option::of(proptest::sample::select(Course::ALL.to_vec())), 0..10),
        ) {
            let already: Vec<OrderLineId> =
                lines.iter().filter(|l| l.fired).map(|l| l.id).collect();
            let mut sent: Vec<OrderLineId> = Vec::new();
            for course in &fires {
                let fired = lines_to_fire(&lines, *course);
                for id in &fired {
                    let line = lines.iter_mut().find(|l| l.id == *id).expect("fired line");
                    prop_assert_eq!(line.course, *course);
                    prop_assert!(!line.voided);
                    prop_assert!(!line.fired);
                    line.fired = true;
                }
                sent.extend(fired);
            }
            let mut unique = sent.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), sent.len());
            for line in &lines {
                if already.contains(&line.id) {
                    prop_assert!(!sent.contains(&line.id));
                } else {
                    let should = !line.voided && fires.contains(&line.course);
                    prop_assert_eq!(sent.contains(&line.id), should);
                }
            }
        }
    }
}
