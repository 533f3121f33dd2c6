//! Login sessions and their rotating refresh tokens (local to this appliance).

use super::{StoreResult, WriteTx, now_text};
use dysa_domain::ids::{SessionFamilyId, UserId};
use sqlx::SqlitePool;

/// How a session was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginMethod {
    /// Email and password.
    Password,
    /// Quick switch by PIN.
    Pin,
    /// The first-run setup.
    Setup,
}

impl LoginMethod {
    fn as_str(self) -> &'static str {
        match self {
            LoginMethod::Password => "password",
            LoginMethod::Pin => "pin",
            LoginMethod::Setup => "setup",
        }
    }
}

/// Opens a session for `user` with its first refresh token.
pub async fn open(
    tx: &mut WriteTx,
    user: UserId,
    method: LoginMethod,
    token_hash: &str,
    expires_at: i64,
) -> StoreResult<SessionFamilyId> {
    let family = SessionFamilyId::new();
    sqlx::query(
        "INSERT INTO sessions (family_id, user_id, method, created_at) VALUES (?, ?, ?, ?)",
    )
    .bind(family.to_string())
    .bind(user.to_string())
    .bind(method.as_str())
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    add_token(tx, family, token_hash, expires_at).await?;
    Ok(family)
}

/// Adds a refresh token to a session.
pub async fn add_token(
    tx: &mut WriteTx,
    family: SessionFamilyId,
    token_hash: &str,
    expires_at: i64,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO refresh_tokens (token_hash, family_id, expires_at) VALUES (?, ?, ?)")
        .bind(token_hash)
        .bind(family.to_string())
        .bind(expires_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What the store knows of a presented refresh token.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RefreshTokenState {
    /// The session it belongs to.
    pub family_id: String,
    /// The session's user.
    pub user_id: String,
    /// Expiry, seconds since the epoch.
    pub expires_at: i64,
    /// When it was exchanged, if it was.
    pub used_at: Option<i64>,
    /// When its session was revoked, if it was.
    pub revoked_at: Option<String>,
}

/// Looks a refresh token up by hash.
pub async fn find_token(
    tx: &mut WriteTx,
    token_hash: &str,
) -> StoreResult<Option<RefreshTokenState>> {
    Ok(sqlx::query_as(
        "SELECT t.family_id, s.user_id, t.expires_at, t.used_at, s.revoked_at
         FROM refresh_tokens t JOIN sessions s ON s.family_id = t.family_id
         WHERE t.token_hash = ?",
    )
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Marks a refresh token exchanged.
pub async fn mark_used(tx: &mut WriteTx, token_hash: &str, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?")
        .bind(now)
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Revokes one session (logout, or reuse of one of its refresh tokens).
/// After the commit, call `db.session_cache.invalidate()` so the revocation is seen at once.
pub async fn revoke(tx: &mut WriteTx, family: &str, reason: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE family_id = ? AND revoked_at IS NULL",
    )
    .bind(now_text())
    .bind(reason)
    .bind(family)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Revokes every session of a user (password reset, deactivation), optionally sparing one.
/// After the commit, call `db.session_cache.invalidate()`.
pub async fn revoke_all_for_user(
    tx: &mut WriteTx,
    user: UserId,
    except: Option<SessionFamilyId>,
    reason: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE sessions SET revoked_at = ?, revoked_reason = ?
         WHERE user_id = ? AND revoked_at IS NULL AND family_id IS NOT ?",
    )
    .bind(now_text())
    .bind(reason)
    .bind(user.to_string())
    .bind(except.map(|f| f.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether a session is still open (checked on every authenticated request, so logout
/// and deactivation take effect at once rather than when the access token expires).
pub async fn is_open(pool: &SqlitePool, family: SessionFamilyId) -> StoreResult<bool> {
    let revoked: Option<Option<String>> =
        sqlx::query_scalar("SELECT revoked_at FROM sessions WHERE family_id = ?")
            .bind(family.to_string())
            .fetch_optional(pool)
            .await?;
    Ok(matches!(revoked, Some(None)))
}

/// The user of an open session, if both the session and the active account exist:
/// `(name, role)`. One query per authenticated request.
pub async fn session_user(
    pool: &SqlitePool,
    family: SessionFamilyId,
    user: UserId,
) -> StoreResult<Option<(String, dysa_domain::rbac::Role)>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.family_id = ? AND s.user_id = ? AND s.revoked_at IS NULL
           AND u.active = 1 AND u.deleted_at IS NULL",
    )
    .bind(family.to_string())
    .bind(user.to_string())
    .fetch_optional(pool)
    .await?;
    row.map(|(name, role)| {
        role.parse()
            .map(|role| (name, role))
            .map_err(
                |e: dysa_domain::rbac::UnknownRole| super::StoreError::Corrupt {
                    table: "users",
                    detail: e.to_string(),
                },
            )
    })
    .transpose()
}
