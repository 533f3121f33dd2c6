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
    /// The owner's weekly summary (`crate::owner_notices`), sent Monday 08:00 in Santiago.
    WeeklySummary {
        /// The owner's display name.
        name: String,
        /// The week's Monday (`YYYY-MM-DD`, a business date).
        from: String,
        /// Its Sunday.
        to: String,
        /// Each location's week.
        locations: Vec<LocationWeek>,
        /// The owners' dashboard.
        link: String,
    },
    /// An alert about one location (`crate::owner_notices`).
    Alert {
        /// The owner's display name.
        name: String,
        /// The location's name.
        location: String,
        /// What happened.
        alert: AlertKind,
        /// The owners' dashboard.
        link: String,
    },
    /// A change of where the tenant stands with its plan's payments (`crate::billing`'s
    /// sweep): a charge failed (grace), the grace ended (read-only), or it was paid
    /// again (restored). Always by email: it is about the account itself.
    BillingStanding {
        /// The owner's display name.
        name: String,
        /// What changed.
        change: BillingChange,
        /// The grace period's last day (`YYYY-MM-DD` in Santiago), for [`BillingChange::Grace`].
        #[serde(default)]
        until: Option<String>,
        /// The dashboard's Plan page.
        link: String,
    },
    /// A message to a diner about their order or booking (`crate::diner_messages`), the
    /// words already in the diner's language; every one carries the one-click opt-out
    /// link (also its `List-Unsubscribe` header, RFC 8058).
    DinerNotice {
        /// The restaurant's name (the subject names it).
        restaurant: String,
        /// Subject line.
        subject: String,
        /// Paragraphs.
        lines: Vec<String>,
        /// A button (the booking's cancel page), if any: label and address.
        #[serde(default)]
        action: Option<(String, String)>,
        /// The one-click opt-out page.
        unsubscribe: String,
    },
}

/// What changed in a [`MailKind::BillingStanding`] mail.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BillingChange {
    /// A charge failed: everything works until the grace period ends.
    Grace,
    /// Unpaid past the grace period (or the trial ended unpaid): cloud features pause.
    ReadOnly,
    /// Paid again: everything is back.
    Restored,
}

/// One location's week in the owner's summary.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct LocationWeek {
    /// The location's name.
    pub name: String,
    /// Sales of orders not cancelled, CLP with IVA.
    pub sales: i64,
    /// Orders not cancelled.
    pub orders: i64,
    /// Bookings marked as no-shows.
    pub no_shows: i64,
    /// Best sellers: name and units, best first.
    pub top_items: Vec<(String, i64)>,
}

/// What an alert to the owner is about.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AlertKind {
    /// No counter of the location has been online for over an hour of its opening hours.
    CounterOffline {
        /// Minutes since a counter was last seen.
        minutes: i64,
    },
    /// A counter's fiscal documents have not reached the provider (Bsale) for a while.
    FiscalStuck {
        /// The counter's name.
        counter: String,
        /// Documents waiting.
        pending: i64,
        /// Minutes the oldest has waited.
        minutes: i64,
    },
    /// A counter's tickets have not printed for a while.
    PrintStuck {
        /// The counter's name.
        counter: String,
        /// Tickets waiting.
        pending: i64,
        /// Minutes the oldest has waited.
        minutes: i64,
    },
}

