//! Every WhatsApp message the cloud sends goes through a durable outbox
//! (`whatsapp_outbox`, migration 0033), like the mail outbox: it is queued in the
//! transaction of what it tells about, so it is neither lost when the Graph API is down
//! nor sent for something rolled back; a worker sends due rows, retries failures that may
//! pass later with exponential back-off, and never sends a row twice (claimed `sending`
//! and committed before it leaves; one found still `sending` after its lease becomes
//! `uncertain`). Its `dedupe_key` makes the message itself unique: an order's status
//! message is keyed by order and step, so sync replaying a status queues nothing new.
//!
//! Which Meta errors may pass later follows the Cloud API's error codes,
//! <https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes>:
//! throttling (4, 80007, 130429, 131056), "temporarily unavailable" (2, 131016) and the
//! unknown 1 and 131000, besides any 5xx or 429 answer and no answer at all.

use super::graph::{Graph, GraphError, Outgoing};
use crate::mail::outbox::backoff;
use crate::store::whatsapp::{self as store, Claimed, NewOutgoing, Settled};
use crate::store::{Db, StoreResult, Tx};
use chrono::{DateTime, Utc};
use dysa_domain::ids::{LocationId, TenantId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Tries before a message that keeps failing is given up (about two hours of back-off,
/// the mail outbox's schedule).
pub const MAX_ATTEMPTS: i32 = crate::mail::outbox::MAX_ATTEMPTS;
/// How long a sender may hold a claimed row before it counts as dead (the Graph client
/// gives up after 15 s).
pub const LEASE_SECS: i64 = 2 * 60;
/// Rows claimed per pass.
const BATCH: i64 = 20;
/// Passes per tenant and round: a diner's next message waits for the one before, so a
/// second pass sends it in the same round.
const PASSES: usize = 5;

/// What a row says, rendered when it leaves (`params` of the row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    /// Words written already: the assistant's reply, or staff's.
    Text {
        /// The words.
        text: String,
    },
    /// A notice the restaurant sends on its own (a booking's confirmation or reminder):
    /// like an order's status, withheld from a diner who opted out.
    Notice {
        /// The words.
        text: String,
    },
    /// An order's status at the counter (queued by migration 0033's trigger).
    OrderStatus {
        /// What happened.
        step: Step,
        /// The day's order number the diner says at the counter.
        #[serde(default)]
        number: Option<i64>,
        /// Why it was rejected, as the counter wrote it.
        #[serde(default)]
        reason: Option<String>,
    },
    /// A WhatsApp booking's answer (queued by migration 0037's trigger).
    BookingStatus {
        /// What happened.
        step: BookingStep,
        /// The day, in the restaurant's time zone (`YYYY-MM-DD`).
        #[serde(default)]
        date: Option<String>,
        /// The start, wall-clock in the restaurant's time zone (`HH:MM`).
        #[serde(default)]
        time: Option<String>,
        /// How many people.
        #[serde(default)]
        party_size: Option<i64>,
        /// Why it was declined or cancelled, as the counter wrote it.
        #[serde(default)]
        reason: Option<String>,
    },
}

/// The steps of a WhatsApp booking a diner hears about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStep {
    /// Confirmada: the counter seated it, or the cloud confirmed it while it was offline.
    Confirmed,
    /// Rechazada: the counter declined the pending booking (no table fits).
    Declined,
    /// Cancelada afterwards, by the restaurant.
    Cancelled,
}

/// The steps of an order a diner hears about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Aceptado (`confirmed`, or straight to `preparing`).
    Accepted,
    /// Listo.
    Ready,
    /// Rechazado or cancelled.
    Rejected,
}

