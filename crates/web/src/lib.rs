//! The server kit both ChatBotDysa servers are built from: the one error type with its
//! bilingual JSON body, the extractors that answer with it, the layer stack (limits, JSON
//! errors, hardening headers, request ids and traces), the docs page, logging, shutdown,
//! token and cookie handling with permission extractors, and password hashing bounded by
//! memory. No database and no business rules live here.

pub mod assets;
pub mod auth;
pub mod docs;
pub mod error;
pub mod extract;
pub mod layers;
pub mod metrics;
pub mod password;
pub mod photos;
pub mod session;
pub mod shutdown;
pub mod telemetry;

#[doc(hidden)]
pub use axum as __axum;
