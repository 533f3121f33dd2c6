//! The booking details a diner's message carries, read without a model: how many people,
//! a phone, the name to book under, and the day and time ("mañana a las 21", "el sábado
//! para 4"). [`super::understand::parse`] fills its [`super::understand::Reading`] with
//! them.

use super::text::quantity_at;
use super::understand::has;

/// "para 4", "somos cinco", "4 personas", "table for 2", "party of 6".
pub(super) fn party_size(w: &[String]) -> Option<u32> {
    for (i, word) in w.iter().enumerate() {
        let lead = matches!(word.as_str(), "para" | "for" | "somos" | "of" | "seremos");
        if lead && let Some((n, _)) = quantity_at(w, i + 1) {
            let next = w.get(i + 2).map(String::as_str);
            let about_people = matches!(
                next,
                Some("personas" | "persona" | "people" | "person" | "pax" | "adultos" | "guests")
            ) || word == "somos"
                || word == "seremos"
                || i > 0 && matches!(w[i - 1].as_str(), "mesa" | "table" | "party" | "reserva")
                || (matches!(word.as_str(), "para" | "for") && n <= 30 && next != Some("las"));
            if about_people && (1..=100).contains(&n) {
                return Some(n);
            }
        }
        if matches!(
            word.as_str(),
            "personas" | "people" | "pax" | "comensales" | "guests"
        ) && i > 0
            && let Some((n, _)) = quantity_at(w, i - 1)
        {
            return Some(n);
        }
    }
    None
}

/// A phone number: eight or more digits written together (spaces, dashes, `+56`).
pub(super) fn phone(message: &str) -> Option<String> {
    let mut best = String::new();
    let mut current = String::new();
    for c in message.chars().chain(std::iter::once('x')) {
        if c.is_ascii_digit() || (c == '+' && current.is_empty()) {
            current.push(c);
        } else if (c == ' ' || c == '-' || c == '.') && !current.is_empty() {
            continue;
        } else {
            if current.chars().filter(char::is_ascii_digit).count() >= 8 {
                best = current.clone();
            }
            current.clear();
        }
    }
    (!best.is_empty()).then_some(best)
}

/// "a nombre de Juan Pérez", "mi nombre es Ana", "me llamo Ana", "my name is Ann",
/// "under Smith".
pub(super) fn booking_name(message: &str) -> Option<String> {
    let markers = [
        "a nombre de ",
        "mi nombre es ",
        "me llamo ",
        "my name is ",
        "under the name ",
        "under ",
        "name is ",
        "nombre: ",
        "name: ",
    ];
    // "soy Ana" names the diner only when a capitalised word follows ("soy vegetariano"
    // does not).
    if let Some(at) = message.char_indices().map(|(i, _)| i).find(|&i| {
        (i == 0 || message[..i].ends_with([' ', ',', '.', '!', '¡']))
            && message
                .get(i..i + 4)
                .is_some_and(|s| s.eq_ignore_ascii_case("soy "))
    }) && let Some(name) = message[at + 4..]
        .split(|c: char| {
            c == ',' || c == '.' || c == ';' || c == '!' || c.is_ascii_digit() || c == '+'
        })
        .next()
        .map(|rest| {
            rest.split_whitespace()
                .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
                .take(3)
                .collect::<Vec<_>>()
        })
        .filter(|name| !name.is_empty())
    {
        return Some(name.join(" "));
    }
    for marker in markers {
        // Markers are ASCII, so comparing them ASCII-case-insensitively at each char
        // boundary of the message keeps every index a boundary (lower-casing the whole
        // message could shift byte offsets: `İ` grows when lower-cased).
        let at = message.char_indices().map(|(i, _)| i).find(|&i| {
            message
                .get(i..i + marker.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(marker))
        });
        if let Some(at) = at {
            let rest = &message[at + marker.len()..];
            let name: Vec<&str> = rest
                .split(|c: char| c == ',' || c == '.' || c == ';' || c.is_ascii_digit() || c == '+')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .take_while(|w| {
                    !matches!(
                        w.to_lowercase().as_str(),
                        "y" | "and"
                            | "mi"
                            | "my"
                            | "telefono"
                            | "teléfono"
                            | "phone"
                            | "fono"
                            | "cel"
                            | "celular"
                            | "al"
                            | "numero"
                            | "número"
                    )
                })
                .take(4)
                .collect();
            if !name.is_empty() {
                return Some(name.join(" "));
            }
        }
    }
    None
}

