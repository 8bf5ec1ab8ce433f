// The browser benchmark (not a test): in headless Chromium (Debian's, via
// playwright-core), time catalogue load + fit and one recommend for the
// demo shop (320 items) and a generated 10k-item shop, and compare with the
// native figures of `cargo bench --bench browser_parity` on the same files.
// Targets (issue 3): recommend ≤ 2 ms per query at 10k items in the
// browser; load + fit ≤ 300 ms for 10k items; wasm within 2× of native.
// Issue 4: the automatic forecast of a 144-point monthly series ≤ 10 ms.
// Then, for the 10k shop, the model index path (Engine.create({ indexUrl }))
// beside the raw-log path: cold start to the first similarItems (each run a
// fresh browser context, so a cold cache and a fresh worker), the bytes each
// fetched (as served, and gzip -9 of the same files), and a warm hybrid
// recommend. COLD_RUNS (default 3) sets the cold runs per path.
//
// Run: bash tests/benches/browser.sh (builds first), or, with www/dist
// built and the criterion figures present: node tests/benches/browser.mjs
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const www = join(root, "www");
const require = createRequire(join(www, "package.json"));
const { chromium } = require("playwright-core");
const { serve } = await import(pathToFileURL(join(www, "scripts/serve.mjs")).href);

if (!existsSync(join(www, "dist/bench/index.html"))) {
  console.error("browser bench: www/dist is not built (run bash tests/benches/browser.sh)");
  process.exit(1);
}

const { server, origin } = await serve(join(www, "dist"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let results;
let forecastResult;
const coldRuns = { index: [], log: [] };
const benchItem = JSON.parse(readFileSync(join(www, "dist/bench/shop/catalogue.json"), "utf8")).items[1].id;

/** One cold start by `path` in a fresh context: its timings and every response (path, body and transfer bytes). */
async function coldRun(path) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
    const finished = [];
    // Dedicated workers' requests are reported on their page too.
    page.on("requestfinished", (request) => finished.push(request));
    await page.goto(`${origin}/bench/index.html?cold=${path}&item=${encodeURIComponent(benchItem)}`);
    await page.waitForFunction(() => window.coldResult || window.benchError, null, { timeout: 120_000 });
    const error = await page.evaluate(() => window.benchError);
    if (error) throw new Error(error);
    const result = await page.evaluate(() => window.coldResult);
    const responses = [];
    for (const request of finished) {
      const sizes = await request.sizes();
      responses.push({ path: new URL(request.url()).pathname, body: sizes.responseBodySize, transfer: sizes.responseBodySize + sizes.responseHeadersSize });
    }
    return { ...result, responses };
  } finally {
    await context.close();
  }
}

try {
  const runs = Number(process.env.COLD_RUNS ?? 3);
  for (let run = 0; run < runs; run++) {
    // Alternate which path goes first, so neither always follows the other.
    for (const path of run % 2 ? ["log", "index"] : ["index", "log"]) coldRuns[path].push(await coldRun(path));
  }
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  await page.goto(`${origin}/bench/index.html`);
  await page.waitForFunction(() => window.benchResults || window.benchError, null, { timeout: 600_000 });
  const error = await page.evaluate(() => window.benchError);
  if (error) throw new Error(error);
  results = await page.evaluate(() => window.benchResults);
  forecastResult = await page.evaluate(() => window.forecastResult);
} finally {
  await browser.close();
  server.close();
}

