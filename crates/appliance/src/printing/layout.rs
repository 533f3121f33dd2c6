//! What a printed ticket says, laid out for 58 or 80 mm paper, and its ESC/POS bytes.
//!
//! Layout is plain text in blocks (titles in big type, rules, left/right pairs); the bytes
//! are made with the `escpos` crate in the printer's code page, so accents and `ñ` print
//! as letters, never as `Ã±`. Text is wrapped here, not by the printer, so a long dish
//! name breaks between words and the amounts stay right-aligned.

use crate::store::fiscal::{FiscalDocument, FiscalKind, FiscalStatus};
use crate::store::kitchen::KitchenTicket;
use crate::store::orders::{Order, Payment};
use dysa_domain::money::Clp;
use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::printer_options::PrinterOptions;
use escpos::utils::{JustifyMode, PageCode, Protocol};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;

/// Paper width.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Paper {
    /// 58 mm rolls: 32 characters a line in the normal font.
    #[serde(rename = "58")]
    Mm58,
    /// 80 mm rolls: 48 characters a line.
    #[serde(rename = "80")]
    Mm80,
}

impl Paper {
    /// Characters per line in the normal font (font A).
    pub fn columns(self) -> usize {
        match self {
            Paper::Mm58 => 32,
            Paper::Mm80 => 48,
        }
    }

    /// The width in millimetres, as stored.
    pub fn mm(self) -> i64 {
        match self {
            Paper::Mm58 => 58,
            Paper::Mm80 => 80,
        }
    }

    /// From the stored millimetres.
    pub fn from_mm(mm: i64) -> Option<Paper> {
        match mm {
            58 => Some(Paper::Mm58),
            80 => Some(Paper::Mm80),
            _ => None,
        }
    }
}

/// The printer's character table, selected with `ESC t`. All three hold the Spanish
/// letters; which one a printer has depends on its firmware.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodePage {
    /// PC858 (PC850 with €): the default of most Epson-compatible printers sold in Chile.
    Pc858,
    /// PC850 (Multilingual Latin 1).
    Pc850,
    /// Windows-1252.
    Wpc1252,
}

impl CodePage {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CodePage::Pc858 => "pc858",
            CodePage::Pc850 => "pc850",
            CodePage::Wpc1252 => "wpc1252",
        }
    }

    /// From the stored name.
    pub fn parse(text: &str) -> Option<CodePage> {
        match text {
            "pc858" => Some(CodePage::Pc858),
            "pc850" => Some(CodePage::Pc850),
            "wpc1252" => Some(CodePage::Wpc1252),
            _ => None,
        }
    }

    fn escpos(self) -> PageCode {
        match self {
            CodePage::Pc858 => PageCode::PC858,
            CodePage::Pc850 => PageCode::PC850,
            CodePage::Wpc1252 => PageCode::WPC1252,
        }
    }
}

/// One block of a ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Big type (double width and height), centred: the station, the table.
    Title(String),
    /// Big type, left: each dish on a kitchen ticket, so a cook reads it from afar.
    Big(String),
    /// Normal text, wrapped.
    Text(String),
    /// Normal text, indented under a dish (modifiers, seat, note).
    Detail(String),
    /// A label on the left and an amount on the right.
    Pair(String, String),
    /// A line of dashes.
    Rule,
    /// The timbre electrónico of a boleta as the PDF417 the SII asks on paper (its TED).
    Pdf417(String),
    /// A QR code (the provider's copy of a document, where there is no TED to print).
    Qr(String),
}

/// A laid-out ticket.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// Its blocks, top to bottom.
    pub blocks: Vec<Block>,
}

/// Why a ticket could not be turned into bytes (never expected: the layout only uses
/// commands the crate accepts).
#[derive(Debug, thiserror::Error)]
#[error("ESC/POS encoding failed: {0}")]
pub struct EncodeError(String);

impl From<escpos::errors::PrinterError> for EncodeError {
    fn from(error: escpos::errors::PrinterError) -> Self {
        EncodeError(format!("{error:?}"))
    }
}

/// Letters outside ASCII that the three code pages all print. Anything else (an emoji in
/// a note) becomes `?` rather than bytes the printer would show as garbage.
const SPANISH: &str = "áéíóúÁÉÍÓÚñÑüÜ¿¡°·ºª";

/// Keeps what the printer can print.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_ascii() && !c.is_ascii_control() => c,
            c if SPANISH.contains(c) => c,
            _ => '?',
        })
        .collect()
}

