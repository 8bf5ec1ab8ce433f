//! What comes in: the shop's catalogue, its interaction log and a shopper's
//! history, read and checked once and turned into dense item indices
//! (`0..n`, in catalogue order) that every model works on.
//!
//! * [`catalogue`]: products (JSON) → [`Catalogue`]: ids ↔ indices, typed
//!   feature fields, display fields;
//! * [`interactions`]: the log (CSV or JSON) → columns → the aggregated
//!   user × item matrix ([`interactions::UserItems`]);
//! * [`history`]: one shopper's events → weighted items;
//! * [`movielens`]: the MovieLens layout as a catalogue;
//! * [`json_path`]: the JSON path of a line and column, for error messages;
//! * [`text`]: tokenising (words, CJK bigrams) shared by the content model
//!   and search.

pub mod catalogue;
pub mod history;
pub mod interactions;
pub mod json_path;
pub mod movielens;
pub mod text;

pub use catalogue::Catalogue;
pub use history::Event;
pub use interactions::Interactions;

/// `bytes` without a leading UTF-8 byte-order mark (which some editors on
/// Windows write, and which JSON parsers otherwise refuse at line 1, column 1).
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}