impl MailKind {
    /// The outbox's `purpose` column (one unique key space per purpose).
    pub fn purpose(&self) -> &'static str {
        match self {
            MailKind::PasswordReset { .. } => "password_reset",
            MailKind::VerifyEmail { .. } => "verify_email",
            MailKind::WeeklySummary { .. } => "weekly_summary",
            MailKind::Alert { .. } => "owner_alert",
            MailKind::BillingStanding { .. } => "billing_standing",
            MailKind::DinerNotice { .. } => "diner_notice",
        }
    }

    /// The one-click opt-out address a mail of this kind carries, if any.
    pub fn unsubscribe(&self) -> Option<&str> {
        match self {
            MailKind::DinerNotice { unsubscribe, .. } => Some(unsubscribe),
            _ => None,
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
    /// The opt-out link at the foot, if any.
    pub unsubscribe: Option<Action>,
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
    /// The one-click opt-out address for the `List-Unsubscribe` header, if any.
    pub list_unsubscribe: Option<String>,
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
            unsubscribe: None,
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
            unsubscribe: None,
        },
        MailKind::WeeklySummary {
            name,
            from,
            to,
            locations,
            link,
        } => {
            let (from, to) = (long_date(from, lang), long_date(to, lang));
            let mut lines = vec![
                lang.pick(
                    &format!("Así les fue a tus locales la semana del {from} al {to}:"),
                    &format!("Here is how your locations did in the week from {from} to {to}:"),
                )
                .to_owned(),
            ];
            lines.extend(locations.iter().map(|l| location_line(l, lang)));
            Words {
                subject: lang
                    .pick(
                        &format!("Tu resumen semanal: {from} al {to}"),
                        &format!("Your weekly summary: {from} to {to}"),
                    )
                    .to_owned(),
                greeting: lang
                    .pick(&format!("Hola, {name}:"), &format!("Hi {name},"))
                    .to_owned(),
                lines,
                action: Some(Action {
                    label: t("Ver el panel", "Open the dashboard"),
                    url: link.clone(),
                }),
                link_hint,
                after: vec![t(
                    "Ventas con IVA de los pedidos no anulados. Puedes cambiar o apagar este correo en el panel, en Notificaciones.",
                    "Sales include IVA, for orders not cancelled. You can change or turn off this email in the dashboard, under Notifications.",
                )],
                signature,
                unsubscribe: None,
            }
        }
        MailKind::Alert {
            name,
            location,
            alert,
            link,
        } => {
            let (subject, line) = match alert {
                AlertKind::CounterOffline { minutes } => (
                    lang.pick(
                        &format!("Aviso: la caja de {location} está sin conexión"),
                        &format!("Alert: the counter at {location} is offline"),
                    )
                    .to_owned(),
                    lang.pick(
                        &format!("Ninguna caja de {location} se conecta a la nube hace {minutes} minutos, en horario de atención. Los pedidos y reservas en línea no llegan al local mientras tanto. Revisa que el equipo esté encendido y con internet."),
                        &format!("No counter at {location} has reached the cloud for {minutes} minutes, during opening hours. Online orders and bookings do not reach the location meanwhile. Check that the PC is on and online."),
                    )
                    .to_owned(),
                ),
                AlertKind::FiscalStuck {
                    counter,
                    pending,
                    minutes,
                } => (
                    lang.pick(
                        &format!("Aviso: boletas sin emitir en {location}"),
                        &format!("Alert: receipts not issued at {location}"),
                    )
                    .to_owned(),
                    lang.pick(
                        &format!("La caja «{counter}» de {location} tiene {pending} {} sin emitir; el más antiguo espera hace {minutes} minutos. Revisa en la caja, en «Boleta electrónica», la conexión con Bsale.", if *pending == 1 { "documento tributario" } else { "documentos tributarios" }),
                        &format!("The counter “{counter}” at {location} has {pending} tax {} not issued; the oldest has waited {minutes} minutes. At the counter, check the Bsale link under “Electronic receipts”.", if *pending == 1 { "document" } else { "documents" }),
                    )
                    .to_owned(),
                ),
                AlertKind::PrintStuck {
                    counter,
                    pending,
                    minutes,
                } => (
                    lang.pick(
                        &format!("Aviso: la impresora de {location} no imprime"),
                        &format!("Alert: the printer at {location} is not printing"),
                    )
                    .to_owned(),
                    lang.pick(
                        &format!("La caja «{counter}» de {location} tiene {pending} {} en cola; la más antigua espera hace {minutes} minutos, en horario de atención. Revisa que la impresora esté encendida, con papel y conectada.", if *pending == 1 { "comanda o boleta" } else { "comandas o boletas" }),
                        &format!("The counter “{counter}” at {location} has {pending} {} queued; the oldest has waited {minutes} minutes, during opening hours. Check that the printer is on, has paper and is connected.", if *pending == 1 { "ticket" } else { "tickets" }),
                    )
                    .to_owned(),
                ),
            };
            Words {
                subject,
                greeting: lang
                    .pick(&format!("Hola, {name}:"), &format!("Hi {name},"))
                    .to_owned(),
                lines: vec![line],
                action: Some(Action {
                    label: t("Ver el panel", "Open the dashboard"),
                    url: link.clone(),
                }),
                link_hint,
                after: vec![t(
                    "Te avisamos una vez por problema. Puedes cambiar o apagar estos avisos en el panel, en Notificaciones.",
                    "We tell you once per problem. You can change or turn off these alerts in the dashboard, under Notifications.",
                )],
                signature,
                unsubscribe: None,
            }
        }
        MailKind::BillingStanding {
            name,
            change,
            until,
            link,
        } => billing_words(name, *change, until.as_deref(), link, lang, link_hint, signature),
        MailKind::DinerNotice {
            restaurant,
            subject,
            lines,
            action,
            unsubscribe,
        } => Words {
            subject: subject.clone(),
            greeting: t("Hola:", "Hi,"),
            lines: lines.clone(),
            action: action.as_ref().map(|(label, url)| Action {
                label: label.clone(),
                url: url.clone(),
            }),
            link_hint,
            after: vec![
                lang.pick(
                    &format!("Recibes este correo porque aceptaste mensajes de {restaurant} al pedir o reservar (Ley 19.628)."),
                    &format!("You get this email because you accepted messages from {restaurant} when ordering or booking."),
                )
                .to_owned(),
            ],
            signature: format!("— {restaurant}"),
            unsubscribe: Some(Action {
                label: t(
                    "No quiero recibir más mensajes de este restaurante",
                    "I do not want more messages from this restaurant",
                ),
                url: unsubscribe.clone(),
            }),
        },
    }
}