/// Breaks `text` into lines of at most `width` characters, between words when it can.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = current.chars().count();
            let room = if used == 0 {
                width
            } else {
                width.saturating_sub(used + 1)
            };
            if word.len() <= room {
                if used > 0 {
                    current.push(' ');
                }
                current.extend(word.iter());
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut current));
                continue;
            }
            // A word longer than the line: cut it.
            let rest = word.split_off(width);
            lines.push(word.iter().collect());
            word = rest;
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// `left` and `right` on one line of `width`, the right part flush right; a long left part
/// wraps and the amount goes on its last line.
pub fn pair(left: &str, right: &str, width: usize) -> Vec<String> {
    let right_len = right.chars().count();
    let mut lines = wrap(left, width.saturating_sub(right_len + 1).max(1));
    let last = lines.pop().unwrap_or_default();
    let gap = width
        .saturating_sub(last.chars().count() + right_len)
        .max(1);
    lines.push(format!("{last}{}{right}", " ".repeat(gap)));
    lines
}

impl Document {
    /// The ticket as the text lines a printer of `paper` shows, big lines marked by the
    /// caller's choice of how to show them (used by tests and the panel's preview).
    pub fn lines(&self, paper: Paper) -> Vec<(bool, String)> {
        let columns = paper.columns();
        let mut out = Vec::new();
        for block in &self.blocks {
            match block {
                Block::Title(text) | Block::Big(text) => {
                    for line in wrap(&printable(text), columns / 2) {
                        out.push((true, line));
                    }
                }
                Block::Text(text) => {
                    for line in wrap(&printable(text), columns) {
                        out.push((false, line));
                    }
                }
                Block::Detail(text) => {
                    for line in wrap(&printable(text), columns - 3) {
                        out.push((false, format!("   {line}")));
                    }
                }
                Block::Pair(left, right) => {
                    for line in pair(&printable(left), &printable(right), columns) {
                        out.push((false, line));
                    }
                }
                Block::Rule => out.push((false, "-".repeat(columns))),
                Block::Pdf417(_) => out.push((false, "[Timbre Electrónico SII]".into())),
                Block::Qr(url) => out.push((false, format!("[QR] {}", printable(url)))),
            }
        }
        out
    }

    /// The ESC/POS bytes: initialise, select the code page, the blocks, feed and cut.
    pub fn encode(&self, paper: Paper, code_page: CodePage) -> Result<Vec<u8>, EncodeError> {
        let capture = Capture::default();
        let options = PrinterOptions::new(
            Some(code_page.escpos()),
            None,
            u8::try_from(paper.columns()).unwrap_or(48),
        );
        let mut printer = Printer::new(capture.clone(), Protocol::default(), Some(options));
        printer.init()?;
        let columns = paper.columns();
        for block in &self.blocks {
            match block {
                Block::Title(text) => {
                    printer
                        .justify(JustifyMode::CENTER)?
                        .size(2, 2)?
                        .bold(true)?;
                    for line in wrap(&printable(text), columns / 2) {
                        writeln(&mut printer, &line)?;
                    }
                    printer
                        .bold(false)?
                        .reset_size()?
                        .justify(JustifyMode::LEFT)?;
                }
                Block::Big(text) => {
                    printer.size(2, 2)?;
                    for line in wrap(&printable(text), columns / 2) {
                        writeln(&mut printer, &line)?;
                    }
                    printer.reset_size()?;
                }
                Block::Pdf417(data) => {
                    printer
                        .justify(JustifyMode::CENTER)?
                        .pdf417(data)?
                        .justify(JustifyMode::LEFT)?;
                }
                Block::Qr(data) => {
                    printer
                        .justify(JustifyMode::CENTER)?
                        .qrcode(data)?
                        .justify(JustifyMode::LEFT)?;
                }
                Block::Text(_) | Block::Detail(_) | Block::Pair(..) | Block::Rule => {
                    let single = Document {
                        blocks: vec![block.clone()],
                    };
                    for (_, line) in single.lines(paper) {
                        writeln(&mut printer, &line)?;
                    }
                }
            }
        }
        printer.feeds(3)?.print_cut()?;
        Ok(capture.take())
    }
}

