//! The audit log's vocabulary: which actions are recorded, and how a recorded event reads
//! to the owner in Spanish and English ("Ana anuló la línea 2 del pedido #45 — motivo:
//! cliente se arrepintió"). The panel, the dashboard and the CSV export all show these
//! sentences, never the raw action code.

use crate::money::Clp;
use crate::rbac::Role;
use crate::sync::rows::AuditEvent;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::str::FromStr;

/// A recorded kind of sensitive action. The wire form (`order.line_voided`) is what the
/// row stores and the filters take.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
pub enum AuditAction {
    /// A staff member signed in (password or PIN).
    #[serde(rename = "auth.sign_in")]
    SignIn,
    /// A sign-in was refused (wrong password or PIN, locked account).
    #[serde(rename = "auth.sign_in_failed")]
    SignInFailed,
    /// A staff account was created.
    #[serde(rename = "user.created")]
    UserCreated,
    /// A staff account changed (name, role, active).
    #[serde(rename = "user.updated")]
    UserUpdated,
    /// A menu item was created.
    #[serde(rename = "menu.item_created")]
    ItemCreated,
    /// A menu item changed (its price among others).
    #[serde(rename = "menu.item_updated")]
    ItemUpdated,
    /// A menu item was deleted.
    #[serde(rename = "menu.item_deleted")]
    ItemDeleted,
    /// An order line was voided.
    #[serde(rename = "order.line_voided")]
    LineVoided,
    /// An order was cancelled.
    #[serde(rename = "order.cancelled")]
    OrderCancelled,
    /// An order's discount changed.
    #[serde(rename = "order.discount")]
    Discount,
    /// A payment was refunded.
    #[serde(rename = "payment.refunded")]
    Refund,
    /// Restaurant settings changed.
    #[serde(rename = "settings.updated")]
    SettingsChanged,
    /// The appliance was linked to the cloud.
    #[serde(rename = "cloud.linked")]
    CloudLinked,
    /// The appliance was unlinked from the cloud.
    #[serde(rename = "cloud.unlinked")]
    CloudUnlinked,
    /// A counter's request to join this location was approved.
    #[serde(rename = "join.approved")]
    JoinApproved,
    /// Data left the system as a file (the audit log's CSV).
    #[serde(rename = "data.exported")]
    Exported,
    /// A backup was restored over the database.
    #[serde(rename = "backup.restored")]
    BackupRestored,
    /// A new admin recovery code was made (at setup or by an admin); the old one stops
    /// working.
    #[serde(rename = "auth.recovery_code_issued")]
    RecoveryCodeIssued,
    /// Someone holding the recovery code set a new admin password.
    #[serde(rename = "auth.recovered")]
    Recovered,
}

impl AuditAction {
    /// Every action, in a stable order (filters and tests walk it).
    pub const ALL: [AuditAction; 19] = [
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::UserCreated,
        AuditAction::UserUpdated,
        AuditAction::ItemCreated,
        AuditAction::ItemUpdated,
        AuditAction::ItemDeleted,
        AuditAction::LineVoided,
        AuditAction::OrderCancelled,
        AuditAction::Discount,
        AuditAction::Refund,
        AuditAction::SettingsChanged,
        AuditAction::CloudLinked,
        AuditAction::CloudUnlinked,
        AuditAction::JoinApproved,
        AuditAction::Exported,
        AuditAction::BackupRestored,
        AuditAction::RecoveryCodeIssued,
        AuditAction::Recovered,
    ];

