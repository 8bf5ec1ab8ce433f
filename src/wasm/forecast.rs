//! `forecast(values, options)`: the forecasting core for JavaScript, with
//! an optional reorder suggestion for a shop owner.

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::{from_js, js_error, to_js};
use crate::error::Error;
use crate::forecast::inventory::{inventory as plan_inventory, Inventory, InventoryOptions};
use crate::forecast::{forecast as run_forecast, Forecast, ForecastOptions};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Options of `forecast`; every field is optional. */
export interface ForecastOptions {
    /** Steps ahead. Default 12. */
    horizon?: number;
    /** Seasonal period (12 monthly, 52 weekly, 7 daily; 1 none). Default: detected. */
    seasonLength?: number;
    /** Interval levels in percent. Default [80, 95]. */
    levels?: number[];
    /** Default "auto": the combination for regular series, Croston/TSB for intermittent ones. */
    model?: "auto" | "ets" | "theta" | "arima" | "combo" | "croston" | "sba" | "tsb" | "naive" | "snaive" | "naive2";
    /** How "combo" and "auto" merge ETS, Theta and ARIMA. Default "median". */
    combine?: "mean" | "median";
    /** Clamp at 0 (sales). Default: true when no value is negative. */
    nonNegative?: boolean;
    /** Seed for simulated intervals. Default 42. */
    seed?: number;
    /** Sample paths for simulated intervals. Default 1000. */
    simulations?: number;
    /**
     * ARIMA order [p, d, q] for `model: "arima"` instead of one chosen by AICc:
     * p and q in 0..5, d in 0..2 (no seasonal terms: seasonal series are adjusted first).
     * The result then carries `fit` (log-likelihood, AIC, AICc, BIC).
     */
    order?: [number, number, number];
    /** Ask for a reorder suggestion: lead time in periods (1..horizon), service level in percent [50, 100) (default 95), stock on hand (≥ 0). */
    inventory?: { leadTime: number; serviceLevel?: number; stock?: number };
}

/**
 * Log-likelihood and information criteria of an `ets` or `arima` fit:
 * AIC = −2 log L + 2k, AICc = AIC + 2k(k+1)/(n−k−1) (null when n ≤ k+1), BIC = −2 log L + k ln n,
 * with n the observations of the likelihood and k the estimated parameters (σ² included).
 */
export interface ForecastFit {
    loglik: number; aic: number; aicc: number | null; bic: number; n: number; k: number;
    /** ARIMA [p, d, q]. */
    order?: [number, number, number];
}

/** A prediction interval at one level (percent). */
export interface ForecastInterval { level: number; lower: number[]; upper: number[] }

/** A reorder suggestion from a forecast. */
export interface Inventory {
    leadTime: number; serviceLevel: number; leadTimeDemand: number;
    safetyStock: number; reorderPoint: number;
    /** First period (1-based) in which expected demand exceeds `stock`; null if it lasts (or no stock was given). */
    stockoutPeriod: number | null;
}

/** The result of `forecast`. */
export interface Forecast {
    point: number[]; intervals: ForecastInterval[]; model: string; seasonLength: number;
    /** Present for `model: "ets"` and `model: "arima"`. */
    fit?: ForecastFit;
    inventory?: Inventory;
}
"#;

/// The default horizon when none is given.
const DEFAULT_HORIZON: usize = 12;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    #[serde(flatten)]
    forecast: Forecast,
    #[serde(skip_serializing_if = "Option::is_none")]
    inventory: Option<Inventory>,
}

/// Forecasts `options.horizon` (default 12) steps ahead of `values`
/// (oldest first; an array of numbers or a `Float64Array`).
#[wasm_bindgen(unchecked_return_type = "Forecast")]
pub fn forecast(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] values: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ForecastOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let values = values_from_js(&values)?;
    let (horizon, inventory, options) = split_options(options)?;
    let forecast = run_forecast(&values, horizon, &options).map_err(|e| js_error(&e))?;
    let inventory = match inventory {
        None => None,
        Some(o) => {
            o.validate(horizon, &options.levels)
                .map_err(|e| js_error(&e))?;
            Some(plan_inventory(&forecast, &o).map_err(|e| js_error(&e))?)
        }
    };
    to_js(&Answer {
        forecast,
        inventory,
    })
}

/// Numbers from an array or a `Float64Array`; anything else names its index.
fn values_from_js(value: &JsValue) -> Result<Vec<f64>, JsValue> {
    if let Some(typed) = value.dyn_ref::<js_sys::Float64Array>() {
        return Ok(typed.to_vec());
    }
    let Some(array) = value.dyn_ref::<js_sys::Array>() else {
        return Err(invalid(
            "values",
            format!(
                "expected an array of numbers or a Float64Array, got {}",
                describe(value)
            ),
        ));
    };
    (0..array.length())
        .map(|i| {
            let v = array.get(i);
            v.as_f64().ok_or_else(|| {
                invalid(
                    &format!("values[{i}]"),
                    format!("expected a number, got {}", describe(&v)),
                )
            })
        })
        .collect()
}

/// Splits the JS options into the horizon, the inventory request and the
/// core's options (validated by [`ForecastOptions::from_json`], so unknown
/// keys and out-of-range values are errors).
fn split_options(
    options: JsValue,
) -> Result<(usize, Option<InventoryOptions>, ForecastOptions), JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok((DEFAULT_HORIZON, None, ForecastOptions::default()));
    }
    let serde_json::Value::Object(mut map) = from_js::<serde_json::Value>(options, "options")?
    else {
        return Err(invalid("options", "expected an object".into()));
    };
    let horizon = match map.remove("horizon") {
        None => DEFAULT_HORIZON,
        Some(v) => v
            .as_u64()
            .and_then(|h| usize::try_from(h).ok())
            .ok_or_else(|| {
                js_error(&Error::config(
                    "horizon",
                    format!("must be a whole number ≥ 1, got {v}"),
                ))
            })?,
    };
    let inventory = match map.remove("inventory") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(
            serde_json::from_value::<InventoryOptions>(v)
                .map_err(|e| invalid("options.inventory", e.to_string()))?,
        ),
    };
    let text = serde_json::Value::Object(map).to_string();
    let core = ForecastOptions::from_json(&text).map_err(|e| js_error(&e))?;
    Ok((horizon, inventory, core))
}

fn invalid(path: &str, message: String) -> JsValue {
    js_error(&Error::InvalidValue {
        path: path.to_string(),
        message,
    })
}

/// A short description of a JS value for error messages.
fn describe(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if value.is_undefined() {
        "undefined (a hole in the array?)".into()
    } else if let Some(s) = value.as_string() {
        format!("the string {s:?}")
    } else {
        value
            .js_typeof()
            .as_string()
            .unwrap_or_else(|| "a value".into())
    }
}
