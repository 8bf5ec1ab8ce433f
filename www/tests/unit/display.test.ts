import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { byCategoryInTurn, formatPrice, parseWeights, reasonText, resolveView, safeUrl, type Result } from "../../src/display.js";
import { fetchedOf, FetchLog } from "../../src/fetches.js";
import { PocketrecError } from "../../src/error.js";

describe("display fields", () => {
  it("resolves relative images and links against the catalogue's URL, and changes nothing else", () => {
    const view = { id: "a", title: "A", image: "img/a.svg", url: "../p/a", price: 5, inStock: false };
    const resolved = resolveView(view, "https://shop.example/data/catalogue.json");
    assert.deepEqual(resolved, { ...view, image: "https://shop.example/data/img/a.svg", url: "https://shop.example/p/a" });
    assert.equal(view.image, "img/a.svg", "the engine's view is not changed");
    assert.deepEqual(resolveView({ id: "b", title: "b", image: "https://cdn.example/b.png" }, "https://shop.example/c.json").image, "https://cdn.example/b.png");
    assert.deepEqual(resolveView({ id: "b", title: "b", image: "b.png" }, "/relative.json"), { id: "b", title: "b", image: "b.png" }, "no absolute base: unchanged");
  });

  it("formats prices with and without a currency", () => {
    assert.equal(formatPrice(3.5, undefined, "en-GB"), "3.50");
    assert.equal(formatPrice(3.5, "GBP", "en-GB"), "£3.50");
    assert.equal(formatPrice(3.5, "NOT-A-CODE", "en-GB"), "3.50");
  });

  it("says each reason in words, naming items by the title the reason carries", () => {
    const said = [
      reasonText({ kind: "sharedFeature", field: "category", value: "kitchen", weight: 1 }),
      reasonText({ kind: "sharedFeature", field: "brand", value: "Acme", weight: 1 }),
      reasonText({ kind: "sharedFeature", field: "tags", value: "gift", weight: 1 }),
      reasonText({ kind: "sharedFeature", field: "title", value: "ceramic", weight: 1 }),
      reasonText({ kind: "sharedFeature", field: "price", value: "3", weight: 1 }),
      reasonText({ kind: "alsoInteracted", item: "mug", title: "Blue mug", weight: 1 }),
      reasonText({ kind: "chosenAfter", item: "cup", title: "cup", weight: 1 }),
      reasonText({ kind: "similarShoppers", count: 1 }),
      reasonText({ kind: "similarShoppers", count: 12 }),
      reasonText({ kind: "popular", score: 3 }),
    ];
    assert.deepEqual(said, [
      "Also in kitchen",
      "Also by Acme",
      "Also tagged gift",
      "Also mentions “ceramic”",
      "Similar price",
      "Often bought with Blue mug",
      "Often chosen after cup",
      "Chosen by a shopper like you",
      "Chosen by 12 shoppers like you",
      "Popular right now",
    ]);
  });
});

describe("widget attributes", () => {
  it("reads blend weights as name:number pairs or JSON, and says what is wrong", () => {
    assert.deepEqual(parseWeights("itemKnn:1, content:0.6; popular=0"), { itemKnn: 1, content: 0.6, popular: 0 });
    assert.deepEqual(parseWeights('{"content": 2}'), { content: 2 });
    for (const bad of ["content", "content:lots", "content:"]) {
      assert.throws(() => parseWeights(bad), (e: unknown) => e instanceof PocketrecError && e.code === "invalid_value" && e.message.includes("name:number"), bad);
    }
  });

  it("lets only http(s) and relative links through", () => {
    const base = "https://shop.example/a/";
    assert.equal(safeUrl("p?id=1", base), "p?id=1");
    assert.equal(safeUrl("https://cdn.example/x.png", base), "https://cdn.example/x.png");
    for (const bad of ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>", "vbscript:x", undefined, ""]) {
      assert.equal(safeUrl(bad, base), undefined, String(bad));
    }
  });
});

describe("a new visitor's sample of the shop", () => {
  const result = (id: string, category?: string): Result => ({ id, score: 1, reasons: [{ kind: "popular", score: 1 }], item: { id, title: id, ...(category ? { category } : {}) } });
  const popular = [result("t1", "tea"), result("t2", "tea"), result("a1", "audio"), result("t3", "tea"), result("k1", "kitchen"), result("a2", "audio"), result("x")];

  it("takes each category's most popular item in turn, in order of first appearance", () => {
    assert.deepEqual(byCategoryInTurn(popular, 4).map((r) => r.id), ["t1", "a1", "k1", "x"]);
    assert.deepEqual(byCategoryInTurn(popular, 6).map((r) => r.id), ["t1", "a1", "k1", "x", "t2", "a2"]);
  });

  it("differs from the plain popular list, and gives everything when k is larger", () => {
    assert.notDeepEqual(byCategoryInTurn(popular, 4).map((r) => r.id), popular.slice(0, 4).map((r) => r.id));
    assert.deepEqual(byCategoryInTurn(popular, 50).map((r) => r.id).sort(), popular.map((r) => r.id).sort());
    assert.deepEqual(byCategoryInTurn([], 3), []);
  });
});

describe("files the engine's worker fetched", () => {
  it("turns resource timing entries into files with bytes and a wall-clock start", () => {
    const entry = { name: "https://shop.example/pocketrec/pocketrec_query_bg.wasm", startTime: 12.5, duration: 40, encodedBodySize: 177_501, transferSize: 177_800 };
    assert.deepEqual(fetchedOf(entry, 1_000_000), { url: entry.name, bytes: 177_501, transferred: 177_800, at: 1_000_012.5, ms: 40 });
    assert.deepEqual(fetchedOf({ name: "x", startTime: 0, duration: 0 }, 5), { url: "x", bytes: 0, transferred: 0, at: 5, ms: 0 });
  });

  it("keeps every reported file in order and tells listeners about new ones only", () => {
    const log = new FetchLog();
    const file = (url: string) => ({ url, bytes: 1, transferred: 1, at: 0, ms: 0 });
    log.add([file("a")]);
    const heard: string[] = [];
    const stop = log.subscribe((files) => heard.push(...files.map((f) => f.url)));
    log.add([file("b"), file("c")]);
    stop();
    log.add([file("d")]);
    assert.deepEqual(log.all().map((f) => f.url), ["a", "b", "c", "d"]);
    assert.deepEqual(heard, ["b", "c"]);
  });
});
