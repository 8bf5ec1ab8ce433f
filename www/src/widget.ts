/**
 * `<pocket-recs>`: a drop-in element that shows recommendations as cards.
 *
 * ```html
 * <script type="module" src="/pocketrec/pocketrec.js"></script>
 * <pocket-recs index="/pocketrec-index/" mode="trending" k="4" heading="Popular now"></pocket-recs>
 * ```
 *
 * Attributes (all optional except `index` or `catalogue`):
 *
 * | attribute | meaning | default |
 * |---|---|---|
 * | `index` | URL of the model index folder (`pocketrec build`) | |
 * | `link-base` | with `index`: relative item links and images resolve against this URL | the index folder |
 * | `catalogue` | without `index`: URL of the catalogue JSON, fitted in the page | |
 * | `interactions` | with `catalogue`: URL of the interaction log (CSV, or `.json`); publishes it | none |
 * | `config` | with `catalogue`: URL of a pocketrec config JSON (e.g. from `pocketrec tune`) | none |
 * | `mode` | `similar` (to `item`), `personal` (the shopper's history), `trending` | `similar` with `item`, else `personal` |
 * | `item` | the item id for `similar` | |
 * | `k` | number of cards, 1–100 | 4 |
 * | `model` | `hybrid`, `content`, `item-knn`, `user-knn`, `sequential`, `ease`, `als`, `popular` | `hybrid` |
 * | `weights` | blend weights, `itemKnn:1, content:0.6` (or JSON) | the config's |
 * | `diversity` | MMR diversity, 0–1 | 0 |
 * | `category` | only these categories, comma-separated | all |
 * | `in-stock-only` | boolean: hide items out of stock | off |
 * | `heading` | the strip's heading text | none |
 * | `href` | link template, `{id}` is replaced (URL-encoded) | the item's `url` field |
 * | `cold-start` | `personal` with no history yet: `explore`, `message`, `popular` or `hide` (see below) | `explore` |
 * | `cold-start-text` | the text `cold-start="message"` shows | "Browse a few products and this row follows you." |
 * | `history-key` | localStorage key of the shopper's history | `pocketrec:history` |
 * | `no-worker` | boolean: run the engine on the main thread | off |
 * | `experiment` | an A/B experiment's name: this browser gets one of `variants` (see below) | none |
 * | `variants` | with `experiment`: JSON, variant name → the attributes it sets | |
 *
 * **A new visitor.** A `personal` strip has no history to follow on a
 * shopper's first visit. `cold-start` says what it shows until there is
 * one: `explore` (the default) a sample of the shop past its `k` most
 * popular items (what a `trending` strip of the same size shows): the
 * best remaining item of each category in turn; `message` no cards, only `cold-start-text`, saying how the row will
 * work; `popular` the most popular items (the same as `trending`); `hide`
 * nothing at all (the element is not displayed). The element sets
 * `data-cold-start` to the behaviour while it shows a cold start, and
 * switches to personal results as soon as the history has an event.
 *
 * **Experiments.** `experiment="strip-test" variants='{"a": {}, "b": {"model": "item-knn", "k": 6}}'`
 * puts this browser in one variant, drawn uniformly at random once
 * (`Engine.variant`: the browser's cryptographic generator) and kept with
 * the shopper's history (`history-key`), so it stays the same on every page
 * and visit until the history is cleared ("forget me"), when it is drawn
 * again. The variant's attributes (any above but `history-key`; booleans as
 * `true`/`false`, e.g. another `index` built with another config) take the
 * place of the element's own. A stored variant no longer in `variants` is
 * drawn again. The element sets `data-variant="b"` and fires
 * `pocketrec-variant` (`detail: {experiment, variant}`, bubbling) when the
 * variant is first known. pocketrec sends nothing: a shop reads the variant into its
 * own analytics, if it has any.
 *
 * Everything from the catalogue goes into the page as text (`textContent`)
 * or as a checked URL attribute, never as HTML; links from the catalogue
 * must be http(s) or relative. The element keeps a `data-state` attribute
 * (`loading`, `ready`, `empty`, `error`) and fires `pocketrec-results`
 * (`detail: {results, ms, fallback}`) and `pocketrec-error` (`detail: error`).
 *
 * When a model index lost a model to a bad shard (`Engine.problems`) and a
 * similar or personal query then fails or finds nothing, the strip shows
 * trending items instead (`data-fallback="trending"`, `fallback: true`),
 * says so, and logs the problems to the console.
 * Style it with CSS custom properties (`--pocketrec-accent`, `--pocketrec-card-bg`,
 * `--pocketrec-card-border`, `--pocketrec-radius`, `--pocketrec-gap`,
 * `--pocketrec-card-width`, `--pocketrec-text`, `--pocketrec-muted`,
 * `--pocketrec-font`) or `::part(card | link | image | title | price | stock | reason | heading | list | status)`.
 */
