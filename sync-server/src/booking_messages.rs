//! What a diner hears about their booking (issue 18, Build 5): the confirmation, with a
//! link to a small public page where they can cancel it, and the reminders (24 and 2
//! hours before by default; a location sets its own in the synced setting
//! `bookings.reminder_hours`, a list of hours), each sent once at the right local time
//! ([`crate::reminders`]).
//!
//! The channel: WhatsApp where the location has a linked number and the diner wrote to
//! it from the booking's phone (their own window, or the link's template outside it),
//! else SMS where the tenant linked Twilio; and by email too when the diner gave an
//! address and ticked the widget's consent box (the address sealed with the consent,
//! every mail with the one-click opt-out link of [`crate::diner_messages`]). Nothing goes
//! to a number or address that opted out (`diner_opt_outs`) or to a diner who refused
//! messages when booking (`booking_consents`).
//!
//! The diner's answer — SI or NO by SMS or WhatsApp to the latest notice, or the page's
//! button — confirms or cancels the booking through the same path as every other cloud
//! write of a synced row (`store::sync::apply_cloud_change`, stamped by the tenant's
//! clock), so the counter pulls the change like one made at another counter.

use crate::diner_replies::DinerReply;
use crate::reminders;
use crate::state::AppState;
use crate::store::booking_notices::{self as store, BookingBrief, NewNotice};
use crate::store::sync::{self, CloudChange};
use crate::store::{StoreError, Tx};
use crate::whatsapp::outbox::{self as wa_outbox, Message};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use dysa_domain::ids::{ReservationId, TenantId};
use dysa_domain::reservation::ReservationStatus;
use dysa_domain::sync::rows;
use dysa_domain::sync::{Entity, Op, Outcome};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::collections::HashMap;
use std::time::Duration;
use subtle::ConstantTimeEq;
use uuid::Uuid;

/// The synced location setting with the reminder hours (`[24, 2]` when unset).
pub const REMINDER_HOURS_SETTING: &str = "bookings.reminder_hours";

/// How often the reminder worker looks for due reminders.
pub const REMINDER_EVERY: Duration = Duration::from_secs(60);

/// How a booking message reaches the diner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// The location's WhatsApp number.
    Whatsapp,
    /// SMS from the tenant's Twilio account.
    Sms,
    /// Email only (no phone channel reached the diner).
    Email,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::Whatsapp => "whatsapp",
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }
}

/// Which message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Right after booking, with the cancel link.
    Confirmation,
    /// This many hours before.
    Reminder(u32),
}

impl Notice {
    /// Its kind as stored (`confirmation`, `reminder:24`).
    pub fn kind(self) -> String {
        match self {
            Notice::Confirmation => "confirmation".to_owned(),
            Notice::Reminder(hours) => format!("reminder:{hours}"),
        }
    }
}

