/**
 * The owner's desk on the demo's owner page: a reorder plan for every
 * product (a sortable table, the ABC/XYZ matrix, a product's forecast
 * chart) and customer segments (a table and a recency-against-spend
 * scatter), both computed by the forecasting module in a worker from an
 * order log: the demo shop's made-up orders, generated in this page, or a
 * file the owner drops on it. The file is read by the browser and goes
 * nowhere: there is no upload, and the page fetches nothing for it.
 */
import { forecastChart, ticks, type Forecaster, type StockPlanProduct, type Segments, type StockPlan, type StockPlanOptions } from "../index.js";
import { generateOrders, type Product } from "./generate.js";

const SVG = "http://www.w3.org/2000/svg";
/** The plan table shows this many rows (sorted and filtered first); a shop's 4,000 products stay responsive. */
const MAX_ROWS = 300;

const units = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

function $(selector: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`owner page is missing ${selector}`);
  return found;
}

function cell(tag: "td" | "th", value: string): HTMLTableCellElement {
  const element = document.createElement(tag);
  element.textContent = value;
  return element;
}

/** An order log and, optionally, stock on hand and the catalogue it uses. */
interface Orders {
  name: string;
  orders: string;
  stock?: string;
  catalogue?: string;
}

/** The sortable columns of the plan: header, value for sorting, text for the cell. */
const COLUMNS: { key: string; label: string; value: (p: StockPlanProduct) => number | string; text: (p: StockPlanProduct) => string }[] = [
  { key: "urgency", label: "#", value: () => 0, text: () => "" },
  { key: "id", label: "product", value: (p) => p.title || p.id, text: (p) => p.title || p.id },
  { key: "abc", label: "ABC", value: (p) => p.abc, text: (p) => p.abc },
  { key: "xyz", label: "XYZ", value: (p) => p.xyz, text: (p) => p.xyz },
  { key: "revenue", label: "revenue", value: (p) => p.revenue, text: (p) => money.format(p.revenue) },
  { key: "leadTimeDemand", label: "lead-time demand (interval)", value: (p) => p.leadTimeDemand, text: (p) => `${units.format(p.leadTimeDemand)} (${units.format(p.lower)}–${units.format(p.upper)})` },
  { key: "reorderPoint", label: "reorder point", value: (p) => p.reorderPoint, text: (p) => units.format(p.reorderPoint) },
  { key: "stock", label: "on hand", value: (p) => p.stock ?? -1, text: (p) => (p.stock === null ? "–" : units.format(p.stock)) },
  { key: "daysOfCover", label: "days of cover", value: (p) => p.daysOfCover ?? Infinity, text: (p) => (p.daysOfCover === null ? "–" : decimal.format(p.daysOfCover)) },
  { key: "stockoutRisk", label: "stock-out risk", value: (p) => p.stockoutRisk ?? -1, text: (p) => (p.stockoutRisk === null ? "–" : percent.format(p.stockoutRisk)) },
  { key: "orderQuantity", label: "order", value: (p) => p.orderQuantity, text: (p) => units.format(p.orderQuantity) },
];

