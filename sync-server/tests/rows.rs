//! Synced rows end to end, per entity, on the real push route and Postgres: a row written
//! by one counter's store goes out of its outbox, through `POST /sync/push` (schema check,
//! merge, projection), back through `GET /sync/pull` to a second counter, which applies
//! it: the second counter reads back exactly what the first wrote, and the cloud's typed
//! table holds every projected field. Values are generated (proptest); each case runs the
//! whole path, so the case count is small.
//!
//! Also: every field the projections take by name has its column, and pushed rows are held
//! to their entity's schema (`dysa_domain::sync::rows::check_patch`).

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::sync::{device_token as device, push_ok as push};
use dysa_appliance::store::{Db, customers, menu, outbox, tables};
use dysa_appliance::sync::apply::{Applied, apply_page};
use dysa_cloud::store::sync::projection;
use dysa_domain::floor::GridCell;
use dysa_domain::ids::{
    CategoryId, CustomerId, ItemId, ModifierGroupId, ModifierOptionId, TableId,
};
use dysa_domain::menu::Station;
use dysa_domain::money::Clp;
use dysa_domain::sync::rows::{
    Category, Customer, Item, ModifierGroup, ModifierOption, PhotoHash, PrepMinutes, SyncedRow,
    Table, fields_of,
};
use dysa_domain::sync::{ChangeRecord, Entity};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// Cases of the round trip per run (each is a push, a pull and two SQLite databases).
const CASES: u32 = 16;

/// A cloud with one tenant and two counters of its location ("Caja 1" writes, "Caja 2"
/// pulls), each with its device token and its own SQLite database.
struct Counters {
    app: TestApp,
    tenant: common::Tenant,
    token_a: String,
    token_b: String,
    a: Db,
    b: Db,
    _dir: tempfile::TempDir,
}

async fn counters(owner: PgConnectOptions, slug: &str) -> Counters {
    let app = TestApp::new(owner).await;
    let tenant = app.signup(slug).await;
    let token_a = device(&app, &tenant.token, &tenant.location_id, "Caja 1").await;
    let token_b = device(&app, &tenant.token, &tenant.location_id, "Caja 2").await;
    let dir = tempfile::tempdir().unwrap();
    let a = Db::open(&dir.path().join("a.db")).await.unwrap();
    let b = Db::open(&dir.path().join("b.db")).await.unwrap();
    Counters {
        app,
        tenant,
        token_a,
        token_b,
        a,
        b,
        _dir: dir,
    }
}

/// Pushes every pending outbox row of `db`, as the sync loop does; all must apply.
async fn push_outbox(app: &TestApp, token: &str, db: &Db) {
    let pending = outbox::pending(&db.read, 10_000).await.unwrap();
    let mutations: Vec<Value> = pending
        .iter()
        .map(|r| {
            json!({
                "mutation_id": r.mutation_id, "entity": r.entity, "entity_id": r.entity_id,
                "op": r.op, "payload": serde_json::from_str::<Value>(&r.payload).unwrap(),
                "hlc": r.hlc,
            })
        })
        .collect();
    for result in push(app, token, mutations).await {
        assert_eq!(result["outcome"], "applied", "{result}");
    }
    sqlx::query("UPDATE outbox SET pushed_at = 'now' WHERE pushed_at IS NULL")
        .execute(&db.write)
        .await
        .unwrap();
}

/// Pulls every change after `cursor` and applies it to `db`; answers the new cursor.
async fn pull_into(app: &TestApp, token: &str, db: &Db, cursor: i64) -> i64 {
    pull_with_key(app, token, db, cursor, None).await
}

