/**
 * The engine core: loads a shop's files into the wasm `Engine` and answers
 * queries, turning every failure into a `PocketrecError` that says what was
 * being loaded, from where, and why (with the wasm module's stable `code`).
 *
 * It takes the wasm module's exports as an argument, so the same code runs
 * in a Web Worker, on the main thread, or in Node for tests. Option types
 * come from the generated `pkg/*.d.ts` (written from the Rust side), so
 * there is one definition of them; `WasmEngine` states what this core
 * relies on of the handle.
 */
import type { HistoryEvent, QueryOptions } from "../pkg/pocketrec.js";
import type { Forecast, ForecastOptions, StockPlanProduct, Segment, SegmentOptions, Segments, StockPlan, StockPlanOptions } from "../pkg/pocketrec_forecast.js";
import { resolveView, type ItemView, type Reason, type Result } from "./display.js";
import { isErrorCode, PocketrecError, type ErrorCode } from "./error.js";
import { bucketOf } from "./xxh64.js";

export { PocketrecError };

export type { ErrorCode, Forecast, ForecastOptions, HistoryEvent, ItemView, StockPlanProduct, QueryOptions, Reason, Result, Segment, SegmentOptions, Segments, StockPlan, StockPlanOptions };

/**
 * The wasm `Engine` handle (src/wasm/engine.rs): the catalogue, the
 * interactions and the fitted models, in wasm memory. Results carry the
 * item's display fields (`item`, links as in the catalogue), and reasons
 * that name an item carry its title.
 */
export interface WasmEngine {
  itemCount(): number;
  itemIds(): string[];
  /** Display fields of the given items, in the order asked; unknown ids are skipped. */
  items(ids: string[]): ItemView[];
  loadInteractionsCsv(text: string): string[];
  loadInteractionsJson(text: string): string[];
  fit(): void;
  similarItems(id: string, options?: QueryOptions): Result[];
  recommend(history: HistoryEvent[], options?: QueryOptions): Result[];
  popular(options?: QueryOptions): Result[];
  search(text: string, options?: QueryOptions): Result[];
  free(): void;
}

/** An engine opened from a model index (`pocketrec build`). */
export interface WasmIndexEngine extends Omit<WasmEngine, "loadInteractionsCsv" | "loadInteractionsJson" | "fit"> {
  /** The index's models left out because their shards were bad, as errors naming the file. */
  problems(): { code: string; message: string }[];
  /** The models it answers with, in blend order (config names), open or not. */
  models(): string[];
  /**
   * The index files a request still needs, in up to three rounds (the ids
   * it names, the models and lists it reads, the items it shows): `arg` is
   * the item id (similar), the history (recommend), the text (search) or
   * the ids (items). Fetch them, open them, and ask again until none is missing.
   */
  missingFiles(request: QueryRequest, options: QueryOptions | undefined, arg: string | string[] | HistoryEvent[] | undefined): string[];
  /** Opens the given index files (`failed`: names that could not be fetched); returns the problems this added (a model left out). A bad or failed ids or items shard throws. */
  openFiles(files: Map<string, Uint8Array>, failed?: string[]): { code: string; message: string }[];
}

/** What an index engine opens files for: each query, and display fields (`items`). */
export type QueryRequest = "similar" | "recommend" | "popular" | "search" | "items";

/** A model name as queries and `IndexSource.models` take it. */
export type ModelName = NonNullable<QueryOptions["model"]>;

/**
 * `n` (1 to 65,536) bytes from the browser's cryptographic generator
 * (`crypto.getRandomValues`, through getrandom in the wasm module); both
 * recommendation modules export it (src/wasm/mod.rs).
 */
export type RandomBytes = (n: number) => Uint8Array;

/** The recommendation module's exports the core needs. */
export interface WasmExports {
  Engine: new (catalogue: string, config: unknown) => WasmEngine;
  randomBytes: RandomBytes;
}

/** What a loaded shop asks of its wasm engine, however it was opened. */
type QueryEngine = Pick<WasmEngine, "itemCount" | "itemIds" | "items" | "similarItems" | "recommend" | "popular" | "search" | "free">;

