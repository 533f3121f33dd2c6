//! The audit log as owners read it: the projection of the appliances' `audit_event`
//! rows (`store::sync::projection`). Read-only here: rows arrive by sync, insert-only.

use super::{StoreResult, Tx};
use chrono::{DateTime, Utc};
use dysa_domain::ids::LocationId;
use serde::Serialize;
use uuid::Uuid;

/// One recorded action at one of the tenant's locations.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditRow {
    /// The event's id.
    pub id: Uuid,
    /// The location it happened at.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (a staff account of the location), if anyone.
    pub actor_id: Option<Uuid>,
    /// Their name at the time.
    pub actor_name: Option<String>,
    /// The counter that recorded it.
    pub device_id: String,
    /// The client address at the counter.
    pub client: Option<String>,
    /// The action (`order.line_voided`).
    pub action: String,
    /// The kind of subject.
    pub subject_type: String,
    /// The subject's id.
    pub subject_id: Option<String>,
    /// The subject before.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The subject after, with the details a reader needs.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

/// Filters of the owners' audit list.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Only this location.
    pub location: Option<LocationId>,
    /// At or after.
    pub from: Option<DateTime<Utc>>,
    /// Before.
    pub to: Option<DateTime<Utc>>,
    /// Only this staff member.
    pub actor: Option<Uuid>,
    /// Only this action.
    pub action: Option<String>,
    /// Only this kind of subject.
    pub subject_type: Option<String>,
    /// Only this subject.
    pub subject_id: Option<String>,
    /// Page size.
    pub limit: i64,
    /// Rows skipped.
    pub offset: i64,
}

/// A page of the tenant's events, newest first, and how many match.
pub async fn list(tx: &mut Tx, filter: &AuditFilter) -> StoreResult<(Vec<AuditRow>, i64)> {
    const WHERE: &str = "($1::uuid IS NULL OR location_id = $1)
           AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3)
           AND ($4::uuid IS NULL OR actor_id = $4) AND ($5::text IS NULL OR action = $5)
           AND ($6::text IS NULL OR subject_type = $6) AND ($7::text IS NULL OR subject_id = $7)";
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM audit_events WHERE {WHERE}"
    )))
    .bind(filter.location)
    .bind(filter.from)
    .bind(filter.to)
    .bind(filter.actor)
    .bind(&filter.action)
    .bind(&filter.subject_type)
    .bind(&filter.subject_id)
    .fetch_one(&mut **tx)
    .await?;
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, location_id, at, actor_id, actor_name, device_id, client, action,
                subject_type, subject_id, before, after
         FROM audit_events WHERE {WHERE}
         ORDER BY at DESC, id DESC LIMIT $8 OFFSET $9"
    )))
    .bind(filter.location)
    .bind(filter.from)
    .bind(filter.to)
    .bind(filter.actor)
    .bind(&filter.action)
    .bind(&filter.subject_type)
    .bind(&filter.subject_id)
    .bind(filter.limit)
    .bind(filter.offset)
    .fetch_all(&mut **tx)
    .await?;
    Ok((rows, total))
}
