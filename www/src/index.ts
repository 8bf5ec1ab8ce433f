/**
 * pocketrec in the browser: the public module a page imports.
 *
 * ```html
 * <script type="module" src="/pocketrec/pocketrec.js"></script>
 * ```
 *
 * Importing it defines `<pocket-recs>`; the exports are for pages that want
 * the engine or the shopper's history directly.
 */
export { Engine, PocketrecError } from "./engine.js";
export type { EngineOptions, Forecast, ForecastOptions, HistoryEvent, ItemView, Progress, QueryOptions, Reason, Recommendation, Result } from "./engine.js";
export { History } from "./history.js";
export type { HistoryOptions, HistoryProblem } from "./history.js";
export { formatPrice, parseWeights, reasonText, safeUrl } from "./display.js";
export { PocketRecs, itemCard, reasonTitles, sharedEngine, sharedHistory } from "./widget.js";
export { forecastChart, ticks } from "./chart.js";
export type { ChartOptions } from "./chart.js";
