//! Roles and permissions of restaurant staff.
//!
//! The roles are those of the original system. Each role is a fixed set of permissions,
//! checked on every route; the panel hides what a role may not use, but the server is
//! the one that refuses.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A staff role in one restaurant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything in the restaurant, including staff and settings.
    Admin,
    /// Runs the floor: orders, menu, customers, reservations, reports.
    Manager,
    /// Takes orders and bookings; reads the menu.
    Waiter,
    /// Looks, never touches.
    Viewer,
}

/// One thing a route may require.
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
pub enum Permission {
    /// See orders and their history.
    #[serde(rename = "orders:read")]
    OrdersRead,
    /// Create orders and append lines.
    #[serde(rename = "orders:create")]
    OrdersCreate,
    /// Move orders through their states, void lines, cancel.
    #[serde(rename = "orders:update")]
    OrdersUpdate,
    /// Take payments and refunds.
    #[serde(rename = "payments:write")]
    PaymentsWrite,
    /// See the menu.
    #[serde(rename = "menu:read")]
    MenuRead,
    /// Edit the menu and mark items sold out.
    #[serde(rename = "menu:write")]
    MenuWrite,
    /// See customers.
    #[serde(rename = "customers:read")]
    CustomersRead,
    /// Create and edit customers.
    #[serde(rename = "customers:write")]
    CustomersWrite,
    /// See reservations and availability.
    #[serde(rename = "reservations:read")]
    ReservationsRead,
    /// Book tables.
    #[serde(rename = "reservations:create")]
    ReservationsCreate,
    /// Change, seat, cancel and mark no-shows.
    #[serde(rename = "reservations:update")]
    ReservationsUpdate,
    /// See tables and their live status.
    #[serde(rename = "tables:read")]
    TablesRead,
    /// Create and edit tables.
    #[serde(rename = "tables:write")]
    TablesWrite,
    /// See sales analytics.
    #[serde(rename = "reports:read")]
    ReportsRead,
    /// See restaurant settings.
    #[serde(rename = "settings:read")]
    SettingsRead,
    /// Change restaurant settings, the cloud link and integrations.
    #[serde(rename = "settings:write")]
    SettingsWrite,
    /// See staff accounts.
    #[serde(rename = "users:read")]
    UsersRead,
    /// Create, edit and deactivate staff accounts; reset passwords and PINs.
    #[serde(rename = "users:manage")]
    UsersManage,
    /// See chats with diners.
    #[serde(rename = "conversations:read")]
    ConversationsRead,
    /// Answer chats, take over from the assistant.
    #[serde(rename = "conversations:write")]
    ConversationsWrite,
    /// See cash drawer sessions (not the expected amount before the count).
    #[serde(rename = "drawer:read")]
    DrawerRead,
    /// Open a drawer, pay in and out, count it blind and close it.
    #[serde(rename = "drawer:operate")]
    DrawerOperate,
    /// See the expected amount before the count, ask for a second count, add drawers.
    #[serde(rename = "drawer:audit")]
    DrawerAudit,
    /// Read the audit log and export it (admins and managers only).
    #[serde(rename = "audit:read")]
    AuditRead,
}

impl Permission {
    /// Every permission, in a stable order (used by the admin role and by tests).
    pub const ALL: [Permission; 24] = [
        Permission::OrdersRead,
        Permission::OrdersCreate,
        Permission::OrdersUpdate,
        Permission::PaymentsWrite,
        Permission::MenuRead,
        Permission::MenuWrite,
        Permission::CustomersRead,
        Permission::CustomersWrite,
        Permission::ReservationsRead,
        Permission::ReservationsCreate,
        Permission::ReservationsUpdate,
        Permission::TablesRead,
        Permission::TablesWrite,
        Permission::ReportsRead,
        Permission::SettingsRead,
        Permission::SettingsWrite,
        Permission::UsersRead,
        Permission::UsersManage,
        Permission::ConversationsRead,
        Permission::ConversationsWrite,
        Permission::DrawerRead,
        Permission::DrawerOperate,
        Permission::DrawerAudit,
        Permission::AuditRead,
    ];

