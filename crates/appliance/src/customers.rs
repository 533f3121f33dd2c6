//! Customer operations: validation, duplicate detection, search and history.
//!
//! One diner is one customer: phones are stored in E.164 and emails in lower case, and
//! a second live customer with the same phone or email is refused, naming the first.
//!
//! History: `order_count` and `total_spent` count **completed** orders only (money actually
//! taken); `visit_count` is the number of distinct local business days on which the
//! customer had a completed order (`orders.business_date`) or a completed/seated
//! reservation (its start's local day in the restaurant's time zone) — so a reservation
//! on a day that already has an order is the same visit, not a second one;
//! `last_visit_at` is the latest of the newest completed order's `created_at` and the
//! newest completed/seated reservation's `starts_at`.

use crate::store::customers::{self as store, CustomerRecord, CustomerSearch};
use crate::store::{Db, StoreError, now_text};
use dysa_domain::customer::{Rut, RutError, normalize_phone};
use dysa_domain::ids::CustomerId;
use dysa_domain::validate::{FieldErrors, FieldIssue, is_valid_email, normalize_email};
use jiff::Timestamp;
use sqlx::SqliteConnection;
use std::collections::BTreeSet;

/// Why a customer operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum CustomerError {
    /// The input is invalid.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// Another live customer has this phone or email.
    #[error("a customer with that {field} already exists")]
    Exists {
        /// The existing customer.
        existing: CustomerId,
        /// `phone` or `email`.
        field: &'static str,
    },
    /// No such (live) customer.
    #[error("customer not found")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for CustomerError {
    fn from(error: sqlx::Error) -> Self {
        CustomerError::Store(StoreError::Sqlx(error))
    }
}

/// A new customer as typed by staff.
#[derive(Debug, Default)]
pub struct NewCustomer {
    /// Name.
    pub name: String,
    /// Phone in any Chilean format, or international with `+`.
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// RUT with its check digit.
    pub rut: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Promotions allowed.
    pub marketing_consent: bool,
}

/// Changes to a customer: `None` leaves a field as it is; `Some(None)` clears an
/// optional field.
#[derive(Debug, Default)]
pub struct CustomerChanges {
    /// New name.
    pub name: Option<String>,
    /// New phone, or clear it.
    pub phone: Option<Option<String>>,
    /// New email, or clear it.
    pub email: Option<Option<String>>,
    /// New RUT, or clear it.
    pub rut: Option<Option<String>>,
    /// New notes, or clear them.
    pub notes: Option<Option<String>>,
    /// New consent.
    pub marketing_consent: Option<bool>,
}

/// A customer's history in numbers (see the module docs for the definitions).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerStats {
    /// Distinct local business days with a completed order or a completed/seated reservation.
    pub visit_count: u32,
    /// Completed orders.
    pub order_count: u32,
    /// Sum of the totals of completed orders, pesos.
    pub total_spent: i64,
    /// The latest visit.
    pub last_visit_at: Option<Timestamp>,
}

const NAME_MAX: usize = 120;
const NOTES_MAX: usize = 2000;

