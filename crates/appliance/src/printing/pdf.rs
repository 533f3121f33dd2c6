//! A laid-out ticket ([`Document`]) as an A4 PDF: the Z and X reports the owner or the
//! accountant keep, with the same blocks the counter prints, so the paper, the screen and
//! the file never disagree.
//!
//! The text is set in Helvetica and Helvetica-Bold, two of the PDF standard fonts every
//! reader has (PDF 1.7, 9.6.2.2), with `WinAnsiEncoding`, which holds every Spanish
//! letter (á é í ó ú ü ñ and their capitals, ¿ ¡, °, ·). Nothing is embedded, so a Z is a
//! few kilobytes. A character outside WinAnsi (an emoji in a name) prints as `?`.
//! Barcodes are not drawn: a PDF417 timbre is left out and a QR prints its link.

use super::layout::{Block, Document};
use super::pdf_metrics::{BOLD, REGULAR};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// A4 in points.
const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
/// The report reads as one column, like the paper it mirrors, centred on the page.
const COLUMN: f32 = 400.0;
const LEFT: f32 = (PAGE_WIDTH - COLUMN) / 2.0;
const RIGHT: f32 = LEFT + COLUMN;
const TOP: f32 = PAGE_HEIGHT - 64.0;
/// The lowest baseline of the body; the page number sits below it.
const BOTTOM: f32 = 72.0;
const FOOTER: f32 = 40.0;
const INDENT: f32 = 14.0;

const SIZE_TITLE: f32 = 17.0;
const SIZE_BIG: f32 = 13.0;
const SIZE_TEXT: f32 = 10.5;
const SIZE_DETAIL: f32 = 9.0;
/// Muted text (details, rules, the footer).
const GREY: f32 = 0.4;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Face {
    Regular,
    Bold,
}

impl Face {
    fn name(self) -> Name<'static> {
        match self {
            Face::Regular => Name(b"F1"),
            Face::Bold => Name(b"F2"),
        }
    }
}

/// One thing drawn on a page.
enum Mark {
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        grey: bool,
        bytes: Vec<u8>,
    },
    Rule {
        y: f32,
    },
}

/// The character's WinAnsi code (PDF 1.7, annex D.2); `?` where it has none.
fn winansi(c: char) -> u8 {
    let code = u32::from(c);
    match code {
        0x20..=0x7e | 0xa0..=0xff => code as u8,
        _ => match c {
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8a,
            '‹' => 0x8b,
            'Œ' => 0x8c,
            'Ž' => 0x8e,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9a,
            '›' => 0x9b,
            'œ' => 0x9c,
            'ž' => 0x9e,
            'Ÿ' => 0x9f,
            '\t' | '\n' | '\r' => b' ',
            _ => b'?',
        },
    }
}

fn encode(text: &str) -> Vec<u8> {
    text.chars().map(winansi).collect()
}

/// The width of encoded text in points.
fn width(bytes: &[u8], face: Face, size: f32) -> f32 {
    let table = match face {
        Face::Regular => &REGULAR,
        Face::Bold => &BOLD,
    };
    let units: u32 = bytes
        .iter()
        .map(|&b| u32::from(table[usize::from(b.max(32)) - 32]))
        .sum();
    units as f32 * size / 1000.0
}

