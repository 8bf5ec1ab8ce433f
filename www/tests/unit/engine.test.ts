import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { ForecastExports, WasmExports } from "../../src/core.js";
import { Engine, Forecaster, PocketrecError, type Progress } from "../../src/engine.js";
import { serve, ShopHost, type PortLike } from "../../src/protocol.js";
import { generateShop } from "../../src/demo/generate.js";
import { loadForecastWasm, loadQueryWasm, loadWasm } from "./wasm.js";

let wasm: WasmExports;
before(async () => {
  wasm = await loadWasm();
});

const demo = generateShop();
const served: Record<string, string> = {
  "/shop/catalogue.json": JSON.stringify(demo.catalogue),
  "/shop/interactions.csv": demo.interactions,
};
const fetchFn = (async (input: string | URL | Request) => {
  const body = served[String(input)];
  return body === undefined ? new Response("", { status: 404, statusText: "Not Found" }) : new Response(body);
}) as typeof fetch;

/** An engine talking to a served shop over a real MessageChannel, as with a Worker. */
async function connected(options: Parameters<typeof Engine.connect>[1]) {
  const channel = new MessageChannel();
  serve(channel.port2 as unknown as PortLike, { recommend: () => Promise.resolve(wasm), query: loadQueryWasm, forecast: loadForecastWasm }, fetchFn);
  try {
    return { engine: await Engine.connect(channel.port1 as unknown as PortLike & { close(): void }, options), channel };
  } catch (e) {
    channel.port2.close();
    throw e;
  }
}

