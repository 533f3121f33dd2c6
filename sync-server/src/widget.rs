//! The restaurant as the public widget sees it: a slug resolved to its tenant and
//! location (through the narrow `public_restaurant` SECURITY DEFINER function, then a
//! tenant transaction as every request), its widget settings, and its menu from the
//! synced projection, serialised once and served from memory.
//!
//! Both are cached per instance. A resolved restaurant (with its settings and allowed
//! origins) lives [`RESTAURANT_TTL`]: an owner's change or a suspension reaches every
//! instance that quickly (at once on the instance that saved it). Found restaurants and
//! unknown slugs are kept in two bounded LRUs, so a flood of random slugs only evicts
//! other unknown slugs and never the real restaurants diners are using. A menu lives until the
//! tenant's sync version moves past the version it was built at (the `Live` broadcast
//! carries every committed version), or [`MENU_TTL`] at most, in case a notice was lost.

use crate::live::Live;
pub use crate::store::widget::{MenuGroupRow, MenuItemRow, SyncedOption, strings};
use crate::store::{self, Db, StoreResult, Tx};
use crate::widget_settings::{self, WidgetSettings};
use bytes::Bytes;
use dysa_domain::ids::{LocationId, TenantId};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

/// How long a resolved restaurant (and its settings) is reused.
pub const RESTAURANT_TTL: Duration = Duration::from_secs(10);
/// How long a menu is reused at most, even when no version notice arrives.
pub const MENU_TTL: Duration = Duration::from_secs(60);
/// Entries kept per map before it is emptied (random slugs must not grow it for ever).
const MAX_ENTRIES: usize = 10_000;
/// Restaurants (and, apart, unknown slugs) kept in the slug caches, least recently used
/// evicted first.
pub const SLUG_CACHE_ENTRIES: usize = 10_000;

/// A map of at most `capacity` entries that evicts the least recently used one: the
/// slug caches, which clients fill with keys of their choosing.
#[derive(Debug)]
pub struct Lru<K, V> {
    capacity: usize,
    tick: u64,
    entries: HashMap<K, (V, u64)>,
    order: std::collections::BTreeMap<u64, K>,
}

impl<K: std::hash::Hash + Eq + Clone, V: Clone> Lru<K, V> {
    /// An empty map of at most `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        Lru {
            capacity: capacity.max(1),
            tick: 0,
            entries: HashMap::new(),
            order: std::collections::BTreeMap::new(),
        }
    }

    fn touch(&mut self, key: &K) -> Option<&mut (V, u64)> {
        self.tick += 1;
        let tick = self.tick;
        let entry = self.entries.get_mut(key)?;
        self.order.remove(&entry.1);
        entry.1 = tick;
        self.order.insert(tick, key.clone());
        Some(entry)
    }

    /// The value of `key`, now the most recently used.
    pub fn get(&mut self, key: &K) -> Option<V> {
        self.touch(key).map(|(value, _)| value.clone())
    }

    /// Keeps `value` for `key`, evicting the least recently used entry when full.
    pub fn insert(&mut self, key: K, value: V) {
        if let Some(entry) = self.touch(&key) {
            entry.0 = value;
            return;
        }
        if self.entries.len() >= self.capacity
            && let Some((_, oldest)) = self.order.pop_first()
        {
            self.entries.remove(&oldest);
        }
        self.tick += 1;
        self.order.insert(self.tick, key.clone());
        self.entries.insert(key, (value, self.tick));
    }

    /// Forgets `key`.
    pub fn remove(&mut self, key: &K) {
        if let Some((_, tick)) = self.entries.remove(key) {
            self.order.remove(&tick);
        }
    }

    /// Keeps only the entries `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        let order = &mut self.order;
        self.entries.retain(|key, (value, tick)| {
            let kept = keep(key, value);
            if !kept {
                order.remove(tick);
            }
            kept
        });
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A restaurant resolved from its public slug.
#[derive(Clone, Debug)]
pub struct Restaurant {
    /// The tenant.
    pub tenant_id: TenantId,
    /// Its slug.
    pub slug: String,
    /// The business's name.
    pub name: String,
    /// True when the platform suspended the tenant.
    pub suspended: bool,
    /// The location served (the one asked for, or the tenant's first).
    pub location_id: LocationId,
    /// Its name.
    pub location_name: String,
    /// Its slug (the path of its hosted page).
    pub location_slug: String,
    /// True while the owner has closed the location: the widget answers "cerrado".
    pub closed: bool,
    /// Its IANA time zone.
    pub time_zone: String,
    /// The owners' widget settings.
    pub settings: WidgetSettings,
    /// False when the tenant's plan does not include the widget (Básico): the public
    /// widget API answers `widget_not_in_plan` (see [`crate::billing::widget_in_plan`]).
    pub widget_in_plan: bool,
}

