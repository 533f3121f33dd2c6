//! Plans and billing (issue 19, Build 2): each restaurant pays its plan monthly through
//! Mercado Pago's subscriptions (preapproval) API, charged on the platform's own account.
//!
//! - The trial of [`TRIAL_DAYS`] starts at sign-up ([`start_trial`], in the sign-up's
//!   transaction): the plan chosen, no checkout yet. [`subscribe`] (from
//!   `/checkout/payment` or the dashboard's Plan page) creates a preapproval whose free
//!   trial is the days left of it and sends the owner to its `init_point` to authorise
//!   it; Mercado Pago then sends the owner back to the dashboard. A trial that ends with
//!   no subscription authorised leaves the tenant read-only until it subscribes.
//! - Mercado Pago's notifications ([`notification`], topics `subscription_preapproval`
//!   and `subscription_authorized_payment`) count only when their `x-signature` verifies
//!   with the platform application's secret; what they name is then read back from the
//!   API (never taken from the body). A charge is recorded once per authorized payment
//!   (a replay updates its one row).
//! - A failed charge starts a grace period of [`GRACE_DAYS`] (banners in the dashboard);
//!   after it the tenant is read-only ([`Standing::ReadOnly`]): [`gate`] refuses owners'
//!   edits with `billing_read_only` and [`widget_open`] pauses widget ordering, while the
//!   counter keeps selling (device sync is never gated). A successful charge restores
//!   everything at once. The standing is derived from the stored facts at each request
//!   (never late); the periodic [`sweep`] records each change of it (grace → read-only,
//!   trial → active or read-only) with its moment, once across instances, and tells the
//!   owners by email of a failed charge, of read-only and of the restoration, once each.
//!   The widget's chat pauses with ordering ([`chat_open`]); WhatsApp is relayed only on
//!   a plan with WhatsApp and not while read-only, read at relay time
//!   ([`whatsapp_answers`]); a code made earlier enrols no counter while read-only.
//! - The plan's limits ([`limits`]) are what `/planes` sells: locations (enforced in
//!   [`crate::locations`]), counters per location ([`check_counter_limit`] at
//!   enrolment), the widget ([`widget_in_plan`]: the public widget API answers
//!   `widget_not_in_plan`) and WhatsApp (linking a number is refused, and so is a move
//!   to a plan without it while a number is linked).

use crate::http::error::ApiError;
use crate::mail::outbox::Outbox;
use crate::mail::templates::{BillingChange, MailKind};
use crate::mercado_pago::client::ProviderError;
use crate::mercado_pago::preapproval::{self, AutoRecurring, FreeTrial, NewPreapproval};
use crate::mercado_pago::signature;
use crate::site::pages::PLANS;
use crate::state::AppState;
use crate::store::{self, StoreError, Tx};
use chrono::{DateTime, Duration, Utc};
use dysa_domain::ids::{LocationId, TenantId};
use dysa_domain::validate::Lang;
use serde::{Deserialize, Serialize};

/// Days of free trial a new subscription gets.
pub const TRIAL_DAYS: i64 = 14;
/// Days a failed charge leaves before the tenant turns read-only.
pub const GRACE_DAYS: i64 = 7;

/// Why a billing operation failed.
#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    /// The cloud has no platform access token.
    #[error("billing is not configured on this cloud")]
    NotConfigured,
    /// Not a plan of the site.
    #[error("unknown plan")]
    UnknownPlan,
    /// The tenant has no subscription to change or cancel.
    #[error("no subscription")]
    NoSubscription,
    /// The tenant is subscribed and paid up: change the plan instead.
    #[error("already subscribed")]
    AlreadySubscribed,
    /// The new plan allows less than the tenant uses.
    #[error("the plan {plan} does not fit what is in use")]
    DoesNotFit {
        /// The plan asked for.
        plan: String,
        /// es / en: what does not fit.
        what: (String, String),
    },
    /// A notification whose signature does not verify.
    #[error("bad notification signature")]
    BadSignature,
    /// Mercado Pago could not be used.
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for BillingError {
    fn from(error: sqlx::Error) -> Self {
        BillingError::Store(error.into())
    }
}

/// Where the tenant stands with its payments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Never subscribed (tenants from before billing, and from before the trial started
    /// at sign-up): nothing is gated.
    Unsubscribed,
    /// Checkout started, not authorised yet.
    Pending,
    /// In the free trial.
    Trial,
    /// Paid up.
    Active,
    /// A charge failed: everything works for [`GRACE_DAYS`], with a banner.
    Grace,
    /// Cancelled; works until the paid period ends.
    Cancelled,
    /// Unpaid past the grace period, or cancelled past the paid period: cloud features
    /// pause (the counter keeps selling).
    ReadOnly,
}

impl Standing {
    /// As stored (`subscriptions.standing`) and answered.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Unsubscribed => "unsubscribed",
            Standing::Pending => "pending",
            Standing::Trial => "trial",
            Standing::Active => "active",
            Standing::Grace => "grace",
            Standing::Cancelled => "cancelled",
            Standing::ReadOnly => "read_only",
        }
    }
}

