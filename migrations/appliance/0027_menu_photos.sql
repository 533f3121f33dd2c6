-- Menu photos. `menu_items.photo` is a synced field of `dysa_domain::sync::rows::Item`:
-- the sha256 (64 hex digits) of the item's resized JPEG, written, pushed, pulled and
-- applied by name. The bytes are not a synced row: they live once per hash in `media`
-- and travel by their own sync route (docs/SYNC.md, "Photos").
ALTER TABLE menu_items ADD COLUMN photo TEXT CHECK (photo IS NULL OR length(photo) = 64);

CREATE TABLE media (
    hash TEXT PRIMARY KEY CHECK (length(hash) = 64),
    -- The photo (at most 800 px on its longest edge) and its thumbnail (200 px), JPEG.
    jpeg BLOB NOT NULL,
    thumb BLOB NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    -- When the cloud confirmed it holds the bytes; NULL = still to send (before the push
    -- of any item that names it).
    pushed_at TEXT
) STRICT;
