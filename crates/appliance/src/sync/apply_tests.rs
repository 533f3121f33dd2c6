//! Each entity, written here by the store as a local change, read from the outbox as
//! the push sends it, merged as the cloud merges it, applied into a fresh database
//! and read back: it must come back equal.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::store::orders::{self, NewOrderRows, OrderState};
use crate::store::orders::{OrderLine, Transition};
use crate::store::{Db, instant_text, menu, outbox, settings, users};
use dysa_domain::ids::{CategoryId, ItemId, ModifierGroupId, ReservationId};
use dysa_domain::ids::{ModifierOptionId, OrderLineId, PaymentId};
use dysa_domain::menu::Station;
use dysa_domain::money::Clp;
use dysa_domain::order::{Channel, OrderStatus};
use dysa_domain::payment::PaymentMethod;
use dysa_domain::rbac::Role;
use dysa_domain::sync::{Mutation, Op, StoredRow, merge};
use serde_json::json;
use std::collections::BTreeMap;

struct Pair {
    _dir: tempfile::TempDir,
    /// Where the changes are made.
    a: Db,
    /// A fresh appliance that only ever receives them from the "cloud".
    b: Db,
}

async fn pair() -> Pair {
    let dir = tempfile::tempdir().unwrap();
    let a = Db::open(&dir.path().join("a.db")).await.unwrap();
    let b = Db::open(&dir.path().join("b.db")).await.unwrap();
    Pair { _dir: dir, a, b }
}

/// A's outbox as the cloud would hold it after the pushes: merged rows with versions.
async fn cloud_rows(db: &Db) -> Vec<ChangeRecord> {
    let rows = outbox::pending(&db.read, 100_000).await.unwrap();
    let mut stored: BTreeMap<(String, String), (StoredRow, i64, Entity)> = BTreeMap::new();
    for (n, row) in rows.into_iter().enumerate() {
        let entity: Entity = row.entity.parse().unwrap();
        let mutation = Mutation {
            mutation_id: row.mutation_id,
            entity,
            entity_id: row.entity_id.clone(),
            op: row.op.parse::<Op>().unwrap(),
            payload: serde_json::from_str(&row.payload).unwrap(),
            hlc: row.hlc,
        };
        let key = (row.entity, row.entity_id);
        let current = stored.get(&key).map(|(s, _, _)| s);
        let merged = merge(current, &mutation).unwrap().stored;
        stored.insert(key, (merged, n as i64 + 1, entity));
    }
    stored
        .into_iter()
        .map(|((_, id), (row, version, entity))| ChangeRecord {
            version,
            entity,
            entity_id: id,
            location_id: None,
            deleted: row.is_deleted(),
            hlc: row.newest_hlc(),
            row: row.row,
        })
        .collect()
}

/// Sends everything A wrote to B, as pulled pages do.
async fn sync(pair: &Pair) -> Applied {
    let changes = cloud_rows(&pair.a).await;
    let mut tx = pair.b.begin().await.unwrap();
    let mut applied = Applied::for_location(pair.b.location_key.current());
    apply_page(&mut tx, &changes, &mut applied).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(applied.parked, 0, "nothing may stay parked");
    assert_eq!(applied.rows, changes.len());
    let outbox_rows: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&pair.b.read)
        .await
        .unwrap();
    assert_eq!(outbox_rows, 0, "applying never writes the outbox");
    applied
}

fn category(db: &Db, name: &str) -> menu::CategoryRecord {
    menu::CategoryRecord {
        id: CategoryId::new(),
        name: name.into(),
        name_en: Some("Mains".into()),
        position: 3,
        active: true,
        created_at: crate::store::now_text(),
        updated_at: db.tick(),
        deleted_at: None,
    }
}

fn item(db: &Db, category: CategoryId, groups: Vec<ModifierGroupId>) -> menu::ItemRecord {
    menu::ItemRecord {
        id: ItemId::new(),
        category_id: category,
        name: "Pastel de choclo".into(),
        name_en: Some("Corn pie".into()),
        description: Some("Con pino".into()),
        description_en: None,
        price: Clp(10_990),
        station: Station::Kitchen,
        tags: vec!["tradicional".into()],
        allergens: vec!["milk".into()],
        modifier_group_ids: groups,
        available: false,
        position: 1,
        created_at: crate::store::now_text(),
        updated_at: db.tick(),
        ..menu::ItemRecord::default()
    }
}

