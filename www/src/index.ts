/**
 * pocketrec in the browser: the public module a page imports.
 *
 * ```html
 * <script type="module" src="/pocketrec/pocketrec.js"></script>
 * ```
 *
 * Importing it defines `<pocket-recs>`; the exports are for pages that want
 * the engine, the forecaster or the shopper's history directly
 * (`wasmModules`, the raw wasm modules as loaded once per page, is for
 * benchmarks and custom hosts).
 */
export { Engine, Forecaster, PocketrecError } from "./engine.js";
export type { EngineOptions, ErrorCode, Forecast, ForecastOptions, ForecasterOptions, HistoryEvent, ItemView, Progress, QueryOptions, Reason, Recommendation, Result, ShopSource, IndexSource, LogSource } from "./engine.js";
export { ERROR_CODES } from "./error.js";
export { wasmModules } from "./loader.js";
export { History } from "./history.js";
export type { HistoryOptions, HistoryProblem } from "./history.js";
export { formatPrice, parseWeights, reasonText, safeUrl } from "./display.js";
export { PocketRecs, itemCard, sharedEngine, sharedHistory } from "./widget.js";
export { forecastChart, ticks } from "./chart.js";
export type { ChartOptions } from "./chart.js";
