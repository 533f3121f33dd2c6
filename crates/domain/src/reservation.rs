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

/// The channels of reservations born on the cloud (the widget, the owners' dashboard and
/// WhatsApp conversations). Every such booking that holds a table counts against the
/// slot's online quota, whoever confirmed it: both sides count the same rows, so they
/// agree.
pub const CLOUD_CHANNELS: [&str; 3] = ["online", "dashboard", "whatsapp"];

/// Whether a reservation's channel is one of [`CLOUD_CHANNELS`].
pub fn is_cloud_channel(channel: &str) -> bool {
    CLOUD_CHANNELS.contains(&channel)
}

/// The tables the online quota may use in a slot `[starts_at, ends_at)`: the first
/// `quota` tables in service (in id order) not held then by a booking born at the
/// location. Bookings born on the cloud are left out on purpose: the set depends only on
/// what the location booked, so the cloud confirming on its own never changes it, and the
/// counter, keeping these tables free while cut off, never changes it either (it books
/// outside the set, past its first `quota` tables). Both sides therefore compute the same
/// set from the same synced view, for as long as they are apart.
pub fn online_tables(
    tables: &[TableCapacity],
    location_bookings: &[Booking],
    starts_at: Timestamp,
    ends_at: Timestamp,
    quota: u32,
) -> Vec<TableId> {
    let mut ordered: Vec<&TableCapacity> = tables.iter().filter(|t| t.active).collect();
    ordered.sort_by_key(|t| t.id);
    ordered
        .into_iter()
        .filter(|t| {
            !location_bookings
                .iter()
                .any(|b| b.table_id == t.id && b.overlaps(starts_at, ends_at))
        })
        .take(quota as usize)
        .map(|t| t.id)
        .collect()
}

/// How many cloud-born bookings start exactly at `starts_at` (the quota is per slot).
fn in_slot(cloud_bookings: &[Booking], starts_at: Timestamp) -> u32 {
    let n = cloud_bookings
        .iter()
        .filter(|b| b.starts_at == starts_at)
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What the cloud does with a booking it receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "decision", content = "table_id")]
pub enum CloudBooking {
    /// Confirmed on this table at once (the location is offline and the quota allows).
    Confirm(TableId),
    /// Held for the restaurant to accept or decline when it sees it.
    Pending,
}

/// The facts the cloud decides a booking on, all from its synced copy.
#[derive(Clone, Copy, Debug)]
pub struct CloudBookingRequest<'a> {
    /// Whether a device of the location holds the live channel open.
    pub location_online: bool,
    /// The location's `bookings.online_quota_per_slot`.
    pub online_quota_per_slot: u32,
    /// The location's tables.
    pub tables: &'a [TableCapacity],
    /// Bookings born at the location that hold a table and overlap the booking.
    pub location_bookings: &'a [Booking],
    /// Bookings born on the cloud ([`CLOUD_CHANNELS`]) that hold a table and overlap it.
    pub cloud_bookings: &'a [Booking],
    /// The party.
    pub party_size: u32,
    /// The slot's start.
    pub starts_at: Timestamp,
    /// The booking's end.
    pub ends_at: Timestamp,
}

/// The cloud's rule for a booking: while the location is online the restaurant decides
/// (pending: the counter's capacity check accepts or declines it on arrival); while it is
/// offline the cloud confirms on its own only while fewer than the quota of cloud-born
/// bookings start in that slot and a free table among [`online_tables`] seats the party
/// ([`choose_table`] over them), else pending.
pub fn decide_cloud_booking(request: CloudBookingRequest<'_>) -> CloudBooking {
    if request.location_online
        || in_slot(request.cloud_bookings, request.starts_at) >= request.online_quota_per_slot
    {
        return CloudBooking::Pending;
    }
    let allowed = online_tables(
        request.tables,
        request.location_bookings,
        request.starts_at,
        request.ends_at,
        request.online_quota_per_slot,
    );
    let candidates: Vec<TableCapacity> = request
        .tables
        .iter()
        .filter(|t| allowed.contains(&t.id))
        .copied()
        .collect();
    let existing: Vec<Booking> = request
        .location_bookings
        .iter()
        .chain(request.cloud_bookings)
        .copied()
        .collect();
    match choose_table(
        &candidates,
        &existing,
        request.party_size,
        request.starts_at,
        request.ends_at,
        None,
    ) {
        Ok(table) => CloudBooking::Confirm(table),
        Err(_) => CloudBooking::Pending,
    }
}

