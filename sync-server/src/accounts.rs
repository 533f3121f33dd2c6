//! Sign-up, sessions (tenant accounts and the platform's super_admin) and the accounts
//! an owner manages: the rules live here, handlers call these.

use crate::auth::lockout::Attempt;
use crate::auth::password::{self, Hasher};
use crate::auth::tokens::{self, ENROLLMENT_TTL_SECS, REFRESH_TTL_SECS, TokenSigner};
use crate::mail::outbox::Outbox;
use crate::mail::templates::MailKind;
use crate::roles::AccountRole;
use crate::settings::Settings;
use crate::store::accounts::{self as store, AccountRecord};
use crate::store::{Db, StoreError, is_unique_violation, platform, tenants};
use chrono::{DateTime, Utc};
use dysa_domain::ids::{AccountId, LocationId, TenantId};
use dysa_domain::validate::{FieldErrors, FieldIssue, normalize_email};
use uuid::Uuid;

/// Why an account operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The input is invalid.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The slug belongs to another tenant.
    #[error("slug taken")]
    SlugTaken,
    /// Another account uses the email.
    #[error("email taken")]
    EmailTaken,
    /// Wrong email or password (deliberately not saying which).
    #[error("wrong credentials")]
    BadCredentials,
    /// The tenant is suspended.
    #[error("tenant suspended")]
    Suspended(Option<String>),
    /// No such account in the tenant.
    #[error("account not found")]
    NotFound,
    /// The change would demote or deactivate an owner (owners come from sign-up).
    #[error("owner accounts keep their role and stay active")]
    OwnerAccount,
    /// Too many failures; retry after the given seconds.
    #[error("locked for {0} s")]
    Locked(u64),
    /// The refresh token cannot be exchanged.
    #[error("refresh refused: {0:?}")]
    RefreshRefused(RefreshRefusal),
    /// The one-time link is unknown, used or expired.
    #[error("link not valid")]
    TokenInvalid,
    /// The current password given for a change is wrong.
    #[error("wrong current password")]
    WrongPassword,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Hashing failed.
    #[error(transparent)]
    Hash(#[from] password::HashError),
    /// Signing failed.
    #[error(transparent)]
    Token(#[from] tokens::TokenError),
}

impl From<sqlx::Error> for AccountError {
    fn from(error: sqlx::Error) -> Self {
        AccountError::Store(StoreError::Sqlx(error))
    }
}

/// Why a refresh token was refused (shared with the other server).
pub use dysa_web::session::RefreshRefusal;

/// A sign-up request.
#[derive(Debug)]
pub struct SignupInput {
    /// The business's name.
    pub restaurant_name: String,
    /// URL name.
    pub slug: String,
    /// The owner's name.
    pub owner_name: String,
    /// The owner's email.
    pub email: String,
    /// The owner's password.
    pub password: String,
    /// `basic`, `pro` or `enterprise`.
    pub plan: String,
}

/// What a sign-up created.
#[derive(Debug)]
pub struct SignedUp {
    /// The tenant.
    pub tenant_id: TenantId,
    /// Its slug.
    pub slug: String,
    /// Its first location.
    pub location_id: LocationId,
    /// The owner account.
    pub account_id: AccountId,
    /// One-time enrolment code for the first appliance (shown once).
    pub enrollment_code: String,
}

/// Plans a tenant can have.
pub const PLANS: &[&str] = &["basic", "pro", "enterprise"];

/// Whether a slug is acceptable: 3–40 of `a-z 0-9 -`, starting and ending alphanumeric.
pub fn is_valid_slug(slug: &str) -> bool {
    let bytes = slug.as_bytes();
    (3..=40).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
}

/// Creates the tenant, its first location, the owner account, a one-time enrolment
/// code and the owner's email-verification mail (queued in the outbox), all in one
/// transaction. Two sign-ups for one slug: the unique index makes the
/// second wait for the first and then fail, so exactly one wins.
pub async fn signup(
    db: &Db,
    outbox: &Outbox,
    links: Links<'_>,
    input: SignupInput,
) -> Result<SignedUp, AccountError> {
    let mut errors = FieldErrors::new();
    errors.text("restaurant_name", &input.restaurant_name, 120);
    let slug = input.slug.trim().to_lowercase();
    if slug.is_empty() {
        errors.add("slug", FieldIssue::Required);
    } else if !is_valid_slug(&slug) {
        errors.add(
            "slug",
            FieldIssue::Other {
                es: "debe tener de 3 a 40 letras minúsculas, dígitos o guiones".into(),
                en: "must be 3 to 40 lowercase letters, digits or hyphens".into(),
            },
        );
    }
    errors.text("owner_name", &input.owner_name, 80);
    errors.email("email", &input.email);
    errors.password("password", &input.password);
    if !PLANS.contains(&input.plan.as_str()) {
        errors.add(
            "plan",
            FieldIssue::Other {
                es: "debe ser basic, pro o enterprise".into(),
                en: "must be basic, pro or enterprise".into(),
            },
        );
    }
    errors.into_result().map_err(AccountError::Invalid)?;
    let password_hash = password::hash(input.password).await?;
    let tenant_id = TenantId::new();
    let location_id = LocationId::new();
    let account = AccountRecord {
        id: AccountId::new(),
        tenant_id: Some(tenant_id),
        name: input.owner_name.trim().to_owned(),
        email: normalize_email(&input.email),
        role: "owner".to_owned(),
        password_hash,
        active: true,
        created_at: Utc::now(),
        location_ids: Vec::new(),
    };
    let name = input.restaurant_name.trim();
    let code = tokens::new_enrollment_code();
    let mut tx = db.tenant_tx(tenant_id).await?;
    tenants::insert(&mut tx, tenant_id, &slug, name, &input.plan)
        .await
        .map_err(|e| {
            if is_unique_violation(&e, "tenants_slug_key") {
                AccountError::SlugTaken
            } else {
                e.into()
            }
        })?;
    let location_slug = crate::locations::slug_of(name);
    tenants::insert_location(&mut tx, tenant_id, location_id, name, &location_slug, None).await?;
    // The 14-day trial of the plan chosen starts now (issue 19), not at the first checkout.
    crate::billing::start_trial(&mut tx, &input.plan, Utc::now()).await?;
    store::insert(&mut tx, &account).await.map_err(|e| {
        if is_unique_violation(&e, "accounts_email_key") {
            AccountError::EmailTaken
        } else {
            e.into()
        }
    })?;
    tenants::insert_enrollment_code(
        &mut tx,
        tenant_id,
        location_id,
        &tokens::hash_enrollment_code(&code),
        Some(account.id),
        ENROLLMENT_TTL_SECS,
    )
    .await?;
    queue_link(
        &mut tx,
        &account,
        tenant_id,
        store::TokenPurpose::VerifyEmail,
        links,
    )
    .await?;
    tx.commit().await?;
    outbox.wake();
    tracing::info!(tenant_id = %tenant_id, %slug, "tenant signed up");
    Ok(SignedUp {
        tenant_id,
        slug,
        location_id,
        account_id: account.id,
        enrollment_code: code,
    })
}

/// A successful sign-in: the account and its fresh tokens.
#[derive(Debug)]
pub struct SignedIn {
    /// The account.
    pub account: AccountRecord,
    /// Session the tokens belong to.
    pub session: Uuid,
    /// Short-lived access token.
    pub access_token: String,
    /// Single-use refresh token.
    pub refresh_token: String,
}

/// Signs in with email and password: a tenant's account, or a super_admin (who has no
/// tenant and gets a platform session). The attempt is reserved before the password is
/// checked; the sixth within the window (per account or per client) answers `Locked`
/// with the seconds to wait, and each further lock of an account lasts twice as long. A suspended tenant's accounts
/// get `Suspended`, but only after the right password.
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
    let attempt = Attempt::new(&email, client);
    attempt
        .reserve(db, settings)
        .await?
        .map_err(|locked| AccountError::Locked(locked.retry_after_secs()))?;
    let (account, tenant) = match store::tenant_of_login(db, &email).await? {
        Some(tenant_id) => {
            let mut tx = db.tenant_tx(tenant_id).await?;
            let account = store::find_by_email(&mut tx, &email).await?;
            let tenant = tenants::current(&mut tx).await?;
            (account, tenant)
        }
        None => {
            let mut tx = db.public_tx().await?;
            (platform::login_account(&mut tx, &email).await?, None)
        }
    };
    let stored = account
        .as_ref()
        .filter(|a| a.active)
        .map(|a| a.password_hash.clone());
    let ok = match hasher.check(secret, stored).await {
        Ok(ok) => ok,
        Err(error) => {
            // Never checked: the guess does not count.
            attempt.unchecked(db).await?;
            return Err(error.into());
        }
    };
    let Some(account) = account.filter(|_| ok) else {
        attempt.failed(db, settings).await?;
        return Err(AccountError::BadCredentials);
    };
    // The right password: the attempt settles as a success even if the tenant is
    // suspended (the answer then says so).
    attempt.succeeded(db).await?;
    let platform_admin = account.tenant_id.is_none() && account.role == "super_admin";
    if !platform_admin && tenant.as_ref().is_none_or(|t| t.status != "active") {
        return Err(AccountError::Suspended(
            tenant.and_then(|t| t.suspension_reason),
        ));
    }
    let signed_in = match account.tenant_id {
        Some(tenant) => {
            let mut tx = db.tenant_tx(tenant).await?;
            let signed_in = open_session(&mut tx, signer, tenant, account).await?;
            tx.commit().await?;
            signed_in
        }
        None => {
            let mut tx = db.public_tx().await?;
            let signed_in = open_platform_session(&mut tx, signer, account).await?;
            tx.commit().await?;
            signed_in
        }
    };
    Ok(signed_in)
}