/**
 * The query module's exports (a smaller module: no fitting code, no log or
 * catalogue readers), for shops served from a model index.
 */
export interface IndexExports {
  Engine: { fromIndex(manifest: Uint8Array, files: Map<string, Uint8Array>, models?: readonly string[]): WasmIndexEngine };
  randomBytes: RandomBytes;
}

/** `n` random bytes from `module` (see `RandomBytes`), errors as `PocketrecError`s. */
export function randomBytesWith(module: { randomBytes: RandomBytes }, n: number): Uint8Array {
  try {
    return module.randomBytes(n);
  } catch (e) {
    throw wrap(e, "could not draw random bytes");
  }
}

/** The forecasting module's exports (a separate wasm module, loaded only when a forecast is asked for). */
export interface ForecastExports {
  forecast(values: number[] | Float64Array, options: ForecastOptions | undefined): Forecast;
  stockPlan(orders: string, options: StockPlanOptions | undefined): StockPlan;
  segmentCustomers(orders: string, options: SegmentOptions | undefined): Segments;
}

/** Forecasts a series with the forecasting module, errors as `PocketrecError`s. */
export function forecastWith(wasm: ForecastExports, values: number[] | Float64Array, options?: ForecastOptions): Forecast {
  try {
    return wasm.forecast(values, options);
  } catch (e) {
    throw wrap(e, "could not forecast");
  }
}

/** A reorder plan for every product of an order log, errors as `PocketrecError`s. */
export function stockPlanWith(wasm: ForecastExports, orders: string, options?: StockPlanOptions): StockPlan {
  try {
    return wasm.stockPlan(orders, options);
  } catch (e) {
    throw wrap(e, "could not make the reorder plan");
  }
}

/** Customer segments of an order log, errors as `PocketrecError`s. */
export function segmentsWith(wasm: ForecastExports, orders: string, options?: SegmentOptions): Segments {
  try {
    return wasm.segmentCustomers(orders, options);
  } catch (e) {
    throw wrap(e, "could not segment the customers");
  }
}

/** A step of loading, for progress displays. */
export interface Progress {
  stage: "catalogue" | "interactions" | "fit" | "index" | "ready";
  message: string;
}

/**
 * Where a shop's data lives: the one description of it, used by `Engine`,
 * the worker protocol, `<pocket-recs>` (its `index`, or its `catalogue`,
 * `interactions` and `config` attributes) and `Shop.load`. Relative URLs
 * resolve against the page. A shop is served either from a model index
 * (`IndexSource`, what a live site should use) or from its raw files
 * (`LogSource`, for development and tiny shops: it publishes the log).
 */
export type ShopSource = IndexSource | LogSource;

/** A shop served from a model index folder written by `pocketrec build`. */
export interface IndexSource {
  /** URL of the index folder (the one holding `pocketrec-index.json`). */
  indexUrl: string;
  /** Relative `image` and `url` values of the items resolve against this. Default: the index folder. */
  linkBase?: string;
  /**
   * The models the page will query (`"hybrid"`: all): with the manifest
   * come popularity's first ranks and, for models that read content, its
   * features; everything else (ids, items, lists, further ranks, search
   * postings) comes with each query, only what it needs. A trending strip
   * needs `["popular"]`. Default: `["hybrid"]`.
   */
  models?: readonly ModelName[];
  /**
   * Ids the page will query first (its product, the shopper's history):
   * their buckets of the id directory come with the manifest, which saves
   * the first query a round of fetching.
   */
  items?: readonly string[];
  catalogueUrl?: never;
  interactionsUrl?: never;
  config?: never;
  configUrl?: never;
}

/** A shop fitted in the page from its catalogue and (optionally) its interaction log. */
export interface LogSource {
  indexUrl?: never;
  linkBase?: never;
  models?: never;
  /** URL of the catalogue JSON. */
  catalogueUrl: string;
  /** URL of the interactions: `.json`, otherwise CSV with a header. Default: none. */
  interactionsUrl?: string;
  /** pocketrec config object (field roles, model options, blend weights). Default: the engine's defaults. */
  config?: object;
  /** URL of a pocketrec config JSON (e.g. written by `pocketrec tune`); used when `config` is absent. */
  configUrl?: string;
}

