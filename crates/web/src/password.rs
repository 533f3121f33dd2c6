//! Argon2id hashing for passwords and PINs, written once for both servers, with a bound
//! on how many hashes run at the same time.
//!
//! Parameters follow OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane). Each hash
//! or verification holds ~19 MiB while it runs, so an unbounded burst of sign-ins would
//! take gigabytes: every hash waits for a permit of a semaphore sized to the machine's
//! memory ([`HashingConfig::from_memory`]), and a request that cannot get one within
//! `max_wait` is refused ([`HashError::Busy`], answered 503 with `Retry-After`) instead of
//! queueing without end. The work runs on the blocking pool, and the permit is held by
//! the blocking task itself, so a request that gives up early does not free memory that
//! is still in use.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Memory cost in KiB.
const MEMORY_KIB: u32 = 19 * 1024;
/// Passes over memory.
const ITERATIONS: u32 = 2;
/// Memory budgeted per permit: the hash's 19 MiB plus headroom for everything else a
/// sign-in request holds, so the permits never take more than the machine has free.
const BYTES_PER_PERMIT: u64 = 64 * 1024 * 1024;
/// Fewest permits: one busy sign-in never blocks every other.
pub const MIN_PERMITS: usize = 2;
/// Most permits: more parallel hashes than cores only lengthens each one.
pub const MAX_PERMITS: usize = 16;

fn hasher() -> Argon2<'static> {
    // The parameters are constants inside argon2's documented bounds.
    let params = Params::new(MEMORY_KIB, ITERATIONS, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why hashing did not give an answer.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every permit stayed taken for the whole bounded wait: the caller should answer
    /// 503 with `Retry-After` (the attempt was not checked).
    #[error("password hashing is busy; retry after {retry_after_secs} s")]
    Busy {
        /// Seconds a client should wait before trying again.
        retry_after_secs: u64,
    },
    /// The OS random source or a worker thread broke.
    #[error("password hashing failed: {0}")]
    Failed(String),
}

/// How many hashes may run at once and how long a request waits for its turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashingConfig {
    /// Hashes running at the same time, at most.
    pub permits: usize,
    /// Longest wait for a permit before [`HashError::Busy`].
    pub max_wait: Duration,
}

impl HashingConfig {
    /// Permits from the memory available now (one per 64 MiB, clamped to
    /// [`MIN_PERMITS`]..=[`MAX_PERMITS`]) unless `permits` is given (non-zero).
    pub fn from_memory(permits: usize, max_wait: Duration) -> Self {
        let permits = if permits > 0 {
            permits
        } else {
            permits_for(available_memory())
        };
        Self { permits, max_wait }
    }
}

/// The permits that `available` bytes of memory afford (`None`: unknown, the minimum
/// plus two).
pub fn permits_for(available: Option<u64>) -> usize {
    match available {
        Some(bytes) => usize::try_from(bytes / BYTES_PER_PERMIT)
            .unwrap_or(MAX_PERMITS)
            .clamp(MIN_PERMITS, MAX_PERMITS),
        None => MIN_PERMITS + 2,
    }
}

/// `MemAvailable` of `/proc/meminfo` in bytes, where the OS has it (Linux).
fn available_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

impl Default for HashingConfig {
    fn default() -> Self {
        Self::from_memory(0, Duration::from_secs(2))
    }
}

#[derive(Debug)]
struct Inner {
    permits: Arc<Semaphore>,
    config: HashingConfig,
    verifications: AtomicU64,
    running: AtomicUsize,
    peak: AtomicUsize,
}

/// The bounded hasher: a semaphore of [`HashingConfig::permits`] and counters tests read
/// ("checked at most 5"). Cheap to clone; clones share the permits and counters.
#[derive(Clone, Debug)]
pub struct Hasher {
    inner: Arc<Inner>,
}

static GLOBAL: OnceLock<Hasher> = OnceLock::new();

impl Hasher {
    /// A hasher with its own permits and counters.
    pub fn new(config: HashingConfig) -> Self {
        let permits = config.permits.max(1);
        Self {
            inner: Arc::new(Inner {
                permits: Arc::new(Semaphore::new(permits)),
                config: HashingConfig { permits, ..config },
                verifications: AtomicU64::new(0),
                running: AtomicUsize::new(0),
                peak: AtomicUsize::new(0),
            }),
        }
    }

    /// The process's hasher, used by [`hash`] and [`verify`]: the one given to
    /// [`Hasher::install`], else one sized from memory with a 2 s wait.
    pub fn global() -> Hasher {
        GLOBAL
            .get_or_init(|| Hasher::new(HashingConfig::default()))
            .clone()
    }

    /// Makes this the process's hasher (so admin actions that hash share the sign-in
    /// permits); false when one was already installed or used.
    pub fn install(&self) -> bool {
        GLOBAL.set(self.clone()).is_ok()
    }

    /// The configuration in force.
    pub fn config(&self) -> HashingConfig {
        self.inner.config
    }

    /// How many verifications this hasher has run (decoys included): the count of
    /// guesses actually checked.
    pub fn verifications(&self) -> u64 {
        self.inner.verifications.load(Ordering::SeqCst)
    }

    /// The most hashes that ever ran at the same time.
    pub fn peak_concurrency(&self) -> usize {
        self.inner.peak.load(Ordering::SeqCst)
    }

