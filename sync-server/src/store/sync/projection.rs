//! The typed tables as projections of `sync_rows`: one static statement per entity that
//! rebuilds the typed rows of a batch from their merged rows.
//!
//! Each entity's statement is written once (`<entity>_sql!`) over a source of rows `s`
//! with `s.id` (the storage id), `s.location_id`, `s.r` (the merged row), `s.hlc` (its
//! newest HLC), `s.changed_at` (that HLC's wall time) and `s.deleted_at` (the tombstone's
//! wall time), and used two ways: all of them as CTEs of [`write_and_project`], reading
//! the rows the same statement writes to `sync_rows` (a batch's usual path: one round
//! trip); and alone ([`statement`]) over `$1`, storage ids read back from `sync_rows`
//! with one primary-key probe each (a LATERAL with LIMIT, which the planner does not
//! flatten into a join that could scan the tenant's rows), when a batch must be projected
//! piece by piece.
//! Field names are the appliance records' (`ItemRecord`, `ReservationRecord`, the order
//! row/line/transition structs, …), which are the JSON field names on the wire. The merged
//! row holds every field ever written, so a partial update projects to the whole typed row.
//!
//! Casts can fail (a text where a number belongs, a row still missing a NOT NULL field
//! because its creation has not arrived yet): the caller runs the combined statement under
//! a savepoint and, when it fails, writes the rows alone and projects entity by entity,
//! then row by row, skipping the rows that cannot be built and noting why in
//! `sync_rows.projection_error`. The merged row is never lost; its
//! projection is rewritten the next time it changes.

use dysa_domain::sync::Entity;
use dysa_domain::sync::rows::fields_of;
use std::sync::LazyLock;

/// The merged rows of `$1` (storage ids) of one entity, one primary-key probe each.
macro_rules! batch_rows {
    ($entity:literal) => {
        concat!(
            "FROM UNNEST($1::text[]) AS k(id)
CROSS JOIN LATERAL (
    SELECT entity_id AS id, location_id, row AS r, hlc, sync_hlc_time(hlc) AS changed_at,
           sync_hlc_time(deleted_hlc) AS deleted_at
    FROM sync_rows
    WHERE tenant_id = app_tenant() AND entity = '",
            $entity,
            "' AND entity_id = k.id
    LIMIT 1
) s"
        )
    };
}

macro_rules! category_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO menu_categories (tenant_id, location_id, id, name, name_en, position, active, hlc,
                             created_at, updated_at, deleted_at)
SELECT app_tenant(), s.location_id, s.id::uuid, s.r ->> 'name', s.r ->> 'name_en',
       coalesce((s.r ->> 'position')::integer, 0), coalesce((s.r ->> 'active')::boolean, true),
       s.hlc, coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.changed_at, s.deleted_at
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, name = EXCLUDED.name, name_en = EXCLUDED.name_en,
    position = EXCLUDED.position, active = EXCLUDED.active, hlc = EXCLUDED.hlc,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
    deleted_at = EXCLUDED.deleted_at"
        )
    };
}

macro_rules! item_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO menu_items (tenant_id, location_id, id, category_id, name, name_en, description,
                        description_en, price, station, tags, allergens, modifier_group_ids,
                        available, position, hlc, created_at, updated_at, deleted_at)
SELECT app_tenant(), s.location_id, s.id::uuid, (s.r ->> 'category_id')::uuid, s.r ->> 'name',
       s.r ->> 'name_en', s.r ->> 'description', s.r ->> 'description_en',
       (s.r ->> 'price')::bigint, coalesce(s.r ->> 'station', 'kitchen'),
       coalesce(nullif(s.r -> 'tags', 'null'::jsonb), '[]'),
       coalesce(nullif(s.r -> 'allergens', 'null'::jsonb), '[]'),
       coalesce(nullif(s.r -> 'modifier_group_ids', 'null'::jsonb), '[]'),
       coalesce((s.r ->> 'available')::boolean, true), coalesce((s.r ->> 'position')::integer, 0),
       s.hlc, coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.changed_at, s.deleted_at
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, category_id = EXCLUDED.category_id, name = EXCLUDED.name,
    name_en = EXCLUDED.name_en, description = EXCLUDED.description,
    description_en = EXCLUDED.description_en, price = EXCLUDED.price, station = EXCLUDED.station,
    tags = EXCLUDED.tags, allergens = EXCLUDED.allergens,
    modifier_group_ids = EXCLUDED.modifier_group_ids, available = EXCLUDED.available,
    position = EXCLUDED.position, hlc = EXCLUDED.hlc, created_at = EXCLUDED.created_at,
    updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at"
        )
    };
}