/// The facts [`standing`] reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    /// Mercado Pago's status of the preapproval (`none` before any checkout).
    pub provider_status: String,
    /// The trial's end.
    pub trial_ends_at: Option<DateTime<Utc>>,
    /// The next charge (for a cancelled one: the end of what was paid).
    pub next_payment_at: Option<DateTime<Utc>>,
    /// Since when a charge is owed.
    pub past_due_since: Option<DateTime<Utc>>,
}

impl From<&store::billing::SubscriptionRow> for Facts {
    fn from(row: &store::billing::SubscriptionRow) -> Self {
        Facts {
            provider_status: row.provider_status.clone(),
            trial_ends_at: row.trial_ends_at,
            next_payment_at: row.next_payment_at,
            past_due_since: row.past_due_since,
        }
    }
}

/// When the grace period of an owed charge ends.
pub fn grace_ends_at(facts: &Facts) -> Option<DateTime<Utc>> {
    facts
        .past_due_since
        .map(|since| since + Duration::days(GRACE_DAYS))
}

/// The tenant's standing at `now`: an owed charge gives grace, then read-only; a
/// cancelled or paused subscription works until the period already paid (or the trial)
/// ends; a trial with no subscription authorised (none started, or its checkout still
/// pending) works until the trial ends, then read-only; otherwise trial or active.
pub fn standing(facts: Option<&Facts>, now: DateTime<Utc>) -> Standing {
    let Some(facts) = facts else {
        return Standing::Unsubscribed;
    };
    if let Some(ends) = grace_ends_at(facts) {
        return if now < ends {
            Standing::Grace
        } else {
            Standing::ReadOnly
        };
    }
    let in_trial = facts.trial_ends_at.is_some_and(|end| now < end);
    match facts.provider_status.as_str() {
        "none" if in_trial => Standing::Trial,
        "pending" if in_trial || facts.trial_ends_at.is_none() => Standing::Pending,
        "none" | "pending" => Standing::ReadOnly,
        "cancelled" | "paused" => {
            let paid_until = facts.next_payment_at.or(facts.trial_ends_at);
            if paid_until.is_some_and(|until| now < until) {
                Standing::Cancelled
            } else {
                Standing::ReadOnly
            }
        }
        _ if in_trial => Standing::Trial,
        _ => Standing::Active,
    }
}

/// What a plan allows, as `/planes` sells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanLimits {
    /// Open locations (none: unlimited).
    pub locations: Option<i64>,
    /// Enrolled counters (devices) per location (none: unlimited).
    pub counters_per_location: Option<i64>,
    /// The ordering and booking widget.
    pub widget: bool,
    /// Orders and questions over WhatsApp.
    pub whatsapp: bool,
}

/// The limits of `plan` (an unknown plan gets Básico's).
pub fn limits(plan: &str) -> PlanLimits {
    match plan {
        "enterprise" => PlanLimits {
            locations: None,
            counters_per_location: None,
            widget: true,
            whatsapp: true,
        },
        "pro" => PlanLimits {
            locations: crate::locations::location_limit(plan),
            counters_per_location: Some(10),
            widget: true,
            whatsapp: true,
        },
        _ => PlanLimits {
            locations: crate::locations::location_limit(plan),
            counters_per_location: Some(3),
            widget: false,
            whatsapp: false,
        },
    }
}

/// The monthly price of `plan`, CLP with IVA, as the site sells it.
pub fn monthly(plan: &str) -> Option<i64> {
    PLANS.iter().find(|p| p.id == plan).map(|p| p.monthly)
}

fn plan_name(plan: &str) -> (&'static str, &'static str) {
    PLANS
        .iter()
        .find(|p| p.id == plan)
        .map_or(("Básico", "Basic"), |p| p.name)
}

/// One charge, as the dashboard lists it.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Invoice {
    /// Mercado Pago's id of the charge.
    pub id: String,
    /// CLP.
    pub amount: i64,
    /// `paid`, `failed` or `pending`.
    pub status: String,
    /// When it was debited (or tried).
    pub charged_at: DateTime<Utc>,
}

/// The tenant's plan and billing, for the dashboard's Plan page and its banners.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BillingView {
    /// `basic`, `pro` or `enterprise`.
    pub plan: String,
    /// Its monthly price, CLP.
    pub monthly: i64,
    /// Where the tenant stands.
    pub standing: Standing,
    /// True when owners' edits are refused and widget ordering is paused.
    pub read_only: bool,
    /// The trial's end, while in it.
    pub trial_ends_at: Option<DateTime<Utc>>,
    /// The next charge.
    pub next_payment_at: Option<DateTime<Utc>>,
    /// When the grace period ends, while a charge is owed.
    pub grace_ends_at: Option<DateTime<Utc>>,
    /// The authorisation page, while the checkout is pending.
    pub checkout_url: Option<String>,
    /// False while nothing was ever sent to Mercado Pago (the sign-up's trial, or a
    /// tenant from before billing): the owner subscribes to keep the plan after the trial.
    pub checkout_started: bool,
    /// What the plan allows.
    pub limits: PlanLimits,
    /// The last charges, newest first.
    pub invoices: Vec<Invoice>,
}

