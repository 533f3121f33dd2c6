//! The blog: Markdown articles embedded from `content/blog/`, `SLUG.md` in Spanish and
//! `SLUG.en.md` in English, each opening with a front matter block:
//!
//! ```text
//! ---
//! title: …
//! description: …
//! date: 2026-10-14
//! ---
//! ```
//!
//! They are parsed once; raw HTML in an article is dropped, not passed through.

use super::{Caching, Meta, PageLang, html, not_found};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use dysa_domain::validate::Lang;
use pulldown_cmark::{Event, Options, Parser};
use rust_embed::RustEmbed;
use std::sync::LazyLock;

#[derive(RustEmbed)]
#[folder = "content/blog/"]
struct BlogFiles;

/// One article in one language.
#[derive(Clone, Debug)]
pub struct Article {
    /// URL name (the file name without `.md` / `.en.md`).
    pub slug: String,
    /// Its language.
    pub lang: Lang,
    /// Title.
    pub title: String,
    /// One-sentence summary (meta description and index).
    pub description: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
    /// The body rendered to HTML.
    pub body_html: String,
}

/// Why an article file was not accepted.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    /// No `---` block at the top.
    #[error("missing front matter")]
    NoFrontMatter,
    /// A required key is absent or empty.
    #[error("front matter lacks {0}")]
    Missing(&'static str),
    /// The date is not `YYYY-MM-DD`.
    #[error("date must be YYYY-MM-DD")]
    BadDate,
}

/// Parses an article file: front matter, then Markdown.
pub fn parse(slug: &str, lang: Lang, text: &str) -> Result<Article, ArticleError> {
    let rest = text
        .strip_prefix("---\n")
        .ok_or(ArticleError::NoFrontMatter)?;
    let (front, body) = rest
        .split_once("\n---\n")
        .ok_or(ArticleError::NoFrontMatter)?;
    let field = |key: &'static str| -> Result<String, ArticleError> {
        front
            .lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim().trim_matches('"').to_owned())
            .filter(|v| !v.is_empty())
            .ok_or(ArticleError::Missing(key))
    };
    let date = field("date")?;
    let valid_date = date.len() == 10
        && date.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !valid_date {
        return Err(ArticleError::BadDate);
    }
    Ok(Article {
        slug: slug.to_owned(),
        lang,
        title: field("title")?,
        description: field("description")?,
        date,
        body_html: markdown(body),
    })
}

/// Markdown to HTML, without any raw HTML the text may hold.
fn markdown(text: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(text, options)
        .filter(|event| !matches!(event, Event::Html(_) | Event::InlineHtml(_)));
    let mut out = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// Every article, newest first. A malformed file is logged and skipped (a test parses
/// them all, so it cannot ship).
static ARTICLES: LazyLock<Vec<Article>> = LazyLock::new(|| {
    let mut articles: Vec<Article> = BlogFiles::iter()
        .filter_map(|name| {
            let file = BlogFiles::get(&name)?;
            let text = String::from_utf8_lossy(&file.data).replace("\r\n", "\n");
            let (slug, lang) = match name.strip_suffix(".en.md") {
                Some(slug) => (slug.to_owned(), Lang::En),
                None => (name.strip_suffix(".md")?.to_owned(), Lang::Es),
            };
            parse(&slug, lang, &text)
                .inspect_err(|error| tracing::error!(%name, %error, "blog article skipped"))
                .ok()
        })
        .collect();
    articles.sort_by(|a, b| b.date.cmp(&a.date).then(a.slug.cmp(&b.slug)));
    articles
});

/// The articles in `lang`, newest first.
pub fn articles(lang: Lang) -> impl Iterator<Item = &'static Article> {
    ARTICLES.iter().filter(move |a| a.lang == lang)
}

/// The blog's index page.
#[derive(Template)]
#[template(path = "site/blog.html")]
pub struct BlogIndexPage {
    meta: Meta,
    articles: Vec<&'static Article>,
}

/// One article's page.
#[derive(Template)]
#[template(path = "site/article.html")]
pub struct ArticlePage {
    meta: Meta,
    article: &'static Article,
}

/// `GET /blog`.
pub async fn index(State(state): State<AppState>, PageLang(lang): PageLang) -> Response {
    let meta = Meta::new(
        &state,
        lang,
        "/blog",
        lang.pick(
            "Blog — ChatBotDysa: gestión de restaurantes en Chile",
            "Blog — ChatBotDysa: running a restaurant in Chile",
        ),
        lang.pick(
            "Guías prácticas para restaurantes: vender sin internet, pedidos en línea sin comisiones y números que importan.",
            "Practical guides for restaurants: selling offline, online orders without commissions and the numbers that matter.",
        ),
    );
    let articles = articles(lang).collect();
    html(
        StatusCode::OK,
        Caching::Public,
        &BlogIndexPage { meta, articles },
    )
}

/// `GET /blog/{slug}`.
pub async fn article(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path(slug): Path<String>,
    uri: Uri,
) -> Response {
    let Some(article) = articles(lang).find(|a| a.slug == slug) else {
        return not_found(&state, lang, &uri);
    };
    let mut meta = Meta::new(
        &state,
        lang,
        &format!("/blog/{slug}"),
        format!("{} — ChatBotDysa", article.title),
        article.description.clone(),
    );
    meta.path = format!("/blog/{slug}");
    html(
        StatusCode::OK,
        Caching::Public,
        &ArticlePage { meta, article },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_article_parses_and_has_both_languages() {
        let mut es = 0;
        for name in BlogFiles::iter() {
            let file = BlogFiles::get(&name).expect("a listed file exists");
            let text = String::from_utf8(file.data.into_owned()).expect("articles are UTF-8");
            let (slug, lang) = match name.strip_suffix(".en.md") {
                Some(slug) => (slug, Lang::En),
                None => (
                    name.strip_suffix(".md").expect("articles end in .md"),
                    Lang::Es,
                ),
            };
            let article = parse(slug, lang, &text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(article.body_html.len() > 1_500, "{name} is too short");
            if lang == Lang::Es {
                es += 1;
                assert!(
                    BlogFiles::get(&format!("{slug}.en.md")).is_some(),
                    "{slug} has no English version"
                );
            }
        }
        assert!(es >= 3, "the blog needs at least three articles");
        assert_eq!(ARTICLES.len(), es * 2);
    }

    #[test]
    fn front_matter_is_required_and_raw_html_is_dropped() {
        assert_eq!(
            parse("x", Lang::Es, "# Hola").expect_err("refused"),
            ArticleError::NoFrontMatter
        );
        assert_eq!(
            parse("x", Lang::Es, "---\ntitle: T\ndate: 2026-01-01\n---\nHola")
                .expect_err("refused"),
            ArticleError::Missing("description")
        );
        assert_eq!(
            parse(
                "x",
                Lang::Es,
                "---\ntitle: T\ndescription: D\ndate: ayer\n---\n"
            )
            .expect_err("refused"),
            ArticleError::BadDate
        );
        let article = parse(
            "x",
            Lang::Es,
            "---\ntitle: T\ndescription: D\ndate: 2026-01-01\n---\nHola <script>alert(1)</script> **mundo**\n\n<div onclick=x>y</div>\n",
        )
        .expect("parses");
        assert!(article.body_html.contains("<strong>mundo</strong>"));
        assert!(!article.body_html.contains("<script"));
        assert!(!article.body_html.contains("onclick"));
    }
}