    /// The wire name, e.g. `order.line_voided`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignIn => "auth.sign_in",
            AuditAction::SignInFailed => "auth.sign_in_failed",
            AuditAction::UserCreated => "user.created",
            AuditAction::UserUpdated => "user.updated",
            AuditAction::ItemCreated => "menu.item_created",
            AuditAction::ItemUpdated => "menu.item_updated",
            AuditAction::ItemDeleted => "menu.item_deleted",
            AuditAction::LineVoided => "order.line_voided",
            AuditAction::OrderCancelled => "order.cancelled",
            AuditAction::Discount => "order.discount",
            AuditAction::Refund => "payment.refunded",
            AuditAction::SettingsChanged => "settings.updated",
            AuditAction::CloudLinked => "cloud.linked",
            AuditAction::CloudUnlinked => "cloud.unlinked",
            AuditAction::JoinApproved => "join.approved",
            AuditAction::Exported => "data.exported",
            AuditAction::BackupRestored => "backup.restored",
            AuditAction::RecoveryCodeIssued => "auth.recovery_code_issued",
            AuditAction::Recovered => "auth.recovered",
        }
    }

    /// A short name for the filter list, Spanish and English.
    pub fn label(self, lang: Lang) -> &'static str {
        let (es, en) = match self {
            AuditAction::SignIn => ("Inicio de sesión", "Sign-in"),
            AuditAction::SignInFailed => ("Inicio de sesión fallido", "Failed sign-in"),
            AuditAction::UserCreated => ("Usuario creado", "User created"),
            AuditAction::UserUpdated => ("Usuario modificado", "User changed"),
            AuditAction::ItemCreated => ("Producto creado", "Item created"),
            AuditAction::ItemUpdated => ("Producto modificado", "Item changed"),
            AuditAction::ItemDeleted => ("Producto eliminado", "Item deleted"),
            AuditAction::LineVoided => ("Línea anulada", "Line voided"),
            AuditAction::OrderCancelled => ("Pedido anulado", "Order cancelled"),
            AuditAction::Discount => ("Descuento", "Discount"),
            AuditAction::Refund => ("Devolución", "Refund"),
            AuditAction::SettingsChanged => ("Ajustes modificados", "Settings changed"),
            AuditAction::CloudLinked => ("Conexión a la nube", "Cloud linked"),
            AuditAction::CloudUnlinked => ("Desconexión de la nube", "Cloud unlinked"),
            AuditAction::JoinApproved => ("Caja aprobada", "Counter approved"),
            AuditAction::Exported => ("Exportación", "Export"),
            AuditAction::BackupRestored => ("Respaldo restaurado", "Backup restored"),
            AuditAction::RecoveryCodeIssued => {
                ("Código de recuperación nuevo", "New recovery code")
            }
            AuditAction::Recovered => ("Contraseña recuperada", "Password recovered"),
        };
        lang.pick(es, en)
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not a known audit action.
#[derive(Debug, thiserror::Error)]
#[error("unknown audit action {0:?}")]
pub struct UnknownAction(pub String);

impl FromStr for AuditAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AuditAction::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| UnknownAction(s.to_owned()))
    }
}

/// The language a sentence is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Chilean Spanish (the default everywhere).
    Es,
    /// English.
    En,
}

impl Lang {
    fn pick(self, es: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Es => es,
            Lang::En => en,
        }
    }
}

fn text<'a>(value: Option<&'a Value>, field: &str) -> Option<&'a str> {
    value?.get(field)?.as_str()
}

fn int(value: Option<&Value>, field: &str) -> Option<i64> {
    value?.get(field)?.as_i64()
}

fn role_name(role: &str, lang: Lang) -> String {
    let Ok(role) = role.parse::<Role>() else {
        return role.to_owned();
    };
    let (es, en) = match role {
        Role::Admin => ("Administrador", "Admin"),
        Role::Manager => ("Encargado", "Manager"),
        Role::Waiter => ("Garzón", "Waiter"),
        Role::Viewer => ("Solo lectura", "Read only"),
    };
    lang.pick(es, en).to_owned()
}

fn money(value: Option<&Value>, field: &str) -> Option<String> {
    int(value, field).map(|pesos| Clp(pesos).to_string())
}

/// "del pedido #45" / "of order #45", or nothing when the number is unknown.
fn of_order(event: &AuditEvent, lang: Lang) -> String {
    match int(event.after.as_ref(), "order_number") {
        Some(n) => match lang {
            Lang::Es => format!(" del pedido #{n}"),
            Lang::En => format!(" of order #{n}"),
        },
        None => String::new(),
    }
}

fn with_reason(mut sentence: String, event: &AuditEvent, lang: Lang) -> String {
    if let Some(reason) = text(event.after.as_ref(), "reason").filter(|r| !r.is_empty()) {
        sentence.push_str(lang.pick(" — motivo: ", " — reason: "));
        sentence.push_str(reason);
    }
    sentence
}

