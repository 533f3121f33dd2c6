//! The joining counter's request while it waits (`sync_join`, one row at most).

use super::{StoreResult, now_text};
use sqlx::{SqliteConnection, SqliteExecutor};

/// The request this counter made to join its location.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingJoin {
    /// The cloud's id of the request.
    pub request_id: String,
    /// The X25519 secret key; dropped once the location key is taken.
    pub secret_key: Option<Vec<u8>>,
    /// Its public key (base64), from which the verification code is derived.
    pub public_key: String,
    /// The name the admins see.
    pub device_name: String,
    /// `pending`, `approved`, `refused`, `expired` or `joined`.
    pub status: String,
    /// Why it failed, for staff.
    pub detail: Option<String>,
    /// When it was made.
    pub created_at: String,
}

/// The request, if this counter made one.
pub async fn get<'e, E: SqliteExecutor<'e>>(executor: E) -> StoreResult<Option<PendingJoin>> {
    Ok(sqlx::query_as(
        "SELECT request_id, secret_key, public_key, device_name, status, detail, created_at
         FROM sync_join WHERE id = 1",
    )
    .fetch_optional(executor)
    .await?)
}

/// Keeps a new request (replacing an earlier one).
pub async fn save(
    conn: &mut SqliteConnection,
    request_id: &str,
    secret_key: &[u8; 32],
    public_key: &str,
    device_name: &str,
) -> StoreResult<()> {
    let now = now_text();
    sqlx::query(
        "INSERT INTO sync_join (id, request_id, secret_key, public_key, device_name, status, created_at, updated_at)
         VALUES (1, ?, ?, ?, ?, 'pending', ?, ?)
         ON CONFLICT (id) DO UPDATE SET request_id = excluded.request_id,
           secret_key = excluded.secret_key, public_key = excluded.public_key,
           device_name = excluded.device_name, status = 'pending', detail = NULL,
           created_at = excluded.created_at, updated_at = excluded.updated_at",
    )
    .bind(request_id)
    .bind(secret_key.as_slice())
    .bind(public_key)
    .bind(device_name)
    .bind(&now)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records where the request stands; `joined` also drops the secret key.
pub async fn set_status(
    conn: &mut SqliteConnection,
    status: &str,
    detail: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE sync_join SET status = ?1, detail = ?2, updated_at = ?3,
           secret_key = CASE WHEN ?1 = 'joined' THEN NULL ELSE secret_key END
         WHERE id = 1",
    )
    .bind(status)
    .bind(detail)
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Forgets the request (the counter gave up joining and is set up on its own).
pub async fn delete(conn: &mut SqliteConnection) -> StoreResult<()> {
    sqlx::query("DELETE FROM sync_join")
        .execute(&mut *conn)
        .await?;
    Ok(())
}
