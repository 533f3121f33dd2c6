//! The public website: every page in both languages with its SEO tags, the sitemap, the
//! forms (demo, contact, sign-up: errors re-rendered with nothing stored, success stored), the welcome page's
//! one-time code and the ROI calculator.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{PASSWORD, Reply, TestApp, count};
use dysa_cloud::site::roi::{RoiInput, estimate};
use dysa_cloud::site::{SITE_CSP, clp};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// Every indexable page, by its Spanish path (the sitemap must list all of them).
const PAGES: &[&str] = &[
    "/",
    "/planes",
    "/demo",
    "/registro",
    "/roi",
    "/casos-exito",
    "/blog",
    "/contacto",
    "/terminos",
    "/privacidad",
];

fn english(path: &str) -> String {
    if path == "/" {
        "/en/".to_owned()
    } else {
        format!("/en{path}")
    }
}

fn html(reply: &Reply) -> &str {
    reply
        .body
        .as_str()
        .unwrap_or_else(|| panic!("not HTML: {:?}", reply.body))
}

fn encode(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    (b as char).to_string()
                } else if b == b' ' {
                    "+".to_owned()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> Reply {
    let mut request = Request::builder()
        .uri(path)
        .header(header::HOST, "cloud.test");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

async fn post_form(app: &TestApp, path: &str, cookie: &str, pairs: &[(&str, &str)]) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, "cloud.test")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(encode(pairs)))
        .unwrap();
    app.send(request).await
}

/// The `name=value` part of the Set-Cookie for `name`.
fn cookie_pair(reply: &Reply, name: &str) -> Option<String> {
    reply
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap().to_owned())
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