macro_rules! modifier_group_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO menu_modifier_groups (tenant_id, location_id, id, name, name_en, min_choices,
                                  max_choices, options, hlc, created_at, updated_at, deleted_at)
SELECT app_tenant(), s.location_id, s.id::uuid, s.r ->> 'name', s.r ->> 'name_en',
       coalesce((s.r ->> 'min_choices')::integer, 0), coalesce((s.r ->> 'max_choices')::integer, 1),
       coalesce(nullif(s.r -> 'options', 'null'::jsonb), '[]'),
       s.hlc, coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.changed_at, s.deleted_at
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, name = EXCLUDED.name, name_en = EXCLUDED.name_en,
    min_choices = EXCLUDED.min_choices, max_choices = EXCLUDED.max_choices,
    options = EXCLUDED.options, hlc = EXCLUDED.hlc, created_at = EXCLUDED.created_at,
    updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at"
        )
    };
}

macro_rules! customer_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO customers (tenant_id, id, name, phone, email, rut, notes, marketing_consent, hlc,
                       created_at, updated_at, deleted_at)
SELECT app_tenant(), s.id::uuid, s.r ->> 'name', s.r ->> 'phone', s.r ->> 'email', s.r ->> 'rut',
       s.r ->> 'notes', coalesce((s.r ->> 'marketing_consent')::boolean, false),
       s.hlc, coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.changed_at, s.deleted_at
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    name = EXCLUDED.name, phone = EXCLUDED.phone, email = EXCLUDED.email, rut = EXCLUDED.rut,
    notes = EXCLUDED.notes, marketing_consent = EXCLUDED.marketing_consent, hlc = EXCLUDED.hlc,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
    deleted_at = EXCLUDED.deleted_at"
        )
    };
}

macro_rules! table_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO dining_tables (tenant_id, location_id, id, name, seats, area, position, active, hlc,
                           created_at, updated_at, deleted_at)
SELECT app_tenant(), s.location_id, s.id::uuid, s.r ->> 'name', (s.r ->> 'seats')::integer,
       s.r ->> 'area', coalesce((s.r ->> 'position')::integer, 0),
       coalesce((s.r ->> 'active')::boolean, true),
       s.hlc, coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.changed_at, s.deleted_at
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, name = EXCLUDED.name, seats = EXCLUDED.seats,
    area = EXCLUDED.area, position = EXCLUDED.position, active = EXCLUDED.active,
    hlc = EXCLUDED.hlc, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
    deleted_at = EXCLUDED.deleted_at"
        )
    };
}

// Staff accounts: names and roles only. The password and PIN hashes the appliances sync
// (so a second counter PC can sign the same people in) stay in sync_rows for devices.
macro_rules! user_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO staff_users (tenant_id, location_id, id, name, email, role, active, hlc,
                         created_at, updated_at, deleted_at)
SELECT app_tenant(), s.location_id, s.id::uuid, s.r ->> 'name', s.r ->> 'email', s.r ->> 'role',
       coalesce((s.r ->> 'active')::boolean, true),
       s.hlc, coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.changed_at, s.deleted_at
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, name = EXCLUDED.name, email = EXCLUDED.email,
    role = EXCLUDED.role, active = EXCLUDED.active, hlc = EXCLUDED.hlc,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
    deleted_at = EXCLUDED.deleted_at"
        )
    };
}

// A setting is stored as `<location_id>/<key>` (36 + 1 characters before the key).
macro_rules! setting_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO location_settings (tenant_id, location_id, key, value, hlc, updated_at, deleted_at)
SELECT app_tenant(), s.location_id, substring(s.id FROM 38), coalesce(s.r -> 'value', 'null'::jsonb), s.hlc,
       s.changed_at, s.deleted_at
",
            $rows,
            "
ON CONFLICT (tenant_id, location_id, key) DO UPDATE SET
    value = EXCLUDED.value, hlc = EXCLUDED.hlc, updated_at = EXCLUDED.updated_at,
    deleted_at = EXCLUDED.deleted_at"
        )
    };
}

