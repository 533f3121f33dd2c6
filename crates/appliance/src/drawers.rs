//! Cash drawer operations: add drawers, open a session with a counted float, pay in and
//! out, count blind, ask for a second count, close; and the cash a payment or refund puts
//! in or takes out of the counter's open session ([`take_cash`], called by
//! `ordering::payments` inside its own write). The rules are `dysa_domain::drawer`'s.

use crate::store::drawers::{self as store, Drawer};
use crate::store::{Db, StoreError, now_text};
use dysa_domain::drawer::{
    CashCount, DrawerError as Rule, DrawerState, MAX_AMOUNT, MovementKind, SessionStatus,
};
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{
    DrawerCountId, DrawerId, DrawerMovementId, DrawerSessionId, PaymentId, UserId,
};
use dysa_domain::money::Clp;
use dysa_domain::sync::rows::{DrawerCount, DrawerMovement, DrawerSession};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

/// Longest drawer name.
pub const NAME_MAX: usize = 40;
/// Longest reason of a pay-in or pay-out.
pub const REASON_MAX: usize = 200;
/// Most sessions one list returns.
pub const LIST_MAX: i64 = 200;

/// Why a drawer operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum DrawerError {
    /// Invalid input, field by field.
    #[error("invalid drawer input")]
    Invalid(FieldErrors),
    /// No such drawer on this counter.
    #[error("drawer not found")]
    DrawerNotFound,
    /// No such session.
    #[error("session not found")]
    SessionNotFound,
    /// Another drawer of this counter has that name.
    #[error("drawer name in use")]
    NameTaken,
    /// The drawer already has a session that is not closed.
    #[error("drawer already open")]
    AlreadyOpen(DrawerSessionId),
    /// The session belongs to another counter's drawer: only that counter writes it.
    #[error("session of another counter")]
    NotThisCounter,
    /// Cash with no open session on the drawer (payments, refunds).
    #[error("no open drawer")]
    NoOpenDrawer {
        /// The drawer that was looked at.
        drawer: String,
    },
    /// The drawer's rules refused the step.
    #[error(transparent)]
    Rule(#[from] Rule),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for DrawerError {
    fn from(error: sqlx::Error) -> Self {
        DrawerError::Store(StoreError::Sqlx(error))
    }
}

/// A drawer to add to this counter.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDrawer {
    /// Its name (1–40 characters, unique on this counter).
    pub name: String,
}

/// Opening a drawer.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenDrawer {
    /// Which drawer (this counter's default drawer when absent).
    #[serde(default)]
    pub drawer_id: Option<DrawerId>,
    /// The float counted into it ($0 or more).
    pub opening_float: Clp,
}

/// The kinds of movement a person records by hand (sales and refunds come from payments).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ManualKind {
    /// Cash put in.
    PayIn,
    /// Cash taken out.
    PayOut,
}

/// A pay-in or pay-out.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMovement {
    /// In or out.
    pub kind: ManualKind,
    /// How much (more than $0).
    pub amount: Clp,
    /// Why ("compra de gas", "propina entregada").
    pub reason: String,
}

/// A blind count.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountInput {
    /// How many notes and coins of each denomination.
    pub counts: CashCount,
}

/// Totals of a session's movements by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MovementTotals {
    /// Cash sales (tips included).
    pub sales: Clp,
    /// Cash refunds.
    pub refunds: Clp,
    /// Pay-ins.
    pub pay_ins: Clp,
    /// Pay-outs.
    pub pay_outs: Clp,
}

/// A session as a person sees it. Before a standing count, someone without
/// `drawer:audit` sees neither what the drawer should hold nor the cash sales (which
/// would give it away): only the float and the pay-ins and pay-outs.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    /// The session's id.
    pub id: DrawerSessionId,
    /// Its drawer.
    pub drawer_id: DrawerId,
    /// The drawer's name.
    pub drawer_name: String,
    /// Where it stands.
    pub status: SessionStatus,
    /// The counted float.
    pub opening_float: Clp,
    /// Who opened it.
    pub opened_by: Option<UserId>,
    /// When (RFC 3339).
    pub opened_at: String,
    /// True when the expected amount is withheld (a blind count is due).
    pub expected_hidden: bool,
    /// What the drawer should hold (null while hidden).
    pub expected: Option<Clp>,
    /// The standing count's total (null while hidden or before any count).
    pub counted_total: Option<Clp>,
    /// Counted minus expected (null while hidden or before any count).
    pub difference: Option<Clp>,
    /// Totals by kind (null while hidden).
    pub totals: Option<MovementTotals>,
    /// The manager who asked for a second count.
    pub recount_requested_by: Option<UserId>,
    /// Who closed it.
    pub closed_by: Option<UserId>,
    /// When (RFC 3339).
    pub closed_at: Option<String>,
    /// Its movements, oldest first (only pay-ins and pay-outs while hidden).
    pub movements: Vec<DrawerMovement>,
    /// Its counts, oldest first (none while hidden).
    pub counts: Vec<DrawerCount>,
}

