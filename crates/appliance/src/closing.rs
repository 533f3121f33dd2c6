//! Closing the day: the X report of the open day, closing a business day into its Z (an
//! immutable synced row), the Z read back, as CSV and printed, and the tip-out of a shift.
//!
//! The figures are `dysa_domain::closing`'s; this module picks the rows. A business day
//! is the window of [`dysa_domain::closing::day_window`] (local cut-off hour, 04:00 by
//! default). Once a day is closed its Z is never recomputed: a row dated in it that
//! arrives later (an offline counter's sale, a refund entered against the clock) is
//! counted in the next day that is still open, marked as a late correction.

use crate::printing::layout::{Block, Document};
use crate::restaurant::RestaurantSettings;
use crate::store::closing::{self as store, MarkedPayment, MarkedSale, StoredClose, Window};
use crate::store::{Db, StoreError, instant_text};
use dysa_domain::closing::{
    ClosingError as Rule, DayReport, ReportInput, ReportKind, TipSplit, WaiterTips, build_report,
    business_day, day_window,
};
use dysa_domain::ids::{DrawerSessionId, UserId};
use dysa_domain::money::Clp;
use dysa_domain::numbering::label;
use dysa_domain::spreadsheet::quote_cell;
use dysa_domain::sync::rows::DayClose;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

/// How far back a late row is looked for: closed days older than this are not searched
/// (a counter offline for two months has bigger problems than its Z).
pub const LATE_LOOKBACK_DAYS: i64 = 62;

/// Most closed days one list returns.
pub const LIST_MAX: i64 = 400;

/// Why a closing operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ClosingError {
    /// Bad input (a date that is not a date, a day still to come).
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The day was closed already.
    #[error("day already closed")]
    AlreadyClosed(Box<DayClose>),
    /// The day has no Z yet.
    #[error("day not closed")]
    NotClosed,
    /// No such drawer session.
    #[error("session not found")]
    SessionNotFound,
    /// No printer has the counter's role.
    #[error("no printer")]
    NoPrinter,
    /// The report's rules refused (a sum out of range, a date at the calendar's edge).
    #[error(transparent)]
    Rule(#[from] Rule),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ClosingError {
    fn from(error: sqlx::Error) -> Self {
        ClosingError::Store(StoreError::Sqlx(error))
    }
}

/// Parses a business date from a path or query, as a field error.
pub fn parse_date(field: &str, text: &str) -> Result<Date, ClosingError> {
    text.parse::<Date>().map_err(|_| {
        let mut errors = FieldErrors::new();
        errors.add(
            field,
            FieldIssue::Other {
                es: "debe ser una fecha AAAA-MM-DD".into(),
                en: "must be a YYYY-MM-DD date".into(),
            },
        );
        ClosingError::Invalid(errors)
    })
}

/// The business day it is now at the restaurant.
pub fn today(settings: &RestaurantSettings) -> Result<Date, ClosingError> {
    Ok(business_day(
        jiff::Timestamp::now(),
        &settings.tz(),
        settings.day_cutoff_hour,
    )?)
}

fn window(settings: &RestaurantSettings, date: Date) -> Result<Window, ClosingError> {
    let (start, end) = day_window(date, &settings.tz(), settings.day_cutoff_hour)?;
    Ok(Window {
        start: instant_text(start),
        end: instant_text(end),
    })
}