/// A category and an item in A, for rows that refer to an item.
async fn seed_item(db: &Db) -> menu::ItemRecord {
    let mut tx = db.begin().await.unwrap();
    let c = category(db, "Platos");
    menu::save_category(&mut tx, &c).await.unwrap();
    let i = item(db, c.id, vec![]);
    menu::save_item(&mut tx, &i).await.unwrap();
    tx.commit().await.unwrap();
    i
}

#[tokio::test]
async fn categories_round_trip() {
    let p = pair().await;
    let mut tx = p.a.begin().await.unwrap();
    menu::save_category(&mut tx, &category(&p.a, "Platos"))
        .await
        .unwrap();
    let mut gone = category(&p.a, "Antiguos");
    menu::save_category(&mut tx, &gone).await.unwrap();
    gone.deleted_at = Some(p.a.tick());
    gone.updated_at = gone.deleted_at.unwrap();
    menu::save_category(&mut tx, &gone).await.unwrap();
    tx.commit().await.unwrap();
    assert!(sync(&p).await.menu);
    let (a, b) = (
        menu::snapshot(&p.a.read).await.unwrap(),
        menu::snapshot(&p.b.read).await.unwrap(),
    );
    assert_eq!(a.categories.len(), 2);
    assert_eq!(a.categories, b.categories, "tombstones included");
}

#[tokio::test]
async fn modifier_groups_round_trip() {
    let p = pair().await;
    let group = menu::ModifierGroupRecord {
        id: ModifierGroupId::new(),
        name: "Tamaño".into(),
        name_en: Some("Size".into()),
        min_choices: 1,
        max_choices: 1,
        options: vec![
            menu::ModifierOption {
                id: ModifierOptionId::new(),
                name: "Grande".into(),
                name_en: None,
                price_delta: Clp(1_500),
                available: true,
            },
            menu::ModifierOption {
                id: ModifierOptionId::new(),
                name: "Sin palta".into(),
                name_en: Some("No avocado".into()),
                price_delta: Clp(-500),
                available: false,
            },
        ],
        created_at: crate::store::now_text(),
        updated_at: p.a.tick(),
        deleted_at: None,
    };
    let mut tx = p.a.begin().await.unwrap();
    menu::save_group(&mut tx, &group).await.unwrap();
    tx.commit().await.unwrap();
    sync(&p).await;
    let back = menu::find_group(&p.b.read, group.id).await.unwrap();
    assert_eq!(back, Some(group));
}

#[tokio::test]
async fn items_round_trip() {
    let p = pair().await;
    let mut tx = p.a.begin().await.unwrap();
    let c = category(&p.a, "Platos");
    menu::save_category(&mut tx, &c).await.unwrap();
    let group = menu::ModifierGroupRecord {
        id: ModifierGroupId::new(),
        name: "Extra".into(),
        name_en: None,
        min_choices: 0,
        max_choices: 2,
        options: vec![],
        created_at: crate::store::now_text(),
        updated_at: p.a.tick(),
        deleted_at: None,
    };
    menu::save_group(&mut tx, &group).await.unwrap();
    let i = item(&p.a, c.id, vec![group.id]);
    menu::save_item(&mut tx, &i).await.unwrap();
    let mut priced = i.clone();
    priced.price = Clp(12_490);
    priced.updated_at = p.a.tick();
    menu::save_item(&mut tx, &priced).await.unwrap();
    tx.commit().await.unwrap();
    sync(&p).await;
    assert_eq!(
        menu::find_item(&p.b.read, i.id).await.unwrap(),
        Some(priced)
    );
    let (a, b) = (
        menu::snapshot(&p.a.read).await.unwrap(),
        menu::snapshot(&p.b.read).await.unwrap(),
    );
    assert_eq!(a.items, b.items);
    assert_eq!(a.updated_at(), b.updated_at(), "the menu's ETag agrees");
}

