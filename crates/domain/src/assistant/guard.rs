//! The code's checks on what a model proposes.
//!
//! A small model is a proposal, never the decision: [`reconcile`] keeps every dish the
//! deterministic parser grounds in the diner's own words whatever intent the model chose,
//! and [`ReplyGuard`] lets a model's free text reach the diner only while every money
//! amount and clock time in it is one the code knows (the menu, the draft, the opening
//! hours), cut to the length of a chat message.

use super::text::{fold, words};
use super::understand::{self, Grounded, Intent, MenuIndex, Reading};
use std::collections::BTreeSet;

/// Longest free-text reply, in characters: a chat message, not an essay.
pub const MAX_REPLY_CHARS: usize = 600;

/// Merges the parser's reading of the diner's message with the model's.
///
/// - When the parser grounds at least one dish, its items are kept as they are (the model
///   never loses a dish the diner named, nor adds one the diner did not), and an order
///   intent of the parser beats a model that called the message smalltalk or a question.
/// - Otherwise the model's items are used: the ones on the menu, and the unknown ones (the
///   reply then says the dish was not found, without repeating a name the diner did not
///   write; see [`said_by_diner`]).
/// - Booking details and "to take away" the model missed are taken from the parser.
pub fn reconcile(index: &MenuIndex, parsed: &Reading, model: Reading) -> Reading {
    let on_menu = |reading: &Reading| {
        understand::ground(index, &reading.items)
            .iter()
            .any(|g| !matches!(g, Grounded::Unknown { .. }))
    };
    let mut out = model;
    if on_menu(parsed) {
        out.items = parsed.items.clone();
        let parser_orders = matches!(parsed.intent, Some(Intent::OrderAdd | Intent::OrderRemove));
        let model_chats = matches!(
            out.intent,
            None | Some(Intent::Smalltalk | Intent::MenuQuestion | Intent::HoursQuestion)
        );
        if parser_orders && model_chats {
            out.intent = parsed.intent;
        }
    }
    if out.intent.is_none() {
        out.intent = parsed.intent;
    }
    out.takeaway |= parsed.takeaway;
    if out.party_size.is_none() {
        out.party_size = parsed.party_size;
    }
    if out.date.is_none() {
        out.date = parsed.date.clone();
    }
    if out.time.is_none() {
        out.time = parsed.time.clone();
    }
    if out.phone.is_none() {
        out.phone = parsed.phone.clone();
    }
    if out.name.is_none() {
        out.name = parsed.name.clone();
    }
    out
}

/// Whether every word of `name` is in the diner's message: only then may a reply quote
/// it as the diner's words ("No tenemos «…»"); a name a model made up is not quoted.
pub fn said_by_diner(name: &str, message: &str) -> bool {
    let said = words(message);
    let named = words(name);
    !named.is_empty() && named.iter().all(|w| said.contains(w))
}

/// A money amount or a clock time found in a text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fact {
    /// Pesos ("$6.990", "6990", "6.990 pesos", "7 lucas", "una luca").
    Pesos(i64),
    /// A time of day as `HH:MM` ("19:30", "9.30 h").
    Time(String),
    /// An amount in words ("seis mil novecientos pesos"): the code always writes amounts
    /// in digits, so one in words never comes from it.
    Spelled(String),
}

/// Number words that may start or continue an amount written in words.
const NUMBER_WORDS: &[&str] = &[
    "un",
    "uno",
    "una",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "quince",
    "veinte",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
    "cien",
    "ciento",
    "doscientos",
    "trescientos",
    "cuatrocientos",
    "quinientos",
    "seiscientos",
    "setecientos",
    "ochocientos",
    "novecientos",
    "mil",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "twelve",
    "fifteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "thousand",
];

