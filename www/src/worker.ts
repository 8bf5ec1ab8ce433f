/**
 * The engine's Web Worker: serves one shop, or forecasts. Each wasm module
 * is fetched on first use (loader.ts): a shop page never loads the
 * forecaster, an owner's page that only forecasts never loads the
 * recommender.
 */
import { wasmModules } from "./loader.js";
import { serve, type PortLike } from "./protocol.js";

serve(self as unknown as PortLike, wasmModules);
