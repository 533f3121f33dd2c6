//! The ChatBotDysa cloud service: many tenants on one Postgres, isolated by row-level
//! security. A library so the binary, the tests and the benchmarks run the very same
//! server: [`open`] prepares the database, [`router`] builds the app, [`serve`] runs it.

pub mod accounts;
pub mod app;
pub mod auth;
pub mod billing;
pub mod booking_messages;
pub mod bookings;
pub mod chat;
pub mod clock;
pub mod counter_recovery;
pub mod customer_data;
pub mod devices;
pub mod diner_messages;
pub mod diner_replies;
pub mod http;
pub mod limits;
pub mod live;
pub mod locations;
pub mod mail;
pub mod menu_edits;
pub mod mercado_pago;
pub mod owner_notices;
pub mod pii;
pub mod platform;
pub mod presence;
pub mod reminders;
pub mod retention;
pub mod roles;
pub mod settings;
pub mod site;
pub mod state;
pub mod store;
pub mod twilio;
pub mod whatsapp;
pub mod widget;
pub mod widget_orders;
pub mod widget_settings;
pub mod worker;

use sqlx::postgres::PgConnectOptions;
use state::AppState;
use std::future::Future;
use std::net::SocketAddr;
use std::str::FromStr;

/// The whole HTTP application over `state`.
pub fn router(state: AppState) -> axum::Router {
    app::app(state)
}

/// Migrates the database through the owner connection of `settings.database_url`,
/// prepares the service role and connects as it.
pub async fn open(settings: settings::Settings) -> Result<AppState, store::StoreError> {
    let owner = PgConnectOptions::from_str(&settings.database_url)?;
    open_with(owner, settings).await
}

/// Like [`open`] with explicit owner connection options (tests pass theirs).
pub async fn open_with(
    owner: PgConnectOptions,
    settings: settings::Settings,
) -> Result<AppState, store::StoreError> {
    let (master, previous) = pii::MasterKey::from_settings(&settings)?;
    let db = store::Db::open(
        owner,
        &settings.service_role,
        &settings.service_password,
        settings.max_connections,
    )
    .await?;
    let state = AppState::new(db, settings, pii::Vault::new(master, previous));
    let key_period = state.settings.signing_key_period();
    state
        .signer
        .rotate(&state.db, chrono::Utc::now(), key_period)
        .await?;
    state.signer.spawn_rotation(state.db.clone(), key_period);
    state.live.spawn_listener(state.db.listen_pool.clone());
    state.widget.follow(&state.live);
    state.limits.spawn_pruning(limits::PRUNE_EVERY);
    pii::backfill::spawn(state.clone());
    state.mail.spawn(std::time::Duration::from_secs(
        state.settings.mail_poll_secs,
    ));
    state.whatsapp.spawn(std::time::Duration::from_secs(
        state.settings.whatsapp_poll_secs,
    ));
    state
        .sms
        .spawn(std::time::Duration::from_secs(state.settings.sms_poll_secs));
    Ok(state)
}

/// Serves until `shutdown` resolves, lets in-flight requests finish, then closes the pool.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let db = state.db.clone();
    let live = state.live.clone();
    // Sign-ups and account changes that hash share the sign-ins' permits.
    state.hasher.install();
    retention::spawn(db.clone(), state.settings.retention_days);
    platform::spawn_lead_purge(db.clone());
    mercado_pago::spawn_refund_sweep(&state, mercado_pago::REFUND_SWEEP_EVERY);
    billing::spawn_sweep(&state, billing::SWEEP_EVERY);
    if state.settings.mail_poll_secs > 0 {
        // Tests (no outbox worker) run the owners' rounds themselves.
        owner_notices::spawn(&state, owner_notices::ROUND_EVERY);
    }
    booking_messages::spawn(&state, booking_messages::REMINDER_EVERY);
    diner_messages::spawn(&state, diner_messages::FLUSH_EVERY);
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    // Live streams never end on their own; close them so in-flight requests can finish.
    let shutdown = async move {
        shutdown.await;
        live.close();
    };
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    db.close().await;
    result
}
