//! Reservations: their state machine and the choice of a table.
//!
//! Capacity is a rule here, not a hope: a party never gets a table smaller than itself,
//! and two bookings never hold the same table at the same time.

use crate::ids::TableId;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// Where a reservation is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReservationStatus {
    /// Made, not yet confirmed by the restaurant or the diner.
    Booked,
    /// Confirmed.
    Confirmed,
    /// The party is at its table.
    Seated,
    /// The party left; terminal.
    Completed,
    /// The party never came; terminal.
    NoShow,
    /// Cancelled by the diner or the restaurant; terminal.
    Cancelled,
}

impl ReservationStatus {
    /// Every status.
    pub const ALL: [ReservationStatus; 6] = [
        ReservationStatus::Booked,
        ReservationStatus::Confirmed,
        ReservationStatus::Seated,
        ReservationStatus::Completed,
        ReservationStatus::NoShow,
        ReservationStatus::Cancelled,
    ];

    /// The wire name, e.g. `no_show`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReservationStatus::Booked => "booked",
            ReservationStatus::Confirmed => "confirmed",
            ReservationStatus::Seated => "seated",
            ReservationStatus::Completed => "completed",
            ReservationStatus::NoShow => "no_show",
            ReservationStatus::Cancelled => "cancelled",
        }
    }

    /// True when nothing can follow.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            ReservationStatus::Completed | ReservationStatus::NoShow | ReservationStatus::Cancelled
        )
    }

    /// True while the reservation holds its table: only these count as `Booking`s for
    /// `choose_table`.
    pub fn holds_table(self) -> bool {
        matches!(
            self,
            ReservationStatus::Booked | ReservationStatus::Confirmed | ReservationStatus::Seated
        )
    }

    /// Position on the forward path; `None` for no-show and cancelled, which are off it.
    fn rank(self) -> Option<u8> {
        match self {
            ReservationStatus::Booked => Some(0),
            ReservationStatus::Confirmed => Some(1),
            ReservationStatus::Seated => Some(2),
            ReservationStatus::Completed => Some(3),
            ReservationStatus::NoShow | ReservationStatus::Cancelled => None,
        }
    }
}

impl fmt::Display for ReservationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReservationStatus {
    type Err = crate::order::UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReservationStatus::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| crate::order::UnknownValue(s.to_owned()))
    }
}

/// Why a reservation status change was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum ReservationTransitionError {
    /// Already in that state (a retried request may treat this as done).
    #[error("the reservation is already {0}")]
    SameState(ReservationStatus),
    /// Completed, no-show and cancelled reservations cannot change.
    #[error("the reservation is {0} and cannot change")]
    Terminal(ReservationStatus),
    /// Statuses only move forward.
    #[error("a reservation cannot go back from {from} to {to}")]
    Backwards {
        /// The current status.
        from: ReservationStatus,
        /// The refused status.
        to: ReservationStatus,
    },
    /// No-show and cancelled only apply before the party is seated.
    #[error("a {from} reservation cannot become {to}")]
    NotAllowed {
        /// The current status.
        from: ReservationStatus,
        /// The refused status.
        to: ReservationStatus,
    },
}

/// Checks one reservation status change: forward along booked → confirmed → seated →
/// completed (skipping ahead allowed, e.g. an unconfirmed party that shows up is seated),
/// or to no-show / cancelled from booked or confirmed.
pub fn check_reservation_transition(
    from: ReservationStatus,
    to: ReservationStatus,
) -> Result<(), ReservationTransitionError> {
    if from == to {
        return Err(ReservationTransitionError::SameState(from));
    }
    if from.is_terminal() {
        return Err(ReservationTransitionError::Terminal(from));
    }
    match (from.rank(), to.rank()) {
        (Some(f), Some(t)) if t < f => Err(ReservationTransitionError::Backwards { from, to }),
        (_, None) if from == ReservationStatus::Seated => {
            Err(ReservationTransitionError::NotAllowed { from, to })
        }
        _ => Ok(()),
    }
}

