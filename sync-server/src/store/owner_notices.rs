//! What the cloud tells owners by itself (migration 0041): each account's channel per
//! message, the owners the weekly summary goes to, and the figures it holds that
//! `store::owners` does not already give (no-shows).

use super::{Db, StoreResult, Tx};
use chrono::{DateTime, Utc};
use dysa_domain::ids::{AccountId, LocationId, TenantId};
use uuid::Uuid;

/// One account's choices, as stored (the defaults when it has no row).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Prefs {
    /// `email`, `whatsapp` or `off`.
    pub weekly_summary: String,
    /// `email`, `whatsapp` or `off`.
    pub alerts: String,
    /// `email`, `whatsapp` or `off`: a fiscal document or the print queue stuck.
    pub stuck_alerts: String,
    /// The number WhatsApp messages go to (E.164), if the owner gave one.
    pub whatsapp_to: Option<String>,
    /// `es` or `en`.
    pub lang: String,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            weekly_summary: "email".into(),
            alerts: "email".into(),
            stuck_alerts: "email".into(),
            whatsapp_to: None,
            lang: "es".into(),
        }
    }
}

/// `account`'s choices (the defaults when it never chose).
pub async fn prefs(tx: &mut Tx, account: AccountId) -> StoreResult<Prefs> {
    Ok(sqlx::query_as(
        "SELECT weekly_summary, alerts, stuck_alerts, whatsapp_to, lang FROM owner_notice_prefs
         WHERE account_id = $1",
    )
    .bind(account)
    .fetch_optional(&mut **tx)
    .await?
    .unwrap_or_default())
}

/// Keeps `account`'s choices.
pub async fn put_prefs(tx: &mut Tx, account: AccountId, prefs: &Prefs) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO owner_notice_prefs
             (tenant_id, account_id, weekly_summary, alerts, stuck_alerts, whatsapp_to, lang)
         VALUES (app_tenant(), $1, $2, $3, $6, $4, $5)
         ON CONFLICT (tenant_id, account_id) DO UPDATE
         SET weekly_summary = EXCLUDED.weekly_summary, alerts = EXCLUDED.alerts,
             stuck_alerts = EXCLUDED.stuck_alerts,
             whatsapp_to = EXCLUDED.whatsapp_to, lang = EXCLUDED.lang, updated_at = now()",
    )
    .bind(account)
    .bind(&prefs.weekly_summary)
    .bind(&prefs.alerts)
    .bind(&prefs.whatsapp_to)
    .bind(&prefs.lang)
    .bind(&prefs.stuck_alerts)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An active owner of the tenant and their choices.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Recipient {
    /// The account.
    pub id: AccountId,
    /// Display name.
    pub name: String,
    /// Login email.
    pub email: String,
    /// `email`, `whatsapp` or `off` (defaults filled in).
    pub weekly_summary: String,
    /// `email`, `whatsapp` or `off` (defaults filled in).
    pub alerts: String,
    /// `email`, `whatsapp` or `off` (defaults filled in).
    pub stuck_alerts: String,
    /// WhatsApp number, if given.
    pub whatsapp_to: Option<String>,
    /// `es` or `en`.
    pub lang: String,
}

/// The tenant's active owners with their choices (defaults where they never chose).
pub async fn owners(tx: &mut Tx) -> StoreResult<Vec<Recipient>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.name, a.email,
                coalesce(p.weekly_summary, 'email') AS weekly_summary,
                coalesce(p.alerts, 'email') AS alerts,
                coalesce(p.stuck_alerts, 'email') AS stuck_alerts,
                p.whatsapp_to, coalesce(p.lang, 'es') AS lang
         FROM accounts a
         LEFT JOIN owner_notice_prefs p ON p.tenant_id = a.tenant_id AND p.account_id = a.id
         WHERE a.role = 'owner' AND a.active
         ORDER BY a.created_at, a.id",
    )
    .fetch_all(&mut **tx)
    .await?)
}

/// Reservations marked `no_show` per location among those starting in `from..to`.
pub async fn no_shows(
    tx: &mut Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<(LocationId, i64)>> {
    Ok(sqlx::query_as(
        "SELECT location_id, count(*) FROM reservations
         WHERE status = 'no_show' AND starts_at >= $1 AND starts_at < $2
           AND deleted_at IS NULL
         GROUP BY location_id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut **tx)
    .await?)
}

/// Every active tenant (ids only; each is then read in its own scope).
pub async fn active_tenants(db: &Db) -> StoreResult<Vec<TenantId>> {
    let mut tx = db.public_tx().await?;
    let ids: Vec<Uuid> = sqlx::query_scalar("SELECT tenant_id FROM active_tenants()")
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ids.into_iter().map(TenantId).collect())
}

/// An open location none of whose counters has been seen since before a moment.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct QuietLocation {
    /// The location.
    pub id: LocationId,
    /// Its name.
    pub name: String,
    /// Its time zone (IANA).
    pub time_zone: String,
    /// When a counter of it was last seen (a request or its live stream).
    pub last_seen: DateTime<Utc>,
}

