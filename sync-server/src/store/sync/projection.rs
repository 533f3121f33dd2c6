//! The typed tables as projections of `sync_rows`: one static statement per entity that
//! rebuilds the typed rows of a batch from their merged rows, read back from `sync_rows`
//! in the same transaction (so the rows are not sent to Postgres a second time).
//!
//! Every statement takes `$1`, the storage ids of the batch's changed rows of its entity,
//! and reads each one with a primary-key probe (a LATERAL with LIMIT, which the planner does
//! not flatten into a join that could scan the tenant's rows). The probe yields `s.id` (the
//! storage id), `s.location_id`, `s.r` (the merged row), `s.hlc` (its newest HLC),
//! `s.changed_at` (that HLC's wall time) and `s.deleted_at` (the tombstone's wall time).
//! Field names are the appliance records' (`ItemRecord`, `ReservationRecord`, the order
//! row/line/transition structs, …), which are the JSON field names on the wire. The merged
//! row holds every field ever written, so a partial update projects to the whole typed row.
//!
//! Casts can fail (a text where a number belongs, a row still missing a NOT NULL field
//! because its creation has not arrived yet): the caller runs the statements under a
//! savepoint and, when one fails, retries row by row and skips the rows that cannot be
//! built, noting why in `sync_rows.projection_error`. The merged row is never lost; its
//! projection is rewritten the next time it changes.

use dysa_domain::sync::Entity;

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

/// The projection statement of `entity`.
pub fn statement(entity: Entity) -> &'static str {
    match entity {
        Entity::Category => CATEGORY,
        Entity::Item => ITEM,
        Entity::ModifierGroup => MODIFIER_GROUP,
        Entity::Customer => CUSTOMER,
        Entity::Table => TABLE,
        Entity::User => USER,
        Entity::Setting => SETTING,
        Entity::Order => ORDER,
        Entity::OrderLine => ORDER_LINE,
        Entity::OrderTransition => ORDER_TRANSITION,
        Entity::Payment => PAYMENT,
        Entity::Reservation => RESERVATION,
    }
}

const CATEGORY: &str = concat!(
    "INSERT INTO menu_categories (tenant_id, location_id, id, name, name_en, position, active, hlc,
                             created_at, updated_at, deleted_at)
SELECT app_tenant(), s.location_id, s.id::uuid, s.r ->> 'name', s.r ->> 'name_en',
       coalesce((s.r ->> 'position')::integer, 0), coalesce((s.r ->> 'active')::boolean, true),
       s.hlc, coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.changed_at, s.deleted_at
",
    batch_rows!("category"),
    "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, name = EXCLUDED.name, name_en = EXCLUDED.name_en,
    position = EXCLUDED.position, active = EXCLUDED.active, hlc = EXCLUDED.hlc,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
    deleted_at = EXCLUDED.deleted_at"
);

const ITEM: &str = concat!(
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
    batch_rows!("item"),
    "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, category_id = EXCLUDED.category_id, name = EXCLUDED.name,
    name_en = EXCLUDED.name_en, description = EXCLUDED.description,
    description_en = EXCLUDED.description_en, price = EXCLUDED.price, station = EXCLUDED.station,
    tags = EXCLUDED.tags, allergens = EXCLUDED.allergens,
    modifier_group_ids = EXCLUDED.modifier_group_ids, available = EXCLUDED.available,
    position = EXCLUDED.position, hlc = EXCLUDED.hlc, created_at = EXCLUDED.created_at,
    updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at"
);

const MODIFIER_GROUP: &str = concat!(
    "INSERT INTO menu_modifier_groups (tenant_id, location_id, id, name, name_en, min_choices,
                                  max_choices, options, hlc, created_at, updated_at, deleted_at)
SELECT app_tenant(), s.location_id, s.id::uuid, s.r ->> 'name', s.r ->> 'name_en',
       coalesce((s.r ->> 'min_choices')::integer, 0), coalesce((s.r ->> 'max_choices')::integer, 1),
       coalesce(nullif(s.r -> 'options', 'null'::jsonb), '[]'),
       s.hlc, coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.changed_at, s.deleted_at
",
    batch_rows!("modifier_group"),
    "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, name = EXCLUDED.name, name_en = EXCLUDED.name_en,
    min_choices = EXCLUDED.min_choices, max_choices = EXCLUDED.max_choices,
    options = EXCLUDED.options, hlc = EXCLUDED.hlc, created_at = EXCLUDED.created_at,
    updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at"
);

const CUSTOMER: &str = concat!(
    "INSERT INTO customers (tenant_id, id, name, phone, email, rut, notes, marketing_consent, hlc,
                       created_at, updated_at, deleted_at)
SELECT app_tenant(), s.id::uuid, s.r ->> 'name', s.r ->> 'phone', s.r ->> 'email', s.r ->> 'rut',
       s.r ->> 'notes', coalesce((s.r ->> 'marketing_consent')::boolean, false),
       s.hlc, coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.changed_at, s.deleted_at