/// [`pull_into`] for a counter holding the location key `key` (staff rows open with it).
async fn pull_with_key(
    app: &TestApp,
    token: &str,
    db: &Db,
    mut cursor: i64,
    key: Option<std::sync::Arc<dysa_appliance::sync::location_key::LocationKey>>,
) -> i64 {
    loop {
        let page = app
            .get(
                &format!("/api/v1/sync/pull?cursor={cursor}&limit=1000&schema_version=1"),
                token,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        let changes: Vec<ChangeRecord> =
            serde_json::from_value(page.body["changes"].clone()).unwrap();
        let mut tx = db.begin().await.unwrap();
        let mut applied = Applied::for_location(key.clone());
        apply_page(&mut tx, &changes, &mut applied).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(applied.parked, 0, "nothing may stay parked");
        cursor = page.body["cursor"].as_i64().unwrap();
        if page.body["has_more"] != true {
            return cursor;
        }
    }
}

/// The cloud's typed row of `entity` with id `id`, as JSON (column → value).
async fn projected(app: &TestApp, entity: Entity, id: &str) -> Value {
    let mut conn = app.owner_conn().await;
    let sql = format!(
        "SELECT to_jsonb(t) FROM {} t WHERE id = $1::uuid",
        projection::table_of(entity)
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

/// Every projected field of `row` equals its column in the cloud's typed table (times
/// are stored as instants there, so `created_at`, `opened_at`, … and the stamps are left
/// out).
async fn assert_projected<T: SyncedRow + Serialize>(app: &TestApp, row: &T) {
    let entity = T::ENTITY;
    let written = serde_json::to_value(row).unwrap();
    let id = written["id"].as_str().unwrap();
    let typed = projected(app, entity, id).await;
    for field in fields_of(entity) {
        let name = field.name;
        if !has_own_column(entity, name) {
            continue;
        }
        let sent = written.get(name).unwrap_or(&Value::Null);
        assert_column_holds(entity, &typed, name, name, sent);
    }
}

/// Whether field `name` of `entity` is projected to a column of its own that keeps what
/// was sent (times are kept as instants, so `created_at`, `opened_at`, … are not).
fn has_own_column(entity: Entity, name: &str) -> bool {
    !(projection::COVERED.contains(&name)
        || name.ends_with("_at")
        || projection::not_projected(entity).contains(&name))
}

/// Checks `column` of the typed row `typed` against field `name` as `sent`: customer data
/// the cloud seals at rest holds a sealed value exactly when one was sent (tests/pii.rs
/// reads it back through the store); anything else holds what was sent.
fn assert_column_holds(entity: Entity, typed: &Value, name: &str, column: &str, sent: &Value) {
    let held = typed.get(column).unwrap_or_else(|| {
        panic!(
            "{entity}.{name} has no column {column} in {}",
            projection::table_of(entity)
        )
    });
    if !dysa_cloud::pii::sealed_fields(entity).contains(&name) {
        assert_eq!(held, sent, "{entity}.{name} projected as {column}");
        return;
    }
    assert_eq!(held.is_null(), sent.is_null(), "{entity}.{name} projected");
    if !sent.is_null() {
        let text = held.as_str().unwrap_or_default();
        assert!(
            text.starts_with(dysa_cloud::pii::SEALED_PREFIX),
            "{entity}.{name} sealed"
        );
    }
}

fn minutes(m: u16) -> PrepMinutes {
    PrepMinutes::try_from(m).unwrap()
}

fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Za-zÁÉÍÓÚáéíóúñÑ0-9 .,'-]{{1,{max}}}")).unwrap()
}

/// An item's name, English name, description, price, availability, tags, bar station,
/// preparation minutes.
type ItemCase = (
    String,
    Option<String>,
    Option<String>,
    i64,
    bool,
    Vec<String>,
    bool,
    Option<u16>,
);

/// One generated case: a category, a modifier group, an item in both, a customer and a
/// table, plus an edit of the item (so a partial row travels too).
#[derive(Clone, Debug)]
struct Case {
    category: (String, Option<String>, i64, bool),
    options: Vec<(String, Option<String>, i64, bool)>,
    choices: (u8, u8),
    item: ItemCase,
    edit: (i64, bool, Option<String>, Option<u16>),
    customer: (String, Option<String>, Option<String>, bool, bool),
    table: (
        String,
        u8,
        Option<String>,
        i64,
        bool,
        Option<u16>,
        Option<u16>,
    ),
}

fn case() -> impl Strategy<Value = Case> {
    (
        (
            text(30),
            proptest::option::of(text(30)),
            0..100i64,
            any::<bool>(),
        ),
        proptest::collection::vec(
            (
                text(20),
                proptest::option::of(text(20)),
                -5_000..5_000i64,
                any::<bool>(),
            ),
            0..4,
        ),
        (0..2u8, 1..4u8),
        (
            text(40),
            proptest::option::of(text(40)),
            proptest::option::of(text(200)),
            0..1_000_000i64,
            any::<bool>(),
            proptest::collection::vec(text(12), 0..4),
            any::<bool>(),
            proptest::option::of(1..=PrepMinutes::MAX),
        ),
        (
            0..1_000_000i64,
            any::<bool>(),
            proptest::option::of(text(40)),
            proptest::option::of(1..=PrepMinutes::MAX),
        ),
        (
            text(40),
            proptest::option::of(text(80)),
            proptest::option::of(text(40)),
            any::<bool>(),
            any::<bool>(),
        ),
        (
            text(20),
            1..20u8,
            proptest::option::of(text(20)),
            0..50i64,
            any::<bool>(),
            proptest::option::of(0..=GridCell::MAX),
            proptest::option::of(0..=GridCell::MAX),
        ),
    )
        .prop_map(
            |(category, options, choices, item, edit, customer, table)| Case {
                category,
                options,
                choices,
                item,
                edit,
                customer,
                table,
            },
        )
}

/// The rows of a case, written at counter `a` (stamped by its clock); `n` keeps names
/// unique across cases.
async fn write_case(a: &Db, n: u32, c: &Case) -> (Category, ModifierGroup, Item, Customer, Table) {
    let now = dysa_appliance::store::now_text();
    let category = Category {
        id: CategoryId::new(),
        name: format!("{} {n}", c.category.0),
        name_en: c.category.1.clone(),
        position: c.category.2,
        active: c.category.3,
        created_at: now.clone(),
        updated_at: a.tick(),
        deleted_at: None,
    };
    let group = ModifierGroup {
        id: ModifierGroupId::new(),
        name: format!("Grupo {n}"),
        name_en: None,
        min_choices: c.choices.0,
        max_choices: c.choices.1,
        options: c
            .options
            .iter()
            .map(|(name, name_en, delta, available)| ModifierOption {
                id: ModifierOptionId::new(),
                name: name.clone(),
                name_en: name_en.clone(),
                price_delta: Clp(*delta),
                available: *available,
            })
            .collect(),
        created_at: now.clone(),
        updated_at: a.tick(),
        deleted_at: None,
    };
    let (name, name_en, description, price, available, tags, bar, prep) = c.item.clone();
    let item = Item {
        id: ItemId::new(),
        category_id: category.id,
        name,
        name_en,
        description,
        price: Clp(price),
        station: if bar { Station::Bar } else { Station::Kitchen },
        tags,
        modifier_group_ids: vec![group.id],
        available,
        position: c.category.2,
        prep_minutes: prep.map(minutes),
        photo: Some(PhotoHash::of(&n.to_le_bytes())),
        created_at: now.clone(),
        updated_at: a.tick(),
        ..Item::default()
    };
    let customer = Customer {
        id: CustomerId::new(),
        name: c.customer.0.clone(),
        phone: c.customer.3.then(|| format!("+569{:08}", n)),
        email: c
            .customer
            .2
            .as_ref()
            .map(|_| format!("cliente{n}@example.cl")),
        rut: c.customer.4.then(|| "12.345.678-5".parse().unwrap()),
        notes: c.customer.1.clone(),
        marketing_consent: c.customer.3,
        created_at: now.clone(),
        updated_at: a.tick(),
        deleted_at: None,
    };
    let table = Table {
        id: TableId::new(),
        name: format!("{} {n}", c.table.0),
        seats: c.table.1,
        area: c.table.2.clone(),
        position: c.table.3,
        active: c.table.4,
        grid_x: c.table.5.map(|x| x.try_into().unwrap()),
        grid_y: c.table.6.map(|y| y.try_into().unwrap()),
        needs_cleaning: c.table.4 && c.table.5.is_some(),
        created_at: now,
        updated_at: a.tick(),
        deleted_at: None,
    };
    let mut tx = a.begin().await.unwrap();
    menu::save_category(&mut tx, &category).await.unwrap();
    menu::save_group(&mut tx, &group).await.unwrap();
    menu::save_item(&mut tx, &item).await.unwrap();
    customers::save(&mut tx, &customer).await.unwrap();
    tables::save(&mut tx, &table).await.unwrap();
    tx.commit().await.unwrap();
    (category, group, item, customer, table)
}

#[sqlx::test(migrations = false)]
async fn rows_written_at_one_counter_arrive_equal_at_another(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let Counters {
        app,
        tenant: _,
        token_a,
        token_b,
        a,
        b,
        _dir,
    } = counters(owner, "ida-y-vuelta").await;
    let mut runner = TestRunner::new(Config::with_cases(CASES));
    let strategy = case();
    let mut cursor = 0;
    for n in 0..CASES {
        let c = strategy.new_tree(&mut runner).unwrap().current();
        let (category, group, item, customer, table) = write_case(&a, n, &c).await;
        // An edit after the creation: its outbox row carries only the changed fields.
        let mut edited = item.clone();
        edited.price = Clp(c.edit.0);
        edited.available = c.edit.1;
        edited.description_en = c.edit.2.clone();
        edited.prep_minutes = c.edit.3.map(minutes);
        // Half the edits take the photo away, half change it.
        edited.photo = (n % 2 == 1).then(|| PhotoHash::of(&(n + 1000).to_le_bytes()));
        edited.updated_at = a.tick();
        let mut tx = a.begin().await.unwrap();
        menu::save_item(&mut tx, &edited).await.unwrap();
        tx.commit().await.unwrap();

        push_outbox(&app, &token_a, &a).await;
        assert_projected(&app, &category).await;
        assert_projected(&app, &group).await;
        assert_projected(&app, &edited).await;
        assert_projected(&app, &customer).await;
        assert_projected(&app, &table).await;
        cursor = pull_into(&app, &token_b, &b, cursor).await;

        let case = format!("case {n}: {c:?}");
        assert_eq!(
            menu::find_item(&b.read, item.id).await.unwrap().as_ref(),
            Some(&edited),
            "{case}"
        );
        let back = menu::snapshot(&b.read).await.unwrap();
        assert!(back.categories.contains(&category), "{case}");
        assert_eq!(
            menu::find_group(&b.read, group.id).await.unwrap(),
            Some(group),
            "{case}"
        );
        assert_eq!(
            customers::find(&b.read, customer.id).await.unwrap(),
            Some(customer),
            "{case}"
        );
        assert_eq!(
            tables::find(&b.read, table.id).await.unwrap(),
            Some(table),
            "{case}"
        );
    }
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&b.read)
        .await
        .unwrap();
    assert_eq!(pending, 0, "applying never writes the outbox");
}

/// A drawer session with its movement and its two counts, written at one counter, is
/// projected by the cloud and arrives equal at the other counter (which owns no drawer).
#[sqlx::test(migrations = false)]
async fn drawer_rows_arrive_equal_at_another_counter(_: PgPoolOptions, owner: PgConnectOptions) {
    use dysa_appliance::drawers::{self, CountInput, ManualKind, NewMovement, OpenDrawer};
    use dysa_appliance::store::drawers as store;
    use dysa_domain::drawer::CashCount;
    use dysa_domain::ids::UserId;
    let Counters {
        app,
        tenant: _,
        token_a,
        token_b,
        a,
        b,
        _dir,
    } = counters(owner, "caja-y-vuelta").await;
    let cashier = UserId::new();
    let open = OpenDrawer {
        drawer_id: None,
        opening_float: Clp(40_000),
    };
    let session = drawers::open(&a, cashier, open, true).await.unwrap();
    let out = NewMovement {
        kind: ManualKind::PayOut,
        amount: Clp(2_500),
        reason: "Propina entregada".into(),
    };
    drawers::add_movement(&a, cashier, session.id, out, true)
        .await
        .unwrap();
    let counts = CashCount {
        bills_20000: 1,
        bills_10000: 1,
        bills_5000: 1,
        bills_2000: 1,
        coins_500: 1,
        ..CashCount::default()
    };
    drawers::count(&a, cashier, session.id, CountInput { counts }, true)
        .await
        .unwrap();
    drawers::require_recount(&a, UserId::new(), session.id)
        .await
        .unwrap();
    drawers::count(&a, cashier, session.id, CountInput { counts }, true)
        .await
        .unwrap();
    drawers::close(&a, cashier, session.id, true).await.unwrap();

    push_outbox(&app, &token_a, &a).await;
    let held = store::session(&a.read, session.id).await.unwrap().unwrap();
    assert_projected(&app, &held).await;
    let movements = store::movements_of(&a.read, session.id).await.unwrap();
    let counted = store::counts_of(&a.read, session.id).await.unwrap();
    assert_eq!(counted.len(), 2);
    for m in &movements {
        assert_projected(&app, m).await;
    }
    for c in &counted {
        assert_projected(&app, c).await;
    }
    pull_into(&app, &token_b, &b, 0).await;
    assert_eq!(
        store::session(&b.read, session.id).await.unwrap(),
        Some(held)
    );
    assert_eq!(
        store::movements_of(&b.read, session.id).await.unwrap(),
        movements
    );
    assert_eq!(
        store::counts_of(&b.read, session.id).await.unwrap(),
        counted
    );
    // An edit of a count is refused by the cloud: counts are a ledger.
    let mut edit = serde_json::to_value(&counted[0]).unwrap();
    edit["total"] = json!(1);
    let results = push(
        &app,
        &token_a,
        vec![json!({
            "mutation_id": uuid::Uuid::now_v7(), "entity": "drawer_count",
            "entity_id": counted[0].id, "op": "upsert", "payload": edit,
            "hlc": a.tick().to_string(),
        })],
    )
    .await;
    assert_eq!(results[0]["outcome"], "rejected", "{:?}", results[0]);
}

/// A closed day's Z goes out, is projected with every field, arrives equal at the second
/// counter (which then holds the day as closed), and a push that claims to correct it
/// changes nothing: the first copy stands.
#[sqlx::test(migrations = false)]
async fn a_closed_day_arrives_equal_at_another_counter(_: PgPoolOptions, owner: PgConnectOptions) {
    use dysa_appliance::closing;
    use dysa_appliance::restaurant::RestaurantSettings;
    use dysa_domain::ids::UserId;
    let Counters {
        app,
        tenant: _,
        token_a,
        token_b,
        a,
        b,
        _dir,
    } = counters(owner, "cierre-del-dia").await;
    let settings = RestaurantSettings::default();
    let date = closing::today(&settings).unwrap();
    let close = closing::close(&a, &settings, date, UserId::new(), "Ana")
        .await
        .unwrap();
    push_outbox(&app, &token_a, &a).await;
    assert_projected(&app, &close).await;
    pull_into(&app, &token_b, &b, 0).await;
    assert_eq!(closing::z_report(&b, date).await.unwrap(), close);

    let mut forged = serde_json::to_value(&close).unwrap();
    forged["closed_by_name"] = json!("Nadie");
    let results = push(
        &app,
        &token_b,
        vec![json!({
            "mutation_id": uuid::Uuid::now_v7(), "entity": "day_close",
            "entity_id": close.id, "op": "upsert", "payload": forged,
            "hlc": b.tick().to_string(),
        })],
    )
    .await;
    assert_ne!(results[0]["outcome"], "rejected", "{:?}", results[0]);
    let typed = projected(&app, Entity::DayClose, &close.id.to_string()).await;
    assert_eq!(typed["closed_by_name"], "Ana");
}

/// The fields the projections take by name (new synced fields) each have their column.
#[sqlx::test(migrations = false)]
async fn every_generic_field_has_its_column(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let mut conn = app.owner_conn().await;
    for entity in Entity::ALL {
        for field in projection::generic_fields(entity) {
            let exists: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM information_schema.columns
                                WHERE table_name = $1 AND column_name = $2)",
            )
            .bind(projection::table_of(entity))
            .bind(field)
            .fetch_one(&mut conn)
            .await
            .unwrap();
            assert!(
                exists,
                "{entity}.{field}: add a column to {} by migration",
                projection::table_of(entity)
            );
        }
    }
}

