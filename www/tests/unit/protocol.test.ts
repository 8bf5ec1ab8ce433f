/**
 * The worker protocol and the shop host against a stand-in wasm module that
 * keeps the Rust side's contract (results carry `item`, reasons naming an
 * item carry `title`, `items(ids)`), so the TypeScript side is checked on
 * its own: typing, replies, errors, link resolution.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ForecastExports, ItemView, Result, WasmEngine, WasmExports } from "../../src/core.js";
import { Engine, PocketrecError, type Forecast } from "../../src/engine.js";
import type { Modules } from "../../src/loader.js";
import { serve, ShopHost, type Caller, type Loaded, type PortLike } from "../../src/protocol.js";

/** No query module: these tests serve shops from their files only. */
const noQuery: Modules["query"] = () => Promise.reject(new Error("no query module in these tests"));

const CATALOGUE_URL = "https://shop.example/data/catalogue.json";
const VIEWS: ItemView[] = [
  { id: "lamp", title: "Lamp", image: "img/lamp.png", url: "../p/lamp", price: 5 },
  { id: "mug", title: "Mug", image: "https://cdn.example/mug.png" },
];

function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/** The wasm `Engine` as the contract describes it, over two fixed items. */
class StandIn implements WasmEngine {
  static made: StandIn[] = [];
  freed = false;
  constructor(
    readonly catalogue: string,
    readonly config: unknown,
  ) {
    StandIn.made.push(this);
  }
  itemCount() {
    return VIEWS.length;
  }
  itemIds() {
    return VIEWS.map((v) => v.id);
  }
  items(ids: string[]) {
    return ids.flatMap((id) => VIEWS.filter((v) => v.id === id));
  }
  loadInteractionsCsv() {
    return [];
  }
  loadInteractionsJson() {
    return [];
  }
  fit() {}
  similarItems(id: string): Result[] {
    const named = VIEWS.find((v) => v.id === id);
    if (!named) throw coded(`unknown item id "${id}"`, "unknown_item");
    return VIEWS.filter((v) => v.id !== id).map((item) => ({ id: item.id, score: 1, reasons: [{ kind: "alsoInteracted", item: id, title: named.title, weight: 1 }], item }));
  }
  recommend() {
    return this.popular();
  }
  popular(): Result[] {
    return VIEWS.map((item, i) => ({ id: item.id, score: 1 / (i + 1), reasons: [{ kind: "popular", score: 2 - i }], item }));
  }
  search() {
    return [];
  }
  free() {
    this.freed = true;
  }
}

const standIn: WasmExports = { Engine: StandIn, randomBytes: (n) => new Uint8Array(n) };
const flatForecast: ForecastExports = {
  forecast: (values, options) => ({ point: Array(options?.horizon ?? 12).fill(values[values.length - 1]), intervals: [], model: "Naive", seasonLength: 1 }),
  stockPlan: () => {
    throw new Error("not in this stand-in");
  },
  segmentCustomers: () => {
    throw new Error("not in this stand-in");
  },
};

const fetchFn = (async (input: string | URL | Request) =>
  String(input) === CATALOGUE_URL ? new Response("{}") : new Response("", { status: 404, statusText: "Not Found" })) as typeof fetch;

/** An engine over a real MessageChannel to a host with these modules. */
async function connected(modules: Modules) {
  const channel = new MessageChannel();
  serve(channel.port2 as unknown as PortLike, modules, fetchFn);
  try {
    return { engine: await Engine.connect(channel.port1 as unknown as PortLike & { close(): void }, { catalogueUrl: CATALOGUE_URL }), channel };
  } catch (e) {
    channel.port2.close();
    throw e;
  }
}

