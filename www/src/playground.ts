/**
 * `<pocket-playground>`: a live example for documentation pages. It runs one
 * query on a shop (a model index, or a catalogue fitted in the page), shows
 * the results with their reasons and scores, offers a few knobs, and shows
 * the query as code: the `Engine` call and the `<pocket-recs>` tag that
 * give the same list.
 *
 * ```html
 * <pocket-playground index="/pocketrec/" ask="similar" item="sku-1" items="sku-1,sku-2"
 *   knobs="model,k,item" heading="Similar products"></pocket-playground>
 * ```
 *
 * Attributes (all optional except `index` or `catalogue`):
 *
 * | attribute | meaning | default |
 * |---|---|---|
 * | `index`, `link-base`, `catalogue`, `interactions`, `config` | where the shop lives, as on `<pocket-recs>` | |
 * | `ask` | `similar` (to `item`), `recommend` (for a history), `trending`, `search` (for `text`) | `similar` with `item`, `search` with `text`, else `recommend` |
 * | `item` | the item for `similar` | |
 * | `items` | the choices of the `item` knob, comma-separated ids | `item` |
 * | `history` | for `recommend`: ids the example shopper viewed, oldest first, comma-separated | the visitor's own history |
 * | `text` | the search text | |
 * | `model` | the model queried | `hybrid` |
 * | `models` | the choices of the `model` knob | `hybrid,content,item-knn,sequential,popular` |
 * | `k` | number of results, 1–20 | 5 |
 * | `diversity` | MMR diversity, 0–1 | 0 |
 * | `weights` | the hybrid's blend weights, `itemKnn:1, content:0.6` (or JSON) | the shop's |
 * | `knobs` | the controls shown: any of `model`, `k`, `diversity`, `item`, `text` | `model,k` |
 * | `href` | link template for results, `{id}` is replaced (URL-encoded) | the item's `url` |
 * | `heading` | the example's heading (and accessible name) | none |
 * | `history-key` | localStorage key of the visitor's history | `pocketrec:history` |
 *
 * Everything runs in the shop's shared engine (one worker per page, shared
 * with every `<pocket-recs>`), under a strict CSP (no inline script or
 * style: the styles are a constructed sheet). The knobs are native form
 * controls with labels, so the example works by keyboard. Catalogue text
 * goes in as text, never as HTML. It fires `pocketrec-results` (`detail:
 * {results, ms, code}`) after each run, and keeps `data-state` (`loading`,
 * `ready`, `empty`, `error`) as `<pocket-recs>` does.
 */
import { parseWeights, reasonText, safeUrl } from "./display.js";
import { PocketrecError, type Engine, type HistoryEvent, type QueryOptions, type Result, type ShopSource } from "./engine.js";
import { indexFolder } from "./core.js";
import { adoptStyles, sharedEngine, sharedHistory } from "./widget.js";

const STYLE = `
:host { display: block; font-family: var(--pocketrec-font, inherit); color: var(--pocketrec-text, inherit);
  border: 1px solid var(--pocketrec-card-border, #ccc); border-radius: var(--pocketrec-radius, 8px); padding: 12px; }
:host([hidden]) { display: none; }
h3 { font-size: 1em; margin: 0 0 .5em; }
form { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; margin: 0 0 8px; }
.knob { display: flex; flex-direction: column; gap: 2px; font-size: .85em; }
select, input { font: inherit; }
input[type=range] { width: 8em; }
:focus-visible { outline: 2px solid var(--pocketrec-accent, #1a4fb8); outline-offset: 2px; }
ol { margin: 0; padding-left: 1.6em; display: grid; gap: 4px; }
li { line-height: 1.35; }
a { color: var(--pocketrec-accent, inherit); }
.reason, .status { color: var(--pocketrec-muted, #555); font-size: .85em; }
.score { font-variant-numeric: tabular-nums; color: var(--pocketrec-muted, #555); font-size: .85em; }
.status { margin: 0 0 6px; }
pre { background: var(--pocketrec-code-bg, #f5f5f5); color: inherit; border-radius: 6px; padding: 8px; margin: 8px 0 0;
  overflow-x: auto; font-size: .8em; white-space: pre; }
`;

/** The questions a playground can ask. */
const ASKS = ["similar", "recommend", "trending", "search"] as const;
type Ask = (typeof ASKS)[number];
/** The knobs a playground can show. */
const KNOBS = ["model", "k", "diversity", "item", "text"] as const;
type Knob = (typeof KNOBS)[number];
const DEFAULT_MODELS = "hybrid,content,item-knn,sequential,popular";
/** Reasons shown per result. */
const MAX_REASONS = 3;

/** A comma-separated attribute as a list (blanks dropped). */
function list(value: string | null): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

