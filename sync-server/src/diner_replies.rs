//! What a diner's short answer to one of our messages means, the same for SMS and
//! WhatsApp: a request to stop being written to (Chile's Ley 19.628 gives the holder of
//! the data the right to object to its use; Twilio's own default opt-out keywords are
//! STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT and REVOKE,
//! <https://help.twilio.com/articles/223134027>), to start again, or a yes/no to a
//! booking reminder. Anything else is a message for the assistant.

/// A diner's answer, classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DinerReply {
    /// STOP, BAJA, PARAR…: write no more.
    OptOut,
    /// START, ALTA…: write again.
    OptIn,
    /// SI: confirm the booking.
    Yes,
    /// NO: cancel the booking.
    No,
    /// Anything else.
    Other,
}

const OPT_OUT: &[&str] = &[
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "OPTOUT",
    "REVOKE",
    "BAJA",
    "PARAR",
    "DETENER",
    "DESUSCRIBIR",
];
const OPT_IN: &[&str] = &["START", "UNSTOP", "ALTA"];
const YES: &[&str] = &["SI", "S", "YES", "Y", "CONFIRMO", "CONFIRMAR", "OK"];
const NO: &[&str] = &["NO", "N", "ANULAR"];

/// Classifies `text`: one keyword, case and accents aside (`Sí`, `si!`, ` baja `).
pub fn classify(text: &str) -> DinerReply {
    let word: String = text
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c == '¡' || c == '¿')
        .chars()
        .map(|c| match c {
            'á' | 'Á' => 'A',
            'é' | 'É' => 'E',
            'í' | 'Í' => 'I',
            'ó' | 'Ó' => 'O',
            'ú' | 'Ú' | 'ü' | 'Ü' => 'U',
            other => other.to_ascii_uppercase(),
        })
        .collect();
    let is = |list: &[&str]| list.contains(&word.as_str());
    if is(OPT_OUT) {
        DinerReply::OptOut
    } else if is(OPT_IN) {
        DinerReply::OptIn
    } else if is(YES) {
        DinerReply::Yes
    } else if is(NO) {
        DinerReply::No
    } else {
        DinerReply::Other
    }
}

/// What the diner reads after opting out, in `lang`.
pub fn opted_out_text(lang: &str) -> &'static str {
    if lang == "en" {
        "Done: we won't send you any more messages. Reply START to receive them again."
    } else {
        "Listo: no te enviaremos más mensajes. Responde ALTA para volver a recibirlos."
    }
}

/// What the diner reads after opting in again, in `lang`.
pub fn opted_in_text(lang: &str) -> &'static str {
    if lang == "en" {
        "Done: you will receive our messages again. Reply STOP to stop them."
    } else {
        "Listo: volverás a recibir nuestros mensajes. Responde BAJA para dejar de recibirlos."
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_in_either_language_case_and_accents_aside() {
        for stop in ["STOP", "stop", " Baja ", "PARAR", "parar.", "Detener!"] {
            assert_eq!(classify(stop), DinerReply::OptOut, "{stop}");
        }
        for start in ["START", "alta"] {
            assert_eq!(classify(start), DinerReply::OptIn, "{start}");
        }
        for yes in ["SI", "Sí", "sí!", "si", "YES", "¡Sí!"] {
            assert_eq!(classify(yes), DinerReply::Yes, "{yes}");
        }
        for no in ["NO", "no", "No."] {
            assert_eq!(classify(no), DinerReply::No, "{no}");
        }
        // A sentence is for the assistant, even one with a keyword in it.
        for other in ["no puedo ir", "stop the order please", "dos completos", ""] {
            assert_eq!(classify(other), DinerReply::Other, "{other}");
        }
    }
}