/// The tenant's billing as the dashboard shows it.
pub async fn view(state: &AppState, tenant: TenantId) -> Result<BillingView, BillingError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let plan = store::tenants::current(&mut tx)
        .await?
        .map_or_else(|| "basic".to_owned(), |t| t.plan);
    let row = store::billing::subscription(&mut tx).await?;
    let invoices = store::billing::invoices(&mut tx, 24).await?;
    tx.commit().await?;
    let facts = row.as_ref().map(Facts::from);
    let standing = standing(facts.as_ref(), Utc::now());
    Ok(BillingView {
        monthly: monthly(&plan).unwrap_or(0),
        limits: limits(&plan),
        plan,
        standing,
        read_only: standing == Standing::ReadOnly,
        trial_ends_at: row
            .as_ref()
            .and_then(|r| r.trial_ends_at)
            .filter(|_| standing == Standing::Trial),
        next_payment_at: row.as_ref().and_then(|r| r.next_payment_at),
        grace_ends_at: facts.as_ref().and_then(grace_ends_at),
        checkout_url: row
            .as_ref()
            .filter(|_| standing == Standing::Pending)
            .and_then(|r| r.checkout_url.clone()),
        checkout_started: row.as_ref().is_some_and(|r| r.preapproval_id.is_some()),
        invoices: invoices
            .into_iter()
            .map(|i| Invoice {
                id: i.authorized_payment_id,
                amount: i.amount,
                status: i.status,
                charged_at: i.charged_at,
            })
            .collect(),
    })
}

/// The tenant's standing now.
pub async fn standing_of(state: &AppState, tenant: TenantId) -> Result<Standing, StoreError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let row = store::billing::subscription(&mut tx).await?;
    tx.commit().await?;
    Ok(standing(row.as_ref().map(Facts::from).as_ref(), Utc::now()))
}

/// 402 `billing_read_only`: what an owner's edit gets while the tenant is read-only.
pub fn read_only_error() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::PAYMENT_REQUIRED,
        "billing_read_only",
        "Tu plan tiene un pago pendiente: el panel está en modo solo lectura. Actualiza tu medio de pago en Plan; tu mesón sigue vendiendo.",
        "Your plan has an unpaid charge: the dashboard is read-only. Update your payment method under Plan; your counter keeps selling.",
    )
}

/// The billing gate of the owners' routes (called once, from the account extractor):
/// while the tenant is read-only, every request that would change something is refused
/// with [`read_only_error`], except the billing routes themselves (to pay, change plan
/// or cancel) and the session's (sign out, refresh). Reads always pass. Devices are never
/// gated: the counter keeps selling and syncing.
pub async fn gate(
    state: &AppState,
    tenant: TenantId,
    method: &axum::http::Method,
    path: &str,
) -> Result<(), ApiError> {
    if method.is_safe() || state.settings.billing_access_token.is_empty() {
        return Ok(());
    }
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    if ["/billing", "/auth/"].iter().any(|p| path.starts_with(p)) {
        return Ok(());
    }
    if standing_of(state, tenant).await? == Standing::ReadOnly {
        return Err(read_only_error());
    }
    Ok(())
}

/// Whether the restaurant's widget (or WhatsApp) takes orders and bookings as far as
/// billing goes: refused with a diner-friendly 409 `ordering_paused` while the tenant is
/// read-only.
pub async fn widget_open(state: &AppState, tenant: TenantId) -> Result<(), ApiError> {
    if ordering_paused(state, tenant).await? {
        return Err(ApiError::conflict("ordering_paused", PAUSED.0, PAUSED.1));
    }
    Ok(())
}

/// What a diner is told while ordering is paused (es, en).
pub const PAUSED: (&str, &str) = (
    "Este restaurante no está recibiendo pedidos ni reservas en línea por ahora. Puedes llamar o visitarlo directamente.",
    "This restaurant is not taking online orders or bookings right now. You can call or visit it directly.",
);

/// True while the tenant is read-only on a cloud that bills: online orders and bookings
/// (widget and WhatsApp) pause; the counter keeps selling.
pub async fn ordering_paused(state: &AppState, tenant: TenantId) -> Result<bool, StoreError> {
    if state.settings.billing_access_token.is_empty() {
        return Ok(false);
    }
    Ok(standing_of(state, tenant).await? == Standing::ReadOnly)
}

/// What a diner writing to the widget's chat is told while the tenant is read-only (es,
/// en): the chat relay is a cloud feature, so it pauses with orders and bookings.
pub const CHAT_PAUSED: (&str, &str) = (
    "El chat en línea de este restaurante está en pausa por ahora. Puedes llamar o visitarlo directamente.",
    "This restaurant's online chat is paused right now. You can call or visit it directly.",
);