/// Why a diner's link did not work.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// Unknown booking, or the token is not its own.
    #[error("no such booking link")]
    NotFound,
    /// The booking can no longer be cancelled (past, seated, finished, cancelled).
    #[error("the booking can no longer be cancelled")]
    Closed,
    /// The merge refused the change (a bug).
    #[error("the merge refused the change: {0}")]
    Refused(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for LinkError {
    fn from(error: sqlx::Error) -> Self {
        LinkError::Store(error.into())
    }
}

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

/// `sábado 4 de abril, 20:00` / `Saturday 4 April, 20:00`, in the location's zone.
pub fn when_text(at: Timestamp, zone: &TimeZone, lang: &str) -> String {
    let local = at.to_zoned(zone.clone());
    let day = usize::try_from(local.weekday().to_monday_zero_offset()).unwrap_or(0);
    let month = usize::try_from(local.month() - 1).unwrap_or(0);
    if lang == "en" {
        format!("{}", local.strftime("%A %-d %B, %H:%M"))
    } else {
        format!(
            "{} {} de {}, {}",
            DAYS_ES[day % 7],
            local.day(),
            MONTHS_ES[month % 12],
            local.strftime("%H:%M")
        )
    }
}

/// The words of `notice` for a booking at `restaurant` on `when` for `party`.
pub fn text(
    notice: Notice,
    lang: &str,
    restaurant: &str,
    when: &str,
    party: i32,
    link: &str,
) -> String {
    let en = lang == "en";
    let people = match (party, en) {
        (1, false) => "1 persona".to_owned(),
        (n, false) => format!("{n} personas"),
        (1, true) => "1 person".to_owned(),
        (n, true) => format!("{n} people"),
    };
    match (notice, en) {
        (Notice::Confirmation, false) => format!(
            "{restaurant}: recibimos tu reserva para {people} el {when}. Para anularla: {link} · Responde BAJA para no recibir más mensajes."
        ),
        (Notice::Confirmation, true) => format!(
            "{restaurant}: we got your booking for {people} on {when}. To cancel it: {link} · Reply STOP to receive no more messages."
        ),
        (Notice::Reminder(_), false) => format!(
            "{restaurant}: te recordamos tu reserva para {people} el {when}. ¿Vienes? Responde SI para confirmar o NO para anular. {link}"
        ),
        (Notice::Reminder(_), true) => format!(
            "{restaurant}: a reminder of your booking for {people} on {when}. Coming? Reply YES to confirm or NO to cancel. {link}"
        ),
    }
}

fn token_of(keys: &crate::pii::TenantKeys, reservation: Uuid) -> String {
    let hash = keys.lookup_hash("booking_link", &reservation.to_string());
    URL_SAFE_NO_PAD.encode(&hash[..18])
}

/// The diner's page of booking `reservation` (cancel), under the tenant's keyed hash of
/// the booking's id: unguessable, and nothing to store.
pub fn link(
    public_url: &str,
    keys: &crate::pii::TenantKeys,
    tenant: TenantId,
    reservation: Uuid,
    lang: &str,
) -> String {
    let lang = if lang == "en" { "?lang=en" } else { "" };
    format!(
        "{}/api/v1/public/bookings/{tenant}/{reservation}/{}{lang}",
        public_url.trim_end_matches('/'),
        token_of(keys, reservation)
    )
}

fn zone_of(name: &str) -> TimeZone {
    TimeZone::get(name)
        .or_else(|_| TimeZone::get("America/Santiago"))
        .unwrap_or(TimeZone::UTC)
}

fn instant(at: DateTime<Utc>) -> Timestamp {
    Timestamp::from_millisecond(at.timestamp_millis()).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The reminder hours a setting holds: whole hours from 1 to a week, without repeats;
/// the defaults when unset or unreadable.
pub fn reminder_hours(value: Option<&serde_json::Value>) -> Vec<u32> {
    let mut hours: Vec<u32> = value
        .and_then(|v| v.as_array())
        .map(|list| {
            list.iter()
                .filter_map(serde_json::Value::as_u64)
                .filter_map(|h| u32::try_from(h).ok())
                .filter(|h| (1..=reminders::MAX_HOURS).contains(h))
                .collect()
        })
        .unwrap_or_else(|| reminders::DEFAULT_HOURS.to_vec());
    hours.sort_unstable_by(|a, b| b.cmp(a));
    hours.dedup();
    hours
}

async fn channel_for(
    state: &AppState,
    tx: &mut Tx,
    keys: &crate::pii::TenantKeys,
    booking: &BookingBrief,
    digits: &str,
) -> Result<Option<Channel>, StoreError> {
    if crate::store::whatsapp::link_of_location(tx, booking.location_id)
        .await?
        .is_some()
        && crate::store::whatsapp::contact(tx, keys, booking.location_id, digits)
            .await?
            .is_some()
    {
        return Ok(Some(Channel::Whatsapp));
    }
    if crate::twilio::can_send(state, tx).await? {
        return Ok(Some(Channel::Sms));
    }
    Ok(None)
}

/// The email of `notice`: what it says, with the booking's page as its button.
pub fn email_words(
    notice: Notice,
    lang: &str,
    restaurant: &str,
    location: &str,
    when: &str,
    party: i32,
) -> (String, Vec<String>, String) {
    let en = lang == "en";
    let people = match (party, en) {
        (1, false) => "1 persona".to_owned(),
        (n, false) => format!("{n} personas"),
        (1, true) => "1 person".to_owned(),
        (n, true) => format!("{n} people"),
    };
    match (notice, en) {
        (Notice::Confirmation, false) => (
            format!("{restaurant}: tu reserva del {when}"),
            vec![
                format!("Recibimos tu reserva en {location} para {people} el {when}."),
                "Si no puedes venir, anúlala con el botón: la mesa queda libre para otra persona."
                    .to_owned(),
            ],
            "Ver o anular mi reserva".to_owned(),
        ),
        (Notice::Confirmation, true) => (
            format!("{restaurant}: your booking on {when}"),
            vec![
                format!("We got your booking at {location} for {people} on {when}."),
                "If you cannot come, cancel it with the button: the table goes to someone else."
                    .to_owned(),
            ],
            "See or cancel my booking".to_owned(),
        ),
        (Notice::Reminder(_), false) => (
            format!("{restaurant}: te recordamos tu reserva del {when}"),
            vec![
                format!(
                    "Te recordamos tu reserva en {location} para {people} el {when}. ¡Te esperamos!"
                ),
                "Si no puedes venir, anúlala con el botón.".to_owned(),
            ],
            "Ver o anular mi reserva".to_owned(),
        ),
        (Notice::Reminder(_), true) => (
            format!("{restaurant}: a reminder of your booking on {when}"),
            vec![
                format!(
                    "A reminder of your booking at {location} for {people} on {when}. See you then!"
                ),
                "If you cannot come, cancel it with the button.".to_owned(),
            ],
            "See or cancel my booking".to_owned(),
        ),
    }
}

/// Queues `notice` by email when the diner consented and gave an address that did not
/// opt out; once per booking and kind (the mail outbox's key). Whether it was queued.
async fn queue_email(
    state: &AppState,
    tx: &mut Tx,
    tenant: TenantId,
    booking: &BookingBrief,
    notice: Notice,
    lang: &str,
) -> Result<bool, StoreError> {
    let Some((sealed, hash)) = crate::store::diner_contacts::booking_email(tx, booking.id).await?
    else {
        return Ok(false);
    };
    let keys = state.vault.keys(tx).await?;
    let Some(email) = keys
        .open(
            "booking_consents",
            "email",
            &booking.id.to_string(),
            &sealed,
        )
        .and_then(|bytes| String::from_utf8(bytes).ok())
    else {
        tracing::error!(booking = %booking.id, "a booking's email does not open");
        return Ok(false);
    };
    if crate::store::sms::opted_out(tx, "email", &hash).await? {
        return Ok(false);
    }
    let zone = zone_of(&booking.time_zone);
    let when = when_text(instant(booking.starts_at), &zone, lang);
    let (subject, lines, label) = email_words(
        notice,
        lang,
        &booking.restaurant_name,
        &booking.location_name,
        &when,
        booking.party_size,
    );
    let page = link(&state.settings.public_url, &keys, tenant, booking.id, lang);
    crate::diner_messages::queue_email(
        state,
        tx,
        tenant,
        &email,
        &hash,
        &format!("booking:{}:{}", booking.id, notice.kind()),
        lang,
        &booking.restaurant_name,
        subject,
        lines,
        Some((label, page)),
    )
    .await
}

/// Queues `notice` for booking `booking` in the caller's transaction, once (its
/// `booking_notices` row, and the mail outbox's key); answers the channel, or `None`
/// when nothing was queued: sent before, no phone or email, opted out, consent refused,
/// or no channel. A diner who consented with an email gets it by email too.
pub async fn queue(
    state: &AppState,
    tx: &mut Tx,
    tenant: TenantId,
    booking: &BookingBrief,
    notice: Notice,
) -> Result<Option<Channel>, StoreError> {
    let consent = store::consent(tx, booking.id).await?;
    if matches!(consent, Some((false, _))) {
        return Ok(None);
    }
    let lang = consent
        .as_ref()
        .map_or_else(|| "es".to_owned(), |(_, lang)| lang.clone());
    let emailed =
        consent.is_some() && queue_email(state, tx, tenant, booking, notice, &lang).await?;
    let by_phone = queue_phone(state, tx, tenant, booking, notice, &lang).await?;
    Ok(by_phone.or(emailed.then_some(Channel::Email)))
}

async fn queue_phone(
    state: &AppState,
    tx: &mut Tx,
    tenant: TenantId,
    booking: &BookingBrief,
    notice: Notice,
    lang: &str,
) -> Result<Option<Channel>, StoreError> {
    let lang = lang.to_owned();
    let keys = state.vault.keys(tx).await?;
    let id = booking.id.to_string();
    let Some(phone) = keys.open_column(Entity::Reservation, "phone", &id, booking.phone.clone())
    else {
        return Ok(None);
    };
    let Some(hash) = keys.phone_hash(&phone) else {
        return Ok(None);
    };
    if crate::store::sms::opted_out(tx, "phone", &hash).await? {
        return Ok(None);
    }
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let Some(channel) = channel_for(state, tx, &keys, booking, &digits).await? else {
        tracing::info!(booking = %booking.id, "no channel reaches this diner; no message");
        return Ok(None);
    };
    let kind = notice.kind();
    let recorded = store::record(
        tx,
        &NewNotice {
            reservation: booking.id,
            location: booking.location_id,
            kind: &kind,
            channel: channel.as_str(),
            phone_hash: &hash,
            lang: &lang,
        },
    )
    .await?;
    if !recorded {
        return Ok(None);
    }
    let zone = zone_of(&booking.time_zone);
    let when = when_text(instant(booking.starts_at), &zone, &lang);
    let link = link(&state.settings.public_url, &keys, tenant, booking.id, &lang);
    let words = text(
        notice,
        &lang,
        &booking.restaurant_name,
        &when,
        booking.party_size,
        &link,
    );
    let dedupe = format!("booking:{}:{kind}", booking.id);
    match channel {
        Channel::Whatsapp => {
            wa_outbox::enqueue(
                tx,
                &keys,
                booking.location_id,
                &digits,
                &dedupe,
                &lang,
                &Message::Notice { text: words },
            )
            .await?;
        }
        Channel::Sms => {
            crate::twilio::queue(state, tx, &phone, &dedupe, &lang, &words).await?;
        }
        // `channel_for` answers a phone channel only.
        Channel::Email => return Ok(None),
    }
    Ok(Some(channel))
}

/// After a widget booking: records the diner's consent (when the widget asked), with
/// their email sealed when they consented and gave one, and queues the confirmation, in
/// the booking's transaction.
pub async fn confirm_new_booking(
    state: &AppState,
    tx: &mut Tx,
    tenant: TenantId,
    reservation: Uuid,
    consent: Option<bool>,
    email: Option<&str>,
    lang: &str,
) -> Result<Option<Channel>, StoreError> {
    let lang = if lang == "en" { "en" } else { "es" };
    store::record_consent(tx, reservation, consent.unwrap_or(true), lang).await?;
    let email = email
        .map(dysa_domain::validate::normalize_email)
        .filter(|e| !e.is_empty());
    if consent == Some(true)
        && let Some(email) = email
    {
        let keys = state.vault.keys(tx).await?;
        if let Some(hash) = keys.email_hash(&email) {
            let sealed = keys.seal(
                "booking_consents",
                "email",
                &reservation.to_string(),
                email.as_bytes(),
            );
            crate::store::diner_contacts::save_booking_email(tx, reservation, &sealed, &hash)
                .await?;
        }
    }
    match store::booking(tx, reservation).await? {
        Some(booking) => queue(state, tx, tenant, &booking, Notice::Confirmation).await,
        None => Ok(None),
    }
}

/// Wakes the senders after messages were queued and committed.
pub fn wake(state: &AppState, tenant: TenantId) {
    state.sms.wake();
    state.mail.wake();
    let outbox = state.whatsapp.clone();
    tokio::spawn(async move {
        if let Err(error) = outbox.run_tenant(tenant, chrono::Utc::now()).await {
            tracing::warn!(%error, "could not send booking messages by WhatsApp");
        }
    });
}

/// One pass of the reminder worker at `now`: every booking to come whose reminder is due
/// gets it queued, once. Answers how many were queued.
pub async fn run_reminders(state: &AppState, now: DateTime<Utc>) -> Result<usize, StoreError> {
    // Calendar days may be 25 hours long: look a little further than the longest offset.
    let until = now + chrono::Duration::hours(i64::from(reminders::MAX_HOURS) + 2);
    let mut queued = 0;
    for tenant in store::reminder_tenants(&state.db, now, until).await? {
        let mut tx = state.db.tenant_tx(tenant).await?;
        let mut hours_of: HashMap<_, Vec<u32>> = HashMap::new();
        let mut queued_here = 0;
        for booking in store::upcoming(&mut tx, now, until).await? {
            // One settings read per location (an await cannot sit inside `entry`).
            let hours = match hours_of.get(&booking.location_id) {
                Some(hours) => hours.clone(),
                None => {
                    let value =
                        store::reminder_hours(&mut tx, booking.location_id, REMINDER_HOURS_SETTING)
                            .await?;
                    let hours = reminder_hours(value.as_ref());
                    hours_of.insert(booking.location_id, hours.clone());
                    hours
                }
            };
            let due = reminders::due_reminder(
                instant(booking.starts_at),
                instant(booking.created_at),
                &hours,
                &zone_of(&booking.time_zone),
                instant(now),
            );
            if let Some(hours) = due
                && queue(state, &mut tx, tenant, &booking, Notice::Reminder(hours))
                    .await?
                    .is_some()
            {
                queued_here += 1;
            }
        }
        tx.commit().await?;
        if queued_here > 0 {
            wake(state, tenant);
        }
        queued += queued_here;
    }
    Ok(queued)
}

/// Runs the reminder worker every `every` for as long as the process lives (zero: not
/// at all; tests call [`run_reminders`] with their own clock).
pub fn spawn(state: &AppState, every: Duration) {
    if every.is_zero() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            match run_reminders(&state, Utc::now()).await {
                Ok(0) => {}
                Ok(queued) => tracing::info!(queued, "booking reminders queued"),
                Err(error) => tracing::warn!(%error, "booking reminders failed; retried later"),
            }
            tokio::time::sleep(every).await;
        }
    });
}

