-- What the printer last said of its paper roll when asked (ESC/POS DLE EOT 4 before each
-- ticket): 'ok', 'low' (near end: it still prints) or 'out'. NULL while the printer has not
-- answered that question (not asked yet, or a printer that does not report its sensors).
-- Local, like the rest of the printers table.
ALTER TABLE printers ADD COLUMN paper TEXT CHECK (paper IN ('ok', 'low', 'out'));
