// Cold starts of any model index in headless Chromium: the benchmark page's
// `?cold=index` mode (Engine.create on the index, then the first hybrid
// similarItems, in a fresh browser context each run) pointed at the index
// folder given, with the data it fetched. For shops the browser bench does
// not build, such as the 100k-item shop of index_scale.sh:
//
//   bash tests/benches/index_scale.sh 100000:10000000
//   node tests/benches/browser_cold.mjs target/index-scale/index-100000i-10000000r-s1 \
//        target/index-scale/shop-100000i-10000000r-s1/catalogue.json [RUNS=5]
//
// Needs www/dist built (node www/scripts/build-web.mjs). The page and a link to
// the index go into www/dist/bench-cold/ (git-ignored with the rest of dist).
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const www = join(root, "www");
const [indexDir, cataloguePath, runsArg] = process.argv.slice(2);
if (!indexDir || !cataloguePath) {
  console.error("usage: node tests/benches/browser_cold.mjs INDEX_DIR CATALOGUE_JSON [RUNS]");
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const require = createRequire(join(www, "package.json"));
const { chromium } = require("playwright-core");
const { serve } = await import(pathToFileURL(join(www, "scripts/serve.mjs")).href);

const page = join(www, "dist/bench-cold");
rmSync(page, { recursive: true, force: true });
mkdirSync(join(page, "shop"), { recursive: true });
for (const f of ["index.html", "bench.js"]) cpSync(join(www, "dist/bench", f), join(page, f));
symlinkSync(resolve(indexDir), join(page, "shop/index"));
// The second item, as the browser bench asks for.
const catalogue = JSON.parse(readFileSync(cataloguePath, "utf8"));
const item = (catalogue.items ?? catalogue.products)[1].id;

const { server, origin } = await serve(join(www, "dist"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const results = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const fetched = [];
    tab.on("requestfinished", (request) => fetched.push(new URL(request.url()).pathname));
    await tab.goto(`${origin}/bench-cold/index.html?cold=index&item=${encodeURIComponent(item)}`);
    await tab.waitForFunction(() => window.coldResult || window.benchError, null, { timeout: 300_000 });
    const error = await tab.evaluate(() => window.benchError);
    if (error) throw new Error(error);
    results.push({ ...(await tab.evaluate(() => window.coldResult)), fetched });
    await context.close();
  }
  const data = results[0].fetched.filter((p) => p.startsWith("/bench-cold/shop/index/")).map((p) => p.slice("/bench-cold/shop/index/".length));
  const raw = data.reduce((sum, f) => sum + statSync(join(indexDir, f)).size, 0);
  const gzip = data.reduce((sum, f) => sum + gzipSync(readFileSync(join(indexDir, f)), { level: 9 }).length, 0);
  const ms = (key) => `${median(results.map((r) => r[key])).toFixed(1)} ms`;
  console.log(`index ${indexDir}, item ${item}, ${runs} cold runs (medians)`);
  console.log(`cold: Engine.create → first similarItems  ${ms("totalMs")}  (runs: ${results.map((r) => r.totalMs.toFixed(0)).join(", ")})`);
  console.log(`  of which Engine.create                  ${ms("createMs")}`);
  console.log(`  of which first similarItems             ${ms("firstSimilarMs")}`);
  console.log(`data fetched: ${data.length} files, ${raw} B raw, ${gzip} B gzip -9 (${data.join(", ")})`);
} finally {
  await browser.close();
  server.close();
}
