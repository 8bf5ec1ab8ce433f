/**
 * The messages between the page and the engine's Web Worker, and the worker
 * side that answers them. Requests carry an id; replies carry the same id
 * and either a value or an error (message and stable code, since Error
 * objects lose their properties when posted). Progress goes out with id 0.
 */
import { forecastWith, PocketrecError, Shop, type ForecastExports, type Progress, type ShopSource, type WasmExports } from "./core.js";

/** Loaders of the two wasm modules; each is called at most once, on first use. */
export interface Modules {
  recommend: () => Promise<WasmExports>;
  forecast: () => Promise<ForecastExports>;
}

/** The loaders, each called once at most. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

/** What may be asked of a shop. */
export type Method = "load" | "items" | "similarItems" | "recommend" | "popular" | "search" | "forecast" | "free";

export interface Request {
  id: number;
  method: Method;
  args: unknown[];
}

export type Reply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { message: string; code: string } }
  | { id: 0; progress: Progress };

/** The part of `MessagePort` / `Worker` / worker `self` used here. */
export interface PortLike {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** Holds at most one shop and runs requests on it: the worker side and the
 * main-thread fallback share this, so both behave the same.
 *
 * If a wasm module traps (a bug: inputs are validated before use), its
 * instance is not to be trusted again: that request and every later one
 * fail with code `crashed` and a message that says so, rather than
 * answering from a broken module. */
export class ShopHost {
  private shop: Shop | undefined;
  private crashed: PocketrecError | undefined;
  private readonly modules: Modules;

  constructor(
    modules: Modules,
    private readonly onProgress: (progress: Progress) => void,
    private readonly fetchFn?: typeof fetch,
  ) {
    this.modules = { recommend: once(modules.recommend), forecast: once(modules.forecast) };
  }

  async run(method: Method, args: unknown[]): Promise<unknown> {
    if (this.crashed) throw this.crashed;
    try {
      return await this.dispatch(method, args);
    } catch (e) {
      if (e instanceof PocketrecError && e.code === "crashed") this.crashed = e;
      throw e;
    }
  }

  private async dispatch(method: Method, args: unknown[]): Promise<unknown> {
    const [a, b] = args;
    if (method === "load") {
      this.shop?.free();
      const source = a as Omit<ShopSource, "fetch" | "onProgress">;
      this.shop = await Shop.load(await this.modules.recommend(), { ...source, ...(this.fetchFn ? { fetch: this.fetchFn } : {}), onProgress: this.onProgress });
      return { items: this.shop.itemIds().length, warnings: this.shop.warnings };
    }
    if (method === "forecast") {
      // Needs no shop: a forecaster may run without a catalogue.
      return forecastWith(await this.modules.forecast(), a as number[] | Float64Array, b as never);
    }
    const shop = this.shop;
    if (!shop) {
      throw new PocketrecError("the shop is not loaded yet", "not_loaded");
    }
    switch (method) {
      case "items":
        return shop.items(a as string[]);
      case "similarItems":
        return shop.similarItems(a as string, b as never);
      case "recommend":
        return shop.recommend(a as never, b as never);
      case "popular":
        return shop.popular(a as never);
      case "search":
        return shop.search(a as string, b as never);
      case "free":
        shop.free();
        this.shop = undefined;
        return null;
    }
  }
}

/** Answers requests arriving on `port` with one shop, loaded on "load".
 * `fetchFn` replaces the global fetch (tests, custom hosts). */
export function serve(port: PortLike, modules: Modules, fetchFn?: typeof fetch): void {
  const host = new ShopHost(modules, (progress) => port.postMessage({ id: 0, progress } satisfies Reply), fetchFn);
  port.onmessage = (event: MessageEvent) => {
    const request = event.data as Request;
    host.run(request.method, request.args).then(
      (value) => port.postMessage({ id: request.id, ok: true, value } satisfies Reply),
      (e: unknown) => {
        const error = e instanceof PocketrecError ? { message: e.message, code: e.code } : { message: String(e instanceof Error ? e.message : e), code: "internal" };
        port.postMessage({ id: request.id, ok: false, error } satisfies Reply);
      },
    );
  };
}
