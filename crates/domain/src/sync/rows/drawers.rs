//! Synced rows of the cash drawers: sessions (written only by the counter that owns the
//! drawer, last writer wins), their movements and their counts (append-only ledgers: a
//! second count is a new row, a correction is a new movement). See `crate::drawer`.

use crate::drawer::{CashCount, MovementKind, SessionStatus};
use crate::hlc::Hlc;
use crate::ids::{DrawerCountId, DrawerId, DrawerMovementId, DrawerSessionId, PaymentId, UserId};
use crate::money::Clp;
use serde::{Deserialize, Serialize};

synced_row! {
    /// One session of one drawer. The expected amount is not stored while it is open (it
    /// is the float plus the movements); the count freezes it with the difference.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    #[schema(as = DrawerSessionRecord)]
    pub struct DrawerSession in DrawerSession {
        /// The session's id.
        pub id: DrawerSessionId,
        /// The drawer it belongs to (a session never mixes drawers).
        pub drawer_id: DrawerId,
        /// The drawer's name when opened (other counters do not keep this one's drawers).
        pub drawer_name: String,
        /// Where it stands.
        pub status: SessionStatus,
        /// The counted float it was opened with.
        pub opening_float: Clp,
        /// Who opened it.
        pub opened_by: Option<UserId>,
        /// When (RFC 3339).
        pub opened_at: String,
        /// The standing count's total.
        #[serde(default)]
        pub counted_total: Option<Clp>,
        /// What the drawer should have held at that count.
        #[serde(default)]
        pub expected_total: Option<Clp>,
        /// Counted minus expected.
        #[serde(default)]
        pub difference: Option<Clp>,
        /// The manager who asked for a second count, if one did.
        #[serde(default)]
        pub recount_requested_by: Option<UserId>,
        /// Who closed it.
        #[serde(default)]
        pub closed_by: Option<UserId>,
        /// When (RFC 3339).
        #[serde(default)]
        pub closed_at: Option<String>,
        /// HLC of the last change.
        #[schema(value_type = String)]
        pub updated_at: Hlc,
    }
}

synced_row! {
    /// One cash movement of a session; `amount` is positive and the kind gives the sign.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    #[schema(as = DrawerMovementRecord)]
    pub struct DrawerMovement in DrawerMovement {
        /// The movement's id.
        pub id: DrawerMovementId,
        /// Its session.
        pub session_id: DrawerSessionId,
        /// Sale, refund, pay-in or pay-out.
        pub kind: MovementKind,
        /// How much (positive).
        pub amount: Clp,
        /// The payment (or refund) row behind a sale or refund.
        #[serde(default)]
        pub payment_id: Option<PaymentId>,
        /// Why (pay-ins and pay-outs).
        #[serde(default)]
        pub reason: Option<String>,
        /// Who.
        pub created_by: Option<UserId>,
        /// When (RFC 3339).
        pub created_at: String,
        /// HLC of the movement.
        #[schema(value_type = String)]
        pub updated_at: Hlc,
    }
}

synced_row! {
    /// One blind count of a session, by denomination, with what was expected then.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    #[schema(as = DrawerCountRecord)]
    pub struct DrawerCount in DrawerCount {
        /// The count's id.
        pub id: DrawerCountId,
        /// Its session.
        pub session_id: DrawerSessionId,
        /// How many notes and coins of each denomination.
        pub counts: CashCount => Json,
        /// What they add up to.
        pub total: Clp,
        /// What the drawer should have held.
        pub expected: Clp,
        /// `total − expected` (negative: cash missing).
        pub difference: Clp,
        /// Who counted.
        pub counted_by: Option<UserId>,
        /// When (RFC 3339).
        pub counted_at: String,
        /// HLC of the count.
        #[schema(value_type = String)]
        pub updated_at: Hlc,
    }
}
