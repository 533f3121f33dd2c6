//! Menu photos' bytes (`media`), one row per tenant and content hash. Not a synced table:
//! items name a photo in their synced `photo` field; the bytes come from a counter's
//! `PUT /sync/media/{hash}` or an owner's upload, and leave by the widget's public route
//! and the counters' `GET /sync/media/{hash}` (docs/SYNC.md, "Photos").

use super::{StoreResult, Tx};
use dysa_domain::sync::rows::PhotoHash;
use dysa_photo::Photo;

/// Keeps a photo and its thumbnail for the transaction's tenant (nothing if held already:
/// the same hash is the same bytes).
pub async fn keep(tx: &mut Tx, photo: &Photo, thumb: &[u8]) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO media (tenant_id, hash, jpeg, thumb, width, height)
         VALUES (app_tenant(), $1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, hash) DO NOTHING",
    )
    .bind(photo.hash.as_str())
    .bind(&photo.jpeg)
    .bind(thumb)
    .bind(i32::try_from(photo.width).unwrap_or(i32::MAX))
    .bind(i32::try_from(photo.height).unwrap_or(i32::MAX))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether the tenant holds the photo.
pub async fn held(tx: &mut Tx, hash: &PhotoHash) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM media WHERE tenant_id = app_tenant() AND hash = $1)",
    )
    .bind(hash.as_str())
    .fetch_one(&mut **tx)
    .await?)
}

/// The tenant's photo (`thumb` false) or its thumbnail, if held.
pub async fn bytes(tx: &mut Tx, hash: &PhotoHash, thumb: bool) -> StoreResult<Option<Vec<u8>>> {
    let query = if thumb {
        "SELECT thumb FROM media WHERE tenant_id = app_tenant() AND hash = $1"
    } else {
        "SELECT jpeg FROM media WHERE tenant_id = app_tenant() AND hash = $1"
    };
    Ok(sqlx::query_scalar(query)
        .bind(hash.as_str())
        .fetch_optional(&mut **tx)
        .await?)
}