// `OrderRow`: the header fields plus the flattened `OrderState`.
macro_rules! order_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO orders (tenant_id, location_id, id, number, business_date, channel, status,
                    customer_id, table_id, note, subtotal, discount, total, net, tax, tax_rate_bp,
                    tip, amount_due, cancel_reason, cancel_request, created_by, hlc, created_at,
                    updated_at, deleted_at)
SELECT app_tenant(), s.location_id, s.id::uuid, (s.r ->> 'number')::integer,
       (s.r ->> 'business_date')::date, s.r ->> 'channel', s.r ->> 'status',
       (s.r ->> 'customer_id')::uuid, (s.r ->> 'table_id')::uuid, s.r ->> 'note',
       (s.r ->> 'subtotal')::bigint, coalesce((s.r ->> 'discount')::bigint, 0),
       (s.r ->> 'total')::bigint, (s.r ->> 'net')::bigint, (s.r ->> 'tax')::bigint,
       (s.r ->> 'tax_rate_bp')::integer, coalesce((s.r ->> 'tip')::bigint, 0),
       (s.r ->> 'amount_due')::bigint, s.r ->> 'cancel_reason',
       nullif(s.r -> 'cancel_request', 'null'::jsonb), (s.r ->> 'created_by')::uuid,
       s.hlc, (s.r ->> 'created_at')::timestamptz, s.changed_at, s.deleted_at
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, number = EXCLUDED.number,
    business_date = EXCLUDED.business_date, channel = EXCLUDED.channel, status = EXCLUDED.status,
    customer_id = EXCLUDED.customer_id, table_id = EXCLUDED.table_id, note = EXCLUDED.note,
    subtotal = EXCLUDED.subtotal, discount = EXCLUDED.discount, total = EXCLUDED.total,
    net = EXCLUDED.net, tax = EXCLUDED.tax, tax_rate_bp = EXCLUDED.tax_rate_bp,
    tip = EXCLUDED.tip, amount_due = EXCLUDED.amount_due, cancel_reason = EXCLUDED.cancel_reason,
    cancel_request = EXCLUDED.cancel_request, created_by = EXCLUDED.created_by, hlc = EXCLUDED.hlc, created_at = EXCLUDED.created_at,
    updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at"
        )
    };
}

// `LineRow`: the line itself is nested under `line`; order, position and the void time
// sit beside it.
macro_rules! order_line_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO order_lines (tenant_id, id, order_id, position, item_id, name, quantity, unit_price,
                         line_total, modifiers, note, station, course, seat, voided_at, void_reason, hlc,
                         created_at, deleted_at, discount, bill, moved_from)
SELECT app_tenant(), s.id::uuid, (s.r ->> 'order_id')::uuid, (s.r ->> 'position')::integer,
       (s.r -> 'line' ->> 'item_id')::uuid, s.r -> 'line' ->> 'name',
       (s.r -> 'line' ->> 'quantity')::integer, (s.r -> 'line' ->> 'unit_price')::bigint,
       (s.r -> 'line' ->> 'line_total')::bigint,
       coalesce(nullif(s.r -> 'line' -> 'modifiers', 'null'::jsonb), '[]'),
       s.r -> 'line' ->> 'note', s.r -> 'line' ->> 'station', s.r -> 'line' ->> 'course',
       (s.r -> 'line' ->> 'seat')::integer, (s.r ->> 'voided_at')::timestamptz,
       s.r -> 'line' ->> 'void_reason', s.hlc,
       coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.deleted_at,
       nullif(s.r -> 'line' -> 'discount', 'null'::jsonb), (s.r -> 'line' ->> 'bill')::integer,
       (s.r -> 'line' ->> 'moved_from')::uuid
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    order_id = EXCLUDED.order_id, position = EXCLUDED.position, item_id = EXCLUDED.item_id,
    name = EXCLUDED.name, quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price,
    line_total = EXCLUDED.line_total, modifiers = EXCLUDED.modifiers, note = EXCLUDED.note,
    station = EXCLUDED.station, course = EXCLUDED.course, seat = EXCLUDED.seat,
    voided_at = EXCLUDED.voided_at, void_reason = EXCLUDED.void_reason, hlc = EXCLUDED.hlc, created_at = EXCLUDED.created_at,
    deleted_at = EXCLUDED.deleted_at, discount = EXCLUDED.discount, bill = EXCLUDED.bill,
    moved_from = EXCLUDED.moved_from"
        )
    };
}

