// Builds the browser side, from www/pkg (the wasm modules and the wasm
// command-line tool, built first by build-wasm.sh):
//
//   package/dist/     the npm package `pocketrec`'s files (package/ holds
//                     its package.json, README and bin; `npm pack` there
//                     makes the tarball): index.js (the side-effect-free
//                     entry), pocketrec.js (the drop-in: defines
//                     <pocket-recs>), worker.js, shared chunks, the three
//                     .wasm modules, types/ (.d.ts by tsc) and cli/ (the
//                     command-line tool for `npx pocketrec`)
//   dist/pocketrec/   the same module files, served beside the demo
//   dist/demo/        the demo shop: pages, app.js, shop/ (generated
//                     catalogue, img/ with a picture per product, and
//                     shop/index/: the model index `pocketrec build`
//                     writes from the generated log; the log itself is
//                     never published)
//   dist/bench/       a 10k-item generated shop for the browser benchmark,
//                     as a raw log and as an index, to compare the two paths
//   dist/index.html   a link to the demo
//
// esbuild bundles the strict TypeScript (type-checked separately by tsc)
// into ES modules a plain <script type="module"> can load.
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const www = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(www, "dist");
const pkg = join(www, "pkg");
if (!existsSync(join(pkg, "pocketrec_bg.wasm")) || !existsSync(join(pkg, "pocketrec_cli.wasm"))) {
  console.error("build-web: www/pkg is missing wasm modules; run scripts/build-wasm.sh first");
  process.exit(1);
}
rmSync(dist, { recursive: true, force: true });

const common = { bundle: true, format: "esm", target: "es2022", minify: true, sourcemap: true, legalComments: "none", logLevel: "warning" };

// The module. Splitting: the engine and the wasm glue are shared by both
// entries, the worker and the main-thread fallback, and every chunk sits
// beside the .wasm files, which the glue finds through
// `new URL("…_bg.wasm", import.meta.url)`.
const packageDist = join(www, "package/dist");
rmSync(packageDist, { recursive: true, force: true });
await esbuild.build({
  ...common,
  entryPoints: { index: join(www, "src/index.ts"), pocketrec: join(www, "src/pocketrec.ts"), worker: join(www, "src/worker.ts") },
  splitting: true,
  outdir: packageDist,
});
for (const wasm of ["pocketrec_bg.wasm", "pocketrec_query_bg.wasm", "pocketrec_forecast_bg.wasm"]) cpSync(join(pkg, wasm), join(packageDist, wasm));
// Types: tsc's declarations of src/ (not the demo), beside the generated
// declarations of the wasm modules they import.
execFileSync(process.execPath, [join(www, "node_modules/typescript/bin/tsc"), "-p", join(www, "tsconfig.package.json")], { stdio: "inherit" });
// wasm-bindgen declares `[Symbol.dispose]()` on its classes, which needs
// TypeScript's esnext.disposable lib: a site compiling with lib ES2022 and
// skipLibCheck off would fail on it. The shell never exposes those classes.
mkdirSync(join(packageDist, "types/pkg"), { recursive: true });
for (const file of readdirSync(pkg)) {
  if (!file.endsWith(".d.ts") || file.endsWith("_bg.wasm.d.ts")) continue;
  const text = readFileSync(join(pkg, file), "utf8").replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/gm, "");
  writeFileSync(join(packageDist, "types/pkg", file), text);
}
mkdirSync(join(packageDist, "cli"));
cpSync(join(pkg, "pocketrec_cli.wasm"), join(packageDist, "cli/pocketrec.wasm"));
// The demo serves the module as a site would, from its own folder.
cpSync(packageDist, join(dist, "pocketrec"), { recursive: true, filter: (file) => !/[/\\](cli|types)$/.test(file) });

// The demo's script uses the module as any site would, at ../pocketrec/.
const publicModule = {
  name: "public-module",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/index\.js$/ }, () => ({ path: "../pocketrec/pocketrec.js", external: true }));
  },
};
await esbuild.build({ ...common, entryPoints: { app: join(www, "src/demo/app.ts") }, plugins: [publicModule], outdir: join(dist, "demo") });
// Pages: each file in demo/ is its <main>, with a first line
// `<!-- title: T; page: P -->`; layout.html.tmpl gives them one head
// (with the strict CSP), header and footer.
const layout = readFileSync(join(www, "demo/layout.html.tmpl"), "utf8");
for (const file of readdirSync(join(www, "demo"))) {
  if (file === "layout.html.tmpl") continue;
  if (!file.endsWith(".html")) {
    cpSync(join(www, "demo", file), join(dist, "demo", file));
    continue;
  }
  const [first, ...rest] = readFileSync(join(www, "demo", file), "utf8").split("\n");
  const meta = /^<!-- title: (.+); page: (\w+) -->$/.exec(first ?? "");
  if (!meta) throw new Error(`demo/${file}: the first line must be <!-- title: T; page: P -->`);
  const fill = { title: meta[1], page: meta[2], main: rest.join("\n").trim() };
  writeFileSync(join(dist, "demo", file), layout.replace(/\{\{(\w+)\}\}/g, (_, key) => fill[key]));
}

