//! Bookings taken in a chat: checking the table the diner asked for against the
//! restaurant's availability (the counter's own check) and making the reservation once the
//! diner confirms — or, in a WhatsApp conversation, handing the confirmed booking to the
//! cloud, which makes it like a widget booking and tells the diner its answer.

use super::*;

/// Checks the booking against the restaurant's availability (the same check as the
/// counter) and says what is still needed.
pub(super) async fn plan_booking(
    state: &Assistant,
    settings: &RestaurantSettings,
    draft: &mut Draft,
    lang: Lang,
) -> Result<String, AssistantError> {
    let Some(booking) = draft.booking.clone() else {
        return Ok(String::new());
    };
    let mut missing = Vec::new();
    if booking.party_size.is_none() {
        missing.push(pick(lang, "para cuántas personas", "for how many people"));
    }
    if booking.date.is_none() {
        missing.push(pick(lang, "qué día", "which day"));
    }
    if booking.time.is_none() {
        missing.push(pick(lang, "a qué hora", "what time"));
    }
    if !missing.is_empty() {
        draft.awaiting = None;
        return Ok(pick(
            lang,
            format!("¡Con gusto reservo! Dime {}.", missing.join(", ")),
            format!("Happy to book a table! Tell me {}.", missing.join(", ")),
        ));
    }
    let (Some(party), Some(date), Some(time)) = (
        booking.party_size,
        booking.date.clone(),
        booking.time.clone(),
    ) else {
        return Ok(String::new());
    };
    let Ok(day) = date.parse::<jiff::civil::Date>() else {
        return Ok(String::new());
    };
    let date = dysa_domain::assistant::text::spoken_date(day, lang);
    let availability = match reservations::availability(&state.db, day, party, None).await {
        Ok(a) => a,
        Err(ReservationError::Invalid(_)) => {
            if let Some(b) = draft.booking.as_mut() {
                b.party_size = None;
            }
            return Ok(pick(
                lang,
                "Esa cantidad de personas no la podemos reservar por chat; llámanos, por favor.",
                "We can't book that party size by chat; please call us.",
            ));
        }
        Err(ReservationError::Store(e)) => return Err(AssistantError::Store(e)),
        Err(other) => {
            return Err(AssistantError::Store(StoreError::corrupt(
                "reservations",
                other,
            )));
        }
    };
    let tz = settings.tz();
    let slot_times: Vec<String> = availability
        .slots
        .iter()
        .map(|s| {
            s.starts_at
                .to_zoned(tz.clone())
                .strftime("%H:%M")
                .to_string()
        })
        .collect();
    if !slot_times.contains(&time) {
        draft.awaiting = None;
        if let Some(b) = draft.booking.as_mut() {
            b.time = None;
        }
        if slot_times.is_empty() {
            let hours = settings.opening_hours.day(day.weekday());
            return Ok(if hours.is_empty() {
                pick(
                    lang,
                    format!("El {date} no abrimos. ¿Te sirve otro día?"),
                    format!("We are closed on {date}. Would another day work?"),
                )
            } else {
                pick(
                    lang,
                    format!("El {date} no nos quedan mesas para {party}. ¿Otro día?"),
                    format!("We have no tables left for {party} on {date}. Another day?"),
                )
            });
        }
        let wanted = resolve_minutes(&time);
        let mut nearest = slot_times.clone();
        nearest.sort_by_key(|s| resolve_minutes(s).abs_diff(wanted));
        nearest.truncate(3);
        nearest.sort();
        return Ok(pick(
            lang,
            format!(
                "A las {time} no tenemos mesa para {party} el {date}. Horarios libres cercanos: {}. ¿Cuál prefieres?",
                nearest.join(", ")
            ),
            format!(
                "There is no table for {party} at {time} on {date}. Free times nearby: {}. Which one?",
                nearest.join(", ")
            ),
        ));
    }
    if booking.name.is_none() || booking.phone.is_none() {
        draft.awaiting = None;
        return Ok(pick(
            lang,
            format!(
                "Tengo mesa para {party} el {date} a las {time}. ¿A nombre de quién y a qué teléfono?"
            ),
            format!(
                "I have a table for {party} on {date} at {time}. What name and phone number should I use?"
            ),
        ));
    }
    draft.awaiting = Some(Awaiting::Booking);
    let name = booking.name.unwrap_or_default();
    let phone = booking.phone.unwrap_or_default();
    Ok(pick(
        lang,
        format!(
            "Mesa para {party} el {date} a las {time}, a nombre de {name} ({phone}). ¿Confirmo la reserva?",
        ),
        format!(
            "A table for {party} on {date} at {time}, under {name} ({phone}). Shall I confirm it?",
        ),
    ))
}

