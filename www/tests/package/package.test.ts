/**
 * The npm package `pocketrec` as a user meets it: packed, installed from the
 * tarball into a fresh project, `npx pocketrec build` run there with no Rust
 * on PATH, its output served to Chromium from a plain HTML page (and the
 * module from a second origin, as from a CDN), its types checked under
 * `tsc --strict` and its entry bundled by esbuild.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import type { Browser, Page, Response } from "playwright-core";
import { launchChromium } from "../e2e/browser.js";
import sirv from "sirv";
import { filesUnder, npxPocketrec, packedProject, pathWithoutRust, www, type Project } from "./project.js";

/** A small shop: 24 products in 3 categories; shoppers buy within a category. */
function sampleShop(): { catalogue: string; log: string } {
  const categories = ["kitchen", "garden", "office"];
  const items = Array.from({ length: 24 }, (_, i) => ({
    id: `p${i}`,
    title: `${["Blue", "Green", "Red", "Oak"][i % 4]} ${categories[i % 3]} thing ${i}`,
    category: categories[i % 3],
    price: 5 + i,
  }));
  const rows = ["user,item"];
  for (let u = 0; u < 90; u++) {
    const c = u % 3;
    for (let k = 0; k < 4; k++) rows.push(`u${u},p${c + 3 * ((u * 7 + k * 5) % 8)}`);
  }
  return { catalogue: JSON.stringify({ items }, null, 1), log: rows.join("\n") + "\n" };
}