#[sqlx::test(migrations = false)]
async fn pushed_rows_are_held_to_their_schema(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("esquema").await;
    let token = device(&app, &tenant.token, &tenant.location_id, "Caja").await;
    let dir = tempfile::tempdir().unwrap();
    let a = Db::open(&dir.path().join("a.db")).await.unwrap();
    let mut runner = TestRunner::new(Config::with_cases(1));
    let c = case().new_tree(&mut runner).unwrap().current();
    let (_, _, item, _, _) = write_case(&a, 0, &c).await;
    push_outbox(&app, &token, &a).await;
    let mutation = |payload: Value| {
        json!({
            "mutation_id": uuid::Uuid::now_v7().to_string(), "entity": "item",
            "entity_id": item.id.to_string(), "op": "upsert", "payload": payload,
            "hlc": a.tick().to_string(),
        })
    };
    let results = push(
        &app,
        &token,
        vec![
            mutation(json!({"id": item.id, "price": 990, "is_admin": true})),
            mutation(json!({"id": item.id, "description": "x".repeat(64 * 1024)})),
            mutation(json!({"id": item.id, "tags": vec!["a"; 500]})),
            mutation(json!({"id": item.id, "price": "gratis"})),
            mutation(json!({"id": item.id, "prep_minutes": 601})),
            mutation(json!({"id": item.id, "price": 990, "available": false})),
        ],
    )
    .await;
    let answers: Vec<(&str, &str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["outcome"].as_str().unwrap(),
                r["reason"].as_str().unwrap_or(""),
                r["detail"].as_str().unwrap_or(""),
            )
        })
        .collect();
    for (answer, field) in
        answers
            .iter()
            .zip(["is_admin", "description", "tags", "price", "prep_minutes"])
    {
        assert_eq!(
            (answer.0, answer.1),
            ("rejected", "malformed"),
            "{answer:?}"
        );
        assert!(
            answer.2.contains(field),
            "the detail names {field}: {answer:?}"
        );
    }
    assert_eq!(answers[5].0, "applied", "a valid partial edit: {answers:?}");
    let typed = projected(&app, Entity::Item, &item.id.to_string()).await;
    assert_eq!(
        (typed["price"].clone(), typed["available"].clone()),
        (json!(990), json!(false))
    );
    assert_eq!(
        typed["description"],
        json!(item.description),
        "the refused edit left no trace"
    );
}

