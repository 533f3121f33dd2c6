//! The platform's audience: the super-admin's routes across tenants (`platform:admin`):
//! the tenants (`tenants`) and the website's leads pipeline (`leads`).

pub mod leads;
pub mod tenants;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The platform's routes.
pub fn router() -> OpenApiRouter<AppState> {
    tenants::router().merge(leads::router())
}