#[tokio::test]
async fn customers_round_trip() {
    let p = pair().await;
    let record = crate::store::customers::CustomerRecord {
        id: CustomerId::new(),
        name: "José Peña".into(),
        phone: Some("+56987654321".into()),
        email: Some("jose@example.cl".into()),
        rut: Some("12.345.678-5".parse().unwrap()),
        notes: Some("Alérgico al maní".into()),
        marketing_consent: true,
        created_at: crate::store::now_text(),
        updated_at: p.a.tick(),
        deleted_at: None,
    };
    let mut tx = p.a.begin().await.unwrap();
    crate::store::customers::save(&mut tx, &record)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(sync(&p).await.customers.len(), 1);
    let back = crate::store::customers::find(&p.b.read, record.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        serde_json::to_value(back).unwrap(),
        serde_json::to_value(record).unwrap()
    );
}

#[tokio::test]
async fn tables_round_trip() {
    let p = pair().await;
    let record = crate::store::tables::TableRecord {
        id: TableId::new(),
        name: "Mesa 4".into(),
        seats: 6,
        area: Some("Terraza".into()),
        position: 4,
        active: true,
        grid_x: Some(dysa_domain::floor::GridCell::try_from(3).unwrap()),
        grid_y: Some(dysa_domain::floor::GridCell::try_from(49).unwrap()),
        needs_cleaning: true,
        created_at: crate::store::now_text(),
        updated_at: p.a.tick(),
        deleted_at: None,
    };
    let mut tx = p.a.begin().await.unwrap();
    crate::store::tables::save(&mut tx, &record).await.unwrap();
    tx.commit().await.unwrap();
    sync(&p).await;
    let back = crate::store::tables::find(&p.b.read, record.id)
        .await
        .unwrap();
    assert_eq!(back, Some(record));
}

#[tokio::test]
async fn users_round_trip() {
    let p = pair().await;
    // Both counters of the location hold its key (the join flow brings it).
    let key = crate::sync::location_key::LocationKey::from_bytes([9; 32]);
    p.a.location_key.save(key.clone()).unwrap();
    p.b.location_key.save(key.clone()).unwrap();
    let record = users::new_record(
        "Ana Admin",
        "ana@donde-pepe.cl",
        Role::Manager,
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        Some("$argon2id$pin".into()),
        p.a.tick(),
    );
    let mut tx = p.a.begin().await.unwrap();
    users::save(&mut tx, &record, &key).await.unwrap();
    tx.commit().await.unwrap();
    assert!(sync(&p).await.users);
    let back = users::find(&p.b.read, record.id).await.unwrap().unwrap();
    assert_eq!(back, record);
}

#[tokio::test]
async fn settings_round_trip() {
    let p = pair().await;
    let mut tx = p.a.begin().await.unwrap();
    let hours = json!({"monday": [{"open": "12:00", "close": "16:00"}]});
    settings::put(&mut tx, "restaurant.name", &json!("Donde Pepe"), p.a.tick())
        .await
        .unwrap();
    settings::put(&mut tx, "restaurant.opening_hours", &hours, p.a.tick())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(sync(&p).await.settings);
    for key in ["restaurant.name", "restaurant.opening_hours"] {
        assert_eq!(
            settings::get(&p.b.read, key).await.unwrap(),
            settings::get(&p.a.read, key).await.unwrap()
        );
    }
}

#[tokio::test]
async fn reservations_round_trip() {
    let p = pair().await;
    let table = crate::store::tables::TableRecord {
        id: TableId::new(),
        name: "Mesa 1".into(),
        seats: 4,
        area: None,
        position: 0,
        active: true,
        grid_x: None,
        grid_y: None,
        needs_cleaning: false,
        created_at: crate::store::now_text(),
        updated_at: p.a.tick(),
        deleted_at: None,
    };
    let starts_at: Timestamp = "2026-11-27T23:00:00Z".parse().unwrap();
    let record = crate::store::reservations::ReservationRecord {
        id: ReservationId::new(),
        customer_id: None,
        name: "Familia Soto".into(),
        phone: Some("+56911112222".into()),
        party_size: 4,
        starts_at,
        ends_at: starts_at + jiff::SignedDuration::from_mins(90),
        duration_minutes: 90,
        table_id: table.id,
        status: ReservationStatus::Confirmed,
        channel: "widget".into(),
        notes: Some("Cumpleaños".into()),
        cancel_reason: None,
        created_by: None,
        created_at: crate::store::now_text(),
        updated_at: p.a.tick(),
    };
    let mut tx = p.a.begin().await.unwrap();
    crate::store::tables::save(&mut tx, &table).await.unwrap();
    crate::store::reservations::save(&mut tx, &record)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let applied = sync(&p).await;
    assert!(applied.reservations_created.contains(&record.id));
    let back = crate::store::reservations::find(&p.b.read, record.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        serde_json::to_value(back).unwrap(),
        serde_json::to_value(record).unwrap()
    );
    let stored: String = sqlx::query_scalar("SELECT starts_at FROM reservations")
        .fetch_one(&p.b.read)
        .await
        .unwrap();
    assert_eq!(
        stored,
        instant_text(starts_at),
        "instants stored as the overlap query needs"
    );
}