const WEEKDAYS: &[(&str, &str)] = &[
    ("lunes", "monday"),
    ("martes", "tuesday"),
    ("miercoles", "wednesday"),
    ("jueves", "thursday"),
    ("viernes", "friday"),
    ("sabado", "saturday"),
    ("domingo", "sunday"),
];

/// The day and time words of a booking, normalised: dates as `today`, `tomorrow`,
/// `+2`, a weekday (`saturday`), `D` or `D/M`; times as `HH:MM`.
pub(super) fn when(w: &[String]) -> (Option<String>, Option<String>) {
    let mut date = None;
    let mut time = None;
    let joined = w.join(" ");
    if joined.contains("pasado manana") {
        date = Some("+2".to_owned());
    } else if joined.contains("manana") && !joined.contains("de la manana") || has(w, &["tomorrow"])
    {
        date = Some("tomorrow".to_owned());
    } else if has(w, &["hoy", "today", "tonight"]) || joined.contains("esta noche") {
        date = Some("today".to_owned());
    }
    for (es, en) in WEEKDAYS {
        if has(w, &[es, en]) {
            date = Some((*en).to_owned());
        }
    }
    let evening = joined.contains("de la noche")
        || joined.contains("de la tarde")
        || has(w, &["pm", "tonight", "noche"]);
    let morning = joined.contains("de la manana") || has(w, &["am"]);
    for (i, word) in w.iter().enumerate() {
        if let Some((h, m)) = word.split_once(':')
            && let (Ok(h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>())
            && h < 24
            && m < 60
        {
            let h = if h < 12 && (evening || (!morning && h < 11)) {
                h + 12
            } else {
                h
            };
            time = Some(format!("{h:02}:{m:02}"));
            continue;
        }
        let after_marker = i > 0 && matches!(w[i - 1].as_str(), "las" | "at" | "la" | "a");
        let hour_word = word
            .strip_suffix("pm")
            .or_else(|| word.strip_suffix("hrs"))
            .or_else(|| word.strip_suffix("h"))
            .unwrap_or(word);
        let pm_suffix = word.ends_with("pm");
        let next_marks = matches!(
            w.get(i + 1).map(String::as_str),
            Some("pm" | "am" | "hrs" | "horas" | "hr")
        );
        if (after_marker || pm_suffix || next_marks || word.ends_with("hrs"))
            && let Some(h) = hour_word
                .parse::<u32>()
                .ok()
                .or_else(|| quantity_at(w, i).map(|(n, _)| n).filter(|_| after_marker))
            && (1..24).contains(&h)
        {
            let mut minute = 0;
            if w.get(i + 1).is_some_and(|x| x == "y") && w.get(i + 2).is_some_and(|x| x == "media")
            {
                minute = 30;
            }
            let h = if h < 12 && (pm_suffix || evening || (!morning && h < 11)) {
                h + 12
            } else {
                h
            };
            time = Some(format!("{h:02}:{minute:02}"));
        }
        if date.is_none()
            && let Some((d, m)) = word.split_once('/')
            && let (Ok(d), Ok(m)) = (d.parse::<u32>(), m.parse::<u32>())
            && (1..=31).contains(&d)
            && (1..=12).contains(&m)
        {
            date = Some(format!("{d}/{m}"));
        }
        if date.is_none()
            && matches!(word.as_str(), "el" | "dia" | "the")
            && let Some(next) = w.get(i + 1)
            && let Ok(d) = next.trim_end_matches("th").parse::<u32>()
            && (1..=31).contains(&d)
            && !w
                .get(i + 2)
                .is_some_and(|x| matches!(x.as_str(), "personas" | "people"))
        {
            date = Some(d.to_string());
        }
    }
    if time.is_none()
        && (has(w, &["mediodia", "noon"]) || (has(w, &["almuerzo", "lunch"]) && date.is_some()))
    {
        time = Some("13:00".to_owned());
    }
    (date, time)
}