/// The words of a [`MailKind::BillingStanding`] mail.
fn billing_words(
    name: &str,
    change: BillingChange,
    until: Option<&str>,
    link: &str,
    lang: Lang,
    link_hint: String,
    signature: String,
) -> Words {
    let t = |es: &str, en: &str| lang.pick(es, en).to_owned();
    let until = until.map(|d| long_date(d, lang));
    let (subject, lines, label) = match change {
        BillingChange::Grace => (
            t(
                "No pudimos cobrar tu plan de ChatBotDysa",
                "We could not charge your ChatBotDysa plan",
            ),
            vec![
                match &until {
                    Some(until) => lang
                        .pick(
                            &format!("Mercado Pago no pudo cobrar la mensualidad de tu plan. Todo sigue funcionando hasta el {until}; después, el panel quedará en modo solo lectura y se pausarán los pedidos, reservas y el chat en línea."),
                            &format!("Mercado Pago could not collect your plan's monthly charge. Everything keeps working until {until}; after that the dashboard turns read-only and online orders, bookings and chat pause."),
                        )
                        .to_owned(),
                    None => t(
                        "Mercado Pago no pudo cobrar la mensualidad de tu plan. Todo sigue funcionando por unos días; después, el panel quedará en modo solo lectura y se pausarán los pedidos, reservas y el chat en línea.",
                        "Mercado Pago could not collect your plan's monthly charge. Everything keeps working for a few days; after that the dashboard turns read-only and online orders, bookings and chat pause.",
                    ),
                },
                t(
                    "Revisa tu medio de pago en Plan. Tu mesón sigue vendiendo en cualquier caso.",
                    "Check your payment method under Plan. Your counter keeps selling either way.",
                ),
            ],
            t("Revisar mi plan", "Review my plan"),
        ),
        BillingChange::ReadOnly => (
            t(
                "Tu panel de ChatBotDysa quedó en modo solo lectura",
                "Your ChatBotDysa dashboard is now read-only",
            ),
            vec![
                t(
                    "Tu plan quedó sin un pago al día: el panel está en modo solo lectura y los pedidos, reservas y el chat en línea están pausados.",
                    "Your plan is not paid up: the dashboard is now read-only and online orders, bookings and chat are paused.",
                ),
                t(
                    "Tu mesón sigue vendiendo y sincronizando; no se pierde nada. Apenas pagues, todo vuelve a funcionar al instante.",
                    "Your counter keeps selling and syncing; nothing is lost. As soon as you pay, everything works again at once.",
                ),
            ],
            t("Pagar mi plan", "Pay my plan"),
        ),
        BillingChange::Restored => (
            t(
                "Tu plan de ChatBotDysa está al día",
                "Your ChatBotDysa plan is up to date",
            ),
            vec![t(
                "Recibimos el pago de tu plan. El panel, los pedidos, las reservas y el chat en línea funcionan otra vez con normalidad.",
                "We received your plan's payment. The dashboard, online orders, bookings and chat work normally again.",
            )],
            t("Ver mi plan", "See my plan"),
        ),
    };
    Words {
        subject,
        greeting: lang
            .pick(&format!("Hola, {name}:"), &format!("Hi {name},"))
            .to_owned(),
        lines,
        action: Some(Action {
            label,
            url: link.to_owned(),
        }),
        link_hint,
        after: vec![t(
            "Te escribimos una vez por cada cambio de tu plan.",
            "We write once for each change of your plan.",
        )],
        signature,
        unsubscribe: None,
    }
}

/// `2026-11-30` as `lunes 30 de noviembre de 2026` / `Monday 30 November 2026` (the text
/// itself when it is not a date).
fn long_date(text: &str, lang: Lang) -> String {
    let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") else {
        return text.to_owned();
    };
    use chrono::Datelike;
    const DAYS_ES: [&str; 7] = [
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ];
    const MONTHS_ES: [&str; 12] = [
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
    let weekday = date.weekday().num_days_from_monday() as usize;
    let month = date.month0() as usize;
    match lang {
        Lang::Es => format!(
            "{} {} de {} de {}",
            DAYS_ES[weekday],
            date.day(),
            MONTHS_ES[month],
            date.year()
        ),
        Lang::En => date.format("%A %-d %B %Y").to_string(),
    }
}