/** One playground run: what to ask, and how it reads as code. */
interface Query {
  ask: Ask;
  options: QueryOptions;
  item: string;
  text: string;
  history: HistoryEvent[] | undefined;
}

/** `value` as a JavaScript literal (JSON is one). */
const js = (value: unknown) => JSON.stringify(value);

/** The `Engine` call a query makes, as code a reader can copy. */
export function queryCode(query: Query, source: ShopSource): string {
  const where = source.indexUrl !== undefined ? js({ indexUrl: source.indexUrl }) : js({ catalogueUrl: source.catalogueUrl, ...(source.interactionsUrl ? { interactionsUrl: source.interactionsUrl } : {}) });
  const options = js(query.options);
  const call = {
    similar: `engine.similarItems(${js(query.item)}, ${options})`,
    recommend: query.history ? `engine.recommend(${js(query.history.map((e) => ({ item: e.item, event: e.event })))}, ${options})` : `engine.recommend(sharedHistory().events(), ${options})`,
    trending: `engine.popular(${options})`,
    search: `engine.search(${js(query.text)}, ${options})`,
  }[query.ask];
  return `const engine = await Engine.create(${where});\nconst results = await ${call};`;
}

/** The `<pocket-recs>` tag that shows the same list, where one does (not for search or a made-up history). */
export function widgetCode(query: Query, source: ShopSource): string | undefined {
  if (query.ask === "search" || (query.ask === "recommend" && query.history)) return undefined;
  const attributes: [string, string][] = source.indexUrl !== undefined ? [["index", source.indexUrl]] : [["catalogue", source.catalogueUrl]];
  attributes.push(["mode", { similar: "similar", recommend: "personal", trending: "trending" }[query.ask]]);
  if (query.ask === "similar") attributes.push(["item", query.item]);
  if (query.options.model && query.options.model !== "hybrid") attributes.push(["model", query.options.model]);
  attributes.push(["k", String(query.options.k ?? 4)]);
  if (query.options.diversity) attributes.push(["diversity", String(query.options.diversity)]);
  const quote = (v: string) => v.replaceAll("&", "&amp;").replaceAll('"', "&quot;");
  const written = attributes.map(([name, value]) => `${name}="${quote(value)}"`);
  // Two attributes a line after the first two, so the tag reads without scrolling.
  const lines = [written.slice(0, 2).join(" ")];
  for (let i = 2; i < written.length; i += 3) lines.push(written.slice(i, i + 3).join(" "));
  return `<pocket-recs ${lines.join("\n             ")}></pocket-recs>`;
}

function node<K extends keyof HTMLElementTagNameMap>(tag: K, part: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.setAttribute("part", part);
  element.className = part;
  if (text !== undefined) element.textContent = text;
  return element;
}

export class PocketPlayground extends HTMLElement {
  static readonly observedAttributes = ["index", "link-base", "catalogue", "interactions", "config", "ask", "item", "items", "history", "text", "model", "models", "k", "diversity", "weights", "knobs", "href", "heading", "history-key"];