/// Builds the report of `date` from the rows this counter holds, reading through `conn`.
/// `audit` false withholds what open drawers should hold (blind counts).
async fn compute(
    conn: &mut SqliteConnection,
    settings: &RestaurantSettings,
    date: Date,
    kind: ReportKind,
    audit: bool,
) -> Result<DayReport, ClosingError> {
    let day = window(settings, date)?;
    let text = date.to_string();
    let mut sales: Vec<MarkedSale> = store::sales(conn, &day, 0).await?;
    let mut payments: Vec<MarkedPayment> = store::payments(conn, &day, 0).await?;
    let (late_sales, late_payments) = late_rows(conn, settings, date).await?;
    sales.extend(late_sales);
    payments.extend(late_payments);
    let mut drawers = store::drawers(conn, &day).await?;
    if !audit {
        for line in &mut drawers {
            if line.counted.is_none() {
                line.expected = None;
            }
        }
    }
    let input = ReportInput {
        kind,
        business_date: text,
        cutoff_hour: settings.day_cutoff_hour,
        generated_at: crate::store::now_text(),
        tax_rate: settings.tax_rate(),
        sales: sales.into_iter().map(|s| s.sale).collect(),
        payments: payments.into_iter().map(|p| p.payment).collect(),
        voids: store::voids(conn, &day).await?,
        drawers,
    };
    Ok(build_report(input)?)
}

/// Rows dated in a closed day that arrived after its close and fall to `date`: the first
/// day after theirs that was open when they arrived (not closed, or closed after them).
async fn late_rows(
    conn: &mut SqliteConnection,
    settings: &RestaurantSettings,
    date: Date,
) -> Result<(Vec<MarkedSale>, Vec<MarkedPayment>), ClosingError> {
    let from = date
        .checked_sub(jiff::Span::new().days(LATE_LOOKBACK_DAYS))
        .map_err(|_| Rule::OutOfRange)?;
    let closes = store::closed_since(conn, &from.to_string()).await?;
    let target = |closed: &StoredClose, rowid: i64, mark: fn(&StoredClose) -> i64| {
        // The first later day that took the row: not closed, or closed after it arrived.
        let mut day = closed.close.business_date.parse::<Date>().ok()?;
        loop {
            day = day.tomorrow().ok()?;
            let text = day.to_string();
            match closes.iter().find(|c| c.close.business_date == text) {
                Some(later) if mark(later) < rowid => continue,
                _ => return Some(day),
            }
        }
    };
    let (mut sales, mut payments) = (Vec::new(), Vec::new());
    for closed in closes
        .iter()
        .filter(|c| c.close.business_date < date.to_string())
    {
        let Ok(day) = closed.close.business_date.parse::<Date>() else {
            continue;
        };
        let their = window(settings, day)?;
        for mut row in store::sales(conn, &their, closed.orders_mark).await? {
            if target(closed, row.rowid, |c| c.orders_mark) == Some(date) {
                row.sale.late = true;
                sales.push(row);
            }
        }
        for mut row in store::payments(conn, &their, closed.payments_mark).await? {
            if target(closed, row.rowid, |c| c.payments_mark) == Some(date) {
                row.payment.late = true;
                payments.push(row);
            }
        }
    }
    Ok((sales, payments))
}

/// The X report: the first business day from today on that is still open (after
/// tonight's close, the rows still coming in belong to tomorrow).
pub async fn x_report(
    db: &Db,
    settings: &RestaurantSettings,
    audit: bool,
) -> Result<DayReport, ClosingError> {
    let mut conn = db.read.acquire().await?;
    let mut date = today(settings)?;
    while store::closed_day(&mut conn, &date.to_string())
        .await?
        .is_some()
    {
        date = date.tomorrow().map_err(|_| Rule::OutOfRange)?;
    }
    compute(&mut conn, settings, date, ReportKind::X, audit).await
}

/// The Z of a closed day, as it was closed.
pub async fn z_report(db: &Db, date: Date) -> Result<DayClose, ClosingError> {
    let mut conn = db.read.acquire().await?;
    store::closed_day(&mut conn, &date.to_string())
        .await?
        .map(|c| c.close)
        .ok_or(ClosingError::NotClosed)
}

/// The closed days, newest first.
pub async fn list(db: &Db) -> Result<Vec<DayClose>, ClosingError> {
    let mut conn = db.read.acquire().await?;
    Ok(store::recent(&mut conn, LIST_MAX).await?)
}