/// Whether `slug` could be a tenant's slug (as `tenants.slug` checks it), so garbage
/// never reaches the database.
pub fn plausible_slug(slug: &str) -> bool {
    (3..=40).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// A location as a public request names it: by id, or by its slug (`providencia`), which
/// is what a widget snippet or a hosted page's path carries.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LocationRef {
    /// By id.
    Id(LocationId),
    /// By the location's slug within the tenant.
    Slug(String),
}

impl LocationRef {
    /// Reads a `location` parameter: a UUID, else a well-formed location slug; `None`
    /// for anything else (the caller answers 422).
    pub fn parse(text: &str) -> Option<LocationRef> {
        match text.parse::<LocationId>() {
            Ok(id) => Some(LocationRef::Id(id)),
            Err(_) if crate::locations::is_valid_slug(text) => {
                Some(LocationRef::Slug(text.to_owned()))
            }
            Err(_) => None,
        }
    }
}

/// Resolves `slug` (and `location`, when given) from the database; `None` when unknown.
pub async fn resolve(
    db: &Db,
    slug: &str,
    location: Option<LocationRef>,
) -> StoreResult<Option<Restaurant>> {
    if !plausible_slug(slug) {
        return Ok(None);
    }
    let (id, location_slug) = match location {
        Some(LocationRef::Id(id)) => (Some(id), None),
        Some(LocationRef::Slug(slug)) => (None, Some(slug)),
        None => (None, None),
    };
    let mut tx = db.public_tx().await?;
    let row = store::widget::public_restaurant(&mut tx, slug, id, location_slug.as_deref()).await?;
    tx.commit().await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut tx = db.tenant_tx(row.tenant_id).await?;
    let settings = widget_settings::load(&mut tx).await?;
    let plan = store::tenants::current(&mut tx).await?.map(|t| t.plan);
    tx.commit().await?;
    Ok(Some(Restaurant {
        widget_in_plan: plan.as_deref().is_some_and(crate::billing::widget_in_plan),
        tenant_id: row.tenant_id,
        slug: slug.to_owned(),
        name: row.name,
        suspended: row.status != "active",
        location_id: row.location_id,
        location_name: row.location_name,
        location_slug: row.location_slug,
        closed: row.closed,
        time_zone: row.time_zone,
        settings,
    }))
}

/// A menu serialised once: its JSON bytes, their ETag and the version it was built at.
#[derive(Debug)]
pub struct CachedMenu {
    /// The tenant's sync version when it was read.
    pub version: i64,
    /// A strong ETag of the bytes.
    pub etag: String,
    /// The JSON body.
    pub body: Bytes,
    built: Instant,
}

type RestaurantKey = (String, Option<LocationRef>);

#[derive(Debug)]
struct Inner {
    /// Found restaurants, and when they were resolved.
    restaurants: Mutex<Lru<RestaurantKey, (Instant, Arc<Restaurant>)>>,
    /// Slugs (and locations) found to be nobody's, and when.
    unknown: Mutex<Lru<RestaurantKey, Instant>>,
    /// Database lookups of slugs made so far (tests count them).
    lookups: AtomicU64,
    menus: RwLock<HashMap<(TenantId, LocationId), Arc<CachedMenu>>>,
    versions: RwLock<HashMap<TenantId, i64>>,
}

impl Default for Inner {
    fn default() -> Self {
        Inner {
            restaurants: Mutex::new(Lru::new(SLUG_CACHE_ENTRIES)),
            unknown: Mutex::new(Lru::new(SLUG_CACHE_ENTRIES)),
            lookups: AtomicU64::new(0),
            menus: RwLock::default(),
            versions: RwLock::default(),
        }
    }
}

