import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { PocketrecError, Shop, type Progress, type WasmExports } from "../../src/core.js";
import { History } from "../../src/history.js";
import { generateShop } from "../../src/demo/generate.js";
import { loadWasm } from "./wasm.js";

let wasm: WasmExports;
before(async () => {
  wasm = await loadWasm();
});

/** A fetch that serves these files and nothing else, recording every URL asked for. */
function files(served: Record<string, string>) {
  const asked: string[] = [];
  const fetchFn = (async (input: string | URL | Request) => {
    const url = String(input);
    asked.push(url);
    const body = served[url];
    return body === undefined ? new Response("missing", { status: 404, statusText: "Not Found" }) : new Response(body);
  }) as typeof fetch;
  return { fetchFn, asked };
}

const demo = generateShop();
const shopFiles = {
  "/shop/catalogue.json": JSON.stringify(demo.catalogue),
  "/shop/interactions.csv": demo.interactions,
};

async function caught(promise: Promise<unknown>): Promise<PocketrecError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof PocketrecError, `not a PocketrecError: ${String(e)}`);
    return e;
  }
  assert.fail("expected an error");
}

describe("Shop (core, with the real wasm module)", () => {
  it("loads the demo shop, reports progress in order and fetches only its own files", async () => {
    const { fetchFn, asked } = files(shopFiles);
    const stages: Progress["stage"][] = [];
    const shop = await Shop.load(wasm, { catalogueUrl: "/shop/catalogue.json", interactionsUrl: "/shop/interactions.csv" }, { fetch: fetchFn, onProgress: (p) => stages.push(p.stage) });
    assert.deepEqual(stages, ["catalogue", "interactions", "fit", "ready"]);
    assert.deepEqual(asked, ["/shop/catalogue.json", "/shop/interactions.csv"]);
    assert.equal(shop.itemIds().length, 320);
    const similar = await shop.similarItems("tea-003", { k: 5 });
    assert.equal(similar.length, 5);
    assert.ok(similar.every((r) => r.id !== "tea-003" && Number.isFinite(r.score) && r.reasons.length > 0));
    shop.free();
  });

  // Needs the item-view contract of src/wasm/engine.rs (results carry `item`,
  // reasons naming an item carry `title`, `Engine.items`).
  it("gives each result its item's display fields and each reason naming an item that item's title, from one read of the catalogue", async () => {
    const catalogueUrl = "https://shop.example/data/catalogue.json";
    const { fetchFn } = files({ [catalogueUrl]: shopFiles["/shop/catalogue.json"], "/shop/interactions.csv": shopFiles["/shop/interactions.csv"] });
    const shop = await Shop.load(wasm, { catalogueUrl, interactionsUrl: "/shop/interactions.csv" }, { fetch: fetchFn });
    const record = (id: string | undefined) => demo.catalogue.items.find((p) => p.id === id);
    const view = (id: string) => {
      const p = record(id);
      // The demo's images are relative to the catalogue: resolved against its URL.
      return { id, title: p?.title, image: `https://shop.example/data/${p?.image}`, price: p?.price, currency: p?.currency, category: p?.category, inStock: p?.inStock };
    };
    const similar = await shop.similarItems("tea-003", { k: 5, model: "item-knn" });
    assert.deepEqual(similar[0]?.item, view(similar[0]!.id));
    const named = similar.flatMap((r) => r.reasons).filter((x) => x.kind === "alsoInteracted" || x.kind === "chosenAfter");
    assert.ok(named.length > 0, "item-knn explains with the items bought together");
    for (const reason of named) assert.equal(reason.title, record(reason.item)?.title);
    assert.deepEqual(await shop.items(["tea-001", "no-such-item", "audio-002"]), [view("tea-001"), view("audio-002")], "unknown ids are left out");
    shop.free();
  });

  it("loads a config from a URL, and says so when it is not JSON", async () => {
    const { fetchFn, asked } = files({ ...shopFiles, "/shop/config.json": JSON.stringify({ hybrid: { weights: { content: 1, itemKnn: 0 } } }), "/shop/bad.json": "{nope" });
    const shop = await Shop.load(wasm, { catalogueUrl: "/shop/catalogue.json", configUrl: "/shop/config.json" }, { fetch: fetchFn });
    assert.deepEqual(asked, ["/shop/config.json", "/shop/catalogue.json"]);
    shop.free();
    const e = await caught(Shop.load(wasm, { catalogueUrl: "/shop/catalogue.json", configUrl: "/shop/bad.json" }, { fetch: fetchFn }));
    assert.equal(e.code, "invalid_json");
    assert.match(e.message, /^could not load config from \/shop\/bad\.json: /);
  });

  it("recommends from a History the shopper built, never returning what they had", async () => {
    const { fetchFn } = files(shopFiles);
    const shop = await Shop.load(wasm, { catalogueUrl: "/shop/catalogue.json", interactionsUrl: "/shop/interactions.csv" }, { fetch: fetchFn });
    const history = new History({ onProblem: () => {} }); // Node has no localStorage: memory.
    history.add({ item: "tea-003", event: "view" });
    history.add({ item: "audio-005", event: "cart" });
    const recs = await shop.recommend(history.events(), { k: 8 });
    assert.equal(recs.length, 8);
    assert.ok(recs.every((r) => r.id !== "tea-003" && r.id !== "audio-005"));
    // Filters and search pass through.
    assert.ok((await shop.recommend(history.events(), { k: 5, filter: { categories: ["books"] } })).every((r) => r.id.startsWith("books-")));
    assert.ok((await shop.search("蓝牙", { k: 3 })).every((r) => r.id.startsWith("audio-")));
    shop.free();
  });

  it("says which file failed to load, from where and why", async () => {
    const { fetchFn } = files(shopFiles);
    let e = await caught(Shop.load(wasm, { catalogueUrl: "/shop/nope.json" }, { fetch: fetchFn }));
    assert.equal(e.code, "load_failed");
    assert.equal(e.message, "could not load catalogue from /shop/nope.json: HTTP 404 Not Found");
    const broken = files({ "/c.json": '{"items": [{"id": 1},\n {"id": 1}]}', "/bad.json": "[{" });
    e = await caught(Shop.load(wasm, { catalogueUrl: "/c.json" }, { fetch: broken.fetchFn }));
    assert.equal(e.code, "duplicate_id");
    assert.ok(e.message.startsWith("could not load catalogue from /c.json: $.items[1].id: duplicate item id"), e.message);
    e = await caught(Shop.load(wasm, { catalogueUrl: "/bad.json" }, { fetch: broken.fetchFn }));
    assert.equal(e.code, "invalid_json");
    assert.ok(e.message.includes("/bad.json") && e.message.includes("line 1"), e.message);
    const offline = (async () => { throw new TypeError("Failed to fetch"); }) as typeof fetch;
    e = await caught(Shop.load(wasm, { catalogueUrl: "/shop/catalogue.json" }, { fetch: offline }));
    assert.equal(e.message, "could not load catalogue from /shop/catalogue.json: Failed to fetch");
  });

  it("reports skipped interaction rows as warnings, and bad ones as errors with the line", async () => {
    const { fetchFn } = files({ ...shopFiles, "/i.csv": "user,item\nu,tea-001\nu,ghost\n", "/bad.csv": "user,item,weight\nu,tea-001,heavy\n" });
    const shop = await Shop.load(wasm, { catalogueUrl: "/shop/catalogue.json", interactionsUrl: "/i.csv" }, { fetch: fetchFn });
    assert.equal(shop.warnings.length, 1);
    assert.ok(shop.warnings[0]!.includes("not in the catalogue"));
    const e = await caught(Shop.load(wasm, { catalogueUrl: "/shop/catalogue.json", interactionsUrl: "/bad.csv" }, { fetch: fetchFn }));
    assert.equal(e.code, "invalid_csv");
    assert.equal(e.message, 'could not load interactions from /bad.csv: interactions line 2: weight "heavy" is not a finite number');
  });

  it("turns query errors into PocketrecErrors with the wasm code", async () => {
    const { fetchFn } = files(shopFiles);
    const shop = await Shop.load(wasm, { catalogueUrl: "/shop/catalogue.json" }, { fetch: fetchFn });
    await assert.rejects(() => shop.similarItems("ghost"), (e: unknown) => e instanceof PocketrecError && e.code === "unknown_item");
    await assert.rejects(() => shop.popular({ k: 3, diversity: 2 }), (e: unknown) => e instanceof PocketrecError && e.code === "invalid_config" && e.message.includes("diversity"));
    await assert.rejects(() => shop.search("x", { kk: 1 } as never), (e: unknown) => e instanceof PocketrecError && e.code === "invalid_value" && e.message.includes("unknown field `kk`"));
    shop.free();
  });
});
