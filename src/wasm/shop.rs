//! `stockPlan(ordersCsv, options)`: the reorder plan of
//! [`crate::shop::stock`] for the shop owner's page, in the forecasting
//! module (feature `wasm-forecast`).
//!
//! The page hands over the files' text as the user picked them (the order
//! log, optionally a stock count and a catalogue); the result is the same
//! object `pocketrec stock --out plan.json` writes.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::convert::{js_error, options_from_js, to_js};
use crate::data::catalogue::Catalogue;
use crate::shop::on_hand::read_stock;
use crate::shop::orders::{Orders, OrdersOptions};
use crate::shop::sales::{parse_date, Period};
use crate::shop::stock::{plan, PlanOptions};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Options of `stockPlan`; every field is optional. */
export interface StockPlanOptions {
    /** Lead time in periods, 1–104. Default 2. */
    leadTime?: number;
    /** Cycle service level in percent, [50, 100). Default 95. */
    serviceLevel?: number;
    /** Period of the sales series: ISO weeks from Monday, or calendar months. Default "week". */
    period?: "week" | "month";
    /** Level of the lead-time demand interval in percent. Default 95. */
    level?: number;
    /** Units on hand: CSV text with a header `id,stock` (also `sku`, `StockCode`; `on_hand`, `quantity`). */
    stockCsv?: string;
    /** A catalogue (JSON text): titles, categories, prices; every product of the log must be in it. */
    catalogJson?: string;
    /** Plan with only the lines dated before this day, "YYYY-MM-DD". */
    asOf?: string;
    /** Skip (and count in `read.skipped`) bad lines of the log instead of failing. Default false. */
    skipBadLines?: boolean;
}

/** Lines of the log skipped for one reason. */
export interface SkippedLines { reason: string; lines: number; first: string }

/** What reading the order log found. */
export interface OrdersRead {
    lines: number; sales: number; returns: number; returnedUnits: number;
    anonymous: number; skipped: SkippedLines[];
}

/** One product of the plan. */
export interface StockPlanProduct {
    id: string; title: string;
    abc: "A" | "B" | "C"; xyz: "X" | "Y" | "Z";
    /** Net revenue (sales − returns) over the history. */
    revenue: number;
    /** Net units over the history. */
    units: number;
    returnedUnits: number;
    /** Coefficient of variation of per-period demand (XYZ basis); null when nothing sold. */
    cv: number | null;
    model: string;
    /** Forecast demand over the lead time, and its interval at `level`. */
    leadTimeDemand: number; lower: number; upper: number; level: number;
    safetyStock: number; reorderPoint: number;
    /** Units on hand; null when the stock file does not name the product. */
    stock: number | null;
    /** Days the stock lasts at the forecast rate; null when stock is unknown or nothing is forecast to sell. */
    daysOfCover: number | null;
    /** P(lead-time demand > stock); null when stock is unknown. */
    stockoutRisk: number | null;
    /** Whole units to order now (order-up-to reorder point + one period's demand). */
    orderQuantity: number;
    /** Net units per period, oldest first. */
    sales: number[];
    /** Per period over the lead time. */
    forecast: { point: number[]; lower: number[]; upper: number[] };
}

/** The result of `stockPlan`, the same as `pocketrec stock --out plan.json`. */
export interface StockPlan {
    period: "week" | "month";
    /** 7, or 30.44 for months. */
    periodDays: number;
    /** The last day of data used. */
    asOf: string;
    history: { first: string; periods: number };
    leadTime: number; serviceLevel: number;
    read: OrdersRead;
    abc: { A: number; B: number; C: number };
    matrix: { AX: number; AY: number; AZ: number; BX: number; BY: number; BZ: number; CX: number; CY: number; CZ: number };
    /** Products without a line in the history used, left out. */
    unsold: number;
    /** Most urgent first. */
    products: StockPlanProduct[];
}
"#;

/// The JS options (see the TypeScript types above).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct StockPlanOptions {
    lead_time: Option<usize>,
    service_level: Option<f64>,
    period: Option<Period>,
    level: Option<f64>,
    stock_csv: Option<String>,
    catalog_json: Option<String>,
    as_of: Option<String>,
    skip_bad_lines: bool,
}

/// The reorder plan of an order log (CSV text); see `StockPlanOptions`.
#[wasm_bindgen(js_name = stockPlan, unchecked_return_type = "StockPlan")]
pub fn stock_plan(
    orders_csv: &str,
    #[wasm_bindgen(unchecked_param_type = "StockPlanOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let o: StockPlanOptions = options_from_js(options, "options")?;
    let defaults = PlanOptions::default();
    let plan_options = PlanOptions {
        lead_time: o.lead_time.unwrap_or(defaults.lead_time),
        service_level: o.service_level.unwrap_or(defaults.service_level),
        period: o.period.unwrap_or(defaults.period),
        level: o.level.unwrap_or(defaults.level),
        as_of: o
            .as_of
            .as_deref()
            .map(|d| parse_date(d, "asOf"))
            .transpose()
            .map_err(|e| js_error(&e))?,
    };
    plan_options.validate().map_err(|e| js_error(&e))?;
    let orders = read_orders(orders_csv, o.catalog_json.as_deref(), o.skip_bad_lines)?;
    let stock = o
        .stock_csv
        .as_deref()
        .map(|text| read_stock(text, &orders.products))
        .transpose()
        .map_err(|e| js_error(&e))?;
    let result = plan(&orders, stock.as_deref(), &plan_options).map_err(|e| js_error(&e))?;
    to_js(&result)
}

/// An order log read with an optional catalogue (JSON text): what
/// `stockPlan` and `segmentCustomers` both start from.
pub(super) fn read_orders(
    orders_csv: &str,
    catalog_json: Option<&str>,
    skip_bad_lines: bool,
) -> Result<Orders, JsValue> {
    let catalogue = catalog_json
        .map(|text| Catalogue::from_json(text, &Default::default()))
        .transpose()
        .map_err(|e| js_error(&e))?;
    Orders::from_csv(
        orders_csv,
        catalogue.as_ref(),
        &OrdersOptions { skip_bad_lines },
    )
    .map_err(|e| js_error(&e))
}