/// A table as the capacity check sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TableCapacity {
    /// The table.
    pub id: TableId,
    /// How many it seats.
    pub seats: u32,
    /// Inactive tables (out of service, terrace in winter) are never assigned.
    pub active: bool,
}

/// A reservation holding a table over `[starts_at, ends_at)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Booking {
    /// The table held.
    pub table_id: TableId,
    /// When it starts.
    #[schema(value_type = String)]
    pub starts_at: Timestamp,
    /// When it ends (exclusive: a booking may start exactly then).
    #[schema(value_type = String)]
    pub ends_at: Timestamp,
}

impl Booking {
    /// True when the two half-open intervals share an instant.
    fn overlaps(&self, starts_at: Timestamp, ends_at: Timestamp) -> bool {
        self.starts_at < ends_at && starts_at < self.ends_at
    }
}

/// Why no table was assigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum CapacityError {
    /// A party of zero.
    #[error("the party size must be at least 1")]
    InvalidPartySize,
    /// The booking ends at or before it starts.
    #[error("the booking must end after it starts")]
    InvalidTimeRange,
    /// The preferred table does not exist.
    #[error("table {0} does not exist")]
    UnknownTable(TableId),
    /// The preferred table is out of service.
    #[error("table {0} is not in service")]
    TableInactive(TableId),
    /// The preferred table has too few seats.
    #[error("table {table} seats {seats}, the party is {party_size}")]
    TableTooSmall {
        /// The table.
        table: TableId,
        /// Its seats.
        seats: u32,
        /// The party.
        party_size: u32,
    },
    /// The preferred table is held by another booking at that time.
    #[error("table {table} is booked from {starts_at} to {ends_at}")]
    TableTaken {
        /// The table.
        table: TableId,
        /// The conflicting booking's start.
        starts_at: Timestamp,
        /// The conflicting booking's end.
        ends_at: Timestamp,
    },
    /// No table in service seats the party, whatever the time.
    #[error("no table seats {party_size} (largest: {largest})")]
    NoTableLargeEnough {
        /// The party.
        party_size: u32,
        /// The largest table in service (0 when none).
        largest: u32,
    },
    /// Tables large enough exist, but all are booked at that time.
    #[error("every table for {party_size} is booked at that time")]
    NoTableFree {
        /// The party.
        party_size: u32,
    },
}

