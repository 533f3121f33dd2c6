//! In-memory copies of what every order request reads: the menu's pricing data and the
//! users of open sessions. Each is read from SQLite once per change instead of once per
//! request.
//!
//! Why: on a two-core counter PC the order path is CPU-bound, and every SQLite read costs
//! a hop to the connection's worker thread, a statement step and row decoding (the menu's
//! modifier groups as JSON). The session check and the menu lookup were two such reads
//! per order, beside the one group-committed write.
//!
//! Correctness rests on one rule, as in [`crate::restaurant::SettingsCache`]: a copy read
//! while a change commits must never be kept. Each cache carries a generation number;
//! `invalidate` bumps it and drops the copies, and a loader keeps what it read only if the
//! generation is still the one it saw *before* reading (checked under the same lock that
//! `invalidate` takes). So once a writer's `invalidate()` has returned, which it does
//! before the writer answers its client, every later request reads the new rows.
//!
//! Whoever commits a change to the cached tables calls the matching `invalidate()` after
//! the commit: the menu functions and the CSV import ([`PricingCache`]), the account
//! functions that revoke sessions or change users ([`SessionCache`]), and sync when it
//! applies remote changes to those tables.

use super::StoreResult;
use super::menu::{PricingItem, all_for_pricing, items_for_pricing};
use dysa_domain::ids::{ItemId, SessionFamilyId, UserId};
use dysa_domain::rbac::Role;
use sqlx::SqlitePool;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Every menu item by id, ready to price (tombstoned and sold-out ones included, flagged).
pub type PricingMenu = HashMap<ItemId, PricingItem>;

/// The menu's pricing data, loaded once per menu change.
#[derive(Debug, Default)]
pub struct PricingCache {
    generation: AtomicU64,
    current: RwLock<Option<(u64, Arc<PricingMenu>)>>,
    /// Lets one request load the menu after a change while the others wait for its copy,
    /// rather than every waiting request reading the whole menu at once.
    loading: tokio::sync::Mutex<()>,
}

/// The items an order refers to: the cached menu, plus any item the copy did not have.
#[derive(Debug)]
pub struct PricingView {
    menu: Arc<PricingMenu>,
    extra: PricingMenu,
}

impl PricingView {
    /// The item with this id, if it exists (live or not).
    pub fn get(&self, id: &ItemId) -> Option<&PricingItem> {
        self.menu.get(id).or_else(|| self.extra.get(id))
    }
}

impl PricingCache {
    /// The whole menu as of the last change.
    pub async fn menu(&self, pool: &SqlitePool) -> StoreResult<Arc<PricingMenu>> {
        if let Some(menu) = self.cached() {
            return Ok(menu);
        }
        let _loading = self.loading.lock().await;
        // Another request may have loaded it while this one waited.
        if let Some(menu) = self.cached() {
            return Ok(menu);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let menu = Arc::new(all_for_pricing(pool).await?);
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        // A change committed while we were reading: keep our copy out of the cache.
        if self.generation.load(Ordering::Acquire) == generation {
            *current = Some((generation, menu.clone()));
        }
        Ok(menu)
    }

    /// The items `ids` refers to. Ids missing from the cached menu are looked up in the
    /// database (a client may send anything); finding one there means some writer did not
    /// invalidate, so the copy is dropped and the next request reads the menu afresh.
    pub async fn items(&self, pool: &SqlitePool, ids: &[ItemId]) -> StoreResult<PricingView> {
        let menu = self.menu(pool).await?;
        let missing: Vec<ItemId> = ids
            .iter()
            .filter(|id| !menu.contains_key(id))
            .copied()
            .collect();
        let extra = if missing.is_empty() {
            HashMap::new()
        } else {
            let found = items_for_pricing(pool, &missing).await?;
            if !found.is_empty() {
                tracing::warn!(
                    items = found.len(),
                    "menu cache was missing items; reloading"
                );
                self.invalidate();
            }
            found
        };
        Ok(PricingView { menu, extra })
    }

    /// Forgets the cached menu; call after committing any change to menu items,
    /// categories or modifier groups.
    pub fn invalidate(&self) {
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        *current = None;
    }

    fn cached(&self) -> Option<Arc<PricingMenu>> {
        let generation = self.generation.load(Ordering::Acquire);
        let current = self.current.read().unwrap_or_else(|p| p.into_inner());
        match current.as_ref() {
            Some((cached, menu)) if *cached == generation => Some(menu.clone()),
            _ => None,
        }
    }
}

/// How long a session check is trusted without a change being signalled. Revocations and
/// user changes invalidate at once; the limit only bounds how long a change made behind
/// the application's back (a restored backup, a manual edit) goes unseen.
const SESSION_TTL: Duration = Duration::from_secs(5);

/// More cached sessions than a restaurant has staff devices means something is odd (a
/// client minting sessions); past it the cache starts over rather than growing.
const MAX_SESSIONS: usize = 4096;

/// The staff member of an open session, as the session check answers it.
#[derive(Clone, Debug)]
pub struct SessionUser {
    /// Display name.
    pub name: String,
    /// Current role.
    pub role: Role,
}

#[derive(Debug, Default)]
struct SessionEntries {
    generation: u64,
    entries: HashMap<(SessionFamilyId, UserId), (SessionUser, Instant)>,
}

/// Open sessions and their users, remembered after the first check. Only open sessions
/// are remembered: a revoked or unknown one is asked of the database every time.
#[derive(Debug, Default)]
pub struct SessionCache {
    generation: AtomicU64,
    entries: RwLock<SessionEntries>,
}

impl SessionCache {
    /// The user of an open session of an active account (see
    /// [`super::sessions::session_user`]), from memory when it was checked since the last
    /// change.
    pub async fn user(
        &self,
        pool: &SqlitePool,
        family: SessionFamilyId,
        user: UserId,
    ) -> StoreResult<Option<SessionUser>> {
        let generation = self.generation.load(Ordering::Acquire);
        {
            let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
            if entries.generation == generation
                && let Some((found, at)) = entries.entries.get(&(family, user))
                && at.elapsed() < SESSION_TTL
            {
                return Ok(Some(found.clone()));
            }
        }
        let Some((name, role)) = super::sessions::session_user(pool, family, user).await? else {
            return Ok(None);
        };
        let found = SessionUser { name, role };
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        // Keep it only if nothing changed since before the read.
        if self.generation.load(Ordering::Acquire) == generation {
            if entries.generation != generation || entries.entries.len() >= MAX_SESSIONS {
                entries.entries.clear();
                entries.generation = generation;
            }
            entries
                .entries
                .insert((family, user), (found.clone(), Instant::now()));
        }
        Ok(Some(found))
    }

    /// Forgets every remembered session; call after committing a revocation or any
    /// change to a user (role, active, deletion, password).
    pub fn invalidate(&self) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalidate_drops_a_cached_menu() {
        let cache = PricingCache::default();
        *cache.current.write().unwrap_or_else(|p| p.into_inner()) =
            Some((0, Arc::new(PricingMenu::new())));
        assert!(cache.cached().is_some());
        cache.invalidate();
        assert!(cache.cached().is_none());
    }

    #[test]
    fn a_copy_from_an_older_generation_is_not_served() {
        let cache = PricingCache::default();
        cache.invalidate();
        // A loader that started before the invalidation stored under generation 0.
        *cache.current.write().unwrap_or_else(|p| p.into_inner()) =
            Some((0, Arc::new(PricingMenu::new())));
        assert!(cache.cached().is_none());
    }
}
