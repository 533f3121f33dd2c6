//! The audit log's synced row: one sensitive action, written once where it happened and
//! never changed (docs/SECURITY.md, "Audit log").

use crate::audit::AuditAction;
use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use serde_json::Value;

synced_row! {
    /// One recorded action: who, when, from which device, what, on what, and the subject
    /// before and after. Insert-only: the cloud keeps the first copy of an id and ignores
    /// any later push of it (`merge::insert_only`).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
    pub struct AuditEvent in AuditEvent {
        /// The event's id (UUIDv7, so ids sort by time).
        pub id: uuid::Uuid,
        /// When it happened (RFC 3339, UTC).
        pub at: String,
        /// Who did it (none for a failed sign-in with an unknown login, or the system).
        pub actor_id: Option<UserId>,
        /// Their name at the time (a renamed or deleted account still reads right).
        pub actor_name: Option<String>,
        /// The appliance (sync device id) or cloud that recorded it.
        pub device_id: String,
        /// The client the request came from (its address; `local` on the counter itself).
        #[serde(default)]
        pub client: Option<String>,
        /// What was done.
        pub action: AuditAction,
        /// The kind of thing it was done to (`order`, `item`, `user`, `setting`, …).
        pub subject_type: String,
        /// Which one (its id), when there is one.
        #[serde(default)]
        pub subject_id: Option<String>,
        /// The subject's relevant fields before (JSON), when it existed.
        #[serde(default)]
        #[schema(value_type = Option<Object>)]
        pub before: Option<Value> => Json,
        /// The subject's relevant fields after, and the details a reader needs (a reason,
        /// an order's number).
        #[serde(default)]
        #[schema(value_type = Option<Object>)]
        pub after: Option<Value> => Json,
    }
}
