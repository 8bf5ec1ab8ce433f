//! The bodies of the fuzz targets, one module per target, each with a
//! `run(data)` that panics only when pocketrec breaks a promise: a panic
//! inside the library, a score or forecast that is not finite, results
//! beyond `k` or repeated, intervals that are not nested.
//!
//! `tests/fuzz_regressions.rs` includes this file as a module and replays
//! the seeds and every crash found through the same `run` functions, so the
//! modules refer to each other with `super::`, never `crate::`.

pub mod catalogue;
pub mod check;
pub mod forecast;
pub mod interactions;
pub mod options;