/// Closes `date`: computes its Z inside the write transaction that stores it (with its
/// outbox row), so the figures and the rows they hold are one instant's. A day still to
/// come is refused; a day already closed answers the close that stands.
pub async fn close(
    db: &Db,
    settings: &RestaurantSettings,
    date: Date,
    by: UserId,
    by_name: &str,
) -> Result<DayClose, ClosingError> {
    if date > today(settings)? {
        let mut errors = FieldErrors::new();
        errors.add(
            "date",
            FieldIssue::Other {
                es: "es un día que aún no empieza".into(),
                en: "is a day that has not started yet".into(),
            },
        );
        return Err(ClosingError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    if let Some(existing) = store::closed_day(&mut tx, &date.to_string()).await? {
        return Err(ClosingError::AlreadyClosed(Box::new(existing.close)));
    }
    let report = compute(&mut tx, settings, date, ReportKind::Z, true).await?;
    let close = DayClose {
        id: uuid::Uuid::now_v7(),
        business_date: date.to_string(),
        device_id: db.device_id().to_string(),
        closed_by: Some(by),
        closed_by_name: Some(by_name.to_owned()),
        closed_at: crate::store::now_text(),
        report,
    };
    if !store::record(&mut tx, &close, db.tick()).await? {
        return Err(ClosingError::NotClosed);
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(close)
}

/// The tips of one drawer session's shift, per waiter: what each is owed.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TipOut {
    /// The session the shift is.
    pub session_id: DrawerSessionId,
    /// Its drawer.
    pub drawer_name: String,
    /// From (RFC 3339).
    pub from: String,
    /// To (its close, or now while open).
    pub to: String,
    /// All tips of the shift by how they were paid.
    pub tips: TipSplit,
    /// Per waiter, largest first.
    pub waiters: Vec<WaiterTips>,
}

/// The tip-out of a drawer session's shift: tips of every payment recorded while it was
/// open, per waiter (the order's), card and cash apart.
pub async fn tip_out(
    db: &Db,
    settings: &RestaurantSettings,
    session: DrawerSessionId,
) -> Result<TipOut, ClosingError> {
    let mut conn = db.read.acquire().await?;
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT drawer_name, opened_at, closed_at FROM drawer_sessions WHERE id = ?",
    )
    .bind(session.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let (drawer_name, from, to) = row.ok_or(ClosingError::SessionNotFound)?;
    let to = to.unwrap_or_else(crate::store::now_text);
    // The end includes the close's own instant: a millisecond after it.
    let end = to
        .parse::<jiff::Timestamp>()
        .ok()
        .and_then(|t| t.checked_add(jiff::SignedDuration::from_millis(1)).ok())
        .map_or_else(|| to.clone(), instant_text);
    let shift = Window {
        start: from.clone(),
        end,
    };
    let payments = store::payments(&mut conn, &shift, 0).await?;
    let report = build_report(ReportInput {
        kind: ReportKind::X,
        business_date: String::new(),
        cutoff_hour: settings.day_cutoff_hour,
        generated_at: crate::store::now_text(),
        tax_rate: settings.tax_rate(),
        sales: Vec::new(),
        payments: payments.into_iter().map(|p| p.payment).collect(),
        voids: Vec::new(),
        drawers: Vec::new(),
    })?;
    Ok(TipOut {
        session_id: session,
        drawer_name,
        from,
        to,
        tips: report.tips,
        waiters: report.tips_by_waiter,
    })
}

fn method_es(method: dysa_domain::payment::PaymentMethod) -> &'static str {
    use dysa_domain::payment::PaymentMethod as M;
    match method {
        M::Cash => "Efectivo",
        M::Debit => "Débito",
        M::Credit => "Crédito",
        M::Transfer => "Transferencia",
        M::MercadoPago => "Mercado Pago",
    }
}

fn channel_es(channel: dysa_domain::order::Channel) -> &'static str {
    use dysa_domain::order::Channel as C;
    match channel {
        C::Counter => "Mostrador",
        C::DineIn => "Mesa",
        C::Takeaway => "Para llevar",
        C::Delivery => "Delivery",
        C::Widget => "Web",
        C::Chat => "Chat",
        C::Phone => "Teléfono",
        C::Whatsapp => "WhatsApp",
    }
}

