//! Cells of the CSV files we export, made safe to open in a spreadsheet.
//!
//! Excel, LibreOffice and Google Sheets treat a cell that starts with `=`, `+`, `-` or
//! `@` (and, in some versions, a tab or a carriage return before one) as a formula: a
//! menu item named `=HYPERLINK("http://x","y")` would become a live link, or worse, in
//! the owner's spreadsheet ("CSV injection"). Every text cell we export goes through
//! [`quote_cell`], which puts a `'` in front of such a cell (spreadsheets show it as
//! text and hide the quote), and every text cell we import goes through
//! [`unquote_cell`], which takes that quote away again: export → import changes nothing.
//!
//! A cell that already starts with `'` before one of those characters (or before another
//! `'`) gets a second quote, so the two functions are exact inverses for every string.
//! Numbers we write ourselves (prices, never negative) are not text and stay as they are.

/// The first characters that make a spreadsheet read a cell as a formula.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

const QUOTE: char = '\'';

fn starts_dangerous(text: &str) -> bool {
    text.starts_with(FORMULA_STARTS) || text.starts_with(QUOTE)
}

/// The cell as exported: a leading `'` when it would otherwise start a formula (or when
/// it would be mistaken for a quoted one).
pub fn quote_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let needs =
        text.starts_with(FORMULA_STARTS) || text.strip_prefix(QUOTE).is_some_and(starts_dangerous);
    if needs {
        std::borrow::Cow::Owned(format!("{QUOTE}{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The cell as imported: without the `'` that [`quote_cell`] added. A cell that merely
/// starts with an apostrophe (`'Nduja`) keeps it.
pub fn unquote_cell(text: &str) -> &str {
    match text.strip_prefix(QUOTE) {
        Some(rest) if starts_dangerous(rest) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_become_text() {
        assert_eq!(
            quote_cell(r#"=HYPERLINK("http://x","y")"#),
            r#"'=HYPERLINK("http://x","y")"#
        );
        for start in FORMULA_STARTS {
            let cell = format!("{start}1+1");
            assert!(quote_cell(&cell).starts_with('\''), "{cell:?}");
        }
        assert_eq!(quote_cell("Lomo a lo pobre"), "Lomo a lo pobre");
        assert_eq!(quote_cell("'Nduja"), "'Nduja");
        assert_eq!(quote_cell("'=x"), "''=x");
        assert_eq!(quote_cell(""), "");
    }

    #[test]
    fn imports_take_only_the_added_quote_away() {
        assert_eq!(unquote_cell("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unquote_cell("'Nduja"), "'Nduja");
        assert_eq!(unquote_cell("''=x"), "'=x");
        assert_eq!(unquote_cell("Empanada"), "Empanada");
    }

    proptest! {
        #[test]
        fn export_then_import_is_the_identity(text in "['=+@\\-\t\ra-z ]{0,6}|\\PC{0,12}") {
            let quoted = quote_cell(&text);
            prop_assert_eq!(unquote_cell(&quoted), text.as_str());
            prop_assert!(!quoted.starts_with(FORMULA_STARTS));
        }
    }
}
