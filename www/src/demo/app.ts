/**
 * The demo shop's pages (shop grid, product, your data, playground). Each
 * page's `<body data-page>` picks its part. The pages use pocketrec the way
 * any site would: `<pocket-recs>` elements, the shared engine and the
 * shopper's history, imported from the public module (the build maps
 * `../index.js` to `../pocketrec/pocketrec.js`, so page and widgets share
 * one engine and one history).
 */
import { fetchedOf, Forecaster, forecastChart, formatPrice, itemCard, reasonText, sharedEngine, sharedHistory, type Engine, type Fetched, type Forecast, type ForecastOptions, type QueryOptions, type Result, type ShopSource } from "../index.js";
import type { Product, SalesHistory } from "./generate.js";
import { ownerDesk } from "./owner.js";

/**
 * The shop's model index (`pocketrec build` writes it at build time, from
 * a log that is never published); item links and images are relative to
 * the shop folder.
 */
const SHOP = { indexUrl: "shop/index/", linkBase: "shop/" } satisfies ShopSource;
/** The product list for the grid: public shop data, as on any shop site. */
const CATALOGUE = "shop/catalogue.json";
const PRODUCT_PAGE = "product.html?id={id}";
const history = sharedHistory();

function $(selector: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`demo page is missing ${selector}`);
  return found;
}

/** A product's picture: its `image` is relative to the catalogue. */
function productImage(p: Product): string {
  return new URL(p.image, new URL(CATALOGUE, document.baseURI)).href;
}

/**
 * Runs `work` now and whenever `form` changes. Only the newest run may
 * show anything (`fresh()` says whether this run still is); a failure of
 * the newest run shows its message in `error`. Returns the runner.
 */
async function live(form: HTMLFormElement, error: HTMLElement, work: (fresh: () => boolean) => Promise<void>): Promise<() => void> {
  let latest = 0;
  const run = async () => {
    const ticket = ++latest;
    const fresh = () => ticket === latest;
    try {
      await work(fresh);
      if (fresh()) error.hidden = true;
    } catch (e) {
      if (!fresh()) return;
      error.hidden = false;
      error.textContent = e instanceof Error ? e.message : String(e);
    }
  };
  form.addEventListener("input", () => void run());
  form.addEventListener("change", () => void run());
  form.addEventListener("submit", (event) => event.preventDefault());
  await run();
  return () => void run();
}

function productHref(id: string): string {
  return PRODUCT_PAGE.replace("{id}", encodeURIComponent(id));
}

/** A `<pocket-recs>` on the demo shop's data. */
function strip(attributes: Record<string, string>): HTMLElement {
  const element = document.createElement("pocket-recs");
  const all: Record<string, string> = { index: SHOP.indexUrl, "link-base": SHOP.linkBase, href: PRODUCT_PAGE, k: "6", ...attributes };
  for (const [name, value] of Object.entries(all)) element.setAttribute(name, value);
  return element;
}

let products: Promise<Product[]> | undefined;
/** The catalogue, for the grid and the product page (the browser caches the file the engine also read). */
function catalogue(): Promise<Product[]> {
  products ??= fetch(CATALOGUE)
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`could not load the catalogue: HTTP ${r.status}`))))
    .then((c: { items: Product[] }) => c.items);
  return products;
}

function engine(): Promise<Engine> {
  return sharedEngine(SHOP);
}

function reportEngine(): void {
  const status = document.getElementById("engine-status");
  engine().then(
    (e) => {
      if (status) status.textContent = `Engine ready: ${e.itemCount} products, ${Math.round(performance.now())} ms after the page started.`;
    },
    (e: unknown) => {
      if (status) status.textContent = `The engine could not start: ${e instanceof Error ? e.message : String(e)}`;
    },
  );
}

// --- Shop: grid, search, strips -------------------------------------------

async function shopPage(): Promise<void> {
  // A new visitor's personal row says how it will work rather than repeat the trending row.
  $("#strips").append(strip({ id: "for-you", mode: "personal", heading: "Recommended for you", "cold-start": "message" }), strip({ id: "trending", mode: "trending", heading: "Trending" }));
  wireSearch();
  const items = await catalogue();
  const departments = [...new Set(items.map((p) => p.category))];
  const chips = $("#departments");
  const grid = $("#grid");
  const show = (department: string | undefined) => {
    grid.replaceChildren(...items.filter((p) => !department || p.category === department).map((p) => itemCard({ ...p, image: productImage(p) }, { href: productHref(p.id) })));
    for (const chip of chips.querySelectorAll("button")) chip.setAttribute("aria-pressed", String((chip.dataset.department || undefined) === department));
  };
  for (const department of [undefined, ...departments]) {
    const chip = document.createElement("button");
    chip.type = "button";
    chip.textContent = department ?? "all";
    chip.dataset.department = department ?? "";
    chip.addEventListener("click", () => show(department));
    chips.append(chip);
  }
  show(undefined);
}