describe("Engine over the worker protocol", () => {
  it("loads with progress, answers every query, and keeps the worker's results plain", async () => {
    const stages: Progress["stage"][] = [];
    const { engine, channel } = await connected({ catalogueUrl: "/shop/catalogue.json", interactionsUrl: "/shop/interactions.csv", onProgress: (p) => stages.push(p.stage) });
    try {
      assert.deepEqual(stages, ["catalogue", "interactions", "fit", "ready"]);
      assert.equal(engine.itemCount, 320);
      assert.deepEqual(engine.warnings, []);
      const [similar, recs, popular, hits] = await Promise.all([
        engine.similarItems("tea-003", { k: 4 }),
        engine.recommend([{ item: "tea-003" }], { k: 4 }),
        engine.popular({ k: 4 }),
        engine.search("蓝牙", { k: 2 }),
      ]);
      assert.equal(similar.length, 4);
      assert.ok(recs.every((r) => r.id !== "tea-003"));
      assert.equal(popular.length, 4);
      assert.ok(hits.every((r) => r.id.startsWith("audio-")));
      assert.ok(similar[0]!.reasons.length > 0);
    } finally {
      engine.dispose();
      channel.port2.close();
    }
  });

  it("hands out the files the worker reports it fetched, to late and live listeners", async () => {
    const { engine, channel } = await connected({ catalogueUrl: "/shop/catalogue.json" });
    try {
      const file = (url: string) => ({ url, bytes: 10, transferred: 12, at: 1, ms: 2 });
      // What serve() posts from the worker's resource timing.
      channel.port2.postMessage({ id: 0, fetched: [file("/pocketrec/worker.js"), file("/shop/catalogue.json")] });
      await new Promise((done) => setTimeout(done, 20));
      assert.deepEqual(engine.fetched().map((f) => f.url), ["/pocketrec/worker.js", "/shop/catalogue.json"]);
      const heard: string[] = [];
      engine.onFetch((files) => heard.push(...files.map((f) => f.url)));
      channel.port2.postMessage({ id: 0, fetched: [file("/shop/index/popular-0123456789abcdef.bin")] });
      await new Promise((done) => setTimeout(done, 20));
      assert.deepEqual(heard, ["/shop/index/popular-0123456789abcdef.bin"]);
      assert.equal(engine.fetched().length, 3);
    } finally {
      engine.dispose();
      channel.port2.close();
    }
  });

  it("rejects with PocketrecErrors that keep their code across the channel", async () => {
    await assert.rejects(connected({ catalogueUrl: "/nope.json" }), (e: unknown) => e instanceof PocketrecError && e.code === "load_failed" && e.message === "could not load catalogue from /nope.json: HTTP 404 Not Found");
    const { engine, channel } = await connected({ catalogueUrl: "/shop/catalogue.json" });
    try {
      await assert.rejects(engine.similarItems("ghost"), (e: unknown) => e instanceof PocketrecError && e.code === "unknown_item");
      // Still answering after an error.
      assert.equal((await engine.popular({ k: 2 })).length, 2);
    } finally {
      engine.dispose();
      channel.port2.close();
    }
  });

  it("forecasts in the worker, with intervals and a reorder suggestion, and reports bad values by index", async () => {
    const { engine, channel } = await connected({ catalogueUrl: "/shop/catalogue.json" });
    try {
      const values = Array.from({ length: 36 }, (_, t) => 50 + t + (t % 12 === 11 ? 30 : 0));
      const result = await engine.forecast(values, { horizon: 6, seasonLength: 12, inventory: { leadTime: 2, stock: 10 } });
      assert.equal(result.point.length, 6);
      assert.deepEqual(result.intervals.map((b) => b.level), [80, 95]);
      assert.equal(result.seasonLength, 12);
      assert.equal(result.inventory?.leadTime, 2);
      assert.equal(result.inventory?.stockoutPeriod, 1, "10 units last less than a month");
      const typed = await engine.forecast(Float64Array.from(values), { horizon: 6, seasonLength: 12 });
      assert.deepEqual(typed.point, result.point, "typed arrays give the same answer");
      await assert.rejects(engine.forecast([1, 2, Number.NaN], {}), (e: unknown) => e instanceof PocketrecError && e.code === "invalid_value" && /^could not forecast: .*values\[2\]/.test(e.message));
      await assert.rejects(engine.forecast(values, { horizon: 0 }), (e: unknown) => e instanceof PocketrecError && e.code === "invalid_config");
    } finally {
      engine.dispose();
      channel.port2.close();
    }
  });

  it("after the wasm module traps, refuses every request with code crashed instead of answering from it", async () => {
    // A module whose recommend traps, as a Rust panic (panic=abort) would.
    const Real = wasm.Engine;
    class Trapping extends Real {
      override recommend(): never {
        throw new WebAssembly.RuntimeError("unreachable");
      }
    }
    const host = new ShopHost({ recommend: async () => ({ Engine: Trapping, randomBytes: wasm.randomBytes }), query: loadQueryWasm, forecast: loadForecastWasm }, () => {}, fetchFn);
    await host.call("load", { catalogueUrl: "/shop/catalogue.json" });
    assert.equal((await host.call("popular", { k: 2 })).length, 2);
    const crashed = (e: unknown) => e instanceof PocketrecError && e.code === "crashed" && /^the engine stopped on an internal error \(unreachable\); reload the page/.test(e.message);
    await assert.rejects(host.call("recommend", [{ item: "tea-003" }], { k: 2 }), crashed);
    await assert.rejects(host.call("popular", { k: 2 }), crashed, "the module is not trusted again");
    await assert.rejects(host.call("forecast", [1, 2, 3], {}), crashed);
  });

  it("replaces a crashed worker: the failing request says so, later ones are answered by a fresh engine, and it gives up after two restarts", async () => {
    const Real = wasm.Engine;
    // The first `trapping` workers' modules trap on recommend; later ones work.
    let opened = 0;
    let trapping = 1;
    const channels: MessageChannel[] = [];
    const open = () => {
      opened += 1;
      const traps = opened <= trapping;
      class Module extends Real {
        override recommend(...args: Parameters<InstanceType<typeof Real>["recommend"]>) {
          if (traps) throw new WebAssembly.RuntimeError("unreachable");
          return super.recommend(...args);
        }
      }
      const channel = new MessageChannel();
      channels.push(channel);
      serve(channel.port2 as unknown as PortLike, { recommend: async () => ({ Engine: Module, randomBytes: wasm.randomBytes }), query: loadQueryWasm, forecast: loadForecastWasm }, fetchFn);
      return channel.port1 as unknown as PortLike & { close(): void };
    };
    const history = [{ item: "tea-003" }];
    const restarted = (e: unknown) => e instanceof PocketrecError && e.code === "crashed" && /internal error \(unreachable\); a fresh engine has been started for the next request$/.test(e.message);
    try {
      const engine = await Engine.connect(open, { catalogueUrl: "/shop/catalogue.json", interactionsUrl: "/shop/interactions.csv" });
      await assert.rejects(engine.recommend(history, { k: 3 }), restarted);
      assert.equal(opened, 2, "a second worker was opened");
      const fresh = await engine.recommend(history, { k: 3 });
      assert.equal(fresh.length, 3, "the fresh engine has the shop loaded again, interactions too");
      engine.dispose();

      // Every worker traps: two restarts, then the third worker's refusal stands.
      opened = 0;
      trapping = Infinity;
      const doomed = await Engine.connect(open, { catalogueUrl: "/shop/catalogue.json" });
      await assert.rejects(doomed.recommend(history), restarted);
      await assert.rejects(doomed.recommend(history), restarted);
      await assert.rejects(doomed.recommend(history), (e: unknown) => e instanceof PocketrecError && e.code === "crashed" && /reload the page to start it again$/.test(e.message));
      await assert.rejects(doomed.popular({ k: 2 }), /reload the page/, "the last worker refuses everything");
      assert.equal(opened, 3);
      doomed.dispose();
    } finally {
      for (const c of channels) c.port2.close();
    }
  });
});