/// Like [`assert_projected`], for the entities whose cloud table names a field otherwise:
/// the object `nested` (a line's `line`, a transition's `transition`) is flattened,
/// `renamed` maps a field to its column and `skip` lists fields with no column of their
/// own (derived there, or times kept as instants).
async fn assert_projected_as<T: SyncedRow + Serialize>(
    app: &TestApp,
    row: &T,
    nested: Option<&str>,
    renamed: &[(&str, &str)],
    skip: &[&str],
) {
    let entity = T::ENTITY;
    let Value::Object(mut fields) = serde_json::to_value(row).unwrap() else {
        panic!("{entity}: a row that is not an object")
    };
    if let Some(Value::Object(inner)) = nested.and_then(|n| fields.remove(n)) {
        fields.extend(inner);
    }
    let id = fields["id"].as_str().unwrap().to_owned();
    let typed = projected(app, entity, &id).await;
    for (name, sent) in &fields {
        if !has_own_column(entity, name) || skip.contains(&name.as_str()) {
            continue;
        }
        let column = renamed
            .iter()
            .find(|(field, _)| field == name)
            .map_or(name.as_str(), |(_, column)| column);
        assert_column_holds(entity, &typed, name, column, sent);
    }
}

/// One generated order case: the header's note, discount, tip and covers; a line's
/// quantity, note, course (index), seat and whether it is voided (with the reason); the
/// payment's method (index), amount and reference; the owner's cancel request; and a
/// booking's name, phone, party size, notes, status (index) and hours from now.
#[derive(Clone, Debug)]
struct OrderCase {
    header: (Option<String>, i64, i64, Option<u16>),
    line: (
        u32,
        Option<String>,
        Option<usize>,
        Option<u16>,
        Option<String>,
    ),
    payment: (usize, i64, Option<String>),
    cancel_request: Option<String>,
    booking: (String, bool, u32, Option<String>, usize, i64),
}