/// A whole order in A: header, a line, its first transition.
async fn seed_order(db: &Db, item: &menu::ItemRecord) -> NewOrderRows {
    let id = OrderId::new();
    let now = crate::store::now_text();
    let rows = NewOrderRows {
        row: orders::OrderRow {
            id,
            number: 7,
            business_date: "2026-11-27".into(),
            local_hour: 13,
            channel: Channel::Counter,
            created_by: None,
            created_at: now.clone(),
            state: OrderState {
                status: OrderStatus::Pending,
                customer_id: None,
                table_id: None,
                note: Some("Para llevar".into()),
                subtotal: Clp(21_980),
                discount: Clp(0),
                total: Clp(21_980),
                net: Clp(18_471),
                tax: Clp(3_509),
                tax_rate_bp: 1900,
                tip: Clp(2_000),
                amount_due: Clp(23_980),
                cancel_reason: None,
                covers: Some(dysa_domain::floor::Covers::try_from(3).unwrap()),
                waiter_id: None,
                bill_requested_at: Some("2026-11-27T16:40:00.000Z".into()),
            },
            updated_at: db.tick(),
        },
        lines: vec![orders::LineRow {
            line: OrderLine {
                id: OrderLineId::new(),
                item_id: item.id,
                name: item.name.clone(),
                quantity: 2,
                unit_price: Clp(10_990),
                line_total: Clp(21_980),
                modifiers: vec![],
                note: Some("Sin aceitunas".into()),
                station: Station::Kitchen,
                course: Some(dysa_domain::kitchen::Course::Mains),
                seat: Some(dysa_domain::kitchen::Seat::try_from(2).expect("seat")),
                voided: false,
                void_reason: None,
                discount: None,
                bill: None,
                moved_from: None,
            },
            order_id: id,
            position: 0,
            created_by: None,
            voided_at: None,
            voided_by: None,
            created_at: now.clone(),
            updated_at: db.tick(),
        }],
        transition: orders::TransitionRow {
            id: uuid::Uuid::now_v7(),
            order_id: id,
            transition: Transition {
                from: None,
                to: OrderStatus::Pending,
                reason: None,
                by_user: None,
                at: now,
            },
            updated_at: db.tick(),
        },
        idempotency: None,
    };
    let mut tx = db.begin().await.unwrap();
    orders::insert_new_orders(&mut tx, std::slice::from_ref(&rows))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    rows
}

async fn same_order(p: &Pair, id: OrderId) -> orders::Order {
    let mut a = p.a.read.acquire().await.unwrap();
    let mut b = p.b.read.acquire().await.unwrap();
    let left = orders::load(&mut a, id).await.unwrap().unwrap();
    let right = orders::load(&mut b, id).await.unwrap().unwrap();
    assert_eq!(
        serde_json::to_value(&left).unwrap(),
        serde_json::to_value(&right).unwrap()
    );
    right
}

#[tokio::test]
async fn orders_round_trip() {
    let p = pair().await;
    let item = seed_item(&p.a).await;
    let rows = seed_order(&p.a, &item).await;
    // A later partial change (the status and money columns), as updates sync.
    let mut state = rows.row.state.clone();
    state.status = OrderStatus::Confirmed;
    state.discount = Clp(980);
    let mut tx = p.a.begin().await.unwrap();
    orders::update_state(&mut tx, rows.row.id, &state, p.a.tick())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let applied = sync(&p).await;
    assert!(applied.orders_created.contains(&rows.row.id));
    let order = same_order(&p, rows.row.id).await;
    assert_eq!(order.number, 7);
    assert_eq!(order.status, OrderStatus::Confirmed);
}

