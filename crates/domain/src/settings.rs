//! Settings that travel with sync: their keys, written once.
//!
//! A synced setting is a `Setting` row (`key`, JSON `value`) that the appliance writes and
//! the cloud reads (or the other way round). Both sides name the key through these
//! constants, so a typo on one side cannot silently desynchronise them.

/// The keys of synced settings.
pub mod keys {
    /// `true` while the restaurant has paused online orders: the cloud refuses widget
    /// orders (the appliance's `POST /ordering/online-paused` sets it).
    pub const ONLINE_PAUSED: &str = "ordering.online_paused";
    /// How many bookings the cloud may confirm per slot while the location is offline.
    pub const BOOKINGS_ONLINE_QUOTA_PER_SLOT: &str = "bookings.online_quota_per_slot";
    /// The largest party the widget accepts.
    pub const BOOKINGS_MAX_PARTY_SIZE: &str = "bookings.max_party_size";
    /// The prefix of the restaurant's profile fields (`restaurant.<field>`, one setting
    /// per field so that edits of different fields both win).
    pub const RESTAURANT_PREFIX: &str = "restaurant.";
    /// The restaurant's trading name.
    pub const RESTAURANT_NAME: &str = "restaurant.name";
    /// The restaurant's IANA time zone.
    pub const RESTAURANT_TIME_ZONE: &str = "restaurant.time_zone";
    /// The restaurant's weekly opening hours.
    pub const RESTAURANT_OPENING_HOURS: &str = "restaurant.opening_hours";
    /// Spacing of reservation slots, minutes.
    pub const RESTAURANT_SLOT_MINUTES: &str = "restaurant.reservation_slot_minutes";
    /// Default length of a reservation, minutes.
    pub const RESTAURANT_DURATION_MINUTES: &str = "restaurant.reservation_duration_minutes";
    /// `true` while the owner has closed the location in the dashboard (soft: its data
    /// stays, the cloud's widget answers "cerrado"); the cloud writes it, counters read it.
    pub const LOCATION_CLOSED: &str = "location.closed";
    /// The prefix of a counter's claim on its range of order numbers
    /// (`counter_slot.<device id>`, value: the slot index, 0 for A;
    /// `crate::numbering`).
    pub const COUNTER_SLOT_PREFIX: &str = "counter_slot.";
}
