/**
 * The package in a site that bundles it: a fresh project with the packed
 * tarball installed, a model index from `npx pocketrec build`, and one small
 * shop page (`import { Engine } from "pocketrec"` and `import
 * "pocketrec/widget"`) built by Vite and by webpack, then opened in Debian's
 * Chromium. Each bundle must carry the engine's worker and the query wasm
 * as files of its own (the bundlers see the package's
 * `new Worker(new URL("./worker.js", import.meta.url), …)` and the glue's
 * `new URL("…_bg.wasm", import.meta.url)`), and the page must show real
 * results with no failed request and no console error.
 *
 * The bundler settings here are the least each one needs; the README's
 * recipes copy them.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, relative, sep } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import type { Browser } from "playwright-core";
import sirv from "sirv";
import { build as viteBuild, createServer as viteServer, type InlineConfig } from "vite";
import webpack from "webpack";
import { launchChromium, open, shown, type Watched } from "../e2e/browser.js";
import { filesUnder, npxPocketrec, packedProject, type Project } from "./project.js";

const CATEGORIES = ["lamps", "mugs", "socks"] as const;
const ADJECTIVES = ["Amber", "Birch", "Cobalt", "Dune", "Ember", "Fern", "Granite", "Harbour", "Indigo", "Juniper"];
const PER_CATEGORY = ADJECTIVES.length;
const SHOPPERS = 80;
const QUERY_ITEM = "p-01";

const itemId = (i: number) => `p-${String(i + 1).padStart(2, "0")}`;

/** 30 products, ten in each of three categories. */
function catalogue(): { items: { id: string; title: string; category: string; price: number }[] } {
  const items = CATEGORIES.flatMap((category, c) =>
    ADJECTIVES.map((adjective, a) => ({ id: itemId(c * PER_CATEGORY + a), title: `${adjective} ${category.slice(0, -1)}`, category, price: 5 + c * 10 + a })),
  );
  return { items };
}

/**
 * 80 shoppers, each with five products of one category (shopper s: category
 * s mod 3, products (7s + 3j) mod 10 for j < 5, distinct since 3 and 10 are
 * coprime) and one product anywhere ((11s) mod 30): clear neighbours within
 * a category, some noise across them.
 */
function interactions(): string {
  const rows = ["user,item"];
  for (let s = 0; s < SHOPPERS; s++) {
    const first = (s % CATEGORIES.length) * PER_CATEGORY;
    for (let j = 0; j < 5; j++) rows.push(`shopper-${s},${itemId(first + ((7 * s + 3 * j) % PER_CATEGORY))}`);
    rows.push(`shopper-${s},${itemId((11 * s) % (CATEGORIES.length * PER_CATEGORY))}`);
  }
  return `${rows.join("\n")}\n`;
}

/**
 * The page's script, the same for every bundler (plain JavaScript that is
 * also TypeScript, so webpack needs no loader): the engine's similar items
 * for `QUERY_ITEM` go into `#similar`, and the widget is defined.
 */
const MAIN = `import { Engine } from "pocketrec";
import "pocketrec/widget";

const out = document.querySelector("#similar");
Engine.create({ indexUrl: "/pocketrec/" })
  .then((engine) => engine.similarItems(${JSON.stringify(QUERY_ITEM)}, { k: 4 }))
  .then(
    (results) => {
      if (!out) return;
      out.textContent = results.map((r) => r.id).join(" ");
      out.setAttribute("data-state", "ready");
    },
    (error) => {
      console.error("shop page:", error);
      out?.setAttribute("data-state", "error");
    },
  );
`;

/** The page, loading `script` (`module`: as an ES module, as Vite wants; else deferred, as webpack's default output is a classic script). */
const page = (script: string, module: boolean) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>a static shop</title><link rel="icon" href="data:,">
<script ${module ? `type="module"` : "defer"} src="${script}"></script></head>
<body><h1>Amber lamp</h1><p id="similar" data-state="loading"></p>
<pocket-recs id="strip" index="/pocketrec/" item="${QUERY_ITEM}" k="3"></pocket-recs></body></html>
`;

let project: Project;
let browser: Browser | undefined;
/** The similar items each site showed, by site. */
const similarBy = new Map<string, string[]>();

before(async () => {
  project = packedProject();
  const { dir } = project;
  writeFileSync(join(dir, "catalogue.json"), JSON.stringify(catalogue(), null, 1));
  writeFileSync(join(dir, "interactions.csv"), interactions());
  const built = npxPocketrec(dir, ["build", "--catalog", "catalogue.json", "--interactions", "interactions.csv", "--out", "public/pocketrec/"]);
  assert.equal(built.status, 0, `pocketrec build failed:\n${built.stderr}`);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (project) rmSync(project.dir, { recursive: true, force: true });
});

/** Serves `roots` (the first that has a file wins) on a free port of 127.0.0.1. */
async function serve(roots: string[]): Promise<{ origin: string; server: Server }> {
  const handlers = roots.map((root) => sirv(root, { dev: true }));
  const server = createServer((req, res) => {
    const next = (i: number): void => {
      const handler = handlers[i];
      if (handler) return handler(req, res, () => next(i + 1));
      res.statusCode = 404;
      res.end("not found");
    };
    next(0);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  return { origin: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`, server };
}

