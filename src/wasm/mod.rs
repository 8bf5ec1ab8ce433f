//! The browser binding: the only module that uses wasm-bindgen and js-sys.
//!
//! Three modules are built from it: the recommendation module (feature
//! `wasm-recommend`, [`engine`]) that fits a catalogue and its log in the
//! page; the query module (feature `wasm-query`), the same [`engine`]
//! without the fitting code and the CSV and catalogue readers, for shops
//! that serve a model index; and the forecasting module (feature
//! `wasm-forecast`, [`forecast`], the reorder plan of an order log in
//! [`shop`] and customer segments in [`segment`]) for the shop owner's pages.
//!
//! [`engine::Engine`] owns the catalogue and the fitted models inside wasm
//! memory; JavaScript passes a catalogue once, interactions once (text,
//! objects or typed arrays), then asks small questions and gets small
//! answers back. Every failure reaches JavaScript as an `Error` whose
//! `name` is `"PocketrecError"` and whose `code` is [`crate::Error::code`]
//! (see [`convert`]). A panic hook logs any panic to the console, but inputs
//! are validated before use, so a panic is a bug, never a reaction to data.

pub mod convert;
#[cfg(any(feature = "wasm-recommend", feature = "wasm-query"))]
pub mod engine;
#[cfg(feature = "wasm-forecast")]
pub mod forecast;
#[cfg(feature = "wasm-forecast")]
pub mod shop;
#[cfg(feature = "wasm-forecast")]
pub mod segment;

use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}
