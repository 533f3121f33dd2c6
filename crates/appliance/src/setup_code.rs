//! The first-run setup code.
//!
//! Until the appliance has its first admin, anyone who reaches it could claim it. From
//! this machine (loopback) that is the person at the counter; from the LAN it could be
//! anyone on the restaurant's Wi-Fi. So a setup from another address must present a
//! one-time code that only the counter shows: it is printed in the log at start and the
//! panel shows it when opened on the counter itself (`GET /api/v1/setup/code` answers
//! loopback only). A few wrong guesses replace the code, so guessing it is hopeless.

use std::sync::Mutex;

/// Letters and digits that cannot be mistaken for one another (no I, L, O, 0, 1).
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Characters in a code (31⁸ ≈ 8.5 × 10¹¹ codes).
const LENGTH: usize = 8;
/// Wrong codes accepted before the code is replaced by a new one.
pub const MAX_FAILURES: u32 = 5;

/// The current code, made when first needed; kept in memory only (a restart makes a new
/// one, printed again).
#[derive(Debug, Default)]
pub struct SetupCode {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    code: Option<String>,
    failures: u32,
}

/// What became of a presented code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeCheck {
    /// The code matches.
    Accepted,
    /// It does not (or no code was issued).
    Refused,
    /// It does not, and that was one guess too many: a new code was issued.
    Replaced,
}

impl SetupCode {
    /// The code in force, issuing (and printing) one when there is none.
    pub fn current(&self) -> String {
        let mut inner = self.lock();
        match &inner.code {
            Some(code) => code.clone(),
            None => issue(&mut inner),
        }
    }

    /// Compares `presented` with the code in force (case, spaces and dashes do not
    /// matter), in time that does not depend on where they differ. After
    /// [`MAX_FAILURES`] wrong codes a new one replaces it.
    pub fn check(&self, presented: &str) -> CodeCheck {
        let mut inner = self.lock();
        let Some(code) = &inner.code else {
            return CodeCheck::Refused;
        };
        if same(&normalize(presented), &normalize(code)) {
            return CodeCheck::Accepted;
        }
        inner.failures += 1;
        if inner.failures >= MAX_FAILURES {
            tracing::warn!(
                failures = inner.failures,
                "too many wrong setup codes; a new one replaces it"
            );
            issue(&mut inner);
            return CodeCheck::Replaced;
        }
        CodeCheck::Refused
    }

    /// Forgets the code once the appliance is set up.
    pub fn retire(&self) {
        let mut inner = self.lock();
        inner.code = None;
        inner.failures = 0;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Makes a new code, prints it and keeps it.
fn issue(inner: &mut Inner) -> String {
    let mut raw = [0u8; LENGTH];
    let mut code = String::with_capacity(LENGTH + 1);
    for (i, slot) in raw.iter_mut().enumerate() {
        // Rejection sampling keeps every character equally likely.
        *slot = loop {
            let byte: u8 = rand::random();
            if usize::from(byte) < 256 - 256 % ALPHABET.len() {
                break ALPHABET[usize::from(byte) % ALPHABET.len()];
            }
        };
        if i == LENGTH / 2 {
            code.push('-');
        }
        code.push(char::from(*slot));
    }
    // The counter's console: the one place besides the counter's own panel that shows it.
    tracing::warn!(
        setup_code = %code,
        "the appliance is not set up: to set it up from another device, use the code {code} (shown too in the panel on this computer)"
    );
    inner.code = Some(code.clone());
    inner.failures = 0;
    code
}

fn normalize(code: &str) -> Vec<u8> {
    code.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
        .collect()
}

/// Equality whose time depends only on the lengths.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_checked_loosely() {
        let codes = SetupCode::default();
        let code = codes.current();
        assert_eq!(code.len(), LENGTH + 1);
        assert!(code.bytes().all(|b| b == b'-' || ALPHABET.contains(&b)));
        assert_eq!(codes.current(), code, "the code stays until replaced");
        let typed = code.replace('-', " ").to_lowercase();
        assert_eq!(codes.check(&typed), CodeCheck::Accepted);
    }

    #[test]
    fn too_many_wrong_codes_replace_it() {
        let codes = SetupCode::default();
        let code = codes.current();
        for _ in 1..MAX_FAILURES {
            assert_eq!(codes.check("AAAA-AAAA"), CodeCheck::Refused);
        }
        assert_eq!(codes.check("AAAA-AAAA"), CodeCheck::Replaced);
        assert_ne!(codes.current(), code);
        assert_eq!(
            codes.check(&code),
            CodeCheck::Refused,
            "the old code is dead"
        );
    }

    #[test]
    fn no_code_is_accepted_once_retired() {
        let codes = SetupCode::default();
        let code = codes.current();
        codes.retire();
        assert_eq!(codes.check(&code), CodeCheck::Refused);
        assert_eq!(codes.check(""), CodeCheck::Refused);
    }
}
