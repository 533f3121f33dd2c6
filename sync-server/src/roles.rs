//! Roles of owner accounts and what they allow, in terms of the domain's permissions.

use dysa_domain::rbac::{Permission, Role};
use serde::{Deserialize, Serialize};

/// The role of a dashboard account inside its tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountRole {
    /// The business owner: everything in the tenant.
    Owner,
    /// Runs the restaurants: everything but accounts, settings and devices.
    Manager,
    /// Reads reports and lists.
    Viewer,
}

impl AccountRole {
    /// The wire and stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::Owner => "owner",
            AccountRole::Manager => "manager",
            AccountRole::Viewer => "viewer",
        }
    }

    /// Parses the stored name.
    pub fn parse(text: &str) -> Option<AccountRole> {
        match text {
            "owner" => Some(AccountRole::Owner),
            "manager" => Some(AccountRole::Manager),
            "viewer" => Some(AccountRole::Viewer),
            _ => None,
        }
    }

    /// The appliance role with the same permission set.
    fn as_domain(self) -> Role {
        match self {
            AccountRole::Owner => Role::Admin,
            AccountRole::Manager => Role::Manager,
            AccountRole::Viewer => Role::Viewer,
        }
    }

    /// Whether this role holds `permission`.
    pub fn allows(self, permission: Permission) -> bool {
        self.as_domain().allows(permission)
    }

    /// The permissions of this role.
    pub fn permissions(self) -> Vec<Permission> {
        self.as_domain().permissions()
    }
}

impl std::fmt::Display for AccountRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