/** How `Shop.load` fetches and reports. */
export interface LoadOptions {
  /** The fetch to use. Default: the global one. Only the source's URLs are fetched. */
  fetch?: typeof fetch;
  /** Called at each loading step. */
  onProgress?: (progress: Progress) => void;
}

/**
 * Whether `e` is the wasm module stopping (a trap: a Rust panic with
 * panic=abort, or running out of memory). The instance cannot be trusted
 * afterwards; see `ShopHost`.
 */
export function isCrash(e: unknown): boolean {
  return typeof WebAssembly !== "undefined" && e instanceof WebAssembly.RuntimeError;
}

/** The end of a `crashed` error's message where nothing restarts the engine. */
export const RELOAD_HINT = "reload the page to start it again";

/** A PocketrecError from any thrown value, with `context` before its message. */
function wrap(e: unknown, context: string): PocketrecError {
  if (isCrash(e)) {
    const message = `the engine stopped on an internal error (${e instanceof Error ? e.message : String(e)}); ${RELOAD_HINT}`;
    return new PocketrecError(context ? `${context}: ${message}` : message, "crashed", { cause: e });
  }
  const code: unknown = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  return new PocketrecError(context ? `${context}: ${message}` : message, isErrorCode(code) ? code : "load_failed", { cause: e });
}

/** An index folder's URL as one spelling: with its final `/`. */
export function indexFolder(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/** The file name of an index's manifest, in its folder. */
export const INDEX_MANIFEST = "pocketrec-index.json";

/** A shard's file name as the format writes it (`<kind>-<xxh64 hex>.bin`): nothing else is fetched. */
const SHARD_NAME = /^[a-z][a-z-]*-[0-9a-f]{16}\.bin$/;

/**
 * The shard files a manifest lists, when it parses and lists them well;
 * otherwise none (the engine then reports what is wrong with it, in the
 * same words as the CLI).
 */
export function shardFiles(manifest: Uint8Array): string[] {
  return shardEntries(manifest).map((s) => s.file);
}

/** The shards a manifest lists, with their sizes (0 when not a number); see `shardFiles`. */
function shardEntries(manifest: Uint8Array): { file: string; bytes: number; first: number }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(manifest));
  } catch {
    return [];
  }
  const shards = (parsed as { shards?: unknown } | null)?.shards;
  if (!Array.isArray(shards)) return [];
  return shards.flatMap((s: unknown) => {
    const { file, bytes, first } = (s ?? {}) as { file?: unknown; bytes?: unknown; first?: unknown };
    return typeof file === "string" && SHARD_NAME.test(file) ? [{ file, bytes: typeof bytes === "number" ? bytes : 0, first: typeof first === "number" ? first : 0 }] : [];
  });
}

/** Runs `work` on each of `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

async function fetchBytes(fetchFn: typeof fetch, url: string, what: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetchOk(fetchFn, url, what)).arrayBuffer());
}

async function fetchText(fetchFn: typeof fetch, url: string, what: string): Promise<string> {
  return (await fetchOk(fetchFn, url, what)).text();
}

async function fetchOk(fetchFn: typeof fetch, url: string, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (e) {
    throw wrap(e, `could not load ${what} from ${url}`);
  }
  if (!response.ok) {
    throw new PocketrecError(`could not load ${what} from ${url}: HTTP ${response.status} ${response.statusText}`.trim(), "load_failed");
  }
  return response;
}

/** A model index's files as fetched: the manifest, the shards that arrived, and why any did not. */
export interface IndexFiles {
  manifest: Uint8Array;
  files: Map<string, Uint8Array>;
  /** One message per shard that could not be fetched (the engine names the model it takes away). */
  missing: string[];
}

/** The models that read the content model (its features, and its links or vectors). */
const CONTENT_MODELS: readonly ModelName[] = ["content", "hybrid"];

