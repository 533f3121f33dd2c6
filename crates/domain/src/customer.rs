//! Diner identity: phone numbers and the Chilean RUT.
//!
//! Phones are stored in E.164 so the same diner typed four ways is one customer, and so
//! WhatsApp and SMS gateways accept them as they are.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// Why a phone number was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum PhoneError {
    /// Nothing but spaces.
    #[error("the phone number is empty")]
    Empty,
    /// A letter or symbol other than spaces, `-`, `.`, parentheses and a leading `+`.
    #[error("the phone number contains '{0}'")]
    InvalidCharacter(char),
    /// Not 9 digits for a Chilean number (after an optional 56), nor 8–15 digits after `+`.
    #[error("the phone number has the wrong number of digits")]
    WrongLength,
    /// A Chilean number cannot start with 0 or 1.
    #[error("not a Chilean phone number")]
    InvalidPrefix,
}

/// Normalizes a phone number to E.164 (`+56987654321`). Chilean numbers are accepted as
/// people write them (`9 8765 4321`, `+56 9 8765 4321`, `56987654321`,
/// `(+56) 9-8765-4321`, landline `2 2345 6789`); other countries only with a leading `+`.
pub fn normalize_phone(input: &str) -> Result<String, PhoneError> {
    let mut digits = String::with_capacity(16);
    let mut plus = false;
    for c in input.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if digits.is_empty() && !plus => plus = true,
            ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
            other => return Err(PhoneError::InvalidCharacter(other)),
        }
    }
    if digits.is_empty() {
        return Err(PhoneError::Empty);
    }
    let national = match digits.strip_prefix("56") {
        Some(rest) if plus || digits.len() == 11 => rest,
        _ if plus => {
            return if (8..=15).contains(&digits.len()) {
                Ok(format!("+{digits}"))
            } else {
                Err(PhoneError::WrongLength)
            };
        }
        _ => &digits,
    };
    // Since 2016 every Chilean number has 9 digits: 9 for mobiles, an area code otherwise.
    if national.len() != 9 {
        return Err(PhoneError::WrongLength);
    }
    if national.starts_with(['0', '1']) {
        return Err(PhoneError::InvalidPrefix);
    }
    Ok(format!("+56{national}"))
}

/// Why a RUT was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum RutError {
    /// Nothing but spaces.
    #[error("the RUT is empty")]
    Empty,
    /// A character other than digits, dots, one hyphen and a final K.
    #[error("the RUT contains '{0}'")]
    InvalidCharacter(char),
    /// The number is not between 1 and 99.999.999.
    #[error("the RUT number is out of range")]
    OutOfRange,
    /// The check digit does not match the number (a typo).
    #[error("the RUT check digit is wrong")]
    BadCheckDigit,
}

/// A Chilean RUT (tax id), always with a correct check digit. Written `12.345.678-5`.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "12.345.678-5")]
pub struct Rut(u32);

impl Rut {
    /// The largest RUT number accepted.
    pub const MAX_BODY: u32 = 99_999_999;

    /// The RUT of a number (its check digit is computed).
    pub fn from_body(body: u32) -> Result<Rut, RutError> {
        if (1..=Self::MAX_BODY).contains(&body) {
            Ok(Rut(body))
        } else {
            Err(RutError::OutOfRange)
        }
    }

    /// The number without its check digit.
    pub fn body(self) -> u32 {
        self.0
    }

    /// The check digit, `0`–`9` or `K`.
    pub fn check_digit(self) -> char {
        check_digit(self.0)
    }
}

/// The modulo-11 check digit of a RUT number: digits from the right weighted 2, 3, …, 7,
/// 2, 3, …; `11 - sum % 11`, where 11 is `0` and 10 is `K`.
pub fn check_digit(body: u32) -> char {
    let mut rest = body;
    let mut sum = 0;
    let mut weight = 2;
    while rest > 0 {
        sum += (rest % 10) * weight;
        rest /= 10;
        weight = if weight == 7 { 2 } else { weight + 1 };
    }
    match 11 - sum % 11 {
        11 => '0',
        10 => 'K',
        // 1..=9 is a single digit.
        d => char::from_digit(d, 10).unwrap_or('0'),
    }
}

impl FromStr for Rut {
    type Err = RutError;
    /// Accepts `12.345.678-5`, `12345678-5` and `123456785`, with `K` or `k`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut chars: Vec<char> = Vec::with_capacity(12);
        let mut hyphen_at = None;
        for c in s.trim().chars() {
            match c {
                '0'..='9' | 'k' | 'K' => chars.push(c.to_ascii_uppercase()),
                '.' => {}
                '-' if hyphen_at.is_none() => hyphen_at = Some(chars.len()),
                other => return Err(RutError::InvalidCharacter(other)),
            }
        }
        let Some(dv) = chars.pop() else {
            return Err(RutError::Empty);
        };
        // The hyphen, when present, must sit right before the check digit.
        if hyphen_at.is_some_and(|at| at != chars.len()) {
            return Err(RutError::InvalidCharacter('-'));
        }
        if let Some(k) = chars.iter().find(|c| **c == 'K') {
            return Err(RutError::InvalidCharacter(*k));
        }
        let body: u32 = match chars.iter().collect::<String>().trim_start_matches('0') {
            "" => return Err(RutError::OutOfRange),
            digits if digits.len() > 8 => return Err(RutError::OutOfRange),
            digits => digits.parse().map_err(|_| RutError::OutOfRange)?,
        };
        let rut = Rut::from_body(body)?;
        if rut.check_digit() == dv {
            Ok(rut)
        } else {
            Err(RutError::BadCheckDigit)
        }
    }
}