impl Message {
    /// The words the diner reads, in `lang` (`es` for es-CL, `en`).
    pub fn render(&self, lang: &str) -> String {
        let en = lang == "en";
        match self {
            Message::Text { text } | Message::Notice { text } => text.clone(),
            Message::OrderStatus {
                step,
                number,
                reason,
            } => {
                let order = match (number, en) {
                    (Some(n), false) => format!("tu pedido N° {n}"),
                    (Some(n), true) => format!("your order no. {n}"),
                    (None, false) => "tu pedido".to_owned(),
                    (None, true) => "your order".to_owned(),
                };
                let reason = reason
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(|r| r.chars().take(300).collect::<String>());
                match (step, en) {
                    (Step::Accepted, false) => format!(
                        "¡El restaurante aceptó {order}! Ya lo estamos preparando; te avisamos por aquí cuando esté listo."
                    ),
                    (Step::Accepted, true) => format!(
                        "The restaurant accepted {order}! We're preparing it and will tell you here when it's ready."
                    ),
                    (Step::Ready, false) => {
                        format!(
                            "¡{} está listo! Te esperamos para retirarlo.",
                            capital(&order)
                        )
                    }
                    (Step::Ready, true) => {
                        format!("{} is ready! See you at the counter.", capital(&order))
                    }
                    (Step::Rejected, false) => match reason {
                        Some(reason) => format!(
                            "Lo sentimos: el restaurante no pudo aceptar {order}. Motivo: {reason}"
                        ),
                        None => format!("Lo sentimos: el restaurante no pudo aceptar {order}."),
                    },
                    (Step::Rejected, true) => match reason {
                        Some(reason) => format!(
                            "Sorry: the restaurant could not take {order}. Reason: {reason}"
                        ),
                        None => format!("Sorry: the restaurant could not take {order}."),
                    },
                }
            }
            Message::BookingStatus {
                step,
                date,
                time,
                party_size,
                reason,
            } => render_booking(
                *step,
                date.as_deref(),
                time.as_deref(),
                *party_size,
                reason.as_deref(),
                en,
            ),
        }
    }
}

/// A booking's answer: "for 4 on Friday 12 December at 20:00" from the row's fields, each
/// left out when missing.
fn render_booking(
    step: BookingStep,
    date: Option<&str>,
    time: Option<&str>,
    party_size: Option<i64>,
    reason: Option<&str>,
    en: bool,
) -> String {
    let lang = if en {
        dysa_domain::validate::Lang::En
    } else {
        dysa_domain::validate::Lang::Es
    };
    let mut when = String::new();
    if let Some(n) = party_size {
        when.push_str(&if en {
            format!(" for {n}")
        } else {
            format!(" para {n}")
        });
    }
    if let Some(day) = date.and_then(|d| d.parse::<jiff::civil::Date>().ok()) {
        let spoken = dysa_domain::assistant::text::spoken_date(day, lang);
        when.push_str(&if en {
            format!(" on {spoken}")
        } else {
            format!(" el {spoken}")
        });
    }
    if let Some(time) = time.filter(|t| !t.is_empty()) {
        when.push_str(&if en {
            format!(" at {time}")
        } else {
            format!(" a las {time}")
        });
    }
    let reason = reason
        .map(|r| r.trim().trim_end_matches('.'))
        .filter(|r| !r.is_empty())
        .map(|r| r.chars().take(300).collect::<String>());
    let because = |es: &str, english: &str| match (&reason, en) {
        (Some(r), false) => format!(" {es}: {r}."),
        (Some(r), true) => format!(" {english}: {r}."),
        (None, _) => String::new(),
    };
    match (step, en) {
        (BookingStep::Confirmed, false) => {
            format!("¡Tu reserva está confirmada! Mesa{when}. Te esperamos.")
        }
        (BookingStep::Confirmed, true) => {
            format!("Your booking is confirmed! A table{when}. See you then.")
        }
        (BookingStep::Declined, false) => format!(
            "Lo sentimos: el restaurante no pudo confirmar tu reserva{when}.{} ¿Probamos otro horario?",
            because("Motivo", "Reason")
        ),
        (BookingStep::Declined, true) => format!(
            "Sorry: the restaurant could not confirm your booking{when}.{} Shall we try another time?",
            because("Motivo", "Reason")
        ),
        (BookingStep::Cancelled, false) => format!(
            "Tu reserva{when} fue cancelada por el restaurante.{}",
            because("Motivo", "Reason")
        ),
        (BookingStep::Cancelled, true) => format!(
            "Your booking{when} was cancelled by the restaurant.{}",
            because("Motivo", "Reason")
        ),
    }
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Queues `message` to diner `wa_id` of `location` in the caller's transaction (wake
/// the worker or [`Outbox::run_tenant`] after the commit); `false` when `dedupe_key` was
/// queued before.
pub async fn enqueue(
    tx: &mut Tx,
    keys: &crate::pii::TenantKeys,
    location: LocationId,
    wa_id: &str,
    dedupe_key: &str,
    lang: &str,
    message: &Message,
) -> StoreResult<bool> {
    let queued = store::enqueue(
        tx,
        keys,
        &NewOutgoing {
            location,
            wa_id,
            dedupe_key,
            lang: if lang == "en" { "en" } else { "es" },
            params: serde_json::to_value(message).unwrap_or_default(),
        },
    )
    .await?;
    Ok(queued.is_some())
}

/// Whether a refusal may pass if tried again later.
pub fn may_pass_later(error: &GraphError) -> bool {
    match error {
        GraphError::Unreachable(_) => true,
        GraphError::Refused { status, code, .. } => {
            *status >= 500
                || *status == 429
                || matches!(
                    code,
                    1 | 2 | 4 | 80_007 | 130_429 | 131_000 | 131_016 | 131_056
                )
        }
    }
}

/// What one round did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Taken by Meta.
    pub sent: usize,
    /// Failed this time, tried again later.
    pub retried: usize,
    /// Given up.
    pub failed: usize,
    /// Stale `sending` rows turned `uncertain`.
    pub abandoned: u64,
}

