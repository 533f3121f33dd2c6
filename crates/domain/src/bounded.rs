//! Bounded integers: newtypes over `u16` that only hold a value in a range, checked when
//! read from JSON (`try_from = "u16"`) and described to OpenAPI with their bounds.

/// Declares a bounded integer: `pub struct Name(MIN..=MAX) else "message {}"`, the message
/// saying what went wrong with `{}` standing for the maximum. The type reads and writes as
/// a plain number, refuses one out of range, and gives `MIN`, `MAX` and `get`.
macro_rules! bounded_number {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($min:tt ..= $max:tt) else $message:literal;
    ) => {
        $(#[$meta])*
        #[derive(
            Clone,
            Copy,
            Debug,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            serde::Serialize,
            serde::Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(try_from = "u16", into = "u16")]
        #[schema(value_type = u16, minimum = $min, maximum = $max)]
        pub struct $name(u16);

        impl $name {
            /// The smallest value.
            pub const MIN: u16 = $min;
            /// The largest value.
            pub const MAX: u16 = $max;

            /// The number.
            pub fn get(self) -> u16 {
                self.0
            }
        }

        impl TryFrom<u16> for $name {
            type Error = String;
            fn try_from(value: u16) -> Result<Self, Self::Error> {
                if (Self::MIN..=Self::MAX).contains(&value) {
                    Ok($name(value))
                } else {
                    Err(format!($message, Self::MAX))
                }
            }
        }

        impl From<$name> for u16 {
            fn from(value: $name) -> u16 {
                value.0
            }
        }
    };
}