/// Opens the new owner's first session right after a sign-up, so the website can hand
/// them to the dashboard signed in instead of asking for the password just typed.
pub async fn session_after_signup(
    db: &Db,
    signer: &TokenSigner,
    done: &SignedUp,
) -> Result<SignedIn, AccountError> {
    let mut tx = db.tenant_tx(done.tenant_id).await?;
    let account = store::find(&mut tx, done.account_id)
        .await?
        .ok_or(AccountError::BadCredentials)?;
    let signed_in = open_session(&mut tx, signer, done.tenant_id, account).await?;
    tx.commit().await?;
    Ok(signed_in)
}

async fn open_session(
    tx: &mut crate::store::Tx,
    signer: &TokenSigner,
    tenant: TenantId,
    account: AccountRecord,
) -> Result<SignedIn, AccountError> {
    let now = Utc::now();
    let refresh_token = tokens::new_secret("dyr_");
    let session = store::open_session(
        tx,
        tenant,
        account.id,
        &tokens::hash_secret(&refresh_token),
        expiry(now),
    )
    .await?;
    let access_token = signer.issue(account.id, Some(tenant), session, now.timestamp())?;
    Ok(SignedIn {
        account,
        session,
        access_token,
        refresh_token,
    })
}

async fn open_platform_session(
    tx: &mut crate::store::Tx,
    signer: &TokenSigner,
    account: AccountRecord,
) -> Result<SignedIn, AccountError> {
    let now = Utc::now();
    let refresh_token = tokens::new_secret("dyr_");
    let session = Uuid::now_v7();
    let opened = platform::open_session(
        tx,
        session,
        account.id,
        &tokens::hash_secret(&refresh_token),
        expiry(now),
    )
    .await?;
    if !opened {
        // Deactivated between the password check and now.
        return Err(AccountError::BadCredentials);
    }
    let access_token = signer.issue(account.id, None, session, now.timestamp())?;
    Ok(SignedIn {
        account,
        session,
        access_token,
        refresh_token,
    })
}

