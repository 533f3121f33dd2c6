//! The owners' settings of the diners' widget: how it looks, whether it takes orders and
//! bookings, and which web sites may embed it (exact origins, for CORS). One document per
//! tenant, checked here before it is stored; a tenant that never saved any gets
//! [`WidgetSettings::default`] (Spanish, orders on, refused while the restaurant is
//! offline).

use crate::store::{self, StoreResult, Tx};
use dysa_domain::ids::AccountId;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};

/// Longest greeting, in characters.
pub const MAX_GREETING: usize = 200;
/// Most allowed origins per tenant.
pub const MAX_ORIGINS: usize = 20;
/// Longest logo URL.
pub const MAX_LOGO_URL: usize = 500;
/// Largest party the widget may ever offer.
pub const MAX_PARTY_SIZE: i32 = 100;
/// Largest online quota per booking slot.
pub const MAX_QUOTA: i32 = 1000;

/// Everything an owner sets about the widget.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WidgetSettings {
    /// How the widget looks.
    pub appearance: Appearance,
    /// Online orders.
    pub ordering: OrderingSettings,
    /// Online bookings.
    pub bookings: BookingSettings,
    /// Web sites allowed to call the public API from a browser: exact origins
    /// (`https://mirestaurante.cl`, `http://localhost:5173`), no path.
    pub allowed_origins: Vec<String>,
    /// How much each location takes through the widget per hour.
    pub budgets: BudgetSettings,
}

/// Largest hourly budget an owner may set.
pub const MAX_PER_HOUR: i32 = 10_000;
/// Largest number of pending orders per phone an owner may allow.
pub const MAX_PENDING_PER_PHONE: i32 = 50;

/// Per-location budgets of the widget: what one location takes per hour whoever asks,
/// so no diner (nor script) can flood the counter with orders or fill every slot's
/// online quota with bookings while the restaurant is offline. Spent, the widget
/// answers 429 with `Retry-After` (docs/SECURITY.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct BudgetSettings {
    /// Widget orders per hour, per location.
    pub orders_per_hour: i32,
    /// Widget bookings per hour, per location.
    pub bookings_per_hour: i32,
    /// Diners' chat messages per hour, per location.
    pub chat_turns_per_hour: i32,
    /// Orders a phone number may have waiting for the restaurant (not yet accepted).
    pub pending_orders_per_phone: i32,
}

impl Default for BudgetSettings {
    fn default() -> Self {
        BudgetSettings {
            orders_per_hour: 60,
            bookings_per_hour: 20,
            chat_turns_per_hour: 300,
            pending_orders_per_phone: 3,
        }
    }
}

impl BudgetSettings {
    /// A budget as the limiters take it: validated ≥ 1 when saved, and never 0 here
    /// either (a 0 would refuse everything).
    pub fn limit(value: i32) -> u32 {
        u32::try_from(value).unwrap_or(1).max(1)
    }
}

/// How the widget looks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Appearance {
    /// `#RRGGBB`.
    pub primary_color: String,
    /// `#RRGGBB`.
    pub accent_color: String,
    /// An `https://` image, or none.
    pub logo_url: Option<String>,
    /// The first message shown, per language.
    pub greeting: Greeting,
    /// Which corner the button sits in.
    pub position: WidgetPosition,
    /// The widget's language (`auto`: the browser's).
    pub language: WidgetLanguage,
}

impl Default for Appearance {
    fn default() -> Self {
        Appearance {
            primary_color: "#B3261E".to_owned(),
            accent_color: "#F2B705".to_owned(),
            logo_url: None,
            greeting: Greeting::default(),
            position: WidgetPosition::Right,
            language: WidgetLanguage::Auto,
        }
    }
}

/// A text in Spanish and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Greeting {
    /// Spanish (Chile).
    pub es: String,
    /// English.
    pub en: String,
}

impl Default for Greeting {
    fn default() -> Self {
        Greeting {
            es: "¡Hola! ¿Qué se te antoja hoy? Pide aquí o reserva tu mesa.".to_owned(),
            en: "Hi! What would you like today? Order here or book your table.".to_owned(),
        }
    }
}

/// Which corner the widget's button sits in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WidgetPosition {
    /// Bottom right.
    #[default]
    Right,
    /// Bottom left.
    Left,
}

/// The widget's language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WidgetLanguage {
    /// The browser's language (Spanish unless it prefers English).
    #[default]
    Auto,
    /// Always Spanish.
    Es,
    /// Always English.
    En,
}

/// What happens to an order while the restaurant is offline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfflinePolicy {
    /// Accept it; it waits in the cloud until the counter comes back.
    Wait,
    /// Refuse it (the diner calls instead): nobody is there to see it.
    #[default]
    Refuse,
}

