//! Input validation shared by both servers.
//!
//! Validation collects every problem at once, field by field, so a form can show all its
//! errors in one round trip. Messages exist in Spanish (first) and English.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The language a person reads: Spanish (es-CL) first, English second.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Español de Chile.
    #[default]
    Es,
    /// English.
    En,
}

impl Lang {
    /// Picks the language from an `Accept-Language` header: English only when the client
    /// prefers it over Spanish.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag.starts_with("es") {
                Lang::Es
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang).unwrap_or_default()
    }

    /// Chooses between a Spanish and an English text.
    pub fn pick<'a>(self, es: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Es => es,
            Lang::En => en,
        }
    }
}

/// What is wrong with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldIssue {
    /// Missing or blank.
    Required,
    /// Longer than allowed.
    TooLong {
        /// The maximum number of characters.
        max: usize,
    },
    /// Not an email address.
    InvalidEmail,
    /// Too short or too easy to guess.
    WeakPassword,
    /// Not 4 to 6 digits.
    InvalidPin,
    /// Outside the allowed range.
    OutOfRange {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// Any other problem, already worded in both languages.
    Other {
        /// Spanish text.
        es: String,
        /// English text.
        en: String,
    },
}

/// A NUL character: no text column stores it (Postgres refuses it outright), and no person
/// types it, so it is refused as input rather than failing the write.
fn nul_character() -> FieldIssue {
    FieldIssue::Other {
        es: "Contiene un carácter no permitido".to_owned(),
        en: "Contains a character that is not allowed".to_owned(),
    }
}

impl FieldIssue {
    /// The issue worded for a person.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            FieldIssue::Required => lang.pick("es obligatorio", "is required").to_owned(),
            FieldIssue::TooLong { max } => match lang {
                Lang::Es => format!("admite como máximo {max} caracteres"),
                Lang::En => format!("must be at most {max} characters"),
            },
            FieldIssue::InvalidEmail => lang
                .pick("no es un correo válido", "is not a valid email address")
                .to_owned(),
            FieldIssue::WeakPassword => lang
                .pick(
                    "debe tener al menos 10 caracteres y no ser una clave común",
                    "must be at least 10 characters and not a common password",
                )
                .to_owned(),
            FieldIssue::InvalidPin => lang
                .pick("debe tener de 4 a 6 dígitos", "must be 4 to 6 digits")
                .to_owned(),
            FieldIssue::OutOfRange { min, max } => match lang {
                Lang::Es => format!("debe estar entre {min} y {max}"),
                Lang::En => format!("must be between {min} and {max}"),
            },
            FieldIssue::Other { es, en } => lang.pick(es, en).to_owned(),
        }
    }
}

/// Every problem found in one input, keyed by field path (`email`, `lines[2].quantity`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, FieldIssue>);

impl FieldErrors {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem; the first problem of a field wins.
    pub fn add(&mut self, field: impl Into<String>, issue: FieldIssue) {
        self.0.entry(field.into()).or_insert(issue);
    }

    /// Records `issue` when `check` is false.
    pub fn check(&mut self, ok: bool, field: &str, issue: FieldIssue) {
        if !ok {
            self.add(field, issue);
        }
    }

    /// True when nothing was wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was wrong, else the collected errors.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// Checks a required, trimmed text of at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        let value = value.trim();
        if value.is_empty() {
            self.add(field, FieldIssue::Required);
        } else if value.chars().count() > max {
            self.add(field, FieldIssue::TooLong { max });
        } else if value.contains('\0') {
            self.add(field, nul_character());
        }
    }

    /// Checks an optional text of at most `max` characters.
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) {
        if let Some(value) = value {
            if value.chars().count() > max {
                self.add(field, FieldIssue::TooLong { max });
            } else if value.contains('\0') {
                self.add(field, nul_character());
            }
        }
    }

    /// Checks an email address.
    pub fn email(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(field, FieldIssue::Required);
        } else if !is_valid_email(value) {
            self.add(field, FieldIssue::InvalidEmail);
        }
    }

    /// Checks a new password.
    pub fn password(&mut self, field: &str, value: &str) {
        if value.is_empty() {
            self.add(field, FieldIssue::Required);
        } else if !is_strong_password(value) {
            self.add(field, FieldIssue::WeakPassword);
        }
    }

    /// Checks a quick-switch PIN.
    pub fn pin(&mut self, field: &str, value: &str) {
        if !is_valid_pin(value) {
            self.add(field, FieldIssue::InvalidPin);
        }
    }
}

