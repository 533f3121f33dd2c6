// Generated from the appliance's OpenAPI document by `npm run gen:api`. Do not edit.
export interface paths {
    "/api/v1/analytics/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Sales, orders, average ticket, sales by hour, day and channel, top items, payments by
         *     method, and reservations with the no-show rate, for local days `from`..=`to`.
         */
        get: operations["summary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assistant/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The models installed in the local Ollama, and the one the assistant uses. */
        get: operations["list_models"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assistant/models/pull": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pulls a model into the local Ollama. Always answers `text/event-stream`: `progress`
         *     events (`{status, completed, total}`, bytes summed over the layers), then `done`, or
         *     an `error` event (`{"error":{code, message}}`) when Ollama is unreachable or reports
         *     an error mid-way.
         */
        post: operations["pull_model"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, filtered and paged, newest first (admins and managers). */
        get: operations["list_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log as CSV (same filters; at most 100,000 rows), local times in the
         *     restaurant's time zone. The export itself is recorded in the log.
         */
        get: operations["export_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Signs in with email and password. The sixth attempt within 15 minutes, per account or
         *     per client, answers 429 with `Retry-After` (attempts are counted before the password
         *     is checked; each further lock of an account lasts twice as long).
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Closes the current session (by access token, refresh token or cookies) and clears
         *     the cookies. Always answers 204.
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user and their permissions. */
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Changes the caller's own password; their other sessions are closed. */
        post: operations["change_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/pin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Quick switch at the counter: signs a user in by PIN, with the same lockout rules and
         *     a lock per user after five wrong PINs (until an admin unlocks it or the lock ends).
         *     Admins and managers get 403 `password_required` when the restaurant requires them to
         *     use their password. A switch made while someone is signed in (the Salón's "Cambiar
         *     mesero": a phone or the counter handed over) closes that person's session once the
         *     PIN is right, so their tokens are not left behind on a shared device; a wrong PIN
         *     leaves them signed in.
         */
        post: operations["pin_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/pin-users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The people who can switch in by PIN (names only), for the counter's switch screen.
         *     From the LAN only a device that signed in here once gets the list (setting
         *     `pin_users_known_devices_only`, on by default); the counter itself always does.
         */
        get: operations["pin_users"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sets a new password for an active admin of this counter with its recovery code. A wrong
         *     email and a wrong code answer the same 401; attempts share the sign-in lockout (429
         *     with `Retry-After`). The used code stops working and the answer carries the new one;
         *     the admin's sessions are closed and they sign in with the new password.
         */
        post: operations["recover"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/recover/owner": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sets a new password for an active admin of this linked counter with a code its owner
         *     made in the cloud's dashboard for this counter (ten minutes, single use). The cloud
         *     redeems the code for this device first; a wrong email, a wrong code, another counter's
         *     code and a used or expired one all answer the same 401, counted in the same lockout
         *     as the printed code (429 with `Retry-After`). The admin's sessions are closed.
         */
        post: operations["recover_with_owner"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/recovery-code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether a recovery code is in force on this counter. */
        get: operations["recovery_status"];
        put?: never;
        /** Makes a new recovery code (the old one stops working) and shows it once. Audited. */
        post: operations["new_recovery_code"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchanges a refresh token (body or cookie) for a new pair. Each token works once;
         *     presenting a used one closes the whole session.
         */
        post: operations["refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The last backup: when, size, whether it was verified, and why it failed if it did. */
        get: operations["get_backups"];
        put?: never;
        /**
         * Takes a backup now and answers the new state; a failed backup is reported in
         *     `last.error` (and published as a `backup.failed` event), not as an HTTP error.
         */
        post: operations["back_up_now"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/business-days": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The closed business days of the location, newest first (up to 400). */
        get: operations["list_days"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/business-days/{date}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Closes a business day: stores its Z, synced and never changed again. Rows dated in it
         *     that arrive later count in the next open day as late corrections.
         */
        post: operations["close_day"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/business-days/{date}/print": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Prints a closed day's Z on the counter's printer (a second print says COPIA). */
        post: operations["print_z"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud/connect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Connects this appliance to the cloud with a one-time enrolment code from the owners'
         *     dashboard, keeps the device token (OS keyring, else a 0600 file) and starts syncing.
         */
        post: operations["connect_cloud"];
        /**
         * Disconnects from the cloud: forgets the token and the link and stops syncing. Local
         *     changes keep queueing for a later connection.
         */
        delete: operations["disconnect_cloud"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Conversations, most recent first, filtered by status and channel. */
        get: operations["list_conversations"];
        put?: never;
        /** Starts a conversation. */
        post: operations["create_conversation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One conversation with its messages. */
        get: operations["get_conversation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{id}/handoff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Staff takes the conversation over: the assistant stays quiet until released. */
        post: operations["handoff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A diner's or staff member's turn. With `Accept: text/event-stream` the reply streams:
         *     `token` events (`{"text"}`) as it is written, `reset` if the model failed mid-answer
         *     (drop the tokens shown; the fallback reply follows), then `done` with the same body
         *     as the JSON answer. Otherwise the answer comes once complete. While staff has the
         *     conversation (handoff) the assistant stays quiet: `reply` is null.
         */
        post: operations["post_message"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{id}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Hands the conversation back to the assistant. */
        post: operations["release"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Customers by name, or those matching a search. */
        get: operations["list_customers"];
        put?: never;
        /** Creates a customer. */
        post: operations["create_customer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One customer with their visits, orders and spending. */
        get: operations["get_customer"];
        put?: never;
        post?: never;
        /** Deletes a customer (a tombstone; orders and reservations keep their link). */
        delete: operations["delete_customer"];
        options?: never;
        head?: never;
        /** Changes some fields of a customer. */
        patch: operations["update_customer"];
        trace?: never;
    };
    "/api/v1/customers/{id}/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A customer's orders, newest first. */
        get: operations["customer_orders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/drawer-sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sessions of the location's drawers (other counters' too), newest first. */
        get: operations["list_sessions"];
        put?: never;
        /** Opens a drawer session with its counted float. */
        post: operations["open_session"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/drawer-sessions/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The drawer's session that is not closed yet, or null. Before the count, the expected
         *     amount is withheld from roles without `drawer:audit` (a blind count).
         */
        get: operations["current_session"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/drawer-sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One session (of any drawer of the location). */
        get: operations["get_session"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/drawer-sessions/{id}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Closes a counted session. */
        post: operations["close_session"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/drawer-sessions/{id}/count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records a blind count by denomination; the answer shows the expected amount and the
         *     difference.
         */
        post: operations["count_session"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/drawer-sessions/{id}/movements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Records a pay-in or pay-out, with its reason. */
        post: operations["add_movement"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/drawer-sessions/{id}/recount": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A manager asks for a second blind count of a counted session. */
        post: operations["require_recount"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/drawers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This counter's drawers (its first one is made on first use), each with its session
         *     that is not closed yet.
         */
        get: operations["list_drawers"];
        put?: never;
        /** Adds a drawer to this counter (a second cash box at the bar). */
        post: operations["add_drawer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events: `order.created`, `order.updated`, `reservation.created`,
         *     `reservation.updated`, `menu.updated`, `table.updated`, `customer.updated`,
         *     `settings.updated`, and `sync` (the cloud sync status changed; its `data` is the
         *     `GET /sync/status` answer); each `data` is `{type, id, data}`. A `ready` event opens the
         *     stream; `resync` means events were missed (refetch everything). Authenticate with the
         *     session cookie (EventSource cannot send headers) or a Bearer token.
         */
        get: operations["events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/fiscal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether documents are issued, whether a token is kept, and how many wait or were
         *     refused.
         */
        get: operations["overview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/fiscal/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The documents of this counter, newest first, with the provider's folio or its words
         *     of refusal.
         */
        get: operations["list_documents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/fiscal/documents/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Queues a refused document again, once its cause is fixed (a receptor's data, the
         *     provider's folios).
         */
        post: operations["retry_document"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/fiscal/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Keeps the provider's access token on this counter (the OS keyring, else a file only
         *     the appliance's user reads). It is never answered back.
         */
        put: operations["set_token"];
        post?: never;
        /** Forgets the provider's access token. */
        delete: operations["forget_token"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kitchen/prep-times": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Preparation times per station over a period, for the analytics page. */
        get: operations["prep_times"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kitchen/recall": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Brings back the station's last bumped ticket (bumped too soon). */
        post: operations["recall"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kitchen/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tickets on the kitchen screens: one station's or all, oldest first. */
        get: operations["open_tickets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kitchen/tickets/{id}/bump": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Bumps a ticket off the screens (the course is ready); its lines' preparation times are
         *     recorded.
         */
        post: operations["bump_ticket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kitchen/tickets/{id}/lines/{line_id}/bump": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Bumps one line of a ticket (one plate is ready); the last one bumps the ticket. */
        post: operations["bump_line"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kitchen/tickets/{id}/reprint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reprints a kitchen ticket, marked COPIA (the same ticket, never a new order). */
        post: operations["reprint_ticket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The active menu as one tree: active categories with their live items (sold-out ones
         *     included, `available: false`) and each item's modifier groups. What the widget and the
         *     assistant read.
         */
        get: operations["get_menu"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every category (inactive ones too), in menu order. */
        get: operations["list_categories"];
        put?: never;
        /** Creates a category. */
        post: operations["create_category"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu/categories/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One category. */
        get: operations["get_category"];
        put?: never;
        post?: never;
        /** Deletes a category; refused (409) while it has items. */
        delete: operations["delete_category"];
        options?: never;
        head?: never;
        /** Changes a category's name, position or visibility. */
        patch: operations["update_category"];
        trace?: never;
    };
    "/api/v1/menu/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The menu as CSV (the demo menu's columns plus `available`), for a spreadsheet. */
        get: operations["export_csv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Imports a menu CSV: creates missing categories, upserts items by (category, name) and
         *     creates the modifier groups it names, all or nothing (a bad row answers 422 with
         *     fields like `row 7.price`).
         */
        post: operations["import_csv"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Items (not deleted), in menu order, optionally filtered. */
        get: operations["list_items"];
        put?: never;
        /** Creates an item. */
        post: operations["create_item"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu/items/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One item. */
        get: operations["get_item"];
        put?: never;
        post?: never;
        /** Deletes an item (past orders keep their lines). */
        delete: operations["delete_item"];
        options?: never;
        head?: never;
        /** Changes an item; `{"available": false}` marks it sold out. */
        patch: operations["update_item"];
        trace?: never;
    };
    "/api/v1/menu/items/{id}/photo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Gives an item a photo: the body is the image itself (JPEG, PNG or WebP, up to 8 MB).
         *     It is turned upright, shrunk to 800 px (and a 200 px thumbnail), re-encoded as JPEG
         *     without its metadata, and kept by its sha256, which becomes the item's `photo`
         *     (served at `/media/{photo}.jpg`, synced to the cloud and the other counters).
         */
        post: operations["upload_photo"];
        /** Takes an item's photo away (the item stays). */
        delete: operations["remove_photo"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu/modifier-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every modifier group, by name. */
        get: operations["list_groups"];
        put?: never;
        /** Creates a modifier group with its options. */
        post: operations["create_group"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu/modifier-groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One modifier group. */
        get: operations["get_group"];
        put?: never;
        post?: never;
        /** Deletes a modifier group; refused (409) while items use it. */
        delete: operations["delete_group"];
        options?: never;
        head?: never;
        /**
         * Changes a modifier group; `options`, when sent, is the whole new list (options sent
         *     with their `id` keep it).
         */
        patch: operations["update_group"];
        trace?: never;
    };
    "/api/v1/menu/reorder": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sets positions from lists of ids in their new order (drag to reorder). */
        post: operations["reorder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/online-orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether online orders are paused. */
        get: operations["online_orders"];
        /**
         * Pauses or resumes online orders (when the kitchen is overwhelmed). The setting syncs
         *     to the cloud, which refuses widget orders while it is paused; the counter still takes
         *     orders. The desktop tray's switch does the same.
         */
        put: operations["pause_online_orders"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Orders, filtered and paged, newest first. */
        get: operations["list_orders"];
        put?: never;
        /**
         * Takes a new order. The server prices every line (client prices are never read) and
         *     answers once the order is on disk. An `Idempotency-Key` header makes retries safe: the
         *     same key and body return the same order (header `Idempotency-Replayed: true`), the same
         *     key with another body answers 422.
         */
        post: operations["create_order"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One order with its lines, history and paid state. */
        get: operations["get_order"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Adjusts discount, tip, note, customer or table of an open order. */
        patch: operations["update_order"];
        trace?: never;
    };
    "/api/v1/orders/{id}/bill-request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The table asked for the bill ("pidió la cuenta"); the floor plan shows it until the
         *     tab closes. Asking twice keeps the first time.
         */
        post: operations["request_bill"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/bills": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A tab's bills: one until it is split, each with its lines, its share of the discount
         *     and tip, what it owes and its own payments (`POST /payments` with `bill`).
         */
        get: operations["tab_bills"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/cancel-request/refuse": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refuses the owner's pending request (made on the cloud) to cancel the order: the order
         *     goes on and the owner sees "refused" with who refused. To accept, cancel the order
         *     (`POST /orders/{id}/status` with `cancelled` and the request's reason).
         */
        post: operations["refuse_cancel_request"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/fire": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * "Marchar": sends a course of an order to the kitchen now. Its lines not sent before
         *     become one ticket per station (screens and printers); firing a course with nothing
         *     waiting answers 422, so a double tap never cooks twice. Lines of other courses wait
         *     ("Esperar") until their own course is fired.
         */
        post: operations["fire_course"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/kitchen-tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An order's kitchen tickets, bumped or not, oldest first: the tab sheet marks each line
         *     "En espera" (in no ticket), "Marchado hh:mm" (on a screen) or "Listo" (bumped).
         */
        get: operations["order_tickets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/lines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Appends lines to an open order (a round on a table's tab). An `Idempotency-Key`
         *     makes a retried round safe: the same key and body answer the order without adding the
         *     lines again (header `Idempotency-Replayed: true`); the same key with another body 422.
         */
        post: operations["append_lines"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/lines/{line_id}/discount": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Gives one line a discount (a percentage or an amount, with a reason), or takes it away
         *     with `amount: 0`. The order's `discount` is the bill's plus its lines'; a line is never
         *     discounted below $0.
         */
        post: operations["discount_line"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/lines/{line_id}/void": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Voids a line (kept on record, no longer charged). */
        post: operations["void_line"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/move": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Moves a table's tab to another table ("cambiar de mesa"), or with `merge` joins it to
         *     the tab open there ("juntar mesas"): each of its live lines is voided here and added
         *     there, both with who did it, keeping its course, seat, notes, modifiers and kitchen
         *     state (a line already fired is not fired again). Answers the tab now at the target
         *     table; the table left waits to be cleaned. An occupied table without `merge` answers
         *     409 `table_occupied` (`details.order_id`); `merge` onto a free table 409
         *     `nothing_to_merge`; merging a tab with payments 409 `tab_has_payments`; an order that
         *     is not a table's tab 409 `not_a_tab`; the same table 422.
         */
        post: operations["move_tab"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The payment ledger of an order, refunds included. */
        get: operations["order_payments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/print": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Prints an order's pre-bill or receipt on the counter's printer; a second print of the
         *     same paper is marked COPIA.
         */
        post: operations["print_order"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/split": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Splits a tab into bills ("cuenta separada"): `by_seat`, or `bills` (groups of line ids,
         *     each a new bill). To charge chosen lines ("cobro parcial"), split them into a bill and
         *     pay that bill. A line on a bill that has payments answers 409 `line_paid`; unknown,
         *     voided or repeated lines, an empty group or both ways at once answer 422.
         */
        post: operations["split_tab"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Moves the order: `pending → confirmed → preparing → ready → completed` (forward only;
         *     skipping ahead is allowed), or `cancelled` with a reason before `completed`. An illegal
         *     move answers 409. Cancelling is a void of the whole order: with `manager_pin_for_voids`
         *     on, a cashier cancels with a manager's PIN like a line void, and the audit names both.
         */
        post: operations["change_order_status"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Takes a payment (cash, debit, credit, transfer, Mercado Pago). Several payments may
         *     settle one order; cash is rounded to the nearest $10 and the change is computed.
         */
        post: operations["create_payment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payments/{id}/refund": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refunds (part of) a payment as a new negative row. */
        post: operations["refund_payment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/print-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The print queue staff watch: nothing that failed to print is hidden. */
        get: operations["print_jobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/print-jobs/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retries a waiting ticket now (the printer is back), with its printer's others. */
        post: operations["retry_job"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/printers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The printers, with their state (online, unreachable) and waiting tickets. */
        get: operations["list_printers"];
        put?: never;
        /** Adds a printer for a station or the counter. */
        post: operations["create_printer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/printers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Changes a printer's settings (its state starts over). */
        put: operations["update_printer"];
        post?: never;
        /** Removes a printer; its waiting tickets are cancelled. */
        delete: operations["delete_printer"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/tips": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tip-out of a shift (a drawer session): tips per waiter, card and cash apart. */
        get: operations["tip_out"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/x": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The X report: the open business day so far (from today's cut-off hour; after today
         *     was closed, the next day). Closes nothing.
         */
        get: operations["x_report"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/x.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The X report as CSV (formula-safe cells). */
        get: operations["x_csv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/x.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The X report as an A4 PDF, with the printed report's sections. */
        get: operations["x_pdf"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/x/print": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Prints the X report on the counter's printer. */
        post: operations["print_x"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/z": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The Z of a closed business day, exactly as it was closed. */
        get: operations["z_report"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/z.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The Z of a closed day as CSV (formula-safe cells). */
        get: operations["z_csv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/z.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The Z of a closed day as an A4 PDF, with the printed Z's sections. */
        get: operations["z_pdf"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reservations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The reservations of a local day (today by default), by start time. */
        get: operations["list_reservations"];
        put?: never;
        /** Books a table: the given one, or the smallest free one that seats the party. */
        post: operations["create_reservation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reservations/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Free start times of a service day for a party. */
        get: operations["availability"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reservations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One reservation. */
        get: operations["get_reservation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Changes time, length, party, table, name, phone or notes of a booked or confirmed
         *     reservation; hours and capacity are checked again (the reservation does not
         *     conflict with itself).
         */
        patch: operations["update_reservation"];
        trace?: never;
    };
    "/api/v1/reservations/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Moves a reservation along booked → confirmed → seated → completed, or to `no_show`
         *     or `cancelled` (with a reason). The status it already has answers 200 unchanged.
         */
        post: operations["change_reservation_status"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The restaurant's settings. */
        get: operations["get_settings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Changes some settings; absent fields stay. Answers the whole new settings. */
        patch: operations["update_settings"];
        trace?: never;
    };
    "/api/v1/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tells the panel whether to show the setup wizard. */
        get: operations["setup_status"];
        put?: never;
        /** Creates the first admin and signs them in. Answers 409 once any user exists. */
        post: operations["setup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/setup/code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The setup code, shown by the panel on the counter so that a tablet can be used for the
         *     setup. Answers only to this machine (loopback), and only while the setup is needed.
         */
        get: operations["setup_code"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/setup/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How this counter's request to join a location stands; asks the cloud while it waits,
         *     and once approved takes the location's key and starts syncing (the staff arrive, and
         *     the panel moves on to sign-in).
         */
        get: operations["join_progress"];
        put?: never;
        /**
         * Joins this fresh counter to an existing restaurant instead of setting it up: enrols with
         *     the cloud (address and one-time code from the owners' dashboard) and asks the
         *     location's counters for its key. Only from this machine, and only before any setup.
         */
        post: operations["start_join"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/setup/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * "Recuperar este local": this fresh counter replaces a dead one. Enrols with the owner's
         *     one-time code, restores the location's newest backup held by the cloud (conversations,
         *     local settings, open drawers, the staff), sends what that backup held and the cloud
         *     never had, takes the cloud's newer rows, and answers what came from where. Only from
         *     this machine, and only before any setup.
         */
        post: operations["recover_location"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/join-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The location's counters asking to join, for an admin here to compare the verification
         *     code with the one on the new counter's screen and approve or refuse.
         */
        get: operations["join_requests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/join-requests/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approves a join request: the location key, sealed to the new counter's public key, is
         *     posted to the cloud (which cannot open it). The new counter then takes the location's
         *     staff and data.
         */
        post: operations["approve_join"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/join-requests/{id}/refuse": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refuses a join request. */
        post: operations["refuse_join"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/parked": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Cloud changes this counter could not apply yet, oldest first, each with its reason as a
         *     code and in both languages, since when, and how many tries.
         */
        get: operations["parked_changes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/parked/{id}/discard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Throws one parked change away (kept in the discard log with who did it). */
        post: operations["discard_parked"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/parked/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Tries one parked change again now. */
        post: operations["retry_parked"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/rejected": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Local changes the cloud refused (newest first), with its reason and explanation. */
        get: operations["rejected_changes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/rejected/{mutation_id}/dismiss": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Takes a refused push off the list (it stays recorded). */
        post: operations["dismiss_rejected"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How sync stands: link state, where the token is, last success and error, changes
         *     waiting and refused. The same document arrives on `/events` as `sync` when it changes.
         */
        get: operations["sync_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every table with its live status, in floor order. */
        get: operations["list_tables"];
        put?: never;
        /** Creates a table. */
        post: operations["create_table"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tables/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One table with its live status. */
        get: operations["get_table"];
        put?: never;
        post?: never;
        /** Deletes a table; refused (409) while an open order or a pending reservation holds it. */
        delete: operations["delete_table"];
        options?: never;
        head?: never;
        /** Changes a table's name, seats, area, position or active state. */
        patch: operations["update_table"];
        trace?: never;
    };
    "/api/v1/tables/{id}/clean": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Marks a table clean after its tab closed ("por limpiar" → libre). */
        post: operations["clean_table"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tables/{id}/open": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Opens a tab on a free table with its covers and waiter (the caller when none is
         *     named): an empty `dine_in` order that rounds are added to (`POST /orders/{id}/lines`).
         *     A table with an open tab answers 409 `table_occupied` with `details.order_id`. An
         *     `Idempotency-Key` makes a retried open after a Wi-Fi hiccup answer the tab it opened
         *     (201, header `Idempotency-Replayed: true`); the same key with another body 422.
         */
        post: operations["open_table"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every staff account. */
        get: operations["list_users"];
        put?: never;
        /** Creates a staff account. */
        post: operations["create_user"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One staff account. */
        get: operations["get_user"];
        put?: never;
        post?: never;
        /** Deactivates an account (its history stays; its sessions close). */
        delete: operations["deactivate_user"];
        options?: never;
        head?: never;
        /** Changes name, email, role or active state. */
        patch: operations["update_user"];
        trace?: never;
    };
    "/api/v1/users/{id}/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sets a new password for a user; their sessions close. */
        post: operations["reset_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/pin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sets or removes a user's quick-switch PIN. */
        post: operations["set_pin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Lifts a user's sign-in lock (after five wrong PINs or passwords): the PIN's and the
         *     password's counters start over. Without it the lock ends by itself (15 minutes, longer
         *     for each further lock).
         */
        post: operations["unlock_user"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/waiters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The staff who can serve a table: active people whose role takes orders, by name. Open
         *     to whoever opens tables (a waiter hands a table to a colleague), unlike the staff
         *     list, which is the admins' and managers'.
         */
        get: operations["list_waiters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reports whether the appliance and its dependencies are up. */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/media/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A menu photo (`{hash}.jpg`) or its thumbnail (`{hash}-thumb.jpg`). Public like the
         *     menu itself (an `<img>` sends no token; the name is a 256-bit hash of the bytes), and
         *     cached by browsers for a year: the name changes whenever the photo does.
         */
        get: operations["media"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Lines to append. */
        AppendLines: {
            /** @description The new lines. */
            lines: components["schemas"]["NewLine"][];
        };
        /**
         * @description A recorded kind of sensitive action. The wire form (`order.line_voided`) is what the
         *     row stores and the filters take.
         * @enum {string}
         */
        AuditAction: "auth.sign_in" | "auth.sign_in_failed" | "user.created" | "user.updated" | "menu.item_created" | "menu.item_updated" | "menu.item_deleted" | "order.line_voided" | "order.cancelled" | "order.discount" | "payment.refunded" | "settings.updated" | "cloud.linked" | "cloud.unlinked" | "join.approved" | "data.exported" | "backup.restored" | "auth.recovery_code_issued" | "auth.recovered";
        /** @description One event with its readable line in both languages. */
        AuditEntry: {
            /** @description The recorded event. */
            event: components["schemas"]["AuditEvent"];
            /** @description The line in English. */
            text_en: string;
            /** @description The line in Spanish ("Ana anuló la línea 2 del pedido #45 — motivo: …"). */
            text_es: string;
        };
        /**
         * @description One recorded action: who, when, from which device, what, on what, and the subject
         *     before and after. Insert-only: the cloud keeps the first copy of an id and ignores
         *     any later push of it (`merge::insert_only`).
         */
        AuditEvent: {
            /** @description What was done. */
            action: components["schemas"]["AuditAction"];
            actor_id?: components["schemas"]["UserId"] | null;
            /** @description Their name at the time (a renamed or deleted account still reads right). */
            actor_name?: string | null;
            /**
             * @description The subject's relevant fields after, and the details a reader needs (a reason,
             *     an order's number).
             */
            after?: Record<string, never> | null;
            /** @description When it happened (RFC 3339, UTC). */
            at: string;
            /** @description The subject's relevant fields before (JSON), when it existed. */
            before?: Record<string, never> | null;
            /** @description The client the request came from (its address; `local` on the counter itself). */
            client?: string | null;
            /** @description The appliance (sync device id) or cloud that recorded it. */
            device_id: string;
            /**
             * Format: uuid
             * @description The event's id (UUIDv7, so ids sort by time).
             */
            id: string;
            /** @description Which one (its id), when there is one. */
            subject_id?: string | null;
            /** @description The kind of thing it was done to (`order`, `item`, `user`, `setting`, …). */
            subject_type: string;
        };
        /** @description A page of the audit log. */
        AuditPage: {
            /** @description The events, newest first. */
            items: components["schemas"]["AuditEntry"][];
            /**
             * Format: int64
             * @description Page size used.
             */
            limit: number;
            /**
             * Format: int64
             * @description Rows skipped.
             */
            offset: number;
            /**
             * Format: int64
             * @description How many events match the filters.
             */
            total: number;
        };
        /** @description Free start times of a service day. */
        AvailabilityView: {
            /**
             * Format: date
             * @description The day asked for.
             */
            date: string;
            /**
             * Format: int32
             * @description The length used, minutes.
             */
            duration_minutes: number;
            /**
             * Format: int32
             * @description The party.
             */
            party_size: number;
            /** @description The bookable slots, in order (empty on a closed day). */
            slots: components["schemas"]["SlotView"][];
        };
        /** @description The last backup's outcome, as `GET /api/v1/backups` and the panel show it. */
        BackupReport: {
            /** @description When it was taken (RFC 3339). */
            at: string;
            /**
             * Format: int64
             * @description How long it took, in milliseconds.
             */
            duration_ms: number;
            /** @description Why it failed, when it did. */
            error?: string | null;
            /** @description The backup file's name in `<data_dir>/backups/` (empty when it failed). */
            file: string;
            /**
             * Format: int64
             * @description Encrypted size in bytes.
             */
            size_bytes: number;
            /** @description Whether the copy passed `PRAGMA integrity_check`. */
            verified: boolean;
        };
        /** @description The backups' state, as the panel's Ajustes shows it. */
        BackupsStatus: {
            /** @description Finished backups currently kept. */
            count: number;
            /**
             * Format: int64
             * @description Hours between scheduled backups (0: only before migrations and on demand).
             */
            interval_hours: number;
            last?: components["schemas"]["BackupReport"] | null;
            /**
             * Format: int64
             * @description Days a backup is kept.
             */
            retention_days: number;
        };
        /** @description One bill of a tab, with what it owes and where it stands. */
        Bill: {
            /** @description `subtotal - discount + tip`. */
            amount_due: components["schemas"]["Clp"];
            /** @description Its share of the tab's discount. */
            discount: components["schemas"]["Clp"];
            /** @description Its live lines, in the tab's order. */
            lines: components["schemas"]["OrderLineId"][];
            /** @description Its number on the tab. */
            number: components["schemas"]["BillNo"];
            /** @description Its own payments against what it owes. */
            payment: components["schemas"]["PaidSummary"];
            /** @description Sum of its lines. */
            subtotal: components["schemas"]["Clp"];
            /** @description Its share of the tab's tip. */
            tip: components["schemas"]["Clp"];
        };
        /**
         * Format: int32
         * @description A bill's number on its tab (1 to [`BillNo::MAX`]); bill 1 is the tab's own bill, where
         *     every line starts and where payments that name no bill go.
         */
        BillNo: number;
        /** @description Sales and orders of one hour, day, channel or method. */
        Bucket: {
            /** @description The hour (`"13"`), day (`"2026-11-27"`), channel or method. */
            key: string;
            /**
             * Format: int64
             * @description Orders in the bucket.
             */
            orders: number;
            /** @description Sales in the bucket. */
            sales: components["schemas"]["Clp"];
        };
        /**
         * @description How a cancel request ended.
         * @enum {string}
         */
        CancelOutcome: "accepted" | "refused";
        /**
         * @description An owner's request, made on the cloud, to cancel an order the location runs. It is a
         *     request, not a command: it never moves the order's status by itself; staff at the
         *     counter accept it (the normal cancel transition) or refuse it, and the outcome syncs
         *     back. It travels as the order field [`CANCEL_REQUEST_FIELD`], written whole each time
         *     (a new request, or its resolution), so last-writer-wins keeps one consistent value.
         */
        CancelRequest: {
            /** @description Names this request, so a resolution answers the request it saw and no newer one. */
            id: string;
            /** @description Why it ended so, when the rules decided (e.g. [`ALREADY_DELIVERED`]). */
            note?: string | null;
            outcome?: components["schemas"]["CancelOutcome"] | null;
            /** @description Why the owner wants it cancelled (becomes the cancel reason when accepted). */
            reason: string;
            /** @description When they asked (RFC 3339). */
            requested_at: string;
            /** @description Who asked (the owner's name or email). */
            requested_by: string;
            /** @description When it was answered (RFC 3339). */
            resolved_at?: string | null;
            /** @description Who answered (staff name), or `None` when the rules answered on their own. */
            resolved_by?: string | null;
        };
        /**
         * @description A count of a drawer, by denomination: how many notes or coins of each. Quantities are
         *     signed so that a negative one reaches validation (a field error) instead of failing
         *     to decode.
         */
        CashCount: {
            /**
             * Format: int64
             * @description $1.000 notes.
             */
            bills_1000?: number;
            /**
             * Format: int64
             * @description $10.000 notes.
             */
            bills_10000?: number;
            /**
             * Format: int64
             * @description $2.000 notes.
             */
            bills_2000?: number;
            /**
             * Format: int64
             * @description $20.000 notes.
             */
            bills_20000?: number;
            /**
             * Format: int64
             * @description $5.000 notes.
             */
            bills_5000?: number;
            /**
             * Format: int64
             * @description $10 coins.
             */
            coins_10?: number;
            /**
             * Format: int64
             * @description $100 coins.
             */
            coins_100?: number;
            /**
             * Format: int64
             * @description $50 coins.
             */
            coins_50?: number;
            /**
             * Format: int64
             * @description $500 coins.
             */
            coins_500?: number;
        };
        /** @description Changes to a category; absent fields stay, `null` clears an optional one. */
        CategoryChanges: {
            /** @description Show (true) or hide (false) the category and its items. */
            active?: boolean | null;
            /** @description New Spanish name. */
            name?: string | null;
            /** @description New English name, or null to clear it. */
            name_en?: string | null;
            /**
             * Format: int64
             * @description New sort order.
             */
            position?: number | null;
        };
        /**
         * Format: uuid
         * @description A menu category.
         */
        CategoryId: string;
        /** @description A menu category ("Entradas", "Platos", "Bebidas"). */
        CategoryRecord: {
            /** @description Inactive categories (and their items) are hidden from the menu diners see. */
            active: boolean;
            /** @description When it was created (RFC 3339). */
            created_at: string;
            /** @description HLC of the tombstone; absent on live rows. */
            deleted_at?: string | null;
            /** @description The category's id. */
            id: components["schemas"]["CategoryId"];
            /** @description Spanish name. */
            name: string;
            /** @description English name, if translated. */
            name_en?: string | null;
            /**
             * Format: int64
             * @description Sort order in the menu (ascending).
             */
            position: number;
            /** @description HLC of the last change. */
            updated_at: string;
        };
        /** @description A user's own password change. */
        ChangePasswordRequest: {
            /** @description The password in use now. */
            current_password: string;
            /** @description The new password. */
            new_password: string;
        };
        /**
         * @description Where an order was taken, for reports and for how the restaurant must answer it.
         * @enum {string}
         */
        Channel: "counter" | "dine_in" | "takeaway" | "delivery" | "widget" | "chat" | "phone" | "whatsapp";
        /** @description Orders and sales of one channel. */
        ChannelLine: {
            /** @description The channel. */
            channel: components["schemas"]["Channel"];
            /**
             * Format: int64
             * @description Orders not cancelled.
             */
            orders: number;
            /** @description What they sold. */
            sales: components["schemas"]["Clp"];
        };
        /** @description One dependency's state. */
        Check: {
            /**
             * @description A generic word on why it is down (`unavailable`, `timed_out`, `unreachable`,
             *     `offline`, `revoked`); never an error's text.
             */
            detail?: string | null;
            link?: components["schemas"]["LinkState"] | null;
            /** @description For Ollama: the configured model. */
            model?: string | null;
            /** @description For Ollama: whether the configured model is installed. */
            model_present?: boolean | null;
            /**
             * Format: int64
             * @description For the cloud: local changes waiting to reach it.
             */
            pending?: number | null;
            /** @description `up`, `down` or `not_configured`. */
            status: string;
        };
        /** @description The dependency checks. */
        Checks: {
            /** @description The link to the cloud service. */
            cloud: components["schemas"]["Check"];
            /** @description The SQLite database. */
            database: components["schemas"]["Check"];
            /** @description The local language model server. */
            ollama: components["schemas"]["Check"];
        };
        /**
         * @description A time of day on the wall clock, written `HH:MM` (24-hour, as es-CL reads it).
         * @example 19:30
         */
        ClockTime: string;
        /**
         * Format: int64
         * @description An amount of Chilean pesos (negative for refunds and discounts).
         *
         *     On the wire it is a bare integer. Amounts are limited to ±`Clp::MAX`, the largest integer
         *     a JavaScript number holds exactly, so the TypeScript panel never shows a rounded amount.
         */
        Clp: number;
        /**
         * @description The printer's character table, selected with `ESC t`. All three hold the Spanish
         *     letters; which one a printer has depends on its firmware.
         * @enum {string}
         */
        CodePage: "pc858" | "pc850" | "wpc1252";
        /** @description A request to connect this appliance to the cloud. */
        ConnectInput: {
            /** @description The cloud's address, e.g. `https://nube.chatbotdysa.cl`. */
            cloud_url: string;
            /** @description How the dashboard will name this device (default: "Caja" and the restaurant's name). */
            device_name?: string | null;
            /** @description The one-time code from the owners' dashboard. */
            enrollment_code: string;
        };
        /**
         * @description How the appliance reaches a printer.
         * @enum {string}
         */
        Connection: "tcp" | "device";
        /** @description A conversation. */
        Conversation: {
            /** @description Where it happens. */
            channel: components["schemas"]["ConversationChannel"];
            /** @description When it started. */
            created_at: string;
            customer_id?: components["schemas"]["CustomerId"] | null;
            /** @description The draft order or booking (internal shape; see the message answers). */
            draft: Record<string, never>;
            /** @description Its id. */
            id: components["schemas"]["ConversationId"];
            /** @description The diner's language, detected from their messages. */
            language: components["schemas"]["Lang"];
            /** @description Who answers. */
            status: components["schemas"]["ConversationStatus"];
            /** @description Last activity. */
            updated_at: string;
        };
        /**
         * @description Where a conversation happens.
         * @enum {string}
         */
        ConversationChannel: "panel" | "widget" | "whatsapp";
        /** @description A conversation with its messages. */
        ConversationDetail: components["schemas"]["Conversation"] & {
            /** @description Its messages, oldest first (the last 500). */
            messages: components["schemas"]["Message"][];
        };
        /**
         * Format: uuid
         * @description A chat conversation with a diner or staff.
         */
        ConversationId: string;
        /** @description A page of conversations. */
        ConversationPage: {
            /** @description Most recent activity first. */
            items: components["schemas"]["Conversation"][];
            /**
             * Format: int64
             * @description How many match.
             */
            total: number;
        };
        /**
         * @description Who is answering.
         * @enum {string}
         */
        ConversationStatus: "open" | "handoff" | "closed";
        /** @description A blind count. */
        CountInput: {
            /** @description How many notes and coins of each denomination. */
            counts: components["schemas"]["CashCount"];
        };
        /**
         * @description The course a line is served in. Every line waits until it is fired ("Marchar"): the
         *     lines of a course together, or the lines without a course (a counter sale) together.
         * @enum {string}
         */
        Course: "drinks" | "starters" | "mains" | "desserts";
        /**
         * Format: int32
         * @description How many people sit at a tab (1 to [`Covers::MAX`]): the kitchen plates for them and
         *     the average ticket per cover is the floor's measure.
         */
        Covers: number;
        /** @description A new customer. */
        CreateCustomerRequest: {
            /** @description Email. */
            email?: string | null;
            /** @description Whether promotions may be sent (false). */
            marketing_consent?: boolean;
            /** @description Name. */
            name: string;
            /** @description Notes. */
            notes?: string | null;
            /**
             * @description Phone in any Chilean format (`9 8765 4321`, `+56 9 8765 4321`), or international
             *     with `+`; stored in E.164.
             */
            phone?: string | null;
            /** @description RUT with its check digit (`12.345.678-5`). */
            rut?: string | null;
        };
        /** @description A new reservation. */
        CreateReservationRequest: {
            customer_id?: components["schemas"]["CustomerId"] | null;
            /**
             * Format: int32
             * @description Length, 15–720 minutes (the restaurant's default, 90, when absent).
             */
            duration_minutes?: number | null;
            /** @description Name the booking is under. */
            name: string;
            /** @description Notes (high chair, birthday). */
            notes?: string | null;
            /**
             * Format: int32
             * @description How many people, 1–100.
             */
            party_size: number;
            /** @description Contact phone, any Chilean format; stored in E.164. */
            phone: string;
            /**
             * @description Start, RFC 3339 with an offset (`2026-11-27T19:30:00-03:00`); without an offset
             *     (`2026-11-27T19:30`) it is the restaurant's local time.
             */
            starts_at: string;
            table_id?: components["schemas"]["TableId"] | null;
        };
        /** @description A new staff account. */
        CreateUserRequest: {
            /** @description Login email. */
            email: string;
            /** @description Display name. */
            name: string;
            /** @description Initial password (10+ characters). */
            password: string;
            /** @description Optional 4–6 digit PIN. */
            pin?: string | null;
            /** @description Role. */
            role: components["schemas"]["Role"];
        };
        /** @description The id of a new conversation. */
        Created: {
            /** @description Its id. */
            id: components["schemas"]["ConversationId"];
        };
        /**
         * @description A customer with their history in numbers.
         *
         *     `order_count` and `total_spent` count completed orders only; `visit_count` is the
         *     number of distinct local business days with a completed order or a completed/seated
         *     reservation (a reservation on a day that has an order is the same visit);
         *     `last_visit_at` is the latest such order or reservation.
         */
        CustomerDetail: components["schemas"]["CustomerView"] & {
            /**
             * Format: date-time
             * @description The latest visit (RFC 3339), if any.
             */
            last_visit_at?: string | null;
            /**
             * Format: int32
             * @description Completed orders.
             */
            order_count: number;
            /**
             * Format: int64
             * @description Sum of the totals of completed orders, CLP.
             */
            total_spent: number;
            /**
             * Format: int32
             * @description Distinct local days with a completed order or a completed/seated reservation.
             */
            visit_count: number;
        };
        /**
         * Format: uuid
         * @description A diner known to the restaurant.
         */
        CustomerId: string;
        /** @description One order in a customer's history. */
        CustomerOrder: {
            /** @description When it was placed (RFC 3339). */
            created_at: string;
            /** @description The order. */
            id: components["schemas"]["OrderId"];
            /**
             * Format: int64
             * @description Its daily number.
             */
            number: number;
            /** @description Its status. */
            status: string;
            /**
             * Format: int64
             * @description Total, CLP, IVA included.
             */
            total: number;
        };
        /** @description One page of a customer's orders. */
        CustomerOrderPage: {
            /** @description The orders of this page, newest first. */
            items: components["schemas"]["CustomerOrder"][];
            /**
             * Format: int64
             * @description Page size used.
             */
            limit: number;
            /**
             * Format: int64
             * @description Offset used.
             */
            offset: number;
            /**
             * Format: int64
             * @description How many orders the customer has.
             */
            total: number;
        };
        /** @description One page of customers. */
        CustomerPage: {
            /** @description The customers of this page, by name. */
            items: components["schemas"]["CustomerView"][];
            /**
             * Format: int64
             * @description Page size used.
             */
            limit: number;
            /**
             * Format: int64
             * @description Offset used.
             */
            offset: number;
            /**
             * Format: int64
             * @description How many match in all.
             */
            total: number;
        };
        /** @description A customer as clients see it. */
        CustomerView: {
            /** @description Creation time (RFC 3339). */
            created_at: string;
            /** @description Email, lower case. */
            email?: string | null;
            /** @description The customer's id. */
            id: components["schemas"]["CustomerId"];
            /** @description Whether promotions may be sent. */
            marketing_consent: boolean;
            /** @description Name. */
            name: string;
            /** @description Staff notes. */
            notes?: string | null;
            /** @description Phone in E.164 (`+56987654321`). */
            phone?: string | null;
            rut?: components["schemas"]["Rut"] | null;
        };
        /**
         * @description One closed business day. Insert-only, like audit events: the cloud keeps the first
         *     copy of an id and ignores any later push of it (`merge::insert_only`), so a closed
         *     day's figures never change anywhere.
         */
        DayCloseRecord: {
            /** @description The business day closed (`YYYY-MM-DD`). */
            business_date: string;
            /** @description When (RFC 3339, UTC). */
            closed_at: string;
            closed_by?: components["schemas"]["UserId"] | null;
            /** @description Their name at the time. */
            closed_by_name?: string | null;
            /** @description The counter (sync device id) that closed it. */
            device_id: string;
            /**
             * Format: uuid
             * @description The close's id (UUIDv7).
             */
            id: string;
            /** @description The Z report, frozen. */
            report: components["schemas"]["DayReport"];
        };
        /** @description The X or Z report of one business day. */
        DayReport: {
            /** @description `sales / orders`, to the peso. */
            average_ticket: components["schemas"]["Clp"];
            /** @description The business day (`YYYY-MM-DD`). */
            business_date: string;
            /** @description Sales by channel (every channel, zero when unused). */
            by_channel: components["schemas"]["ChannelLine"][];
            /** @description Collections by payment method (every method, zero when unused). */
            by_method: components["schemas"]["MethodLine"][];
            /**
             * Format: int64
             * @description Orders cancelled.
             */
            cancelled_orders: number;
            /** @description Everything the ledger took in: payments plus tips minus refunds. */
            collected: components["schemas"]["Clp"];
            /**
             * Format: int64
             * @description Diners served: the covers of the orders not cancelled (orders that record none,
             *     such as most counter sales, add nothing).
             */
            covers: number;
            /**
             * Format: int32
             * @description The hour the day starts and ends at, local time.
             */
            cutoff_hour: number;
            /** @description Discounts granted. */
            discounts: components["schemas"]["Clp"];
            /** @description Drawer sessions: expected against counted. */
            drawers: components["schemas"]["DrawerLine"][];
            /**
             * Format: int64
             * @description The lowest daily number of the day's orders.
             */
            first_number?: number | null;
            /** @description When it was produced (RFC 3339). */
            generated_at: string;
            /** @description X or Z. */
            kind: components["schemas"]["ReportKind"];
            /**
             * Format: int64
             * @description The highest.
             */
            last_number?: number | null;
            /** @description Rows taken from earlier closed days. */
            late_corrections: components["schemas"]["LateCorrection"][];
            /** @description The sales without IVA: `round(sales / (1 + rate))`. */
            net: components["schemas"]["Clp"];
            /**
             * @description First and last numbers per counter, A first (Zs closed before counters had ranges
             *     have none).
             */
            number_ranges?: components["schemas"]["NumberRange"][];
            /**
             * Format: int64
             * @description Orders not cancelled.
             */
            orders: number;
            /** @description Refunds given (positive). */
            refunds: components["schemas"]["Clp"];
            /** @description What was sold, IVA included, after discounts, without tips. */
            sales: components["schemas"]["Clp"];
            /** @description The IVA inside the sales (`sales − net`). */
            tax: components["schemas"]["Clp"];
            /**
             * Format: int32
             * @description The rate, in basis points (1900 = 19 %).
             */
            tax_rate_bp: number;
            /** @description Tips by card, cash and other. */
            tips: components["schemas"]["TipSplit"];
            /** @description Tips per waiter, largest first. */
            tips_by_waiter: components["schemas"]["WaiterTips"][];
            /**
             * Format: int64
             * @description How many voids there were, listed or not.
             */
            void_count: number;
            /** @description What the voids were worth. */
            voided: components["schemas"]["Clp"];
            /** @description Voided lines and cancelled orders, with who and why (the first [`MAX_LISTED`]). */
            voids: components["schemas"]["VoidEntry"][];
        };
        /** @description A line of the draft as the diner sees it. */
        DraftLineView: {
            /** @description The menu item. */
            item_id: components["schemas"]["ItemId"];
            /** @description `unit_price × quantity`. */
            line_total: components["schemas"]["Clp"];
            /** @description Chosen options and kitchen requests ("Catedral", "sin mayo"). */
            modifiers: string[];
            /** @description Its name. */
            name: string;
            /**
             * Format: int32
             * @description How many.
             */
            quantity: number;
            /** @description Unit price from the menu, options included. */
            unit_price: components["schemas"]["Clp"];
        };
        /** @description The draft order as the diner sees it, priced by the server. */
        DraftView: {
            /** @description The lines. */
            lines: components["schemas"]["DraftLineView"][];
            /** @description What the order will cost (IVA included), from the domain rules. */
            total: components["schemas"]["Clp"];
        };
        /** @description A cash drawer of this counter. */
        Drawer: {
            /** @description When it was added (RFC 3339). */
            created_at: string;
            /** @description The drawer's id. */
            id: components["schemas"]["DrawerId"];
            /** @description Its name ("Caja principal", "Barra"). */
            name: string;
        };
        /**
         * Format: uuid
         * @description One blind count of a drawer session.
         */
        DrawerCountId: string;
        /** @description One blind count of a session, by denomination, with what was expected then. */
        DrawerCountRecord: {
            /** @description When (RFC 3339). */
            counted_at: string;
            counted_by?: components["schemas"]["UserId"] | null;
            /** @description How many notes and coins of each denomination. */
            counts: components["schemas"]["CashCount"];
            /** @description `total − expected` (negative: cash missing). */
            difference: components["schemas"]["Clp"];
            /** @description What the drawer should have held. */
            expected: components["schemas"]["Clp"];
            /** @description The count's id. */
            id: components["schemas"]["DrawerCountId"];
            /** @description Its session. */
            session_id: components["schemas"]["DrawerSessionId"];
            /** @description What they add up to. */
            total: components["schemas"]["Clp"];
            /** @description HLC of the count. */
            updated_at: string;
        };
        /**
         * Format: uuid
         * @description A cash drawer (each counter PC has one; more may be configured).
         */
        DrawerId: string;
        /** @description One drawer session of the day: what it should hold and what was counted. */
        DrawerLine: {
            counted?: components["schemas"]["Clp"] | null;
            difference?: components["schemas"]["Clp"] | null;
            /** @description The drawer's name. */
            drawer_name: string;
            expected?: components["schemas"]["Clp"] | null;
            /** @description The float it was opened with. */
            opening_float: components["schemas"]["Clp"];
            /** @description The session. */
            session_id: string;
            /** @description Where the session stands. */
            status: components["schemas"]["SessionStatus"];
        };
        /**
         * Format: uuid
         * @description One cash movement of a drawer session (sale, refund, pay-in, pay-out).
         */
        DrawerMovementId: string;
        /** @description One cash movement of a session; `amount` is positive and the kind gives the sign. */
        DrawerMovementRecord: {
            /** @description How much (positive). */
            amount: components["schemas"]["Clp"];
            /** @description When (RFC 3339). */
            created_at: string;
            created_by?: components["schemas"]["UserId"] | null;
            /** @description The movement's id. */
            id: components["schemas"]["DrawerMovementId"];
            /** @description Sale, refund, pay-in or pay-out. */
            kind: components["schemas"]["MovementKind"];
            payment_id?: components["schemas"]["PaymentId"] | null;
            /** @description Why (pay-ins and pay-outs). */
            reason?: string | null;
            /** @description Its session. */
            session_id: components["schemas"]["DrawerSessionId"];
            /** @description HLC of the movement. */
            updated_at: string;
        };
        /**
         * Format: uuid
         * @description One session of a drawer, from its counted float to its close.
         */
        DrawerSessionId: string;
        /** @description A drawer of this counter and its session that is not closed, if any. */
        DrawerWithSession: {
            /** @description The drawer. */
            drawer: components["schemas"]["Drawer"];
            session?: components["schemas"]["SessionView"] | null;
        };
        /** @description The JSON body of every error answer (for the OpenAPI spec and clients). */
        ErrorBody: {
            /** @description The error. */
            error: components["schemas"]["ErrorDetail"];
        };
        /** @description What went wrong. */
        ErrorDetail: {
            /** @description Stable machine-readable code, e.g. `validation_failed`. */
            code: string;
            /** @description Extra facts, e.g. the id of the existing record in a conflict. */
            details?: unknown;
            /** @description Field path → problem, for invalid input. */
            fields?: {
                [key: string]: string;
            } | null;
            /** @description Human-readable explanation in the request's language. */
            message: string;
        };
        /** @description One live event: its kind, the id of the changed thing, and a small JSON summary. */
        Event: {
            /** @description A summary the panel can show without a refetch. */
            data: unknown;
            /** @description Id of the changed row (empty for menu-wide changes). */
            id: string;
            /** @description What changed. */
            type: components["schemas"]["EventKind"];
        };
        /**
         * @description What changed.
         * @enum {string}
         */
        EventKind: "order.created" | "order.updated" | "reservation.created" | "reservation.updated" | "menu.updated" | "table.updated" | "customer.updated" | "settings.updated" | "sync" | "backup.taken" | "backup.failed" | "kitchen.updated" | "print.updated";
        /** @description Which course to fire. */
        FireCourse: {
            course?: components["schemas"]["Course"] | null;
        };
        /** @description The tickets a fire made, one per station. */
        Fired: {
            /** @description The new tickets. */
            tickets: components["schemas"]["KitchenTicket"][];
        };
        /** @description One tax document and where it stands. */
        FiscalDocument: {
            /**
             * Format: int64
             * @description Tries so far.
             */
            attempts: number;
            /**
             * Format: uuid
             * @description The document a credit note corrects.
             */
            corrects?: string | null;
            /** @description When it was queued. */
            created_at: string;
            /** @description The same in English. */
            error_en?: string | null;
            /** @description The last refusal or failure, in Spanish. */
            error_es?: string | null;
            /**
             * Format: int64
             * @description The folio.
             */
            folio?: number | null;
            /**
             * Format: uuid
             * @description Our id.
             */
            id: string;
            /**
             * Format: int64
             * @description 0 accepted by the SII, 1 sent, 2 rejected.
             */
            informed_sii?: number | null;
            /** @description When it was issued. */
            issued_at?: string | null;
            /** @description Boleta, factura or credit note. */
            kind: components["schemas"]["FiscalKind"];
            /**
             * Format: int64
             * @description Without IVA.
             */
            net: number;
            /** @description The order it belongs to. */
            order_id: string;
            /** @description The order's label (`N° 12`, `B-3`). */
            order_label: string;
            /** @description The payment (or refund) it documents. */
            payment_id: string;
            /**
             * Format: int64
             * @description The provider's id.
             */
            provider_id?: number | null;
            /** @description A credit note's reason. */
            reason?: string | null;
            receptor?: components["schemas"]["Receptor"] | null;
            /** @description Our reference, sent with it. */
            reference: string;
            /**
             * Format: int64
             * @description Place in the queue: documents go out in this order.
             */
            seq: number;
            /** @description What the SII said. */
            sii_message?: string | null;
            /** @description Pending, issued or rejected. */
            status: components["schemas"]["FiscalStatus"];
            /** @description The timbre electrónico (printed as PDF417). */
            ted?: string | null;
            /**
             * Format: int64
             * @description IVA included.
             */
            total: number;
            /** @description The PDF. */
            url_pdf?: string | null;
            /** @description The document online (printed as a QR when there is no timbre). */
            url_public_view?: string | null;
            /** @description The timbre's image. */
            url_timbre?: string | null;
        };
        /**
         * @description Which document.
         * @enum {string}
         */
        FiscalKind: "boleta" | "factura" | "credit_note";
        /** @description What the panel shows of the boundary. */
        FiscalOverview: {
            /** @description Whether payments issue documents (Ajustes). */
            enabled: boolean;
            /** @description Whether an access token is kept on this counter. */
            has_token: boolean;
            /**
             * Format: int64
             * @description Documents waiting to go.
             */
            pending: number;
            /** @description The provider. */
            provider: string;
            /**
             * Format: int64
             * @description Documents the provider refused.
             */
            rejected: number;
        };
        /**
         * @description Where a document stands.
         * @enum {string}
         */
        FiscalStatus: "pending" | "issued" | "rejected";
        /**
         * Format: int32
         * @description A table's cell on its area's floor plan (0 to [`GridCell::MAX`] across or down), so
         *     the panel lays the room out as it is; placed by drag and drop.
         */
        GridCell: number;
        /** @description The health report. */
        Health: {
            /** @description One check per dependency. */
            checks: components["schemas"]["Checks"];
            /** @description `ok` when the appliance can serve (the database is up), else `error`. */
            status: string;
            /** @description Version of this build. */
            version: string;
        };
        /** @description What an import did. */
        ImportReport: {
            /** @description Categories created (missing ones, matched by name). */
            categories_created: number;
            /** @description Items created. */
            items_created: number;
            /** @description Existing items the file left as they were. */
            items_unchanged: number;
            /** @description Existing items whose fields changed. */
            items_updated: number;
            /** @description Modifier groups created (groups equal in name and options are reused). */
            modifier_groups_created: number;
        };
        /**
         * @description What the diner wants, in the assistant's closed vocabulary.
         * @enum {string}
         */
        Intent: "order_add" | "order_remove" | "order_confirm" | "order_cancel" | "reservation_request" | "menu_question" | "hours_question" | "smalltalk" | "handoff";
        /**
         * @description One opening interval of a day. A `close` at or before `open` means the interval runs
         *     past midnight into the next day (`19:00`–`01:00`; `00:00` closes at midnight).
         */
        Interval: {
            /** @description Closing time; no booking may end after it. */
            close: components["schemas"]["ClockTime"];
            /** @description Opening time. */
            open: components["schemas"]["ClockTime"];
        };
        /** @description The receptor of a factura, as the cashier types it. */
        InvoiceTo: {
            /** @description Giro (the business's activity). */
            activity: string;
            /** @description Street address. */
            address?: string | null;
            /** @description Comuna. */
            municipality?: string | null;
            /** @description Razón social. */
            name: string;
            /** @description RUT with its check digit (`76.018.303-2`). */
            rut: string;
        };
        /**
         * @description Changes to an item; absent fields stay, `null` clears an optional text.
         *     `{"available": false}` marks it sold out.
         */
        ItemChanges: {
            /** @description New allergens (replace the old ones). */
            allergens?: string[] | null;
            /** @description Available (true) or sold out (false). */
            available?: boolean | null;
            category_id?: components["schemas"]["CategoryId"] | null;
            /** @description New description, or null. */
            description?: string | null;
            /** @description New English description, or null. */
            description_en?: string | null;
            /** @description New modifier groups, in order (replace the old ones). */
            modifier_group_ids?: components["schemas"]["ModifierGroupId"][] | null;
            /** @description New Spanish name. */
            name?: string | null;
            /** @description New English name, or null. */
            name_en?: string | null;
            /**
             * Format: int64
             * @description New sort order in its category.
             */
            position?: number | null;
            price?: components["schemas"]["Clp"] | null;
            station?: components["schemas"]["Station"] | null;
            /** @description New tags (replace the old ones). */
            tags?: string[] | null;
        };
        /**
         * Format: uuid
         * @description A menu item.
         */
        ItemId: string;
        /** @description A menu item. */
        ItemRecord: {
            /** @description Allergens (`milk`, `gluten`). */
            allergens: string[];
            /** @description False when sold out: still shown, but it cannot be ordered. */
            available: boolean;
            /** @description Its category. */
            category_id: components["schemas"]["CategoryId"];
            /** @description When it was created (RFC 3339). */
            created_at: string;
            /** @description HLC of the tombstone; absent on live rows. */
            deleted_at?: string | null;
            /** @description Spanish description. */
            description?: string | null;
            /** @description English description. */
            description_en?: string | null;
            /** @description The item's id. */
            id: components["schemas"]["ItemId"];
            /** @description Ordered ids of its modifier groups. */
            modifier_group_ids: components["schemas"]["ModifierGroupId"][];
            /** @description Spanish name. */
            name: string;
            /** @description English name, if translated. */
            name_en?: string | null;
            /**
             * @description Its photo: the sha256 of the resized JPEG both servers keep (served at
             *     `/media/{photo}.jpg`); none when absent.
             */
            photo?: string | null;
            /**
             * Format: int64
             * @description Sort order inside its category (ascending).
             */
            position: number;
            prep_minutes?: components["schemas"]["PrepMinutes"] | null;
            /** @description Price in pesos, IVA included. */
            price: components["schemas"]["Clp"];
            /** @description Where it is prepared. */
            station: components["schemas"]["Station"];
            /** @description Free tags (`vegan`, `gluten_free`). */
            tags: string[];
            /** @description HLC of the last change. */
            updated_at: string;
        };
        /** @description An item with its price as shown in Chile, as the item routes answer it. */
        ItemView: components["schemas"]["ItemRecord"] & {
            /** @description The price as shown in Chile: `$12.990`. */
            price_display: string;
        };
        /**
         * @description What kind of paper a job is.
         * @enum {string}
         */
        JobKind: "kitchen" | "prebill" | "receipt" | "report";
        /**
         * @description Where a job is.
         * @enum {string}
         */
        JobStatus: "queued" | "printed" | "cancelled";
        /** @description Where this counter's join stands, for the waiting screen (`GET /setup/join`). */
        JoinProgress: {
            /** @description Why it failed, for staff. */
            detail?: string | null;
            /** @description The name the admins see. */
            device_name?: string | null;
            /**
             * @description `none` (never asked), `pending`, `approved` (taking the location's data),
             *     `refused`, `expired` or `joined`.
             */
            status: string;
            /** @description The code to compare with the one the approving admin sees. */
            verification_code?: string | null;
        };
        /** @description A join request waiting at another counter, as an admin here sees it. */
        JoinRequestView: {
            /** @description When it was made. */
            created_at: string;
            /** @description The joining counter's name. */
            device_name: string;
            /** @description When it stops waiting. */
            expires_at: string;
            /**
             * Format: uuid
             * @description The request's id.
             */
            id: string;
            /**
             * @description Derived here from the relayed public key: it must equal the code on the joining
             *     counter's screen, or the cloud swapped the key.
             */
            verification_code: string;
        };
        /** @description One ticket on a kitchen screen: one course of one order for one station. */
        KitchenTicket: {
            /** @description When the cooks bumped it (none while it is on the screen). */
            bumped_at?: string | null;
            course?: components["schemas"]["Course"] | null;
            covers?: components["schemas"]["Covers"] | null;
            /** @description When it was fired (RFC 3339). */
            fired_at: string;
            /**
             * Format: uuid
             * @description The ticket's id (stable: a reprint is the same ticket, marked COPIA).
             */
            id: string;
            /** @description Its lines, in the order's order. */
            lines: components["schemas"]["TicketLine"][];
            /** @description Its order. */
            order_id: components["schemas"]["OrderId"];
            /** @description The order's note for the kitchen. */
            order_note?: string | null;
            /**
             * Format: int64
             * @description The order's daily number.
             */
            order_number?: number | null;
            /** @description Where it is prepared. */
            station: components["schemas"]["Station"];
            /** @description The table's name, for dine-in. */
            table_name?: string | null;
            /** @description The table's waiter (who took the order, when it has none). */
            waiter_name?: string | null;
        };
        /**
         * @description The language a person reads: Spanish (es-CL) first, English second.
         * @enum {string}
         */
        Lang: "es" | "en";
        /** @description A row counted in this day although it is dated in an earlier, closed one. */
        LateCorrection: {
            /** @description What it adds to the day (negative for a refund). */
            amount: components["schemas"]["Clp"];
            /** @description `order` for a late sale, `payment` or `refund` for a late ledger row. */
            kind: string;
            method?: components["schemas"]["PaymentMethod"] | null;
            /**
             * Format: int64
             * @description The order's daily number.
             */
            order_number: number;
        };
        /**
         * @description A discount on one order line: a share of it or a fixed amount, with why. It travels
         *     inside the synced line (`OrderLineRow.line`), so it reaches every counter and the cloud
         *     with the line itself.
         */
        LineDiscount: {
            /** @description Pesos taken off the line, IVA included (never more than the line). */
            amount: components["schemas"]["Clp"];
            /**
             * Format: int32
             * @description The percentage asked for (1–100), or `None` for a fixed amount; kept so the ticket
             *     and the detail can say "10 %".
             */
            percent?: number | null;
            /** @description Why it was given. */
            reason: string;
        };
        /**
         * @description A discount asked for one line: a percentage or an amount (exactly one), with why.
         *     An `amount` of 0 takes the line's discount away.
         */
        LineDiscountInput: {
            amount?: components["schemas"]["Clp"] | null;
            /**
             * Format: int32
             * @description 1–100 % of the line.
             */
            percent?: number | null;
            /** @description Why (kept on the line, the ticket and the audit log). */
            reason: string;
        };
        /**
         * @description How the link to the cloud stands.
         * @enum {string}
         */
        LinkState: "not_configured" | "online" | "offline" | "revoked";
        /** @description Email and password. */
        LoginRequest: {
            /** @description Login email. */
            email: string;
            /** @description Password. */
            password: string;
        };
        /**
         * @description The kinds of movement a person records by hand (sales and refunds come from payments).
         * @enum {string}
         */
        ManualKind: "pay_in" | "pay_out";
        /** @description Who is signed in and what they may do. */
        MeResponse: {
            /** @description What the account's role allows. */
            permissions: components["schemas"]["Permission"][];
            /** @description The account. */
            user: components["schemas"]["UserView"];
            /**
             * @description What a manager's PIN lets this account do on top (voids, discounts, refunds), when
             *     the restaurant asks for it (`manager_pin_for_voids`); empty otherwise. The panel
             *     shows those buttons and asks for the PIN only then.
             */
            with_approval?: components["schemas"]["Permission"][];
        };
        /** @description The active menu as one tree: what the widget and the assistant read. */
        MenuTree: {
            /** @description Active categories in menu order, each with its live items. */
            categories: components["schemas"]["TreeCategory"][];
            /**
             * @description HLC of the newest change anywhere in the menu (null for an empty menu): a client
             *     holding a tree with the same stamp holds the current menu.
             */
            updated_at?: string | null;
        };
        /** @description A message of a conversation. */
        Message: {
            /** @description When. */
            created_at: string;
            /**
             * Format: uuid
             * @description Its id (UUIDv7: sorts by time).
             */
            id: string;
            /** @description For a diner's message, how it was read; for a reply, what it did. */
            intent?: Record<string, never> | null;
            /** @description Who wrote it. */
            role: components["schemas"]["MessageRole"];
            /** @description The text. */
            text: string;
        };
        /**
         * @description Who wrote a message.
         * @enum {string}
         */
        MessageRole: "diner" | "assistant" | "staff";
        /** @description What one payment method collected. */
        MethodLine: {
            /** @description The method. */
            method: components["schemas"]["PaymentMethod"];
            /** @description Paid toward sales (tips apart). */
            paid: components["schemas"]["Clp"];
            /**
             * Format: int64
             * @description Payments (not refunds) recorded.
             */
            payments: number;
            /** @description Given back (positive). */
            refunded: components["schemas"]["Clp"];
            /** @description Tips. */
            tips: components["schemas"]["Clp"];
            /** @description `paid − refunded + tips`: what the method should hold at the end of the day. */
            total: components["schemas"]["Clp"];
        };
        /** @description One installed model. */
        ModelInfo: {
            /** @description When it was last changed. */
            modified_at: string;
            /** @description Name with tag, e.g. `llama3.2:3b`. */
            name: string;
            /**
             * Format: int64
             * @description Size on disk in bytes.
             */
            size: number;
        };
        /** @description The assistant's models. */
        Models: {
            /** @description The configured model. */
            configured: string;
            /** @description The installed models (empty when Ollama is down). */
            models: components["schemas"]["ModelInfo"][];
            /** @description Whether Ollama answered. */
            up: boolean;
        };
        /**
         * @description Changes to a modifier group; absent fields stay. `options`, when given, is the whole
         *     new list: options sent with their id keep it, new ones get new ids, missing ones are
         *     removed.
         */
        ModifierGroupChanges: {
            /**
             * Format: int32
             * @description New maximum.
             */
            max_choices?: number | null;
            /**
             * Format: int32
             * @description New minimum.
             */
            min_choices?: number | null;
            /** @description New Spanish name. */
            name?: string | null;
            /** @description New English name, or null. */
            name_en?: string | null;
            /** @description The new list of options. */
            options?: components["schemas"]["OptionInput"][] | null;
        };
        /**
         * Format: uuid
         * @description A modifier group (size, extras) attached to menu items.
         */
        ModifierGroupId: string;
        /** @description A modifier group ("Término", "Extra") with its options. */
        ModifierGroupRecord: {
            /** @description When it was created (RFC 3339). */
            created_at: string;
            /** @description HLC of the tombstone; absent on live rows. */
            deleted_at?: string | null;
            /** @description The group's id. */
            id: components["schemas"]["ModifierGroupId"];
            /**
             * Format: int32
             * @description At most this many options may be chosen.
             */
            max_choices: number;
            /**
             * Format: int32
             * @description At least this many options must be chosen (1+ makes the group required).
             */
            min_choices: number;
            /** @description Spanish name. */
            name: string;
            /** @description English name, if translated. */
            name_en?: string | null;
            /** @description The options, in menu order. */
            options: components["schemas"]["ModifierOption"][];
            /** @description HLC of the last change. */
            updated_at: string;
        };
        /** @description One option of a modifier group, as stored in the group's `options` JSON. */
        ModifierOption: {
            /** @description False when sold out. */
            available?: boolean;
            /** @description The option's id; stable across edits of its group. */
            id: components["schemas"]["ModifierOptionId"];
            /** @description Spanish name, printed on the kitchen ticket. */
            name: string;
            /** @description English name, if translated. */
            name_en?: string | null;
            /** @description Added to the item's price (negative for "sin palta"). */
            price_delta: components["schemas"]["Clp"];
        };
        /**
         * Format: uuid
         * @description One option of a modifier group.
         */
        ModifierOptionId: string;
        /**
         * @description Moving a tab to another table ("cambiar de mesa"), or merging it into the tab open
         *     there ("juntar mesas").
         */
        MoveTab: {
            /**
             * @description Merge into the tab open there; without it an occupied table answers 409
             *     `table_occupied`.
             */
            merge?: boolean;
            /** @description The table the diners go to. */
            table_id: components["schemas"]["TableId"];
        };
        /**
         * @description What moved cash in or out of an open drawer.
         * @enum {string}
         */
        MovementKind: "sale" | "refund" | "pay_in" | "pay_out";
        /** @description Totals of a session's movements by kind. */
        MovementTotals: {
            /** @description Pay-ins. */
            pay_ins: components["schemas"]["Clp"];
            /** @description Pay-outs. */
            pay_outs: components["schemas"]["Clp"];
            /** @description Cash refunds. */
            refunds: components["schemas"]["Clp"];
            /** @description Cash sales (tips included). */
            sales: components["schemas"]["Clp"];
        };
        /** @description A new category. */
        NewCategory: {
            /** @description Shown to diners (default true). */
            active?: boolean | null;
            /** @description Spanish name (1–80 characters, unique among categories). */
            name: string;
            /** @description English name. */
            name_en?: string | null;
            /**
             * Format: int64
             * @description Sort order; after the last category when absent.
             */
            position?: number | null;
        };
        /** @description A new conversation. */
        NewConversation: {
            /** @description Where it happens. */
            channel: components["schemas"]["ConversationChannel"];
            customer_id?: components["schemas"]["CustomerId"] | null;
            language?: components["schemas"]["Lang"] | null;
        };
        /** @description A drawer to add to this counter. */
        NewDrawer: {
            /** @description Its name (1–40 characters, unique on this counter). */
            name: string;
        };
        /** @description A new menu item. */
        NewItem: {
            /** @description Allergens (`milk`, `gluten`). */
            allergens?: string[] | null;
            /** @description Orderable (default true); false means sold out. */
            available?: boolean | null;
            /** @description Its category (must exist). */
            category_id: components["schemas"]["CategoryId"];
            /** @description Spanish description. */
            description?: string | null;
            /** @description English description. */
            description_en?: string | null;
            /** @description Its modifier groups, in order (each must exist). */
            modifier_group_ids?: components["schemas"]["ModifierGroupId"][] | null;
            /** @description Spanish name (1–120 characters, unique in its category). */
            name: string;
            /** @description English name. */
            name_en?: string | null;
            /**
             * Format: int64
             * @description Sort order in its category; after the last item when absent.
             */
            position?: number | null;
            /** @description Price in pesos, IVA included (0–10.000.000). */
            price: components["schemas"]["Clp"];
            station?: components["schemas"]["Station"] | null;
            /** @description Tags (`vegan`, `gluten_free`). */
            tags?: string[] | null;
        };
        /**
         * @description One requested line. Unknown fields (a client's `unit_price`, say) are ignored: the
         *     server prices every line itself.
         */
        NewLine: {
            course?: components["schemas"]["Course"] | null;
            /** @description The menu item. */
            item_id: components["schemas"]["ItemId"];
            /** @description Chosen modifier options. */
            modifiers?: components["schemas"]["ModifierOptionId"][];
            /** @description Note for the kitchen. */
            note?: string | null;
            /**
             * Format: int32
             * @description How many (1–999).
             */
            quantity: number;
            seat?: components["schemas"]["Seat"] | null;
        };
        /** @description A message. */
        NewMessage: {
            role?: components["schemas"]["MessageRole"] | null;
            /** @description The text (1–2,000 characters). */
            text: string;
        };
        /** @description A new modifier group. */
        NewModifierGroup: {
            /**
             * Format: int32
             * @description At most this many options may be chosen (1+, not below `min_choices`).
             */
            max_choices: number;
            /**
             * Format: int32
             * @description At least this many options must be chosen.
             */
            min_choices: number;
            /** @description Spanish name (no `:`, `;` or `|`). */
            name: string;
            /** @description English name. */
            name_en?: string | null;
            /** @description The options, in order (at least one). */
            options: components["schemas"]["OptionInput"][];
        };
        /** @description A pay-in or pay-out. */
        NewMovement: {
            /** @description How much (more than $0). */
            amount: components["schemas"]["Clp"];
            /** @description In or out. */
            kind: components["schemas"]["ManualKind"];
            /** @description Why ("compra de gas", "propina entregada"). */
            reason: string;
        };
        /**
         * @description A new order. Prices are never taken from the client: the server prices every line, and
         *     fields it does not know (`total`, `unit_price`) are ignored.
         */
        NewOrder: {
            /** @description Where it comes from. */
            channel: components["schemas"]["Channel"];
            customer_id?: components["schemas"]["CustomerId"] | null;
            discount?: components["schemas"]["Clp"] | null;
            id?: components["schemas"]["OrderId"] | null;
            /** @description What was ordered. */
            lines: components["schemas"]["NewLine"][];
            /** @description Note for the whole order. */
            note?: string | null;
            table_id?: components["schemas"]["TableId"] | null;
            tip?: components["schemas"]["Clp"] | null;
        };
        /** @description A payment toward an order. */
        NewPayment: {
            /** @description Amount toward the order (IVA included), without the tip. */
            amount: components["schemas"]["Clp"];
            bill?: components["schemas"]["BillNo"] | null;
            drawer_id?: components["schemas"]["DrawerId"] | null;
            invoice_to?: components["schemas"]["InvoiceTo"] | null;
            /** @description How. */
            method: components["schemas"]["PaymentMethod"];
            /** @description The order it pays. */
            order_id: components["schemas"]["OrderId"];
            received?: components["schemas"]["Clp"] | null;
            /** @description Voucher or transfer reference. */
            reference?: string | null;
            tip?: components["schemas"]["Clp"] | null;
        };
        /** @description A new table. */
        NewTable: {
            /** @description Offered for seating and booking (default true). */
            active?: boolean | null;
            /** @description Area ("Terraza"). */
            area?: string | null;
            grid_x?: components["schemas"]["GridCell"] | null;
            grid_y?: components["schemas"]["GridCell"] | null;
            /** @description Its name (1–40 characters, unique among tables). */
            name: string;
            /**
             * Format: int64
             * @description Sort order; after the last table when absent.
             */
            position?: number | null;
            /**
             * Format: int64
             * @description Seats (1–100).
             */
            seats: number;
        };
        /** @description The next booked or confirmed reservation of a table. */
        NextReservation: {
            /** @description The reservation. */
            id: components["schemas"]["ReservationId"];
            /** @description The guest's name. */
            name: string;
            /**
             * Format: int64
             * @description How many people.
             */
            party_size: number;
            /** @description When it starts (RFC 3339 UTC). */
            starts_at: string;
        };
        /**
         * @description The order numbers one counter handed out in the day (`crate::numbering`): with two
         *     counters, `1 … 40` and `B-1 … B-12` rather than one range `1 … 10012`.
         */
        NumberRange: {
            /** @description The counter's letter (`A`, `B`, …). */
            counter: string;
            /**
             * Format: int64
             * @description Its lowest order number of the day.
             */
            first: number;
            /**
             * Format: int64
             * @description Its highest.
             */
            last: number;
            /**
             * Format: int64
             * @description How many orders it numbered (cancelled ones included).
             */
            orders: number;
        };
        /** @description Whether the widget and the hosted page take orders now. */
        OnlineOrders: {
            /** @description True while online orders are paused (the cloud refuses new widget orders). */
            paused: boolean;
        };
        /** @description Opening a drawer. */
        OpenDrawer: {
            drawer_id?: components["schemas"]["DrawerId"] | null;
            /** @description The float counted into it ($0 or more). */
            opening_float: components["schemas"]["Clp"];
        };
        /** @description Opening a table: how many sit down and who serves them. */
        OpenTable: {
            /** @description How many people sit down (1–99). */
            covers: components["schemas"]["Covers"];
            waiter_id?: components["schemas"]["UserId"] | null;
        };
        /** @description What a kitchen screen shows. */
        OpenTickets: {
            /** @description Tickets not bumped yet, oldest first. */
            items: components["schemas"]["KitchenTicket"][];
            /**
             * @description The appliance's clock (RFC 3339), so a tablet with a wrong clock still shows the
             *     right elapsed times.
             */
            server_time: string;
        };
        /**
         * @description A restaurant's weekly opening hours: for each weekday, its intervals in local time.
         *     A missing or empty day is closed. Serialized as
         *     `{"monday":[{"open":"12:00","close":"16:00"},{"open":"19:00","close":"23:30"}], ...}`.
         */
        OpeningHours: {
            /** @description Viernes. */
            friday?: components["schemas"]["Interval"][];
            /** @description Lunes. */
            monday?: components["schemas"]["Interval"][];
            /** @description Sábado. */
            saturday?: components["schemas"]["Interval"][];
            /** @description Domingo. */
            sunday?: components["schemas"]["Interval"][];
            /** @description Jueves. */
            thursday?: components["schemas"]["Interval"][];
            /** @description Martes. */
            tuesday?: components["schemas"]["Interval"][];
            /** @description Miércoles. */
            wednesday?: components["schemas"]["Interval"][];
        };
        /** @description One option of a modifier group as the editor sends it. */
        OptionInput: {
            /** @description Can be chosen (default true). */
            available?: boolean | null;
            id?: components["schemas"]["ModifierOptionId"] | null;
            /** @description Spanish name (unique in the group; no `;` or `|`). */
            name: string;
            /** @description English name. */
            name_en?: string | null;
            /** @description Added to the item's price (may be negative). */
            price_delta: components["schemas"]["Clp"];
        };
        /** @description An order as clients see it: header, priced lines, money, paid state and history. */
        Order: {
            /** @description `total + tip`. */
            amount_due: components["schemas"]["Clp"];
            /** @description When the table asked for the bill ("pidió la cuenta"). */
            bill_requested_at?: string | null;
            /** @description The restaurant's local day the number belongs to (`YYYY-MM-DD`). */
            business_date: string;
            /** @description Why it was cancelled. */
            cancel_reason?: string | null;
            cancel_request?: components["schemas"]["CancelRequest"] | null;
            /** @description What is left to pay in cash, rounded to the nearest $10 as Chilean law requires. */
            cash_balance: components["schemas"]["Clp"];
            /** @description Where it came from. */
            channel: components["schemas"]["Channel"];
            covers?: components["schemas"]["Covers"] | null;
            /** @description When it was taken. */
            created_at: string;
            created_by?: components["schemas"]["UserId"] | null;
            customer_id?: components["schemas"]["CustomerId"] | null;
            /** @description Discount taken off the subtotal. */
            discount: components["schemas"]["Clp"];
            /** @description The order's id (UUIDv7, made where the order was born). */
            id: components["schemas"]["OrderId"];
            /** @description The lines, voided ones included (marked). */
            lines: components["schemas"]["OrderLine"][];
            /** @description `total` without IVA. */
            net: components["schemas"]["Clp"];
            /** @description Free note ("sin cebolla para todos"). */
            note?: string | null;
            /**
             * Format: int64
             * @description Daily number: `#1`, `#2`, … restarting each local day.
             */
            number: number;
            /** @description Paid state derived from the payment ledger. */
            payment: components["schemas"]["PaidSummary"];
            /** @description How net and tax were rounded. */
            rounding_rule: string;
            /** @description Where it stands. */
            status: components["schemas"]["OrderStatus"];
            /** @description Sum of live lines, IVA included. */
            subtotal: components["schemas"]["Clp"];
            table_id?: components["schemas"]["TableId"] | null;
            /** @description IVA inside `total`. */
            tax: components["schemas"]["Clp"];
            /**
             * Format: int32
             * @description Tax rate applied, basis points.
             */
            tax_rate_bp: number;
            /** @description Voluntary tip (outside IVA). */
            tip: components["schemas"]["Clp"];
            /** @description `subtotal - discount`, IVA included. */
            total: components["schemas"]["Clp"];
            /** @description Every status change, oldest first. */
            transitions: components["schemas"]["Transition"][];
            /** @description HLC of the last change. */
            updated_at: string;
            waiter_id?: components["schemas"]["UserId"] | null;
        };
        /**
         * Format: uuid
         * @description An order from any channel.
         */
        OrderId: string;
        /** @description One order line: a priced snapshot of a menu item. */
        OrderLine: {
            bill?: components["schemas"]["BillNo"] | null;
            course?: components["schemas"]["Course"] | null;
            discount?: components["schemas"]["LineDiscount"] | null;
            /** @description The line's id. */
            id: components["schemas"]["OrderLineId"];
            /** @description The menu item. */
            item_id: components["schemas"]["ItemId"];
            /** @description `unit_price × quantity`. */
            line_total: components["schemas"]["Clp"];
            /** @description Chosen modifiers. */
            modifiers: components["schemas"]["PricedModifier"][];
            moved_from?: components["schemas"]["OrderLineId"] | null;
            /** @description The item's name when ordered. */
            name: string;
            /** @description Note for the kitchen. */
            note?: string | null;
            /**
             * Format: int32
             * @description How many.
             */
            quantity: number;
            seat?: components["schemas"]["Seat"] | null;
            /** @description Where it is prepared. */
            station: components["schemas"]["Station"];
            /** @description Unit price with modifiers, when ordered (the menu may change later). */
            unit_price: components["schemas"]["Clp"];
            /** @description Why it was voided. */
            void_reason?: string | null;
            /** @description True once voided (kept for the record, not charged). */
            voided: boolean;
        };
        /**
         * Format: uuid
         * @description One line of an order.
         */
        OrderLineId: string;
        /** @description A page of orders. */
        OrderPage: {
            /** @description The orders, newest first. */
            items: components["schemas"]["Order"][];
            /**
             * Format: int64
             * @description Page size used.
             */
            limit: number;
            /**
             * Format: int64
             * @description Rows skipped.
             */
            offset: number;
            /**
             * Format: int64
             * @description How many orders match the filters.
             */
            total: number;
        };
        /**
         * @description Which paper of an order to print at the counter.
         * @enum {string}
         */
        OrderPaper: "prebill" | "receipt";
        /** @description Changes to an open order's header. */
        OrderPatch: {
            customer_id?: components["schemas"]["CustomerId"] | null;
            discount?: components["schemas"]["Clp"] | null;
            /** @description New note (empty clears it). */
            note?: string | null;
            table_id?: components["schemas"]["TableId"] | null;
            tip?: components["schemas"]["Clp"] | null;
        };
        /**
         * @description Where an order is in its life. A widget or chat order arrives as `pending` and the
         *     restaurant accepts it (`confirmed`) or rejects it (`cancelled` with a reason).
         * @enum {string}
         */
        OrderStatus: "pending" | "confirmed" | "preparing" | "ready" | "completed" | "cancelled";
        /** @description An order's kitchen tickets. */
        OrderTickets: {
            /** @description Every ticket of the order, bumped or not, in firing order. */
            items: components["schemas"]["KitchenTicket"][];
        };
        /**
         * @description Where an order stands with its payments.
         * @enum {string}
         */
        PaidState: "unpaid" | "partially_paid" | "paid" | "refunded";
        /** @description The result of `paid_state`. Always `amount_due + rounding == paid + balance`. */
        PaidSummary: {
            /** @description Still to pay; negative when overpaid (the restaurant owes the diner). */
            balance: components["schemas"]["Clp"];
            /** @description Net of every row (`amount + tip`, refunds subtracted). */
            paid: components["schemas"]["Clp"];
            /**
             * @description The cash-rounding adjustment granted (negative when the diner paid up to 5 pesos
             *     less, positive when up to 5 more); zero unless a remainder was rounded away.
             */
            rounding: components["schemas"]["Clp"];
            /** @description Where the order stands. */
            state: components["schemas"]["PaidState"];
        };
        /**
         * @description Paper width.
         * @enum {string}
         */
        Paper: "58" | "80";
        /** @description A cloud change this appliance could not apply yet. */
        ParkedChange: {
            /**
             * Format: int64
             * @description How many times it was tried.
             */
            attempts: number;
            /** @description What the database said (for support). */
            detail: string;
            /** @description What kind of row (`order`, `user`, …). */
            entity: string;
            /** @description The row's id. */
            entity_id: string;
            /** @description The id the retry and discard routes take: `<entity>:<entity_id>`. */
            id: string;
            /** @description The reason for staff, in English. */
            message_en: string;
            /** @description The reason for staff, in Spanish. */
            message_es: string;
            /**
             * @description Why it waits, as a code: `waiting_for_related_row`, `clashes_with_local_row`,
             *     `cloud_booking_undecided`, `staff_seal_invalid`, `malformed`.
             */
            reason: string;
            /** @description When it was first parked. */
            since: string;
            /**
             * Format: int64
             * @description The cloud's version of the row held here.
             */
            version: number;
        };
        /** @description One payment-ledger row as clients see it. */
        Payment: {
            /** @description Amount toward the order (negative for refunds). */
            amount: components["schemas"]["Clp"];
            bill?: components["schemas"]["BillNo"] | null;
            /** @description That bill's lines when it was paid ("cobro parcial" of chosen lines). */
            bill_lines?: components["schemas"]["OrderLineId"][] | null;
            change?: components["schemas"]["Clp"] | null;
            /** @description When. */
            created_at: string;
            created_by?: components["schemas"]["UserId"] | null;
            /** @description The row's id. */
            id: components["schemas"]["PaymentId"];
            /** @description How it was paid. */
            method: components["schemas"]["PaymentMethod"];
            /** @description The order it pays. */
            order_id: components["schemas"]["OrderId"];
            received?: components["schemas"]["Clp"] | null;
            /** @description Card voucher or transfer reference. */
            reference?: string | null;
            refund_of?: components["schemas"]["PaymentId"] | null;
            /** @description Tip included in this payment. */
            tip: components["schemas"]["Clp"];
        };
        /**
         * Format: uuid
         * @description A payment or refund row of the payment ledger.
         */
        PaymentId: string;
        /**
         * @description How a diner paid. Only cash is rounded (Ley 20.956); the others pay the exact amount.
         * @enum {string}
         */
        PaymentMethod: "cash" | "debit" | "credit" | "transfer" | "mercado_pago";
        /** @description A recorded payment and where the order stands after it. */
        PaymentReceipt: {
            /** @description The order after the payment. */
            order: components["schemas"]["Order"];
            /** @description The ledger row. */
            payment: components["schemas"]["Payment"];
        };
        /**
         * @description One thing a route may require.
         * @enum {string}
         */
        Permission: "orders:read" | "orders:create" | "orders:update" | "payments:write" | "menu:read" | "menu:write" | "customers:read" | "customers:write" | "reservations:read" | "reservations:create" | "reservations:update" | "tables:read" | "tables:write" | "reports:read" | "settings:read" | "settings:write" | "users:read" | "users:manage" | "conversations:read" | "conversations:write" | "drawer:read" | "drawer:operate" | "drawer:audit" | "audit:read";
        /** @description User id and PIN. */
        PinRequest: {
            /** @description Their 4–6 digit PIN. */
            pin: string;
            /** @description Who is switching in. */
            user_id: components["schemas"]["UserId"];
        };
        /** @description Someone who can switch in by PIN. */
        PinUser: {
            /** @description The account's id. */
            id: components["schemas"]["UserId"];
            /** @description Display name. */
            name: string;
            /** @description Role. */
            role: components["schemas"]["Role"];
        };
        /**
         * Format: int32
         * @description Minutes an item takes to prepare: 1 to 600 (ten hours covers any slow roast).
         */
        PrepMinutes: number;
        /** @description Average preparation time per station (bump − fire of each line). */
        PrepTimes: {
            /** @description One row per station with bumped lines. */
            stations: components["schemas"]["StationPrep"][];
        };
        /** @description One chosen modifier of a priced line, as the ticket and receipt show it. */
        PricedModifier: {
            /** @description The group the option belongs to. */
            group_id: components["schemas"]["ModifierGroupId"];
            /** @description The group's name, for "Término: A punto" on the ticket. */
            group_name: string;
            /** @description The option's name. */
            name: string;
            /** @description The chosen option. */
            option_id: components["schemas"]["ModifierOptionId"];
            /** @description What it added to the unit price. */
            price_delta: components["schemas"]["Clp"];
        };
        /** @description A print job as staff see it. */
        PrintJob: {
            /**
             * Format: int64
             * @description Attempts so far.
             */
            attempts: number;
            /** @description A reprint, marked COPIA on paper. */
            copy: boolean;
            /** @description When it was queued. */
            created_at: string;
            /**
             * Format: uuid
             * @description Its id.
             */
            id: string;
            /** @description What it is. */
            kind: components["schemas"]["JobKind"];
            /** @description Why the last attempt failed (the codes of [`PrinterRecord::last_error`]). */
            last_error?: string | null;
            /** @description When the printer took it. */
            printed_at?: string | null;
            /**
             * Format: uuid
             * @description Its printer.
             */
            printer_id: string;
            /** @description The printer's name. */
            printer_name: string;
            /** @description The kitchen ticket or order it prints. */
            reference: string;
            /** @description Where it is. */
            status: components["schemas"]["JobStatus"];
            /** @description What staff read in the queue ("Mesa 4 · Fondos"). */
            title: string;
        };
        /** @description Which paper to print. */
        PrintOrder: {
            /** @description `prebill` (pre-cuenta, with the suggested 10 % tip apart) or `receipt`. */
            paper: components["schemas"]["OrderPaper"];
        };
        /** @description The print queue: tickets waiting (with why), then the last printed. */
        PrintQueue: {
            /** @description Jobs, waiting ones first. */
            items: components["schemas"]["PrintJob"][];
        };
        /** @description A queued order paper. */
        PrintedOrder: {
            /** @description Whether it is a reprint, marked COPIA. */
            copy: boolean;
            /**
             * Format: uuid
             * @description The print job (see the print queue).
             */
            job_id: string;
        };
        /** @description A queued report ticket. */
        PrintedReport: {
            /**
             * Format: uuid
             * @description The print job (see the print queue).
             */
            job_id: string;
        };
        /** @description A printer's settings. */
        PrinterInput: {
            /** @description `host` or `host:port` for `tcp`; an absolute path under `/dev/` for `device`. */
            address: string;
            code_page?: components["schemas"]["CodePage"] | null;
            /** @description `tcp` (network, port 9100) or `device` (USB/serial device file). */
            connection: components["schemas"]["Connection"];
            /** @description A name staff recognise (1–60 characters). */
            name: string;
            /** @description Paper width: `58` or `80`. */
            paper: components["schemas"]["Paper"];
            /**
             * @description What it prints for: `kitchen`, `bar` (kitchen tickets) or `counter` (pre-bills
             *     and receipts). One printer per role.
             */
            role: components["schemas"]["PrinterRole"];
        };
        /** @description A configured printer with its last known state. */
        PrinterRecord: {
            /** @description `host:port` or a device path. */
            address: string;
            /** @description Its character table. */
            code_page: components["schemas"]["CodePage"];
            /** @description How it is reached. */
            connection: components["schemas"]["Connection"];
            /**
             * Format: uuid
             * @description Its id.
             */
            id: string;
            /**
             * @description Why the last attempt failed, while unreachable or out of paper: `paper_out`,
             *     `timed_out`, `refused`, `unreachable`, `no_device`, `no_permission` or `failed`.
             */
            last_error?: string | null;
            /** @description A name staff recognise ("Cocina caliente"). */
            name: string;
            /** @description Paper width. */
            paper: components["schemas"]["Paper"];
            /**
             * Format: int64
             * @description Tickets waiting for it.
             */
            queued: number;
            /** @description What it prints for (one printer per role). */
            role: components["schemas"]["PrinterRole"];
            /** @description Its last known state. */
            state: components["schemas"]["PrinterState"];
        };
        /**
         * @description What a printer prints for.
         * @enum {string}
         */
        PrinterRole: "kitchen" | "bar" | "dessert" | "counter";
        /**
         * @description The state a printer was last seen in.
         * @enum {string}
         */
        PrinterState: "unknown" | "online" | "paper_low" | "paper_out" | "unreachable";
        /** @description Progress of a pull, summed over every layer seen so far. */
        PullProgress: {
            /**
             * Format: int64
             * @description Bytes downloaded.
             */
            completed: number;
            /** @description Ollama's status line (`pulling manifest`, `downloading`, `success`). */
            status: string;
            /**
             * Format: int64
             * @description Bytes to download (known so far).
             */
            total: number;
        };
        /** @description Which model to pull. */
        PullRequest: {
            /** @description The model; the configured one when absent. */
            model?: string | null;
        };
        /** @description Which station's last bumped ticket to bring back. */
        Recall: {
            /** @description The station. */
            station: components["schemas"]["Station"];
        };
        /** @description The receptor of a factura. */
        Receptor: {
            /** @description Giro. */
            activity: string;
            /** @description Street address. */
            address?: string | null;
            /** @description Comuna. */
            municipality?: string | null;
            /** @description Razón social. */
            name: string;
            /** @description RUT, `12345678-5`. */
            rut: string;
        };
        /** @description An admin's email, this counter's recovery code and the new password. */
        RecoverRequest: {
            /** @description The recovery code (case, spaces and dashes do not matter). */
            code: string;
            /** @description The admin's login email. */
            email: string;
            /** @description The new password. */
            new_password: string;
        };
        /** @description The backup a recovery came from. */
        RecoveredBackup: {
            /**
             * Format: uuid
             * @description The counter that took it.
             */
            device_id: string;
            /**
             * Format: uuid
             * @description The cloud's id of the backup.
             */
            id: string;
            /**
             * Format: int64
             * @description Its encrypted size in bytes.
             */
            size_bytes: number;
            /** @description When the dead counter took it. */
            taken_at: string;
        };
        /** @description A recovery code to show once (write it down: it is not stored in clear). */
        RecoveryCode: {
            /** @description The code, `ABCD-EFGH-JKMN-PQRS-TUVW`. */
            recovery_code: string;
        };
        /** @description What "Recuperar este local" brought back, and from where (`POST /setup/recover`). */
        RecoveryReport: {
            /** @description The backup restored. */
            backup: components["schemas"]["RecoveredBackup"];
            /**
             * Format: int64
             * @description How long the whole recovery took, in milliseconds.
             */
            duration_ms: number;
            /** @description Rows as the backup held them (conversations, local settings, open drawers…). */
            from_backup: components["schemas"]["RowCount"][];
            /**
             * @description Rows the first sync added on top (the cloud's changes after the backup); negative
             *     when the cloud had removed some.
             */
            from_cloud: components["schemas"]["RowCount"][];
            /** @description The same in English. */
            lost_en: string;
            /**
             * @description What could be lost: changes made on the dead counter after the backup that never
             *     reached the cloud. Nobody can count them; none were found here.
             */
            lost_es: string;
            /** @description What is not brought back on purpose. */
            not_restored: string[];
            /**
             * @description Changes the backup held that the dead counter had never sent: this counter sent
             *     them now (by entity).
             */
            sent_to_cloud: components["schemas"]["RowCount"][];
            /**
             * Format: int64
             * @description Of those, how many still wait (the first round did not finish; the loop goes on).
             */
            still_pending: number;
            /** @description Why it did not, when it did not (the loop keeps trying). */
            sync_error?: string | null;
            /** @description Whether the first sync round finished. */
            synced: boolean;
        };
        /** @description Whether this counter has a recovery code, and since when (never the code). */
        RecoveryStatus: {
            /** @description When the code in force was made (RFC 3339); absent when there is none. */
            issued_at?: string | null;
        };
        /** @description A refresh token, when not sent as the cookie. */
        RefreshRequest: {
            /** @description The refresh token from the last sign-in or refresh. */
            refresh_token: string;
        };
        /** @description A refund request. */
        RefundRequest: {
            amount?: components["schemas"]["Clp"] | null;
            drawer_id?: components["schemas"]["DrawerId"] | null;
            /** @description Why. */
            reason?: string | null;
        };
        /** @description A local change the cloud refused, for staff. */
        RejectedChange: {
            /** @description When the change was made here. */
            created_at: string;
            /** @description The cloud's explanation for staff. */
            detail?: string | null;
            /** @description What kind of row (`order`, `reservation`, …). */
            entity: string;
            /** @description The row's id. */
            entity_id: string;
            /** @description The mutation's id. */
            mutation_id: string;
            /** @description `upsert` or `delete`. */
            op: string;
            /** @description The cloud's reason code (`illegal_transition`, `append_only`, `malformed`). */
            reason: string;
            /** @description When the cloud refused it. */
            rejected_at?: string | null;
            /**
             * Format: int64
             * @description Commit order on this device.
             */
            seq: number;
        };
        /** @description New orders for items and/or categories: each list gives ids in their new order. */
        Reorder: {
            /** @description Category ids in order. */
            categories?: components["schemas"]["CategoryId"][] | null;
            /** @description Item ids in order: the first gets position 0, the next 1, … */
            items?: components["schemas"]["ItemId"][] | null;
        };
        /** @description How many rows a reorder moved. */
        ReorderOutcome: {
            /** @description Categories whose position changed. */
            categories_moved: number;
            /** @description Items whose position changed. */
            items_moved: number;
        };
        /** @description The reply text. */
        ReplyText: {
            /** @description What the assistant says. */
            text: string;
        };
        /**
         * @description Mid-shift (X) or end of day (Z).
         * @enum {string}
         */
        ReportKind: "x" | "z";
        /** @description A queued reprint. */
        Reprint: {
            /**
             * Format: uuid
             * @description The print job, marked COPIA; none when the station has no printer.
             */
            job_id?: string | null;
        };
        /**
         * Format: uuid
         * @description A table reservation.
         */
        ReservationId: string;
        /** @description Reservation figures. */
        ReservationStats: {
            /**
             * Format: int64
             * @description Cancelled.
             */
            cancelled: number;
            /**
             * Format: int64
             * @description Guests of those reservations.
             */
            covers: number;
            /**
             * Format: int64
             * @description Marked no-show.
             */
            no_show: number;
            /**
             * Format: double
             * @description `no_show / total` (0 when there are none).
             */
            no_show_rate: number;
            /**
             * Format: int64
             * @description Reservations not cancelled.
             */
            total: number;
        };
        /**
         * @description Where a reservation is in its life.
         * @enum {string}
         */
        ReservationStatus: "booked" | "confirmed" | "seated" | "completed" | "no_show" | "cancelled";
        /** @description A reservation as clients see it. */
        ReservationView: {
            /** @description Why it was cancelled. */
            cancel_reason?: string | null;
            /** @description Where it was made. */
            channel: string;
            /** @description When it was made (RFC 3339). */
            created_at: string;
            customer_id?: components["schemas"]["CustomerId"] | null;
            /**
             * Format: int32
             * @description Length in minutes.
             */
            duration_minutes: number;
            /**
             * Format: date-time
             * @description End, exclusive (RFC 3339, UTC).
             */
            ends_at: string;
            /** @description The reservation's id. */
            id: components["schemas"]["ReservationId"];
            /**
             * Format: date
             * @description Local day of the start in the restaurant's time zone.
             */
            local_date: string;
            /** @description Local start time, `HH:MM` (24-hour). */
            local_time: string;
            /** @description Name the booking is under. */
            name: string;
            /** @description Notes. */
            notes?: string | null;
            /**
             * Format: int32
             * @description How many people.
             */
            party_size: number;
            /** @description Contact phone, E.164. */
            phone?: string | null;
            /**
             * Format: date-time
             * @description Start (RFC 3339, UTC).
             */
            starts_at: string;
            /** @description Where it is in its life. */
            status: components["schemas"]["ReservationStatus"];
            /** @description The table held. */
            table_id: components["schemas"]["TableId"];
        };
        /** @description A new password set by an admin. */
        ResetPasswordRequest: {
            /** @description The new password (10+ characters). */
            password: string;
        };
        /** @description Everything about the restaurant the operations need. */
        RestaurantSettings: {
            /**
             * @description Street address.
             * @default null
             */
            address: string | null;
            /**
             * @description Currency code; CLP (integer pesos).
             * @default CLP
             */
            currency: string;
            /**
             * Format: int32
             * @description The local hour a business day starts and ends at (0–11; 4 = 04:00), so a night
             *     that runs past midnight closes into the evening's day.
             * @default 4
             */
            day_cutoff_hour: number;
            /**
             * @description Contact email.
             * @default null
             */
            email: string | null;
            /**
             * @description "Emitir boleta electrónica": each payment issues a boleta (or a factura for a
             *     customer who gives a RUT) through the fiscal provider, and each refund of one its
             *     credit note (`crate::fiscal`). Off by default: a restaurant that issues boletas
             *     elsewhere is not forced.
             * @default false
             */
            fiscal_documents_enabled: boolean;
            /**
             * Format: int32
             * @description The provider's branch ("sucursal", Bsale's `officeId`) the documents are issued
             *     from; absent: the account's default branch.
             * @default null
             */
            fiscal_office_id: number | null;
            /**
             * @description Lines without a course go to the kitchen by themselves: counter orders when placed,
             *     the others (but a table's) when accepted
             *     ([`dysa_domain::kitchen::AutoFire`]). Off for a restaurant without a kitchen screen
             *     or printer, whose cooks read the order board instead.
             * @default true
             */
            kitchen_auto_fire: boolean;
            /**
             * @description Languages offered to diners, first is the default.
             * @default [
             *       "es",
             *       "en"
             *     ]
             */
            languages: components["schemas"]["Lang"][];
            /**
             * @description Logo URL or data URL.
             * @default null
             */
            logo_url: string | null;
            /**
             * @description "Pedir PIN de encargado para anular y descontar": a cashier whose role cannot void,
             *     discount or refund may do it with a manager's or admin's PIN given in the request
             *     (`X-Approval-User`/`X-Approval-Pin`); the audit row names both. Off: only roles
             *     that hold the permission may, as before.
             * @default false
             */
            manager_pin_for_voids: boolean;
            /**
             * @description Trading name, shown to diners and on tickets.
             * @default
             */
            name: string;
            /**
             * @description Whether the widget and chat take orders.
             * @default true
             */
            online_orders_enabled: boolean;
            /**
             * @description Weekly opening hours in local time.
             * @default {
             *       "monday": [
             *         {
             *           "open": "12:00",
             *           "close": "23:00"
             *         }
             *       ],
             *       "tuesday": [
             *         {
             *           "open": "12:00",
             *           "close": "23:00"
             *         }
             *       ],
             *       "wednesday": [
             *         {
             *           "open": "12:00",
             *           "close": "23:00"
             *         }
             *       ],
             *       "thursday": [
             *         {
             *           "open": "12:00",
             *           "close": "23:00"
             *         }
             *       ],
             *       "friday": [
             *         {
             *           "open": "12:00",
             *           "close": "23:00"
             *         }
             *       ],
             *       "saturday": [
             *         {
             *           "open": "12:00",
             *           "close": "23:00"
             *         }
             *       ],
             *       "sunday": [
             *         {
             *           "open": "12:00",
             *           "close": "23:00"
             *         }
             *       ]
             *     }
             */
            opening_hours: components["schemas"]["OpeningHours"];
            /**
             * @description Admins and managers must sign in with their password: the PIN pad refuses them
             *     (a 4–6 digit PIN is too weak for accounts that manage staff and settings).
             * @default false
             */
            password_required_for_managers: boolean;
            /**
             * @description Contact phone.
             * @default null
             */
            phone: string | null;
            /**
             * Format: int32
             * @description Default length of a reservation, minutes.
             * @default 90
             */
            reservation_duration_minutes: number;
            /**
             * Format: int32
             * @description Spacing of reservation slots, minutes.
             * @default 30
             */
            reservation_slot_minutes: number;
            /** @default null */
            rut: components["schemas"]["Rut"] | null;
            /**
             * Format: int32
             * @description Suggested tip, percent of the total (Chile's customary 10%).
             * @default 10
             */
            suggested_tip_percent: number;
            /**
             * Format: int32
             * @description Tax rate in basis points (1900 = 19% IVA), included in every price.
             * @default 1900
             */
            tax_rate_bp: number;
            /**
             * @description IANA time zone; decides business days, slots and reports.
             * @default America/Santiago
             */
            time_zone: string;
        };
        /** @description What a retry came to. */
        RetryOutcome: {
            /** @description Whether the change is applied now (or was superseded by a newer one). */
            applied: boolean;
            parked?: components["schemas"]["ParkedChange"] | null;
        };
        /**
         * @description A staff role in one restaurant.
         * @enum {string}
         */
        Role: "admin" | "manager" | "waiter" | "viewer";
        /** @description How many rows of one kind. */
        RowCount: {
            /**
             * Format: int64
             * @description How many.
             */
            count: number;
            /**
             * @description What: `orders`, `payments`, `conversations`, `conversation_messages`, `customers`,
             *     `reservations`, `menu_items`, `users`, `settings`, `open_drawers`, `day_closes`;
             *     for changes sent, the synced entity (`order`, `conversation`, …).
             */
            key: string;
        };
        /**
         * @description A Chilean RUT (tax id), always with a correct check digit. Written `12.345.678-5`.
         * @example 12.345.678-5
         */
        Rut: string;
        /**
         * Format: int32
         * @description The seat a line is for (1 to [`Seat::MAX`]), so the runner knows who gets which plate
         *     and a split by seat is possible.
         */
        Seat: number;
        /** @description A signed-in session: who, what they may do, and the tokens (also set as cookies). */
        SessionResponse: {
            /** @description Bearer token for API clients; lives 15 minutes. */
            access_token: string;
            /**
             * Format: int64
             * @description Seconds until the access token expires.
             */
            expires_in: number;
            /** @description What the account's role allows. */
            permissions: components["schemas"]["Permission"][];
            /**
             * @description The admin recovery code, only in the answer to the first-run setup: shown once,
             *     never stored in clear.
             */
            recovery_code?: string | null;
            /** @description Single-use token for `POST /auth/refresh`. */
            refresh_token: string;
            /** @description Always `Bearer`. */
            token_type: string;
            /** @description The signed-in account. */
            user: components["schemas"]["UserView"];
        };
        /**
         * @description Where a drawer session stands.
         * @enum {string}
         */
        SessionStatus: "open" | "counted" | "recount" | "closed";
        /**
         * @description A session as a person sees it. Before a standing count, someone without
         *     `drawer:audit` sees neither what the drawer should hold nor the cash sales (which
         *     would give it away): only the float and the pay-ins and pay-outs.
         */
        SessionView: {
            /** @description When (RFC 3339). */
            closed_at?: string | null;
            closed_by?: components["schemas"]["UserId"] | null;
            counted_total?: components["schemas"]["Clp"] | null;
            /** @description Its counts, oldest first (none while hidden). */
            counts: components["schemas"]["DrawerCountRecord"][];
            difference?: components["schemas"]["Clp"] | null;
            /** @description Its drawer. */
            drawer_id: components["schemas"]["DrawerId"];
            /** @description The drawer's name. */
            drawer_name: string;
            expected?: components["schemas"]["Clp"] | null;
            /** @description True when the expected amount is withheld (a blind count is due). */
            expected_hidden: boolean;
            /** @description The session's id. */
            id: components["schemas"]["DrawerSessionId"];
            /** @description Its movements, oldest first (only pay-ins and pay-outs while hidden). */
            movements: components["schemas"]["DrawerMovementRecord"][];
            /** @description When (RFC 3339). */
            opened_at: string;
            opened_by?: components["schemas"]["UserId"] | null;
            /** @description The counted float. */
            opening_float: components["schemas"]["Clp"];
            recount_requested_by?: components["schemas"]["UserId"] | null;
            /** @description Where it stands. */
            status: components["schemas"]["SessionStatus"];
            totals?: components["schemas"]["MovementTotals"] | null;
        };
        /** @description A PIN to set, or null to remove it. */
        SetPinRequest: {
            /** @description 4–6 digits, or null. */
            pin?: string | null;
        };
        /** @description The setup code, for the panel on the counter itself. */
        SetupCodeView: {
            /** @description The code a setup from another device must present, e.g. `K7PQ-M2XD`. */
            code: string;
        };
        /** @description The first-run form. */
        SetupRequest: {
            /**
             * @description The setup code shown on the counter; required unless the request comes from the
             *     counter itself (loopback).
             */
            code?: string | null;
            /** @description The first admin's email (their login). */
            email: string;
            /** @description The first admin's name. */
            name: string;
            /** @description At least 10 characters, not a common password. */
            password: string;
            /** @description Optional 4–6 digit PIN for quick switching. */
            pin?: string | null;
            /** @description The restaurant's name. */
            restaurant_name: string;
        };
        /** @description Whether the appliance still needs its first-run setup. */
        SetupStatus: {
            /** @description True when this client must type the setup code (it is not on the counter itself). */
            code_required: boolean;
            /** @description True while no staff account exists. */
            needed: boolean;
            /** @description The restaurant's name, once set. */
            restaurant_name?: string | null;
        };
        /** @description One bookable start time. */
        SlotView: {
            /** @description Local time, `HH:MM` (24-hour). */
            local_time: string;
            /**
             * Format: date-time
             * @description The instant (RFC 3339, UTC); send it back as `starts_at`.
             */
            starts_at: string;
            /**
             * Format: int32
             * @description Tables in service that seat the party and are free for the whole duration.
             */
            tables_free: number;
            /**
             * @description The local UTC offset then (`-03:00`); tells apart the two 23:00 of the night the
             *     clocks go back.
             */
            utc_offset: string;
        };
        /**
         * @description Who understood the message.
         * @enum {string}
         */
        Source: "model" | "fallback" | "none";
        /** @description How to split a tab: by seat, or chosen lines into new bills (exactly one of the two). */
        SplitTab: {
            /**
             * @description Each group of line ids becomes a new bill; the other lines stay where they are.
             *     Paying chosen lines ("cobro parcial") is one group, then paying its bill.
             */
            bills?: components["schemas"]["OrderLineId"][][];
            /** @description One bill per seat; the lines without a seat make bill 1. */
            by_seat?: boolean;
        };
        /**
         * @description Where an item is prepared, so its ticket goes to the right screen or printer.
         * @enum {string}
         */
        Station: "kitchen" | "bar" | "dessert";
        /** @description Average preparation time of one station: bump time − fire time of its bumped lines. */
        StationPrep: {
            /**
             * Format: int64
             * @description Their average preparation time, in seconds.
             */
            average_seconds: number;
            /**
             * Format: int64
             * @description Lines bumped in the period.
             */
            lines: number;
            /** @description The station. */
            station: components["schemas"]["Station"];
        };
        /** @description A status change. */
        StatusChange: {
            /** @description Required to cancel. */
            reason?: string | null;
            /** @description The new status (forward only, or `cancelled`). */
            status: components["schemas"]["OrderStatus"];
        };
        /** @description A status change. */
        StatusRequest: {
            /** @description Why (kept for cancellations). */
            reason?: string | null;
            /** @description The new status. */
            status: components["schemas"]["ReservationStatus"];
        };
        /** @description A sales report. */
        Summary: {
            /** @description `sales / orders`, rounded to the peso. */
            average_ticket: components["schemas"]["Clp"];
            /** @description One bucket per channel with orders. */
            by_channel: components["schemas"]["Bucket"][];
            /** @description One bucket per local day with orders. */
            by_day: components["schemas"]["Bucket"][];
            /** @description 24 buckets, local hours 0–23. */
            by_hour: components["schemas"]["Bucket"][];
            /**
             * Format: int64
             * @description Cancelled orders.
             */
            cancelled_orders: number;
            /** @description First local day. */
            from: string;
            /** @description Net of IVA. */
            net: components["schemas"]["Clp"];
            /**
             * Format: int64
             * @description Orders not cancelled.
             */
            orders: number;
            /** @description Money taken by payment method (refunds subtracted). */
            payments_by_method: components["schemas"]["Bucket"][];
            /** @description Reservations in the period. */
            reservations: components["schemas"]["ReservationStats"];
            /** @description Sales: totals (IVA included) of orders not cancelled. */
            sales: components["schemas"]["Clp"];
            /** @description IVA. */
            tax: components["schemas"]["Clp"];
            /** @description Time zone of the days and hours. */
            time_zone: string;
            /** @description Tips (outside sales). */
            tips: components["schemas"]["Clp"];
            /** @description Last local day. */
            to: string;
            /** @description Best sellers by quantity (top 10). */
            top_items: components["schemas"]["TopItem"][];
        };
        /** @description What staff see about sync (`GET /sync/status`, and the `sync` live event). */
        SyncStatus: {
            /** @description The cloud this appliance is connected to. */
            cloud_url?: string | null;
            /** @description When it was connected. */
            connected_at?: string | null;
            /** @description The cloud's id for this device. */
            device_id?: string | null;
            /** @description Why the last attempt failed. */
            last_error?: string | null;
            /** @description When a whole push and pull last succeeded. */
            last_success_at?: string | null;
            /** @description The link's state. */
            link: components["schemas"]["LinkState"];
            /** @description True while the owner has closed this location in the cloud (the panel shows a banner). */
            location_closed: boolean;
            /**
             * Format: int64
             * @description Cloud rows that could not be applied here yet (waiting for a related row).
             */
            parked: number;
            /**
             * Format: int64
             * @description Local changes waiting to reach the cloud.
             */
            pending: number;
            /**
             * Format: int64
             * @description Local changes the cloud refused (see `GET /sync/rejected`).
             */
            rejected: number;
            /** @description Why the cloud revoked the device. */
            revoked_reason?: string | null;
            token_storage?: components["schemas"]["TokenStorage"] | null;
        };
        /** @description A tab's bills: one (bill 1) until it is split. */
        TabBills: {
            /**
             * @description Its bills by number, each with its lines, its share of the discount and tip, what
             *     it owes and its own payments. They add up to the tab.
             */
            bills: components["schemas"]["Bill"][];
            /** @description The tab. */
            order_id: components["schemas"]["OrderId"];
        };
        /** @description The tab open on a table, as its card on the floor plan shows it. */
        TabSummary: {
            /** @description What the tab adds up to so far (IVA included, before tip). */
            amount: components["schemas"]["Clp"];
            /** @description When they asked for the bill, if they did. */
            bill_requested_at?: string | null;
            covers?: components["schemas"]["Covers"] | null;
            /**
             * Format: int64
             * @description Minutes since then.
             */
            minutes_seated: number;
            /** @description The tab (an order). */
            order_id: components["schemas"]["OrderId"];
            /** @description When the tab was opened (RFC 3339). */
            seated_at: string;
            waiter_id?: components["schemas"]["UserId"] | null;
            /** @description The waiter's name. */
            waiter_name?: string | null;
        };
        /** @description Changes to a table; absent fields stay, `null` clears the area. */
        TableChanges: {
            /** @description Active or not. */
            active?: boolean | null;
            /** @description New area, or null. */
            area?: string | null;
            /**
             * Format: int32
             * @description New column on the floor plan (0–49), or null to take it off the plan.
             */
            grid_x?: number | null;
            /**
             * Format: int32
             * @description New row on the floor plan (0–49), or null to take it off the plan.
             */
            grid_y?: number | null;
            /** @description New name. */
            name?: string | null;
            /**
             * Format: int64
             * @description New sort order.
             */
            position?: number | null;
            /**
             * Format: int64
             * @description New number of seats.
             */
            seats?: number | null;
        };
        /**
         * Format: uuid
         * @description A table in the dining room.
         */
        TableId: string;
        /** @description A table of the dining room. */
        TableRecord: {
            /** @description Inactive tables are kept but not offered for seating or booking. */
            active: boolean;
            /** @description Area ("Terraza", "Salón"), if any. */
            area?: string | null;
            /** @description When it was created (RFC 3339). */
            created_at: string;
            /** @description HLC of the tombstone; absent on live rows. */
            deleted_at?: string | null;
            grid_x?: components["schemas"]["GridCell"] | null;
            grid_y?: components["schemas"]["GridCell"] | null;
            /** @description The table's id. */
            id: components["schemas"]["TableId"];
            /** @description Its name ("Mesa 4", "Barra 1"), unique among live tables. */
            name: string;
            /** @description A tab closed on it and staff have not marked it clean yet ("por limpiar"). */
            needs_cleaning?: boolean;
            /**
             * Format: int64
             * @description Sort order in the floor list (ascending).
             */
            position: number;
            /**
             * Format: int32
             * @description How many people it seats.
             */
            seats: number;
            /** @description HLC of the last change. */
            updated_at: string;
        };
        /**
         * @description What a table is doing now, as the floor plan colours it.
         * @enum {string}
         */
        TableState: "free" | "occupied" | "bill_requested" | "reserved_soon" | "to_clean";
        /**
         * @description What is happening at a table now.
         * @enum {string}
         */
        TableStatus: "free" | "occupied" | "reserved";
        /** @description A table with its live status. */
        TableWithStatus: components["schemas"]["TableRecord"] & {
            current_order_id?: components["schemas"]["OrderId"] | null;
            next_reservation?: components["schemas"]["NextReservation"] | null;
            /**
             * @description The floor plan's state: libre, ocupada, pidió la cuenta, reservada pronto, por
             *     limpiar ([`dysa_domain::floor::table_state`]).
             */
            state: components["schemas"]["TableState"];
            /** @description Free, occupied or reserved, right now. */
            status: components["schemas"]["TableStatus"];
            tab?: components["schemas"]["TabSummary"] | null;
        };
        /** @description One line of a kitchen ticket. */
        TicketLine: {
            /** @description When the cooks bumped it. */
            bumped_at?: string | null;
            /** @description The menu item (to mark it sold out, "86", from the screen). */
            item_id: components["schemas"]["ItemId"];
            /** @description The order line. */
            line_id: components["schemas"]["OrderLineId"];
            /** @description Chosen modifiers, as "Término: A punto". */
            modifiers: string[];
            /** @description The item's name when ordered. */
            name: string;
            /** @description Note for the kitchen. */
            note?: string | null;
            /**
             * Format: int32
             * @description How many.
             */
            quantity: number;
            seat?: components["schemas"]["Seat"] | null;
            /** @description Voided after it was fired: the cooks must stop it. */
            voided: boolean;
        };
        /** @description The tips of one drawer session's shift, per waiter: what each is owed. */
        TipOut: {
            /** @description Its drawer. */
            drawer_name: string;
            /** @description From (RFC 3339). */
            from: string;
            /** @description The session the shift is. */
            session_id: components["schemas"]["DrawerSessionId"];
            /** @description All tips of the shift by how they were paid. */
            tips: components["schemas"]["TipSplit"];
            /** @description To (its close, or now while open). */
            to: string;
            /** @description Per waiter, largest first. */
            waiters: components["schemas"]["WaiterTips"][];
        };
        /**
         * @description Tips kept apart by how they were paid: the card ones arrive with the terminal's
         *     settlement, the cash ones are already in the drawer.
         */
        TipSplit: {
            /** @description Debit and credit cards. */
            card: components["schemas"]["Clp"];
            /** @description Notes and coins. */
            cash: components["schemas"]["Clp"];
            /** @description Transfers and Mercado Pago. */
            other: components["schemas"]["Clp"];
            /** @description All of them. */
            total: components["schemas"]["Clp"];
        };
        /** @description The provider's access token. */
        TokenInput: {
            /** @description Bsale's `access_token` of the restaurant's account. */
            access_token: string;
        };
        /**
         * @description Where the device token is kept.
         * @enum {string}
         */
        TokenStorage: "keyring" | "file";
        /** @description One best seller. */
        TopItem: {
            /** @description The menu item. */
            item_id: string;
            /** @description Its name on the latest order. */
            name: string;
            /**
             * Format: int64
             * @description Units sold.
             */
            quantity: number;
            /** @description Sales of those units (before order discounts). */
            sales: components["schemas"]["Clp"];
        };
        /** @description One recorded status change. */
        Transition: {
            /** @description When. */
            at: string;
            by_user?: components["schemas"]["UserId"] | null;
            from?: components["schemas"]["OrderStatus"] | null;
            /** @description Reason given (cancellations). */
            reason?: string | null;
            /** @description New status. */
            to: components["schemas"]["OrderStatus"];
        };
        /** @description A category of the tree. */
        TreeCategory: {
            /** @description The category. */
            id: components["schemas"]["CategoryId"];
            /** @description Its live items in order, sold-out ones included (`available: false`). */
            items: components["schemas"]["TreeItem"][];
            /** @description Spanish name. */
            name: string;
            /** @description English name. */
            name_en?: string | null;
            /**
             * Format: int64
             * @description Sort order.
             */
            position: number;
        };
        /** @description An item of the tree. */
        TreeItem: {
            /** @description Allergens. */
            allergens: string[];
            /** @description False when sold out: shown, but not orderable. */
            available: boolean;
            /** @description Spanish description. */
            description?: string | null;
            /** @description English description. */
            description_en?: string | null;
            /** @description The item. */
            id: components["schemas"]["ItemId"];
            /** @description Its live modifier groups, in the item's order. */
            modifier_groups: components["schemas"]["TreeModifierGroup"][];
            /** @description Spanish name. */
            name: string;
            /** @description English name. */
            name_en?: string | null;
            /** @description Its photo's hash (`/media/{photo}.jpg`, `-thumb.jpg` at 200 px), when it has one. */
            photo?: string | null;
            /**
             * Format: int64
             * @description Sort order in its category.
             */
            position: number;
            /** @description Price in pesos, IVA included. */
            price: components["schemas"]["Clp"];
            /** @description The price as shown in Chile: `$12.990`. */
            price_display: string;
            /** @description Where it is prepared. */
            station: components["schemas"]["Station"];
            /** @description Tags. */
            tags: string[];
        };
        /** @description A modifier group of a tree item. */
        TreeModifierGroup: {
            /** @description The group. */
            id: components["schemas"]["ModifierGroupId"];
            /**
             * Format: int32
             * @description Maximum choices.
             */
            max_choices: number;
            /**
             * Format: int32
             * @description Minimum choices.
             */
            min_choices: number;
            /** @description Spanish name. */
            name: string;
            /** @description English name. */
            name_en?: string | null;
            /** @description Its options, in order (sold-out ones with `available: false`). */
            options: components["schemas"]["ModifierOption"][];
        };
        /** @description The answer to a message. */
        TurnReply: {
            draft?: components["schemas"]["DraftView"] | null;
            intent?: components["schemas"]["Intent"] | null;
            /** @description The conversation's language. */
            language: components["schemas"]["Lang"];
            order_id?: components["schemas"]["OrderId"] | null;
            reply?: components["schemas"]["ReplyText"] | null;
            reservation_id?: components["schemas"]["ReservationId"] | null;
            /** @description Who understood the message. */
            source: components["schemas"]["Source"];
        };
        /** @description Fields to change; absent fields stay, `null` clears an optional field. */
        UpdateCustomerRequest: {
            /** @description New email, or null. */
            email?: string | null;
            /** @description New consent. */
            marketing_consent?: boolean | null;
            /** @description New name. */
            name?: string | null;
            /** @description New notes, or null. */
            notes?: string | null;
            /** @description New phone, or null. */
            phone?: string | null;
            /** @description New RUT, or null. */
            rut?: string | null;
        };
        /** @description Changes to a booked or confirmed reservation; absent fields stay. */
        UpdateReservationRequest: {
            /**
             * Format: int32
             * @description New length in minutes.
             */
            duration_minutes?: number | null;
            /** @description New name. */
            name?: string | null;
            /** @description New notes, or null. */
            notes?: string | null;
            /**
             * Format: int32
             * @description New party size.
             */
            party_size?: number | null;
            /** @description New phone. */
            phone?: string | null;
            /** @description New start, RFC 3339 (or local time without an offset). */
            starts_at?: string | null;
            table_id?: components["schemas"]["TableId"] | null;
        };
        /** @description Fields to change; absent fields stay as they are. */
        UpdateUserRequest: {
            /** @description Reactivate (true) or deactivate (false). */
            active?: boolean | null;
            /** @description New email. */
            email?: string | null;
            /** @description New name. */
            name?: string | null;
            role?: components["schemas"]["Role"] | null;
        };
        /**
         * Format: uuid
         * @description A staff member of the restaurant.
         */
        UserId: string;
        /** @description A staff account as clients see it (no secrets). */
        UserView: {
            /** @description False once deactivated. */
            active: boolean;
            /** @description Creation time (RFC 3339). */
            created_at: string;
            /** @description Login email. */
            email: string;
            /** @description Whether a quick-switch PIN is set. */
            has_pin: boolean;
            /** @description The account's id. */
            id: components["schemas"]["UserId"];
            /**
             * @description Until when sign-in (PIN or password) is locked after repeated failures (RFC 3339);
             *     absent when not locked. Only the staff list fills it.
             */
            locked_until?: string | null;
            /** @description Display name. */
            name: string;
            /** @description Role. */
            role: components["schemas"]["Role"];
        };
        /** @description A voided line or a cancelled order, with who and why. */
        VoidEntry: {
            /** @description What it was worth. */
            amount: components["schemas"]["Clp"];
            /** @description When (RFC 3339). */
            at: string;
            /** @description Who voided it. */
            by?: string | null;
            /** @description What was voided (the item's name, or `None` for the whole order). */
            item?: string | null;
            /**
             * Format: int64
             * @description The order's daily number.
             */
            order_number: number;
            /**
             * Format: int64
             * @description How many units.
             */
            quantity: number;
            /** @description Why. */
            reason?: string | null;
        };
        /** @description Why a line is voided. */
        VoidLine: {
            /** @description Shown on the order's history and the kitchen screen. */
            reason: string;
        };
        /** @description Someone who can serve a table, for the Salón's waiter picker. */
        Waiter: {
            /** @description The account's id (the tab's `waiter_id`). */
            id: components["schemas"]["UserId"];
            /** @description Display name. */
            name: string;
            /** @description Role. */
            role: components["schemas"]["Role"];
        };
        /** @description The tips one waiter earned: the tip-out. */
        WaiterTips: {
            /** @description Their tips by how they were paid. */
            tips: components["schemas"]["TipSplit"];
            /** @description The waiter's name (`None`: orders nobody signed, such as the widget's). */
            waiter?: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    summary: {
        parameters: {
            query?: {
                /** @description First day, `YYYY-MM-DD` (default: today). */
                from?: string;
                /** @description Last day, `YYYY-MM-DD` (default: `from`). */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Summary"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_models: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Models"];
                };
            };
        };
    };
    pull_model: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PullRequest"];
            };
        };
        responses: {
            /** @description text/event-stream of progress */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["PullProgress"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_audit: {
        parameters: {
            query?: {
                /** @description From this local day (`YYYY-MM-DD`, America/Santiago) or instant (RFC 3339), inclusive. */
                from?: string;
                /** @description Until this local day (inclusive) or instant (exclusive). */
                to?: string;
                /** @description Only this staff member's actions. */
                actor?: components["schemas"]["UserId"];
                /** @description Only this action (`order.line_voided`). */
                action?: components["schemas"]["AuditAction"];
                /** @description Only actions on this kind of subject (`order`, `item`, `user`, `setting`, …). */
                subject_type?: string;
                /** @description Only actions on this subject (its id). */
                subject_id?: string;
                /** @description Page size, 1–200 (default 50). */
                limit?: number;
                /** @description Rows to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    export_audit: {
        parameters: {
            query?: {
                /** @description From this local day (`YYYY-MM-DD`, America/Santiago) or instant (RFC 3339), inclusive. */
                from?: string;
                /** @description Until this local day (inclusive) or instant (exclusive). */
                to?: string;
                /** @description Only this staff member's actions. */
                actor?: components["schemas"]["UserId"];
                /** @description Only this action (`order.line_voided`). */
                action?: components["schemas"]["AuditAction"];
                /** @description Only actions on this kind of subject (`order`, `item`, `user`, `setting`, …). */
                subject_type?: string;
                /** @description Only actions on this subject (its id). */
                subject_id?: string;
                /** @description Page size, 1–200 (default 50). */
                limit?: number;
                /** @description Rows to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionResponse"];
                };
            };
            /** @description Wrong credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Locked for a while */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Hashing busy; see `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Optional: a refresh token to close */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"] | null;
            };
        };
        responses: {
            /** @description Signed out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeResponse"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    change_password: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangePasswordRequest"];
            };
        };
        responses: {
            /** @description Changed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    pin_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PinRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionResponse"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `password_required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Locked; see `Retry-After` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Hashing busy; see `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    pin_users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PinUser"][];
                };
            };
            /** @description A LAN device that never signed in here */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    recover: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecoverRequest"];
            };
        };
        responses: {
            /** @description Password set; the new recovery code, shown once */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveryCode"];
                };
            };
            /** @description `invalid_credentials` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The new password is too weak */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Locked; see `Retry-After` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Hashing busy; see `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    recover_with_owner: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecoverRequest"];
            };
        };
        responses: {
            /** @description Password set; sign in with it */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_credentials` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_linked`: this counter has no cloud */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The new password is too weak */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Locked; see `Retry-After` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `cloud_unavailable`: the cloud could not be asked */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    recovery_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveryStatus"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    new_recovery_code: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveryCode"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Omit to use the refresh cookie */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"] | null;
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionResponse"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_backups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackupsStatus"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    back_up_now: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackupsStatus"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_days: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DayCloseRecord"][];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    close_day: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The business day, YYYY-MM-DD */
                date: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DayCloseRecord"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Already closed (`day_closed`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not a date, or a day still to come */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    print_z: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The business day, YYYY-MM-DD */
                date: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrintedReport"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The day is not closed */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No counter printer */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    connect_cloud: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectInput"];
            };
        };
        responses: {
            /** @description Connected; syncing has started */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncStatus"];
                };
            };
            /** @description Already connected, or the cloud refused the code */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Bad address or code (fields) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The cloud could not be reached or answered wrongly */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    disconnect_cloud: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Disconnected (or was not connected) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    list_conversations: {
        parameters: {
            query?: {
                /** @description One status. */
                status?: components["schemas"]["ConversationStatus"];
                /** @description One channel. */
                channel?: components["schemas"]["ConversationChannel"];
                /** @description Page size, 1–200 (default 50). */
                limit?: number;
                /** @description Rows to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConversationPage"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_conversation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewConversation"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Created"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_conversation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["ConversationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConversationDetail"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    handoff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["ConversationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Conversation"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_message: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["ConversationId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewMessage"];
            };
        };
        responses: {
            /** @description The answer (JSON), or with `Accept: text/event-stream` a stream of `token`, `reset` and `done` events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TurnReply"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    release: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["ConversationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Conversation"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_customers: {
        parameters: {
            query?: {
                /**
                 * @description Name words (accents and case ignored), a phone in any format or some of its
                 *     digits, or part of an email.
                 */
                q?: string;
                /** @description Page size, 1–200 (50). */
                limit?: number;
                /** @description Rows to skip (0). */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerPage"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_customer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCustomerRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerView"];
                };
            };
            /** @description Same phone or email as an existing customer (`customer_exists`, details name it) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_customer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Customer id */
                id: components["schemas"]["CustomerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerDetail"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_customer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Customer id */
                id: components["schemas"]["CustomerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_customer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Customer id */
                id: components["schemas"]["CustomerId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateCustomerRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Same phone or email as another customer */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    customer_orders: {
        parameters: {
            query?: {
                /** @description Page size, 1–200 (50). */
                limit?: number;
                /** @description Rows to skip (0). */
                offset?: number;
            };
            header?: never;
            path: {
                /** @description Customer id */
                id: components["schemas"]["CustomerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerOrderPage"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_sessions: {
        parameters: {
            query?: {
                /** @description Only this drawer's sessions. */
                drawer_id?: components["schemas"]["DrawerId"];
                /** @description At most this many (1–200, default 50), newest first. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"][];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    open_session: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OpenDrawer"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The drawer already has an open session (details.session_id) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    current_session: {
        parameters: {
            query?: {
                /** @description A drawer of this counter (its default drawer when absent). */
                drawer_id?: components["schemas"]["DrawerId"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"] | null;
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_session: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["DrawerSessionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    close_session: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["DrawerSessionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not counted yet, or already closed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    count_session: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["DrawerSessionId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CountInput"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Already counted or closed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    add_movement: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["DrawerSessionId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewMovement"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not open, or not enough cash for a pay-out */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    require_recount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["DrawerSessionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not counted, or closed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_drawers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DrawerWithSession"][];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    add_drawer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewDrawer"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Drawer"];
                };
            };
            /** @description Name in use */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    events: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["Event"];
                };
            };
        };
    };
    overview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FiscalOverview"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_documents: {
        parameters: {
            query?: {
                /** @description Only those with this status. */
                status?: components["schemas"]["FiscalStatus"];
                /** @description Only those of this order. */
                order_id?: string;
                /** @description At most this many (1–200, default 50), newest first. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FiscalDocument"][];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    retry_document: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FiscalDocument"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_rejected` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    set_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenInput"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    forget_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    prep_times: {
        parameters: {
            query?: {
                /** @description From this local day (`YYYY-MM-DD`) or instant, inclusive; default: today. */
                from?: string;
                /** @description Until this local day (inclusive) or instant (exclusive); default: today. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrepTimes"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    recall: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Recall"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KitchenTicket"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    open_tickets: {
        parameters: {
            query?: {
                /** @description One station (`kitchen`, `bar`, `dessert`); all when absent. */
                station?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenTickets"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    bump_ticket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KitchenTicket"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    bump_line: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                line_id: components["schemas"]["OrderLineId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KitchenTicket"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    reprint_ticket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Reprint"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_menu: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MenuTree"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_categories: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CategoryRecord"][];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_category: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewCategory"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CategoryRecord"];
                };
            };
            /** @description Name in use */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_category: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Category id */
                id: components["schemas"]["CategoryId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CategoryRecord"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_category: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Category id */
                id: components["schemas"]["CategoryId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The category has items */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_category: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Category id */
                id: components["schemas"]["CategoryId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CategoryChanges"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CategoryRecord"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Name in use */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    export_csv: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    import_csv: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": string;
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportReport"];
                };
            };
            /** @description Not a readable CSV */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not text/csv */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_items: {
        parameters: {
            query?: {
                /** @description Only this category's items. */
                category_id?: components["schemas"]["CategoryId"];
                /** @description Only available (true) or sold-out (false) items. */
                available?: boolean;
                /** @description Text in the Spanish or English name. */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemView"][];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_item: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewItem"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemView"];
                };
            };
            /** @description Name in use in the category */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_item: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Item id */
                id: components["schemas"]["ItemId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_item: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Item id */
                id: components["schemas"]["ItemId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_item: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Item id */
                id: components["schemas"]["ItemId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ItemChanges"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Name in use in the category */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    upload_photo: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Item id */
                id: components["schemas"]["ItemId"];
            };
            cookie?: never;
        };
        /** @description The photo */
        requestBody: {
            content: {
                "image/jpeg": number[];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Over 8 MB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not declared as JPEG, PNG or WebP */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Not a readable image, or too many pixels */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    remove_photo: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Item id */
                id: components["schemas"]["ItemId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_groups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModifierGroupRecord"][];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_group: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewModifierGroup"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModifierGroupRecord"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_group: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Modifier group id */
                id: components["schemas"]["ModifierGroupId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModifierGroupRecord"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_group: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Modifier group id */
                id: components["schemas"]["ModifierGroupId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Items use the group */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_group: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Modifier group id */
                id: components["schemas"]["ModifierGroupId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ModifierGroupChanges"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModifierGroupRecord"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    reorder: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Reorder"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReorderOutcome"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    online_orders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OnlineOrders"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    pause_online_orders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OnlineOrders"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OnlineOrders"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_orders: {
        parameters: {
            query?: {
                /** @description Comma-separated statuses, e.g. `pending,confirmed`. */
                status?: string;
                /** @description One channel. */
                channel?: components["schemas"]["Channel"];
                /** @description From this instant (RFC 3339) or local day (`YYYY-MM-DD`), inclusive. */
                from?: string;
                /** @description Until this instant (RFC 3339, exclusive) or local day (`YYYY-MM-DD`, inclusive). */
                to?: string;
                /** @description One customer's orders. */
                customer_id?: components["schemas"]["CustomerId"];
                /** @description One table's orders. */
                table_id?: components["schemas"]["TableId"];
                /** @description Page size, 1–200 (default 50). */
                limit?: number;
                /** @description Rows to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderPage"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_order: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe */
                "Idempotency-Key"?: string | null;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewOrder"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid fields, sold-out or unknown items, reused key */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_order: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_order: {
        parameters: {
            query?: never;
            header?: {
                /** @description A manager approving a cashier (when `manager_pin_for_voids` is on) */
                "X-Approval-User"?: string | null;
                /** @description That manager's PIN */
                "X-Approval-Pin"?: string | null;
            };
            path: {
                id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrderPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description `forbidden`, `approval_required` or `approval_refused` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The approver's PIN is locked */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    request_bill: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    tab_bills: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TabBills"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    refuse_cancel_request: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    fire_course: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FireCourse"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Fired"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    order_tickets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderTickets"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    append_lines: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe */
                "Idempotency-Key"?: string | null;
            };
            path: {
                id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppendLines"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    discount_line: {
        parameters: {
            query?: never;
            header?: {
                /** @description A manager approving a cashier (when `manager_pin_for_voids` is on) */
                "X-Approval-User"?: string | null;
                /** @description That manager's PIN */
                "X-Approval-Pin"?: string | null;
            };
            path: {
                id: components["schemas"]["OrderId"];
                line_id: components["schemas"]["OrderLineId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LineDiscountInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description `forbidden`, `approval_required` or `approval_refused` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The approver's PIN is locked */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    void_line: {
        parameters: {
            query?: never;
            header?: {
                /** @description A manager approving a cashier (when `manager_pin_for_voids` is on) */
                "X-Approval-User"?: string | null;
                /** @description That manager's PIN */
                "X-Approval-Pin"?: string | null;
            };
            path: {
                id: components["schemas"]["OrderId"];
                line_id: components["schemas"]["OrderLineId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VoidLine"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description `forbidden`, `approval_required` or `approval_refused` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The approver's PIN is locked */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    move_tab: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MoveTab"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    order_payments: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payment"][];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    print_order: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrintOrder"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrintedOrder"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    split_tab: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SplitTab"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TabBills"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    change_order_status: {
        parameters: {
            query?: never;
            header?: {
                /** @description A manager approving a cashier (when `manager_pin_for_voids` is on) */
                "X-Approval-User"?: string | null;
                /** @description That manager's PIN */
                "X-Approval-Pin"?: string | null;
            };
            path: {
                id: components["schemas"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StatusChange"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description `forbidden`, `approval_required` or `approval_refused` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The approver's PIN is locked */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_payment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewPayment"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentReceipt"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    refund_payment: {
        parameters: {
            query?: never;
            header?: {
                /** @description A manager approving a cashier (when `manager_pin_for_voids` is on) */
                "X-Approval-User"?: string | null;
                /** @description That manager's PIN */
                "X-Approval-Pin"?: string | null;
            };
            path: {
                id: components["schemas"]["PaymentId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefundRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentReceipt"];
                };
            };
            /** @description `forbidden`, `approval_required` or `approval_refused` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The approver's PIN is locked */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    print_jobs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrintQueue"];
                };
            };
        };
    };
    retry_job: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_printers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrinterRecord"][];
                };
            };
        };
    };
    create_printer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrinterInput"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrinterRecord"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_printer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrinterInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrinterRecord"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_printer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    tip_out: {
        parameters: {
            query: {
                /** @description The drawer session the shift is. */
                session_id: components["schemas"]["DrawerSessionId"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TipOut"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    x_report: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DayReport"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    x_csv: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    x_pdf: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": number[];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    print_x: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrintedReport"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No counter printer */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    z_report: {
        parameters: {
            query: {
                /** @description The business day, `YYYY-MM-DD`. */
                date: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DayCloseRecord"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The day is not closed */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    z_csv: {
        parameters: {
            query: {
                /** @description The business day, `YYYY-MM-DD`. */
                date: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The day is not closed */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    z_pdf: {
        parameters: {
            query: {
                /** @description The business day, `YYYY-MM-DD`. */
                date: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": number[];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The day is not closed */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_reservations: {
        parameters: {
            query?: {
                /** @description Local day of the restaurant (`YYYY-MM-DD`); today when absent. */
                date?: string;
                /** @description Only this status. */
                status?: components["schemas"]["ReservationStatus"];
                /** @description Only this table. */
                table_id?: components["schemas"]["TableId"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservationView"][];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_reservation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateReservationRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservationView"];
                };
            };
            /** @description `table_taken`, `table_too_small`, `table_inactive`, `no_table_free` or `party_too_large` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid fields, a start in the past, or `outside_opening_hours` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    availability: {
        parameters: {
            query: {
                /** @description The service day (`YYYY-MM-DD`, local). */
                date: string;
                /** @description How many people, 1–100. */
                party_size: number;
                /** @description Length, 15–720 minutes (the restaurant's default when absent). */
                duration_minutes?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AvailabilityView"];
                };
            };
            /** @description Missing or invalid date, party size or duration */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_reservation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Reservation id */
                id: components["schemas"]["ReservationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservationView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_reservation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Reservation id */
                id: components["schemas"]["ReservationId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateReservationRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservationView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Capacity codes as for creation, or `reservation_not_editable` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    change_reservation_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Reservation id */
                id: components["schemas"]["ReservationId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StatusRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservationView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `illegal_transition` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestaurantSettings"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Any subset of the settings' fields */
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestaurantSettings"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    setup_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SetupStatus"];
                };
            };
        };
    };
    setup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetupRequest"];
            };
        };
        responses: {
            /** @description Set up; the admin is signed in */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionResponse"];
                };
            };
            /** @description From another device without the right setup code */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Already set up, or joining a restaurant */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Invalid fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    setup_code: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SetupCodeView"];
                };
            };
            /** @description Asked from another device */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Already set up */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    join_progress: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JoinProgress"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    start_join: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectInput"];
            };
        };
        responses: {
            /** @description Asked; show the verification code and wait */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JoinProgress"];
                };
            };
            /** @description Not from this machine */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Already set up, or the cloud refused */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Bad address or code (fields) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The cloud could not be reached */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    recover_location: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectInput"];
            };
        };
        responses: {
            /** @description Recovered; what came from where */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveryReport"];
                };
            };
            /** @description Not from this machine */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Already set up, no backup, or the cloud refused */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Bad address or code (fields) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The cloud could not be reached */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    join_requests: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JoinRequestView"][];
                };
            };
            /** @description Not connected to the cloud */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    approve_join: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The request's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Approved */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    refuse_join: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The request's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    parked_changes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParkedChange"][];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    discard_parked: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `<entity>:<entity_id>` as listed */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Discarded */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    retry_parked: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `<entity>:<entity_id>` as listed */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetryOutcome"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    rejected_changes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RejectedChange"][];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    dismiss_rejected: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The refused change's `mutation_id` */
                mutation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Dismissed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    sync_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncStatus"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_tables: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableWithStatus"][];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_table: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewTable"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableWithStatus"];
                };
            };
            /** @description Name in use (details.existing_id) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_table: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Table id */
                id: components["schemas"]["TableId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableWithStatus"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_table: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Table id */
                id: components["schemas"]["TableId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description In use */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_table: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Table id */
                id: components["schemas"]["TableId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TableChanges"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableWithStatus"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Name in use (details.existing_id) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    clean_table: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Table id */
                id: components["schemas"]["TableId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableWithStatus"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    open_table: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe */
                "Idempotency-Key"?: string | null;
            };
            path: {
                /** @description Table id */
                id: components["schemas"]["TableId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OpenTable"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A tab is open there (details.order_id) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"][];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_user: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUserRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            /** @description Email in use */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    deactivate_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The last admin */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUserRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Email in use, or the last admin */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    reset_password: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResetPasswordRequest"];
            };
        };
        responses: {
            /** @description Reset */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    set_pin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetPinRequest"];
            };
        };
        responses: {
            /** @description Set */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    unlock_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: components["schemas"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unlocked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_waiters: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Waiter"][];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The appliance can serve */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description The database is down */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    media: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `{hash}.jpg` or `{hash}-thumb.jpg` */
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The JPEG */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": number[];
                };
            };
            /** @description The client's copy is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