/// The names of the fields that differ between `before` and `after` (objects), sorted.
pub fn changed_fields(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut names: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A restaurant setting's name as staff know it (the field name is never shown).
fn setting_name(field: &str, lang: Lang) -> &'static str {
    let (es, en) = match field {
        "name" => ("nombre", "name"),
        "rut" => ("RUT", "tax id"),
        "address" => ("dirección", "address"),
        "phone" => ("teléfono", "phone"),
        "email" => ("correo", "email"),
        "logo_url" => ("logo", "logo"),
        "opening_hours" => ("horario", "opening hours"),
        "time_zone" => ("zona horaria", "time zone"),
        "currency" => ("moneda", "currency"),
        "tax_rate_bp" => ("IVA", "VAT rate"),
        "suggested_tip_percent" => ("propina sugerida", "suggested tip"),
        "languages" => ("idiomas", "languages"),
        "reservation_slot_minutes" => ("intervalo de reservas", "booking interval"),
        "reservation_duration_minutes" => ("duración de reservas", "booking length"),
        "online_orders_enabled" => ("pedidos en línea", "online orders"),
        "password_required_for_managers" => (
            "contraseña obligatoria para encargados",
            "password required for managers",
        ),
        "kitchen_auto_fire" => ("envío automático a cocina", "automatic send to the kitchen"),
        "manager_pin_for_voids" => (
            "PIN de encargado para anular y descontar",
            "manager PIN for voids and discounts",
        ),
        _ => ("otro ajuste", "another setting"),
    };
    lang.pick(es, en)
}

/// The event as one readable line: who did what to what, with the detail that matters,
/// and who approved it with their PIN when a manager's approval was needed.
pub fn describe(event: &AuditEvent, lang: Lang) -> String {
    let mut line = describe_action(event, lang);
    if let Some(approver) = event
        .after
        .as_ref()
        .and_then(|a| a.get("approved_by"))
        .and_then(|a| a.get("name"))
        .and_then(Value::as_str)
    {
        line.push_str(lang.pick(" (aprobado por ", " (approved by "));
        line.push_str(approver);
        line.push(')');
    }
    line
}