/// Amounts written in words: a number word before "mil"/"thousand", or before
/// "pesos"/"peso"/"clp".
fn spelled_amounts(text: &str) -> Vec<Fact> {
    let words: Vec<String> = fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let mut out = Vec::new();
    for pair in words.windows(2) {
        let (before, word) = (pair[0].as_str(), pair[1].as_str());
        let thousands = matches!(word, "mil" | "thousand") && before != "mil";
        let pesos = matches!(word, "pesos" | "peso" | "clp");
        if (thousands || pesos) && NUMBER_WORDS.contains(&before) {
            out.push(Fact::Spelled(format!("{before} {word}")));
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The money amounts and times in a text, in the formats Chileans write them.
pub fn facts(text: &str) -> Vec<Fact> {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = fold(text).chars().collect();
    // `fold` keeps one char per char for the Latin letters used here; when it does not,
    // the word checks below are skipped rather than misread.
    let aligned = lower.len() == chars.len();
    let word_after = |mut at: usize| -> (String, usize) {
        while at < chars.len() && chars[at] == ' ' {
            at += 1;
        }
        let start = at;
        while at < chars.len() && is_word_char(chars[at]) {
            at += 1;
        }
        if aligned {
            (lower[start..at].iter().collect(), at)
        } else {
            (String::new(), at)
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_digit() {
            // "una luca", "luca y media": a thousand pesos without a digit.
            if aligned && (i == 0 || !is_word_char(chars[i - 1])) {
                let (word, _) = word_after(i);
                if word == "luca" || word == "lucas" {
                    let before: String = lower[..i].iter().collect();
                    let after = &lower[i + word.len()..];
                    let after: String = after.iter().collect();
                    let half = after.trim_start().starts_with("y media");
                    let base = if before.trim_end().ends_with("media") {
                        500
                    } else {
                        1000
                    };
                    out.push(Fact::Pesos(base + if half { 500 } else { 0 }));
                    i += word.len();
                    continue;
                }
            }
            i += 1;
            continue;
        }
        if i > 0 && (chars[i - 1].is_alphabetic()) {
            // Part of a word ("N°3", "mp3"): not an amount.
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            continue;
        }
        let start = i;
        let mut raw = String::new();
        while i < chars.len() {
            let c = chars[i];
            let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if c.is_ascii_digit() || ((c == '.' || c == ',' || c == ':') && next_digit) {
                raw.push(c);
                i += 1;
            } else {
                break;
            }
        }
        let dollar = chars[..start]
            .iter()
            .rev()
            .find(|c| **c != ' ')
            .is_some_and(|c| *c == '$');
        let (unit, unit_end) = word_after(i);
        // A time: H:MM, or H.MM followed by "h"/"hrs".
        if let Some((h, m)) = raw.split_once([':', '.'])
            && !dollar
            && m.len() == 2
            && !m.contains([':', '.', ','])
            && (raw.contains(':') || unit == "h" || unit == "hrs" || unit == "horas")
            && let (Ok(h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>())
            && h < 24
            && m < 60
        {
            out.push(Fact::Time(format!("{h:02}:{m:02}")));
            continue;
        }
        if raw.contains(':') {
            continue;
        }
        let thousands = {
            let groups: Vec<&str> = raw.split(['.', ',']).collect();
            groups.len() > 1 && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)
        };
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let whole: Option<i64> = digits.parse().ok();
        let thousand_words = ["luca", "lucas", "mil"];
        if thousand_words.contains(&unit.as_str()) {
            // "7 lucas", "6,5 lucas", "7 mil": thousands.
            let value = raw.replace(',', ".").parse::<f64>().ok();
            if let Some(v) = value {
                #[allow(clippy::cast_possible_truncation)]
                out.push(Fact::Pesos((v * 1000.0).round() as i64));
            }
            i = unit_end;
            continue;
        }
        let pesos_word = ["pesos", "peso", "clp"].contains(&unit.as_str());
        let Some(whole) = whole else { continue };
        if dollar || pesos_word || thousands || (digits.len() >= 4 && raw == digits) {
            out.push(Fact::Pesos(whole));
        }
    }
    out.extend(spelled_amounts(text));
    out
}

/// What the code knows and a reply may therefore say.
#[derive(Clone, Debug, Default)]
pub struct Known {
    /// Amounts in pesos: menu prices (with each option), the draft's lines and total.
    pub pesos: BTreeSet<i64>,
    /// Times as `HH:MM` (opening hours).
    pub times: BTreeSet<String>,
}

impl Known {
    /// Every price on the menu, alone and with each option, and each option's change.
    pub fn from_menu(index: &MenuIndex) -> Known {
        let mut known = Known::default();
        for item in &index.items {
            known.pesos.insert(item.price.pesos());
            for option in item.groups.iter().flat_map(|g| &g.options) {
                known.pesos.insert(option.price_delta.pesos().abs());
                known
                    .pesos
                    .insert(item.price.pesos() + option.price_delta.pesos());
            }
        }
        known
    }

    /// Adds the times a text written by the code names (the opening hours).
    pub fn times_from(&mut self, text: &str) {
        for fact in facts(text) {
            if let Fact::Time(t) = fact {
                self.times.insert(t);
            }
        }
    }

    /// Whether a fact is one the code knows.
    pub fn allows(&self, fact: &Fact) -> bool {
        match fact {
            Fact::Pesos(p) => self.pesos.contains(p),
            Fact::Time(t) => self.times.contains(t),
            Fact::Spelled(_) => false,
        }
    }
}

/// A model's text named an amount or a time the code does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the reply names {0:?}, which the code does not know")]
pub struct Invented(pub Fact);

/// What to do after a piece of a model's reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pass {
    /// Send this text now (may be empty: held until its sentence ends).
    Send(String),
    /// The reply is as long as a chat message: stop reading the model.
    Full,
}

/// The end of a checked reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// The whole reply, cut at a sentence when it was too long.
    pub text: String,
    /// What is still to send after what [`ReplyGuard::push`] let through.
    pub rest: String,
    /// What was sent is not a prefix of `text` (it was cut): the client must forget it
    /// and show `text` whole.
    pub resend: bool,
}

/// Checks a model's streamed reply as it comes: whole words are let through at once, but
/// a sentence that holds a digit, a "$" or "luca" is held until it ends and passes only
/// if every amount and time in it is [`Known`].
#[derive(Debug)]
pub struct ReplyGuard {
    known: Known,
    max_chars: usize,
    text: String,
    /// Bytes of `text` already let through.
    sent: usize,
    /// Bytes of `text` in sentences already checked.
    checked: usize,
    /// Bytes of `text` already handed to the caller.
    emitted: usize,
}

/// Byte offsets just after each sentence end (`.`, `!`, `?`, `…` or a newline followed by
/// whitespace) in `text`; a mark at the very end counts only when the text is complete
/// (while streaming, "$6." may still become "$6.490").
fn sentence_ends(text: &str, complete: bool) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let terminal = matches!(c, '.' | '!' | '?' | '…' | '\n');
        if terminal && let Some((next_at, next)) = chars.peek() {
            if next.is_whitespace() {
                ends.push(*next_at);
            }
        } else if terminal && complete && c != '\n' {
            ends.push(at + c.len_utf8());
        }
    }
    ends
}