function wireSearch(): void {
  const form = $("#search") as HTMLFormElement;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = String(new FormData(form).get("q") ?? "").trim();
    const section = $("#search-results");
    const list = $("#search-list");
    if (!text) {
      section.hidden = true;
      return;
    }
    const e = await engine();
    const hits = await e.search(text, { k: 12 });
    $("#search-heading").textContent = hits.length ? `Results for “${text}”` : `Nothing matches “${text}”`;
    list.replaceChildren(...cards(hits));
    section.hidden = false;
  });
}

/** Cards with their first reason. */
function cards(results: Result[]): HTMLLIElement[] {
  return results.map((r) => itemCard(r.item, { href: productHref(r.id), ...(r.reasons[0] ? { reason: reasonText(r.reasons[0]) } : {}) }));
}

// --- Product page -----------------------------------------------------------

async function productPage(): Promise<void> {
  const id = new URLSearchParams(location.search).get("id") ?? "";
  const article = $("#product");
  const product = (await catalogue()).find((p) => p.id === id);
  article.setAttribute("aria-busy", "false");
  if (!product) {
    const p = document.createElement("p");
    p.textContent = `There is no product with id “${id}”. `;
    const back = document.createElement("a");
    back.href = "index.html";
    back.textContent = "Back to the shop";
    p.append(back);
    article.replaceChildren(p);
    return;
  }
  document.title = `${product.title} · Pocket Shop`;
  article.replaceChildren(...productDetails(product));
  history.add({ item: product.id, event: "view" });
  $("#strips").append(
    strip({ id: "similar", mode: "similar", item: product.id, model: "content", heading: "Similar items" }),
    strip({ id: "also-bought", mode: "similar", item: product.id, model: "item-knn", heading: "Customers also bought" }),
    strip({ id: "for-you", mode: "personal", heading: "Recommended for you" }),
  );
}

function text<K extends keyof HTMLElementTagNameMap>(tag: K, content: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.textContent = content;
  if (className) node.className = className;
  return node;
}

function productDetails(p: Product): HTMLElement[] {
  const img = document.createElement("img");
  img.src = productImage(p);
  img.alt = "";
  const info = document.createElement("div");
  const tags = document.createElement("ul");
  tags.className = "tags";
  tags.setAttribute("aria-label", "Tags");
  tags.append(...p.tags.map((t) => text("li", t)));
  const status = text("p", "", "reason");
  status.setAttribute("role", "status");
  const actions = document.createElement("div");
  actions.className = "actions";
  for (const [label, event] of [
    ["Add to basket", "cart"],
    ["Buy now", "purchase"],
  ] as const) {
    const button = text("button", label, event === "cart" ? "secondary" : undefined);
    button.type = "button";
    button.addEventListener("click", () => {
      history.add({ item: p.id, event });
      status.textContent = event === "cart" ? "Added to your basket (remembered on this device only)." : "Thank you! (A demo: nothing was bought.)";
    });
    actions.append(button);
  }
  info.append(
    text("h1", p.title),
    text("p", formatPrice(p.price, p.currency), "price"),
    text("p", `${p.brand} · ${p.category} · ${p.inStock ? "in stock" : "out of stock"}`, "meta"),
    text("p", p.description),
    tags,
    actions,
    status,
  );
  return [img, info];
}

// --- Your data ---------------------------------------------------------------

function privacyPage(): void {
  const show = () => {
    const events = history.events();
    $("#stored-summary").textContent = events.length
      ? `${events.length} events are stored under the key “${history.key}”, exactly as below.`
      : `Nothing is stored: the key “${history.key}” is empty.`;
    $("#stored").textContent = history.export();
    const aside = history.setAsideKeys();
    const box = $("#set-aside");
    box.replaceChildren();
    if (aside.length) {
      box.append(text("p", `Values that could not be read were kept, not deleted (“Forget me” removes them too): ${aside.join(", ")}.`));
      for (const key of aside) box.append(text("pre", localStorage.getItem(key) ?? ""));
    }
  };
  history.subscribe(show);
  show();
  $("#forget").addEventListener("click", () => {
    history.clear();
  });
  fetchedFiles();
}