fn kind_es(report: &DayReport) -> &'static str {
    match report.kind {
        ReportKind::X => "Informe X",
        ReportKind::Z => "Cierre Z",
    }
}

fn late_es(kind: &str) -> &'static str {
    match kind {
        "order" => "Venta",
        "refund" => "Devolución",
        _ => "Pago",
    }
}

fn optional(amount: Option<Clp>) -> String {
    amount.map_or_else(|| "—".to_owned(), |a| a.to_string())
}

/// The report as the rows of a two-column spreadsheet (section, label, value), in Spanish,
/// pesos as whole numbers so the spreadsheet can add them.
fn rows(report: &DayReport) -> Vec<[String; 3]> {
    let mut out: Vec<[String; 3]> = Vec::new();
    let mut put = |section: &str, label: &str, value: String| {
        out.push([section.to_owned(), label.to_owned(), value]);
    };
    let day = "Día";
    put(day, "Informe", kind_es(report).to_owned());
    put(day, "Día comercial", report.business_date.clone());
    put(
        day,
        "Hora de corte",
        format!("{:02}:00", report.cutoff_hour),
    );
    put(day, "Emitido", report.generated_at.clone());
    let sales = "Ventas";
    put(sales, "Pedidos", report.orders.to_string());
    put(
        sales,
        "Pedidos anulados",
        report.cancelled_orders.to_string(),
    );
    put(sales, "Cubiertos", report.covers.to_string());
    let number = |n: Option<i64>| n.map_or_else(String::new, label);
    put(sales, "Primer pedido", number(report.first_number));
    put(sales, "Último pedido", number(report.last_number));
    for range in &report.number_ranges {
        put(
            sales,
            &format!("Pedidos caja {}", range.counter),
            format!("{} a {}", label(range.first), label(range.last)),
        );
    }
    put(sales, "Ventas (IVA incluido)", report.sales.0.to_string());
    put(sales, "Neto", report.net.0.to_string());
    put(sales, "IVA", report.tax.0.to_string());
    put(sales, "Descuentos", report.discounts.0.to_string());
    put(
        sales,
        "Ticket promedio",
        report.average_ticket.0.to_string(),
    );
    for line in &report.by_channel {
        put(
            "Ventas por canal",
            channel_es(line.channel),
            line.sales.0.to_string(),
        );
    }
    for line in &report.by_method {
        let section = format!("Medio de pago: {}", method_es(line.method));
        put(&section, "Pagos", line.payments.to_string());
        put(&section, "Pagado", line.paid.0.to_string());
        put(&section, "Devuelto", line.refunded.0.to_string());
        put(&section, "Propinas", line.tips.0.to_string());
        put(&section, "Total", line.total.0.to_string());
    }
    let money = "Caja";
    put(money, "Recaudado", report.collected.0.to_string());
    put(money, "Devoluciones", report.refunds.0.to_string());
    put(
        money,
        "Propinas con tarjeta",
        report.tips.card.0.to_string(),
    );
    put(
        money,
        "Propinas en efectivo",
        report.tips.cash.0.to_string(),
    );
    put(
        money,
        "Propinas otros medios",
        report.tips.other.0.to_string(),
    );
    for waiter in &report.tips_by_waiter {
        put(
            "Propinas por garzón",
            waiter.waiter.as_deref().unwrap_or("Sin garzón"),
            waiter.tips.total.0.to_string(),
        );
    }
    for drawer in &report.drawers {
        let section = format!("Gaveta: {}", drawer.drawer_name);
        put(
            &section,
            "Fondo inicial",
            drawer.opening_float.0.to_string(),
        );
        put(
            &section,
            "Esperado",
            drawer
                .expected
                .map_or_else(String::new, |a| a.0.to_string()),
        );
        put(
            &section,
            "Contado",
            drawer.counted.map_or_else(String::new, |a| a.0.to_string()),
        );
        put(
            &section,
            "Diferencia",
            drawer
                .difference
                .map_or_else(String::new, |a| a.0.to_string()),
        );
    }
    put("Anulaciones", "Cantidad", report.void_count.to_string());
    put("Anulaciones", "Monto", report.voided.0.to_string());
    for void in &report.voids {
        let what = void.item.as_deref().unwrap_or("Pedido completo");
        put(
            "Anulación",
            &format!(
                "Pedido {} · {} x {} · {} · {}",
                label(void.order_number),
                void.quantity,
                what,
                void.by.as_deref().unwrap_or("—"),
                void.reason.as_deref().unwrap_or("—"),
            ),
            void.amount.0.to_string(),
        );
    }
    for late in &report.late_corrections {
        put(
            "Corrección tardía",
            &format!(
                "{} · Pedido {}",
                late_es(&late.kind),
                label(late.order_number)
            ),
            late.amount.0.to_string(),
        );
    }
    out
}

