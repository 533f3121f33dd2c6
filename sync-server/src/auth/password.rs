//! Argon2id hashing for passwords and PINs: the one shared copy in `dysa_web::password`
//! (bounded by a semaphore sized to memory), re-exported where callers always found it.

pub use dysa_web::password::{HashError, Hasher, HashingConfig, hash, verify};