describe("worker protocol", () => {
  it("types each call by the request map (checked by tsc when the tests compile)", () => {
    const typed = async (caller: Caller) => {
      const loaded: Loaded = await caller.call("load", { catalogueUrl: "c.json" });
      const results: Result[] = await caller.call("similarItems", "lamp", { k: 2 });
      const popular: Result[] = await caller.call("popular");
      const forecast: Forecast = await caller.call("forecast", Float64Array.of(1, 2), { horizon: 2 });
      // @ts-expect-error: similarItems takes an id string
      await caller.call("similarItems", 7);
      // @ts-expect-error: load needs a source
      await caller.call("load");
      // @ts-expect-error: a source needs a catalogue URL
      await caller.call("load", { interactionsUrl: "i.csv" });
      // @ts-expect-error: there is no such method
      await caller.call("fit");
      // @ts-expect-error: popular answers results, not a forecast
      const wrong: Forecast = await caller.call("popular");
      return [loaded, results, popular, forecast, wrong];
    };
    assert.equal(typeof typed, "function");
  });

  it("answers every method over the channel, with the item's links resolved against the catalogue and reasons carrying titles", async () => {
    StandIn.made = [];
    const { engine, channel } = await connected({ recommend: async () => standIn, query: noQuery, forecast: async () => flatForecast });
    try {
      assert.equal(engine.itemCount, 2);
      assert.equal(StandIn.made[0]?.catalogue, "{}", "the catalogue text goes to the wasm engine as it is");
      const lamp = { id: "lamp", title: "Lamp", image: "https://shop.example/data/img/lamp.png", url: "https://shop.example/p/lamp", price: 5 };
      const mug = { id: "mug", title: "Mug", image: "https://cdn.example/mug.png" };
      assert.deepEqual(await engine.similarItems("lamp"), [{ id: "mug", score: 1, reasons: [{ kind: "alsoInteracted", item: "lamp", title: "Lamp", weight: 1 }], item: mug }]);
      assert.deepEqual((await engine.popular()).map((r) => r.item), [lamp, mug]);
      assert.deepEqual((await engine.recommend([{ item: "mug" }])).map((r) => r.id), ["lamp", "mug"]);
      assert.deepEqual(await engine.search("x"), []);
      assert.deepEqual(await engine.items(["mug", "ghost", "lamp"]), [mug, lamp]);
      assert.deepEqual((await engine.forecast([1, 2, 3], { horizon: 2 })).point, [3, 3]);
      await assert.rejects(engine.similarItems("ghost"), (e: unknown) => e instanceof PocketrecError && e.code === "unknown_item" && e.message === 'unknown item id "ghost"');
    } finally {
      engine.dispose();
      channel.port2.close();
    }
  });

  it("says internal for a failure that is not a PocketrecError, and keeps codes it knows", async () => {
    const noModule: Modules = { recommend: () => Promise.reject(new Error("no wasm here")), query: noQuery, forecast: async () => flatForecast };
    await assert.rejects(connected(noModule), (e: unknown) => e instanceof PocketrecError && e.code === "internal" && e.message === "no wasm here");
  });

  it("refuses shop queries before a shop is loaded, forecasts without one, and leaves no freed shop behind a failed reload", async () => {
    StandIn.made = [];
    const host = new ShopHost({ recommend: async () => standIn, query: noQuery, forecast: async () => flatForecast }, () => {}, fetchFn);
    const notLoaded = (e: unknown) => e instanceof PocketrecError && e.code === "not_loaded";
    await assert.rejects(host.call("popular"), notLoaded);
    assert.deepEqual((await host.call("forecast", [4], { horizon: 1 })).point, [4]);
    assert.deepEqual(await host.call("load", { catalogueUrl: CATALOGUE_URL }), { items: 2, warnings: [], problems: [] });
    await assert.rejects(host.call("load", { catalogueUrl: "https://shop.example/missing.json" }), (e: unknown) => e instanceof PocketrecError && e.code === "load_failed");
    assert.equal(StandIn.made[0]?.freed, true, "the old shop is freed on reload");
    await assert.rejects(host.call("popular"), notLoaded, "and not used after the reload failed");
    assert.equal(await host.call("free"), null);
  });
});