/** Starts the desk: the demo's orders first; a dropped file replaces them. */
export async function ownerDesk(forecaster: Forecaster, catalogueUrl: string): Promise<void> {
  const catalogueText = await fetch(catalogueUrl).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`could not load ${catalogueUrl}: HTTP ${r.status}`))));
  const items = (JSON.parse(catalogueText) as { items: Product[] }).items;
  const sample = (): Orders => ({ name: "the demo shop's made-up orders", ...generateOrders(items), catalogue: catalogueText });
  const form = $("#desk") as HTMLFormElement;
  const error = $("#desk-error");
  const plan = new PlanView(forecaster);
  let current = sample();
  let latest = 0;
  const run = async () => {
    const ticket = ++latest;
    const data = new FormData(form);
    const skipBadLines = data.get("skipBadLines") === "on";
    const options: StockPlanOptions = {
      period: String(data.get("period")) === "month" ? "month" : "week",
      leadTime: Number(data.get("leadTime")),
      serviceLevel: Number(data.get("serviceLevel")),
      skipBadLines,
      ...(current.stock ? { stockCsv: current.stock } : {}),
      ...(current.catalogue ? { catalogJson: current.catalogue } : {}),
    };
    const k = String(data.get("k"));
    $("#orders-source").textContent = `Order log: ${current.name} (${units.format(current.orders.length / 1024)} KB, read in this browser, not uploaded).`;
    const started = performance.now();
    // Each stands alone: a log too small for segments still gets its plan.
    const [stock, segments] = await Promise.allSettled([
      forecaster.stockPlan(current.orders, options),
      forecaster.segmentCustomers(current.orders, { k: k === "auto" ? "auto" : Number(k), skipBadLines, ...(current.catalogue ? { catalogJson: current.catalogue } : {}) }),
    ]);
    if (ticket !== latest) return;
    const ms = performance.now() - started;
    if (stock.status === "fulfilled") plan.show(stock.value, ms);
    if (segments.status === "fulfilled") showSegments(segments.value);
    const failed = [stock, segments].flatMap((r) => (r.status === "rejected" ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
    error.hidden = failed.length === 0;
    error.textContent = [...new Set(failed)].join(" ");
  };
  form.addEventListener("change", () => void run());
  form.addEventListener("submit", (event) => event.preventDefault());
  $("#orders-sample").addEventListener("click", () => {
    current = sample();
    void run();
  });
  const take = async (files: FileList | null) => {
    if (!files?.length) return;
    const texts = await Promise.all([...files].map(async (f) => ({ name: f.name, text: await f.text() })));
    // A file whose header has a stock column and no time column is stock on hand; the rest is the order log.
    const isStock = (text: string) => /(^|,)\s*(stock|on_?hand)\s*(,|$)/i.test(text.split("\n", 1)[0] ?? "") && !/date|time/i.test(text.split("\n", 1)[0] ?? "");
    const log = texts.find((t) => !isStock(t.text));
    const stock = texts.find((t) => isStock(t.text));
    if (!log) {
      error.hidden = false;
      error.textContent = `None of ${texts.map((t) => t.name).join(", ")} is an order log (a CSV with a product and a date column).`;
      return;
    }
    current = { name: log.name + (stock ? ` with stock from ${stock.name}` : ""), orders: log.text, ...(stock ? { stock: stock.text } : {}) };
    await run();
  };
  const input = form.elements.namedItem("file") as HTMLInputElement;
  input.addEventListener("change", (event) => {
    event.stopPropagation();
    void take(input.files);
  });
  const zone = $("#orders-drop");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    void take(event.dataTransfer?.files ?? null);
  });
  await run();
}

/** The plan's table, matrix and chart, with the sort and filter the owner chose. */
class PlanView {
  private plan: StockPlan | undefined;
  private sort = { key: "urgency", descending: false };
  private filter: string | undefined;

  constructor(private readonly forecaster: Forecaster) {
    const head = document.createElement("tr");
    for (const column of COLUMNS) {
      const th = cell("th", "");
      th.scope = "col";
      th.dataset.key = column.key;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = column.label;
      button.addEventListener("click", () => {
        this.sort = { key: column.key, descending: this.sort.key === column.key ? !this.sort.descending : column.key !== "urgency" && column.key !== "id" };
        this.render();
      });
      th.append(button);
      head.append(th);
    }
    $("#plan thead").replaceChildren(head);
  }

  show(plan: StockPlan, ms: number): void {
    this.plan = plan;
    const counts = plan.abc as Record<string, number>;
    $("#plan-summary").textContent = `${units.format(plan.products.length)} products (A ${counts.A}, B ${counts.B}, C ${counts.C}); ${plan.history.periods} ${plan.period}s of history up to ${plan.asOf}; lead time ${plan.leadTime} ${plan.period}s, service level ${plan.serviceLevel}%; plan and segments in ${units.format(ms)} ms in this browser.`;
    this.matrix();
    this.render();
  }

