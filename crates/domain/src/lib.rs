//! Pure types and rules of ChatBotDysa, shared by the appliance and the cloud.
//!
//! Nothing here does I/O: ids, money, state machines, validation, the hybrid logical
//! clock and the permission model live here so both servers apply the same rules and the
//! rules can be tested (and property-tested) without a database.

#[macro_use]
mod bounded;

pub mod assistant;
pub mod audit;
pub mod bills;
pub mod closing;
pub mod customer;
pub mod drawer;
pub mod floor;
pub mod hlc;
pub mod hours;
pub mod ids;
pub mod join;
pub mod kitchen;
pub mod lockout;
pub mod menu;
pub mod money;
pub mod numbering;
pub mod order;
pub mod payment;
pub mod rbac;
pub mod reservation;
pub mod settings;
pub mod spreadsheet;
pub mod staff_seal;
pub mod sync;
pub mod validate;