/** A shard file's kind: its name up to the hash. */
function kindOf(file: string): string {
  return file.slice(0, file.lastIndexOf("-"));
}

/**
 * Whether a shard is one an engine opens before any query: popularity's
 * first ranks, and for `models` that read content (default: all models)
 * its features, and its vectors when the index has no content links to
 * rank with. The rest (ids, items, lists, further ranks) depends on each query.
 */
function wanted(shard: { file: string; first: number }, models: readonly ModelName[] = ["hybrid"], links: boolean): boolean {
  const kind = kindOf(shard.file);
  const content = models.some((m) => CONTENT_MODELS.includes(m));
  return (kind === "popularity" && shard.first === 0) || (content && (kind === "features" || (kind === "content" && !links)));
}

/**
 * Neighbour lists in at most this many files and bytes (as listed) in all
 * are fetched with the manifest when the page's models use them: otherwise
 * the first query waits one more round trip for its item's shards. More
 * files cost more than that round trip (each request costs; on the 10k
 * bench shop, 20 list files of 1 kB with the manifest made the cold start
 * slower, not faster).
 */
const SMALL_LISTS = { files: 4, bytes: 64 * 1024 };

/** The kinds of shard each query reads for its own items: the id directory, the items, the lists. */
const PER_QUERY = ["ids", "items", "item-knn", "ease", "sequential", "content-links"];

/**
 * Fetches an index's manifest, then the shards it lists for `source.models`:
 * those they open whole, and their neighbour lists when those are small
 * (only listed files: names are checked against the format's pattern, so a
 * manifest cannot send the browser elsewhere). A shard that fails is
 * recorded in `missing`; a manifest that fails rejects.
 */
export async function fetchIndexFiles(source: IndexSource, options: LoadOptions = {}): Promise<IndexFiles> {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const folder = indexFolder(source.indexUrl);
  options.onProgress?.({ stage: "index", message: `loading model index from ${folder}` });
  const manifest = await fetchBytes(fetchFn, `${folder}${INDEX_MANIFEST}`, "model index manifest");
  const entries = shardEntries(manifest);
  const links = entries.some((s) => kindOf(s.file) === "content-links");
  const perQuery = entries.filter((s) => PER_QUERY.includes(kindOf(s.file)));
  const small = perQuery.length <= SMALL_LISTS.files && perQuery.reduce((total, s) => total + s.bytes, 0) <= SMALL_LISTS.bytes;
  const buckets = idBuckets(manifest, source.items ?? []);
  const names = entries.filter((s) => wanted(s, source.models, links) || (kindOf(s.file) === "ids" && buckets.has(s.first)) || (small && perQuery.includes(s))).map((s) => s.file);
  const { files, missing } = await fetchShards(fetchFn, folder, names);
  return { manifest, files, missing };
}

/** The id-directory buckets of `ids` under a manifest's `counts.idBuckets` (none when it has no count). */
function idBuckets(manifest: Uint8Array, ids: readonly string[]): Set<number> {
  if (!ids.length) return new Set();
  let count: unknown;
  try {
    count = (JSON.parse(new TextDecoder().decode(manifest)) as { counts?: { idBuckets?: unknown } }).counts?.idBuckets;
  } catch {
    return new Set();
  }
  return typeof count === "number" && count > 0 ? new Set(ids.map((id) => bucketOf(id, count))) : new Set();
}

/** Fetches shard files of an index folder, up to 16 at once; a file that fails is recorded in `missing`. */
async function fetchShards(fetchFn: typeof fetch, folder: string, names: readonly string[]): Promise<{ files: Map<string, Uint8Array>; missing: string[] }> {
  const files = new Map<string, Uint8Array>();
  const missing: string[] = [];
  // Up to 16 at once: a browser queues past its own per-host limit (6 on
  // HTTP/1.1), and an HTTP/2 host can serve them all together.
  await eachLimited(names, 16, async (file) => {
    try {
      files.set(file, await fetchBytes(fetchFn, `${folder}${file}`, `index file ${file}`));
    } catch (e) {
      missing.push(e instanceof Error ? e.message : String(e));
    }
  });
  return { files, missing };
}

