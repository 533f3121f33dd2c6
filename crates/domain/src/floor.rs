//! The service floor's rules: what a table is doing now, and what moving or merging a
//! table's tab does to its lines.
//!
//! A tab is an open order of channel `dine_in` on a table, kept open across rounds. Moving
//! it to a free table only changes its table; moving it onto an occupied table merges it
//! into the tab there, and then — as everywhere on an order — nothing is rewritten: each
//! live line of the moved tab is voided (reason "trasladada") and added again to the
//! other tab, both recorded with who did it, so the sync's append-only rules hold and the
//! amounts are conserved.

use crate::ids::OrderLineId;
use crate::money::Clp;
use serde::{Deserialize, Serialize};

/// How far ahead a booking makes its free table "reservada pronto".
pub const RESERVED_SOON_MINUTES: i64 = 60;

/// What a table is doing now, as the floor plan colours it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TableState {
    /// Libre: nobody there, nothing booked soon, clean.
    Free,
    /// Ocupada: a tab is open on it.
    Occupied,
    /// Pidió la cuenta: its tab is open and the diners asked for the bill.
    BillRequested,
    /// Reservada pronto: free, with a booking due within [`RESERVED_SOON_MINUTES`].
    ReservedSoon,
    /// Por limpiar: its tab was paid or closed and staff have not marked it clean.
    ToClean,
}

/// What is known of a table, from which its state follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TableFacts {
    /// A tab is open on it.
    pub tab_open: bool,
    /// Its open tab asked for the bill.
    pub bill_requested: bool,
    /// A tab closed on it after the last time it was marked clean.
    pub needs_cleaning: bool,
    /// Minutes until its next booking (negative: late, within the grace), if any.
    pub booking_in_minutes: Option<i64>,
}

/// The state of a table. An open tab wins over everything (the diners are there);
/// a dirty table is not offered to the next party even if it is booked; a booking soon
/// only shows on a free, clean table.
pub fn table_state(facts: TableFacts) -> TableState {
    if facts.tab_open {
        if facts.bill_requested {
            TableState::BillRequested
        } else {
            TableState::Occupied
        }
    } else if facts.needs_cleaning {
        TableState::ToClean
    } else if facts
        .booking_in_minutes
        .is_some_and(|m| m <= RESERVED_SOON_MINUTES)
    {
        TableState::ReservedSoon
    } else {
        TableState::Free
    }
}

bounded_number! {
    /// How many people sit at a tab (1 to [`Covers::MAX`]): the kitchen plates for them and
    /// the average ticket per cover is the floor's measure.
    pub struct Covers(1..=99) else "covers must be 1 to {}";
}

impl Covers {
    /// Two tabs merged: their diners together, capped at the maximum.
    pub fn merged(self, other: Covers) -> Covers {
        Covers(self.0.saturating_add(other.0).min(Self::MAX))
    }
}

bounded_number! {
    /// A table's cell on its area's floor plan (0 to [`GridCell::MAX`] across or down), so
    /// the panel lays the room out as it is; placed by drag and drop.
    pub struct GridCell(0..=49) else "grid cells go from 0 to {}";
}

/// A line of a tab as a move sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TabLine {
    /// The line.
    pub id: OrderLineId,
    /// What it adds to the tab.
    pub amount: Clp,
    /// Voided lines stay where they are (they are history, not food).
    pub voided: bool,
}

/// Where a tab is asked to go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Destination {
    /// The target is the tab's own table.
    pub same_table: bool,
    /// A tab is open on the target table.
    pub occupied: bool,
    /// The staff asked to merge into the tab there.
    pub merge: bool,
}

/// Why a tab cannot move.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    /// The tab is already at that table.
    #[error("the tab is already at that table")]
    SameTable,
    /// A tab is open there and merging was not asked for.
    #[error("the table is occupied")]
    TableOccupied,
    /// Merging was asked for but nobody is at the target table.
    #[error("nothing to merge with")]
    NothingToMerge,
    /// The moved tab has payments: they belong to its order, so its lines cannot leave it.
    #[error("the tab has payments")]
    TabHasPayments,
}