fn suspicious(text: &str) -> bool {
    let folded = fold(text);
    text.contains(|c: char| c.is_ascii_digit() || c == '$')
        || ["luca", "mil", "peso", "thousand", "clp"]
            .iter()
            .any(|w| folded.contains(w))
}

impl ReplyGuard {
    /// A guard that lets through what `known` allows, up to `max_chars`.
    pub fn new(known: Known, max_chars: usize) -> ReplyGuard {
        ReplyGuard {
            known,
            max_chars,
            text: String::new(),
            sent: 0,
            checked: 0,
            emitted: 0,
        }
    }

    fn check(&self, text: &str) -> Result<(), Invented> {
        match facts(text).into_iter().find(|f| !self.known.allows(f)) {
            Some(fact) => Err(Invented(fact)),
            None => Ok(()),
        }
    }

    /// Takes the next piece of the model's reply.
    pub fn push(&mut self, piece: &str) -> Result<Pass, Invented> {
        self.text.push_str(piece);
        if let Some(&end) = sentence_ends(&self.text, false)
            .iter()
            .rfind(|e| **e > self.checked)
        {
            self.check(&self.text[self.checked..end])?;
            self.checked = end;
            self.sent = self.sent.max(end);
        }
        if self.text.chars().count() > self.max_chars {
            return Ok(Pass::Full);
        }
        let tail = &self.text[self.checked..];
        if !suspicious(tail) {
            // Whole words only: a word still being written may turn into an amount.
            if let Some(space) = tail.rfind(char::is_whitespace) {
                let space_end = self.checked + space + 1;
                self.sent = self.sent.max(space_end);
            }
        }
        let out = self.text[self.emitted..self.sent].to_owned();
        self.emitted = self.sent;
        Ok(Pass::Send(out))
    }

    /// Ends the reply: checks what was held, cuts it to a chat message at a sentence.
    pub fn finish(self) -> Result<Checked, Invented> {
        let rest = self.text[self.checked..].to_owned();
        self.check(&rest)?;
        let text = cut_reply(self.text.trim_end(), self.max_chars);
        let emitted = &self.text[..self.emitted];
        let resend = !text.starts_with(emitted);
        let rest = if resend {
            text.clone()
        } else {
            text[emitted.len()..].to_owned()
        };
        Ok(Checked { text, rest, resend })
    }
}

