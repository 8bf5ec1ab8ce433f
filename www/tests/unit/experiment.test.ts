import assert from "node:assert/strict";
import { randomBytes as nodeRandomBytes } from "node:crypto";
import { before, describe, it } from "node:test";
import type { IndexExports, WasmExports } from "../../src/core.js";
import { Engine, PocketrecError } from "../../src/engine.js";
import { assignVariant, checkVariants, drawIndex } from "../../src/experiment.js";
import { History, MAX_VARIANTS, type StorageLike } from "../../src/history.js";
import { serve, ShopHost, type PortLike } from "../../src/protocol.js";
import { generateShop } from "../../src/demo/generate.js";
import { loadForecastWasm, loadQueryWasm, loadWasm, modules } from "./wasm.js";

/** An in-memory Web Storage. */
function fakeStorage(): StorageLike & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (k) => values.get(k) ?? null,
    setItem: (k, v) => void values.set(k, v),
    removeItem: (k) => void values.delete(k),
    get length() {
      return values.size;
    },
    key: (i) => [...values.keys()][i] ?? null,
  };
}

/** A random source that counts its calls. */
function counting() {
  const source = { calls: 0, random: async (n: number) => (source.calls++, new Uint8Array(nodeRandomBytes(n))) };
  return source;
}

const quiet = () => {};

describe("experiment assignment", () => {
  it("is stable: later calls, and a later page on the same storage, get the first draw without drawing again", async () => {
    const storage = fakeStorage();
    const source = counting();
    const first = await assignVariant(new History({ storage, onProblem: quiet }), "strip", ["a", "b", "c"], source.random);
    const history = new History({ storage, onProblem: quiet });
    for (let i = 0; i < 20; i++) assert.equal(await assignVariant(history, "strip", ["a", "b", "c"], source.random), first);
    assert.equal(source.calls, 1);
    // Stored with the history's events, in the same value.
    const stored = JSON.parse(storage.values.get("pocketrec:history")!);
    assert.deepEqual(stored.variants, { strip: first });
    assert.match(history.export(), new RegExp(`"strip": "${first}"`));
  });

  it("is stored with the events and erased with them: clear() forgets it and the next call draws again", async () => {
    const storage = fakeStorage();
    const history = new History({ storage, onProblem: quiet });
    history.add({ item: "mug" });
    // Bytes 0…0 draw the first variant, ff…ff the last.
    const zeros = async (n: number) => new Uint8Array(n);
    const ones = async (n: number) => new Uint8Array(n).fill(255);
    assert.equal(await assignVariant(history, "strip", ["a", "b"], zeros), "a");
    assert.equal(history.events().length, 1);
    history.clear();
    assert.equal(storage.values.size, 0);
    assert.deepEqual(history.variants(), {});
    assert.equal(await assignVariant(history, "strip", ["a", "b"], ones), "b");
    assert.equal(new History({ storage, onProblem: quiet }).variant("strip"), "b");
  });

  it("redraws when the stored variant is no longer offered, and keeps it when only the weights change", async () => {
    const history = new History({ storage: fakeStorage(), onProblem: quiet });
    const zeros = async (n: number) => new Uint8Array(n);
    assert.equal(await assignVariant(history, "strip", ["a", "b"], zeros), "a");
    assert.equal(await assignVariant(history, "strip", { a: 1, b: 50 }, zeros), "a");
    // "a" dropped from the list, or weighted 0: drawn again among the others.
    assert.equal(await assignVariant(history, "strip", ["b", "c"], zeros), "b");
    assert.equal(await assignVariant(history, "strip", { b: 0, c: 1 }, zeros), "c");
    assert.deepEqual(history.variants(), { strip: "c" });
  });

  it("draws roughly uniformly over many browsers, and by weight when weighted", async () => {
    const draws = 6000;
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    const weighted: Record<string, number> = { a: 0, b: 0 };
    const source = counting();
    for (let i = 0; i < draws; i++) {
      // A fresh browser each time (its own storage).
      counts[await assignVariant(new History({ storage: fakeStorage(), onProblem: quiet }), "x", ["a", "b", "c"], source.random)]! += 1;
      weighted[await assignVariant(new History({ storage: fakeStorage(), onProblem: quiet }), "y", { a: 9, b: 1 }, source.random)]! += 1;
    }
    // Each count is Binomial(6000, 1/3): sd 36.5, so ±200 is more than 5 sd.
    for (const n of Object.values(counts)) assert.ok(Math.abs(n - draws / 3) < 200, JSON.stringify(counts));
    // Binomial(6000, 0.1): sd 23.2.
    assert.ok(Math.abs(weighted.b! - draws / 10) < 120, JSON.stringify(weighted));
  });

  it("maps bytes to variants by cumulative weight, never to a weight of 0", () => {
    const bytes = (u: number) => {
      const x = Math.floor(u * 2 ** 48);
      return new Uint8Array([0, 1, 2, 3, 4, 5].map((i) => Math.floor(x / 256 ** (5 - i)) % 256));
    };
    // Weights 1, 0, 3: [0, 0.25) → 0, [0.25, 1) → 2.
    assert.equal(drawIndex([1, 0, 3], bytes(0)), 0);
    assert.equal(drawIndex([1, 0, 3], bytes(0.2499)), 0);
    assert.equal(drawIndex([1, 0, 3], bytes(0.25)), 2);
    assert.equal(drawIndex([1, 0, 3], new Uint8Array(6).fill(255)), 2);
    assert.equal(drawIndex([0, 2, 0], new Uint8Array(6).fill(255)), 1);
  });

  it("refuses bad arguments with invalid_value and a message saying what is accepted", () => {
    const cases: [unknown, unknown, RegExp][] = [
      ["", ["a"], /the experiment name must be a non-empty string of at most 100 characters, got ""/],
      [7, ["a"], /the experiment name must be a non-empty string .* got 7/],
      ["x", [], /variants must name 1 to 100 variants, got 0/],
      ["x", "a,b", /variants must be an array of names or an object of name → weight, got "a,b"/],
      ["x", ["a", "a"], /variant "a" is named twice/],
      ["x", ["a", 3], /each variant must be a non-empty string .* got 3/],
      ["x", { a: -1, b: 1 }, /the weight of variant "a" must be a finite number ≥ 0, got -1/],
      ["x", { a: 0, b: 0 }, /at least one variant needs a weight > 0/],
      ["x", { a: Number.NaN }, /the weight of variant "a" must be a finite number ≥ 0, got null/],
      ["x", ["a".repeat(101)], /each variant must be a non-empty string of at most 100 characters/],
    ];
    for (const [name, variants, message] of cases) {
      assert.throws(
        () => checkVariants(name, variants),
        (e: unknown) => e instanceof PocketrecError && e.code === "invalid_value" && message.test(e.message),
        `${JSON.stringify(name)} ${JSON.stringify(variants)}`,
      );
    }
  });

  it("keeps at most MAX_VARIANTS experiments, and says so (limit_exceeded) rather than dropping one", async () => {
    const history = new History({ storage: fakeStorage(), onProblem: quiet });
    const zeros = async (n: number) => new Uint8Array(n);
    for (let i = 0; i < MAX_VARIANTS; i++) await assignVariant(history, `e${i}`, ["a"], zeros);
    await assert.rejects(assignVariant(history, "one-more", ["a"], zeros), (e: unknown) => e instanceof PocketrecError && e.code === "limit_exceeded" && /at most 100 experiments/.test(e.message));
    // An existing experiment still answers.
    assert.equal(await assignVariant(history, "e5", ["a"], zeros), "a");
  });

  it("reads back only well-formed stored assignments and reports the rest", () => {
    const storage = fakeStorage();
    storage.setItem("pocketrec:history", JSON.stringify({ v: 1, events: [{ item: "mug" }], variants: { ok: "b", bad: 3 } }));
    const problems: string[] = [];
    const history = new History({ storage, onProblem: (p) => problems.push(p.message) });
    assert.deepEqual(history.variants(), { ok: "b" });
    assert.deepEqual(problems, ["pocketrec: 1 unreadable experiment assignments were skipped"]);
    assert.equal(history.events().length, 1);
    // A history without experiments is written exactly as before.
    const plain = fakeStorage();
    new History({ storage: plain, onProblem: quiet }).add({ item: "mug", timestamp: 1 });
    assert.equal(plain.values.get("pocketrec:history"), '{"v":1,"events":[{"item":"mug","timestamp":1}]}');
  });
});