/** A row of "What this page fetched": a file, who fetched it, its size and when. */
interface FileRow extends Fetched {
  by: "page" | "engine";
}

const bytesFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${bytesFormat.format(bytes / 1024)} kB` : `${bytesFormat.format(bytes / 1024 / 1024)} MB`;
}

/**
 * Lists every file the page loaded: the document and its resources (the
 * page's resource timing) and what the engine's worker fetched
 * (`Engine.fetched`, which the page's timing leaves out), kept up to date
 * as either fetches more.
 */
function fetchedFiles(): void {
  const rows: FileRow[] = [];
  const render = () => {
    rows.sort((a, b) => a.at - b.at);
    const here = location.origin;
    const short = (url: string) => (url.startsWith(`${here}/`) ? url.slice(here.length) : url);
    $("#requests tbody").replaceChildren(
      ...rows.map((r) => {
        const row = document.createElement("tr");
        row.dataset.url = r.url;
        row.dataset.by = r.by;
        row.append(text("td", short(r.url), "mono"), text("td", r.by === "page" ? "this page" : "the engine's worker"), text("td", size(r.bytes)), text("td", `${Math.max(0, Math.round(r.at - performance.timeOrigin))} ms`));
        return row;
      }),
    );
    const total = rows.reduce((sum, r) => sum + r.bytes, 0);
    const foreign = rows.filter((r) => !r.url.startsWith(`${here}/`)).length;
    $("#requests-summary").textContent = `${rows.length} files, ${size(total)} in all; ${foreign ? `${foreign} from other sites` : `all from this site (${here})`}.`;
  };
  const add = (files: readonly Fetched[], by: FileRow["by"]) => {
    rows.push(...files.map((f) => ({ ...f, by })));
    render();
  };
  const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  add([{ url: location.href, bytes: navigation?.encodedBodySize ?? 0, transferred: navigation?.transferSize ?? 0, at: performance.timeOrigin, ms: navigation?.duration ?? 0 }], "page");
  const fromPage = (entries: PerformanceEntryList) =>
    add(
      entries.map((e) => fetchedOf(e as PerformanceResourceTiming, performance.timeOrigin)),
      "page",
    );
  // Buffered: the files loaded before this ran come first, then each new one.
  new PerformanceObserver((entries) => fromPage(entries.getEntries())).observe({ type: "resource", buffered: true });
  void engine().then((e) => {
    add(e.fetched(), "engine");
    e.onFetch((files) => add(files, "engine"));
  });
}

// --- Playground --------------------------------------------------------------

const WEIGHTS = [
  ["itemKnn", 1],
  ["content", 0.6],
  ["popular", 0.05],
  ["sequential", 0.5],
] as const;

async function playgroundPage(): Promise<void> {
  const form = $("#knobs") as HTMLFormElement;
  const weightsBox = $("#weights");
  for (const [name, value] of WEIGHTS) {
    const label = document.createElement("label");
    const input = document.createElement("input");
    Object.assign(input, { type: "range", name: `w-${name}`, min: "0", max: "2", step: "0.05", value: String(value) });
    const output = document.createElement("output");
    output.textContent = String(value);
    input.addEventListener("input", () => (output.textContent = input.value));
    label.append(`${name} `, input, output);
    weightsBox.append(label);
  }
  const items = await catalogue();
  const select = form.elements.namedItem("item") as HTMLSelectElement;
  select.append(...items.map((p) => new Option(`${p.title} (${p.id})`, p.id)));
  const categories = form.elements.namedItem("category") as HTMLSelectElement;
  categories.append(...[...new Set(items.map((p) => p.category))].map((c) => new Option(c, c)));
  const e = await engine();
  const run = await live(form, $("#query-error"), async (fresh) => {
    const { options, call, code } = playgroundQuery(form);
    $("#code").textContent = code;
    const started = performance.now();
    const results = await call(e, options);
    const ms = performance.now() - started;
    if (!fresh()) return;
    $("#timing").textContent = `${results.length} results in ${ms.toFixed(2)} ms`;
    playgroundTable(results);
  });
  history.subscribe(run);
}

function playgroundQuery(form: HTMLFormElement): { options: QueryOptions; call: (e: Engine, o: QueryOptions) => Promise<Result[]>; code: string } {
  const data = new FormData(form);
  const value = (name: string) => String(data.get(name) ?? "");
  const options: QueryOptions = { k: Number(value("k")) || 8, model: value("model") as NonNullable<QueryOptions["model"]> };
  if (options.model === "hybrid") options.weights = Object.fromEntries(WEIGHTS.map(([name]) => [name, Number(value(`w-${name}`))]));
  const diversity = Number(value("diversity"));
  (form.elements.namedItem("diversityOut") as HTMLOutputElement).value = String(diversity);
  if (diversity > 0) options.diversity = diversity;
  const filter: NonNullable<QueryOptions["filter"]> = {};
  if (value("category")) filter.categories = [value("category")];
  if (data.get("inStockOnly")) filter.inStockOnly = true;
  if (value("minPrice") !== "") filter.minPrice = Number(value("minPrice"));
  if (value("maxPrice") !== "") filter.maxPrice = Number(value("maxPrice"));
  if (Object.keys(filter).length) options.filter = filter;
  const json = JSON.stringify(options);
  switch (value("ask")) {
    case "similar":
      return { options, call: (e, o) => e.similarItems(value("item"), o), code: `await engine.similarItems(${JSON.stringify(value("item"))}, ${json});` };
    case "search":
      return { options, call: (e, o) => e.search(value("text"), o), code: `await engine.search(${JSON.stringify(value("text"))}, ${json});` };
    case "trending":
      return { options, call: (e, o) => e.popular(o), code: `await engine.popular(${json});` };
    default:
      return { options, call: (e, o) => e.recommend(history.events(), o), code: `await engine.recommend(history.events(), ${json});\n// history: ${history.events().length} events` };
  }
}