/// Cuts a reply longer than `max_chars` at the last sentence end within it (or the last
/// word, with "…", when no sentence ends early enough).
pub fn cut_reply(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let limit = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(at, _)| at);
    let head = &text[..limit];
    if let Some(&end) = sentence_ends(head, true).last()
        && end > 0
    {
        return head[..end].trim_end().to_owned();
    }
    match head.rfind(char::is_whitespace) {
        Some(at) => format!("{}…", head[..at].trim_end()),
        None => format!("{head}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pesos(text: &str) -> Vec<i64> {
        facts(text)
            .into_iter()
            .filter_map(|f| match f {
                Fact::Pesos(p) => Some(p),
                Fact::Time(_) | Fact::Spelled(_) => None,
            })
            .collect()
    }

    #[test]
    fn chilean_amounts_are_found() {
        assert_eq!(pesos("La Pizza Margarita $6.995, rica."), vec![6995]);
        assert_eq!(pesos("cuesta 6995"), vec![6995]);
        assert_eq!(pesos("son 6.995 pesos"), vec![6995]);
        assert_eq!(pesos("son $ 12.490"), vec![12490]);
        assert_eq!(pesos("unas 7 lucas"), vec![7000]);
        assert_eq!(pesos("una luca y media"), vec![1500]);
        assert_eq!(pesos("6,5 lucas"), vec![6500]);
        assert_eq!(pesos("2 completos y 3 bebidas"), Vec::<i64>::new());
        assert_eq!(pesos("Torta de mil hojas"), Vec::<i64>::new());
        assert_eq!(
            facts("abrimos a las 19:30"),
            vec![Fact::Time("19:30".into())]
        );
    }

    fn known() -> Known {
        let mut k = Known::default();
        k.pesos.insert(6490);
        k.times.insert("12:00".into());
        k
    }

    fn run(pieces: &[&str]) -> (String, Result<Checked, Invented>) {
        let mut guard = ReplyGuard::new(known(), MAX_REPLY_CHARS);
        let mut sent = String::new();
        for piece in pieces {
            match guard.push(piece) {
                Ok(Pass::Send(s)) => sent.push_str(&s),
                Ok(Pass::Full) => break,
                Err(e) => return (sent, Err(e)),
            }
        }
        (sent, guard.finish())
    }

    #[test]
    fn an_invented_price_is_never_let_through() {
        let (sent, end) = run(&[
            "La Pizza ",
            "Margarita cuesta $6.",
            "995. ",
            "¡Te esperamos!",
        ]);
        assert!(!sent.contains("995") && !sent.contains("$6"), "{sent}");
        assert_eq!(end, Err(Invented(Fact::Pesos(6995))));
        let (sent, end) = run(&["Cuesta $6.", "490. ", "Abrimos a las 12:00."]);
        let end = end.expect("known facts pass");
        assert_eq!(
            format!("{sent}{}", end.rest),
            "Cuesta $6.490. Abrimos a las 12:00."
        );
        let (_, end) = run(&["Abrimos a las 11:00."]);
        assert!(end.is_err());
    }

    #[test]
    fn words_stream_at_once_and_long_replies_are_cut_at_a_sentence() {
        let (sent, end) = run(&["¡Hola! ", "Hoy tene", "mos charquicán"]);
        assert_eq!(sent, "¡Hola! Hoy tenemos ");
        assert_eq!(end.expect("ok").rest, "charquicán");
        let long = "Una frase corta. ".repeat(60);
        let mut guard = ReplyGuard::new(known(), MAX_REPLY_CHARS);
        let mut sent = String::new();
        for piece in long.split_inclusive(' ') {
            match guard.push(piece).expect("no amounts") {
                Pass::Send(s) => sent.push_str(&s),
                Pass::Full => break,
            }
        }
        let end = guard.finish().expect("ok");
        assert!(end.text.chars().count() <= MAX_REPLY_CHARS);
        assert!(end.text.ends_with('.'));
        let shown = if end.resend {
            end.rest.clone()
        } else {
            format!("{sent}{}", end.rest)
        };
        assert_eq!(shown, end.text);
    }

    #[test]
    fn the_diner_s_words_are_recognised() {
        assert!(said_by_diner("pizza napoli", "quiero una pizza napoli"));
        assert!(!said_by_diner("Pizza Napoli", "una napolitana por favor"));
    }
}