/// The tenant's open locations with at least one enrolled counter, none of which has been
/// seen (any authenticated request, or its live stream) since `before`.
pub async fn quiet_locations(
    tx: &mut Tx,
    before: DateTime<Utc>,
) -> StoreResult<Vec<QuietLocation>> {
    Ok(sqlx::query_as(
        "SELECT id, name, time_zone, last_seen FROM (
             SELECT l.id, l.name, l.time_zone,
                    greatest(max(d.last_seen_at),
                             (SELECT max(p.seen_at) FROM live_presence p
                              WHERE p.tenant_id = l.tenant_id AND p.location_id = l.id)) AS last_seen
             FROM locations l
             JOIN devices d ON d.tenant_id = l.tenant_id AND d.location_id = l.id
                           AND d.revoked_at IS NULL
             WHERE l.closed_at IS NULL
             GROUP BY l.id, l.name, l.time_zone, l.tenant_id
         ) seen
         WHERE last_seen < $1
         ORDER BY name, id",
    )
    .bind(before)
    .fetch_all(&mut **tx)
    .await?)
}

/// The location whose linked WhatsApp number speaks for the tenant to its owners: the
/// first linked.
pub async fn whatsapp_location(tx: &mut Tx) -> StoreResult<Option<LocationId>> {
    Ok(
        sqlx::query_scalar(
            "SELECT location_id FROM whatsapp_links ORDER BY created_at, id LIMIT 1",
        )
        .fetch_optional(&mut **tx)
        .await?,
    )
}

/// A counter's queue that has held something longer than a threshold, as the counter
/// last reported it with its pull (migration 0056).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StuckQueue {
    /// The counter.
    pub device_id: uuid::Uuid,
    /// Its name.
    pub device_name: String,
    /// Its location.
    pub location_id: LocationId,
    /// The location's name.
    pub location_name: String,
    /// The location's time zone (IANA).
    pub time_zone: String,
    /// `fiscal` or `print`.
    pub queue: String,
    /// How many are waiting.
    pub pending: i32,
    /// Since when the oldest waits.
    pub oldest_at: DateTime<Utc>,
}

/// The queues of the tenant's enrolled counters (of open locations) whose oldest entry
/// waits since before `before`, as reported since `reported_since` (an older report
/// is the offline alert's business). Counters that never report their queues have
/// NULLs there and are not listed.
pub async fn stuck_queues(
    tx: &mut Tx,
    before: DateTime<Utc>,
    reported_since: DateTime<Utc>,
) -> StoreResult<Vec<StuckQueue>> {
    Ok(sqlx::query_as(
        "SELECT d.id AS device_id, d.name AS device_name, l.id AS location_id,
                l.name AS location_name, l.time_zone, q.queue, q.pending, q.oldest_at
         FROM devices d
         JOIN locations l ON l.tenant_id = d.tenant_id AND l.id = d.location_id
         CROSS JOIN LATERAL (VALUES ('fiscal', d.fiscal_pending, d.fiscal_oldest_at),
                                    ('print', d.print_pending, d.print_oldest_at))
             AS q (queue, pending, oldest_at)
         WHERE d.revoked_at IS NULL AND l.closed_at IS NULL
           AND d.queues_reported_at >= $2
           AND q.pending > 0 AND q.oldest_at < $1
         ORDER BY l.name, d.name, d.id, q.queue",
    )
    .bind(before)
    .bind(reported_since)
    .fetch_all(&mut **tx)
    .await?)
}

/// Claims the owners' alert about `queue` (`fiscal` or `print`) of counter `device`,
/// stuck since `oldest_at`, at `now` (migration 0058): true — and recorded — only when
/// no alert for that queue went out since `now - every` and the last one was about
/// another oldest entry. Atomic: of two rounds at once, one claims it.
pub async fn claim_stuck_alert(
    tx: &mut Tx,
    device: uuid::Uuid,
    queue: &str,
    oldest_at: DateTime<Utc>,
    now: DateTime<Utc>,
    every: chrono::Duration,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE devices SET
             fiscal_alerted_at = CASE WHEN $2::text = 'fiscal' THEN $4 ELSE fiscal_alerted_at END,
             fiscal_alerted_oldest =
                 CASE WHEN $2::text = 'fiscal' THEN $3 ELSE fiscal_alerted_oldest END,
             print_alerted_at = CASE WHEN $2::text = 'print' THEN $4 ELSE print_alerted_at END,
             print_alerted_oldest =
                 CASE WHEN $2::text = 'print' THEN $3 ELSE print_alerted_oldest END
         WHERE id = $1 AND $2::text IN ('fiscal', 'print')
           AND (CASE WHEN $2::text = 'fiscal' THEN fiscal_alerted_oldest
                     ELSE print_alerted_oldest END) IS DISTINCT FROM $3
           AND coalesce(CASE WHEN $2::text = 'fiscal' THEN fiscal_alerted_at
                             ELSE print_alerted_at END, '-infinity') <= $5",
    )
    .bind(device)
    .bind(queue)
    .bind(oldest_at)
    .bind(now)
    .bind(now - every)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
