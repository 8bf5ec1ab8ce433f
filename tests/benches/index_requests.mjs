// What each kind of request fetches from a model index, and in how many
// rounds: the real query module (www/pkg, built by www/scripts/build-wasm.sh)
// in Node, the files read from the index folder. Before any query a page has
// the manifest, popularity's first shard and the content features (as
// Shop.open fetches them for the hybrid).
//
//   node tests/benches/index_requests.mjs INDEX_DIR ITEM_ID [SEARCH_TEXT...]
//
// Prints, per request: results, files, gzip -9 bytes (manifest included), and
// the kinds fetched in each round.
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const [dir, item, ...texts] = process.argv.slice(2);
if (!dir || !item) {
  console.error("usage: node tests/benches/index_requests.mjs INDEX_DIR ITEM_ID [SEARCH_TEXT...]");
  process.exit(2);
}
const pkg = join(root, "www/pkg");
const wasm = await import(pathToFileURL(join(pkg, "pocketrec_query.js")).href);
await wasm.default({ module_or_path: readFileSync(join(pkg, "pocketrec_query_bg.wasm")) });

const files = new Map(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
const manifest = files.get("pocketrec-index.json");
const shards = JSON.parse(new TextDecoder().decode(manifest)).shards;
const gzipped = (names) => names.reduce((total, n) => total + gzipSync(files.get(n), { level: 9 }).length, 0);
const kind = (name) => name.slice(0, name.lastIndexOf("-"));

const requests = [
  ["popular", undefined, (e) => e.popular({ k: 10 })],
  ["similar", item, (e) => e.similarItems(item, { k: 10 })],
  ["recommend", [{ item }], (e) => e.recommend([{ item }], { k: 10 })],
  ...texts.map((text) => ["search", text, (e) => e.search(text, { k: 10 })]),
];
for (const [request, arg, run] of requests) {
  const first = shards.filter((s) => (s.kind === "popularity" && s.first === 0) || s.kind === "features").map((s) => s.file);
  const engine = wasm.Engine.fromIndex(manifest, new Map(first.map((f) => [f, files.get(f)])), undefined);
  const fetched = ["pocketrec-index.json", ...first];
  const rounds = [];
  for (let round = 0; round < 5; round++) {
    const names = engine.missingFiles(request, { k: 10 }, arg);
    if (!names.length) break;
    rounds.push(names.map(kind).join(" "));
    fetched.push(...names);
    engine.openFiles(new Map(names.map((n) => [n, files.get(n)])), []);
  }
  const results = run(engine);
  const label = typeof arg === "string" ? `${request} "${arg}"` : request;
  console.log(`${label}: ${results.length} results, ${fetched.length} files, ${gzipped(fetched)} B gzip -9; rounds: ${rounds.join(" | ") || "none"}`);
  engine.free();
}