import { byCategoryInTurn, formatPrice, parseWeights, reasonText, safeUrl, type ItemView } from "./display.js";
import { Engine, PocketrecError, type EngineOptions, type QueryOptions, type Result, type ShopSource } from "./engine.js";
import { sharedHistory, type History } from "./history.js";
import { indexFolder, type ModelName } from "./core.js";

const engines = new Map<string, Promise<Engine>>();

/**
 * One engine per shop source (and `worker` choice) per page, shared by every
 * element and the page's own code.
 */
export function sharedEngine(options: ShopSource & Pick<EngineOptions, "worker">): Promise<Engine> {
  const base = document.baseURI;
  const url = (u: string | undefined) => (u === undefined ? u : new URL(u, base).href);
  const key = JSON.stringify([url(options.indexUrl), url(options.linkBase), url(options.catalogueUrl), url(options.interactionsUrl), options.config, url(options.configUrl), options.worker]);
  let engine = engines.get(key);
  if (!engine) {
    engine = Engine.create(options);
    // A failed load is not cached: the next element (or a retry) tries again.
    engine.catch(() => engines.delete(key));
    engines.set(key, engine);
  }
  return engine;
}

export { sharedHistory };

const STYLE = `
:host { display: block; font-family: var(--pocketrec-font, inherit); color: var(--pocketrec-text, inherit); }
:host([hidden]), :host([data-cold-start="hide"]) { display: none; }
h2 { font-size: 1.1em; margin: 0 0 .5em; }
ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--pocketrec-gap, 12px);
  grid-template-columns: repeat(auto-fill, minmax(var(--pocketrec-card-width, 160px), 1fr)); }
li { display: flex; flex-direction: column; gap: 4px; padding: 8px; background: var(--pocketrec-card-bg, transparent);
  border: 1px solid var(--pocketrec-card-border, #ddd); border-radius: var(--pocketrec-radius, 8px); }
img { width: 100%; aspect-ratio: 1; object-fit: cover; border-radius: calc(var(--pocketrec-radius, 8px) / 2); background: #f4f4f4; }
a { color: var(--pocketrec-accent, inherit); text-decoration: none; display: flex; flex-direction: column; gap: 4px; }
a:hover .title, a:focus-visible .title { text-decoration: underline; }
/* The card's link gets a ring in its own colour, so it shows on whatever background the site gives. */
a:focus-visible { outline: 2px solid currentColor; outline-offset: 2px; border-radius: 2px; }
.title { font-weight: 600; line-height: 1.25; }
.price { font-variant-numeric: tabular-nums; }
.reason, .stock, .status { color: var(--pocketrec-muted, #666); font-size: .85em; }
.status:empty, ul[hidden] { display: none; }
`;