fn order_case() -> impl Strategy<Value = OrderCase> {
    (
        (
            proptest::option::of(text(60)),
            0..5_000i64,
            0..10_000i64,
            proptest::option::of(1..=dysa_domain::floor::Covers::MAX),
        ),
        (
            1..20u32,
            proptest::option::of(text(60)),
            proptest::option::of(0..4usize),
            proptest::option::of(1..=dysa_domain::kitchen::Seat::MAX),
            proptest::option::of(text(40)),
        ),
        (0..5usize, 1..100_000i64, proptest::option::of(text(20))),
        proptest::option::of(text(60)),
        (
            text(40),
            any::<bool>(),
            1..30u32,
            proptest::option::of(text(80)),
            0..6usize,
            1..2_000i64,
        ),
    )
        .prop_map(
            |(header, line, payment, cancel_request, booking)| OrderCase {
                header,
                line,
                payment,
                cancel_request,
                booking,
            },
        )
}

/// What one order case wrote at counter `a`.
struct WrittenOrder {
    order: dysa_domain::sync::rows::Order,
    line: dysa_domain::sync::rows::OrderLineRow,
    transitions: Vec<dysa_domain::sync::rows::OrderTransition>,
    payment: dysa_domain::sync::rows::Payment,
    booking: dysa_appliance::store::reservations::ReservationRecord,
}

