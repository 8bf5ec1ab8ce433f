import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatPrice, parseWeights, reasonText, resolveView, safeUrl } from "../../src/display.js";
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
