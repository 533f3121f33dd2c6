//! The widget's chat (`POST /api/v1/public/{slug}/chat`): the cloud's own answers on the
//! synced menu while the restaurant is offline, and the relay to a connected appliance
//! over the device's live stream (answered, or not in time).

#![allow(clippy::unwrap_used)]

mod common;

use common::live::{live_stream, next_chat};
use common::sync::first_device as device;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Reply, Tenant, TestApp};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tower::ServiceExt;
use uuid::Uuid;

/// The seeded menu of a location.
struct Menu {
    completo: Uuid,
    bebida: Uuid,
    pisco: Uuid,
    catedral: Uuid,
}

/// Writes a small menu straight into the synced projections (as a device's push would).
async fn seed_menu(app: &TestApp, tenant: &Tenant) -> Menu {
    let mut conn = app.owner_conn().await;
    let t: Uuid = tenant.id.parse().unwrap();
    let l: Uuid = tenant.location_id.parse().unwrap();
    let category = Uuid::now_v7();
    let group = Uuid::now_v7();
    let (normal, catedral) = (Uuid::now_v7(), Uuid::now_v7());
    let menu = Menu {
        completo: Uuid::now_v7(),
        bebida: Uuid::now_v7(),
        pisco: Uuid::now_v7(),
        catedral,
    };
    sqlx::query(
        "INSERT INTO menu_categories (tenant_id, location_id, id, name, name_en, hlc)
         VALUES ($1, $2, $3, 'Carta', 'Menu', '000000000000001-000000-0000000000000001')",
    )
    .bind(t)
    .bind(l)
    .bind(category)
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO menu_modifier_groups (tenant_id, location_id, id, name, min_choices,
                                           max_choices, options, hlc)
         VALUES ($1, $2, $3, 'Tamaño', 1, 1, $4, '000000000000001-000000-0000000000000001')",
    )
    .bind(t)
    .bind(l)
    .bind(group)
    .bind(json!([
        { "id": normal, "name": "Normal", "price_delta": 0 },
        { "id": catedral, "name": "Catedral", "price_delta": 2500 },
    ]))
    .execute(&mut conn)
    .await
    .unwrap();
    let items = [
        (
            menu.completo,
            "Completo italiano",
            "Italian hot dog",
            3990,
            true,
            json!([]),
        ),
        (menu.bebida, "Bebida", "Soda", 1990, true, json!([])),
        (
            menu.pisco,
            "Pisco sour",
            "Pisco sour",
            4990,
            true,
            json!([group]),
        ),
        (Uuid::now_v7(), "Humitas", "Humitas", 4990, false, json!([])),
    ];
    for (position, (id, name, en, price, available, groups)) in items.into_iter().enumerate() {
        sqlx::query(
            "INSERT INTO menu_items (tenant_id, location_id, id, category_id, name, name_en, price,
                                     available, position, modifier_group_ids, hlc)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                     '000000000000001-000000-0000000000000001')",
        )
        .bind(t)
        .bind(l)
        .bind(id)
        .bind(category)
        .bind(name)
        .bind(en)
        .bind(price)
        .bind(available)
        .bind(i32::try_from(position).unwrap())
        .bind(groups)
        .execute(&mut conn)
        .await
        .unwrap();
    }
    menu
}

async fn chat(app: &TestApp, slug: &str, body: Value) -> Reply {
    app.post(&format!("/api/v1/public/{slug}/chat"), body, None)
        .await
}