",
    batch_rows!("customer"),
    "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    name = EXCLUDED.name, phone = EXCLUDED.phone, email = EXCLUDED.email, rut = EXCLUDED.rut,
    notes = EXCLUDED.notes, marketing_consent = EXCLUDED.marketing_consent, hlc = EXCLUDED.hlc,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
    deleted_at = EXCLUDED.deleted_at"
);

const TABLE: &str = concat!(
    "INSERT INTO dining_tables (tenant_id, location_id, id, name, seats, area, position, active, hlc,
                           created_at, updated_at, deleted_at)
SELECT app_tenant(), s.location_id, s.id::uuid, s.r ->> 'name', (s.r ->> 'seats')::integer,
       s.r ->> 'area', coalesce((s.r ->> 'position')::integer, 0),
       coalesce((s.r ->> 'active')::boolean, true),
       s.hlc, coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.changed_at, s.deleted_at
",
    batch_rows!("table"),
    "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, name = EXCLUDED.name, seats = EXCLUDED.seats,
    area = EXCLUDED.area, position = EXCLUDED.position, active = EXCLUDED.active,
    hlc = EXCLUDED.hlc, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
    deleted_at = EXCLUDED.deleted_at"
);

// Staff accounts: names and roles only. The password and PIN hashes the appliances sync
// (so a second counter PC can sign the same people in) stay in sync_rows for devices.
const USER: &str = concat!(
    "INSERT INTO staff_users (tenant_id, location_id, id, name, email, role, active, hlc,
                         created_at, updated_at, deleted_at)
SELECT app_tenant(), s.location_id, s.id::uuid, s.r ->> 'name', s.r ->> 'email', s.r ->> 'role',
       coalesce((s.r ->> 'active')::boolean, true),
       s.hlc, coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.changed_at, s.deleted_at
",
    batch_rows!("user"),
    "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, name = EXCLUDED.name, email = EXCLUDED.email,
    role = EXCLUDED.role, active = EXCLUDED.active, hlc = EXCLUDED.hlc,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
    deleted_at = EXCLUDED.deleted_at"
);

// A setting is stored as `<location_id>/<key>` (36 + 1 characters before the key).
const SETTING: &str = concat!(
    "INSERT INTO location_settings (tenant_id, location_id, key, value, hlc, updated_at, deleted_at)
SELECT app_tenant(), s.location_id, substring(s.id FROM 38), coalesce(s.r -> 'value', 'null'::jsonb), s.hlc,
       s.changed_at, s.deleted_at
",
    batch_rows!("setting"),
    "
ON CONFLICT (tenant_id, location_id, key) DO UPDATE SET
    value = EXCLUDED.value, hlc = EXCLUDED.hlc, updated_at = EXCLUDED.updated_at,
    deleted_at = EXCLUDED.deleted_at"
);

// `OrderRow`: the header fields plus the flattened `OrderState`.
const ORDER: &str = concat!(
    "INSERT INTO orders (tenant_id, location_id, id, number, business_date, channel, status,
                    customer_id, table_id, note, subtotal, discount, total, net, tax, tax_rate_bp,
                    tip, amount_due, cancel_reason, created_by, hlc, created_at, updated_at,
                    deleted_at)
SELECT app_tenant(), s.location_id, s.id::uuid, (s.r ->> 'number')::integer,
       (s.r ->> 'business_date')::date, s.r ->> 'channel', s.r ->> 'status',
       (s.r ->> 'customer_id')::uuid, (s.r ->> 'table_id')::uuid, s.r ->> 'note',
       (s.r ->> 'subtotal')::bigint, coalesce((s.r ->> 'discount')::bigint, 0),
       (s.r ->> 'total')::bigint, (s.r ->> 'net')::bigint, (s.r ->> 'tax')::bigint,
       (s.r ->> 'tax_rate_bp')::integer, coalesce((s.r ->> 'tip')::bigint, 0),
       (s.r ->> 'amount_due')::bigint, s.r ->> 'cancel_reason', (s.r ->> 'created_by')::uuid,
       s.hlc, (s.r ->> 'created_at')::timestamptz, s.changed_at, s.deleted_at
",
    batch_rows!("order"),
    "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, number = EXCLUDED.number,
    business_date = EXCLUDED.business_date, channel = EXCLUDED.channel, status = EXCLUDED.status,
    customer_id = EXCLUDED.customer_id, table_id = EXCLUDED.table_id, note = EXCLUDED.note,
    subtotal = EXCLUDED.subtotal, discount = EXCLUDED.discount, total = EXCLUDED.total,
    net = EXCLUDED.net, tax = EXCLUDED.tax, tax_rate_bp = EXCLUDED.tax_rate_bp,
    tip = EXCLUDED.tip, amount_due = EXCLUDED.amount_due, cancel_reason = EXCLUDED.cancel_reason,
    created_by = EXCLUDED.created_by, hlc = EXCLUDED.hlc, created_at = EXCLUDED.created_at,
    updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at"
);

