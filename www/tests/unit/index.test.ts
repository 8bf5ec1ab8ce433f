/**
 * A shop served from a model index: `pocketrec build` (the native CLI,
 * built here with cargo when needed) writes the demo shop's index, and
 * `Shop.open` serves it with the real query module through a fetch that
 * records every request.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { before, describe, it } from "node:test";
import { INDEX_MANIFEST, PocketrecError, Shop, shardFiles, type IndexExports, type Progress } from "../../src/core.js";
import { generateShop } from "../../src/demo/generate.js";
import { ShopHost } from "../../src/protocol.js";
import { modules, loadQueryWasm } from "./wasm.js";

const root = resolve("..");
let query: IndexExports;
/** The index's files by name (the manifest included). */
let index: Record<string, Uint8Array>;
const demo = generateShop();

/** The CLI's `build` on the demo shop, into a fresh folder; its files. */
function buildDemoIndex(): Record<string, Uint8Array> {
  execFileSync("cargo", ["build", "--quiet", "--bin", "pocketrec"], { cwd: root, stdio: "inherit" });
  const target = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target");
  const dir = mkdtempSync(join(tmpdir(), "pocketrec-index-test-"));
  writeFileSync(join(dir, "catalogue.json"), JSON.stringify(demo.catalogue));
  writeFileSync(join(dir, "log.csv"), demo.interactions);
  const out = join(dir, "index");
  execFileSync(join(target, "debug", "pocketrec"), ["build", "--catalog", join(dir, "catalogue.json"), "--interactions", join(dir, "log.csv"), "--out", out, "--no-tune", "--noise-seed", "1"], { stdio: ["ignore", "ignore", "inherit"] });
  return Object.fromEntries(readdirSync(out).map((f) => [f, new Uint8Array(readFileSync(join(out, f)))]));
}

before(async () => {
  query = await loadQueryWasm();
  index = buildDemoIndex();
});

/** A fetch serving `served` under https://shop.example/idx/, recording every URL. */
function host(served: Record<string, Uint8Array | string>) {
  const asked: string[] = [];
  const fetchFn = (async (input: string | URL | Request) => {
    const url = String(input);
    asked.push(url);
    const prefix = "https://shop.example/idx/";
    const body = url.startsWith(prefix) ? served[url.slice(prefix.length)] : undefined;
    if (body === undefined) return new Response("missing", { status: 404, statusText: "Not Found" });
    return new Response(typeof body === "string" ? body : new Blob([new Uint8Array(body)]));
  }) as typeof fetch;
  return { fetchFn, asked };
}

const INDEX_URL = "https://shop.example/idx";

/** The kinds of shard files, from their URLs or names. */
function kindsOf(urls: string[]): string[] {
  return urls.map((u) => u.slice(u.lastIndexOf("/") + 1, u.lastIndexOf("-")));
}

function shardOf(kind: string): string {
  const name = Object.keys(index).find((f) => f.startsWith(`${kind}-`));
  assert.ok(name, `the demo index has a ${kind} shard`);
  return name;
}

async function caught(promise: Promise<unknown>): Promise<PocketrecError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof PocketrecError, `not a PocketrecError: ${String(e)}`);
    return e;
  }
  assert.fail("expected an error");
}

