//! Menu photos' bytes, one row per content hash (`media`). Not a synced table: the item's
//! `photo` field names a row here, and the bytes travel by the sync loop's own route
//! (docs/SYNC.md, "Photos"). `pushed_at` says whether the cloud holds them yet.

use super::{StoreResult, now_text};
use dysa_domain::sync::rows::PhotoHash;
use dysa_photo::Photo;
use sqlx::SqliteConnection;

/// Keeps a photo and its thumbnail (nothing if the hash is already held). `pushed` when
/// the bytes came from the cloud, so they are not sent back.
pub async fn keep(
    conn: &mut SqliteConnection,
    photo: &Photo,
    thumb: &[u8],
    pushed: bool,
) -> StoreResult<()> {
    let now = now_text();
    sqlx::query(
        "INSERT INTO media (hash, jpeg, thumb, width, height, created_at, pushed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
    )
    .bind(photo.hash.as_str())
    .bind(&photo.jpeg)
    .bind(thumb)
    .bind(i64::from(photo.width))
    .bind(i64::from(photo.height))
    .bind(&now)
    .bind(pushed.then_some(&now))
    .execute(conn)
    .await?;
    Ok(())
}

/// The photo's JPEG (`thumb` false) or its thumbnail, if held.
pub async fn bytes<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    hash: &PhotoHash,
    thumb: bool,
) -> StoreResult<Option<Vec<u8>>> {
    let query = if thumb {
        "SELECT thumb FROM media WHERE hash = ?"
    } else {
        "SELECT jpeg FROM media WHERE hash = ?"
    };
    Ok(sqlx::query_scalar(query)
        .bind(hash.as_str())
        .fetch_optional(executor)
        .await?)
}

/// Photos the cloud does not hold yet, oldest first, at most `limit`: hash and JPEG.
pub async fn unpushed<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    limit: i64,
) -> StoreResult<Vec<(String, Vec<u8>)>> {
    Ok(sqlx::query_as(
        "SELECT hash, jpeg FROM media WHERE pushed_at IS NULL ORDER BY created_at, hash LIMIT ?",
    )
    .bind(limit)
    .fetch_all(executor)
    .await?)
}

/// Records that the cloud holds the photo.
pub async fn mark_pushed(conn: &mut SqliteConnection, hash: &str) -> StoreResult<()> {
    sqlx::query("UPDATE media SET pushed_at = ? WHERE hash = ?")
        .bind(now_text())
        .bind(hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Photos live items name that this counter does not hold (another counter or the
/// owners' dashboard set them): the ones to fetch from the cloud.
pub async fn missing<'e, E: sqlx::SqliteExecutor<'e>>(executor: E) -> StoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT i.photo FROM menu_items i
         WHERE i.photo IS NOT NULL AND i.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM media m WHERE m.hash = i.photo)
         ORDER BY i.photo",
    )
    .fetch_all(executor)
    .await?)
}