/// The widget's chat as far as billing goes: a diner-friendly 409 `chat_paused` while
/// the tenant is read-only (the widget shows the message in the chat, as any refusal).
pub async fn chat_open(state: &AppState, tenant: TenantId) -> Result<(), ApiError> {
    if ordering_paused(state, tenant).await? {
        return Err(ApiError::conflict(
            "chat_paused",
            CHAT_PAUSED.0,
            CHAT_PAUSED.1,
        ));
    }
    Ok(())
}

/// What a diner writing on WhatsApp is told, once a day at most, while the restaurant
/// does not answer there (its plan has no WhatsApp, or it is read-only).
pub const WHATSAPP_PAUSED: (&str, &str) = (
    "Gracias por escribirnos. Por ahora no estamos respondiendo mensajes por WhatsApp: puedes llamarnos o visitarnos directamente.",
    "Thanks for writing. We are not answering WhatsApp messages right now: you can call or visit us directly.",
);

/// Whether WhatsApp messages to `tenant` are relayed and answered now, read from the
/// database at relay time (never from a cache): not when the tenant's plan has no
/// WhatsApp — whoever lowered it (the dashboard, the operator, Mercado Pago, the
/// database) — nor while it is read-only on a cloud that bills.
pub async fn whatsapp_answers(state: &AppState, tenant: TenantId) -> Result<bool, StoreError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let plan = store::tenants::current(&mut tx)
        .await?
        .map_or_else(|| "basic".to_owned(), |t| t.plan);
    let row = store::billing::subscription(&mut tx).await?;
    tx.commit().await?;
    if !limits(&plan).whatsapp {
        return Ok(false);
    }
    let bills = !state.settings.billing_access_token.is_empty();
    Ok(!(bills
        && standing(row.as_ref().map(Facts::from).as_ref(), Utc::now()) == Standing::ReadOnly))
}

/// Whether `plan` includes the ordering and booking widget (and the chat behind it).
pub fn widget_in_plan(plan: &str) -> bool {
    limits(plan).widget
}

/// 403 `widget_not_in_plan`: what the public widget API answers for a restaurant whose
/// plan does not include the widget, in words for a diner (the widget shows them).
pub fn widget_not_in_plan() -> ApiError {
    ApiError::forbidden(
        "widget_not_in_plan",
        "Este restaurante no recibe pedidos ni reservas en línea. Puedes llamarlo o visitarlo directamente.",
        "This restaurant does not take online orders or bookings. You can call or visit it directly.",
    )
}

/// 403 `plan_limit_reached` for linking WhatsApp on a plan without it.
pub fn whatsapp_not_in_plan(plan: &str) -> ApiError {
    let name = plan_name(plan);
    ApiError::forbidden(
        "plan_limit_reached",
        format!(
            "El plan {} no incluye WhatsApp; cambia al plan Pro o Cadena en Plan para vincular un número",
            name.0
        ),
        format!(
            "The {} plan does not include WhatsApp; move to the Pro or Chain plan under Plan to link a number",
            name.1
        ),
    )
    .with_details(serde_json::json!({ "plan": plan, "what": "whatsapp" }))
}

/// What one [`sweep`] recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Tenants whose standing changed (and was recorded).
    pub changed: usize,
    /// Of them, tenants that turned read-only.
    pub read_only: usize,
    /// Mails queued to owners about the changes.
    pub mails: usize,
}

/// How often the periodic [`sweep`] runs.
pub const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// What the owners are told of a change of standing from `from` (as recorded) to `to`:
/// a charge failed (grace), the grace or the trial ended unpaid (read-only), or it was
/// paid again after either (restored). Nothing for the other changes (a trial that
/// became active, a checkout started, a cancellation still paid up).
pub fn change_told(from: &str, to: Standing) -> Option<BillingChange> {
    match to {
        Standing::Grace => Some(BillingChange::Grace),
        Standing::ReadOnly => Some(BillingChange::ReadOnly),
        Standing::Active | Standing::Trial if matches!(from, "grace" | "read_only") => {
            Some(BillingChange::Restored)
        }
        _ => None,
    }
}