/// A form page's CSRF cookie and the token its hidden field carries.
async fn open_form(app: &TestApp, path: &str) -> (String, String) {
    let page = get(app, path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    let cookie = cookie_pair(&page, "dysa_site_csrf").expect("the form sets a CSRF cookie");
    let token = between(html(&page), "name=\"csrf\" value=\"", "\"")
        .unwrap()
        .to_owned();
    assert_eq!(cookie, format!("dysa_site_csrf={token}"));
    (cookie, token)
}

#[sqlx::test(migrations = false)]
async fn every_page_answers_in_both_languages_with_seo_tags(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let base = app
        .state
        .settings
        .public_url
        .trim_end_matches('/')
        .to_owned();
    let sitemap = get(&app, "/sitemap.xml", None).await;
    assert_eq!(sitemap.status, StatusCode::OK);
    let sitemap = html(&sitemap).to_owned();
    let mut paths: Vec<String> = PAGES.iter().map(|p| (*p).to_owned()).collect();
    // The blog's index links its articles; each must be a page of the sitemap too.
    let blog = get(&app, "/blog", None).await;
    let articles: Vec<String> = html(&blog)
        .split("href=\"/blog/")
        .skip(1)
        .map(|rest| format!("/blog/{}", &rest[..rest.find('"').unwrap()]))
        .collect();
    assert!(articles.len() >= 3, "the blog lists {articles:?}");
    paths.extend(articles);

    for path in &paths {
        for (lang_path, html_lang, other) in [
            (path.clone(), "es-CL", english(path)),
            (english(path), "en", path.clone()),
        ] {
            let reply = get(&app, &lang_path, None).await;
            assert_eq!(reply.status, StatusCode::OK, "{lang_path}");
            let page = html(&reply);
            let url = format!("{base}{lang_path}");
            assert!(
                sitemap.contains(&format!("<loc>{url}</loc>")),
                "sitemap lacks {url}"
            );
            assert!(
                page.contains(&format!("<html lang=\"{html_lang}\">")),
                "{lang_path}"
            );
            assert!(
                page.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")),
                "{lang_path}: canonical"
            );
            let es = if html_lang == "es-CL" {
                &url
            } else {
                &format!("{base}{other}")
            };
            let en = if html_lang == "en" {
                &url
            } else {
                &format!("{base}{other}")
            };
            assert!(
                page.contains(&format!("hreflang=\"es-CL\" href=\"{es}\"")),
                "{lang_path}"
            );
            assert!(
                page.contains(&format!("hreflang=\"en\" href=\"{en}\"")),
                "{lang_path}"
            );
            assert!(
                page.contains("<meta name=\"description\" content=\""),
                "{lang_path}"
            );
            assert!(page.contains("<meta property=\"og:title\""), "{lang_path}");
            assert!(!page.contains("lorem"), "{lang_path}");
            assert!(
                page.len() < 100_000,
                "{lang_path} weighs {} bytes",
                page.len()
            );
            assert_eq!(reply.headers[header::CONTENT_SECURITY_POLICY], SITE_CSP);
            assert_eq!(reply.headers["x-frame-options"], "DENY");
            assert_eq!(reply.headers["x-content-type-options"], "nosniff");
            assert!(
                reply.headers[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html")
            );
        }
    }
    // Nothing else is in the sitemap (the welcome page is not for search engines).
    assert_eq!(sitemap.matches("<loc>").count(), paths.len() * 2);
    assert!(!sitemap.contains("/welcome"));

    let robots = get(&app, "/robots.txt", None).await;
    assert!(html(&robots).contains(&format!("Sitemap: {base}/sitemap.xml")));
    assert!(html(&robots).contains("Disallow: /api/"));
}

#[sqlx::test(migrations = false)]
async fn pages_speak_their_language_and_show_prices_in_pesos(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let es = get(&app, "/planes", None).await;
    let en = get(&app, "/en/planes", None).await;
    assert!(html(&es).contains("IVA incluido"));
    assert!(html(&es).contains("$12.990"));
    assert!(html(&es).contains("href=\"/registro?plan=pro\""));
    assert!(html(&en).contains("VAT included"));
    assert!(html(&en).contains("href=\"/en/registro?plan=pro\""));
    assert!(!html(&en).contains("IVA incluido"));
    // `/en` alone leads to the English home page.
    let bare = get(&app, "/en", None).await;
    assert_eq!(bare.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(bare.headers[header::LOCATION], "/en/");
}

#[sqlx::test(migrations = false)]
async fn an_unknown_article_is_an_html_404(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let reply = get(&app, "/en/blog/no-such-article", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(html(&reply).contains("We could not find that page"));
    assert!(html(&reply).contains("noindex"));
}

#[sqlx::test(migrations = false)]
async fn static_files_are_versioned_cached_and_revalidated(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let home = get(&app, "/", None).await;
    let css = between(html(&home), "<link rel=\"stylesheet\" href=\"", "\"")
        .unwrap()
        .to_owned();
    assert!(css.starts_with("/static/site/site.css?v="));
    let reply = get(&app, &css, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(
        reply.headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let etag = reply.headers[header::ETAG].to_str().unwrap().to_owned();
    let again = app
        .send(
            Request::builder()
                .uri(&css)
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(
        get(&app, "/static/site/nope.css", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = false)]
async fn the_demo_form_rerenders_errors_and_stores_nothing_until_valid(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let (cookie, token) = open_form(&app, "/demo").await;

    let reply = post_form(
        &app,
        "/demo",
        &cookie,
        &[
            ("csrf", &token),
            ("name", ""),
            ("restaurant", "Sanguchería <b>El Roto</b>"),
            ("email", "roto@cl"),
            ("phone", "+56 9 5555 1234"),
            ("message", "Tenemos 2 locales"),
            ("website", ""),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = html(&reply);
    assert!(page.contains("id=\"name-error\">Es obligatorio<"), "{page}");
    assert!(page.contains("id=\"email-error\">No es un correo válido<"));
    // What was typed is kept, escaped.
    assert!(page.contains("value=\"Sanguchería &#60;b&#62;El Roto&#60;/b&#62;\""));
    assert!(page.contains("value=\"roto@cl\""));
    assert!(page.contains(">Tenemos 2 locales</textarea>"));
    assert_eq!(count(&app, "SELECT count(*) FROM leads").await, 0);

    // The English form answers in English.
    let reply = post_form(
        &app,
        "/en/demo",
        &cookie,
        &[
            ("csrf", &token),
            ("name", "Ana"),
            ("restaurant", "El Roto"),
            ("email", "x"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&reply).contains("id=\"email-error\">Is not a valid email address<"));

    // Without the matching token (another site posting), nothing is stored.
    let valid = [
        ("name", "Ana Rojas"),
        ("restaurant", "Sanguchería El Roto"),
        ("email", " Ana@ElRoto.CL "),
        ("phone", ""),
        ("message", ""),
    ];
    let mut forged = vec![("csrf", "not-the-token")];
    forged.extend_from_slice(&valid);
    let reply = post_form(&app, "/demo", &cookie, &forged).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&reply).contains("El formulario expiró"));
    let reply = post_form(
        &app,
        "/demo",
        "",
        &[&[("csrf", token.as_str())], &valid[..]].concat(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, "SELECT count(*) FROM leads").await, 0);

    // A bot filling the honeypot sees success; nothing is stored.
    let mut bot = vec![("csrf", token.as_str()), ("website", "http://spam.example")];
    bot.extend_from_slice(&valid);
    let reply = post_form(&app, "/demo", &cookie, &bot).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "SELECT count(*) FROM leads").await, 0);

    // Valid: stored once, then the thank-you state.
    let reply = post_form(
        &app,
        "/demo",
        &cookie,
        &[&[("csrf", token.as_str())], &valid[..]].concat(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.headers[header::LOCATION], "/demo?enviado=1");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM leads WHERE email = 'ana@elroto.cl' AND name = 'Ana Rojas' AND phone IS NULL"
        )
        .await,
        1
    );
    let thanks = get(&app, "/demo?enviado=1", Some(&cookie)).await;
    assert!(html(&thanks).contains("Recibimos tu solicitud"));
}

#[sqlx::test(migrations = false)]
async fn the_contact_form_checks_each_field_and_becomes_a_lead(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let (cookie, token) = open_form(&app, "/contacto").await;
    // The page still shows the mail addresses beside the form.
    let page = get(&app, "/contacto", None).await;
    assert!(html(&page).contains("mailto:soporte@chatbotdysa.cl"));
    assert!(html(&page).contains("id=\"contact-form\""));

    // Every field wrong at once: each error beside its field, nothing stored.
    let long_restaurant = "r".repeat(121);
    let reply = post_form(
        &app,
        "/contacto",
        &cookie,
        &[
            ("csrf", &token),
            ("name", " "),
            ("email", "sin-arroba"),
            ("restaurant", &long_restaurant),
            ("phone", ""),
            ("message", ""),
            ("website", ""),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = html(&reply);
    assert!(page.contains("id=\"name-error\">Es obligatorio<"), "{page}");
    assert!(page.contains("id=\"email-error\">No es un correo válido<"));
    assert!(page.contains("id=\"message-error\">Es obligatorio<"));
    assert!(between(page, "id=\"restaurant-error\">", "<").is_some_and(|e| !e.is_empty()));
    assert!(between(page, "id=\"phone-error\">", "<") == Some(""));
    assert!(page.contains("value=\"sin-arroba\""));
    assert_eq!(count(&app, "SELECT count(*) FROM leads").await, 0);

    // In English, in English.
    let reply = post_form(
        &app,
        "/en/contacto",
        &cookie,
        &[("csrf", &token), ("name", "Ana"), ("email", "ana@x.cl")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html(&reply).contains("id=\"message-error\">Is required<"),
        "{}",
        html(&reply)
    );

    let valid = [
        ("name", "Ana Rojas"),
        ("email", " Ana@ElRoto.CL "),
        ("restaurant", ""),
        ("phone", "+56 9 5555 1234"),
        ("message", "¿Funciona con dos cajas?"),
    ];
    // A forged post (no matching token) stores nothing.
    let reply = post_form(
        &app,
        "/contacto",
        &cookie,
        &[&[("csrf", "otro")], &valid[..]].concat(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&reply).contains("El formulario expiró"));
    // A bot filling the honeypot sees success; nothing is stored.
    let reply = post_form(
        &app,
        "/contacto",
        &cookie,
        &[
            &[("csrf", token.as_str()), ("website", "http://spam.example")],
            &valid[..],
        ]
        .concat(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "SELECT count(*) FROM leads").await, 0);

    // Valid: one lead of source `contact`, new in the pipeline; then the thank-you state.
    let reply = post_form(
        &app,
        "/contacto",
        &cookie,
        &[&[("csrf", token.as_str())], &valid[..]].concat(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.headers[header::LOCATION], "/contacto?enviado=1");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM leads WHERE source = 'contact' AND stage = 'new' AND email = 'ana@elroto.cl' \
             AND restaurant = '' AND message = '¿Funciona con dos cajas?'"
        )
        .await,
        1
    );
    let thanks = get(&app, "/contacto?enviado=1", Some(&cookie)).await;
    assert!(html(&thanks).contains("Recibimos tu mensaje"));
    let thanks = get(&app, "/en/contacto?enviado=1", Some(&cookie)).await;
    assert!(html(&thanks).contains("We got your message"));
}

#[sqlx::test(migrations = false)]
async fn the_contact_form_is_rate_limited_per_client(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::with_settings(owner, |s| {
        s.public_rate_burst = 2;
        s.public_rate_period_secs = 600;
    })
    .await;
    let (cookie, token) = open_form(&app, "/contacto").await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let reply = post_form(
            &app,
            "/contacto",
            &cookie,
            &[
                ("csrf", &token),
                ("name", ""),
                ("email", ""),
                ("message", ""),
            ],
        )
        .await;
        statuses.push(reply.status);
    }
    assert_eq!(
        statuses,
        [
            StatusCode::UNPROCESSABLE_ENTITY,
            StatusCode::UNPROCESSABLE_ENTITY,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    // The page itself is not limited: reading it is free.
    assert_eq!(get(&app, "/contacto", None).await.status, StatusCode::OK);
}

#[sqlx::test(migrations = false)]
async fn the_signup_form_rerenders_errors_then_welcomes_with_the_code_once(
    _: PgPoolOptions,
    owner: PgConnectOptions,
) {
    let app = TestApp::new(owner).await;
    let (cookie, token) = open_form(&app, "/registro").await;
    let tenants = "SELECT count(*) FROM tenants";
    let before = count(&app, tenants).await;

    // Several mistakes at once; the terms not accepted.
    let reply = post_form(
        &app,
        "/registro",
        &cookie,
        &[
            ("csrf", &token),
            ("restaurant_name", "Pizzería Bella Napoli"),
            ("slug", "Bella Napoli!"),
            ("owner_name", "Giulia"),
            ("email", "giulia@bellanapoli.cl"),
            ("password", "abc12"),
            ("plan", "pro"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = html(&reply);
    assert!(
        page.contains("id=\"slug-error\">Debe tener de 3 a 40"),
        "{page}"
    );
    assert!(page.contains("id=\"password-error\">Debe tener al menos 10 caracteres"));
    assert!(page.contains("id=\"terms-error\">Debes aceptar los términos"));
    assert!(!page.contains("id=\"plan-error\">D"), "the plan was fine");
    assert!(page.contains("value=\"Pizzería Bella Napoli\""));
    assert!(page.contains("value=\"giulia@bellanapoli.cl\""));
    assert!(page.contains("<option value=\"pro\" selected>"));
    assert!(!page.contains("abc12"), "the password is never sent back");
    assert_eq!(count(&app, tenants).await, before);

    // Everything right but the terms: still nothing created.
    let good = [
        ("restaurant_name", "Pizzería Bella Napoli"),
        ("slug", "bella-napoli"),
        ("owner_name", "Giulia"),
        ("email", "giulia@bellanapoli.cl"),
        ("password", PASSWORD),
        ("plan", "pro"),
    ];
    let reply = post_form(
        &app,
        "/registro",
        &cookie,
        &[&[("csrf", token.as_str())], &good[..]].concat(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&reply).contains("id=\"terms-error\">"));
    assert_eq!(count(&app, tenants).await, before);

    // A slug already taken is shown on its field.
    app.signup("bella-napoli").await;
    let accepted = [("csrf", token.as_str()), ("terms", "on")];
    let reply = post_form(
        &app,
        "/en/registro",
        &cookie,
        &[&accepted[..], &good[..]].concat(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&reply).contains("id=\"slug-error\">That address is already taken"));
    let before = count(&app, tenants).await;

    // Success: one tenant, a redirect to the welcome page and the code in a cookie.
    let mut fine = good.to_vec();
    fine[1] = ("slug", "bella-napoli-2");
    let reply = post_form(
        &app,
        "/registro",
        &cookie,
        &[&accepted[..], &fine[..]].concat(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{:?}", reply.body);
    assert_eq!(reply.headers[header::LOCATION], "/welcome");
    assert_eq!(count(&app, tenants).await, before + 1);
    let set = reply
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("dysa_site_welcome="))
        .unwrap();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"));
    let ticket = cookie_pair(&reply, "dysa_site_welcome").unwrap();
    // The new owner is signed in: the dashboard's session cookie answers `auth/me`.
    let session = cookie_pair(&reply, "dysa_cloud_access").expect("a session cookie");
    let me = get(&app, "/api/v1/auth/me", Some(&session)).await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    assert!(
        me.body.to_string().contains("giulia@bellanapoli.cl"),
        "{:?}",
        me.body
    );

    let welcome = get(&app, "/welcome", Some(&ticket)).await;
    assert_eq!(welcome.status, StatusCode::OK);
    assert_eq!(welcome.headers[header::CACHE_CONTROL], "no-store");
    let code = between(html(&welcome), "id=\"enrollment-code\">", "<")
        .unwrap()
        .to_owned();
    assert!(html(&welcome).contains("href=\"/dashboard/\""));
    assert!(html(&welcome).contains("Pizzería Bella Napoli"));
    // Shown once: the answer deletes the cookie.
    assert!(
        welcome
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("dysa_site_welcome=;") && c.contains("Max-Age=0"))
    );
    // The code is the tenant's real enrolment code.
    let enrolled = app.enroll(&code, "Caja 1").await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{:?}", enrolled.body);

    // A forged or absent ticket shows no code.
    let forged = ticket.replace("dysa_site_welcome=", "dysa_site_welcome=x");
    for cookie in [Some(forged.as_str()), None] {
        let page = get(&app, "/welcome", cookie).await;
        assert!(!html(&page).contains("enrollment-code"));
        assert!(html(&page).contains("ya se mostró o venció"));
    }
}

#[sqlx::test(migrations = false)]
async fn the_roi_calculator_computes_on_the_server(_: PgPoolOptions, owner: PgConnectOptions) {
    let app = TestApp::new(owner).await;
    let expected = estimate(RoiInput {
        orders_per_day: 120,
        average_ticket: 9_500,
        tenths_of_minute_saved: 20,
        hourly_wage: 5_000,
    });
    let reply = get(
        &app,
        "/roi?pedidos=120&ticket=%249.500&minutos=2&sueldo=5000",
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let gain = between(html(&reply), "id=\"roi-gain\">", "<").unwrap();
    assert_eq!(gain, clp(expected.monthly_gain));
    // What was typed stays in the form.
    assert!(html(&reply).contains("value=\"$9.500\""));

    let reply = get(
        &app,
        "/en/roi?pedidos=0&ticket=9500&minutos=2,55&sueldo=5000",
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&reply).contains("id=\"pedidos-error\">Enter a number between 1 and 5000<"));
    assert!(html(&reply).contains("id=\"minutos-error\">Enter a number"));
    assert!(!html(&reply).contains("roi-gain"));
}