  private matrix(): void {
    const plan = this.plan;
    if (!plan) return;
    const matrix = plan.matrix as Record<string, number>;
    const rows = ["A", "B", "C"].map((abc) => {
      const row = document.createElement("tr");
      row.append(Object.assign(cell("th", abc), { scope: "row" }));
      for (const xyz of ["X", "Y", "Z"]) {
        const key = abc + xyz;
        const button = document.createElement("button");
        button.type = "button";
        button.className = "secondary";
        button.textContent = units.format(matrix[key] ?? 0);
        button.setAttribute("aria-pressed", String(this.filter === key));
        button.setAttribute("aria-label", `${matrix[key] ?? 0} products in class ${key}: show only them`);
        button.addEventListener("click", () => {
          this.filter = this.filter === key ? undefined : key;
          this.matrix();
          this.render();
        });
        const td = document.createElement("td");
        td.dataset.class = key;
        td.append(button);
        row.append(td);
      }
      return row;
    });
    $("#abc-xyz tbody").replaceChildren(...rows);
  }

  private render(): void {
    const plan = this.plan;
    if (!plan) return;
    const column = COLUMNS.find((c) => c.key === this.sort.key) ?? COLUMNS[0];
    const ranked = plan.products.map((p, urgency) => ({ p, urgency }));
    const chosen = ranked.filter(({ p }) => !this.filter || p.abc + p.xyz === this.filter);
    if (column && column.key !== "urgency") {
      chosen.sort((a, b) => {
        const [x, y] = [column.value(a.p), column.value(b.p)];
        const order = typeof x === "string" ? x.localeCompare(String(y)) : x - (y as number);
        return (this.sort.descending ? -order : order) || a.urgency - b.urgency;
      });
    } else if (this.sort.descending) chosen.reverse();
    for (const th of $("#plan thead").querySelectorAll<HTMLElement>("th")) {
      th.setAttribute("aria-sort", th.dataset.key === this.sort.key ? (this.sort.descending ? "descending" : "ascending") : "none");
    }
    const rows = chosen.slice(0, MAX_ROWS).map(({ p, urgency }) => this.row(p, urgency));
    $("#plan tbody").replaceChildren(...rows);
    const shown = Math.min(MAX_ROWS, chosen.length);
    $("#plan-note").textContent = `${shown === chosen.length ? `All ${chosen.length}` : `The first ${shown} of ${units.format(chosen.length)}`} products${this.filter ? ` in class ${this.filter}` : ""}, ${this.sort.key === "urgency" ? "most urgent first" : `by ${column?.label}`}. Choose a product for its forecast.`;
  }

  private row(p: StockPlanProduct, urgency: number): HTMLTableRowElement {
    const row = document.createElement("tr");
    row.dataset.id = p.id;
    for (const column of COLUMNS) {
      if (column.key === "urgency") row.append(cell("td", String(urgency + 1)));
      else if (column.key === "id") {
        const td = document.createElement("td");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "link";
        button.textContent = column.text(p);
        button.addEventListener("click", () => void this.chart(p));
        td.append(button);
        row.append(td);
      } else row.append(cell("td", column.text(p)));
    }
    return row;
  }

  /** The product's history and forecast, with the plan's lead time and stock. */
  private async chart(p: StockPlanProduct): Promise<void> {
    const plan = this.plan;
    if (!plan) return;
    const horizon = Math.max(plan.leadTime, plan.period === "week" ? 13 : 6);
    const result = await this.forecaster.forecast(p.sales, { horizon, inventory: { leadTime: plan.leadTime, serviceLevel: plan.serviceLevel, stock: p.stock ?? 0 } });
    const first = Date.parse(`${plan.history.first}T00:00:00Z`);
    const label = (i: number) => {
      const date = new Date(first + (plan.period === "week" ? i * 7 * 86_400_000 : 0));
      if (plan.period === "month") date.setUTCMonth(date.getUTCMonth() + i);
      return new Intl.DateTimeFormat(undefined, { month: "short", day: plan.period === "week" ? "numeric" : undefined, year: "2-digit", timeZone: "UTC" }).format(date);
    };
    const what = `${plan.period === "week" ? "Weekly" : "Monthly"} net unit sales of ${p.title || p.id}`;
    const figure = $("#plan-chart");
    const caption = document.createElement("figcaption");
    caption.tabIndex = -1;
    caption.textContent = `${what} (${p.abc}${p.xyz}) and the forecast, ${result.model}. Reorder point ${units.format(p.reorderPoint)}, on hand ${p.stock === null ? "unknown" : units.format(p.stock)}, order ${units.format(p.orderQuantity)}.`;
    figure.replaceChildren(caption, forecastChart(p.sales, result, { label, what }));
    figure.hidden = false;
    figure.dataset.id = p.id;
    caption.focus();
  }
}