/// Writes `status` (and the reason) onto the booking as the cloud, like any cloud edit of
/// a synced row: the counter pulls it.
async fn set_status(
    state: &AppState,
    tx: &mut Tx,
    booking: &BookingBrief,
    status: ReservationStatus,
    reason: Option<&str>,
) -> Result<(), LinkError> {
    let hlc = state.tenant_clock(tx).await?.tick();
    let at = instant(booking.starts_at);
    // Only the fields picked below are sent; the rest of this value is not.
    let row = rows::Reservation {
        id: ReservationId(booking.id),
        customer_id: None,
        name: String::new(),
        phone: None,
        party_size: 1,
        starts_at: at,
        ends_at: at,
        duration_minutes: 0,
        table_id: None,
        status,
        channel: String::new(),
        notes: None,
        cancel_reason: reason.map(str::to_owned),
        created_by: None,
        created_at: String::new(),
        updated_at: hlc,
    };
    let mut all = sync::payload_of(&row);
    let mut fields = vec!["status", "updated_at"];
    if reason.is_some() {
        fields.push("cancel_reason");
    }
    let payload = fields
        .into_iter()
        .filter_map(|name| all.remove_entry(name))
        .collect();
    let change = CloudChange {
        entity: Entity::Reservation,
        entity_id: booking.id.to_string(),
        op: Op::Upsert,
        payload,
    };
    let result =
        sync::apply_cloud_change(tx, &state.vault, booking.location_id, change, hlc).await?;
    if result.outcome == Outcome::Rejected {
        return Err(LinkError::Refused(result.detail.unwrap_or_default()));
    }
    Ok(())
}