// `TransitionRow`: the change is nested under `transition`. Append-only: written once.
macro_rules! order_transition_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO order_transitions (tenant_id, id, order_id, from_status, to_status, reason, at, hlc)
SELECT app_tenant(), s.id::uuid, (s.r ->> 'order_id')::uuid, s.r -> 'transition' ->> 'from',
       s.r -> 'transition' ->> 'to', s.r -> 'transition' ->> 'reason',
       (s.r -> 'transition' ->> 'at')::timestamptz, s.hlc
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO NOTHING"
        )
    };
}

// `Payment`: append-only. Refunds carry `refund_of` and a negative amount.
macro_rules! payment_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO payments (tenant_id, location_id, id, order_id, kind, method, amount, tip, refund_of,
                      reference, hlc, created_at)
SELECT app_tenant(), s.location_id, s.id::uuid, (s.r ->> 'order_id')::uuid,
       CASE WHEN s.r ->> 'refund_of' IS NOT NULL OR (s.r ->> 'amount')::bigint < 0
            THEN 'refund' ELSE 'payment' END,
       s.r ->> 'method', (s.r ->> 'amount')::bigint, coalesce((s.r ->> 'tip')::bigint, 0),
       (s.r ->> 'refund_of')::uuid, s.r ->> 'reference', s.hlc,
       coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at)
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO NOTHING"
        )
    };
}

// `ReservationRecord`: `name` is the name on the booking, `channel` where it was made.
macro_rules! reservation_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO reservations (tenant_id, location_id, id, customer_id, customer_name, phone,
                          party_size, starts_at, ends_at, table_id, status, source, notes,
                          cancel_reason, hlc, created_at, updated_at, deleted_at)
SELECT app_tenant(), s.location_id, s.id::uuid, (s.r ->> 'customer_id')::uuid, s.r ->> 'name',
       s.r ->> 'phone', (s.r ->> 'party_size')::integer, (s.r ->> 'starts_at')::timestamptz,
       (s.r ->> 'ends_at')::timestamptz, (s.r ->> 'table_id')::uuid, s.r ->> 'status',
       coalesce(s.r ->> 'channel', 'counter'), s.r ->> 'notes', s.r ->> 'cancel_reason', s.hlc,
       coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.changed_at, s.deleted_at
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, customer_id = EXCLUDED.customer_id,
    customer_name = EXCLUDED.customer_name, phone = EXCLUDED.phone,
    party_size = EXCLUDED.party_size, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
    table_id = EXCLUDED.table_id, status = EXCLUDED.status, source = EXCLUDED.source,
    notes = EXCLUDED.notes, cancel_reason = EXCLUDED.cancel_reason, hlc = EXCLUDED.hlc,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
    deleted_at = EXCLUDED.deleted_at"
        )
    };
}

// `DrawerSession`: written only by the counter that owns the drawer. The statement names
// the keys; every other field is generic (projected by name).
macro_rules! drawer_session_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO drawer_sessions (tenant_id, location_id, id, hlc, updated_at)
SELECT app_tenant(), s.location_id, s.id::uuid, s.hlc, s.changed_at
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, hlc = EXCLUDED.hlc, updated_at = EXCLUDED.updated_at"
        )
    };
}

// `DrawerMovement`: append-only, written once; its fields are generic.
macro_rules! drawer_movement_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO drawer_movements (tenant_id, location_id, id, hlc)
SELECT app_tenant(), s.location_id, s.id::uuid, s.hlc
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO NOTHING"
        )
    };
}

// `DrawerCount`: append-only (a second count is a new row); its fields are generic.
macro_rules! drawer_count_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO drawer_counts (tenant_id, location_id, id, hlc)
SELECT app_tenant(), s.location_id, s.id::uuid, s.hlc
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO NOTHING"
        )
    };
}

// `AuditEvent`: insert-only, like the merge (`merge::insert_only`): the first copy stands.
macro_rules! audit_event_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO audit_events (tenant_id, location_id, id, at, actor_id, actor_name, device_id,
                          client, action, subject_type, subject_id, before, after, hlc)
