/**
 * The browser benchmark page (dist/bench/index.html; driven by
 * tests/benches/browser.mjs, not a test). For the demo shop and the
 * generated 10k-item shop it times, in this tab:
 *
 * - load + fit: `new Engine(catalogueText)`, `loadInteractionsCsv`, `fit`
 *   (the work `Shop.load` does after fetching), median of 7 runs;
 * - recommend: one `recommend` of a 10-item history (hybrid, k 10, with
 *   explanations), mean over 300 queries after 30 warm-up queries;
 * - the same query through the public `Engine` (Web Worker round trip).
 * - the model index path (`Engine.create({ indexUrl })`, the query module):
 *   the same recommend in this tab (mean over 300) and through the worker,
 *   with the raw-log worker beside it (median of 200 single calls each).
 *
 * With `?cold=index|log&item=ID` the page does only one cold start instead:
 * `Engine.create` of the 10k shop by that path, then one `similarItems(ID)`
 * through the fresh worker (browser.mjs loads it in a fresh browser context
 * each time, and counts the bytes fetched).
 *
 * - forecast: the automatic forecaster on a 144-point monthly series,
 *   18 steps ahead, season 12, median of 30 runs after 5 warm-up runs.
 *
 * The native side of the comparison is the criterion group "browser parity"
 * in tests/benches/engine.rs, on the same files and the same history.
 */
import type { ForecastExports, IndexExports, WasmEngine, WasmExports, WasmIndexEngine } from "../core.js";
import { Engine, wasmModules } from "../index.js";

interface ShopFigures {
  shop: string;
  items: number;
  interactions: number;
  loadFitMs: number[];
  recommendMs: number;
  similarMs: number;
  workerRecommendMs: number;
  workerLoadMs: number;
  /** The index path: recommend in this tab (mean ms), and medians of single worker calls, index and raw log. */
  index?: { recommendMs: number; alsMs: number; workerRecommendMedianMs: number; logWorkerRecommendMedianMs: number; openMs: number; workerLoadMs: number };
}

/** Median ms of `n` single awaited calls, after 30 warm-up calls. */
async function medianOfCalls(query: () => Promise<unknown>, n: number): Promise<number> {
  for (let i = 0; i < 30; i++) await query();
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await query();
    runs.push(performance.now() - t0);
  }
  return median(runs);
}

/** Opens `shop`'s model index with the query module in this tab, as `Shop.open` does (fetches not timed). */
async function openIndex(query: IndexExports, folder: string): Promise<{ engine: WasmIndexEngine; openMs: number; files: Map<string, Uint8Array> }> {
  const manifest = new Uint8Array(await (await fetch(`${folder}pocketrec-index.json`)).arrayBuffer());
  const shards = (JSON.parse(new TextDecoder().decode(manifest)) as { shards: { file: string; kind: string; first: number }[] }).shards;
  const files = new Map<string, Uint8Array>();
  await Promise.all(shards.map(async ({ file }) => files.set(file, new Uint8Array(await (await fetch(`${folder}${file}`)).arrayBuffer()))));
  // What a page opens before any query (Shop.open): popularity's first ranks and the features.
  const first = new Map(shards.filter((s) => (s.kind === "popularity" && s.first === 0) || s.kind === "features").map((s) => [s.file, files.get(s.file) as Uint8Array]));
  const t0 = performance.now();
  const engine = query.Engine.fromIndex(manifest, first);
  return { engine, openMs: performance.now() - t0, files };
}

