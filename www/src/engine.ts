/**
 * `Engine`: the shell's one way to the recommender. It loads the shop in a
 * Web Worker, so the page never blocks, and falls back to the main thread
 * where workers are unavailable (or when `worker: false`). Every method
 * returns a promise; failures reject with a `PocketrecError` carrying a
 * stable `code`.
 */
import { PocketrecError, RELOAD_HINT, type Forecast, type ForecastOptions, type HistoryEvent, type ItemView, type Progress, type QueryOptions, type Reason, type Recommendation, type Result } from "./core.js";
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

/** How many times a worker whose wasm module trapped is replaced before the engine gives up. */
const MAX_RESTARTS = 2;

/**
 * A backend that replaces its worker when the wasm module in it traps
 * (code `crashed`): the failing request still rejects, saying a fresh
 * engine has been started; the shop is loaded again in a new worker, and
 * later requests wait for it. After `MAX_RESTARTS` restarts, or if loading
 * again fails, the last worker's answers stand (it refuses every request).
 *
 * Why a new worker rather than a new instance in the same one: the trapped
 * instance's memory may be corrupt, and a worker is the unit the browser
 * can throw away whole.
 */
function restartingBackend(make: () => Backend, load: unknown[] | undefined): Backend {
  let current = make();
  let ready: Promise<unknown> = Promise.resolve();
  let restarts = 0;
  const restart = () => {
    current.close();
    current = make();
    restarts += 1;
    ready = load ? current.call("load", load).catch(() => {}) : Promise.resolve();
  };
  return {
    async call(method, args) {
      await ready;
      const backend = current;
      try {
        return await backend.call(method, args);
      } catch (e) {
        if (!(e instanceof PocketrecError && e.code === "crashed") || restarts >= MAX_RESTARTS) throw e;
        // Concurrent requests on the crashed worker restart it once.
        if (backend === current) restart();
        throw new PocketrecError(e.message.replace(RELOAD_HINT, "a fresh engine has been started for the next request"), "crashed", { cause: e });
      }
    },
    close: () => current.close(),
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

  /**
   * Loads the shop (in a worker when possible) and fits the models. A worker
   * whose wasm module traps is replaced (see `restartingBackend`); the
   * main-thread fallback cannot replace its module and refuses requests
   * after a trap.
   */
  static async create(options: EngineOptions): Promise<Engine> {
    const onProgress = options.onProgress ?? (() => {});
    if (!Engine.useWorker(options.worker)) return Engine.start(() => localBackend(modules, onProgress), options, false);
    return Engine.start(() => portBackend(Engine.worker(), onProgress), options, true);
  }

  private static useWorker(worker: boolean | undefined): boolean {
    return worker !== false && typeof Worker !== "undefined";
  }

  private static worker(): Worker {
    return new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  }

  /**
   * A forecaster: the wasm module in a worker (or this thread), with no shop
   * loaded. `forecast` works on it; the shop's queries do not.
   */
  static async forecaster(options: { worker?: boolean } = {}): Promise<Engine> {
    const backend = Engine.useWorker(options.worker) ? restartingBackend(() => portBackend(Engine.worker(), () => {}), undefined) : localBackend(modules, () => {});
    return new Engine(backend, 0, []);
  }

  /**
   * An engine served over a port (see `serve` in protocol.ts); for tests and
   * custom hosts. Given a function that opens a new port, the engine opens
   * another one when the module behind the first traps, as with workers.
   */
  static async connect(port: (PortLike & { close?(): void }) | (() => PortLike & { close?(): void }), options: EngineOptions): Promise<Engine> {
    const onProgress = options.onProgress ?? (() => {});
    if (typeof port === "function") return Engine.start(() => portBackend(port(), onProgress), options, true);
    return Engine.start(() => portBackend(port, onProgress), options, false);
  }

  private static async start(make: () => Backend, options: EngineOptions, restartable: boolean): Promise<Engine> {
    const source = {
      catalogueUrl: absolute(options.catalogueUrl),
      ...(options.interactionsUrl ? { interactionsUrl: absolute(options.interactionsUrl) } : {}),
      ...(options.config ? { config: options.config } : {}),
      ...(options.configUrl ? { configUrl: absolute(options.configUrl) } : {}),
    };
    const backend = restartable ? restartingBackend(make, [source]) : make();
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