/// A pragmatic email check: one `@`, a dotted domain, no spaces, at most 254 characters.
/// Deliverability is proven by sending mail, not by a regular expression.
pub fn is_valid_email(value: &str) -> bool {
    let value = value.trim();
    if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// Normalises an email for lookups: trimmed and lower-cased.
pub fn normalize_email(value: &str) -> String {
    value.trim().to_lowercase()
}

/// Passwords people pick first; refused whatever their length.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "0123456789",
    "contraseña",
    "contrasena",
    "contraseña1",
    "password123",
    "password1234",
    "qwertyuiop",
    "restaurante",
    "restaurant",
    "chatbotdysa",
    "1111111111",
    "abcdefghij",
    "iloveyou12",
    "administrador",
    "administrator",
];

/// NIST-style rule: long enough (10+ characters, at most 128), not a known common
/// password, not one repeated character. No arbitrary symbol rules.
pub fn is_strong_password(value: &str) -> bool {
    let length = value.chars().count();
    if !(10..=128).contains(&length) {
        return false;
    }
    let lower = value.to_lowercase();
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        return false;
    }
    let first = value.chars().next();
    !value.chars().all(|c| Some(c) == first)
}

/// A PIN is 4 to 6 ASCII digits.
pub fn is_valid_pin(value: &str) -> bool {
    (4..=6).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_refused_in_texts() {
        let mut errors = FieldErrors::new();
        errors.text("name", "Pastel\0", 120);
        errors.optional_text("description", Some("a\0b"), 1000);
        errors.text("ok", "Pastel de choclo", 120);
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["description", "name"]);
    }

    #[test]
    fn emails() {
        assert!(is_valid_email("ana@restaurante.cl"));
        assert!(is_valid_email(" Ana.Perez+caja@sub.example.com "));
        for bad in [
            "",
            "ana",
            "ana@",
            "@x.cl",
            "ana@cl",
            "a b@x.cl",
            "ana@x..cl",
            "a@b@c.cl",
        ] {
            assert!(!is_valid_email(bad), "{bad:?} accepted");
        }
        assert_eq!(normalize_email(" Ana@X.CL "), "ana@x.cl");
    }

    #[test]
    fn passwords_and_pins() {
        assert!(is_strong_password("empanadas de pino"));
        assert!(!is_strong_password("corta"));
        assert!(!is_strong_password("Password123"));
        assert!(!is_strong_password("aaaaaaaaaaaa"));
        assert!(is_valid_pin("1234"));
        assert!(is_valid_pin("123456"));
        assert!(!is_valid_pin("123"));
        assert!(!is_valid_pin("1234567"));
        assert!(!is_valid_pin("12a4"));
    }

    #[test]
    fn accept_language() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("es-CL,es;q=0.9,en;q=0.8"),
            Lang::Es
        );
        assert_eq!(Lang::from_accept_language("en;q=0.5,es;q=0.9"), Lang::Es);
        assert_eq!(Lang::from_accept_language("fr"), Lang::Es);
        assert_eq!(Lang::from_accept_language(""), Lang::Es);
    }

    #[test]
    fn collects_every_field() {
        let mut errors = FieldErrors::new();
        errors.text("name", "  ", 80);
        errors.email("email", "nope");
        errors.password("password", "x");
        errors.pin("pin", "12");
        assert_eq!(errors.0.len(), 4);
        assert_eq!(errors.0["name"].message(Lang::Es), "es obligatorio");
        assert_eq!(
            errors.0["email"].message(Lang::En),
            "is not a valid email address"
        );
    }
}
