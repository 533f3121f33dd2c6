//! Staff authentication: password and PIN hashing, signed access tokens, rotating
//! refresh tokens and the failed-login lockout.

pub mod keys;
pub mod lockout;
pub mod password;
pub mod tokens;