/// Online orders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OrderingSettings {
    /// Whether the widget takes orders at all.
    pub online_orders: bool,
    /// What happens while the restaurant is offline.
    pub offline_policy: OfflinePolicy,
    /// Minutes an order usually takes when none of its dishes has its own prep time: the
    /// diner is told "listo en unos N minutos" instead of waiting blind.
    pub prep_minutes: i32,
}

/// Longest usual preparation time an owner may set, in minutes (as `menu_items.prep_minutes`).
pub const MAX_PREP_MINUTES: i32 = 600;

impl Default for OrderingSettings {
    fn default() -> Self {
        OrderingSettings {
            online_orders: true,
            offline_policy: OfflinePolicy::Refuse,
            prep_minutes: 20,
        }
    }
}

/// Online bookings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct BookingSettings {
    /// Whether the widget takes bookings.
    pub enabled: bool,
    /// The largest party the widget offers (bigger ones call).
    pub max_party_size: i32,
    /// Bookings the widget may take per time slot (0: none online).
    pub online_quota_per_slot: i32,
}

impl Default for BookingSettings {
    fn default() -> Self {
        BookingSettings {
            enabled: true,
            max_party_size: 8,
            online_quota_per_slot: 4,
        }
    }
}

fn other(es: &str, en: &str) -> FieldIssue {
    FieldIssue::Other {
        es: es.to_owned(),
        en: en.to_owned(),
    }
}

/// `#RRGGBB` exactly.
pub fn is_hex_color(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 7 && bytes[0] == b'#' && bytes[1..].iter().all(u8::is_ascii_hexdigit)
}

/// A host name as origins carry it: lowercase letters, digits, dots and hyphens, labels
/// neither empty nor starting or ending with a hyphen.
fn is_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// An exact web origin as browsers send it: `http` or `https`, `://`, a lowercase host,
/// an optional port 1–65535, and nothing after (no path, not even `/`).
pub fn is_exact_origin(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    if scheme != "https" && scheme != "http" {
        return false;
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 5
            && !p.starts_with('0')
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n))
    });
    port_ok && is_host(host)
}

/// An `https://` URL with a host and no spaces, quotes or angle brackets (it ends up in
/// an `<img src>` on other people's pages).
pub fn is_https_url(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("https://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    value.len() <= MAX_LOGO_URL
        && is_host(&host.to_ascii_lowercase())
        && !value.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\')
        })
}

impl WidgetSettings {
    /// Checks every field; the field paths name the JSON (`appearance.primary_color`,
    /// `allowed_origins[2]`).
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        let a = &self.appearance;
        let color = || other("debe ser un color #RRGGBB", "must be a #RRGGBB colour");
        errors.check(
            is_hex_color(&a.primary_color),
            "appearance.primary_color",
            color(),
        );
        errors.check(
            is_hex_color(&a.accent_color),
            "appearance.accent_color",
            color(),
        );
        if let Some(url) = &a.logo_url {
            errors.check(
                is_https_url(url),
                "appearance.logo_url",
                other(
                    "debe ser una dirección https:// válida",
                    "must be a valid https:// URL",
                ),
            );
        }
        errors.optional_text("appearance.greeting.es", Some(&a.greeting.es), MAX_GREETING);
        errors.optional_text("appearance.greeting.en", Some(&a.greeting.en), MAX_GREETING);
        if !(1..=MAX_PREP_MINUTES).contains(&self.ordering.prep_minutes) {
            errors.add(
                "ordering.prep_minutes",
                FieldIssue::OutOfRange {
                    min: 1,
                    max: i64::from(MAX_PREP_MINUTES),
                },
            );
        }
        let b = &self.bookings;
        if !(1..=MAX_PARTY_SIZE).contains(&b.max_party_size) {
            errors.add(
                "bookings.max_party_size",
                FieldIssue::OutOfRange {
                    min: 1,
                    max: i64::from(MAX_PARTY_SIZE),
                },
            );
        }
        if !(0..=MAX_QUOTA).contains(&b.online_quota_per_slot) {
            errors.add(
                "bookings.online_quota_per_slot",
                FieldIssue::OutOfRange {
                    min: 0,
                    max: i64::from(MAX_QUOTA),
                },
            );
        }
        let budgets = &self.budgets;
        for (field, value) in [
            ("budgets.orders_per_hour", budgets.orders_per_hour),
            ("budgets.bookings_per_hour", budgets.bookings_per_hour),
            ("budgets.chat_turns_per_hour", budgets.chat_turns_per_hour),
        ] {
            if !(1..=MAX_PER_HOUR).contains(&value) {
                errors.add(
                    field,
                    FieldIssue::OutOfRange {
                        min: 1,
                        max: i64::from(MAX_PER_HOUR),
                    },
                );
            }
        }
        if !(1..=MAX_PENDING_PER_PHONE).contains(&budgets.pending_orders_per_phone) {
            errors.add(
                "budgets.pending_orders_per_phone",
                FieldIssue::OutOfRange {
                    min: 1,
                    max: i64::from(MAX_PENDING_PER_PHONE),
                },
            );
        }
        if self.allowed_origins.len() > MAX_ORIGINS {
            errors.add(
                "allowed_origins",
                other(
                    &format!("admite como máximo {MAX_ORIGINS} orígenes"),
                    &format!("at most {MAX_ORIGINS} origins"),
                ),
            );
        }
        for (n, origin) in self.allowed_origins.iter().enumerate() {
            errors.check(
                is_exact_origin(origin),
                &format!("allowed_origins[{n}]"),
                other(
                    "debe ser un origen exacto como https://mirestaurante.cl (sin ruta)",
                    "must be an exact origin like https://myrestaurant.com (no path)",
                ),
            );
        }
        errors.into_result()
    }

    /// Whether a browser page of `origin` may call the public API.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.allowed_origins.iter().any(|o| o == origin)
    }
}