// `LineRow`: the line itself is nested under `line`; order, position and the void time
// sit beside it.
const ORDER_LINE: &str = concat!(
    "INSERT INTO order_lines (tenant_id, id, order_id, position, item_id, name, quantity, unit_price,
                         line_total, modifiers, note, station, voided_at, void_reason, hlc,
                         created_at, deleted_at)
SELECT app_tenant(), s.id::uuid, (s.r ->> 'order_id')::uuid, (s.r ->> 'position')::integer,
       (s.r -> 'line' ->> 'item_id')::uuid, s.r -> 'line' ->> 'name',
       (s.r -> 'line' ->> 'quantity')::integer, (s.r -> 'line' ->> 'unit_price')::bigint,
       (s.r -> 'line' ->> 'line_total')::bigint,
       coalesce(nullif(s.r -> 'line' -> 'modifiers', 'null'::jsonb), '[]'),
       s.r -> 'line' ->> 'note', s.r -> 'line' ->> 'station', (s.r ->> 'voided_at')::timestamptz,
       s.r -> 'line' ->> 'void_reason', s.hlc,
       coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.deleted_at
",
    batch_rows!("order_line"),
    "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    order_id = EXCLUDED.order_id, position = EXCLUDED.position, item_id = EXCLUDED.item_id,
    name = EXCLUDED.name, quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price,
    line_total = EXCLUDED.line_total, modifiers = EXCLUDED.modifiers, note = EXCLUDED.note,
    station = EXCLUDED.station, voided_at = EXCLUDED.voided_at,
    void_reason = EXCLUDED.void_reason, hlc = EXCLUDED.hlc, created_at = EXCLUDED.created_at,
    deleted_at = EXCLUDED.deleted_at"
);

// `TransitionRow`: the change is nested under `transition`. Append-only: written once.
const ORDER_TRANSITION: &str = concat!(
    "INSERT INTO order_transitions (tenant_id, id, order_id, from_status, to_status, reason, at, hlc)
SELECT app_tenant(), s.id::uuid, (s.r ->> 'order_id')::uuid, s.r -> 'transition' ->> 'from',
       s.r -> 'transition' ->> 'to', s.r -> 'transition' ->> 'reason',
       (s.r -> 'transition' ->> 'at')::timestamptz, s.hlc
",
    batch_rows!("order_transition"),
    "
ON CONFLICT (tenant_id, id) DO NOTHING"
);

// `Payment`: append-only. Refunds carry `refund_of` and a negative amount.
const PAYMENT: &str = concat!(
    "INSERT INTO payments (tenant_id, location_id, id, order_id, kind, method, amount, tip, refund_of,
                      reference, hlc, created_at)
SELECT app_tenant(), s.location_id, s.id::uuid, (s.r ->> 'order_id')::uuid,
       CASE WHEN s.r ->> 'refund_of' IS NOT NULL OR (s.r ->> 'amount')::bigint < 0
            THEN 'refund' ELSE 'payment' END,
       s.r ->> 'method', (s.r ->> 'amount')::bigint, coalesce((s.r ->> 'tip')::bigint, 0),
       (s.r ->> 'refund_of')::uuid, s.r ->> 'reference', s.hlc,
       coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at)
",
    batch_rows!("payment"),
    "
ON CONFLICT (tenant_id, id) DO NOTHING"
);

// `ReservationRecord`: `name` is the name on the booking, `channel` where it was made.
const RESERVATION: &str = concat!(
    "INSERT INTO reservations (tenant_id, location_id, id, customer_id, customer_name, phone,
                          party_size, starts_at, ends_at, table_id, status, source, notes,
                          cancel_reason, hlc, created_at, updated_at, deleted_at)
SELECT app_tenant(), s.location_id, s.id::uuid, (s.r ->> 'customer_id')::uuid, s.r ->> 'name',
       s.r ->> 'phone', (s.r ->> 'party_size')::integer, (s.r ->> 'starts_at')::timestamptz,
       (s.r ->> 'ends_at')::timestamptz, (s.r ->> 'table_id')::uuid, s.r ->> 'status',
       coalesce(s.r ->> 'channel', 'counter'), s.r ->> 'notes', s.r ->> 'cancel_reason', s.hlc,
       coalesce((s.r ->> 'created_at')::timestamptz, s.changed_at), s.changed_at, s.deleted_at
",
    batch_rows!("reservation"),
    "
ON CONFLICT (tenant_id, id) DO UPDATE SET
    location_id = EXCLUDED.location_id, customer_id = EXCLUDED.customer_id,
    customer_name = EXCLUDED.customer_name, phone = EXCLUDED.phone,
    party_size = EXCLUDED.party_size, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
    table_id = EXCLUDED.table_id, status = EXCLUDED.status, source = EXCLUDED.source,
    notes = EXCLUDED.notes, cancel_reason = EXCLUDED.cancel_reason, hlc = EXCLUDED.hlc,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
    deleted_at = EXCLUDED.deleted_at"
);