    /// The wire name, e.g. `orders:read`.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::OrdersRead => "orders:read",
            Permission::OrdersCreate => "orders:create",
            Permission::OrdersUpdate => "orders:update",
            Permission::PaymentsWrite => "payments:write",
            Permission::MenuRead => "menu:read",
            Permission::MenuWrite => "menu:write",
            Permission::CustomersRead => "customers:read",
            Permission::CustomersWrite => "customers:write",
            Permission::ReservationsRead => "reservations:read",
            Permission::ReservationsCreate => "reservations:create",
            Permission::ReservationsUpdate => "reservations:update",
            Permission::TablesRead => "tables:read",
            Permission::TablesWrite => "tables:write",
            Permission::ReportsRead => "reports:read",
            Permission::SettingsRead => "settings:read",
            Permission::SettingsWrite => "settings:write",
            Permission::UsersRead => "users:read",
            Permission::UsersManage => "users:manage",
            Permission::ConversationsRead => "conversations:read",
            Permission::ConversationsWrite => "conversations:write",
            Permission::DrawerRead => "drawer:read",
            Permission::DrawerOperate => "drawer:operate",
            Permission::DrawerAudit => "drawer:audit",
            Permission::AuditRead => "audit:read",
        }
    }

    /// True for permissions that only look.
    pub fn is_read_only(self) -> bool {
        self.as_str().ends_with(":read")
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Manager, Role::Waiter, Role::Viewer];

    /// Whether this role holds `permission`.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission as P;
        match self {
            Role::Admin => true,
            // Managers run the floor: they place, add and remove tables (issue 16).
            Role::Manager => !matches!(permission, P::UsersManage | P::SettingsWrite),
            Role::Waiter => matches!(
                permission,
                P::OrdersRead
                    | P::OrdersCreate
                    | P::ReservationsRead
                    | P::ReservationsCreate
                    | P::MenuRead
                    | P::TablesRead
                    | P::DrawerRead
                    | P::DrawerOperate
            ),
            // Who did what is for those who answer for the till, not for every reader.
            Role::Viewer => {
                permission.is_read_only() && !matches!(permission, P::UsersRead | P::AuditRead)
            }
        }
    }

    /// The permissions of this role, in [`Permission::ALL`] order.
    pub fn permissions(self) -> Vec<Permission> {
        Permission::ALL
            .into_iter()
            .filter(|p| self.allows(*p))
            .collect()
    }

    /// The wire name, e.g. `manager`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Waiter => "waiter",
            Role::Viewer => "viewer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not a known role.
#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_follow_the_original_system() {
        assert_eq!(Role::Admin.permissions().len(), Permission::ALL.len());
        for p in [
            Permission::OrdersUpdate,
            Permission::MenuWrite,
            Permission::CustomersWrite,
            Permission::ReservationsUpdate,
            Permission::ReportsRead,
        ] {
            assert!(Role::Manager.allows(p), "manager lacks {p}");
        }
        assert!(!Role::Manager.allows(Permission::UsersManage));
        assert!(!Role::Manager.allows(Permission::SettingsWrite));
        // The manager places tables on the floor; waiters and viewers do not.
        assert!(Role::Manager.allows(Permission::TablesWrite));
        assert!(!Role::Waiter.allows(Permission::TablesWrite));
        assert!(!Role::Viewer.allows(Permission::TablesWrite));
        assert!(Role::Waiter.allows(Permission::OrdersCreate));
        assert!(!Role::Waiter.allows(Permission::OrdersUpdate));
        assert!(!Role::Waiter.allows(Permission::MenuWrite));
        assert!(!Role::Waiter.allows(Permission::ReportsRead));
        assert!(Role::Viewer.permissions().iter().all(|p| p.is_read_only()));
        assert!(Role::Viewer.allows(Permission::ReportsRead));
        // The cashier counts blind; the manager sees what the drawer should hold.
        assert!(Role::Waiter.allows(Permission::DrawerOperate));
        assert!(!Role::Waiter.allows(Permission::DrawerAudit));
        assert!(Role::Manager.allows(Permission::DrawerAudit));
        assert!(!Role::Viewer.allows(Permission::DrawerOperate));
    }

    #[test]
    fn wire_names_match_serde() {
        for p in Permission::ALL {
            let json = serde_json::to_string(&p).expect("serialize");
            assert_eq!(json, format!("\"{}\"", p.as_str()));
        }
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().expect("parse"), r);
        }
    }
}