/// The tenant's settings (the defaults when it never saved any). In a tenant transaction.
pub async fn load(tx: &mut Tx) -> StoreResult<WidgetSettings> {
    Ok(store::widget::widget_settings(tx)
        .await?
        .unwrap_or_default())
}

/// Stores the tenant's settings (already validated), by `account`.
pub async fn save(
    tx: &mut Tx,
    settings: &WidgetSettings,
    account: Option<AccountId>,
) -> StoreResult<()> {
    store::widget::save_widget_settings(tx, settings, account).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(WidgetSettings::default().validate(), Ok(()));
    }

    #[test]
    fn origins_are_exact() {
        for good in [
            "https://mirestaurante.cl",
            "http://localhost:5173",
            "https://www.el-fogon.cl",
            "http://127.0.0.1:8080",
        ] {
            assert!(is_exact_origin(good), "{good}");
        }
        for bad in [
            "https://mirestaurante.cl/",
            "https://mirestaurante.cl/menu",
            "mirestaurante.cl",
            "ftp://mirestaurante.cl",
            "https://MiRestaurante.cl",
            "https://mirestaurante.cl:0",
            "https://mirestaurante.cl:70000",
            "https://*.mirestaurante.cl",
            "https://",
            "https://a..cl",
            "https://mirestaurante.cl?x=1",
            "null",
        ] {
            assert!(!is_exact_origin(bad), "{bad}");
        }
    }

    #[test]
    fn logos_are_https_and_colours_hex() {
        assert!(is_https_url("https://cdn.mirestaurante.cl/logo.png"));
        assert!(!is_https_url("http://cdn.mirestaurante.cl/logo.png"));
        assert!(!is_https_url("javascript:alert(1)"));
        assert!(!is_https_url("https://x.cl/\"onerror=\"alert(1)"));
        assert!(is_hex_color("#b3261e") && is_hex_color("#B3261E"));
        assert!(!is_hex_color("#b3261") && !is_hex_color("red") && !is_hex_color("#gggggg"));
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut settings = WidgetSettings::default();
        settings.appearance.primary_color = "rojo".into();
        settings.appearance.greeting.es = "a".repeat(MAX_GREETING + 1);
        settings.bookings.online_quota_per_slot = -1;
        settings.ordering.prep_minutes = 0;
        settings.allowed_origins = vec!["https://ok.cl".into(), "https://bad.cl/".into()];
        let Err(errors) = settings.validate() else {
            panic!("bad settings must be refused");
        };
        for field in [
            "appearance.primary_color",
            "appearance.greeting.es",
            "bookings.online_quota_per_slot",
            "ordering.prep_minutes",
            "allowed_origins[1]",
        ] {
            assert!(errors.0.contains_key(field), "{field} in {errors:?}");
        }
        assert!(!errors.0.contains_key("allowed_origins[0]"));
    }

    proptest! {
        #[test]
        fn any_origin_accepted_round_trips_as_scheme_host_port(
            host in "[a-z][a-z0-9]{0,10}(\\.[a-z][a-z0-9]{0,10}){0,3}",
            port in proptest::option::of(1u32..=65535),
            tls in any::<bool>(),
        ) {
            let scheme = if tls { "https" } else { "http" };
            let origin = match port {
                Some(p) => format!("{scheme}://{host}:{p}"),
                None => format!("{scheme}://{host}"),
            };
            prop_assert!(is_exact_origin(&origin));
            let with_path = format!("{origin}/");
            prop_assert!(!is_exact_origin(&with_path));
        }
    }
}
