//! HTTP plumbing shared by the appliance and the cloud: the one error type with its
//! bilingual JSON body, the extractors that answer with it, and password hashing bounded
//! by memory (one copy for both servers). No database and no business rules live here.

pub mod error;
pub mod extract;
pub mod metrics;
pub mod password;