/// Records, for every tenant with a subscription, the standing it has at `now` when it
/// differs from the one recorded: a grace period that ended → `read_only`, a trial that
/// ended → `active` (authorised) or `read_only` (never subscribed), a payment → `active`.
/// Each tenant's row is locked while it is compared and written, so two instances
/// sweeping at once record each change once (the second finds it recorded). In the same
/// transaction, a change the owners must know of ([`change_told`]) queues one mail to
/// each active owner through the durable outbox, keyed by the tenant, the owner, the new
/// standing and the moment the old one was recorded: a second instance or a re-run
/// queues nothing again. A tenant whose standing changed is forgotten from this
/// instance's widget cache (the others forget it within
/// [`crate::widget::RESTAURANT_TTL`]).
pub async fn sweep(state: &AppState, now: DateTime<Utc>) -> Result<Swept, StoreError> {
    let db = &state.db;
    let link = back_url(state);
    let mut swept = Swept::default();
    for tenant in store::billing::billing_tenants(db).await? {
        let mut tx = db.tenant_tx(tenant).await?;
        let Some(row) = store::billing::lock_subscription(&mut tx).await? else {
            continue;
        };
        let facts = Facts::from(&row);
        let found = standing(Some(&facts), now);
        if found.as_str() == row.standing {
            tx.commit().await?;
            continue;
        }
        store::billing::record_standing(&mut tx, found.as_str(), now).await?;
        if let Some(change) = change_told(&row.standing, found) {
            let until = grace_ends_at(&facts)
                .filter(|_| change == BillingChange::Grace)
                .map(|end| santiago_date(end - Duration::seconds(1)));
            for owner in store::owner_notices::owners(&mut tx).await? {
                let key = format!(
                    "billing_standing:{tenant}:{}:{}:{}",
                    owner.id,
                    found.as_str(),
                    row.standing_since.timestamp_micros()
                );
                let kind = MailKind::BillingStanding {
                    name: owner.name.clone(),
                    change,
                    until: until.clone(),
                    link: link.clone(),
                };
                let lang = if owner.lang == "en" {
                    Lang::En
                } else {
                    Lang::Es
                };
                if Outbox::enqueue(&mut tx, &key, &owner.email, lang, &kind).await? {
                    swept.mails += 1;
                }
            }
        }
        tx.commit().await?;
        tracing::info!(%tenant, from = %row.standing, to = found.as_str(), "billing standing changed");
        swept.changed += 1;
        if found == Standing::ReadOnly {
            swept.read_only += 1;
        }
        state.widget.forget_tenant(tenant);
    }
    if swept.mails > 0 {
        state.mail.wake();
    }
    Ok(swept)
}

/// The date (`YYYY-MM-DD`) of `at` in Santiago, as the owners read it.
fn santiago_date(at: DateTime<Utc>) -> String {
    let zone = jiff::tz::TimeZone::get("America/Santiago").unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_second(at.timestamp())
        .map(|t| t.to_zoned(zone).date().to_string())
        .unwrap_or_else(|_| at.date_naive().to_string())
}

/// Runs [`sweep`] every `every` while the process runs (only when billing is
/// configured: without it no tenant is gated).
pub fn spawn_sweep(state: &AppState, every: std::time::Duration) {
    if every.is_zero() || state.settings.billing_access_token.is_empty() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match sweep(&state, Utc::now()).await {
                Ok(swept) if swept.changed > 0 => tracing::info!(?swept, "billing sweep"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "billing sweep failed; retried later"),
            }
        }
    });
}

/// 403 `plan_limit_reached` for one more counter at a location past the plan's limit.
pub fn counter_limit_error(plan: &str, limit: i64) -> ApiError {
    let name = plan_name(plan);
    ApiError::forbidden(
        "plan_limit_reached",
        format!(
            "El plan {} permite {limit} equipos por local; revoca uno en Equipos o cambia a un plan mayor",
            name.0
        ),
        format!(
            "The {} plan allows {limit} counters per location; revoke one under Devices or move to a larger plan",
            name.1
        ),
    )
    .with_details(serde_json::json!({ "plan": plan, "limit": limit, "what": "counters" }))
}

/// Refuses (answers the plan and its limit) when `location` of the transaction's tenant
/// already has as many counters as the plan allows. Locks the tenant's row, so two
/// enrolments at once count in turn.
pub async fn check_counter_limit(
    tx: &mut Tx,
    location: LocationId,
) -> Result<Option<(String, i64)>, StoreError> {
    let plan = store::tenants::lock_plan(tx).await?.unwrap_or_default();
    let Some(limit) = limits(&plan).counters_per_location else {
        return Ok(None);
    };
    let used = store::billing::counters_at(tx, location).await?;
    Ok((used >= limit).then_some((plan, limit)))
}

fn token(state: &AppState) -> Result<&str, BillingError> {
    let token = state.settings.billing_access_token.as_str();
    if token.is_empty() {
        Err(BillingError::NotConfigured)
    } else {
        Ok(token)
    }
}

fn utc(date: Option<DateTime<chrono::FixedOffset>>) -> Option<DateTime<Utc>> {
    date.map(|d| d.with_timezone(&Utc))
}

/// Where Mercado Pago sends the owner back after authorising.
pub fn back_url(state: &AppState) -> String {
    format!(
        "{}/dashboard/plan",
        state.settings.public_url.trim_end_matches('/')
    )
}