fn resolve_minutes(time: &str) -> u32 {
    let (h, m) = time.split_once(':').unwrap_or((time, "0"));
    h.parse::<u32>().unwrap_or(0) * 60 + m.parse::<u32>().unwrap_or(0)
}

pub(super) async fn book(
    state: &Assistant,
    settings: &RestaurantSettings,
    draft: &mut Draft,
    lang: Lang,
    mut out: Outcome,
) -> Result<Outcome, AssistantError> {
    let Some(booking) = draft.booking.clone() else {
        draft.awaiting = None;
        return Ok(out);
    };
    let (Some(party), Some(date), Some(time), Some(name), Some(phone)) = (
        booking.party_size,
        booking.date.clone(),
        booking.time.clone(),
        booking.name.clone(),
        booking.phone.clone(),
    ) else {
        out.text = plan_booking(state, settings, draft, lang).await?;
        return Ok(out);
    };
    let spoken = date.parse::<jiff::civil::Date>().map_or_else(
        |_| date.clone(),
        |day| dysa_domain::assistant::text::spoken_date(day, lang),
    );
    let input = NewReservation {
        name,
        phone,
        party_size: party,
        starts_at: format!("{date}T{time}"),
        duration_minutes: None,
        table_id: None,
        customer_id: None,
        notes: None,
        channel: "chat".to_owned(),
        created_by: None,
    };
    match reservations::create(&state.db, &state.writer, input).await {
        Ok(record) => {
            state.events.publish(
                EventKind::ReservationCreated,
                record.id.to_string(),
                serde_json::json!({
                    "table_id": record.table_id,
                    "status": record.status,
                    "starts_at": record.starts_at,
                    "party_size": record.party_size,
                }),
            );
            out.reservation_id = Some(record.id);
            out.text = pick(
                lang,
                format!(
                    "¡Reserva lista! Mesa para {party} el {spoken} a las {time}. Te esperamos."
                ),
                format!("You're booked! A table for {party} on {spoken} at {time}. See you then."),
            );
            draft.booking = None;
            draft.awaiting = None;
        }
        Err(ReservationError::Store(e)) => return Err(AssistantError::Store(e)),
        Err(ReservationError::Invalid(fields)) => {
            draft.awaiting = None;
            let phone_bad = fields.0.keys().any(|k| k == "phone");
            if phone_bad && let Some(b) = draft.booking.as_mut() {
                b.phone = None;
            }
            out.text = if phone_bad {
                pick(
                    lang,
                    "Ese teléfono no parece válido; ¿me lo repites?",
                    "That phone number doesn't look valid; could you repeat it?",
                )
            } else {
                pick(
                    lang,
                    "No pude reservar con esos datos; revisemos la fecha y la hora.",
                    "I couldn't book with those details; let's check the date and time.",
                )
            };
        }
        Err(_) => {
            draft.awaiting = None;
            if let Some(b) = draft.booking.as_mut() {
                b.time = None;
            }
            out.text = pick(
                lang,
                "Justo se ocupó ese horario o queda fuera de nuestro horario de atención. ¿Probamos otra hora?",
                "That time was just taken or is outside our opening hours. Shall we try another time?",
            );
        }
    }
    Ok(out)
}

/// The booking a WhatsApp diner confirmed ([`Mode::HandOver`] with
/// [`draft::Bookings::InChat`]): nothing is written here; the cloud makes it like a
/// widget booking (channel `whatsapp`) from the relay's answer, so the counter seats or
/// declines it like any booking from the web and the diner hears that answer once.
pub(super) async fn hand_over_booking(
    state: &Assistant,
    settings: &RestaurantSettings,
    draft: &mut Draft,
    lang: Lang,
    mut out: Outcome,
) -> Result<Outcome, AssistantError> {
    let Some(booking) = draft.booking.clone() else {
        draft.awaiting = None;
        return Ok(out);
    };
    let (Some(party), Some(date), Some(time), Some(name), Some(phone)) = (
        booking.party_size,
        booking.date.clone(),
        booking.time.clone(),
        booking.name.clone(),
        booking.phone.clone(),
    ) else {
        out.text = plan_booking(state, settings, draft, lang).await?;
        return Ok(out);
    };
    let spoken = date.parse::<jiff::civil::Date>().map_or_else(
        |_| date.clone(),
        |day| dysa_domain::assistant::text::spoken_date(day, lang),
    );
    out.text = pick(
        lang,
        format!("Envío tu reserva al restaurante: mesa para {party} el {spoken} a las {time}."),
        format!(
            "Sending your booking to the restaurant: a table for {party} on {spoken} at {time}."
        ),
    );
    out.booking = Some(ChatBooking {
        party_size: party,
        date,
        time,
        name,
        phone,
    });
    draft.booking = None;
    draft.awaiting = None;
    Ok(out)
}