describe("Forecaster", () => {
  /** Ports to hosts whose forecasting module traps for the first `trapping` opened; `recommended` counts loads of the recommender. */
  function hosts(trapping: number) {
    const state = { opened: 0, recommended: 0, channels: [] as MessageChannel[] };
    const open = () => {
      state.opened += 1;
      const traps = state.opened <= trapping;
      const channel = new MessageChannel();
      state.channels.push(channel);
      const forecast = async (): Promise<ForecastExports> => {
        const real = await loadForecastWasm();
        const trap = () => {
          throw new WebAssembly.RuntimeError("unreachable");
        };
        return traps ? { forecast: trap, stockPlan: trap, segmentCustomers: trap } : real;
      };
      serve(channel.port2 as unknown as PortLike, { recommend: () => (state.recommended++, Promise.resolve(wasm)), query: loadQueryWasm, forecast }, fetchFn);
      return channel.port1 as unknown as PortLike & { close(): void };
    };
    return { state, open, close: () => state.channels.forEach((c) => c.port2.close()) };
  }

  it("forecasts over a port with no shop and without loading the recommender, and keeps error codes", async () => {
    const { state, open, close } = hosts(0);
    const forecaster = Forecaster.connect(open());
    try {
      const values = Array.from({ length: 24 }, (_, t) => 10 + t);
      const result = await forecaster.forecast(values, { horizon: 3 });
      assert.equal(result.point.length, 3);
      assert.deepEqual((await forecaster.forecast(Float64Array.from(values), { horizon: 3 })).point, result.point, "typed arrays give the same answer");
      await assert.rejects(forecaster.forecast(values, { horizon: 0 }), (e: unknown) => e instanceof PocketrecError && e.code === "invalid_config" && e.message.startsWith("could not forecast: "));
      assert.equal(state.recommended, 0);
    } finally {
      forecaster.dispose();
      close();
    }
  });

  it("replaces a port whose forecasting module traps, at most twice, as Engine does", async () => {
    const restarted = (e: unknown) => e instanceof PocketrecError && e.code === "crashed" && /a fresh engine has been started for the next request$/.test(e.message);
    const once = hosts(1);
    const recovering = Forecaster.connect(once.open);
    try {
      await assert.rejects(recovering.forecast([1, 2, 3]), restarted);
      assert.equal((await recovering.forecast([1, 2, 3], { horizon: 2 })).point.length, 2, "a fresh host answers");
      assert.equal(once.state.opened, 2);
    } finally {
      recovering.dispose();
      once.close();
    }
    const always = hosts(Infinity);
    const doomed = Forecaster.connect(always.open);
    try {
      await assert.rejects(doomed.forecast([1, 2, 3]), restarted);
      await assert.rejects(doomed.forecast([1, 2, 3]), restarted);
      await assert.rejects(doomed.forecast([1, 2, 3]), /reload the page to start it again$/);
      assert.equal(always.state.opened, 3);
    } finally {
      doomed.dispose();
      always.close();
    }
  });

  it("is what the deprecated Engine.forecaster() gives", async () => {
    const forecaster = await Engine.forecaster({ worker: false });
    assert.ok(forecaster instanceof Forecaster);
    forecaster.dispose();
  });
});
