//! The kitchen's side of an order: firing a course ("Marchar") into tickets per station,
//! bumping and recalling them on the kitchen screens, and reprinting them.
//!
//! Firing runs on the group-commit writer: the tickets, their lines and their print jobs
//! are written in one transaction, so a fired course is on the screens and in the print
//! queue together or not at all, and a line reaches the kitchen once
//! ([`dysa_domain::kitchen::lines_to_fire`], and the table's primary key).

use crate::events::{EventBus, EventKind};
use crate::printing::{Printing, Ticket, layout};
use crate::restaurant::SettingsCache;
use crate::store::kitchen::{self as store, KitchenTicket, NewTicket};
use crate::store::orders::{self, OrderLine};
use crate::store::printing::{JobKind, PrinterRole};
use crate::store::writer::Writer;
use crate::store::{Db, StoreError, instant_text};
use dysa_domain::ids::{OrderId, OrderLineId, UserId};
use dysa_domain::kitchen::{Course, FireCandidate, lines_to_fire};
use dysa_domain::menu::Station;
use dysa_domain::order::OrderStatus;
use std::sync::Arc;

/// What the kitchen's operations need: the database, the writer, live events, the print
/// queue and the restaurant's time zone. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Kitchen {
    db: Db,
    writer: Writer,
    events: EventBus,
    printing: Printing,
    restaurant: Arc<SettingsCache>,
}

/// Why a kitchen operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum KitchenError {
    /// No such order, ticket or line.
    #[error("not found")]
    NotFound,
    /// The course has no line waiting to be fired.
    #[error("nothing to fire")]
    NothingToFire,
    /// The order is completed or cancelled.
    #[error("order is {0}")]
    Closed(OrderStatus),
    /// The ticket or line was already bumped.
    #[error("already bumped")]
    AlreadyBumped,
    /// The station has no bumped ticket to bring back.
    #[error("nothing to recall")]
    NothingToRecall,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for KitchenError {
    fn from(error: sqlx::Error) -> Self {
        KitchenError::Store(StoreError::Sqlx(error))
    }
}

impl Kitchen {
    /// The kitchen over its handles.
    pub fn new(
        db: Db,
        writer: Writer,
        events: EventBus,
        printing: Printing,
        restaurant: Arc<SettingsCache>,
    ) -> Kitchen {
        Kitchen {
            db,
            writer,
            events,
            printing,
            restaurant,
        }
    }

    /// The print queue's handle.
    pub fn printing(&self) -> &Printing {
        &self.printing
    }

    async fn tz(&self) -> Result<jiff::tz::TimeZone, KitchenError> {
        Ok(self.restaurant.get(&self.db.read).await?.tz())
    }

    /// Fires a course of an order: its live lines not sent before become one ticket per
    /// station, on the screens and in the print queue. `course` none fires the lines
    /// ordered without a course. Nothing to fire is an error (the waiter pressed Marchar
    /// on an empty or already fired course).
    pub async fn fire(
        &self,
        order_id: OrderId,
        course: Option<Course>,
        by: Option<UserId>,
    ) -> Result<Vec<KitchenTicket>, KitchenError> {
        let tz = self.tz().await?;
        let printing = self.printing.clone();
        let tickets = self
            .writer
            .write(move |conn| {
                Box::pin(async move {
                    let order = orders::load(conn, order_id)
                        .await?
                        .ok_or(KitchenError::NotFound)?;
                    if order.status.is_terminal() {
                        return Err(KitchenError::Closed(order.status));
                    }
                    let fired = store::fired_lines(conn, order_id).await?;
                    let tickets = fire_in(
                        conn,
                        &printing,
                        &tz,
                        Firing {
                            order_id,
                            lines: &order.lines,
                            already_fired: &fired,
                            course,
                            by,
                        },
                    )
                    .await?;
                    if tickets.is_empty() {
                        return Err(KitchenError::NothingToFire);
                    }
                    Ok(tickets)
                })
            })
            .await?;
        announce_fired(&self.printing, &self.events, &tickets);
        Ok(tickets)
    }