/// What the diner reads after answering.
fn answered_text(yes: bool, lang: &str, when: &str) -> String {
    match (yes, lang == "en") {
        (true, false) => format!("¡Gracias! Te esperamos el {when}."),
        (true, true) => format!("Thank you! See you on {when}."),
        (false, false) => {
            format!("Listo: anulamos tu reserva del {when}. ¡Esperamos verte pronto!")
        }
        (false, true) => {
            format!("Done: your booking for {when} is cancelled. Hope to see you soon!")
        }
    }
}

/// A diner's SI or NO from the number hashed `phone_hash` (the tenant of `tx`): answers
/// the booking of their latest notice still to come, confirming it (a pending booking
/// with no table yet stays for the restaurant to accept) or cancelling it. The reply to
/// send back, or `None` when no booking awaits an answer (then the words go to the
/// assistant like any message).
pub async fn answer(
    state: &AppState,
    tx: &mut Tx,
    phone_hash: &[u8],
    reply: DinerReply,
    now: DateTime<Utc>,
) -> Result<Option<String>, LinkError> {
    let yes = match reply {
        DinerReply::Yes => true,
        DinerReply::No => false,
        _ => return Ok(None),
    };
    let Some((reservation, lang)) = store::open_notice(tx, phone_hash, now).await? else {
        return Ok(None);
    };
    let Some(booking) = store::booking(tx, reservation).await? else {
        return Ok(None);
    };
    if yes {
        if booking.status == "booked" && booking.table_id.is_some() {
            set_status(state, tx, &booking, ReservationStatus::Confirmed, None).await?;
        }
    } else {
        let reason = if lang == "en" {
            "Cancelled by the diner"
        } else {
            "Anulada por el cliente"
        };
        set_status(
            state,
            tx,
            &booking,
            ReservationStatus::Cancelled,
            Some(reason),
        )
        .await?;
    }
    store::answered(tx, reservation, if yes { "yes" } else { "no" }).await?;
    let when = when_text(
        instant(booking.starts_at),
        &zone_of(&booking.time_zone),
        &lang,
    );
    Ok(Some(answered_text(yes, &lang, &when)))
}