/// Writes one line of printable text and a line feed. ASCII goes out as itself; only the
/// Spanish letters go through the crate's code-page table, because escpos 0.19's PC858
/// table maps the ASCII `-` to 0xF0 (a soft hyphen) and would garble every rule and
/// "Mesa 4 - Fondos".
fn writeln(printer: &mut Printer<Capture>, line: &str) -> Result<(), EncodeError> {
    let mut rest = line;
    while !rest.is_empty() {
        let ascii = rest.chars().next().is_some_and(|c| c.is_ascii());
        let end = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii() != ascii)
            .map_or(rest.len(), |(i, _)| i);
        let (run, tail) = rest.split_at(end);
        if ascii {
            printer.custom(run.as_bytes())?;
        } else {
            printer.write(run)?;
        }
        rest = tail;
    }
    printer.feed()?;
    Ok(())
}

/// An escpos driver that keeps the bytes: tickets are queued (on disk) before any printer
/// is reached, and sent by the spooler.
#[derive(Clone, Default)]
struct Capture(Rc<RefCell<Vec<u8>>>);

impl Capture {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

impl Driver for Capture {
    fn name(&self) -> String {
        "capture".to_owned()
    }

    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }

    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }

    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

/// The station's name on a ticket.
fn station_label(station: dysa_domain::menu::Station) -> &'static str {
    match station {
        dysa_domain::menu::Station::Kitchen => "COCINA",
        dysa_domain::menu::Station::Bar => "BARRA",
        dysa_domain::menu::Station::Dessert => "POSTRES",
    }
}

/// A local time of day (America/Santiago or the restaurant's zone), 24 h.
fn local_time(instant: &str, tz: &jiff::tz::TimeZone) -> String {
    instant
        .parse::<jiff::Timestamp>()
        .map(|ts| ts.to_zoned(tz.clone()).strftime("%H:%M").to_string())
        .unwrap_or_default()
}

/// A kitchen ticket: station, table (or order number), course, waiter, then each dish in
/// big type with its modifiers, seat and note. A reprint starts with COPIA.
pub fn kitchen_ticket(ticket: &KitchenTicket, tz: &jiff::tz::TimeZone, copy: bool) -> Document {
    let mut blocks = Vec::new();
    if copy {
        blocks.push(Block::Title("*** COPIA ***".into()));
    }
    blocks.push(Block::Title(station_label(ticket.station).into()));
    match &ticket.table_name {
        Some(table) => blocks.push(Block::Title(format!("Mesa {table}"))),
        None => blocks.push(Block::Title(format!(
            "Pedido {}",
            dysa_domain::numbering::label(ticket.order_number.unwrap_or_default())
        ))),
    }
    let course = ticket
        .course
        .map_or("Con el pedido", dysa_domain::kitchen::Course::label_es);
    blocks.push(Block::Text(format!(
        "Pedido {} · {course}",
        dysa_domain::numbering::label(ticket.order_number.unwrap_or_default())
    )));
    if let Some(waiter) = &ticket.waiter_name {
        blocks.push(Block::Text(format!("Garzón: {waiter}")));
    }
    if let Some(covers) = ticket.covers {
        blocks.push(Block::Text(format!("Personas: {}", covers.get())));
    }
    blocks.push(Block::Text(format!(
        "Marchar: {}",
        local_time(&ticket.fired_at, tz)
    )));
    blocks.push(Block::Rule);
    for line in &ticket.lines {
        let anulado = if line.voided { " (ANULADO)" } else { "" };
        blocks.push(Block::Big(format!(
            "{} x {}{anulado}",
            line.quantity, line.name
        )));
        for modifier in &line.modifiers {
            blocks.push(Block::Detail(modifier.clone()));
        }
        if let Some(seat) = line.seat {
            blocks.push(Block::Detail(format!("Asiento {}", seat.get())));
        }
        if let Some(note) = &line.note {
            blocks.push(Block::Detail(format!("Nota: {note}")));
        }
    }
    blocks.push(Block::Rule);
    if let Some(note) = &ticket.order_note {
        blocks.push(Block::Text(format!("Nota del pedido: {note}")));
    }
    Document { blocks }
}

/// The suggested tip on a pre-bill: 10 % of the total, rounded to the peso. Chilean law
/// makes it voluntary, so it is shown apart and never added to what is owed.
pub fn suggested_tip(total: Clp) -> Clp {
    Clp((total.0 * 10 + 50) / 100)
}

/// Where an order was served, for the papers the table gets: its table's name and its
/// tab's waiter's.
#[derive(Clone, Copy, Debug, Default)]
pub struct Served<'a> {
    /// The table's name.
    pub table: Option<&'a str>,
    /// The waiter's name.
    pub waiter: Option<&'a str>,
}