const sheets = new Map<string, CSSStyleSheet>();
/** Styles a shadow root with `css` (one constructed sheet per text, shared by every element of a kind). */
export function adoptStyles(root: ShadowRoot, css: string): void {
  // A constructed sheet: no inline <style>, so a strict style-src CSP is fine too.
  if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
    let sheet = sheets.get(css);
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      sheets.set(css, sheet);
    }
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement("style");
    style.textContent = css;
    root.append(style);
  }
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, part: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.setAttribute("part", part);
  if (part !== "link") node.className = part;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A card for an item: image, title (the link text), price, stock and one
 * reason. `href` (else the item's own `url`) must be http(s) or relative to
 * be used. All text goes in through `textContent`.
 */
export function itemCard(item: ItemView, options: { href?: string; reason?: string } = {}): HTMLLIElement {
  const card = element("li", "card");
  card.dataset.id = item.id;
  const href = safeUrl(options.href ?? item.url, document.baseURI);
  const head: HTMLElement = href ? element("a", "link") : element("div", "link");
  if (href) (head as HTMLAnchorElement).href = href;
  const image = safeUrl(item.image, document.baseURI);
  if (image) {
    const img = element("img", "image");
    img.src = image;
    img.alt = ""; // the title next to it names the item
    img.loading = "lazy";
    img.decoding = "async";
    head.append(img);
  }
  head.append(element("span", "title", item.title));
  card.append(head);
  if (item.price !== undefined) card.append(element("span", "price", formatPrice(item.price, item.currency)));
  if (item.inStock === false) card.append(element("span", "stock", "Out of stock"));
  if (options.reason) card.append(element("span", "reason", options.reason));
  return card;
}

/** A variant's attributes: a string or number, or a boolean attribute on (`true`) or off (`false`). */
export type VariantAttributes = Readonly<Record<string, string | number | boolean>>;

/** The attributes a variant may set: all but `history-key` (where assignments are kept) and the experiment's own. */
const VARIANT_ATTRIBUTES = ["index", "link-base", "catalogue", "interactions", "config", "mode", "item", "k", "model", "weights", "diversity", "category", "in-stock-only", "heading", "href", "no-worker", "cold-start", "cold-start-text"] as const;

/**
 * Reads a `variants` attribute: a JSON object of variant name → the
 * attributes that variant sets (`{"a": {}, "b": {"model": "item-knn"}}`).
 *
 * @throws PocketrecError (`invalid_value`) naming the variant and attribute, what arrived and what is accepted.
 */
export function parseVariants(experiment: string, text: string | null): Record<string, VariantAttributes> {
  const bad = (message: string) => new PocketrecError(`experiment "${experiment}": ${message}`, "invalid_value");
  if (text === null) throw bad(`needs a variants attribute: a JSON object of variant name → attributes, e.g. {"a": {}, "b": {"model": "item-knn"}}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw bad(`variants is not JSON (${e instanceof Error ? e.message : String(e)}); expected an object of variant name → attributes`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(parsed) || Object.keys(parsed).length === 0) throw bad(`variants must be a JSON object naming at least one variant, got ${text}`);
  const allowed: readonly string[] = VARIANT_ATTRIBUTES;
  for (const [name, attributes] of Object.entries(parsed)) {
    if (!isObject(attributes)) throw bad(`variants.${name} must be an object of attributes, got ${JSON.stringify(attributes)}`);
    for (const [attribute, value] of Object.entries(attributes)) {
      if (!allowed.includes(attribute)) throw bad(`variants.${name}.${attribute} is not an attribute a variant may set; accepted: ${allowed.join(", ")}`);
      if (!["string", "number", "boolean"].includes(typeof value)) throw bad(`variants.${name}.${attribute} must be a string, number or boolean, got ${JSON.stringify(value)}`);
    }
  }
  return parsed as Record<string, VariantAttributes>;
}

/** What a personal strip shows before there is any history (`cold-start`). */
const COLD_STARTS = ["explore", "message", "popular", "hide"] as const;
type ColdStart = (typeof COLD_STARTS)[number];

/** How many popular items past the top `k` `explore` picks its sample from. */
const EXPLORE_POOL = 100;

export class PocketRecs extends HTMLElement {
  static readonly observedAttributes = [...VARIANT_ATTRIBUTES, "history-key", "experiment", "variants"];

  private readonly root: ShadowRoot;
  private readonly sectionNode: HTMLElement;
  private readonly headingNode: HTMLHeadingElement;
  private readonly statusNode: HTMLParagraphElement;
  private readonly listNode: HTMLUListElement;
  private unsubscribe: (() => void) | undefined;
  private scheduled = false;
  private generation = 0;
  /** The assigned variant's attributes (`experiment`), which take the place of the element's own. */
  private overrides: VariantAttributes | undefined;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: "open" });
    adoptStyles(this.root, STYLE);
    const section = (this.sectionNode = element("section", "section"));
    this.headingNode = element("h2", "heading");
    this.headingNode.id = "heading";
    this.statusNode = element("p", "status");
    this.statusNode.setAttribute("role", "status");
    this.listNode = element("ul", "list");
    // Safari drops list semantics under list-style: none unless the role is explicit.
    this.listNode.setAttribute("role", "list");
    section.append(this.headingNode, this.statusNode, this.listNode);
    this.root.append(section);
  }

  connectedCallback(): void {
    this.schedule();
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.schedule();
  }

  /** Shows fresh results now (also called on history changes). */
  refresh(): Promise<void> {
    return this.render();
  }

  /** Several attribute changes in one task give one query. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.render();
    });
  }

  private get mode(): "similar" | "personal" | "trending" {
    const mode = this.attr("mode") ?? (this.flag("item") ? "similar" : "personal");
    if (mode === "similar" || mode === "personal" || mode === "trending") return mode;
    throw new PocketrecError(`mode "${mode}" is not one of similar, personal, trending`, "invalid_value");
  }

  private options(): QueryOptions {
    const k = Number(this.attr("k") ?? 4);
    if (!Number.isInteger(k) || k < 1 || k > 100) {
      throw new PocketrecError(`k "${this.attr("k")}" is not a whole number from 1 to 100`, "invalid_value");
    }
    const options: QueryOptions = { k };
    const model = this.attr("model");
    if (model) options.model = model as NonNullable<QueryOptions["model"]>;
    const weights = this.attr("weights");
    if (weights) options.weights = parseWeights(weights);
    const diversity = this.attr("diversity");
    if (diversity !== null) options.diversity = Number(diversity);
    const categories = (this.attr("category") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const inStockOnly = this.flag("in-stock-only");
    if (categories.length || inStockOnly) options.filter = { ...(categories.length ? { categories } : {}), ...(inStockOnly ? { inStockOnly } : {}) };
    return options;
  }

  private async query(engine: Engine): Promise<Result[]> {
    const options = this.options();
    switch (this.mode) {
      case "similar": {
        const item = this.attr("item");
        if (!item) throw new PocketrecError(`mode "similar" needs an item attribute`, "invalid_value");
        return engine.similarItems(item, options);
      }
      case "trending":
        return engine.popular(options);
      case "personal":
        return engine.recommend(this.history().events(), options);
    }
  }

  /** What `cold-start` asks for: `explore`, `message`, `popular` or `hide`. */
  private get coldStartMode(): ColdStart {
    const mode = this.attr("cold-start") ?? "explore";
    if ((COLD_STARTS as readonly string[]).includes(mode)) return mode as ColdStart;
    throw new PocketrecError(`cold-start "${mode}" is not one of ${COLD_STARTS.join(", ")}`, "invalid_value");
  }

  /** A personal strip's results before the shopper has any history (see `cold-start`). */
  private async coldStart(engine: Engine, mode: ColdStart, options: QueryOptions): Promise<Result[]> {
    switch (mode) {
      case "message":
      case "hide":
        return [];
      case "popular":
        return engine.recommend([], options);
      case "explore": {
        // Past the k most popular (what a trending strip of this size shows), each category's best in turn.
        const k = options.k ?? 4;
        return byCategoryInTurn((await engine.popular({ ...options, model: "popular", k: k + EXPLORE_POOL })).slice(k), k);
      }
    }
  }

  private history(): History {
    const history = sharedHistory(this.getAttribute("history-key") ?? undefined);
    if (!this.unsubscribe) {
      this.unsubscribe = history.subscribe(() => this.schedule());
    }
    return history;
  }

  /** An attribute's value: the assigned variant's, else the element's. */
  private attr(name: string): string | null {
    const value = this.overrides && Object.hasOwn(this.overrides, name) ? this.overrides[name] : undefined;
    if (value === undefined) return this.getAttribute(name);
    return value === false ? null : value === true ? "" : String(value);
  }

  /** Whether a boolean attribute is on (in the assigned variant, else on the element). */
  private flag(name: string): boolean {
    return this.attr(name) !== null;
  }

  /**
   * With an `experiment` attribute: this browser's variant (drawn once by
   * `Engine.variant` and kept with the shopper's history), whose attributes
   * then apply; `data-variant` names it, and `pocketrec-variant` fires when
   * it is first known (or changes, after the history was cleared).
   */
  private async assign(): Promise<void> {
    this.overrides = undefined;
    const experiment = this.getAttribute("experiment");
    if (experiment === null) {
      delete this.dataset.variant;
      return;
    }
    const variants = parseVariants(experiment, this.getAttribute("variants"));
    const names = Object.keys(variants);
    // Any of the shop's engines can draw: the element's own source, else the first variant's.
    const own = this.source();
    this.overrides = variants[names[0]!];
    const source = own ?? this.source();
    this.overrides = undefined;
    if (!source) throw new PocketrecError("<pocket-recs> needs an index or catalogue attribute, on the element or in its variants", "invalid_value");
    const engine = await sharedEngine({ ...source, ...(this.hasAttribute("no-worker") ? { worker: false } : {}) });
    const variant = await engine.variant(experiment, names, { history: sharedHistory(this.getAttribute("history-key") ?? undefined) });
    this.overrides = variants[variant];
    if (this.dataset.variant !== variant) {
      this.dataset.variant = variant;
      // It bubbles (out of any shadow root too): one listener on `document` hears every strip.
      this.dispatchEvent(new CustomEvent("pocketrec-variant", { detail: { experiment, variant }, bubbles: true, composed: true }));
    }
  }

  private async render(): Promise<void> {
    const generation = ++this.generation;
    if (this.hasAttribute("experiment")) this.state("loading");
    try {
      await this.assign();
    } catch (e) {
      if (generation === this.generation) this.fail(e);
      return;
    }
    if (generation !== this.generation) return; // a newer render is on its way
    this.headingNode.textContent = this.attr("heading") ?? "";
    this.headingNode.hidden = !this.headingNode.textContent;
    if (this.headingNode.textContent) this.sectionNode.setAttribute("aria-labelledby", "heading");
    else this.sectionNode.removeAttribute("aria-labelledby");
    const source = this.source();
    if (!source) {
      this.fail(new PocketrecError("<pocket-recs> needs an index attribute (the URL of a model index folder) or a catalogue attribute (the URL of a catalogue JSON)", "invalid_value"));
      return;
    }
    if (this.mode !== "personal") {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
    }
    this.state("loading");
    try {
      const engine = await sharedEngine({ ...source, ...(this.flag("no-worker") ? { worker: false } : {}) });
      const started = performance.now();
      const { results, fallback, cold } = await this.answer(engine);
      const ms = performance.now() - started;
      if (generation !== this.generation) return; // a newer render is on its way
      this.show(results, fallback, cold);
      this.dispatchEvent(new CustomEvent("pocketrec-results", { detail: { results, ms, fallback } }));
    } catch (e) {
      if (generation === this.generation) this.fail(e);
    }
  }

  /**
   * The models this strip queries, so an index engine fetches only their
   * shards up front: trending needs popularity alone. The page's first
   * strip sets what its shared engine fetches; another strip's first query
   * fetches what it needs besides.
   */
  private models(): ModelName[] {
    if (this.attr("mode") === "trending") return ["popular"];
    const model = (this.attr("model") ?? "hybrid") as ModelName;
    const diversity = Number(this.attr("diversity") ?? 0);
    return diversity > 0 ? [model, "content", "item-knn"] : [model];
  }

  /** Where the shop's data lives: the `index` (and `link-base`) attributes, else `catalogue`, `interactions` and `config`. */
  private source(): ShopSource | undefined {
    const indexUrl = this.attr("index");
    if (indexUrl) {
      const linkBase = this.attr("link-base");
      // A product strip's item: its id's bucket comes with the manifest.
      const item = this.attr("item");
      return { indexUrl: indexFolder(indexUrl), ...(linkBase ? { linkBase } : {}), models: this.models(), ...(item ? { items: [item] } : {}) };
    }
    const catalogueUrl = this.attr("catalogue");
    if (!catalogueUrl) return undefined;
    const interactionsUrl = this.attr("interactions");
    const configUrl = this.attr("config");
    return { catalogueUrl, ...(interactionsUrl ? { interactionsUrl } : {}), ...(configUrl ? { configUrl } : {}) };
  }

  /**
   * The strip's results; trending instead when the engine lost a model
   * from its index and the query then failed or found nothing.
   */
  private async answer(engine: Engine): Promise<{ results: Result[]; fallback: boolean; cold?: ColdStart }> {
    if (this.mode === "personal" && !this.history().events().length) {
      const cold = this.coldStartMode;
      return { results: await this.coldStart(engine, cold, this.options()), fallback: false, cold };
    }
    const trending = this.mode === "trending";
    let lost = trending ? "" : engine.problems.join("; ");
    try {
      const results = await this.query(engine);
      if (results.length || !lost) return { results, fallback: false };
    } catch (e) {
      // A model lost when the query fetched its shards comes back as bad_index.
      if (!trending && e instanceof PocketrecError && e.code === "bad_index") lost = e.message;
      else if (!lost) throw e;
    }
    console.warn(`<pocket-recs>: showing trending items; the model index lost: ${lost}`);
    return { results: await engine.popular({ ...this.options(), model: "popular" }), fallback: true };
  }

  private show(results: Result[], fallback = false, cold?: ColdStart): void {
    const template = this.attr("href");
    this.listNode.replaceChildren(
      ...results.map((r) =>
        itemCard(r.item, {
          ...(template ? { href: template.replaceAll("{id}", encodeURIComponent(r.id)) } : {}),
          ...(r.reasons[0] ? { reason: reasonText(r.reasons[0]) } : {}),
        }),
      ),
    );
    const message = cold === "message" ? (this.attr("cold-start-text") ?? "Browse a few products and this row follows you.") : "Nothing to recommend yet.";
    this.statusNode.textContent = !results.length ? message : fallback ? "Showing trending items." : "";
    if (cold) this.dataset.coldStart = cold;
    else delete this.dataset.coldStart;
    if (fallback) this.dataset.fallback = "trending";
    else delete this.dataset.fallback;
    this.state(results.length ? "ready" : "empty");
  }

  private state(state: "loading" | "ready" | "empty" | "error"): void {
    this.dataset.state = state;
    this.sectionNode.setAttribute("aria-busy", String(state === "loading"));
    // An empty list is hidden: a screen reader would announce "list, 0 items" before the status says why.
    this.listNode.hidden = !this.listNode.childElementCount;
    if (state === "loading" && !this.listNode.childElementCount) this.statusNode.textContent = "Loading recommendations…";
  }

  private fail(e: unknown): void {
    const error = e instanceof PocketrecError ? e : new PocketrecError(e instanceof Error ? e.message : String(e), "internal");
    this.listNode.replaceChildren();
    this.statusNode.textContent = `Recommendations are unavailable: ${error.message}`;
    this.state("error");
    console.warn(`<pocket-recs>: ${error.message}`);
    this.dispatchEvent(new CustomEvent("pocketrec-error", { detail: error }));
  }
}

/**
 * Defines `<pocket-recs>` (or `name`) in this page's custom element
 * registry, unless it is defined already. The `pocketrec/widget` entry
 * (`pocketrec.js`) calls it on import; a page that imports the
 * side-effect-free `pocketrec` entry calls it itself.
 */
export function definePocketRecs(name = "pocket-recs"): void {
  if (typeof customElements !== "undefined" && !customElements.get(name)) {
    customElements.define(name, name === "pocket-recs" ? PocketRecs : class extends PocketRecs {});
  }
}
