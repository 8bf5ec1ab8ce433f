/**
 * The one place that loads the wasm modules (wasm-bindgen `--target web`
 * glue in `pkg/`): recommendations fitted in the page, recommendations
 * served from a model index (the smaller query module), and forecasting. Each is fetched,
 * compiled and started at most once per thread (page or worker), on first
 * use, so a shop page never fetches the forecaster and a forecasting page
 * never fetches the recommender. Every caller awaits the same promise.
 */
import type { ForecastExports, IndexExports, WasmExports } from "./core.js";

/** Loaders of the wasm modules. */
export interface Modules {
  recommend(): Promise<WasmExports>;
  /** The query module, for a shop served from a model index. */
  query(): Promise<IndexExports>;
  forecast(): Promise<ForecastExports>;
}

/** `load`, run on the first call only; later calls get the same promise. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

/**
 * A glue module, started: its default export fetches the `.wasm` file
 * beside it (`new URL("…_bg.wasm", import.meta.url)`) and instantiates it.
 *
 * The glue's generated types describe the handle as wasm-bindgen sees it;
 * `WasmExports` and `ForecastExports` (core.ts) state the contract the
 * shell relies on, which the unit tests check against the real modules.
 */
async function started<T>(glue: Promise<{ default: () => Promise<unknown> }>): Promise<T> {
  const module = await glue;
  await module.default();
  return module as unknown as T;
}

/** This thread's wasm modules, each loaded once, on first use. */
export const wasmModules: Modules = {
  recommend: once(() => started<WasmExports>(import("../pkg/pocketrec.js"))),
  query: once(() => started<IndexExports>(import("../pkg/pocketrec_query.js"))),
  forecast: once(() => started<ForecastExports>(import("../pkg/pocketrec_forecast.js"))),
};