fn order_header(order: &Order, served: Served<'_>, blocks: &mut Vec<Block>, title: &str) {
    blocks.push(Block::Title(title.into()));
    match served.table {
        Some(table) => blocks.push(Block::Text(format!(
            "Mesa {table} · Pedido {}",
            dysa_domain::numbering::label(order.number)
        ))),
        None => blocks.push(Block::Text(format!(
            "Pedido {}",
            dysa_domain::numbering::label(order.number)
        ))),
    }
    match (served.waiter, order.covers) {
        (Some(waiter), Some(covers)) => blocks.push(Block::Text(format!(
            "Garzón: {waiter} · Personas: {}",
            covers.get()
        ))),
        (Some(waiter), None) => blocks.push(Block::Text(format!("Garzón: {waiter}"))),
        (None, Some(covers)) => {
            blocks.push(Block::Text(format!("Personas: {}", covers.get())));
        }
        (None, None) => {}
    }
    blocks.push(Block::Rule);
    for line in order.lines.iter().filter(|l| !l.voided) {
        blocks.push(Block::Pair(
            format!("{} x {}", line.quantity, line.name),
            line.line_total.to_string(),
        ));
        // A line's own discount sits under it, with its share when it was one.
        if let Some(discount) = &line.discount {
            let label = match discount.percent {
                Some(p) => format!("  Descuento {p}%"),
                None => "  Descuento".to_owned(),
            };
            blocks.push(Block::Pair(label, Clp(-discount.amount.0).to_string()));
        }
    }
    blocks.push(Block::Rule);
    if order.discount.0 > 0 {
        blocks.push(Block::Pair("Subtotal".into(), order.subtotal.to_string()));
        let bill = order.bill_discount();
        if bill.0 > 0 {
            blocks.push(Block::Pair("Descuento".into(), Clp(-bill.0).to_string()));
        }
    }
    blocks.push(Block::Pair("TOTAL".into(), order.total.to_string()));
    blocks.push(Block::Pair("IVA incluido".into(), order.tax.to_string()));
}

/// The pre-bill ("pre-cuenta") a table asks for: lines, total with IVA included, and the
/// suggested 10 % tip apart, said to be voluntary.
pub fn prebill(order: &Order, served: Served<'_>, copy: bool) -> Document {
    let mut blocks = Vec::new();
    if copy {
        blocks.push(Block::Title("*** COPIA ***".into()));
    }
    order_header(order, served, &mut blocks, "PRE-CUENTA");
    let tip = suggested_tip(order.total);
    blocks.push(Block::Rule);
    blocks.push(Block::Pair("Propina sugerida 10%".into(), tip.to_string()));
    blocks.push(Block::Pair(
        "Total con propina".into(),
        Clp(order.total.0 + tip.0).to_string(),
    ));
    blocks.push(Block::Text("La propina es voluntaria.".into()));
    blocks.push(Block::Text("Este documento no es boleta.".into()));
    Document { blocks }
}

/// A payment receipt: what was paid, how, the change, the tip received.
pub fn receipt(
    order: &Order,
    payments: &[Payment],
    fiscal: &[FiscalDocument],
    served: Served<'_>,
    copy: bool,
) -> Document {
    let mut blocks = Vec::new();
    if copy {
        blocks.push(Block::Title("*** COPIA ***".into()));
    }
    order_header(order, served, &mut blocks, "COMPROBANTE");
    blocks.push(Block::Rule);
    for payment in payments {
        blocks.push(Block::Pair(
            payment_method_es(payment.method).into(),
            payment.amount.to_string(),
        ));
        if let Some(received) = payment.received {
            blocks.push(Block::Pair("Recibido".into(), received.to_string()));
        }
        if let Some(change) = payment.change {
            blocks.push(Block::Pair("Vuelto".into(), change.to_string()));
        }
        if payment.tip.0 > 0 {
            blocks.push(Block::Pair("Propina".into(), payment.tip.to_string()));
        }
    }
    fiscal_blocks(fiscal, &mut blocks);
    blocks.push(Block::Text("¡Gracias por su visita!".into()));
    Document { blocks }
}