async fn say(app: &TestApp, slug: &str, conversation: Option<&str>, message: &str) -> Value {
    let reply = chat(
        app,
        slug,
        json!({ "conversation_id": conversation, "message": message }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

fn line(draft: &Value, item: Uuid) -> &Value {
    draft["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["item_id"] == item.to_string())
        .unwrap_or_else(|| panic!("no line for {item} in {draft}"))
}

#[sqlx::test(migrations = false)]
async fn offline_the_cloud_answers_with_a_priced_draft(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("la-picada").await;
    let menu = seed_menu(&app, &tenant).await;

    let reply = chat(
        &app,
        "la-picada",
        json!({ "message": "Quiero dos completos italianos y un pisco sour catedral" }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert!(
        reply.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body = reply.body;
    assert_eq!(body["answered_by"], "cloud");
    assert_eq!(body["ready_to_order"], false);
    assert!(
        body["conversation_id"]
            .as_str()
            .unwrap()
            .parse::<Uuid>()
            .is_ok()
    );
    let draft = &body["draft"];
    let completo = line(draft, menu.completo);
    assert_eq!(completo["quantity"], 2);
    assert_eq!(completo["unit_price"], 3990);
    assert_eq!(completo["line_total"], 7980);
    assert_eq!(completo["name"], "Completo italiano");
    let pisco = line(draft, menu.pisco);
    assert_eq!(
        pisco["unit_price"],
        4990 + 2500,
        "the option's price counts"
    );
    assert_eq!(pisco["options"], json!([menu.catedral.to_string()]));
    assert_eq!(draft["total"], 7980 + 7490);
    let text = body["reply"].as_str().unwrap();
    assert!(text.contains("$15.470"), "{text}");
    assert!(text.contains("¿Confirmo"), "{text}");

    // A sold-out dish is refused by name, and nothing it said reaches the draft.
    let body = say(&app, "la-picada", None, "quiero 2 humitas").await;
    assert!(body["draft"].is_null(), "{body}");
    assert!(
        body["reply"].as_str().unwrap().contains("agotado"),
        "{body}"
    );
}

#[sqlx::test(migrations = false)]
async fn a_draft_builds_over_several_messages_until_the_diner_confirms(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("donde-pepe").await;
    let menu = seed_menu(&app, &tenant).await;

    let first = say(&app, "donde-pepe", None, "dos completos").await;
    let conversation = first["conversation_id"].as_str().unwrap().to_owned();
    assert_eq!(first["draft"]["total"], 7980);

    let second = say(&app, "donde-pepe", Some(&conversation), "y una bebida").await;
    assert_eq!(second["conversation_id"], conversation.as_str());
    assert_eq!(line(&second["draft"], menu.completo)["quantity"], 2);
    assert_eq!(line(&second["draft"], menu.bebida)["quantity"], 1);
    assert_eq!(second["draft"]["total"], 7980 + 1990);
    assert_eq!(second["ready_to_order"], false);

    let confirmed = say(&app, "donde-pepe", Some(&conversation), "sí, confirmo").await;
    assert_eq!(confirmed["ready_to_order"], true, "{confirmed}");
    assert_eq!(confirmed["answered_by"], "cloud");
    assert_eq!(
        confirmed["draft"]["total"], 9970,
        "the confirmed draft is handed over"
    );
    assert_eq!(confirmed["draft"]["lines"].as_array().unwrap().len(), 2);

    // The chat created no order: the widget submits the draft itself.
    let mut conn = app.owner_conn().await;
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(orders, 0);

    // The next message starts a new draft.
    let after = say(&app, "donde-pepe", Some(&conversation), "una bebida").await;
    assert_eq!(after["draft"]["total"], 1990);
    assert_eq!(after["ready_to_order"], false);
}

#[sqlx::test(migrations = false)]
async fn english_diners_get_english_answers(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("sanguche").await;
    let menu = seed_menu(&app, &tenant).await;

    let body = say(
        &app,
        "sanguche",
        None,
        "I would like two italian hot dogs please",
    )
    .await;
    let text = body["reply"].as_str().unwrap();
    assert!(text.starts_with("Your order"), "{text}");
    assert!(text.contains("$7.980"), "{text}");
    assert_eq!(line(&body["draft"], menu.completo)["quantity"], 2);
    let conversation = body["conversation_id"].as_str().unwrap();
    let yes = say(&app, "sanguche", Some(conversation), "yes").await;
    assert_eq!(yes["ready_to_order"], true);
    assert!(
        yes["reply"].as_str().unwrap().starts_with("Great!"),
        "{yes}"
    );

    // The widget's language is used when the words do not say.
    let reply = chat(
        &app,
        "sanguche",
        json!({ "message": "bebida", "language": "en" }),
    )
    .await;
    assert!(
        reply.body["reply"].as_str().unwrap().contains("Your order"),
        "{:?}",
        reply.body
    );
}

#[sqlx::test(migrations = false)]
async fn bad_messages_get_field_errors(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("el-rincon").await;
    seed_menu(&app, &tenant).await;

    for message in [String::new(), "   ".to_owned(), "a".repeat(1001)] {
        let reply = chat(&app, "el-rincon", json!({ "message": message })).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            reply.body
        );
        assert!(
            reply.body["error"]["fields"]["message"].is_string(),
            "{:?}",
            reply.body
        );
    }
    // 1000 characters (not bytes) is fine.
    let ok = chat(&app, "el-rincon", json!({ "message": "ñ".repeat(1000) })).await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    for body in [
        json!({}),
        json!({ "message": 3 }),
        json!({ "message": "hola", "language": "fr" }),
        json!({ "message": "hola", "conversation_id": "not-a-uuid" }),
    ] {
        let reply = chat(&app, "el-rincon", body.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            reply.body
        );
    }
    let unknown = chat(&app, "no-existe", json!({ "message": "hola" })).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.code(), "restaurant_not_found");

    // What the diner typed comes back as JSON text only.
    let body = say(
        &app,
        "el-rincon",
        None,
        "<script>alert(1)</script> quiero una bebida",
    )
    .await;
    assert_eq!(body["draft"]["total"], 1990);
}

#[sqlx::test(migrations = false)]
async fn a_conversation_never_crosses_restaurants(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let a = app.signup("restaurante-a").await;
    let b = app.signup("restaurante-b").await;
    let menu_a = seed_menu(&app, &a).await;

    let first = say(&app, "restaurante-a", None, "dos completos").await;
    let conversation = first["conversation_id"].as_str().unwrap().to_owned();
    assert_eq!(line(&first["draft"], menu_a.completo)["quantity"], 2);

    // The same conversation id at another restaurant sees neither A's draft nor A's menu.
    let other = say(&app, "restaurante-b", Some(&conversation), "sí, confirmo").await;
    assert!(other["draft"].is_null(), "{other}");
    assert_eq!(other["ready_to_order"], false);
    let other = say(&app, "restaurante-b", Some(&conversation), "un completo").await;
    assert!(other["draft"].is_null(), "{other}");

    // A's conversation is untouched.
    let again = say(&app, "restaurante-a", Some(&conversation), "y una bebida").await;
    assert_eq!(again["draft"]["total"], 7980 + 1990);

    // Row-level security: B's transaction sees none of A's chat rows.
    let mut tx = app.state.db.tenant_tx(b.id.parse().unwrap()).await.unwrap();
    let seen: i64 =
        sqlx::query_scalar("SELECT count(*) FROM chat_conversations WHERE location_id = $1::uuid")
            .bind(&a.location_id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    assert_eq!(seen, 0);
}

#[sqlx::test(migrations = false)]
async fn a_connected_restaurant_answers_through_its_live_stream(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("con-local").await;
    let other = app.signup("otro-local").await;
    let menu = seed_menu(&app, &tenant).await;
    let token = device(&app, &tenant).await;
    let stranger = device(&app, &other).await;
    let mut stream = live_stream(&app, &token).await;

    let conversation = Uuid::now_v7();
    let asking = {
        let app_router = app.router.clone();
        tokio::spawn(async move {
            let response = app_router
                .oneshot(
                    Request::post("/api/v1/public/con-local/chat")
                        .header(header::HOST, "cloud.test")
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Body::from(
                            json!({
                                "conversation_id": conversation,
                                "message": "dos completos porfa",
                                "language": "es",
                            })
                            .to_string(),
                        ))
                        .unwrap(),
                )
                .await
                .unwrap();
            let status = response.status();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap())
        })
    };

    let relay = next_chat(&mut stream).await;
    assert_eq!(relay["conversation_id"], conversation.to_string());
    assert_eq!(relay["message"], "dos completos porfa");
    assert_eq!(relay["language"], "es");
    let request = relay["request_id"].as_str().unwrap().to_owned();
    let answer = json!({
        "reply": "Tu pedido: 2 × Completo italiano $7.980. ¿Confirmo?",
        "draft": { "lines": [ {
            "item_id": menu.completo, "name": "Completo italiano", "quantity": 2,
            "unit_price": 3990, "line_total": 7980, "options": []
        } ], "total": 7980 },
        "ready_to_order": false,
    });
    // Only a device of the relay's own restaurant may answer it.
    let refused = app
        .post(
            &format!("/api/v1/sync/chat-replies/{request}"),
            answer.clone(),
            Some(&stranger),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{:?}", refused.body);
    let taken = app
        .post(
            &format!("/api/v1/sync/chat-replies/{request}"),
            answer.clone(),
            Some(&token),
        )
        .await;
    assert_eq!(taken.status, StatusCode::NO_CONTENT, "{:?}", taken.body);

    let (status, body) = asking.await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["answered_by"], "restaurant");
    assert_eq!(body["conversation_id"], conversation.to_string());
    assert_eq!(body["reply"], answer["reply"]);
    assert_eq!(body["draft"]["total"], 7980);

    // Answered once only.
    let again = app
        .post(
            &format!("/api/v1/sync/chat-replies/{request}"),
            answer,
            Some(&token),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    // The cloud kept the restaurant's draft: when it answers next, the order continues.
    drop(stream);
    let mut conn = app.owner_conn().await;
    sqlx::query("DELETE FROM live_presence")
        .execute(&mut conn)
        .await
        .unwrap();
    let next = say(
        &app,
        "con-local",
        Some(&conversation.to_string()),
        "y una bebida",
    )
    .await;
    assert_eq!(next["answered_by"], "cloud");
    assert_eq!(next["draft"]["total"], 7980 + 1990, "{next}");
}

#[sqlx::test(migrations = false)]
async fn a_silent_restaurant_leaves_the_answer_to_the_cloud(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::with_settings(owner, |s| s.chat_relay_timeout_ms = 300).await;
    let tenant = app.signup("sin-respuesta").await;
    seed_menu(&app, &tenant).await;
    let token = device(&app, &tenant).await;
    let mut stream = live_stream(&app, &token).await;
    // The device hears the relay (and stays silent).
    let heard = tokio::spawn(async move { next_chat(&mut stream).await });

    let body = say(&app, "sin-respuesta", None, "dos completos").await;
    assert_eq!(body["answered_by"], "cloud");
    assert_eq!(body["draft"]["total"], 7980);

    // The relay did reach the device; its late answer is refused.
    let relay = heard.await.unwrap();
    let late = app
        .post(
            &format!(
                "/api/v1/sync/chat-replies/{}",
                relay["request_id"].as_str().unwrap()
            ),
            json!({ "reply": "tarde", "ready_to_order": false }),
            Some(&token),
        )
        .await;
    assert_eq!(late.status, StatusCode::NOT_FOUND, "{:?}", late.body);
    // A reply that breaks the bounds is refused as input.
    let bad = app
        .post(
            &format!("/api/v1/sync/chat-replies/{}", Uuid::now_v7()),
            json!({ "reply": "", "ready_to_order": false }),
            Some(&token),
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
}