impl fmt::Display for Rut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        let mut out = String::with_capacity(12);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(digit);
        }
        write!(f, "{out}-{}", self.check_digit())
    }
}

impl TryFrom<String> for Rut {
    type Error = RutError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Rut> for String {
    fn from(value: Rut) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalizes_chilean_phones() {
        for input in [
            "9 8765 4321",
            "98765 4321",
            "+56 9 8765 4321",
            "56987654321",
            "(+56) 9-8765-4321",
            "+56987654321",
        ] {
            assert_eq!(
                normalize_phone(input),
                Ok("+56987654321".to_owned()),
                "{input}"
            );
        }
        assert_eq!(
            normalize_phone("2 2345 6789"),
            Ok("+56223456789".to_owned())
        );
        assert_eq!(
            normalize_phone("+56 32 234 5678"),
            Ok("+56322345678".to_owned())
        );
    }

    #[test]
    fn accepts_foreign_phones_only_with_plus() {
        assert_eq!(
            normalize_phone("+54 9 11 2345-6789"),
            Ok("+5491123456789".to_owned())
        );
        assert_eq!(
            normalize_phone("+1 (415) 555-0100"),
            Ok("+14155550100".to_owned())
        );
        assert_eq!(
            normalize_phone("5491123456789"),
            Err(PhoneError::WrongLength)
        );
        assert_eq!(normalize_phone("+1234567"), Err(PhoneError::WrongLength));
        assert_eq!(
            normalize_phone("+1234567890123456"),
            Err(PhoneError::WrongLength)
        );
    }

    #[test]
    fn rejects_bad_phones() {
        assert_eq!(
            normalize_phone("9 8765 432l"),
            Err(PhoneError::InvalidCharacter('l'))
        );
        assert_eq!(
            normalize_phone("9 8765+4321"),
            Err(PhoneError::InvalidCharacter('+'))
        );
        assert_eq!(normalize_phone("  "), Err(PhoneError::Empty));
        assert_eq!(normalize_phone("8765 4321"), Err(PhoneError::WrongLength));
        assert_eq!(
            normalize_phone("+56 9 8765 432"),
            Err(PhoneError::WrongLength)
        );
        assert_eq!(normalize_phone("098765432"), Err(PhoneError::InvalidPrefix));
    }

    #[test]
    fn parses_and_formats_ruts() {
        let rut: Rut = "12.345.678-5".parse().expect("valid");
        assert_eq!(rut.to_string(), "12.345.678-5");
        assert_eq!("12345678-5".parse::<Rut>(), Ok(rut));
        assert_eq!("123456785".parse::<Rut>(), Ok(rut));
        assert_eq!("12.345.678-6".parse::<Rut>(), Err(RutError::BadCheckDigit));
        // 10.000.013 has check digit K.
        assert_eq!(check_digit(10_000_013), 'K');
        assert_eq!(
            "10.000.013-k".parse::<Rut>().expect("k").to_string(),
            "10.000.013-K"
        );
        assert_eq!(check_digit(1), '9');
        assert_eq!("1-9".parse::<Rut>().expect("small").to_string(), "1-9");
        assert_eq!("".parse::<Rut>(), Err(RutError::Empty));
        assert_eq!(
            "12.345.67K8-5".parse::<Rut>(),
            Err(RutError::InvalidCharacter('K'))
        );
        assert_eq!(
            "12-345.6785".parse::<Rut>(),
            Err(RutError::InvalidCharacter('-'))
        );
        assert_eq!("123.456.789-2".parse::<Rut>(), Err(RutError::OutOfRange));
        assert_eq!("0-0".parse::<Rut>(), Err(RutError::OutOfRange));
        assert_eq!(
            serde_json::to_string(&rut).expect("ser"),
            "\"12.345.678-5\""
        );
        assert_eq!(
            serde_json::from_str::<Rut>("\"12345678-5\"").expect("de"),
            rut
        );
        assert!(serde_json::from_str::<Rut>("\"12345678-4\"").is_err());
    }

    proptest! {
        #[test]
        fn rut_round_trips_and_catches_wrong_digits(body in 1_000_000u32..=99_999_999, wrong in 0usize..11) {
            let rut = Rut::from_body(body).expect("in range");
            let text = rut.to_string();
            prop_assert_eq!(text.parse::<Rut>(), Ok(rut));
            let compact = text.replace('.', "");
            prop_assert_eq!(compact.replace('-', "").to_lowercase().parse::<Rut>(), Ok(rut));
            let other = "0123456789K".chars().nth(wrong).expect("digit");
            prop_assume!(other != rut.check_digit());
            let tampered = format!("{}-{other}", &compact[..compact.len() - 2]);
            prop_assert_eq!(tampered.parse::<Rut>(), Err(RutError::BadCheckDigit));
        }

        #[test]
        fn chilean_mobiles_normalize_whatever_the_spacing(n in 0u32..100_000_000, spaced in any::<bool>(), prefix in 0usize..4) {
            let national = format!("9{n:08}");
            let body = if spaced { format!("{} {} {}", &national[..1], &national[1..5], &national[5..]) } else { national.clone() };
            let input = format!("{}{body}", ["", "+56 ", "56", "(+56) "][prefix]);
            prop_assert_eq!(normalize_phone(&input), Ok(format!("+56{national}")));
        }
    }
}