function playgroundTable(results: Result[]): void {
  const rows = results.map((r, i) => {
    const row = document.createElement("tr");
    const link = text("a", r.item.title);
    link.href = productHref(r.id);
    const name = document.createElement("td");
    name.append(link);
    row.append(text("td", String(i + 1)), name, text("td", r.score.toFixed(4)), text("td", r.reasons.map(reasonText).join("; ")));
    return row;
  });
  $("#results tbody").replaceChildren(...rows);
}

// --- Forecasts: the shop owner's page and the playground's series -----------

let forecasterPromise: Promise<Forecaster> | undefined;
/** A worker for forecasts (no shop needed). */
function forecasts(): Promise<Forecaster> {
  forecasterPromise ??= Forecaster.create();
  return forecasterPromise;
}

const units = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** Month `i` after `start` (`YYYY-MM`), as "Nov 26". */
function monthLabel(start: string, i: number): string {
  const date = new Date(Date.UTC(Number(start.slice(0, 4)), Number(start.slice(5, 7)) - 1 + i, 1));
  return new Intl.DateTimeFormat(undefined, { month: "short", year: "2-digit", timeZone: "UTC" }).format(date);
}

async function ownerPage(): Promise<void> {
  const sales = (await fetch("shop/sales.json").then((r) => (r.ok ? r.json() : Promise.reject(new Error(`could not load shop/sales.json: HTTP ${r.status}`))))) as SalesHistory;
  const form = $("#owner") as HTMLFormElement;
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
  const select = field("product") as HTMLSelectElement;
  select.append(...sales.series.map((s) => new Option(`${s.title} (${s.kind === "intermittent" ? "slow mover" : "regular"})`, s.id)));
  const fromUrl = new URLSearchParams(location.search).get("id");
  if (fromUrl && sales.series.some((s) => s.id === fromUrl)) select.value = fromUrl;
  const chooseStock = () => {
    field("stock").value = String(sales.series.find((s) => s.id === select.value)?.stock ?? 0);
  };
  chooseStock();
  select.addEventListener("change", chooseStock);
  const forecaster = await forecasts();
  const desk = ownerDesk(forecaster, CATALOGUE);
  await live(form, $("#forecast-error"), async (fresh) => {
    const series = sales.series.find((s) => s.id === select.value);
    if (!series) return;
    const number = (name: string) => Number(field(name).value);
    const options: ForecastOptions = {
      horizon: number("horizon"),
      seasonLength: sales.seasonLength,
      model: field("model").value as NonNullable<ForecastOptions["model"]>,
      inventory: { leadTime: number("leadTime"), serviceLevel: number("serviceLevel"), stock: number("stock") },
    };
    const started = performance.now();
    const result = await forecaster.forecast(series.values, options);
    const ms = performance.now() - started;
    if (!fresh()) return;
    const label = (i: number) => monthLabel(sales.start, i);
    $("#chart").replaceChildren(forecastChart(series.values, result, { label, what: `Monthly unit sales of ${series.title}` }));
    $("#forecast-summary").textContent = `${result.model}, season ${result.seasonLength}; forecast in ${ms.toFixed(1)} ms (in the page, including the round trip to the worker).`;
    $("#reorder").textContent = reorderText(result, options, series.values.length, label);
    forecastTable(result, series.values.length, label);
  });
  await desk;
}

