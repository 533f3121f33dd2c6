//! Who did a sensitive action and from where, and the event that records it
//! (docs/SECURITY.md, "Audit log"). The HTTP layer knows the signed-in user and the
//! client; operations take an [`Actor`] and write its event with
//! `store::audit::record` in their own transaction.

use crate::store::{Db, StoreError, StoreResult, audit as store, now_text};
use dysa_domain::audit::AuditAction;
use dysa_domain::ids::UserId;
use dysa_domain::sync::rows::AuditEvent;
use serde_json::Value;

/// The origin of an action: the staff member (if anyone is signed in), this appliance
/// and the client address the request came from.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The user acting; none for a failed sign-in or the system itself.
    pub user_id: Option<UserId>,
    /// Their name at the time.
    pub name: Option<String>,
    /// This appliance (its sync device id).
    pub device_id: uuid::Uuid,
    /// The client's address (`local` on the counter itself).
    pub client: Option<String>,
    /// The manager or admin whose PIN approved this action for someone whose role does
    /// not allow it alone (`manager_pin_for_voids`); written into the event's `after` as
    /// `approved_by`, so the row names both people.
    pub approver: Option<(UserId, String)>,
}

impl Actor {
    /// A signed-in staff member acting from `client`.
    pub fn staff(id: UserId, name: &str, device_id: uuid::Uuid, client: &str) -> Self {
        Actor {
            user_id: Some(id),
            name: Some(name.to_owned()),
            device_id,
            client: Some(client.to_owned()),
            approver: None,
        }
    }

    /// Nobody signed in (a refused sign-in, a restore from the command line).
    pub fn anonymous(device_id: uuid::Uuid, client: Option<&str>) -> Self {
        Actor {
            user_id: None,
            name: None,
            device_id,
            client: client.map(str::to_owned),
            approver: None,
        }
    }

    /// This actor, acting with `approver`'s approval.
    pub fn approved_by(mut self, approver: UserId, name: &str) -> Self {
        self.approver = Some((approver, name.to_owned()));
        self
    }

    /// The event recording `action` on `subject_type`/`subject_id` by this actor, now.
    pub fn event(
        &self,
        action: AuditAction,
        subject_type: &str,
        subject_id: Option<String>,
        before: Option<Value>,
        after: Option<Value>,
    ) -> AuditEvent {
        let after = match &self.approver {
            None => after,
            Some((id, name)) => {
                let mut after = after.unwrap_or_else(|| Value::Object(serde_json::Map::new()));
                if let Some(fields) = after.as_object_mut() {
                    fields.insert(
                        "approved_by".to_owned(),
                        serde_json::json!({ "id": id, "name": name }),
                    );
                }
                Some(after)
            }
        };
        AuditEvent {
            id: uuid::Uuid::now_v7(),
            at: now_text(),
            actor_id: self.user_id,
            actor_name: self.name.clone(),
            device_id: self.device_id.to_string(),
            client: self.client.clone(),
            action,
            subject_type: subject_type.to_owned(),
            subject_id,
            before,
            after,
        }
    }
}

/// Records `event` in a transaction of its own, for actions whose effect is not a write
/// of this database (the cloud link, a join approval sent to the cloud, an export): it is
/// written right after the action succeeds.
pub async fn record_alone(db: &Db, event: &AuditEvent) -> StoreResult<()> {
    let mut tx = db.begin().await?;
    store::record(&mut tx, event, db.tick()).await?;
    tx.commit().await.map_err(StoreError::from)
}

/// Records that a backup was restored (by `dysa-appliance restore`), in the restored
/// database itself: the log then says from which file and where the replaced one went.
pub async fn record_restore(db: &Db, report: &crate::backup::RestoreReport) -> StoreResult<()> {
    let file = report
        .from
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let event = Actor::anonymous(db.device_id(), Some("cli")).event(
        AuditAction::BackupRestored,
        "database",
        None,
        None,
        Some(serde_json::json!({
            "file": file,
            "size_bytes": report.size_bytes,
            "set_aside": report.set_aside.as_ref().map(|p| p.display().to_string()),
        })),
    );
    record_alone(db, &event).await
}
