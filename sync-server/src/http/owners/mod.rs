//! The owners' audience: the dashboard's routes, authenticated as an account of the
//! tenant (sign-in and sessions, locations, sales, orders, bookings, customers, the menu
//! and its edits, staff, accounts, devices, the audit log, the widget's settings and the owner's notices), plus
//! the dashboard's own files.

pub mod accounts;
pub mod analytics;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod customer_data;
pub mod customers;
pub mod dashboard_assets;
pub mod day_closes;
pub mod devices;
pub mod locations;
pub mod menu;
pub mod mercado_pago;
pub mod notifications;
pub mod orders;
pub mod overview;
pub mod reservations;
pub mod twilio;
pub mod users;
pub mod whatsapp;
pub mod widget_settings;

use super::limit::limited;
use crate::limits::Limits;
use crate::settings::Settings;
use crate::state::AppState;
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;

/// The owners' routes; `/auth/*` is rate-limited per client.
pub fn router(settings: &Settings, limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(widget_settings::router())
        .merge(limited(
            auth::router(),
            limits,
            Duration::from_millis(settings.auth_rate_period_ms),
            settings.auth_rate_burst,
        ))
        .merge(devices::router())
        .merge(locations::router())
        .merge(whatsapp::router())
        .merge(analytics::router())
        .merge(day_closes::router())
        .merge(orders::router())
        .merge(reservations::router())
        .merge(customers::router())
        .merge(customer_data::router())
        .merge(menu::router())
        .merge(users::router())
        .merge(accounts::router())
        .merge(overview::router())
        .merge(audit::router())
        .merge(mercado_pago::router())
        .merge(notifications::router())
        .merge(twilio::router())
        .merge(billing::router())
}