/// One location's paragraph of the summary.
fn location_line(week: &LocationWeek, lang: Lang) -> String {
    let sales = crate::site::clp(week.sales);
    let top: Vec<String> = week
        .top_items
        .iter()
        .map(|(name, units)| format!("{name} ({units})"))
        .collect();
    let (orders, no_shows) = (week.orders, week.no_shows);
    let name = &week.name;
    match lang {
        Lang::Es => {
            let mut line = format!(
                "{name}: ventas {sales} · {orders} {} · {no_shows} {} sin llegar",
                if orders == 1 { "pedido" } else { "pedidos" },
                if no_shows == 1 { "reserva" } else { "reservas" },
            );
            if top.is_empty() {
                line.push_str(". Sin ventas esta semana.");
            } else {
                line.push_str(&format!(". Lo más vendido: {}.", top.join(", ")));
            }
            line
        }
        Lang::En => {
            let mut line = format!(
                "{name}: sales {sales} · {orders} {} · {no_shows} {}",
                if orders == 1 { "order" } else { "orders" },
                if no_shows == 1 { "no-show" } else { "no-shows" },
            );
            if top.is_empty() {
                line.push_str(". No sales this week.");
            } else {
                line.push_str(&format!(". Best sellers: {}.", top.join(", ")));
            }
            line
        }
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
        list_unsubscribe: kind.unsubscribe().map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_billing_mails_speak_each_language_and_lead_to_the_plan_page() {
        let link = "https://cloud.test/dashboard/plan";
        let mail = |change, until: Option<&str>, lang| {
            render(
                &MailKind::BillingStanding {
                    name: "Ana".into(),
                    change,
                    until: until.map(str::to_owned),
                    link: link.into(),
                },
                lang,
            )
            .expect("renders")
        };
        let grace = mail(BillingChange::Grace, Some("2026-12-14"), Lang::Es);
        assert_eq!(grace.subject, "No pudimos cobrar tu plan de ChatBotDysa");
        assert!(
            grace
                .text
                .contains("hasta el lunes 14 de diciembre de 2026"),
            "{}",
            grace.text
        );
        assert!(grace.text.contains(link) && grace.html.contains(link));
        assert!(grace.html.contains("Revisar mi plan"));
        let read_only = mail(BillingChange::ReadOnly, None, Lang::Es);
        assert!(read_only.text.contains("modo solo lectura"));
        assert!(read_only.text.contains("Tu mesón sigue vendiendo"));
        let restored = mail(BillingChange::Restored, None, Lang::En);
        assert_eq!(restored.subject, "Your ChatBotDysa plan is up to date");
        assert!(restored.text.contains("Hi Ana,"));
        assert!(!restored.text.contains("plan está"));
        let grace_en = mail(BillingChange::Grace, Some("2026-12-14"), Lang::En);
        assert!(
            grace_en.text.contains("until Monday 14 December 2026"),
            "{}",
            grace_en.text
        );
        assert_eq!(
            MailKind::BillingStanding {
                name: String::new(),
                change: BillingChange::Grace,
                until: None,
                link: String::new()
            }
            .purpose(),
            "billing_standing"
        );
    }

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

    #[test]
    fn the_weekly_summary_speaks_each_language_with_chilean_pesos() {
        let kind = MailKind::WeeklySummary {
            name: "Ana".into(),
            from: "2026-11-30".into(),
            to: "2026-12-06".into(),
            locations: vec![LocationWeek {
                name: "Donde Ana Centro".into(),
                sales: 1_234_990,
                orders: 120,
                no_shows: 1,
                top_items: vec![("Completo".into(), 40), ("Café".into(), 20)],
            }],
            link: "https://cloud.test/dashboard".into(),
        };
        let es = render(&kind, Lang::Es).expect("es");
        assert!(
            es.subject.contains("lunes 30 de noviembre de 2026"),
            "{}",
            es.subject
        );
        assert!(
            es.text
                .contains("ventas $1.234.990 · 120 pedidos · 1 reserva sin llegar"),
            "{}",
            es.text
        );
        assert!(
            es.text
                .contains("Lo más vendido: Completo (40), Café (20)."),
            "{}",
            es.text
        );
        assert!(es.html.contains("$1.234.990"));
        let en = render(&kind, Lang::En).expect("en");
        assert!(
            en.subject.contains("Monday 30 November 2026"),
            "{}",
            en.subject
        );
        assert!(
            en.text
                .contains("sales $1.234.990 · 120 orders · 1 no-show"),
            "{}",
            en.text
        );
        assert!(!en.text.contains("ventas"));
    }
}