/// One line carried to the other tab: voided here, added there with a new id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CarriedLine {
    /// The line voided on the moved tab.
    pub from: OrderLineId,
    /// Its copy on the target tab.
    pub to: OrderLineId,
}

/// What a move does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TabMove {
    /// The tab changes table; its lines stay as they are.
    Relocate,
    /// The tab's live lines are carried to the tab at the target, which it then closes.
    Merge(Vec<CarriedLine>),
}

/// Decides what moving a tab to another table does. `new_id` names each carried line's
/// copy (fresh ids in the service; fixed in tests).
pub fn plan_move(
    lines: &[TabLine],
    paid: Clp,
    to: Destination,
    mut new_id: impl FnMut() -> OrderLineId,
) -> Result<TabMove, MoveError> {
    if to.same_table {
        return Err(MoveError::SameTable);
    }
    match (to.occupied, to.merge) {
        (false, true) => Err(MoveError::NothingToMerge),
        (false, false) => Ok(TabMove::Relocate),
        (true, false) => Err(MoveError::TableOccupied),
        (true, true) if paid != Clp::ZERO => Err(MoveError::TabHasPayments),
        (true, true) => Ok(TabMove::Merge(
            lines
                .iter()
                .filter(|l| !l.voided)
                .map(|l| CarriedLine {
                    from: l.id,
                    to: new_id(),
                })
                .collect(),
        )),
    }
}

/// A line that merging tables copied from another tab, as the rule for doubled merges sees
/// it (every copy of the origin, live or voided).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CopiedLine {
    /// The copy.
    pub id: OrderLineId,
    /// The line of the merged tab it is the copy of.
    pub moved_from: OrderLineId,
    /// Voided already (by staff, or by this rule on another counter).
    pub voided: bool,
}