/// The free days a new preapproval gets at `now`: what is left of the trial started at
/// sign-up (rounded up to whole days, as Mercado Pago counts them), [`TRIAL_DAYS`] for a
/// tenant that never had one (from before the trial started at sign-up), none once it
/// is over.
pub fn free_days_left(trial_ends_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> i64 {
    let Some(end) = trial_ends_at else {
        return TRIAL_DAYS;
    };
    let left = (end - now).num_seconds();
    if left <= 0 {
        0
    } else {
        ((left + 86_399) / 86_400).min(TRIAL_DAYS)
    }
}

/// Starts the trial of a tenant just signed up on `plan` (in the sign-up's transaction):
/// [`TRIAL_DAYS`] free from `now`, no checkout yet.
pub async fn start_trial(tx: &mut Tx, plan: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let amount = monthly(plan).unwrap_or(0).max(1);
    store::billing::start_trial(tx, plan, amount, now + Duration::days(TRIAL_DAYS)).await
}

/// Subscribes the tenant to `plan` (a preapproval whose free trial is what is left of the
/// trial, see [`free_days_left`]); answers the page where the owner authorises it. A
/// tenant whose checkout is still pending for the same plan gets the same page again.
pub async fn subscribe(
    state: &AppState,
    tenant: TenantId,
    plan: &str,
    payer_email: &str,
) -> Result<String, BillingError> {
    let token = token(state)?;
    let amount = monthly(plan).ok_or(BillingError::UnknownPlan)?;
    let mut tx = state.db.tenant_tx(tenant).await?;
    let existing = store::billing::subscription(&mut tx).await?;
    tx.commit().await?;
    if let Some(row) = existing.as_ref()
        && row.provider_status == "pending"
        && row.plan == plan
        && let Some(url) = row.checkout_url.clone()
    {
        return Ok(url);
    }
    if existing
        .as_ref()
        .is_some_and(|r| r.provider_status == "authorized" && r.past_due_since.is_none())
    {
        return Err(BillingError::AlreadySubscribed);
    }
    let now = Utc::now();
    let free_days = match existing.as_ref() {
        Some(row) => free_days_left(row.trial_ends_at, now),
        None => TRIAL_DAYS,
    };
    let name = plan_name(plan);
    #[allow(clippy::cast_precision_loss)] // Whole pesos, far below 2^52.
    let per_month = amount as f64;
    let body = NewPreapproval {
        reason: format!("ChatBotDysa {}", name.0),
        external_reference: tenant.to_string(),
        payer_email: payer_email.to_owned(),
        back_url: back_url(state),
        auto_recurring: AutoRecurring {
            frequency: 1,
            frequency_type: "months".to_owned(),
            transaction_amount: per_month,
            currency_id: "CLP".to_owned(),
            free_trial: (free_days > 0).then(|| FreeTrial {
                frequency: free_days,
                frequency_type: "days".to_owned(),
            }),
        },
        status: "pending".to_owned(),
    };
    let key = format!("subscribe-{tenant}-{plan}-{}", Utc::now().timestamp() / 600);
    let created = state
        .mercado_pago
        .create_preapproval(token, &key, &body)
        .await?;
    // A tenant from before the trial started at sign-up starts it now.
    let trial_ends_at = existing.as_ref().map_or_else(
        || Some(now + Duration::days(TRIAL_DAYS)),
        |r| r.trial_ends_at,
    );
    let url = created
        .init_point
        .clone()
        .unwrap_or_else(|| back_url(state));
    let mut tx = state.db.tenant_tx(tenant).await?;
    store::billing::save(
        &mut tx,
        &store::billing::NewSubscription {
            preapproval_id: &created.id,
            plan,
            amount,
            provider_status: &created.status,
            checkout_url: Some(&url),
            trial_ends_at,
            next_payment_at: utc(created.next_payment_date)
                .or(trial_ends_at.filter(|end| *end > now)),
        },
    )
    .await?;
    store::billing::set_plan(&mut tx, plan, amount).await?;
    tx.commit().await?;
    // The plan gates the widget: this instance's cached view of it goes at once.
    state.widget.forget_tenant(tenant);
    // The old subscription (owing, or never authorised) stops charging; best effort:
    // Mercado Pago also stops it by itself after three failed charges.
    if let Some(old) = existing
        .filter(|r| r.provider_status != "cancelled")
        .and_then(|r| r.preapproval_id)
    {
        let cancelled = serde_json::json!({"status": "cancelled"});
        if let Err(error) = state
            .mercado_pago
            .update_preapproval(token, &old, &cancelled)
            .await
        {
            tracing::warn!(%tenant, %error, "the replaced subscription could not be cancelled");
        }
    }
    Ok(url)
}

/// Moves the tenant to `plan`: refused when the plan allows fewer locations or counters
/// than are in use, or leaves out WhatsApp while a number is linked (unlink it first);
/// the subscription's amount changes at Mercado Pago from the next charge
/// (`PUT /preapproval/{id}`). In the sign-up's trial, before any checkout, only the
/// plan changes. A plan without the widget is allowed: from then on the widget tells
/// diners the restaurant takes no online orders or bookings (`widget_not_in_plan`).
pub async fn change_plan(
    state: &AppState,
    tenant: TenantId,
    plan: &str,
) -> Result<BillingView, BillingError> {
    let token = token(state)?;
    let amount = monthly(plan).ok_or(BillingError::UnknownPlan)?;
    let mut tx = state.db.tenant_tx(tenant).await?;
    let row = store::billing::subscription(&mut tx)
        .await?
        .ok_or(BillingError::NoSubscription)?;
    let new = limits(plan);
    let open = store::tenants::open_locations(&mut tx).await?;
    if let Some(most) = new.locations
        && open > most
    {
        return Err(BillingError::DoesNotFit {
            plan: plan.to_owned(),
            what: (
                format!("tienes {open} locales abiertos y el plan permite {most}"),
                format!("you have {open} open locations and the plan allows {most}"),
            ),
        });
    }
    if let Some(most) = new.counters_per_location {
        for location in store::tenants::location_ids(&mut tx).await? {
            let used = store::billing::counters_at(&mut tx, location).await?;
            if used > most {
                return Err(BillingError::DoesNotFit {
                    plan: plan.to_owned(),
                    what: (
                        format!("un local tiene {used} equipos y el plan permite {most}"),
                        format!("a location has {used} counters and the plan allows {most}"),
                    ),
                });
            }
        }
    }
    if !new.whatsapp {
        let linked = store::billing::whatsapp_links(&mut tx).await?;
        if linked > 0 {
            return Err(BillingError::DoesNotFit {
                plan: plan.to_owned(),
                what: (
                    format!(
                        "tienes WhatsApp vinculado en {linked} {} y el plan no incluye WhatsApp; desvincúlalo primero en WhatsApp",
                        if linked == 1 { "local" } else { "locales" }
                    ),
                    format!(
                        "you have WhatsApp linked at {linked} location{} and the plan does not include WhatsApp; unlink it first under WhatsApp",
                        if linked == 1 { "" } else { "s" }
                    ),
                ),
            });
        }
    }
    tx.commit().await?;
    if let Some(preapproval_id) = row
        .preapproval_id
        .as_deref()
        .filter(|_| row.provider_status != "cancelled")
    {
        let name = plan_name(plan);
        #[allow(clippy::cast_precision_loss)]
        let changes = serde_json::json!({
            "reason": format!("ChatBotDysa {}", name.0),
            "auto_recurring": {"transaction_amount": amount as f64, "currency_id": "CLP"},
        });
        state
            .mercado_pago
            .update_preapproval(token, preapproval_id, &changes)
            .await?;
    }
    let mut tx = state.db.tenant_tx(tenant).await?;
    store::billing::set_plan(&mut tx, plan, amount).await?;
    tx.commit().await?;
    state.widget.forget_tenant(tenant);
    view(state, tenant).await
}

/// Cancels the subscription at Mercado Pago (`status: cancelled`); the tenant keeps
/// working until the period already paid ends.
pub async fn cancel(state: &AppState, tenant: TenantId) -> Result<BillingView, BillingError> {
    let token = token(state)?;
    let mut tx = state.db.tenant_tx(tenant).await?;
    let row = store::billing::subscription(&mut tx)
        .await?
        .ok_or(BillingError::NoSubscription)?;
    tx.commit().await?;
    // In the sign-up's trial there is nothing at Mercado Pago to cancel.
    let preapproval_id = row.preapproval_id.ok_or(BillingError::NoSubscription)?;
    if row.provider_status != "cancelled" {
        let answer = state
            .mercado_pago
            .update_preapproval(
                token,
                &preapproval_id,
                &serde_json::json!({"status": "cancelled"}),
            )
            .await?;
        let mut tx = state.db.tenant_tx(tenant).await?;
        store::billing::update_status(&mut tx, &preapproval_id, &answer.status, None).await?;
        tx.commit().await?;
    }
    view(state, tenant).await
}

/// A subscription notification as the webhook received it.
#[derive(Clone, Debug)]
pub struct Notice<'a> {
    /// `type` (or `topic`) of the query string.
    pub kind: Option<&'a str>,
    /// `data.id` of the query string.
    pub data_id: Option<&'a str>,
    /// The `x-signature` header.
    pub signature: Option<&'a str>,
    /// The `x-request-id` header.
    pub request_id: Option<&'a str>,
}

