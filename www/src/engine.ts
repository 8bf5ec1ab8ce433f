/**
 * `Engine` and `Forecaster`: the shell's ways to the wasm modules. Each
 * runs its module in a Web Worker, so the page never blocks, and falls back
 * to the main thread where workers are unavailable (or when `worker:
 * false`). Every method returns a promise; failures reject with a
 * `PocketrecError` carrying a stable `code`. A worker whose wasm module
 * traps is replaced (see `restarting`).
 */
import { fetchIndexFiles, indexFolder, PocketrecError, RELOAD_HINT, type ErrorCode, type Forecast, type ForecastOptions, type HistoryEvent, type IndexFiles, type ItemView, type Progress, type QueryOptions, type Reason, type Result, type ShopSource, type IndexSource, type LogSource, type StockPlanProduct, type Segment, type SegmentOptions, type Segments, type StockPlan, type StockPlanOptions } from "./core.js";
import { assignVariant, type Variants } from "./experiment.js";
import { FetchLog, type Fetched } from "./fetches.js";
import { sharedHistory, type History } from "./history.js";
import { wasmModules } from "./loader.js";
import { ShopHost, type Answer, type Args, type Caller, type Method, type PortLike, type Reply, type RequestOf } from "./protocol.js";

export { PocketrecError };
export type { Fetched, Variants };
export type { ErrorCode, Forecast, ForecastOptions, HistoryEvent, IndexSource, ItemView, LogSource, StockPlanProduct, Progress, QueryOptions, Reason, Result, Segment, SegmentOptions, Segments, ShopSource, StockPlan, StockPlanOptions };

/** @deprecated Use `Result`: every result carries its item's display fields. */
export type Recommendation = Result;

/** Where the shop's data lives (`ShopSource`: `indexUrl`, or `catalogueUrl` and more), and how to run the engine. */
export type EngineOptions = ShopSource & {
  /** Run in a Web Worker. Default true where workers exist. */
  worker?: boolean;
  /** Called at each loading step. */
  onProgress?: (progress: Progress) => void;
};

/** Options of `Forecaster.create`. */
export interface ForecasterOptions {
  /** Run in a Web Worker. Default true where workers exist. */
  worker?: boolean;
}

/** A port the engine talks over: a Worker, a MessagePort, or any `PortLike`. */
export type Port = PortLike & { terminate?(): void; close?(): void };

/** What an engine or forecaster talks to: a worker, or a host in this thread. */
interface Backend extends Caller {
  close(): void;
}

/** Where a backend reports what is not a reply: loading progress, and the files its worker fetched. */
interface Reports {
  progress: (p: Progress) => void;
  fetched: (files: Fetched[]) => void;
}