/// Writes a case's order (created, changed, a line voided or not, a second transition, a
/// payment, an owner's cancel request answered) and its booking at counter `a`, through
/// the store functions the counter's own code uses.
async fn write_order_case(
    a: &Db,
    n: u32,
    c: &OrderCase,
    item: &Item,
    customer: &Customer,
    table: &Table,
) -> WrittenOrder {
    use dysa_appliance::store::orders::{self, LineRow, NewOrderRows, OrderRow, OrderState};
    use dysa_appliance::store::reservations::{self, ReservationRecord};
    use dysa_domain::floor::Covers;
    use dysa_domain::ids::{OrderId, OrderLineId, PaymentId, ReservationId};
    use dysa_domain::kitchen::{Course, Seat};
    use dysa_domain::order::{CancelOutcome, CancelRequest, Channel, OrderStatus};
    use dysa_domain::payment::PaymentMethod;
    use dysa_domain::reservation::ReservationStatus;
    use dysa_domain::sync::rows::{OrderLine, Payment, Transition};
    let now = dysa_appliance::store::now_text();
    let id = OrderId::new();
    let (note, discount, tip, covers) = c.header.clone();
    let (quantity, line_note, course, seat, void_reason) = c.line.clone();
    let total = item.price.0 * i64::from(quantity) - discount;
    let state = OrderState {
        status: OrderStatus::Pending,
        customer_id: Some(customer.id),
        table_id: Some(table.id),
        note,
        subtotal: Clp(item.price.0 * i64::from(quantity)),
        discount: Clp(discount),
        total: Clp(total),
        net: Clp(total * 100 / 119),
        tax: Clp(total - total * 100 / 119),
        tax_rate_bp: 1900,
        tip: Clp(tip),
        amount_due: Clp(total + tip),
        cancel_reason: None,
        covers: covers.map(|c| Covers::try_from(c).unwrap()),
        waiter_id: None,
        bill_requested_at: None,
    };
    let line = LineRow {
        line: OrderLine {
            id: OrderLineId::new(),
            item_id: item.id,
            name: item.name.clone(),
            quantity,
            unit_price: item.price,
            line_total: Clp(item.price.0 * i64::from(quantity)),
            modifiers: vec![],
            note: line_note,
            station: item.station,
            course: course.map(|i| Course::ALL[i]),
            seat: seat.map(|s| Seat::try_from(s).unwrap()),
            voided: false,
            void_reason: None,
            // A line discount on bigger lines, so the round trip carries one both ways.
            discount: (quantity > 1).then(|| dysa_domain::order::LineDiscount {
                percent: Some(10),
                amount: Clp(item.price.0 * i64::from(quantity) / 10),
                reason: "cliente frecuente".to_owned(),
            }),
            // A line on a split tab's second bill when it has a seat, so the round trip
            // carries the split plan both ways and leaves it out on the other lines.
            bill: seat.map(|_| dysa_domain::bills::BillNo::try_from(2).unwrap()),
            moved_from: course.map(|_| OrderLineId::new()),
        },
        order_id: id,
        position: 0,
        created_by: None,
        voided_at: None,
        voided_by: None,
        created_at: now.clone(),
        updated_at: a.tick(),
    };
    let first = orders::TransitionRow {
        id: uuid::Uuid::now_v7(),
        order_id: id,
        transition: Transition {
            from: None,
            to: OrderStatus::Pending,
            reason: None,
            by_user: None,
            at: now.clone(),
        },
        updated_at: a.tick(),
    };
    let rows = NewOrderRows {
        row: OrderRow {
            id,
            number: i64::from(n) + 1,
            business_date: "2026-12-05".into(),
            local_hour: 13,
            channel: Channel::DineIn,
            created_by: None,
            created_at: now.clone(),
            state: state.clone(),
            updated_at: a.tick(),
        },
        lines: vec![line.clone()],
        transition: first.clone(),
        idempotency: None,
    };
    let mut tx = a.begin().await.unwrap();
    orders::insert_new_orders(&mut tx, std::slice::from_ref(&rows))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // Later changes, each as the counter writes it: the state, a void, a transition, a
    // payment, an answered cancel request.
    let mut line = line;
    if let Some(reason) = void_reason {
        line.line.voided = true;
        line.line.void_reason = Some(reason);
        line.voided_at = Some(dysa_appliance::store::now_text());
        line.updated_at = a.tick();
    }
    let mut next = state;
    next.status = OrderStatus::Confirmed;
    let second = orders::TransitionRow {
        id: uuid::Uuid::now_v7(),
        order_id: id,
        transition: Transition {
            from: Some(OrderStatus::Pending),
            to: OrderStatus::Confirmed,
            reason: None,
            by_user: None,
            at: dysa_appliance::store::now_text(),
        },
        updated_at: a.tick(),
    };
    let (method, amount, reference) = c.payment.clone();
    let payment = Payment {
        id: PaymentId::new(),
        order_id: id,
        method: [
            PaymentMethod::Cash,
            PaymentMethod::Debit,
            PaymentMethod::Credit,
            PaymentMethod::Transfer,
            PaymentMethod::MercadoPago,
        ][method],
        amount: Clp(amount),
        tip: Clp(tip.min(amount)),
        received: (method == 0).then_some(Clp(amount + 1_000)),
        change: (method == 0).then_some(Clp(1_000)),
        refund_of: None,
        reference,
        created_by: None,
        created_at: dysa_appliance::store::now_text(),
        bill: None,
        bill_lines: None,
    };
    let cancel_request = c.cancel_request.clone().map(|reason| CancelRequest {
        id: uuid::Uuid::now_v7().to_string(),
        reason,
        requested_by: "Dueña".into(),
        requested_at: dysa_appliance::store::now_text(),
        outcome: Some(CancelOutcome::Refused),
        resolved_by: Some("Caja 1".into()),
        resolved_at: Some(dysa_appliance::store::now_text()),
        note: Some("ya salió de cocina".into()),
    });
    let state_hlc = a.tick();
    let mut tx = a.begin().await.unwrap();
    orders::save_line(&mut tx, &line).await.unwrap();
    orders::update_state(&mut tx, id, &next, state_hlc)
        .await
        .unwrap();
    orders::insert_transition(&mut tx, &second).await.unwrap();
    orders::insert_payment(&mut tx, &payment, a.tick())
        .await
        .unwrap();
    let mut order = OrderRow {
        state: next,
        updated_at: state_hlc,
        ..rows.row
    }
    .synced();
    if let Some(request) = &cancel_request {
        let hlc = a.tick();
        orders::set_cancel_request(&mut tx, id, request, hlc)
            .await
            .unwrap();
        order.updated_at = hlc;
    }
    order.cancel_request = cancel_request;
    tx.commit().await.unwrap();

    let (name, phone, party_size, notes, status, hours) = c.booking.clone();
    let starts_at = jiff::Timestamp::from_second(1_796_000_000 + hours * 3_600).unwrap();
    let booking = ReservationRecord {
        id: ReservationId::new(),
        customer_id: Some(customer.id),
        name,
        phone: phone.then(|| format!("+5698{:07}", n)),
        party_size,
        starts_at,
        ends_at: starts_at + jiff::SignedDuration::from_mins(90),
        duration_minutes: 90,
        table_id: table.id,
        status: [
            ReservationStatus::Booked,
            ReservationStatus::Confirmed,
            ReservationStatus::Seated,
            ReservationStatus::Completed,
            ReservationStatus::NoShow,
            ReservationStatus::Cancelled,
        ][status],
        channel: "counter".into(),
        notes,
        cancel_reason: None,
        created_by: None,
        created_at: dysa_appliance::store::now_text(),
        updated_at: a.tick(),
    };
    let mut tx = a.begin().await.unwrap();
    reservations::save(&mut tx, &booking).await.unwrap();
    tx.commit().await.unwrap();
    WrittenOrder {
        order,
        line,
        transitions: vec![first, second],
        payment,
        booking,
    }
}

/// Orders with their lines, transitions and payments, and bookings: written at one
/// counter by its store, pushed, projected, pulled and applied by a second counter, which
/// then reads every field as the first wrote it.
#[sqlx::test(migrations = false)]
async fn orders_and_bookings_arrive_equal_at_another_counter(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    use dysa_appliance::store::{orders, reservations};
    let Counters {
        app,
        tenant: _,
        token_a,
        token_b,
        a,
        b,
        _dir,
    } = counters(owner, "pedidos-y-vuelta").await;
    let mut runner = TestRunner::new(Config::with_cases(CASES));
    let (menu_cases, order_cases) = (case(), order_case());
    let mut cursor = 0;
    for n in 0..CASES {
        let m = menu_cases.new_tree(&mut runner).unwrap().current();
        let c = order_cases.new_tree(&mut runner).unwrap().current();
        let (_, _, item, customer, table) = write_case(&a, n, &m).await;
        let w = write_order_case(&a, n, &c, &item, &customer, &table).await;

        push_outbox(&app, &token_a, &a).await;
        assert_projected(&app, &w.order).await;
        assert_projected_as(&app, &w.line, Some("line"), &[], &["voided"]).await;
        for t in &w.transitions {
            let renamed = [("from", "from_status"), ("to", "to_status")];
            assert_projected_as(&app, t, Some("transition"), &renamed, &["by_user", "at"]).await;
        }
        assert_projected(&app, &w.payment).await;
        let booking = w.booking.synced();
        let renamed = [("name", "customer_name"), ("channel", "source")];
        assert_projected_as(&app, &booking, None, &renamed, &[]).await;
        cursor = pull_into(&app, &token_b, &b, cursor).await;

        let case = format!("case {n}: {c:?}");
        let load = |db: &Db| {
            let pool = db.read.clone();
            let id = w.order.id;
            async move {
                let mut conn = pool.acquire().await.unwrap();
                orders::load(&mut conn, id).await.unwrap().unwrap()
            }
        };
        let (here, there) = (load(&a).await, load(&b).await);
        assert_eq!(
            serde_json::to_value(&there).unwrap(),
            serde_json::to_value(&here).unwrap(),
            "{case}"
        );
        // And what the first counter holds is what it meant to write.
        assert_eq!(there.status, w.order.status, "{case}");
        assert_eq!(there.cancel_request, w.order.cancel_request, "{case}");
        assert_eq!(there.covers, w.order.covers, "{case}");
        assert_eq!(there.lines, vec![w.line.line.clone()], "{case}");
        assert_eq!(there.transitions.len(), 2, "{case}");
        assert_eq!(
            orders::payments_of(&b.read, w.order.id).await.unwrap(),
            orders::payments_of(&a.read, w.order.id).await.unwrap(),
            "{case}"
        );
        let (here, there) = (
            reservations::find(&a.read, w.booking.id).await.unwrap(),
            reservations::find(&b.read, w.booking.id).await.unwrap(),
        );
        assert_eq!(
            serde_json::to_value(there).unwrap(),
            serde_json::to_value(&w.booking).unwrap(),
            "{case}"
        );
        assert_eq!(
            serde_json::to_value(here).unwrap(),
            serde_json::to_value(&w.booking).unwrap(),
            "{case}"
        );
    }
}