describe("randomBytes from the wasm modules", () => {
  let query: IndexExports;
  let recommend: WasmExports;
  before(async () => {
    query = await loadQueryWasm();
    recommend = await loadWasm();
  });

  it("gives the bytes asked for, different each call, from both recommendation modules", () => {
    for (const module of [query, recommend]) {
      const a = module.randomBytes(32);
      const b = module.randomBytes(32);
      assert.ok(a instanceof Uint8Array);
      assert.equal(a.length, 32);
      assert.notDeepEqual(a, b);
    }
  });

  it("refuses a count outside 1 to 65,536 with invalid_value", () => {
    for (const n of [0, 65_537]) {
      assert.throws(
        () => query.randomBytes(n),
        (e: unknown) => (e as { code?: string }).code === "invalid_value" && /randomBytes\(n\): n must be from 1 to 65536, got/.test((e as Error).message),
      );
    }
  });

  it("is served by the host with no shop loaded (the query module)", async () => {
    const host = new ShopHost(modules, () => {});
    const bytes = await host.call("randomBytes", 6);
    assert.equal(bytes.length, 6);
  });
});

describe("Engine.variant", () => {
  it("draws through the engine's worker protocol, stores in the given history, and checks its arguments", async () => {
    const demo = generateShop();
    const served: Record<string, string> = { "/shop/catalogue.json": JSON.stringify(demo.catalogue), "/shop/interactions.csv": demo.interactions };
    const fetchFn = (async (input: string | URL | Request) => new Response(served[String(input)] ?? "", { status: served[String(input)] ? 200 : 404 })) as typeof fetch;
    const channel = new MessageChannel();
    serve(channel.port2 as unknown as PortLike, { recommend: loadWasm, query: loadQueryWasm, forecast: loadForecastWasm }, fetchFn);
    const engine = await Engine.connect(channel.port1 as unknown as PortLike & { close(): void }, { catalogueUrl: "/shop/catalogue.json" });
    try {
      const history = new History({ storage: fakeStorage(), onProblem: quiet });
      const variant = await engine.variant("strip", ["a", "b"], { history });
      assert.ok(["a", "b"].includes(variant));
      assert.equal(await engine.variant("strip", ["a", "b"], { history }), variant);
      assert.deepEqual(history.variants(), { strip: variant });
      await assert.rejects(engine.variant("strip", [], { history }), (e: unknown) => e instanceof PocketrecError && e.code === "invalid_value");
    } finally {
      engine.dispose();
      channel.port2.close();
    }
  });
});
