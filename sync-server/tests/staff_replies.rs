//! A widget chat taken over at the counter, end to end on the real routers: a real cloud
//! and a real appliance (its assistant on the deterministic parser), both served on
//! loopback in this process and linked with the appliance's own `POST /cloud/connect`.
//! Once staff has taken the conversation in the panel, the diner's messages get no bot
//! answer (neither the counter's assistant nor the cloud's parser), and what staff writes
//! reaches the diner's widget through `GET /public/{slug}/chat/{conversation}/messages`,
//! each message once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::sync::first_device;
use common::{PASSWORD, TestApp};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::time::{Duration, Instant};

async fn send(request: reqwest::RequestBuilder) -> Value {
    let response = request.send().await.expect("request");
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// A real appliance on a temp dir, linked to the cloud at `cloud`; answers its URL and a
/// staff token.
async fn linked_counter(cloud: &str, code: &str) -> (String, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let settings = dysa_appliance::settings::Settings {
        data_dir: dir.path().to_path_buf(),
        // Nothing listens there: the assistant answers with its parser at once.
        ollama_url: "http://127.0.0.1:9".into(),
        ..dysa_appliance::settings::Settings::default()
    };
    let state = dysa_appliance::open(settings).await.expect("open");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let counter = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dysa_appliance::serve(
        listener,
        state,
        std::future::pending(),
    ));
    let client = reqwest::Client::new();
    let setup = send(client.post(format!("{counter}/api/v1/setup")).json(&json!({
        "restaurant_name": "Donde Ana", "name": "Ana", "email": "ana@dondeana.cl",
        "password": PASSWORD,
    })))
    .await;
    let staff = setup["access_token"].as_str().unwrap().to_owned();
    send(
        client
            .post(format!("{counter}/api/v1/cloud/connect"))
            .bearer_auth(&staff)
            .json(&json!({"cloud_url": cloud, "enrollment_code": code})),
    )
    .await;
    (counter, staff, dir)
}