/// A staff account, a setting and an audit event: written at one counter, projected by
/// the cloud (the account without its sealed secret), applied by a second counter of the
/// location (which opens the seal with the location key) and read back equal.
#[sqlx::test(migrations = false)]
async fn staff_settings_and_audit_arrive_equal_at_another_counter(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    use dysa_appliance::store::audit::{self, AuditFilter};
    use dysa_appliance::store::{settings, users};
    use dysa_appliance::sync::location_key::LocationKey;
    use dysa_domain::audit::AuditAction;
    use dysa_domain::rbac::Role;
    use dysa_domain::sync::rows::{AuditEvent, User};
    let Counters {
        app,
        tenant,
        token_a,
        token_b,
        a,
        b,
        _dir,
    } = counters(owner, "equipo-y-vuelta").await;
    let key = std::sync::Arc::new(LocationKey::generate());

    let mut account = users::new_record(
        "Ana Pérez",
        "Ana@Donde-Pepe.cl",
        Role::Waiter,
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        Some("$argon2id$v=19$m=19456,t=2,p=1$cGlu$cGlu".into()),
        a.tick(),
    );
    let mut tx = a.begin().await.unwrap();
    users::save(&mut tx, &account, &key).await.unwrap();
    tx.commit().await.unwrap();
    // An edit: a new role and the account deactivated, sealed anew.
    account.role = Role::Manager;
    account.active = false;
    account.updated_at = a.tick();
    let value = json!({ "es": "Donde Pepe", "horario": [12, 23], "propina": 0.1 });
    let event = AuditEvent {
        id: uuid::Uuid::now_v7(),
        at: dysa_appliance::store::now_text(),
        actor_id: Some(account.id),
        actor_name: Some(account.name.clone()),
        device_id: uuid::Uuid::now_v7().to_string(),
        client: Some("panel".into()),
        action: AuditAction::SignIn,
        subject_type: "user".into(),
        subject_id: Some(account.id.to_string()),
        before: None,
        after: Some(json!({ "role": "manager" })),
    };
    let mut tx = a.begin().await.unwrap();
    users::save(&mut tx, &account, &key).await.unwrap();
    settings::put(&mut tx, "restaurant.name", &value, a.tick())
        .await
        .unwrap();
    audit::record(&mut tx, &event, a.tick()).await.unwrap();
    tx.commit().await.unwrap();

    push_outbox(&app, &token_a, &a).await;
    let wire = User {
        id: account.id,
        name: account.name.clone(),
        email: account.email.clone(),
        role: account.role,
        active: account.active,
        created_at: account.created_at.clone(),
        updated_at: account.updated_at,
        credentials: None,
    };
    assert_projected(&app, &wire).await;
    assert_projected_as(&app, &event, None, &[], &["at"]).await;
    let mut conn = app.owner_conn().await;
    let held: Value = sqlx::query_scalar(
        "SELECT value FROM location_settings WHERE location_id = $1::uuid AND key = $2",
    )
    .bind(&tenant.location_id)
    .bind("restaurant.name")
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(held, value, "setting.value projected");

    pull_with_key(&app, &token_b, &b, 0, Some(key)).await;
    assert_eq!(
        users::find(&b.read, account.id).await.unwrap(),
        Some(account.clone())
    );
    assert_eq!(
        settings::get(&b.read, "restaurant.name").await.unwrap(),
        Some(value)
    );
    let filter = AuditFilter {
        from: None,
        to: None,
        actor_id: None,
        action: None,
        subject_type: None,
        subject_id: Some(account.id.to_string()),
        limit: 10,
        offset: 0,
    };
    let (events, _) = audit::list(&b.read, &filter).await.unwrap();
    assert_eq!(events, vec![event]);
}

/// One generated conversation: its language, the messages before the assistant's turn
/// (staff or diner, with or without an intent), the reply, a word of the draft, and whether
/// the turn hands it to staff.
type ConversationCase = (bool, Vec<(bool, String, bool)>, String, String, bool);

fn conversation_case() -> impl Strategy<Value = ConversationCase> {
    (
        any::<bool>(),
        proptest::collection::vec((any::<bool>(), text(300), any::<bool>()), 1..5),
        text(600),
        text(40),
        any::<bool>(),
    )
}