fn expiry(now: DateTime<Utc>) -> DateTime<Utc> {
    now + chrono::Duration::seconds(REFRESH_TTL_SECS)
}

/// Exchanges a refresh token for a new pair. A token used twice closes its session. A
/// suspended tenant's sessions answer `Suspended` (and stay open for its reactivation).
pub async fn refresh(
    db: &Db,
    signer: &TokenSigner,
    presented: &str,
) -> Result<SignedIn, AccountError> {
    let hash = tokens::hash_secret(presented);
    let Some(tenant) = store::tenant_of_refresh_token(db, &hash).await? else {
        return refresh_platform(db, signer, &hash).await;
    };
    let mut tx = db.tenant_tx(tenant).await?;
    let Some(state) = store::find_token(&mut tx, &hash).await? else {
        return Err(AccountError::RefreshRefused(RefreshRefusal::Unknown));
    };
    if state.revoked_at.is_some() {
        return Err(AccountError::RefreshRefused(RefreshRefusal::Revoked));
    }
    if state.used_at.is_some() {
        store::revoke_session(&mut tx, state.family_id, "refresh_token_reused").await?;
        tx.commit().await?;
        tracing::warn!(family = %state.family_id, "refresh token reused: session revoked");
        return Err(AccountError::RefreshRefused(RefreshRefusal::Reused));
    }
    let now = Utc::now();
    if state.expires_at <= now {
        return Err(AccountError::RefreshRefused(RefreshRefusal::Expired));
    }
    let Some(found) = store::session_account(&mut tx, state.family_id, state.account_id).await?
    else {
        store::revoke_session(&mut tx, state.family_id, "account_inactive").await?;
        tx.commit().await?;
        return Err(AccountError::RefreshRefused(RefreshRefusal::Revoked));
    };
    if found.tenant_status != "active" {
        return Err(AccountError::Suspended(
            tenants::suspension_reason(&mut tx).await?,
        ));
    }
    store::mark_used(&mut tx, &hash).await?;
    let refresh_token = tokens::new_secret("dyr_");
    store::add_token(
        &mut tx,
        tenant,
        state.family_id,
        &tokens::hash_secret(&refresh_token),
        expiry(now),
    )
    .await?;
    let access_token = signer.issue(
        found.account.id,
        Some(tenant),
        state.family_id,
        now.timestamp(),
    )?;
    tx.commit().await?;
    Ok(SignedIn {
        account: found.account,
        session: state.family_id,
        access_token,
        refresh_token,
    })
}

