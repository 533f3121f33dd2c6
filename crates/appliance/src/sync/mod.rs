//! Sync with the cloud (docs/SYNC.md, "Appliance").
//!
//! - [`token`]: where the device token lives (OS keyring, else a 0600 file);
//! - [`client`]: the cloud's HTTP API;
//! - [`apply`]: writing the cloud's rows into the typed tables.

pub mod apply;
pub mod client;
pub mod token;