/** A backend over a message port. */
function portBackend(port: Port, reports: Reports): Backend {
  let next = 1;
  const pending = new Map<number, { resolve: (value: Answer<Method>) => void; reject: (e: unknown) => void }>();
  let failed: PocketrecError | undefined;
  // A worker whose script cannot be loaded reports it here, not as a reply;
  // every request then fails with it.
  if (typeof Worker !== "undefined" && port instanceof Worker) {
    port.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      failed = new PocketrecError(`the engine's worker could not start (${event.message || "its script did not load"})`, "load_failed");
      for (const waiting of pending.values()) waiting.reject(failed);
      pending.clear();
    };
  }
  port.onmessage = (event: MessageEvent) => {
    // The host at the other end posts only `Reply`s.
    const reply = event.data as Reply;
    if ("progress" in reply) {
      reports.progress(reply.progress);
      return;
    }
    if ("fetched" in reply) {
      reports.fetched(reply.fetched);
      return;
    }
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiting?.resolve(reply.value);
    else waiting?.reject(new PocketrecError(reply.error.message, reply.error.code));
  };
  return {
    call<M extends Method>(method: M, ...args: Args<M>) {
      const id = next++;
      if (failed) return Promise.reject(failed);
      return new Promise<Answer<M>>((resolve, reject) => {
        // The host answers request `id` with the result of `method`'s handler.
        pending.set(id, { resolve: (value) => resolve(value as Answer<M>), reject });
        const request: RequestOf<M> = { id, method, args };
        port.postMessage(request);
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
 * engine has been started; the shop (if any) is loaded again in a new
 * worker, and later requests wait for it. After `MAX_RESTARTS` restarts, or
 * if loading again fails, the last worker's answers stand (it refuses every
 * request).
 *
 * Why a new worker rather than a new instance in the same one: the trapped
 * instance's memory may be corrupt, and a worker is the unit the browser
 * can throw away whole.
 */
function restarting(make: () => Backend, shop: ShopSource | undefined): Backend {
  let current = make();
  let ready: Promise<unknown> = Promise.resolve();
  let restarts = 0;
  const restart = () => {
    current.close();
    current = make();
    restarts += 1;
    ready = shop ? current.call("load", shop).catch(() => {}) : Promise.resolve();
  };
  return {
    async call<M extends Method>(method: M, ...args: Args<M>): Promise<Answer<M>> {
      await ready;
      const backend = current;
      try {
        return await backend.call(method, ...args);
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

/**
 * A backend running the wasm modules in this thread. It cannot replace a
 * trapped module: it refuses requests afterwards. Its fetches are the
 * page's own (in the page's resource timing), so it reports none.
 */
function local(reports: Reports): Backend {
  const host = new ShopHost(wasmModules, reports.progress);
  return {
    call: (method, ...args) => host.call(method, ...args),
    close: () => void host.call("free").catch(() => {}),
  };
}

/**
 * The backend for `create`: a worker (replaced when its module traps) or,
 * without workers, this thread. `shop` is loaded again in a replacement.
 */
function backendFor(worker: boolean | undefined, reports: Reports, shop: ShopSource | undefined): Backend {
  if (worker === false || typeof Worker === "undefined") return local(reports);
  try {
    // `restarting` makes its first worker now, so a worker that cannot be
    // made at all (a CSP that allows neither the module's origin nor blob:
    // workers) throws here, and the engine runs in this thread instead.
    return restarting(() => portBackend(engineWorker(), reports), shop);
  } catch {
    return local(reports);
  }
}

/**
 * The engine's worker, `worker.js` beside this module. The literal
 * `new Worker(new URL("./worker.js", import.meta.url), …)` is the form Vite
 * and webpack recognise, so a bundling site gets the worker (and, through
 * it, the wasm files) emitted for it. Served from another origin (a CDN),
 * a worker script cannot be started directly: a one-line module worker
 * made here imports it instead (the page's CSP must then allow `blob:`
 * workers; the worker's own imports and the wasm come from the CDN).
 */
function engineWorker(): Worker {
  const url = new URL("./worker.js", import.meta.url);
  // A bundler may turn this reference into a data: URL (Vite inlines small
  // assets): only an http(s) URL on another origin is a CDN.
  const foreign = typeof location !== "undefined" && /^https?:$/.test(url.protocol) && url.origin !== location.origin;
  if (!foreign) return new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const stub = new Blob([`import ${JSON.stringify(url.href)};`], { type: "text/javascript" });
  return new Worker(URL.createObjectURL(stub), { type: "module" });
}

/**
 * The backend for `connect`: over `port`, or over ports that `open` opens,
 * another one when the module behind the current one traps.
 */
function connected(port: Port | (() => Port), reports: Reports, shop: ShopSource | undefined): Backend {
  return typeof port === "function" ? restarting(() => portBackend(port(), reports), shop) : portBackend(port, reports);
}

/** Resolves a URL against the page, as a worker would not. */
function absolute(url: string): string {
  const base = typeof document !== "undefined" ? document.baseURI : undefined;
  return base ? new URL(url, base).href : url;
}

/** `source` with its URLs resolved against the page, and nothing else. */
function shopSource(source: ShopSource): ShopSource {
  if (source.indexUrl !== undefined) {
    return {
      indexUrl: absolute(indexFolder(source.indexUrl)),
      ...(source.linkBase ? { linkBase: absolute(source.linkBase) } : {}),
      ...(source.models ? { models: [...source.models] } : {}),
      ...(source.items ? { items: [...source.items] } : {}),
    };
  }
  return {
    catalogueUrl: absolute(source.catalogueUrl),
    ...(source.interactionsUrl ? { interactionsUrl: absolute(source.interactionsUrl) } : {}),
    ...(source.config ? { config: source.config } : {}),
    ...(source.configUrl ? { configUrl: absolute(source.configUrl) } : {}),
  };
}

/** Forecasts on `backend`, copying a plain array (a readonly one cannot be posted as is). */
function forecastOn(backend: Caller, values: readonly number[] | Float64Array, options?: ForecastOptions): Promise<Forecast> {
  return backend.call("forecast", values instanceof Float64Array ? values : [...values], options);
}

/** A shop's recommender: its catalogue, interactions and fitted models, in a worker. */
export class Engine {
  private constructor(
    private readonly backend: Backend,
    private readonly log: FetchLog,
    /** Number of catalogue items. */
    readonly itemCount: number,
    /** Notes about interaction rows that were skipped. */
    readonly warnings: readonly string[],
    /**
     * A model index's models that were left out when it opened (a shard
     * missing or bad), each as the error that took it away; queries blend
     * the others. Shards a query fetches later (neighbour lists, a model not
     * in `models`) are checked then: a single-model query whose model they
     * take away rejects with `bad_index`, and the worker logs the loss.
     */
    readonly problems: readonly string[] = [],
  ) {}

  /**
   * Loads the shop (in a worker when possible) and fits the models. A worker
   * whose wasm module traps is replaced (see `restarting`); the main-thread
   * fallback cannot replace its module and refuses requests after a trap.
   */
  static create(options: EngineOptions): Promise<Engine> {
    const source = shopSource(options);
    const log = new FetchLog();
    const backend = backendFor(options.worker, { progress: options.onProgress ?? (() => {}), fetched: log.add }, source);
    // An index's files are fetched here while the worker starts (~150 ms of
    // spawning and loading its script), then posted with the load. If this
    // fetch fails, the worker fetches again and reports the error itself.
    const files = source.indexUrl !== undefined ? fetchIndexFiles(source).catch(() => undefined) : undefined;
    return Engine.start(backend, log, source, files);
  }

  /**
   * A forecaster (no shop).
   * @deprecated Use `Forecaster.create`.
   */
  static forecaster(options: ForecasterOptions = {}): Promise<Forecaster> {
    return Forecaster.create(options);
  }

  /**
   * An engine served over a port (see `serve` in protocol.ts); for tests and
   * custom hosts. Given a function that opens a new port, the engine opens
   * another one when the module behind the first traps, as with workers.
   */
  static connect(port: Port | (() => Port), options: EngineOptions): Promise<Engine> {
    const source = shopSource(options);
    const log = new FetchLog();
    return Engine.start(connected(port, { progress: options.onProgress ?? (() => {}), fetched: log.add }, source), log, source);
  }

  private static async start(backend: Backend, log: FetchLog, source: ShopSource, prefetched?: Promise<IndexFiles | undefined>): Promise<Engine> {
    try {
      const loaded = await backend.call("load", source, await prefetched);
      return new Engine(backend, log, loaded.items, loaded.warnings, loaded.problems);
    } catch (e) {
      backend.close();
      throw e;
    }
  }

  /** Display fields (title, image, price, …) of the given items, in the order asked; unknown ids are left out. */
  items(ids: readonly string[]): Promise<ItemView[]> {
    return this.backend.call("items", [...ids]);
  }

  /** Items similar to `id` ("similar products", "customers also bought"). */
  similarItems(id: string, options?: QueryOptions): Promise<Result[]> {
    return this.backend.call("similarItems", id, options);
  }

  /** Recommendations for a shopper's history. */
  recommend(history: readonly HistoryEvent[], options?: QueryOptions): Promise<Result[]> {
    return this.backend.call("recommend", [...history], options);
  }

  /** Popular (or trending) items. */
  popular(options?: QueryOptions): Promise<Result[]> {
    return this.backend.call("popular", options);
  }

  /** Items matching free text. */
  search(text: string, options?: QueryOptions): Promise<Result[]> {
    return this.backend.call("search", text, options);
  }

  /** As `Forecaster.forecast`, in this engine's worker. */
  forecast(values: readonly number[] | Float64Array, options?: ForecastOptions): Promise<Forecast> {
    return forecastOn(this.backend, values, options);
  }

  /**
   * The files this engine's worker fetched so far (the wasm module and its
   * glue, the catalogue, the model index's files…), oldest first, from the
   * worker's resource timing: a page's own timing leaves them out. With
   * the main-thread fallback the engine's fetches are the page's own, in
   * its `performance` timeline, and this is empty. The manifest and the
   * first shards of a model index are fetched by the page while the worker
   * starts (`Engine.create`), so they too are in the page's timeline.
   */
  fetched(): Fetched[] {
    return this.log.all();
  }

  /** Calls `listener` with the files the engine's worker fetches from now on; returns the unsubscribe function. */
  onFetch(listener: (files: readonly Fetched[]) => void): () => void {
    return this.log.subscribe(listener);
  }

  /**
   * This browser's variant of experiment `name`, one of `variants` (names,
   * drawn uniformly, or name → weight). The first call draws it at random
   * with the browser's cryptographic generator (through this engine's wasm
   * module) and stores it with the shopper's history (`options.history`,
   * default `sharedHistory()`); every later call, on this page or a later
   * one, returns the same variant. `history.clear()` forgets it (the next
   * call draws again). If `variants` no longer offers the stored variant
   * (left out, or weight 0), a new one is drawn and stored; a change of
   * weights alone never moves a shopper.
   *
   * pocketrec sends the assignment nowhere: read it into your own analytics.
   *
   * @throws PocketrecError `invalid_value` for a bad name or variants (an
   * empty list, a name given twice, a weight below 0 or not finite, all
   * weights 0; names are 1–100 characters, at most 100 variants);
   * `limit_exceeded` past 100 experiments per browser.
   */
  variant(name: string, variants: Variants, options: { history?: History } = {}): Promise<string> {
    return assignVariant(options.history ?? sharedHistory(), name, variants, (n) => this.backend.call("randomBytes", n));
  }

  /** Frees the wasm memory and stops the worker. */
  dispose(): void {
    this.backend.close();
  }
}

/**
 * Sales forecasts with the forecasting wasm module (fetched only when a
 * forecaster is created), in a worker, with no shop. A worker whose module
 * traps is replaced, as with `Engine`.
 */
export class Forecaster {
  private constructor(
    private readonly backend: Backend,
    private readonly log: FetchLog,
  ) {}

  /** A forecaster in a worker when possible, else in this thread. */
  static async create(options: ForecasterOptions = {}): Promise<Forecaster> {
    const log = new FetchLog();
    return new Forecaster(backendFor(options.worker, { progress: () => {}, fetched: log.add }, undefined), log);
  }

  /** A forecaster served over a port, or over ports `open` opens (see `Engine.connect`); for tests and custom hosts. */
  static connect(port: Port | (() => Port)): Forecaster {
    const log = new FetchLog();
    return new Forecaster(connected(port, { progress: () => {}, fetched: log.add }, undefined), log);
  }

  /**
   * Forecasts `values` (oldest first) `options.horizon` steps ahead (default
   * 12), with intervals and, when `options.inventory` is given, a reorder
   * suggestion.
   */
  forecast(values: readonly number[] | Float64Array, options?: ForecastOptions): Promise<Forecast> {
    return forecastOn(this.backend, values, options);
  }

  /**
   * A reorder plan for every product of an order log (CSV text: invoice
   * lines, or `user,item,quantity,timestamp[,price]`), as `pocketrec stock`
   * makes it: ABC/XYZ classes, lead-time forecast, safety stock, reorder
   * point, order quantity, most urgent first. Computed in the worker; the
   * text goes nowhere else.
   */
  stockPlan(orders: string, options?: StockPlanOptions): Promise<StockPlan> {
    return this.backend.call("stockPlan", orders, options);
  }

  /**
   * Customer segments of an order log (recency, frequency and monetary
   * value, k-means), as `pocketrec segment` makes them, in the worker.
   */
  segmentCustomers(orders: string, options?: SegmentOptions): Promise<Segments> {
    return this.backend.call("segmentCustomers", orders, options);
  }

  /** The files this forecaster's worker fetched so far (see `Engine.fetched`). */
  fetched(): Fetched[] {
    return this.log.all();
  }

  /** Calls `listener` with the files the forecaster's worker fetches from now on; returns the unsubscribe function. */
  onFetch(listener: (files: readonly Fetched[]) => void): () => void {
    return this.log.subscribe(listener);
  }

  /** Stops the worker. */
  dispose(): void {
    this.backend.close();
  }
}
