//! Owner authentication and device credentials: argon2id passwords, signed access
//! tokens, rotating refresh tokens, device tokens and enrolment codes (stored hashed).

pub mod lockout;
pub mod password;
pub mod tokens;