    /// The tickets on the screens, oldest first: one station's or all.
    pub async fn open_tickets(
        &self,
        station: Option<Station>,
    ) -> Result<Vec<KitchenTicket>, KitchenError> {
        let mut conn = self.db.read.acquire().await?;
        Ok(store::open_tickets(&mut conn, station).await?)
    }

    /// An order's tickets, bumped or not, in firing order: what the tab sheet marks as
    /// fired ("Marchado") or ready ("Listo") per line; a line in none still waits.
    pub async fn tickets_of_order(
        &self,
        order_id: OrderId,
    ) -> Result<Vec<KitchenTicket>, KitchenError> {
        let mut conn = self.db.read.acquire().await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM orders WHERE id = ? AND deleted_at IS NULL")
                .bind(order_id.to_string())
                .fetch_optional(&mut *conn)
                .await?;
        if exists.is_none() {
            return Err(KitchenError::NotFound);
        }
        Ok(store::tickets_of_order(&mut conn, order_id).await?)
    }

    /// Bumps a whole ticket off the screens.
    pub async fn bump_ticket(
        &self,
        id: uuid::Uuid,
        by: Option<UserId>,
    ) -> Result<KitchenTicket, KitchenError> {
        let ticket = self
            .writer
            .write(move |conn| {
                Box::pin(async move {
                    store::ticket(conn, id)
                        .await?
                        .ok_or(KitchenError::NotFound)?;
                    let at = instant_text(jiff::Timestamp::now());
                    if !store::bump_ticket(conn, id, by, &at).await? {
                        return Err(KitchenError::AlreadyBumped);
                    }
                    store::ticket(conn, id).await?.ok_or(KitchenError::NotFound)
                })
            })
            .await?;
        self.publish(&ticket, "bumped");
        Ok(ticket)
    }

    /// Bumps one line (a plate is ready); the last live line bumps the ticket.
    pub async fn bump_line(
        &self,
        id: uuid::Uuid,
        line_id: OrderLineId,
        by: Option<UserId>,
    ) -> Result<KitchenTicket, KitchenError> {
        let ticket = self
            .writer
            .write(move |conn| {
                Box::pin(async move {
                    let at = instant_text(jiff::Timestamp::now());
                    match store::bump_line(conn, id, line_id, by, &at).await? {
                        None => return Err(KitchenError::NotFound),
                        Some(false) => return Err(KitchenError::AlreadyBumped),
                        Some(true) => {}
                    }
                    store::ticket(conn, id).await?.ok_or(KitchenError::NotFound)
                })
            })
            .await?;
        let action = if ticket.bumped_at.is_some() {
            "bumped"
        } else {
            "line_bumped"
        };
        self.publish(&ticket, action);
        Ok(ticket)
    }

    /// Brings back the station's last bumped ticket.
    pub async fn recall(&self, station: Station) -> Result<KitchenTicket, KitchenError> {
        let ticket = self
            .writer
            .write(move |conn| {
                Box::pin(async move {
                    let id = store::recall(conn, station)
                        .await?
                        .ok_or(KitchenError::NothingToRecall)?;
                    store::ticket(conn, id).await?.ok_or(KitchenError::NotFound)
                })
            })
            .await?;
        self.publish(&ticket, "recalled");
        Ok(ticket)
    }

    /// Reprints a kitchen ticket, marked COPIA. None when its station has no printer.
    pub async fn reprint(&self, id: uuid::Uuid) -> Result<Option<uuid::Uuid>, KitchenError> {
        let tz = self.tz().await?;
        let printing = self.printing.clone();
        let job = self
            .writer
            .write(move |conn| {
                Box::pin(async move {
                    let ticket = store::ticket(conn, id)
                        .await?
                        .ok_or(KitchenError::NotFound)?;
                    Ok::<_, KitchenError>(
                        queue_kitchen_print(&printing, conn, &ticket, &tz, true).await?,
                    )
                })
            })
            .await?;
        self.printing.wake();
        Ok(job)
    }

    fn publish(&self, ticket: &KitchenTicket, action: &str) {
        publish_ticket(&self.events, ticket, action);
    }
}