SELECT app_tenant(), s.location_id, s.id::uuid, (s.r ->> 'at')::timestamptz,
       (s.r ->> 'actor_id')::uuid, s.r ->> 'actor_name', s.r ->> 'device_id', s.r ->> 'client',
       s.r ->> 'action', s.r ->> 'subject_type', s.r ->> 'subject_id',
       nullif(s.r -> 'before', 'null'::jsonb), nullif(s.r -> 'after', 'null'::jsonb), s.hlc
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO NOTHING"
        )
    };
}

// `DayClose`: insert-only like audit events (the first close of an id stands); its
// fields are generic (the report as jsonb).
macro_rules! day_close_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO day_closes (tenant_id, location_id, id, hlc)
SELECT app_tenant(), s.location_id, s.id::uuid, s.hlc
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO NOTHING"
        )
    };
}

// `Conversation`: last writer wins per field; the statement names the keys and every
// field is generic (the draft is customer data, sealed in the row: `pii::sealed_fields`).
macro_rules! conversation_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO conversations (tenant_id, location_id, id, hlc, updated_at)
SELECT app_tenant(), s.location_id, s.id::uuid, s.hlc, s.changed_at
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, hlc = EXCLUDED.hlc, updated_at = EXCLUDED.updated_at"
        )
    };
}

// `ConversationMessage`: append-only, written once; its fields are generic (the text and
// the intent sealed).
macro_rules! conversation_message_sql {
    ($rows:expr) => {
        concat!(
            "INSERT INTO conversation_messages (tenant_id, location_id, id, hlc)
SELECT app_tenant(), s.location_id, s.id::uuid, s.hlc
",
            $rows,
            "
ON CONFLICT (tenant_id, id) DO NOTHING"
        )
    };
}

/// The rows of one entity just written by the `written` CTE of [`write_and_project`].
macro_rules! written_rows {
    ($entity:literal) => {
        concat!(
            "FROM (
    SELECT entity_id AS id, location_id, row AS r, hlc, sync_hlc_time(hlc) AS changed_at,
           sync_hlc_time(deleted_hlc) AS deleted_at
    FROM written WHERE entity = '",
            $entity,
            "'
) s"
        )
    };
}

/// Writes a batch's changed rows into `sync_rows`: `$1` entities, `$2` storage ids, `$3`
/// locations, `$4` rows, `$5` compact field HLCs, `$6` tombstone HLCs, `$7` newest HLCs,
/// `$8` versions.
macro_rules! write_rows_sql {
    () => {
        "INSERT INTO sync_rows (tenant_id, entity, entity_id, location_id, row, field_hlc,
                       deleted_hlc, hlc, version)
SELECT app_tenant(), * FROM UNNEST($1::text[], $2::text[], $3::uuid[], $4::jsonb[], $5::jsonb[],
                                   $6::text[], $7::text[], $8::bigint[])
ON CONFLICT (tenant_id, entity, entity_id) DO UPDATE SET
    location_id = EXCLUDED.location_id, row = EXCLUDED.row, field_hlc = EXCLUDED.field_hlc,
    deleted_hlc = EXCLUDED.deleted_hlc, hlc = EXCLUDED.hlc, version = EXCLUDED.version,
    projection_error = NULL"
    };
}

/// [`write_rows_sql`] alone (when the projections must be written piece by piece).
pub const WRITE_ROWS: &str = write_rows_sql!();

/// Where a template takes its source of rows `s`.
const ROWS: &str = "{ROWS}";

/// The hand-written statement of `entity`, over [`ROWS`].
fn template(entity: Entity) -> &'static str {
    match entity {
        Entity::Category => category_sql!("{ROWS}"),
        Entity::Item => item_sql!("{ROWS}"),
        Entity::ModifierGroup => modifier_group_sql!("{ROWS}"),
        Entity::Customer => customer_sql!("{ROWS}"),
        Entity::Table => table_sql!("{ROWS}"),
        Entity::User => user_sql!("{ROWS}"),
        Entity::Setting => setting_sql!("{ROWS}"),
        Entity::Order => order_sql!("{ROWS}"),
        Entity::OrderLine => order_line_sql!("{ROWS}"),
        Entity::OrderTransition => order_transition_sql!("{ROWS}"),
        Entity::Payment => payment_sql!("{ROWS}"),
        Entity::Reservation => reservation_sql!("{ROWS}"),
        Entity::DrawerSession => drawer_session_sql!("{ROWS}"),
        Entity::DrawerMovement => drawer_movement_sql!("{ROWS}"),
        Entity::DrawerCount => drawer_count_sql!("{ROWS}"),
        Entity::AuditEvent => audit_event_sql!("{ROWS}"),
        Entity::DayClose => day_close_sql!("{ROWS}"),
        Entity::Conversation => conversation_sql!("{ROWS}"),
        Entity::ConversationMessage => conversation_message_sql!("{ROWS}"),
    }
}

