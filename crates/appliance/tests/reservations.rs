//! Reservations: booking, hours, capacity (also under concurrent requests), status
//! changes, moves, free slots across a day and across Chile's DST changes, the outbox.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::{Reply, TestApp};
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};
use serde_json::{Value, json};
use std::sync::Arc;

fn santiago() -> TimeZone {
    TimeZone::get("America/Santiago").unwrap()
}

fn today() -> Date {
    Timestamp::now().to_zoned(santiago()).date()
}

/// The first `weekday` at least `min_days` from today (a date always in the future).
fn next(weekday: Weekday, min_days: i64) -> Date {
    let mut day = today().checked_add(Span::new().days(min_days)).unwrap();
    while day.weekday() != weekday {
        day = day.tomorrow().unwrap();
    }
    day
}

/// RFC 3339 of a local wall-clock time in Santiago (`19:30`).
fn at(date: Date, hm: &str) -> String {
    let (h, m) = hm.split_once(':').unwrap();
    date.at(h.parse().unwrap(), m.parse().unwrap(), 0, 0)
        .to_zoned(santiago())
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

fn instant(text: &str) -> Timestamp {
    text.parse().unwrap()
}

async fn insert_table(app: &TestApp, name: &str, seats: i64) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO dining_tables (id, name, seats, position, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(name)
    .bind(seats)
    .bind(seats)
    .bind("2026-01-01T00:00:00Z")
    .bind(app.state.db.tick().to_string())
    .execute(&app.state.db.write)
    .await
    .unwrap();
    id
}

async fn book(app: &TestApp, token: &str, body: Value) -> Reply {
    app.post("/api/v1/reservations", body, token).await
}

async fn booked(app: &TestApp, token: &str, body: Value) -> Value {
    let reply = book(app, token, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body
}

async fn settings(app: &TestApp, token: &str, body: Value) {
    let reply = app.patch("/api/v1/settings", body, token).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

async fn set_status(app: &TestApp, token: &str, id: &str, body: Value) -> Reply {
    app.post(&format!("/api/v1/reservations/{id}/status"), body, token)
        .await
}

/// Outbox rows of one reservation: (op, payload).
async fn outbox(app: &TestApp, id: &str) -> Vec<(String, Value)> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT op, payload FROM outbox WHERE entity = 'reservation' AND entity_id = ? ORDER BY seq",
    )
    .bind(id)
    .fetch_all(&app.state.db.read)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(op, payload)| (op, serde_json::from_str(&payload).unwrap()))
        .collect()
}