#[tokio::test]
async fn order_lines_round_trip() {
    let p = pair().await;
    let item = seed_item(&p.a).await;
    let rows = seed_order(&p.a, &item).await;
    let mut void = rows.lines[0].clone();
    void.line.voided = true;
    void.line.void_reason = Some("Se equivocó de plato".into());
    void.voided_at = Some(crate::store::now_text());
    void.updated_at = p.a.tick();
    let mut tx = p.a.begin().await.unwrap();
    orders::save_line(&mut tx, &void).await.unwrap();
    tx.commit().await.unwrap();
    sync(&p).await;
    let order = same_order(&p, rows.row.id).await;
    assert!(order.lines[0].voided);
    let raw: (i64, Option<String>) =
        sqlx::query_as("SELECT position, voided_at FROM order_lines WHERE id = ?")
            .bind(void.line.id.to_string())
            .fetch_one(&p.b.read)
            .await
            .unwrap();
    assert_eq!(raw, (void.position, void.voided_at));
}

#[tokio::test]
async fn order_transitions_round_trip() {
    let p = pair().await;
    let item = seed_item(&p.a).await;
    let rows = seed_order(&p.a, &item).await;
    let cancel = orders::TransitionRow {
        id: uuid::Uuid::now_v7(),
        order_id: rows.row.id,
        transition: Transition {
            from: Some(OrderStatus::Pending),
            to: OrderStatus::Cancelled,
            reason: Some("Sin stock".into()),
            by_user: None,
            at: crate::store::now_text(),
        },
        updated_at: p.a.tick(),
    };
    let mut tx = p.a.begin().await.unwrap();
    orders::insert_transition(&mut tx, &cancel).await.unwrap();
    tx.commit().await.unwrap();
    sync(&p).await;
    let order = same_order(&p, rows.row.id).await;
    assert_eq!(order.transitions.len(), 2);
    assert_eq!(order.transitions[1].reason.as_deref(), Some("Sin stock"));
}

#[tokio::test]
async fn payments_round_trip() {
    let p = pair().await;
    let item = seed_item(&p.a).await;
    let rows = seed_order(&p.a, &item).await;
    let payment = Payment {
        id: PaymentId::new(),
        order_id: rows.row.id,
        method: PaymentMethod::Cash,
        amount: Clp(21_980),
        tip: Clp(2_000),
        received: Some(Clp(25_000)),
        change: Some(Clp(1_020)),
        refund_of: None,
        reference: None,
        created_by: None,
        created_at: crate::store::now_text(),
        bill: Some(dysa_domain::bills::BillNo::try_from(2).unwrap()),
        bill_lines: Some(rows.lines.iter().map(|l| l.line.id).collect()),
    };
    let mut tx = p.a.begin().await.unwrap();
    orders::insert_payment(&mut tx, &payment, p.a.tick())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    sync(&p).await;
    same_order(&p, rows.row.id).await;
    let back = orders::payments_of(&p.b.read, rows.row.id).await.unwrap();
    assert_eq!(
        serde_json::to_value(back).unwrap(),
        json!([serde_json::to_value(&payment).unwrap()])
    );
}

#[tokio::test]
async fn drawer_sessions_movements_and_counts_round_trip() {
    use crate::drawers::{self, CountInput, ManualKind, NewMovement, OpenDrawer};
    use crate::store::drawers as store;
    use dysa_domain::drawer::CashCount;
    use dysa_domain::ids::UserId;
    let p = pair().await;
    let cashier = UserId::new();
    let open = OpenDrawer {
        drawer_id: None,
        opening_float: Clp(30_000),
    };
    let session = drawers::open(&p.a, cashier, open, true).await.unwrap();
    let movement = NewMovement {
        kind: ManualKind::PayOut,
        amount: Clp(4_500),
        reason: "Compra de gas".into(),
    };
    drawers::add_movement(&p.a, cashier, session.id, movement, true)
        .await
        .unwrap();
    let counts = CashCount {
        bills_20000: 1,
        bills_5000: 1,
        coins_500: 1,
        ..CashCount::default()
    };
    drawers::count(&p.a, cashier, session.id, CountInput { counts }, true)
        .await
        .unwrap();
    drawers::require_recount(&p.a, UserId::new(), session.id)
        .await
        .unwrap();
    drawers::count(&p.a, cashier, session.id, CountInput { counts }, true)
        .await
        .unwrap();
    drawers::close(&p.a, cashier, session.id, true)
        .await
        .unwrap();
    let applied = sync(&p).await;
    assert!(applied.drawers);
    let here = store::session(&p.a.read, session.id).await.unwrap();
    let there = store::session(&p.b.read, session.id).await.unwrap();
    assert!(here.is_some());
    assert_eq!(there, here);
    assert_eq!(
        store::movements_of(&p.b.read, session.id).await.unwrap(),
        store::movements_of(&p.a.read, session.id).await.unwrap()
    );
    let counted = store::counts_of(&p.b.read, session.id).await.unwrap();
    assert_eq!(counted.len(), 2);
    assert_eq!(
        counted,
        store::counts_of(&p.a.read, session.id).await.unwrap()
    );
    // The other counter reads the session but does not own its drawer.
    assert!(store::list_drawers(&p.b.read).await.unwrap().is_empty());
}