/// Two counters merging the same tab offline into different tables each void its lines
/// and copy them to their table: once they sync, the diners' food is on two tabs. Of the
/// copies of one line the first made (the smallest id; ids are UUIDv7) stands and every
/// other live copy is voided, so the food is charged once. Every counter decides the same
/// on the same rows, whatever it heard first: a copy it kept is voided later only when an
/// earlier one arrives, so all converge on the first. A first copy that staff voided keeps
/// the others voided too (the food was voided). Returns the copies to void.
pub fn doubled_copies(copies: &[CopiedLine]) -> Vec<OrderLineId> {
    let mut first: std::collections::BTreeMap<OrderLineId, OrderLineId> =
        std::collections::BTreeMap::new();
    for copy in copies {
        first
            .entry(copy.moved_from)
            .and_modify(|kept| *kept = (*kept).min(copy.id))
            .or_insert(copy.id);
    }
    let mut doubled: Vec<OrderLineId> = copies
        .iter()
        .filter(|c| !c.voided && first.get(&c.moved_from) != Some(&c.id))
        .map(|c| c.id)
        .collect();
    doubled.sort();
    doubled.dedup();
    doubled
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, HashMap};

    #[test]
    fn an_open_tab_wins_then_cleaning_then_a_booking() {
        let facts = |tab_open, bill_requested, needs_cleaning, booking| TableFacts {
            tab_open,
            bill_requested,
            needs_cleaning,
            booking_in_minutes: booking,
        };
        assert_eq!(
            table_state(facts(false, false, false, None)),
            TableState::Free
        );
        assert_eq!(
            table_state(facts(true, false, true, Some(5))),
            TableState::Occupied
        );
        assert_eq!(
            table_state(facts(true, true, false, None)),
            TableState::BillRequested
        );
        assert_eq!(
            table_state(facts(false, false, true, Some(5))),
            TableState::ToClean
        );
        assert_eq!(
            table_state(facts(false, false, false, Some(60))),
            TableState::ReservedSoon
        );
        assert_eq!(
            table_state(facts(false, false, false, Some(-10))),
            TableState::ReservedSoon
        );
        assert_eq!(
            table_state(facts(false, false, false, Some(61))),
            TableState::Free
        );
        // A bill asked for by a tab that has closed means nothing any more.
        assert_eq!(
            table_state(facts(false, true, false, None)),
            TableState::Free
        );
    }

    #[test]
    fn grid_cells_are_zero_to_forty_nine() {
        assert_eq!(
            serde_json::from_str::<GridCell>("0").expect("cell").get(),
            0
        );
        assert_eq!(
            serde_json::from_str::<GridCell>("49").expect("cell").get(),
            49
        );
        assert!(serde_json::from_str::<GridCell>("50").is_err());
        assert!(serde_json::from_str::<GridCell>("-1").is_err());
    }

    #[test]
    fn covers_are_one_to_ninety_nine_and_merge_capped() {
        assert!(serde_json::from_str::<Covers>("0").is_err());
        assert!(serde_json::from_str::<Covers>("100").is_err());
        let three: Covers = serde_json::from_str("3").expect("covers");
        let ninety: Covers = serde_json::from_str("90").expect("covers");
        assert_eq!(three.merged(three).get(), 6);
        assert_eq!(ninety.merged(ninety).get(), Covers::MAX);
    }

    #[test]
    fn moves_onto_an_occupied_table_need_merge_and_an_unpaid_tab() {
        let line = TabLine {
            id: OrderLineId::new(),
            amount: Clp(4990),
            voided: false,
        };
        let dead = TabLine {
            id: OrderLineId::new(),
            amount: Clp(8990),
            voided: true,
        };
        let lines = [line.clone(), dead];
        let to = |same_table, occupied, merge| Destination {
            same_table,
            occupied,
            merge,
        };
        let fresh = OrderLineId::new();
        let id = || fresh;
        assert_eq!(
            plan_move(&lines, Clp::ZERO, to(true, true, true), id),
            Err(MoveError::SameTable)
        );
        assert_eq!(
            plan_move(&lines, Clp::ZERO, to(false, false, false), id),
            Ok(TabMove::Relocate)
        );
        assert_eq!(
            plan_move(&lines, Clp::ZERO, to(false, true, false), id),
            Err(MoveError::TableOccupied)
        );
        assert_eq!(
            plan_move(&lines, Clp::ZERO, to(false, false, true), id),
            Err(MoveError::NothingToMerge)
        );
        assert_eq!(
            plan_move(&lines, Clp(1000), to(false, true, true), id),
            Err(MoveError::TabHasPayments)
        );
        // A paid tab may still change table: its payments go with its order.
        assert_eq!(
            plan_move(&lines, Clp(1000), to(false, false, false), id),
            Ok(TabMove::Relocate)
        );
        assert_eq!(
            plan_move(&lines, Clp::ZERO, to(false, true, true), id),
            Ok(TabMove::Merge(vec![CarriedLine {
                from: line.id,
                to: fresh
            }]))
        );
    }

    /// A floor in memory: tables holding at most one tab, tabs holding lines, and what
    /// each line the diners ordered has become ("where is it now").
    #[derive(Default)]
    struct Model {
        /// table → tab.
        seated: BTreeMap<u8, u32>,
        /// tab → its lines (id, amount, voided).
        tabs: HashMap<u32, Vec<TabLine>>,
        /// A carried line → the line it became.
        carried: HashMap<OrderLineId, OrderLineId>,
        next_tab: u32,
    }

    #[derive(Clone, Debug)]
    enum Op {
        Open(u8),
        Add(u8, i64),
        Void(u8, usize),
        Move { from: u8, to: u8, merge: bool },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..5).prop_map(Op::Open),
            (0u8..5, 1i64..50_000).prop_map(|(t, a)| Op::Add(t, a)),
            (0u8..5, 0usize..10).prop_map(|(t, i)| Op::Void(t, i)),
            (0u8..5, 0u8..5, any::<bool>()).prop_map(|(from, to, merge)| Op::Move {
                from,
                to,
                merge
            }),
        ]
    }

    impl Model {
        fn live_total(&self) -> i64 {
            self.tabs
                .values()
                .flatten()
                .filter(|l| !l.voided)
                .map(|l| l.amount.pesos())
                .sum()
        }

        /// Where an ordered line lives now, following its carries.
        fn now(&self, mut id: OrderLineId) -> OrderLineId {
            while let Some(next) = self.carried.get(&id) {
                id = *next;
            }
            id
        }
    }

    proptest! {
        /// Any sequence of opens, rounds, voids, moves and merges keeps the floor settled:
        /// one tab per table at most; every line the diners ordered (and staff did not
        /// void) is live in exactly one tab; the live amount on the floor is what was
        /// ordered minus what staff voided; nothing is lost or counted twice by a merge.
        #[test]
        fn moves_and_merges_conserve_lines_and_amounts(ops in proptest::collection::vec(op(), 0..60)) {
            let mut floor = Model::default();
            let mut ordered: Vec<(OrderLineId, i64)> = Vec::new();
            let mut staff_voided: Vec<OrderLineId> = Vec::new();
            for op in ops {
                match op {
                    Op::Open(table) => {
                        if let std::collections::btree_map::Entry::Vacant(seat) = floor.seated.entry(table) {
                            seat.insert(floor.next_tab);
                            floor.tabs.insert(floor.next_tab, Vec::new());
                            floor.next_tab += 1;
                        }
                    }
                    Op::Add(table, amount) => {
                        if let Some(tab) = floor.seated.get(&table) {
                            let id = OrderLineId::new();
                            floor.tabs.get_mut(tab).expect("tab").push(TabLine { id, amount: Clp(amount), voided: false });
                            ordered.push((id, amount));
                        }
                    }
                    Op::Void(table, index) => {
                        if let Some(tab) = floor.seated.get(&table) {
                            let lines = floor.tabs.get_mut(tab).expect("tab");
                            if let Some(line) = lines.get_mut(index).filter(|l| !l.voided) {
                                line.voided = true;
                                staff_voided.push(line.id);
                            }
                        }
                    }
                    Op::Move { from, to, merge } => {
                        let Some(&tab) = floor.seated.get(&from) else { continue };
                        let target = floor.seated.get(&to).copied();
                        let lines = floor.tabs[&tab].clone();
                        let planned = plan_move(
                            &lines,
                            Clp::ZERO,
                            Destination { same_table: from == to, occupied: target.is_some(), merge },
                            OrderLineId::new,
                        );
                        match planned {
                            Err(MoveError::TableOccupied) => prop_assert!(target.is_some() && !merge),
                            Err(MoveError::SameTable) => prop_assert_eq!(from, to),
                            Err(MoveError::NothingToMerge) => prop_assert!(target.is_none() && merge),
                            Err(MoveError::TabHasPayments) => prop_assert!(false, "nothing was paid"),
                            Ok(TabMove::Relocate) => {
                                prop_assert!(target.is_none());
                                floor.seated.remove(&from);
                                floor.seated.insert(to, tab);
                            }
                            Ok(TabMove::Merge(carried)) => {
                                let into = target.expect("merge needs a tab there");
                                for carry in &carried {
                                    let line = floor.tabs.get_mut(&tab).expect("tab").iter_mut()
                                        .find(|l| l.id == carry.from).expect("carried line is on the tab");
                                    prop_assert!(!line.voided, "a voided line is never carried");
                                    line.voided = true;
                                    let amount = line.amount;
                                    floor.tabs.get_mut(&into).expect("target").push(TabLine { id: carry.to, amount, voided: false });
                                    floor.carried.insert(carry.from, carry.to);
                                }
                                prop_assert!(floor.tabs[&tab].iter().all(|l| l.voided));
                                floor.seated.remove(&from);
                            }
                        }
                    }
                }
                // One tab per table, one table per open tab.
                let mut open: Vec<u32> = floor.seated.values().copied().collect();
                open.sort_unstable();
                open.dedup();
                prop_assert_eq!(open.len(), floor.seated.len());
                // Every ordered, not voided line lives in exactly one open tab.
                for (id, _) in &ordered {
                    let now = floor.now(*id);
                    if staff_voided.contains(&now) { continue }
                    let places: Vec<u32> = floor.seated.values().copied()
                        .filter(|tab| floor.tabs[tab].iter().any(|l| l.id == now && !l.voided))
                        .collect();
                    prop_assert_eq!(places.len(), 1, "line {} is in {:?}", id, places);
                }
                // Amounts are conserved: what was ordered minus what staff voided.
                let expected: i64 = ordered.iter()
                    .filter(|(id, _)| !staff_voided.contains(&floor.now(*id)))
                    .map(|(_, amount)| amount)
                    .sum();
                prop_assert_eq!(floor.live_total(), expected);
            }
        }
    }

    fn copy(id: u128, from: u128, voided: bool) -> CopiedLine {
        CopiedLine {
            id: OrderLineId(uuid::Uuid::from_u128(id)),
            moved_from: OrderLineId(uuid::Uuid::from_u128(from)),
            voided,
        }
    }

    #[test]
    fn a_line_merged_twice_keeps_its_first_copy() {
        let line = |n| OrderLineId(uuid::Uuid::from_u128(n));
        // Copies 10 and 20 of line 1 (two tables), copy 30 of line 2 alone.
        let copies = [copy(20, 1, false), copy(10, 1, false), copy(30, 2, false)];
        assert_eq!(doubled_copies(&copies), vec![line(20)]);
        // Staff voided the first copy: the food was voided, the second stays voided too.
        let copies = [copy(10, 1, true), copy(20, 1, false)];
        assert_eq!(doubled_copies(&copies), vec![line(20)]);
        // Already settled: nothing left to do.
        let copies = [copy(10, 1, false), copy(20, 1, true)];
        assert!(doubled_copies(&copies).is_empty());
    }

    proptest! {
        /// Whatever order counters hear of the copies in, settling what each heard and then
        /// what all heard leaves exactly the first copy of each line live (unless voided by
        /// staff), the same on every counter.
        #[test]
        fn doubled_merges_converge_on_the_first_copy(
            copies in proptest::collection::vec((0u128..40, 0u128..4, any::<bool>()), 1..20),
            heard in proptest::collection::vec(any::<bool>(), 20),
        ) {
            let mut all: Vec<CopiedLine> = Vec::new();
            for (id, from, voided) in copies {
                if all.iter().all(|c| c.id.0.as_u128() != id + 100) {
                    all.push(copy(id + 100, from, voided));
                }
            }
            let settle = |rows: &mut Vec<CopiedLine>| {
                let doubled = doubled_copies(rows);
                for row in rows.iter_mut() {
                    if doubled.contains(&row.id) {
                        row.voided = true;
                    }
                }
            };
            // One counter hears some of the copies first and settles them; then all.
            let mut partial: Vec<CopiedLine> = all
                .iter()
                .zip(heard.iter().cycle())
                .filter(|(_, h)| **h)
                .map(|(c, _)| *c)
                .collect();
            settle(&mut partial);
            let mut merged: Vec<CopiedLine> = all
                .iter()
                .map(|c| partial.iter().find(|p| p.id == c.id).copied().unwrap_or(*c))
                .collect();
            settle(&mut merged);
            let mut direct = all.clone();
            settle(&mut direct);
            // A void is final, so the counter that settled early may only have voided
            // more; it never voided a first copy.
            for from in 0u128..4 {
                let of = |rows: &[CopiedLine]| -> Vec<CopiedLine> {
                    rows.iter().filter(|c| c.moved_from.0.as_u128() == from).copied().collect()
                };
                let live: Vec<_> = of(&merged).into_iter().filter(|c| !c.voided).collect();
                prop_assert!(live.len() <= 1);
                if let Some(kept) = live.first() {
                    let first = of(&all).iter().map(|c| c.id).min();
                    prop_assert_eq!(Some(kept.id), first);
                }
                prop_assert_eq!(
                    of(&merged).iter().filter(|c| !c.voided).count(),
                    of(&direct).iter().filter(|c| !c.voided).count()
                );
            }
            prop_assert!(doubled_copies(&merged).is_empty());
        }
    }
}