/** The history the native bench uses too: ten ids spread evenly over the catalogue. */
function benchHistory(ids: string[]): { item: string }[] {
  return Array.from({ length: 10 }, (_, j) => ({ item: ids[Math.floor((j * ids.length) / 10) + 1] as string }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function measure(wasm: WasmExports, query: IndexExports, shop: string): Promise<ShopFigures> {
  const catalogueUrl = `${shop}/catalogue.json`;
  const interactionsUrl = `${shop}/interactions.csv`;
  const [catalogue, csv] = await Promise.all([fetch(catalogueUrl).then((r) => r.text()), fetch(interactionsUrl).then((r) => r.text())]);
  const loadFitMs: number[] = [];
  let engine: WasmEngine | undefined;
  for (let run = 0; run < 7; run++) {
    engine?.free();
    const t0 = performance.now();
    engine = new wasm.Engine(catalogue, null);
    engine.loadInteractionsCsv(csv);
    engine.fit();
    loadFitMs.push(performance.now() - t0);
  }
  const e = engine as WasmEngine;
  const ids = e.itemIds();
  const history = benchHistory(ids);
  const options = { k: 10 };
  const time = (query: () => unknown, n: number) => {
    for (let i = 0; i < 30; i++) query();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) query();
    return (performance.now() - t0) / n;
  };
  const recommendMs = time(() => e.recommend(history, options), 300);
  const similarMs = time(() => e.similarItems(ids[1] as string, options), 300);
  e.free();

  const t0 = performance.now();
  const worker = await Engine.create({ catalogueUrl, interactionsUrl });
  const workerLoadMs = performance.now() - t0;
  for (let i = 0; i < 30; i++) await worker.recommend(history, options);
  const t1 = performance.now();
  for (let i = 0; i < 100; i++) await worker.recommend(history, options);
  const workerRecommendMs = (performance.now() - t1) / 100;
  const logWorkerRecommendMedianMs = await medianOfCalls(() => worker.recommend(history, options), 200);
  worker.dispose();

  // The model index path: the query module in this tab, then through a worker.
  const folder = `${shop}/index/`;
  const opened = await openIndex(query, folder);
  // Every file is at hand: open them all (ids, items, lists).
  opened.engine.openFiles(opened.files);
  const indexRecommendMs = time(() => opened.engine.recommend(history, options), 300);
  // ALS alone, no explanations: fold-in of the history (a d × d solve) and
  // a score for every item, then the top 10.
  const alsMs = time(() => opened.engine.recommend(history, { k: 10, model: "als", explain: false }), 300);
  opened.engine.free();
  const t2 = performance.now();
  const indexWorker = await Engine.create({ indexUrl: folder, linkBase: `${shop}/` });
  const indexWorkerLoadMs = performance.now() - t2;
  const workerRecommendMedianMs = await medianOfCalls(() => indexWorker.recommend(history, options), 200);
  indexWorker.dispose();
  const index = { recommendMs: indexRecommendMs, alsMs, workerRecommendMedianMs, logWorkerRecommendMedianMs, openMs: opened.openMs, workerLoadMs: indexWorkerLoadMs };
  return { shop, items: ids.length, interactions: csv.split("\n").length - 2, loadFitMs, recommendMs, similarMs, workerRecommendMs, workerLoadMs, index };
}

/** The series of the native bench (tests/benches/browser_parity.rs). */
function monthly144(): Float64Array {
  const season = [0.9, 0.88, 1.0, 0.97, 0.98, 1.1, 1.22, 1.21, 1.06, 0.92, 0.8, 0.9];
  return Float64Array.from({ length: 144 }, (_, t) => (120 + 2.5 * t) * (season[t % 12] as number) * (1 + 0.02 * Math.sin(1.7 * t)));
}

function measureForecast({ forecast }: ForecastExports): { forecastMs: number; model: string } {
  const series = monthly144();
  const options = { horizon: 18, seasonLength: 12 };
  let model = "";
  for (let i = 0; i < 5; i++) model = forecast(series, options).model;
  const runs: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    forecast(series, options);
    runs.push(performance.now() - t0);
  }
  return { forecastMs: median(runs), model };
}

/** One cold start of the 10k shop by `path`: `Engine.create` to the first `similarItems` result, in a fresh worker. */
async function cold(path: string, item: string): Promise<{ path: string; createMs: number; firstSimilarMs: number; totalMs: number; results: number }> {
  const t0 = performance.now();
  // As a product page's widget opens it: its item's id bucket comes with the manifest.
  const engine = path === "index" ? await Engine.create({ indexUrl: "shop/index/", linkBase: "shop/", items: [item] }) : await Engine.create({ catalogueUrl: "shop/catalogue.json", interactionsUrl: "shop/interactions.csv" });
  const t1 = performance.now();
  const similar = await engine.similarItems(item, { k: 10 });
  const t2 = performance.now();
  engine.dispose();
  return { path, createMs: t1 - t0, firstSimilarMs: t2 - t1, totalMs: t2 - t0, results: similar.length };
}

const out = document.getElementById("out") as HTMLElement;
const results: ShopFigures[] = [];
const params = new URLSearchParams(location.search);
const coldPath = params.get("cold");
if (coldPath) {
  cold(coldPath, params.get("item") ?? "")
    .then((r) => {
      out.textContent += `cold ${r.path}: ${r.totalMs.toFixed(1)} ms\n`;
      (window as unknown as { coldResult: typeof r }).coldResult = r;
    })
    .catch((e: unknown) => {
      out.textContent += `failed: ${e instanceof Error ? e.message : String(e)}\n`;
      (window as unknown as { benchError: string }).benchError = String(e);
    });
} else (async () => {
  // The page's modules, as the public module loads them (main-thread fallback).
  const [wasm, query, forecaster] = await Promise.all([wasmModules.recommend(), wasmModules.query(), wasmModules.forecast()]);
  for (const shop of ["../demo/shop", "shop"]) {
    // The demo shop publishes only its model index (build-web.mjs keeps its log private): no raw-log figures for it.
    if (!(await fetch(`${shop}/interactions.csv`, { method: "HEAD" })).ok) {
      out.textContent += `${shop}: no interactions.csv served, skipped\n`;
      continue;
    }
    const figures = await measure(wasm, query, shop);
    results.push(figures);
    out.textContent += `${figures.shop}: ${figures.items} items, load+fit median ${median(figures.loadFitMs).toFixed(1)} ms, recommend ${figures.recommendMs.toFixed(3)} ms, via worker ${figures.workerRecommendMs.toFixed(3)} ms\n`;
  }
  const f = measureForecast(forecaster);
  out.textContent += `forecast 144 points: ${f.forecastMs.toFixed(2)} ms (${f.model})\n`;
  (window as unknown as { forecastResult: typeof f }).forecastResult = f;
  (window as unknown as { benchResults: ShopFigures[] }).benchResults = results;
})().catch((e: unknown) => {
  out.textContent += `failed: ${e instanceof Error ? e.message : String(e)}\n`;
  (window as unknown as { benchError: string }).benchError = String(e);
});
