//! The assistant's pure half, shared by the appliance (which adds the model, the database
//! and the order and booking commands) and the cloud (which answers widget chats with it
//! while the restaurant is unreachable).
//!
//! The code decides: [`understand`] reads a message against the menu without a model and
//! grounds any dish named (by the parser or by a model), [`draft`] keeps the draft order,
//! prices it from the menu and words every reply that carries facts, and [`relay`] holds
//! the wire types of a widget chat relayed from the cloud to a restaurant.

mod booking_words;
pub mod draft;
pub mod guard;
mod index;
mod pricing;
pub mod relay;
pub mod text;
pub mod understand;
