//! Leads from the public website, demo requests and contact messages (insert only: the
//! service cannot read them; the platform reads them through `store::platform`).

use super::{Db, StoreResult};
use uuid::Uuid;

/// A demo request.
#[derive(Debug)]
pub struct NewLead<'a> {
    /// Who asks.
    pub name: &'a str,
    /// Their restaurant.
    pub restaurant: &'a str,
    /// Email.
    pub email: &'a str,
    /// Phone.
    pub phone: Option<&'a str>,
    /// Free text.
    pub message: Option<&'a str>,
    /// Client address.
    pub client: &'a str,
    /// Where it came from: `demo` or `contact`.
    pub source: &'a str,
}

/// Stores a lead and answers its id.
pub async fn insert(db: &Db, lead: &NewLead<'_>) -> StoreResult<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO leads (id, name, restaurant, email, phone, message, client, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(lead.name)
    .bind(lead.restaurant)
    .bind(lead.email)
    .bind(lead.phone)
    .bind(lead.message)
    .bind(lead.client)
    .bind(lead.source)
    .execute(&db.pool)
    .await?;
    Ok(id)
}