/// Picks a table for a party over `[starts_at, ends_at)`: the preferred one if it is in
/// service, large enough and free (else a precise error), otherwise the smallest free
/// table in service that seats the party (ties go to the earlier table in `tables`).
/// `existing` holds the bookings that hold a table (see `ReservationStatus::holds_table`),
/// without the reservation being moved.
pub fn choose_table(
    tables: &[TableCapacity],
    existing: &[Booking],
    party_size: u32,
    starts_at: Timestamp,
    ends_at: Timestamp,
    preferred: Option<TableId>,
) -> Result<TableId, CapacityError> {
    if party_size == 0 {
        return Err(CapacityError::InvalidPartySize);
    }
    if ends_at <= starts_at {
        return Err(CapacityError::InvalidTimeRange);
    }
    let conflict = |table: TableId| {
        existing
            .iter()
            .find(|b| b.table_id == table && b.overlaps(starts_at, ends_at))
    };
    if let Some(wanted) = preferred {
        let table = tables
            .iter()
            .find(|t| t.id == wanted)
            .ok_or(CapacityError::UnknownTable(wanted))?;
        if !table.active {
            return Err(CapacityError::TableInactive(wanted));
        }
        if table.seats < party_size {
            return Err(CapacityError::TableTooSmall {
                table: wanted,
                seats: table.seats,
                party_size,
            });
        }
        if let Some(b) = conflict(wanted) {
            return Err(CapacityError::TableTaken {
                table: wanted,
                starts_at: b.starts_at,
                ends_at: b.ends_at,
            });
        }
        return Ok(wanted);
    }
    let fitting = || tables.iter().filter(|t| t.active && t.seats >= party_size);
    if let Some(table) = fitting()
        .filter(|t| conflict(t.id).is_none())
        .min_by_key(|t| t.seats)
    {
        return Ok(table.id);
    }
    if fitting().next().is_some() {
        Err(CapacityError::NoTableFree { party_size })
    } else {
        let largest = tables
            .iter()
            .filter(|t| t.active)
            .map(|t| t.seats)
            .max()
            .unwrap_or(0);
        Err(CapacityError::NoTableLargeEnough {
            party_size,
            largest,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReservationStatus::*;
    use proptest::prelude::*;

    fn at(minutes: i64) -> Timestamp {
        Timestamp::from_second(1_780_000_000 + minutes * 60).expect("in range")
    }

    fn table(seats: u32, active: bool) -> TableCapacity {
        TableCapacity {
            id: TableId::new(),
            seats,
            active,
        }
    }

    #[test]
    fn reservation_transitions() {
        assert_eq!(check_reservation_transition(Booked, Confirmed), Ok(()));
        assert_eq!(check_reservation_transition(Booked, Seated), Ok(()));
        assert_eq!(check_reservation_transition(Seated, Completed), Ok(()));
        assert_eq!(check_reservation_transition(Confirmed, NoShow), Ok(()));
        assert_eq!(check_reservation_transition(Booked, Cancelled), Ok(()));
        assert_eq!(
            check_reservation_transition(Seated, Confirmed),
            Err(ReservationTransitionError::Backwards {
                from: Seated,
                to: Confirmed
            })
        );
        assert_eq!(
            check_reservation_transition(Seated, NoShow),
            Err(ReservationTransitionError::NotAllowed {
                from: Seated,
                to: NoShow
            })
        );
        assert_eq!(
            check_reservation_transition(Booked, Booked),
            Err(ReservationTransitionError::SameState(Booked))
        );
        for terminal in [Completed, NoShow, Cancelled] {
            for to in ReservationStatus::ALL
                .into_iter()
                .filter(|s| *s != terminal)
            {
                assert_eq!(
                    check_reservation_transition(terminal, to),
                    Err(ReservationTransitionError::Terminal(terminal))
                );
            }
        }
        for status in ReservationStatus::ALL {
            assert_eq!(status.as_str().parse::<ReservationStatus>(), Ok(status));
            assert_eq!(serde_json::to_value(status).expect("ser"), status.as_str());
        }
    }

    #[test]
    fn picks_the_smallest_free_table() {
        let tables = [
            table(6, true),
            table(2, true),
            table(4, true),
            table(4, true),
            table(2, false),
        ];
        let ids: Vec<TableId> = tables.iter().map(|t| t.id).collect();
        let pick = |existing: &[Booking], party, pref| {
            choose_table(&tables, existing, party, at(0), at(120), pref)
        };
        assert_eq!(
            pick(&[], 3, None),
            Ok(ids[2]),
            "smallest that fits, first on ties"
        );
        assert_eq!(pick(&[], 1, None), Ok(ids[1]), "never the inactive 2-top");
        let taken = Booking {
            table_id: ids[2],
            starts_at: at(60),
            ends_at: at(180),
        };
        assert_eq!(pick(&[taken], 3, None), Ok(ids[3]));
        // Half-open: a booking ending when ours starts does not overlap.
        let before = Booking {
            table_id: ids[2],
            starts_at: at(-120),
            ends_at: at(0),
        };
        let after = Booking {
            table_id: ids[2],
            starts_at: at(120),
            ends_at: at(240),
        };
        assert_eq!(pick(&[before, after], 3, None), Ok(ids[2]));
        let all_big = [
            taken,
            Booking {
                table_id: ids[3],
                ..taken
            },
            Booking {
                table_id: ids[0],
                ..taken
            },
        ];
        assert_eq!(
            pick(&all_big, 3, None),
            Err(CapacityError::NoTableFree { party_size: 3 })
        );
        assert_eq!(
            pick(&[], 7, None),
            Err(CapacityError::NoTableLargeEnough {
                party_size: 7,
                largest: 6
            })
        );
        assert_eq!(pick(&[], 0, None), Err(CapacityError::InvalidPartySize));
        assert_eq!(
            choose_table(&tables, &[], 2, at(10), at(10), None),
            Err(CapacityError::InvalidTimeRange)
        );
    }

    #[test]
    fn preferred_table_is_checked_precisely() {
        let tables = [table(2, true), table(6, true), table(8, false)];
        let ids: Vec<TableId> = tables.iter().map(|t| t.id).collect();
        let taken = Booking {
            table_id: ids[1],
            starts_at: at(60),
            ends_at: at(180),
        };
        let pick = |party, pref| choose_table(&tables, &[taken], party, at(0), at(120), Some(pref));
        assert_eq!(
            pick(4, ids[1]),
            Err(CapacityError::TableTaken {
                table: ids[1],
                starts_at: at(60),
                ends_at: at(180)
            })
        );
        assert_eq!(
            pick(4, ids[0]),
            Err(CapacityError::TableTooSmall {
                table: ids[0],
                seats: 2,
                party_size: 4
            })
        );
        assert_eq!(pick(4, ids[2]), Err(CapacityError::TableInactive(ids[2])));
        let stranger = TableId::new();
        assert_eq!(
            pick(4, stranger),
            Err(CapacityError::UnknownTable(stranger))
        );
        assert_eq!(pick(2, ids[0]), Ok(ids[0]));
        assert_eq!(
            choose_table(&tables, &[taken], 4, at(180), at(300), Some(ids[1])),
            Ok(ids[1])
        );
    }

    proptest! {
        #[test]
        fn accepted_bookings_never_overlap_or_overflow(
            specs in prop::collection::vec((1u32..=10, prop::bool::weighted(0.85)), 1..8),
            requests in prop::collection::vec(
                (1u32..=12, 0i64..48, 2i64..=12, prop::option::of(0usize..8)),
                0..60,
            ),
        ) {
            let tables: Vec<TableCapacity> = specs.iter().map(|&(s, a)| table(s, a)).collect();
            let mut accepted: Vec<(Booking, u32)> = Vec::new();
            for (party, start, length, preferred) in requests {
                // Quarter-hour starts over 12 hours, 30 minutes to 3 hours long.
                let (starts_at, ends_at) = (at(start * 15), at(start * 15 + length * 15));
                let preferred = preferred.and_then(|i| tables.get(i)).map(|t| t.id);
                let existing: Vec<Booking> = accepted.iter().map(|(b, _)| *b).collect();
                match choose_table(&tables, &existing, party, starts_at, ends_at, preferred) {
                    Ok(table_id) => accepted.push((Booking { table_id, starts_at, ends_at }, party)),
                    Err(CapacityError::NoTableFree { .. } | CapacityError::NoTableLargeEnough { .. }) => {
                        // The refusal must be true: no table in service that fits is free.
                        let free = tables.iter().any(|t| {
                            t.active && t.seats >= party
                                && !existing.iter().any(|b| b.table_id == t.id && b.overlaps(starts_at, ends_at))
                        });
                        prop_assert!(!free);
                    }
                    Err(_) => prop_assert!(preferred.is_some()),
                }
            }
            for (i, (a, party)) in accepted.iter().enumerate() {
                let t = tables.iter().find(|t| t.id == a.table_id).expect("known table");
                prop_assert!(t.active && t.seats >= *party);
                for (b, _) in &accepted[i + 1..] {
                    prop_assert!(a.table_id != b.table_id || !a.overlaps(b.starts_at, b.ends_at));
                }
            }
        }
    }
}
