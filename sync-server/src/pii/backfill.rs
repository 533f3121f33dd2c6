//! Sealing the customer data written before migration 0034. SQL cannot encrypt, so the
//! binary does it at start, tenant by tenant in batches of [`BATCH`] rows, each batch its
//! own transaction: the merged row in `sync_rows` is rewritten sealed (same values, same
//! version: counters already hold them and pull nothing again), its typed projection is
//! rebuilt from it and its lookup hashes set. The plaintext is gone once a row is
//! rewritten (Postgres keeps old row versions only until vacuum: docs/SECURITY.md).
//! Reads open sealed and unsealed values alike, so the cloud serves while this runs, and
//! a pass cut short resumes at the next start.
//!
//! The same pass seals the relay tables' rows written before migration 0050 (the widget's
//! and WhatsApp's messages, drafts and diners' numbers, [`super::relay`]) and gives their
//! numbers the keyed hash they are found by; until it has, a diner who wrote before is not
//! found by their number (a new message of theirs starts a new conversation).

use super::{TenantKeys, Vault, sealed_fields};
use crate::state::AppState;
use crate::store::relays::{self, Kind, Table};
use crate::store::sync::projection;
use crate::store::{Db, StoreResult, Tx};
use dysa_domain::ids::TenantId;
use dysa_domain::sync::{Entity, Row};
use serde_json::{Map, Value};
use sqlx::types::Json;
use uuid::Uuid;

/// Rows sealed per transaction.
pub const BATCH: i64 = 500;

/// What one pass sealed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sealed {
    /// Tenants looked at.
    pub tenants: usize,
    /// Rows rewritten sealed.
    pub rows: usize,
    /// Relay-table rows rewritten sealed.
    pub relay_rows: usize,
}

/// Runs the pass in the background (once, at start).
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        match run(&state.db, &state.vault).await {
            Ok(sealed) if sealed.rows > 0 || sealed.relay_rows > 0 => {
                tracing::info!(
                    ?sealed,
                    "customer data written before encryption is now sealed"
                );
            }
            Ok(_) => {}
            Err(error) => {
                tracing::error!(%error, "sealing older customer data failed; retried at next start")
            }
        }
    });
}

/// Seals every tenant's rows that still hold customer data in clear.
pub async fn run(db: &Db, vault: &Vault) -> StoreResult<Sealed> {
    let tenants: Vec<Uuid> = sqlx::query_scalar("SELECT pii_tenants()")
        .fetch_all(&db.pool)
        .await?;
    let mut sealed = Sealed {
        tenants: tenants.len(),
        rows: 0,
        relay_rows: 0,
    };
    for &tenant in &tenants {
        for table in relays::TABLES {
            let mut after = String::new();
            loop {
                let mut tx = db.tenant_tx(TenantId(tenant)).await?;
                let last = seal_relay_batch(&mut tx, vault, table, &after, &mut sealed).await?;
                tx.commit().await?;
                match last {
                    Some(last) => after = last,
                    None => break,
                }
            }
        }
    }
    for tenant in tenants {
        let mut after = (String::new(), String::new());
        loop {
            let mut tx = db.tenant_tx(TenantId(tenant)).await?;
            let (count, last) = seal_batch(&mut tx, vault, &after).await?;
            tx.commit().await?;
            sealed.rows += count;
            match last {
                Some(last) => after = last,
                None => break,
            }
        }
    }
    Ok(sealed)
}

/// Seals the next batch of `table`'s rows after key `after` that still hold a column in
/// clear (counted in `sealed`); answers the last key when there may be more.
async fn seal_relay_batch(
    tx: &mut Tx,
    vault: &Vault,
    table: &Table,
    after: &str,
    sealed: &mut Sealed,
) -> StoreResult<Option<String>> {
    let rows = relays::unsealed(tx, table, after, BATCH).await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let keys = vault.keys(tx).await?;
    for row in &rows {
        let (values, wa_hash) = seal_relay_row(&keys, table, row);
        relays::reseal(tx, table, &row.key, &values, wa_hash.as_deref()).await?;
    }
    sealed.relay_rows += rows.len();
    let more = rows.len() as i64 == BATCH;
    Ok(rows.last().filter(|_| more).map(|r| r.key.clone()))
}

