//! The restaurant's settings, typed: profile, opening hours, time zone, tax, tips,
//! languages and reservation defaults.
//!
//! Each field is stored as its own `restaurant.<field>` setting so that two people editing
//! different fields on different devices both win (last writer wins per field).

use crate::store::{StoreResult, settings as setting_store};
use dysa_domain::customer::Rut;
use dysa_domain::hours::{ClockTime, Interval, OpeningHours};
use dysa_domain::money::TaxRate;
use dysa_domain::validate::{FieldErrors, FieldIssue, Lang};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

/// Everything about the restaurant the operations need.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RestaurantSettings {
    /// Trading name, shown to diners and on tickets.
    pub name: String,
    /// Tax id (RUT), shown on tickets.
    pub rut: Option<Rut>,
    /// Street address.
    pub address: Option<String>,
    /// Contact phone.
    pub phone: Option<String>,
    /// Contact email.
    pub email: Option<String>,
    /// Logo URL or data URL.
    pub logo_url: Option<String>,
    /// Weekly opening hours in local time.
    pub opening_hours: OpeningHours,
    /// IANA time zone; decides business days, slots and reports.
    pub time_zone: String,
    /// Currency code; CLP (integer pesos).
    pub currency: String,
    /// Tax rate in basis points (1900 = 19% IVA), included in every price.
    pub tax_rate_bp: u32,
    /// Suggested tip, percent of the total (Chile's customary 10%).
    pub suggested_tip_percent: u8,
    /// The local hour a business day starts and ends at (0–11; 4 = 04:00), so a night
    /// that runs past midnight closes into the evening's day.
    pub day_cutoff_hour: u8,
    /// Languages offered to diners, first is the default.
    pub languages: Vec<Lang>,
    /// Spacing of reservation slots, minutes.
    pub reservation_slot_minutes: u32,
    /// Default length of a reservation, minutes.
    pub reservation_duration_minutes: u32,
    /// Whether the widget and chat take orders.
    pub online_orders_enabled: bool,
    /// Admins and managers must sign in with their password: the PIN pad refuses them
    /// (a 4–6 digit PIN is too weak for accounts that manage staff and settings).
    pub password_required_for_managers: bool,
    /// Lines without a course go to the kitchen by themselves: counter orders when placed,
    /// the others (but a table's) when accepted
    /// ([`dysa_domain::kitchen::AutoFire`]). Off for a restaurant without a kitchen screen
    /// or printer, whose cooks read the order board instead.
    pub kitchen_auto_fire: bool,
    /// "Pedir PIN de encargado para anular y descontar": a cashier whose role cannot void,
    /// discount or refund may do it with a manager's or admin's PIN given in the request
    /// (`X-Approval-User`/`X-Approval-Pin`); the audit row names both. Off: only roles
    /// that hold the permission may, as before.
    pub manager_pin_for_voids: bool,
    /// "Emitir boleta electrónica": each payment issues a boleta (or a factura for a
    /// customer who gives a RUT) through the fiscal provider, and each refund of one its
    /// credit note (`crate::fiscal`). Off by default: a restaurant that issues boletas
    /// elsewhere is not forced.
    pub fiscal_documents_enabled: bool,
    /// The provider's branch ("sucursal", Bsale's `officeId`) the documents are issued
    /// from; absent: the account's default branch.
    pub fiscal_office_id: Option<u32>,
}

impl Default for RestaurantSettings {
    fn default() -> Self {
        let day = || {
            vec![Interval {
                open: ClockTime::new(12, 0).expect("12:00 is a clock time"),
                close: ClockTime::new(23, 0).expect("23:00 is a clock time"),
            }]
        };
        Self {
            name: String::new(),
            rut: None,
            address: None,
            phone: None,
            email: None,
            logo_url: None,
            opening_hours: OpeningHours {
                monday: day(),
                tuesday: day(),
                wednesday: day(),
                thursday: day(),
                friday: day(),
                saturday: day(),
                sunday: day(),
            },
            time_zone: "America/Santiago".to_owned(),
            currency: "CLP".to_owned(),
            tax_rate_bp: 1900,
            suggested_tip_percent: 10,
            day_cutoff_hour: dysa_domain::closing::DEFAULT_CUTOFF_HOUR,
            languages: vec![Lang::Es, Lang::En],
            reservation_slot_minutes: 30,
            reservation_duration_minutes: 90,
            online_orders_enabled: true,
            password_required_for_managers: false,
            kitchen_auto_fire: true,
            manager_pin_for_voids: false,
            fiscal_documents_enabled: false,
            fiscal_office_id: None,
        }
    }
}