/// The refresh of a platform session (a token no tenant knows).
async fn refresh_platform(
    db: &Db,
    signer: &TokenSigner,
    hash: &str,
) -> Result<SignedIn, AccountError> {
    let now = Utc::now();
    let refresh_token = tokens::new_secret("dyr_");
    let mut tx = db.public_tx().await?;
    let done = platform::refresh(
        &mut tx,
        hash,
        &tokens::hash_secret(&refresh_token),
        expiry(now),
    )
    .await?;
    let refusal = match done.outcome.as_str() {
        "ok" => None,
        "revoked" => Some(RefreshRefusal::Revoked),
        "reused" => Some(RefreshRefusal::Reused),
        "expired" => Some(RefreshRefusal::Expired),
        _ => Some(RefreshRefusal::Unknown),
    };
    let (Some(session), Some(account_id), None) = (done.session_id, done.account, refusal) else {
        tx.commit().await?;
        if refusal == Some(RefreshRefusal::Reused) {
            tracing::warn!(family = ?done.session_id, "platform refresh token reused: session revoked");
        }
        return Err(AccountError::RefreshRefused(
            refusal.unwrap_or(RefreshRefusal::Unknown),
        ));
    };
    let account = platform::session_account(&mut tx, session, account_id)
        .await?
        .ok_or(AccountError::RefreshRefused(RefreshRefusal::Revoked))?;
    let access_token = signer.issue(account.id, None, session, now.timestamp())?;
    tx.commit().await?;
    Ok(SignedIn {
        account,
        session,
        access_token,
        refresh_token,
    })
}