/// What the diner's page shows.
#[derive(Clone, Debug)]
pub struct BookingPage {
    /// The restaurant.
    pub restaurant: String,
    /// The location.
    pub location: String,
    /// When, in words of the page's language.
    pub when: String,
    /// Guests.
    pub party_size: i32,
    /// Whether it may still be cancelled here.
    pub cancellable: bool,
    /// Whether it is cancelled.
    pub cancelled: bool,
}

async fn linked_booking(
    state: &AppState,
    tx: &mut Tx,
    reservation: Uuid,
    token: &str,
) -> Result<BookingBrief, LinkError> {
    // The booking first: a path naming no tenant of ours finds none, and no tenant key
    // is made for it.
    let booking = store::booking(tx, reservation)
        .await?
        .ok_or(LinkError::NotFound)?;
    let keys = state.vault.keys(tx).await?;
    let expected = token_of(&keys, reservation);
    if !bool::from(expected.as_bytes().ct_eq(token.as_bytes())) {
        return Err(LinkError::NotFound);
    }
    Ok(booking)
}

fn page_of(booking: &BookingBrief, lang: &str, now: DateTime<Utc>) -> BookingPage {
    BookingPage {
        restaurant: booking.restaurant_name.clone(),
        location: booking.location_name.clone(),
        when: when_text(
            instant(booking.starts_at),
            &zone_of(&booking.time_zone),
            lang,
        ),
        party_size: booking.party_size,
        cancellable: matches!(booking.status.as_str(), "booked" | "confirmed")
            && booking.starts_at > now,
        cancelled: booking.status == "cancelled",
    }
}