  private readonly root: ShadowRoot;
  private readonly sectionNode = node("section", "playground");
  private readonly headingNode = node("h3", "heading");
  private readonly formNode = node("form", "knobs");
  private readonly statusNode = node("p", "status");
  private readonly listNode = node("ol", "results");
  private readonly codeNode = node("pre", "code");
  private generation = 0;
  private scheduled = false;
  /** Whether the scheduled run remakes the knobs from the attributes first. */
  private rebuildPending = false;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: "open" });
    adoptStyles(this.root, STYLE);
    this.headingNode.id = "heading";
    this.statusNode.setAttribute("role", "status");
    // The code block scrolls sideways on a phone: focusable, so a keyboard can scroll it.
    this.codeNode.tabIndex = 0;
    // A pre has no role that may carry a name; a group may (a region would add a landmark per example).
    this.codeNode.setAttribute("role", "group");
    this.codeNode.setAttribute("aria-label", "The query as code");
    this.formNode.addEventListener("input", () => this.schedule(false));
    this.formNode.addEventListener("change", () => this.schedule(false));
    this.formNode.addEventListener("submit", (event) => event.preventDefault());
    this.sectionNode.append(this.headingNode, this.formNode, this.statusNode, this.listNode, this.codeNode);
    this.root.append(this.sectionNode);
  }

  connectedCallback(): void {
    this.schedule(true);
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.schedule(true);
  }

  /** Runs the query again now. */
  refresh(): Promise<void> {
    return this.run(false);
  }

  /** Several changes in one task give one run; `rebuild` remakes the knobs from the attributes first. */
  private schedule(rebuild: boolean): void {
    this.rebuildPending ||= rebuild;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      const again = this.rebuildPending;
      this.rebuildPending = false;
      void this.run(again);
    });
  }

  private source(): ShopSource | undefined {
    const index = this.getAttribute("index");
    const linkBase = this.getAttribute("link-base");
    if (index) return { indexUrl: indexFolder(index), ...(linkBase ? { linkBase } : {}) };
    const catalogueUrl = this.getAttribute("catalogue");
    if (!catalogueUrl) return undefined;
    const interactionsUrl = this.getAttribute("interactions");
    const configUrl = this.getAttribute("config");
    return { catalogueUrl, ...(interactionsUrl ? { interactionsUrl } : {}), ...(configUrl ? { configUrl } : {}) };
  }

  private get ask(): Ask {
    const ask = this.getAttribute("ask") ?? (this.getAttribute("item") ? "similar" : this.getAttribute("text") ? "search" : "recommend");
    if ((ASKS as readonly string[]).includes(ask)) return ask as Ask;
    throw new PocketrecError(`ask "${ask}" is not one of ${ASKS.join(", ")}`, "invalid_value");
  }

  private knobs(): Knob[] {
    const knobs = list(this.getAttribute("knobs") ?? "model,k");
    for (const knob of knobs) {
      if (!(KNOBS as readonly string[]).includes(knob)) throw new PocketrecError(`knobs: "${knob}" is not one of ${KNOBS.join(", ")}`, "invalid_value");
    }
    return knobs as Knob[];
  }

  /** The knobs' form controls, made from the attributes (item titles from the engine). */
  private async buildKnobs(engine: Engine): Promise<void> {
    const controls: HTMLElement[] = [];
    for (const knob of this.knobs()) controls.push(await this.knob(knob, engine));
    this.formNode.replaceChildren(...controls);
    this.formNode.hidden = controls.length === 0;
    // No name: a named form is a landmark, and a page of examples would list one per example, all
    // alike ("Query options"). The section, named by the heading, holds the knobs; each has its label.
  }

  /** A knob's control with its label: the control inside its label, or a slider beside its label and value. */
  private async knob(knob: Knob, engine: Engine): Promise<HTMLElement> {
    const label = node("label", "knob");
    switch (knob) {
      case "model": {
        const select = document.createElement("select");
        select.name = "model";
        select.append(...list(this.getAttribute("models") ?? DEFAULT_MODELS).map((m) => new Option(m, m)));
        select.value = this.getAttribute("model") ?? "hybrid";
        label.append("Model", select);
        break;
      }
      case "k":
      case "diversity": {
        const input = document.createElement("input");
        const output = document.createElement("output");
        const [min, max, step, fallback] = knob === "k" ? ["1", "20", "1", "5"] : ["0", "1", "0.1", "0"];
        Object.assign(input, { type: "range", name: knob, min, max, step, value: this.getAttribute(knob) ?? fallback });
        input.id = `knob-${knob}`;
        output.textContent = input.value;
        output.htmlFor.add(input.id);
        input.addEventListener("input", () => (output.textContent = input.value));
        // An <output> is labelable too: inside the label it would take the label from the slider.
        const caption = document.createElement("label");
        caption.htmlFor = input.id;
        caption.textContent = knob === "k" ? "Results" : "Diversity";
        const line = document.createElement("span");
        line.append(caption, " ", output);
        const box = node("div", "knob");
        box.append(line, input);
        return box;
      }
      case "item": {
        const select = document.createElement("select");
        select.name = "item";
        const ids = list(this.getAttribute("items") ?? this.getAttribute("item"));
        const views = await engine.items(ids);
        select.append(...views.map((v) => new Option(v.title, v.id)));
        select.value = this.getAttribute("item") ?? ids[0] ?? "";
        label.append("Item", select);
        break;
      }
      case "text": {
        const input = document.createElement("input");
        Object.assign(input, { type: "search", name: "text", value: this.getAttribute("text") ?? "", autocomplete: "off" });
        label.append("Search for", input);
        break;
      }
    }
    return label;
  }

  /** The query as the knobs (else the attributes) set it. */
  private query(): Query {
    const form = this.formNode.elements;
    const value = (name: string) => (form.namedItem(name) as HTMLInputElement | HTMLSelectElement | null)?.value ?? this.getAttribute(name);
    const k = Number(value("k") ?? 5);
    if (!Number.isInteger(k) || k < 1 || k > 20) throw new PocketrecError(`k "${value("k")}" is not a whole number from 1 to 20`, "invalid_value");
    const options: QueryOptions = { k };
    const model = value("model");
    if (model && model !== "hybrid") options.model = model as NonNullable<QueryOptions["model"]>;
    const diversity = Number(value("diversity") ?? 0);
    if (diversity > 0) options.diversity = diversity;
    const weights = this.getAttribute("weights");
    if (weights) options.weights = parseWeights(weights);
    const history = this.getAttribute("history");
    return {
      ask: this.ask,
      options,
      item: value("item") ?? "",
      text: value("text") ?? "",
      history: history === null ? undefined : list(history).map((item) => ({ item, event: "view" })),
    };
  }

  private events(query: Query): readonly HistoryEvent[] {
    if (query.history) return query.history;
    const history = sharedHistory(this.getAttribute("history-key") ?? undefined);
    this.unsubscribe ??= history.subscribe(() => this.schedule(false));
    return history.events();
  }

  private call(engine: Engine, query: Query): Promise<Result[]> {
    switch (query.ask) {
      case "similar":
        if (!query.item) throw new PocketrecError(`ask "similar" needs an item attribute`, "invalid_value");
        return engine.similarItems(query.item, query.options);
      case "recommend":
        return engine.recommend(this.events(query), query.options);
      case "trending":
        return engine.popular(query.options);
      case "search":
        return engine.search(query.text, query.options);
    }
  }

  private async run(rebuild: boolean): Promise<void> {
    const generation = ++this.generation;
    const fresh = () => generation === this.generation;
    this.headingNode.textContent = this.getAttribute("heading") ?? "";
    this.headingNode.hidden = !this.headingNode.textContent;
    if (this.headingNode.textContent) this.sectionNode.setAttribute("aria-labelledby", "heading");
    else this.sectionNode.removeAttribute("aria-labelledby");
    this.state("loading");
    try {
      const source = this.source();
      if (!source) throw new PocketrecError("<pocket-playground> needs an index attribute (a model index folder) or a catalogue attribute (a catalogue JSON)", "invalid_value");
      const engine = await sharedEngine(source);
      if (rebuild && fresh()) await this.buildKnobs(engine);
      if (!fresh()) return;
      const query = this.query();
      const widget = widgetCode(query, source);
      const code = queryCode(query, source) + (widget ? `\n\n<!-- the same list on a page -->\n${widget}` : "");
      this.codeNode.textContent = code;
      const started = performance.now();
      const results = await this.call(engine, query);
      const ms = performance.now() - started;
      if (!fresh()) return;
      this.show(results, ms);
      this.dispatchEvent(new CustomEvent("pocketrec-results", { detail: { results, ms, code } }));
    } catch (e) {
      if (fresh()) this.fail(e);
    }
  }

  private show(results: Result[], ms: number): void {
    const template = this.getAttribute("href");
    this.listNode.replaceChildren(...results.map((r) => this.row(r, template)));
    this.statusNode.textContent = results.length ? `${results.length} results in ${ms.toFixed(1)} ms, computed in this browser` : "No results for this query.";
    this.state(results.length ? "ready" : "empty");
  }

  /** A result: its title (a link when it has one), score and every reason, all as text. */
  private row(r: Result, template: string | null): HTMLLIElement {
    const li = node("li", "result");
    li.dataset.id = r.id;
    const href = safeUrl(template ? template.replaceAll("{id}", encodeURIComponent(r.id)) : r.item.url, document.baseURI);
    const title = href ? node("a", "link", r.item.title) : node("span", "title", r.item.title);
    if (href) (title as HTMLAnchorElement).href = href;
    li.append(title, " ", node("span", "score", `score ${r.score.toFixed(3)}`));
    // The strongest three reasons: a hybrid result can have a reason per history item.
    const reasons = r.reasons.slice(0, MAX_REASONS).map(reasonText).join("; ") + (r.reasons.length > MAX_REASONS ? "; …" : "");
    if (reasons) li.append(document.createElement("br"), node("span", "reason", reasons));
    return li;
  }

  private state(state: "loading" | "ready" | "empty" | "error"): void {
    this.dataset.state = state;
    this.sectionNode.setAttribute("aria-busy", String(state === "loading"));
    if (state === "loading" && !this.listNode.childElementCount) this.statusNode.textContent = "Loading…";
  }

  private fail(e: unknown): void {
    const error = e instanceof PocketrecError ? e : new PocketrecError(e instanceof Error ? e.message : String(e), "internal");
    this.listNode.replaceChildren();
    this.statusNode.textContent = `The example could not run: ${error.message}`;
    this.state("error");
    console.warn(`<pocket-playground>: ${error.message}`);
    this.dispatchEvent(new CustomEvent("pocketrec-error", { detail: error }));
  }
}

/** Defines `<pocket-playground>` (or `name`), unless it is defined already; the drop-in entry calls it on import. */
export function definePocketPlayground(name = "pocket-playground"): void {
  if (typeof customElements !== "undefined" && !customElements.get(name)) {
    customElements.define(name, name === "pocket-playground" ? PocketPlayground : class extends PocketPlayground {});
  }
}
