//! Text helpers for understanding diners: accent and case folding, tokens, plurals,
//! Spanish and English number words, edit distance and language detection.

use crate::validate::Lang;

/// Lower-cases and folds Spanish accents (á é í ó ú ü ñ → a e i o u u n); every
/// character that is not a letter or a digit becomes a space, except `:` between digits
/// (`20:30`) and `'` (`pa'`).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let lower = c.to_lowercase().next().unwrap_or(*c);
        let folded = match lower {
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            '’' | '\'' => '\'',
            c if c.is_alphanumeric() => c,
            ':' | '.'
                if i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit) =>
            {
                ':'
            }
            _ => ' ',
        };
        out.push(folded);
    }
    out
}

/// The folded words of a text (`pa'` becomes `para`, other apostrophes are dropped).
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split_whitespace()
        .map(|w| match w {
            "pa'" | "pa" => "para".to_owned(),
            other => other.trim_matches('\'').replace('\'', ""),
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// A crude singular for matching (both sides go through it): `churrascos` → `churrasco`,
/// `calzones` → `calzon`, `catedrales` → `catedral`, `waters` → `water`.
pub fn stem(word: &str) -> String {
    if word.len() <= 3 || word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_owned();
    }
    if let Some(base) = word.strip_suffix("ces") {
        return format!("{base}z");
    }
    let base = match word.strip_suffix('s') {
        Some(base) if !base.ends_with('s') && !base.ends_with('u') => base,
        _ => word,
    };
    // "calzones"/"calzon", "pebres"/"pebre", "grandes"/"grande" meet at one form.
    match base.strip_suffix('e') {
        Some(inner) if inner.len() >= 3 && inner.ends_with(['l', 'n', 'r', 'd']) => {
            inner.to_owned()
        }
        _ => base.to_owned(),
    }
}

/// Words that carry no meaning for matching names.
pub fn is_stopword(word: &str) -> bool {
    matches!(
        word,
        "de" | "del"
            | "la"
            | "el"
            | "los"
            | "las"
            | "a"
            | "al"
            | "lo"
            | "en"
            | "of"
            | "the"
            | "with"
            | "por"
            | "favor"
            | "porfa"
            | "please"
            | "pls"
            | "mi"
            | "me"
            | "my"
            | "for"
            | "y"
            | "and"
            | "e"
    )
}

/// A quantity word or number at `words[i]`: returns the quantity and how many words it
/// takes (`a couple of` is three). Digits up to 999 count; `x2` counts.
pub fn quantity_at(words: &[String], i: usize) -> Option<(u32, usize)> {
    let word = words.get(i)?.as_str();
    let next = words.get(i + 1).map(String::as_str);
    let after = words.get(i + 2).map(String::as_str);
    match (word, next, after) {
        ("a", Some("couple"), Some("of")) => return Some((2, 3)),
        ("a", Some("couple"), _) => return Some((2, 2)),
        ("un", Some("par"), Some("de")) => return Some((2, 3)),
        ("un", Some("par"), _) => return Some((2, 2)),
        ("media", Some("docena"), Some("de")) => return Some((6, 3)),
        ("una", Some("docena"), Some("de")) => return Some((12, 3)),
        ("a", Some("dozen"), _) => return Some((12, 2)),
        _ => {}
    }
    if let Some(n) = word.strip_prefix('x').and_then(|d| d.parse::<u32>().ok()) {
        return (1..=999).contains(&n).then_some((n, 1));
    }
    if let Ok(n) = word.parse::<u32>() {
        return (1..=999).contains(&n).then_some((n, 1));
    }
    let n = match word {
        "un" | "una" | "uno" | "one" | "an" | "unito" | "unita" => 1,
        "dos" | "two" | "par" => 2,
        "tres" | "three" => 3,
        "cuatro" | "four" => 4,
        "cinco" | "five" => 5,
        "seis" | "six" => 6,
        "siete" | "seven" => 7,
        "ocho" | "eight" => 8,
        "nueve" | "nine" => 9,
        "diez" | "ten" => 10,
        "once" | "eleven" => 11,
        "doce" | "twelve" => 12,
        "quince" | "fifteen" => 15,
        "veinte" | "twenty" => 20,
        _ => return None,
    };
    Some((n, 1))
}

/// Levenshtein distance over characters, giving up (returning `limit + 1`) once the
/// distance must exceed `limit`.
pub fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        let mut row_min = current[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            current[j + 1] = (previous[j + 1] + 1)
                .min(current[j] + 1)
                .min(previous[j] + cost);
            row_min = row_min.min(current[j + 1]);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Whether two stemmed words are the same word, allowing typos in longer words (one edit
/// from 5 letters, two from 8).
pub fn similar(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let len = a.chars().count().min(b.chars().count());
    let limit = match len {
        0..=4 => return false,
        5..=7 => 1,
        _ => 2,
    };
    // Typos rarely change the first letter; requiring it keeps "pollo" from "pisco".
    a.chars().next() == b.chars().next() && edit_distance(a, b, limit) <= limit
}

const SPANISH: &[&str] = &[
    "quiero", "dame", "para", "por", "favor", "una", "uno", "dos", "tres", "con", "sin", "que",
    "mesa", "hola", "gracias", "pedido", "reserva", "hoy", "manana", "cuanto", "tienen", "hay",
    "si", "llevar", "agrega", "quita", "confirmo", "personas", "noche", "buenas", "buenos", "me",
    "de", "el", "la", "los", "las", "y", "es", "horario", "abren", "cierran", "porfa", "dale",
    "ya", "pa", "nada", "cancela", "mas", "tambien", "pero", "mejor", "vale", "cuesta",
];
const ENGLISH: &[&str] = &[
    "i", "want", "would", "like", "please", "the", "and", "with", "without", "a", "an", "two",
    "three", "table", "for", "people", "tonight", "tomorrow", "today", "hello", "hi", "thanks",
    "thank", "you", "order", "book", "how", "much", "what", "do", "have", "is", "open", "can",
    "get", "me", "my", "yes", "cancel", "remove", "add", "of", "to", "it", "one", "that", "all",
    "some", "are", "your", "we", "at", "pm", "am",
];

/// The language a message is written in, when the words say so clearly (`None` for "ok"
/// or a bare item name).
pub fn detect_language(text: &str) -> Option<Lang> {
    let words = words(text);
    let es = words
        .iter()
        .filter(|w| SPANISH.contains(&w.as_str()))
        .count();
    let en = words
        .iter()
        .filter(|w| ENGLISH.contains(&w.as_str()))
        .count();
    if es > en {
        Some(Lang::Es)
    } else if en > es {
        Some(Lang::En)
    } else {
        None
    }
}

/// A day as a diner says it: "sábado 12 de diciembre", "Saturday 12 December" (never
/// the ISO form the code stores).
pub fn spoken_date(date: jiff::civil::Date, lang: Lang) -> String {
    use jiff::civil::Weekday;
    let weekday = date.weekday();
    let (es_day, en_day) = match weekday {
        Weekday::Monday => ("lunes", "Monday"),
        Weekday::Tuesday => ("martes", "Tuesday"),
        Weekday::Wednesday => ("miércoles", "Wednesday"),
        Weekday::Thursday => ("jueves", "Thursday"),
        Weekday::Friday => ("viernes", "Friday"),
        Weekday::Saturday => ("sábado", "Saturday"),
        Weekday::Sunday => ("domingo", "Sunday"),
    };
    const ES: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = usize::try_from(date.month() - 1).unwrap_or(0).min(11);
    match lang {
        Lang::Es => format!("{es_day} {} de {}", date.day(), ES[month]),
        Lang::En => format!("{en_day} {} {}", date.day(), EN[month]),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_are_spoken_not_iso() {
        let day = jiff::civil::date(2026, 12, 12);
        assert_eq!(spoken_date(day, Lang::Es), "sábado 12 de diciembre");
        assert_eq!(spoken_date(day, Lang::En), "Saturday 12 December");
        let day = jiff::civil::date(2027, 1, 6);
        assert_eq!(spoken_date(day, Lang::Es), "miércoles 6 de enero");
    }

    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Charquicán ÑANDÚ"), "charquican nandu");
        assert_eq!(
            words("¡Quiero 2 pa' llevar!"),
            ["quiero", "2", "para", "llevar"]
        );
        assert_eq!(words("a las 20:30."), ["a", "las", "20:30"]);
    }

    #[test]
    fn stems_plurals() {
        assert_eq!(stem("churrascos"), "churrasco");
        assert_eq!(stem("calzones"), "calzon");
        assert_eq!(stem("catedrales"), "catedral");
        assert_eq!(stem("leches"), "leche");
        assert_eq!(stem("pebres"), stem("pebre"));
        assert_eq!(stem("humitas"), stem("humita"));
    }

    #[test]
    fn numbers_and_distance() {
        let w = words("a couple of pies");
        assert_eq!(quantity_at(&w, 0), Some((2, 3)));
        assert_eq!(quantity_at(&words("dos"), 0), Some((2, 1)));
        assert_eq!(edit_distance("completa", "completo", 2), 1);
        assert!(similar("chorillana", "chorrillana"));
        assert!(!similar("pollo", "pisco"));
    }

    #[test]
    fn detects_language() {
        assert_eq!(detect_language("quiero dos humitas"), Some(Lang::Es));
        assert_eq!(
            detect_language("I would like two humitas please"),
            Some(Lang::En)
        );
        assert_eq!(detect_language("ok"), None);
    }
}