/** Rounds of fetching one request may take (three, and one more for a model lost on the way). */
const MAX_ROUNDS = 4;

/** Where an index shop fetches the models its queries open later. */
interface LazyIndex {
  engine: WasmIndexEngine;
  fetchFn: typeof fetch;
  folder: string;
}

/** A loaded shop: the wasm engine with its catalogue, interactions and models. */
export class Shop {
  /** Opening models for queries, one at a time (so two queries never fetch the same files twice). */
  private opening: Promise<void> = Promise.resolve();

  private constructor(
    private readonly engine: QueryEngine,
    /** Notes about rows skipped while reading the interactions. */
    readonly warnings: readonly string[],
    /** Relative links in the catalogue resolve against this. */
    private readonly catalogueUrl: string,
    /** The index's models left out, each as the error that took it away (the others still answer). */
    readonly problems: string[] = [],
    /** A model index whose other models open when a query first needs them. */
    private readonly index?: LazyIndex,
  ) {}

  /**
   * Opens a model index: its files as `fetched` (the page fetches them
   * while the worker starts), or else fetched here by `fetchIndexFiles`,
   * handed to the query module. Only `source.models` are opened (default:
   * all); a query that needs another model fetches its shards first. A
   * model whose shards are missing or bad is left out and named in
   * `problems`; the others, and trending, still answer. A bad manifest,
   * items or popularity shard rejects with code `bad_index`.
   */
  static async open(wasm: IndexExports | Promise<IndexExports>, source: IndexSource, options: LoadOptions = {}, fetched?: IndexFiles): Promise<Shop> {
    // The module may still be loading: the index's files are fetched meanwhile
    // (in a cold worker the two overlap, ~70 ms of module against the fetches).
    const module = Promise.resolve(wasm);
    module.catch(() => {}); // awaited below; a fetch error may reject first
    const folder = indexFolder(source.indexUrl);
    const { manifest, files, missing } = fetched ?? (await fetchIndexFiles(source, options));
    const progress = options.onProgress ?? (() => {});
    let engine: WasmIndexEngine;
    try {
      engine = (await module).Engine.fromIndex(manifest, files, source.models);
    } catch (e) {
      throw wrap(e, `could not open the model index at ${folder}${missing.length ? ` (${missing.join("; ")})` : ""}`);
    }
    const problems = engine.problems().map((p) => p.message);
    if (problems.length && missing.length) problems.push(...missing);
    progress({ stage: "ready", message: `ready: ${engine.itemCount()} items, models ${engine.models().join(", ")}` });
    const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    return new Shop(engine, [], source.linkBase ?? folder, problems, { engine, fetchFn, folder });
  }

