//! Access tokens signed by keys every instance shares (Postgres, migration 0012): a token
//! from one instance works on another and after a restart, keys rotate (the new one
//! signs, the old one verifies until its tokens expire, then goes), and a token naming
//! a key the cloud does not have is refused.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::TestApp;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// The `kid` a token names.
fn kid(token: &str) -> String {
    jsonwebtoken::decode_header(token).unwrap().kid.unwrap()
}

async fn stored_kids(app: &TestApp) -> Vec<String> {
    dysa_cloud::store::signing_keys::load(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|key| key.kid)
        .collect()
}

#[sqlx::test(migrations = false)]
async fn a_token_from_one_instance_works_on_another_and_after_a_restart(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let a = TestApp::new(owner.clone()).await;
    let b = TestApp::new(owner.clone()).await;
    let tenant = a.signup("dos-instancias").await;
    assert_eq!(
        stored_kids(&a).await,
        vec![kid(&tenant.token)],
        "both instances share one key"
    );
    let on_b = b.get("/api/v1/locations", &tenant.token).await;
    assert_eq!(on_b.status, StatusCode::OK, "{:?}", on_b.body);

    // B signs, A verifies.
    let login = b.login(&tenant.email, common::PASSWORD).await;
    let from_b = login.body["access_token"].as_str().unwrap();
    assert_eq!(
        a.get("/api/v1/locations", from_b).await.status,
        StatusCode::OK
    );

    // Both stop; a new instance starts on the same database: still signed in.
    a.state.db.close().await;
    b.state.db.close().await;
    let restarted = TestApp::new(owner).await;
    let after = restarted.get("/api/v1/locations", &tenant.token).await;
    assert_eq!(after.status, StatusCode::OK, "{:?}", after.body);
}

#[sqlx::test(migrations = false)]
async fn keys_rotate_old_ones_verify_until_their_tokens_expire_then_go(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let a = TestApp::new(owner.clone()).await;
    let b = TestApp::new(owner).await;
    let tenant = a.signup("rotacion").await;
    let first = kid(&tenant.token);
    let period = a.state.settings.signing_key_period();
    let start = Utc::now();

    // Not due yet: nothing changes.
    a.state
        .signer
        .rotate(&a.state.db, start, period)
        .await
        .unwrap();
    assert_eq!(stored_kids(&a).await, vec![first.clone()]);

    // Shortly before the first key stops signing, the next one is written ahead.
    let near_end = start + period - Duration::minutes(5);
    a.state
        .signer
        .rotate(&a.state.db, near_end, period)
        .await
        .unwrap();
    let kids = stored_kids(&a).await;
    assert_eq!(kids.len(), 2, "{kids:?}");
    let second = kids[1].clone();
    assert_ne!(second, first);
    // Until then the first key still signs; after, the new one does.
    let account = dysa_domain::ids::AccountId::new();
    let session = uuid::Uuid::now_v7();
    let before_switch = a
        .state
        .signer
        .issue(account, None, session, start.timestamp())
        .unwrap();
    assert_eq!(kid(&before_switch), first);
    let switched = (start + period + Duration::seconds(1)).timestamp();
    let by_new = a
        .state
        .signer
        .issue(account, None, session, switched)
        .unwrap();
    assert_eq!(kid(&by_new), second);

    // An instance that had not loaded the new key yet verifies its tokens all the same.
    let fresh = b.state.signer.verify(&by_new, &b.state.db).await.unwrap();
    assert_eq!(fresh.sub, account);
    // Another instance rotating at the same moment adds nothing (one writer at a time).
    b.state
        .signer
        .rotate(&b.state.db, near_end, period)
        .await
        .unwrap();
    assert_eq!(stored_kids(&b).await, kids);
    // The owner's token (first key) still works: its key verifies until it expires.
    assert_eq!(
        b.get("/api/v1/locations", &tenant.token).await.status,
        StatusCode::OK
    );

    // Once every token of the first key has expired, the key is deleted and its tokens
    // (none of which could still be alive) are refused.
    let later = start + period + Duration::hours(1);
    a.state
        .signer
        .rotate(&a.state.db, later, period)
        .await
        .unwrap();
    assert_eq!(stored_kids(&a).await, vec![second]);
    b.state
        .signer
        .rotate(&b.state.db, later, period)
        .await
        .unwrap();
    let refused = b.get("/api/v1/locations", &tenant.token).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.code(), "token_invalid");
}

#[sqlx::test(migrations = false)]
async fn a_token_naming_an_unknown_key_or_none_is_refused(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let tenant = app.signup("llave-falsa").await;
    // The genuine claims (the payload is plain base64): only the signature is forged.
    let payload = tenant.token.split('.').nth(1).unwrap();
    let real: dysa_cloud::auth::tokens::Claims = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload)
            .unwrap(),
    )
    .unwrap();
    let forge = |kid: Option<&str>| {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
        header.kid = kid.map(str::to_owned);
        jsonwebtoken::encode(
            &header,
            &real,
            &jsonwebtoken::EncodingKey::from_secret(b"an attacker's own 32-byte secret"),
        )
        .unwrap()
    };
    for token in [forge(Some("not-a-key-of-ours")), forge(None)] {
        let reply = app.get("/api/v1/locations", &token).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{:?}", reply.body);
        assert_eq!(reply.code(), "token_invalid");
    }
    // The real kid with the attacker's secret: the signature does not hold.
    let wrong_secret = forge(Some(&kid(&tenant.token)));
    assert_eq!(
        app.get("/api/v1/locations", &wrong_secret).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/locations", &tenant.token).await.status,
        StatusCode::OK
    );
}