/// The session a logout names (from the caller's access token).
#[derive(Clone, Copy, Debug)]
pub enum SessionRef {
    /// A session of a tenant's account.
    Tenant {
        /// The tenant.
        tenant: TenantId,
        /// The session.
        family: Uuid,
    },
    /// A platform (super_admin) session.
    Platform {
        /// The super_admin.
        account: AccountId,
        /// The session.
        family: Uuid,
    },
}

/// Closes a session, found by the caller's access token or by a refresh token.
pub async fn logout(
    db: &Db,
    session: Option<SessionRef>,
    refresh_token: Option<&str>,
) -> Result<(), AccountError> {
    match session {
        Some(SessionRef::Tenant { tenant, family }) => {
            let mut tx = db.tenant_tx(tenant).await?;
            store::revoke_session(&mut tx, family, "logout").await?;
            tx.commit().await?;
        }
        Some(SessionRef::Platform { account, family }) => {
            let mut tx = db.public_tx().await?;
            platform::logout(&mut tx, Some((family, account)), None).await?;
            tx.commit().await?;
        }
        None => {}
    }
    if let Some(token) = refresh_token {
        let hash = tokens::hash_secret(token);
        if let Some(tenant) = store::tenant_of_refresh_token(db, &hash).await? {
            let mut tx = db.tenant_tx(tenant).await?;
            if let Some(state) = store::find_token(&mut tx, &hash).await? {
                store::revoke_session(&mut tx, state.family_id, "logout").await?;
            }
            tx.commit().await?;
        } else {
            let mut tx = db.public_tx().await?;
            platform::logout(&mut tx, None, Some(&hash)).await?;
            tx.commit().await?;
        }
    }
    Ok(())
}

/// A new account of a tenant, made by its owner.
#[derive(Debug)]
pub struct NewAccount {
    /// Display name.
    pub name: String,
    /// Login email.
    pub email: String,
    /// Initial password (the sign-up rules).
    pub password: String,
    /// `manager` or `viewer`.
    pub role: String,
}

fn check_role(errors: &mut FieldErrors, role: &str) -> Option<AccountRole> {
    match AccountRole::parse(role).filter(|r| r.is_assignable()) {
        Some(role) => Some(role),
        None => {
            errors.add(
                "role",
                FieldIssue::Other {
                    es: "debe ser manager o viewer".into(),
                    en: "must be manager or viewer".into(),
                },
            );
            None
        }
    }
}

/// Creates a manager or viewer account in `tenant`. The email is unique across the whole
/// cloud (it is the login), so a taken one is `EmailTaken` whichever tenant has it.
pub async fn create_account(
    db: &Db,
    tenant: TenantId,
    input: NewAccount,
) -> Result<AccountRecord, AccountError> {
    let mut errors = FieldErrors::new();
    errors.text("name", &input.name, 80);
    errors.email("email", &input.email);
    errors.password("password", &input.password);
    let role = check_role(&mut errors, &input.role);
    errors.into_result().map_err(AccountError::Invalid)?;
    let role = role.ok_or(AccountError::Invalid(FieldErrors::new()))?;
    let password_hash = password::hash(input.password).await?;
    let record = AccountRecord {
        id: AccountId::new(),
        tenant_id: Some(tenant),
        name: input.name.trim().to_owned(),
        email: normalize_email(&input.email),
        role: role.as_str().to_owned(),
        password_hash,
        active: true,
        created_at: Utc::now(),
        location_ids: Vec::new(),
    };
    let mut tx = db.tenant_tx(tenant).await?;
    store::insert(&mut tx, &record).await.map_err(|e| {
        if is_unique_violation(&e, "accounts_email_key") {
            AccountError::EmailTaken
        } else {
            e.into()
        }
    })?;
    tx.commit().await?;
    tracing::info!(%tenant, account_id = %record.id, role = %record.role, "account created");
    Ok(AccountRecord {
        password_hash: String::new(),
        ..record
    })
}