/// A slot in which the cloud may confirm bookings: its start and the end of a booking
/// made then (the restaurant's default length).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuotaSlot {
    /// The slot's start.
    pub starts_at: Timestamp,
    /// The end of a booking made then.
    pub ends_at: Timestamp,
}

/// The counter's side of the quota: while its link to the cloud is down, the tables the
/// cloud may still confirm in every slot overlapping `[starts_at, ends_at)` (the slot's
/// [`online_tables`], unless the cloud-born bookings it knows already fill the slot's
/// quota) are treated as booked: they are returned as bookings to add to the existing
/// ones before [`choose_table`] runs. `location_bookings` and `cloud_bookings` must cover
/// every overlapping slot, not only the booking's own time.
pub fn quota_holds(
    tables: &[TableCapacity],
    location_bookings: &[Booking],
    cloud_bookings: &[Booking],
    slots: &[QuotaSlot],
    online_quota_per_slot: u32,
    starts_at: Timestamp,
    ends_at: Timestamp,
) -> Vec<Booking> {
    slots
        .iter()
        .filter(|s| s.starts_at < ends_at && starts_at < s.ends_at)
        .filter(|s| in_slot(cloud_bookings, s.starts_at) < online_quota_per_slot)
        .flat_map(|slot| {
            online_tables(
                tables,
                location_bookings,
                slot.starts_at,
                slot.ends_at,
                online_quota_per_slot,
            )
            .into_iter()
            .map(move |table_id| Booking {
                table_id,
                starts_at: slot.starts_at,
                ends_at: slot.ends_at,
            })
        })
        .collect()
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

    #[test]
    fn the_cloud_holds_bookings_while_the_location_is_online() {
        let tables = [table(4, true), table(4, true)];
        let request = CloudBookingRequest {
            location_online: true,
            online_quota_per_slot: 5,
            tables: &tables,
            location_bookings: &[],
            cloud_bookings: &[],
            party_size: 2,
            starts_at: at(0),
            ends_at: at(120),
        };
        assert_eq!(decide_cloud_booking(request), CloudBooking::Pending);
        let offline = CloudBookingRequest {
            location_online: false,
            ..request
        };
        let mut ids: Vec<TableId> = tables.iter().map(|t| t.id).collect();
        ids.sort();
        assert_eq!(decide_cloud_booking(offline), CloudBooking::Confirm(ids[0]));
        let promised = [Booking {
            table_id: ids[0],
            starts_at: at(0),
            ends_at: at(120),
        }];
        let spent = CloudBookingRequest {
            online_quota_per_slot: 1,
            cloud_bookings: &promised,
            ..offline
        };
        assert_eq!(decide_cloud_booking(spent), CloudBooking::Pending);
        let too_big = CloudBookingRequest {
            party_size: 6,
            ..offline
        };
        assert_eq!(decide_cloud_booking(too_big), CloudBooking::Pending);
    }

    #[test]
    fn the_counter_keeps_the_quota_tables_free_while_cut_off() {
        let tables = [table(2, true), table(4, true), table(6, true)];
        let mut ids: Vec<TableId> = tables.iter().map(|t| t.id).collect();
        ids.sort();
        let slot = QuotaSlot {
            starts_at: at(0),
            ends_at: at(120),
        };
        let holds = quota_holds(&tables, &[], &[], &[slot], 2, at(60), at(180));
        let held: Vec<TableId> = holds.iter().map(|b| b.table_id).collect();
        assert_eq!(held, ids[..2].to_vec());
        // A table the location booked then is not among them: the next one is.
        let booked = [Booking {
            table_id: ids[0],
            starts_at: at(0),
            ends_at: at(60),
        }];
        let held: Vec<TableId> = quota_holds(&tables, &booked, &[], &[slot], 2, at(60), at(180))
            .iter()
            .map(|b| b.table_id)
            .collect();
        assert_eq!(held, ids[1..].to_vec());
        // The quota of that slot is already used by cloud bookings: nothing is held.
        let promised: Vec<Booking> = ids[..2]
            .iter()
            .map(|&table_id| Booking {
                table_id,
                starts_at: at(0),
                ends_at: at(120),
            })
            .collect();
        assert!(quota_holds(&tables, &[], &promised, &[slot], 2, at(60), at(180)).is_empty());
        // A slot that does not overlap the booking holds nothing for it.
        assert!(quota_holds(&tables, &[], &[], &[slot], 2, at(120), at(240)).is_empty());
    }

    proptest! {
        /// From the same synced view, the cloud confirming on its own and the counter
        /// booking while cut off never take the same table at the same time, the cloud
        /// never confirms past the quota, and a party always gets a table that seats it.
        #[test]
        fn cloud_and_cut_off_counter_never_promise_the_same_table(
            specs in prop::collection::vec((1u32..=8, prop::bool::weighted(0.9)), 1..7),
            synced in prop::collection::vec((0usize..7, 0i64..8, any::<bool>()), 0..6),
            quota in 0u32..4,
            steps in prop::collection::vec(
                (any::<bool>(), 1u32..=8, 0i64..8, 0i64..4, 2i64..=8),
                0..40,
            ),
        ) {
            const SLOT: i64 = 60;
            const LENGTH: i64 = 120;
            let tables: Vec<TableCapacity> = specs.iter().map(|&(s, a)| table(s, a)).collect();
            let slot_at = |i: i64| (at(i * SLOT), at(i * SLOT + LENGTH));
            // The synced view both sides start from (some bookings born on the cloud).
            let mut view: Vec<(Booking, bool)> = Vec::new();
            for (t, slot, cloud_born) in synced {
                let Some(t) = tables.get(t) else { continue };
                let (starts_at, ends_at) = slot_at(slot);
                let booking = Booking { table_id: t.id, starts_at, ends_at };
                if !view.iter().any(|(b, _)| b.table_id == t.id && b.overlaps(starts_at, ends_at)) {
                    view.push((booking, cloud_born));
                }
            }
            let split = |bookings: &[(Booking, bool)]| -> (Vec<Booking>, Vec<Booking>) {
                let location = bookings.iter().filter(|(_, c)| !c).map(|(b, _)| *b).collect();
                let cloud = bookings.iter().filter(|(_, c)| *c).map(|(b, _)| *b).collect();
                (location, cloud)
            };
            let count_in = |bookings: &[(Booking, bool)], starts_at: Timestamp| {
                bookings.iter().filter(|(b, c)| *c && b.starts_at == starts_at).count() as u32
            };
            let mut cloud = view.clone();
            let mut counter: Vec<(Booking, bool)> = view.clone();
            let mut cloud_new: Vec<(Booking, u32)> = Vec::new();
            let mut counter_new: Vec<(Booking, u32)> = Vec::new();
            for (on_cloud, party, slot, offset, length) in steps {
                if on_cloud {
                    let (starts_at, ends_at) = slot_at(slot);
                    let (location_bookings, cloud_bookings) = split(&cloud);
                    let decision = decide_cloud_booking(CloudBookingRequest {
                        location_online: false,
                        online_quota_per_slot: quota,
                        tables: &tables,
                        location_bookings: &location_bookings,
                        cloud_bookings: &cloud_bookings,
                        party_size: party,
                        starts_at,
                        ends_at,
                    });
                    if let CloudBooking::Confirm(table_id) = decision {
                        let booking = Booking { table_id, starts_at, ends_at };
                        cloud.push((booking, true));
                        cloud_new.push((booking, party));
                    }
                } else {
                    // The counter books any quarter hour, any length, while cut off.
                    let starts_at = at(slot * SLOT + offset * 15);
                    let ends_at = at(slot * SLOT + offset * 15 + length * 15);
                    let (location_bookings, cloud_bookings) = split(&counter);
                    let slots: Vec<QuotaSlot> = (0..8)
                        .map(|i| {
                            let (starts_at, ends_at) = slot_at(i);
                            QuotaSlot { starts_at, ends_at }
                        })
                        .collect();
                    let mut blocked: Vec<Booking> = counter.iter().map(|(b, _)| *b).collect();
                    blocked.extend(quota_holds(
                        &tables, &location_bookings, &cloud_bookings, &slots, quota, starts_at, ends_at,
                    ));
                    if let Ok(table_id) = choose_table(&tables, &blocked, party, starts_at, ends_at, None) {
                        let booking = Booking { table_id, starts_at, ends_at };
                        counter.push((booking, false));
                        counter_new.push((booking, party));
                    }
                }
            }
            for (c, _) in &cloud_new {
                for (k, _) in &counter_new {
                    prop_assert!(
                        c.table_id != k.table_id || !c.overlaps(k.starts_at, k.ends_at),
                        "the cloud and the counter both promised a table"
                    );
                }
            }
            for i in 0..8 {
                let (s, _) = slot_at(i);
                let before = count_in(&view, s);
                let after = count_in(&cloud, s);
                prop_assert!(after <= before.max(quota), "quota exceeded at slot {i}");
            }
            for (b, party) in cloud_new.iter().chain(&counter_new) {
                let t = tables.iter().find(|t| t.id == b.table_id).expect("known table");
                prop_assert!(t.active && t.seats >= *party);
            }
        }
    }
}
