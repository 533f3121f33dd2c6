//! The public audience: everything a visitor or diner calls without a session — sign-up
//! and demo requests, device enrolment with a code, the widget and its per-restaurant
//! API (menu, orders, bookings, chat), the widget's script and hosted page, and the mail
//! provider's, Meta's (WhatsApp), Mercado Pago's and Twilio's signed callbacks. Each surface is rate-limited per client on its own.

pub mod billing_webhook;
pub mod booking_link;
pub mod chat;
pub mod chat_messages;
pub mod enroll;
pub mod mail_webhook;
pub mod mercado_pago;
pub mod opt_out;
pub mod orders;
pub mod reservations;
pub mod restaurant;
pub mod twilio_webhook;
pub mod website;
pub mod whatsapp_webhook;
pub mod widget;
pub mod widget_assets;

use super::limit::{limited_per_client, per_client_layer, rate_limited};
use crate::limits::Limits;
use crate::settings::Settings;
use crate::state::AppState;
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;

/// The public routes, each surface with its own per-client budget.
pub fn router(settings: &Settings, limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(limited_per_client(website::router(), settings, limits))
        .merge(limited_per_client(enroll::router(), settings, limits))
        .merge(limited_per_client(chat::router(), settings, limits))
        .merge(limited_per_client(booking_link::router(), settings, limits))
        .merge(limited_per_client(opt_out::router(), settings, limits))
        .merge(widget_router(settings, limits))
        .merge(mail_webhook::router())
        .merge(whatsapp_webhook::router())
        .merge(mercado_pago::router())
        .merge(twilio_webhook::router())
        .merge(billing_webhook::router())
}

/// The widget's API (its configuration and menu, orders, bookings and staff's chat
/// replies) with a per-client
/// rate limit of its own (`widget_rate_burst`, then one more every
/// `widget_rate_period_ms`), apart from sign-up's and enrolment's budgets.
pub fn widget_router(settings: &Settings, limits: &Limits) -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::new()
        .merge(widget::router())
        .merge(chat_messages::router())
        .merge(orders::router())
        .merge(reservations::router());
    match per_client_layer(
        limits,
        Duration::from_millis(settings.widget_rate_period_ms),
        settings.widget_rate_burst,
        rate_limited,
    ) {
        Some(layer) => routes.layer(layer),
        None => routes,
    }
}
