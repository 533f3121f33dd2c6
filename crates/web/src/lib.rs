//! HTTP plumbing shared by the appliance and the cloud: the one error type with its
//! bilingual JSON body, and the extractors that answer with it. No database and no
//! business rules live here.

pub mod error;
pub mod extract;
