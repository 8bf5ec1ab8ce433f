/**
 * The messages between the page and the engine's Web Worker, and the worker
 * side that answers them. `Requests` maps each method to its arguments and
 * result, and both sides are checked against it: the page's `call` and the
 * host's handlers. Requests carry an id; replies carry the same id and
 * either a value or an error (message and stable code, since Error objects
 * lose their properties when posted). Progress, and the files the worker
 * fetched, go out with id 0.
 */
import { forecastWith, PocketrecError, randomBytesWith, segmentsWith, Shop, stockPlanWith, type Forecast, type ForecastOptions, type SegmentOptions, type Segments, type StockPlan, type StockPlanOptions, type HistoryEvent, type IndexFiles, type ItemView, type Progress, type QueryOptions, type Result, type ShopSource } from "./core.js";
import type { ErrorCode } from "./error.js";
import { observeFetches, type Fetched } from "./fetches.js";
import type { Modules } from "./loader.js";

/** What `load` answers. */
export interface Loaded {
  /** Number of catalogue items. */
  items: number;
  /** Notes about interaction rows that were skipped. */
  warnings: string[];
  /** A model index's models left out, each as the error that took it away. */
  problems: string[];
}

/** Every method of the protocol: its arguments and its result. */
export interface Requests {
  /**
   * Loads (or replaces) the shop: opens its model index, or fits the models
   * on its files. `files`: an index's files already fetched by the page
   * (otherwise the host fetches them).
   */
  load: { args: [source: ShopSource, files?: IndexFiles]; result: Loaded };
  items: { args: [ids: string[]]; result: ItemView[] };
  similarItems: { args: [id: string, options?: QueryOptions]; result: Result[] };
  recommend: { args: [history: HistoryEvent[], options?: QueryOptions]; result: Result[] };
  popular: { args: [options?: QueryOptions]; result: Result[] };
  search: { args: [text: string, options?: QueryOptions]; result: Result[] };
  /**
   * `n` bytes from the browser's cryptographic generator, drawn by the wasm
   * module the shop uses (the query module when none is loaded).
   */
  randomBytes: { args: [n: number]; result: Uint8Array };
  /** Needs no shop. */
  forecast: { args: [values: number[] | Float64Array, options?: ForecastOptions]; result: Forecast };
  /** Needs no shop: a reorder plan from an order log's text. */
  stockPlan: { args: [orders: string, options?: StockPlanOptions]; result: StockPlan };
  /** Needs no shop: customer segments from an order log's text. */
  segmentCustomers: { args: [orders: string, options?: SegmentOptions]; result: Segments };
  /** Frees the shop's wasm memory. */
  free: { args: []; result: null };
}

export type Method = keyof Requests;
export type Args<M extends Method> = Requests[M]["args"];
export type Answer<M extends Method> = Requests[M]["result"];

/** A request for `method`, as posted. */
export interface RequestOf<M extends Method> {
  id: number;
  method: M;
  args: Args<M>;
}

/** Any request: one member per method, so `args` always fits `method`. */
export type Request = { [M in Method]: RequestOf<M> }[Method];

export type Reply =
  | { id: number; ok: true; value: Answer<Method> }
  | { id: number; ok: false; error: { message: string; code: ErrorCode } }
  | { id: 0; progress: Progress }
  /** Files the worker fetched (its resource timing), posted as they complete. */
  | { id: 0; fetched: Fetched[] };

/** Something that answers the protocol's requests: a worker's port, or a host in this thread. */
export interface Caller {
  call<M extends Method>(method: M, ...args: Args<M>): Promise<Answer<M>>;
}

