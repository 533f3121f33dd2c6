//! The tenants' sealed data keys (`tenant_data_keys`, see [`crate::pii`]).

use super::{StoreResult, Tx};

/// The transaction's tenant's sealed data key and the id of the master key that sealed it.
pub async fn load(tx: &mut Tx) -> StoreResult<Option<(String, Vec<u8>)>> {
    Ok(sqlx::query_as(
        "SELECT master_key_id, sealed_key FROM tenant_data_keys WHERE tenant_id = app_tenant()",
    )
    .fetch_optional(&mut **tx)
    .await?)
}

/// Stores the tenant's first sealed data key, unless another instance stored one first;
/// answers the one kept.
pub async fn create(
    tx: &mut Tx,
    master_key_id: &str,
    sealed: &[u8],
) -> StoreResult<(String, Vec<u8>)> {
    sqlx::query(
        "INSERT INTO tenant_data_keys (tenant_id, master_key_id, sealed_key)
         VALUES (app_tenant(), $1, $2) ON CONFLICT (tenant_id) DO NOTHING",
    )
    .bind(master_key_id)
    .bind(sealed)
    .execute(&mut **tx)
    .await?;
    Ok(sqlx::query_as(
        "SELECT master_key_id, sealed_key FROM tenant_data_keys WHERE tenant_id = app_tenant()",
    )
    .fetch_one(&mut **tx)
    .await?)
}

/// Replaces the tenant's sealed data key with the same key sealed by a new master key.
pub async fn reseal(tx: &mut Tx, master_key_id: &str, sealed: &[u8]) -> StoreResult<()> {
    sqlx::query(
        "UPDATE tenant_data_keys SET master_key_id = $1, sealed_key = $2, resealed_at = now()
         WHERE tenant_id = app_tenant()",
    )
    .bind(master_key_id)
    .bind(sealed)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Destroys the tenant's data key: what it sealed can no longer be opened by anyone
/// (crypto-shredding; the rows are deleted too, and backups of the database keep only
/// ciphertext).
pub async fn destroy(tx: &mut Tx) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM tenant_data_keys WHERE tenant_id = app_tenant()")
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}