/** Criterion's mean for a bench of the "browser parity" group, in ms, if it has run. */
function native(name) {
  const file = join(root, "target/criterion/browser parity", name, "new/estimates.json");
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")).mean.point_estimate / 1e6;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => (ms === undefined ? "—" : ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`);
const ratio = (a, b) => (a === undefined || b === undefined ? "—" : `${(a / b).toFixed(2)}×`);
const rows = [["shop", "items", "interactions", "step", "wasm (browser)", "native", "wasm / native", "via worker"]];
const checks = [];
for (const r of results) {
  const name = r.shop.includes("demo") ? "demo shop" : "10k shop";
  const loadFit = median(r.loadFitMs);
  const steps = [
    ["load+fit", loadFit, native(`load+fit ${name}`), `${fmt(r.workerLoadMs)} (fetch too)`],
    ["recommend", r.recommendMs, native(`recommend ${name}`), fmt(r.workerRecommendMs)],
    ["similar", r.similarMs, native(`similar ${name}`), ""],
  ];
  for (const [step, wasm, nat, worker] of steps) {
    rows.push([name, String(r.items), String(r.interactions), step, fmt(wasm), fmt(nat), ratio(wasm, nat), worker]);
    if (name === "10k shop" && step !== "similar" && nat !== undefined) checks.push([`${step} 10k: wasm within 2× of native`, wasm <= 2 * nat]);
  }
  if (name === "10k shop") {
    checks.push(["load+fit 10k ≤ 300 ms in the browser", loadFit <= 300]);
    checks.push(["recommend 10k ≤ 2 ms per query in the browser", r.recommendMs <= 2]);
    checks.push(["recommend 10k through the worker ≤ 2 ms", r.workerRecommendMs <= 2]);
  }
}
{
  const nat = native("forecast 144");
  rows.push(["series", "144", "", `forecast (${forecastResult.model})`, fmt(forecastResult.forecastMs), fmt(nat), ratio(forecastResult.forecastMs, nat), ""]);
  checks.push(["forecast 144-point monthly ≤ 10 ms in the browser", forecastResult.forecastMs <= 10]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join("  "));
console.log("");
for (const [what, ok] of checks) console.log(`${ok ? "PASS" : "FAIL"}  ${what}`);
if (!results.every((r) => native(`recommend ${r.shop.includes("demo") ? "demo shop" : "10k shop"}`) !== undefined)) {
  console.log("(native figures missing: run cargo bench --bench browser_parity)");
}
console.log(`\nload+fit runs (ms): ${results.map((r) => `${r.shop}: ${r.loadFitMs.map((x) => x.toFixed(0)).join(", ")}`).join("; ")}`);

// The 10k shop: model index path beside the raw-log path.
{
  const big = results.find((r) => !r.shop.includes("demo"));
  const gz = new Map();
  const gzip9 = (path) => {
    if (!gz.has(path)) gz.set(path, gzipSync(readFileSync(join(www, "dist", decodeURIComponent(path))), { level: 9 }).length);
    return gz.get(path);
  };
  const isData = (path) => path.startsWith("/bench/shop/");
  const isCode = (path) => path.startsWith("/pocketrec/") && /\.(js|wasm)$/.test(path);
  const kb = (bytes) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);
  const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
  /** Bytes of the first cold run's responses that `keep` selects (the runs fetch the same files). */
  const bytes = (path, keep) => {
    const responses = coldRuns[path][0].responses.filter((r) => keep(r.path));
    return { files: responses.length, body: sum(responses, (r) => r.body), transfer: sum(responses, (r) => r.transfer), gzip: sum(responses, (r) => gzip9(r.path)) };
  };
  const both = (f) => [f("index"), f("log")];
  const coldMedian = (path, key) => median(coldRuns[path].map((r) => r[key]));
  const data = both((p) => bytes(p, isData));
  const all = both((p) => bytes(p, (q) => isData(q) || isCode(q)));
  const cmp = [
    ["10k shop (10,000 items)", "index path", "raw-log path"],
    [`cold: Engine.create → first similarItems (median of ${coldRuns.index.length})`, ...both((p) => fmt(coldMedian(p, "totalMs")))],
    ["  of which Engine.create", ...both((p) => fmt(coldMedian(p, "createMs")))],
    ["  of which first similarItems", ...both((p) => fmt(coldMedian(p, "firstSimilarMs")))],
    ["  cold runs (ms)", ...both((p) => coldRuns[p].map((r) => r.totalMs.toFixed(0)).join(", "))],
    ["data: files", ...data.map((d) => String(d.files))],
    ["data: bytes as served (body)", ...data.map((d) => kb(d.body))],
    ["data: transfer (body + headers)", ...data.map((d) => kb(d.transfer))],
    ["data: gzip -9", ...data.map((d) => kb(d.gzip))],
    ["data + JS + wasm: files", ...all.map((d) => String(d.files))],
    ["data + JS + wasm: bytes as served (body)", ...all.map((d) => kb(d.body))],
    ["data + JS + wasm: transfer (body + headers)", ...all.map((d) => kb(d.transfer))],
    ["data + JS + wasm: gzip -9", ...all.map((d) => kb(d.gzip))],
    ["warm: Engine.create (page already warm)", fmt(big.index.workerLoadMs), fmt(big.workerLoadMs)],
    ["Engine.fromIndex in this tab, as a page opens it (index) / load+fit (log)", fmt(big.index.openMs), fmt(median(big.loadFitMs))],
    ["warm hybrid recommend via worker (median of 200)", fmt(big.index.workerRecommendMedianMs), fmt(big.index.logWorkerRecommendMedianMs)],
    ["warm hybrid recommend in wasm, this tab (mean of 300)", fmt(big.index.recommendMs), fmt(big.recommendMs)],
    ["warm ALS recommend in wasm, this tab: fold-in + every item scored (mean of 300)", fmt(big.index.alsMs), ""],
  ];
  const w = cmp[0].map((_, i) => Math.max(...cmp.map((row) => row[i].length)));
  console.log("");
  for (const row of cmp) console.log(row.map((cell, i) => cell.padEnd(w[i])).join("  "));
  for (const p of ["index", "log"]) {
    const code = coldRuns[p][0].responses.filter((r) => isCode(r.path)).map((r) => r.path.replace("/pocketrec/", "")).sort();
    console.log(`${p} path fetched JS + wasm: ${code.join(", ")}`);
  }
  console.log("(the page's own bench.js and index.html are left out; the local server does not compress, so 'as served' is the uncompressed size; gzip -9 is computed here from www/dist)");
}