/// What an owner changes of an account; `None` keeps it.
#[derive(Debug, Default)]
pub struct AccountChanges {
    /// New display name.
    pub name: Option<String>,
    /// New role: `manager` or `viewer`.
    pub role: Option<String>,
    /// Deactivate (false) or reactivate (true).
    pub active: Option<bool>,
    /// Limit it to these locations (empty: every location). Owners see every location.
    pub location_ids: Option<Vec<LocationId>>,
}

/// Changes an account of `tenant`. Deactivating closes its sessions at once; a role
/// change applies from its next request (sessions read the role every time). Owners keep
/// their role and stay active (a tenant always has its owner), though they may be renamed.
pub async fn update_account(
    db: &Db,
    tenant: TenantId,
    id: AccountId,
    changes: AccountChanges,
) -> Result<AccountRecord, AccountError> {
    let mut errors = FieldErrors::new();
    if let Some(name) = &changes.name {
        errors.text("name", name, 80);
    }
    let role = match &changes.role {
        Some(role) => check_role(&mut errors, role),
        None => None,
    };
    errors.into_result().map_err(AccountError::Invalid)?;
    let mut tx = db.tenant_tx(tenant).await?;
    let current = store::find(&mut tx, id)
        .await?
        .ok_or(AccountError::NotFound)?;
    if current.role == AccountRole::Owner.as_str()
        && (role.is_some_and(|r| r != AccountRole::Owner)
            || changes.active == Some(false)
            || changes.location_ids.as_ref().is_some_and(|l| !l.is_empty()))
    {
        return Err(AccountError::OwnerAccount);
    }
    if let Some(wanted) = &changes.location_ids {
        let known = tenants::location_ids(&mut tx).await?;
        if wanted.iter().any(|l| !known.contains(l)) {
            let mut errors = FieldErrors::new();
            errors.add(
                "location_ids",
                FieldIssue::Other {
                    es: "incluye un local que no existe".into(),
                    en: "includes a location that does not exist".into(),
                },
            );
            return Err(AccountError::Invalid(errors));
        }
        tenants::set_account_locations(&mut tx, tenant, id, wanted).await?;
        tracing::info!(%tenant, account_id = %id, locations = wanted.len(), "account's locations set");
    }
    let updated = store::update(
        &mut tx,
        id,
        changes.name.as_deref().map(str::trim),
        role.map(AccountRole::as_str),
        changes.active,
    )
    .await?
    .ok_or(AccountError::NotFound)?;
    if current.active && !updated.active {
        let closed = store::revoke_account_sessions(&mut tx, id, "account_deactivated").await?;
        tracing::info!(%tenant, account_id = %id, sessions = closed, "account deactivated");
    }
    // Read again: the update's own answer predates the new locations.
    let updated = store::find(&mut tx, id).await?.unwrap_or(updated);
    tx.commit().await?;
    Ok(updated)
}

// ---- one-time links: password reset and email verification -------------------------------

/// How long a password-reset link works.
pub const RESET_TTL_MINUTES: i64 = 30;
/// How long an email-verification link works.
pub const VERIFY_TTL_DAYS: i64 = 7;
/// A new link for the same account and purpose within this time mails nothing more (an
/// inbox cannot be flooded through the public form).
pub const LINK_THROTTLE_SECS: i64 = 60;

/// Where the links point: the dashboard's pages under the public URL.
#[derive(Clone, Copy, Debug)]
pub struct Links<'a> {
    /// The cloud's public base URL.
    pub public_url: &'a str,
    /// The language the mail is written in.
    pub lang: dysa_domain::validate::Lang,
}

impl Links<'_> {
    fn page(&self, page: &str, token: &str) -> String {
        format!(
            "{}/dashboard/{page}?token={token}",
            self.public_url.trim_end_matches('/')
        )
    }
}

