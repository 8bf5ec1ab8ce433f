// The browser benchmark (not a test): in headless Chromium (Debian's, via
// playwright-core), time catalogue load + fit and one recommend for the
// demo shop (320 items) and a generated 10k-item shop, and compare with the
// native figures of `cargo bench --bench browser_parity` on the same files.
// Targets (issue 3): recommend ≤ 2 ms per query at 10k items in the
// browser; load + fit ≤ 300 ms for 10k items; wasm within 2× of native.
// Issue 4: the automatic forecast of a 144-point monthly series ≤ 10 ms.
//
// Run: bash tests/benches/browser.sh (builds first), or, with www/dist
// built and the criterion figures present: node tests/benches/browser.mjs
import { existsSync, readFileSync } from "node:fs";
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
try {
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