async fn widget_chat(app: &TestApp, slug: &str, conversation: Option<&str>, text: &str) -> Value {
    let mut body = json!({ "message": text, "language": "es" });
    if let Some(id) = conversation {
        body["conversation_id"] = json!(id);
    }
    let reply = app
        .post(&format!("/api/v1/public/{slug}/chat"), body, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

async fn staff_messages(
    app: &TestApp,
    slug: &str,
    conversation: &str,
    after: Option<&str>,
) -> Vec<Value> {
    let query = after.map(|a| format!("?after={a}")).unwrap_or_default();
    let reply = app
        .call(
            Method::GET,
            &format!("/api/v1/public/{slug}/chat/{conversation}/messages{query}"),
            Value::Null,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["messages"].as_array().unwrap().clone()
}

#[sqlx::test(migrations = false)]
async fn staff_replies_in_a_taken_over_widget_chat_reach_the_diner(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("donde-ana").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let cloud = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dysa_cloud::serve(
        listener,
        app.state.clone(),
        std::future::pending(),
    ));
    let (counter, staff, _dir) = linked_counter(&cloud, &tenant.enrollment_code).await;
    let client = reqwest::Client::new();

    // The counter answers once its live stream is up (until then the cloud does).
    let deadline = Instant::now() + Duration::from_secs(60);
    let conversation = loop {
        let answer = widget_chat(&app, &tenant.slug, None, "hola").await;
        if answer["answered_by"] == "restaurant" {
            break answer["conversation_id"].as_str().unwrap().to_owned();
        }
        assert!(
            Instant::now() < deadline,
            "the counter never answered: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    };

    // Staff takes the widget's conversation (the same id on the counter).
    let list = send(
        client
            .get(format!("{counter}/api/v1/conversations?channel=widget"))
            .bearer_auth(&staff),
    )
    .await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == conversation.as_str()),
        "{list}"
    );
    send(
        client
            .post(format!(
                "{counter}/api/v1/conversations/{conversation}/handoff"
            ))
            .bearer_auth(&staff),
    )
    .await;

    // The diner writes again: nobody answers for staff, the message reaches the panel.
    let held = widget_chat(
        &app,
        &tenant.slug,
        Some(&conversation),
        "quiero hablar con alguien por una alergia",
    )
    .await;
    assert_eq!(held["answered_by"], "staff", "{held}");
    assert_eq!(held["reply"], "", "{held}");
    assert_eq!(held["conversation_id"], conversation.as_str());
    let detail = send(
        client
            .get(format!("{counter}/api/v1/conversations/{conversation}"))
            .bearer_auth(&staff),
    )
    .await;
    let texts: Vec<&str> = detail["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert!(
        texts.contains(&"quiero hablar con alguien por una alergia"),
        "{texts:?}"
    );
    assert!(
        staff_messages(&app, &tenant.slug, &conversation, None)
            .await
            .is_empty()
    );

    // Staff answers in the panel: the reply reaches the diner's widget, once.
    for text in [
        "Hola, soy Ana. ¿A qué eres alérgica?",
        "Te recomiendo el completo sin mayo.",
    ] {
        send(
            client
                .post(format!(
                    "{counter}/api/v1/conversations/{conversation}/messages"
                ))
                .bearer_auth(&staff)
                .json(&json!({ "text": text, "role": "staff" })),
        )
        .await;
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let messages = loop {
        let messages = staff_messages(&app, &tenant.slug, &conversation, None).await;
        if messages.len() >= 2 {
            break messages;
        }
        assert!(
            Instant::now() < deadline,
            "staff's replies never reached the widget: {messages:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(messages[0]["text"], "Hola, soy Ana. ¿A qué eres alérgica?");
    assert_eq!(messages[1]["text"], "Te recomiendo el completo sin mayo.");
    // The widget asks for what came after the last one it showed.
    let first = messages[0]["id"].as_str().unwrap();
    let later = staff_messages(&app, &tenant.slug, &conversation, Some(first)).await;
    assert_eq!(later.len(), 1);
    assert_eq!(later[0]["text"], "Te recomiendo el completo sin mayo.");
    // Another conversation sees none of them.
    let other = uuid::Uuid::now_v7().to_string();
    assert!(
        staff_messages(&app, &tenant.slug, &other, None)
            .await
            .is_empty()
    );

    // Handed back, the assistant answers the diner again.
    send(
        client
            .post(format!(
                "{counter}/api/v1/conversations/{conversation}/release"
            ))
            .bearer_auth(&staff),
    )
    .await;
    let answered = widget_chat(&app, &tenant.slug, Some(&conversation), "gracias").await;
    assert_eq!(answered["answered_by"], "restaurant", "{answered}");
    assert_ne!(answered["reply"], "");
}

#[sqlx::test(migrations = false)]
async fn a_resent_batch_of_staff_messages_is_kept_once(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("resend").await;
    let device = first_device(&app, &tenant).await;
    let conversation = uuid::Uuid::now_v7();
    let batch = json!({ "messages": [
        { "id": uuid::Uuid::now_v7(), "conversation_id": conversation, "text": "  Ya va su pedido  " },
    ]});
    for _ in 0..2 {
        let reply = app
            .post("/api/v1/sync/chat-messages", batch.clone(), Some(&device))
            .await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.body);
    }
    let messages = staff_messages(&app, &tenant.slug, &conversation.to_string(), None).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0]["text"], "Ya va su pedido");

    // Blank or oversized text, or too many at once: 422 and nothing kept.
    for bad in [
        json!({ "messages": [{ "id": uuid::Uuid::now_v7(), "conversation_id": conversation, "text": "   " }] }),
        json!({ "messages": [{ "id": uuid::Uuid::now_v7(), "conversation_id": conversation, "text": "a".repeat(2001) }] }),
        json!({ "messages": (0..51).map(|_| json!({ "id": uuid::Uuid::now_v7(), "conversation_id": conversation, "text": "x" })).collect::<Vec<_>>() }),
    ] {
        let reply = app
            .post("/api/v1/sync/chat-messages", bad, Some(&device))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            reply.body
        );
    }
    assert_eq!(
        staff_messages(&app, &tenant.slug, &conversation.to_string(), None)
            .await
            .len(),
        1
    );
    // Without a device token the route is closed.
    let reply = app.post("/api/v1/sync/chat-messages", batch, None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    // Another restaurant's widget cannot read them with the same conversation id.
    let other = app.signup("otro").await;
    assert!(
        staff_messages(&app, &other.slug, &conversation.to_string(), None)
            .await
            .is_empty()
    );
}