/// Greedy word wrap to `max` points; a word wider than a line is cut where it must be.
fn wrap(text: &str, face: Face, size: f32, max: f32) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for word in text.split_whitespace() {
        let word = encode(word);
        let mut candidate = line.clone();
        if !candidate.is_empty() {
            candidate.push(b' ');
        }
        candidate.extend_from_slice(&word);
        if width(&candidate, face, size) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for byte in word {
            line.push(byte);
            if width(&line, face, size) > max && line.len() > 1 {
                let last = line.pop().unwrap_or(b' ');
                lines.push(std::mem::replace(&mut line, vec![last]));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Lays the blocks out top to bottom, starting a new page where one is full.
struct Pages {
    pages: Vec<Vec<Mark>>,
    y: f32,
}

impl Pages {
    fn new() -> Self {
        Pages {
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    /// Moves down by `height` for the next line, on a new page when it would not fit.
    fn advance(&mut self, height: f32) -> f32 {
        if self.y - height < BOTTOM {
            self.pages.push(Vec::new());
            self.y = TOP;
        }
        self.y -= height;
        self.y
    }

    fn mark(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push(mark);
        }
    }

    fn text(&mut self, x: f32, y: f32, face: Face, size: f32, grey: bool, bytes: Vec<u8>) {
        self.mark(Mark::Text {
            x,
            y,
            face,
            size,
            grey,
            bytes,
        });
    }

    fn paragraph(&mut self, text: &str, face: Face, size: f32, indent: f32, grey: bool) {
        for line in wrap(text, face, size, COLUMN - indent) {
            let y = self.advance(size * 1.45);
            self.text(LEFT + indent, y, face, size, grey, line);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Title(text) => {
                for line in wrap(text, Face::Bold, SIZE_TITLE, COLUMN) {
                    let y = self.advance(SIZE_TITLE * 1.5);
                    let x = LEFT + (COLUMN - width(&line, Face::Bold, SIZE_TITLE)) / 2.0;
                    self.text(x, y, Face::Bold, SIZE_TITLE, false, line);
                }
                self.y -= 4.0;
            }
            Block::Big(text) => self.paragraph(text, Face::Bold, SIZE_BIG, 0.0, false),
            Block::Text(text) => self.paragraph(text, Face::Regular, SIZE_TEXT, 0.0, false),
            Block::Detail(text) => {
                self.paragraph(text, Face::Regular, SIZE_DETAIL, INDENT, true);
            }
            Block::Qr(link) => self.paragraph(link, Face::Regular, SIZE_DETAIL, 0.0, true),
            Block::Pdf417(_) => {}
            Block::Pair(label, value) => {
                let value = encode(value);
                let value_width = width(&value, Face::Bold, SIZE_TEXT);
                // The label wraps in what the amount leaves free; the amount sits on its
                // first line, flush right.
                let room = (COLUMN - value_width - 12.0).max(COLUMN / 3.0);
                for (i, line) in wrap(label, Face::Regular, SIZE_TEXT, room)
                    .into_iter()
                    .enumerate()
                {
                    let y = self.advance(SIZE_TEXT * 1.45);
                    self.text(LEFT, y, Face::Regular, SIZE_TEXT, false, line);
                    if i == 0 {
                        self.text(
                            RIGHT - value_width,
                            y,
                            Face::Bold,
                            SIZE_TEXT,
                            false,
                            value.clone(),
                        );
                    }
                }
            }
            Block::Rule => {
                let y = self.advance(SIZE_TEXT * 0.9);
                self.mark(Mark::Rule { y: y + 3.0 });
            }
        }
    }
}

/// The document as a PDF file; `title` names it in the reader (its document info) and
/// heads every page's footer.
pub fn render(document: &Document, title: &str) -> Vec<u8> {
    let mut pages = Pages::new();
    for block in &document.blocks {
        pages.block(block);
    }
    let count = pages.pages.len();

    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let page_ids: Vec<Ref> = (0..count).map(|i| Ref::new(6 + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(count as i32);
    for (id, base) in [
        (regular, Name(b"Helvetica")),
        (bold, Name(b"Helvetica-Bold")),
    ] {
        pdf.type1_font(id)
            .base_font(base)
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("ChatBotDysa"));

    for (index, marks) in pages.pages.iter().enumerate() {
        let page_id = page_ids[index];
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree);
        page.contents(content_id);
        page.resources()
            .fonts()
            .pair(Face::Regular.name(), regular)
            .pair(Face::Bold.name(), bold);
        page.finish();

        let mut content = Content::new();
        for mark in marks {
            match mark {
                Mark::Text {
                    x,
                    y,
                    face,
                    size,
                    grey,
                    bytes,
                } => {
                    let shade = if *grey { GREY } else { 0.0 };
                    content.set_fill_gray(shade);
                    content
                        .begin_text()
                        .set_font(face.name(), *size)
                        .next_line(*x, *y)
                        .show(Str(bytes))
                        .end_text();
                }
                Mark::Rule { y } => {
                    content
                        .set_stroke_gray(0.7)
                        .set_line_width(0.6)
                        .move_to(LEFT, *y)
                        .line_to(RIGHT, *y)
                        .stroke();
                }
            }
        }
        // Footer: what the file is and the page, so a loose printed sheet is placed.
        let footer = encode(&format!("{title} · Página {} de {count}", index + 1));
        let x = LEFT + (COLUMN - width(&footer, Face::Regular, SIZE_DETAIL)) / 2.0;
        content.set_fill_gray(GREY);
        content
            .begin_text()
            .set_font(Face::Regular.name(), SIZE_DETAIL)
            .next_line(x, FOOTER)
            .show(Str(&footer))
            .end_text();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_letters_have_their_winansi_codes() {
        assert_eq!(
            encode("Cierre día ñandú ¿Ñ?"),
            b"Cierre d\xeda \xf1and\xfa \xbf\xd1?"
        );
        assert_eq!(encode("— € ·"), b"\x97 \x80 \xb7");
        assert_eq!(encode("🍕"), b"?");
    }

    #[test]
    fn wrapped_lines_fit_the_width_and_keep_every_word() {
        let text =
            "Anulación del pedido completo porque el cliente se equivocó de mesa y pidió otra cosa";
        let lines = wrap(text, Face::Regular, SIZE_TEXT, 120.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(width(line, Face::Regular, SIZE_TEXT) <= 120.0);
        }
        let joined: Vec<u8> = lines.join(&b' ');
        assert_eq!(joined, encode(text));
        // A word longer than a line is cut, never dropped.
        let long = "x".repeat(200);
        let cut = wrap(&long, Face::Bold, SIZE_TEXT, 50.0);
        assert_eq!(cut.iter().map(Vec::len).sum::<usize>(), 200);
    }

    #[test]
    fn a_long_document_flows_onto_numbered_pages() {
        let blocks = (0..200)
            .map(|i| Block::Pair(format!("Línea {i}"), "$1.000".to_owned()))
            .collect();
        let bytes = render(&Document { blocks }, "Cierre Z");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("%PDF-"));
        // 46 lines to a page: 200 take five.
        assert!(text.contains("/Count 5"), "{}", text.len());
        // Read back as a reader does: the last page's footer, accent included.
        let parsed = lopdf::Document::load_mem(&bytes).expect("a PDF a reader opens");
        let last = parsed.extract_text(&[5]).expect("text of page 5");
        assert!(last.contains("Página 5 de 5"), "{last}");
        assert!(last.contains("Línea 199"), "{last}");
    }
}
