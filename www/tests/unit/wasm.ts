import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ForecastExports, IndexExports, WasmExports } from "../../src/core.js";
import type { Modules } from "../../src/loader.js";

async function load<T>(name: string): Promise<T> {
  const pkg = resolve("pkg");
  const module = await import(pathToFileURL(`${pkg}/${name}.js`).href);
  await module.default({ module_or_path: readFileSync(`${pkg}/${name}_bg.wasm`) });
  return module as T;
}

/**
 * The real recommendation module, as built into www/pkg by scripts/build-wasm.sh.
 * (In the browser loader.ts loads it; Node needs the bytes handed over.)
 */
export function loadWasm(): Promise<WasmExports> {
  return load("pocketrec");
}

/** The real forecasting module. */
export function loadForecastWasm(): Promise<ForecastExports> {
  return load("pocketrec_forecast");
}

/** The real query module (a model index only). */
export function loadQueryWasm(): Promise<IndexExports> {
  return load("pocketrec_query");
}

/** All three, as loaders for `serve` and `ShopHost`. */
export const modules: Modules = { recommend: loadWasm, query: loadQueryWasm, forecast: loadForecastWasm };