fn describe_action(event: &AuditEvent, lang: Lang) -> String {
    let who = event
        .actor_name
        .clone()
        .unwrap_or_else(|| lang.pick("El sistema", "The system").to_owned());
    let before = event.before.as_ref();
    let after = event.after.as_ref();
    let name = text(after, "name")
        .or_else(|| text(before, "name"))
        .unwrap_or("");
    let es = lang == Lang::Es;
    match event.action {
        AuditAction::SignIn => {
            let how = match (text(after, "method"), es) {
                (Some("pin"), true) => " con PIN",
                (Some("pin"), false) => " with a PIN",
                _ => "",
            };
            if es {
                format!("{who} inició sesión{how}")
            } else {
                format!("{who} signed in{how}")
            }
        }
        AuditAction::SignInFailed => {
            let login = text(after, "login").unwrap_or("?");
            if es {
                format!("Inicio de sesión rechazado para «{login}»")
            } else {
                format!("Sign-in refused for “{login}”")
            }
        }
        AuditAction::UserCreated => {
            let role = text(after, "role")
                .map(|r| role_name(r, lang))
                .unwrap_or_default();
            if es {
                format!("{who} creó la cuenta de {name} ({role})")
            } else {
                format!("{who} created {name}'s account ({role})")
            }
        }
        AuditAction::UserUpdated => {
            let mut s = if es {
                format!("{who} modificó la cuenta de {name}")
            } else {
                format!("{who} changed {name}'s account")
            };
            if let (Some(from), Some(to)) = (text(before, "role"), text(after, "role"))
                && from != to
            {
                s.push_str(&format!(
                    "{}{} → {}",
                    lang.pick(" — rol: ", " — role: "),
                    role_name(from, lang),
                    role_name(to, lang)
                ));
            }
            if let (Some(from), Some(to)) = (
                before.and_then(|b| b.get("active")?.as_bool()),
                after.and_then(|a| a.get("active")?.as_bool()),
            ) && from != to
            {
                s.push_str(match (to, es) {
                    (false, true) => " — desactivada",
                    (false, false) => " — deactivated",
                    (true, true) => " — reactivada",
                    (true, false) => " — reactivated",
                });
            }
            s
        }
        AuditAction::ItemCreated => {
            let price = money(after, "price").unwrap_or_default();
            if es {
                format!("{who} agregó «{name}» a la carta ({price})")
            } else {
                format!("{who} added “{name}” to the menu ({price})")
            }
        }
        AuditAction::ItemUpdated => {
            let mut s = if es {
                format!("{who} modificó «{name}»")
            } else {
                format!("{who} changed “{name}”")
            };
            if let (Some(from), Some(to)) = (money(before, "price"), money(after, "price"))
                && from != to
            {
                s.push_str(&format!(
                    "{}{from} → {to}",
                    lang.pick(" — precio: ", " — price: ")
                ));
            }
            s
        }
        AuditAction::ItemDeleted => {
            if es {
                format!("{who} eliminó «{name}» de la carta")
            } else {
                format!("{who} removed “{name}” from the menu")
            }
        }
        AuditAction::LineVoided => {
            let line = int(after, "position").map(|p| p + 1).unwrap_or(0);
            let item = text(after, "item")
                .map(|i| format!(" ({i})"))
                .unwrap_or_default();
            let s = if es {
                format!("{who} anuló la línea {line}{item}{}", of_order(event, lang))
            } else {
                format!("{who} voided line {line}{item}{}", of_order(event, lang))
            };
            with_reason(s, event, lang)
        }
        AuditAction::OrderCancelled => {
            let order = of_order(event, lang);
            let s = if es {
                format!(
                    "{who} anuló el pedido{}",
                    order.trim_start_matches(" del pedido")
                )
            } else {
                format!(
                    "{who} cancelled order{}",
                    order.trim_start_matches(" of order")
                )
            };
            with_reason(s, event, lang)
        }
        AuditAction::Discount => {
            let from = money(before, "discount").unwrap_or_else(|| Clp(0).to_string());
            let to = money(after, "discount").unwrap_or_else(|| Clp(0).to_string());
            if let Some(item) = text(after, "item") {
                // A line's own discount: the order's discount moves by it.
                let s = if es {
                    format!(
                        "{who} descontó «{item}»{}: descuento de {from} a {to}",
                        of_order(event, lang)
                    )
                } else {
                    format!(
                        "{who} discounted «{item}»{}: discount from {from} to {to}",
                        of_order(event, lang)
                    )
                };
                return with_reason(s, event, lang);
            }
            if es {
                format!(
                    "{who} cambió el descuento{} de {from} a {to}",
                    of_order(event, lang)
                )
            } else {
                format!(
                    "{who} changed the discount{} from {from} to {to}",
                    of_order(event, lang)
                )
            }
        }
        AuditAction::Refund => {
            let amount = int(after, "amount")
                .map(|a| Clp(a.abs()).to_string())
                .unwrap_or_default();
            let s = if es {
                format!("{who} devolvió {amount}{}", of_order(event, lang))
            } else {
                format!("{who} refunded {amount}{}", of_order(event, lang))
            };
            with_reason(s, event, lang)
        }
        AuditAction::SettingsChanged => {
            let fields = changed_fields(before, after)
                .iter()
                .map(|f| setting_name(f, lang))
                .collect::<Vec<_>>()
                .join(", ");
            if es {
                format!("{who} cambió los ajustes: {fields}")
            } else {
                format!("{who} changed the settings: {fields}")
            }
        }
        AuditAction::CloudLinked => {
            if es {
                format!("{who} conectó este local a la nube")
            } else {
                format!("{who} linked this location to the cloud")
            }
        }
        AuditAction::CloudUnlinked => {
            if es {
                format!("{who} desconectó este local de la nube")
            } else {
                format!("{who} unlinked this location from the cloud")
            }
        }
        AuditAction::JoinApproved => {
            let device = text(after, "device_name").unwrap_or("?");
            if es {
                format!("{who} aprobó la caja «{device}»")
            } else {
                format!("{who} approved the counter “{device}”")
            }
        }
        AuditAction::Exported => {
            let rows = int(after, "rows").unwrap_or(0);
            if es {
                format!("{who} exportó el registro de auditoría ({rows} filas)")
            } else {
                format!("{who} exported the audit log ({rows} rows)")
            }
        }
        AuditAction::BackupRestored => {
            let file = text(after, "file").unwrap_or("?");
            if es {
                format!("Se restauró el respaldo «{file}»")
            } else {
                format!("The backup “{file}” was restored")
            }
        }
        AuditAction::RecoveryCodeIssued => {
            if es {
                format!("{who} generó un código de recuperación nuevo (el anterior ya no sirve)")
            } else {
                format!("{who} made a new recovery code (the old one no longer works)")
            }
        }
        AuditAction::Recovered => {
            if es {
                format!("Se usó el código de recuperación: {name} tiene contraseña nueva")
            } else {
                format!("The recovery code was used: {name} has a new password")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn event(action: AuditAction, before: Option<Value>, after: Value) -> AuditEvent {
        AuditEvent {
            id: uuid::Uuid::now_v7(),
            at: "2026-12-06T18:00:00Z".into(),
            actor_id: None,
            actor_name: Some("Ana".into()),
            device_id: "d".into(),
            client: None,
            action,
            subject_type: "order".into(),
            subject_id: None,
            before,
            after: Some(after),
        }
    }

    #[test]
    fn action_names_round_trip() {
        for a in AuditAction::ALL {
            assert_eq!(a.as_str().parse::<AuditAction>().unwrap(), a);
            assert_eq!(serde_json::to_value(a).unwrap(), json!(a.as_str()));
        }
    }

    #[test]
    fn a_void_reads_as_the_owner_says_it() {
        let e = event(
            AuditAction::LineVoided,
            None,
            json!({"position": 1, "order_number": 45, "reason": "cliente se arrepintió"}),
        );
        assert_eq!(
            describe(&e, Lang::Es),
            "Ana anuló la línea 2 del pedido #45 — motivo: cliente se arrepintió"
        );
        assert_eq!(
            describe(&e, Lang::En),
            "Ana voided line 2 of order #45 — reason: cliente se arrepintió"
        );
    }

    #[test]
    fn a_price_change_shows_both_prices_in_pesos() {
        let e = event(
            AuditAction::ItemUpdated,
            Some(json!({"name": "Completo", "price": 2990})),
            json!({"name": "Completo", "price": 3490}),
        );
        assert_eq!(
            describe(&e, Lang::Es),
            "Ana modificó «Completo» — precio: $2.990 → $3.490"
        );
    }

    #[test]
    fn roles_and_cancellations_read_in_words() {
        let e = event(
            AuditAction::UserUpdated,
            Some(json!({"name": "Luis", "role": "waiter"})),
            json!({"name": "Luis", "role": "manager"}),
        );
        assert_eq!(
            describe(&e, Lang::Es),
            "Ana modificó la cuenta de Luis — rol: Garzón → Encargado"
        );
        let e = event(
            AuditAction::OrderCancelled,
            None,
            json!({"order_number": 7, "reason": "sin stock"}),
        );
        assert_eq!(
            describe(&e, Lang::Es),
            "Ana anuló el pedido #7 — motivo: sin stock"
        );
        assert_eq!(
            describe(&e, Lang::En),
            "Ana cancelled order #7 — reason: sin stock"
        );
    }

    #[test]
    fn settings_changes_name_the_settings_in_words() {
        let e = event(
            AuditAction::SettingsChanged,
            Some(json!({"address": null, "tax_rate_bp": 1900})),
            json!({"address": "Av. Providencia 1234", "tax_rate_bp": 1000}),
        );
        assert_eq!(
            describe(&e, Lang::Es),
            "Ana cambió los ajustes: dirección, IVA"
        );
        assert_eq!(
            describe(&e, Lang::En),
            "Ana changed the settings: address, VAT rate"
        );
    }

    #[test]
    fn no_sentence_shows_a_raw_action_code() {
        for a in AuditAction::ALL {
            let e = event(a, None, json!({}));
            for lang in [Lang::Es, Lang::En] {
                let s = describe(&e, lang);
                assert!(!s.contains(a.as_str()), "{s}");
                assert!(!a.label(lang).contains('.'));
            }
        }
    }
}