/// One relay row's columns sealed (those sealed already as they are), and its number's
/// keyed hash when it has one.
fn seal_relay_row(
    keys: &TenantKeys,
    table: &Table,
    row: &relays::Unsealed,
) -> (Map<String, Value>, Option<Vec<u8>>) {
    let mut values = row.values.0.clone();
    let mut wa_hash = None;
    let clear = |v: &Value| {
        v.as_str()
            .is_none_or(|s| !s.starts_with(super::SEALED_PREFIX))
    };
    for column in table.columns {
        let Some(value) = values.get_mut(column.name) else {
            continue;
        };
        match column.kind {
            Kind::Text | Kind::Json if value.is_null() || !clear(value) => {}
            Kind::Text | Kind::Json => {
                let sealed = keys.seal_value(table.name, column.name, &row.key, value);
                *value = Value::String(sealed);
            }
            Kind::WaId => {
                let stored = value.as_str().unwrap_or_default().to_owned();
                let number = if clear(value) {
                    *value = Value::String(keys.seal_wa_id(row.location_id, &stored));
                    Some(stored)
                } else {
                    keys.open_wa_id(row.location_id, stored)
                };
                wa_hash = number.map(|n| keys.wa_hash(&n));
            }
            Kind::ParamsText => {
                if let Some(text) = value.get_mut("text").filter(|t| t.is_string() && clear(t)) {
                    *text = Value::String(keys.seal_value(table.name, "text", &row.key, text));
                }
            }
        }
    }
    (values, wa_hash)
}

#[derive(sqlx::FromRow)]
struct Clear {
    entity: String,
    entity_id: String,
    row: Json<Row>,
}

/// Seals the next batch of rows after `after` (entity, id); answers how many and the last
/// key when there may be more.
async fn seal_batch(
    tx: &mut Tx,
    vault: &Vault,
    after: &(String, String),
) -> StoreResult<(usize, Option<(String, String)>)> {
    let (entities, fields): (Vec<&str>, Vec<&str>) = Entity::ALL
        .into_iter()
        .flat_map(|e| sealed_fields(e).iter().map(move |f| (e.as_str(), *f)))
        .unzip();
    let rows: Vec<Clear> = sqlx::query_as(
        "SELECT s.entity, s.entity_id, s.row FROM sync_rows s
         WHERE s.tenant_id = app_tenant() AND s.entity = ANY($1) AND (s.entity, s.entity_id) > ($3, $4)
           AND EXISTS (SELECT 1 FROM UNNEST($1::text[], $2::text[]) AS f(entity, field)
                       WHERE f.entity = s.entity AND jsonb_typeof(s.row -> f.field) <> 'null'
                         AND (s.row ->> f.field) NOT LIKE 'pii1.%')
         ORDER BY s.entity, s.entity_id
         LIMIT $5",
    )
    .bind(&entities)
    .bind(&fields)
    .bind(&after.0)
    .bind(&after.1)
    .bind(BATCH)
    .fetch_all(&mut **tx)
    .await?;
    if rows.is_empty() {
        return Ok((0, None));
    }
    let keys = vault.keys(tx).await?;
    let last = rows.last().map(|r| (r.entity.clone(), r.entity_id.clone()));
    let mut by_entity: Vec<(Entity, Vec<String>)> = Vec::new();
    let mut hashes = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for clear in &rows {
        let Ok(entity) = clear.entity.parse::<Entity>() else {
            continue;
        };
        let sealed = keys.seal_row(entity, &clear.entity_id, &clear.row.0);
        sqlx::query(
            "UPDATE sync_rows SET row = $3 WHERE tenant_id = app_tenant() AND entity = $1 AND entity_id = $2",
        )
        .bind(&clear.entity)
        .bind(&clear.entity_id)
        .bind(Json(sealed.as_ref()))
        .execute(&mut **tx)
        .await?;
        match by_entity.iter_mut().find(|(e, _)| *e == entity) {
            Some((_, ids)) => ids.push(clear.entity_id.clone()),
            None => by_entity.push((entity, vec![clear.entity_id.clone()])),
        }
        if let (Entity::Customer | Entity::Reservation, Ok(id)) =
            (entity, clear.entity_id.parse::<Uuid>())
        {
            let text = |field: &str| clear.row.0.get(field).and_then(|v| v.as_str());
            hashes.0.push(entity.as_str());
            hashes.1.push(id);
            hashes
                .2
                .push(text("phone").and_then(|p| keys.phone_hash(p)));
            hashes
                .3
                .push(text("email").and_then(|e| keys.email_hash(e)));
        }
    }
    for (entity, ids) in &by_entity {
        // A row whose projection fails keeps its old typed copy; the failure is the
        // projection's own (`sync_rows.projection_error`), not this pass's.
        sqlx::raw_sql("SAVEPOINT pii_projection")
            .execute(&mut **tx)
            .await?;
        match sqlx::query(projection::statement(*entity))
            .bind(ids)
            .execute(&mut **tx)
            .await
        {
            Ok(_) => sqlx::raw_sql("RELEASE SAVEPOINT pii_projection"),
            Err(error) => {
                tracing::warn!(%entity, %error, "re-projecting sealed rows failed");
                sqlx::raw_sql(
                    "ROLLBACK TO SAVEPOINT pii_projection; RELEASE SAVEPOINT pii_projection",
                )
            }
        }
        .execute(&mut **tx)
        .await?;
    }
    crate::store::customers::set_lookup_hashes(tx, &hashes.0, &hashes.1, &hashes.2, &hashes.3)
        .await?;
    let more = rows.len() as i64 == BATCH;
    Ok((rows.len(), if more { last } else { None }))
}