function reorderText(result: Forecast, options: ForecastOptions, n: number, label: (i: number) => string): string {
  const plan = result.inventory;
  if (!plan) return "";
  const stock = options.inventory?.stock ?? 0;
  const parts = [
    `Expected demand over the ${plan.leadTime}-month lead time: ${units.format(plan.leadTimeDemand)} units.`,
    `For a ${plan.serviceLevel}% chance of not running out in that time, keep ${units.format(plan.safetyStock)} units of safety stock: reorder when stock on hand and on order falls to ${units.format(plan.reorderPoint)} units.`,
    stock <= plan.reorderPoint ? `With ${units.format(stock)} on hand, reorder now.` : `With ${units.format(stock)} on hand, no need to reorder yet.`,
    plan.stockoutPeriod === null
      ? `The stock on hand covers the expected demand of the whole forecast.`
      : `Without a new order, expected demand uses up the stock on hand in ${label(n + plan.stockoutPeriod - 1)} (month ${plan.stockoutPeriod}).`,
  ];
  return parts.join(" ");
}

function forecastTable(result: Forecast, n: number, label: (i: number) => string): void {
  const band = (level: number, h: number) => {
    const b = result.intervals.find((x) => x.level === level);
    return b ? `${units.format(b.lower[h] ?? 0)} – ${units.format(b.upper[h] ?? 0)}` : "";
  };
  const rows = result.point.map((p, h) => {
    const row = document.createElement("tr");
    row.append(text("td", label(n + h)), text("td", units.format(p)), text("td", band(80, h)), text("td", band(95, h)));
    return row;
  });
  $("#forecast-table tbody").replaceChildren(...rows);
}

/** A made-up series for the playground: three years of monthly sales with a December peak. */
const SAMPLE_SERIES = "112 104 118 121 127 135 131 128 140 152 178 231 126 119 133 138 141 150 149 146 158 171 199 262 140 131 149 151 160 168 165 161 177 190 221 290";

/** Numbers from pasted text; says which entry is not a number. */
function parseSeries(textValue: string): number[] {
  const parts = textValue.split(/[\s,;]+/).filter(Boolean);
  return parts.map((part, i) => {
    const value = Number(part);
    if (!Number.isFinite(value)) throw new Error(`value ${i + 1} ("${part}") is not a number`);
    return value;
  });
}

async function playgroundForecast(): Promise<void> {
  const form = $("#fc") as HTMLFormElement;
  const values = form.elements.namedItem("values") as HTMLTextAreaElement;
  values.value = SAMPLE_SERIES;
  const forecaster = await forecasts();
  await live(form, $("#fc-error"), async (fresh) => {
    const data = new FormData(form);
    const series = parseSeries(String(data.get("values") ?? ""));
    const options: ForecastOptions = { horizon: Number(data.get("horizon")) || 12, model: String(data.get("model")) as NonNullable<ForecastOptions["model"]> };
    const season = String(data.get("seasonLength") ?? "");
    if (season !== "") options.seasonLength = Number(season);
    const started = performance.now();
    const result = await forecaster.forecast(series, options);
    const ms = performance.now() - started;
    if (!fresh()) return;
    $("#fc-chart").replaceChildren(forecastChart(series, result, { what: "Pasted series" }));
    $("#fc-status").textContent = `${result.model}, season ${result.seasonLength}: next ${units.format(result.point[0] ?? 0)}; ${ms.toFixed(1)} ms`;
  });
}

// --- Start -------------------------------------------------------------------

const pages: Record<string, () => void | Promise<void>> = {
  shop: shopPage,
  product: productPage,
  privacy: privacyPage,
  playground: () => Promise.all([playgroundPage(), playgroundForecast()]).then(() => {}),
  owner: ownerPage,
  // The docs page is its <pocket-playground> elements: nothing more to start.
  docs: () => {},
};
const page = pages[document.body.dataset.page ?? ""];
if (document.body.dataset.page !== "owner") reportEngine();
for (const link of document.querySelectorAll<HTMLAnchorElement>("nav a")) {
  if (link.pathname === location.pathname) link.setAttribute("aria-current", "page");
}
Promise.resolve(page?.()).catch((e: unknown) => {
  const message = text("p", `This page could not start: ${e instanceof Error ? e.message : String(e)}`, "error");
  message.setAttribute("role", "alert");
  document.querySelector("main")?.prepend(message);
});