/** The segments' table and the recency-against-spend scatter. */
function showSegments(result: Segments): void {
  $("#segments-summary").textContent = `${units.format(result.customers.length)} customers in ${result.k} segments (k ${result.chosenBy === "silhouette" ? "chosen by silhouette" : "as asked"}, silhouette ${result.silhouette === null ? "–" : result.silhouette.toFixed(2)}), as of ${result.asOf}.`;
  const rows = result.segments.map((s) => {
    const row = document.createElement("tr");
    row.dataset.segment = String(s.id);
    const name = cell("th", s.name);
    name.scope = "row";
    const swatch = document.createElement("span");
    swatch.className = `swatch seg-${s.id % 8}`;
    swatch.setAttribute("aria-hidden", "true");
    name.prepend(swatch);
    row.append(
      name,
      cell("td", `${units.format(s.size)} (${percent.format(s.share)})`),
      cell("td", decimal.format(s.recency)),
      cell("td", decimal.format(s.frequency)),
      cell("td", money.format(s.monetary)),
      cell("td", s.topCategories.map((c) => c.name).join(", ") || "–"),
      cell("td", s.topProducts.slice(0, 3).map((p) => p.title || p.id).join("; ")),
    );
    return row;
  });
  $("#segments tbody").replaceChildren(...rows);
  $("#segments-scatter").replaceChildren(scatter(result));
}

/** Recency (days, x) against spend (log scale, y), a dot per customer, coloured by segment. */
function scatter(result: Segments): SVGSVGElement {
  const [width, height, left, bottom] = [720, 320, 56, 40];
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Each customer's days since the last order against their spend, coloured by segment; the table above gives each segment's means.`);
  const add = (tag: string, attributes: Record<string, string | number>, text?: string) => {
    const element = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, String(v));
    if (text !== undefined) element.textContent = text;
    svg.append(element);
    return element;
  };
  const maxRecency = Math.max(1, ...result.customers.map((c) => c.recency));
  const maxSpend = Math.log10(1 + Math.max(1, ...result.customers.map((c) => c.monetary)));
  const x = (days: number) => left + (days / maxRecency) * (width - left - 16);
  const y = (spend: number) => height - bottom - (Math.log10(1 + Math.max(0, spend)) / maxSpend) * (height - bottom - 16);
  add("line", { x1: left, y1: height - bottom, x2: width - 16, y2: height - bottom, class: "axis", stroke: "#888" });
  add("line", { x1: left, y1: 16, x2: left, y2: height - bottom, class: "axis", stroke: "#888" });
  add("text", { x: (width + left) / 2, y: height - 8, "text-anchor": "middle", "font-size": 12 }, "days since the last order");
  for (const days of ticks(0, maxRecency, 6).filter((d) => d <= maxRecency)) add("text", { x: x(days), y: height - bottom + 16, "text-anchor": "middle", "font-size": 11 }, units.format(days));
  for (let p = 0; p <= Math.floor(maxSpend); p++) add("text", { x: left - 6, y: y(10 ** p - 1) + 4, "text-anchor": "end", "font-size": 11 }, money.format(10 ** p));
  for (const c of result.customers) add("circle", { cx: x(c.recency).toFixed(1), cy: y(c.monetary).toFixed(1), r: 2.5, class: `dot seg-${c.segment % 8}` });
  return svg;
}
