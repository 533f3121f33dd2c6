//! Roles of dashboard accounts and what they allow, in terms of the domain's permissions.
//!
//! `owner`, `manager` and `viewer` work inside one tenant. `super_admin` is the platform
//! operator: it has no tenant, holds no tenant permission (every tenant route refuses it
//! with 403) and is the only role the platform routes accept.

use dysa_domain::rbac::{Permission, Role};
use serde::{Deserialize, Serialize};

/// The role of a dashboard account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountRole {
    /// The business owner: everything in the tenant.
    Owner,
    /// Runs the restaurants: everything but accounts, settings and devices.
    Manager,
    /// Reads reports and lists.
    Viewer,
    /// The platform operator: no tenant; platform routes only.
    SuperAdmin,
}

impl AccountRole {
    /// The wire and stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::Owner => "owner",
            AccountRole::Manager => "manager",
            AccountRole::Viewer => "viewer",
            AccountRole::SuperAdmin => "super_admin",
        }
    }

    /// Parses the stored name.
    pub fn parse(text: &str) -> Option<AccountRole> {
        match text {
            "owner" => Some(AccountRole::Owner),
            "manager" => Some(AccountRole::Manager),
            "viewer" => Some(AccountRole::Viewer),
            "super_admin" => Some(AccountRole::SuperAdmin),
            _ => None,
        }
    }

    /// Whether an owner may give this role to an account of the tenant through the
    /// accounts API (`manager`, `viewer`; owners come from sign-up only).
    pub fn is_assignable(self) -> bool {
        matches!(self, AccountRole::Manager | AccountRole::Viewer)
    }

    /// The appliance role with the same permission set (none for the platform).
    fn as_domain(self) -> Option<Role> {
        match self {
            AccountRole::Owner => Some(Role::Admin),
            AccountRole::Manager => Some(Role::Manager),
            AccountRole::Viewer => Some(Role::Viewer),
            AccountRole::SuperAdmin => None,
        }
    }

    /// Whether this role holds `permission` in its tenant.
    pub fn allows(self, permission: Permission) -> bool {
        self.as_domain().is_some_and(|role| role.allows(permission))
    }

    /// The tenant permissions of this role.
    pub fn permissions(self) -> Vec<Permission> {
        self.as_domain().map(Role::permissions).unwrap_or_default()
    }
}

impl std::fmt::Display for AccountRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn super_admin_holds_no_tenant_permission_and_only_staff_roles_are_assignable() {
        for permission in Permission::ALL {
            assert!(!AccountRole::SuperAdmin.allows(permission), "{permission}");
        }
        assert!(AccountRole::SuperAdmin.permissions().is_empty());
        assert!(AccountRole::Owner.allows(Permission::UsersManage));
        assert!(!AccountRole::Manager.allows(Permission::UsersManage));
        let assignable: Vec<_> = [
            AccountRole::Owner,
            AccountRole::Manager,
            AccountRole::Viewer,
            AccountRole::SuperAdmin,
        ]
        .into_iter()
        .filter(|r| r.is_assignable())
        .collect();
        assert_eq!(assignable, [AccountRole::Manager, AccountRole::Viewer]);
        for role in ["owner", "manager", "viewer", "super_admin"] {
            assert_eq!(
                AccountRole::parse(role).map(AccountRole::as_str),
                Some(role)
            );
        }
    }
}