/// The diner's page of a booking, when `token` is its link's.
pub async fn page(
    state: &AppState,
    tenant: TenantId,
    reservation: Uuid,
    token: &str,
    lang: &str,
) -> Result<BookingPage, LinkError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let booking = linked_booking(state, &mut tx, reservation, token).await?;
    tx.commit().await?;
    Ok(page_of(&booking, lang, Utc::now()))
}

/// The diner cancels through their link (once: a second press finds it cancelled).
pub async fn cancel_by_link(
    state: &AppState,
    tenant: TenantId,
    reservation: Uuid,
    token: &str,
    lang: &str,
) -> Result<BookingPage, LinkError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    sync::lock_tenant(&mut tx).await?;
    let booking = linked_booking(state, &mut tx, reservation, token).await?;
    let now = Utc::now();
    let page = page_of(&booking, lang, now);
    if page.cancelled {
        tx.commit().await?;
        return Ok(page);
    }
    if !page.cancellable {
        return Err(LinkError::Closed);
    }
    let reason = if lang == "en" {
        "Cancelled by the diner"
    } else {
        "Anulada por el cliente"
    };
    set_status(
        state,
        &mut tx,
        &booking,
        ReservationStatus::Cancelled,
        Some(reason),
    )
    .await?;
    store::answered(&mut tx, reservation, "no").await?;
    tx.commit().await?;
    Ok(BookingPage {
        cancellable: false,
        cancelled: true,
        ..page
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_spanish_and_english_in_the_locations_zone() {
        let zone = zone_of("America/Santiago");
        let at: Timestamp = "2026-04-04T23:00:00Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(when_text(at, &zone, "es"), "sábado 4 de abril, 20:00");
        assert_eq!(when_text(at, &zone, "en"), "Saturday 4 April, 20:00");
    }

    #[test]
    fn the_words_carry_the_link_and_how_to_answer() {
        let es = text(
            Notice::Reminder(24),
            "es",
            "La Picá",
            "sábado 4 de abril, 20:00",
            4,
            "https://x/l",
        );
        assert_eq!(
            es,
            "La Picá: te recordamos tu reserva para 4 personas el sábado 4 de abril, 20:00. ¿Vienes? Responde SI para confirmar o NO para anular. https://x/l"
        );
        let confirmation = text(
            Notice::Confirmation,
            "es",
            "La Picá",
            "hoy",
            1,
            "https://x/l",
        );
        assert!(confirmation.starts_with("La Picá: recibimos tu reserva para 1 persona el hoy."));
        assert!(confirmation.contains("Responde BAJA"));
        assert!(text(Notice::Confirmation, "en", "R", "w", 2, "l").contains("Reply STOP"));
    }

    #[test]
    fn reminder_hours_are_read_safely() {
        assert_eq!(reminder_hours(None), vec![24, 2]);
        let set = serde_json::json!([2, 48, 2, 0, 500, "x", 3]);
        assert_eq!(reminder_hours(Some(&set)), vec![48, 3, 2]);
        assert_eq!(reminder_hours(Some(&serde_json::json!("24"))), vec![24, 2]);
    }
}