// ------------------------------------------------------------ the rules of applying

async fn apply(db: &Db, changes: &[ChangeRecord]) -> Applied {
    let mut tx = db.begin().await.unwrap();
    let mut applied = Applied::default();
    apply_page(&mut tx, changes, &mut applied).await.unwrap();
    tx.commit().await.unwrap();
    applied
}

#[tokio::test]
async fn a_pending_local_change_or_a_held_version_wins_over_the_cloud_row() {
    let p = pair().await;
    let item = seed_item(&p.a).await;
    let original = cloud_rows(&p.a).await;
    apply(&p.b, &original).await;
    // B edits the item locally: the change waits in B's outbox.
    let mut local = item.clone();
    local.name = "Pastel de choclo XL".into();
    local.updated_at = p.b.tick();
    let mut tx = p.b.begin().await.unwrap();
    menu::save_item(&mut tx, &local).await.unwrap();
    tx.commit().await.unwrap();
    let mut newer = original.clone();
    for change in &mut newer {
        change.version += 10;
        change.row.insert("position".into(), json!(9));
    }
    let applied = apply(&p.b, &newer).await;
    assert_eq!(applied.rows, 1, "only the category, which B did not touch");
    let kept = menu::find_item(&p.b.read, item.id).await.unwrap().unwrap();
    assert_eq!(kept, local, "the pending local edit is not overwritten");
    // Once pushed, a version the device already holds is not applied again.
    sqlx::query("UPDATE outbox SET pushed_at = 'now'")
        .execute(&p.b.write)
        .await
        .unwrap();
    let applied = apply(&p.b, &original).await;
    assert_eq!(applied.rows, 0, "versions already held are skipped");
    let kept = menu::find_item(&p.b.read, item.id).await.unwrap().unwrap();
    assert_eq!(kept, local);
}

#[tokio::test]
async fn a_line_arriving_before_its_order_waits_parked() {
    let p = pair().await;
    let item = seed_item(&p.a).await;
    let rows = seed_order(&p.a, &item).await;
    let changes = cloud_rows(&p.a).await;
    let (orders_only, rest): (Vec<_>, Vec<_>) =
        changes.into_iter().partition(|c| c.entity == Entity::Order);
    let first = apply(&p.b, &rest).await;
    assert!(
        first.parked >= 2,
        "the line and the transition wait for their order"
    );
    let second = apply(&p.b, &orders_only).await;
    assert_eq!(second.parked, 0);
    assert_eq!(second.rows, 1 + first.parked as usize);
    same_order(&p, rows.row.id).await;
}