/** Serves `root` on 127.0.0.1; `cors` adds Access-Control-Allow-Origin: * (a CDN). */
async function serve(root: string, cors = false): Promise<{ origin: string; server: Server }> {
  const files = sirv(root, { dev: true });
  const server = createServer((req, res) => {
    if (cors) res.setHeader("Access-Control-Allow-Origin", "*");
    files(req, res, () => {
      res.statusCode = 404;
      res.end("not found");
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  return { origin: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`, server };
}

/** Opens `url` and waits until `selector` has `count` elements; returns what went wrong on the way. */
async function visit(browser: Browser, url: string, selector: string, count: number): Promise<{ page: Page; errors: string[]; failed: string[]; texts: string[]; responses: Response[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  const failed: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("requestfailed", (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ""}`));
  const responses: Response[] = [];
  page.on("response", (r) => {
    responses.push(r);
    if (r.status() >= 400) failed.push(`${r.url()} ${r.status()}`);
  });
  await page.goto(url);
  // Playwright's CSS reaches into the widget's (open) shadow root.
  await page.locator(selector).nth(count - 1).waitFor({ timeout: 30_000 });
  const texts = await page.locator(selector).allTextContents();
  return { page, errors, failed, texts, responses };
}

/**
 * The strict CSP of the e2e tests. `extra` adds a CDN's origin: to scripts
 * and fetches, and to workers with blob: (the engine's worker is a blob:
 * module importing the CDN's worker.js, and a module worker's imports are
 * checked against worker-src).
 */
const CSP = (extra = "") => `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'${extra}; style-src 'self'; img-src 'self'; connect-src 'self'${extra}; worker-src 'self'${extra ? ` blob:${extra}` : ""}`;

/** A static shop page: `csp`, one module script, `body`. */
function htmlPage(csp: string, script: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>shop</title><link rel="icon" href="data:,">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<script type="module" src="${script}"></script></head>
<body>${body}</body></html>\n`;
}

let project: Project;
let browser: Browser;
const servers: Server[] = [];
/** What the plain page fetched, for the budget. */
const downloads = { module: [] as string[], indexBytes: 0 };
const shop = sampleShop();

before(async () => {
  project = packedProject();
  writeFileSync(join(project.dir, "catalogue.json"), shop.catalogue);
  writeFileSync(join(project.dir, "orders.csv"), shop.log);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  for (const s of servers) s.close();
  if (project && !process.env.KEEP_PROJECT) rmSync(project.dir, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it("holds the module, its types, the worker, the wasm files and the command-line tool, and nothing of the repository", () => {
    for (const file of ["package.json", "README.md", "bin/pocketrec.js", "dist/index.js", "dist/pocketrec.js", "dist/worker.js", "dist/pocketrec_query_bg.wasm", "dist/pocketrec_bg.wasm", "dist/pocketrec_forecast_bg.wasm", "dist/cli/pocketrec.wasm", "dist/types/src/index.d.ts", "dist/types/pkg/pocketrec.d.ts"]) {
      assert.ok(project.files.includes(file), `${file} is in the tarball`);
    }
    assert.deepEqual(
      project.files.filter((f) => !f.startsWith("dist/") && !["package.json", "README.md", "bin/pocketrec.js"].includes(f)),
      [],
      "only the built files, the bin, the README and package.json",
    );
    const installed = JSON.parse(readFileSync(join(project.dir, "node_modules/pocketrec/package.json"), "utf8")) as { dependencies?: object };
    assert.equal(installed.dependencies, undefined, "no dependencies: nothing else is installed");
  });
});

describe("npx pocketrec, with no Rust on PATH", () => {
  it("builds a model index and the widget's files into --out", () => {
    const run = npxPocketrec(project.dir, ["build", "--catalog", "catalogue.json", "--interactions", "orders.csv", "--out", "public/pocketrec/", "--noise-seed", "1"]);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { items: number; format: string };
    assert.equal(report.format, "pocketrec-index");
    assert.equal(report.items, 24);
    const out = readdirSync(join(project.dir, "public/pocketrec"));
    for (const file of ["pocketrec-index.json", "pocketrec.js", "index.js", "worker.js", "pocketrec_query_bg.wasm"]) assert.ok(out.includes(file), `${file} in ${out.join()}`);
    for (const file of ["pocketrec_bg.wasm", "pocketrec_forecast_bg.wasm"]) assert.ok(!out.includes(file), `${file} (never fetched by an index page) is not copied`);
  });

  it("gives the native command's errors and exit status", () => {
    // Where build-web.mjs built it (CARGO_TARGET_DIR may be absolute).
    const native = join(resolve(www, "..", process.env.CARGO_TARGET_DIR ?? "target"), "debug/pocketrec");
    const cases = [
      ["build", "--catalog", "missing.json", "--interactions", "orders.csv", "--out", "public/x/"],
      ["build", "--catalog", "orders.csv", "--interactions", "orders.csv", "--out", "public/x/"],
      ["similar", "--catalog", "catalogue.json", "--interactions", "orders.csv", "--item", "nope"],
      ["build", "--catalog", "catalogue.json", "--interactions", "orders.csv", "--out", "public/x/", "--bogus"],
    ];
    for (const args of cases) {
      const wasm = npxPocketrec(project.dir, args);
      assert.notEqual(wasm.status, 0, `${args.join(" ")} fails`);
      assert.match(wasm.stderr, /error/, args.join(" "));
      if (existsSync(native)) {
        const ours = spawnSync(native, args, { cwd: project.dir, encoding: "utf8" });
        assert.equal(wasm.stderr, ours.stderr, `same message as the native tool for ${args.join(" ")}`);
        assert.equal(wasm.status, ours.status, `same exit status for ${args.join(" ")}`);
      }
    }
    assert.ok(!existsSync(join(project.dir, "public/x")), "a failed build leaves nothing behind");
  });

  it("shows progress on a terminal", (t) => {
    // `script` (util-linux) gives the tool a pseudo-terminal as stderr.
    if (spawnSync("script", ["--version"]).status !== 0) {
      t.skip("no `script` command for a pseudo-terminal");
      return;
    }
    const command = "npx --offline --no-install pocketrec build --catalog catalogue.json --interactions orders.csv --out public/tty/ --no-widget >/dev/null";
    const run = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: project.dir, env: { ...process.env, PATH: pathWithoutRust() }, encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout);
    assert.match(run.stdout, /tuning the options on the log/, "the spinner's steps");
    assert.match(run.stdout, /writing \[/, "the bar of the files written");
    rmSync(join(project.dir, "public/tty"), { recursive: true, force: true });
  });

  it("answers the read-only commands", () => {
    const run = npxPocketrec(project.dir, ["similar", "--catalog", "catalogue.json", "--interactions", "orders.csv", "--item", "p0", "--k", "3"]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /"id": ?"p\d+"/);
  });
});

describe("a static site using the installed package", () => {
  it("shows recommendations from a plain <script type=module> page on the built folder", async () => {
    const site = join(project.dir, "public");
    writeFileSync(
      join(site, "index.html"),
      htmlPage(CSP(), `/pocketrec/pocketrec.js`, `<pocket-recs index="/pocketrec/" mode="similar" item="p0" k="4"></pocket-recs>`),
    );
    const { origin, server } = await serve(site);
    servers.push(server);
    const { errors, failed, texts, responses } = await visit(browser, `${origin}/index.html`, "pocket-recs li", 3);
    assert.deepEqual(errors, []);
    assert.deepEqual(failed, []);
    assert.ok(texts.every((t) => /thing/.test(t)), texts.join(" | "));
    // What this page downloaded (its thread's and its worker's requests).
    const fetched = await Promise.all(responses.map(async (r) => ({ name: r.url(), bytes: (await r.body().catch(() => Buffer.alloc(0))).length })));
    const moduleFiles = fetched.filter((f) => /\.(js|wasm)$/.test(f.name));
    downloads.module = [...new Set(moduleFiles.map((f) => f.name.replace(`${origin}/pocketrec/`, "")))];
    downloads.indexBytes = fetched.filter((f) => /\.(bin|json)$/.test(f.name)).reduce((sum, f) => sum + f.bytes, 0);
  });

  it("imports the main entry with no side effects, and defines the element on request", async () => {
    const site = join(project.dir, "public");
    writeFileSync(
      join(site, "plain.html"),
      htmlPage(CSP(), `/plain.js`, `<p id="out"></p>`),
    );
    writeFileSync(
      join(site, "plain.js"),
      `import { definePocketRecs } from "/pocketrec/index.js";
const before = customElements.get("pocket-recs") === undefined;
definePocketRecs();
document.querySelector("#out").textContent = before + " " + (customElements.get("pocket-recs") !== undefined);\n`,
    );
    const { origin, server } = await serve(site);
    servers.push(server);
    const { errors, page } = await visit(browser, `${origin}/plain.html`, "#out:not(:empty)", 1);
    assert.deepEqual(errors, []);
    assert.equal(await page.locator("#out").innerText(), "true true", "undefined before definePocketRecs(), defined after");
  });

  it("works with the module served from another origin, as from a CDN", async () => {
    const cdn = await serve(join(project.dir, "node_modules/pocketrec"), true);
    servers.push(cdn.server);
    const site = join(project.dir, "cdn-site");
    mkdirSync(site, { recursive: true });
    cpSync(join(project.dir, "public/pocketrec"), join(site, "pocketrec"), { recursive: true, filter: (f) => !/\.(js|wasm)$/.test(f) });
    writeFileSync(
      join(site, "index.html"),
      htmlPage(CSP(` ${cdn.origin}`), `${cdn.origin}/dist/pocketrec.js`, `<pocket-recs index="/pocketrec/" mode="personal" k="4"></pocket-recs>`),
    );
    const { origin, server } = await serve(site);
    servers.push(server);
    const { errors, failed, texts, page } = await visit(browser, `${origin}/index.html`, "pocket-recs li", 3);
    assert.deepEqual(errors, []);
    assert.deepEqual(failed, []);
    assert.equal(texts.length >= 3, true);
    const workers = page.workers().map((w) => w.url());
    assert.equal(workers.length, 1, "the engine runs in a worker, not on the page's thread");
  });
});

describe("a TypeScript project importing the package", () => {
  const source = `import { Engine, History, PocketRecs, definePocketRecs, forecastChart, PocketrecError, ERROR_CODES, type ErrorCode, type Result } from "pocketrec";
import "pocketrec/widget";

/** Every code is handled: the union is exhaustive. */
function explain(code: ErrorCode): string {
  switch (code) {
    case "bad_index":
    case "load_failed":
      return "the shop's files";
    default:
      return code;
  }
}
// @ts-expect-error: not an error code
const wrong: ErrorCode = "no_such_code";
void wrong;

export async function show(list: HTMLElement): Promise<void> {
  definePocketRecs();
  const engine = await Engine.create({ indexUrl: "/pocketrec/" });
  const history = new History();
  try {
    const results: Result[] = await engine.recommend(history.events(), { k: 4 });
    list.textContent = results.map((r) => r.id).join(" ");
  } catch (e) {
    if (e instanceof PocketrecError) list.textContent = explain(e.code);
  }
  void forecastChart;
  void PocketRecs;
  void ERROR_CODES.length;
}
const list = document.querySelector("#out");
if (list instanceof HTMLElement) void show(list);
`;

  it("type-checks under tsc --strict, with node16 and bundler resolution", () => {
    const dir = join(project.dir, "ts");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "main.ts"), source);
    for (const resolution of ["bundler", "node16"]) {
      const config = { compilerOptions: { strict: true, noEmit: true, target: "ES2022", lib: ["ES2022", "DOM"], module: resolution === "bundler" ? "ESNext" : "Node16", moduleResolution: resolution, skipLibCheck: false }, files: ["main.ts"] };
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
      const tsc = spawnSync(process.execPath, [join(www, "node_modules/typescript/bin/tsc"), "-p", dir], { cwd: project.dir, encoding: "utf8" });
      assert.equal(tsc.status, 0, `${resolution}: ${tsc.stdout}${tsc.stderr}`);
    }
  });

  it("bundles with esbuild into a page that shows recommendations", async () => {
    const site = join(project.dir, "esbuild-site");
    const out = join(site, "js");
    mkdirSync(out, { recursive: true });
    await esbuild.build({ entryPoints: [join(project.dir, "ts/main.ts")], bundle: true, format: "esm", outdir: out, absWorkingDir: project.dir, logLevel: "warning" });
    // esbuild does not follow `new URL(…, import.meta.url)`: the README's
    // recipe copies the package's worker, chunks and wasm beside the bundle.
    const dist = join(project.dir, "node_modules/pocketrec/dist");
    for (const file of readdirSync(dist)) if (file !== "index.js" && file !== "pocketrec.js" && /\.(js|wasm)$/.test(file)) cpSync(join(dist, file), join(out, file));
    cpSync(join(project.dir, "public/pocketrec"), join(site, "pocketrec"), { recursive: true });
    writeFileSync(
      join(site, "index.html"),
      htmlPage(CSP(), `/js/main.js`, `<p id="out"></p>`),
    );
    const { origin, server } = await serve(site);
    servers.push(server);
    const { errors, failed, page } = await visit(browser, `${origin}/index.html`, "#out:not(:empty)", 1);
    assert.deepEqual(errors, []);
    assert.deepEqual(failed, []);
    assert.match(await page.locator("#out").innerText(), /^p\d+( p\d+){3}$/);
  });
});

describe("the budget", () => {
  it("reports the installed size and the bytes a shop page downloads", () => {
    const installed = filesUnder(join(project.dir, "node_modules/pocketrec"));
    const total = installed.reduce((sum, f) => sum + f.bytes, 0);
    const cli = installed.filter((f) => f.path.includes("/cli/")).reduce((sum, f) => sum + f.bytes, 0);
    // What the plain page fetched of the module: the drop-in entry, its
    // chunks, the worker and the query module (the index files are the
    // shop's own; the worker's fetches are not in the page's resource
    // timing, so the module files are counted from the folder: everything
    // `build` copied, all of which a page on an index may fetch).
    const copied = readdirSync(join(project.dir, "public/pocketrec")).filter((f) => /\.(js|wasm)$/.test(f));
    const page = copied.map((f) => readFileSync(join(project.dir, "public/pocketrec", f)));
    const raw = page.reduce((sum, b) => sum + b.length, 0);
    const gz = page.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0);
    const fetchedFiles = downloads.module.map((f) => readFileSync(join(project.dir, "public/pocketrec", f)));
    const fetchedRaw = fetchedFiles.reduce((sum, b) => sum + b.length, 0);
    const fetchedGz = fetchedFiles.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0);
    const tarball = readFileSync(project.tarball).length;
    console.log(`package budget: tarball ${tarball} B; installed ${total} B (${installed.length} files; command-line tool ${cli} B); a shop page's module files ${raw} B raw, ${gz} B gzipped (${copied.length} files); the plain page fetched ${fetchedRaw} B of them, ${fetchedGz} B gzipped (${downloads.module.join(", ")}), and ${downloads.indexBytes} B of index files`);
    assert.ok(total > 0 && gz > 0);
  });
});