// The generated data: the demo shop and the 10k-item benchmark shop, and
// their pictures (drawn by pictures.ts).
const generated = join(www, "build/generated");
await esbuild.build({ ...common, minify: false, sourcemap: false, platform: "node", entryPoints: [join(www, "src/demo/generate.ts"), join(www, "src/demo/pictures.ts")], outdir: generated, outExtension: { ".js": ".mjs" } });
const { generateShop, generateSales } = await import(pathToFileURL(join(generated, "generate.mjs")).href);
const { pictureFiles } = await import(pathToFileURL(join(generated, "pictures.mjs")).href);
// The native CLI writes the model indexes: the same `pocketrec build` a
// shop runs. A debug build: it compiles in a fraction of a release build's
// time, and these shops are small.
const root = resolve(www, "..");
execFileSync("cargo", ["build", "--quiet", "--bin", "pocketrec"], { cwd: root, stdio: "inherit" });
const cli = join(process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target"), "debug", "pocketrec");
const work = join(www, "build/shops");

/**
 * Writes `shop`'s catalogue and images into `dir`, and its model index
 * into `dir/index/`. The log goes to a private folder for the build only,
 * unless `publishLog` (the benchmark compares the raw-log path).
 */
function writeShop(dir, name, shop, { publishLog = false } = {}) {
  mkdirSync(join(dir, "img"), { recursive: true });
  writeFileSync(join(dir, "catalogue.json"), JSON.stringify(shop.catalogue, null, 1));
  for (const [path, svg] of pictureFiles(shop.catalogue.items)) writeFileSync(join(dir, path), svg);
  mkdirSync(work, { recursive: true });
  const log = join(work, `${name}-interactions.csv`);
  writeFileSync(log, shop.interactions);
  if (publishLog) cpSync(log, join(dir, "interactions.csv"));
  // --no-tune: the defaults, so the demo shows what a shop gets out of the
  // box (and the build stays quick); the noise seed is irrelevant without
  // privacy.epsilon but fixed, so the files are the same on every build.
  const report = execFileSync(cli, ["build", "--catalog", join(dir, "catalogue.json"), "--interactions", log, "--out", join(dir, "index"), "--no-tune", "--noise-seed", "1"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(report);
}
const demo = generateShop();
const demoIndex = writeShop(join(dist, "demo/shop"), "demo", demo);
writeFileSync(join(dist, "demo/shop/sales.json"), JSON.stringify(generateSales(demo)));
// One picture per type and colour (320 files), not one per product (10,000).
const big = generateShop({ perDepartment: 1250, shoppers: 5000, pictures: "type" });
writeShop(join(dist, "bench/shop"), "bench", big, { publishLog: true });
// The browser benchmark's page (tests/benches/browser.mjs drives it).
await esbuild.build({ ...common, entryPoints: { bench: join(www, "src/demo/bench.ts") }, plugins: [publicModule], outdir: join(dist, "bench") });
writeFileSync(
  join(dist, "bench/index.html"),
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pocketrec browser benchmark</title><link rel="icon" href="data:,">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'">
<script type="module" src="bench.js"></script></head><body><h1>pocketrec browser benchmark</h1><pre id="out"></pre></body></html>\n`,
);

writeFileSync(
  join(dist, "index.html"),
  `<!doctype html><meta charset="utf-8"><title>pocketrec</title><link rel="icon" href="data:,"><meta http-equiv="refresh" content="0; url=demo/"><p><a href="demo/">Open the pocketrec demo shop</a></p>\n`,
);

const size = (file) => {
  const bytes = readFileSync(file);
  return `${bytes.length.toLocaleString("en")} B (${gzipSync(bytes, { level: 9 }).length.toLocaleString("en")} B gzipped)`;
};
const module = join(dist, "pocketrec");
let total = 0;
for (const f of readdirSync(module)) if (f.endsWith(".js")) total += gzipSync(readFileSync(join(module, f)), { level: 9 }).length;
console.log(`build-web: dist/pocketrec: pocketrec.js ${size(join(module, "pocketrec.js"))}, worker.js ${size(join(module, "worker.js"))}, all JS ${total.toLocaleString("en")} B gzipped; wasm ${size(join(module, "pocketrec_bg.wasm"))}`);
console.log(`build-web: demo index ${JSON.stringify(demoIndex.counts ?? demoIndex)}`);
console.log(`build-web: demo shop ${demo.catalogue.items.length} products, ${demo.interactions.split("\n").length - 2} interactions; bench shop ${big.catalogue.items.length} products, ${big.interactions.split("\n").length - 2} interactions (${(statSync(join(dist, "bench/shop/catalogue.json")).size / 1e6).toFixed(1)} MB catalogue)`);
