/**
 * `Engine`: the shell's one way to the recommender. It loads the shop in a
 * Web Worker, so the page never blocks, and falls back to the main thread
 * where workers are unavailable (or when `worker: false`). Every method
 * returns a promise; failures reject with a `PocketrecError` carrying a
 * stable `code`.
 */
import { PocketrecError, type Forecast, type ForecastOptions, type HistoryEvent, type ItemView, type Progress, type QueryOptions, type Reason, type Recommendation, type Result } from "./core.js";
import { ShopHost, type Method, type Modules, type PortLike, type Reply, type Request } from "./protocol.js";

export { PocketrecError };
export type { Forecast, ForecastOptions, HistoryEvent, ItemView, Progress, QueryOptions, Reason, Recommendation, Result };

export interface EngineOptions {
  /** URL of the catalogue JSON (relative URLs resolve against the page). */
  catalogueUrl: string;
  /** URL of the interactions (`.json`, otherwise CSV). Optional. */
  interactionsUrl?: string;
  /** pocketrec config object. */
  config?: object;
  /** URL of a pocketrec config JSON; used when `config` is absent. */
  configUrl?: string;
  /** Run in a Web Worker. Default true where workers exist. */
  worker?: boolean;
  /** Called at each loading step. */
  onProgress?: (progress: Progress) => void;
}

/** What the engine talks to: a worker, or a shop in this thread. */
interface Backend {
  call(method: Method, args: unknown[]): Promise<unknown>;
  close(): void;
}

/** A backend over a message port (a Worker, or any `PortLike`). */
function portBackend(port: PortLike & { terminate?(): void; close?(): void }, onProgress: (p: Progress) => void): Backend {
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  port.onmessage = (event: MessageEvent) => {
    const reply = event.data as Reply;
    if ("progress" in reply) {
      onProgress(reply.progress);
      return;
    }
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiting?.resolve(reply.value);
    else waiting?.reject(new PocketrecError(reply.error.message, reply.error.code));
  };
  return {
    call(method, args) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        port.postMessage({ id, method, args } satisfies Request);
      });
    },
    close() {
      port.terminate?.();
      port.close?.();
    },
  };
}

/** A backend running the shop in this thread. */
function localBackend(modules: Modules, onProgress: (p: Progress) => void): Backend {
  const host = new ShopHost(modules, onProgress);
  return {
    call: (method, args) => host.run(method, args),
    close: () => void host.run("free", []).catch(() => {}),
  };
}

/** The wasm modules, loaded at most once per thread, on first use. */
const modules: Modules = (() => {
  let recommend: ReturnType<Modules["recommend"]> | undefined;
  let forecast: ReturnType<Modules["forecast"]> | undefined;
  return {
    recommend: () => (recommend ??= import("../pkg/pocketrec.js").then(async (m) => (await m.default(), m))),
    forecast: () => (forecast ??= import("../pkg/pocketrec_forecast.js").then(async (m) => (await m.default(), m))),
  };
})();

/** Resolves a URL against the page, as a worker would not. */
function absolute(url: string): string {
  const base = typeof document !== "undefined" ? document.baseURI : undefined;
  return base ? new URL(url, base).href : url;
}

export class Engine {
  private constructor(
    private readonly backend: Backend,
    /** Number of catalogue items. */
    readonly itemCount: number,
    /** Notes about interaction rows that were skipped. */
    readonly warnings: readonly string[],
  ) {}

  /** Loads the shop (in a worker when possible) and fits the models. */
  static async create(options: EngineOptions): Promise<Engine> {
    return Engine.start(Engine.backend(options.worker, options.onProgress ?? (() => {})), options);
  }

  private static backend(worker: boolean | undefined, onProgress: (p: Progress) => void): Backend {
    const useWorker = worker !== false && typeof Worker !== "undefined";
    return useWorker ? portBackend(new Worker(new URL("./worker.js", import.meta.url), { type: "module" }), onProgress) : localBackend(modules, onProgress);
  }

  /**
   * A forecaster: the wasm module in a worker (or this thread), with no shop
   * loaded. `forecast` works on it; the shop's queries do not.
   */
  static async forecaster(options: { worker?: boolean } = {}): Promise<Engine> {
    const backend = Engine.backend(options.worker, () => {});
    return new Engine(backend, 0, []);
  }

  /** An engine served over `port` (see `serve` in protocol.ts); for tests and custom hosts. */
  static async connect(port: PortLike & { close?(): void }, options: EngineOptions): Promise<Engine> {
    return Engine.start(portBackend(port, options.onProgress ?? (() => {})), options);
  }

  private static async start(backend: Backend, options: EngineOptions): Promise<Engine> {
    const source = {
      catalogueUrl: absolute(options.catalogueUrl),
      ...(options.interactionsUrl ? { interactionsUrl: absolute(options.interactionsUrl) } : {}),
      ...(options.config ? { config: options.config } : {}),
      ...(options.configUrl ? { configUrl: absolute(options.configUrl) } : {}),
    };
    try {
      const loaded = (await backend.call("load", [source])) as { items: number; warnings: string[] };
      return new Engine(backend, loaded.items, loaded.warnings);
    } catch (e) {
      backend.close();
      throw e;
    }
  }

  /** Display fields (title, image, price, …) of the given items, in the order asked. */
  items(ids: readonly string[]): Promise<ItemView[]> {
    return this.backend.call("items", [[...ids]]) as Promise<ItemView[]>;
  }

  similarItems(id: string, options?: QueryOptions): Promise<Result[]> {
    return this.backend.call("similarItems", [id, options]) as Promise<Result[]>;
  }

  recommend(history: readonly HistoryEvent[], options?: QueryOptions): Promise<Result[]> {
    return this.backend.call("recommend", [[...history], options]) as Promise<Result[]>;
  }

  popular(options?: QueryOptions): Promise<Result[]> {
    return this.backend.call("popular", [options]) as Promise<Result[]>;
  }

  search(text: string, options?: QueryOptions): Promise<Result[]> {
    return this.backend.call("search", [text, options]) as Promise<Result[]>;
  }

  /**
   * Forecasts `values` (oldest first) `options.horizon` steps ahead (default
   * 12), with intervals and, when `options.inventory` is given, a reorder
   * suggestion. Runs in the worker.
   */
  forecast(values: readonly number[] | Float64Array, options?: ForecastOptions): Promise<Forecast> {
    return this.backend.call("forecast", [values instanceof Float64Array ? values : [...values], options]) as Promise<Forecast>;
  }

  /** Frees the wasm memory and stops the worker. */
  dispose(): void {
    this.backend.close();
  }
}