impl RestaurantSettings {
    /// The restaurant's time zone (America/Santiago if the stored name is unknown).
    pub fn tz(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.time_zone)
            .or_else(|_| jiff::tz::TimeZone::get("America/Santiago"))
            .unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// The tax rate (19% IVA if the stored value is out of range).
    pub fn tax_rate(&self) -> TaxRate {
        TaxRate::from_basis_points(self.tax_rate_bp).unwrap_or_default()
    }

    /// Checks every field, collecting all problems.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        errors.text("name", &self.name, 120);
        errors.optional_text("address", self.address.as_deref(), 200);
        errors.optional_text("logo_url", self.logo_url.as_deref(), 200_000);
        if let Some(email) = &self.email {
            errors.email("email", email);
        }
        if let Some(phone) = &self.phone
            && dysa_domain::customer::normalize_phone(phone).is_err()
        {
            errors.add(
                "phone",
                FieldIssue::Other {
                    es: "no es un teléfono válido".into(),
                    en: "is not a valid phone number".into(),
                },
            );
        }
        if jiff::tz::TimeZone::get(&self.time_zone).is_err() {
            errors.add(
                "time_zone",
                FieldIssue::Other {
                    es: "no es una zona horaria conocida".into(),
                    en: "is not a known time zone".into(),
                },
            );
        }
        if self.currency != "CLP" {
            errors.add(
                "currency",
                FieldIssue::Other {
                    es: "solo se admite CLP".into(),
                    en: "only CLP is supported".into(),
                },
            );
        }
        errors.check(
            self.tax_rate_bp <= 5000,
            "tax_rate_bp",
            FieldIssue::OutOfRange { min: 0, max: 5000 },
        );
        errors.check(
            self.suggested_tip_percent <= 50,
            "suggested_tip_percent",
            FieldIssue::OutOfRange { min: 0, max: 50 },
        );
        errors.check(
            self.day_cutoff_hour <= dysa_domain::closing::MAX_CUTOFF_HOUR,
            "day_cutoff_hour",
            FieldIssue::OutOfRange {
                min: 0,
                max: i64::from(dysa_domain::closing::MAX_CUTOFF_HOUR),
            },
        );
        errors.check(
            !self.languages.is_empty(),
            "languages",
            FieldIssue::Required,
        );
        errors.check(
            (5..=240).contains(&self.reservation_slot_minutes),
            "reservation_slot_minutes",
            FieldIssue::OutOfRange { min: 5, max: 240 },
        );
        errors.check(
            (15..=720).contains(&self.reservation_duration_minutes),
            "reservation_duration_minutes",
            FieldIssue::OutOfRange { min: 15, max: 720 },
        );
        if let Err(hours) = self.opening_hours.validate() {
            for (field, issue) in hours.0 {
                errors.add(format!("opening_hours.{field}"), issue);
            }
        }
        errors.into_result()
    }
}

/// Why settings could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The change is invalid.
    #[error("invalid settings")]
    Invalid(FieldErrors),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Reads the settings: defaults overlaid with every stored `restaurant.*` key.
pub async fn load(pool: &SqlitePool) -> StoreResult<RestaurantSettings> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, value FROM settings WHERE key LIKE 'restaurant.%' AND deleted_at IS NULL",
    )
    .fetch_all(pool)
    .await?;
    let mut document = serde_json::to_value(RestaurantSettings::default())?;
    if let Some(object) = document.as_object_mut() {
        for (key, value) in rows {
            let field = key.trim_start_matches("restaurant.");
            if object.contains_key(field)
                && let Ok(value) = serde_json::from_str(&value)
            {
                object.insert(field.to_owned(), value);
            }
        }
    }
    // A stored value the current build cannot read (a newer schema) falls back to defaults
    // field by field rather than failing the whole restaurant.
    Ok(serde_json::from_value(document.clone()).unwrap_or_else(|error| {
        tracing::warn!(%error, "stored restaurant settings unreadable; using defaults where needed");
        merge_readable(document)
    }))
}

