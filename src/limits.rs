//! Size limits that keep hostile input from exhausting memory or time.
//!
//! Every limit produces [`crate::Error::LimitExceeded`] with a message that
//! names the limit; none truncates silently.

/// Largest catalogue or interactions text accepted, in bytes (512 MiB).
pub const MAX_INPUT_BYTES: usize = 512 * 1024 * 1024;
/// Most items in a catalogue (2,000,000).
pub const MAX_ITEMS: usize = 2_000_000;
/// Longest item id, in bytes.
pub const MAX_ID_BYTES: usize = 512;
/// Longest string in any catalogue field, in bytes (1 MiB).
pub const MAX_STRING_BYTES: usize = 1024 * 1024;
/// Most elements in a categorical array field.
pub const MAX_ARRAY_LEN: usize = 1024;
/// Most tokens kept from one text field of one item. Text past this point is
/// not indexed; this is documented behaviour, not an error, because long
/// descriptions are legitimate and their opening carries the meaning.
pub const MAX_TOKENS_PER_FIELD: usize = 4096;
/// Most interaction rows (50,000,000).
pub const MAX_INTERACTIONS: usize = 50_000_000;
/// Largest `k` a query may ask for.
pub const MAX_K: usize = 100_000;