#[tokio::test]
async fn books_the_smallest_free_table_and_links_the_customer() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let two = insert_table(&app, "M1", 2).await;
    let four = insert_table(&app, "M2", 4).await;
    let six = insert_table(&app, "M3", 6).await;
    let customer = app
        .post(
            "/api/v1/customers",
            json!({ "name": "Ana Muñoz", "phone": "+56 9 8765 4321" }),
            &admin,
        )
        .await;
    let customer_id = customer.body["id"].as_str().unwrap().to_owned();
    let day = next(Weekday::Friday, 7);
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;

    let body = booked(
        &app,
        &waiter,
        json!({ "name": "Ana", "phone": "9 8765 4321", "party_size": 3, "starts_at": at(day, "20:00"), "notes": "Cumpleaños" }),
    )
    .await;
    let id = body["id"].as_str().unwrap().to_owned();
    assert_eq!(body["table_id"], four, "smallest table that seats 3");
    assert_eq!(body["status"], "booked");
    assert_eq!(body["party_size"], 3);
    assert_eq!(body["duration_minutes"], 90, "the restaurant's default");
    assert_eq!(body["phone"], "+56987654321");
    assert_eq!(body["customer_id"], customer_id.as_str(), "linked by phone");
    assert_eq!(body["local_time"], "20:00");
    assert_eq!(body["local_date"], day.to_string());
    assert_eq!(body["channel"], "counter");
    let starts = instant(body["starts_at"].as_str().unwrap());
    assert_eq!(starts, instant(&at(day, "20:00")));
    assert_eq!(
        instant(body["ends_at"].as_str().unwrap()),
        starts + SignedDuration::from_mins(90)
    );

    // The same slot again: the 4-top is taken, so the 6-top.
    let second = booked(
        &app,
        &admin,
        json!({ "name": "Pedro", "phone": "912345678", "party_size": 4, "starts_at": at(day, "20:30"), "duration_minutes": 120 }),
    )
    .await;
    assert_eq!(second["table_id"], six);
    assert_eq!(second["customer_id"], Value::Null);
    // A couple takes the 2-top.
    let third = booked(
        &app,
        &admin,
        json!({ "name": "Luis", "phone": "911112222", "party_size": 2, "starts_at": at(day, "20:00"), "customer_id": customer_id }),
    )
    .await;
    assert_eq!(third["table_id"], two);
    assert_eq!(third["customer_id"], customer_id.as_str());

    let one = app
        .get(&format!("/api/v1/reservations/{id}"), &waiter)
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["notes"], "Cumpleaños");
    let day_list = app
        .get(&format!("/api/v1/reservations?date={day}"), &waiter)
        .await;
    assert_eq!(day_list.status, StatusCode::OK);
    let listed: Vec<&str> = day_list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[2], "Pedro", "by start time");
    let by_table = app
        .get(
            &format!("/api/v1/reservations?date={day}&table_id={six}"),
            &admin,
        )
        .await;
    assert_eq!(by_table.body.as_array().unwrap().len(), 1);
    let by_status = app
        .get(
            &format!("/api/v1/reservations?date={day}&status=confirmed"),
            &admin,
        )
        .await;
    assert_eq!(by_status.body.as_array().unwrap().len(), 0);
    let other_day = app
        .get(
            &format!("/api/v1/reservations?date={}", day.tomorrow().unwrap()),
            &admin,
        )
        .await;
    assert_eq!(other_day.body.as_array().unwrap().len(), 0);
    assert_eq!(
        app.get("/api/v1/reservations", &admin).await.status,
        StatusCode::OK,
        "today by default"
    );
    for bad in [
        "date=2026-02-30",
        "date=ma%C3%B1ana",
        "status=maybe",
        "table_id=7",
    ] {
        let reply = app
            .get(&format!("/api/v1/reservations?{bad}"), &admin)
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }

    let rows = outbox(&app, &id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "upsert");
    assert_eq!(rows[0].1["status"], "booked");
    assert_eq!(rows[0].1["table_id"], four);

    // A customer id that does not exist.
    let ghost = book(
        &app,
        &admin,
        json!({ "name": "X", "phone": "933334444", "party_size": 2, "starts_at": at(day, "13:00"), "customer_id": uuid::Uuid::now_v7() }),
    )
    .await;
    assert_eq!(ghost.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(ghost.body["error"]["fields"]["customer_id"].is_string());
    // Missing and malformed fields.
    let bad = book(
        &app,
        &admin,
        json!({ "name": "", "phone": "123", "party_size": 0, "starts_at": "viernes 8pm", "duration_minutes": 5 }),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &bad.body["error"]["fields"];
    for field in [
        "name",
        "phone",
        "party_size",
        "starts_at",
        "duration_minutes",
    ] {
        assert!(fields[field].is_string(), "{field}: {fields:?}");
    }
    let missing = book(&app, &admin, json!({ "name": "X" })).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM reservations")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(count, 3, "nothing half-written");
}

#[tokio::test]
async fn closed_hours_and_past_times_are_refused() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    insert_table(&app, "M1", 4).await;
    settings(
        &app,
        &admin,
        json!({ "opening_hours": { "friday": [{ "open": "12:00", "close": "16:00" }, { "open": "19:00", "close": "23:30" }] } }),
    )
    .await;
    let friday = next(Weekday::Friday, 7);
    let reserve = |starts: String| json!({ "name": "Ana", "phone": "987654321", "party_size": 2, "starts_at": starts });

    let between = book(&app, &admin, reserve(at(friday, "17:00"))).await;
    assert_eq!(between.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(between.code(), "outside_opening_hours");
    let message = between.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("12:00–16:00") && message.contains("19:00–23:30"),
        "{message}"
    );
    assert!(message.contains("viernes"), "{message}");
    assert_eq!(between.body["error"]["details"]["weekday"], "friday");
    assert_eq!(
        between.body["error"]["details"]["opening_hours"][0]["open"],
        "12:00"
    );
    // Starts inside, ends after the close (15:00 + 90 min > 16:00).
    let overruns = book(&app, &admin, reserve(at(friday, "15:00"))).await;
    assert_eq!(overruns.code(), "outside_opening_hours");
    assert_eq!(overruns.body["error"]["details"]["ends_at_local"], "16:30");
    // English on request.
    let english = app
        .send(
            axum::http::Request::post("/api/v1/reservations")
                .header("host", "127.0.0.1:7001")
                .header("authorization", format!("Bearer {admin}"))
                .header("content-type", "application/json")
                .header("accept-language", "en-US,en;q=0.9")
                .body(axum::body::Body::from(
                    reserve(at(friday, "17:00")).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert!(
        english.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Friday"),
        "{:?}",
        english.body
    );
    // A closed day names it.
    let saturday = next(Weekday::Saturday, 7);
    let closed = book(&app, &admin, reserve(at(saturday, "20:00"))).await;
    assert_eq!(closed.code(), "outside_opening_hours");
    assert!(
        closed.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cerrado")
    );
    // Inside the hours, to the minute.
    let fits = book(&app, &admin, reserve(at(friday, "14:30"))).await;
    assert_eq!(fits.status, StatusCode::CREATED, "{:?}", fits.body);
    // Without an offset the time is the restaurant's wall clock.
    let late = book(&app, &admin, reserve(format!("{friday}T22:00"))).await;
    assert_eq!(late.status, StatusCode::CREATED, "{:?}", late.body);
    assert_eq!(late.body["local_time"], "22:00");
    assert_eq!(
        instant(late.body["starts_at"].as_str().unwrap()),
        instant(&at(friday, "22:00"))
    );

    // The past, even within opening hours.
    let yesterday = Timestamp::now() - SignedDuration::from_hours(24);
    let past = book(&app, &admin, reserve(yesterday.to_string())).await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        past.body["error"]["fields"]["starts_at"]
            .as_str()
            .unwrap()
            .contains("pasó")
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM reservations")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(count, 2);
}

#[tokio::test]
async fn capacity_errors_are_precise() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let two = insert_table(&app, "M1", 2).await;
    let six = insert_table(&app, "M2", 6).await;
    let retired = insert_table(&app, "M9", 10).await;
    sqlx::query("UPDATE dining_tables SET active = 0 WHERE id = ?")
        .bind(&retired)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let day = next(Weekday::Tuesday, 7);
    let party = |size: u32, table: Option<&str>, hm: &str| {
        let mut body = json!({ "name": "Grupo", "phone": "987654321", "party_size": size, "starts_at": at(day, hm) });
        if let Some(table) = table {
            body["table_id"] = json!(table);
        }
        body
    };

    let too_large = book(&app, &admin, party(8, None, "20:00")).await;
    assert_eq!(too_large.status, StatusCode::CONFLICT);
    assert_eq!(too_large.code(), "party_too_large");
    assert_eq!(too_large.body["error"]["details"]["largest_table"], 6);
    let too_small = book(&app, &admin, party(3, Some(&two), "20:00")).await;
    assert_eq!(too_small.status, StatusCode::CONFLICT);
    assert_eq!(too_small.code(), "table_too_small");
    assert_eq!(too_small.body["error"]["details"]["seats"], 2);
    let inactive = book(&app, &admin, party(3, Some(&retired), "20:00")).await;
    assert_eq!(inactive.code(), "table_inactive");
    let unknown = book(
        &app,
        &admin,
        party(3, Some(&uuid::Uuid::now_v7().to_string()), "20:00"),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body["error"]["fields"]["table_id"].is_string());
    let hundred_one = book(&app, &admin, party(101, None, "20:00")).await;
    assert_eq!(hundred_one.status, StatusCode::UNPROCESSABLE_ENTITY);

    let first = booked(&app, &admin, party(5, None, "20:00")).await;
    assert_eq!(first["table_id"], six);
    let taken = book(&app, &admin, party(4, Some(&six), "21:00")).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.code(), "table_taken");
    assert!(
        taken.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("20:00 a 21:30"),
        "local times: {:?}",
        taken.body
    );
    let none_free = book(&app, &admin, party(3, None, "19:00")).await;
    assert_eq!(none_free.code(), "no_table_free");
    // Half-open intervals: a booking may start exactly when the previous one ends.
    let after = booked(&app, &admin, party(6, None, "21:30")).await;
    assert_eq!(after["table_id"], six);
    let before = booked(&app, &admin, party(6, Some(&six), "18:30")).await;
    assert_eq!(before["table_id"], six);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_parallel_requests_for_the_only_table_book_it_once() {
    let app = Arc::new(TestApp::new().await);
    let admin = app.setup().await;
    insert_table(&app, "M1", 2).await;
    insert_table(&app, "M2", 4).await;
    let six = insert_table(&app, "M3", 6).await;
    let day = next(Weekday::Saturday, 7);

    // Twenty parties of 5 at overlapping times: only the 6-top seats them.
    let starts = ["20:00", "20:15", "20:30", "20:45"];
    let mut tasks = Vec::new();
    for i in 0..20 {
        let app = Arc::clone(&app);
        let admin = admin.clone();
        let body = json!({ "name": format!("Grupo {i}"), "phone": format!("9 8765 43{i:02}"), "party_size": 5, "starts_at": at(day, starts[i % 4]) });
        tasks.push(tokio::spawn(async move {
            app.post("/api/v1/reservations", body, &admin).await
        }));
    }
    let mut created = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        match reply.status {
            StatusCode::CREATED => {
                created += 1;
                assert_eq!(reply.body["table_id"], six);
            }
            StatusCode::CONFLICT => assert_eq!(reply.code(), "no_table_free", "{:?}", reply.body),
            other => panic!("unexpected {other}: {:?}", reply.body),
        }
    }
    assert_eq!(created, 1, "exactly one booking of the 6-top");

    // Twenty asking for that very table by id at lunch.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let app = Arc::clone(&app);
        let admin = admin.clone();
        let body = json!({ "name": format!("Mesa {i}"), "phone": "987650000", "party_size": 2, "table_id": six, "starts_at": at(day, "13:00") });
        tasks.push(tokio::spawn(async move {
            app.post("/api/v1/reservations", body, &admin).await
        }));
    }
    let mut created = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        match reply.status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => assert_eq!(reply.code(), "table_taken"),
            other => panic!("unexpected {other}: {:?}", reply.body),
        }
    }
    assert_eq!(created, 1);

    // The stored rows never overlap on a table, and never exceed its seats.
    let overlaps: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM reservations a JOIN reservations b
           ON a.table_id = b.table_id AND a.id < b.id
          AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at",
    )
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(overlaps, 0);
    let oversized: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM reservations r JOIN dining_tables t ON t.id = r.table_id
          WHERE r.party_size > t.seats",
    )
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(oversized, 0);
    let outbox_rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox WHERE entity = 'reservation'")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(outbox_rows, 2, "refused requests left no outbox row");
}