fn merge_readable(document: serde_json::Value) -> RestaurantSettings {
    let mut settings = RestaurantSettings::default();
    let Some(object) = document.as_object() else {
        return settings;
    };
    for (field, value) in object {
        let Ok(mut candidate) = serde_json::to_value(&settings) else {
            continue;
        };
        if let Some(map) = candidate.as_object_mut() {
            map.insert(field.clone(), value.clone());
        }
        if let Ok(next) = serde_json::from_value(candidate) {
            settings = next;
        }
    }
    settings
}

/// Applies a partial change (a JSON object of fields), validates the result and writes
/// only the fields that changed, each with its outbox row. Returns the new settings.
pub async fn update(
    db: &crate::store::Db,
    actor: &crate::audit::Actor,
    patch: serde_json::Map<String, serde_json::Value>,
) -> Result<RestaurantSettings, SettingsError> {
    let current = load(&db.read).await?;
    let mut document = serde_json::to_value(&current).map_err(crate::store::StoreError::from)?;
    let mut errors = FieldErrors::new();
    if let Some(object) = document.as_object_mut() {
        for (field, value) in &patch {
            if object.contains_key(field) {
                object.insert(field.clone(), value.clone());
            } else {
                errors.add(
                    field.clone(),
                    FieldIssue::Other {
                        es: "campo desconocido".into(),
                        en: "unknown field".into(),
                    },
                );
            }
        }
    }
    errors
        .clone()
        .into_result()
        .map_err(SettingsError::Invalid)?;
    let next: RestaurantSettings = serde_json::from_value(document).map_err(|error| {
        let mut errors = FieldErrors::new();
        errors.add(
            "body",
            FieldIssue::Other {
                es: format!("valor no válido ({error})"),
                en: error.to_string(),
            },
        );
        SettingsError::Invalid(errors)
    })?;
    next.validate().map_err(SettingsError::Invalid)?;
    let before = serde_json::to_value(&current).map_err(crate::store::StoreError::from)?;
    let after = serde_json::to_value(&next).map_err(crate::store::StoreError::from)?;
    let mut tx = db.begin().await?;
    let mut was = serde_json::Map::new();
    let mut now = serde_json::Map::new();
    if let (Some(before), Some(after)) = (before.as_object(), after.as_object()) {
        for (field, value) in after {
            if before.get(field) != Some(value) {
                setting_store::put(&mut tx, &format!("restaurant.{field}"), value, db.tick())
                    .await?;
                was.insert(
                    field.clone(),
                    before.get(field).cloned().unwrap_or_default(),
                );
                now.insert(field.clone(), value.clone());
            }
        }
    }
    if !now.is_empty() {
        // Only the fields that changed: the row stays small and says what happened.
        let event = actor.event(
            dysa_domain::audit::AuditAction::SettingsChanged,
            "setting",
            Some("restaurant".to_owned()),
            Some(serde_json::Value::Object(was)),
            Some(serde_json::Value::Object(now)),
        );
        crate::store::audit::record(&mut tx, &event, db.tick()).await?;
    }
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(next)
}

/// The settings, kept in memory between changes: orders read them on every request.
/// Whoever writes settings (the settings route, sync) calls [`SettingsCache::invalidate`]
/// after the commit.
#[derive(Debug, Default)]
pub struct SettingsCache {
    generation: std::sync::atomic::AtomicU64,
    current: std::sync::RwLock<Option<(u64, std::sync::Arc<RestaurantSettings>)>>,
}

impl SettingsCache {
    /// The current settings, loaded once per change.
    pub async fn get(&self, pool: &SqlitePool) -> StoreResult<std::sync::Arc<RestaurantSettings>> {
        use std::sync::atomic::Ordering;
        let generation = self.generation.load(Ordering::Acquire);
        if let Some((cached, settings)) = self
            .current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            && *cached == generation
        {
            return Ok(settings.clone());
        }
        let settings = std::sync::Arc::new(load(pool).await?);
        // A change committed while we were loading bumped the generation: keep our copy
        // out of the cache so the next reader loads the new settings.
        if self.generation.load(Ordering::Acquire) == generation {
            *self.current.write().unwrap_or_else(|p| p.into_inner()) =
                Some((generation, settings.clone()));
        }
        Ok(settings)
    }

    /// Forgets the cached settings; call after committing a change.
    pub fn invalidate(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = None;
    }
}