/// The instance's caches of the public widget API; cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct WidgetCache {
    inner: Arc<Inner>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|p| p.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|p| p.into_inner())
}

impl WidgetCache {
    /// Starts following the tenants' versions on `live` (once, at start): a menu built
    /// before a version is served no more.
    pub fn follow(&self, live: &Live) {
        let mut notices = live.subscribe();
        let closed = live.closed();
        let inner = Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            let follow = async move {
                loop {
                    match notices.recv().await {
                        Ok(notice) => {
                            let Some(inner) = inner.upgrade() else { return };
                            let mut versions = write(&inner.versions);
                            if versions.len() >= MAX_ENTRIES {
                                versions.clear();
                            }
                            let newest = versions.entry(notice.tenant_id).or_insert(0);
                            *newest = (*newest).max(notice.version);
                        }
                        // Missed notices: forget every menu rather than guess which moved.
                        Err(RecvError::Lagged(_)) => {
                            let Some(inner) = inner.upgrade() else { return };
                            write(&inner.menus).clear();
                        }
                        Err(RecvError::Closed) => return,
                    }
                }
            };
            tokio::select! {
                () = follow => {}
                () = closed => {}
            }
        });
    }

    /// What the cache knows of `slug` (and `location`) without asking the database:
    /// `Some(found)` while fresh, `None` when it must be looked up.
    pub fn cached(
        &self,
        slug: &str,
        location: Option<LocationRef>,
    ) -> Option<Option<Arc<Restaurant>>> {
        let key = (slug.to_owned(), location);
        if let Some((at, found)) = lock(&self.inner.restaurants).get(&key)
            && at.elapsed() < RESTAURANT_TTL
        {
            return Some(Some(found));
        }
        if let Some(at) = lock(&self.inner.unknown).get(&key)
            && at.elapsed() < RESTAURANT_TTL
        {
            return Some(None);
        }
        None
    }

    /// The restaurant of `slug` (and `location`), from the cache or the database.
    pub async fn restaurant(
        &self,
        db: &Db,
        slug: &str,
        location: Option<LocationRef>,
    ) -> StoreResult<Option<Arc<Restaurant>>> {
        if let Some(found) = self.cached(slug, location.clone()) {
            return Ok(found);
        }
        if plausible_slug(slug) {
            self.inner.lookups.fetch_add(1, Ordering::Relaxed);
        }
        let found = resolve(db, slug, location.clone()).await?.map(Arc::new);
        let key = (slug.to_owned(), location);
        match &found {
            Some(restaurant) => {
                lock(&self.inner.unknown).remove(&key);
                lock(&self.inner.restaurants).insert(key, (Instant::now(), restaurant.clone()));
            }
            None => lock(&self.inner.unknown).insert(key, Instant::now()),
        }
        Ok(found)
    }

    /// How many slugs this instance looked up in the database so far.
    pub fn lookups(&self) -> u64 {
        self.inner.lookups.load(Ordering::Relaxed)
    }

    /// Forgets what this instance holds of `tenant` (its settings just changed).
    pub fn forget_tenant(&self, tenant: TenantId) {
        lock(&self.inner.restaurants).retain(|_, (_, r)| r.tenant_id != tenant);
        write(&self.inner.menus).retain(|(t, _), _| *t != tenant);
    }

    /// The cached menu of `location`, while no newer version of `tenant` was heard.
    pub fn menu(&self, tenant: TenantId, location: LocationId) -> Option<Arc<CachedMenu>> {
        let menu = read(&self.inner.menus).get(&(tenant, location)).cloned()?;
        let newest = read(&self.inner.versions)
            .get(&tenant)
            .copied()
            .unwrap_or(0);
        (menu.version >= newest && menu.built.elapsed() < MENU_TTL).then_some(menu)
    }

    /// Keeps a freshly built menu.
    pub fn keep_menu(&self, tenant: TenantId, location: LocationId, menu: Arc<CachedMenu>) {
        let mut map = write(&self.inner.menus);
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert((tenant, location), menu);
    }
}

