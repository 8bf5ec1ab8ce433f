/**
 * pocketrec in the browser: the package's main entry (`import … from
 * "pocketrec"`), with no side effects on import. It is for pages and
 * bundles that want the engine, the forecaster, the shopper's history or
 * the widget's class directly; `definePocketRecs()` registers the element
 * (`wasmModules`, the raw wasm modules as loaded once per page, is for
 * benchmarks and custom hosts).
 *
 * The drop-in entry `pocketrec.js` (`pocketrec/widget`) re-exports all of
 * this and defines `<pocket-recs>` on import:
 *
 * ```html
 * <script type="module" src="/pocketrec/pocketrec.js"></script>
 * ```
 */
export { Engine, Forecaster, PocketrecError } from "./engine.js";
export type { Variants } from "./experiment.js";
export { fetchedOf } from "./fetches.js";
export type { Fetched } from "./fetches.js";
export type { EngineOptions, ErrorCode, Forecast, ForecastOptions, ForecasterOptions, HistoryEvent, ItemView, Progress, QueryOptions, Reason, Recommendation, Result, ShopSource, IndexSource, LogSource, StockPlanProduct, Segment, SegmentOptions, Segments, StockPlan, StockPlanOptions } from "./engine.js";
export { ERROR_CODES } from "./error.js";
export { wasmModules } from "./loader.js";
export { History } from "./history.js";
export type { HistoryOptions, HistoryProblem } from "./history.js";
export { byCategoryInTurn, formatPrice, parseWeights, reasonText, safeUrl } from "./display.js";
export { PocketRecs, definePocketRecs, itemCard, sharedEngine, sharedHistory } from "./widget.js";
export { PocketPlayground, definePocketPlayground } from "./playground.js";
export { forecastChart, ticks } from "./chart.js";
export type { ChartOptions } from "./chart.js";