    /// Runs `work` on the blocking pool once a permit is free, waiting at most
    /// `max_wait`. The permit moves into the blocking task and is released when the work
    /// ends, even if the caller stopped waiting.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let wait = self.inner.config.max_wait;
        let permit = tokio::time::timeout(wait, self.inner.permits.clone().acquire_owned())
            .await
            .map_err(|_| HashError::Busy {
                retry_after_secs: wait.as_secs().max(1),
            })?
            .map_err(|e| HashError::Failed(e.to_string()))?;
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let running = inner.running.fetch_add(1, Ordering::SeqCst) + 1;
            inner.peak.fetch_max(running, Ordering::SeqCst);
            let out = work();
            inner.running.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            out
        })
        .await
        .map_err(|e| HashError::Failed(e.to_string()))
    }

    /// Hashes a secret into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
    pub async fn hash(&self, secret: String) -> Result<String, HashError> {
        self.run(move || hash_blocking(&secret)).await?
    }

    /// Whether `secret` matches `stored`. `None` (unknown or inactive account) verifies
    /// against a decoy hash of the same parameters, so it costs the same time and memory
    /// and counts as one verification, like a known account.
    pub async fn check(&self, secret: String, stored: Option<String>) -> Result<bool, HashError> {
        let inner = Arc::clone(&self.inner);
        self.run(move || {
            inner.verifications.fetch_add(1, Ordering::SeqCst);
            let stored = stored.unwrap_or_else(|| DECOY_HASH.clone());
            let Ok(parsed) = PasswordHash::new(&stored) else {
                return false;
            };
            hasher().verify_password(secret.as_bytes(), &parsed).is_ok()
        })
        .await
    }
}

fn hash_blocking(secret: &str) -> Result<String, HashError> {
    let mut salt_bytes = [0u8; 16];
    rand::fill(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| HashError::Failed(e.to_string()))?;
    hasher()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Failed(e.to_string()))
}

/// A hash of a random secret, verified against when the account does not exist, so a
/// login for an unknown email takes as long as one for a known email.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    let mut secret = [0u8; 24];
    rand::fill(&mut secret);
    hash_blocking(&format!("{secret:?}")).unwrap_or_default()
});

/// Hashes a secret with the process's hasher ([`Hasher::global`]).
pub async fn hash(secret: String) -> Result<String, HashError> {
    Hasher::global().hash(secret).await
}

/// Whether `secret` matches `stored`, with the process's hasher. `None` runs a decoy
/// verification and returns false; so does a busy hasher (callers that must tell "busy"
/// from "wrong" use [`Hasher::check`]).
pub async fn verify(secret: String, stored: Option<String>) -> bool {
    Hasher::global()
        .check(secret, stored)
        .await
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_use_owasp_parameters() {
        let stored = hash("empanadas de pino".into()).await.expect("hash");
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("empanadas de pino".into(), Some(stored.clone())).await);
        assert!(!verify("empanadas de queso".into(), Some(stored)).await);
        assert!(!verify("anything".into(), None).await);
        assert!(!verify("anything".into(), Some("not a hash".into())).await);
    }

    #[test]
    fn permits_follow_memory_within_bounds() {
        assert_eq!(permits_for(Some(0)), MIN_PERMITS);
        assert_eq!(permits_for(Some(100 * 1024 * 1024)), MIN_PERMITS);
        assert_eq!(permits_for(Some(512 * 1024 * 1024)), 8);
        assert_eq!(permits_for(Some(64 * 1024 * 1024 * 1024)), MAX_PERMITS);
        assert_eq!(permits_for(None), 4);
        assert_eq!(
            HashingConfig::from_memory(3, Duration::from_secs(1)).permits,
            3
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn the_semaphore_bounds_concurrent_hashing() {
        let hasher = Hasher::new(HashingConfig {
            permits: 2,
            max_wait: Duration::from_secs(60),
        });
        let stored = hasher.hash("1234".into()).await.expect("hash");
        let checks: Vec<_> = (0..12)
            .map(|_| {
                let hasher = hasher.clone();
                let stored = stored.clone();
                tokio::spawn(async move { hasher.check("0000".into(), Some(stored)).await })
            })
            .collect();
        for check in checks {
            assert!(!check.await.expect("join").expect("not busy"));
        }
        assert_eq!(hasher.verifications(), 12);
        assert!(
            hasher.peak_concurrency() <= 2,
            "peak {}",
            hasher.peak_concurrency()
        );
        assert!(hasher.peak_concurrency() >= 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_full_hasher_refuses_after_the_bounded_wait() {
        let hasher = Hasher::new(HashingConfig {
            permits: 1,
            max_wait: Duration::from_millis(1),
        });
        let stored = hasher.hash("1234".into()).await.expect("hash");
        let results: Vec<_> = join_all(
            (0..8)
                .map(|_| {
                    let hasher = hasher.clone();
                    let stored = stored.clone();
                    tokio::spawn(async move { hasher.check("0000".into(), Some(stored)).await })
                })
                .collect(),
        )
        .await;
        let busy = results
            .iter()
            .filter(|r| {
                matches!(
                    r,
                    Err(HashError::Busy {
                        retry_after_secs: 1
                    })
                )
            })
            .count();
        assert!(busy >= 1, "some waited past the bound and were refused");
        assert_eq!(
            hasher.verifications(),
            u64::try_from(results.len() - busy).expect("small")
        );
    }

    async fn join_all<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
        let mut out = Vec::with_capacity(handles.len());
        for handle in handles {
            out.push(handle.await.expect("join"));
        }
        out
    }

    #[tokio::test]
    async fn an_unknown_account_costs_one_verification_like_a_known_one() {
        let hasher = Hasher::new(HashingConfig {
            permits: 2,
            max_wait: Duration::from_secs(60),
        });
        let stored = hasher.hash("1234".into()).await.expect("hash");
        assert!(!hasher.check("0000".into(), Some(stored)).await.expect("ok"));
        assert_eq!(hasher.verifications(), 1);
        assert!(!hasher.check("0000".into(), None).await.expect("ok"));
        assert_eq!(hasher.verifications(), 2);
    }
}