/// The report as CSV: `sección,concepto,valor`, every text cell formula-safe
/// (`spreadsheet::quote_cell`: a waiter named `=HYPERLINK(…)` stays text).
pub fn csv(report: &DayReport) -> Result<String, ClosingError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("day_closes", e);
    writer
        .write_record(["sección", "concepto", "valor"])
        .map_err(|e| corrupt(&e))?;
    for row in rows(report) {
        writer
            .write_record(row.iter().map(|c| quote_cell(c).into_owned()))
            .map_err(|e| corrupt(&e))?;
    }
    let bytes = writer.into_inner().map_err(|e| corrupt(&e.into_error()))?;
    Ok(String::from_utf8(bytes).map_err(|e| corrupt(&e))?)
}

/// The report as an A4 PDF with the printed ticket's blocks (so paper, file and screen
/// agree), for the owner's or the accountant's records.
pub fn pdf(report: &DayReport, restaurant: &str) -> Vec<u8> {
    let title = format!("{} · {}", kind_es(report), report.business_date);
    crate::printing::pdf::render(&document(report, restaurant), &title)
}

/// The report as a counter ticket (ESC/POS through the print queue).
pub fn document(report: &DayReport, restaurant: &str) -> Document {
    let mut blocks = vec![Block::Title(match report.kind {
        ReportKind::X => "INFORME X".to_owned(),
        ReportKind::Z => "CIERRE Z".to_owned(),
    })];
    if !restaurant.is_empty() {
        blocks.push(Block::Text(restaurant.to_owned()));
    }
    blocks.push(Block::Text(format!(
        "Día comercial {} (corte {:02}:00)",
        report.business_date, report.cutoff_hour
    )));
    blocks.push(Block::Rule);
    let pair = |label: &str, value: String| Block::Pair(label.to_owned(), value);
    blocks.push(pair("Pedidos", report.orders.to_string()));
    blocks.push(pair("Anulados", report.cancelled_orders.to_string()));
    for range in &report.number_ranges {
        blocks.push(pair(
            &format!("Pedidos N° caja {}", range.counter),
            format!("{} a {}", label(range.first), label(range.last)),
        ));
    }
    blocks.push(pair("Cubiertos", report.covers.to_string()));
    blocks.push(pair("Ventas", report.sales.to_string()));
    blocks.push(pair("Neto", report.net.to_string()));
    blocks.push(pair("IVA", report.tax.to_string()));
    blocks.push(pair("Descuentos", report.discounts.to_string()));
    blocks.push(pair("Ticket promedio", report.average_ticket.to_string()));
    blocks.push(Block::Rule);
    for line in report.by_channel.iter().filter(|l| l.orders > 0) {
        blocks.push(pair(channel_es(line.channel), line.sales.to_string()));
    }
    blocks.push(Block::Rule);
    for line in report
        .by_method
        .iter()
        .filter(|l| l.payments > 0 || l.refunded != Clp::ZERO)
    {
        blocks.push(pair(method_es(line.method), line.total.to_string()));
        if line.refunded != Clp::ZERO {
            blocks.push(Block::Detail(format!("Devuelto {}", line.refunded)));
        }
    }
    blocks.push(pair("Recaudado", report.collected.to_string()));
    blocks.push(Block::Rule);
    blocks.push(pair("Propinas tarjeta", report.tips.card.to_string()));
    blocks.push(pair("Propinas efectivo", report.tips.cash.to_string()));
    if report.tips.other != Clp::ZERO {
        blocks.push(pair("Propinas otros", report.tips.other.to_string()));
    }
    for waiter in &report.tips_by_waiter {
        blocks.push(Block::Detail(format!(
            "{}: {}",
            waiter.waiter.as_deref().unwrap_or("Sin garzón"),
            waiter.tips.total
        )));
    }
    for drawer in &report.drawers {
        blocks.push(Block::Rule);
        blocks.push(Block::Text(format!("Gaveta {}", drawer.drawer_name)));
        blocks.push(pair("Esperado", optional(drawer.expected)));
        blocks.push(pair("Contado", optional(drawer.counted)));
        blocks.push(pair("Diferencia", optional(drawer.difference)));
    }
    if report.void_count > 0 {
        blocks.push(Block::Rule);
        blocks.push(pair(
            &format!("Anulaciones ({})", report.void_count),
            report.voided.to_string(),
        ));
        for void in &report.voids {
            blocks.push(Block::Detail(format!(
                "#{} {} {} · {}",
                label(void.order_number),
                void.item.as_deref().unwrap_or("pedido"),
                void.by.as_deref().unwrap_or(""),
                void.reason.as_deref().unwrap_or(""),
            )));
        }
    }
    if !report.late_corrections.is_empty() {
        blocks.push(Block::Rule);
        blocks.push(Block::Text("Correcciones tardías".into()));
        for late in &report.late_corrections {
            blocks.push(pair(
                &format!("{} #{}", late_es(&late.kind), label(late.order_number)),
                late.amount.to_string(),
            ));
        }
    }
    blocks.push(Block::Rule);
    blocks.push(Block::Text(format!("Emitido {}", report.generated_at)));
    Document { blocks }
}