  /** Fetches and reads the shop's files, then fits the models. */
  static async load(wasm: WasmExports, source: LogSource, options: LoadOptions = {}): Promise<Shop> {
    const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    const progress = options.onProgress ?? (() => {});
    progress({ stage: "catalogue", message: `loading catalogue from ${source.catalogueUrl}` });
    let config: unknown = source.config ?? null;
    if (!source.config && source.configUrl) {
      const text = await fetchText(fetchFn, source.configUrl, "config");
      try {
        config = JSON.parse(text);
      } catch (e) {
        throw new PocketrecError(`could not load config from ${source.configUrl}: ${e instanceof Error ? e.message : String(e)}`, "invalid_json", { cause: e });
      }
    }
    const catalogueText = await fetchText(fetchFn, source.catalogueUrl, "catalogue");
    let engine: WasmEngine;
    try {
      // Text, not a parsed object: the Rust reader reports line and column.
      engine = new wasm.Engine(catalogueText, config);
    } catch (e) {
      throw wrap(e, `could not load catalogue from ${source.catalogueUrl}`);
    }
    let warnings: string[] = [];
    const url = source.interactionsUrl;
    if (url) {
      progress({ stage: "interactions", message: `loading interactions from ${url}` });
      const text = await fetchText(fetchFn, url, "interactions");
      try {
        warnings = /\.json(\?|#|$)/i.test(url) ? engine.loadInteractionsJson(text) : engine.loadInteractionsCsv(text);
      } catch (e) {
        engine.free();
        throw wrap(e, `could not load interactions from ${url}`);
      }
    }
    progress({ stage: "fit", message: "fitting models" });
    try {
      engine.fit();
    } catch (e) {
      engine.free();
      throw wrap(e, "could not fit the models");
    }
    progress({ stage: "ready", message: `ready: ${engine.itemCount()} items` });
    return new Shop(engine, warnings, source.catalogueUrl);
  }

  /** Item ids in catalogue order. */
  /** How many items the shop has (without copying their ids to JS). */
  itemCount(): number {
    return this.engine.itemCount();
  }

  itemIds(): string[] {
    return this.engine.itemIds();
  }

  /** Display fields of the given items, in the order asked; unknown ids are left out. */
  async items(ids: readonly string[]): Promise<ItemView[]> {
    await this.openFor("items", undefined, [...ids]);
    return this.call(() => this.engine.items([...ids])).map((view) => resolveView(view, this.catalogueUrl));
  }

  /** Items similar to `id` ("similar products", "customers also bought"). */
  async similarItems(id: string, options?: QueryOptions): Promise<Result[]> {
    await this.openFor("similar", options, id);
    return this.results(() => this.engine.similarItems(id, options));
  }

  /** Recommendations for a shopper's history. */
  async recommend(history: readonly HistoryEvent[], options?: QueryOptions): Promise<Result[]> {
    await this.openFor("recommend", options, [...history]);
    return this.results(() => this.engine.recommend([...history], options));
  }

  /** Popular (or trending) items. */
  async popular(options?: QueryOptions): Promise<Result[]> {
    await this.openFor("popular", { ...options, model: "popular" }, undefined);
    return this.results(() => this.engine.popular(options));
  }

  /** Items matching free text. */
  async search(text: string, options?: QueryOptions): Promise<Result[]> {
    await this.openFor("search", options, text);
    return this.results(() => this.engine.search(text, options));
  }

  /**
   * On a model index, fetches and opens what a request needs that is not
   * open yet, round by round (at most three: the ids it names, the models
   * and lists it reads, the items it shows; see `missingFiles`). A model
   * whose shards fail is left out, added to `problems` and logged; the
   * query blends the others.
   */
  private openFor(request: QueryRequest, options: QueryOptions | undefined, arg: string | string[] | HistoryEvent[] | undefined): Promise<void> {
    const index = this.index;
    if (!index) return Promise.resolve();
    const next = this.opening.then(async () => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const names = this.call(() => index.engine.missingFiles(request, options, arg));
        if (!names.length) return;
        const { files, missing } = await fetchShards(index.fetchFn, index.folder, names);
        let added: string[];
        try {
          added = index.engine.openFiles(files, names.filter((n) => !files.has(n))).map((p) => p.message);
        } catch (e) {
          // A lost ids or items shard: the request cannot be answered; say why the file is missing.
          const error = wrap(e, "");
          throw missing.length ? new PocketrecError(`${error.message} (${missing.join("; ")})`, error.code, { cause: e }) : error;
        }
        if (added.length) {
          this.problems.push(...added, ...missing);
          console.warn(`pocketrec: the model index at ${index.folder} lost a model: ${added.join("; ")}`);
        }
      }
    });
    // A failed opening (an invalid query) fails its query, not the next one.
    this.opening = next.catch(() => {});
    return next;
  }

  /** Releases the wasm memory; the shop cannot be used afterwards. */
  free(): void {
    this.engine.free();
  }

  /** A query's results, their items' links resolved. */
  private results(query: () => Result[]): Result[] {
    return this.call(query).map((r) => ({ ...r, item: resolveView(r.item, this.catalogueUrl) }));
  }

  /** Runs a call on the wasm engine, its errors as `PocketrecError`s. */
  private call<T>(run: () => T): T {
    try {
      return run();
    } catch (e) {
      throw wrap(e, "");
    }
  }
}