/// A blank optional text is no value.
fn present(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The E.164 form of a phone, or a field error.
pub fn phone_field(errors: &mut FieldErrors, field: &str, phone: &str) -> Option<String> {
    match normalize_phone(phone) {
        Ok(phone) => Some(phone),
        Err(_) => {
            errors.add(
                field,
                FieldIssue::Other {
                    es: "no es un teléfono válido (p. ej. 9 8765 4321 o +56 9 8765 4321)".into(),
                    en: "is not a valid phone number (e.g. 9 8765 4321 or +56 9 8765 4321)".into(),
                },
            );
            None
        }
    }
}

fn email_field(errors: &mut FieldErrors, email: &str) -> Option<String> {
    if is_valid_email(email) {
        Some(normalize_email(email))
    } else {
        errors.add("email", FieldIssue::InvalidEmail);
        None
    }
}

fn rut_field(errors: &mut FieldErrors, rut: &str) -> Option<Rut> {
    match rut.parse::<Rut>() {
        Ok(rut) => Some(rut),
        Err(error) => {
            let (es, en) = match error {
                RutError::BadCheckDigit => (
                    "el dígito verificador no corresponde (revisa el RUT)",
                    "the check digit does not match (check the RUT)",
                ),
                RutError::OutOfRange => (
                    "el número de RUT no es válido",
                    "the RUT number is out of range",
                ),
                RutError::Empty | RutError::InvalidCharacter(_) => (
                    "no es un RUT válido (p. ej. 12.345.678-5)",
                    "is not a valid RUT (e.g. 12.345.678-5)",
                ),
            };
            errors.add(
                "rut",
                FieldIssue::Other {
                    es: es.into(),
                    en: en.into(),
                },
            );
            None
        }
    }
}

/// Refuses when another live customer already has the record's phone or email.
async fn check_unique(
    conn: &mut SqliteConnection,
    record: &CustomerRecord,
) -> Result<(), CustomerError> {
    if let Some(phone) = &record.phone
        && let Some(other) = store::find_by_phone(&mut *conn, phone).await?
        && other.id != record.id
    {
        return Err(CustomerError::Exists {
            existing: other.id,
            field: "phone",
        });
    }
    if let Some(email) = &record.email
        && let Some(other) = store::find_by_email(&mut *conn, email).await?
        && other.id != record.id
    {
        return Err(CustomerError::Exists {
            existing: other.id,
            field: "email",
        });
    }
    Ok(())
}

/// Creates a customer. The duplicate check and the insert share one write transaction.
pub async fn create(db: &Db, input: NewCustomer) -> Result<CustomerRecord, CustomerError> {
    let mut errors = FieldErrors::new();
    errors.text("name", &input.name, NAME_MAX);
    let phone = present(input.phone).and_then(|p| phone_field(&mut errors, "phone", &p));
    let email = present(input.email).and_then(|e| email_field(&mut errors, &e));
    let rut = present(input.rut).and_then(|r| rut_field(&mut errors, &r));
    let notes = present(input.notes);
    errors.optional_text("notes", notes.as_deref(), NOTES_MAX);
    errors.into_result().map_err(CustomerError::Invalid)?;
    let mut tx = db.begin().await?;
    let record = CustomerRecord {
        id: CustomerId::new(),
        name: input.name.trim().to_owned(),
        phone,
        email,
        rut,
        notes,
        marketing_consent: input.marketing_consent,
        created_at: now_text(),
        updated_at: db.tick(),
        deleted_at: None,
    };
    check_unique(&mut tx, &record).await?;
    store::save(&mut tx, &record).await?;
    tx.commit().await?;
    Ok(record)
}

/// Changes some fields of a customer.
pub async fn update(
    db: &Db,
    id: CustomerId,
    changes: CustomerChanges,
) -> Result<CustomerRecord, CustomerError> {
    let mut errors = FieldErrors::new();
    if let Some(name) = &changes.name {
        errors.text("name", name, NAME_MAX);
    }
    let phone = changes
        .phone
        .map(|p| present(p).and_then(|p| phone_field(&mut errors, "phone", &p)));
    let email = changes
        .email
        .map(|e| present(e).and_then(|e| email_field(&mut errors, &e)));
    let rut = changes
        .rut
        .map(|r| present(r).and_then(|r| rut_field(&mut errors, &r)));
    let notes = changes.notes.map(present);
    if let Some(notes) = &notes {
        errors.optional_text("notes", notes.as_deref(), NOTES_MAX);
    }
    errors.into_result().map_err(CustomerError::Invalid)?;
    let mut tx = db.begin().await?;
    let mut record = store::find(&mut *tx, id)
        .await?
        .ok_or(CustomerError::NotFound)?;
    if let Some(name) = changes.name {
        record.name = name.trim().to_owned();
    }
    if let Some(phone) = phone {
        record.phone = phone;
    }
    if let Some(email) = email {
        record.email = email;
    }
    if let Some(rut) = rut {
        record.rut = rut;
    }
    if let Some(notes) = notes {
        record.notes = notes;
    }
    if let Some(consent) = changes.marketing_consent {
        record.marketing_consent = consent;
    }
    record.updated_at = db.tick();
    check_unique(&mut tx, &record).await?;
    store::save(&mut tx, &record).await?;
    tx.commit().await?;
    Ok(record)
}

/// Deletes a customer (a tombstone: their orders and reservations keep pointing at it,
/// and the phone and email are free for a new customer).
pub async fn delete(db: &Db, id: CustomerId) -> Result<CustomerRecord, CustomerError> {
    let mut tx = db.begin().await?;
    let mut record = store::find(&mut *tx, id)
        .await?
        .ok_or(CustomerError::NotFound)?;
    let hlc = db.tick();
    record.updated_at = hlc;
    record.deleted_at = Some(hlc);
    store::save(&mut tx, &record).await?;
    tx.commit().await?;
    Ok(record)
}

/// Turns a search box's text into what to look for: a phone typed in any format (or
/// some of its digits), words of a name (accents and case ignored), or part of an email.
pub fn parse_search(q: &str) -> CustomerSearch {
    let q = q.trim();
    if q.is_empty() {
        return CustomerSearch::default();
    }
    let phone_like = q
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'));
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    if phone_like && digits.len() >= 3 {
        return match normalize_phone(q) {
            Ok(phone) => CustomerSearch {
                phone: Some(phone),
                ..CustomerSearch::default()
            },
            Err(_) => CustomerSearch {
                phone_digits: Some(digits),
                ..CustomerSearch::default()
            },
        };
    }
    CustomerSearch {
        name_words: store::fold(q)
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        email: q.contains('@').then(|| normalize_email(q)),
        ..CustomerSearch::default()
    }
}

/// A live customer and their history in numbers.
pub async fn detail(
    db: &Db,
    tz: &jiff::tz::TimeZone,
    id: CustomerId,
) -> Result<(CustomerRecord, CustomerStats), CustomerError> {
    let record = store::find(&db.read, id)
        .await?
        .ok_or(CustomerError::NotFound)?;
    let history = store::history(&db.read, id).await?;
    let mut days: BTreeSet<String> = history.order_days.into_iter().collect();
    let mut last_visit_at = history
        .last_order_at
        .as_deref()
        .and_then(|t| t.parse::<Timestamp>().ok());
    for starts_at in history.visited_reservations {
        let Ok(starts_at) = starts_at.parse::<Timestamp>() else {
            continue;
        };
        days.insert(dysa_domain::hours::local_day(starts_at, tz).to_string());
        last_visit_at = last_visit_at.max(Some(starts_at));
    }
    let stats = CustomerStats {
        visit_count: u32::try_from(days.len()).unwrap_or(u32::MAX),
        order_count: u32::try_from(history.completed_orders).unwrap_or(u32::MAX),
        total_spent: history.total_spent,
        last_visit_at,
    };
    Ok((record, stats))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_becomes_a_phone_digits_or_name_words() {
        assert_eq!(
            parse_search("9 8765 4321").phone.as_deref(),
            Some("+56987654321")
        );
        assert_eq!(
            parse_search("+56 9 8765 4321").phone.as_deref(),
            Some("+56987654321")
        );
        assert_eq!(parse_search("4321").phone_digits.as_deref(), Some("4321"));
        assert_eq!(parse_search("José  PEÑA").name_words, ["jose", "pena"]);
        assert_eq!(
            parse_search("Ana@Mail.cl").email.as_deref(),
            Some("ana@mail.cl")
        );
        assert!(parse_search("  ").name_words.is_empty());
    }
}
