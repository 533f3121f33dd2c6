//! The closed business day's synced row: the Z report as it was when the day was closed,
//! written once by the counter that closed it and never changed (docs/SYNC.md).

use crate::closing::DayReport;
use crate::ids::UserId;
use serde::{Deserialize, Serialize};

synced_row! {
    /// One closed business day. Insert-only, like audit events: the cloud keeps the first
    /// copy of an id and ignores any later push of it (`merge::insert_only`), so a closed
    /// day's figures never change anywhere.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
    #[schema(as = DayCloseRecord)]
    pub struct DayClose in DayClose {
        /// The close's id (UUIDv7).
        pub id: uuid::Uuid,
        /// The business day closed (`YYYY-MM-DD`).
        pub business_date: String,
        /// The counter (sync device id) that closed it.
        pub device_id: String,
        /// Who closed it.
        pub closed_by: Option<UserId>,
        /// Their name at the time.
        pub closed_by_name: Option<String>,
        /// When (RFC 3339, UTC).
        pub closed_at: String,
        /// The Z report, frozen.
        pub report: DayReport => Json,
    }
}
