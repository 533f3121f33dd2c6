//! Staff account operations: first-run setup, login by password or PIN, refresh-token
//! rotation, logout, and user administration. Handlers call these; the rules live here.

use crate::audit::{self, Actor};
use crate::auth::lockout::{self, Attempt};
use crate::auth::password::{self, Hasher};
use crate::auth::tokens::{self, REFRESH_TTL_SECS, TokenSigner};
use crate::settings::Settings;
use crate::store::sessions::{self, LoginMethod};
use crate::store::{Db, StoreError, audit as audit_store, settings as setting_store, users};
use crate::sync::location_key::{self, LocationKey, LocationKeyError};
use dysa_domain::audit::AuditAction;
use dysa_domain::ids::{SessionFamilyId, UserId};
use dysa_domain::rbac::Role;
use dysa_domain::validate::{FieldErrors, FieldIssue, normalize_email};
use std::sync::Arc;

/// Why an account operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Setup was already done.
    #[error("the appliance is already set up")]
    AlreadySetUp,
    /// The input is invalid.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// Another account uses that email.
    #[error("email already in use")]
    EmailTaken {
        /// The existing account.
        existing: UserId,
    },
    /// No such account.
    #[error("user not found")]
    NotFound,
    /// The change would leave the restaurant with no active admin.
    #[error("the last admin cannot be removed or demoted")]
    LastAdmin,
    /// Wrong email or password (deliberately not saying which).
    #[error("wrong credentials")]
    BadCredentials,
    /// Wrong PIN (the person was picked on the screen, so only the PIN can be wrong).
    #[error("wrong PIN")]
    BadPin,
    /// The recovery code, or the admin email given with it, is wrong (deliberately not
    /// saying which).
    #[error("wrong recovery code or email")]
    BadRecovery,
    /// An owner's recovery code was typed on a counter that is not linked to a cloud.
    #[error("not linked to the cloud")]
    NotLinked,
    /// The cloud could not be asked about an owner's recovery code (offline, down).
    #[error("cloud unavailable: {0}")]
    CloudUnavailable(String),
    /// Too many failures; retry after the given seconds.
    #[error("locked for {0} s")]
    Locked(u64),
    /// The restaurant requires this admin or manager to sign in with the password, not
    /// the PIN.
    #[error("this account must sign in with its password")]
    PasswordRequired,
    /// The refresh token cannot be exchanged.
    #[error("refresh refused: {0:?}")]
    RefreshRefused(RefreshRefusal),
    /// The current password given to change it was wrong.
    #[error("current password is wrong")]
    WrongCurrentPassword,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Hashing failed.
    #[error(transparent)]
    Hash(#[from] password::HashError),
    /// Signing failed.
    #[error(transparent)]
    Token(#[from] tokens::TokenError),
    /// The location key (staff accounts are sealed with it) is missing or unreadable.
    #[error(transparent)]
    LocationKey(#[from] LocationKeyError),
}

/// The key every account write seals with. Present once the appliance is set up (setup
/// makes it; an install from before keys gets one at start).
async fn sealing_key(db: &Db) -> Result<Arc<LocationKey>, AccountError> {
    Ok(location_key::current_or_load(db).await?)
}

impl From<sqlx::Error> for AccountError {
    fn from(error: sqlx::Error) -> Self {
        AccountError::Store(StoreError::Sqlx(error))
    }
}

/// Why a refresh token was refused (shared with the other server).
pub use dysa_web::session::RefreshRefusal;

/// A successful sign-in: the account and its fresh tokens.
#[derive(Debug)]
pub struct SignedIn {
    /// The account.
    pub user: users::UserRecord,
    /// Session the tokens belong to.
    pub session: SessionFamilyId,
    /// Short-lived access token.
    pub access_token: String,
    /// Single-use refresh token.
    pub refresh_token: String,
    /// The admin recovery code made at first-run setup, to show once; `None` otherwise.
    pub recovery_code: Option<String>,
}

/// Input of the first-run setup.
#[derive(Debug)]
pub struct SetupInput {
    /// The restaurant's name.
    pub restaurant_name: String,
    /// The first admin's name.
    pub name: String,
    /// The first admin's email.
    pub email: String,
    /// The first admin's password.
    pub password: String,
    /// Optional quick-switch PIN.
    pub pin: Option<String>,
}

fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Creates the first admin and the restaurant name, once. Concurrent setups are
/// serialised by the single writer: exactly one wins.
pub async fn setup(
    db: &Db,
    signer: &TokenSigner,
    input: SetupInput,
) -> Result<SignedIn, AccountError> {
    let mut errors = FieldErrors::new();
    errors.text("restaurant_name", &input.restaurant_name, 120);
    errors.text("name", &input.name, 80);
    errors.email("email", &input.email);
    errors.password("password", &input.password);
    if let Some(pin) = &input.pin {
        errors.pin("pin", pin);
    }
    errors.into_result().map_err(AccountError::Invalid)?;
    if users::count(&db.read).await? > 0 {
        return Err(AccountError::AlreadySetUp);
    }
    let password_hash = password::hash(input.password).await?;
    let pin_hash = match input.pin {
        Some(pin) => Some(password::hash(pin).await?),
        None => None,
    };
    // The sole admin's way back if the password is forgotten: shown once, kept hashed.
    let (recovery_code, recovery_hash) = crate::recovery::fresh().await?;
    // The first appliance of a location makes its key here (a second counter joins with
    // the location's key and its staff instead of a setup).
    let key = location_key::ensure_location_key(db).await?;
    let mut tx = db.begin().await?;
    if users::count_in(&mut tx).await? > 0 {
        return Err(AccountError::AlreadySetUp);
    }
    let record = users::new_record(
        &input.name,
        &input.email,
        Role::Admin,
        password_hash,
        pin_hash,
        db.tick(),
    );
    users::save(&mut tx, &record, &key).await?;
    setting_store::put(
        &mut tx,
        "restaurant.name",
        &serde_json::Value::String(input.restaurant_name.trim().to_owned()),
        db.tick(),
    )
    .await?;
    crate::store::recovery::put(&mut tx, &recovery_hash).await?;
    let mut signed_in = open_session(&mut tx, signer, record, LoginMethod::Setup).await?;
    tx.commit().await?;
    signed_in.recovery_code = Some(recovery_code);
    Ok(signed_in)
}

async fn open_session(
    tx: &mut crate::store::WriteTx,
    signer: &TokenSigner,
    user: users::UserRecord,
    method: LoginMethod,
) -> Result<SignedIn, AccountError> {
    let now = now_secs();
    let refresh_token = tokens::new_refresh_token();
    let session = sessions::open(
        tx,
        user.id,
        method,
        &tokens::hash_refresh_token(&refresh_token),
        now + REFRESH_TTL_SECS,
    )
    .await?;
    let access_token = signer.issue(user.id, session, now)?;
    Ok(SignedIn {
        user,
        session,
        access_token,
        refresh_token,
        recovery_code: None,
    })
}

/// Checks `secret` against `stored` within the attempt's reservation: a busy hasher
/// gives the reservation back (the guess was never checked) and answers `Hash(Busy)`.
pub(crate) async fn check_reserved(
    db: &Db,
    hasher: &Hasher,
    attempt: &Attempt,
    secret: String,
    stored: Option<String>,
) -> Result<bool, AccountError> {
    match hasher.check(secret, stored).await {
        Ok(ok) => Ok(ok),
        Err(error) => {
            attempt.unchecked(db).await?;
            Err(error.into())
        }
    }
}

pub(crate) async fn reserve(
    db: &Db,
    settings: &Settings,
    attempt: &Attempt,
) -> Result<(), AccountError> {
    attempt
        .reserve(db, settings)
        .await?
        .map_err(|locked| AccountError::Locked(locked.retry_after_secs()))
}

/// Signs in with email and password, within the failed-attempt limits: the attempt is
/// reserved before the password is checked, so parallel guesses cannot overrun the limit.
pub async fn login(
    db: &Db,
    signer: &TokenSigner,
    settings: &Settings,
    hasher: &Hasher,
    email: &str,
    secret: String,
    client: &str,
) -> Result<SignedIn, AccountError> {
    let email = normalize_email(email);
    let attempt = Attempt::new(lockout::email_scope(&email), client);
    reserve(db, settings, &attempt).await?;
    let user = users::find_by_email(&db.read, &email).await?;
    let stored = user
        .as_ref()
        .filter(|u| u.active)
        .map(|u| u.password_hash.clone());
    let ok = check_reserved(db, hasher, &attempt, secret, stored).await?;
    finish_login(
        db,
        signer,
        settings,
        user.filter(|_| ok),
        &attempt,
        LoginMethod::Password,
        (&email, client),
    )
    .await
}

/// Quick switch at the counter: signs in a user by id and PIN, within the same limits
/// (the PIN has its own per-user counter). When the restaurant requires passwords of
/// admins and managers, their PINs are refused before anything is checked.
#[allow(clippy::too_many_arguments)]
pub async fn login_with_pin(
    db: &Db,
    signer: &TokenSigner,
    settings: &Settings,
    hasher: &Hasher,
    user_id: UserId,
    pin: String,
    client: &str,
    password_required_for_managers: bool,
) -> Result<SignedIn, AccountError> {
    let user = users::find(&db.read, user_id).await?;
    if password_required_for_managers
        && user
            .as_ref()
            .is_some_and(|u| matches!(u.role, Role::Admin | Role::Manager))
    {
        return Err(AccountError::PasswordRequired);
    }
    let attempt = Attempt::new(lockout::pin_scope(user_id), client);
    reserve(db, settings, &attempt).await?;
    let stored = user
        .as_ref()
        .filter(|u| u.active)
        .and_then(|u| u.pin_hash.clone());
    // A malformed PIN is still checked (against the decoy), so every answer costs the same.
    let valid = dysa_domain::validate::is_valid_pin(&pin);
    let ok = check_reserved(db, hasher, &attempt, pin, stored.filter(|_| valid)).await?;
    // A refused PIN names the account it was tried on (the PIN pad lists names anyway).
    let login = user
        .as_ref()
        .map_or_else(|| user_id.to_string(), |u| u.name.clone());
    finish_login(
        db,
        signer,
        settings,
        user.filter(|_| ok && valid),
        &attempt,
        LoginMethod::Pin,
        (&login, client),
    )
    .await
}

/// Checks a manager's or admin's PIN given at the counter to approve what a cashier's role
/// does not allow alone (a void, a discount, a refund, when the restaurant asks for it:
/// `manager_pin_for_voids`). Checked like a PIN sign-in — the same hashing, the same
/// per-person lockout (`pin_scope`), a refused try audited — but no session is opened.
/// The approver must be active, hold `needed` and have a PIN; every refusal looks the same.
pub async fn approve(
    db: &Db,
    settings: &Settings,
    hasher: &Hasher,
    approver: UserId,
    pin: String,
    needed: dysa_domain::rbac::Permission,
    client: &str,
) -> Result<users::UserRecord, AccountError> {
    let user = users::find(&db.read, approver).await?;
    let attempt = Attempt::new(lockout::pin_scope(approver), client);
    reserve(db, settings, &attempt).await?;
    let stored = user
        .as_ref()
        .filter(|u| u.active && u.role.allows(needed))
        .and_then(|u| u.pin_hash.clone());
    let valid = dysa_domain::validate::is_valid_pin(&pin);
    let ok = check_reserved(db, hasher, &attempt, pin, stored.filter(|_| valid)).await?;
    if let Some(user) = user.filter(|u| ok && valid && u.role.allows(needed)) {
        attempt.succeeded(db).await?;
        return Ok(user);
    }
    let login = approver.to_string();
    refused(
        db,
        settings,
        &attempt,
        (&login, client),
        "approval",
        Some(login.clone()),
    )
    .await?;
    Err(AccountError::BadPin)
}

/// A refused secret (password, PIN, approval PIN, recovery code): the failure counted in the
/// attempt's scopes and one `auth.sign_in_failed` row saying what was typed as the login,
/// from where, and by which `method`.
pub(crate) async fn refused(
    db: &Db,
    settings: &Settings,
    attempt: &Attempt,
    (login, client): (&str, &str),
    method: &str,
    subject: Option<String>,
) -> Result<(), AccountError> {
    attempt.failed(db, settings).await?;
    let event = Actor::anonymous(db.device_id(), Some(client)).event(
        AuditAction::SignInFailed,
        "user",
        subject,
        None,
        Some(serde_json::json!({ "login": login, "method": method })),
    );
    audit::record_alone(db, &event).await?;
    Ok(())
}

/// Ends a checked sign-in: a session for `user`, or the failure counted. Either way the
/// audit log gets its row (`(login, client)`: what was typed as the login, and where).
async fn finish_login(
    db: &Db,
    signer: &TokenSigner,
    settings: &Settings,
    user: Option<users::UserRecord>,
    attempt: &Attempt,
    method: LoginMethod,
    (login, client): (&str, &str),
) -> Result<SignedIn, AccountError> {
    let method_name = match method {
        LoginMethod::Pin => "pin",
        _ => "password",
    };
    let Some(user) = user else {
        refused(db, settings, attempt, (login, client), method_name, None).await?;
        return Err(match method {
            LoginMethod::Pin => AccountError::BadPin,
            _ => AccountError::BadCredentials,
        });
    };
    attempt.succeeded(db).await?;
    let event = Actor::staff(user.id, &user.name, db.device_id(), client).event(
        AuditAction::SignIn,
        "user",
        Some(user.id.to_string()),
        None,
        Some(serde_json::json!({ "method": method_name })),
    );
    let mut tx = db.begin().await?;
    let signed_in = open_session(&mut tx, signer, user, method).await?;
    audit_store::record(&mut tx, &event, db.tick()).await?;
    tx.commit().await?;
    Ok(signed_in)
}

/// The fields of an account the audit log keeps before and after a change (no secrets).
fn audited_user(record: &users::UserRecord) -> serde_json::Value {
    serde_json::json!({
        "name": record.name,
        "email": record.email,
        "role": record.role,
        "active": record.active,
    })
}

/// When each user's sign-in is locked (PIN or password), for the staff list; only
/// locks in force now.
pub async fn locked_users(db: &Db) -> Result<std::collections::HashMap<UserId, i64>, AccountError> {
    let now = jiff::Timestamp::now().as_millisecond();
    let locks = crate::store::lockouts::locked_until(&db.read, now).await?;
    let users = users::list(&db.read).await?;
    let mut locked = std::collections::HashMap::new();
    for user in users {
        let scopes = [
            lockout::pin_scope(user.id),
            lockout::email_scope(&user.email),
        ];
        if let Some(until) = locks
            .iter()
            .filter(|(scope, _)| scopes.contains(scope))
            .map(|(_, until)| *until)
            .max()
        {
            locked.insert(user.id, until);
        }
    }
    Ok(locked)
}

/// An admin lifts a user's lockout: the PIN's and the password's counters are forgotten
/// (the back-off starts over too).
pub async fn unlock_user(db: &Db, id: UserId) -> Result<(), AccountError> {
    let user = users::find(&db.read, id)
        .await?
        .ok_or(AccountError::NotFound)?;
    let mut tx = db.begin().await?;
    crate::store::lockouts::clear(
        &mut tx,
        &[lockout::pin_scope(id), lockout::email_scope(&user.email)],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Exchanges a refresh token for a new pair. A token used twice closes its session.
pub async fn refresh(
    db: &Db,
    signer: &TokenSigner,
    presented: &str,
) -> Result<SignedIn, AccountError> {
    let hash = tokens::hash_refresh_token(presented);
    let now = now_secs();
    let mut tx = db.begin().await?;
    let Some(state) = sessions::find_token(&mut tx, &hash).await? else {
        return Err(AccountError::RefreshRefused(RefreshRefusal::Unknown));
    };
    if state.revoked_at.is_some() {
        return Err(AccountError::RefreshRefused(RefreshRefusal::Revoked));
    }
    if state.used_at.is_some() {
        sessions::revoke(&mut tx, &state.family_id, "refresh_token_reused").await?;
        tx.commit().await?;
        db.session_cache.invalidate();
        tracing::warn!(family = %state.family_id, "refresh token reused: session revoked");
        return Err(AccountError::RefreshRefused(RefreshRefusal::Reused));
    }
    if state.expires_at <= now {
        return Err(AccountError::RefreshRefused(RefreshRefusal::Expired));
    }
    let user_id: UserId = state
        .user_id
        .parse()
        .map_err(|e: uuid::Error| StoreError::Corrupt {
            table: "sessions",
            detail: e.to_string(),
        })?;
    let family: SessionFamilyId =
        state
            .family_id
            .parse()
            .map_err(|e: uuid::Error| StoreError::Corrupt {
                table: "sessions",
                detail: e.to_string(),
            })?;
    let user = users::find(&mut *tx, user_id).await?.filter(|u| u.active);
    let Some(user) = user else {
        sessions::revoke(&mut tx, &state.family_id, "user_inactive").await?;
        tx.commit().await?;
        db.session_cache.invalidate();
        return Err(AccountError::RefreshRefused(RefreshRefusal::Revoked));
    };
    sessions::mark_used(&mut tx, &hash, now).await?;
    let refresh_token = tokens::new_refresh_token();
    sessions::add_token(
        &mut tx,
        family,
        &tokens::hash_refresh_token(&refresh_token),
        now + REFRESH_TTL_SECS,
    )
    .await?;
    let access_token = signer.issue(user.id, family, now)?;
    tx.commit().await?;
    Ok(SignedIn {
        user,
        session: family,
        access_token,
        refresh_token,
        recovery_code: None,
    })
}

/// Closes a session, found by its id or by one of its refresh tokens.
pub async fn logout(
    db: &Db,
    session: Option<SessionFamilyId>,
    refresh_token: Option<&str>,
) -> Result<(), AccountError> {
    let mut tx = db.begin().await?;
    if let Some(session) = session {
        sessions::revoke(&mut tx, &session.to_string(), "logout").await?;
    }
    if let Some(token) = refresh_token
        && let Some(state) =
            sessions::find_token(&mut tx, &tokens::hash_refresh_token(token)).await?
    {
        sessions::revoke(&mut tx, &state.family_id, "logout").await?;
    }
    tx.commit().await?;
    // Before answering, so the very next request with this session's token is refused.
    db.session_cache.invalidate();
    Ok(())
}

/// Input to create a staff account.
#[derive(Debug)]
pub struct NewUser {
    /// Display name.
    pub name: String,
    /// Login email.
    pub email: String,
    /// Initial password.
    pub password: String,
    /// Role.
    pub role: Role,
    /// Optional PIN.
    pub pin: Option<String>,
}

/// Creates a staff account.
pub async fn create_user(
    db: &Db,
    actor: &Actor,
    input: NewUser,
) -> Result<users::UserRecord, AccountError> {
    let mut errors = FieldErrors::new();
    errors.text("name", &input.name, 80);
    errors.email("email", &input.email);
    errors.password("password", &input.password);
    if let Some(pin) = &input.pin {
        errors.pin("pin", pin);
    }
    errors.into_result().map_err(AccountError::Invalid)?;
    let email = normalize_email(&input.email);
    if let Some(existing) = users::find_by_email(&db.read, &email).await? {
        return Err(AccountError::EmailTaken {
            existing: existing.id,
        });
    }
    let password_hash = password::hash(input.password).await?;
    let pin_hash = match input.pin {
        Some(pin) => Some(password::hash(pin).await?),
        None => None,
    };
    let key = sealing_key(db).await?;
    let mut tx = db.begin().await?;
    // Checked again under the writer: a parallel create may have taken the email.
    if let Some(existing) = users::find_by_email(&mut *tx, &email).await? {
        return Err(AccountError::EmailTaken {
            existing: existing.id,
        });
    }
    let record = users::new_record(
        &input.name,
        &email,
        input.role,
        password_hash,
        pin_hash,
        db.tick(),
    );
    users::save(&mut tx, &record, &key).await?;
    let event = actor.event(
        AuditAction::UserCreated,
        "user",
        Some(record.id.to_string()),
        None,
        Some(audited_user(&record)),
    );
    audit_store::record(&mut tx, &event, db.tick()).await?;
    tx.commit().await?;
    Ok(record)
}

/// A partial update of an account by an admin.
#[derive(Debug, Default)]
pub struct UserChanges {
    /// New name.
    pub name: Option<String>,
    /// New email.
    pub email: Option<String>,
    /// New role.
    pub role: Option<Role>,
    /// Activate or deactivate.
    pub active: Option<bool>,
}

/// Applies an admin's changes. Deactivation closes the user's sessions; the last active
/// admin cannot be demoted or deactivated.
pub async fn update_user(
    db: &Db,
    actor: &Actor,
    id: UserId,
    changes: UserChanges,
) -> Result<users::UserRecord, AccountError> {
    let mut errors = FieldErrors::new();
    if let Some(name) = &changes.name {
        errors.text("name", name, 80);
    }
    if let Some(email) = &changes.email {
        errors.email("email", email);
    }
    errors.into_result().map_err(AccountError::Invalid)?;
    let key = sealing_key(db).await?;
    let mut tx = db.begin().await?;
    let mut record = users::find(&mut *tx, id)
        .await?
        .ok_or(AccountError::NotFound)?;
    let before = audited_user(&record);
    if let Some(email) = &changes.email {
        let email = normalize_email(email);
        if let Some(existing) = users::find_by_email(&mut *tx, &email).await?
            && existing.id != id
        {
            return Err(AccountError::EmailTaken {
                existing: existing.id,
            });
        }
        record.email = email;
    }
    if let Some(name) = changes.name {
        record.name = name.trim().to_owned();
    }
    let loses_admin = record.role == Role::Admin
        && record.active
        && (changes.role.is_some_and(|r| r != Role::Admin) || changes.active == Some(false));
    if loses_admin && users::other_active_admins(&mut tx, id).await? == 0 {
        return Err(AccountError::LastAdmin);
    }
    if let Some(role) = changes.role {
        record.role = role;
    }
    if let Some(active) = changes.active {
        if !active && record.active {
            sessions::revoke_all_for_user(&mut tx, id, None, "user_deactivated").await?;
        }
        record.active = active;
    }
    record.updated_at = db.tick();
    users::save(&mut tx, &record, &key).await?;
    let after = audited_user(&record);
    if after != before {
        let event = actor.event(
            AuditAction::UserUpdated,
            "user",
            Some(id.to_string()),
            Some(before),
            Some(after),
        );
        audit_store::record(&mut tx, &event, db.tick()).await?;
    }
    tx.commit().await?;
    // Role, name and active flag are what the session check answers.
    db.session_cache.invalidate();
    Ok(record)
}

/// Sets a user's password (admin reset, or the user's own change). Every other session of
/// the user is closed; `keep` spares the caller's own session.
pub async fn set_password(
    db: &Db,
    id: UserId,
    new_password: String,
    keep: Option<SessionFamilyId>,
) -> Result<(), AccountError> {
    let mut errors = FieldErrors::new();
    errors.password("password", &new_password);
    errors.into_result().map_err(AccountError::Invalid)?;
    let hash = password::hash(new_password).await?;
    let key = sealing_key(db).await?;
    let mut tx = db.begin().await?;
    let mut record = users::find(&mut *tx, id)
        .await?
        .ok_or(AccountError::NotFound)?;
    record.password_hash = hash;
    record.updated_at = db.tick();
    users::save(&mut tx, &record, &key).await?;
    sessions::revoke_all_for_user(&mut tx, id, keep, "password_changed").await?;
    tx.commit().await?;
    db.session_cache.invalidate();
    Ok(())
}

/// A user changes their own password, proving the current one.
pub async fn change_own_password(
    db: &Db,
    id: UserId,
    session: SessionFamilyId,
    current: String,
    new_password: String,
) -> Result<(), AccountError> {
    let mut errors = FieldErrors::new();
    errors.password("new_password", &new_password);
    if current == new_password {
        errors.add(
            "new_password",
            FieldIssue::Other {
                es: "debe ser distinta de la actual".into(),
                en: "must differ from the current one".into(),
            },
        );
    }
    errors.into_result().map_err(AccountError::Invalid)?;
    let user = users::find(&db.read, id)
        .await?
        .ok_or(AccountError::NotFound)?;
    // A busy hasher answers 503 rather than "wrong password".
    if !Hasher::global()
        .check(current, Some(user.password_hash))
        .await?
    {
        return Err(AccountError::WrongCurrentPassword);
    }
    set_password(db, id, new_password, Some(session)).await
}

/// Sets or clears a user's PIN.
pub async fn set_pin(db: &Db, id: UserId, pin: Option<String>) -> Result<(), AccountError> {
    if let Some(pin) = &pin {
        let mut errors = FieldErrors::new();
        errors.pin("pin", pin);
        errors.into_result().map_err(AccountError::Invalid)?;
    }
    let pin_hash = match pin {
        Some(pin) => Some(password::hash(pin).await?),
        None => None,
    };
    let key = sealing_key(db).await?;
    let mut tx = db.begin().await?;
    let mut record = users::find(&mut *tx, id)
        .await?
        .ok_or(AccountError::NotFound)?;
    record.pin_hash = pin_hash;
    record.updated_at = db.tick();
    users::save(&mut tx, &record, &key).await?;
    tx.commit().await?;
    db.session_cache.invalidate();
    Ok(())
}