/** What a bundler wrote into `out` (paths relative to it, with `/`), leaving out `skip/`; and its JS and wasm bytes. */
function emitted(out: string, skip?: string): { files: Map<string, number>; js: number; wasm: number } {
  const files = new Map(filesUnder(out).map((f) => [relative(out, f.path).split(sep).join("/"), f.bytes] as const).filter(([path]) => !(skip && path.startsWith(`${skip}/`))));
  const sum = (ext: string) => [...files].filter(([path]) => path.endsWith(ext)).reduce((total, [, bytes]) => total + bytes, 0);
  return { files, js: sum(".js"), wasm: sum(".wasm") };
}

const listing = (files: Map<string, number>) => [...files].map(([path, bytes]) => `${path} ${bytes} B`).join(", ");

/**
 * Opens `origin`'s page in Chromium and checks it as a shopper gets it: the
 * engine's similar items and the widget's cards are shown, every request
 * succeeded, nothing went to the console as an error, and the worker and
 * the query wasm were fetched from `expect` (the bundle's own files), not
 * from the copies `pocketrec build` left in the index folder.
 */
async function check(t: TestContext, site: string, origin: string, expect: { worker: (path: string) => boolean; wasm: (path: string) => boolean }): Promise<void> {
  if (!browser) throw new Error("Chromium did not start");
  let watched: Watched | undefined;
  try {
    watched = await open({ origin, browser, close: async () => {} });
    const { page, context, errors, requests } = watched;
    const failed: string[] = [];
    context.on("requestfailed", (r) => failed.push(`${r.url()}: ${r.failure()?.errorText ?? "failed"}`));
    context.on("response", (r) => {
      if (r.status() >= 400) failed.push(`${r.url()}: HTTP ${r.status()}`);
    });
    await page.goto(`${origin}/`);
    await page.waitForSelector(`#similar:not([data-state="loading"])`, { state: "attached", timeout: 15_000 });
    assert.equal(await page.$eval("#similar", (e) => e.getAttribute("data-state")), "ready", `the engine did not answer:\n${errors.join("\n")}`);
    const similar = (await page.$eval("#similar", (e) => e.textContent ?? "")).split(" ");
    const cards = await shown(page, "strip");

    const ids = new Set(catalogue().items.map((item) => item.id));
    const others = (list: string[]) => list.every((id) => ids.has(id) && id !== QUERY_ITEM);
    assert.equal(similar.length, 4, `four similar items, got ${similar.join()}`);
    assert.ok(others(similar), `similar items are catalogue ids other than ${QUERY_ITEM}: ${similar.join()}`);
    assert.equal(cards.length, 3, `three cards, got ${cards.join()}`);
    assert.ok(others(cards), `cards are catalogue ids other than ${QUERY_ITEM}: ${cards.join()}`);
    similarBy.set(site, similar);

    assert.deepEqual(failed, [], "no request failed");
    assert.deepEqual(errors, [], "no console error");
    assert.deepEqual(requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith("data:")), [], "nothing left the origin");
    const paths = requests.filter((u) => u.startsWith(`${origin}/`)).map((u) => new URL(u).pathname);
    assert.ok(paths.some(expect.worker), `the bundle's worker was fetched: ${paths.join(" ")}`);
    assert.ok(paths.some(expect.wasm), `the bundle's query wasm was fetched: ${paths.join(" ")}`);
    assert.deepEqual(paths.filter((p) => /^\/pocketrec\/.*\.(js|wasm)$/.test(p)), [], "no module file came from the index folder");
    assert.deepEqual(paths.filter((p) => /pocketrec_(bg|forecast_bg)[^/]*\.wasm$/.test(p)), [], "a page on an index fetches only the query wasm");
    t.diagnostic(`${site}: similar to ${QUERY_ITEM}: ${similar.join(" ")}; cards: ${cards.join(" ")}`);
  } finally {
    await watched?.context.close();
  }
}

/** The Vite site's source folder: index.html and main.ts, as a Vite project has them. */
function viteRoot(): string {
  const root = join(project.dir, "vite-site");
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "index.html"), page("./main.ts", true));
  writeFileSync(join(root, "main.ts"), MAIN);
  return root;
}

/**
 * Builds the page with Vite, `extra` added to the least configuration a
 * test needs (no config file, output in `dist-<name>`), checks that the
 * worker chunk and the query wasm were emitted as assets, and opens it.
 */
