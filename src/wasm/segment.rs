//! `segmentCustomers(ordersCsv, options)`: customer segments for the shop
//! owner's page, the same pipeline as `pocketrec segment`
//! ([`crate::shop::segment::segment`]) and the same result shape.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::convert::{js_error, options_from_js, to_js};
use super::shop::read_orders;
use crate::shop::segment::{segment, KChoice, SegmentOptions};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Options of `segmentCustomers`; every field is optional. */
export interface SegmentOptions {
    /** Segments, 1–100, or "auto" (2–8, the highest silhouette wins). Default "auto". */
    k?: number | "auto";
    /** Seed of k-means and of the silhouette's sample. Default 42. */
    seed?: number;
    /** k-means restarts, 1–1000; the lowest inertia wins. Default 10. */
    restarts?: number;
    /** Catalogue JSON text: titles, categories (top categories per segment), prices. */
    catalogJson?: string;
    /** Cut-off date YYYY-MM-DD: lines on or after it are left out; recency counts to it. Default: the day after the log's last day. */
    asOf?: string;
    /** Skip (and count) bad lines instead of failing at the first. Default false. */
    skipBadLines?: boolean;
}

/** One segment, by mean monetary value (highest first). */
export interface Segment {
    id: number; name: string; size: number; share: number;
    /** Means: days since the last sale, orders, net revenue. */
    recency: number; frequency: number; monetary: number;
    topCategories: { name: string; revenue: number }[];
    topProducts: { id: string; title: string; revenue: number }[];
}

/** The result of `segmentCustomers`. */
export interface Segments {
    k: number; chosenBy: "k" | "silhouette"; silhouette: number | null; inertia: number;
    seed: number; restarts: number;
    /** The last day of data used (YYYY-MM-DD). */
    asOf: string;
    read: { lines: number; sales: number; returns: number; returnedUnits: number; anonymous: number;
            skipped: { reason: string; lines: number; first: string }[] };
    excluded: { onlyReturns: number; clampedMonetary: number; linesAfterAsOf: number; anonymousLines: number };
    /** With k "auto": each k tried. */
    candidates?: { k: number; silhouette: number; inertia: number }[];
    segments: Segment[];
    customers: { id: string; segment: number; recency: number; frequency: number; monetary: number }[];
}
"#;

/// The JS options: the core's plus the catalogue and bad-line handling.
#[derive(Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct Options {
    k: KChoice,
    seed: u64,
    restarts: usize,
    catalog_json: Option<String>,
    as_of: Option<String>,
    skip_bad_lines: bool,
}

impl Default for Options {
    fn default() -> Self {
        let core = SegmentOptions::default();
        Options {
            k: core.k,
            seed: core.seed,
            restarts: core.restarts,
            catalog_json: None,
            as_of: None,
            skip_bad_lines: false,
        }
    }
}

/// Segments the customers of an order log (CSV text; see `pocketrec
/// segment`). Errors are `PocketrecError`s with a `code`.
#[wasm_bindgen(js_name = segmentCustomers, unchecked_return_type = "Segments")]
pub fn segment_customers(
    orders_csv: &str,
    #[wasm_bindgen(unchecked_param_type = "SegmentOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let o: Options = options_from_js(options, "options")?;
    let orders = read_orders(orders_csv, o.catalog_json.as_deref(), o.skip_bad_lines)?;
    let core = SegmentOptions {
        k: o.k,
        seed: o.seed,
        restarts: o.restarts,
        as_of: o.as_of,
    };
    to_js(&segment(&orders, &core).map_err(|e| js_error(&e))?)
}