#[tokio::test]
async fn an_order_whose_daily_number_is_taken_gets_the_next_one() {
    let p = pair().await;
    let item = seed_item(&p.a).await;
    apply(&p.b, &cloud_rows(&p.a).await).await;
    // B took its own #7 the same day while apart.
    let mine = seed_order(&p.b, &item).await;
    let mut tx = p.b.begin().await.unwrap();
    sqlx::query("INSERT INTO order_counters (business_date, last_number) VALUES ('2026-11-27', 7)")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("UPDATE outbox SET pushed_at = 'now'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let theirs = seed_order(&p.a, &item).await;
    let mut changes = cloud_rows(&p.a).await;
    // A widget order from the cloud carries no daily number at all.
    let mut widget = changes
        .iter()
        .find(|c| c.entity == Entity::Order)
        .unwrap()
        .clone();
    widget.entity_id = OrderId::new().to_string();
    widget.row.insert("id".into(), json!(widget.entity_id));
    for field in ["number", "business_date", "local_hour"] {
        widget.row.remove(field);
    }
    // 13:00 in Santiago (summer time): the same business day.
    widget
        .row
        .insert("created_at".into(), json!("2026-11-27T16:00:00.000Z"));
    widget.version = 99;
    changes.push(widget.clone());
    apply(&p.b, &changes).await;
    let numbers: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, number FROM orders ORDER BY number")
            .fetch_all(&p.b.read)
            .await
            .unwrap();
    assert_eq!(numbers.len(), 3);
    let number_of = |id: String| numbers.iter().find(|(i, _)| *i == id).unwrap().1;
    assert_eq!(
        number_of(mine.row.id.to_string()),
        7,
        "the local number stays"
    );
    assert_eq!(number_of(theirs.row.id.to_string()), 8);
    assert_eq!(number_of(widget.entity_id.clone()), 9);
}

#[tokio::test]
async fn conversations_and_their_messages_round_trip() {
    use crate::store::conversations::{self as chats, ConversationChannel, MessageRole};
    use dysa_domain::validate::Lang;
    let p = pair().await;
    let chat = chats::create(&p.a, ConversationChannel::Whatsapp, Lang::Es, None, None)
        .await
        .unwrap();
    chats::add_message(
        &p.a,
        chat.id,
        MessageRole::Diner,
        "¿Tienen mesa a las 21:00?",
        None,
    )
    .await
    .unwrap();
    chats::add_message(&p.a, chat.id, MessageRole::Staff, "Sí, le esperamos", None)
        .await
        .unwrap();
    chats::finish_turn(
        &p.a,
        chat.id,
        "Reservé para 4 personas.",
        &json!({"intent": "booking"}),
        &json!({"booking": {"party_size": 4}}),
        Lang::Es,
        true,
    )
    .await
    .unwrap();
    sync(&p).await;
    let held = chats::record(&p.a.read, chat.id).await.unwrap();
    assert!(held.is_some());
    assert_eq!(chats::record(&p.b.read, chat.id).await.unwrap(), held);
    let messages = chats::message_records(&p.a.read, chat.id).await.unwrap();
    assert_eq!(messages.len(), 3);
    assert_eq!(
        chats::message_records(&p.b.read, chat.id).await.unwrap(),
        messages
    );
    // The view the panel reads on B: last activity as a time, not an HLC; the staff
    // message is not relayed again by B (A relays its own).
    let seen = chats::find(&p.b.read, chat.id).await.unwrap().unwrap();
    assert_eq!(seen.updated_at, held.unwrap().last_activity_at);
    assert!(
        chats::pending_for_cloud(&p.b.read, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        chats::pending_for_cloud(&p.a.read, 10).await.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn conversations_past_their_retention_are_forgotten_without_an_outbox_row() {
    use crate::store::conversations::{self as chats, ConversationChannel, MessageRole};
    use dysa_domain::validate::Lang;
    let p = pair().await;
    let old = chats::create(&p.a, ConversationChannel::Panel, Lang::Es, None, None)
        .await
        .unwrap();
    chats::add_message(&p.a, old.id, MessageRole::Diner, "Hola", None)
        .await
        .unwrap();
    sqlx::query("UPDATE conversations SET last_activity_at = '2026-01-01T00:00:00.000Z'")
        .execute(&p.a.write)
        .await
        .unwrap();
    let fresh = chats::create(&p.a, ConversationChannel::Panel, Lang::Es, None, None)
        .await
        .unwrap();
    let outbox_before: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&p.a.read)
        .await
        .unwrap();
    let gone = chats::prune(&p.a, "2026-03-01T00:00:00.000Z")
        .await
        .unwrap();
    assert_eq!(gone, 1);
    assert!(chats::find(&p.a.read, old.id).await.unwrap().is_none());
    assert!(
        chats::message_records(&p.a.read, old.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(chats::find(&p.a.read, fresh.id).await.unwrap().is_some());
    let outbox_after: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&p.a.read)
        .await
        .unwrap();
    assert_eq!(outbox_after, outbox_before);
}