describe("Shop.open (a model index, with the real query module)", () => {
  it("fetches the manifest, then per query the shards it needs, and answers every kind of query with reasons", async () => {
    const { fetchFn, asked } = host(index);
    const stages: Progress["stage"][] = [];
    const shop = await Shop.open(query, { indexUrl: INDEX_URL }, { fetch: fetchFn, onProgress: (p) => stages.push(p.stage) });
    assert.deepEqual(stages, ["index", "ready"]);
    assert.equal(asked[0], `${INDEX_URL}/${INDEX_MANIFEST}`);
    // With the manifest: popularity, and the content features (the links'
    // explanations name them). Ids, items and lists come with the queries.
    assert.deepEqual(kindsOf(asked.slice(1)).sort(), ["features", "popularity"]);
    assert.deepEqual(shop.problems, []);
    assert.equal(shop.itemCount(), 320);
    const similar = await shop.similarItems("tea-003", { k: 5 });
    assert.equal(similar.length, 5);
    assert.ok(similar.every((r) => r.id !== "tea-003" && r.reasons.length > 0));
    assert.ok(similar.some((r) => r.reasons.some((x) => x.kind === "sharedFeature")), "content links explain with shared features");
    // Display fields travel in the index; relative images resolve against the index folder.
    const tea = demo.catalogue.items.find((p) => p.id === similar[0]!.id)!;
    assert.equal(similar[0]!.item.title, tea.title);
    assert.equal(similar[0]!.item.image, `${INDEX_URL}/${tea.image}`);
    const recs = await shop.recommend([{ item: "tea-003", event: "view" }, { item: "audio-005", event: "cart" }], { k: 8 });
    assert.equal(recs.length, 8);
    assert.ok(recs.every((r) => r.id !== "tea-003" && r.id !== "audio-005"));
    assert.ok((await shop.recommend([{ item: "tea-003", event: "view" }], { k: 5, filter: { categories: ["books"] } })).every((r) => r.id.startsWith("books-")));
    assert.ok((await shop.search("蓝牙", { k: 3 })).every((r) => r.id.startsWith("audio-")));
    assert.equal((await shop.popular({ k: 4 })).length, 4);
    assert.deepEqual((await shop.items(["tea-001", "no-such-item"])).map((v) => v.id), ["tea-001"]);
    const shards = new Set(Object.keys(index).map((f) => `${INDEX_URL}/${f}`));
    assert.ok(asked.every((u) => shards.has(u)), "only the index's own files");
    assert.equal(new Set(asked).size, asked.length, "each file fetched once");
    assert.ok(!asked.some((u) => u.includes("interactions") || u.includes("catalogue")), "no log and no catalogue");
    shop.free();
  });

  it("answers with EASE's lists and ALS's factors (folded in on the device) when a query weighs them", async () => {
    const { fetchFn, asked } = host(index);
    const shop = await Shop.open(query, { indexUrl: INDEX_URL }, { fetch: fetchFn });
    assert.ok(!kindsOf(asked).includes("als"), "ALS's factors wait for a query that weighs them");
    const history = [{ item: "tea-003", event: "view" }, { item: "tea-007", event: "purchase" }];
    const ease = await shop.recommend(history, { k: 5, model: "ease" });
    assert.equal(ease.length, 5);
    assert.ok(ease.some((r) => r.reasons.some((x) => x.kind === "alsoInteracted")), "EASE names the history items behind a result");
    assert.ok(kindsOf(asked).includes("ease") && !kindsOf(asked).includes("als"));
    const als = await shop.recommend(history, { k: 5, model: "als" });
    assert.equal(als.length, 5);
    assert.ok(kindsOf(asked).includes("als"), "the factors came with the first ALS query");
    const named = als.flatMap((r) => r.reasons).filter((x) => x.kind === "becauseYouChose");
    assert.ok(named.length > 0 && named.every((x) => x.kind === "becauseYouChose" && ["tea-003", "tea-007"].includes(x.item)), JSON.stringify(named));
    assert.ok(als.every((r) => r.id !== "tea-003" && r.id !== "tea-007"));
    shop.free();
  });

  it("fetches the id-directory buckets of the items a page names with the manifest", async () => {
    const { fetchFn, asked } = host(index);
    const shop = await Shop.open(query, { indexUrl: INDEX_URL, items: ["tea-003"] }, { fetch: fetchFn });
    assert.deepEqual(kindsOf(asked.slice(1)).sort(), ["features", "ids", "popularity"]);
    const before = asked.length;
    assert.equal((await shop.similarItems("tea-003", { k: 3 })).length, 3);
    assert.ok(!kindsOf(asked.slice(before)).includes("ids"), "the first query needs no ids round");
    shop.free();
  });

  it("resolves item links against linkBase when given", async () => {
    const { fetchFn } = host(index);
    const shop = await Shop.open(query, { indexUrl: INDEX_URL, linkBase: "https://shop.example/shop/" }, { fetch: fetchFn });
    const [first] = await shop.popular({ k: 1 });
    assert.ok(first?.item.image?.startsWith("https://shop.example/shop/img/"), first?.item.image);
    shop.free();
  });

  it("refuses a single model the index does not hold, naming what it holds", async () => {
    const shop = await Shop.open(query, { indexUrl: INDEX_URL }, { fetch: host(index).fetchFn });
    await assert.rejects(
      () => shop.similarItems("tea-003", { model: "user-knn" }),
      (e: unknown) => e instanceof PocketrecError && e.code === "invalid_value" && /holds no user-knn model/.test(e.message),
    );
    shop.free();
  });

  it("opens only the models asked for, and fetches the others' shards when a query first needs them", async () => {
    const all = await Shop.open(query, { indexUrl: INDEX_URL }, { fetch: host(index).fetchFn });
    const { fetchFn, asked } = host(index);
    const shop = await Shop.open(query, { indexUrl: INDEX_URL, models: ["popular"] }, { fetch: fetchFn });
    const kinds = () => kindsOf(asked.slice(1));
    assert.deepEqual(kinds(), ["popularity"]);
    assert.deepEqual(await shop.popular({ k: 4 }), await all.popular({ k: 4 }));
    assert.ok(kinds().slice(1).every((k) => k === "items"), "trending: the items it shows");
    let seen = kinds().length;
    assert.deepEqual(await shop.similarItems("tea-003", { k: 5, model: "item-knn" }), await all.similarItems("tea-003", { k: 5, model: "item-knn" }));
    const knn = kinds().slice(seen);
    // Its list, after the id's bucket unless trending's items named it already.
    assert.equal(knn.filter((k) => k === "item-knn").length, 1, knn.join(", "));
    assert.ok(knn.every((k) => ["ids", "item-knn", "items"].includes(k)), knn.join(", "));
    seen = kinds().length;
    // Two queries at once fetch the hybrid's other shards once.
    const history = [{ item: "tea-003", event: "view" }];
    const [similar, recs] = await Promise.all([shop.similarItems("tea-003", { k: 5 }), shop.recommend(history, { k: 6 })]);
    assert.deepEqual(similar, await all.similarItems("tea-003", { k: 5 }));
    assert.deepEqual(recs, await all.recommend(history, { k: 6 }));
    const hybrid = kinds().slice(seen);
    for (const kind of ["features", "content-links", "sequential"]) assert.ok(hybrid.includes(kind), `${kind} in ${hybrid.join(", ")}`);
    assert.ok(!hybrid.includes("content"), "the content vectors are never needed here");
    seen = kinds().length;
    assert.deepEqual(await shop.search("tea", { k: 3 }), await all.search("tea", { k: 3 }));
    assert.ok(kinds().slice(seen).includes("terms"), "search reads the postings of its words");
    assert.ok(!kinds().includes("content"));
    assert.equal(new Set(asked).size, asked.length, "every shard fetched once");
    assert.deepEqual(shop.problems, []);
    shop.free();
    all.free();
  });

  it("leaves out a model whose shard fails when a query first needs it, and blends the others", async () => {
    const served = { ...index };
    for (const name of Object.keys(index).filter((f) => f.startsWith("content-links-"))) {
      const bad = new Uint8Array(index[name]!);
      bad[20] = (bad[20] ?? 0) ^ 0xff;
      served[name] = bad;
    }
    const shop = await Shop.open(query, { indexUrl: INDEX_URL, models: ["item-knn"] }, { fetch: host(served).fetchFn });
    assert.deepEqual(shop.problems, []);
    const warn = console.warn;
    const warned: unknown[] = [];
    console.warn = (...args: unknown[]) => warned.push(...args);
    try {
      assert.equal((await shop.similarItems("tea-003", { k: 3 })).length, 3);
    } finally {
      console.warn = warn;
    }
    assert.equal(shop.problems.length, 1);
    assert.match(shop.problems[0]!, /content-links-/);
    assert.match(String(warned[0]), /lost a model/);
    await assert.rejects(() => shop.search("tea"), (e: unknown) => e instanceof PocketrecError && /content model/.test(e.message));
    shop.free();
  });

  it("leaves out a model whose shard is corrupt, names the file, and still answers trending", async () => {
    const served = { ...index };
    for (const name of Object.keys(index).filter((f) => f.startsWith("item-knn-"))) {
      const bad = new Uint8Array(index[name]!);
      bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
      served[name] = bad;
    }
    const shop = await Shop.open(query, { indexUrl: INDEX_URL }, { fetch: host(served).fetchFn });
    assert.deepEqual(shop.problems, [], "lists come with the queries");
    const warn = console.warn;
    console.warn = () => {};
    try {
      await assert.rejects(() => shop.similarItems("tea-003", { model: "item-knn" }), (e: unknown) => e instanceof PocketrecError && e.code === "bad_index" && /item-knn-/.test(e.message));
    } finally {
      console.warn = warn;
    }
    assert.equal(shop.problems.length, 1);
    assert.equal((await shop.popular({ k: 3 })).length, 3);
    assert.ok((await shop.similarItems("tea-003", { k: 3 })).length > 0, "the hybrid blends what is left");
    shop.free();
  });

  it("rejects with bad_index when an items shard is missing or the manifest is of another version", async () => {
    const without = { ...index };
    for (const name of Object.keys(index).filter((f) => f.startsWith("items-"))) delete without[name];
    const shop = await Shop.open(query, { indexUrl: INDEX_URL }, { fetch: host(without).fetchFn });
    let e = await caught(shop.popular({ k: 3 }));
    assert.equal(e.code, "bad_index");
    assert.ok(/items-/.test(e.message) && e.message.includes("HTTP 404"), e.message);
    shop.free();
    const manifest = JSON.parse(new TextDecoder().decode(index[INDEX_MANIFEST]));
    e = await caught(Shop.open(query, { indexUrl: INDEX_URL }, { fetch: host({ ...index, [INDEX_MANIFEST]: JSON.stringify({ ...manifest, version: 99 }) }).fetchFn }));
    assert.equal(e.code, "bad_index");
    assert.match(e.message, /pocketrec-index\.json/);
    assert.match(e.message, /version/);
    e = await caught(Shop.open(query, { indexUrl: INDEX_URL }, { fetch: host({}).fetchFn }));
    assert.equal(e.code, "load_failed");
    assert.equal(e.message, `could not load model index manifest from ${INDEX_URL}/${INDEX_MANIFEST}: HTTP 404 Not Found`);
  });

  it("never fetches a file a manifest names outside the format's shard names", async () => {
    const manifest = JSON.parse(new TextDecoder().decode(index[INDEX_MANIFEST]));
    manifest.shards[0].file = "../../secrets.bin";
    manifest.shards[1].file = "https://tracker.example/x-0123456789abcdef.bin";
    const text = JSON.stringify(manifest);
    assert.ok(!shardFiles(new TextEncoder().encode(text)).some((f) => f.includes("/")));
    const { fetchFn, asked } = host({ ...index, [INDEX_MANIFEST]: text });
    const e = await caught(Shop.open(query, { indexUrl: INDEX_URL }, { fetch: fetchFn }));
    assert.equal(e.code, "bad_index");
    assert.ok(asked.every((u) => u.startsWith(`${INDEX_URL}/`) && !u.includes("..")), asked.join(", "));
  });

  it("is what the worker host loads for an indexUrl (the query module, not the fitting one)", async () => {
    let fitting = 0;
    const counted = { ...modules, recommend: () => (fitting++, modules.recommend()) };
    const worker = new ShopHost(counted, () => {}, host(index).fetchFn);
    const loaded = await worker.call("load", { indexUrl: INDEX_URL });
    assert.deepEqual(loaded, { items: 320, warnings: [], problems: [] });
    assert.equal((await worker.call("similarItems", "tea-003", { k: 3 })).length, 3);
    assert.equal(fitting, 0);
    await worker.call("free");
  });
});
