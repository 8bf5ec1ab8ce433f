/**
 * The engine's Web Worker: serves one shop. Each wasm module is fetched on
 * first use: a shop page never loads the forecaster, an owner's page that
 * only forecasts never loads the recommender.
 */
import { serve, type PortLike } from "./protocol.js";

serve(self as unknown as PortLike, {
  recommend: () => import("../pkg/pocketrec.js").then(async (m) => (await m.default(), m)),
  forecast: () => import("../pkg/pocketrec_forecast.js").then(async (m) => (await m.default(), m)),
});