/// The tax documents of the order: each issued one with its folio and its timbre
/// (PDF417 of the TED, else a QR of the provider's copy); those not issued yet said so,
/// and without any the receipt says it is no boleta.
fn fiscal_blocks(fiscal: &[FiscalDocument], blocks: &mut Vec<Block>) {
    let mut any = false;
    for doc in fiscal {
        let name = match doc.kind {
            FiscalKind::Boleta => "BOLETA ELECTRÓNICA",
            FiscalKind::Factura => "FACTURA ELECTRÓNICA",
            FiscalKind::CreditNote => "NOTA DE CRÉDITO ELECTRÓNICA",
        };
        match (doc.status, doc.folio) {
            (FiscalStatus::Issued, Some(folio)) => {
                any = true;
                blocks.push(Block::Rule);
                blocks.push(Block::Text(format!("{name} N° {folio}")));
                blocks.push(Block::Pair("Total".into(), Clp(doc.total).to_string()));
                if let Some(ted) = doc.ted.as_deref().filter(|t| !t.is_empty()) {
                    blocks.push(Block::Pdf417(ted.to_owned()));
                    blocks.push(Block::Text("Timbre Electrónico SII".into()));
                    blocks.push(Block::Text("Verifique documento: www.sii.cl".into()));
                } else if let Some(url) = doc.url_public_view.as_deref() {
                    blocks.push(Block::Qr(url.to_owned()));
                    blocks.push(Block::Text("Vea su documento en el código QR".into()));
                }
            }
            (FiscalStatus::Pending, _) => {
                any = true;
                blocks.push(Block::Text(format!(
                    "{name}: en emisión, se enviará al SII"
                )));
            }
            _ => {}
        }
    }
    if !any {
        blocks.push(Block::Text("Este documento no es boleta.".into()));
    }
}

fn payment_method_es(method: dysa_domain::payment::PaymentMethod) -> &'static str {
    use dysa_domain::payment::PaymentMethod as M;
    match method {
        M::Cash => "Efectivo",
        M::Debit => "Débito",
        M::Credit => "Crédito",
        M::Transfer => "Transferencia",
        M::MercadoPago => "Mercado Pago",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_between_words_and_cuts_long_ones() {
        assert_eq!(wrap("Lomo a lo pobre", 8), vec!["Lomo a", "lo pobre"]);
        assert_eq!(wrap("Chorrillana", 5), vec!["Chorr", "illan", "a"]);
        assert_eq!(wrap("", 5), vec![""]);
        for line in wrap("Pastel de choclo con ensalada chilena y pebre", 16) {
            assert!(line.chars().count() <= 16, "{line}");
        }
    }

    proptest::proptest! {
        /// No line is wider than the paper, and wrapping loses or adds no character.
        #[test]
        fn wrapped_lines_fit_and_keep_the_text(
            text in "[a-zñáé ]{0,80}",
            width in 1usize..50,
        ) {
            let lines = wrap(&text, width);
            for line in &lines {
                proptest::prop_assert!(line.chars().count() <= width, "{line:?}");
            }
            let squeezed: String = text.split_whitespace().collect();
            let rejoined: String = lines.concat().split_whitespace().collect();
            proptest::prop_assert_eq!(squeezed, rejoined);
        }
    }

    #[test]
    fn pairs_put_the_amount_flush_right() {
        assert_eq!(pair("Total", "$12.990", 20), vec!["Total        $12.990"]);
        let long = pair("2 x Pastel de choclo grande", "$25.980", 20);
        assert_eq!(long.last().expect("a line").chars().count(), 20);
    }

    #[test]
    fn unprintable_characters_become_question_marks() {
        assert_eq!(printable("Ñandú 🙂"), "Ñandú ?");
    }

    #[test]
    fn the_suggested_tip_is_ten_percent_rounded() {
        assert_eq!(suggested_tip(Clp(12_990)), Clp(1_299));
        assert_eq!(suggested_tip(Clp(12_995)), Clp(1_300));
        assert_eq!(suggested_tip(Clp(0)), Clp(0));
    }

    #[test]
    fn bytes_select_the_code_page_and_encode_the_letters() {
        let doc = Document {
            blocks: vec![Block::Text("Ñoquis á".into())],
        };
        let bytes = doc.encode(Paper::Mm58, CodePage::Pc858).expect("encode");
        // ESC @, then ESC t 19 (PC858).
        assert_eq!(&bytes[..5], &[0x1B, 0x40, 0x1B, 0x74, 19]);
        // Ñ = 0xA5, á = 0xA0 in PC850/858.
        let text = [0xA5, b'o', b'q', b'u', b'i', b's', b' ', 0xA0];
        assert!(bytes.windows(text.len()).any(|w| w == text));
    }
}