fn batch_source(entity: Entity) -> &'static str {
    match entity {
        Entity::Category => batch_rows!("category"),
        Entity::Item => batch_rows!("item"),
        Entity::ModifierGroup => batch_rows!("modifier_group"),
        Entity::Customer => batch_rows!("customer"),
        Entity::Table => batch_rows!("table"),
        Entity::User => batch_rows!("user"),
        Entity::Setting => batch_rows!("setting"),
        Entity::Order => batch_rows!("order"),
        Entity::OrderLine => batch_rows!("order_line"),
        Entity::OrderTransition => batch_rows!("order_transition"),
        Entity::Payment => batch_rows!("payment"),
        Entity::Reservation => batch_rows!("reservation"),
        Entity::DrawerSession => batch_rows!("drawer_session"),
        Entity::DrawerMovement => batch_rows!("drawer_movement"),
        Entity::DrawerCount => batch_rows!("drawer_count"),
        Entity::AuditEvent => batch_rows!("audit_event"),
        Entity::DayClose => batch_rows!("day_close"),
        Entity::Conversation => batch_rows!("conversation"),
        Entity::ConversationMessage => batch_rows!("conversation_message"),
    }
}

fn written_source(entity: Entity) -> &'static str {
    match entity {
        Entity::Category => written_rows!("category"),
        Entity::Item => written_rows!("item"),
        Entity::ModifierGroup => written_rows!("modifier_group"),
        Entity::Customer => written_rows!("customer"),
        Entity::Table => written_rows!("table"),
        Entity::User => written_rows!("user"),
        Entity::Setting => written_rows!("setting"),
        Entity::Order => written_rows!("order"),
        Entity::OrderLine => written_rows!("order_line"),
        Entity::OrderTransition => written_rows!("order_transition"),
        Entity::Payment => written_rows!("payment"),
        Entity::Reservation => written_rows!("reservation"),
        Entity::DrawerSession => written_rows!("drawer_session"),
        Entity::DrawerMovement => written_rows!("drawer_movement"),
        Entity::DrawerCount => written_rows!("drawer_count"),
        Entity::AuditEvent => written_rows!("audit_event"),
        Entity::DayClose => written_rows!("day_close"),
        Entity::Conversation => written_rows!("conversation"),
        Entity::ConversationMessage => written_rows!("conversation_message"),
    }
}

/// Fields every projection covers without naming them: the id (the entity id) and the
/// stamps (`hlc`, `updated_at`, `deleted_at` come from the row's HLCs).
pub const COVERED: [&str; 3] = ["id", "updated_at", "deleted_at"];

/// The fields of each entity's type (`dysa_domain::sync::rows`) the cloud does not
/// project, on purpose.
pub fn not_projected(entity: Entity) -> &'static [&'static str] {
    match entity {
        // The sealed secret: only counters of the location can open it.
        Entity::User => &["credentials"],
        // The key is the entity id.
        Entity::Setting => &["key"],
        // Reports go by `created_at` in the location's time zone.
        Entity::Order => &["local_hour"],
        // Staff ids are the counter's business.
        Entity::OrderLine => &["created_by", "voided_by"],
        Entity::Payment => &["received", "change", "created_by"],
        Entity::Reservation => &["duration_minutes", "created_by"],
        _ => &[],
    }
}

