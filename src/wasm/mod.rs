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
pub mod segment;
#[cfg(feature = "wasm-forecast")]
pub mod shop;

use wasm_bindgen::prelude::*;

/// The most bytes one [`random_bytes`] call gives (what one
/// `crypto.getRandomValues` call may fill).
#[cfg(any(feature = "wasm-recommend", feature = "wasm-query"))]
pub const MAX_RANDOM_BYTES: usize = 65_536;

/// `n` random bytes from the browser's cryptographic generator
/// (`crypto.getRandomValues`, through getrandom's `wasm_js` backend), as a
/// `Uint8Array`: the randomness the page must supply, e.g. for the shell's
/// `Engine.variant` draws. The core never calls this: its randomness is
/// seeded.
///
/// # Errors
/// `invalid_value` for `n` outside 1 to [`MAX_RANDOM_BYTES`]; `internal`
/// when the environment has no `crypto.getRandomValues`.
#[cfg(any(feature = "wasm-recommend", feature = "wasm-query"))]
#[wasm_bindgen(js_name = randomBytes)]
pub fn random_bytes(n: usize) -> Result<Vec<u8>, JsValue> {
    if !(1..=MAX_RANDOM_BYTES).contains(&n) {
        return Err(convert::js_error(&crate::Error::InvalidValue {
            path: "randomBytes(n)".into(),
            message: format!("n must be from 1 to {MAX_RANDOM_BYTES}, got {n}"),
        }));
    }
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| {
        convert::js_error_coded(
            &format!("no source of random numbers (crypto.getRandomValues): {e}"),
            "internal",
        )
    })?;
    Ok(bytes)
}

/// Runs once when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}