impl Round {
    fn add(&mut self, other: &Round) {
        self.sent += other.sent;
        self.retried += other.retried;
        self.failed += other.failed;
        self.abandoned += other.abandoned;
    }
}

/// Sends the outbox through the Graph API; cheap to clone.
#[derive(Clone, Debug)]
pub struct Outbox {
    db: Db,
    graph: Graph,
    vault: crate::pii::Vault,
    wake: Arc<Notify>,
}

impl Outbox {
    /// An outbox over `db` sending through `graph`; `vault` opens the tenants' lookup
    /// keys, to honour diners' opt-outs.
    pub fn new(db: Db, graph: Graph, vault: crate::pii::Vault) -> Outbox {
        Outbox {
            db,
            graph,
            vault,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Tells the worker there may be something to send (a push that moved orders).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs rounds for as long as the process lives: on [`Outbox::wake`] and every
    /// `every` (retries fall due with time). A zero `every` starts nothing (tests drive
    /// [`Outbox::run_once`] themselves).
    pub fn spawn(&self, every: Duration) {
        let outbox = self.clone();
        crate::worker::spawn_rounds("WhatsApp", Arc::clone(&self.wake), every, move |now| {
            let outbox = outbox.clone();
            async move { outbox.run_once(now).await }
        });
    }

    /// One round over every tenant with something due as of `now`.
    pub async fn run_once(&self, now: DateTime<Utc>) -> StoreResult<Round> {
        let mut round = Round::default();
        for tenant in store::outbox_tenants(&self.db, now).await? {
            round.add(&self.run_tenant(tenant, now).await?);
        }
        Ok(round)
    }

    /// Sends what is due for `tenant` as of `now` (called right after queuing a reply, so
    /// the diner is not kept waiting for the worker).
    pub async fn run_tenant(&self, tenant: TenantId, now: DateTime<Utc>) -> StoreResult<Round> {
        let mut round = Round::default();
        for _ in 0..PASSES {
            let mut tx = self.db.tenant_tx(tenant).await?;
            round.abandoned += store::abandon_stale(&mut tx, now).await?;
            let keys = self.vault.keys(&mut tx).await?;
            let claimed = store::claim(
                &mut tx,
                &keys,
                now,
                chrono::Duration::seconds(LEASE_SECS),
                BATCH,
            )
            .await?;
            // Committed before anything leaves: a crash from here on leaves the rows
            // `sending`, which a later round turns `uncertain`, never sends again.
            tx.commit().await?;
            if claimed.is_empty() {
                break;
            }
            let sent_before = round.sent;
            for row in claimed {
                self.deliver(tenant, &row, now, &mut round).await?;
            }
            if round.sent == sent_before {
                break;
            }
        }
        Ok(round)
    }

    async fn deliver(
        &self,
        tenant: TenantId,
        row: &Claimed,
        now: DateTime<Utc>,
        round: &mut Round,
    ) -> StoreResult<()> {
        let mut tx = self.db.tenant_tx(tenant).await?;
        let keys = self.vault.keys(&mut tx).await?;
        let link = store::link_of_location(&mut tx, row.location_id)
            .await?
            // A number that does not open (its tenant's key destroyed) reaches no one.
            .filter(|_| !row.wa_id.is_empty());
        let contact = store::contact(&mut tx, &keys, row.location_id, &row.wa_id).await?;
        let message = serde_json::from_value::<Message>(row.params.clone());
        // A diner who wrote BAJA gets no more notices (order statuses, reminders);
        // answers to what they write themselves still go.
        if matches!(
            message,
            Ok(Message::OrderStatus { .. } | Message::Notice { .. })
        ) {
            let hash = keys.phone_hash(&format!("+{}", row.wa_id));
            if let Some(hash) = hash
                && crate::store::sms::opted_out(&mut tx, "phone", &hash).await?
            {
                round.failed += 1;
                store::settle(
                    &mut tx,
                    row.id,
                    &Settled::Failed("the diner opted out (Ley 19.628)"),
                )
                .await?;
                return tx.commit().await.map_err(Into::into);
            }
        }
        tx.commit().await?;
        let (Some(link), Ok(message)) = (link, message) else {
            round.failed += 1;
            let mut tx = self.db.tenant_tx(tenant).await?;
            store::settle(
                &mut tx,
                row.id,
                &Settled::Failed("the number is no longer linked, or the message unreadable"),
            )
            .await?;
            return tx.commit().await.map_err(Into::into);
        };
        let outgoing = Outgoing::for_window(
            &message.render(&row.lang),
            contact.map(|c| c.last_inbound_at),
            now,
            &link.template_name,
            &row.lang,
        );
        let sent = self
            .graph
            .send(
                &link.phone_number_id,
                &link.access_token,
                &row.wa_id,
                &outgoing,
            )
            .await;
        let mut tx = self.db.tenant_tx(tenant).await?;
        match sent {
            Ok(wamid) => {
                round.sent += 1;
                store::settle(&mut tx, row.id, &Settled::Sent(&wamid)).await?;
                store::record_outbound(
                    &mut tx,
                    &keys,
                    row.location_id,
                    &row.wa_id,
                    &wamid,
                    outgoing.kind(),
                    outgoing.body(),
                )
                .await?;
            }
            Err(error) => {
                let text = error.to_string();
                if may_pass_later(&error) && row.attempts < MAX_ATTEMPTS {
                    round.retried += 1;
                    tracing::info!(%error, attempts = row.attempts, "WhatsApp message not sent yet; retried later");
                    let at = now + backoff(row.attempts);
                    store::settle(&mut tx, row.id, &Settled::Retry(at, &text)).await?;
                } else {
                    round.failed += 1;
                    tracing::warn!(%error, "WhatsApp message given up");
                    store::settle(&mut tx, row.id, &Settled::Failed(&text)).await?;
                }
            }
        }
        tx.commit().await.map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_messages_read_in_the_diners_language() {
        let accepted = Message::OrderStatus {
            step: Step::Accepted,
            number: Some(12),
            reason: None,
        };
        assert_eq!(
            accepted.render("es"),
            "¡El restaurante aceptó tu pedido N° 12! Ya lo estamos preparando; te avisamos por aquí cuando esté listo."
        );
        assert!(
            accepted
                .render("en")
                .starts_with("The restaurant accepted your order no. 12!")
        );
        let ready = Message::OrderStatus {
            step: Step::Ready,
            number: None,
            reason: None,
        };
        assert_eq!(
            ready.render("es"),
            "¡Tu pedido está listo! Te esperamos para retirarlo."
        );
        let rejected = Message::OrderStatus {
            step: Step::Rejected,
            number: Some(3),
            reason: Some("  Sin gas  ".to_owned()),
        };
        assert_eq!(
            rejected.render("es"),
            "Lo sentimos: el restaurante no pudo aceptar tu pedido N° 3. Motivo: Sin gas"
        );
        // The trigger's JSON is what the worker reads.
        let from_trigger: Message = serde_json::from_value(serde_json::json!({
            "kind": "order_status", "step": "rejected", "number": 3, "reason": null
        }))
        .unwrap_or(Message::Text {
            text: String::new(),
        });
        assert_eq!(
            from_trigger.render("en"),
            "Sorry: the restaurant could not take your order no. 3."
        );
    }

    #[test]
    fn booking_answers_read_in_the_diners_language_and_the_restaurants_clock() {
        // As migration 0037's trigger writes them.
        let from_trigger = |step: &str, reason: serde_json::Value| -> Message {
            serde_json::from_value(serde_json::json!({
                "kind": "booking_status", "step": step, "date": "2026-12-11",
                "time": "20:30", "party_size": 4, "reason": reason
            }))
            .unwrap_or(Message::Text {
                text: String::new(),
            })
        };
        let confirmed = from_trigger("confirmed", serde_json::Value::Null);
        assert_eq!(
            confirmed.render("es"),
            "¡Tu reserva está confirmada! Mesa para 4 el viernes 11 de diciembre a las 20:30. Te esperamos."
        );
        assert_eq!(
            confirmed.render("en"),
            "Your booking is confirmed! A table for 4 on Friday 11 December at 20:30. See you then."
        );
        let declined = from_trigger("declined", "Sin mesa disponible a esa hora".into());
        assert_eq!(
            declined.render("es"),
            "Lo sentimos: el restaurante no pudo confirmar tu reserva para 4 el viernes 11 de diciembre a las 20:30. Motivo: Sin mesa disponible a esa hora. ¿Probamos otro horario?"
        );
        let cancelled = from_trigger("cancelled", "  Cierre por inventario.  ".into());
        assert_eq!(
            cancelled.render("en"),
            "Your booking for 4 on Friday 11 December at 20:30 was cancelled by the restaurant. Reason: Cierre por inventario."
        );
        // Fields the row lacks are left out, never printed as blanks.
        let bare = Message::BookingStatus {
            step: BookingStep::Cancelled,
            date: None,
            time: None,
            party_size: None,
            reason: None,
        };
        assert_eq!(
            bare.render("es"),
            "Tu reserva fue cancelada por el restaurante."
        );
    }

    #[test]
    fn only_failures_that_may_pass_are_retried() {
        let refused = |status, code| GraphError::Refused {
            status,
            code,
            message: String::new(),
        };
        assert!(may_pass_later(&GraphError::Unreachable("timeout".into())));
        assert!(may_pass_later(&refused(503, 0)));
        assert!(may_pass_later(&refused(400, 130_429)));
        assert!(may_pass_later(&refused(429, 0)));
        // A wrong token or number is refused again: no point retrying.
        assert!(!may_pass_later(&refused(401, 190)));
        assert!(!may_pass_later(&refused(400, 131_030)));
    }
}