fn publish_ticket(events: &EventBus, ticket: &KitchenTicket, action: &str) {
    events.publish(
        EventKind::KitchenUpdated,
        ticket.id.to_string(),
        serde_json::json!({
            "station": ticket.station,
            "order_id": ticket.order_id,
            "action": action,
        }),
    );
}

/// What one fire sends: an order's lines, those of them already on a ticket, and the
/// course (none: the lines ordered without one).
pub(crate) struct Firing<'a> {
    /// The order.
    pub order_id: OrderId,
    /// All its lines (voided ones included: they are skipped here).
    pub lines: &'a [OrderLine],
    /// Its lines already sent to the kitchen.
    pub already_fired: &'a [OrderLineId],
    /// The course fired.
    pub course: Option<Course>,
    /// Who fired it (none: fired by itself, [`dysa_domain::kitchen::AutoFire`]).
    pub by: Option<UserId>,
}

/// Fires inside the caller's transaction: the lines of the course not sent before become
/// one ticket per station, with their print jobs. Empty when there was nothing to send.
/// "Marchar" and the auto-fire of a new or accepted order both go through here, so a
/// line reaches the kitchen once whichever sent it.
pub(crate) async fn fire_in(
    conn: &mut sqlx::SqliteConnection,
    printing: &Printing,
    tz: &jiff::tz::TimeZone,
    firing: Firing<'_>,
) -> Result<Vec<KitchenTicket>, StoreError> {
    let candidates: Vec<FireCandidate> = firing
        .lines
        .iter()
        .map(|l| FireCandidate {
            id: l.id,
            course: l.course,
            voided: l.voided,
            fired: firing.already_fired.contains(&l.id),
        })
        .collect();
    let to_fire = lines_to_fire(&candidates, firing.course);
    if to_fire.is_empty() {
        return Ok(Vec::new());
    }
    let now = instant_text(jiff::Timestamp::now());
    let mut new: Vec<NewTicket> = Vec::new();
    for line in firing.lines.iter().filter(|l| to_fire.contains(&l.id)) {
        match new.iter_mut().find(|t| t.station == line.station) {
            Some(ticket) => ticket.lines.push(line.id),
            None => new.push(NewTicket {
                id: uuid::Uuid::now_v7(),
                order_id: firing.order_id,
                station: line.station,
                course: firing.course,
                lines: vec![line.id],
                fired_by: firing.by,
                fired_at: now.clone(),
            }),
        }
    }
    store::insert_tickets(conn, &new).await?;
    let mut tickets = Vec::with_capacity(new.len());
    for ticket in &new {
        let view = store::ticket(conn, ticket.id)
            .await?
            .ok_or_else(|| StoreError::corrupt("kitchen_tickets", "fired ticket not found"))?;
        queue_kitchen_print(printing, conn, &view, tz, false).await?;
        tickets.push(view);
    }
    Ok(tickets)
}

/// After the commit of a fire: wakes the spooler and tells the kitchen screens.
pub(crate) fn announce_fired(printing: &Printing, events: &EventBus, tickets: &[KitchenTicket]) {
    if tickets.is_empty() {
        return;
    }
    printing.wake();
    for ticket in tickets {
        publish_ticket(events, ticket, "fired");
    }
}

/// Queues a kitchen ticket for its station's printer (if it has one).
async fn queue_kitchen_print(
    printing: &Printing,
    conn: &mut sqlx::SqliteConnection,
    ticket: &KitchenTicket,
    tz: &jiff::tz::TimeZone,
    copy: bool,
) -> Result<Option<uuid::Uuid>, StoreError> {
    let document = layout::kitchen_ticket(ticket, tz, copy);
    let place = ticket.table_name.as_ref().map_or_else(
        || {
            format!(
                "Pedido {}",
                dysa_domain::numbering::label(ticket.order_number.unwrap_or_default())
            )
        },
        |t| format!("Mesa {t}"),
    );
    let course = ticket.course.map_or("Con el pedido", Course::label_es);
    printing
        .queue(
            conn,
            Ticket {
                role: PrinterRole::of_station(ticket.station),
                kind: JobKind::Kitchen,
                reference: ticket.id.to_string(),
                title: format!("{place} · {course}"),
                copy,
                document: &document,
            },
        )
        .await
}