async function viteSite(t: TestContext, name: string, extra: InlineConfig): Promise<void> {
  const root = viteRoot();
  const outDir = join(root, `dist-${name}`);
  // The site's public/ holds the index (public/pocketrec/); Vite copies it into the output.
  await viteBuild({ root, configFile: false, logLevel: "warn", publicDir: join(project.dir, "public"), build: { outDir, emptyOutDir: true }, ...extra });

  const out = emitted(outDir, "pocketrec");
  const worker = [...out.files.keys()].find((f) => /^assets\/worker-[\w-]+\.js$/.test(f));
  const wasm = [...out.files.keys()].find((f) => /^assets\/pocketrec_query_bg-[\w-]+\.wasm$/.test(f));
  assert.ok(worker, `a worker chunk in ${listing(out.files)}`);
  assert.ok(wasm, `the query wasm in ${listing(out.files)}`);
  t.diagnostic(`vite (${name}): JS ${out.js} B, wasm ${out.wasm} B in ${out.files.size} files: ${listing(out.files)}`);

  const { origin, server } = await serve([outDir]);
  try {
    await check(t, `vite-${name}`, origin, { worker: (p) => p === `/${worker}`, wasm: (p) => p === `/${wasm}` });
  } finally {
    server.close();
  }
}

describe("a site that bundles pocketrec", () => {
  it("Vite builds it with no configuration, worker and wasm included", async (t) => {
    // Vite 8 (Rolldown) puts the worker's dynamic imports into one file in
    // its default worker format (iife).
    await viteSite(t, "default", {});
  });

  it(`Vite builds it with worker.format "es", the setting Vite 7 and older need`, async (t) => {
    // Rollup (Vite ≤ 7) cannot split an iife worker, and the engine's worker
    // loads each wasm glue module with import(); "es" keeps them lazy.
    await viteSite(t, "es", { worker: { format: "es" } });
  });

  it("Vite's dev server serves it with no configuration", async (t) => {
    const root = viteRoot();
    // Dependencies are pre-bundled into node_modules/.vite/deps; the worker and the wasm are served from the package's own folder.
    const server = await viteServer({ root, configFile: false, logLevel: "warn", publicDir: join(project.dir, "public"), server: { host: "127.0.0.1", port: 0 } });
    try {
      await server.listen();
      const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, "");
      assert.ok(origin, "the dev server has a local URL");
      await check(t, "vite-dev", origin, {
        worker: (p) => /\/node_modules\/pocketrec\/dist\/worker\.js$/.test(p),
        wasm: (p) => /\/node_modules\/pocketrec\/dist\/pocketrec_query_bg\.wasm$/.test(p),
      });
    } finally {
      await server.close();
    }
  });

  it("webpack builds it with no configuration, worker and wasm included", async (t) => {
    const root = join(project.dir, "webpack-site");
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "main.js"), MAIN);
    const outDir = join(root, "dist");
    // Everything but mode, entry and output is webpack's default.
    const compiler = webpack({ mode: "production", context: root, entry: "./main.js", output: { path: outDir, filename: "main.js", clean: true } });
    const stats = await new Promise<webpack.Stats | undefined>((resolve, reject) => compiler.run((e, s) => (e ? reject(e) : resolve(s))));
    await new Promise<void>((resolve, reject) => compiler.close((e) => (e ? reject(e) : resolve())));
    assert.ok(stats, "webpack reported no stats");
    assert.ok(!stats.hasErrors(), stats.toString({ all: false, errors: true }));
    // webpack's performance hints flag every asset over 244 KiB, so all three wasm modules; nothing else may warn.
    const warnings = stats.compilation.warnings.filter((w) => w.name !== "AssetsOverSizeLimitWarning");
    assert.deepEqual(warnings.map((w) => w.message), [], "webpack warned");
    writeFileSync(join(outDir, "index.html"), page("./main.js", false));

    const json = stats.toJson({ all: false, assets: true, chunks: true, chunkModules: true });
    // The worker's chunk: a chunk of its own that starts with the package's worker.js (as code, not as an asset).
    const workerChunk = (json.chunks ?? []).find((c) => c.entry && !c.initial && (c.modules ?? []).some((m) => m.moduleType === "javascript/esm" && /node_modules\/pocketrec\/dist\/worker\.js\b/.test(m.name ?? "")));
    const worker = workerChunk?.files?.[0];
    const wasm = (json.assets ?? []).find((a) => String(a.info["sourceFilename"] ?? "").endsWith("pocketrec/dist/pocketrec_query_bg.wasm"))?.name;
    const out = emitted(outDir);
    assert.ok(worker, `a worker chunk in ${listing(out.files)}`);
    assert.ok(wasm, `the query wasm in ${listing(out.files)}`);
    t.diagnostic(`webpack: JS ${out.js} B, wasm ${out.wasm} B in ${out.files.size} files (index.html included): ${listing(out.files)}`);

    const { origin, server } = await serve([outDir, join(project.dir, "public")]);
    try {
      await check(t, "webpack", origin, { worker: (p) => p === `/${worker}`, wasm: (p) => p === `/${wasm}` });
    } finally {
      server.close();
    }
  });

  it("every site shows the same similar items", () => {
    const answers = [...similarBy];
    assert.equal(answers.length, 4, `every site answered: ${answers.map(([site]) => site).join()}`);
    for (const [site, similar] of answers) assert.deepEqual(similar, answers[0]?.[1], `${site} agrees with ${answers[0]?.[0]}`);
  });
});