/// The top-level fields a hand-written statement reads (`s.r ->> 'x'`, `s.r -> 'x'`).
pub fn named_fields(entity: Entity) -> Vec<&'static str> {
    let sql = template(entity);
    let mut names = Vec::new();
    for marker in ["s.r ->> '", "s.r -> '"] {
        for (at, _) in sql.match_indices(marker) {
            let rest = &sql[at + marker.len()..];
            if let Some(end) = rest.find('\'') {
                names.push(&rest[..end]);
            }
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// The fields of the entity's type that no hand-written statement names and that are not
/// [`not_projected`]: projected by name into the column of the same name, typed by the
/// table (`jsonb_populate_record`). A new synced field lands here, so it needs a column
/// (a migration) and nothing else.
pub fn generic_fields(entity: Entity) -> Vec<&'static str> {
    let named = named_fields(entity);
    fields_of(entity)
        .iter()
        .map(|f| f.name)
        .filter(|f| {
            !named.contains(f) && !COVERED.contains(f) && !not_projected(entity).contains(f)
        })
        .collect()
}

/// The table a statement writes.
pub fn table_of(entity: Entity) -> &'static str {
    let sql = template(entity);
    let rest = sql.strip_prefix("INSERT INTO ").unwrap_or(sql);
    rest.split_whitespace().next().unwrap_or(rest)
}

/// The statement of `entity` over `rows`, with its generic fields added.
fn build(entity: Entity, rows: &str) -> String {
    let sql = template(entity);
    let extras = generic_fields(entity);
    if extras.is_empty() {
        return sql.replacen(ROWS, rows, 1);
    }
    let table = table_of(entity);
    let columns: String = extras.iter().map(|f| format!(", {f}")).collect();
    let values: String = extras
        .iter()
        .map(|f| {
            format!(
                ", (jsonb_populate_record(NULL::{table}, jsonb_build_object('{f}', s.r -> '{f}'))).{f}"
            )
        })
        .collect();
    let mut sql = sql
        .replacen(")\nSELECT ", &format!("{columns})\nSELECT "), 1)
        .replacen(&format!("\n{ROWS}"), &format!("{values}\n{rows}"), 1);
    if sql.contains("DO UPDATE SET") {
        for f in extras {
            sql.push_str(&format!(", {f} = EXCLUDED.{f}"));
        }
    }
    sql
}

static STATEMENTS: LazyLock<Vec<(Entity, String)>> = LazyLock::new(|| {
    Entity::ALL
        .into_iter()
        .map(|e| (e, build(e, batch_source(e))))
        .collect()
});

/// The projection statement of `entity` over `$1` (storage ids).
pub fn statement(entity: Entity) -> &'static str {
    STATEMENTS
        .iter()
        .find(|(e, _)| *e == entity)
        .map_or("SELECT 1", |(_, sql)| sql.as_str())
}

static WRITE_AND_PROJECT: LazyLock<String> = LazyLock::new(|| {
    let mut sql = format!(
        "WITH written AS ({WRITE_ROWS}\nRETURNING entity, entity_id, location_id, row, hlc, deleted_hlc)"
    );
    for entity in Entity::ALL {
        sql.push_str(&format!(
            ",\np_{entity} AS ({})",
            build(entity, written_source(entity))
        ));
    }
    sql.push_str("\nSELECT count(*) FROM written");
    sql
});

/// Writes the rows and every entity's projection in one statement (one round trip, and
/// the typed rows come from the written rows, not from a second read). Data-modifying
/// CTEs all run; an entity with no rows in the batch costs a scan of `written`.
pub fn write_and_project() -> &'static str {
    WRITE_AND_PROJECT.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field a statement names is a field of the entity's type (a typo would
    /// project NULL forever), and every field of the type is named, covered, generic or
    /// explicitly not projected.
    #[test]
    fn projections_match_the_row_types() {
        for entity in Entity::ALL {
            let fields: Vec<&str> = fields_of(entity).iter().map(|f| f.name).collect();
            for named in named_fields(entity) {
                assert!(fields.contains(&named), "{entity}: {named} is not a field");
            }
            for gone in not_projected(entity) {
                assert!(fields.contains(gone), "{entity}: {gone} is not a field");
                assert!(
                    !named_fields(entity).contains(gone),
                    "{entity}: {gone} is projected"
                );
            }
        }
    }

    #[test]
    fn without_generic_fields_the_statement_is_the_hand_written_one() {
        for entity in Entity::ALL {
            if generic_fields(entity).is_empty() {
                assert_eq!(
                    statement(entity),
                    template(entity).replacen(ROWS, batch_source(entity), 1)
                );
            }
        }
        assert!(
            write_and_project().contains("p_order_transition AS (INSERT INTO order_transitions")
        );
    }
}
