//! What each mail says, in Spanish (es-CL) and English, rendered to HTML and plain text
//! through the same askama templates (`templates/mail/`): the words live here, the
//! layout there, so every kind of mail looks alike and both parts always agree.

use askama::Template;
use dysa_domain::validate::Lang;
use serde::{Deserialize, Serialize};

/// A kind of mail with what its template needs; stored as the outbox row's `params`, so
/// the text is rendered when it is sent (in the language chosen when it was queued).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MailKind {
    /// The one-time link that sets a new password.
    PasswordReset {
        /// The account's display name.
        name: String,
        /// The reset page with the token.
        link: String,
    },
    /// The link that confirms the account's email address.
    VerifyEmail {
        /// The account's display name.
        name: String,
        /// The verification page with the token.
        link: String,
    },
}

impl MailKind {
    /// The outbox's `purpose` column (one unique key space per purpose).
    pub fn purpose(&self) -> &'static str {
        match self {
            MailKind::PasswordReset { .. } => "password_reset",
            MailKind::VerifyEmail { .. } => "verify_email",
        }
    }
}

/// A button and the address it opens.
#[derive(Clone, Debug)]
pub struct Action {
    /// The button's text.
    pub label: String,
    /// Where it goes.
    pub url: String,
}

/// The words of one mail in one language.
#[derive(Clone, Debug)]
pub struct Words {
    /// Subject line.
    pub subject: String,
    /// First line.
    pub greeting: String,
    /// Paragraphs before the button.
    pub lines: Vec<String>,
    /// The button, if any.
    pub action: Option<Action>,
    /// "If the button does not work…", shown with the bare link.
    pub link_hint: String,
    /// Paragraphs after the button.
    pub after: Vec<String>,
    /// Sign-off.
    pub signature: String,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlMail<'a> {
    lang: &'a str,
    words: &'a Words,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct TextMail<'a> {
    words: &'a Words,
}

/// A mail ready for a transport.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// Subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
}

/// The words of `kind` in `lang`.
pub fn words(kind: &MailKind, lang: Lang) -> Words {
    let t = |es: &str, en: &str| lang.pick(es, en).to_owned();
    let signature = t("— El equipo de ChatBotDysa", "— The ChatBotDysa team");
    let link_hint = t(
        "Si el botón no funciona, copia este enlace en tu navegador:",
        "If the button does not work, paste this link into your browser:",
    );
    match kind {
        MailKind::PasswordReset { name, link } => Words {
            subject: t(
                "Restablece tu contraseña de ChatBotDysa",
                "Reset your ChatBotDysa password",
            ),
            greeting: lang
                .pick(&format!("Hola, {name}:"), &format!("Hi {name},"))
                .to_owned(),
            lines: vec![t(
                "Recibimos una solicitud para restablecer la contraseña de tu cuenta. Usa este enlace dentro de 30 minutos; sirve una sola vez.",
                "We received a request to reset your account's password. Use this link within 30 minutes; it works once.",
            )],
            action: Some(Action {
                label: t("Elegir una contraseña nueva", "Choose a new password"),
                url: link.clone(),
            }),
            link_hint,
            after: vec![t(
                "Si no lo pediste tú, ignora este correo: tu contraseña no cambia. Al usar el enlace se cierran todas las sesiones abiertas de tu cuenta.",
                "If you did not ask for this, ignore this email: your password stays as it is. Using the link signs out every open session of your account.",
            )],
            signature,
        },
        MailKind::VerifyEmail { name, link } => Words {
            subject: t(
                "Confirma tu correo en ChatBotDysa",
                "Confirm your email for ChatBotDysa",
            ),
            greeting: lang
                .pick(&format!("Hola, {name}:"), &format!("Hi {name},"))
                .to_owned(),
            lines: vec![t(
                "Confirma que este correo es tuyo para que podamos enviarte avisos de tu restaurante y ayudarte a recuperar tu cuenta.",
                "Confirm this email is yours so we can send you your restaurant's alerts and help you recover your account.",
            )],
            action: Some(Action {
                label: t("Confirmar mi correo", "Confirm my email"),
                url: link.clone(),
            }),
            link_hint,
            after: vec![t(
                "El enlace vence en 7 días. Si no creaste una cuenta, ignora este correo.",
                "The link expires in 7 days. If you did not create an account, ignore this email.",
            )],
            signature,
        },
    }
}

/// Renders `kind` in `lang` to its subject, text and HTML.
pub fn render(kind: &MailKind, lang: Lang) -> Result<Rendered, askama::Error> {
    let words = words(kind, lang);
    let code = match lang {
        Lang::Es => "es-CL",
        Lang::En => "en",
    };
    let html = HtmlMail {
        lang: code,
        words: &words,
    }
    .render()?;
    let text = TextMail { words: &words }.render()?;
    Ok(Rendered {
        subject: words.subject,
        text,
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_render_both_parts_with_the_link_escaped_only_in_html() {
        let kind = MailKind::PasswordReset {
            name: "Ana <Pérez>".into(),
            link: "https://cloud.test/dashboard/reset?token=abc&x=1".into(),
        };
        let es = render(&kind, Lang::Es).expect("es");
        assert!(es.subject.contains("Restablece"));
        assert!(es.text.contains("Hola, Ana <Pérez>:"));
        assert!(
            es.text
                .contains("https://cloud.test/dashboard/reset?token=abc&x=1")
        );
        assert!(es.html.contains("Ana &#60;Pérez&#62;") || es.html.contains("Ana &lt;Pérez&gt;"));
        assert!(es.html.contains("lang=\"es-CL\""));
        let en = render(&kind, Lang::En).expect("en");
        assert!(en.subject.contains("Reset your"));
        assert!(en.text.contains("works once"));
        assert!(!en.text.contains("contraseña"));
    }
}