/// A drawer of this counter and its session that is not closed, if any.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DrawerWithSession {
    /// The drawer.
    pub drawer: Drawer,
    /// Its open (or counted, not yet closed) session.
    pub session: Option<SessionView>,
}

fn amount_field(errors: &mut FieldErrors, field: &str, value: Clp, min: i64) {
    if value.0 < min || value > MAX_AMOUNT {
        errors.add(
            field,
            FieldIssue::OutOfRange {
                min,
                max: MAX_AMOUNT.0,
            },
        );
    }
}

/// The domain state of a stored session.
fn state_of(session: &DrawerSession, movements: Clp) -> DrawerState {
    DrawerState {
        status: session.status,
        float: session.opening_float,
        movements,
        counted: session.counted_total,
    }
}

/// Builds what `can_audit` may see of a session.
pub async fn view(
    conn: &mut SqliteConnection,
    session: DrawerSession,
    can_audit: bool,
) -> Result<SessionView, DrawerError> {
    let movements = store::movements_of(&mut *conn, session.id).await?;
    let counts = store::counts_of(&mut *conn, session.id).await?;
    let mut totals = MovementTotals::default();
    let mut sum = Clp::ZERO;
    for m in &movements {
        let slot = match m.kind {
            MovementKind::Sale => &mut totals.sales,
            MovementKind::Refund => &mut totals.refunds,
            MovementKind::PayIn => &mut totals.pay_ins,
            MovementKind::PayOut => &mut totals.pay_outs,
        };
        *slot = slot.checked_add(m.amount).map_err(Rule::from)?;
        sum = sum
            .checked_add(m.kind.signed(m.amount))
            .map_err(Rule::from)?;
    }
    let state = state_of(&session, sum);
    let hidden = !can_audit && !session.status.is_counted();
    let (expected, counted, difference) = match session.status {
        _ if hidden => (None, None, None),
        SessionStatus::Counted | SessionStatus::Closed => (
            session.expected_total.or(Some(state.expected())),
            session.counted_total,
            session.difference,
        ),
        _ => (
            Some(state.expected()),
            session.counted_total,
            session.difference,
        ),
    };
    Ok(SessionView {
        id: session.id,
        drawer_id: session.drawer_id,
        drawer_name: session.drawer_name,
        status: session.status,
        opening_float: session.opening_float,
        opened_by: session.opened_by,
        opened_at: session.opened_at,
        expected_hidden: hidden,
        expected,
        counted_total: counted,
        difference,
        totals: (!hidden).then_some(totals),
        recount_requested_by: session.recount_requested_by,
        closed_by: session.closed_by,
        closed_at: session.closed_at,
        movements: movements
            .into_iter()
            .filter(|m| !hidden || matches!(m.kind, MovementKind::PayIn | MovementKind::PayOut))
            .collect(),
        counts: if hidden { Vec::new() } else { counts },
    })
}

/// This counter's drawers (the default one made on first use), each with its session
/// that is not closed.
pub async fn list_drawers(db: &Db, can_audit: bool) -> Result<Vec<DrawerWithSession>, DrawerError> {
    let mut tx = db.begin().await?;
    store::default_drawer(&mut tx).await?;
    let drawers = store::list_drawers(&mut *tx).await?;
    let mut out = Vec::with_capacity(drawers.len());
    for drawer in drawers {
        let session = match store::unclosed_session(&mut *tx, drawer.id).await? {
            Some(s) => Some(view(&mut tx, s, can_audit).await?),
            None => None,
        };
        out.push(DrawerWithSession { drawer, session });
    }
    tx.commit().await?;
    Ok(out)
}

/// Adds a drawer to this counter.
pub async fn add_drawer(db: &Db, input: NewDrawer) -> Result<Drawer, DrawerError> {
    let name = input.name.trim().to_owned();
    let mut errors = FieldErrors::new();
    errors.text("name", &name, NAME_MAX);
    errors.into_result().map_err(DrawerError::Invalid)?;
    let mut tx = db.begin().await?;
    store::default_drawer(&mut tx).await?;
    if store::drawer_name_taken(&mut tx, &name).await? {
        return Err(DrawerError::NameTaken);
    }
    let drawer = Drawer {
        id: DrawerId::new(),
        name,
        created_at: now_text(),
    };
    store::insert_drawer(&mut tx, &drawer).await?;
    tx.commit().await?;
    Ok(drawer)
}