/// Makes a link of `purpose` for `account` and queues its mail, in the caller's
/// transaction. Answers false (and queues nothing) when one was made within
/// [`LINK_THROTTLE_SECS`].
async fn queue_link(
    tx: &mut crate::store::Tx,
    account: &AccountRecord,
    tenant: TenantId,
    purpose: store::TokenPurpose,
    links: Links<'_>,
) -> Result<bool, AccountError> {
    let now = Utc::now();
    let since = now - chrono::Duration::seconds(LINK_THROTTLE_SECS);
    if store::recent_account_token(tx, account.id, purpose, since).await? {
        return Ok(false);
    }
    let (prefix, ttl, page) = match purpose {
        store::TokenPurpose::PasswordReset => (
            "dyp_",
            chrono::Duration::minutes(RESET_TTL_MINUTES),
            "reset",
        ),
        store::TokenPurpose::VerifyEmail => {
            ("dyv_", chrono::Duration::days(VERIFY_TTL_DAYS), "verify")
        }
    };
    let token = tokens::new_secret(prefix);
    let hash = tokens::hash_secret(&token);
    store::insert_account_token(tx, tenant, account.id, &hash, purpose, now + ttl).await?;
    let link = links.page(page, &token);
    let kind = match purpose {
        store::TokenPurpose::PasswordReset => MailKind::PasswordReset {
            name: account.name.clone(),
            link,
        },
        store::TokenPurpose::VerifyEmail => MailKind::VerifyEmail {
            name: account.name.clone(),
            link,
        },
    };
    // The token's hash names the mail: one mail per link, whatever retries happen.
    let key = format!("{}:{hash}", purpose.as_str());
    Outbox::enqueue(tx, &key, &account.email, links.lang, &kind).await?;
    Ok(true)
}

/// Mails a password-reset link to the tenant account with this email, if there is one
/// and it is active. Answers the same whether or not it exists (no enumeration: the
/// caller says "if the address has an account, a link is on its way").
pub async fn request_password_reset(
    db: &Db,
    outbox: &Outbox,
    email: &str,
    links: Links<'_>,
) -> Result<(), AccountError> {
    let email = normalize_email(email);
    let Some(tenant) = store::tenant_of_login(db, &email).await? else {
        tracing::info!("password reset asked for an unknown email");
        return Ok(());
    };
    let mut tx = db.tenant_tx(tenant).await?;
    let Some(account) = store::find_by_email(&mut tx, &email)
        .await?
        .filter(|a| a.active)
    else {
        return Ok(());
    };
    let queued = queue_link(
        &mut tx,
        &account,
        tenant,
        store::TokenPurpose::PasswordReset,
        links,
    )
    .await?;
    tx.commit().await?;
    if queued {
        outbox.wake();
        tracing::info!(%tenant, account_id = %account.id, "password reset link queued");
    }
    Ok(())
}

fn token_field_error() -> AccountError {
    let mut fields = FieldErrors::new();
    fields.add(
        "token",
        FieldIssue::Other {
            es: "el enlace no existe, ya se usó o venció; pide uno nuevo".into(),
            en: "the link is unknown, already used or expired; ask for a new one".into(),
        },
    );
    AccountError::Invalid(fields)
}

/// Sets a new password with a reset link: the link works once and within
/// [`RESET_TTL_MINUTES`]; using it ends the account's other reset links and closes every
/// session of the account (whoever knew the old password is out), and, since it proves
/// the mailbox, verifies the email.
pub async fn reset_password(
    db: &Db,
    token: &str,
    new_password: String,
) -> Result<(), AccountError> {
    let mut errors = FieldErrors::new();
    errors.password("password", &new_password);
    if token.trim().is_empty() {
        errors.add("token", FieldIssue::Required);
    }
    errors.into_result().map_err(AccountError::Invalid)?;
    let hash = tokens::hash_secret(token.trim());
    let Some(tenant) = store::tenant_of_account_token(db, &hash).await? else {
        return Err(token_field_error());
    };
    let password_hash = password::hash(new_password).await?;
    let mut tx = db.tenant_tx(tenant).await?;
    let Some(account) = store::use_account_token(
        &mut tx,
        &hash,
        store::TokenPurpose::PasswordReset,
        Utc::now(),
    )
    .await?
    else {
        return Err(token_field_error());
    };
    store::set_password(&mut tx, account, &password_hash).await?;
    store::retire_account_tokens(&mut tx, account, store::TokenPurpose::PasswordReset).await?;
    store::mark_email_verified(&mut tx, account).await?;
    let closed = store::revoke_account_sessions(&mut tx, account, "password_reset").await?;
    tx.commit().await?;
    tracing::info!(%tenant, account_id = %account, sessions = closed, "password reset");
    Ok(())
}

