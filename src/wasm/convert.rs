//! Conversions between JavaScript values and core types, and errors.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::Error;

/// A JavaScript `Error` with `name = "PocketrecError"` and a stable `code`
/// property, so callers can branch on the kind of failure.
pub fn js_error(error: &Error) -> JsValue {
    js_error_coded(&error.to_string(), error.code())
}

/// A `PocketrecError` with `message` and `code` (one of the shell's
/// `ERROR_CODES`), for failures that are not a core [`Error`].
pub fn js_error_coded(message: &str, code: &str) -> JsValue {
    let js = js_sys::Error::new(message);
    js.set_name("PocketrecError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&js, &"code".into(), &code.into());
    js.into()
}

/// Reads a plain JavaScript value (object, array, JSON-compatible) into a
/// core type; `what` names the argument in the error.
///
/// The value goes through `JSON.stringify` and serde_json rather than
/// serde-wasm-bindgen, because the latter reads only the fields a struct
/// declares and so never reports an unknown key; a typo in an options
/// object must be an error. Options and histories are small, so the
/// round trip costs little.
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    let invalid = |message: String| {
        js_error(&Error::InvalidValue {
            path: what.to_string(),
            message,
        })
    };
    let text: String = js_sys::JSON::stringify(&value)
        .map_err(|_| invalid("expected plain JSON-compatible data".into()))?
        .into();
    serde_json::from_str(&text).map_err(|e| {
        // serde_json's position refers to the stringified text; drop it.
        let message = e.to_string();
        invalid(
            message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string(),
        )
    })
}

/// Reads a large plain value (a catalogue object) with serde-wasm-bindgen,
/// which walks the object directly instead of printing it first.
pub fn value_from_js(value: JsValue, what: &str) -> Result<serde_json::Value, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        js_error(&Error::InvalidValue {
            path: what.to_string(),
            message: e.to_string(),
        })
    })
}

/// Reads an optional options object: `undefined` and `null` give the default.
pub fn options_from_js<T: DeserializeOwned + Default>(
    value: JsValue,
    what: &str,
) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(value, what)
    }
}

/// Writes a core value as plain JavaScript data (objects, not `Map`s; `null`, not `undefined`).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|e| {
        js_error(&Error::InvalidValue {
            path: "result".into(),
            message: e.to_string(),
        })
    })
}