/// Conversations and their messages (issue 20), written at one counter through the
/// store the assistant uses, are projected by the cloud with their texts, intents and
/// drafts sealed, and arrive equal at the other counter; a message, once written, cannot
/// be edited by a push (append-only).
#[sqlx::test(migrations = false)]
async fn conversations_arrive_equal_at_another_counter(_: PgPoolOptions, owner: PgConnectOptions) {
    use dysa_appliance::store::conversations::{
        self as chats, ConversationChannel, ConversationStatus, MessageRole,
    };
    use dysa_domain::ids::UserId;
    use dysa_domain::validate::Lang;
    let Counters {
        app,
        tenant: _,
        token_a,
        token_b,
        a,
        b,
        _dir,
    } = counters(owner, "charla-y-vuelta").await;
    let mut runner = TestRunner::new(Config::with_cases(CASES));
    let strategy = conversation_case();
    let mut cursor = 0;
    for n in 0..CASES {
        let (english, messages, reply, dish, handoff) =
            strategy.new_tree(&mut runner).unwrap().current();
        let lang = if english { Lang::En } else { Lang::Es };
        let channel = [
            ConversationChannel::Panel,
            ConversationChannel::Widget,
            ConversationChannel::Whatsapp,
        ][n as usize % 3];
        let started = chats::create(&a, channel, lang, None, Some(UserId::new()))
            .await
            .unwrap();
        for (staff, text, read) in &messages {
            let role = if *staff {
                MessageRole::Staff
            } else {
                MessageRole::Diner
            };
            let intent = read.then(|| json!({"intent": "order", "source": "rules", "n": n}));
            chats::add_message(&a, started.id, role, text, intent.as_ref())
                .await
                .unwrap();
        }
        let draft = json!({"lines": [{"name": dish, "quantity": 2}], "takeaway": english});
        chats::finish_turn(
            &a,
            started.id,
            &reply,
            &json!({"intent": "order", "source": "model"}),
            &draft,
            lang,
            handoff,
        )
        .await
        .unwrap();
        if n % 4 == 3 {
            chats::set_status(&a, started.id, ConversationStatus::Closed)
                .await
                .unwrap();
        }

        push_outbox(&app, &token_a, &a).await;
        let held = chats::record(&a.read, started.id).await.unwrap().unwrap();
        assert_eq!(held.draft, draft);
        let written = chats::message_records(&a.read, started.id).await.unwrap();
        assert_eq!(written.len(), messages.len() + 1);
        assert_projected(&app, &held).await;
        for m in &written {
            assert_projected(&app, m).await;
        }
        cursor = pull_into(&app, &token_b, &b, cursor).await;
        let case = format!("case {n}");
        assert_eq!(
            chats::record(&b.read, started.id).await.unwrap(),
            Some(held),
            "{case}"
        );
        assert_eq!(
            chats::message_records(&b.read, started.id).await.unwrap(),
            written,
            "{case}"
        );
        // The list a panel shows on the second counter has it too, with its messages.
        assert_eq!(
            chats::messages(&b.read, started.id, 100)
                .await
                .unwrap()
                .len(),
            written.len(),
            "{case}"
        );
    }
    // A message is a fact: a push that edits one is refused.
    let first = chats::list(&a.read, None, None, 1, 0).await.unwrap().0;
    let message = &chats::message_records(&a.read, first[0].id).await.unwrap()[0];
    let mut edit = serde_json::to_value(message).unwrap();
    edit["text"] = json!("otra cosa");
    let results = push(
        &app,
        &token_a,
        vec![json!({
            "mutation_id": uuid::Uuid::now_v7(), "entity": "conversation_message",
            "entity_id": message.id, "op": "upsert", "payload": edit,
            "hlc": a.tick().to_string(),
        })],
    )
    .await;
    assert_eq!(results[0]["outcome"], "rejected", "{:?}", results[0]);
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&b.read)
        .await
        .unwrap();
    assert_eq!(pending, 0, "applying never writes the outbox");
}

/// The cloud forgets conversations silent for longer than the privacy page's retention,
/// with their messages, in `sync_rows` and the typed tables; newer ones stay.
#[sqlx::test(migrations = false)]
async fn conversations_past_their_retention_are_purged(_: PgPoolOptions, owner: PgConnectOptions) {
    use dysa_appliance::store::conversations::{self as chats, ConversationChannel, MessageRole};
    use dysa_domain::validate::Lang;
    let Counters {
        app,
        tenant: _,
        token_a,
        token_b: _,
        a,
        b: _,
        _dir,
    } = counters(owner, "charla-vieja").await;
    let old = chats::create(&a, ConversationChannel::Panel, Lang::Es, None, None)
        .await
        .unwrap();
    chats::add_message(&a, old.id, MessageRole::Diner, "Hola", None)
        .await
        .unwrap();
    push_outbox(&app, &token_a, &a).await;
    // Its rows were last written 91 days ago (by the cloud's reading of their HLCs).
    let mut conn = app.owner_conn().await;
    sqlx::query(
        "UPDATE sync_rows SET hlc = lpad(((extract(epoch FROM now() - interval '91 days')
                                           * 1000)::bigint)::text, 15, '0')
                              || '-000000-0000000000000001'
         WHERE entity IN ('conversation', 'conversation_message')",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let fresh = chats::create(&a, ConversationChannel::Panel, Lang::Es, None, None)
        .await
        .unwrap();
    chats::add_message(&a, fresh.id, MessageRole::Diner, "¿Abren hoy?", None)
        .await
        .unwrap();
    push_outbox(&app, &token_a, &a).await;

    let gone = dysa_cloud::retention::purge_conversations(&app.state.db, 90)
        .await
        .unwrap();
    assert_eq!(gone, 1);
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT entity, entity_id FROM sync_rows WHERE entity LIKE 'conversation%'")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|(_, id)| id != &old.id.to_string()));
    let typed: i64 = sqlx::query_scalar("SELECT count(*) FROM conversations")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(typed, 1);
    let typed: i64 = sqlx::query_scalar("SELECT count(*) FROM conversation_messages")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(typed, 1);
}