/// The drawer asked for, or this counter's default one.
async fn drawer_or_default(
    conn: &mut SqliteConnection,
    id: Option<DrawerId>,
) -> Result<Drawer, DrawerError> {
    match id {
        Some(id) => store::find_drawer(&mut *conn, id)
            .await?
            .ok_or(DrawerError::DrawerNotFound),
        None => Ok(store::default_drawer(conn).await?),
    }
}

/// Opens a session of a drawer with its counted float.
pub async fn open(
    db: &Db,
    by: UserId,
    input: OpenDrawer,
    can_audit: bool,
) -> Result<SessionView, DrawerError> {
    let mut errors = FieldErrors::new();
    amount_field(&mut errors, "opening_float", input.opening_float, 0);
    errors.into_result().map_err(DrawerError::Invalid)?;
    DrawerState::open(input.opening_float)?;
    let mut tx = db.begin().await?;
    let drawer = drawer_or_default(&mut tx, input.drawer_id).await?;
    if let Some(existing) = store::unclosed_session(&mut *tx, drawer.id).await? {
        return Err(DrawerError::AlreadyOpen(existing.id));
    }
    let session = DrawerSession {
        id: DrawerSessionId::new(),
        drawer_id: drawer.id,
        drawer_name: drawer.name,
        status: SessionStatus::Open,
        opening_float: input.opening_float,
        opened_by: Some(by),
        opened_at: now_text(),
        counted_total: None,
        expected_total: None,
        difference: None,
        recount_requested_by: None,
        closed_by: None,
        closed_at: None,
        updated_at: db.tick(),
    };
    store::save_session(&mut tx, None, &session).await?;
    let view = view(&mut tx, session, can_audit).await?;
    tx.commit().await?;
    Ok(view)
}

/// The drawer's session that is not closed (the default drawer's when none is named).
pub async fn current(
    db: &Db,
    drawer: Option<DrawerId>,
    can_audit: bool,
) -> Result<Option<SessionView>, DrawerError> {
    let mut tx = db.begin().await?;
    let drawer = drawer_or_default(&mut tx, drawer).await?;
    let found = match store::unclosed_session(&mut *tx, drawer.id).await? {
        Some(session) => Some(view(&mut tx, session, can_audit).await?),
        None => None,
    };
    tx.commit().await?;
    Ok(found)
}

/// One session of any drawer of the location.
pub async fn get(
    db: &Db,
    id: DrawerSessionId,
    can_audit: bool,
) -> Result<SessionView, DrawerError> {
    let mut conn = db.read.acquire().await?;
    let session = store::session(&mut *conn, id)
        .await?
        .ok_or(DrawerError::SessionNotFound)?;
    view(&mut conn, session, can_audit).await
}

/// Sessions of the location's drawers, newest first.
pub async fn list_sessions(
    db: &Db,
    drawer: Option<DrawerId>,
    limit: Option<i64>,
    can_audit: bool,
) -> Result<Vec<SessionView>, DrawerError> {
    let mut conn = db.read.acquire().await?;
    let limit = limit.unwrap_or(50).clamp(1, LIST_MAX);
    let sessions = store::list_sessions(&mut *conn, drawer, limit).await?;
    let mut out = Vec::with_capacity(sessions.len());
    for session in sessions {
        out.push(view(&mut conn, session, can_audit).await?);
    }
    Ok(out)
}

/// Loads a session this counter may write (its own drawers' only) with its state.
async fn writable(
    conn: &mut SqliteConnection,
    id: DrawerSessionId,
) -> Result<(DrawerSession, DrawerState), DrawerError> {
    let session = store::session(&mut *conn, id)
        .await?
        .ok_or(DrawerError::SessionNotFound)?;
    if store::find_drawer(&mut *conn, session.drawer_id)
        .await?
        .is_none()
    {
        return Err(DrawerError::NotThisCounter);
    }
    let movements = store::movements_total(&mut *conn, id).await?;
    let state = state_of(&session, movements);
    Ok((session, state))
}

/// Records a pay-in or pay-out.
pub async fn add_movement(
    db: &Db,
    by: UserId,
    id: DrawerSessionId,
    input: NewMovement,
    can_audit: bool,
) -> Result<SessionView, DrawerError> {
    let reason = input.reason.trim().to_owned();
    let mut errors = FieldErrors::new();
    amount_field(&mut errors, "amount", input.amount, 1);
    errors.text("reason", &reason, REASON_MAX);
    errors.into_result().map_err(DrawerError::Invalid)?;
    let kind = match input.kind {
        ManualKind::PayIn => MovementKind::PayIn,
        ManualKind::PayOut => MovementKind::PayOut,
    };
    let mut tx = db.begin().await?;
    let (session, mut state) = writable(&mut tx, id).await?;
    state.record(kind, input.amount)?;
    let movement = DrawerMovement {
        id: DrawerMovementId::new(),
        session_id: session.id,
        kind,
        amount: input.amount,
        payment_id: None,
        reason: Some(reason),
        created_by: Some(by),
        created_at: now_text(),
        updated_at: db.tick(),
    };
    store::insert_movement(&mut tx, &movement).await?;
    let view = view(&mut tx, session, can_audit).await?;
    tx.commit().await?;
    Ok(view)
}