#[tokio::test]
async fn status_moves_forward_only_and_cancel_keeps_the_reason() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let table = insert_table(&app, "M1", 4).await;
    let day = next(Weekday::Wednesday, 7);
    let reserve = |hm: &str| json!({ "name": "Ana", "phone": "987654321", "party_size": 2, "starts_at": at(day, hm) });
    let first = booked(&app, &admin, reserve("13:00")).await;
    let id = first["id"].as_str().unwrap().to_owned();

    for status in ["confirmed", "seated", "completed"] {
        let reply = set_status(&app, &admin, &id, json!({ "status": status })).await;
        assert_eq!(reply.status, StatusCode::OK, "{status}: {:?}", reply.body);
        assert_eq!(reply.body["status"], status);
    }
    let reopen = set_status(&app, &admin, &id, json!({ "status": "cancelled" })).await;
    assert_eq!(reopen.status, StatusCode::CONFLICT);
    assert_eq!(reopen.code(), "illegal_transition");
    assert_eq!(reopen.body["error"]["details"]["from"], "completed");
    let statuses: Vec<String> = outbox(&app, &id)
        .await
        .into_iter()
        .map(|(_, p)| p["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, ["booked", "confirmed", "seated", "completed"]);

    let second = booked(&app, &admin, reserve("17:00")).await;
    let id2 = second["id"].as_str().unwrap().to_owned();
    assert_eq!(
        set_status(&app, &admin, &id2, json!({ "status": "seated" }))
            .await
            .status,
        StatusCode::OK,
        "an unconfirmed party that shows up is seated"
    );
    let back = set_status(&app, &admin, &id2, json!({ "status": "confirmed" })).await;
    assert_eq!(back.code(), "illegal_transition");
    let no_show = set_status(&app, &admin, &id2, json!({ "status": "no_show" })).await;
    assert_eq!(no_show.code(), "illegal_transition");
    assert_eq!(no_show.body["error"]["details"]["to"], "no_show");
    // The same status again changes nothing (a retried request).
    let again = set_status(&app, &admin, &id2, json!({ "status": "seated" })).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(outbox(&app, &id2).await.len(), 2);
    let bogus = set_status(&app, &admin, &id2, json!({ "status": "eaten" })).await;
    assert_eq!(bogus.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Cancelling stores the reason and frees the table.
    let third = booked(&app, &admin, reserve("20:00")).await;
    let id3 = third["id"].as_str().unwrap().to_owned();
    let blocked = book(&app, &admin, reserve("20:30")).await;
    assert_eq!(blocked.code(), "no_table_free");
    let cancelled = set_status(
        &app,
        &admin,
        &id3,
        json!({ "status": "cancelled", "reason": "Llamó para cancelar" }),
    )
    .await;
    assert_eq!(cancelled.status, StatusCode::OK);
    assert_eq!(cancelled.body["cancel_reason"], "Llamó para cancelar");
    let rows = outbox(&app, &id3).await;
    assert_eq!(
        rows.last().unwrap().1["cancel_reason"],
        "Llamó para cancelar"
    );
    let freed = booked(&app, &admin, reserve("20:30")).await;
    assert_eq!(freed["table_id"], table);

    // Waiters book but do not change status.
    let (_, waiter) = app.user_with_role(&admin, "waiter").await;
    let refused = set_status(&app, &waiter, &id3, json!({ "status": "confirmed" })).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let missing = set_status(
        &app,
        &admin,
        &uuid::Uuid::now_v7().to_string(),
        json!({ "status": "confirmed" }),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn moving_a_reservation_rechecks_capacity_without_counting_itself() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    let two = insert_table(&app, "M1", 2).await;
    let four = insert_table(&app, "M2", 4).await;
    let day = next(Weekday::Thursday, 7);
    let reserve = |size: u32, hm: &str| json!({ "name": "Ana", "phone": "987654321", "party_size": size, "starts_at": at(day, hm) });
    let mine = booked(&app, &admin, reserve(2, "20:00")).await;
    let id = mine["id"].as_str().unwrap().to_owned();
    assert_eq!(mine["table_id"], two);
    let path = format!("/api/v1/reservations/{id}");

    // Thirty minutes later overlaps only itself: same table.
    let later = app
        .patch(&path, json!({ "starts_at": at(day, "20:30") }), &admin)
        .await;
    assert_eq!(later.status, StatusCode::OK, "{:?}", later.body);
    assert_eq!(later.body["table_id"], two);
    assert_eq!(later.body["local_time"], "20:30");
    // Party of 4: the 2-top is too small, so it moves to the 4-top.
    let bigger = app
        .patch(
            &path,
            json!({ "party_size": 4, "name": "Ana y amigos" }),
            &admin,
        )
        .await;
    assert_eq!(bigger.status, StatusCode::OK, "{:?}", bigger.body);
    assert_eq!(bigger.body["table_id"], four);
    assert_eq!(bigger.body["name"], "Ana y amigos");
    // Someone else takes the 2-top at 21:00; asking for it explicitly is refused.
    booked(&app, &admin, reserve(2, "21:00")).await;
    let onto_taken = app
        .patch(&path, json!({ "party_size": 2, "table_id": two }), &admin)
        .await;
    assert_eq!(onto_taken.status, StatusCode::CONFLICT);
    assert_eq!(onto_taken.code(), "table_taken");
    let too_many = app.patch(&path, json!({ "party_size": 7 }), &admin).await;
    assert_eq!(too_many.code(), "party_too_large");
    let closed = app
        .patch(&path, json!({ "starts_at": at(day, "22:30") }), &admin)
        .await;
    assert_eq!(closed.code(), "outside_opening_hours");
    let notes = app
        .patch(
            &path,
            json!({ "notes": "Silla de bebé", "phone": "+56 9 1111 2222" }),
            &admin,
        )
        .await;
    assert_eq!(notes.body["notes"], "Silla de bebé");
    assert_eq!(notes.body["phone"], "+56911112222");
    assert_eq!(notes.body["table_id"], four, "unchanged");
    let cleared = app.patch(&path, json!({ "notes": null }), &admin).await;
    assert_eq!(cleared.body["notes"], Value::Null);
    let nothing = app.patch(&path, json!({}), &admin).await;
    assert_eq!(nothing.status, StatusCode::OK);
    // booked + 4 changes (time, party, notes/phone, notes cleared); refusals and the
    // empty change wrote nothing.
    assert_eq!(outbox(&app, &id).await.len(), 5);

    set_status(&app, &admin, &id, json!({ "status": "seated" })).await;
    let seated = app.patch(&path, json!({ "party_size": 3 }), &admin).await;
    assert_eq!(seated.status, StatusCode::CONFLICT);
    assert_eq!(seated.code(), "reservation_not_editable");
    let unknown = app
        .patch(
            &format!("/api/v1/reservations/{}", uuid::Uuid::now_v7()),
            json!({ "party_size": 3 }),
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

fn slot_times(reply: &Reply) -> Vec<String> {
    reply.body["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["local_time"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn availability_lists_free_slots_across_a_day() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    insert_table(&app, "M1", 2).await;
    let four = insert_table(&app, "M2", 4).await;
    settings(
        &app,
        &admin,
        json!({
            "opening_hours": { "friday": [{ "open": "12:00", "close": "16:00" }, { "open": "19:00", "close": "23:00" }] },
            "reservation_slot_minutes": 30,
        }),
    )
    .await;
    let friday = next(Weekday::Friday, 7);
    let url = |query: &str| format!("/api/v1/reservations/availability?{query}");

    let empty = app
        .get(&url(&format!("date={friday}&party_size=3")), &admin)
        .await;
    assert_eq!(empty.status, StatusCode::OK, "{:?}", empty.body);
    assert_eq!(empty.body["date"], friday.to_string());
    assert_eq!(empty.body["party_size"], 3);
    assert_eq!(empty.body["duration_minutes"], 90);
    assert_eq!(
        slot_times(&empty),
        [
            "12:00", "12:30", "13:00", "13:30", "14:00", "14:30", "19:00", "19:30", "20:00",
            "20:30", "21:00", "21:30"
        ]
    );
    let first = &empty.body["slots"][0];
    assert_eq!(first["tables_free"], 1, "only the 4-top seats 3");
    assert_eq!(first["utc_offset"], "-03:00");
    assert_eq!(
        instant(first["starts_at"].as_str().unwrap()),
        instant(&at(friday, "12:00"))
    );

    booked(
        &app,
        &admin,
        json!({ "name": "Ana", "phone": "987654321", "party_size": 4, "starts_at": at(friday, "20:00") }),
    )
    .await;
    let after = app
        .get(&url(&format!("date={friday}&party_size=3")), &admin)
        .await;
    assert_eq!(
        slot_times(&after),
        [
            "12:00", "12:30", "13:00", "13:30", "14:00", "14:30", "21:30"
        ],
        "the 4-top is held 20:00–21:30"
    );
    let couples = app
        .get(&url(&format!("date={friday}&party_size=2")), &admin)
        .await;
    assert_eq!(couples.body["slots"].as_array().unwrap().len(), 12);
    let free_at = |reply: &Reply, hm: &str| {
        reply.body["slots"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["local_time"] == hm)
            .unwrap()["tables_free"]
            .clone()
    };
    assert_eq!(free_at(&couples, "12:00"), 2);
    assert_eq!(free_at(&couples, "20:00"), 1);
    let long = app
        .get(
            &url(&format!("date={friday}&party_size=2&duration_minutes=180")),
            &admin,
        )
        .await;
    assert_eq!(
        slot_times(&long),
        ["12:00", "12:30", "13:00", "19:00", "19:30", "20:00"]
    );
    assert_eq!(
        app.get(&url(&format!("date={friday}&party_size=5")), &admin)
            .await
            .body["slots"],
        json!([]),
        "no table seats 5"
    );
    let saturday = friday.tomorrow().unwrap();
    let closed = app
        .get(&url(&format!("date={saturday}&party_size=2")), &admin)
        .await;
    assert_eq!(closed.status, StatusCode::OK);
    assert_eq!(closed.body["slots"], json!([]));
    // Every listed slot can be booked.
    let slot = after.body["slots"][6]["starts_at"].as_str().unwrap();
    let taken = booked(
        &app,
        &admin,
        json!({ "name": "Luis", "phone": "911112222", "party_size": 3, "starts_at": slot }),
    )
    .await;
    assert_eq!(taken["table_id"], four);

    for bad in [
        String::new(),
        "date=2026-02-30&party_size=2".to_owned(),
        format!("date={friday}"),
        format!("date={friday}&party_size=0"),
        format!("date={friday}&party_size=101"),
        format!("date={friday}&party_size=dos"),
        format!("date={friday}&party_size=2&duration_minutes=5"),
        "party_size=2".to_owned(),
    ] {
        let reply = app.get(&url(&bad), &admin).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {:?}",
            reply.body
        );
    }
}

/// The next two DST changes of America/Santiago: (Saturday they happen after, clocks
/// go forward).
fn next_dst_changes() -> Vec<(Date, bool)> {
    let tz = santiago();
    tz.following(Timestamp::now())
        .take(2)
        .map(|t| {
            let before = tz.to_offset(t.timestamp() - SignedDuration::from_secs(1));
            let forward = t.offset() > before;
            let day = (t.timestamp() - SignedDuration::from_secs(1))
                .to_zoned(tz.clone())
                .date();
            (day, forward)
        })
        .collect()
}

#[tokio::test]
async fn dst_changes_give_sane_slots_and_bookings() {
    let app = TestApp::new().await;
    let admin = app.setup().await;
    insert_table(&app, "M1", 4).await;
    settings(
        &app,
        &admin,
        json!({
            "opening_hours": { "saturday": [{ "open": "19:00", "close": "01:00" }], "sunday": [{ "open": "12:00", "close": "16:00" }] },
            "reservation_slot_minutes": 60,
        }),
    )
    .await;
    let url = |date: Date| {
        format!("/api/v1/reservations/availability?date={date}&party_size=2&duration_minutes=60")
    };
    // 2026's changes are past now: they answer, with no slot to book.
    for date in ["2026-04-04", "2026-04-05", "2026-09-05", "2026-09-06"] {
        let reply = app.get(&url(date.parse().unwrap()), &admin).await;
        assert_eq!(reply.status, StatusCode::OK, "{date}: {:?}", reply.body);
        assert!(reply.body["slots"].is_array());
        let list = app
            .get(&format!("/api/v1/reservations?date={date}"), &admin)
            .await;
        assert_eq!(list.status, StatusCode::OK);
    }
    let changes = next_dst_changes();
    assert_eq!(changes.len(), 2);
    for (saturday, forward) in changes {
        assert_eq!(
            saturday.weekday(),
            Weekday::Saturday,
            "Chile changes at Saturday 24:00"
        );
        let reply = app.get(&url(saturday), &admin).await;
        assert_eq!(reply.status, StatusCode::OK);
        let got: Vec<String> = reply.body["slots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                format!(
                    "{}{}",
                    s["local_time"].as_str().unwrap(),
                    s["utc_offset"].as_str().unwrap()
                )
            })
            .collect();
        if forward {
            // 24:00 -04 jumps to 01:00 -03: no midnight slot, five hours of service.
            assert_eq!(
                got,
                [
                    "19:00-04:00",
                    "20:00-04:00",
                    "21:00-04:00",
                    "22:00-04:00",
                    "23:00-04:00"
                ],
                "{saturday}"
            );
        } else {
            // 24:00 -03 goes back to 23:00 -04: the repeated hour has its own slot.
            assert_eq!(
                got,
                [
                    "19:00-03:00",
                    "20:00-03:00",
                    "21:00-03:00",
                    "22:00-03:00",
                    "23:00-03:00",
                    "23:00-04:00",
                    "00:00-04:00"
                ],
                "{saturday}"
            );
            // Both 23:00s can be booked on the one table: they are an hour apart.
            for slot in &reply.body["slots"].as_array().unwrap()[4..6] {
                let body = booked(
                    &app,
                    &admin,
                    json!({ "name": "Noche", "phone": "987654321", "party_size": 2,
                            "starts_at": slot["starts_at"], "duration_minutes": 60 }),
                )
                .await;
                assert_eq!(body["local_time"], "23:00");
            }
            let after = app.get(&url(saturday), &admin).await;
            assert_eq!(after.body["slots"].as_array().unwrap().len(), 5);
            let day = app
                .get(&format!("/api/v1/reservations?date={saturday}"), &admin)
                .await;
            assert_eq!(
                day.body.as_array().unwrap().len(),
                2,
                "both on saturday's local day"
            );
        }
        // Sunday lunch after the change is plain.
        let sunday = saturday.tomorrow().unwrap();
        let lunch = app.get(&url(sunday), &admin).await;
        assert_eq!(slot_times(&lunch), ["12:00", "13:00", "14:00", "15:00"]);
    }
}