/// What a notification did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noted {
    /// The subscription's status was brought up to date.
    Subscription,
    /// A charge was recorded (or its record brought up to date).
    Charge,
    /// Nothing: another topic, or not a subscription of ours.
    Nothing,
}

/// Receives a subscription notification: verifies its signature with the platform's
/// secret, reads what it names back from the API (with the platform's token) and records
/// it for the tenant the preapproval's `external_reference` names, when that tenant's
/// subscription is that preapproval.
pub async fn notification(state: &AppState, notice: &Notice<'_>) -> Result<Noted, BillingError> {
    let secret = state.settings.billing_webhook_secret.as_bytes();
    if secret.is_empty()
        || !signature::verify(
            secret,
            notice.signature,
            notice.data_id,
            notice.request_id,
            Utc::now().timestamp(),
            state.settings.mercado_pago_signature_max_age_secs,
        )
    {
        return Err(BillingError::BadSignature);
    }
    let Some(id) = notice.data_id.filter(|id| preapproval::plausible_id(id)) else {
        return Ok(Noted::Nothing);
    };
    let token = token(state)?;
    match notice.kind {
        Some("subscription_preapproval") => {
            let found = state.mercado_pago.preapproval(token, id).await?;
            let Some(tenant) = tenant_of(&found) else {
                return Ok(Noted::Nothing);
            };
            let mut tx = state.db.tenant_tx(tenant).await?;
            let ours = store::billing::update_status(
                &mut tx,
                &found.id,
                &found.status,
                utc(found.next_payment_date),
            )
            .await?;
            tx.commit().await?;
            Ok(if ours {
                Noted::Subscription
            } else {
                Noted::Nothing
            })
        }
        Some("subscription_authorized_payment") => {
            let charge = state.mercado_pago.authorized_payment(token, id).await?;
            if !preapproval::plausible_id(&charge.preapproval_id) {
                return Ok(Noted::Nothing);
            }
            let found = state
                .mercado_pago
                .preapproval(token, &charge.preapproval_id)
                .await?;
            let Some(tenant) = tenant_of(&found) else {
                return Ok(Noted::Nothing);
            };
            let paid = charge.payment.as_ref().map(|p| p.status.as_str());
            let status = match (charge.status.as_str(), paid) {
                (_, Some("approved")) => "paid",
                (_, Some("rejected" | "cancelled")) | ("recycling", _) => "failed",
                _ => "pending",
            };
            let now = Utc::now();
            let mut tx = state.db.tenant_tx(tenant).await?;
            let ours = store::billing::update_status(
                &mut tx,
                &found.id,
                &found.status,
                utc(found.next_payment_date),
            )
            .await?;
            if !ours {
                return Ok(Noted::Nothing);
            }
            let payment_id = charge.payment.as_ref().map(|p| p.id.to_string());
            #[allow(clippy::cast_possible_truncation)]
            let amount = charge.transaction_amount.round() as i64;
            store::billing::record_invoice(
                &mut tx,
                &store::billing::NewInvoice {
                    authorized_payment_id: &charge.id.to_string(),
                    preapproval_id: &found.id,
                    amount,
                    status,
                    provider_status: &charge.status,
                    payment_id: payment_id.as_deref(),
                    charged_at: utc(charge.debit_date).unwrap_or(now),
                },
            )
            .await?;
            match status {
                "paid" => store::billing::set_owing(&mut tx, false, now).await?,
                "failed" => store::billing::set_owing(&mut tx, true, now).await?,
                _ => {}
            }
            tx.commit().await?;
            if status == "paid" {
                // Restored: the widget's cached view may carry the pause.
                state.widget.forget_tenant(tenant);
            }
            Ok(Noted::Charge)
        }
        _ => Ok(Noted::Nothing),
    }
}