/// Records a blind count; the answer shows the expected amount and the difference.
pub async fn count(
    db: &Db,
    by: UserId,
    id: DrawerSessionId,
    input: CountInput,
    can_audit: bool,
) -> Result<SessionView, DrawerError> {
    let mut errors = FieldErrors::new();
    input.counts.check("counts", &mut errors);
    errors.into_result().map_err(DrawerError::Invalid)?;
    let total = input.counts.total()?;
    let mut tx = db.begin().await?;
    let (before, mut state) = writable(&mut tx, id).await?;
    let difference = state.count(total)?;
    let hlc = db.tick();
    let now = now_text();
    let count = DrawerCount {
        id: DrawerCountId::new(),
        session_id: before.id,
        counts: input.counts,
        total,
        expected: state.expected(),
        difference,
        counted_by: Some(by),
        counted_at: now,
        updated_at: hlc,
    };
    store::insert_count(&mut tx, &count).await?;
    let session = DrawerSession {
        status: state.status,
        counted_total: Some(total),
        expected_total: Some(state.expected()),
        difference: Some(difference),
        updated_at: hlc,
        ..before.clone()
    };
    store::save_session(&mut tx, Some(&before), &session).await?;
    let view = view(&mut tx, session, can_audit).await?;
    tx.commit().await?;
    Ok(view)
}

/// A manager sends a counted session back for a second blind count.
pub async fn require_recount(
    db: &Db,
    by: UserId,
    id: DrawerSessionId,
) -> Result<SessionView, DrawerError> {
    let mut tx = db.begin().await?;
    let (before, mut state) = writable(&mut tx, id).await?;
    state.require_recount()?;
    let session = DrawerSession {
        status: state.status,
        recount_requested_by: Some(by),
        updated_at: db.tick(),
        ..before.clone()
    };
    store::save_session(&mut tx, Some(&before), &session).await?;
    let view = view(&mut tx, session, true).await?;
    tx.commit().await?;
    Ok(view)
}

/// Closes a counted session.
pub async fn close(
    db: &Db,
    by: UserId,
    id: DrawerSessionId,
    can_audit: bool,
) -> Result<SessionView, DrawerError> {
    let mut tx = db.begin().await?;
    let (before, mut state) = writable(&mut tx, id).await?;
    state.close()?;
    let session = DrawerSession {
        status: state.status,
        closed_by: Some(by),
        closed_at: Some(now_text()),
        updated_at: db.tick(),
        ..before.clone()
    };
    store::save_session(&mut tx, Some(&before), &session).await?;
    let view = view(&mut tx, session, can_audit).await?;
    tx.commit().await?;
    Ok(view)
}

/// Puts the cash of a payment (`Sale`) in, or takes the cash of a refund (`Refund`) out
/// of, the open session of `drawer` (this counter's default drawer when `None`), in the
/// caller's transaction. No open session: [`DrawerError::NoOpenDrawer`], and the caller's
/// write rolls back, so no cash payment exists outside a session.
pub async fn take_cash(
    conn: &mut SqliteConnection,
    hlc: Hlc,
    drawer: Option<DrawerId>,
    kind: MovementKind,
    amount: Clp,
    payment: PaymentId,
    by: Option<UserId>,
) -> Result<DrawerSessionId, DrawerError> {
    let drawer = drawer_or_default(conn, drawer).await?;
    let no_open = || DrawerError::NoOpenDrawer {
        drawer: drawer.name.clone(),
    };
    let session = store::unclosed_session(&mut *conn, drawer.id)
        .await?
        .filter(|s| s.status == SessionStatus::Open)
        .ok_or_else(no_open)?;
    let movements = store::movements_total(&mut *conn, session.id).await?;
    let mut state = state_of(&session, movements);
    state.record(kind, amount)?;
    let movement = DrawerMovement {
        id: DrawerMovementId::new(),
        session_id: session.id,
        kind,
        amount,
        payment_id: Some(payment),
        reason: None,
        created_by: by,
        created_at: now_text(),
        updated_at: hlc,
    };
    store::insert_movement(conn, &movement).await?;
    Ok(session.id)
}
