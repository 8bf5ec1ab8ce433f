#!/usr/bin/env node
// `npx pocketrec …`: the pocketrec command-line tool (src/bin/pocketrec in
// the repository), compiled to wasm32-wasip1 and run by Node's WASI. Same
// commands, flags, output and errors as the native binary; no Rust
// toolchain, no native binary, nothing downloaded at install time.
//
// `pocketrec build` also copies the browser module (the drop-in
// `pocketrec.js`, its worker and the query wasm) into the index folder, so
// one folder holds everything a shop page loads (`--no-widget` skips it).
//
// The tool sees the host's file system at `/` and starts in the current
// directory (the PWD it is given), so relative paths work as they do
// natively. It runs single-threaded with wasm SIMD.
import { cpSync, existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, parse, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, "../dist");

// Node marks WASI experimental and warns on every run; the warning says
// nothing to a pocketrec user.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  if (String(warning).includes("WASI")) return;
  return emitWarning.call(process, warning, ...rest);
};
// Node's WASI functions take V8's "fast API call" path once the wasm code
// calling them is optimised; on Node 20 that path crashes the process
// (SIGSEGV, exit 139) after the tool has finished a build of a few minutes
// (nodejs/node#53087 reports the same on Node 22). The ordinary call path
// costs nothing measurable here.
(await import("node:v8")).setFlagsFromString("--no-turbo-fast-api-calls");
const { WASI } = await import("node:wasi");

const args = process.argv.slice(2);
const command = args[0];
const noWidget = command === "build" && args.includes("--no-widget");
const toolArgs = noWidget ? args.filter((a) => a !== "--no-widget") : args;

// The whole host file system at `/` (on Windows, the current drive), and the
// working directory as WASI sees it.
const cwd = process.cwd();
const root = parse(cwd).root;
const wasiCwd = "/" + relative(root, cwd).split(sep).join("/");
const wasi = new WASI({
  version: "preview1",
  args: ["pocketrec", ...toolArgs],
  env: { ...process.env, PWD: wasiCwd },
  preopens: { "/": root },
  returnOnExit: true,
});

const wasm = join(dist, "cli/pocketrec.wasm");
let code;
try {
  const module = await WebAssembly.compile(readFileSync(wasm));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  code = wasi.start(instance);
} catch (e) {
  // The tool has already said what went wrong (a Rust panic message) when
  // it traps; anything else is a broken install.
  if (!(e instanceof WebAssembly.RuntimeError)) console.error(`error: could not run ${wasm}: ${e instanceof Error ? e.message : e}`);
  code = 101;
}

if (code === 0 && command === "build" && !noWidget && !args.includes("--help") && !args.includes("-h")) {
  const out = outFolder(args);
  if (out) {
    copyWidget(resolve(cwd, out));
    if (process.stderr.isTTY) process.stderr.write(`pocketrec: the widget's files are in ${out} too; on a page:\n  <script type="module" src="…/pocketrec.js"></script>\n  <pocket-recs index="…/" mode="personal"></pocket-recs>\n`);
  }
}
process.exitCode = code;

/** The value of `--out` (`--out DIR` or `--out=DIR`). */
function outFolder(argv) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") return argv[i + 1];
    if (argv[i].startsWith("--out=")) return argv[i].slice("--out=".length);
  }
  return undefined;
}

/**
 * What a page served from an index loads: the drop-in and main entries,
 * the worker, their shared chunks and the query module's wasm. Not the
 * fitting or forecasting wasm (a page on an index never fetches them), nor
 * types, source maps or the command-line tool.
 */
function copyWidget(out) {
  if (!existsSync(out) || !statSync(out).isDirectory()) return;
  for (const file of readdirSync(dist)) {
    if (file.endsWith(".js") || file === "pocketrec_query_bg.wasm") cpSync(join(dist, file), join(out, file));
  }
}
