//! Size limits that keep hostile input from exhausting memory or time.
//!
//! Every limit produces [`crate::Error::LimitExceeded`] with a message that
//! names the limit; none truncates silently.

/// Largest interactions (or other input) text accepted, in bytes (512 MiB).
pub const MAX_INPUT_BYTES: usize = 512 * 1024 * 1024;
/// Largest catalogue text accepted, in bytes (256 MiB). A catalogue takes
/// about 4–12 times its file size in memory once read and its content
/// model fitted (measured: 4.4× for shop-like items, 12× for items of a
/// few words; `tests/benches/catalogue_memory.sh`), so this limit and
/// [`MAX_ITEMS`] keep the worst case near 1.2 GB: within a browser tab's
/// wasm memory (4 GiB at most) and far within this 24 GB machine.
pub const MAX_CATALOGUE_BYTES: usize = 256 * 1024 * 1024;
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
/// Largest weight of one interaction or history event, after its event-type
/// multiplier (10⁹). Sums of up to [`MAX_INTERACTIONS`] such weights stay
/// far inside `f32` range, so no later step can overflow.
pub const MAX_WEIGHT: f32 = 1e9;
/// Earliest timestamp accepted: 0001-01-01T00:00:00Z, in seconds.
pub const MIN_TIMESTAMP: i64 = -62_135_596_800;
/// Latest timestamp accepted: 9999-12-31T23:59:59Z, in seconds.
pub const MAX_TIMESTAMP: i64 = 253_402_300_799;
/// Largest `k` a query may ask for.
pub const MAX_K: usize = 100_000;