/// A name or text in both languages (English falls back to Spanish).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Localized {
    /// Spanish.
    pub es: String,
    /// English.
    pub en: String,
}

impl Localized {
    fn of(es: String, en: Option<String>) -> Localized {
        let en = en
            .filter(|e| !e.trim().is_empty())
            .unwrap_or_else(|| es.clone());
        Localized { es, en }
    }
}

/// The public menu.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PublicMenu {
    /// Always `CLP` (integer pesos, IVA included).
    pub currency: &'static str,
    /// Active categories in menu order, each with its items.
    pub categories: Vec<PublicCategory>,
    /// The tenant's sync version the menu was read at.
    pub version: i64,
}

/// A category of the public menu.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PublicCategory {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: Localized,
    /// Items in menu order.
    pub items: Vec<PublicItem>,
}

/// An item of the public menu.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PublicItem {
    /// Id (what an order's line names).
    pub id: Uuid,
    /// Name.
    pub name: Localized,
    /// Description, if any.
    pub description: Option<Localized>,
    /// Price with IVA, CLP.
    pub price: i64,
    /// False when sold out (shown, but cannot be ordered).
    pub available: bool,
    /// Its modifier groups.
    pub modifier_groups: Vec<PublicModifierGroup>,
    /// The owner's tags (`vegan`, `gluten_free`…), shown to diners as words.
    pub tags: Vec<String>,
    /// Allergens it contains (`milk`, `gluten`…), so a diner can choose safely.
    pub allergens: Vec<String>,
    /// Minutes it takes to prepare, when the owner set it: the order's time estimate.
    pub prep_minutes: Option<i32>,
    /// Its photo, when it has one.
    pub photo: Option<PublicPhoto>,
}

/// A menu item's photo, with its size so the widget reserves the space before it loads.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PublicPhoto {
    /// Its name: `/api/v1/public/{slug}/media/{hash}.jpg` (`{hash}-thumb.jpg`, 200 px).
    pub hash: String,
    /// Width in pixels (at most 800).
    pub width: i32,
    /// Height in pixels (at most 800).
    pub height: i32,
}

/// A modifier group of an item.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PublicModifierGroup {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: Localized,
    /// Fewest choices.
    pub min_choices: i32,
    /// Most choices.
    pub max_choices: i32,
    /// Options in menu order.
    pub options: Vec<PublicOption>,
}

/// An option of a modifier group.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PublicOption {
    /// Id (what an order's line lists in `options`).
    pub id: Uuid,
    /// Name.
    pub name: Localized,
    /// Added to the item's price, CLP.
    pub price_delta: i64,
    /// False when sold out.
    pub available: bool,
}

fn public_group(group: &MenuGroupRow) -> PublicModifierGroup {
    PublicModifierGroup {
        id: group.id,
        name: Localized::of(group.name.clone(), group.name_en.clone()),
        min_choices: group.min_choices,
        max_choices: group.max_choices,
        options: group
            .synced_options()
            .into_iter()
            .map(|o| PublicOption {
                id: o.id,
                name: Localized::of(o.name, o.name_en),
                price_delta: o.price_delta,
                available: o.available,
            })
            .collect(),
    }
}

/// Reads `location`'s menu from the synced projection (sold-out items included, marked
/// `available: false`).
pub async fn read_menu(tx: &mut Tx, location: LocationId) -> StoreResult<PublicMenu> {
    let version = crate::store::sync::version(tx).await?;
    let categories = store::widget::categories(tx, location).await?;
    let items = store::widget::items(tx, location).await?;
    let groups: HashMap<Uuid, MenuGroupRow> = store::widget::modifier_groups(tx, location)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let mut by_category: HashMap<Uuid, Vec<PublicItem>> = HashMap::new();
    for item in items {
        let modifier_groups = item
            .group_ids()
            .iter()
            .filter_map(|id| groups.get(id))
            .map(public_group)
            .collect();
        by_category
            .entry(item.category_id)
            .or_default()
            .push(PublicItem {
                id: item.id,
                name: Localized::of(item.name, item.name_en),
                description: item
                    .description
                    .filter(|d| !d.trim().is_empty())
                    .map(|d| Localized::of(d, item.description_en)),
                price: item.price,
                available: item.available,
                modifier_groups,
                tags: strings(&item.tags.0),
                allergens: strings(&item.allergens.0),
                prep_minutes: item.prep_minutes,
                photo: match (item.photo, item.photo_width, item.photo_height) {
                    (Some(hash), Some(width), Some(height)) => Some(PublicPhoto {
                        hash,
                        width,
                        height,
                    }),
                    _ => None,
                },
            });
    }
    let categories = categories
        .into_iter()
        .map(|c| PublicCategory {
            items: by_category.remove(&c.id).unwrap_or_default(),
            id: c.id,
            name: Localized::of(c.name, c.name_en),
        })
        .collect();
    Ok(PublicMenu {
        currency: "CLP",
        categories,
        version,
    })
}