fn tenant_of(found: &preapproval::Preapproval) -> Option<TenantId> {
    found
        .external_reference
        .as_deref()
        .and_then(|r| r.parse::<uuid::Uuid>().ok())
        .map(TenantId)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(day: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap_or_default() + Duration::days(day)
    }

    fn facts(status: &str) -> Facts {
        Facts {
            provider_status: status.to_owned(),
            trial_ends_at: Some(at(14)),
            next_payment_at: Some(at(14)),
            past_due_since: None,
        }
    }

    #[test]
    fn a_failed_charge_gives_seven_days_then_read_only_and_a_payment_restores() {
        let mut f = facts("authorized");
        assert_eq!(standing(Some(&f), at(1)), Standing::Trial);
        assert_eq!(standing(Some(&f), at(20)), Standing::Active);
        f.past_due_since = Some(at(44));
        assert_eq!(standing(Some(&f), at(44)), Standing::Grace);
        assert_eq!(standing(Some(&f), at(50)), Standing::Grace);
        assert_eq!(standing(Some(&f), at(51)), Standing::ReadOnly);
        f.past_due_since = None;
        assert_eq!(standing(Some(&f), at(51)), Standing::Active);
        assert_eq!(standing(None, at(51)), Standing::Unsubscribed);
        assert_eq!(standing(Some(&facts("pending")), at(1)), Standing::Pending);
    }

    #[test]
    fn a_cancelled_plan_works_until_the_paid_period_ends() {
        let f = facts("cancelled");
        assert_eq!(standing(Some(&f), at(13)), Standing::Cancelled);
        assert_eq!(standing(Some(&f), at(14)), Standing::ReadOnly);
    }

    #[test]
    fn limits_are_what_the_site_sells() {
        assert_eq!(limits("basic").locations, Some(1));
        assert!(!limits("basic").widget && !limits("basic").whatsapp);
        assert_eq!(limits("pro").locations, Some(3));
        assert!(limits("pro").widget && limits("pro").whatsapp);
        assert_eq!(limits("enterprise").counters_per_location, None);
        assert_eq!(monthly("pro"), Some(29_990));
        assert_eq!(monthly("gratis"), None);
    }

    proptest! {
        /// Read-only exactly when a charge has been owed for the whole grace period,
        /// whatever else the subscription says (while it is authorised).
        #[test]
        fn read_only_iff_owed_past_grace(owed in proptest::option::of(0i64..60), now in 0i64..80, trial in 0i64..30) {
            let f = Facts {
                provider_status: "authorized".to_owned(),
                trial_ends_at: Some(at(trial)),
                next_payment_at: Some(at(trial)),
                past_due_since: owed.map(at),
            };
            let read_only = standing(Some(&f), at(now)) == Standing::ReadOnly;
            prop_assert_eq!(read_only, owed.is_some_and(|o| now >= o + GRACE_DAYS));
        }
    }
}