/// Queues the report on the counter's printer.
pub async fn print(
    db: &Db,
    printing: &crate::printing::Printing,
    report: &DayReport,
    restaurant: &str,
) -> Result<uuid::Uuid, ClosingError> {
    let mut tx = db.begin().await?;
    // A Z printed again is a copy; every X is a fresh reading.
    let reference = match report.kind {
        ReportKind::X => format!("x:{}", report.business_date),
        ReportKind::Z => format!("z:{}", report.business_date),
    };
    let copy = report.kind == ReportKind::Z
        && crate::store::printing::printed_before(
            &mut tx,
            crate::store::printing::JobKind::Report,
            &reference,
        )
        .await?;
    let mut document = document(report, restaurant);
    if copy {
        document
            .blocks
            .insert(0, Block::Title("*** COPIA ***".into()));
    }
    let job = printing
        .queue(
            &mut tx,
            crate::printing::Ticket {
                role: crate::store::printing::PrinterRole::Counter,
                kind: crate::store::printing::JobKind::Report,
                reference,
                title: format!("{} · {}", kind_es(report), report.business_date),
                copy,
                document: &document,
            },
        )
        .await?
        .ok_or(ClosingError::NoPrinter)?;
    tx.commit().await.map_err(StoreError::from)?;
    printing.wake();
    Ok(job)
}