/// How diners find and call a location: its address, phone and weekly hours as the
/// counter's owner set them (synced `restaurant.*` settings). Each is `None` until set,
/// so the hosted page and the widget never show a default the owner did not choose.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LocationContact {
    /// Street address.
    pub address: Option<String>,
    /// Contact phone, as the owner wrote it.
    pub phone: Option<String>,
    /// Weekly opening hours, local time.
    pub opening_hours: Option<dysa_domain::hours::OpeningHours>,
}

/// Reads `location`'s contact settings; a value this build cannot read is left out.
pub async fn location_contact(tx: &mut Tx, location: LocationId) -> StoreResult<LocationContact> {
    let stored = store::widget::contact_settings(tx, location).await?;
    let mut contact = LocationContact::default();
    let text = |v: serde_json::Value| {
        v.as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    for (key, value) in stored {
        match key.as_str() {
            "restaurant.address" => contact.address = text(value),
            "restaurant.phone" => contact.phone = text(value),
            _ => contact.opening_hours = serde_json::from_value(value).ok(),
        }
    }
    Ok(contact)
}

/// Serialises a menu once, with its ETag.
pub fn cache_menu(menu: &PublicMenu) -> Result<CachedMenu, serde_json::Error> {
    let body = serde_json::to_vec(menu)?;
    let digest = <sha2::Sha256 as sha2::Digest>::digest(&body);
    let etag = format!(
        "\"{}\"",
        digest[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    Ok(CachedMenu {
        version: menu.version,
        etag,
        body: Bytes::from(body),
        built: Instant::now(),
    })
}

/// Whether `location` paused online orders at the counter (its synced setting
/// [`ONLINE_PAUSED`](dysa_domain::settings::keys::ONLINE_PAUSED) is `true`).
pub async fn online_paused(tx: &mut Tx, location: LocationId) -> StoreResult<bool> {
    let value =
        store::widget::setting(tx, location, dysa_domain::settings::keys::ONLINE_PAUSED).await?;
    Ok(value.is_some_and(|v| v == serde_json::Value::Bool(true)))
}

#[cfg(test)]
mod tests {
    use super::Lru;
    use proptest::prelude::*;

    proptest! {
        /// However it is used, the map stays within its capacity and keeps the key used
        /// last.
        #[test]
        fn lru_is_bounded_and_keeps_the_recent(ops in proptest::collection::vec((0u8..3, 0u16..50), 1..300), capacity in 1usize..20) {
            let mut lru = Lru::new(capacity);
            for (op, key) in ops {
                match op {
                    0 => lru.insert(key, key),
                    1 => { let _ = lru.get(&key); }
                    _ => lru.remove(&key),
                }
                prop_assert!(lru.len() <= capacity);
                prop_assert_eq!(lru.len(), lru.order.len());
                if op == 0 {
                    prop_assert_eq!(lru.get(&key), Some(key));
                }
            }
        }
    }

    #[test]
    fn the_least_recently_used_goes_first() {
        let mut lru = Lru::new(2);
        lru.insert("a", 1);
        lru.insert("b", 2);
        assert_eq!(lru.get(&"a"), Some(1));
        lru.insert("c", 3);
        assert_eq!(lru.get(&"b"), None);
        assert_eq!(lru.get(&"a"), Some(1));
        assert_eq!(lru.get(&"c"), Some(3));
    }
}