/// Changes the signed-in account's password: the current one is required (a wrong one
/// counts against the sign-in lockout like a failed sign-in), and every other session
/// of the account is closed; `session` (the caller's) stays open.
#[allow(clippy::too_many_arguments)]
pub async fn change_password(
    db: &Db,
    settings: &Settings,
    hasher: &Hasher,
    tenant: TenantId,
    account: AccountId,
    session: Uuid,
    current: String,
    new_password: String,
    client: &str,
) -> Result<(), AccountError> {
    let mut errors = FieldErrors::new();
    if current.is_empty() {
        errors.add("current_password", FieldIssue::Required);
    }
    errors.password("new_password", &new_password);
    errors.into_result().map_err(AccountError::Invalid)?;
    let mut tx = db.tenant_tx(tenant).await?;
    let record = store::find(&mut tx, account)
        .await?
        .filter(|a| a.active)
        .ok_or(AccountError::NotFound)?;
    drop(tx);
    let attempt = Attempt::new(&record.email, client);
    attempt
        .reserve(db, settings)
        .await?
        .map_err(|locked| AccountError::Locked(locked.retry_after_secs()))?;
    let ok = match hasher
        .check(current, Some(record.password_hash.clone()))
        .await
    {
        Ok(ok) => ok,
        Err(error) => {
            attempt.unchecked(db).await?;
            return Err(error.into());
        }
    };
    if !ok {
        attempt.failed(db, settings).await?;
        return Err(AccountError::WrongPassword);
    }
    attempt.succeeded(db).await?;
    let password_hash = password::hash(new_password).await?;
    let mut tx = db.tenant_tx(tenant).await?;
    store::set_password(&mut tx, account, &password_hash).await?;
    let closed =
        store::revoke_other_sessions(&mut tx, account, session, "password_changed").await?;
    tx.commit().await?;
    tracing::info!(%tenant, account_id = %account, sessions = closed, "password changed");
    Ok(())
}

/// Confirms an account's email with its verification link. A link already used answers
/// success while the email stays verified (a second click is not an error).
pub async fn verify_email(db: &Db, token: &str) -> Result<(), AccountError> {
    let hash = tokens::hash_secret(token.trim());
    let Some(tenant) = store::tenant_of_account_token(db, &hash).await? else {
        return Err(token_field_error());
    };
    let mut tx = db.tenant_tx(tenant).await?;
    match store::use_account_token(&mut tx, &hash, store::TokenPurpose::VerifyEmail, Utc::now())
        .await?
    {
        Some(account) => {
            store::mark_email_verified(&mut tx, account).await?;
            tx.commit().await?;
            tracing::info!(%tenant, account_id = %account, "email verified");
            Ok(())
        }
        None if store::verified_by_token(&mut tx, &hash).await? => Ok(()),
        None => Err(token_field_error()),
    }
}

/// Mails the signed-in account a new verification link, unless its email is verified
/// already or a link went out within [`LINK_THROTTLE_SECS`]. Answers whether one was
/// queued.
pub async fn resend_verification(
    db: &Db,
    outbox: &Outbox,
    tenant: TenantId,
    account: AccountId,
    links: Links<'_>,
) -> Result<bool, AccountError> {
    let mut tx = db.tenant_tx(tenant).await?;
    let record = store::find(&mut tx, account)
        .await?
        .ok_or(AccountError::NotFound)?;
    if store::email_verified(&mut tx, account).await? {
        return Ok(false);
    }
    let queued = queue_link(
        &mut tx,
        &record,
        tenant,
        store::TokenPurpose::VerifyEmail,
        links,
    )
    .await?;
    tx.commit().await?;
    if queued {
        outbox.wake();
    }
    Ok(queued)
}