/** The part of `MessagePort` / `Worker` / worker `self` used here. */
export interface PortLike {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** A handler per method, typed by `Requests`. */
type Handlers = { [M in Method]: (...args: Args<M>) => Answer<M> | Promise<Answer<M>> };

/** Holds at most one shop and runs requests on it: the worker side and the
 * main-thread fallback share this, so both behave the same.
 *
 * If a wasm module traps (a bug: inputs are validated before use), its
 * instance is not to be trusted again: that request and every later one
 * fail with code `crashed` and a message that says so, rather than
 * answering from a broken module. */
export class ShopHost implements Caller {
  private shop: Shop | undefined;
  /** The module the loaded shop runs on: it also draws random bytes. */
  private shopModule: () => Promise<{ randomBytes: (n: number) => Uint8Array }>;
  private crashed: PocketrecError | undefined;
  private readonly handlers: Handlers;

  /** `modules` are called on first use of each (see loader.ts); `fetchFn` replaces the global fetch. */
  constructor(modules: Modules, onProgress: (progress: Progress) => void, fetchFn?: typeof fetch) {
    this.shopModule = modules.query;
    this.handlers = {
      load: async (source, files) => {
        this.shop?.free();
        this.shop = undefined;
        this.shopModule = source.indexUrl !== undefined ? modules.query : modules.recommend;
        const options = { ...(fetchFn ? { fetch: fetchFn } : {}), onProgress };
        this.shop = source.indexUrl !== undefined ? await Shop.open(modules.query(), source, options, files) : await Shop.load(await modules.recommend(), source, options);
        return { items: this.shop.itemCount(), warnings: [...this.shop.warnings], problems: [...this.shop.problems] };
      },
      items: (ids) => this.loaded().items(ids),
      similarItems: (id, options) => this.loaded().similarItems(id, options),
      recommend: (history, options) => this.loaded().recommend(history, options),
      popular: (options) => this.loaded().popular(options),
      search: (text, options) => this.loaded().search(text, options),
      randomBytes: async (n) => randomBytesWith(await this.shopModule(), n),
      forecast: async (values, options) => forecastWith(await modules.forecast(), values, options),
      stockPlan: async (orders, options) => stockPlanWith(await modules.forecast(), orders, options),
      segmentCustomers: async (orders, options) => segmentsWith(await modules.forecast(), orders, options),
      free: () => {
        this.shop?.free();
        this.shop = undefined;
        return null;
      },
    };
  }

  async call<M extends Method>(method: M, ...args: Args<M>): Promise<Answer<M>> {
    if (this.crashed) throw this.crashed;
    const handler: (...args: Args<M>) => Answer<M> | Promise<Answer<M>> = this.handlers[method];
    try {
      return await handler(...args);
    } catch (e) {
      if (e instanceof PocketrecError && e.code === "crashed") this.crashed = e;
      throw e;
    }
  }

  private loaded(): Shop {
    if (!this.shop) throw new PocketrecError("the shop is not loaded yet", "not_loaded");
    return this.shop;
  }
}

/** Answers requests arriving on `port` with one shop, loaded on "load".
 * `fetchFn` replaces the global fetch (tests, custom hosts). */
export function serve(port: PortLike, modules: Modules, fetchFn?: typeof fetch): void {
  const host = new ShopHost(modules, (progress) => port.postMessage({ id: 0, progress } satisfies Reply), fetchFn);
  observeFetches((fetched) => port.postMessage({ id: 0, fetched } satisfies Reply));
  port.onmessage = (event: MessageEvent) => {
    // The page's `Caller` posts only `Request`s.
    const request = event.data as Request;
    answer(host, request).then(
      (value) => port.postMessage({ id: request.id, ok: true, value } satisfies Reply),
      (e: unknown) => {
        const error = e instanceof PocketrecError ? { message: e.message, code: e.code } : { message: String(e instanceof Error ? e.message : e), code: "internal" as const };
        port.postMessage({ id: request.id, ok: false, error } satisfies Reply);
      },
    );
  };
}

/** `request` run on `host`: generic in the method, so its arguments stay tied to it. */
function answer<M extends Method>(host: Caller, request: { method: M; args: Args<M> }): Promise<Answer<M>> {
  return host.call(request.method, ...request.args);
}
